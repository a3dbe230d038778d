#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags]
#   TARGET: packet (the whole packet decoder: packet, chunks, parameters, causes, rendering)
#           engine (the whole sans-I/O engine: two endpoints, a lossy network, user primitives)
#           l3 (what dpsctpd runs on a received frame before the engine: Ethernet, IPv4/IPv6, ARP,
#               ICMP errors and echo, neighbour discovery, steering, the neighbour and route tables)
#           appq (a hostile application's shared memory against the worker's side of the API:
#               dataplane/appq.c channel checks and app.c requests on real engine endpoints)
# Regenerate the seed corpora: scripts/fuzz.sh --seeds [TARGET]
#   packet: from tests/common/samples.c; engine: operation streams (write_engine_seeds.c);
#   l3: its named seeds are committed frames (no writer); appq: named scripts (committed)
# Keep what a run found: scripts/fuzz.sh --merge TARGET DIR... adds to tests/fuzz/corpus/TARGET
#   the inputs of DIR... that bring new coverage (libFuzzer -merge=1).
# Or keep it small: scripts/fuzz.sh --minimise TARGET MAX [DIR...] replaces the corpus by its
#   named seeds plus the inputs of the corpus and DIR... that cover every edge and then the most
#   features, MAX files at most (one short libFuzzer run per input to measure it, then greedy).
# New corpus entries of a run go to a scratch corpus, discarded at the end unless
# DPSCTP_FUZZ_KEEP=DIR names a directory to keep them in (for --merge). Crashes land in
# tests/fuzz/crashers/TARGET/ and are replayed by scripts/test.sh from then on.
# DPSCTP_FUZZ_BUILD names the clang build directory (default build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_build=${DPSCTP_FUZZ_BUILD:-build-fuzz}

fuzz_setup() {
	. scripts/deps.sh
	dpsctp_install_deps
	[ -d "$fuzz_build" ] || CC=clang meson setup "$fuzz_build" -Dtests=disabled -Dfuzzing=true \
		-Dbuildtype=debugoptimized
	ninja -C "$fuzz_build" "tests/fuzz/fuzz_$1"
}

if [ "${1:-}" = "--seeds" ]; then
	target=${2:-all}
	[ -d build ] || meson setup build -Dtests=enabled
	if [ "$target" = all ] || [ "$target" = packet ]; then
		ninja -C build tests/fuzz/write_seeds
		build/tests/fuzz/write_seeds tests/fuzz/corpus/packet
		echo "fuzz: seeds written to tests/fuzz/corpus/packet ($(ls tests/fuzz/corpus/packet | wc -l) files)"
	fi
	if [ "$target" = all ] || [ "$target" = engine ]; then
		ninja -C build tests/fuzz/write_engine_seeds
		mkdir -p tests/fuzz/corpus/engine
		build/tests/fuzz/write_engine_seeds tests/fuzz/corpus/engine
		echo "fuzz: seeds written to tests/fuzz/corpus/engine ($(ls tests/fuzz/corpus/engine | wc -l) files)"
	fi
	exit 0
