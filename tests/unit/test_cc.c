/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control of one destination (cc.h) against RFC 9260 7.2: the initial window
 * (7.2.1), slow start (7.2.1), congestion avoidance with partial_bytes_acked (7.2.2), the
 * window reduction of fast retransmit and Fast Recovery (7.2.3, 7.2.4), the reaction to T3-rtx
 * expiry (7.2.3, 6.3.3 E1) and the decay of an idle window (7.2.1).
 *
 * Pure arithmetic on a struct: cc.c neither allocates nor keeps anything outside it, so there
 * is no allocator to check for leaks here.
 */

#include <stdint.h>

#include <criterion/criterion.h>

#include "cc.h"
#include "engine.h"

TestSuite(cc);

#define MTU 1500u
#define BIG_RWND 1000000u
#define RTO (1000 * DPSCTP_MS)

/* A window in slow start (cwnd <= ssthresh) of @p cwnd bytes. */
static struct dpsctp_cc
slow_start_at(uint32_t cwnd)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, MTU, BIG_RWND);
	cc.cwnd = cwnd;
	return cc;
}

/* A window in congestion avoidance (cwnd > ssthresh). */
static struct dpsctp_cc
avoidance_at(uint32_t cwnd, uint32_t ssthresh)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, MTU, BIG_RWND);
	cc.cwnd = cwnd;
	cc.ssthresh = ssthresh;
	return cc;
}

/*
 * 7.2.1: "The initial cwnd before data transmission MUST be set to
 * min(4*MTU, max(2*MTU, 4404 bytes))".
 */

Test(cc, initial_cwnd_is_4404_bytes_for_an_mtu_of_1500)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, 1500, BIG_RWND);
	cr_assert_eq(cc.cwnd, 4404);
	cr_assert_eq(cc.mtu, 1500);
}

Test(cc, initial_cwnd_is_4_mtu_when_that_is_below_4404)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, 1000, BIG_RWND);
	cr_assert_eq(cc.cwnd, 4000);
	dpsctp_cc_init(&cc, 576, BIG_RWND);
	cr_assert_eq(cc.cwnd, 2304);
}

Test(cc, initial_cwnd_is_2_mtu_for_a_jumbo_mtu)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, 9000, BIG_RWND);
	cr_assert_eq(cc.cwnd, 18000);
	dpsctp_cc_init(&cc, 2500, BIG_RWND);
	cr_assert_eq(cc.cwnd, 5000);
}

/* 7.2.1: "The initial value of ssthresh MAY be arbitrarily high (for example, implementations
 * MAY use the size of the receiver advertised window)." */
Test(cc, initial_ssthresh_is_the_peer_window_and_nothing_is_pending)
{
	struct dpsctp_cc cc;

	dpsctp_cc_init(&cc, MTU, 131072);
	cr_assert_eq(cc.ssthresh, 131072);
	cr_assert_eq(cc.pba, 0);
	cr_assert(!cc.in_fr);
}

/*
 * 7.2.1 slow start: "When cwnd is less than or equal to ssthresh, an SCTP endpoint MUST use the
 * slow-start algorithm to increase cwnd only if the current congestion window is being fully
 * utilized, and an incoming SACK chunk advances the Cumulative TSN Ack Point, and the data
 * sender is not in Fast Recovery. Only when these three conditions are met can the cwnd be
 * increased; otherwise, the cwnd MUST NOT be increased. If these conditions are met, then cwnd
 * MUST be increased by, at most, the lesser of (1) the total size of the previously outstanding
 * DATA chunk(s) acknowledged, and (2) L times the destination's path MTU", L = 1.
 */

Test(cc, slow_start_grows_by_the_bytes_acked)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_ack(&cc, 1000, 4404, true);
	cr_assert_eq(cc.cwnd, 5404);
}

Test(cc, slow_start_grows_by_at_most_one_mtu_per_sack)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_ack(&cc, 4000, 4404, true);
	cr_assert_eq(cc.cwnd, 4404 + MTU);
}

Test(cc, slow_start_applies_while_cwnd_equals_ssthresh)
{
	struct dpsctp_cc cc = avoidance_at(6000, 6000);

	dpsctp_cc_on_ack(&cc, 1000, 6000, true);
	cr_assert_eq(cc.cwnd, 7000, "cwnd %u: cwnd == ssthresh is slow start", cc.cwnd);
	cr_assert_eq(cc.pba, 0);
}

