/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker lcore: owns RX/TX queue @c id of every port and the associations whose tags name it.
 * Its loop (ARCHITECTURE.md "Worker loop"): read the TSC once, drain the control ring and the
 * steering rings, rx_burst every port, check CRC32c (or trust the NIC), steer by verification
 * tag, feed the engine, run the services, expire timers from the wheel, build output into mbufs
 * and flush TX on a full burst or the drain deadline, housekeeping every DP_HOUSEKEEP_LOOPS.
 * No locks, no logging, no system calls on the way of a packet; the counters are the worker's own.
 */
#ifndef DPSCTP_DATAPLANE_WORKER_H
#define DPSCTP_DATAPLANE_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "app.h"
#include "engine.h"
#include "inet.h"
#include "snapshot.h"
#include "stack.h"
#include "twheel.h"

#define DP_HOUSEKEEP_LOOPS 1024
#define DP_RX_PREFETCH 3   /**< packets of a burst whose data is asked for ahead of parsing */
#define DP_TX_STASH 32     /**< output buffers taken from the pool at once (headers prefetched) */
#define DP_REARM_NS 250000 /**< an endpoint's next deadline is recomputed at most this often */

/** Dataplane drop reasons (beyond the L2/L3 ones of inet.h and the engine's own). */
enum dp_drop {
	DP_DROP_BAD_CRC = 0,   /**< SCTP CRC32c wrong (software or NIC) */
	DP_DROP_NOT_OURS,      /**< IP destination is not one of our addresses */
	DP_DROP_SRC_OURS,      /**< from a port with one of our addresses as source (spoofed or looped) */
	DP_DROP_PROTO,         /**< IP protocol we do not handle */
	DP_DROP_SCTP_SHORT,    /**< shorter than an SCTP common header */
	DP_DROP_NO_SERVICE,    /**< no endpoint on the destination port */
	DP_DROP_MULTISEG,      /**< a chained mbuf (we configure no scatter) */
	DP_DROP_RING_FULL,     /**< a ring to another core was full */
	DP_DROP_NO_ROUTE,      /**< outgoing: no route to the destination */
	DP_DROP_NO_NEIGH,      /**< outgoing: next hop MAC unknown yet (control asked) */
	DP_DROP_NO_MBUF,       /**< mempool empty */
	DP_DROP_ENGINE,        /**< the engine discarded the whole packet (its counters say why) */
	DP_DROP_COUNT
};

/** Name of a drop reason, for telemetry. */
const char *dp_drop_name(enum dp_drop d);

/** Counters of one worker; only it writes them, anyone may read them (64-bit, relaxed). */
struct dp_worker_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t tx_dropped;     /**< the port did not take them */
	uint64_t to_control;     /**< handed to the control lcore */
	uint64_t steered;        /**< handed to another worker */
	uint64_t local;          /**< delivered internally (our own address) */
	uint64_t ootb_answers;   /**< answers to packets for a port without endpoint (RFC 9260 8.4) */
	uint64_t loops;          /**< iterations of the loop */
	uint64_t busy_loops;     /**< iterations that did something */
	uint64_t drops[DP_DROP_COUNT];
	uint64_t inet_drops[DP_INET_DROP_COUNT];
	/* built-in services */
	uint64_t svc_msgs_in, svc_bytes_in;
	uint64_t svc_msgs_out, svc_bytes_out;
	uint64_t svc_bad;        /**< echoed messages that did not come back as sent */
	uint64_t svc_done;       /**< source associations that sent (and got back) everything */
	/* applications */
	uint64_t app_reqs;       /**< requests taken from applications */
	uint64_t app_bad_reqs;   /**< well-formed requests refused (error REPLY / SEND_FAILED) */
	uint64_t app_broken;     /**< sessions this worker found breaking the ring protocol */
	uint64_t app_parked;     /**< SEND messages parked (engine send buffer full) */
	uint64_t app_queued;     /**< descriptors queued privately (application channel full) */
	uint64_t app_dropped;    /**< notifications dropped (an application that reads nothing) */
	uint64_t app_wakeups;    /**< eventfd writes */
} __rte_cache_aligned;

struct dp_assoc_ctx;

/** One engine endpoint of the worker (a service). */
struct dp_ep {
	struct dp_worker *w;
	unsigned int svc;              /**< index in stack->services */
	struct dpsctp_endpoint *ep;
	struct dp_twheel_entry timer;  /**< armed at the endpoint's next deadline */
	bool dirty;                    /**< input, send or expire ran: output and re-arm */
	uint64_t rearm_at;             /**< earliest next deadline recomputation (ns) */
	bool rearm_due;                /**< changed since the last recomputation: the timer fires by rearm_at */
	/* what the endpoint was made from: a copy (application slots change under a seqlock) */
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS]; /**< bound addresses (the route callback) */
	unsigned int naddrs;
	uint32_t gen;                  /**< application slot: the gen applied */
	bool closing;                  /**< application slot: CLOSING applied to the associations */
	uint64_t closing_since;        /**< ns, when CLOSING was first seen */
	uint32_t sndbuf;               /**< the endpoint's send buffer (bounds gathering, parking) */
};

