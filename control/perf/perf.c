/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf: testpmd-style benchmarks of dpsctp.
 *
 *   dpsctp-perf --mode b2b|rx|peer [options] [-- EAL args]
 *
 * b2b: two stacks over a net_ring pair (perf_b2b.c); rx: one worker fed DATA by a generator
 * (perf_rx.c); peer: one stack against an external SCTP peer (perf_b2b.c). A line per second
 * while running, then a summary whose last line ("summary key=value ...") is for scripts;
 * --csv and --json write the same figures. It exits non-zero only when it cannot run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "perf.h"

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s --mode b2b|rx|peer [options] [-- EAL args]\n"
		"  -c FILE            dpsctpd YAML (eal, lcores, mempool, protocol; peer: ports)\n"
		"  --assocs N         associations (default 1)\n"
		"  --streams S        streams per association (default 1)\n"
		"  --size BYTES       message size (default 128, at least 12)\n"
		"  --unordered        unordered messages\n"
		"  --pattern bulk|rr  one way, or request/response with latency (default bulk)\n"
		"  --outstanding K    rr: requests in flight per association (default 1)\n"
		"  --seconds T        measured time (default 5), after --warmup W (default 1)\n"
		"  --role client|server, --peer ADDR[,ADDR...], --port P, --local ADDR[/LEN]\n"
		"  --csv FILE         append a CSV line (header first when the file is empty)\n"
		"  --json FILE        write the summary as JSON\n"
		"  --quiet            no per-second lines\n"
		"  --link ring|memif  b2b: net_ring pair in one process (default), or net_memif\n"
		"                     between two processes\n",
		prog);
}

bool
perf_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return false;
	*out = (unsigned int)v;
	return true;
}

static bool
parse_seconds(const char *s, double lo, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (*end != '\0' || !(v >= lo) || v > 86400)
		return false;
	*out = v;
	return true;
}

/* The rx mode's command line for perf_rx_main (bench_rx's vocabulary). */
static int
run_rx(const struct perf_opts *o, const char *prog)
{
	static char a[3][32];
	char *argv[16 + 64];
	struct perf_result r;
	int argc = 0, i, rc;

	if (o->rr || o->streams != 1 || o->unordered) {
		fprintf(stderr, "dpsctp-perf: rx mode feeds ordered one-way DATA on stream 0\n");
		return 2;
	}
	argv[argc++] = (char *)prog;
	snprintf(a[0], sizeof(a[0]), "%u", o->assocs);
	snprintf(a[1], sizeof(a[1]), "%u", o->size);
	snprintf(a[2], sizeof(a[2]), "%g", o->seconds);
	argv[argc++] = "--assocs";
	argv[argc++] = a[0];
	argv[argc++] = "--size";
	argv[argc++] = a[1];
	argv[argc++] = "--seconds";
	argv[argc++] = a[2];
	if (o->quiet)
		argv[argc++] = "--quiet";
	if (o->eal_argc > 0)
		argv[argc++] = "--";
	for (i = 0; i < o->eal_argc && argc < (int)RTE_DIM(argv) - 1; i++)
		argv[argc++] = o->eal_argv[i];
	argv[argc] = NULL;
	memset(&r, 0, sizeof(r));
	rc = perf_rx_main(argc, argv, &r);
	if (rc != 0)
		return rc;
	return perf_report_summary(o, &r);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"mode", required_argument, NULL, 'm'},
		{"config", required_argument, NULL, 'c'},
		{"assocs", required_argument, NULL, 'a'},
		{"streams", required_argument, NULL, 's'},
		{"size", required_argument, NULL, 'z'},
		{"unordered", no_argument, NULL, 'u'},
		{"pattern", required_argument, NULL, 'p'},
		{"outstanding", required_argument, NULL, 'k'},
		{"seconds", required_argument, NULL, 't'},
		{"warmup", required_argument, NULL, 'w'},
		{"role", required_argument, NULL, 'r'},
		{"peer", required_argument, NULL, 'P'},
		{"port", required_argument, NULL, 'o'},
		{"local", required_argument, NULL, 'l'},
		{"csv", required_argument, NULL, 'C'},
		{"json", required_argument, NULL, 'J'},
		{"quiet", no_argument, NULL, 'q'},
		{"link", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct perf_opts o = {
		.assocs = 1,
		.streams = 1,
		.size = 128,
		.outstanding = 1,
		.seconds = 5,
		.warmup = 1,
	};
	bool ok = true;
	int opt;

	while (ok && (opt = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			o.mode = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'a':
			ok = perf_parse_uint(optarg, 1, 16384, &o.assocs);
			break;
		case 's':
			ok = perf_parse_uint(optarg, 1, 65535, &o.streams);
			break;
		case 'z':
			ok = perf_parse_uint(optarg, 12, 65536, &o.size);
			break;
		case 'u':
			o.unordered = true;
			break;
		case 'p':
			ok = strcmp(optarg, "bulk") == 0 || strcmp(optarg, "rr") == 0;
			o.rr = strcmp(optarg, "rr") == 0;
			break;
		case 'k':
			ok = perf_parse_uint(optarg, 1, 1u << 20, &o.outstanding);
			break;
		case 't':
			ok = parse_seconds(optarg, 0.1, &o.seconds);
			break;
		case 'w':
			ok = parse_seconds(optarg, 0, &o.warmup);
			break;
		case 'r':
			ok = strcmp(optarg, "client") == 0 || strcmp(optarg, "server") == 0;
			o.server = strcmp(optarg, "server") == 0;
			break;
		case 'P':
			o.peer = optarg;
			break;
		case 'o':
			ok = perf_parse_uint(optarg, 1, 65535, &o.port);
			break;
		case 'l':
			o.local = optarg;
			break;
		case 'C':
			o.csv = optarg;
			break;
		case 'J':
			o.json = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'L':
			ok = strcmp(optarg, "ring") == 0 || strcmp(optarg, "memif") == 0;
			o.memif = strcmp(optarg, "memif") == 0;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!ok) {
		fprintf(stderr, "dpsctp-perf: bad value for %s: %s\n", argv[optind - 2], optarg);
		return 2;
	}
	o.eal_argc = argc - optind;
	o.eal_argv = argv + optind;
	if (o.mode == NULL) {
		usage(argv[0]);
		return 2;
	}
	if (strcmp(o.mode, "rx") == 0)
		return run_rx(&o, argv[0]);
	if (strcmp(o.mode, "peer") == 0) {
		if (o.port == 0 || (!o.server && o.peer == NULL)) {
			fprintf(stderr,
				"dpsctp-perf: peer mode needs --port, and --peer as a client\n");
			return 2;
		}
	} else if (strcmp(o.mode, "b2b") != 0) {
		usage(argv[0]);
		return 2;
	}
	return perf_b2b_main(&o, argv[0]);
}
