/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker's side of applications: slots, sessions, requests, deliveries (see app.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abicfg.h"
#include "app.h"
#include "service.h"
#include "steer.h"
#include "worker.h"

/** A descriptor for the application waiting for room in its channel (a private copy). */
struct dp_app_item {
	struct dp_app_item *next;
	struct dpsctp_desc d;
	bool consume;   /* DATA: held against the window until the application says it read it */
	uint8_t data[]; /* d.len bytes */
};

/** A SEND message the worker holds: parked (engine buffer full) or being gathered (MORE). */
struct dp_app_send {
	struct dp_app_send *next;
	struct dpsctp_sndinfo si;
	uint16_t flags; /* the descriptor's: EOF, REPLY */
	uint32_t svc, req;
	size_t len, cap;
	uint8_t data[];
};

/* Descriptors queued privately per session before requests are no longer taken from it. */
#define PEND_MAX_ITEMS 4096
/* Notification bytes queued privately per session before new ones are dropped. */
#define PEND_MAX_BYTES (16u << 20)
/* A CLOSING endpoint whose associations do not end is released anyway after this long. */
#define CLOSE_MAX_NS (120ull * 1000 * DPSCTP_MS)
/* Default send buffer, when the configuration says nothing (engine default). */
#define SNDBUF_DEFAULT 262144u

static inline uint32_t
ld_acq(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
set_bit(uint32_t *mask, unsigned int bit)
{
	if ((__atomic_load_n(mask, __ATOMIC_RELAXED) & (1u << bit)) == 0)
		(void)__atomic_fetch_or(mask, 1u << bit, __ATOMIC_RELEASE);
}

static void
addr_to_abi(const struct dpsctp_addr *a, struct dpsctp_abi_addr *o)
{
	memset(o, 0, sizeof(*o));
	o->family = a->family;
	memcpy(o->bytes, a->bytes, 16);
}

static bool
addr_from_abi(const struct dpsctp_abi_addr *a, struct dpsctp_addr *o)
{
	memset(o, 0, sizeof(*o));
	if (a->family != 4 && a->family != 6)
		return false;
	o->family = a->family;
	memcpy(o->bytes, a->bytes, a->family == 4 ? 4 : 16);
	return true;
}

/* ---- sessions ---- */

static void
sess_pend_free(struct dp_app_sess *as)
{
	struct dp_app_item *it, *next;

	for (it = as->pend_head; it != NULL; it = next) {
		next = it->next;
		free(it);
	}
	as->pend_head = as->pend_tail = NULL;
	as->npend = 0;
	as->pend_bytes = 0;
}

/*
 * @p len delivered bytes of association @p id of slot @p svc will never be reported read:
 * reopen the window after input (we may be inside an upcall here: emit -> sess_break).
 */
static void
held_release(struct dp_worker *w, uint32_t svc, uint32_t id, uint64_t len)
{
	struct dpsctp_assoc *a;
	struct dp_assoc_ctx *c;
	struct dp_ep *e;

	if (svc >= DP_MAX_SERVICES || len == 0)
		return;
	e = &w->eps[svc];
	a = e->ep != NULL ? dpsctp_endpoint_assoc_by_id(e->ep, id) : NULL;
	c = a != NULL ? dp_service_ctx_get(e, a) : NULL;
	if (c == NULL)
		return;
	c->app.consume += len;
	dp_service_busy_add(w, c);
}

/*
 * Session @p si reads nothing any more (broken, gone): what it held against windows, in its
 * channel or queued here, reopens, so that the peers of its associations are not stalled while
 * those end (a graceful SHUTDOWN waits for the peer's data to go). Then its queue is freed.
 */
static void
sess_release(struct dp_worker *w, unsigned int si)
{
	struct dp_app_sess *as = &w->app[si];
	struct dp_app_item *it;
	unsigned int i;

	for (it = as->pend_head; it != NULL; it = it->next)
		if (it->consume)
			held_release(w, it->d.svc, it->d.assoc_id, it->d.len);
	for (i = 0; i < w->nactx; i++) {
		struct dp_assoc_ctx *c = w->actx[i];

		if (c->app.delivered_unconsumed == 0 ||
			w->s->services[c->e->svc].session != (int)si)
			continue;
		c->app.consume += c->app.delivered_unconsumed;
		c->app.delivered_unconsumed = 0;
		dp_service_busy_add(w, c);
	}
	sess_pend_free(as);
}

/* The application broke the ring protocol: never touch its channels again; control closes it. */
static void
sess_break(struct dp_worker *w, unsigned int si)
{
	struct dp_app_sess *as = &w->app[si];

	if (!as->in.broken || !as->out.broken)
		w->st.app_broken++;
	as->in.broken = true;
	as->out.broken = true;
	sess_release(w, si);
	__atomic_store_n(&w->s->sessions[si].broken, 1, __ATOMIC_RELEASE);
}

static void
sess_attach(struct dp_worker *w, unsigned int si)
{
	struct dp_session *ss = &w->s->sessions[si];
	struct dp_app_sess *as = &w->app[si];

	memset(as, 0, sizeof(*as));
	as->live = true;
	w->app_any = true;
	if (dp_appq_in_init(&as->in, ss->to_worker[w->id], ss->ring_entries, ss->data_bytes) != 0 ||
		dp_appq_out_init(&as->out, ss->to_app[w->id], ss->ring_entries, ss->data_bytes) !=
			0) {
		as->in.broken = true;
		as->out.broken = true;
	}
}

static void
sess_detach(struct dp_worker *w, unsigned int si)
{
	struct dp_app_sess *as = &w->app[si];

	sess_release(w, si);
	memset(as, 0, sizeof(*as));
	set_bit(&w->s->sessions[si].gone_mask, w->id);
}

/* Follow the sessions' states: attach new ones, let go of dead ones. */
static void
sess_scan(struct dp_worker *w)
{
	unsigned int si;
	bool any = false;

	for (si = 0; si < DP_MAX_SESSIONS; si++) {
		struct dp_session *ss = &w->s->sessions[si];
		uint32_t st = ld_acq(&ss->state);

		if (st == DP_SESSION_LIVE && !w->app[si].live)
			sess_attach(w, si);
		else if (st != DP_SESSION_LIVE && w->app[si].live)
			sess_detach(w, si);
		else if (st == DP_SESSION_DEAD)
			set_bit(&ss->gone_mask, w->id); /* never attached here: gone all the same */
		any |= w->app[si].live;
	}
	w->app_any = any;
}

/* The session owning slot @p svc as this worker sees it, usable for output; NULL: none. */
static struct dp_app_sess *
sess_of_svc(struct dp_worker *w, unsigned int svc, unsigned int *sip)
{
	int si = w->s->services[svc].session;
	struct dp_app_sess *as;

	if (si < 0 || si >= DP_MAX_SESSIONS || w->app_stopped)
		return NULL;
	as = &w->app[si];
	/* an association may come up before the periodic scan saw the session */
	if (!as->live && ld_acq(&w->s->sessions[si].state) == DP_SESSION_LIVE)
		sess_attach(w, (unsigned int)si);
	if (!as->live || as->out.broken)
		return NULL;
	*sip = (unsigned int)si;
	return as;
}

/* ---- output to the application ---- */

/*
 * Put descriptor @p d with payload @p iov into the session's channel, or queue a copy behind
 * what waits already (order is kept). @p c, when given with @p consume (DATA): bytes that reach
 * the channel become the application's to report read (CONSUMED, op_consumed); bytes dropped
 * are reported read to the engine after input (dp_app_assoc_run), nobody will read them.
 * @return false when dropped.
 */
static bool
emit(struct dp_worker *w, unsigned int si, const struct dpsctp_desc *d,
	const struct dp_appq_iov *iov, unsigned int iovcnt, bool consume, struct dp_assoc_ctx *c)
{
	struct dp_app_sess *as = &w->app[si];
	struct dp_app_item *it;
	size_t len = 0, at = 0;
	unsigned int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].len;
	if (as->pend_head == NULL) {
		int rc = dp_appq_out_put(&as->out, d, iov, iovcnt);

		if (rc == 0) {
			as->produced = true;
			if (consume && c != NULL)
				c->app.delivered_unconsumed += len;
			return true;
		}
		if (rc == -EPROTO) {
			sess_break(w, si);
			goto dropped;
		}
		if (rc != -EAGAIN)
			goto dropped;
	}
	/*
	 * Notifications of an application that reads nothing are bounded; data by the window: a
	 * queued copy is not in the channel yet, so the application cannot report it read.
	 */
	if (!consume && d->op == DPSCTP_OP_NOTIFY && as->pend_bytes > PEND_MAX_BYTES) {
		as->dropped++;
		w->st.app_dropped++;
		goto dropped;
	}
	it = malloc(sizeof(*it) + len);
	if (it == NULL)
		goto dropped;
	it->next = NULL;
	it->d = *d;
	it->d.len = (uint32_t)len;
	it->consume = consume;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].len != 0)
			memcpy(it->data + at, iov[i].base, iov[i].len);
		at += iov[i].len;
	}
	if (as->pend_tail != NULL)
		as->pend_tail->next = it;
	else
		as->pend_head = it;
	as->pend_tail = it;
	as->npend++;
	as->pend_bytes += len;
	w->st.app_queued++;
	return true;
