/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver of an association: DATA in, SACK out (RFC 9260 6.2, 6.5, 6.7). See rcv.h.
 */
#include <string.h>

#include "assoc.h"
#include "packet.h"
#include "rcv.h"

/* Gap ack blocks and duplicate TSNs put in one SACK at most (the lowest first, 7.2.4). */
#define SACK_MAX_GAPS 64
#define SACK_MAX_DUPS DPSCTP_TSNMAP_MAX_DUPS

static void
deliver(void *ctx, const struct dpsctp_rcvinfo *ri, const struct dpsctp_iov *iov,
	unsigned int iovcnt, bool eor)
{
	struct dpsctp_assoc *a = ctx;
	struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_rcvinfo info = *ri;
	unsigned int i;

	info.assoc_id = a->id;
	info.cumtsn = a->tsnmap.cum_tsn;
	if (a->cfg.rcv_app_window)
		for (i = 0; i < iovcnt; i++)
			a->rcv_held += iov[i].len;
	if (eor)
		ep->stats.msgs_delivered++;
	if (ep->cb.deliver != NULL)
		ep->cb.deliver(ep->cb.ctx, a, &info, iov, iovcnt, eor);
}

int
dpsctp_rcv_setup(struct dpsctp_assoc *a)
{
	uint32_t pd = a->cfg.pd_point != 0 ? a->cfg.pd_point : a->cfg.a_rwnd / 2;

	dpsctp_tsnmap_init(&a->tsnmap, a->peer_itsn);
	a->rcv_held = 0;
	a->sack_pkts = 0;
	a->last_rwnd = a->cfg.a_rwnd;
	return dpsctp_reasm_init(&a->reasm, &a->ep->env, a->mis == 0 ? 1 : a->mis, pd, deliver, a);
}

void
dpsctp_rcv_teardown(struct dpsctp_assoc *a, bool report)
{
	uint16_t sid, ssn;

	if (a->reasm.next_ssn == NULL)
		return;
	if (report && dpsctp_reasm_pd(&a->reasm, &sid, &ssn)) {
		struct dpsctp_event ev;

		/* RFC 6458 6.1.7: the partly delivered message will not be completed */
		memset(&ev, 0, sizeof(ev));
		ev.type = DPSCTP_EV_PARTIAL_DELIVERY;
		ev.assoc_id = a->id;
		ev.u.partial_delivery.indication = DPSCTP_PARTIAL_DELIVERY_ABORTED;
		ev.u.partial_delivery.sid = sid;
		ev.u.partial_delivery.ssn = ssn;
		dpsctp_assoc_event(a, &ev);
	}
	dpsctp_reasm_fini(&a->reasm);
	memset(&a->reasm, 0, sizeof(a->reasm));
}

uint32_t
dpsctp_rcv_window(const struct dpsctp_assoc *a)
{
	size_t held = a->reasm.queued + a->rcv_held;
	uint32_t w = a->cfg.a_rwnd;

	return held >= w ? 0 : w - (uint32_t)held;
}

static void
sack_now(struct dpsctp_assoc *a)
{
	a->sack_immediate = true;
}

/*
 * Several packets can arrive before the caller asks for output (a receive burst). A SACK still
 * waiting for an earlier packet goes out now as a packet of its own, so that every packet that
 * called for a SACK gets one: the sender counts miss indications per SACK (7.2.4), and SACKs
 * merged over a burst would starve its fast retransmit.
 */
static void
flush_sack(struct dpsctp_assoc *a)
{
	uint8_t buf[DPSCTP_COMMON_HDR_LEN + 16 + 4 * (SACK_MAX_GAPS + SACK_MAX_DUPS)];
	struct dpsctp_wbuf w;

	/* with the reply queue full, the waiting SACK just grows to cover this packet too; with
	 * no local address to send it from (no route), it waits for output */
	if (a->ep->reply_count >= DPSCTP_REPLY_QUEUE / 2 || a->sack_to.local.family == 0)
		return;
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	if (dpsctp_common_hdr_build(&w, a->ep->port, a->peer_port, a->peer_vtag) != 0 ||
		dpsctp_rcv_put_sack(a, &w) != 0)
		return;
	if (dpsctp_ep_reply(a->ep, buf, w.len, &a->sack_to) == 0)
		a->pending &= ~DPSCTP_SEND_SACK;
}

