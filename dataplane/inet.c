/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet, IPv4 and IPv6 headers on byte buffers (inet.h). Every multi-byte field is read and
 * written byte by byte (wbuf.h) or through memcpy, so frames need no alignment.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "inet.h"
#include "wbuf.h"

const uint8_t dp_inet_bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* IPv6 extension header numbers (RFC 8200 4, IANA "IPv6 Extension Header Types"). */
#define NH_HOPOPTS 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_ESP 50
#define NH_AH 51
#define NH_DSTOPTS 60
#define NH_MOBILITY 135
#define NH_HIP 139
#define NH_SHIM6 140
#define NH_EXP1 253
#define NH_EXP2 254

static const char *const drop_names[DP_INET_DROP_COUNT] = {
	[DP_INET_DROP_RUNT] = "runt",
	[DP_INET_DROP_ETHERTYPE] = "ethertype",
	[DP_INET_DROP_VLAN] = "vlan",
	[DP_INET_DROP_IPV4_HDR] = "ipv4_hdr",
	[DP_INET_DROP_IPV4_CSUM] = "ipv4_csum",
	[DP_INET_DROP_IPV4_FRAG] = "ipv4_frag",
	[DP_INET_DROP_IPV4_SRC_BAD] = "ipv4_src_bad",
	[DP_INET_DROP_IPV6_HDR] = "ipv6_hdr",
	[DP_INET_DROP_IPV6_EXT] = "ipv6_ext",
	[DP_INET_DROP_IPV6_FRAG] = "ipv6_frag",
	[DP_INET_DROP_IPV6_SRC_BAD] = "ipv6_src_bad",
};

const char *
dp_inet_drop_name(int reason)
{
	if (reason <= 0 || reason >= DP_INET_DROP_COUNT)
		return NULL;
	return drop_names[reason];
}

/* One's complement sum of two partial sums, folded to 16 bits (RFC 1071 2). */
static uint16_t
fold_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * rte_raw_cksum() adds 16-bit words in host order; RFC 1071 2(B) makes the sum byte-order
 * independent, so the big-endian value is the host-order one swapped back.
 */
static uint16_t
finish(uint16_t native_sum)
{
	return rte_be_to_cpu_16((uint16_t)~native_sum);
}

uint16_t
dp_inet_cksum(const uint8_t *buf, size_t len)
{
	return finish(rte_raw_cksum(buf, len));
}

uint16_t
dp_inet_l4_cksum(const struct dpsctp_addr *src, const struct dpsctp_addr *dst, uint8_t proto,
	const uint8_t *l4, size_t len)
{
	uint8_t ph[40];
	size_t phlen;

	memset(ph, 0, sizeof(ph));
	if (src->family == 6) {
		/* RFC 8200 8.1: source, destination, 32-bit length, 3 zero bytes, next header. */
		memcpy(ph, src->bytes, 16);
		memcpy(ph + 16, dst->bytes, 16);
		dpsctp_put_be32(ph + 32, (uint32_t)len);
		ph[39] = proto;
		phlen = 40;
	} else {
		/* RFC 768: source, destination, zero, protocol, 16-bit length. */
		memcpy(ph, src->bytes, 4);
		memcpy(ph + 4, dst->bytes, 4);
		ph[9] = proto;
		dpsctp_put_be16(ph + 10, (uint16_t)len);
		phlen = 12;
	}
	/* The pseudo-header has an even length, so the two sums line up on word boundaries. */
	return finish(fold_add(rte_raw_cksum(ph, phlen), rte_raw_cksum(l4, len)));
}

bool
dp_inet_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 4)
		return memcmp(a->bytes, b->bytes, 4) == 0;
	if (a->family == 6)
		return memcmp(a->bytes, b->bytes, 16) == 0;
	return false;
}

bool
dp_inet_prefix_match(
	const struct dpsctp_addr *a, const struct dpsctp_addr *prefix, unsigned int plen)
{
	unsigned int width, whole, rest;

	if (a->family != prefix->family)
		return false;
	if (a->family == 4)
		width = 32;
	else if (a->family == 6)
		width = 128;
	else
		return false;
	if (plen > width)
		return false;
	whole = plen / 8;
	rest = plen % 8;
	if (memcmp(a->bytes, prefix->bytes, whole) != 0)
		return false;
	if (rest != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if (((a->bytes[whole] ^ prefix->bytes[whole]) & mask) != 0)
			return false;
	}
	return true;
}

