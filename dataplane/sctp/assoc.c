/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The association: its life (create, end, release), the user primitives of RFC 9260 section 10,
 * its timers (deadlines only) and the control chunks it sends.
 */
#include <string.h>

#include "assoc.h"
#include "cause.h"
#include "initparam.h"
#include "packet.h"

static const char *const state_names[DPSCTP_STATE_COUNT] = {
	[DPSCTP_CLOSED] = "CLOSED",
	[DPSCTP_COOKIE_WAIT] = "COOKIE-WAIT",
	[DPSCTP_COOKIE_ECHOED] = "COOKIE-ECHOED",
	[DPSCTP_ESTABLISHED] = "ESTABLISHED",
	[DPSCTP_SHUTDOWN_PENDING] = "SHUTDOWN-PENDING",
	[DPSCTP_SHUTDOWN_SENT] = "SHUTDOWN-SENT",
	[DPSCTP_SHUTDOWN_RECEIVED] = "SHUTDOWN-RECEIVED",
	[DPSCTP_SHUTDOWN_ACK_SENT] = "SHUTDOWN-ACK-SENT",
};

const char *
dpsctp_state_name(enum dpsctp_state s)
{
	return (unsigned int)s < DPSCTP_STATE_COUNT ? state_names[s] : "?";
}

uint32_t
dpsctp_assoc_random32(struct dpsctp_endpoint *ep)
{
	uint32_t v;

	ep->env.random(ep->env.ctx, &v, sizeof(v));
	return v;
}

uint32_t
dpsctp_assoc_random_tag(struct dpsctp_endpoint *ep)
{
	uint32_t v;

	/* 5.3.1: a verification tag is never 0; its low bits may name the owning core */
	do
		v = (dpsctp_assoc_random32(ep) & ~((1u << ep->owner_bits) - 1)) | ep->owner;
	while (v == 0);
	return v;
}

struct dpsctp_assoc *
dpsctp_assoc_new(struct dpsctp_endpoint *ep, uint64_t now)
{
	struct dpsctp_assoc *a = ep->env.alloc(ep->env.ctx, sizeof(*a));
	unsigned int t;

	if (a == NULL) {
		ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
		return NULL;
	}
	/* the deadline heap has room for it from now on: keeping it there never fails */
	if (dpsctp_deadlines_reserve(ep, (uint32_t)ep->nassocs + 1) != 0) {
		ep->env.free(ep->env.ctx, a, sizeof(*a));
		ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
		return NULL;
	}
	memset(a, 0, sizeof(*a));
	a->ep = ep;
	a->dl.idx = DPSCTP_DL_NONE;
	do
		a->id = (++ep->next_id << ep->owner_bits) | ep->owner;
	while (a->id == 0 || dpsctp_endpoint_assoc_by_id(ep, a->id) != NULL);
	a->state = DPSCTP_CLOSED;
	for (t = 0; t < DPSCTP_TIMER_COUNT; t++)
		a->deadline[t] = DPSCTP_NEVER;
	a->cfg = ep->cfg;
	memcpy(a->laddrs, ep->addrs, sizeof(ep->addrs[0]) * ep->naddrs);
	a->nladdrs = ep->naddrs;
	a->last_activity = now;
	a->rto_initial = ep->cfg.rto_initial;
	a->rto_min = ep->cfg.rto_min;
	a->rto_max = ep->cfg.rto_max;
	a->hb_interval = ep->cfg.hb_interval;
	a->path_flags = ep->cfg.hb_interval == 0 ? DPSCTP_PF_HB_OFF : 0;
	a->pmr = ep->cfg.path_max_retrans;
	a->pfmr = ep->cfg.pf_threshold;
	a->mtu_min = ep->cfg.pmtu;
	a->ip_hdr_max = 20;
	a->os_wanted = ep->cfg.os;
	a->next = ep->assocs;
	ep->assocs = a;
	ep->nassocs++;
	dpsctp_assoc_wake(a);
	return a;
}

void
dpsctp_assoc_release(struct dpsctp_assoc *a)
{
	struct dpsctp_endpoint *ep = a->ep;

	if (ep->cb.assoc_free != NULL && a->announced)
		ep->cb.assoc_free(ep->cb.ctx, a);
	dpsctp_ep_unlink(ep, a);
	dpsctp_outq_teardown(a, false, 0);
	dpsctp_rcv_teardown(a, false);
	dpsctp_assoc_free_cookie(a);
	if (a->hb_ack_info != NULL && a->hb_ack_info != a->hb_ack_inline)
		ep->env.free(ep->env.ctx, a->hb_ack_info, a->hb_ack_len);
	ep->stats.assocs_closed++;
	ep->env.free(ep->env.ctx, a, sizeof(*a));
}

void
dpsctp_assoc_free_cookie(struct dpsctp_assoc *a)
{
	if (a->cookie != NULL)
		a->ep->env.free(a->ep->env.ctx, a->cookie, a->cookie_len);
	a->cookie = NULL;
	a->cookie_len = 0;
}

void
dpsctp_assoc_set_state(struct dpsctp_assoc *a, enum dpsctp_state s)
{
	enum dpsctp_state from = a->state;

	if (from == s)
		return;
	a->state = s;
	a->announced = true;
	if (a->ep->cb.state_change != NULL)
		a->ep->cb.state_change(a->ep->cb.ctx, a, from, s);
}

/*
 * The streams and initial TSNs are known (INIT ACK taken, or a cookie opened): set up the data
 * sender and receiver. On a restart (5.2.4 A) what was sent to the old incarnation fails.
 */
