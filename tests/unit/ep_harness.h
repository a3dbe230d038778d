/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenario helpers for the endpoint and data transfer tests (test_endpoint.c, test_outq.c,
 * test_rcv.c): one endpoint under test (a second one, g_ep2, where a test needs it), driven by
 * direct injection. The "peer" is the test itself: it opens the association (INIT, COOKIE
 * ECHO), then hand-builds DATA and SACK chunks with the codec; what dpsctp_endpoint_output gives
 * back is parsed and checked.
 *
 * The environment is testenv.h's counting allocator (leak_check() wants every allocation
 * returned) with a splitmix64 random stream; events and delivered messages are recorded for the
 * tests to look at.
 *
 * Everything here is static: each test program includes it once. Functions are static inline
 * so that a test file using only some of them builds without warnings.
 */
#ifndef DPSCTP_TESTS_UNIT_EP_HARNESS_H
#define DPSCTP_TESTS_UNIT_EP_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cause.h"
#include "chunk.h"
#include "engine.h"
#include "packet.h"
#include "testenv_cr.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

#define EP_PORT 5000
#define PEER_PORT 6000
#define PEER_TAG 0x5eed0001u
#define T0 (1000 * DPSCTP_MS)

/* ---- the environment: counting allocator (testenv.h), deterministic PRNG ---- */

static struct testenv cenv;

/* Values forced on the next 4-byte random draws (tags, TSNs), in order. */
static uint32_t rand32_q[4];
static unsigned int rand32_n, rand32_i;

/* splitmix64 (testenv_random), after the forced values */
static void
c_random(void *ctx, void *buf, size_t len)
{
	if (len == 4 && rand32_i < rand32_n) {
		memcpy(buf, &rand32_q[rand32_i++], 4);
		return;
	}
	testenv_random(ctx, buf, len);
}

static const struct dpsctp_env h_env = {
	.ctx = &cenv,
	.alloc = testenv_alloc,
	.free = testenv_free,
	.random = c_random,
};

/* ---- events ---- */

struct ev_rec {
	int ep; /* 1: g_ep, 2: g_ep2 (the callbacks' ctx) */
	enum dpsctp_event_type type;
	uint32_t assoc_id;
	/* ASSOC_CHANGE */
	enum dpsctp_assoc_change_state state;
	uint16_t error;
	size_t info_len;
	/* SEND_FAILED */
	uint32_t sf_flags;
	uint16_t sf_error;
	struct dpsctp_sndinfo sf_info;
	size_t sf_len;
	uint8_t sf_first; /* first byte of the failed message */
	/* REMOTE_ERROR */
	uint16_t re_error;
};

#define MAX_EVENTS 128

static struct ev_rec evs[MAX_EVENTS];
static unsigned int nev;
static int ep_ids[3] = {0, 1, 2};

static inline void
on_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct ev_rec *r;

	(void)a;
	cr_assert_lt(nev, MAX_EVENTS, "too many events");
	r = &evs[nev++];
	memset(r, 0, sizeof(*r));
	r->ep = ctx != NULL ? *(const int *)ctx : 1;
	r->type = ev->type;
	r->assoc_id = ev->assoc_id;
	switch (ev->type) {
	case DPSCTP_EV_ASSOC_CHANGE:
		r->state = ev->u.assoc_change.state;
		r->error = ev->u.assoc_change.error;
		r->info_len = ev->u.assoc_change.info_len;
		break;
	case DPSCTP_EV_SEND_FAILED:
		r->sf_flags = ev->u.send_failed.flags;
		r->sf_error = ev->u.send_failed.error;
		r->sf_info = ev->u.send_failed.info;
		r->sf_len = ev->u.send_failed.len;
		cr_assert_not_null(ev->u.send_failed.data, "SEND_FAILED without the message");
		r->sf_first = ev->u.send_failed.len > 0 ? ev->u.send_failed.data[0] : 0;
		break;
	case DPSCTP_EV_REMOTE_ERROR:
		r->re_error = ev->u.remote_error.error;
		break;
	default:
		break;
	}
}

