/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target over the wire-facing L2/L3 code of the dataplane. The input is one received
 * Ethernet frame; it goes through everything a worker and the control lcore run on a frame,
 * without EAL:
 *   - dp_inet_parse();
 *   - ARP: dp_arp_parse(), dp_arp_build_reply() (and the request control would send back);
 *   - ICMP / ICMPv6: dp_icmp_echo_reply(), dp_icmp_error_parse(), dp_icmp_nd_parse() and
 *     dp_icmp_nd_na_reply();
 *   - SCTP: the CRC32c check, dp_steer_sctp(), dpsctp_packet_parse();
 *   - routes of a fixed two-port host: dp_route_lookup(), _lookup_from(), _source_for() for the
 *     frame's source;
 *   - a small neighbour table fed with what the frame teaches (ARP sender, NS source, NA
 *     target, the next hop of the route back), checked against a plain model after every call;
 *     a miss on the next hop builds the ARP request or NS (and unsolicited NA) control sends.
 *
 * Bytes past the end the IP length fields give (Ethernet padding, which no parser reads; for
 * ARP past the 28-byte message) drive the rest: the first says which links are down and how
 * many workers there are, each further one is a neighbour table operation. The fuzzer mutates
 * them without breaking the frame's checksums.
 *
 * Besides "never crash, never read out of bounds", invariants that must hold abort(): a
 * successful parse stays inside the frame, a built reply parses again and answers the request
 * field by field with a correct checksum, steering names an existing worker, the fast CRC32c
 * equals the reference, routes use our addresses on UP ports, the neighbour table matches the
 * model.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "chunk.h"
#include "crc32c.h"
#include "crc32c_ref.h"
#include "encap.h"
#include "icmp.h"
#include "inet.h"
#include "neigh.h"
#include "packet.h"
#include "route.h"
#include "steer.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

#define NEIGH_CAP 8            /* small: full tables, wrapped probe chains and tombstones happen */
#define MODEL_MAX 64           /* distinct keys one input can touch */
#define MAX_OPS 48             /* neighbour operations taken from the padding */
#define RETRY_NS 1000000000ull /* control's NEIGH_RETRY_NS */
#define TIMEOUT_NS 3000000000ull
#define STEP_NS 300000000ull

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

/* The host: port 0 like configs/tap-demo.yaml plus a link-local address, port 1 another LAN. */
static const struct {
	uint16_t port;
	uint8_t family;
	uint8_t bytes[16];
	uint8_t plen;
} host_addrs[] = {
	{0, 4, {198, 18, 0, 1}, 24},
	{0, 6, {0x20, 0x01, 0x0d, 0xb8, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 64},
	{0, 6, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 64},
	{1, 4, {198, 18, 1, 1}, 24},
	{1, 6, {0x20, 0x01, 0x0d, 0xb8, 0, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 64},
};
#define NADDRS (sizeof(host_addrs) / sizeof(host_addrs[0]))
static const uint8_t gw4_0[4] = {198, 18, 0, 254};
static const uint8_t gw6_0[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe};
static const uint8_t gw6_1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe};
static const uint8_t all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

/* Replies are built here; the frame itself may be up to 64 KiB in a replay. */
static uint8_t out[65536 + 256];
static uint8_t scratch[65536 + 256];

/* ---- the neighbour table and its model ---- */

struct model_entry {
	bool used;
	uint8_t state; /* enum dp_neigh_state: INCOMPLETE, REACHABLE, STATIC */
	uint16_t port;
	struct dpsctp_addr ip;
	uint8_t mac[6];
	uint64_t confirmed;
	uint64_t req_last;
	uint32_t req_count;
};

struct ntab {
	struct dp_neigh_table t;
	struct dp_neigh_entry slots[NEIGH_CAP];
	struct model_entry m[MODEL_MAX];
	uint64_t now;
};

static struct ntab nt;

/* The key as the table compares it: IPv4 by its first 4 bytes only. */
static void
key_norm(struct dpsctp_addr *k, const struct dpsctp_addr *ip)
{
	memset(k, 0, sizeof(*k));
	k->family = ip->family;
	memcpy(k->bytes, ip->bytes, ip->family == 4 ? 4 : 16);
}

static struct model_entry *
model_find(uint16_t port, const struct dpsctp_addr *ip)
{
	struct dpsctp_addr k;
	unsigned int i;

	key_norm(&k, ip);
	for (i = 0; i < MODEL_MAX; i++)
		if (nt.m[i].used && nt.m[i].port == port && dp_inet_addr_eq(&nt.m[i].ip, &k))
			return &nt.m[i];
	return NULL;
}

static unsigned int
model_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MODEL_MAX; i++)
		n += nt.m[i].used;
	return n;
}

static struct model_entry *
model_add(uint16_t port, const struct dpsctp_addr *ip)
{
	unsigned int i;

	for (i = 0; i < MODEL_MAX; i++)
		if (!nt.m[i].used) {
			memset(&nt.m[i], 0, sizeof(nt.m[i]));
			nt.m[i].used = true;
			nt.m[i].port = port;
			key_norm(&nt.m[i].ip, ip);
			return &nt.m[i];
		}
	abort(); /* the table holds NEIGH_CAP entries at most: never reached */
}

static uint64_t
elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static bool
mac_ok(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return (mac[0] & 0x01) == 0 && memcmp(mac, zero, 6) != 0;
}

