/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receiver's TSN map (tsnmap.h): RFC 1982 serial arithmetic as RFC 9260 1.6 uses it,
 * cumulative TSN and gap ack blocks (RFC 9260 6.2, 6.7, 3.3.4), duplicate reporting (3.3.4),
 * the window limit, FORWARD-TSN (RFC 3758 3.6), 2^32 wrap-around, and a differential test
 * against a naive model that works in unwrapped 64-bit TSNs.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tsnmap.h"

TestSuite(tsnmap);

#define W DPSCTP_TSNMAP_WINDOW
#define MAXD DPSCTP_TSNMAP_MAX_DUPS

static struct dpsctp_gap_block gaps[W];

static size_t
all_gaps(const struct dpsctp_tsnmap *m)
{
	return dpsctp_tsnmap_gap_blocks(m, gaps, W);
}

static void
assert_gap(size_t i, uint16_t start, uint16_t end)
{
	cr_assert_eq(gaps[i].start, start, "gap %zu start %u, want %u", i, gaps[i].start, start);
	cr_assert_eq(gaps[i].end, end, "gap %zu end %u, want %u", i, gaps[i].end, end);
}

static void
mark_ok(struct dpsctp_tsnmap *m, uint32_t tsn)
{
	int rc = dpsctp_tsnmap_mark(m, tsn);

	cr_assert_eq(rc, 0, "mark %#x: rc %d, want 0 (new)", tsn, rc);
}

static void
mark_dup(struct dpsctp_tsnmap *m, uint32_t tsn)
{
	int rc = dpsctp_tsnmap_mark(m, tsn);

	cr_assert_eq(rc, 1, "mark %#x: rc %d, want 1 (duplicate)", tsn, rc);
}

/*
 * Serial number arithmetic
 */

Test(tsnmap, serial_order_holds_across_wrap)
{
	cr_assert(dpsctp_tsn_lt(0xFFFFFFFFu, 0));
	cr_assert(dpsctp_tsn_gt(0, 0xFFFFFFFFu));
	cr_assert(dpsctp_tsn_lt(0xFFFFFFF0u, 0x10));
	cr_assert(!dpsctp_tsn_lt(0x10, 0xFFFFFFF0u));
	cr_assert(dpsctp_tsn_lt(1, 2));
	cr_assert(!dpsctp_tsn_lt(2, 2));
	cr_assert(!dpsctp_tsn_gt(2, 2));
	cr_assert(dpsctp_tsn_lte(2, 2));
	cr_assert(dpsctp_tsn_gte(2, 2));
	cr_assert(dpsctp_tsn_lte(0xFFFFFFFFu, 0));
	cr_assert(dpsctp_tsn_gte(0, 0xFFFFFFFFu));
	cr_assert(!dpsctp_tsn_gte(0xFFFFFFFFu, 0));
}

/* RFC 1982 3.2: s1 < s2 when s2 - s1 is in (0, 2^31); at exactly 2^31 neither order holds. */
Test(tsnmap, serial_order_flips_at_2_pow_31_and_is_undefined_exactly_there)
{
	cr_assert(dpsctp_tsn_lt(0, 0x7FFFFFFFu));
	cr_assert(dpsctp_tsn_gt(0x7FFFFFFFu, 0));
	cr_assert(!dpsctp_tsn_lt(0, 0x80000000u));
	cr_assert(!dpsctp_tsn_gt(0, 0x80000000u));
	cr_assert(!dpsctp_tsn_lt(0x80000000u, 0));
	cr_assert(!dpsctp_tsn_gt(0x80000000u, 0));
	cr_assert(!dpsctp_tsn_lte(0, 0x80000000u));
	cr_assert(!dpsctp_tsn_gte(0, 0x80000000u));
	cr_assert(dpsctp_tsn_lt(0x80000001u, 0));
	cr_assert(dpsctp_tsn_gt(0, 0x80000001u));
	cr_assert(dpsctp_tsn_lt(0x12345678u, 0x12345678u + 0x7FFFFFFFu));
	cr_assert(!dpsctp_tsn_lt(0x12345678u, 0x12345678u + 0x80000000u));
}

