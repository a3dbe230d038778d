/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint's deadline heap (dataplane/sctp/deadline.c) and its output list (out_head /
 * out_tail, dpsctp_assoc_wake), through the engine's entry points: dpsctp_endpoint_next_deadline
 * must equal the brute-force minimum over every association (dpsctp_assoc_next_deadline) and the
 * secret rotation, dpsctp_endpoint_expire must run exactly the associations that are due, and
 * dpsctp_endpoint_output must give every association with something to send its turn, and
 * nothing once all is sent.
 *
 * White box where the brute force needs it: the test includes assoc.h to walk ep->assocs and to
 * check the heap itself (order, indices, and after a look every key equal to the association's
 * deadline: a key left stale by a missing touch is caught even when it is not the minimum), and
 * to see which associations an expiry visited (dpsctp_assoc_expire wakes what it visits: right
 * after dpsctp_endpoint_expire the output list holds exactly the due ones).
 *
 * The endpoint's callbacks only count events (ep_harness.h's recorder holds 128; hundreds of
 * associations end here). Its "peers" are this file: associations opened with dpsctp_associate
 * at ports PORT_OPEN + i, and associations the test opens as the active side (INIT, COOKIE ECHO)
 * from ports PORT_EST + j, whose DATA it acknowledges with hand-built SACKs.
 */
#include <inttypes.h>

#include "ep_harness.h"

#include "assoc.h"

#define PORT_OPEN 10000u /* dpsctp_associate to 10.1.x.y port PORT_OPEN + i */
#define PORT_EST 30000u  /* the test's own associations, from peer_addr */
#define NPORTS 65536u

TestSuite(deadline, .init = h_setup, .fini = leak_check);

/* ---- quiet callbacks: events counted by type ---- */

static unsigned int q_ev[DPSCTP_EV_PARTIAL_DELIVERY + 8];

static void
quiet_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	(void)ctx;
	(void)a;
	if ((unsigned int)ev->type < sizeof(q_ev) / sizeof(q_ev[0]))
		q_ev[ev->type]++;
}

/* g_ep with @p cfg, listening on EP_PORT at ep_addr, quiet callbacks. */
static void
make_quiet_ep(const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_callbacks cb = {.event = quiet_event};
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT,
		.addrs = &ep_addr,
		.naddrs = 1,
		.listen = true,
		.cfg = cfg,
	};

	memset(q_ev, 0, sizeof(q_ev));
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), 0);
}

/* ---- brute force ---- */

static uint64_t
brute_next(void)
{
	const struct dpsctp_assoc *a;
	uint64_t d = g_ep->secret_rotate_at;

	for (a = g_ep->assocs; a != NULL; a = a->next) {
		uint64_t x = dpsctp_assoc_next_deadline(a);

		if (x < d)
			d = x;
	}
	return d;
}

/*
 * The heap right after a look (dpsctp_endpoint_next_deadline): nothing left touched, every
 * association in it exactly once at the index it believes, keyed by its deadline now, in heap
 * order; memory for it only while there are associations.
 */
static void
check_heap(const char *what)
{
	const struct dpsctp_deadlines *d = &g_ep->dl;
	const struct dpsctp_assoc *a;
	uint32_t i;

	cr_assert_null(d->touched, "%s: touched associations left after a look", what);
	cr_assert_eq(d->n, g_ep->nassocs, "%s: heap holds %u of %zu associations", what, d->n,
		g_ep->nassocs);
	cr_assert_leq(d->n, d->cap, "%s", what);
	if (g_ep->nassocs == 0)
		cr_assert(d->heap == NULL && d->cap == 0, "%s: heap memory without associations",
			what);
	for (i = 0; i < d->n; i++) {
		cr_assert_eq(d->heap[i]->dl.idx, i, "%s: heap[%u] believes it is at %u", what, i,
			d->heap[i]->dl.idx);
		if (i > 0)
			cr_assert_leq(d->heap[(i - 1) / 2]->dl.key, d->heap[i]->dl.key,
				"%s: heap order broken at %u", what, i);
	}
	for (a = g_ep->assocs; a != NULL; a = a->next) {
		cr_assert_neq(a->dl.idx, DPSCTP_DL_NONE,
			"%s: association %u (port %u) not in the heap", what, a->id, a->peer_port);
		cr_assert_lt(a->dl.idx, d->n, "%s", what);
		cr_assert_eq(d->heap[a->dl.idx], a, "%s", what);
		cr_assert(!a->dl.touched, "%s", what);
		cr_assert_eq(a->dl.key, dpsctp_assoc_next_deadline(a),
			"%s: association %u (port %u, state %s) keyed %" PRIu64
			" but its deadline is %" PRIu64 " (a change without a touch?)",
			what, a->id, a->peer_port, dpsctp_state_name(a->state), a->dl.key,
			dpsctp_assoc_next_deadline(a));
	}
}

