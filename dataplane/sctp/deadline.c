/* SPDX-License-Identifier: BSD-3-Clause */
/* The endpoint's deadline heap (see deadline.h). */
#include <errno.h>
#include <string.h>

#include "assoc.h"
#include "deadline.h"

#define MIN_CAP 16u

static void
place(struct dpsctp_deadlines *d, uint32_t i, struct dpsctp_assoc *a)
{
	d->heap[i] = a;
	a->dl.idx = i;
}

static void
sift_up(struct dpsctp_deadlines *d, uint32_t i)
{
	struct dpsctp_assoc *a = d->heap[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (d->heap[parent]->dl.key <= a->dl.key)
			break;
		place(d, i, d->heap[parent]);
		i = parent;
	}
	place(d, i, a);
}

static void
sift_down(struct dpsctp_deadlines *d, uint32_t i)
{
	struct dpsctp_assoc *a = d->heap[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= d->n)
			break;
		if (c + 1 < d->n && d->heap[c + 1]->dl.key < d->heap[c]->dl.key)
			c++;
		if (a->dl.key <= d->heap[c]->dl.key)
			break;
		place(d, i, d->heap[c]);
		i = c;
	}
	place(d, i, a);
}

static void
heap_remove(struct dpsctp_deadlines *d, struct dpsctp_assoc *a)
{
	uint32_t i = a->dl.idx;
	struct dpsctp_assoc *last;

	if (i == DPSCTP_DL_NONE)
		return;
	a->dl.idx = DPSCTP_DL_NONE;
	last = d->heap[--d->n];
	if (last == a)
		return;
	place(d, i, last);
	sift_up(d, i);
	sift_down(d, last->dl.idx);
}

int
dpsctp_deadlines_reserve(struct dpsctp_endpoint *ep, uint32_t n)
{
	struct dpsctp_deadlines *d = &ep->dl;
	struct dpsctp_assoc **h;
	uint32_t cap = d->cap != 0 ? d->cap : MIN_CAP;

	if (n <= d->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	h = ep->env.alloc(ep->env.ctx, (size_t)cap * sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	if (d->n != 0)
		memcpy(h, d->heap, (size_t)d->n * sizeof(*h));
	if (d->heap != NULL)
		ep->env.free(ep->env.ctx, d->heap, (size_t)d->cap * sizeof(*h));
	d->heap = h;
	d->cap = cap;
	return 0;
}

void
dpsctp_deadlines_touch(struct dpsctp_assoc *a)
{
	struct dpsctp_deadlines *d = &a->ep->dl;

	if (a->dl.touched)
		return;
	a->dl.touched = true;
	a->dl.prev = NULL;
	a->dl.next = d->touched;
	if (d->touched != NULL)
		d->touched->dl.prev = a;
	d->touched = a;
}

static void
untouch(struct dpsctp_deadlines *d, struct dpsctp_assoc *a)
{
	if (!a->dl.touched)
		return;
	if (a->dl.prev != NULL)
		a->dl.prev->dl.next = a->dl.next;
	else
		d->touched = a->dl.next;
	if (a->dl.next != NULL)
		a->dl.next->dl.prev = a->dl.prev;
	a->dl.next = a->dl.prev = NULL;
	a->dl.touched = false;
}

void
dpsctp_deadlines_forget(struct dpsctp_assoc *a)
{
	struct dpsctp_deadlines *d = &a->ep->dl;

	untouch(d, a);
	heap_remove(d, a);
	/* the last one gone: the endpoint holds no memory for associations it does not have */
	if (a->ep->nassocs == 0)
		dpsctp_deadlines_free(a->ep);
}

/* Recompute the keys of the touched associations and put them where they belong. */
static void
refresh(struct dpsctp_deadlines *d)
{
	struct dpsctp_assoc *a;

	while ((a = d->touched) != NULL) {
		untouch(d, a);
		a->dl.key = dpsctp_assoc_next_deadline(a);
		if (a->dl.idx == DPSCTP_DL_NONE) {
			/* room was reserved when the association was made (dpsctp_assoc_new) */
			place(d, d->n++, a);
			sift_up(d, a->dl.idx);
		} else {
			sift_up(d, a->dl.idx);
			sift_down(d, a->dl.idx);
		}
	}
}

uint64_t
dpsctp_deadlines_next(struct dpsctp_endpoint *ep)
{
	refresh(&ep->dl);
	return ep->dl.n != 0 ? ep->dl.heap[0]->dl.key : DPSCTP_NEVER;
}

struct dpsctp_assoc *
dpsctp_deadlines_take_due(struct dpsctp_endpoint *ep, uint64_t now)
{
	struct dpsctp_deadlines *d = &ep->dl;
	struct dpsctp_assoc *first = NULL, **tail = &first;

	refresh(d);
	while (d->n != 0 && d->heap[0]->dl.key <= now) {
		struct dpsctp_assoc *a = d->heap[0];

		heap_remove(d, a);
		a->dl.next = NULL;
		*tail = a;
		tail = &a->dl.next;
	}
	return first;
}

void
dpsctp_deadlines_free(struct dpsctp_endpoint *ep)
{
	struct dpsctp_deadlines *d = &ep->dl;

	if (d->heap != NULL)
		ep->env.free(ep->env.ctx, d->heap, (size_t)d->cap * sizeof(d->heap[0]));
	memset(d, 0, sizeof(*d));
}
