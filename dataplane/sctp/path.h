/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal: the paths of an association (RFC 9260 5.4, 6.4, 8.2, 8.3; RFC 7829). One entry per
 * peer address with everything kept per destination: the local address that reaches it (the
 * caller's route callback decides), its state (UNCONFIRMED, ACTIVE, POTENTIALLY-FAILED,
 * INACTIVE), error counter and thresholds, RTO, congestion window, path MTU, bytes in flight,
 * its T3-rtx deadline, and its heartbeat (confirmation probes, keep-alive, PF probes).
 *
 * Which path carries what:
 *   - new data: the primary when it is ACTIVE, else another ACTIVE path (failover), else the
 *     POTENTIALLY-FAILED path with the fewest errors, else the confirmed path with the fewest
 *     errors; never an UNCONFIRMED or unreachable one;
 *   - retransmissions after T3-rtx: an ACTIVE path other than the one the chunk went to last
 *     (6.4.1), when there is one;
 *   - SACK and HEARTBEAT ACK: back where the DATA or HEARTBEAT came from (6.4);
 *   - handshake and shutdown chunks: the "control" path, moved to an alternate on T1 and T2
 *     retransmissions.
 */
#ifndef DPSCTP_SCTP_PATH_H
#define DPSCTP_SCTP_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cc.h"
#include "engine.h"
#include "rto.h"
#include "wbuf.h"

struct dpsctp_assoc;

/** Path flags (internal). */
enum {
	DPSCTP_PF_HB_OFF = 1u << 0,    /**< keep-alive heartbeats disabled */
	DPSCTP_PF_PMTUD_OFF = 1u << 1, /**< path MTU fixed, packet-too-big ignored */
};

/** Largest path MTU the engine uses (the largest packet). */
#define DPSCTP_PMTU_MAX DPSCTP_MAX_PACKET
/** Smallest path MTU a packet-too-big report can set, by family. */
#define DPSCTP_PMTU_MIN4 512u
#define DPSCTP_PMTU_MIN6 1280u

/** One peer address and everything kept per destination. */
struct dpsctp_tpath {
	struct dpsctp_addr remote;  /**< the peer's address */
	struct dpsctp_addr local;   /**< ours that reaches it (valid when @c reachable) */
	struct dpsctp_rto rto;      /**< RTO of this destination */
	struct dpsctp_cc cc;        /**< congestion state, path MTU in cc.mtu */
	uint64_t t3;                /**< T3-rtx deadline (6.3.2) or DPSCTP_NEVER */
	uint64_t hb_at;             /**< heartbeat deadline: send one, or its answer is late */
	uint64_t hb_nonce;          /**< nonce of the outstanding HEARTBEAT (5.4) */
	uint64_t hb_sent;           /**< when it was sent */
	uint64_t last_data;         /**< when DATA was last sent to it (idle test, 8.3) */
	uint64_t hb_interval;       /**< HB.interval of this path, ns */
	uint32_t flight;            /**< payload bytes in flight to it */
	uint32_t errors;            /**< error counter (8.2) */
	uint32_t pmr;               /**< Path.Max.Retrans */
	uint32_t pfmr;              /**< PF threshold (DPSCTP_PF_DISABLED: off) */
	uint8_t state;              /**< enum dpsctp_path_state */
	uint8_t flags;              /**< DPSCTP_PF_* */
	bool reachable;             /**< the route callback gave a local address */
	bool hb_outstanding;        /**< a HEARTBEAT is waiting for its ACK */
	bool hb_send;               /**< a HEARTBEAT is to go out in the next output */
};

/** Heartbeat Info we send: nonce (8), time sent (8), address family (1) and bytes (16). */
#define DPSCTP_HB_INFO_LEN 33

/** Forget every path (no events). */
void dpsctp_paths_clear(struct dpsctp_assoc *a);

