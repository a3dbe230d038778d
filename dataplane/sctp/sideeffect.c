/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one place where state machine decisions change an association: the commands written by
 * the handlers of sm.c are applied here, in order.
 */
#include <string.h>

#include "sm.h"

static uint16_t
min16(uint16_t a, uint16_t b)
{
	return a < b ? a : b;
}

/*
 * The addresses an INIT or INIT ACK listed become paths, UNCONFIRMED until a HEARTBEAT confirms
 * them (5.4 rule 3), except those outside the scope of the address the packet came from
 * (@p ref): a peer reached over a global address does not get our packets to its loopback or
 * link-local addresses.
 */
static void
add_listed_addrs(struct dpsctp_assoc *a, const struct dpsctp_addr *ref,
	const struct dpsctp_init_params *p)
{
	size_t i;

	for (i = 0; i < p->naddrs; i++)
		if (dpsctp_addr_in_scope(&p->addrs[i], ref))
			dpsctp_paths_add(a, &p->addrs[i], false);
}

/*
 * A cookie set the association up (or restarted it): 5.4 rule 2, the address the INIT ACK went
 * to is confirmed and is the primary; the others the INIT listed are probed. On a restart the
 * peer's addresses that its new INIT no longer lists go (REMOVED), and per-path state starts
 * again.
 */
static void
take_peer_addrs(struct dpsctp_assoc *a, const struct dpsctp_cookie *ck,
	const struct dpsctp_path *arrival, const struct dpsctp_init_params *p, bool restart)
{
	const struct dpsctp_addr *src = &ck->path.remote;
	unsigned int i;
	int k;

	if (restart) {
		for (i = a->npaths; i-- > 0;) {
			const struct dpsctp_addr *r = &a->paths[i].remote;

			if (!dpsctp_addr_equal(r, src) &&
				!dpsctp_addr_list_has(p->addrs, p->naddrs, r))
				dpsctp_paths_remove(a, i, true);
		}
		dpsctp_paths_reset(a);
	}
	k = dpsctp_paths_add(a, src, true);
	if (k < 0)
		k = 0;
	add_listed_addrs(a, src, p);
	dpsctp_paths_add(a, &arrival->remote, false);
	if (restart || a->npaths == 0 || a->state == DPSCTP_CLOSED) {
		a->primary = (uint8_t)k;
		a->data_path = (uint8_t)k;
		a->ctrl = (uint8_t)k;
	}
}

static void
take_peer_init(struct dpsctp_assoc *a, const struct dpsctp_init *init,
	const struct dpsctp_init_params *p)
{
	a->peer_vtag = init->init_tag;
	a->peer_itsn = init->initial_tsn;
	a->peer_rwnd = init->a_rwnd;
	a->peer_has_adaptation = p->has_adaptation;
	a->peer_adaptation = p->adaptation;
}

static int
apply_peer_init_ack(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	const struct dpsctp_init *ia, const struct dpsctp_init_params *p)
{
	struct dpsctp_endpoint *ep = a->ep;

	dpsctp_assoc_free_cookie(a);
	a->cookie = ep->env.alloc(ep->env.ctx, p->cookie_len);
	if (a->cookie == NULL)
		return -ENOMEM;
	memcpy(a->cookie, p->cookie, p->cookie_len);
	a->cookie_len = p->cookie_len;
	take_peer_init(a, ia, p);
	/* 5.1.1: each side uses the minimum of its OS and the other's MIS */
	a->os = min16(a->os_wanted, ia->mis);
	a->mis = min16(a->cfg.mis, ia->os);
	/* the addresses the user gave stay (confirmed); the INIT ACK's source and list are added,
	 * to be confirmed */
	dpsctp_paths_add(a, &in->path->remote, false);
	add_listed_addrs(a, &in->path->remote, p);
	return dpsctp_assoc_data_setup(a, false);
}

