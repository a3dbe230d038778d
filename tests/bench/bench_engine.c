/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Engine-only cost of data transfer, without I/O, on one core: two endpoints in one process,
 * packets handed from one's output to the other's input directly (no simulator, no links), the
 * clock a variable this program advances.
 *
 *   receiver: ns per received single-chunk DATA packet, including its share of the SACKs
 *             (sack_freq 2: one SACK per two packets). Pre-built DATA packets of an established
 *             association go to dpsctp_endpoint_input(); after each, dpsctp_endpoint_output()
 *             is drained (the SACK built every second packet). Delivery frees the window at
 *             once (no rcv_app_window); the deliver callback only counts bytes.
 *   sender:   ns per sent message including SACK processing. dpsctp_assoc_send(), then
 *             dpsctp_endpoint_output() (one DATA packet: nodelay, so no Nagle bundling), and
 *             every second message a pre-built cumulative SACK (the express path) goes to
 *             dpsctp_endpoint_input().
 *
 * Both for 100-byte and 1,400-byte messages. CRC32c is skipped both ways: the engine leaves the
 * checksum to the caller (the NIC or the dataplane computes and verifies it), so it is not an
 * engine cost; the dpsctp_crc32c() of one packet is printed as a baseline instead, with a
 * memcpy() of the payload, each measured in the same run and given as a ratio.
 *
 * Memory comes from a small per-size free list in front of malloc() (what a mempool gives the
 * dataplane), so that the figures are the engine's and not glibc's. Timers are not run (no
 * deadline is due in these loops). Packets are patched (TSN, SSN, cumulative ack) in batches
 * outside the timed region.
 *
 * Usage: bench_engine [--quick]. Each cell is the best of 10 repetitions of ~20 ms (--quick: 3
 * of ~5 ms). Benchmarks print figures; they never assert on time.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crc32c.h"
#include "engine.h"

#define BATCH 256       /* packets (or messages) per timed batch */
#define PKT_CAP 1500    /* output buffer */
#define AIM_RX_NS 60.0  /* aim: ns per received packet */
#define AIM_TX_NS 50.0  /* aim: ns per sent message */
#define STEP_NS 1000ull /* virtual time per packet */
#define FREE_CLASSES 32

static int reps = 10;
static double rep_ns = 20e6;

/* ---- environment: a free list per allocation size in front of malloc ---- */

struct free_class {
	size_t size;
	void *head; /* singly linked through the first word */
};

static struct free_class classes[FREE_CLASSES];

static void *
env_alloc(void *ctx, size_t size)
{
	unsigned int i;
	void *p;

	(void)ctx;
	for (i = 0; i < FREE_CLASSES && classes[i].size != 0; i++) {
		if (classes[i].size == size && classes[i].head != NULL) {
			p = classes[i].head;
			memcpy(&classes[i].head, p, sizeof(void *));
			return p;
		}
	}
	return malloc(size < sizeof(void *) ? sizeof(void *) : size);
}

static void
env_free(void *ctx, void *ptr, size_t size)
{
	unsigned int i;

	(void)ctx;
	for (i = 0; i < FREE_CLASSES; i++) {
		if (classes[i].size == 0)
			classes[i].size = size;
		if (classes[i].size == size) {
			memcpy(ptr, &classes[i].head, sizeof(void *));
			classes[i].head = ptr;
			return;
		}
	}
	free(ptr);
}

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static void
env_random(void *ctx, void *buf, size_t len)
{
	uint8_t *p = buf;

	(void)ctx;
	while (len-- > 0) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		*p++ = (uint8_t)rng_state;
	}
}

static const struct dpsctp_env env = {
	.alloc = env_alloc,
	.free = env_free,
	.random = env_random,
};

/* ---- two endpoints ---- */

struct side {
	struct dpsctp_endpoint *ep;
	struct dpsctp_assoc *a; /* its association (the last one that came up) */
	struct dpsctp_addr addr;
	uint16_t port;
	uint64_t bytes; /* delivered */
	uint64_t msgs;  /* delivered whole */
	uint64_t failed;
};

