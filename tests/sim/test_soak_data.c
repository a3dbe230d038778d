/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised data soak: for each seed (4000 by default), a link drawn from the seed (0-20% loss
 * each way, duplication, reordering, delay, jitter, sometimes a bandwidth), protocol parameters
 * drawn too (windows, send buffers, streams, SACK delay and frequency, Max.Burst, MTU, Nagle,
 * a receiver that holds its window until the application reads, now and then only), and a small
 * workload sent both ways at once: messages of 1 B to 64 KiB (mostly small), on random streams,
 * ordered and unordered.
 *
 * Invariants: every message is delivered exactly once, intact, in order within its ordered
 * stream (datacheck.h); nothing is reported failed; no DATA packet leaves with cwnd already full
 * (fast retransmissions excepted); then a graceful shutdown, started from either side once
 * everything is delivered or while data is still in flight, ends with SHUTDOWN_COMP on both
 * sides and no abort (one RFC-sanctioned exception, see soak_one()); the allocators are back
 * where they were before the association, and at zero once the endpoints are gone. A link
 * outage of up to 3 s hits one seed in eight.
 *
 * DPSCTP_SOAK_SEEDS=n runs seeds 1..n; DPSCTP_SOAK_SEED=s replays seed s alone, printing every
 * upcall and writing soak_data_<s>.pcap in the build directory (every failure names its seed).
 */
#include <stdarg.h>

#include "datacheck.h"
#include "scenario.h"

TestSuite(soak_data, .timeout = 600);

#define MAX_MSGS 60

/* A counter of struct dpsctp_stats summed over both endpoints of @p x. */
#define STATS_SUM(x, f)                                        \
	(dpsctp_endpoint_stats(sim_node_endpoint((x)->c))->f + \
		dpsctp_endpoint_stats(sim_node_endpoint((x)->s))->f)

static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double
unit(uint64_t *s)
{
	return (double)(mix(s) >> 11) / 9007199254740992.0;
}

/* One direction: its sender, its plan and the checker of what arrives. */
struct dir {
	struct sim_node *from;
	struct dc_dir dc;
	uint64_t total;         /* messages to send */
	uint16_t nstreams;      /* negotiated outbound streams of the sender */
	unsigned int unordered; /* percentage sent unordered */
	uint64_t rng;           /* draws of sizes, streams and order */
	uint32_t next_len;      /* size of the next message (drawn once) */
	uint16_t next_sid;
	bool next_unordered;
	bool drawn;
	int last_rc; /* last refusal other than -EAGAIN */
};

struct world {
	struct scen x;
	uint64_t seed;
	/* congestion control seen from the wire (cwnd_tap) */
	uint64_t fast_seen[2];
	uint64_t cwnd_checked;
	uint64_t cwnd_broken;
	char cwnd_first[160];
	struct dir c2s;
	struct dir s2c;
	bool app_window;      /* receivers hold their window until they read */
	uint64_t read_period; /* ...and read at most that often (0: after every step) */
	uint64_t next_read;
	uint64_t unread_c, unread_s;
};

struct totals {
	uint64_t seeds, msgs, bytes, retrans_fast, retrans_t3, t3, lost, duplicated, reordered;
	uint64_t early_shutdowns, partial, late_aborts, outages, cwnd_checked;
};

#define SOAK_ASSERT(w, cond, ...)                                                        \
	cr_assert((cond), "seed %" PRIu64 " (replay: DPSCTP_SOAK_SEED=%" PRIu64 "): %s", \
		(w)->seed, (w)->seed, soak_msg(__VA_ARGS__))

