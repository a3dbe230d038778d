/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table (neigh.h): insert, lookup, update, static entries, resolution requests,
 * ageing, a full table, tombstones and their reuse, a differential test against a plain array
 * model, and one writer thread against one reader thread checking that no MAC is ever torn.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "inet.h"
#include "neigh.h"
#include "testenv.h"

#define SEC 1000000000ull

static struct dp_neigh_table tbl;
static struct dp_neigh_entry *slots;

static void
setup(void)
{
	slots = calloc(256, sizeof(*slots));
	cr_assert_not_null(slots);
	cr_assert_eq(dp_neigh_init(&tbl, slots, 16), 0);
}

static void
teardown(void)
{
	free(slots);
}

TestSuite(neigh, .init = setup, .fini = teardown);

static struct dpsctp_addr
v4(uint32_t host)
{
	struct dpsctp_addr a;

	dp_inet_addr_v4(&a, host);
	return a;
}

static struct dpsctp_addr
v6(uint16_t last)
{
	uint8_t b[16] = {0xfe, 0x80};
	struct dpsctp_addr a;

	b[14] = (uint8_t)(last >> 8);
	b[15] = (uint8_t)last;
	dp_inet_addr_v6(&a, b);
	return a;
}

static const uint8_t mac1[6] = {0x02, 1, 1, 1, 1, 1};
static const uint8_t mac2[6] = {0x02, 2, 2, 2, 2, 2};

static void
assert_mac(uint16_t port, const struct dpsctp_addr *ip, const uint8_t want[6])
{
	uint8_t mac[6];
	int rc = dp_neigh_lookup(&tbl, port, ip, mac);

	cr_assert_eq(rc, 0, "lookup: %d", rc);
	cr_assert_arr_eq(mac, want, 6);
}

static void
assert_absent(uint16_t port, const struct dpsctp_addr *ip)
{
	uint8_t mac[6];

	cr_assert_eq(dp_neigh_lookup(&tbl, port, ip, mac), -ENOENT);
}

static const struct dp_neigh_info *
info_of(uint16_t port, const struct dpsctp_addr *ip)
{
	static struct dp_neigh_info all[256];
	size_t n = dp_neigh_snapshot(&tbl, all, 256), i;

	for (i = 0; i < n; i++)
		if (all[i].port == port && dp_inet_addr_eq(&all[i].ip, ip))
			return &all[i];
	return NULL;
}

Test(neigh, init_wants_a_power_of_two_and_memory)
{
	struct dp_neigh_table t;

	cr_assert_eq(dp_neigh_init(&t, slots, 0), -EINVAL);
	cr_assert_eq(dp_neigh_init(&t, slots, 12), -EINVAL);
	cr_assert_eq(dp_neigh_init(&t, NULL, 16), -EINVAL);
	cr_assert_eq(dp_neigh_init(&t, slots, 1), 0);
	cr_assert_eq(dp_neigh_init(&t, slots, 256), 0);
	cr_assert_eq(dp_neigh_count(&t), 0);
	cr_assert_eq(dp_neigh_mem_size(256), 256 * 64);
}

Test(neigh, inserted_entry_is_found_by_port_and_address_only)
{
	struct dpsctp_addr a = v4(0x0a000001), b = v4(0x0a000002), c = v6(1), a2 = a;

	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac1, 5, false), 1);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &c, mac2, 5, false), 1);
	assert_mac(0, &a, mac1);
	assert_mac(0, &c, mac2);
	assert_absent(1, &a);
	assert_absent(0, &b);
	a2.bytes[9] = 0x99; /* beyond the IPv4 address: not part of the key */
	assert_mac(0, &a2, mac1);
	cr_assert_eq(dp_neigh_count(&tbl), 2);
	cr_assert_eq(info_of(0, &a)->state, DP_NEIGH_REACHABLE);
	cr_assert_eq(info_of(0, &a)->confirmed, 5);
}

