/* SPDX-License-Identifier: BSD-3-Clause */
/* Built-in services and the worker's side of each association (see service.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ring.h>

#include "app.h"
#include "msg.h"
#include "route.h"
#include "service.h"
#include "worker.h"

/* ---- busy list: associations with service work ---- */

void
dp_service_busy_add(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	if (c->busy_pprev != NULL)
		return;
	c->busy_next = w->busy;
	if (w->busy != NULL)
		w->busy->busy_pprev = &c->busy_next;
	c->busy_pprev = &w->busy;
	w->busy = c;
}

static void
busy_del(struct dp_assoc_ctx *c)
{
	if (c->busy_pprev == NULL)
		return;
	*c->busy_pprev = c->busy_next;
	if (c->busy_next != NULL)
		c->busy_next->busy_pprev = c->busy_pprev;
	c->busy_next = NULL;
	c->busy_pprev = NULL;
}

/* ---- association contexts ---- */

struct dp_assoc_ctx *
dp_service_ctx_get(struct dp_ep *e, struct dpsctp_assoc *a)
{
	struct dp_worker *w = e->w;
	struct dp_assoc_ctx *c = dpsctp_assoc_user(a);

	if (c != NULL)
		return c;
	if (w->nactx == w->cap_actx) {
		unsigned int cap = w->cap_actx != 0 ? 2 * w->cap_actx : 64;
		struct dp_assoc_ctx **n = realloc(w->actx, cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		w->actx = n;
		w->cap_actx = cap;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->a = a;
	c->e = e;
	c->slot = w->nactx;
	w->actx[w->nactx] = c;
	__atomic_store_n(&w->nactx, w->nactx + 1, __ATOMIC_RELAXED);
	dpsctp_assoc_set_user(a, c);
	return c;
}

static void
ctx_release(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	struct dp_echo_msg *m, *next;
	unsigned int last = w->nactx - 1;

	busy_del(c);
	if (w->s->services[c->e->svc].kind == DP_SVC_APP)
		dp_app_assoc_release(w, c);
	for (m = c->head; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
	free(c->cur);
	w->actx[c->slot] = w->actx[last];
	w->actx[c->slot]->slot = c->slot;
	__atomic_store_n(&w->nactx, last, __ATOMIC_RELAXED);
	free(c);
}

static void
tell_control(struct dp_worker *w, struct dp_msg *msg)
{
	/* control learns owners for INIT steering; losing one costs a stateless answer only */
	(void)rte_ring_sp_enqueue_elem(w->s->to_ctrl_msg[w->id], msg, sizeof(*msg));
}

/* Tell control which peer addresses and port association @p c owns (UP) or owned (DOWN). */
static void
report_owner(struct dp_worker *w, struct dp_assoc_ctx *c, enum dp_msg_type type)
{
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	struct dpsctp_assoc_status st;
	size_t n, i;

	dpsctp_assoc_get_status(c->a, &st);
	n = dpsctp_assoc_peer_addrs(c->a, addrs, DPSCTP_MAX_ADDRS);
	for (i = 0; i < n && i < DPSCTP_MAX_ADDRS; i++) {
		struct dp_msg msg = {
			.type = (uint16_t)type,
			.svc = (uint16_t)c->e->svc,
			.peer_port = st.peer_port,
			.u32 = dpsctp_assoc_id(c->a),
			.addr = addrs[i],
		};

		tell_control(w, &msg);
	}
}

/* ---- engine upcalls ---- */

static void
cb_state_change(void *ctx, struct dpsctp_assoc *a, enum dpsctp_state from, enum dpsctp_state to)
{
	struct dp_ep *e = ctx;
	struct dp_worker *w = e->w;
	struct dp_assoc_ctx *c = dp_service_ctx_get(e, a);

	(void)from;
	if (c == NULL)
		return; /* out of memory: the association runs, unserved; assoc_free copes */
	if (to == DPSCTP_ESTABLISHED && !c->up) {
		c->up = true;
		report_owner(w, c, DP_MSG_ASSOC_UP);
		if (w->s->services[e->svc].kind == DP_SVC_SOURCE)
			dp_service_busy_add(w, c);
		if (w->draining) {
			c->closing = true;
			(void)dpsctp_assoc_shutdown(a, w->now);
		}
	}
}

/*
 * An echo to a generator: the sequence number and the send TSC are read from the first 12
 * bytes (they may straddle pieces of a partial delivery); the rest is not looked at.
 */
static void
gen_deliver(struct dp_worker *w, const struct dp_service *sv, struct dp_assoc_ctx *c,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	unsigned int i;

	for (i = 0; i < iovcnt; i++) {
		size_t k;

		for (k = 0; k < iov[i].len && c->rx_off < 12; k++, c->rx_off++) {
			uint8_t b = iov[i].base[k];

			if (c->rx_off < 4)
				c->rx_seq = c->rx_seq << 8 | b;
			else
				c->rx_tsc |= (uint64_t)b << (8 * (c->rx_off - 4));
		}
		c->rx_off += iov[i].len - k;
	}
	if (!eor)
		return;
	if (c->rx_off != sv->size || (!sv->unordered && sv->streams == 1 && c->rx_seq != c->recv))
		w->st.svc_bad++;
	else if (sv->perf->per_worker != NULL && sv->size >= 12) {
		struct dp_gen_worker *g = &sv->perf->per_worker[w->id];

		g->lat[dp_lat_bucket(rte_rdtsc() - c->rx_tsc)]++;
		__atomic_store_n(&g->echoes, g->echoes + 1, __ATOMIC_RELAXED);
	}
	c->recv++;
	c->rx_off = 0;
	c->rx_seq = 0;
	c->rx_tsc = 0;
	dp_service_busy_add(w, c);
}

static void
cb_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct dp_ep *e = ctx;
	struct dp_worker *w = e->w;
	const struct dp_service *sv = &w->s->services[e->svc];
	struct dp_assoc_ctx *c = dp_service_ctx_get(e, a);
	unsigned int i;
	size_t total = 0;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].len;
	w->st.svc_bytes_in += total;
	if (eor)
		w->st.svc_msgs_in++;
	if (c == NULL)
		return;
	switch (sv->kind) {
	case DP_SVC_APP:
		dp_app_deliver(w, c, ri, iov, iovcnt, eor);
		return;
	case DP_SVC_DISCARD:
		return;
	case DP_SVC_SOURCE:
		if (sv->perf != NULL) {
			gen_deliver(w, sv, c, iov, iovcnt, eor);
			return;
		}
		/* check the echo: 4-byte sequence number, then bytes (seq + offset) & 0xff */
		for (i = 0; i < iovcnt; i++) {
			size_t k;

			for (k = 0; k < iov[i].len; k++, c->rx_off++) {
				uint8_t b = iov[i].base[k];

				if (c->rx_off < 4)
					c->rx_seq = c->rx_seq << 8 | b;
				else if (b != (uint8_t)(c->rx_seq + c->rx_off))
					c->rx_bad = true;
			}
		}
		if (eor) {
			if (c->rx_bad || c->rx_off != sv->size ||
				(!sv->unordered && sv->streams == 1 && c->rx_seq != c->recv))
				w->st.svc_bad++;
			c->recv++;
			c->rx_off = 0;
			c->rx_seq = 0;
			c->rx_bad = false;
			dp_service_busy_add(w, c);
		}
		return;
	case DP_SVC_ECHO:
		if (c->cur == NULL || c->cur->len + total > c->cur_cap) {
			size_t len = c->cur != NULL ? c->cur->len : 0;
			size_t cap = c->cur_cap != 0 ? c->cur_cap : 2048;
			struct dp_echo_msg *n;

			while (cap < len + total)
				cap *= 2;
			n = realloc(c->cur, sizeof(*n) + cap);
			if (n == NULL) {
				/* cannot keep it: the window stays closed by what we hold */
				return;
			}
			n->len = len;
			c->cur = n;
			c->cur_cap = cap;
		}
		for (i = 0; i < iovcnt; i++) {
			memcpy(c->cur->data + c->cur->len, iov[i].base, iov[i].len);
			c->cur->len += iov[i].len;
		}
		if (eor) {
			struct dp_echo_msg *m = c->cur;

			/* the message received is the one sent back: no second copy */
			c->cur = NULL;
			c->cur_cap = 0;
			m->next = NULL;
			memset(&m->si, 0, sizeof(m->si));
			m->si.sid = ri->sid;
			m->si.ppid = ri->ppid;
			m->si.flags = ri->flags & DPSCTP_SND_UNORDERED;
			if (c->tail != NULL)
				c->tail->next = m;
			else
				c->head = m;
			c->tail = m;
			dp_service_busy_add(w, c);
		}
		return;
	}
}

static void
cb_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct dp_ep *e = ctx;
	struct dp_worker *w = e->w;

	/* built-in services: the events are counted by the engine; telemetry shows states */
	if (w->s->services[e->svc].kind != DP_SVC_APP)
		return;
	dp_app_event(w, e, a != NULL ? dp_service_ctx_get(e, a) : NULL, ev);
}