static const char *soak_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
soak_msg(const char *fmt, ...)
{
	static char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* Sizes: mostly small, sometimes large, now and then a full 64 KiB. */
static uint32_t
draw_len(uint64_t *s)
{
	uint64_t r = mix(s) % 1000;

	if (r < 700)
		return 1 + (uint32_t)(mix(s) % 256);
	if (r < 930)
		return 257 + (uint32_t)(mix(s) % 3840);
	if (r < 990)
		return 4097 + (uint32_t)(mix(s) % 12288);
	if (r < 997)
		return 16385 + (uint32_t)(mix(s) % 49151);
	return DC_MAX_MSG;
}

static void
pump(struct world *w, struct dir *d)
{
	struct dpsctp_assoc *a = sim_node_assoc(d->from);

	if (a == NULL)
		return;
	while (d->dc.sent < d->total) {
		int rc;

		if (!d->drawn) {
			d->next_len = draw_len(&d->rng);
			d->next_sid = (uint16_t)(mix(&d->rng) % d->nstreams);
			d->next_unordered = mix(&d->rng) % 100 < d->unordered;
			d->drawn = true;
		}
		if (dpsctp_assoc_sndbuf_free(a) < d->next_len)
			return;
		rc = dc_send(&d->dc, a, d->next_sid, d->next_unordered, d->next_len, 0,
			sim_now(w->x.sim));
		if (rc != 0) {
			d->last_rc = rc;
			return;
		}
		d->drawn = false;
	}
}

/*
 * Transmit tap: 7.2.1 and 7.2.4 seen on the wire. A packet with DATA leaves only while the
 * flight size was below cwnd when its last chunk was added (cwnd may be exceeded by less than
 * one chunk); fast retransmissions (7.2.4 step 3) go regardless of cwnd and are not looked at.
 */
static enum sim_verdict
cwnd_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct world *w = arg;
	struct dpsctp_assoc *a = sim_node_assoc(node);
	unsigned int k = node == w->x.c;
	uint64_t fast = dpsctp_endpoint_stats(sim_node_endpoint(node))->retrans_fast;
	size_t off = DPSCTP_COMMON_HDR_LEN;
	struct dpsctp_path_info pi;
	uint32_t last = 0;

	(void)sim;
	(void)path;
	while (off + 4 <= *len) {
		size_t clen = dpsctp_get_be16(pkt + off + 2);

		if (clen < 4)
			break;
		if (pkt[off] == DPSCTP_CHUNK_DATA && clen > 16)
			last = (uint32_t)clen - 16;
		off += (clen + 3) & ~(size_t)3;
	}
	if (a == NULL || last == 0)
		return SIM_PASS;
	if (fast != w->fast_seen[k]) {
		w->fast_seen[k] = fast;
		return SIM_PASS;
	}
	dpsctp_assoc_path_info(a, &pi);
	w->cwnd_checked++;
	if (pi.flight - last >= pi.cwnd && w->cwnd_broken++ == 0)
		snprintf(w->cwnd_first, sizeof(w->cwnd_first),
			"%s sent DATA at %" PRIu64 " ns with flight %u (last chunk %u) and cwnd %u",
			sim_node_name(node), sim_now(w->x.sim), pi.flight, last, pi.cwnd);
	return SIM_PASS;
}

/* The applications: write what fits, read what came (rcv_app_window). */
static void
apps(struct world *w)
{
	struct dpsctp_assoc *a;

	pump(w, &w->c2s);
	pump(w, &w->s2c);
	if (!w->app_window || sim_now(w->x.sim) < w->next_read)
		return;
	w->next_read = sim_now(w->x.sim) + w->read_period;
	if (w->unread_s > 0 && (a = sim_node_assoc(w->x.s)) != NULL)
		dpsctp_assoc_consume(a, w->unread_s, sim_now(w->x.sim));
	w->unread_s = 0;
	if (w->unread_c > 0 && (a = sim_node_assoc(w->x.c)) != NULL)
		dpsctp_assoc_consume(a, w->unread_c, sim_now(w->x.sim));
	w->unread_c = 0;
}

static bool
all_queued(struct sim *sim, void *arg)
{
	struct world *w = arg;

	(void)sim;
	apps(w);
	return w->c2s.dc.sent == w->c2s.total && w->s2c.dc.sent == w->s2c.total;
}

static bool
all_delivered(struct sim *sim, void *arg)
{
	struct world *w = arg;

	return all_queued(sim, arg) && dc_complete(&w->c2s.dc) && dc_complete(&w->s2c.dc);
}

static bool
all_gone(struct sim *sim, void *arg)
{
	struct world *w = arg;

	apps(w);
	return scen_both_gone(sim, &w->x);
}

