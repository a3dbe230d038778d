#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The dependency rule of ARCHITECTURE.md, checked: dataplane/sctp/ (the sans-I/O engine) includes
# nothing of DPDK, threads, sockets or clocks and calls no clock; api/ links no DPDK.
# Usage: scripts/check-layers.sh [SOURCE_ROOT]
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
fail=0

engine_includes='#[[:space:]]*include[[:space:]]*[<"](rte_[^>"]*|pthread\.h|threads\.h|sys/socket\.h|netinet/[^>"]*|arpa/[^>"]*|netdb\.h|sys/un\.h|time\.h|sys/time\.h|sys/timerfd\.h|unistd\.h|signal\.h|sched\.h|sys/epoll\.h|sys/mman\.h|fcntl\.h)[>"]'
# A call, not a member: env->free(...) is the injected allocator and allowed.
engine_calls='(^|[^.>[:alnum:]_])(clock_gettime|gettimeofday|time|rte_[a-z_]+|pthread_[a-z_]+|socket|sendto|recvfrom|sendmsg|recvmsg|getrandom|rand|srand|random|malloc|calloc|realloc|free|getenv)[[:space:]]*\('

if [ -d dataplane/sctp ]; then
	# Strip comments and strings so prose that mentions a call does not trip the check.
	while IFS= read -r -d '' f; do
		case "$f" in
		*/gen_*.c) continue ;; # build-time generators run on the build host, not in the engine
		esac
		hits=$(grep -nE "$engine_includes" "$f")
		if [ -n "$hits" ]; then
			echo "check-layers: $f includes what the engine must not:"; echo "$hits"; fail=1
		fi
		code=$(sed -e 's://.*$::' "$f" | perl -0pe 's{/\*.*?\*/}{ }gs; s{"(\\.|[^"\\])*"}{""}g')
		hits=$(printf '%s\n' "$code" | grep -nE "$engine_calls")
		if [ -n "$hits" ]; then
			echo "check-layers: $f calls what the engine must not (I/O, clocks, DPDK, randomness or the heap: inject them):"
			echo "$hits"; fail=1
		fi
	done < <(find dataplane/sctp -name '*.[ch]' -print0)
fi

if [ -d api ]; then
	hits=$(grep -rnE "$engine_includes" api --include='*.[ch]' | grep -E 'rte_' || true)
	if [ -n "$hits" ]; then
		echo "check-layers: api/ includes DPDK headers:"; echo "$hits"; fail=1
	fi
	hits=$(grep -rnE "dpdk_dep|libdpdk" api --include='meson.build' || true)
	if [ -n "$hits" ]; then
		echo "check-layers: api/ links DPDK:"; echo "$hits"; fail=1
	fi
fi

if [ "$fail" -eq 0 ]; then
	echo "check-layers: dataplane/sctp is sans-I/O; api/ is free of DPDK"
fi
exit "$fail"
