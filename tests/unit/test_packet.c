/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SCTP packet (packet.h): common header (RFC 9260 3.1), checksum field byte order (appendix A),
 * packet structure and the chunks that must be alone (RFC 9260 6.10).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "packet.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

TestSuite(packet);

/* Build a packet: common header, then chunks of (type, flags, value length) with zero values. */
struct spec {
	uint8_t type;
	uint8_t flags;
	uint16_t vlen;
};

static size_t
build(uint8_t *b, size_t cap, const struct spec *s, unsigned int n)
{
	struct dpsctp_wbuf w;
	unsigned int i;

	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, 5000, 36412, 0xdeadbeef), 0);
	for (i = 0; i < n; i++) {
		size_t mark;
		uint8_t *v;

		cr_assert_eq(dpsctp_chunk_begin(&w, s[i].type, s[i].flags, &mark), 0);
		v = dpsctp_wbuf_reserve(&w, s[i].vlen);
		cr_assert_not_null(v);
		memset(v, 0, s[i].vlen);
		cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	}
	return w.len;
}

/* Parse from an exact-size heap copy, so that a read past the end trips AddressSanitizer. */
static int
parse_copy(const uint8_t *b, size_t len, struct dpsctp_packet_info *pi)
{
	uint8_t *m = malloc(len != 0 ? len : 1);
	int rc;

	cr_assert_not_null(m);
	if (len != 0)
		memcpy(m, b, len);
	rc = dpsctp_packet_parse(m, len, pi);
	free(m);
	return rc;
}

Test(packet, common_header_is_written_in_network_order_with_a_zero_checksum)
{
	static const uint8_t want[12] = {
		0x13,
		0x88,
		0x8e,
		0x3c,
		0xde,
		0xad,
		0xbe,
		0xef,
		0,
		0,
		0,
		0,
	};
	uint8_t b[12];
	struct dpsctp_wbuf w;

	memset(b, 0xff, sizeof(b));
	dpsctp_wbuf_init(&w, b, sizeof(b));
	cr_assert_eq(dpsctp_common_hdr_build(&w, 5000, 36412, 0xdeadbeef), 0);
	cr_assert_eq(w.len, 12);
	cr_assert(memcmp(b, want, sizeof(want)) == 0);
}

Test(packet, common_header_fails_with_enospc_below_twelve_bytes)
{
	uint8_t b[12];
	size_t cap;

	for (cap = 0; cap < 12; cap++) {
		struct dpsctp_wbuf w;

		dpsctp_wbuf_init(&w, b, cap);
		cr_assert_eq(dpsctp_common_hdr_build(&w, 1, 2, 3), -ENOSPC);
		cr_assert_eq(w.len, 0);
	}
}

Test(packet, checksum_is_stored_least_significant_byte_first)
{
	static const uint8_t want[4] = {0xaa, 0x36, 0x91, 0x8a};
	uint8_t b[16] = {0};

	/*
	 * RFC 9260 appendix A: 32 zero bytes give 0x8A9136AA, which RFC 3720 B.4 lists as the
	 * bytes aa 36 91 8a: least significant byte first.
	 */
	dpsctp_packet_set_checksum(b, 0x8A9136AA);
	cr_assert(memcmp(b + 8, want, 4) == 0);
	cr_assert_eq(b[7], 0);
	cr_assert_eq(b[12], 0);
	cr_assert_eq(dpsctp_packet_get_checksum(b), 0x8A9136AA);
}

Test(packet, packets_shorter_than_a_header_and_a_chunk_are_rejected)
{
	uint8_t b[32];
	size_t len;
	struct dpsctp_packet_info pi;

	memset(b, 0, sizeof(b));
	b[15] = 4; /* a 4-byte chunk at offset 12 */
	for (len = 0; len < 16; len++)
		cr_assert_eq(parse_copy(b, len, &pi), -EBADMSG, "len %zu", len);
	cr_assert_eq(parse_copy(b, 16, &pi), 0);
}

Test(packet, header_fields_are_read_in_host_order)
{
	static const struct spec s[] = {{DPSCTP_CHUNK_COOKIE_ACK, 0, 0}};
	uint8_t b[64];
	size_t len = build(b, sizeof(b), s, 1);
	struct dpsctp_packet_info pi;

	dpsctp_packet_set_checksum(b, 0x01020304);
	cr_assert_eq(dpsctp_packet_parse(b, len, &pi), 0);
	cr_assert_eq(pi.hdr.src_port, 5000);
	cr_assert_eq(pi.hdr.dst_port, 36412);
	cr_assert_eq(pi.hdr.vtag, 0xdeadbeef);
	cr_assert_eq(pi.hdr.checksum, 0x01020304);
	cr_assert_eq(b[8], 0x04, "checksum field is little-endian");
	cr_assert_eq(pi.chunks, b + 12);
	cr_assert_eq(pi.end, b + len);
	cr_assert_eq(pi.nchunks, 1);
	cr_assert_eq(pi.first_type, DPSCTP_CHUNK_COOKIE_ACK);
}

