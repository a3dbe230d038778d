/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf: testpmd-style benchmarks of dpsctp (see perf.c for the command line). The modes
 * (perf_b2b.c: two stacks over a net_ring pair, or one stack against an external peer;
 * perf_rx.c: one worker fed DATA by a generator) fill a struct perf_result; perf_report.c
 * prints the per-second lines, the summary, CSV and JSON.
 */
#ifndef DPSCTP_CONTROL_PERF_H
#define DPSCTP_CONTROL_PERF_H

#include <stdbool.h>
#include <stdint.h>

#include "service.h"

/** What the command line asked for. */
struct perf_opts {
	const char *mode;         /**< "b2b", "rx" or "peer" */
	const char *config;       /**< -c FILE: a dpsctpd YAML, or NULL */
	unsigned int assocs;      /**< associations */
	unsigned int streams;     /**< streams per association */
	unsigned int size;        /**< message bytes */
	bool unordered;           /**< unordered messages */
	bool rr;                  /**< request/response (else bulk) */
	unsigned int outstanding; /**< rr: requests in flight per association */
	double seconds;           /**< measured time */
	double warmup;            /**< time before the measurement */
	bool server;              /**< peer: accept (else connect) */
	const char *peer;         /**< peer: the peer's addresses, comma-separated */
	unsigned int port;        /**< peer: the peer's port (client) or ours (server) */
	const char *local;        /**< peer: our address (with /prefix, or /24 is assumed) */
	const char *csv;          /**< --csv FILE or NULL */
	const char *json;         /**< --json FILE or NULL */
	bool quiet;               /**< no per-second lines */
	bool memif;               /**< b2b: the stacks in two processes joined by net_memif */
	int eal_argc;             /**< what follows "--" */
	char **eal_argv;
};

/** Cumulative counters of a run; rates are differences of two of these. */
struct perf_counts {
	uint64_t tsc;         /**< when they were read */
	uint64_t msgs;        /**< messages received whole by the measuring side */
	uint64_t bytes;       /**< their payload bytes */
	uint64_t pkts;        /**< packets received by every stack of the run */
	uint64_t retrans;     /**< DATA chunks retransmitted (T3 and fast), every stack */
	uint64_t busy_cycles; /**< cycles of the lcores that do the work (0: use wall time) */
};

/** The figures of a run. */
struct perf_result {
	double seconds; /**< measured */
	double msgs_per_s, gbit_per_s, pkts_per_s;
	uint64_t retrans;
	double cycles_per_msg;
	bool has_lat; /**< latency figures below are valid (rr) */
	double p50_us, p99_us, p999_us, max_us;
};

/** Parse @p s as an unsigned number in [@p lo, @p hi]. */
bool perf_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned int *out);

/** b2b and peer modes. @return 0 or an exit status. */
int perf_b2b_main(const struct perf_opts *o, const char *prog);

/** rx mode from dpsctp-perf (@p r filled), or bench_rx's own command line (@p r NULL). */
int perf_rx_main(int argc, char **argv, struct perf_result *r);

/* ---- perf_report.c ---- */

/** The per-second line between @p a and @p b ("[  3s] msgs/s ..."), @p t seconds in. */
void perf_report_tick(unsigned int t, const struct perf_counts *a, const struct perf_counts *b,
	unsigned int size);

/** Rates of @p r from counters @p a (start) and @p b (end) over @p ncpu busy lcores. */
void perf_report_rates(const struct perf_counts *a, const struct perf_counts *b, unsigned int ncpu,
	struct perf_result *r);

/**
 * Percentiles of the difference of two sets of latency histograms (@p n workers each, TSC
 * cycles) into @p r. @p before may be NULL (all zero).
 */
void perf_report_latency(const struct dp_gen_worker *before, const struct dp_gen_worker *after,
	unsigned int n, struct perf_result *r);

/** The summary block and its machine-readable last line; CSV and JSON when asked. */
int perf_report_summary(const struct perf_opts *o, const struct perf_result *r);

#endif