/*
 * Cumulative TSN and gap blocks
 */

Test(tsnmap, init_sets_cum_tsn_to_initial_minus_one)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 1000);
	cr_assert_eq(m.cum_tsn, 999);
	cr_assert_eq(m.highest_tsn, 999);
	cr_assert(!dpsctp_tsnmap_has_gaps(&m));
	cr_assert_eq(all_gaps(&m), 0);
	cr_assert_eq(m.ndups, 0);
	dpsctp_tsnmap_init(&m, 0);
	cr_assert_eq(m.cum_tsn, 0xFFFFFFFFu);
	mark_ok(&m, 0);
	cr_assert_eq(m.cum_tsn, 0);
}

Test(tsnmap, in_order_marks_advance_cum_tsn)
{
	struct dpsctp_tsnmap m;
	uint32_t t;

	dpsctp_tsnmap_init(&m, 100);
	for (t = 100; t < 100 + 3 * W; t++) {
		mark_ok(&m, t);
		cr_assert_eq(m.cum_tsn, t);
		cr_assert_eq(m.highest_tsn, t);
		cr_assert(!dpsctp_tsnmap_has_gaps(&m));
	}
	cr_assert_eq(m.n_new, 3 * W);
	cr_assert_eq(m.n_dup, 0);
}

Test(tsnmap, hole_keeps_cum_tsn_and_gives_one_gap_block)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 100);
	mark_ok(&m, 100);
	mark_ok(&m, 101);
	mark_ok(&m, 103);
	mark_ok(&m, 104);
	cr_assert_eq(m.cum_tsn, 101);
	cr_assert_eq(m.highest_tsn, 104);
	cr_assert(dpsctp_tsnmap_has_gaps(&m));
	cr_assert_eq(all_gaps(&m), 1);
	/* RFC 9260 3.3.4: TSNs cum + 2 .. cum + 3 received. */
	assert_gap(0, 2, 3);
}

Test(tsnmap, gap_closes_when_hole_is_filled_and_cum_tsn_jumps_over_the_run)
{
	struct dpsctp_tsnmap m;
	uint32_t t;

	dpsctp_tsnmap_init(&m, 100);
	for (t = 101; t < 101 + 200; t++)
		mark_ok(&m, t);
	cr_assert_eq(m.cum_tsn, 99);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 2, 201);
	mark_ok(&m, 100);
	cr_assert_eq(m.cum_tsn, 300);
	cr_assert(!dpsctp_tsnmap_has_gaps(&m));
	cr_assert_eq(all_gaps(&m), 0);
}

Test(tsnmap, filling_one_of_two_holes_leaves_the_upper_gap)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 1);
	mark_ok(&m, 2);
	mark_ok(&m, 3);
	mark_ok(&m, 5);
	mark_ok(&m, 7);
	mark_ok(&m, 8);
	cr_assert_eq(all_gaps(&m), 3);
	assert_gap(0, 2, 3);
	assert_gap(1, 5, 5);
	assert_gap(2, 7, 8);
	mark_ok(&m, 1);
	cr_assert_eq(m.cum_tsn, 3);
	cr_assert_eq(all_gaps(&m), 2);
	assert_gap(0, 2, 2);
	assert_gap(1, 4, 5);
	mark_ok(&m, 4);
	cr_assert_eq(m.cum_tsn, 5);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 2, 3);
}

Test(tsnmap, max_limits_gap_blocks_to_the_lowest)
{
	struct dpsctp_tsnmap m;
	struct dpsctp_gap_block few[3];
	size_t n;
	uint32_t i;

	dpsctp_tsnmap_init(&m, 1);
	for (i = 0; i < 10; i++)
		mark_ok(&m, 3 + 3 * i); /* blocks at offsets 3, 6, 9, ... */
	cr_assert_eq(all_gaps(&m), 10);
	n = dpsctp_tsnmap_gap_blocks(&m, few, 3);
	cr_assert_eq(n, 3);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(few[i].start, 3 + 3 * i);
		cr_assert_eq(few[i].end, 3 + 3 * i);
	}
	cr_assert_eq(dpsctp_tsnmap_gap_blocks(&m, NULL, 0), 0);
}