struct pair {
	struct side s[2]; /* [0] connects, [1] listens */
	uint64_t now;
	uint8_t buf[PKT_CAP];
};

static void
cb_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct side *s = ctx;

	if (ev->type == DPSCTP_EV_ASSOC_CHANGE && ev->u.assoc_change.state == DPSCTP_EV_COMM_UP)
		s->a = a;
	if (ev->type == DPSCTP_EV_SEND_FAILED)
		s->failed++;
}

static void
cb_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct side *s = ctx;
	unsigned int i;

	(void)a;
	(void)ri;
	for (i = 0; i < iovcnt; i++)
		s->bytes += iov[i].len;
	s->msgs += eor;
}

static void
cb_free(void *ctx, struct dpsctp_assoc *a)
{
	struct side *s = ctx;

	if (s->a == a)
		s->a = NULL;
}

static void
addr4(struct dpsctp_addr *a, uint8_t last)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->bytes[0] = 198;
	a->bytes[1] = 18;
	a->bytes[3] = last;
}

/* Hand everything each side outputs to the other, until both are quiet. */
static void
pump(struct pair *p)
{
	bool any = true;
	unsigned int i;

	while (any) {
		any = false;
		for (i = 0; i < 2; i++) {
			struct dpsctp_path path;
			size_t n;

			while ((n = dpsctp_endpoint_output(
					p->s[i].ep, p->buf, sizeof(p->buf), &path, p->now)) > 0) {
				struct dpsctp_path back = {
					.local = path.remote, .remote = path.local};

				dpsctp_endpoint_input(p->s[!i].ep, p->buf, n, &back, p->now);
				any = true;
			}
		}
	}
}

/* Two endpoints with an established association between them; 0 or -1. */
static int
pair_setup(struct pair *p, const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_callbacks cb = {
		.event = cb_event,
		.deliver = cb_deliver,
		.assoc_free = cb_free,
	};
	struct dpsctp_assoc *a;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->now = 1000000000ull;
	for (i = 0; i < 2; i++) {
		struct dpsctp_endpoint_params ep = {
			.port = (uint16_t)(5000 + i),
			.naddrs = 1,
			.listen = i == 1,
			.cfg = cfg,
		};

		addr4(&p->s[i].addr, (uint8_t)(1 + i));
		p->s[i].port = ep.port;
		ep.addrs = &p->s[i].addr;
		cb.ctx = &p->s[i];
		if (dpsctp_endpoint_create(&env, &cb, &ep, p->now, &p->s[i].ep) != 0)
			return -1;
	}
	if (dpsctp_associate(p->s[0].ep, &p->s[1].addr, 1, p->s[1].port, 0, p->now, &a) != 0)
		return -1;
	pump(p);
	if (p->s[0].a == NULL || p->s[1].a == NULL ||
		dpsctp_assoc_state(p->s[0].a) != DPSCTP_ESTABLISHED)
		return -1;
	return 0;
}

static void
pair_teardown(struct pair *p)
{
	dpsctp_endpoint_destroy(p->s[0].ep);
	dpsctp_endpoint_destroy(p->s[1].ep);
}

/* ---- packets, by hand (network byte order) ---- */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A packet with one DATA chunk (B and E, stream 0) of @p len bytes; returns its length. */
static size_t
build_data(uint8_t *pkt, uint16_t sport, uint16_t dport, uint32_t vtag, size_t len)
{
	size_t n = 12 + 16 + len;

	memset(pkt, 0, (n + 3) & ~(size_t)3);
	put16(pkt, sport);
	put16(pkt + 2, dport);
	put32(pkt + 4, vtag);
	pkt[12] = 0; /* DATA */
	pkt[13] = 0x03;
	put16(pkt + 14, (uint16_t)(16 + len));
	put32(pkt + 24, 0x33445566); /* PPID */
	memset(pkt + 28, 0xa5, len);
	return (n + 3) & ~(size_t)3;
}

