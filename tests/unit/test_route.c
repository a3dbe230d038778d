/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes (route.h): on-link and gateway routes, longest prefix, link down, IPv6 with a
 * link-local gateway, no route, routing from a given source, and the source address choice
 * behind the engine's route callback.
 *
 * The table of every test:
 *   port 0: 10.0.0.1/24, 172.16.0.1/16, 2001:db8::1/64, fe80::100/64;
 *           gateways 10.0.0.254 and fe80::1
 *   port 1: 192.168.1.1/24, 10.0.0.129/25; gateway 192.168.1.254
 *   port 2: 2001:db8:2::1/64; gateway 2001:db8:2::ff
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "inet.h"
#include "route.h"

static struct dp_route_table rt;

static struct dpsctp_addr
v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct dpsctp_addr x;

	dp_inet_addr_v4(&x, (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d);
	return x;
}

/* <first 16 bits>:<second 16 bits>:<third 16 bits>::<last 16 bits> */
static struct dpsctp_addr
v6(uint16_t w0, uint16_t w1, uint16_t w2, uint16_t last)
{
	uint8_t b[16] = {(uint8_t)(w0 >> 8), (uint8_t)w0, (uint8_t)(w1 >> 8), (uint8_t)w1,
		(uint8_t)(w2 >> 8), (uint8_t)w2};
	struct dpsctp_addr x;

	b[14] = (uint8_t)(last >> 8);
	b[15] = (uint8_t)last;
	dp_inet_addr_v6(&x, b);
	return x;
}

static void
add(uint16_t port, struct dpsctp_addr a, unsigned int plen)
{
	cr_assert_eq(dp_route_add_addr(&rt, port, &a, plen), 0);
}

static void
gw(uint16_t port, struct dpsctp_addr a)
{
	cr_assert_eq(dp_route_set_gateway(&rt, port, &a), 0);
}

static void
setup(void)
{
	dp_route_init(&rt);
	add(0, v4(10, 0, 0, 1), 24);
	add(0, v4(172, 16, 0, 1), 16);
	add(0, v6(0x2001, 0xdb8, 0, 1), 64);
	add(0, v6(0xfe80, 0, 0, 0x100), 64);
	gw(0, v4(10, 0, 0, 254));
	gw(0, v6(0xfe80, 0, 0, 1));
	add(1, v4(192, 168, 1, 1), 24);
	add(1, v4(10, 0, 0, 129), 25);
	gw(1, v4(192, 168, 1, 254));
	add(2, v6(0x2001, 0xdb8, 2, 1), 64);
	gw(2, v6(0x2001, 0xdb8, 2, 0xff));
}

TestSuite(route, .init = setup);

static struct dp_route
route_to(struct dpsctp_addr dst)
{
	struct dp_route r;
	int rc = dp_route_lookup(&rt, &dst, &r);

	cr_assert_eq(rc, 0, "lookup: %d", rc);
	return r;
}

static void
assert_addr(const struct dpsctp_addr *got, struct dpsctp_addr want)
{
	cr_assert(dp_inet_addr_eq(got, &want), "family %u, bytes %02x%02x%02x%02x...%02x%02x",
		got->family, got->bytes[0], got->bytes[1], got->bytes[2], got->bytes[3],
		got->bytes[14], got->bytes[15]);
}

static void
assert_unreachable(struct dpsctp_addr dst)
{
	struct dp_route r;

	cr_assert_eq(dp_route_lookup(&rt, &dst, &r), -EHOSTUNREACH);
}

Test(route, on_link_destination_is_its_own_next_hop)
{
	struct dp_route r = route_to(v4(10, 0, 0, 5));

	cr_assert_eq(r.port, 0);
	cr_assert_not(r.via_gateway);
	cr_assert_eq(r.plen, 24);
	assert_addr(&r.src, v4(10, 0, 0, 1));
	assert_addr(&r.nexthop, v4(10, 0, 0, 5));

	r = route_to(v4(172, 16, 200, 3));
	cr_assert_eq(r.port, 0);
	assert_addr(&r.src, v4(172, 16, 0, 1));
}

