/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target over the whole sans-I/O engine (engine.h): two endpoints in one process, a
 * connecting one (A) and a listening one (B), joined by two one-way links in virtual time. The
 * input is an operation stream (fuzz_engine.h): time passes, packets are delivered, lost,
 * duplicated, reordered, mutated or replayed, raw and crafted packets are injected, user
 * primitives are called, messages are sent and read (slowly, with cfg.rcv_app_window),
 * endpoints restart, allocations fail.
 *
 * Besides "never crash, never leak, never touch memory it does not own", it checks what must
 * hold whatever the peer or the network does (abort() on violation, so libFuzzer reports it):
 *  - every packet the engine outputs fits the buffer, parses (dpsctp_packet_parse), carries our
 *    port and a zero checksum, and each of its chunks decodes with its own decoder;
 *  - state changes follow the RFC 9260 state diagram, from the state the association was in;
 *  - events match the state: COMM_UP once and in ESTABLISHED, exactly one of COMM_LOST,
 *    CANT_STR_ASSOC or SHUTDOWN_COMP before an association is released (none on destroy);
 *  - the engine's view (assoc count, lookup by id, state, tags, packet counters) matches what
 *    the callbacks said and what was given to input and taken from output;
 *  - a deadline due now is expired at once (engine.h), and expire leaves none in the past;
 *  - the primitives return what engine.h documents, in the state they were called in;
 *  - every byte allocated is freed with the size it was allocated with, and nothing is live
 *    after dpsctp_endpoint_destroy;
 *  - data transfer keeps the API's word: dpsctp_assoc_send returns what engine.h says for the
 *    state, the stream, the message size and the free send buffer; deliveries of two messages
 *    never interleave, each lands on a live association and an inbound stream; PARTIAL_DELIVERY
 *    comes only for a partly delivered message and a released association holds none;
 *    SEND_FAILED gives back the message as it was sent, once; SENDER_DRY comes once per
 *    accepted data; the counters (messages sent, failed, delivered; DATA and SACK chunks
 *    output) match what was seen; flight <= bytes held <= send buffer and bytes accepted, cwnd
 *    >= MTU, our window <= a_rwnd less what the application has not read.
 *  - on an honest network (no packet altered or forged that an endpoint then processed;
 *    loss, duplication, reordering, replay and restarts are honest), every message is
 *    delivered intact (stream, order flag and every byte), at most once, in order within its
 *    sender's ordered stream, never after SEND_FAILED said it was never sent, and once its
 *    sender holds nothing any more, every message it accepted was delivered or reported failed.
 *    An association that comes back with the tags of a closed one (a replayed COOKIE ECHO
 *    within the cookie's life, which RFC 9260 allows) lifts the at-most-once and order checks.
 *  - multihoming (FE_OP_ADDRS, FE_OP_PATH, FE_OP_PTB, FE_OP_CONNECTX; fuzz_engine.h): after every
 *    operation each association's paths are consistent - peer addresses without duplicates,
 *    the primary first and the only one marked primary, one data path, valid states, MTU in
 *    512..9216, cwnd >= MTU, the paths' flight summing to the association's, a route being one
 *    of our addresses and (once the engine was told of route changes) the one the harness's
 *    route callback gives, get_paddr_params matching paddr_info; no packet but HEARTBEAT or
 *    HEARTBEAT ACK goes to an UNCONFIRMED or unreachable peer address (RFC 9260 5.4), DATA leaves
 *    from its path's local address; PEER_ADDR_CHANGE names an address the association has or
 *    had, and the last state it reports is the path's state; connectx, set_primary,
 *    set_paddr_params, set_thresholds and icmp_ptb return what engine.h documents, and a
 *    packet-too-big report not believed changes no path MTU (a believed one only its path's).
 * Set DPSCTP_FUZZ_TRACE=1 to print what happens (operations, packets, upcalls) to stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assoc.h"
#include "chunk.h"
#include "engine.h"
#include "packet.h"
#include "render.h"
#include "tlv.h"

#include "fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 (1000 * DPSCTP_MS) /* virtual time starts at 1 s, not 0 */
#define MAX_OPS 512           /* operations per input */
#define QLEN 16               /* packets a link holds; more are lost */
#define HIST 4                /* packets kept per link for FE_OP_REPLAY */
#define POOL (2 * QLEN + 2 * HIST + 2)
#define PKT_MAX (DPSCTP_MAX_PACKET + 256)
#define MAX_TRACK 64   /* associations tracked per endpoint */
#define RUN_STEPS 64   /* steps of FE_OP_RUN */
#define DRAIN_MAX 1024 /* packets one drain may produce before it is a livelock */
#define MAX_JUMP (3600ull * 1000 * DPSCTP_MS)
#define MAX_MSGS 16384   /* messages numbered per direction */
#define ORDER_SLOTS 4096 /* (sender association, stream) pairs whose order is checked */
#define MAX_TAGS 64      /* tag pairs remembered per endpoint */
#define HDR_MAGIC 0x5eed5eedu

#define CHECK(cond)                                \
	do {                                       \
		if (!(cond))                       \
			violated(__LINE__, #cond); \
	} while (0)

static _Noreturn void
violated(int line, const char *what)
{
	fprintf(stderr, "fuzz_engine.c:%d: invariant violated: %s\n", line, what);
	abort();
}

static int trace = -1;

#define TRACE(...)                                    \
	do {                                          \
		if (trace > 0)                        \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)

struct pkt {
	size_t len;
	bool forged;             /* altered or forged: the data in it is not checked */
	struct dpsctp_path path; /* as the sender output it */
	uint8_t buf[PKT_MAX];
};

struct queue {
	struct pkt *p[QLEN];
	unsigned int n;
};

/* An association as the callbacks have shown it. */
struct track {
	struct dpsctp_assoc *a;
	uint32_t id;
	uint32_t uid; /* unique in the run: the sender of a message */
	enum dpsctp_state st;
	bool up;               /* COMM_UP seen */
	unsigned int terminal; /* COMM_LOST / CANT_STR_ASSOC / SHUTDOWN_COMP seen */
	/* data it sent */
	uint64_t nsent;        /* messages accepted */
	uint64_t nsettled;     /* of those, delivered or reported failed */
	uint64_t sent_bytes;   /* bytes accepted */
	uint64_t failed_bytes; /* bytes reported failed */
	bool dry_armed;        /* data accepted since the last SENDER_DRY */
	bool restarted;        /* the peer restarted (what its old incarnation acked may be lost) */
	/* data it received */
	uint64_t held; /* delivered bytes the application has not read (rcv_app_window) */
	bool in_msg;   /* a message is partly delivered */
	bool known;    /* ...and it is one of ours: idx, ri valid */
	uint32_t idx;  /* its number */
	uint32_t off;  /* its bytes delivered so far */
	struct dpsctp_rcvinfo ri; /* of its first deliver call */
	/* its peer addresses after the last operation (PEER_ADDR_CHANGE names one of them) */
	struct dpsctp_addr paddrs[DPSCTP_MAX_ADDRS];
	unsigned int npaddrs;
	unsigned int npaddr_ev; /* PEER_ADDR_CHANGE events seen */
};

/* A message sent, by number (its PPID and send context) in its direction. */
struct msg {
	uint32_t len;
	uint32_t uid; /* sender association */
	uint64_t lifetime;
	uint16_t sid;
	uint16_t flags; /* DPSCTP_SND_* */
	uint8_t st;     /* MSG_* */
};

#define MSG_STARTED 0x01   /* its first byte was delivered */
#define MSG_DELIVERED 0x02 /* its last byte was delivered */
#define MSG_FAILED 0x04    /* SEND_FAILED */
#define MSG_UNSENT 0x08    /* SEND_FAILED said it was never transmitted */

struct fuzz;

#define MAX_NADDR 3   /* addresses of a node */
#define RT_DEFAULT 4  /* route: the default (same index, else the first of the family) */
#define RT_NONE 3     /* route: none (-EHOSTUNREACH) */
#define RT_FOREIGN 5  /* route: an address the endpoint does not have */
#define MAX_PEV 256   /* PEER_ADDR_CHANGE events remembered during one operation */

/* A PEER_ADDR_CHANGE event, checked once the operation is over. */
struct pev {
	uint32_t uid;
	struct dpsctp_addr addr;
	enum dpsctp_paddr_change state;
};

struct node {
	struct fuzz *f;
	const char *name;
	struct dpsctp_endpoint *ep;
	struct dpsctp_addr addrs[MAX_NADDR]; /* addrs[0]: 198.18.0.1 (A) or 198.18.0.2 (B) */
	unsigned int naddr;
	/* the route callback: local address index for peer address 0..2, [3] for addresses that
	 * are not the peer's; RT_* */
	uint8_t rt[4];
	struct pev pev[MAX_PEV];
	unsigned int npev;
	bool pev_overflow;
	uint16_t port;
	bool listen;
	bool hold; /* output is not called */
	bool rt_stale; /* routes changed since the engine last asked (routes_changed) */
	bool slow; /* the application reads only on FE_OP_CONSUME */
	struct dpsctp_proto_config cfg;
	bool destroying;
	bool overflow;      /* more associations than MAX_TRACK: lookups are not checked */
	uint64_t nin, nout; /* packets given to input / taken from output since creation */
	/* since creation: successful sends, SEND_FAILED events, deliver calls with eor, DATA
	 * and SACK chunks output */
	uint64_t nsend, nfailed, neor, ndata, nsack;
	uint64_t tags[MAX_TAGS]; /* tag pairs of associations that came up */
	unsigned int ntags;
	struct track t[MAX_TRACK];
	unsigned int nt;
};

struct heap {
	uint64_t live;   /* allocations not freed */
	uint64_t bytes;  /* bytes not freed */
	uint64_t nalloc; /* allocations asked for */
	uint64_t failed; /* allocations refused */
	uint32_t fail_next;
	uint64_t fail_at; /* refuse allocation number fail_at (0: none) */
};

struct fuzz {
	const uint8_t *in, *end;
	uint64_t rng;
	uint64_t now;
	size_t cap;
	/* the output buffer: exactly cap bytes, so that sanitizers see any write past it */
	uint8_t *out;
	struct heap heap;
	struct node node[2];
	struct queue q[2];    /* q[0]: A->B, q[1]: B->A */
	/* cut[dir][i][j]: packets from address i of the sender (A for dir 0) to address j of the
	 * receiver are lost */
	bool cut[2][MAX_NADDR][MAX_NADDR];
	struct queue hist[2]; /* last packets delivered, newest first */
	struct pkt *free_pkts[POOL];
	unsigned int nfree;
	bool forged;      /* an endpoint processed an altered or forged packet */
	bool resurrected; /* an association came up with the tags of an earlier one */
	bool unordered;   /* too many (sender, stream) pairs: order not checked */
	uint32_t next_uid;
	uint32_t run;     /* run number (order table entries of other runs are stale) */
	uint32_t nmsg[2]; /* messages numbered in each direction (0: A->B) */
};

struct order_slot {
	uint32_t run;
	uint32_t uid;
	uint16_t sid;
	uint32_t next; /* the lowest message number it may deliver next */
};

static struct msg msgs[2][MAX_MSGS];
static struct order_slot order[ORDER_SLOTS];

static struct pkt pool[POOL];
static struct fuzz fz;
static uint32_t runs;

/* ---- input ---- */

static bool
more(const struct fuzz *f)
{
	return f->in < f->end;
}

static uint8_t
rd8(struct fuzz *f)
{
	return f->in < f->end ? *f->in++ : 0;
}

static uint16_t
rd16(struct fuzz *f)
{
	uint16_t v = rd8(f);

	return (uint16_t)(v << 8 | rd8(f));
}

static uint32_t
rd32(struct fuzz *f)
{
	uint32_t v = rd16(f);

	return v << 16 | rd16(f);
}

/* Up to @p n bytes of input; returns how many there were. */
static size_t
rdbytes(struct fuzz *f, uint8_t *out, size_t n)
{
	size_t have = (size_t)(f->end - f->in);

	if (n > have)
		n = have;
	memcpy(out, f->in, n);
	f->in += n;
	return n;
}

/* ---- env: PRNG and a counting allocator ---- */

static uint64_t
rng_next(struct fuzz *f)
{
	/* splitmix64 */
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
env_random(void *ctx, void *buf, size_t len)
{
	struct fuzz *f = ctx;
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t v = rng_next(f);
		size_t k = len < 8 ? len : 8;

		memcpy(p, &v, k);
		p += k;
		len -= k;
	}
}

/* Each block carries its size and a magic word in front, checked when it comes back. */
struct blk {
	uint64_t size;
	uint32_t magic;
	uint32_t pad;
};

static void *
env_alloc(void *ctx, size_t size)
{
	struct fuzz *f = ctx;
	struct blk *b;

	f->heap.nalloc++;
	if (f->heap.fail_next > 0 || f->heap.nalloc == f->heap.fail_at) {
		if (f->heap.fail_next > 0)
			f->heap.fail_next--;
		f->heap.failed++;
		return NULL;
	}
	b = malloc(sizeof(*b) + size);
	if (b == NULL)
		abort();
	b->size = size;
	b->magic = HDR_MAGIC;
	f->heap.live++;
	f->heap.bytes += size;
	return b + 1;
}

static void
env_free(void *ctx, void *ptr, size_t size)
{
	struct fuzz *f = ctx;
	struct blk *b;

	CHECK(ptr != NULL);
	b = (struct blk *)ptr - 1;
	CHECK(b->magic == HDR_MAGIC);
	CHECK(b->size == size);
	CHECK(f->heap.live > 0 && f->heap.bytes >= size);
	b->magic = 0;
	f->heap.live--;
	f->heap.bytes -= size;
	free(b);
}

/* Read every byte of an upcall's buffer, so that sanitizers check it. */
static void
touch(const uint8_t *p, size_t n)
{
	volatile uint8_t sink = 0;
	size_t i;

	CHECK(n == 0 || p != NULL);
	for (i = 0; i < n; i++)
		sink ^= p[i];
	(void)sink;
}

/* ---- messages ---- */

/* Bytes 8w..8w+7 of message @p idx of direction @p dir (byte k is bits 8k..8k+7). */
static uint64_t
msg_word(unsigned int dir, uint32_t idx, uint32_t w)
{
	uint64_t z = ((uint64_t)idx << 32 | w) + (dir != 0 ? 0x5555555555555555ull : 0) +
		0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
msg_fill(unsigned int dir, uint32_t idx, uint8_t *p, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i & 7) == 0)
			v = msg_word(dir, idx, (uint32_t)(i / 8));
		p[i] = (uint8_t)(v >> (8 * (i & 7)));
	}
}

/* Are the @p n bytes at @p p bytes @p off.. of message @p idx? */
static bool
msg_match(unsigned int dir, uint32_t idx, uint64_t off, const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++, off++) {
		if (i == 0 || (off & 7) == 0)
			v = msg_word(dir, idx, (uint32_t)(off / 8));
		if (p[i] != (uint8_t)(v >> (8 * (off & 7))))
			return false;
	}
	return true;
}

