/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed parameters: decode a parameter TLV found by dpsctp_tlv_next() into a tagged union, and
 * build one from it (RFC 9260 3.3.2.1, 3.3.3.1; RFC 3758, 4820, 4895, 5061, 6525, 9653).
 *
 * Decoded variable parts (opaque bytes, lists, nested TLV regions) stay where they are: pointers
 * into the packet with a length or an item count, items in network byte order. Builders take the
 * same representation, so build(decode(x)) reproduces x byte for byte. The codec checks the shape
 * of a parameter, never its meaning: which chunk may carry it, whether a value is acceptable
 * (a Random of other than 32 bytes, a Host Name Address at all) is the engine's decision.
 */
#ifndef DPSCTP_SCTP_PARAM_H
#define DPSCTP_SCTP_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

/** An IPv4 or IPv6 address as an address parameter carries it (RFC 9260 3.3.2.1). */
struct dpsctp_addr {
	uint8_t family;    /**< 4 or 6 */
	uint8_t bytes[16]; /**< address, network byte order; IPv4 in the first 4, the rest zero */
};

/** Opaque bytes of a value; @c data points into the packet (decode) or the caller's memory. */
struct dpsctp_bytes {
	const uint8_t *data; /**< first byte; may be NULL when @c len is 0 */
	size_t len;          /**< length in bytes */
};

/**
 * A list of fixed-size items (u8 or u16) as it sits on the wire. Read an item with
 * dpsctp_list_u8() or dpsctp_list_u16(); fill one from host values with dpsctp_list_u16_encode().
 */
struct dpsctp_list {
	const uint8_t *data; /**< first item, network byte order; may be NULL when @c n is 0 */
	size_t n;            /**< number of items (not bytes) */
};

/** RFC 6525 4.1: Outgoing SSN Reset Request (type 13). */
struct dpsctp_param_out_reset {
	uint32_t req_seq;           /**< Re-configuration Request Sequence Number */
	uint32_t resp_seq;          /**< Re-configuration Response Sequence Number */
	uint32_t last_tsn;          /**< Sender's Last Assigned TSN */
	struct dpsctp_list streams; /**< u16 stream numbers; empty means all streams */
};

/** RFC 6525 4.2: Incoming SSN Reset Request (type 14). */
struct dpsctp_param_in_reset {
	uint32_t req_seq;           /**< Re-configuration Request Sequence Number */
	struct dpsctp_list streams; /**< u16 stream numbers; empty means all streams */
};

/** RFC 6525 4.4: Re-configuration Response (type 16). */
struct dpsctp_param_reconf_resp {
	uint32_t resp_seq;          /**< Re-configuration Response Sequence Number */
	uint32_t result;            /**< enum dpsctp_reconf_result */
	bool has_tsns;              /**< the two optional TSN fields are present (both or none) */
	uint32_t sender_next_tsn;   /**< Sender's Next TSN; valid when @c has_tsns */
	uint32_t receiver_next_tsn; /**< Receiver's Next TSN; valid when @c has_tsns */
};

/** RFC 6525 4.5, 4.6: Add Outgoing / Incoming Streams Request (types 17, 18). */
struct dpsctp_param_add_streams {
	uint32_t req_seq;     /**< Re-configuration Request Sequence Number */
	uint16_t new_streams; /**< Number of new streams */
	uint16_t reserved;    /**< Reserved; 0 when sent, kept as received */
};

/** RFC 5061 4.2.1, 4.2.2, 4.2.4: Add IP / Delete IP / Set Primary Address (0xC001/2/4). */
struct dpsctp_param_asconf_addr {
	uint32_t corr_id;        /**< ASCONF-Request Correlation ID, opaque */
	struct dpsctp_addr addr; /**< the nested IPv4 or IPv6 address parameter */
};

/** RFC 5061 4.2.3: Error Cause Indication (0xC003). */
struct dpsctp_param_error_ind {
	uint32_t corr_id;           /**< ASCONF-Request Correlation ID being answered */
	struct dpsctp_bytes causes; /**< zero or more error cause TLVs (see cause.h), checked */
};

