/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network simulator (sim.h): nodes, links, the in-flight packet heap and the run loop.
 *
 * Determinism rules kept throughout: nodes and links are visited in creation order, packets
 * leave the heap by (arrival time, sequence number), and every random draw comes from a stream
 * that depends only on the seed and on what it belongs to (node name and incarnation, or link
 * addresses), so adding a link or a node does not shift the draws of the others.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c_ref.h"
#include "packet.h"
#include "sim_pcap.h"
#include "sim.h"
#include "wbuf.h"

/* Stream domains, so that a node and a link can never share a random stream. */
#define DOMAIN_NODE 0x6e6f6465ull /* "node" */
#define DOMAIN_LINK 0x6c696e6bull /* "link" */

#define ALLOC_MAGIC 0x73696d616c6c6f63ull /* "simalloc" */
#define POISON_BYTE 0x6b

/* Event types and sac_states indexed directly; engine.h numbers them from 1. */
#define EV_TYPES 16
#define AC_STATES 8

/* xoshiro256** (Blackman and Vigna), seeded with splitmix64 as its authors recommend. */
struct rng {
	uint64_t s[4];
};

struct tracked {
	struct dpsctp_assoc *a;
	uint32_t id;
};

struct sim_node {
	struct sim *sim;
	char *name;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	size_t naddrs;
	uint16_t port;
	bool listen;
	bool has_cfg;
	struct dpsctp_proto_config cfg;
	struct dpsctp_endpoint *ep; /* NULL while stopped */
	unsigned int incarnation;
	struct rng rng;
	uint64_t fail_at; /* alloc.total value whose request fails; 0: none */
	bool fail_persistent;
	struct sim_alloc_stats alloc;
	struct sim_node_stats stats;
	struct sim_log_entry *log; /* SIM_LOG_MAX entries */
	size_t nlog;
	uint64_t log_overflow;
	uint64_t ev_count[EV_TYPES][AC_STATES];
	uint64_t state_count[DPSCTP_STATE_COUNT];
	struct tracked assocs[SIM_MAX_ASSOCS]; /* in the order they were first seen */
	size_t nassocs;
};

struct sim_link {
	struct sim *sim;
	struct dpsctp_addr src;
	struct dpsctp_addr dst;
	struct sim_link_params p;
	struct sim_link_stats st;
	struct rng rng;
	uint64_t busy_until; /* the wire is serialising until then */
	uint64_t fifo_last;  /* arrival of the last packet that was not held back */
};

struct sim_pkt {
	uint64_t arrival;
	uint64_t seq;
	struct sim_link *link;
	size_t len;
	uint8_t data[];
};

struct sim {
	uint64_t seed;
	uint64_t now;
	char err[256];
	bool has_err;
	struct sim_node **nodes;
	size_t nnodes;
	struct sim_link **links;
	size_t nlinks;
	struct sim_pkt **heap; /* min-heap on (arrival, seq) */
	size_t nheap;
	size_t heap_cap;
	uint64_t seq;
	uint32_t spin; /* steps in a row at the same virtual time */
	struct sim_stats stats;
	sim_tap_fn tx_tap;
	void *tx_arg;
	sim_tap_fn rx_tap;
	void *rx_arg;
	sim_event_hook_fn hook;
	void *hook_arg;
	struct sim_pcap *pcap;
	uint64_t pcap_count;
	uint8_t txbuf[DPSCTP_MAX_PACKET];
	uint8_t rxbuf[DPSCTP_MAX_PACKET];
};

/* ----------------------------------------------------------------------------------------- */
/* Randomness */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
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
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static uint64_t
fnv1a(uint64_t h, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* A stream from the seed, a domain and a hash of what owns it. */
static void
rng_seed(struct rng *r, uint64_t seed, uint64_t domain, uint64_t what)
{
	uint64_t x = seed;
	int i;

	x ^= splitmix64(&(uint64_t){domain});
	x ^= splitmix64(&(uint64_t){what});
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

/* ----------------------------------------------------------------------------------------- */
/* World */

static void
sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->has_err)
		return;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->has_err = true;
}

struct sim *
sim_create(uint64_t seed)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->seed = seed;
	s->now = SIM_T0;
	return s;
}

static void
node_free(struct sim_node *n)
{
	if (n == NULL)
		return;
	free(n->log);
	free(n->name);
	free(n);
}

