#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs the api/examples programs against a dpsctpd and checks what they print. Meant to run
# under api_with_daemon (which starts the daemon and exports DPSCTP_SOCKET):
#
#   api_with_daemon -- test_examples.sh EXAMPLES_DIR
#
# One line per case (`ok - name` / `not ok - name: why`), then `N passed, M failed`.
# Exit: 0 all passed, 1 a case failed, 77 no daemon.
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 EXAMPLES_DIR" >&2
	exit 2
fi
EX=$1
[ -n "${DPSCTP_SOCKET:-}" ] || { echo "skip: DPSCTP_SOCKET not set (run under api_with_daemon)"; exit 77; }
WORK=$(mktemp -d /tmp/dpsctp-examples.XXXXXX)
PIDS=()
npass=0
nfail=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	if [ "$nfail" -eq 0 ]; then rm -rf "$WORK"; else echo "# logs kept in $WORK"; fi
}
trap cleanup EXIT

ok() { echo "ok - $1"; npass=$((npass + 1)); }
not_ok() {
	echo "not ok - $1: $2"
	nfail=$((nfail + 1))
	shift 2
	for f in "$@"; do
		echo "#   --- $f"
		tail -n 15 "$f" 2>/dev/null | sed 's/^/#     /'
	done
}

wait_for() { # SECONDS COMMAND...
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" && return 0
		sleep 0.1
	done
	"${@:2}"
}

server() { # LOG PROGRAM ARGS...: start a server, wait for its "listening" line; PID in SRV
	local log=$1
	shift
	timeout 120 "$@" >"$log" 2>&1 </dev/null &
	SRV=$!
	PIDS+=("$SRV")
	wait_for 15 grep -q listening "$log"
}

server_exit() { # PID: wait for a server that was told how much to serve; its status
	local i
	for ((i = 0; i < 300; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$1" 2>/dev/null
	wait "$1"
}

# ---- 1. echo_server / echo_client (one-to-one, connectx, sendv/recvv, 64 streams, events) ----
C1="echo: client -c 200 -s 300 with connectx to 127.0.0.1 and 127.0.0.2 (multihomed), every echo checked"
C2="echo: client -t (sender and receiver threads on one socket) -c 3000 -s 1000 over ::1"
C3="echo: client reading lines from stdin (the reference client's mode), 5 lines echoed"
C4="echo: server printed COMM_UP with 64 streams each way and echoed 200 + 3000 + 5 messages"
S=$WORK/echo_server.log
if ! server "$S" "$EX/echo_server" -p 5000 -n 3; then
	not_ok "$C1" "echo_server did not start" "$S"
	not_ok "$C2" "not run"
	not_ok "$C3" "not run"
	not_ok "$C4" "not run"
else
	out=$WORK/echo_client1.log
	if timeout 60 "$EX/echo_client" -p 5000 -c 200 -s 300 127.0.0.1 127.0.0.2 >"$out" 2>&1 &&
		grep -q '^echo_client: 200 messages echoed, 0 bad$' "$out" &&
		grep -q 'connected to 2 address(es)' "$out" &&
		grep -q 'assoc change: state = 1, error = 0, instr = 64, outstr = 64' "$out"; then
		ok "$C1"
	else
		not_ok "$C1" "unexpected output or status" "$out"
	fi
	out=$WORK/echo_client2.log
	if timeout 90 "$EX/echo_client" -t -p 5000 -c 3000 -s 1000 ::1 >"$out" 2>&1 &&
		grep -q '^echo_client: 3000 messages echoed, 0 bad$' "$out"; then
		ok "$C2"
	else
		not_ok "$C2" "unexpected output or status" "$out"
	fi
	out=$WORK/echo_client3.log
	if printf 'one\ntwo\nthree, a longer line\nfour\nfive\n' |
		timeout 60 "$EX/echo_client" -p 5000 127.0.0.1 >"$out" 2>&1 &&
		grep -q '^echo_client: 5 messages echoed, 0 bad$' "$out" &&
		grep -qx 'three, a longer line' "$out"; then
		ok "$C3"
	else
		not_ok "$C3" "unexpected output or status" "$out"
	fi
	server_exit "$SRV"
	rc=$?
	n64=$(grep -c 'assoc_change: state=COMM_UP, error=0, instr=64 outstr=64' "$S")
	if [ "$rc" -eq 0 ] && [ "$n64" -eq 3 ] &&
		grep -q 'association ended: 200 messages, 60000 bytes echoed' "$S" &&
		grep -q 'association ended: 3000 messages, 3000000 bytes echoed' "$S" &&
		grep -q 'association ended: 5 messages' "$S" &&
		grep -q 'got 300 bytes on stream 63, ppid 63' "$S"; then
		ok "$C4"
	else
		not_ok "$C4" "exit $rc, $n64 COMM_UP with 64/64 streams" "$S"
	fi
fi

# ---- 2. many_server / many_client (one-to-many, no accept, no connect, MSG_EOR loops) ----
C5="one-to-many: many_client sends to an address without connecting, 3 short replies right"
C6="one-to-many: 3 x 5000-byte messages read in 1024-byte pieces (MSG_EOR loop) both ways"
C7="one-to-many: server saw two associations (two ids), COMM_UP and replies by rcv_assoc_id"
S=$WORK/many_server.log
if ! server "$S" "$EX/many_server" -p 5001 -n 6; then
	not_ok "$C5" "many_server did not start" "$S"
	not_ok "$C6" "not run"
	not_ok "$C7" "not run"
else
	out=$WORK/many_client1.log
	if timeout 60 "$EX/many_client" -p 5001 -c 3 127.0.0.1 >"$out" 2>&1 &&
		grep -q '^many_client: 3 of 3 replies right$' "$out"; then
		ok "$C5"
	else
		not_ok "$C5" "unexpected output or status" "$out"
	fi
	out=$WORK/many_client2.log
	if timeout 60 "$EX/many_client" -p 5001 -c 3 -s 5000 127.0.0.1 >"$out" 2>&1 &&
		grep -q '^many_client: 3 of 3 replies right$' "$out"; then
		ok "$C6"
	else
		not_ok "$C6" "unexpected output or status" "$out"
	fi
	server_exit "$SRV"
	rc=$?
	ids=$(sed -n 's/^many_server: [0-9]* bytes from association \([0-9]*\):.*/\1/p' "$S" | sort -u | wc -l)
	ups=$(grep -c ': COMM_UP$' "$S")
	if [ "$rc" -eq 0 ] && [ "$ids" -eq 2 ] && [ "$ups" -ge 2 ] &&
		[ "$(grep -c '^many_server: 5000 bytes from association' "$S")" -eq 3 ]; then
		ok "$C7"
	else
		not_ok "$C7" "exit $rc, $ids association ids, $ups COMM_UP" "$S"
	fi
fi

# ---- 3. peeloff ----
C8="peeloff: a busy association branched off after 100 of 3000 messages, none lost or reordered"
out=$WORK/peeloff.log
if timeout 90 "$EX/peeloff" -p 5002 -c 3000 -a 100 >"$out" 2>&1 &&
	grep -q '^peeloff: 2900 messages in order on the peeled socket$' "$out" &&
	grep -q '^peeloff: the client got "done 3000"$' "$out" && grep -qx 'peeloff: ok' "$out"; then
	ok "$C8"
else
	not_ok "$C8" "unexpected output or status" "$out"
fi

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