/* Table and model agree: counters, every slot, every lookup, the snapshot. */
static void
neigh_check(void)
{
	struct dp_neigh_info info[NEIGH_CAP + 1];
	unsigned int i, entries = 0, tombstones = 0;
	size_t n;

	for (i = 0; i < NEIGH_CAP; i++) {
		uint8_t st = nt.slots[i].state;

		CHECK((nt.slots[i].seq & 1) == 0);
		CHECK(st <= DP_NEIGH_STATIC);
		entries += st >= DP_NEIGH_INCOMPLETE;
		tombstones += st == DP_NEIGH_TOMBSTONE;
	}
	CHECK(entries == nt.t.used);
	CHECK(tombstones == nt.t.tombstones);
	CHECK(dp_neigh_count(&nt.t) == model_count());
	for (i = 0; i < MODEL_MAX; i++) {
		const struct model_entry *e = &nt.m[i];
		uint8_t mac[6];
		int rc;

		if (!e->used)
			continue;
		rc = dp_neigh_lookup(&nt.t, e->port, &e->ip, mac);
		if (e->state == DP_NEIGH_INCOMPLETE) {
			CHECK(rc == -ENOENT);
		} else {
			CHECK(rc == 0);
			CHECK(memcmp(mac, e->mac, 6) == 0);
		}
	}
	n = dp_neigh_snapshot(&nt.t, info, NEIGH_CAP + 1);
	CHECK(n == model_count());
	for (i = 0; i < n; i++) {
		const struct model_entry *e = model_find(info[i].port, &info[i].ip);

		CHECK(e != NULL);
		CHECK(info[i].state == e->state);
		CHECK(info[i].confirmed == e->confirmed);
		CHECK(info[i].req_last == e->req_last);
		CHECK(info[i].req_count == e->req_count);
		if (e->state != DP_NEIGH_INCOMPLETE)
			CHECK(memcmp(info[i].mac, e->mac, 6) == 0);
		CHECK(dp_neigh_state_name(info[i].state) != NULL);
	}
}

static int
neigh_lookup(uint16_t port, const struct dpsctp_addr *ip, uint8_t mac[6])
{
	const struct model_entry *e = model_find(port, ip);
	int rc = dp_neigh_lookup(&nt.t, port, ip, mac);

	if (ip->family != 4 && ip->family != 6) {
		CHECK(rc == -ENOENT);
		return rc;
	}
	if (e == NULL || e->state == DP_NEIGH_INCOMPLETE) {
		CHECK(rc == -ENOENT);
	} else {
		CHECK(rc == 0);
		CHECK(memcmp(mac, e->mac, 6) == 0);
	}
	return rc;
}

static int
neigh_update(uint16_t port, const struct dpsctp_addr *ip, const uint8_t mac[6], bool is_static)
{
	uint8_t state = is_static ? DP_NEIGH_STATIC : DP_NEIGH_REACHABLE;
	struct model_entry *e = model_find(port, ip);
	int rc = dp_neigh_update(&nt.t, port, ip, mac, nt.now, is_static);
	int want;

	if ((ip->family != 4 && ip->family != 6) || !mac_ok(mac)) {
		want = -EINVAL;
	} else if (e == NULL) {
		want = model_count() == NEIGH_CAP ? -ENOSPC : 1;
		if (want == 1)
			e = model_add(port, ip);
	} else if (e->state == DP_NEIGH_STATIC && !is_static) {
		want = -EPERM;
	} else {
		want = e->state != state || memcmp(e->mac, mac, 6) != 0;
	}
	CHECK(rc == want);
	if (rc >= 0) {
		e->state = state;
		memcpy(e->mac, mac, 6);
		e->confirmed = nt.now;
		e->req_count = 0;
	}
	neigh_check();
	return rc;
}

static int
neigh_want(uint16_t port, const struct dpsctp_addr *ip)
{
	struct model_entry *e = model_find(port, ip);
	int rc = dp_neigh_want(&nt.t, port, ip, nt.now, RETRY_NS);
	int want;

	if (ip->family != 4 && ip->family != 6) {
		want = -EINVAL;
	} else if (e == NULL) {
		want = model_count() == NEIGH_CAP ? -ENOSPC : 1;
		if (want == 1) {
			e = model_add(port, ip);
			e->state = DP_NEIGH_INCOMPLETE;
			e->req_last = nt.now;
			e->req_count = 1;
		}
	} else if (e->state != DP_NEIGH_INCOMPLETE || elapsed(nt.now, e->req_last) < RETRY_NS) {
		want = 0;
	} else {
		want = 1;
		e->req_last = nt.now;
		e->req_count++;
	}
	CHECK(rc == want);
	neigh_check();
	return rc;
}

static void
neigh_delete(uint16_t port, const struct dpsctp_addr *ip)
{
	struct model_entry *e = model_find(port, ip);
	int rc = dp_neigh_delete(&nt.t, port, ip);

	if (e == NULL || (ip->family != 4 && ip->family != 6)) {
		CHECK(rc == -ENOENT);
	} else {
		CHECK(rc == 0);
		e->used = false;
	}
	neigh_check();
}

static void
neigh_age(uint64_t timeout)
{
	unsigned int i, removed = 0;

	for (i = 0; i < MODEL_MAX; i++) {
		struct model_entry *e = &nt.m[i];

		if (!e->used)
			continue;
		if ((e->state == DP_NEIGH_REACHABLE && elapsed(nt.now, e->confirmed) > timeout) ||
			(e->state == DP_NEIGH_INCOMPLETE &&
				elapsed(nt.now, e->req_last) > timeout)) {
			e->used = false;
			removed++;
		}
	}
	CHECK(dp_neigh_age(&nt.t, nt.now, timeout) == removed);
	neigh_check();
}

