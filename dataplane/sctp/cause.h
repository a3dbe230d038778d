/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed error causes, as carried by ABORT and ERROR chunks and by the Error Cause Indication
 * parameter (RFC 9260 3.3.10, RFC 5061 4.3, RFC 4895 4.1). Same model as param.h: a tagged union
 * whose variable parts point into the packet, builders that take the same representation, so that
 * build(decode(x)) reproduces x byte for byte.
 */
#ifndef DPSCTP_SCTP_CAUSE_H
#define DPSCTP_SCTP_CAUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

/** RFC 9260 3.3.10.1: Invalid Stream Identifier. */
struct dpsctp_cause_invalid_stream {
	uint16_t stream;   /**< the invalid stream identifier */
	uint16_t reserved; /**< reserved; 0 when sent, kept as received */
};

/**
 * A decoded error cause. @c code selects the member of @c u:
 * - INVALID_STREAM: @c invalid_stream;
 * - MISSING_PARAM: @c missing, the u16 types of the missing parameters (the 32-bit count on the
 *   wire is the item count; decode checks they agree, build writes it);
 * - STALE_COOKIE (measure of staleness, usec), NO_USER_DATA (the TSN): @c u32;
 * - UNRESOLVABLE_ADDR: @c raw, exactly one whole TLV (the unresolvable address parameter);
 * - UNRECOGNIZED_CHUNK: @c raw, exactly one whole chunk (its padding may follow);
 * - UNRECOGNIZED_PARAMS, RESTART_NEW_ADDRS: @c raw, zero or more whole TLVs;
 * - USER_ABORT (upper-layer abort reason), PROTOCOL_VIOLATION (additional information):
 *   @c raw, opaque;
 * - DELETE_LAST_ADDR, RESOURCE_SHORTAGE, DELETE_SOURCE_ADDR, NO_AUTHORIZATION: @c raw, exactly
 *   one whole TLV (the ASCONF parameter in question);
 * - UNSUPPORTED_HMAC: @c hmac_id;
 * - OUT_OF_RESOURCE, INVALID_MANDATORY_PARAM, COOKIE_IN_SHUTDOWN, ILLEGAL_ASCONF_ACK: no member
 *   (empty value).
 */
struct dpsctp_cause {
	uint16_t code; /**< cause code, enum dpsctp_cause_code, host byte order */
	union {
		struct dpsctp_cause_invalid_stream invalid_stream; /**< RFC 9260 3.3.10.1 */
		struct dpsctp_list missing; /**< RFC 9260 3.3.10.2: u16 parameter types */
		uint32_t u32;               /**< single 32-bit field, host order */
		struct dpsctp_bytes raw;    /**< opaque or nested-TLV value */
		uint16_t hmac_id;           /**< RFC 4895 4.1: enum dpsctp_hmac_id not supported */
	} u;                                /**< value, selected by @c code */
};

/**
 * Decode the error cause @p t (from dpsctp_tlv_next()).
 * @return 0 with @p out filled (pointers into @p t's packet); -EBADMSG when the value does not
 *	fit the code; -ENOENT when the codec does not know the code. @p out is untouched on error.
 */
int dpsctp_cause_decode(const struct dpsctp_tlv *t, struct dpsctp_cause *out);

/**
 * Append the whole error cause @p in to @p w: padding of the previous TLV, header, value, no
 * trailing padding (the next TLV or dpsctp_chunk_end() adds it).
 * @return 0; -EINVAL when the code is unknown or @p in is inconsistent (NULL data with a non-zero
 *	length, a nested TLV or chunk that dpsctp_cause_decode() would refuse); -EMSGSIZE when the
 *	cause exceeds 65535 bytes; -ENOSPC when it does not fit. The buffer is unchanged on error.
 */
int dpsctp_cause_build(struct dpsctp_wbuf *w, const struct dpsctp_cause *in);

/** Name of the cause code as its RFC spells it ("Stale Cookie Error"); NULL when unknown. */
const char *dpsctp_cause_name(uint16_t code);

/** Does the codec know cause code @p code? */
bool dpsctp_cause_code_known(uint16_t code);

/**
 * Does a cause with this code carry parameters (u.raw is a region of parameter TLVs: Unresolvable
 * Address, Unrecognized Parameters, Restart with New Addresses and the RFC 5061 causes that quote
 * an ASCONF parameter)?
 */
bool dpsctp_cause_holds_params(uint16_t code);

#endif /* DPSCTP_SCTP_CAUSE_H */
