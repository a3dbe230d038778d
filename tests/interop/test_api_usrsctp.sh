#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The usrsctp interop of the daemon issue, driven from applications (libdpsctp): dpsctpd on a
# net_tap port whose kernel end is in a network namespace where Debian's usrsctp example
# programs run over raw IP (no UDP encapsulation);
#   1. our api/examples/echo_client against usrsctp's echo_server (port 7),
#   2. usrsctp's client against our api/examples/echo_server,
# every packet captured in the namespace and checked by tshark (CRC32c, nothing malformed).
#
#   test_api_usrsctp.sh DPSCTPD SOURCE_ROOT BUILD_DIR EXAMPLES_DIR [LIBUSRSCTP_QUIET]
#
# Exit: 0 all passed, 77 skipped (not root, no `ip netns`, no usrsctp programs), 1 a case failed.
# One line per case (`ok - name` / `not ok - name: why`), then `N passed, M failed`.
set -u
trap '' PIPE

if [ $# -lt 4 ]; then
	echo "usage: $0 DPSCTPD SOURCE_ROOT BUILD_DIR EXAMPLES_DIR [LIBUSRSCTP_QUIET]" >&2
	exit 2
fi
DPSCTPD=$1
SRC=$2
BUILD=$3
EX=$4
QUIET=${5:-}
USRSCTP=/usr/lib/usrsctp

skip() {
	echo "skip: $*"
	exit 77
}
# shellcheck source=../../scripts/netns.sh
. "$SRC/scripts/netns.sh"
why=$(netns_test_needs "$USRSCTP" client echo_server) || skip "$why"
for p in echo_client echo_server; do
	[ -x "$EX/$p" ] || skip "no $EX/$p (the examples are not built)"
done
command -v stdbuf >/dev/null || skip "no stdbuf (coreutils)"

WORK=$BUILD/api-usrsctp
rm -rf "$WORK"
mkdir -p "$WORK"
SOCKDIR=$(mktemp -d /tmp/dpsctp-api-netns.XXXXXX)
PRELOAD=(env)
[ -n "$QUIET" ] && [ -f "$QUIET" ] && PRELOAD=(env "LD_PRELOAD=$QUIET")
NS=dpsctp-api-$$
TAP=dpapi$$
PREFIX=dpsctp-api-netns-$$
LOG=$WORK/dpsctpd.log
CAP=$WORK/capture.pcapng
export DPSCTP_SOCKET=$SOCKDIR/dpsctpd.sock

PIDS=()
DAEMON_PID=
CAP_PID=
npass=0
nfail=0

diag() { printf '# %s\n' "$*"; }
ok() { echo "ok - $1"; npass=$((npass + 1)); }
not_ok() {
	local f
	echo "not ok - $1: $2"
	nfail=$((nfail + 1))
	shift 2
	for f in "$@"; do
		diag "  --- ${f#"$WORK"/}"
		tail -n 15 "$f" 2>/dev/null | sed 's/^/#     /'
	done
}

stop_pid() { # PID [SECONDS]
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

cleanup() {
	local p live
	live=" $(jobs -pr | tr '\n' ' ') "
	for p in "${PIDS[@]}"; do
		[[ $live == *" $p "* ]] && stop_pid "$p" 3 >/dev/null 2>&1
	done
	[ -n "$DAEMON_PID" ] && dpsctpd_stop "$DAEMON_PID" 15 >/dev/null 2>&1
	netns_destroy "$NS"
	dpsctpd_forget_prefix "$PREFIX"
	rm -rf "$SOCKDIR"
}
trap cleanup EXIT
trap 'diag "interrupted"; exit 1' INT TERM

bg() { # OUT COMMAND...: PID in BG_PID
	local out=$1
	shift
	timeout 300 "$@" >"$out" 2>&1 </dev/null &
	BG_PID=$!
	PIDS+=("$BG_PID")
}

C_SETUP="dpsctpd on net_tap with the peer namespace set up"
C_OUR_CLIENT="our echo_client (connectx, sendv/recvv, 2 threads) against usrsctp echo_server: 300 x 1000 B echoed intact"
C_OUR_CLIENT_V6="our echo_client over IPv6 against usrsctp echo_server: 50 x 200 B echoed intact"
C_THEIR_CLIENT="usrsctp client against our echo_server: 5 lines echoed, SHUTDOWN by the client"
C_CAPTURE="capture: every SCTP packet has a good CRC32c and nothing is malformed (tshark)"

dpsctpd_write_config "$WORK/dpsctpd.yaml" "$PREFIX" "$DPSCTP_SOCKET" \
	"$(dpsctpd_tap_port 0 "$TAP" 02:00:00:00:00:01 198.18.0.1/24 2001:db8:18::1/64)" "  []" \
	"shutdown_wait_ms: 2000"
dpsctpd_start "$DPSCTPD" "$WORK/dpsctpd.yaml" "$LOG"
DAEMON_PID=$DPSCTPD_PID
if ! dpsctpd_wait_ready "$DAEMON_PID" "$LOG" 30 || ! netns_create "$NS" ||
	! netns_take_iface "$NS" "$TAP" 02:00:00:00:00:02 198.18.0.2/24 2001:db8:18::2/64; then
	not_ok "$C_SETUP" "dpsctpd or the namespace did not come up" "$LOG" "$LOG.err"
	echo "$npass passed, $nfail failed"
	exit 1
fi
ok "$C_SETUP"

TSHARK=()
if command -v tshark >/dev/null; then
	TSHARK=(tshark -o sctp.checksum:crc-32c)
	for h in $(tshark -G heuristic-decodes 2>/dev/null | awk '$1 == "sctp" { print $2 "_sctp" }'); do
		TSHARK+=(--disable-heuristic "$h")
	done
	bg "$CAP.log" ip netns exec "$NS" tshark -i any -w "$CAP" -q
	CAP_PID=$BG_PID
	wait_for 20 grep -q "Capturing on" "$CAP.log" || diag "tshark did not start"
fi
# ARP/ND first, so that the first INIT is not the packet that waits for it
timeout 20 ip netns exec "$NS" ping -c 1 -w 10 198.18.0.1 >/dev/null 2>&1
timeout 20 ip netns exec "$NS" ping -6 -c 1 -w 10 2001:db8:18::1 >/dev/null 2>&1

# ---- 1. our client, usrsctp's echo_server (usrsctp grants 10 outbound streams: -S 10) ----
bg "$WORK/usrsctp_echo_server.log" ip netns exec "$NS" "${PRELOAD[@]}" stdbuf -oL "$USRSCTP/echo_server" 0
ES=$BG_PID
sleep 1
out=$WORK/echo_client.log
if timeout 120 "$EX/echo_client" -t -S 10 -p 7 -c 300 -s 1000 198.18.0.2 >"$out" 2>&1 &&
	grep -q '^echo_client: 300 messages echoed, 0 bad$' "$out"; then
	ok "$C_OUR_CLIENT"
else
	not_ok "$C_OUR_CLIENT" "unexpected output or status" "$out" "$WORK/usrsctp_echo_server.log" "$LOG.err"
fi
out=$WORK/echo_client6.log
if timeout 120 "$EX/echo_client" -S 10 -p 7 -c 50 -s 200 2001:db8:18::2 >"$out" 2>&1 &&
	grep -q '^echo_client: 50 messages echoed, 0 bad$' "$out"; then
	ok "$C_OUR_CLIENT_V6"
else
	not_ok "$C_OUR_CLIENT_V6" "unexpected output or status" "$out" "$WORK/usrsctp_echo_server.log"
fi
stop_pid "$ES" 5

# ---- 2. usrsctp's client, our echo_server ----
S=$WORK/echo_server.log
timeout 120 "$EX/echo_server" -p 5000 -n 1 >"$S" 2>&1 </dev/null &
SRV=$!
PIDS+=("$SRV")
if ! wait_for 15 grep -q listening "$S"; then
	not_ok "$C_THEIR_CLIENT" "our echo_server did not start" "$S"
else
	out=$WORK/usrsctp_client.log
	printf 'hello from usrsctp\nline two\nline three\nline four\nline five\n' >"$WORK/lines"
	# the client sends each line, prints the echoes and shuts down at the end of its input;
	# the input is held open for a while so the echoes can come back first
	(cat "$WORK/lines"; sleep 3) | timeout 60 ip netns exec "$NS" "${PRELOAD[@]}" \
		stdbuf -oL "$USRSCTP/client" 198.18.0.1 5000 0 0 >"$out" 2>&1
	n=$(grep -c -x -e 'hello from usrsctp' -e 'line two' -e 'line three' -e 'line four' -e 'line five' "$out")
	rc=0
	wait_for 15 grep -q 'association ended' "$S"
	stop_pid "$SRV" 10 || rc=$?
	if [ "$n" -eq 5 ] && grep -q 'association ended: 5 messages' "$S" &&
		grep -q '>>> shutdown event' "$S" && grep -q 'SCTP_SHUTDOWN_COMP' "$out" &&
		[ "$rc" -eq 0 ]; then
		ok "$C_THEIR_CLIENT"
	else
		not_ok "$C_THEIR_CLIENT" "$n of 5 lines echoed, server exit $rc" "$out" "$S"
	fi
fi

# ---- the daemon stops cleanly, then the capture ----
v=0
dpsctpd_stop "$DAEMON_PID" 30 || v=$?
DAEMON_PID=
[ "$v" -eq 0 ] || not_ok "dpsctpd exits 0 on SIGTERM" "exit $v" "$LOG" "$LOG.err"
if [ -n "$CAP_PID" ]; then
	sleep 1.5
	kill -INT "$CAP_PID" 2>/dev/null
	for ((i = 0; i < 100; i++)); do kill -0 "$CAP_PID" 2>/dev/null || break; sleep 0.1; done
	stop_pid "$CAP_PID" 3
	ICMP_ERR='icmp.type == 3 || icmp.type == 11 || icmp.type == 12 || (icmpv6.type >= 1 && icmpv6.type <= 4)'
	bad=$("${TSHARK[@]}" -r "$CAP" -Y "!($ICMP_ERR) && (sctp.checksum.status == \"Bad\" || _ws.malformed || _ws.expert.severity == error)" 2>/dev/null | wc -l)
	good=$("${TSHARK[@]}" -r "$CAP" -Y "!($ICMP_ERR) && sctp.checksum.status == \"Good\"" -T fields -e frame.number 2>/dev/null | wc -l)
	diag "capture: $good SCTP packets with a good CRC32c, $bad bad"
	if [ "$bad" -eq 0 ] && [ "$good" -gt 0 ]; then
		ok "$C_CAPTURE"
	else
		not_ok "$C_CAPTURE" "$bad bad packets, $good good"
	fi
else
	diag "tshark not installed: no capture check"
fi

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
