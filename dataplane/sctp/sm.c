/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The association state machine: one table row per chunk kind, one column per state, each cell
 * the handler of the RFC 9260 section that applies. Handlers decide and write commands; they
 * never change the association (it is const here). sideeffect.c applies the commands.
 */
#include <string.h>

#include "cause.h"
#include "sm.h"

typedef enum dpsctp_disp (*sm_fn)(
	const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in, struct dpsctp_cmds *c);

/* ---- command helpers ---- */

static struct dpsctp_cmd *
cmd(struct dpsctp_cmds *c, enum dpsctp_cmd_type type)
{
	struct dpsctp_cmd *x;

	/* Handlers give at most a dozen commands; DPSCTP_MAX_CMDS bounds them by construction. */
	if (c->n >= DPSCTP_MAX_CMDS)
		c->n = DPSCTP_MAX_CMDS - 1;
	x = &c->c[c->n++];
	memset(x, 0, sizeof(*x));
	x->type = type;
	return x;
}

static void
cmd_state(struct dpsctp_cmds *c, enum dpsctp_state s)
{
	cmd(c, DPSCTP_CMD_STATE)->u.state = s;
}

static void
cmd_timer_start(struct dpsctp_cmds *c, enum dpsctp_timer t)
{
	cmd(c, DPSCTP_CMD_TIMER_START)->u.timer = t;
}

static void
cmd_timer_stop(struct dpsctp_cmds *c, enum dpsctp_timer t)
{
	cmd(c, DPSCTP_CMD_TIMER_STOP)->u.timer = t;
}

static void
cmd_send(struct dpsctp_cmds *c, uint32_t bits)
{
	cmd(c, DPSCTP_CMD_SEND)->u.send = bits;
}

static void
cmd_assoc_change(struct dpsctp_cmds *c, enum dpsctp_assoc_change_state st)
{
	struct dpsctp_cmd *x = cmd(c, DPSCTP_CMD_EVENT);

	x->u.ev.type = DPSCTP_EV_ASSOC_CHANGE;
	x->u.ev.u.assoc_change.state = st;
}

static enum dpsctp_disp
drop(struct dpsctp_cmds *c, enum dpsctp_drop why, enum dpsctp_disp disp)
{
	cmd(c, DPSCTP_CMD_DROP)->u.drop = why;
	return disp;
}

static enum dpsctp_disp
end(struct dpsctp_cmds *c, enum dpsctp_abort_code code, bool send_abort, uint16_t cause,
	const void *data, size_t len, enum dpsctp_assoc_change_state ev)
{
	struct dpsctp_cmd *x = cmd(c, DPSCTP_CMD_END);

	x->u.end.code = code;
	x->u.end.send_abort = send_abort;
	x->u.end.cause = cause;
	x->u.end.data = data;
	x->u.end.len = len;
	x->u.end.ev = ev;
	return DPSCTP_DISP_GONE;
}

/* ---- handlers ---- */

/* A chunk that has no business in this state: ignore it (RFC 9260 leaves most of these to
 * "silently discard"). */
static enum dpsctp_disp
sf_discard(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in, struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	return drop(c, DPSCTP_DROP_UNEXPECTED, DPSCTP_DISP_DISCARD);
}

/*
 * RFC 9260 5.1 C: "Upon reception of the INIT ACK from "Z", "A" will stop the T1-init timer and
 * leave the COOKIE-WAIT state. "A" will then send the State Cookie received in the INIT ACK
 * chunk in a COOKIE ECHO chunk, start the T1-cookie timer, and enter the COOKIE-ECHOED state."
 */
