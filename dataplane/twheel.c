/* SPDX-License-Identifier: BSD-3-Clause */
/* A hashed timer wheel (see twheel.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "twheel.h"

void
dp_twheel_init(struct dp_twheel *w, unsigned int tick_shift, uint64_t now)
{
	memset(w, 0, sizeof(*w));
	w->tick_shift = tick_shift;
	w->now_tick = now >> tick_shift;
}

void
dp_twheel_cancel(struct dp_twheel *w, struct dp_twheel_entry *e)
{
	if (e->pprev == NULL)
		return;
	*e->pprev = e->next;
	if (e->next != NULL)
		e->next->pprev = e->pprev;
	e->next = NULL;
	e->pprev = NULL;
	w->armed--;
}

void
dp_twheel_arm(struct dp_twheel *w, struct dp_twheel_entry *e, uint64_t deadline)
{
	uint64_t tick;
	struct dp_twheel_entry **head;

	dp_twheel_cancel(w, e);
	e->deadline = deadline;
	if (deadline == UINT64_MAX)
		return;
	tick = deadline >> w->tick_shift;
	/* a deadline already past goes into the slot processed next */
	if (tick <= w->now_tick)
		tick = w->now_tick + 1;
	head = &w->slot[tick & (DP_TWHEEL_SLOTS - 1)];
	e->next = *head;
	if (e->next != NULL)
		e->next->pprev = &e->next;
	e->pprev = head;
	*head = e;
	w->armed++;
}

unsigned int
dp_twheel_expire(struct dp_twheel *w, uint64_t now, struct dp_twheel_entry **out, unsigned int max)
{
	uint64_t target = now >> w->tick_shift;
	unsigned int n = 0;

	if (w->armed == 0) {
		w->now_tick = target;
		return 0;
	}
	/* one turn at most: after that every slot has been looked at once */
	if (target > w->now_tick + DP_TWHEEL_SLOTS)
		w->now_tick = target - DP_TWHEEL_SLOTS;
	while (w->now_tick < target && n < max) {
		uint64_t t = w->now_tick + 1;
		struct dp_twheel_entry *e = w->slot[t & (DP_TWHEEL_SLOTS - 1)], *next;

		for (; e != NULL && n < max; e = next) {
			next = e->next;
			if ((e->deadline >> w->tick_shift) <= target) {
				dp_twheel_cancel(w, e);
				out[n++] = e;
			}
		}
		if (e != NULL)
			break; /* out[] full: come back to this slot */
		w->now_tick = t;
	}
	return n;
}
