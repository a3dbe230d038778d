/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data sender: send buffer, fragmentation and TSNs, SACK processing, retransmission
 * (RFC 9260 6.1, 6.2.1, 6.3, 6.9, 7.2). See outq.h.
 */
#include <string.h>

#include "assoc.h"
#include "outq.h"
#include "tsnmap.h"

/* Ring sizes: the first allocation, and the most chunks with TSNs not yet acknowledged (the
 * span a receiver's TSN map tracks, tsnmap.h: more would only be dropped there). */
#define RING_MIN 64u
#define RING_MAX DPSCTP_TSNMAP_WINDOW

/* 6.2.1: per-chunk overhead counted against the peer's window besides the payload, so that
 * many small chunks do not overrun a receiver that accounts for its buffers per chunk */
#define RWND_OVERHEAD 16u

static inline struct dpsctp_tchunk *
tc(const struct dpsctp_outq *q, uint32_t tsn)
{
	return &q->ring[tsn & (q->cap - 1)];
}

static size_t
msg_size(uint32_t len)
{
	return sizeof(struct dpsctp_msg) + len;
}

static void
msg_free(struct dpsctp_assoc *a, struct dpsctp_msg *m)
{
	struct dpsctp_env *env = &a->ep->env;

	a->outq.buffered -= m->len;
	env->free(env->ctx, m, msg_size(m->len));
}

/* RFC 6458 6.1.11: SCTP_SEND_FAILED_EVENT with the message and its context. */
static void
msg_fail(struct dpsctp_assoc *a, struct dpsctp_msg *m, uint16_t error)
{
	struct dpsctp_event ev;

	if (m->failed)
		return;
	m->failed = true;
	memset(&ev, 0, sizeof(ev));
	ev.type = DPSCTP_EV_SEND_FAILED;
	ev.assoc_id = a->id;
	ev.u.send_failed.flags = m->sent ? DPSCTP_DATA_SENT : DPSCTP_DATA_UNSENT;
	ev.u.send_failed.error = error;
	ev.u.send_failed.info = m->info;
	ev.u.send_failed.data = m->data;
	ev.u.send_failed.len = m->len;
	a->ep->stats.msgs_failed++;
	dpsctp_assoc_event(a, &ev);
}

static void
fifo_pop(struct dpsctp_outq *q)
{
	struct dpsctp_msg *m = q->head;

	q->head = m->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->unassigned -= m->len;
}

/* A chunk leaves the flight (acknowledged, marked for retransmission). */
static inline void
flight_sub(struct dpsctp_assoc *a, const struct dpsctp_tchunk *c)
{
	a->outq.flight -= c->len;
	a->paths[c->path].flight -= c->len;
}

static inline void
flight_add(struct dpsctp_assoc *a, const struct dpsctp_tchunk *c)
{
	a->outq.flight += c->len;
	a->paths[c->path].flight += c->len;
}

uint32_t
dpsctp_outq_frag_point(const struct dpsctp_assoc *a)
{
	uint32_t ip = a->ip_hdr_max;
	uint32_t mtu = a->mtu_min;

	/* 6.9: DATA chunks fit the path MTU with the IP header, the common header and the DATA
	 * chunk header; a multiple of 4 so that no padding is needed */
	uint32_t frag = (mtu - ip - DPSCTP_COMMON_HDR_LEN - 16) & ~3u;

	/* RFC 6458 8.1.16: the user may ask for smaller chunks, never larger ones */
	if (a->cfg.maxseg != 0 && a->cfg.maxseg < frag)
		frag = a->cfg.maxseg;
	return frag;
}

/* DATA chunks a message of @p len bytes takes at fragmentation point @p frag. */
static uint32_t
chunks_for(size_t len, uint32_t frag)
{
	return (uint32_t)((len + frag - 1) / frag);
}

static int
ssn_alloc(struct dpsctp_assoc *a, uint16_t nstreams)
{
	struct dpsctp_env *env = &a->ep->env;
	struct dpsctp_outq *q = &a->outq;

	if (q->ssn != NULL)
		env->free(env->ctx, q->ssn, sizeof(uint16_t) * q->nstreams);
	q->ssn = NULL;
	q->nstreams = 0;
	if (nstreams == 0)
		return 0;
	q->ssn = env->alloc(env->ctx, sizeof(uint16_t) * nstreams);
	if (q->ssn == NULL)
		return -ENOMEM;
	memset(q->ssn, 0, sizeof(uint16_t) * nstreams);
	q->nstreams = nstreams;
	return 0;
}

static void
seq_reset(struct dpsctp_outq *q, uint32_t itsn)
{
	q->cum_ack = itsn - 1;
	q->next_tsn = itsn;
	q->next_send = itsn;
	q->nretx = 0;
	q->nacked = 0;
	q->flight = 0;
	q->outstanding = 0;
	q->unsent_bytes = 0;
	q->fr_pending = false;
	q->rtt_pending = false;
}