dropped:
	/* what the application will never read must not keep the window closed */
	if (consume && c != NULL) {
		c->app.consume += (uint32_t)len;
		dp_service_busy_add(w, c);
	}
	return false;
}

/* Move the privately queued descriptors of session @p si into its channel, in order. */
static void
sess_pend_flush(struct dp_worker *w, unsigned int si)
{
	struct dp_app_sess *as = &w->app[si];

	while (as->pend_head != NULL) {
		struct dp_app_item *it = as->pend_head;
		struct dp_appq_iov iov = {it->data, it->d.len};
		int rc = dp_appq_out_put(&as->out, &it->d, &iov, 1);

		if (rc == -EAGAIN)
			return;
		if (rc == -EPROTO) {
			sess_break(w, si);
			return;
		}
		as->produced |= rc == 0;
		if (it->consume && it->d.svc < DP_MAX_SERVICES) {
			struct dp_ep *e = &w->eps[it->d.svc];
			struct dpsctp_assoc *a =
				e->ep != NULL ? dpsctp_endpoint_assoc_by_id(e->ep, it->d.assoc_id)
					      : NULL;
			struct dp_assoc_ctx *c = a != NULL ? dp_service_ctx_get(e, a) : NULL;

			if (rc == 0 && c != NULL) {
				/* in the channel now: the application's to report read */
				c->app.delivered_unconsumed += it->d.len;
			} else if (a != NULL) {
				/* dropped (or no context to count it on): nobody will report it */
				dpsctp_assoc_consume(a, it->d.len, w->now);
				dp_ep_touch(e);
			}
		}
		as->pend_head = it->next;
		if (as->pend_head == NULL)
			as->pend_tail = NULL;
		as->npend--;
		as->pend_bytes -= it->d.len;
		free(it);
	}
}

static void
reply(struct dp_worker *w, unsigned int si, const struct dpsctp_desc *req, int result,
	uint32_t assoc_id, const void *payload, size_t len)
{
	struct dpsctp_desc d = {
		.op = DPSCTP_OP_REPLY,
		.svc = req->svc,
		.assoc_id = assoc_id,
		.req = req->req,
		.result = result,
		.context = req->context,
	};
	struct dp_appq_iov iov = {payload, len};

	(void)emit(w, si, &d, &iov, payload != NULL ? 1 : 0, false, NULL);
}

static void
credit(struct dp_worker *w, unsigned int si, uint32_t svc, uint32_t assoc_id, uint32_t bytes)
{
	struct dpsctp_desc d = {
		.op = DPSCTP_OP_CREDIT,
		.svc = svc,
		.assoc_id = assoc_id,
		.arg = bytes,
	};

	(void)emit(w, si, &d, NULL, 0, false, NULL);
}

