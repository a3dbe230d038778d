/* SPDX-License-Identifier: BSD-3-Clause */
/* RTO computation of RFC 9260 6.3.1 and back-off of 6.3.3. */
#include "rto.h"

/* 6.3.1 C3: "a clock granularity of G"; our clock is whatever the caller gives, so G is the
 * smallest meaningful step of the engine's timers (1 us) and only matters when RTTVAR is 0. */
#define RTO_GRANULARITY 1000ull

static void
rto_clamp(struct dpsctp_rto *r)
{
	if (r->rto < r->min)
		r->rto = r->min;
	if (r->rto > r->max)
		r->rto = r->max;
}

void
dpsctp_rto_init(struct dpsctp_rto *r, uint64_t initial, uint64_t min, uint64_t max)
{
	r->srtt = 0;
	r->rttvar = 0;
	r->min = min;
	r->max = max < min ? min : max;
	r->rto = initial;
	r->measured = false;
	rto_clamp(r);
}

void
dpsctp_rto_sample(struct dpsctp_rto *r, uint64_t rtt)
{
	uint64_t var;

	if (!r->measured) {
		/* C2: SRTT <- R, RTTVAR <- R/2 */
		r->srtt = rtt;
		r->rttvar = rtt / 2;
		r->measured = true;
	} else {
		/* C3: RTTVAR <- (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R'|, then
		 *     SRTT <- (1 - 1/8) * SRTT + 1/8 * R' (RTTVAR first, with the old SRTT). */
		uint64_t diff = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;

		r->rttvar = r->rttvar - r->rttvar / 4 + diff / 4;
		r->srtt = r->srtt - r->srtt / 8 + rtt / 8;
	}
	/* C3: "if RTTVAR is 0, adjust it to the clock granularity G" */
	var = r->rttvar == 0 ? RTO_GRANULARITY : r->rttvar;
	r->rto = r->srtt + 4 * var;
	rto_clamp(r);
}

void
dpsctp_rto_backoff(struct dpsctp_rto *r)
{
	r->rto = r->rto > r->max / 2 ? r->max : r->rto * 2;
	rto_clamp(r);
}