int
dpsctp_outq_setup(struct dpsctp_assoc *a, uint16_t nstreams, uint32_t itsn)
{
	seq_reset(&a->outq, itsn);
	a->outq.burst = a->cfg.max_burst;
	return ssn_alloc(a, nstreams);
}

/* Release the chunks with TSNs (reporting their messages when @p report). */
static void
ring_clear(struct dpsctp_assoc *a, bool report, uint16_t error)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t tsn;

	if (q->cap == 0)
		return;
	for (tsn = q->cum_ack + 1; tsn != q->next_tsn; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);
		struct dpsctp_msg *m = c->msg;

		if (report)
			msg_fail(a, m, error);
		if (--m->chunks == 0)
			msg_free(a, m);
	}
	q->cum_ack = q->next_tsn - 1;
}

int
dpsctp_outq_restart(struct dpsctp_assoc *a, uint16_t nstreams, uint32_t itsn)
{
	ring_clear(a, true, 0);
	return dpsctp_outq_setup(a, nstreams, itsn);
}

void
dpsctp_outq_teardown(struct dpsctp_assoc *a, bool report, uint16_t error)
{
	struct dpsctp_env *env = &a->ep->env;
	struct dpsctp_outq *q = &a->outq;

	ring_clear(a, report, error);
	while (q->head != NULL) {
		struct dpsctp_msg *m = q->head;

		fifo_pop(q);
		if (report)
			msg_fail(a, m, error);
		msg_free(a, m);
	}
	if (q->ring != NULL)
		env->free(env->ctx, q->ring, sizeof(*q->ring) * q->cap);
	q->ring = NULL;
	q->cap = 0;
	ssn_alloc(a, 0);
}

bool
dpsctp_outq_empty(const struct dpsctp_assoc *a)
{
	return a->outq.head == NULL && a->outq.next_tsn == a->outq.cum_ack + 1;
}

int
dpsctp_outq_send(struct dpsctp_assoc *a, const struct dpsctp_sndinfo *si, const void *data,
	size_t len, uint64_t now)
{
	struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_outq *q = &a->outq;
	struct dpsctp_msg *m;
	uint16_t streams;

	if (si == NULL || data == NULL || len == 0)
		return -EINVAL;
	switch (a->state) {
	case DPSCTP_COOKIE_WAIT:
	case DPSCTP_COOKIE_ECHOED:
		streams = a->os_wanted;
		break;
	case DPSCTP_ESTABLISHED:
		streams = q->nstreams;
		break;
	case DPSCTP_CLOSED:
		return -ENOTCONN;
	default:
		/* 9.2: no new data from the user once a shutdown has begun */
		return -ESHUTDOWN;
	}
	if (si->sid >= streams)
		return -EINVAL;
	if (len > a->cfg.sndbuf)
		return -EMSGSIZE;
	/* RFC 6458 8.1.15: no fragmentation: one DATA chunk or nothing. And a message must fit
	 * the chunks with TSNs the sender keeps (its TSNs are all given at once, 6.9). */
	if ((a->cfg.disable_fragments && len > dpsctp_outq_frag_point(a)) ||
		chunks_for(len, dpsctp_outq_frag_point(a)) > RING_MAX)
		return -EMSGSIZE;
	if (q->buffered + len > a->cfg.sndbuf)
		return -EAGAIN;
	m = ep->env.alloc(ep->env.ctx, msg_size((uint32_t)len));
	if (m == NULL)
		return -ENOMEM;
	m->next = NULL;
	m->info = *si;
	m->expires = si->lifetime == 0 ? DPSCTP_NEVER : now + si->lifetime;
	m->len = (uint32_t)len;
	m->chunks = 0;
	m->sent = false;
	m->failed = false;
	memcpy(m->data, data, len);
	if (q->tail != NULL)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->unassigned += len;
	q->buffered += len;
	q->dry_armed = true;
	if (m->expires < a->deadline[DPSCTP_T_LIFETIME])
		a->deadline[DPSCTP_T_LIFETIME] = m->expires;
	dpsctp_outq_opportunity(q, a->cfg.max_burst);
	ep->stats.msgs_sent++;
	return 0;
}

void
dpsctp_outq_expire_lifetimes(struct dpsctp_assoc *a, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	struct dpsctp_msg **pp = &q->head, *prev = NULL;
	uint64_t next = DPSCTP_NEVER;

	while (*pp != NULL) {
		struct dpsctp_msg *m = *pp;

		if (m->expires <= now) {
			*pp = m->next;
			q->unassigned -= m->len;
			msg_fail(a, m, 0);
			msg_free(a, m);
			continue;
		}
		if (m->expires < next)
			next = m->expires;
		prev = m;
		pp = &m->next;
	}
	q->tail = prev;
	a->deadline[DPSCTP_T_LIFETIME] = next;
}

