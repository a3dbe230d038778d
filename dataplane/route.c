/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host routes: on-link prefixes, per-port gateways, link state (route.h). A table has at most
 * 64 addresses, so every lookup is a linear scan.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "inet.h"
#include "route.h"

static unsigned int
width(uint8_t family)
{
	return family == 4 ? 32 : family == 6 ? 128 : 0;
}

static bool
port_up(const struct dp_route_port *p)
{
	return __atomic_load_n(&p->up, __ATOMIC_RELAXED);
}

static int
port_index(const struct dp_route_table *t, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < t->nports; i++)
		if (t->ports[i].port_id == port)
			return (int)i;
	return -1;
}

static struct dp_route_port *
port_find(struct dp_route_table *t, uint16_t port)
{
	int i = port_index(t, port);

	return i < 0 ? NULL : &t->ports[i];
}

static const struct dp_route_port *
port_find_const(const struct dp_route_table *t, uint16_t port)
{
	int i = port_index(t, port);

	return i < 0 ? NULL : &t->ports[i];
}

static struct dp_route_port *
port_get(struct dp_route_table *t, uint16_t port)
{
	struct dp_route_port *p = port_find(t, port);

	if (p != NULL)
		return p;
	if (t->nports == DP_ROUTE_MAX_PORTS)
		return NULL;
	p = &t->ports[t->nports++];
	memset(p, 0, sizeof(*p));
	p->port_id = port;
	p->up = true;
	return p;
}

/* A copy with the unused bytes of an IPv4 address zeroed. */
static void
addr_norm(struct dpsctp_addr *dst, const struct dpsctp_addr *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = src->family;
	memcpy(dst->bytes, src->bytes, src->family == 4 ? 4 : 16);
}

/* SCTP is unicast: never a route to a group, to nobody, or to ourselves out of a NIC. */
static bool
dst_routable(const struct dp_route_table *t, const struct dpsctp_addr *dst)
{
	return !dp_inet_addr_is_multicast(dst) && !dp_inet_addr_is_unspecified(dst) &&
	       !dp_route_is_local(t, dst);
}

void
dp_route_init(struct dp_route_table *t)
{
	memset(t, 0, sizeof(*t));
}

int
dp_route_add_addr(
	struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *addr, unsigned int plen)
{
	struct dp_route_port *p;

	if (width(addr->family) == 0 || plen > width(addr->family) ||
		dp_inet_addr_is_multicast(addr) || dp_inet_addr_is_unspecified(addr))
		return -EINVAL;
	if (dp_route_is_local(t, addr))
		return -EEXIST;
	p = port_get(t, port);
	if (p == NULL || p->naddr == DP_ROUTE_MAX_ADDRS)
		return -ENOSPC;
	addr_norm(&p->addr[p->naddr], addr);
	p->plen[p->naddr] = (uint8_t)plen;
	p->naddr++;
	return 0;
}

int
dp_route_set_gateway(struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *gw)
{
	struct dp_route_port *p;

	if (width(gw->family) == 0 || dp_inet_addr_is_multicast(gw) ||
		dp_inet_addr_is_unspecified(gw))
		return -EINVAL;
	p = port_get(t, port);
	if (p == NULL)
		return -ENOSPC;
	if (gw->family == 4) {
		addr_norm(&p->gw4, gw);
		p->has_gw4 = true;
	} else {
		addr_norm(&p->gw6, gw);
		p->has_gw6 = true;
	}
	return 0;
}

int
dp_route_set_link(struct dp_route_table *t, uint16_t port, bool up)
{
	struct dp_route_port *p = port_find(t, port);

	if (p == NULL)
		return -ENOENT;
	__atomic_store_n(&p->up, up, __ATOMIC_RELAXED);
	return 0;
}

int
dp_route_is_local(const struct dp_route_table *t, const struct dpsctp_addr *addr)
{
	unsigned int i;

	for (i = 0; i < t->nports; i++)
		if (dp_route_port_has_addr(t, t->ports[i].port_id, addr))
			return 1;
	return 0;
}

bool
dp_route_port_has_addr(
	const struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *addr)
{
	const struct dp_route_port *p = port_find_const(t, port);
	unsigned int i;

	if (p == NULL)
		return false;
	for (i = 0; i < p->naddr; i++)
		if (dp_inet_addr_eq(&p->addr[i], addr))
			return true;
	return false;
}

/* Longest on-link prefix of port @p p holding @p dst: index into p->addr, or -1. */
static int
port_lpm(const struct dp_route_port *p, const struct dpsctp_addr *dst)
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < p->naddr; i++)
		if (dp_inet_prefix_match(dst, &p->addr[i], p->plen[i]) &&
			(best < 0 || p->plen[i] > p->plen[best]))
			best = (int)i;
	return best;
}

/*
 * Source address on port @p p for @p dst sent via gateway @p gw: RFC 6724 rule 2 (same scope
 * as the destination) first, then an address whose prefix holds the gateway, then the first
 * of the family. -1 when the port has no address of the family.
 */
