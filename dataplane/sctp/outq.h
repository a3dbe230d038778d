/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data sender (RFC 9260 6.1, 6.2.1, 6.3, 6.9, 7): user messages waiting for transmission,
 * their fragmentation into DATA chunks with consecutive TSNs and per-stream SSNs, the chunks
 * sent and not yet acknowledged, SACK processing (an express path for the common cum-ack-only
 * SACK, the full path with gap blocks and miss indications), retransmission after T3-rtx and
 * fast retransmit, and the bounded send buffer.
 *
 * Chunks that have a TSN live in a ring indexed by TSN (base = cumulative ack + 1), so a gap
 * block finds its chunks in O(1). A message gets its TSNs (all of its fragments at once, 6.9)
 * when its first chunk is about to be transmitted; before that it waits in a FIFO, and its
 * lifetime is checked there.
 */
#ifndef DPSCTP_SCTP_OUTQ_H
#define DPSCTP_SCTP_OUTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "engine.h"
#include "wbuf.h"

struct dpsctp_assoc;

/** One user message, copied; freed when its last chunk is acknowledged or it fails. */
struct dpsctp_msg {
	struct dpsctp_msg *next;    /**< FIFO of messages without TSNs */
	struct dpsctp_sndinfo info; /**< as the user gave it */
	uint64_t expires;           /**< lifetime end (DPSCTP_NEVER), checked before TSNs */
	uint32_t len;               /**< bytes of @c data */
	uint32_t chunks;            /**< chunks with TSNs not yet acknowledged */
	bool sent;                  /**< a chunk of it was transmitted */
	bool failed;                /**< SEND_FAILED reported */
	uint8_t data[];             /**< the message */
};

/** State of a chunk with a TSN. */
enum dpsctp_tchunk_state {
	DPSCTP_TC_UNSENT = 0, /**< never transmitted */
	DPSCTP_TC_FLIGHT,     /**< transmitted, counted in the flight size */
	DPSCTP_TC_RETX,       /**< marked for retransmission (out of the flight) */
	DPSCTP_TC_ACKED,      /**< acknowledged by a gap ack block */
};

/** A DATA chunk with a TSN (ring entry). */
struct dpsctp_tchunk {
	struct dpsctp_msg *msg; /**< its message */
	uint64_t sent_at;       /**< last transmission, ns */
	uint32_t off;           /**< offset of its payload in the message */
	uint16_t len;           /**< payload bytes */
	uint16_t ssn;           /**< stream sequence number */
	uint8_t flags;          /**< DATA flags: B, E, U, I */
	uint8_t state;          /**< enum dpsctp_tchunk_state */
	uint8_t nsent;          /**< transmissions (saturating) */
	uint8_t miss;           /**< miss indications (7.2.4) */
	bool fast;              /**< was fast-retransmitted (at most once per chunk, 7.2.4) */
	bool fr;                /**< its current RETX mark is a fast retransmit's */
	uint8_t path;           /**< the path it was last sent to (index) */
	uint16_t gen;           /**< the last SACK whose gap blocks covered it */
};

/** The sender's queues and counters (in the association). */
struct dpsctp_outq {
	struct dpsctp_msg *head, *tail; /**< messages without TSNs, FIFO */
	size_t unassigned;             /**< bytes of those messages */
	size_t buffered;               /**< bytes of every message held (send buffer use) */
	uint64_t lifetime_check;       /**< earliest lifetime end in the FIFO (may be early) */

	struct dpsctp_tchunk *ring;    /**< chunks with TSNs, at (tsn & (cap - 1)) */
	uint32_t cap;                  /**< ring size, a power of two (0 before the first) */
	uint32_t cum_ack;              /**< cumulative TSN ack point: ring base is cum_ack + 1 */
	uint32_t next_tsn;             /**< next TSN to assign */
	uint32_t next_send;            /**< lowest TSN never transmitted (<= next_tsn) */
	uint32_t nretx;                /**< chunks marked for retransmission */
	uint32_t retx_from;            /**< no chunk below this TSN is marked (scan hint) */
	uint32_t nacked;               /**< chunks gap-acked above cum_ack */
	uint32_t flight;               /**< payload bytes in flight */
	uint32_t outstanding;          /**< payload bytes transmitted and not acknowledged */
	uint32_t unsent_bytes;         /**< payload bytes of chunks with TSNs never transmitted */

	uint16_t nstreams;             /**< outbound streams */
	uint16_t *ssn;                 /**< next SSN per outbound stream (env memory) */

