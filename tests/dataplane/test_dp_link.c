/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link state: a port whose link goes down carries no path. Two dpsctpd stacks in one process
 * under EAL (--no-huge --no-shconf --no-pci), each with two net_ring ports: A.port0 <-> B.port0
 * on 198.18.0.0/24 and A.port1 <-> B.port1 on 198.18.1.0/24. A's source talks to B's echo over
 * a multihomed association; the test takes the link of both ends of wire 0 down in the middle
 * of the transfer and checks that the association fails over to wire 1 and completes, then
 * brings the link up again and checks that the path comes back.
 *
 * The wire: unlike test_dp_ring.c, each ring port transmits into a ring of its own, and the test
 * (on the main lcore, between two turns of the control planes) moves the frames to the other
 * end. net_ring's "link down" only changes what rte_eth_link_get reports: its TX still enqueues
 * and its RX still dequeues. So cutting the wire is the test's job: while wire 0 is cut, what is
 * sent into it is counted and freed instead of delivered.
 *
 * Criterion runs every Test in a process of its own, so the test initialises EAL once and tears
 * it down at its end. Every wait is bounded (WAIT_S) and a timeout fails with the counters of
 * both stacks.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "config.h"
#include "ctrl.h"
#include "dp_eal.h"
#include "inet.h"
#include "setup.h"
#include "stack.h"
#include "worker.h"

#define WAIT_S 20      /* bound of every wait, seconds */
#define NPORTS 2       /* ports (wires) per stack */
#define LINK_RING 2048 /* frames in flight per ring */
#define FWD_BURST 64

TestSuite(dp_link, .timeout = 120);

/* ---- EAL, net_ring and the rig: two stacks of one worker, two wires the test carries ---- */

struct rig {
	struct dp_side side[2];          /* port_id[p]: wire p */
	struct rte_ring *rx[2][NPORTS];  /* rx[i][p]: RX queue of side i's port p */
	struct rte_ring *tx[2][NPORTS];  /* tx[i][p]: TX queue of side i's port p */
	bool cut[NPORTS];                /* wire p delivers nothing */
	uint64_t carried[NPORTS];        /* frames delivered over wire p */
	uint64_t discarded[NPORTS];      /* frames sent into wire p while cut */
	uint64_t sctp_discarded[NPORTS]; /* of those, SCTP packets */
	uint64_t t0;
};

static struct rig rig;

static struct rte_ring *
link_ring(const char *what, unsigned int i, unsigned int p)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "%s_%u_%u", what, i, p);
	r = rte_ring_create(name, LINK_RING, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	cr_assert_not_null(r, "ring %s: %s", name, rte_strerror(rte_errno));
	return r;
}

/* Each port its own MAC: 02:00:00:00:0p:0a for A, ...:0b for B. */
static void
port_mac(unsigned int i, unsigned int p, uint8_t mac[6])
{
	static const uint8_t base[6] = {0x02, 0, 0, 0, 0, 0};

	memcpy(mac, base, 6);
	mac[4] = (uint8_t)p;
	mac[5] = (uint8_t)(0x0a + i);
}

