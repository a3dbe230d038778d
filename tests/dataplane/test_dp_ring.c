/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole dpsctpd stacks (workers, control, built-in services) in one process under EAL
 * (--no-huge --no-shconf --no-pci), joined by a pair of net_ring ports: data both ways over
 * IPv4 and IPv6, steering between workers, ARP / ND / ping answered, local delivery, the
 * graceful end.
 *
 * Criterion runs every Test in a process of its own, so each test initialises EAL once and
 * tears it down at its end; nothing is shared between tests. The main lcore plays the control
 * lcore of every stack (dpsctpd_ctrl_poll in turn); the workers run on lcores mapped onto the
 * machine's CPUs, several to a CPU (--lcores), so everything also works on two cores.
 *
 * The wire: for each stack we create the rte_rings ourselves, so that port A's TX queue q
 * feeds port B's RX queue (q mod B's workers) and back. Everything A sends on queue 0 thus
 * reaches B's worker 0, which must steer to worker 1 what belongs to it. For the ARP / ND / ping
 * test the other end of the rings is the test itself, acting as a third host. A ring port has
 * no MAC address (all zeros) and cannot be given one by rte_eth_dev_default_mac_addr_set, so
 * the rig gives it one the way a NIC comes with its own (burn_in_mac); one test checks what the
 * daemon does with a configured `mac:` on such a port.
 *
 * Every wait is bounded (WAIT_S) and a timeout fails with the counters of both stacks.
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

#include "arp.h"
#include "config.h"
#include "ctrl.h"
#include "dp_eal.h"
#include "icmp.h"
#include "inet.h"
#include "neigh.h"
#include "setup.h"
#include "stack.h"
#include "worker.h"

#define WAIT_S 20      /* bound of every wait, seconds */
#define MAX_Q 4        /* queues per ring port (the most workers of a stack here) */
#define LINK_RING 2048 /* frames in flight per direction and queue */

TestSuite(dp_ring, .timeout = 120);

/* ---- EAL, net_ring and the rig: one or two stacks on a net_ring pair ---- */

struct rig {
	struct dp_side side[2];        /* port_id[0]: the ring port */
	unsigned int nstacks;          /* 1: side 1 is the test itself (a third host) */
	struct rte_ring *to[2][MAX_Q]; /* to[i][q] feeds side i's RX queue q */
	struct rte_mempool *host_pool; /* frames the test sends as a host */
	uint64_t t0;
};

static struct rig rig;

static struct rte_ring *
link_ring(unsigned int side, unsigned int q)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	/* multi-producer: the TX queues of several workers may feed one RX queue */
	snprintf(name, sizeof(name), "link_%u_%u", side, q);
	r = rte_ring_create(name, LINK_RING, (int)rte_socket_id(), RING_F_SC_DEQ);
	cr_assert_not_null(r, "ring %s: %s", name, rte_strerror(rte_errno));
	return r;
}

/* The net_ring port of side @p i: RX from to[i][q], TX queue q into to[peer][q mod npeer]. */
static uint16_t
link_port(unsigned int i, unsigned int npeer_queues)
{
	struct rte_ring *rx[MAX_Q], *tx[MAX_Q];
	char name[16];
	unsigned int q;
	int id;

	for (q = 0; q < MAX_Q; q++) {
		rx[q] = rig.to[i][q];
		tx[q] = rig.to[1 - i][q % npeer_queues];
	}
	snprintf(name, sizeof(name), "%s", rig.side[i].name);
	id = rte_eth_from_rings(name, rx, MAX_Q, tx, MAX_Q, (unsigned int)rte_socket_id());
	cr_assert_geq(id, 0, "rte_eth_from_rings(%s): %s", name, rte_strerror(rte_errno));
	return (uint16_t)id;
}

/* The MACs the ring ports come with in most tests (the configurations set none). */
static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};
static const uint8_t *const burned_in[2] = {mac_a, mac_b};

/*
 * Start the stacks of @p yaml[0] and, when given, @p yaml[1], named @p names[0] and
 * @p names[1] (with one stack, side 1 is the test acting as a host): rings, ports (with the MACs
 * of @p macs, NULL: none), configurations, stacks, controls, workers. A stack that fails to
 * build leaves its message in @p err and -errno is returned; every other failure fails the test.
 */
