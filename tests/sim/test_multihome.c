/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multihoming scenarios on the simulator: path confirmation (RFC 9260 5.4), where data goes
 * (6.4, 6.4.1), path and association failure detection (8.1, 8.2, 8.3), potentially-failed
 * paths (RFC 7829) and ICMP packet-too-big handling (RFC 9260 appendix C). Two nodes with
 * several addresses; network i links the client's i-th address with the server's i-th, both
 * ways. A transmit tap counts DATA and HEARTBEAT packets per destination address (and which
 * DATA packets carry a TSN sent for the first time), a delivery tap counts what arrives on each
 * path, the event hook time-stamps every PEER_ADDR_CHANGE. Every transfer is checked by
 * datacheck.h (each message exactly once, intact, in order); every test ends with the leak
 * check.
 */
#include <errno.h>

#include "datacheck.h"
#include "scenario.h"

TestSuite(multihome, .timeout = 300);

enum { CLIENT = 0, SERVER = 1 };

#define MAX_NET 4   /* addresses per node in these scenarios */
#define MAX_PEV 512 /* PEER_ADDR_CHANGE events kept */
#define MAX_TSNS 64 /* DATA chunks looked at per packet */

/* Packet counters, per sender (transmit) or receiver (delivery) and per index of the peer's
 * address (the destination on transmit, the source on delivery). */
struct counts {
	uint64_t data[2][MAX_NET];    /* DATA packets sent */
	uint64_t fresh[2][MAX_NET];   /* of which carry a TSN sent for the first time */
	uint64_t hb[2][MAX_NET];      /* HEARTBEAT packets sent */
	uint64_t sd[2][MAX_NET];      /* SHUTDOWN or SHUTDOWN ACK packets sent */
	uint64_t sc[2][MAX_NET];      /* SHUTDOWN COMPLETE packets sent */
	uint64_t rx_data[2][MAX_NET]; /* packets with DATA that arrived */
	uint64_t rx_sack[2][MAX_NET]; /* packets with a SACK that arrived */
	uint64_t t3[2];               /* stats.t3_expiries */
	uint64_t hb_acked[2];         /* stats.hb_acked */
};

/* A PEER_ADDR_CHANGE as a node saw it, with the counters at that moment. */
struct pev {
	uint64_t time;
	int who; /* the node that reported it */
	int idx; /* which of the peer's addresses */
	enum dpsctp_paddr_change state;
	struct counts cnt;
};

/* Waits for a DATA packet from the client to server address @c idx (a first transmission when
 * @c fresh_only) and for its arrival. */
struct watch {
	bool armed;
	int idx;
	int reset_idx; /* a first transmission to this address starts the watch over (-1: no) */
	bool fresh_only;
	bool have_tsn;
	uint32_t tsn;
	uint64_t tx_time;
	uint64_t rx_time;
};

struct mh {
	struct sim *sim;
	struct sim_node *n[2];
	struct dpsctp_addr addr[2][MAX_NET];
	size_t naddr[2];
	struct sim_link *link[2][MAX_NET]; /* [CLIENT][i]: network i client -> server */
	struct dpsctp_assoc *ca;
	/* data each node sends, checked where it arrives */
	struct dc_dir dc[2];
	int sender;
	uint64_t total;  /* messages to send */
	uint64_t due;    /* the stream: messages the application wants sent by now */
	uint64_t period; /* the stream: one message every period */
	uint32_t min_len, max_len;
	uint64_t salt;
	int last_rc;
	/* a cut in the middle of a bulk transfer */
	uint64_t cut_at; /* after this many messages delivered (0: none) */
	struct sim_link *cut[4];
	unsigned int ncut;
	bool cut_done;
	uint64_t t_cut;
	struct counts at_cut;
	/* taps and events */
	struct counts cnt;
	uint32_t next_fresh[2]; /* the next TSN never sent, per sender */
	bool fresh_init[2];
	size_t max_len_seen[2][MAX_NET]; /* largest DATA packet since cleared */
	uint8_t quote[MAX_NET][16];      /* start of a DATA packet the client sent there */
	bool have_quote[MAX_NET];
	struct watch w[2];
	/* packet-too-big (ptb_watch) */
	bool ptb_armed;
	int ptb_idx;
	size_t ptb_limit;  /* largest SCTP packet the new MTU takes */
	uint32_t ptb_next; /* the lowest TSN not sent at the report */
	bool ptb_have_first;
	uint32_t ptb_first;           /* the first chunk of the first message fragmented after it */
	uint64_t ptb_after_pkts;      /* DATA packets with chunks of such messages */
	size_t ptb_after_max;         /* the largest of them */
	uint64_t ptb_before_oversize; /* oversized packets of messages fragmented before */
	struct pev ev[MAX_PEV];
	unsigned int nev;
	uint64_t send_failed[2];
	uint64_t comm_lost_at[2];
	uint64_t stray_delivery;
};

/* ---- helpers ---- */

static const struct dpsctp_stats *
stats(const struct mh *m, int who)
{
	return dpsctp_endpoint_stats(sim_node_endpoint(m->n[who]));
}

static uint64_t
to_ms(uint64_t ns)
{
	return (uint64_t)(ns / SIM_MS);
}

static int
addr_idx(const struct mh *m, int who, const struct dpsctp_addr *a)
{
	size_t i;

	for (i = 0; i < m->naddr[who]; i++)
		if (sim_addr_eq(&m->addr[who][i], a))
			return (int)i;
	return -1;
}

static struct counts
snap(const struct mh *m)
{
	struct counts c = m->cnt;
	int who;

	for (who = 0; who < 2; who++) {
		if (sim_node_endpoint(m->n[who]) == NULL)
			continue;
		c.t3[who] = stats(m, who)->t3_expiries;
		c.hb_acked[who] = stats(m, who)->hb_acked;
	}
	return c;
}

/* Path towards the peer's @p idx-th address as node @p who sees it. */
static struct dpsctp_paddr_info
pinfo(const struct mh *m, int who, size_t idx)
{
	struct dpsctp_assoc *a = sim_node_assoc(m->n[who]);
	struct dpsctp_paddr_info pi;

	cr_assert_not_null(a);
	cr_assert_eq(dpsctp_assoc_paddr_info(a, &m->addr[!who][idx], &pi), 0);
	return pi;
}

static bool
tsn_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* TSNs and flags of the DATA chunks of an SCTP packet. @return how many DATA chunks it
 * holds. */
static unsigned int
pkt_tsns(const uint8_t *pkt, size_t len, uint32_t *tsns, uint8_t *flags, unsigned int cap)
{
	size_t off = DPSCTP_COMMON_HDR_LEN;
	unsigned int n = 0;

	while (off + 4 <= len) {
		size_t clen = (size_t)pkt[off + 2] << 8 | pkt[off + 3];

		if (clen < 4 || off + clen > len)
			break;
		if (pkt[off] == DPSCTP_CHUNK_DATA && clen >= 16) {
			if (n < cap) {
				tsns[n] = (uint32_t)pkt[off + 4] << 24 |
					  (uint32_t)pkt[off + 5] << 16 |
					  (uint32_t)pkt[off + 6] << 8 | pkt[off + 7];
				flags[n] = pkt[off + 1];
			}
			n++;
		}
		off += (clen + 3) & ~(size_t)3;
	}
	return n;
}

/*
 * After a packet-too-big report on path ptb_idx: RFC 9260 6.9, a message fragmented before it
 * keeps its fragments (they go oversized, IP fragments them); the first message that begins
 * (B bit) at or after the lowest TSN not sent at the report was fragmented after it, and so was
 * every later one: their packets must fit the new MTU.
 */
static void
ptb_watch(struct mh *m, size_t len, const uint32_t *tsns, const uint8_t *flags, unsigned int n)
{
	bool after = false;
	unsigned int k;

	for (k = 0; k < n; k++) {
		if (!m->ptb_have_first && tsn_ge(tsns[k], m->ptb_next) &&
			(flags[k] & DPSCTP_DATA_FLAG_B) != 0) {
			m->ptb_have_first = true;
			m->ptb_first = tsns[k];
		}
		if (m->ptb_have_first && tsn_ge(tsns[k], m->ptb_first))
			after = true;
	}
	if (after) {
		m->ptb_after_pkts++;
		if (len > m->ptb_after_max)
			m->ptb_after_max = len;
	} else if (len > m->ptb_limit) {
		m->ptb_before_oversize++;
	}
}

static enum sim_verdict
tx_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct mh *m = arg;
	int who = node == m->n[CLIENT] ? CLIENT : SERVER;
	int i = addr_idx(m, !who, &path->remote);
	uint32_t tsns[MAX_TSNS], first_fresh = 0;
	uint8_t flags[MAX_TSNS];
	unsigned int k, nd;
	bool fresh = false;

	if (i < 0)
		return SIM_PASS;
	if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_HEARTBEAT))
		m->cnt.hb[who][i]++;
	if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_SHUTDOWN) ||
		sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_SHUTDOWN_ACK))
		m->cnt.sd[who][i]++;
	if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_SHUTDOWN_COMPLETE))
		m->cnt.sc[who][i]++;
	nd = pkt_tsns(pkt, *len, tsns, flags, MAX_TSNS);
	if (nd == 0)
		return SIM_PASS;
	m->cnt.data[who][i]++;
	if (who == CLIENT && m->ptb_armed && i == m->ptb_idx)
		ptb_watch(m, *len, tsns, flags, nd < MAX_TSNS ? nd : MAX_TSNS);
	for (k = 0; k < nd && k < MAX_TSNS; k++) {
		if (m->fresh_init[who] && !tsn_ge(tsns[k], m->next_fresh[who]))
			continue;
		if (!fresh)
			first_fresh = tsns[k];
		fresh = true;
		m->fresh_init[who] = true;
		m->next_fresh[who] = tsns[k] + 1;
	}
	if (fresh)
		m->cnt.fresh[who][i]++;
	if (*len > m->max_len_seen[who][i])
		m->max_len_seen[who][i] = *len;
	if (who != CLIENT)
		return SIM_PASS;
	if (!m->have_quote[i]) {
		memcpy(m->quote[i], pkt, sizeof(m->quote[i]));
		m->have_quote[i] = true;
	}
	for (k = 0; k < 2; k++) {
		struct watch *w = &m->w[k];

		if (w->armed && fresh && w->reset_idx == i) {
			w->have_tsn = false;
			w->rx_time = 0;
		}
		if (!w->armed || w->have_tsn || w->idx != i || (w->fresh_only && !fresh))
			continue;
		w->have_tsn = true;
		w->tsn = fresh ? first_fresh : tsns[0];
		w->tx_time = sim_now(sim);
	}
	return SIM_PASS;
}