/* The endpoint's next deadline is the brute-force one, and the heap is sound. */
static void
check_next(const char *what)
{
	uint64_t want = brute_next(), got = dpsctp_endpoint_next_deadline(g_ep);

	cr_assert_eq(
		got, want, "%s: next_deadline %" PRIu64 ", brute force %" PRIu64, what, got, want);
	check_heap(what);
}

/* The output list: consistent links, each listed association once. */
static void
check_out_list(const char *what)
{
	const struct dpsctp_assoc *a, *prev = NULL;
	size_t n = 0, flagged = 0;

	for (a = g_ep->out_head; a != NULL; prev = a, a = a->out_next) {
		cr_assert(a->out_listed, "%s", what);
		cr_assert_eq(a->out_prev, prev, "%s: output list back link", what);
		cr_assert_leq(++n, g_ep->nassocs, "%s: output list loops", what);
	}
	cr_assert_eq(g_ep->out_tail, prev, "%s: output list tail", what);
	for (a = g_ep->assocs; a != NULL; a = a->next)
		flagged += a->out_listed;
	cr_assert_eq(
		flagged, n, "%s: %zu associations say they are listed, %zu are", what, flagged, n);
}

static struct dpsctp_assoc *
assoc_by_port(uint16_t port)
{
	struct dpsctp_assoc *a;

	for (a = g_ep->assocs; a != NULL; a = a->next)
		if (a->peer_port == port)
			return a;
	return NULL;
}

/* The @p k-th association of the endpoint's list. */
static struct dpsctp_assoc *
assoc_nth(size_t k)
{
	struct dpsctp_assoc *a = g_ep->assocs;

	while (k-- > 0 && a != NULL)
		a = a->next;
	return a;
}

/* ---- what the endpoint sends, by destination port ---- */

struct port_out {
	unsigned int pkts;
	unsigned int init;
	unsigned int data_chunks;
	uint64_t data_bytes;
	uint32_t max_tsn; /* highest TSN seen (has_tsn) */
	bool has_tsn;
	unsigned int other;
};

static struct port_out outs[NPORTS];
static uint16_t out_order[4096]; /* destination ports of the packets, in order */
static unsigned int nout;

static uint8_t obuf[DPSCTP_MAX_PACKET];
static struct dpsctp_packet_info last_pi; /* the packet take_one() took last, in obuf */

/* Take one packet from g_ep and account for it; false when there is none. */
static bool
take_one(void)
{
	struct dpsctp_packet_info *pi = &last_pi;
	struct dpsctp_path path;
	struct dpsctp_chunk c;
	struct port_out *o;
	const uint8_t *p;
	size_t n;

	n = dpsctp_endpoint_output(g_ep, obuf, sizeof(obuf), &path, t_now);
	if (n == 0)
		return false;
	cr_assert_eq(dpsctp_packet_parse(obuf, n, pi), 0, "the engine sent a bad packet");
	cr_assert_eq(pi->hdr.src_port, EP_PORT);
	o = &outs[pi->hdr.dst_port];
	o->pkts++;
	if (nout < sizeof(out_order) / sizeof(out_order[0]))
		out_order[nout] = pi->hdr.dst_port;
	nout++;
	p = pi->chunks;
	while (dpsctp_chunk_next(&p, pi->end, &c) == 1) {
		struct dpsctp_data d;

		switch (c.type) {
		case DPSCTP_CHUNK_INIT:
			o->init++;
			break;
		case DPSCTP_CHUNK_DATA:
			cr_assert_eq(dpsctp_data_decode(&c, &d), 0);
			o->data_chunks++;
			o->data_bytes += d.payload_len;
			if (!o->has_tsn || (int32_t)(d.tsn - o->max_tsn) > 0)
				o->max_tsn = d.tsn;
			o->has_tsn = true;
			break;
		default:
			o->other++;
			break;
		}
	}
	return true;
}

/* Take up to @p max packets; how many there were. */
static unsigned int
take_some(unsigned int max)
{
	unsigned int n = 0;

	while (n < max && take_one())
		n++;
	return n;
}

static unsigned int
take_all(void)
{
	return take_some(UINT32_MAX);
}

static void
outs_reset(void)
{
	memset(outs, 0, sizeof(outs));
	nout = 0;
}

/* ---- associations ---- */

/* The address of the i-th dpsctp_associate peer: 10.1.x.y, distinct for i < 60000. */
static struct dpsctp_addr
open_addr(unsigned int i)
{
	struct dpsctp_addr a = {.family = 4, .bytes = {10, 1, (uint8_t)(i / 250), 0}};

	a.bytes[3] = (uint8_t)(2 + i % 250);
	return a;
}

