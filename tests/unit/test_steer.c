/* SPDX-License-Identifier: BSD-3-Clause */
/* Steering of received SCTP packets by verification tag (dataplane/steer.c). */
#include <string.h>

#include <criterion/criterion.h>

#include "steer.h"
#include "wire.h"

/* A packet: common header with @p vtag, then one chunk header of @p type and @p flags. */
static size_t
pkt(uint8_t *b, uint32_t vtag, uint8_t type, uint8_t flags)
{
	memset(b, 0, 16);
	b[0] = 0x13, b[1] = 0x88, b[2] = 0x00, b[3] = 0x07;
	b[4] = (uint8_t)(vtag >> 24), b[5] = (uint8_t)(vtag >> 16);
	b[6] = (uint8_t)(vtag >> 8), b[7] = (uint8_t)vtag;
	b[12] = type, b[13] = flags, b[15] = 4;
	return 16;
}

Test(steer, init_goes_to_control)
{
	uint8_t b[16];
	unsigned int owner = 99;

	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0, DPSCTP_CHUNK_INIT, 0), 4, &owner),
		DP_STEER_CONTROL);
	cr_assert_eq(owner, 0);
}

Test(steer, tag_low_bits_name_the_owner)
{
	uint8_t b[16];
	unsigned int owner, w;

	for (w = 0; w < 4; w++) {
		uint32_t tag = 0xabcdef00u | w;

		cr_assert_eq(dp_steer_sctp(b, pkt(b, tag, DPSCTP_CHUNK_DATA, 0), 4, &owner),
			DP_STEER_WORKER);
		cr_assert_eq(owner, w, "tag %08x -> worker %u", tag, owner);
	}
	/* COOKIE ECHO carries the tag of our INIT ACK: the future owner */
	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x12345672u, DPSCTP_CHUNK_COOKIE_ECHO, 0), 4,
			     &owner), DP_STEER_WORKER);
	cr_assert_eq(owner, 2);
}

Test(steer, tag_naming_a_missing_worker_goes_to_worker_zero)
{
	uint8_t b[16];
	unsigned int owner = 7;

	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x1000000fu, DPSCTP_CHUNK_DATA, 0), 2, &owner),
		DP_STEER_WORKER);
	cr_assert_eq(owner, 0);
}

Test(steer, reflected_tags_go_to_every_worker)
{
	uint8_t b[16];
	unsigned int owner;

	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x55, DPSCTP_CHUNK_ABORT, DPSCTP_CHUNK_FLAG_T), 3,
			     &owner), DP_STEER_ALL);
	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x55, DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
					     DPSCTP_CHUNK_FLAG_T), 3, &owner), DP_STEER_ALL);
	/* without the T bit the tag is ours */
	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x51, DPSCTP_CHUNK_ABORT, 0), 3, &owner),
		DP_STEER_WORKER);
	cr_assert_eq(owner, 1);
	/* one worker: nothing to copy */
	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0x55, DPSCTP_CHUNK_ABORT, DPSCTP_CHUNK_FLAG_T), 1,
			     &owner), DP_STEER_WORKER);
}

Test(steer, too_short_is_dropped_and_zero_tag_without_init_goes_to_control)
{
	uint8_t b[16];
	unsigned int owner;

	pkt(b, 1, DPSCTP_CHUNK_DATA, 0);
	cr_assert_eq(dp_steer_sctp(b, 11, 2, &owner), DP_STEER_DROP);
	cr_assert_eq(dp_steer_sctp(b, pkt(b, 0, DPSCTP_CHUNK_DATA, 0), 2, &owner),
		DP_STEER_CONTROL);
	/* a bare common header (no chunk) still has a tag to steer by */
	pkt(b, 0x21, 0, 0);
	cr_assert_eq(dp_steer_sctp(b, 12, 2, &owner), DP_STEER_WORKER);
	cr_assert_eq(owner, 1);
}

Test(steer, ids_use_the_same_encoding)
{
	cr_assert_eq(dp_steer_owner_of_id(0x35), 5);
	cr_assert_eq(dp_steer_owner_of_id(0x10), 0);
}