static void
rig_start(const char *tag, const char *const yaml[2])
{
	static const char *const names[2] = {"A", "B"};
	char err[256], dev[16];
	unsigned int i, p;
	uint8_t mac[6];
	int rc, id;

	RTE_BUILD_BUG_ON(NPORTS > DP_SIDE_MAX_PORTS);
	/* lcore 0 (main: control of both stacks and the wire) and workers 1, 2 */
	dp_eal_up_tagged("dplink", tag, 3, 512, "notice");
	memset(&rig, 0, sizeof(rig));
	for (i = 0; i < 2; i++) {
		struct dp_side *sd = &rig.side[i];

		sd->name = names[i];
		dp_side_parse(sd, yaml[i], err, sizeof(err));
		cr_assert_eq(sd->cfg.nworkers, 1, "the rig carries one queue per port");
		for (p = 0; p < NPORTS; p++) {
			rig.rx[i][p] = link_ring("rx", i, p);
			rig.tx[i][p] = link_ring("tx", i, p);
			snprintf(dev, sizeof(dev), "%s%u", sd->name, p);
			id = rte_eth_from_rings(dev, &rig.rx[i][p], 1, &rig.tx[i][p], 1,
				(unsigned int)rte_socket_id());
			cr_assert_geq(
				id, 0, "rte_eth_from_rings(%s): %s", dev, rte_strerror(rte_errno));
			sd->port_id[p] = (uint16_t)id;
			port_mac(i, p, mac);
			dp_eal_burn_in_mac(sd->port_id[p], mac);
		}
		rc = dp_side_build(sd, err, sizeof(err));
		cr_assert_eq(rc, 0, "stack %s: %s", sd->name, err);
	}
	dp_sides_launch(rig.side, 2);
	rig.t0 = rte_get_tsc_cycles();
}

static double
rig_elapsed(void)
{
	return dp_elapsed(rig.t0);
}

static bool
is_sctp(const struct rte_mbuf *m)
{
	struct dp_inet in;

	if (dp_inet_parse(rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m), &in) != 0)
		return false;
	return in.kind != DP_INET_ARP && in.proto == DP_INET_PROTO_SCTP;
}

/* Move what side @p i sent on port @p p to the other end, or drop it when the wire is cut. */
static unsigned int
carry(unsigned int i, unsigned int p)
{
	struct rte_mbuf *m[FWD_BURST];
	unsigned int n, k, sent;

	n = rte_ring_sc_dequeue_burst(rig.tx[i][p], (void **)m, FWD_BURST, NULL);
	if (n == 0)
		return 0;
	if (rig.cut[p]) {
		for (k = 0; k < n; k++) {
			rig.sctp_discarded[p] += is_sctp(m[k]);
			rte_pktmbuf_free(m[k]);
		}
		rig.discarded[p] += n;
		return n;
	}
	sent = rte_ring_sp_enqueue_burst(rig.rx[1 - i][p], (void **)m, n, NULL);
	rig.carried[p] += sent;
	for (k = sent; k < n; k++)
		rte_pktmbuf_free(m[k]); /* the receiver's ring is full: the wire loses them */
	return n;
}

/* One turn of the wires and of every control plane that still runs. */
static void
rig_poll(void)
{
	unsigned int i, p, work = 0;

	for (i = 0; i < 2; i++)
		for (p = 0; p < NPORTS; p++)
			work += carry(i, p);
	work += dp_sides_poll(rig.side, 2);
	if (work == 0)
		rte_delay_us_sleep(50);
}

/* Stop what still runs, wait for the workers, give every frame back while all pools exist. */
static void
rig_end(void)
{
	unsigned int i, p;

	dp_sides_stop(rig.side, 2);
	for (i = 0; i < 2; i++)
		for (p = 0; p < NPORTS; p++) {
			dp_free_ring_mbufs(rig.rx[i][p]);
			dp_free_ring_mbufs(rig.tx[i][p]);
		}
	dp_sides_free(rig.side, 2);
	for (i = 0; i < 2; i++)
		for (p = 0; p < NPORTS; p++) {
			rte_ring_free(rig.rx[i][p]);
			rte_ring_free(rig.tx[i][p]);
		}
	rte_eal_cleanup();
}

/* ---- counters ---- */

#define SVC(i, field) DP_SIDE_SVC(&rig.side[i], field)

/* Read a path counter of side @p i's engines (they change on the worker: read afresh). */
static uint64_t
eng(unsigned int i, size_t off)
{
	struct dpsctp_stats e;

	dp_side_engine_totals(&rig.side[i], &e);
	return *(const uint64_t *)((const uint8_t *)&e + off);
}

#define ENG(i, field) eng((i), offsetof(struct dpsctp_stats, field))

/* The associations side @p i's control knows of. */
#define ASSOCS(i) dp_side_assocs(&rig.side[i])

