#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Per-worker receive capacity of dpsctpd against dpdk-testpmd, in one run on one machine.
#
#   1. tests/bench/bench_rx: one dpsctpd worker (lcore 1) taking single-chunk DATA packets from
#      a net_ring port (rte_eth_from_rings) that a generator on lcore 0 keeps full, SACKing
#      every second one (dpsctp-perf's rx mode: see the top of control/perf/perf_rx.c).
#   2. dpdk-testpmd, io forwarding on one forwarding core (lcore 1), between two net_null ports
#      producing frames of the same size: rx_burst from null0 -> tx_burst to null1 and back. The
#      null PMD hands out and takes back mbufs at memory speed without touching their bytes, so
#      this is what one core does with packets when it does nothing with them. The same with
#      copy=1 (the PMD writes each frame on RX and reads it on TX) is printed as well.
#
# Printed: both packet rates (mean over the run, median and best slice: ours 0.25 s, testpmd
# 1 s), cycles per packet, and ours / testpmd (the aim: the mean >= 25%).
# Usage: scripts/bench-rx.sh [--build DIR] [--assocs N] [--size B] [--seconds S] [--csv FILE]
#   --build DIR  build tree (default: build; configured if missing, bench_rx built if stale)
#   the other options go to bench_rx (defaults 64 associations, 100 bytes, 5 s).
# Both need two free CPUs: a busy machine lowers both rates; bench_rx then says so and prints
# cycles per packet from its worker's CPU time as well. Never fails on time; exits non-zero only
# when something could not run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

build=build
assocs=64
size=100
seconds=5
csv=
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--assocs) assocs=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--csv) csv=$2; shift 2 ;;
	*) echo "usage: $0 [--build DIR] [--assocs N] [--size B] [--seconds S] [--csv FILE]" >&2
	   exit 2 ;;
	esac
done

bench=$build/tests/bench/bench_rx
[ -d "$build" ] || meson setup "$build" -Dtests=enabled >/dev/null || exit 1
ninja -C "$build" tests/bench/bench_rx >/dev/null || exit 1