/* How many events of @p type were recorded. */
static inline unsigned int
count_ev(enum dpsctp_event_type type)
{
	unsigned int i, n = 0;

	for (i = 0; i < nev; i++)
		n += evs[i].type == type;
	return n;
}

/* The last ASSOC_CHANGE event with state @p st, or NULL. */
static inline const struct ev_rec *
find_assoc_change(enum dpsctp_assoc_change_state st)
{
	unsigned int i;

	for (i = nev; i-- > 0;)
		if (evs[i].type == DPSCTP_EV_ASSOC_CHANGE && evs[i].state == st)
			return &evs[i];
	return NULL;
}

/* The SEND_FAILED event of the message with context @p ctx, or NULL. */
static inline const struct ev_rec *
find_send_failed(uint32_t ctx)
{
	unsigned int i;

	for (i = 0; i < nev; i++)
		if (evs[i].type == DPSCTP_EV_SEND_FAILED && evs[i].sf_info.context == ctx)
			return &evs[i];
	return NULL;
}

/* ---- delivered messages ---- */

#define MAX_MSGS 64
#define MAX_MSG_LEN 16384

struct msg_rec {
	struct dpsctp_rcvinfo ri; /* as given with the message's first call */
	uint8_t data[MAX_MSG_LEN];
	size_t len;
	bool eor;           /* the last call had eor */
	unsigned int calls; /* deliver calls for this message */
};

static struct msg_rec msgs[MAX_MSGS];
static unsigned int nmsgs;

static inline void
on_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct msg_rec *m;
	unsigned int i;

	(void)ctx;
	(void)a;
	if (nmsgs > 0 && !msgs[nmsgs - 1].eor) {
		m = &msgs[nmsgs - 1];
	} else {
		cr_assert_lt(nmsgs, MAX_MSGS, "too many messages delivered");
		m = &msgs[nmsgs++];
		memset(m, 0, sizeof(*m));
		m->ri = *ri;
	}
	for (i = 0; i < iovcnt; i++) {
		cr_assert_leq(m->len + iov[i].len, MAX_MSG_LEN, "delivered message too long");
		memcpy(m->data + m->len, iov[i].base, iov[i].len);
		m->len += iov[i].len;
	}
	m->eor = eor;
	m->calls++;
}

/* ---- fixture ---- */

static struct dpsctp_endpoint *g_ep;  /* the endpoint under test */
static struct dpsctp_endpoint *g_ep2; /* a second one, for two-endpoint tests */
static uint64_t t_now;

/* What the test's peer puts in its INIT. */
static uint32_t peer_itsn;  /* its initial TSN */
static uint32_t peer_arwnd; /* its a_rwnd */
static uint16_t peer_os;    /* its outbound streams = the endpoint's inbound ones */
static uint16_t peer_mis;   /* its inbound streams = the endpoint's outbound ones */

static const struct dpsctp_addr ep_addr = {.family = 4, .bytes = {10, 0, 0, 1}};
static const struct dpsctp_addr peer_addr = {.family = 4, .bytes = {10, 0, 0, 2}};
/* how packets from the test's peer arrive at g_ep */
static const struct dpsctp_path in_path = {
	.local = {.family = 4, .bytes = {10, 0, 0, 1}},
	.remote = {.family = 4, .bytes = {10, 0, 0, 2}},
};

static void
h_setup(void)
{
	testenv_cr_init(&cenv, 42);
	rand32_n = 0;
	rand32_i = 0;
	nev = 0;
	nmsgs = 0;
	g_ep = NULL;
	g_ep2 = NULL;
	t_now = T0;
	peer_itsn = 0x00001000u;
	peer_arwnd = 65536;
	peer_os = 10;
	peer_mis = 10;
}

/* Destroy every endpoint; then nothing the engine allocated may be left. */
static void
leak_check(void)
{
	dpsctp_endpoint_destroy(g_ep);
	dpsctp_endpoint_destroy(g_ep2);
	g_ep = NULL;
	g_ep2 = NULL;
	testenv_cr_assert_no_leaks(&cenv);
}

/* The defaults, without heartbeats (their timer would mix with the data timers). */
static inline struct dpsctp_proto_config
config(void)
{
	struct dpsctp_proto_config cfg;

	dpsctp_proto_config_default(&cfg);
	cfg.hb_interval = 0;
	return cfg;
}

