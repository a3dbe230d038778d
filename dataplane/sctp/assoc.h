/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal: the association and endpoint structures shared by the engine's modules
 * (endpoint.c, assoc.c, sm.c, sideeffect.c). Not for users of the engine: see engine.h.
 */
#ifndef DPSCTP_SCTP_ASSOC_H
#define DPSCTP_SCTP_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cc.h"
#include "chunk.h"
#include "cookie.h"
#include "deadline.h"
#include "engine.h"
#include "lookup.h"
#include "outq.h"
#include "path.h"
#include "rcv.h"
#include "reasm.h"
#include "rto.h"
#include "tlv.h"
#include "tsnmap.h"

/** Association timers (RFC 9260 section 4 and 9.2, 8.3); each is only a deadline. */
enum dpsctp_timer {
	DPSCTP_T1_INIT = 0,   /**< T1-init (COOKIE-WAIT) */
	DPSCTP_T1_COOKIE,     /**< T1-cookie (COOKIE-ECHOED) */
	DPSCTP_T2_SHUTDOWN,   /**< T2-shutdown (SHUTDOWN-SENT, SHUTDOWN-ACK-SENT) */
	DPSCTP_T5_GUARD,      /**< T5-shutdown-guard */
	DPSCTP_T_HEARTBEAT,   /**< start/stop only: the heartbeats of every path (path.c) */
	DPSCTP_T_SACK,        /**< delayed SACK (6.2) */
	DPSCTP_T_LIFETIME,    /**< earliest end of a queued message's lifetime */
	DPSCTP_T_AUTOCLOSE,   /**< idle ESTABLISHED association ends (cfg.autoclose) */
	DPSCTP_TIMER_COUNT
};

/** Control chunks waiting for dpsctp_endpoint_output (bits). */
enum {
	DPSCTP_SEND_INIT = 1u << 0,
	DPSCTP_SEND_COOKIE_ECHO = 1u << 1,
	DPSCTP_SEND_COOKIE_ACK = 1u << 2,
	DPSCTP_SEND_SHUTDOWN = 1u << 3,
	DPSCTP_SEND_SHUTDOWN_ACK = 1u << 4,
	DPSCTP_SEND_HEARTBEAT = 1u << 5,
	DPSCTP_SEND_HEARTBEAT_ACK = 1u << 6,
	DPSCTP_SEND_ERROR = 1u << 7,
	DPSCTP_SEND_SACK = 1u << 8,
};

/** Error causes queued for the next ERROR chunk, bytes. */
#define DPSCTP_ERR_QUEUE 512
/** Largest Heartbeat Info we echo, bytes (bigger HEARTBEATs are answered from a heap copy). */
#define DPSCTP_HB_INFO_INLINE 64

struct dpsctp_assoc {
	struct dpsctp_endpoint *ep;
	struct dpsctp_assoc *next; /* endpoint list */
	/* the endpoint's list of associations that may have something to send (dpsctp_assoc_wake) */
	struct dpsctp_assoc *out_next, *out_prev;
	bool out_listed;
	struct dpsctp_deadline_node dl; /* the endpoint's deadline heap (deadline.h) */
	uint32_t id;
	enum dpsctp_state state;
	bool announced; /* a callback named it: assoc_free is owed */
	/* its own configuration: the endpoint's when it was created, then
	 * dpsctp_assoc_set_config() (rto_*, hb_interval, path_max_retrans and pf_threshold live
	 * in the path defaults below) */
	struct dpsctp_proto_config cfg;
	/* our addresses: the endpoint's when it was created (dpsctp_endpoint_set_addrs() does not
	 * change them) */
	struct dpsctp_addr laddrs[DPSCTP_MAX_ADDRS];
	size_t nladdrs;
	uint64_t last_activity; /* last user send or DATA received (autoclose) */

	/* tags (5.1, 5.2.2) */
	uint32_t local_vtag;
	uint32_t peer_vtag;
	uint32_t local_tie_tag;
	uint32_t peer_tie_tag;

	/* sequence space (the running TSNs are in outq and tsnmap) */
	uint32_t local_itsn;
	uint32_t peer_itsn;

	/* what was negotiated */
	uint16_t peer_port;
	uint16_t os_wanted; /* what we asked for in INIT / offered in INIT ACK */
	uint16_t os;
	uint16_t mis;
	uint32_t peer_rwnd;
	bool peer_has_adaptation;
	uint32_t peer_adaptation;

