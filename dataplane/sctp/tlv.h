/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The two type-length-value shapes of SCTP: chunks (type 8 bits, flags 8 bits, length 16 bits) and
 * parameters / error causes (type or code 16 bits, length 16 bits). Cursor decoders over
 * (const uint8_t **p, const uint8_t *end) that never read outside [*p, end), and builders that open
 * a TLV, let the caller append its value, then close it with the right length and padding.
 *
 * RFC 9260 3.2: lengths count header and value but not padding; every TLV is padded with zeros to a
 * multiple of 4. The receiver ignores what the padding bytes hold. Padding missing after the last
 * chunk of a packet or the last parameter of a chunk is accepted (RFC 9260 3.2 asks receivers to be
 * robust about the final padding).
 *
 * Builders pad relative to the start of the write buffer, which must therefore be the start of
 * the packet (or at least 4-byte aligned with it): chunks and TLVs start on 4-byte boundaries of
 * the packet. The value_len helpers assume a view filled by the decoders (len >= 4).
 */
#ifndef DPSCTP_SCTP_TLV_H
#define DPSCTP_SCTP_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "wbuf.h"
#include "wire.h"

/** A chunk as found in a packet; @c value points into the packet. */
struct dpsctp_chunk {
	uint8_t type;         /**< chunk type (enum dpsctp_chunk_type, or unknown) */
	uint8_t flags;        /**< chunk flags */
	uint16_t len;         /**< chunk length field: header + value, no padding, >= 4 */
	const uint8_t *value; /**< first byte after the 4-byte header */
};

/** A parameter or error cause as found in a chunk; @c value points into the packet. */
struct dpsctp_tlv {
	uint16_t type;        /**< parameter type or error cause code */
	uint16_t len;         /**< length field: header + value, no padding, >= 4 */
	const uint8_t *value; /**< first byte after the 4-byte header */
};

/** Length of a chunk's value in bytes. */
static inline size_t
dpsctp_chunk_value_len(const struct dpsctp_chunk *c)
{
	return (size_t)c->len - 4;
}

/** Length of a parameter's or cause's value in bytes. */
static inline size_t
dpsctp_tlv_value_len(const struct dpsctp_tlv *t)
{
	return (size_t)t->len - 4;
}

/**
 * What a receiver does with a chunk or parameter type it does not recognise: the upper two bits
 * of the type (RFC 9260 3.2 for chunks, 3.2.1 for parameters).
 */
enum dpsctp_unknown_action {
	DPSCTP_UNKNOWN_STOP = 0,        /**< 00: stop processing, discard, do not report */
	DPSCTP_UNKNOWN_STOP_REPORT = 1, /**< 01: stop processing, discard, report */
	DPSCTP_UNKNOWN_SKIP = 2,        /**< 10: skip it, continue processing */
	DPSCTP_UNKNOWN_SKIP_REPORT = 3, /**< 11: skip it, continue, report */
};

/** Action for an unrecognised chunk type (report = ERROR with Unrecognized Chunk Type). */
static inline enum dpsctp_unknown_action
dpsctp_chunk_unknown_action(uint8_t type)
{
	return (enum dpsctp_unknown_action)(type >> 6);
}

/** Action for an unrecognised parameter type (report = Unrecognized Parameter). */
static inline enum dpsctp_unknown_action
dpsctp_param_unknown_action(uint16_t type)
{
	return (enum dpsctp_unknown_action)(type >> 14);
}

/**
 * Decode the chunk at @p *p and advance @p *p past it and its padding.
 * @return 1 with @p c filled, 0 when @p *p == @p end, -EBADMSG when fewer than 4 bytes remain,
 *	the length field is below 4, or the chunk runs past @p end. @p *p is unchanged on error.
 */
int dpsctp_chunk_next(const uint8_t **p, const uint8_t *end, struct dpsctp_chunk *c);

/**
 * Decode the parameter or error cause at @p *p and advance past it and its padding.
 * Same contract as dpsctp_chunk_next().
 */
int dpsctp_tlv_next(const uint8_t **p, const uint8_t *end, struct dpsctp_tlv *t);

/**
 * Check that [@p p, @p end) is a well-formed sequence of zero or more parameters / causes.
 * @return the number of TLVs (>= 0) or -EBADMSG.
 */
int dpsctp_tlv_check_all(const uint8_t *p, const uint8_t *end);

/**
 * Open a chunk: pad what is written so far to 4 bytes, write a header with length 0.
 * @param mark receives the offset of the chunk header (pass it to dpsctp_chunk_end()).
 * @return 0 or -ENOSPC (nothing written).
 */
int dpsctp_chunk_begin(struct dpsctp_wbuf *w, uint8_t type, uint8_t flags, size_t *mark);

/**
 * Close the chunk opened at @p mark: its length covers everything written since, then zero
 * padding to a multiple of 4 is appended (not counted in the length, RFC 9260 3.2).
 * @return 0, -EMSGSIZE when the chunk exceeds 65535 bytes, -ENOSPC when the padding does not fit.
 *	On error the caller rewinds to @p mark.
 */
int dpsctp_chunk_end(struct dpsctp_wbuf *w, size_t mark);

/**
 * Open a parameter or error cause: pad the previous TLV to 4 bytes, write a header with length 0.
 * @return 0 or -ENOSPC (nothing written).
 */
int dpsctp_tlv_begin(struct dpsctp_wbuf *w, uint16_t type, size_t *mark);

/**
 * Close the TLV opened at @p mark: write its length (no padding; the next dpsctp_tlv_begin() or
 * dpsctp_chunk_end() pads). @return 0 or -EMSGSIZE when it exceeds 65535 bytes.
 */
int dpsctp_tlv_end(struct dpsctp_wbuf *w, size_t mark);

/**
 * Append a whole TLV with a value of @p len bytes. @return 0, -ENOSPC or -EMSGSIZE, with the
 * buffer unchanged on error.
 */
int dpsctp_tlv_put(struct dpsctp_wbuf *w, uint16_t type, const void *value, size_t len);

#endif /* DPSCTP_SCTP_TLV_H */
