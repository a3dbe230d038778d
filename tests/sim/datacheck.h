/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data transfer checking for scenarios and soaks: self-describing messages and a receiver that
 * verifies the delivery invariant (every message exactly once, intact, in order within each
 * ordered stream).
 *
 * A message of @c len >= 1 bytes is generated from its index alone: bytes 0..7 hold the index,
 * the rest (and any shorter message entirely) come from a generator seeded by the index, so the
 * receiver verifies content without keeping copies. Messages shorter than 8 bytes are checked
 * against the generator from the index the sender recorded by (stream, per-stream sequence).
 */
#ifndef DPSCTP_TESTS_DATACHECK_H
#define DPSCTP_TESTS_DATACHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define DC_MAX_MSG 65536u

/** One direction of a transfer: what was sent, what arrived. */
struct dc_dir {
	uint64_t sent;           /* messages accepted by dpsctp_assoc_send */
	uint64_t delivered;      /* messages delivered whole */
	uint64_t bytes;          /* payload bytes delivered */
	uint64_t errors;         /* invariant violations */
	char first_error[160];
	/* per message index: its length and stream, and delivery count */
	uint32_t *len;
	uint16_t *sid;
	uint8_t *flags;          /* DPSCTP_SND_UNORDERED */
	uint8_t *got;
	uint64_t cap;
	/* per stream: the last ordered index delivered (+1; 0: none) */
	uint64_t *last_ordered;
	uint32_t nstreams;
	/* the message being reassembled from several deliver calls */
	uint8_t *buf;
	size_t buf_len;
	bool in_msg;
	struct dpsctp_rcvinfo in_info;
};

static inline uint64_t
dc_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/** Fill @p buf with message @p idx of @p len bytes. */
static inline void
dc_fill(uint8_t *buf, uint64_t idx, size_t len)
{
	uint64_t s = dc_mix(idx);
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i & 7) == 0)
			s = dc_mix(s);
		buf[i] = (uint8_t)(s >> ((i & 7) * 8));
	}
	if (len >= 8)
		memcpy(buf, &idx, 8);
}

static inline void
dc_init(struct dc_dir *d, uint64_t max_msgs, uint32_t nstreams)
{
	memset(d, 0, sizeof(*d));
	d->cap = max_msgs;
	d->len = calloc(max_msgs, sizeof(*d->len));
	d->sid = calloc(max_msgs, sizeof(*d->sid));
	d->flags = calloc(max_msgs, 1);
	d->got = calloc(max_msgs, 1);
	d->nstreams = nstreams;
	d->last_ordered = calloc(nstreams, sizeof(*d->last_ordered));
	d->buf = malloc(DC_MAX_MSG);
}

static inline void
dc_fini(struct dc_dir *d)
{
	free(d->len);
	free(d->sid);
	free(d->flags);
	free(d->got);
	free(d->last_ordered);
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

static inline void
dc_error(struct dc_dir *d, const char *what, uint64_t idx)
{
	if (d->errors++ == 0)
		snprintf(d->first_error, sizeof(d->first_error), "%s (message %llu)", what,
			(unsigned long long)idx);
}

/**
 * Send message number d->sent (of @p len bytes, on @p sid, unordered when @p unordered), with
 * the sndinfo flags @p more besides (DPSCTP_SND_SACK_IMMEDIATELY). Its context is its index.
 * @return dpsctp_assoc_send()'s result; the message counts as sent only on 0.
 */
static inline int
dc_send_flags(struct dc_dir *d, struct dpsctp_assoc *a, uint16_t sid, bool unordered, uint16_t more,
	size_t len, uint64_t lifetime, uint64_t now)
{
	static uint8_t buf[DC_MAX_MSG];
	struct dpsctp_sndinfo si = {.sid = sid,
		.flags = (uint16_t)((unordered ? DPSCTP_SND_UNORDERED : 0) | more),
		.ppid = 0x11223344,
		.context = (uint32_t)d->sent,
		.lifetime = lifetime};
	uint64_t idx = d->sent;
	int rc;

	if (idx >= d->cap || len == 0 || len > DC_MAX_MSG)
		return -E2BIG;
	dc_fill(buf, idx, len);
	/* short messages carry their index in the PPID */
	if (len < 8)
		si.ppid = (uint32_t)idx;
	rc = dpsctp_assoc_send(a, &si, buf, len, now);
	if (rc == 0) {
		d->len[idx] = (uint32_t)len;
		d->sid[idx] = sid;
		d->flags[idx] = unordered ? DPSCTP_SND_UNORDERED : 0;
		d->sent++;
	}
	return rc;
}

/** dc_send_flags() without extra flags. */
static inline int
dc_send(struct dc_dir *d, struct dpsctp_assoc *a, uint16_t sid, bool unordered, size_t len,
	uint64_t lifetime, uint64_t now)
{
	return dc_send_flags(d, a, sid, unordered, 0, len, lifetime, now);
}

/* A whole message arrived: check it. */
static inline void
dc_check(struct dc_dir *d, const struct dpsctp_rcvinfo *ri, const uint8_t *p, size_t len)
{
	static uint8_t want[DC_MAX_MSG];
	uint64_t idx;

	if (len >= 8)
		memcpy(&idx, p, 8);
	else
		idx = ri->ppid;
	if (idx >= d->sent) {
		dc_error(d, "delivered a message never sent", idx);
		return;
	}
	if (d->got[idx]++ != 0) {
		dc_error(d, "delivered twice", idx);
		return;
	}
	if (d->len[idx] != len) {
		dc_error(d, "wrong length", idx);
		return;
	}
	if (d->sid[idx] != ri->sid || (d->flags[idx] & DPSCTP_SND_UNORDERED) !=
					      (ri->flags & DPSCTP_SND_UNORDERED)) {
		dc_error(d, "wrong stream or order flag", idx);
		return;
	}
	dc_fill(want, idx, len);
	if (memcmp(want, p, len) != 0) {
		dc_error(d, "payload corrupted", idx);
		return;
	}
	if ((ri->flags & DPSCTP_SND_UNORDERED) == 0 && ri->sid < d->nstreams) {
		if (d->last_ordered[ri->sid] > idx) {
			dc_error(d, "ordered stream out of order", idx);
			return;
		}
		d->last_ordered[ri->sid] = idx + 1;
	}
	d->delivered++;
	d->bytes += len;
}

/** Feed one deliver call. */
static inline void
dc_deliver(struct dc_dir *d, const struct dpsctp_rcvinfo *ri, const struct dpsctp_iov *iov,
	unsigned int iovcnt, bool eor)
{
	unsigned int i;

	if (!d->in_msg) {
		d->in_msg = true;
		d->in_info = *ri;
		d->buf_len = 0;
	} else if (ri->sid != d->in_info.sid || ri->tsn != d->in_info.tsn) {
		dc_error(d, "deliveries of two messages interleaved", 0);
	}
	for (i = 0; i < iovcnt; i++) {
		if (d->buf_len + iov[i].len > DC_MAX_MSG) {
			dc_error(d, "message larger than any sent", 0);
			d->buf_len = 0;
			continue;
		}
		memcpy(d->buf + d->buf_len, iov[i].base, iov[i].len);
		d->buf_len += iov[i].len;
	}
	if (eor) {
		dc_check(d, &d->in_info, d->buf, d->buf_len);
		d->in_msg = false;
	}
}

/** Every message sent was delivered exactly once and nothing is half delivered. */
static inline bool
dc_complete(const struct dc_dir *d)
{
	return d->delivered == d->sent && !d->in_msg && d->errors == 0;
}

#endif /* DPSCTP_TESTS_DATACHECK_H */
