/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receiver's queues (reasm.h): reassembly by TSN (RFC 9260 6.9), in-order delivery per
 * stream by 16-bit SSN across its wrap (6.5, 6.6), unordered delivery at once, partial delivery
 * (RFC 6458 8.1.21), iov splitting, the 6.9 violations that abort, allocation failures that
 * change nothing, and a differential test against a model of what must have been delivered
 * after each chunk.
 *
 * The environment counts allocations; every test ends by releasing the queues and checking
 * that nothing is left (LEAK_CHECKED_TEST of testenv_cr.h); .fini does it again for tests
 * that failed.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "reasm.h"
#include "testenv_cr.h"
#include "wire.h"

#define FB DPSCTP_DATA_FLAG_B
#define FE DPSCTP_DATA_FLAG_E
#define FU DPSCTP_DATA_FLAG_U
#define FBE (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E)
#define NO_PD UINT32_MAX

/* ---- the environment: counting allocator with failure injection (testenv.h) ---- */

static struct testenv cenv;

static void
c_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
}

static const struct dpsctp_env env = {
	.ctx = &cenv,
	.alloc = testenv_alloc,
	.free = testenv_free,
	.random = c_random,
};

/* ---- test PRNG (splitmix64) ---- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	return testenv_splitmix64(&rng);
}

static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void
shuffle(unsigned int *a, size_t n)
{
	size_t i, j;
	unsigned int t;

	for (i = n; i > 1; i--) {
		j = rnd_below((uint32_t)i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* ---- the recorder: every deliver call, and the messages they make up ---- */

struct got {
	struct dpsctp_rcvinfo ri;
	uint8_t *data;
	size_t len;
	unsigned int calls;
	bool eor;
};

struct call {
	size_t len;
	unsigned int iovcnt;
	bool eor;
};

static struct {
	struct got *msgs;
	size_t nmsgs, mcap;
	struct call *calls;
	size_t ncalls, ccap;
	size_t chunks; /* iov entries delivered */
	bool open;     /* the last message has not had its eor yet */
} rec;

static void
rec_reset(void)
{
	size_t i;

	for (i = 0; i < rec.nmsgs; i++)
		free(rec.msgs[i].data);
	free(rec.msgs);
	free(rec.calls);
	memset(&rec, 0, sizeof(rec));
}

static void
on_deliver(void *ctx, const struct dpsctp_rcvinfo *ri, const struct dpsctp_iov *iov,
	unsigned int iovcnt, bool eor)
{
	struct got *g;
	unsigned int i;

	cr_assert_eq(ctx, &rec, "wrong callback context");
	cr_assert(iovcnt >= 1 && iovcnt <= DPSCTP_REASM_IOV_MAX, "iovcnt %u", iovcnt);
	cr_assert_eq(ri->cumtsn, 0);
	cr_assert_eq(ri->assoc_id, 0);
	if (rec.open) {
		g = &rec.msgs[rec.nmsgs - 1];
		cr_assert(ri->sid == g->ri.sid && ri->ssn == g->ri.ssn && ri->tsn == g->ri.tsn &&
				  ri->flags == g->ri.flags && ri->ppid == g->ri.ppid,
			"deliveries of two messages interleave: %u/%u tsn %#x inside %u/%u tsn %#x",
			ri->sid, ri->ssn, ri->tsn, g->ri.sid, g->ri.ssn, g->ri.tsn);
	} else {
		if (rec.nmsgs == rec.mcap) {
			rec.mcap = rec.mcap != 0 ? 2 * rec.mcap : 64;
			rec.msgs = realloc(rec.msgs, rec.mcap * sizeof(*rec.msgs));
			cr_assert_not_null(rec.msgs);
		}
		g = &rec.msgs[rec.nmsgs++];
		memset(g, 0, sizeof(*g));
		g->ri = *ri;
	}
	if (rec.ncalls == rec.ccap) {
		rec.ccap = rec.ccap != 0 ? 2 * rec.ccap : 64;
		rec.calls = realloc(rec.calls, rec.ccap * sizeof(*rec.calls));
		cr_assert_not_null(rec.calls);
	}
	rec.calls[rec.ncalls].len = 0;
	rec.calls[rec.ncalls].iovcnt = iovcnt;
	rec.calls[rec.ncalls].eor = eor;
	for (i = 0; i < iovcnt; i++) {
		cr_assert_gt(iov[i].len, 0, "empty iov entry");
		g->data = realloc(g->data, g->len + iov[i].len);
		cr_assert_not_null(g->data);
		memcpy(g->data + g->len, iov[i].base, iov[i].len);
		g->len += iov[i].len;
		rec.calls[rec.ncalls].len += iov[i].len;
	}
	rec.ncalls++;
	rec.chunks += iovcnt;
	g->calls++;
	g->eor = eor;
	rec.open = !eor;
}

/* ---- the queues under test ---- */

static struct dpsctp_reasm R;
static bool r_live;

static void
start(uint16_t nstreams, uint32_t pd_point)
{
	int rc = dpsctp_reasm_init(&R, &env, nstreams, pd_point, on_deliver, &rec);

	cr_assert_eq(rc, 0, "init: %d", rc);
	r_live = true;
}

static void
stop(void)
{
	if (r_live)
		dpsctp_reasm_fini(&R);
	r_live = false;
}

static void
setup(void)
{
	testenv_cr_init(&cenv, 0);
	memset(&rec, 0, sizeof(rec));
	r_live = false;
	rng = 0x1234567;
}

/* Release the queues; then nothing they allocated may be left. */
static void
leak_check(void)
{
	stop();
	testenv_cr_assert_no_leaks(&cenv);
	rec_reset();
}

TestSuite(reasm, .init = setup, .fini = leak_check);

static int
add(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags, uint32_t ppid, const void *p,
	size_t len)
{
	struct dpsctp_data d = {
		.flags = flags,
		.tsn = tsn,
		.sid = sid,
		.ssn = ssn,
		.ppid = ppid,
		.payload = p,
		.payload_len = len,
	};

	return dpsctp_reasm_add(&R, &d);
}

static void
add_ok(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags, const void *p, size_t len)
{
	int rc = add(tsn, sid, ssn, flags, tsn ^ 0xabcd0000u, p, len);

	cr_assert_eq(rc, 0, "add tsn %#x sid %u ssn %u flags %#x: rc %d, want 0", tsn, sid, ssn,
		flags, rc);
}

/* A single-chunk message whose one byte names it. */
static void
add_one(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags)
{
	uint8_t b = (uint8_t)tsn;

	add_ok(tsn, sid, ssn, flags | FBE, &b, 1);
}

static void
assert_one(size_t i, uint32_t tsn, uint16_t sid, uint16_t ssn, bool u)
{
	const struct got *g;

	cr_assert_lt(i, rec.nmsgs, "message %zu not delivered (%zu were)", i, rec.nmsgs);
	g = &rec.msgs[i];
	cr_assert_eq(g->ri.tsn, tsn, "message %zu: tsn %#x, want %#x", i, g->ri.tsn, tsn);
	cr_assert_eq(g->ri.sid, sid, "message %zu: sid %u, want %u", i, g->ri.sid, sid);
	if (!u)
		cr_assert_eq(g->ri.ssn, ssn, "message %zu: ssn %u, want %u", i, g->ri.ssn, ssn);
	cr_assert_eq(g->ri.flags, u ? DPSCTP_SND_UNORDERED : 0);
	cr_assert_eq(g->ri.ppid, tsn ^ 0xabcd0000u);
	cr_assert(g->eor);
	cr_assert_eq(g->len, 1);
	cr_assert_eq(g->data[0], (uint8_t)tsn);
}

