#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job. dpsctpd does not exist yet, so for now this installs what is missing, builds the
# release tree and runs the benchmarks of what exists: CRC32c (reference, rte_hash_crc, ours).
# Figures are printed, never asserted. Extra arguments go to the benchmark (e.g. --csv FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
dpsctp_install_deps

[ -d build ] || meson setup build -Dtests=enabled
ninja -C build tests/bench/bench_crc32c

echo "== CRC32c: ns per buffer, and our speed-up over DPDK's rte_hash_crc in the same run"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
build/tests/bench/bench_crc32c "$@"
