#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The performance report: dpsctp-perf's standard matrix and, in the same run on the same machine,
# the baselines it is judged against. Shows progress while it runs; never fails on time; exits
# non-zero only when nothing could be measured (no dpsctp-perf, a build that fails).
#
# Usage: scripts/bench.sh [--build DIR] [--out DIR] [--seconds S] [--warmup W] [--quick]
#                         [--publish] [--perf PATH] [--no-baselines] [-- EAL args for dpsctp-perf]
#   --build DIR     build tree (default build; configured if missing, the tools built if stale)
#   --out DIR       where the results go (default bench-out, git-ignored)
#   --seconds S     measured seconds per point (default 2), after --warmup W (default 0.5)
#   --quick         a ~2 minute subset (1 s per point; sizes 128, 1400, 65536; 1 and 16 assocs)
#   --publish       also copy report.md, the CSVs and the plots to tests/bench/report/ (the
#                   README embeds tests/bench/report/*.png)
#   --perf PATH     the dpsctp-perf binary (default DIR/control/perf/dpsctp-perf)
#   --no-baselines  dpsctp-perf only
# Two free cores give the figures the report is about; a busy machine lowers every rate (ours
# and the baselines alike, so the ratios suffer less). The full matrix takes ~5-10 minutes on
# 2 cores, --quick about 2.
#
# What runs (each line of progress is one of these: "[12/54] b2b size=512 assocs=16 unordered"):
#   dpsctp-perf --mode b2b   two stacks on two lcores over a net_ring pair, bulk one way: message
#                            sizes 64 128 512 1400 4096 65536 x associations 1 16 1024 x ordered,
#                            unordered
#   dpsctp-perf --mode b2b --pattern rr   request/response, 128 B, 1, 16 and 1024 associations:
#                            transactions/s and round-trip percentiles
#   dpsctp-perf --mode rx    one worker fed DATA by a generator: per-core receive + SACK rate
#                            (best of 3 runs: the generator, on the other core, at times cannot
#                            keep the worker busy on a shared machine)
#   baseline testpmd         scripts/bench-rx.sh: dpdk-testpmd io forwarding on one core between
#                            two net_null ports (and with copy=1), next to tests/bench/bench_rx
#   baseline usrsctp         tests/bench/usrsctp_perf (libusrsctp, raw IP, no UDP encapsulation)
#                            between two network namespaces joined by a veth pair (198.18.250.0/24):
#                            bulk 128 B, 1400 B and 64 KiB (the receiver counts), and
#                            request/response 128 B on 1 and 16 associations (round-trip
#                            percentiles). Root only: skipped otherwise, and said so.
#   baseline crc32c          tests/bench/bench_crc32c: rte_hash_crc against dpsctp_crc32c
#
# Output, in --out:
#   results.csv    one line per dpsctp-perf point, the columns of its summary line:
#                  mode,size,assocs,streams,order,pattern,msgs_per_s,gbit_per_s,pkts_per_s,
#                  retrans,cycles_per_msg,p50_us,p99_us,p999_us,max_us ("-" = not measured; a
#                  point that failed has "-" everywhere past pattern and is named in report.md)
#   baselines.csv  baseline,case,metric,value,unit: usrsctp (the same summary keys), testpmd_io
#                  and testpmd_io_copy (pkts_per_s mean/median/best, cycles_per_pkt), bench_rx,
#                  crc32c (ns per buffer for rte_hash_crc and ours, ratio)
#   report.md      the machine (CPU, cores, DPDK, kernel, usrsctp, commit, date), the four aims as
#                  ratios against this run's baselines (met / not met), a table per mode, the
#                  baselines, failed points, and the plots:
#   bench-msgs.png     messages/s against message size, a line per association count and order,
#                      usrsctp's points beside them
#   bench-goodput.png  goodput (Gbit/s) against message size, the same lines
#   bench-latency.png  request/response round-trip p50 / p99 / p99.9 / max, ours and usrsctp's
#   *.dat          the plots' data (gnuplot input)
#   logs/          every run's output, numbered as in the progress lines
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

build=build
out=bench-out
seconds=2
warmup=0.5
quick=
publish=
perf=
baselines=1
eal=()
usage() {
	sed -n '/^# Usage:/,/^#   --no-baselines/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	--publish) publish=1; shift ;;
	--perf) perf=$2; shift 2 ;;
	--no-baselines) baselines=; shift ;;
	--) shift; eal=("$@"); break ;;
	*) usage ;;
	esac
done
# --quick shortens the points unless --seconds said otherwise
[ -n "$quick" ] && [ "$seconds" = 2 ] && seconds=1

# ---- build ----

[ -d "$build" ] || meson setup "$build" -Dtests=enabled >/dev/null || exit 1
targets=(tests/bench/bench_crc32c tests/bench/bench_rx)
[ -z "$perf" ] && targets+=(control/perf/dpsctp-perf)
[ -f tests/bench/usrsctp_perf.c ] && targets+=(tests/bench/usrsctp_perf)