Test(tsnmap, full_window_of_alternating_tsns_gives_half_window_blocks)
{
	struct dpsctp_tsnmap m;
	uint32_t off;
	size_t i, n;

	dpsctp_tsnmap_init(&m, 0xFFFFF000u);
	for (off = 2; off <= W; off += 2)
		mark_ok(&m, m.cum_tsn + off);
	n = all_gaps(&m);
	cr_assert_eq(n, W / 2);
	for (i = 0; i < n; i++)
		assert_gap(i, (uint16_t)(2 + 2 * i), (uint16_t)(2 + 2 * i));
	cr_assert_eq(m.highest_tsn, m.cum_tsn + W);
}

/*
 * Window
 */

Test(tsnmap, beyond_window_gives_erange_and_changes_nothing)
{
	struct dpsctp_tsnmap m, before;
	int rc;

	dpsctp_tsnmap_init(&m, 500);
	mark_ok(&m, 500);
	mark_ok(&m, 510);
	mark_dup(&m, 500);
	before = m;
	rc = dpsctp_tsnmap_mark(&m, 500 + W + 1);
	cr_assert_eq(rc, -ERANGE);
	rc = dpsctp_tsnmap_mark(&m, 500 + 10 * W);
	cr_assert_eq(rc, -ERANGE);
	cr_assert_eq(m.n_beyond, 2);
	m.n_beyond = before.n_beyond;
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "the map changed");
}

Test(tsnmap, last_tsn_of_the_window_is_accepted)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 7);
	mark_ok(&m, 6 + W);
	cr_assert_eq(dpsctp_tsnmap_mark(&m, 7 + W), -ERANGE);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, W, W);
	mark_ok(&m, 7);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 7 + W), 0);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, W - 1, W - 1);
}

/* Not comparable (RFC 1982 3.2): neither a duplicate nor anything the map can place. */
Test(tsnmap, tsn_2_pow_31_away_is_refused)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 1);
	cr_assert_eq(dpsctp_tsnmap_mark(&m, 0x80000000u), -ERANGE);
	cr_assert_eq(m.ndups, 0);
}

Test(tsnmap, check_classifies_without_marking)
{
	struct dpsctp_tsnmap m, before;

	dpsctp_tsnmap_init(&m, 50);
	mark_ok(&m, 50);
	mark_ok(&m, 52);
	before = m;
	cr_assert_eq(dpsctp_tsnmap_check(&m, 49), 1);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 50), 1);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 51), 0);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 52), 1);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 53), 0);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 50 + W), 0);
	cr_assert_eq(dpsctp_tsnmap_check(&m, 51 + W), -ERANGE);
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "check changed the map");
}

Test(tsnmap, window_slides_many_times_with_late_holes)
{
	struct dpsctp_tsnmap m;
	uint32_t base = 0xFFFFF800u, t, late = 0;

	/* Every 100th TSN arrives 50 TSNs late: cum_tsn lags by < 100, the window wraps ~10x. */
	dpsctp_tsnmap_init(&m, base);
	for (t = 0; t < 10 * W; t++) {
		if (t % 100 != 0)
			mark_ok(&m, base + t);
		if (t % 100 == 50) {
			mark_ok(&m, base + late);
			late += 100;
		}
		cr_assert(dpsctp_tsn_lte(m.cum_tsn, base + t));
		cr_assert(all_gaps(&m) <= 1);
	}
	cr_assert_eq(m.n_new, 10 * W - (10 * W / 100 + 1) + late / 100);
}

/*
 * Duplicates (RFC 9260 3.3.4)
 */