static int
ring_reserve(struct dpsctp_assoc *a, uint32_t n)
{
	struct dpsctp_env *env = &a->ep->env;
	struct dpsctp_outq *q = &a->outq;
	uint32_t used = q->next_tsn - (q->cum_ack + 1);
	uint32_t cap = q->cap == 0 ? RING_MIN : q->cap;
	struct dpsctp_tchunk *ring;
	uint32_t tsn;

	while (cap < used + n && cap < RING_MAX)
		cap *= 2;
	if (cap < used + n)
		return -ENOSPC;
	if (cap == q->cap)
		return 0;
	ring = env->alloc(env->ctx, sizeof(*ring) * cap);
	if (ring == NULL)
		return -ENOMEM;
	for (tsn = q->cum_ack + 1; tsn != q->next_tsn; tsn++)
		ring[tsn & (cap - 1)] = *tc(q, tsn);
	if (q->ring != NULL)
		env->free(env->ctx, q->ring, sizeof(*q->ring) * q->cap);
	q->ring = ring;
	q->cap = cap;
	return 0;
}

/*
 * Give the first queued message its TSNs: all of its fragments at once, consecutive (6.9), and
 * its SSN when ordered (6.5). A message whose lifetime ended or whose stream the peer does not
 * accept fails here. @return true when a message got TSNs.
 */
static bool
assign(struct dpsctp_assoc *a, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t frag = dpsctp_outq_frag_point(a);

	while (q->head != NULL) {
		struct dpsctp_msg *m = q->head;
		uint32_t n = chunks_for(m->len, frag);
		bool unordered = (m->info.flags & DPSCTP_SND_UNORDERED) != 0;
		uint16_t ssn = 0;
		uint32_t i, off = 0;

		/* the path MTU shrank since it was accepted: a message that may not be
		 * fragmented, or that would now need more chunks than the ring holds, fails
		 * unsent rather than blocking the queue (RFC 6458 8.1.15) */
		if ((a->cfg.disable_fragments && n > 1) || n > RING_MAX) {
			fifo_pop(q);
			msg_fail(a, m, 0);
			msg_free(a, m);
			continue;
		}
		if (m->expires <= now || m->info.sid >= q->nstreams) {
			fifo_pop(q);
			msg_fail(a, m, m->expires <= now ? 0 : DPSCTP_CAUSE_INVALID_STREAM);
			msg_free(a, m);
			continue;
		}
		if (ring_reserve(a, n) != 0)
			return false;
		fifo_pop(q);
		if (!unordered)
			ssn = q->ssn[m->info.sid]++;
		for (i = 0; i < n; i++) {
			struct dpsctp_tchunk *c = tc(q, q->next_tsn++);
			uint32_t len = m->len - off < frag ? m->len - off : frag;

			c->msg = m;
			c->sent_at = 0;
			c->off = off;
			c->len = (uint16_t)len;
			c->ssn = ssn;
			c->flags = (uint8_t)((i == 0 ? DPSCTP_DATA_FLAG_B : 0) |
				(i == n - 1 ? DPSCTP_DATA_FLAG_E : 0) |
				(unordered ? DPSCTP_DATA_FLAG_U : 0));
			if (i == n - 1 && (m->info.flags & DPSCTP_SND_SACK_IMMEDIATELY) != 0)
				c->flags |= DPSCTP_DATA_FLAG_I;
			c->state = DPSCTP_TC_UNSENT;
			c->nsent = 0;
			c->miss = 0;
			c->fast = false;
			c->fr = false;
			off += len;
		}
		m->chunks = n;
		q->unsent_bytes += m->len;
		return true;
	}
	return false;
}

static bool
may_send_data(const struct dpsctp_assoc *a)
{
	return a->state == DPSCTP_ESTABLISHED || a->state == DPSCTP_SHUTDOWN_PENDING ||
		a->state == DPSCTP_SHUTDOWN_RECEIVED;
}

bool
dpsctp_outq_wants_send(const struct dpsctp_assoc *a)
{
	const struct dpsctp_outq *q = &a->outq;

	if (!may_send_data(a))
		return false;
	if (q->fr_pending)
		return true;
	return q->burst > 0 && (q->nretx > 0 || q->next_send != q->next_tsn || q->head != NULL);
}

