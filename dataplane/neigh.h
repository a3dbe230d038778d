/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour table: ARP (RFC 826) and IPv6 neighbour cache (RFC 4861 5.1) entries keyed by
 * (port, IP address), giving the Ethernet address to send to.
 *
 * One writer, many lock-free readers. Every function that changes the table (init, update,
 * want, delete, age) must be called from one thread only, the control lcore. Lookups and
 * snapshots may run on any number of worker lcores at the same time: each slot carries a
 * sequence counter that is odd while the writer changes it (a seqlock; readers copy the slot
 * and retry when the counter moved). Readers never block the writer.
 *
 * Open addressing with linear probing over a power-of-two number of slots. A removed entry
 * leaves a tombstone so that probe chains stay intact under concurrent readers (entries are
 * never moved); tombstones are reused by inserts, and a run of tombstones followed by an empty
 * slot is turned back into empty slots. Entries never move, so a reader cannot miss an entry
 * that stays in the table; it can miss one that the writer deletes and inserts again while the
 * reader probes (as if the lookup came a moment earlier).
 *
 * Memory: the caller provides the slots (e.g. rte_zmalloc_socket() on the workers' NUMA node,
 * cache-line aligned, or calloc() in tests): @c cap * sizeof(struct dp_neigh_entry) bytes, at
 * least 8-byte aligned (the 64-bit fields are accessed atomically). The table allocates
 * nothing. Time is the caller's, in nanoseconds, any epoch.
 *
 * Sizing: lookups of absent keys probe until an empty slot; keep @c cap at about twice the
 * number of neighbours expected.
 */
#ifndef DPSCTP_DATAPLANE_NEIGH_H
#define DPSCTP_DATAPLANE_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h" /* struct dpsctp_addr */

/** State of a table entry. EMPTY and TOMBSTONE are slots without an entry. */
enum dp_neigh_state {
	DP_NEIGH_EMPTY = 0,  /**< slot never used since it was last cleared */
	DP_NEIGH_TOMBSTONE,  /**< slot of a removed entry; probes go on past it */
	DP_NEIGH_INCOMPLETE, /**< resolution in progress: request(s) sent, no answer yet */
	DP_NEIGH_REACHABLE,  /**< learnt from an ARP / NA, ages out */
	DP_NEIGH_STATIC,     /**< configured: never aged, never overwritten by learning */
};

/**
 * One slot, a cache line. Fields are read and written with __atomic builtins under @c seq;
 * treat as opaque and use the functions below.
 */
struct dp_neigh_entry {
	uint32_t seq;       /**< even: stable; odd: being written */
	uint8_t state;      /**< enum dp_neigh_state */
	uint8_t family;     /**< 4 or 6 */
	uint16_t port;      /**< DPDK port id */
	uint64_t ip[2];     /**< address bytes (struct dpsctp_addr bytes), network order */
	uint64_t mac;       /**< Ethernet address in its first 6 bytes (memory order) */
	uint64_t confirmed; /**< ns: last update by an ARP / NA (or static configuration) */
	uint64_t req_last;  /**< ns: last request dp_neigh_want() asked for */
	uint32_t req_count; /**< requests asked for since the entry was last resolved */
	uint32_t pad0;      /**< zero */
	uint64_t pad1;      /**< zero: one entry per 64-byte line */
};

/** The table. Initialise with dp_neigh_init(); lives as long as its slots. */
struct dp_neigh_table {
	struct dp_neigh_entry *slots; /**< the caller's slots; fixed after init */
	uint32_t mask;                /**< number of slots - 1; fixed after init */
	uint32_t used;                /**< entries (INCOMPLETE, REACHABLE, STATIC); writer only */
	uint32_t tombstones;          /**< TOMBSTONE slots; writer only */
};

/** A copy of one entry, for telemetry (dp_neigh_snapshot()). */
struct dp_neigh_info {
	uint16_t port;         /**< DPDK port id */
	uint8_t state;         /**< DP_NEIGH_INCOMPLETE, REACHABLE or STATIC */
	uint8_t mac[6];        /**< Ethernet address; zero while INCOMPLETE */
	struct dpsctp_addr ip; /**< the neighbour's address */
	uint64_t confirmed;    /**< ns: last confirmation (0: never) */
	uint64_t req_last;     /**< ns: last request (0: none) */
	uint32_t req_count;    /**< requests since last resolved */
};