Test(tsnmap, duplicates_are_reported_once_and_the_list_clears)
{
	struct dpsctp_tsnmap m;
	uint32_t out[MAXD];
	size_t n;

	dpsctp_tsnmap_init(&m, 10);
	mark_ok(&m, 10);
	mark_ok(&m, 11);
	mark_ok(&m, 14);
	mark_dup(&m, 10); /* below cum_tsn */
	mark_dup(&m, 14); /* inside the window, already marked */
	mark_dup(&m, 3);  /* far below */
	cr_assert_eq(m.cum_tsn, 11);
	cr_assert_eq(all_gaps(&m), 1);
	n = dpsctp_tsnmap_dups(&m, out, MAXD);
	cr_assert_eq(n, 3);
	cr_assert_eq(out[0], 10);
	cr_assert_eq(out[1], 14);
	cr_assert_eq(out[2], 3);
	cr_assert_eq(dpsctp_tsnmap_dups(&m, out, MAXD), 0);
	cr_assert_eq(m.n_dup, 3);
	cr_assert_eq(m.dup_overflow, 0);
}

/* RFC 9260 3.3.4: "if a data receiver were to get the TSN 19 three times it would list 19
 * twice". */
Test(tsnmap, tsn_received_three_times_is_listed_twice)
{
	struct dpsctp_tsnmap m;
	uint32_t out[MAXD];

	dpsctp_tsnmap_init(&m, 19);
	mark_ok(&m, 19);
	mark_dup(&m, 19);
	mark_dup(&m, 19);
	cr_assert_eq(dpsctp_tsnmap_dups(&m, out, MAXD), 2);
	cr_assert_eq(out[0], 19);
	cr_assert_eq(out[1], 19);
}

Test(tsnmap, dup_list_overflow_is_counted_and_bounded)
{
	struct dpsctp_tsnmap m;
	uint32_t out[MAXD + 8];
	uint32_t i;
	size_t n;

	dpsctp_tsnmap_init(&m, 1000);
	mark_ok(&m, 1000);
	for (i = 0; i < MAXD + 5; i++)
		mark_dup(&m, 1000 - i);
	cr_assert_eq(m.ndups, MAXD);
	cr_assert_eq(m.dup_overflow, 5);
	cr_assert_eq(m.n_dup, MAXD + 5);
	n = dpsctp_tsnmap_dups(&m, out, MAXD + 8);
	cr_assert_eq(n, MAXD);
	for (i = 0; i < MAXD; i++)
		cr_assert_eq(out[i], 1000 - i);
	cr_assert_eq(m.ndups, 0);
	mark_dup(&m, 999);
	cr_assert_eq(dpsctp_tsnmap_dups(&m, out, MAXD), 1);
	cr_assert_eq(out[0], 999);
}

Test(tsnmap, dups_with_small_max_drops_the_rest_and_counts_them)
{
	struct dpsctp_tsnmap m;
	uint32_t out[2];

	dpsctp_tsnmap_init(&m, 1);
	mark_ok(&m, 1);
	mark_dup(&m, 1);
	mark_dup(&m, 0);
	mark_dup(&m, 0xFFFFFFFFu);
	cr_assert_eq(dpsctp_tsnmap_dups(&m, out, 2), 2);
	cr_assert_eq(out[0], 1);
	cr_assert_eq(out[1], 0);
	cr_assert_eq(m.dup_overflow, 1);
	cr_assert_eq(dpsctp_tsnmap_dups(&m, NULL, 0), 0);
}

/*
 * Wrap-around
 */

Test(tsnmap, marks_crossing_zero_advance_cum_tsn)
{
	struct dpsctp_tsnmap m;
	uint32_t i;

	dpsctp_tsnmap_init(&m, 0xFFFFFFF0u);
	for (i = 0; i < 40; i++) {
		mark_ok(&m, 0xFFFFFFF0u + i);
		cr_assert_eq(m.cum_tsn, 0xFFFFFFF0u + i);
	}
	cr_assert_eq(m.cum_tsn, 0x17);
	mark_dup(&m, 0xFFFFFFFFu);
	mark_dup(&m, 0);
}