/* Append chunk @p tsn; false when it does not fit the packet. */
static bool
put_chunk(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, uint32_t tsn, unsigned int path,
	uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	struct dpsctp_tchunk *c = tc(q, tsn);
	struct dpsctp_data d;
	uint32_t charge;

	d.flags = c->flags;
	d.tsn = tsn;
	d.sid = c->msg->info.sid;
	d.ssn = c->ssn;
	d.ppid = c->msg->info.ppid;
	d.payload = c->msg->data + c->off;
	d.payload_len = c->len;
	/* RFC 7053: in SHUTDOWN-PENDING and SHUTDOWN-RECEIVED, the last DATA chunk asks for an
	 * immediate SACK so that the shutdown does not wait for the delayed SACK */
	if (c->state == DPSCTP_TC_UNSENT && tsn + 1 == q->next_tsn && q->head == NULL &&
		a->state != DPSCTP_ESTABLISHED)
		d.flags |= DPSCTP_DATA_FLAG_I;
	if (dpsctp_data_build(w, &d) != 0)
		return false;
	charge = c->len + RWND_OVERHEAD;
	a->peer_rwnd = a->peer_rwnd > charge ? a->peer_rwnd - charge : 0;
	if (c->state == DPSCTP_TC_UNSENT) {
		q->next_send++;
		q->unsent_bytes -= c->len;
		q->outstanding += c->len;
		c->msg->sent = true;
		a->ep->stats.data_out++;
		if (!q->rtt_pending) {
			/* 6.3.1 C4: one measurement per round trip */
			q->rtt_pending = true;
			q->rtt_tsn = tsn;
			q->rtt_sent = now;
			q->rtt_path = (uint8_t)path;
		}
	} else {
		/* a retransmission (from RETX) */
		q->nretx--;
		if (c->fr)
			a->ep->stats.retrans_fast++;
		else
			a->ep->stats.retrans_t3++;
		if (q->rtt_pending && q->rtt_tsn == tsn)
			q->rtt_pending = false; /* 6.3.1 C5, Karn */
	}
	c->state = DPSCTP_TC_FLIGHT;
	c->fr = false;
	c->miss = 0;
	c->sent_at = now;
	c->path = (uint8_t)path;
	if (c->nsent < UINT8_MAX)
		c->nsent++;
	flight_add(a, c);
	a->paths[path].last_data = now;
	return true;
}

static size_t
chunk_size(const struct dpsctp_tchunk *c)
{
	return 16u + ((c->len + 3u) & ~3u);
}

/* Does chunk @p c fit the packet: within @p room, or (alone) as the only chunk, oversized */
static bool
fits(const struct dpsctp_wbuf *w, size_t room, const struct dpsctp_tchunk *c, bool alone)
{
	size_t need = chunk_size(c);

	if (w->len + need <= room)
		return true;
	return alone && w->len == 0 && need <= dpsctp_wbuf_room(w);
}

/* Lowest TSN marked for retransmission (only fast ones when @p fast); the scan starts at the
 * hint below which nothing is marked. */
static uint32_t
lowest_retx(struct dpsctp_outq *q, bool fast, bool *found)
{
	uint32_t tsn = dpsctp_tsn_gt(q->retx_from, q->cum_ack) ? q->retx_from : q->cum_ack + 1;

	*found = false;
	for (; tsn != q->next_send; tsn++) {
		const struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->state == DPSCTP_TC_RETX && (!fast || c->fr)) {
			*found = true;
			if (!fast)
				q->retx_from = tsn;
			return tsn;
		}
	}
	if (!fast)
		q->retx_from = q->next_send;
	return 0;
}

/* A chunk was marked for retransmission: the scan hint may have to move down. */
static void
retx_mark(struct dpsctp_outq *q, uint32_t tsn)
{
	if (q->nretx == 0 || dpsctp_tsn_lt(tsn, q->retx_from))
		q->retx_from = tsn;
	q->nretx++;
}

static void
t3_start_if_idle(struct dpsctp_assoc *a, unsigned int path, uint64_t now)
{
	struct dpsctp_tpath *p = &a->paths[path];

	/* 6.3.2 R1: start T3-rtx of the destination when a DATA chunk is sent to it and it is
	 * not running */
	if (p->t3 == DPSCTP_NEVER)
		p->t3 = now + p->rto.rto;
}

/* 7.2.4 step 3: the earliest chunks marked by fast retransmit, as many as fit one packet,
 * regardless of cwnd; step 4: T3-rtx restarts when the earliest outstanding chunk went. */
static unsigned int
fill_fast(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, size_t room, unsigned int path,
	bool alone, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	unsigned int n = 0;
	bool found;
	uint32_t tsn = lowest_retx(q, true, &found);

	q->fr_pending = false;
	for (; found && tsn != q->next_send; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->state != DPSCTP_TC_RETX || !c->fr)
			continue;
		if (!fits(w, room, c, alone && n == 0))
			break;
		if (tsn == q->cum_ack + 1)
			a->paths[path].t3 = now + a->paths[path].rto.rto;
		put_chunk(a, w, tsn, path, now);
		n++;
		if (w->len > room)
			break; /* an oversized chunk goes alone */
	}
	if (n > 0)
		t3_start_if_idle(a, path, now);
	return n;
}

/* Nagle-like delay: with data in flight, hold back less than a full chunk of new data. */
static bool
nagle_holds(const struct dpsctp_assoc *a)
{
	const struct dpsctp_outq *q = &a->outq;

	return !a->cfg.nodelay && q->outstanding > 0 && a->state == DPSCTP_ESTABLISHED &&
		q->unsent_bytes + q->unassigned < dpsctp_outq_frag_point(a);
}

