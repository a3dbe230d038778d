/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMPv4 / ICMPv6 echo, error intake and neighbour discovery (icmp.h).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_ip.h>

#include "icmp.h"
#include "inet.h"
#include "wbuf.h"

#define ICMP_HDR_LEN 8 /* type, code, checksum, 4 bytes that depend on the type */
#define ND_MSG_LEN 24  /* NS / NA without options (RFC 4861 4.3, 4.4) */
#define ND_OPT_SLLA 1  /* Source Link-Layer Address option (RFC 4861 4.6.1) */
#define ND_OPT_TLLA 2  /* Target Link-Layer Address option */

static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

/* Checksum of the ICMP message @p l4 as its family computes it: 0 when correct. */
static uint16_t
icmp_cksum(
	const struct dpsctp_addr *src, const struct dpsctp_addr *dst, const uint8_t *l4, size_t len)
{
	if (src->family == 6)
		return dp_inet_l4_cksum(src, dst, DP_INET_PROTO_ICMPV6, l4, len);
	return dp_inet_cksum(l4, len);
}

static bool
ipv4_is_limited_bcast(const struct dpsctp_addr *a)
{
	return a->family == 4 && a->bytes[0] == 0xff && a->bytes[1] == 0xff &&
	       a->bytes[2] == 0xff && a->bytes[3] == 0xff;
}

size_t
dp_icmp_echo_reply(const uint8_t *frame, size_t len, const struct dp_inet *in,
	const uint8_t our_mac[6], uint8_t *out, size_t cap)
{
	const uint8_t *req;
	uint8_t *rep;
	uint8_t want, reply_type;
	uint16_t id = 0;
	size_t hlen;

	if (in->kind == DP_INET_IPV4 && in->proto == DP_INET_PROTO_ICMP) {
		want = DP_ICMP4_ECHO_REQUEST;
		reply_type = DP_ICMP4_ECHO_REPLY;
		/* l3_off + 20 <= l4_off, dp_inet_parse() checked it */
		id = dpsctp_get_be16(frame + in->l3_off + 4);
	} else if (in->kind == DP_INET_IPV6 && in->proto == DP_INET_PROTO_ICMPV6) {
		want = DP_ICMP6_ECHO_REQUEST;
		reply_type = DP_ICMP6_ECHO_REPLY;
	} else {
		return 0;
	}
	if ((size_t)in->l4_off > len || in->l4_len > len - in->l4_off || in->l4_len < ICMP_HDR_LEN)
		return 0;
	req = frame + in->l4_off;
	if (req[0] != want || req[1] != 0)
		return 0;
	if (dp_inet_addr_is_multicast(&in->dst) || ipv4_is_limited_bcast(&in->dst) ||
		dp_inet_addr_is_unspecified(&in->src) || dp_inet_addr_is_multicast(&in->src))
		return 0;
	if (icmp_cksum(&in->src, &in->dst, req, in->l4_len) != 0)
		return 0;

	hlen = dp_inet_build(
		out, cap, our_mac, in->src_mac, &in->dst, &in->src, in->proto, in->l4_len, id);
	if (hlen == 0 || cap - hlen < in->l4_len)
		return 0;
	rep = out + hlen;
	memcpy(rep, req, in->l4_len);
	rep[0] = reply_type;
	rep[2] = 0;
	rep[3] = 0;
	dpsctp_put_be16(rep + 2, icmp_cksum(&in->dst, &in->src, rep, in->l4_len));
	return hlen + in->l4_len;
}

/* RFC 1191 7: the plateau table, highest first. */
static uint32_t
plateau_below(uint32_t total_len)
{
	static const uint16_t plateaus[] = {
		65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};
	size_t i;

	for (i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < total_len)
			return plateaus[i];
	return DP_ICMP_MIN_MTU4;
}

/*
 * The quoted IPv4 packet at @p q (@p qlen bytes): header, then at least 8 bytes of its
 * payload (RFC 792: "the internet header plus the first 64 bits of the original datagram").
 */