int
dpsctp_assoc_data_setup(struct dpsctp_assoc *a, bool restart)
{
	unsigned int i;
	int rc;

	if (restart) {
		rc = dpsctp_outq_restart(a, a->os, a->local_itsn);
		dpsctp_rcv_teardown(a, true);
	} else {
		rc = dpsctp_outq_setup(a, a->os, a->local_itsn);
		dpsctp_rcv_teardown(a, false);
	}
	if (rc == 0)
		rc = dpsctp_rcv_setup(a);
	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];

		dpsctp_cc_init(&p->cc, p->cc.mtu, a->peer_rwnd);
		p->t3 = DPSCTP_NEVER;
		p->flight = 0;
	}
	a->deadline[DPSCTP_T_SACK] = DPSCTP_NEVER;
	return rc;
}

/*
 * 9.2: in SHUTDOWN-PENDING, once all outstanding data is acknowledged, send SHUTDOWN (T2 and
 * the T5 guard start, SHUTDOWN-SENT); in SHUTDOWN-RECEIVED, send SHUTDOWN ACK (T2,
 * SHUTDOWN-ACK-SENT).
 */
void
dpsctp_assoc_shutdown_progress(struct dpsctp_assoc *a, uint64_t now)
{
	if (!dpsctp_outq_empty(a))
		return;
	if (a->state == DPSCTP_SHUTDOWN_PENDING) {
		dpsctp_assoc_timer_stop(a, DPSCTP_T_HEARTBEAT);
		a->ctrl = (uint8_t)dpsctp_paths_data(a);
		a->pending |= DPSCTP_SEND_SHUTDOWN;
		dpsctp_assoc_set_state(a, DPSCTP_SHUTDOWN_SENT);
		dpsctp_assoc_timer_start(a, DPSCTP_T2_SHUTDOWN, now);
		dpsctp_assoc_timer_start(a, DPSCTP_T5_GUARD, now);
	} else if (a->state == DPSCTP_SHUTDOWN_RECEIVED) {
		dpsctp_assoc_timer_stop(a, DPSCTP_T_HEARTBEAT);
		a->ctrl = (uint8_t)dpsctp_paths_data(a);
		a->pending |= DPSCTP_SEND_SHUTDOWN_ACK;
		dpsctp_assoc_set_state(a, DPSCTP_SHUTDOWN_ACK_SENT);
		dpsctp_assoc_timer_start(a, DPSCTP_T2_SHUTDOWN, now);
	}
}

void
dpsctp_assoc_event(struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	a->announced = true;
	if (a->ep->cb.event != NULL)
		a->ep->cb.event(a->ep->cb.ctx, a, ev);
}

bool
dpsctp_assoc_has_peer_addr(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr)
{
	return dpsctp_paths_find(a, addr) >= 0;
}

/* Handshake and shutdown chunks follow the control path (rotated on retransmission); the rest
 * goes where data goes. */
static bool
ctrl_state(const struct dpsctp_assoc *a)
{
	return dpsctp_assoc_before_established(a) || a->state == DPSCTP_SHUTDOWN_SENT ||
		a->state == DPSCTP_SHUTDOWN_ACK_SENT;
}

struct dpsctp_path
dpsctp_assoc_ctrl_path(const struct dpsctp_assoc *a)
{
	unsigned int i = ctrl_state(a) ? a->ctrl : a->data_path;
	struct dpsctp_path none;

	if (i < a->npaths && a->paths[i].reachable)
		return dpsctp_paths_get(a, i);
	/* no route there: any confirmed path that has one; else nowhere (local family 0) */
	for (i = 0; i < a->npaths; i++)
		if (a->paths[i].reachable && a->paths[i].state != DPSCTP_PATH_UNCONFIRMED)
			return dpsctp_paths_get(a, i);
	memset(&none, 0, sizeof(none));
	return none;
}

static uint64_t
ctrl_rto(const struct dpsctp_assoc *a)
{
	return a->npaths > 0 ? a->paths[a->ctrl].rto.rto : a->rto_initial;
}

/* T1-init / T1-cookie: the RTO of the control path, at most max_init_timeo (RFC 6458 8.1.3
 * sinit_max_init_timeo) */
static uint64_t
t1_timeout(const struct dpsctp_assoc *a)
{
	uint64_t rto = ctrl_rto(a);

	if (a->cfg.max_init_timeo != 0 && rto > a->cfg.max_init_timeo)
		return a->cfg.max_init_timeo;
	return rto;
}

/* RFC 6458 8.1.8: the autoclose deadline counts from the last activity. */
static void
autoclose_arm(struct dpsctp_assoc *a)
{
	if (a->cfg.autoclose == 0 || a->state != DPSCTP_ESTABLISHED)
		a->deadline[DPSCTP_T_AUTOCLOSE] = DPSCTP_NEVER;
	else
		a->deadline[DPSCTP_T_AUTOCLOSE] = a->last_activity + a->cfg.autoclose;
}

void
dpsctp_assoc_activity(struct dpsctp_assoc *a, uint64_t now)
{
	if (now > a->last_activity)
		a->last_activity = now;
	if (a->cfg.autoclose != 0)
		autoclose_arm(a);
}

/* ---- timers ---- */