/* dpsctp_associate to the i-th peer at @p t_now; the new association (COOKIE-WAIT). */
static struct dpsctp_assoc *
open_assoc(unsigned int i)
{
	struct dpsctp_addr pa = open_addr(i);
	struct dpsctp_assoc *a;

	cr_assert_eq(dpsctp_associate(g_ep, &pa, 1, (uint16_t)(PORT_OPEN + i), 0, t_now, &a), 0);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_COOKIE_WAIT);
	return a;
}

/*
 * The test opens an association from @p port (peer_addr) as the active side: INIT, the INIT
 * ACK taken from the endpoint's output (packets before it are accounted for), COOKIE ECHO.
 * The COOKIE ACK stays queued. Returns the association, ESTABLISHED.
 */
static struct dpsctp_assoc *
establish_from(uint16_t port, uint32_t peer_tag)
{
	struct dpsctp_cookie_echo ce;
	struct dpsctp_init ia;
	struct dpsctp_tlv t;
	struct dpsctp_assoc *a;
	unsigned int guard;

	start_from(port, 0);
	end_chunk(begin_init(peer_tag, peer_os, peer_mis));
	cr_assert_eq(inject(), 0);
	/* stateless answers leave before anything an association has */
	for (guard = 0;; guard++) {
		struct dpsctp_chunk c;
		const uint8_t *p;

		cr_assert_lt(guard, 256, "no INIT ACK for port %u", port);
		cr_assert(take_one(), "no INIT ACK for port %u", port);
		p = last_pi.chunks;
		if (last_pi.hdr.dst_port == port && last_pi.first_type == DPSCTP_CHUNK_INIT_ACK) {
			cr_assert_eq(dpsctp_chunk_next(&p, last_pi.end, &c), 1);
			cr_assert_eq(dpsctp_init_ack_decode(&c, &ia), 0);
			break;
		}
	}
	cr_assert(find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_STATE_COOKIE, &t));
	ce.cookie = t.value;
	ce.cookie_len = dpsctp_tlv_value_len(&t);
	start_from(port, ia.init_tag);
	cr_assert_eq(dpsctp_cookie_echo_build(&tx, &ce), 0);
	cr_assert_eq(inject(), 0);
	a = assoc_by_port(port);
	cr_assert_not_null(a, "no association after COOKIE ECHO from port %u", port);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
	cr_assert_eq(a->local_vtag, ia.init_tag);
	return a;
}

/* The peer at @p port acknowledges every TSN it has seen from @p a. */
static void
peer_sack_all(struct dpsctp_assoc *a)
{
	const struct port_out *o = &outs[a->peer_port];

	if (!o->has_tsn)
		return;
	start_from(a->peer_port, a->local_vtag);
	cr_assert_eq(dpsctp_sack_build(&tx, o->max_tsn, 1u << 20, NULL, 0, NULL, 0), 0);
	inject();
}

static int
send_bytes(struct dpsctp_assoc *a, size_t len, uint8_t fill, uint64_t lifetime)
{
	static uint8_t buf[4096];
	struct dpsctp_sndinfo si = {.sid = 0, .lifetime = lifetime};

	cr_assert_leq(len, sizeof(buf));
	memset(buf, fill, len);
	return dpsctp_assoc_send(a, &si, buf, len, t_now);
}

/* ---- many associations in COOKIE-WAIT ---- */

#define NMANY 300

/* The configuration of the many: heartbeats off, RTO.Min low enough to vary RTO.Initial. */
static struct dpsctp_proto_config
many_config(void)
{
	struct dpsctp_proto_config cfg = config();

	cfg.rto_min = 10 * DPSCTP_MS;
	cfg.max_init_retrans = 30; /* nobody answers; none may end in the middle of a check */
	return cfg;
}

/*
 * NMANY associations opened 1 us apart with RTO.Initial permuted over 100..3090 ms, so that
 * their T1-init deadlines are all different and in no relation to the order of creation.
 * Every INIT is taken from the output. next_deadline is checked after each creation.
 */