	/* paths, one per peer address (path.c) */
	struct dpsctp_tpath paths[DPSCTP_MAX_ADDRS];
	uint8_t npaths;
	uint8_t primary;     /* index of the primary path */
	uint8_t data_path;   /* where new data went last (failover) */
	uint8_t ctrl;        /* where handshake and shutdown chunks go */
	bool hb_stopped;     /* no heartbeats any more (shutdown) */
	uint32_t probe_count; /* confirmation probes sent in the current window (5.4) */
	uint64_t probe_window; /* when that window began */
	uint32_t mtu_min;    /* smallest path MTU: the fragmentation point follows it */
	uint32_t ip_hdr_max; /* largest IP header of any path */
	struct dpsctp_path sack_to;   /* where the last DATA came from: SACKs go back there */
	struct dpsctp_path hb_ack_to; /* where the HEARTBEAT to answer came from */
	/* defaults for paths (configuration, then SCTP_PEER_ADDR_PARAMS / THLDS / RTOINFO) */
	uint64_t rto_initial, rto_min, rto_max;
	uint64_t hb_interval;
	uint32_t pmr, pfmr;
	uint8_t path_flags;

	/* timers: deadline and retransmission count each */
	uint64_t deadline[DPSCTP_TIMER_COUNT];
	uint32_t retrans[DPSCTP_TIMER_COUNT];
	uint32_t error_count; /* 8.1 association error counter */

	/* handshake */
	uint8_t *cookie; /* State Cookie to echo (COOKIE-ECHOED), from env->alloc */
	size_t cookie_len;
	uint64_t cookie_sent;     /* when COOKIE ECHO was first sent (RTT, Karn) */
	uint32_t stale_count;     /* Stale Cookie errors received (5.2.6) */
	uint32_t preservative_ms; /* Cookie Preservative for the next INIT */

	/* heartbeat to answer (8.3) */
	uint8_t *hb_ack_info; /* Heartbeat Info to echo */
	size_t hb_ack_len;
	uint8_t hb_ack_inline[DPSCTP_HB_INFO_INLINE];

	/* control chunks to send; queued error causes */
	uint32_t pending;
	size_t err_len;
	uint8_t err_buf[DPSCTP_ERR_QUEUE];

	/* data sender (outq.c) and its congestion control (cc.c) */
	struct dpsctp_outq outq;
	struct dpsctp_cc cc;

	/* data receiver (rcv.c, reasm.c) */
	bool pkt_data;        /* the packet being processed carried DATA */
	bool sack_immediate;  /* the next SACK is due at once */
	uint32_t sack_pkts;   /* packets with DATA since the last SACK */
	uint32_t rcv_held;    /* delivered bytes the user has not read (rcv_app_window) */
	uint32_t last_rwnd;   /* window in the last SACK */
	struct dpsctp_reasm reasm;
	struct dpsctp_tsnmap tsnmap;

	void *user;
};

/** A stateless answer (INIT ACK, ABORT, SHUTDOWN COMPLETE) or an association's last words. */
struct dpsctp_reply {
	uint8_t *buf;
	size_t len;
	struct dpsctp_path path;
};

#define DPSCTP_REPLY_QUEUE 32

struct dpsctp_endpoint {
	struct dpsctp_env env;
	struct dpsctp_callbacks cb;
	struct dpsctp_proto_config cfg;
	uint16_t port;
	bool listening;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	size_t naddrs;

	/* 5.1.3: the secret MACing cookies, rotated; [0] current, [1] previous */
	uint8_t secret[2][DPSCTP_COOKIE_KEY_LEN];
	uint64_t secret_rotate_at;
	/* ownership bits of tags and ids (dpsctp_endpoint_set_owner) */
	uint8_t owner_bits;
	uint32_t owner;

	struct dpsctp_assoc *assocs;
	size_t nassocs;
	struct dpsctp_lookup index; /* (peer port, address) -> association cache (lookup.h) */
	uint32_t next_id;
	/*
	 * Associations that may have something to send, in turn: every entry point that can give
	 * one something to send (input, expiry, a send, a user request, a route) puts it at the
	 * back; dpsctp_endpoint_output takes one packet from the front one and puts it back at
	 * the end, or drops it from the list when it has nothing. Output costs what is sent, not a
	 * walk over every association.
	 */
	struct dpsctp_assoc *out_head, *out_tail;
	struct dpsctp_deadlines dl; /* its associations by next deadline (deadline.h) */

	struct dpsctp_reply replies[DPSCTP_REPLY_QUEUE];
	unsigned int reply_head;
	unsigned int reply_count;

