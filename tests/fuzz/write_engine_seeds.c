/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the seed corpus of the engine fuzzer (fuzz_engine.c): operation streams for the
 * scenarios the engine must get right - handshake and shutdown, each packet of them lost once,
 * INIT collisions, aborts from either side, peer restarts, timeouts, stale cookies, crafted and
 * corrupted packets, allocation failures; data transfer both ways with loss, reordering,
 * duplication, fast and timer retransmission, fragmentation, streams and unordered messages,
 * lifetimes, full send buffers, slow readers and zero windows, partial delivery, data across
 * shutdown, abort and restart; multihoming: several addresses per node, connectx, paths
 * cut one way or both, routes withdrawn, failover, primary and path parameters, heartbeats
 * on demand, ICMP packet-too-big reports real and forged. Usage: write_engine_seeds DIR
 * (scripts/fuzz.sh --seeds runs it). Run a seed with DPSCTP_FUZZ_TRACE=1 through
 * replay_engine to see what it does.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

#include "fuzz_engine.h"

#define A 0
#define B 1
#define AB 0 /* the link A->B */
#define BA 1 /* the link B->A */

struct seed {
	size_t n;
	uint8_t b[4096];
};

static void
put8(struct seed *s, uint8_t v)
{
	if (s->n < sizeof(s->b))
		s->b[s->n++] = v;
}

static void
put16(struct seed *s, uint16_t v)
{
	put8(s, (uint8_t)(v >> 8));
	put8(s, (uint8_t)v);
}

static void
put32(struct seed *s, uint32_t v)
{
	put16(s, (uint16_t)(v >> 16));
	put16(s, (uint16_t)v);
}

/* A seed with data transfer configurations (FE_DCFG_*) @p d_a and @p d_b. */
static void
begin_d(struct seed *s, uint64_t rng, uint8_t cfg_a, uint8_t cfg_b, uint8_t d_a, uint8_t d_b)
{
	unsigned int i;

	s->n = 0;
	for (i = 0; i < 8; i++)
		put8(s, (uint8_t)(rng >> (8 * i)));
	put8(s, cfg_a);
	put8(s, cfg_b);
	put8(s, d_a);
	put8(s, d_b);
}

static void
begin(struct seed *s, uint64_t rng, uint8_t cfg_a, uint8_t cfg_b)
{
	begin_d(s, rng, cfg_a, cfg_b, 0, 0);
}

static void
op(struct seed *s, enum fe_op o, unsigned int side, unsigned int idx)
{
	put8(s, (uint8_t)(o | (side ? FE_B : 0) | FE_ARG(idx)));
}

static void
associate(struct seed *s, unsigned int side, unsigned int variant, uint16_t os)
{
	op(s, FE_OP_ASSOCIATE, side, variant);
	put16(s, os);
}

static void
run(struct seed *s)
{
	op(s, FE_OP_RUN, A, 0);
}

static void
run_timers(struct seed *s)
{
	op(s, FE_OP_RUN, A, 1);
}

static void
deliver(struct seed *s, unsigned int dir)
{
	op(s, FE_OP_DELIVER, dir, 0);
}

static void
drop(struct seed *s, unsigned int dir)
{
	op(s, FE_OP_DROP, dir, 0);
}

static void
timeout(struct seed *s)
{
	op(s, FE_OP_NEXT_DEADLINE, A, 0);
}

static void
advance(struct seed *s, uint16_t ms)
{
	op(s, FE_OP_ADVANCE, A, 0);
	put16(s, ms);
}

static void
shutdown_(struct seed *s, unsigned int side)
{
	op(s, FE_OP_SHUTDOWN, side, 0);
}

static void
abort_(struct seed *s, unsigned int side, const char *reason)
{
	size_t n = strlen(reason);

	op(s, FE_OP_ABORT, side, 0);
	put8(s, (uint8_t)n);
	while (*reason != '\0')
		put8(s, (uint8_t)*reason++);
}

/* FE_OP_SEND: 1 << @p logn messages of @p len bytes (rounded up to a multiple of 4 plus 1
 * above 16384) on stream @p sid of the side's association @p idx. */
static void
send_n(struct seed *s, unsigned int side, unsigned int idx, uint8_t sid, uint8_t flags,
	unsigned int logn, uint32_t len)
{
	uint16_t v;

	if (len <= 256)
		v = (uint16_t)(len - 1);
	else if (len <= 4096)
		v = (uint16_t)(0x4000 | (len - 1));
	else if (len <= 16384)
		v = (uint16_t)(0x8000 | (len - 1));
	else
		v = (uint16_t)(0xc000 | ((len + 2) / 4));
	op(s, FE_OP_SEND, side, idx);
	put8(s, sid);
	put8(s, (uint8_t)(flags | FE_SEND_COUNT(logn)));
	put16(s, v);
}

static void
send1(struct seed *s, unsigned int side, uint32_t len)
{
	send_n(s, side, 0, 0, 0, 0, len);
}

static void
consume(struct seed *s, unsigned int side, uint16_t n)
{
	op(s, FE_OP_CONSUME, side, 0);
	put16(s, n);
}

/* A's association to B, up. */
static void
handshake(struct seed *s)
{
	associate(s, A, 0, 0);
	run(s);
}

/* One chunk of an FE_OP_CRAFT packet: @p n value bytes, of which @p v holds the first @p have
 * (the rest are the zeros the target reads past the end of the input: last chunk only). */
static void
chunk_long(struct seed *s, uint8_t type, uint8_t flags, const uint8_t *v, size_t have, uint16_t n)
{
	put8(s, type);
	put8(s, flags);
	if (n >= 255) {
		put8(s, 255);
		put16(s, n);
	} else {
		put8(s, (uint8_t)n);
	}
	while (have-- > 0)
		put8(s, *v++);
}

static void
chunk(struct seed *s, uint8_t type, uint8_t flags, const uint8_t *v, uint8_t n)
{
	chunk_long(s, type, flags, v, n, n);
}

static void
craft(struct seed *s, unsigned int from, uint8_t mode, uint8_t nchunks)
{
	op(s, FE_OP_CRAFT, from, 0);
	put8(s, mode);
	put8(s, (uint8_t)(nchunks - 1));
}

