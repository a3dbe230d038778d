/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Byte-order helpers and the write buffer every builder of the codec writes into.
 *
 * Builders write into a caller-provided buffer (quicly style). A builder that does not fit returns
 * -ENOSPC and leaves the buffer as it found it; a multi-step build (chunk_begin, parameters,
 * chunk_end) that fails part-way is undone by dpsctp_wbuf_rewind() to the mark it began at.
 */
#ifndef DPSCTP_SCTP_WBUF_H
#define DPSCTP_SCTP_WBUF_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** A bounded output buffer; offsets are relative to @c base, the first byte of the packet. */
struct dpsctp_wbuf {
	uint8_t *base; /**< start of the caller's buffer (the SCTP common header goes here) */
	size_t cap;    /**< capacity of @c base in bytes */
	size_t len;    /**< bytes written so far */
};

/** Start writing into @p buf of @p cap bytes. */
static inline void
dpsctp_wbuf_init(struct dpsctp_wbuf *w, void *buf, size_t cap)
{
	w->base = buf;
	w->cap = cap;
	w->len = 0;
}

/** Bytes still free. */
static inline size_t
dpsctp_wbuf_room(const struct dpsctp_wbuf *w)
{
	return w->cap - w->len;
}

/** Take @p n bytes at the end; NULL (and nothing taken) when they do not fit. */
static inline uint8_t *
dpsctp_wbuf_reserve(struct dpsctp_wbuf *w, size_t n)
{
	uint8_t *p;

	if (n > w->cap - w->len)
		return NULL;
	p = w->base + w->len;
	w->len += n;
	return p;
}

/** Forget everything written after @p mark (an earlier value of @c len). */
static inline void
dpsctp_wbuf_rewind(struct dpsctp_wbuf *w, size_t mark)
{
	if (mark < w->len)
		w->len = mark;
}

/** Append @p n bytes; 0 or -ENOSPC. */
static inline int
dpsctp_wbuf_put(struct dpsctp_wbuf *w, const void *src, size_t n)
{
	uint8_t *p;

	if (n == 0)
		return 0;
	p = dpsctp_wbuf_reserve(w, n);
	if (p == NULL)
		return -ENOSPC;
	memcpy(p, src, n);
	return 0;
}

/** Append zero bytes until @c len is a multiple of 4 (RFC 9260 3.2 padding); 0 or -ENOSPC. */
static inline int
dpsctp_wbuf_pad4(struct dpsctp_wbuf *w)
{
	size_t pad = (4 - (w->len & 3)) & 3;
	uint8_t *p;

	if (pad == 0)
		return 0;
	p = dpsctp_wbuf_reserve(w, pad);
	if (p == NULL)
		return -ENOSPC;
	memset(p, 0, pad);
	return 0;
}

/** Round @p n up to a multiple of 4. */
static inline size_t
dpsctp_pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Network byte order loads and stores that do not care about alignment. */

static inline uint16_t
dpsctp_get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
dpsctp_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
dpsctp_get_be64(const uint8_t *p)
{
	return (uint64_t)dpsctp_get_be32(p) << 32 | dpsctp_get_be32(p + 4);
}

static inline void
dpsctp_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
dpsctp_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
dpsctp_put_be64(uint8_t *p, uint64_t v)
{
	dpsctp_put_be32(p, (uint32_t)(v >> 32));
	dpsctp_put_be32(p + 4, (uint32_t)v);
}

/** Little-endian 32-bit load and store: the CRC32c field of the common header. */
static inline uint32_t
dpsctp_get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline void
dpsctp_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif /* DPSCTP_SCTP_WBUF_H */
