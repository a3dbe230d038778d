/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP (icmp.h): echo replies for IPv4 and IPv6 with checksums recomputed by DPDK's helpers,
 * fragmentation-needed / packet-too-big / unreachable intake with the quoted SCTP bytes,
 * truncated and malformed quotes refused, neighbour discovery NS -> NA round trips and the
 * RFC 4861 7.1 validation rules.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "icmp.h"
#include "inet.h"

TestSuite(icmp);

static const uint8_t mac_us[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_peer[6] = {0x02, 0, 0, 0, 0, 0x02};

static _Alignas(8) uint8_t frame[2048];
static _Alignas(8) uint8_t reply[2048];

static struct dpsctp_addr
v4(uint32_t host)
{
	struct dpsctp_addr a;

	dp_inet_addr_v4(&a, host);
	return a;
}

/* 2001:db8::<last> */
static struct dpsctp_addr
v6(uint16_t last)
{
	uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8};
	struct dpsctp_addr a;

	b[14] = (uint8_t)(last >> 8);
	b[15] = (uint8_t)last;
	dp_inet_addr_v6(&a, b);
	return a;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ICMPv4 checksum recomputed with DPDK's raw sum: true when the stored one is right. */
static bool
icmp4_cksum_ok(uint8_t *m, size_t len)
{
	uint16_t stored = get16(m + 2), again;

	put16(m + 2, 0);
	again = rte_be_to_cpu_16((uint16_t)~rte_raw_cksum(m, len));
	put16(m + 2, stored);
	return again == stored;
}

/* ICMPv6 checksum of the frame @p f recomputed with rte_ipv6_udptcp_cksum(). */
static bool
icmp6_cksum_ok(uint8_t *f, size_t l4_off)
{
	uint8_t *m = f + l4_off;
	uint16_t stored = get16(m + 2), again;

	put16(m + 2, 0);
	again = rte_be_to_cpu_16(rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)(f + 14), m));
	put16(m + 2, stored);
	return again == stored;
}

/* Set the ICMP checksum of a frame dp_inet_parse() accepts. */
static void
fix_cksum(uint8_t *f, size_t len)
{
	struct dp_inet in;
	uint8_t *m;

	cr_assert_eq(dp_inet_parse(f, len, &in), 0);
	m = f + in.l4_off;
	put16(m + 2, 0);
	if (in.kind == DP_INET_IPV4)
		put16(m + 2, dp_inet_cksum(m, in.l4_len));
	else
		put16(m + 2, dp_inet_l4_cksum(&in.src, &in.dst, 58, m, in.l4_len));
}

/* An echo request from the peer to us, @p data_len bytes of data, checksummed. */
static size_t
echo_request(uint8_t family, size_t data_len, struct dp_inet *in)
{
	struct dpsctp_addr s = family == 4 ? v4(0x0a000002) : v6(2);
	struct dpsctp_addr d = family == 4 ? v4(0x0a000001) : v6(1);
	uint8_t proto = family == 4 ? DP_INET_PROTO_ICMP : DP_INET_PROTO_ICMPV6;
	size_t h, i, len;
	uint8_t *m;

	memset(frame, 0, sizeof(frame));
	h = dp_inet_build(frame, sizeof(frame), mac_peer, mac_us, &s, &d, proto, 8 + data_len, 77);
	m = frame + h;
	m[0] = family == 4 ? DP_ICMP4_ECHO_REQUEST : DP_ICMP6_ECHO_REQUEST;
	put16(m + 4, 0x4242); /* identifier */
	put16(m + 6, 0x0007); /* sequence number */
	for (i = 0; i < data_len; i++)
		m[8 + i] = (uint8_t)i;
	len = h + 8 + data_len;
	if (len < 60)
		len = 60; /* padded, as a NIC delivers it */
	fix_cksum(frame, len);
	cr_assert_eq(dp_inet_parse(frame, len, in), 0);
	return len;
}

/*
 * Echo
 */

