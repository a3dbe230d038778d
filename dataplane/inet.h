/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet, IPv4 and IPv6 on plain byte buffers: classify a received frame, build the headers
 * of a frame to send, compare and classify addresses, Internet checksums (RFC 1071).
 *
 * Pure functions over memory: no mbuf, no EAL, no clock, no global state, so that the worker
 * loop can call them on the data of an mbuf and the unit tests on arrays. Nothing here needs
 * any particular alignment of the buffers.
 *
 * We never reassemble: RFC 9260 lets SCTP fragment user messages itself and we send every
 * IPv4 packet with DF set and no IPv6 fragment header, so a fragment that reaches us is either
 * not for us or an attack on a reassembly buffer we do not have. They are dropped and counted.
 */
#ifndef DPSCTP_DATAPLANE_INET_H
#define DPSCTP_DATAPLANE_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h" /* struct dpsctp_addr */

#define DP_INET_ETH_HDR_LEN 14   /**< destination MAC, source MAC, EtherType */
#define DP_INET_IPV4_HDR_LEN 20  /**< IPv4 header without options (IHL 5) */
#define DP_INET_IPV6_HDR_LEN 40  /**< IPv6 fixed header */
#define DP_INET_ETH_MIN_FRAME 60 /**< shortest Ethernet frame without FCS; shorter is padded */

#define DP_INET_PROTO_ICMP 1    /**< IPv4 protocol number of ICMP (RFC 792) */
#define DP_INET_PROTO_ICMPV6 58 /**< IPv6 next header of ICMPv6 (RFC 4443) */
#define DP_INET_PROTO_SCTP 132  /**< IP protocol number of SCTP (RFC 9260) */
#define DP_INET_DEFAULT_TTL 64  /**< TTL / hop limit of what dp_inet_build() writes */

/** What a received frame carries. */
enum dp_inet_kind {
	DP_INET_ARP = 1, /**< ARP (EtherType 0x0806): hand frame + l3_off to dp_arp_parse() */
	DP_INET_IPV4,    /**< IPv4 (EtherType 0x0800) */
	DP_INET_IPV6,    /**< IPv6 (EtherType 0x86DD) */
};

/**
 * Why dp_inet_parse() refused a frame. Positive, starting at 1, so that 0 means accepted and a
 * counter array of DP_INET_DROP_COUNT entries can be indexed by the reason (entry 0 unused).
 */
enum dp_inet_drop {
	DP_INET_DROP_RUNT = 1,     /**< shorter than the Ethernet header */
	DP_INET_DROP_ETHERTYPE,    /**< neither IPv4, IPv6 nor ARP */
	DP_INET_DROP_VLAN,         /**< 802.1Q / 802.1ad tagged: not supported */
	DP_INET_DROP_IPV4_HDR,     /**< version, IHL < 5, header or total length out of the frame */
	DP_INET_DROP_IPV4_CSUM,    /**< IPv4 header checksum wrong */
	DP_INET_DROP_IPV4_FRAG,    /**< MF set or fragment offset non-zero: we never reassemble */
	DP_INET_DROP_IPV4_SRC_BAD, /**< source is multicast or the limited broadcast */
	DP_INET_DROP_IPV6_HDR,     /**< version, payload or an extension header out of the frame */
	DP_INET_DROP_IPV6_EXT,     /**< an extension header or option we must not skip */
	DP_INET_DROP_IPV6_FRAG,    /**< a Fragment header of a real fragment */
	DP_INET_DROP_IPV6_SRC_BAD, /**< source is multicast (RFC 4291 2.7) */
	DP_INET_DROP_COUNT,        /**< one past the last reason: size of a counter array */
};

/** A received frame, classified by dp_inet_parse(). Offsets are from the first frame byte. */
struct dp_inet {
	uint8_t kind;       /**< enum dp_inet_kind */
	uint8_t proto;      /**< IP protocol / final next header (132, 1, 58...); 0 for ARP */
	uint8_t ttl;        /**< IPv4 TTL or IPv6 hop limit; 0 for ARP */
	uint8_t tclass;     /**< IPv4 TOS or IPv6 traffic class (DSCP and ECN bits); 0 for ARP */
	bool l2_bcast;      /**< destination MAC is ff:ff:ff:ff:ff:ff */
	bool l2_mcast;      /**< destination MAC has the group bit (broadcast included) */
	uint32_t l3_off;    /**< offset of the ARP, IPv4 or IPv6 header (14) */
	uint32_t l4_off;    /**< offset of the L4 header, after IPv4 options / IPv6 extensions;
				 for ARP equal to l3_off */
	uint32_t l4_len;    /**< L4 bytes by the IP length fields (Ethernet padding excluded);
				 for ARP the frame bytes from l3_off */
	uint8_t src_mac[6]; /**< Ethernet source */
	uint8_t dst_mac[6]; /**< Ethernet destination */
	struct dpsctp_addr src; /**< IP source; family 0 for ARP */
	struct dpsctp_addr dst; /**< IP destination; family 0 for ARP */
};

/** The broadcast MAC ff:ff:ff:ff:ff:ff. */
extern const uint8_t dp_inet_bcast_mac[6];

/**
 * Classify the received Ethernet frame @p frame of @p len bytes (without FCS).
 *
 * IPv4 options are skipped by IHL. IPv6 Hop-by-Hop (first only), Routing (Segments Left 0) and
 * Destination Options headers are skipped when well-formed and carrying only options whose
 * type says "skip if unrecognized" (RFC 8200 4.2); an atomic fragment (Fragment header with
 * offset 0 and M clear) is processed as an unfragmented packet (RFC 6946 4).
 *
 * @param frame the frame, from the destination MAC on; any alignment
 * @param len   its length in bytes, Ethernet padding included
 * @param out   filled on success; partly written on a drop
 * @return 0, or a positive enum dp_inet_drop
 */
