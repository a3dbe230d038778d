/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf's stacks (perf_stack.c): configurations made from the options, EAL, the net_ring
 * wire, net_tap and net_memif ports, the generators, teardown. Private to control/perf.
 */
#ifndef DPSCTP_CONTROL_PERF_STACK_H
#define DPSCTP_CONTROL_PERF_STACK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ring.h>

#include "config.h"
#include "ctrl.h"
#include "perf.h"
#include "stack.h"

#define PERF_LINK_RING 4096 /* frames per direction of the net_ring wire */
#define PERF_SRC_PORT 5000  /* the generator's association i has local port PERF_SRC_PORT + i */

/** One stack of the run. */
struct perf_side {
	struct dpsctpd_config cfg; /* control keeps a pointer to it */
	struct dp_stack *s;
	struct dpsctpd_ctrl *c;
	uint16_t port_id;
	bool built;
};

/** The stacks of this process and what is measured on them. */
struct perf_run {
	const struct perf_opts *o;
	struct perf_side side[2];
	unsigned int nsides;
	struct rte_ring *to[2]; /* to[i] feeds side i's RX (b2b) */
	struct dp_gen gen;
	struct dp_gen_worker *lat0; /* histograms at the start of the measurement */
	unsigned int gen_side;      /* the side whose sources are generators */
	struct perf_remote *remote; /* b2b over memif: side B's counters, from the other process */
};

/*
 * b2b over net_memif: side B runs in a child process (forked before EAL) and publishes its
 * counters here, in memory shared by both (MAP_SHARED, anonymous).
 */
struct perf_remote {
	uint64_t msgs, bytes, pkts, retrans; /* B's, updated every millisecond */
	uint32_t state;                      /* PERF_REMOTE_* */
	uint32_t stop;                       /* set by the parent when it is done */
};

enum { PERF_REMOTE_STARTING = 0, PERF_REMOTE_UP, PERF_REMOTE_FAILED };

/**
 * EAL for this process. @p memif: 0 none, 'c' the generator side of b2b over memif, 's' the
 * sink side (the child). @return 0 or -1 (said why).
 */
int perf_stack_eal(
	const struct perf_opts *o, const struct dpsctpd_config *f, const char *prog, int memif);

/** b2b in one process: the net_ring wire, stacks A (generator) and B (sink). @return 0 or -1. */
int perf_setup_b2b(struct perf_run *r, const struct dpsctpd_config *file);

/** One side of b2b over memif: A (generator) or, @p server, B (sink). @return 0 or -1. */
int perf_setup_memif(struct perf_run *r, const struct dpsctpd_config *file, bool server);

/** peer mode: one stack from @p file or on net_tap "dpperf0". @return 0 or -1. */
int perf_setup_peer(struct perf_run *r, const struct dpsctpd_config *file);

/** Give the generator side's sources their dp_gen and histograms. @return 0 or -1. */
int perf_stack_arm(struct perf_run *r);

/** Shut down, wait for the workers, free (frames of one stack sit in the other's rings). */
void perf_stack_teardown(struct perf_run *r);

#endif