/* Nothing held, nothing waiting (white box: the private fields of reasm.h). */
static void
assert_empty(void)
{
	unsigned int w;

	cr_assert_eq(R.queued, 0);
	cr_assert_null(R.frags);
	cr_assert_null(R.frags_tail);
	cr_assert_null(R.ready);
	cr_assert_null(R.ready_tail);
	cr_assert_null(R.uwait);
	cr_assert_null(R.uwait_tail);
	cr_assert_eq(R.nbig, 0);
	for (w = 0; w <= R.nstreams / 64u; w++)
		cr_assert_eq(R.waiting[w], 0, "waiting bits left in word %u", w);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
}

/* ---- fragmented test messages ---- */

#define MAXF 64

struct tmsg {
	uint16_t sid, ssn;
	bool u;
	uint32_t ppid;
	uint32_t tsn0;        /* TSN of the B chunk */
	size_t len;           /* bytes */
	uint8_t *data;        /* content */
	unsigned int nfrag;   /* chunks */
	size_t off[MAXF + 1]; /* fragment i is bytes off[i] .. off[i + 1] - 1 */
};

/* Cut @p len bytes into @p nfrag non-empty fragments, evenly or at random places. */
static void
tmsg_make(struct tmsg *m, uint16_t sid, uint16_t ssn, bool u, uint32_t tsn0, size_t len,
	unsigned int nfrag, bool random_cuts)
{
	uint32_t w[MAXF], total = 0, sum = 0;
	size_t i, rest;

	cr_assert(nfrag >= 1 && nfrag <= MAXF && len >= nfrag);
	memset(m, 0, sizeof(*m));
	m->sid = sid;
	m->ssn = ssn;
	m->u = u;
	m->ppid = (uint32_t)rnd();
	m->tsn0 = tsn0;
	m->len = len;
	m->nfrag = nfrag;
	m->data = malloc(len);
	cr_assert_not_null(m->data);
	for (i = 0; i < len; i++)
		m->data[i] = (uint8_t)(rnd() >> 24);
	for (i = 0; i < nfrag; i++) {
		w[i] = random_cuts ? 1 + rnd_below(100) : 1;
		total += w[i];
	}
	/* every fragment one byte, the rest shared by weight */
	rest = len - nfrag;
	m->off[0] = 0;
	for (i = 0; i < nfrag; i++) {
		sum += w[i];
		m->off[i + 1] = (i + 1) + (size_t)((uint64_t)rest * sum / total);
	}
	cr_assert_eq(m->off[nfrag], len);
}

static void
tmsg_free(struct tmsg *m)
{
	free(m->data);
	m->data = NULL;
}

/* Fragment @p i of @p m as a DATA chunk; chunks after the B one carry another PPID. */
static struct dpsctp_data
tmsg_chunk(const struct tmsg *m, unsigned int i)
{
	struct dpsctp_data d = {
		.tsn = m->tsn0 + i,
		.sid = m->sid,
		.ssn = m->ssn,
		.ppid = i == 0 ? m->ppid : ~m->ppid,
		.payload = m->data + m->off[i],
		.payload_len = m->off[i + 1] - m->off[i],
	};

	d.flags = (uint8_t)((i == 0 ? FB : 0) | (i + 1 == m->nfrag ? FE : 0) | (m->u ? FU : 0));
	return d;
}

static int
tmsg_add(const struct tmsg *m, unsigned int i)
{
	struct dpsctp_data d = tmsg_chunk(m, i);

	return dpsctp_reasm_add(&R, &d);
}

static void
tmsg_add_ok(const struct tmsg *m, unsigned int i)
{
	int rc = tmsg_add(m, i);

	cr_assert_eq(rc, 0, "fragment %u of %u/%u: rc %d", i, m->sid, m->ssn, rc);
}

/* rec.msgs[@p i] is @p m, whole, delivered in the fewest calls the iov limit allows. */
static void
assert_got(size_t i, const struct tmsg *m)
{
	const struct got *g;

	cr_assert_lt(i, rec.nmsgs, "message %zu not delivered (%zu were)", i, rec.nmsgs);
	g = &rec.msgs[i];
	cr_assert_eq(g->ri.tsn, m->tsn0, "message %zu: tsn %#x, want %#x", i, g->ri.tsn, m->tsn0);
	cr_assert_eq(g->ri.sid, m->sid);
	cr_assert_eq(g->ri.ssn, m->ssn);
	cr_assert_eq(g->ri.ppid, m->ppid, "ppid must be the B chunk's");
	cr_assert_eq(g->ri.flags, m->u ? DPSCTP_SND_UNORDERED : 0);
	cr_assert(g->eor, "message %zu not finished", i);
	cr_assert_eq(g->len, m->len, "message %zu: %zu bytes, want %zu", i, g->len, m->len);
	cr_assert(memcmp(g->data, m->data, m->len) == 0, "message %zu: content differs", i);
}

/*
 * In-order single-chunk messages: the express case
 */

