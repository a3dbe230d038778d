/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stack: what every lcore of one dpsctpd instance shares. Written by the control plane
 * while it sets up, then read-mostly: the workers read ports, routes, neighbours and services;
 * the only fields written while running are the port link states (control writes, workers read,
 * single words) and the neighbour table (one writer, lock-free readers, neigh.h).
 *
 * Several stacks can live in one process (the dataplane tests run two over a net_ring pair):
 * nothing here is global.
 */
#ifndef DPSCTP_DATAPLANE_STACK_H
#define DPSCTP_DATAPLANE_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "engine.h"
#include "neigh.h"
#include "route.h"

#define DP_MAX_WORKERS 16
#define DP_MAX_PORTS 8
#define DP_MAX_PORT_ADDRS 8
#define DP_MAX_SESSIONS 32 /**< attached applications */
#define DP_SESSION_MAX_ENDPOINTS 16 /**< endpoints (bound sockets) one application may hold */
#define DP_MAX_CONFIG_SLOTS 1040 /**< configured services (a source: one per association) */
/** service slots: configured ones, then room for every endpoint of every application */
#define DP_MAX_SERVICES (DP_MAX_CONFIG_SLOTS + DP_MAX_SESSIONS * DP_SESSION_MAX_ENDPOINTS)
#define DP_MAX_LOOPBACK 4
#define DP_BURST 32
#define DP_RING_SIZE 4096

/** A port as the dataplane sees it. */
struct dp_port {
	uint16_t port_id;      /**< DPDK port id */
	char name[32];         /**< configured name */
	uint8_t mac[6];        /**< our MAC address on it */
	uint16_t mtu;          /**< IP MTU */
	bool rx_csum;          /**< the NIC checks SCTP CRC32c on receive (RX offload on) */
	bool tx_csum;          /**< the NIC fills SCTP CRC32c on transmit (TX offload on) */
	bool rss;              /**< several RX queues are spread by RSS */
	uint64_t rss_hf;       /**< RSS hash types in use */
	struct dpsctp_addr addrs[DP_MAX_PORT_ADDRS]; /**< our addresses on it */
	uint8_t plen[DP_MAX_PORT_ADDRS];             /**< their prefix lengths */
	unsigned int naddrs;
	bool link_up;          /**< last link state seen by control (atomic loads/stores) */
	bool follow_link;      /**< take link state from the PMD (else always up) */
};

/** Kinds of built-in service (the engine endpoint and what it does with messages). */
enum dp_service_kind {
	DP_SVC_ECHO = 0, /**< every message back on its stream, same PPID and ordering */
	DP_SVC_DISCARD,  /**< read and drop */
	DP_SVC_SOURCE,   /**< connect to a peer, send numbered messages, check what comes back */
	DP_SVC_APP,      /**< an application's endpoint (libdpsctp socket), opened at run time */
};

/** Life of a service slot (dp_service.state, atomic: control writes, workers read). */
enum dp_slot_state {
	DP_SLOT_FREE = 0, /**< unused; control may fill it */
	DP_SLOT_OPEN,     /**< in use: workers create their endpoint when they first need it */
	DP_SLOT_CLOSING,  /**< closed by its application: workers shut down (or abort) its
	                       associations, free their endpoint and set their bit in closed_mask */
};

/** A service: one engine endpoint per worker (and one at control to answer INIT). */
struct dp_service {
	enum dp_service_kind kind;
	uint16_t port;                              /**< local SCTP port */
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS]; /**< bound addresses */
	unsigned int naddrs;
	bool listen;                                /**< accepts associations */
	/* source only */
	struct dpsctp_addr peers[DPSCTP_MAX_ADDRS]; /**< the peer's addresses (connectx) */
	unsigned int npeers;
	uint16_t peer_port;
	uint32_t count;    /**< messages to send per association (0: until stopped) */
	uint32_t size;     /**< bytes per message (>= 8) */
	uint16_t streams;  /**< spread over this many streams (>= 1) */
	bool unordered;    /**< send unordered */
	bool check_echo;   /**< the peer echoes: check every message that comes back */
	bool shutdown_when_done; /**< SHUTDOWN once everything is sent (and echoed) */
	struct dp_gen *perf; /**< source: dpsctp-perf's generator settings and counters, or NULL */
	/*
	 * Application endpoints (DP_SVC_APP). Configured services are DP_SLOT_OPEN from start-up
	 * and never change. For an application endpoint, control fills the slot and then stores
	 * state = OPEN (release); workers load state (acquire) before anything else. What may change
	 * while open (addrs, naddrs, listen, proto, linger_abort) is written by control under the
	 * seqlock @c gen (odd while writing); a worker copies it when gen differs from what it last
	 * applied and re-reads until gen is even and unchanged. @c port and @c session never change
	 * while the slot is in use.
	 */
	uint32_t state;          /**< enum dp_slot_state */
	uint32_t gen;            /**< seqlock of the mutable part */
	int session;             /**< owning application session (index in stack->sessions), -1 for configured */
	bool linger_abort;       /**< on close: ABORT the associations instead of SHUTDOWN */
	uint32_t closed_mask;    /**< bit w: worker w released its endpoint after CLOSING (atomic or) */
	struct dpsctp_proto_config proto; /**< engine parameters of the endpoint (app endpoints) */
};

