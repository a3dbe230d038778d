/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed views and builders for every SCTP chunk: RFC 9260 (appendix A for ECNE and CWR),
 * FORWARD-TSN (RFC 3758), I-DATA and I-FORWARD-TSN (RFC 8260), ASCONF and ASCONF-ACK (RFC 5061),
 * RE-CONFIG (RFC 6525), AUTH (RFC 4895) and PAD (RFC 4820).
 *
 * Decoding. dpsctp_<name>_decode(c, out) takes a chunk found by dpsctp_chunk_next() and fills
 * @c out with its fields in host byte order and pointers INTO the packet for its variable parts
 * (zero copy: the view lives as long as the packet). It returns
 *  - 0 on success (@c out written),
 *  - -EINVAL when c->type is not that decoder's chunk type,
 *  - -EBADMSG when the chunk is malformed: its value is shorter than the fixed part, a count
 *    (SACK gap blocks and duplicate TSNs) needs more bytes than the chunk has, FORWARD-TSN or
 *    I-FORWARD-TSN entries do not fill the value exactly, or a parameter / error cause region is
 *    not a well-formed TLV sequence (dpsctp_tlv_check_all()).
 * @c out is left untouched on error. Decoders never read outside the chunk and never assert.
 *
 * Tolerance. Bytes after the fields of a fixed-size chunk (SHUTDOWN, SHUTDOWN ACK, COOKIE ACK,
 * SHUTDOWN COMPLETE, ECNE, CWR) or after the gap blocks and duplicate TSNs of a SACK are ignored,
 * as Linux does. Reserved flag bits and reserved fields are ignored on receipt and written as
 * zero. Semantics are not the codec's business: a zero initiate tag, zero streams, a DATA chunk
 * without user data, an empty cookie or a HEARTBEAT without Heartbeat Info are decoded faithfully
 * and left for the engine to judge (RFC 9260 3.3.2, 3.3.1, 6.2).
 *
 * Building. Fixed-shape chunks have dpsctp_<name>_build(w, in): the whole chunk with its padding.
 * Chunks that carry parameters or error causes (INIT, INIT ACK, HEARTBEAT, HEARTBEAT ACK, ABORT,
 * ERROR, ASCONF, ASCONF-ACK, RE-CONFIG) have dpsctp_<name>_begin(w, in, &mark): it writes the
 * chunk header, the fixed fields and the raw TLV bytes of @c in (which may be NULL with length 0)
 * and leaves the chunk OPEN. The caller may append more TLVs (dpsctp_tlv_put(),
 * dpsctp_tlv_begin() / dpsctp_tlv_end()), then closes the chunk with dpsctp_chunk_end(w, mark);
 * if any of those steps fails, dpsctp_wbuf_rewind(w, mark) undoes the whole chunk:
 *
 *	size_t mark;
 *	int rc = dpsctp_init_begin(w, &init, &mark);
 *	if (rc == 0)
 *		rc = dpsctp_tlv_put(w, DPSCTP_PARAM_STATE_COOKIE, cookie, cookie_len);
 *	if (rc == 0)
 *		rc = dpsctp_chunk_end(w, mark);
 *	if (rc != 0)
 *		dpsctp_wbuf_rewind(w, mark);
 *
 * Builders (and begin functions) return 0, -ENOSPC when the buffer is too small or -EMSGSIZE when
 * the chunk would exceed 65535 bytes; on error the buffer length is exactly as before the call.
 * Whether the whole chunk fits is checked before a byte is written. A chunk starts on a 4-byte
 * boundary of the buffer (the previous chunk is padded first), so @c mark equals the length
 * before the call whenever that was a multiple of 4, as it is after a common header and closed
 * chunks; otherwise rewinding to @c mark keeps that padding, which is harmless.
 */
#ifndef DPSCTP_SCTP_CHUNK_H
#define DPSCTP_SCTP_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

/** Name of a chunk type as the RFCs spell it ("DATA", "INIT ACK"), NULL when unknown. */
const char *dpsctp_chunk_name(uint8_t type);

/** Is @p type one of the chunk types this codec decodes (enum dpsctp_chunk_type)? */
bool dpsctp_chunk_type_known(uint8_t type);

/*
 * DATA (RFC 9260 3.3.1) and I-DATA (RFC 8260 2.1)
 */