static void
open_many(void)
{
	struct dpsctp_proto_config cfg = many_config();
	unsigned int i;

	make_quiet_ep(&cfg);
	check_next("empty endpoint");
	for (i = 0; i < NMANY; i++) {
		char what[64];

		t_now = T0 + i * (DPSCTP_MS / 1000);
		cfg.rto_initial = 100 * DPSCTP_MS + ((i * 37u) % NMANY) * 10 * DPSCTP_MS;
		cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
		open_assoc(i);
		snprintf(what, sizeof(what), "after creating #%u", i);
		check_next(what);
	}
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), NMANY);
	outs_reset();
	cr_assert_eq(take_all(), NMANY);
	for (i = 0; i < NMANY; i++)
		cr_assert_eq(outs[PORT_OPEN + i].init, 1, "port %u: %u INITs", PORT_OPEN + i,
			outs[PORT_OPEN + i].init);
	cr_assert_null(g_ep->out_head, "output list not empty once everything is sent");
	check_next("after the INITs");
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The association with the @p k-th smallest deadline (0: the top of the heap). */
static struct dpsctp_assoc *
kth_by_deadline(size_t k)
{
	static uint64_t ds[NMANY + 64];
	struct dpsctp_assoc *a;
	size_t n = 0;

	for (a = g_ep->assocs; a != NULL; a = a->next) {
		cr_assert_lt(n, sizeof(ds) / sizeof(ds[0]));
		ds[n++] = dpsctp_assoc_next_deadline(a);
	}
	cr_assert_lt(k, n);
	qsort(ds, n, sizeof(ds[0]), cmp_u64);
	for (a = g_ep->assocs; a != NULL; a = a->next)
		if (dpsctp_assoc_next_deadline(a) == ds[k])
			return a;
	cr_assert_fail("lost the %zu-th deadline", k);
	return NULL;
}

LEAK_CHECKED_TEST(deadline, next_deadline_is_the_minimum_of_many)
{
	uint64_t first;
	unsigned int i;

	open_many();
	/* distinct deadlines, so the order below is well defined */
	first = dpsctp_endpoint_next_deadline(g_ep);
	cr_assert_eq(first, dpsctp_assoc_next_deadline(kth_by_deadline(0)));
	cr_assert_lt(first, g_ep->secret_rotate_at);

	/* the top, several times in a row */
	for (i = 0; i < 5; i++) {
		struct dpsctp_assoc *a = kth_by_deadline(0);

		cr_assert_eq(dpsctp_assoc_abort(a, NULL, 0, t_now), 0);
		check_next("after aborting the top");
		cr_assert_gt(dpsctp_endpoint_next_deadline(g_ep), first);
	}
	/* the bottom */
	for (i = 0; i < 5; i++) {
		cr_assert_eq(
			dpsctp_assoc_abort(kth_by_deadline(g_ep->nassocs - 1), NULL, 0, t_now), 0);
		check_next("after aborting the bottom");
	}
	/* the middle, and in list order (heap positions of every kind) */
	for (i = 0; i < 20; i++) {
		cr_assert_eq(
			dpsctp_assoc_abort(kth_by_deadline(g_ep->nassocs / 2), NULL, 0, t_now), 0);
		check_next("after aborting the middle");
	}
	for (i = 0; i < 20; i++) {
		cr_assert_eq(
			dpsctp_assoc_abort(assoc_nth(i * 7 % g_ep->nassocs), NULL, 0, t_now), 0);
		check_next("after aborting by list position");
	}
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), NMANY - 50);
	/* nothing of it reached the wire: COOKIE-WAIT is aborted silently */
	outs_reset();
	cr_assert_eq(take_all(), 0);
	printf("deadline: %u associations, heap capacity %u\n", NMANY, g_ep->dl.cap);
}

/* Expire at @p t; exactly the associations due at @p t run (one T1-init expiry and one INIT
 * each), the others keep their deadlines. Returns how many were due. */
static unsigned int
expire_and_check(uint64_t t)
{
	static uint16_t port[NMANY];
	static uint64_t before[NMANY];
	struct dpsctp_assoc *a;
	unsigned int due = 0, n = 0, i;
	uint64_t t1 = stats()->t1_expiries;
	char what[80];

	for (a = g_ep->assocs; a != NULL; a = a->next) {
		cr_assert_lt(n, NMANY);
		port[n] = a->peer_port;
		before[n] = dpsctp_assoc_next_deadline(a);
		due += before[n] <= t;
		n++;
	}
	cr_assert_geq(t, t_now);
	cr_assert_null(g_ep->out_head, "output not drained before the expiry");
	t_now = t;
	dpsctp_endpoint_expire(g_ep, t);
	snprintf(what, sizeof(what), "after expiring at %" PRIu64, t);
	/* every association the expiry visited is woken (dpsctp_assoc_expire): the output list
	 * holds exactly the due ones, so no other one was visited */
	check_out_list(what);
	for (a = g_ep->out_head, i = 0; a != NULL; a = a->out_next, i++) {
		unsigned int k = 0;

		while (k < n && port[k] != a->peer_port)
			k++;
		cr_assert_lt(k, n);
		cr_assert_leq(before[k], t, "%s: port %u visited but not due", what, port[k]);
	}
	cr_assert_eq(i, due, "%s: %u associations visited, %u due", what, i, due);
	cr_assert_eq(stats()->t1_expiries - t1, due, "%s: %" PRIu64 " T1 expiries, %u due", what,
		stats()->t1_expiries - t1, due);
	cr_assert_eq(g_ep->nassocs, n, "%s: an association ended", what);
	outs_reset();
	cr_assert_eq(take_all(), due, "%s", what);
	for (i = 0; i < n; i++) {
		a = assoc_by_port(port[i]);
		cr_assert_not_null(a, "%s: port %u gone", what, port[i]);
		if (before[i] <= t) {
			cr_assert_eq(outs[port[i]].init, 1, "%s: port %u due, %u INITs", what,
				port[i], outs[port[i]].init);
			cr_assert_gt(
				dpsctp_assoc_next_deadline(a), t, "%s: port %u", what, port[i]);
		} else {
			cr_assert_eq(outs[port[i]].pkts, 0, "%s: port %u not due but sent", what,
				port[i]);
			cr_assert_eq(dpsctp_assoc_next_deadline(a), before[i],
				"%s: port %u not due but its deadline moved", what, port[i]);
		}
	}
	check_next(what);
	return due;
}

