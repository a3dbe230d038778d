/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (arp.h): requests, replies and gratuitous ARP built, checked byte by byte against the
 * RFC 826 layout and DPDK's struct rte_arp_hdr, parsed back; malformed messages refused.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_arp.h>
#include <rte_byteorder.h>

#include "arp.h"
#include "inet.h"

TestSuite(arp);

static const uint8_t mac_us[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t mac_peer[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
static const uint8_t zero_mac[6];

static struct dpsctp_addr
v4(uint32_t host)
{
	struct dpsctp_addr a;

	dp_inet_addr_v4(&a, host);
	return a;
}

static uint8_t frame[128];

Test(arp, request_goes_to_broadcast_with_zero_target_mac)
{
	struct dpsctp_addr us = v4(0x0a000001), peer = v4(0x0a000002);
	struct rte_arp_hdr h;
	struct dp_inet in;
	struct dp_arp a;
	size_t i;

	memset(frame, 0x77, sizeof(frame));
	cr_assert_eq(dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, mac_us, &us, NULL, &peer,
			     NULL),
		60);
	cr_assert_arr_eq(frame, dp_inet_bcast_mac, 6);
	cr_assert_arr_eq(frame + 6, mac_us, 6);
	cr_assert_eq(frame[12], 0x08);
	cr_assert_eq(frame[13], 0x06);
	for (i = 42; i < 60; i++)
		cr_assert_eq(frame[i], 0, "padding byte %zu is %#x", i, frame[i]);
	cr_assert_eq(frame[60], 0x77, "nothing written past 60 bytes");

	memcpy(&h, frame + 14, sizeof(h));
	cr_assert_eq(rte_be_to_cpu_16(h.arp_hardware), RTE_ARP_HRD_ETHER);
	cr_assert_eq(rte_be_to_cpu_16(h.arp_protocol), 0x0800);
	cr_assert_eq(h.arp_hlen, 6);
	cr_assert_eq(h.arp_plen, 4);
	cr_assert_eq(rte_be_to_cpu_16(h.arp_opcode), RTE_ARP_OP_REQUEST);
	cr_assert_arr_eq(h.arp_data.arp_sha.addr_bytes, mac_us, 6);
	cr_assert_arr_eq(h.arp_data.arp_tha.addr_bytes, zero_mac, 6);
	cr_assert_eq(memcmp(&h.arp_data.arp_sip, us.bytes, 4), 0);
	cr_assert_eq(memcmp(&h.arp_data.arp_tip, peer.bytes, 4), 0);

	cr_assert_eq(dp_inet_parse(frame, 60, &in), 0);
	cr_assert_eq(in.kind, DP_INET_ARP);
	cr_assert_eq(dp_arp_parse(frame + in.l3_off, in.l4_len, &a), 0);
	cr_assert_eq(a.op, DP_ARP_OP_REQUEST);
	cr_assert_arr_eq(a.sha, mac_us, 6);
	cr_assert(dp_inet_addr_eq(&a.spa, &us));
	cr_assert(dp_inet_addr_eq(&a.tpa, &peer));
	cr_assert_not(dp_arp_is_gratuitous(&a));
}

Test(arp, reply_answers_the_request_unicast)
{
	struct dpsctp_addr us = v4(0x0a000001), peer = v4(0x0a000002);
	struct dp_arp req, rep;

	/* The peer asks who has 10.0.0.1. */
	cr_assert_eq(dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, mac_peer, &peer, NULL,
			     &us, NULL),
		60);
	cr_assert_eq(dp_arp_parse(frame + 14, 46, &req), 0);
	cr_assert(dp_inet_addr_eq(&req.tpa, &us));

	cr_assert_eq(dp_arp_build_reply(frame, sizeof(frame), &req, mac_us), 60);
	cr_assert_arr_eq(frame, mac_peer, 6, "unicast to the requester");
	cr_assert_arr_eq(frame + 6, mac_us, 6);
	cr_assert_eq(dp_arp_parse(frame + 14, 46, &rep), 0);
	cr_assert_eq(rep.op, DP_ARP_OP_REPLY);
	cr_assert_arr_eq(rep.sha, mac_us, 6);
	cr_assert(dp_inet_addr_eq(&rep.spa, &us));
	cr_assert_arr_eq(rep.tha, mac_peer, 6);
	cr_assert(dp_inet_addr_eq(&rep.tpa, &peer));
}

