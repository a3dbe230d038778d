#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Usage: tshark_check.sh PCAP_GENERATOR
# The generator writes a pcap of built packets and, per frame, the chunk types it put in it.
# tshark (with CRC32c checksums verified) must decode every frame with exactly those chunk types,
# every checksum good, and no malformed packet or expert error anywhere.
set -euo pipefail
gen=$1
command -v tshark >/dev/null || { echo "tshark-check: tshark is not installed (scripts/deps.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$gen" "$work/every.pcap" "$work/expected.txt"
# The payloads are filler, not M3UA/S1AP/NGAP messages: the check is about SCTP, so the dissectors
# that the sample ports and PPIDs would hand the payload to are switched off.
ts() {
	tshark -n -r "$work/every.pcap" -o sctp.checksum:crc-32c --disable-protocol m3ua \
		--disable-protocol s1ap --disable-protocol ngap "$@" 2>"$work/tshark.err"
}

fail=0
ts -T fields -E separator='|' -e frame.number -e sctp.chunk_type -e sctp.checksum.status \
	>"$work/got.txt"
frames=$(wc -l <"$work/expected.txt")
if [ "$(wc -l <"$work/got.txt")" -ne "$frames" ]; then
	echo "tshark-check: tshark read $(wc -l <"$work/got.txt") frames, expected $frames"; fail=1
fi
paste -d'|' "$work/expected.txt" "$work/got.txt" | while IFS='|' read -r name want num got crc; do
	if [ "$want" != "$got" ]; then
		echo "tshark-check: frame $num ($name): chunk types '$got', expected '$want'"; echo x >>"$work/bad"
	fi
	if [ "$crc" != "1" ]; then
		echo "tshark-check: frame $num ($name): CRC32c status '$crc' (1 = good)"; echo x >>"$work/bad"
	fi
done
[ -e "$work/bad" ] && fail=1

# Expert severity error is 0x00800000; a malformed packet raises _ws.malformed.
ts -Y '_ws.malformed || _ws.expert.severity >= 0x00800000 || sctp.checksum_bad.expert' \
	-T fields -e frame.number -e _ws.expert.message >"$work/errors.txt"
if [ -s "$work/errors.txt" ]; then
	echo "tshark-check: frames with malformed packets or expert errors:"; cat "$work/errors.txt"
	while read -r num _; do
		ts -V -Y "frame.number == $num" | sed -n '/Stream Control Transmission Protocol/,$p' | head -80
	done <"$work/errors.txt"
	fail=1
fi
if [ -s "$work/tshark.err" ]; then
	grep -v 'Running as user "root"' "$work/tshark.err" || true
fi
if [ "$fail" -eq 0 ]; then
	echo "tshark-check: $frames frames, every chunk type decoded as built, CRC32c good, no malformed packet, no expert error"
fi
exit "$fail"
