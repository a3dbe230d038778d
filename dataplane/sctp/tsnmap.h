/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver's TSN map (RFC 9260 6.2, 6.7 and 3.3.4): which TSNs of the peer have been
 * received, as the cumulative TSN ack point plus a bitmap of the TSNs above it, and the
 * duplicate TSNs to report in the next SACK.
 *
 * A fixed-size structure the caller embeds (in the association): no heap, no clock.
 *
 * Window. The map tracks the DPSCTP_TSNMAP_WINDOW TSNs cum_tsn + 1 .. cum_tsn + WINDOW in a ring
 * bitmap indexed by TSN mod WINDOW (WINDOW divides 2^32, so the index is continuous across TSN
 * wrap-around). A TSN above that is "beyond the window": dpsctp_tsnmap_mark() refuses it with
 * -ERANGE and the caller drops the DATA chunk without acknowledging it, as RFC 9260 6.2 does
 * for data it has no room for; the peer retransmits it once the cumulative TSN has moved up.
 * 4096 TSNs of MTU-sized chunks are about 6 MB; with small chunks the window can be a tighter
 * limit than the receive buffer, and the peer then sees drops rather than a closed a_rwnd. The
 * window also keeps the gap ack block offsets, 16 bits on the wire (3.3.4), in range.
 *
 * Invariants (after every call): every TSN serially <= cum_tsn counts as received; no bit of the
 * ring is set except those of received TSNs in cum_tsn + 2 .. highest_tsn (cum_tsn + 1 is never
 * set: it would have been absorbed into cum_tsn); highest_tsn is serially >= cum_tsn, and
 * highest_tsn == cum_tsn exactly when there is no gap.
 *
 * Marking is amortised O(1): advancing cum_tsn over a run of N TSNs costs O(1 + N / 64). Gap
 * block extraction costs O(WINDOW / 64 + blocks).
 *
 * Marking commits: the caller marks a TSN only once it has kept the chunk (queued its payload).
 * A chunk dropped for lack of buffer space must not be marked, or it would be acknowledged and
 * lost; dpsctp_tsnmap_check() classifies a TSN without changing the map for that decision.
 * Reneging (dropping a TSN already reported in a gap block, RFC 9260 6.2) is not supported.
 */
#ifndef DPSCTP_SCTP_TSNMAP_H
#define DPSCTP_SCTP_TSNMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"

/** TSNs tracked above the cumulative TSN ack point: a power of two, a multiple of 64. */
#define DPSCTP_TSNMAP_WINDOW 4096u

/** Duplicate TSNs kept for the next SACK; more are counted in dup_overflow and not reported. */
#define DPSCTP_TSNMAP_MAX_DUPS 32u

_Static_assert((DPSCTP_TSNMAP_WINDOW & (DPSCTP_TSNMAP_WINDOW - 1)) == 0,
	"DPSCTP_TSNMAP_WINDOW must be a power of two");
_Static_assert(DPSCTP_TSNMAP_WINDOW >= 64 && DPSCTP_TSNMAP_WINDOW <= 32768,
	"DPSCTP_TSNMAP_WINDOW must hold whole 64-bit words and fit 16-bit gap offsets");

/*
 * Serial number arithmetic (RFC 1982 with SERIAL_BITS = 32, as RFC 9260 1.6 prescribes for
 * TSNs). Two TSNs exactly 2^31 apart are not comparable: lt, gt, lte and gte are all false.
 */

/** Is @p a serially less than @p b (RFC 1982 3.2)? */
static inline bool
dpsctp_tsn_lt(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(b - a) < 0x80000000u;
}

/** Is @p a serially greater than @p b (RFC 1982 3.2)? */
static inline bool
dpsctp_tsn_gt(uint32_t a, uint32_t b)
{
	return dpsctp_tsn_lt(b, a);
}

/** Is @p a equal to or serially less than @p b? */
static inline bool
dpsctp_tsn_lte(uint32_t a, uint32_t b)
{
	return a == b || dpsctp_tsn_lt(a, b);
}

/** Is @p a equal to or serially greater than @p b? */
static inline bool
dpsctp_tsn_gte(uint32_t a, uint32_t b)
{
	return a == b || dpsctp_tsn_gt(a, b);
}

