/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Retransmission timeout of one path (rto.h): RFC 9260 6.3.1 C1-C3 and C6/C7 (clamping to
 * RTO.Min / RTO.Max), 6.3.3 E2 (back-off). Values in ns; the sample values are chosen so that
 * alpha = 1/8 and beta = 1/4 divide them exactly.
 */

#include <stdint.h>

#include <criterion/criterion.h>

#include "engine.h"
#include "rto.h"

TestSuite(rto);

#define MS DPSCTP_MS
#define S (1000 * DPSCTP_MS)

/* RFC 9260 section 16 defaults, except RTO.Min low enough not to hide the arithmetic. */
static void
init_open(struct dpsctp_rto *r)
{
	dpsctp_rto_init(r, 3 * S, 1 * MS, 60 * S);
}

Test(rto, starts_at_rto_initial_without_measurement)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 3 * S, 1 * S, 60 * S);
	cr_assert_eq(r.rto, 3 * S);
	cr_assert_eq(r.srtt, 0);
	cr_assert_eq(r.rttvar, 0);
	cr_assert(!r.measured);
}

Test(rto, initial_value_is_clamped_to_min_and_max)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 10 * MS, 1 * S, 60 * S);
	cr_assert_eq(r.rto, 1 * S);
	dpsctp_rto_init(&r, 100 * S, 1 * S, 60 * S);
	cr_assert_eq(r.rto, 60 * S);
}

/* 6.3.1 C2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + 4 * RTTVAR. */
Test(rto, first_sample_sets_srtt_to_r_and_rttvar_to_half_r)
{
	struct dpsctp_rto r;

	init_open(&r);
	dpsctp_rto_sample(&r, 200 * MS);
	cr_assert(r.measured);
	cr_assert_eq(r.srtt, 200 * MS);
	cr_assert_eq(r.rttvar, 100 * MS);
	cr_assert_eq(r.rto, 600 * MS);
}

/*
 * 6.3.1 C3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'| with the OLD SRTT, then
 * SRTT <- 7/8 SRTT + 1/8 R'. From SRTT 200, RTTVAR 100 and R' 100:
 * RTTVAR = 75 + 25 = 100 (with the new SRTT 187.5 it would be 96.875), SRTT = 187.5,
 * RTO = 187.5 + 400 = 587.5 ms.
 */
Test(rto, later_sample_updates_rttvar_with_old_srtt_then_srtt)
{
	struct dpsctp_rto r;

	init_open(&r);
	dpsctp_rto_sample(&r, 200 * MS);
	dpsctp_rto_sample(&r, 100 * MS);
	cr_assert_eq(r.rttvar, 100 * MS, "rttvar %llu", (unsigned long long)r.rttvar);
	cr_assert_eq(r.srtt, 187500 * 1000ull, "srtt %llu", (unsigned long long)r.srtt);
	cr_assert_eq(r.rto, 587500 * 1000ull, "rto %llu", (unsigned long long)r.rto);
}

/* A larger R': RTTVAR = 3/4 * 100 + 1/4 * 200 = 125, SRTT = 175 + 50 = 225, RTO = 725 ms. */
Test(rto, later_larger_sample_raises_srtt_by_an_eighth_of_the_difference)
{
	struct dpsctp_rto r;

	init_open(&r);
	dpsctp_rto_sample(&r, 200 * MS);
	dpsctp_rto_sample(&r, 400 * MS);
	cr_assert_eq(r.rttvar, 125 * MS);
	cr_assert_eq(r.srtt, 225 * MS);
	cr_assert_eq(r.rto, 725 * MS);
}

Test(rto, steady_samples_converge_to_the_rtt)
{
	struct dpsctp_rto r;
	int i;

	init_open(&r);
	for (i = 0; i < 200; i++)
		dpsctp_rto_sample(&r, 80 * MS);
	cr_assert_eq(r.srtt, 80 * MS);
	/* RTTVAR decays toward 0 but never below the clock granularity in the RTO */
	cr_assert_lt(r.rttvar, 1 * MS);
	cr_assert_gt(r.rto, r.srtt);
	cr_assert_lt(r.rto, 85 * MS);
}