/* The order entry of the ordered stream @p sid of sender @p uid; NULL when the table is full.
 * Open addressing; entries of earlier runs count as free (nothing is removed within a run). */
static struct order_slot *
order_slot(struct fuzz *f, uint32_t uid, uint16_t sid)
{
	uint32_t h = (uid * 0x9e3779b1u) ^ (sid * 0x85ebca6bu);
	unsigned int i;

	for (i = 0; i < ORDER_SLOTS; i++) {
		struct order_slot *o = &order[(h + i) & (ORDER_SLOTS - 1)];

		if (o->run != f->run) {
			o->run = f->run;
			o->uid = uid;
			o->sid = sid;
			o->next = 0;
			return o;
		}
		if (o->uid == uid && o->sid == sid)
			return o;
	}
	return NULL;
}

static struct track *track_by_uid(struct node *nd, uint32_t uid);

/* Message @p m of direction @p dir was delivered or failed (@p bit): the first of these
 * settles it for its sender. */
static void
msg_settle(struct fuzz *f, unsigned int dir, struct msg *m, uint8_t bit)
{
	if ((m->st & (MSG_DELIVERED | MSG_FAILED)) == 0) {
		struct track *t = track_by_uid(&f->node[dir], m->uid);

		if (t != NULL)
			t->nsettled++;
	}
	m->st |= bit;
}

/* ---- addresses ---- */

static const char *
addr_str(const struct dpsctp_addr *a)
{
	static char buf[4][48];
	static unsigned int k;
	char *b = buf[k++ & 3];

	if (a->family == 4)
		snprintf(b, 48, "%u.%u.%u.%u", a->bytes[0], a->bytes[1], a->bytes[2], a->bytes[3]);
	else if (a->family == 6)
		snprintf(b, 48, "[%02x%02x:%02x%02x::%02x]", a->bytes[0], a->bytes[1], a->bytes[2],
			a->bytes[3], a->bytes[15]);
	else
		snprintf(b, 48, "family-%u", a->family);
	return b;
}

static const char *
paddr_change_name(enum dpsctp_paddr_change c)
{
	static const char *const names[] = {"?", "AVAILABLE", "UNREACHABLE", "REMOVED", "ADDED",
		"MADE_PRIM", "CONFIRMED", "POTENTIALLY_FAILED"};

	return (unsigned int)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static bool
addr_eq(const struct dpsctp_addr *x, const struct dpsctp_addr *y)
{
	return x->family == y->family && memcmp(x->bytes, y->bytes, sizeof(x->bytes)) == 0;
}

/* Index of @p a among the addresses of @p nd, or -1. */
static int
addr_index(const struct node *nd, const struct dpsctp_addr *a)
{
	unsigned int i;

	for (i = 0; i < nd->naddr; i++)
		if (addr_eq(&nd->addrs[i], a))
			return (int)i;
	return -1;
}

static bool
addr_in(const struct dpsctp_addr *list, unsigned int n, const struct dpsctp_addr *a)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addr_eq(&list[i], a))
			return true;
	return false;
}

/* ---- callbacks ---- */

/* RFC 9260 figure 3, plus 5.2.4 A (a restart re-enters ESTABLISHED from a shutdown state
 * except SHUTDOWN-ACK-SENT), 5.2.6 (a Stale Cookie error sends COOKIE-ECHOED back to
 * COOKIE-WAIT) and 5.2.4 B/D (a COOKIE ECHO completes a collision in COOKIE-WAIT). */
static const bool legal[DPSCTP_STATE_COUNT][DPSCTP_STATE_COUNT] = {
	[DPSCTP_CLOSED] = {[DPSCTP_COOKIE_WAIT] = true, [DPSCTP_ESTABLISHED] = true},
	[DPSCTP_COOKIE_WAIT] = {[DPSCTP_CLOSED] = true,
		[DPSCTP_COOKIE_ECHOED] = true,
		[DPSCTP_ESTABLISHED] = true},
	[DPSCTP_COOKIE_ECHOED] =
		{[DPSCTP_CLOSED] = true, [DPSCTP_COOKIE_WAIT] = true, [DPSCTP_ESTABLISHED] = true},
	[DPSCTP_ESTABLISHED] = {[DPSCTP_CLOSED] = true,
		[DPSCTP_SHUTDOWN_PENDING] = true,
		[DPSCTP_SHUTDOWN_RECEIVED] = true},
	[DPSCTP_SHUTDOWN_PENDING] = {[DPSCTP_CLOSED] = true,
		[DPSCTP_ESTABLISHED] = true,
		[DPSCTP_SHUTDOWN_SENT] = true,
		[DPSCTP_SHUTDOWN_RECEIVED] = true},
	[DPSCTP_SHUTDOWN_SENT] = {[DPSCTP_CLOSED] = true,
		[DPSCTP_ESTABLISHED] = true,
		[DPSCTP_SHUTDOWN_ACK_SENT] = true},
	[DPSCTP_SHUTDOWN_RECEIVED] = {[DPSCTP_CLOSED] = true,
		[DPSCTP_ESTABLISHED] = true,
		[DPSCTP_SHUTDOWN_ACK_SENT] = true},
	[DPSCTP_SHUTDOWN_ACK_SENT] = {[DPSCTP_CLOSED] = true},
};

static struct track *
track_find(struct node *nd, const struct dpsctp_assoc *a)
{
	unsigned int i;

	for (i = 0; i < nd->nt; i++)
		if (nd->t[i].a == a)
			return &nd->t[i];
	return NULL;
}

static struct track *
track_by_uid(struct node *nd, uint32_t uid)
{
	unsigned int i;

	for (i = 0; i < nd->nt; i++)
		if (nd->t[i].uid == uid)
			return &nd->t[i];
	return NULL;
}

static struct track *
track_by_id(struct node *nd, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < nd->nt; i++)
		if (nd->t[i].id == id)
			return &nd->t[i];
	return NULL;
}

/* The association picked by the 2-bit argument, or NULL when the side has none. */
static struct track *
track_pick(struct node *nd, unsigned int idx)
{
	if (nd->ep == NULL || nd->nt == 0)
		return NULL;
	return &nd->t[idx % nd->nt];
}

static void
cb_state(void *ctx, struct dpsctp_assoc *a, enum dpsctp_state from, enum dpsctp_state to)
{
	struct node *nd = ctx;
	struct track *t;

	CHECK(a != NULL);
	CHECK((unsigned int)from < DPSCTP_STATE_COUNT && (unsigned int)to < DPSCTP_STATE_COUNT);
	CHECK(from != to);
	CHECK(dpsctp_assoc_state(a) == to);
	TRACE("    %s#%u %s -> %s\n", nd->name, dpsctp_assoc_id(a), dpsctp_state_name(from),
		dpsctp_state_name(to));
	CHECK(legal[from][to]);
	t = track_find(nd, a);
	if (t == NULL) {
		if (nd->overflow)
			return;
		/* a new association: its first change is out of CLOSED */
		CHECK(from == DPSCTP_CLOSED);
		CHECK(dpsctp_assoc_id(a) != 0);
		CHECK(track_by_id(nd, dpsctp_assoc_id(a)) == NULL);
		if (nd->nt == MAX_TRACK) {
			nd->overflow = true;
			return;
		}
		t = &nd->t[nd->nt++];
		memset(t, 0, sizeof(*t));
		t->a = a;
		t->id = dpsctp_assoc_id(a);
		t->uid = ++nd->f->next_uid;
	} else {
		/* from the state it was in; nothing comes back from CLOSED */
		CHECK(t->st == from);
		CHECK(from != DPSCTP_CLOSED);
	}
	t->st = to;
}

/* An association came up (or restarted) with these tags: the same pair as an earlier one of
 * this endpoint means a replayed COOKIE ECHO brought a closed association back (RFC 9260 5.1.5
 * bounds that by the cookie's life), and replayed DATA may then be delivered again. */
static void
tags_seen(struct node *nd, struct dpsctp_assoc *a)
{
	struct dpsctp_assoc_status s;
	uint64_t pair;
	unsigned int i;

	dpsctp_assoc_get_status(a, &s);
	pair = (uint64_t)s.local_vtag << 32 | s.peer_vtag;
	for (i = 0; i < nd->ntags; i++) {
		if (nd->tags[i] == pair) {
			TRACE("    %s#%u came back with old tags\n", nd->name, dpsctp_assoc_id(a));
			nd->f->resurrected = true;
			return;
		}
	}
	if (nd->ntags < MAX_TAGS)
		nd->tags[nd->ntags++] = pair;
	else
		nd->f->resurrected = true; /* no longer known */
}

/* SEND_FAILED: the message as it was sent, once, from the association that sent it. */
static void
ev_send_failed(struct node *nd, struct track *t, const struct dpsctp_event *ev)
{
	struct fuzz *f = nd->f;
	unsigned int dir = nd == &f->node[1]; /* what A sends goes A->B (direction 0) */
	uint32_t idx = ev->u.send_failed.info.context;
	uint32_t len = (uint32_t)ev->u.send_failed.len;
	struct msg *m;

	TRACE("    %s#%u event SEND_FAILED #%u %s error=%u len=%zu\n", nd->name, t->id, idx,
		ev->u.send_failed.flags == DPSCTP_DATA_UNSENT ? "unsent" : "sent",
		ev->u.send_failed.error, ev->u.send_failed.len);
	CHECK(ev->u.send_failed.flags == DPSCTP_DATA_UNSENT ||
		ev->u.send_failed.flags == DPSCTP_DATA_SENT);
	CHECK(ev->u.send_failed.data != NULL && ev->u.send_failed.len > 0);
	touch(ev->u.send_failed.data, ev->u.send_failed.len);
	CHECK(idx < f->nmsg[dir]);
	m = &msgs[dir][idx];
	CHECK(m->uid == t->uid);
	CHECK((m->st & MSG_FAILED) == 0);
	CHECK(ev->u.send_failed.len == m->len);
	CHECK(ev->u.send_failed.info.sid == m->sid && ev->u.send_failed.info.flags == m->flags);
	CHECK(ev->u.send_failed.info.ppid == idx && ev->u.send_failed.info.lifetime == m->lifetime);
	CHECK(msg_match(dir, idx, 0, ev->u.send_failed.data, len));
	if (ev->u.send_failed.flags == DPSCTP_DATA_UNSENT) {
		/* never transmitted: never delivered either */
		if (!f->forged)
			CHECK((m->st & MSG_STARTED) == 0);
		m->st |= MSG_UNSENT;
	}
	t->failed_bytes += m->len;
	msg_settle(f, dir, m, MSG_FAILED);
}

/*
 * User data: pieces of one message at a time, each checked against what its sender sent (on an
 * honest network; its number is its PPID).
 */
static void
cb_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct node *nd = ctx;
	struct fuzz *f = nd->f;
	unsigned int dir = nd == &f->node[0]; /* what A receives came B->A (direction 1) */
	struct dpsctp_assoc_status s;
	struct msg *m = NULL;
	struct track *t;
	size_t n = 0;
	unsigned int i;

	CHECK(a != NULL && ri != NULL && iovcnt > 0 && iov != NULL);
	CHECK(!nd->destroying);
	CHECK(ri->assoc_id == dpsctp_assoc_id(a));
	for (i = 0; i < iovcnt; i++) {
		touch(iov[i].base, iov[i].len);
		n += iov[i].len;
	}
	/* each call carries the payload of one chunk at least, and no DATA chunk is empty */
	CHECK(n > 0);
	if (eor)
		nd->neor++;
	TRACE("    %s#%u deliver sid=%u ssn=%u ppid=%u tsn=%u%s %zu bytes%s\n", nd->name,
		dpsctp_assoc_id(a), ri->sid, ri->ssn, ri->ppid, ri->tsn,
		(ri->flags & DPSCTP_SND_UNORDERED) != 0 ? " unordered" : "", n, eor ? " eor" : "");
	t = track_find(nd, a);
	if (t == NULL) {
		CHECK(nd->overflow);
		return;
	}
	CHECK(t->st != DPSCTP_CLOSED);
	dpsctp_assoc_get_status(a, &s);
	CHECK(ri->sid < s.inbound_streams);
	if (nd->cfg.rcv_app_window)
		t->held += n;
	if (!t->in_msg) {
		t->in_msg = true;
		t->ri = *ri;
		t->off = 0;
		t->idx = ri->ppid;
		t->known = !f->forged;
		if (t->known) {
			CHECK(ri->ppid < f->nmsg[dir]);
			m = &msgs[dir][ri->ppid];
			CHECK(m->sid == ri->sid);
			CHECK((m->flags & DPSCTP_SND_UNORDERED) ==
				(ri->flags & DPSCTP_SND_UNORDERED));
			CHECK((m->st & MSG_UNSENT) == 0);
			if (!f->resurrected) {
				/* at most once */
				CHECK((m->st & MSG_STARTED) == 0);
				/* in order within the sender's ordered stream */
				if ((m->flags & DPSCTP_SND_UNORDERED) == 0 && !f->unordered) {
					struct order_slot *o = order_slot(f, m->uid, m->sid);

					if (o == NULL) {
						f->unordered = true;
					} else {
						CHECK(ri->ppid >= o->next);
						o->next = ri->ppid + 1;
					}
				}
			}
			m->st |= MSG_STARTED;
		}
	} else {
		/* engine.h: calls for two messages never interleave */
		CHECK(ri->sid == t->ri.sid && ri->ssn == t->ri.ssn && ri->tsn == t->ri.tsn &&
			ri->ppid == t->ri.ppid && ri->flags == t->ri.flags);
		if (t->known && !f->forged)
			m = &msgs[dir][t->idx];
	}
	if (m != NULL) {
		CHECK(n <= m->len - t->off);
		for (i = 0; i < iovcnt; i++) {
			CHECK(msg_match(dir, t->idx, t->off, iov[i].base, iov[i].len));
			t->off += (uint32_t)iov[i].len;
		}
		if (eor) {
			CHECK(t->off == m->len);
			msg_settle(f, dir, m, MSG_DELIVERED);
		}
	} else {
		t->off += (uint32_t)n;
	}
	if (eor)
		t->in_msg = false;
}