void
dpsctp_assoc_timer_start(struct dpsctp_assoc *a, enum dpsctp_timer t, uint64_t now)
{
	a->retrans[t] = 0;
	switch (t) {
	case DPSCTP_T5_GUARD:
		a->deadline[t] = now + a->cfg.shutdown_guard;
		break;
	case DPSCTP_T_HEARTBEAT:
		/* started on every entry into ESTABLISHED: so is the autoclose timer */
		dpsctp_paths_start(a, now);
		dpsctp_assoc_activity(a, now);
		break;
	case DPSCTP_T_AUTOCLOSE:
		dpsctp_assoc_activity(a, now);
		break;
	case DPSCTP_T1_INIT:
	case DPSCTP_T1_COOKIE:
		a->deadline[t] = now + t1_timeout(a);
		break;
	case DPSCTP_T_SACK:
		a->deadline[t] = now + a->cfg.sack_delay;
		break;
	case DPSCTP_T_LIFETIME:
		break;
	default:
		a->deadline[t] = now + ctrl_rto(a);
		break;
	}
}

void
dpsctp_assoc_timer_stop(struct dpsctp_assoc *a, enum dpsctp_timer t)
{
	if (t == DPSCTP_T_HEARTBEAT)
		dpsctp_paths_stop_heartbeats(a);
	a->deadline[t] = DPSCTP_NEVER;
	a->retrans[t] = 0;
}

uint64_t
dpsctp_assoc_next_deadline(const struct dpsctp_assoc *a)
{
	uint64_t d = dpsctp_paths_next_deadline(a);
	unsigned int t;

	for (t = 0; t < DPSCTP_TIMER_COUNT; t++)
		if (a->deadline[t] < d)
			d = a->deadline[t];
	return d;
}

/* T1-init / T1-cookie (5.1 and 6.3.3): retransmit with RTO back-off, up to Max.Init.Retransmits,
 * then "abort the initialization process and report the error to the SCTP user". */
static bool
t1_expired(struct dpsctp_assoc *a, enum dpsctp_timer t, uint64_t now)
{
	a->ep->stats.t1_expiries++;
	if (++a->retrans[t] > a->cfg.max_init_retrans) {
		dpsctp_assoc_end(a, t == DPSCTP_T1_INIT ? DPSCTP_ABORT_T1_INIT : DPSCTP_ABORT_T1_COOKIE,
			false, 0, NULL, 0, NULL, 0, DPSCTP_EV_CANT_STR_ASSOC);
		return false;
	}
	/* 6.3.3 E2 on the path used; 6.4: the retransmission tries the next address */
	dpsctp_rto_backoff(&a->paths[a->ctrl].rto);
	dpsctp_paths_ctrl_rotate(a);
	a->pending |= t == DPSCTP_T1_INIT ? DPSCTP_SEND_INIT : DPSCTP_SEND_COOKIE_ECHO;
	a->deadline[t] = now + t1_timeout(a);
	return true;
}

/* T2-shutdown (9.2): retransmit SHUTDOWN or SHUTDOWN ACK; past Association.Max.Retrans the
 * peer is unreachable. */
static bool
t2_expired(struct dpsctp_assoc *a, uint64_t now)
{
	a->ep->stats.t2_expiries++;
	a->retrans[DPSCTP_T2_SHUTDOWN]++;
	if (++a->error_count > a->cfg.assoc_max_retrans) {
		dpsctp_assoc_end(a, DPSCTP_ABORT_T2_SHUTDOWN, true, 0, NULL, 0, NULL, 0,
			DPSCTP_EV_COMM_LOST);
		return false;
	}
	/* 8.2: an error on the path too; 6.4: the retransmission goes to an alternate */
	dpsctp_rto_backoff(&a->paths[a->ctrl].rto);
	dpsctp_path_strike(a, a->ctrl, now);
	dpsctp_paths_ctrl_rotate(a);
	a->pending |= a->state == DPSCTP_SHUTDOWN_SENT ? DPSCTP_SEND_SHUTDOWN :
							 DPSCTP_SEND_SHUTDOWN_ACK;
	a->deadline[DPSCTP_T2_SHUTDOWN] = now + ctrl_rto(a);
	return true;
}

void
dpsctp_assoc_expire(struct dpsctp_assoc *a, uint64_t now)
{
	unsigned int t;

	dpsctp_assoc_wake(a); /* a retransmission, a HEARTBEAT, a delayed SACK... */
	for (t = 0; t < DPSCTP_TIMER_COUNT; t++) {
		bool alive = true;

		if (a->deadline[t] > now)
			continue;
		a->deadline[t] = DPSCTP_NEVER;
		switch (t) {
		case DPSCTP_T1_INIT:
		case DPSCTP_T1_COOKIE:
			alive = t1_expired(a, t, now);
			break;
		case DPSCTP_T2_SHUTDOWN:
			alive = t2_expired(a, now);
			break;
		case DPSCTP_T5_GUARD:
			/* 9.2: "the sender SHOULD abort the association by sending an ABORT chunk" */
			dpsctp_assoc_end(a, DPSCTP_ABORT_T5_GUARD, true, 0, NULL, 0, NULL, 0,
				DPSCTP_EV_COMM_LOST);
			alive = false;
			break;
		case DPSCTP_T_SACK:
			a->pending |= DPSCTP_SEND_SACK;
			break;
		case DPSCTP_T_LIFETIME:
			dpsctp_outq_expire_lifetimes(a, now);
			break;
		case DPSCTP_T_AUTOCLOSE:
			/* RFC 6458 8.1.8: idle for autoclose: the SHUTDOWN primitive (data still
			 * queued goes first, 9.2) */
			if (a->state == DPSCTP_ESTABLISHED)
				dpsctp_assoc_shutdown(a, now);
			break;
		}
		if (!alive)
			return;
	}
	dpsctp_paths_expire(a, now);
}

/* ---- ending ---- */