static int
rig_try_start(const char *tag, const char *const names[2], const char *const yaml[2],
	const uint8_t *const macs[2], char *err, size_t errlen)
{
	unsigned int i, q, nw[2];
	int rc;

	/* lcore 0 (main) and workers 1..4 spread over the first two CPUs we may run on */
	dp_eal_up_tagged("dpring", tag, 5, 512, "notice");
	memset(&rig, 0, sizeof(rig));
	rig.nstacks = yaml[1] != NULL ? 2 : 1;
	rig.side[0].name = names[0];
	rig.side[1].name = names[1];
	for (i = 0; i < 2; i++)
		for (q = 0; q < MAX_Q; q++)
			rig.to[i][q] = link_ring(i, q);
	rig.host_pool = rte_pktmbuf_pool_create(
		"host_mbufs", 511, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	cr_assert_not_null(rig.host_pool, "host pool: %s", rte_strerror(rte_errno));

	/* the host side reads everything from queue 0 */
	nw[1] = 1;
	for (i = 0; i < rig.nstacks; i++) {
		struct dp_side *sd = &rig.side[i];

		dp_side_parse(sd, yaml[i], err, errlen);
		nw[i] = sd->cfg.nworkers;
		cr_assert_leq(nw[i], MAX_Q);
	}
	for (i = 0; i < rig.nstacks; i++) {
		struct dp_side *sd = &rig.side[i];

		sd->port_id[0] = link_port(i, nw[1 - i]);
		if (macs != NULL && macs[i] != NULL)
			dp_eal_burn_in_mac(sd->port_id[0], macs[i]);
		rc = dp_side_build(sd, err, errlen);
		if (rc != 0)
			return rc;
	}
	dp_sides_launch(rig.side, rig.nstacks);
	rig.t0 = rte_get_tsc_cycles();
	return 0;
}

static const char *const names_ab[2] = {"A", "B"};

static void
rig_start(const char *tag, const char *const names[2], const char *const yaml[2],
	const uint8_t *const macs[2])
{
	char err[256];
	int rc = rig_try_start(tag, names, yaml, macs, err, sizeof(err));

	cr_assert_eq(rc, 0, "stack: %s", err);
}

static double
rig_elapsed(void)
{
	return dp_elapsed(rig.t0);
}

/* One turn of every control plane that still runs; a short sleep when all were idle. */
static void
rig_poll(void)
{
	if (dp_sides_poll(rig.side, rig.nstacks) == 0)
		rte_delay_us_sleep(50);
}

/*
 * Stop what still runs, wait for every worker, then release. Frames of one stack's pool sit
 * in the other's rings (the wire, control and steering rings): they go back to their pools
 * while all pools still exist, before either stack is freed.
 */
static void
rig_end(void)
{
	unsigned int i, q;

	dp_sides_stop(rig.side, rig.nstacks);
	for (i = 0; i < 2; i++)
		for (q = 0; q < MAX_Q; q++)
			dp_free_ring_mbufs(rig.to[i][q]);
	dp_sides_free(rig.side, rig.nstacks);
	for (i = 0; i < 2; i++)
		for (q = 0; q < MAX_Q; q++)
			rte_ring_free(rig.to[i][q]);
	rte_mempool_free(rig.host_pool);
	rte_eal_cleanup();
}

/* ---- counters ---- */

/* The sum over side @p i's workers of one of their counters (struct dp_worker_stats). */
#define SVC(i, field) DP_SIDE_SVC(&rig.side[i], field)

/* The associations side @p i's control knows of. */
#define ASSOCS(i) dp_side_assocs(&rig.side[i])

static void
dump_side(const struct dp_side *sd)
{
	const struct dpsctpd_ctrl_stats *cs = dpsctpd_ctrl_stats(sd->c);
	const uint8_t *mac = sd->s->ports[0].mac;
	unsigned int w, k;

	dp_dump("%s: mac %02x:%02x:%02x:%02x:%02x:%02x, %u assocs%s; control: arp in %" PRIu64
		" replies %" PRIu64 " requests %" PRIu64 " garp %" PRIu64 ", nd in %" PRIu64
		" na %" PRIu64 " ns %" PRIu64 ", echo %" PRIu64 ", init in %" PRIu64
		" answered %" PRIu64 " steered %" PRIu64 ", tx_ring_full %" PRIu64
		", assoc_requests %" PRIu64 "\n",
		sd->name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], dp_side_assocs(sd),
		sd->stopped ? " (stopped)" : "", cs->arp_in, cs->arp_replies, cs->arp_requests,
		cs->garp_sent, cs->nd_in, cs->na_sent, cs->ns_sent, cs->echo_replies, cs->init_in,
		cs->init_answered, cs->init_steered, cs->tx_ring_full, cs->assoc_requests);
	for (w = 0; w < sd->s->nworkers; w++) {
		const struct dp_worker_stats *st = &sd->s->workers[w]->st;
		struct dpsctp_stats e;

		dp_dump("  w%u: rx %" PRIu64 " tx %" PRIu64 " tx_dropped %" PRIu64
			" to_control %" PRIu64 " steered %" PRIu64 " local %" PRIu64
			"; svc in %" PRIu64 " out %" PRIu64 " done %" PRIu64 " bad %" PRIu64
			"; assocs %u; drops:",
			w, dp_ld(&st->rx_packets), dp_ld(&st->tx_packets), dp_ld(&st->tx_dropped),
			dp_ld(&st->to_control), dp_ld(&st->steered), dp_ld(&st->local),
			dp_ld(&st->svc_msgs_in), dp_ld(&st->svc_msgs_out), dp_ld(&st->svc_done),
			dp_ld(&st->svc_bad), dp_worker_assoc_count(sd->s->workers[w]));
		dp_dump_worker_drops(st);
		for (k = 1; k < DP_INET_DROP_COUNT; k++)
			if (dp_ld(&st->inet_drops[k]) != 0)
				dp_dump(" %s=%" PRIu64, dp_inet_drop_name((int)k),
					dp_ld(&st->inet_drops[k]));
		memset(&e, 0, sizeof(e));
		dp_worker_engine_stats(sd->s->workers[w], &e);
		dp_dump("\n      engine: established %" PRIu64 " closed %" PRIu64
			" msgs sent %" PRIu64 " delivered %" PRIu64 " failed %" PRIu64
			" t1 %" PRIu64 " t3 %" PRIu64 " fast-rtx %" PRIu64 " dup %" PRIu64 ";",
			e.assocs_established, e.assocs_closed, e.msgs_sent, e.msgs_delivered,
			e.msgs_failed, e.t1_expiries, e.t3_expiries, e.retrans_fast, e.data_dup);
		dp_dump_engine_aborts_drops(&e);
	}
}

