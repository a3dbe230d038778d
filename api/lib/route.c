/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp routing: what the workers send (REPLY, CREDIT, DATA, NOTIFY), drained from the
 * worker -> app channels by session.c, becomes request answers, send credit, queued messages
 * and notifications of the socket that owns the association; new associations of a listening
 * endpoint become associations of a one-to-many socket or sockets in an accept queue.
 *
 * DATA nobody will read (the socket closed or shut for reading, no memory for the copy) is
 * reported read at once (lassoc_consumed): the worker holds delivered bytes against our window
 * until we say so, and a window that never reopens would stall the peer, a graceful SHUTDOWN
 * included.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void
lsock_rq_append(struct dpsctp_lsock *s, struct lmsg *m)
{
	m->next = NULL;
	if (s->rq_tail != NULL)
		s->rq_tail->next = m;
	else
		s->rq_head = m;
	s->rq_tail = m;
}

static void
route_reply(struct lsess *ss, const struct dpsctp_desc *d, const uint8_t *payload)
{
	struct lreq **pp, *q;

	for (pp = &ss->reqs; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->req == d->req)
			break;
	q = *pp;
	if (q == NULL)
		return;
	*pp = q->next;
	if (q->async) {
		struct lassoc *a = lassoc_find(ss, q->svc, q->async_id);

		if (a != NULL && d->result == 0)
			lassoc_paddrs_parse(a, payload, d->len);
		free(q);
		return;
	}
	q->result = d->result;
	q->assoc_id = d->assoc_id;
	q->rep_len = d->len < q->rep_cap ? d->len : q->rep_cap;
	if (q->rep_len > 0)
		memcpy(q->rep, payload, q->rep_len);
	if (q->assoc_for != NULL && d->result == 0 && !q->assoc_for->closed &&
		q->assoc_for->ep != NULL && lassoc_find(ss, q->svc, d->assoc_id) == NULL) {
		/* Create the association now: its events follow this REPLY in the channel. */
		struct lassoc *a = lassoc_new(q->assoc_for, d->assoc_id, LA_CONNECTING);

		unsigned int k;

		if (a != NULL && q->conn_req != NULL) {
			a->pport = q->conn_req->peer_port;
			a->npaddrs = q->conn_req->npeers;
			memcpy(a->paddrs, q->conn_req->peers, a->npaddrs * sizeof(a->paddrs[0]));
		}
		for (k = 0; a != NULL && k < LSESS_TOMBS; k++) {
			struct ltomb *t = &ss->tombs[k];

			if (t->id == a->id && t->svc == a->svc) {
				a->state = LA_DEAD;
				a->err = t->err;
				t->id = 0;
			}
		}
	}
	q->done = true;
	pthread_cond_broadcast(&ss->cv);
}

/* An association the library did not know about appeared on endpoint @p svc. */
static struct lassoc *
route_new_assoc(struct lsess *ss, uint32_t svc, uint32_t id)
{
	struct lep *e = lep_find(ss, svc);
	struct dpsctp_lsock *m, *c;
	struct lassoc *a;

	if (e == NULL || e->main == NULL || e->main->closed)
		return NULL;
	m = e->main;
	if (m->type == SOCK_SEQPACKET)
		return lassoc_new(m, id, LA_UP);
	if (!m->listening)
		return m->conn == NULL ? lassoc_new(m, id, LA_UP) : NULL;
	/* one-to-one listener: a new socket waits in the accept queue */
	c = lsock_new(ss, SOCK_STREAM, m->family, false);
	if (c == NULL)
		return NULL;
	c->opts = m->opts;
	c->ep = e;
	e->nsock++;
	a = lassoc_new(c, id, LA_UP);
	if (a == NULL) {
		e->nsock--;
		c->closed = true;
		lsock_free(c);
		return NULL;
	}
	c->parent = m;
	if (m->acc_tail != NULL)
		m->acc_tail->acc_next = c;
	else
		m->acc_head = c;
	m->acc_tail = c;
	return a;
}

/*
 * DATA of an association we do not know (its socket could not take it): best effort, say it
 * was read so that the worker does not keep it against the window of an association that goes
 * on (a CONSUMED for one that ended is ignored there).
 */
static void
consumed_unknown(struct lsess *ss, const struct dpsctp_desc *d)
{
	struct dpsctp_desc c = {0};

	if (d->len == 0)
		return;
	c.op = DPSCTP_OP_CONSUMED;
	c.svc = d->svc;
	c.assoc_id = d->assoc_id;
	c.arg = d->len;
	(void)lsess_post(ss, lsess_owner(ss, d->assoc_id), &c, NULL, 0, true);
}

