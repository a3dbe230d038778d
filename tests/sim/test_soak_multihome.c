/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised multihoming soak: for each seed (2000 by default), a client and a server with 2 or 3
 * addresses each (now and then one IPv6 pair among them), one network per address index (a
 * link each way between the two nodes' addresses of that index, nothing across), each link
 * drawn from the seed (0-10% loss, duplication, reordering, 1-30 ms delay, jitter), protocol
 * parameters drawn too: half the seeds the telecom profile (RTO.Min 50 ms, RTO.Max 200 ms,
 * Path.Max.Retrans 2, PF threshold 0 or 1, HB.interval 1 s), the others RFC-like timers with
 * the potentially-failed state off; Association.Max.Retrans 10-20, raised where the dead
 * paths could take more errors than that before they all are INACTIVE (draw_cfg()); sometimes a
 * primary set by the user that is not the first address (on either side). A paced workload both
 * ways (messages of 1 B to 16 KiB, random streams, ordered and unordered) runs while a scheduler
 * takes links down and brings them up at random (one direction or both).
 *
 * The scheduler keeps one network fully up at every instant, and takes a link down only when
 * some other network has been fully up for a settling time long enough for both endpoints to
 * have seen it answer (eight heartbeat rounds at the slowest, RFC 9260 8.3), so that by
 * RFC 9260 8.1/8.2 the association has a working destination to fail over to and never
 * exceeds Association.Max.Retrans. A total outage is left out: whether the association must
 * survive one depends on how the error counts of all paths add up, which is no clean
 * invariant.
 *
 * Invariants:
 *  - every message is delivered exactly once, intact, in order within its ordered stream
 *    (datacheck.h); nothing is reported failed (SEND_FAILED), nothing lost (COMM_LOST), no
 *    abort;
 *  - path states (RFC 9260 5.4, 8.2; RFC 7829), followed through PEER_ADDR_CHANGE events from
 *    the state at COMM_UP (client: every address confirmed, 5.4 rule 1; server: only the one
 *    the INIT ACK went to, rule 2): CONFIRMED only from UNCONFIRMED, AVAILABLE only from PF or
 *    INACTIVE, POTENTIALLY_FAILED only from ACTIVE and only with PF on, UNREACHABLE only from
 *    ACTIVE or PF, MADE_PRIM only when the user set it, no ADDED or REMOVED; the state the
 *    engine reports (dpsctp_assoc_paddr_info) always matches the one the events told;
 *  - a transmit tap checks every DATA chunk: never to an UNCONFIRMED address (5.4), from the
 *    local address the route gave, and new data (a TSN never sent) never to a destination that
 *    is not ACTIVE while another one is (RFC 9260 6.4 and 8.2, RFC 7829); no packet is sent
 *    between two addresses that have no link;
 *  - no chunk goes to an UNCONFIRMED address but HEARTBEAT, HEARTBEAT ACK and the handshake's
 *    (RFC 9260 5.4), checked over every seed at the end, naming the seeds that broke it;
 *  - at the end, all links up, every path of both sides comes back ACTIVE, the association
 *    idles, a graceful shutdown ends with SHUTDOWN_COMP on both sides (the data soak's one
 *    RFC-sanctioned exception, a late ABORT after a lost SHUTDOWN COMPLETE, is accepted), the
 *    allocators are back where they were before the association and at zero once the
 *    endpoints are gone.
 *
 * DPSCTP_SOAK_SEEDS=n runs seeds 1..n; DPSCTP_SOAK_SEED=s replays seed s alone, printing the
 * link changes, every path event and every upcall, and writing soak_multihome_<s>.pcap in the
 * build directory (every failure names its seed).
 */
#include <stdarg.h>

#include "datacheck.h"
#include "scenario.h"

TestSuite(soak_multihome, .timeout = 600);

#define MAX_NETS 3
#define MAX_MSGS 80
#define MAX_LEN 16384

/* A counter of struct dpsctp_stats summed over both endpoints of @p x. */
#define STATS_SUM(x, f)                                        \
	(dpsctp_endpoint_stats(sim_node_endpoint((x)->c))->f + \
		dpsctp_endpoint_stats(sim_node_endpoint((x)->s))->f)

static inline uint64_t
mix(uint64_t *s)
{
	return testenv_splitmix64(s);
}

static double
unit(uint64_t *s)
{
	return (double)(mix(s) >> 11) / 9007199254740992.0;
}

/* One network: the two links between the nodes' addresses of one index. */
struct net {
	struct sim_link *l[2]; /* [0] client -> server, [1] server -> client */
	bool up[2];
	uint64_t up_since; /* both directions up since then; DPSCTP_NEVER while not */
};

/* One direction of the workload: its sender, its pacing and the checker of what arrives. */
struct dir {
	struct sim_node *from;
	struct dc_dir dc;
	uint64_t total;         /* messages to send */
	uint16_t nstreams;      /* negotiated outbound streams of the sender */
	unsigned int unordered; /* percentage sent unordered */
	uint64_t rng;           /* draws of sizes, streams, order and gaps */
	uint64_t gap;           /* mean time between two messages */
	uint64_t next_at;       /* when the next message is due */
	uint32_t next_len;
	uint16_t next_sid;
	bool next_unordered;
	bool drawn;
	bool blocked; /* the next message waits for send buffer */
	int last_rc;
};

/* One endpoint's view of its peer's addresses, as the PEER_ADDR_CHANGE events tell it. */
struct side {
	struct sim_node *node;
	struct sim_node *peer;
	bool snap; /* COMM_UP seen: st[] is known */
	enum dpsctp_path_state st[MAX_NETS];
	uint64_t prim_set;  /* dpsctp_assoc_set_primary() calls */
	uint64_t prim_seen; /* MADE_PRIM events */
	bool have_tsn;
	uint32_t high_tsn; /* highest TSN sent so far: a higher one is new data */
};

struct world {
	struct scen x;
	uint64_t seed;
	bool replay;
	bool closing; /* the shutdown started */
	bool telecom;
	bool pf_on;
	unsigned int nnets;
	struct net net[MAX_NETS];
	struct side side[2]; /* 0: the client, 1: the server */
	struct dir c2s;
	struct dir s2c;
	uint64_t rng;       /* the scheduler's draws */
	uint64_t settle;    /* a network up this long has been seen working by both sides */
	uint64_t short_gap; /* link changes: short flaps up to this... */
	uint64_t next_link; /* ...the next change */
	uint64_t link_events;
	uint64_t data_checked;
	uint64_t ctrl_unconfirmed; /* chunks other than DATA to an UNCONFIRMED address */
	uint64_t ctrl_types[256];  /* ...by chunk type */
	char ctrl_first[160];
	uint64_t errors;
	char first_error[256];
};

struct totals {
	uint64_t seeds, msgs, bytes, failovers, inactive, pf, available, confirmed, link_events;
	uint64_t t3, retrans_t3, retrans_fast, hb_sent, data_checked, ctrl_unconfirmed;
	uint64_t telecom, v6, primaries, three, late_aborts;
	uint64_t ctrl_seed_count;
	uint64_t ctrl_types[256];
	char ctrl_first[160];
	char ctrl_seeds[200];
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

static double
secs(const struct world *w)
{
	return (double)(sim_now(w->x.sim) - SIM_T0) / 1e9;
}

static void fail(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An invariant broke inside a callback or tap: remember the first, stop the run soon. */
static void
fail(struct world *w, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->replay)
		printf("%12.6f s INVARIANT BROKEN: %s\n", secs(w), msg);
	if (w->errors++ == 0)
		snprintf(w->first_error, sizeof(w->first_error), "at %.6f s: %s", secs(w), msg);
}

static struct side *
side_of(struct world *w, const struct sim_node *n)
{
	return n == w->x.c ? &w->side[0] : &w->side[1];
}

/* The index of the peer address @p addr of side @p sd, or -1. */
static int
peer_index(const struct world *w, const struct side *sd, const struct dpsctp_addr *addr)
{
	unsigned int k;

	for (k = 0; k < w->nnets; k++)
		if (sim_addr_eq(sim_node_addr(sd->peer, k), addr))
			return (int)k;
	return -1;
}

/* ---- path states, from the events ---- */

/* COMM_UP: the states to follow from. 5.4 rule 1: the initiator confirmed every address the
 * user gave; rule 2: the receiver of the COOKIE ECHO only the one the INIT ACK went to. */
static void
snapshot(struct world *w, struct side *sd, struct dpsctp_assoc *a)
{
	struct dpsctp_paddr_info pi;
	unsigned int k, active = 0;

	sd->snap = true;
	for (k = 0; k < w->nnets; k++) {
		if (dpsctp_assoc_paddr_info(a, sim_node_addr(sd->peer, k), &pi) != 0) {
			fail(w, "%s: peer address %u unknown at COMM_UP", sim_node_name(sd->node),
				k);
			sd->st[k] = DPSCTP_PATH_UNCONFIRMED;
			continue;
		}
		sd->st[k] = pi.state;
		if (pi.state == DPSCTP_PATH_ACTIVE)
			active++;
		else if (pi.state != DPSCTP_PATH_UNCONFIRMED)
			fail(w, "%s: peer address %u %s at COMM_UP", sim_node_name(sd->node), k,
				dpsctp_path_state_name(pi.state));
	}
	if (sd->node == w->x.c && active != w->nnets)
		fail(w, "client: %u of %u peer addresses confirmed at COMM_UP (5.4 rule 1)", active,
			w->nnets);
	if (sd->node == w->x.s && active != 1)
		fail(w, "server: %u peer addresses confirmed at COMM_UP (5.4 rule 2: one)", active);
}

static const char *
paddr_name(enum dpsctp_paddr_change c)
{
	static const char *const names[] = {"?", "AVAILABLE", "UNREACHABLE", "REMOVED", "ADDED",
		"MADE_PRIM", "CONFIRMED", "POTENTIALLY_FAILED"};

	return (unsigned int)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static void
on_event(struct sim_node *n, struct dpsctp_assoc *a, const struct dpsctp_event *ev, void *arg)
{
	struct world *w = arg;
	struct side *sd = side_of(w, n);
	struct dpsctp_paddr_info pi;
	enum dpsctp_path_state from, to;
	bool legal = false;
	int k;

	if (ev->type == DPSCTP_EV_ASSOC_CHANGE && ev->u.assoc_change.state == DPSCTP_EV_COMM_UP) {
		/* a read-only accessor, like dpsctp_assoc_get_status */
		snapshot(w, sd, a);
		return;
	}
	/* before the shutdown nothing may end or fail (8.1: one path always works) */
	if (!w->closing &&
		(ev->type == DPSCTP_EV_ASSOC_CHANGE || ev->type == DPSCTP_EV_SEND_FAILED))
		fail(w, "%s: %s (state %d, error %u) while a network was up", sim_node_name(n),
			ev->type == DPSCTP_EV_SEND_FAILED ? "SEND_FAILED" : "ASSOC_CHANGE",
			ev->u.assoc_change.state, ev->u.assoc_change.error);
	if (ev->type != DPSCTP_EV_PEER_ADDR_CHANGE)
		return;
	k = peer_index(w, sd, &ev->u.paddr.addr);
	if (k < 0 || !sd->snap) {
		fail(w, "%s: PEER_ADDR_CHANGE %s for %s", sim_node_name(n),
			paddr_name(ev->u.paddr.state),
			k < 0 ? "an address the peer does not have" : "a path before COMM_UP");
		return;
	}
	from = sd->st[k];
	to = from;
	switch (ev->u.paddr.state) {
	case DPSCTP_ADDR_CONFIRMED:
		legal = from == DPSCTP_PATH_UNCONFIRMED;
		to = DPSCTP_PATH_ACTIVE;
		break;
	case DPSCTP_ADDR_AVAILABLE:
		legal = from == DPSCTP_PATH_PF || from == DPSCTP_PATH_INACTIVE;
		to = DPSCTP_PATH_ACTIVE;
		break;
	case DPSCTP_ADDR_POTENTIALLY_FAILED:
		legal = from == DPSCTP_PATH_ACTIVE && w->pf_on;
		to = DPSCTP_PATH_PF;
		break;
	case DPSCTP_ADDR_UNREACHABLE:
		legal = from == DPSCTP_PATH_ACTIVE || from == DPSCTP_PATH_PF;
		to = DPSCTP_PATH_INACTIVE;
		break;
	case DPSCTP_ADDR_MADE_PRIM:
		legal = sd->prim_seen++ < sd->prim_set;
		break;
	default:
		break;
	}
	if (w->replay)
		printf("%12.6f s %s: peer address %d %s (%s -> %s)\n", secs(w), sim_node_name(n), k,
			paddr_name(ev->u.paddr.state), dpsctp_path_state_name(from),
			dpsctp_path_state_name(to));
	if (!legal)
		fail(w, "%s: peer address %d: %s while %s", sim_node_name(n), k,
			paddr_name(ev->u.paddr.state), dpsctp_path_state_name(from));
	sd->st[k] = to;
	if (dpsctp_assoc_paddr_info(a, &ev->u.paddr.addr, &pi) != 0 || pi.state != to)
		fail(w, "%s: peer address %d: %s reported, but the path is %s", sim_node_name(n), k,
			paddr_name(ev->u.paddr.state), dpsctp_path_state_name(pi.state));
}

/* No path changes state without telling (checked after every step of the run loop). */
static void
check_states(struct world *w)
{
	struct dpsctp_paddr_info pi;
	unsigned int i, k;

	for (i = 0; i < 2; i++) {
		struct side *sd = &w->side[i];
		struct dpsctp_assoc *a = sim_node_assoc(sd->node);

		if (a == NULL || !sd->snap)
			continue;
		for (k = 0; k < w->nnets; k++) {
			if (dpsctp_assoc_paddr_info(a, sim_node_addr(sd->peer, k), &pi) != 0) {
				fail(w, "%s: peer address %u vanished", sim_node_name(sd->node), k);
				continue;
			}
			if (pi.state != sd->st[k]) {
				fail(w, "%s: peer address %u went %s -> %s without an event",
					sim_node_name(sd->node), k,
					dpsctp_path_state_name(sd->st[k]),
					dpsctp_path_state_name(pi.state));
				sd->st[k] = pi.state;
			}
		}
	}
}

/* ---- what goes on the wire ---- */

static bool
any_active(const struct world *w, const struct side *sd, const struct dpsctp_assoc *a)
{
	struct dpsctp_paddr_info pi;
	unsigned int k;

	for (k = 0; k < w->nnets; k++)
		if (dpsctp_assoc_paddr_info(a, sim_node_addr(sd->peer, k), &pi) == 0 &&
			pi.state == DPSCTP_PATH_ACTIVE && pi.reachable)
			return true;
	return false;
}

/* May this chunk go to an UNCONFIRMED address (RFC 9260 5.4)? HEARTBEAT and HEARTBEAT ACK;
 * the handshake's chunks follow rules of their own; ABORT and SHUTDOWN COMPLETE answer. */
static bool
unconfirmed_ok(uint8_t type)
{
	switch (type) {
	case DPSCTP_CHUNK_INIT:
	case DPSCTP_CHUNK_INIT_ACK:
	case DPSCTP_CHUNK_HEARTBEAT:
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
	case DPSCTP_CHUNK_COOKIE_ECHO:
	case DPSCTP_CHUNK_COOKIE_ACK:
	case DPSCTP_CHUNK_ABORT:
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return true;
	default:
		return false;
	}
}

/* One DATA chunk of TSN @p tsn leaving @p node on @p path (@p pi: its path, NULL if unknown). */
static void
check_data(struct world *w, struct sim_node *node, const struct dpsctp_path *path,
	const struct dpsctp_paddr_info *pi, uint32_t tsn, int k)
{
	struct side *sd = side_of(w, node);
	const char *name = sim_node_name(node);
	bool fresh = !sd->have_tsn || (int32_t)(tsn - sd->high_tsn) > 0;

	w->data_checked++;
	if (w->replay)
		printf("%12.6f s %s: DATA TSN %u%s to peer address %d (%s)\n", secs(w), name, tsn,
			fresh ? "" : " again", k,
			pi != NULL ? dpsctp_path_state_name(pi->state) : "?");
	if (fresh) {
		sd->high_tsn = tsn;
		sd->have_tsn = true;
	}
	if (pi == NULL)
		fail(w, "%s sent DATA to an address the association does not know", name);
	else if (pi->state == DPSCTP_PATH_UNCONFIRMED)
		fail(w, "%s sent DATA (TSN %u) to UNCONFIRMED peer address %d (5.4)", name, tsn, k);
	else if (!sim_addr_eq(&path->local, &pi->path.local))
		fail(w, "%s sent DATA to peer address %d from another address than the route's",
			name, k);
	else if (fresh && pi->state != DPSCTP_PATH_ACTIVE &&
		 any_active(w, sd, sim_node_assoc(node)))
		fail(w, "%s sent new DATA (TSN %u) to %s peer address %d while one is ACTIVE", name,
			tsn, dpsctp_path_state_name(pi->state), k);
}

/* Transmit tap: where DATA goes (5.4, 6.4, RFC 7829) and what goes to UNCONFIRMED addresses. */
static enum sim_verdict
tx_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct world *w = arg;
	struct side *sd = side_of(w, node);
	struct dpsctp_assoc *a = sim_node_assoc(node);
	size_t off = DPSCTP_COMMON_HDR_LEN;
	struct dpsctp_paddr_info pi;
	bool known;
	int k;

	(void)sim;
	if (sim_link_find(w->x.sim, &path->local, &path->remote) == NULL)
		fail(w, "%s sent a packet between two addresses without a link",
			sim_node_name(node));
	if (a == NULL)
		return SIM_PASS;
	k = peer_index(w, sd, &path->remote);
	known = dpsctp_assoc_paddr_info(a, &path->remote, &pi) == 0;
	while (off + 4 <= *len) {
		size_t clen = dpsctp_get_be16(pkt + off + 2);
		uint8_t type = pkt[off];

		if (clen < 4)
			break;
		if (type != DPSCTP_CHUNK_DATA) {
			if (known && pi.state == DPSCTP_PATH_UNCONFIRMED && !unconfirmed_ok(type)) {
				w->ctrl_types[type]++;
				if (w->ctrl_unconfirmed++ == 0)
					snprintf(w->ctrl_first, sizeof(w->ctrl_first),
						"seed %" PRIu64 " at %.6f s: %s sent chunk type %u "
						"to UNCONFIRMED peer address %d",
						w->seed, secs(w), sim_node_name(node), type, k);
			}
		} else if (clen >= 16) {
			check_data(w, node, path, known ? &pi : NULL,
				dpsctp_get_be32(pkt + off + 4), k);
		}
		off += (clen + 3) & ~(size_t)3;
	}
	return SIM_PASS;
}

/* ---- the applications ---- */

/* Sizes: mostly small, sometimes up to 16 KiB. */
static uint32_t
draw_len(uint64_t *s)
{
	uint64_t r = mix(s) % 1000;

	if (r < 700)
		return 1 + (uint32_t)(mix(s) % 256);
	if (r < 930)
		return 257 + (uint32_t)(mix(s) % 3840);
	return 4097 + (uint32_t)(mix(s) % (MAX_LEN - 4096));
}

/* Send what is due (each message at its time, then the next one a random gap later). */
static void
pump(struct world *w, struct dir *d)
{
	struct dpsctp_assoc *a = sim_node_assoc(d->from);
	uint64_t now = sim_now(w->x.sim);

	d->blocked = false;
	if (a == NULL || dpsctp_assoc_state(a) != DPSCTP_ESTABLISHED)
		return;
	while (d->dc.sent < d->total && d->next_at <= now) {
		int rc;

		if (!d->drawn) {
			d->next_len = draw_len(&d->rng);
			d->next_sid = (uint16_t)(mix(&d->rng) % d->nstreams);
			d->next_unordered = mix(&d->rng) % 100 < d->unordered;
			d->drawn = true;
		}
		if (dpsctp_assoc_sndbuf_free(a) < d->next_len) {
			d->blocked = true;
			return;
		}
		rc = dc_send(&d->dc, a, d->next_sid, d->next_unordered, d->next_len, 0, now);
		if (rc != 0) {
			d->last_rc = rc;
			d->blocked = true;
			return;
		}
		d->drawn = false;
		d->next_at += 1 + mix(&d->rng) % (2 * d->gap);
	}
}

/* Polled after every step of the run loop: the applications, the path states. */
static bool
tick(struct sim *sim, void *arg)
{
	struct world *w = arg;

	(void)sim;
	pump(w, &w->c2s);
	pump(w, &w->s2c);
	check_states(w);
	return w->errors > 0;
}

static bool
all_delivered(struct sim *sim, void *arg)
{
	struct world *w = arg;

	return tick(sim, arg) ||
	       (w->c2s.dc.sent == w->c2s.total && w->s2c.dc.sent == w->s2c.total &&
		       dc_complete(&w->c2s.dc) && dc_complete(&w->s2c.dc));
}

static bool
all_active(struct sim *sim, void *arg)
{
	struct world *w = arg;
	unsigned int i, k;

	if (tick(sim, arg))
		return true;
	for (i = 0; i < 2; i++)
		for (k = 0; k < w->nnets; k++)
			if (w->side[i].st[k] != DPSCTP_PATH_ACTIVE)
				return false;
	return true;
}

static bool
all_gone(struct sim *sim, void *arg)
{
	struct world *w = arg;

	tick(sim, arg);
	return scen_both_gone(sim, &w->x);
}

static void
on_deliver(struct sim_node *n, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor, void *arg)
{
	struct world *w = arg;

	(void)a;
	dc_deliver(n == w->x.s ? &w->c2s.dc : &w->s2c.dc, ri, iov, iovcnt, eor);
}

/* ---- the link scheduler ---- */

static void
set_link(struct world *w, unsigned int k, unsigned int d, bool up)
{
	struct net *nt = &w->net[k];

	if (nt->up[d] == up)
		return;
	nt->up[d] = up;
	sim_link_set_up(nt->l[d], up);
	w->link_events++;
	if (!nt->up[0] || !nt->up[1])
		nt->up_since = DPSCTP_NEVER;
	else
		nt->up_since = sim_now(w->x.sim);
	if (w->replay)
		printf("%12.6f s network %u %s %s\n", secs(w), k,
			d == 0 ? "client->server" : "server->client", up ? "UP" : "DOWN");
}

/* Is a network other than @p k fully up, and long enough for both sides to know it works? */
static bool
other_settled(const struct world *w, unsigned int k)
{
	uint64_t now = sim_now(w->x.sim);
	unsigned int j;

	for (j = 0; j < w->nnets; j++)
		if (j != k && w->net[j].up_since != DPSCTP_NEVER &&
			now >= w->net[j].up_since + w->settle)
			return true;
	return false;
}

/* One random change: a direction or a whole network flips; going down only while another
 * network is up and settled. */
static void
link_change(struct world *w)
{
	unsigned int k = (unsigned int)(mix(&w->rng) % w->nnets);
	unsigned int d = (unsigned int)(mix(&w->rng) % 2);
	bool both = mix(&w->rng) % 2 == 0;
	struct net *nt = &w->net[k];

	if (both) {
		bool down = nt->up[0] && nt->up[1];

		if (down && !other_settled(w, k))
			return;
		set_link(w, k, 0, !down);
		set_link(w, k, 1, !down);
	} else {
		if (nt->up[d] && !other_settled(w, k))
			return;
		set_link(w, k, d, !nt->up[d]);
	}
}

/* The next change: a short flap (failure detection may not even notice) or a long wait. */
static uint64_t
link_gap(struct world *w)
{
	if (mix(&w->rng) % 5 < 2)
		return 1 + mix(&w->rng) % w->short_gap;
	return 1 + mix(&w->rng) % w->settle;
}

/* ---- one seed ---- */

static void
draw_cfg(struct world *w, uint64_t *s, struct dpsctp_proto_config *cfg, uint32_t pf)
{
	static const uint64_t sack_fast[] = {0, 5 * SIM_MS, 10 * SIM_MS, 20 * SIM_MS};
	static const uint64_t sack_rfc[] = {0, 10 * SIM_MS, 50 * SIM_MS, 200 * SIM_MS};

	scen_cfg(cfg);
	cfg->max_init_retrans = 40;
	cfg->shutdown_guard = 600 * SIM_S;
	cfg->assoc_max_retrans = 10 + (uint32_t)(mix(s) % 11);
	if (w->telecom) {
		cfg->rto_initial = 200 * SIM_MS;
		cfg->rto_min = 50 * SIM_MS;
		cfg->rto_max = 200 * SIM_MS;
		cfg->path_max_retrans = 2;
		cfg->pf_threshold = pf;
		cfg->hb_interval = 1 * SIM_S;
		cfg->sack_delay = sack_fast[mix(s) % 4];
	} else {
		cfg->rto_initial = 1 * SIM_S;
		cfg->rto_min = (300 + mix(s) % 700) * SIM_MS;
		cfg->rto_max = (2 + mix(s) % 4) * SIM_S;
		cfg->path_max_retrans = 3 + (uint32_t)(mix(s) % 3);
		cfg->pf_threshold = DPSCTP_PF_DISABLED;
		cfg->hb_interval = (1 + mix(s) % 5) * SIM_S;
		cfg->sack_delay = sack_rfc[mix(s) % 4];
	}
	cfg->sack_freq = 1 + (uint32_t)(mix(s) % 2);
	cfg->os = (uint16_t)(1 + mix(s) % 16);
	cfg->mis = (uint16_t)(1 + mix(s) % 16);
	cfg->max_burst = 1 + (uint32_t)(mix(s) % 6);
	cfg->nodelay = (mix(s) & 1) != 0;
	/*
	 * 8.1, 8.2: every error on a path counts on the association too, and 6.4.1 lets a
	 * retransmission go to any other ACTIVE destination, a dead one that is not INACTIVE
	 * yet included. Before data settles on the working network, the dead ones may take
	 * Path.Max.Retrans + 1 errors each: Association.Max.Retrans must cover that, with a
	 * margin for errors of the working path (loss), or losing the association is what the
	 * RFC asks for.
	 */
	if (cfg->assoc_max_retrans < (w->nnets - 1) * (cfg->path_max_retrans + 1) + 4)
		cfg->assoc_max_retrans = (w->nnets - 1) * (cfg->path_max_retrans + 1) + 4;
}

static void
draw_link(uint64_t *s, struct sim_link_params *lp)
{
	sim_link_params_default(lp);
	lp->loss = unit(s) * 0.10;
	lp->duplication = unit(s) * 0.05;
	lp->reorder = unit(s) * 0.10;
	lp->delay_ns = (1 + mix(s) % 30) * SIM_MS;
	lp->jitter_ns = (mix(s) % 4) * SIM_MS;
}

static void
dir_init(struct dir *d, struct sim_node *from, uint64_t *s, uint64_t window)
{
	d->from = from;
	d->total = 1 + mix(s) % MAX_MSGS;
	d->unordered = (unsigned int)(mix(s) % 3) * 25;
	d->rng = mix(s);
	d->gap = window / d->total + 1;
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
		double t = (double)(l[i].time - SIM_T0) / 1e9;

		if (l[i].kind == SIM_LOG_STATE)
			printf("%12.6f s %s: %s -> %s\n", t, sim_node_name(n),
				dpsctp_state_name(l[i].from), dpsctp_state_name(l[i].to));
		else if (l[i].kind == SIM_LOG_EVENT)
			printf("%12.6f s %s: event %d (sac_state %d, error %u)\n", t,
				sim_node_name(n), l[i].type, l[i].ac_state, l[i].error);
		else
			printf("%12.6f s %s: freed\n", t, sim_node_name(n));
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

/* Addresses of network @p k: 198.18.k.1/.2, or 2001:db8:k::1/::2 for the IPv6 one. */
static void
net_addrs(unsigned int k, bool v6, struct dpsctp_addr *c, struct dpsctp_addr *s)
{
	char buf[64];

	if (v6) {
		snprintf(buf, sizeof(buf), "2001:db8:%u::1", k);
		*c = sim_addr6(buf);
		snprintf(buf, sizeof(buf), "2001:db8:%u::2", k);
		*s = sim_addr6(buf);
	} else {
		snprintf(buf, sizeof(buf), "198.18.%u.1", k);
		*c = sim_addr4(buf);
		snprintf(buf, sizeof(buf), "198.18.%u.2", k);
		*s = sim_addr4(buf);
	}
}

static void
setup(struct world *w, uint64_t *s, struct totals *tot)
{
	struct dpsctp_addr ca[MAX_NETS], sa[MAX_NETS];
	struct dpsctp_proto_config ccfg, scfg;
	struct sim_link_params lp;
	uint64_t slowest = 0, delay = 0;
	int v6 = -1;
	unsigned int k, d;
	uint32_t pf;

	w->nnets = 2 + (unsigned int)(mix(s) % 2);
	if (mix(s) % 4 == 0)
		v6 = (int)(mix(s) % w->nnets);
	w->telecom = mix(s) % 2 == 0;
	pf = (uint32_t)(mix(s) % 2);
	w->pf_on = w->telecom;
	draw_cfg(w, s, &ccfg, pf);
	draw_cfg(w, s, &scfg, pf);
	for (k = 0; k < w->nnets; k++)
		net_addrs(k, (int)k == v6, &ca[k], &sa[k]);
	memset(&w->x, 0, sizeof(w->x));
	w->x.sim = sim_create(w->seed);
	cr_assert_not_null(w->x.sim);
	w->x.c = sim_node_add(w->x.sim, "client", ca, w->nnets, 5000, false, &ccfg);
	w->x.s = sim_node_add(w->x.sim, "server", sa, w->nnets, 5001, true, &scfg);
	cr_assert(w->x.c != NULL && w->x.s != NULL);
	for (k = 0; k < w->nnets; k++) {
		struct net *nt = &w->net[k];

		for (d = 0; d < 2; d++) {
			draw_link(s, &lp);
			if (lp.delay_ns + lp.jitter_ns > delay)
				delay = lp.delay_ns + lp.jitter_ns;
			nt->l[d] = sim_link_add(
				w->x.sim, d == 0 ? &ca[k] : &sa[k], d == 0 ? &sa[k] : &ca[k], &lp);
			cr_assert_not_null(nt->l[d]);
			nt->up[d] = true;
		}
	}
	w->x.cs = w->net[0].l[0];
	w->x.sc = w->net[0].l[1];
	w->side[0].node = w->x.c;
	w->side[0].peer = w->x.s;
	w->side[1].node = w->x.s;
	w->side[1].peer = w->x.c;
	/* 8.3: an idle or INACTIVE destination is probed every HB.interval + RTO (+/- RTO/2)
	 * and the answer waited for one RTO, RTO.Max at worst; eight such rounds, so that one
	 * lost to the links' loss does not matter, settle a network that came back */
	slowest = ccfg.hb_interval + 5 * ccfg.rto_max / 2;
	if (scfg.hb_interval + 5 * scfg.rto_max / 2 > slowest)
		slowest = scfg.hb_interval + 5 * scfg.rto_max / 2;
	w->settle = 8 * (slowest + 2 * delay + scfg.sack_delay + ccfg.sack_delay);
	w->short_gap = 2 * (ccfg.rto_max > scfg.rto_max ? ccfg.rto_max : scfg.rto_max);
	tot->telecom += w->telecom;
	tot->v6 += v6 >= 0;
	tot->three += w->nnets == 3;
	if (w->replay)
		printf("seed %" PRIu64 ": %u networks%s, %s profile (PF %s), AMR %u/%u, settle "
		       "%.3f s\n",
			w->seed, w->nnets, v6 >= 0 ? " (one IPv6)" : "",
			w->telecom ? "telecom" : "RFC-like", w->pf_on ? (pf ? "1" : "0") : "off",
			ccfg.assoc_max_retrans, scfg.assoc_max_retrans, (double)w->settle / 1e9);
}

static void
soak_one(uint64_t seed, struct totals *tot, bool replay)
{
	struct dpsctp_assoc_status st;
	struct world *w = calloc(1, sizeof(*w));
	uint64_t s = seed * 0x2545f4914f6cdd1dull + 11, base, window, end, k;
	struct sim_node *closer, *aborted = NULL;
	unsigned int i;

	cr_assert_not_null(w);
	w->seed = seed;
	w->replay = replay;
	setup(w, &s, tot);
	sim_set_deliver_hook(w->x.sim, on_deliver, w);
	sim_set_event_hook(w->x.sim, on_event, w);
	sim_set_tx_tap(w->x.sim, tx_tap, w);
	base = sim_live_allocations(w->x.sim);
	window = w->settle * (1 + mix(&s) % 3) + mix(&s) % w->settle;
	dir_init(&w->c2s, w->x.c, &s, window);
	dir_init(&w->s2c, w->x.s, &s, window);
	closer = mix(&s) % 2 == 0 ? w->x.c : w->x.s;
	w->rng = mix(&s);
	if (replay) {
		char pcap[512];

		snprintf(pcap, sizeof(pcap), "%s/soak_multihome_%" PRIu64 ".pcap", SIM_OUT_DIR,
			seed);
		cr_assert_eq(sim_pcap_open(w->x.sim, pcap), 0);
		printf("seed %" PRIu64 ": pcap in %s; c2s %" PRIu64 " messages, s2c %" PRIu64
		       " over %.3f s, shutdown by the %s\n",
			seed, pcap, w->c2s.total, w->s2c.total, (double)window / 1e9,
			sim_node_name(closer));
	}

	scen_associate(&w->x);
	SOAK_ASSERT(w, sim_run_until_cond(w->x.sim, scen_both_up, &w->x, 600 * SIM_S),
		"not established (%s)", sim_error(w->x.sim) ? sim_error(w->x.sim) : "no sim error");
	dpsctp_assoc_get_status(sim_node_assoc(w->x.c), &st);
	w->c2s.nstreams = st.outbound_streams;
	SOAK_ASSERT(
		w, st.npeer_addrs == w->nnets, "client knows %zu peer addresses", st.npeer_addrs);
	dpsctp_assoc_get_status(sim_node_assoc(w->x.s), &st);
	w->s2c.nstreams = st.outbound_streams;
	SOAK_ASSERT(
		w, st.npeer_addrs == w->nnets, "server knows %zu peer addresses", st.npeer_addrs);
	/* a primary the user chose, not the first address (the server's may be UNCONFIRMED) */
	for (i = 0; i < 2; i++) {
		struct side *sd = &w->side[i];

		if (mix(&s) % 3 != 0)
			continue;
		sd->prim_set++;
		tot->primaries++;
		SOAK_ASSERT(w,
			dpsctp_assoc_set_primary(sim_node_assoc(sd->node),
				sim_node_addr(sd->peer, 1 + mix(&s) % (w->nnets - 1)),
				sim_now(w->x.sim)) == 0,
			"set_primary refused");
	}
	for (i = 0; i < w->nnets; i++)
		w->net[i].up_since = sim_now(w->x.sim);
	w->c2s.next_at = sim_now(w->x.sim);
	w->s2c.next_at = sim_now(w->x.sim);

	/* the chaos: links change while the workload runs */
	end = sim_now(w->x.sim) + window;
	w->next_link = sim_now(w->x.sim) + link_gap(w);
	while (sim_now(w->x.sim) < end && w->errors == 0 && sim_error(w->x.sim) == NULL) {
		uint64_t now = sim_now(w->x.sim), t = end;

		if (w->next_link < t)
			t = w->next_link;
		if (!w->c2s.blocked && w->c2s.dc.sent < w->c2s.total && w->c2s.next_at > now &&
			w->c2s.next_at < t)
			t = w->c2s.next_at;
		if (!w->s2c.blocked && w->s2c.dc.sent < w->s2c.total && w->s2c.next_at > now &&
			w->s2c.next_at < t)
			t = w->s2c.next_at;
		sim_run_until_cond(w->x.sim, tick, w, t - now);
		if (sim_now(w->x.sim) >= w->next_link) {
			link_change(w);
			w->next_link = sim_now(w->x.sim) + link_gap(w);
		}
	}
	/* the end: every link up, everything delivered, every path back ACTIVE */
	for (i = 0; i < w->nnets; i++) {
		set_link(w, i, 0, true);
		set_link(w, i, 1, true);
	}
	SOAK_ASSERT(w, w->errors == 0, "%s", w->first_error);
	SOAK_ASSERT(w, sim_run_until_cond(w->x.sim, all_delivered, w, 3600 * SIM_S),
		"transfer stuck: c2s %" PRIu64 "/%" PRIu64 " of %" PRIu64 " (rc %d), s2c %" PRIu64
		"/%" PRIu64 " of %" PRIu64 " (rc %d), client %s, server %s, sim error: %s",
		w->c2s.dc.delivered, w->c2s.dc.sent, w->c2s.total, w->c2s.last_rc,
		w->s2c.dc.delivered, w->s2c.dc.sent, w->s2c.total, w->s2c.last_rc,
		dpsctp_state_name(sim_node_last_state(w->x.c, 0)),
		dpsctp_state_name(sim_node_last_state(w->x.s, 0)),
		sim_error(w->x.sim) ? sim_error(w->x.sim) : "none");
	SOAK_ASSERT(w, w->errors == 0, "%s", w->first_error);
	SOAK_ASSERT(w, sim_run_until_cond(w->x.sim, all_active, w, 4 * w->settle),
		"paths not all ACTIVE %.3f s after the links came back",
		(double)(4 * w->settle) / 1e9);
	SOAK_ASSERT(w, w->errors == 0, "%s", w->first_error);
	w->closing = true;
	SOAK_ASSERT(w, dpsctp_assoc_shutdown(sim_node_assoc(closer), sim_now(w->x.sim)) == 0,
		"shutdown refused");
	SOAK_ASSERT(w, sim_run_until_cond(w->x.sim, all_gone, w, 3600 * SIM_S),
		"shutdown stuck: client %s, server %s",
		dpsctp_state_name(sim_node_last_state(w->x.c, 0)),
		dpsctp_state_name(sim_node_last_state(w->x.s, 0)));

	if (replay) {
		dump_log(w->x.c);
		dump_log(w->x.s);
		fflush(stdout);
	}
	/* the invariant */
	SOAK_ASSERT(w, w->errors == 0, "%s", w->first_error);
	SOAK_ASSERT(w, w->c2s.dc.errors == 0, "c2s: %s", w->c2s.dc.first_error);
	SOAK_ASSERT(w, w->s2c.dc.errors == 0, "s2c: %s", w->s2c.dc.first_error);
	SOAK_ASSERT(w, dc_complete(&w->c2s.dc), "c2s: %" PRIu64 " of %" PRIu64 " delivered",
		w->c2s.dc.delivered, w->c2s.dc.sent);
	SOAK_ASSERT(w, dc_complete(&w->s2c.dc), "s2c: %" PRIu64 " of %" PRIu64 " delivered",
		w->s2c.dc.delivered, w->s2c.dc.sent);
	SOAK_ASSERT(w, w->c2s.dc.sent == w->c2s.total && w->s2c.dc.sent == w->s2c.total,
		"not everything was sent");
	for (i = 0; i < 2; i++)
		SOAK_ASSERT(w, w->side[i].prim_seen == w->side[i].prim_set,
			"%s: %" PRIu64 " MADE_PRIM for %" PRIu64 " set_primary",
			sim_node_name(w->side[i].node), w->side[i].prim_seen, w->side[i].prim_set);
	/* as in the data soak: a clean end on both sides, except the RFC 9260 case of a lost
	 * SHUTDOWN COMPLETE followed by a late packet of the side in SHUTDOWN-ACK-SENT, which the
	 * closed peer answers with an ABORT (8.4 rule 8) */
	if (scen_events(w->x.c, DPSCTP_EV_SHUTDOWN_COMP) +
			scen_events(w->x.s, DPSCTP_EV_SHUTDOWN_COMP) ==
		1) {
		struct sim_node *lost =
			scen_events(w->x.c, DPSCTP_EV_SHUTDOWN_COMP) == 1 ? w->x.s : w->x.c;

		SOAK_ASSERT(w,
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
		SOAK_ASSERT(w,
			scen_events(w->x.c, DPSCTP_EV_SHUTDOWN_COMP) == 1 &&
				scen_events(w->x.s, DPSCTP_EV_SHUTDOWN_COMP) == 1,
			"SHUTDOWN_COMP: client %" PRIu64 ", server %" PRIu64,
			scen_events(w->x.c, DPSCTP_EV_SHUTDOWN_COMP),
			scen_events(w->x.s, DPSCTP_EV_SHUTDOWN_COMP));
		SOAK_ASSERT(w,
			scen_events(w->x.c, DPSCTP_EV_COMM_LOST) +
					scen_events(w->x.s, DPSCTP_EV_COMM_LOST) ==
				0,
			"COMM_LOST");
	}
	for (k = 0; k < DPSCTP_ABORT_COUNT; k++) {
		enum dpsctp_abort_code code = (enum dpsctp_abort_code)k;
		uint64_t want = aborted != NULL && code == DPSCTP_ABORT_PEER ? 1 : 0;

		SOAK_ASSERT(w, scen_aborts(w->x.c, code) + scen_aborts(w->x.s, code) == want,
			"abort %s", dpsctp_abort_code_name(code));
	}
	SOAK_ASSERT(w,
		sim_node_count_events(w->x.c, DPSCTP_EV_SEND_FAILED, 0) +
				sim_node_count_events(w->x.s, DPSCTP_EV_SEND_FAILED, 0) ==
			0,
		"SEND_FAILED");
	SOAK_ASSERT(w,
		sim_node_count_events(w->x.c, DPSCTP_EV_PARTIAL_DELIVERY, 0) +
				sim_node_count_events(w->x.s, DPSCTP_EV_PARTIAL_DELIVERY, 0) ==
			0,
		"PARTIAL_DELIVERY aborted");
	SOAK_ASSERT(w, sim_stats(w->x.sim)->dropped_no_link == 0,
		"%" PRIu64 " packets sent where no link goes",
		sim_stats(w->x.sim)->dropped_no_link);
	/* every association-owned byte returned (replies to the last packets drained first) */
	SOAK_ASSERT(w, sim_run_until_idle(w->x.sim, 60 * SIM_S), "not idle");
	SOAK_ASSERT(w, sim_live_allocations(w->x.sim) == base,
		"%" PRIu64 " allocations left by the association",
		sim_live_allocations(w->x.sim) - base);

	tot->seeds++;
	tot->msgs += w->c2s.dc.delivered + w->s2c.dc.delivered;
	tot->bytes += w->c2s.dc.bytes + w->s2c.dc.bytes;
	tot->failovers += STATS_SUM(&w->x, failovers);
	tot->inactive += STATS_SUM(&w->x, paths_inactive);
	tot->pf += STATS_SUM(&w->x, paths_pf);
	tot->available += STATS_SUM(&w->x, paths_available);
	tot->confirmed += STATS_SUM(&w->x, paths_confirmed);
	tot->t3 += STATS_SUM(&w->x, t3_expiries);
	tot->retrans_t3 += STATS_SUM(&w->x, retrans_t3);
	tot->retrans_fast += STATS_SUM(&w->x, retrans_fast);
	tot->hb_sent += STATS_SUM(&w->x, hb_sent);
	tot->link_events += w->link_events;
	tot->data_checked += w->data_checked;
	if (w->ctrl_unconfirmed > 0) {
		size_t len = strlen(tot->ctrl_seeds);

		if (tot->ctrl_unconfirmed == 0)
			memcpy(tot->ctrl_first, w->ctrl_first, sizeof(tot->ctrl_first));
		if (len + 24 < sizeof(tot->ctrl_seeds))
			snprintf(tot->ctrl_seeds + len, sizeof(tot->ctrl_seeds) - len, " %" PRIu64,
				seed);
		tot->ctrl_seed_count++;
	}
	tot->ctrl_unconfirmed += w->ctrl_unconfirmed;
	for (i = 0; i < 256; i++)
		tot->ctrl_types[i] += w->ctrl_types[i];
	dc_fini(&w->c2s.dc);
	dc_fini(&w->s2c.dc);
	scen_teardown(&w->x);
	free(w);
}

Test(soak_multihome, links_fail_and_recover_under_load_every_message_once_paths_legal)
{
	struct totals tot = {0};
	const char *one = getenv("DPSCTP_SOAK_SEED");
	const char *env = getenv("DPSCTP_SOAK_SEEDS");
	uint64_t first = 1, n = env != NULL ? strtoull(env, NULL, 0) : 2000, seed;

	if (one != NULL) {
		first = strtoull(one, NULL, 0);
		n = 1;
	}
	for (seed = first; seed < first + n; seed++)
		soak_one(seed, &tot, one != NULL);
	printf("soak_multihome: %" PRIu64 " seeds (%" PRIu64 " telecom, %" PRIu64
	       " with 3 networks, %" PRIu64 " with an IPv6 one, %" PRIu64
	       " user-set primaries), %" PRIu64 " messages, %" PRIu64 " bytes delivered; %" PRIu64
	       " link changes; failovers %" PRIu64 ", paths_inactive %" PRIu64 ", paths_pf %" PRIu64
	       ", back to ACTIVE %" PRIu64 ", confirmed %" PRIu64 "; %" PRIu64
	       " T3-rtx expiries, retransmissions %" PRIu64 " after T3, %" PRIu64 " fast; %" PRIu64
	       " heartbeats; %" PRIu64 " DATA chunks checked; %" PRIu64
	       " late ABORTs after a lost SHUTDOWN COMPLETE; %" PRIu64
	       " other chunks to UNCONFIRMED addresses\n",
		tot.seeds, tot.telecom, tot.three, tot.v6, tot.primaries, tot.msgs, tot.bytes,
		tot.link_events, tot.failovers, tot.inactive, tot.pf, tot.available, tot.confirmed,
		tot.t3, tot.retrans_t3, tot.retrans_fast, tot.hb_sent, tot.data_checked,
		tot.late_aborts, tot.ctrl_unconfirmed);
	for (seed = 0; seed < 256; seed++)
		if (tot.ctrl_types[seed] > 0)
			printf("soak_multihome: %" PRIu64 " chunks of type %u to UNCONFIRMED "
			       "addresses\n",
				tot.ctrl_types[seed], (unsigned int)seed);
	cr_assert_eq(tot.seeds, n);
	/* RFC 9260 5.4: "An endpoint MUST NOT send any chunks to an UNCONFIRMED address", but
	 * HEARTBEAT, HEARTBEAT ACK, and COOKIE ECHO / COOKIE ACK bundled with a HEARTBEAT. Checked
	 * over every seed at the end so that the other invariants were looked at first. */
	cr_assert_eq(tot.ctrl_unconfirmed, 0,
		"%" PRIu64 " chunks (SACK, SHUTDOWN...) sent to UNCONFIRMED addresses in %" PRIu64
		" seeds (%s ...); first: %s",
		tot.ctrl_unconfirmed, tot.ctrl_seed_count, tot.ctrl_seeds, tot.ctrl_first);
	if (n >= 100) {
		/* only worth something if paths really failed and came back */
		cr_assert_gt(tot.failovers, n / 4);
		cr_assert_gt(tot.inactive, n / 4);
		cr_assert_gt(tot.pf, 0);
		cr_assert_gt(tot.available, n / 4);
		cr_assert_geq(tot.confirmed, n);
	}
}