static void
cb_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct node *nd = ctx;
	struct track *t;

	CHECK(a != NULL && ev != NULL);
	CHECK(ev->assoc_id == dpsctp_assoc_id(a));
	CHECK(ev->type >= DPSCTP_EV_ASSOC_CHANGE && ev->type <= DPSCTP_EV_SENDER_DRY);
	if (ev->type == DPSCTP_EV_SEND_FAILED)
		nd->nfailed++;
	t = track_find(nd, a);
	if (t == NULL) {
		CHECK(nd->overflow);
		return;
	}
	switch (ev->type) {
	case DPSCTP_EV_ASSOC_CHANGE:
		TRACE("    %s#%u event ASSOC_CHANGE %d error=%u os=%u is=%u info=%zu\n", nd->name,
			t->id, ev->u.assoc_change.state, ev->u.assoc_change.error,
			ev->u.assoc_change.outbound_streams, ev->u.assoc_change.inbound_streams,
			ev->u.assoc_change.info_len);
		touch(ev->u.assoc_change.info, ev->u.assoc_change.info_len);
		switch (ev->u.assoc_change.state) {
		case DPSCTP_EV_COMM_UP:
			CHECK(t->st == DPSCTP_ESTABLISHED && !t->up);
			CHECK(ev->u.assoc_change.outbound_streams >= 1);
			CHECK(ev->u.assoc_change.inbound_streams >= 1);
			t->up = true;
			tags_seen(nd, a);
			break;
		case DPSCTP_EV_RESTART:
			CHECK(t->st == DPSCTP_ESTABLISHED && t->up);
			/* the old incarnation's partial delivery was reported before; what it
			 * delivered no longer counts against the window */
			CHECK(!t->in_msg);
			t->held = 0;
			t->restarted = true;
			tags_seen(nd, a);
			break;
		case DPSCTP_EV_COMM_LOST:
			CHECK(t->st == DPSCTP_CLOSED && t->up && t->terminal == 0);
			t->terminal++;
			break;
		case DPSCTP_EV_CANT_STR_ASSOC:
			CHECK(t->st == DPSCTP_CLOSED && !t->up && t->terminal == 0);
			t->terminal++;
			break;
		case DPSCTP_EV_SHUTDOWN_COMP:
			CHECK(t->st == DPSCTP_CLOSED && t->terminal == 0);
			t->terminal++;
			break;
		default:
			CHECK(!"unknown ASSOC_CHANGE state");
		}
		break;
	case DPSCTP_EV_REMOTE_ERROR:
		TRACE("    %s#%u event REMOTE_ERROR %u len=%zu\n", nd->name, t->id,
			ev->u.remote_error.error, ev->u.remote_error.causes_len);
		CHECK(t->st != DPSCTP_CLOSED);
		touch(ev->u.remote_error.causes, ev->u.remote_error.causes_len);
		break;
	case DPSCTP_EV_SHUTDOWN:
		TRACE("    %s#%u event SHUTDOWN\n", nd->name, t->id);
		CHECK(t->st >= DPSCTP_SHUTDOWN_PENDING);
		break;
	case DPSCTP_EV_ADAPTATION_INDICATION:
		TRACE("    %s#%u event ADAPTATION 0x%08x\n", nd->name, t->id, ev->u.adaptation.ind);
		CHECK(t->st == DPSCTP_ESTABLISHED);
		break;
	case DPSCTP_EV_SEND_FAILED:
		ev_send_failed(nd, t, ev);
		break;
	case DPSCTP_EV_SENDER_DRY:
		TRACE("    %s#%u event SENDER_DRY\n", nd->name, t->id);
		/* once per accepted data, after a SACK */
		CHECK(t->up && t->dry_armed);
		t->dry_armed = false;
		break;
	case DPSCTP_EV_PEER_ADDR_CHANGE: {
		const struct dpsctp_addr *x = &ev->u.paddr.addr;

		TRACE("    %s#%u event PEER_ADDR_CHANGE %s %s error=%u\n", nd->name, t->id,
			addr_str(x), paddr_change_name(ev->u.paddr.state), ev->u.paddr.error);
		CHECK(ev->u.paddr.state >= DPSCTP_ADDR_AVAILABLE &&
			ev->u.paddr.state <= DPSCTP_ADDR_POTENTIALLY_FAILED);
		CHECK(x->family == 4 || x->family == 6);
		/* an association that is gone tells nothing more */
		CHECK(t->st != DPSCTP_CLOSED);
		t->npaddr_ev++;
		/* which address it names is checked once the operation is over (the paths are
		 * read back then, not from inside a callback) */
		if (nd->npev == MAX_PEV) {
			nd->pev_overflow = true;
			break;
		}
		nd->pev[nd->npev].uid = t->uid;
		nd->pev[nd->npev].addr = *x;
		nd->pev[nd->npev].state = ev->u.paddr.state;
		nd->npev++;
		break;
	}
	case DPSCTP_EV_PARTIAL_DELIVERY:
		TRACE("    %s#%u event PARTIAL_DELIVERY sid=%u ssn=%u\n", nd->name, t->id,
			ev->u.partial_delivery.sid, ev->u.partial_delivery.ssn);
		CHECK(ev->u.partial_delivery.indication == DPSCTP_PARTIAL_DELIVERY_ABORTED);
		/* only for a message partly delivered, and it is that one */
		CHECK(t->in_msg && ev->u.partial_delivery.sid == t->ri.sid);
		CHECK((t->ri.flags & DPSCTP_SND_UNORDERED) != 0 ||
			ev->u.partial_delivery.ssn == t->ri.ssn);
		t->in_msg = false;
		break;
	default:
		TRACE("    %s#%u event %d\n", nd->name, t->id, ev->type);
		break;
	}
}

static void
cb_free(void *ctx, struct dpsctp_assoc *a)
{
	struct node *nd = ctx;
	struct track *t;

	CHECK(a != NULL);
	t = track_find(nd, a);
	TRACE("    %s#%u released\n", nd->name, dpsctp_assoc_id(a));
	if (t == NULL) {
		CHECK(nd->overflow);
		return;
	}
	if (nd->destroying) {
		CHECK(t->terminal == 0);
	} else {
		/* released by the protocol: it went to CLOSED and the user was told, once; a
		 * partial delivery was reported aborted */
		CHECK(t->st == DPSCTP_CLOSED);
		CHECK(t->terminal == 1);
		CHECK(!t->in_msg);
	}
	memmove(t, t + 1, (size_t)(&nd->t[nd->nt] - (t + 1)) * sizeof(*t));
	nd->nt--;
}

/* ---- endpoints ---- */

static const struct dpsctp_env env = {
	.ctx = &fz,
	.alloc = env_alloc,
	.free = env_free,
	.random = env_random,
};

static void
addr4(struct dpsctp_addr *a, uint8_t last)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->bytes[0] = 198;
	a->bytes[1] = 18;
	a->bytes[2] = 0;
	a->bytes[3] = last;
}

static void
addr6(struct dpsctp_addr *a, uint8_t last)
{
	memset(a, 0, sizeof(*a));
	a->family = 6;
	a->bytes[0] = 0x20;
	a->bytes[1] = 0x01;
	a->bytes[2] = 0x0d;
	a->bytes[3] = 0xb8;
	a->bytes[15] = last;
}

/* Address @p k of side @p side: 198.18.k.1 (A) or 198.18.k.2 (B); @p v6: 2001:db8::1 or ::2. */
static void
node_addr(struct dpsctp_addr *a, unsigned int side, unsigned int k, bool v6)
{
	if (v6) {
		addr6(a, (uint8_t)(1 + side));
	} else {
		addr4(a, (uint8_t)(1 + side));
		a->bytes[2] = (uint8_t)k;
	}
}

/* The addresses of node @p side (FE_OP_ADDRS mode); its routes back to the defaults, its pairs
 * restored. */
static void
node_addrs(struct fuzz *f, unsigned int side, uint8_t mode)
{
	struct node *nd = &f->node[side];
	unsigned int k, i, j;

	nd->naddr = 1 + (mode & 3) % 3;
	for (k = 0; k < nd->naddr; k++)
		node_addr(&nd->addrs[k], side, k, k == 2 && (mode & 4) != 0);
	for (k = 0; k < 4; k++)
		nd->rt[k] = RT_DEFAULT;
	for (i = 0; i < MAX_NADDR; i++)
		for (j = 0; j < MAX_NADDR; j++) {
			f->cut[0][i][j] = false;
			f->cut[1][i][j] = false;
		}
}

/* The harness's routing: which local address of @p nd reaches @p remote (-1: none,
 * -2: an address that is not the endpoint's). */
static int
route_index(const struct node *nd, const struct dpsctp_addr *remote)
{
	const struct node *peer = &nd->f->node[nd == &nd->f->node[0]];
	int j = addr_index(peer, remote);
	unsigned int r = nd->rt[j >= 0 ? j : 3], i;

	if (remote->family != 4 && remote->family != 6)
		return -1;
	switch (r) {
	case RT_NONE:
		return -1;
	case RT_FOREIGN:
		return -2;
	case RT_DEFAULT:
		if (j >= 0 && (unsigned int)j < nd->naddr && nd->addrs[j].family == remote->family)
			return j;
		for (i = 0; i < nd->naddr; i++)
			if (nd->addrs[i].family == remote->family)
				return (int)i;
		return -1;
	default:
		/* a route to an address of another family is no route */
		if (r < nd->naddr && nd->addrs[r].family == remote->family)
			return (int)r;
		return -1;
	}
}

static int
cb_route(void *ctx, const struct dpsctp_addr *remote, struct dpsctp_addr *local)
{
	struct node *nd = ctx;
	int i;

	CHECK(remote != NULL && local != NULL);
	i = route_index(nd, remote);
	if (i == -1)
		return -EHOSTUNREACH;
	if (i == -2)
		addr4(local, 99);
	else
		*local = nd->addrs[i];
	return 0;
}

static void
node_config(struct node *nd, uint8_t bits, uint8_t dbits, bool listen)
{
	struct dpsctp_proto_config *c = &nd->cfg;

	dpsctp_proto_config_default(c);
	if (bits & FE_CFG_FAST) {
		c->rto_initial = 100 * DPSCTP_MS;
		c->rto_min = 50 * DPSCTP_MS;
		c->rto_max = 800 * DPSCTP_MS;
		c->hb_interval = 1000 * DPSCTP_MS;
		c->shutdown_guard = 4000 * DPSCTP_MS;
	}
	if (bits & FE_CFG_SHORT_COOKIE)
		c->valid_cookie_life = 300 * DPSCTP_MS;
	if (bits & FE_CFG_NO_HB)
		c->hb_interval = 0;
	if (bits & FE_CFG_FEW_RETRANS) {
		c->max_init_retrans = 1;
		c->assoc_max_retrans = 1;
		c->path_max_retrans = 1;
	}
	if (bits & FE_CFG_ADAPTATION) {
		c->has_adaptation = true;
		c->adaptation_ind = 0xa1b2c3d4;
	}
	if (bits & FE_CFG_FEW_STREAMS) {
		c->os = 2;
		c->mis = 1;
	}
	if (bits & FE_CFG_TINY_TIMERS) {
		c->rto_initial = 1 * DPSCTP_MS;
		c->rto_min = 1 * DPSCTP_MS;
		c->rto_max = 3 * DPSCTP_MS;
		c->hb_interval = 2 * DPSCTP_MS;
		c->shutdown_guard = 5 * DPSCTP_MS;
		c->valid_cookie_life = 4 * DPSCTP_MS;
	}
	nd->listen = (bits & FE_CFG_FLIP_LISTEN) ? !listen : listen;
	c->rcv_app_window = (dbits & FE_DCFG_APP_WINDOW) != 0;
	if (dbits & FE_DCFG_SMALL_RWND)
		c->a_rwnd = 4000;
	if (dbits & FE_DCFG_SMALL_SNDBUF)
		c->sndbuf = 6000;
	if (dbits & FE_DCFG_SACK_NOW)
		c->sack_delay = 0;
	if (dbits & FE_DCFG_PD)
		c->pd_point = 700;
	if (dbits & FE_DCFG_SMALL_MTU)
		c->pmtu = 576;
	c->nodelay = (dbits & FE_DCFG_NODELAY) != 0;
	if (dbits & FE_DCFG_SLOW_SACK) {
		c->max_burst = 1;
		c->sack_freq = 4;
		c->sack_delay = 500 * DPSCTP_MS;
	}
}

