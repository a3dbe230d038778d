/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver's queues (RFC 9260 6.5, 6.6, 6.9): reassembly of fragmented user messages,
 * in-order delivery per inbound stream by SSN, immediate delivery of unordered messages, and
 * partial delivery of a message larger than the partial delivery point.
 *
 * The association feeds it each NEW DATA chunk it keeps (the TSN map has said "new"; the stream
 * id was checked against the inbound stream count; the payload is not empty). The payload is
 * copied into memory from the env; the chunk's place in the message is found by TSN: the
 * fragments of one message carry consecutive TSNs from the B chunk to the E chunk (6.9), so a
 * message is complete when that run is whole. Complete messages go to the deliver callback at
 * once when unordered, and in SSN order (16-bit serial arithmetic, wrapping) when ordered.
 *
 * Partial delivery (RFC 6458 8.1.21, "fragment interleave" level 0): when the first part of a
 * message that is next in order for its stream (or unordered) holds at least pd_point bytes
 * from its B chunk on with no hole, those bytes are delivered (eor false) and the rest follow
 * as they arrive; until the E chunk is delivered (eor true) nothing else is delivered to the
 * association (other messages wait, complete, in the queues).
 *
 * Memory: @c queued is the payload bytes held; the association subtracts it from its receiver
 * window, which bounds it. No fixed limit inside.
 */
#ifndef DPSCTP_SCTP_REASM_H
#define DPSCTP_SCTP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "engine.h"

/** Most iov entries in one deliver call; longer messages take several calls. */
#define DPSCTP_REASM_IOV_MAX 16

struct dpsctp_rchunk; /* a held DATA chunk (reasm.c) */

/**
 * Delivery upcall: part (eor false) or the rest (eor true) of one message. @p ri has sid, ssn,
 * flags (DPSCTP_SND_UNORDERED), ppid (raw, from the B chunk) and tsn (the B chunk's) filled;
 * cumtsn and assoc_id are 0 (the association fills them). Memory is released after return.
 * It must not call dpsctp_reasm_add() or dpsctp_reasm_fini() on the same queues.
 */
typedef void (*dpsctp_reasm_deliver_fn)(void *ctx, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor);

struct dpsctp_reasm {
	const struct dpsctp_env *env;    /**< memory (not owned) */
	dpsctp_reasm_deliver_fn deliver; /**< upcall */
	void *ctx;                       /**< its first argument */
	uint16_t nstreams;               /**< inbound streams (valid sid < nstreams) */
	uint16_t *next_ssn; /**< next SSN expected per inbound stream (nstreams entries) */
	uint32_t pd_point;  /**< partial delivery point, bytes (>= 1) */
	size_t queued;      /**< payload bytes held */
	/* internal queues (reasm.c) */
	struct dpsctp_rchunk *frags; /**< incomplete messages' chunks, ascending TSN */
	struct dpsctp_rchunk *frags_tail;
	struct dpsctp_rchunk *ready; /**< complete ordered messages waiting for their SSN */
	struct dpsctp_rchunk *ready_tail;
	/** complete unordered messages waiting for a partial delivery to end, oldest first */
	struct dpsctp_rchunk *uwait;
	struct dpsctp_rchunk *uwait_tail;
	uint64_t *waiting; /**< bitmap by sid: the stream has a message in @c ready */
	size_t nbig;       /**< runs in @c frags from a B chunk with >= pd_point bytes */
	/* the partial delivery in progress */
	bool pd_active;       /**< a message is partly delivered */
	bool pd_unordered;    /**< it is unordered */
	uint16_t pd_sid;      /**< its stream */
	uint16_t pd_ssn;      /**< its SSN */
	uint32_t pd_next_tsn; /**< the TSN of its next chunk to deliver */
	uint32_t pd_tsn;      /**< the TSN of its B chunk */
	uint32_t pd_ppid;     /**< its payload protocol identifier, RAW */
	/* counters (lifetime) */
	uint64_t n_msgs;  /**< messages delivered whole (eor) */
	uint64_t n_bytes; /**< payload bytes delivered */
	uint64_t n_pd;    /**< partial deliveries started */
};

/**
 * Start empty with @p nstreams inbound streams (1..65535; next SSN 0 each) and the partial
 * delivery point @p pd_point (0 is taken as 1). @p env must outlive @p r.
 * @return 0 or -ENOMEM (nothing to release then).
 */
int dpsctp_reasm_init(struct dpsctp_reasm *r, const struct dpsctp_env *env, uint16_t nstreams,
	uint32_t pd_point, dpsctp_reasm_deliver_fn deliver, void *ctx);

/** Release everything held (nothing is delivered). @p r can be initialised again. */
void dpsctp_reasm_fini(struct dpsctp_reasm *r);

/**
 * Take a new DATA chunk @p d (payload copied) and deliver whatever became deliverable.
 * Precondition (the caller checked): d->sid < nstreams, d->payload_len > 0, TSN never given
 * before.
 * @return 0 when kept (the caller then marks the TSN as received), -ENOMEM when it could not
 *         be kept (nothing changed: do not acknowledge it), -EPROTO when the peer broke the
 *         fragmentation rules (6.9: a B chunk inside a message, fragments of one message with
 *         different streams, SSNs or U bits): the caller aborts the association.
 *         -EPROTO also for a chunk without B right after an E chunk (or a chunk that is not E
 *         right before a B chunk), and when an ordered message completes with the stream and
 *         SSN of one waiting or being partly delivered (the peer reused an SSN). Nothing is
 *         changed then either. A chunk is checked against its neighbours among the chunks of
 *         incomplete messages and the partly delivered message only; complete messages, waiting
 *         or delivered, are not looked at (no history is kept).
 *         -EINVAL when the TSN is one held (the precondition broken; nothing changed).
 */
int dpsctp_reasm_add(struct dpsctp_reasm *r, const struct dpsctp_data *d);

/** Is a partial delivery in progress? Then @p sid and @p ssn say of which message. */
bool dpsctp_reasm_pd(const struct dpsctp_reasm *r, uint16_t *sid, uint16_t *ssn);

/**
 * Change the partial delivery point to @p pd_point (0 is taken as 1). Messages already held
 * are judged by it from the next chunk that arrives; nothing is delivered by this call.
 */
void dpsctp_reasm_set_pd_point(struct dpsctp_reasm *r, uint32_t pd_point);

#endif /* DPSCTP_SCTP_REASM_H */