	uint16_t sack_gen;             /**< SACKs with gap blocks processed (wraps) */
	bool fr_pending;               /**< fast retransmissions waiting for the next packet */
	bool rtt_pending;              /**< an RTT measurement is running on @c rtt_tsn */
	uint8_t rtt_path;              /**< ... towards this path */
	uint32_t rtt_tsn;
	uint64_t rtt_sent;
	uint32_t burst;                /**< DATA packets left in this send opportunity */
	bool dry_armed;                /**< SENDER_DRY is due when all is acknowledged */
	bool sack_seen;                /**< a SACK arrived since the last T3-rtx expiry */
};

/**
 * Prepare for data transfer once the streams are known: @p nstreams outbound streams, first
 * TSN @p itsn. Messages already queued (sent before the handshake ended) stay queued.
 * @return 0 or -ENOMEM.
 */
int dpsctp_outq_setup(struct dpsctp_assoc *a, uint16_t nstreams, uint32_t itsn);

/**
 * The peer restarted (5.2.4 A): chunks with TSNs are reported failed (DPSCTP_DATA_SENT);
 * queued messages stay; TSNs, SSNs and congestion state start again.
 */
int dpsctp_outq_restart(struct dpsctp_assoc *a, uint16_t nstreams, uint32_t itsn);

/**
 * Release everything. With @p report, every message not acknowledged is reported with a
 * SEND_FAILED event (cause @p error) first.
 */
void dpsctp_outq_teardown(struct dpsctp_assoc *a, bool report, uint16_t error);

/** Queue a message (dpsctp_assoc_send). */
int dpsctp_outq_send(struct dpsctp_assoc *a, const struct dpsctp_sndinfo *si, const void *data,
	size_t len, uint64_t now);

/** Nothing queued, nothing outstanding. */
bool dpsctp_outq_empty(const struct dpsctp_assoc *a);

/**
 * Process a SACK (6.2.1, 7.2). @return 0, or -EPROTO when it acknowledges a TSN never sent (the
 * caller aborts), or -ESTALE when it is older than one already processed (ignored).
 */
int dpsctp_outq_sack(struct dpsctp_assoc *a, const struct dpsctp_sack *s, uint64_t now);

/** The Cumulative TSN Ack of a SHUTDOWN (9.2), processed as a SACK without gap blocks. */
int dpsctp_outq_cum_ack(struct dpsctp_assoc *a, uint32_t cum, uint64_t now);

/**
 * T3-rtx of path @p path expired (6.3.3): what is in flight to it is marked for retransmission
 * (to an alternate path, 6.4.1). @return false when the association ended.
 */
bool dpsctp_outq_t3_expired(struct dpsctp_assoc *a, unsigned int path, uint64_t now);

/** The path the lowest chunk marked by T3-rtx went to last, or -1 when none is marked. */
int dpsctp_outq_retx_path(struct dpsctp_assoc *a);

/** Path @p path is about to be removed: its chunks in flight are marked for retransmission. */
void dpsctp_outq_path_removed(struct dpsctp_assoc *a, unsigned int path);

/**
 * Path @p path's MTU shrank to @p mtu (packet-too-big, appendix C): chunks in flight to it that
 * no longer fit were dropped on the way and are marked for retransmission.
 */
void dpsctp_outq_mtu_shrunk(struct dpsctp_assoc *a, unsigned int path, uint32_t mtu);

/** Drop queued messages whose lifetime ended before @p now (SEND_FAILED, unsent). */
void dpsctp_outq_expire_lifetimes(struct dpsctp_assoc *a, uint64_t now);

/**
 * Append DATA chunks for path @p path to the packet being built in @p w following the rules of
 * cwnd, rwnd, Nagle and Max.Burst: at most @p room bytes (the path MTU left), except that with
 * @p alone one chunk larger than that may fill the packet up to @p w's capacity (a chunk
 * fragmented for a larger MTU than the path has now).
 * @return number of DATA chunks added.
 */
unsigned int dpsctp_outq_fill(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, size_t room,
	unsigned int path, bool alone, uint64_t now);

/** Whether a call to dpsctp_outq_fill() may add something now (cheap test). */
bool dpsctp_outq_wants_send(const struct dpsctp_assoc *a);

/** A new send opportunity (user sent, timer): at least Max.Burst packets. */
static inline void
dpsctp_outq_opportunity(struct dpsctp_outq *q, uint32_t max_burst)
{
	if (q->burst < max_burst)
		q->burst = max_burst;
}

/**
 * A SACK arrived: Max.Burst more packets (6.1: the limit is per SACK; SACKs processed in a
 * receive burst add up, up to 64 of them).
 */
static inline void
dpsctp_outq_sack_opportunity(struct dpsctp_outq *q, uint32_t max_burst)
{
	q->burst += max_burst;
	if (q->burst > 64 * max_burst)
		q->burst = 64 * max_burst;
}

/** Largest DATA payload per chunk: the smallest path MTU decides. */
uint32_t dpsctp_outq_frag_point(const struct dpsctp_assoc *a);

#endif /* DPSCTP_SCTP_OUTQ_H */