static void
dump_side(const struct dp_side *sd)
{
	const struct dpsctpd_ctrl_stats *cs = dpsctpd_ctrl_stats(sd->c);
	unsigned int w, p;

	dp_dump("%s: %u assocs%s; links:", sd->name, dp_side_assocs(sd),
		sd->stopped ? " (stopped)" : "");
	for (p = 0; p < sd->s->nports; p++)
		dp_dump(" %s %s", sd->s->ports[p].name,
			__atomic_load_n(&sd->s->ports[p].link_up, __ATOMIC_RELAXED) ? "up"
										    : "down");
	dp_dump("; control: link_changes %" PRIu64 " arp in %" PRIu64 " replies %" PRIu64
		" requests %" PRIu64 " init in %" PRIu64 " tx_no_route %" PRIu64
		" tx_no_neigh %" PRIu64 " tx_ring_full %" PRIu64 "\n",
		cs->link_changes, cs->arp_in, cs->arp_replies, cs->arp_requests, cs->init_in,
		cs->tx_no_route, cs->tx_no_neigh, cs->tx_ring_full);
	for (w = 0; w < sd->s->nworkers; w++) {
		const struct dp_worker_stats *st = &sd->s->workers[w]->st;
		struct dpsctp_stats e;

		dp_dump("  w%u: rx %" PRIu64 " tx %" PRIu64 " tx_dropped %" PRIu64
			"; svc in %" PRIu64 " out %" PRIu64 " done %" PRIu64 " bad %" PRIu64
			"; assocs %u; drops:",
			w, dp_ld(&st->rx_packets), dp_ld(&st->tx_packets), dp_ld(&st->tx_dropped),
			dp_ld(&st->svc_msgs_in), dp_ld(&st->svc_msgs_out), dp_ld(&st->svc_done),
			dp_ld(&st->svc_bad), dp_worker_assoc_count(sd->s->workers[w]));
		dp_dump_worker_drops(st);
		memset(&e, 0, sizeof(e));
		dp_worker_engine_stats(sd->s->workers[w], &e);
		dp_dump("\n      engine: established %" PRIu64 " closed %" PRIu64
			" msgs sent %" PRIu64 " delivered %" PRIu64 " failed %" PRIu64
			" t3 %" PRIu64 " rtx-t3 %" PRIu64 " fast-rtx %" PRIu64 " hb sent %" PRIu64
			" acked %" PRIu64 "; paths confirmed %" PRIu64 " pf %" PRIu64
			" inactive %" PRIu64 " available %" PRIu64 " failovers %" PRIu64 ";",
			e.assocs_established, e.assocs_closed, e.msgs_sent, e.msgs_delivered,
			e.msgs_failed, e.t3_expiries, e.retrans_t3, e.retrans_fast, e.hb_sent,
			e.hb_acked, e.paths_confirmed, e.paths_pf, e.paths_inactive,
			e.paths_available, e.failovers);
		dp_dump_engine_aborts_drops(&e);
	}
}

/* Counters of both stacks and the wires, for failure messages and the log. */
static const char *
rig_dump(void)
{
	unsigned int i, p;

	dp_dump_reset();
	dp_dump("after %.2f s\n", rig_elapsed());
	for (i = 0; i < 2; i++)
		dump_side(&rig.side[i]);
	for (p = 0; p < NPORTS; p++)
		dp_dump("wire %u%s: carried %" PRIu64 ", discarded while cut %" PRIu64
			" (SCTP %" PRIu64 ")\n",
			p, rig.cut[p] ? " (cut)" : "", rig.carried[p], rig.discarded[p],
			rig.sctp_discarded[p]);
	return dp_dump_buf;
}

/* Turn wires and control planes until @p cond holds; fail with the counters after WAIT_S. */
#define WAIT_UNTIL(cond, what) DP_WAIT_UNTIL(cond, what, WAIT_S, rig_poll(), rig_dump())