Test(neigh, update_reports_whether_anything_changed)
{
	struct dpsctp_addr a = v4(0x0a000001);

	cr_assert_eq(dp_neigh_update(&tbl, 3, &a, mac1, 10, false), 1);
	cr_assert_eq(dp_neigh_update(&tbl, 3, &a, mac1, 20, false), 0, "a refresh");
	cr_assert_eq(info_of(3, &a)->confirmed, 20);
	cr_assert_eq(dp_neigh_update(&tbl, 3, &a, mac2, 30, false), 1, "the MAC moved");
	assert_mac(3, &a, mac2);
	cr_assert_eq(dp_neigh_count(&tbl), 1);
}

Test(neigh, static_entry_is_not_overwritten_by_learning)
{
	struct dpsctp_addr a = v4(0x0a000001);

	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac1, 1, true), 1);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac2, 2, false), -EPERM);
	assert_mac(0, &a, mac1);
	cr_assert_eq(info_of(0, &a)->state, DP_NEIGH_STATIC);
	cr_assert_eq(info_of(0, &a)->confirmed, 1);
	cr_assert_eq(dp_neigh_age(&tbl, 1000 * SEC, SEC), 0, "never aged");
	assert_mac(0, &a, mac1);
	cr_assert_eq(dp_neigh_want(&tbl, 0, &a, 5, SEC), 0, "nothing to resolve");
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac2, 3, true), 1, "configuration may");
	assert_mac(0, &a, mac2);
	cr_assert_eq(dp_neigh_delete(&tbl, 0, &a), 0);
	assert_absent(0, &a);
}

Test(neigh, learning_a_group_or_zero_mac_is_refused)
{
	struct dpsctp_addr a = v4(0x0a000001), bad = {.family = 5};
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
	const uint8_t zero[6] = {0};

	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, bcast, 1, false), -EINVAL);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mcast, 1, false), -EINVAL);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, zero, 1, false), -EINVAL);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &bad, mac1, 1, false), -EINVAL);
	cr_assert_eq(dp_neigh_want(&tbl, 0, &bad, 1, 1), -EINVAL);
	cr_assert_eq(dp_neigh_count(&tbl), 0);
}

Test(neigh, want_creates_incomplete_entry_and_rate_limits_requests)
{
	struct dpsctp_addr a = v6(7);

	cr_assert_eq(dp_neigh_want(&tbl, 1, &a, 100 * SEC, SEC), 1);
	assert_absent(1, &a); /* INCOMPLETE reads as absent */
	cr_assert_eq(info_of(1, &a)->state, DP_NEIGH_INCOMPLETE);
	cr_assert_eq(info_of(1, &a)->req_count, 1);
	cr_assert_eq(dp_neigh_want(&tbl, 1, &a, 100 * SEC + SEC / 2, SEC), 0);
	cr_assert_eq(dp_neigh_want(&tbl, 1, &a, 101 * SEC - 1, SEC), 0);
	cr_assert_eq(dp_neigh_want(&tbl, 1, &a, 101 * SEC, SEC), 1);
	cr_assert_eq(info_of(1, &a)->req_count, 2);
	cr_assert_eq(info_of(1, &a)->req_last, 101 * SEC);

	cr_assert_eq(dp_neigh_update(&tbl, 1, &a, mac1, 102 * SEC, false), 1, "resolved");
	assert_mac(1, &a, mac1);
	cr_assert_eq(info_of(1, &a)->req_count, 0);
	cr_assert_eq(dp_neigh_want(&tbl, 1, &a, 200 * SEC, SEC), 0, "already resolved");
	cr_assert_eq(dp_neigh_count(&tbl), 1);
}