fi
if [ "${1:-}" = "--merge" ]; then
	if [ $# -lt 3 ]; then
		echo "usage: $0 --merge TARGET DIR..." >&2
		exit 2
	fi
	target=$2; shift 2
	fuzz_setup "$target"
	before=$(ls "tests/fuzz/corpus/$target" | wc -l)
	"$fuzz_build/tests/fuzz/fuzz_$target" -merge=1 -max_len=4096 -timeout=10 \
		"tests/fuzz/corpus/$target" "$@"
	echo "fuzz: tests/fuzz/corpus/$target: $before -> $(ls "tests/fuzz/corpus/$target" | wc -l) files"
	exit 0
fi
if [ "${1:-}" = "--minimise" ]; then
	if [ $# -lt 3 ]; then
		echo "usage: $0 --minimise TARGET MAX [DIR...]" >&2
		exit 2
	fi
	target=$2 max=$3; shift 3
	fuzz_setup "$target"
	bin=$fuzz_build/tests/fuzz/fuzz_$target
	corpus=tests/fuzz/corpus/$target
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir "$tmp/merged" "$tmp/one" "$tmp/out" "$tmp/new"
	# What adds no coverage to the rest goes first (libFuzzer -merge=1); then each remaining
	# input is measured on its own (a merge control file lists all its features and edges).
	"$bin" -merge=1 -max_len=4096 "$tmp/merged" "$corpus" "$@" >/dev/null 2>&1
	for f in "$corpus"/* "$tmp/merged"/*; do
		rm -f "$tmp/one"/* "$tmp/out"/* "$tmp/ctl"
		cp "$f" "$tmp/one/"
		"$bin" -merge=1 -merge_control_file="$tmp/ctl" "$tmp/out" "$tmp/one" >/dev/null 2>&1
		printf '%s\t%s\t%s\n' "$f" "$(sed -n 's/^FT [0-9]* *//p' "$tmp/ctl")" \
			"$(sed -n 's/^COV [0-9]* *//p' "$tmp/ctl")" >> "$tmp/features"
	done
	# Keep the named seeds of the corpus, then add inputs greedily: every edge first, then the
	# most features, up to MAX files.
	python3 - "$tmp/features" "$max" > "$tmp/keep" <<'PY'
import hashlib, os, re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
ft = {r[0]: set(r[1].split()) for r in rows}
cov = {r[0]: set(r[2].split()) for r in rows}
seeds = [p for p in ft if not re.fullmatch(r"[0-9a-f]{40}", os.path.basename(p))]
digest = lambda p: hashlib.sha1(open(p, "rb").read()).hexdigest()
known = {digest(p) for p in seeds}
rest = []
for p in ft:
    if p not in seeds and digest(p) not in known:
        known.add(digest(p))
        rest.append(p)
keep = list(seeds)
have = set().union(*(ft[p] for p in seeds))
edges = set().union(*(cov[p] for p in seeds))
for table, got in ((cov, edges), (ft, have)):
    while len(keep) < int(sys.argv[2]) and rest:
        best = max(rest, key=lambda p: (len(table[p] - got), -os.path.getsize(p)))
        if not table[best] - got:
            break
        keep.append(best)
        rest.remove(best)
        have |= ft[best]
        edges |= cov[best]
print("\n".join(keep))
all_ft = set().union(*ft.values())
all_cov = set().union(*cov.values())
print(f"fuzz: kept {len(keep)} inputs ({len(seeds)} seeds): {len(edges)} of {len(all_cov)} edges, "
      f"{len(have)} of {len(all_ft)} features", file=sys.stderr)
PY
	while IFS= read -r f; do
		case "$f" in
		"$corpus"/*) cp "$f" "$tmp/new/" ;;
		*) cp "$f" "$tmp/new/$(sha1sum "$f" | cut -d' ' -f1)" ;;
		esac
	done < "$tmp/keep"
	rm -f "$corpus"/*
	cp "$tmp/new"/* "$corpus/"
	echo "fuzz: $corpus now holds $(ls "$corpus" | wc -l) files"
	exit 0
fi
if [ $# -lt 2 ]; then
	echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
	ls tests/fuzz/corpus 2>/dev/null | sed 's/^/  target: /' >&2
	exit 2
fi
target=$1 secs=$2; shift 2
fuzz_setup "$target"
if [ -n "${DPSCTP_FUZZ_KEEP:-}" ]; then
	work=$DPSCTP_FUZZ_KEEP
	mkdir -p "$work"
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "tests/fuzz/crashers/$target"
# New inputs are written to a scratch corpus first; the committed seed corpus stays as it is.
"$fuzz_build/tests/fuzz/fuzz_$target" "$work" "tests/fuzz/corpus/$target" \
	-max_total_time="$secs" -print_final_stats=1 -max_len=4096 -timeout=10 \
	-artifact_prefix="tests/fuzz/crashers/$target/" "$@"
if [ -n "${DPSCTP_FUZZ_KEEP:-}" ]; then
	echo "fuzz: $(ls "$work" | wc -l) inputs kept in $work; keep the new coverage with: $0 --merge $target $work"
else
	echo "fuzz: $(ls "$work" | wc -l) new inputs in a scratch corpus, now discarded; to keep new coverage run with DPSCTP_FUZZ_KEEP=DIR, then $0 --merge $target DIR"
fi