static void
addr_set(struct dpsctp_addr *a, uint8_t family, const uint8_t *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, bytes, family == 4 ? 4 : 16);
}

/* A table as control has it after start-up: static gateways, one pending resolution. */
static void
neigh_setup(void)
{
	static const uint8_t gw_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xfe};
	static const uint8_t pending[4] = {198, 18, 0, 77};
	struct dpsctp_addr a;

	memset(&nt, 0, sizeof(nt));
	nt.now = 1000000000ull;
	CHECK(dp_neigh_init(&nt.t, nt.slots, NEIGH_CAP) == 0);
	addr_set(&a, 4, gw4_0);
	CHECK(neigh_update(0, &a, gw_mac, true) == 1);
	addr_set(&a, 6, gw6_0);
	CHECK(neigh_update(0, &a, gw_mac, true) == 1);
	addr_set(&a, 4, pending);
	CHECK(neigh_want(0, &a) == 1);
}

/* ---- routes ---- */

static void
route_setup(struct dp_route_table *rt, uint8_t knobs)
{
	struct dpsctp_addr a;
	unsigned int i;

	dp_route_init(rt);
	for (i = 0; i < NADDRS; i++) {
		addr_set(&a, host_addrs[i].family, host_addrs[i].bytes);
		CHECK(dp_route_add_addr(rt, host_addrs[i].port, &a, host_addrs[i].plen) == 0);
		CHECK(dp_route_add_addr(rt, 7, &a, host_addrs[i].plen) == -EEXIST);
	}
	addr_set(&a, 4, gw4_0);
	CHECK(dp_route_set_gateway(rt, 0, &a) == 0);
	addr_set(&a, 6, gw6_0);
	CHECK(dp_route_set_gateway(rt, 0, &a) == 0);
	addr_set(&a, 6, gw6_1);
	CHECK(dp_route_set_gateway(rt, 1, &a) == 0);
	CHECK(dp_route_set_link(rt, 0, (knobs & 1) == 0) == 0);
	CHECK(dp_route_set_link(rt, 1, (knobs & 2) == 0) == 0);
	CHECK(dp_route_set_link(rt, 5, true) == -ENOENT);
}

static bool
port_is_up(const struct dp_route_table *rt, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < rt->nports; i++)
		if (rt->ports[i].port_id == port)
			return rt->ports[i].up;
	return false;
}

/* What any successful route must be: out of an UP port, from our address on it. */
static void
route_sane(const struct dp_route_table *rt, const struct dpsctp_addr *dst, const struct dp_route *r)
{
	const struct dp_route_port *p = NULL;
	bool onlink = false;
	unsigned int i;

	CHECK(r->src.family == dst->family);
	CHECK(r->nexthop.family == dst->family);
	CHECK(port_is_up(rt, r->port));
	CHECK(dp_route_port_has_addr(rt, r->port, &r->src));
	for (i = 0; i < rt->nports; i++)
		if (rt->ports[i].port_id == r->port)
			p = &rt->ports[i];
	CHECK(p != NULL);
	if (r->via_gateway) {
		CHECK(r->plen == 0);
		CHECK(dst->family == 4 ? p->has_gw4 : p->has_gw6);
		CHECK(dp_inet_addr_eq(&r->nexthop, dst->family == 4 ? &p->gw4 : &p->gw6));
	} else {
		/* A prefix of the port holds the destination (the source may be another of the
		 * port's addresses when it was given: dp_route_lookup_from()). */
		CHECK(dp_inet_addr_eq(&r->nexthop, dst));
		for (i = 0; i < p->naddr; i++)
			if (p->plen[i] == r->plen &&
				dp_inet_prefix_match(dst, &p->addr[i], r->plen))
				onlink = true;
		CHECK(onlink);
	}
}

/*
 * The route back to the frame's source, as the engine's output and the echo reply would take
 * it; returns 1 with @p r filled when there is one.
 */