void
dpsctp_assoc_queue_cause(struct dpsctp_assoc *a, uint16_t code, const void *data, size_t len)
{
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, a->err_buf, sizeof(a->err_buf));
	w.len = a->err_len;
	if (dpsctp_tlv_begin(&w, code, &mark) != 0 || dpsctp_wbuf_put(&w, data, len) != 0 ||
		dpsctp_tlv_end(&w, mark) != 0)
		return; /* the ERROR chunk is full: this cause is not reported */
	a->err_len = w.len;
	a->pending |= DPSCTP_SEND_ERROR;
	a->ep->stats.errors_sent++;
}

void
dpsctp_assoc_end(struct dpsctp_assoc *a, enum dpsctp_abort_code code, bool send_abort,
	uint16_t cause, const void *data, size_t len, const uint8_t *peer_causes,
	size_t peer_causes_len, enum dpsctp_assoc_change_state ev_state)
{
	struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_event ev;

	ep->stats.aborts[code]++;
	if (send_abort) {
		uint8_t type = DPSCTP_CHUNK_ABORT;
		struct dpsctp_path cp = dpsctp_assoc_ctrl_path(a);

		/* 8.4 rule 3 / 8.5.1: without the peer's tag (COOKIE-WAIT) our own tag with the T bit
		 * is all we can send; without a route to the peer, nothing */
		if (cp.local.family == 0)
			;
		else if (a->peer_vtag != 0)
			dpsctp_ep_reply_ctrl(ep, a->peer_port, a->peer_vtag, &cp, &type, 1, 0, cause,
				data, len);
		else
			dpsctp_ep_reply_ctrl(ep, a->peer_port, a->local_vtag, &cp, &type, 1,
				DPSCTP_CHUNK_FLAG_T, cause, data, len);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = DPSCTP_EV_ASSOC_CHANGE;
	ev.assoc_id = a->id;
	ev.u.assoc_change.state = ev_state;
	ev.u.assoc_change.outbound_streams = a->os;
	ev.u.assoc_change.inbound_streams = a->mis;
	ev.u.assoc_change.info = peer_causes;
	ev.u.assoc_change.info_len = peer_causes_len;
	ev.u.assoc_change.why = (uint8_t)code;
	if (peer_causes_len >= DPSCTP_TLV_HDR_LEN)
		ev.u.assoc_change.error = dpsctp_get_be16(peer_causes);
	else
		ev.u.assoc_change.error = cause;
	dpsctp_assoc_set_state(a, DPSCTP_CLOSED);
	/* an association no callback ever named (created and ended in one step) ends silently */
	if (a->announced)
		dpsctp_assoc_event(a, &ev);
	/* RFC 6458 6.1.11: what will never be delivered is reported, message by message */
	dpsctp_outq_teardown(a, true, cause);
	dpsctp_rcv_teardown(a, true);
	dpsctp_assoc_release(a);
}

void
dpsctp_assoc_close(struct dpsctp_assoc *a, const struct dpsctp_path *sc_to)
{
	struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_event ev;

	if (sc_to != NULL) {
		/* 6.4: back to where the SHUTDOWN ACK came from */
		uint8_t type = DPSCTP_CHUNK_SHUTDOWN_COMPLETE;

		dpsctp_ep_reply_ctrl(ep, a->peer_port, a->peer_vtag, sc_to, &type, 1, 0, 0, NULL, 0);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = DPSCTP_EV_ASSOC_CHANGE;
	ev.assoc_id = a->id;
	ev.u.assoc_change.state = DPSCTP_EV_SHUTDOWN_COMP;
	ev.u.assoc_change.outbound_streams = a->os;
	ev.u.assoc_change.inbound_streams = a->mis;
	dpsctp_assoc_set_state(a, DPSCTP_CLOSED);
	dpsctp_assoc_event(a, &ev);
	dpsctp_outq_teardown(a, true, 0);
	dpsctp_rcv_teardown(a, true);
	dpsctp_assoc_release(a);
}

/* ---- output ---- */

static int
put_init(struct dpsctp_assoc *a, struct dpsctp_wbuf *w)
{
	struct dpsctp_init in = {
		.init_tag = a->local_vtag,
		.a_rwnd = a->cfg.a_rwnd,
		.os = a->os_wanted,
		.mis = a->cfg.mis,
		.initial_tsn = a->local_itsn,
	};
	struct dpsctp_local_params lp = {
		.addrs = a->laddrs,
		.naddrs = a->nladdrs,
		.peer = a->npaths > 0 ? &a->paths[a->ctrl].remote : NULL,
		.peer_v4 = true,
		.peer_v6 = true,
		.cookie_preservative_ms = a->preservative_ms,
		.has_adaptation = a->cfg.has_adaptation,
		.adaptation = a->cfg.adaptation_ind,
	};
	size_t mark;
	int rc;

	rc = dpsctp_init_begin(w, &in, &mark);
	if (rc == 0)
		rc = dpsctp_local_params_build(w, &lp);
	if (rc == 0)
		rc = dpsctp_chunk_end(w, mark);
	return rc;
}

static int
put_hb_ack(struct dpsctp_assoc *a, struct dpsctp_wbuf *w)
{
	struct dpsctp_heartbeat hb = {0};
	size_t mark;
	int rc;

	rc = dpsctp_heartbeat_ack_begin(w, &hb, &mark);
	if (rc == 0)
		rc = dpsctp_wbuf_put(w, a->hb_ack_info, a->hb_ack_len);
	if (rc == 0)
		rc = dpsctp_chunk_end(w, mark);
	return rc;
}

static int
put_error(struct dpsctp_assoc *a, struct dpsctp_wbuf *w)
{
	struct dpsctp_error e = {0};
	size_t mark;
	int rc;

	rc = dpsctp_error_begin(w, &e, &mark);
	if (rc == 0)
		rc = dpsctp_wbuf_put(w, a->err_buf, a->err_len);
	if (rc == 0)
		rc = dpsctp_chunk_end(w, mark);
	return rc;
}

/* Append one pending control chunk; on success clear its bit. Chunks that do not fit stay
 * pending for the next packet. */
static void
put_one(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, uint32_t bit)
{
	size_t mark = w->len;
	int rc = -EINVAL;

	if ((a->pending & bit) == 0)
		return;
	switch (bit) {
	case DPSCTP_SEND_COOKIE_ECHO: {
		struct dpsctp_cookie_echo ce = {.cookie = a->cookie, .cookie_len = a->cookie_len};

		rc = a->cookie == NULL ? -ENOENT : dpsctp_cookie_echo_build(w, &ce);
		break;
	}
	case DPSCTP_SEND_COOKIE_ACK:
		rc = dpsctp_cookie_ack_build(w);
		break;
	case DPSCTP_SEND_SHUTDOWN: {
		struct dpsctp_shutdown s = {.cum_tsn = a->tsnmap.cum_tsn};

		rc = dpsctp_shutdown_build(w, &s);
		break;
	}
	case DPSCTP_SEND_SHUTDOWN_ACK:
		rc = dpsctp_shutdown_ack_build(w);
		break;
	case DPSCTP_SEND_HEARTBEAT_ACK:
		rc = put_hb_ack(a, w);
		break;
	case DPSCTP_SEND_ERROR:
		rc = put_error(a, w);
		if (rc == 0)
			a->err_len = 0;
		break;
	case DPSCTP_SEND_SACK:
		rc = dpsctp_rcv_put_sack(a, w);
		break;
	}
	if (rc == -ENOSPC) {
		dpsctp_wbuf_rewind(w, mark);
		return;
	}
	if (rc != 0)
		dpsctp_wbuf_rewind(w, mark);
	/* built, or impossible to build (e.g. no cookie): either way not pending any more */
	a->pending &= ~bit;
}

static bool
same_remote(const struct dpsctp_path *x, const struct dpsctp_path *y)
{
	return dpsctp_addr_equal(&x->remote, &y->remote);
}

/* Where this packet's DATA goes: T3 retransmissions to an alternate of the path they went to
 * last (6.4.1), the rest to the data path. */
static unsigned int
data_dest(struct dpsctp_assoc *a)
{
	int last = dpsctp_outq_retx_path(a);

	if (last >= 0)
		return dpsctp_paths_alternate(a, (unsigned int)last);
	return dpsctp_paths_data(a);
}

/*
 * Does the SACK go apart, back to where the DATA came from (6.4)? Only while that address is
 * confirmed, reachable and not INACTIVE (routes change between input and output); else it goes
 * with the packet to @p dst.
 */
static bool
sack_elsewhere(const struct dpsctp_assoc *a, const struct dpsctp_path *dst)
{
	int k;

	if (a->sack_to.remote.family == 0 || same_remote(&a->sack_to, dst))
		return false;
	k = dpsctp_paths_find(a, &a->sack_to.remote);
	if (k < 0 || !a->paths[k].reachable)
		return false;
	return a->paths[k].state == DPSCTP_PATH_ACTIVE || a->paths[k].state == DPSCTP_PATH_PF;
}

static bool
hb_due(const struct dpsctp_assoc *a)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++)
		if (a->paths[i].hb_send)
			return true;
	return false;
}