unsigned int
dpsctp_outq_fill(struct dpsctp_assoc *a, struct dpsctp_wbuf *w, size_t room, unsigned int path,
	bool alone, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	struct dpsctp_tpath *p = &a->paths[path];
	unsigned int n = 0;
	bool nagle_checked = false;
	/* 6.4: new data goes to the data path only; a packet of retransmissions to an alternate
	 * (6.4.1) carries nothing else */
	bool new_ok = path == dpsctp_paths_select(a);

	if (!may_send_data(a) || (q->cap == 0 && q->head == NULL))
		return 0;
	if (q->fr_pending)
		return fill_fast(a, w, room, path, alone, now);
	if (q->burst == 0)
		return 0;
	for (;;) {
		uint32_t tsn;
		bool retx = false;
		struct dpsctp_tchunk *c;

		if (q->nretx > 0) {
			tsn = lowest_retx(q, false, &retx);
			if (!retx)
				q->nretx = 0; /* cannot happen; keep the count honest */
		}
		if (!retx) {
			if (!new_ok)
				break;
			if (q->next_send == q->next_tsn) {
				if (q->head == NULL)
					break;
				if (!nagle_checked && nagle_holds(a))
					break;
				if (!assign(a, now))
					break;
			}
			/* the rest of a message already begun is never held back: its first
			 * chunks are in flight and may need the SACKs these provoke */
			nagle_checked = true;
			tsn = q->next_send;
		}
		c = tc(q, tsn);
		/* 7.2: no more than cwnd in flight to the destination (it may be exceeded by less
		 * than a chunk) */
		if (p->flight >= p->cc.cwnd) {
			p->cc.limited = true;
			break;
		}
		/* 6.1 A: new data only into the peer's window, but one chunk may always be in
		 * flight (the zero window probe) */
		if (!retx && a->peer_rwnd < c->len + RWND_OVERHEAD && q->outstanding > 0)
			break;
		if (!fits(w, room, c, alone && n == 0))
			break;
		if (!retx && a->peer_rwnd < c->len + RWND_OVERHEAD)
			a->ep->stats.zero_window_probes++;
		if (n == 0)
			dpsctp_cc_on_send(&p->cc, now, p->rto.rto);
		put_chunk(a, w, tsn, path, now);
		n++;
		if (w->len > room)
			break; /* an oversized chunk goes alone */
	}
	if (n > 0) {
		q->burst--;
		t3_start_if_idle(a, path, now);
	}
	/* nothing left to send with room in cwnd: the sender is not cwnd-limited (7.2.1) */
	if (q->nretx == 0 && q->next_send == q->next_tsn && q->head == NULL &&
		p->flight + p->cc.mtu < p->cc.cwnd)
		p->cc.limited = false;
	return n;
}

/* Chunk @p tsn was acknowledged: it ends the RTT measurement running on it (6.3.1 C5: only a
 * chunk sent once gives an RTT). */
static void
rtt_acked(struct dpsctp_assoc *a, const struct dpsctp_tchunk *c, uint32_t tsn, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;

	if (!q->rtt_pending || q->rtt_tsn != tsn)
		return;
	q->rtt_pending = false;
	if (c->nsent == 1 && now >= q->rtt_sent && q->rtt_path < a->npaths)
		dpsctp_rto_sample(&a->paths[q->rtt_path].rto, now - q->rtt_sent);
}

/* What one SACK acknowledged, per path (7.2.1 and 8.3 work per destination). */
struct acks {
	uint32_t bytes[DPSCTP_MAX_ADDRS];  /* newly acknowledged bytes last sent to each path */
	uint32_t flight[DPSCTP_MAX_ADDRS]; /* each path's flight size before the SACK */
	uint32_t mask;                     /* paths with something acknowledged */
};

static void
acks_init(struct dpsctp_assoc *a, struct acks *k)
{
	unsigned int i;

	k->mask = 0;
	for (i = 0; i < a->npaths; i++) {
		k->bytes[i] = 0;
		k->flight[i] = a->paths[i].flight;
	}
}

static inline void
acks_add(struct acks *k, const struct dpsctp_tchunk *c)
{
	k->bytes[c->path] += c->len;
	k->mask |= 1u << c->path;
}

/* Forget chunks up to @p cum (the cumulative ack moved there); returns bytes newly acked. */
static uint32_t
advance_cum(struct dpsctp_assoc *a, uint32_t cum, struct acks *k, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t acked = 0;
	uint32_t tsn;

	for (tsn = q->cum_ack + 1; dpsctp_tsn_lte(tsn, cum); tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);
		struct dpsctp_msg *m = c->msg;

		switch (c->state) {
		case DPSCTP_TC_FLIGHT:
			flight_sub(a, c);
			/* fall through */
		case DPSCTP_TC_RETX:
			if (c->state == DPSCTP_TC_RETX)
				q->nretx--;
			q->outstanding -= c->len;
			acked += c->len;
			acks_add(k, c);
			break;
		case DPSCTP_TC_ACKED:
			q->nacked--;
			break;
		default:
			break;
		}
		rtt_acked(a, c, tsn, now);
		if (--m->chunks == 0) {
			a->ep->stats.msgs_acked++;
			a->ep->stats.bytes_acked += m->len;
			msg_free(a, m);
		}
	}
	q->cum_ack = cum;
	return acked;
}

