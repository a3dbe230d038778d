/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver's TSN map: RFC 9260 6.2 (acknowledgement on reception of DATA), 6.7 (gap
 * reports), 3.3.4 (the SACK fields it feeds) and RFC 3758 3.6 (FORWARD-TSN).
 *
 * Positions in the ring are named by their OFFSET from cum_tsn (1 .. WINDOW): offset o is the
 * TSN cum_tsn + o, at bit (cum_tsn + o) mod WINDOW. Offset arithmetic is plain unsigned; only
 * the classification of an incoming TSN needs serial comparison.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tsnmap.h"

#define WINDOW DPSCTP_TSNMAP_WINDOW
#define RING_MASK (DPSCTP_TSNMAP_WINDOW - 1u)

static inline uint32_t
ring_index(const struct dpsctp_tsnmap *m, uint32_t off)
{
	return (m->cum_tsn + off) & RING_MASK;
}

/*
 * Smallest offset o in [off, limit] whose bit equals @set, or limit + 1 when there is none.
 * Reads whole 64-bit words, so a scan over the window touches each word at most once.
 */
static uint32_t
find_from(const struct dpsctp_tsnmap *m, uint32_t off, uint32_t limit, bool set)
{
	while (off <= limit) {
		uint32_t idx = ring_index(m, off);
		unsigned int b = idx & 63u;
		uint64_t w = m->bits[idx >> 6];

		if (!set)
			w = ~w;
		w >>= b;
		if (w != 0) {
			uint32_t o = off + (uint32_t)__builtin_ctzll(w);

			return o <= limit ? o : limit + 1;
		}
		off += 64u - b;
	}
	return limit + 1;
}

/* Clear the bits of offsets lo .. hi (1 <= lo, hi <= WINDOW), word by word. */
static void
clear_range(struct dpsctp_tsnmap *m, uint32_t lo, uint32_t hi)
{
	while (lo <= hi) {
		uint32_t idx = ring_index(m, lo);
		unsigned int b = idx & 63u;
		uint32_t n = 64u - b;
		uint64_t mask;

		if (n > hi - lo + 1)
			n = hi - lo + 1;
		mask = n == 64 ? ~0ull : ((1ull << n) - 1) << b;
		m->bits[idx >> 6] &= ~mask;
		lo += n;
	}
}

/*
 * RFC 9260 6.2 / RFC 3758 3.6: "advance its cumulative TSN point locally if possible": absorb
 * the run of marked TSNs starting at cum_tsn + 1 and forget their bits, which now belong to the
 * TSNs one window further up.
 */
static void
advance(struct dpsctp_tsnmap *m)
{
	uint32_t hi = m->highest_tsn - m->cum_tsn; /* bits above this offset are all clear */
	uint32_t run;

	if (hi == 0)
		return;
	run = find_from(m, 1, hi, false) - 1;
	if (run == 0)
		return;
	clear_range(m, 1, run);
	m->cum_tsn += run;
}

void
dpsctp_tsnmap_init(struct dpsctp_tsnmap *m, uint32_t peer_initial_tsn)
{
	memset(m, 0, sizeof(*m));
	/* RFC 9260 6.1 / 5.1: the first TSN the peer sends is its Initial TSN. */
	m->cum_tsn = peer_initial_tsn - 1;
	m->highest_tsn = m->cum_tsn;
}

int
dpsctp_tsnmap_check(const struct dpsctp_tsnmap *m, uint32_t tsn)
{
	uint32_t off;

	if (dpsctp_tsn_lte(tsn, m->cum_tsn))
		return 1;
	/* Serially above cum_tsn, or exactly 2^31 away (not comparable): the offset says which. */
	off = tsn - m->cum_tsn;
	if (off > WINDOW)
		return -ERANGE;
	return (m->bits[(tsn & RING_MASK) >> 6] >> (tsn & 63u)) & 1u ? 1 : 0;
}

static void
record_dup(struct dpsctp_tsnmap *m, uint32_t tsn)
{
	/* RFC 9260 3.3.4: "Every time a receiver gets a duplicate TSN (before sending the SACK),
	 * it adds it to the list of duplicates." */
	m->n_dup++;
	if (m->ndups < DPSCTP_TSNMAP_MAX_DUPS)
		m->dups[m->ndups++] = tsn;
	else
		m->dup_overflow++;
}

int
dpsctp_tsnmap_mark(struct dpsctp_tsnmap *m, uint32_t tsn)
{
	int rc = dpsctp_tsnmap_check(m, tsn);

	if (rc < 0) {
		m->n_beyond++;
		return rc;
	}
	if (rc == 1) {
		record_dup(m, tsn);
		return 1;
	}
	m->n_new++;
	if (dpsctp_tsn_gt(tsn, m->highest_tsn))
		m->highest_tsn = tsn;
	if (tsn == m->cum_tsn + 1) {
		/* In order: the common case needs no bit, only the run above it (if any). */
		m->cum_tsn = tsn;
		advance(m);
	} else {
		m->bits[(tsn & RING_MASK) >> 6] |= 1ull << (tsn & 63u);
	}
	return 0;
}

bool
dpsctp_tsnmap_has_gaps(const struct dpsctp_tsnmap *m)
{
	return m->highest_tsn != m->cum_tsn;
}

size_t
dpsctp_tsnmap_gap_blocks(const struct dpsctp_tsnmap *m, struct dpsctp_gap_block *out, size_t max)
{
	/* RFC 9260 3.3.4: Gap Ack Block Start/End are offsets from the Cumulative TSN Ack; the
	 * highest TSN received bounds the scan. */
	uint32_t hi = m->highest_tsn - m->cum_tsn;
	uint32_t off = 1;
	size_t n = 0;

	while (n < max && off <= hi) {
		uint32_t start = find_from(m, off, hi, true);
		uint32_t end;

		if (start > hi)
			break;
		end = find_from(m, start, hi, false) - 1;
		out[n].start = (uint16_t)start;
		out[n].end = (uint16_t)end;
		n++;
		off = end + 1;
	}
	return n;
}

size_t
dpsctp_tsnmap_dups(struct dpsctp_tsnmap *m, uint32_t *out, size_t max)
{
	size_t n = m->ndups < max ? m->ndups : max;

	if (n > 0)
		memcpy(out, m->dups, n * sizeof(*out));
	m->dup_overflow += m->ndups - n;
	/* RFC 9260 3.3.4: "The duplicate count is reinitialized to zero after sending each
	 * SACK." */
	m->ndups = 0;
	return n;
}

int
dpsctp_tsnmap_forward(struct dpsctp_tsnmap *m, uint32_t new_cum_tsn)
{
	uint32_t dist;

	/* RFC 3758 3.6: a New Cumulative TSN "behind or at the current cumulative TSN point" is
	 * out of date: "MUST NOT update its Cumulative TSN". */
	if (!dpsctp_tsn_gt(new_cum_tsn, m->cum_tsn))
		return 1;
	/* RFC 3758 3.6: "MUST first update its cumulative TSN point to the value carried in the
	 * FORWARD TSN chunk": what lies at or below it is no longer tracked. */
	dist = new_cum_tsn - m->cum_tsn;
	if (dist >= WINDOW)
		memset(m->bits, 0, sizeof(m->bits)); /* every marked TSN is <= cum + WINDOW */
	else
		clear_range(m, 1, dist);
	m->cum_tsn = new_cum_tsn;
	if (dpsctp_tsn_lt(m->highest_tsn, new_cum_tsn))
		m->highest_tsn = new_cum_tsn;
	/* "... and then MUST further advance its cumulative TSN point locally if possible". */
	advance(m);
	return 0;
}
