/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf's latency histogram: the log-linear buckets of dataplane/service.h
 * (dp_lat_bucket, dp_lat_bucket_low: values below 32 exactly, then 32 buckets per power of two)
 * and the percentiles perf_report_latency (control/perf/perf_report.c) reads from them, each
 * reported as the highest value of its bucket, in microseconds at the TSC rate.
 *
 * Percentiles are checked against the nearest-rank definition on the sorted samples: the
 * q-quantile of N samples is the ceil(q * N)-th smallest, so that no more than (1 - q) of the
 * samples lie above it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_cycles.h>

#include "perf.h"
#include "service.h"

/*
 * perf_report.c converts cycles to microseconds at rte_get_tsc_hz(), which EAL measures when it
 * starts (0 before). The test sets the rate instead: this definition in the executable stands in
 * for the one in librte_eal, so no EAL is needed and the figures are exact.
 */
static uint64_t test_hz = 1000000; /* 1 cycle = 1 us */

uint64_t
rte_get_tsc_hz(void)
{
	return test_hz;
}

#define LAST_BUCKET (DP_LAT_BUCKETS - 1)

/* The highest value of bucket @p b (the last one ends at UINT64_MAX). */
static uint64_t
bucket_high(unsigned int b)
{
	return b < LAST_BUCKET ? dp_lat_bucket_low(b + 1) - 1 : UINT64_MAX;
}

/* @p v is in the bucket dp_lat_bucket gives it: low(b) <= v < low(b + 1). */
static void
check_value(uint64_t v)
{
	unsigned int b = dp_lat_bucket(v);

	if (b > LAST_BUCKET)
		cr_assert_fail(
			"value %" PRIu64 ": bucket %u beyond the last (%u)", v, b, LAST_BUCKET);
	if (dp_lat_bucket_low(b) > v || v > bucket_high(b))
		cr_assert_fail("value %" PRIu64 " in bucket %u, which holds [%" PRIu64 ", %" PRIu64
			       "]",
			v, b, dp_lat_bucket_low(b), bucket_high(b));
}

/* splitmix64: a fixed sequence, so that a failure can be reproduced. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- the buckets ---- */

Test(lat_hist, every_small_value_falls_in_its_bucket_and_buckets_follow_each_other)
{
	unsigned int prev = 0, b;
	uint64_t v;

	/* every value up to 2^20: 16 powers of two above the exact range */
	for (v = 0; v < (1u << 20); v++) {
		check_value(v);
		b = dp_lat_bucket(v);
		if (v < 32 && b != v)
			cr_assert_fail("value %" PRIu64 " below 32 not exact: bucket %u", v, b);
		/* monotonic, and no bucket skipped */
		if (v > 0 && b != prev && b != prev + 1)
			cr_assert_fail("value %" PRIu64 ": bucket %u after %u", v, b, prev);
		prev = b;
	}
}

Test(lat_hist, values_across_all_64_bits_fall_in_their_buckets)
{
	uint64_t s = 42, p, v;
	unsigned int k, j;

	for (k = 0; k < 64; k++) {
		p = (uint64_t)1 << k;
		check_value(p - 1);
		check_value(p);
		check_value(p + 1);
		check_value(p | (p >> 1));
		check_value(p + (p - 1)); /* the top of the power of two */
		for (j = 0; j < 1000; j++) {
			v = rnd(&s);
			check_value(p | (v & (p - 1))); /* anywhere in [2^k, 2^(k+1)) */
			check_value(v >> (v % 64));
		}
	}
	check_value(UINT64_MAX - 1);
	check_value(UINT64_MAX);
	cr_assert_eq(dp_lat_bucket(UINT64_MAX), LAST_BUCKET);
	cr_assert_eq(dp_lat_bucket((uint64_t)1 << 63), LAST_BUCKET - 31);
}

Test(lat_hist, buckets_are_contiguous_and_increasing)
{
	unsigned int b;

	cr_assert_eq(dp_lat_bucket_low(0), 0);
	for (b = 0; b < DP_LAT_BUCKETS; b++) {
		uint64_t lo = dp_lat_bucket_low(b), hi = bucket_high(b);

		if (b < LAST_BUCKET && dp_lat_bucket_low(b + 1) <= lo)
			cr_assert_fail("bucket %u starts at %" PRIu64 ", the next at %" PRIu64, b,
				lo, dp_lat_bucket_low(b + 1));
		if (hi < lo)
			cr_assert_fail("bucket %u: [%" PRIu64 ", %" PRIu64 "]", b, lo, hi);
		/* both ends of every bucket map back to it: none is empty */
		if (dp_lat_bucket(lo) != b || dp_lat_bucket(hi) != b)
			cr_assert_fail("bucket %u [%" PRIu64 ", %" PRIu64
				       "]: its ends map to %u and %u",
				b, lo, hi, dp_lat_bucket(lo), dp_lat_bucket(hi));
		if (b > 0 && dp_lat_bucket(lo - 1) != b - 1)
			cr_assert_fail(
				"the value below bucket %u maps to %u", b, dp_lat_bucket(lo - 1));
	}
	cr_assert_eq(bucket_high(LAST_BUCKET), UINT64_MAX);
}