LEAK_CHECKED_TEST(deadline, expire_runs_exactly_the_due_associations)
{
	uint64_t d;
	unsigned int total = 0, i;

	open_many();
	/* just before the first deadline: nothing */
	d = dpsctp_endpoint_next_deadline(g_ep);
	cr_assert_eq(expire_and_check(d - 1), 0);
	/* at it exactly: that one */
	cr_assert_eq(expire_and_check(d), 1);
	/* every deadline up to the k-th smallest of the rest, for growing k */
	for (i = 0; i < 6; i++) {
		size_t k = (size_t)1 << (2 * i); /* 1, 4, 16, 64, 256... */

		if (k >= g_ep->nassocs)
			k = g_ep->nassocs - 1;
		d = dpsctp_assoc_next_deadline(kth_by_deadline(k));
		if (d < t_now)
			d = t_now;
		total += expire_and_check(d);
	}
	cr_assert_gt(total, NMANY / 2, "%u expiries", total);
	/* ties: every association due at the same instant */
	d = dpsctp_assoc_next_deadline(kth_by_deadline(g_ep->nassocs - 1));
	cr_assert_eq(expire_and_check(d), g_ep->nassocs);
	/* the secret's rotation is a deadline too: with three associations left, backing off
	 * past it, it becomes the earliest */
	while (g_ep->nassocs > 3)
		cr_assert_eq(dpsctp_assoc_abort(g_ep->assocs, NULL, 0, t_now), 0);
	d = g_ep->secret_rotate_at;
	while (dpsctp_endpoint_next_deadline(g_ep) < d)
		cr_assert_geq(expire_and_check(dpsctp_endpoint_next_deadline(g_ep)), 1);
	cr_assert_eq(dpsctp_endpoint_next_deadline(g_ep), d);
	cr_assert_eq(expire_and_check(d), 0);
	cr_assert_gt(g_ep->secret_rotate_at, d, "the secret did not rotate");
	check_next("after the rotation");
	printf("deadline: %u T1 expiries\n", (unsigned int)stats()->t1_expiries);
}

/* Max.Init.Retransmits: associations end inside the expiry loop, in any heap position. */
LEAK_CHECKED_TEST(deadline, associations_ending_inside_expire)
{
	struct dpsctp_proto_config cfg = many_config();
	unsigned int i, rounds = 0;

	cfg.max_init_retrans = 2;
	make_quiet_ep(&cfg);
	for (i = 0; i < NMANY; i++) {
		t_now = T0 + i * (DPSCTP_MS / 1000);
		cfg.rto_initial = 10 * DPSCTP_MS + ((i * 7u) % 13) * DPSCTP_MS;
		cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
		open_assoc(i);
	}
	take_all();
	check_next("created");
	while (g_ep->nassocs > 0) {
		uint64_t d = dpsctp_endpoint_next_deadline(g_ep);

		cr_assert_lt(++rounds, 10000);
		cr_assert_neq(d, DPSCTP_NEVER);
		t_now = d > t_now ? d : t_now;
		dpsctp_endpoint_expire(g_ep, t_now);
		take_all();
		check_next("expiring to the end");
	}
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_T1_INIT], NMANY);
	cr_assert_eq(stats()->t1_expiries, 3u * NMANY);
	check_next("all gone");
	cr_assert_null(g_ep->dl.heap);
}

/* ---- output ---- */

#define NEST 6

