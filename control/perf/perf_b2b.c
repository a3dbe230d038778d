/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctp-perf's b2b and peer modes.
 *
 * b2b: two whole stacks in this process, as tests/dataplane/test_dp_ring.c builds them, joined
 * by a net_ring pair (port A's TX ring is port B's RX ring and back). A (198.18.0.1) has one
 * source service per association (ports 5000 + i: an association needs a port of its own on
 * one side, and a configuration holds DPSCTPD_MAX_SERVICES services), each given a dp_gen; B
 * (198.18.0.2) has a discard service on port 9 (bulk) or an echo on port 7 (rr). Each stack has
 * one worker. Without -c: EAL lcores 0 (main: both control planes, the reports) and 1 (A's
 * worker) share the first CPU we may run on, lcore 2 (B's worker) has the second one; with -c
 * FILE, the file's eal, mempool and protocol settings apply to both stacks, and its first two
 * worker lcores (or 1 and 2) carry A and B.
 *
 * b2b --link memif: the same two stacks in two processes joined by net_memif (an abstract unix
 * socket named after the parent's pid). The process forks before EAL; the child runs B (the
 * memif server) and publishes B's counters every millisecond in shared memory; the parent runs
 * A once B listens. Each process has its main lcore and its worker (lcore 1) on a CPU of its own
 * (A on the first, B on the second).
 *
 * peer: one stack from -c FILE (its ports: a NIC, or net_tap toward a namespace), or without it
 * a net_tap port "dpperf0" with address --local. Client: a source of --assocs associations
 * toward --peer / --port; server: a discard (bulk) or echo (rr) on --port.
 *
 * What is counted: bulk, the messages the receiving side's services took in whole (B's, or in
 * peer client mode, lacking the peer's counters, those the peer acknowledged whole: the engine's
 * msgs_acked and bytes_acked, cumulative TSN past a message's last chunk); rr,
 * the echoes our generator received (round trips). Packets are every packet our stacks received
 * (b2b: both directions of the wire) or received and sent (peer). Cycles per message are the
 * TSC cycles of the worker lcores over the run (they spin) divided by the messages.
 */
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "perf_stack.h"
#include "setup.h"
#include "worker.h"

#define UP_WAIT_S 10 /* bound of the wait for the associations (not for a server) */

/* ---- counters ---- */

static uint64_t
ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
read_counts(const struct perf_run *r, struct perf_counts *pc)
{
	bool peer = r->nsides == 1 && r->remote == NULL;
	unsigned int i, w;

	memset(pc, 0, sizeof(*pc));
	pc->tsc = rte_rdtsc();
	if (r->remote != NULL) {
		/* side B in the other process: the sink of bulk */
		pc->pkts = ld(&r->remote->pkts);
		pc->retrans = ld(&r->remote->retrans);
		if (!r->o->rr) {
			pc->msgs = ld(&r->remote->msgs);
			pc->bytes = ld(&r->remote->bytes);
		}
	}
	for (i = 0; i < r->nsides; i++) {
		const struct dp_stack *s = r->side[i].s;
		/* rr: the echoes back at the generator; bulk: what the sink took in */
		bool measuring = r->o->rr ? i == r->gen_side : (peer ? true : i != r->gen_side);

		for (w = 0; w < s->nworkers; w++) {
			const struct dp_worker_stats *st = &s->workers[w]->st;
			struct dpsctp_stats e;

			pc->pkts += ld(&st->rx_packets) + (peer ? ld(&st->tx_packets) : 0);
			memset(&e, 0, sizeof(e));
			dp_worker_engine_stats(s->workers[w], &e);
			pc->retrans += e.retrans_t3 + e.retrans_fast;
			if (measuring && peer && !r->o->rr && !r->o->server) {
				/* bulk to a peer: what it acknowledged, the most we can know */
				pc->msgs += e.msgs_acked;
				pc->bytes += e.bytes_acked;
			} else if (measuring) {
				pc->msgs += ld(&st->svc_msgs_in);
				pc->bytes += ld(&st->svc_bytes_in);
			}
		}
	}
}

static unsigned int
worker_lcores(const struct perf_run *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->nsides; i++)
		n += r->side[i].s->nworkers;
	return n + (r->remote != NULL ? 1 : 0);
}

/*
 * Where packets were lost since start, per stack (what the retransmissions answer): the
 * workers' drop counters and what a port refused. Nothing printed when nothing was lost.
 */
static void
print_losses(const struct perf_run *r)
{
	unsigned int i, w, d;

	for (i = 0; i < r->nsides; i++) {
		const struct dp_stack *s = r->side[i].s;
		struct dp_worker_stats sum;
		char line[512];
		size_t len = 0;

		memset(&sum, 0, sizeof(sum));
		for (w = 0; w < s->nworkers; w++)
			dp_worker_stats_add(&sum, s->workers[w]);
		if (sum.tx_dropped != 0)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
				" port_refused=%" PRIu64, sum.tx_dropped);
		for (d = 0; d < DP_DROP_COUNT && len < sizeof(line) - 64; d++)
			if (sum.drops[d] != 0)
				len += (size_t)snprintf(line + len, sizeof(line) - len,
					" %s=%" PRIu64, dp_drop_name((enum dp_drop)d),
					sum.drops[d]);
		if (len != 0)
			printf("  losses, stack %c%s\n", 'A' + (int)i, line);
	}
}