Test(lat_hist, a_bucket_is_no_wider_than_a_32nd_of_its_values)
{
	unsigned int b;

	for (b = 0; b < DP_LAT_BUCKETS; b++) {
		uint64_t lo = dp_lat_bucket_low(b);
		uint64_t width = bucket_high(b) - lo + 1; /* at most 2^58: no overflow */

		if (b < 32) {
			if (width != 1)
				cr_assert_fail(
					"bucket %u below 32 holds %" PRIu64 " values", b, width);
		} else if (width * 32 > lo) {
			cr_assert_fail("bucket %u: %" PRIu64 " values from %" PRIu64
				       " (more than 1/32)",
				b, width, lo);
		}
	}
}

/* ---- percentiles ---- */

static struct dp_gen_worker before[2], after[2];
static struct perf_result res;

static void
reset(void)
{
	memset(before, 0, sizeof(before));
	memset(after, 0, sizeof(after));
	memset(&res, 0, sizeof(res));
	test_hz = 1000000;
}

/* @p n samples of @p v cycles into worker @p w's histogram @p h. */
static void
add(struct dp_gen_worker *h, unsigned int w, uint64_t v, uint64_t n)
{
	h[w].lat[dp_lat_bucket(v)] += n;
	h[w].echoes += n;
}

/* What perf_report_latency reports for a percentile at @p v cycles: its bucket's top, in us. */
static double
us(uint64_t v)
{
	return (double)bucket_high(dp_lat_bucket(v)) * 1e6 / (double)test_hz;
}

