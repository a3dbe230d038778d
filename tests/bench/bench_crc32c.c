/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CRC32c benchmark: the reference, DPDK's rte_hash_crc (with the SCTP inversions),
 * dpsctp_crc32c and each of its fast kernels, for packet and jumbo sizes.
 *
 * Usage: bench_crc32c [--csv FILE] [--throughput]
 *
 * By default each call's buffer address depends on the previous call's result (through a
 * mask that is zero at run time), so calls do not overlap: the figure is the latency of one
 * checksum, what a packet pays. --throughput drops the dependency, so the CPU may overlap
 * consecutive calls (a burst of independent packets).
 *
 * Each cell is warmed up, then timed in 10 repetitions of ~20 ms; the best is kept (short
 * repetitions, so that a burst of load from another process spoils only some of them).
 * Benchmarks print figures; they never assert on time.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_hash_crc.h>

#include "crc32c.h"
#include "crc32c_kernels.h"
#include "crc32c_ref.h"

#define REPS 10
#define REP_NS 20000000.0 /* ~20 ms per repetition, 10 repetitions: ~0.2 s per cell */
#define BUF_ALIGN 64

typedef uint32_t crc_fn(const void *buf, size_t len);

struct impl {
	const char *name;
	crc_fn *fn;
	bool hw; /* needs SSE4.2 and PCLMULQDQ */
};

enum { I_REF, I_RTE, I_DPSCTP, I_SSE42, I_ISAL, I_HYBRID, I_COUNT };

static volatile uint32_t sink;
static volatile uintptr_t zero_mask; /* 0 at run time; the compiler cannot know it */
static bool throughput;

static uint32_t
run_ref(const void *buf, size_t len)
{
	return dpsctp_crc32c_ref(buf, len);
}

static uint32_t
run_rte(const void *buf, size_t len)
{
	return rte_hash_crc(buf, (uint32_t)len, 0xFFFFFFFF) ^ 0xFFFFFFFF;
}

static uint32_t
run_dpsctp(const void *buf, size_t len)
{
	return dpsctp_crc32c(buf, len);
}

/* The kernels in the encoding the dispatcher uses on this CPU (set in main()). */
static uint32_t (*sse42_update)(uint32_t state, const void *buf, size_t len);
static uint32_t (*hybrid_update)(uint32_t state, const void *buf, size_t len);

static uint32_t
run_sse42(const void *buf, size_t len)
{
	return ~sse42_update(DPSCTP_CRC32C_INIT, buf, len);
}

static uint32_t
run_isal(const void *buf, size_t len)
{
	return ~dpsctp_crc32c_isal_update(DPSCTP_CRC32C_INIT, buf, len);
}

static uint32_t
run_hybrid(const void *buf, size_t len)
{
	return ~hybrid_update(DPSCTP_CRC32C_INIT, buf, len);
}