/* Counters of every stack and the wire, for failure messages and the log. */
static const char *
rig_dump(void)
{
	unsigned int i, q;

	dp_dump_reset();
	dp_dump("after %.2f s\n", rig_elapsed());
	for (i = 0; i < rig.nstacks; i++)
		dump_side(&rig.side[i]);
	dp_dump("wire:");
	for (i = 0; i < 2; i++)
		for (q = 0; q < MAX_Q; q++)
			if (rte_ring_count(rig.to[i][q]) != 0)
				dp_dump(" to %s q%u: %u queued", rig.side[i].name, q,
					rte_ring_count(rig.to[i][q]));
	dp_dump("\n");
	return dp_dump_buf;
}

/* Poll the control planes until @p cond holds; fail with the counters after WAIT_S. */
#define WAIT_UNTIL(cond, what) DP_WAIT_UNTIL(cond, what, WAIT_S, rig_poll(), rig_dump())

/* Every association of side @p i was established and released, none aborted. */
static void
assert_closed_cleanly(unsigned int i, uint64_t want_established)
{
	struct dpsctp_stats e;

	dp_side_engine_totals(&rig.side[i], &e);
	cr_expect_eq(dp_aborts_total(&e), 0, "%s aborted associations\n%s", rig.side[i].name,
		rig_dump());
	cr_expect_eq(e.assocs_established, want_established, "%s established %" PRIu64 "\n%s",
		rig.side[i].name, e.assocs_established, rig_dump());
	cr_expect_eq(e.assocs_closed, e.assocs_established,
		"%s closed %" PRIu64 " of %" PRIu64 "\n%s", rig.side[i].name, e.assocs_closed,
		e.assocs_established, rig_dump());
}

static void
log_result(const char *test)
{
	cr_log_info("%s: %.2f s\n%s", test, rig_elapsed(), rig_dump());
}

/* ---- configurations ---- */

#define PROTO                                  \
	"mempool: {mbufs: 8191, cache: 128}\n" \
	"protocol: {rto_initial_ms: 200, rto_min_ms: 100, sack_delay_ms: 20}\n"

static char yaml_a[2048], yaml_b[2048];

/* ---- 1. data both ways ---- */

/*
 * Two stacks of one worker each, both with an echo on port 7 and a source of 2,000 messages of
 * 1,000 bytes toward the other's echo: every message comes back intact, both associations
 * shut down when done, nothing aborted.
 */
static void
data_both_ways(const char *tag, const char *addr_a, const char *addr_b, const char *plen)
{
	const char *yaml[2] = {yaml_a, yaml_b};

	snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"%s/%s\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n"
		"  - {type: source, port: 5000, peers: [\"%s\"], peer_port: 7, count: 2000,\n"
		"     size: 1000, check_echo: true, shutdown_when_done: true}\n",
		addr_a, plen, addr_b);
	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [2]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B, addresses: [\"%s/%s\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n"
		"  - {type: source, port: 5000, peers: [\"%s\"], peer_port: 7, count: 2000,\n"
		"     size: 1000, check_echo: true, shutdown_when_done: true}\n",
		addr_b, plen, addr_a);
	rig_start(tag, names_ab, yaml, burned_in);

	WAIT_UNTIL(SVC(0, svc_done) >= 1 && SVC(1, svc_done) >= 1, "both sources to finish");
	WAIT_UNTIL(ASSOCS(0) == 0 && ASSOCS(1) == 0, "both associations to close");
	log_result(tag);

	cr_expect_eq(SVC(0, svc_bad), 0, "A's source saw bad echoes\n%s", rig_dump());
	cr_expect_eq(SVC(1, svc_bad), 0, "B's source saw bad echoes\n%s", rig_dump());
	cr_expect_eq(SVC(0, svc_done), 1, "%s", rig_dump());
	cr_expect_eq(SVC(1, svc_done), 1, "%s", rig_dump());
	/* each side: 2,000 messages into its echo and 2,000 echoes back into its source */
	cr_expect_eq(SVC(0, svc_msgs_in), 4000, "A received %" PRIu64 " messages\n%s",
		SVC(0, svc_msgs_in), rig_dump());
	cr_expect_eq(SVC(1, svc_msgs_in), 4000, "B received %" PRIu64 " messages\n%s",
		SVC(1, svc_msgs_in), rig_dump());
	cr_expect_eq(SVC(0, svc_msgs_out), 4000, "%s", rig_dump());
	cr_expect_eq(SVC(1, svc_msgs_out), 4000, "%s", rig_dump());
	/* the source association of each side and the one its echo accepted */
	assert_closed_cleanly(0, 2);
	assert_closed_cleanly(1, 2);
}

/* Both stacks end with nothing left to abort. */
static void
end_both(void)
{
	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "A had to abort\n%s", rig_dump());
	cr_expect_eq(dp_side_shutdown(&rig.side[1], 2000), 0, "B had to abort\n%s", rig_dump());
	rig_end();
}

Test(dp_ring, sources_on_both_stacks_get_every_message_echoed_and_close_cleanly)
{
	const struct dpsctpd_ctrl_stats *ca, *cb;

	data_both_ways("v4", "198.18.0.1", "198.18.0.2", "24");
	ca = dpsctpd_ctrl_stats(rig.side[0].c);
	cb = dpsctpd_ctrl_stats(rig.side[1].c);
	/* each resolved the other by ARP: a request from one side at least, answered */
	cr_expect_geq(ca->arp_requests + cb->arp_requests, 1, "%s", rig_dump());
	cr_expect_geq(ca->arp_replies + cb->arp_replies, 1, "%s", rig_dump());
	cr_expect_eq(ca->garp_sent, 1, "%s", rig_dump());
	cr_expect_eq(cb->garp_sent, 1, "%s", rig_dump());
	end_both();
}