Test(packet, bitmap_records_every_chunk_type_present)
{
	static const struct spec s[] = {
		{DPSCTP_CHUNK_COOKIE_ECHO, 0x80, 3},
		{DPSCTP_CHUNK_DATA, 3, 13},
		{DPSCTP_CHUNK_SACK, 0, 12},
		{31, 0, 0},
		{32, 0, 0},
		{0xff, 0, 1},
		{DPSCTP_CHUNK_DATA, 0, 12},
	};
	uint8_t b[256];
	size_t len = build(b, sizeof(b), s, 7);
	struct dpsctp_packet_info pi;
	unsigned int t;

	cr_assert_eq(parse_copy(b, len, &pi), 0);
	cr_assert_eq(pi.nchunks, 7);
	cr_assert_eq(pi.first_type, DPSCTP_CHUNK_COOKIE_ECHO);
	cr_assert_eq(pi.first_flags, 0x80);
	for (t = 0; t < 256; t++) {
		bool want = t == DPSCTP_CHUNK_COOKIE_ECHO || t == DPSCTP_CHUNK_DATA ||
			    t == DPSCTP_CHUNK_SACK || t == 31 || t == 32 || t == 0xff;

		cr_assert_eq(dpsctp_packet_has(&pi, (uint8_t)t), want, "type %u", t);
	}
}

Test(packet, init_init_ack_and_shutdown_complete_alone_are_accepted)
{
	static const uint8_t lonely[] = {
		DPSCTP_CHUNK_INIT,
		DPSCTP_CHUNK_INIT_ACK,
		DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct spec s[] = {
			{lonely[i], 0, lonely[i] == DPSCTP_CHUNK_SHUTDOWN_COMPLETE ? 0 : 16}};
		uint8_t b[64];
		size_t len = build(b, sizeof(b), s, 1);
		struct dpsctp_packet_info pi;

		cr_assert_eq(parse_copy(b, len, &pi), 0, "type %u", lonely[i]);
		cr_assert_eq(pi.nchunks, 1);
		cr_assert(dpsctp_packet_has(&pi, lonely[i]));
	}
}

Test(packet, init_init_ack_and_shutdown_complete_bundled_are_rejected_with_eproto)
{
	static const uint8_t lonely[] = {
		DPSCTP_CHUNK_INIT,
		DPSCTP_CHUNK_INIT_ACK,
		DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
	};
	unsigned int i, first;

	/* RFC 9260 6.10: first or last in the packet, with another chunk or with itself. */
	for (i = 0; i < 3; i++) {
		for (first = 0; first < 3; first++) {
			struct spec s[2] = {{lonely[i], 0, 16}, {lonely[i], 0, 16}};
			uint8_t b[128];
			size_t len;
			struct dpsctp_packet_info pi;

			if (first == 0)
				s[1] = (struct spec){DPSCTP_CHUNK_COOKIE_ACK, 0, 0};
			else if (first == 1)
				s[0] = (struct spec){DPSCTP_CHUNK_AUTH, 0, 24};
			len = build(b, sizeof(b), s, 2);
			memset(&pi, 0x77, sizeof(pi));
			cr_assert_eq(parse_copy(b, len, &pi), -EPROTO, "type %u, case %u",
				lonely[i], first);
			cr_assert_eq(pi.nchunks, 0x7777, "info written on error");
		}
	}
}

Test(packet, a_malformed_chunk_after_a_valid_one_is_rejected_with_ebadmsg)
{
	static const struct spec s[] = {{DPSCTP_CHUNK_SACK, 0, 12}, {DPSCTP_CHUNK_DATA, 0, 13}};
	uint8_t b[128];
	size_t len = build(b, sizeof(b), s, 2);
	struct dpsctp_packet_info pi;
	size_t cut;

	cr_assert_eq(parse_copy(b, len, &pi), 0);
	/* Second chunk (at 28) runs past the end of the packet. */
	dpsctp_put_be16(b + 30, 40);
	cr_assert_eq(parse_copy(b, len, &pi), -EBADMSG);
	/* Second chunk with a length below 4. */
	dpsctp_put_be16(b + 30, 3);
	cr_assert_eq(parse_copy(b, len, &pi), -EBADMSG);
	/* 1 to 3 bytes after the last chunk. */
	dpsctp_put_be16(b + 30, 17);
	for (cut = 1; cut <= 3; cut++)
		cr_assert_eq(parse_copy(b, 28 + cut, &pi), -EBADMSG, "%zu trailing", cut);
}

Test(packet, structure_is_checked_behind_an_unknown_stop_chunk)
{
	static const struct spec s[] = {{0x3e, 0, 4}, {DPSCTP_CHUNK_DATA, 0, 12}};
	uint8_t b[64];
	size_t len = build(b, sizeof(b), s, 2);
	struct dpsctp_packet_info pi;

	cr_assert_eq(dpsctp_chunk_unknown_action(0x3e), DPSCTP_UNKNOWN_STOP);
	cr_assert_eq(parse_copy(b, len, &pi), 0);
	dpsctp_put_be16(b + 22, 2);
	cr_assert_eq(parse_copy(b, len, &pi), -EBADMSG);
}

Test(packet, a_bundled_init_with_a_malformed_chunk_is_malformed_first)
{
	static const struct spec s[] = {{DPSCTP_CHUNK_INIT, 0, 16}, {DPSCTP_CHUNK_DATA, 0, 12}};
	uint8_t b[64];
	size_t len = build(b, sizeof(b), s, 2);
	struct dpsctp_packet_info pi;

	cr_assert_eq(parse_copy(b, len, &pi), -EPROTO);
	dpsctp_put_be16(b + 34, 0);
	cr_assert_eq(parse_copy(b, len, &pi), -EBADMSG);
}

Test(packet, the_last_chunk_may_lack_its_padding)
{
	static const struct spec s[] = {{DPSCTP_CHUNK_DATA, 0, 13}};
	uint8_t b[64];
	size_t len = build(b, sizeof(b), s, 1);
	struct dpsctp_packet_info pi;

	cr_assert_eq(len, 12 + 20);
	cr_assert_eq(parse_copy(b, len - 3, &pi), 0);
	cr_assert_eq(pi.end - pi.chunks, 17);
}
