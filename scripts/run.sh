#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job: installs what is missing, builds the release tree, then
#   1. a demo of dpsctpd on a net_tap port whose kernel end is in a network namespace (as
#      configs/tap-demo.yaml: 198.18.0.1/24 and 2001:db8:18::1/64, echo on port 7, discard on 9):
#      usrsctp's `client` (Debian's libusrsctp-examples) exchanges a few lines with the echo
#      service over raw IP, dpsctpctl shows the association while it is up and the counters
#      after, and dpsctpd stops on SIGTERM. It needs root; without it the demo is skipped;
#      Then the RFC 6458 echo example on libdpsctp through the same daemon: api/examples'
#      echo_server listens on port 5000, echo_client connects with connectx to two of the
#      daemon's addresses (198.18.0.1 and 127.0.0.1: a multihomed association delivered inside
#      dpsctpd), sends 64 messages over 64 streams from one thread while another reads the echoes;
#   2. the benchmarks: CRC32c (reference, rte_hash_crc, ours), the engine's own cost per DATA
#      packet received and per message sent (no I/O), and application-to-application messages/s
#      through libdpsctp and dpsctpd beside an rte_ring SP/SC baseline (scripts/bench-api.sh).
# Figures are printed, never asserted. Extra arguments go to the CRC32c benchmark (e.g. --csv FILE).
# Exits non-zero when the build or the demo fails (the benchmarks run all the same).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
dpsctp_install_deps

[ -d build ] || meson setup build -Dtests=enabled
ninja -C build control/dpsctpd tests/bench/bench_crc32c tests/bench/bench_engine \
	api/examples/echo_server api/examples/echo_client