static void
cb_assoc_free(void *ctx, struct dpsctp_assoc *a)
{
	struct dp_ep *e = ctx;
	struct dp_worker *w = e->w;
	struct dp_assoc_ctx *c = dpsctp_assoc_user(a);

	if (c == NULL)
		return;
	if (c->up)
		report_owner(w, c, DP_MSG_ASSOC_DOWN);
	ctx_release(w, c);
	dpsctp_assoc_set_user(a, NULL);
}

/*
 * Source address selection for the engine: the route to @p remote names a port and our
 * address on it; the endpoint must be bound to it (or to another address of that port).
 */
static int
cb_route(void *ctx, const struct dpsctp_addr *remote, struct dpsctp_addr *local)
{
	struct dp_ep *e = ctx;
	const struct dp_stack *s = e->w->s;
	unsigned int i;

	/*
	 * The addresses the endpoint was given (a copy: an application slot's change under its
	 * seqlock while we read)
	 */
	/* our own address (local delivery): itself when bound, else a bound one of the family */
	if (dp_stack_is_local(s, remote)) {
		for (i = 0; i < e->naddrs; i++) {
			if (e->addrs[i].family == remote->family &&
				memcmp(e->addrs[i].bytes, remote->bytes, 16) == 0) {
				*local = *remote;
				return 0;
			}
		}
		for (i = 0; i < e->naddrs; i++) {
			if (e->addrs[i].family == remote->family) {
				*local = e->addrs[i];
				return 0;
			}
		}
		return -EHOSTUNREACH;
	}
	return dp_route_source_for(&s->routes, remote, e->addrs, e->naddrs, local);
}