static enum sim_verdict
rx_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct mh *m = arg;
	uint32_t tsns[MAX_TSNS];
	uint8_t flags[MAX_TSNS];
	unsigned int k, j, nd;
	int who, i;

	if (node == NULL)
		return SIM_PASS;
	who = node == m->n[CLIENT] ? CLIENT : SERVER;
	i = addr_idx(m, !who, &path->remote);
	if (i < 0)
		return SIM_PASS;
	if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_SACK))
		m->cnt.rx_sack[who][i]++;
	nd = pkt_tsns(pkt, *len, tsns, flags, MAX_TSNS);
	if (nd == 0)
		return SIM_PASS;
	m->cnt.rx_data[who][i]++;
	if (who != SERVER)
		return SIM_PASS;
	for (k = 0; k < 2; k++) {
		struct watch *w = &m->w[k];

		if (!w->armed || !w->have_tsn || w->rx_time != 0 ||
			addr_idx(m, SERVER, &path->local) != w->idx)
			continue;
		for (j = 0; j < nd && j < MAX_TSNS; j++)
			if (tsns[j] == w->tsn)
				w->rx_time = sim_now(sim);
	}
	return SIM_PASS;
}

static void
on_event(struct sim_node *node, struct dpsctp_assoc *a, const struct dpsctp_event *ev, void *arg)
{
	struct mh *m = arg;
	int who = node == m->n[CLIENT] ? CLIENT : SERVER;

	(void)a;
	if (ev->type == DPSCTP_EV_PEER_ADDR_CHANGE && m->nev < MAX_PEV) {
		struct pev *p = &m->ev[m->nev++];

		p->time = sim_now(m->sim);
		p->who = who;
		p->idx = addr_idx(m, !who, &ev->u.paddr.addr);
		p->state = ev->u.paddr.state;
		p->cnt = snap(m);
	}
	if (ev->type == DPSCTP_EV_SEND_FAILED)
		m->send_failed[who]++;
	if (ev->type == DPSCTP_EV_ASSOC_CHANGE && ev->u.assoc_change.state == DPSCTP_EV_COMM_LOST)
		m->comm_lost_at[who] = sim_now(m->sim);
}

static void
on_deliver(struct sim_node *node, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor, void *arg)
{
	struct mh *m = arg;

	(void)a;
	/* what the server receives is what the client sent, and the other way round */
	if (node == m->n[SERVER])
		dc_deliver(&m->dc[CLIENT], ri, iov, iovcnt, eor);
	else if (node == m->n[CLIENT])
		dc_deliver(&m->dc[SERVER], ri, iov, iovcnt, eor);
	else
		m->stray_delivery++;
}

/* The first PEER_ADDR_CHANGE @p st node @p who reported for the peer's @p idx-th address at
 * or after @p after, or NULL. */
static const struct pev *
find_ev(const struct mh *m, int who, int idx, enum dpsctp_paddr_change st, uint64_t after)
{
	unsigned int k;

	for (k = 0; k < m->nev; k++)
		if (m->ev[k].who == who && m->ev[k].idx == idx && m->ev[k].state == st &&
			m->ev[k].time >= after)
			return &m->ev[k];
	return NULL;
}

static unsigned int
count_ev(const struct mh *m, int who, int idx, enum dpsctp_paddr_change st)
{
	unsigned int k, n = 0;

	for (k = 0; k < m->nev; k++)
		if (m->ev[k].who == who && m->ev[k].idx == idx && m->ev[k].state == st)
			n++;
	return n;
}

/* What a run waits for: an event. */
struct evq {
	struct mh *m;
	int who;
	int idx;
	enum dpsctp_paddr_change st;
	uint64_t after;
};

static bool
ev_seen(struct sim *sim, void *arg)
{
	struct evq *q = arg;

	(void)sim;
	return find_ev(q->m, q->who, q->idx, q->st, q->after) != NULL;
}

/* ---- the world ---- */

static struct dpsctp_addr
addr_parse(const char *s)
{
	return strchr(s, ':') != NULL ? sim_addr6(s) : sim_addr4(s);
}

/*
 * A telecom-like profile where timing is not the point: RTO 50..400 ms, SACKs within 10 ms
 * (below RTO.Min, so no T3-rtx fires on a lossless path), keep-alive every 500 ms, no Nagle.
 */
static void
fast_cfg(struct dpsctp_proto_config *cfg)
{
	dpsctp_proto_config_default(cfg);
	cfg->rto_initial = 100 * SIM_MS;
	cfg->rto_min = 50 * SIM_MS;
	cfg->rto_max = 400 * SIM_MS;
	cfg->shutdown_guard = 5 * cfg->rto_max;
	cfg->hb_interval = 500 * SIM_MS;
	cfg->sack_delay = 10 * SIM_MS;
	cfg->nodelay = true;
}

/*
 * A world: the client with addresses @p ca, the server (listening) with @p sa, networks
 * 0..@p nnets-1 linked both ways with @p delay one-way; hooks and taps installed.
 */
static void
mh_init(struct mh *m, uint64_t seed, const struct dpsctp_proto_config *cfg, const char *const *ca,
	size_t nc, const char *const *sa, size_t ns, size_t nnets, uint64_t delay,
	uint64_t max_msgs)
{
	struct sim_link_params lp;
	size_t i;

	memset(m, 0, sizeof(*m));
	cr_assert(nc <= MAX_NET && ns <= MAX_NET && nnets <= nc && nnets <= ns);
	m->sim = sim_create(seed);
	cr_assert_not_null(m->sim);
	for (i = 0; i < nc; i++)
		m->addr[CLIENT][i] = addr_parse(ca[i]);
	for (i = 0; i < ns; i++)
		m->addr[SERVER][i] = addr_parse(sa[i]);
	m->naddr[CLIENT] = nc;
	m->naddr[SERVER] = ns;
	m->n[CLIENT] = sim_node_add(m->sim, "client", m->addr[CLIENT], nc, 5000, false, cfg);
	m->n[SERVER] = sim_node_add(m->sim, "server", m->addr[SERVER], ns, 5001, true, cfg);
	cr_assert(m->n[CLIENT] != NULL && m->n[SERVER] != NULL);
	sim_link_params_default(&lp);
	lp.delay_ns = delay;
	for (i = 0; i < nnets; i++)
		cr_assert_eq(sim_link_add_bidir(m->sim, &m->addr[CLIENT][i], &m->addr[SERVER][i],
				     &lp, &m->link[CLIENT][i], &m->link[SERVER][i]),
			0);
	dc_init(&m->dc[CLIENT], max_msgs, 4);
	dc_init(&m->dc[SERVER], max_msgs, 4);
	m->total = max_msgs;
	m->due = UINT64_MAX;
	m->period = 10 * SIM_MS;
	m->min_len = 200;
	m->max_len = 200;
	m->salt = seed;
	sim_set_tx_tap(m->sim, tx_tap, m);
	sim_set_rx_tap(m->sim, rx_tap, m);
	sim_set_event_hook(m->sim, on_event, m);
	sim_set_deliver_hook(m->sim, on_deliver, m);
}

static bool
both_established(struct sim *sim, void *arg)
{
	struct mh *m = arg;
	struct dpsctp_assoc *c = sim_node_assoc(m->n[CLIENT]), *s = sim_node_assoc(m->n[SERVER]);

	(void)sim;
	return c != NULL && s != NULL && dpsctp_assoc_state(c) == DPSCTP_ESTABLISHED &&
	       dpsctp_assoc_state(s) == DPSCTP_ESTABLISHED;
}

/* Every path that has a network is ACTIVE on both sides (5.4: the server confirms the
 * client's other addresses with heartbeats). */
static bool
linked_paths_active(struct sim *sim, void *arg)
{
	struct mh *m = arg;
	int who;
	size_t i;

	(void)sim;
	for (who = 0; who < 2; who++)
		for (i = 0; i < m->naddr[!who]; i++) {
			if (m->link[CLIENT][i] == NULL)
				continue;
			if (pinfo(m, who, i).state != DPSCTP_PATH_ACTIVE)
				return false;
		}
	return true;
}

static void
mh_connect(struct mh *m)
{
	cr_assert_eq(sim_node_associate(m->n[CLIENT], m->n[SERVER], 0, &m->ca), 0);
	cr_assert(sim_run_until_cond(m->sim, both_established, m, 10 * SIM_S),
		"not established (sim error: %s)", sim_error(m->sim) ? sim_error(m->sim) : "none");
	cr_assert(sim_run_until_cond(m->sim, linked_paths_active, m, 10 * SIM_S),
		"paths not all confirmed");
}

/* Bring network @p i down or up, both directions. */
static void
net_set(struct mh *m, size_t i, bool up)
{
	sim_link_set_up(m->link[CLIENT][i], up);
	sim_link_set_up(m->link[SERVER][i], up);
}