Test(arp, gratuitous_arp_is_a_broadcast_request_for_our_own_address)
{
	struct dpsctp_addr us = v4(0xc0a80101);
	struct dp_arp a;

	cr_assert_eq(
		dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, mac_us, &us, NULL, &us, NULL),
		60);
	cr_assert_arr_eq(frame, dp_inet_bcast_mac, 6);
	cr_assert_eq(dp_arp_parse(frame + 14, 46, &a), 0);
	cr_assert(dp_arp_is_gratuitous(&a));
	cr_assert(dp_inet_addr_eq(&a.spa, &us));
	cr_assert_arr_eq(a.tha, zero_mac, 6);
}

Test(arp, build_refuses_small_buffer_bad_op_and_non_ipv4)
{
	struct dpsctp_addr us = v4(1), six = {.family = 6};

	cr_assert_eq(dp_arp_build(frame, 59, DP_ARP_OP_REQUEST, mac_us, &us, NULL, &us, NULL), 0);
	cr_assert_eq(dp_arp_build(frame, 60, 3, mac_us, &us, NULL, &us, NULL), 0);
	cr_assert_eq(dp_arp_build(frame, 60, DP_ARP_OP_REPLY, mac_us, &six, NULL, &us, NULL), 0);
	cr_assert_eq(dp_arp_build(frame, 60, DP_ARP_OP_REPLY, mac_us, &us, NULL, &six, NULL), 0);
}

Test(arp, parse_refuses_short_and_foreign_messages)
{
	struct dpsctp_addr us = v4(0x0a000001);
	struct dp_arp a;
	uint8_t *m = frame + 14;

	dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, mac_us, &us, NULL, &us, NULL);
	cr_assert_eq(dp_arp_parse(m, 27, &a), -EINVAL);
	cr_assert_eq(dp_arp_parse(m, 28, &a), 0, "no padding needed");

	m[1] = 6; /* IEEE 802 hardware type */
	cr_assert_eq(dp_arp_parse(m, 28, &a), -EINVAL);
	m[1] = 1;
	m[2] = 0x86; /* IPv6 protocol type */
	m[3] = 0xdd;
	cr_assert_eq(dp_arp_parse(m, 28, &a), -EINVAL);
	m[2] = 0x08;
	m[3] = 0x00;
	m[4] = 8; /* hardware length */
	cr_assert_eq(dp_arp_parse(m, 28, &a), -EINVAL);
	m[4] = 6;
	m[5] = 16; /* protocol length */
	cr_assert_eq(dp_arp_parse(m, 28, &a), -EINVAL);
	m[5] = 4;
	m[7] = 3; /* RARP request */
	cr_assert_eq(dp_arp_parse(m, 28, &a), -EINVAL);
	m[7] = 2;
	cr_assert_eq(dp_arp_parse(m, 28, &a), 0);
	cr_assert_eq(a.op, DP_ARP_OP_REPLY);
}

Test(arp, probe_with_unspecified_sender_parses_for_the_caller_to_ignore)
{
	struct dpsctp_addr zero = v4(0), target = v4(0x0a000005);
	struct dp_arp a;

	/* RFC 5227 2.1.1: sender IP 0.0.0.0; must not be learnt, but decodes. */
	dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, mac_peer, &zero, NULL, &target, NULL);
	cr_assert_eq(dp_arp_parse(frame + 14, 46, &a), 0);
	cr_assert(dp_inet_addr_is_unspecified(&a.spa));
}