void
dp_service_callbacks(const struct dp_service *sv, struct dp_ep *e, struct dpsctp_callbacks *cb)
{
	(void)sv;
	memset(cb, 0, sizeof(*cb));
	cb->ctx = e;
	cb->state_change = cb_state_change;
	cb->deliver = cb_deliver;
	cb->event = cb_event;
	cb->assoc_free = cb_assoc_free;
	cb->route = cb_route;
}

/* ---- after input: echo, source ---- */

static bool
echo_run(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	while (c->head != NULL) {
		struct dp_echo_msg *m = c->head;
		int rc = dpsctp_assoc_send(c->a, &m->si, m->data, m->len, w->now);

		if (rc == -EAGAIN)
			return false; /* send buffer full: try again on a later loop */
		if (rc == 0) {
			w->st.svc_msgs_out++;
			w->st.svc_bytes_out += m->len;
		}
		/* sent, or never will be (shutdown, bad stream): either way it is read now */
		dpsctp_assoc_consume(c->a, m->len, w->now);
		c->head = m->next;
		if (c->head == NULL)
			c->tail = NULL;
		free(m);
	}
	return true;
}

static bool
source_run(struct dp_worker *w, struct dp_assoc_ctx *c)
{
	const struct dp_service *sv = &w->s->services[c->e->svc];
	uint8_t buf[65536];
	uint32_t size = sv->size < sizeof(buf) ? sv->size : sizeof(buf);

	if (c->closing)
		return true;
	while (sv->count == 0 || c->sent < sv->count) {
		if (sv->perf != NULL && sv->perf->outstanding != 0 &&
			c->sent - c->recv >= sv->perf->outstanding)
			return true; /* the next echo puts us back on the busy list */
		struct dpsctp_sndinfo si = {
			.sid = (uint16_t)(c->sent % sv->streams),
			.flags = sv->unordered ? DPSCTP_SND_UNORDERED : 0,
		};
		uint32_t k;
		int rc;

		buf[0] = (uint8_t)(c->sent >> 24);
		buf[1] = (uint8_t)(c->sent >> 16);
		buf[2] = (uint8_t)(c->sent >> 8);
		buf[3] = (uint8_t)c->sent;
		if (sv->perf != NULL) {
			uint64_t tsc = rte_rdtsc();

			/* only the header: filling every byte would cost the generator, not us */
			for (k = 4; k < 12 && k < size; k++, tsc >>= 8)
				buf[k] = (uint8_t)tsc;
		} else {
			for (k = 4; k < size; k++)
				buf[k] = (uint8_t)(c->sent + k);
		}
		rc = dpsctp_assoc_send(c->a, &si, buf, size, w->now);
		if (rc == -EAGAIN)
			return false;
		if (rc == -ESHUTDOWN || rc == -ENOTCONN) {
			/* the peer (or we) began the end: nothing more to send, nothing went wrong */
			c->closing = true;
			return true;
		}
		if (rc != 0) {
			w->st.svc_bad++;
			return true;
		}
		c->sent++;
		w->st.svc_msgs_out++;
		w->st.svc_bytes_out += size;
	}
	if (!c->done && (!sv->check_echo || c->recv >= sv->count)) {
		c->done = true;
		w->st.svc_done++;
		if (sv->shutdown_when_done) {
			c->closing = true;
			(void)dpsctp_assoc_shutdown(c->a, w->now);
		}
	}
	return true;
}

