/* SPDX-License-Identifier: BSD-3-Clause */
/* A worker lcore: RX, CRC, steering, engine, services, timers, TX (see worker.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "encap.h"
#include "icmp.h"
#include "msg.h"
#include "service.h"
#include "steer.h"
#include "worker.h"

static const char *const drop_names[DP_DROP_COUNT] = {
	[DP_DROP_BAD_CRC] = "bad_crc",
	[DP_DROP_NOT_OURS] = "not_ours",
	[DP_DROP_SRC_OURS] = "src_ours",
	[DP_DROP_PROTO] = "ip_proto",
	[DP_DROP_SCTP_SHORT] = "sctp_short",
	[DP_DROP_NO_SERVICE] = "no_service",
	[DP_DROP_MULTISEG] = "multiseg",
	[DP_DROP_RING_FULL] = "ring_full",
	[DP_DROP_NO_ROUTE] = "no_route",
	[DP_DROP_NO_NEIGH] = "no_neighbour",
	[DP_DROP_NO_MBUF] = "no_mbuf",
	[DP_DROP_ENGINE] = "engine",
};

const char *
dp_drop_name(enum dp_drop d)
{
	return (unsigned int)d < DP_DROP_COUNT ? drop_names[d] : "?";
}

/* ---- sending ---- */

static inline void
tx_flush_port(struct dp_worker *w, unsigned int pi)
{
	struct dp_txbuf *t = &w->tx[pi];
	uint16_t sent, i;

	if (t->n == 0)
		return;
	sent = rte_eth_tx_burst(w->s->ports[pi].port_id, (uint16_t)w->id, t->m, t->n);
	for (i = sent; i < t->n; i++) {
		w->st.tx_bytes -= t->m[i]->pkt_len;
		rte_pktmbuf_free(t->m[i]);
	}
	w->st.tx_dropped += t->n - sent;
	w->st.tx_packets -= t->n - sent;
	t->n = 0;
}

/* Queue a complete frame on port index @p pi. */
static void
dp_worker_tx_frame(struct dp_worker *w, unsigned int pi, struct rte_mbuf *m)
{
	struct dp_txbuf *t = &w->tx[pi];

	if (t->n == 0)
		t->first_tsc = w->tsc;
	t->m[t->n++] = m;
	w->st.tx_packets++;
	w->st.tx_bytes += m->pkt_len;
	if (t->n == DP_BURST)
		tx_flush_port(w, pi);
}

static void
ask_neighbour(struct dp_worker *w, unsigned int port, const struct dpsctp_addr *nh)
{
	struct dp_msg msg = { .type = DP_MSG_NEED_NEIGH, .port = (uint16_t)port };

	msg.addr = *nh;
	/* a full ring means control is already busy resolving: dropping the ask is fine */
	(void)rte_ring_sp_enqueue_elem(w->s->to_ctrl_msg[w->id], &msg, sizeof(msg));
}

/* Take the engine's packet in @p m (len bytes of SCTP) to the wire or to ourselves. */
static void
send_sctp(struct dp_worker *w, struct rte_mbuf *m, size_t len, const struct dpsctp_path *path)
{
	unsigned int port = 0;
	struct dpsctp_addr nh;

	rte_pktmbuf_append(m, (uint16_t)len);
	switch (dp_encap_sctp(w->s, m, len, path, w->ip_id++, &port, &nh)) {
	case DP_ENCAP_PORT:
		dp_worker_tx_frame(w, port, m);
		return;
	case DP_ENCAP_LOCAL:
		if (w->nlocal < RTE_DIM(w->local_q)) {
			w->local_q[w->nlocal++] = m;
			w->st.local++;
			return;
		}
		w->st.drops[DP_DROP_RING_FULL]++;
		break;
	case DP_ENCAP_NO_NEIGH:
		ask_neighbour(w, port, &nh);
		w->st.drops[DP_DROP_NO_NEIGH]++;
		break;
	case DP_ENCAP_NO_ROUTE:
		w->st.drops[DP_DROP_NO_ROUTE]++;
		break;
	case DP_ENCAP_NO_ROOM:
		w->st.drops[DP_DROP_NO_MBUF]++;
		break;
	}
	rte_pktmbuf_free(m);
}

/*
 * A packet for a port where nothing listens (no slot, or a slot without an endpoint here):
 * answered as RFC 9260 8.4 says (an INIT gets an ABORT: the peer's connect fails at once).
 * The answer is never larger than a control chunk, so a spoofer gains no amplification.
 */
