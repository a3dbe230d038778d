#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job. dpsctpd does not exist yet, so for now this installs what is missing, builds the
# release tree and runs the benchmarks of what exists: CRC32c (reference, rte_hash_crc, ours) and
# the engine's own cost per DATA packet received and per message sent (no I/O).
# Figures are printed, never asserted. Extra arguments go to the CRC32c benchmark (e.g. --csv FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
dpsctp_install_deps

[ -d build ] || meson setup build -Dtests=enabled
ninja -C build tests/bench/bench_crc32c tests/bench/bench_engine

echo "== CRC32c: ns per buffer, and our speed-up over DPDK's rte_hash_crc in the same run"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
build/tests/bench/bench_crc32c "$@"

echo
echo "== Engine: ns per received DATA packet and per sent message (no I/O, no CRC), against aims"
build/tests/bench/bench_engine