static int
apply_peer_cookie(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	const struct dpsctp_cookie *ck, const struct dpsctp_init *init,
	const struct dpsctp_init_params *p, bool restart)
{
	unsigned int t;
	/* data already flowed (5.2.4 B on an established association): what was sent under the
	 * old sequence numbers fails, as on a restart, rather than being forgotten */
	bool data_flowed = a->outq.cap != 0 || a->tsnmap.n_new != 0 || a->tsnmap.n_dup != 0;

	if (restart) {
		/* 5.2.4 A: a new incarnation of the peer: all timers, counters and queued control
		 * chunks of the old one go */
		for (t = 0; t < DPSCTP_TIMER_COUNT; t++)
			dpsctp_assoc_timer_stop(a, t);
		a->error_count = 0;
		a->pending = 0;
		a->err_len = 0;
		a->ep->stats.restarts++;
	}
	dpsctp_assoc_free_cookie(a);
	a->local_vtag = ck->local_tag;
	a->local_itsn = ck->local_tsn;
	a->local_tie_tag = 0;
	a->peer_tie_tag = 0;
	take_peer_init(a, init, p);
	a->os_wanted = ck->os;
	a->os = min16(ck->os, init->mis);
	a->mis = min16(ck->mis, init->os);
	take_peer_addrs(a, ck, in->path, p, restart);
	return dpsctp_assoc_data_setup(a, restart || data_flowed);
}

/*
 * No memory for the data path of an association a cookie set up: ABORT with Out of Resource.
 * One in the handshake fails to start; an established one (restart) is lost; a new one the user
 * never heard of ends without an event (dpsctp_assoc_end).
 */
static void
no_memory_for_cookie(struct dpsctp_assoc *a)
{
	dpsctp_assoc_end(a, DPSCTP_ABORT_NO_MEMORY, true, DPSCTP_CAUSE_OUT_OF_RESOURCE, NULL, 0,
		NULL, 0,
		dpsctp_assoc_before_established(a) ? DPSCTP_EV_CANT_STR_ASSOC : DPSCTP_EV_COMM_LOST);
}

static enum dpsctp_disp
end_protocol_violation(struct dpsctp_assoc *a, enum dpsctp_abort_code code, const char *why)
{
	dpsctp_assoc_end(a, code, true, DPSCTP_CAUSE_PROTOCOL_VIOLATION, why, strlen(why), NULL, 0,
		DPSCTP_EV_COMM_LOST);
	return DPSCTP_DISP_GONE;
}

static void
set_sack_to(struct dpsctp_assoc *a, const struct dpsctp_path *from)
{
	int k = dpsctp_paths_find(a, &from->remote);
	const struct dpsctp_tpath *p = k >= 0 ? &a->paths[k] : NULL;

	/* back to the source while it is usable; else with the data (an UNCONFIRMED source never,
	 * 5.4; one without a route neither: nothing leaves on a path without a route, and with no
	 * route at all the SACK waits) */
	if (p != NULL && p->reachable &&
		(p->state == DPSCTP_PATH_ACTIVE || p->state == DPSCTP_PATH_PF))
		a->sack_to = *from;
	else
		a->sack_to = dpsctp_paths_get(a, a->data_path);
}

/* 6.2.1: a SACK; then, in the shutdown states, 9.2 may move on. */
static enum dpsctp_disp
apply_sack(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in)
{
	int rc = dpsctp_outq_sack(a, &in->v->sack, in->now);

	if (rc == -EPROTO)
		return end_protocol_violation(a, DPSCTP_ABORT_SACK_BEYOND,
			"SACK acknowledges a TSN never sent");
	if (rc == -ESTALE)
		a->ep->stats.drops[DPSCTP_DROP_STALE_SACK]++;
	dpsctp_assoc_shutdown_progress(a, in->now);
	return DPSCTP_DISP_CONSUME;
}

static void
apply_event(struct dpsctp_assoc *a, struct dpsctp_event *ev)
{
	ev->assoc_id = a->id;
	if (ev->type == DPSCTP_EV_ASSOC_CHANGE) {
		ev->u.assoc_change.outbound_streams = a->os;
		ev->u.assoc_change.inbound_streams = a->mis;
		if (ev->u.assoc_change.state == DPSCTP_EV_COMM_UP ||
			ev->u.assoc_change.state == DPSCTP_EV_RESTART)
			a->ep->stats.assocs_established++;
	}
	if (ev->type == DPSCTP_EV_REMOTE_ERROR)
		a->ep->stats.errors_received++;
	dpsctp_assoc_event(a, ev);
}