/* A SEND that will not go: REPLY when asked for one, else a SEND_FAILED notification. */
static void
send_failed(struct dp_worker *w, unsigned int si, uint32_t svc, uint32_t assoc_id,
	const struct dpsctp_sndinfo *sn, uint16_t flags, uint32_t req, int rc, const void *data,
	size_t len)
{
	struct dp_app_sess *as = &w->app[si];
	struct dpsctp_abi_event ev;
	struct dpsctp_desc d = {
		.op = DPSCTP_OP_NOTIFY,
		.svc = svc,
		.assoc_id = assoc_id,
		.req = req,
		.result = rc,
		.sid = sn->sid,
		.ppid = sn->ppid,
		.context = sn->context,
	};
	struct dp_appq_iov iov[2];
	size_t max = dp_appq_out_max_payload(&as->out) - sizeof(ev);

	w->st.app_bad_reqs++;
	if (flags & DPSCTP_DESC_REPLY) {
		d.op = DPSCTP_OP_REPLY;
		(void)emit(w, si, &d, NULL, 0, false, NULL);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = DPSCTP_EV_SEND_FAILED;
	ev.flags = DPSCTP_DATA_UNSENT;
	ev.sid = sn->sid;
	ev.snd_flags = sn->flags;
	ev.ppid = sn->ppid;
	ev.context = sn->context;
	if (len > max)
		len = max;
	ev.data_len = (uint32_t)len;
	iov[0] = (struct dp_appq_iov){&ev, sizeof(ev)};
	iov[1] = (struct dp_appq_iov){data, len};
	(void)emit(w, si, &d, iov, 2, false, NULL);
}

/* ---- slots ---- */

/* What a worker copies of a slot under its seqlock. */
struct slot_copy {
	uint32_t gen;
	struct dp_service sv; /* port, kind, addrs, naddrs, listen, proto, linger_abort */
};

static bool
slot_read(const struct dp_service *sv, struct slot_copy *out)
{
	unsigned int tries;

	for (tries = 0; tries < 1000; tries++) {
		uint32_t g1 = ld_acq(&sv->gen), g2;

		if (g1 & 1)
			continue; /* control is writing */
		memset(&out->sv, 0, sizeof(out->sv));
		out->sv.kind = sv->kind;
		out->sv.port = sv->port;
		memcpy(out->sv.addrs, sv->addrs, sizeof(out->sv.addrs));
		out->sv.naddrs = sv->naddrs;
		out->sv.listen = sv->listen;
		out->sv.linger_abort = sv->linger_abort;
		out->sv.proto = sv->proto;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		g2 = __atomic_load_n(&sv->gen, __ATOMIC_RELAXED);
		if (g1 == g2) {
			out->gen = g1;
			if (out->sv.naddrs > DPSCTP_MAX_ADDRS)
				out->sv.naddrs = DPSCTP_MAX_ADDRS;
			/* an application endpoint keeps delivered bytes in the window until read */
			out->sv.proto.rcv_app_window = true;
			return true;
		}
	}
	return false; /* not now: the next look tries again */
}

static void
ep_take_addrs(struct dp_ep *e, const struct dp_service *sv)
{
	memcpy(e->addrs, sv->addrs, sizeof(e->addrs));
	e->naddrs = sv->naddrs;
}

static int
slot_create(struct dp_worker *w, unsigned int svc, struct dp_ep *e)
{
	struct dpsctp_callbacks cb;
	struct slot_copy cp;
	int rc;

	if (!slot_read(&w->s->services[svc], &cp))
		return -EAGAIN;
	memset(e, 0, sizeof(*e));
	e->w = w;
	e->svc = svc;
	e->timer.owner = e;
	ep_take_addrs(e, &cp.sv);
	dp_service_callbacks(&w->s->services[svc], e, &cb);
	rc = dp_stack_endpoint_create_from(w->s, &cp.sv, w->id, &cb, w->now, &e->ep);
	if (rc != 0) {
		e->ep = NULL;
		return rc;
	}
	e->gen = cp.gen;
	e->sndbuf = cp.sv.proto.sndbuf != 0 ? cp.sv.proto.sndbuf : SNDBUF_DEFAULT;
	dp_ep_touch(e);
	return 0;
}

static void
slot_apply(struct dp_worker *w, unsigned int svc, struct dp_ep *e)
{
	struct slot_copy cp;

	if (!slot_read(&w->s->services[svc], &cp))
		return;
	dpsctp_endpoint_listen(e->ep, cp.sv.listen);
	if (cp.sv.naddrs != 0 && dpsctp_endpoint_set_addrs(e->ep, cp.sv.addrs, cp.sv.naddrs) == 0) {
		ep_take_addrs(e, &cp.sv);
		dpsctp_endpoint_routes_changed(e->ep, w->now);
	}
	if (dpsctp_endpoint_set_config(e->ep, &cp.sv.proto) == 0)
		e->sndbuf = cp.sv.proto.sndbuf != 0 ? cp.sv.proto.sndbuf : SNDBUF_DEFAULT;
	e->gen = cp.gen;
	dp_ep_touch(e);
}

static void assoc_shutdown(struct dp_worker *w, struct dp_assoc_ctx *c);

/* Tell every association of CLOSING endpoint @p e to end (once each). */
static void
slot_close_assocs(struct dp_worker *w, struct dp_ep *e, bool abort)
{
	unsigned int i;

	/* the engine may free associations as we go: walk from the end, as shutdown_all does */
	for (i = w->nactx; i-- > 0;) {
		struct dp_assoc_ctx *c;

		if (i >= w->nactx)
			continue;
		c = w->actx[i];
		if (c->e != e || c->app.told_close)
			continue;
		c->app.told_close = true;
		dp_ep_touch(e); /* what they send goes out before the endpoint is released */
		if (abort) {
			(void)dpsctp_assoc_abort(c->a, NULL, 0, w->now);
			continue;
		}
		/* no socket reads this endpoint any more (its last one closed, or its session
		 * ended): what was delivered counts as read, so the peer's data can go and a
		 * graceful end finish (later deliveries are not passed on: dp_app_deliver) */
		c->app.consume += c->app.delivered_unconsumed;
		c->app.delivered_unconsumed = 0;
		dp_service_busy_add(w, c);
		assoc_shutdown(w, c);
	}
}

/* CLOSING: end the associations, release the endpoint when none is left. */
static void
slot_closing(struct dp_worker *w, unsigned int svc, struct dp_ep *e, bool walk)
{
	if (!e->closing) {
		e->closing = true;
		e->closing_since = w->now;
		dpsctp_endpoint_listen(e->ep, false);
		walk = true;
	}
	if (walk) {
		struct slot_copy cp;
		bool abort = slot_read(&w->s->services[svc], &cp)
				     ? cp.sv.linger_abort
				     : w->s->services[svc].linger_abort;

		slot_close_assocs(w, e, abort);
	}
	/*
	 * Released once no association is left and what they had to send (the last ABORT or
	 * SHUTDOWN COMPLETE) went out: e->dirty is cleared by the worker after output.
	 */
	if ((dpsctp_endpoint_assoc_count(e->ep) != 0 || e->dirty) &&
		w->now - e->closing_since < CLOSE_MAX_NS)
		return;
	dp_twheel_cancel(&w->wheel, &e->timer);
	if (dpsctp_endpoint_assoc_count(e->ep) == 0 && w->ngrave[0] < DP_MAX_SERVICES) {
		/* telemetry may be reading its counters: freed two housekeeping rounds later */
		struct dpsctp_endpoint *ep = e->ep;

		dp_stack_engine_stats_add(&w->retired, dpsctp_endpoint_stats(ep));
		__atomic_store_n(&e->ep, NULL, __ATOMIC_RELEASE);
		w->grave[0][w->ngrave[0]++] = ep;
	} else {
		/* associations that would not end: freed without a word (assoc_free) */
		dpsctp_endpoint_destroy(e->ep);
		e->ep = NULL;
	}
	e->dirty = false;
	e->rearm_due = false;
	e->closing = false;
	set_bit(&w->s->services[svc].closed_mask, w->id);
}

static struct dp_ep *
slot_ep(struct dp_worker *w, unsigned int svc, bool walk)
{
	struct dp_service *sv = &w->s->services[svc];
	struct dp_ep *e = &w->eps[svc];
	uint32_t st = ld_acq(&sv->state);

	if (st == DP_SLOT_FREE)
		return NULL;
	if (sv->kind != DP_SVC_APP)
		return e->ep != NULL ? e : NULL; /* configured: created with the worker */
	if (st == DP_SLOT_OPEN) {
		if (e->ep == NULL) {
			if (slot_create(w, svc, e) != 0)
				return NULL;
		} else if (__atomic_load_n(&sv->gen, __ATOMIC_RELAXED) != e->gen) {
			slot_apply(w, svc, e);
		}
		return e;
	}
	/* CLOSING */
	if (e->ep == NULL) {
		set_bit(&sv->closed_mask, w->id); /* never had one here, or released already */
		return NULL;
	}
	slot_closing(w, svc, e, walk);
	return e->ep != NULL ? e : NULL;
}

struct dp_ep *
dp_app_slot_ep(struct dp_worker *w, unsigned int svc)
{
	if (svc >= DP_MAX_SERVICES)
		return NULL;
	return slot_ep(w, svc, false);
}

/* ---- sending ---- */

/* SHUTDOWN of @p c, after its parked messages are in the engine. */
static void
assoc_shutdown(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	if (c->app.park_head != NULL) {
		c->app.shutdown_after = true;
		dp_service_busy_add(w, c);
		return;
	}
	c->closing = true;
	dp_ep_touch(c->e);
	(void)dpsctp_assoc_shutdown(c->a, w->now); /* may free c */
}

/* The send buffer of @p c: the endpoint's, or more when the application raised it (SET_CFG). */
static size_t
assoc_sndbuf(const struct dp_assoc_ctx *c)
{
	struct dpsctp_proto_config pc;
	size_t b = c->e->sndbuf != 0 ? c->e->sndbuf : SNDBUF_DEFAULT;

	dpsctp_assoc_get_config(c->a, &pc);
	return pc.sndbuf > b ? pc.sndbuf : b;
}

static struct dp_app_send *
send_copy(const struct dpsctp_sndinfo *si, uint16_t flags, uint32_t svc, uint32_t req,
	const void *data, size_t len, size_t cap)
{
	struct dp_app_send *m = malloc(sizeof(*m) + cap);

	if (m == NULL)
		return NULL;
	m->next = NULL;
	m->si = *si;
	m->flags = flags;
	m->svc = svc;
	m->req = req;
	m->len = len;
	m->cap = cap;
	if (len != 0)
		memcpy(m->data, data, len);
	return m;
}

/*
 * One whole message for association @p c (the data may be in the shared memory: it is copied
 * by the engine or into a parked copy). Credits what leaves our hands. @return false when the
 * association was freed meanwhile (c is gone).
 */
static bool
submit(struct dp_worker *w, unsigned int si, struct dp_assoc_ctx *c,
	const struct dpsctp_sndinfo *sn, uint16_t flags, uint32_t svc, uint32_t req,
	const void *data, size_t len)
{
	uint32_t id = dpsctp_assoc_id(c->a);
	int rc = 0;

	if (c->app.park_head == NULL) {
		if (len != 0 || !(flags & DPSCTP_DESC_EOF))
			rc = dpsctp_assoc_send(c->a, sn, data, len, w->now);
		dp_ep_touch(c->e);
	} else {
		rc = -EAGAIN; /* behind the parked ones: order */
	}
	if (rc == -EAGAIN) {
		struct dp_app_send *m;

		if (c->app.parked + len > 2 * assoc_sndbuf(c)) {
			rc = -ENOBUFS; /* a library that ignores its credit */
		} else {
			m = send_copy(sn, flags, svc, req, data, len, len);
			if (m == NULL) {
				rc = -ENOMEM;
			} else {
				if (c->app.park_tail != NULL)
					c->app.park_tail->next = m;
				else
					c->app.park_head = m;
				c->app.park_tail = m;
				c->app.parked += len;
				w->st.app_parked++;
				dp_service_busy_add(w, c);
				return true;
			}
		}
	}
	c->app.credit += (uint32_t)len;
	dp_service_busy_add(w, c);
	if (rc != 0) {
		send_failed(w, si, svc, id, sn, flags, req, rc, data, len);
		return true;
	}
	if (flags & DPSCTP_DESC_REPLY) {
		struct dpsctp_desc r = {.svc = svc, .req = req, .context = sn->context};

		reply(w, si, &r, 0, id, NULL, 0);
	}
	if (flags & DPSCTP_DESC_EOF) {
		w->app_cur = c;
		w->app_cur_freed = false;
		assoc_shutdown(w, c);
		w->app_cur = NULL;
		return !w->app_cur_freed;
	}
	return true;
}

static void
op_send(struct dp_worker *w, unsigned int si, struct dp_assoc_ctx *c, const struct dpsctp_desc *d,
	const uint8_t *p)
{
	struct dp_app_assoc *aa = &c->app;
	struct dpsctp_sndinfo sn = {
		.sid = d->sid,
		.ppid = d->ppid,
		.context = d->context,
		.lifetime = d->arg64,
	};
	uint16_t flags = d->flags;
	size_t limit;

	if (flags & DPSCTP_DESC_UNORDERED)
		sn.flags |= DPSCTP_SND_UNORDERED;
	if (flags & DPSCTP_DESC_SACK_NOW)
		sn.flags |= DPSCTP_SND_SACK_IMMEDIATELY;
	if (aa->gather == NULL && !aa->gather_fail && !(flags & DPSCTP_DESC_MORE)) {
		(void)submit(w, si, c, &sn, flags, d->svc, d->req, p, d->len);
		return;
	}
	/* a message in pieces: gathered here, sent whole at its last piece */
	if (aa->gather_fail) {
		c->app.credit += d->len;
		dp_service_busy_add(w, c);
		if (!(flags & DPSCTP_DESC_MORE))
			aa->gather_fail = false;
		return;
	}
	limit = assoc_sndbuf(c);
	if (aa->gather == NULL) {
		aa->gather = send_copy(&sn, flags, d->svc, d->req, NULL, 0, 4096);
		if (aa->gather == NULL)
			goto fail;
	}
	if (aa->gather->len + d->len > limit)
		goto fail;
	if (aa->gather->len + d->len > aa->gather->cap) {
		size_t cap = aa->gather->cap;
		struct dp_app_send *n;

		while (cap < aa->gather->len + d->len)
			cap *= 2;
		if (cap > limit)
			cap = limit;
		n = realloc(aa->gather, sizeof(*n) + cap);
		if (n == NULL)
			goto fail;
		n->cap = cap;
		aa->gather = n;
	}
	if (d->len != 0)
		memcpy(aa->gather->data + aa->gather->len, p, d->len);
	aa->gather->len += d->len;
	if (flags & DPSCTP_DESC_MORE)
		return;
	{
		struct dp_app_send *m = aa->gather;

		aa->gather = NULL;
		/* the last piece's flags say how the message ends (EOF, REPLY) */
		(void)submit(w, si, c, &m->si, flags & ~DPSCTP_DESC_MORE, m->svc, d->req, m->data,
			m->len);
		free(m);
	}
	return;
fail : {
	struct dp_app_send *m = aa->gather;
	size_t had = m != NULL ? m->len : 0;

	aa->gather = NULL;
	aa->gather_fail = (flags & DPSCTP_DESC_MORE) != 0;
	c->app.credit += (uint32_t)(had + d->len);
	dp_service_busy_add(w, c);
	send_failed(w, si, d->svc, d->assoc_id, m != NULL ? &m->si : &sn, flags & ~DPSCTP_DESC_MORE,
		d->req, -EMSGSIZE, m != NULL ? m->data : NULL, had);
	free(m);
}
}

/* ---- the other requests ---- */

static void
op_associate(struct dp_worker *w, unsigned int si, struct dp_ep *e, const struct dpsctp_desc *d,
	const uint8_t *p)
{
	struct dpsctp_abi_connect cn;
	struct dpsctp_addr peers[DPSCTP_MAX_ADDRS];
	struct dpsctp_assoc *a = NULL;
	unsigned int i;
	int rc;

	if (d->len < offsetof(struct dpsctp_abi_connect, peers)) {
		reply(w, si, d, -EINVAL, 0, NULL, 0);
		return;
	}
	memset(&cn, 0, sizeof(cn));
	memcpy(&cn, p, d->len < sizeof(cn) ? d->len : sizeof(cn));
	if (cn.npeers == 0 || cn.npeers > 16 || cn.peer_port == 0 ||
		d->len < offsetof(struct dpsctp_abi_connect, peers) +
				 cn.npeers * sizeof(struct dpsctp_abi_addr)) {
		reply(w, si, d, -EINVAL, 0, NULL, 0);
		return;
	}
	for (i = 0; i < cn.npeers; i++) {
		if (!addr_from_abi(&cn.peers[i], &peers[i])) {
			reply(w, si, d, -EINVAL, 0, NULL, 0);
			return;
		}
	}
	rc = dpsctp_associate(e->ep, peers, cn.npeers, cn.peer_port, cn.os, w->now, &a);
	if (rc != 0) {
		w->st.app_bad_reqs++;
		reply(w, si, d, rc, 0, NULL, 0);
		return;
	}
	if (cn.max_attempts != 0 || cn.max_init_timeo_ms != 0) {
		struct dpsctp_proto_config pc;

		dpsctp_assoc_get_config(a, &pc);
		if (cn.max_attempts != 0)
			pc.max_init_retrans = cn.max_attempts;
		if (cn.max_init_timeo_ms != 0)
			pc.max_init_timeo = (uint64_t)cn.max_init_timeo_ms * DPSCTP_MS;
		(void)dpsctp_assoc_set_config(a, &pc, w->now);
	}
	(void)dp_service_ctx_get(e, a);
	dp_ep_touch(e);
	reply(w, si, d, 0, dpsctp_assoc_id(a), NULL, 0);
}

static void
paddr_fill(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr, struct dpsctp_abi_paddr *o)
{
	struct dpsctp_paddr_info pi;

	if (dpsctp_assoc_paddr_info(a, addr, &pi) != 0)
		return;
	addr_to_abi(&pi.path.remote, &o->addr);
	addr_to_abi(&pi.path.local, &o->local);
	o->flags = pi.flags;
	o->hb_interval_ms = (uint32_t)(pi.hb_interval / DPSCTP_MS);
	o->path_max_retrans = pi.path_max_retrans;
	o->pf_threshold = pi.pf_threshold;
	o->pathmtu = pi.mtu;
	o->state = pi.state;
	o->cwnd = pi.cwnd;
	o->ssthresh = pi.ssthresh;
	o->flight = pi.flight;
	o->mtu = pi.mtu;
	o->srtt_ms = (uint32_t)(pi.srtt / DPSCTP_MS);
	o->rttvar_ms = (uint32_t)(pi.rttvar / DPSCTP_MS);
	o->rto_ms = (uint32_t)(pi.rto / DPSCTP_MS);
	o->error_count = pi.error_count;
	o->primary = pi.primary;
	o->reachable = pi.reachable;
}

/* Copy a request's fixed-size payload out of the shared memory; false when too short. */
static bool
payload_copy(void *dst, size_t size, const struct dpsctp_desc *d, const uint8_t *p)
{
	memset(dst, 0, size);
	if (d->len < size)
		return false;
	memcpy(dst, p, size);
	return true;
}

/* Requests on an existing association. May free @p c (ABORT, SHUTDOWN). */
static void
op_assoc(struct dp_worker *w, unsigned int si, struct dp_assoc_ctx *c, const struct dpsctp_desc *d,
	const uint8_t *p)
{
	struct dpsctp_assoc *a = c->a;
	uint32_t id = d->assoc_id;
	bool want = (d->flags & DPSCTP_DESC_REPLY) != 0;
	int rc = 0;

	dp_ep_touch(c->e);
	switch (d->op) {
	case DPSCTP_OP_SHUTDOWN:
		if (want)
			reply(w, si, d, 0, id, NULL, 0);
		assoc_shutdown(w, c);
		return;
	case DPSCTP_OP_ABORT: {
		/* the engine carries up to 1024 bytes of reason: a longer one is cut, never refused */
		uint8_t reason[1024];
		size_t n = d->len < sizeof(reason) ? d->len : sizeof(reason);

		memcpy(reason, p, n);
		if (want)
			reply(w, si, d, 0, id, NULL, 0);
		c->closing = true;
		(void)dpsctp_assoc_abort(a, reason, n, w->now); /* frees c */
		return;
	}
	case DPSCTP_OP_SET_CFG: {
		struct dpsctp_abi_cfg ac;
		struct dpsctp_proto_config pc;

		if (!payload_copy(&ac, sizeof(ac), d, p)) {
			rc = -EINVAL;
			break;
		}
		dpsctp_assoc_get_config(a, &pc);
		rc = dp_abi_cfg_apply(&pc, &ac);
		if (rc == 0)
			rc = dpsctp_assoc_set_config(a, &pc, w->now);
		break;
	}
	case DPSCTP_OP_GET_CFG: {
		struct dpsctp_abi_cfg ac;
		struct dpsctp_proto_config pc;

		dpsctp_assoc_get_config(a, &pc);
		dp_abi_cfg_get(&pc, &ac);
		reply(w, si, d, 0, id, &ac, sizeof(ac));
		return;
	}
	case DPSCTP_OP_SET_PRIMARY: {
		struct dpsctp_abi_addr aa;
		struct dpsctp_addr addr;

		if (!payload_copy(&aa, sizeof(aa), d, p) || !addr_from_abi(&aa, &addr)) {
			rc = -EINVAL;
			break;
		}
		rc = dpsctp_assoc_set_primary(a, &addr, w->now);
		if (rc == -ENOENT)
			rc = -EADDRNOTAVAIL;
		break;
	}
	case DPSCTP_OP_SET_PADDR: {
		struct dpsctp_abi_paddr pp;
		struct dpsctp_paddr_params par;
		struct dpsctp_addr addr, *ap = NULL;

		if (!payload_copy(&pp, sizeof(pp), d, p)) {
			rc = -EINVAL;
			break;
		}
		if (pp.addr.family != 0) {
			if (!addr_from_abi(&pp.addr, &addr)) {
				rc = -EINVAL;
				break;
			}
			ap = &addr;
		}
		memset(&par, 0, sizeof(par));
		par.hb_interval = (uint64_t)pp.hb_interval_ms * DPSCTP_MS;
		par.path_max_retrans = pp.path_max_retrans;
		par.pathmtu = pp.pathmtu;
		par.flags = pp.flags;
		rc = dpsctp_assoc_set_paddr_params(a, ap, &par, w->now);
		if (rc == 0 && pp.set_thresholds)
			rc = dpsctp_assoc_set_thresholds(
				a, ap, pp.path_max_retrans, pp.pf_threshold, w->now);
		if (rc == -ENOENT)
			rc = -EADDRNOTAVAIL;
		break;
	}
	case DPSCTP_OP_GET_PADDR: {
		struct dpsctp_abi_paddr pp, out;
		struct dpsctp_addr addr;

		if (!payload_copy(&pp, sizeof(pp), d, p) || !addr_from_abi(&pp.addr, &addr)) {
			rc = -EINVAL;
			break;
		}
		memset(&out, 0, sizeof(out));
		if (dpsctp_assoc_paddr_info(a, &addr, &(struct dpsctp_paddr_info){0}) != 0) {
			rc = -EADDRNOTAVAIL;
			break;
		}
		paddr_fill(a, &addr, &out);
		reply(w, si, d, 0, id, &out, sizeof(out));
		return;
	}
	case DPSCTP_OP_GET_STATUS: {
		struct dpsctp_abi_status as;
		struct dpsctp_assoc_status st;
		struct dpsctp_path_info pi;

		memset(&as, 0, sizeof(as));
		dpsctp_assoc_get_status(a, &st);
		dpsctp_assoc_path_info(a, &pi);
		as.state = st.state;
		as.peer_rwnd = st.peer_rwnd;
		as.unacked = pi.unacked;
		as.queued = pi.queued;
		as.instrms = st.inbound_streams;
		as.outstrms = st.outbound_streams;
		as.frag_point = dpsctp_assoc_frag_point(a);
		as.peer_adaptation = st.peer_adaptation;
		as.peer_has_adaptation = st.peer_has_adaptation;
		as.peer_port = st.peer_port;
		paddr_fill(a, &st.primary.remote, &as.primary);
		reply(w, si, d, 0, id, &as, sizeof(as));
		return;
	}
	case DPSCTP_OP_GET_PADDRS: {
		struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
		struct {
			uint16_t port, count;
			struct dpsctp_abi_addr a[DPSCTP_MAX_ADDRS];
		} out;
		struct dpsctp_assoc_status st;
		size_t n, i;

		dpsctp_assoc_get_status(a, &st);
		n = dpsctp_assoc_peer_addrs(a, addrs, DPSCTP_MAX_ADDRS);
		if (n > DPSCTP_MAX_ADDRS)
			n = DPSCTP_MAX_ADDRS;
		memset(&out, 0, sizeof(out));
		out.port = st.peer_port;
		out.count = (uint16_t)n;
		for (i = 0; i < n; i++)
			addr_to_abi(&addrs[i], &out.a[i]);
		reply(w, si, d, 0, id, &out, 4 + n * sizeof(out.a[0]));
		return;
	}
	default:
		rc = -EOPNOTSUPP;
		break;
	}
	if (rc != 0)
		w->st.app_bad_reqs++;
	if (want || rc != 0)
		reply(w, si, d, rc, id, NULL, 0);
}

/* A request refused before it reached an association. */
static void
refuse(struct dp_worker *w, unsigned int si, const struct dpsctp_desc *d, const uint8_t *p, int rc)
{
	w->st.app_bad_reqs++;
	if (d->op == DPSCTP_OP_SEND && !(d->flags & DPSCTP_DESC_REPLY)) {
		struct dpsctp_sndinfo sn = {.sid = d->sid, .ppid = d->ppid, .context = d->context};

		send_failed(w, si, d->svc, d->assoc_id, &sn, d->flags, d->req, rc, p, d->len);
		/* the bytes left the worker's hands */
		if (d->len != 0 && d->svc < DP_MAX_SERVICES)
			credit(w, si, d->svc, d->assoc_id, d->len);
		return;
	}
	if (d->op == DPSCTP_OP_SEND && d->len != 0 && d->svc < DP_MAX_SERVICES)
		credit(w, si, d->svc, d->assoc_id, d->len);
	/* an ASSOCIATE always answers (the library waits for the id); others when asked or failed
	 */
	reply(w, si, d, rc, d->assoc_id, NULL, 0);
}

/*
 * CONSUMED (shm.h): the application read d->arg DATA bytes of association d->assoc_id; our
 * window reopens by as much (dp_app_assoc_run calls dpsctp_assoc_consume after input). Checked
 * as every request (slot OPEN or CLOSING of this session: a closing socket's discarded data
 * must reopen the window so a graceful SHUTDOWN can finish; the association this worker's and
 * that endpoint's), and bounded by what went into the channel and was not reported yet: the
 * excess is ignored, so an application cannot open the window for bytes it never received.
 * Never answered: a CONSUMED for an association that ended meanwhile is normal (its data is
 * read after the end), nothing to tell.
 */
static void
op_consumed(struct dp_worker *w, unsigned int si, const struct dpsctp_desc *d)
{
	const struct dp_service *sv;
	struct dpsctp_assoc *a;
	struct dp_assoc_ctx *c;
	struct dp_ep *e;
	uint64_t n = d->arg;
	uint32_t st;

	if (d->svc >= DP_MAX_SERVICES || n == 0)
		return;
	sv = &w->s->services[d->svc];
	st = ld_acq(&sv->state);
	if (st == DP_SLOT_FREE || sv->kind != DP_SVC_APP || sv->session != (int)si)
		return;
	e = slot_ep(w, d->svc, false);
	if (e == NULL || dp_steer_owner_of_id(d->assoc_id) != w->id)
		return;
	a = dpsctp_endpoint_assoc_by_id(e->ep, d->assoc_id);
	c = a != NULL ? dp_service_ctx_get(e, a) : NULL;
	if (c == NULL)
		return;
	/* not counted as a bad request: an honest library reports what it discarded at close
	 * after we released it ourselves (slot_close_assocs) */
	if (n > c->app.delivered_unconsumed)
		n = c->app.delivered_unconsumed;
	if (n == 0)
		return;
	c->app.delivered_unconsumed -= n;
	c->app.consume += n;
	dp_service_busy_add(w, c);
}

/* One request, copied out of the channel and checked for the ring protocol already. */
static void
request(struct dp_worker *w, unsigned int si, const struct dpsctp_desc *d, const uint8_t *p)
{
	const struct dp_service *sv;
	struct dp_ep *e;
	struct dpsctp_assoc *a;
	struct dp_assoc_ctx *c;
	uint32_t st;

	w->st.app_reqs++;
	if (d->op == DPSCTP_OP_CONSUMED) {
		op_consumed(w, si, d);
		return;
	}
	if (d->op < DPSCTP_OP_SEND || d->op > DPSCTP_OP_GET_PADDRS) {
		refuse(w, si, d, p, -EOPNOTSUPP);
		return;
	}
	if (d->svc >= DP_MAX_SERVICES) {
		refuse(w, si, d, p, -EBADF);
		return;
	}
	sv = &w->s->services[d->svc];
	st = ld_acq(&sv->state);
	if (st == DP_SLOT_FREE || sv->kind != DP_SVC_APP || sv->session != (int)si ||
		(st == DP_SLOT_CLOSING && d->op != DPSCTP_OP_SHUTDOWN &&
			d->op != DPSCTP_OP_ABORT)) {
		refuse(w, si, d, p, -EBADF);
		return;
	}
	e = slot_ep(w, d->svc, false);
	if (e == NULL) {
		refuse(w, si, d, p, st == DP_SLOT_CLOSING ? -EBADF : -ENOMEM);
		return;
	}
	if (d->op == DPSCTP_OP_ASSOCIATE) {
		op_associate(w, si, e, d, p);
		return;
	}
	/* the association must be this worker's and this endpoint's */
	a = dp_steer_owner_of_id(d->assoc_id) == w->id
		    ? dpsctp_endpoint_assoc_by_id(e->ep, d->assoc_id)
		    : NULL;
	if (a == NULL) {
		refuse(w, si, d, p, -ENOTCONN);
		return;
	}
	c = dp_service_ctx_get(e, a);
	if (c == NULL) {
		refuse(w, si, d, p, -ENOMEM);
		return;
	}
	if (d->op == DPSCTP_OP_SEND)
		op_send(w, si, c, d, p);
	else
		op_assoc(w, si, c, d, p);
}

/* Take up to DP_APP_BURST requests of session @p si. */
static void
sess_intake(struct dp_worker *w, unsigned int si)
{
	struct dp_app_sess *as = &w->app[si];
	int n = dp_appq_in_poll(&as->in);
	int k;

	if (n < 0) {
		sess_break(w, si);
		return;
	}
	if (n > DP_APP_BURST)
		n = DP_APP_BURST;
	for (k = 0; k < n; k++) {
		struct dpsctp_desc d;
		const uint8_t *p;

		if (dp_appq_in_take(&as->in, &d, &p) != 0) {
			sess_break(w, si);
			return;
		}
		request(w, si, &d, p);
		if (as->out.broken) /* our answers found the consumer broken */
			return;
	}
	/* the payloads were used (copied) above: the application may reuse their space now */
	dp_appq_in_commit(&as->in);
}

/* ---- upcalls ---- */

void
dp_app_deliver(struct dp_worker *w, struct dp_assoc_ctx *c, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct dp_appq_iov v[16];
	struct dpsctp_desc d = {
		.op = DPSCTP_OP_DATA,
		.svc = c->e->svc,
		.assoc_id = ri->assoc_id,
		.sid = ri->sid,
		.ssn = ri->ssn,
		.ppid = ri->ppid,
		.tsn = ri->tsn,
		.cumtsn = ri->cumtsn,
	};
	struct dp_app_sess *as;
	unsigned int si = 0, i, nv = 0;
	size_t total = 0, in_desc = 0, max;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].len;
	w->st.svc_bytes_in += total;
	if (eor)
		w->st.svc_msgs_in++;
	as = c->e->closing ? NULL : sess_of_svc(w, c->e->svc, &si);
	if (as == NULL) {
		/* nobody reads it (no session, or the endpoint is closing): let the window open */
		c->app.consume += (uint32_t)total;
		dp_service_busy_add(w, c);
		return;
	}
	if (ri->flags & DPSCTP_SND_UNORDERED)
		d.flags |= DPSCTP_DESC_UNORDERED;
	max = dp_appq_out_max_payload(&as->out);
	/* pieces of at most max bytes (and 16 slices) each; EOR on the message's last one */
	for (i = 0; i < iovcnt; i++) {
		size_t off = 0;

		while (off < iov[i].len) {
			size_t n = iov[i].len - off;

			if (n > max - in_desc)
				n = max - in_desc;
			v[nv++] = (struct dp_appq_iov){iov[i].base + off, n};
			in_desc += n;
			off += n;
			total -= n;
			if (in_desc == max || nv == sizeof(v) / sizeof(v[0])) {
				if (total == 0 && eor)
					d.flags |= DPSCTP_DESC_EOR;
				(void)emit(w, si, &d, v, nv, true, c);
				nv = 0;
				in_desc = 0;
				if (total == 0 && eor)
					return;
			}
		}
	}
	if (nv != 0 || eor) {
		if (eor)
			d.flags |= DPSCTP_DESC_EOR;
		(void)emit(w, si, &d, v, nv, true, c);
	}
}