Test(icmp, ipv4_echo_request_gets_a_reply_with_valid_checksums)
{
	struct dp_inet in, out;
	size_t len = echo_request(4, 5, &in), rlen; /* odd length, frame padded to 60 */
	struct rte_ipv4_hdr ip;
	uint16_t ipsum;
	size_t i;

	rlen = dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply));
	cr_assert_eq(rlen, 34 + 13, "reply of %zu bytes: no Ethernet padding copied", rlen);
	cr_assert_eq(dp_inet_parse(reply, rlen, &out), 0, "IPv4 header checksum checked here");
	cr_assert_arr_eq(out.dst_mac, mac_peer, 6);
	cr_assert_arr_eq(out.src_mac, mac_us, 6);
	cr_assert(dp_inet_addr_eq(&out.src, &in.dst));
	cr_assert(dp_inet_addr_eq(&out.dst, &in.src));
	cr_assert_eq(out.proto, DP_INET_PROTO_ICMP);
	cr_assert_eq(out.l4_len, 13);

	memcpy(&ip, reply + 14, sizeof(ip));
	ipsum = ip.hdr_checksum;
	ip.hdr_checksum = 0;
	cr_assert_eq(ipsum, rte_ipv4_cksum(&ip));
	cr_assert_eq(rte_be_to_cpu_16(ip.fragment_offset), RTE_IPV4_HDR_DF_FLAG);

	cr_assert_eq(reply[34], DP_ICMP4_ECHO_REPLY);
	cr_assert_eq(reply[35], 0);
	cr_assert_eq(get16(reply + 38), 0x4242);
	cr_assert_eq(get16(reply + 40), 7);
	for (i = 0; i < 5; i++)
		cr_assert_eq(reply[42 + i], i);
	cr_assert(icmp4_cksum_ok(reply + 34, 13));
}

Test(icmp, ipv6_echo_request_gets_a_reply_with_valid_checksum)
{
	struct dp_inet in, out;
	size_t len = echo_request(6, 100, &in), rlen;

	cr_assert(icmp6_cksum_ok(frame, in.l4_off), "the request itself is right");
	rlen = dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply));
	cr_assert_eq(rlen, 54 + 108);
	cr_assert_eq(dp_inet_parse(reply, rlen, &out), 0);
	cr_assert_arr_eq(out.dst_mac, mac_peer, 6);
	cr_assert(dp_inet_addr_eq(&out.src, &in.dst));
	cr_assert(dp_inet_addr_eq(&out.dst, &in.src));
	cr_assert_eq(out.ttl, 64);
	cr_assert_eq(reply[54], DP_ICMP6_ECHO_REPLY);
	cr_assert_eq(memcmp(reply + 58, frame + 58, 104), 0, "id, seq and data kept");
	cr_assert(icmp6_cksum_ok(reply, 54));
	cr_assert_eq(dp_inet_l4_cksum(&out.src, &out.dst, 58, reply + 54, 108), 0);
}

Test(icmp, no_echo_reply_to_bad_checksum_other_types_or_groups)
{
	struct dp_inet in;
	size_t len;

	len = echo_request(4, 8, &in);
	frame[in.l4_off + 8] ^= 1;
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);

	len = echo_request(6, 8, &in);
	frame[in.l4_off + 2] ^= 1;
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);

	len = echo_request(4, 8, &in);
	frame[in.l4_off] = DP_ICMP4_ECHO_REPLY;
	fix_cksum(frame, len);
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);

	len = echo_request(4, 8, &in);
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, 34 + 15), 0, "cap");
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, 34 + 16), 50);

	len = echo_request(4, 8, &in);
	dp_inet_addr_v4(&in.dst, 0xe0000001); /* to 224.0.0.1 */
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);
	dp_inet_addr_v4(&in.dst, 0xffffffff);
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);

	len = echo_request(6, 8, &in);
	in.dst.bytes[0] = 0xff;
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);

	len = echo_request(4, 8, &in);
	in.proto = DP_INET_PROTO_SCTP;
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);
	in.proto = DP_INET_PROTO_ICMP;
	in.l4_len = 7;
	cr_assert_eq(dp_icmp_echo_reply(frame, len, &in, mac_us, reply, sizeof(reply)), 0);
}

/*
 * Errors
 */

/* The SCTP packet we "sent": common header (ports 2905 -> 2906, tag), then a DATA chunk. */
static const uint8_t sctp_sent[28] = {
	0x0b, 0x59, 0x0b, 0x5a, 0xde, 0xad, 0xbe, 0xef, 0x11, 0x22, 0x33, 0x44, /* common */
	0x00, 0x03, 0x00, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,             /* DATA */
};