/** A DATA chunk (RFC 9260 3.3.1). */
struct dpsctp_data {
	uint8_t flags; /**< as on the wire: DPSCTP_DATA_FLAG_I/U/B/E, reserved bits kept */
	uint32_t tsn;  /**< transmission sequence number, host order */
	uint16_t sid;  /**< stream identifier, host order */
	uint16_t ssn;  /**< stream sequence number, host order */
	/**
	 * Payload protocol identifier, RAW: the four wire bytes copied as they are, never
	 * byte-swapped. SCTP does not interpret it and RFC 6458 hands it to and from the
	 * application opaque (sinfo_ppid is in network byte order).
	 */
	uint32_t ppid;
	const uint8_t *payload; /**< user data, points into the packet; may be empty */
	size_t payload_len;     /**< user data length in bytes (chunk length - 16, no padding) */
};

/** An I-DATA chunk (RFC 8260 2.1). */
struct dpsctp_idata {
	uint8_t flags; /**< as on the wire: DPSCTP_DATA_FLAG_I/U/B/E, reserved bits kept */
	uint32_t tsn;  /**< transmission sequence number, host order */
	uint16_t sid;  /**< stream identifier, host order */
	uint16_t reserved; /**< the 16 reserved bits after the SID: 0 when sent, kept as received */
	uint32_t mid;  /**< message identifier, host order */
	/**
	 * RFC 8260 2.1: one 32-bit field read by the B bit. With B set it is the payload protocol
	 * identifier: @c ppid holds it RAW (wire bytes, never swapped, as in struct
	 * dpsctp_data) and @c fsn is 0 (the FSN of a first fragment is 0 by definition). With B
	 * clear it is the fragment sequence number: @c fsn holds it in host order and @c ppid is
	 * 0. The builder writes the field the B bit of @c flags selects and ignores the other.
	 */
	uint32_t ppid;
	uint32_t fsn;           /**< fragment sequence number, host order (valid when B is clear) */
	const uint8_t *payload; /**< user data, points into the packet; may be empty */
	size_t payload_len;     /**< user data length in bytes (chunk length - 20, no padding) */
};

/** Decode a DATA chunk. @return 0, -EINVAL (not DATA) or -EBADMSG (value < 12 bytes). */
int dpsctp_data_decode(const struct dpsctp_chunk *c, struct dpsctp_data *out);

/**
 * Build a DATA chunk with @p in->payload_len bytes of user data.
 * @return 0, -ENOSPC, -EMSGSIZE, or -EINVAL when @c payload is NULL with a non-zero length.
 */
int dpsctp_data_build(struct dpsctp_wbuf *w, const struct dpsctp_data *in);

/** Decode an I-DATA chunk. @return 0, -EINVAL (not I-DATA) or -EBADMSG (value < 16 bytes). */
int dpsctp_idata_decode(const struct dpsctp_chunk *c, struct dpsctp_idata *out);

/** Build an I-DATA chunk (reserved field written as 0); same returns as dpsctp_data_build(). */
int dpsctp_idata_build(struct dpsctp_wbuf *w, const struct dpsctp_idata *in);

/*
 * SACK (RFC 9260 3.3.4)
 */

/** A gap ack block in host order: offsets from the cumulative TSN ack (RFC 9260 3.3.4). */
struct dpsctp_gap_block {
	uint16_t start; /**< first TSN received in the block = cum_tsn + start */
	uint16_t end;   /**< last TSN received in the block = cum_tsn + end */
};

/** A SACK chunk; the gap blocks and duplicate TSNs stay in wire format, read them by index. */
struct dpsctp_sack {
	uint32_t cum_tsn;    /**< cumulative TSN ack, host order */
	uint32_t a_rwnd;     /**< advertised receiver window credit in bytes, host order */
	uint16_t ngaps;      /**< number of gap ack blocks */
	uint16_t ndups;      /**< number of duplicate TSNs */
	const uint8_t *gaps; /**< first gap ack block (4 bytes each, network order) */
	const uint8_t *dups; /**< first duplicate TSN (4 bytes each, network order) */
};

/** Gap ack block @p i (< s->ngaps) in host order. */
static inline void
dpsctp_sack_gap(const struct dpsctp_sack *s, unsigned int i, uint16_t *start, uint16_t *end)
{
	*start = dpsctp_get_be16(s->gaps + 4 * (size_t)i);
	*end = dpsctp_get_be16(s->gaps + 4 * (size_t)i + 2);
}