/* 6.3.1 C3 note: if RTTVAR is 0 it is taken as the clock granularity G, so RTO > SRTT. */
Test(rto, zero_rttvar_is_replaced_by_clock_granularity)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 3 * S, 0, 60 * S);
	dpsctp_rto_sample(&r, 0);
	cr_assert_eq(r.srtt, 0);
	cr_assert_eq(r.rttvar, 0);
	cr_assert_gt(r.rto, 0);
}

/* 6.3.1 C6: an RTO below RTO.Min is rounded up to RTO.Min. */
Test(rto, computed_rto_below_min_is_rounded_up_to_min)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 3 * S, 1 * S, 60 * S);
	dpsctp_rto_sample(&r, 10 * MS);
	cr_assert_eq(r.srtt, 10 * MS);
	cr_assert_eq(r.rttvar, 5 * MS);
	cr_assert_eq(r.rto, 1 * S);
	dpsctp_rto_sample(&r, 10 * MS);
	cr_assert_eq(r.rto, 1 * S);
}

/* 6.3.1 C7: an RTO above RTO.Max is capped at RTO.Max (SRTT and RTTVAR keep their values). */
Test(rto, computed_rto_above_max_is_capped_at_max)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 3 * S, 1 * S, 60 * S);
	dpsctp_rto_sample(&r, 30 * S);
	cr_assert_eq(r.srtt, 30 * S);
	cr_assert_eq(r.rttvar, 15 * S);
	cr_assert_eq(r.rto, 60 * S);
}

/* 6.3.3 E2: "RTO <- RTO * 2" with "a maximum value ... RTO.max". */
Test(rto, backoff_doubles_the_rto)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 1 * S, 1 * S, 60 * S);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 2 * S);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 4 * S);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 8 * S);
}

Test(rto, backoff_is_capped_at_max)
{
	static const uint64_t want[] = {2, 4, 8, 16, 32, 60, 60, 60};
	struct dpsctp_rto r;
	unsigned int i;

	dpsctp_rto_init(&r, 1 * S, 1 * S, 60 * S);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		dpsctp_rto_backoff(&r);
		cr_assert_eq(r.rto, want[i] * S, "step %u: rto %llu", i, (unsigned long long)r.rto);
	}
}

Test(rto, backoff_does_not_touch_srtt_or_rttvar)
{
	struct dpsctp_rto r;

	init_open(&r);
	dpsctp_rto_sample(&r, 200 * MS);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 1200 * MS);
	cr_assert_eq(r.srtt, 200 * MS);
	cr_assert_eq(r.rttvar, 100 * MS);
}

Test(rto, backoff_of_a_huge_max_does_not_overflow)
{
	struct dpsctp_rto r;
	int i;

	dpsctp_rto_init(&r, UINT64_MAX / 4, 1 * S, UINT64_MAX - 1);
	for (i = 0; i < 8; i++)
		dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, UINT64_MAX - 1);
}

/* After back-off, the next measurement computes the RTO afresh (6.3.1 C3), it does not keep
 * the doubled value. */
Test(rto, sample_after_backoff_recomputes_rto)
{
	struct dpsctp_rto r;
	int i;

	init_open(&r);
	dpsctp_rto_sample(&r, 200 * MS);
	for (i = 0; i < 4; i++)
		dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 9600 * MS);
	dpsctp_rto_sample(&r, 100 * MS);
	cr_assert_eq(r.rto, 587500 * 1000ull, "rto %llu", (unsigned long long)r.rto);
}

/* A back-off before any measurement: the first sample is still C2 (SRTT <- R). */
Test(rto, first_sample_after_backoff_is_still_c2)
{
	struct dpsctp_rto r;

	init_open(&r);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 6 * S);
	dpsctp_rto_sample(&r, 200 * MS);
	cr_assert_eq(r.srtt, 200 * MS);
	cr_assert_eq(r.rttvar, 100 * MS);
	cr_assert_eq(r.rto, 600 * MS);
}

Test(rto, max_below_min_is_raised_to_min)
{
	struct dpsctp_rto r;

	dpsctp_rto_init(&r, 3 * S, 2 * S, 1 * S);
	cr_assert_eq(r.rto, 2 * S);
	dpsctp_rto_backoff(&r);
	cr_assert_eq(r.rto, 2 * S);
}