static void
expect(double p50, double p99, double p999, double max)
{
	cr_assert(res.has_lat);
	cr_expect_eq(res.p50_us, p50, "p50 %.17g, want %.17g", res.p50_us, p50);
	cr_expect_eq(res.p99_us, p99, "p99 %.17g, want %.17g", res.p99_us, p99);
	cr_expect_eq(res.p999_us, p999, "p99.9 %.17g, want %.17g", res.p999_us, p999);
	cr_expect_eq(res.max_us, max, "max %.17g, want %.17g", res.max_us, max);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank quantile of @p n sorted samples: the ceil(@p per_mille * n / 1000)-th. */
static uint64_t
quantile(const uint64_t *sorted, size_t n, unsigned int per_mille)
{
	size_t rank = (n * per_mille + 999) / 1000;

	return sorted[(rank != 0 ? rank : 1) - 1];
}

/* perf_report_latency on @p n samples (spread over both workers) against the sorted samples. */
static void
check_samples(uint64_t *v, size_t n, const char *what)
{
	size_t i;

	reset();
	for (i = 0; i < n; i++)
		add(after, (unsigned int)(i % 2), v[i], 1);
	perf_report_latency(NULL, after, 2, &res);
	qsort(v, n, sizeof(*v), cmp_u64);
	cr_assert(res.has_lat, "%s", what);
	cr_assert_eq(res.p50_us, us(quantile(v, n, 500)), "%s, %zu samples: p50 %.17g", what, n,
		res.p50_us);
	cr_assert_eq(res.p99_us, us(quantile(v, n, 990)), "%s, %zu samples: p99 %.17g", what, n,
		res.p99_us);
	cr_assert_eq(res.p999_us, us(quantile(v, n, 999)), "%s, %zu samples: p99.9 %.17g", what, n,
		res.p999_us);
	cr_assert_eq(res.max_us, us(v[n - 1]), "%s, %zu samples: max %.17g", what, n, res.max_us);
}

Test(lat_hist, percentiles_of_1000_samples_land_on_their_ranks)
{
	reset();
	/* 500 at 10, 490 at 100, 9 at 1,000, 1 at 100,000 cycles: each quantile exactly at its rank
	 */
	add(after, 0, 10, 500);
	add(after, 0, 100, 490);
	add(after, 0, 1000, 9);
	add(after, 0, 100000, 1);
	perf_report_latency(NULL, after, 1, &res);
	/* at 1 MHz a cycle is a microsecond: 10 is exact, 100 in [100, 101], 1,000 in [992, 1007],
	 * 100,000 in [98304, 100351] */
	expect(10, 101, 1007, 100351);

	/* one sample more above each rank moves every quantile up by one step */
	reset();
	add(after, 0, 10, 499);
	add(after, 0, 100, 490);
	add(after, 0, 1000, 10);
	add(after, 1, 100000, 1);
	perf_report_latency(NULL, after, 2, &res);
	expect(101, 1007, 1007, 100351);

	reset();
	add(after, 0, 10, 500);
	add(after, 0, 100, 489);
	add(after, 0, 1000, 10);
	add(after, 1, 100000, 1);
	perf_report_latency(NULL, after, 2, &res);
	expect(10, 1007, 1007, 100351);

	reset();
	add(after, 0, 10, 500);
	add(after, 0, 100, 490);
	add(after, 0, 1000, 8);
	add(after, 1, 100000, 2);
	perf_report_latency(NULL, after, 2, &res);
	expect(10, 101, 100351, 100351);
}

Test(lat_hist, percentiles_of_1000_distinct_samples)
{
	uint64_t v[1000];
	size_t i;

	for (i = 0; i < 1000; i++)
		v[i] = 1000 - i; /* 1 .. 1000, in any order */
	check_samples(v, 1000, "1..1000");
	/* the 500th is 500 in [496, 503], the 990th 990 in [976, 991], the 999th 999 and the
	 * largest 1,000 both in [992, 1007] */
	expect(503, 991, 1007, 1007);
}

Test(lat_hist, a_single_sample_is_every_percentile)
{
	reset();
	add(after, 1, 12345, 1);
	perf_report_latency(NULL, after, 2, &res);
	expect(us(12345), us(12345), us(12345), us(12345));
	cr_expect_eq(us(12345), 12543); /* [12288, 12543]: steps of 256 from 8,192 */
}

Test(lat_hist, samples_all_in_one_bucket_give_its_top)
{
	uint64_t v;

	reset();
	/* [4992, 5119]: steps of 128 from 4,096 */
	for (v = 4992; v <= 5119; v++)
		add(after, (unsigned int)(v % 2), v, 1 + v % 7);
	perf_report_latency(NULL, after, 2, &res);
	expect(5119, 5119, 5119, 5119);
}

Test(lat_hist, only_what_came_between_before_and_after_counts)
{
	struct perf_result none;

	reset();
	/* before: old samples, slow ones among them, on both workers */
	add(before, 0, 5, 700);
	add(before, 0, 1000000000, 3);
	add(before, 1, 777, 50);
	memcpy(after, before, sizeof(after));
	/* then: 1,000 new samples, 990 at 20 and 10 at 40 */
	add(after, 0, 20, 600);
	add(after, 1, 20, 390);
	add(after, 1, 40, 10);
	perf_report_latency(before, after, 2, &res);
	expect(20, 20, 40, 40);

	/* nothing came: no figures */
	memset(&none, 0, sizeof(none));
	none.has_lat = true;
	perf_report_latency(after, after, 2, &none);
	cr_expect(!none.has_lat);

	/* no before: everything counts (1,753 samples, the 877th at 20) */
	perf_report_latency(NULL, after, 2, &res);
	expect(20, us(777), us(1000000000), us(1000000000));
}

Test(lat_hist, an_empty_histogram_has_no_figures)
{
	reset();
	res.has_lat = true;
	perf_report_latency(NULL, after, 2, &res);
	cr_expect(!res.has_lat);
}

Test(lat_hist, cycles_are_converted_at_the_tsc_rate)
{
	reset();
	test_hz = 2500000000u;  /* 2.5 GHz */
	add(after, 0, 2500, 1); /* 1 us, in [2496, 2559] */
	add(after, 0, UINT64_MAX, 1);
	perf_report_latency(NULL, after, 1, &res);
	cr_assert(res.has_lat);
	cr_expect_float_eq(res.p50_us, 2559 / 2500.0, 1e-12);
	cr_expect_eq(res.p50_us, us(2500));
	cr_expect_eq(res.max_us, (double)UINT64_MAX * 1e6 / 2.5e9);
}

Test(lat_hist, percentiles_match_the_sorted_samples)
{
	static uint64_t v[20011];
	static const size_t sizes[] = {
		1, 2, 3, 7, 10, 99, 100, 101, 999, 1000, 1001, 2000, 12345, 20011};
	uint64_t s = 7;
	size_t i, j;

	for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
		size_t n = sizes[j];

		/* spread over every magnitude */
		for (i = 0; i < n; i++) {
			uint64_t r = rnd(&s);

			v[i] = r >> (r % 64);
		}
		check_samples(v, n, "any magnitude");
		/* few distinct values, so that cumulative counts often fall exactly on a rank */
		for (i = 0; i < n; i++)
			v[i] = 100 + 100 * (rnd(&s) % 4);
		check_samples(v, n, "four values");
		for (i = 0; i < n; i++)
			v[i] = rnd(&s) % 100 < 99 ? 50 : 5000;
		check_samples(v, n, "1 % slow");
	}
}