LEAK_CHECKED_TEST(reasm, in_order_single_chunks_are_delivered_at_once_without_a_copy)
{
	uint8_t buf[10];
	uint32_t i;

	start(4, 1000);
	cr_assert_eq(cenv.total, 1, "init takes one allocation");
	for (i = 0; i < 100; i++) {
		memset(buf, (int)i, sizeof(buf));
		add_ok(1000 + i, (uint16_t)(i % 4), (uint16_t)(i / 4), FBE, buf, sizeof(buf));
		cr_assert_eq(rec.nmsgs, i + 1, "message %u not delivered at once", i);
		cr_assert_eq(rec.msgs[i].len, 10);
		cr_assert_eq(rec.msgs[i].data[9], (uint8_t)i);
		cr_assert_eq(rec.msgs[i].ri.tsn, 1000 + i);
		cr_assert_eq(rec.msgs[i].ri.ssn, i / 4);
		cr_assert_eq(rec.msgs[i].ri.ppid, (1000 + i) ^ 0xabcd0000u);
		cr_assert(rec.msgs[i].eor);
		cr_assert_eq(rec.msgs[i].calls, 1);
	}
	cr_assert_eq(cenv.total, 1, "a message delivered at once is not copied");
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(R.n_msgs, 100);
	cr_assert_eq(R.n_bytes, 1000);
	cr_assert_eq(R.n_pd, 0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(R.next_ssn[i], 25);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
}

/*
 * Ordered delivery (RFC 9260 6.5, 6.6)
 */

LEAK_CHECKED_TEST(reasm, ordered_messages_wait_for_their_turn_across_ssn_wrap)
{
	uint32_t tsn = 7;
	uint32_t i;

	start(2, NO_PD);
	for (i = 0; i < 65533; i++)
		add_one(tsn++, 1, (uint16_t)i, 0);
	cr_assert_eq(R.next_ssn[1], 65533);
	rec_reset();

	add_one(tsn + 2, 1, 65535, 0);
	add_one(tsn + 3, 1, 0, 0);
	add_one(tsn + 4, 1, 1, 0);
	add_one(tsn + 1, 1, 65534, 0);
	cr_assert_eq(rec.nmsgs, 0, "nothing may overtake SSN 65533");
	cr_assert_eq(R.queued, 4);
	add_one(tsn + 5, 0, 0, 0);
	cr_assert_eq(rec.nmsgs, 1, "another stream is not held up");
	assert_one(0, tsn + 5, 0, 0, false);
	add_one(tsn, 1, 65533, 0);
	cr_assert_eq(rec.nmsgs, 6);
	assert_one(1, tsn, 1, 65533, false);
	assert_one(2, tsn + 1, 1, 65534, false);
	assert_one(3, tsn + 2, 1, 65535, false);
	assert_one(4, tsn + 3, 1, 0, false);
	assert_one(5, tsn + 4, 1, 1, false);
	cr_assert_eq(R.next_ssn[1], 2);
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(cenv.live, 1);
}

LEAK_CHECKED_TEST(reasm, successors_arriving_in_any_order_flow_in_ssn_order)
{
	unsigned int perm[12];
	unsigned int round, i;

	start(3, NO_PD);
	for (round = 0; round < 20; round++) {
		uint16_t base = R.next_ssn[2];
		size_t first = rec.nmsgs;

		for (i = 0; i < 12; i++)
			perm[i] = i;
		shuffle(perm, 12);
		for (i = 0; i < 12; i++)
			add_one(1000 * round + perm[i], 2, (uint16_t)(base + perm[i]), 0);
		cr_assert_eq(rec.nmsgs, first + 12);
		for (i = 0; i < 12; i++)
			assert_one(first + i, 1000 * round + i, 2, (uint16_t)(base + i), false);
		cr_assert_eq(R.queued, 0);
	}
}

/*
 * Unordered delivery (RFC 9260 6.6)
 */

LEAK_CHECKED_TEST(reasm, unordered_overtakes_waiting_ordered)
{
	struct tmsg m;

	start(2, NO_PD);
	add_one(11, 0, 1, 0);
	add_one(12, 0, 2, 0);
	cr_assert_eq(rec.nmsgs, 0);
	add_one(13, 0, 0, FU);
	cr_assert_eq(rec.nmsgs, 1, "an unordered message does not wait for SSNs");
	assert_one(0, 13, 0, 0, true);

	/* a fragmented one too, even shuffled, and whatever its SSN says */
	tmsg_make(&m, 0, 77, true, 14, 30, 3, true);
	tmsg_add_ok(&m, 2);
	tmsg_add_ok(&m, 0);
	cr_assert_eq(rec.nmsgs, 1);
	tmsg_add_ok(&m, 1);
	cr_assert_eq(rec.nmsgs, 2);
	assert_got(1, &m);
	cr_assert_eq(R.next_ssn[0], 0, "unordered messages do not move the stream on");

	add_one(10, 0, 0, 0);
	cr_assert_eq(rec.nmsgs, 5);
	assert_one(2, 10, 0, 0, false);
	assert_one(3, 11, 0, 1, false);
	assert_one(4, 12, 0, 2, false);
	cr_assert_eq(R.queued, 0);
	tmsg_free(&m);
}

/*
 * Reassembly (RFC 9260 6.9)
 */

LEAK_CHECKED_TEST(reasm, fragments_in_order_are_delivered_when_e_arrives)
{
	struct tmsg m;
	unsigned int i;

	start(1, NO_PD);
	tmsg_make(&m, 0, 0, false, 500, 5000, 5, true);
	for (i = 0; i < 4; i++) {
		tmsg_add_ok(&m, i);
		cr_assert_eq(rec.nmsgs, 0);
		cr_assert_eq(R.queued, m.off[i + 1]);
	}
	tmsg_add_ok(&m, 4);
	assert_got(0, &m);
	cr_assert_eq(rec.msgs[0].calls, 1);
	cr_assert_eq(rec.calls[0].iovcnt, 5);
	cr_assert_eq(cenv.total, 1 + 4, "the E chunk is delivered from the caller's buffer");
	cr_assert_eq(cenv.live, 1);
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(R.next_ssn[0], 1);
	tmsg_free(&m);
}

static bool
next_perm(unsigned int *a, unsigned int n)
{
	unsigned int i, j, t;

	if (n < 2)
		return false;
	i = n - 1;
	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i == 0)
		return false;
	j = n - 1;
	while (a[j] <= a[i - 1])
		j--;
	t = a[i - 1];
	a[i - 1] = a[j];
	a[j] = t;
	for (j = n - 1; i < j; i++, j--) {
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	return true;
}

/* TSNs 0xfffffffe .. 2: the run crosses 2^32. SSN 1 waits for all of them. */
LEAK_CHECKED_TEST(reasm, every_arrival_order_of_five_fragments_reassembles_across_tsn_wrap)
{
	unsigned int perm[5] = {0, 1, 2, 3, 4};
	unsigned int i, n = 0;
	struct tmsg m;

	tmsg_make(&m, 0, 0, false, 0xfffffffeu, 500, 5, true);
	do {
		start(1, NO_PD);
		add_one(3, 0, 1, 0);
		for (i = 0; i < 5; i++) {
			cr_assert_eq(rec.nmsgs, 0, "permutation %u: delivered early", n);
			tmsg_add_ok(&m, perm[i]);
		}
		cr_assert_eq(rec.nmsgs, 2, "permutation %u", n);
		assert_got(0, &m);
		assert_one(1, 3, 0, 1, false);
		cr_assert_eq(R.queued, 0);
		stop();
		cr_assert_eq(cenv.live, 0);
		rec_reset();
		n++;
	} while (next_perm(perm, 5));
	cr_assert_eq(n, 120);
	tmsg_free(&m);
}

LEAK_CHECKED_TEST(reasm, shuffled_64_fragment_messages_reassemble_across_tsn_wrap)
{
	struct tmsg m[4];
	unsigned int order[4 * 64];
	unsigned int round, i;

	for (i = 0; i < 4; i++)
		tmsg_make(&m[i], (uint16_t)(i & 1), (uint16_t)(i >> 1), false, 0xffffff80u + 64 * i,
			64 * 50, 64, true);
	for (round = 0; round < 50; round++) {
		start(2, NO_PD);
		for (i = 0; i < 4 * 64; i++)
			order[i] = i;
		shuffle(order, 4 * 64);
		for (i = 0; i < 4 * 64; i++)
			tmsg_add_ok(&m[order[i] / 64], order[i] % 64);
		cr_assert_eq(rec.nmsgs, 4);
		for (i = 0; i < 4; i++) {
			const struct got *g = &rec.msgs[i];
			const struct tmsg *want = &m[g->ri.sid + 2 * g->ri.ssn];

			assert_got(i, want);
			cr_assert_eq(g->calls, 4, "64 chunks take 4 calls of 16");
		}
		/* within each stream SSN 0 came before SSN 1 */
		for (i = 0; i < 4; i++) {
			unsigned int j;

			for (j = i + 1; j < 4; j++)
				if (rec.msgs[i].ri.sid == rec.msgs[j].ri.sid)
					cr_assert_lt(rec.msgs[i].ri.ssn, rec.msgs[j].ri.ssn);
		}
		cr_assert_eq(R.queued, 0);
		stop();
		cr_assert_eq(cenv.live, 0);
		rec_reset();
	}
	for (i = 0; i < 4; i++)
		tmsg_free(&m[i]);
}

/* 1000 streams, each message in two fragments; every stream's SSN 0 comes last. */
LEAK_CHECKED_TEST(reasm, thousand_streams_interleaved_each_flow_in_ssn_order)
{
	enum { NS = 1000, NM = 4 };
	unsigned int sids[NS];
	uint8_t a[3] = {1, 2, 3}, b[2] = {4, 5};
	int k;
	unsigned int i, j;
	size_t before;

	start(NS, NO_PD);
	for (i = 0; i < NS; i++)
		sids[i] = i;
	for (k = NM - 1; k >= 0; k--) {
		shuffle(sids, NS);
		for (i = 0; i < NS; i++) {
			uint16_t s = (uint16_t)sids[i];
			uint32_t tsn = 2 * ((uint32_t)k * NS + s);

			if (k == 0)
				break;
			/* E first, then B */
			add_ok(tsn + 1, s, (uint16_t)k, FE, b, sizeof(b));
			add_ok(tsn, s, (uint16_t)k, FB, a, sizeof(a));
		}
	}
	cr_assert_eq(rec.nmsgs, 0);
	cr_assert_eq(R.queued, (size_t)NS * (NM - 1) * 5);
	shuffle(sids, NS);
	for (i = 0; i < NS; i++) {
		uint16_t s = (uint16_t)sids[i];

		before = rec.nmsgs;
		add_ok(2u * s, s, 0, FB, a, sizeof(a));
		add_ok(2u * s + 1, s, 0, FE, b, sizeof(b));
		cr_assert_eq(
			rec.nmsgs, before + NM, "stream %u: %zu delivered", s, rec.nmsgs - before);
		for (j = 0; j < NM; j++) {
			const struct got *g = &rec.msgs[before + j];

			cr_assert_eq(g->ri.sid, s);
			cr_assert_eq(g->ri.ssn, j);
			cr_assert_eq(g->ri.tsn, 2 * (j * NS + s));
			cr_assert_eq(g->len, 5);
			cr_assert(memcmp(g->data, "\1\2\3\4\5", 5) == 0);
		}
		cr_assert_eq(R.next_ssn[s], NM);
	}
	assert_empty();
	cr_assert_eq(cenv.live, 1);
}

LEAK_CHECKED_TEST(reasm, highest_stream_of_65535_works)
{
	start(65535, NO_PD);
	add_one(2, 65534, 1, 0);
	add_one(3, 65533, 1, 0);
	cr_assert_eq(rec.nmsgs, 0);
	add_one(1, 65534, 0, 0);
	cr_assert_eq(rec.nmsgs, 2);
	assert_one(0, 1, 65534, 0, false);
	assert_one(1, 2, 65534, 1, false);
	add_one(0, 65533, 0, 0);
	assert_one(3, 3, 65533, 1, false);
	cr_assert_eq(R.queued, 0);
}

/*
 * Splitting into DPSCTP_REASM_IOV_MAX entries per call
 */

LEAK_CHECKED_TEST(reasm, message_of_more_than_16_chunks_takes_several_calls)
{
	struct tmsg m;
	unsigned int i;

	tmsg_make(&m, 0, 0, false, 100, 40 * 10, 40, false);
	start(1, NO_PD);
	for (i = 0; i < 40; i++)
		tmsg_add_ok(&m, i);
	assert_got(0, &m);
	cr_assert_eq(rec.ncalls, 3);
	cr_assert_eq(rec.calls[0].iovcnt, 16);
	cr_assert(!rec.calls[0].eor);
	cr_assert_eq(rec.calls[1].iovcnt, 16);
	cr_assert(!rec.calls[1].eor);
	cr_assert_eq(rec.calls[2].iovcnt, 8);
	cr_assert(rec.calls[2].eor);
	cr_assert_eq(R.n_msgs, 1);
	stop();
	rec_reset();

	/* exactly 16 and 17 */
	tmsg_free(&m);
	tmsg_make(&m, 0, 0, false, 100, 16, 16, false);
	start(1, NO_PD);
	for (i = 16; i-- > 0;)
		tmsg_add_ok(&m, i);
	assert_got(0, &m);
	cr_assert_eq(rec.ncalls, 1);
	stop();
	rec_reset();
	tmsg_free(&m);
	tmsg_make(&m, 0, 0, false, 100, 17, 17, false);
	start(1, NO_PD);
	for (i = 17; i-- > 0;)
		tmsg_add_ok(&m, i);
	assert_got(0, &m);
	cr_assert_eq(rec.ncalls, 2);
	cr_assert_eq(rec.calls[1].iovcnt, 1);
	cr_assert(rec.calls[1].eor && !rec.calls[0].eor);
	tmsg_free(&m);
}

/*
 * Partial delivery (RFC 6458 8.1.21)
 */

LEAK_CHECKED_TEST(reasm, partial_delivery_starts_at_pd_point_and_continues_chunk_by_chunk)
{
	struct tmsg m;
	uint16_t sid = 9, ssn = 9;
	unsigned int i;

	tmsg_make(&m, 1, 0, false, 40, 1000, 10, false);
	start(2, 300);
	tmsg_add_ok(&m, 0);
	tmsg_add_ok(&m, 1);
	cr_assert_eq(rec.ncalls, 0, "200 bytes are below the partial delivery point");
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	tmsg_add_ok(&m, 2);
	cr_assert_eq(rec.ncalls, 1);
	cr_assert_eq(rec.calls[0].len, 300);
	cr_assert_eq(rec.calls[0].iovcnt, 3);
	cr_assert(!rec.calls[0].eor);
	cr_assert(dpsctp_reasm_pd(&R, &sid, &ssn));
	cr_assert_eq(sid, 1);
	cr_assert_eq(ssn, 0);
	cr_assert_eq(R.n_pd, 1);
	cr_assert_eq(R.queued, 0);
	for (i = 3; i < 9; i++) {
		tmsg_add_ok(&m, i);
		cr_assert_eq(rec.ncalls, i - 1);
		cr_assert_eq(rec.calls[i - 2].len, 100);
		cr_assert(!rec.calls[i - 2].eor);
	}
	tmsg_add_ok(&m, 9);
	cr_assert_eq(rec.ncalls, 8);
	cr_assert(rec.calls[7].eor);
	assert_got(0, &m);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	cr_assert_eq(R.n_msgs, 1);
	cr_assert_eq(R.n_pd, 1);
	cr_assert_eq(R.n_bytes, 1000);
	cr_assert_eq(R.next_ssn[1], 1);
	cr_assert_eq(cenv.total, 1 + 2, "only the two chunks below the point were copied");
	tmsg_free(&m);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_holds_every_other_message_until_it_ends)
{
	struct tmsg big, frag_u;
	uint16_t sid, ssn;

	tmsg_make(&big, 0, 0, false, 100, 500, 5, false);
	tmsg_make(&frag_u, 3, 0, true, 108, 20, 2, false);
	start(4, 200);
	tmsg_add_ok(&big, 0);
	tmsg_add_ok(&big, 1);
	cr_assert_eq(rec.ncalls, 1);
	cr_assert(rec.open);

	add_one(105, 1, 0, FU); /* unordered */
	add_one(106, 2, 0, 0);  /* ordered, its turn on stream 2 */
	add_one(107, 0, 1, 0);  /* the big message's successor */
	tmsg_add_ok(&frag_u, 1);
	tmsg_add_ok(&frag_u, 0);
	cr_assert_eq(rec.ncalls, 1, "nothing may interleave with a partial delivery");
	cr_assert_eq(R.queued, 3 + 20);
	cr_assert(dpsctp_reasm_pd(&R, &sid, &ssn));
	cr_assert_eq(sid, 0);
	cr_assert_eq(ssn, 0);

	tmsg_add_ok(&big, 2);
	tmsg_add_ok(&big, 3);
	cr_assert_eq(rec.ncalls, 3);
	cr_assert_eq(rec.nmsgs, 1);
	tmsg_add_ok(&big, 4);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	cr_assert_eq(rec.nmsgs, 5);
	assert_got(0, &big);
	/* then what waited: unordered first, then the streams in SSN order */
	assert_one(1, 105, 1, 0, true);
	assert_got(2, &frag_u);
	assert_one(3, 107, 0, 1, false);
	assert_one(4, 106, 2, 0, false);
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(R.n_msgs, 5);
	tmsg_free(&big);
	tmsg_free(&frag_u);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_follows_the_one_in_progress)
{
	struct tmsg a, b;
	uint16_t sid, ssn;

	tmsg_make(&a, 0, 0, false, 10, 50, 5, false);
	tmsg_make(&b, 1, 0, false, 20, 50, 5, false);
	start(2, 25);
	tmsg_add_ok(&a, 0);
	tmsg_add_ok(&a, 1);
	tmsg_add_ok(&a, 2);
	cr_assert_eq(rec.ncalls, 1);
	tmsg_add_ok(&b, 0);
	tmsg_add_ok(&b, 1);
	tmsg_add_ok(&b, 2);
	cr_assert_eq(rec.ncalls, 1, "one partial delivery at a time");
	tmsg_add_ok(&a, 4);
	cr_assert_eq(rec.ncalls, 1);
	tmsg_add_ok(&a, 3);
	/* a ends (chunks 3 and 4 in one call); b had 30 bytes from its B chunk: it starts */
	cr_assert_eq(rec.ncalls, 3);
	cr_assert_eq(rec.calls[1].iovcnt, 2);
	cr_assert(rec.calls[1].eor);
	cr_assert_eq(rec.calls[2].len, 30);
	cr_assert(!rec.calls[2].eor);
	cr_assert(dpsctp_reasm_pd(&R, &sid, &ssn));
	cr_assert_eq(sid, 1);
	cr_assert_eq(ssn, 0);
	cr_assert_eq(R.n_pd, 2);
	tmsg_add_ok(&b, 3);
	tmsg_add_ok(&b, 4);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	assert_got(0, &a);
	assert_got(1, &b);
	cr_assert_eq(R.queued, 0);
	tmsg_free(&a);
	tmsg_free(&b);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_waits_for_its_turn_in_the_stream)
{
	struct tmsg big;
	uint16_t sid, ssn;

	tmsg_make(&big, 0, 1, false, 50, 400, 4, false);
	start(1, 150);
	tmsg_add_ok(&big, 0);
	tmsg_add_ok(&big, 1);
	tmsg_add_ok(&big, 2);
	cr_assert_eq(rec.ncalls, 0, "SSN 0 has not been delivered");
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	add_one(49, 0, 0, 0);
	cr_assert_eq(rec.ncalls, 2);
	assert_one(0, 49, 0, 0, false);
	cr_assert_eq(rec.calls[1].len, 300);
	cr_assert(!rec.calls[1].eor);
	cr_assert(dpsctp_reasm_pd(&R, &sid, &ssn));
	cr_assert_eq(sid, 0);
	cr_assert_eq(ssn, 1);
	tmsg_add_ok(&big, 3);
	assert_got(1, &big);
	cr_assert_eq(R.next_ssn[0], 2);
	tmsg_free(&big);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_of_an_unordered_message_needs_no_turn)
{
	struct tmsg big;

	tmsg_make(&big, 0, 5, true, 50, 400, 4, false);
	start(1, 150);
	add_one(60, 0, 1, 0); /* ordered, waits for SSN 0 */
	tmsg_add_ok(&big, 0);
	cr_assert_eq(rec.ncalls, 0);
	tmsg_add_ok(&big, 1);
	cr_assert_eq(rec.ncalls, 1);
	cr_assert_eq(rec.msgs[0].ri.flags, DPSCTP_SND_UNORDERED);
	tmsg_add_ok(&big, 3);
	tmsg_add_ok(&big, 2);
	assert_got(0, &big);
	cr_assert_eq(R.next_ssn[0], 0, "an unordered message does not move the stream on");
	add_one(61, 0, 0, 0);
	assert_one(1, 61, 0, 0, false);
	assert_one(2, 60, 0, 1, false);
	tmsg_free(&big);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_takes_the_run_behind_a_filled_hole_at_once)
{
	struct tmsg m;

	tmsg_make(&m, 0, 0, false, 0xfffffffeu, 600, 6, false);
	start(1, 200);
	tmsg_add_ok(&m, 0);
	tmsg_add_ok(&m, 1);
	cr_assert_eq(rec.ncalls, 1);
	tmsg_add_ok(&m, 3);
	tmsg_add_ok(&m, 4);
	cr_assert_eq(rec.ncalls, 1);
	cr_assert_eq(R.queued, 200);
	tmsg_add_ok(&m, 2);
	cr_assert_eq(rec.ncalls, 2);
	cr_assert_eq(rec.calls[1].iovcnt, 3);
	cr_assert_eq(rec.calls[1].len, 300);
	cr_assert(!rec.calls[1].eor);
	cr_assert_eq(R.queued, 0);
	tmsg_add_ok(&m, 5);
	assert_got(0, &m);
	cr_assert_eq(rec.ncalls, 3);
	tmsg_free(&m);
}

/* The first part of 39 chunks goes out in three calls, none with eor. */
LEAK_CHECKED_TEST(reasm, partial_delivery_of_more_than_16_chunks_takes_several_calls)
{
	struct tmsg m;
	unsigned int i;

	tmsg_make(&m, 0, 0, false, 1, 40 * 10, 40, false);
	start(1, 100);
	for (i = 1; i < 39; i++)
		tmsg_add_ok(&m, i);
	cr_assert_eq(rec.ncalls, 0, "no B chunk yet");
	tmsg_add_ok(&m, 0);
	cr_assert_eq(rec.ncalls, 3);
	cr_assert_eq(rec.calls[0].iovcnt, 16);
	cr_assert_eq(rec.calls[1].iovcnt, 16);
	cr_assert_eq(rec.calls[2].iovcnt, 7);
	cr_assert(!rec.calls[0].eor && !rec.calls[1].eor && !rec.calls[2].eor);
	tmsg_add_ok(&m, 39);
	cr_assert_eq(rec.ncalls, 4);
	cr_assert(rec.calls[3].eor);
	assert_got(0, &m);
	tmsg_free(&m);
}

LEAK_CHECKED_TEST(reasm, pd_point_zero_is_taken_as_one)
{
	uint8_t x = 42;

	start(1, 0);
	cr_assert_eq(R.pd_point, 1);
	add_ok(5, 0, 0, FB, &x, 1);
	cr_assert_eq(rec.ncalls, 1);
	cr_assert(!rec.calls[0].eor);
	add_ok(6, 0, 0, 0, &x, 1);
	add_ok(7, 0, 0, FE, &x, 1);
	cr_assert_eq(rec.ncalls, 3);
	cr_assert(rec.calls[2].eor);
	cr_assert_eq(rec.msgs[0].len, 3);
	cr_assert_eq(cenv.total, 1, "in-order partial delivery copies nothing");
}

/*
 * RFC 9260 6.9 violations: -EPROTO, and nothing changed
 */

struct snap {
	size_t queued, live, ncalls;
	uint64_t n_bytes;
	bool pd;
};

static struct snap
snap(void)
{
	struct snap s = {
		.queued = R.queued,
		.live = cenv.live,
		.ncalls = rec.ncalls,
		.n_bytes = R.n_bytes,
		.pd = dpsctp_reasm_pd(&R, NULL, NULL),
	};

	return s;
}

static void
assert_unchanged(const struct snap *s)
{
	cr_assert_eq(R.queued, s->queued);
	cr_assert_eq(cenv.live, s->live);
	cr_assert_eq(rec.ncalls, s->ncalls);
	cr_assert_eq(R.n_bytes, s->n_bytes);
	cr_assert_eq(dpsctp_reasm_pd(&R, NULL, NULL), s->pd);
}

static void
add_eproto(uint32_t tsn, uint16_t sid, uint16_t ssn, uint8_t flags)
{
	struct snap s = snap();
	uint8_t x = 1;
	int rc = add(tsn, sid, ssn, flags, 0, &x, 1);

	cr_assert_eq(rc, -EPROTO, "tsn %#x flags %#x: rc %d, want -EPROTO", tsn, flags, rc);
	assert_unchanged(&s);
}

LEAK_CHECKED_TEST(reasm, b_chunk_inside_a_message_is_a_protocol_violation)
{
	uint8_t x = 1;

	start(2, NO_PD);
	add_ok(10, 0, 0, FB, &x, 1);
	add_eproto(11, 0, 0, FB);
	add_eproto(11, 0, 0, FBE);
	/* the same from the other side: a chunk that is not E, followed by a B chunk */
	add_ok(21, 1, 0, FB, &x, 1);
	add_eproto(20, 1, 0, FB);
	add_eproto(20, 1, 0, 0);
	add_ok(11, 0, 0, FE, &x, 1);
	cr_assert_eq(rec.nmsgs, 1, "the message completes as if nothing happened");
}

LEAK_CHECKED_TEST(reasm, fragments_of_one_message_must_agree_on_stream_ssn_and_u)
{
	uint8_t x = 1;

	start(2, NO_PD);
	add_ok(10, 0, 0, FB, &x, 1);
	add_eproto(11, 1, 0, FE);
	add_eproto(11, 0, 1, FE);
	add_eproto(11, 0, 0, FE | FU);
	add_ok(13, 0, 0, FE, &x, 1);
	add_eproto(12, 1, 0, 0);
	add_eproto(12, 0, 3, 0);
	add_eproto(12, 0, 0, FU);
	add_ok(12, 0, 0, 0, &x, 1);
	add_ok(11, 0, 0, 0, &x, 1);
	cr_assert_eq(rec.nmsgs, 1);
	cr_assert_eq(rec.msgs[0].len, 4);
}

LEAK_CHECKED_TEST(reasm, chunk_after_an_e_chunk_must_be_a_b_chunk)
{
	uint8_t x = 1;

	start(1, NO_PD);
	add_ok(10, 0, 1, FE, &x, 1); /* the end of a message whose B chunk is missing */
	add_eproto(11, 0, 2, FE);
	add_eproto(11, 0, 2, 0);
	add_ok(13, 0, 3, FE, &x, 1);
	add_eproto(12, 0, 2, FBE);
	add_eproto(12, 0, 2, FE);
	add_ok(11, 0, 2, FBE, &x, 1);
	add_ok(12, 0, 3, FB, &x, 1);
	add_ok(9, 0, 1, FB, &x, 1);
	cr_assert_eq(rec.nmsgs, 0);
	add_ok(8, 0, 0, FBE, &x, 1);
	cr_assert_eq(rec.nmsgs, 4);
	cr_assert_eq(rec.msgs[1].len, 2);
	cr_assert_eq(rec.msgs[3].ri.ssn, 3);
}

LEAK_CHECKED_TEST(reasm, partial_delivery_continuation_must_fit_the_message)
{
	uint8_t x[10] = {0};

	start(2, 10);
	add_ok(100, 0, 0, FB, x, 10);
	cr_assert(dpsctp_reasm_pd(&R, NULL, NULL));
	add_eproto(101, 0, 0, FB);
	add_eproto(101, 0, 0, FBE);
	add_eproto(101, 1, 0, FE);
	add_eproto(101, 0, 1, FE);
	add_eproto(101, 0, 0, FE | FU);
	/* a message with the stream and SSN of the one being delivered */
	add_eproto(200, 0, 0, FBE);
	add_ok(101, 0, 0, FE, x, 10);
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	cr_assert_eq(rec.nmsgs, 1);
	cr_assert_eq(rec.msgs[0].len, 20);
}

LEAK_CHECKED_TEST(reasm, two_waiting_messages_with_one_ssn_are_a_protocol_violation)
{
	uint8_t x = 1;

	start(2, NO_PD);
	add_ok(10, 1, 4, FBE, &x, 1);
	add_ok(20, 0, 4, FBE, &x, 1);
	add_ok(30, 1, 6, FBE, &x, 1);
	add_eproto(40, 1, 4, FBE);
	add_eproto(41, 1, 6, FBE);
	add_ok(50, 1, 5, FB, &x, 1);
	add_eproto(51, 1, 5, FE | FU);
	cr_assert_eq(rec.nmsgs, 0);
}

LEAK_CHECKED_TEST(reasm, a_tsn_already_held_is_refused)
{
	uint8_t x = 1;
	struct snap s;

	start(1, NO_PD);
	add_ok(10, 0, 0, FB, &x, 1);
	add_ok(11, 0, 0, 0, &x, 1);
	s = snap();
	cr_assert_eq(add(10, 0, 0, FB, 0, &x, 1), -EINVAL);
	cr_assert_eq(add(11, 0, 0, 0, 0, &x, 1), -EINVAL);
	assert_unchanged(&s);
}

/*
 * Memory
 */

LEAK_CHECKED_TEST(reasm, init_without_memory_fails_cleanly)
{
	struct dpsctp_reasm r;

	testenv_fail_alloc(&cenv, 1, false);
	cr_assert_eq(dpsctp_reasm_init(&r, &env, 10, 100, on_deliver, &rec), -ENOMEM);
	cr_assert_eq(cenv.live, 0);
	cr_assert_eq(dpsctp_reasm_init(&r, &env, 10, 100, on_deliver, &rec), 0);
	dpsctp_reasm_fini(&r);
}

/* Every way a chunk can be held: each refused once for want of memory, then accepted. */
LEAK_CHECKED_TEST(reasm, allocation_failure_changes_nothing_and_a_retry_succeeds)
{
	static const struct {
		uint32_t tsn;
		uint16_t sid, ssn;
		uint8_t flags;
		bool held;
	} seq[] = {
		{101, 0, 1, FBE, true},      /* ordered, not its turn: ready */
		{103, 0, 2, FE, true},       /* incomplete */
		{102, 0, 2, FB, true},       /* completes in ready */
		{110, 1, 0, FB, true},       /* below the partial delivery point */
		{111, 1, 0, 0, false},       /* reaches it: delivered at once */
		{120, 2, 0, FBE | FU, true}, /* unordered during the partial delivery */
		{121, 3, 0, FBE, true},      /* ordered, its turn, during the partial delivery */
		{113, 1, 0, FE, true},       /* after a hole in the partial delivery */
		{112, 1, 0, 0, false},       /* fills it: the end */
		{100, 0, 0, FBE, false},     /* its turn */
	};
	uint8_t x[5] = {1, 2, 3, 4, 5};
	unsigned int i;
	struct snap s;
	int rc;

	start(4, 10);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		s = snap();
		testenv_fail_alloc(&cenv, 1, false);
		rc = add(seq[i].tsn, seq[i].sid, seq[i].ssn, seq[i].flags, 0, x, sizeof(x));
		if (seq[i].held) {
			cr_assert_eq(rc, -ENOMEM, "step %u: rc %d", i, rc);
			assert_unchanged(&s);
		} else {
			cr_assert_eq(rc, 0, "step %u: rc %d (needs no memory)", i, rc);
		}
		testenv_fail_alloc(&cenv, 0, false);
		if (rc != 0)
			cr_assert_eq(add(seq[i].tsn, seq[i].sid, seq[i].ssn, seq[i].flags, 0, x,
					     sizeof(x)),
				0, "step %u: retry", i);
	}
	cr_assert(!dpsctp_reasm_pd(&R, NULL, NULL));
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(R.n_msgs, 6);
	cr_assert_eq(rec.nmsgs, 6);
	cr_assert_eq(cenv.live, 1);
}

