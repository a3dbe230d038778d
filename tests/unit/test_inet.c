/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet / IPv4 / IPv6 (inet.h): frames built byte by byte and by dp_inet_build(), every drop
 * reason, Ethernet padding, checksums against DPDK's own helpers, fragments, IPv6 extension
 * headers, address helpers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "inet.h"

TestSuite(inet);

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x02};

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

/* Frames: 8-byte aligned, since DPDK's rte_ipv4_cksum() takes a struct pointer. */
static _Alignas(8) uint8_t frame[2048];

/* An IPv4 frame from dp_inet_build() with @p l4_len payload bytes of 0xab. */
static size_t
build4(uint8_t proto, size_t l4_len)
{
	struct dpsctp_addr s = v4(0x0a000001), d = v4(0x0a000002);
	size_t h;

	memset(frame, 0, sizeof(frame));
	h = dp_inet_build(frame, sizeof(frame), mac_a, mac_b, &s, &d, proto, l4_len, 0x1234);
	cr_assert_eq(h, 34);
	memset(frame + h, 0xab, l4_len);
	return h + l4_len;
}

/* Re-checksum the IPv4 header of frame after a test edited it. */
static void
recsum4(void)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* An IPv6 frame: fixed header with next header @p nh, then @p ext (extension headers, @p elen
 * bytes), then @p l4_len bytes of 0xcd; payload length covers ext + l4. */
static size_t
build6(uint8_t nh, const uint8_t *ext, size_t elen, size_t l4_len)
{
	struct dpsctp_addr s = v6(1), d = v6(2);
	size_t h;

	memset(frame, 0, sizeof(frame));
	h = dp_inet_build(frame, sizeof(frame), mac_a, mac_b, &s, &d, nh, elen + l4_len, 0);
	cr_assert_eq(h, 54);
	if (elen != 0)
		memcpy(frame + h, ext, elen);
	memset(frame + h + elen, 0xcd, l4_len);
	return h + elen + l4_len;
}

/*
 * IPv4
 */

Test(inet, ipv4_sctp_frame_built_by_hand_is_classified)
{
	/* clang-format off */
	uint8_t f[60] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00, /* Ethernet */
		0x45, 0x02, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x3f, 0x84, 0x00, 0x00, /* IPv4 */
		10, 0, 0, 1, 192, 168, 7, 9,
		0x0b, 0x59, 0x0b, 0x59, 1, 2, 3, 4, 0, 0, 0, 0, /* SCTP common header */
		0x0e, 0x00, 0x00, 0x04, 0, 0, 0, 0, /* a chunk, then 4 bytes; 6 bytes of padding */
	};
	/* clang-format on */
	struct rte_ipv4_hdr ip;
	struct dp_inet in;

	memcpy(&ip, f + 14, sizeof(ip));
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(f + 14, &ip, sizeof(ip));

	cr_assert_eq(dp_inet_parse(f, sizeof(f), &in), 0);
	cr_assert_eq(in.kind, DP_INET_IPV4);
	cr_assert_eq(in.proto, DP_INET_PROTO_SCTP);
	cr_assert_eq(in.ttl, 0x3f);
	cr_assert_eq(in.tclass, 0x02, "ECN bits are reported");
	cr_assert_eq(in.l3_off, 14);
	cr_assert_eq(in.l4_off, 34);
	cr_assert_eq(in.l4_len, 20, "total length 40 - 20, not the frame's 26 bytes after IP");
	cr_assert_arr_eq(in.src_mac, mac_a, 6);
	cr_assert_arr_eq(in.dst_mac, mac_b, 6);
	cr_assert_not(in.l2_mcast);
	cr_assert_not(in.l2_bcast);
	cr_assert_eq(in.src.family, 4);
	cr_assert_eq(in.dst.family, 4);
	cr_assert(dp_inet_addr_eq(&in.src, &(struct dpsctp_addr){4, {10, 0, 0, 1}}));
	cr_assert(dp_inet_addr_eq(&in.dst, &(struct dpsctp_addr){4, {192, 168, 7, 9}}));
}

