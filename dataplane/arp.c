/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP for Ethernet and IPv4 (arp.h), RFC 826. Field layout (after the Ethernet header):
 * hardware type (2), protocol type (2), hardware length (1), protocol length (1), op (2),
 * sender MAC (6), sender IP (4), target MAC (6), target IP (4).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>

#include "arp.h"
#include "inet.h"
#include "wbuf.h"

int
dp_arp_parse(const uint8_t *arp, size_t len, struct dp_arp *out)
{
	uint16_t op;

	if (len < DP_ARP_LEN)
		return -EINVAL;
	if (dpsctp_get_be16(arp) != RTE_ARP_HRD_ETHER ||
		dpsctp_get_be16(arp + 2) != RTE_ETHER_TYPE_IPV4 || arp[4] != 6 || arp[5] != 4)
		return -EINVAL;
	op = dpsctp_get_be16(arp + 6);
	if (op != DP_ARP_OP_REQUEST && op != DP_ARP_OP_REPLY)
		return -EINVAL;

	memset(out, 0, sizeof(*out));
	out->op = op;
	memcpy(out->sha, arp + 8, 6);
	out->spa.family = 4;
	memcpy(out->spa.bytes, arp + 14, 4);
	memcpy(out->tha, arp + 18, 6);
	out->tpa.family = 4;
	memcpy(out->tpa.bytes, arp + 24, 4);
	return 0;
}

bool
dp_arp_is_gratuitous(const struct dp_arp *a)
{
	return dp_inet_addr_eq(&a->spa, &a->tpa);
}

size_t
dp_arp_build(uint8_t *frame, size_t cap, uint16_t op, const uint8_t smac[6],
	const struct dpsctp_addr *sip, const uint8_t tmac[6], const struct dpsctp_addr *tip,
	const uint8_t eth_dst[6])
{
	uint8_t *arp = frame + DP_INET_ETH_HDR_LEN;

	if (cap < DP_ARP_FRAME_LEN || (op != DP_ARP_OP_REQUEST && op != DP_ARP_OP_REPLY) ||
		sip->family != 4 || tip->family != 4)
		return 0;
	memset(frame, 0, DP_ARP_FRAME_LEN);
	memcpy(frame, eth_dst != NULL ? eth_dst : dp_inet_bcast_mac, 6);
	memcpy(frame + 6, smac, 6);
	dpsctp_put_be16(frame + 12, RTE_ETHER_TYPE_ARP);

	dpsctp_put_be16(arp, RTE_ARP_HRD_ETHER);
	dpsctp_put_be16(arp + 2, RTE_ETHER_TYPE_IPV4);
	arp[4] = 6;
	arp[5] = 4;
	dpsctp_put_be16(arp + 6, op);
	memcpy(arp + 8, smac, 6);
	memcpy(arp + 14, sip->bytes, 4);
	if (tmac != NULL)
		memcpy(arp + 18, tmac, 6);
	memcpy(arp + 24, tip->bytes, 4);
	return DP_ARP_FRAME_LEN;
}

size_t
dp_arp_build_reply(uint8_t *frame, size_t cap, const struct dp_arp *req, const uint8_t our_mac[6])
{
	return dp_arp_build(
		frame, cap, DP_ARP_OP_REPLY, our_mac, &req->tpa, req->sha, &req->spa, req->sha);
}