LEAK_CHECKED_TEST(deadline, output_serves_every_association_in_turn)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_assoc *as[NEST];
	unsigned int i, j, round;
	bool done;

	cfg.nodelay = true; /* no Nagle: every message may leave at once */
	make_quiet_ep(&cfg);
	for (j = 0; j < NEST; j++)
		as[j] = establish_from((uint16_t)(PORT_EST + j), 0x1000u + j);
	/* the COOKIE ACKs, then nothing */
	outs_reset();
	cr_assert_eq(take_all(), NEST);
	for (j = 0; j < NEST; j++)
		cr_assert_eq(outs[PORT_EST + j].pkts, 1);
	cr_assert_null(g_ep->out_head);
	check_next("established");

	/* three 1000-byte messages each (within the initial cwnd): one DATA a packet, the
	 * associations in turn */
	outs_reset();
	for (i = 0; i < 3; i++)
		for (j = 0; j < NEST; j++)
			cr_assert_eq(send_bytes(as[j], 1000, (uint8_t)j, 0), 0);
	check_out_list("after sends");
	cr_assert_eq(take_all(), 3 * NEST);
	for (i = 0; i < nout; i += NEST) {
		bool seen[NEST] = {false};

		for (j = 0; j < NEST; j++) {
			unsigned int k = out_order[i + j] - PORT_EST;

			cr_assert_lt(k, NEST);
			cr_assert(!seen[k], "packet %u: port %u twice in one turn", i + j,
				out_order[i + j]);
			seen[k] = true;
		}
	}
	for (j = 0; j < NEST; j++) {
		cr_assert_eq(outs[PORT_EST + j].data_bytes, 3000);
		cr_assert_eq(outs[PORT_EST + j].data_chunks, 3);
	}
	/* drained: nothing, however often asked */
	for (i = 0; i < 4; i++)
		cr_assert_eq(take_all(), 0);
	cr_assert_null(g_ep->out_head);
	check_next("data in flight (T3-rtx running)");
	cr_assert_lt(dpsctp_endpoint_next_deadline(g_ep), g_ep->secret_rotate_at);

	/* every association acknowledged: T3-rtx stops, nothing to send */
	for (j = 0; j < NEST; j++) {
		peer_sack_all(as[j]);
		check_next("after a SACK");
	}
	cr_assert_eq(take_all(), 0);
	cr_assert_eq(dpsctp_endpoint_next_deadline(g_ep), g_ep->secret_rotate_at);

	/* more than a cwnd each: the peers acknowledge what came out, until all of it did */
	outs_reset();
	for (j = 0; j < NEST; j++)
		for (i = 0; i < 24; i++)
			cr_assert_eq(send_bytes(as[j], 1000 + j, (uint8_t)i, 0), 0);
	for (round = 0, done = false; !done; round++) {
		unsigned int before[NEST];
		bool left[NEST];

		cr_assert_lt(round, 200, "data still queued after %u rounds", round);
		for (j = 0; j < NEST; j++) {
			before[j] = outs[PORT_EST + j].pkts;
			left[j] = outs[PORT_EST + j].data_bytes < 24u * (1000 + j);
		}
		take_all();
		done = true;
		for (j = 0; j < NEST; j++) {
			/* nobody starves: every association with data left sends in every round
			 * (its window reopened by the SACK of the round before) */
			cr_assert(!left[j] || outs[PORT_EST + j].pkts > before[j],
				"round %u: port %u sent nothing with data left", round,
				PORT_EST + j);
			done = done && outs[PORT_EST + j].data_bytes >= 24u * (1000 + j);
			t_now += DPSCTP_MS;
			peer_sack_all(as[j]);
		}
		check_next("bulk round");
	}
	for (j = 0; j < NEST; j++) {
		cr_assert_eq(
			outs[PORT_EST + j].data_bytes, 24u * (1000 + j), "port %u", PORT_EST + j);
		cr_assert_eq(outs[PORT_EST + j].data_chunks, 24, "port %u", PORT_EST + j);
	}
	cr_assert_eq(take_all(), 0);
	cr_assert_null(g_ep->out_head);
	printf("deadline: %u DATA packets in %u rounds\n", nout, round);
}

/* An association woken with nothing to send leaves the list at the first output. */
LEAK_CHECKED_TEST(deadline, output_list_drops_idle_associations)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_assoc *a, *b;

	cfg.nodelay = true;
	make_quiet_ep(&cfg);
	a = establish_from(PORT_EST, 0x1111u);
	b = establish_from(PORT_EST + 1, 0x2222u);
	take_all();
	cr_assert_null(g_ep->out_head);
	dpsctp_assoc_consume(a, 0, t_now); /* an entry point with nothing to send */
	dpsctp_assoc_consume(b, 0, t_now);
	cr_assert(a->out_listed && b->out_listed);
	check_out_list("woken");
	cr_assert_eq(take_all(), 0);
	cr_assert_null(g_ep->out_head);
	cr_assert_null(g_ep->out_tail);
	cr_assert(!a->out_listed && !b->out_listed);
	/* one of them aborted while listed */
	cr_assert_eq(send_bytes(a, 100, 1, 0), 0);
	cr_assert_eq(send_bytes(b, 100, 2, 0), 0);
	cr_assert_eq(dpsctp_assoc_abort(a, NULL, 0, t_now), 0);
	check_out_list("one aborted");
	outs_reset();
	cr_assert_eq(take_all(), 2); /* the ABORT, b's DATA */
	cr_assert_eq(outs[PORT_EST].pkts, 1);
	cr_assert_eq(outs[PORT_EST + 1].data_bytes, 100);
	check_next("one left");
}

