#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Application-to-application messages per second through libdpsctp, the shared-memory rings and
# dpsctpd's stack (two processes over 127.0.0.1), for 128-byte and 1,400-byte messages, beside
# a raw rte_ring SP/SC baseline measured in the same run. A dpsctpd of its own is started by
# api_with_daemon (net_null port, loopback addresses; needs root). Figures are printed, never
# asserted. Arguments go to bench_api (--count N, --quick).
#
#   scripts/bench-api.sh [--count N] [--quick]      (BUILD=build-dir, default build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
[ -d "$BUILD" ] || meson setup "$BUILD" -Dtests=enabled
ninja -C "$BUILD" control/dpsctpd tests/api/api_with_daemon tests/bench/bench_api
echo "== libdpsctp: messages/s between two applications through dpsctpd, beside rte_ring SP/SC"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
echo "cores: $(nproc) (dpsctpd: control lcore 0, one worker spinning on lcore 1)"
"$BUILD/tests/api/api_with_daemon" -- "$BUILD/tests/bench/bench_api" "$@"