static int
route_back(const struct dp_route_table *rt, const struct dp_inet *in, struct dp_route *r)
{
	struct dpsctp_addr cand[NADDRS], local;
	struct dp_route r2;
	bool unroutable = dp_inet_addr_is_multicast(&in->src) ||
			  dp_inet_addr_is_unspecified(&in->src) || dp_route_is_local(rt, &in->src);
	unsigned int i;
	int rc, rc_from, rc_src;

	for (i = 0; i < NADDRS; i++)
		addr_set(&cand[i], host_addrs[i].family, host_addrs[i].bytes);

	rc = dp_route_lookup(rt, &in->src, r);
	CHECK(rc == 0 || rc == -EHOSTUNREACH);
	if (unroutable)
		CHECK(rc == -EHOSTUNREACH);
	if (rc == 0)
		route_sane(rt, &in->src, r);

	/* From the address the frame was sent to, when it is ours. */
	rc_from = dp_route_lookup_from(rt, &in->dst, &in->src, &r2);
	CHECK(rc_from == 0 || rc_from == -EHOSTUNREACH);
	if (!dp_route_is_local(rt, &in->dst) || unroutable)
		CHECK(rc_from == -EHOSTUNREACH);
	if (rc_from == 0) {
		route_sane(rt, &in->src, &r2);
		CHECK(dp_inet_addr_eq(&r2.src, &in->dst));
	}

	/* Any of our addresses may be the source: the lookup's own choice is taken. */
	rc_src = dp_route_source_for(rt, &in->src, cand, NADDRS, &local);
	CHECK(rc_src == 0 || rc_src == -EHOSTUNREACH);
	if (rc == 0) {
		CHECK(rc_src == 0);
		CHECK(dp_inet_addr_eq(&local, &r->src));
	}
	if (rc_src == 0) {
		CHECK(dp_route_is_local(rt, &local));
		CHECK(dp_route_lookup_from(rt, &local, &in->src, &r2) == 0);
		route_sane(rt, &in->src, &r2);
	}
	/* Only the address the frame was sent to (an endpoint bound to it alone). */
	rc_src = dp_route_source_for(rt, &in->src, &in->dst, 1, &local);
	CHECK(rc_src == 0 || rc_src == -EHOSTUNREACH);
	if (rc_src == 0) {
		CHECK(dp_inet_addr_eq(&local, &in->dst));
		CHECK(dp_route_lookup_from(rt, &local, &in->src, &r2) == 0);
	}
	CHECK(dp_route_source_for(rt, &in->src, NULL, 0, &local) == -EHOSTUNREACH);
	return rc == 0;
}

/* ---- frames ---- */

/* What every successful dp_inet_parse() promises. */
static void
inet_sane(const uint8_t *data, size_t size, const struct dp_inet *in)
{
	struct dp_inet again;

	CHECK(in->l3_off == DP_INET_ETH_HDR_LEN);
	CHECK(in->l4_off >= in->l3_off && in->l4_off <= size);
	CHECK(in->l4_len <= size - in->l4_off);
	CHECK(memcmp(in->dst_mac, data, 6) == 0 && memcmp(in->src_mac, data + 6, 6) == 0);
	CHECK(!in->l2_bcast || in->l2_mcast);
	switch (in->kind) {
	case DP_INET_ARP:
		CHECK(in->l4_off == in->l3_off && in->l4_len == size - in->l3_off);
		CHECK(in->proto == 0 && in->src.family == 0 && in->dst.family == 0);
		break;
	case DP_INET_IPV4:
		CHECK(in->l4_off >= in->l3_off + DP_INET_IPV4_HDR_LEN);
		CHECK(in->l4_off <= in->l3_off + 60);
		CHECK(dp_inet_cksum(data + in->l3_off, in->l4_off - in->l3_off) == 0);
		CHECK(in->src.family == 4 && in->dst.family == 4);
		CHECK(!dp_inet_addr_is_multicast(&in->src));
		break;
	case DP_INET_IPV6:
		CHECK(in->l4_off >= in->l3_off + DP_INET_IPV6_HDR_LEN);
		CHECK((in->l4_off - in->l3_off - DP_INET_IPV6_HDR_LEN) % 8 == 0);
		CHECK(in->src.family == 6 && in->dst.family == 6);
		CHECK(!dp_inet_addr_is_multicast(&in->src));
		/* The length field covers extension headers and L4. */
		CHECK(dpsctp_get_be16(data + in->l3_off + 4) ==
			in->l4_off - in->l3_off - DP_INET_IPV6_HDR_LEN + in->l4_len);
		break;
	default:
		abort();
	}
	CHECK(dp_inet_parse(data, size, &again) == 0);
	CHECK(memcmp(&again, in, sizeof(again)) == 0);
}

static void
arp_frame(const uint8_t *data, const struct dp_inet *in)
{
	struct dp_arp a, r;
	struct dp_inet rin;
	size_t n;
	uint8_t mac[6];
	bool for_us = false;
	unsigned int i;

	if (dp_arp_parse(data + in->l3_off, in->l4_len, &a) != 0) {
		CHECK(in->l4_len < DP_ARP_LEN || dpsctp_get_be16(data + in->l3_off) != 1 ||
			dpsctp_get_be16(data + in->l3_off + 6) - 1u > 1u ||
			data[in->l3_off + 4] != 6 || data[in->l3_off + 5] != 4 ||
			dpsctp_get_be16(data + in->l3_off + 2) != 0x0800);
		return;
	}
	CHECK(a.op == DP_ARP_OP_REQUEST || a.op == DP_ARP_OP_REPLY);
	CHECK(a.spa.family == 4 && a.tpa.family == 4);
	CHECK(dp_arp_is_gratuitous(&a) == (memcmp(a.spa.bytes, a.tpa.bytes, 4) == 0));

	/* The reply control would send, unicast back with sender and target swapped. */
	n = dp_arp_build_reply(out, sizeof(out), &a, our_mac);
	CHECK(n == DP_ARP_FRAME_LEN);
	CHECK(dp_arp_build_reply(out, DP_ARP_FRAME_LEN - 1, &a, our_mac) == 0);
	CHECK(dp_inet_parse(out, n, &rin) == 0);
	inet_sane(out, n, &rin);
	CHECK(rin.kind == DP_INET_ARP);
	CHECK(dp_arp_parse(out + rin.l3_off, rin.l4_len, &r) == 0);
	CHECK(r.op == DP_ARP_OP_REPLY);
	CHECK(memcmp(r.sha, our_mac, 6) == 0 && memcmp(r.tha, a.sha, 6) == 0);
	CHECK(dp_inet_addr_eq(&r.spa, &a.tpa) && dp_inet_addr_eq(&r.tpa, &a.spa));
	CHECK(memcmp(rin.dst_mac, a.sha, 6) == 0 && memcmp(rin.src_mac, our_mac, 6) == 0);

	/* RFC 826 merge, as control does it on port 0. */
	for (i = 0; i < NADDRS; i++)
		if (host_addrs[i].port == 0 && host_addrs[i].family == 4 &&
			memcmp(host_addrs[i].bytes, a.tpa.bytes, 4) == 0)
			for_us = true;
	if (!dp_inet_addr_is_unspecified(&a.spa) && (for_us || neigh_lookup(0, &a.spa, mac) == 0))
		(void)neigh_update(0, &a.spa, a.sha, false);

	/* The request control sends to resolve the sender, from our address. */
	n = dp_arp_build(out, sizeof(out), DP_ARP_OP_REQUEST, our_mac, &a.tpa, NULL, &a.spa, NULL);
	CHECK(n == DP_ARP_FRAME_LEN);
	CHECK(dp_inet_parse(out, n, &rin) == 0 && rin.kind == DP_INET_ARP && rin.l2_bcast);
	CHECK(dp_arp_parse(out + rin.l3_off, rin.l4_len, &r) == 0);
	CHECK(r.op == DP_ARP_OP_REQUEST && dp_inet_addr_eq(&r.tpa, &a.spa));
}