bool
dp_inet_addr_is_multicast(const struct dpsctp_addr *a)
{
	if (a->family == 4)
		return (a->bytes[0] & 0xf0) == 0xe0;
	if (a->family == 6)
		return a->bytes[0] == 0xff;
	return false;
}

bool
dp_inet_addr_is_unspecified(const struct dpsctp_addr *a)
{
	static const uint8_t zero[16];

	if (a->family == 4)
		return memcmp(a->bytes, zero, 4) == 0;
	if (a->family == 6)
		return memcmp(a->bytes, zero, 16) == 0;
	return false;
}

bool
dp_inet_addr_is_link_local(const struct dpsctp_addr *a)
{
	if (a->family == 4)
		return a->bytes[0] == 169 && a->bytes[1] == 254;
	if (a->family == 6)
		return a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
	return false;
}

void
dp_inet_addr_v4(struct dpsctp_addr *a, uint32_t host_order)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	dpsctp_put_be32(a->bytes, host_order);
}

void
dp_inet_addr_v6(struct dpsctp_addr *a, const uint8_t bytes[16])
{
	memset(a, 0, sizeof(*a));
	a->family = 6;
	memcpy(a->bytes, bytes, 16);
}

void
dp_inet_solicited_node(const struct dpsctp_addr *target, struct dpsctp_addr *out)
{
	static const uint8_t pfx[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
	uint8_t b[16];

	memcpy(b, pfx, sizeof(pfx));
	memcpy(b + 13, target->bytes + 13, 3);
	dp_inet_addr_v6(out, b);
}

void
dp_inet_ipv6_mcast_mac(const struct dpsctp_addr *group, uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group->bytes + 12, 4);
}

/* Only the limited broadcast: a subnet-directed one needs the prefix, which route.h has. */
static bool
ipv4_src_bad(const uint8_t *s)
{
	return (s[0] & 0xf0) == 0xe0 ||
	       (s[0] == 0xff && s[1] == 0xff && s[2] == 0xff && s[3] == 0xff);
}

/*
 * RFC 8200 4.2: options of a Hop-by-Hop or Destination Options header. Pad1 is one byte,
 * everything else type-length-value. An option we do not know is skipped only when the two
 * high bits of its type are 00; otherwise the packet is discarded (ICMP Parameter Problem is
 * optional for 10/11 and we send none).
 */
static int
ipv6_options_ok(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t type = p[i];

		if (type == 0) { /* Pad1 */
			i++;
			continue;
		}
		if (len - i < 2 || (size_t)p[i + 1] > len - i - 2)
			return DP_INET_DROP_IPV6_HDR;
		if (type != 1 && (type >> 6) != 0) /* not PadN, and not "skip over this option" */
			return DP_INET_DROP_IPV6_EXT;
		i += 2 + (size_t)p[i + 1];
	}
	return 0;
}

