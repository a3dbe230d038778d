/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver's queues (reasm.h): reassembly (RFC 9260 6.9), ordered and unordered
 * delivery (6.5, 6.6) and partial delivery (RFC 6458 8.1.21).
 *
 * Every held chunk is one allocation: struct dpsctp_rchunk, then its payload. The chunks of
 * incomplete messages sit in @c frags as RUNS: maximal sequences of consecutive TSNs of one
 * message (no E before the last chunk, no B after the first). The first chunk of a run holds
 * the run's fields (last chunk, bytes, neighbour runs); runs form a doubly linked list in
 * ascending TSN order. A new chunk touches at most the run that ends just before its TSN and
 * the one that starts just after it: checking it against 6.9 and linking it is O(1) once they
 * are found, and they are found walking back from the tail, where in-order data lands.
 *
 * A run from a B chunk to an E chunk is a complete message. It leaves @c frags for the deliver
 * callback, for @c ready (ordered, not its turn: sorted by stream, then by SSN distance from
 * the stream's next SSN, so that a stream's successors follow one another) or for @c uwait
 * (unordered, a partial delivery in progress). A chunk delivered within the call that brings
 * it is not copied: it is delivered from the caller's buffer through a run head on the stack.
 *
 * Invariants between calls, when no partial delivery is in progress: no message in @c ready
 * is next in order for its stream, @c uwait is empty, and no run in @c frags could start a
 * partial delivery.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "reasm.h"
#include "tsnmap.h"
#include "wire.h"

#define F_B DPSCTP_DATA_FLAG_B
#define F_E DPSCTP_DATA_FLAG_E
#define F_U DPSCTP_DATA_FLAG_U

struct dpsctp_rchunk {
	struct dpsctp_rchunk *next; /* next chunk of the run or message (TSN + 1), or NULL */
	/* valid in the first chunk of a run or a message */
	struct dpsctp_rchunk *run_next; /* next run in frags, next message in ready / uwait */
	struct dpsctp_rchunk *run_prev; /* previous run in frags */
	struct dpsctp_rchunk *last;     /* last chunk of the run */
	size_t bytes;                   /* payload bytes of the run */
	/* valid in every chunk */
	const uint8_t *data; /* payload: right after this header, or the caller's when not held */
	size_t len;          /* payload bytes */
	uint32_t tsn;
	uint32_t ppid; /* raw */
	uint16_t sid;
	uint16_t ssn;
	uint8_t flags; /* DPSCTP_DATA_FLAG_* as received */
	bool held;     /* allocated from the env (else on the stack of dpsctp_reasm_add) */
};

/* What dpsctp_reasm_add does with the run a new chunk ends up in. */
enum action {
	A_FRAG,     /* incomplete: stays in frags */
	A_READY,    /* complete, ordered, not its turn: to ready */
	A_UWAIT,    /* complete, unordered, a partial delivery in progress: to uwait */
	A_DELIVER,  /* complete and its turn: delivered now */
	A_PD_START, /* the first part of a message, its turn, >= pd_point bytes: delivered now */
	A_PD_CONT,  /* the next part of the message being partly delivered: delivered now */
};

/*
 * SSNs are 16-bit serial numbers (RFC 9260 1.6, RFC 1982 with SERIAL_BITS 16): how far @p ssn
 * is past @p next, wrapping from 65535 to 0. A stream's waiting SSNs are all at or past its
 * next SSN, so this distance orders them as serial arithmetic does, and totally.
 */
static inline uint16_t
ssn_dist(uint16_t ssn, uint16_t next)
{
	return (uint16_t)(ssn - next);
}

/* next_ssn (nstreams entries, rounded up to 8 bytes) then the waiting bitmap, one block. */
static size_t
bitmap_offset(uint16_t nstreams)
{
	return ((size_t)nstreams * sizeof(uint16_t) + 7u) & ~(size_t)7u;
}

static size_t
streams_size(uint16_t nstreams)
{
	return bitmap_offset(nstreams) + ((size_t)nstreams / 64u + 1u) * sizeof(uint64_t);
}

static inline bool
waiting_test(const struct dpsctp_reasm *r, uint16_t sid)
{
	return (r->waiting[sid >> 6] >> (sid & 63u)) & 1u;
}

static inline void
waiting_set(struct dpsctp_reasm *r, uint16_t sid)
{
	r->waiting[sid >> 6] |= 1ull << (sid & 63u);
}