static void
patch_data(uint8_t *pkt, uint32_t tsn, uint16_t ssn)
{
	put32(pkt + 16, tsn);
	put16(pkt + 22, ssn);
}

/* A packet with a SACK without gap blocks; returns its length. */
static size_t
build_sack(uint8_t *pkt, uint16_t sport, uint16_t dport, uint32_t vtag)
{
	memset(pkt, 0, 28);
	put16(pkt, sport);
	put16(pkt + 2, dport);
	put32(pkt + 4, vtag);
	pkt[12] = 3; /* SACK */
	put16(pkt + 14, 16);
	put32(pkt + 20, 131072); /* a_rwnd */
	return 28;
}

/* ---- timing ---- */

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- receiver ---- */

struct rx {
	struct pair p;
	uint8_t (*pkts)[PKT_CAP];
	size_t len;
	uint32_t tsn;
	uint16_t ssn;
	struct dpsctp_path path; /* as B receives */
	uint64_t sacks;
	uint64_t npkts;
};

/* Feed one batch; returns ns spent in the engine. */
static double
rx_batch(struct rx *r)
{
	struct side *b = &r->p.s[1];
	double t0, t1;
	unsigned int i;

	for (i = 0; i < BATCH; i++)
		patch_data(r->pkts[i], r->tsn + i, (uint16_t)(r->ssn + i));
	t0 = now_ns();
	for (i = 0; i < BATCH; i++) {
		struct dpsctp_path out;

		r->p.now += STEP_NS;
		dpsctp_endpoint_input(b->ep, r->pkts[i], r->len, &r->path, r->p.now);
		while (dpsctp_endpoint_output(b->ep, r->p.buf, PKT_CAP, &out, r->p.now) > 0)
			r->sacks++;
	}
	t1 = now_ns();
	r->tsn += BATCH;
	r->ssn = (uint16_t)(r->ssn + BATCH);
	r->npkts += BATCH;
	return t1 - t0;
}

static int
rx_setup(struct rx *r, size_t payload)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_assoc_status st;
	unsigned int i;

	dpsctp_proto_config_default(&cfg);
	cfg.sack_freq = 2;
	cfg.hb_interval = 0;
	if (pair_setup(&r->p, &cfg) != 0)
		return -1;
	dpsctp_assoc_get_status(r->p.s[1].a, &st);
	r->pkts = aligned_alloc(64, sizeof(*r->pkts) * BATCH);
	if (r->pkts == NULL)
		return -1;
	for (i = 0; i < BATCH; i++)
		r->len = build_data(
			r->pkts[i], r->p.s[0].port, r->p.s[1].port, st.local_vtag, payload);
	r->tsn = st.peer_initial_tsn;
	r->ssn = 0;
	r->path.local = r->p.s[1].addr;
	r->path.remote = r->p.s[0].addr;
	return 0;
}

static void
rx_teardown(struct rx *r)
{
	pair_teardown(&r->p);
	free(r->pkts);
}

/* ---- sender ---- */

struct tx {
	struct pair p;
	uint8_t *msg;
	size_t len;
	uint8_t (*sacks)[32];
	size_t sack_len;
	uint32_t tsn;            /* next TSN A assigns */
	struct dpsctp_path path; /* as A receives */
	uint64_t pkts, bytes_out, msgs, refused;
};

static double
tx_batch(struct tx *t)
{
	struct side *a = &t->p.s[0];
	struct dpsctp_sndinfo si = {.sid = 0, .ppid = 0x33445566};
	struct dpsctp_path out;
	double t0, t1;
	unsigned int i;
	size_t n;

	for (i = 0; i < BATCH / 2; i++)
		put32(t->sacks[i] + 16, t->tsn + 2 * i + 1); /* cum ack: every second message */
	t0 = now_ns();
	for (i = 0; i < BATCH; i++) {
		t->p.now += STEP_NS;
		if (dpsctp_assoc_send(a->a, &si, t->msg, t->len, t->p.now) != 0)
			t->refused++;
		while ((n = dpsctp_endpoint_output(a->ep, t->p.buf, PKT_CAP, &out, t->p.now)) > 0) {
			t->pkts++;
			t->bytes_out += n;
		}
		if (i & 1)
			dpsctp_endpoint_input(
				a->ep, t->sacks[i / 2], t->sack_len, &t->path, t->p.now);
	}
	t1 = now_ns();
	t->tsn += BATCH;
	t->msgs += BATCH;
	return t1 - t0;
}