Test(tsnmap, gap_blocks_across_the_wrap)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 0xFFFFFFF0u);
	mark_ok(&m, 0xFFFFFFF0u); /* cum = ...F0 */
	mark_ok(&m, 0xFFFFFFFEu); /* offset 14 */
	mark_ok(&m, 0xFFFFFFFFu); /* offset 15 */
	mark_ok(&m, 0);           /* offset 16 */
	mark_ok(&m, 1);           /* offset 17 */
	mark_ok(&m, 5);           /* offset 21 */
	cr_assert_eq(m.highest_tsn, 5);
	cr_assert_eq(all_gaps(&m), 2);
	assert_gap(0, 14, 17);
	assert_gap(1, 21, 21);
	for (uint32_t t = 0xFFFFFFF1u; t != 0xFFFFFFFEu; t++)
		mark_ok(&m, t);
	cr_assert_eq(m.cum_tsn, 1);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 4, 4);
}

/*
 * FORWARD-TSN (RFC 3758 3.6)
 */

Test(tsnmap, forward_moves_cum_tsn_and_forgets_what_is_below)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 100);
	mark_ok(&m, 102);
	mark_ok(&m, 104);
	mark_ok(&m, 110);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 105), 0);
	cr_assert_eq(m.cum_tsn, 105);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 5, 5);
	mark_dup(&m, 103); /* never received, but now below cum_tsn */
	mark_ok(&m, 106);
	cr_assert_eq(m.cum_tsn, 106);
}

Test(tsnmap, forward_absorbs_contiguous_marked_tsns_above)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 100);
	mark_ok(&m, 103);
	mark_ok(&m, 104);
	mark_ok(&m, 105);
	mark_ok(&m, 107);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 102), 0);
	cr_assert_eq(m.cum_tsn, 105);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 2, 2);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 106), 0);
	cr_assert_eq(m.cum_tsn, 107);
	cr_assert(!dpsctp_tsnmap_has_gaps(&m));
}

Test(tsnmap, forward_behind_or_at_cum_tsn_is_out_of_date)
{
	struct dpsctp_tsnmap m, before;

	dpsctp_tsnmap_init(&m, 5);
	mark_ok(&m, 5);
	mark_ok(&m, 8);
	before = m;
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 5), 1);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 2), 1);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 5 + 0x80000000u), 1);
	cr_assert(memcmp(&m, &before, sizeof(m)) == 0, "an out-of-date forward changed the map");
}

Test(tsnmap, forward_beyond_the_window_clears_everything)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 0xFFFFFF00u);
	mark_ok(&m, 0xFFFFFF05u);
	mark_ok(&m, 0xFFFFFEFFu + W); /* the top of the window */
	cr_assert_eq(dpsctp_tsnmap_forward(&m, 0xFFFFFF00u + 3 * W), 0);
	cr_assert_eq(m.cum_tsn, 0xFFFFFF00u + 3 * W);
	cr_assert_eq(m.highest_tsn, m.cum_tsn);
	cr_assert(!dpsctp_tsnmap_has_gaps(&m));
	mark_ok(&m, m.cum_tsn + 2);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 2, 2);
	/* The forgotten bits must not reappear as the window moves over their ring slots. */
	for (uint32_t i = 0; i < 2 * W; i++)
		dpsctp_tsnmap_mark(&m, m.cum_tsn + 1);
	cr_assert(!dpsctp_tsnmap_has_gaps(&m));
}

Test(tsnmap, forward_to_exactly_one_window_keeps_the_top_tsn)
{
	struct dpsctp_tsnmap m;

	dpsctp_tsnmap_init(&m, 1);
	mark_ok(&m, W); /* offset W: the ring slot shared with cum_tsn */
	cr_assert_eq(dpsctp_tsnmap_forward(&m, W - 2), 0);
	cr_assert_eq(m.cum_tsn, W - 2);
	mark_ok(&m, W + 1);
	cr_assert_eq(all_gaps(&m), 1);
	assert_gap(0, 2, 3);
	cr_assert_eq(dpsctp_tsnmap_forward(&m, W - 1), 0);
	cr_assert_eq(m.cum_tsn, W + 1);
}

/*
 * Differential test: a naive model in unwrapped 64-bit TSNs (no serial arithmetic, no ring, a
 * sorted array of received TSNs above the cumulative point) against the map.
 */