Test(route, longest_prefix_wins_across_ports)
{
	struct dp_route r = route_to(v4(10, 0, 0, 200));

	cr_assert_eq(r.port, 1);
	cr_assert_eq(r.plen, 25);
	assert_addr(&r.src, v4(10, 0, 0, 129));
	assert_addr(&r.nexthop, v4(10, 0, 0, 200));
}

Test(route, off_link_destination_goes_to_first_up_gateway)
{
	struct dp_route r = route_to(v4(8, 8, 8, 8));

	cr_assert_eq(r.port, 0);
	cr_assert(r.via_gateway);
	cr_assert_eq(r.plen, 0);
	assert_addr(&r.src, v4(10, 0, 0, 1)); /* the address on the gateway's subnet */
	assert_addr(&r.nexthop, v4(10, 0, 0, 254));
}

Test(route, down_link_takes_its_subnets_and_gateways_away)
{
	struct dp_route r;

	cr_assert_eq(dp_route_set_link(&rt, 0, false), 0);
	r = route_to(v4(10, 0, 0, 5)); /* only port 1's gateway is left */
	cr_assert_eq(r.port, 1);
	cr_assert(r.via_gateway);
	assert_addr(&r.src, v4(192, 168, 1, 1));
	assert_addr(&r.nexthop, v4(192, 168, 1, 254));
	r = route_to(v4(10, 0, 0, 200));
	cr_assert_eq(r.port, 1);
	cr_assert_not(r.via_gateway);

	cr_assert_eq(dp_route_set_link(&rt, 1, false), 0);
	assert_unreachable(v4(10, 0, 0, 5));
	assert_unreachable(v4(8, 8, 8, 8));
	cr_assert_eq(dp_route_is_local(&rt, &(struct dpsctp_addr){4, {10, 0, 0, 1}}), 1,
		"addresses stay ours while the link is down");

	cr_assert_eq(dp_route_set_link(&rt, 0, true), 0);
	r = route_to(v4(10, 0, 0, 5));
	cr_assert_eq(r.port, 0);
	cr_assert_eq(dp_route_set_link(&rt, 7, true), -ENOENT);
}

Test(route, ipv6_on_link_and_via_gateways)
{
	struct dp_route r = route_to(v6(0x2001, 0xdb8, 0, 5));

	cr_assert_eq(r.port, 0);
	cr_assert_not(r.via_gateway);
	assert_addr(&r.src, v6(0x2001, 0xdb8, 0, 1));

	r = route_to(v6(0x2001, 0xdb8, 2, 9));
	cr_assert_eq(r.port, 2);
	assert_addr(&r.src, v6(0x2001, 0xdb8, 2, 1));

	/* Off-link: port 0's link-local gateway, but a global source (RFC 6724 rule 2). */
	r = route_to(v6(0x2001, 0x4860, 0, 0x8888));
	cr_assert_eq(r.port, 0);
	cr_assert(r.via_gateway);
	assert_addr(&r.nexthop, v6(0xfe80, 0, 0, 1));
	assert_addr(&r.src, v6(0x2001, 0xdb8, 0, 1));

	/* A link-local destination from the link-local address. */
	r = route_to(v6(0xfe80, 0, 0, 5));
	assert_addr(&r.src, v6(0xfe80, 0, 0, 0x100));

	dp_route_set_link(&rt, 0, false);
	r = route_to(v6(0x2001, 0x4860, 0, 0x8888));
	cr_assert_eq(r.port, 2);
	assert_addr(&r.nexthop, v6(0x2001, 0xdb8, 2, 0xff));
	assert_addr(&r.src, v6(0x2001, 0xdb8, 2, 1));
}

Test(route, no_route_without_subnet_or_gateway)
{
	struct dpsctp_addr a = v4(10, 0, 0, 1), odd = {.family = 5};
	struct dp_route r;

	dp_route_init(&rt);
	add(0, a, 24);
	assert_unreachable(v4(8, 8, 8, 8));
	assert_unreachable(v6(0x2001, 0xdb8, 0, 5));
	assert_unreachable(v4(224, 0, 0, 5)); /* multicast */
	assert_unreachable(v4(0, 0, 0, 0));   /* unspecified */
	assert_unreachable(v4(10, 0, 0, 1));  /* ourselves */
	cr_assert_eq(dp_route_lookup(&rt, &odd, &r), -EINVAL);
	dp_route_init(&rt);
	assert_unreachable(v4(10, 0, 0, 5));
}