	struct dpsctp_stats stats;
};

/** Before ESTABLISHED: the handshake is still running (COOKIE-WAIT or COOKIE-ECHOED). */
static inline bool
dpsctp_assoc_before_established(const struct dpsctp_assoc *a)
{
	return a->state == DPSCTP_COOKIE_WAIT || a->state == DPSCTP_COOKIE_ECHOED;
}

/* assoc.c */
void dpsctp_assoc_free_cookie(struct dpsctp_assoc *a);
struct dpsctp_assoc *dpsctp_assoc_new(struct dpsctp_endpoint *ep, uint64_t now);
void dpsctp_assoc_release(struct dpsctp_assoc *a);
uint32_t dpsctp_assoc_random_tag(struct dpsctp_endpoint *ep);
uint32_t dpsctp_assoc_random32(struct dpsctp_endpoint *ep);
void dpsctp_assoc_set_state(struct dpsctp_assoc *a, enum dpsctp_state s);
void dpsctp_assoc_event(struct dpsctp_assoc *a, const struct dpsctp_event *ev);
void dpsctp_assoc_timer_start(struct dpsctp_assoc *a, enum dpsctp_timer t, uint64_t now);
void dpsctp_assoc_timer_stop(struct dpsctp_assoc *a, enum dpsctp_timer t);
uint64_t dpsctp_assoc_next_deadline(const struct dpsctp_assoc *a);

/**
 * The path (local, remote) of path @p i (all zero when there is none). Inline: a call returned
 * it through a temporary that the caller copied at once, and the copy's wide loads over the
 * callee's narrow stores stalled store forwarding on every packet sent.
 */
static inline struct dpsctp_path
dpsctp_paths_get(const struct dpsctp_assoc *a, unsigned int i)
{
	if (i >= a->npaths)
		return (struct dpsctp_path){0};
	return (struct dpsctp_path){.local = a->paths[i].local, .remote = a->paths[i].remote};
}
void dpsctp_assoc_expire(struct dpsctp_assoc *a, uint64_t now);
size_t dpsctp_assoc_output(struct dpsctp_assoc *a, uint8_t *buf, size_t cap,
	struct dpsctp_path *path, uint64_t now);
void dpsctp_assoc_queue_cause(struct dpsctp_assoc *a, uint16_t code, const void *data,
	size_t len);
bool dpsctp_assoc_has_peer_addr(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr);
struct dpsctp_path dpsctp_assoc_ctrl_path(const struct dpsctp_assoc *a);
void dpsctp_assoc_end(struct dpsctp_assoc *a, enum dpsctp_abort_code code, bool send_abort,
	uint16_t cause, const void *data, size_t len, const uint8_t *peer_causes,
	size_t peer_causes_len, enum dpsctp_assoc_change_state ev);
void dpsctp_assoc_close(struct dpsctp_assoc *a, const struct dpsctp_path *sc_to);
int dpsctp_assoc_data_setup(struct dpsctp_assoc *a, bool restart);
void dpsctp_assoc_shutdown_progress(struct dpsctp_assoc *a, uint64_t now);
void dpsctp_assoc_activity(struct dpsctp_assoc *a, uint64_t now);

/* endpoint.c */
void dpsctp_ep_secret_refresh(struct dpsctp_endpoint *ep, uint64_t now);
int dpsctp_ep_reply(struct dpsctp_endpoint *ep, const uint8_t *pkt, size_t len,
	const struct dpsctp_path *path);
int dpsctp_ep_reply_ctrl(struct dpsctp_endpoint *ep, uint16_t peer_port, uint32_t vtag,
	const struct dpsctp_path *path, const uint8_t *types, unsigned int ntypes, uint8_t flags,
	uint16_t cause, const void *data, size_t len);
int dpsctp_ep_reply_init_ack(struct dpsctp_endpoint *ep, const struct dpsctp_chunk *init_chunk,
	const struct dpsctp_init *init, uint16_t peer_port, const struct dpsctp_path *path,
	const struct dpsctp_assoc *existing, uint64_t now);
void dpsctp_ep_unlink(struct dpsctp_endpoint *ep, struct dpsctp_assoc *a);

/** @p a may have something to send: on its endpoint's output list (once). */
void dpsctp_assoc_wake(struct dpsctp_assoc *a);
/* dpsctp_proto_config_check() without what only the handshake uses (os, mis, cookie life) */
int dpsctp_assoc_config_check(const struct dpsctp_proto_config *cfg);

#endif /* DPSCTP_SCTP_ASSOC_H */