struct model {
	uint64_t cum;
	uint64_t highest;
	uint64_t recv[W + 1]; /* sorted, all > cum */
	size_t nrecv;
	uint32_t dups[MAXD];
	size_t ndups;
	uint64_t overflow;
};

static void
model_init(struct model *md, uint64_t cum)
{
	md->cum = cum;
	md->highest = cum;
	md->nrecv = 0;
	md->ndups = 0;
	md->overflow = 0;
}

static void
model_absorb(struct model *md)
{
	size_t k = 0;

	while (k < md->nrecv && md->recv[k] == md->cum + 1) {
		md->cum++;
		k++;
	}
	memmove(md->recv, md->recv + k, (md->nrecv - k) * sizeof(md->recv[0]));
	md->nrecv -= k;
}

static int
model_mark(struct model *md, uint64_t t)
{
	size_t i;

	if (t > md->cum + W)
		return -ERANGE;
	for (i = 0; i < md->nrecv && md->recv[i] < t; i++)
		;
	if (t <= md->cum || (i < md->nrecv && md->recv[i] == t)) {
		if (md->ndups < MAXD)
			md->dups[md->ndups++] = (uint32_t)t;
		else
			md->overflow++;
		return 1;
	}
	memmove(md->recv + i + 1, md->recv + i, (md->nrecv - i) * sizeof(md->recv[0]));
	md->recv[i] = t;
	md->nrecv++;
	if (t > md->highest)
		md->highest = t;
	model_absorb(md);
	return 0;
}

static int
model_forward(struct model *md, uint64_t n)
{
	size_t k = 0;

	if (n <= md->cum)
		return 1;
	while (k < md->nrecv && md->recv[k] <= n)
		k++;
	memmove(md->recv, md->recv + k, (md->nrecv - k) * sizeof(md->recv[0]));
	md->nrecv -= k;
	md->cum = n;
	if (n > md->highest)
		md->highest = n;
	model_absorb(md);
	return 0;
}

static size_t
model_gaps(const struct model *md, struct dpsctp_gap_block *out)
{
	size_t i = 0, n = 0;

	while (i < md->nrecv) {
		size_t j = i;

		while (j + 1 < md->nrecv && md->recv[j + 1] == md->recv[j] + 1)
			j++;
		out[n].start = (uint16_t)(md->recv[i] - md->cum);
		out[n].end = (uint16_t)(md->recv[j] - md->cum);
		n++;
		i = j + 1;
	}
	return n;
}

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t
rnd(uint64_t *s, uint64_t n)
{
	return splitmix64(s) % n;
}

static struct model md;
static struct dpsctp_gap_block mgaps[W];
static uint64_t pool[512];

struct diff_ctx {
	struct dpsctp_tsnmap m;
	unsigned int seq;
	unsigned long op;
	unsigned long checks;
	unsigned long mapops; /* calls into the map: mark, forward, dups */
	bool rare_sacks;      /* this sequence takes the dup list rarely, so that it fills */
	/* What the sequences exercised, printed at the end. */
	unsigned long n_new, n_dup, n_range, n_list_full, n_fwd, n_wraps;
};

static void
compare_state(struct diff_ctx *c, uint64_t *s)
{
	size_t n, mn, i, lim;
	struct dpsctp_gap_block few[4];

	cr_assert_eq(c->m.cum_tsn, (uint32_t)md.cum, "seq %u op %lu: cum_tsn %#x, model %#x",
		c->seq, c->op, c->m.cum_tsn, (uint32_t)md.cum);
	cr_assert_eq(c->m.highest_tsn, (uint32_t)md.highest,
		"seq %u op %lu: highest %#x, model %#x", c->seq, c->op, c->m.highest_tsn,
		(uint32_t)md.highest);
	cr_assert_eq(dpsctp_tsnmap_has_gaps(&c->m), md.nrecv > 0, "seq %u op %lu: has_gaps", c->seq,
		c->op);
	n = all_gaps(&c->m);
	mn = model_gaps(&md, mgaps);
	cr_assert_eq(n, mn, "seq %u op %lu: %zu gap blocks, model %zu", c->seq, c->op, n, mn);
	for (i = 0; i < n; i++)
		cr_assert(gaps[i].start == mgaps[i].start && gaps[i].end == mgaps[i].end,
			"seq %u op %lu: gap %zu is %u-%u, model %u-%u", c->seq, c->op, i,
			gaps[i].start, gaps[i].end, mgaps[i].start, mgaps[i].end);
	/* A small max returns the lowest blocks. */
	lim = (size_t)rnd(s, 5);
	n = dpsctp_tsnmap_gap_blocks(&c->m, few, lim);
	cr_assert_eq(n, mn < lim ? mn : lim);
	for (i = 0; i < n; i++)
		cr_assert(few[i].start == mgaps[i].start && few[i].end == mgaps[i].end);
	cr_assert_eq(c->m.ndups, md.ndups);
	c->checks++;
}