/* ---- a random sequence of everything ---- */

#define RSTEPS 20000
#define RMAX_OPEN 48
#define RMAX_EST 8

static uint64_t rstate;

static uint32_t
rnd(uint32_t n)
{
	return (uint32_t)(testenv_splitmix64(&rstate) % n);
}

static unsigned int
count_est(void)
{
	const struct dpsctp_assoc *a;
	unsigned int n = 0;

	for (a = g_ep->assocs; a != NULL; a = a->next)
		n += a->peer_port >= PORT_EST;
	return n;
}

/* A random association of the endpoint (NULL when it has none); @p est: one of the test's
 * own established ones. */
static struct dpsctp_assoc *
pick(bool est)
{
	struct dpsctp_assoc *a;
	size_t n = 0, k;

	for (a = g_ep->assocs; a != NULL; a = a->next)
		n += !est || (a->peer_port >= PORT_EST && a->state == DPSCTP_ESTABLISHED);
	if (n == 0)
		return NULL;
	k = rnd((uint32_t)n);
	for (a = g_ep->assocs; a != NULL; a = a->next)
		if (!est || (a->peer_port >= PORT_EST && a->state == DPSCTP_ESTABLISHED))
			if (k-- == 0)
				return a;
	return NULL;
}

static uint32_t peer_tsn_next[NPORTS];

/* The peer sends @p a one unordered message of @p len bytes. */
static void
peer_send_data(struct dpsctp_assoc *a, size_t len)
{
	static uint8_t buf[1024];
	uint16_t port = a->peer_port;

	cr_assert_leq(len, sizeof(buf));
	memset(buf, 0x5a, len);
	start_from(port, a->local_vtag);
	add_data(peer_tsn_next[port]++, 0, 0,
		DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E | DPSCTP_DATA_FLAG_U, 0, buf, len);
	inject();
}

