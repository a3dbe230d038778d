/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every dataplane test does to get EAL and net_ring ports going: EAL once per test process
 * (Criterion forks one per Test) with no hugepages and no shared files, lcores spread over the
 * first two CPUs we may run on, EAL's empty runtime directory removed at exit, and ring ports
 * given the MAC address a NIC would come with. Then what the tests that run whole stacks side by
 * side (test_dp_ring.c, test_dp_link.c) share: a stack of the rig (struct dp_side) built, polled,
 * counted, shut down and freed, a buffer for the counters dumped into failure messages, and the
 * bounded wait.
 *
 * Everything here is static inline: each test program includes it once and uses what it needs.
 */
#ifndef DPSCTP_TESTS_DATAPLANE_DP_EAL_H
#define DPSCTP_TESTS_DATAPLANE_DP_EAL_H

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "config.h"
#include "ctrl.h"
#include "setup.h"
#include "stack.h"
#include "worker.h"

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

/* dp_eal_up for test @p tag of a program whose tests share @p prefix ("<prefix>_<tag>_<pid>"). */
static inline void
dp_eal_up_tagged(const char *prefix, const char *tag, unsigned int nlcores, unsigned int mem_mb,
	const char *log_level)
{
	char p[64];

	snprintf(p, sizeof(p), "%s_%s", prefix, tag);
	dp_eal_up(p, nlcores, mem_mb, log_level);
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

/* ---- a rig of stacks in one process ---- */

#define DP_SIDE_MAX_PORTS 2

/* One stack of a rig and its control plane, which the main lcore polls. */
struct dp_side {
	const char *name;
	struct dpsctpd_config cfg; /* ctrl keeps a pointer to it */
	struct dp_stack *s;
	struct dpsctpd_ctrl *c;
	uint16_t port_id[DP_SIDE_MAX_PORTS]; /* the stack's ports, in configuration order */
	bool stopped;                        /* dpsctpd_ctrl_shutdown done */
};

/* The configuration of @p sd (named already) from @p yaml; fails the test when it is wrong. */
static inline void
dp_side_parse(struct dp_side *sd, const char *yaml, char *err, size_t errlen)
{
	int rc = dpsctpd_config_parse(sd->name, yaml, strlen(yaml), &sd->cfg, err, errlen);

	cr_assert_eq(rc, 0, "config of %s: %s", sd->name, err);
}

/*
 * The stack of @p sd over its ports (port_id) and its control. A stack that fails to build
 * leaves its message in @p err and -errno is returned; a control that fails fails the test.
 */
static inline int
dp_side_build(struct dp_side *sd, char *err, size_t errlen)
{
	int rc = dpsctpd_stack_build(&sd->cfg, sd->port_id, sd->name, &sd->s, err, errlen);

	if (rc != 0)
		return rc;
	rc = dpsctpd_ctrl_create(sd->s, &sd->cfg, &sd->c);
	cr_assert_eq(rc, 0, "control of %s: %s", sd->name, strerror(-rc));
	return 0;
}

/* Start the workers of @p n sides. */
static inline void
dp_sides_launch(struct dp_side *sides, unsigned int n)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = dpsctpd_stack_launch(sides[i].s);
		cr_assert_eq(rc, 0, "launch of %s: %d", sides[i].name, rc);
	}
}

/* One turn of the control plane of each of @p n sides that still runs: what they did. */
static inline unsigned int
dp_sides_poll(struct dp_side *sides, unsigned int n)
{
	unsigned int i, work = 0;

	for (i = 0; i < n; i++)
		if (!sides[i].stopped)
			work += dpsctpd_ctrl_poll(sides[i].c);
	return work;
}

/* dpsctpd_ctrl_shutdown of @p sd: the associations it had to abort. */
static inline unsigned int
dp_side_shutdown(struct dp_side *sd, uint32_t wait_ms)
{
	unsigned int left = dpsctpd_ctrl_shutdown(sd->c, wait_ms);

	sd->stopped = true;
	return left;
}

static inline void
dp_free_ring_mbufs(struct rte_ring *r)
{
	void *m;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
}

/* Stop the control of each of @p n sides that still runs and wait for every worker. */
static inline void
dp_sides_stop(struct dp_side *sides, unsigned int n)
{
	unsigned int i, w;

	for (i = 0; i < n; i++)
		if (!sides[i].stopped)
			(void)dp_side_shutdown(&sides[i], 0);
	for (i = 0; i < n; i++)
		for (w = 0; w < sides[i].s->nworkers; w++)
			(void)rte_eal_wait_lcore(sides[i].s->worker_lcore[w]);
}

/*
 * Free @p n stopped sides. Frames of one stack's pool sit in the other's rings (control and
 * steering rings, and the wire, which the caller empties first): they go back to their pools
 * while all pools still exist, before any stack is freed.
 */