static int
tx_setup(struct tx *t, size_t payload)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_assoc_status st;
	unsigned int i;

	dpsctp_proto_config_default(&cfg);
	cfg.sack_freq = 2;
	cfg.hb_interval = 0;
	cfg.nodelay = true;
	if (pair_setup(&t->p, &cfg) != 0)
		return -1;
	dpsctp_assoc_get_status(t->p.s[0].a, &st);
	t->msg = malloc(payload);
	t->sacks = malloc(sizeof(*t->sacks) * (BATCH / 2));
	if (t->msg == NULL || t->sacks == NULL)
		return -1;
	memset(t->msg, 0x5a, payload);
	t->len = payload;
	for (i = 0; i < BATCH / 2; i++)
		t->sack_len =
			build_sack(t->sacks[i], t->p.s[1].port, t->p.s[0].port, st.local_vtag);
	t->tsn = st.local_initial_tsn;
	t->path.local = t->p.s[0].addr;
	t->path.remote = t->p.s[1].addr;
	return 0;
}

static void
tx_teardown(struct tx *t)
{
	pair_teardown(&t->p);
	free(t->msg);
	free(t->sacks);
}

/* ---- baselines ---- */

static volatile uint32_t sink;

static double
base_memcpy(uint8_t *dst, const uint8_t *src, size_t len, uint64_t n)
{
	double t0 = now_ns();
	uint64_t i;

	for (i = 0; i < n; i++) {
		memcpy(dst, src, len);
		__asm__ volatile("" : : "r"(dst) : "memory"); /* keep every copy */
	}
	return now_ns() - t0;
}

static double
base_crc(const uint8_t *buf, size_t len, uint64_t n)
{
	double t0 = now_ns();
	uint32_t acc = 0;
	uint64_t i;

	for (i = 0; i < n; i++)
		acc ^= dpsctp_crc32c(buf, len);
	sink ^= acc;
	return now_ns() - t0;
}

/* Best ns per operation of a baseline over the repetitions. */
static double
measure_base(int which, size_t len)
{
	static uint8_t src[PKT_CAP], dst[PKT_CAP];
	double best = 1e300, t;
	uint64_t n = 1000;
	int rep;

	memset(src, 0x77, sizeof(src));
	for (;;) {
		t = which == 0 ? base_memcpy(dst, src, len, n) : base_crc(src, len, n);
		if (t >= rep_ns / 2)
			break;
		n *= 2;
	}
	n = (uint64_t)((double)n * rep_ns / t) + 1;
	for (rep = 0; rep < reps; rep++) {
		t = (which == 0 ? base_memcpy(dst, src, len, n) : base_crc(src, len, n)) /
		    (double)n;
		if (t < best)
			best = t;
	}
	return best;
}

/* ---- main ---- */

struct result {
	double rx_ns, tx_ns, memcpy_ns, crc_ns;
	uint64_t rx_pkts, rx_sacks, rx_bytes, tx_msgs, tx_pkts, tx_refused, tx_failed;
	bool ok;
};