static void
on_deliver(struct sim_node *n, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor, void *arg)
{
	struct world *w = arg;
	uint64_t bytes = 0;
	unsigned int i;

	(void)a;
	for (i = 0; i < iovcnt; i++)
		bytes += iov[i].len;
	if (n == w->x.s) {
		w->unread_s += bytes;
		dc_deliver(&w->c2s.dc, ri, iov, iovcnt, eor);
	} else {
		w->unread_c += bytes;
		dc_deliver(&w->s2c.dc, ri, iov, iovcnt, eor);
	}
}

static void
draw_cfg(uint64_t *s, struct dpsctp_proto_config *cfg)
{
	static const uint16_t mtus[] = {576, 1280, 1500, 1500};
	static const uint64_t sack_delays[] = {0, 10 * SIM_MS, 50 * SIM_MS, 200 * SIM_MS};

	scen_cfg(cfg);
	cfg->rto_initial = 300 * SIM_MS;
	cfg->rto_min = 100 * SIM_MS;
	cfg->rto_max = 2 * SIM_S;
	/* with 20% loss each way, give up only on a dead link */
	cfg->max_init_retrans = 40;
	cfg->assoc_max_retrans = 40;
	cfg->shutdown_guard = 300 * SIM_S;
	cfg->a_rwnd = 1500 + (uint32_t)(mix(s) % 262144);
	cfg->sndbuf = DC_MAX_MSG + (uint32_t)(mix(s) % 262144);
	cfg->os = (uint16_t)(1 + mix(s) % 16);
	cfg->mis = (uint16_t)(1 + mix(s) % 16);
	cfg->sack_delay = sack_delays[mix(s) % 4];
	cfg->sack_freq = 1 + (uint32_t)(mix(s) % 4);
	cfg->max_burst = 1 + (uint32_t)(mix(s) % 8);
	cfg->pmtu = mtus[mix(s) % 4];
	cfg->nodelay = (mix(s) & 1) != 0;
}

static void
draw_link(uint64_t *s, struct sim_link_params *lp)
{
	sim_link_params_default(lp);
	lp->loss = unit(s) * 0.20;
	lp->duplication = unit(s) * 0.05;
	lp->reorder = unit(s) * 0.10;
	lp->delay_ns = (1 + mix(s) % 20) * SIM_MS;
	lp->jitter_ns = (mix(s) % 3) * SIM_MS;
	if (mix(s) % 3 == 0)
		lp->bandwidth_bps = (10 + mix(s) % 990) * 1000000ull;
}

static void
dir_init(struct dir *d, struct sim_node *from, uint64_t *s)
{
	d->from = from;
	d->total = 1 + mix(s) % MAX_MSGS;
	d->unordered = (unsigned int)(mix(s) % 3) * 25;
	d->rng = mix(s);
	dc_init(&d->dc, MAX_MSGS, 65535);
}

/* Replaying one seed: every upcall of both nodes, for the failure report. */
static void
dump_log(const struct sim_node *n)
{
	const struct sim_log_entry *l;
	size_t i, count;

	l = sim_node_log(n, &count);
	for (i = 0; i < count; i++) {
		if (l[i].kind == SIM_LOG_STATE)
			printf("%12.6f s %s: %s -> %s\n", (double)(l[i].time - SIM_T0) / 1e9,
				sim_node_name(n), dpsctp_state_name(l[i].from),
				dpsctp_state_name(l[i].to));
		else if (l[i].kind == SIM_LOG_EVENT)
			printf("%12.6f s %s: event %d (sac_state %d, error %u)\n",
				(double)(l[i].time - SIM_T0) / 1e9, sim_node_name(n), l[i].type,
				l[i].ac_state, l[i].error);
		else
			printf("%12.6f s %s: freed\n", (double)(l[i].time - SIM_T0) / 1e9,
				sim_node_name(n));
	}
}

/* The state the node's association was in when it closed (CLOSED if it never did). */
static enum dpsctp_state
closed_from(const struct sim_node *n)
{
	const struct sim_log_entry *l;
	size_t i, count;

	l = sim_node_log(n, &count);
	for (i = count; i-- > 0;)
		if (l[i].kind == SIM_LOG_STATE && l[i].to == DPSCTP_CLOSED)
			return l[i].from;
	return DPSCTP_CLOSED;
}

