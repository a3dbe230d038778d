/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker receive capacity of dpsctpd (scripts/bench-rx.sh): the generator and the report
 * are dpsctp-perf's rx mode (control/perf/perf_rx.c, whose top comment says what is measured
 * and how); this program keeps bench_rx's command line and output for the script.
 *
 * Usage: bench_rx [--assocs N] [--size BYTES] [--seconds S] [--csv FILE] [--shared-pool]
 *		   [-- EAL args]
 */
#include "perf.h"

int
main(int argc, char **argv)
{
	return perf_rx_main(argc, argv, NULL);
}