static void
node_create(struct fuzz *f, struct node *nd)
{
	static const struct dpsctp_callbacks cb_proto = {
		.event = cb_event,
		.state_change = cb_state,
		.deliver = cb_deliver,
		.assoc_free = cb_free,
		.route = cb_route,
	};
	struct dpsctp_callbacks cb = cb_proto;
	struct dpsctp_endpoint_params p = {
		.port = nd->port,
		.addrs = nd->addrs,
		.naddrs = nd->naddr,
		.listen = nd->listen,
		.cfg = &nd->cfg,
	};
	uint64_t failed = f->heap.failed;
	int rc;

	cb.ctx = nd;
	nd->nt = 0;
	nd->overflow = false;
	nd->nin = 0;
	nd->nout = 0;
	nd->nsend = 0;
	nd->nfailed = 0;
	nd->neor = 0;
	nd->ndata = 0;
	nd->nsack = 0;
	nd->ntags = 0;
	nd->slow = nd->cfg.rcv_app_window;
	nd->npev = 0;
	nd->pev_overflow = false;
	rc = dpsctp_endpoint_create(&env, &cb, &p, f->now, &nd->ep);
	CHECK(rc == 0 || (rc == -ENOMEM && f->heap.failed > failed));
	if (rc != 0)
		nd->ep = NULL;
	TRACE("  %s created: %d\n", nd->name, rc);
}

static void
node_destroy(struct node *nd)
{
	if (nd->ep == NULL)
		return;
	nd->destroying = true;
	dpsctp_endpoint_destroy(nd->ep);
	nd->destroying = false;
	nd->ep = NULL;
	/* assoc_free came for every association */
	CHECK(nd->nt == 0 || nd->overflow);
	nd->nt = 0;
	nd->overflow = false;
}

/* The sender's and receiver's figures of one association. */
static void
track_check_data(struct fuzz *f, struct node *nd, struct track *t)
{
	const struct dpsctp_proto_config *c = &nd->cfg;
	struct dpsctp_path_info pi;
	size_t free_now;

	dpsctp_assoc_path_info(t->a, &pi);
	free_now = dpsctp_assoc_sndbuf_free(t->a);
	TRACE("    %s#%u cwnd=%u ssthresh=%u flight=%u unacked=%u queued=%u peer_rwnd=%u rwnd=%u "
	      "rto=%llu ms held=%llu\n",
		nd->name, t->id, pi.cwnd, pi.ssthresh, pi.flight, pi.unacked, pi.queued,
		pi.peer_rwnd, pi.rwnd, (unsigned long long)(pi.rto / DPSCTP_MS),
		(unsigned long long)t->held);
	/* what is held was accepted and neither acknowledged nor failed; what flies is held */
	CHECK(pi.queued <= c->sndbuf);
	CHECK(pi.queued <= t->sent_bytes - t->failed_bytes);
	CHECK(free_now == c->sndbuf - pi.queued);
	CHECK(pi.flight <= pi.queued);
	CHECK((uint64_t)pi.flight <= (uint64_t)pi.unacked * DPSCTP_MAX_PACKET);
	/* a packet-too-big report or SPP_PMTUD_DISABLE may set it down to 512 */
	CHECK(pi.mtu >= 512 && pi.cwnd >= pi.mtu);
	/* our window: a_rwnd less what is held, including what the application has not read */
	CHECK(pi.rwnd <= c->a_rwnd);
	if (c->rcv_app_window)
		CHECK(t->held >= c->a_rwnd ? pi.rwnd == 0 : pi.rwnd <= c->a_rwnd - t->held);
	/* nothing held any more: every message was delivered or reported failed. Not after a peer
	 * restart: an acknowledged message may have waited in the old incarnation (behind a
	 * partial delivery that never ended) and died with it, as data acknowledged but not yet
	 * read dies with a peer that crashes. */
	if (pi.queued == 0 && !t->restarted && !f->forged && !f->node[0].overflow &&
		!f->node[1].overflow)
		CHECK(t->nsettled == t->nsent);
}

/* The paths of one association (engine.h: dpsctp_assoc_peer_addrs, dpsctp_assoc_paddr_info,
 * dpsctp_assoc_get_paddr_params); its peer addresses are remembered for the event check. */
static void
track_check_paths(struct node *nd, struct track *t, const struct dpsctp_assoc_status *s)
{
	struct dpsctp_addr list[DPSCTP_MAX_ADDRS], unknown;
	struct dpsctp_paddr_params pp, pp0;
	struct dpsctp_path_info info;
	struct dpsctp_paddr_info pi;
	unsigned int i, nprim = 0, ndata = 0;
	uint64_t flight = 0;
	size_t n;

	n = dpsctp_assoc_peer_addrs(t->a, list, DPSCTP_MAX_ADDRS);
	CHECK(n == s->npeer_addrs && n >= 1 && n <= DPSCTP_MAX_ADDRS);
	/* the primary first */
	CHECK(addr_eq(&list[0], &s->primary.remote));
	CHECK(dpsctp_assoc_get_paddr_params(t->a, NULL, &pp0) == 0);
	for (i = 0; i < n; i++) {
		CHECK(!addr_in(list, i, &list[i]));
		CHECK(dpsctp_assoc_paddr_info(t->a, &list[i], &pi) == 0);
		TRACE("    %s#%u path %s%s %s%s%s from %s cwnd=%u flight=%u mtu=%u errors=%u/%u/%u "
		      "rto=%llu ms\n",
			nd->name, t->id, addr_str(&list[i]), pi.primary ? " primary" : "",
			dpsctp_path_state_name(pi.state), pi.reachable ? "" : " unreachable",
			pi.data ? " data" : "", addr_str(&pi.path.local), pi.cwnd, pi.flight, pi.mtu,
			pi.error_count, pi.pf_threshold, pi.path_max_retrans,
			(unsigned long long)(pi.rto / DPSCTP_MS));
		CHECK(addr_eq(&pi.path.remote, &list[i]));
		CHECK((unsigned int)pi.state <= DPSCTP_PATH_INACTIVE);
		CHECK(pi.primary == (i == 0));
		nprim += pi.primary;
		ndata += pi.data;
		CHECK(pi.mtu >= 512 && pi.mtu <= DPSCTP_MAX_PACKET);
		CHECK(pi.cwnd >= pi.mtu);
		CHECK(pi.rto > 0);
		CHECK(pi.path_max_retrans >= 1);
		CHECK(((pi.flags & DPSCTP_SPP_HB_ENABLE) != 0) !=
			((pi.flags & DPSCTP_SPP_HB_DISABLE) != 0));
		CHECK(((pi.flags & DPSCTP_SPP_PMTUD_ENABLE) != 0) !=
			((pi.flags & DPSCTP_SPP_PMTUD_DISABLE) != 0));
		/* a route is one of our addresses, of the peer address's family */
		if (pi.reachable)
			CHECK(addr_index(nd, &pi.path.local) >= 0 &&
				pi.path.local.family == list[i].family);
		/* the engine asked again since the routes last changed: it knows them */
		if (!nd->rt_stale) {
			int r = route_index(nd, &list[i]);

			CHECK(pi.reachable == (r >= 0));
			if (r >= 0)
				CHECK(addr_eq(&pi.path.local, &nd->addrs[r]));
		}
		CHECK(dpsctp_assoc_get_paddr_params(t->a, &list[i], &pp) == 0);
		CHECK(pp.hb_interval == pi.hb_interval && pp.path_max_retrans == pi.path_max_retrans);
		CHECK(pp.pathmtu == pi.mtu && pp.flags == pi.flags);
		if (i == 0)
			CHECK(memcmp(&pp, &pp0, sizeof(pp)) == 0);
		flight += pi.flight;
	}
	CHECK(nprim == 1 && ndata == 1);
	/* the association's flight is the sum of its paths' */
	dpsctp_assoc_path_info(t->a, &info);
	CHECK(flight == info.flight);
	addr4(&unknown, 98);
	if (!addr_in(list, (unsigned int)n, &unknown)) {
		CHECK(dpsctp_assoc_paddr_info(t->a, &unknown, &pi) == -ENOENT);
		CHECK(dpsctp_assoc_get_paddr_params(t->a, &unknown, &pp) == -ENOENT);
	}
	memcpy(t->paddrs, list, n * sizeof(list[0]));
	t->npaddrs = (unsigned int)n;
}

/*
 * The PEER_ADDR_CHANGE events of the operation: each names an address the association had
 * before or has now (one REMOVED, before); the last state change reported for an address is
 * its state now.
 */
static void
check_paddr_events(struct node *nd)
{
	unsigned int e, k;

	if (nd->pev_overflow || nd->overflow || nd->ep == NULL)
		goto out;
	for (e = 0; e < nd->npev; e++) {
		const struct pev *ev = &nd->pev[e];
		struct track *t = track_by_uid(nd, ev->uid);
		struct dpsctp_addr list[DPSCTP_MAX_ADDRS];
		struct dpsctp_paddr_info pi;
		enum dpsctp_path_state want;
		size_t n;

		if (t == NULL)
			continue; /* released since */
		n = dpsctp_assoc_peer_addrs(t->a, list, DPSCTP_MAX_ADDRS);
		if (ev->state == DPSCTP_ADDR_REMOVED) {
			CHECK(addr_in(t->paddrs, t->npaddrs, &ev->addr) || t->npaddrs == 0);
			continue;
		}
		CHECK(addr_in(list, (unsigned int)n, &ev->addr) ||
			addr_in(t->paddrs, t->npaddrs, &ev->addr));
		switch (ev->state) {
		case DPSCTP_ADDR_AVAILABLE:
		case DPSCTP_ADDR_CONFIRMED:
			want = DPSCTP_PATH_ACTIVE;
			break;
		case DPSCTP_ADDR_UNREACHABLE:
			want = DPSCTP_PATH_INACTIVE;
			break;
		case DPSCTP_ADDR_POTENTIALLY_FAILED:
			want = DPSCTP_PATH_PF;
			break;
		default:
			continue;
		}
		/* the last state change reported for it */
		for (k = e + 1; k < nd->npev; k++)
			if (nd->pev[k].uid == ev->uid && addr_eq(&nd->pev[k].addr, &ev->addr) &&
				(nd->pev[k].state == DPSCTP_ADDR_AVAILABLE ||
					nd->pev[k].state == DPSCTP_ADDR_CONFIRMED ||
					nd->pev[k].state == DPSCTP_ADDR_UNREACHABLE ||
					nd->pev[k].state == DPSCTP_ADDR_POTENTIALLY_FAILED))
				break;
		if (k < nd->npev)
			continue;
		if (dpsctp_assoc_paddr_info(t->a, &ev->addr, &pi) == 0)
			CHECK(pi.state == want);
	}
out:
	nd->npev = 0;
	nd->pev_overflow = false;
}

/* What the engine says must match what the callbacks said. */
static void
node_check(struct fuzz *f, struct node *nd)
{
	const struct dpsctp_stats *st;
	unsigned int i;

	check_paddr_events(nd);
	if (nd->ep == NULL)
		return;
	st = dpsctp_endpoint_stats(nd->ep);
	CHECK(st->packets_in == nd->nin && st->packets_out == nd->nout);
	CHECK(st->packets_in >= st->drops[DPSCTP_DROP_MALFORMED]);
	/* data counters: what the API calls and the callbacks saw, what output carried */
	CHECK(st->msgs_sent == nd->nsend);
	CHECK(st->msgs_failed == nd->nfailed);
	CHECK(st->msgs_delivered == nd->neor);
	CHECK(st->data_out + st->retrans_t3 + st->retrans_fast == nd->ndata);
	/* a SACK may wait in the reply queue (flushed for a receive burst) while output is held,
	 * or be dropped there (too large for the buffer, no memory): counted, never output */
	CHECK(nd->nsack <= st->sacks_out);
	CHECK(st->sacks_out <= nd->nsack + st->drops[DPSCTP_DROP_QUEUE_FULL] +
			st->drops[DPSCTP_DROP_NO_MEMORY] + (nd->hold ? DPSCTP_REPLY_QUEUE : 0));
	CHECK(st->sacks_express <= st->sacks_in);
	/* expire leaves nothing due (settle() ran it for a deadline due now): a caller looping
	 * on the deadline would spin */
	CHECK(dpsctp_endpoint_next_deadline(nd->ep) > f->now);
	if (nd->overflow)
		return;
	CHECK(dpsctp_endpoint_assoc_count(nd->ep) == nd->nt);
	for (i = 0; i < nd->nt; i++) {
		struct track *t = &nd->t[i];
		struct dpsctp_assoc_status s;

		CHECK(dpsctp_endpoint_assoc_by_id(nd->ep, t->id) == t->a);
		CHECK(dpsctp_assoc_id(t->a) == t->id);
		CHECK(dpsctp_assoc_state(t->a) == t->st);
		CHECK(t->st != DPSCTP_CLOSED);
		dpsctp_assoc_get_status(t->a, &s);
		CHECK(s.state == t->st);
		CHECK(s.local_vtag != 0);
		CHECK(s.npeer_addrs >= 1 && s.npeer_addrs <= DPSCTP_MAX_ADDRS);
		if (t->st != DPSCTP_COOKIE_WAIT) {
			CHECK(s.peer_vtag != 0);
		}
		if (t->st >= DPSCTP_ESTABLISHED) {
			CHECK(t->up);
			CHECK(s.outbound_streams >= 1 && s.inbound_streams >= 1);
			CHECK(s.inbound_streams <= nd->cfg.mis);
		} else {
			CHECK(!t->up);
		}
		CHECK(s.rto > 0);
		track_check_data(f, nd, t);
		track_check_paths(nd, t, &s);
	}
}

/* ---- links ---- */

static struct pkt *
pkt_get(struct fuzz *f)
{
	CHECK(f->nfree > 0);
	return f->free_pkts[--f->nfree];
}

static void
pkt_put(struct fuzz *f, struct pkt *p)
{
	f->free_pkts[f->nfree++] = p;
}

static struct pkt *
q_remove(struct queue *q, unsigned int i)
{
	struct pkt *p = q->p[i];

	memmove(&q->p[i], &q->p[i + 1], (q->n - i - 1) * sizeof(q->p[0]));
	q->n--;
	return p;
}

static void
q_insert(struct queue *q, unsigned int i, struct pkt *p)
{
	memmove(&q->p[i + 1], &q->p[i], (q->n - i) * sizeof(q->p[0]));
	q->p[i] = p;
	q->n++;
}

