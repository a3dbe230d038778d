/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the worker's side of an application session (dataplane/appq.c and app.c)
 * driven by a hostile application. The input is a script of what the application does to its
 * shared memory: honest requests (every op, sane and insane payloads), raw descriptors with any
 * offsets and lengths, producer indices jumping backwards and forwards, consumer indices of the
 * deliveries channel corrupted, reading (or not) what the worker produced, sleeping; and of what
 * control does to the slots (CLOSING, a new gen) and the session (DEAD).
 *
 * The worker is real app.c / service.c code on a hand-made struct dp_worker (no EAL: no mbufs,
 * no lcores): two application endpoints on 127.0.0.1 (one listening) of one session, a third slot
 * of another session, and a little wire that carries what an endpoint outputs to the endpoint
 * of its destination port, so ASSOCIATE, SEND and deliveries really happen.
 *
 * Invariants: no crash, nothing out of bounds (ASan); the session is marked broken only after
 * the script broke the ring protocol, and exactly when a raw descriptor or a prod jump broke it;
 * everything the worker writes for the application is well-formed (in bounds, known op); the
 * DATA bytes the worker holds against windows waiting for a CONSUMED never exceed what it put
 * into the channel (CONSUMED of any amount, for any association, cannot inflate a window).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ring.h>

#include "app.h"
#include "appq.h"
#include "msg.h"
#include "service.h"
#include "stack.h"
#include "worker.h"

#define RING 16
#define DATA 4096
#define NSLOTS 3
#define MAX_STEPS 400

/* The script reader. */
struct script {
	const uint8_t *p;
	size_t n;
};

static uint8_t
u8(struct script *s)
{
	if (s->n == 0)
		return 0;
	s->n--;
	return *s->p++;
}

static uint16_t
u16(struct script *s)
{
	return (uint16_t)(u8(s) | u8(s) << 8);
}

static uint32_t
u32(struct script *s)
{
	return (uint32_t)u16(s) | (uint32_t)u16(s) << 16;
}

struct harness {
	struct dp_stack *s;
	struct dp_worker *w;
	uint8_t *shm;
	struct rte_ring *ctrl_ring;
	struct dpsctp_chan *tw, *ta; /* app -> worker 0, worker 0 -> app */
	/* the application's own indices */
	uint32_t prod, data_prod; /* producer of requests */
	uint32_t acons;           /* consumer of deliveries */
	uint32_t req;
	uint32_t ids[16]; /* association ids learned */
	unsigned int nids;
	bool bad_in, bad_out; /* the script broke the protocol of that channel */
	uint64_t steps;
	uint64_t data_seen;       /* DATA bytes read from the deliveries channel */
	uint64_t data_unreported; /* of them, not reported read by a CONSUMED yet */
};