static int
inner_ipv4(const uint8_t *q, size_t qlen, struct dp_icmp_err *out, uint32_t *total_out)
{
	size_t ihl, total;

	if (qlen < DP_INET_IPV4_HDR_LEN || (q[0] >> 4) != 4)
		return -EINVAL;
	ihl = (size_t)(q[0] & 0x0f) * 4;
	if (ihl < DP_INET_IPV4_HDR_LEN || ihl > qlen)
		return -EINVAL;
	/* A later fragment does not start with the SCTP common header. */
	if ((dpsctp_get_be16(q + 6) & RTE_IPV4_HDR_OFFSET_MASK) != 0)
		return -EINVAL;
	total = dpsctp_get_be16(q + 2);
	out->inner_proto = q[9];
	dp_inet_addr_v4(&out->inner_src, dpsctp_get_be32(q + 12));
	dp_inet_addr_v4(&out->inner_dst, dpsctp_get_be32(q + 16));
	out->quoted = q + ihl;
	out->quoted_len = qlen - ihl;
	/* Routers may quote trailing bytes beyond the original packet (padding); cut them. */
	if (total >= ihl && total - ihl < out->quoted_len)
		out->quoted_len = total - ihl;
	*total_out = (uint32_t)total;
	return 0;
}

static int
inner_ipv6(const uint8_t *q, size_t qlen, struct dp_icmp_err *out)
{
	size_t plen, ext = 0;
	uint8_t nh;

	if (qlen < DP_INET_IPV6_HDR_LEN || (q[0] >> 4) != 6)
		return -EINVAL;
	plen = dpsctp_get_be16(q + 4);
	nh = q[6];
	/* The extension headers must be in the quote; a real fragment quotes no L4 header. */
	if (dp_inet_ipv6_skip_ext(
		    q + DP_INET_IPV6_HDR_LEN, qlen - DP_INET_IPV6_HDR_LEN, &nh, &ext) != 0)
		return -EINVAL;
	out->inner_proto = nh;
	dp_inet_addr_v6(&out->inner_src, q + 8);
	dp_inet_addr_v6(&out->inner_dst, q + 24);
	out->quoted = q + DP_INET_IPV6_HDR_LEN + ext;
	out->quoted_len = qlen - DP_INET_IPV6_HDR_LEN - ext;
	if (plen >= ext && plen - ext < out->quoted_len)
		out->quoted_len = plen - ext;
	return 0;
}

/* The ICMP types SCTP acts on (RFC 9260 appendix C). */
static bool
is_error_type(uint8_t family, uint8_t type)
{
	if (family == 4)
		return type == DP_ICMP4_DEST_UNREACH;
	return type == DP_ICMP6_DEST_UNREACH || type == DP_ICMP6_PACKET_TOO_BIG;
}

int
dp_icmp_error_parse(const uint8_t *l4, size_t l4_len, const struct dpsctp_addr *outer_src,
	const struct dpsctp_addr *outer_dst, struct dp_icmp_err *out)
{
	const uint8_t *q = l4 + ICMP_HDR_LEN;
	size_t qlen;
	uint32_t total = 0;
	int rc;

	if (outer_src->family != outer_dst->family ||
		(outer_src->family != 4 && outer_src->family != 6))
		return -EINVAL;
	if (l4_len < ICMP_HDR_LEN)
		return -EINVAL;
	if (!is_error_type(outer_src->family, l4[0]))
		return -ENOENT;
	if (icmp_cksum(outer_src, outer_dst, l4, l4_len) != 0)
		return -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->type = l4[0];
	out->code = l4[1];
	qlen = l4_len - ICMP_HDR_LEN;
	if (outer_src->family == 4) {
		/*
		 * RFC 4884 4.1: a non-zero length (32-bit words, byte 5) says where the original
		 * datagram ends and an extension structure begins.
		 */
		if (l4[5] != 0 && (size_t)l4[5] * 4 <= qlen)
			qlen = (size_t)l4[5] * 4;
		rc = inner_ipv4(q, qlen, out, &total);
		if (rc != 0)
			return rc;
		if (out->code == DP_ICMP4_FRAG_NEEDED) {
			out->kind = DP_ICMP_PTB;
			/* RFC 1191 4: Next-Hop MTU in the low 16 bits of the unused field. */
			out->mtu = dpsctp_get_be16(l4 + 6);
			if (out->mtu == 0) {
				/* RFC 1191 5: an old router; guess from the plateau table. */
				out->mtu = plateau_below(total);
				out->mtu_estimated = true;
			}
		} else {
			out->kind = DP_ICMP_UNREACH;
		}
	} else {
		/* RFC 4884 4.2: Destination Unreachable carries a length in 64-bit words. */
		if (out->type == DP_ICMP6_DEST_UNREACH && l4[4] != 0 && (size_t)l4[4] * 8 <= qlen)
			qlen = (size_t)l4[4] * 8;
		rc = inner_ipv6(q, qlen, out);
		if (rc != 0)
			return rc;
		if (out->type == DP_ICMP6_PACKET_TOO_BIG) {
			out->kind = DP_ICMP_PTB;
			out->mtu = dpsctp_get_be32(l4 + 4); /* RFC 4443 3.2 */
		} else {
			out->kind = DP_ICMP_UNREACH;
		}
	}
	/* RFC 9260 appendix C needs the ports and the verification tag: 8 bytes. */
	if (out->quoted_len < 8)
		return -EINVAL;
	return 0;
}