void
dp_app_event(
	struct dp_worker *w, struct dp_ep *e, struct dp_assoc_ctx *c, const struct dpsctp_event *ev)
{
	struct dpsctp_abi_event ae;
	struct dpsctp_desc d = {
		.op = DPSCTP_OP_NOTIFY,
		.svc = e->svc,
		.assoc_id = ev->assoc_id,
	};
	struct dp_appq_iov iov[2];
	const uint8_t *data = NULL;
	struct dp_app_sess *as;
	unsigned int si = 0;
	size_t len = 0, max;

	(void)c;
	as = sess_of_svc(w, e->svc, &si);
	if (as == NULL)
		return;
	memset(&ae, 0, sizeof(ae));
	ae.type = (uint16_t)ev->type;
	switch (ev->type) {
	case DPSCTP_EV_ASSOC_CHANGE:
		ae.state = (uint16_t)ev->u.assoc_change.state;
		ae.error = ev->u.assoc_change.error;
		ae.os = ev->u.assoc_change.outbound_streams;
		ae.is = ev->u.assoc_change.inbound_streams;
		if (ev->u.assoc_change.state == DPSCTP_EV_COMM_LOST ||
			ev->u.assoc_change.state == DPSCTP_EV_CANT_STR_ASSOC) {
			enum dpsctp_abort_code why = (enum dpsctp_abort_code)ev->u.assoc_change.why;

			if (why == DPSCTP_ABORT_PEER)
				ae.flags = DPSCTP_ABI_EV_PEER_ABORT;
			else if (why == DPSCTP_ABORT_T1_INIT || why == DPSCTP_ABORT_T1_COOKIE ||
				why == DPSCTP_ABORT_T2_SHUTDOWN || why == DPSCTP_ABORT_T3_MAX_RETRANS ||
				why == DPSCTP_ABORT_HB_MAX_RETRANS || why == DPSCTP_ABORT_T5_GUARD ||
				why == DPSCTP_ABORT_STALE_COOKIE_MAX)
				ae.flags = DPSCTP_ABI_EV_TIMEOUT;
		}
		data = ev->u.assoc_change.info;
		len = ev->u.assoc_change.info_len;
		break;
	case DPSCTP_EV_PEER_ADDR_CHANGE:
		ae.state = (uint16_t)ev->u.paddr.state;
		ae.error = ev->u.paddr.error;
		addr_to_abi(&ev->u.paddr.addr, &ae.addr);
		break;
	case DPSCTP_EV_REMOTE_ERROR:
		ae.error = ev->u.remote_error.error;
		data = ev->u.remote_error.causes;
		len = ev->u.remote_error.causes_len;
		break;
	case DPSCTP_EV_SEND_FAILED:
		ae.flags = ev->u.send_failed.flags;
		ae.error = ev->u.send_failed.error;
		ae.sid = ev->u.send_failed.info.sid;
		ae.snd_flags = ev->u.send_failed.info.flags;
		ae.ppid = ev->u.send_failed.info.ppid;
		ae.context = ev->u.send_failed.info.context;
		d.sid = ae.sid;
		d.ppid = ae.ppid;
		d.context = ae.context;
		d.result = -EPIPE;
		data = ev->u.send_failed.data;
		len = ev->u.send_failed.len;
		break;
	case DPSCTP_EV_ADAPTATION_INDICATION:
		ae.ind = ev->u.adaptation.ind;
		break;
	case DPSCTP_EV_PARTIAL_DELIVERY:
		ae.ind = ev->u.partial_delivery.indication;
		ae.sid = ev->u.partial_delivery.sid;
		ae.ssn = ev->u.partial_delivery.ssn;
		break;
	default:
		break;
	}
	max = dp_appq_out_max_payload(&as->out) - sizeof(ae);
	if (data == NULL)
		len = 0;
	if (len > max)
		len = max;
	ae.data_len = (uint32_t)len;
	iov[0] = (struct dp_appq_iov){&ae, sizeof(ae)};
	iov[1] = (struct dp_appq_iov){data, len};
	(void)emit(w, si, &d, iov, 2, false, NULL);
}