/** Duplicate TSN @p i (< s->ndups) in host order. */
static inline uint32_t
dpsctp_sack_dup(const struct dpsctp_sack *s, unsigned int i)
{
	return dpsctp_get_be32(s->dups + 4 * (size_t)i);
}

/**
 * Decode a SACK chunk. @return 0, -EINVAL (not SACK) or -EBADMSG (value < 12 bytes, or fewer
 * than 4 * (ngaps + ndups) bytes after the fixed part; more are ignored).
 */
int dpsctp_sack_decode(const struct dpsctp_chunk *c, struct dpsctp_sack *out);

/**
 * Build a SACK chunk from host-order arrays (either may be NULL when its count is 0).
 * @param cum_tsn cumulative TSN ack.
 * @param a_rwnd advertised receiver window credit in bytes.
 * @return 0, -ENOSPC, or -EMSGSIZE when 16 + 4 * (ngaps + ndups) exceeds 65535.
 */
int dpsctp_sack_build(struct dpsctp_wbuf *w, uint32_t cum_tsn, uint32_t a_rwnd,
	const struct dpsctp_gap_block *gaps, uint16_t ngaps, const uint32_t *dups, uint16_t ndups);

/*
 * FORWARD-TSN (RFC 3758 3.2) and I-FORWARD-TSN (RFC 8260 2.3.1)
 */

/** A FORWARD-TSN stream entry in host order (RFC 3758 3.2). */
struct dpsctp_fwd_stream {
	uint16_t sid; /**< stream identifier */
	uint16_t ssn; /**< largest stream sequence number skipped on that stream */
};

/** A FORWARD-TSN chunk; the stream entries stay in wire format, read them by index. */
struct dpsctp_forward_tsn {
	uint32_t new_cum_tsn;   /**< new cumulative TSN, host order */
	uint16_t nstreams;      /**< number of stream entries (chunk length - 8) / 4 */
	const uint8_t *streams; /**< first entry (4 bytes each, network order), in the packet */
};

/** Stream entry @p i (< f->nstreams) of a FORWARD-TSN, in host order. */
static inline void
dpsctp_forward_tsn_stream(
	const struct dpsctp_forward_tsn *f, unsigned int i, struct dpsctp_fwd_stream *out)
{
	out->sid = dpsctp_get_be16(f->streams + 4 * (size_t)i);
	out->ssn = dpsctp_get_be16(f->streams + 4 * (size_t)i + 2);
}

/**
 * Decode a FORWARD-TSN chunk. @return 0, -EINVAL (not FORWARD-TSN) or -EBADMSG (value < 4
 * bytes, or the entries do not fill it exactly: a partial entry is a length that disagrees
 * with the entry size).
 */
int dpsctp_forward_tsn_decode(const struct dpsctp_chunk *c, struct dpsctp_forward_tsn *out);

/**
 * Build a FORWARD-TSN chunk from a host-order array (NULL when @p nstreams is 0).
 * @return 0, -ENOSPC, or -EMSGSIZE when 8 + 4 * nstreams exceeds 65535.
 */
int dpsctp_forward_tsn_build(struct dpsctp_wbuf *w, uint32_t new_cum_tsn,
	const struct dpsctp_fwd_stream *streams, uint16_t nstreams);

/** An I-FORWARD-TSN stream entry in host order (RFC 8260 2.3.1). */
struct dpsctp_ifwd_stream {
	uint16_t sid;   /**< stream identifier */
	uint16_t flags; /**< the 16 bits after the SID, as on the wire: DPSCTP_IFWD_FLAG_U */
	uint32_t mid;   /**< largest message identifier skipped on that stream (and U) */
};

/** An I-FORWARD-TSN chunk; the stream entries stay in wire format, read them by index. */
struct dpsctp_iforward_tsn {
	uint32_t new_cum_tsn;   /**< new cumulative TSN, host order */
	uint16_t nstreams;      /**< number of stream entries (chunk length - 8) / 8 */
	const uint8_t *streams; /**< first entry (8 bytes each, network order), in the packet */
};

