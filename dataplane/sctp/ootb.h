/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Out-of-the-blue packets (RFC 9260 8.4): what to answer to a packet that no association takes,
 * decided once for an endpoint's OOTB handling (endpoint.c) and for a port with no endpoint at
 * all (dpsctp_ootb_answer in engine.h).
 */
#ifndef DPSCTP_SCTP_OOTB_H
#define DPSCTP_SCTP_OOTB_H

#include <stdint.h>

#include "packet.h"

/** The answer 8.4 gives to an OOTB packet that is neither INIT nor COOKIE ECHO. */
struct dpsctp_ootb_reply {
	uint8_t type;  /**< chunk to send: ABORT or SHUTDOWN COMPLETE; 0: stay silent */
	uint8_t flags; /**< its flags (the T bit) */
	uint32_t vtag; /**< verification tag of the answer */
};

/**
 * 8.4 rules 2 and 5 to 8 for @p pi (vtag non-zero, first chunk not INIT / COOKIE ECHO):
 * ABORT, SHUTDOWN COMPLETE, COOKIE ACK and Stale Cookie errors get nothing; SHUTDOWN ACK gets
 * SHUTDOWN COMPLETE with the T bit; anything else an ABORT with the T bit, both with the
 * packet's tag.
 */
void dpsctp_ootb_decide(const struct dpsctp_packet_info *pi, struct dpsctp_ootb_reply *r);

#endif