static void
route_data(struct lsess *ss, const struct dpsctp_desc *d, const uint8_t *payload)
{
	struct lassoc *a = lassoc_find(ss, d->svc, d->assoc_id);
	struct dpsctp_lsock *s;
	struct lmsg *m;
	struct lbuf *b;

	if (a == NULL) {
		struct lep *e = lep_find(ss, d->svc);

		if (e != NULL && e->main != NULL && e->main->type == SOCK_SEQPACKET)
			a = route_new_assoc(ss, d->svc, d->assoc_id);
		if (a == NULL) {
			consumed_unknown(ss, d);
			return;
		}
	}
	s = a->s;
	if (s == NULL || s->shut_rd || s->closed) {
		lassoc_consumed(ss, a, d->len, false);
		return;
	}
	m = a->partial;
	if (m == NULL) {
		m = calloc(1, sizeof(*m));
		if (m == NULL) {
			lassoc_consumed(ss, a, d->len, false);
			return;
		}
		m->assoc_id = a->id;
		m->sid = d->sid;
		m->ssn = d->ssn;
		m->flags = (d->flags & DPSCTP_DESC_UNORDERED) ? DPSCTP_UNORDERED : 0;
		m->ppid = d->ppid;
		m->tsn = d->tsn;
		m->cumtsn = d->cumtsn;
		m->context = a->context;
		if (a->npaddrs > 0) {
			m->has_from = true;
			m->from = a->paddrs[0];
			m->from_port = a->pport;
		}
		lsock_rq_append(s, m);
		a->partial = m;
	}
	if (d->len > 0) {
		b = malloc(sizeof(*b) + d->len);
		if (b != NULL) {
			b->next = NULL;
			b->len = d->len;
			memcpy(b->data, payload, d->len);
			if (m->tail != NULL)
				m->tail->next = b;
			else
				m->head = b;
			m->tail = b;
			m->len += d->len;
			s->rq_bytes += d->len;
			a->rq_data += d->len;
		} else {
			lassoc_consumed(ss, a, d->len, false);
		}
	}
	m->cumtsn = d->cumtsn;
	if (d->flags & DPSCTP_DESC_EOR) {
		m->complete = true;
		a->partial = NULL;
	}
	lsock_wake(s);
}

/* Credit back bytes of SEND payload (never below zero: a double credit is harmless). */
static void
credit(struct lassoc *a, uint64_t bytes)
{
	a->inflight = bytes >= a->inflight ? 0 : a->inflight - bytes;
	if (a->s != NULL)
		lsock_wake(a->s);
}

/*
 * A setup that failed: refused (ECONNREFUSED) when the peer sent ABORT, timed out (ETIMEDOUT)
 * when retransmissions ran out; the worker says which (DPSCTP_ABI_EV_*). From a daemon that
 * does not say, a cause or ABORT data means the peer's ABORT.
 */
static bool
refused(const struct dpsctp_abi_event *ev, size_t data_len)
{
	if (ev->flags & DPSCTP_ABI_EV_PEER_ABORT)
		return true;
	if (ev->flags & DPSCTP_ABI_EV_TIMEOUT)
		return false;
	return ev->error != 0 || data_len > 0;
}