void
dp_service_run(struct dp_worker *w)
{
	struct dp_assoc_ctx *c, *next;

	for (c = w->busy; c != NULL; c = next) {
		const struct dp_service *sv = &w->s->services[c->e->svc];
		bool finished;

		next = c->busy_next;
		if (sv->kind == DP_SVC_APP) {
			int rc = dp_app_assoc_run(w, c);

			if (rc == 2)
				continue; /* freed (and taken off the list) by the engine */
			if (rc == 1)
				busy_del(c);
			continue;
		}
		finished = sv->kind == DP_SVC_SOURCE ? source_run(w, c) : echo_run(w, c);
		dp_ep_touch(c->e);
		if (finished)
			busy_del(c);
	}
}

/* ---- primitives from control ---- */

void
dp_service_associate(struct dp_worker *w, struct dp_associate_req *req)
{
	struct dpsctp_assoc *a = NULL;

	if (req->svc < w->s->nservices && w->eps[req->svc].ep != NULL) {
		struct dp_ep *e = &w->eps[req->svc];

		if (dpsctp_associate(e->ep, req->peers, req->npeers, req->peer_port, req->os,
			    w->now, &a) == 0) {
			(void)dp_service_ctx_get(e, a);
			dp_ep_touch(e);
		}
	}
	free(req);
}

void
dp_service_shutdown_all(struct dp_worker *w, bool abort)
{
	unsigned int i;

	/* the engine may free associations as we go (before ESTABLISHED): walk from the end */
	for (i = w->nactx; i-- > 0;) {
		struct dp_assoc_ctx *c;

		if (i >= w->nactx)
			continue;
		c = w->actx[i];
		dp_ep_touch(c->e);
		if (abort)
			(void)dpsctp_assoc_abort(c->a, NULL, 0, w->now);
		else if (!c->closing)
			(void)dpsctp_assoc_shutdown(c->a, w->now);
		if (i < w->nactx && w->actx[i] == c)
			c->closing = true;
	}
	for (i = 0; i < w->s->nservices; i++)
		dp_ep_touch(&w->eps[i]);
}

void
dp_service_snapshot(struct dp_worker *w, struct dp_assoc_ctx *c, struct dp_snap_buf *b)
{
	if (b->n >= DP_SNAP_MAX)
		return;
	dp_snapshot_fill(&b->a[b->n++], c->a, (uint16_t)c->e->svc,
		w->s->services[c->e->svc].port);
}
