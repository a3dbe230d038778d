/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP for an SCTP host on byte buffers: echo replies (ICMPv4 RFC 792, ICMPv6 RFC 4443 4.2),
 * intake of the errors SCTP acts on (RFC 9260 appendix C: destination unreachable,
 * fragmentation needed / packet too big for PMTU discovery, RFC 1191 and RFC 8201), and IPv6
 * neighbour discovery messages (RFC 4861: NS and NA, the ARP of IPv6).
 *
 * Codec only: the caller has checked that the packet is addressed to one of our addresses on
 * the receiving port, decides whether to answer, and matches a quoted packet to an association
 * (dpsctp_endpoint_icmp_ptb() checks ports and verification tag).
 */
#ifndef DPSCTP_DATAPLANE_ICMP_H
#define DPSCTP_DATAPLANE_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inet.h"
#include "param.h" /* struct dpsctp_addr */

#define DP_ICMP4_ECHO_REPLY 0     /**< ICMPv4 Echo Reply (RFC 792) */
#define DP_ICMP4_DEST_UNREACH 3   /**< ICMPv4 Destination Unreachable (RFC 792) */
#define DP_ICMP4_FRAG_NEEDED 4    /**< its code "fragmentation needed and DF set" (RFC 1191) */
#define DP_ICMP4_ECHO_REQUEST 8   /**< ICMPv4 Echo (RFC 792) */
#define DP_ICMP6_DEST_UNREACH 1   /**< ICMPv6 Destination Unreachable (RFC 4443 3.1) */
#define DP_ICMP6_PACKET_TOO_BIG 2 /**< ICMPv6 Packet Too Big (RFC 4443 3.2) */
#define DP_ICMP6_ECHO_REQUEST 128 /**< ICMPv6 Echo Request (RFC 4443 4.1) */
#define DP_ICMP6_ECHO_REPLY 129   /**< ICMPv6 Echo Reply (RFC 4443 4.2) */
#define DP_ND_NS 135              /**< Neighbor Solicitation (RFC 4861 4.3) */
#define DP_ND_NA 136              /**< Neighbor Advertisement (RFC 4861 4.4) */

#define DP_ND_NA_FLAG_ROUTER 0x80    /**< NA R flag: the sender is a router */
#define DP_ND_NA_FLAG_SOLICITED 0x40 /**< NA S flag: an answer to an NS */
#define DP_ND_NA_FLAG_OVERRIDE 0x20  /**< NA O flag: replace a cached link-layer address */
#define DP_ND_HOP_LIMIT 255          /**< RFC 4861 7.1: proof that the sender is on-link */
#define DP_ND_FRAME_LEN 86 /**< NS / NA frame we build: 14 + 40 + 24 + 8 (link-layer option) */

/** The smallest path MTUs ICMP may set (RFC 791 / RFC 8200 5): IPv4 68, IPv6 1280. */
#define DP_ICMP_MIN_MTU4 68
#define DP_ICMP_MIN_MTU6 1280

/**
 * Answer an echo request: ICMPv4 type 8 or ICMPv6 type 128 (code 0), checksum verified. The
 * reply goes back to the frame's source MAC and IP address, from @p our_mac and the address
 * the request was sent to, with the request's identifier, sequence number and data, type 0 /
 * 129, a new checksum, TTL / hop limit 64. IPv4 options are not copied back (RFC 1122
 * 3.2.2.6 only says SHOULD for Record Route and Timestamp).
 *
 * No reply (0) to a request sent to a multicast or broadcast address: RFC 1122 3.2.2.6 lets
 * IPv4 discard those, and for IPv6 (RFC 4443 4.2) the reply would need a unicast source this
 * function cannot choose.
 *
 * @param frame the received frame
 * @param len   its length
 * @param in    dp_inet_parse() of @p frame (IPv4 or IPv6)
 * @param our_mac Ethernet source of the reply
 * @param out   where the reply frame goes (not overlapping @p frame)
 * @param cap   bytes writable at @p out
 * @return length of the reply frame; 0 when @p in is not an echo request, its checksum is
 *	   wrong, its destination is multicast / broadcast or @p cap is too small
 */
size_t dp_icmp_echo_reply(const uint8_t *frame, size_t len, const struct dp_inet *in,
	const uint8_t our_mac[6], uint8_t *out, size_t cap);

/** What an ICMP error reports. */
enum dp_icmp_err_kind {
	DP_ICMP_UNREACH = 1, /**< destination unreachable (any code but fragmentation needed) */
	DP_ICMP_PTB,         /**< ICMPv4 fragmentation needed or ICMPv6 packet too big */
};

/** An ICMP error about a packet we sent, decoded by dp_icmp_error_parse(). */
struct dp_icmp_err {
	uint8_t kind;                 /**< enum dp_icmp_err_kind */
	uint8_t type;                 /**< ICMP type as received */
	uint8_t code;                 /**< ICMP code (e.g. ICMPv4 3/2 protocol unreachable) */
	bool mtu_estimated;           /**< ICMPv4 code 4 without a next-hop MTU (pre RFC 1191
					   router): @c mtu is the RFC 1191 7 plateau below the
					   quoted packet's total length */
	uint32_t mtu;                 /**< PTB: reported MTU in bytes, host order; 0 otherwise.
					   Not clamped: the engine applies the 512 / 1280 floors */
	struct dpsctp_addr inner_src; /**< source of the quoted packet (one of ours) */
	struct dpsctp_addr inner_dst; /**< destination of the quoted packet (the peer) */
	uint8_t inner_proto;          /**< protocol of the quoted packet (132 for SCTP) */
	const uint8_t *quoted;        /**< quoted L4 bytes (SCTP common header on), into @p l4 */
	size_t quoted_len;            /**< their number, at least 8 */
};