static void
no_endpoint_answer(struct dp_worker *w, const uint8_t *sctp, size_t len, const struct dp_inet *in)
{
	struct dpsctp_path path = { .local = in->dst, .remote = in->src };
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->s->pool);
	size_t n;

	w->st.drops[DP_DROP_NO_SERVICE]++;
	if (unlikely(m == NULL)) {
		w->st.drops[DP_DROP_NO_MBUF]++;
		return;
	}
	n = dpsctp_ootb_answer(sctp, len, rte_pktmbuf_mtod(m, uint8_t *),
		RTE_MIN((size_t)rte_pktmbuf_tailroom(m), (size_t)DPSCTP_MAX_PACKET));
	if (n == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	w->st.ootb_answers++;
	send_sctp(w, m, n, &path);
}

/*
 * A buffer for output. Taken from the pool DP_TX_STASH at a time, their headers prefetched at
 * once: a buffer comes back to the pool from whichever core freed it (a PMD's TX completion, a
 * ring's consumer), and its header would otherwise miss the cache on the way of every SACK.
 */
static struct rte_mbuf *
tx_mbuf(struct dp_worker *w)
{
	struct rte_mbuf *m;
	unsigned int i;

	if (unlikely(w->nstash == 0)) {
		if (rte_mempool_get_bulk(w->s->pool, (void **)w->stash, DP_TX_STASH) != 0)
			return rte_pktmbuf_alloc(w->s->pool); /* nearly empty: one at a time */
		for (i = 0; i < DP_TX_STASH; i++) {
			rte_prefetch0(w->stash[i]);
			rte_prefetch0(RTE_PTR_ADD(w->stash[i], RTE_CACHE_LINE_MIN_SIZE));
		}
		w->nstash = DP_TX_STASH;
	}
	/* as rte_pktmbuf_alloc: a buffer in the pool has a reference count of 1 */
	m = w->stash[--w->nstash];
	rte_pktmbuf_reset(m);
	return m;
}

/* Everything the endpoint has to send now. */
static void
ep_output(struct dp_worker *w, struct dp_ep *e)
{
	for (;;) {
		/* an endpoint with nothing to send leaves its buffer for the next: no alloc and free */
		struct rte_mbuf *m = w->spare != NULL ? w->spare : tx_mbuf(w);
		struct dpsctp_path path;
		size_t cap, n;

		w->spare = NULL;
		if (unlikely(m == NULL)) {
			w->st.drops[DP_DROP_NO_MBUF]++;
			return; /* the engine keeps it; the next loop tries again */
		}
		cap = rte_pktmbuf_tailroom(m);
		if (cap > DPSCTP_MAX_PACKET)
			cap = DPSCTP_MAX_PACKET;
		n = dpsctp_endpoint_output(e->ep, rte_pktmbuf_mtod(m, uint8_t *), cap, &path, w->now);
		if (n == 0) {
			w->spare = m;
			return;
		}
		send_sctp(w, m, n, &path);
	}
}

/* Arm the endpoint's timer at its next deadline (a walk over its associations). */
static void
ep_rearm(struct dp_worker *w, struct dp_ep *e)
{
	dp_twheel_arm(&w->wheel, &e->timer, dpsctp_endpoint_next_deadline(e->ep));
	e->rearm_at = w->now + DP_REARM_NS;
	e->rearm_due = false;
}

/* After input, a send or an expiry: send what is due and re-arm the endpoint's timer. */
static void
ep_settle(struct dp_worker *w, struct dp_ep *e)
{
	ep_output(w, e);
	e->dirty = false;
	/*
	 * The next deadline costs re-keying the associations touched since (the engine's deadline
	 * heap) and moving the wheel entry: under load it is recomputed at most every DP_REARM_NS
	 * (and at once when the timer fired). A change in
	 * between is picked up by the timer, brought forward to that time if it was later: when it
	 * fires the endpoint expires what is due (maybe nothing) and is re-armed. The wheel's slots
	 * are 1 ms wide, so this costs no timer precision.
	 */
	if (w->now >= e->rearm_at || !dp_twheel_armed(&e->timer)) {
		ep_rearm(w, e);
	} else if (!e->rearm_due) {
		e->rearm_due = true;
		if (e->timer.deadline > e->rearm_at)
			dp_twheel_arm(&w->wheel, &e->timer, e->rearm_at);
	}
}

/* ---- receiving ---- */