int
dp_inet_ipv6_skip_ext(const uint8_t *p, size_t len, uint8_t *proto, size_t *off)
{
	uint8_t nh = *proto;
	size_t o = 0;
	bool first = true;

	for (;;) {
		size_t hlen;
		int rc;

		switch (nh) {
		case NH_HOPOPTS:
			/* RFC 8200 4.1: only immediately after the IPv6 header. */
			if (!first)
				return DP_INET_DROP_IPV6_HDR;
			/* fallthrough */
		case NH_DSTOPTS:
			if (len - o < 8)
				return DP_INET_DROP_IPV6_HDR;
			hlen = ((size_t)p[o + 1] + 1) * 8;
			if (hlen > len - o)
				return DP_INET_DROP_IPV6_HDR;
			rc = ipv6_options_ok(p + o + 2, hlen - 2);
			if (rc != 0)
				return rc;
			break;
		case NH_ROUTING:
			if (len - o < 8)
				return DP_INET_DROP_IPV6_HDR;
			hlen = ((size_t)p[o + 1] + 1) * 8;
			if (hlen > len - o)
				return DP_INET_DROP_IPV6_HDR;
			/*
			 * RFC 8200 4.4: with Segments Left 0 the header is ignored; otherwise the
			 * packet must go on to another node, and we are not a router.
			 */
			if (p[o + 3] != 0)
				return DP_INET_DROP_IPV6_EXT;
			break;
		case NH_FRAGMENT:
			if (len - o < 8)
				return DP_INET_DROP_IPV6_HDR;
			/* RFC 6946 4: offset 0 and M clear is an atomic fragment, a whole packet.
			 */
			if ((dpsctp_get_be16(p + o + 2) & 0xfff9) != 0)
				return DP_INET_DROP_IPV6_FRAG;
			hlen = 8;
			break;
		case NH_ESP:
		case NH_AH:
		case NH_MOBILITY:
		case NH_HIP:
		case NH_SHIM6:
		case NH_EXP1:
		case NH_EXP2:
			return DP_INET_DROP_IPV6_EXT;
		default:
			*proto = nh;
			*off = o;
			return 0;
		}
		nh = p[o];
		o += hlen;
		first = false;
	}
}

static int
parse_ipv4(const uint8_t *frame, size_t len, struct dp_inet *out)
{
	const uint8_t *ip = frame + DP_INET_ETH_HDR_LEN;
	size_t avail = len - DP_INET_ETH_HDR_LEN;
	size_t ihl, total;
	uint16_t frag;

	if (avail < DP_INET_IPV4_HDR_LEN || (ip[0] >> 4) != 4)
		return DP_INET_DROP_IPV4_HDR;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = dpsctp_get_be16(ip + 2);
	/* RFC 1122 3.2.1.1-3.2.1.2: version, header length, total length and checksum. */
	if (ihl < DP_INET_IPV4_HDR_LEN || ihl > avail || total < ihl || total > avail)
		return DP_INET_DROP_IPV4_HDR;
	if (dp_inet_cksum(ip, ihl) != 0)
		return DP_INET_DROP_IPV4_CSUM;
	frag = dpsctp_get_be16(ip + 6);
	if ((frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0)
		return DP_INET_DROP_IPV4_FRAG;
	/* RFC 1122 3.2.1.3: a source that is not one host's address is discarded. */
	if (ipv4_src_bad(ip + 12))
		return DP_INET_DROP_IPV4_SRC_BAD;

	out->kind = DP_INET_IPV4;
	out->tclass = ip[1];
	out->ttl = ip[8];
	out->proto = ip[9];
	out->src.family = 4;
	memcpy(out->src.bytes, ip + 12, 4);
	out->dst.family = 4;
	memcpy(out->dst.bytes, ip + 16, 4);
	out->l4_off = (uint32_t)(DP_INET_ETH_HDR_LEN + ihl);
	out->l4_len = (uint32_t)(total - ihl);
	return 0;
}

static int
parse_ipv6(const uint8_t *frame, size_t len, struct dp_inet *out)
{
	const uint8_t *ip = frame + DP_INET_ETH_HDR_LEN;
	size_t avail = len - DP_INET_ETH_HDR_LEN;
	size_t plen, ext = 0;
	uint8_t nh;
	int rc;

	if (avail < DP_INET_IPV6_HDR_LEN || (ip[0] >> 4) != 6)
		return DP_INET_DROP_IPV6_HDR;
	plen = dpsctp_get_be16(ip + 4);
	if (plen > avail - DP_INET_IPV6_HDR_LEN)
		return DP_INET_DROP_IPV6_HDR;
	/* RFC 4291 2.7: a multicast address is never a source. */
	if (ip[8] == 0xff)
		return DP_INET_DROP_IPV6_SRC_BAD;
	nh = ip[6];
	rc = dp_inet_ipv6_skip_ext(ip + DP_INET_IPV6_HDR_LEN, plen, &nh, &ext);
	if (rc != 0)
		return rc;

	out->kind = DP_INET_IPV6;
	out->tclass = (uint8_t)((ip[0] << 4) | (ip[1] >> 4));
	out->ttl = ip[7];
	out->proto = nh;
	dp_inet_addr_v6(&out->src, ip + 8);
	dp_inet_addr_v6(&out->dst, ip + 24);
	out->l4_off = (uint32_t)(DP_INET_ETH_HDR_LEN + DP_INET_IPV6_HDR_LEN + ext);
	out->l4_len = (uint32_t)(plen - ext);
	return 0;
}

int
dp_inet_parse(const uint8_t *frame, size_t len, struct dp_inet *out)
{
	uint16_t type;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (len < DP_INET_ETH_HDR_LEN)
		return DP_INET_DROP_RUNT;
	/* A loop, not memcpy(): GCC 12 with -fsanitize=address warns falsely (-Warray-bounds). */
	for (i = 0; i < 6; i++) {
		out->dst_mac[i] = frame[i];
		out->src_mac[i] = frame[6 + i];
	}
	out->l2_mcast = (frame[0] & 0x01) != 0;
	out->l2_bcast = memcmp(frame, dp_inet_bcast_mac, 6) == 0;
	out->l3_off = DP_INET_ETH_HDR_LEN;

	type = dpsctp_get_be16(frame + 12);
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return parse_ipv4(frame, len, out);
	case RTE_ETHER_TYPE_IPV6:
		return parse_ipv6(frame, len, out);
	case RTE_ETHER_TYPE_ARP:
		out->kind = DP_INET_ARP;
		out->l4_off = DP_INET_ETH_HDR_LEN;
		out->l4_len = (uint32_t)(len - DP_INET_ETH_HDR_LEN);
		return 0;
	case RTE_ETHER_TYPE_VLAN:
	case RTE_ETHER_TYPE_QINQ:
		return DP_INET_DROP_VLAN;
	default:
		return DP_INET_DROP_ETHERTYPE;
	}
}