Test(cc, slow_start_does_not_grow_when_cwnd_is_not_fully_used)
{
	struct dpsctp_cc cc = slow_start_at(12000);

	dpsctp_cc_on_ack(&cc, 1000, 1000, true);
	cr_assert_eq(cc.cwnd, 12000);
	dpsctp_cc_on_ack(&cc, 1000, 6000, true);
	cr_assert_eq(cc.cwnd, 12000);
}

Test(cc, slow_start_does_not_grow_when_the_cum_ack_did_not_advance)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_ack(&cc, 1000, 4404, false);
	cr_assert_eq(cc.cwnd, 4404);
}

Test(cc, slow_start_does_not_grow_in_fast_recovery)
{
	struct dpsctp_cc cc = slow_start_at(20000);

	cr_assert(dpsctp_cc_on_fast_retransmit(&cc, 100));
	cr_assert_eq(cc.cwnd, 10000);
	cc.ssthresh = BIG_RWND; /* slow start territory, to be sure only Fast Recovery holds it */
	dpsctp_cc_on_ack(&cc, 1000, 10000, true);
	cr_assert_eq(cc.cwnd, 10000);
}

Test(cc, slow_start_ignores_an_ack_of_nothing)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_ack(&cc, 0, 4404, true);
	cr_assert_eq(cc.cwnd, 4404);
}

/*
 * 7.2.2 congestion avoidance: "partial_bytes_acked is incremented by the total number of bytes
 * of all new DATA chunks acknowledged in that SACK chunk"; "when partial_bytes_acked is greater
 * than or equal to cwnd and before the arrival of the SACK chunk the sender had cwnd or more
 * bytes of data outstanding ..., increase cwnd by MTU, and reset partial_bytes_acked to
 * (partial_bytes_acked - cwnd)".
 */

Test(cc, congestion_avoidance_adds_one_mtu_per_cwnd_of_acked_bytes)
{
	struct dpsctp_cc cc = avoidance_at(6000, 3000);
	int i;

	for (i = 0; i < 3; i++) {
		dpsctp_cc_on_ack(&cc, 1500, 6000, true);
		cr_assert_eq(cc.cwnd, 6000, "grew after %d of 4 acks", i + 1);
	}
	cr_assert_eq(cc.pba, 4500);
	dpsctp_cc_on_ack(&cc, 1500, 6000, true);
	cr_assert_eq(cc.cwnd, 7500);
	cr_assert_eq(cc.pba, 0);
}

Test(cc, congestion_avoidance_keeps_the_excess_of_partial_bytes_acked)
{
	struct dpsctp_cc cc = avoidance_at(6000, 3000);

	dpsctp_cc_on_ack(&cc, 4000, 6000, true);
	dpsctp_cc_on_ack(&cc, 3000, 6000, true);
	cr_assert_eq(cc.cwnd, 7500);
	cr_assert_eq(cc.pba, 1000);
}

Test(cc, congestion_avoidance_grows_by_one_mtu_however_much_is_acked)
{
	struct dpsctp_cc cc = avoidance_at(6000, 3000);

	dpsctp_cc_on_ack(&cc, 6000, 6000, true);
	cr_assert_eq(cc.cwnd, 7500);
}

Test(cc, congestion_avoidance_does_not_grow_without_cum_ack_advance)
{
	struct dpsctp_cc cc = avoidance_at(6000, 3000);

	dpsctp_cc_on_ack(&cc, 6000, 6000, false);
	cr_assert_eq(cc.cwnd, 6000);
}

Test(cc, congestion_avoidance_does_not_grow_when_cwnd_was_not_used)
{
	struct dpsctp_cc cc = avoidance_at(12000, 3000);

	dpsctp_cc_on_ack(&cc, 12000, 2000, true);
	cr_assert_eq(cc.cwnd, 12000);
}

/* 7.2.2: "When all of the data transmitted by the sender has been acknowledged by the
 * receiver, partial_bytes_acked is initialized to 0." */
Test(cc, partial_bytes_acked_resets_when_everything_is_acknowledged)
{
	struct dpsctp_cc cc = avoidance_at(6000, 3000);

	dpsctp_cc_on_ack(&cc, 3000, 6000, true);
	cr_assert_eq(cc.pba, 3000);
	dpsctp_cc_on_idle_ack(&cc);
	cr_assert_eq(cc.pba, 0);
	cr_assert_eq(cc.cwnd, 6000);
}