static int
port_source_via(
	const struct dp_route_port *p, const struct dpsctp_addr *dst, const struct dpsctp_addr *gw)
{
	bool dst_ll = dp_inet_addr_is_link_local(dst);
	int best = -1, best_score = -1;
	unsigned int i;

	for (i = 0; i < p->naddr; i++) {
		int score;

		if (p->addr[i].family != dst->family)
			continue;
		score = (dp_inet_addr_is_link_local(&p->addr[i]) == dst_ll) * 2 +
			dp_inet_prefix_match(gw, &p->addr[i], p->plen[i]);
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	return best;
}

static const struct dpsctp_addr *
port_gateway(const struct dp_route_port *p, uint8_t family)
{
	if (family == 4 && p->has_gw4)
		return &p->gw4;
	if (family == 6 && p->has_gw6)
		return &p->gw6;
	return NULL;
}

static void
fill_onlink(
	struct dp_route *out, const struct dp_route_port *p, int i, const struct dpsctp_addr *dst)
{
	out->port = p->port_id;
	out->via_gateway = false;
	out->plen = p->plen[i];
	out->src = p->addr[i];
	addr_norm(&out->nexthop, dst);
}

static void
fill_gateway(
	struct dp_route *out, const struct dp_route_port *p, int i, const struct dpsctp_addr *gw)
{
	out->port = p->port_id;
	out->via_gateway = true;
	out->plen = 0;
	out->src = p->addr[i];
	out->nexthop = *gw;
}

int
dp_route_lookup(const struct dp_route_table *t, const struct dpsctp_addr *dst, struct dp_route *out)
{
	const struct dp_route_port *best_port = NULL;
	int best = -1;
	unsigned int i;

	if (width(dst->family) == 0)
		return -EINVAL;
	if (!dst_routable(t, dst))
		return -EHOSTUNREACH;
	for (i = 0; i < t->nports; i++) {
		const struct dp_route_port *p = &t->ports[i];
		int j;

		if (!port_up(p))
			continue;
		j = port_lpm(p, dst);
		if (j >= 0 && (best < 0 || p->plen[j] > best_port->plen[best])) {
			best_port = p;
			best = j;
		}
	}
	if (best >= 0) {
		fill_onlink(out, best_port, best, dst);
		return 0;
	}
	for (i = 0; i < t->nports; i++) {
		const struct dp_route_port *p = &t->ports[i];
		const struct dpsctp_addr *gw = port_gateway(p, dst->family);
		int j;

		if (!port_up(p) || gw == NULL)
			continue;
		j = port_source_via(p, dst, gw);
		if (j < 0)
			continue;
		fill_gateway(out, p, j, gw);
		return 0;
	}
	return -EHOSTUNREACH;
}

int
dp_route_lookup_from(const struct dp_route_table *t, const struct dpsctp_addr *src,
	const struct dpsctp_addr *dst, struct dp_route *out)
{
	const struct dp_route_port *p = NULL;
	const struct dpsctp_addr *gw;
	unsigned int i;
	int j, self = -1;

	if (width(dst->family) == 0 || src->family != dst->family)
		return -EINVAL;
	if (!dst_routable(t, dst))
		return -EHOSTUNREACH;
	for (i = 0; i < t->nports && p == NULL; i++)
		for (j = 0; j < t->ports[i].naddr; j++)
			if (dp_inet_addr_eq(&t->ports[i].addr[j], src)) {
				p = &t->ports[i];
				self = j;
				break;
			}
	if (p == NULL || !port_up(p))
		return -EHOSTUNREACH;
	j = port_lpm(p, dst);
	if (j >= 0) {
		fill_onlink(out, p, j, dst);
		out->src = p->addr[self];
		return 0;
	}
	gw = port_gateway(p, dst->family);
	if (gw == NULL)
		return -EHOSTUNREACH;
	fill_gateway(out, p, self, gw);
	return 0;
}

static bool
is_candidate(const struct dpsctp_addr *a, const struct dpsctp_addr *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (dp_inet_addr_eq(a, &c[i]))
			return true;
	return false;
}

int
dp_route_source_for(const struct dp_route_table *t, const struct dpsctp_addr *remote,
	const struct dpsctp_addr *candidates, size_t n, struct dpsctp_addr *local)
{
	struct dp_route r;
	bool remote_ll = dp_inet_addr_is_link_local(remote);
	int fallback = -1;
	size_t i;

	if (width(remote->family) == 0 || (candidates == NULL && n != 0))
		return -EINVAL;
	if (dp_route_lookup(t, remote, &r) == 0) {
		if (is_candidate(&r.src, candidates, n)) {
			*local = r.src;
			return 0;
		}
		for (i = 0; i < n; i++)
			if (candidates[i].family == remote->family &&
				(remote_ll || !dp_inet_addr_is_link_local(&candidates[i])) &&
				dp_route_port_has_addr(t, r.port, &candidates[i])) {
				addr_norm(local, &candidates[i]);
				return 0;
			}
	}
	/* 3: the candidates' own ports, on-link first (a direct path beats a gateway). */
	for (i = 0; i < n; i++) {
		if (candidates[i].family != remote->family ||
			(dp_inet_addr_is_link_local(&candidates[i]) && !remote_ll))
			continue;
		if (dp_route_lookup_from(t, &candidates[i], remote, &r) != 0)
			continue;
		if (!r.via_gateway) {
			addr_norm(local, &candidates[i]);
			return 0;
		}
		if (fallback < 0)
			fallback = (int)i;
	}
	if (fallback < 0)
		return -EHOSTUNREACH;
	addr_norm(local, &candidates[fallback]);
	return 0;
}
