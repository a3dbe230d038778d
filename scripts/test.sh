#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs missing packages, configures, builds and runs the whole dpsctp test suite:
#   1. release build with warnings as errors: unit tests, simulator scenarios and soak, usrsctp
#      in-process interop, the tshark checks, corpus replay, layers, the configuration and
#      dpsctpctl tests, the dataplane tests (whole stacks over net_ring, EAL --no-huge), and
#      usrsctp against dpsctpd over net_tap in a network namespace (root)
#      libdpsctp's conformance, hostile-application and example tests against a dpsctpd, its
#      installation (pkg-config), usrsctp against the API examples over net_tap (root)
#   2. the engine, simulator, interop, configuration, dataplane and API tests under
#      AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the libFuzzer targets built with clang, each replaying its corpus and crashers once
# Exits non-zero on any failure. The last line is "N passed, N failed" over all test cases.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
dpsctp_install_deps

jobs=$(nproc)
passed=0
failed=0

# Count Criterion's per-binary synthesis lines (and plain meson tests) from a meson test log.
tally() {
	local log=$1 p f
	read -r p f < <(python3 - "$log" <<'PY'
import json, re, sys
p = f = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    m = re.search(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)",
                  (t.get("stdout") or "") + (t.get("stderr") or ""))
    ok = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
    if m:
        p += int(m.group(2)); f += int(m.group(3)) + int(m.group(4))
        if not ok and int(m.group(3)) + int(m.group(4)) == 0:
            f += 1          # the binary failed outside any test case
    else:
        p += ok; f += not ok
print(p, f)
PY
	)
	passed=$((passed + p))
	failed=$((failed + f))
}

run_suite() {
	local dir=$1; shift
	local rc=0
	meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@" || rc=$?
	tally "$dir/meson-logs/testlog.json"
	return $rc
}

status=0

echo "== release build (-Werror)"
[ -d build ] || meson setup build --werror -Dtests=enabled
ninja -C build
run_suite build || status=1

echo "== libdpsctp installed: pkg-config and a program built against it"
if bash scripts/check-install.sh build; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

echo "== sanitizer build (address,undefined)"
[ -d build-asan ] || CC=gcc meson setup build-asan --werror -Dtests=enabled \
	-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
ninja -C build-asan
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	run_suite build-asan --suite engine --suite sim --suite interop --suite fuzz-replay \
	--suite control --suite dataplane --suite api || status=1

echo "== fuzz targets (clang, libFuzzer): corpus and crashers replayed once"
[ -d build-fuzz ] || CC=clang meson setup build-fuzz --werror -Dtests=disabled -Dfuzzing=true \
	-Dbuildtype=debugoptimized
ninja -C build-fuzz
run_suite build-fuzz --suite fuzz-libfuzzer || status=1

echo
echo "tests: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
exit $status