static int
write_seed(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(s->b, 1, s->n, f) != s->n) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Data transfer scenarios. */
static int
data_seeds(const char *dir)
{
	/* clang-format off */
	/* DATA chunks: an empty one (No User Data), one for stream 9 of 1 (Invalid Stream), a
	 * B chunk then a second B chunk (6.9); a SACK acknowledging a TSN never sent */
	static const uint8_t data_empty_v[] = {0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t data_bad_sid_v[] = {0, 0, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 'x', 'y'};
	static const uint8_t sack_beyond_v[] = {0x7f, 0xff, 0xff, 0xff, 0, 1, 0, 0, 0, 0, 0, 0};
	static const uint8_t sack_gaps_v[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1,
		0, 2, 0, 3, 0, 6, 0, 9, 0, 0, 0, 5};
	/* clang-format on */
	struct seed s;
	int rc = 0;
	int i;

	/* one message each way, then a graceful shutdown */
	begin(&s, 100, 0, 0);
	handshake(&s);
	send1(&s, A, 100);
	run(&s);
	send1(&s, B, 1400);
	run(&s);
	timeout(&s);
	shutdown_(&s, A);
	run(&s);
	rc |= write_seed(dir, "data-one-each-way", &s);

	/* many messages both ways, in bursts, across streams; delayed SACKs by timer */
	begin(&s, 101, FE_CFG_NO_HB, FE_CFG_NO_HB);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 4, 1000);
	send_n(&s, B, 0, 1, 0, 3, 300);
	run_timers(&s);
	send_n(&s, A, 0, 2, 0, 5, 60);
	send_n(&s, A, 0, 3, FE_SEND_UNORDERED, 2, 5000);
	run(&s);
	timeout(&s);
	run(&s);
	shutdown_(&s, B);
	run_timers(&s);
	rc |= write_seed(dir, "data-bursts", &s);

	/* a message in many fragments, one lost and retransmitted after T3-rtx */
	begin(&s, 102, FE_CFG_FAST, FE_CFG_FAST);
	handshake(&s);
	send1(&s, A, 10000);
	op(&s, FE_OP_DROP, AB, 1);
	run(&s);
	timeout(&s);
	run(&s);
	send1(&s, A, 40000);
	run_timers(&s);
	rc |= write_seed(dir, "data-fragments-t3", &s);

	/* 7.2.4: the first DATA packet lost, the following ones acked with gap blocks: three
	 * miss indications, fast retransmit, fast recovery */
	begin_d(&s, 103, FE_CFG_NO_HB, FE_CFG_NO_HB, FE_DCFG_NODELAY, FE_DCFG_SACK_NOW);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 4, 1200);
	drop(&s, AB);
	for (i = 0; i < 10; i++) {
		deliver(&s, AB);
		deliver(&s, BA);
	}
	run(&s);
	send_n(&s, A, 0, 0, 0, 3, 1200);
	op(&s, FE_OP_DROP, AB, 2);
	run(&s);
	timeout(&s);
	run(&s);
	rc |= write_seed(dir, "data-fast-retransmit", &s);

	/* streams and order: ordered and unordered on several streams, reordered on the link,
	 * duplicated and replayed; sids beyond the streams (refused) */
	begin(&s, 104, FE_CFG_FEW_STREAMS, 0);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 1, 200);
	send_n(&s, A, 0, 1, FE_SEND_UNORDERED, 1, 200);
	send_n(&s, A, 0, 1, 0, 0, 200);
	send_n(&s, A, 0, 2, 0, 0, 200);
	send_n(&s, A, 0, 255, 0, 0, 200);
	send_n(&s, B, 0, 0, FE_SEND_UNORDERED, 2, 3000);
	send_n(&s, B, 0, 1, 0, 0, 10);
	op(&s, FE_OP_SWAP, AB, 0);
	op(&s, FE_OP_DUP, BA, 1);
	op(&s, FE_OP_SWAP, BA, 0);
	run(&s);
	op(&s, FE_OP_REPLAY, AB, 0);
	op(&s, FE_OP_REPLAY, BA, 1);
	run(&s);
	timeout(&s);
	run(&s);
	rc |= write_seed(dir, "data-streams-order", &s);

	/* messages sent while the handshake runs; one with a 1 ms lifetime that ends before its
	 * first transmission (SEND_FAILED, unsent); others with lifetimes that do not */
	begin(&s, 105, 0, 0);
	associate(&s, A, 0, 0);
	send_n(&s, A, 0, 0, FE_SEND_LIFE(1), 1, 500);
	send_n(&s, A, 0, 1, FE_SEND_LIFE(3), 1, 500);
	send_n(&s, A, 0, 9, 0, 0, 500);
	deliver(&s, AB);
	advance(&s, 10);
	send_n(&s, A, 0, 2, FE_SEND_LIFE(2), 2, 500);
	run(&s);
	run_timers(&s);
	rc |= write_seed(dir, "data-lifetime-before-up", &s);

	/* a slow reader with a small window: B stops reading, A's data fills the window, zero
	 * window probes; B reads a little, then keeps up */
	begin_d(&s, 106, FE_CFG_FAST, FE_CFG_FAST, 0, FE_DCFG_APP_WINDOW | FE_DCFG_SMALL_RWND);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 3, 1000);
	run(&s);
	for (i = 0; i < 3; i++) {
		timeout(&s);
		run(&s);
	}
	consume(&s, B, 500);
	run(&s);
	consume(&s, B, 2000);
	run(&s);
	op(&s, FE_OP_READER, B, 0);
	run_timers(&s);
	rc |= write_seed(dir, "data-slow-reader", &s);

	/* partial delivery: a 5000-byte message with pd_point 700 delivered piece by piece, then
	 * the sender aborts (PARTIAL_DELIVERY aborted); again with unordered messages and a
	 * restart of the sender (5.2.4 A on B) */
	begin_d(&s, 107, FE_CFG_NO_HB, FE_CFG_NO_HB, 0, FE_DCFG_PD);
	handshake(&s);
	send1(&s, A, 5000);
	deliver(&s, AB);
	deliver(&s, BA);
	run(&s);
	send1(&s, A, 6000);
	op(&s, FE_OP_DROP, AB, 2);
	deliver(&s, AB);
	deliver(&s, AB);
	abort_(&s, A, "pd");
	run(&s);
	rc |= write_seed(dir, "data-partial-delivery-abort", &s);

	begin_d(&s, 108, FE_CFG_NO_HB, FE_CFG_NO_HB, 0, FE_DCFG_PD | FE_DCFG_SMALL_RWND);
	handshake(&s);
	send_n(&s, A, 0, 0, FE_SEND_UNORDERED, 1, 4000);
	op(&s, FE_OP_DROP, AB, 3);
	deliver(&s, AB);
	deliver(&s, AB);
	op(&s, FE_OP_RESTART, A, 0);
	associate(&s, A, 0, 0);
	run(&s);
	send1(&s, A, 3000);
	run_timers(&s);
	rc |= write_seed(dir, "data-partial-delivery-restart", &s);

	/* a small send buffer: refused messages (-EAGAIN, -EMSGSIZE), room again after SACKs;
	 * calls that are refused whatever the state */
	begin_d(&s, 109, 0, 0, FE_DCFG_SMALL_SNDBUF, 0);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 3, 2000);
	send1(&s, A, 7000);
	send_n(&s, A, 0, 0, FE_SEND_BAD, 0, 3);
	send_n(&s, A, 0, 0, FE_SEND_BAD, 0, 4);
	send_n(&s, A, 0, 0, FE_SEND_BAD, 0, 5);
	run(&s);
	send_n(&s, A, 0, 0, 0, 2, 2000);
	run(&s);
	timeout(&s);
	rc |= write_seed(dir, "data-sndbuf-full", &s);

	/* 9.2 with data: shutdown while data is outstanding (SHUTDOWN-PENDING), the peer's
	 * data in SHUTDOWN-RECEIVED, sends refused once a shutdown began */
	begin(&s, 110, 0, 0);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 2, 3000);
	send_n(&s, B, 0, 0, 0, 2, 3000);
	shutdown_(&s, A);
	send1(&s, A, 10);
	deliver(&s, AB);
	deliver(&s, BA);
	send1(&s, B, 10);
	run(&s);
	timeout(&s);
	run_timers(&s);
	rc |= write_seed(dir, "data-shutdown-pending", &s);

	/* data lost and abort: queued and outstanding messages reported failed */
	begin(&s, 111, 0, 0);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 4, 1000);
	deliver(&s, AB);
	drop(&s, AB);
	abort_(&s, A, "bye");
	run(&s);
	rc |= write_seed(dir, "data-abort-queued", &s);

	/* the peer restarts with data outstanding both ways: 5.2.4 A fails what had TSNs,
	 * queued messages go to the new incarnation */
	begin(&s, 112, 0, 0);
	handshake(&s);
	send_n(&s, B, 0, 0, 0, 3, 1000);
	send_n(&s, A, 0, 0, 0, 1, 1000);
	deliver(&s, BA);
	op(&s, FE_OP_HOLD, B, 1);
	send_n(&s, B, 0, 1, 0, 2, 100);
	op(&s, FE_OP_RESTART, A, 0);
	associate(&s, A, 0, 0);
	op(&s, FE_OP_HOLD, B, 0);
	run(&s);
	send1(&s, A, 100);
	run_timers(&s);
	rc |= write_seed(dir, "data-restart", &s);

	/* a 576-byte path MTU: more fragments; a large message larger than the window */
	begin_d(&s, 113, 0, 0, FE_DCFG_SMALL_MTU, FE_DCFG_SMALL_MTU | FE_DCFG_SMALL_RWND);
	handshake(&s);
	send1(&s, A, 3000);
	send1(&s, B, 3000);
	run(&s);
	send1(&s, A, 9000);
	run_timers(&s);
	rc |= write_seed(dir, "data-small-mtu", &s);

	/* allocations refused while sending and receiving */
	begin(&s, 114, 0, 0);
	handshake(&s);
	op(&s, FE_OP_ALLOC_FAIL, A, 0);
	put8(&s, 1);
	send1(&s, A, 100);
	send_n(&s, A, 0, 0, 0, 1, 100);
	op(&s, FE_OP_ALLOC_FAIL, A, 0);
	put8(&s, 1);
	deliver(&s, AB);
	run(&s);
	timeout(&s);
	op(&s, FE_OP_ALLOC_FAIL, A, 1);
	put8(&s, 0);
	send_n(&s, B, 0, 0, 0, 1, 2000);
	run_timers(&s);
	rc |= write_seed(dir, "data-alloc-failures", &s);

	/* delayed SACKs: the SACK timer, one SACK per four packets, Max.Burst 1; the I bit */
	begin_d(&s, 115, FE_CFG_NO_HB, FE_CFG_NO_HB, FE_DCFG_SLOW_SACK, FE_DCFG_SLOW_SACK);
	handshake(&s);
	send1(&s, A, 100);
	run(&s);
	timeout(&s);
	run(&s);
	send_n(&s, A, 0, 0, FE_SEND_SACK_NOW, 3, 1400);
	run(&s);
	timeout(&s);
	run(&s);
	rc |= write_seed(dir, "data-delayed-sack", &s);

	/* crafted DATA and SACK chunks: an empty DATA chunk (ABORT, No User Data); a stream out
	 * of range (Invalid Stream); a SACK with gap blocks; a SACK beyond what was sent (ABORT) */
	begin(&s, 116, 0, FE_CFG_FEW_STREAMS);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 2, 300);
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 3, 0, sack_gaps_v, sizeof(sack_gaps_v));
	craft(&s, A, FE_VTAG_LOCAL, 1);
	chunk(&s, 0, 3, data_bad_sid_v, sizeof(data_bad_sid_v));
	run(&s);
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 3, 0, sack_beyond_v, sizeof(sack_beyond_v));
	run(&s);
	handshake(&s);
	craft(&s, A, FE_VTAG_LOCAL, 1);
	chunk(&s, 0, 3, data_empty_v, sizeof(data_empty_v));
	run(&s);
	rc |= write_seed(dir, "data-craft", &s);

	/* DATA mutated on the link: a flipped payload byte, a changed stream, a cut chunk */
	begin(&s, 117, 0, 0);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 2, 800);
	op(&s, FE_OP_FLIP, AB, 0);
	put16(&s, 40);
	put8(&s, 0x01);
	op(&s, FE_OP_SET16, AB, 1);
	put16(&s, 20);
	put16(&s, 7);
	op(&s, FE_OP_TRUNCATE, AB, 2);
	put16(&s, 500);
	run_timers(&s);
	rc |= write_seed(dir, "data-mutated", &s);

	/* many one-byte messages: the TSN ring grows; a held output, then a burst */
	begin_d(&s, 118, FE_CFG_NO_HB, FE_CFG_NO_HB, FE_DCFG_NODELAY, FE_DCFG_SACK_NOW);
	handshake(&s);
	op(&s, FE_OP_HOLD, A, 1);
	for (i = 0; i < 4; i++)
		send_n(&s, A, 0, (uint8_t)i, (uint8_t)(i & 1), 7, 1);
	op(&s, FE_OP_HOLD, A, 0);
	run(&s);
	run(&s);
	timeout(&s);
	run(&s);
	rc |= write_seed(dir, "data-many-small", &s);

	/* the network loses everything for a while: T3-rtx backs off until the association is
	 * declared dead (COMM_LOST, messages failed) */
	begin(&s, 119, FE_CFG_FAST | FE_CFG_FEW_RETRANS, FE_CFG_FAST);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 2, 1000);
	for (i = 0; i < 4; i++) {
		drop(&s, AB);
		drop(&s, AB);
		timeout(&s);
	}
	run_timers(&s);
	rc |= write_seed(dir, "data-t3-dead", &s);

	/* B reads only when told, with the default window: consume in steps; tiny timers */
	begin_d(&s, 120, FE_CFG_NO_HB, FE_CFG_NO_HB, FE_DCFG_APP_WINDOW, FE_DCFG_APP_WINDOW);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 3, 16000);
	send_n(&s, B, 0, 0, 0, 1, 1000);
	for (i = 0; i < 4; i++) {
		run(&s);
		timeout(&s);
	}
	consume(&s, A, 0xffff);
	consume(&s, B, 30000);
	run_timers(&s);
	consume(&s, B, 0xffff);
	run_timers(&s);
	rc |= write_seed(dir, "data-app-window", &s);

	/* bulk data both ways at once, nothing lost: every DATA packet also carries (or waits
	 * for) a delayed SACK */
	begin(&s, 121, FE_CFG_NO_HB, FE_CFG_NO_HB);
	handshake(&s);
	send_n(&s, A, 0, 0, 0, 2, 16000);
	send_n(&s, B, 0, 0, 0, 2, 16000);
	for (i = 0; i < 6; i++) {
		run(&s);
		timeout(&s);
	}
	rc |= write_seed(dir, "data-bidirectional-bulk", &s);
	return rc;
}