/* The recording callbacks; @p id (&ep_ids[1] or [2]) tells the endpoints apart. */
static inline struct dpsctp_callbacks
callbacks(int *id)
{
	struct dpsctp_callbacks cb = {.ctx = id, .event = on_event, .deliver = on_deliver};

	return cb;
}

/* g_ep, on EP_PORT at ep_addr; @p cfg NULL: the engine's defaults. */
static inline void
make_ep(bool listen, const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT,
		.addrs = &ep_addr,
		.naddrs = 1,
		.listen = listen,
		.cfg = cfg,
	};

	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), 0);
}

static inline const struct dpsctp_stats *
stats(void)
{
	return dpsctp_endpoint_stats(g_ep);
}

/* ---- packets in ---- */

static uint8_t txb[DPSCTP_MAX_PACKET];
static struct dpsctp_wbuf tx;

/* Start a packet from the peer's port @p src_port to the endpoint (EP_PORT). */
static inline void
start_from(uint16_t src_port, uint32_t vtag)
{
	dpsctp_wbuf_init(&tx, txb, sizeof(txb));
	cr_assert_eq(dpsctp_common_hdr_build(&tx, src_port, EP_PORT, vtag), 0);
}

/* Start a packet from the peer (PEER_PORT) to the endpoint. */
static inline void
start(uint32_t vtag)
{
	start_from(PEER_PORT, vtag);
}

static inline void
end_chunk(size_t mark)
{
	cr_assert_eq(dpsctp_chunk_end(&tx, mark), 0);
}

/* Open the peer's INIT (peer_arwnd, peer_itsn); add parameters, close with end_chunk(). */
static inline size_t
begin_init(uint32_t init_tag, uint16_t os, uint16_t mis)
{
	struct dpsctp_init in = {
		.init_tag = init_tag,
		.a_rwnd = peer_arwnd,
		.os = os,
		.mis = mis,
		.initial_tsn = peer_itsn,
	};
	size_t mark;

	cr_assert_eq(dpsctp_init_begin(&tx, &in, &mark), 0);
	return mark;
}

/* Hand the packet built in tx to the endpoint. */
static inline int
inject(void)
{
	return dpsctp_endpoint_input(g_ep, txb, tx.len, &in_path, t_now);
}

/* ---- packets out ---- */

struct rx {
	uint8_t b[DPSCTP_MAX_PACKET];
	size_t len;
	struct dpsctp_path path;
	struct dpsctp_packet_info pi;
};

static struct rx rx;

/* The next packet of g_ep, parsed, or false. */
static inline bool
take(struct rx *r)
{
	r->len = dpsctp_endpoint_output(g_ep, r->b, sizeof(r->b), &r->path, t_now);
	if (r->len == 0)
		return false;
	cr_assert_eq(dpsctp_packet_parse(r->b, r->len, &r->pi), 0, "the engine sent a bad packet");
	cr_assert_eq(r->pi.hdr.src_port, EP_PORT);
	cr_assert_eq(r->pi.hdr.dst_port, PEER_PORT);
	return true;
}

static inline void
expect_silence(void)
{
	struct rx r;

	cr_assert(!take(&r),
		"unexpected packet: %zu bytes, first chunk %u (%s), %u chunks, vtag %#x", r.len,
		r.pi.first_type, dpsctp_chunk_name(r.pi.first_type), r.pi.nchunks, r.pi.hdr.vtag);
}

/* Send nothing out: throw away every packet the endpoint has for now; how many there were. */
static inline unsigned int
drain(void)
{
	struct rx r;
	unsigned int n = 0;

	while (take(&r))
		n++;
	return n;
}

/* A chunk of @p type in @p r. */
static inline bool
find_chunk(const struct rx *r, uint8_t type, struct dpsctp_chunk *out)
{
	const uint8_t *p = r->pi.chunks;
	struct dpsctp_chunk c;

	while (dpsctp_chunk_next(&p, r->pi.end, &c) == 1) {
		if (c.type == type) {
			*out = c;
			return true;
		}
	}
	return false;
}