/* The packet an op byte's argument designates on a link, or NULL when the link is empty. */
static struct pkt *
q_pick(struct fuzz *f, unsigned int dir, unsigned int idx, unsigned int *at)
{
	struct queue *q = &f->q[dir];

	if (q->n == 0)
		return NULL;
	*at = idx % q->n;
	return q->p[*at];
}

static void
render(const char *what, const uint8_t *p, size_t n)
{
	static char text[16384];

	if (trace <= 0)
		return;
	dpsctp_packet_render(p, n, text, sizeof(text));
	fprintf(stderr, "    %s %s", what, text);
}

/*
 * RFC 9260 5.4: nothing but HEARTBEAT (and HEARTBEAT ACK, an answer) goes to an UNCONFIRMED
 * address; engine.h: nothing goes to a peer address without a route. The handshake chunks go
 * to the addresses the user gave, which are confirmed (rule 1). DATA leaves from the local
 * address the route callback gave for its destination. A packet of no association of the
 * sender (a stateless answer) is not checked.
 */
static void
check_dest(struct node *nd, const struct dpsctp_packet_info *pk, const struct dpsctp_path *path,
	bool probe_only, bool data)
{
	bool matched = false;
	unsigned int i;

	if (nd->overflow)
		return;
	for (i = 0; i < nd->nt; i++) {
		struct dpsctp_assoc_status s;
		struct dpsctp_paddr_info pi;

		dpsctp_assoc_get_status(nd->t[i].a, &s);
		if (s.peer_vtag != pk->hdr.vtag || s.peer_port != pk->hdr.dst_port ||
			dpsctp_assoc_paddr_info(nd->t[i].a, &path->remote, &pi) != 0)
			continue;
		matched = true;
		TRACE("    (to %s %s%s of %s#%u)\n", addr_str(&path->remote),
			dpsctp_path_state_name(pi.state), pi.reachable ? "" : " unreachable", nd->name,
			nd->t[i].id);
		if (probe_only)
			return;
		if (pi.state != DPSCTP_PATH_UNCONFIRMED && pi.reachable &&
			(!data || addr_eq(&path->local, &pi.path.local)))
			return;
	}
	if (matched) {
		CHECK(!"a packet other than a heartbeat to an UNCONFIRMED or unreachable address, "
		       "or DATA from another local address than its route");
	}
}

/* Everything an endpoint outputs is well-formed. */
static void
check_output(struct node *nd, const uint8_t *buf, size_t n, const struct dpsctp_path *path)
{
	struct dpsctp_packet_info pi;
	union dpsctp_chunk_view v;
	struct dpsctp_chunk c;
	bool probe_only = true, data = false, stateless = true;
	const uint8_t *p;

	CHECK(n <= DPSCTP_MAX_PACKET);
	CHECK(dpsctp_packet_parse(buf, n, &pi) == 0);
	CHECK(pi.hdr.src_port == nd->port);
	CHECK(pi.hdr.dst_port != 0);
	CHECK(dpsctp_packet_get_checksum(buf) == 0);
	CHECK(path->local.family == 4 || path->local.family == 6);
	CHECK(path->remote.family == 4 || path->remote.family == 6);
	p = pi.chunks;
	while (dpsctp_chunk_next(&p, pi.end, &c) == 1) {
		CHECK(dpsctp_chunk_decode(&c, &v) == 0);
		if (c.type != DPSCTP_CHUNK_HEARTBEAT && c.type != DPSCTP_CHUNK_HEARTBEAT_ACK)
			probe_only = false;
		if (c.type != DPSCTP_CHUNK_INIT_ACK && c.type != DPSCTP_CHUNK_ABORT &&
			c.type != DPSCTP_CHUNK_SHUTDOWN_COMPLETE)
			stateless = false;
		if (c.type == DPSCTP_CHUNK_DATA) {
			data = true;
			nd->ndata++;
			CHECK(v.data.payload_len > 0);
		} else if (c.type == DPSCTP_CHUNK_SACK) {
			nd->nsack++;
		}
		if (c.type == DPSCTP_CHUNK_INIT || c.type == DPSCTP_CHUNK_INIT_ACK) {
			/* 3.3.2, 3.3.3: a non-zero Initiate Tag, streams in both directions */
			CHECK(v.init.init_tag != 0 && v.init.os != 0 && v.init.mis != 0);
			/* 8.5.1 A: an INIT carries tag 0; an INIT ACK the INIT's Initiate Tag */
			CHECK((c.type == DPSCTP_CHUNK_INIT) == (pi.hdr.vtag == 0));
		}
	}
	CHECK(p == pi.end);
	/* INIT ACK, ABORT and SHUTDOWN COMPLETE may answer for an association already gone, or
	 * none: the tag does not tell which association they are of */
	if (!stateless)
		check_dest(nd, &pi, path, probe_only, data);
}

static void
enqueue(struct fuzz *f, unsigned int dir, const uint8_t *buf, size_t n,
	const struct dpsctp_path *path)
{
	struct queue *q = &f->q[dir];
	int si = addr_index(&f->node[dir], &path->local);
	int di = addr_index(&f->node[!dir], &path->remote);
	struct pkt *p;

	if (si >= 0 && di >= 0 && f->cut[dir][si][di]) {
		TRACE("    pair %s -> %s cut: lost\n", addr_str(&path->local),
			addr_str(&path->remote));
		return;
	}
	if (q->n == QLEN) {
		TRACE("    link %s full: lost\n", dir == 0 ? "A->B" : "B->A");
		return;
	}
	p = pkt_get(f);
	memcpy(p->buf, buf, n);
	p->len = n;
	p->forged = false;
	p->path = *path;
	q->p[q->n++] = p;
}

static void
drain(struct fuzz *f, unsigned int side)
{
	struct node *nd = &f->node[side];
	unsigned int i;

	if (nd->ep == NULL || nd->hold)
		return;
	for (i = 0;; i++) {
		struct dpsctp_path path;
		size_t n;

		CHECK(i < DRAIN_MAX);
		memset(&path, 0, sizeof(path));
		n = dpsctp_endpoint_output(nd->ep, f->out, f->cap, &path, f->now);
		if (n == 0)
			break;
		CHECK(n <= f->cap);
		nd->nout++;
		render(side == 0 ? "A>" : "B>", f->out, n);
		check_output(nd, f->out, n, &path);
		enqueue(f, side, f->out, n, &path);
	}
}

static void
drain_all(struct fuzz *f)
{
	drain(f, 0);
	drain(f, 1);
}

/* Hand @p n bytes to endpoint @p side, from an exact-size heap copy; @p forged: they are not
 * what an endpoint sent (then, unless discarded whole, received data is no longer checked). */
static void
input_to(struct fuzz *f, unsigned int side, const uint8_t *data, size_t n,
	const struct dpsctp_path *path, bool forged)
{
	struct node *nd = &f->node[side];
	bool was_forged;
	uint8_t *copy;
	int rc;

	if (nd->ep == NULL)
		return;
	copy = malloc(n > 0 ? n : 1);
	CHECK(copy != NULL);
	memcpy(copy, data, n);
	render(side == 0 ? ">A" : ">B", copy, n);
	/* data delivered from it is not checked; a packet discarded whole delivered none */
	was_forged = f->forged;
	f->forged |= forged;
	rc = dpsctp_endpoint_input(nd->ep, copy, n, path, f->now);
	nd->nin++;
	CHECK(rc >= 0 && rc <= DPSCTP_DROP_COUNT);
	if (rc > 0) {
		TRACE("    dropped: %s\n", dpsctp_drop_name((enum dpsctp_drop)(rc - 1)));
		f->forged = was_forged;
	} else if (forged && !was_forged) {
		TRACE("    a forged packet was taken: received data is no longer checked\n");
	}
	free(copy);
	drain_all(f);
}

/* The path a packet from @p from arrives on at @p to, by variant. */
static void
inject_path(struct fuzz *f, unsigned int from, unsigned int variant, struct dpsctp_path *path)
{
	const struct node *src = &f->node[from], *dst = &f->node[!from];

	path->local = dst->addrs[0];
	path->remote = src->addrs[0];
	switch (variant & 3) {
	case FE_PATH_OTHER:
		addr4(&path->remote, 9);
		break;
	case FE_PATH_V6:
		addr6(&path->local, 2);
		addr6(&path->remote, 1);
		break;
	case FE_PATH_SPOOF:
		path->remote = dst->addrs[0];
		break;
	default:
		break;
	}
}

static void
deliver(struct fuzz *f, unsigned int dir, unsigned int idx)
{
	struct queue *h = &f->hist[dir];
	struct dpsctp_path path;
	struct pkt *p;
	unsigned int at;

	p = q_pick(f, dir, idx, &at);
	if (p == NULL)
		return;
	q_remove(&f->q[dir], at);
	path.local = p->path.remote;
	path.remote = p->path.local;
	input_to(f, !dir, p->buf, p->len, &path, p->forged);
	if (h->n == HIST)
		pkt_put(f, h->p[--h->n]);
	q_insert(h, 0, p);
}

/* ---- time ---- */

static void
advance(struct fuzz *f, uint64_t ns, bool force)
{
	unsigned int i;

	f->now += ns;
	for (i = 0; i < 2; i++) {
		struct node *nd = &f->node[i];

		if (nd->ep != NULL && (force || dpsctp_endpoint_next_deadline(nd->ep) <= f->now))
			dpsctp_endpoint_expire(nd->ep, f->now);
	}
	drain_all(f);
}

/* engine.h: a deadline may be due now (at or before the current time): expire at once. */
static void
settle(struct fuzz *f)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct node *nd = &f->node[i];

		if (nd->ep != NULL && dpsctp_endpoint_next_deadline(nd->ep) <= f->now) {
			TRACE("    %s: deadline due now, expire\n", nd->name);
			dpsctp_endpoint_expire(nd->ep, f->now);
		}
	}
	drain_all(f);
}

static void
next_deadline(struct fuzz *f)
{
	uint64_t d = DPSCTP_NEVER;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (f->node[i].ep != NULL) {
			uint64_t x = dpsctp_endpoint_next_deadline(f->node[i].ep);

			if (x < d)
				d = x;
		}
	}
	if (d == DPSCTP_NEVER)
		return;
	if (d <= f->now)
		advance(f, 0, false);
	else
		advance(f, d - f->now < MAX_JUMP ? d - f->now : MAX_JUMP, false);
}

static void
run(struct fuzz *f, bool timers)
{
	unsigned int i;

	for (i = 0; i < RUN_STEPS; i++) {
		if (f->q[0].n == 0 && f->q[1].n == 0) {
			if (!timers || (f->node[0].nt == 0 && f->node[1].nt == 0))
				break;
			next_deadline(f);
			continue;
		}
		deliver(f, 0, 0);
		deliver(f, 1, 0);
	}
}

/* ---- operations ---- */

static uint32_t
vtag_for(struct fuzz *f, unsigned int to, unsigned int mode, unsigned int idx)
{
	struct track *t = track_pick(&f->node[to], idx);
	struct dpsctp_assoc_status s;

	switch (mode & 3) {
	case FE_VTAG_LOCAL:
	case FE_VTAG_PEER:
		if (t == NULL)
			return 0;
		dpsctp_assoc_get_status(t->a, &s);
		return (mode & 3) == FE_VTAG_LOCAL ? s.local_vtag : s.peer_vtag;
	case FE_VTAG_INPUT:
		return rd32(f);
	default:
		return 0;
	}
}

/* Mutations of the packet on a link; @p pkt is NULL when the link is empty (arguments are
 * consumed anyway, so that the rest of the stream keeps its meaning). */
static void
mutate(struct fuzz *f, unsigned int op, unsigned int dir, unsigned int idx)
{
	unsigned int at = 0;
	struct pkt *p = q_pick(f, dir, idx, &at);
	uint8_t extra[255];
	uint16_t off, v16;
	uint32_t v32;
	uint8_t m, k, field;
	size_t n;

	if (p != NULL)
		p->forged = true;
	switch (op) {
	case FE_OP_FLIP:
		off = rd16(f);
		m = rd8(f);
		if (p != NULL && p->len > 0)
			p->buf[off % p->len] ^= m != 0 ? m : 0xff;
		break;
	case FE_OP_SET16:
		off = rd16(f);
		v16 = rd16(f);
		if (p != NULL && p->len >= 2)
			dpsctp_put_be16(p->buf + off % (p->len - 1), v16);
		break;
	case FE_OP_SET32:
		off = rd16(f);
		v32 = rd32(f);
		if (p != NULL && p->len >= 4)
			dpsctp_put_be32(p->buf + off % (p->len - 3), v32);
		break;
	case FE_OP_TRUNCATE:
		off = rd16(f);
		if (p != NULL)
			p->len = off % (p->len + 1);
		break;
	case FE_OP_APPEND:
		n = rdbytes(f, extra, rd8(f));
		if (p != NULL) {
			if (n > PKT_MAX - p->len)
				n = PKT_MAX - p->len;
			memcpy(p->buf + p->len, extra, n);
			p->len += n;
		}
		break;
	case FE_OP_CHUNK_FIELD: {
		size_t pos = DPSCTP_COMMON_HDR_LEN, at_chunk = DPSCTP_COMMON_HDR_LEN;
		unsigned int i, count = 0;

		k = rd8(f);
		field = rd8(f);
		v16 = rd16(f);
		if (p == NULL)
			break;
		/* walk the chunk headers as they are, to the k-th (modulo how many there are) */
		while (pos + DPSCTP_CHUNK_HDR_LEN <= p->len) {
			size_t len = dpsctp_get_be16(p->buf + pos + 2);

			count++;
			if (len < DPSCTP_CHUNK_HDR_LEN)
				break;
			pos += (len + 3) & ~(size_t)3;
		}
		if (count == 0)
			break;
		k %= count;
		pos = DPSCTP_COMMON_HDR_LEN;
		for (i = 0; i < k; i++)
			pos += (dpsctp_get_be16(p->buf + pos + 2) + 3u) & ~3u;
		at_chunk = pos;
		switch (field & 3) {
		case 0:
			p->buf[at_chunk] = (uint8_t)v16;
			break;
		case 1:
			p->buf[at_chunk + 1] = (uint8_t)v16;
			break;
		case 2:
			dpsctp_put_be16(p->buf + at_chunk + 2, v16);
			break;
		default:
			dpsctp_put_be16(p->buf + at_chunk + 2,
				(uint16_t)(dpsctp_get_be16(p->buf + at_chunk + 2) + (int8_t)v16));
			break;
		}
		break;
	}
	case FE_OP_SET_VTAG:
		m = rd8(f);
		v32 = vtag_for(f, !dir, m, m >> 6);
		if (p != NULL && p->len >= DPSCTP_COMMON_HDR_LEN)
			dpsctp_put_be32(p->buf + 4, v32);
		break;
	default:
		break;
	}
}