static void
compare_dups(struct diff_ctx *c, uint64_t *s)
{
	uint32_t out[MAXD];
	size_t max = rnd(s, 4) == 0 ? (size_t)rnd(s, MAXD) : MAXD;
	size_t n = dpsctp_tsnmap_dups(&c->m, out, max);
	size_t i, want = md.ndups < max ? md.ndups : max;

	c->mapops++;

	cr_assert_eq(n, want, "seq %u op %lu: %zu dups, model %zu", c->seq, c->op, n, want);
	for (i = 0; i < n; i++)
		cr_assert_eq(out[i], md.dups[i], "seq %u op %lu: dup %zu", c->seq, c->op, i);
	md.overflow += md.ndups - n;
	md.ndups = 0;
	cr_assert_eq(c->m.dup_overflow, md.overflow);
}

static void
diff_mark(struct diff_ctx *c, uint64_t t)
{
	int pre = dpsctp_tsnmap_check(&c->m, (uint32_t)t);
	int rc = dpsctp_tsnmap_mark(&c->m, (uint32_t)t);
	uint64_t epoch = md.cum >> 32;
	bool full = md.ndups == MAXD;
	int want = model_mark(&md, t);

	c->mapops++;
	c->n_new += want == 0;
	c->n_dup += want == 1;
	c->n_list_full += want == 1 && full;
	c->n_range += want == -ERANGE;
	c->n_wraps += (md.cum >> 32) != epoch;

	cr_assert_eq(rc, want, "seq %u op %lu: mark %#x (+%lld) rc %d, model %d", c->seq, c->op,
		(uint32_t)t, (long long)(t - md.cum), rc, want);
	cr_assert_eq(pre, rc, "seq %u op %lu: check %d but mark %d", c->seq, c->op, pre, rc);
}

static void
diff_forward(struct diff_ctx *c, uint64_t n)
{
	int rc = dpsctp_tsnmap_forward(&c->m, (uint32_t)n);
	uint64_t epoch = md.cum >> 32;
	int want = model_forward(&md, n);

	c->mapops++;
	c->n_fwd += want == 0;
	c->n_wraps += (md.cum >> 32) != epoch;

	cr_assert_eq(rc, want, "seq %u op %lu: forward rc %d, model %d", c->seq, c->op, rc, want);
}

static uint32_t
pick_initial(uint64_t *s)
{
	switch (rnd(s, 5)) {
	case 0:
		return (uint32_t)(0xFFFFFFFFu - rnd(s, 3 * W)); /* crosses 0 early */
	case 1:
		return (uint32_t)rnd(s, 4);
	case 2:
		return (uint32_t)(0x80000000u - rnd(s, 2 * W));
	default:
		return (uint32_t)splitmix64(s);
	}
}