static void
echo_check(const uint8_t *data, size_t size, const struct dp_inet *in)
{
	const uint8_t *req = data + in->l4_off;
	bool v4 = in->kind == DP_INET_IPV4;
	uint8_t want = v4 ? DP_ICMP4_ECHO_REQUEST : DP_ICMP6_ECHO_REQUEST;
	static const uint8_t bcast4[4] = {0xff, 0xff, 0xff, 0xff};
	bool limited_bcast = v4 && memcmp(in->dst.bytes, bcast4, 4) == 0;
	uint16_t ck = v4 ? dp_inet_cksum(req, in->l4_len)
			 : dp_inet_l4_cksum(&in->src, &in->dst, in->proto, req, in->l4_len);
	bool answerable =
		(v4 ? in->proto == DP_INET_PROTO_ICMP : in->proto == DP_INET_PROTO_ICMPV6) &&
		in->l4_len >= 8 && req[0] == want && req[1] == 0 && ck == 0 &&
		!dp_inet_addr_is_multicast(&in->dst) && !limited_bcast &&
		!dp_inet_addr_is_unspecified(&in->src);
	struct dp_inet rin;
	uint8_t *small;
	size_t n, n2;

	n = dp_icmp_echo_reply(data, size, in, our_mac, out, sizeof(out));
	CHECK((n != 0) == answerable);
	/* Control passes the frame without its Ethernet padding: the same reply. */
	n2 = dp_icmp_echo_reply(
		data, in->l4_off + in->l4_len, in, our_mac, scratch, sizeof(scratch));
	CHECK(n2 == n && memcmp(out, scratch, n) == 0);
	if (n == 0)
		return;
	CHECK(n == dp_inet_hdr_len(in->src.family) + in->l4_len);
	CHECK(dp_inet_parse(out, n, &rin) == 0);
	inet_sane(out, n, &rin);
	CHECK(rin.kind == in->kind && rin.proto == in->proto);
	CHECK(dp_inet_addr_eq(&rin.src, &in->dst) && dp_inet_addr_eq(&rin.dst, &in->src));
	CHECK(memcmp(rin.dst_mac, in->src_mac, 6) == 0 && memcmp(rin.src_mac, our_mac, 6) == 0);
	CHECK(rin.l4_len == in->l4_len && rin.l4_off + rin.l4_len == n);
	CHECK(rin.ttl == DP_INET_DEFAULT_TTL);
	CHECK(out[rin.l4_off] == (v4 ? DP_ICMP4_ECHO_REPLY : DP_ICMP6_ECHO_REPLY));
	CHECK(out[rin.l4_off + 1] == 0);
	CHECK(memcmp(out + rin.l4_off + 4, req + 4, in->l4_len - 4) == 0);
	if (v4)
		CHECK(dp_inet_cksum(out + rin.l4_off, rin.l4_len) == 0);
	else
		CHECK(dp_inet_l4_cksum(
			      &rin.src, &rin.dst, rin.proto, out + rin.l4_off, rin.l4_len) == 0);
	/* A reply to a reply is none. */
	CHECK(dp_icmp_echo_reply(out, n, &rin, our_mac, scratch, sizeof(scratch)) == 0);
	/* One byte short of room: nothing written past it. */
	small = malloc(n - 1);
	CHECK(small != NULL);
	CHECK(dp_icmp_echo_reply(data, size, in, our_mac, small, n - 1) == 0);
	free(small);
}

