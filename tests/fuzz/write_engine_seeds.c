/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the seed corpus of the engine fuzzer (fuzz_engine.c): operation streams for the
 * scenarios the engine must get right - handshake and shutdown, each packet of them lost once,
 * INIT collisions, aborts from either side, peer restarts, timeouts, stale cookies, crafted and
 * corrupted packets, allocation failures. Usage: write_engine_seeds DIR (scripts/fuzz.sh --seeds
 * runs it). Run a seed with DPSCTP_FUZZ_TRACE=1 through replay_engine to see what it does.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

static void
begin(struct seed *s, uint64_t rng, uint8_t cfg_a, uint8_t cfg_b)
{
	unsigned int i;

	s->n = 0;
	for (i = 0; i < 8; i++)
		put8(s, (uint8_t)(rng >> (8 * i)));
	put8(s, cfg_a);
	put8(s, cfg_b);
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

	return rc == 0 ? 0 : 1;
}