/* Queue the sender's next messages while the send buffer takes them (up to m->due). */
static void
pump(struct mh *m)
{
	struct dpsctp_assoc *a = sim_node_assoc(m->n[m->sender]);
	struct dc_dir *d = &m->dc[m->sender];
	uint64_t limit = m->due < m->total ? m->due : m->total;

	if (a == NULL || dpsctp_assoc_state(a) != DPSCTP_ESTABLISHED)
		return;
	while (d->sent < limit) {
		uint64_t i = d->sent;
		size_t len = m->min_len +
			     (size_t)(dc_mix(m->salt ^ (i << 8)) % (m->max_len - m->min_len + 1));
		int rc;

		if (dpsctp_assoc_sndbuf_free(a) < len)
			return;
		rc = dc_send(d, a, (uint16_t)(i % 4), false, len, 0, sim_now(m->sim));
		if (rc != 0) {
			m->last_rc = rc;
			return;
		}
	}
}

static bool
bulk_done(struct sim *sim, void *arg)
{
	struct mh *m = arg;
	struct dc_dir *d = &m->dc[m->sender];
	uint64_t limit = m->due < m->total ? m->due : m->total;
	unsigned int k;

	pump(m);
	if (m->cut_at != 0 && !m->cut_done && d->delivered >= m->cut_at) {
		for (k = 0; k < m->ncut; k++)
			sim_link_set_up(m->cut[k], false);
		m->cut_done = true;
		m->t_cut = sim_now(sim);
		m->at_cut = snap(m);
	}
	return d->sent == limit && dc_complete(d);
}

/* Run until the sender has sent and the peer received everything (m->total, or what the
 * stream made due). */
static void
bulk_run(struct mh *m, uint64_t max_dt)
{
	struct dc_dir *d = &m->dc[m->sender];

	cr_assert(sim_run_until_cond(m->sim, bulk_done, m, max_dt),
		"transfer incomplete: %" PRIu64 " delivered of %" PRIu64 " sent (%s, rc %d), "
		"sim error: %s",
		d->delivered, d->sent, d->errors != 0 ? d->first_error : "no error", m->last_rc,
		sim_error(m->sim) ? sim_error(m->sim) : "none");
	cr_assert_eq(d->errors, 0, "%s", d->first_error);
}

/*
 * The steady stream: one message every m->period, until @p stop holds (tested every period;
 * events carry their exact time) or for @p max_dt. @return whether @p stop held.
 */
static bool
stream_until(struct mh *m, sim_cond_fn stop, void *arg, uint64_t max_dt)
{
	uint64_t end = sim_now(m->sim) + max_dt;

	if (m->due == UINT64_MAX)
		m->due = m->dc[m->sender].sent;
	while (sim_now(m->sim) < end) {
		if (stop != NULL && stop(m->sim, arg))
			return true;
		m->due++;
		cr_assert(m->due <= m->total, "stream longer than the message table");
		pump(m);
		cr_assert(sim_run_for(m->sim, m->period), "simulator: %s", sim_error(m->sim));
	}
	return stop != NULL && stop(m->sim, arg);
}

static bool
both_gone(struct sim *sim, void *arg)
{
	struct mh *m = arg;

	(void)sim;
	return sim_node_assoc_count(m->n[CLIENT]) == 0 && sim_node_assoc_count(m->n[SERVER]) == 0;
}

/* With MH_DEBUG set in the environment: a node's upcalls, for a failing scenario. */
static void
dump_log(const struct mh *m, int who)
{
	const struct sim_log_entry *e;
	size_t n, k;

	if (getenv("MH_DEBUG") == NULL)
		return;
	e = sim_node_log(m->n[who], &n);
	for (k = 0; k < n; k++)
		fprintf(stderr, "%s %.3f kind %d type %d ac %d from %s to %s err %u\n",
			who == CLIENT ? "client" : "server", (double)e[k].time / SIM_S, e[k].kind,
			e[k].type, e[k].ac_state, dpsctp_state_name(e[k].from),
			dpsctp_state_name(e[k].to), e[k].error);
	for (k = 0; k < DPSCTP_ABORT_COUNT && sim_node_endpoint(m->n[who]) != NULL; k++)
		if (stats(m, who)->aborts[k] != 0)
			fprintf(stderr, "%s abort %s: %" PRIu64 "\n",
				who == CLIENT ? "client" : "server",
				dpsctp_abort_code_name((enum dpsctp_abort_code)k),
				stats(m, who)->aborts[k]);
	for (k = 0; k < m->nev; k++)
		if (m->ev[k].who == who)
			fprintf(stderr, "%s %.3f paddr %d state %d\n",
				who == CLIENT ? "client" : "server", (double)m->ev[k].time / SIM_S,
				m->ev[k].idx, m->ev[k].state);
}