static void
apply_hb_ack(struct dpsctp_assoc *a, const struct dpsctp_path *from, const uint8_t *info,
	size_t len)
{
	struct dpsctp_endpoint *ep = a->ep;

	/* 6.4: the HEARTBEAT ACK goes back where the HEARTBEAT came from */
	a->hb_ack_to = *from;
	if (a->hb_ack_info != NULL && a->hb_ack_info != a->hb_ack_inline)
		ep->env.free(ep->env.ctx, a->hb_ack_info, a->hb_ack_len);
	a->hb_ack_info = NULL;
	a->pending &= ~DPSCTP_SEND_HEARTBEAT_ACK;
	if (len <= sizeof(a->hb_ack_inline)) {
		a->hb_ack_info = a->hb_ack_inline;
	} else {
		a->hb_ack_info = ep->env.alloc(ep->env.ctx, len);
		if (a->hb_ack_info == NULL) {
			ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
			return;
		}
	}
	memcpy(a->hb_ack_info, info, len);
	a->hb_ack_len = len;
	a->pending |= DPSCTP_SEND_HEARTBEAT_ACK;
}

static void
apply_reply(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in, const struct dpsctp_cmd *x)
{
	struct dpsctp_endpoint *ep = a->ep;
	uint16_t port = in->pi->hdr.src_port;
	uint8_t types[2];

	switch (x->type) {
	case DPSCTP_CMD_REPLY_INIT_ACK:
		dpsctp_ep_reply_init_ack(ep, in->chunk, &in->v->init, port, in->path, a, in->now);
		break;
	case DPSCTP_CMD_REPLY_ABORT:
		types[0] = DPSCTP_CHUNK_ABORT;
		dpsctp_ep_reply_ctrl(ep, port, x->u.reply.vtag, in->path, types, 1, 0,
			x->u.reply.cause, x->u.reply.data, x->u.reply.len);
		break;
	case DPSCTP_CMD_REPLY_ERROR:
		types[0] = DPSCTP_CHUNK_ERROR;
		dpsctp_ep_reply_ctrl(ep, port, x->u.reply.vtag, in->path, types, 1, 0,
			x->u.reply.cause, x->u.reply.data, x->u.reply.len);
		break;
	case DPSCTP_CMD_REPLY_SC_T:
		types[0] = DPSCTP_CHUNK_SHUTDOWN_COMPLETE;
		dpsctp_ep_reply_ctrl(ep, port, x->u.reply.vtag, in->path, types, 1,
			DPSCTP_CHUNK_FLAG_T, 0, NULL, 0);
		break;
	case DPSCTP_CMD_REPLY_SHUTDOWN_ACK_ERR:
		types[0] = DPSCTP_CHUNK_SHUTDOWN_ACK;
		types[1] = DPSCTP_CHUNK_ERROR;
		dpsctp_ep_reply_ctrl(ep, port, x->u.reply.vtag, in->path, types, 2, 0,
			DPSCTP_CAUSE_COOKIE_IN_SHUTDOWN, NULL, 0);
		break;
	default:
		break;
	}
}