/* ---- 3. the same over IPv6 ---- */

Test(dp_ring, ipv6_data_both_ways_after_neighbour_discovery)
{
	const struct dpsctpd_ctrl_stats *ca, *cb;

	data_both_ways("v6", "2001:db8:18::1", "2001:db8:18::2", "64");
	ca = dpsctpd_ctrl_stats(rig.side[0].c);
	cb = dpsctpd_ctrl_stats(rig.side[1].c);
	/* no static neighbours: the first hops were found by NS / NA, no ARP at all */
	cr_expect_geq(ca->ns_sent + cb->ns_sent, 1, "%s", rig_dump());
	cr_expect_geq(ca->nd_in + cb->nd_in, 2, "%s", rig_dump());
	cr_expect_eq(ca->arp_in + cb->arp_in + ca->garp_sent + cb->garp_sent, 0, "%s", rig_dump());
	/* one unsolicited NA at start each, plus the solicited answers */
	cr_expect_geq(ca->na_sent + cb->na_sent, 3, "%s", rig_dump());
	end_both();
}

/* ---- 2. steering between workers ---- */

/*
 * A (one worker) opens four associations to B's echo; B has two workers, and B's control
 * names them in turn in its INIT ACKs. Everything A sends arrives on B's queue 0, so worker 0
 * hands the packets of worker 1's associations over to it.
 */
Test(dp_ring, packets_for_another_workers_association_are_steered_to_it)
{
	const char *yaml[2] = {yaml_a, yaml_b};
	struct dpsctp_stats e0, e1;
	unsigned int k, n = 0;

	/* A's worker on lcore 4 shares CPU 0 with B's worker 0 and the (mostly idle) main lcore */
	n += (unsigned int)snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [4]}\n" PROTO "ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"198.18.0.1/24\"]}\n"
		"services:\n");
	for (k = 0; k < 4; k++)
		n += (unsigned int)snprintf(yaml_a + n, sizeof(yaml_a) - n,
			"  - {type: source, port: %u, peers: [\"198.18.0.2\"], peer_port: 7,\n"
			"     count: 500, size: 1000}\n",
			5001 + k);
	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [2, 3]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B, addresses: [\"198.18.0.2/24\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n");
	rig_start("steer", names_ab, yaml, burned_in);

	WAIT_UNTIL(SVC(0, svc_done) >= 4, "A's four sources to finish");
	WAIT_UNTIL(ASSOCS(0) == 0 && ASSOCS(1) == 0, "every association to close");
	log_result("steer");

	cr_expect_eq(SVC(0, svc_done), 4, "%s", rig_dump());
	cr_expect_eq(SVC(0, svc_bad), 0, "%s", rig_dump());
	cr_expect_eq(SVC(0, svc_msgs_in), 2000, "%s", rig_dump());
	cr_expect_eq(SVC(1, svc_msgs_in), 2000, "%s", rig_dump());
	/* both of B's workers owned associations, and worker 0 steered to worker 1 */
	memset(&e0, 0, sizeof(e0));
	memset(&e1, 0, sizeof(e1));
	dp_worker_engine_stats(rig.side[1].s->workers[0], &e0);
	dp_worker_engine_stats(rig.side[1].s->workers[1], &e1);
	cr_expect_geq(e0.assocs_established, 1, "B's worker 0 owned none\n%s", rig_dump());
	cr_expect_geq(e1.assocs_established, 1, "B's worker 1 owned none\n%s", rig_dump());
	cr_expect_gt(dp_ld(&rig.side[1].s->workers[0]->st.steered), 0, "nothing steered\n%s",
		rig_dump());
	cr_expect_gt(dp_ld(&rig.side[1].s->workers[1]->st.svc_msgs_in), 0,
		"B's worker 1 echoed nothing\n%s", rig_dump());
	/* worker 1 receives nothing from the wire: all of its input was steered */
	cr_expect_eq(dp_ld(&rig.side[1].s->workers[1]->st.rx_packets), 0, "%s", rig_dump());
	cr_expect_eq(SVC(1, drops[DP_DROP_RING_FULL]), 0, "%s", rig_dump());
	assert_closed_cleanly(0, 4);
	assert_closed_cleanly(1, 4);
	end_both();
}

/* ---- 4. ARP, ND and ping, from a third host the test plays ---- */

static const uint8_t mac_host[6] = {0x02, 0, 0, 0, 0, 0x09};

static struct dpsctp_addr
addr(const char *s)
{
	struct dpsctp_addr a;

	cr_assert_eq(dpsctpd_parse_addr(s, &a), 0, "%s", s);
	return a;
}

/* Send @p frame into B's RX queue 0, as the host on the other end of the wire. */
static void
host_send(const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(rig.host_pool);
	char *p;

	cr_assert_not_null(m);
	if (len < DP_INET_ETH_MIN_FRAME)
		len = DP_INET_ETH_MIN_FRAME; /* the builders leave the padding zero */
	p = rte_pktmbuf_append(m, (uint16_t)len);
	cr_assert_not_null(p);
	memcpy(p, frame, len);
	cr_assert_eq(rte_ring_enqueue(rig.to[0][0], m), 0);
}