static inline void
waiting_clear(struct dpsctp_reasm *r, uint16_t sid)
{
	r->waiting[sid >> 6] &= ~(1ull << (sid & 63u));
}

static void
release(struct dpsctp_reasm *r, struct dpsctp_rchunk *c)
{
	if (!c->held)
		return;
	r->queued -= c->len;
	r->env->free(r->env->ctx, c, sizeof(*c) + c->len);
}

static void
release_chain(struct dpsctp_reasm *r, struct dpsctp_rchunk *c)
{
	struct dpsctp_rchunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		release(r, c);
	}
}

/* A run whose partial delivery may start when it is its turn (RFC 6458 8.1.21). */
static inline bool
is_big(const struct dpsctp_reasm *r, const struct dpsctp_rchunk *h)
{
	return (h->flags & F_B) != 0 && h->bytes >= r->pd_point;
}

/* Is it the turn of the message whose first chunk is @p h (6.6: unordered at once)? */
static inline bool
its_turn(const struct dpsctp_reasm *r, const struct dpsctp_rchunk *h)
{
	return (h->flags & F_U) != 0 || h->ssn == r->next_ssn[h->sid];
}

/* Do @p c and @p d carry the same message (6.9: same stream, SSN and U bit)? */
static inline bool
same_msg(const struct dpsctp_rchunk *c, const struct dpsctp_data *d)
{
	return c->sid == d->sid && c->ssn == d->ssn && ((c->flags ^ d->flags) & F_U) == 0;
}

static void
link_runs(struct dpsctp_reasm *r, struct dpsctp_rchunk *a, struct dpsctp_rchunk *b)
{
	if (a != NULL)
		a->run_next = b;
	else
		r->frags = b;
	if (b != NULL)
		b->run_prev = a;
	else
		r->frags_tail = a;
}

/*
 * Hand the chunks from @p c on to the callback, DPSCTP_REASM_IOV_MAX at a time (eor only with
 * the last, and only when @p eor), and release each batch once the callback has returned.
 */
static void
deliver_chain(
	struct dpsctp_reasm *r, const struct dpsctp_rcvinfo *ri, struct dpsctp_rchunk *c, bool eor)
{
	struct dpsctp_iov iov[DPSCTP_REASM_IOV_MAX];
	struct dpsctp_rchunk *batch, *next;
	unsigned int n;

	while (c != NULL) {
		batch = c;
		for (n = 0; c != NULL && n < DPSCTP_REASM_IOV_MAX; n++, c = c->next) {
			iov[n].base = c->data;
			iov[n].len = c->len;
			r->n_bytes += c->len;
		}
		r->deliver(r->ctx, ri, iov, n, eor && c == NULL);
		for (; batch != c; batch = next) {
			next = batch->next;
			release(r, batch);
		}
	}
}

/* Deliver the complete message @p h whole; an ordered one moves its stream on (6.6). */
static void
deliver_msg(struct dpsctp_reasm *r, struct dpsctp_rchunk *h)
{
	struct dpsctp_rcvinfo ri;

	memset(&ri, 0, sizeof(ri));
	ri.sid = h->sid;
	ri.ssn = h->ssn;
	ri.flags = (h->flags & F_U) != 0 ? DPSCTP_SND_UNORDERED : 0;
	ri.ppid = h->ppid;
	ri.tsn = h->tsn;
	if ((h->flags & F_U) == 0)
		r->next_ssn[ri.sid]++;
	deliver_chain(r, &ri, h, true);
	r->n_msgs++;
}

static void
pd_info(const struct dpsctp_reasm *r, struct dpsctp_rcvinfo *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->sid = r->pd_sid;
	ri->ssn = r->pd_ssn;
	ri->flags = r->pd_unordered ? DPSCTP_SND_UNORDERED : 0;
	ri->ppid = r->pd_ppid;
	ri->tsn = r->pd_tsn;
}

/* RFC 6458 8.1.21: deliver the first part of a message, the run @p h (out of every queue). */
static void
pd_start(struct dpsctp_reasm *r, struct dpsctp_rchunk *h)
{
	struct dpsctp_rcvinfo ri;

	r->pd_active = true;
	r->pd_unordered = (h->flags & F_U) != 0;
	r->pd_sid = h->sid;
	r->pd_ssn = h->ssn;
	r->pd_tsn = h->tsn;
	r->pd_ppid = h->ppid;
	r->pd_next_tsn = h->last->tsn + 1;
	r->n_pd++;
	pd_info(r, &ri);
	deliver_chain(r, &ri, h, false);
}