/* Both ends of wire @p p: link down (and the wire cut) or up (and carrying again). */
static void
wire_set(unsigned int p, bool up)
{
	unsigned int i;
	int rc;

	rig.cut[p] = !up;
	for (i = 0; i < 2; i++) {
		uint16_t id = rig.side[i].port_id[p];

		rc = up ? rte_eth_dev_set_link_up(id) : rte_eth_dev_set_link_down(id);
		cr_assert_eq(rc, 0, "link %s on %s%u: %s", up ? "up" : "down", rig.side[i].name, p,
			strerror(-rc));
	}
}

/* ---- the test ---- */

#define PROTO                                                                 \
	"mempool: {mbufs: 8191, cache: 128}\n"                                \
	"protocol: {rto_initial_ms: 100, rto_min_ms: 100, rto_max_ms: 400,\n" \
	"           hb_interval_ms: 200, sack_delay_ms: 20}\n"

static char yaml_a[2048], yaml_b[2048];

/*
 * A's source (primary 198.18.0.2, also 198.18.1.2) to B's echo; once data flows, both ends of
 * wire 0 lose their link. The controls see it, the engines take the path without a route out of
 * service and move the data to wire 1: the transfer completes with every echo intact and
 * nothing aborted. While wire 0 is down nothing SCTP is sent into it. Its link comes back while
 * the transfer still runs, and so does the path.
 */