/* The next frame B transmits (polling its control meanwhile), copied into @p buf. */
static size_t
host_recv(uint8_t *buf, size_t cap, const char *what)
{
	void *p = NULL;
	struct rte_mbuf *m;
	size_t len;

	WAIT_UNTIL(rte_ring_dequeue(rig.to[1][0], &p) == 0, what);
	m = p;
	cr_assert_eq(m->nb_segs, 1);
	len = rte_pktmbuf_data_len(m);
	cr_assert_leq(len, cap);
	memcpy(buf, rte_pktmbuf_mtod(m, const uint8_t *), len);
	rte_pktmbuf_free(m);
	return len;
}

/* An ICMPv4 / ICMPv6 echo request from the host to @p dst, with 32 bytes of data. */
static size_t
build_ping(uint8_t *f, size_t cap, const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	uint16_t id, uint16_t seq)
{
	size_t h, k, l4_len = 8 + 32;
	uint8_t *icmp;
	uint16_t ck;

	h = dp_inet_build(f, cap, mac_host, mac_b, src, dst,
		src->family == 4 ? DP_INET_PROTO_ICMP : DP_INET_PROTO_ICMPV6, l4_len, 0x4242);
	cr_assert_gt(h, 0);
	icmp = f + h;
	icmp[0] = src->family == 4 ? DP_ICMP4_ECHO_REQUEST : DP_ICMP6_ECHO_REQUEST;
	icmp[1] = 0;
	icmp[2] = icmp[3] = 0;
	icmp[4] = (uint8_t)(id >> 8);
	icmp[5] = (uint8_t)id;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	for (k = 8; k < l4_len; k++)
		icmp[k] = (uint8_t)(0xa0 + k);
	ck = src->family == 4 ? dp_inet_cksum(icmp, l4_len)
			      : dp_inet_l4_cksum(src, dst, DP_INET_PROTO_ICMPV6, icmp, l4_len);
	icmp[2] = (uint8_t)(ck >> 8);
	icmp[3] = (uint8_t)ck;
	return h + l4_len;
}

/* @p f is B's valid echo reply to build_ping(@p host, @p b, @p id, @p seq). */
static void
check_ping_reply(const uint8_t *f, size_t len, const struct dpsctp_addr *host,
	const struct dpsctp_addr *b, uint16_t id, uint16_t seq)
{
	const uint8_t *icmp;
	struct dp_inet in;
	size_t k;

	cr_assert_eq(dp_inet_parse(f, len, &in), 0, "the echo reply does not parse");
	cr_assert_arr_eq(in.dst_mac, mac_host, 6, "echo reply not sent back to the host's MAC");
	cr_assert_arr_eq(in.src_mac, mac_b, 6, "echo reply not from B's MAC");
	cr_assert(dp_inet_addr_eq(&in.src, b), "echo reply not from the address pinged");
	cr_assert(dp_inet_addr_eq(&in.dst, host), "echo reply not to the host");
	cr_assert_eq(in.ttl, DP_INET_DEFAULT_TTL);
	cr_assert_eq(in.l4_len, 8 + 32);
	icmp = f + in.l4_off;
	if (host->family == 4) {
		cr_assert_eq(in.proto, DP_INET_PROTO_ICMP);
		cr_assert_eq(icmp[0], DP_ICMP4_ECHO_REPLY);
		cr_assert_eq(dp_inet_cksum(f + in.l3_off, DP_INET_IPV4_HDR_LEN), 0,
			"IPv4 header checksum");
		cr_assert_eq(dp_inet_cksum(icmp, in.l4_len), 0, "ICMPv4 checksum");
	} else {
		cr_assert_eq(in.proto, DP_INET_PROTO_ICMPV6);
		cr_assert_eq(icmp[0], DP_ICMP6_ECHO_REPLY);
		cr_assert_eq(
			dp_inet_l4_cksum(&in.src, &in.dst, DP_INET_PROTO_ICMPV6, icmp, in.l4_len),
			0, "ICMPv6 checksum");
	}
	cr_assert_eq(icmp[1], 0);
	cr_assert_eq(icmp[4] << 8 | icmp[5], id);
	cr_assert_eq(icmp[6] << 8 | icmp[7], seq);
	for (k = 8; k < in.l4_len; k++)
		cr_assert_eq(icmp[k], (uint8_t)(0xa0 + k), "echo data byte %zu", k);
}

/* An NA from B advertising @p target at mac_b, sent to @p dst (IP) at @p dst_mac. */
static void
check_na(const uint8_t *f, size_t len, const struct dpsctp_addr *target,
	const struct dpsctp_addr *dst, const uint8_t dst_mac[6], bool solicited)
{
	struct dp_inet in;
	struct dp_nd nd;

	cr_assert_eq(dp_inet_parse(f, len, &in), 0);
	cr_assert_eq(in.kind, DP_INET_IPV6, "not IPv6 (an ARP frame?)");
	cr_assert_eq(in.proto, DP_INET_PROTO_ICMPV6);
	cr_assert_eq(dp_icmp_nd_parse(f + in.l4_off, in.l4_len, &in, &nd), 0,
		"NA does not validate (checksum, hop limit...)");
	cr_assert_eq(nd.type, DP_ND_NA);
	cr_assert(dp_inet_addr_eq(&nd.target, target), "NA for another target");
	cr_assert(nd.has_lladdr, "NA without the target link-layer address option");
	cr_assert_arr_eq(nd.lladdr, mac_b, 6, "NA advertises another MAC than B's");
	cr_assert_arr_eq(in.src_mac, mac_b, 6);
	cr_assert_arr_eq(in.dst_mac, dst_mac, 6);
	cr_assert(dp_inet_addr_eq(&in.dst, dst), "NA to the wrong IP destination");
	cr_assert(dp_inet_addr_eq(&in.src, target), "NA not from the target address");
	cr_assert_eq(in.ttl, DP_ND_HOP_LIMIT);
	cr_assert_eq(!!(nd.flags & DP_ND_NA_FLAG_SOLICITED), solicited, "S flag %#x", nd.flags);
	cr_assert(nd.flags & DP_ND_NA_FLAG_OVERRIDE, "O flag clear: %#x", nd.flags);
	cr_assert_not(nd.flags & DP_ND_NA_FLAG_ROUTER, "R flag set: %#x", nd.flags);
}