/* Gap ack blocks (6.2.1): mark chunks acknowledged; returns bytes newly acked and sets
 * @p htna to the highest TSN newly acknowledged (7.2.4 HTNA) and @p highest to the highest TSN
 * any block acknowledges. */
static uint32_t
take_gaps(struct dpsctp_assoc *a, const struct dpsctp_sack *s, struct acks *k, uint64_t now,
	bool *any_new, uint32_t *htna, uint32_t *highest)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t acked = 0;
	unsigned int i;

	*any_new = false;
	*highest = q->cum_ack;
	q->sack_gen++;
	for (i = 0; i < s->ngaps; i++) {
		uint16_t start, end;
		uint32_t tsn, lo, hi;

		dpsctp_sack_gap(s, i, &start, &end);
		if (start == 0 || start > end)
			continue; /* a malformed block acknowledges nothing */
		lo = q->cum_ack + start;
		hi = q->cum_ack + end;
		if (!dpsctp_tsn_lt(lo, q->next_send))
			continue; /* beyond what was sent: nothing to mark */
		if (!dpsctp_tsn_lt(hi, q->next_send))
			hi = q->next_send - 1;
		if (dpsctp_tsn_gt(hi, *highest))
			*highest = hi;
		for (tsn = lo; dpsctp_tsn_lte(tsn, hi); tsn++) {
			struct dpsctp_tchunk *c = tc(q, tsn);

			c->gen = q->sack_gen;
			if (c->state == DPSCTP_TC_ACKED)
				continue;
			if (c->state == DPSCTP_TC_FLIGHT)
				flight_sub(a, c);
			else if (c->state == DPSCTP_TC_RETX)
				q->nretx--;
			q->outstanding -= c->len;
			acked += c->len;
			acks_add(k, c);
			c->state = DPSCTP_TC_ACKED;
			q->nacked++;
			*any_new = true;
			*htna = tsn;
			rtt_acked(a, c, tsn, now);
		}
	}
	return acked;
}

/*
 * 6.2.1 D iii: "If the SACK is missing a TSN that was previously acknowledged via a Gap Ack
 * Block (e.g., the data receiver reneged on the data), then consider the corresponding DATA that
 * might be possibly missing: Count one miss indication towards Fast Retransmit ... and if no
 * retransmit timer is running ... T3-rtx is started". Such chunks are in flight again.
 */
static void
reneged(struct dpsctp_assoc *a, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t left = q->nacked;
	uint32_t tsn;

	for (tsn = q->cum_ack + 1; left > 0 && tsn != q->next_send; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->state != DPSCTP_TC_ACKED)
			continue;
		left--;
		if (c->gen == q->sack_gen)
			continue;
		c->state = DPSCTP_TC_FLIGHT;
		c->miss++;
		q->nacked--;
		q->outstanding += c->len;
		flight_add(a, c);
		t3_start_if_idle(a, c->path, now);
	}
}

/* 7.2.4: one miss indication for each chunk in flight below @p limit; the third marks it for
 * fast retransmission (once per chunk). @return the paths whose chunks were marked (bits). */
static uint32_t
miss_indications(struct dpsctp_assoc *a, uint32_t limit)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t marked = 0;
	uint32_t tsn;

	for (tsn = q->cum_ack + 1; dpsctp_tsn_lt(tsn, limit); tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->state != DPSCTP_TC_FLIGHT)
			continue;
		if (++c->miss < 3 || c->fast)
			continue;
		c->miss = 0;
		c->fast = true;
		c->fr = true;
		c->state = DPSCTP_TC_RETX;
		flight_sub(a, c);
		retx_mark(q, tsn);
		marked |= 1u << c->path;
	}
	return marked;
}

