#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags]
#   TARGET: packet (the whole packet decoder: packet, chunks, parameters, causes, rendering)
# Regenerate the packet seed corpus from tests/common/samples.c: scripts/fuzz.sh --seeds
# New corpus entries go to tests/fuzz/corpus/TARGET (minimise and commit the useful ones);
# crashes land in tests/fuzz/crashers/TARGET/ and are replayed by scripts/test.sh from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--seeds" ]; then
	[ -d build ] || meson setup build -Dtests=enabled
	ninja -C build tests/fuzz/write_seeds
	build/tests/fuzz/write_seeds tests/fuzz/corpus/packet
	echo "fuzz: seeds written to tests/fuzz/corpus/packet ($(ls tests/fuzz/corpus/packet | wc -l) files)"
	exit 0
fi
if [ $# -lt 2 ]; then
	echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
	ls tests/fuzz/corpus 2>/dev/null | sed 's/^/  target: /' >&2
	exit 2
fi
target=$1 secs=$2; shift 2
. scripts/deps.sh
dpsctp_install_deps
[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dtests=disabled -Dfuzzing=true \
	-Dbuildtype=debugoptimized
ninja -C build-fuzz "tests/fuzz/fuzz_$target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "tests/fuzz/crashers/$target"
# New inputs are written to a scratch corpus first; the committed seed corpus stays as it is.
build-fuzz/tests/fuzz/"fuzz_$target" "$work" "tests/fuzz/corpus/$target" \
	-max_total_time="$secs" -print_final_stats=1 -max_len=4096 -timeout=10 \
	-artifact_prefix="tests/fuzz/crashers/$target/" "$@"
echo "fuzz: $(ls "$work" | wc -l) new inputs in a scratch corpus, now discarded; to keep new coverage run the target with -merge=1 tests/fuzz/corpus/$target DIR"
