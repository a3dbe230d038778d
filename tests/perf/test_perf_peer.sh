#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# dpsctp-perf's peer mode against usrsctp (Debian's libusrsctp-examples) over raw IP: our stack
# on net_tap ("dpperf0", 198.18.0.1), the kernel end moved into a namespace (198.18.0.2) where
# the usrsctp programs run. Client bulk toward discard_server (port 9), client rr toward
# echo_server (port 7), server bulk fed by tsctp. Each must print a summary with messages.
#
#   test_perf_peer.sh DPSCTP_PERF SOURCE_ROOT [LIBUSRSCTP_QUIET]
# KEEP=1 in the environment keeps the logs (the work directory under /tmp) for a look.
# Exit: 0 all passed, 77 skipped (not root, no `ip netns`, no usrsctp programs), 1 a case failed.
set -u
PERF=$1
SRC=$2
QUIET=${3:-}
USRSCTP=/usr/lib/usrsctp
NS=dpperf_$$
TAP=dpperf0

skip() {
	echo "skip: $*"
	exit 77
}
# shellcheck source=../../scripts/netns.sh
. "$SRC/scripts/netns.sh"
why=$(netns_test_needs "$USRSCTP" tsctp echo_server discard_server) || skip "$why"
PRELOAD=(env)
[ -n "$QUIET" ] && [ -f "$QUIET" ] && PRELOAD=(env "LD_PRELOAD=$QUIET")
WORK=$(mktemp -d /tmp/dpsctp-perf-peer.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	netns_destroy "$NS"
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
failed=0

# A fresh namespace per run (nothing left over from the previous peer); the tap is moved in, then
# the usrsctp program starts (usrsctp learns the host's addresses when it starts).

# NAME PEER ARGS...: start dpsctp-perf, move its tap's kernel end into the namespace once the
# port runs, start PEER (discard_server, echo_server, or tsctp toward us), wait for the summary.
run() {
	local name=$1 feed=$2 out pid line i v tp
	shift 2
	out=$WORK/$name.log
	netns_destroy "$NS"
	NS=dpperf_$$_$name
	if ! netns_create "$NS"; then
		echo "not ok - $name: namespace"
		failed=1
		return
	fi
	timeout 60 "$PERF" --mode peer --local 198.18.0.1/24 --seconds 1 --warmup 0.3 --quiet \
		"$@" >"$out" 2>&1 </dev/null &
	pid=$!
	PIDS+=("$pid")
	# the port's queues are opened by name in our namespace: move it once they exist
	for ((i = 0; i < 100; i++)); do
		grep -q '^dpsctp-perf: ready' "$out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! netns_take_iface "$NS" "$TAP" 02:00:00:00:00:02 198.18.0.2/24; then
		echo "not ok - $name: no tap $TAP"
		tail -20 "$out" | sed 's/^/#   /'
		failed=1
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	case $feed in
	tsctp)
		# the peer's ARP request teaches us its MAC (RFC 826 merge): our INIT ACK then needs no
		# resolution, which would drop it and leave tsctp to retransmit its INIT a second later
		timeout 10 ip netns exec "$NS" ping -c 1 -W 2 198.18.0.1 >/dev/null 2>&1 || true
		timeout 20 ip netns exec "$NS" "${PRELOAD[@]}" "$USRSCTP/tsctp" -E 0 -p 9 -l 512 \
			-T 15 198.18.0.1 >"$WORK/$name.peer.log" 2>&1 </dev/null &
		;;
	*)
		timeout 60 ip netns exec "$NS" "${PRELOAD[@]}" "$USRSCTP/$feed" 0 \
			>/dev/null 2>"$WORK/$name.peer.log" </dev/null &
		;;
	esac
	tp=$!
	PIDS+=("$tp")
	wait "$pid"
	v=$?
	kill -TERM "$tp" 2>/dev/null
	wait "$tp" 2>/dev/null
	line=$(grep '^summary ' "$out" | tail -1)
	if [ "$v" -ne 0 ] || [ -z "$line" ]; then
		echo "not ok - $name: exit $v"
		tail -20 "$out" | sed 's/^/#   /'
		failed=1
	elif ! awk -v l="$line" 'BEGIN { match(l, /msgs_per_s=[0-9.]+/);
			exit !(substr(l, RSTART + 11, RLENGTH - 11) > 0) }'; then
		echo "not ok - $name: no message went through: $line"
		failed=1
	else
		echo "# $line"
		echo "ok - $name"
	fi
	netns_destroy "$NS"
	# the tap went with its process; wait until it is gone before the next one is made
	for ((i = 0; i < 50; i++)); do
		ip link show "$TAP" >/dev/null 2>&1 || break
		sleep 0.1
	done
}

run client-bulk discard_server --peer 198.18.0.2 --port 9 --size 1000
run client-rr echo_server --peer 198.18.0.2 --port 7 --pattern rr --assocs 2 --outstanding 2
# The server's clock starts once tsctp's association is up; tsctp streams for 15 s, longer than
# the warm-up and the window, and is stopped when the summary is out. (dpsctp-perf once slept
# with rte_delay_us_sleep, which net_tap's signal per received packet stretched for as long as
# tsctp streamed: the window came after the stream and measured nothing, about half the runs.)
run server-bulk tsctp --role server --port 9 --seconds 4 --warmup 1.5
exit $failed