static void
pkt_heap_free(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->nheap; i++)
		free(s->heap[i]);
	free(s->heap);
	s->heap = NULL;
	s->nheap = s->heap_cap = 0;
}

void
sim_destroy(struct sim *s)
{
	size_t i;

	if (s == NULL)
		return;
	sim_stop_all(s);
	for (i = 0; i < s->nnodes; i++)
		node_free(s->nodes[i]);
	free(s->nodes);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i]);
	free(s->links);
	pkt_heap_free(s);
	sim_pcap_close(s);
	free(s);
}

uint64_t
sim_now(const struct sim *s)
{
	return s->now;
}

uint64_t
sim_seed(const struct sim *s)
{
	return s->seed;
}

const char *
sim_error(const struct sim *s)
{
	return s->has_err ? s->err : NULL;
}

const struct sim_stats *
sim_stats(const struct sim *s)
{
	return &s->stats;
}

size_t
sim_in_flight(const struct sim *s)
{
	return s->nheap;
}

/* ----------------------------------------------------------------------------------------- */
/* Addresses */

struct dpsctp_addr
sim_addr4(const char *str)
{
	struct dpsctp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, str, a.bytes) == 1)
		a.family = 4;
	return a;
}

struct dpsctp_addr
sim_addr6(const char *str)
{
	struct dpsctp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET6, str, a.bytes) == 1)
		a.family = 6;
	return a;
}

bool
sim_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	if (a->family != b->family)
		return false;
	return memcmp(a->bytes, b->bytes, a->family == 6 ? 16 : 4) == 0;
}

const char *
sim_addr_str(const struct dpsctp_addr *a, char *buf, size_t cap)
{
	int af = a->family == 4 ? AF_INET : AF_INET6;

	if ((a->family != 4 && a->family != 6) ||
		inet_ntop(af, a->bytes, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return buf;
}

static bool
addr_valid(const struct dpsctp_addr *a)
{
	return a->family == 4 || a->family == 6;
}

/* ----------------------------------------------------------------------------------------- */
/* Counting allocator: a header before each block records its owner and size. */

union alloc_hdr {
	max_align_t align;
	struct {
		uint64_t magic;
		const struct sim_node *owner;
		size_t size;
	} h;
};

static bool
alloc_should_fail(struct sim_node *n)
{
	if (n->fail_at == 0 || n->alloc.total < n->fail_at)
		return false;
	return n->alloc.total == n->fail_at || n->fail_persistent;
}

static void *
env_alloc(void *ctx, size_t size)
{
	struct sim_node *n = ctx;
	union alloc_hdr *h;

	n->alloc.total++;
	if (alloc_should_fail(n)) {
		n->alloc.failed++;
		return NULL;
	}
	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (h == NULL) {
		sim_fail(n->sim, "node %s: host out of memory", n->name);
		return NULL;
	}
	h->h.magic = ALLOC_MAGIC;
	h->h.owner = n;
	h->h.size = size;
	n->alloc.live++;
	n->alloc.live_bytes += size;
	if (n->alloc.live_bytes > n->alloc.peak_bytes)
		n->alloc.peak_bytes = n->alloc.live_bytes;
	return h + 1;
}

static void
env_free(void *ctx, void *ptr, size_t size)
{
	struct sim_node *n = ctx;
	union alloc_hdr *h;

	if (ptr == NULL)
		return;
	h = (union alloc_hdr *)ptr - 1;
	if (h->h.magic != ALLOC_MAGIC || h->h.owner != n) {
		/* Not ours (or already freed): leaking it is safer than handing it to free(). */
		n->alloc.bad_frees++;
		sim_fail(n->sim, "node %s: free of a pointer it did not allocate", n->name);
		return;
	}
	if (h->h.size != size) {
		n->alloc.bad_frees++;
		sim_fail(n->sim, "node %s: free of %zu bytes with size %zu", n->name, h->h.size,
			size);
	}
	n->alloc.live--;
	n->alloc.live_bytes -= h->h.size;
	/* Poison, so that a use after free reads garbage even without AddressSanitizer. */
	h->h.magic = 0;
	memset(ptr, POISON_BYTE, h->h.size);
	free(h);
}

static void
env_random(void *ctx, void *buf, size_t len)
{
	struct sim_node *n = ctx;
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t v = rng_next(&n->rng);
		size_t k = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, k);
		p += k;
		len -= k;
	}
}

const struct sim_alloc_stats *
sim_node_alloc_stats(const struct sim_node *n)
{
	return &n->alloc;
}