# Only what the report runs, so that work in progress elsewhere in the tree does not stop it;
# a target this tree does not define is skipped.
for t in "${targets[@]}"; do
	if ! ninja -C "$build" "$t" >"$build/bench-build.log" 2>&1; then
		if grep -q "unknown target" "$build/bench-build.log"; then
			echo "bench: $t is not a target of $build (skipped)" >&2
		else
			tail -n 5 "$build/bench-build.log" | sed 's/^/  /' >&2
			echo "bench: building $t failed (the last build, if any, is used)" >&2
			[ "$t" = control/perf/dpsctp-perf ] && exit 1
		fi
	fi
done
[ -n "$perf" ] || perf=$build/control/perf/dpsctp-perf
if [ ! -x "$perf" ]; then
	echo "bench: no dpsctp-perf at $perf" >&2
	exit 1
fi
USRSCTP_PERF=$build/tests/bench/usrsctp_perf
CRC_BENCH=$build/tests/bench/bench_crc32c

mkdir -p "$out/logs" || exit 1
rm -f "$out"/logs/*.log "$out"/*.png "$out"/*.dat
RESULTS=$out/results.csv
BASELINES=$out/baselines.csv
REPORT=$out/report.md
KEYS=(mode size assocs streams order pattern msgs_per_s gbit_per_s pkts_per_s retrans
	cycles_per_msg p50_us p99_us p999_us max_us)
(IFS=,; echo "${KEYS[*]}") >"$RESULTS"
echo "baseline,case,metric,value,unit" >"$BASELINES"
FAILED=()
SKIPPED=()

# ---- clean-up: whatever is running, the namespaces ----

TMP=$(mktemp -d /tmp/dpsctp-bench.XXXXXX)
NS_S=dpsctp-bench-$$-s
NS_C=dpsctp-bench-$$-c
VETH_S=dpb$$s
VETH_C=dpb$$c
CHILD=
SERVER=
NETNS_MADE=
cleanup() {
	local p

	for p in $CHILD $SERVER; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $CHILD $SERVER; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# EAL run directories our runs left (dpsctp-perf's are named after its PID): those made
	# during this run whose process is gone
	for p in /var/run/dpdk/*; do
		[ -d "$p" ] || continue
		grep -qxF "$p" "$TMP/dpdk-dirs" 2>/dev/null && continue
		case ${p##*/} in
		dpsctp_perf_[0-9]*) kill -0 "${p##*_}" 2>/dev/null && continue ;;
		perf_rx | bench_rx_testpmd) ;;
		*) continue ;;
		esac
		rm -rf "$p"
	done
	if [ -n "$NETNS_MADE" ]; then
		ip netns del "$NS_S" 2>/dev/null
		ip netns del "$NS_C" 2>/dev/null
	fi
	rm -rf "$TMP"
}
ls -d /var/run/dpdk/* >"$TMP/dpdk-dirs" 2>/dev/null
trap cleanup EXIT
trap 'echo; echo "bench: interrupted" >&2; exit 130' INT TERM

# ---- the plan: every step, so the progress can count ----

if [ -n "$quick" ]; then
	SIZES=(128 1400 65536)
	ASSOCS=(1 16)
	RR_ASSOCS=(1 16)
	ORDERS=(ordered)
	RX=("128 64")
else
	SIZES=(64 128 512 1400 4096 65536)
	ASSOCS=(1 16 1024)
	RR_ASSOCS=(1 16 1024)
	ORDERS=(ordered unordered)
	RX=("64 64" "128 1" "128 64" "1400 64")
fi
US_BULK=("128 1" "128 16" "1400 1" "65536 1")
US_RR_ASSOCS=(1 16) # usrsctp's round trips (and the latency aims); dpsctp's go to 1,024
RX_TRIES=3          # rx points: the best of this many runs
STEPS=()
for o in "${ORDERS[@]}"; do
	for a in "${ASSOCS[@]}"; do
		for s in "${SIZES[@]}"; do
			STEPS+=("b2b $s $a $o bulk")
		done
	done
done
# the 128-byte unordered point is in every run: the small-message aim may be met by either order
[ -n "$quick" ] && STEPS+=("b2b 128 1 unordered bulk")
for a in "${RR_ASSOCS[@]}"; do
	STEPS+=("b2b 128 $a ordered rr")
done
for x in "${RX[@]}"; do
	read -r s a <<<"$x"
	STEPS+=("rx $s $a ordered bulk")
done
if [ -n "$baselines" ]; then
	STEPS+=("testpmd")
	for x in "${US_BULK[@]}"; do
		STEPS+=("usrsctp $x ordered bulk")
	done
	for a in "${US_RR_ASSOCS[@]}"; do
		STEPS+=("usrsctp 128 $a ordered rr")
	done
	STEPS+=("crc32c")
fi
NSTEPS=${#STEPS[@]}
STEP=0

# ---- helpers ----

# run_logged LOG TIMEOUT CMD...: run in the background (so the trap can stop it), output to LOG
run_logged() {
	local log=$1 limit=$2 rc
	shift 2

	timeout --kill-after=5 "$limit" "$@" >"$log" 2>&1 </dev/null &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	CHILD=
	return $rc
}

progress() { # LABEL: start a progress line
	STEP=$((STEP + 1))
	LOG=$(printf '%s/logs/%02d-%s.log' "$out" "$STEP" "$(tr -c 'A-Za-z0-9.\n-' '_' <<<"${1%% (*}")")
	printf '[%d/%d] %s ... ' "$STEP" "$NSTEPS" "$1"
}

# sumfield LINE KEY: KEY's value in a summary line, "-" when absent
sumfield() { awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); f = 1 } } END { if (!f) print "-" }' <<<"$1"; }

# human MSGS_PER_S GBIT_PER_S [P99_US]: the end of a progress line
human() {
	awk -v m="$1" -v g="$2" -v p="${3:--}" 'BEGIN {
		s = (m == "-") ? "-" : sprintf("%.3f Mmsg/s", m / 1e6)
		if (g != "-") s = s sprintf("  %.3f Gbit/s", g)
		if (p != "-") s = s sprintf("  p99 %s us", p)
		print s }'
}

baseline() { # BASELINE CASE METRIC VALUE UNIT
	[ -n "$4" ] && [ "$4" != "-" ] && echo "$1,$2,$3,$4,$5" >>"$BASELINES"
}

# the row of a summary line for results.csv
csv_row() {
	local line=$1 k row=""

	for k in "${KEYS[@]}"; do
		row+="${row:+,}$(sumfield "$line" "$k")"
	done
	echo "$row"
}

# ---- dpsctp-perf ----

perf_point() { # MODE SIZE ASSOCS ORDER PATTERN
	local mode=$1 size=$2 assocs=$3 order=$4 pattern=$5 label args rc line

	label="$mode size=$size assocs=$assocs $order"
	[ "$pattern" = rr ] && label+=" rr"
	progress "$label"
	args=(--mode "$mode" --size "$size" --assocs "$assocs" --seconds "$seconds"
		--warmup "$warmup" --quiet)
	[ "$order" = unordered ] && args+=(--unordered)
	[ "$mode" = b2b ] && args+=(--pattern "$pattern")
	[ "${#eal[@]}" -gt 0 ] && args+=(-- "${eal[@]}")
	run_logged "$LOG" "$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 90 }')" \
		"$perf" "${args[@]}"
	rc=$?
	line=$(grep '^summary ' "$LOG" | tail -n 1)
	# rx: the generator shares the machine and at times cannot keep the worker busy (its
	# "busy loops" share falls): the best of RX_TRIES runs is the worker's figure
	if [ "$mode" = rx ] && [ -n "$line" ]; then
		local t best other
		best=$line
		for ((t = 1; t < RX_TRIES; t++)); do
			run_logged "$LOG.$t" "$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 90 }')" \
				"$perf" "${args[@]}"
			other=$(grep '^summary ' "$LOG.$t" | tail -n 1)
			[ -n "$other" ] && awk -v a="$(sumfield "$other" pkts_per_s)" \
				-v b="$(sumfield "$best" pkts_per_s)" 'BEGIN { exit !(a > b) }' && best=$other
		done
		line=$best
	fi
	if [ -z "$line" ]; then
		echo "FAILED (exit $rc, see $LOG)"
		FAILED+=("$label: exit $rc, $(grep -v '^\[' "$LOG" | tail -n 1)")
		echo "$mode,$size,$assocs,1,$order,$pattern,-,-,-,-,-,-,-,-,-" >>"$RESULTS"
		return
	fi
	csv_row "$line" >>"$RESULTS"
	human "$(sumfield "$line" msgs_per_s)" "$(sumfield "$line" gbit_per_s)" \
		"$(sumfield "$line" p99_us)"
}

# ---- baseline: testpmd io forwarding (scripts/bench-rx.sh) ----

testpmd_baseline() {
	local rc frame row

	progress "testpmd io forwarding, net_null (scripts/bench-rx.sh)"
	if ! command -v dpdk-testpmd >/dev/null; then
		echo "skipped: no dpdk-testpmd (Debian package dpdk)"
		SKIPPED+=("testpmd: no dpdk-testpmd")
		return
	fi
	run_logged "$LOG" 300 "$ROOT/scripts/bench-rx.sh" --build "$build" \
		--seconds "$(awk -v s="$seconds" 'BEGIN { printf "%d", s < 1 ? 1 : s + 0.5 }')"
	rc=$?
	frame=$(sed -n 's/^== dpdk-testpmd:.* \([0-9]*\)-byte frames.*/\1/p' "$LOG")
	# | name | mean | median | best | cycles/packet |, in Mpps
	row() { grep -F "| $1 |" "$LOG" | head -n 1; }
	put() { # BASELINE CASE ROW
		[ -n "$3" ] || return 1
		awk -F'|' -v b="$1" -v c="$2" '{
			printf "%s,%s,pkts_per_s_mean,%.0f,pkt/s\n", b, c, $3 * 1e6
			printf "%s,%s,pkts_per_s_median,%.0f,pkt/s\n", b, c, $4 * 1e6
			printf "%s,%s,pkts_per_s_best,%.0f,pkt/s\n", b, c, $5 * 1e6
			printf "%s,%s,cycles_per_pkt,%.1f,cycles\n", b, c, $6 + 0 }' <<<"$3" >>"$BASELINES"
	}
	if ! put testpmd_io "net_null frame=$frame" "$(row 'testpmd io, net_null')"; then
		echo "FAILED (exit $rc, see $LOG)"
		FAILED+=("testpmd baseline: exit $rc, $(tail -n 1 "$LOG")")
		return
	fi
	put testpmd_io_copy "net_null copy=1 frame=$frame" "$(row 'testpmd io, net_null copy=1')"
	row=$(grep -F '| dpsctpd worker:' "$LOG" | head -n 1)
	put bench_rx "$(awk -F'|' '{ gsub(/^ *dpsctpd worker: *| *$/, "", $2); gsub(/,/, ";", $2); print $2 }' <<<"$row")" "$row"
	awk -F, '$1 == "testpmd_io" && $3 == "pkts_per_s_mean" { printf "%.3f Mpkt/s (mean)\n", $4 / 1e6 }' "$BASELINES"
}

