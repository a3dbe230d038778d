/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulated links (sim.h): one direction from one address to another with a delay, jitter,
 * loss, duplication, reordering, a bandwidth with a FIFO queue, an MTU and an up/down switch;
 * the in-flight packet heap they fill; and the random streams (sim_internal.h) every draw of
 * the simulator comes from.
 *
 * The determinism rules of sim.c hold here too: packets leave the heap by (arrival time,
 * sequence number) and each link draws from its own stream, seeded from its addresses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "sim_pcap.h"
#include "sim.h"

/* ----------------------------------------------------------------------------------------- */
/* Randomness */

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
sim_rng_next(struct rng *r)
{
	uint64_t result = rotl(r->s[1] * 5, 7) * 9;
	uint64_t t = r->s[1] << 17;

	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return result;
}

/* Uniform in [0, 1), 53 bits. */
static double
rng_unit(struct rng *r)
{
	return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t
sim_fnv1a(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* A stream from the seed, a domain and a hash of what owns it. */
void
sim_rng_seed(struct rng *r, uint64_t seed, uint64_t domain, uint64_t what)
{
	uint64_t x = seed;
	int i;

	x ^= testenv_splitmix64(&(uint64_t){domain});
	x ^= testenv_splitmix64(&(uint64_t){what});
	for (i = 0; i < 4; i++)
		r->s[i] = testenv_splitmix64(&x);
}

/* ----------------------------------------------------------------------------------------- */
/* The in-flight heap */

static bool
pkt_before(const struct sim_pkt *a, const struct sim_pkt *b)
{
	return a->arrival < b->arrival || (a->arrival == b->arrival && a->seq < b->seq);
}

static int
heap_push(struct sim *s, struct sim_pkt *p)
{
	size_t i;

	if (s->nheap == s->heap_cap) {
		size_t cap = s->heap_cap != 0 ? 2 * s->heap_cap : 64;
		struct sim_pkt **v = realloc(s->heap, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		s->heap = v;
		s->heap_cap = cap;
	}
	i = s->nheap++;
	while (i > 0 && pkt_before(p, s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = p;
	return 0;
}

struct sim_pkt *
sim_heap_pop(struct sim *s)
{
	struct sim_pkt *top = s->heap[0], *last = s->heap[--s->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && pkt_before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!pkt_before(s->heap[c], last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->nheap > 0)
		s->heap[i] = last;
	return top;
}

void
sim_pkt_heap_free(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->nheap; i++)
		free(s->heap[i]);
	free(s->heap);
	s->heap = NULL;
	s->nheap = s->heap_cap = 0;
}

/* ----------------------------------------------------------------------------------------- */
/* Links */

void
sim_link_params_default(struct sim_link_params *p)
{
	memset(p, 0, sizeof(*p));
	p->delay_ns = 1 * SIM_MS;
	p->mtu = 1500;
}

struct sim_link *
sim_link_add(struct sim *s, const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	const struct sim_link_params *p)
{
	struct sim_link *l, **v;
	uint64_t h;

	if (!sim_addr_valid(src) || src->family != dst->family || p == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (sim_link_find(s, src, dst) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	v = realloc(s->links, (s->nlinks + 1) * sizeof(*v));
	if (v != NULL)
		s->links = v;
	if (l == NULL || v == NULL) {
		free(l);
		errno = ENOMEM;
		return NULL;
	}
	l->sim = s;
	l->src = *src;
	l->dst = *dst;
	l->p = *p;
	h = sim_fnv1a(0xcbf29ce484222325ull, src, sizeof(*src));
	h = sim_fnv1a(h, dst, sizeof(*dst));
	sim_rng_seed(&l->rng, s->seed, DOMAIN_LINK, h);
	s->links[s->nlinks++] = l;
	return l;
}

int
sim_link_add_bidir(struct sim *s, const struct dpsctp_addr *a, const struct dpsctp_addr *b,
	const struct sim_link_params *p, struct sim_link **ab, struct sim_link **ba)
{
	struct sim_link *x, *y;

	/* Checked first, so that a clash leaves no half-built pair behind. */
	if (sim_addr_valid(a) && a->family == b->family &&
		(sim_link_find(s, a, b) != NULL || sim_link_find(s, b, a) != NULL))
		return -EEXIST;
	x = sim_link_add(s, a, b, p);
	if (x == NULL)
		return -errno;
	y = sim_link_add(s, b, a, p);
	if (y == NULL)
		return -errno;
	if (ab != NULL)
		*ab = x;
	if (ba != NULL)
		*ba = y;
	return 0;
}

int
sim_connect(struct sim *s, const struct sim_node *a, const struct sim_node *b,
	const struct sim_link_params *p)
{
	size_t i, j;
	int added = 0, rc;

	for (i = 0; i < a->naddrs; i++) {
		for (j = 0; j < b->naddrs; j++) {
			if (a->addrs[i].family != b->addrs[j].family)
				continue;
			rc = sim_link_add_bidir(s, &a->addrs[i], &b->addrs[j], p, NULL, NULL);
			if (rc != 0)
				return rc;
			added += 2;
		}
	}
	return added;
}

struct sim_link *
sim_link_find(struct sim *s, const struct dpsctp_addr *src, const struct dpsctp_addr *dst)
{
	size_t i;

	for (i = 0; i < s->nlinks; i++)
		if (sim_addr_eq(&s->links[i]->src, src) && sim_addr_eq(&s->links[i]->dst, dst))
			return s->links[i];
	return NULL;
}

struct sim_link *
sim_link_between(
	struct sim *s, const struct sim_node *a, size_t ia, const struct sim_node *b, size_t ib)
{
	if (ia >= a->naddrs || ib >= b->naddrs)
		return NULL;
	return sim_link_find(s, &a->addrs[ia], &b->addrs[ib]);
}

void
sim_link_set_params(struct sim_link *l, const struct sim_link_params *p)
{
	l->p = *p;
}

const struct sim_link_params *
sim_link_params(const struct sim_link *l)
{
	return &l->p;
}

void
sim_link_set_up(struct sim_link *l, bool up)
{
	l->p.down = !up;
}

int
sim_link_set_up_bidir(
	struct sim *s, const struct dpsctp_addr *a, const struct dpsctp_addr *b, bool up)
{
	struct sim_link *l;
	int n = 0;

	if ((l = sim_link_find(s, a, b)) != NULL) {
		sim_link_set_up(l, up);
		n++;
	}
	if ((l = sim_link_find(s, b, a)) != NULL) {
		sim_link_set_up(l, up);
		n++;
	}
	return n;
}

const struct sim_link_stats *
sim_link_stats(const struct sim_link *l)
{
	return &l->st;
}

const struct dpsctp_addr *
sim_link_src(const struct sim_link *l)
{
	return &l->src;
}

const struct dpsctp_addr *
sim_link_dst(const struct sim_link *l)
{
	return &l->dst;
}

/* Is the FIFO in front of the wire too full to take @p ip_len more bytes? */
static bool
queue_full(const struct sim_link *l, uint64_t now, size_t ip_len)
{
	double backlog;

	if (l->p.queue_bytes == 0 || l->p.bandwidth_bps == 0 || l->busy_until <= now)
		return false;
	backlog = (double)(l->busy_until - now) * (double)l->p.bandwidth_bps / 8e9;
	return backlog + (double)ip_len > (double)l->p.queue_bytes;
}

static uint64_t
serialisation_ns(const struct sim_link *l, size_t ip_len)
{
	uint64_t bits = (uint64_t)ip_len * 8;

	if (l->p.bandwidth_bps == 0)
		return 0;
	return (bits * 1000000000ull + l->p.bandwidth_bps - 1) / l->p.bandwidth_bps;
}

static int
schedule(struct sim *s, struct sim_link *l, const uint8_t *pkt, size_t len, uint64_t arrival,
	uint64_t *seq)
{
	struct sim_pkt *p = malloc(sizeof(*p) + len);

	if (p == NULL)
		return -ENOMEM;
	p->arrival = arrival;
	p->seq = s->seq++;
	p->link = l;
	p->len = len;
	memcpy(p->data, pkt, len);
	if (heap_push(s, p) != 0) {
		free(p);
		return -ENOMEM;
	}
	*seq = p->seq;
	return 0;
}

/* The packet made it onto the wire: draw its fate and put it (and a duplicate) in flight. */
static void
wire(struct sim *s, struct sim_link *l, const uint8_t *pkt, size_t len, size_t ip_len,
	struct sim_tx_result *r)
{
	/* Always the same four draws per packet, so that changing one probability does not
	 * shift the draws behind it. */
	double u_loss = rng_unit(&l->rng), u_dup = rng_unit(&l->rng);
	double u_reorder = rng_unit(&l->rng);
	uint64_t j = sim_rng_next(&l->rng), arrival, seq = 0;
	uint64_t start = l->busy_until > s->now ? l->busy_until : s->now;

	/* A lost packet still used the wire: it was sent and vanished on the way. */
	l->busy_until = start + serialisation_ns(l, ip_len);
	if (u_loss < l->p.loss) {
		l->st.lost++;
		r->outcome = SIM_TX_LOST;
		return;
	}
	arrival = l->busy_until + l->p.delay_ns;
	if (l->p.jitter_ns != 0)
		arrival += j % (l->p.jitter_ns + 1);
	/* Jitter alone keeps the order, as on a single path; only @c reorder overtakes. */
	if (arrival < l->fifo_last)
		arrival = l->fifo_last;
	if (u_reorder < l->p.reorder) {
		uint64_t extra = l->p.reorder_delay_ns;

		if (extra == 0)
			extra = l->p.delay_ns > SIM_MS ? l->p.delay_ns : SIM_MS;
		arrival += extra;
		r->reordered = true;
		l->st.reordered++;
	} else {
		l->fifo_last = arrival;
	}
	if (schedule(s, l, pkt, len, arrival, &seq) != 0)
		goto nomem;
	r->outcome = SIM_TX_SCHEDULED;
	r->arrival = arrival;
	r->seq = seq;
	if (u_dup < l->p.duplication) {
		if (schedule(s, l, pkt, len, arrival, &seq) != 0)
			goto nomem;
		r->duplicated = true;
		l->st.duplicated++;
	}
	return;
nomem:
	sim_fail(s, "out of memory for packets in flight");
	r->outcome = SIM_TX_NOMEM;
}

enum sim_tx_outcome
sim_link_transmit(struct sim *s, struct sim_link *l, const uint8_t *pkt, size_t len,
	struct sim_tx_result *res)
{
	size_t ip_len = len + sim_ip_hdr_len(l->src.family);
	struct sim_tx_result r;

	memset(&r, 0, sizeof(r));
	l->st.sent++;
	l->st.bytes_sent += ip_len;
	if (l->p.down) {
		l->st.dropped_down++;
		r.outcome = SIM_TX_DROP_DOWN;
	} else if (l->p.mtu != 0 && ip_len > l->p.mtu) {
		l->st.dropped_mtu++;
		r.outcome = SIM_TX_DROP_MTU;
	} else if (queue_full(l, s->now, ip_len)) {
		l->st.dropped_queue++;
		r.outcome = SIM_TX_DROP_QUEUE;
	} else {
		wire(s, l, pkt, len, ip_len, &r);
	}
	if (res != NULL)
		*res = r;
	return r.outcome;
}
