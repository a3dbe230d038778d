/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network simulator (sim.h): nodes, the counting allocator, the upcall log, delivery and
 * the run loop. The links, the in-flight packet heap and the random streams are in sim_link.c;
 * what the two files share is in sim_internal.h.
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
#include "sim_internal.h"
#include "sim_pcap.h"
#include "sim.h"
#include "wbuf.h"

/* ----------------------------------------------------------------------------------------- */
/* World */

void
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
	sim_pkt_heap_free(s);
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

bool
sim_addr_valid(const struct dpsctp_addr *a)
{
	return a->family == 4 || a->family == 6;
}

/* ----------------------------------------------------------------------------------------- */
/* Counting allocator: a header before each block records its owner and size. */

/* The node's testenv allocator (testenv.h); what it finds wrong fails the run. */
static void
node_fault(void *arg, const char *msg)
{
	struct sim_node *n = arg;

	sim_fail(n->sim, "node %s: %s", n->name, msg);
}

static void *
env_alloc(void *ctx, size_t size)
{
	struct sim_node *n = ctx;

	return testenv_alloc(&n->mem, size);
}

static void
env_free(void *ctx, void *ptr, size_t size)
{
	struct sim_node *n = ctx;

	testenv_free(&n->mem, ptr, size);
}

static void
env_random(void *ctx, void *buf, size_t len)
{
	struct sim_node *n = ctx;
	uint8_t *p = buf;

	/* sim_node_force_random() bytes first */
	while (len > 0 && n->forced_pos < n->nforced) {
		*p++ = n->forced[n->forced_pos++];
		len--;
	}
	if (n->forced_pos == n->nforced)
		n->forced_pos = n->nforced = 0;
	while (len > 0) {
		uint64_t v = sim_rng_next(&n->rng);
		size_t k = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, k);
		p += k;
		len -= k;
	}
}

int
sim_node_force_random(struct sim_node *n, const void *bytes, size_t len)
{
	if (n->nforced + len > sizeof(n->forced))
		return -ENOSPC;
	memcpy(n->forced + n->nforced, bytes, len);
	n->nforced += len;
	return 0;
}

const struct testenv *
sim_node_alloc_stats(const struct sim_node *n)
{
	return &n->mem;
}

void
sim_node_fail_alloc(struct sim_node *n, uint64_t nth, bool persistent)
{
	testenv_fail_alloc(&n->mem, nth, persistent);
}

uint64_t
sim_live_allocations(const struct sim *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		sum += s->nodes[i]->mem.live;
	return sum;
}

uint64_t
sim_live_bytes(const struct sim *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		sum += s->nodes[i]->mem.live_bytes;
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

void
sim_set_deliver_hook(struct sim *s, sim_deliver_hook_fn fn, void *arg)
{
	s->deliver_hook = fn;
	s->deliver_arg = arg;
}

static void
cb_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct sim_node *n = ctx;

	if (n->sim->deliver_hook != NULL)
		n->sim->deliver_hook(n, a, ri, iov, iovcnt, eor, n->sim->deliver_arg);
}

/* ----------------------------------------------------------------------------------------- */
/* Nodes */

/*
 * Source address selection as a dataplane does it from its routing table: the node's first
 * address that has a link (up or down) to @p remote, else (a default route) its first address
 * of the family; only a family the node has no address of is unreachable.
 */
static int
cb_route(void *ctx, const struct dpsctp_addr *remote, struct dpsctp_addr *local)
{
	struct sim_node *n = ctx;
	size_t i;

	for (i = 0; i < n->naddrs; i++)
		if (sim_link_find(n->sim, &n->addrs[i], remote) != NULL) {
			*local = n->addrs[i];
			return 0;
		}
	for (i = 0; i < n->naddrs; i++)
		if (n->addrs[i].family == remote->family) {
			*local = n->addrs[i];
			return 0;
		}
	return -EHOSTUNREACH;
}

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
		.deliver = cb_deliver,
		.route = cb_route,
	};
	struct dpsctp_endpoint_params p = {
		.port = n->port,
		.addrs = n->addrs,
		.naddrs = n->naddrs,
		.listen = n->listen,
		.cfg = n->has_cfg ? &n->cfg : NULL,
	};

	n->incarnation++;
	sim_rng_seed(&n->rng, n->sim->seed, DOMAIN_NODE,
		sim_fnv1a(0xcbf29ce484222325ull, n->name, strlen(n->name)) ^
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
		if (!sim_addr_valid(&addrs[i])) {
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
	n->mem.fault = node_fault;
	n->mem.fault_arg = n;
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
		struct sim_pkt *p = sim_heap_pop(s);

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