Test(dp_link, link_down_fails_over_to_the_other_path_and_link_up_brings_it_back)
{
	const char *yaml[2] = {yaml_a, yaml_b};
	const struct dpsctpd_ctrl_stats *ca, *cb;
	struct dpsctp_stats ea, eb;
	uint64_t in_at_cut, in_at_failover, sctp_before, carried_at_up;
	double t_cut, t_failover, t_up, t_back;

	snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringA0, device: net_ring_A0, addresses: [\"198.18.0.1/24\"]}\n"
		"  - {name: ringA1, device: net_ring_A1, addresses: [\"198.18.1.1/24\"]}\n"
		"services:\n"
		"  - {type: source, port: 5000, peers: [\"198.18.0.2\", \"198.18.1.2\"],\n"
		"     peer_port: 7, count: 200000, size: 1000, check_echo: true,\n"
		"     shutdown_when_done: true}\n");
	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [2]}\n" PROTO "ports:\n"
		"  - {name: ringB0, device: net_ring_B0, addresses: [\"198.18.0.2/24\"]}\n"
		"  - {name: ringB1, device: net_ring_B1, addresses: [\"198.18.1.2/24\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n");
	rig_start("failover", yaml);

	WAIT_UNTIL(ASSOCS(0) == 1 && SVC(0, svc_msgs_in) >= 20000, "data to flow");
	cr_expect_eq(ENG(0, paths_inactive), 0, "a path failed before the cut\n%s", rig_dump());
	cr_expect_gt(
		rig.carried[0], 0, "wire 0 (the primary path) carried nothing\n%s", rig_dump());

	/* cut wire 0: link down at both ends, and nothing crosses it any more */
	in_at_cut = SVC(0, svc_msgs_in);
	t_cut = rig_elapsed();
	wire_set(0, false);
	WAIT_UNTIL(dpsctpd_ctrl_stats(rig.side[0].c)->link_changes >= 1 &&
			   dpsctpd_ctrl_stats(rig.side[1].c)->link_changes >= 1,
		"both controls to see wire 0's link go down");
	/* both ends: B's SACKs and echoes take wire 0 until B has failed over as well */
	WAIT_UNTIL((ENG(0, failovers) >= 1 || ENG(0, paths_inactive) >= 1) &&
			   (ENG(1, failovers) >= 1 || ENG(1, paths_inactive) >= 1),
		"both associations to fail over from the path without a route");
	t_failover = rig_elapsed();
	in_at_failover = SVC(0, svc_msgs_in);
	sctp_before = rig.sctp_discarded[0];

	/* data goes on over wire 1 while wire 0 is down */
	WAIT_UNTIL(SVC(0, svc_msgs_in) >= in_at_failover + 5000 || SVC(0, svc_done) >= 1,
		"echoes to flow again over wire 1");
	cr_expect_eq(rig.sctp_discarded[0], sctp_before,
		"%" PRIu64 " SCTP packets were sent into wire 0 after its path was failed over\n%s",
		rig.sctp_discarded[0] - sctp_before, rig_dump());

	/* the link comes back: so does the path (a heartbeat confirms it) */
	t_up = rig_elapsed();
	carried_at_up = rig.carried[0];
	wire_set(0, true);
	if (SVC(0, svc_done) == 0) {
		WAIT_UNTIL(ENG(0, paths_available) >= 1 || SVC(0, svc_done) >= 1,
			"A's path over wire 0 to come back");
		cr_expect_geq(ENG(0, paths_available), 1,
			"the transfer ended before the path came back: make it longer\n%s",
			rig_dump());
	} else {
		cr_expect_fail("the transfer ended before the link came back up: make it "
			       "longer\n%s",
			rig_dump());
	}
	t_back = rig_elapsed();

	WAIT_UNTIL(SVC(0, svc_done) >= 1, "A's source to finish");
	WAIT_UNTIL(ASSOCS(0) == 0 && ASSOCS(1) == 0, "the association to close");
	cr_log_info("failover: cut at %.2f s (%" PRIu64
		    " echoes in), failed over at %.2f s (%" PRIu64
		    "), link up at %.2f s, path back at %.2f s, done at %.2f s\n%s",
		t_cut, in_at_cut, t_failover, in_at_failover, t_up, t_back, rig_elapsed(),
		rig_dump());

	ca = dpsctpd_ctrl_stats(rig.side[0].c);
	cb = dpsctpd_ctrl_stats(rig.side[1].c);
	/* down and up again, seen by both controls */
	cr_expect_geq(ca->link_changes, 2, "%s", rig_dump());
	cr_expect_geq(cb->link_changes, 2, "%s", rig_dump());
	dp_side_engine_totals(&rig.side[0], &ea);
	dp_side_engine_totals(&rig.side[1], &eb);
	cr_expect_eq(SVC(0, svc_done), 1, "%s", rig_dump());
	cr_expect_eq(SVC(0, svc_bad), 0, "A's source saw bad echoes\n%s", rig_dump());
	cr_expect_eq(SVC(0, svc_msgs_in), 200000, "%s", rig_dump());
	cr_expect(ea.failovers >= 1 || ea.paths_inactive >= 1, "%s", rig_dump());
	cr_expect_geq(ea.paths_available, 1, "%s", rig_dump());
	cr_expect_gt(rig.carried[1], 0, "wire 1 carried nothing\n%s", rig_dump());
	/* the primary path back in service: the data went back to wire 0 */
	cr_expect_gt(rig.carried[0], carried_at_up + 1000,
		"wire 0 carried %" PRIu64 " frames after its link came back\n%s",
		rig.carried[0] - carried_at_up, rig_dump());
	cr_expect_eq(dp_aborts_total(&ea), 0, "A aborted\n%s", rig_dump());
	cr_expect_eq(dp_aborts_total(&eb), 0, "B aborted\n%s", rig_dump());
	cr_expect_eq(ea.assocs_established, 1, "%s", rig_dump());
	cr_expect_eq(ea.assocs_closed, 1, "%s", rig_dump());
	cr_expect_eq(eb.assocs_established, 1, "%s", rig_dump());
	cr_expect_eq(eb.assocs_closed, 1, "%s", rig_dump());
	cr_expect_eq(ea.msgs_failed, 0, "%s", rig_dump());

	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "A had to abort\n%s", rig_dump());
	cr_expect_eq(dp_side_shutdown(&rig.side[1], 2000), 0, "B had to abort\n%s", rig_dump());
	rig_end();
}