/* Take the next packet (into rx); it must start with a chunk of @p type, sent to the peer. */
static inline struct dpsctp_chunk
take_first(uint8_t type)
{
	struct dpsctp_chunk c;
	const uint8_t *p;

	cr_assert(take(&rx), "no packet, expected %s", dpsctp_chunk_name(type));
	p = rx.pi.chunks;
	cr_assert_eq(dpsctp_chunk_next(&p, rx.pi.end, &c), 1);
	cr_assert_eq(c.type, type, "first chunk %u (%s), expected %s", c.type,
		dpsctp_chunk_name(c.type), dpsctp_chunk_name(type));
	cr_assert_eq(rx.path.remote.family, 4);
	cr_assert_arr_eq(rx.path.remote.bytes, peer_addr.bytes, 4);
	cr_assert_arr_eq(rx.path.local.bytes, ep_addr.bytes, 4);
	return c;
}

static inline bool
find_tlv(const uint8_t *region, size_t len, uint16_t type, struct dpsctp_tlv *out)
{
	const uint8_t *p = region;
	struct dpsctp_tlv t;

	while (dpsctp_tlv_next(&p, region + len, &t) == 1) {
		if (t.type == type) {
			*out = t;
			return true;
		}
	}
	return false;
}

/* The DATA chunks of @p r, decoded (payloads point into @p r); how many. */
static inline unsigned int
data_chunks(const struct rx *r, struct dpsctp_data *out, unsigned int max)
{
	const uint8_t *p = r->pi.chunks;
	struct dpsctp_chunk c;
	unsigned int n = 0;

	while (dpsctp_chunk_next(&p, r->pi.end, &c) == 1) {
		if (c.type != DPSCTP_CHUNK_DATA)
			continue;
		cr_assert_lt(n, max, "more DATA chunks than expected");
		cr_assert_eq(dpsctp_data_decode(&c, &out[n]), 0);
		n++;
	}
	return n;
}

/* The SACK of @p r, decoded; false when it has none. */
static inline bool
sack_of(const struct rx *r, struct dpsctp_sack *s)
{
	struct dpsctp_chunk c;

	if (!find_chunk(r, DPSCTP_CHUNK_SACK, &c))
		return false;
	cr_assert_eq(dpsctp_sack_decode(&c, s), 0);
	return true;
}

/* The ABORT at the start of the next packet: the peer's tag, T bit clear; its first cause. */
static inline uint16_t
take_abort_cause(struct dpsctp_tlv *cause)
{
	struct dpsctp_chunk c = take_first(DPSCTP_CHUNK_ABORT);
	struct dpsctp_abort ab;
	const uint8_t *p;

	cr_assert_eq(dpsctp_abort_decode(&c, &ab), 0);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG, "ABORT vtag %#x", rx.pi.hdr.vtag);
	cr_assert(!ab.t, "ABORT with the T bit");
	p = ab.causes;
	if (dpsctp_tlv_next(&p, ab.causes + ab.causes_len, cause) != 1)
		return 0;
	return cause->type;
}

/* ---- the association ---- */

static uint32_t ep_tag; /* the endpoint's Initiate Tag (from its INIT ACK) */
static uint32_t ep_tsn; /* the endpoint's initial TSN */
static uint8_t cookie[4096];
static size_t cookie_len;

/* The peer's INIT (peer_itsn, peer_arwnd) to the endpoint. */
static inline void
send_init(uint32_t init_tag, uint16_t os, uint16_t mis)
{
	start(0);
	end_chunk(begin_init(init_tag, os, mis));
	inject();
}

/* Take the INIT ACK that answers an INIT; keep its tag, TSN and cookie. */
static inline struct dpsctp_init
take_init_ack(void)
{
	struct dpsctp_chunk c = take_first(DPSCTP_CHUNK_INIT_ACK);
	struct dpsctp_init ia;
	struct dpsctp_tlv t;

	cr_assert_eq(dpsctp_init_ack_decode(&c, &ia), 0);
	cr_assert(find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_STATE_COOKIE, &t),
		"INIT ACK without a State Cookie");
	cr_assert_leq(dpsctp_tlv_value_len(&t), sizeof(cookie));
	cookie_len = dpsctp_tlv_value_len(&t);
	memcpy(cookie, t.value, cookie_len);
	ep_tag = ia.init_tag;
	ep_tsn = ia.initial_tsn;
	return ia;
}