/** Stream entry @p i (< f->nstreams) of an I-FORWARD-TSN, in host order. */
static inline void
dpsctp_iforward_tsn_stream(
	const struct dpsctp_iforward_tsn *f, unsigned int i, struct dpsctp_ifwd_stream *out)
{
	const uint8_t *p = f->streams + 8 * (size_t)i;

	out->sid = dpsctp_get_be16(p);
	out->flags = dpsctp_get_be16(p + 2);
	out->mid = dpsctp_get_be32(p + 4);
}

/**
 * Decode an I-FORWARD-TSN chunk. @return 0, -EINVAL (not I-FORWARD-TSN) or -EBADMSG (value
 * < 4 bytes, or the 8-byte entries do not fill it exactly).
 */
int dpsctp_iforward_tsn_decode(const struct dpsctp_chunk *c, struct dpsctp_iforward_tsn *out);

/**
 * Build an I-FORWARD-TSN chunk from a host-order array (NULL when @p nstreams is 0); each
 * entry's @c flags is written as given (the sender sets the reserved bits to 0).
 * @return 0, -ENOSPC, or -EMSGSIZE when 8 + 8 * nstreams exceeds 65535.
 */
int dpsctp_iforward_tsn_build(struct dpsctp_wbuf *w, uint32_t new_cum_tsn,
	const struct dpsctp_ifwd_stream *streams, uint16_t nstreams);

/*
 * INIT (RFC 9260 3.3.2) and INIT ACK (3.3.3)
 */

/** An INIT or INIT ACK chunk: the two share one shape. */
struct dpsctp_init {
	uint32_t init_tag;     /**< initiate tag, host order (zero is the engine's business) */
	uint32_t a_rwnd;       /**< advertised receiver window credit in bytes, host order */
	uint16_t os;           /**< number of outbound streams, host order */
	uint16_t mis;          /**< number of inbound streams, host order */
	uint32_t initial_tsn;  /**< initial TSN, host order */
	const uint8_t *params; /**< parameters (raw TLVs, network order), in the packet */
	size_t params_len;     /**< bytes of @c params (no final padding) */
};

/** Decode an INIT chunk. @return 0, -EINVAL or -EBADMSG (value < 16 bytes, bad parameters). */
int dpsctp_init_decode(const struct dpsctp_chunk *c, struct dpsctp_init *out);

/** Decode an INIT ACK chunk. @return 0, -EINVAL or -EBADMSG (value < 16 bytes, bad parameters). */
int dpsctp_init_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_init *out);

/**
 * Open an INIT chunk: header, fixed fields, then the raw parameters of @p in; close it with
 * dpsctp_chunk_end(w, *mark). @return 0, -ENOSPC, -EMSGSIZE (buffer unchanged), or -EINVAL when
 * @c params is NULL with a non-zero length.
 */
int dpsctp_init_begin(struct dpsctp_wbuf *w, const struct dpsctp_init *in, size_t *mark);

/** Open an INIT ACK chunk; same contract as dpsctp_init_begin(). */
int dpsctp_init_ack_begin(struct dpsctp_wbuf *w, const struct dpsctp_init *in, size_t *mark);

/*
 * HEARTBEAT (RFC 9260 3.3.5) and HEARTBEAT ACK (3.3.6)
 */

/** A HEARTBEAT or HEARTBEAT ACK chunk: a parameter region (the Heartbeat Info). */
struct dpsctp_heartbeat {
	const uint8_t *params; /**< parameters (raw TLVs, network order), in the packet */
	size_t params_len; /**< bytes of @c params (no final padding); 0 is decoded faithfully */
};

/** Decode a HEARTBEAT chunk. @return 0, -EINVAL or -EBADMSG (bad parameter region). */
int dpsctp_heartbeat_decode(const struct dpsctp_chunk *c, struct dpsctp_heartbeat *out);

/** Decode a HEARTBEAT ACK chunk. @return 0, -EINVAL or -EBADMSG (bad parameter region). */
int dpsctp_heartbeat_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_heartbeat *out);

/** Open a HEARTBEAT chunk with the raw parameters of @p in; see dpsctp_init_begin(). */
int dpsctp_heartbeat_begin(struct dpsctp_wbuf *w, const struct dpsctp_heartbeat *in, size_t *mark);

/** Open a HEARTBEAT ACK chunk with the raw parameters of @p in; see dpsctp_init_begin(). */
int dpsctp_heartbeat_ack_begin(
	struct dpsctp_wbuf *w, const struct dpsctp_heartbeat *in, size_t *mark);