/* ---- multihoming ---- */

/* FE_OP_ADDRS: 1 + (@p mode & 3) % 3 addresses (bit 2: the third IPv6). */
static void
addrs(struct seed *s, unsigned int side, uint8_t mode)
{
	op(s, FE_OP_ADDRS, side, 0);
	put8(s, mode);
}

static void
path_op(struct seed *s, unsigned int side, unsigned int idx, uint8_t sub)
{
	op(s, FE_OP_PATH, side, idx);
	put8(s, sub);
}

/* Cut (or restore) local address @p l of the side to peer address @p p, directions @p dirs
 * (1: out, 2: in, 3: both); 3 for l or p: all. */
static void
cut(struct seed *s, unsigned int side, unsigned int l, unsigned int p, unsigned int dirs,
	bool restore)
{
	path_op(s, side, 0, FE_PATH_OP_CUT);
	put8(s, (uint8_t)(l | p << 2 | dirs << 4 | (restore ? 0x40 : 0)));
}

/* The side's route to peer address @p p: local address @p l (3: none); @p tell: routes_changed. */
static void
route(struct seed *s, unsigned int side, unsigned int p, unsigned int l, bool tell)
{
	path_op(s, side, 0, FE_PATH_OP_ROUTE);
	put8(s, (uint8_t)(p | l << 2 | (tell ? 0x20 : 0)));
}

