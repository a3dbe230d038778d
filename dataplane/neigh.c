/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table (neigh.h): open addressing, one writer, seqlock readers.
 *
 * The seqlock follows Boehm, "Can seqlocks get along with programming language memory
 * models?" (MSPC 2012): the writer makes the counter odd (relaxed), issues a release fence,
 * stores the fields (relaxed atomics), then makes the counter even with a release store; a
 * reader loads the counter (acquire), loads the fields (relaxed atomics), issues an acquire
 * fence and loads the counter again. Every field is accessed atomically, so there is no data
 * race in the C11 sense and sanitizers have nothing to report.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_pause.h>

#include "neigh.h"

_Static_assert(sizeof(struct dp_neigh_entry) == 64, "one neighbour entry per cache line");

/* Reader attempts on a slot the writer holds before giving up with -EAGAIN. */
#define READ_TRIES 4096

/* A slot's contents as a reader copies them. */
struct slot_copy {
	uint8_t state;
	uint8_t family;
	uint16_t port;
	uint64_t ip[2];
	uint64_t mac;
	uint64_t confirmed;
	uint64_t req_last;
	uint32_t req_count;
};

static void
key_words(const struct dpsctp_addr *ip, uint64_t w[2])
{
	/* IPv4 keys use the first 4 bytes only, whatever the caller left in the others. */
	memset(w, 0, 16);
	memcpy(w, ip->bytes, ip->family == 4 ? 4 : 16);
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint32_t
key_hash(uint16_t port, uint8_t family, const uint64_t w[2])
{
	uint64_t z = w[0] ^ (w[1] * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)port << 8) ^ family;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

/* Time since @p then; 0 for a stamp in the future (another lcore's slightly later clock). */
static uint64_t
elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static uint64_t
mac_word(const uint8_t mac[6])
{
	uint64_t w = 0;

	memcpy(&w, mac, 6);
	return w;
}

/*
 * Reader side: copy slot @p e consistently. 0, or -EAGAIN when the writer held it for all
 * READ_TRIES attempts.
 */
static int
slot_read(const struct dp_neigh_entry *e, struct slot_copy *c)
{
	unsigned int tries;

	for (tries = 0; tries < READ_TRIES; tries++) {
		uint32_t s1 = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
		uint32_t s2;

		if ((s1 & 1) != 0) {
			rte_pause();
			continue;
		}
		c->state = __atomic_load_n(&e->state, __ATOMIC_RELAXED);
		c->family = __atomic_load_n(&e->family, __ATOMIC_RELAXED);
		c->port = __atomic_load_n(&e->port, __ATOMIC_RELAXED);
		c->ip[0] = __atomic_load_n(&e->ip[0], __ATOMIC_RELAXED);
		c->ip[1] = __atomic_load_n(&e->ip[1], __ATOMIC_RELAXED);
		c->mac = __atomic_load_n(&e->mac, __ATOMIC_RELAXED);
		c->confirmed = __atomic_load_n(&e->confirmed, __ATOMIC_RELAXED);
		c->req_last = __atomic_load_n(&e->req_last, __ATOMIC_RELAXED);
		c->req_count = __atomic_load_n(&e->req_count, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&e->seq, __ATOMIC_RELAXED);
		if (s1 == s2)
			return 0;
	}
	return -EAGAIN;
}

/*
 * Writer side. Only the writer stores, so it may read its own slots with plain loads; its
 * stores are atomic because readers load concurrently.
 */
static void
write_begin(struct dp_neigh_entry *e)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void
write_end(struct dp_neigh_entry *e)
{
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
}

#define STORE(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)

static bool
slot_has_key(const struct dp_neigh_entry *e, uint16_t port, uint8_t family, const uint64_t w[2])
{
	return e->state >= DP_NEIGH_INCOMPLETE && e->port == port && e->family == family &&
	       e->ip[0] == w[0] && e->ip[1] == w[1];
}

/*
 * Writer: the slot holding the key, or -1; @p free_slot gets the first TOMBSTONE or EMPTY
 * slot of the probe chain (-1 when the chain covers the whole table without one).
 */
static int64_t
find(const struct dp_neigh_table *t, uint16_t port, uint8_t family, const uint64_t w[2],
	int64_t *free_slot)
{
	uint32_t i = key_hash(port, family, w) & t->mask;
	uint64_t n;

	*free_slot = -1;
	for (n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
		const struct dp_neigh_entry *e = &t->slots[i];

		if (e->state == DP_NEIGH_EMPTY) {
			if (*free_slot < 0)
				*free_slot = i;
			return -1;
		}
		if (e->state == DP_NEIGH_TOMBSTONE) {
			if (*free_slot < 0)
				*free_slot = i;
			continue;
		}
		if (slot_has_key(e, port, family, w))
			return i;
	}
	return -1;
}

static void
set_state(struct dp_neigh_entry *e, uint8_t state)
{
	write_begin(e);
	STORE(e->state, state);
	write_end(e);
}

/*
 * Writer: remove the entry in slot @p i. When the next slot is EMPTY no probe chain goes
 * through @p i, nor through the tombstones right before it: they all become EMPTY again.
 */
static void
slot_remove(struct dp_neigh_table *t, uint32_t i)
{
	uint32_t n;

	t->used--;
	if (t->slots[(i + 1) & t->mask].state != DP_NEIGH_EMPTY) {
		set_state(&t->slots[i], DP_NEIGH_TOMBSTONE);
		t->tombstones++;
		return;
	}
	set_state(&t->slots[i], DP_NEIGH_EMPTY);
	for (n = 0; n < t->mask; n++) {
		i = (i - 1) & t->mask;
		if (t->slots[i].state != DP_NEIGH_TOMBSTONE)
			break;
		set_state(&t->slots[i], DP_NEIGH_EMPTY);
		t->tombstones--;
	}
}

/* Writer: a new entry in the free slot @p i. */
static void
slot_insert(struct dp_neigh_table *t, uint32_t i, uint16_t port, uint8_t family,
	const uint64_t w[2], uint8_t state, uint64_t mac, uint64_t confirmed, uint64_t req_last,
	uint32_t req_count)
{
	struct dp_neigh_entry *e = &t->slots[i];

	if (e->state == DP_NEIGH_TOMBSTONE)
		t->tombstones--;
	t->used++;
	write_begin(e);
	STORE(e->port, port);
	STORE(e->family, family);
	STORE(e->ip[0], w[0]);
	STORE(e->ip[1], w[1]);
	STORE(e->mac, mac);
	STORE(e->confirmed, confirmed);
	STORE(e->req_last, req_last);
	STORE(e->req_count, req_count);
	STORE(e->state, state);
	write_end(e);
}

int
dp_neigh_init(struct dp_neigh_table *t, struct dp_neigh_entry *slots, uint32_t cap)
{
	if (slots == NULL || cap == 0 || (cap & (cap - 1)) != 0 || cap > (1u << 31))
		return -EINVAL;
	memset(slots, 0, dp_neigh_mem_size(cap));
	t->slots = slots;
	t->mask = cap - 1;
	t->used = 0;
	t->tombstones = 0;
	return 0;
}

int
dp_neigh_lookup(
	const struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip, uint8_t mac[6])
{
	uint64_t w[2];
	uint32_t i;
	uint64_t n;

	if (ip->family != 4 && ip->family != 6)
		return -ENOENT;
	key_words(ip, w);
	i = key_hash(port, ip->family, w) & t->mask;
	for (n = 0; n <= t->mask; n++, i = (i + 1) & t->mask) {
		struct slot_copy c;

		if (slot_read(&t->slots[i], &c) != 0)
			return -EAGAIN;
		if (c.state == DP_NEIGH_EMPTY)
			return -ENOENT;
		if (c.state == DP_NEIGH_TOMBSTONE)
			continue;
		if (c.port != port || c.family != ip->family || c.ip[0] != w[0] || c.ip[1] != w[1])
			continue;
		if (c.state == DP_NEIGH_INCOMPLETE)
			return -ENOENT;
		memcpy(mac, &c.mac, 6);
		return 0;
	}
	return -ENOENT;
}

int
dp_neigh_update(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip,
	const uint8_t mac[6], uint64_t now, bool is_static)
{
	static const uint8_t zero[6];
	uint8_t state = is_static ? DP_NEIGH_STATIC : DP_NEIGH_REACHABLE;
	uint64_t w[2], m;
	int64_t at, free_slot;
	struct dp_neigh_entry *e;
	bool changed;

	/* A group MAC would turn our unicast into a flood: never learn one (nor a zero one). */
	if ((ip->family != 4 && ip->family != 6) || (mac[0] & 0x01) != 0 ||
		memcmp(mac, zero, 6) == 0)
		return -EINVAL;
	key_words(ip, w);
	m = mac_word(mac);
	at = find(t, port, ip->family, w, &free_slot);
	if (at < 0) {
		if (free_slot < 0)
			return -ENOSPC;
		slot_insert(t, (uint32_t)free_slot, port, ip->family, w, state, m, now, 0, 0);
		return 1;
	}
	e = &t->slots[at];
	if (e->state == DP_NEIGH_STATIC && !is_static)
		return -EPERM;
	changed = e->state != state || e->mac != m;
	write_begin(e);
	STORE(e->mac, m);
	STORE(e->confirmed, now);
	STORE(e->req_count, 0);
	STORE(e->state, state);
	write_end(e);
	return changed ? 1 : 0;
}

int
dp_neigh_want(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip, uint64_t now,
	uint64_t retry_ns)
{
	uint64_t w[2];
	int64_t at, free_slot;
	struct dp_neigh_entry *e;

	if (ip->family != 4 && ip->family != 6)
		return -EINVAL;
	key_words(ip, w);
	at = find(t, port, ip->family, w, &free_slot);
	if (at < 0) {
		if (free_slot < 0)
			return -ENOSPC;
		slot_insert(t, (uint32_t)free_slot, port, ip->family, w, DP_NEIGH_INCOMPLETE, 0, 0,
			now, 1);
		return 1;
	}
	e = &t->slots[at];
	if (e->state != DP_NEIGH_INCOMPLETE)
		return 0;
	if (elapsed(now, e->req_last) < retry_ns)
		return 0;
	write_begin(e);
	STORE(e->req_last, now);
	STORE(e->req_count, e->req_count + 1);
	write_end(e);
	return 1;
}

int
dp_neigh_delete(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip)
{
	uint64_t w[2];
	int64_t at, free_slot;

	if (ip->family != 4 && ip->family != 6)
		return -ENOENT;
	key_words(ip, w);
	at = find(t, port, ip->family, w, &free_slot);
	if (at < 0)
		return -ENOENT;
	slot_remove(t, (uint32_t)at);
	return 0;
}

unsigned int
dp_neigh_age(struct dp_neigh_table *t, uint64_t now, uint64_t timeout_ns)
{
	unsigned int removed = 0;
	uint64_t i;

	for (i = 0; i <= t->mask; i++) {
		const struct dp_neigh_entry *e = &t->slots[i];

		if ((e->state == DP_NEIGH_REACHABLE && elapsed(now, e->confirmed) > timeout_ns) ||
			(e->state == DP_NEIGH_INCOMPLETE &&
				elapsed(now, e->req_last) > timeout_ns)) {
			slot_remove(t, (uint32_t)i);
			removed++;
		}
	}
	return removed;
}

uint32_t
dp_neigh_count(const struct dp_neigh_table *t)
{
	return t->used;
}

size_t
dp_neigh_snapshot(const struct dp_neigh_table *t, struct dp_neigh_info *out, size_t max)
{
	size_t n = 0;
	uint64_t i;

	for (i = 0; i <= t->mask && n < max; i++) {
		struct dp_neigh_info *o = &out[n];
		struct slot_copy c;

		if (slot_read(&t->slots[i], &c) != 0 || c.state < DP_NEIGH_INCOMPLETE)
			continue;
		memset(o, 0, sizeof(*o));
		o->port = c.port;
		o->state = c.state;
		memcpy(o->mac, &c.mac, 6);
		o->ip.family = c.family;
		memcpy(o->ip.bytes, c.ip, 16);
		o->confirmed = c.confirmed;
		o->req_last = c.req_last;
		o->req_count = c.req_count;
		n++;
	}
	return n;
}

const char *
dp_neigh_state_name(int state)
{
	switch (state) {
	case DP_NEIGH_EMPTY:
		return "empty";
	case DP_NEIGH_TOMBSTONE:
		return "tombstone";
	case DP_NEIGH_INCOMPLETE:
		return "incomplete";
	case DP_NEIGH_REACHABLE:
		return "reachable";
	case DP_NEIGH_STATIC:
		return "static";
	default:
		return NULL;
	}
}
