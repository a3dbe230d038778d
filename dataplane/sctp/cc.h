/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control of one destination (RFC 9260 7.2): slow start, congestion avoidance, fast
 * recovery, the reaction to T3-rtx expiry and the decay of an idle window. Pure arithmetic on
 * byte counts; the send queue (outq.c) decides when each event happened.
 *
 * Byte counts are DATA chunk payload bytes, as the flight size is.
 */
#ifndef DPSCTP_SCTP_CC_H
#define DPSCTP_SCTP_CC_H

#include <stdbool.h>
#include <stdint.h>

/** Congestion state of one destination transport address. */
struct dpsctp_cc {
	uint32_t cwnd;      /**< congestion window, bytes */
	uint32_t ssthresh;  /**< slow start threshold, bytes */
	uint32_t pba;       /**< partial_bytes_acked (7.2.2), bytes */
	uint32_t mtu;       /**< path MTU, bytes */
	bool in_fr;         /**< in Fast Recovery (7.2.4) */
	uint32_t fr_exit;   /**< Fast Recovery exit point: the highest TSN outstanding on entry */
	uint64_t last_data; /**< when DATA was last sent to this destination, ns */
	/**
	 * The sender last stopped because cwnd was full (set by the send queue). SACKs processed
	 * in a burst, before the sender refills, see a flight below cwnd; this says the window
	 * was nevertheless in use.
	 */
	bool limited;
};

/**
 * 7.2.1: initial cwnd = min(4 * MTU, max(2 * MTU, 4404)); ssthresh = @p ssthresh (the peer's
 * advertised window, "arbitrarily high").
 */
void dpsctp_cc_init(struct dpsctp_cc *cc, uint32_t mtu, uint32_t ssthresh);

/**
 * A SACK acknowledged @p acked bytes that were outstanding; @p flight_before is the flight
 * size before it was processed; @p cum_advanced whether the Cumulative TSN Ack Point moved.
 * Slow start (7.2.1) and congestion avoidance (7.2.2), not while in Fast Recovery.
 */
void dpsctp_cc_on_ack(struct dpsctp_cc *cc, uint32_t acked, uint32_t flight_before,
	bool cum_advanced);

/** Everything outstanding was acknowledged: 7.2.2 resets partial_bytes_acked. */
void dpsctp_cc_on_idle_ack(struct dpsctp_cc *cc);

/**
 * 7.2.4 step 2: a fast retransmit outside Fast Recovery: ssthresh = max(cwnd / 2, 4 * MTU),
 * cwnd = ssthresh, enter Fast Recovery until the cumulative ack reaches @p exit_tsn.
 * @return true when it entered Fast Recovery (false: already in it, nothing changed).
 */
bool dpsctp_cc_on_fast_retransmit(struct dpsctp_cc *cc, uint32_t exit_tsn);

/** The cumulative ack reached @p cum_tsn: leave Fast Recovery if it passed the exit point. */
void dpsctp_cc_on_cum_ack(struct dpsctp_cc *cc, uint32_t cum_tsn);

/** 6.3.3 E1: T3-rtx expired: ssthresh = max(cwnd / 2, 4 * MTU), cwnd = 1 MTU; Fast Recovery ends. */
void dpsctp_cc_on_timeout(struct dpsctp_cc *cc);

/**
 * 7.2.1: before sending at @p now, halve cwnd (to no less than 4 * MTU) for every @p rto the
 * destination was idle since it last sent DATA. Records @p now as the last send.
 */
void dpsctp_cc_on_send(struct dpsctp_cc *cc, uint64_t now, uint64_t rto);

/** The path MTU changed: keep cwnd at least one new MTU. */
void dpsctp_cc_set_mtu(struct dpsctp_cc *cc, uint32_t mtu);

#endif /* DPSCTP_SCTP_CC_H */