void
sim_node_fail_alloc(struct sim_node *n, uint64_t nth, bool persistent)
{
	n->fail_at = nth == 0 ? 0 : n->alloc.total + nth;
	n->fail_persistent = persistent;
}

uint64_t
sim_live_allocations(const struct sim *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		sum += s->nodes[i]->alloc.live;
	return sum;
}

uint64_t
sim_live_bytes(const struct sim *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		sum += s->nodes[i]->alloc.live_bytes;
	return sum;
}

/* ----------------------------------------------------------------------------------------- */
/* Upcalls: the log and the association tracking */

static void
track(struct sim_node *n, struct dpsctp_assoc *a, uint32_t id)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < n->nassocs; i++)
		if (n->assocs[i].a == a)
			return;
	if (n->nassocs == SIM_MAX_ASSOCS)
		return;
	n->assocs[n->nassocs].a = a;
	n->assocs[n->nassocs].id = id;
	n->nassocs++;
}

static void
untrack(struct sim_node *n, struct dpsctp_assoc *a)
{
	size_t i;

	for (i = 0; i < n->nassocs; i++) {
		if (n->assocs[i].a != a)
			continue;
		memmove(&n->assocs[i], &n->assocs[i + 1],
			(n->nassocs - i - 1) * sizeof(n->assocs[0]));
		n->nassocs--;
		return;
	}
}

static struct sim_log_entry *
log_append(struct sim_node *n, enum sim_log_kind kind, uint32_t assoc_id)
{
	struct sim_log_entry *e;

	if (n->nlog == SIM_LOG_MAX) {
		n->log_overflow++;
		return NULL;
	}
	e = &n->log[n->nlog++];
	memset(e, 0, sizeof(*e));
	e->time = n->sim->now;
	e->kind = kind;
	e->assoc_id = assoc_id;
	e->incarnation = n->incarnation;
	return e;
}

static void
count_event(struct sim_node *n, const struct dpsctp_event *ev)
{
	unsigned int t = (unsigned int)ev->type, st = 0;

	if (ev->type == DPSCTP_EV_ASSOC_CHANGE)
		st = (unsigned int)ev->u.assoc_change.state;
	if (t >= EV_TYPES)
		t = 0;
	if (st >= AC_STATES)
		st = 0;
	n->ev_count[t][st]++;
}

static void
cb_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct sim_node *n = ctx;
	struct sim_log_entry *e;

	track(n, a, ev->assoc_id);
	count_event(n, ev);
	e = log_append(n, SIM_LOG_EVENT, ev->assoc_id);
	if (e != NULL) {
		e->type = ev->type;
		switch (ev->type) {
		case DPSCTP_EV_ASSOC_CHANGE:
			e->ac_state = ev->u.assoc_change.state;
			e->error = ev->u.assoc_change.error;
			e->outbound_streams = ev->u.assoc_change.outbound_streams;
			e->inbound_streams = ev->u.assoc_change.inbound_streams;
			e->info_len = ev->u.assoc_change.info_len;
			break;
		case DPSCTP_EV_REMOTE_ERROR:
			e->error = ev->u.remote_error.error;
			e->info_len = ev->u.remote_error.causes_len;
			break;
		case DPSCTP_EV_ADAPTATION_INDICATION:
			e->adaptation_ind = ev->u.adaptation.ind;
			break;
		default:
			break;
		}
	}
	if (n->sim->hook != NULL)
		n->sim->hook(n, a, ev, n->sim->hook_arg);
}

static void
cb_state(void *ctx, struct dpsctp_assoc *a, enum dpsctp_state from, enum dpsctp_state to)
{
	struct sim_node *n = ctx;
	/* state_change carries no identifier; reading it is a pure getter on a live association. */
	uint32_t id = dpsctp_assoc_id(a);
	struct sim_log_entry *e;

	track(n, a, id);
	if ((unsigned int)to < DPSCTP_STATE_COUNT)
		n->state_count[to]++;
	e = log_append(n, SIM_LOG_STATE, id);
	if (e != NULL) {
		e->from = from;
		e->to = to;
	}
}

static void
cb_assoc_free(void *ctx, struct dpsctp_assoc *a)
{
	struct sim_node *n = ctx;

	log_append(n, SIM_LOG_FREE, dpsctp_assoc_id(a));
	untrack(n, a);
}