/* Report the credit of @p c to its application. */
static void
assoc_credit(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	struct dp_app_sess *as;
	unsigned int si = 0;

	if (c->app.credit == 0)
		return;
	as = sess_of_svc(w, c->e->svc, &si);
	if (as != NULL)
		credit(w, si, c->e->svc, dpsctp_assoc_id(c->a), c->app.credit);
	c->app.credit = 0;
}

int
dp_app_assoc_run(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	struct dp_app_assoc *aa = &c->app;
	int done = 1;

	w->app_cur = c;
	w->app_cur_freed = false;
	dp_ep_touch(c->e);
	if (aa->consume != 0) {
		uint64_t n = aa->consume;

		aa->consume = 0;
		dpsctp_assoc_consume(c->a, (size_t)n, w->now);
	}
	while (aa->park_head != NULL && !w->app_cur_freed) {
		struct dp_app_send *m = aa->park_head;
		int rc = 0;
		unsigned int si = 0;

		if (m->len != 0 || !(m->flags & DPSCTP_DESC_EOF))
			rc = dpsctp_assoc_send(c->a, &m->si, m->data, m->len, w->now);
		if (rc == -EAGAIN) {
			done = 0;
			break;
		}
		aa->park_head = m->next;
		if (aa->park_head == NULL)
			aa->park_tail = NULL;
		aa->parked -= m->len;
		aa->credit += (uint32_t)m->len;
		if (sess_of_svc(w, c->e->svc, &si) != NULL) {
			if (rc != 0) {
				send_failed(w, si, m->svc, dpsctp_assoc_id(c->a), &m->si, m->flags,
					m->req, rc, m->data, m->len);
			} else if (m->flags & DPSCTP_DESC_REPLY) {
				struct dpsctp_desc r = {.svc = m->svc, .req = m->req};

				reply(w, si, &r, 0, dpsctp_assoc_id(c->a), NULL, 0);
			}
		}
		if (rc == 0 && (m->flags & DPSCTP_DESC_EOF))
			aa->shutdown_after = true;
		free(m);
	}
	if (!w->app_cur_freed)
		assoc_credit(w, c);
	if (!w->app_cur_freed && aa->park_head == NULL && aa->shutdown_after) {
		aa->shutdown_after = false;
		assoc_shutdown(w, c); /* may free c */
	}
	w->app_cur = NULL;
	return w->app_cur_freed ? 2 : done;
}

