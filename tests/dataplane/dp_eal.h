/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every dataplane test does to get EAL and net_ring ports going: EAL once per test process
 * (Criterion forks one per Test) with no hugepages and no shared files, lcores spread over the
 * first two CPUs we may run on, EAL's empty runtime directory removed at exit, and ring ports
 * given the MAC address a NIC would come with.
 *
 * Everything here is static inline: each test program includes it once and uses what it needs.
 */
#ifndef DPSCTP_TESTS_DATAPLANE_DP_EAL_H
#define DPSCTP_TESTS_DATAPLANE_DP_EAL_H

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

static char dp_eal_runtime_dir[PATH_MAX];

/* EAL leaves its (empty) runtime directory behind, even with --no-shconf. */
static inline void
dp_eal_remove_runtime_dir(void)
{
	if (dp_eal_runtime_dir[0] != '\0')
		(void)rmdir(dp_eal_runtime_dir);
}

/* "--lcores=0@a,1@b,2@a,...": @p n lcores alternating over the first two CPUs we may use. */
static inline void
dp_eal_lcore_map(char *buf, size_t len, unsigned int n)
{
	cpu_set_t cs;
	int cpu[2] = {0, 0}, ncpu = 0, i;
	size_t used;
	unsigned int l;

	if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
		for (i = 0; i < CPU_SETSIZE && ncpu < 2; i++)
			if (CPU_ISSET(i, &cs))
				cpu[ncpu++] = i;
	if (ncpu == 1)
		cpu[1] = cpu[0];
	used = (size_t)snprintf(buf, len, "--lcores=");
	for (l = 0; l < n && used < len; l++)
		used += (size_t)snprintf(
			buf + used, len - used, "%s%u@%d", l == 0 ? "" : ",", l, cpu[l % 2]);
}

/*
 * EAL for a test: @p nlcores lcores (0 is main), @p mem_mb of memory, file prefix
 * "<prefix>_<pid>", DPDK logs at @p log_level. Fails the test when EAL does not come up.
 */
static inline void
dp_eal_up(const char *prefix, unsigned int nlcores, unsigned int mem_mb, const char *log_level)
{
	char file_prefix[96], lcores[128], mem[16], log[48];
	/* --in-memory is refused with --no-huge (legacy memory); --no-shconf: no files */
	char *argv[] = {"dataplane-test", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
		"-m", mem, file_prefix, lcores, "--main-lcore=0", log, NULL};
	int rc;

	snprintf(file_prefix, sizeof(file_prefix), "--file-prefix=%s_%d", prefix, (int)getpid());
	snprintf(mem, sizeof(mem), "%u", mem_mb);
	snprintf(log, sizeof(log), "--log-level=%s", log_level);
	dp_eal_lcore_map(lcores, sizeof(lcores), nlcores);
	rc = rte_eal_init((int)RTE_DIM(argv) - 1, argv);
	cr_assert_neq(rc < 0 ? rte_errno : 0, EALREADY,
		"EAL runs once per process: do not run these tests with --no-fork");
	cr_assert_geq(rc, 0, "rte_eal_init: %s", rte_strerror(rte_errno));
	snprintf(dp_eal_runtime_dir, sizeof(dp_eal_runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(dp_eal_remove_runtime_dir);
}

/*
 * Give a ring port the MAC address a NIC would come with. net_ring has none (all zeros) and
 * cannot change its default address; but ethdev takes the first empty (zero) slot for an
 * added address, which for a port of one address is the default one.
 */
static inline void
dp_eal_burn_in_mac(uint16_t port_id, const uint8_t mac[6])
{
	struct rte_ether_addr a, got;
	int rc;

	memcpy(a.addr_bytes, mac, 6);
	rc = rte_eth_dev_mac_addr_add(port_id, &a, 0);
	cr_assert_eq(rc, 0, "MAC of ring port %u: %s", port_id, strerror(-rc));
	cr_assert_eq(rte_eth_macaddr_get(port_id, &got), 0);
	cr_assert_arr_eq(got.addr_bytes, mac, 6, "ring port %u did not take its MAC", port_id);
}

#endif
