/* SPDX-License-Identifier: BSD-3-Clause */
/* Rendering of packets, chunks, parameters and causes as text (dataplane/sctp/render.c). */

#include <string.h>

#include <criterion/criterion.h>

#include "chunk.h"
#include "packet.h"
#include "render.h"
#include "samples.h"
#include "tlv.h"

static uint8_t pkt[65536];
static char text[16384];

static const char *
render_sample(const char *name)
{
	unsigned int i;
	int n;

	for (i = 0; i < dpsctp_sample_count(); i++) {
		if (strcmp(dpsctp_sample_name(i), name) != 0)
			continue;
		n = dpsctp_sample_build(i, pkt, sizeof(pkt));
		cr_assert_gt(n, 0);
		dpsctp_packet_render(pkt, (size_t)n, text, sizeof(text));
		return text;
	}
	cr_assert_fail("no sample %s", name);
	return NULL;
}

TestSuite(render);

Test(render, every_sample_renders_one_line_per_chunk_and_nothing_malformed)
{
	struct dpsctp_packet_info pi;
	unsigned int i, lines;
	const char *c;
	int n;

	for (i = 0; i < dpsctp_sample_count(); i++) {
		n = dpsctp_sample_build(i, pkt, sizeof(pkt));
		cr_assert_gt(n, 0, "%s", dpsctp_sample_name(i));
		cr_assert_eq(dpsctp_packet_parse(pkt, (size_t)n, &pi), 0);
		cr_assert_lt(
			dpsctp_packet_render(pkt, (size_t)n, text, sizeof(text)), sizeof(text));
		for (lines = 0, c = text; *c != '\0'; c++)
			lines += *c == '\n';
		cr_assert_eq(lines, 1u + pi.nchunks, "%s:\n%s", dpsctp_sample_name(i), text);
		cr_assert_null(strstr(text, "malformed"), "%s:\n%s", dpsctp_sample_name(i), text);
		cr_assert_null(strstr(text, "unknown"), "%s:\n%s", dpsctp_sample_name(i), text);
	}
}

Test(render, init_shows_header_fields_addresses_and_extensions)
{
	const char *t = render_sample("init-all-params");

	cr_assert(strstr(t, "SCTP 36412 > 2905 vtag=0x00000000") == t, "%s", t);
	cr_assert_not_null(strstr(t, "INIT init_tag=0x0badcafe a_rwnd=106496 os=10 mis=65535"));
	cr_assert_not_null(strstr(t, "IPv4 Address 198.18.0.1"), "%s", t);
	cr_assert_not_null(strstr(t, "IPv4 Address 198.19.255.254"), "%s", t);
	cr_assert_not_null(strstr(t, "IPv6 Address 2001:db8::1"), "%s", t);
	cr_assert_not_null(strstr(t, "Supported Extensions [FORWARD-TSN, ASCONF"), "%s", t);
	cr_assert_not_null(strstr(t, "Requested HMAC Algorithm [SHA-256, SHA-1]"), "%s", t);
	cr_assert_not_null(strstr(t, "Zero Checksum Acceptable edmid=1"), "%s", t);
}

Test(render, data_sack_and_abort_show_their_fields)
{
	cr_assert_not_null(strstr(render_sample("data-fragments"),
				   "DATA [IUBE] tsn=1 sid=7 ssn=0 ppid=0x00000012 len=7"),
		"%s", text);
	cr_assert_not_null(
		strstr(render_sample("sack-gaps-dups"),
			"SACK cum_tsn=1000 a_rwnd=65000 gaps=3 [2-3,5-9,12-12] dups=2 [1000,998]"),
		"%s", text);
	cr_assert_not_null(
		strstr(render_sample("abort-t-user"),
			"ABORT [T] {User-Initiated Abort \"operator: link maintenance\""),
		"%s", text);
	cr_assert_not_null(strstr(render_sample("i-forward-tsn"), "[1:10,2:3U]"), "%s", text);
}

Test(render, nested_causes_inside_asconf_ack_are_rendered)
{
	cr_assert_not_null(
		strstr(render_sample("asconf-ack"), "Error Cause Indication corr=2 {Request to "
						    "Delete Last Remaining IP Address "
						    "{Delete IP Address corr=2 198.18.0.1}}"),
		"%s", text);
}

Test(render, truncation_keeps_snprintf_semantics_at_every_capacity)
{
	static char small[4096];
	size_t full, cap;
	int n = dpsctp_sample_build(0, pkt, sizeof(pkt));

	full = dpsctp_packet_render(pkt, (size_t)n, text, sizeof(text));
	cr_assert_lt(full, sizeof(small));
	for (cap = 0; cap <= full + 1; cap++) {
		memset(small, 'Z', sizeof(small));
		cr_assert_eq(dpsctp_packet_render(pkt, (size_t)n, small, cap), full);
		if (cap == 0) {
			cr_assert_eq(small[0], 'Z'); /* nothing written at all */
			continue;
		}
		cr_assert_eq(strlen(small), cap - 1 < full ? cap - 1 : full);
		cr_assert_eq(strncmp(small, text, strlen(small)), 0);
		cr_assert_eq(small[cap], 'Z', "wrote past the capacity %zu", cap);
	}
}

Test(render, malformed_and_unknown_chunks_are_said_to_be_so)
{
	/* A SACK claiming 2 gap blocks with room for none, then an unknown type 0x7f chunk. */
	static const uint8_t bad[] = {0, 1, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 3, 0, 0, 16, 0, 0, 0, 1,
		0, 0, 0x10, 0, 0, 2, 0, 0, 0x7f, 0, 0, 4};
	static const uint8_t cut[] = {0, 1, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 3, 0, 40, 1, 2};

	dpsctp_packet_render(bad, sizeof(bad), text, sizeof(text));
	cr_assert_not_null(strstr(text, "SACK flags=0x00 len=16 (malformed)"), "%s", text);
	cr_assert_not_null(
		strstr(text, "0x7f flags=0x00 len=4 (unknown: stop+report)"), "%s", text);
	dpsctp_packet_render(cut, sizeof(cut), text, sizeof(text));
	cr_assert_not_null(
		strstr(text, "malformed: chunk structure broken at byte 12"), "%s", text);
	dpsctp_packet_render(cut, 5, text, sizeof(text));
	cr_assert_not_null(strstr(text, "shorter than the common header"), "%s", text);
}

Test(render, ipv6_addresses_use_rfc5952_zero_compression)
{
	/* INIT with ::1, 2001:db8:0:1:0:0:0:1 (longest run compressed) and 1:0:2:0:3:0:4:0. */
	static const uint8_t init[] = {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 80, 0, 0, 0, 1,
		0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 6, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 1, 0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 6, 0, 20, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0};

	dpsctp_packet_render(init, sizeof(init), text, sizeof(text));
	cr_assert_not_null(strstr(text, "IPv6 Address ::1,"), "%s", text);
	cr_assert_not_null(strstr(text, "IPv6 Address 2001:db8:0:1::1,"), "%s", text);
	cr_assert_not_null(strstr(text, "IPv6 Address 1:0:2:0:3:0:4:0}"), "%s", text);
}