static void
error_check(const uint8_t *l4, const struct dp_inet *in, struct dp_route_table *rt,
	unsigned int nworkers)
{
	const uint8_t *end = l4 + in->l4_len;
	size_t iphdr = in->kind == DP_INET_IPV4 ? DP_INET_IPV4_HDR_LEN : DP_INET_IPV6_HDR_LEN;
	struct dp_icmp_err err;
	unsigned int owner;
	int rc;

	rc = dp_icmp_error_parse(l4, in->l4_len, &in->src, &in->dst, &err);
	CHECK(rc == 0 || rc == -ENOENT || rc == -EBADMSG || rc == -EINVAL);
	if (rc != 0)
		return;
	CHECK(in->l4_len >= 8);
	CHECK(err.kind == DP_ICMP_UNREACH || err.kind == DP_ICMP_PTB);
	CHECK(err.type == l4[0] && err.code == l4[1]);
	CHECK(err.inner_src.family == in->src.family && err.inner_dst.family == in->src.family);
	CHECK(err.quoted >= l4 + 8 + iphdr && err.quoted_len >= 8);
	CHECK(err.quoted <= end && err.quoted_len <= (size_t)(end - err.quoted));
	if (err.kind == DP_ICMP_PTB) {
		CHECK(in->kind == DP_INET_IPV4 ? l4[1] == DP_ICMP4_FRAG_NEEDED
					       : l4[0] == DP_ICMP6_PACKET_TOO_BIG);
		CHECK(err.mtu != 0 || in->kind == DP_INET_IPV6);
		if (err.mtu_estimated)
			CHECK(in->kind == DP_INET_IPV4 && err.mtu >= DP_ICMP_MIN_MTU4);
	} else {
		CHECK(err.mtu == 0 && !err.mtu_estimated);
	}
	/* The quote is handed to the workers (steering does not apply to it, but must not
	 * overrun it either) and routed from its source, one of ours. */
	(void)dp_steer_sctp(err.quoted, err.quoted_len, nworkers, &owner);
	CHECK(owner < nworkers);
	if (dp_route_is_local(rt, &err.inner_src)) {
		struct dp_route r;

		if (dp_route_lookup_from(rt, &err.inner_src, &err.inner_dst, &r) == 0)
			route_sane(rt, &err.inner_dst, &r);
	}
}

static void
nd_check(const uint8_t *l4, const struct dp_inet *in)
{
	struct dp_nd nd, rnd;
	struct dp_inet rin;
	uint8_t mac[6];
	bool for_us = false;
	unsigned int i;
	size_t n;
	int rc;

	rc = dp_icmp_nd_parse(l4, in->l4_len, in, &nd);
	CHECK(rc == 0 || rc == -ENOENT || rc == -EBADMSG || rc == -EINVAL);
	if (in->kind != DP_INET_IPV6 || in->proto != DP_INET_PROTO_ICMPV6)
		CHECK(rc == -EINVAL);
	if (rc != 0)
		return;
	CHECK(nd.type == l4[0] && (nd.type == DP_ND_NS || nd.type == DP_ND_NA));
	CHECK(in->ttl == DP_ND_HOP_LIMIT && in->l4_len >= 24);
	CHECK(nd.target.family == 6 && !dp_inet_addr_is_multicast(&nd.target));
	CHECK(memcmp(nd.target.bytes, l4 + 8, 16) == 0);
	for (i = 0; i < NADDRS; i++)
		if (host_addrs[i].port == 0 && host_addrs[i].family == 6 &&
			memcmp(host_addrs[i].bytes, nd.target.bytes, 16) == 0)
			for_us = true;

	if (nd.type == DP_ND_NA) {
		CHECK(dp_icmp_nd_na_reply(in, &nd, our_mac, out, sizeof(out)) == 0);
		CHECK(!nd.dad);
		if (nd.has_lladdr && (neigh_lookup(0, &nd.target, mac) == 0 ||
					     (nd.flags & DP_ND_NA_FLAG_SOLICITED)))
			(void)neigh_update(0, &nd.target, nd.lladdr, false);
		return;
	}
	CHECK(nd.flags == 0);
	CHECK(!nd.dad || (!nd.has_lladdr && dp_inet_addr_is_unspecified(&in->src)));
	if (for_us && nd.has_lladdr && !nd.dad)
		(void)neigh_update(0, &in->src, nd.lladdr, false);

	/* The advertisement control answers with, whoever the target is: it must validate. */
	n = dp_icmp_nd_na_reply(in, &nd, our_mac, out, sizeof(out));
	CHECK(n == DP_ND_FRAME_LEN);
	CHECK(dp_icmp_nd_na_reply(in, &nd, our_mac, scratch, DP_ND_FRAME_LEN - 1) == 0);
	CHECK(dp_inet_parse(out, n, &rin) == 0);
	inet_sane(out, n, &rin);
	CHECK(rin.kind == DP_INET_IPV6 && rin.proto == DP_INET_PROTO_ICMPV6);
	CHECK(rin.ttl == DP_ND_HOP_LIMIT);
	CHECK(dp_inet_addr_eq(&rin.src, &nd.target));
	CHECK(memcmp(rin.src_mac, our_mac, 6) == 0);
	CHECK(dp_icmp_nd_parse(out + rin.l4_off, rin.l4_len, &rin, &rnd) == 0);
	CHECK(rnd.type == DP_ND_NA && dp_inet_addr_eq(&rnd.target, &nd.target));
	CHECK(rnd.has_lladdr && memcmp(rnd.lladdr, our_mac, 6) == 0);
	if (nd.dad) {
		struct dpsctp_addr an;

		addr_set(&an, 6, all_nodes);
		CHECK(rnd.flags == DP_ND_NA_FLAG_OVERRIDE);
		CHECK(dp_inet_addr_eq(&rin.dst, &an));
		CHECK(rin.dst_mac[0] == 0x33 && rin.dst_mac[1] == 0x33 && rin.l2_mcast);
	} else {
		CHECK(rnd.flags == (DP_ND_NA_FLAG_OVERRIDE | DP_ND_NA_FLAG_SOLICITED));
		CHECK(dp_inet_addr_eq(&rin.dst, &in->src));
		CHECK(memcmp(rin.dst_mac, nd.has_lladdr ? nd.lladdr : in->src_mac, 6) == 0);
	}
}