static const struct impl impls[I_COUNT] = {
	[I_REF] = {"reference", run_ref, false},
	[I_RTE] = {"rte_hash_crc", run_rte, false},
	[I_DPSCTP] = {"dpsctp_crc32c", run_dpsctp, false},
	[I_SSE42] = {"sse42-3way", run_sse42, true},
	[I_ISAL] = {"isal", run_isal, false},
	[I_HYBRID] = {"isal+sse42", run_hybrid, true},
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Run fn n times over buf; returns elapsed ns. */
static double
run(crc_fn *fn, const uint8_t *buf, size_t len, uint64_t n)
{
	uintptr_t mask = throughput ? 0 : zero_mask;
	uint32_t acc = 0, r = 0;
	double t0, t1;
	uint64_t i;

	t0 = now_ns();
	if (throughput) {
		for (i = 0; i < n; i++)
			acc ^= fn(buf, len);
	} else {
		for (i = 0; i < n; i++) {
			r = fn(buf + (r & mask), len);
			acc ^= r;
		}
	}
	t1 = now_ns();
	sink ^= acc;
	return t1 - t0;
}

/* Best ns per call over REPS repetitions of ~REP_NS each, after a warm-up. */
static double
measure(crc_fn *fn, const uint8_t *buf, size_t len)
{
	double best = 1e300, t, per;
	uint64_t n = 1000;
	int rep;

	/* Warm-up and calibration: grow n until one run takes >= 10 ms. */
	for (;;) {
		t = run(fn, buf, len, n);
		if (t >= 1e7)
			break;
		n *= t < 1e5 ? 16 : 2;
	}
	n = (uint64_t)((double)n * REP_NS / t) + 1;
	for (rep = 0; rep < REPS; rep++) {
		per = run(fn, buf, len, n) / (double)n;
		if (per < best)
			best = per;
	}
	return best;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--csv FILE] [--throughput]\n", prog);
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = {
		24, 32, 48, 64, 128, 256, 512, 768, 1024, 1480, 2048, 4096, 9000};
	const size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	const char *csv_path = NULL;
	double ns[I_COUNT];
	uint8_t *buf;
	FILE *csv = NULL;
	size_t s, k;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc) {
			csv_path = argv[++i];
		} else if (strcmp(argv[i], "--throughput") == 0) {
			throughput = true;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (csv_path != NULL) {
		csv = fopen(csv_path, "w");
		if (csv == NULL) {
			perror(csv_path);
			return 1;
		}
		fprintf(csv, "size,reference_ns,rte_hash_crc_ns,dpsctp_ns,dpsctp_gbps,kernel,"
			     "ratio_vs_rte,sse42_3way_ns,isal_ns,isal_sse42_ns\n");
	}

	sse42_update = dpsctp_crc32c_have_vex() ? dpsctp_crc32c_sse42_vex_update
						: dpsctp_crc32c_sse42_update;
	hybrid_update = dpsctp_crc32c_have_vex() ? dpsctp_crc32c_hybrid_vex_update
						 : dpsctp_crc32c_hybrid_update;
	buf = aligned_alloc(BUF_ALIGN, 9024);
	if (buf == NULL)
		return 1;
	for (k = 0; k < 9024; k++)
		buf[k] = (uint8_t)(k * 131 + 7);
	/* The figures are only meaningful if everything agrees. */
	for (k = 0; k < I_COUNT; k++)
		if ((!impls[k].hw || dpsctp_crc32c_have_hw()) &&
			impls[k].fn(buf, 1480) != dpsctp_crc32c_ref(buf, 1480))
			fprintf(stderr, "warning: %s disagrees with the reference\n",
				impls[k].name);

	printf("CRC32c, ns per buffer (%s, best of %d x ~%.0f ms per cell)\n\n",
		throughput ? "throughput: independent calls" : "latency: dependent calls", REPS,
		REP_NS / 1e6);
	printf("| size | reference ns | rte_hash_crc ns | dpsctp ns | dpsctp GB/s | kernel used | "
	       "ratio vs rte_hash_crc | sse42-3way ns | isal ns | isal+sse42 ns |\n");
	printf("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
	for (s = 0; s < nsizes; s++) {
		for (k = 0; k < I_COUNT; k++)
			ns[k] = (impls[k].hw && !dpsctp_crc32c_have_hw())
					? 0.0
					: measure(impls[k].fn, buf, sizes[s]);
		printf("| %zu | %.1f | %.1f | %.1f | %.2f | %s | %.2fx | %.1f | %.1f | %.1f |\n",
			sizes[s], ns[I_REF], ns[I_RTE], ns[I_DPSCTP],
			(double)sizes[s] / ns[I_DPSCTP], dpsctp_crc32c_impl_name(sizes[s]),
			ns[I_RTE] / ns[I_DPSCTP], ns[I_SSE42], ns[I_ISAL], ns[I_HYBRID]);
		fflush(stdout);
		if (csv != NULL)
			fprintf(csv, "%zu,%.2f,%.2f,%.2f,%.3f,%s,%.3f,%.2f,%.2f,%.2f\n", sizes[s],
				ns[I_REF], ns[I_RTE], ns[I_DPSCTP], (double)sizes[s] / ns[I_DPSCTP],
				dpsctp_crc32c_impl_name(sizes[s]), ns[I_RTE] / ns[I_DPSCTP],
				ns[I_SSE42], ns[I_ISAL], ns[I_HYBRID]);
	}
	free(buf);
	if (csv != NULL && fclose(csv) != 0) {
		perror(csv_path);
		return 1;
	}
	return 0;
}