# ---- baseline: usrsctp over raw IP between two namespaces ----

USRSCTP_OK=
USRSCTP_WHY=
usrsctp_setup() {
	[ "$(id -u)" -eq 0 ] || { USRSCTP_WHY="not root (raw IP and namespaces need it)"; return 1; }
	[ -x "$USRSCTP_PERF" ] || { USRSCTP_WHY="no $USRSCTP_PERF (libusrsctp-dev missing?)"; return 1; }
	command -v ip >/dev/null && ip netns list >/dev/null 2>&1 ||
		{ USRSCTP_WHY="no usable 'ip netns' (iproute2)"; return 1; }
	# a kernel SCTP stack would answer usrsctp's packets in the namespaces with ABORTs
	[ -e /proc/net/sctp ] &&
		echo "bench: warning: the kernel's SCTP module is loaded; usrsctp over raw IP may fail" >&2
	NETNS_MADE=1
	ip netns add "$NS_S" && ip netns add "$NS_C" &&
		ip link add "$VETH_S" type veth peer name "$VETH_C" &&
		ip link set "$VETH_S" netns "$NS_S" && ip link set "$VETH_C" netns "$NS_C" &&
		ip -n "$NS_S" addr add 198.18.250.1/24 dev "$VETH_S" &&
		ip -n "$NS_C" addr add 198.18.250.2/24 dev "$VETH_C" &&
		ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up &&
		ip -n "$NS_S" link set "$VETH_S" up && ip -n "$NS_C" link set "$VETH_C" up ||
		{ USRSCTP_WHY="could not set up the namespaces and the veth pair"; return 1; }
	ip netns exec "$NS_S" "$USRSCTP_PERF" server --local 198.18.250.1 --port 5001 \
		>"$out/logs/usrsctp-server.log" 2>&1 </dev/null &
	SERVER=$!
	for _ in $(seq 50); do
		grep -q listening "$out/logs/usrsctp-server.log" 2>/dev/null && return 0
		kill -0 "$SERVER" 2>/dev/null || break
		sleep 0.1
	done
	USRSCTP_WHY="the usrsctp server did not start (see $out/logs/usrsctp-server.log)"
	return 1
}