/** Bytes of slot memory for @p cap slots. */
static inline size_t
dp_neigh_mem_size(uint32_t cap)
{
	return (size_t)cap * sizeof(struct dp_neigh_entry);
}

/**
 * Set up @p t over @p slots (zeroed here). Writer; before any reader starts.
 *
 * @param t     the table
 * @param slots @p cap slots of memory, cache-line aligned for best results
 * @param cap   number of slots, a power of two, 1 to 2^31
 * @return 0, or -EINVAL (@p slots NULL, @p cap not a power of two)
 */
int dp_neigh_init(struct dp_neigh_table *t, struct dp_neigh_entry *slots, uint32_t cap);

/**
 * Reader: the Ethernet address of @p ip on @p port. Safe on any lcore, concurrently with the
 * writer.
 *
 * @param mac out: the address, when 0 is returned
 * @return 0; -ENOENT when absent or INCOMPLETE (ask the control lcore to resolve it);
 *	   -EAGAIN when the writer kept the slot busy for too long (a preempted control thread):
 *	   hold or drop the packet, do not ask for resolution
 */
int dp_neigh_lookup(const struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip,
	uint8_t mac[6]);

/**
 * Writer: learn (ARP reply / request for us, NA) or configure (@p is_static) that @p ip on
 * @p port is at @p mac. The entry becomes REACHABLE (or STATIC), confirmed at @p now, its
 * request count reset. A STATIC entry is changed only by another static update.
 *
 * @return 1 when the entry was created or its MAC or state changed (an INCOMPLETE entry got
 *	   resolved: send what waited for it); 0 when only refreshed; -EPERM when a STATIC entry
 *	   refused learning (unchanged); -EINVAL (family not 4/6, @p mac multicast or zero);
 *	   -ENOSPC (table full)
 */
int dp_neigh_update(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip,
	const uint8_t mac[6], uint64_t now, bool is_static);

/**
 * Writer: a packet needs @p ip on @p port and the lookup missed. Creates an INCOMPLETE entry
 * when there is none, and rate-limits requests (RFC 1122 2.3.2.1: no more than one ARP request
 * per second or so for an address; RFC 4861 7.2.2 RetransTimer for NS).
 *
 * @param retry_ns shortest time between two requests for the same address
 * @return 1 when a request (ARP request / NS) should be sent now (counted in the entry);
 *	   0 when the last one went out less than @p retry_ns ago, or the entry is already
 *	   resolved; -EINVAL (family not 4/6); -ENOSPC (table full)
 */
int dp_neigh_want(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip,
	uint64_t now, uint64_t retry_ns);

/**
 * Writer: remove the entry of @p ip on @p port, STATIC included.
 *
 * @return 0, or -ENOENT
 */
int dp_neigh_delete(struct dp_neigh_table *t, uint16_t port, const struct dpsctp_addr *ip);

/**
 * Writer: remove REACHABLE entries not confirmed for more than @p timeout_ns, and INCOMPLETE
 * entries nobody asked for (dp_neigh_want()) for more than @p timeout_ns. STATIC ones stay.
 *
 * @return the number of entries removed
 */
unsigned int dp_neigh_age(struct dp_neigh_table *t, uint64_t now, uint64_t timeout_ns);

/** Writer: number of entries (INCOMPLETE, REACHABLE, STATIC). */
uint32_t dp_neigh_count(const struct dp_neigh_table *t);

/**
 * Copy up to @p max entries into @p out, in slot order, for telemetry. Safe from any thread
 * (a slot busy too long is left out).
 *
 * @return the number of entries copied
 */
size_t dp_neigh_snapshot(const struct dp_neigh_table *t, struct dp_neigh_info *out, size_t max);

/** "incomplete", "reachable", "static" (and "empty", "tombstone"); NULL for another value. */
const char *dp_neigh_state_name(int state);

#endif /* DPSCTP_DATAPLANE_NEIGH_H */