Test(inet, ethernet_padding_is_excluded_from_l4_length)
{
	struct dp_inet in;
	size_t len = build4(DP_INET_PROTO_SCTP, 12);

	cr_assert_eq(len, 46);
	/* The NIC hands over the minimum frame: 14 bytes of padding after the IP packet. */
	cr_assert_eq(dp_inet_parse(frame, 60, &in), 0);
	cr_assert_eq(in.l4_len, 12);
	cr_assert_eq(in.l4_off, 34);
}

Test(inet, build_ipv4_header_checksum_matches_dpdk_and_sets_df)
{
	struct dpsctp_addr s = v4(0xc0a80001), d = v4(0xc0a800fe);
	struct rte_ipv4_hdr ip;
	uint16_t want;
	size_t h;

	memset(frame, 0x5a, sizeof(frame));
	h = dp_inet_build(frame, 34, mac_a, mac_b, &s, &d, DP_INET_PROTO_SCTP, 100, 0xbeef);
	cr_assert_eq(h, 34);
	cr_assert_arr_eq(frame, mac_b, 6, "destination first");
	cr_assert_arr_eq(frame + 6, mac_a, 6);
	cr_assert_eq(frame[12], 0x08);
	cr_assert_eq(frame[13], 0x00);

	memcpy(&ip, frame + 14, sizeof(ip));
	cr_assert_eq(ip.version_ihl, 0x45);
	cr_assert_eq(ip.type_of_service, 0);
	cr_assert_eq(rte_be_to_cpu_16(ip.total_length), 120);
	cr_assert_eq(rte_be_to_cpu_16(ip.packet_id), 0xbeef);
	cr_assert_eq(rte_be_to_cpu_16(ip.fragment_offset), RTE_IPV4_HDR_DF_FLAG, "DF, offset 0");
	cr_assert_eq(ip.time_to_live, 64);
	cr_assert_eq(ip.next_proto_id, 132);
	cr_assert_eq(memcmp(&ip.src_addr, s.bytes, 4), 0);
	cr_assert_eq(memcmp(&ip.dst_addr, d.bytes, 4), 0);

	want = ip.hdr_checksum;
	ip.hdr_checksum = 0;
	cr_assert_eq(want, rte_ipv4_cksum(&ip), "checksum %#x, DPDK says %#x", want,
		rte_ipv4_cksum(&ip));
	cr_assert_eq(dp_inet_cksum(frame + 14, 20), 0, "a correct header sums to 0");
}

Test(inet, built_frames_parse_back)
{
	struct dp_inet in;
	size_t len = build4(DP_INET_PROTO_ICMP, 64);

	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.proto, DP_INET_PROTO_ICMP);
	cr_assert_eq(in.ttl, 64);
	cr_assert_eq(in.l4_len, 64);

	len = build6(DP_INET_PROTO_SCTP, NULL, 0, 300);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.kind, DP_INET_IPV6);
	cr_assert_eq(in.proto, DP_INET_PROTO_SCTP);
	cr_assert_eq(in.ttl, 64);
	cr_assert_eq(in.tclass, 0);
	cr_assert_eq(in.l4_off, 54);
	cr_assert_eq(in.l4_len, 300);
	cr_assert_not(dp_inet_addr_eq(&in.src, &(struct dpsctp_addr){0}));
	cr_assert_eq(in.src.family, 6);
	cr_assert_eq(in.src.bytes[0], 0x20);
	cr_assert_eq(in.src.bytes[15], 1);
	cr_assert_eq(in.dst.bytes[15], 2);
}