/** Life of an application session (dp_session.state, atomic). */
enum dp_session_state {
	DP_SESSION_FREE = 0, /**< unused */
	DP_SESSION_LIVE,     /**< attached: workers poll its channels */
	DP_SESSION_DEAD,     /**< detached or broken: workers stop touching its memory and set their
	                          bit in gone_mask; control unmaps it when every bit is set and its
	                          endpoints are free */
};

struct dpsctp_chan;

/**
 * An attached application (control/attach.c fills it, then stores state = LIVE with release;
 * every field but state, gone_mask and broken is constant while LIVE). The channel pointers are
 * computed by the daemon from its own layout, never read from the shared memory.
 */
struct dp_session {
	uint32_t state;          /**< enum dp_session_state */
	uint32_t gone_mask;      /**< bit w: worker w no longer uses it (atomic or) */
	uint32_t broken;         /**< a worker found the application breaking the ABI (atomic) */
	uint32_t id;             /**< session number (in the shared header) */
	uint8_t *base;           /**< the daemon's mapping of the memfd */
	size_t size;             /**< its bytes */
	struct dpsctp_chan *to_worker[DP_MAX_WORKERS]; /**< app -> worker w */
	struct dpsctp_chan *to_app[DP_MAX_WORKERS];    /**< worker w -> app */
	uint32_t ring_entries;   /**< descriptors per channel */
	uint32_t data_bytes;     /**< payload bytes per channel */
	int efd;                 /**< the session's eventfd (worker -> app wake-ups) */
	int pid, uid, gid;       /**< SO_PEERCRED of the application */
};

struct dp_worker;

/** One dpsctpd instance. */
struct dp_stack {
	unsigned int nworkers;
	struct dp_worker *workers[DP_MAX_WORKERS];
	unsigned int worker_lcore[DP_MAX_WORKERS];

	unsigned int nports;
	struct dp_port ports[DP_MAX_PORTS];
	struct dp_route_table routes;    /**< on-link prefixes and gateways (route.h) */
	struct dp_neigh_table *neigh;    /**< ARP / ND cache (neigh.h) */
	struct dpsctp_addr loopback[DP_MAX_LOOPBACK]; /**< delivered internally, on no port */
	unsigned int nloopback;
	/**
	 * Our IPv4 addresses (every port's and the loopback ones), as they are in a packet: every
	 * received packet's addresses are checked against them (dp_stack_is_local) without a walk
	 * of the route table. Built once the addresses are set (dp_stack_index_addrs).
	 */
	uint32_t local4[DP_MAX_PORTS * DP_MAX_PORT_ADDRS + DP_MAX_LOOPBACK];
	unsigned int nlocal4;

	/** slots in use are below this (configured services first; grows, never shrinks) */
	unsigned int nservices;
	struct dp_service services[DP_MAX_SERVICES];
	/**
	 * The slot in use on each local SCTP port, plus one (0: none): how a packet finds its
	 * endpoint without a walk. Control writes it (dp_stack_port_bind / _unbind) after it stored
	 * the slot's state; readers check the slot's state and port after the look-up
	 * (dp_stack_slot_of_port). At most one slot in use holds a port (EADDRINUSE otherwise).
	 */
	uint16_t port_slot[65536];
	struct dp_session sessions[DP_MAX_SESSIONS]; /**< attached applications (attach.c) */
	struct dpsctp_proto_config proto; /**< engine parameters of every endpoint */