/* What control sends when a lookup missed (ARP request / NS), and the unsolicited NA of one of
 * our IPv6 addresses: each must parse as the message it is. */
static void
resolve_check(const struct dpsctp_addr *src, const struct dpsctp_addr *target)
{
	struct dpsctp_addr sn;
	struct dp_inet rin;
	struct dp_arp a;
	struct dp_nd nd;
	size_t n;

	if (target->family == 4) {
		n = dp_arp_build(
			out, sizeof(out), DP_ARP_OP_REQUEST, our_mac, src, NULL, target, NULL);
		CHECK(n == DP_ARP_FRAME_LEN);
		CHECK(dp_inet_parse(out, n, &rin) == 0 && rin.kind == DP_INET_ARP && rin.l2_bcast);
		CHECK(dp_arp_parse(out + rin.l3_off, rin.l4_len, &a) == 0);
		CHECK(a.op == DP_ARP_OP_REQUEST && dp_inet_addr_eq(&a.tpa, target));
		CHECK(dp_inet_addr_eq(&a.spa, src) && memcmp(a.sha, our_mac, 6) == 0);
		return;
	}
	n = dp_icmp_nd_build_ns(out, sizeof(out), our_mac, src, target);
	CHECK(n == DP_ND_FRAME_LEN);
	CHECK(dp_icmp_nd_build_ns(out, DP_ND_FRAME_LEN - 1, our_mac, src, target) == 0);
	CHECK(dp_inet_parse(out, n, &rin) == 0);
	inet_sane(out, n, &rin);
	dp_inet_solicited_node(target, &sn);
	CHECK(dp_inet_addr_eq(&rin.dst, &sn) && dp_inet_addr_eq(&rin.src, src));
	CHECK(rin.l2_mcast && rin.dst_mac[0] == 0x33 && rin.dst_mac[1] == 0x33);
	CHECK(memcmp(rin.dst_mac + 2, sn.bytes + 12, 4) == 0);
	CHECK(dp_icmp_nd_parse(out + rin.l4_off, rin.l4_len, &rin, &nd) == 0);
	CHECK(nd.type == DP_ND_NS && !nd.dad && dp_inet_addr_eq(&nd.target, target));
	CHECK(nd.has_lladdr && memcmp(nd.lladdr, our_mac, 6) == 0);

	n = dp_icmp_nd_build_unsolicited_na(out, sizeof(out), our_mac, src);
	CHECK(n == DP_ND_FRAME_LEN);
	CHECK(dp_inet_parse(out, n, &rin) == 0);
	inet_sane(out, n, &rin);
	CHECK(dp_icmp_nd_parse(out + rin.l4_off, rin.l4_len, &rin, &nd) == 0);
	CHECK(nd.type == DP_ND_NA && nd.flags == DP_ND_NA_FLAG_OVERRIDE);
	CHECK(dp_inet_addr_eq(&nd.target, src) && nd.has_lladdr);
}

/* SCTP as a worker takes it: CRC32c, steering, packet structure. */
static void
sctp_check(const uint8_t *sctp, size_t len, unsigned int nworkers)
{
	struct dpsctp_packet_info pi;
	unsigned int owner = ~0u;
	enum dp_steer d;
	uint32_t vtag;
	int rc;

	if (len >= DPSCTP_COMMON_HDR_LEN) {
		uint32_t stored = dpsctp_packet_get_checksum(sctp);
		bool ok;

		memcpy(scratch, sctp, len);
		ok = dp_sctp_crc_ok(scratch, len);
		CHECK(memcmp(scratch, sctp, len) == 0);
		scratch[8] = scratch[9] = scratch[10] = scratch[11] = 0;
		CHECK(ok == (dpsctp_crc32c_ref(scratch, len) == stored));
	}

	d = dp_steer_sctp(sctp, len, nworkers, &owner);
	CHECK(owner < nworkers);
	CHECK((d == DP_STEER_DROP) == (len < 12));
	if (len >= 12) {
		vtag = dpsctp_get_be32(sctp + 4);
		switch (d) {
		case DP_STEER_WORKER:
			CHECK(owner ==
				((vtag & DP_OWNER_MASK) < nworkers ? (vtag & DP_OWNER_MASK) : 0));
			break;
		case DP_STEER_CONTROL:
			CHECK(vtag == 0 || (len >= 16 && sctp[12] == DPSCTP_CHUNK_INIT));
			CHECK(owner == 0);
			break;
		case DP_STEER_ALL:
			CHECK(nworkers > 1 && len >= 16 && (sctp[13] & DPSCTP_CHUNK_FLAG_T) != 0);
			CHECK(sctp[12] == DPSCTP_CHUNK_ABORT ||
				sctp[12] == DPSCTP_CHUNK_SHUTDOWN_COMPLETE);
			break;
		default:
			abort();
		}
		if (len >= 16 && sctp[12] == DPSCTP_CHUNK_INIT)
			CHECK(d == DP_STEER_CONTROL);
	}

	rc = dpsctp_packet_parse(sctp, len, &pi);
	CHECK(rc == 0 || rc == -EBADMSG || rc == -EPROTO);
	if (rc != 0)
		return;
	CHECK(len >= DPSCTP_COMMON_HDR_LEN + 4);
	CHECK(pi.chunks == sctp + DPSCTP_COMMON_HDR_LEN && pi.end == sctp + len);
	CHECK(pi.nchunks >= 1 && pi.first_type == sctp[12] && pi.first_flags == sctp[13]);
	CHECK(dpsctp_packet_has(&pi, pi.first_type));
	CHECK(pi.hdr.vtag == dpsctp_get_be32(sctp + 4));
	if (pi.first_type == DPSCTP_CHUNK_INIT)
		CHECK(d == DP_STEER_CONTROL && pi.nchunks == 1);
}