/*
 * 7.2.3 / 7.2.4 step 2: on fast retransmit outside Fast Recovery, "ssthresh = max(cwnd/2,
 * 4*MTU), cwnd = ssthresh, partial_bytes_acked = 0", then "the sender MUST ... enter Fast
 * Recovery and mark the highest outstanding TSN as the Fast Recovery exit point"; "while in
 * Fast Recovery, ... the ssthresh and cwnd SHOULD NOT change for any destinations due to a
 * subsequent Fast Recovery event".
 */

Test(cc, fast_retransmit_halves_cwnd_into_ssthresh)
{
	struct dpsctp_cc cc = avoidance_at(20000, 3000);

	cc.pba = 1234;
	cr_assert(dpsctp_cc_on_fast_retransmit(&cc, 77));
	cr_assert_eq(cc.ssthresh, 10000);
	cr_assert_eq(cc.cwnd, 10000);
	cr_assert_eq(cc.pba, 0);
	cr_assert(cc.in_fr);
	cr_assert_eq(cc.fr_exit, 77);
}

Test(cc, fast_retransmit_keeps_ssthresh_at_least_4_mtu)
{
	struct dpsctp_cc cc = slow_start_at(8000);

	dpsctp_cc_on_fast_retransmit(&cc, 1);
	cr_assert_eq(cc.ssthresh, 4 * MTU);
	cr_assert_eq(cc.cwnd, 4 * MTU);
}

Test(cc, fast_retransmit_reduces_the_window_once_per_fast_recovery)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	cr_assert(dpsctp_cc_on_fast_retransmit(&cc, 500));
	cr_assert_eq(cc.cwnd, 20000);
	cr_assert(!dpsctp_cc_on_fast_retransmit(&cc, 900));
	cr_assert_eq(cc.cwnd, 20000);
	cr_assert_eq(cc.ssthresh, 20000);
	cr_assert_eq(cc.fr_exit, 500, "the exit point moved to %u", cc.fr_exit);
}

/* 7.2.4: "... until the Cumulative TSN Ack Point reaches or passes the Fast Recovery exit
 * point"; after that, a new fast retransmit reduces the window again. */
Test(cc, fast_recovery_ends_when_the_cum_ack_reaches_the_exit_point)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	dpsctp_cc_on_fast_retransmit(&cc, 500);
	dpsctp_cc_on_cum_ack(&cc, 499);
	cr_assert(cc.in_fr);
	dpsctp_cc_on_cum_ack(&cc, 500);
	cr_assert(!cc.in_fr);
	cr_assert(dpsctp_cc_on_fast_retransmit(&cc, 900));
	cr_assert_eq(cc.cwnd, 10000);
}

Test(cc, fast_recovery_ends_when_the_cum_ack_passes_the_exit_point)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	dpsctp_cc_on_fast_retransmit(&cc, 500);
	dpsctp_cc_on_cum_ack(&cc, 650);
	cr_assert(!cc.in_fr);
}

/* RFC 9260 1.6: TSNs compare by serial number arithmetic (RFC 1982), across 2^32. */
Test(cc, fast_recovery_exit_point_compares_tsns_across_the_wrap)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	/* exit point just past the wrap: a cum ack just below it (numerically huge) is before */
	dpsctp_cc_on_fast_retransmit(&cc, 5);
	dpsctp_cc_on_cum_ack(&cc, 0xfffffff0u);
	cr_assert(cc.in_fr, "0xfffffff0 taken as past exit point 5");
	dpsctp_cc_on_cum_ack(&cc, 4);
	cr_assert(cc.in_fr);
	dpsctp_cc_on_cum_ack(&cc, 5);
	cr_assert(!cc.in_fr);

	/* exit point just before the wrap: a small cum ack after the wrap has passed it */
	cc = avoidance_at(40000, 3000);
	dpsctp_cc_on_fast_retransmit(&cc, 0xfffffffeu);
	dpsctp_cc_on_cum_ack(&cc, 0xfffffffdu);
	cr_assert(cc.in_fr);
	dpsctp_cc_on_cum_ack(&cc, 3);
	cr_assert(!cc.in_fr, "3 not taken as past exit point 0xfffffffe");
}

Test(cc, cum_ack_outside_fast_recovery_changes_nothing)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	dpsctp_cc_on_cum_ack(&cc, 12345);
	cr_assert(!cc.in_fr);
	cr_assert_eq(cc.cwnd, 40000);
	cr_assert_eq(cc.ssthresh, 3000);
}