/*
 * Deliver, from @p m (after @p prev in ready) on, the messages of m's stream as long as each is
 * the next in order. @return the first message of ready after them (of the same stream or not).
 */
static struct dpsctp_rchunk *
drain_group(struct dpsctp_reasm *r, struct dpsctp_rchunk *prev, struct dpsctp_rchunk *m)
{
	uint16_t sid = m->sid;
	struct dpsctp_rchunk *next;

	while (m != NULL && m->sid == sid && m->ssn == r->next_ssn[sid]) {
		next = m->run_next;
		if (prev != NULL)
			prev->run_next = next;
		else
			r->ready = next;
		if (next == NULL)
			r->ready_tail = prev;
		deliver_msg(r, m);
		m = next;
	}
	/* the list is sorted by stream: nothing of sid is left when m is of another */
	if (m == NULL || m->sid != sid)
		waiting_clear(r, sid);
	return m;
}

/* 6.6: stream @p sid moved on; deliver its successors that wait. */
static void
drain_stream(struct dpsctp_reasm *r, uint16_t sid)
{
	struct dpsctp_rchunk *prev = NULL, *m = r->ready;

	if (!waiting_test(r, sid))
		return;
	while (m != NULL && m->sid != sid) {
		prev = m;
		m = m->run_next;
	}
	if (m != NULL)
		drain_group(r, prev, m);
}

/* After a partial delivery: every stream whose turn has come. */
static void
drain_all(struct dpsctp_reasm *r)
{
	struct dpsctp_rchunk *prev = NULL, *m = r->ready;
	uint16_t sid;

	while (m != NULL) {
		sid = m->sid;
		m = drain_group(r, prev, m);
		while (m != NULL && m->sid == sid) {
			prev = m;
			m = m->run_next;
		}
	}
}

/* Start the partial delivery of the first run in frags that may, if any. */
static void
pd_scan(struct dpsctp_reasm *r)
{
	struct dpsctp_rchunk *h;

	if (r->pd_active || r->nbig == 0)
		return;
	for (h = r->frags; h != NULL; h = h->run_next) {
		if (is_big(r, h) && its_turn(r, h)) {
			link_runs(r, h->run_prev, h->run_next);
			r->nbig--;
			pd_start(r, h);
			return;
		}
	}
}

/*
 * The partly delivered message ended: what waited flows, unordered messages first (they were
 * complete first), then every stream in SSN order; then the next partial delivery may start.
 */
static void
pd_end(struct dpsctp_reasm *r)
{
	struct dpsctp_rchunk *m;

	r->pd_active = false;
	r->n_msgs++;
	if (!r->pd_unordered)
		r->next_ssn[r->pd_sid]++;
	while ((m = r->uwait) != NULL) {
		r->uwait = m->run_next;
		if (r->uwait == NULL)
			r->uwait_tail = NULL;
		deliver_msg(r, m);
	}
	drain_all(r);
	pd_scan(r);
}

/* Is message @p m before (sid, dist) in ready's order? */
static inline bool
ready_before(
	const struct dpsctp_reasm *r, const struct dpsctp_rchunk *m, uint16_t sid, uint16_t dist)
{
	return m->sid < sid || (m->sid == sid && ssn_dist(m->ssn, r->next_ssn[sid]) < dist);
}

/*
 * Where an ordered message (sid, ssn) goes in ready: after *@p pos (NULL: at the head).
 * In-order arrivals behind a hole append at the tail in O(1).
 * @return 0, or -EPROTO when a message with that stream and SSN is already waiting.
 */
static int
ready_pos(const struct dpsctp_reasm *r, uint16_t sid, uint16_t ssn, struct dpsctp_rchunk **pos)
{
	uint16_t dist = ssn_dist(ssn, r->next_ssn[sid]);
	struct dpsctp_rchunk *prev = NULL, *m = r->ready;

	if (r->ready_tail != NULL && ready_before(r, r->ready_tail, sid, dist)) {
		*pos = r->ready_tail;
		return 0;
	}
	while (m != NULL && ready_before(r, m, sid, dist)) {
		prev = m;
		m = m->run_next;
	}
	if (m != NULL && m->sid == sid && m->ssn == ssn)
		return -EPROTO;
	*pos = prev;
	return 0;
}

