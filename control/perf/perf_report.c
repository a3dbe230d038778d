/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf's output (see perf.h): testpmd-like lines once per second, a summary whose last
 * line is machine-readable, one CSV line per run, a JSON object. Latency percentiles come from
 * the generators' log-linear histograms (dp_lat_bucket: 32 buckets per power of two, so a
 * percentile is exact within 3.2 %); a percentile is reported as the highest value of its
 * bucket, as HdrHistogram does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "perf.h"

static double
gbit(uint64_t bytes, double s)
{
	return s > 0 ? (double)bytes * 8 / s / 1e9 : 0;
}

void
perf_report_tick(
	unsigned int t, const struct perf_counts *a, const struct perf_counts *b, unsigned int size)
{
	double s = (double)(b->tsc - a->tsc) / (double)rte_get_tsc_hz();

	(void)size;
	if (s <= 0)
		return;
	printf("[%3us] msgs/s %.0f  Gbit/s %.3f  pkts/s %.0f  rtx %" PRIu64 "\n", t,
		(double)(b->msgs - a->msgs) / s, gbit(b->bytes - a->bytes, s),
		(double)(b->pkts - a->pkts) / s, b->retrans - a->retrans);
	fflush(stdout);
}

void
perf_report_rates(const struct perf_counts *a, const struct perf_counts *b, unsigned int ncpu,
	struct perf_result *r)
{
	double s = (double)(b->tsc - a->tsc) / (double)rte_get_tsc_hz();
	uint64_t msgs = b->msgs - a->msgs;
	uint64_t cycles =
		b->busy_cycles != 0 ? b->busy_cycles - a->busy_cycles : (b->tsc - a->tsc) * ncpu;

	r->seconds = s;
	r->msgs_per_s = s > 0 ? (double)msgs / s : 0;
	r->gbit_per_s = gbit(b->bytes - a->bytes, s);
	r->pkts_per_s = s > 0 ? (double)(b->pkts - a->pkts) / s : 0;
	r->retrans = b->retrans - a->retrans;
	r->cycles_per_msg = msgs != 0 ? (double)cycles / (double)msgs : 0;
}

/* Highest value of bucket @p k, in microseconds. */
static double
bucket_us(unsigned int k)
{
	uint64_t hi = k + 1 < DP_LAT_BUCKETS ? dp_lat_bucket_low(k + 1) - 1 : UINT64_MAX;

	return (double)hi * 1e6 / (double)rte_get_tsc_hz();
}

void
perf_report_latency(const struct dp_gen_worker *before, const struct dp_gen_worker *after,
	unsigned int n, struct perf_result *r)
{
	static uint64_t h[DP_LAT_BUCKETS];
	static const double q[3] = {0.50, 0.99, 0.999};
	double *out[3] = {&r->p50_us, &r->p99_us, &r->p999_us};
	uint64_t total = 0, cum = 0;
	unsigned int k, w, i = 0;

	memset(h, 0, sizeof(h));
	for (w = 0; w < n; w++)
		for (k = 0; k < DP_LAT_BUCKETS; k++)
			h[k] += __atomic_load_n(&after[w].lat[k], __ATOMIC_RELAXED) -
				(before != NULL ? before[w].lat[k] : 0);
	for (k = 0; k < DP_LAT_BUCKETS; k++)
		total += h[k];
	r->has_lat = total != 0;
	if (total == 0)
		return;
	for (k = 0; k < DP_LAT_BUCKETS; k++) {
		if (h[k] == 0)
			continue;
		cum += h[k];
		/* the smallest value at or above which no more than (1 - q) of the samples lie */
		while (i < 3 && (double)cum >= q[i] * (double)total)
			*out[i++] = bucket_us(k);
		r->max_us = bucket_us(k);
	}
}

static const char *
order_name(const struct perf_opts *o)
{
	return o->unordered ? "unordered" : "ordered";
}

static const char *
pattern_name(const struct perf_opts *o)
{
	return o->rr ? "rr" : "bulk";
}

/* The latency figure @p v, or "-" outside rr, into @p buf. */
static const char *
lat(const struct perf_result *r, double v, char *buf, size_t len)
{
	if (!r->has_lat)
		return "-";
	snprintf(buf, len, "%.1f", v);
	return buf;
}