/*
 * An ICMP error from the router @p outer_src to us about our packet of @p sent_total bytes to
 * the peer, quoting its IP header and @p quote_l4 bytes of sctp_sent; returns the frame
 * length, @p in parsed.
 */
static size_t
icmp_error(uint8_t family, uint8_t type, uint8_t code, uint32_t word, size_t sent_total,
	size_t quote_l4, struct dp_inet *in)
{
	struct dpsctp_addr us = family == 4 ? v4(0x0a000001) : v6(1);
	struct dpsctp_addr peer = family == 4 ? v4(0xc0a80105) : v6(0x105);
	struct dpsctp_addr router = family == 4 ? v4(0x0a0000fe) : v6(0xfe);
	uint8_t proto = family == 4 ? DP_INET_PROTO_ICMP : DP_INET_PROTO_ICMPV6;
	size_t ip_len = family == 4 ? 20 : 40;
	uint8_t inner[64];
	size_t h, l4_len = 8 + ip_len + quote_l4, len;
	uint8_t *m;

	memset(frame, 0, sizeof(frame));
	h = dp_inet_build(frame, sizeof(frame), mac_peer, mac_us, &router, &us, proto, l4_len, 1);
	m = frame + h;
	m[0] = type;
	m[1] = code;
	m[4] = (uint8_t)(word >> 24);
	m[5] = (uint8_t)(word >> 16);
	m[6] = (uint8_t)(word >> 8);
	m[7] = (uint8_t)word;
	/* Our packet's IP header, as dp_inet_build() wrote it. */
	cr_assert_neq(dp_inet_build(inner, sizeof(inner), mac_us, mac_peer, &us, &peer,
			      DP_INET_PROTO_SCTP, sent_total - ip_len, 9),
		0);
	memcpy(m + 8, inner + 14, ip_len);
	memcpy(m + 8 + ip_len, sctp_sent, quote_l4);
	len = h + l4_len;
	if (len < 60)
		len = 60;
	fix_cksum(frame, len);
	cr_assert_eq(dp_inet_parse(frame, len, in), 0);
	return len;
}

static int
parse_err(const struct dp_inet *in, struct dp_icmp_err *e)
{
	return dp_icmp_error_parse(frame + in->l4_off, in->l4_len, &in->src, &in->dst, e);
}

Test(icmp, ipv4_fragmentation_needed_gives_mtu_and_quoted_sctp_bytes)
{
	struct dpsctp_addr us = v4(0x0a000001), peer = v4(0xc0a80105);
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 1400, 1500, 28, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.kind, DP_ICMP_PTB);
	cr_assert_eq(e.type, 3);
	cr_assert_eq(e.code, 4);
	cr_assert_eq(e.mtu, 1400);
	cr_assert_not(e.mtu_estimated);
	cr_assert(dp_inet_addr_eq(&e.inner_src, &us));
	cr_assert(dp_inet_addr_eq(&e.inner_dst, &peer));
	cr_assert_eq(e.inner_proto, DP_INET_PROTO_SCTP);
	cr_assert_eq(e.quoted_len, 28);
	cr_assert_eq(e.quoted, frame + in.l4_off + 8 + 20, "points into the frame");
	cr_assert_arr_eq(e.quoted, sctp_sent, 28);
}

Test(icmp, ipv4_frag_needed_without_mtu_falls_back_to_the_rfc1191_plateau)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 0, 1500, 8, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert(e.mtu_estimated);
	cr_assert_eq(e.mtu, 1492);
	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 0, 1006, 8, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.mtu, 508, "strictly below the packet's total length");
}

Test(icmp, ipv4_protocol_unreachable_is_an_unreach_error)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, 2, 0, 100, 12, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.kind, DP_ICMP_UNREACH);
	cr_assert_eq(e.code, 2);
	cr_assert_eq(e.mtu, 0);
	cr_assert_eq(e.quoted_len, 12);
}

Test(icmp, ipv6_packet_too_big_gives_mtu_and_quoted_sctp_bytes)
{
	struct dpsctp_addr us = v6(1), peer = v6(0x105);
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(6, DP_ICMP6_PACKET_TOO_BIG, 0, 1280, 1500, 28, &in);
	cr_assert(icmp6_cksum_ok(frame, in.l4_off));
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.kind, DP_ICMP_PTB);
	cr_assert_eq(e.mtu, 1280);
	cr_assert(dp_inet_addr_eq(&e.inner_src, &us));
	cr_assert(dp_inet_addr_eq(&e.inner_dst, &peer));
	cr_assert_eq(e.inner_proto, DP_INET_PROTO_SCTP);
	cr_assert_eq(e.quoted_len, 28);
	cr_assert_arr_eq(e.quoted, sctp_sent, 28);
}