usrsctp_point() { # SIZE ASSOCS ORDER PATTERN
	local size=$1 assocs=$2 order=$3 pattern=$4 label args rc line k c

	label="usrsctp size=$size assocs=$assocs $order $pattern"
	progress "$label"
	if [ -z "$USRSCTP_OK" ]; then
		if [ -z "$USRSCTP_WHY" ] && usrsctp_setup; then
			USRSCTP_OK=1
		else
			[ -n "$USRSCTP_WHY" ] || USRSCTP_WHY="set-up failed"
			echo "skipped: $USRSCTP_WHY"
			return
		fi
	fi
	args=(client --peer 198.18.250.1 --local 198.18.250.2 --port 5001 --size "$size"
		--assocs "$assocs" --pattern "$pattern" --seconds "$seconds" --warmup "$warmup")
	[ "$order" = unordered ] && args+=(--unordered)
	run_logged "$LOG" "$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 30 }')" \
		ip netns exec "$NS_C" "$USRSCTP_PERF" "${args[@]}"
	rc=$?
	line=$(grep '^summary ' "$LOG" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAILED (exit $rc, see $LOG)"
		FAILED+=("$label: exit $rc, $(tail -n 1 "$LOG")")
		return
	fi
	c="$pattern size=$size assocs=$assocs $order"
	for k in msgs_per_s gbit_per_s p50_us p99_us p999_us max_us; do
		case $k in
		msgs_per_s) u=msg/s ;; gbit_per_s) u=Gbit/s ;; *) u=us ;;
		esac
		baseline usrsctp "$c" "$k" "$(sumfield "$line" "$k")" "$u"
	done
	human "$(sumfield "$line" msgs_per_s)" "$(sumfield "$line" gbit_per_s)" \
		"$(sumfield "$line" p99_us)"
}