Test(neigh, ageing_removes_stale_reachable_and_unwanted_incomplete_entries)
{
	struct dpsctp_addr old = v4(1), fresh = v4(2), pending = v4(3), stat = v4(4);

	dp_neigh_update(&tbl, 0, &old, mac1, 10 * SEC, false);
	dp_neigh_update(&tbl, 0, &fresh, mac1, 50 * SEC, false);
	dp_neigh_want(&tbl, 0, &pending, 20 * SEC, SEC);
	dp_neigh_update(&tbl, 0, &stat, mac2, 0, true);
	cr_assert_eq(dp_neigh_count(&tbl), 4);

	/* At 40 s: 30 s is not older than 30 s, and a stamp from the future (50 s) is age 0. */
	cr_assert_eq(dp_neigh_age(&tbl, 40 * SEC, 30 * SEC), 0);
	cr_assert_eq(dp_neigh_age(&tbl, 60 * SEC, 30 * SEC), 2);
	assert_absent(0, &old);
	cr_assert_null(info_of(0, &pending));
	assert_mac(0, &fresh, mac1);
	assert_mac(0, &stat, mac2);
	cr_assert_eq(dp_neigh_count(&tbl), 2);
	cr_assert_eq(dp_neigh_age(&tbl, 81 * SEC, 30 * SEC), 1);
	cr_assert_eq(dp_neigh_count(&tbl), 1);
}

Test(neigh, full_table_refuses_new_entries_and_lookups_still_end)
{
	struct dpsctp_addr a;
	uint32_t i;

	cr_assert_eq(dp_neigh_init(&tbl, slots, 8), 0);
	for (i = 0; i < 8; i++) {
		a = v4(0x0a000000 + i);
		cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac1, 1, false), 1);
	}
	a = v4(0x0a0000ff);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac1, 1, false), -ENOSPC);
	cr_assert_eq(dp_neigh_want(&tbl, 0, &a, 1, 1), -ENOSPC);
	assert_absent(0, &a); /* probes every slot, finds no empty one, stops */
	a = v4(0x0a000003);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac2, 2, false), 1, "updates still work");
	assert_mac(0, &a, mac2);
	cr_assert_eq(dp_neigh_count(&tbl), 8);
}

Test(neigh, deleted_entry_leaves_a_tombstone_that_keeps_chains_and_is_reused)
{
	struct dpsctp_addr a;
	uint32_t i;

	cr_assert_eq(dp_neigh_init(&tbl, slots, 8), 0);
	for (i = 0; i < 8; i++) {
		a = v4(0x0a000000 + i);
		dp_neigh_update(&tbl, 0, &a, mac1, 1, false);
	}
	/* Full: no empty slot follows any entry, so deleting leaves a tombstone. */
	a = v4(0x0a000005);
	cr_assert_eq(dp_neigh_delete(&tbl, 0, &a), 0);
	cr_assert_eq(dp_neigh_delete(&tbl, 0, &a), -ENOENT);
	cr_assert_eq(tbl.tombstones, 1);
	cr_assert_eq(dp_neigh_count(&tbl), 7);
	assert_absent(0, &a);
	for (i = 0; i < 8; i++) {
		a = v4(0x0a000000 + i);
		if (i != 5)
			assert_mac(0, &a, mac1); /* chains passing the tombstone still reach them */
	}
	a = v4(0x0a0000aa);
	cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac2, 1, false), 1, "the tombstone is reused");
	cr_assert_eq(tbl.tombstones, 0);
	assert_mac(0, &a, mac2);
	cr_assert_eq(dp_neigh_count(&tbl), 8);
}

Test(neigh, removing_every_entry_leaves_no_tombstone)
{
	struct dpsctp_addr a;
	uint32_t i;

	cr_assert_eq(dp_neigh_init(&tbl, slots, 16), 0);
	for (i = 0; i < 15; i++) {
		a = v4(0x0a000000 + i * 7);
		dp_neigh_update(&tbl, 0, &a, mac1, 1, false);
	}
	for (i = 0; i < 15; i++) {
		a = v4(0x0a000000 + ((i * 11) % 15) * 7); /* another order */
		cr_assert_eq(dp_neigh_delete(&tbl, 0, &a), 0);
	}
	cr_assert_eq(dp_neigh_count(&tbl), 0);
	cr_assert_eq(tbl.tombstones, 0);
	for (i = 0; i < 16; i++)
		cr_assert_eq(slots[i].state, DP_NEIGH_EMPTY, "slot %u", i);
}

