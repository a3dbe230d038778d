#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Each mode of dpsctp-perf for a second: b2b bulk, b2b request/response (several associations,
# streams, unordered, outstanding requests), both again over net_memif between two processes, rx,
# and b2b bulk and request/response with 1,024 associations. Each must print a summary line whose keys are
# the contract's, with messages having gone through (and latency figures in rr); --csv gets a
# header and one line per run, --json an object. One line per case, `ok - ` / `not ok - `.
#
#   test_perf_modes.sh DPSCTP_PERF
# Exit: 0 all passed, 1 a case failed.
set -u
PERF=$1
WORK=$(mktemp -d /tmp/dpsctp-perf-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
KEYS="mode size assocs streams order pattern msgs_per_s gbit_per_s pkts_per_s retrans cycles_per_msg p50_us p99_us p999_us max_us"
failed=0

# CASE_NAME RR(0/1) ARGS...: run, check the summary line.
run() {
	local name=$1 rr=$2 out line keys k v
	shift 2
	out=$WORK/$name.log
	timeout 60 "$PERF" "$@" --seconds 1 --warmup 0.2 --quiet --csv "$WORK/runs.csv" \
		--json "$WORK/$name.json" >"$out" 2>&1
	v=$?
	line=$(grep '^summary ' "$out" | tail -1)
	if [ "$v" -ne 0 ] || [ -z "$line" ]; then
		echo "not ok - $name: exit $v, summary '${line}'"
		tail -20 "$out" | sed 's/^/#   /'
		failed=1
		return
	fi
	echo "# $line"
	keys=$(tr ' ' '\n' <<<"${line#summary }" | cut -d= -f1 | tr '\n' ' ')
	if [ "${keys% }" != "$KEYS" ]; then
		echo "not ok - $name: keys '$keys'"
		failed=1
		return
	fi
	declare -A f
	for k in ${line#summary }; do
		f[${k%%=*}]=${k#*=}
	done
	if ! awk -v m="${f[msgs_per_s]}" 'BEGIN { exit !(m > 0) }'; then
		echo "not ok - $name: no message went through"
		failed=1
	elif [ "$rr" = 1 ] && ! [[ ${f[p99_us]} =~ ^[0-9.]+$ && ${f[max_us]} =~ ^[0-9.]+$ ]]; then
		echo "not ok - $name: no latency figures"
		failed=1
	elif [ "$rr" = 0 ] && [ "${f[p50_us]}" != - ]; then
		echo "not ok - $name: latency figures outside rr"
		failed=1
	elif grep -q 'did not come back as sent' "$out"; then
		echo "not ok - $name: $(grep 'did not come back' "$out")"
		failed=1
	elif ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/$name.json"; then
		echo "not ok - $name: --json wrote no JSON"
		failed=1
	else
		echo "ok - $name"
	fi
}

run b2b-bulk 0 --mode b2b --size 512
run b2b-rr 1 --mode b2b --pattern rr --assocs 3 --streams 2 --unordered --outstanding 4
run b2b-memif-bulk 0 --mode b2b --link memif --assocs 2
run b2b-memif-rr 1 --mode b2b --link memif --pattern rr --outstanding 2
run rx 0 --mode rx --assocs 8
# the matrix's largest cells: 1,024 associations (a source with a local port each), all up
run b2b-bulk-1024 0 --mode b2b --assocs 1024 --size 128
run b2b-rr-1024 1 --mode b2b --pattern rr --assocs 1024 --size 128
n=$(wc -l <"$WORK/runs.csv")
if [ "$n" -eq 8 ] && head -1 "$WORK/runs.csv" | grep -q '^mode,size,assocs,streams,order,pattern,msgs_per_s,'; then
	echo "ok - csv: a header and a line per run"
else
	echo "not ok - csv: $n lines"
	sed 's/^/#   /' "$WORK/runs.csv"
	failed=1
fi
exit $failed