# ---- baseline: CRC32c ----

crc_baseline() {
	local rc

	progress "crc32c: rte_hash_crc vs dpsctp_crc32c (bench_crc32c)"
	if [ ! -x "$CRC_BENCH" ]; then
		echo "skipped: no $CRC_BENCH"
		SKIPPED+=("crc32c: no $CRC_BENCH")
		return
	fi
	run_logged "$LOG" 300 "$CRC_BENCH" --csv "$TMP/crc.csv"
	rc=$?
	if [ ! -s "$TMP/crc.csv" ]; then
		echo "FAILED (exit $rc, see $LOG)"
		FAILED+=("crc32c baseline: exit $rc")
		return
	fi
	# size,reference_ns,rte_hash_crc_ns,dpsctp_ns,dpsctp_gbps,kernel,ratio,...
	awk -F, 'NR > 1 {
		printf "crc32c,size=%s,rte_hash_crc_ns,%s,ns\n", $1, $3
		printf "crc32c,size=%s,dpsctp_ns,%s,ns\n", $1, $4
		printf "crc32c,size=%s,ratio,%s,x\n", $1, $7 }' "$TMP/crc.csv" >>"$BASELINES"
	awk -F, 'NR > 1 && $1 >= 1400 && !d { printf "%s B: ours %.1f ns, rte_hash_crc %.1f ns (%.2fx)\n", $1, $4, $3, $7; d = 1 }' \
		"$TMP/crc.csv"
}

# ---- run ----

START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$SECONDS
echo "bench: $NSTEPS steps, $seconds s per point after $warmup s of warm-up; output in $out/"
for st in "${STEPS[@]}"; do
	read -r kind a b c d <<<"$st"
	case $kind in
	b2b | rx) perf_point "$kind" "$a" "$b" "$c" "$d" ;;
	testpmd) testpmd_baseline ;;
	usrsctp) usrsctp_point "$a" "$b" "$c" "$d" ;;
	crc32c) crc_baseline ;;
	esac
done
[ -n "$USRSCTP_WHY" ] && SKIPPED+=("usrsctp: $USRSCTP_WHY")
ELAPSED=$((SECONDS - T0))

# ---- the report ----

# res MODE SIZE ASSOCS ORDER PATTERN KEY: a value from results.csv ("-" when absent)
res() {
	awk -F, -v m="$1" -v s="$2" -v a="$3" -v o="$4" -v p="$5" -v k="$6" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == m && $2 == s && $3 == a && $5 == o && $6 == p { v = $col[k] }
		END { print (v == "" ? "-" : v) }' "$RESULTS"
}
# bl BASELINE CASE METRIC
bl() {
	awk -F, -v b="$1" -v c="$2" -v m="$3" '$1 == b && $2 == c && $3 == m { v = $4 }
		END { print (v == "" ? "-" : v) }' "$BASELINES"
}
# pct OURS BASE: ours as a percentage of base
pct() { awk -v p="$1" -v t="$2" 'BEGIN { if (p == "-" || t == "-" || t <= 0) print "-"; else printf "%.1f%%\n", 100 * p / t }'; }
# fmt VALUE SCALE DECIMALS
fmt() { awk -v v="$1" -v s="$2" -v d="$3" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.*f\n", d, v / s }'; }

# aim_row NAME OURS BASE RATIO_KIND TARGET UNIT DECIMALS SCALE: RATIO_KIND "over" (ours/base) or
# "under" (base/ours: lower is better)
aim_row() {
	awk -v n="$1" -v o="$2" -v b="$3" -v k="$4" -v t="$5" -v u="$6" -v d="$7" -v sc="$8" 'BEGIN {
		if (o == "-" || b == "-" || o + 0 <= 0 || b + 0 <= 0) {
			printf "| %s | %s | %s | - | %s | not measured |\n", n,
				o == "-" ? "-" : sprintf("%.*f %s", d, o / sc, u),
				b == "-" ? "-" : sprintf("%.*f %s", d, b / sc, u), t
			exit
		}
		r = (k == "over") ? o / b : b / o
		if (t ~ /%/) { tv = t; sub(/[^0-9.]*%.*/, "", tv); sub(/^[^0-9.]*/, "", tv); rs = sprintf("%.1f%%", 100 * r); met = 100 * r >= tv + 0 }
		else { tv = t; sub(/^[^0-9.]*/, "", tv); rs = sprintf("%.2fx", r); met = r >= tv + 0 }
		printf "| %s | %.*f %s | %.*f %s | %s | %s | %s |\n", n, d, o / sc, u, d, b / sc, u, rs, t,
			met ? "**met**" : "not met" }'
}

CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: //')
NCPU=$(nproc)
DPDK=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
USV=$(pkg-config --modversion usrsctp 2>/dev/null || dpkg-query -W -f='${Version}' libusrsctp2 2>/dev/null || echo unknown)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT+=" (with local changes)"
FREQ=$(grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/^.*: //')

{
	echo "# dpsctp performance report"
	echo
	echo "Generated by \`scripts/bench.sh${quick:+ --quick}\` on $START in $((ELAPSED / 60)) min $((ELAPSED % 60)) s: $seconds s per point after $warmup s of warm-up."
	echo
	echo "| machine | |"
	echo "|---|---|"
	echo "| CPU | $CPU (${FREQ%.*} MHz) |"
	echo "| cores | $NCPU (load average at start: $LOAD0, at the end: $(cut -d' ' -f1-3 /proc/loadavg)) |"
	echo "| kernel | $(uname -r) |"
	echo "| DPDK | $DPDK |"
	echo "| usrsctp | $USV |"
	echo "| OS | $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") |"
	echo "| dpsctp | $COMMIT |"
	echo
	echo "## Aims (ratios measured in this run)"
	echo
	echo "| aim | dpsctp | baseline | ratio | target | |"
	echo "|---|---:|---:|---:|---:|---|"
	for a in 1 16; do
		o=$(res b2b 128 "$a" ordered bulk msgs_per_s)
		u=$(res b2b 128 "$a" unordered bulk msgs_per_s)
		# the better of the two orders: usrsctp's figure is ordered, one association per thread
		best=$(awk -v o="$o" -v u="$u" 'BEGIN { if (u != "-" && (o == "-" || u + 0 > o + 0)) print u; else print o }')
		aim_row "128 B messages/s, $a assoc(s), vs usrsctp (b2b)" "$best" \
			"$(bl usrsctp "bulk size=128 assocs=$a ordered" msgs_per_s)" over ">= 10x" Mmsg/s 3 1e6
	done
	for s in 65536 1400; do
		aim_row "bulk goodput, $s B, 1 assoc, vs usrsctp" "$(res b2b "$s" 1 ordered bulk gbit_per_s)" \
			"$(bl usrsctp "bulk size=$s assocs=1 ordered" gbit_per_s)" over ">= 3x" Gbit/s 3 1
	done
	tp_case=$(awk -F, '$1 == "testpmd_io" { print $2; exit }' "$BASELINES")
	tp=$(bl testpmd_io "$tp_case" pkts_per_s_mean)
	tpc=$(bl testpmd_io_copy "$(awk -F, '$1 == "testpmd_io_copy" { print $2; exit }' "$BASELINES")" pkts_per_s_mean)
	for x in "${RX[@]}"; do
		read -r s a <<<"$x"
		aim_row "per-worker receive, $s B DATA, $a assocs, vs testpmd io${tp_case:+ ($tp_case)}" \
			"$(res rx "$s" "$a" ordered bulk pkts_per_s)" "$tp" over ">= 25%" Mpkt/s 3 1e6
	done
	for a in "${US_RR_ASSOCS[@]}"; do
		aim_row "request/response p99, 128 B, $a assoc(s), vs usrsctp (lower is better)" \
			"$(res b2b 128 "$a" ordered rr p99_us)" \
			"$(bl usrsctp "rr size=128 assocs=$a ordered" p99_us)" under ">= 5x lower" us 1 1
	done
	echo
	echo "dpsctp's b2b runs both stacks on this machine's cores over a net_ring pair; usrsctp's"
	echo "runs both ends over raw IP on a veth pair between two namespaces (the kernel's IP and"
	echo "the veth in its path, as usrsctp always has). Both figures count what the receiver got."
	echo
	for o in "${ORDERS[@]}"; do
		echo "## b2b bulk, $o"
		echo
		hdr="| size |"
		sep="|---:|"
		for a in "${ASSOCS[@]}"; do
			hdr+=" $a assoc Mmsg/s | Gbit/s | cycles/msg |"
			sep+="---:|---:|---:|"
		done
		echo "$hdr"
		echo "$sep"
		for s in "${SIZES[@]}"; do
			row="| $s |"
			for a in "${ASSOCS[@]}"; do
				row+=" $(fmt "$(res b2b "$s" "$a" "$o" bulk msgs_per_s)" 1e6 3) |"
				row+=" $(fmt "$(res b2b "$s" "$a" "$o" bulk gbit_per_s)" 1 3) |"
				row+=" $(fmt "$(res b2b "$s" "$a" "$o" bulk cycles_per_msg)" 1 0) |"
			done
			echo "$row"
		done
		echo
	done
	[ -n "$quick" ] && {
		echo "b2b 128 B, 1 assoc, unordered: $(fmt "$(res b2b 128 1 unordered bulk msgs_per_s)" 1e6 3) Mmsg/s"
		echo
	}
	echo "## Request/response, 128 B (round trip, microseconds)"
	echo
	echo "| stack | assocs | transactions/s | p50 | p99 | p99.9 | max |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for a in "${RR_ASSOCS[@]}"; do
		echo "| dpsctp b2b | $a | $(fmt "$(res b2b 128 "$a" ordered rr msgs_per_s)" 1 0) | $(res b2b 128 "$a" ordered rr p50_us) | $(res b2b 128 "$a" ordered rr p99_us) | $(res b2b 128 "$a" ordered rr p999_us) | $(res b2b 128 "$a" ordered rr max_us) |"
	done
	for a in "${US_RR_ASSOCS[@]}"; do
		c="rr size=128 assocs=$a ordered"
		echo "| usrsctp, raw IP over veth | $a | $(fmt "$(bl usrsctp "$c" msgs_per_s)" 1 0) | $(bl usrsctp "$c" p50_us) | $(bl usrsctp "$c" p99_us) | $(bl usrsctp "$c" p999_us) | $(bl usrsctp "$c" max_us) |"
	done
	echo
	echo "## Per-worker receive (rx mode) against testpmd io forwarding on one core"
	echo
	echo "| DATA size | assocs | Mpkt/s | Mmsg/s | cycles/msg | of testpmd io | of testpmd io copy=1 |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for x in "${RX[@]}"; do
		read -r s a <<<"$x"
		p=$(res rx "$s" "$a" ordered bulk pkts_per_s)
		echo "| $s | $a | $(fmt "$p" 1e6 3) | $(fmt "$(res rx "$s" "$a" ordered bulk msgs_per_s)" 1e6 3) | $(fmt "$(res rx "$s" "$a" ordered bulk cycles_per_msg)" 1 0) | $(pct "$p" "$tp") | $(pct "$p" "$tpc") |"
	done
	echo
	echo "## Baselines"
	echo
	echo "| baseline | case | Mpkt/s mean | median | best | cycles/packet |"
	echo "|---|---|---:|---:|---:|---:|"
	awk -F, '$1 ~ /^(testpmd_io|testpmd_io_copy|bench_rx)$/ { k = $1 FS $2; if (!(k in seen)) { seen[k] = 1; order[n++] = k } v[k, $3] = $4 }
		END { for (i = 0; i < n; i++) { split(order[i], p, FS)
			printf "| %s | %s | %.3f | %.3f | %.3f | %.1f |\n", p[1], p[2],
				v[order[i], "pkts_per_s_mean"] / 1e6, v[order[i], "pkts_per_s_median"] / 1e6,
				v[order[i], "pkts_per_s_best"] / 1e6, v[order[i], "cycles_per_pkt"] } }' "$BASELINES"
	echo
	echo "| usrsctp | Mmsg/s | Gbit/s | p50 us | p99 us |"
	echo "|---|---:|---:|---:|---:|"
	awk -F, '$1 == "usrsctp" { if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } v[$2, $3] = $4 }
		END { for (i = 0; i < n; i++) { c = order[i]
			p50 = v[c, "p50_us"]; p99 = v[c, "p99_us"]
			printf "| %s | %.3f | %.3f | %s | %s |\n", c, v[c, "msgs_per_s"] / 1e6,
				v[c, "gbit_per_s"], p50 == "" ? "-" : p50, p99 == "" ? "-" : p99 } }' "$BASELINES"
	echo
	echo "| CRC32c, buffer size | rte_hash_crc ns | dpsctp ns | ours faster by |"
	echo "|---:|---:|---:|---:|"
	awk -F, '$1 == "crc32c" { s = $2; sub(/size=/, "", s); if (!(s in seen)) { seen[s] = 1; order[n++] = s } v[s, $3] = $4 }
		END { for (i = 0; i < n; i++) { s = order[i]
			printf "| %s | %s | %s | %sx |\n", s, v[s, "rte_hash_crc_ns"], v[s, "dpsctp_ns"], v[s, "ratio"] } }' "$BASELINES"
	echo
	echo "## Plots"
	echo
	echo "![messages/s against message size](bench-msgs.png)"
	echo
	echo "![goodput against message size](bench-goodput.png)"
	echo
	echo "![request/response latency](bench-latency.png)"
	echo
	if [ "${#FAILED[@]}" -gt 0 ] || [ "${#SKIPPED[@]}" -gt 0 ]; then
		echo "## Not measured"
		echo
		for f in "${FAILED[@]}"; do echo "- failed: $f"; done
		for f in "${SKIPPED[@]}"; do echo "- skipped: $f"; done
		echo
	fi
	echo "Raw figures: results.csv (dpsctp-perf), baselines.csv; each run's output in logs/."
} >"$REPORT"