/**
 * A decoded parameter. @c type selects the member of @c u:
 * - IPV4, IPV6: @c addr;
 * - HEARTBEAT_INFO, STATE_COOKIE, HOST_NAME, RANDOM, PADDING: @c raw (opaque);
 * - UNRECOGNIZED: @c raw, exactly one whole TLV (its padding may follow);
 * - COOKIE_PRESERVATIVE (suggested life-span increment, msec), ZERO_CHECKSUM (error detection
 *   method identifier), ADAPTATION_LAYER (adaptation code point), SSN_TSN_RESET_REQ (request
 *   sequence number), SUCCESS_IND (correlation id): @c u32;
 * - SUPPORTED_ADDR_TYPES, HMAC_ALGO: @c list of u16; CHUNK_LIST, SUPPORTED_EXT: @c list of u8;
 * - OUT_SSN_RESET_REQ: @c out_reset; IN_SSN_RESET_REQ: @c in_reset; RECONF_RESP:
 *   @c reconf_resp; ADD_OUT_STREAMS_REQ, ADD_IN_STREAMS_REQ: @c add_streams;
 * - ADD_IP, DEL_IP, SET_PRIMARY: @c asconf; ERROR_CAUSE_IND: @c error_ind;
 * - ECN_CAPABLE, FORWARD_TSN_SUPPORTED: no member (empty value).
 *
 * Host Name Address (11) is decoded like any opaque value. RFC 9260 5.1.2 B makes its receiver
 * ABORT the association (optionally with an Unresolvable Address cause): that is the engine's
 * decision, not the codec's.
 */
struct dpsctp_param {
	uint16_t type; /**< parameter type, enum dpsctp_param_type, host byte order */
	union {
		struct dpsctp_addr addr;                     /**< IPv4 / IPv6 address */
		struct dpsctp_bytes raw;                     /**< opaque value */
		uint32_t u32;                                /**< single 32-bit field, host order */
		struct dpsctp_list list;                     /**< list of u8 or u16 items */
		struct dpsctp_param_out_reset out_reset;     /**< RFC 6525 4.1 */
		struct dpsctp_param_in_reset in_reset;       /**< RFC 6525 4.2 */
		struct dpsctp_param_reconf_resp reconf_resp; /**< RFC 6525 4.4 */
		struct dpsctp_param_add_streams add_streams; /**< RFC 6525 4.5, 4.6 */
		struct dpsctp_param_asconf_addr asconf;      /**< RFC 5061 4.2.1, 4.2.2, 4.2.4 */
		struct dpsctp_param_error_ind error_ind;     /**< RFC 5061 4.2.3 */
	} u;                                                 /**< value, selected by @c type */
};

/** Item @p i (< @c n, unchecked) of a u8 list. */
static inline uint8_t
dpsctp_list_u8(const struct dpsctp_list *l, size_t i)
{
	return l->data[i];
}

/** Item @p i (< @c n, unchecked) of a u16 list, in host byte order. */
static inline uint16_t
dpsctp_list_u16(const struct dpsctp_list *l, size_t i)
{
	return dpsctp_get_be16(l->data + 2 * i);
}

/**
 * Store @p n host-order values in @p wire (2 * @p n bytes) in network byte order and point
 * @p out at them, ready for a builder.
 */
static inline void
dpsctp_list_u16_encode(uint8_t *wire, const uint16_t *host, size_t n, struct dpsctp_list *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		dpsctp_put_be16(wire + 2 * i, host[i]);
	out->data = wire;
	out->n = n;
}

/**
 * Decode the parameter @p t (from dpsctp_tlv_next()).
 * @return 0 with @p out filled (pointers into @p t's packet); -EBADMSG when the value's length
 *	or a nested TLV does not fit the type; -ENOENT when the codec does not know the type (the
 *	caller applies dpsctp_param_unknown_action()). @p out is untouched on error.
 */
int dpsctp_param_decode(const struct dpsctp_tlv *t, struct dpsctp_param *out);

/**
 * Append the whole parameter @p in to @p w: padding of the previous TLV, header, value, no
 * trailing padding (the next TLV or dpsctp_chunk_end() adds it).
 * @return 0; -EINVAL when the type is unknown or @p in is inconsistent (family not 4/6 or not
 *	matching an address type, NULL data with a non-zero length, a nested TLV region that
 *	dpsctp_param_decode() would refuse); -EMSGSIZE when the parameter exceeds 65535 bytes;
 *	-ENOSPC when it does not fit. The buffer is unchanged on error.
 */
int dpsctp_param_build(struct dpsctp_wbuf *w, const struct dpsctp_param *in);

/** Name of the parameter type as its RFC spells it ("IPv4 Address"); NULL when unknown. */
const char *dpsctp_param_name(uint16_t type);

/** Does the codec know parameter type @p type? */
bool dpsctp_param_type_known(uint16_t type);

/**
 * Decode an IPv4 (type 5, length 8) or IPv6 (type 6, length 20) address parameter.
 * @return 0 or -EBADMSG (any other type or length). @p a is untouched on error.
 */
int dpsctp_addr_param_decode(const struct dpsctp_tlv *t, struct dpsctp_addr *a);

/**
 * Append the address parameter for @p a (type 5 or 6 by family).
 * @return 0, -EINVAL (family not 4 or 6) or -ENOSPC; the buffer is unchanged on error.
 */
int dpsctp_addr_param_build(struct dpsctp_wbuf *w, const struct dpsctp_addr *a);

#endif /* DPSCTP_SCTP_PARAM_H */