int
dpsctp_rcv_data(struct dpsctp_assoc *a, const struct dpsctp_data *d, uint64_t now)
{
	struct dpsctp_endpoint *ep = a->ep;
	uint64_t pd;
	size_t held;
	int rc;

	if (d->payload_len == 0) {
		uint8_t tsn[4];

		/* 6.2: "If an endpoint receives a DATA chunk with no user data, it MUST send an
		 * ABORT chunk with an error cause set to 'No User Data'" */
		dpsctp_put_be32(tsn, d->tsn);
		dpsctp_assoc_end(a, DPSCTP_ABORT_NO_USER_DATA, true, DPSCTP_CAUSE_NO_USER_DATA, tsn,
			4, NULL, 0, DPSCTP_EV_COMM_LOST);
		return -ECONNABORTED;
	}
	dpsctp_assoc_activity(a, now); /* RFC 6458 8.1.8: not idle */
	if (!a->pkt_data && (a->pending & DPSCTP_SEND_SACK) != 0)
		flush_sack(a);
	a->pkt_data = true;
	if ((d->flags & DPSCTP_DATA_FLAG_I) != 0)
		sack_now(a); /* RFC 7053 */
	rc = dpsctp_tsnmap_check(&a->tsnmap, d->tsn);
	if (rc == 1) {
		/* 6.2: a duplicate is reported in the next SACK, sent at once */
		dpsctp_tsnmap_mark(&a->tsnmap, d->tsn);
		ep->stats.data_dup++;
		sack_now(a);
		return 0;
	}
	if (rc < 0) {
		/* beyond what the TSN map tracks: dropped unacknowledged, as for a full window */
		ep->stats.drops[DPSCTP_DROP_NO_RWND]++;
		sack_now(a);
		return 0;
	}
	if (d->sid >= a->mis) {
		uint8_t v[4];

		/* 6.5: acknowledge the TSN, drop the chunk, report Invalid Stream Identifier */
		dpsctp_put_be16(v, d->sid);
		dpsctp_put_be16(v + 2, 0);
		dpsctp_assoc_queue_cause(a, DPSCTP_CAUSE_INVALID_STREAM, v, 4);
		dpsctp_tsnmap_mark(&a->tsnmap, d->tsn);
		ep->stats.drops[DPSCTP_DROP_BAD_STREAM]++;
		sack_now(a);
		return 0;
	}
	/* 6.2: data beyond our window is dropped (not acknowledged). The chunk that advances the
	 * cumulative TSN is still taken up to twice the window: it is the one that lets held
	 * data be delivered, and refusing it could block the association for good. */
	held = a->reasm.queued + a->rcv_held;
	if (held + d->payload_len > a->cfg.a_rwnd &&
		(held >= 2 * (size_t)a->cfg.a_rwnd || d->tsn != a->tsnmap.cum_tsn + 1 ||
			(held >= a->cfg.a_rwnd && !dpsctp_tsnmap_has_gaps(&a->tsnmap)))) {
		ep->stats.drops[DPSCTP_DROP_NO_RWND]++;
		sack_now(a);
		return 0;
	}
	/* 6.2: the first DATA chunk is acknowledged at once; 6.7: so are a new gap and a gap
	 * filled */
	if (a->tsnmap.n_new == 0 || dpsctp_tsnmap_has_gaps(&a->tsnmap) ||
		d->tsn != a->tsnmap.cum_tsn + 1)
		sack_now(a);
	pd = a->reasm.n_pd;
	rc = dpsctp_reasm_add(&a->reasm, d);
	ep->stats.partial_deliveries += a->reasm.n_pd - pd;
	if (rc == -ENOMEM) {
		ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
		return 0;
	}
	if (rc != 0) {
		static const char why[] = "DATA fragments break RFC 9260 6.9";

		dpsctp_assoc_end(a, DPSCTP_ABORT_PROTOCOL_VIOLATION, true,
			DPSCTP_CAUSE_PROTOCOL_VIOLATION, why, sizeof(why) - 1, NULL, 0,
			DPSCTP_EV_COMM_LOST);
		return -ECONNABORTED;
	}
	dpsctp_tsnmap_mark(&a->tsnmap, d->tsn);
	ep->stats.data_in++;
	return 0;
}

