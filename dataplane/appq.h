/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's end of the shared-memory channels of an application session (api/abi/shm.h):
 * pure ring mechanics, no DPDK and no system calls, so that it can be unit-tested and fuzzed
 * over a malloc'd mapping.
 *
 *   - intake (app -> worker): the consumer. The producer's index is loaded with acquire and
 *     checked (dpsctp_chan_prod_ok); each descriptor is copied to private memory before anything
 *     looks at it and checked (dpsctp_chan_desc_ok). The consumer's indices are kept privately
 *     and published (release) when the caller is done with a batch, so the payloads it points at
 *     stay put until then.
 *   - output (worker -> app): the producer. Our indices are private and published (release) in
 *     batches; the consumer's indices are read (acquire) only when our private view of the free
 *     room is not enough, and checked (dpsctp_chan_cons_ok).
 *
 * Any violation of the ring protocol by the application latches @c broken: from then on the
 * channel is not read nor written again (the session is lost, shm.h "Trust").
 */
#ifndef DPSCTP_DATAPLANE_APPQ_H
#define DPSCTP_DATAPLANE_APPQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shm.h"

/** Consumer state of an app -> worker channel (private to the worker). */
struct dp_appq_in {
	struct dpsctp_chan *c; /**< the channel in the mapping */
	uint8_t *data;         /**< its byte ring */
	uint32_t ring_entries; /**< descriptors (power of two), the daemon's value */
	uint32_t data_bytes;   /**< payload bytes (power of two), the daemon's value */
	uint32_t prod;         /**< the producer's index last seen (validated) */
	uint32_t cons;         /**< descriptors taken (private, published by commit) */
	uint32_t data_cons;    /**< payload released (private, published by commit) */
	uint32_t pub_cons;     /**< what commit published last */
	bool broken;           /**< the application broke the protocol: never read again */
};

/** Producer state of a worker -> app channel (private to the worker). */
struct dp_appq_out {
	struct dpsctp_chan *c;
	uint8_t *data;
	uint32_t ring_entries;
	uint32_t data_bytes;
	uint32_t prod;          /**< descriptors written (private, published by publish) */
	uint32_t data_prod;     /**< payload bytes reserved (private) */
	uint32_t pub_prod;      /**< what publish made visible last */
	uint32_t pub_data_prod; /**< data_prod as published last */
	uint32_t cons;          /**< the consumer's index last seen (validated) */
	uint32_t data_cons;     /**< the consumer's data index last seen (validated) */
	bool broken;            /**< the consumer broke the protocol: never written again */
};

/** A piece of payload to gather into one descriptor. */
struct dp_appq_iov {
	const void *base;
	size_t len;
};

/**
 * Attach intake @p q to channel @p c (ring_entries and data_bytes: the daemon's own values,
 * powers of two). Our indices start at 0, as in the fresh (zeroed) mapping the daemon handed
 * out: nothing the application wrote there before is believed. @return 0 or -EINVAL (sizes not
 * powers of two)
 */
int dp_appq_in_init(
	struct dp_appq_in *q, struct dpsctp_chan *c, uint32_t ring_entries, uint32_t data_bytes);

/**
 * Descriptors waiting (acquire load of prod, checked against our cons).
 * @return their number (0..ring_entries), or -EPROTO when the producer broke the protocol
 *         (q->broken is then set).
 */
int dp_appq_in_poll(struct dp_appq_in *q);

/**
 * Copy the next descriptor (one dp_appq_in_poll counted) to @p d and check it; @p *payload
 * points at its payload in the mapping (valid until dp_appq_in_commit; the application may
 * still scribble on it: copy what must be parsed). The descriptor is consumed.
 * @return 0, -ENOENT (none polled), -EPROTO (a bad descriptor: q->broken is set)
 */
int dp_appq_in_take(struct dp_appq_in *q, struct dpsctp_desc *d, const uint8_t **payload);

/** Publish what was taken (cons, data_cons; release) so the producer may reuse the space. */
void dp_appq_in_commit(struct dp_appq_in *q);

/** Attach output @p q to channel @p c. @return 0 or -EINVAL. */
int dp_appq_out_init(
	struct dp_appq_out *q, struct dpsctp_chan *c, uint32_t ring_entries, uint32_t data_bytes);

/**
 * Largest payload one descriptor of @p q carries: DPSCTP_SHM_MAX_PAYLOAD, or half the byte ring
 * when it is smaller (so that a reservation that wraps always fits an empty ring).
 */
static inline uint32_t
dp_appq_out_max_payload(const struct dp_appq_out *q)
{
	return q->data_bytes / 2 < DPSCTP_SHM_MAX_PAYLOAD ? q->data_bytes / 2
							  : DPSCTP_SHM_MAX_PAYLOAD;
}

/**
 * Write descriptor @p d (op, flags, ids... : off, len and data_end are filled here) with the
 * payload gathered from @p iov (@p iovcnt pieces, at most dp_appq_out_max_payload in all) into the
 * channel, not yet visible to the consumer (dp_appq_out_publish).
 * @return 0, -EAGAIN (no room now), -EMSGSIZE (payload too large), -EPROTO (the consumer broke
 *         the protocol: q->broken is set)
 */
int dp_appq_out_put(struct dp_appq_out *q, const struct dpsctp_desc *d,
	const struct dp_appq_iov *iov, unsigned int iovcnt);

/** Make what was put visible (data_prod then prod, release). @return true when anything was new. */
bool dp_appq_out_publish(struct dp_appq_out *q);

/**
 * Check the consumer's indices of output @p q now (they are otherwise read only when the channel
 * looks full, which a flow-controlled application may never make it): a broken consumer is found
 * even when it never fills its channel. @return 0, or -EPROTO (then @p q is broken).
 */
int dp_appq_out_check(struct dp_appq_out *q);

/**
 * After a publish: does the consumer sleep (consumer_waiting set)? A full fence orders our
 * publication before the load, pairing with the consumer's set-then-recheck (shm.h).
 */
bool dp_appq_out_consumer_waiting(const struct dp_appq_out *q);

#endif
