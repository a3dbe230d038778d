/* SPDX-License-Identifier: BSD-3-Clause */
/* Answers to packets for a port without an endpoint (RFC 9260 8.4): dpsctp_ootb_answer. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine.h"
#include "packet.h"
#include "samples.h"
#include "wbuf.h"
#include "wire.h"

static size_t
sample(const char *name, uint8_t *buf, size_t cap)
{
	unsigned int i;

	for (i = 0; i < dpsctp_sample_count(); i++)
		if (strcmp(dpsctp_sample_name(i), name) == 0) {
			int n = dpsctp_sample_build(i, buf, cap);

			cr_assert_gt(n, 0);
			return (size_t)n;
		}
	cr_assert_fail("no sample %s", name);
	return 0;
}

/* Check the answer's header against the packet it answers; returns the chunk's flags. */
static uint8_t
check_answer(const uint8_t *pkt, const uint8_t *ans, size_t alen, uint8_t type, uint32_t vtag)
{
	cr_assert_eq(alen, 16);
	cr_assert_eq(dpsctp_get_be16(ans), dpsctp_get_be16(pkt + 2), "source port = their dest");
	cr_assert_eq(dpsctp_get_be16(ans + 2), dpsctp_get_be16(pkt), "dest port = their source");
	cr_assert_eq(dpsctp_get_be32(ans + 4), vtag);
	cr_assert_eq(dpsctp_get_be32(ans + 8), 0, "checksum left to the caller");
	cr_assert_eq(ans[12], type);
	cr_assert_eq(dpsctp_get_be16(ans + 14), 4);
	return ans[13];
}

Test(ootb, init_to_a_closed_port_gets_abort_with_its_initiate_tag)
{
	uint8_t pkt[2048], ans[64];
	size_t n = sample("init-all-params", pkt, sizeof(pkt));
	size_t a = dpsctp_ootb_answer(pkt, n, ans, sizeof(ans));
	uint32_t itag = dpsctp_get_be32(pkt + 12 + 4);

	cr_assert_eq(check_answer(pkt, ans, a, DPSCTP_CHUNK_ABORT, itag) & DPSCTP_CHUNK_FLAG_T, 0,
		"8.4 rule 3: T bit clear");
}

Test(ootb, init_with_a_tag_or_initiate_tag_zero_is_not_answered)
{
	uint8_t pkt[2048], ans[64];
	size_t n = sample("init-all-params", pkt, sizeof(pkt));

	pkt[7] ^= 1; /* 8.5.1 A: an INIT must carry tag 0 */
	cr_assert_eq(dpsctp_ootb_answer(pkt, n, ans, sizeof(ans)), 0);
	pkt[7] ^= 1;
	memset(pkt + 16, 0, 4); /* 3.3.2: Initiate Tag 0 */
	cr_assert_eq(dpsctp_ootb_answer(pkt, n, ans, sizeof(ans)), 0);
}

Test(ootb, data_gets_abort_with_t_bit_and_the_packet_tag)
{
	uint8_t pkt[2048], ans[64];
	size_t n = sample("data-fragments", pkt, sizeof(pkt));
	size_t a = dpsctp_ootb_answer(pkt, n, ans, sizeof(ans));

	cr_assert_eq(check_answer(pkt, ans, a, DPSCTP_CHUNK_ABORT, dpsctp_get_be32(pkt + 4)),
		DPSCTP_CHUNK_FLAG_T);
}

Test(ootb, shutdown_ack_gets_shutdown_complete_with_t_bit)
{
	uint8_t pkt[2048], ans[64];
	size_t n = sample("shutdown-ack", pkt, sizeof(pkt));
	size_t a = dpsctp_ootb_answer(pkt, n, ans, sizeof(ans));

	cr_assert_eq(check_answer(pkt, ans, a, DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
		dpsctp_get_be32(pkt + 4)), DPSCTP_CHUNK_FLAG_T);
}

Test(ootb, silence_for_abort_shutdown_complete_cookies_and_garbage)
{
	static const char *const quiet[] = { "abort-t-user", "shutdown-complete-t", "cookie-ack",
		"cookie-echo-data" };
	uint8_t pkt[2048], ans[64];
	unsigned int i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		size_t n = sample(quiet[i], pkt, sizeof(pkt));

		cr_assert_eq(dpsctp_ootb_answer(pkt, n, ans, sizeof(ans)), 0, "%s", quiet[i]);
	}
	cr_assert_eq(dpsctp_ootb_answer(pkt, 11, ans, sizeof(ans)), 0, "short");
	cr_assert_eq(dpsctp_ootb_answer(pkt, 0, ans, sizeof(ans)), 0, "empty");
	i = (unsigned int)sample("data-fragments", pkt, sizeof(pkt));
	cr_assert_eq(dpsctp_ootb_answer(pkt, i, ans, 8), 0, "no room");
}