Test(inet, build_ipv6_header_fields)
{
	struct dpsctp_addr s = v6(7), d = v6(8);
	struct rte_ipv6_hdr ip;

	cr_assert_eq(dp_inet_build(frame, 54, mac_a, mac_b, &s, &d, 58, 1000, 0xffff), 54);
	cr_assert_eq(frame[12], 0x86);
	cr_assert_eq(frame[13], 0xdd);
	memcpy(&ip, frame + 14, sizeof(ip));
	cr_assert_eq(rte_be_to_cpu_32(ip.vtc_flow), 0x60000000u, "version 6, tc 0, flow 0");
	cr_assert_eq(rte_be_to_cpu_16(ip.payload_len), 1000);
	cr_assert_eq(ip.proto, 58);
	cr_assert_eq(ip.hop_limits, 64);
	cr_assert_arr_eq(ip.src_addr, s.bytes, 16);
	cr_assert_arr_eq(ip.dst_addr, d.bytes, 16);
}

Test(inet, build_refuses_small_buffer_mixed_families_and_oversize_payload)
{
	struct dpsctp_addr a4 = v4(1), b4 = v4(2), a6 = v6(1), bad = {0};

	cr_assert_eq(dp_inet_build(frame, 33, mac_a, mac_b, &a4, &b4, 132, 10, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 53, mac_a, mac_b, &a6, &a6, 132, 10, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &a4, &a6, 132, 10, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &bad, &bad, 132, 10, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &a4, &b4, 132, 65516, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &a4, &b4, 132, 65515, 0), 34);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &a6, &a6, 132, 65536, 0), 0);
	cr_assert_eq(dp_inet_build(frame, 100, mac_a, mac_b, &a6, &a6, 132, 65535, 0), 54);
	cr_assert_eq(dp_inet_hdr_len(4), 34);
	cr_assert_eq(dp_inet_hdr_len(6), 54);
	cr_assert_eq(dp_inet_hdr_len(5), 0);
}

Test(inet, runt_frames_are_dropped)
{
	struct dp_inet in;

	build4(132, 8);
	cr_assert_eq(dp_inet_parse(frame, 0, &in), DP_INET_DROP_RUNT);
	cr_assert_eq(dp_inet_parse(frame, 13, &in), DP_INET_DROP_RUNT);
	/* An Ethernet header and no room for the IPv4 header. */
	cr_assert_eq(dp_inet_parse(frame, 14, &in), DP_INET_DROP_IPV4_HDR);
	cr_assert_eq(dp_inet_parse(frame, 33, &in), DP_INET_DROP_IPV4_HDR);
}

Test(inet, other_ethertypes_and_vlan_tags_are_dropped)
{
	struct dp_inet in;
	size_t len = build4(132, 8);

	frame[12] = 0x88; /* LLDP */
	frame[13] = 0xcc;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_ETHERTYPE);
	frame[12] = 0x81;
	frame[13] = 0x00;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_VLAN);
	frame[12] = 0x88;
	frame[13] = 0xa8;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_VLAN);
}

Test(inet, ipv4_bad_version_ihl_and_lengths_are_header_errors)
{
	struct dp_inet in;
	size_t len = build4(132, 16);

	frame[14] = 0x65; /* version 6 in an IPv4 EtherType */
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_HDR);

	len = build4(132, 16);
	frame[14] = 0x44; /* IHL 4 */
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_HDR);

	len = build4(132, 16);
	frame[16] = 0;
	frame[17] = 37; /* total 37 > the 36 bytes the frame holds */
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_HDR);

	len = build4(132, 16);
	frame[16] = 0;
	frame[17] = 19; /* total below the header length */
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_HDR);

	len = build4(132, 0);
	frame[14] = 0x46; /* IHL 6: 24 bytes, the frame has 20 */
	frame[17] = 24;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_HDR);

	len = build4(132, 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0, "an empty payload is fine");
	cr_assert_eq(in.l4_len, 0);
}

Test(inet, ipv4_bad_header_checksum_is_dropped)
{
	struct dp_inet in;
	size_t len = build4(132, 16);

	frame[14 + 8] = 63; /* TTL changed, checksum not */
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_CSUM);
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
}