void
dpsctp_rcv_packet_done(struct dpsctp_assoc *a, uint64_t now)
{

	if (!a->pkt_data)
		return;
	a->pkt_data = false;
	a->sack_pkts++;
	if (a->state == DPSCTP_SHUTDOWN_SENT) {
		/* 9.2: "respond to each received packet containing one or more DATA chunks with a
		 * SHUTDOWN chunk and restart the T2-shutdown timer" */
		a->pending |= DPSCTP_SEND_SHUTDOWN;
		dpsctp_assoc_timer_start(a, DPSCTP_T2_SHUTDOWN, now);
		a->sack_immediate = true;
	}
	/* 6.2: a SACK for at least every second packet, within sack_delay of the first */
	if (a->sack_immediate || a->sack_pkts >= a->cfg.sack_freq || a->cfg.sack_delay == 0) {
		a->pending |= DPSCTP_SEND_SACK;
		a->sack_immediate = false;
	} else if (a->deadline[DPSCTP_T_SACK] == DPSCTP_NEVER) {
		a->deadline[DPSCTP_T_SACK] = now + a->cfg.sack_delay;
	}
}

int
dpsctp_rcv_put_sack(struct dpsctp_assoc *a, struct dpsctp_wbuf *w)
{
	struct dpsctp_gap_block gaps[SACK_MAX_GAPS];
	uint32_t dups[SACK_MAX_DUPS];
	size_t room = dpsctp_wbuf_room(w);
	size_t ngaps, ndups, max;
	uint32_t rwnd = dpsctp_rcv_window(a);
	int rc;

	if (room < 16)
		return -ENOSPC;
	max = (room - 16) / 4;
	ngaps = dpsctp_tsnmap_gap_blocks(&a->tsnmap, gaps, max < SACK_MAX_GAPS ? max : SACK_MAX_GAPS);
	max -= ngaps;
	/* the duplicates are taken only once the SACK is sure to be built */
	ndups = a->tsnmap.ndups < max ? a->tsnmap.ndups : max;
	rc = dpsctp_sack_build(w, a->tsnmap.cum_tsn, rwnd, gaps, (uint16_t)ngaps, a->tsnmap.dups,
		(uint16_t)ndups);
	if (rc != 0)
		return rc;
	dpsctp_tsnmap_dups(&a->tsnmap, dups, ndups);
	a->sack_pkts = 0;
	a->last_rwnd = rwnd;
	a->deadline[DPSCTP_T_SACK] = DPSCTP_NEVER;
	a->ep->stats.sacks_out++;
	return 0;
}

void
dpsctp_rcv_consume(struct dpsctp_assoc *a, size_t bytes)
{
	uint32_t mtu = a->cfg.pmtu;

	if (!a->cfg.rcv_app_window || a->reasm.next_ssn == NULL)
		return;
	a->rcv_held = bytes >= a->rcv_held ? 0 : a->rcv_held - (uint32_t)bytes;
	/* 6.2: tell the peer when the window opened by an MTU or more, or from below one MTU
	 * (it may be probing a zero window) */
	if (dpsctp_rcv_window(a) >= a->last_rwnd + mtu ||
		(a->last_rwnd < mtu && dpsctp_rcv_window(a) >= mtu))
		a->pending |= DPSCTP_SEND_SACK;
}