/* The peer echoes the cookie kept by take_init_ack(). */
static inline int
send_cookie_echo(uint32_t vtag)
{
	struct dpsctp_cookie_echo ce = {.cookie = cookie, .cookie_len = cookie_len};

	start(vtag);
	cr_assert_eq(dpsctp_cookie_echo_build(&tx, &ce), 0);
	return inject();
}

/*
 * The four-way handshake with the test as the active side (the INIT says peer_itsn,
 * peer_arwnd, peer_os, peer_mis); returns the new association, in ESTABLISHED.
 */
static inline struct dpsctp_assoc *
establish(void)
{
	const struct ev_rec *up;
	struct dpsctp_assoc *a;

	send_init(PEER_TAG, peer_os, peer_mis);
	take_init_ack();
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	expect_silence();
	up = find_assoc_change(DPSCTP_EV_COMM_UP);
	cr_assert_not_null(up, "no COMM_UP");
	a = dpsctp_endpoint_assoc_by_id(g_ep, up->assoc_id);
	cr_assert_not_null(a);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
	return a;
}

static struct dpsctp_assoc *g_a; /* the association of up() */

/* An endpoint with @p cfg (NULL: config()) and an established association, g_a. */
static inline void
up(const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_proto_config def = config();

	make_ep(true, cfg != NULL ? cfg : &def);
	g_a = establish();
}

/* ---- data from the peer ---- */

/* Append a DATA chunk to the packet being built. */
static inline void
add_data(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags, uint32_t ppid,
	const void *payload, size_t len)
{
	struct dpsctp_data d = {
		.flags = flags,
		.tsn = tsn,
		.sid = sid,
		.ssn = ssn,
		.ppid = ppid,
		.payload = payload,
		.payload_len = len,
	};

	cr_assert_eq(dpsctp_data_build(&tx, &d), 0);
}

/* A packet with one whole (B and E) ordered message of @p len bytes of @p fill on @p sid. */
static inline int
peer_data(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t extra_flags, size_t len, uint8_t fill)
{
	static uint8_t buf[DPSCTP_MAX_PACKET];

	cr_assert_leq(len, sizeof(buf));
	memset(buf, fill, len);
	start(ep_tag);
	add_data(tsn, sid, ssn, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E | extra_flags, 0, buf, len);
	return inject();
}

/* A SACK from the peer. */
static inline int
peer_sack(uint32_t cum, uint32_t a_rwnd, const struct dpsctp_gap_block *gaps, uint16_t ngaps,
	const uint32_t *dups, uint16_t ndups)
{
	start(ep_tag);
	cr_assert_eq(dpsctp_sack_build(&tx, cum, a_rwnd, gaps, ngaps, dups, ndups), 0);
	return inject();
}

/* ---- data to the peer ---- */

/* Queue a message of @p len bytes (byte i is (fill + i) & 0xff). */
static inline int
send_msg(struct dpsctp_assoc *a, uint16_t sid, uint16_t flags, uint32_t context, size_t len,
	uint8_t fill)
{
	static uint8_t buf[65536];
	struct dpsctp_sndinfo si = {.sid = sid, .flags = flags, .ppid = 0, .context = context};
	size_t i;

	cr_assert_leq(len, sizeof(buf));
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(fill + i);
	return dpsctp_assoc_send(a, &si, buf, len, t_now);
}

/* ---- time ---- */

/* Move the clock to @p t and run the timers due. */
static inline void
expire_at(uint64_t t)
{
	t_now = t;
	dpsctp_endpoint_expire(g_ep, t_now);
}

static inline uint64_t
next_deadline(void)
{
	return dpsctp_endpoint_next_deadline(g_ep);
}

static inline struct dpsctp_path_info
path_info(const struct dpsctp_assoc *a)
{
	struct dpsctp_path_info pi;

	dpsctp_assoc_path_info(a, &pi);
	return pi;
}

#endif /* DPSCTP_TESTS_UNIT_EP_HARNESS_H */
