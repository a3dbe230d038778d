/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Putting an SCTP packet the engine built on the wire: route, next-hop MAC, Ethernet and IP
 * headers, CRC32c (NIC offload or software). Used by the workers and by the control lcore.
 */
#ifndef DPSCTP_DATAPLANE_ENCAP_H
#define DPSCTP_DATAPLANE_ENCAP_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "stack.h"

/** Where an encapsulated packet goes. */
enum dp_encap_result {
	DP_ENCAP_PORT = 0,   /**< transmit on port index *port */
	DP_ENCAP_LOCAL,      /**< to one of our own addresses: deliver internally */
	DP_ENCAP_NO_ROUTE,   /**< no route to the destination (dropped by the caller) */
	DP_ENCAP_NO_NEIGH,   /**< next hop *nexthop on port *port has no MAC yet (ask control) */
	DP_ENCAP_NO_ROOM,    /**< no headroom for the headers */
};

/**
 * Encapsulate the SCTP packet of @p len bytes at the start of @p m (its checksum field zero)
 * for @p path: Ethernet + IPv4 (DF) or IPv6 header, and the CRC32c (TX offload flags when the
 * port does it, software otherwise; nothing for local delivery, which is marked checked).
 * @p ip_id is the IPv4 identification to use (the caller's counter).
 */
enum dp_encap_result dp_encap_sctp(const struct dp_stack *s, struct rte_mbuf *m, size_t len,
	const struct dpsctp_path *path, uint16_t ip_id, unsigned int *port,
	struct dpsctp_addr *nexthop);

/** Software CRC32c check of the SCTP packet [@p sctp, +@p len): true when it matches. */
bool dp_sctp_crc_ok(uint8_t *sctp, size_t len);

#endif
