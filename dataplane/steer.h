/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Steering: which core handles a received SCTP packet.
 *
 * An association belongs to one worker, and its local verification tag says which one: the low
 * DP_OWNER_BITS bits of every tag we hand out (and of every association id) are the owning
 * worker's index (dpsctp_endpoint_params.owner_bits). So any worker that receives a packet, on
 * whatever queue RSS put it, knows the owner without a table lookup:
 *   - INIT (tag 0) goes to the control lcore, which answers it statelessly;
 *   - ABORT and SHUTDOWN COMPLETE with the T bit carry the peer's tag, not ours, so the owner
 *     cannot be read from them: every worker gets a copy, and the non-owners discard theirs
 *     silently as RFC 9260 8.4 rules 2 and 6 say;
 *   - everything else (COOKIE ECHO included) goes to the worker the tag names.
 */
#ifndef DPSCTP_DATAPLANE_STEER_H
#define DPSCTP_DATAPLANE_STEER_H

#include <stddef.h>
#include <stdint.h>

/** Bits of a verification tag / association id naming the owning worker (up to 16 workers). */
#define DP_OWNER_BITS 4
#define DP_OWNER_MASK ((1u << DP_OWNER_BITS) - 1)

/** Where a packet goes. */
enum dp_steer {
	DP_STEER_WORKER = 0, /**< to worker number *owner */
	DP_STEER_CONTROL,    /**< to the control lcore (INIT, tag 0) */
	DP_STEER_ALL,        /**< to every worker (T-bit ABORT / SHUTDOWN COMPLETE) */
	DP_STEER_DROP,       /**< too short to be SCTP */
};

/**
 * Decide where the SCTP packet [@p sctp, +@p len) goes, with @p nworkers workers.
 * @p owner receives the worker index for DP_STEER_WORKER (a tag naming a worker that does not
 * exist is handed to worker 0, whose engine treats it as out of the blue).
 */
enum dp_steer dp_steer_sctp(const uint8_t *sctp, size_t len, unsigned int nworkers,
	unsigned int *owner);

/** The worker that owns association id @p id (same encoding as tags). */
static inline unsigned int
dp_steer_owner_of_id(uint32_t id)
{
	return id & DP_OWNER_MASK;
}

#endif
