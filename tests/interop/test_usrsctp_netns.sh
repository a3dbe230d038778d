#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Interop over a real network: dpsctpd on net_tap ports whose kernel ends are moved into network
# namespaces, where Debian's usrsctp example programs (libusrsctp-examples) run over raw IP (no
# UDP encapsulation) and ping checks ARP, ND and ICMP. Every packet is captured on the namespace
# side and checked by tshark at the end (CRC32c, nothing malformed).
#
#   test_usrsctp_netns.sh DPSCTPD DPSCTPCTL SOURCE_ROOT BUILD_DIR [LIBUSRSCTP_QUIET]
#
# LIBUSRSCTP_QUIET is tests/interop/usrsctp_quiet.c built as a shared library: preloaded into
# the usrsctp programs, it keeps usrsctp's debug output off (Debian's tsctp and servers turn it
# on: lines per packet, which also break the lines the test counts).
# Exit: 0 all passed, 77 skipped (not root, no `ip netns`, no usrsctp programs), 1 a case failed.
# One line per case (`ok - name` / `not ok - name: why`), then `N passed, M failed`.
#
# Three daemons in turn, each with its own EAL file prefix, attach socket, taps and namespace:
#   A  one tap: ping, dpsctpd's `source` services toward echo_server / tsctp / discard_server
#      (one of them opening 64 associations from a port range),
#      usrsctp `client` on our echo, tsctp toward our discard (1 B .. 64 KiB), an ABORT from
#      usrsctp, and SIGTERM with a client connected (graceful SHUTDOWN by us)
#   B  one tap, shutdown_wait_ms: 0: SIGTERM with a client connected (ABORT by us)
#   C  two taps into one namespace (two paths): a transfer to tsctp, one link cut mid-transfer
set -u
trap '' PIPE # a peer that died must not kill the script through a FIFO