static void
route_notify(struct lsess *ss, const struct dpsctp_desc *d, const uint8_t *payload)
{
	struct dpsctp_abi_event ev;
	const uint8_t *data;
	size_t data_len;
	struct lassoc *a;
	struct dpsctp_lsock *s;
	uint16_t type;

	if (d->len < sizeof(ev))
		return;
	memcpy(&ev, payload, sizeof(ev));
	data = payload + sizeof(ev);
	data_len = d->len - sizeof(ev);
	if (ev.data_len < data_len)
		data_len = ev.data_len;
	a = lassoc_find(ss, d->svc, d->assoc_id);
	if (a == NULL && ev.type == 1 && (ev.state == DPSCTP_COMM_UP || ev.state == DPSCTP_RESTART))
		a = route_new_assoc(ss, d->svc, d->assoc_id);
	if (a == NULL) {
		/* An association that ended before the REPLY naming it arrived (its ASSOCIATE
		 * failed at once): remember the end for route_reply. */
		if (ev.type == 1 && (ev.state == DPSCTP_CANT_STR_ASSOC || ev.state == DPSCTP_COMM_LOST ||
			ev.state == DPSCTP_SHUTDOWN_COMP)) {
			struct ltomb *t = &ss->tombs[ss->ntomb++ % LSESS_TOMBS];

			t->svc = d->svc;
			t->id = d->assoc_id;
			t->err = ev.state == DPSCTP_COMM_LOST ? ECONNRESET :
				ev.state == DPSCTP_SHUTDOWN_COMP ? 0 :
				refused(&ev, data_len) ? ECONNREFUSED : ETIMEDOUT;
		}
		return;
	}
	type = lnotify_type(ev.type);
	switch (type) {
	case DPSCTP_ASSOC_CHANGE:
		switch (ev.state) {
		case DPSCTP_COMM_UP:
		case DPSCTP_RESTART:
			a->state = LA_UP;
			a->os = ev.os;
			a->is = ev.is;
			a->paddrs_known = false;
			if (ev.state == DPSCTP_RESTART)
				a->inflight = 0;
			break;
		case DPSCTP_COMM_LOST:
		case DPSCTP_CANT_STR_ASSOC:
		case DPSCTP_SHUTDOWN_COMP:
			if (ev.state == DPSCTP_COMM_LOST)
				a->err = ECONNRESET;
			else if (ev.state == DPSCTP_CANT_STR_ASSOC)
				a->err = refused(&ev, data_len) ? ECONNREFUSED : ETIMEDOUT;
			a->state = LA_DEAD;
			a->inflight = 0;
			if (a->partial != NULL) {
				a->partial->complete = true;
				a->partial = NULL;
			}
			break;
		default:
			break;
		}
		break;
	case DPSCTP_SHUTDOWN_EVENT:
		a->peer_shut = true;
		break;
	case DPSCTP_SEND_FAILED_EVENT:
		/* nothing to do: the worker credits the bytes of a failed SEND itself */
		break;
	case DPSCTP_PARTIAL_DELIVERY_EVENT:
		if (a->partial != NULL) {
			a->partial->complete = true;
			a->partial = NULL;
		}
		break;
	case DPSCTP_PEER_ADDR_CHANGE:
		a->paddrs_known = false;
		break;
	default:
		break;
	}
	s = a->s;
	if (s == NULL) {
		if (a->state == LA_DEAD && a->refs == 0) {
			lassoc_unhash(ss, a);
			free(a);
		}
		return;
	}
	if (type != 0 && !s->shut_rd && (s->opts.events & (1u << (type - DPSCTP_SN_TYPE_BASE)))) {
		uint8_t *buf = NULL;
		size_t n = lnotify_build(&ev, data, data_len, d->result, a->id, a->pport,
			s->opts.mapped_v4, s->family, &buf);

		if (n > 0) {
			struct lmsg *m = calloc(1, sizeof(*m));
			struct lbuf *b = malloc(sizeof(*b) + n);

			if (m != NULL && b != NULL) {
				b->next = NULL;
				b->len = (uint32_t)n;
				memcpy(b->data, buf, n);
				m->assoc_id = a->id;
				m->notification = true;
				m->complete = true;
				m->len = n;
				m->head = m->tail = b;
				m->context = a->context;
				lsock_rq_append(s, m);
				s->rq_bytes += n;
			} else {
				free(m);
				free(b);
			}
		}
		free(buf);
	}
	if (a->state == LA_DEAD) {
		if (s->type == SOCK_STREAM && s->conn == a && s->nonblock && a->err != 0 &&
			!a->err_reported) {
			s->so_error = a->err;
			s->conn_event = true;
		}
		if (s->type == SOCK_SEQPACKET && !a->zombie) {
			dpsctp_opts_assoc_forget(&s->opts, a->id);
			lassoc_zombify(ss, s, a);
		}
	} else {
		if (type == DPSCTP_ASSOC_CHANGE && ev.state == DPSCTP_COMM_UP &&
			s->type == SOCK_STREAM && s->nonblock && s->conn == a)
			s->conn_event = true;
		if ((type == DPSCTP_ASSOC_CHANGE && (ev.state == DPSCTP_COMM_UP ||
			ev.state == DPSCTP_RESTART)) || type == DPSCTP_PEER_ADDR_CHANGE)
			lassoc_prefetch_paddrs(ss, a);
	}
	lsock_wake(s);
}

void
lroute(struct lsess *ss, const struct dpsctp_desc *d, const uint8_t *payload)
{
	struct lassoc *a;

	switch (d->op) {
	case DPSCTP_OP_REPLY:
		route_reply(ss, d, payload);
		break;
	case DPSCTP_OP_CREDIT:
		a = lassoc_find(ss, d->svc, d->assoc_id);
		if (a != NULL)
			credit(a, d->arg);
		break;
	case DPSCTP_OP_DATA:
		route_data(ss, d, payload);
		break;
	case DPSCTP_OP_NOTIFY:
		route_notify(ss, d, payload);
		break;
	default:
		break;
	}
}

void
lsess_fail(struct lsess *ss)
{
	struct dpsctp_lsock *s;

	ss->dead = true;
	if (dpsctp_core.cur == ss)
		dpsctp_core.cur = NULL;
	while (ss->reqs != NULL) {
		struct lreq *q = ss->reqs;

		ss->reqs = q->next;
		if (q->async) {
			free(q);
			continue;
		}
		q->result = -ECONNRESET;
		q->done = true;
	}
	pthread_cond_broadcast(&ss->cv);
	for (s = ss->socks; s != NULL; s = s->snext)
		lsock_wake(s);
}