const struct sim_log_entry *
sim_node_log(const struct sim_node *n, size_t *count)
{
	*count = n->nlog;
	return n->log;
}

uint64_t
sim_node_log_overflow(const struct sim_node *n)
{
	return n->log_overflow;
}

void
sim_node_log_clear(struct sim_node *n)
{
	n->nlog = 0;
	n->log_overflow = 0;
	memset(n->ev_count, 0, sizeof(n->ev_count));
	memset(n->state_count, 0, sizeof(n->state_count));
}

uint64_t
sim_node_count_events(const struct sim_node *n, enum dpsctp_event_type type,
	enum dpsctp_assoc_change_state ac_state)
{
	unsigned int t = (unsigned int)type, st;
	uint64_t sum = 0;

	if (t == 0 || t >= EV_TYPES)
		return 0;
	if (type == DPSCTP_EV_ASSOC_CHANGE && ac_state != 0)
		return (unsigned int)ac_state < AC_STATES ? n->ev_count[t][ac_state] : 0;
	for (st = 0; st < AC_STATES; st++)
		sum += n->ev_count[t][st];
	return sum;
}

uint64_t
sim_node_count_states(const struct sim_node *n, enum dpsctp_state to)
{
	return (unsigned int)to < DPSCTP_STATE_COUNT ? n->state_count[to] : 0;
}

enum dpsctp_state
sim_node_last_state(const struct sim_node *n, uint32_t assoc_id)
{
	size_t i = n->nlog;

	while (i-- > 0) {
		const struct sim_log_entry *e = &n->log[i];

		if (assoc_id != 0 && e->assoc_id != assoc_id)
			continue;
		if (e->kind == SIM_LOG_STATE)
			return e->to;
		if (e->kind == SIM_LOG_FREE)
			return DPSCTP_CLOSED;
	}
	return DPSCTP_CLOSED;
}

const struct sim_log_entry *
sim_node_last_event(const struct sim_node *n, enum dpsctp_event_type type,
	enum dpsctp_assoc_change_state ac_state)
{
	size_t i = n->nlog;

	while (i-- > 0) {
		const struct sim_log_entry *e = &n->log[i];

		if (e->kind != SIM_LOG_EVENT || e->type != type)
			continue;
		if (type == DPSCTP_EV_ASSOC_CHANGE && ac_state != 0 && e->ac_state != ac_state)
			continue;
		return e;
	}
	return NULL;
}

void
sim_set_event_hook(struct sim *s, sim_event_hook_fn fn, void *arg)
{
	s->hook = fn;
	s->hook_arg = arg;
}

/* ----------------------------------------------------------------------------------------- */
/* Nodes */

static int
node_create_endpoint(struct sim_node *n)
{
	struct dpsctp_env env = {
		.ctx = n,
		.alloc = env_alloc,
		.free = env_free,
		.random = env_random,
	};
	struct dpsctp_callbacks cb = {
		.ctx = n,
		.event = cb_event,
		.state_change = cb_state,
		.assoc_free = cb_assoc_free,
	};
	struct dpsctp_endpoint_params p = {
		.port = n->port,
		.addrs = n->addrs,
		.naddrs = n->naddrs,
		.listen = n->listen,
		.cfg = n->has_cfg ? &n->cfg : NULL,
	};

	n->incarnation++;
	rng_seed(&n->rng, n->sim->seed, DOMAIN_NODE,
		fnv1a(0xcbf29ce484222325ull, n->name, strlen(n->name)) ^
			((uint64_t)n->incarnation << 32));
	return dpsctp_endpoint_create(&env, &cb, &p, n->sim->now, &n->ep);
}

static int
node_append(struct sim *s, struct sim_node *n)
{
	struct sim_node **v = realloc(s->nodes, (s->nnodes + 1) * sizeof(*v));

	if (v == NULL)
		return -ENOMEM;
	s->nodes = v;
	s->nodes[s->nnodes++] = n;
	return 0;
}