# ---- plots ----

plot() {
	local term="pngcairo size 960,640 font ',10'" gp=$TMP/plot.gp o a f t st lc msgs=() good=() lat

	if ! command -v gnuplot >/dev/null; then
		echo "bench: no gnuplot (Debian package gnuplot-nox): no plots" >&2
		return
	fi
	gnuplot -e 'set terminal pngcairo' 2>/dev/null || term="png size 960,600"
	for o in "${ORDERS[@]}"; do
		lc=0
		for a in "${ASSOCS[@]}"; do
			lc=$((lc + 1)) # colour per association count, the same in both orders
			f=$out/b2b-$o-$a.dat
			awk -F, -v o="$o" -v a="$a" '$1 == "b2b" && $3 == a && $5 == o && $6 == "bulk" && $7 != "-" { print $2, $7, $8 }' "$RESULTS" | sort -n >"$f"
			[ -s "$f" ] || continue
			t="dpsctp $a assoc $o"
			st="with linespoints lw 2 lc $lc pt $lc"
			[ "$o" = unordered ] && st+=" dashtype 2"
			msgs+=("'$f' using 1:2 $st title '$t'")
			good+=("'$f' using 1:3 $st title '$t'")
		done
	done
	for a in 1 16; do
		f=$out/usrsctp-$a.dat
		awk -F, -v a="assocs=$a" '$1 == "usrsctp" && $2 ~ ("^bulk ") && index($2, " " a " ") { s = $2; sub(/.*size=/, "", s); sub(/ .*/, "", s); v[s, $3] = $4; sz[s] = 1 }
			END { for (s in sz) print s, v[s, "msgs_per_s"], v[s, "gbit_per_s"] }' "$BASELINES" | sort -n >"$f"
		[ -s "$f" ] || continue
		st="with points pt $([ "$a" = 1 ] && echo 7 || echo 5) ps 2 lc rgb 'black'"
		msgs+=("'$f' using 1:2 $st title 'usrsctp $a assoc (raw IP, veth)'")
		good+=("'$f' using 1:3 $st title 'usrsctp $a assoc (raw IP, veth)'")
	done
	lat=$out/latency.dat
	{
		echo "stack p50 p99 p99.9 max"
		for a in "${RR_ASSOCS[@]}"; do
			awk -F, -v a="$a" '$1 == "b2b" && $3 == a && $6 == "rr" && $12 != "-" { printf "\"dpsctp %s assoc\" %s %s %s %s\n", a, $12, $13, $14, $15 }' "$RESULTS"
			c="rr size=128 assocs=$a ordered"
			[ "$(bl usrsctp "$c" p99_us)" != "-" ] &&
				echo "\"usrsctp $a assoc\" $(bl usrsctp "$c" p50_us) $(bl usrsctp "$c" p99_us) $(bl usrsctp "$c" p999_us) $(bl usrsctp "$c" max_us)"
		done
	} >"$lat"
	{
		echo "set terminal $term"
		echo "set grid; set key below maxrows 3; set logscale x 2; set offsets graph 0.03, graph 0.03, 0, 0; set xlabel 'message size (bytes)'"
		(IFS=,; echo "set xtics (${SIZES[*]}); set format y '%.0s%c'")
		echo "set title 'dpsctp b2b bulk vs usrsctp: messages/s ($CPU, $NCPU cores)' noenhanced"
		if [ "${#msgs[@]}" -gt 0 ]; then
			echo "set output '$out/bench-msgs.png'; set logscale y; set ylabel 'messages/s'"
			(IFS=,; echo "plot ${msgs[*]}")
			echo "set title 'dpsctp b2b bulk vs usrsctp: goodput' noenhanced"
			echo "set output '$out/bench-goodput.png'; set ylabel 'Gbit/s'"
			(IFS=,; echo "plot ${good[*]}")
		fi
		if [ "$(wc -l <"$lat")" -gt 1 ]; then
			echo "unset logscale x; set xtics auto; set format y '%g'; set logscale y; set xlabel ''; set ylabel 'round trip (us)'"
			echo "set title 'request/response, 128 B: round-trip percentiles' noenhanced"
			echo "set style data histograms; set style histogram clustered gap 1"
			echo "set style fill solid 0.8 border -1; set boxwidth 0.9; set yrange [0.1:*]"
			echo "set output '$out/bench-latency.png'"
			echo "plot '$lat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5)"
		fi
	} >"$gp"
	gnuplot "$gp" >"$out/logs/gnuplot.log" 2>&1 || {
		echo "bench: gnuplot failed (see $out/logs/gnuplot.log)" >&2
		cp "$gp" "$out/logs/plot.gp"
	}
}
plot

if [ -n "$publish" ]; then
	mkdir -p tests/bench/report
	cp "$REPORT" "$RESULTS" "$BASELINES" tests/bench/report/
	cp "$out"/bench-*.png tests/bench/report/ 2>/dev/null
	echo "bench: published to tests/bench/report/"
fi

echo
sed -n '/^## Aims/,/^dpsctp.s b2b runs/p' "$REPORT" | sed '$d'
echo "bench: $NSTEPS steps in $((ELAPSED / 60)) min $((ELAPSED % 60)) s; ${#FAILED[@]} failed, ${#SKIPPED[@]} skipped"
echo "bench: $REPORT, $RESULTS, $BASELINES, $(ls "$out"/bench-*.png 2>/dev/null | tr '\n' ' ')"
# non-zero only when dpsctp-perf measured nothing at all
awk -F, 'NR > 1 && $7 != "-" { ok = 1 } END { exit !ok }' "$RESULTS"