if [ $# -lt 4 ]; then
	echo "usage: $0 DPSCTPD DPSCTPCTL SOURCE_ROOT BUILD_DIR [LIBUSRSCTP_QUIET]" >&2
	exit 2
fi
DPSCTPD=$1
DPSCTPCTL=$2
SRC=$3
BUILD=$4
QUIET=${5:-}
USRSCTP=/usr/lib/usrsctp

skip() {
	echo "skip: $*"
	exit 77
}
# shellcheck source=../../scripts/netns.sh
. "$SRC/scripts/netns.sh"
why=$(netns_test_needs "$USRSCTP" client tsctp echo_server discard_server) || skip "$why"
command -v stdbuf >/dev/null || skip "no stdbuf (coreutils)"

T0=$SECONDS
WORK=$BUILD/usrsctp-netns
rm -rf "$WORK"
mkdir -p "$WORK"
# Attach sockets live here: a build directory's path may be longer than a Unix socket allows.
SOCKDIR=$(mktemp -d /tmp/dpsctp-netns.XXXXXX)
PRELOAD=(env)
if [ -n "$QUIET" ] && [ -f "$QUIET" ]; then
	PRELOAD=(env "LD_PRELOAD=$QUIET")
fi

# ---- bookkeeping: every process, namespace and EAL prefix we make, for the cleanup ----

PIDS=()
DAEMONS=()
NSS=()
PREFIXES=()
CASES=()
declare -A WHY=() REPORTED=() FINISHED=()
npass=0
nfail=0

diag() { printf '# %s\n' "$*"; }

excerpt() { # FILE [LINES]: the end of a log, indented
	local f=$1 n=${2:-15}

	[ -s "$f" ] || { diag "  ($f: empty)"; return; }
	diag "  --- ${f#"$WORK"/} (last $n lines)"
	tail -n "$n" "$f" | sed 's/^/#     /'
}

begin() { # NAME: a case starts (passes unless fail is called)
	CASES+=("$1")
	WHY[$1]=""
}

fail() { # NAME WHY
	diag "FAIL $1: $2"
	if [ -z "${WHY[$1]}" ]; then WHY[$1]=$2; else WHY[$1]+="; $2"; fi
}

finish() { # NAME...: these cases have run all their steps (capture checks may still follow)
	local c

	for c in "$@"; do FINISHED[$c]=1; done
}

not_run() { # WHY: fail every case begun but not finished
	local c

	for c in "${CASES[@]}"; do
		[ -z "${FINISHED[$c]:-}" ] && fail "$c" "$1"
		FINISHED[$c]=1
	done
}

report() { # print every case not yet reported
	local c

	for c in "${CASES[@]}"; do
		[ -n "${REPORTED[$c]:-}" ] && continue
		REPORTED[$c]=1
		if [ -z "${WHY[$c]}" ]; then
			echo "ok - $c"
			npass=$((npass + 1))
		else
			echo "not ok - $c: ${WHY[$c]}"
			nfail=$((nfail + 1))
		fi
	done
}

stop_pid() { # PID [SECONDS]: SIGTERM, then SIGKILL; returns the exit status
	local pid=$1 secs=${2:-10} i rc=0

	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || rc=$?
	return $rc
}

exited_within() { # PID SECONDS: has it exited (status in EXIT_RC)?
	local pid=$1 secs=$2 i

	EXIT_RC=
	for ((i = 0; i < secs * 10; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			EXIT_RC=0
			wait "$pid" 2>/dev/null || EXIT_RC=$?
			return 0
		fi
		sleep 0.1
	done
	return 1
}

cleanup() {
	local p live

	# only children still running: a PID that has been waited for may belong to another by now
	live=" $(jobs -pr | tr '\n' ' ') "
	for p in "${PIDS[@]}"; do
		[[ $live == *" $p "* ]] && kill -TERM "$p" 2>/dev/null
	done
	for p in "${DAEMONS[@]}"; do
		[[ $live == *" $p "* ]] && dpsctpd_stop "$p" 15 >/dev/null 2>&1
	done
	for p in "${PIDS[@]}"; do
		[[ $live == *" $p "* ]] && stop_pid "$p" 3 >/dev/null 2>&1
	done
	for p in "${NSS[@]}"; do netns_destroy "$p"; done
	for p in "${PREFIXES[@]}"; do dpsctpd_forget_prefix "$p"; done
	rm -rf "$SOCKDIR"
}
trap cleanup EXIT
trap 'diag "interrupted"; report; exit 1' INT TERM

bg() { # OUT COMMAND...: run in the background (bounded by `timeout`), its PID in BG_PID
	local out=$1
	shift
	timeout "${BG_TIMEOUT:-600}" "$@" >"$out" 2>&1 </dev/null &
	BG_PID=$!
	PIDS+=("$BG_PID")
}

daemon_alive() {
	[ -n "${DAEMON_PID:-}" ] && kill -0 "$DAEMON_PID" 2>/dev/null
}

alive() { # CASE LOG: is dpsctpd still running? If not, the case fails with its log
	daemon_alive && return 0
	fail "$1" "dpsctpd is gone"
	excerpt "$2"
	excerpt "$2.err" 30
	return 1
}

wait_daemon() { # SECONDS COMMAND...: wait_for, giving up as soon as dpsctpd is gone
	local secs=$1 i
	shift

	for ((i = 0; i < secs * 5; i++)); do
		"$@" && return 0
		daemon_alive || return 1
		sleep 0.2
	done
	"$@"
}

lines_in() { # FILE REGEX N: at least N lines match?
	[ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ]
}

no_assocs() { # PREFIX
	[ "$(st "$1" assocs)" = 0 ]
}

# ---- dpsctpctl ----

st() { # PREFIX KEY...: the values of stats keys (-1 when missing); key "aborts": all engine/abort/*
	local prefix=$1
	shift
	timeout 20 "$DPSCTPCTL" -p "$prefix" --json --timeout 5 stats 2>>"$WORK/dpsctpctl.err" |
		python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except Exception:
    d = {}
out = []
for k in sys.argv[1:]:
    if k == "aborts":
        out.append(str(sum(v for n, v in d.items() if n.startswith("engine/abort/"))) if d else "-1")
    else:
        out.append(str(d.get(k, -1)))
print(" ".join(out))' "$@"
}

stats_reach() { # PREFIX KEY VALUE: KEY >= VALUE?
	local v
	v=$(st "$1" "$2")
	[ "${v:--1}" -ge "$3" ] 2>/dev/null
}

sources_finished() { # PREFIX N: N sources done and no association left
	local ndone assocs
	read -r ndone assocs <<<"$(st "$1" service/done assocs)"
	[ "${ndone:--1}" -ge "$2" ] && [ "${assocs:--1}" -eq 0 ]
}

# ---- captures (tshark in each namespace, one file per daemon) ----

CAPTURES=()
TSHARK=()
if command -v tshark >/dev/null; then
	TSHARK=(tshark -o sctp.checksum:crc-32c)
	# The payload of our test messages must not be taken for NBAP, SIP...: those heuristic
	# dissectors would report our bytes as malformed protocol messages.
	for h in $(tshark -G heuristic-decodes 2>/dev/null | awk '$1 == "sctp" { print $2 "_sctp" }'); do
		TSHARK+=(--disable-heuristic "$h")
	done
fi

# The capture is on "any" of the namespace rather than on a tap: a tap vanishes when dpsctpd
# exits, and tshark loses the packets it has not read yet (the last SHUTDOWN or ABORT).
capture_start() { # NS FILE
	local ns=$1 file=$2

	[ ${#TSHARK[@]} -gt 0 ] || return 0
	BG_TIMEOUT=1100 bg "$file.log" ip netns exec "$ns" tshark -i any -w "$file" -q
	CAPTURES+=("$file")
	CAPTURE_PIDS+=("$BG_PID")
	if ! wait_for 20 grep -q "Capturing on" "$file.log"; then
		diag "tshark did not start in $ns"
		excerpt "$file.log"
		return 1
	fi
}

capture_stop_all() {
	local p

	# tshark reads the kernel's capture ring a block at a time, a block being handed over when
	# full or 250 ms old; what it has not read when it stops is lost (the last ABORT...)
	[ ${#CAPTURE_PIDS[@]} -gt 0 ] && sleep 1.5
	for p in "${CAPTURE_PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null # tshark finishes its file on SIGINT
		exited_within "$p" 10 || stop_pid "$p" 5
	done
	CAPTURE_PIDS=()
}
CAPTURE_PIDS=()

cap_count() { # FILE FILTER: frames matching a display filter
	[ ${#TSHARK[@]} -gt 0 ] && [ -s "$1" ] || { echo 0; return; }
	"${TSHARK[@]}" -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l
}

# ---- a usrsctp `client` kept open through a FIFO ----

client_start() { # NS ADDR PORT OUT: connect; lines go in with client_send
	local fifo=$WORK/client.fifo.$RANDOM

	mkfifo "$fifo"
	timeout 120 ip netns exec "$1" "${PRELOAD[@]}" stdbuf -oL "$USRSCTP/client" "$2" "$3" 0 0 \
		>"$4" 2>&1 <"$fifo" &
	CLIENT_PID=$!
	PIDS+=("$CLIENT_PID")
	exec {CLIENT_FD}>"$fifo"
	rm -f "$fifo"
}

client_send() { printf '%s\n' "$1" >&"$CLIENT_FD"; }

client_close() { exec {CLIENT_FD}>&-; }

# ---- configurations ----

# config_write FILE PREFIX PORTS SERVICES [MORE]: lcores control 0, worker 1; no hugepages
config_write() {
	dpsctpd_write_config "$1" "$2" "$SOCKDIR/$2.sock" "$3" "$4" "${5:-}"
}

daemon_start() { # CONFIG PREFIX LOG: start and wait for "ready"; PID in DAEMON_PID
	PREFIXES+=("$2")
	dpsctpd_start "$DPSCTPD" "$1" "$3"
	DAEMON_PID=$DPSCTPD_PID
	DAEMONS+=("$DAEMON_PID")
	if ! dpsctpd_wait_ready "$DAEMON_PID" "$3" 30; then
		diag "dpsctpd did not become ready with $1"
		excerpt "$3"
		excerpt "$3.err" 30
		return 1
	fi
}

A_ECHO_SIZE=10240 # the largest message usrsctp's echo_server echoes whole (see below)
A_MANY=64          # associations of the port-range source (local ports 6000..6063)

###############################################################################################
# A: one tap, IPv4 and IPv6
###############################################################################################
A_NS=dpsctp-$$-a
A_TAP=dpa$$
A_PREFIX=dpsctp-netns-$$-a
A_LOG=$WORK/a.dpsctpd.log
A_CAP=$WORK/a.pcapng
A_PORTS=$(dpsctpd_tap_port 0 "$A_TAP" 02:00:00:00:00:01 198.18.0.1/24 2001:db8:18::1/64)
# usrsctp's echo_server reads into a 10240-byte buffer and echoes only the piece that ends a
# message, so a larger message comes back truncated: 10240 B is the largest echo it can check.
# 64 KiB messages go to tsctp, which counts messages and bytes.
config_write "$WORK/a.yaml" "$A_PREFIX" "$A_PORTS" "\
  - {type: echo, port: 7}
  - {type: discard, port: 9}
  - {type: source, port: 5000, peers: [198.18.0.2], peer_port: 7, count: 200, size: $A_ECHO_SIZE, check_echo: true}
  - {type: source, port: 5001, peers: [198.18.0.2], peer_port: 5001, count: 200, size: 65536, check_echo: false}
  - {type: source, port: 5002, peers: [198.18.0.2], peer_port: 9, count: 500, size: 1000, check_echo: false, shutdown_when_done: true}
  - {type: source, port: 6000, associations: $A_MANY, peers: [198.18.0.2], peer_port: 9, count: 20, size: 200, check_echo: false, shutdown_when_done: true}"

C_PING4="ping 198.18.0.1 from the namespace (ARP, ICMP echo)"
C_PING6="ping 2001:db8:18::1 from the namespace (ND, ICMPv6 echo)"
C_SRC_ECHO="source 200 x $A_ECHO_SIZE B to usrsctp echo_server, every echo checked"
C_SRC_64K="source 200 x 64 KiB to usrsctp tsctp, the peer counts 200 x 65536 B"
C_SRC_SHUT="source with shutdown_when_done to usrsctp discard_server: 500 messages, SHUTDOWN by dpsctpd"
C_SRC_MANY="source of $A_MANY associations (local ports 6000..) to usrsctp discard_server: 20 x 200 B each, all whole, all shut down"
C_CLIENT="usrsctp client on echo: 5 lines echoed, SHUTDOWN by the client"
C_ABORT_PEER="ABORT by usrsctp (tsctp closes with unread echoes) counted in engine/abort/peer"
C_SIGTERM="SIGTERM with a usrsctp client connected: SHUTDOWN by dpsctpd, 0 aborted"
TSCTP_RUNS="1:500 100:500 1400:300 4000:300 16384:200 65536:200"
declare -A C_TSCTP=()
for r in $TSCTP_RUNS; do
	C_TSCTP[${r%%:*}]="tsctp ${r#*:} x ${r%%:*} B to discard: msgs_in and bytes_in grow by that"
done
for c in "$C_PING4" "$C_PING6" "$C_SRC_ECHO" "$C_SRC_64K" "$C_SRC_SHUT" "$C_SRC_MANY" "$C_CLIENT"; do begin "$c"; done
for r in $TSCTP_RUNS; do begin "${C_TSCTP[${r%%:*}]}"; done
begin "$C_ABORT_PEER"
begin "$C_SIGTERM"

a_run() {
	local out v i n s c r before_m before_b before_a m b a ndone bad closed

	diag "== A: dpsctpd on $A_TAP, peer namespace $A_NS"
	daemon_start "$WORK/a.yaml" "$A_PREFIX" "$A_LOG" || return 1
	NSS+=("$A_NS")
	if ! netns_create "$A_NS" ||
		! netns_take_iface "$A_NS" "$A_TAP" 02:00:00:00:00:02 198.18.0.2/24 2001:db8:18::2/64; then
		diag "cannot set up namespace $A_NS"
		return 1
	fi
	capture_start "$A_NS" "$A_CAP"

	# 1. ping: ARP / ND answered by the control lcore, ICMP echo replies
	out=$WORK/a.ping4.log
	if ! timeout 30 ip netns exec "$A_NS" ping -c 3 -i 0.2 -w 15 198.18.0.1 >"$out" 2>&1; then
		fail "$C_PING4" "no echo reply"
		excerpt "$out"
	fi
	ip -n "$A_NS" neigh show 198.18.0.1 | grep -q 'lladdr 02:00:00:00:00:01' ||
		fail "$C_PING4" "no ARP entry for 198.18.0.1 with our MAC: $(ip -n "$A_NS" neigh show 198.18.0.1)"
	out=$WORK/a.ping6.log
	if ! timeout 30 ip netns exec "$A_NS" ping -6 -c 3 -i 0.2 -w 15 2001:db8:18::1 >"$out" 2>&1; then
		fail "$C_PING6" "no echo reply"
		excerpt "$out"
	fi
	ip -n "$A_NS" -6 neigh show 2001:db8:18::1 | grep -q 'lladdr 02:00:00:00:00:01' ||
		fail "$C_PING6" "no ND entry for 2001:db8:18::1 with our MAC: $(ip -n "$A_NS" -6 neigh show 2001:db8:18::1)"
	alive "$C_PING6" "$A_LOG" || return 1
	finish "$C_PING4" "$C_PING6"

	# 2. our sources: they have sent INIT since start-up and retransmit it until the peers
	# below listen (ICMP protocol unreachable meanwhile is only counted)
	local es ts ds
	# (0: no UDP encapsulation; stdbuf: their lines are counted while they run; the quiet
	# library keeps usrsctp's debug lines, which would break those lines, out)
	bg "$WORK/a.echo_server.log" ip netns exec "$A_NS" "${PRELOAD[@]}" stdbuf -oL "$USRSCTP/echo_server" 0
	es=$BG_PID
	bg "$WORK/a.tsctp_server.log" ip netns exec "$A_NS" "${PRELOAD[@]}" "$USRSCTP/tsctp" -E 0 -p 5001
	ts=$BG_PID
	bg "$WORK/a.discard_server.log" ip netns exec "$A_NS" "${PRELOAD[@]}" stdbuf -oL "$USRSCTP/discard_server" 0
	ds=$BG_PID
	if ! wait_daemon 120 sources_finished "$A_PREFIX" $((3 + A_MANY)); then
		for c in "$C_SRC_ECHO" "$C_SRC_64K" "$C_SRC_SHUT" "$C_SRC_MANY"; do
			fail "$c" "the $((3 + A_MANY)) source associations did not all finish and close within 120 s ($(st "$A_PREFIX" service/done assocs | sed 's/^/done, assocs: /'))"
		done
		timeout 20 "$DPSCTPCTL" -p "$A_PREFIX" assocs | sed 's/^/#   /'
	fi
	read -r ndone bad <<<"$(st "$A_PREFIX" service/done service/bad)"
	diag "sources: service/done $ndone, service/bad $bad"
	[ "$bad" = 0 ] || fail "$C_SRC_ECHO" "service/bad is $bad"
	n=$(grep -c "Msg of length $A_ECHO_SIZE received .*complete 1" "$WORK/a.echo_server.log")
	[ "$n" -eq 200 ] || fail "$C_SRC_ECHO" "echo_server saw $n whole messages of $A_ECHO_SIZE B, not 200"
	if ! wait_for 10 grep -q '^65536, 200, [0-9]*, 13107200,' "$WORK/a.tsctp_server.log"; then
		fail "$C_SRC_64K" "tsctp did not report 200 messages of 65536 B ($(grep -E '^[0-9]+, ' "$WORK/a.tsctp_server.log" | head -3 | tr '\n' ' '))"
		excerpt "$WORK/a.tsctp_server.log"
	fi
	n=$(grep -c 'Msg of length 1000 received .*complete 1' "$WORK/a.discard_server.log")
	[ "$n" -eq 500 ] || fail "$C_SRC_SHUT" "discard_server saw $n whole messages, not 500"
	n=$(grep -c 'Msg of length 200 received .*complete 1' "$WORK/a.discard_server.log")
	[ "$n" -eq $((20 * A_MANY)) ] ||
		fail "$C_SRC_MANY" "discard_server saw $n whole messages of 200 B, not $((20 * A_MANY))"
	# (each of the 64 associations counts in service/done once it sent everything and closed:
	# sources_finished above waited for 3 + 64)
	stop_pid "$es" 5
	stop_pid "$ts" 5
	stop_pid "$ds" 5
	alive "$C_SRC_ECHO" "$A_LOG" || return 1
	finish "$C_SRC_ECHO" "$C_SRC_64K" "$C_SRC_SHUT" "$C_SRC_MANY"

	# 3. usrsctp client on our echo: each line comes back, then the client shuts down
	read -r before_a closed <<<"$(st "$A_PREFIX" aborts engine/assocs_closed)"
	out=$WORK/a.client.log
	client_start "$A_NS" 198.18.0.1 7 "$out"
	for i in 1 2 3 4 5; do
		client_send "dpsctp interop line $i of 5"
	done
	wait_for 15 lines_in "$out" '^dpsctp interop line . of 5$' 5 ||
		fail "$C_CLIENT" "only $(grep -c '^dpsctp interop line . of 5$' "$out") of 5 lines echoed"
	for i in 1 2 3 4 5; do
		grep -qx "dpsctp interop line $i of 5" "$out" || fail "$C_CLIENT" "line $i not echoed"
	done
	client_close # EOF: the client sends SHUTDOWN
	if ! exited_within "$CLIENT_PID" 20; then
		fail "$C_CLIENT" "client still running 20 s after its SHUTDOWN"
	elif [ "$EXIT_RC" -ne 0 ]; then
		fail "$C_CLIENT" "client exited with $EXIT_RC"
	fi
	grep -q 'SCTP_SHUTDOWN_COMP' "$out" || fail "$C_CLIENT" "client saw no SHUTDOWN COMPLETE"
	[ -n "${WHY[$C_CLIENT]}" ] && excerpt "$out"
	wait_daemon 10 stats_reach "$A_PREFIX" engine/assocs_closed $((closed + 1)) ||
		fail "$C_CLIENT" "engine/assocs_closed did not grow"
	[ "$(st "$A_PREFIX" aborts)" = "$before_a" ] || fail "$C_CLIENT" "an abort counter grew"
	alive "$C_CLIENT" "$A_LOG" || return 1
	finish "$C_CLIENT"

	# 4. tsctp toward our discard: message sizes from 1 B to 64 KiB
	for r in $TSCTP_RUNS; do
		s=${r%%:*}
		n=${r#*:}
		c=${C_TSCTP[$s]}
		read -r before_m before_b before_a <<<"$(st "$A_PREFIX" service/msgs_in service/bytes_in aborts)"
		out=$WORK/a.tsctp.$s.log
		timeout 120 ip netns exec "$A_NS" "${PRELOAD[@]}" "$USRSCTP/tsctp" -E 0 -p 9 \
			-l "$s" -n "$n" 198.18.0.1 >"$out" 2>&1
		v=$?
		[ "$v" -eq 0 ] || { fail "$c" "tsctp failed (exit $v)"; excerpt "$out"; }
		grep -q "^Sending of $n messages of length $s took" "$out" ||
			fail "$c" "tsctp did not report sending $n messages"
		wait_daemon 15 stats_reach "$A_PREFIX" service/msgs_in $((before_m + n))
		read -r m b a <<<"$(st "$A_PREFIX" service/msgs_in service/bytes_in aborts)"
		diag "tsctp $n x $s B: msgs_in +$((m - before_m)), bytes_in +$((b - before_b)), $(grep -o 'took [0-9.]* seconds' "$out")"
		[ $((m - before_m)) -eq "$n" ] || fail "$c" "service/msgs_in grew by $((m - before_m)), not $n"
		[ $((b - before_b)) -eq $((n * s)) ] ||
			fail "$c" "service/bytes_in grew by $((b - before_b)), not $((n * s))"
		[ "$a" = "$before_a" ] || fail "$c" "an abort counter grew ($before_a -> $a)"
		wait_daemon 10 no_assocs "$A_PREFIX" || fail "$c" "the association did not close"
		alive "$c" "$A_LOG" || return 1
		finish "$c"
	done

	# 5. ABORT from usrsctp: tsctp never reads, so our echoes are unread when it closes, and
	# usrsctp aborts (RFC 9260 9.1: a close with data unread is an abort)
	read -r before_a <<<"$(st "$A_PREFIX" engine/abort/peer)"
	out=$WORK/a.tsctp.abort.log
	timeout 60 ip netns exec "$A_NS" "${PRELOAD[@]}" "$USRSCTP/tsctp" -E 0 -p 7 -l 1000 -n 100 \
		198.18.0.1 >"$out" 2>&1
	v=$?
	[ "$v" -eq 0 ] || fail "$C_ABORT_PEER" "tsctp failed (exit $v)"
	wait_daemon 10 stats_reach "$A_PREFIX" engine/abort/peer $((before_a + 1)) ||
		fail "$C_ABORT_PEER" "engine/abort/peer did not grow"
	wait_daemon 10 no_assocs "$A_PREFIX" || fail "$C_ABORT_PEER" "the association is still there"
	alive "$C_ABORT_PEER" "$A_LOG" || return 1
	finish "$C_ABORT_PEER"

	# 6. SIGTERM while a client is connected: dpsctpd shuts it down gracefully
	out=$WORK/a.client2.log
	client_start "$A_NS" 198.18.0.1 7 "$out"
	client_send "still here"
	wait_for 15 grep -qx 'still here' "$out" || fail "$C_SIGTERM" "no echo before the SIGTERM"
	timeout 20 "$DPSCTPCTL" -p "$A_PREFIX" assocs | sed 's/^/#   /'
	alive "$C_SIGTERM" "$A_LOG" || return 1
	dpsctpd_stop "$DAEMON_PID" 30
	v=$?
	DAEMON_PID=
	[ "$v" -eq 0 ] || fail "$C_SIGTERM" "dpsctpd exited with $v"
	grep -qx 'dpsctpd: stopped (0 associations aborted)' "$A_LOG" ||
		fail "$C_SIGTERM" "dpsctpd did not print 'stopped (0 associations aborted)': $(grep stopped "$A_LOG")"
	# the client reports the end of its association, and leaves at the end of its input
	wait_for 15 grep -q 'SCTP_SHUTDOWN_COMP' "$out" ||
		fail "$C_SIGTERM" "the client saw no SHUTDOWN COMPLETE"
	client_close
	exited_within "$CLIENT_PID" 15 || fail "$C_SIGTERM" "the client did not exit after its input ended"
	[ -n "${WHY[$C_SIGTERM]}" ] && { excerpt "$out"; excerpt "$A_LOG.err"; }
	finish "$C_SIGTERM"
	return 0
}

a_capture_checks() {
	local n

	[ ${#TSHARK[@]} -gt 0 ] || return 0
	n=$(cap_count "$A_CAP" 'ip.src == 198.18.0.1 && sctp.srcport == 5002 && sctp.chunk_type == 7')
	[ "$n" -ge 1 ] || fail "$C_SRC_SHUT" "no SHUTDOWN from 198.18.0.1:5002 in the capture"
	n=$(cap_count "$A_CAP" 'ip.src == 198.18.0.1 && sctp.srcport == 5002 && sctp.chunk_type == 14')
	[ "$n" -ge 1 ] || fail "$C_SRC_SHUT" "no SHUTDOWN COMPLETE from 198.18.0.1:5002 in the capture"
	n=$(cap_count "$A_CAP" 'sctp.port == 5002 && sctp.chunk_type == 6 && sctp.abort_t_bit == 0')
	[ "$n" -eq 0 ] || fail "$C_SRC_SHUT" "$n ABORT (T bit clear) on port 5002 in the capture"
	n=$(cap_count "$A_CAP" 'ip.src == 198.18.0.2 && sctp.dstport == 7 && sctp.chunk_type == 6')
	[ "$n" -ge 1 ] || fail "$C_ABORT_PEER" "no ABORT from 198.18.0.2 in the capture"
	n=$(cap_count "$A_CAP" 'ip.src == 198.18.0.1 && sctp.srcport == 7 && sctp.chunk_type == 7')
	[ "$n" -ge 1 ] || fail "$C_SIGTERM" "no SHUTDOWN from 198.18.0.1:7 in the capture"
	# an ABORT with the T bit answers a straggler after an association closed (RFC 9260 8.4
	# rule 8; seen after tsctp's shutdown): not an abort of a live association
	n=$(cap_count "$A_CAP" 'ip.src == 198.18.0.1 && sctp.chunk_type == 6 && sctp.abort_t_bit == 0')
	[ "$n" -eq 0 ] || fail "$C_SIGTERM" "$n ABORT (T bit clear) from dpsctpd in the capture"
}

DAEMON_PID=
a_run || not_run "not run: dpsctpd or the set-up failed (see the log above)"
[ -n "$DAEMON_PID" ] && dpsctpd_stop "$DAEMON_PID" 15
capture_stop_all
a_capture_checks
report

###############################################################################################
# B: ABORT by dpsctpd (shutdown_wait_ms: 0)
###############################################################################################
B_NS=dpsctp-$$-b
B_TAP=dpb$$
B_PREFIX=dpsctp-netns-$$-b
B_LOG=$WORK/b.dpsctpd.log
B_CAP=$WORK/b.pcapng
C_ABORT_OURS="ABORT by dpsctpd: SIGTERM with shutdown_wait_ms 0 and a usrsctp client connected"
begin "$C_ABORT_OURS"
config_write "$WORK/b.yaml" "$B_PREFIX" \
	"$(dpsctpd_tap_port 0 "$B_TAP" 02:00:00:00:00:01 198.18.0.1/24)" \
	"  - {type: echo, port: 7}" "shutdown_wait_ms: 0"

b_run() {
	local out=$WORK/b.client.log v

	diag "== B: dpsctpd on $B_TAP with shutdown_wait_ms 0, peer namespace $B_NS"
	DAEMON_PID=
	daemon_start "$WORK/b.yaml" "$B_PREFIX" "$B_LOG" || return 1
	NSS+=("$B_NS")
	netns_create "$B_NS" && netns_take_iface "$B_NS" "$B_TAP" 02:00:00:00:00:02 198.18.0.2/24 ||
		return 1
	capture_start "$B_NS" "$B_CAP"
	client_start "$B_NS" 198.18.0.1 7 "$out"
	client_send "about to be aborted"
	wait_for 20 grep -qx 'about to be aborted' "$out" || fail "$C_ABORT_OURS" "no echo before the SIGTERM"
	alive "$C_ABORT_OURS" "$B_LOG" || return 1
	dpsctpd_stop "$DAEMON_PID" 30
	v=$?
	DAEMON_PID=
	[ "$v" -eq 0 ] || fail "$C_ABORT_OURS" "dpsctpd exited with $v"
	grep -qx 'dpsctpd: stopped (1 associations aborted)' "$B_LOG" ||
		fail "$C_ABORT_OURS" "dpsctpd did not print 'stopped (1 associations aborted)': $(grep stopped "$B_LOG")"
	wait_for 15 grep -q 'SCTP_COMM_LOST' "$out" || fail "$C_ABORT_OURS" "the client saw no COMM_LOST"
	# After an ABORT usrsctp's client waits forever for an end of stream that never comes: it
	# is stopped here, not waited for.
	client_close
	stop_pid "$CLIENT_PID" 5
	[ -n "${WHY[$C_ABORT_OURS]}" ] && { excerpt "$out"; excerpt "$B_LOG"; excerpt "$B_LOG.err"; }
	return 0
}

b_run || not_run "not run: dpsctpd or the set-up failed (see the log above)"
finish "$C_ABORT_OURS"
[ -n "$DAEMON_PID" ] && dpsctpd_stop "$DAEMON_PID" 15
capture_stop_all
if [ ${#TSHARK[@]} -gt 0 ]; then
	n=$(cap_count "$B_CAP" 'ip.src == 198.18.0.1 && sctp.srcport == 7 && sctp.chunk_type == 6')
	[ "$n" -ge 1 ] || fail "$C_ABORT_OURS" "no ABORT from 198.18.0.1 in the capture"
fi
report

###############################################################################################
# C: multihomed, two taps (two links, two subnets) into one namespace; link 1 cut mid-transfer
###############################################################################################
C_NS=dpsctp-$$-c
C_TAP1=dpc$$
C_TAP2=dpd$$
C_PREFIX=dpsctp-netns-$$-c
C_LOG=$WORK/c.dpsctpd.log
C_CAP=$WORK/c.pcapng
C_COUNT=300000
C_SIZE=100
C_MH_DATA="multihomed: tsctp gets all $C_COUNT messages while link 1 is cut mid-transfer"
C_MH_FAILOVER="multihomed: the failover shows in dpsctpctl (path INACTIVE, engine/failovers)"
begin "$C_MH_DATA"
begin "$C_MH_FAILOVER"
# Short RTOs so that the cut path fails in about a second (defaults: tens of seconds).
config_write "$WORK/c.yaml" "$C_PREFIX" \
	"$(dpsctpd_tap_port 0 "$C_TAP1" 02:00:00:00:00:01 198.18.0.1/24)
$(dpsctpd_tap_port 1 "$C_TAP2" 02:00:00:00:01:01 198.18.1.1/24)" \
	"  - {type: source, port: 5003, peers: [198.18.0.2, 198.18.1.2], peer_port: 5001, count: $C_COUNT, size: $C_SIZE, check_echo: false}" \
	"protocol: {rto_initial_ms: 300, rto_min_ms: 100, rto_max_ms: 1000, path_max_retrans: 2, assoc_max_retrans: 10, hb_interval_ms: 1000}"

c_run() {
	local ts sent aborts fo inact id out=$WORK/c.assocs.log

	diag "== C: dpsctpd on $C_TAP1 + $C_TAP2, one peer namespace $C_NS with both"
	DAEMON_PID=
	daemon_start "$WORK/c.yaml" "$C_PREFIX" "$C_LOG" || return 1
	NSS+=("$C_NS")
	netns_create "$C_NS" &&
		netns_take_iface "$C_NS" "$C_TAP1" 02:00:00:00:00:02 198.18.0.2/24 &&
		netns_take_iface "$C_NS" "$C_TAP2" 02:00:00:00:01:02 198.18.1.2/24 || return 1
	capture_start "$C_NS" "$C_CAP"
	# tsctp binds INADDR_ANY: both addresses of the namespace, so it is multihomed as well
	bg "$WORK/c.tsctp_server.log" ip netns exec "$C_NS" "${PRELOAD[@]}" "$USRSCTP/tsctp" -E 0 -p 5001
	ts=$BG_PID
	if ! wait_daemon 60 stats_reach "$C_PREFIX" service/msgs_out $((C_COUNT / 30)); then
		fail "$C_MH_DATA" "the transfer did not start within 60 s"
		timeout 20 "$DPSCTPCTL" -p "$C_PREFIX" assocs | sed 's/^/#   /'
		return 1
	fi
	sent=$(st "$C_PREFIX" service/msgs_out)
	ip -n "$C_NS" link set "$C_TAP1" down
	diag "link $C_TAP1 cut after $sent of $C_COUNT messages were queued"
	[ "$sent" -lt "$C_COUNT" ] || fail "$C_MH_DATA" "the transfer was over before the cut"
	# the path over the cut link must become INACTIVE while data flows on the other
	if wait_daemon 30 eval 'timeout 20 "$DPSCTPCTL" -p "$C_PREFIX" assocs >"$out" 2>&1; grep -q "198.18.0.1 -> 198.18.0.2 INACTIVE" "$out"'; then
		sed 's/^/#   /' "$out"
		id=$(awk '$1 == "id" { print $2; exit }' "$out")
		[ -n "$id" ] && timeout 20 "$DPSCTPCTL" -p "$C_PREFIX" assoc "$id" | sed 's/^/#   /'
	else
		fail "$C_MH_FAILOVER" "path 198.18.0.1 -> 198.18.0.2 never shown INACTIVE"
		sed 's/^/#   /' "$out"
	fi
	wait_daemon 120 sources_finished "$C_PREFIX" 1 ||
		fail "$C_MH_DATA" "the source did not finish and close within 120 s"
	read -r sent aborts fo inact <<<"$(st "$C_PREFIX" service/msgs_out aborts engine/failovers engine/paths_inactive)"
	diag "msgs_out $sent, aborts $aborts, engine/failovers $fo, engine/paths_inactive $inact"
	[ "${fo:-0}" -ge 1 ] || [ "${inact:-0}" -ge 1 ] ||
		fail "$C_MH_FAILOVER" "engine/failovers $fo, engine/paths_inactive $inact"
	[ "$aborts" = 0 ] || fail "$C_MH_DATA" "abort counters: $aborts"
	if ! wait_for 15 grep -q "^$C_SIZE, $C_COUNT, [0-9]*, $((C_COUNT * C_SIZE))," "$WORK/c.tsctp_server.log"; then
		fail "$C_MH_DATA" "tsctp did not report $C_COUNT messages of $C_SIZE B: $(grep -E '^[0-9]+, ' "$WORK/c.tsctp_server.log" | head -3 | tr '\n' ' ')"
		excerpt "$WORK/c.tsctp_server.log"
	else
		diag "tsctp: $(grep "^$C_SIZE, $C_COUNT," "$WORK/c.tsctp_server.log")"
	fi
	stop_pid "$ts" 5
	alive "$C_MH_DATA" "$C_LOG" || return 1
	return 0
}

c_run || not_run "not run: dpsctpd or the set-up failed (see the log above)"
finish "$C_MH_DATA" "$C_MH_FAILOVER"
if [ -n "$DAEMON_PID" ]; then
	dpsctpd_stop "$DAEMON_PID" 30 || fail "$C_MH_DATA" "dpsctpd exited with $?"
	grep -qx 'dpsctpd: stopped (0 associations aborted)' "$C_LOG" ||
		fail "$C_MH_DATA" "dpsctpd: $(grep stopped "$C_LOG")"
fi
[ -n "${WHY[$C_MH_DATA]}${WHY[$C_MH_FAILOVER]}" ] && { excerpt "$C_LOG"; excerpt "$C_LOG.err" 30; }
capture_stop_all
if [ ${#TSHARK[@]} -gt 0 ]; then
	# DATA on both links (the second one after the cut), and no ABORT
	n1=$(cap_count "$C_CAP" 'ip.src == 198.18.0.1 && sctp.chunk_type == 0')
	n2=$(cap_count "$C_CAP" 'ip.src == 198.18.1.1 && sctp.chunk_type == 0')
	diag "captured packets with DATA: $n1 on link 1, $n2 on link 2"
	[ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || fail "$C_MH_DATA" "DATA not seen on both links ($n1, $n2)"
	# No ABORT of a live association. An ABORT with the T bit that answers a straggler (a SACK
	# usrsctp sent after its SHUTDOWN ACK, arriving after our SHUTDOWN COMPLETE closed the
	# association) is RFC 9260 8.4 rule 8 at work, not a failure.
	n=$(cap_count "$C_CAP" 'sctp.chunk_type == 6 && sctp.abort_t_bit == 0')
	[ "$n" -eq 0 ] || fail "$C_MH_DATA" "$n ABORT (T bit clear) in the capture"
	n=$(cap_count "$C_CAP" 'sctp.chunk_type == 14')
	[ "$n" -ge 1 ] || fail "$C_MH_DATA" "no SHUTDOWN COMPLETE: the association did not end cleanly"
fi
report

###############################################################################################
# Captures: every SCTP packet of every run, decoded by tshark
###############################################################################################
C_CAPTURE="capture: every SCTP packet has a good CRC32c and nothing is malformed (tshark)"
# ICMP errors are left out: the packet they quote is cut short (an IPv4 one keeps 576 bytes),
# so its CRC32c cannot check. The namespace's kernel sends "protocol unreachable" for SCTP while
# no usrsctp program runs there, and now and then even while one does.
ICMP_ERR='icmp.type == 3 || icmp.type == 11 || icmp.type == 12 || (icmpv6.type >= 1 && icmpv6.type <= 4)'
begin "$C_CAPTURE"
if [ ${#TSHARK[@]} -eq 0 ]; then
	fail "$C_CAPTURE" "tshark is not installed"
else
	total=0
	for f in "${CAPTURES[@]}"; do
		if [ ! -s "$f" ]; then
			fail "$C_CAPTURE" "${f##*/} is empty or missing"
			excerpt "$f.log"
			continue
		fi
		"${TSHARK[@]}" -r "$f" \
			-Y "!($ICMP_ERR) && (sctp.checksum.status == \"Bad\" || _ws.malformed || _ws.expert.severity == error)" \
			>"$f.bad" 2>"$f.err"
		if [ -s "$f.bad" ]; then
			fail "$C_CAPTURE" "${f##*/}: $(wc -l <"$f.bad") bad packets"
			head -20 "$f.bad" | sed 's/^/#   /'
		fi
		if grep -qv 'Running as user' "$f.err"; then
			diag "tshark on ${f##*/}:"
			grep -v 'Running as user' "$f.err" | head -5 | sed 's/^/#   /'
		fi
		good=$(cap_count "$f" "!($ICMP_ERR) && sctp.checksum.status == \"Good\"")
		unverified=$(cap_count "$f" "!($ICMP_ERR) && sctp && sctp.checksum.status != \"Good\"")
		quoted=$(cap_count "$f" "($ICMP_ERR) && sctp")
		diag "${f##*/}: $good SCTP packets with a good CRC32c, $unverified others; $quoted ICMP errors quoting SCTP"
		[ "$quoted" -eq 0 ] || "${TSHARK[@]}" -r "$f" -Y "($ICMP_ERR) && sctp" -T fields \
			-e frame.number -e frame.time_relative -e ip.src -e sctp.srcport -e sctp.dstport \
			-e _ws.col.Info 2>/dev/null | head -10 | sed 's/^/#   /'
		[ "$unverified" -eq 0 ] || fail "$C_CAPTURE" "${f##*/}: $unverified SCTP packets not verified Good"
		total=$((total + good))
		[ "$good" -gt 0 ] || fail "$C_CAPTURE" "${f##*/}: no SCTP packet captured"
	done
	diag "captures: $total SCTP packets checked"
fi
report

diag "run time $((SECONDS - T0)) s; logs and captures in $WORK"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] || exit 1
exit 0