	struct rte_mempool *pool;        /**< packet buffers */
	/* rings, all single-producer single-consumer */
	struct rte_ring *to_ctrl_pkt[DP_MAX_WORKERS];  /**< worker -> control: mbufs */
	struct rte_ring *to_ctrl_msg[DP_MAX_WORKERS];  /**< worker -> control: struct dp_msg */
	struct rte_ring *to_worker_msg[DP_MAX_WORKERS]; /**< control -> worker: struct dp_msg */
	struct rte_ring *steer[DP_MAX_WORKERS][DP_MAX_WORKERS]; /**< worker i -> j: mbufs */

	uint8_t cookie_master[32];       /**< the cookie secrets of every period derive from it */
	uint64_t tsc_hz;                 /**< TSC frequency */
	uint64_t tsc0;                   /**< TSC at start (time 0 of the engines) */
	uint64_t ns_mult;                /**< ns = (tsc - tsc0) * ns_mult >> 32 */
	char name[12];                   /**< instance name (rings, pools), short: DPDK names are 32 bytes */
};

/** Nanoseconds since the stack started, from a TSC reading. */
static inline uint64_t
dp_stack_ns(const struct dp_stack *s, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - s->tsc0) * s->ns_mult) >> 32);
}

/** The engine's cookie secret function over the stack's master key (HMAC-SHA256). */
void dp_stack_cookie_secret(void *ctx, uint64_t epoch, uint8_t *key, size_t len);

/** Random bytes from OpenSSL's CSPRNG (verification tags, TSNs, nonces: RFC 9260 5.3.1). */
void dp_stack_random(void *ctx, void *buf, size_t len);

/**
 * Create the engine endpoint of service @p svc for a core of the stack: memory from the C heap
 * (per-thread arenas), CSPRNG randomness, the stack's shared cookie secrets, tags and ids owned
 * by @p owner. @p cb NULL: no upcalls (control's endpoints answer INIT statelessly).
 * @return 0 or -errno (dpsctp_endpoint_create)
 */
int dp_stack_endpoint_create(struct dp_stack *s, unsigned int svc, uint32_t owner,
	const struct dpsctp_callbacks *cb, uint64_t now, struct dpsctp_endpoint **out);

/**
 * The same from @p sv, a private copy of a service slot (an application slot's mutable part is
 * copied under its seqlock first: dp_app_slot_ep).
 */
int dp_stack_endpoint_create_from(struct dp_stack *s, const struct dp_service *sv, uint32_t owner,
	const struct dpsctp_callbacks *cb, uint64_t now, struct dpsctp_endpoint **out);

/** Add the counters of @p x to @p sum (relaxed loads: another core may be writing @p x). */
void dp_stack_engine_stats_add(struct dpsctp_stats *sum, const struct dpsctp_stats *x);

/**
 * The slot in use (OPEN or CLOSING) on local port @p port, or -1. Any thread: a slot released
 * or refilled meanwhile is seen by its state and port, read after the table.
 */
static inline int
dp_stack_slot_of_port(const struct dp_stack *s, uint16_t port)
{
	unsigned int k = __atomic_load_n(&s->port_slot[port], __ATOMIC_ACQUIRE);
	const struct dp_service *sv;

	if (k == 0 || k > DP_MAX_SERVICES)
		return -1;
	sv = &s->services[k - 1];
	if (__atomic_load_n(&sv->state, __ATOMIC_ACQUIRE) == DP_SLOT_FREE || sv->port != port)
		return -1;
	return (int)k - 1;
}

/** Control: slot @p svc (already OPEN) now holds its port. */
void dp_stack_port_bind(struct dp_stack *s, unsigned int svc);

/** Control: slot @p svc is being released; its port is free unless another slot holds it. */
void dp_stack_port_unbind(struct dp_stack *s, unsigned int svc);

/** True when @p a is one of the loopback addresses (delivered internally, on no port). */
bool dp_stack_is_loopback(const struct dp_stack *s, const struct dpsctp_addr *a);

/** Build the index of our IPv4 addresses (after the ports' and loopback addresses are set). */
void dp_stack_index_addrs(struct dp_stack *s);

/** True when @p a is one of our addresses (any port, or loopback). */
bool dp_stack_is_local(const struct dp_stack *s, const struct dpsctp_addr *a);

#endif