Test(inet, ipv4_fragments_are_dropped_by_mf_and_by_offset)
{
	struct dp_inet in;
	size_t len = build4(132, 16);

	frame[20] = 0x20; /* MF, offset 0: a first fragment */
	frame[21] = 0x00;
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_FRAG);

	frame[20] = 0x00; /* offset 8 bytes, last fragment */
	frame[21] = 0x01;
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_FRAG);

	frame[20] = 0x00; /* neither DF nor MF, offset 0: a whole datagram */
	frame[21] = 0x00;
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
}

Test(inet, ipv4_options_are_skipped_by_ihl)
{
	struct dp_inet in;
	size_t len;

	memset(frame, 0, sizeof(frame));
	build4(132, 0);
	/* Make room for 8 bytes of options (IHL 7): NOP NOP NOP EOL, then 4 bytes of EOL. */
	frame[14] = 0x47;
	frame[16] = 0;
	frame[17] = 28 + 12;
	memcpy(frame + 34, (uint8_t[]){1, 1, 1, 0, 0, 0, 0, 0}, 8);
	memset(frame + 42, 0xee, 12);
	recsum4();
	len = 14 + 28 + 12;
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.l4_off, 42);
	cr_assert_eq(in.l4_len, 12);
	cr_assert_eq(frame[in.l4_off], 0xee);
}

Test(inet, ipv4_multicast_or_broadcast_source_is_dropped)
{
	struct dp_inet in;
	size_t len = build4(132, 8);

	memcpy(frame + 26, (uint8_t[]){224, 0, 0, 1}, 4);
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_SRC_BAD);
	memcpy(frame + 26, (uint8_t[]){239, 255, 255, 250}, 4);
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_SRC_BAD);
	memcpy(frame + 26, (uint8_t[]){255, 255, 255, 255}, 4);
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV4_SRC_BAD);
	memcpy(frame + 26, (uint8_t[]){223, 255, 255, 255}, 4);
	recsum4();
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
}

Test(inet, destination_mac_broadcast_and_multicast_are_flagged)
{
	struct dp_inet in;
	size_t len = build4(132, 8);

	memset(frame, 0xff, 6);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert(in.l2_bcast);
	cr_assert(in.l2_mcast);
	memcpy(frame, (uint8_t[]){0x01, 0x00, 0x5e, 0, 0, 1}, 6);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_not(in.l2_bcast);
	cr_assert(in.l2_mcast);
}

Test(inet, arp_frames_are_classified_for_arp_parse)
{
	struct dp_inet in;
	uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06};

	cr_assert_eq(dp_inet_parse(f, sizeof(f), &in), 0);
	cr_assert_eq(in.kind, DP_INET_ARP);
	cr_assert_eq(in.l3_off, 14);
	cr_assert_eq(in.l4_off, 14);
	cr_assert_eq(in.l4_len, 46);
	cr_assert_eq(in.proto, 0);
	cr_assert_eq(in.src.family, 0);
	cr_assert(in.l2_bcast);
}

/*
 * IPv6
 */

Test(inet, ipv6_bad_version_and_payload_length_are_header_errors)
{
	struct dp_inet in;
	size_t len = build6(132, NULL, 0, 20);

	cr_assert_eq(dp_inet_parse(frame, 14 + 39, &in), DP_INET_DROP_IPV6_HDR);
	frame[14] = 0x40;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR);

	len = build6(132, NULL, 0, 20);
	frame[19] = 21; /* payload 21, the frame holds 20 */
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR);
	frame[19] = 12; /* shorter than the frame: padding excluded */
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.l4_len, 12);
}

Test(inet, ipv6_multicast_source_is_dropped)
{
	struct dp_inet in;
	size_t len = build6(132, NULL, 0, 20);

	frame[22] = 0xff;
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_SRC_BAD);
}

