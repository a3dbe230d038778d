/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The built-in services on a worker (echo, discard, source), and the worker's side of every
 * association: the engine's upcalls, the per-association context, active opens, shutdown of
 * everything, and the association's telemetry snapshot.
 *
 * Application endpoints (DP_SVC_APP) hand their upcalls and their after-input work to app.c.
 *
 * Upcalls must not call back into the engine (engine.h), so the echo service copies what it
 * receives and sends it after the input burst (dp_service_run). The echo endpoint keeps the
 * received bytes counted against its receiver window until they are echoed
 * (dpsctp_proto_config.rcv_app_window), so a peer that sends faster than it reads back is held
 * back by flow control rather than by our memory.
 */
#ifndef DPSCTP_DATAPLANE_SERVICE_H
#define DPSCTP_DATAPLANE_SERVICE_H

#include <stdint.h>

#include "app.h"
#include "engine.h"
#include "snapshot.h"
#include "stack.h"

struct dp_worker;
struct dp_ep;

/*
 * dpsctp-perf's generator: a source service whose dp_service.perf is set sends as fast as the
 * send buffer takes (bulk) or keeps @c outstanding requests in flight per association (request /
 * response against an echo). Its messages carry the sequence number (bytes 0..3, big endian)
 * and the TSC of the send (bytes 4..11, host order, messages of 12 bytes or more); the rest is
 * not written nor checked, so the generator costs what sending costs. Each echo received puts
 * TSC now - TSC sent into the worker's latency histogram.
 */

/** Sub-buckets per power of two of the latency histogram (2^5: within 3.2 %). */
#define DP_LAT_SUB_BITS 5
/** Buckets of the histogram: values below 2^5 exactly, then 32 per power of two up to 2^64. */
#define DP_LAT_BUCKETS ((64 - DP_LAT_SUB_BITS + 1) << DP_LAT_SUB_BITS)

/** The bucket of a latency of @p v TSC cycles (HDR-style log-linear). */
static inline unsigned int
dp_lat_bucket(uint64_t v)
{
	unsigned int k;

	if (v < (1u << DP_LAT_SUB_BITS))
		return (unsigned int)v;
	k = 63u - (unsigned int)__builtin_clzll(v); /* >= DP_LAT_SUB_BITS */
	return ((k - DP_LAT_SUB_BITS + 1) << DP_LAT_SUB_BITS) |
	       (unsigned int)((v >> (k - DP_LAT_SUB_BITS)) & ((1u << DP_LAT_SUB_BITS) - 1));
}

/** The lowest value (TSC cycles) of bucket @p b. */
static inline uint64_t
dp_lat_bucket_low(unsigned int b)
{
	unsigned int k = b >> DP_LAT_SUB_BITS, sub = b & ((1u << DP_LAT_SUB_BITS) - 1);

	if (k == 0)
		return sub;
	return (uint64_t)((1u << DP_LAT_SUB_BITS) | sub) << (k - 1);
}

/** What one worker's generator counts (written by that worker only; others read racily). */
struct dp_gen_worker {
	uint64_t echoes;              /**< echoes received whole and timed */
	uint64_t lat[DP_LAT_BUCKETS]; /**< round-trip times, TSC cycles, by dp_lat_bucket */
};

/** Settings and counters of a generator (dp_service.perf), owned by whoever set it. */
struct dp_gen {
	uint32_t outstanding; /**< requests in flight per association (0: no limit, bulk) */
	struct dp_gen_worker *per_worker; /**< [stack's nworkers], or NULL: no timing */
};

/** An active open, handed from control to the owning worker. */
struct dp_associate_req {
	unsigned int svc;                           /**< service (endpoint) that connects */
	struct dpsctp_addr peers[DPSCTP_MAX_ADDRS]; /**< the peer's addresses */
	unsigned int npeers;
	uint16_t peer_port;
	uint16_t os;                                /**< outbound streams (0: default) */
};

/** Fill the engine callbacks of endpoint @p e of service @p sv. */
void dp_service_callbacks(const struct dp_service *sv, struct dp_ep *e,
	struct dpsctp_callbacks *cb);

/** Echo and send what the services have pending (after input). */
void dp_service_run(struct dp_worker *w);

/** Active open on the worker (the request is freed here). */
void dp_service_associate(struct dp_worker *w, struct dp_associate_req *req);

/** SHUTDOWN (or ABORT when @p abort) every association of the worker. */
void dp_service_shutdown_all(struct dp_worker *w, bool abort);

/** A complete received message waiting to be echoed. */
struct dp_echo_msg {
	struct dp_echo_msg *next;
	size_t len;
	struct dpsctp_sndinfo si;
	uint8_t data[];
};

/** What the worker keeps per association (dpsctp_assoc_user). */
struct dp_assoc_ctx {
	struct dpsctp_assoc *a;
	struct dp_ep *e;
	unsigned int slot;                 /**< index in w->actx */
	struct dp_assoc_ctx *busy_next, **busy_pprev;
	bool up;                           /**< reported to control, data may flow */
	bool closing;                      /**< shutdown or abort asked */
	/* echo: messages to send back, and the one being received */
	struct dp_echo_msg *head, *tail;
	struct dp_echo_msg *cur;           /**< being received: grown in place, then queued */
	size_t cur_cap;                    /**< bytes of cur->data allocated */
	/* source: messages sent and checked */
	uint32_t sent, recv;
	uint64_t rx_off;                   /**< bytes of the message being received */
	uint32_t rx_seq;
	uint64_t rx_tsc;                   /**< generator: the send TSC the echo carries */
	bool rx_bad;
	bool done;
	/* application endpoints */
	struct dp_app_assoc app;
};

/** The context of association @p a of endpoint @p e, created on first use (NULL: no memory). */
struct dp_assoc_ctx *dp_service_ctx_get(struct dp_ep *e, struct dpsctp_assoc *a);

/** Put @p c on the worker's list of associations with work after input (dp_service_run). */
void dp_service_busy_add(struct dp_worker *w, struct dp_assoc_ctx *c);

/** Append association @p c to snapshot buffer @p b. */
void dp_service_snapshot(struct dp_worker *w, struct dp_assoc_ctx *c, struct dp_snap_buf *b);

#endif