/* A packet of one chunk kind to its own destination: HEARTBEAT ACK and SACK go back where
 * what they answer came from (6.4). @return its length, or 0. */
static size_t
output_alone(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, uint32_t bit,
	const struct dpsctp_path *to, struct dpsctp_path *path)
{
	put_one(a, w, bit);
	if (w->len == DPSCTP_COMMON_HDR_LEN)
		return 0;
	*path = *to;
	return w->len;
}

size_t
dpsctp_assoc_output(struct dpsctp_assoc *a, uint8_t *buf, size_t cap, struct dpsctp_path *path,
	uint64_t now)
{
	/* 5.1: COOKIE ECHO first, then what may be bundled with it (ERROR reporting the INIT ACK's
	 * parameters); the rest in a fixed order */
	static const uint32_t order[] = {
		DPSCTP_SEND_COOKIE_ECHO,
		DPSCTP_SEND_ERROR,
		DPSCTP_SEND_COOKIE_ACK,
		DPSCTP_SEND_SHUTDOWN,
		DPSCTP_SEND_SHUTDOWN_ACK,
		DPSCTP_SEND_SACK,
	};
	struct dpsctp_wbuf w;
	struct dpsctp_path dst;
	unsigned int i, di;
	uint32_t mtu;
	int hb;

	if (a->pending == 0 && !dpsctp_outq_wants_send(a) && !hb_due(a))
		return 0;
	if (a->npaths == 0)
		return 0;
	/* packets fit the path MTU (a control chunk larger than that still goes, as it must) */
	dpsctp_wbuf_init(&w, buf, cap);
	if ((a->pending & DPSCTP_SEND_INIT) != 0) {
		/* 5.1: INIT travels alone, with a Verification Tag of 0; one that does not fit the
		 * caller's buffer, or has no route now, stays pending (T1-init moves on) */
		if (!a->paths[a->ctrl].reachable ||
			dpsctp_common_hdr_build(&w, a->ep->port, a->peer_port, 0) != 0 ||
			put_init(a, &w) != 0)
			return 0;
		a->pending &= ~DPSCTP_SEND_INIT;
		*path = dpsctp_paths_get(a, a->ctrl);
		return w.len;
	}
	if (dpsctp_common_hdr_build(&w, a->ep->port, a->peer_port, a->peer_vtag) != 0)
		return 0;
	if ((a->pending & DPSCTP_SEND_HEARTBEAT_ACK) != 0)
		return output_alone(a, &w, DPSCTP_SEND_HEARTBEAT_ACK, &a->hb_ack_to, path);
	/* a HEARTBEAT goes alone to the path it probes */
	hb = dpsctp_paths_put_heartbeat(a, &w);
	if (hb >= 0) {
		*path = dpsctp_paths_get(a, (unsigned int)hb);
		return w.len;
	}
	di = ctrl_state(a) ? a->ctrl : data_dest(a);
	dst = dpsctp_paths_get(a, di);
	if (!a->paths[di].reachable) {
		/* no route to anywhere it could go: only what answers the peer can leave, the
		 * rest waits for a route (dpsctp_endpoint_routes_changed) */
		if ((a->pending & DPSCTP_SEND_SACK) != 0 && sack_elsewhere(a, &dst))
			return output_alone(a, &w, DPSCTP_SEND_SACK, &a->sack_to, path);
		return 0;
	}
	if ((a->pending & DPSCTP_SEND_SACK) != 0 && sack_elsewhere(a, &dst))
		return output_alone(a, &w, DPSCTP_SEND_SACK, &a->sack_to, path);
	mtu = a->paths[di].cc.mtu - dpsctp_path_ip_hdr(&a->paths[di]);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		put_one(a, &w, order[i]);
	/* 6.1: DATA after the control chunks, within the path MTU; a SACK due soon rides along
	 * (6.2: bundling), saving a packet */
	if (w.len < mtu && w.len < cap && dpsctp_outq_wants_send(a)) {
		size_t limit = mtu < cap ? mtu : cap;
		/* a delayed SACK without gaps or duplicates is 16 bytes: room is kept for it in
		 * front of the DATA, and it goes only if DATA does (and to where the DATA came
		 * from) */
		bool sack = a->deadline[DPSCTP_T_SACK] != DPSCTP_NEVER &&
			(a->pending & DPSCTP_SEND_SACK) == 0 && !dpsctp_tsnmap_has_gaps(&a->tsnmap) &&
			a->tsnmap.ndups == 0 &&
			!sack_elsewhere(a, &dst);
		size_t reserve = sack ? 16 : 0;
		bool alone = w.len == DPSCTP_COMMON_HDR_LEN;
		struct dpsctp_wbuf d;

		if (w.len + reserve < limit) {
			dpsctp_wbuf_init(&d, w.base + w.len + reserve, cap - w.len - reserve);
			if (dpsctp_outq_fill(a, &d, limit - w.len - reserve, di, false, now) > 0) {
				if (sack)
					dpsctp_rcv_put_sack(a, &w);
				w.len += d.len;
				sack = false;
				reserve = 0;
			}
		}
		/* a full-sized chunk does not fit beside the SACK: DATA goes alone and the SACK
		 * keeps its timer (it must precede DATA, 6.10, so it cannot follow). A chunk
		 * fragmented for a larger path MTU than the path has now goes alone, oversized
		 * (the caller lets IP fragment it). */
		if (reserve != 0 || (alone && w.len == DPSCTP_COMMON_HDR_LEN)) {
			dpsctp_wbuf_init(&d, w.base + w.len, cap - w.len);
			if (dpsctp_outq_fill(a, &d, limit - w.len, di, alone, now) > 0)
				w.len += d.len;
		}
	}
	if (w.len == DPSCTP_COMMON_HDR_LEN)
		return 0;
	*path = dst;
	return w.len;
}