Test(inet, ipv6_hop_by_hop_routing_and_destination_options_are_skipped)
{
	/* HBH (router alert, PadN) -> Routing (type 4, segments left 0) -> DstOpts -> SCTP */
	/* clang-format off */
	uint8_t ext[] = {
		43, 0, 5, 2, 0, 0, 1, 0,          /* HBH: Router Alert (00 action bits), PadN 0 */
		60, 0, 4, 0, 0, 0, 0, 0,          /* Routing: type 4, segments left 0 */
		132, 1, 0, 0, 0, 0, 0, 0,         /* DstOpts, 16 bytes: Pad1 x 14 */
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	/* clang-format on */
	struct dp_inet in;
	size_t len = build6(0, ext, sizeof(ext), 24);

	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.proto, 132);
	cr_assert_eq(in.l4_off, 54 + sizeof(ext));
	cr_assert_eq(in.l4_len, 24);
	cr_assert_eq(frame[in.l4_off], 0xcd);
}

Test(inet, ipv6_fragment_header_is_dropped_but_an_atomic_fragment_is_not)
{
	uint8_t frag[8] = {132, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef}; /* offset 0, M set */
	struct dp_inet in;
	size_t len = build6(44, frag, sizeof(frag), 16);

	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_FRAG);
	frag[2] = 0x00; /* offset 1 (8 bytes), M clear: the last fragment */
	frag[3] = 0x08;
	len = build6(44, frag, sizeof(frag), 16);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_FRAG);
	/* RFC 6946: offset 0 and M clear is a whole packet with a Fragment header. */
	frag[3] = 0x06; /* the reserved bits do not count */
	len = build6(44, frag, sizeof(frag), 16);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.proto, 132);
	cr_assert_eq(in.l4_off, 62);
	cr_assert_eq(in.l4_len, 16);
}

Test(inet, ipv6_malformed_extension_headers_are_header_errors)
{
	uint8_t two_hbh[16] = {0, 0, 1, 4, 0, 0, 0, 0, 132, 0, 1, 4, 0, 0, 0, 0};
	uint8_t long_dst[8] = {132, 1, 1, 4, 0, 0, 0, 0}; /* claims 16 bytes, 8 follow */
	uint8_t opt_over[8] = {132, 0, 1, 5, 0, 0, 0, 0}; /* PadN of 5 in 6 bytes */
	struct dp_inet in;
	size_t len;

	len = build6(0, two_hbh, sizeof(two_hbh), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR, "HBH not first");
	len = build6(60, long_dst, sizeof(long_dst), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR);
	len = build6(60, opt_over, sizeof(opt_over), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR);
	len = build6(60, long_dst, 4, 0); /* a header cut short by the payload length */
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_HDR);
}

Test(inet, ipv6_extensions_we_must_not_skip_are_dropped)
{
	uint8_t route[8] = {132, 0, 4, 1, 0, 0, 0, 0};    /* segments left 1: for another node */
	uint8_t unk01[8] = {132, 0, 0x47, 4, 0, 0, 0, 0}; /* unknown option, action 01 */
	uint8_t unk10[8] = {132, 0, 0x87, 4, 0, 0, 0, 0}; /* unknown option, action 10 */
	uint8_t unk00[8] = {132, 0, 0x07, 4, 0, 0, 0, 0}; /* unknown option, action 00: skip */
	uint8_t ah[16] = {132, 2, 0, 0};
	struct dp_inet in;
	size_t len;

	len = build6(43, route, sizeof(route), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_EXT);
	len = build6(60, unk01, sizeof(unk01), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_EXT);
	len = build6(0, unk10, sizeof(unk10), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_EXT);
	len = build6(51, ah, sizeof(ah), 0);
	cr_assert_eq(dp_inet_parse(frame, len, &in), DP_INET_DROP_IPV6_EXT);
	len = build6(60, unk00, sizeof(unk00), 4);
	cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
	cr_assert_eq(in.l4_len, 4);
}