static void
ready_insert(struct dpsctp_reasm *r, struct dpsctp_rchunk *pos, struct dpsctp_rchunk *h)
{
	h->run_next = pos != NULL ? pos->run_next : r->ready;
	if (pos != NULL)
		pos->run_next = h;
	else
		r->ready = h;
	if (h->run_next == NULL)
		r->ready_tail = h;
	waiting_set(r, h->sid);
}

int
dpsctp_reasm_init(struct dpsctp_reasm *r, const struct dpsctp_env *env, uint16_t nstreams,
	uint32_t pd_point, dpsctp_reasm_deliver_fn deliver, void *ctx)
{
	size_t size = streams_size(nstreams);
	uint8_t *mem;

	memset(r, 0, sizeof(*r));
	mem = env->alloc(env->ctx, size);
	if (mem == NULL)
		return -ENOMEM;
	memset(mem, 0, size);
	r->env = env;
	r->deliver = deliver;
	r->ctx = ctx;
	r->nstreams = nstreams;
	r->next_ssn = (uint16_t *)(void *)mem;
	r->waiting = (uint64_t *)(void *)(mem + bitmap_offset(nstreams));
	r->pd_point = pd_point != 0 ? pd_point : 1;
	return 0;
}

void
dpsctp_reasm_fini(struct dpsctp_reasm *r)
{
	struct dpsctp_rchunk *h, *next;
	struct dpsctp_rchunk *lists[3] = {r->frags, r->ready, r->uwait};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		for (h = lists[i]; h != NULL; h = next) {
			next = h->run_next;
			release_chain(r, h);
		}
	}
	if (r->next_ssn != NULL)
		r->env->free(r->env->ctx, r->next_ssn, streams_size(r->nstreams));
	memset(r, 0, sizeof(*r));
}

bool
dpsctp_reasm_pd(const struct dpsctp_reasm *r, uint16_t *sid, uint16_t *ssn)
{
	if (!r->pd_active)
		return false;
	if (sid != NULL)
		*sid = r->pd_sid;
	if (ssn != NULL)
		*ssn = r->pd_ssn;
	return true;
}