/** Frames waiting to be sent on one port. */
struct dp_txbuf {
	uint16_t n;
	uint64_t first_tsc;            /**< when the oldest was queued */
	struct rte_mbuf *m[DP_BURST];
};

/** A worker. Hot fields first; counters and snapshots on their own cache lines. */
struct dp_worker {
	struct dp_stack *s;
	unsigned int id;
	volatile bool stop;
	uint64_t now;                  /**< ns, read once per loop */
	uint64_t tsc;
	uint64_t drain_tsc;            /**< TX drain deadline in TSC cycles */
	uint16_t ip_id;
	/*
	 * Endpoints to settle (output, re-arm) this loop: each at most once, in the order touched
	 * (dp_ep_touch). Kept apart from struct dp_ep, which app.c re-initialises whole.
	 */
	uint16_t dirtyq[DP_MAX_SERVICES];
	unsigned int ndirty;
	uint8_t queued[DP_MAX_SERVICES];
	struct dp_ep eps[DP_MAX_SERVICES];
	struct dp_twheel wheel;
	struct dp_txbuf tx[DP_MAX_PORTS];
	struct rte_mbuf *spare;        /**< a buffer an endpoint had nothing to write into */
	struct rte_mbuf *stash[DP_TX_STASH]; /**< output buffers taken ahead (tx_mbuf) */
	unsigned int nstash;
	struct rte_mbuf *local_q[DP_BURST * 4]; /**< frames for our own addresses, next loop */
	unsigned int nlocal;
	/* associations of this worker (for services, snapshots, shutdown) */
	struct dp_assoc_ctx **actx;
	unsigned int nactx, cap_actx;
	struct dp_assoc_ctx *busy;     /**< associations with service work pending */
	bool draining;                 /**< SHUTDOWN_ALL received */
	uint64_t next_snapshot;        /**< ns */
	/* applications (app.c) */
	struct dp_app_sess app[DP_MAX_SESSIONS]; /**< the sessions as this worker sees them */
	unsigned int app_scan;         /**< loops until the next scan of the sessions' states */
	bool app_any;                  /**< some session is live here */
	struct dp_assoc_ctx *app_cur;  /**< an association an app operation is running on */
	bool app_cur_freed;            /**< ...and the engine freed it meanwhile */
	bool app_stopped;              /**< the worker is being destroyed: no more output */
	/*
	 * Released application endpoints are freed two housekeeping rounds later: telemetry may
	 * be reading their counters (dp_worker_engine_stats) from another thread.
	 */
	struct dpsctp_endpoint *grave[2][DP_MAX_SERVICES];
	unsigned int ngrave[2];
	struct dpsctp_stats retired;   /**< counters of the endpoints released so far */

	struct dp_worker_stats st;
	struct dp_snapshot snap;       /**< associations as telemetry sees them */
};

/**
 * Input, a send or an expiry ran on endpoint @p e: the loop sends what it has and re-arms its
 * timer. The loop visits only the endpoints touched (not every slot: a source may hold 1,024).
 */
static inline void
dp_ep_touch(struct dp_ep *e)
{
	struct dp_worker *w = e->w;

	e->dirty = true;
	if (!w->queued[e->svc]) {
		w->queued[e->svc] = 1;
		w->dirtyq[w->ndirty++] = (uint16_t)e->svc;
	}
}

/** Create worker @p id of @p s (endpoints of every service). @return 0 or -errno. */
int dp_worker_create(struct dp_stack *s, unsigned int id, struct dp_worker **out);

/** Release it (after its loop returned): endpoints without sending anything, queued mbufs. */
void dp_worker_destroy(struct dp_worker *w);

/** The lcore entry point (rte_eal_remote_launch); @p arg is the struct dp_worker. */
int dp_worker_main(void *arg);

/** Number of associations the worker holds now (any thread may ask). */
unsigned int dp_worker_assoc_count(const struct dp_worker *w);

/** Add the counters of worker @p w to @p sum (relaxed loads: it may be writing them). */
void dp_worker_stats_add(struct dp_worker_stats *sum, const struct dp_worker *w);

/** Sum of the engine counters of every endpoint of the worker into @p out (racy reads). */
void dp_worker_engine_stats(const struct dp_worker *w, struct dpsctp_stats *out);

#endif