/* Fast CRC32c against the reference, whole and split in two at a point the data chooses. */
static void
crc_check(const uint8_t *data, size_t size)
{
	size_t cut = size > 0 ? data[0] * size / 256 : 0;
	uint32_t ref = dpsctp_crc32c_ref(data, size), st;

	CHECK(dpsctp_crc32c(data, size) == ref);
	st = dpsctp_crc32c_update(DPSCTP_CRC32C_INIT, data, cut);
	st = dpsctp_crc32c_update(st, data + cut, size - cut);
	CHECK(dpsctp_crc32c_final(st) == ref);
	CHECK(dpsctp_crc32c_impl_name(size) != NULL);
}

/* Neighbour operations from the padding: each byte an operation, a key and a time step. */
static void
neigh_script(const uint8_t *p, size_t n, const struct dpsctp_addr *keys, unsigned int nkeys,
	const uint8_t *mac)
{
	size_t i;

	for (i = 0; i < n && i < MAX_OPS; i++) {
		struct dpsctp_addr a = keys[(p[i] >> 3) % nkeys];
		uint16_t port = (p[i] >> 5) & 1;
		uint8_t m[6], got[6];

		/* Neighbouring keys: same hash chains are shared and the small table fills. */
		a.bytes[a.family == 4 ? 3 : 15] ^= (uint8_t)(p[i] >> 6);
		memcpy(m, mac, 6);
		m[5] ^= (uint8_t)(p[i] >> 6);
		nt.now += STEP_NS;
		switch (p[i] & 7) {
		case 0:
		case 1:
			(void)neigh_update(port, &a, m, false);
			break;
		case 2:
			(void)neigh_want(port, &a);
			break;
		case 3:
			(void)neigh_lookup(port, &a, got);
			break;
		case 4:
			neigh_delete(port, &a);
			break;
		case 5:
			neigh_age(TIMEOUT_NS);
			break;
		case 6:
			(void)neigh_update(port, &a, m, true);
			break;
		default:
			nt.now += 5 * TIMEOUT_NS / 3;
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dpsctp_addr keys[4];
	const uint8_t *l4, *pad = NULL;
	struct dp_route_table rt;
	struct dp_inet in;
	struct dp_route r;
	size_t end, npad = 0;
	unsigned int nkeys = 0, nworkers;
	uint8_t knobs = 0x30, mac[6];
	int rc;

	crc_check(data, size);
	rc = dp_inet_parse(data, size, &in);
	CHECK(rc >= 0 && rc < DP_INET_DROP_COUNT);
	if (rc != 0) {
		CHECK(dp_inet_drop_name(rc) != NULL);
		return 0;
	}
	CHECK(dp_inet_drop_name(0) == NULL && dp_inet_drop_name(DP_INET_DROP_COUNT) == NULL);
	inet_sane(data, size, &in);

	end = in.kind == DP_INET_ARP ? in.l3_off + DP_ARP_LEN : in.l4_off + in.l4_len;
	if (end < size) {
		knobs = data[end];
		pad = data + end + 1;
		npad = size - end - 1;
	}
	nworkers = (knobs >> 4) + 1u;
	route_setup(&rt, knobs);
	neigh_setup();
	l4 = data + in.l4_off;

	if (in.kind == DP_INET_ARP) {
		arp_frame(data, &in);
		if (in.l4_len >= DP_ARP_LEN) {
			addr_set(&keys[nkeys++], 4, data + in.l3_off + 14);
			addr_set(&keys[nkeys++], 4, data + in.l3_off + 24);
		}
	} else {
		if (in.proto == DP_INET_PROTO_ICMP || in.proto == DP_INET_PROTO_ICMPV6) {
			echo_check(data, size, &in);
			error_check(l4, &in, &rt, nworkers);
			nd_check(l4, &in);
			if (in.kind == DP_INET_IPV6 && in.l4_len >= 24)
				addr_set(&keys[nkeys++], 6, l4 + 8);
		}
		if (in.proto == DP_INET_PROTO_SCTP)
			sctp_check(l4, in.l4_len, nworkers);
		keys[nkeys++] = in.src;
		keys[nkeys++] = in.dst;
		/* Sending back needs the next hop's MAC; a miss asks control to resolve it. */
		if (route_back(&rt, &in, &r)) {
			keys[nkeys++] = r.nexthop;
			if (neigh_lookup(r.port, &r.nexthop, mac) != 0 &&
				neigh_want(r.port, &r.nexthop) == 1)
				resolve_check(&r.src, &r.nexthop);
		}
	}
	if (nkeys == 0)
		addr_set(&keys[nkeys++], 4, gw4_0);
	neigh_script(pad, npad, keys, nkeys, in.src_mac);
	nt.now += TIMEOUT_NS + 1;
	neigh_age(TIMEOUT_NS);
	return 0;
}