/*
 * ABORT (RFC 9260 3.3.7) and ERROR (3.3.10)
 */

/** An ABORT chunk. */
struct dpsctp_abort {
	bool t;                /**< T bit: the verification tag is reflected (RFC 9260 3.3.7) */
	const uint8_t *causes; /**< error causes (raw TLVs, network order), in the packet */
	size_t causes_len;     /**< bytes of @c causes (no final padding); may be 0 */
};

/** An ERROR chunk. */
struct dpsctp_error {
	const uint8_t *causes; /**< error causes (raw TLVs, network order), in the packet */
	size_t causes_len; /**< bytes of @c causes (no final padding); 0 is decoded faithfully */
};

/** Decode an ABORT chunk. @return 0, -EINVAL or -EBADMSG (bad cause region). */
int dpsctp_abort_decode(const struct dpsctp_chunk *c, struct dpsctp_abort *out);

/** Open an ABORT chunk (T bit from @p in) with its raw causes; see dpsctp_init_begin(). */
int dpsctp_abort_begin(struct dpsctp_wbuf *w, const struct dpsctp_abort *in, size_t *mark);

/** Decode an ERROR chunk. @return 0, -EINVAL or -EBADMSG (bad cause region). */
int dpsctp_error_decode(const struct dpsctp_chunk *c, struct dpsctp_error *out);

/** Open an ERROR chunk with the raw causes of @p in; see dpsctp_init_begin(). */
int dpsctp_error_begin(struct dpsctp_wbuf *w, const struct dpsctp_error *in, size_t *mark);

/*
 * SHUTDOWN (RFC 9260 3.3.8), SHUTDOWN ACK (3.3.9), SHUTDOWN COMPLETE (3.3.13)
 */

/** A SHUTDOWN chunk. */
struct dpsctp_shutdown {
	uint32_t cum_tsn; /**< cumulative TSN ack, host order */
};

/** A SHUTDOWN COMPLETE chunk. */
struct dpsctp_shutdown_complete {
	bool t; /**< T bit: the verification tag is reflected (RFC 9260 3.3.13) */
};

/** Decode a SHUTDOWN chunk. @return 0, -EINVAL or -EBADMSG (value < 4 bytes). */
int dpsctp_shutdown_decode(const struct dpsctp_chunk *c, struct dpsctp_shutdown *out);

/** Build a SHUTDOWN chunk (8 bytes). @return 0 or -ENOSPC. */
int dpsctp_shutdown_build(struct dpsctp_wbuf *w, const struct dpsctp_shutdown *in);

/** Check a SHUTDOWN ACK chunk (no fields). @return 0 or -EINVAL. */
int dpsctp_shutdown_ack_decode(const struct dpsctp_chunk *c);

/** Build a SHUTDOWN ACK chunk (4 bytes). @return 0 or -ENOSPC. */
int dpsctp_shutdown_ack_build(struct dpsctp_wbuf *w);

/** Decode a SHUTDOWN COMPLETE chunk. @return 0 or -EINVAL. */
int dpsctp_shutdown_complete_decode(
	const struct dpsctp_chunk *c, struct dpsctp_shutdown_complete *out);

/** Build a SHUTDOWN COMPLETE chunk (4 bytes). @return 0 or -ENOSPC. */
int dpsctp_shutdown_complete_build(
	struct dpsctp_wbuf *w, const struct dpsctp_shutdown_complete *in);

/*
 * COOKIE ECHO (RFC 9260 3.3.11) and COOKIE ACK (3.3.12)
 */

/** A COOKIE ECHO chunk. */
struct dpsctp_cookie_echo {
	const uint8_t *cookie; /**< the State Cookie as received in INIT ACK, in the packet */
	size_t cookie_len;     /**< bytes of @c cookie (no padding); 0 is decoded faithfully */
};

/** Decode a COOKIE ECHO chunk. @return 0 or -EINVAL. */
int dpsctp_cookie_echo_decode(const struct dpsctp_chunk *c, struct dpsctp_cookie_echo *out);

/** Build a COOKIE ECHO chunk. @return 0, -ENOSPC, -EMSGSIZE, or -EINVAL (NULL with a length). */
int dpsctp_cookie_echo_build(struct dpsctp_wbuf *w, const struct dpsctp_cookie_echo *in);

