#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Reserve hugepages for dpsctpd and mount hugetlbfs, with DPDK's own dpdk-hugepages.py.
#   scripts/hugepages.sh [SIZE]   reserve SIZE (default 512M) of 2 MB pages and mount them
#   scripts/hugepages.sh --clear  release them
# dpsctpd uses hugepages when some are free (eal.hugepages: auto); without them it runs with
# --no-huge, which is fine for tests and small machines, but then secondary processes such as
# dpdk-dumpcap and dpdk-proc-info cannot attach to it.
set -euo pipefail
if [ "${1:-}" = "--clear" ]; then
	dpdk-hugepages.py --clear
	dpdk-hugepages.py --unmount || true
	exit 0
fi
size=${1:-512M}
dpdk-hugepages.py --pagesize 2M --reserve "$size"
# dpdk-hugepages.py --mount fails where /dev/hugepages does not exist yet
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
dpdk-hugepages.py --show