static void
soak_one(uint64_t seed, struct totals *tot, bool replay)
{
	struct dpsctp_proto_config ccfg, scfg;
	struct sim_link_params lp;
	struct dpsctp_assoc_status st;
	struct world w;
	uint64_t s = seed * 0x2545f4914f6cdd1dull + 7, base, k, outage_at, outage;
	bool early;
	struct sim_node *closer, *aborted = NULL;

	memset(&w, 0, sizeof(w));
	w.seed = seed;
	draw_cfg(&s, &ccfg);
	draw_cfg(&s, &scfg);
	w.app_window = mix(&s) % 4 == 0;
	w.read_period = mix(&s) % 2 == 0 ? 0 : (1 + mix(&s) % 50) * SIM_MS;
	ccfg.rcv_app_window = w.app_window;
	scfg.rcv_app_window = w.app_window;
	draw_link(&s, &lp);
	scen_setup_cfg(&w.x, seed, &ccfg, &scfg, &lp);
	draw_link(&s, &lp);
	sim_link_set_params(w.x.sc, &lp);
	sim_set_deliver_hook(w.x.sim, on_deliver, &w);
	sim_set_tx_tap(w.x.sim, cwnd_tap, &w);
	base = sim_live_allocations(w.x.sim);
	dir_init(&w.c2s, w.x.c, &s);
	dir_init(&w.s2c, w.x.s, &s);
	early = mix(&s) % 2 == 0;
	closer = mix(&s) % 2 == 0 ? w.x.c : w.x.s;
	outage_at = mix(&s) % (200 * SIM_MS);
	outage = mix(&s) % 8 == 0 ? 1 + mix(&s) % (3 * SIM_S) : 0;

	if (replay) {
		char pcap[512];

		snprintf(pcap, sizeof(pcap), "%s/soak_data_%" PRIu64 ".pcap", SIM_OUT_DIR, seed);
		cr_assert_eq(sim_pcap_open(w.x.sim, pcap), 0);
		printf("seed %" PRIu64 ": pcap in %s; c2s %" PRIu64 " messages, s2c %" PRIu64
		       ", %s shutdown by the %s\n",
			seed, pcap, w.c2s.total, w.s2c.total, early ? "early" : "late",
			sim_node_name(closer));
	}
	scen_associate(&w.x);
	SOAK_ASSERT(&w, sim_run_until_cond(w.x.sim, scen_both_up, &w.x, 600 * SIM_S),
		"not established (%s)", sim_error(w.x.sim) ? sim_error(w.x.sim) : "no sim error");
	dpsctp_assoc_get_status(sim_node_assoc(w.x.c), &st);
	w.c2s.nstreams = st.outbound_streams;
	SOAK_ASSERT(&w, st.outbound_streams == (ccfg.os < scfg.mis ? ccfg.os : scfg.mis),
		"client outbound streams %u", st.outbound_streams);
	dpsctp_assoc_get_status(sim_node_assoc(w.x.s), &st);
	w.s2c.nstreams = st.outbound_streams;

	/* one seed in eight cuts both links for up to 3 s in the middle */
	if (outage > 0 && !sim_run_until_cond(w.x.sim, all_delivered, &w, outage_at)) {
		sim_link_set_up(w.x.cs, false);
		sim_link_set_up(w.x.sc, false);
		sim_run_until_cond(w.x.sim, all_queued, &w, outage);
		sim_link_set_up(w.x.cs, true);
		sim_link_set_up(w.x.sc, true);
		tot->outages++;
	}
	/* both directions at once; the shutdown starts once all is queued (data still in
	 * flight, 9.2 delivers it first) or once all is delivered */
	SOAK_ASSERT(&w,
		sim_run_until_cond(w.x.sim, early ? all_queued : all_delivered, &w, 3600 * SIM_S),
		"transfer stuck: c2s %" PRIu64 "/%" PRIu64 " of %" PRIu64 " (rc %d), s2c %" PRIu64
		"/%" PRIu64 " of %" PRIu64 " (rc %d), sim error: %s",
		w.c2s.dc.delivered, w.c2s.dc.sent, w.c2s.total, w.c2s.last_rc, w.s2c.dc.delivered,
		w.s2c.dc.sent, w.s2c.total, w.s2c.last_rc,
		sim_error(w.x.sim) ? sim_error(w.x.sim) : "none");
	SOAK_ASSERT(&w, dpsctp_assoc_shutdown(sim_node_assoc(closer), sim_now(w.x.sim)) == 0,
		"shutdown refused");
	SOAK_ASSERT(&w, sim_run_until_cond(w.x.sim, all_gone, &w, 3600 * SIM_S),
		"shutdown stuck: client %s, server %s",
		dpsctp_state_name(sim_node_last_state(w.x.c, 0)),
		dpsctp_state_name(sim_node_last_state(w.x.s, 0)));

	if (replay) {
		dump_log(w.x.c);
		dump_log(w.x.s);
		fflush(stdout);
	}
	/* the invariant */
	SOAK_ASSERT(&w, w.c2s.dc.errors == 0, "c2s: %s", w.c2s.dc.first_error);
	SOAK_ASSERT(&w, w.s2c.dc.errors == 0, "s2c: %s", w.s2c.dc.first_error);
	SOAK_ASSERT(&w, dc_complete(&w.c2s.dc), "c2s: %" PRIu64 " of %" PRIu64 " delivered",
		w.c2s.dc.delivered, w.c2s.dc.sent);
	SOAK_ASSERT(&w, dc_complete(&w.s2c.dc), "s2c: %" PRIu64 " of %" PRIu64 " delivered",
		w.s2c.dc.delivered, w.s2c.dc.sent);
	SOAK_ASSERT(&w, w.c2s.dc.sent == w.c2s.total && w.s2c.dc.sent == w.s2c.total,
		"not everything was sent");
	/* a clean end on both sides, nothing reported lost: SHUTDOWN_COMP and no abort. One
	 * exception that RFC 9260 makes unavoidable: the SHUTDOWN COMPLETE was lost and, before
	 * T2 sent the SHUTDOWN ACK again, a late packet of the side in SHUTDOWN-ACK-SENT (a
	 * spurious retransmission held back on the link) reached the peer that had closed,
	 * which answered it with an ABORT (8.4 rule 8). That side then reports COMM_LOST although
	 * nothing was lost (checked above). */
	if (scen_events(w.x.c, DPSCTP_EV_SHUTDOWN_COMP) +
			scen_events(w.x.s, DPSCTP_EV_SHUTDOWN_COMP) ==
		1) {
		struct sim_node *lost =
			scen_events(w.x.c, DPSCTP_EV_SHUTDOWN_COMP) == 1 ? w.x.s : w.x.c;

		SOAK_ASSERT(&w,
			scen_events(lost, DPSCTP_EV_COMM_LOST) == 1 &&
				scen_aborts(lost, DPSCTP_ABORT_PEER) == 1 &&
				closed_from(lost) == DPSCTP_SHUTDOWN_ACK_SENT,
			"%s: no SHUTDOWN_COMP, COMM_LOST %" PRIu64 ", peer aborts %" PRIu64
			", closed from %s",
			sim_node_name(lost), scen_events(lost, DPSCTP_EV_COMM_LOST),
			scen_aborts(lost, DPSCTP_ABORT_PEER), dpsctp_state_name(closed_from(lost)));
		tot->late_aborts++;
		aborted = lost;
	} else {
		SOAK_ASSERT(&w,
			scen_events(w.x.c, DPSCTP_EV_SHUTDOWN_COMP) == 1 &&
				scen_events(w.x.s, DPSCTP_EV_SHUTDOWN_COMP) == 1,
			"SHUTDOWN_COMP: client %" PRIu64 ", server %" PRIu64,
			scen_events(w.x.c, DPSCTP_EV_SHUTDOWN_COMP),
			scen_events(w.x.s, DPSCTP_EV_SHUTDOWN_COMP));
		SOAK_ASSERT(&w,
			scen_events(w.x.c, DPSCTP_EV_COMM_LOST) +
					scen_events(w.x.s, DPSCTP_EV_COMM_LOST) ==
				0,
			"COMM_LOST");
	}
	for (k = 0; k < DPSCTP_ABORT_COUNT; k++) {
		enum dpsctp_abort_code code = (enum dpsctp_abort_code)k;
		uint64_t want = aborted != NULL && code == DPSCTP_ABORT_PEER ? 1 : 0;

		SOAK_ASSERT(&w, scen_aborts(w.x.c, code) + scen_aborts(w.x.s, code) == want,
			"abort %s", dpsctp_abort_code_name(code));
	}
	SOAK_ASSERT(&w,
		sim_node_count_events(w.x.c, DPSCTP_EV_SEND_FAILED, 0) +
				sim_node_count_events(w.x.s, DPSCTP_EV_SEND_FAILED, 0) ==
			0,
		"SEND_FAILED");
	SOAK_ASSERT(&w,
		sim_node_count_events(w.x.c, DPSCTP_EV_PARTIAL_DELIVERY, 0) +
				sim_node_count_events(w.x.s, DPSCTP_EV_PARTIAL_DELIVERY, 0) ==
			0,
		"PARTIAL_DELIVERY aborted");
	SOAK_ASSERT(&w, w.cwnd_broken == 0, "%" PRIu64 " packets over cwnd, first: %s",
		w.cwnd_broken, w.cwnd_first);
	/* every association-owned byte returned (replies to the last packets drained first) */
	SOAK_ASSERT(&w, sim_run_until_idle(w.x.sim, 60 * SIM_S), "not idle");
	SOAK_ASSERT(&w, sim_live_allocations(w.x.sim) == base,
		"%" PRIu64 " allocations left by the association",
		sim_live_allocations(w.x.sim) - base);

	tot->seeds++;
	tot->msgs += w.c2s.dc.delivered + w.s2c.dc.delivered;
	tot->bytes += w.c2s.dc.bytes + w.s2c.dc.bytes;
	tot->retrans_fast += STATS_SUM(&w.x, retrans_fast);
	tot->retrans_t3 += STATS_SUM(&w.x, retrans_t3);
	tot->t3 += STATS_SUM(&w.x, t3_expiries);
	tot->partial += STATS_SUM(&w.x, partial_deliveries);
	tot->lost += sim_link_stats(w.x.cs)->lost + sim_link_stats(w.x.sc)->lost;
	tot->duplicated += sim_link_stats(w.x.cs)->duplicated + sim_link_stats(w.x.sc)->duplicated;
	tot->reordered += sim_link_stats(w.x.cs)->reordered + sim_link_stats(w.x.sc)->reordered;
	tot->early_shutdowns += early;
	tot->cwnd_checked += w.cwnd_checked;
	dc_fini(&w.c2s.dc);
	dc_fini(&w.s2c.dc);
	scen_teardown(&w.x);
}

