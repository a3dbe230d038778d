/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes of a host: our addresses with their on-link prefixes per port, one IPv4 and one IPv6
 * default gateway per port, and each port's link state. Answers "which port, which source
 * address, which next hop" for a destination, and "which of an SCTP endpoint's addresses
 * reaches this peer" for the engine's route callback (struct dpsctp_callbacks.route).
 *
 * Fixed arrays (DP_ROUTE_MAX_PORTS ports of DP_ROUTE_MAX_ADDRS addresses), no allocation.
 *
 * Threads: build the table (init, add_addr, set_gateway) before workers see it; to change
 * addresses or gateways later, build a new table and swap the pointer at a quiescent point.
 * Only the link state may change under readers: dp_route_set_link() stores it atomically and
 * lookups load it atomically, so any lcore may look up while the control lcore reports links.
 */
#ifndef DPSCTP_DATAPLANE_ROUTE_H
#define DPSCTP_DATAPLANE_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h" /* struct dpsctp_addr */

#define DP_ROUTE_MAX_PORTS 8 /**< ports in a table */
#define DP_ROUTE_MAX_ADDRS 8 /**< our addresses per port, both families together */

/** One port: our addresses on it, its gateways, its link. */
struct dp_route_port {
	uint16_t port_id;                            /**< DPDK port id */
	bool up;                                     /**< link up; atomic access only */
	bool has_gw4;                                /**< @c gw4 is set */
	bool has_gw6;                                /**< @c gw6 is set */
	uint8_t naddr;                               /**< entries used in @c addr / @c plen */
	uint8_t plen[DP_ROUTE_MAX_ADDRS];            /**< on-link prefix length of each address */
	struct dpsctp_addr addr[DP_ROUTE_MAX_ADDRS]; /**< our addresses, in configuration order */
	struct dpsctp_addr gw4;                      /**< IPv4 default gateway */
	struct dpsctp_addr gw6;                      /**< IPv6 default gateway (often link-local) */
};

/** The table; fill with dp_route_init() and the setters. */
struct dp_route_table {
	unsigned int nports;                            /**< entries used in @c ports */
	struct dp_route_port ports[DP_ROUTE_MAX_PORTS]; /**< in configuration order */
};

/** Where a packet to a destination goes. */
struct dp_route {
	uint16_t port;              /**< DPDK port id to send on */
	bool via_gateway;           /**< off-link: @c nexthop is the port's gateway */
	uint8_t plen;               /**< prefix length of the on-link match; 0 via a gateway */
	struct dpsctp_addr src;     /**< our source address */
	struct dpsctp_addr nexthop; /**< whom to resolve (ARP / NS): destination or gateway */
};

/** Empty table. */
void dp_route_init(struct dp_route_table *t);

/**
 * Add our address @p addr with on-link prefix length @p plen on port @p port (created, link
 * up, on first mention).
 *
 * @return 0; -EINVAL (family not 4/6, @p plen above 32 / 128, multicast or unspecified
 *	   address); -EEXIST (already ours, on any port); -ENOSPC (too many ports or addresses)
 */
int dp_route_add_addr(
	struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *addr, unsigned int plen);

/**
 * Set the default gateway of @p gw's family on port @p port (created, link up, on first
 * mention); replaces an earlier one.
 *
 * @return 0; -EINVAL (family not 4/6, multicast or unspecified); -ENOSPC (too many ports)
 */
int dp_route_set_gateway(struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *gw);

/**
 * Link of port @p port went up or down (any thread; atomic). A down port's subnets and
 * gateways are not used; its addresses stay ours (dp_route_is_local()).
 *
 * @return 0, or -ENOENT for a port the table does not have
 */
int dp_route_set_link(struct dp_route_table *t, uint16_t port, bool up);

/**
 * Route to @p dst: the longest on-link prefix among the UP ports' addresses (the first in
 * configuration order on a tie; the source is that address), else the gateway of @p dst's
 * family of the first UP port that has one (the source is the port's address of the family,
 * of the destination's scope first, then on the gateway's subnet, then the first).
 *
 * @return 0 with @p out filled; -EHOSTUNREACH when no UP port reaches @p dst, or @p dst is
 *	   multicast, unspecified or one of our own addresses; -EINVAL (family not 4/6)
 */
int dp_route_lookup(
	const struct dp_route_table *t, const struct dpsctp_addr *dst, struct dp_route *out);

/**
 * Route to @p dst from our address @p src: out of the port that owns @p src, on-link when one
 * of that port's prefixes holds @p dst (longest wins), else via that port's gateway. This is
 * the lookup for sending a packet whose source is already chosen (the engine's output), so
 * that it leaves by the port its source belongs to.
 *
 * @return 0 with @p out filled (@c src is @p src); -EHOSTUNREACH (@p src not ours, its port
 *	   down, no prefix and no gateway, @p dst multicast / unspecified / ours); -EINVAL
 */
int dp_route_lookup_from(const struct dp_route_table *t, const struct dpsctp_addr *src,
	const struct dpsctp_addr *dst, struct dp_route *out);

/** 1 when @p addr is one of our addresses (any port, link up or down), 0 otherwise. */
int dp_route_is_local(const struct dp_route_table *t, const struct dpsctp_addr *addr);

/** Is @p addr one of our addresses on port @p port (to answer ARP / NS received there)? */
bool dp_route_port_has_addr(
	const struct dp_route_table *t, uint16_t port, const struct dpsctp_addr *addr);

/**
 * Which of the @p n addresses @p candidates (an SCTP endpoint's bound addresses) to send from
 * to @p remote; backs struct dpsctp_callbacks.route. In order of preference:
 *  1. the source dp_route_lookup() chooses, when it is a candidate;
 *  2. a candidate on the port dp_route_lookup() chooses (first in @p candidates order);
 *  3. a candidate from which dp_route_lookup_from() reaches @p remote, on-link ones first:
 *     the candidate's own port and gateway, as multihoming wants.
 * In 2 and 3, a link-local candidate is taken only for a link-local @p remote (RFC 6724
 * rule 2, scope).
 * Send with dp_route_lookup_from(@p local, @p remote) so that the packet leaves that port.
 *
 * @return 0 with @p local set; -EHOSTUNREACH when no candidate reaches @p remote; -EINVAL
 */
int dp_route_source_for(const struct dp_route_table *t, const struct dpsctp_addr *remote,
	const struct dpsctp_addr *candidates, size_t n, struct dpsctp_addr *local);

#endif /* DPSCTP_DATAPLANE_ROUTE_H */
