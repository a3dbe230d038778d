/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A hashed timer wheel over nanosecond deadlines: O(1) to arm, re-arm and cancel, and the
 * per-iteration check is one comparison until the next slot is due. The worker arms one entry per
 * engine endpoint with dpsctp_endpoint_next_deadline() and expires the endpoint when it fires.
 * Entries further away than one turn sit in their slot and are skipped until their turn comes.
 */
#ifndef DPSCTP_DATAPLANE_TWHEEL_H
#define DPSCTP_DATAPLANE_TWHEEL_H

#include <stdbool.h>
#include <stdint.h>

#define DP_TWHEEL_SLOTS 256 /**< slots per turn (power of two) */

/** One timer, embedded in its owner. */
struct dp_twheel_entry {
	struct dp_twheel_entry *next, **pprev; /**< slot list links; pprev NULL when not armed */
	uint64_t deadline;                     /**< ns */
	void *owner;                           /**< given back when it fires */
};

/** The wheel. */
struct dp_twheel {
	struct dp_twheel_entry *slot[DP_TWHEEL_SLOTS];
	unsigned int tick_shift; /**< a slot covers 2^tick_shift ns */
	uint64_t now_tick;       /**< the tick processed last */
	unsigned int armed;      /**< entries armed */
};

/** Empty wheel whose slots are 2^@p tick_shift ns wide, starting at time @p now. */
void dp_twheel_init(struct dp_twheel *w, unsigned int tick_shift, uint64_t now);

/** Arm (or re-arm) @p e for @p deadline (UINT64_MAX cancels). */
void dp_twheel_arm(struct dp_twheel *w, struct dp_twheel_entry *e, uint64_t deadline);

/** Cancel @p e if armed. */
void dp_twheel_cancel(struct dp_twheel *w, struct dp_twheel_entry *e);

/**
 * Take the entries due at @p now: up to @p max of them are unlinked and written to @p out.
 * @return how many
 */
unsigned int dp_twheel_expire(struct dp_twheel *w, uint64_t now, struct dp_twheel_entry **out,
	unsigned int max);

/** True when @p e is armed. */
static inline bool
dp_twheel_armed(const struct dp_twheel_entry *e)
{
	return e->pprev != NULL;
}

#endif