/* After the acknowledgement of anything: peer window, T3-rtx, SENDER_DRY. */
static void
after_ack(struct dpsctp_assoc *a, uint32_t a_rwnd, bool cum_advanced, const struct acks *k,
	uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t charged;
	unsigned int i;

	/* 6.2.1 D iv: rwnd = a_rwnd minus the bytes still outstanding */
	charged = q->outstanding +
		(q->next_send - (q->cum_ack + 1) - q->nacked) * RWND_OVERHEAD;
	a->peer_rwnd = a_rwnd > charged ? a_rwnd - charged : 0;
	/* 6.3.2 R2: all data sent to a destination acknowledged: its T3-rtx stops; R3: the
	 * cumulative ack moved over data sent to it: it restarts */
	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];

		if (p->flight == 0)
			p->t3 = DPSCTP_NEVER;
		else if (cum_advanced && (k->mask & (1u << i)) != 0)
			p->t3 = now + p->rto.rto;
		/* 8.3: an acknowledged TSN clears the error counter of the path it went to */
		if ((k->mask & (1u << i)) != 0)
			dpsctp_path_ok(a, i, now);
	}
	if (dpsctp_outq_empty(a)) {
		for (i = 0; i < a->npaths; i++)
			dpsctp_cc_on_idle_ack(&a->paths[i].cc);
		if (q->dry_armed) {
			struct dpsctp_event ev;

			q->dry_armed = false;
			memset(&ev, 0, sizeof(ev));
			ev.type = DPSCTP_EV_SENDER_DRY;
			ev.assoc_id = a->id;
			dpsctp_assoc_event(a, &ev);
		}
	}
	dpsctp_outq_sack_opportunity(q, a->cfg.max_burst);
}

static int
check_cum(const struct dpsctp_outq *q, uint32_t cum)
{
	/* 6.2.1 D i: "If Cumulative TSN Ack is less than the Cumulative TSN Ack Point, drop the
	 * SACK chunk" (it is older than one already processed) */
	if (dpsctp_tsn_lt(cum, q->cum_ack))
		return -ESTALE;
	/* acknowledging a TSN never sent is a protocol violation */
	if (!dpsctp_tsn_lt(cum, q->next_send))
		return -EPROTO;
	return 0;
}

/* 7.2.1 / 7.2.2 per destination: each path's window grows by what was acknowledged of the
 * data sent to it. */
static void
cc_acked(struct dpsctp_assoc *a, const struct acks *k, bool cum_advanced)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++)
		if ((k->mask & (1u << i)) != 0)
			dpsctp_cc_on_ack(&a->paths[i].cc, k->bytes[i], k->flight[i], cum_advanced);
}

static void
cc_cum_ack(struct dpsctp_assoc *a)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++)
		dpsctp_cc_on_cum_ack(&a->paths[i].cc, a->outq.cum_ack);
}

int
dpsctp_outq_sack(struct dpsctp_assoc *a, const struct dpsctp_sack *s, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t htna = 0, highest;
	bool cum_advanced, cum_moved, any_new = false;
	struct acks k;
	unsigned int i;
	int rc;

	if (q->cap == 0) {
		/* nothing of ours ever had a TSN */
		if (s->cum_tsn != q->cum_ack)
			return q->nstreams == 0 ? 0 : -EPROTO;
		a->peer_rwnd = s->a_rwnd;
		return 0;
	}
	rc = check_cum(q, s->cum_tsn);
	if (rc != 0)
		return rc;
	a->ep->stats.sacks_in++;
	q->sack_seen = true;
	acks_init(a, &k);
	cum_advanced = s->cum_tsn != q->cum_ack;
	cum_moved = cum_advanced;
	if (cum_advanced)
		advance_cum(a, s->cum_tsn, &k, now);
	if (s->ngaps == 0 && q->nacked == 0) {
		/* the express path: a cumulative ack and nothing else to look at */
		a->ep->stats.sacks_express++;
	} else {
		take_gaps(a, s, &k, now, &any_new, &htna, &highest);
		if (q->nacked > 0)
			reneged(a, now);
		if (s->ngaps > 0) {
			/* 7.2.4 HTNA: misses count below the highest TSN newly acknowledged;
			 * in Fast Recovery with the cum ack advancing, for every TSN reported
			 * missing */
			bool in_fr = a->paths[a->data_path].cc.in_fr;
			uint32_t limit = in_fr && cum_advanced ? highest :
								 (any_new ? htna : q->cum_ack);
			uint32_t marked = miss_indications(a, limit);

			if (marked != 0) {
				q->fr_pending = true;
				/* step 2: once per Fast Recovery, on the destinations the missing
				 * chunks went to; the exit point is the highest TSN outstanding */
				if (cum_advanced)
					cc_acked(a, &k, true);
				for (i = 0; i < a->npaths; i++)
					if ((marked & (1u << i)) != 0)
						dpsctp_cc_on_fast_retransmit(&a->paths[i].cc,
							q->next_send - 1);
				cum_advanced = false; /* the windows were adjusted above */
			}
		}
	}
	if (cum_advanced)
		cc_acked(a, &k, true);
	cc_cum_ack(a);
	/* 8.3: an acknowledged TSN clears the error counter */
	if (cum_moved || any_new)
		a->error_count = 0;
	after_ack(a, s->a_rwnd, cum_moved, &k, now);
	return 0;
}

int
dpsctp_outq_cum_ack(struct dpsctp_assoc *a, uint32_t cum, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t acked;
	struct acks k;
	int rc;

	if (q->cap == 0)
		return 0;
	rc = check_cum(q, cum);
	if (rc != 0)
		return rc;
	if (cum == q->cum_ack)
		return 0;
	acks_init(a, &k);
	acked = advance_cum(a, cum, &k, now);
	cc_acked(a, &k, true);
	cc_cum_ack(a);
	a->error_count = 0;
	/* a SHUTDOWN carries no window: keep the current estimate, less what was acked */
	after_ack(a, a->peer_rwnd + acked, true, &k, now);
	return 0;
}

