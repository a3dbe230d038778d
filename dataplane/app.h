/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's side of applications (libdpsctp sessions, ARCHITECTURE.md "Application API"):
 *
 *   - slots: application endpoints (DP_SVC_APP) are created lazily when the worker first needs
 *     them, follow the slot's seqlocked mutable part (addresses, listening, configuration), and
 *     on CLOSING end their associations (SHUTDOWN, or ABORT with linger_abort), then free the
 *     endpoint and set the worker's bit in closed_mask;
 *   - sessions: requests are taken from the app -> worker channel of this worker (appq.h),
 *     checked (every index, offset and length, the slot, the association) and run on the
 *     engine; replies, deliveries, notifications and send credit go to the worker -> app
 *     channel, or to a private queue of the session when that channel is full (retried every
 *     loop, in order);
 *   - flow control: SEND bytes are credited back when the engine takes them; messages the engine
 *     has no room for are parked on their association and retried; delivered bytes stay counted
 *     against our window (rcv_app_window) until the application reports them read with a
 *     CONSUMED descriptor (bounded by what went into the channel and was not reported yet), so
 *     an application that does not read closes its peer's window; bytes nobody will read (no
 *     session, dropped) are reported read to the engine at once, never from inside an upcall.
 *
 * Everything the application wrote is untrusted: a ring protocol violation sets the session's
 * `broken` (control then closes it); a bad request gets an error REPLY or SEND_FAILED.
 */
#ifndef DPSCTP_DATAPLANE_APP_H
#define DPSCTP_DATAPLANE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "appq.h"
#include "engine.h"

struct dp_worker;
struct dp_ep;
struct dp_assoc_ctx;
struct dp_app_item;
struct dp_app_send;

/** Loops between two scans of the sessions' states (new sessions, dead ones). */
#define DP_APP_SCAN_LOOPS 64

/** Most requests taken from one session per loop (one application cannot starve the rest). */
#define DP_APP_BURST 32

/** A session as one worker sees it. */
struct dp_app_sess {
	bool live;              /**< attached here: channels initialised, polled every loop */
	bool produced;          /**< something was put this loop: publish, maybe wake */
	struct dp_appq_in in;   /**< app -> this worker */
	struct dp_appq_out out; /**< this worker -> app */
	struct dp_app_item *pend_head, *pend_tail; /**< waiting for room in @c out, in order */
	unsigned int npend;
	size_t pend_bytes;
	uint64_t dropped; /**< notifications dropped (the application reads nothing) */
};

/** What the worker keeps per association of an application endpoint (in struct dp_assoc_ctx). */
struct dp_app_assoc {
	uint64_t consume; /**< bytes to report read to the engine after input (CONSUMED, dropped) */
	/**
	 * DATA bytes put into the channel and not yet reported read by the application (CONSUMED):
	 * the most a CONSUMED may open our window by, so a hostile application cannot inflate it.
	 */
	uint64_t delivered_unconsumed;
	uint32_t credit;  /**< SEND payload bytes to credit back */
	struct dp_app_send *park_head, *park_tail; /**< messages the engine had no room for */
	size_t parked;                             /**< their bytes */
	struct dp_app_send *gather; /**< a message arriving in pieces (DPSCTP_DESC_MORE) */
	bool gather_fail;    /**< the message being gathered failed: drop pieces until its last */
	bool shutdown_after; /**< SHUTDOWN once the parked messages are in the engine */
	bool told_close;     /**< the slot's CLOSING was applied to it */
};

/** Set up the application state of a new worker. */
void dp_app_worker_init(struct dp_worker *w);

/** Release it (queued copies, parked messages are freed with their associations). */
void dp_app_worker_fini(struct dp_worker *w);

/**
 * The endpoint of slot @p svc on this worker, created or brought up to date as the slot says
 * (state, gen), or NULL when the slot has none here (FREE, CLOSING and released, or creation
 * failed). Configured services always have theirs.
 */
struct dp_ep *dp_app_slot_ep(struct dp_worker *w, unsigned int svc);

/** Each loop, before the services run: sessions' requests, queued deliveries, parked sends. */
void dp_app_poll(struct dp_worker *w);

/** Each loop, at its end: publish what was produced, wake sleeping applications. */
void dp_app_flush(struct dp_worker *w);

/** Every DP_HOUSEKEEP_LOOPS: slots (gen changes, CLOSING progress) and sessions. */
void dp_app_housekeeping(struct dp_worker *w);

/** Upcall: user data of an association of an application endpoint. */
void dp_app_deliver(struct dp_worker *w, struct dp_assoc_ctx *c, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor);

/** Upcall: an event of an association of application endpoint @p e (@p c may be NULL). */
void dp_app_event(struct dp_worker *w, struct dp_ep *e, struct dp_assoc_ctx *c,
	const struct dpsctp_event *ev);

/**
 * Association work after input (busy list): consume, credit, parked sends.
 * @return 1 when done (off the busy list), 0 when parked messages wait, 2 when the association
 *         was freed meanwhile (@p c is gone and off the list already)
 */
int dp_app_assoc_run(struct dp_worker *w, struct dp_assoc_ctx *c);

/** The association is being freed (upcall): its parked messages fail, its credit goes back. */
void dp_app_assoc_release(struct dp_worker *w, struct dp_assoc_ctx *c);

#endif