/* Associations that reached ESTABLISHED on every stack (counted once per side). */
static unsigned int
assoc_count(const struct perf_run *r)
{
	unsigned int i, w, n = 0;

	for (i = 0; i < r->nsides; i++) {
		const struct dp_stack *s = r->side[i].s;

		for (w = 0; w < s->nworkers; w++) {
			struct dpsctp_stats e;

			memset(&e, 0, sizeof(e));
			dp_worker_engine_stats(s->workers[w], &e);
			n += (unsigned int)e.assocs_established;
		}
	}
	return n;
}

/* Poll the control planes until @p until (TSC); a short sleep when all were idle. */
static void
poll_until(struct perf_run *r, uint64_t until)
{
	do {
		unsigned int i, work = 0;

		for (i = 0; i < r->nsides; i++)
			work += dpsctpd_ctrl_poll(r->side[i].c);
		if (work == 0)
			dpsctpd_ctrl_nap(200);
	} while (rte_rdtsc() < until);
}

/* Echoes that came back with another length or out of order (svc_bad of the generators). */
static uint64_t
gen_bad(const struct perf_run *r)
{
	const struct dp_stack *s = r->side[r->gen_side].s;
	uint64_t n = 0;
	unsigned int w;

	for (w = 0; w < s->nworkers; w++)
		n += ld(&s->workers[w]->st.svc_bad);
	return n;
}

/* ---- the run ---- */

static int
measure(struct perf_run *r)
{
	const struct perf_opts *o = r->o;
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), end;
	unsigned int want = o->server ? 1 : o->assocs * r->nsides, nw, t;
	struct perf_counts c0, prev, now;
	struct perf_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	/* the associations come up (a server waits for its first peer as long as it takes) */
	while (assoc_count(r) < want) {
		if (!o->server && rte_rdtsc() - t0 > UP_WAIT_S * hz) {
			fprintf(stderr, "dpsctp-perf: %u of %u associations up after %d s\n",
				assoc_count(r) / r->nsides, o->assocs, UP_WAIT_S);
			return 1;
		}
		poll_until(r, rte_rdtsc() + hz / 100);
	}
	if (!o->quiet)
		printf("%u associations up after %.2f s; warm-up %.1f s\n",
			assoc_count(r) / r->nsides, (double)(rte_rdtsc() - t0) / (double)hz,
			o->warmup);
	poll_until(r, rte_rdtsc() + (uint64_t)(o->warmup * (double)hz));
	nw = r->side[r->gen_side].s->nworkers;
	if (r->gen.per_worker != NULL)
		memcpy(r->lat0, r->gen.per_worker, nw * sizeof(*r->lat0));
	read_counts(r, &c0);
	prev = c0;
	end = c0.tsc + (uint64_t)(o->seconds * (double)hz);
	for (t = 1; prev.tsc < end; t++) {
		uint64_t next = c0.tsc + t * hz;

		poll_until(r, next < end ? next : end);
		read_counts(r, &now);
		if (!o->quiet)
			perf_report_tick(t, &prev, &now, o->size);
		prev = now;
	}
	perf_report_rates(&c0, &now, worker_lcores(r), &res);
	if (o->rr && r->gen.per_worker != NULL)
		perf_report_latency(r->lat0, r->gen.per_worker, nw, &res);
	if (now.msgs == c0.msgs)
		fprintf(stderr, "dpsctp-perf: no message went through\n");
	if (gen_bad(r) != 0)
		fprintf(stderr, "dpsctp-perf: %" PRIu64 " echoes did not come back as sent\n",
			gen_bad(r));
	rc = perf_report_summary(o, &res);
	if (!o->quiet)
		print_losses(r);
	return rc;
}

/* The memif child (side B): serve, publishing B's counters, until the parent is done. */
static int
serve(struct perf_run *r, struct perf_remote *rm)
{
	const struct dp_stack *s = r->side[0].s;

	__atomic_store_n(&rm->state, PERF_REMOTE_UP, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&rm->stop, __ATOMIC_ACQUIRE)) {
		uint64_t msgs = 0, bytes = 0, pkts = 0, retrans = 0;
		unsigned int w;

		poll_until(r, rte_rdtsc() + rte_get_tsc_hz() / 1000);
		for (w = 0; w < s->nworkers; w++) {
			const struct dp_worker_stats *st = &s->workers[w]->st;
			struct dpsctp_stats e;

			memset(&e, 0, sizeof(e));
			dp_worker_engine_stats(s->workers[w], &e);
			msgs += ld(&st->svc_msgs_in);
			bytes += ld(&st->svc_bytes_in);
			pkts += ld(&st->rx_packets);
			retrans += e.retrans_t3 + e.retrans_fast;
		}
		__atomic_store_n(&rm->msgs, msgs, __ATOMIC_RELAXED);
		__atomic_store_n(&rm->bytes, bytes, __ATOMIC_RELAXED);
		__atomic_store_n(&rm->pkts, pkts, __ATOMIC_RELAXED);
		__atomic_store_n(&rm->retrans, retrans, __ATOMIC_RELAXED);
	}
	return 0;
}