LEAK_CHECKED_TEST(reasm, fini_releases_everything_and_delivers_nothing)
{
	uint8_t x[10] = {0};
	size_t calls, msgs;

	start(4, 10);
	add_ok(100, 0, 0, FB, x, 10); /* partial delivery in progress */
	add_ok(103, 0, 0, 0, x, 10);  /* held behind a hole */
	add_ok(110, 1, 0, FBE | FU, x, 10);
	add_ok(111, 2, 0, FBE, x, 10);
	add_ok(112, 3, 5, FBE, x, 10);
	add_ok(120, 3, 7, FB, x, 3);
	add_ok(130, 3, 8, FE, x, 3);
	cr_assert_gt(cenv.live, 5);
	calls = rec.ncalls;
	msgs = rec.nmsgs;
	stop();
	cr_assert_eq(rec.ncalls, calls);
	cr_assert_eq(cenv.live, 0);
	cr_assert_eq(R.queued, 0);

	/* and the queues can be used again (the partly delivered message is abandoned) */
	rec.open = false;
	start(1, NO_PD);
	add_one(5, 0, 0, 0);
	cr_assert_eq(rec.nmsgs, msgs + 1);
	assert_one(msgs, 5, 0, 0, false);
}

/*
 * Differential test: many messages over several streams, random fragmentation, arrival
 * shuffled within a window. After every chunk the model says what must have been delivered
 * by then: every complete unordered message, each stream's complete prefix in SSN order, and
 * no message next in turn with pd_point contiguous bytes from its B chunk may still wait
 * (unless a partial delivery is in progress). Every message arrives exactly once, intact.
 */