/* An invariant broken: say which one (the replay shows it), then crash for libFuzzer. */
#define abort_if(cond)                                                                        \
	do {                                                                                  \
		if (cond) {                                                                   \
			fprintf(stderr, "fuzz_appq: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                              \
		}                                                                             \
	} while (0)

static const struct dpsctp_addr lo4 = {.family = 4, .bytes = {127, 0, 0, 1}};

static void
slot_fill(struct dp_service *sv, uint16_t port, bool listen, int session)
{
	memset(sv, 0, sizeof(*sv));
	sv->kind = DP_SVC_APP;
	sv->port = port;
	sv->addrs[0] = lo4;
	sv->naddrs = 1;
	sv->listen = listen;
	sv->session = session;
	dpsctp_proto_config_default(&sv->proto);
	sv->proto.rcv_app_window = true;
	sv->proto.sndbuf = 8192; /* small: parking and gathering limits are reached */
	sv->proto.a_rwnd = 4096;
	sv->state = DP_SLOT_OPEN;
}

static bool
h_init(struct harness *h)
{
	size_t shm_size = dpsctp_shm_size(1, RING, DATA);
	ssize_t rsz = rte_ring_get_memsize_elem(sizeof(struct dp_msg), 64);
	struct dp_session *ss;

	memset(h, 0, sizeof(*h));
	h->s = aligned_alloc(64, (sizeof(*h->s) + 63) & ~(size_t)63);
	h->w = aligned_alloc(64, (sizeof(*h->w) + 63) & ~(size_t)63);
	h->shm = aligned_alloc(4096, (shm_size + 4095) & ~(size_t)4095);
	h->ctrl_ring = rsz > 0 ? aligned_alloc(64, ((size_t)rsz + 63) & ~(size_t)63) : NULL;
	if (h->s == NULL || h->w == NULL || h->shm == NULL || h->ctrl_ring == NULL)
		return false;
	memset(h->s, 0, sizeof(*h->s));
	memset(h->w, 0, sizeof(*h->w));
	memset(h->shm, 0, shm_size);
	if (rte_ring_init(h->ctrl_ring, "fuzz_appq", 64, RING_F_SP_ENQ | RING_F_SC_DEQ) != 0)
		return false;
	h->s->nworkers = 1;
	h->s->loopback[0] = lo4;
	h->s->nloopback = 1;
	dp_stack_index_addrs(h->s); /* as stack set-up does once the addresses are known */
	h->s->to_ctrl_msg[0] = h->ctrl_ring;
	dpsctp_proto_config_default(&h->s->proto);
	slot_fill(&h->s->services[0], 1000, false, 0);
	slot_fill(&h->s->services[1], 2000, true, 0);
	slot_fill(&h->s->services[2], 3000, true, 1); /* another session's */
	h->s->nservices = NSLOTS;
	/* the mapping is page-aligned and channels start at page-aligned offsets */
	h->tw = (void *)(h->shm + dpsctp_shm_chan_off(0, DPSCTP_CHAN_TO_WORKER, RING, DATA));
	h->ta = (void *)(h->shm + dpsctp_shm_chan_off(0, DPSCTP_CHAN_TO_APP, RING, DATA));
	ss = &h->s->sessions[0];
	ss->base = h->shm;
	ss->size = shm_size;
	ss->to_worker[0] = h->tw;
	ss->to_app[0] = h->ta;
	ss->ring_entries = RING;
	ss->data_bytes = DATA;
	ss->efd = -1;
	ss->state = DP_SESSION_LIVE;
	h->w->s = h->s;
	h->w->id = 0;
	h->w->now = 1000 * DPSCTP_MS;
	dp_twheel_init(&h->w->wheel, 20, h->w->now);
	dp_app_worker_init(h->w);
	return true;
}

static void
h_fini(struct harness *h)
{
	unsigned int i, k;

	if (h->w != NULL) {
		h->w->app_stopped = true;
		for (i = 0; i < DP_MAX_SERVICES; i++)
			if (h->w->eps[i].ep != NULL)
				dpsctp_endpoint_destroy(h->w->eps[i].ep);
		for (i = 0; i < 2; i++)
			for (k = 0; k < h->w->ngrave[i]; k++)
				dpsctp_endpoint_destroy(h->w->grave[i][k]);
		dp_app_worker_fini(h->w);
		free(h->w->actx);
	}
	free(h->w);
	free(h->s);
	free(h->shm);
	free(h->ctrl_ring);
}

/* ---- the wire: what an endpoint outputs goes to the endpoint of its destination port ---- */

static int
slot_of_port(struct harness *h, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		if (h->s->services[i].port == port &&
			__atomic_load_n(&h->s->services[i].state, __ATOMIC_ACQUIRE) != DP_SLOT_FREE)
			return (int)i;
	return -1;
}

static void
wire(struct harness *h)
{
	static uint8_t pkt[32][DPSCTP_MAX_PACKET];
	struct dpsctp_path paths[32];
	size_t lens[32];
	unsigned int n = 0, i, k;

	for (i = 0; i < NSLOTS; i++) {
		struct dp_ep *e = &h->w->eps[i];

		if (e->ep == NULL)
			continue;
		while (n < 32) {
			lens[n] = dpsctp_endpoint_output(
				e->ep, pkt[n], sizeof(pkt[n]), &paths[n], h->w->now);
			if (lens[n] == 0)
				break;
			n++;
		}
		e->dirty = false;
	}
	/* every endpoint was just settled: the worker's list of touched ones starts again */
	for (k = 0; k < h->w->ndirty; k++)
		h->w->queued[h->w->dirtyq[k]] = 0;
	h->w->ndirty = 0;
	for (k = 0; k < n; k++) {
		int svc;
		struct dp_ep *e;
		struct dpsctp_path back = {.local = paths[k].remote, .remote = paths[k].local};

		if (lens[k] < 12)
			continue;
		svc = slot_of_port(h, (uint16_t)(pkt[k][2] << 8 | pkt[k][3]));
		if (svc < 0)
			continue;
		e = dp_app_slot_ep(h->w, (unsigned int)svc);
		if (e == NULL)
			continue;
		(void)dpsctp_endpoint_input(e->ep, pkt[k], lens[k], &back, h->w->now);
	}
}

/* One loop of the worker, as worker.c runs it (minus ports and mbufs). */
static void
step(struct harness *h, uint64_t dt)
{
	struct dp_worker *w = h->w;
	unsigned int i;

	w->now += dt;
	h->steps++;
	dp_app_poll(w);
	if (w->busy != NULL)
		dp_service_run(w);
	for (i = 0; i < NSLOTS; i++) {
		struct dp_ep *e = &w->eps[i];

		if (e->ep != NULL && dpsctp_endpoint_next_deadline(e->ep) <= w->now)
			dpsctp_endpoint_expire(e->ep, w->now);
	}
	wire(h);
	if (w->busy != NULL)
		dp_service_run(w);
	dp_app_flush(w);
	if (h->steps % 16 == 0)
		dp_app_housekeeping(w);
	/* control would read these; here they are dropped */
	{
		struct dp_msg m[8];

		while (rte_ring_sc_dequeue_burst_elem(h->ctrl_ring, m, sizeof(m[0]), 8, NULL) != 0)
			;
	}
}

/* ---- the application ---- */

static struct dp_app_sess *
sess(struct harness *h)
{
	return &h->w->app[0];
}

/* Publish a request the honest way. @return false when there is no room. */
static bool
app_put(struct harness *h, struct dpsctp_desc *d, const void *payload, uint32_t len)
{
	uint32_t cons = dpsctp_load_acquire(&h->tw->ctl.cons);
	uint32_t dcons = dpsctp_load_acquire(&h->tw->ctl.data_cons);
	uint32_t dp = h->data_prod;
	int64_t off;

	if (h->prod - cons >= RING)
		return false;
	off = dpsctp_chan_reserve(&dp, dcons, DATA, len);
	if (off < 0)
		return false;
	if (len != 0)
		memcpy(dpsctp_chan_data(h->tw, RING) + off, payload, len);
	d->off = (uint32_t)off;
	d->len = len;
	d->data_end = dp;
	h->data_prod = dp;
	h->tw->desc[h->prod & (RING - 1)] = *d;
	h->prod++;
	dpsctp_store_release(&h->tw->ctl.prod, h->prod);
	return true;
}

static void
honest_request(struct harness *h, struct script *s)
{
	uint8_t buf[DATA / 2];
	struct dpsctp_desc d;
	uint32_t len;
	uint8_t pick;

	memset(&d, 0, sizeof(d));
	d.op = (uint16_t)(u8(s) % 14);
	d.flags = u8(s);
	d.svc = u8(s) % 4;
	pick = u8(s);
	d.assoc_id = h->nids != 0 && pick < 200 ? h->ids[pick % h->nids] : u32(s);
	d.req = ++h->req;
	d.sid = u8(s) % 12;
	d.ppid = u8(s);
	d.context = h->req;
	len = u16(s) % (DATA / 2 + 1);
	memset(buf, (int)d.req, len);
	switch (d.op) {
	case DPSCTP_OP_ASSOCIATE: {
		struct dpsctp_abi_connect cn;

		memset(&cn, 0, sizeof(cn));
		cn.peer_port = (u8(s) & 1) ? 2000 : (uint16_t)(1000 + u8(s) % 4 * 1000);
		cn.os = u8(s) % 20;
		cn.max_attempts = u8(s) % 4;
		cn.max_init_timeo_ms = u8(s) * 10u;
		cn.npeers = 1 + u8(s) % 2;
		cn.peers[0].family = 4;
		memcpy(cn.peers[0].bytes, lo4.bytes, 4);
		cn.peers[1].family = u8(s) % 8; /* sometimes a bad one */
		memcpy(buf, &cn, sizeof(cn));
		if (len > sizeof(cn) || u8(s) < 200)
			len = sizeof(cn);
		break;
	}
	case DPSCTP_OP_CONSUMED: {
		/* mostly what was read (maybe for the wrong association), sometimes anything */
		uint8_t how = u8(s);

		if (how < 160) {
			d.arg = (uint32_t)h->data_unreported;
			h->data_unreported = 0;
		} else if (how < 224) {
			d.arg = u16(s);
		} else {
			d.arg = UINT32_MAX;
		}
		if (u8(s) < 200)
			len = 0; /* no payload, as the library sends it */
		break;
	}
	case DPSCTP_OP_SET_CFG: {
		struct dpsctp_abi_cfg ac;

		memset(&ac, 0, sizeof(ac));
		ac.mask = u32(s);
		ac.rto_initial_ms = u16(s);
		ac.rto_min_ms = u16(s);
		ac.rto_max_ms = u16(s);
		ac.sack_delay_ms = u16(s);
		ac.sndbuf = u32(s);
		ac.a_rwnd = u32(s);
		ac.maxseg = u16(s);
		ac.max_burst = u8(s);
		memcpy(buf, &ac, sizeof(ac));
		if (len > sizeof(ac) || u8(s) < 200)
			len = sizeof(ac);
		break;
	}
	case DPSCTP_OP_SET_PRIMARY:
	case DPSCTP_OP_SET_PADDR:
	case DPSCTP_OP_GET_PADDR: {
		struct dpsctp_abi_paddr pp;

		memset(&pp, 0, sizeof(pp));
		pp.addr.family = u8(s) % 3 == 0 ? 0 : 4;
		memcpy(pp.addr.bytes, lo4.bytes, 4);
		pp.addr.bytes[3] = (uint8_t)(1 + u8(s) % 2);
		pp.flags = u8(s);
		pp.hb_interval_ms = u16(s);
		pp.path_max_retrans = u8(s);
		pp.pf_threshold = u8(s);
		pp.pathmtu = u16(s);
		pp.set_thresholds = u8(s) & 1;
		memcpy(buf, d.op == DPSCTP_OP_SET_PRIMARY ? (void *)&pp.addr : (void *)&pp,
			d.op == DPSCTP_OP_SET_PRIMARY ? sizeof(pp.addr) : sizeof(pp));
		if (u8(s) < 200)
			len = d.op == DPSCTP_OP_SET_PRIMARY ? sizeof(pp.addr) : sizeof(pp);
		break;
	}
	default:
		break;
	}
	if (!app_put(h, &d, buf, len))
		step(h, 1000);
}

/* Wait until the worker took everything published (or cannot: broken, too much queued). */
static void
drain_in(struct harness *h)
{
	unsigned int k;

	for (k = 0; k < 8 && !sess(h)->in.broken && sess(h)->in.cons != h->prod; k++)
		step(h, 1000);
}

static void
raw_desc(struct harness *h, struct script *s)
{
	struct dpsctp_desc d;
	uint32_t data_cons, before;
	bool bad;

	drain_in(h);
	if (sess(h)->in.broken || sess(h)->in.cons != h->prod || !sess(h)->live)
		return;
	memset(&d, 0, sizeof(d));
	d.op = (uint16_t)(u8(s) % 14);
	d.flags = u8(s);
	d.svc = u8(s) % 4;
	d.assoc_id = h->nids != 0 ? h->ids[u8(s) % h->nids] : u32(s);
	/* offsets and lengths anywhere, around the edges */
	switch (u8(s) % 4) {
	case 0:
		d.off = u32(s);
		d.len = u32(s);
		d.data_end = u32(s);
		break;
	case 1:
		d.off = DATA - u8(s);
		d.len = u8(s);
		d.data_end = h->data_prod + d.len + (u8(s) % 2);
		break;
	case 2:
		d.off = h->data_prod & (DATA - 1);
		d.len = u16(s) % (DATA + 2);
		d.data_end = h->data_prod + d.len;
		break;
	default:
		d.off = u16(s) % DATA;
		d.len = u16(s) % DATA;
		d.data_end = h->data_prod + (uint32_t)(int32_t)(int16_t)u16(s);
		break;
	}
	data_cons = sess(h)->in.data_cons;
	bad = !dpsctp_chan_desc_ok(&d, data_cons, DATA);
	h->tw->desc[h->prod & (RING - 1)] = d;
	h->prod++;
	dpsctp_store_release(&h->tw->ctl.prod, h->prod);
	if (!bad)
		h->data_prod = d.data_end; /* what the worker's data index becomes */
	else
		h->bad_in = true;
	before = sess(h)->in.cons;
	step(h, 1000);
	/*
	 * taken now (nothing else was waiting): broken exactly when the descriptor was bad (unless
	 * the deliveries channel, corrupted before, broke the session meanwhile)
	 */
	if (sess(h)->live && !h->bad_out && (sess(h)->in.cons != before || sess(h)->in.broken))
		abort_if(sess(h)->in.broken != bad);
}

static void
prod_jump(struct harness *h, struct script *s)
{
	int32_t delta = (int8_t)u8(s);
	uint32_t prod;
	bool bad;

	drain_in(h);
	if (sess(h)->in.broken || sess(h)->in.cons != h->prod || !sess(h)->live)
		return;
	if (u8(s) & 1)
		delta *= 1024 * 1024;
	prod = h->prod + (uint32_t)delta;
	if (delta == 0)
		return;
	/* ahead by at most a ring is no violation: the worker takes the descriptors there */
	bad = !dpsctp_chan_prod_ok(prod, sess(h)->in.cons, RING);
	dpsctp_store_release(&h->tw->ctl.prod, prod);
	if (bad) {
		h->bad_in = true;
		step(h, 1000);
		if (sess(h)->live)
			abort_if(!sess(h)->in.broken);
		return;
	}
	/* stale descriptors from an earlier lap: whatever they say, judged one by one */
	h->bad_in = true;
	h->prod = prod;
}

/* Read up to @p k deliveries, checking their form. */
static void
consume(struct harness *h, unsigned int k)
{
	while (k-- > 0) {
		uint32_t prod = dpsctp_load_acquire(&h->ta->ctl.prod);
		struct dpsctp_desc d;
		const uint8_t *p;

		if (prod == h->acons)
			return;
		if (!h->bad_out)
			abort_if((uint32_t)(prod - h->acons) > RING);
		d = h->ta->desc[h->acons & (RING - 1)];
		p = dpsctp_chan_data(h->ta, RING) + (d.off & (DATA - 1));
		if (!h->bad_out) {
			abort_if(d.off >= DATA || d.len > DATA - d.off || d.len > DATA / 2);
			abort_if(d.op < DPSCTP_OP_DATA || d.op > DPSCTP_OP_CREDIT);
			if (d.op == DPSCTP_OP_NOTIFY) {
				struct dpsctp_abi_event ev;

				abort_if(d.len < sizeof(ev));
				memcpy(&ev, p, sizeof(ev));
				abort_if(ev.data_len != d.len - sizeof(ev));
			}
			if (d.op == DPSCTP_OP_DATA) {
				h->data_seen += d.len;
				h->data_unreported += d.len;
			}
			if (d.op == DPSCTP_OP_REPLY && d.result == 0 && d.assoc_id != 0 &&
				h->nids < 16)
				h->ids[h->nids++] = d.assoc_id;
			if (d.op == DPSCTP_OP_NOTIFY && d.assoc_id != 0 && h->nids < 16) {
				unsigned int i;
				bool known = false;

				for (i = 0; i < h->nids; i++)
					known |= h->ids[i] == d.assoc_id;
				if (!known)
					h->ids[h->nids++] = d.assoc_id;
			}
		}
		h->acons++;
		dpsctp_store_release(&h->ta->ctl.data_cons, d.data_end);
		dpsctp_store_release(&h->ta->ctl.cons, h->acons);
	}
}

static void
cons_corrupt(struct harness *h, struct script *s)
{
	uint32_t c = h->acons + (uint32_t)(int32_t)(int8_t)u8(s);
	uint32_t dc =
		dpsctp_load_acquire(&h->ta->ctl.data_cons) + (uint32_t)(int32_t)(int16_t)u16(s);

	h->bad_out = true;
	dpsctp_store_release(&h->ta->ctl.data_cons, dc);
	dpsctp_store_release(&h->ta->ctl.cons, c);
	h->acons = c;
}

/* Control changes a slot under its seqlock. */
static void
slot_update(struct harness *h, struct script *s)
{
	struct dp_service *sv = &h->s->services[u8(s) % NSLOTS];
	uint8_t what = u8(s);

	__atomic_store_n(&sv->gen, sv->gen + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sv->listen = (what & 1) != 0;
	sv->proto.sack_delay = (what & 2) ? 0 : 200 * DPSCTP_MS;
	sv->naddrs = (what & 4) ? 0 : 1; /* none: ignored by the worker */
	sv->linger_abort = (what & 8) != 0;
	__atomic_store_n(&sv->gen, sv->gen + 1, __ATOMIC_RELEASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = {data, size};
	struct harness h;
	unsigned int ops = 0;

	if (!h_init(&h)) {
		h_fini(&h);
		return 0;
	}
	while (s.n != 0 && ops++ < 200 && h.steps < MAX_STEPS) {
		uint8_t op = u8(&s);

		switch (op % 12) {
		case 0:
		case 1:
		case 2:
			honest_request(&h, &s);
			break;
		case 3:
			raw_desc(&h, &s);
			break;
		case 4:
			prod_jump(&h, &s);
			break;
		case 5:
		case 6:
			consume(&h, 1 + u8(&s) % 32);
			break;
		case 7:
			cons_corrupt(&h, &s);
			break;
		case 8: {
			unsigned int n = 1 + u8(&s) % 8;

			while (n-- > 0)
				step(&h, (uint64_t)u8(&s) * DPSCTP_MS);
			break;
		}
		case 9:
			h.ta->ctl.consumer_waiting = u8(&s) & 1;
			break;
		case 10: {
			uint8_t v = u8(&s);

			if (v < 64)
				__atomic_store_n(&h.s->services[v % NSLOTS].state, DP_SLOT_CLOSING,
					__ATOMIC_RELEASE);
			else if (v < 80)
				__atomic_store_n(
					&h.s->sessions[0].state, DP_SESSION_DEAD, __ATOMIC_RELEASE);
			else
				slot_update(&h, &s);
			break;
		}
		default:
			step(&h, (uint64_t)u16(&s) * DPSCTP_MS); /* timers: up to a minute */
			break;
		}
	}
	/* let it settle: what the application reads and what the worker queued */
	for (ops = 0; ops < 32; ops++) {
		consume(&h, RING);
		step(&h, 10 * DPSCTP_MS);
	}
	if (!h.bad_in)
		abort_if(h.w->app[0].in.broken && !h.bad_out);
	if (!h.bad_out)
		abort_if(h.w->app[0].out.broken && !h.bad_in);
	if (!h.bad_in && !h.bad_out)
		abort_if(h.s->sessions[0].broken != 0);
	consume(&h, RING); /* the channel empty: what the worker holds was read by us */
	if (!h.bad_out) {
		uint64_t held = 0;
		unsigned int i;

		for (i = 0; i < h.w->nactx; i++)
			if (h.s->services[h.w->actx[i]->e->svc].session == 0)
				held += h.w->actx[i]->app.delivered_unconsumed;
		abort_if(held > h.data_seen);
	}
	if (getenv("FUZZ_APPQ_DEBUG") != NULL)
		fprintf(stderr,
			"steps %" PRIu64 " reqs %" PRIu64 " bad %" PRIu64 " parked %" PRIu64
			" queued %" PRIu64 " msgs in %" PRIu64 " assocs %u ids %u broken %u/%u\n",
			h.steps, h.w->st.app_reqs, h.w->st.app_bad_reqs, h.w->st.app_parked,
			h.w->st.app_queued, h.w->st.svc_msgs_in, h.w->nactx, h.nids,
			h.w->app[0].in.broken, h.w->app[0].out.broken);
	h_fini(&h);
	return 0;
}