static void
op_inject(struct fuzz *f, unsigned int from, unsigned int variant)
{
	static uint8_t buf[PKT_MAX];
	struct dpsctp_path path;
	size_t n = rdbytes(f, buf, rd16(f));

	inject_path(f, from, variant, &path);
	input_to(f, !from, buf, n, &path, true);
}

static void
op_craft(struct fuzz *f, unsigned int from)
{
	static uint8_t buf[PKT_MAX];
	const struct node *src = &f->node[from], *dst = &f->node[!from];
	uint8_t mode = rd8(f), nch = (uint8_t)(1 + rd8(f) % 4);
	uint16_t sport = src->port, dport = dst->port;
	struct dpsctp_path path;
	size_t n = DPSCTP_COMMON_HDR_LEN;
	uint32_t vtag;
	unsigned int i;

	vtag = vtag_for(f, !from, mode, mode >> 6);
	switch ((mode >> 2) & 3) {
	case FE_PORTS_SRC:
		sport = rd16(f);
		break;
	case FE_PORTS_DST:
		dport = (uint16_t)(dst->port + 7);
		break;
	case FE_PORTS_ZERO:
		sport = 0;
		break;
	default:
		break;
	}
	dpsctp_put_be16(buf, sport);
	dpsctp_put_be16(buf + 2, dport);
	dpsctp_put_be32(buf + 4, vtag);
	dpsctp_put_be32(buf + 8, 0);
	for (i = 0; i < nch; i++) {
		uint8_t type = rd8(f), flags = rd8(f);
		size_t len = rd8(f);

		if (len == 255)
			len = rd16(f);
		if (n + DPSCTP_CHUNK_HDR_LEN + 3 > sizeof(buf))
			break;
		/* what does not fit the buffer is left out */
		if (len > sizeof(buf) - n - DPSCTP_CHUNK_HDR_LEN - 3)
			len = sizeof(buf) - n - DPSCTP_CHUNK_HDR_LEN - 3;
		if (len > DPSCTP_TLV_MAX_LEN - DPSCTP_CHUNK_HDR_LEN)
			len = DPSCTP_TLV_MAX_LEN - DPSCTP_CHUNK_HDR_LEN;
		buf[n] = type;
		buf[n + 1] = flags;
		dpsctp_put_be16(buf + n + 2, (uint16_t)(DPSCTP_CHUNK_HDR_LEN + len));
		memset(buf + n + DPSCTP_CHUNK_HDR_LEN, 0, (len + 3) & ~(size_t)3);
		rdbytes(f, buf + n + DPSCTP_CHUNK_HDR_LEN, len);
		n += DPSCTP_CHUNK_HDR_LEN + ((len + 3) & ~(size_t)3);
	}
	inject_path(f, from, mode >> 4, &path);
	input_to(f, !from, buf, n, &path, true);
}

/* ASSOCIATE to the @p n addresses @p to: engine.h's return, in the order the checks come. */
static void
do_associate(struct fuzz *f, unsigned int side, const struct dpsctp_addr *to, size_t n,
	uint16_t port, uint16_t os)
{
	struct node *nd = &f->node[side];
	uint64_t failed = f->heap.failed;
	struct dpsctp_assoc *a = NULL;
	bool bad = false, inuse = false;
	int first = -1, rc;
	unsigned int i, k;
	struct track *t;

	if (nd->ep == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (to[i].family != 4 && to[i].family != 6)
			bad = true;
		else if (first < 0 && route_index(nd, &to[i]) >= 0)
			first = (int)i;
		TRACE("  %s associate to %s\n", nd->name, addr_str(&to[i]));
	}
	for (k = 0; k < nd->nt && !bad; k++) {
		struct dpsctp_assoc_status s;
		struct dpsctp_paddr_info pi;

		dpsctp_assoc_get_status(nd->t[k].a, &s);
		if (s.peer_port != port)
			continue;
		for (i = 0; i < n; i++)
			if (dpsctp_assoc_paddr_info(nd->t[k].a, &to[i], &pi) == 0)
				inuse = true;
	}
	rc = dpsctp_associate(nd->ep, to, n, port, os, f->now, &a);
	TRACE("  %s associate (%zu addresses, port %u) -> %d\n", nd->name, n, port, rc);
	if (bad) {
		CHECK(rc == -EINVAL);
		return;
	}
	if (nd->overflow)
		CHECK(rc == 0 || rc == -EADDRINUSE || rc == -ENETUNREACH || rc == -ENOMEM);
	else if (inuse)
		CHECK(rc == -EADDRINUSE);
	else if (first < 0)
		/* no route to any of them */
		CHECK(rc == -ENETUNREACH || (rc == -ENOMEM && f->heap.failed > failed));
	else
		CHECK(rc == 0 || (rc == -ENOMEM && f->heap.failed > failed));
	if (rc != 0)
		return;
	CHECK(first >= 0);
	CHECK(a != NULL && dpsctp_assoc_state(a) == DPSCTP_COOKIE_WAIT);
	t = track_find(nd, a);
	CHECK(t != NULL || nd->overflow);
	if (t != NULL) {
		struct dpsctp_assoc_status s;

		/* 5.4 rule 1: every address given is confirmed; the first one with a route is
		 * the primary */
		for (i = 0; i < n; i++) {
			struct dpsctp_paddr_info pi;

			CHECK(dpsctp_assoc_paddr_info(a, &to[i], &pi) == 0);
			CHECK(pi.state == DPSCTP_PATH_ACTIVE);
			CHECK(pi.reachable == (route_index(nd, &to[i]) >= 0));
		}
		dpsctp_assoc_get_status(a, &s);
		CHECK(addr_eq(&s.primary.remote, &to[first]));
	}
}

static void
op_associate(struct fuzz *f, unsigned int side, unsigned int variant)
{
	struct node *peer = &f->node[!side];
	struct dpsctp_addr to = peer->addrs[0];
	uint16_t port = peer->port, os = rd16(f);

	switch (variant & 3) {
	case 1:
		port = (uint16_t)(peer->port + 1);
		break;
	case 2:
		addr4(&to, 3);
		break;
	case 3:
		addr6(&to, 2);
		break;
	default:
		break;
	}
	do_associate(f, side, &to, 1, port, os);
}

/* FE_OP_CONNECTX: ASSOCIATE to several addresses. */
static void
op_connectx(struct fuzz *f, unsigned int side, unsigned int idx)
{
	struct node *peer = &f->node[!side];
	struct dpsctp_addr to[4];
	unsigned int n = 1 + rd8(f) % 4, i;
	uint16_t port = peer->port, os;

	for (i = 0; i < n; i++) {
		uint8_t sel = rd8(f) % 8;

		switch (sel) {
		case FE_CX_OTHER4:
			addr4(&to[i], 3);
			break;
		case FE_CX_OTHER6:
			addr6(&to[i], 3);
			break;
		case FE_CX_BAD:
			memset(&to[i], 0, sizeof(to[i]));
			to[i].bytes[0] = 1;
			break;
		default:
			to[i] = peer->addrs[(sel % 3) % peer->naddr];
			break;
		}
	}
	os = rd16(f);
	if (idx & 1)
		port = (uint16_t)(peer->port + 1);
	do_associate(f, side, to, n, port, os);
}

/* FE_ADDR_SEL: a peer address of @p t (in dpsctp_assoc_peer_addrs order) or one it has not.
 * @return false for NULL (bit 7) */
static bool
addr_sel(struct track *t, uint8_t sel, struct dpsctp_addr *out)
{
	struct dpsctp_addr list[DPSCTP_MAX_ADDRS];
	size_t n;

	if (sel & 0x80)
		return false;
	n = dpsctp_assoc_peer_addrs(t->a, list, DPSCTP_MAX_ADDRS);
	if ((sel & FE_ADDR_UNKNOWN) == FE_ADDR_UNKNOWN || n == 0) {
		addr4(out, 97);
		if (sel & 0x08)
			addr6(out, 97);
	} else {
		*out = list[(sel & 3) % n];
	}
	return true;
}

static bool
is_peer_addr(struct track *t, const struct dpsctp_addr *a)
{
	struct dpsctp_paddr_info pi;

	return dpsctp_assoc_paddr_info(t->a, a, &pi) == 0;
}

/* Cut or restore address pairs (FE_PATH_OP_CUT). */
static void
path_cut(struct fuzz *f, unsigned int side, uint8_t arg)
{
	unsigned int li = arg & 3, pj = (arg >> 2) & 3, dirs = (arg >> 4) & 3, i, j;
	bool cut = (arg & 0x40) == 0;

	if (dirs == 0)
		dirs = 3;
	TRACE("  %s %s local %u peer %u dirs %u\n", f->node[side].name, cut ? "cut" : "restore",
		li, pj, dirs);
	for (i = 0; i < MAX_NADDR; i++) {
		if (li != 3 && i != li)
			continue;
		for (j = 0; j < MAX_NADDR; j++) {
			if (pj != 3 && j != pj)
				continue;
			/* cut[dir][sender address][receiver address] */
			if (dirs & 1)
				f->cut[side][i][j] = cut;
			if (dirs & 2)
				f->cut[!side][j][i] = cut;
		}
	}
}

static void
routes_changed(struct fuzz *f, unsigned int side)
{
	struct node *nd = &f->node[side];

	if (nd->ep == NULL)
		return;
	TRACE("  %s routes changed\n", nd->name);
	dpsctp_endpoint_routes_changed(nd->ep, f->now);
	nd->rt_stale = false;
}

static uint32_t
pick_mtu(uint8_t c)
{
	static const uint32_t mtus[] = {0, 511, 512, 576, 1280, 1500, 9216, 9217};

	if (c & 0x80)
		return 256u + (c & 0x7fu) * 80u;
	return mtus[c % 8];
}

static uint64_t
pick_hb(uint8_t c)
{
	static const uint64_t hbs[] = {0, 1, 5, 50, 500, 1000, 30000, 3600000};

	return hbs[c % 8] * DPSCTP_MS;
}

/* dpsctp_assoc_set_paddr_params, with the errors engine.h documents, then read back. */
static void
path_params(struct fuzz *f, struct node *nd, struct track *t, uint8_t sel, uint32_t flags,
	uint32_t mtu, uint64_t hb, uint32_t pmr)
{
	struct dpsctp_addr addr, list[DPSCTP_MAX_ADDRS];
	bool has = addr_sel(t, sel, &addr);
	struct dpsctp_paddr_params pp;
	bool einval, enoent;
	unsigned int i;
	size_t n;
	int rc;

	memset(&pp, 0, sizeof(pp));
	pp.flags = flags;
	pp.pathmtu = mtu;
	pp.hb_interval = hb;
	pp.path_max_retrans = pmr;
	einval = ((flags & DPSCTP_SPP_HB_ENABLE) && (flags & DPSCTP_SPP_HB_DISABLE)) ||
		((flags & DPSCTP_SPP_PMTUD_ENABLE) && (flags & DPSCTP_SPP_PMTUD_DISABLE)) ||
		((flags & DPSCTP_SPP_PMTUD_DISABLE) && (mtu < 512 || mtu > DPSCTP_MAX_PACKET));
	enoent = has && !is_peer_addr(t, &addr);
	rc = dpsctp_assoc_set_paddr_params(t->a, has ? &addr : NULL, &pp, f->now);
	TRACE("  %s#%u paddr params %s flags=0x%x mtu=%u hb=%llu ms pmr=%u -> %d\n", nd->name,
		t->id, has ? addr_str(&addr) : "all", flags, mtu,
		(unsigned long long)(hb / DPSCTP_MS), pmr, rc);
	if (einval && enoent)
		CHECK(rc == -EINVAL || rc == -ENOENT);
	else if (einval)
		CHECK(rc == -EINVAL);
	else if (enoent)
		CHECK(rc == -ENOENT);
	else
		CHECK(rc == 0);
	if (rc != 0)
		return;
	/* what was set reads back, on the path or on every path */
	n = dpsctp_assoc_peer_addrs(t->a, list, DPSCTP_MAX_ADDRS);
	for (i = 0; i < n; i++) {
		struct dpsctp_paddr_params got;

		if (has && !addr_eq(&list[i], &addr))
			continue;
		CHECK(dpsctp_assoc_get_paddr_params(t->a, &list[i], &got) == 0);
		if (flags & DPSCTP_SPP_PMTUD_DISABLE)
			CHECK((got.flags & DPSCTP_SPP_PMTUD_DISABLE) != 0 && got.pathmtu == mtu);
		else if (flags & DPSCTP_SPP_PMTUD_ENABLE)
			CHECK((got.flags & DPSCTP_SPP_PMTUD_ENABLE) != 0);
		if (flags & DPSCTP_SPP_HB_DISABLE)
			CHECK((got.flags & DPSCTP_SPP_HB_DISABLE) != 0);
		else if (flags & DPSCTP_SPP_HB_ENABLE)
			CHECK((got.flags & DPSCTP_SPP_HB_ENABLE) != 0);
		if (flags & DPSCTP_SPP_HB_TIME_IS_ZERO)
			CHECK(got.hb_interval == 0);
		else if (hb != 0)
			CHECK(got.hb_interval == hb);
		if (pmr != 0)
			CHECK(got.path_max_retrans == pmr);
	}
}