Test(neigh, state_names)
{
	cr_assert_str_eq(dp_neigh_state_name(DP_NEIGH_INCOMPLETE), "incomplete");
	cr_assert_str_eq(dp_neigh_state_name(DP_NEIGH_REACHABLE), "reachable");
	cr_assert_str_eq(dp_neigh_state_name(DP_NEIGH_STATIC), "static");
	cr_assert_null(dp_neigh_state_name(99));
}

/*
 * Differential test: random updates, deletes, wants and ageing over 40 keys in 32 slots
 * (so the table fills up), checked against a plain array after every step.
 */
#define NKEYS 40

struct model {
	bool present;
	bool resolved;
	bool is_static;
	uint8_t mac;
	uint64_t confirmed;
	uint64_t req_last;
};

static struct dpsctp_addr
key_addr(unsigned int k)
{
	return k % 2 ? v4(0xc0a80000 + k) : v6((uint16_t)k);
}

Test(neigh, random_operations_agree_with_a_plain_model)
{
	struct model m[NKEYS];
	uint64_t rng = 42, now = 0;
	unsigned int step, k;

	memset(m, 0, sizeof(m));
	cr_assert_eq(dp_neigh_init(&tbl, slots, 32), 0);
	for (step = 0; step < 20000; step++) {
		uint64_t r = testenv_splitmix64(&rng);
		unsigned int op = (unsigned int)(r % 100);
		struct dpsctp_addr a;
		uint16_t port;
		uint32_t used = 0;
		int rc;

		k = (unsigned int)((r >> 8) % NKEYS);
		port = (uint16_t)(k % 3);
		a = key_addr(k);
		now += (r >> 32) % (SEC / 4);
		if (op < 45) {
			uint8_t b = (uint8_t)(2 + 2 * ((r >> 16) % 100));
			uint8_t mac[6] = {b, b, b, b, b, b};
			bool st = ((r >> 24) % 16) == 0;

			for (unsigned int j = 0; j < NKEYS; j++)
				used += m[j].present;
			rc = dp_neigh_update(&tbl, port, &a, mac, now, st);
			if (m[k].present && m[k].is_static && !st) {
				cr_assert_eq(rc, -EPERM);
			} else if (!m[k].present && used == 32) {
				cr_assert_eq(rc, -ENOSPC);
			} else {
				cr_assert_geq(rc, 0);
				m[k] = (struct model){true, true, st, b, now, m[k].req_last};
			}
		} else if (op < 65) {
			rc = dp_neigh_delete(&tbl, port, &a);
			cr_assert_eq(rc, m[k].present ? 0 : -ENOENT);
			m[k].present = false;
		} else if (op < 95) {
			for (unsigned int j = 0; j < NKEYS; j++)
				used += m[j].present;
			rc = dp_neigh_want(&tbl, port, &a, now, SEC);
			if (!m[k].present) {
				if (used == 32) {
					cr_assert_eq(rc, -ENOSPC);
				} else {
					cr_assert_eq(rc, 1);
					m[k] = (struct model){true, false, false, 0, 0, now};
				}
			} else if (m[k].resolved || now - m[k].req_last < SEC) {
				cr_assert_eq(rc, 0);
			} else {
				cr_assert_eq(rc, 1);
				m[k].req_last = now;
			}
		} else {
			unsigned int want = 0;

			for (unsigned int j = 0; j < NKEYS; j++) {
				if (!m[j].present || m[j].is_static)
					continue;
				if ((m[j].resolved && now - m[j].confirmed > 3 * SEC) ||
					(!m[j].resolved && now - m[j].req_last > 3 * SEC)) {
					m[j].present = false;
					want++;
				}
			}
			cr_assert_eq(dp_neigh_age(&tbl, now, 3 * SEC), want, "step %u", step);
		}

		used = 0;
		for (unsigned int j = 0; j < NKEYS; j++) {
			struct dpsctp_addr b = key_addr(j);
			uint8_t mac[6];

			rc = dp_neigh_lookup(&tbl, (uint16_t)(j % 3), &b, mac);
			used += m[j].present;
			if (m[j].present && m[j].resolved) {
				cr_assert_eq(rc, 0, "step %u key %u: %d", step, j, rc);
				cr_assert_eq(mac[0], m[j].mac);
				cr_assert_eq(mac[5], m[j].mac);
			} else {
				cr_assert_eq(rc, -ENOENT, "step %u key %u", step, j);
			}
		}
		cr_assert_eq(dp_neigh_count(&tbl), used);
		cr_assert_leq(tbl.tombstones + used, 32);
	}
}

