/* SPDX-License-Identifier: BSD-3-Clause */
/* The hashed timer wheel (dataplane/twheel.c). */
#include <stdint.h>

#include <criterion/criterion.h>

#include "twheel.h"

#define TICK 10 /* 1024 ns slots */

Test(twheel, fires_at_its_deadline_not_before)
{
	struct dp_twheel w;
	struct dp_twheel_entry e = { .owner = &e }, *out[4];

	dp_twheel_init(&w, TICK, 0);
	dp_twheel_arm(&w, &e, 5000);
	cr_assert(dp_twheel_armed(&e));
	cr_assert_eq(dp_twheel_expire(&w, 4000, out, 4), 0);
	cr_assert_eq(dp_twheel_expire(&w, 5200, out, 4), 1);
	cr_assert_eq(out[0], &e);
	cr_assert(!dp_twheel_armed(&e));
	cr_assert_eq(w.armed, 0);
}

Test(twheel, past_deadline_fires_on_the_next_check)
{
	struct dp_twheel w;
	struct dp_twheel_entry e = { 0 }, *out[4];

	dp_twheel_init(&w, TICK, 100000);
	dp_twheel_arm(&w, &e, 10);
	cr_assert_eq(dp_twheel_expire(&w, 100000 + 1024, out, 4), 1);
}

Test(twheel, rearm_moves_and_cancel_removes)
{
	struct dp_twheel w;
	struct dp_twheel_entry a = { 0 }, b = { 0 }, *out[4];

	dp_twheel_init(&w, TICK, 0);
	dp_twheel_arm(&w, &a, 3000);
	dp_twheel_arm(&w, &b, 3000);
	dp_twheel_arm(&w, &a, 90000);
	dp_twheel_cancel(&w, &b);
	dp_twheel_cancel(&w, &b); /* twice is harmless */
	cr_assert_eq(dp_twheel_expire(&w, 10000, out, 4), 0);
	cr_assert_eq(dp_twheel_expire(&w, 91000, out, 4), 1);
	cr_assert_eq(out[0], &a);
	dp_twheel_arm(&w, &b, UINT64_MAX); /* never: not armed */
	cr_assert(!dp_twheel_armed(&b));
}

Test(twheel, deadlines_beyond_one_turn_wait_for_their_turn)
{
	struct dp_twheel w;
	struct dp_twheel_entry e = { 0 }, *out[4];
	uint64_t far = (uint64_t)DP_TWHEEL_SLOTS * 1024 * 3 + 500;

	dp_twheel_init(&w, TICK, 0);
	dp_twheel_arm(&w, &e, far);
	/* the slot comes round twice before the deadline: nothing fires */
	cr_assert_eq(dp_twheel_expire(&w, far - DP_TWHEEL_SLOTS * 1024 - 2048, out, 4), 0);
	cr_assert_eq(dp_twheel_expire(&w, far - 2048, out, 4), 0);
	cr_assert_eq(dp_twheel_expire(&w, far + 1024, out, 4), 1);
}

Test(twheel, a_long_idle_gap_checks_every_slot_once)
{
	struct dp_twheel w;
	struct dp_twheel_entry e[8], *out[8];
	unsigned int i;

	dp_twheel_init(&w, TICK, 0);
	for (i = 0; i < 8; i++) {
		e[i].pprev = NULL;
		dp_twheel_arm(&w, &e[i], 1000 + i * 70000);
	}
	cr_assert_eq(dp_twheel_expire(&w, 10000000000ull, out, 8), 8);
}

Test(twheel, output_limit_leaves_the_rest_for_the_next_call)
{
	struct dp_twheel w;
	struct dp_twheel_entry e[5], *out[2];
	unsigned int i, n = 0, got;

	dp_twheel_init(&w, TICK, 0);
	for (i = 0; i < 5; i++) {
		e[i].pprev = NULL;
		dp_twheel_arm(&w, &e[i], 2000);
	}
	while ((got = dp_twheel_expire(&w, 5000, out, 2)) != 0)
		n += got;
	cr_assert_eq(n, 5);
	cr_assert_eq(w.armed, 0);
}