/* FE_OP_PATH */
static void
op_path(struct fuzz *f, unsigned int side, unsigned int idx)
{
	struct node *nd = &f->node[side];
	uint8_t sub = rd8(f) % 8, arg, sel;
	struct dpsctp_addr addr;
	struct track *t;
	unsigned int i;
	int rc;

	switch (sub) {
	case FE_PATH_OP_CUT:
		path_cut(f, side, rd8(f));
		return;
	case FE_PATH_OP_ROUTE: {
		unsigned int j, l;

		arg = rd8(f);
		j = arg & 3;
		l = (arg >> 2) & 3;
		nd->rt[j] = (uint8_t)((arg & 0x10) != 0 ? RT_FOREIGN : l == 3 ? RT_NONE : l);
		nd->rt_stale = true;
		TRACE("  %s route to peer address %u: %u\n", nd->name, j, nd->rt[j]);
		if (arg & 0x20)
			routes_changed(f, side);
		return;
	}
	case FE_PATH_OP_ROUTES_CHANGED:
		routes_changed(f, side);
		return;
	case FE_PATH_OP_HEAL:
		TRACE("  heal\n");
		memset(f->cut, 0, sizeof(f->cut));
		for (i = 0; i < 4; i++) {
			f->node[0].rt[i] = RT_DEFAULT;
			f->node[1].rt[i] = RT_DEFAULT;
		}
		routes_changed(f, 0);
		routes_changed(f, 1);
		return;
	default:
		break;
	}
	/* the socket options of association idx */
	t = track_pick(nd, idx);
	switch (sub) {
	case FE_PATH_OP_PRIMARY: {
		unsigned int before;

		sel = rd8(f) & 0x7f;
		if (t == NULL)
			return;
		addr_sel(t, sel, &addr);
		before = t->npaddr_ev;
		rc = dpsctp_assoc_set_primary(t->a, &addr, f->now);
		TRACE("  %s#%u set primary %s -> %d\n", nd->name, t->id, addr_str(&addr), rc);
		if (!is_peer_addr(t, &addr)) {
			CHECK(rc == -ENOENT);
		} else {
			struct dpsctp_assoc_status s;

			CHECK(rc == 0);
			dpsctp_assoc_get_status(t->a, &s);
			CHECK(addr_eq(&s.primary.remote, &addr));
			/* MADE_PRIM told to a user that knows the association */
			if (t->up)
				CHECK(t->npaddr_ev == before + 1 && nd->npev > 0 &&
					nd->pev[nd->npev - 1].state == DPSCTP_ADDR_MADE_PRIM &&
					addr_eq(&nd->pev[nd->npev - 1].addr, &addr));
		}
		break;
	}
	case FE_PATH_OP_PARAMS: {
		uint8_t fl, mc, hc, pmr;

		sel = rd8(f);
		fl = rd8(f);
		mc = rd8(f);
		hc = rd8(f);
		pmr = rd8(f);
		if (t != NULL)
			path_params(f, nd, t, sel, fl & 0x3fu, pick_mtu(mc), pick_hb(hc), pmr % 12u);
		break;
	}
	case FE_PATH_OP_THRESHOLDS: {
		uint8_t pmr, pf;
		uint32_t pfv;
		bool has;

		sel = rd8(f);
		pmr = rd8(f) % 10;
		pf = rd8(f);
		pfv = pf == 255 ? DPSCTP_PF_DISABLED : pf % 12u;
		if (t == NULL)
			return;
		has = addr_sel(t, sel, &addr);
		rc = dpsctp_assoc_set_thresholds(t->a, has ? &addr : NULL, pmr, pfv, f->now);
		TRACE("  %s#%u thresholds %s pmr=%u pf=%u -> %d\n", nd->name, t->id,
			has ? addr_str(&addr) : "all", pmr, pfv, rc);
		if (pmr == 0)
			CHECK(rc == -EINVAL);
		else if (has && !is_peer_addr(t, &addr))
			CHECK(rc == -ENOENT);
		else
			CHECK(rc == 0);
		if (rc == 0) {
			struct dpsctp_addr list[DPSCTP_MAX_ADDRS];
			size_t n = dpsctp_assoc_peer_addrs(t->a, list, DPSCTP_MAX_ADDRS);

			for (i = 0; i < n; i++) {
				struct dpsctp_paddr_info pi;

				if (has && !addr_eq(&list[i], &addr))
					continue;
				CHECK(dpsctp_assoc_paddr_info(t->a, &list[i], &pi) == 0);
				CHECK(pi.path_max_retrans == pmr && pi.pf_threshold == pfv);
			}
		}
		break;
	}
	case FE_PATH_OP_HB_DEMAND:
		sel = rd8(f);
		if (t != NULL)
			path_params(f, nd, t, sel, DPSCTP_SPP_HB_DEMAND, 0, 0, 0);
		break;
	default:
		break;
	}
}

/* The path MTUs of every association of @p nd, in track order, path order. */
static unsigned int
mtus(struct node *nd, uint32_t *out, struct dpsctp_addr *addrs, unsigned int cap)
{
	unsigned int n = 0, k, i;

	for (k = 0; k < nd->nt; k++) {
		struct dpsctp_addr list[DPSCTP_MAX_ADDRS];
		size_t m = dpsctp_assoc_peer_addrs(nd->t[k].a, list, DPSCTP_MAX_ADDRS);

		for (i = 0; i < m && n < cap; i++) {
			struct dpsctp_paddr_info pi;

			CHECK(dpsctp_assoc_paddr_info(nd->t[k].a, &list[i], &pi) == 0);
			addrs[n] = list[i];
			out[n++] = pi.mtu;
		}
	}
	return n;
}

/*
 * FE_OP_PTB: an ICMP packet-too-big for a path of association idx (RFC 9260 appendix C). Real
 * ones quote the peer's tag (or 0 and our INIT); a forged one never changes a path MTU.
 */
static void
op_ptb(struct fuzz *f, unsigned int side, unsigned int idx)
{
	struct node *nd = &f->node[side];
	uint8_t mode = rd8(f), sel = rd8(f) & 0x7f;
	uint32_t mtu = rd16(f), tag = 0, itag = 0, floor;
	uint32_t before[MAX_TRACK * DPSCTP_MAX_ADDRS], after[MAX_TRACK * DPSCTP_MAX_ADDRS];
	struct dpsctp_addr ba[MAX_TRACK * DPSCTP_MAX_ADDRS], aa[MAX_TRACK * DPSCTP_MAX_ADDRS];
	struct dpsctp_assoc_status s;
	struct dpsctp_path path;
	uint8_t q[32];
	bool any_ok = false, cand = false, all_perm = true, some_inval = false;
	unsigned int nb, na, k, changed = 0;
	size_t qlen = sizeof(q);
	struct track *t;
	int rc;

	if ((mode & 3) == FE_PTB_TAG_RANDOM || (mode & 3) == FE_PTB_INIT_RANDOM)
		tag = rd32(f);
	t = track_pick(nd, idx);
	if (t == NULL || nd->overflow)
		return;
	dpsctp_assoc_get_status(t->a, &s);
	memset(&path, 0, sizeof(path));
	addr_sel(t, sel, &path.remote);
	{
		struct dpsctp_paddr_info pi;

		if (dpsctp_assoc_paddr_info(t->a, &path.remote, &pi) == 0)
			path.local = pi.path.local;
		else
			path.local = nd->addrs[0];
	}
	/* the quoted packet: our port, the peer's, a tag; an INIT chunk or a DATA chunk header */
	memset(q, 0, sizeof(q));
	dpsctp_put_be16(q, (mode & FE_PTB_BAD_SPORT) ? (uint16_t)(nd->port + 3) : nd->port);
	dpsctp_put_be16(q + 2, (mode & FE_PTB_BAD_DPORT) ? (uint16_t)(s.peer_port + 5) : s.peer_port);
	switch (mode & 3) {
	case FE_PTB_TAG_PEER:
		tag = s.peer_vtag;
		break;
	case FE_PTB_INIT_OURS:
		itag = s.local_vtag;
		tag = 0;
		break;
	case FE_PTB_INIT_RANDOM:
		itag = tag;
		tag = 0;
		break;
	default:
		break;
	}
	dpsctp_put_be32(q + 4, tag);
	q[12] = tag == 0 ? DPSCTP_CHUNK_INIT : DPSCTP_CHUNK_DATA;
	dpsctp_put_be16(q + 14, 20);
	dpsctp_put_be32(q + 16, itag);
	if (mode & FE_PTB_SHORT)
		qlen = (mode >> 5) & 7;
	/* what the engine may answer: each association that has this peer address and port is a
	 * candidate (the engine takes the first it finds) */
	for (k = 0; k < nd->nt; k++) {
		struct dpsctp_assoc_status cs;
		struct dpsctp_paddr_info pi;
		bool ok;

		dpsctp_assoc_get_status(nd->t[k].a, &cs);
		if (cs.peer_port != dpsctp_get_be16(q + 2) ||
			dpsctp_assoc_paddr_info(nd->t[k].a, &path.remote, &pi) != 0)
			continue;
		cand = true;
		ok = tag == 0 ? itag == cs.local_vtag : tag == cs.peer_vtag;
		if (!ok)
			continue;
		all_perm = false;
		if (pi.flags & DPSCTP_SPP_PMTUD_DISABLE)
			some_inval = true;
		else
			any_ok = true;
	}
	nb = mtus(nd, before, ba, MAX_TRACK * DPSCTP_MAX_ADDRS);
	rc = dpsctp_endpoint_icmp_ptb(nd->ep, &path, q, qlen, mtu, f->now);
	TRACE("  %s#%u ptb %s tag=%08x itag=%08x qlen=%zu mtu=%u -> %d\n", nd->name, t->id,
		addr_str(&path.remote), tag, itag, qlen, mtu, rc);
	if (qlen < 8)
		CHECK(rc == -EINVAL);
	else if (mode & FE_PTB_BAD_SPORT)
		CHECK(rc == -ENOENT);
	else if (!cand)
		CHECK(rc == -ENOENT);
	else if (all_perm)
		CHECK(rc == -EPERM);
	else
		CHECK(rc == 0 ? any_ok : rc == -EINVAL ? some_inval : rc == -EPERM);
	na = mtus(nd, after, aa, MAX_TRACK * DPSCTP_MAX_ADDRS);
	CHECK(na == nb);
	floor = path.remote.family == 6 ? 1280 : 512;
	for (k = 0; k < na; k++) {
		CHECK(addr_eq(&aa[k], &ba[k]));
		if (after[k] == before[k])
			continue;
		/* only a believed report changes a path MTU: that path's, down to the report */
		CHECK(rc == 0);
		CHECK(addr_eq(&aa[k], &path.remote));
		CHECK(after[k] < before[k] && after[k] == (mtu > floor ? mtu : floor));
		changed++;
	}
	CHECK(changed <= 1);
}

static void
op_addrs(struct fuzz *f, unsigned int side)
{
	struct node *nd = &f->node[side];
	uint8_t mode = rd8(f);

	node_destroy(nd);
	node_addrs(f, side, mode);
	nd->rt_stale = false;
	/* the other side's routes to our old addresses are not what it would answer now */
	f->node[!side].rt_stale = true;
	TRACE("  %s has %u addresses\n", nd->name, nd->naddr);
	node_create(f, nd);
}

static void
op_shutdown(struct fuzz *f, unsigned int side, unsigned int idx)
{
	struct node *nd = &f->node[side];
	struct track *t = track_pick(nd, idx);
	struct dpsctp_path_info pi;
	enum dpsctp_state st;
	uint32_t id;
	int rc;

	if (t == NULL)
		return;
	st = t->st;
	id = t->id;
	dpsctp_assoc_path_info(t->a, &pi);
	rc = dpsctp_assoc_shutdown(t->a, f->now);
	TRACE("  %s#%u shutdown -> %d\n", nd->name, id, rc);
	t = track_by_id(nd, id);
	switch (st) {
	case DPSCTP_COOKIE_WAIT:
	case DPSCTP_COOKIE_ECHOED:
		CHECK(rc == 0 && t == NULL);
		CHECK(dpsctp_endpoint_assoc_by_id(nd->ep, id) == NULL);
		break;
	case DPSCTP_ESTABLISHED:
		/* 9.2: SHUTDOWN once all data is acknowledged, SHUTDOWN-PENDING until then */
		CHECK(rc == 0 && t != NULL);
		CHECK(t->st == (pi.queued == 0 ? DPSCTP_SHUTDOWN_SENT : DPSCTP_SHUTDOWN_PENDING));
		break;
	default:
		CHECK(rc == -ENOTCONN && t != NULL && t->st == st);
		break;
	}
}

static void
op_abort(struct fuzz *f, unsigned int side, unsigned int idx)
{
	static const uint8_t big[1025];
	struct node *nd = &f->node[side];
	struct track *t = track_pick(nd, idx);
	uint8_t reason[255], *copy = NULL;
	size_t n = rd8(f);
	uint32_t id;
	int rc;

	if (n == 255)
		n = sizeof(big);
	else
		n = rdbytes(f, reason, n);
	if (t == NULL)
		return;
	id = t->id;
	if (n > 0 && n != sizeof(big)) {
		copy = malloc(n);
		CHECK(copy != NULL);
		memcpy(copy, reason, n);
	}
	rc = dpsctp_assoc_abort(t->a, n == sizeof(big) ? big : copy, n, f->now);
	free(copy);
	TRACE("  %s#%u abort(%zu) -> %d\n", nd->name, id, n, rc);
	if (n > 1024) {
		CHECK(rc == -EINVAL && track_by_id(nd, id) != NULL);
	} else {
		CHECK(rc == 0 && track_by_id(nd, id) == NULL);
		CHECK(dpsctp_endpoint_assoc_by_id(nd->ep, id) == NULL);
	}
}