Test(inet, drop_reasons_have_distinct_counter_names)
{
	int i, j;

	cr_assert_null(dp_inet_drop_name(0));
	cr_assert_null(dp_inet_drop_name(DP_INET_DROP_COUNT));
	cr_assert_null(dp_inet_drop_name(-1));
	cr_assert_str_eq(dp_inet_drop_name(DP_INET_DROP_IPV4_FRAG), "ipv4_frag");
	cr_assert_str_eq(dp_inet_drop_name(DP_INET_DROP_RUNT), "runt");
	for (i = 1; i < DP_INET_DROP_COUNT; i++) {
		cr_assert_not_null(dp_inet_drop_name(i), "reason %d has no name", i);
		for (j = 1; j < i; j++)
			cr_assert_str_neq(dp_inet_drop_name(i), dp_inet_drop_name(j));
	}
}

/*
 * Addresses and checksums
 */

Test(inet, addresses_compare_by_family_and_bytes)
{
	struct dpsctp_addr a = v4(0x0a000001), b = v4(0x0a000001), c = v6(1);

	cr_assert(dp_inet_addr_eq(&a, &b));
	b.bytes[10] = 7; /* beyond an IPv4 address: ignored */
	cr_assert(dp_inet_addr_eq(&a, &b));
	b.bytes[3] = 2;
	cr_assert_not(dp_inet_addr_eq(&a, &b));
	cr_assert_not(dp_inet_addr_eq(&a, &c));
	c.family = 4;
	a.family = 5;
	b.family = 5;
	cr_assert_not(dp_inet_addr_eq(&a, &a), "an unknown family equals nothing");
}

Test(inet, prefix_match_handles_partial_bytes_zero_and_full_length)
{
	struct dpsctp_addr a = v4(0x0a0102ff), p = v4(0x0a010200);
	struct dpsctp_addr x = v6(0x1234), q = v6(0);

	cr_assert(dp_inet_prefix_match(&a, &p, 24));
	cr_assert(dp_inet_prefix_match(&a, &p, 0));
	cr_assert_not(dp_inet_prefix_match(&a, &p, 25));
	cr_assert_not(dp_inet_prefix_match(&a, &p, 32));
	cr_assert(dp_inet_prefix_match(&a, &a, 32));
	cr_assert_not(dp_inet_prefix_match(&a, &a, 33));
	p = v4(0x0a010280); /* 10.1.2.128/25 holds .255 */
	cr_assert(dp_inet_prefix_match(&a, &p, 25));
	p = v4(0x0a01027f);
	cr_assert_not(dp_inet_prefix_match(&a, &p, 25));
	cr_assert(dp_inet_prefix_match(&a, &p, 24));
	cr_assert(dp_inet_prefix_match(&x, &q, 64));
	cr_assert(dp_inet_prefix_match(&x, &q, 115));
	cr_assert_not(dp_inet_prefix_match(&x, &q, 116));
	cr_assert(dp_inet_prefix_match(&x, &x, 128));
	cr_assert_not(dp_inet_prefix_match(&x, &x, 129));
	cr_assert_not(dp_inet_prefix_match(&x, &p, 0), "families differ");
}