struct dmsg {
	struct tmsg m;
	unsigned int ord;     /* ordered: its place in the stream's SSN order */
	unsigned int arrived; /* chunks given */
	bool started;         /* a first part was delivered */
	bool delivered;       /* its eor was delivered */
};

struct dchunk {
	unsigned int msg, frag;
	uint32_t key; /* arrival order */
	unsigned int idx;
};

static struct {
	struct dmsg *msgs;
	size_t nmsgs;
	struct dchunk *chunks;   /* in TSN order, then sorted by arrival */
	unsigned int *chunk_msg; /* by TSN - tsn_base */
	bool *arr;               /* by TSN - tsn_base: given */
	size_t nchunks;
	uint16_t nstreams;
	uint32_t tsn_base, pd_point;
	unsigned int **ord; /* per stream: ordered messages in SSN order */
	unsigned int *nord; /* their number */
	unsigned int *pfx;  /* per stream: complete prefix */
	unsigned int *dlv;  /* per stream: ordered messages delivered (eor) */
	unsigned int *open; /* messages partly arrived */
	size_t nopen;
	size_t complete_u, delivered_u;
	uint64_t arrived_bytes;
	size_t arrived_chunks;
	size_t seen;    /* rec.msgs entries checked to the end */
	bool seen_open; /* rec.msgs[seen] was checked while open */
} D;