echo "== machine"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
echo "cpus: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "== dpsctpd: one worker receiving DATA (bench_rx)"
args=(--assocs "$assocs" --size "$size" --seconds "$seconds")
[ -n "$csv" ] && args+=(--csv "$csv")
out=$("$bench" "${args[@]}" 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
	echo "bench-rx: bench_rx could not run (exit $rc)" >&2
	exit 1
fi
result=$(grep '^RESULT ' <<<"$out")
if [ -z "$result" ]; then
	echo "bench-rx: bench_rx printed no RESULT line" >&2
	exit 1
fi
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
ours_pps=$(field rx_pps)
ours_cpp=$(field cycles_per_packet)
ours_busy_cpp=$(field busy_cycles_per_packet)
ours_cpu=$(field worker_cpu_pct)
ours_median=$(field slice_median_pps)
ours_best=$(field slice_best_pps)
frame=$(field frame)
echo

# testpmd io forwarding on two net_null ports of $frame-byte frames, one "show port stats all"
# per second after a second of warm-up; prints "mean median best cycles/packet" (pps).
testpmd_run() {
	local devargs=$1 n=${seconds%.*} log
	[ "$n" -ge 1 ] 2>/dev/null || n=1
	log=$({
		echo start
		sleep 1
		echo "show port stats all"
		for _ in $(seq "$n"); do
			sleep 1
			echo "show port stats all"
		done
		echo stop
		echo quit
	} | timeout $((n + 60)) dpdk-testpmd --no-huge -m 512 --no-shconf \
		--no-telemetry --file-prefix=bench_rx_testpmd --no-pci -l 0,1 --main-lcore 0 \
		--vdev="net_null0,size=$frame$devargs" --vdev="net_null1,size=$frame$devargs" \
		--log-level=warning -- -i --forward-mode=io --nb-cores=1 --record-core-cycles \
		--total-num-mbufs=16384 2>&1)
	# Rx-pps of both ports since the previous show: skip the first show (the warm-up)
	awk '/Rx-pps:/ { v[n++] = $2 }
	     /CPU cycles\/packet=/ { sub(/.*cycles\/packet=/, ""); c = $1 }
	     END {
		for (i = 2; i + 1 < n; i += 2) {
			x = v[i] + v[i + 1]
			t += x
			for (j = m++; j > 0 && s[j - 1] > x; j--)
				s[j] = s[j - 1]
			s[j] = x
		}
		if (m == 0)
			exit
		printf "%.0f %.0f %.0f %s\n", t / m, s[int(m / 2)], s[m - 1], c
	     }' <<<"$log"
}

if ! command -v dpdk-testpmd >/dev/null; then
	echo "bench-rx: dpdk-testpmd not found (Debian package dpdk)" >&2
	exit 1
fi
echo "== dpdk-testpmd: io forwarding, one core, net_null0 <-> net_null1, $frame-byte frames"
read -r tp_mean tp_median tp_best tp_cpp < <(testpmd_run "")
read -r tc_mean tc_median tc_best tc_cpp < <(testpmd_run ",copy=1")
# EAL leaves testpmd's (empty) runtime directory behind, even with --no-shconf
rmdir "/var/run/dpdk/bench_rx_testpmd" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/bench_rx_testpmd" 2>/dev/null
if [ -z "${tp_mean:-}" ] || [ -z "${tc_mean:-}" ]; then
	echo "bench-rx: dpdk-testpmd did not run or printed no rates" >&2
	exit 1
fi
echo

echo "== dpsctpd worker against testpmd (aim: >= 25% of testpmd's per-core rate)"
awk -v om="$ours_pps" -v omed="$ours_median" -v ob="$ours_best" -v oc="$ours_cpp" \
	-v obc="$ours_busy_cpp" -v cpu="$ours_cpu" \
	-v tm="$tp_mean" -v tmed="$tp_median" -v tb="$tp_best" -v tc="$tp_cpp" \
	-v cm="$tc_mean" -v cmed="$tc_median" -v cb="$tc_best" -v cc="$tc_cpp" \
	-v a="$assocs" -v s="$size" -v f="$frame" 'BEGIN {
	printf "| Mpps on one core | mean | median slice | best slice | cycles/packet |\n"
	printf "|---|---:|---:|---:|---:|\n"
	printf "| dpsctpd worker: %d assocs, %d-byte DATA, %d-byte frames | %.3f | %.3f | %.3f " \
		"| %.0f |\n", a, s, f, om / 1e6, omed / 1e6, ob / 1e6, oc
	printf "| testpmd io, net_null | %.3f | %.3f | %.3f | %.1f |\n", tm / 1e6, tmed / 1e6,
		tb / 1e6, tc
	printf "| testpmd io, net_null copy=1 | %.3f | %.3f | %.3f | %.1f |\n", cm / 1e6,
		cmed / 1e6, cb / 1e6, cc
	printf "| ours / testpmd io, net_null | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n",
		100 * om / tm, 100 * omed / tmed, 100 * ob / tb, (obc > 0 ? 100 * tc / obc : 0)
	printf "| ours / testpmd io, net_null copy=1 | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n",
		100 * om / cm, 100 * omed / cmed, 100 * ob / cb, (obc > 0 ? 100 * cc / obc : 0)
	printf "\nslices: ours 0.25 s, testpmd 1 s. cycles/packet: testpmd counts its busy " \
		"cycles only (--record-core-cycles), ours is the worker'"'"'s wall time / packets " \
		"(it spins); the ratio column uses ours without its idle loops (%.0f, an estimate)\n",
		obc
	printf "RATIO ours/testpmd(net_null) mean=%.1f%% median=%.1f%% best=%.1f%% aim=25%% %s\n",
		100 * om / tm, 100 * omed / tmed, 100 * ob / tb,
		(om / tm >= 0.25 ? "met" : "not met")
	if (cpu < 95)
		printf "NOTE: the worker had a CPU only %.0f%% of the time (busy machine): " \
			"the rate ratios are unreliable, the cycle ratio less so\n", cpu
}'