Test(dp_ring, stack_answers_arp_ping_and_neighbour_solicitation)
{
	const char *yaml[2] = {yaml_b, NULL};
	const char *names[2] = {"B", "host"};
	const uint8_t *macs[2] = {mac_b, NULL};
	static const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	struct dpsctp_addr b4 = addr("198.18.0.2"), b6 = addr("2001:db8:18::2");
	struct dpsctp_addr h4 = addr("198.18.0.9"), h6 = addr("2001:db8:18::9");
	struct dpsctp_addr other4 = addr("198.18.0.77"), all_nodes = addr("ff02::1");
	const struct dpsctpd_ctrl_stats *cs;
	uint8_t f[2048], lmac[6];
	struct dp_inet in;
	struct dp_arp a;
	bool seen_garp = false, seen_na = false;
	size_t len;
	unsigned int k;

	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B,\n"
		"     addresses: [\"198.18.0.2/24\", \"2001:db8:18::2/64\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n");
	rig_start("arp", names, yaml, macs);

	/* at start: a gratuitous ARP for the IPv4 address, an unsolicited NA for the IPv6 one */
	for (k = 0; k < 2; k++) {
		len = host_recv(f, sizeof(f), "B's announcements at start");
		cr_assert_eq(dp_inet_parse(f, len, &in), 0);
		if (in.kind == DP_INET_ARP) {
			cr_assert_eq(dp_arp_parse(f + in.l3_off, in.l4_len, &a), 0);
			cr_expect(dp_arp_is_gratuitous(&a), "ARP at start is not gratuitous");
			cr_expect(dp_inet_addr_eq(&a.spa, &b4));
			cr_expect_arr_eq(a.sha, mac_b, 6, "gratuitous ARP with another MAC");
			cr_expect(in.l2_bcast, "gratuitous ARP not broadcast");
			seen_garp = true;
		} else {
			check_na(f, len, &b6, &all_nodes, all_nodes_mac, false);
			seen_na = true;
		}
	}
	cr_assert(seen_garp && seen_na, "announcements: garp %d, unsolicited NA %d", seen_garp,
		seen_na);

	/* an ARP request for B's address: a reply from B's MAC, to the asker only */
	len = dp_arp_build(f, sizeof(f), DP_ARP_OP_REQUEST, mac_host, &h4, NULL, &b4, NULL);
	host_send(f, len);
	len = host_recv(f, sizeof(f), "B's ARP reply");
	cr_assert_eq(dp_inet_parse(f, len, &in), 0);
	cr_assert_eq(in.kind, DP_INET_ARP, "not an ARP frame");
	cr_assert_eq(dp_arp_parse(f + in.l3_off, in.l4_len, &a), 0);
	cr_expect_eq(a.op, DP_ARP_OP_REPLY);
	cr_expect_arr_eq(a.sha, mac_b, 6, "ARP reply with another MAC than B's");
	cr_expect(dp_inet_addr_eq(&a.spa, &b4), "ARP reply for another address");
	cr_expect_arr_eq(a.tha, mac_host, 6);
	cr_expect(dp_inet_addr_eq(&a.tpa, &h4));
	cr_expect_arr_eq(in.dst_mac, mac_host, 6, "ARP reply not unicast to the asker");
	cr_expect_arr_eq(in.src_mac, mac_b, 6);
	/* RFC 826: B learnt the asker, who will talk to it */
	cr_expect_eq(dp_neigh_lookup(rig.side[0].s->neigh, 0, &h4, lmac), 0,
		"B did not learn the host from its request");
	cr_expect_arr_eq(lmac, mac_host, 6);

	/* a request for an address B does not have: no answer (the ping reply comes next) */
	len = dp_arp_build(f, sizeof(f), DP_ARP_OP_REQUEST, mac_host, &h4, NULL, &other4, NULL);
	host_send(f, len);

	len = build_ping(f, sizeof(f), &h4, &b4, 0x1234, 1);
	host_send(f, len);
	len = host_recv(f, sizeof(f), "B's ICMPv4 echo reply");
	check_ping_reply(f, len, &h4, &b4, 0x1234, 1);

	len = build_ping(f, sizeof(f), &h6, &b6, 0x5678, 2);
	host_send(f, len);
	len = host_recv(f, sizeof(f), "B's ICMPv6 echo reply");
	check_ping_reply(f, len, &h6, &b6, 0x5678, 2);

	/* a neighbour solicitation for B's IPv6 address: a solicited NA with B's MAC */
	len = dp_icmp_nd_build_ns(f, sizeof(f), mac_host, &h6, &b6);
	cr_assert_eq(len, DP_ND_FRAME_LEN);
	host_send(f, len);
	len = host_recv(f, sizeof(f), "B's neighbour advertisement");
	check_na(f, len, &b6, &h6, mac_host, true);
	cr_expect_eq(dp_neigh_lookup(rig.side[0].s->neigh, 0, &h6, lmac), 0,
		"B did not learn the host from its solicitation");
	cr_expect_arr_eq(lmac, mac_host, 6);

	log_result("arp");
	cs = dpsctpd_ctrl_stats(rig.side[0].c);
	cr_expect_eq(cs->garp_sent, 1, "%s", rig_dump());
	cr_expect_eq(cs->arp_in, 2, "%s", rig_dump());
	cr_expect_eq(cs->arp_replies, 1, "%s", rig_dump());
	cr_expect_eq(cs->arp_requests, 0, "%s", rig_dump());
	cr_expect_eq(cs->echo_replies, 2, "%s", rig_dump());
	cr_expect_eq(cs->nd_in, 1, "%s", rig_dump());
	cr_expect_eq(cs->na_sent, 2, "unsolicited + solicited\n%s", rig_dump());
	cr_expect_eq(cs->ns_sent, 0, "%s", rig_dump());
	cr_expect_eq(cs->icmp_bad, 0, "%s", rig_dump());
	cr_expect_eq(SVC(0, to_control), 5, "%s", rig_dump());
	cr_expect_eq(SVC(0, rx_packets), 5, "%s", rig_dump());
	/* and nothing else went out */
	cr_expect_eq(rte_ring_count(rig.to[1][0]), 0, "%s", rig_dump());

	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "%s", rig_dump());
	rig_end();
}