/* ---- primitives and accessors ---- */

int
dpsctp_associate(struct dpsctp_endpoint *ep, const struct dpsctp_addr *peers, size_t npeers,
	uint16_t peer_port, uint16_t os, uint64_t now, struct dpsctp_assoc **out)
{
	struct dpsctp_assoc *a, *b;
	size_t i;

	if (ep == NULL || peers == NULL || npeers == 0 || npeers > DPSCTP_MAX_ADDRS ||
		peer_port == 0 || out == NULL)
		return -EINVAL;
	for (i = 0; i < npeers; i++)
		if (peers[i].family != 4 && peers[i].family != 6)
			return -EINVAL;
	for (b = ep->assocs; b != NULL; b = b->next)
		for (i = 0; i < npeers; i++)
			if (b->peer_port == peer_port && dpsctp_assoc_has_peer_addr(b, &peers[i]))
				return -EADDRINUSE;
	a = dpsctp_assoc_new(ep, now);
	if (a == NULL)
		return -ENOMEM;
	a->peer_port = peer_port;
	if (os != 0)
		a->os_wanted = os;
	/* 5.4 rule 1: every address the user gave is confirmed; the handshake tries them in
	 * turn, starting with the first one we have a route to */
	for (i = 0; i < npeers; i++)
		dpsctp_paths_add(a, &peers[i], true);
	a->ctrl = (uint8_t)(a->npaths - 1);
	dpsctp_paths_ctrl_rotate(a);
	if (!a->paths[a->ctrl].reachable) {
		/* never started: not an association that closed */
		dpsctp_assoc_release(a);
		ep->stats.assocs_closed--;
		return -ENETUNREACH;
	}
	a->primary = a->ctrl;
	a->data_path = a->ctrl;
	/* 5.1: random non-zero Initiate Tag, random initial TSN */
	a->local_vtag = dpsctp_assoc_random_tag(ep);
	a->local_itsn = dpsctp_assoc_random32(ep);
	dpsctp_assoc_set_state(a, DPSCTP_COOKIE_WAIT);
	a->pending |= DPSCTP_SEND_INIT;
	dpsctp_assoc_timer_start(a, DPSCTP_T1_INIT, now);
	*out = a;
	return 0;
}