# The demo runs in a subshell with its own cleanup; it checks every step itself (set -e does
# not apply inside a `||` list).
demo() {
	local dpsctpd=build/control/dpsctpd dpsctpctl=build/control/dpsctpctl out i line fd
	# not local: the EXIT trap of the subshell reads them after the function has returned
	ns=dpsctp-demo-$$
	tap=dpsdemo$$
	prefix=dpsctp-demo-$$

	. scripts/netns.sh
	if ! netns_usable; then
		echo "demo: skipped (needs root and 'ip netns')"
		return 0
	fi
	tmp=$(mktemp -d /tmp/dpsctp-demo.XXXXXX)
	DEMO_PID=
	CLIENT_PID=
	SERVER_PID=
	# shellcheck disable=SC2317 # called by the trap
	demo_cleanup() {
		[ -n "$CLIENT_PID" ] && kill -TERM "$CLIENT_PID" 2>/dev/null
		[ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null
		[ -n "$DEMO_PID" ] && dpsctpd_stop "$DEMO_PID" 15
		netns_destroy "$ns"
		dpsctpd_forget_prefix "$prefix"
		rm -rf "$tmp"
	}
	trap demo_cleanup EXIT

	# configs/tap-demo.yaml with names of its own (another daemon may run), no hugepages, and
	# follow_link: false since the kernel end of the tap goes into another namespace
	dpsctpd_write_config "$tmp/dpsctpd.yaml" "$prefix" "$tmp/dpsctpd.sock" \
		"$(dpsctpd_tap_port 0 "$tap" 02:00:00:00:00:01 198.18.0.1/24 2001:db8:18::1/64)" \
		"  - {type: echo, port: 7}
  - {type: discard, port: 9}" \
		"shutdown_wait_ms: 3000"
	echo "$ $dpsctpd -c dpsctpd.yaml   # tap $tap: 198.18.0.1/24, 2001:db8:18::1/64; echo :7, discard :9"
	dpsctpd_start "$dpsctpd" "$tmp/dpsctpd.yaml" "$tmp/dpsctpd.log"
	DEMO_PID=$DPSCTPD_PID
	if ! dpsctpd_wait_ready "$DEMO_PID" "$tmp/dpsctpd.log" 30; then
		echo "demo: dpsctpd did not start"
		cat "$tmp/dpsctpd.log" "$tmp/dpsctpd.log.err"
		return 1
	fi
	sed 's/^/  /' "$tmp/dpsctpd.log"

	echo "$ ip netns add $ns; ip link set $tap netns $ns   # the peer: 198.18.0.2, 2001:db8:18::2"
	if ! netns_create "$ns" ||
		! netns_take_iface "$ns" "$tap" 02:00:00:00:00:02 198.18.0.2/24 2001:db8:18::2/64; then
		echo "demo: cannot set up namespace $ns"
		return 1
	fi
	echo "$ ip netns exec $ns ping -c 2 198.18.0.1"
	timeout 20 ip netns exec "$ns" ping -c 2 -i 0.2 -w 10 198.18.0.1 | sed 's/^/  /' || {
		echo "demo: no answer to ping"
		return 1
	}

	# usrsctp's client sends each line of its input as a message (raw IP: "0 0" = local port
	# and UDP encapsulation port unset) and prints what comes back; the input stays open through
	# a FIFO until dpsctpctl has shown the association
	out=$tmp/client.log
	mkfifo "$tmp/client.in"
	echo "$ ip netns exec $ns /usr/lib/usrsctp/client 198.18.0.1 7 0 0"
	timeout 60 ip netns exec "$ns" stdbuf -oL /usr/lib/usrsctp/client 198.18.0.1 7 0 0 \
		<"$tmp/client.in" >"$out" 2>&1 &
	CLIENT_PID=$!
	exec {fd}>"$tmp/client.in"
	for line in "hello, dpsctp" "SCTP over DPDK, through a tap" "third message"; do
		echo "  sent: $line"
		printf '%s\n' "$line" >&"$fd"
	done
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c -e '^hello, dpsctp$' -e '^SCTP over DPDK, through a tap$' \
			-e '^third message$' "$out")" -ge 3 ] && break
		sleep 0.1
	done
	grep -e '^hello, dpsctp$' -e '^SCTP over DPDK, through a tap$' -e '^third message$' "$out" |
		sed 's/^/  echoed: /'
	echo "$ dpsctpctl -p $prefix assocs   # while the client is connected"
	timeout 20 "$dpsctpctl" -p "$prefix" assocs | sed 's/^/  /'
	sleep 2
	exec {fd}>&- # end of input: the client shuts the association down
	if ! wait "$CLIENT_PID"; then
		echo "demo: the client failed"
		CLIENT_PID=
		cat "$out"
		return 1
	fi
	CLIENT_PID=
	echo "client output:"
	sed 's/^/  /' "$out"
	if [ "$(grep -c -e '^hello, dpsctp$' -e '^SCTP over DPDK, through a tap$' \
		-e '^third message$' "$out")" -ne 3 ]; then
		echo "demo: not every message came back"
		return 1
	fi

	# the RFC 6458 echo example: two applications attached to dpsctpd through libdpsctp
	export DPSCTP_SOCKET=$tmp/dpsctpd.sock
	echo "$ DPSCTP_SOCKET=dpsctpd.sock api/examples/echo_server -p 5000 -n 1 &"
	build/api/examples/echo_server -p 5000 -n 1 >"$tmp/server.log" 2>&1 &
	SERVER_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^echo_server: listening' "$tmp/server.log" && break
		sleep 0.1
	done
	echo "$ api/examples/echo_client -t -c 64 -s 200 198.18.0.1 127.0.0.1"
	if ! timeout 60 build/api/examples/echo_client -t -c 64 -s 200 198.18.0.1 127.0.0.1 \
		>"$tmp/echo_client.log" 2>&1; then
		echo "demo: the echo example failed"
		cat "$tmp/echo_client.log" "$tmp/server.log"
		return 1
	fi
	sed 's/^/  /' "$tmp/echo_client.log" | grep -v '^  <<<' | tail -12
	if ! timeout 20 tail --pid="$SERVER_PID" -f /dev/null; then
		echo "demo: echo_server did not end with its association"
		return 1
	fi
	wait "$SERVER_PID" || { echo "demo: echo_server failed"; return 1; }
	SERVER_PID=
	echo "echo_server output (last lines):"
	tail -4 "$tmp/server.log" | sed 's/^/  /'
	grep -q 'echo_client: 64 messages echoed, 0 bad' "$tmp/echo_client.log" || {
		echo "demo: not every message of the echo example came back"
		return 1
	}

	echo "$ dpsctpctl -p $prefix stats"
	timeout 20 "$dpsctpctl" -p "$prefix" stats | sed 's/^/  /'

	echo "$ kill -TERM $DEMO_PID   # dpsctpd"
	i=0
	dpsctpd_stop "$DEMO_PID" 30 || i=$?
	DEMO_PID=
	sed -n 's/^dpsctpd: stopped/  &/p' "$tmp/dpsctpd.log"
	if [ "$i" -ne 0 ]; then
		echo "demo: dpsctpd exited with $i"
		tail -20 "$tmp/dpsctpd.log.err"
		return 1
	fi
	return 0
}

status=0
echo "== dpsctpd on a tap, usrsctp's client in a network namespace"
(demo) || status=1

echo
echo "== CRC32c: ns per buffer, and our speed-up over DPDK's rte_hash_crc in the same run"
grep -m1 'model name' /proc/cpuinfo | sed 's/^.*: /cpu: /'
build/tests/bench/bench_crc32c "$@"

echo
echo "== Engine: ns per received DATA packet and per sent message (no I/O, no CRC), against aims"
build/tests/bench/bench_engine

echo
if [ "$(id -u)" -eq 0 ]; then
	BUILD=build bash scripts/bench-api.sh || status=1
else
	echo "== libdpsctp benchmark: skipped (dpsctpd needs root)"
fi
exit $status