Test(route, local_addresses_are_known_per_port)
{
	struct dpsctp_addr a = v4(192, 168, 1, 1), b = v4(192, 168, 1, 2),
			   c = v6(0xfe80, 0, 0, 0x100);

	cr_assert_eq(dp_route_is_local(&rt, &a), 1);
	cr_assert_eq(dp_route_is_local(&rt, &b), 0);
	cr_assert_eq(dp_route_is_local(&rt, &c), 1);
	cr_assert(dp_route_port_has_addr(&rt, 1, &a));
	cr_assert_not(dp_route_port_has_addr(&rt, 0, &a));
	cr_assert_not(dp_route_port_has_addr(&rt, 9, &a));
}

Test(route, table_building_checks_its_input)
{
	struct dpsctp_addr a = v4(10, 9, 0, 1);
	unsigned int i;

	cr_assert_eq(
		dp_route_add_addr(&rt, 3, &(struct dpsctp_addr){4, {10, 0, 0, 1}}, 24), -EEXIST);
	cr_assert_eq(dp_route_add_addr(&rt, 3, &a, 33), -EINVAL);
	cr_assert_eq(dp_route_add_addr(&rt, 3, &(struct dpsctp_addr){6, {0xff, 2}}, 64), -EINVAL);
	cr_assert_eq(dp_route_add_addr(&rt, 3, &(struct dpsctp_addr){4, {0}}, 8), -EINVAL);
	cr_assert_eq(dp_route_add_addr(&rt, 3, &(struct dpsctp_addr){7, {1}}, 8), -EINVAL);
	cr_assert_eq(
		dp_route_set_gateway(&rt, 3, &(struct dpsctp_addr){4, {224, 0, 0, 1}}), -EINVAL);
	for (i = 0; i < DP_ROUTE_MAX_ADDRS; i++) {
		a.bytes[3] = (uint8_t)(10 + i);
		cr_assert_eq(dp_route_add_addr(&rt, 3, &a, 24), 0);
	}
	a.bytes[3] = 99;
	cr_assert_eq(dp_route_add_addr(&rt, 3, &a, 24), -ENOSPC, "addresses per port");
	for (i = 4; i < DP_ROUTE_MAX_PORTS; i++) {
		a.bytes[2] = (uint8_t)i;
		cr_assert_eq(dp_route_add_addr(&rt, (uint16_t)i, &a, 24), 0);
	}
	a.bytes[2] = 100;
	cr_assert_eq(dp_route_add_addr(&rt, 100, &a, 24), -ENOSPC, "ports");
	cr_assert_eq(dp_route_set_gateway(&rt, 100, &a), -ENOSPC);
}

Test(route, lookup_from_leaves_by_the_port_of_the_source)
{
	struct dpsctp_addr src = v4(192, 168, 1, 1), dst = v4(8, 8, 8, 8), other = v4(1, 2, 3, 4);
	struct dpsctp_addr src0 = v4(10, 0, 0, 1), dst0 = v4(10, 0, 0, 200), six = v6(1, 2, 3, 4);
	struct dp_route r;

	cr_assert_eq(dp_route_lookup_from(&rt, &src, &dst, &r), 0);
	cr_assert_eq(r.port, 1);
	cr_assert(r.via_gateway);
	assert_addr(&r.nexthop, v4(192, 168, 1, 254));
	assert_addr(&r.src, src);

	/* dp_route_lookup() says port 1 (/25), but from 10.0.0.1 port 0's /24 is on-link. */
	cr_assert_eq(dp_route_lookup_from(&rt, &src0, &dst0, &r), 0);
	cr_assert_eq(r.port, 0);
	cr_assert_not(r.via_gateway);
	cr_assert_eq(r.plen, 24);
	assert_addr(&r.src, src0);

	cr_assert_eq(dp_route_lookup_from(&rt, &other, &dst, &r), -EHOSTUNREACH, "not ours");
	cr_assert_eq(dp_route_lookup_from(&rt, &src, &six, &r), -EINVAL);
	dp_route_set_link(&rt, 1, false);
	cr_assert_eq(dp_route_lookup_from(&rt, &src, &dst, &r), -EHOSTUNREACH, "port down");
	/* From port 2's address, out of port 2 by its own gateway. */
	src = v6(0x2001, 0xdb8, 2, 1);
	dst = v6(0x2001, 0x4860, 0, 1);
	cr_assert_eq(dp_route_lookup_from(&rt, &src, &dst, &r), 0);
	cr_assert_eq(r.port, 2);
}