/**
 * Decode an ICMP error message. ICMPv4 type 3 (all codes; code 4 is fragmentation needed with
 * the next-hop MTU of RFC 1191), ICMPv6 type 1 (destination unreachable) and type 2 (packet too
 * big). The quote is bounded by the RFC 4884 length field when one is present and by the
 * quoted packet's own length.
 *
 * @param l4        the ICMP message (frame + l4_off)
 * @param l4_len    its length (dp_inet l4_len)
 * @param outer_src IP source of the ICMP packet (needed for the ICMPv6 checksum); its family
 *		    selects ICMPv4 or ICMPv6
 * @param outer_dst IP destination of the ICMP packet
 * @param out       filled on success
 * @return 0; -ENOENT for another ICMP type (nothing SCTP acts on); -EBADMSG for a wrong
 *	   checksum; -EINVAL when malformed, when the quoted IP header is not of the same family,
 *	   is a non-first fragment, or fewer than 8 L4 bytes are quoted
 */
int dp_icmp_error_parse(const uint8_t *l4, size_t l4_len, const struct dpsctp_addr *outer_src,
	const struct dpsctp_addr *outer_dst, struct dp_icmp_err *out);

/** A decoded Neighbor Solicitation or Advertisement. */
struct dp_nd {
	uint8_t type;              /**< DP_ND_NS or DP_ND_NA */
	uint8_t flags;             /**< NA: DP_ND_NA_FLAG_*; 0 for NS */
	bool dad;                  /**< NS from the unspecified address: duplicate address
					detection (RFC 4862 5.4.3), answer to all-nodes */
	bool has_lladdr;           /**< a source (NS) / target (NA) link-layer address option */
	uint8_t lladdr[6];         /**< its Ethernet address */
	struct dpsctp_addr target; /**< Target Address */
};

/**
 * Decode and validate an NS or NA (RFC 4861 7.1.1, 7.1.2): IP hop limit 255, checksum, code 0,
 * ICMP length 24 or more, target not multicast, no option of length 0; NS from :: only to a
 * solicited-node address and without a source link-layer option; NA to a multicast address
 * only with S clear.
 *
 * @param l4     the ICMPv6 message (frame + l4_off)
 * @param l4_len its length
 * @param in     dp_inet_parse() of the frame (IPv6, proto 58): addresses and hop limit
 * @param out    filled on success
 * @return 0; -ENOENT for another ICMPv6 type; -EBADMSG for a wrong checksum; -EINVAL when
 *	   the message fails validation
 */
int dp_icmp_nd_parse(const uint8_t *l4, size_t l4_len, const struct dp_inet *in, struct dp_nd *out);

/**
 * Build a Neighbor Advertisement frame with a target link-layer address option of @p our_mac.
 *
 * @param out     where the frame goes
 * @param cap     bytes writable (at least DP_ND_FRAME_LEN)
 * @param our_mac Ethernet source and the advertised link-layer address
 * @param dst_mac Ethernet destination
 * @param src     IP source (one of our addresses on the link)
 * @param dst     IP destination
 * @param target  the address advertised
 * @param flags   DP_ND_NA_FLAG_*
 * @return DP_ND_FRAME_LEN, or 0 (@p cap too small, an address not IPv6)
 */
size_t dp_icmp_nd_build_na(uint8_t *out, size_t cap, const uint8_t our_mac[6],
	const uint8_t dst_mac[6], const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	const struct dpsctp_addr *target, uint8_t flags);

/**
 * Answer the NS @p ns for one of our addresses (RFC 4861 7.2.4): from the target address,
 * solicited and override flags, unicast to the solicitation's source (MAC from its source
 * link-layer option, else the frame's); for a DAD probe (source ::) to all-nodes ff02::1 with
 * S clear.
 *
 * @param in      dp_inet_parse() of the NS frame
 * @param ns      dp_icmp_nd_parse() of it (type DP_ND_NS)
 * @param our_mac our Ethernet address on the receiving port
 * @param out     where the NA frame goes
 * @param cap     bytes writable
 * @return DP_ND_FRAME_LEN, or 0 (not an NS, @p cap too small)
 */
size_t dp_icmp_nd_na_reply(const struct dp_inet *in, const struct dp_nd *ns,
	const uint8_t our_mac[6], uint8_t *out, size_t cap);

/**
 * Build a Neighbor Solicitation resolving @p target (RFC 4861 7.2.2): to its solicited-node
 * multicast address and MAC, with a source link-layer address option of @p our_mac.
 *
 * @param out     where the frame goes
 * @param cap     bytes writable (at least DP_ND_FRAME_LEN)
 * @param our_mac Ethernet source and the source link-layer option
 * @param src     IP source: our address on the link (RFC 4861 7.2.2 prefers the source of
 *		  the packet that prompted the solicitation)
 * @param target  address to resolve
 * @return DP_ND_FRAME_LEN, or 0 (@p cap too small, an address not IPv6)
 */
size_t dp_icmp_nd_build_ns(uint8_t *out, size_t cap, const uint8_t our_mac[6],
	const struct dpsctp_addr *src, const struct dpsctp_addr *target);

/**
 * Build an unsolicited Neighbor Advertisement of @p addr (RFC 4861 7.2.6), for start-up or a
 * MAC change: to all-nodes ff02::1 (MAC 33:33:00:00:00:01), S clear, O set.
 *
 * @return DP_ND_FRAME_LEN, or 0 (@p cap too small, @p addr not IPv6)
 */
size_t dp_icmp_nd_build_unsolicited_na(
	uint8_t *out, size_t cap, const uint8_t our_mac[6], const struct dpsctp_addr *addr);

#endif /* DPSCTP_DATAPLANE_ICMP_H */
