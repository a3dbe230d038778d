/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control of one destination (RFC 9260 7.2).
 */
#include "cc.h"
#include "tsnmap.h"

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

void
dpsctp_cc_init(struct dpsctp_cc *cc, uint32_t mtu, uint32_t ssthresh)
{
	cc->mtu = mtu;
	cc->cwnd = min32(4 * mtu, max32(2 * mtu, 4404));
	cc->ssthresh = max32(ssthresh, 4 * mtu);
	cc->pba = 0;
	cc->in_fr = false;
	cc->fr_exit = 0;
	cc->last_data = 0;
	cc->limited = false;
}

void
dpsctp_cc_on_ack(struct dpsctp_cc *cc, uint32_t acked, uint32_t flight_before, bool cum_advanced)
{
	/* 7.2.1: cwnd grows "only when ... the current congestion window is being fully utilized,
	 * an incoming SACK advances the Cumulative TSN Ack Point, and the data sender is not in
	 * Fast Recovery". Fully utilised: less than one MTU of it was unused. */
	bool full = cc->limited || flight_before + cc->mtu >= cc->cwnd;

	if (!cum_advanced || cc->in_fr || acked == 0 || !full)
		return;
	if (cc->cwnd <= cc->ssthresh) {
		/* slow start: at most the bytes acknowledged, at most L = 1 MTU per SACK */
		cc->cwnd += min32(acked, cc->mtu);
		return;
	}
	/* 7.2.2: congestion avoidance, one MTU per cwnd of acknowledged bytes */
	cc->pba += acked;
	if (cc->pba >= cc->cwnd) {
		cc->pba -= cc->cwnd;
		cc->cwnd += cc->mtu;
	}
}

void
dpsctp_cc_on_idle_ack(struct dpsctp_cc *cc)
{
	/* 7.2.2: "When all of the data transmitted by the sender has been acknowledged by the
	 * receiver, partial_bytes_acked is initialized to 0" */
	cc->pba = 0;
}

bool
dpsctp_cc_on_fast_retransmit(struct dpsctp_cc *cc, uint32_t exit_tsn)
{
	if (cc->in_fr)
		return false;
	cc->ssthresh = max32(cc->cwnd / 2, 4 * cc->mtu);
	cc->cwnd = cc->ssthresh;
	cc->pba = 0;
	cc->in_fr = true;
	cc->fr_exit = exit_tsn;
	return true;
}

void
dpsctp_cc_on_cum_ack(struct dpsctp_cc *cc, uint32_t cum_tsn)
{
	/* 7.2.4: "... until the Cumulative TSN Ack Point reaches or passes the Fast Recovery exit
	 * point" */
	if (cc->in_fr && dpsctp_tsn_gte(cum_tsn, cc->fr_exit))
		cc->in_fr = false;
}

void
dpsctp_cc_on_timeout(struct dpsctp_cc *cc)
{
	cc->ssthresh = max32(cc->cwnd / 2, 4 * cc->mtu);
	cc->cwnd = cc->mtu;
	cc->pba = 0;
	cc->in_fr = false;
}

void
dpsctp_cc_on_send(struct dpsctp_cc *cc, uint64_t now, uint64_t rto)
{
	uint32_t floor = 4 * cc->mtu;

	/* 7.2.1: "the cwnd of the transport address SHOULD be adjusted to max(cwnd/2, 4*MTU) per
	 * RTO" of idleness */
	if (cc->last_data != 0 && rto != 0 && now > cc->last_data) {
		uint64_t idle = (now - cc->last_data) / rto;

		while (idle-- > 0 && cc->cwnd > floor)
			cc->cwnd = max32(cc->cwnd / 2, floor);
	}
	cc->last_data = now;
}

void
dpsctp_cc_set_mtu(struct dpsctp_cc *cc, uint32_t mtu)
{
	cc->mtu = mtu;
	if (cc->cwnd < mtu)
		cc->cwnd = mtu;
}