/** The receiver's record of the peer's TSNs. Read the fields freely; change them only by API. */
struct dpsctp_tsnmap {
	/** Cumulative TSN ack point (RFC 9260 3.3.4): every TSN serially <= it is received. */
	uint32_t cum_tsn;
	/**
	 * Highest TSN received (RFC 9260 6.2 "the highest TSN received so far"), or cum_tsn if
	 * that is higher (after init and FORWARD-TSN). Never serially below cum_tsn.
	 */
	uint32_t highest_tsn;
	/** Number of valid entries in @c dups (<= DPSCTP_TSNMAP_MAX_DUPS). */
	uint32_t ndups;
	/**
	 * Duplicate receipts never reported: they found @c dups full, or did not fit the @c max of
	 * dpsctp_tsnmap_dups() (lifetime count).
	 */
	uint64_t dup_overflow;
	/** New TSNs marked (lifetime count). */
	uint64_t n_new;
	/** Duplicate TSNs received (lifetime count, reported or not). */
	uint64_t n_dup;
	/** TSNs refused as beyond the window (lifetime count). */
	uint64_t n_beyond;
	/** Bit (tsn mod WINDOW) set when that TSN, in cum_tsn + 2 .. highest_tsn, is received. */
	uint64_t bits[DPSCTP_TSNMAP_WINDOW / 64];
	/**
	 * Duplicate TSNs since the last dpsctp_tsnmap_dups(), in arrival order, host order. A TSN
	 * received three times appears twice (RFC 9260 3.3.4 "Duplicate TSN").
	 */
	uint32_t dups[DPSCTP_TSNMAP_MAX_DUPS];
};

/**
 * Start an empty map: cum_tsn = @p peer_initial_tsn - 1 (RFC 9260 6.1: the peer's first DATA
 * carries its Initial TSN from the INIT or INIT ACK), no gaps, no duplicates, counters zero.
 */
void dpsctp_tsnmap_init(struct dpsctp_tsnmap *m, uint32_t peer_initial_tsn);

/**
 * Classify @p tsn without changing the map.
 * @return 0 when it is new, 1 when it is a duplicate (serially <= cum_tsn or already marked),
 *         -ERANGE when it is beyond the window (serially > cum_tsn + DPSCTP_TSNMAP_WINDOW, or
 *         2^31 away and so not comparable).
 */
int dpsctp_tsnmap_check(const struct dpsctp_tsnmap *m, uint32_t tsn);

/**
 * Record the receipt of @p tsn (a DATA or I-DATA chunk the caller has kept).
 * @return 0 when new: it is marked and cum_tsn advances over any run now contiguous
 *         (RFC 9260 6.2); 1 when a duplicate: it is appended to the duplicate list for the next
 *         SACK (or counted in dup_overflow when the list is full) and the caller should send a
 *         SACK at once (RFC 9260 6.2); -ERANGE when beyond the window: the map is unchanged
 *         except n_beyond, and the caller drops the chunk.
 */
int dpsctp_tsnmap_mark(struct dpsctp_tsnmap *m, uint32_t tsn);

/** Is any TSN above cum_tsn received, i.e. does the next SACK carry gap ack blocks (6.7)? */
bool dpsctp_tsnmap_has_gaps(const struct dpsctp_tsnmap *m);

/**
 * Gap ack blocks of RFC 9260 3.3.4: runs of received TSNs above cum_tsn, as start/end offsets
 * from cum_tsn (both inclusive, start >= 2), in ascending order, non-overlapping and separated
 * by at least one missing TSN.
 * @param out room for @p max blocks (may be NULL when @p max is 0).
 * @param max most blocks to write; when there are more, the lowest @p max are written (the
 *        ones the sender needs first for fast retransmit, RFC 9260 7.2.4).
 * @return number of blocks written (<= @p max).
 */
size_t dpsctp_tsnmap_gap_blocks(
	const struct dpsctp_tsnmap *m, struct dpsctp_gap_block *out, size_t max);

/**
 * Take the duplicate TSNs received since the last call, for a SACK (RFC 9260 3.3.4: reported
 * once, then the list starts again empty). Writes the first min(ndups, @p max) in arrival order
 * and clears the whole list; entries that do not fit are counted in dup_overflow.
 * @param out room for @p max TSNs, host order (may be NULL when @p max is 0).
 * @return number of TSNs written.
 */
size_t dpsctp_tsnmap_dups(struct dpsctp_tsnmap *m, uint32_t *out, size_t max);

/**
 * Apply the New Cumulative TSN of a FORWARD-TSN or I-FORWARD-TSN chunk (RFC 3758 3.6, RFC 8260
 * 2.3.1): cum_tsn moves up to @p new_cum_tsn, the state of every TSN up to it is forgotten (they
 * count as received), and cum_tsn then advances over marked TSNs contiguous above it. Any
 * distance ahead is accepted, also beyond the window.
 * @return 0 when cum_tsn moved; 1 when @p new_cum_tsn is not serially above cum_tsn: the chunk
 *         is out of date, the map is unchanged, and the caller should send a SACK (RFC 3758
 *         3.6: the previous SACK may have been lost).
 */
int dpsctp_tsnmap_forward(struct dpsctp_tsnmap *m, uint32_t new_cum_tsn);

#endif /* DPSCTP_SCTP_TSNMAP_H */