/** Check a COOKIE ACK chunk (no fields). @return 0 or -EINVAL. */
int dpsctp_cookie_ack_decode(const struct dpsctp_chunk *c);

/** Build a COOKIE ACK chunk (4 bytes). @return 0 or -ENOSPC. */
int dpsctp_cookie_ack_build(struct dpsctp_wbuf *w);

/*
 * ECNE and CWR (RFC 9260 appendix A)
 */

/** An ECNE or CWR chunk: the two share one shape. */
struct dpsctp_ecn {
	uint32_t lowest_tsn; /**< lowest TSN number, host order */
};

/** Decode an ECNE chunk. @return 0, -EINVAL or -EBADMSG (value < 4 bytes). */
int dpsctp_ecne_decode(const struct dpsctp_chunk *c, struct dpsctp_ecn *out);

/** Build an ECNE chunk (8 bytes). @return 0 or -ENOSPC. */
int dpsctp_ecne_build(struct dpsctp_wbuf *w, const struct dpsctp_ecn *in);

/** Decode a CWR chunk. @return 0, -EINVAL or -EBADMSG (value < 4 bytes). */
int dpsctp_cwr_decode(const struct dpsctp_chunk *c, struct dpsctp_ecn *out);

/** Build a CWR chunk (8 bytes). @return 0 or -ENOSPC. */
int dpsctp_cwr_build(struct dpsctp_wbuf *w, const struct dpsctp_ecn *in);

/*
 * AUTH (RFC 4895 4.1) and PAD (RFC 4820 3)
 */

/** An AUTH chunk. */
struct dpsctp_auth {
	uint16_t key_id;     /**< shared key identifier, host order */
	uint16_t hmac_id;    /**< HMAC identifier (enum dpsctp_hmac_id), host order */
	const uint8_t *hmac; /**< the HMAC, in the packet; NULL when building = all zeros */
	size_t hmac_len;     /**< bytes of @c hmac (no padding) */
};

/** Decode an AUTH chunk. @return 0, -EINVAL or -EBADMSG (value < 4 bytes). */
int dpsctp_auth_decode(const struct dpsctp_chunk *c, struct dpsctp_auth *out);

/**
 * Build an AUTH chunk. With @c hmac NULL the HMAC field is @c hmac_len zero bytes, as RFC 4895
 * 6.2 wants it while the HMAC is computed; it starts 8 bytes into the chunk, and the chunk
 * starts at the buffer length before the call rounded up to 4. @return 0, -ENOSPC or -EMSGSIZE.
 */
int dpsctp_auth_build(struct dpsctp_wbuf *w, const struct dpsctp_auth *in);

/** A PAD chunk. */
struct dpsctp_pad {
	size_t pad_len; /**< bytes of padding data (chunk length - 4); their content is ignored */
};

/** Decode a PAD chunk. @return 0 or -EINVAL. */
int dpsctp_pad_decode(const struct dpsctp_chunk *c, struct dpsctp_pad *out);

/** Build a PAD chunk of @c pad_len zero bytes of padding data. @return 0, -ENOSPC or -EMSGSIZE. */
int dpsctp_pad_build(struct dpsctp_wbuf *w, const struct dpsctp_pad *in);

/*
 * ASCONF (RFC 5061 3.1.1) and ASCONF-ACK (3.1.2)
 */

/** An ASCONF chunk. */
struct dpsctp_asconf {
	uint32_t serial;       /**< sequence number, host order */
	uint16_t addr_type;    /**< DPSCTP_PARAM_IPV4 or DPSCTP_PARAM_IPV6: the address parameter */
	const uint8_t *addr;   /**< the address, network order: 4 bytes (IPv4) or 16 (IPv6) */
	const uint8_t *params; /**< ASCONF parameters after the address (raw TLVs), in the packet */
	size_t params_len;     /**< bytes of @c params (no final padding); may be 0 */
};

/** An ASCONF-ACK chunk. */
struct dpsctp_asconf_ack {
	uint32_t serial;       /**< sequence number, host order */
	const uint8_t *params; /**< ASCONF response parameters (raw TLVs), in the packet */
	size_t params_len;     /**< bytes of @c params (no final padding); may be 0 */
};