/* The return of dpsctp_assoc_send: engine.h's reasons, in the state the call was made in. */
static void
send_check(struct fuzz *f, struct node *nd, enum dpsctp_state st, uint16_t sid, uint16_t os,
	size_t len, size_t free_before, uint64_t failed, int rc)
{
	bool nomem = rc == -ENOMEM && f->heap.failed > failed;

	switch (st) {
	case DPSCTP_COOKIE_WAIT:
	case DPSCTP_COOKIE_ECHOED:
		/* streams are not negotiated yet: the number asked for bounds sid */
		CHECK(rc == 0 || rc == -EINVAL || rc == -EMSGSIZE || rc == -EAGAIN || nomem);
		break;
	case DPSCTP_ESTABLISHED:
		if (sid >= os)
			CHECK(rc == -EINVAL);
		else if (len > nd->cfg.sndbuf)
			CHECK(rc == -EMSGSIZE);
		else if (len > free_before)
			CHECK(rc == -EAGAIN);
		else
			CHECK(rc == 0 || nomem);
		break;
	default:
		/* 9.2: no new data once a shutdown began */
		CHECK(rc == -ESHUTDOWN);
		break;
	}
	if (rc == -EMSGSIZE)
		CHECK(len > nd->cfg.sndbuf);
	if (rc == -EAGAIN)
		CHECK(len > free_before && len <= nd->cfg.sndbuf);
}

/* FE_OP_SEND: numbered messages whose bytes come from their number. */
static void
op_send(struct fuzz *f, unsigned int side, unsigned int idx)
{
	static const uint64_t lifetimes[4] = {0, 1 * DPSCTP_MS, 100 * DPSCTP_MS, 2000 * DPSCTP_MS};
	struct node *nd = &f->node[side];
	uint8_t sidb = rd8(f), fl = rd8(f);
	uint32_t len = fe_send_len(rd16(f));
	unsigned int count = 1u << (fl >> 5), i;
	struct track *t = track_pick(nd, idx);
	struct dpsctp_sndinfo si;
	uint8_t *buf;
	int rc;

	if (t == NULL)
		return;
	memset(&si, 0, sizeof(si));
	si.sid = sidb == 255 ? 65535 : sidb;
	si.flags = (uint16_t)(((fl & FE_SEND_UNORDERED) != 0 ? DPSCTP_SND_UNORDERED : 0) |
		((fl & FE_SEND_SACK_NOW) != 0 ? DPSCTP_SND_SACK_IMMEDIATELY : 0));
	si.lifetime = lifetimes[(fl >> 2) & 3];
	if (fl & FE_SEND_BAD) {
		static const uint8_t one = 1;

		/* no data, no length, no sndinfo: refused whatever the state */
		switch (len % 3) {
		case 0:
			rc = dpsctp_assoc_send(t->a, &si, NULL, len, f->now);
			break;
		case 1:
			rc = dpsctp_assoc_send(t->a, &si, &one, 0, f->now);
			break;
		default:
			rc = dpsctp_assoc_send(t->a, NULL, &one, 1, f->now);
			break;
		}
		TRACE("  %s#%u bad send -> %d\n", nd->name, t->id, rc);
		CHECK(rc == -EINVAL);
		return;
	}
	for (i = 0; i < count && f->nmsg[side] < MAX_MSGS; i++) {
		uint32_t n = f->nmsg[side];
		struct dpsctp_assoc_status s;
		uint64_t failed = f->heap.failed;
		size_t free_before = dpsctp_assoc_sndbuf_free(t->a);
		struct msg *m;

		dpsctp_assoc_get_status(t->a, &s);
		si.ppid = n;
		si.context = n;
		/* from an exact-size heap copy, freed at once: the engine keeps its own */
		buf = malloc(len);
		CHECK(buf != NULL);
		msg_fill(side, n, buf, len);
		rc = dpsctp_assoc_send(t->a, &si, buf, len, f->now);
		free(buf);
		TRACE("  %s#%u send #%u sid=%u%s len=%u life=%llu ms -> %d\n", nd->name, t->id, n,
			si.sid, (si.flags & DPSCTP_SND_UNORDERED) != 0 ? " unordered" : "", len,
			(unsigned long long)(si.lifetime / DPSCTP_MS), rc);
		/* no callback runs in a send: the track stays where it is */
		send_check(f, nd, t->st, si.sid, s.outbound_streams, len, free_before, failed, rc);
		if (rc != 0)
			break;
		CHECK(dpsctp_assoc_sndbuf_free(t->a) == free_before - len);
		m = &msgs[side][n];
		m->len = len;
		m->uid = t->uid;
		m->lifetime = si.lifetime;
		m->sid = si.sid;
		m->flags = si.flags;
		m->st = 0;
		f->nmsg[side]++;
		nd->nsend++;
		t->nsent++;
		t->sent_bytes += len;
		t->dry_armed = true;
	}
}

/* The application of @p nd reads @p n bytes of what @p t delivered. */
static void
consume(struct fuzz *f, struct node *nd, struct track *t, uint64_t n)
{
	TRACE("  %s#%u consume %llu of %llu\n", nd->name, t->id, (unsigned long long)n,
		(unsigned long long)t->held);
	dpsctp_assoc_consume(t->a, (size_t)n, f->now);
	if (nd->cfg.rcv_app_window)
		t->held = n >= t->held ? 0 : t->held - n;
}

static void
op_consume(struct fuzz *f, unsigned int side, unsigned int idx)
{
	struct node *nd = &f->node[side];
	uint16_t n = rd16(f);
	struct track *t = track_pick(nd, idx);

	if (t != NULL)
		consume(f, nd, t, n == 0xffff ? t->held : n);
}

/* A reader that keeps up reads everything delivered once an operation is done. */
static void
read_all(struct fuzz *f)
{
	unsigned int i, k;

	for (i = 0; i < 2; i++) {
		struct node *nd = &f->node[i];

		if (nd->ep == NULL || nd->slow || !nd->cfg.rcv_app_window)
			continue;
		for (k = 0; k < nd->nt; k++)
			if (nd->t[k].held > 0)
				consume(f, nd, &nd->t[k], nd->t[k].held);
	}
}

static void
op_replay(struct fuzz *f, unsigned int dir, unsigned int idx)
{
	struct queue *h = &f->hist[dir];
	struct dpsctp_path path;
	struct pkt *p;

	if (h->n == 0)
		return;
	p = h->p[idx % h->n];
	path.local = p->path.remote;
	path.remote = p->path.local;
	input_to(f, !dir, p->buf, p->len, &path, p->forged);
}

static void
set_cap(struct fuzz *f, size_t cap)
{
	free(f->out);
	f->cap = cap;
	f->out = malloc(cap > 0 ? cap : 1);
	CHECK(f->out != NULL);
}

static const char *const op_names[FE_OP_COUNT] = {
	[FE_OP_ADVANCE] = "advance",
	[FE_OP_NEXT_DEADLINE] = "next-deadline",
	[FE_OP_DELIVER] = "deliver",
	[FE_OP_RUN] = "run",
	[FE_OP_DROP] = "drop",
	[FE_OP_DUP] = "dup",
	[FE_OP_SWAP] = "swap",
	[FE_OP_FLIP] = "flip",
	[FE_OP_SET16] = "set16",
	[FE_OP_SET32] = "set32",
	[FE_OP_TRUNCATE] = "truncate",
	[FE_OP_APPEND] = "append",
	[FE_OP_CHUNK_FIELD] = "chunk-field",
	[FE_OP_SET_VTAG] = "set-vtag",
	[FE_OP_INJECT] = "inject",
	[FE_OP_CRAFT] = "craft",
	[FE_OP_ASSOCIATE] = "associate",
	[FE_OP_SHUTDOWN] = "shutdown",
	[FE_OP_ABORT] = "abort",
	[FE_OP_LISTEN] = "listen",
	[FE_OP_RESTART] = "restart",
	[FE_OP_CAP] = "cap",
	[FE_OP_ALLOC_FAIL] = "alloc-fail",
	[FE_OP_REPLAY] = "replay",
	[FE_OP_HOLD] = "hold",
	[FE_OP_SEND] = "send",
	[FE_OP_CONSUME] = "consume",
	[FE_OP_READER] = "reader",
	[FE_OP_ADDRS] = "addrs",
	[FE_OP_PATH] = "path",
	[FE_OP_PTB] = "ptb",
	[FE_OP_CONNECTX] = "connectx",
};

static void
one_op(struct fuzz *f, uint8_t b)
{
	unsigned int op = (b & FE_OP_MASK) % FE_OP_COUNT;
	unsigned int side = (b & FE_B) != 0;
	unsigned int idx = (b >> 5) & 3;
	struct node *nd = &f->node[side];
	unsigned int at;
	struct pkt *p;
	uint16_t v;
	uint8_t n;

	TRACE("t=%llu.%03llu %s %s idx=%u\n", (unsigned long long)(f->now / (1000 * DPSCTP_MS)),
		(unsigned long long)(f->now / DPSCTP_MS % 1000), op_names[op], side ? "B" : "A",
		idx);
	switch (op) {
	case FE_OP_ADVANCE:
		advance(f, (uint64_t)rd16(f) * DPSCTP_MS, idx & 1);
		break;
	case FE_OP_NEXT_DEADLINE:
		next_deadline(f);
		break;
	case FE_OP_DELIVER:
		deliver(f, side, idx);
		break;
	case FE_OP_RUN:
		run(f, idx & 1);
		break;
	case FE_OP_DROP:
		p = q_pick(f, side, idx, &at);
		if (p != NULL)
			pkt_put(f, q_remove(&f->q[side], at));
		break;
	case FE_OP_DUP:
		p = q_pick(f, side, idx, &at);
		if (p != NULL && f->q[side].n < QLEN) {
			struct pkt *c = pkt_get(f);

			c->len = p->len;
			c->forged = p->forged;
			c->path = p->path;
			memcpy(c->buf, p->buf, p->len);
			q_insert(&f->q[side], at + 1, c);
		}
		break;
	case FE_OP_SWAP:
		p = q_pick(f, side, idx, &at);
		if (p != NULL && at + 1 < f->q[side].n) {
			f->q[side].p[at] = f->q[side].p[at + 1];
			f->q[side].p[at + 1] = p;
		}
		break;
	case FE_OP_FLIP:
	case FE_OP_SET16:
	case FE_OP_SET32:
	case FE_OP_TRUNCATE:
	case FE_OP_APPEND:
	case FE_OP_CHUNK_FIELD:
	case FE_OP_SET_VTAG:
		mutate(f, op, side, idx);
		break;
	case FE_OP_INJECT:
		op_inject(f, side, idx);
		break;
	case FE_OP_CRAFT:
		op_craft(f, side);
		break;
	case FE_OP_ASSOCIATE:
		op_associate(f, side, idx);
		break;
	case FE_OP_SHUTDOWN:
		op_shutdown(f, side, idx);
		break;
	case FE_OP_ABORT:
		op_abort(f, side, idx);
		break;
	case FE_OP_LISTEN:
		nd->listen = idx & 1;
		if (nd->ep != NULL)
			dpsctp_endpoint_listen(nd->ep, nd->listen);
		break;
	case FE_OP_RESTART:
		node_destroy(nd);
		node_create(f, nd);
		break;
	case FE_OP_CAP:
		v = rd16(f);
		set_cap(f, v == 0 ? 1500 : v > DPSCTP_MAX_PACKET ? DPSCTP_MAX_PACKET : v);
		break;
	case FE_OP_ALLOC_FAIL:
		n = rd8(f);
		if (idx == 0) {
			f->heap.fail_next = n;
		} else if (idx == 1) {
			f->heap.fail_at = f->heap.nalloc + n + 1;
		} else {
			f->heap.fail_next = 0;
			f->heap.fail_at = 0;
		}
		break;
	case FE_OP_REPLAY:
		op_replay(f, side, idx);
		break;
	case FE_OP_HOLD:
		nd->hold = idx & 1;
		break;
	case FE_OP_SEND:
		op_send(f, side, idx);
		break;
	case FE_OP_CONSUME:
		op_consume(f, side, idx);
		break;
	case FE_OP_READER:
		nd->slow = idx & 1;
		break;
	case FE_OP_ADDRS:
		op_addrs(f, side);
		break;
	case FE_OP_PATH:
		op_path(f, side, idx);
		break;
	case FE_OP_PTB:
		op_ptb(f, side, idx);
		break;
	case FE_OP_CONNECTX:
		op_connectx(f, side, idx);
		break;
	default:
		break;
	}
	drain_all(f);
	read_all(f);
	drain_all(f);
	settle(f);
	node_check(f, &f->node[0]);
	node_check(f, &f->node[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz *f = &fz;
	uint8_t hdr[FE_HDR_LEN] = {0};
	unsigned int i, nops;

	if (trace < 0)
		trace = getenv("DPSCTP_FUZZ_TRACE") != NULL && *getenv("DPSCTP_FUZZ_TRACE") != '0';
	memset(f, 0, sizeof(*f));
	f->run = ++runs;
	memcpy(hdr, data, size < FE_HDR_LEN ? size : FE_HDR_LEN);
	f->in = size < FE_HDR_LEN ? data + size : data + FE_HDR_LEN;
	f->end = data + size;
	for (i = 0; i < 8; i++)
		f->rng |= (uint64_t)hdr[i] << (8 * i);
	f->now = T0;
	set_cap(f, 1500);
	for (i = 0; i < POOL; i++)
		f->free_pkts[f->nfree++] = &pool[i];

	f->node[0].f = f;
	f->node[0].name = "A";
	node_addrs(f, 0, 0);
	f->node[0].port = 5000;
	node_config(&f->node[0], hdr[8], hdr[10], false);
	f->node[1].f = f;
	f->node[1].name = "B";
	node_addrs(f, 1, 0);
	f->node[1].port = 5001;
	node_config(&f->node[1], hdr[9], hdr[11], true);
	node_create(f, &f->node[0]);
	node_create(f, &f->node[1]);

	for (nops = 0; nops < MAX_OPS && more(f); nops++)
		one_op(f, rd8(f));

	node_destroy(&f->node[0]);
	node_destroy(&f->node[1]);
	free(f->out);
	TRACE("end: t=%llu ms, %llu allocations (%llu refused)\n",
		(unsigned long long)(f->now / DPSCTP_MS), (unsigned long long)f->heap.nalloc,
		(unsigned long long)f->heap.failed);
	/* everything the engine allocated came back */
	CHECK(f->heap.live == 0 && f->heap.bytes == 0);
	return 0;
}