static void
primary(struct seed *s, unsigned int side, uint8_t sel)
{
	path_op(s, side, 0, FE_PATH_OP_PRIMARY);
	put8(s, sel);
}

static void
params(struct seed *s, unsigned int side, uint8_t sel, uint8_t flags, uint8_t mtu, uint8_t hb,
	uint8_t pmr)
{
	path_op(s, side, 0, FE_PATH_OP_PARAMS);
	put8(s, sel);
	put8(s, flags);
	put8(s, mtu);
	put8(s, hb);
	put8(s, pmr);
}

static void
thresholds(struct seed *s, unsigned int side, uint8_t sel, uint8_t pmr, uint8_t pf)
{
	path_op(s, side, 0, FE_PATH_OP_THRESHOLDS);
	put8(s, sel);
	put8(s, pmr);
	put8(s, pf);
}

static void
hb_demand(struct seed *s, unsigned int side, uint8_t sel)
{
	path_op(s, side, 0, FE_PATH_OP_HB_DEMAND);
	put8(s, sel);
}

static void
ptb(struct seed *s, unsigned int side, uint8_t mode, uint8_t sel, uint16_t mtu, uint32_t tag)
{
	op(s, FE_OP_PTB, side, 0);
	put8(s, mode);
	put8(s, sel);
	put16(s, mtu);
	if ((mode & 3) == FE_PTB_TAG_RANDOM || (mode & 3) == FE_PTB_INIT_RANDOM)
		put32(s, tag);
}

static void
connectx(struct seed *s, unsigned int side, const uint8_t *sel, unsigned int n)
{
	unsigned int i;

	op(s, FE_OP_CONNECTX, side, 0);
	put8(s, (uint8_t)(n - 1));
	for (i = 0; i < n; i++)
		put8(s, sel[i]);
	put16(s, 0);
}