static inline void
dp_sides_free(struct dp_side *sides, unsigned int n)
{
	unsigned int i, w, k;

	for (i = 0; i < n; i++) {
		struct dp_stack *s = sides[i].s;

		for (w = 0; w < s->nworkers; w++) {
			dp_free_ring_mbufs(s->to_ctrl_pkt[w]);
			for (k = 0; k < s->nworkers; k++)
				dp_free_ring_mbufs(s->steer[w][k]);
		}
	}
	for (i = 0; i < n; i++) {
		dpsctpd_ctrl_free(sides[i].c);
		dpsctpd_stack_free(sides[i].s);
		dpsctpd_config_free(&sides[i].cfg);
	}
}

/* ---- counters ---- */

static inline uint64_t
dp_ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* The worker counter at offset @p off of struct dp_worker_stats, summed over @p sd's workers. */
static inline uint64_t
dp_side_svc(const struct dp_side *sd, size_t off)
{
	const struct dp_stack *s = sd->s;
	uint64_t n = 0;
	unsigned int w;

	for (w = 0; w < s->nworkers; w++)
		n += dp_ld((const uint64_t *)((const uint8_t *)&s->workers[w]->st + off));
	return n;
}

#define DP_SIDE_SVC(sd, field) dp_side_svc((sd), offsetof(struct dp_worker_stats, field))

/* The engine counters of @p sd's workers, summed (they change on the worker: read afresh). */
static inline void
dp_side_engine_totals(const struct dp_side *sd, struct dpsctp_stats *out)
{
	unsigned int w;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < sd->s->nworkers; w++)
		dp_worker_engine_stats(sd->s->workers[w], out);
}

static inline uint64_t
dp_aborts_total(const struct dpsctp_stats *e)
{
	uint64_t n = 0;
	unsigned int k;

	for (k = 0; k < DPSCTP_ABORT_COUNT; k++)
		n += e->aborts[k];
	return n;
}

static inline unsigned int
dp_side_assocs(const struct dp_side *sd)
{
	return dpsctpd_ctrl_assoc_count(sd->c);
}

static inline double
dp_elapsed(uint64_t t0)
{
	return (double)(rte_get_tsc_cycles() - t0) / (double)rte_get_tsc_hz();
}

/* ---- the counters as text, for failure messages and the log ---- */

static char dp_dump_buf[16384];
static size_t dp_dump_len;

/* Start the text anew. */
static inline void
dp_dump_reset(void)
{
	dp_dump_len = 0;
	dp_dump_buf[0] = '\0';
}

/* Append to the text (what does not fit is cut). */
static inline void __attribute__((format(printf, 1, 2))) dp_dump(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (dp_dump_len >= sizeof(dp_dump_buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(dp_dump_buf + dp_dump_len, sizeof(dp_dump_buf) - dp_dump_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		dp_dump_len += (size_t)n;
}

/* The worker's drops that are not zero: " name=n" each. */
static inline void
dp_dump_worker_drops(const struct dp_worker_stats *st)
{
	unsigned int k;

	for (k = 0; k < DP_DROP_COUNT; k++)
		if (dp_ld(&st->drops[k]) != 0)
			dp_dump(" %s=%" PRIu64, dp_drop_name(k), dp_ld(&st->drops[k]));
}

/* The engine's aborts and drops that are not zero, then the end of the line. */
static inline void
dp_dump_engine_aborts_drops(const struct dpsctp_stats *e)
{
	unsigned int k;

	for (k = 0; k < DPSCTP_ABORT_COUNT; k++)
		if (e->aborts[k] != 0)
			dp_dump(" abort %s=%" PRIu64, dpsctp_abort_code_name(k), e->aborts[k]);
	for (k = 0; k < DPSCTP_DROP_COUNT; k++)
		if (e->drops[k] != 0)
			dp_dump(" drop %s=%" PRIu64, dpsctp_drop_name(k), e->drops[k]);
	dp_dump("\n");
}

/*
 * Run @p poll until @p cond holds; after @p wait_s seconds fail the test with what @p dump
 * (a string) says.
 */
#define DP_WAIT_UNTIL(cond, what, wait_s, poll, dump)                                       \
	do {                                                                                \
		uint64_t end_ = rte_get_tsc_cycles() + (uint64_t)(wait_s)*rte_get_tsc_hz(); \
		while (!(cond)) {                                                           \
			if (rte_get_tsc_cycles() > end_)                                    \
				cr_assert_fail("timed out after %d s waiting for %s\n%s",   \
					(int)(wait_s), what, dump);                         \
			poll;                                                               \
		}                                                                           \
	} while (0)

#endif
