/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint's association index: (peer port, peer address) -> association, so that a packet
 * finds its association in O(1) rather than by walking every association of the endpoint.
 *
 * It is a cache in front of the authoritative walk (endpoint.c lookup()): every hit is checked
 * against the association itself (its peer port and its paths), a stale entry is dropped, and a
 * miss falls back to the walk, whose answer is then entered. So an association gaining or losing
 * peer addresses (restart, path removal) needs no hook here; only its release does
 * (dpsctp_lookup_forget), because a released association must never be reached again.
 * Open addressing with linear probing and tombstones; memory from the endpoint's allocator; when
 * that fails the index simply stays smaller (lookups still work, by the walk).
 */
#ifndef DPSCTP_SCTP_LOOKUP_H
#define DPSCTP_SCTP_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"

struct dpsctp_endpoint;
struct dpsctp_assoc;

/** One slot. @c a NULL: empty; DPSCTP_LOOKUP_TOMB: deleted. */
struct dpsctp_lookup_slot {
	struct dpsctp_assoc *a;
	uint32_t hash;
	uint16_t peer_port;
	struct dpsctp_addr addr;
};

/** The index (inside struct dpsctp_endpoint). */
struct dpsctp_lookup {
	struct dpsctp_lookup_slot *slots;
	uint32_t cap;   /**< slots (power of two, 0 before the first insert) */
	uint32_t used;  /**< live entries */
	uint32_t tombs; /**< deleted entries still occupying slots */
};

/** The association cached for (@p peer_port, @p addr), checked, or NULL. */
struct dpsctp_assoc *dpsctp_lookup_find(struct dpsctp_endpoint *ep, uint16_t peer_port,
	const struct dpsctp_addr *addr);

/** Remember that (@p peer_port, @p addr) belongs to @p a (no-op when memory is short). */
void dpsctp_lookup_add(struct dpsctp_endpoint *ep, uint16_t peer_port,
	const struct dpsctp_addr *addr, struct dpsctp_assoc *a);

/** Drop every entry of @p a (it is being released). */
void dpsctp_lookup_forget(struct dpsctp_endpoint *ep, const struct dpsctp_assoc *a);

/** Release the index's memory. */
void dpsctp_lookup_free(struct dpsctp_endpoint *ep);

#endif