int
dpsctp_assoc_shutdown(struct dpsctp_assoc *a, uint64_t now)
{
	dpsctp_assoc_wake(a);
	switch (a->state) {
	case DPSCTP_COOKIE_WAIT:
		/* nothing reached the peer's state yet: just forget it */
		dpsctp_assoc_close(a, NULL);
		return 0;
	case DPSCTP_COOKIE_ECHOED:
		/* the peer may already hold a TCB: tell it with an ABORT */
		dpsctp_assoc_end(a, DPSCTP_ABORT_USER, true, 0, NULL, 0, NULL, 0,
			DPSCTP_EV_SHUTDOWN_COMP);
		return 0;
	case DPSCTP_ESTABLISHED:
		/* 9.2: SHUTDOWN-PENDING until all outstanding data is acknowledged, then SHUTDOWN,
		 * T2-shutdown and the T5 guard, SHUTDOWN-SENT */
		dpsctp_assoc_set_state(a, DPSCTP_SHUTDOWN_PENDING);
		dpsctp_outq_opportunity(&a->outq, a->cfg.max_burst);
		dpsctp_assoc_shutdown_progress(a, now);
		return 0;
	default:
		return -ENOTCONN;
	}
}

int
dpsctp_assoc_abort(struct dpsctp_assoc *a, const void *reason, size_t len, uint64_t now)
{
	bool early = a->state == DPSCTP_COOKIE_WAIT || a->state == DPSCTP_COOKIE_ECHOED;

	(void)now;
	if (len > 1024 || (len > 0 && reason == NULL))
		return -EINVAL;
	dpsctp_assoc_wake(a);
	/* 9.1 and 3.3.10.12: ABORT with the User-Initiated Abort cause and the user's reason; in
	 * COOKIE-WAIT the peer has nothing to abort */
	dpsctp_assoc_end(a, DPSCTP_ABORT_USER, a->state != DPSCTP_COOKIE_WAIT,
		DPSCTP_CAUSE_USER_ABORT, reason, len, NULL, 0,
		early ? DPSCTP_EV_CANT_STR_ASSOC : DPSCTP_EV_COMM_LOST);
	return 0;
}

int
dpsctp_assoc_send(struct dpsctp_assoc *a, const struct dpsctp_sndinfo *si, const void *data,
	size_t len, uint64_t now)
{
	int rc;

	if (a == NULL)
		return -EINVAL;
	dpsctp_assoc_wake(a);
	rc = dpsctp_outq_send(a, si, data, len, now);
	if (rc == 0)
		dpsctp_assoc_activity(a, now);
	return rc;
}

size_t
dpsctp_assoc_sndbuf_free(const struct dpsctp_assoc *a)
{
	size_t cap = a->cfg.sndbuf;

	return a->outq.buffered >= cap ? 0 : cap - a->outq.buffered;
}

uint32_t
dpsctp_assoc_frag_point(const struct dpsctp_assoc *a)
{
	return dpsctp_outq_frag_point(a);
}

void
dpsctp_assoc_get_config(const struct dpsctp_assoc *a, struct dpsctp_proto_config *cfg)
{
	*cfg = a->cfg;
	cfg->os = a->os_wanted;
	/* the path defaults as they are now (SCTP_PEER_ADDR_PARAMS / THLDS may have moved them) */
	cfg->rto_initial = a->rto_initial;
	cfg->rto_min = a->rto_min;
	cfg->rto_max = a->rto_max;
	cfg->hb_interval = (a->path_flags & DPSCTP_PF_HB_OFF) != 0 ? 0 : a->hb_interval;
	cfg->path_max_retrans = a->pmr;
	cfg->pf_threshold = a->pfmr;
}

/* New RTO bounds: every path's RTO into them; one never measured nor backed off (still at the
 * old RTO.Initial) starts again at the new one. */
static void
rto_rebound(struct dpsctp_assoc *a, const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_rto old;
	unsigned int i;

	dpsctp_rto_init(&old, a->rto_initial, a->rto_min, a->rto_max);
	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_rto *r = &a->paths[i].rto;

		r->min = cfg->rto_min;
		r->max = cfg->rto_max;
		if (!r->measured && r->rto == old.rto)
			r->rto = cfg->rto_initial;
		if (r->rto < r->min)
			r->rto = r->min;
		if (r->rto > r->max)
			r->rto = r->max;
	}
	a->rto_initial = cfg->rto_initial;
	a->rto_min = cfg->rto_min;
	a->rto_max = cfg->rto_max;
}

