#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs what dpsctp needs from Debian 12's archive, only when something is missing.
# Sourced by scripts/test.sh and scripts/run.sh; runnable on its own (as root).
set -euo pipefail

DPSCTP_PACKAGES=(
	build-essential meson ninja-build pkg-config python3
	libdpdk-dev dpdk           # DPDK 22.11 (EAL, PMDs, rte_hash_crc)
	dpdk-dev                   # dpdk-testpmd (baseline), dpdk-dumpcap, dpdk-telemetry.py
	libyaml-dev                # dpsctpd's configuration reader
	libisal-dev                # ISA-L: CRC32c folding kernels
	libssl-dev                 # OpenSSL libcrypto: HMAC for state cookies
	libnuma-dev
	libcriterion-dev           # unit and scenario tests
	tshark                     # independent decoder of what we put on the wire
	libusrsctp-dev             # usrsctp: in-process interop peer (tests/interop)
	libusrsctp-examples        # usrsctp's client, tsctp, echo/discard servers: the peer over a tap
	iproute2 iputils-ping      # network namespaces for that peer, and ping
	clang libclang-rt-14-dev llvm   # libFuzzer and its sanitizer runtimes
	gnuplot-nox                # the plots of scripts/bench.sh
	perl
)

dpsctp_install_deps() {
	local missing=()
	local p
	for p in "${DPSCTP_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		return 0
	fi
	echo "deps: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages and not root; run as root or install: ${missing[*]}" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	dpsctp_install_deps
fi