int
dpsctp_reasm_add(struct dpsctp_reasm *r, const struct dpsctp_data *d)
{
	const uint32_t tsn = d->tsn;
	const bool b = (d->flags & F_B) != 0;
	const bool e = (d->flags & F_E) != 0;
	const bool u = (d->flags & F_U) != 0;
	const bool pd_cont = r->pd_active && tsn == r->pd_next_tsn;
	struct dpsctp_rchunk *before, *after, *pred, *succ, *h, *c;
	struct dpsctp_rchunk *pos = NULL;
	struct dpsctp_rchunk tmp;
	bool join_p, join_n, has_b, has_e, turn;
	enum action act;
	size_t bytes;
	int rc;

	/*
	 * The runs around the TSN: the last one that starts before it and the one after that.
	 * In-order data lands past the tail; anything else walks back from there.
	 */
	before = r->frags_tail;
	while (before != NULL && dpsctp_tsn_lt(tsn, before->tsn))
		before = before->run_prev;
	if (before != NULL && dpsctp_tsn_lte(tsn, before->last->tsn))
		return -EINVAL;
	after = before != NULL ? before->run_next : r->frags;
	pred = before != NULL && before->last->tsn == tsn - 1 ? before : NULL;
	succ = after != NULL && after->tsn == tsn + 1 ? after : NULL;

	/*
	 * RFC 9260 6.9: the fragments of a message carry consecutive TSNs from the B chunk to the
	 * E chunk, with the same stream, SSN (3.3.1) and U bit. So the chunk after one without E
	 * has no B and belongs to the same message, and the chunk after an E chunk has B.
	 */
	if (pd_cont) {
		if (b || d->sid != r->pd_sid || d->ssn != r->pd_ssn || u != r->pd_unordered)
			return -EPROTO;
	} else if (pred != NULL) {
		if ((pred->last->flags & F_E) != 0) {
			if (!b)
				return -EPROTO;
		} else if (b || !same_msg(pred->last, d)) {
			return -EPROTO;
		}
	}
	if (succ != NULL) {
		if (e) {
			if ((succ->flags & F_B) == 0)
				return -EPROTO;
		} else if ((succ->flags & F_B) != 0 || !same_msg(succ, d)) {
			return -EPROTO;
		}
	}

	/* The run the chunk makes with its neighbours, and what becomes of it. */
	join_p = pred != NULL && (pred->last->flags & F_E) == 0;
	join_n = succ != NULL && !e;
	has_b = join_p ? (pred->flags & F_B) != 0 : b;
	has_e = join_n ? (succ->last->flags & F_E) != 0 : e;
	bytes = d->payload_len + (join_p ? pred->bytes : 0) + (join_n ? succ->bytes : 0);
	turn = u || d->ssn == r->next_ssn[d->sid];
	if (pd_cont) {
		act = A_PD_CONT;
	} else if (has_b && has_e) {
		if (!r->pd_active && turn) {
			act = A_DELIVER;
		} else if (u) {
			act = A_UWAIT;
		} else {
			/* an SSN in use: the stream could never move past both */
			if (r->pd_active && !r->pd_unordered && d->sid == r->pd_sid &&
				d->ssn == r->pd_ssn)
				return -EPROTO;
			rc = ready_pos(r, d->sid, d->ssn, &pos);
			if (rc != 0)
				return rc;
			act = A_READY;
		}
	} else if (has_b && bytes >= r->pd_point && !r->pd_active && turn) {
		act = A_PD_START;
	} else {
		act = A_FRAG;
	}

	/* Only what stays after this call is copied; nothing has changed before this point. */
	if (act == A_FRAG || act == A_READY || act == A_UWAIT) {
		if (d->payload_len > SIZE_MAX - sizeof(*c))
			return -ENOMEM;
		c = r->env->alloc(r->env->ctx, sizeof(*c) + d->payload_len);
		if (c == NULL)
			return -ENOMEM;
		memcpy(c + 1, d->payload, d->payload_len);
		c->data = (const uint8_t *)(c + 1);
		c->held = true;
		r->queued += d->payload_len;
	} else {
		c = &tmp;
		c->data = d->payload;
		c->held = false;
	}
	c->len = d->payload_len;
	c->tsn = tsn;
	c->ppid = d->ppid;
	c->sid = d->sid;
	c->ssn = d->ssn;
	c->flags = d->flags;

	/* Join the neighbours; the joined run takes their place in frags or leaves it. */
	if (join_p && is_big(r, pred))
		r->nbig--;
	if (join_n && is_big(r, succ))
		r->nbig--;
	h = join_p ? pred : c;
	if (join_p)
		pred->last->next = c;
	c->next = join_n ? succ : NULL;
	h->last = join_n ? succ->last : c;
	h->bytes = bytes;
	before = join_p ? pred->run_prev : before;
	after = join_n ? succ->run_next : after;
	if (act == A_FRAG) {
		link_runs(r, before, h);
		link_runs(r, h, after);
		if (is_big(r, h))
			r->nbig++;
	} else {
		link_runs(r, before, after);
	}

	switch (act) {
	case A_FRAG:
		break;
	case A_READY:
		ready_insert(r, pos, h);
		break;
	case A_UWAIT:
		h->run_next = NULL;
		if (r->uwait_tail != NULL)
			r->uwait_tail->run_next = h;
		else
			r->uwait = h;
		r->uwait_tail = h;
		break;
	case A_DELIVER:
		deliver_msg(r, h);
		if (!u) {
			drain_stream(r, d->sid);
			pd_scan(r);
		}
		break;
	case A_PD_START:
		pd_start(r, h);
		break;
	case A_PD_CONT: {
		struct dpsctp_rcvinfo ri;

		r->pd_next_tsn = h->last->tsn + 1;
		pd_info(r, &ri);
		deliver_chain(r, &ri, h, has_e);
		if (has_e)
			pd_end(r);
		break;
	}
	}
	return 0;
}

void
dpsctp_reasm_set_pd_point(struct dpsctp_reasm *r, uint32_t pd_point)
{
	const struct dpsctp_rchunk *h;

	r->pd_point = pd_point != 0 ? pd_point : 1;
	/* nbig counts runs by the point: count again */
	r->nbig = 0;
	for (h = r->frags; h != NULL; h = h->run_next)
		if (is_big(r, h))
			r->nbig++;
}