int
dpsctp_assoc_set_config(struct dpsctp_assoc *a, const struct dpsctp_proto_config *cfg,
	uint64_t now)
{
	struct dpsctp_proto_config cur;
	uint32_t rwnd_before;
	bool rcv_up;

	if (a == NULL || dpsctp_assoc_config_check(cfg) != 0)
		return -EINVAL;
	dpsctp_assoc_wake(a); /* a window update, a SACK no longer delayed... */
	dpsctp_assoc_get_config(a, &cur);
	rcv_up = a->reasm.next_ssn != NULL;
	rwnd_before = rcv_up ? dpsctp_rcv_window(a) : 0;

	if (cfg->rto_initial != cur.rto_initial || cfg->rto_min != cur.rto_min ||
		cfg->rto_max != cur.rto_max)
		rto_rebound(a, cfg);
	/* defaults of the paths learned from now on, when they change */
	if (cfg->hb_interval != cur.hb_interval) {
		if (cfg->hb_interval == 0) {
			a->path_flags |= DPSCTP_PF_HB_OFF;
		} else {
			a->hb_interval = cfg->hb_interval;
			a->path_flags &= (uint8_t)~DPSCTP_PF_HB_OFF;
		}
	}
	if (cfg->path_max_retrans != cur.path_max_retrans)
		a->pmr = cfg->path_max_retrans;
	if (cfg->pf_threshold != cur.pf_threshold)
		a->pfmr = cfg->pf_threshold;

	/* everything else lives in a->cfg; what the handshake fixed stays */
	{
		struct dpsctp_proto_config n = *cfg;

		n.os = a->cfg.os;
		n.mis = a->cfg.mis;
		n.valid_cookie_life = a->cfg.valid_cookie_life;
		n.has_adaptation = a->cfg.has_adaptation;
		n.adaptation_ind = a->cfg.adaptation_ind;
		n.rcv_app_window = a->cfg.rcv_app_window;
		a->cfg = n;
	}

	/* a running handshake timer: no later than the new cap */
	if (cfg->max_init_timeo != 0) {
		if (a->deadline[DPSCTP_T1_INIT] != DPSCTP_NEVER &&
			a->deadline[DPSCTP_T1_INIT] > now + cfg->max_init_timeo)
			a->deadline[DPSCTP_T1_INIT] = now + cfg->max_init_timeo;
		if (a->deadline[DPSCTP_T1_COOKIE] != DPSCTP_NEVER &&
			a->deadline[DPSCTP_T1_COOKIE] > now + cfg->max_init_timeo)
			a->deadline[DPSCTP_T1_COOKIE] = now + cfg->max_init_timeo;
	}
	/* SACKs: no delay any more, or a shorter one */
	if (a->deadline[DPSCTP_T_SACK] != DPSCTP_NEVER) {
		if (cfg->sack_delay == 0)
			a->deadline[DPSCTP_T_SACK] = now;
		else if (a->deadline[DPSCTP_T_SACK] > now + cfg->sack_delay)
			a->deadline[DPSCTP_T_SACK] = now + cfg->sack_delay;
	}
	if (rcv_up) {
		dpsctp_reasm_set_pd_point(&a->reasm,
			cfg->pd_point != 0 ? cfg->pd_point : cfg->a_rwnd / 2);
		/* 6.2: a window that grew by an MTU or more is worth telling the peer now */
		if (dpsctp_rcv_window(a) >= rwnd_before + a->mtu_min &&
			dpsctp_rcv_window(a) >= a->last_rwnd + a->mtu_min)
			a->pending |= DPSCTP_SEND_SACK;
	}
	/* a new autoclose time counts from now */
	if (cfg->autoclose != cur.autoclose && now > a->last_activity)
		a->last_activity = now;
	autoclose_arm(a);
	return 0;
}

void
dpsctp_assoc_consume(struct dpsctp_assoc *a, size_t bytes, uint64_t now)
{
	(void)now;
	dpsctp_assoc_wake(a); /* the window may open: a window update */
	dpsctp_rcv_consume(a, bytes);
}

void
dpsctp_assoc_path_info(const struct dpsctp_assoc *a, struct dpsctp_path_info *pi)
{
	const struct dpsctp_tpath *p = &a->paths[dpsctp_paths_select(a)];

	memset(pi, 0, sizeof(*pi));
	pi->cwnd = p->cc.cwnd;
	pi->ssthresh = p->cc.ssthresh;
	pi->flight = a->outq.flight;
	pi->peer_rwnd = a->peer_rwnd;
	pi->mtu = p->cc.mtu;
	pi->rto = p->rto.rto;
	pi->srtt = p->rto.srtt;
	pi->unacked = a->outq.next_send - (a->outq.cum_ack + 1);
	pi->queued = (uint32_t)a->outq.buffered;
	pi->rwnd = a->reasm.next_ssn != NULL ? dpsctp_rcv_window(a) : a->cfg.a_rwnd;
}

uint32_t
dpsctp_assoc_id(const struct dpsctp_assoc *a)
{
	return a->id;
}

enum dpsctp_state
dpsctp_assoc_state(const struct dpsctp_assoc *a)
{
	return a->state;
}

void
dpsctp_assoc_set_user(struct dpsctp_assoc *a, void *user)
{
	a->user = user;
}

void *
dpsctp_assoc_user(const struct dpsctp_assoc *a)
{
	return a->user;
}

void
dpsctp_assoc_get_status(const struct dpsctp_assoc *a, struct dpsctp_assoc_status *st)
{
	memset(st, 0, sizeof(*st));
	st->state = a->state;
	st->local_vtag = a->local_vtag;
	st->peer_vtag = a->peer_vtag;
	st->peer_port = a->peer_port;
	st->outbound_streams = a->os;
	st->inbound_streams = a->mis;
	st->peer_rwnd = a->peer_rwnd;
	st->local_initial_tsn = a->local_itsn;
	st->peer_initial_tsn = a->peer_itsn;
	st->srtt = a->paths[a->primary].rto.srtt;
	st->rttvar = a->paths[a->primary].rto.rttvar;
	st->rto = a->paths[a->primary].rto.rto;
	st->primary = dpsctp_paths_get(a, a->primary);
	st->npeer_addrs = a->npaths;
	st->peer_adaptation = a->peer_adaptation;
	st->peer_has_adaptation = a->peer_has_adaptation;
}