void
dp_app_assoc_release(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	struct dp_app_assoc *aa = &c->app;
	struct dp_app_send *m, *next;
	struct dp_app_sess *as;
	unsigned int si = 0;
	uint32_t id = dpsctp_assoc_id(c->a);

	if (w->app_cur == c)
		w->app_cur_freed = true;
	as = sess_of_svc(w, c->e->svc, &si);
	/* what the association still held will never go: tell, and give the credit back */
	for (m = aa->park_head; m != NULL; m = next) {
		next = m->next;
		aa->credit += (uint32_t)m->len;
		if (as != NULL)
			send_failed(w, si, m->svc, id, &m->si, m->flags & ~DPSCTP_DESC_REPLY,
				m->req, -ENOTCONN, m->data, m->len);
		free(m);
	}
	aa->park_head = aa->park_tail = NULL;
	aa->parked = 0;
	if (aa->gather != NULL) {
		aa->credit += (uint32_t)aa->gather->len;
		free(aa->gather);
		aa->gather = NULL;
	}
	if (as != NULL && aa->credit != 0)
		credit(w, si, c->e->svc, id, aa->credit);
	aa->credit = 0;
}

/* ---- the loop ---- */

void
dp_app_worker_init(struct dp_worker *w)
{
	memset(w->app, 0, sizeof(w->app));
	w->app_scan = 1;
}