/* Mark chunk @p tsn, in flight, for retransmission (T3-rtx, PMTU): it leaves the flight and
 * goes as a T3 retransmission. */
static void
mark_retx(struct dpsctp_assoc *a, uint32_t tsn, struct dpsctp_tchunk *c)
{
	flight_sub(a, c);
	c->state = DPSCTP_TC_RETX;
	c->fr = false;
	retx_mark(&a->outq, tsn);
}

bool
dpsctp_outq_t3_expired(struct dpsctp_assoc *a, unsigned int path, uint64_t now)
{
	struct dpsctp_outq *q = &a->outq;
	struct dpsctp_tpath *p = &a->paths[path];
	uint32_t tsn;
	bool probing = a->peer_rwnd == 0 && q->sack_seen;

	a->ep->stats.t3_expiries++;
	/* 6.1 A: a zero window probe answered by SACKs is not an error; otherwise 8.1 and 8.2:
	 * the path's and the association's error counters */
	if (!probing) {
		dpsctp_path_strike(a, path, now);
		if (++a->error_count > a->cfg.assoc_max_retrans) {
			dpsctp_assoc_end(a, DPSCTP_ABORT_T3_MAX_RETRANS, true, 0, NULL, 0, NULL, 0,
				DPSCTP_EV_COMM_LOST);
			return false;
		}
	}
	q->sack_seen = false;
	/* 6.3.3 E1, E2 on that destination */
	dpsctp_cc_on_timeout(&p->cc);
	dpsctp_rto_backoff(&p->rto);
	/* E3: every chunk in flight to it is to be retransmitted (6.4.1: to an alternate); if
	 * only gap-acked chunks remain (the peer must have reneged on them), those too */
	for (tsn = q->cum_ack + 1; tsn != q->next_send; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->state == DPSCTP_TC_FLIGHT && c->path == path)
			mark_retx(a, tsn, c);
		else if (c->state == DPSCTP_TC_RETX && c->path == path)
			c->fr = false; /* whatever is marked now goes as a T3 retransmission */
	}
	if (q->nretx == 0 && q->nacked > 0 && q->flight == 0) {
		for (tsn = q->cum_ack + 1; tsn != q->next_send; tsn++) {
			struct dpsctp_tchunk *c = tc(q, tsn);

			if (c->state == DPSCTP_TC_ACKED) {
				c->state = DPSCTP_TC_RETX;
				c->fr = false;
				q->nacked--;
				retx_mark(q, tsn);
				q->outstanding += c->len;
			}
		}
	}
	if (q->rtt_pending && q->rtt_path == path)
		q->rtt_pending = false;
	q->fr_pending = false;
	if (p->flight > 0)
		p->t3 = now + p->rto.rto;
	dpsctp_outq_opportunity(q, a->cfg.max_burst);
	return true;
}

int
dpsctp_outq_retx_path(struct dpsctp_assoc *a)
{
	struct dpsctp_outq *q = &a->outq;
	bool found;
	uint32_t tsn;

	if (q->nretx == 0 || q->fr_pending)
		return -1;
	tsn = lowest_retx(q, false, &found);
	if (!found)
		return -1;
	return tc(q, tsn)->path;
}

void
dpsctp_outq_path_removed(struct dpsctp_assoc *a, unsigned int path)
{
	struct dpsctp_outq *q = &a->outq;
	uint32_t tsn;

	if (q->cap == 0)
		return;
	for (tsn = q->cum_ack + 1; tsn != q->next_send; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->path == path && c->state == DPSCTP_TC_FLIGHT)
			mark_retx(a, tsn, c);
		if (c->path == path)
			c->path = 0;
		else if (c->path > path)
			c->path--;
	}
	if (q->rtt_pending && q->rtt_path == path)
		q->rtt_pending = false;
	else if (q->rtt_path > path)
		q->rtt_path--;
}

void
dpsctp_outq_mtu_shrunk(struct dpsctp_assoc *a, unsigned int path, uint32_t mtu)
{
	struct dpsctp_outq *q = &a->outq;
	size_t room = mtu - dpsctp_path_ip_hdr(&a->paths[path]) - DPSCTP_COMMON_HDR_LEN;
	uint32_t tsn;

	if (q->cap == 0)
		return;
	for (tsn = q->cum_ack + 1; tsn != q->next_send; tsn++) {
		struct dpsctp_tchunk *c = tc(q, tsn);

		if (c->path == path && c->state == DPSCTP_TC_FLIGHT && chunk_size(c) > room)
			mark_retx(a, tsn, c);
	}
	dpsctp_outq_opportunity(q, a->cfg.max_burst);
}