enum dpsctp_disp
dpsctp_sm_apply(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *cmds, enum dpsctp_disp disp)
{
	struct dpsctp_endpoint *ep = a->ep;
	unsigned int i;

	for (i = 0; i < cmds->n; i++) {
		struct dpsctp_cmd *x = &cmds->c[i];

		switch (x->type) {
		case DPSCTP_CMD_STATE:
			dpsctp_assoc_set_state(a, x->u.state);
			break;
		case DPSCTP_CMD_TIMER_START:
			dpsctp_assoc_timer_start(a, x->u.timer, in->now);
			break;
		case DPSCTP_CMD_TIMER_STOP:
			dpsctp_assoc_timer_stop(a, x->u.timer);
			break;
		case DPSCTP_CMD_SEND:
			if ((x->u.send & DPSCTP_SEND_COOKIE_ECHO) != 0)
				a->cookie_sent = in->now;
			a->pending |= x->u.send;
			break;
		case DPSCTP_CMD_EVENT:
			apply_event(a, &x->u.ev);
			break;
		case DPSCTP_CMD_DROP:
			ep->stats.drops[x->u.drop]++;
			break;
		case DPSCTP_CMD_PEER_INIT_ACK:
			if (apply_peer_init_ack(a, in, x->u.init.init, x->u.init.params) != 0) {
				dpsctp_assoc_end(a, DPSCTP_ABORT_NO_MEMORY, true,
					DPSCTP_CAUSE_OUT_OF_RESOURCE, NULL, 0, NULL, 0,
					DPSCTP_EV_CANT_STR_ASSOC);
				return DPSCTP_DISP_GONE;
			}
			break;
		case DPSCTP_CMD_PEER_COOKIE:
			if (apply_peer_cookie(a, in, x->u.cookie.cookie, x->u.cookie.init,
				    x->u.cookie.params, x->u.cookie.restart) != 0) {
				no_memory_for_cookie(a);
				return DPSCTP_DISP_GONE;
			}
			break;
		case DPSCTP_CMD_DATA:
			/* 6.4: SACKs go back where the DATA came from, unless that address is not
			 * confirmed yet (5.4: nothing but HEARTBEATs to it): then the data path */
			set_sack_to(a, in->path);
			if (dpsctp_rcv_data(a, &in->v->data, in->now) != 0)
				return DPSCTP_DISP_GONE;
			break;
		case DPSCTP_CMD_SACK:
			if (apply_sack(a, in) == DPSCTP_DISP_GONE)
				return DPSCTP_DISP_GONE;
			break;
		case DPSCTP_CMD_SHUTDOWN_CUM:
			if (dpsctp_outq_cum_ack(a, x->u.value, in->now) == -EPROTO)
				return end_protocol_violation(a, DPSCTP_ABORT_SACK_BEYOND,
					"SHUTDOWN acknowledges a TSN never sent");
			break;
		case DPSCTP_CMD_SHUTDOWN_PROGRESS:
			dpsctp_assoc_shutdown_progress(a, in->now);
			break;
		case DPSCTP_CMD_QUEUE_CAUSE:
			dpsctp_assoc_queue_cause(a, x->u.cause.code, x->u.cause.data, x->u.cause.len);
			break;
		case DPSCTP_CMD_REPLY_INIT_ACK:
		case DPSCTP_CMD_REPLY_ABORT:
		case DPSCTP_CMD_REPLY_ERROR:
		case DPSCTP_CMD_REPLY_SC_T:
		case DPSCTP_CMD_REPLY_SHUTDOWN_ACK_ERR:
			apply_reply(a, in, x);
			break;
		case DPSCTP_CMD_HB_ACK:
			apply_hb_ack(a, in->path, x->u.data.data, x->u.data.len);
			break;
		case DPSCTP_CMD_HB_ACKED:
			/* 8.3 and 5.4: the nonce of the path it names; errors clear, RTT measured */
			if (dpsctp_paths_hb_ack(a, x->u.data.data, x->u.data.len, in->now) != 0)
				ep->stats.drops[DPSCTP_DROP_UNEXPECTED]++;
			break;
		case DPSCTP_CMD_RTT:
			dpsctp_rto_sample(&a->paths[a->ctrl].rto, x->u.rtt);
			break;
		case DPSCTP_CMD_PEER_RWND:
			a->peer_rwnd = x->u.value;
			break;
		case DPSCTP_CMD_STALE_REINIT:
			a->preservative_ms = x->u.value;
			a->stale_count++;
			a->peer_vtag = 0;
			break;
		case DPSCTP_CMD_FREE_COOKIE:
			dpsctp_assoc_free_cookie(a);
			break;
		case DPSCTP_CMD_END:
			dpsctp_assoc_end(a, x->u.end.code, x->u.end.send_abort, x->u.end.cause,
				x->u.end.data, x->u.end.len, x->u.end.peer_causes,
				x->u.end.peer_causes_len, x->u.end.ev);
			return DPSCTP_DISP_GONE;
		case DPSCTP_CMD_CLOSE:
			dpsctp_assoc_close(a, x->u.close.send_sc ? in->path : NULL);
			return DPSCTP_DISP_GONE;
		}
	}
	return disp == DPSCTP_DISP_GONE ? DPSCTP_DISP_CONSUME : disp;
}