/* ---- 5. local delivery ---- */

/*
 * A source on 127.0.0.1 toward the echo on 127.0.0.1 of the same stack: every packet goes from
 * the worker's output straight back to its input, none to or from the port.
 */
Test(dp_ring, loopback_association_runs_without_a_port)
{
	const char *yaml[2] = {yaml_a, NULL};
	const char *names[2] = {"L", "host"};
	const uint8_t *macs[2] = {mac_a, NULL};
	struct dp_inet in;
	void *p;

	snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"198.18.0.1/24\"]}\n"
		"loopback: [\"127.0.0.1\"]\n"
		"services:\n"
		"  - {type: echo, port: 7, addresses: [\"127.0.0.1\"]}\n"
		"  - {type: source, port: 5000, addresses: [\"127.0.0.1\"], peers: "
		"[\"127.0.0.1\"],\n"
		"     peer_port: 7, count: 1000, size: 1000}\n");
	rig_start("local", names, yaml, macs);

	WAIT_UNTIL(SVC(0, svc_done) >= 1, "the loopback source to finish");
	WAIT_UNTIL(ASSOCS(0) == 0, "the loopback association to close");
	log_result("local");

	cr_expect_eq(SVC(0, svc_done), 1, "%s", rig_dump());
	cr_expect_eq(SVC(0, svc_bad), 0, "%s", rig_dump());
	cr_expect_eq(SVC(0, svc_msgs_in), 2000, "%s", rig_dump());
	cr_expect_gt(SVC(0, local), 2000, "%s", rig_dump());
	cr_expect_eq(SVC(0, rx_packets), 0, "%s", rig_dump());
	assert_closed_cleanly(0, 2);
	/* the port carried the start-up announcement only, no SCTP */
	while (rte_ring_dequeue(rig.to[1][0], &p) == 0) {
		struct rte_mbuf *m = p;

		cr_expect_eq(dp_inet_parse(rte_pktmbuf_mtod(m, const uint8_t *),
				     rte_pktmbuf_data_len(m), &in),
			0);
		cr_expect_eq(in.kind, DP_INET_ARP, "a frame other than ARP went out (proto %u)",
			in.proto);
		rte_pktmbuf_free(m);
	}
	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "%s", rig_dump());
	rig_end();
}

/* ---- 6. graceful end ---- */

/*
 * Endless sources both ways, then the end of A: dpsctpd_ctrl_shutdown SHUTDOWNs both
 * associations (its own source's and the one its echo serves) while data flows, and nothing
 * has to be aborted; B sees both close too.
 */
Test(dp_ring, graceful_shutdown_closes_established_associations_without_abort)
{
	const char *yaml[2] = {yaml_a, yaml_b};

	snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"198.18.0.1/24\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n"
		"  - {type: source, port: 5000, peers: [\"198.18.0.2\"], peer_port: 7, count: 0,\n"
		"     size: 1000}\n");
	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [2]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B, addresses: [\"198.18.0.2/24\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n"
		"  - {type: source, port: 5000, peers: [\"198.18.0.1\"], peer_port: 7, count: 0,\n"
		"     size: 1000}\n");
	rig_start("end", names_ab, yaml, burned_in);

	/* both associations up and data flowing both ways */
	WAIT_UNTIL(ASSOCS(0) == 2 && ASSOCS(1) == 2 && SVC(0, svc_msgs_in) >= 2000 &&
			   SVC(1, svc_msgs_in) >= 2000,
		"data to flow both ways");

	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "A had to abort\n%s", rig_dump());
	cr_expect_eq(ASSOCS(0), 0, "%s", rig_dump());
	WAIT_UNTIL(ASSOCS(1) == 0, "B's associations to close after A's SHUTDOWN");
	log_result("end");
	assert_closed_cleanly(0, 2);
	assert_closed_cleanly(1, 2);
	cr_expect_eq(SVC(0, svc_bad), 0, "A's source counted bad echoes\n%s", rig_dump());
	cr_expect_eq(dp_side_shutdown(&rig.side[1], 2000), 0, "B had to abort\n%s", rig_dump());
	rig_end();
}

