/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Retransmission timeout of one path (RFC 9260 6.3.1 and 6.3.3), in nanoseconds.
 *
 * Integer arithmetic only: alpha = 1/8 and beta = 1/4 are shifts, as RFC 9260 section 16
 * recommends them. Karn's rule (never measure a retransmitted chunk) is the caller's job:
 * it only hands in samples it may use.
 */
#ifndef DPSCTP_SCTP_RTO_H
#define DPSCTP_SCTP_RTO_H

#include <stdbool.h>
#include <stdint.h>

/** RTO state of one destination transport address. */
struct dpsctp_rto {
	uint64_t srtt;   /**< smoothed round-trip time, ns (0 before the first sample) */
	uint64_t rttvar; /**< round-trip time variation, ns */
	uint64_t rto;    /**< current retransmission timeout, ns */
	uint64_t min;    /**< RTO.Min, ns */
	uint64_t max;    /**< RTO.Max, ns */
	bool measured;   /**< at least one sample was taken (C1 done) */
};

/** Start with RTO = RTO.Initial (6.3.1 C1 not yet applied). */
void dpsctp_rto_init(struct dpsctp_rto *r, uint64_t initial, uint64_t min, uint64_t max);

/** Feed one RTT measurement @p rtt (ns) taken by the rules of 6.3.1 C4/C5. */
void dpsctp_rto_sample(struct dpsctp_rto *r, uint64_t rtt);

/** 6.3.3 E2: the timer expired; double the RTO up to RTO.Max. */
void dpsctp_rto_backoff(struct dpsctp_rto *r);

#endif /* DPSCTP_SCTP_RTO_H */