/* Slots in use are below this (control raises it when it opens a new one). */
static inline unsigned int
nslots(const struct dp_stack *s)
{
	unsigned int n = __atomic_load_n(&s->nservices, __ATOMIC_ACQUIRE);

	return n < DP_MAX_SERVICES ? n : DP_MAX_SERVICES;
}

static void
to_control(struct dp_worker *w, struct rte_mbuf *m)
{
	if (rte_ring_sp_enqueue(w->s->to_ctrl_pkt[w->id], m) != 0) {
		w->st.drops[DP_DROP_RING_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	w->st.to_control++;
}

static void
to_worker(struct dp_worker *w, unsigned int owner, struct rte_mbuf *m)
{
	if (rte_ring_sp_enqueue(w->s->steer[w->id][owner], m) != 0) {
		w->st.drops[DP_DROP_RING_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	w->st.steered++;
}

/* Hand the SCTP packet to the engine endpoint of its service. */
static void
sctp_input(struct dp_worker *w, struct dp_ep *e, uint8_t *sctp, size_t len,
	const struct dp_inet *in)
{
	struct dpsctp_path path = { .local = in->dst, .remote = in->src };

	if (dpsctp_endpoint_input(e->ep, sctp, len, &path, w->now) != 0)
		w->st.drops[DP_DROP_ENGINE]++;
	dp_ep_touch(e);
}

/* Where a frame comes from. */
enum rx_origin {
	FROM_PORT,    /* rx_burst */
	FROM_WORKER,  /* another worker steered it here: already checked */
	FROM_CONTROL, /* control hands an SCTP packet to this engine: never back to control */
	FROM_SELF,    /* to one of our own addresses, built here or by control */
};

/* One frame, wherever it comes from. */
static void
rx_frame(struct dp_worker *w, struct rte_mbuf *m, enum rx_origin origin)
{
	bool steered = origin == FROM_WORKER, from_ctrl = origin == FROM_CONTROL;
	struct dp_stack *s = w->s;
	struct dp_inet in;
	struct dp_ep *e;
	uint8_t *frame, *sctp;
	unsigned int owner;
	int rc, svc;

	if (unlikely(m->nb_segs != 1)) {
		w->st.drops[DP_DROP_MULTISEG]++;
		goto drop;
	}
	frame = rte_pktmbuf_mtod(m, uint8_t *);
	rc = dp_inet_parse(frame, m->data_len, &in);
	if (unlikely(rc != 0)) {
		w->st.inet_drops[rc < DP_INET_DROP_COUNT ? rc : 0]++;
		goto drop;
	}
	if (in.kind == DP_INET_ARP) {
		to_control(w, m);
		return;
	}
	if (in.proto != DP_INET_PROTO_SCTP) {
		if (in.proto == DP_INET_PROTO_ICMP || in.proto == DP_INET_PROTO_ICMPV6) {
			to_control(w, m);
			return;
		}
		w->st.drops[DP_DROP_PROTO]++;
		goto drop;
	}
	if (unlikely(!dp_stack_is_local(s, &in.dst))) {
		w->st.drops[DP_DROP_NOT_OURS]++;
		goto drop;
	}
	/* our own address as the source of a frame from the wire: spoofed or looped, never answered */
	if (unlikely(origin == FROM_PORT && dp_stack_is_local(s, &in.src))) {
		w->st.drops[DP_DROP_SRC_OURS]++;
		goto drop;
	}
	if (unlikely(in.l4_len < 12)) {
		w->st.drops[DP_DROP_SCTP_SHORT]++;
		goto drop;
	}
	sctp = frame + in.l4_off;
	if (!steered) {
		uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

		/* RFC 9260 6.8: a packet with a wrong CRC32c is discarded silently */
		if (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD ||
			(ck != RTE_MBUF_F_RX_L4_CKSUM_GOOD && !dp_sctp_crc_ok(sctp, in.l4_len))) {
			w->st.drops[DP_DROP_BAD_CRC]++;
			goto drop;
		}
		m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_RX_L4_CKSUM_MASK) |
			RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	svc = dp_stack_slot_of_port(s, (uint16_t)(sctp[2] << 8 | sctp[3]));
	if (svc < 0) {
		no_endpoint_answer(w, sctp, in.l4_len, &in);
		goto drop;
	}
	switch (dp_steer_sctp(sctp, in.l4_len, s->nworkers, &owner)) {
	case DP_STEER_CONTROL:
		/* control sent it here (an INIT of a peer we have an association with): ours */
		if (!from_ctrl) {
			to_control(w, m);
			return;
		}
		break;
	case DP_STEER_ALL:
		if (!steered) {
			unsigned int i;

			for (i = 0; i < s->nworkers; i++) {
				struct rte_mbuf *c;

				if (i == w->id)
					continue;
				c = rte_pktmbuf_copy(m, s->pool, 0, UINT32_MAX);
				if (c == NULL) {
					w->st.drops[DP_DROP_NO_MBUF]++;
					continue;
				}
				c->ol_flags = m->ol_flags;
				to_worker(w, i, c);
			}
		}
		break;
	case DP_STEER_DROP:
		w->st.drops[DP_DROP_SCTP_SHORT]++;
		goto drop;
	case DP_STEER_WORKER:
		if (owner != w->id && !steered) {
			to_worker(w, owner, m);
			return;
		}
		break;
	}
	/* an application endpoint is created here when first needed, and follows its slot */
	e = dp_app_slot_ep(w, (unsigned int)svc);
	if (unlikely(e == NULL)) {
		no_endpoint_answer(w, sctp, in.l4_len, &in);
		goto drop;
	}
	sctp_input(w, e, sctp, in.l4_len, &in);
drop:
	rte_pktmbuf_free(m);
}

/* An ICMP packet-too-big / fragmentation-needed report that control parsed. */
static void
ptb_input(struct dp_worker *w, struct rte_mbuf *m, uint32_t mtu)
{
	const uint8_t *frame = rte_pktmbuf_mtod(m, const uint8_t *);
	struct dp_inet in;
	struct dp_icmp_err err;
	struct dpsctp_path path;
	int svc;

	if (dp_inet_parse(frame, m->data_len, &in) != 0 ||
		dp_icmp_error_parse(frame + in.l4_off, in.l4_len, &in.src, &in.dst, &err) != 0 ||
		err.inner_proto != DP_INET_PROTO_SCTP || err.quoted_len < 8)
		goto out;
	/* the quoted packet is one we sent: its source port is our endpoint's */
	svc = dp_stack_slot_of_port(w->s, (uint16_t)(err.quoted[0] << 8 | err.quoted[1]));
	if (svc < 0 || w->eps[svc].ep == NULL)
		goto out;
	path.local = err.inner_src;
	path.remote = err.inner_dst;
	if (dpsctp_endpoint_icmp_ptb(w->eps[svc].ep, &path, err.quoted, err.quoted_len, mtu,
		    w->now) == 0)
		dp_ep_touch(&w->eps[svc]);
out:
	rte_pktmbuf_free(m);
}

/* ---- control messages ---- */

static void
control_input(struct dp_worker *w)
{
	struct dp_msg msgs[16];
	unsigned int n, i, j;

	n = rte_ring_sc_dequeue_burst_elem(w->s->to_worker_msg[w->id], msgs, sizeof(msgs[0]),
		RTE_DIM(msgs), NULL);
	for (i = 0; i < n; i++) {
		struct dp_msg *msg = &msgs[i];

		switch (msg->type) {
		case DP_MSG_TX:
			dp_worker_tx_frame(w, msg->port, msg->ptr);
			break;
		case DP_MSG_SCTP_IN:
			rx_frame(w, msg->ptr, FROM_CONTROL);
			break;
		case DP_MSG_FRAME_IN:
			rx_frame(w, msg->ptr, FROM_SELF);
			break;
		case DP_MSG_PTB:
			ptb_input(w, msg->ptr, msg->u32);
			break;
		case DP_MSG_ROUTES_CHANGED:
			for (j = 0; j < DP_MAX_SERVICES; j++) {
				if (w->eps[j].ep == NULL)
					continue;
				dpsctp_endpoint_routes_changed(w->eps[j].ep, w->now);
				dp_ep_touch(&w->eps[j]);
			}
			break;
		case DP_MSG_ASSOCIATE:
			dp_service_associate(w, msg->ptr);
			break;
		case DP_MSG_SHUTDOWN_ALL:
			w->draining = true;
			dp_service_shutdown_all(w, false);
			break;
		case DP_MSG_ABORT_ALL:
			dp_service_shutdown_all(w, true);
			break;
		case DP_MSG_STOP:
			w->stop = true;
			break;
		default:
			break;
		}
	}
}

/* ---- the loop ---- */

static void
housekeeping(struct dp_worker *w)
{
	if (w->now >= w->next_snapshot) {
		struct dp_snap_buf *b = dp_snapshot_begin(&w->snap);
		unsigned int i;

		for (i = 0; i < w->nactx; i++)
			dp_service_snapshot(w, w->actx[i], b);
		b->total = w->nactx;
		dp_snapshot_publish(&w->snap);
		w->next_snapshot = w->now + 100 * DPSCTP_MS;
	}
	dp_app_housekeeping(w);
}

static void
worker_loop(struct dp_worker *w)
{
	struct dp_stack *s = w->s;
	struct rte_mbuf *pkts[DP_BURST];
	struct dp_twheel_entry *due[64];
	unsigned int p, i, j, n, k;
	uint64_t hk = 0;

	while (!w->stop) {
		bool busy = false, rx_any = false;

		w->tsc = rte_rdtsc();
		w->now = dp_stack_ns(s, w->tsc);
		w->st.loops++;

		if (rte_ring_count(s->to_worker_msg[w->id]) != 0) {
			control_input(w);
			busy = true;
		}
		/* frames for our own addresses, built during the last loop */
		n = w->nlocal;
		if (n != 0) {
			struct rte_mbuf *local[RTE_DIM(w->local_q)];

			memcpy(local, w->local_q, n * sizeof(local[0]));
			w->nlocal = 0;
			for (i = 0; i < n; i++)
				rx_frame(w, local[i], FROM_SELF);
			busy = true;
		}
		/* packets other workers received for associations we own */
		for (j = 0; j < s->nworkers; j++) {
			if (j == w->id)
				continue;
			n = rte_ring_sc_dequeue_burst(s->steer[j][w->id], (void **)pkts, DP_BURST,
				NULL);
			for (i = 0; i < n; i++)
				rx_frame(w, pkts[i], FROM_WORKER);
			busy |= n != 0;
		}
		for (p = 0; p < s->nports; p++) {
			n = rte_eth_rx_burst(s->ports[p].port_id, (uint16_t)w->id, pkts, DP_BURST);
			/*
			 * Another core (or the NIC) wrote these: ask for the first descriptors and
			 * headers now, and keep asking a few packets ahead of the one parsed.
			 */
			for (i = 0; i < n; i++)
				rte_prefetch0(pkts[i]);
			for (i = 0; i < n && i < DP_RX_PREFETCH; i++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
			for (i = 0; i < n; i++) {
				if (i + DP_RX_PREFETCH < n)
					rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_RX_PREFETCH], void *));
				w->st.rx_packets++;
				w->st.rx_bytes += pkts[i]->pkt_len;
				/* some PMDs (net_ring) leave it unset; control answers ARP on it */
				pkts[i]->port = s->ports[p].port_id;
				rx_frame(w, pkts[i], FROM_PORT);
			}
			busy |= n != 0;
			rx_any |= n != 0;
		}
		/* applications: their requests, what waits for room in their channels */
		dp_app_poll(w);
		/* services: echo what arrived, source more messages; applications' credit, parked sends */
		if (w->busy != NULL) {
			dp_service_run(w);
			busy = true;
		}
		/* timers (more than a burst due at once: the rest next loop) */
		n = dp_twheel_expire(&w->wheel, w->now, due, RTE_DIM(due));
		for (k = 0; k < n; k++) {
			struct dp_ep *e = due[k]->owner;

			dpsctp_endpoint_expire(e->ep, w->now);
			dp_ep_touch(e);
			e->rearm_at = 0;
		}
		/* the endpoints touched: send what they have, re-arm their timers */
		for (k = 0; k < w->ndirty; k++) {
			struct dp_ep *e = &w->eps[w->dirtyq[k]];

			w->queued[e->svc] = 0;
			if (e->ep != NULL && e->dirty)
				ep_settle(w, e);
		}
		w->ndirty = 0;
		/* applications: publish what was produced for them, wake those that sleep */
		dp_app_flush(w);
		/*
		 * TX: full bursts went already; the rest once the drain deadline passed, or at once
		 * when the ports had nothing for us: no more packets are coming to batch with, and
		 * holding a reply for the deadline would add it to every round trip.
		 */
		for (p = 0; p < s->nports; p++)
			if (w->tx[p].n != 0 &&
				(!rx_any || w->tsc - w->tx[p].first_tsc >= w->drain_tsc))
				tx_flush_port(w, p);
		if (busy)
			w->st.busy_loops++;
		if (++hk == DP_HOUSEKEEP_LOOPS) {
			hk = 0;
			housekeeping(w);
		}
	}
	for (p = 0; p < s->nports; p++)
		tx_flush_port(w, p);
	rte_pktmbuf_free(w->spare);
	w->spare = NULL;
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;

	worker_loop(w);
	return 0;
}

/* ---- life ---- */

int
dp_worker_create(struct dp_stack *s, unsigned int id, struct dp_worker **out)
{
	struct dp_worker *w;
	unsigned int i;
	int rc;

	w = rte_zmalloc("dp_worker", sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (w == NULL)
		return -ENOMEM;
	w->s = s;
	w->id = id;
	w->tsc = rte_rdtsc();
	w->now = dp_stack_ns(s, w->tsc);
	/* 20 us: a burst of replies goes out together, and a lone SACK is not held longer */
	w->drain_tsc = s->tsc_hz / 50000;
	dp_twheel_init(&w->wheel, 20, w->now); /* ~1 ms slots */
	dp_app_worker_init(w);
	rc = dp_snapshot_init(&w->snap);
	if (rc != 0)
		goto fail;
	for (i = 0; i < DP_MAX_SERVICES; i++) {
		struct dp_ep *e = &w->eps[i];
		struct dpsctp_callbacks cb;

		e->w = w;
		e->svc = i;
		e->timer.owner = e;
		/* configured services now; application endpoints when first needed (dp_app_slot_ep) */
		if (i >= nslots(s) || s->services[i].kind == DP_SVC_APP ||
			__atomic_load_n(&s->services[i].state, __ATOMIC_ACQUIRE) != DP_SLOT_OPEN)
			continue;
		memcpy(e->addrs, s->services[i].addrs, sizeof(e->addrs));
		e->naddrs = s->services[i].naddrs;
		e->sndbuf = s->services[i].proto.sndbuf;
		dp_service_callbacks(&s->services[i], e, &cb);
		rc = dp_stack_endpoint_create(s, i, id, &cb, w->now, &e->ep);
		if (rc != 0)
			goto fail;
		dp_ep_touch(e);
	}
	*out = w;
	return 0;
fail:
	dp_worker_destroy(w);
	return rc;
}

void
dp_worker_destroy(struct dp_worker *w)
{
	unsigned int i;

	if (w == NULL)
		return;
	/* associations freed below must not write to applications' memory any more */
	w->app_stopped = true;
	for (i = 0; i < DP_MAX_SERVICES; i++)
		if (w->eps[i].ep != NULL)
			dpsctp_endpoint_destroy(w->eps[i].ep);
	for (i = 0; i < 2; i++) {
		unsigned int k;

		for (k = 0; k < w->ngrave[i]; k++)
			dpsctp_endpoint_destroy(w->grave[i][k]);
	}
	dp_app_worker_fini(w);
	rte_pktmbuf_free(w->spare);
	if (w->nstash != 0)
		rte_mempool_put_bulk(w->s->pool, (void **)w->stash, w->nstash);
	for (i = 0; i < w->nlocal; i++)
		rte_pktmbuf_free(w->local_q[i]);
	for (i = 0; i < DP_MAX_PORTS; i++) {
		unsigned int k;

		for (k = 0; k < w->tx[i].n; k++)
			rte_pktmbuf_free(w->tx[i].m[k]);
	}
	free(w->actx);
	dp_snapshot_free(&w->snap);
	rte_free(w);
}

unsigned int
dp_worker_assoc_count(const struct dp_worker *w)
{
	return __atomic_load_n(&w->nactx, __ATOMIC_RELAXED);
}

void
dp_worker_stats_add(struct dp_worker_stats *sum, const struct dp_worker *w)
{
	const uint64_t *src = (const uint64_t *)&w->st;
	uint64_t *dst = (uint64_t *)sum;
	size_t k;

	for (k = 0; k < sizeof(*sum) / sizeof(uint64_t); k++)
		dst[k] += __atomic_load_n(&src[k], __ATOMIC_RELAXED);
}

void
dp_worker_engine_stats(const struct dp_worker *w, struct dpsctp_stats *out)
{
	unsigned int i;

	dp_stack_engine_stats_add(out, &w->retired);
	for (i = 0; i < DP_MAX_SERVICES; i++) {
		/* an application endpoint released now stays allocated for a while (w->grave) */
		struct dpsctp_endpoint *ep = __atomic_load_n(&w->eps[i].ep, __ATOMIC_ACQUIRE);

		if (ep != NULL)
			dp_stack_engine_stats_add(out, dpsctp_endpoint_stats(ep));
	}
}