/*
 * An endless source whose peer ends the association (A's graceful end above, seen from B):
 * the sends it is refused from then on (-ESHUTDOWN) are no bad echoes. svc_bad counts "echoed
 * messages that did not come back as sent" (worker.h), and every echo B got was intact.
 */
Test(dp_ring, source_ended_by_the_peers_shutdown_counts_no_bad_echo)
{
	const char *yaml[2] = {yaml_a, yaml_b};

	snprintf(yaml_a, sizeof(yaml_a),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"198.18.0.1/24\"]}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n");
	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [2]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B, addresses: [\"198.18.0.2/24\"]}\n"
		"services:\n"
		"  - {type: source, port: 5000, peers: [\"198.18.0.1\"], peer_port: 7, count: 0,\n"
		"     size: 1000}\n");
	rig_start("peerend", names_ab, yaml, burned_in);

	WAIT_UNTIL(ASSOCS(0) == 1 && SVC(1, svc_msgs_in) >= 2000, "B's echoes to flow");
	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "A had to abort\n%s", rig_dump());
	WAIT_UNTIL(ASSOCS(1) == 0, "B's association to close after A's SHUTDOWN");
	log_result("peerend");
	assert_closed_cleanly(0, 1);
	assert_closed_cleanly(1, 1);
	cr_expect_eq(SVC(1, svc_bad), 0,
		"B's source counted %" PRIu64 " bad echoes when A shut the association down\n%s",
		SVC(1, svc_bad), rig_dump());
	cr_expect_eq(dp_side_shutdown(&rig.side[1], 2000), 0, "B had to abort\n%s", rig_dump());
	rig_end();
}

/* ---- the configured MAC on a port that cannot change its own ---- */

/*
 * net_ring has no MAC of its own (all zeros) and no way to set one (-ENOTSUP). With `mac:` in
 * the configuration the stack must either run with that MAC or refuse to start; a stack that
 * announces and answers ARP with 00:00:00:00:00:00 is unreachable (neighbour tables refuse a
 * zero MAC, ours included: neigh.h).
 */
Test(dp_ring, configured_mac_is_used_on_a_port_that_cannot_set_it)
{
	const char *yaml[2] = {yaml_b, NULL};
	const char *names[2] = {"B", "host"};
	struct dpsctp_addr b4 = addr("198.18.0.2"), h4 = addr("198.18.0.9");
	uint8_t f[256];
	const uint8_t *pm;
	struct dp_inet in;
	struct dp_arp a;
	char err[256];
	size_t len;
	int rc;

	snprintf(yaml_b, sizeof(yaml_b),
		"lcores: {control: 0, workers: [1]}\n" PROTO "ports:\n"
		"  - {name: ringB, device: net_ring_B, mac: \"02:00:00:00:00:0b\",\n"
		"     addresses: [\"198.18.0.2/24\"]}\n"
		"services: []\n");
	rc = rig_try_start("mac", names, yaml, NULL, err, sizeof(err));
	if (rc != 0) {
		/* refusing is fine, as long as it says why */
		cr_expect(strstr(err, "MAC") != NULL || strstr(err, "mac") != NULL,
			"the stack refused to start without naming the MAC: %s", err);
		return;
	}
	pm = rig.side[0].s->ports[0].mac;
	cr_expect_arr_eq(pm, mac_b, 6,
		"port runs with MAC %02x:%02x:%02x:%02x:%02x:%02x, not the configured "
		"02:00:00:00:00:0b",
		pm[0], pm[1], pm[2], pm[3], pm[4], pm[5]);

	len = host_recv(f, sizeof(f), "B's gratuitous ARP");
	cr_assert_eq(dp_inet_parse(f, len, &in), 0);
	cr_assert_eq(in.kind, DP_INET_ARP);
	cr_assert_eq(dp_arp_parse(f + in.l3_off, in.l4_len, &a), 0);
	cr_expect_arr_eq(a.sha, mac_b, 6, "gratuitous ARP announces %02x:%02x:%02x:%02x:%02x:%02x",
		a.sha[0], a.sha[1], a.sha[2], a.sha[3], a.sha[4], a.sha[5]);

	len = dp_arp_build(f, sizeof(f), DP_ARP_OP_REQUEST, mac_host, &h4, NULL, &b4, NULL);
	host_send(f, len);
	len = host_recv(f, sizeof(f), "B's ARP reply");
	cr_assert_eq(dp_inet_parse(f, len, &in), 0);
	cr_assert_eq(in.kind, DP_INET_ARP);
	cr_assert_eq(dp_arp_parse(f + in.l3_off, in.l4_len, &a), 0);
	cr_expect_eq(a.op, DP_ARP_OP_REPLY);
	cr_expect_arr_eq(a.sha, mac_b, 6, "ARP reply gives %02x:%02x:%02x:%02x:%02x:%02x", a.sha[0],
		a.sha[1], a.sha[2], a.sha[3], a.sha[4], a.sha[5]);
	cr_expect_arr_eq(in.src_mac, mac_b, 6, "frames go out from another MAC");

	cr_expect_eq(dp_side_shutdown(&rig.side[0], 2000), 0, "%s", rig_dump());
	rig_end();
}