size_t
dp_inet_hdr_len(uint8_t family)
{
	if (family == 4)
		return DP_INET_ETH_HDR_LEN + DP_INET_IPV4_HDR_LEN;
	if (family == 6)
		return DP_INET_ETH_HDR_LEN + DP_INET_IPV6_HDR_LEN;
	return 0;
}

size_t
dp_inet_build(uint8_t *buf, size_t cap, const uint8_t src_mac[6], const uint8_t dst_mac[6],
	const struct dpsctp_addr *src, const struct dpsctp_addr *dst, uint8_t proto, size_t l4_len,
	uint16_t ip_id)
{
	size_t hlen = dp_inet_hdr_len(src->family);
	uint8_t *ip = buf + DP_INET_ETH_HDR_LEN;

	if (hlen == 0 || src->family != dst->family || cap < hlen)
		return 0;
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	if (src->family == 4) {
		if (l4_len > 0xffff - DP_INET_IPV4_HDR_LEN)
			return 0;
		dpsctp_put_be16(buf + 12, RTE_ETHER_TYPE_IPV4);
		ip[0] = 0x45;
		ip[1] = 0;
		dpsctp_put_be16(ip + 2, (uint16_t)(DP_INET_IPV4_HDR_LEN + l4_len));
		dpsctp_put_be16(ip + 4, ip_id);
		dpsctp_put_be16(ip + 6, RTE_IPV4_HDR_DF_FLAG);
		ip[8] = DP_INET_DEFAULT_TTL;
		ip[9] = proto;
		ip[10] = 0;
		ip[11] = 0;
		memcpy(ip + 12, src->bytes, 4);
		memcpy(ip + 16, dst->bytes, 4);
		dpsctp_put_be16(ip + 10, dp_inet_cksum(ip, DP_INET_IPV4_HDR_LEN));
	} else {
		if (l4_len > 0xffff)
			return 0;
		dpsctp_put_be16(buf + 12, RTE_ETHER_TYPE_IPV6);
		dpsctp_put_be32(ip, 6u << 28); /* version 6, traffic class 0, flow label 0 */
		dpsctp_put_be16(ip + 4, (uint16_t)l4_len);
		ip[6] = proto;
		ip[7] = DP_INET_DEFAULT_TTL;
		memcpy(ip + 8, src->bytes, 16);
		memcpy(ip + 24, dst->bytes, 16);
	}
	return hlen;
}
