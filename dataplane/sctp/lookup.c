/* SPDX-License-Identifier: BSD-3-Clause */
/* The endpoint's association index (see lookup.h). */
#include <string.h>

#include "assoc.h"
#include "lookup.h"

#define TOMB ((struct dpsctp_assoc *)(uintptr_t)1)
#define MIN_CAP 16u

static uint32_t
hash_of(uint16_t peer_port, const struct dpsctp_addr *addr)
{
	/* FNV-1a over the port and the address bytes that matter */
	uint32_t h = 2166136261u ^ peer_port;
	size_t i, n = addr->family == 4 ? 4 : 16;

	h *= 16777619u;
	for (i = 0; i < n; i++) {
		h ^= addr->bytes[i];
		h *= 16777619u;
	}
	return h ^ (h >> 15);
}

static bool
same_key(const struct dpsctp_lookup_slot *s, uint32_t h, uint16_t peer_port,
	const struct dpsctp_addr *addr)
{
	return s->hash == h && s->peer_port == peer_port && s->addr.family == addr->family &&
		memcmp(s->addr.bytes, addr->bytes, 16) == 0;
}

struct dpsctp_assoc *
dpsctp_lookup_find(struct dpsctp_endpoint *ep, uint16_t peer_port, const struct dpsctp_addr *addr)
{
	struct dpsctp_lookup *ix = &ep->index;
	uint32_t h, i, n;

	if (ix->cap == 0)
		return NULL;
	h = hash_of(peer_port, addr);
	for (i = h & (ix->cap - 1), n = 0; n < ix->cap; i = (i + 1) & (ix->cap - 1), n++) {
		struct dpsctp_lookup_slot *s = &ix->slots[i];

		if (s->a == NULL)
			return NULL;
		if (s->a == TOMB || !same_key(s, h, peer_port, addr))
			continue;
		/* a hit is only a hint: the association must still have that port and address */
		if (s->a->peer_port == peer_port && dpsctp_assoc_has_peer_addr(s->a, addr))
			return s->a;
		s->a = TOMB;
		ix->used--;
		ix->tombs++;
		return NULL;
	}
	return NULL;
}

static void
insert(struct dpsctp_lookup *ix, uint32_t h, uint16_t peer_port, const struct dpsctp_addr *addr,
	struct dpsctp_assoc *a)
{
	uint32_t i;

	for (i = h & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		struct dpsctp_lookup_slot *s = &ix->slots[i];

		if (s->a == NULL || s->a == TOMB) {
			if (s->a == TOMB)
				ix->tombs--;
			s->a = a;
			s->hash = h;
			s->peer_port = peer_port;
			s->addr = *addr;
			ix->used++;
			return;
		}
	}
}

/* Room for one more entry at load <= 1/2, counting tombstones; false when memory is short. */
static bool
make_room(struct dpsctp_endpoint *ep)
{
	struct dpsctp_lookup *ix = &ep->index;
	struct dpsctp_lookup_slot *old = ix->slots;
	uint32_t old_cap = ix->cap, cap = MIN_CAP, i;

	if (ix->cap != 0 && 2 * (ix->used + ix->tombs + 1) <= ix->cap)
		return true;
	while (cap < 4 * (ix->used + 1))
		cap *= 2;
	ix->slots = ep->env.alloc(ep->env.ctx, cap * sizeof(*ix->slots));
	if (ix->slots == NULL) {
		ix->slots = old;
		/* no memory: go on filling the table we have while a free slot remains */
		return ix->cap != 0 && ix->used + ix->tombs + 1 < ix->cap;
	}
	memset(ix->slots, 0, cap * sizeof(*ix->slots));
	ix->cap = cap;
	ix->used = 0;
	ix->tombs = 0;
	for (i = 0; i < old_cap; i++)
		if (old[i].a != NULL && old[i].a != TOMB)
			insert(ix, old[i].hash, old[i].peer_port, &old[i].addr, old[i].a);
	if (old != NULL)
		ep->env.free(ep->env.ctx, old, old_cap * sizeof(*old));
	return true;
}

void
dpsctp_lookup_add(struct dpsctp_endpoint *ep, uint16_t peer_port, const struct dpsctp_addr *addr,
	struct dpsctp_assoc *a)
{
	uint32_t h = hash_of(peer_port, addr);

	if (!make_room(ep))
		return;
	insert(&ep->index, h, peer_port, addr, a);
}

void
dpsctp_lookup_forget(struct dpsctp_endpoint *ep, const struct dpsctp_assoc *a)
{
	struct dpsctp_lookup *ix = &ep->index;
	uint32_t i;

	for (i = 0; i < ix->cap; i++) {
		if (ix->slots[i].a == a) {
			ix->slots[i].a = TOMB;
			ix->used--;
			ix->tombs++;
		}
	}
	/* an endpoint without associations holds no index (and no memory for one) */
	if (ep->nassocs == 0)
		dpsctp_lookup_free(ep);
}

void
dpsctp_lookup_free(struct dpsctp_endpoint *ep)
{
	struct dpsctp_lookup *ix = &ep->index;

	if (ix->slots != NULL)
		ep->env.free(ep->env.ctx, ix->slots, ix->cap * sizeof(*ix->slots));
	memset(ix, 0, sizeof(*ix));
}