/* 9.2: graceful shutdown from the client, seen complete on both sides, nothing lost. */
static void
mh_close(struct mh *m)
{
	bool ok;

	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(m->n[CLIENT]), sim_now(m->sim)), 0);
	ok = sim_run_until_cond(m->sim, both_gone, m, 600 * SIM_S);
	if (!ok || scen_events(m->n[CLIENT], DPSCTP_EV_SHUTDOWN_COMP) != 1 ||
		scen_events(m->n[SERVER], DPSCTP_EV_SHUTDOWN_COMP) != 1) {
		dump_log(m, CLIENT);
		dump_log(m, SERVER);
	}
	cr_assert(ok, "shutdown did not complete: client %s, server %s",
		dpsctp_state_name(sim_node_last_state(m->n[CLIENT], 0)),
		dpsctp_state_name(sim_node_last_state(m->n[SERVER], 0)));
	cr_assert_eq(scen_events(m->n[CLIENT], DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(m->n[SERVER], DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(m->n[CLIENT], DPSCTP_EV_COMM_LOST), 0);
	cr_assert_eq(scen_events(m->n[SERVER], DPSCTP_EV_COMM_LOST), 0);
}

/* Stop everything, check nothing leaked, free the world. */
static void
mh_fini(struct mh *m)
{
	cr_assert_eq(m->stray_delivery, 0);
	dc_fini(&m->dc[CLIENT]);
	dc_fini(&m->dc[SERVER]);
	cr_assert_null(sim_error(m->sim), "simulator: %s", sim_error(m->sim));
	sim_stop_all(m->sim);
	cr_assert_eq(sim_live_allocations(m->sim), 0, "%" PRIu64 " allocations leaked",
		sim_live_allocations(m->sim));
	cr_assert_eq(sim_node_alloc_stats(m->n[CLIENT])->bad_frees, 0);
	cr_assert_eq(sim_node_alloc_stats(m->n[SERVER])->bad_frees, 0);
	sim_destroy(m->sim);
}

static const char *const two_c[] = {"198.18.1.1", "198.18.2.1"};
static const char *const two_s[] = {"198.18.1.2", "198.18.2.2"};

/* The 2 x 2 world (network 0: 198.18.1.0/24, network 1: 198.18.2.0/24), associated. */
static struct mh *
mh_two_by_two(
	uint64_t seed, const struct dpsctp_proto_config *cfg, uint64_t delay, uint64_t max_msgs)
{
	struct mh *m = calloc(1, sizeof(*m));

	cr_assert_not_null(m);
	mh_init(m, seed, cfg, two_c, 2, two_s, 2, 2, delay, max_msgs);
	mh_connect(m);
	return m;
}

static void
mh_free(struct mh *m)
{
	mh_fini(m);
	free(m);
}

/* Nothing lost: no SEND_FAILED, no COMM_LOST on either side. */
static void
assert_nothing_lost(const struct mh *m)
{
	cr_assert_eq(m->send_failed[CLIENT] + m->send_failed[SERVER], 0);
	cr_assert_eq(scen_events(m->n[CLIENT], DPSCTP_EV_COMM_LOST), 0);
	cr_assert_eq(scen_events(m->n[SERVER], DPSCTP_EV_COMM_LOST), 0);
}

/* ---- failover in a bulk transfer ---- */

/*
 * 3000 messages of 1..3000 bytes from the client; network 0 (the primary path, both directions)
 * dies when half of them have arrived. The transfer completes over network 1 with nothing lost,
 * duplicated or reordered, and the client reports the primary UNREACHABLE (8.2), preceded by
 * POTENTIALLY_FAILED when RFC 7829 is on.
 */
static void
primary_cut_mid_transfer(uint64_t seed, uint32_t pf_threshold)
{
	struct dpsctp_proto_config cfg;
	const struct pev *pf, *un;
	struct evq q;
	struct mh *m;

	fast_cfg(&cfg);
	cfg.pf_threshold = pf_threshold;
	m = mh_two_by_two(seed, &cfg, SIM_MS, 4000);
	cr_assert(pinfo(m, CLIENT, 0).primary);
	cr_assert(pinfo(m, CLIENT, 1).state == DPSCTP_PATH_ACTIVE);
	m->total = 3000;
	m->min_len = 1;
	m->max_len = 3000;
	m->cut_at = 1500;
	m->cut[0] = m->link[CLIENT][0];
	m->cut[1] = m->link[SERVER][0];
	m->ncut = 2;
	bulk_run(m, 120 * SIM_S);
	cr_assert(m->cut_done);
	/* the primary is declared unreachable; wait for it should the transfer end first */
	q = (struct evq){m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, m->t_cut};
	cr_assert(sim_run_until_cond(m->sim, ev_seen, &q, 60 * SIM_S), "no UNREACHABLE");
	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, m->t_cut);
	pf = find_ev(m, CLIENT, 0, DPSCTP_ADDR_POTENTIALLY_FAILED, m->t_cut);
	if (pf_threshold == DPSCTP_PF_DISABLED) {
		cr_assert_null(pf, "POTENTIALLY_FAILED with PF off");
	} else {
		/* RFC 7829: ACTIVE -> PF first, INACTIVE when Path.Max.Retrans is exceeded */
		cr_assert_not_null(pf, "no POTENTIALLY_FAILED before UNREACHABLE");
		cr_assert_lt(pf->time, un->time);
	}
	cr_assert_eq(count_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE), 1);
	cr_assert_eq(count_ev(m, CLIENT, 1, DPSCTP_ADDR_UNREACHABLE), 0);
	/* after the cut the data reached the server over network 1 only */
	cr_assert_gt(m->cnt.rx_data[SERVER][1], m->at_cut.rx_data[SERVER][1]);
	cr_assert_eq(m->cnt.rx_data[SERVER][0], m->at_cut.rx_data[SERVER][0]);
	cr_assert_eq(pinfo(m, CLIENT, 0).state, DPSCTP_PATH_INACTIVE);
	cr_assert(pinfo(m, CLIENT, 1).data, "new data does not go to the alternate");
	cr_assert_geq(stats(m, CLIENT)->failovers, 1);
	cr_assert_eq(m->dc[CLIENT].delivered, 3000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

Test(multihome, primary_cut_mid_transfer_completes_on_alternate_without_pf)
{
	primary_cut_mid_transfer(101, DPSCTP_PF_DISABLED);
}

Test(multihome, primary_cut_mid_transfer_completes_on_alternate_with_pf)
{
	primary_cut_mid_transfer(102, 0);
}

/* ---- when the data moves ---- */

/*
 * RTO 100 ms (RTO.Min = RTO.Initial, the 2 ms RTT keeps it there), RTO.Max 2 s,
 * Path.Max.Retrans 3, a 200-byte message every 5 ms; network 0 dies. Returns the world with the
 * client's events recorded up to UNREACHABLE and 500 ms beyond.
 */
#define SW_PMR 3u
#define SW_RTO (100 * SIM_MS)

static struct mh *
switch_run(uint64_t seed, uint32_t pf_threshold, struct counts *at, uint64_t *t_cut)
{
	struct dpsctp_proto_config cfg;
	struct evq q;
	struct mh *m;

	fast_cfg(&cfg);
	cfg.rto_initial = SW_RTO;
	cfg.rto_min = SW_RTO;
	cfg.rto_max = 2 * SIM_S;
	cfg.path_max_retrans = SW_PMR;
	cfg.pf_threshold = pf_threshold;
	cfg.hb_interval = 10 * SIM_S; /* keep-alive out of the way of the count */
	m = mh_two_by_two(seed, &cfg, SIM_MS, 20000);
	m->period = 5 * SIM_MS;
	stream_until(m, NULL, NULL, SIM_S);
	cr_assert_eq(pinfo(m, CLIENT, 0).rto, SW_RTO);
	cr_assert_eq(m->cnt.fresh[CLIENT][1], 0, "data on the alternate before any failure");
	net_set(m, 0, false);
	*t_cut = sim_now(m->sim);
	*at = snap(m);
	q = (struct evq){m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, *t_cut};
	cr_assert(stream_until(m, ev_seen, &q, 20 * SIM_S), "no UNREACHABLE");
	stream_until(m, NULL, NULL, 500 * SIM_MS);
	return m;
}

static void
switch_finish(struct mh *m)
{
	bulk_run(m, 60 * SIM_S);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

Test(multihome, without_pf_new_data_stays_on_primary_until_pmr_plus_one_t3_timeouts)
{
	const struct pev *un;
	struct counts at;
	uint64_t t_cut, lo, hi;
	struct mh *m = switch_run(201, DPSCTP_PF_DISABLED, &at, &t_cut);

	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, t_cut);
	cr_assert_null(find_ev(m, CLIENT, 0, DPSCTP_ADDR_POTENTIALLY_FAILED, 0));
	/* 8.2: INACTIVE when the error counter exceeds Path.Max.Retrans: at the (PMR+1)-th
	 * consecutive T3-rtx expiry */
	cr_assert_eq(un->cnt.t3[CLIENT] - at.t3[CLIENT], SW_PMR + 1, "%" PRIu64 " T3 expiries",
		un->cnt.t3[CLIENT] - at.t3[CLIENT]);
	/* 6.3.3 E2: the RTO doubles each time: the first expiry within one RTO of the cut, the
	 * others 2, 4, 8 RTO later (new data keeps T3 running on the primary) */
	lo = SW_RTO * (2 + 4 + 8);
	hi = SW_RTO * (1 + 2 + 4 + 8) + 10 * SIM_MS;
	cr_assert(un->time - t_cut >= lo && un->time - t_cut <= hi,
		"UNREACHABLE %" PRIu64 " ms after the cut, expected %" PRIu64 "..%" PRIu64,
		to_ms(un->time - t_cut), to_ms(lo), to_ms(hi));
	/* 6.4: new data keeps going to the primary until it is INACTIVE (at least once per T3
	 * round); 6.4.1: retransmissions go to the alternate */
	cr_assert_geq(un->cnt.fresh[CLIENT][0] - at.fresh[CLIENT][0], SW_PMR + 1);
	cr_assert_eq(un->cnt.fresh[CLIENT][1] - at.fresh[CLIENT][1], 0,
		"%" PRIu64 " DATA packets with new TSNs went to the alternate before UNREACHABLE",
		un->cnt.fresh[CLIENT][1] - at.fresh[CLIENT][1]);
	cr_assert_gt(un->cnt.data[CLIENT][1], at.data[CLIENT][1]);
	/* then all new data goes to the alternate */
	cr_assert_gt(m->cnt.fresh[CLIENT][1], un->cnt.fresh[CLIENT][1]);
	cr_assert_eq(m->cnt.fresh[CLIENT][0], un->cnt.fresh[CLIENT][0]);
	switch_finish(m);
}

static void
pf_switch(uint64_t seed, uint32_t pf_threshold)
{
	const struct pev *un, *pf;
	struct counts at;
	uint64_t t_cut, hi = 0;
	struct mh *m = switch_run(seed, pf_threshold, &at, &t_cut);
	uint32_t k;

	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, t_cut);
	pf = find_ev(m, CLIENT, 0, DPSCTP_ADDR_POTENTIALLY_FAILED, t_cut);
	cr_assert_not_null(pf);
	/* RFC 7829: PF when the error counter exceeds PFMR: at the (PFMR+1)-th T3 expiry */
	cr_assert_eq(pf->cnt.t3[CLIENT] - at.t3[CLIENT], pf_threshold + 1);
	for (k = 0; k <= pf_threshold; k++)
		hi += SW_RTO << k;
	cr_assert_leq(pf->time - t_cut, hi + 10 * SIM_MS);
	/* well before UNREACHABLE, which PF probes (one HEARTBEAT per RTO) bring later */
	cr_assert_lt(2 * (pf->time - t_cut), un->time - t_cut,
		"PF at %" PRIu64 " ms, UNREACHABLE at %" PRIu64 " ms", to_ms(pf->time - t_cut),
		to_ms(un->time - t_cut));
	cr_assert_gt(un->cnt.hb[CLIENT][0], pf->cnt.hb[CLIENT][0], "no PF probe");
	/* until PF new data went to the primary; from PF on only to the alternate */
	cr_assert_geq(pf->cnt.fresh[CLIENT][0] - at.fresh[CLIENT][0], pf_threshold + 1);
	cr_assert_eq(pf->cnt.fresh[CLIENT][1] - at.fresh[CLIENT][1], 0,
		"%" PRIu64 " DATA packets with new TSNs went to the alternate before PF",
		pf->cnt.fresh[CLIENT][1] - at.fresh[CLIENT][1]);
	cr_assert_gt(un->cnt.fresh[CLIENT][1], pf->cnt.fresh[CLIENT][1]);
	cr_assert_eq(m->cnt.fresh[CLIENT][0], pf->cnt.fresh[CLIENT][0],
		"new data went to the PF primary");
	switch_finish(m);
}

Test(multihome, pf_threshold_0_moves_data_after_first_t3_timeout)
{
	pf_switch(202, 0);
}

Test(multihome, pf_threshold_1_moves_data_after_second_t3_timeout)
{
	pf_switch(203, 1);
}

/* ---- shutdown after a failover ---- */

/*
 * The client's primary died and it failed over; the server, idle with keep-alive every 10 s,
 * never noticed. The client shuts down: the server's SHUTDOWN ACK goes to the dead address
 * first and to the alternate after T2-shutdown (9.2). 6.4: the client's SHUTDOWN COMPLETE goes
 * back where that SHUTDOWN ACK came from, and the shutdown completes on both sides, with PF
 * on or off.
 */