/**
 * Add peer address @p remote unless known; @p confirmed as 5.4 rule 1 or 2 says. Its local
 * address comes from the route callback. @return its index, or -1 when the table is full.
 */
int dpsctp_paths_add(struct dpsctp_assoc *a, const struct dpsctp_addr *remote, bool confirmed);

/** Index of peer address @p remote, or -1. */
int dpsctp_paths_find(const struct dpsctp_assoc *a, const struct dpsctp_addr *remote);

/** Remove path @p i (REMOVED is reported when @p report); the primary moves if it was it. */
void dpsctp_paths_remove(struct dpsctp_assoc *a, unsigned int i, bool report);

/** Ask the route callback again for every path. */
void dpsctp_paths_reroute(struct dpsctp_assoc *a, uint64_t now);

/** Per-path state back to its start (RTO.Initial, initial cwnd, no errors, no timers). */
void dpsctp_paths_reset(struct dpsctp_assoc *a);

/**
 * The association is ESTABLISHED: heartbeats start (confirmation probes for UNCONFIRMED
 * paths, HB.Max.Burst per RTO; keep-alive on the others).
 */
void dpsctp_paths_start(struct dpsctp_assoc *a, uint64_t now);

/** No more heartbeats (shutdown). */
void dpsctp_paths_stop_heartbeats(struct dpsctp_assoc *a);

/** Earliest heartbeat or T3-rtx deadline of any path. */
uint64_t dpsctp_paths_next_deadline(const struct dpsctp_assoc *a);

/** Run due heartbeat and T3-rtx deadlines. @return false when the association ended. */
bool dpsctp_paths_expire(struct dpsctp_assoc *a, uint64_t now);

/**
 * Path @p i failed once (T3-rtx, unanswered HEARTBEAT, T1/T2): its error counter grows and
 * its state follows (8.2, RFC 7829), with PEER_ADDR_CHANGE events.
 */
void dpsctp_path_strike(struct dpsctp_assoc *a, unsigned int i, uint64_t now);

/** Path @p i answered (DATA sent to it acknowledged, HEARTBEAT ACK): errors clear, ACTIVE. */
void dpsctp_path_ok(struct dpsctp_assoc *a, unsigned int i, uint64_t now);

/** Where new data goes now (see the top of this file); counts a failover when it changed. */
unsigned int dpsctp_paths_data(struct dpsctp_assoc *a);

/** Where new data would go now, without recording it. */
unsigned int dpsctp_paths_select(const struct dpsctp_assoc *a);

/** An ACTIVE path other than @p from for a retransmission (6.4.1), else the data path. */
unsigned int dpsctp_paths_alternate(struct dpsctp_assoc *a, unsigned int from);

/** The control path moves to an alternate (T1 / T2 retransmission, 6.4). */
void dpsctp_paths_ctrl_rotate(struct dpsctp_assoc *a);

/** IP header bytes towards path @p i (20 or 40). */
static inline uint32_t
dpsctp_path_ip_hdr(const struct dpsctp_tpath *p)
{
	return p->remote.family == 6 ? 40 : 20;
}

/**
 * Build a HEARTBEAT for the first path that has one due; @p w holds the common header.
 * @return the path index, or -1 when none is due (or it does not fit).
 */
int dpsctp_paths_put_heartbeat(struct dpsctp_assoc *a, struct dpsctp_wbuf *w);

/**
 * A HEARTBEAT ACK came back with @p info (@p len bytes, the Heartbeat Info TLV's value) at
 * @p now. @return 0 when it answered our outstanding HEARTBEAT to a path, -ENOENT otherwise.
 */
int dpsctp_paths_hb_ack(struct dpsctp_assoc *a, const uint8_t *info, size_t len, uint64_t now);

/** Recompute the association's fragmentation MTU (the smallest path MTU). */
void dpsctp_paths_update_mtu(struct dpsctp_assoc *a);

#endif /* DPSCTP_SCTP_PATH_H */
