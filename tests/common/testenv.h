/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The test environment behind struct dpsctp_env: a counting allocator and a deterministic
 * random stream, shared by the unit tests, the simulator and the interop harness.
 *
 * The allocator prefixes each block with a header (magic, owner, size), so a free of a pointer
 * it did not hand out, or with a size other than the one asked for, is caught at the free; it
 * counts live allocations and bytes, their peak, and can fail the Nth request from now (once,
 * or that one and every later one). A freed block is poisoned, so that a use after free reads
 * garbage even without AddressSanitizer.
 *
 * The random stream is splitmix64, served 8 bytes a draw, low byte first: the same bytes on
 * every host for a given seed.
 *
 * Header-only (static inline): a test program includes it and uses what it needs.
 */
#ifndef DPSCTP_TESTS_TESTENV_H
#define DPSCTP_TESTS_TESTENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define TESTENV_MAGIC 0x73696d616c6c6f63ull /* "simalloc" */
#define TESTENV_POISON 0x6b

/** A counting allocator and a random stream; zero it (or testenv_init()) before use. */
struct testenv {
	uint64_t live;        /**< allocations not freed yet */
	uint64_t live_bytes;  /**< bytes of those */
	uint64_t peak_bytes;  /**< highest live_bytes */
	uint64_t total;       /**< allocation requests, failed ones included */
	uint64_t failed;      /**< requests answered NULL on purpose (testenv_fail_alloc) */
	uint64_t bad_frees;   /**< frees of an unknown pointer or with the wrong size */
	uint64_t fail_at;     /**< the value of total whose request fails; 0: none */
	bool fail_persistent; /**< and every request after it */
	uint64_t rng;         /**< splitmix64 state of testenv_random() */
	/** Told of a bad free or a host out of memory (@p msg says which); NULL: counted only. */
	void (*fault)(void *arg, const char *msg);
	void *fault_arg; /**< first argument of fault */
};

union testenv_hdr {
	max_align_t align;
	struct {
		uint64_t magic;
		const struct testenv *owner;
		size_t size;
	} h;
};

/** Zero @p te and seed its random stream with @p seed. */
static inline void
testenv_init(struct testenv *te, uint64_t seed)
{
	memset(te, 0, sizeof(*te));
	te->rng = seed;
}

/** One splitmix64 draw from @p state. */
static inline uint64_t
testenv_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/**
 * Make the @p nth allocation request from now (1 = the next) return NULL; with @p persistent,
 * that one and every later one. @p nth 0 switches failures off.
 */
static inline void
testenv_fail_alloc(struct testenv *te, uint64_t nth, bool persistent)
{
	te->fail_at = nth == 0 ? 0 : te->total + nth;
	te->fail_persistent = persistent;
}

static inline void
testenv_fault(struct testenv *te, const char *msg)
{
	if (te->fault != NULL)
		te->fault(te->fault_arg, msg);
}

/** dpsctp_env alloc; @p ctx is the struct testenv. */
static inline void *
testenv_alloc(void *ctx, size_t size)
{
	struct testenv *te = ctx;
	union testenv_hdr *h;

	te->total++;
	if (te->fail_at != 0 && te->total >= te->fail_at &&
		(te->total == te->fail_at || te->fail_persistent)) {
		te->failed++;
		return NULL;
	}
	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + size);
	if (h == NULL) {
		testenv_fault(te, "host out of memory");
		return NULL;
	}
	h->h.magic = TESTENV_MAGIC;
	h->h.owner = te;
	h->h.size = size;
	te->live++;
	te->live_bytes += size;
	if (te->live_bytes > te->peak_bytes)
		te->peak_bytes = te->live_bytes;
	return h + 1;
}

/** dpsctp_env free; @p ctx is the struct testenv. */
static inline void
testenv_free(void *ctx, void *ptr, size_t size)
{
	struct testenv *te = ctx;
	union testenv_hdr *h;
	char msg[96];

	if (ptr == NULL)
		return;
	h = (union testenv_hdr *)ptr - 1;
	if (h->h.magic != TESTENV_MAGIC || h->h.owner != te) {
		/* Not ours (or already freed): leaking it is safer than handing it to free(). */
		te->bad_frees++;
		testenv_fault(te, "free of a pointer it did not allocate");
		return;
	}
	if (h->h.size != size) {
		te->bad_frees++;
		snprintf(msg, sizeof(msg), "free of %zu bytes with size %zu", h->h.size, size);
		testenv_fault(te, msg);
	}
	te->live--;
	te->live_bytes -= h->h.size;
	h->h.magic = 0;
	memset(ptr, TESTENV_POISON, h->h.size);
	free(h);
}

/** Fill @p buf with the splitmix64 stream of @p state, 8 bytes a draw, low byte first. */
static inline void
testenv_fill_random(uint64_t *state, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t z = testenv_splitmix64(state);
		size_t i, n = len < 8 ? len : 8;

		for (i = 0; i < n; i++)
			p[i] = (uint8_t)(z >> (8 * i));
		p += n;
		len -= n;
	}
}

/** dpsctp_env random; @p ctx is the struct testenv. */
static inline void
testenv_random(void *ctx, void *buf, size_t len)
{
	struct testenv *te = ctx;

	testenv_fill_random(&te->rng, buf, len);
}

/** The dpsctp_env of @p te: its allocator and its random stream. */
static inline struct dpsctp_env
testenv_env(struct testenv *te)
{
	struct dpsctp_env env = {
		.ctx = te,
		.alloc = testenv_alloc,
		.free = testenv_free,
		.random = testenv_random,
	};

	return env;
}

#endif /* DPSCTP_TESTS_TESTENV_H */