static void
shutdown_after_failover(uint64_t seed, uint32_t pf_threshold)
{
	struct dpsctp_proto_config cfg;
	struct counts at;
	struct evq q;
	struct mh *m;

	fast_cfg(&cfg);
	cfg.pf_threshold = pf_threshold;
	cfg.hb_interval = 10 * SIM_S;
	m = mh_two_by_two(seed, &cfg, SIM_MS, 2000);
	stream_until(m, NULL, NULL, 300 * SIM_MS);
	net_set(m, 0, false);
	q = (struct evq){m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, sim_now(m->sim)};
	cr_assert(stream_until(m, ev_seen, &q, 10 * SIM_S), "no UNREACHABLE");
	stream_until(m, NULL, NULL, 200 * SIM_MS);
	bulk_run(m, 10 * SIM_S);
	cr_assert_eq(pinfo(m, SERVER, 0).state, DPSCTP_PATH_ACTIVE, "the server noticed");
	at = snap(m);
	mh_close(m);
	if (getenv("MH_DEBUG") != NULL)
		fprintf(stderr,
			"shutdown: client SHUTDOWN %" PRIu64 "/%" PRIu64 " SC %" PRIu64 "/%" PRIu64
			"; server SHUTDOWN ACK %" PRIu64 "/%" PRIu64 "\n",
			m->cnt.sd[CLIENT][0] - at.sd[CLIENT][0],
			m->cnt.sd[CLIENT][1] - at.sd[CLIENT][1],
			m->cnt.sc[CLIENT][0] - at.sc[CLIENT][0],
			m->cnt.sc[CLIENT][1] - at.sc[CLIENT][1],
			m->cnt.sd[SERVER][0] - at.sd[SERVER][0],
			m->cnt.sd[SERVER][1] - at.sd[SERVER][1]);
	cr_assert_gt(m->cnt.sd[SERVER][1], at.sd[SERVER][1], "no SHUTDOWN ACK over network 1");
	cr_assert_eq(m->cnt.sc[CLIENT][0], at.sc[CLIENT][0],
		"SHUTDOWN COMPLETE sent to the dead address");
	cr_assert_eq(m->cnt.sc[CLIENT][1] - at.sc[CLIENT][1], 1);
	/* 6.4: the SHUTDOWN retransmitted on T2-shutdown goes to an active address, never to
	 * the INACTIVE one */
	cr_assert_eq(
		m->cnt.sd[CLIENT][0], at.sd[CLIENT][0], "SHUTDOWN sent to the INACTIVE address");
	assert_nothing_lost(m);
	mh_free(m);
}

Test(multihome, shutdown_after_failover_completes_on_both_sides_without_pf)
{
	shutdown_after_failover(251, DPSCTP_PF_DISABLED);
}

Test(multihome, shutdown_after_failover_completes_on_both_sides_with_pf)
{
	shutdown_after_failover(252, 0);
}

/* ---- failback ---- */

/*
 * Path.Max.Retrans 2, PF off, HB.interval 500 ms, a 200-byte message every 10 ms. Network 0
 * dies, the primary goes INACTIVE and the data to the alternate; network 0 comes back: the
 * keep-alive HEARTBEAT to the INACTIVE primary is answered (8.3), AVAILABLE is reported and new
 * data goes back to the primary (6.4).
 */
Test(multihome, restored_primary_is_heartbeat_confirmed_then_carries_new_data_again)
{
	struct dpsctp_proto_config cfg;
	const struct pev *un, *av;
	struct counts at;
	uint64_t t_cut, t_up;
	struct evq q;
	struct mh *m;

	fast_cfg(&cfg);
	cfg.path_max_retrans = 2;
	m = mh_two_by_two(301, &cfg, SIM_MS, 20000);
	stream_until(m, NULL, NULL, 500 * SIM_MS);
	net_set(m, 0, false);
	t_cut = sim_now(m->sim);
	q = (struct evq){m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, t_cut};
	cr_assert(stream_until(m, ev_seen, &q, 10 * SIM_S), "no UNREACHABLE");
	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, t_cut);
	/* INACTIVE for a while: the data flows on network 1, heartbeats to the primary fail */
	stream_until(m, NULL, NULL, 2 * SIM_S);
	cr_assert_gt(m->cnt.fresh[CLIENT][1], un->cnt.fresh[CLIENT][1]);
	cr_assert_eq(m->cnt.fresh[CLIENT][0], un->cnt.fresh[CLIENT][0]);
	cr_assert_gt(m->cnt.hb[CLIENT][0], un->cnt.hb[CLIENT][0],
		"no heartbeat to the INACTIVE primary");
	cr_assert_eq(pinfo(m, CLIENT, 0).state, DPSCTP_PATH_INACTIVE);
	net_set(m, 0, true);
	t_up = sim_now(m->sim);
	at = snap(m);
	q = (struct evq){m, CLIENT, 0, DPSCTP_ADDR_AVAILABLE, t_up};
	cr_assert(stream_until(m, ev_seen, &q, 10 * SIM_S), "no AVAILABLE");
	av = find_ev(m, CLIENT, 0, DPSCTP_ADDR_AVAILABLE, t_up);
	/* 8.3: a HEARTBEAT ACK made it ACTIVE again, at the keep-alive rate of an idle path
	 * (HB.interval + RTO with jitter, RTO up to RTO.Max after the failures) */
	cr_assert_gt(av->cnt.hb_acked[CLIENT], at.hb_acked[CLIENT]);
	cr_assert_gt(av->cnt.hb[CLIENT][0], at.hb[CLIENT][0]);
	cr_assert_leq(av->time - t_up, cfg.hb_interval + 3 * cfg.rto_max / 2 + 4 * SIM_MS,
		"AVAILABLE %" PRIu64 " ms after the link came back", to_ms(av->time - t_up));
	stream_until(m, NULL, NULL, SIM_S);
	/* 6.4: new data to the primary again, none to the alternate */
	cr_assert_gt(m->cnt.fresh[CLIENT][0], av->cnt.fresh[CLIENT][0]);
	cr_assert_eq(m->cnt.fresh[CLIENT][1], av->cnt.fresh[CLIENT][1],
		"%" PRIu64 " DATA packets with new TSNs to the alternate after AVAILABLE",
		m->cnt.fresh[CLIENT][1] - av->cnt.fresh[CLIENT][1]);
	cr_assert_gt(m->cnt.rx_data[SERVER][0], av->cnt.rx_data[SERVER][0]);
	cr_assert(pinfo(m, CLIENT, 0).data && pinfo(m, CLIENT, 0).primary);
	cr_assert_eq(pinfo(m, CLIENT, 0).state, DPSCTP_PATH_ACTIVE);
	cr_assert_eq(pinfo(m, CLIENT, 0).error_count, 0);
	bulk_run(m, 30 * SIM_S);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* ---- everything down ---- */

static bool
both_lost(struct sim *sim, void *arg)
{
	struct mh *m = arg;

	(void)sim;
	return m->comm_lost_at[CLIENT] != 0 && m->comm_lost_at[SERVER] != 0;
}

/*
 * Both networks die while the client streams and the server only acknowledges. 8.1: the
 * association error counter exceeds Association.Max.Retrans (5) on both sides: on the client by
 * T3-rtx expiries (its data is outstanding), on the idle server by unanswered HEARTBEATs (8.3).
 * Each reports COMM_LOST once, with its own abort code, at a plausible time.
 */