Test(icmp, ipv6_checksum_covers_the_outer_addresses)
{
	struct dpsctp_addr other = v6(0x99);
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(6, DP_ICMP6_DEST_UNREACH, 4, 0, 200, 16, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.kind, DP_ICMP_UNREACH);
	cr_assert_eq(e.code, 4, "port unreachable");
	cr_assert_eq(
		dp_icmp_error_parse(frame + in.l4_off, in.l4_len, &other, &in.dst, &e), -EBADMSG);
}

Test(icmp, bad_checksum_is_refused)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 1400, 1500, 28, &in);
	frame[in.l4_off + 7] ^= 0x10; /* MTU changed after the checksum */
	cr_assert_eq(parse_err(&in, &e), -EBADMSG);
}

Test(icmp, quotes_shorter_than_eight_sctp_bytes_are_refused)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 1400, 1500, 7, &in);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);
	icmp_error(4, DP_ICMP4_DEST_UNREACH, DP_ICMP4_FRAG_NEEDED, 1400, 1500, 8, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.quoted_len, 8);
	icmp_error(6, DP_ICMP6_PACKET_TOO_BIG, 0, 1280, 1500, 7, &in);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);
	/* The quoted packet was itself 4 bytes of SCTP (total 24): the rest is padding. */
	icmp_error(4, DP_ICMP4_DEST_UNREACH, 1, 0, 24, 12, &in);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);
	/* No room for the inner header at all: 19 of its 20 bytes, checksum right. */
	{
		uint8_t cut[27];

		memcpy(cut, frame + in.l4_off, sizeof(cut));
		put16(cut + 2, 0);
		put16(cut + 2, dp_inet_cksum(cut, sizeof(cut)));
		cr_assert_eq(dp_icmp_error_parse(cut, sizeof(cut), &in.src, &in.dst, &e), -EINVAL);
	}
	cr_assert_eq(dp_icmp_error_parse(frame + in.l4_off, 7, &in.src, &in.dst, &e), -EINVAL);
}

Test(icmp, trailing_bytes_beyond_the_quoted_packet_are_cut)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	/* Our packet was 20 + 16 bytes; the router quoted 28 SCTP bytes (12 of its padding). */
	icmp_error(4, DP_ICMP4_DEST_UNREACH, 3, 0, 36, 28, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.quoted_len, 16);
}

Test(icmp, rfc4884_length_bounds_the_quote)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	/* Length 8 words = 32 bytes of original datagram: 20 of header, 12 of SCTP. */
	icmp_error(4, DP_ICMP4_DEST_UNREACH, 1, 8u << 16, 1500, 28, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.quoted_len, 12);
	/* ICMPv6: 64-bit words in byte 4: 7 words = 56 bytes = 40 + 16. */
	icmp_error(6, DP_ICMP6_DEST_UNREACH, 3, 7u << 24, 1500, 28, &in);
	cr_assert_eq(parse_err(&in, &e), 0);
	cr_assert_eq(e.quoted_len, 16);
}

Test(icmp, quoted_header_that_is_not_ours_is_refused)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, DP_ICMP4_DEST_UNREACH, 4, 1400, 1500, 28, &in);
	frame[in.l4_off + 8] = 0x65; /* inner version 6 */
	fix_cksum(frame, in.l4_off + in.l4_len);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);

	icmp_error(4, DP_ICMP4_DEST_UNREACH, 4, 1400, 1500, 28, &in);
	frame[in.l4_off + 8 + 7] = 0xb9; /* inner fragment offset 185: not the SCTP header */
	fix_cksum(frame, in.l4_off + in.l4_len);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);

	icmp_error(6, DP_ICMP6_PACKET_TOO_BIG, 0, 1280, 1500, 28, &in);
	frame[in.l4_off + 8] = 0x40; /* inner version 4 */
	fix_cksum(frame, in.l4_off + in.l4_len);
	cr_assert_eq(parse_err(&in, &e), -EINVAL);
}