static enum dpsctp_disp
sf_5_1_c_init_ack(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_init *ia = &in->v->init;
	struct dpsctp_wbuf rep;
	struct dpsctp_cmd *x;
	uint8_t *missing = c->tmp;

	(void)a;
	/* 3.3.3: an Initiate Tag of 0 or zero streams: "destroy the association" (ABORT optional:
	 * we send one, it tells the peer why) */
	if (ia->init_tag == 0 || ia->os == 0 || ia->mis == 0)
		return end(c, DPSCTP_ABORT_INIT_ACK_INVALID, true, DPSCTP_CAUSE_INVALID_MANDATORY_PARAM,
			NULL, 0, DPSCTP_EV_CANT_STR_ASSOC);
	dpsctp_wbuf_init(&rep, c->report, sizeof(c->report));
	/* 3.2.1 / 3.2.2: an unknown parameter with upper bits 0x stops the processing of the
	 * parameters after it (01: and is reported, in an ERROR bundled with COOKIE ECHO); what
	 * came before it stands. Only a known parameter that does not decode is fatal. */
	if (dpsctp_init_params_parse(ia, true, &c->params, &rep, false) == DPSCTP_INITPARAM_INVALID)
		return end(c, DPSCTP_ABORT_PROTOCOL_VIOLATION, true, DPSCTP_CAUSE_PROTOCOL_VIOLATION,
			NULL, 0, DPSCTP_EV_CANT_STR_ASSOC);
	if (c->params.has_host_name)
		/* 5.1.2: Host Name Address is deprecated: ABORT with Unresolvable Address */
		return end(c, DPSCTP_ABORT_PROTOCOL_VIOLATION, true, DPSCTP_CAUSE_UNRESOLVABLE_ADDR,
			c->params.host_name_tlv, c->params.host_name_len, DPSCTP_EV_CANT_STR_ASSOC);
	if (c->params.cookie == NULL || c->params.cookie_len == 0) {
		/* 3.3.3: the State Cookie is mandatory: Missing Mandatory Parameter */
		dpsctp_put_be32(missing, 1);
		dpsctp_put_be16(missing + 4, DPSCTP_PARAM_STATE_COOKIE);
		return end(c, DPSCTP_ABORT_INIT_ACK_MISSING, true, DPSCTP_CAUSE_MISSING_PARAM, missing, 6,
			DPSCTP_EV_CANT_STR_ASSOC);
	}
	c->report_len = rep.len;
	x = cmd(c, DPSCTP_CMD_PEER_INIT_ACK);
	x->u.init.init = ia;
	x->u.init.params = &c->params;
	cmd_timer_stop(c, DPSCTP_T1_INIT);
	/* 3.2.2: parameters to report after an INIT ACK go in an ERROR bundled with COOKIE ECHO */
	if (rep.len > 0) {
		x = cmd(c, DPSCTP_CMD_QUEUE_CAUSE);
		x->u.cause.code = DPSCTP_CAUSE_UNRECOGNIZED_PARAMS;
		x->u.cause.data = c->report;
		x->u.cause.len = rep.len;
	}
	cmd_send(c, DPSCTP_SEND_COOKIE_ECHO);
	cmd_state(c, DPSCTP_COOKIE_ECHOED);
	cmd_timer_start(c, DPSCTP_T1_COOKIE);
	return DPSCTP_DISP_CONSUME;
}

static void
cmd_adaptation(struct dpsctp_cmds *c, const struct dpsctp_init_params *p)
{
	struct dpsctp_cmd *x;

	if (!p->has_adaptation)
		return;
	x = cmd(c, DPSCTP_CMD_EVENT);
	x->u.ev.type = DPSCTP_EV_ADAPTATION_INDICATION;
	x->u.ev.u.adaptation.ind = p->adaptation;
}

/*
 * RFC 9260 5.1 E: "Upon reception of the COOKIE ACK, endpoint "A" will move from the
 * COOKIE-ECHOED state to the ESTABLISHED state, stopping the T1-cookie timer."
 */
static enum dpsctp_disp
sf_5_1_e_cookie_ack(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	cmd_timer_stop(c, DPSCTP_T1_COOKIE);
	/* 6.3.1 C5 (Karn): measure only a COOKIE ECHO that was not retransmitted */
	if (a->retrans[DPSCTP_T1_COOKIE] == 0 && in->now >= a->cookie_sent)
		cmd(c, DPSCTP_CMD_RTT)->u.rtt = in->now - a->cookie_sent;
	cmd(c, DPSCTP_CMD_FREE_COOKIE);
	cmd_state(c, DPSCTP_ESTABLISHED);
	cmd_assoc_change(c, DPSCTP_EV_COMM_UP);
	if (a->peer_has_adaptation) {
		struct dpsctp_cmd *x = cmd(c, DPSCTP_CMD_EVENT);

		x->u.ev.type = DPSCTP_EV_ADAPTATION_INDICATION;
		x->u.ev.u.adaptation.ind = a->peer_adaptation;
	}
	cmd_timer_start(c, DPSCTP_T_HEARTBEAT);
	return DPSCTP_DISP_CONSUME;
}

