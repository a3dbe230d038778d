/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint's deadlines: a binary min-heap of its associations keyed by each one's next
 * deadline (dpsctp_assoc_next_deadline), so that the endpoint's next deadline is the top of the
 * heap and an expiry visits only the associations that are due, rather than walking all of them.
 *
 * An association's deadlines change only inside the engine's entry points and its output, which
 * all mark it touched (dpsctp_deadlines_touch, through dpsctp_assoc_wake). A touched association
 * is on a list and its key is recomputed at the next look at the heap (dpsctp_deadlines_next), so
 * a burst of packets for one association costs one recomputation. The heap has room for every
 * association from its creation on (dpsctp_deadlines_reserve), so keeping it never fails.
 */
#ifndef DPSCTP_SCTP_DEADLINE_H
#define DPSCTP_SCTP_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

struct dpsctp_endpoint;
struct dpsctp_assoc;

/** An association's place in its endpoint's deadlines (inside struct dpsctp_assoc). */
struct dpsctp_deadline_node {
	uint64_t key;                     /**< its next deadline when last computed */
	uint32_t idx;                     /**< its index in the heap; DPSCTP_DL_NONE: not in it */
	bool touched;                     /**< on the touched list: key to recompute */
	struct dpsctp_assoc *next, *prev; /**< touched list links */
};

#define DPSCTP_DL_NONE UINT32_MAX

/** The heap and the touched list (inside struct dpsctp_endpoint). */
struct dpsctp_deadlines {
	struct dpsctp_assoc **heap;
	uint32_t n, cap;
	struct dpsctp_assoc *touched;
};

/** Room for @p n associations. @return 0 or -ENOMEM (the endpoint's allocator failed). */
int dpsctp_deadlines_reserve(struct dpsctp_endpoint *ep, uint32_t n);

/** @p a (new, or its deadlines may have changed): its key is recomputed at the next look. */
void dpsctp_deadlines_touch(struct dpsctp_assoc *a);

/** @p a is being released (after it left the endpoint's list): out of the heap and the
 *  touched list; the heap's memory goes with the endpoint's last association. */
void dpsctp_deadlines_forget(struct dpsctp_assoc *a);

/** The earliest deadline of every association (DPSCTP_NEVER: none), keys brought up to date. */
uint64_t dpsctp_deadlines_next(struct dpsctp_endpoint *ep);

/**
 * Take the associations due at @p now out of the heap (keys brought up to date first), linked
 * through their node's @c next; each is touched again when the caller is done with it.
 * @return the first, or NULL
 */
struct dpsctp_assoc *dpsctp_deadlines_take_due(struct dpsctp_endpoint *ep, uint64_t now);

/** Release the heap (the endpoint is destroyed; its associations are gone). */
void dpsctp_deadlines_free(struct dpsctp_endpoint *ep);

#endif