void
dp_app_worker_fini(struct dp_worker *w)
{
	unsigned int si;

	for (si = 0; si < DP_MAX_SESSIONS; si++)
		sess_pend_free(&w->app[si]);
}

void
dp_app_poll(struct dp_worker *w)
{
	unsigned int si;

	if (--w->app_scan == 0) {
		w->app_scan = DP_APP_SCAN_LOOPS;
		sess_scan(w);
	}
	if (!w->app_any)
		return;
	for (si = 0; si < DP_MAX_SESSIONS; si++) {
		struct dp_app_sess *as = &w->app[si];

		if (!as->live)
			continue;
		if (as->pend_head != NULL && !as->out.broken)
			sess_pend_flush(w, si);
		/* an application that reads nothing stops being read (its answers pile up) */
		if (!as->in.broken && as->npend < PEND_MAX_ITEMS &&
			ld_acq(&as->in.c->ctl.prod) != as->in.cons)
			sess_intake(w, si);
	}
}

void
dp_app_flush(struct dp_worker *w)
{
	unsigned int si;

	if (!w->app_any)
		return;
	for (si = 0; si < DP_MAX_SESSIONS; si++) {
		struct dp_app_sess *as = &w->app[si];
		uint64_t one = 1;

		if (!as->produced)
			continue;
		as->produced = false;
		if (!dp_appq_out_publish(&as->out) || !dp_appq_out_consumer_waiting(&as->out))
			continue;
		/* the one system call of the loop, and only for an application that sleeps */
		if (write(w->s->sessions[si].efd, &one, sizeof(one)) == sizeof(one))
			w->st.app_wakeups++;
	}
}

