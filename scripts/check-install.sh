#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# libdpsctp as an application developer gets it: `meson install` of build dir $1 into a staging
# root, then `pkg-config --cflags --libs libdpsctp` from there, and a program built with those
# flags alone against the installed header and library (the RFC 6458 calls link, nothing of DPDK
# is needed). Prints "check-install: ok" and exits 0, or says what is missing.
# Usage: scripts/check-install.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
stage=$(mktemp -d /tmp/dpsctp-install.XXXXXX)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --quiet >/dev/null
pc=$(find "$stage" -name libdpsctp.pc | head -1)
[ -n "$pc" ] || { echo "check-install: no libdpsctp.pc installed"; exit 1; }
# the .pc names the final prefix: point a copy of it at the staging root
mkdir -p "$stage/pc"
sed "s|^prefix=|prefix=$stage|" "$pc" >"$stage/pc/libdpsctp.pc"
export PKG_CONFIG_PATH=$stage/pc
flags=$(pkg-config --cflags --libs libdpsctp)
echo "check-install: pkg-config --cflags --libs libdpsctp: $flags"
cat >"$stage/app.c" <<'C'
#include <dpsctp/dpsctp.h>
#include <errno.h>
#include <stdio.h>
int
main(void)
{
	struct dpsctp_sndinfo si = { .snd_sid = 1 };

	/* no daemon at this path: the call must fail cleanly, not crash */
	if (dpsctp_attach("/nonexistent/dpsctpd.sock") != -1 || errno == 0)
		return 1;
	return si.snd_sid == 1 ? 0 : 1;
}
C
# shellcheck disable=SC2086 # the flags are words
cc -o "$stage/app" "$stage/app.c" $flags
if ldd "$stage/app" | grep -q 'librte_'; then
	echo "check-install: an application linking libdpsctp pulls DPDK in"
	exit 1
fi
libdir=$(pkg-config --variable=libdir libdpsctp)
LD_LIBRARY_PATH=$libdir "$stage/app"
echo "check-install: ok"