static int
multihome_seeds(const char *dir)
{
	static const uint8_t all3[] = {0, 1, 2};
	static const uint8_t mixed[] = {FE_CX_BAD, 0};
	static const uint8_t v6first[] = {2, 0, FE_CX_OTHER4};
	struct seed s;
	int rc = 0;
	int i;

	/* three addresses each (the third IPv6): connectx to all, data, the first pair cut both
	 * ways: T3-rtx, failover to another path, the primary INACTIVE; healed: it comes back */
	begin(&s, 200, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 2 | 4);
	addrs(&s, B, 2 | 4);
	connectx(&s, A, all3, 3);
	run_timers(&s);
	send_n(&s, A, 0, 0, 0, 2, 1000);
	send_n(&s, B, 0, 0, 0, 2, 1000);
	run(&s);
	cut(&s, A, 0, 0, 3, false);
	send_n(&s, A, 0, 0, 0, 3, 1200);
	send_n(&s, B, 0, 0, 0, 3, 1200);
	for (i = 0; i < 12; i++) {
		timeout(&s);
		run(&s);
	}
	path_op(&s, A, 0, FE_PATH_OP_HEAL);
	for (i = 0; i < 6; i++) {
		timeout(&s);
		run(&s);
	}
	shutdown_(&s, A);
	run(&s);
	rc |= write_seed(dir, "mh-connectx-failover", &s);

	/* two addresses each: B's second address confirmed by heartbeat, made primary; data on
	 * it; then a pair cut one way only (A->B on 1-1): DATA lost, SACKs still come back */
	begin(&s, 201, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 1);
	addrs(&s, B, 1);
	handshake(&s);
	run_timers(&s);
	primary(&s, A, 1);
	send_n(&s, A, 0, 0, 0, 2, 800);
	run(&s);
	cut(&s, A, 1, 1, 1, false);
	send_n(&s, A, 0, 0, 0, 2, 800);
	for (i = 0; i < 8; i++) {
		timeout(&s);
		run(&s);
	}
	cut(&s, A, 1, 1, 1, true);
	primary(&s, A, FE_ADDR_UNKNOWN);
	run_timers(&s);
	rc |= write_seed(dir, "mh-primary-one-way-cut", &s);

	/* routes: A's route to B's first address withdrawn (told at once), data moves; restored
	 * without telling, then told; a route answered with an address A does not have */
	begin(&s, 202, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 1);
	addrs(&s, B, 1);
	handshake(&s);
	run_timers(&s);
	route(&s, A, 0, 3, true);
	send_n(&s, A, 0, 0, 0, 2, 500);
	run(&s);
	route(&s, A, 0, 0, false);
	send1(&s, A, 300);
	run(&s);
	path_op(&s, A, 0, FE_PATH_OP_ROUTES_CHANGED);
	run_timers(&s);
	path_op(&s, A, 0, FE_PATH_OP_ROUTE);
	put8(&s, 0x1 | 0x10 | 0x20); /* peer address 1: a foreign local address */
	send_n(&s, A, 0, 0, 0, 1, 500);
	run(&s);
	route(&s, B, 3, 3, true); /* B: no route to addresses that are not A's */
	route(&s, A, 1, 1, true);
	run_timers(&s);
	rc |= write_seed(dir, "mh-routes", &s);

	/* the path socket options: every flag combination error, heartbeats off and on demand,
	 * a fixed MTU on one path, thresholds with PF on, then the paths cut: PF, INACTIVE */
	begin(&s, 203, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 2);
	addrs(&s, B, 2);
	handshake(&s);
	run_timers(&s);
	params(&s, A, 0, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_DISABLE, 0, 0, 0);
	params(&s, A, 0, DPSCTP_SPP_PMTUD_ENABLE | DPSCTP_SPP_PMTUD_DISABLE, 5, 0, 0);
	params(&s, A, 0, DPSCTP_SPP_PMTUD_DISABLE, 1, 0, 0);            /* 511: refused */
	params(&s, A, 0, DPSCTP_SPP_PMTUD_DISABLE, 7, 0, 0);            /* 9217: refused */
	params(&s, A, FE_ADDR_UNKNOWN, DPSCTP_SPP_HB_ENABLE, 0, 3, 0);  /* -ENOENT */
	params(&s, A, 1, DPSCTP_SPP_PMTUD_DISABLE, 2, 0, 0);            /* 512 */
	params(&s, A, 0x80, DPSCTP_SPP_HB_DISABLE, 0, 0, 3);
	hb_demand(&s, A, 2);
	run(&s);
	params(&s, A, 0x80, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_TIME_IS_ZERO, 0, 0, 4);
	params(&s, B, 0, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_ENABLE, 0, 5, 2);
	thresholds(&s, A, 0x80, 4, 1);
	thresholds(&s, A, 0, 0, 1);                /* -EINVAL */
	thresholds(&s, A, FE_ADDR_UNKNOWN, 3, 1);  /* -ENOENT */
	thresholds(&s, B, 1, 2, 255);
	send_n(&s, A, 0, 0, 0, 3, 1000);
	cut(&s, A, 0, 3, 3, false);
	for (i = 0; i < 10; i++) {
		timeout(&s);
		run(&s);
	}
	cut(&s, A, 3, 3, 3, false);
	for (i = 0; i < 10; i++) {
		timeout(&s);
		run(&s);
	}
	rc |= write_seed(dir, "mh-paddr-params-pf", &s);

	/* ICMP packet-too-big: a real report (the peer's tag) with fragmented and unfragmented
	 * messages queued, forgeries (random tag, INIT with a wrong tag, short quote, wrong ports),
	 * one for a path with PMTU discovery off, one in COOKIE-WAIT quoting our INIT */
	begin(&s, 204, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 1);
	addrs(&s, B, 1);
	associate(&s, A, 0, 0);
	ptb(&s, A, FE_PTB_INIT_OURS, 0, 1000, 0);
	ptb(&s, A, FE_PTB_INIT_RANDOM, 0, 700, 0x12345678);
	run_timers(&s);
	send_n(&s, A, 0, 0, 0, 2, 3000);
	ptb(&s, A, FE_PTB_TAG_PEER, 0, 800, 0);
	ptb(&s, A, FE_PTB_TAG_RANDOM, 1, 600, 0xdeadbeef);
	ptb(&s, A, FE_PTB_TAG_PEER | FE_PTB_SHORT | (5 << 5), 0, 600, 0);
	ptb(&s, A, FE_PTB_TAG_PEER | FE_PTB_BAD_SPORT, 0, 600, 0);
	ptb(&s, A, FE_PTB_TAG_PEER | FE_PTB_BAD_DPORT, 0, 600, 0);
	ptb(&s, A, FE_PTB_TAG_PEER, FE_ADDR_UNKNOWN, 600, 0);
	params(&s, A, 1, DPSCTP_SPP_PMTUD_DISABLE, 5, 0, 0);
	ptb(&s, A, FE_PTB_TAG_PEER, 1, 600, 0);
	ptb(&s, A, FE_PTB_TAG_PEER, 0, 100, 0);
	send_n(&s, A, 0, 0, 0, 1, 5000);
	run(&s);
	ptb(&s, B, FE_PTB_TAG_PEER, 0, 1300, 0);
	send_n(&s, B, 0, 0, 0, 1, 2000);
	run_timers(&s);
	rc |= write_seed(dir, "mh-icmp-ptb", &s);

	/* connectx: a bad address refused, an IPv6 address first, an address that is not the
	 * peer's; the second association refused (in use); every route withdrawn: -ENETUNREACH */
	begin(&s, 205, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 2 | 4);
	addrs(&s, B, 2 | 4);
	connectx(&s, A, mixed, 2);
	connectx(&s, A, v6first, 3);
	connectx(&s, A, all3, 3);
	run_timers(&s);
	send_n(&s, B, 0, 0, 0, 2, 700);
	run(&s);
	route(&s, B, 3, 3, false);
	route(&s, B, 0, 3, false);
	route(&s, B, 1, 3, false);
	route(&s, B, 2, 3, true);
	connectx(&s, B, all3, 3);
	path_op(&s, A, 0, FE_PATH_OP_HEAL);
	run_timers(&s);
	rc |= write_seed(dir, "mh-connectx-errors", &s);

	/* a peer restart with fewer addresses: paths REMOVED; both sides' addresses change */
	begin(&s, 206, FE_CFG_FAST, FE_CFG_FAST);
	addrs(&s, A, 2);
	addrs(&s, B, 2);
	handshake(&s);
	run_timers(&s);
	addrs(&s, A, 0);
	handshake(&s);
	run_timers(&s);
	send_n(&s, B, 0, 0, 0, 1, 400);
	run(&s);
	rc |= write_seed(dir, "mh-restart-fewer-addresses", &s);
	return rc;
}