static int
dchunk_cmp(const void *a, const void *b)
{
	const struct dchunk *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

static void
diff_generate(void)
{
	static const uint32_t pd_points[] = {1, 50, 500, 3000, NO_PD};
	static const uint32_t windows[] = {1, 3, 16, 64, 300};
	uint32_t window = windows[rnd_below(5)];
	uint32_t p_u = rnd_below(3) * 15;
	uint16_t *next;
	size_t i, n = 0;
	uint32_t tsn;

	memset(&D, 0, sizeof(D));
	D.nstreams = (uint16_t)(1 + rnd_below(8));
	D.nmsgs = 200 + rnd_below(200);
	D.pd_point = pd_points[rnd_below(5)];
	D.tsn_base = 0xffffffffu - rnd_below(3000);
	D.msgs = calloc(D.nmsgs, sizeof(*D.msgs));
	next = calloc(D.nstreams, sizeof(*next));
	D.ord = calloc(D.nstreams, sizeof(*D.ord));
	D.nord = calloc(D.nstreams, sizeof(*D.nord));
	D.pfx = calloc(D.nstreams, sizeof(*D.pfx));
	D.dlv = calloc(D.nstreams, sizeof(*D.dlv));
	cr_assert(D.msgs && next && D.ord && D.nord && D.pfx && D.dlv);
	for (i = 0; i < D.nstreams; i++) {
		D.ord[i] = calloc(D.nmsgs, sizeof(**D.ord));
		cr_assert_not_null(D.ord[i]);
	}
	tsn = D.tsn_base;
	for (i = 0; i < D.nmsgs; i++) {
		struct dmsg *dm = &D.msgs[i];
		uint16_t sid = (uint16_t)rnd_below(D.nstreams);
		bool u = rnd_below(100) < p_u;
		size_t len = 1 + rnd_below(rnd_below(2) != 0 ? 100 : 4000);
		uint32_t maxf = len < 40 ? (uint32_t)len : 40;
		unsigned int nfrag = rnd_below(3) == 0 ? 1 : 1 + rnd_below(maxf);

		tmsg_make(&dm->m, sid, u ? (uint16_t)rnd() : next[sid]++, u, tsn, len, nfrag, true);
		if (!u) {
			dm->ord = D.nord[sid];
			D.ord[sid][D.nord[sid]++] = (unsigned int)i;
		}
		tsn += nfrag;
		n += nfrag;
	}
	D.nchunks = n;
	D.chunks = calloc(n, sizeof(*D.chunks));
	D.chunk_msg = calloc(n, sizeof(*D.chunk_msg));
	D.arr = calloc(n, sizeof(*D.arr));
	D.open = calloc(D.nmsgs, sizeof(*D.open));
	cr_assert(D.chunks && D.chunk_msg && D.arr && D.open);
	n = 0;
	for (i = 0; i < D.nmsgs; i++) {
		unsigned int f;

		for (f = 0; f < D.msgs[i].m.nfrag; f++, n++) {
			D.chunks[n].msg = (unsigned int)i;
			D.chunks[n].frag = f;
			D.chunks[n].idx = (unsigned int)n;
			D.chunks[n].key = (uint32_t)n + rnd_below(window);
			D.chunk_msg[n] = (unsigned int)i;
		}
	}
	qsort(D.chunks, n, sizeof(*D.chunks), dchunk_cmp);
	free(next);
}

static void
diff_free(void)
{
	size_t i;

	for (i = 0; i < D.nmsgs; i++)
		tmsg_free(&D.msgs[i].m);
	for (i = 0; i < D.nstreams; i++)
		free(D.ord[i]);
	free(D.msgs);
	free(D.ord);
	free(D.nord);
	free(D.pfx);
	free(D.dlv);
	free(D.chunks);
	free(D.chunk_msg);
	free(D.arr);
	free(D.open);
	memset(&D, 0, sizeof(D));
}

/* Check what was delivered since the last call: order, content, exactly once. */
static void
diff_check_deliveries(void)
{
	size_t i;

	for (i = D.seen; i < rec.nmsgs; i++) {
		const struct got *g = &rec.msgs[i];
		uint32_t off = g->ri.tsn - D.tsn_base;
		struct dmsg *dm;

		cr_assert_lt(off, D.nchunks, "delivered tsn %#x was never sent", g->ri.tsn);
		dm = &D.msgs[D.chunk_msg[off]];
		cr_assert_eq(
			dm->m.tsn0, g->ri.tsn, "delivery named tsn %#x, not a B chunk", g->ri.tsn);
		if (!(i == D.seen && D.seen_open)) {
			cr_assert(!dm->started, "message tsn %#x delivered twice", g->ri.tsn);
			dm->started = true;
			if (!dm->m.u)
				cr_assert_eq(D.dlv[dm->m.sid], dm->ord,
					"stream %u: SSN %u delivered out of order", dm->m.sid,
					dm->m.ssn);
		}
		cr_assert_eq(g->ri.sid, dm->m.sid);
		cr_assert_eq(g->ri.ssn, dm->m.ssn);
		cr_assert_eq(g->ri.ppid, dm->m.ppid);
		cr_assert_eq(g->ri.flags, dm->m.u ? DPSCTP_SND_UNORDERED : 0);
		cr_assert_leq(g->len, dm->m.len);
		cr_assert(memcmp(g->data, dm->m.data, g->len) == 0, "tsn %#x: content differs",
			g->ri.tsn);
		if (!g->eor) {
			cr_assert_eq(i + 1, rec.nmsgs);
			D.seen = i;
			D.seen_open = true;
			return;
		}
		cr_assert_eq(g->len, dm->m.len, "tsn %#x: eor after %zu of %zu bytes", g->ri.tsn,
			g->len, dm->m.len);
		dm->delivered = true;
		if (dm->m.u)
			D.delivered_u++;
		else
			D.dlv[dm->m.sid]++;
	}
	D.seen = rec.nmsgs;
	D.seen_open = false;
}

/* Bytes from the B chunk on without a hole. */
static size_t
diff_contiguous(const struct dmsg *dm)
{
	uint32_t base = dm->m.tsn0 - D.tsn_base;
	unsigned int f;

	for (f = 0; f < dm->m.nfrag && D.arr[base + f]; f++)
		;
	return dm->m.off[f];
}

/* What must have happened by now. */
static void
diff_check_model(void)
{
	uint16_t sid, ssn;
	size_t i;

	cr_assert_eq(R.queued, D.arrived_bytes - R.n_bytes, "queued %zu, held %llu", R.queued,
		(unsigned long long)(D.arrived_bytes - R.n_bytes));
	cr_assert_eq(cenv.live, 1 + D.arrived_chunks - rec.chunks, "%zu allocations for %zu held",
		(size_t)(cenv.live - 1), D.arrived_chunks - rec.chunks);
	for (i = 0; i < D.nstreams; i++) {
		while (D.pfx[i] < D.nord[i]) {
			const struct dmsg *dm = &D.msgs[D.ord[i][D.pfx[i]]];

			if (dm->arrived != dm->m.nfrag)
				break;
			D.pfx[i]++;
		}
	}
	if (dpsctp_reasm_pd(&R, &sid, &ssn)) {
		const struct got *g = &rec.msgs[rec.nmsgs - 1];

		cr_assert(rec.open, "partial delivery reported, none under way");
		cr_assert_eq(g->ri.sid, sid);
		cr_assert_eq(g->ri.ssn, ssn);
		return;
	}
	cr_assert(!rec.open, "a message was left half delivered");
	cr_assert_eq(D.delivered_u, D.complete_u, "%zu complete unordered messages wait",
		D.complete_u - D.delivered_u);
	for (i = 0; i < D.nstreams; i++)
		cr_assert_eq(D.dlv[i], D.pfx[i], "stream %zu: %u delivered, %u deliverable", i,
			D.dlv[i], D.pfx[i]);
	for (i = 0; i < D.nopen; i++) {
		const struct dmsg *dm = &D.msgs[D.open[i]];

		if (!dm->m.u && dm->ord != D.pfx[dm->m.sid])
			continue;
		cr_assert_lt(diff_contiguous(dm), D.pd_point,
			"message tsn %#x has %zu bytes from B, pd_point %u, not delivered",
			dm->m.tsn0, diff_contiguous(dm), D.pd_point);
	}
}

static void
diff_note_arrival(const struct dchunk *c)
{
	struct dmsg *dm = &D.msgs[c->msg];
	size_t i;

	D.arr[c->idx] = true;
	D.arrived_bytes += dm->m.off[c->frag + 1] - dm->m.off[c->frag];
	D.arrived_chunks++;
	dm->arrived++;
	if (dm->arrived == 1 && dm->m.nfrag > 1)
		D.open[D.nopen++] = c->msg;
	if (dm->arrived == dm->m.nfrag) {
		if (dm->m.u)
			D.complete_u++;
		for (i = 0; i < D.nopen && dm->m.nfrag > 1; i++) {
			if (D.open[i] == c->msg) {
				D.open[i] = D.open[--D.nopen];
				break;
			}
		}
	}
}

static void
diff_run(uint64_t seed, bool fail_allocations)
{
	size_t i;

	rng = seed;
	diff_generate();
	start(D.nstreams, D.pd_point);
	for (i = 0; i < D.nchunks; i++) {
		const struct dchunk *c = &D.chunks[i];
		int rc;

		if (fail_allocations) {
			struct snap s = snap();

			testenv_fail_alloc(&cenv, 1, false);
			rc = tmsg_add(&D.msgs[c->msg].m, c->frag);
			testenv_fail_alloc(&cenv, 0, false);
			if (rc == -ENOMEM)
				assert_unchanged(&s);
			else
				cr_assert_eq(rc, 0, "seed %llu chunk %zu: rc %d",
					(unsigned long long)seed, i, rc);
			if (rc != 0)
				rc = tmsg_add(&D.msgs[c->msg].m, c->frag);
		} else {
			rc = tmsg_add(&D.msgs[c->msg].m, c->frag);
		}
		cr_assert_eq(rc, 0, "seed %llu chunk %zu: rc %d", (unsigned long long)seed, i, rc);
		diff_note_arrival(c);
		diff_check_deliveries();
		diff_check_model();
	}
	for (i = 0; i < D.nmsgs; i++)
		cr_assert(D.msgs[i].delivered, "seed %llu: message %zu never delivered",
			(unsigned long long)seed, i);
	cr_assert_eq(R.queued, 0);
	cr_assert_eq(cenv.live, 1);
	cr_assert_eq(R.n_msgs, D.nmsgs);
	assert_empty();
	stop();
	cr_assert_eq(cenv.live, 0);
	rec_reset();
	diff_free();
}

LEAK_CHECKED_TEST(reasm, random_traffic_matches_the_model)
{
	uint64_t seed;

	for (seed = 1; seed <= 200; seed++)
		diff_run(seed, false);
}

LEAK_CHECKED_TEST(reasm, random_traffic_with_allocation_failures_matches_the_model)
{
	uint64_t seed;

	for (seed = 1001; seed <= 1040; seed++)
		diff_run(seed, true);
}