static void
run_size(size_t payload, struct result *res)
{
	struct rx *r = calloc(1, sizeof(*r));
	struct tx *t = calloc(1, sizeof(*t));
	double best, ns, total;
	int rep;

	memset(res, 0, sizeof(*res));
	if (r == NULL || t == NULL || rx_setup(r, payload) != 0 || tx_setup(t, payload) != 0) {
		fprintf(stderr, "bench_engine: setup failed\n");
		free(r);
		free(t);
		return;
	}
	/* warm-up, then repetitions of about rep_ns each; the best batch average of each */
	for (rep = 0; rep < 8; rep++) {
		rx_batch(r);
		tx_batch(t);
	}
	best = 1e300;
	for (rep = 0; rep < reps; rep++) {
		uint64_t n = 0;

		total = 0;
		while (total < rep_ns) {
			total += rx_batch(r);
			n += BATCH;
		}
		ns = total / (double)n;
		if (ns < best)
			best = ns;
	}
	res->rx_ns = best;
	best = 1e300;
	for (rep = 0; rep < reps; rep++) {
		uint64_t n = 0;

		total = 0;
		while (total < rep_ns) {
			total += tx_batch(t);
			n += BATCH;
		}
		ns = total / (double)n;
		if (ns < best)
			best = ns;
	}
	res->tx_ns = best;
	res->memcpy_ns = measure_base(0, payload);
	res->crc_ns = measure_base(1, 12 + 16 + payload);
	res->rx_pkts = r->npkts;
	res->rx_sacks = r->sacks;
	res->rx_bytes = r->p.s[1].bytes;
	res->tx_msgs = t->msgs;
	res->tx_pkts = t->pkts;
	res->tx_refused = t->refused;
	res->tx_failed = t->p.s[0].failed;
	/* the figures mean something only if every packet was taken and every message went */
	res->ok = r->p.s[1].a != NULL && res->rx_bytes == res->rx_pkts * payload &&
		  t->p.s[0].a != NULL && res->tx_refused == 0 && res->tx_pkts == res->tx_msgs;
	rx_teardown(r);
	tx_teardown(t);
	free(r);
	free(t);
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = {100, 1400};
	struct result res[2];
	unsigned int i;

	if (argc == 2 && strcmp(argv[1], "--quick") == 0) {
		reps = 3;
		rep_ns = 5e6;
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
		return 2;
	}
	for (i = 0; i < 2; i++)
		run_size(sizes[i], &res[i]);

	printf("Engine-only data transfer cost, one core, no I/O (best of %d x ~%.0f ms per "
	       "cell)\n",
		reps, rep_ns / 1e6);
	printf("CRC32c not computed (the NIC or the dataplane does it): see the crc32c "
	       "baseline.\n\n");
	printf("| message | rx ns/packet | aim | rx / memcpy | rx / crc32c | tx ns/message | aim | "
	       "tx / memcpy | tx / crc32c | memcpy ns | crc32c ns (packet) |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < 2; i++) {
		const struct result *x = &res[i];

		printf("| %zu B | %.1f | < %.0f | %.1fx | %.1fx | %.1f | < %.0f | %.1fx | %.1fx | "
		       "%.1f | "
		       "%.1f |\n",
			sizes[i], x->rx_ns, AIM_RX_NS, x->rx_ns / x->memcpy_ns,
			x->rx_ns / x->crc_ns, x->tx_ns, AIM_TX_NS, x->tx_ns / x->memcpy_ns,
			x->tx_ns / x->crc_ns, x->memcpy_ns, x->crc_ns);
	}
	printf("\n");
	for (i = 0; i < 2; i++) {
		const struct result *x = &res[i];

		printf("%zu B: receiver %llu packets, %llu SACKs (%.2f per packet), %llu bytes "
		       "delivered; sender %llu messages, %llu packets, %llu refused, %llu "
		       "failed%s\n",
			sizes[i], (unsigned long long)x->rx_pkts, (unsigned long long)x->rx_sacks,
			x->rx_pkts ? (double)x->rx_sacks / (double)x->rx_pkts : 0.0,
			(unsigned long long)x->rx_bytes, (unsigned long long)x->tx_msgs,
			(unsigned long long)x->tx_pkts, (unsigned long long)x->tx_refused,
			(unsigned long long)x->tx_failed,
			x->ok ? "" : "  (WARNING: the run did not go as planned; figures suspect)");
	}
	return 0;
}