void
dp_app_housekeeping(struct dp_worker *w)
{
	unsigned int svc, k, n = __atomic_load_n(&w->s->nservices, __ATOMIC_ACQUIRE);

	for (k = 0; k < w->ngrave[1]; k++)
		dpsctp_endpoint_destroy(w->grave[1][k]);
	memcpy(w->grave[1], w->grave[0], w->ngrave[0] * sizeof(w->grave[0][0]));
	w->ngrave[1] = w->ngrave[0];
	w->ngrave[0] = 0;

	if (n > DP_MAX_SERVICES)
		n = DP_MAX_SERVICES;
	for (svc = 0; svc < n; svc++) {
		const struct dp_service *sv = &w->s->services[svc];
		uint32_t st = ld_acq(&sv->state);

		if (sv->kind != DP_SVC_APP || st == DP_SLOT_FREE)
			continue;
		/* CLOSING progresses without traffic; a new gen is applied */
		if (st == DP_SLOT_CLOSING || w->eps[svc].ep != NULL)
			(void)slot_ep(w, svc, true);
	}
	sess_scan(w);
	/*
	 * The consumer's indices are otherwise read only when the channel looks full, which flow
	 * control (CONSUMED) may never let happen: a corrupted one must still end the session.
	 */
	for (svc = 0; svc < DP_MAX_SESSIONS; svc++) {
		struct dp_app_sess *as = &w->app[svc];

		if (as->live && !as->out.broken && dp_appq_out_check(&as->out) != 0)
			sess_break(w, svc);
	}
}