struct sim_node *
sim_node_add(struct sim *s, const char *name, const struct dpsctp_addr *addrs, size_t naddrs,
	uint16_t port, bool listen, const struct dpsctp_proto_config *cfg)
{
	struct sim_node *n;
	size_t i;
	int rc;

	if (name == NULL || addrs == NULL || naddrs == 0 || naddrs > DPSCTP_MAX_ADDRS) {
		errno = EINVAL;
		return NULL;
	}
	if (sim_node_by_name(s, name) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < naddrs; i++) {
		if (!addr_valid(&addrs[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL || (n->name = strdup(name)) == NULL ||
		(n->log = calloc(SIM_LOG_MAX, sizeof(*n->log))) == NULL) {
		node_free(n);
		errno = ENOMEM;
		return NULL;
	}
	n->sim = s;
	memcpy(n->addrs, addrs, naddrs * sizeof(*addrs));
	n->naddrs = naddrs;
	n->port = port;
	n->listen = listen;
	if (cfg != NULL) {
		n->cfg = *cfg;
		n->has_cfg = true;
	}
	rc = node_create_endpoint(n);
	if (rc == 0)
		rc = node_append(s, n);
	if (rc != 0) {
		if (n->ep != NULL)
			dpsctp_endpoint_destroy(n->ep);
		node_free(n);
		errno = -rc;
		return NULL;
	}
	return n;
}

struct sim_node *
sim_node_by_name(struct sim *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		if (strcmp(s->nodes[i]->name, name) == 0)
			return s->nodes[i];
	return NULL;
}

const char *
sim_node_name(const struct sim_node *n)
{
	return n->name;
}

struct dpsctp_endpoint *
sim_node_endpoint(const struct sim_node *n)
{
	return n->ep;
}

const struct dpsctp_addr *
sim_node_addr(const struct sim_node *n, size_t i)
{
	return i < n->naddrs ? &n->addrs[i] : NULL;
}

size_t
sim_node_naddrs(const struct sim_node *n)
{
	return n->naddrs;
}

uint16_t
sim_node_port(const struct sim_node *n)
{
	return n->port;
}

unsigned int
sim_node_incarnation(const struct sim_node *n)
{
	return n->incarnation;
}

void
sim_node_stop(struct sim_node *n)
{
	if (n->ep == NULL)
		return;
	dpsctp_endpoint_destroy(n->ep);
	n->ep = NULL;
	/* assoc_free has emptied the table already; this guards an engine that forgot one. */
	n->nassocs = 0;
}

int
sim_node_start(struct sim_node *n)
{
	int rc;

	if (n->ep != NULL)
		return -EALREADY;
	rc = node_create_endpoint(n);
	if (rc != 0)
		n->ep = NULL;
	return rc;
}

int
sim_node_restart(struct sim_node *n)
{
	sim_node_stop(n);
	return sim_node_start(n);
}

void
sim_stop_all(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		sim_node_stop(s->nodes[i]);
}

int
sim_node_associate(
	struct sim_node *n, const struct sim_node *peer, uint16_t os, struct dpsctp_assoc **out)
{
	struct dpsctp_assoc *a = NULL;
	int rc;

	if (n->ep == NULL || peer->ep == NULL)
		return -ENOTCONN;
	rc = dpsctp_associate(n->ep, peer->addrs, peer->naddrs, peer->port, os, n->sim->now, &a);
	if (rc == 0)
		track(n, a, dpsctp_assoc_id(a));
	if (out != NULL)
		*out = a;
	return rc;
}

struct dpsctp_assoc *
sim_node_assoc(const struct sim_node *n)
{
	return n->nassocs > 0 ? n->assocs[n->nassocs - 1].a : NULL;
}

struct dpsctp_assoc *
sim_node_assoc_by_id(const struct sim_node *n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n->nassocs; i++)
		if (n->assocs[i].id == id)
			return n->assocs[i].a;
	return NULL;
}

size_t
sim_node_assoc_count(const struct sim_node *n)
{
	return n->ep != NULL ? dpsctp_endpoint_assoc_count(n->ep) : 0;
}

const struct sim_node_stats *
sim_node_stats(const struct sim_node *n)
{
	return &n->stats;
}

/* The node a packet for @p dst and SCTP port @p port goes to: the one owning the address and
 * port, else the first owning the address (its endpoint then counts the wrong port). */
static struct sim_node *
node_for(struct sim *s, const struct dpsctp_addr *dst, uint16_t port)
{
	struct sim_node *first = NULL;
	size_t i, j;

	for (i = 0; i < s->nnodes; i++) {
		struct sim_node *n = s->nodes[i];

		for (j = 0; j < n->naddrs; j++) {
			if (!sim_addr_eq(&n->addrs[j], dst))
				continue;
			if (n->port == port)
				return n;
			if (first == NULL)
				first = n;
		}
	}
	return first;
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

static struct sim_pkt *
heap_pop(struct sim *s)
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

	if (!addr_valid(src) || src->family != dst->family || p == NULL) {
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
	h = fnv1a(0xcbf29ce484222325ull, src, sizeof(*src));
	h = fnv1a(h, dst, sizeof(*dst));
	rng_seed(&l->rng, s->seed, DOMAIN_LINK, h);
	s->links[s->nlinks++] = l;
	return l;
}

int
sim_link_add_bidir(struct sim *s, const struct dpsctp_addr *a, const struct dpsctp_addr *b,
	const struct sim_link_params *p, struct sim_link **ab, struct sim_link **ba)
{
	struct sim_link *x, *y;

	/* Checked first, so that a clash leaves no half-built pair behind. */
	if (addr_valid(a) && a->family == b->family &&
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
	uint64_t j = rng_next(&l->rng), arrival, seq = 0;
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

/* ----------------------------------------------------------------------------------------- */
/* Checksums and packet helpers */

void
sim_fill_checksum(uint8_t *pkt, size_t len)
{
	if (len < DPSCTP_COMMON_HDR_LEN)
		return;
	dpsctp_packet_set_checksum(pkt, 0);
	dpsctp_packet_set_checksum(pkt, dpsctp_crc32c_ref(pkt, len));
}

bool
sim_checksum_ok(const uint8_t *pkt, size_t len)
{
	static const uint8_t zero[4];
	uint32_t c;

	if (len < DPSCTP_COMMON_HDR_LEN)
		return false;
	/* RFC 9260 6.8: computed over a zero checksum field; chained so @p pkt stays const. */
	c = dpsctp_crc32c_ref_update(DPSCTP_CRC32C_INIT, pkt, 8);
	c = dpsctp_crc32c_ref_update(c, zero, sizeof(zero));
	c = dpsctp_crc32c_ref_update(c, pkt + 12, len - 12);
	return ~c == dpsctp_packet_get_checksum(pkt);
}

int
sim_pkt_first_chunk(const uint8_t *pkt, size_t len)
{
	if (len < DPSCTP_COMMON_HDR_LEN + DPSCTP_CHUNK_HDR_LEN)
		return -1;
	return pkt[DPSCTP_COMMON_HDR_LEN];
}

bool
sim_pkt_has_chunk(const uint8_t *pkt, size_t len, uint8_t type)
{
	struct dpsctp_packet_info pi;

	/* -EPROTO still describes a well-formed chunk list (INIT bundled: RFC 9260 6.10). */
	if (dpsctp_packet_parse(pkt, len, &pi) != 0)
		return false;
	return dpsctp_packet_has(&pi, type);
}

enum sim_verdict
sim_tap_drop_chunk(struct sim *s, struct sim_node *node, const struct dpsctp_path *path,
	uint8_t *pkt, size_t *len, void *arg)
{
	struct sim_drop_chunk *d = arg;

	(void)s;
	(void)path;
	if (d->from != NULL && d->from != node)
		return SIM_PASS;
	if (!sim_pkt_has_chunk(pkt, *len, d->type))
		return SIM_PASS;
	d->seen++;
	if (d->seen <= d->skip || d->dropped >= d->count)
		return SIM_PASS;
	d->dropped++;
	return SIM_DROP;
}

void
sim_set_tx_tap(struct sim *s, sim_tap_fn fn, void *arg)
{
	s->tx_tap = fn;
	s->tx_arg = arg;
}

void
sim_set_rx_tap(struct sim *s, sim_tap_fn fn, void *arg)
{
	s->rx_tap = fn;
	s->rx_arg = arg;
}

/* ----------------------------------------------------------------------------------------- */
/* Delivery and transmission */

static void
pcap_record(struct sim *s, const struct dpsctp_path *path, const uint8_t *pkt, size_t len)
{
	if (s->pcap == NULL)
		return;
	/* Seen from the receiver: the packet went from its remote address to its local one. */
	if (sim_pcap_writer_write(s->pcap, s->now, &path->remote, &path->local, pkt, len) == 0)
		s->pcap_count++;
}

/* Hand s->rxbuf to @p n: delivery tap, CRC32c, pcap, engine. */
static int
deliver(struct sim *s, struct sim_node *n, const struct dpsctp_path *path, size_t len)
{
	int rc;

	if (s->rx_tap != NULL && s->rx_tap(s, n, path, s->rxbuf, &len, s->rx_arg) == SIM_DROP) {
		s->stats.dropped_by_tap++;
		return -ECANCELED;
	}
	if (len > sizeof(s->rxbuf) || !sim_checksum_ok(s->rxbuf, len)) {
		s->stats.dropped_bad_crc++;
		return -EBADMSG;
	}
	if (n == NULL || n->ep == NULL) {
		s->stats.dropped_no_node++;
		return -ENOTCONN;
	}
	pcap_record(s, path, s->rxbuf, len);
	s->stats.delivered++;
	n->stats.rx_packets++;
	rc = dpsctp_endpoint_input(n->ep, s->rxbuf, len, path, s->now);
	if (rc > 0)
		n->stats.rx_discarded++;
	return rc;
}

static void
arrive(struct sim *s, struct sim_pkt *p)
{
	struct sim_link *l = p->link;
	struct dpsctp_path path = {.local = l->dst, .remote = l->src};
	uint16_t port = p->len >= 4 ? dpsctp_get_be16(p->data + 2) : 0;

	/* A link that went down while the packet was on it loses it. */
	if (l->p.down) {
		l->st.dropped_down++;
		return;
	}
	l->st.delivered++;
	memcpy(s->rxbuf, p->data, p->len);
	deliver(s, node_for(s, &l->dst, port), &path, p->len);
}

static int
inject(struct sim *s, struct sim_node *n, const struct dpsctp_path *path, const uint8_t *pkt,
	size_t len, bool fill)
{
	if (len > sizeof(s->rxbuf))
		return -EMSGSIZE;
	s->stats.injected++;
	memcpy(s->rxbuf, pkt, len);
	if (fill)
		sim_fill_checksum(s->rxbuf, len);
	return deliver(s, n, path, len);
}

int
sim_inject(struct sim *s, struct sim_node *n, const struct dpsctp_path *path, const uint8_t *pkt,
	size_t len)
{
	return inject(s, n, path, pkt, len, true);
}

int
sim_inject_raw(struct sim *s, struct sim_node *n, const struct dpsctp_path *path,
	const uint8_t *pkt, size_t len)
{
	return inject(s, n, path, pkt, len, false);
}

/* One packet the endpoint of @p n produced in s->txbuf: checksum, transmit tap, link. */
static void
transmit(struct sim *s, struct sim_node *n, const struct dpsctp_path *path, size_t len)
{
	enum sim_verdict v = SIM_PASS;
	struct sim_link *l;

	sim_fill_checksum(s->txbuf, len);
	if (s->tx_tap != NULL)
		v = s->tx_tap(s, n, path, s->txbuf, &len, s->tx_arg);
	if (v == SIM_DROP) {
		s->stats.dropped_by_tap++;
		return;
	}
	if (len > sizeof(s->txbuf)) {
		sim_fail(s, "transmit tap grew a packet of node %s past %zu bytes", n->name,
			sizeof(s->txbuf));
		return;
	}
	if (v == SIM_PASS)
		sim_fill_checksum(s->txbuf, len);
	l = sim_link_find(s, &path->local, &path->remote);
	if (l == NULL) {
		s->stats.dropped_no_link++;
		return;
	}
	sim_link_transmit(s, l, s->txbuf, len, NULL);
}

static void
drain(struct sim *s, struct sim_node *n)
{
	unsigned int count = 0;

	while (n->ep != NULL && !s->has_err) {
		struct dpsctp_path path;
		size_t len;

		memset(&path, 0, sizeof(path));
		len = dpsctp_endpoint_output(n->ep, s->txbuf, sizeof(s->txbuf), &path, s->now);
		if (len == 0)
			return;
		if (len > sizeof(s->txbuf)) {
			sim_fail(s, "node %s: output returned %zu bytes for a %zu-byte buffer",
				n->name, len, sizeof(s->txbuf));
			return;
		}
		if (++count > SIM_SPIN_LIMIT) {
			sim_fail(s, "node %s: output never runs dry at %" PRIu64 " ns", n->name,
				s->now);
			return;
		}
		n->stats.tx_packets++;
		s->stats.transmitted++;
		transmit(s, n, &path, len);
	}
}

/* ----------------------------------------------------------------------------------------- */
/* The run loop */

static uint64_t
next_time(const struct sim *s)
{
	uint64_t t = s->nheap > 0 ? s->heap[0]->arrival : DPSCTP_NEVER;
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		const struct sim_node *n = s->nodes[i];
		uint64_t d;

		if (n->ep == NULL)
			continue;
		d = dpsctp_endpoint_next_deadline(n->ep);
		if (d < t)
			t = d;
	}
	return t;
}

static void
fail_stuck(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		struct sim_node *n = s->nodes[i];

		if (n->ep != NULL && dpsctp_endpoint_next_deadline(n->ep) <= s->now) {
			sim_fail(s,
				"virtual time stuck at %" PRIu64 " ns: node %s keeps a deadline "
				"of %" PRIu64 " ns after expire",
				s->now, n->name, dpsctp_endpoint_next_deadline(n->ep));
			return;
		}
	}
	sim_fail(s, "virtual time stuck at %" PRIu64 " ns: %zu packets in flight at that time",
		s->now, s->nheap);
}

/*
 * One step: drain every output, move to the next event if it is not after @p limit, deliver
 * what arrives then and expire the endpoints that are due.
 * @return 1 when a step was taken, 0 when the next event is after @p limit, -1 on error
 */
static int
step(struct sim *s, uint64_t limit)
{
	uint64_t t, seq_end;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		drain(s, s->nodes[i]);
	if (s->has_err)
		return -1;
	t = next_time(s);
	if (t == DPSCTP_NEVER || t > limit)
		return 0;
	if (t > s->now) {
		s->now = t;
		s->spin = 0;
	} else if (++s->spin > SIM_SPIN_LIMIT) {
		fail_stuck(s);
		return -1;
	}
	/* Only what was in flight before this step: a packet sent at this very instant over a
	 * zero-delay link waits for the next step, so that the spin guard sees a storm. */
	seq_end = s->seq;
	while (s->nheap > 0 && s->heap[0]->arrival <= s->now && s->heap[0]->seq < seq_end) {
		struct sim_pkt *p = heap_pop(s);

		arrive(s, p);
		free(p);
	}
	for (i = 0; i < s->nnodes; i++) {
		struct sim_node *n = s->nodes[i];

		if (n->ep == NULL || dpsctp_endpoint_next_deadline(n->ep) > s->now)
			continue;
		n->stats.expire_calls++;
		dpsctp_endpoint_expire(n->ep, s->now);
	}
	return s->has_err ? -1 : 1;
}

static uint64_t
time_plus(uint64_t t, uint64_t dt)
{
	return dt > DPSCTP_NEVER - 1 - t ? DPSCTP_NEVER - 1 : t + dt;
}

static void
run_done(struct sim *s)
{
	if (s->pcap != NULL)
		sim_pcap_writer_flush(s->pcap);
}

bool
sim_run_until(struct sim *s, uint64_t t_abs)
{
	int r;

	while ((r = step(s, t_abs)) > 0)
		;
	if (r == 0 && s->now < t_abs)
		s->now = t_abs;
	run_done(s);
	return r == 0;
}

bool
sim_run_for(struct sim *s, uint64_t dt)
{
	return sim_run_until(s, time_plus(s->now, dt));
}

bool
sim_run_until_cond(struct sim *s, sim_cond_fn cond, void *arg, uint64_t max_dt)
{
	uint64_t limit = time_plus(s->now, max_dt);
	bool ok = false;
	int r;

	if (s->has_err)
		return false;
	if (cond(s, arg)) {
		run_done(s);
		return true;
	}
	while ((r = step(s, limit)) > 0) {
		if (cond(s, arg)) {
			ok = true;
			break;
		}
	}
	if (!ok && r == 0) {
		if (s->now < limit)
			s->now = limit;
		ok = cond(s, arg);
	}
	run_done(s);
	return ok;
}

bool
sim_run_until_idle(struct sim *s, uint64_t max_dt)
{
	uint64_t limit = time_plus(s->now, max_dt);
	int r;

	while ((r = step(s, limit)) > 0)
		;
	run_done(s);
	if (r < 0)
		return false;
	if (s->nheap == 0)
		return true;
	s->now = limit;
	return false;
}

/* ----------------------------------------------------------------------------------------- */
/* pcap */

int
sim_pcap_open(struct sim *s, const char *path)
{
	sim_pcap_close(s);
	s->pcap_count = 0;
	s->pcap = sim_pcap_writer_open(path);
	return s->pcap != NULL ? 0 : -EIO;
}

void
sim_pcap_close(struct sim *s)
{
	sim_pcap_writer_close(s->pcap);
	s->pcap = NULL;
}

uint64_t
sim_pcap_count(const struct sim *s)
{
	return s->pcap_count;
}