/* Common checks of an INIT received while an association exists (3.3.2). */
static enum dpsctp_disp
init_checks(const struct dpsctp_sm_input *in, struct dpsctp_cmds *c)
{
	const struct dpsctp_init *init = &in->v->init;
	struct dpsctp_cmd *x;

	/* 3.3.2: "If the value of the Initiate Tag in a received INIT chunk is found to be 0, the
	 * receiver MUST silently discard the packet." */
	if (init->init_tag == 0)
		return drop(c, DPSCTP_DROP_BAD_CHUNK, DPSCTP_DISP_STOP);
	/* 3.3.2: OS or MIS of 0: discard, answer with ABORT using the Initiate Tag, and "MUST NOT
	 * change the state of any existing association" */
	if (init->os == 0 || init->mis == 0) {
		x = cmd(c, DPSCTP_CMD_REPLY_ABORT);
		x->u.reply.vtag = init->init_tag;
		x->u.reply.cause = DPSCTP_CAUSE_INVALID_MANDATORY_PARAM;
		return drop(c, DPSCTP_DROP_BAD_CHUNK, DPSCTP_DISP_STOP);
	}
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 5.2.1: INIT received in COOKIE-WAIT or COOKIE-ECHOED: "an endpoint MUST respond with
 * an INIT ACK using the same parameters it sent in its original INIT chunk (including its
 * Initiate Tag, unchanged)" ... and "MUST NOT modify its state"; the Tie-Tags go into the
 * cookie (reply builder).
 */
static enum dpsctp_disp
sf_5_2_1_init_collision(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	enum dpsctp_disp d = init_checks(in, c);

	(void)a;
	if (d != DPSCTP_DISP_CONSUME)
		return d;
	cmd(c, DPSCTP_CMD_REPLY_INIT_ACK);
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 5.2.2: unexpected INIT in ESTABLISHED, SHUTDOWN-PENDING, SHUTDOWN-SENT or
 * SHUTDOWN-RECEIVED: check it adds no new address (else ABORT with "Restart of an Association
 * with New Addresses"), then INIT ACK with a new Initiate Tag and the current tags as Tie-Tags
 * in the cookie; the association does not change.
 */
static enum dpsctp_disp
sf_5_2_2_unexpected_init(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_init *init = &in->v->init;
	enum dpsctp_disp d = init_checks(in, c);
	struct dpsctp_cmd *x;
	size_t i;

	if (d != DPSCTP_DISP_CONSUME)
		return d;
	if (dpsctp_init_params_parse(init, false, &c->params, NULL, false) !=
		DPSCTP_INITPARAM_INVALID) {
		for (i = 0; i < c->params.naddrs; i++) {
			if (dpsctp_assoc_has_peer_addr(a, &c->params.addrs[i]))
				continue;
			x = cmd(c, DPSCTP_CMD_REPLY_ABORT);
			x->u.reply.vtag = init->init_tag;
			x->u.reply.cause = DPSCTP_CAUSE_RESTART_NEW_ADDRS;
			/* the cause carries the new address as its parameter */
			x->u.reply.data = c->report;
			{
				struct dpsctp_wbuf w;

				dpsctp_wbuf_init(&w, c->report, sizeof(c->report));
				dpsctp_addr_param_build(&w, &c->params.addrs[i]);
				x->u.reply.len = w.len;
			}
			return drop(c, DPSCTP_DROP_UNEXPECTED, DPSCTP_DISP_STOP);
		}
	}
	cmd(c, DPSCTP_CMD_REPLY_INIT_ACK);
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 9.2: "If an endpoint is in the SHUTDOWN-ACK-SENT state and receives an INIT chunk
 * (e.g., if the SHUTDOWN COMPLETE chunk was lost) with source and destination transport
 * addresses ... in this association, then the endpoint SHOULD discard the INIT chunk and
 * retransmit the SHUTDOWN ACK chunk."
 */
static enum dpsctp_disp
sf_9_2_init_in_shutdown_ack_sent(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd_send(c, DPSCTP_SEND_SHUTDOWN_ACK);
	return drop(c, DPSCTP_DROP_UNEXPECTED, DPSCTP_DISP_STOP);
}

/* 5.2.4 B and D: "enter the ESTABLISHED state if it has not already done so". */
static void
cmd_establish(struct dpsctp_cmds *c)
{
	cmd_timer_stop(c, DPSCTP_T1_INIT);
	cmd_timer_stop(c, DPSCTP_T1_COOKIE);
	cmd(c, DPSCTP_CMD_FREE_COOKIE);
	cmd_state(c, DPSCTP_ESTABLISHED);
	cmd_assoc_change(c, DPSCTP_EV_COMM_UP);
	cmd_adaptation(c, &c->params);
	cmd_timer_start(c, DPSCTP_T_HEARTBEAT);
}

/* 5.1.5 step 4: the Stale Cookie cause's measure, microseconds past the lifetime, saturated. */
static void
stale_measure(const struct dpsctp_cookie *ck, uint64_t now, uint8_t out[4])
{
	uint64_t us = (now - ck->created - ck->lifetime) / 1000;

	dpsctp_put_be32(out, us > UINT32_MAX ? UINT32_MAX : (uint32_t)us);
}

/* The peer's INIT kept in an authenticated cookie, decoded into c->init and c->params. */
static int
cookie_init(const struct dpsctp_cookie *ck, struct dpsctp_cmds *c)
{
	const uint8_t *p = ck->init;
	struct dpsctp_chunk ic;

	if (dpsctp_chunk_next(&p, ck->init + ck->init_len, &ic) != 1 ||
		ic.type != DPSCTP_CHUNK_INIT || dpsctp_init_decode(&ic, &c->init) != 0 ||
		dpsctp_init_params_parse(&c->init, false, &c->params, NULL, false) ==
			DPSCTP_INITPARAM_INVALID)
		return -EBADMSG;
	return 0;
}

/*
 * RFC 9260 5.2.4: COOKIE ECHO when a TCB exists. After the MAC and lifetime checks of 5.1.5
 * (both done here), Table 2:
 *   Local Tag  Peer's Tag  Local-Tie  Peer-Tie
 *   X          X           M          M          (A) peer restarted
 *   M          X or 0      any        any        (B) INIT collision, peer tag changes
 *   X          M           0          0          (C) late cookie: silently discard
 *   M          M           any        any        (D) both known: establish if not yet
 * anything else: silently discard.
 */
static enum dpsctp_disp
sf_5_2_4_dupcook(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_cookie_echo *ce = &in->v->cookie;
	const struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_cookie *ck = &c->cookie;
	struct dpsctp_cmd *x;
	bool lt, pt, lte, pte;

	if (dpsctp_cookie_open(ce->cookie, ce->cookie_len, ep->secret, 2, ck) != 0)
		return drop(c, DPSCTP_DROP_BAD_COOKIE, DPSCTP_DISP_STOP);
	if (ck->local_port != ep->port || ck->peer_port != in->pi->hdr.src_port)
		return drop(c, DPSCTP_DROP_BAD_COOKIE, DPSCTP_DISP_STOP);
	if (cookie_init(ck, c) != 0)
		return drop(c, DPSCTP_DROP_BAD_COOKIE, DPSCTP_DISP_STOP);

	lt = ck->local_tag == a->local_vtag;
	pt = ck->peer_tag == a->peer_vtag;
	lte = ck->local_tie_tag != 0 && ck->local_tie_tag == a->local_vtag;
	pte = ck->peer_tie_tag != 0 && ck->peer_tie_tag == a->peer_vtag;

	/* 5.1.5 step 3: a cookie past its lifetime gets the Stale Cookie error (except in the
	 * cases where the tags show it is ours and current, D, where 5.2.4 says to proceed) */
	if (!(lt && pt) && in->now > ck->created + ck->lifetime) {
		x = cmd(c, DPSCTP_CMD_REPLY_ERROR);
		x->u.reply.vtag = ck->peer_tag;
		x->u.reply.cause = DPSCTP_CAUSE_STALE_COOKIE;
		stale_measure(ck, in->now, c->tmp);
		x->u.reply.data = c->tmp;
		x->u.reply.len = 4;
		return drop(c, DPSCTP_DROP_STALE_COOKIE, DPSCTP_DISP_STOP);
	}

	if (!lt && !pt && lte && pte) {
		/* (A) the peer restarted */
		if (a->state == DPSCTP_SHUTDOWN_ACK_SENT) {
			/* "MUST NOT ... restart", retransmit SHUTDOWN ACK with an ERROR "Cookie
			 * Received While Shutting Down", to the restarted peer's tag */
			x = cmd(c, DPSCTP_CMD_REPLY_SHUTDOWN_ACK_ERR);
			x->u.reply.vtag = ck->peer_tag;
			return drop(c, DPSCTP_DROP_UNEXPECTED, DPSCTP_DISP_STOP);
		}
		x = cmd(c, DPSCTP_CMD_PEER_COOKIE);
		x->u.cookie.cookie = ck;
		x->u.cookie.init = &c->init;
		x->u.cookie.params = &c->params;
		x->u.cookie.restart = true;
		cmd_state(c, DPSCTP_ESTABLISHED);
		cmd_send(c, DPSCTP_SEND_COOKIE_ACK);
		cmd_assoc_change(c, DPSCTP_EV_RESTART);
		cmd_timer_start(c, DPSCTP_T_HEARTBEAT);
		return DPSCTP_DISP_CONSUME;
	}
	if (lt && !pt) {
		/* (B) collision: take the peer's tag; establish if we had not */
		x = cmd(c, DPSCTP_CMD_PEER_COOKIE);
		x->u.cookie.cookie = ck;
		x->u.cookie.init = &c->init;
		x->u.cookie.params = &c->params;
		cmd_send(c, DPSCTP_SEND_COOKIE_ACK);
		if (dpsctp_assoc_before_established(a))
			cmd_establish(c);
		return DPSCTP_DISP_CONSUME;
	}
	if (lt && pt) {
		/* (D) */
		cmd_send(c, DPSCTP_SEND_COOKIE_ACK);
		if (dpsctp_assoc_before_established(a))
			cmd_establish(c);
		return DPSCTP_DISP_CONSUME;
	}
	/* (C) and every other combination: silently discard */
	return drop(c, DPSCTP_DROP_UNEXPECTED, DPSCTP_DISP_STOP);
}

/*
 * RFC 9260 9.1: "Upon receipt of the ABORT chunk, the receiving endpoint MUST delete the TCB
 * and report the termination to its upper layer" (the Verification Tag rules of 8.5.1 B were
 * applied to the packet already).
 */
static enum dpsctp_disp
sf_9_1_abort(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	struct dpsctp_cmd *x = cmd(c, DPSCTP_CMD_END);

	x->u.end.code = DPSCTP_ABORT_PEER;
	x->u.end.peer_causes = in->v->abort.causes;
	x->u.end.peer_causes_len = in->v->abort.causes_len;
	x->u.end.ev = dpsctp_assoc_before_established(a) ? DPSCTP_EV_CANT_STR_ASSOC :
							   DPSCTP_EV_COMM_LOST;
	return DPSCTP_DISP_GONE;
}

/*
 * RFC 9260 9.2: "Upon reception of the SHUTDOWN chunk, the peer endpoint MUST enter the
 * SHUTDOWN-RECEIVED state, stop accepting new data from its SCTP user, and verify, by checking
 * the Cumulative TSN Ack field of the chunk, that all its outstanding DATA chunks have been
 * received by the SHUTDOWN sender." With nothing outstanding it sends SHUTDOWN ACK at once,
 * starts T2-shutdown and enters SHUTDOWN-ACK-SENT.
 */
static enum dpsctp_disp
sf_9_2_shutdown(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	struct dpsctp_cmd *x;

	cmd(c, DPSCTP_CMD_SHUTDOWN_CUM)->u.value = in->v->shutdown.cum_tsn;
	if (a->state != DPSCTP_SHUTDOWN_RECEIVED) {
		cmd_state(c, DPSCTP_SHUTDOWN_RECEIVED);
		x = cmd(c, DPSCTP_CMD_EVENT);
		x->u.ev.type = DPSCTP_EV_SHUTDOWN;
	}
	cmd(c, DPSCTP_CMD_SHUTDOWN_PROGRESS);
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 9.2: "If an endpoint is in the SHUTDOWN-SENT state and receives a SHUTDOWN chunk
 * from its peer, the endpoint MUST respond immediately with a SHUTDOWN ACK to its peer and move
 * into the SHUTDOWN-ACK-SENT state, restarting its T2-shutdown timer."
 */
static enum dpsctp_disp
sf_9_2_shutdown_collision(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	struct dpsctp_cmd *x;

	(void)a;
	(void)in;
	x = cmd(c, DPSCTP_CMD_EVENT);
	x->u.ev.type = DPSCTP_EV_SHUTDOWN;
	cmd_send(c, DPSCTP_SEND_SHUTDOWN_ACK);
	cmd_state(c, DPSCTP_SHUTDOWN_ACK_SENT);
	cmd_timer_stop(c, DPSCTP_T2_SHUTDOWN);
	cmd_timer_start(c, DPSCTP_T2_SHUTDOWN);
	return DPSCTP_DISP_CONSUME;
}

/* A SHUTDOWN repeated in SHUTDOWN-ACK-SENT: our SHUTDOWN ACK was lost; send it again. */
static enum dpsctp_disp
sf_9_2_shutdown_again(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd_send(c, DPSCTP_SEND_SHUTDOWN_ACK);
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 9.2: "Upon the receipt of the SHUTDOWN ACK chunk, the sender of the SHUTDOWN chunk
 * MUST stop the T2-shutdown timer, send a SHUTDOWN COMPLETE chunk to its peer, and remove all
 * record of the association." Also in SHUTDOWN-ACK-SENT (a shutdown collision).
 */
static enum dpsctp_disp
sf_9_2_shutdown_ack(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd(c, DPSCTP_CMD_CLOSE)->u.close.send_sc = true;
	return DPSCTP_DISP_GONE;
}

/*
 * RFC 9260 8.5.1 E: "If the receiver is in COOKIE-ECHOED or COOKIE-WAIT state, the procedures in
 * Section 8.4 SHOULD be followed" for a SHUTDOWN ACK: 8.4 rule 5 answers with SHUTDOWN COMPLETE,
 * the T bit set and the packet's Verification Tag.
 */
static enum dpsctp_disp
sf_8_5_1_e_shutdown_ack_ootb(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	(void)a;
	cmd(c, DPSCTP_CMD_REPLY_SC_T)->u.reply.vtag = in->pi->hdr.vtag;
	return drop(c, DPSCTP_DROP_OOTB, DPSCTP_DISP_STOP);
}

/*
 * RFC 9260 9.2: "Upon reception of the SHUTDOWN COMPLETE chunk, the endpoint MUST verify that it
 * is in the SHUTDOWN-ACK-SENT state; if it is not, the chunk SHOULD be discarded. If the
 * endpoint is in the SHUTDOWN-ACK-SENT state, the endpoint MUST stop the T2-shutdown timer and
 * remove all knowledge of the association."
 */
static enum dpsctp_disp
sf_9_2_shutdown_complete(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd(c, DPSCTP_CMD_CLOSE)->u.close.send_sc = false;
	return DPSCTP_DISP_GONE;
}

/*
 * RFC 9260 8.3: "The receiver of the HEARTBEAT chunk SHOULD immediately respond with a
 * HEARTBEAT ACK chunk that contains the Heartbeat Information TLV, together with any other
 * received TLVs, copied unchanged from the received HEARTBEAT chunk."
 */
static enum dpsctp_disp
sf_8_3_heartbeat(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_heartbeat *hb = &in->v->hb;
	struct dpsctp_cmd *x;

	(void)a;
	/* 3.3.5: Heartbeat Info is mandatory */
	if (hb->params_len < DPSCTP_TLV_HDR_LEN ||
		dpsctp_get_be16(hb->params) != DPSCTP_PARAM_HEARTBEAT_INFO)
		return drop(c, DPSCTP_DROP_BAD_CHUNK, DPSCTP_DISP_DISCARD);
	x = cmd(c, DPSCTP_CMD_HB_ACK);
	x->u.data.data = hb->params;
	x->u.data.len = hb->params_len;
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 8.3: "Upon the receipt of the HEARTBEAT ACK, a verification is made that the nonce
 * included in the HEARTBEAT parameter is the one sent ... the sender ... clears the error
 * counter ... and SHOULD also perform an RTT measurement".
 */
static enum dpsctp_disp
sf_8_3_heartbeat_ack(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_heartbeat *hb = &in->v->hb;
	struct dpsctp_cmd *x;

	(void)a;
	if (hb->params_len < DPSCTP_TLV_HDR_LEN + DPSCTP_HB_INFO_LEN ||
		dpsctp_get_be16(hb->params) != DPSCTP_PARAM_HEARTBEAT_INFO ||
		dpsctp_get_be16(hb->params + 2) != DPSCTP_TLV_HDR_LEN + DPSCTP_HB_INFO_LEN)
		return drop(c, DPSCTP_DROP_BAD_CHUNK, DPSCTP_DISP_DISCARD);
	/* which path it answers, and whether the nonce is right, is path.c's to check */
	x = cmd(c, DPSCTP_CMD_HB_ACKED);
	x->u.data.data = hb->params + DPSCTP_TLV_HDR_LEN;
	x->u.data.len = DPSCTP_HB_INFO_LEN;
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 5.2.6: a Stale Cookie error in COOKIE-ECHOED: "(3) Send a new INIT chunk to the
 * endpoint, adding a Cookie Preservative parameter requesting an extension to the life time of
 * the State Cookie", at most Max.Init.Retransmits times. Other ERRORs: report (REMOTE_ERROR).
 */
static enum dpsctp_disp
sf_3_3_10_error(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *c)
{
	const struct dpsctp_error *e = &in->v->error;
	const uint8_t *p = e->causes;
	struct dpsctp_tlv t;
	struct dpsctp_cause cause;
	struct dpsctp_cmd *x;
	uint16_t first = 0;

	if (dpsctp_tlv_next(&p, e->causes + e->causes_len, &t) == 1)
		first = t.type;
	if (a->state == DPSCTP_COOKIE_ECHOED && first == DPSCTP_CAUSE_STALE_COOKIE &&
		dpsctp_cause_decode(&t, &cause) == 0) {
		uint64_t ms;

		if (a->stale_count + 1 > a->cfg.max_init_retrans)
			return end(c, DPSCTP_ABORT_STALE_COOKIE_MAX, false, 0, NULL, 0,
				DPSCTP_EV_CANT_STR_ASSOC);
		/* ask for twice the staleness the peer measured (in us), at least 1 ms */
		ms = (uint64_t)cause.u.u32 * 2 / 1000 + 1;
		cmd(c, DPSCTP_CMD_STALE_REINIT)->u.value = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
		cmd_timer_stop(c, DPSCTP_T1_COOKIE);
		cmd(c, DPSCTP_CMD_FREE_COOKIE);
		cmd_state(c, DPSCTP_COOKIE_WAIT);
		cmd_send(c, DPSCTP_SEND_INIT);
		cmd_timer_start(c, DPSCTP_T1_INIT);
		return DPSCTP_DISP_CONSUME;
	}
	x = cmd(c, DPSCTP_CMD_EVENT);
	x->u.ev.type = DPSCTP_EV_REMOTE_ERROR;
	x->u.ev.u.remote_error.error = first;
	x->u.ev.u.remote_error.causes = e->causes;
	x->u.ev.u.remote_error.causes_len = e->causes_len;
	return DPSCTP_DISP_CONSUME;
}

/*
 * RFC 9260 6.2: "After the reception of the first DATA chunk in an association, the endpoint
 * MUST immediately respond with a SACK chunk to acknowledge the DATA chunk. Subsequent
 * acknowledgements SHOULD be done as described in Section 6.2." The receiver (rcv.c) checks
 * TSN, stream and window and hands the chunk to reassembly.
 */
static enum dpsctp_disp
sf_6_data(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in, struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd(c, DPSCTP_CMD_DATA);
	return DPSCTP_DISP_CONSUME;
}

/* RFC 9260 6.2.1: "Processing a Received SACK" (outq.c), in every state with data outstanding. */
static enum dpsctp_disp
sf_6_2_sack(const struct dpsctp_assoc *a, const struct dpsctp_sm_input *in, struct dpsctp_cmds *c)
{
	(void)a;
	(void)in;
	cmd(c, DPSCTP_CMD_SACK);
	return DPSCTP_DISP_CONSUME;
}

/* ---- the tables ---- */

enum sm_row {
	ROW_DATA,
	ROW_INIT,
	ROW_INIT_ACK,
	ROW_SACK,
	ROW_HEARTBEAT,
	ROW_HEARTBEAT_ACK,
	ROW_ABORT,
	ROW_SHUTDOWN,
	ROW_SHUTDOWN_ACK,
	ROW_ERROR,
	ROW_COOKIE_ECHO,
	ROW_COOKIE_ACK,
	ROW_SHUTDOWN_COMPLETE,
	ROW_COUNT
};

#define D sf_discard

/* Columns: CLOSED, COOKIE-WAIT, COOKIE-ECHOED, ESTABLISHED, SHUTDOWN-PENDING, SHUTDOWN-SENT,
 * SHUTDOWN-RECEIVED, SHUTDOWN-ACK-SENT. CLOSED never has a TCB; its packets are the
 * endpoint's (endpoint.c, RFC 9260 8.4). */
static const sm_fn sm_table[ROW_COUNT][DPSCTP_STATE_COUNT] = {
	[ROW_DATA] = {D, D, D, sf_6_data, sf_6_data, sf_6_data, D, D},
	[ROW_INIT] = {D, sf_5_2_1_init_collision, sf_5_2_1_init_collision,
		sf_5_2_2_unexpected_init, sf_5_2_2_unexpected_init, sf_5_2_2_unexpected_init,
		sf_5_2_2_unexpected_init, sf_9_2_init_in_shutdown_ack_sent},
	/* 5.2.3: INIT ACK outside COOKIE-WAIT is discarded */
	[ROW_INIT_ACK] = {D, sf_5_1_c_init_ack, D, D, D, D, D, D},
	[ROW_SACK] = {D, D, D, sf_6_2_sack, sf_6_2_sack, sf_6_2_sack, sf_6_2_sack, D},
	[ROW_HEARTBEAT] = {D, D, sf_8_3_heartbeat, sf_8_3_heartbeat, sf_8_3_heartbeat,
		sf_8_3_heartbeat, sf_8_3_heartbeat, D},
	[ROW_HEARTBEAT_ACK] = {D, D, D, sf_8_3_heartbeat_ack, sf_8_3_heartbeat_ack,
		sf_8_3_heartbeat_ack, sf_8_3_heartbeat_ack, sf_8_3_heartbeat_ack},
	[ROW_ABORT] = {D, sf_9_1_abort, sf_9_1_abort, sf_9_1_abort, sf_9_1_abort, sf_9_1_abort,
		sf_9_1_abort, sf_9_1_abort},
	[ROW_SHUTDOWN] = {D, D, D, sf_9_2_shutdown, sf_9_2_shutdown, sf_9_2_shutdown_collision,
		sf_9_2_shutdown, sf_9_2_shutdown_again},
	[ROW_SHUTDOWN_ACK] = {D, sf_8_5_1_e_shutdown_ack_ootb, sf_8_5_1_e_shutdown_ack_ootb, D, D,
		sf_9_2_shutdown_ack, D, sf_9_2_shutdown_ack},
	[ROW_ERROR] = {D, sf_3_3_10_error, sf_3_3_10_error, sf_3_3_10_error, sf_3_3_10_error,
		sf_3_3_10_error, sf_3_3_10_error, sf_3_3_10_error},
	[ROW_COOKIE_ECHO] = {D, sf_5_2_4_dupcook, sf_5_2_4_dupcook, sf_5_2_4_dupcook,
		sf_5_2_4_dupcook, sf_5_2_4_dupcook, sf_5_2_4_dupcook, sf_5_2_4_dupcook},
	[ROW_COOKIE_ACK] = {D, D, sf_5_1_e_cookie_ack, D, D, D, D, D},
	[ROW_SHUTDOWN_COMPLETE] = {D, D, D, D, D, D, D, sf_9_2_shutdown_complete},
};

#undef D

static int
sm_row(uint8_t type)
{
	switch (type) {
	case DPSCTP_CHUNK_DATA:
		return ROW_DATA;
	case DPSCTP_CHUNK_INIT:
		return ROW_INIT;
	case DPSCTP_CHUNK_INIT_ACK:
		return ROW_INIT_ACK;
	case DPSCTP_CHUNK_SACK:
		return ROW_SACK;
	case DPSCTP_CHUNK_HEARTBEAT:
		return ROW_HEARTBEAT;
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		return ROW_HEARTBEAT_ACK;
	case DPSCTP_CHUNK_ABORT:
		return ROW_ABORT;
	case DPSCTP_CHUNK_SHUTDOWN:
		return ROW_SHUTDOWN;
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return ROW_SHUTDOWN_ACK;
	case DPSCTP_CHUNK_ERROR:
		return ROW_ERROR;
	case DPSCTP_CHUNK_COOKIE_ECHO:
		return ROW_COOKIE_ECHO;
	case DPSCTP_CHUNK_COOKIE_ACK:
		return ROW_COOKIE_ACK;
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return ROW_SHUTDOWN_COMPLETE;
	default:
		return -1;
	}
}

bool
dpsctp_sm_handles(uint8_t type)
{
	return sm_row(type) >= 0;
}

enum dpsctp_disp
dpsctp_sm_chunk(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in)
{
	struct dpsctp_cmds cmds;
	enum dpsctp_disp d;
	int row = sm_row(in->chunk->type);

	if (row < 0 || a->state >= DPSCTP_STATE_COUNT)
		return DPSCTP_DISP_DISCARD;
	cmds.n = 0;
	d = sm_table[row][a->state](a, in, &cmds);
	return dpsctp_sm_apply(a, in, &cmds, d);
}

/*
 * RFC 9260 5.1.5 (5.1 D), no TCB: "Upon reception of the COOKIE ECHO chunk, endpoint "Z" will
 * reply with a COOKIE ACK chunk after building a TCB and moving to the ESTABLISHED state."
 * Steps: 1-2 the MAC, 3 the ports and the Verification Tag against the packet (silently
 * discarded), 4 the lifetime (Stale Cookie error with the staleness in us); only then is memory
 * committed.
 */
int
dpsctp_sm_cookie_echo_new(struct dpsctp_endpoint *ep, const struct dpsctp_packet_info *pi,
	const struct dpsctp_path *path, uint64_t now, struct dpsctp_assoc **out)
{
	struct dpsctp_cmds cmds;
	struct dpsctp_cmds *c = &cmds;
	struct dpsctp_cookie *ck = &c->cookie;
	const uint8_t *p = pi->chunks;
	union dpsctp_chunk_view v;
	struct dpsctp_chunk ch;
	struct dpsctp_sm_input in = {.pi = pi, .chunk = &ch, .v = &v, .path = path, .now = now};
	struct dpsctp_assoc *a;
	struct dpsctp_cmd *x;

	c->n = 0;
	if (dpsctp_chunk_next(&p, pi->end, &ch) != 1 || dpsctp_chunk_decode(&ch, &v) != 0) {
		ep->stats.drops[DPSCTP_DROP_BAD_CHUNK]++;
		return DPSCTP_DROP_BAD_CHUNK + 1;
	}
	if (dpsctp_cookie_open(v.cookie.cookie, v.cookie.cookie_len, ep->secret, 2, ck) != 0) {
		ep->stats.drops[DPSCTP_DROP_BAD_COOKIE]++;
		return DPSCTP_DROP_BAD_COOKIE + 1;
	}
	if (ck->local_port != ep->port || ck->peer_port != pi->hdr.src_port) {
		ep->stats.drops[DPSCTP_DROP_BAD_COOKIE]++;
		return DPSCTP_DROP_BAD_COOKIE + 1;
	}
	if (pi->hdr.vtag != ck->local_tag) {
		ep->stats.drops[DPSCTP_DROP_BAD_VTAG]++;
		return DPSCTP_DROP_BAD_VTAG + 1;
	}
	if (now > ck->created + ck->lifetime) {
		uint8_t type = DPSCTP_CHUNK_ERROR;

		stale_measure(ck, now, c->tmp);
		dpsctp_ep_reply_ctrl(ep, pi->hdr.src_port, ck->peer_tag, path, &type, 1, 0,
			DPSCTP_CAUSE_STALE_COOKIE, c->tmp, 4);
		ep->stats.drops[DPSCTP_DROP_STALE_COOKIE]++;
		return DPSCTP_DROP_STALE_COOKIE + 1;
	}
	if (cookie_init(ck, c) != 0) {
		ep->stats.drops[DPSCTP_DROP_BAD_COOKIE]++;
		return DPSCTP_DROP_BAD_COOKIE + 1;
	}

	a = dpsctp_assoc_new(ep, now);
	if (a == NULL)
		return DPSCTP_DROP_NO_MEMORY + 1;
	a->peer_port = pi->hdr.src_port;
	x = cmd(c, DPSCTP_CMD_PEER_COOKIE);
	x->u.cookie.cookie = ck;
	x->u.cookie.init = &c->init;
	x->u.cookie.params = &c->params;
	cmd_state(c, DPSCTP_ESTABLISHED);
	cmd_send(c, DPSCTP_SEND_COOKIE_ACK);
	cmd_assoc_change(c, DPSCTP_EV_COMM_UP);
	cmd_adaptation(c, &c->params);
	cmd_timer_start(c, DPSCTP_T_HEARTBEAT);
	if (dpsctp_sm_apply(a, &in, c, DPSCTP_DISP_CONSUME) == DPSCTP_DISP_GONE) {
		/* no memory for the data path: the association was ended at once */
		*out = NULL;
		return DPSCTP_DROP_NO_MEMORY + 1;
	}
	*out = a;
	return 0;
}