/* RFC 4861 4.6: walk the options, none of length 0; remember the link-layer one of @p want. */
static int
nd_options(const uint8_t *p, size_t len, uint8_t want, struct dp_nd *out)
{
	size_t i = 0;

	while (i < len) {
		size_t olen;

		if (len - i < 2 || p[i + 1] == 0)
			return -EINVAL;
		olen = (size_t)p[i + 1] * 8;
		if (olen > len - i)
			return -EINVAL;
		if (p[i] == want && !out->has_lladdr) {
			out->has_lladdr = true;
			memcpy(out->lladdr, p + i + 2, 6);
		}
		i += olen;
	}
	return 0;
}

static bool
is_solicited_node(const struct dpsctp_addr *a)
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};

	return a->family == 6 && memcmp(a->bytes, pfx, sizeof(pfx)) == 0;
}

int
dp_icmp_nd_parse(const uint8_t *l4, size_t l4_len, const struct dp_inet *in, struct dp_nd *out)
{
	int rc;

	if (in->kind != DP_INET_IPV6 || in->proto != DP_INET_PROTO_ICMPV6 || l4_len < 1)
		return -EINVAL;
	if (l4[0] != DP_ND_NS && l4[0] != DP_ND_NA)
		return -ENOENT;
	/* RFC 4861 7.1.1 / 7.1.2: hop limit 255 (not forwarded), code 0, 24 bytes or more. */
	if (in->ttl != DP_ND_HOP_LIMIT || l4_len < ND_MSG_LEN || l4[1] != 0)
		return -EINVAL;
	if (dp_inet_l4_cksum(&in->src, &in->dst, DP_INET_PROTO_ICMPV6, l4, l4_len) != 0)
		return -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->type = l4[0];
	dp_inet_addr_v6(&out->target, l4 + 8);
	if (dp_inet_addr_is_multicast(&out->target))
		return -EINVAL;
	rc = nd_options(l4 + ND_MSG_LEN, l4_len - ND_MSG_LEN,
		out->type == DP_ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA, out);
	if (rc != 0)
		return rc;
	if (out->type == DP_ND_NS) {
		out->dad = dp_inet_addr_is_unspecified(&in->src);
		/* RFC 4861 7.1.1: from :: only to a solicited-node group, and without SLLA. */
		if (out->dad && (!is_solicited_node(&in->dst) || out->has_lladdr))
			return -EINVAL;
	} else {
		out->flags = l4[4] & (DP_ND_NA_FLAG_ROUTER | DP_ND_NA_FLAG_SOLICITED |
					     DP_ND_NA_FLAG_OVERRIDE);
		/* RFC 4861 7.1.2: a multicast advertisement is never solicited. */
		if (dp_inet_addr_is_multicast(&in->dst) &&
			(out->flags & DP_ND_NA_FLAG_SOLICITED) != 0)
			return -EINVAL;
	}
	return 0;
}