Test(icmp, other_icmp_types_are_not_errors_we_act_on)
{
	struct dp_icmp_err e;
	struct dp_inet in;

	icmp_error(4, 11, 0, 0, 100, 8, &in); /* time exceeded */
	cr_assert_eq(parse_err(&in, &e), -ENOENT);
	icmp_error(4, DP_ICMP4_ECHO_REPLY, 0, 0, 100, 8, &in);
	cr_assert_eq(parse_err(&in, &e), -ENOENT);
	icmp_error(6, 3, 0, 0, 100, 8, &in); /* ICMPv6 time exceeded */
	cr_assert_eq(parse_err(&in, &e), -ENOENT);
	icmp_error(6, DP_ICMP6_ECHO_REPLY, 0, 0, 100, 8, &in);
	cr_assert_eq(parse_err(&in, &e), -ENOENT);
}

/*
 * Neighbour discovery
 */

static int
nd_parse(const uint8_t *f, size_t len, struct dp_inet *in, struct dp_nd *nd)
{
	cr_assert_eq(dp_inet_parse(f, len, in), 0);
	return dp_icmp_nd_parse(f + in->l4_off, in->l4_len, in, nd);
}

Test(icmp, ns_then_na_round_trip_with_valid_checksums)
{
	struct dpsctp_addr us = v6(1), peer = v6(0x2345), sn;
	const uint8_t sn_mac[6] = {0x33, 0x33, 0xff, 0x00, 0x23, 0x45};
	struct dp_inet in, in2;
	struct dp_nd ns, na;
	size_t len, rlen;

	/* The peer resolves us. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	cr_assert_eq(len, DP_ND_FRAME_LEN);
	cr_assert_eq(nd_parse(frame, len, &in, &ns), 0);
	dp_inet_solicited_node(&us, &sn);
	cr_assert(dp_inet_addr_eq(&in.dst, &sn));
	cr_assert_eq(in.ttl, 255);
	cr_assert(icmp6_cksum_ok(frame, in.l4_off));
	cr_assert_eq(ns.type, DP_ND_NS);
	cr_assert_not(ns.dad);
	cr_assert(dp_inet_addr_eq(&ns.target, &us));
	cr_assert(ns.has_lladdr);
	cr_assert_arr_eq(ns.lladdr, mac_peer, 6);

	/* We answer. */
	rlen = dp_icmp_nd_na_reply(&in, &ns, mac_us, reply, sizeof(reply));
	cr_assert_eq(rlen, DP_ND_FRAME_LEN);
	cr_assert_eq(nd_parse(reply, rlen, &in2, &na), 0);
	cr_assert(icmp6_cksum_ok(reply, in2.l4_off));
	cr_assert_arr_eq(in2.dst_mac, mac_peer, 6);
	cr_assert_arr_eq(in2.src_mac, mac_us, 6);
	cr_assert(dp_inet_addr_eq(&in2.src, &us));
	cr_assert(dp_inet_addr_eq(&in2.dst, &peer));
	cr_assert_eq(in2.ttl, 255);
	cr_assert_eq(na.type, DP_ND_NA);
	cr_assert_eq(na.flags, DP_ND_NA_FLAG_SOLICITED | DP_ND_NA_FLAG_OVERRIDE);
	cr_assert(dp_inet_addr_eq(&na.target, &us));
	cr_assert(na.has_lladdr);
	cr_assert_arr_eq(na.lladdr, mac_us, 6);

	/* And the other way: our NS goes to the peer's solicited-node group. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_us, &us, &peer);
	cr_assert_eq(nd_parse(frame, len, &in, &ns), 0);
	cr_assert_arr_eq(in.dst_mac, sn_mac, 6);
	cr_assert(in.l2_mcast);
}

Test(icmp, dad_probe_is_answered_to_all_nodes_without_solicited_flag)
{
	struct dpsctp_addr us = v6(1), unspec = {.family = 6};
	const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	struct dp_inet in, in2;
	struct dp_nd ns, na;
	size_t len, rlen;

	/* A DAD probe: source ::, to the solicited-node group, no SLLA: build one by hand. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &us, &us);
	memset(frame + 14 + 8, 0, 16);
	len -= 8;           /* drop the option */
	frame[14 + 5] = 24; /* payload length */
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &ns), 0);
	cr_assert(ns.dad);
	cr_assert_not(ns.has_lladdr);

	rlen = dp_icmp_nd_na_reply(&in, &ns, mac_us, reply, sizeof(reply));
	cr_assert_eq(nd_parse(reply, rlen, &in2, &na), 0);
	cr_assert_arr_eq(in2.dst_mac, all_nodes_mac, 6);
	cr_assert_eq(in2.dst.bytes[0], 0xff);
	cr_assert_eq(in2.dst.bytes[15], 1);
	cr_assert_eq(na.flags, DP_ND_NA_FLAG_OVERRIDE);

	/* With an SLLA, or to a group that is not solicited-node, it is invalid. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &unspec, &us);
	cr_assert_eq(nd_parse(frame, len, &in, &ns), -EINVAL);
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &us, &us);
	memset(frame + 14 + 8, 0, 16);
	len -= 8;
	frame[14 + 5] = 24;
	frame[14 + 24 + 12] = 0; /* ff02::1:ff... -> ff02::0:ff... */
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &ns), -EINVAL);
}

