/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP for Ethernet and IPv4 (RFC 826): decode a received ARP message, build requests, replies
 * and gratuitous ARP (RFC 5227 3) as whole Ethernet frames.
 *
 * Only the codec lives here. Whom to answer (the target is one of our addresses on the
 * receiving port), what to learn (RFC 826 "merge": a sender already in the cache is updated,
 * a new one is added when we are the target) and the probes of RFC 5227 (sender 0.0.0.0,
 * which must not be learnt) are the caller's decisions.
 */
#ifndef DPSCTP_DATAPLANE_ARP_H
#define DPSCTP_DATAPLANE_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h" /* struct dpsctp_addr */

#define DP_ARP_OP_REQUEST 1 /**< ar$op of a request (RFC 826) */
#define DP_ARP_OP_REPLY 2   /**< ar$op of a reply (RFC 826) */
#define DP_ARP_LEN 28       /**< ARP message for Ethernet / IPv4 */
#define DP_ARP_FRAME_LEN 60 /**< what dp_arp_build() writes: 14 + 28, padded to the minimum */

/** A decoded Ethernet / IPv4 ARP message. */
struct dp_arp {
	uint16_t op;            /**< DP_ARP_OP_REQUEST or DP_ARP_OP_REPLY, host order */
	uint8_t sha[6];         /**< sender hardware address */
	struct dpsctp_addr spa; /**< sender protocol address (family 4; 0.0.0.0 in a probe) */
	uint8_t tha[6];         /**< target hardware address (meaningless in a request) */
	struct dpsctp_addr tpa; /**< target protocol address (family 4) */
};

/**
 * Decode the ARP message at @p arp (the frame from dp_inet_parse()'s l3_off on).
 *
 * @param arp the ARP header
 * @param len bytes available at @p arp (Ethernet padding may follow the 28 bytes)
 * @param out filled on success
 * @return 0; -EINVAL when shorter than 28 bytes, not hardware type 1 (Ethernet) with protocol
 *	   0x0800 and lengths 6 / 4, or an operation other than request or reply
 */
int dp_arp_parse(const uint8_t *arp, size_t len, struct dp_arp *out);

/** Sender and target protocol addresses are equal: a gratuitous ARP (RFC 5227 3). */
bool dp_arp_is_gratuitous(const struct dp_arp *a);

/**
 * Build a whole Ethernet frame carrying an ARP message, padded with zeros to 60 bytes.
 *
 * @param frame   where the frame goes
 * @param cap     bytes writable at @p frame (at least 60)
 * @param op      DP_ARP_OP_REQUEST or DP_ARP_OP_REPLY
 * @param smac    sender hardware address, also the Ethernet source
 * @param sip     sender protocol address (IPv4)
 * @param tmac    target hardware address; NULL writes zeros (a request's, RFC 5227 2.1.1)
 * @param tip     target protocol address (IPv4); equal to @p sip for a gratuitous ARP
 * @param eth_dst Ethernet destination; NULL: broadcast (a request or a gratuitous ARP)
 * @return 60; 0 when @p cap is below 60, @p op is neither request nor reply, or an address is
 *	   not IPv4
 */
size_t dp_arp_build(uint8_t *frame, size_t cap, uint16_t op, const uint8_t smac[6],
	const struct dpsctp_addr *sip, const uint8_t tmac[6], const struct dpsctp_addr *tip,
	const uint8_t eth_dst[6]);

/**
 * Build the reply to the request @p req, which asked for one of our addresses (@p req->tpa),
 * unicast to the requester (RFC 826: swap, fill in our hardware address, set op to reply).
 *
 * @return 60, or 0 as dp_arp_build()
 */
size_t dp_arp_build_reply(
	uint8_t *frame, size_t cap, const struct dp_arp *req, const uint8_t our_mac[6]);

#endif /* DPSCTP_DATAPLANE_ARP_H */