static int
source_for(struct dpsctp_addr remote, const struct dpsctp_addr *cand, size_t n,
	struct dpsctp_addr *local)
{
	return dp_route_source_for(&rt, &remote, cand, n, local);
}

Test(route, source_for_takes_the_routed_source_when_it_is_a_candidate)
{
	struct dpsctp_addr cand[2] = {v4(192, 168, 1, 1), v4(10, 0, 0, 1)}, local;

	cr_assert_eq(source_for(v4(10, 0, 0, 5), cand, 2, &local), 0);
	assert_addr(&local, v4(10, 0, 0, 1));
	cr_assert_eq(source_for(v4(192, 168, 1, 77), cand, 2, &local), 0);
	assert_addr(&local, v4(192, 168, 1, 1));
}

Test(route, source_for_prefers_a_candidate_on_the_routed_port)
{
	struct dpsctp_addr cand[2] = {v4(192, 168, 1, 1), v4(172, 16, 0, 1)}, local;

	/* Routed: port 0 from 10.0.0.1, not a candidate; 172.16.0.1 is on port 0. */
	cr_assert_eq(source_for(v4(10, 0, 0, 5), cand, 2, &local), 0);
	assert_addr(&local, v4(172, 16, 0, 1));
	/* Routed: port 1 from 10.0.0.129; 192.168.1.1 is on port 1. */
	cr_assert_eq(source_for(v4(10, 0, 0, 200), cand, 2, &local), 0);
	assert_addr(&local, v4(192, 168, 1, 1));
}

Test(route, source_for_falls_back_to_a_candidate_own_port_and_gateway)
{
	struct dpsctp_addr cand[1] = {v4(192, 168, 1, 1)}, local;
	struct dp_route r;

	/* 10.0.0.5 routes out of port 0, where the endpoint has no address. */
	cr_assert_eq(source_for(v4(10, 0, 0, 5), cand, 1, &local), 0);
	assert_addr(&local, v4(192, 168, 1, 1));
	cr_assert_eq(
		dp_route_lookup_from(&rt, &local, &(struct dpsctp_addr){4, {10, 0, 0, 5}}, &r), 0);
	cr_assert_eq(r.port, 1);
	assert_addr(&r.nexthop, v4(192, 168, 1, 254));
}

Test(route, source_for_finds_nothing_for_the_wrong_family_scope_or_links)
{
	struct dpsctp_addr v6cand[1] = {v6(0x2001, 0xdb8, 0, 1)};
	struct dpsctp_addr llcand[1] = {v6(0xfe80, 0, 0, 0x100)};
	struct dpsctp_addr cand[2] = {v4(192, 168, 1, 1), v4(10, 0, 0, 1)}, local;

	cr_assert_eq(source_for(v4(10, 0, 0, 5), v6cand, 1, &local), -EHOSTUNREACH);
	cr_assert_eq(source_for(v6(0x2001, 0x4860, 0, 1), llcand, 1, &local), -EHOSTUNREACH,
		"a link-local source for a global destination");
	cr_assert_eq(source_for(v6(0xfe80, 0, 0, 9), llcand, 1, &local), 0);
	assert_addr(&local, v6(0xfe80, 0, 0, 0x100));
	cr_assert_eq(source_for(v4(10, 0, 0, 5), cand, 0, &local), -EHOSTUNREACH);
	dp_route_set_link(&rt, 0, false);
	dp_route_set_link(&rt, 1, false);
	cr_assert_eq(source_for(v4(10, 0, 0, 5), cand, 2, &local), -EHOSTUNREACH);
}