Test(icmp, unsolicited_na_goes_to_all_nodes_with_override)
{
	struct dpsctp_addr us = v6(1);
	const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	struct dp_inet in;
	struct dp_nd na;
	size_t len;

	len = dp_icmp_nd_build_unsolicited_na(frame, sizeof(frame), mac_us, &us);
	cr_assert_eq(len, DP_ND_FRAME_LEN);
	cr_assert_eq(nd_parse(frame, len, &in, &na), 0);
	cr_assert_arr_eq(in.dst_mac, all_nodes_mac, 6);
	cr_assert(dp_inet_addr_is_multicast(&in.dst));
	cr_assert(dp_inet_addr_eq(&in.src, &us));
	cr_assert_eq(na.flags, DP_ND_NA_FLAG_OVERRIDE);
	cr_assert(dp_inet_addr_eq(&na.target, &us));
	cr_assert_arr_eq(na.lladdr, mac_us, 6);
	cr_assert(icmp6_cksum_ok(frame, in.l4_off));
}

Test(icmp, nd_messages_failing_rfc4861_validation_are_refused)
{
	struct dpsctp_addr us = v6(1), peer = v6(2), group;
	struct dp_inet in;
	struct dp_nd nd;
	size_t len;

	/* Forwarded by a router: hop limit 254. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[14 + 7] = 254;
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);

	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[54 + 20] ^= 1; /* target changed, checksum not */
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EBADMSG);

	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[54 + 1] = 1; /* code */
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);

	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[54 + 25] = 0; /* option length 0 */
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);

	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[54 + 25] = 2; /* option longer than the message */
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);

	dp_inet_addr_v6(&group, (uint8_t[16]){0xff, 0x02, [15] = 0x16});
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &group);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL, "multicast target");

	/* A solicited NA to a multicast address. */
	len = dp_icmp_nd_build_na(
		frame, sizeof(frame), mac_us, mac_peer, &us, &group, &us, DP_ND_NA_FLAG_SOLICITED);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);
	len = dp_icmp_nd_build_na(
		frame, sizeof(frame), mac_us, mac_peer, &us, &peer, &us, DP_ND_NA_FLAG_SOLICITED);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), 0, "unicast it is fine");

	/* Shorter than 24 bytes. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[14 + 5] = 23;
	len = 54 + 23;
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -EINVAL);

	/* A Router Solicitation is not ours to handle. */
	len = dp_icmp_nd_build_ns(frame, sizeof(frame), mac_peer, &peer, &us);
	frame[54] = 133;
	fix_cksum(frame, len);
	cr_assert_eq(nd_parse(frame, len, &in, &nd), -ENOENT);
}

Test(icmp, nd_builders_refuse_small_buffers_and_ipv4)
{
	struct dpsctp_addr us = v6(1), four = v4(1);

	cr_assert_eq(dp_icmp_nd_build_ns(frame, DP_ND_FRAME_LEN - 1, mac_us, &us, &us), 0);
	cr_assert_eq(dp_icmp_nd_build_ns(frame, sizeof(frame), mac_us, &four, &us), 0);
	cr_assert_eq(dp_icmp_nd_build_ns(frame, sizeof(frame), mac_us, &us, &four), 0);
	cr_assert_eq(dp_icmp_nd_build_unsolicited_na(frame, DP_ND_FRAME_LEN - 1, mac_us, &us), 0);
	cr_assert_eq(dp_icmp_nd_build_unsolicited_na(frame, sizeof(frame), mac_us, &four), 0);
}