/* Random TSNs around the cumulative point, spread over up to a whole window. */
static void
run_uniform(struct diff_ctx *c, uint64_t *s, unsigned long ops)
{
	static const uint64_t spans[] = {2, 8, 64, 512, W + 300};
	uint64_t span = spans[rnd(s, 5)];

	for (c->op = 0; c->op < ops; c->op++) {
		uint64_t r = rnd(s, 1000);

		if (r < 750)
			diff_mark(c, md.cum + 1 + rnd(s, span));
		else if (r < 830)
			diff_mark(c, md.cum - rnd(s, 64));
		else if (r < 870)
			diff_mark(c, md.cum + W + 1 + rnd(s, 5000));
		else if (r < 890)
			diff_mark(c, md.cum + W - rnd(s, 2));
		else if (r < 920)
			diff_forward(c, md.cum - 20 + rnd(s, rnd(s, 2) ? span + 20 : 2 * W + 20));
		else if (!c->rare_sacks || rnd(s, 20) == 0)
			compare_dups(c, s);
		compare_state(c, s);
	}
}

/*
 * A sender: new TSNs go into a pool of chunks in flight, delivered in random order (reordering
 * and loss-like delays), sometimes twice; one chunk may be held back for long so that the
 * window fills and later TSNs are refused (and resent); FORWARD-TSN abandons a prefix.
 */
static void
run_sender(struct diff_ctx *c, uint64_t *s, unsigned long ops)
{
	size_t npool = 0, cap = 8 + (size_t)rnd(s, 505);
	uint64_t next = md.cum + 1, stuck = 0;
	unsigned long stuck_until = 0;

	for (c->op = 0; c->op < ops; c->op++) {
		uint64_t r = rnd(s, 100);

		if (r < 45 && npool < cap) {
			pool[npool++] = next++;
			continue; /* nothing reached the map */
		} else if (r < 85 && npool > 0) {
			size_t i = (size_t)rnd(s, npool);
			uint64_t t = pool[i];

			if (t == stuck && c->op < stuck_until)
				continue;
			if (rnd(s, 20) != 0)
				pool[i] = pool[--npool];
			diff_mark(c, t);
			if (dpsctp_tsnmap_check(&c->m, (uint32_t)t) == -ERANGE && npool < cap)
				pool[npool++] = t; /* dropped: the sender retransmits */
		} else if (r < 90) {
			if (md.highest > md.cum && rnd(s, 2))
				diff_mark(c, md.cum + 1 + rnd(s, md.highest - md.cum));
			else
				diff_mark(c, md.cum - rnd(s, 4));
		} else if (r < 92 && npool > 0) {
			stuck = pool[rnd(s, npool)];
			stuck_until = c->op + 500 + (unsigned long)rnd(s, 5000);
			continue;
		} else if (r < 94) {
			diff_forward(c, md.cum + rnd(s, next - md.cum));
		} else if (!c->rare_sacks || rnd(s, 20) == 0) {
			compare_dups(c, s);
		}
		compare_state(c, s);
	}
}

Test(tsnmap, differential_against_naive_model, .timeout = 240)
{
	static struct diff_ctx c;
	unsigned int seq;

	for (seq = 0; seq < 256; seq++) {
		uint64_t s = 0x5EED0000ull + seq;
		uint32_t initial = pick_initial(&s);
		unsigned long ops = 1000 + (unsigned long)rnd(&s, 3000);

		c.seq = seq;
		c.rare_sacks = seq % 8 < 2;
		dpsctp_tsnmap_init(&c.m, initial);
		model_init(&md, (1ull << 32) + initial - 1);
		if (seq % 2 == 0)
			run_uniform(&c, &s, ops);
		else
			run_sender(&c, &s, ops);
		compare_dups(&c, &s);
	}
	cr_log_info("tsnmap differential: 256 sequences, %lu map operations, %lu state checks",
		c.mapops, c.checks);
	fprintf(stderr,
		"tsnmap differential: 256 sequences, %lu map operations (%lu new, %lu duplicate "
		"of which %lu found the list full, %lu beyond the window, %lu forwards), %lu state "
		"checks, cum_tsn wrapped past 2^32 %lu times\n",
		c.mapops, c.n_new, c.n_dup, c.n_list_full, c.n_range, c.n_fwd, c.checks, c.n_wraps);
	cr_assert_gt(c.n_list_full, 0);
	cr_assert_gt(c.n_range, 0);
	cr_assert_gt(c.n_wraps, 0);
	cr_assert_gt(c.checks, 200000);
}
