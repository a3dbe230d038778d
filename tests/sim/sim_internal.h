/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to the simulator: the structures behind the opaque handles of sim.h and the helpers
 * that sim.c (nodes, delivery, the run loop) and sim_link.c (links, the in-flight heap, the
 * random streams) call across the file boundary. Scenario tests include sim.h only.
 */
#ifndef DPSCTP_TESTS_SIM_INTERNAL_H
#define DPSCTP_TESTS_SIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "sim.h"

struct sim_pcap;

/* Stream domains, so that a node and a link can never share a random stream. */
#define DOMAIN_NODE 0x6e6f6465ull /* "node" */
#define DOMAIN_LINK 0x6c696e6bull /* "link" */

/* Event types and sac_states indexed directly; engine.h numbers them from 1. */
#define EV_TYPES 16
#define AC_STATES 8

/* xoshiro256** (Blackman and Vigna), seeded with splitmix64 as its authors recommend. */
struct rng {
	uint64_t s[4];
};

struct tracked {
	struct dpsctp_assoc *a;
	uint32_t id;
};

struct sim_node {
	struct sim *sim;
	char *name;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	size_t naddrs;
	uint16_t port;
	bool listen;
	bool has_cfg;
	struct dpsctp_proto_config cfg;
	struct dpsctp_endpoint *ep; /* NULL while stopped */
	unsigned int incarnation;
	struct rng rng;
	uint8_t forced[SIM_FORCE_RANDOM_MAX]; /* sim_node_force_random() bytes, served first */
	size_t nforced;
	size_t forced_pos;
	struct testenv mem; /* its allocator: counters and failure injection */
	struct sim_node_stats stats;
	struct sim_log_entry *log; /* SIM_LOG_MAX entries */
	size_t nlog;
	uint64_t log_overflow;
	uint64_t ev_count[EV_TYPES][AC_STATES];
	uint64_t state_count[DPSCTP_STATE_COUNT];
	struct tracked assocs[SIM_MAX_ASSOCS]; /* in the order they were first seen */
	size_t nassocs;
};

struct sim_link {
	struct sim *sim;
	struct dpsctp_addr src;
	struct dpsctp_addr dst;
	struct sim_link_params p;
	struct sim_link_stats st;
	struct rng rng;
	uint64_t busy_until; /* the wire is serialising until then */
	uint64_t fifo_last;  /* arrival of the last packet that was not held back */
};

struct sim_pkt {
	uint64_t arrival;
	uint64_t seq;
	struct sim_link *link;
	size_t len;
	uint8_t data[];
};

struct sim {
	uint64_t seed;
	uint64_t now;
	char err[256];
	bool has_err;
	struct sim_node **nodes;
	size_t nnodes;
	struct sim_link **links;
	size_t nlinks;
	struct sim_pkt **heap; /* min-heap on (arrival, seq) */
	size_t nheap;
	size_t heap_cap;
	uint64_t seq;
	uint32_t spin; /* steps in a row at the same virtual time */
	struct sim_stats stats;
	sim_tap_fn tx_tap;
	void *tx_arg;
	sim_tap_fn rx_tap;
	void *rx_arg;
	sim_event_hook_fn hook;
	void *hook_arg;
	sim_deliver_hook_fn deliver_hook;
	void *deliver_arg;
	struct sim_pcap *pcap;
	uint64_t pcap_count;
	uint8_t txbuf[DPSCTP_MAX_PACKET];
	uint8_t rxbuf[DPSCTP_MAX_PACKET];
};

/* ----------------------------------------------------------------------------------------- */
/* sim_link.c: randomness */

/** Next 64 bits of the xoshiro256** stream @p r. */
uint64_t sim_rng_next(struct rng *r);

/** FNV-1a of @p len bytes at @p buf, from the hash @p h (0xcbf29ce484222325 to start). */
uint64_t sim_fnv1a(uint64_t h, const void *buf, size_t len);

/** Seed @p r from the world's @p seed, a DOMAIN_* and a hash of what owns the stream. */
void sim_rng_seed(struct rng *r, uint64_t seed, uint64_t domain, uint64_t what);

/* ----------------------------------------------------------------------------------------- */
/* sim_link.c: the in-flight heap */

/** Take the first packet, by (arrival, seq), off the non-empty heap; the caller frees it. */
struct sim_pkt *sim_heap_pop(struct sim *s);

/** Free every packet in flight and the heap itself. */
void sim_pkt_heap_free(struct sim *s);

/* ----------------------------------------------------------------------------------------- */
/* sim.c */

/** Record why the run loop must stop (the first reason only); sim_error() returns it. */
void sim_fail(struct sim *s, const char *fmt, ...);

/** Is @p a an IPv4 or IPv6 address? */
bool sim_addr_valid(const struct dpsctp_addr *a);

#endif /* DPSCTP_TESTS_SIM_INTERNAL_H */