/*
 * One writer, one reader.
 */
#define RACE_KEYS 8
#define RACE_ROUNDS 200000

struct race {
	int started;      /* set by the reader when it runs (atomic) */
	int done;         /* set by the writer when it stops (atomic) */
	uint64_t lookups; /* reader: successful lookups */
	uint64_t torn;    /* reader: MACs whose bytes differ */
	uint64_t lost;    /* reader: a never-deleted key reported absent */
	uint64_t busy;    /* reader: -EAGAIN (writer held a slot too long) */
};

static void *
race_reader(void *arg)
{
	struct race *r = arg;
	unsigned int k = 0;

	__atomic_store_n(&r->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		struct dpsctp_addr a = v4(0x0a000100 + k);
		uint8_t mac[6];
		int rc = dp_neigh_lookup(&tbl, 0, &a, mac);

		if (rc == 0) {
			r->lookups++;
			if (memcmp(mac, mac + 1, 5) != 0 || mac[0] == 0 || (mac[0] & 1) != 0)
				r->torn++;
		} else if (rc == -EAGAIN) {
			r->busy++;
		} else if (k < RACE_KEYS / 2) {
			r->lost++; /* keys 0-3 are never deleted */
		}
		k = (k + 1) % RACE_KEYS;
	}
	return NULL;
}

Test(neigh, concurrent_reader_never_sees_a_torn_mac)
{
	struct race r;
	pthread_t th;
	unsigned int i, k;

	memset(&r, 0, sizeof(r));
	cr_assert_eq(dp_neigh_init(&tbl, slots, 16), 0);
	for (k = 0; k < RACE_KEYS; k++) {
		struct dpsctp_addr a = v4(0x0a000100 + k);
		const uint8_t mac[6] = {2, 2, 2, 2, 2, 2};

		cr_assert_eq(dp_neigh_update(&tbl, 0, &a, mac, 0, false), 1);
	}
	cr_assert_eq(pthread_create(&th, NULL, race_reader, &r), 0);
	while (!__atomic_load_n(&r.started, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < RACE_ROUNDS; i++) {
		uint8_t b = (uint8_t)(2 + 2 * (i % 127));
		const uint8_t mac[6] = {b, b, b, b, b, b};
		struct dpsctp_addr a;

		k = i % RACE_KEYS;
		a = v4(0x0a000100 + k);
		/* Keys 4-7 also come and go, so that tombstones are made and reused. */
		if (k >= RACE_KEYS / 2 && i % 3 == 0)
			dp_neigh_delete(&tbl, 0, &a);
		cr_assert_geq(dp_neigh_update(&tbl, 0, &a, mac, i, false), 0);
	}
	__atomic_store_n(&r.done, 1, __ATOMIC_RELEASE);
	cr_assert_eq(pthread_join(th, NULL), 0);

	cr_assert_eq(r.torn, 0, "%llu torn MACs in %llu lookups", (unsigned long long)r.torn,
		(unsigned long long)r.lookups);
	cr_assert_eq(r.lost, 0, "%llu lookups lost a stable key", (unsigned long long)r.lost);
	cr_assert_gt(r.lookups, 0);
}
