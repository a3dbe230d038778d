/* SPDX-License-Identifier: BSD-3-Clause */
/* Encapsulation of outgoing SCTP packets (see encap.h). */
#include <string.h>

#include <rte_mbuf.h>

#include "crc32c.h"
#include "encap.h"
#include "inet.h"
#include "packet.h"

bool
dp_sctp_crc_ok(uint8_t *sctp, size_t len)
{
	uint32_t got = dpsctp_packet_get_checksum(sctp), want;

	dpsctp_packet_set_checksum(sctp, 0);
	want = dpsctp_crc32c(sctp, len);
	dpsctp_packet_set_checksum(sctp, got);
	return got == want;
}

enum dp_encap_result
dp_encap_sctp(const struct dp_stack *s, struct rte_mbuf *m, size_t len,
	const struct dpsctp_path *path, uint16_t ip_id, unsigned int *port,
	struct dpsctp_addr *nexthop)
{
	static const uint8_t zero_mac[6];
	const struct dp_port *p;
	struct dp_route rt;
	uint8_t dmac[6];
	size_t hlen = dp_inet_hdr_len(path->remote.family);
	uint8_t *sctp = rte_pktmbuf_mtod(m, uint8_t *), *hdr;

	/*
	 * The usual case first: out of the port our source address belongs to. The lookup refuses
	 * our port addresses as destinations, but knows nothing of the loopback set (a gateway would
	 * take 127.0.0.1), so that is checked before it.
	 */
	if (dp_stack_is_loopback(s, &path->remote) ||
		dp_route_lookup_from(&s->routes, &path->local, &path->remote, &rt) != 0) {
		if (!dp_stack_is_local(s, &path->remote))
			return DP_ENCAP_NO_ROUTE;
		/* local delivery: a frame like any other, already checked */
		hdr = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)hlen);
		if (hdr == NULL)
			return DP_ENCAP_NO_ROOM;
		dp_inet_build(hdr, hlen, zero_mac, zero_mac, &path->local, &path->remote,
			DP_INET_PROTO_SCTP, len, ip_id);
		m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		return DP_ENCAP_LOCAL;
	}
	*port = rt.port;
	*nexthop = rt.nexthop;
	p = &s->ports[rt.port];
	if (dp_neigh_lookup(s->neigh, (uint16_t)rt.port, &rt.nexthop, dmac) != 0)
		return DP_ENCAP_NO_NEIGH;
	if (p->tx_csum) {
		m->ol_flags |= RTE_MBUF_F_TX_SCTP_CKSUM |
			(path->remote.family == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
		m->l2_len = 14;
		m->l3_len = hlen - 14;
	} else {
		dpsctp_packet_set_checksum(sctp, dpsctp_crc32c(sctp, len));
	}
	hdr = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)hlen);
	if (hdr == NULL)
		return DP_ENCAP_NO_ROOM;
	dp_inet_build(hdr, hlen, p->mac, dmac, &path->local, &path->remote, DP_INET_PROTO_SCTP, len,
		ip_id);
	return DP_ENCAP_PORT;
}