int dp_inet_parse(const uint8_t *frame, size_t len, struct dp_inet *out);

/** Counter name of a drop reason ("ipv4_frag"); NULL for a value that is not a reason. */
const char *dp_inet_drop_name(int reason);

/**
 * Walk the IPv6 extension headers from @p p (the first byte after the fixed header).
 *
 * @param p     first extension header (or the upper-layer header)
 * @param len   bytes available at @p p
 * @param proto in: the fixed header's Next Header; out: the upper-layer protocol
 * @param off   out: bytes of extension headers skipped
 * @return 0, DP_INET_DROP_IPV6_HDR (malformed or truncated), DP_INET_DROP_IPV6_EXT (one we
 *	   must not skip) or DP_INET_DROP_IPV6_FRAG
 */
int dp_inet_ipv6_skip_ext(const uint8_t *p, size_t len, uint8_t *proto, size_t *off);

/** Bytes of Ethernet + IP header dp_inet_build() writes for @p family (34, 54; 0 otherwise). */
size_t dp_inet_hdr_len(uint8_t family);

/**
 * Write Ethernet and IP headers at @p buf, for an L4 payload of @p l4_len bytes that follows
 * them (in the same buffer or a chained segment: only the headers are written).
 *
 * IPv4: IHL 5, TOS 0, DF set (RFC 9260 assumes PMTU discovery, RFC 1191), TTL 64, ID @p ip_id
 * (RFC 6864 4.1: any value for an atomic datagram), header checksum. IPv6: traffic class 0,
 * flow label 0, hop limit 64.
 *
 * @param buf     where the Ethernet header goes
 * @param cap     bytes writable at @p buf (the headers only)
 * @param src_mac Ethernet source
 * @param dst_mac Ethernet destination
 * @param src     IP source
 * @param dst     IP destination, same family as @p src
 * @param proto   IP protocol / next header
 * @param l4_len  bytes of L4 payload, host order, for the length fields
 * @param ip_id   IPv4 Identification, host order; ignored for IPv6
 * @return header bytes written (34 or 54); 0 when @p cap is too small, the families differ or
 *	   are not 4/6, or @p l4_len does not fit the length field
 */
size_t dp_inet_build(uint8_t *buf, size_t cap, const uint8_t src_mac[6], const uint8_t dst_mac[6],
	const struct dpsctp_addr *src, const struct dpsctp_addr *dst, uint8_t proto, size_t l4_len,
	uint16_t ip_id);

/** Same family (4 or 6) and same address (for IPv4 the first 4 bytes only). */
bool dp_inet_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b);

/**
 * Do the first @p plen bits of @p a and @p prefix agree? False when the families differ or
 * @p plen exceeds the address width (32 / 128); true for @p plen 0 of the same family.
 */
bool dp_inet_prefix_match(
	const struct dpsctp_addr *a, const struct dpsctp_addr *prefix, unsigned int plen);

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8. */
bool dp_inet_addr_is_multicast(const struct dpsctp_addr *a);

/** 0.0.0.0 or :: (and false for a family other than 4 / 6). */
bool dp_inet_addr_is_unspecified(const struct dpsctp_addr *a);

/** IPv4 169.254.0.0/16 (RFC 3927) or IPv6 fe80::/10 (RFC 4291 2.5.6). */
bool dp_inet_addr_is_link_local(const struct dpsctp_addr *a);

/** Fill @p a with an IPv4 address given in host order (0x0a000001 is 10.0.0.1). */
void dp_inet_addr_v4(struct dpsctp_addr *a, uint32_t host_order);

/** Fill @p a with the IPv6 address @p bytes (16 bytes, network order). */
void dp_inet_addr_v6(struct dpsctp_addr *a, const uint8_t bytes[16]);

/** IPv6 solicited-node multicast address of @p target: ff02::1:ff00:0/104 + its low 24 bits
 *  (RFC 4291 2.7.1). @p target must be IPv6. */
void dp_inet_solicited_node(const struct dpsctp_addr *target, struct dpsctp_addr *out);

/** Ethernet address of the IPv6 multicast group @p group: 33:33 + its low 32 bits (RFC 2464 7);
 *  for a solicited-node group that is 33:33:ff:xx:xx:xx. */
void dp_inet_ipv6_mcast_mac(const struct dpsctp_addr *group, uint8_t mac[6]);

/**
 * Internet checksum (RFC 1071) of @p len bytes at @p buf: the one's complement of the one's
 * complement sum of the 16-bit big-endian words, an odd last byte padded with zero.
 *
 * @return the checksum in host order, to be stored big-endian in a field that was zero for the
 *	   computation; computed over data that holds a correct checksum, 0
 */
uint16_t dp_inet_cksum(const uint8_t *buf, size_t len);

/**
 * Checksum of an L4 message with the pseudo-header of its family: RFC 8200 8.1 for IPv6
 * (ICMPv6 uses it, RFC 4443 2.3), RFC 768 / 793 style for IPv4 (ICMPv4 uses none: take
 * dp_inet_cksum()).
 *
 * @param src   IP source of the packet
 * @param dst   IP destination (the final one)
 * @param proto upper-layer protocol
 * @param l4    the L4 header and payload
 * @param len   their length (the upper-layer packet length of the pseudo-header)
 * @return as dp_inet_cksum(): the value to store, or 0 over a correct message
 */
uint16_t dp_inet_l4_cksum(const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	uint8_t proto, const uint8_t *l4, size_t len);

#endif /* DPSCTP_DATAPLANE_INET_H */