int
main(int argc, char **argv)
{
	/* chunk values, laid out field by field */
	/* clang-format off */
	static const uint8_t hb_info[] = {0, 1, 0, 8, 0xde, 0xad, 0xbe, 0xef};
	static const uint8_t shutdown_v[] = {0, 0, 0, 0};
	static const uint8_t sack_v[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	static const uint8_t data_v[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 'h', 'i'};
	static const uint8_t cause_v[] = {0, 13, 0, 4};
	static const uint8_t stale_v[] = {0, 3, 0, 8, 0, 0, 0x27, 0x10};
	/* INIT: tag, a_rwnd, OS 5, MIS 5, TSN; IPv4 198.18.0.1, IPv6 2001:db8::1, Supported
	 * Address Types (IPv4, IPv6), an unknown skip-and-report parameter, Cookie Preservative */
	static const uint8_t init_v[] = {0x11, 0x11, 0x11, 0x11, 0, 1, 0, 0, 0, 5, 0, 5, 0, 0, 0, 1,
		0, 5, 0, 8, 198, 18, 0, 1,
		0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 12, 0, 8, 0, 5, 0, 6,
		0xc0, 0x01, 0, 8, 1, 2, 3, 4,
		0, 9, 0, 8, 0, 0, 0x03, 0xe8};
	/* INIT with a new address (198.18.0.77): 5.2.2, Restart with New Addresses */
	static const uint8_t init_new_addr_v[] = {0x22, 0x22, 0x22, 0x22, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1, 0, 5, 0, 8, 198, 18, 0, 77};
	/* INIT with a Host Name Address (5.1.2), with a stop-and-report parameter (3.2.1) */
	static const uint8_t init_host_v[] = {0x33, 0x33, 0x33, 0x33, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1, 0, 11, 0, 8, 'a', 'b', 'c', 0};
	static const uint8_t init_stop_v[] = {0x44, 0x44, 0x44, 0x44, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1, 0x40, 0x02, 0, 8, 9, 9, 9, 9};
	/* INIT ACKs: without a State Cookie; with a cookie and a parameter to report */
	static const uint8_t init_ack_nocookie_v[] = {0x55, 0x55, 0x55, 0x55, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1};
	static const uint8_t init_ack_report_v[] = {0x66, 0x66, 0x66, 0x66, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1, 0, 7, 0, 8, 0xc0, 0x0c, 0x1e, 0x00, 0xc0, 0x09, 0, 8, 5, 6, 7, 8};
	/* INIT longer than a cookie may carry: a PADDING parameter of 2100 bytes */
	static const uint8_t init_long_v[] = {0x77, 0x77, 0x77, 0x77, 0, 1, 0, 0, 0, 5, 0, 5,
		0, 0, 0, 1, 0x80, 0x05, 0x08, 0x34};
	static const uint8_t unknown_v[250] = {1};
	static const uint8_t append_v[] = {0xc0, 0x07, 0, 8, 1, 2, 3, 4};
	/* clang-format on */
	struct seed s;
	const char *dir;
	int rc = 0;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	begin(&s, 1, 0, 0);
	handshake(&s);
	shutdown_(&s, A);
	run(&s);
	rc |= write_seed(dir, "handshake-shutdown", &s);

	begin(&s, 2, 0, 0);
	handshake(&s);
	shutdown_(&s, B);
	run(&s);
	rc |= write_seed(dir, "handshake-shutdown-by-b", &s);

	/* each handshake and shutdown packet lost once: T1-init, T1-cookie, T2-shutdown, 5.2.4 D,
	 * 8.4 rule 5 repair it */
	for (i = 0; i < 7; i++) {
		static const char *const names[] = {"lost-init", "lost-init-ack",
			"lost-cookie-echo", "lost-cookie-ack", "lost-shutdown", "lost-shutdown-ack",
			"lost-shutdown-complete"};
		int k;

		begin(&s, (uint64_t)(10 + i), 0, 0);
		associate(&s, A, 0, 0);
		for (k = 0; k < (i < 4 ? i : 4); k++)
			deliver(&s, k % 2 == 0 ? AB : BA);
		if (i < 4) {
			drop(&s, i % 2 == 0 ? AB : BA);
			timeout(&s);
			run(&s);
		} else {
			shutdown_(&s, A);
			for (k = 4; k < i; k++)
				deliver(&s, k % 2 == 0 ? AB : BA);
			drop(&s, i % 2 == 0 ? AB : BA);
			timeout(&s);
		}
		run(&s);
		if (i < 4) {
			shutdown_(&s, A);
			run(&s);
		}
		rc |= write_seed(dir, names[i], &s);
	}

	/* 5.2.1: both INITs cross (A listens too) */
	begin(&s, 20, FE_CFG_FLIP_LISTEN, 0);
	associate(&s, A, 0, 0);
	associate(&s, B, 0, 0);
	deliver(&s, AB);
	deliver(&s, BA);
	run_timers(&s);
	shutdown_(&s, A);
	run(&s);
	rc |= write_seed(dir, "collision-init-init", &s);

	/* 5.2.1 in COOKIE-ECHOED: B's INIT arrives after A took B's INIT ACK */
	begin(&s, 21, 0, 0);
	op(&s, FE_OP_LISTEN, A, 1);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	associate(&s, B, 0, 0);
	deliver(&s, BA);
	deliver(&s, BA);
	run_timers(&s);
	rc |= write_seed(dir, "collision-cookie-echoed", &s);

	/* 5.2.4 B: COOKIE ECHOs cross */
	begin(&s, 22, FE_CFG_FLIP_LISTEN, 0);
	associate(&s, A, 0, 0);
	associate(&s, B, 0, 0);
	deliver(&s, AB);
	deliver(&s, BA);
	deliver(&s, AB);
	deliver(&s, BA);
	op(&s, FE_OP_SWAP, AB, 0);
	run_timers(&s);
	rc |= write_seed(dir, "collision-cookies-cross", &s);

	begin(&s, 30, 0, 0);
	handshake(&s);
	abort_(&s, A, "bye");
	run(&s);
	rc |= write_seed(dir, "abort-from-a", &s);

	begin(&s, 31, 0, 0);
	handshake(&s);
	abort_(&s, B, "");
	run(&s);
	rc |= write_seed(dir, "abort-from-b", &s);

	/* ABORT in COOKIE-ECHOED: B has nothing, the ABORT is out of the blue */
	begin(&s, 32, 0, 0);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	deliver(&s, BA);
	abort_(&s, A, "early");
	run(&s);
	rc |= write_seed(dir, "abort-cookie-echoed", &s);

	/* 5.2.2 then 5.2.4 A: A comes back with new tags, B restarts its association */
	begin(&s, 40, 0, 0);
	handshake(&s);
	op(&s, FE_OP_RESTART, A, 0);
	associate(&s, A, 0, 0);
	run(&s);
	shutdown_(&s, A);
	run(&s);
	rc |= write_seed(dir, "restart", &s);

	/* 5.2.4 A in SHUTDOWN-ACK-SENT: A shuts down and restarts at once; its new INIT overtakes
	 * the old SHUTDOWN, which B takes after sending the INIT ACK, so that the COOKIE ECHO finds
	 * B in SHUTDOWN-ACK-SENT: SHUTDOWN ACK + Cookie Received While Shutting Down */
	begin(&s, 41, 0, 0);
	handshake(&s);
	shutdown_(&s, A);
	op(&s, FE_OP_RESTART, A, 0);
	associate(&s, A, 0, 0);
	op(&s, FE_OP_DELIVER, AB, 1);
	deliver(&s, BA);
	deliver(&s, AB);
	deliver(&s, BA);
	deliver(&s, AB);
	run_timers(&s);
	rc |= write_seed(dir, "restart-in-shutdown-ack-sent", &s);

	/* 8.3: heartbeats answered, then lost until the association is declared dead */
	begin(&s, 50, FE_CFG_FAST | FE_CFG_FEW_RETRANS, FE_CFG_FAST | FE_CFG_FEW_RETRANS);
	handshake(&s);
	for (i = 0; i < 3; i++) {
		timeout(&s);
		run(&s);
	}
	for (i = 0; i < 4; i++) {
		timeout(&s);
		drop(&s, AB);
		drop(&s, BA);
	}
	run_timers(&s);
	rc |= write_seed(dir, "heartbeat-loss", &s);

	/* T1-init exhausted: CANT_STR_ASSOC */
	begin(&s, 51, FE_CFG_FAST | FE_CFG_FEW_RETRANS, 0);
	associate(&s, A, 0, 0);
	for (i = 0; i < 3; i++) {
		drop(&s, AB);
		timeout(&s);
	}
	rc |= write_seed(dir, "init-timeout", &s);

	/* T2-shutdown exhausted, then the T5 guard */
	begin(&s, 52, FE_CFG_FAST | FE_CFG_FEW_RETRANS, FE_CFG_FAST);
	handshake(&s);
	shutdown_(&s, A);
	for (i = 0; i < 4; i++) {
		drop(&s, AB);
		timeout(&s);
	}
	run_timers(&s);
	rc |= write_seed(dir, "shutdown-timeout", &s);

	/* 8.4 rule 3: B does not listen and aborts the INIT */
	begin(&s, 53, 0, FE_CFG_FLIP_LISTEN);
	handshake(&s);
	op(&s, FE_OP_LISTEN, B, 1);
	associate(&s, A, 0, 0);
	run(&s);
	rc |= write_seed(dir, "not-listening", &s);

	/* 5.2.6: the COOKIE ECHO arrives late: Stale Cookie error, new INIT, Cookie Preservative */
	begin(&s, 54, 0, FE_CFG_SHORT_COOKIE);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	deliver(&s, BA);
	advance(&s, 500);
	run_timers(&s);
	rc |= write_seed(dir, "stale-cookie", &s);

	/* 5.2.6: stale again after the Cookie Preservative, past Max.Init.Retransmits: the
	 * association fails (CANT_STR_ASSOC) */
	begin(&s, 56, FE_CFG_FEW_RETRANS, FE_CFG_SHORT_COOKIE);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	deliver(&s, BA);
	advance(&s, 500);
	for (i = 0; i < 2; i++) {
		deliver(&s, AB);
		deliver(&s, BA);
		deliver(&s, AB);
		deliver(&s, BA);
		advance(&s, 900);
	}
	run(&s);
	rc |= write_seed(dir, "stale-cookie-max", &s);

	/* a corrupted State Cookie and a corrupted INIT */
	begin(&s, 55, 0, 0);
	associate(&s, A, 0, 0);
	op(&s, FE_OP_CHUNK_FIELD, AB, 0);
	put8(&s, 0);
	put8(&s, 3);
	put16(&s, 0xfc);
	deliver(&s, AB);
	timeout(&s);
	deliver(&s, AB);
	op(&s, FE_OP_FLIP, BA, 0);
	put16(&s, 120);
	put8(&s, 0x40);
	run_timers(&s);
	rc |= write_seed(dir, "corrupted-handshake", &s);

	/* crafted packets out of the blue: ABORT, SHUTDOWN ACK, HEARTBEAT, unknown chunks */
	begin(&s, 60, 0, 0);
	craft(&s, A, FE_VTAG_INPUT, 1);
	put32(&s, 0x12345678);
	chunk(&s, 6, 0, NULL, 0);
	craft(&s, A, FE_VTAG_INPUT, 1);
	put32(&s, 0x12345678);
	chunk(&s, 8, 0, NULL, 0);
	craft(&s, A, FE_VTAG_INPUT, 2);
	put32(&s, 0x12345678);
	chunk(&s, 4, 0, hb_info, sizeof(hb_info));
	chunk(&s, 0xff, 0, hb_info, 3);
	craft(&s, A, FE_VTAG_ZERO | (FE_PATH_OTHER << 4), 1);
	chunk(&s, 10, 0, hb_info, sizeof(hb_info));
	run(&s);
	rc |= write_seed(dir, "craft-ootb", &s);

	/* crafted packets with the right tag: HEARTBEAT, SACK, DATA, ERROR, unknown chunks with
	 * each report/skip combination, SHUTDOWN, an ABORT with the T bit */
	begin(&s, 61, 0, 0);
	handshake(&s);
	craft(&s, A, FE_VTAG_LOCAL, 4);
	chunk(&s, 4, 0, hb_info, sizeof(hb_info));
	chunk(&s, 3, 0, sack_v, sizeof(sack_v));
	chunk(&s, 0, 3, data_v, sizeof(data_v));
	chunk(&s, 9, 0, cause_v, sizeof(cause_v));
	craft(&s, A, FE_VTAG_LOCAL, 4);
	chunk(&s, 0xc1, 0, hb_info, 4);
	chunk(&s, 0x81, 0, hb_info, 4);
	chunk(&s, 0x41, 0, hb_info, 4);
	chunk(&s, 0x01 + 0x20, 0, hb_info, 4);
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 9, 0, stale_v, sizeof(stale_v));
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 7, 0, shutdown_v, sizeof(shutdown_v));
	run(&s);
	craft(&s, A, FE_VTAG_PEER, 1);
	chunk(&s, 6, 1, NULL, 0);
	run(&s);
	rc |= write_seed(dir, "craft-in-association", &s);

	/* a second association from A (another address), a wrong port, an IPv6 peer */
	begin(&s, 62, 0, 0);
	handshake(&s);
	associate(&s, A, 2, 3);
	run(&s);
	associate(&s, A, 1, 0);
	associate(&s, A, 3, 0);
	associate(&s, A, 0, 0);
	run_timers(&s);
	rc |= write_seed(dir, "second-association", &s);

	/* allocations refused: the cookie copy, the reply queue, the association itself */
	begin(&s, 63, 0, 0);
	op(&s, FE_OP_ALLOC_FAIL, A, 1);
	put8(&s, 1);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	op(&s, FE_OP_ALLOC_FAIL, A, 0);
	put8(&s, 1);
	deliver(&s, BA);
	op(&s, FE_OP_ALLOC_FAIL, A, 0);
	put8(&s, 2);
	run_timers(&s);
	op(&s, FE_OP_ALLOC_FAIL, A, 0);
	put8(&s, 1);
	op(&s, FE_OP_RESTART, B, 0);
	op(&s, FE_OP_RESTART, B, 0);
	run_timers(&s);
	rc |= write_seed(dir, "alloc-failures", &s);

	/* an output buffer too small for the INIT ACK, then for everything */
	begin(&s, 64, 0, 0);
	op(&s, FE_OP_CAP, A, 0);
	put16(&s, 100);
	associate(&s, A, 0, 0);
	run(&s);
	op(&s, FE_OP_CAP, A, 0);
	put16(&s, 20);
	timeout(&s);
	op(&s, FE_OP_CAP, A, 0);
	put16(&s, 0);
	run_timers(&s);
	rc |= write_seed(dir, "small-output-buffer", &s);

	/* duplicated, reordered and replayed packets */
	begin(&s, 65, 0, 0);
	associate(&s, A, 0, 0);
	op(&s, FE_OP_DUP, AB, 0);
	deliver(&s, AB);
	op(&s, FE_OP_DUP, BA, 0);
	run(&s);
	op(&s, FE_OP_REPLAY, AB, 1);
	shutdown_(&s, B);
	op(&s, FE_OP_DUP, BA, 0);
	op(&s, FE_OP_SWAP, BA, 0);
	run(&s);
	op(&s, FE_OP_REPLAY, AB, 0);
	op(&s, FE_OP_REPLAY, BA, 2);
	run(&s);
	rc |= write_seed(dir, "dup-reorder-replay", &s);

	/* 9.2: both sides shut down at once */
	begin(&s, 66, 0, 0);
	handshake(&s);
	shutdown_(&s, A);
	shutdown_(&s, B);
	run_timers(&s);
	rc |= write_seed(dir, "shutdown-collision", &s);

	/* millisecond timers: everything expires */
	begin(&s, 67, FE_CFG_TINY_TIMERS, FE_CFG_TINY_TIMERS);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	advance(&s, 3);
	run_timers(&s);
	advance(&s, 100);
	run_timers(&s);
	rc |= write_seed(dir, "tiny-timers", &s);

	/* Adaptation Layer Indication, few streams, a large requested OS */
	begin(&s, 68, FE_CFG_ADAPTATION | FE_CFG_FEW_STREAMS, FE_CFG_ADAPTATION | FE_CFG_NO_HB);
	associate(&s, A, 0, 65535);
	run(&s);
	shutdown_(&s, B);
	run(&s);
	rc |= write_seed(dir, "adaptation-streams", &s);

	/* a vtag rewritten to the receiver's peer tag, a raw injected packet */
	begin(&s, 69, 0, 0);
	handshake(&s);
	shutdown_(&s, A);
	op(&s, FE_OP_SET_VTAG, AB, 0);
	put8(&s, FE_VTAG_PEER);
	deliver(&s, AB);
	op(&s, FE_OP_INJECT, A, FE_PATH_RIGHT);
	put16(&s, 16);
	put16(&s, 5000);
	put16(&s, 5001);
	put32(&s, 0);
	put32(&s, 0);
	put8(&s, 14);
	put8(&s, 1);
	put16(&s, 4);
	run_timers(&s);
	rc |= write_seed(dir, "vtag-and-raw", &s);

	/* INIT parameters: addresses, address types, an unknown one to report (in the INIT ACK),
	 * a Cookie Preservative; then a Host Name Address (ABORT) and a stop-and-report parameter
	 * (reported in the INIT ACK); then, established, an INIT with a new address (ABORT,
	 * 5.2.2) */
	begin(&s, 70, 0, 0);
	craft(&s, A, FE_VTAG_ZERO, 1);
	chunk(&s, 1, 0, init_v, sizeof(init_v));
	craft(&s, A, FE_VTAG_ZERO, 1);
	chunk(&s, 1, 0, init_host_v, sizeof(init_host_v));
	craft(&s, A, FE_VTAG_ZERO, 1);
	chunk(&s, 1, 0, init_stop_v, sizeof(init_stop_v));
	run(&s);
	handshake(&s);
	craft(&s, A, FE_VTAG_ZERO, 1);
	chunk(&s, 1, 0, init_new_addr_v, sizeof(init_new_addr_v));
	run(&s);
	rc |= write_seed(dir, "craft-init-params", &s);

	/* INIT ACKs forged with A's tag: no State Cookie (ABORT), a parameter to report (ERROR
	 * bundled with the COOKIE ECHO); then B's real INIT ACK with a parameter appended */
	begin(&s, 71, 0, 0);
	associate(&s, A, 0, 0);
	drop(&s, AB);
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 2, 0, init_ack_nocookie_v, sizeof(init_ack_nocookie_v));
	associate(&s, A, 0, 0);
	drop(&s, AB);
	craft(&s, B, FE_VTAG_LOCAL, 1);
	chunk(&s, 2, 0, init_ack_report_v, sizeof(init_ack_report_v));
	run(&s);
	op(&s, FE_OP_ABORT, A, 0);
	put8(&s, 0);
	run(&s);
	associate(&s, A, 0, 0);
	deliver(&s, AB);
	op(&s, FE_OP_APPEND, BA, 0);
	put8(&s, sizeof(append_v));
	for (i = 0; i < (int)sizeof(append_v); i++)
		put8(&s, append_v[i]);
	op(&s, FE_OP_CHUNK_FIELD, BA, 0);
	put8(&s, 0);
	put8(&s, 3);
	put16(&s, sizeof(append_v));
	run(&s);
	rc |= write_seed(dir, "craft-init-ack", &s);

	/* an INIT too long to be put in a cookie (ABORT Out of Resource); last, as it reads
	 * past the end of the input */
	begin(&s, 72, 0, 0);
	craft(&s, A, FE_VTAG_ZERO, 1);
	chunk_long(&s, 1, 0, init_long_v, sizeof(init_long_v), 16 + 2100);
	rc |= write_seed(dir, "craft-long-init", &s);

	/* B's output held: unknown chunks to report overflow the ERROR, out-of-the-blue packets
	 * from another address overflow the reply queue; then everything goes out */
	begin(&s, 73, 0, 0);
	handshake(&s);
	op(&s, FE_OP_HOLD, B, 1);
	for (i = 0; i < 3; i++) {
		craft(&s, A, FE_VTAG_LOCAL, 2);
		chunk(&s, 0xc5, 0, unknown_v, sizeof(unknown_v));
		chunk(&s, 0xc6, 0, unknown_v, sizeof(unknown_v));
	}
	for (i = 0; i < 34; i++) {
		craft(&s, A, FE_VTAG_INPUT | (FE_PATH_OTHER << 4), 1);
		put32(&s, 0x1000 + (uint32_t)i);
		chunk(&s, 4, 0, hb_info, sizeof(hb_info));
	}
	op(&s, FE_OP_HOLD, B, 0);
	run(&s);
	op(&s, FE_OP_HOLD, A, 1);
	shutdown_(&s, B);
	run(&s);
	rc |= write_seed(dir, "output-held", &s);

	rc |= data_seeds(dir);
	rc |= multihome_seeds(dir);
	return rc == 0 ? 0 : 1;
}