/*
 * EAL, the stacks of this process, the run (or, @p memif 's', serving as the memif child),
 * teardown. @p memif: 0, 'c' or 's' (perf_stack_eal).
 */
static int
run_here(struct perf_run *r, const struct dpsctpd_config *file, const char *prog, int memif,
	struct perf_remote *rm)
{
	const struct perf_opts *o = r->o;
	char rundir[PATH_MAX];
	unsigned int i;
	int rc;

	if (perf_stack_eal(o, file, prog, memif) != 0)
		return 1;
	if (memif != 0)
		rc = perf_setup_memif(r, file, memif == 's');
	else
		rc = strcmp(o->mode, "b2b") == 0 ? perf_setup_b2b(r, file)
						 : perf_setup_peer(r, file);
	if (rc != 0 || (memif != 's' && perf_stack_arm(r) != 0)) {
		rc = 1;
		goto out;
	}
	rc = 1;
	for (i = 0; i < r->nsides; i++) {
		if (dpsctpd_ctrl_create(r->side[i].s, &r->side[i].cfg, &r->side[i].c) != 0) {
			fprintf(stderr, "dpsctp-perf: control of stack %u\n", i);
			goto out;
		}
	}
	for (i = 0; i < r->nsides; i++) {
		if (dpsctpd_stack_launch(r->side[i].s) != 0) {
			fprintf(stderr, "dpsctp-perf: cannot launch the workers of stack %u\n", i);
			goto out;
		}
	}
	if (memif == 's') {
		rc = serve(r, rm);
		goto out;
	}
	/* scripts wait for this line before moving a tap's kernel end elsewhere (its queues exist)
	 */
	printf("dpsctp-perf: ready, %u stack%s running\n", r->nsides + (r->remote != NULL),
		r->nsides + (r->remote != NULL) > 1 ? "s" : "");
	fflush(stdout);
	rc = measure(r);
out:
	perf_stack_teardown(r);
	/* EAL leaves its (empty) runtime directory behind, even with --no-shconf */
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	(void)rmdir(rundir);
	return rc;
}

/*
 * b2b over net_memif: fork before EAL (a process cannot fork once EAL runs); the child is side
 * B, the memif server; once its port listens, this process starts side A, the client.
 */
static int
memif_main(struct perf_run *r, const struct dpsctpd_config *file, const char *prog)
{
	struct perf_remote *rm =
		mmap(NULL, sizeof(*rm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t waited_ms = 0;
	pid_t child;
	int rc, st;

	if (rm == MAP_FAILED)
		return 1;
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		rc = run_here(r, file, prog, 's', rm);
		if (rc != 0)
			__atomic_store_n(&rm->state, PERF_REMOTE_FAILED, __ATOMIC_RELEASE);
		_exit(rc);
	}
	while (__atomic_load_n(&rm->state, __ATOMIC_ACQUIRE) == PERF_REMOTE_STARTING &&
		waited_ms < 30000 && waitpid(child, &st, WNOHANG) == 0) {
		usleep(10000);
		waited_ms += 10;
	}
	if (__atomic_load_n(&rm->state, __ATOMIC_ACQUIRE) != PERF_REMOTE_UP) {
		fprintf(stderr, "dpsctp-perf: the memif side B did not start\n");
		rc = 1;
	} else {
		r->remote = rm;
		rc = run_here(r, file, prog, 'c', NULL);
	}
	__atomic_store_n(&rm->stop, 1, __ATOMIC_RELEASE);
	if (waitpid(child, &st, 0) == child && (!WIFEXITED(st) || WEXITSTATUS(st) != 0) && rc == 0)
		fprintf(stderr, "dpsctp-perf: the memif side B ended badly (status %d)\n", st);
	munmap(rm, sizeof(*rm));
	return rc;
}

int
perf_b2b_main(const struct perf_opts *o, const char *prog)
{
	static struct perf_run r;
	static struct dpsctpd_config file;
	const struct dpsctpd_config *f = o->config != NULL ? &file : NULL;
	bool b2b = strcmp(o->mode, "b2b") == 0;
	char err[512];
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o;
	if (o->config != NULL && dpsctpd_config_load(o->config, &file, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpsctp-perf: %s\n", err);
		return 2;
	}
	if (!b2b && o->config == NULL && o->local == NULL) {
		fprintf(stderr, "dpsctp-perf: peer mode needs -c FILE or --local ADDR\n");
		return 2;
	}
	if (b2b && o->memif)
		rc = memif_main(&r, f, prog);
	else
		rc = run_here(&r, f, prog, 0, NULL);
	dpsctpd_config_free(&file);
	return rc;
}