Test(multihome, all_paths_down_ends_both_sides_after_association_max_retrans)
{
	struct dpsctp_proto_config cfg;
	uint64_t t_cut, dc, ds, amr = 5;
	struct mh *m;

	fast_cfg(&cfg);
	cfg.path_max_retrans = 2;
	cfg.assoc_max_retrans = (uint32_t)amr;
	m = mh_two_by_two(401, &cfg, SIM_MS, 20000);
	stream_until(m, NULL, NULL, 500 * SIM_MS);
	net_set(m, 0, false);
	net_set(m, 1, false);
	t_cut = sim_now(m->sim);
	cr_assert(stream_until(m, both_lost, m, 60 * SIM_S), "COMM_LOST client %d server %d",
		m->comm_lost_at[CLIENT] != 0, m->comm_lost_at[SERVER] != 0);
	cr_assert(sim_run_until_cond(m->sim, both_gone, m, 10 * SIM_S));
	cr_assert_eq(scen_events(m->n[CLIENT], DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(scen_events(m->n[SERVER], DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(scen_events(m->n[CLIENT], DPSCTP_EV_SHUTDOWN_COMP), 0);
	cr_assert_eq(scen_aborts(m->n[CLIENT], DPSCTP_ABORT_T3_MAX_RETRANS), 1);
	cr_assert_eq(scen_aborts(m->n[CLIENT], DPSCTP_ABORT_HB_MAX_RETRANS), 0);
	cr_assert_eq(scen_aborts(m->n[SERVER], DPSCTP_ABORT_HB_MAX_RETRANS), 1);
	cr_assert_eq(scen_aborts(m->n[SERVER], DPSCTP_ABORT_T3_MAX_RETRANS), 0);
	/* both paths went INACTIVE on the client before the end */
	cr_assert_eq(count_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE), 1);
	cr_assert_eq(count_ev(m, CLIENT, 1, DPSCTP_ADDR_UNREACHABLE), 1);
	dc = m->comm_lost_at[CLIENT] - t_cut;
	ds = m->comm_lost_at[SERVER] - t_cut;
	/* client: AMR+1 T3 expiries over two paths, one of them at least (AMR+1)/2 times, each
	 * at least RTO.Min apart; at most RTO.Max between two expiries */
	cr_assert(dc >= (amr + 1) / 2 * cfg.rto_min && dc <= (amr + 1) * cfg.rto_max + 10 * SIM_MS,
		"client COMM_LOST %" PRIu64 " ms after the cut", to_ms(dc));
	/* server: AMR+1 unanswered HEARTBEATs over two idle paths, one path at least
	 * (AMR+1)/2 of them, HB.interval apart; each at most HB.interval + 1.5 RTO after the
	 * previous one was given up */
	cr_assert(ds >= ((amr + 1) / 2 - 1) * cfg.hb_interval &&
			  ds <= (amr + 1) * (cfg.hb_interval + 5 * cfg.rto_max / 2),
		"server COMM_LOST %" PRIu64 " ms after the cut", to_ms(ds));
	/* the data side notices first */
	cr_assert_lt(dc, ds);
	/* RFC 6458 6.1.11: what the client had not got acknowledged is reported, none silently
	 * dropped (a message may be both delivered and reported: its SACK was lost) */
	cr_assert_gt(m->send_failed[CLIENT], 0);
	cr_assert_geq(m->dc[CLIENT].delivered + m->send_failed[CLIENT], m->dc[CLIENT].sent);
	cr_assert_eq(m->dc[CLIENT].errors, 0, "%s", m->dc[CLIENT].first_error);
	mh_free(m);
}

/* ---- one direction down ---- */

/*
 * Only server -> client on network 0 dies: the client's DATA still reaches the server over
 * network 0 but no SACK comes back on it. The client's T3-rtx expires on the primary, the
 * retransmissions go to network 1 and are acknowledged there; everything is delivered once.
 */
Test(multihome, asymmetric_loss_of_sacks_on_primary_fails_over_and_delivers_exactly_once)
{
	struct dpsctp_proto_config cfg;
	const struct pev *un;
	struct mh *m;

	fast_cfg(&cfg);
	m = mh_two_by_two(501, &cfg, SIM_MS, 4000);
	m->total = 3000;
	m->min_len = 1;
	m->max_len = 3000;
	m->cut_at = 1000;
	m->cut[0] = m->link[SERVER][0];
	m->ncut = 1;
	bulk_run(m, 300 * SIM_S);
	cr_assert(m->cut_done);
	/* 8.2: the primary's error counter is never cleared (its SACKs are lost) and it goes
	 * INACTIVE; from then on new data goes to network 1 only */
	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, m->t_cut);
	cr_assert_not_null(un, "the primary never went INACTIVE");
	cr_assert_eq(m->cnt.fresh[CLIENT][0], un->cnt.fresh[CLIENT][0]);
	cr_assert_gt(m->cnt.fresh[CLIENT][1], un->cnt.fresh[CLIENT][1]);
	/* no SACK came back over network 0 after the cut; they came over network 1 */
	cr_assert_eq(m->cnt.rx_sack[CLIENT][0], m->at_cut.rx_sack[CLIENT][0]);
	cr_assert_gt(m->cnt.rx_sack[CLIENT][1], m->at_cut.rx_sack[CLIENT][1]);
	cr_assert_gt(m->cnt.data[CLIENT][1], m->at_cut.data[CLIENT][1]);
	cr_assert_eq(m->dc[CLIENT].delivered, 3000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* ---- an address that never answers ---- */

/*
 * The client has a third address, 198.18.3.1, that no network reaches: its INIT lists it, the
 * server probes it (5.4) and never gets an answer, so it stays UNCONFIRMED and gets no DATA, even
 * when the server's primary dies mid-transfer and the server fails over (6.4: never to an
 * UNCONFIRMED address). The server counts one confirmation: the client's second address.
 */
Test(multihome, peer_address_that_never_answers_stays_unconfirmed_and_gets_no_data)
{
	static const char *const three_c[] = {"198.18.1.1", "198.18.2.1", "198.18.3.1"};
	struct dpsctp_proto_config cfg;
	struct dpsctp_paddr_info pi;
	struct evq q;
	struct mh *m = calloc(1, sizeof(*m));

	cr_assert_not_null(m);
	fast_cfg(&cfg);
	mh_init(m, 601, &cfg, three_c, 3, two_s, 2, 2, SIM_MS, 4000);
	mh_connect(m);
	cr_assert_eq(dpsctp_assoc_peer_addrs(sim_node_assoc(m->n[SERVER]), NULL, 0), 3);
	m->sender = SERVER;
	m->total = 3000;
	m->min_len = 1;
	m->max_len = 3000;
	m->cut_at = 1500;
	m->cut[0] = m->link[CLIENT][0];
	m->cut[1] = m->link[SERVER][0];
	m->ncut = 2;
	bulk_run(m, 120 * SIM_S);
	q = (struct evq){m, SERVER, 0, DPSCTP_ADDR_UNREACHABLE, m->t_cut};
	cr_assert(sim_run_until_cond(m->sim, ev_seen, &q, 60 * SIM_S), "no UNREACHABLE");
	pi = pinfo(m, SERVER, 2);
	cr_assert_eq(
		pi.state, DPSCTP_PATH_UNCONFIRMED, "state %s", dpsctp_path_state_name(pi.state));
	cr_assert(!pi.data && !pi.primary);
	/* HEARTBEATs only: confirmation probes, then keep-alive */
	cr_assert_eq(m->cnt.data[SERVER][2], 0,
		"%" PRIu64 " DATA packets to the unconfirmed address", m->cnt.data[SERVER][2]);
	cr_assert_gt(m->cnt.hb[SERVER][2], 1);
	cr_assert_gt(sim_stats(m->sim)->dropped_no_link, 0);
	/* the server failed over to the confirmed alternate */
	cr_assert_gt(m->cnt.fresh[SERVER][1], m->at_cut.fresh[SERVER][1]);
	cr_assert(pinfo(m, SERVER, 1).data);
	/* 5.4: CONFIRMED reported for the second address only; the first was confirmed by the
	 * handshake itself, the third never */
	cr_assert_eq(stats(m, SERVER)->paths_confirmed, 1);
	cr_assert_eq(count_ev(m, SERVER, 1, DPSCTP_ADDR_CONFIRMED), 1);
	cr_assert_eq(count_ev(m, SERVER, 2, DPSCTP_ADDR_CONFIRMED), 0);
	cr_assert_eq(count_ev(m, SERVER, 2, DPSCTP_ADDR_UNREACHABLE), 0);
	cr_assert_eq(m->dc[SERVER].delivered, 3000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* ---- IPv4 and IPv6 ---- */

static const char *const ds_c[] = {"198.18.1.1", "2001:db8:1::1"};
static const char *const ds_s[] = {"198.18.1.2", "2001:db8:1::2"};

/*
 * Each node has an IPv4 and an IPv6 address (network 0: IPv4, network 1: IPv6). Both paths are
 * confirmed and ACTIVE on both sides; the primary (@p primary: 0 the IPv4 one the INIT went
 * to, 1 the IPv6 one chosen with dpsctp_assoc_set_primary) carries the data until it dies
 * halfway, then the other family completes the transfer.
 */
static void
dual_stack(uint64_t seed, size_t primary)
{
	struct dpsctp_proto_config cfg;
	struct evq q;
	int who;
	size_t i, alt = !primary;
	struct mh *m = calloc(1, sizeof(*m));

	cr_assert_not_null(m);
	fast_cfg(&cfg);
	mh_init(m, seed, &cfg, ds_c, 2, ds_s, 2, 2, SIM_MS, 4000);
	mh_connect(m);
	for (who = 0; who < 2; who++)
		for (i = 0; i < 2; i++) {
			struct dpsctp_paddr_info pi = pinfo(m, who, i);

			cr_assert_eq(pi.state, DPSCTP_PATH_ACTIVE);
			cr_assert_eq(pi.path.local.family, i == 0 ? 4 : 6);
			cr_assert(sim_addr_eq(&pi.path.local, &m->addr[who][i]));
		}
	cr_assert(pinfo(m, CLIENT, 0).primary);
	if (primary != 0) {
		cr_assert_eq(
			dpsctp_assoc_set_primary(m->ca, &m->addr[SERVER][primary], sim_now(m->sim)),
			0);
		cr_assert_eq(count_ev(m, CLIENT, (int)primary, DPSCTP_ADDR_MADE_PRIM), 1);
		cr_assert(pinfo(m, CLIENT, primary).primary);
	}
	m->total = 3000;
	m->min_len = 1;
	m->max_len = 3000;
	m->cut_at = 1000;
	m->cut[0] = m->link[CLIENT][primary];
	m->cut[1] = m->link[SERVER][primary];
	m->ncut = 2;
	bulk_run(m, 120 * SIM_S);
	/* before the cut new data went to the primary only */
	cr_assert_gt(m->at_cut.fresh[CLIENT][primary], 0);
	cr_assert_eq(m->at_cut.fresh[CLIENT][alt], 0);
	/* after it, over the other family */
	cr_assert_gt(m->cnt.rx_data[SERVER][alt], m->at_cut.rx_data[SERVER][alt]);
	cr_assert_eq(m->cnt.rx_data[SERVER][primary], m->at_cut.rx_data[SERVER][primary]);
	/* 6.9: chunks are cut for the larger (IPv6) header: every packet fits 1500 on either */
	cr_assert_leq(m->max_len_seen[CLIENT][1], 1500 - 40);
	q = (struct evq){m, CLIENT, (int)primary, DPSCTP_ADDR_UNREACHABLE, m->t_cut};
	cr_assert(sim_run_until_cond(m->sim, ev_seen, &q, 60 * SIM_S), "no UNREACHABLE");
	cr_assert_eq(m->dc[CLIENT].delivered, 3000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

Test(multihome, ipv4_primary_cut_transfer_completes_over_ipv6)
{
	dual_stack(701, 0);
}

Test(multihome, ipv6_primary_cut_transfer_completes_over_ipv4)
{
	dual_stack(702, 1);
}

/* ---- ICMP packet too big ---- */

struct until_n {
	struct mh *m;
	uint64_t n;
};

static bool
delivered_n(struct sim *sim, void *arg)
{
	struct until_n *u = arg;

	(void)sim;
	pump(u->m);
	return u->m->dc[u->m->sender].delivered >= u->n;
}

/* Run the bulk transfer until @p n messages have arrived (more are queued and in flight). */
static void
run_to(struct mh *m, uint64_t n)
{
	struct until_n u = {m, n};

	cr_assert(sim_run_until_cond(m->sim, delivered_n, &u, 60 * SIM_S));
	cr_assert_eq(m->dc[m->sender].errors, 0, "%s", m->dc[m->sender].first_error);
}

static struct dpsctp_path
cpath(const struct mh *m, size_t i)
{
	struct dpsctp_path p = {m->addr[CLIENT][i], m->addr[SERVER][i]};

	return p;
}

/* Watch server address @p i's DATA from now on, the path MTU having become @p mtu. */
static void
ptb_arm(struct mh *m, int i, uint32_t mtu)
{
	m->ptb_armed = true;
	m->ptb_idx = i;
	m->ptb_limit = mtu - (m->addr[SERVER][i].family == 6 ? 40 : 20);
	m->ptb_next = m->next_fresh[CLIENT];
	m->ptb_have_first = false;
	m->ptb_after_pkts = 0;
	m->ptb_after_max = 0;
	m->ptb_before_oversize = 0;
}

/* What ptb_arm() watched: @p min_pkts DATA packets at least, of messages fragmented after the
 * report, all within the new MTU; oversized only the tail of the message fragmented before
 * (at most @p tail chunks, each alone). */
static void
ptb_check(const struct mh *m, uint64_t min_pkts, uint64_t tail)
{
	if (getenv("MH_DEBUG") != NULL)
		fprintf(stderr,
			"ptb: %" PRIu64 " packets after, largest %zu (limit %zu), %" PRIu64
			" oversized before\n",
			m->ptb_after_pkts, m->ptb_after_max, m->ptb_limit, m->ptb_before_oversize);
	cr_assert(m->ptb_have_first);
	cr_assert_geq(m->ptb_after_pkts, min_pkts, "%" PRIu64 " DATA packets after the report",
		m->ptb_after_pkts);
	cr_assert_leq(m->ptb_after_max, m->ptb_limit,
		"a %zu-byte DATA packet (limit %zu) of a message fragmented after the report",
		m->ptb_after_max, m->ptb_limit);
	cr_assert_leq(m->ptb_before_oversize, tail, "%" PRIu64 " oversized packets",
		m->ptb_before_oversize);
}

static int
ptb(struct mh *m, const struct dpsctp_path *p, const uint8_t *quoted, size_t qlen, uint32_t mtu)
{
	return dpsctp_endpoint_icmp_ptb(
		sim_node_endpoint(m->n[CLIENT]), p, quoted, qlen, mtu, sim_now(m->sim));
}

/*
 * A third of the way through a transfer of 1..4000-byte messages, a router on network 0
 * reports "packet too big, MTU 1200" quoting the first 8 bytes of a DATA packet the client sent
 * (ports and the peer's verification tag). Appendix C: the report is believed and path 0's MTU
 * becomes 1200. Messages fragmented from then on (those queued already included) are cut to
 * fit: every DATA packet of theirs on path 0 is at most 1180 bytes of SCTP. 6.9: the fragments
 * of the one message cut before the report cannot change; they go alone (IP fragments them).
 * Everything arrives intact.
 */
Test(multihome, icmp_ptb_with_real_tag_lowers_path_mtu_and_refragments)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_path p;
	struct mh *m;

	fast_cfg(&cfg);
	m = mh_two_by_two(801, &cfg, SIM_MS, 4000);
	m->total = 3000;
	m->min_len = 1;
	m->max_len = 4000;
	run_to(m, 1000);
	cr_assert(m->have_quote[0]);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 1500);
	cr_assert_gt(m->max_len_seen[CLIENT][0], 1200 - 20);
	cr_assert_gt(dpsctp_endpoint_stats(sim_node_endpoint(m->n[CLIENT]))->msgs_sent, 1100,
		"nothing queued behind the report");
	p = cpath(m, 0);
	cr_assert_eq(ptb(m, &p, m->quote[0], 8, 1200), 0);
	ptb_arm(m, 0, 1200);
	cr_assert_eq(stats(m, CLIENT)->ptb_accepted, 1);
	cr_assert_eq(stats(m, CLIENT)->ptb_rejected, 0);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 1200);
	cr_assert_eq(pinfo(m, CLIENT, 1).mtu, 1500);
	bulk_run(m, 120 * SIM_S);
	/* the primary still carries the data, in packets that fit */
	ptb_check(m, 100, 2);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 1200);
	cr_assert_eq(m->dc[CLIENT].delivered, 3000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* A report below 512 bytes sets 512 on an IPv4 path (appendix C); one above never raises it. */
Test(multihome, icmp_ptb_below_512_is_clamped_to_512_on_ipv4)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_path p;
	struct mh *m;

	fast_cfg(&cfg);
	m = mh_two_by_two(802, &cfg, SIM_MS, 2000);
	m->total = 1000;
	m->min_len = 1;
	m->max_len = 2000;
	run_to(m, 200);
	cr_assert(m->have_quote[0]);
	p = cpath(m, 0);
	cr_assert_eq(ptb(m, &p, m->quote[0], 16, 300), 0);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 512);
	cr_assert_eq(ptb(m, &p, m->quote[0], 16, 1400), 0);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 512, "a report raised the MTU");
	cr_assert_eq(stats(m, CLIENT)->ptb_accepted, 2);
	ptb_arm(m, 0, 512);
	bulk_run(m, 120 * SIM_S);
	/* 2000 bytes were up to 2 chunks of 1452 before: 1 left at most */
	ptb_check(m, 100, 1);
	cr_assert_eq(m->dc[CLIENT].delivered, 1000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* On an IPv6 path the floor is 1280 (RFC 8200 minimum link MTU). */
Test(multihome, icmp_ptb_below_1280_is_clamped_to_1280_on_ipv6)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_path p;
	struct mh *m = calloc(1, sizeof(*m));

	cr_assert_not_null(m);
	fast_cfg(&cfg);
	mh_init(m, 803, &cfg, ds_c, 2, ds_s, 2, 2, SIM_MS, 2000);
	mh_connect(m);
	cr_assert_eq(dpsctp_assoc_set_primary(m->ca, &m->addr[SERVER][1], sim_now(m->sim)), 0);
	m->total = 1000;
	m->min_len = 1;
	m->max_len = 3000;
	run_to(m, 200);
	cr_assert(m->have_quote[1]);
	p = cpath(m, 1);
	cr_assert_eq(ptb(m, &p, m->quote[1], 8, 1000), 0);
	cr_assert_eq(pinfo(m, CLIENT, 1).mtu, 1280);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 1500);
	ptb_arm(m, 1, 1280);
	bulk_run(m, 120 * SIM_S);
	ptb_check(m, 50, 2);
	cr_assert_eq(m->dc[CLIENT].delivered, 1000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/*
 * Appendix C: a report whose quoted verification tag is not the peer's is a forgery or stale:
 * -EPERM, counted in ptb_rejected, the MTU unchanged. Ports or addresses that name no
 * association: -ENOENT. Fewer than 8 quoted bytes: -EINVAL. Packets keep their full size.
 */
Test(multihome, forged_icmp_ptb_is_rejected_and_mtu_unchanged)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_path p, unknown;
	struct counts at;
	uint8_t q[16];
	struct mh *m;

	fast_cfg(&cfg);
	m = mh_two_by_two(901, &cfg, SIM_MS, 2000);
	m->total = 1000;
	m->min_len = 1;
	m->max_len = 3000;
	run_to(m, 200);
	cr_assert(m->have_quote[0]);
	p = cpath(m, 0);
	/* wrong verification tag */
	memcpy(q, m->quote[0], sizeof(q));
	q[4] ^= 0x5a;
	cr_assert_eq(ptb(m, &p, q, sizeof(q), 1200), -EPERM);
	cr_assert_eq(stats(m, CLIENT)->ptb_rejected, 1);
	/* a zero tag is only for a quoted INIT carrying our Initiate Tag */
	memcpy(q, m->quote[0], sizeof(q));
	memset(q + 4, 0, 4);
	cr_assert_eq(ptb(m, &p, q, sizeof(q), 1200), -EPERM);
	cr_assert_eq(stats(m, CLIENT)->ptb_rejected, 2);
	/* a source port that is not ours */
	memcpy(q, m->quote[0], sizeof(q));
	q[1] ^= 0x01;
	cr_assert_eq(ptb(m, &p, q, sizeof(q), 1200), -ENOENT);
	/* a destination port no association has */
	memcpy(q, m->quote[0], sizeof(q));
	q[3] ^= 0x01;
	cr_assert_eq(ptb(m, &p, q, sizeof(q), 1200), -ENOENT);
	/* a destination that is not a peer address */
	unknown = p;
	unknown.remote = sim_addr4("198.18.9.9");
	cr_assert_eq(ptb(m, &unknown, m->quote[0], sizeof(q), 1200), -ENOENT);
	cr_assert_eq(stats(m, CLIENT)->ptb_rejected, 5);
	/* too short to name anything */
	cr_assert_eq(ptb(m, &p, m->quote[0], 7, 1200), -EINVAL);
	cr_assert_eq(stats(m, CLIENT)->ptb_accepted, 0);
	cr_assert_eq(pinfo(m, CLIENT, 0).mtu, 1500);
	cr_assert_eq(pinfo(m, CLIENT, 1).mtu, 1500);
	m->max_len_seen[CLIENT][0] = 0;
	at = snap(m);
	bulk_run(m, 120 * SIM_S);
	cr_assert_gt(m->cnt.fresh[CLIENT][0], at.fresh[CLIENT][0]);
	cr_assert_gt(m->max_len_seen[CLIENT][0], 1200 - 20, "packets shrank after forged reports");
	cr_assert_eq(m->dc[CLIENT].delivered, 1000);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

/* ---- failover times ---- */

struct profile {
	const char *name;
	uint64_t rto_initial, rto_min, rto_max;
	uint32_t pmr;
	uint32_t pf; /* DPSCTP_PF_DISABLED: off */
	uint64_t hb_interval;
	uint64_t sack_delay;
};

/* Times of one profile, from the cut (failover) or from the link's return (failback). */
struct fo {
	uint64_t first_alt; /* first DATA (a retransmission) delivered over the alternate */
	uint64_t new_alt;   /* the stream moved: first new DATA over it after the last to the
			     * primary, delivered */
	uint64_t pf;        /* POTENTIALLY_FAILED, 0: none */
	uint64_t unreach;   /* UNREACHABLE */
	uint64_t available; /* AVAILABLE after the link came back */
	uint64_t failback;  /* first new DATA delivered over the primary after it came back */
};

static bool
fo_switched(struct sim *sim, void *arg)
{
	struct mh *m = arg;

	(void)sim;
	return m->w[0].rx_time != 0 && m->w[1].rx_time != 0 &&
	       find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, m->t_cut) != NULL;
}

static bool
fo_back(struct sim *sim, void *arg)
{
	struct mh *m = arg;

	(void)sim;
	return m->w[0].rx_time != 0 &&
	       find_ev(m, CLIENT, 0, DPSCTP_ADDR_AVAILABLE, m->t_cut) != NULL;
}

/*
 * One row: the 2 x 2 world with 10 ms links, a 200-byte message every 10 ms; network 0 (the
 * primary) dies after 3 s, comes back 1 s after UNREACHABLE. Asserts the order of events and
 * that nothing is lost; the times go to @p r.
 */
static void
failover_profile(const struct profile *pr, uint64_t seed, struct fo *r)
{
	struct dpsctp_proto_config cfg;
	const struct pev *un, *pf, *av;
	uint64_t t_cut, t_up;
	struct mh *m;

	dpsctp_proto_config_default(&cfg);
	cfg.rto_initial = pr->rto_initial;
	cfg.rto_min = pr->rto_min;
	cfg.rto_max = pr->rto_max;
	cfg.shutdown_guard = 5 * pr->rto_max;
	cfg.path_max_retrans = pr->pmr;
	cfg.pf_threshold = pr->pf;
	cfg.hb_interval = pr->hb_interval;
	cfg.sack_delay = pr->sack_delay;
	cfg.nodelay = true;
	m = mh_two_by_two(seed, &cfg, 10 * SIM_MS, 100000);
	m->period = 10 * SIM_MS;
	stream_until(m, NULL, NULL, 3 * SIM_S);
	cr_assert_eq(m->cnt.fresh[CLIENT][1], 0);
	net_set(m, 0, false);
	t_cut = m->t_cut = sim_now(m->sim);
	m->w[0] = (struct watch){.armed = true, .idx = 1, .reset_idx = -1};
	m->w[1] = (struct watch){.armed = true, .idx = 1, .reset_idx = 0, .fresh_only = true};
	cr_assert(stream_until(m, fo_switched, m, 600 * SIM_S), "%s: no failover", pr->name);
	un = find_ev(m, CLIENT, 0, DPSCTP_ADDR_UNREACHABLE, t_cut);
	pf = find_ev(m, CLIENT, 0, DPSCTP_ADDR_POTENTIALLY_FAILED, t_cut);
	r->first_alt = m->w[0].rx_time - t_cut;
	r->new_alt = m->w[1].rx_time - t_cut;
	r->unreach = un->time - t_cut;
	r->pf = pf != NULL ? pf->time - t_cut : 0;
	/* order: a retransmission reaches the alternate first (6.4.1); the stream moves at PF
	 * (RFC 7829) or at UNREACHABLE at the latest (8.2) */
	cr_assert_leq(r->first_alt, r->new_alt);
	cr_assert_leq(r->new_alt, r->unreach + m->period + 2 * 10 * SIM_MS);
	if (pr->pf == DPSCTP_PF_DISABLED) {
		cr_assert_null(pf);
	} else {
		cr_assert_not_null(pf);
		cr_assert_lt(r->pf, r->unreach);
		cr_assert_leq(r->new_alt, r->pf + m->period + 2 * 10 * SIM_MS);
	}
	stream_until(m, NULL, NULL, SIM_S);
	net_set(m, 0, true);
	t_up = m->t_cut = sim_now(m->sim);
	m->w[0] = (struct watch){.armed = true, .idx = 0, .reset_idx = -1, .fresh_only = true};
	memset(&m->w[1], 0, sizeof(m->w[1]));
	cr_assert(stream_until(m, fo_back, m, 600 * SIM_S), "%s: no failback", pr->name);
	av = find_ev(m, CLIENT, 0, DPSCTP_ADDR_AVAILABLE, t_up);
	r->available = av->time - t_up;
	r->failback = m->w[0].rx_time - t_up;
	/* 6.4: new data returns to the primary only once a HEARTBEAT ACK made it ACTIVE */
	cr_assert_lt(r->available, r->failback);
	cr_assert_gt(av->cnt.hb_acked[CLIENT], 0);
	stream_until(m, NULL, NULL, SIM_S);
	bulk_run(m, 600 * SIM_S);
	assert_nothing_lost(m);
	mh_close(m);
	mh_free(m);
}

static void
fmt_s(char *buf, size_t cap, uint64_t ns)
{
	snprintf(buf, cap, "%.3f s", (double)ns / SIM_S);
}

static void
fmt_ms(char *buf, size_t cap, uint64_t ns)
{
	if (ns % SIM_S == 0)
		snprintf(buf, cap, "%" PRIu64 " s", (uint64_t)(ns / SIM_S));
	else
		snprintf(buf, cap, "%" PRIu64 " ms", (uint64_t)(ns / SIM_MS));
}

/*
 * Failover and failback times in virtual time for the RFC 9260 defaults and a telecom profile,
 * with and without RFC 7829 PF. Printed as a markdown table (and written to failover_table.md
 * in the build directory); only the order of events and the data are asserted.
 */
Test(multihome, failover_times_table)
{
	static const struct profile prof[] = {
		{"(a) RFC 9260 defaults", 1 * SIM_S, 1 * SIM_S, 60 * SIM_S, 5, DPSCTP_PF_DISABLED,
			30 * SIM_S, 200 * SIM_MS},
		{"(b) RFC 9260 defaults + PF", 1 * SIM_S, 1 * SIM_S, 60 * SIM_S, 5, 0, 30 * SIM_S,
			200 * SIM_MS},
		{"(c) telecom + PF", 200 * SIM_MS, 50 * SIM_MS, 200 * SIM_MS, 2, 1, 1 * SIM_S,
			10 * SIM_MS},
		{"(d) telecom, no PF", 200 * SIM_MS, 50 * SIM_MS, 200 * SIM_MS, 2,
			DPSCTP_PF_DISABLED, 1 * SIM_S, 10 * SIM_MS},
	};
	struct fo r[sizeof(prof) / sizeof(prof[0])];
	char table[4096], mn[32], mx[32], hb[32], pf[16], a1[32], a2[32], un[32], av[32], fb[32];
	size_t k, off = 0;
	FILE *f;

	for (k = 0; k < sizeof(prof) / sizeof(prof[0]); k++)
		failover_profile(&prof[k], 1001 + k, &r[k]);
	off += (size_t)snprintf(table + off, sizeof(table) - off,
		"\n| profile | RTO.Min/Max | PMR | PF threshold | HB.interval | "
		"time to first data on alternate | time to new data on alternate | "
		"time to UNREACHABLE | AVAILABLE after link up | failback time |\n"
		"|---|---|---|---|---|---|---|---|---|---|\n");
	for (k = 0; k < sizeof(prof) / sizeof(prof[0]); k++) {
		fmt_ms(mn, sizeof(mn), prof[k].rto_min);
		fmt_ms(mx, sizeof(mx), prof[k].rto_max);
		fmt_ms(hb, sizeof(hb), prof[k].hb_interval);
		if (prof[k].pf == DPSCTP_PF_DISABLED)
			snprintf(pf, sizeof(pf), "off");
		else
			snprintf(pf, sizeof(pf), "%u", prof[k].pf);
		fmt_s(a1, sizeof(a1), r[k].first_alt);
		fmt_s(a2, sizeof(a2), r[k].new_alt);
		fmt_s(un, sizeof(un), r[k].unreach);
		fmt_s(av, sizeof(av), r[k].available);
		fmt_s(fb, sizeof(fb), r[k].failback);
		off += (size_t)snprintf(table + off, sizeof(table) - off,
			"| %s | %s / %s | %u | %s | %s | %s | %s | %s | %s | %s |\n", prof[k].name,
			mn, mx, prof[k].pmr, pf, hb, a1, a2, un, av, fb);
	}
	off += (size_t)snprintf(table + off, sizeof(table) - off,
		"\nVirtual time. Two networks, 10 ms one way, lossless; one 200-byte message every "
		"10 ms (SCTP_NODELAY). Network 0 (primary) cut in both directions after 3 s, "
		"restored 1 s after UNREACHABLE. RTO.Initial: 1 s (a, b), 200 ms (c, d); SACK "
		"delay 200 ms (a, b), 10 ms (c, d). First data on alternate: first DATA packet "
		"(a T3-rtx retransmission, 6.4.1) delivered over network 1; new data on alternate: "
		"the stream moved (first new TSN delivered over network 1 after the last one sent "
		"to "
		"the primary); failback: first new DATA delivered over the primary after the link "
		"returned (after the keep-alive HEARTBEAT ACK, AVAILABLE).\n");
	printf("%s", table);
	fflush(stdout);
	f = fopen(SIM_OUT_DIR "/failover_table.md", "w");
	cr_assert_not_null(f, "cannot write %s", SIM_OUT_DIR "/failover_table.md");
	fputs(table, f);
	cr_assert_eq(fclose(f), 0);
	/* PF moves the stream well before Path.Max.Retrans is exhausted */
	cr_assert_lt(r[1].new_alt, r[0].new_alt);
	cr_assert_lt(r[2].new_alt, r[3].new_alt);
}
