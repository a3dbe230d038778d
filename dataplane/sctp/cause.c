/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed error causes (RFC 9260 3.3.10, RFC 5061 4.3, RFC 4895 4.1). One table gives each known
 * code its name and value shape; decode and build switch on the shape.
 */

#include <errno.h>
#include <string.h>

#include "cause.h"

/* How a value is laid out; "fixed" below is the size of the part before any variable tail. */
enum cause_shape {
	SH_EMPTY,   /* nothing */
	SH_U32,     /* one 32-bit field */
	SH_STREAM,  /* u16 stream, u16 reserved */
	SH_MISSING, /* u32 count, count x u16 */
	SH_HMAC,    /* u16 HMAC id */
	SH_RAW,     /* opaque bytes */
	SH_TLV,     /* exactly one whole TLV */
	SH_CHUNK,   /* exactly one whole chunk */
	SH_REGION,  /* zero or more whole TLVs */
};

struct cause_desc {
	uint16_t code;
	uint8_t shape; /* enum cause_shape */
	uint8_t fixed; /* bytes of the fixed part of the value */
	bool exact;    /* the value is exactly @c fixed bytes */
	const char *name;
};

static const struct cause_desc cause_descs[] = {
	/* RFC 9260 3.3.10.1 - 3.3.10.13 */
	{DPSCTP_CAUSE_INVALID_STREAM, SH_STREAM, 4, true, "Invalid Stream Identifier"},
	{DPSCTP_CAUSE_MISSING_PARAM, SH_MISSING, 4, false, "Missing Mandatory Parameter"},
	{DPSCTP_CAUSE_STALE_COOKIE, SH_U32, 4, true, "Stale Cookie Error"},
	{DPSCTP_CAUSE_OUT_OF_RESOURCE, SH_EMPTY, 0, true, "Out of Resource"},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, SH_TLV, 0, false, "Unresolvable Address"},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, SH_CHUNK, 0, false, "Unrecognized Chunk Type"},
	{DPSCTP_CAUSE_INVALID_MANDATORY_PARAM, SH_EMPTY, 0, true, "Invalid Mandatory Parameter"},
	{DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, SH_REGION, 0, false, "Unrecognized Parameters"},
	{DPSCTP_CAUSE_NO_USER_DATA, SH_U32, 4, true, "No User Data"},
	{DPSCTP_CAUSE_COOKIE_IN_SHUTDOWN, SH_EMPTY, 0, true, "Cookie Received While Shutting Down"},
	{DPSCTP_CAUSE_RESTART_NEW_ADDRS, SH_REGION, 0, false,
		"Restart of an Association with New Addresses"},
	{DPSCTP_CAUSE_USER_ABORT, SH_RAW, 0, false, "User-Initiated Abort"},
	{DPSCTP_CAUSE_PROTOCOL_VIOLATION, SH_RAW, 0, false, "Protocol Violation"},
	/* RFC 5061 4.3: all but Illegal ASCONF-ACK carry the ASCONF parameter in question. */
	{DPSCTP_CAUSE_DELETE_LAST_ADDR, SH_TLV, 0, false,
		"Request to Delete Last Remaining IP Address"},
	{DPSCTP_CAUSE_RESOURCE_SHORTAGE, SH_TLV, 0, false,
		"Operation Refused Due to Resource Shortage"},
	{DPSCTP_CAUSE_DELETE_SOURCE_ADDR, SH_TLV, 0, false, "Request to Delete Source IP Address"},
	{DPSCTP_CAUSE_ILLEGAL_ASCONF_ACK, SH_EMPTY, 0, true,
		"Association Aborted Due to Illegal ASCONF-ACK"},
	{DPSCTP_CAUSE_NO_AUTHORIZATION, SH_TLV, 0, false, "Request Refused - No Authorization"},
	/* RFC 4895 4.1: Cause Length = 6; the 2 padding bytes are not counted. */
	{DPSCTP_CAUSE_UNSUPPORTED_HMAC, SH_HMAC, 2, true, "Unsupported HMAC Identifier"},
};

static const struct cause_desc *
cause_find(uint16_t code)
{
	size_t i;

	for (i = 0; i < sizeof(cause_descs) / sizeof(cause_descs[0]); i++)
		if (cause_descs[i].code == code)
			return &cause_descs[i];
	return NULL;
}

const char *
dpsctp_cause_name(uint16_t code)
{
	const struct cause_desc *d = cause_find(code);

	return d == NULL ? NULL : d->name;
}

bool
dpsctp_cause_code_known(uint16_t code)
{
	return cause_find(code) != NULL;
}

bool
dpsctp_cause_holds_params(uint16_t code)
{
	const struct cause_desc *d = cause_find(code);

	return d != NULL && (d->shape == SH_TLV || d->shape == SH_REGION);
}

/*
 * Does the nested region [p, p + n) have the structure @p shape asks for? One TLV or one chunk
 * may be followed by (some of) its padding.
 */