/**
 * Decode an ASCONF chunk. @return 0, -EINVAL, or -EBADMSG when the value is shorter than
 * serial + address parameter, the first parameter is not an IPv4 (length 8) or IPv6 (length
 * 20) address parameter, or the rest is not a well-formed parameter region.
 */
int dpsctp_asconf_decode(const struct dpsctp_chunk *c, struct dpsctp_asconf *out);

/**
 * Open an ASCONF chunk: serial, the address parameter, the raw parameters of @p in; see
 * dpsctp_init_begin(). @return also -EINVAL when @c addr_type is not IPv4 / IPv6.
 */
int dpsctp_asconf_begin(struct dpsctp_wbuf *w, const struct dpsctp_asconf *in, size_t *mark);

/** Decode an ASCONF-ACK chunk. @return 0, -EINVAL or -EBADMSG (value < 4, bad parameters). */
int dpsctp_asconf_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_asconf_ack *out);

/** Open an ASCONF-ACK chunk with the raw parameters of @p in; see dpsctp_init_begin(). */
int dpsctp_asconf_ack_begin(
	struct dpsctp_wbuf *w, const struct dpsctp_asconf_ack *in, size_t *mark);

/*
 * RE-CONFIG (RFC 6525 3.1)
 */

/** A RE-CONFIG chunk: one or two re-configuration parameters. */
struct dpsctp_reconf {
	const uint8_t *params; /**< re-configuration parameters (raw TLVs), in the packet */
	size_t params_len;     /**< bytes of @c params (no final padding) */
};

/**
 * Decode a RE-CONFIG chunk. @return 0, -EINVAL, or -EBADMSG when the parameter region is not
 * well formed or holds other than one or two parameters (RFC 6525 3.1).
 */
int dpsctp_reconf_decode(const struct dpsctp_chunk *c, struct dpsctp_reconf *out);

/**
 * Open a RE-CONFIG chunk with the raw parameters of @p in; see dpsctp_init_begin(). The caller
 * keeps to one or two parameters in all.
 */
int dpsctp_reconf_begin(struct dpsctp_wbuf *w, const struct dpsctp_reconf *in, size_t *mark);

/**
 * Any decoded chunk. The member in use is selected by the chunk type: INIT and INIT ACK share
 * @c init, HEARTBEAT and HEARTBEAT ACK share @c hb, ECNE and CWR share @c ecn; SHUTDOWN ACK and
 * COOKIE ACK have no fields.
 */
union dpsctp_chunk_view {
	struct dpsctp_data data;                /**< DATA */
	struct dpsctp_idata idata;              /**< I-DATA */
	struct dpsctp_init init;                /**< INIT, INIT ACK */
	struct dpsctp_sack sack;                /**< SACK */
	struct dpsctp_heartbeat hb;             /**< HEARTBEAT, HEARTBEAT ACK */
	struct dpsctp_abort abort;              /**< ABORT */
	struct dpsctp_error error;              /**< ERROR */
	struct dpsctp_shutdown shutdown;        /**< SHUTDOWN */
	struct dpsctp_shutdown_complete sc;     /**< SHUTDOWN COMPLETE */
	struct dpsctp_cookie_echo cookie;       /**< COOKIE ECHO */
	struct dpsctp_ecn ecn;                  /**< ECNE, CWR */
	struct dpsctp_auth auth;                /**< AUTH */
	struct dpsctp_pad pad;                  /**< PAD */
	struct dpsctp_forward_tsn fwd;          /**< FORWARD-TSN */
	struct dpsctp_iforward_tsn ifwd;        /**< I-FORWARD-TSN */
	struct dpsctp_asconf asconf;            /**< ASCONF */
	struct dpsctp_asconf_ack asconf_ack;    /**< ASCONF-ACK */
	struct dpsctp_reconf reconf;            /**< RE-CONFIG */
};

/**
 * Decode @p c with the decoder of its own type: the one entry point the engine, the renderer and
 * the fuzzers use.
 * @return 0; -EBADMSG when malformed; -ENOENT when the codec does not know the type (the caller
 *	applies dpsctp_chunk_unknown_action()). @p v is untouched on error.
 */
int dpsctp_chunk_decode(const struct dpsctp_chunk *c, union dpsctp_chunk_view *v);

#endif /* DPSCTP_SCTP_CHUNK_H */