Test(inet, multicast_unspecified_and_link_local_are_recognised)
{
	struct dpsctp_addr a = v4(0xe0000001), b = v4(0xdfffffff), z4 = v4(0), z6 = v6(0);
	struct dpsctp_addr ll4 = v4(0xa9fe0001), ll6, mc6;

	dp_inet_addr_v6(&ll6, (uint8_t[16]){0xfe, 0x80, [15] = 1});
	dp_inet_addr_v6(&mc6, (uint8_t[16]){0xff, 0x02, [15] = 1});
	cr_assert(dp_inet_addr_is_multicast(&a));
	cr_assert_not(dp_inet_addr_is_multicast(&b));
	cr_assert(dp_inet_addr_is_multicast(&mc6));
	cr_assert_not(dp_inet_addr_is_multicast(&ll6));
	cr_assert(dp_inet_addr_is_unspecified(&z4));
	memset(z6.bytes, 0, 16);
	cr_assert(dp_inet_addr_is_unspecified(&z6));
	cr_assert_not(dp_inet_addr_is_unspecified(&b));
	cr_assert(dp_inet_addr_is_link_local(&ll4));
	cr_assert(dp_inet_addr_is_link_local(&ll6));
	cr_assert_not(dp_inet_addr_is_link_local(&mc6));
	cr_assert_not(dp_inet_addr_is_link_local(&b));
}

Test(inet, solicited_node_address_and_its_mac)
{
	struct dpsctp_addr t, sn;
	uint8_t mac[6];
	const uint8_t want[16] = {[0] = 0xff, 0x02, [11] = 0x01, 0xff, 0x12, 0x34, 0x56};
	const uint8_t want_mac[6] = {0x33, 0x33, 0xff, 0x12, 0x34, 0x56};

	dp_inet_addr_v6(&t, (uint8_t[16]){0x20, 0x01, 0x0d, 0xb8, [12] = 0xab, 0x12, 0x34, 0x56});
	dp_inet_solicited_node(&t, &sn);
	cr_assert_eq(sn.family, 6);
	cr_assert_arr_eq(sn.bytes, want, 16);
	dp_inet_ipv6_mcast_mac(&sn, mac);
	cr_assert_arr_eq(mac, want_mac, 6);
}

Test(inet, checksum_of_rfc1071_example_and_odd_lengths)
{
	/* RFC 1071 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d. */
	const uint8_t ex[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	const uint8_t odd[3] = {0x12, 0x34, 0x56}; /* 1234 + 5600 = 6834 */

	cr_assert_eq(dp_inet_cksum(ex, sizeof(ex)), 0x220d);
	cr_assert_eq(dp_inet_cksum(odd, sizeof(odd)), (uint16_t)~0x6834);
	cr_assert_eq(dp_inet_cksum(ex, 0), 0xffff);
}

Test(inet, l4_checksum_matches_dpdk_pseudo_header_checksums)
{
	struct dp_inet in;
	uint16_t ours, dpdk;
	size_t len, n;

	for (n = 8; n < 40; n += 7) { /* odd and even lengths */
		len = build6(DP_INET_PROTO_ICMPV6, NULL, 0, n);
		cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
		frame[54] = 0x80;
		frame[55] = (uint8_t)n;
		frame[56] = 0;
		frame[57] = 0;
		ours = dp_inet_l4_cksum(&in.src, &in.dst, 58, frame + 54, n);
		dpdk = rte_be_to_cpu_16(rte_ipv6_udptcp_cksum(
			(const struct rte_ipv6_hdr *)(frame + 14), frame + 54));
		cr_assert_eq(ours, dpdk, "IPv6, %zu bytes: %#x, DPDK %#x", n, ours, dpdk);
		frame[56] = (uint8_t)(ours >> 8);
		frame[57] = (uint8_t)ours;
		cr_assert_eq(dp_inet_l4_cksum(&in.src, &in.dst, 58, frame + 54, n), 0);

		len = build4(17, n);
		cr_assert_eq(dp_inet_parse(frame, len, &in), 0);
		frame[40] = 0; /* where a UDP checksum sits */
		frame[41] = 0;
		ours = dp_inet_l4_cksum(&in.src, &in.dst, 17, frame + 34, n);
		dpdk = rte_be_to_cpu_16(rte_ipv4_udptcp_cksum(
			(const struct rte_ipv4_hdr *)(frame + 14), frame + 34));
		cr_assert_eq(ours, dpdk, "IPv4, %zu bytes: %#x, DPDK %#x", n, ours, dpdk);
	}
}