static bool
nested_ok(uint8_t shape, const uint8_t *p, size_t n)
{
	const uint8_t *q = p;
	struct dpsctp_chunk c;
	struct dpsctp_tlv t;

	switch (shape) {
	case SH_TLV:
		return n >= DPSCTP_TLV_HDR_LEN && dpsctp_tlv_next(&q, p + n, &t) == 1 && q == p + n;
	case SH_CHUNK:
		return n >= DPSCTP_CHUNK_HDR_LEN && dpsctp_chunk_next(&q, p + n, &c) == 1 &&
		       q == p + n;
	case SH_REGION:
		return n == 0 || dpsctp_tlv_check_all(p, p + n) >= 0;
	default:
		return true;
	}
}

int
dpsctp_cause_decode(const struct dpsctp_tlv *t, struct dpsctp_cause *out)
{
	const struct cause_desc *d = cause_find(t->type);
	const uint8_t *v = t->value;
	struct dpsctp_cause c;
	size_t n, tail;

	if (d == NULL)
		return -ENOENT;
	if (t->len < DPSCTP_TLV_HDR_LEN)
		return -EBADMSG;
	n = dpsctp_tlv_value_len(t);
	if (n < d->fixed || (d->exact && n != d->fixed))
		return -EBADMSG;
	tail = n - d->fixed;
	memset(&c, 0, sizeof(c));
	c.code = t->type;

	switch (d->shape) {
	case SH_EMPTY:
		break;
	case SH_U32:
		c.u.u32 = dpsctp_get_be32(v);
		break;
	case SH_STREAM:
		c.u.invalid_stream.stream = dpsctp_get_be16(v);
		c.u.invalid_stream.reserved = dpsctp_get_be16(v + 2);
		break;
	case SH_MISSING:
		/* RFC 9260 3.3.10.2: Number of missing params = N, then N parameter types. */
		if ((tail & 1) || dpsctp_get_be32(v) != tail / 2)
			return -EBADMSG;
		c.u.missing.data = v + 4;
		c.u.missing.n = tail / 2;
		break;
	case SH_HMAC:
		c.u.hmac_id = dpsctp_get_be16(v);
		break;
	default:
		/* RFC 9260 3.3.10.5, 3.3.10.6, 3.3.10.8, 3.3.10.11: copies of whole TLVs/chunks */
		if (!nested_ok(d->shape, v, n))
			return -EBADMSG;
		c.u.raw.data = v;
		c.u.raw.len = n;
		break;
	}
	*out = c;
	return 0;
}

int
dpsctp_cause_build(struct dpsctp_wbuf *w, const struct dpsctp_cause *in)
{
	const struct cause_desc *d = cause_find(in->code);
	const uint8_t *src = NULL;
	size_t tail = 0;
	size_t mark, pad;
	uint8_t *v;

	if (d == NULL)
		return -EINVAL;
	if (d->shape == SH_MISSING) {
		if (in->u.missing.data == NULL && in->u.missing.n != 0)
			return -EINVAL;
		src = in->u.missing.data;
		tail = in->u.missing.n > DPSCTP_TLV_MAX_LEN ? DPSCTP_TLV_MAX_LEN + 1
							    : 2 * in->u.missing.n;
	} else if (!d->exact) {
		if (in->u.raw.data == NULL && in->u.raw.len != 0)
			return -EINVAL;
		src = in->u.raw.data;
		tail = in->u.raw.len;
	}
	if (tail > (size_t)(DPSCTP_TLV_MAX_LEN - DPSCTP_TLV_HDR_LEN - d->fixed))
		return -EMSGSIZE;
	/* Refuse what dpsctp_cause_decode() would refuse, so that build and decode agree. */
	if (!nested_ok(d->shape, src, tail))
		return -EINVAL;

	/* Check the room first so that a failure writes nothing, not even padding. */
	pad = dpsctp_pad4(w->len) - w->len;
	if (pad + DPSCTP_TLV_HDR_LEN + d->fixed + tail > dpsctp_wbuf_room(w))
		return -ENOSPC;
	(void)dpsctp_tlv_begin(w, in->code, &mark);
	v = dpsctp_wbuf_reserve(w, d->fixed + tail);
	(void)dpsctp_tlv_end(w, mark);

	switch (d->shape) {
	case SH_U32:
		dpsctp_put_be32(v, in->u.u32);
		break;
	case SH_STREAM:
		dpsctp_put_be16(v, in->u.invalid_stream.stream);
		dpsctp_put_be16(v + 2, in->u.invalid_stream.reserved);
		break;
	case SH_MISSING:
		dpsctp_put_be32(v, (uint32_t)in->u.missing.n);
		break;
	case SH_HMAC:
		dpsctp_put_be16(v, in->u.hmac_id);
		break;
	default:
		break;
	}
	if (tail != 0)
		memcpy(v + d->fixed, src, tail);
	return 0;
}