/*
 * An NS or NA with one link-layer address option (type @p opt) of @p our_mac: headers, the
 * 4-byte flags / reserved word, target, option, hop limit 255, checksum.
 */
static size_t
nd_build(uint8_t *out, size_t cap, uint8_t type, uint8_t flags, const uint8_t our_mac[6],
	const uint8_t dst_mac[6], const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	const struct dpsctp_addr *target, uint8_t opt)
{
	const size_t l4_len = ND_MSG_LEN + 8;
	uint8_t *m;
	size_t hlen;

	if (cap < DP_ND_FRAME_LEN || src->family != 6 || dst->family != 6 || target->family != 6)
		return 0;
	hlen = dp_inet_build(out, cap, our_mac, dst_mac, src, dst, DP_INET_PROTO_ICMPV6, l4_len, 0);
	if (hlen == 0)
		return 0;
	out[DP_INET_ETH_HDR_LEN + 7] = DP_ND_HOP_LIMIT;
	m = out + hlen;
	memset(m, 0, l4_len);
	m[0] = type;
	m[4] = flags;
	memcpy(m + 8, target->bytes, 16);
	m[ND_MSG_LEN] = opt;
	m[ND_MSG_LEN + 1] = 1; /* 8 bytes: type, length, 6-byte Ethernet address (RFC 2464 8) */
	memcpy(m + ND_MSG_LEN + 2, our_mac, 6);
	dpsctp_put_be16(m + 2, dp_inet_l4_cksum(src, dst, DP_INET_PROTO_ICMPV6, m, l4_len));
	return hlen + l4_len;
}

size_t
dp_icmp_nd_build_na(uint8_t *out, size_t cap, const uint8_t our_mac[6], const uint8_t dst_mac[6],
	const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	const struct dpsctp_addr *target, uint8_t flags)
{
	return nd_build(out, cap, DP_ND_NA, flags, our_mac, dst_mac, src, dst, target, ND_OPT_TLLA);
}

size_t
dp_icmp_nd_na_reply(const struct dp_inet *in, const struct dp_nd *ns, const uint8_t our_mac[6],
	uint8_t *out, size_t cap)
{
	struct dpsctp_addr dst;
	uint8_t dst_mac[6];
	uint8_t flags = DP_ND_NA_FLAG_OVERRIDE;

	if (ns->type != DP_ND_NS)
		return 0;
	if (ns->dad) {
		/* RFC 4861 7.2.4: to all-nodes, Solicited flag zero. */
		dp_inet_addr_v6(&dst, all_nodes);
		dp_inet_ipv6_mcast_mac(&dst, dst_mac);
	} else {
		dst = in->src;
		memcpy(dst_mac, ns->has_lladdr ? ns->lladdr : in->src_mac, 6);
		flags |= DP_ND_NA_FLAG_SOLICITED;
	}
	return dp_icmp_nd_build_na(
		out, cap, our_mac, dst_mac, &ns->target, &dst, &ns->target, flags);
}

size_t
dp_icmp_nd_build_ns(uint8_t *out, size_t cap, const uint8_t our_mac[6],
	const struct dpsctp_addr *src, const struct dpsctp_addr *target)
{
	struct dpsctp_addr dst;
	uint8_t dst_mac[6];

	if (target->family != 6)
		return 0;
	dp_inet_solicited_node(target, &dst);
	dp_inet_ipv6_mcast_mac(&dst, dst_mac);
	return nd_build(out, cap, DP_ND_NS, 0, our_mac, dst_mac, src, &dst, target, ND_OPT_SLLA);
}

size_t
dp_icmp_nd_build_unsolicited_na(
	uint8_t *out, size_t cap, const uint8_t our_mac[6], const struct dpsctp_addr *addr)
{
	struct dpsctp_addr dst;
	uint8_t dst_mac[6];

	dp_inet_addr_v6(&dst, all_nodes);
	dp_inet_ipv6_mcast_mac(&dst, dst_mac);
	/* RFC 4861 7.2.6: Solicited flag zero; Override set so that caches take the new MAC. */
	return dp_icmp_nd_build_na(
		out, cap, our_mac, dst_mac, addr, &dst, addr, DP_ND_NA_FLAG_OVERRIDE);
}
