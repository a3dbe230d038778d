/* SPDX-License-Identifier: BSD-3-Clause */
/* Steering of received SCTP packets to the core that owns them (see steer.h). */
#include <stddef.h>
#include <stdint.h>

#include "steer.h"
#include "wire.h"

enum dp_steer
dp_steer_sctp(const uint8_t *sctp, size_t len, unsigned int nworkers, unsigned int *owner)
{
	uint32_t vtag;
	uint8_t type, flags;

	*owner = 0;
	if (len < 12)
		return DP_STEER_DROP;
	vtag = (uint32_t)sctp[4] << 24 | (uint32_t)sctp[5] << 16 | (uint32_t)sctp[6] << 8 | sctp[7];
	if (len >= 16) {
		type = sctp[12];
		flags = sctp[13];
		/* RFC 9260 8.5.1: INIT carries tag 0; nobody owns it yet */
		if (type == DPSCTP_CHUNK_INIT)
			return DP_STEER_CONTROL;
		if ((type == DPSCTP_CHUNK_ABORT || type == DPSCTP_CHUNK_SHUTDOWN_COMPLETE) &&
			(flags & DPSCTP_CHUNK_FLAG_T) != 0)
			return nworkers > 1 ? DP_STEER_ALL : DP_STEER_WORKER;
	}
	if (vtag == 0)
		return DP_STEER_CONTROL; /* not an INIT yet tag 0: the engine at control drops it */
	*owner = vtag & DP_OWNER_MASK;
	if (*owner >= nworkers)
		*owner = 0;
	return DP_STEER_WORKER;
}