Test(soak_data, four_thousand_seeds_deliver_every_message_once_in_order_then_close_cleanly)
{
	struct totals tot = {0};
	const char *one = getenv("DPSCTP_SOAK_SEED");
	const char *env = getenv("DPSCTP_SOAK_SEEDS");
	uint64_t first = 1, n = env != NULL ? strtoull(env, NULL, 0) : 4000, seed;

	if (one != NULL) {
		first = strtoull(one, NULL, 0);
		n = 1;
	}
	for (seed = first; seed < first + n; seed++)
		soak_one(seed, &tot, one != NULL);
	printf("soak_data: %" PRIu64 " seeds, %" PRIu64 " messages, %" PRIu64
	       " bytes delivered (%" PRIu64
	       " DATA packets checked against cwnd); retransmissions %" PRIu64 " fast, %" PRIu64
	       " after %" PRIu64 " T3-rtx expiries; %" PRIu64 " partial deliveries; %" PRIu64
	       " shutdowns with data in flight; %" PRIu64 " link outages; %" PRIu64
	       " closes ended by a late ABORT after a "
	       "lost SHUTDOWN COMPLETE; links lost %" PRIu64 ", duplicated %" PRIu64
	       ", reordered %" PRIu64 "\n",
		tot.seeds, tot.msgs, tot.bytes, tot.cwnd_checked, tot.retrans_fast, tot.retrans_t3,
		tot.t3, tot.partial, tot.early_shutdowns, tot.outages, tot.late_aborts, tot.lost,
		tot.duplicated, tot.reordered);
	cr_assert_eq(tot.seeds, n);
	if (n >= 100) {
		/* only worth something if the links really misbehaved */
		cr_assert_gt(tot.lost, n);
		cr_assert_gt(tot.duplicated, 0);
		cr_assert_gt(tot.reordered, 0);
		cr_assert_gt(tot.retrans_fast, 0);
		cr_assert_gt(tot.retrans_t3, 0);
	}
}