LEAK_CHECKED_TEST(deadline, random_sequence_matches_brute_force)
{
	struct dpsctp_proto_config cfg = many_config();
	unsigned int step, nopen = 0, nest = 0;
	unsigned int done[11] = {0};
	uint64_t baseline_live, baseline_bytes;

	rstate = 0x5eedu;
	cfg.max_init_retrans = 4;
	cfg.valid_cookie_life = 500 * DPSCTP_MS; /* the secret rotates every second */
	cfg.hb_interval = 2000 * DPSCTP_MS;      /* heartbeats nobody answers: path deadlines */
	cfg.sack_delay = 50 * DPSCTP_MS;
	make_quiet_ep(&cfg);
	baseline_live = cenv.live;
	baseline_bytes = cenv.live_bytes;
	outs_reset();
	check_next("start");
	for (step = 0; step < RSTEPS; step++) {
		uint32_t r = rnd(100);
		struct dpsctp_assoc *a;
		char what[64];

		if (r < 14) {
			/* a new association, opened by us */
			if (g_ep->nassocs - count_est() < RMAX_OPEN) {
				cfg.rto_initial = 10 * DPSCTP_MS + rnd(1000) * DPSCTP_MS;
				cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
				open_assoc(nopen++);
				done[0]++;
			}
		} else if (r < 18) {
			/* a new association, opened by the peer */
			if (count_est() < RMAX_EST) {
				uint16_t port = (uint16_t)(PORT_EST + nest++);

				peer_tsn_next[port] = peer_itsn;
				establish_from(port, 0x100u + nest);
				done[1]++;
			}
		} else if (r < 26) {
			if ((a = pick(false)) != NULL) {
				dpsctp_assoc_abort(a, NULL, 0, t_now);
				done[2]++;
			}
		} else if (r < 40) {
			/* a message, perhaps with a lifetime (a T_LIFETIME deadline) */
			if ((a = pick(false)) != NULL) {
				send_bytes(a, 1 + rnd(1400), (uint8_t)step,
					rnd(2) ? 0 : (1 + rnd(3000)) * DPSCTP_MS);
				done[3]++;
			}
		} else if (r < 55) {
			take_some(rnd(8));
			done[4]++;
		} else if (r < 63) {
			/* the peer acknowledges what it saw (T3-rtx stops) */
			if ((a = pick(true)) != NULL) {
				peer_sack_all(a);
				done[5]++;
			}
		} else if (r < 68) {
			/* the peer sends DATA (a delayed SACK, T_SACK) */
			if ((a = pick(true)) != NULL) {
				peer_send_data(a, 1 + rnd(1000));
				done[6]++;
			}
		} else if (r < 72) {
			/* the association's timers changed by configuration */
			if ((a = pick(false)) != NULL) {
				struct dpsctp_proto_config ac;

				dpsctp_assoc_get_config(a, &ac);
				ac.max_init_timeo = (1 + rnd(500)) * DPSCTP_MS;
				ac.sack_delay = rnd(3) * 100 * DPSCTP_MS;
				ac.autoclose = rnd(4) == 0 ? (1 + rnd(5)) * 1000 * DPSCTP_MS : 0;
				cr_assert_eq(dpsctp_assoc_set_config(a, &ac, t_now), 0);
				done[7]++;
			}
		} else if (r < 75) {
			if ((a = pick(false)) != NULL) {
				dpsctp_assoc_shutdown(a, t_now);
				done[8]++;
			}
		} else if (r < 77) {
			/* a HEARTBEAT on demand (a path deadline), or routes changed */
			if (rnd(2) && (a = pick(true)) != NULL) {
				struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_HB_DEMAND};

				dpsctp_assoc_set_paddr_params(a, NULL, &pp, t_now);
			} else {
				dpsctp_endpoint_routes_changed(g_ep, t_now);
			}
			done[10]++;
		} else {
			/* time passes: to the next deadline exactly, or a random amount */
			uint64_t d = dpsctp_endpoint_next_deadline(g_ep);

			if (rnd(2) && d != DPSCTP_NEVER && d > t_now)
				t_now = d;
			else
				t_now += rnd(400) * DPSCTP_MS;
			dpsctp_endpoint_expire(g_ep, t_now);
			done[9]++;
		}
		snprintf(what, sizeof(what), "step %u (r %u)", step, r);
		check_next(what);
		check_out_list(what);
	}
	printf("deadline: random: %u opened, %u peer-opened, %u aborts, %u sends, %u outputs, "
	       "%u sacks, %u data, %u configs, %u shutdowns, %u path/route, %u expiries; %zu left, "
	       "%u packets\n",
		done[0], done[1], done[2], done[3], done[4], done[5], done[6], done[7], done[8],
		done[10], done[9], g_ep->nassocs, nout);
	printf("deadline: random: T1 %" PRIu64 ", T3 %" PRIu64 ", T2 %" PRIu64
	       ", HEARTBEATs %" PRIu64 ", SACKs %" PRIu64 ", lifetimes/aborts failed %" PRIu64
	       ", T1 aborts %" PRIu64 "\n",
		stats()->t1_expiries, stats()->t3_expiries, stats()->t2_expiries, stats()->hb_sent,
		stats()->sacks_out, stats()->msgs_failed, stats()->aborts[DPSCTP_ABORT_T1_INIT]);
	/* everything gone: no memory left for the heap or the index */
	while (g_ep->assocs != NULL) {
		dpsctp_assoc_abort(g_ep->assocs, NULL, 0, t_now);
		check_next("aborting the rest");
	}
	take_all();
	cr_assert_null(g_ep->dl.heap);
	cr_assert_null(g_ep->out_head);
	cr_assert_eq(cenv.live, baseline_live, "%" PRIu64 " allocations left without associations",
		cenv.live - baseline_live);
	cr_assert_eq(cenv.live_bytes, baseline_bytes);
}

/* The heap's memory goes with the last association, and comes back with the next. */
LEAK_CHECKED_TEST(deadline, heap_memory_goes_with_the_last_association)
{
	struct dpsctp_proto_config cfg = many_config();
	uint64_t live, bytes;
	unsigned int i, round;

	make_quiet_ep(&cfg);
	live = cenv.live;
	bytes = cenv.live_bytes;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 100; i++)
			open_assoc(round * 100 + i);
		take_all();
		check_next("created");
		cr_assert_geq(g_ep->dl.cap, 100);
		/* ended in an order unrelated to the heap */
		for (i = 0; i < 100; i++) {
			struct dpsctp_assoc *a = assoc_nth((i * 13) % g_ep->nassocs);

			cr_assert_eq(dpsctp_assoc_abort(a, NULL, 0, t_now), 0);
		}
		check_next("all aborted");
		cr_assert_null(g_ep->dl.heap);
		cr_assert_eq(g_ep->dl.cap, 0);
		cr_assert_eq(cenv.live, live, "round %u: %" PRIu64 " allocations left", round,
			cenv.live - live);
		cr_assert_eq(cenv.live_bytes, bytes);
		t_now += DPSCTP_MS;
	}
}