/*
 * 7.2.3: "When the T3-rtx timer expires on an address, SCTP SHOULD perform slow start by:
 * ssthresh = max(cwnd/2, 4*MTU), cwnd = 1*MTU, partial_bytes_acked = 0".
 */

Test(cc, timeout_sets_cwnd_to_one_mtu_and_halves_ssthresh)
{
	struct dpsctp_cc cc = avoidance_at(20000, 3000);

	cc.pba = 999;
	dpsctp_cc_on_timeout(&cc);
	cr_assert_eq(cc.cwnd, MTU);
	cr_assert_eq(cc.ssthresh, 10000);
	cr_assert_eq(cc.pba, 0);
}

Test(cc, timeout_keeps_ssthresh_at_least_4_mtu)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_timeout(&cc);
	cr_assert_eq(cc.ssthresh, 4 * MTU);
	cr_assert_eq(cc.cwnd, MTU);
}

Test(cc, timeout_ends_fast_recovery)
{
	struct dpsctp_cc cc = avoidance_at(40000, 3000);

	dpsctp_cc_on_fast_retransmit(&cc, 500);
	dpsctp_cc_on_timeout(&cc);
	cr_assert(!cc.in_fr);
	cr_assert_eq(cc.cwnd, MTU);
	cr_assert_eq(cc.ssthresh, 10000);
}

Test(cc, slow_start_after_a_timeout_grows_from_one_mtu)
{
	struct dpsctp_cc cc = avoidance_at(20000, 3000);

	dpsctp_cc_on_timeout(&cc);
	dpsctp_cc_on_ack(&cc, 1452, 1452, true);
	cr_assert_eq(cc.cwnd, MTU + 1452);
}

/*
 * 7.2.1: "When the endpoint does not transmit data on a given transport address, the cwnd of
 * the transport address SHOULD be adjusted to max(cwnd/2, 4*MTU) per RTO."
 */

Test(cc, idle_window_halves_once_per_rto)
{
	struct dpsctp_cc cc = slow_start_at(48000);

	dpsctp_cc_on_send(&cc, 10 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 48000, "the first send is not after idleness");
	dpsctp_cc_on_send(&cc, 11 * RTO - 1, RTO);
	cr_assert_eq(cc.cwnd, 48000, "less than one RTO idle");
	dpsctp_cc_on_send(&cc, 12 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 24000, "cwnd %u after one RTO idle", cc.cwnd);
	dpsctp_cc_on_send(&cc, 14 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 6000, "cwnd %u after two RTOs idle", cc.cwnd);
}

Test(cc, idle_window_does_not_decay_below_4_mtu)
{
	struct dpsctp_cc cc = slow_start_at(48000);

	dpsctp_cc_on_send(&cc, 1 * RTO, RTO);
	dpsctp_cc_on_send(&cc, 100 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 4 * MTU);
}

Test(cc, idle_decay_never_raises_a_window_below_4_mtu)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_on_send(&cc, 1 * RTO, RTO);
	dpsctp_cc_on_send(&cc, 10 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 4404);
}

Test(cc, sending_records_the_time_of_the_last_data)
{
	struct dpsctp_cc cc = slow_start_at(48000);

	dpsctp_cc_on_send(&cc, 5 * RTO, RTO);
	cr_assert_eq(cc.last_data, 5 * RTO);
	/* a steady sender, each send within an RTO of the last, keeps its window */
	dpsctp_cc_on_send(&cc, 5 * RTO + RTO / 2, RTO);
	dpsctp_cc_on_send(&cc, 6 * RTO + RTO / 4, RTO);
	dpsctp_cc_on_send(&cc, 7 * RTO, RTO);
	cr_assert_eq(cc.cwnd, 48000);
	cr_assert_eq(cc.last_data, 7 * RTO);
}

Test(cc, smaller_mtu_keeps_cwnd_and_larger_mtu_raises_cwnd_to_one_mtu)
{
	struct dpsctp_cc cc = slow_start_at(4404);

	dpsctp_cc_set_mtu(&cc, 1280);
	cr_assert_eq(cc.mtu, 1280);
	cr_assert_eq(cc.cwnd, 4404);
	dpsctp_cc_on_timeout(&cc);
	cr_assert_eq(cc.cwnd, 1280);
	dpsctp_cc_set_mtu(&cc, 9000);
	cr_assert_eq(cc.cwnd, 9000);
}