static int
write_csv(const struct perf_opts *o, const struct perf_result *r)
{
	char b[4][32];
	FILE *f = fopen(o->csv, "a");

	if (f == NULL) {
		perror(o->csv);
		return 1;
	}
	if (fseek(f, 0, SEEK_END) == 0 && ftell(f) == 0)
		fprintf(f, "mode,size,assocs,streams,order,pattern,msgs_per_s,gbit_per_s,"
			   "pkts_per_s,retrans,cycles_per_msg,p50_us,p99_us,p999_us,max_us\n");
	fprintf(f, "%s,%u,%u,%u,%s,%s,%.0f,%.3f,%.0f,%" PRIu64 ",%.0f,%s,%s,%s,%s\n", o->mode,
		o->size, o->assocs, o->streams, order_name(o), pattern_name(o), r->msgs_per_s,
		r->gbit_per_s, r->pkts_per_s, r->retrans, r->cycles_per_msg,
		lat(r, r->p50_us, b[0], 32), lat(r, r->p99_us, b[1], 32),
		lat(r, r->p999_us, b[2], 32), lat(r, r->max_us, b[3], 32));
	return fclose(f) == 0 ? 0 : 1;
}

static int
write_json(const struct perf_opts *o, const struct perf_result *r)
{
	FILE *f = fopen(o->json, "w");

	if (f == NULL) {
		perror(o->json);
		return 1;
	}
	fprintf(f,
		"{\"mode\": \"%s\", \"link\": \"%s\", \"size\": %u, \"assocs\": %u, \"streams\": "
		"%u, "
		"\"order\": \"%s\", \"pattern\": \"%s\", \"outstanding\": %u, \"seconds\": %.3f, "
		"\"msgs_per_s\": %.0f, \"gbit_per_s\": %.3f, \"pkts_per_s\": %.0f, "
		"\"retrans\": %" PRIu64 ", \"cycles_per_msg\": %.0f",
		o->mode,
		strcmp(o->mode, "b2b") != 0 ? "-"
		: o->memif                  ? "memif"
					    : "ring",
		o->size, o->assocs, o->streams, order_name(o), pattern_name(o),
		o->rr ? o->outstanding : 0, r->seconds, r->msgs_per_s, r->gbit_per_s, r->pkts_per_s,
		r->retrans, r->cycles_per_msg);
	if (r->has_lat)
		fprintf(f,
			", \"p50_us\": %.1f, \"p99_us\": %.1f, \"p999_us\": %.1f, "
			"\"max_us\": %.1f}\n",
			r->p50_us, r->p99_us, r->p999_us, r->max_us);
	else
		fprintf(f, ", \"p50_us\": null, \"p99_us\": null, \"p999_us\": null, "
			   "\"max_us\": null}\n");
	return fclose(f) == 0 ? 0 : 1;
}

int
perf_report_summary(const struct perf_opts *o, const struct perf_result *r)
{
	char b[4][32];
	int rc = 0;

	printf("\n---- dpsctp-perf %s%s: %u assocs x %u streams, %u B %s, %s", o->mode,
		strcmp(o->mode, "b2b") == 0 ? (o->memif ? " over net_memif" : " over net_ring")
					    : "",
		o->assocs, o->streams, o->size, order_name(o), pattern_name(o));
	if (o->rr)
		printf(" (%u outstanding)", o->outstanding);
	printf(", %.2f s ----\n", r->seconds);
	printf("  messages/s      %.0f\n", r->msgs_per_s);
	printf("  goodput Gbit/s  %.3f\n", r->gbit_per_s);
	printf("  packets/s       %.0f\n", r->pkts_per_s);
	printf("  retransmitted   %" PRIu64 "\n", r->retrans);
	printf("  cycles/message  %.0f\n", r->cycles_per_msg);
	if (r->has_lat)
		printf("  latency us      p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n", r->p50_us,
			r->p99_us, r->p999_us, r->max_us);
	printf("summary mode=%s size=%u assocs=%u streams=%u order=%s pattern=%s msgs_per_s=%.0f "
	       "gbit_per_s=%.3f pkts_per_s=%.0f retrans=%" PRIu64 " cycles_per_msg=%.0f "
	       "p50_us=%s p99_us=%s p999_us=%s max_us=%s\n",
		o->mode, o->size, o->assocs, o->streams, order_name(o), pattern_name(o),
		r->msgs_per_s, r->gbit_per_s, r->pkts_per_s, r->retrans, r->cycles_per_msg,
		lat(r, r->p50_us, b[0], 32), lat(r, r->p99_us, b[1], 32),
		lat(r, r->p999_us, b[2], 32), lat(r, r->max_us, b[3], 32));
	fflush(stdout);
	if (o->csv != NULL)
		rc |= write_csv(o, r);
	if (o->json != NULL)
		rc |= write_json(o, r);
	return rc;
}
