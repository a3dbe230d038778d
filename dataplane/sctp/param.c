/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed parameters (RFC 9260 3.3.2.1, 3.3.3.1; RFC 3758, 4820, 4895, 5061, 6525, 9653).
 * One table gives each known type its name and value shape; decode and build switch on the shape.
 */

#include <errno.h>
#include <string.h>

#include "param.h"

/* How a value is laid out; "fixed" below is the size of the part before any variable tail. */
enum param_shape {
	SH_EMPTY,       /* nothing */
	SH_U32,         /* one 32-bit field */
	SH_ADDR,        /* 4 or 16 address bytes */
	SH_RAW,         /* opaque bytes */
	SH_TLV,         /* exactly one whole TLV */
	SH_U8_LIST,     /* u8 items */
	SH_U16_LIST,    /* u16 items */
	SH_OUT_RESET,   /* 3 x u32, u16 streams */
	SH_IN_RESET,    /* u32, u16 streams */
	SH_RESP,        /* 2 x u32, optionally 2 more */
	SH_ADD_STREAMS, /* u32, u16, u16 */
	SH_ASCONF,      /* u32, IPv4 or IPv6 address parameter */
	SH_ERROR_IND,   /* u32, error cause TLVs */
};

struct param_desc {
	uint16_t type;
	uint8_t shape; /* enum param_shape */
	uint8_t fixed; /* bytes of the fixed part of the value */
	bool exact;    /* the value is exactly @c fixed bytes */
	const char *name;
};

static const struct param_desc param_descs[] = {
	/* RFC 9260 3.3.2.1, 3.3.3.1, 3.3.5 */
	{DPSCTP_PARAM_HEARTBEAT_INFO, SH_RAW, 0, false, "Heartbeat Info"},
	{DPSCTP_PARAM_IPV4, SH_ADDR, 4, true, "IPv4 Address"},
	{DPSCTP_PARAM_IPV6, SH_ADDR, 16, true, "IPv6 Address"},
	{DPSCTP_PARAM_STATE_COOKIE, SH_RAW, 0, false, "State Cookie"},
	{DPSCTP_PARAM_UNRECOGNIZED, SH_TLV, 0, false, "Unrecognized Parameter"},
	{DPSCTP_PARAM_COOKIE_PRESERVATIVE, SH_U32, 4, true, "Cookie Preservative"},
	{DPSCTP_PARAM_HOST_NAME, SH_RAW, 0, false, "Host Name Address"},
	{DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, SH_U16_LIST, 0, false, "Supported Address Types"},
	/* RFC 6525 4.1 - 4.6 */
	{DPSCTP_PARAM_OUT_SSN_RESET_REQ, SH_OUT_RESET, 12, false, "Outgoing SSN Reset Request"},
	{DPSCTP_PARAM_IN_SSN_RESET_REQ, SH_IN_RESET, 4, false, "Incoming SSN Reset Request"},
	{DPSCTP_PARAM_SSN_TSN_RESET_REQ, SH_U32, 4, true, "SSN/TSN Reset Request"},
	{DPSCTP_PARAM_RECONF_RESP, SH_RESP, 8, false, "Re-configuration Response"},
	{DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, SH_ADD_STREAMS, 8, true, "Add Outgoing Streams Request"},
	{DPSCTP_PARAM_ADD_IN_STREAMS_REQ, SH_ADD_STREAMS, 8, true, "Add Incoming Streams Request"},
	/* ECN (RFC 9260 appendix), RFC 9653, RFC 4895 3.1 - 3.3, RFC 4820 4, RFC 5061 4.2.7 */
	{DPSCTP_PARAM_ECN_CAPABLE, SH_EMPTY, 0, true, "ECN Capable"},
	{DPSCTP_PARAM_ZERO_CHECKSUM, SH_U32, 4, true, "Zero Checksum Acceptable"},
	{DPSCTP_PARAM_RANDOM, SH_RAW, 0, false, "Random"},
	{DPSCTP_PARAM_CHUNK_LIST, SH_U8_LIST, 0, false, "Chunk List"},
	{DPSCTP_PARAM_HMAC_ALGO, SH_U16_LIST, 0, false, "Requested HMAC Algorithm"},
	{DPSCTP_PARAM_PADDING, SH_RAW, 0, false, "Padding"},
	{DPSCTP_PARAM_SUPPORTED_EXT, SH_U8_LIST, 0, false, "Supported Extensions"},
	/* RFC 3758 3.1, RFC 5061 4.2.1 - 4.2.6 */
	{DPSCTP_PARAM_FORWARD_TSN_SUPPORTED, SH_EMPTY, 0, true, "Forward-TSN Supported"},
	{DPSCTP_PARAM_ADD_IP, SH_ASCONF, 4, false, "Add IP Address"},
	{DPSCTP_PARAM_DEL_IP, SH_ASCONF, 4, false, "Delete IP Address"},
	{DPSCTP_PARAM_ERROR_CAUSE_IND, SH_ERROR_IND, 4, false, "Error Cause Indication"},
	{DPSCTP_PARAM_SET_PRIMARY, SH_ASCONF, 4, false, "Set Primary Address"},
	{DPSCTP_PARAM_SUCCESS_IND, SH_U32, 4, true, "Success Indication"},
	{DPSCTP_PARAM_ADAPTATION_LAYER, SH_U32, 4, true, "Adaptation Layer Indication"},
};

static const struct param_desc *
param_find(uint16_t type)
{
	size_t i;

	for (i = 0; i < sizeof(param_descs) / sizeof(param_descs[0]); i++)
		if (param_descs[i].type == type)
			return &param_descs[i];
	return NULL;
}

const char *
dpsctp_param_name(uint16_t type)
{
	const struct param_desc *d = param_find(type);

	return d == NULL ? NULL : d->name;
}

bool
dpsctp_param_type_known(uint16_t type)
{
	return param_find(type) != NULL;
}

/* Is [p, p + n) one whole TLV, possibly followed by (some of) its padding? */
static bool
is_one_tlv(const uint8_t *p, size_t n)
{
	const uint8_t *q = p;
	struct dpsctp_tlv t;

	if (n < DPSCTP_TLV_HDR_LEN)
		return false;
	return dpsctp_tlv_next(&q, p + n, &t) == 1 && q == p + n;
}

/* Value length of an address of @p family; 0 when the family is neither 4 nor 6. */
static size_t
addr_len(uint8_t family)
{
	return family == 4 ? 4 : family == 6 ? 16 : 0;
}

int
dpsctp_addr_param_decode(const struct dpsctp_tlv *t, struct dpsctp_addr *a)
{
	uint8_t family;

	/* RFC 9260 3.3.2.1: IPv4 is type 5 length 8, IPv6 type 6 length 20. */
	if (t->type == DPSCTP_PARAM_IPV4 && t->len == 8)
		family = 4;
	else if (t->type == DPSCTP_PARAM_IPV6 && t->len == 20)
		family = 6;
	else
		return -EBADMSG;
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, t->value, addr_len(family));
	return 0;
}

/*
 * Append the header of a TLV of @p vlen (<= 65531) value bytes, after the padding of the previous
 * TLV, and return where its value goes. NULL, with not a byte written, when it does not fit.
 */
static uint8_t *
put_tlv(struct dpsctp_wbuf *w, uint16_t type, size_t vlen)
{
	size_t pad = dpsctp_pad4(w->len) - w->len;
	size_t mark;
	uint8_t *v;

	if (pad + DPSCTP_TLV_HDR_LEN + vlen > dpsctp_wbuf_room(w))
		return NULL;
	(void)dpsctp_tlv_begin(w, type, &mark);
	v = dpsctp_wbuf_reserve(w, vlen);
	(void)dpsctp_tlv_end(w, mark);
	return v;
}

int
dpsctp_addr_param_build(struct dpsctp_wbuf *w, const struct dpsctp_addr *a)
{
	size_t n = addr_len(a->family);
	uint8_t *v;

	if (n == 0)
		return -EINVAL;
	v = put_tlv(w, a->family == 4 ? DPSCTP_PARAM_IPV4 : DPSCTP_PARAM_IPV6, n);
	if (v == NULL)
		return -ENOSPC;
	memcpy(v, a->bytes, n);
	return 0;
}

int
dpsctp_param_decode(const struct dpsctp_tlv *t, struct dpsctp_param *out)
{
	const struct param_desc *d = param_find(t->type);
	const uint8_t *v = t->value;
	struct dpsctp_param p;
	struct dpsctp_tlv nt;
	const uint8_t *q;
	size_t n, tail;

	if (d == NULL)
		return -ENOENT;
	if (t->len < DPSCTP_TLV_HDR_LEN)
		return -EBADMSG;
	n = dpsctp_tlv_value_len(t);
	if (n < d->fixed || (d->exact && n != d->fixed))
		return -EBADMSG;
	tail = n - d->fixed;
	memset(&p, 0, sizeof(p));
	p.type = t->type;

	switch (d->shape) {
	case SH_EMPTY:
		break;
	case SH_U32:
		p.u.u32 = dpsctp_get_be32(v);
		break;
	case SH_ADDR:
		p.u.addr.family = n == 4 ? 4 : 6;
		memcpy(p.u.addr.bytes, v, n);
		break;
	case SH_TLV:
		/* RFC 9260 3.3.3.1: the unrecognized parameter is copied whole. */
		if (!is_one_tlv(v, n))
			return -EBADMSG;
		/* fall through */
	case SH_RAW:
		p.u.raw.data = v;
		p.u.raw.len = n;
		break;
	case SH_U8_LIST:
		p.u.list.data = v;
		p.u.list.n = n;
		break;
	case SH_U16_LIST:
		if (n & 1)
			return -EBADMSG;
		p.u.list.data = v;
		p.u.list.n = n / 2;
		break;
	case SH_OUT_RESET:
		/* RFC 6525 4.1: length 16 + 2 * N. */
		if (tail & 1)
			return -EBADMSG;
		p.u.out_reset.req_seq = dpsctp_get_be32(v);
		p.u.out_reset.resp_seq = dpsctp_get_be32(v + 4);
		p.u.out_reset.last_tsn = dpsctp_get_be32(v + 8);
		p.u.out_reset.streams.data = v + 12;
		p.u.out_reset.streams.n = tail / 2;
		break;
	case SH_IN_RESET:
		/* RFC 6525 4.2: length 8 + 2 * N. */
		if (tail & 1)
			return -EBADMSG;
		p.u.in_reset.req_seq = dpsctp_get_be32(v);
		p.u.in_reset.streams.data = v + 4;
		p.u.in_reset.streams.n = tail / 2;
		break;
	case SH_RESP:
		/* RFC 6525 4.4: length 12, or 20 with both next-TSN fields. */
		if (tail != 0 && tail != 8)
			return -EBADMSG;
		p.u.reconf_resp.resp_seq = dpsctp_get_be32(v);
		p.u.reconf_resp.result = dpsctp_get_be32(v + 4);
		if (tail == 8) {
			p.u.reconf_resp.has_tsns = true;
			p.u.reconf_resp.sender_next_tsn = dpsctp_get_be32(v + 8);
			p.u.reconf_resp.receiver_next_tsn = dpsctp_get_be32(v + 12);
		}
		break;
	case SH_ADD_STREAMS:
		p.u.add_streams.req_seq = dpsctp_get_be32(v);
		p.u.add_streams.new_streams = dpsctp_get_be16(v + 4);
		p.u.add_streams.reserved = dpsctp_get_be16(v + 6);
		break;
	case SH_ASCONF:
		/*
		 * RFC 5061 4.2.1, 4.2.2, 4.2.4: correlation id, then one IPv4 or IPv6 address
		 * parameter that fills the rest exactly (both lengths are multiples of 4).
		 */
		p.u.asconf.corr_id = dpsctp_get_be32(v);
		q = v + 4;
		if (dpsctp_tlv_next(&q, v + n, &nt) != 1 || nt.len != tail ||
			dpsctp_addr_param_decode(&nt, &p.u.asconf.addr) != 0)
			return -EBADMSG;
		break;
	case SH_ERROR_IND:
		/* RFC 5061 4.2.3: correlation id, then zero or more error causes. */
		if (dpsctp_tlv_check_all(v + 4, v + n) < 0)
			return -EBADMSG;
		p.u.error_ind.corr_id = dpsctp_get_be32(v);
		p.u.error_ind.causes.data = v + 4;
		p.u.error_ind.causes.len = tail;
		break;
	default:
		return -ENOENT;
	}
	*out = p;
	return 0;
}

/* @p n items of @p size bytes, saturated so that oversized input cannot wrap around. */
static size_t
span(size_t n, size_t size)
{
	return n > DPSCTP_TLV_MAX_LEN ? DPSCTP_TLV_MAX_LEN + 1 : n * size;
}

/* Length of the variable tail of @p in; -EINVAL when @p in is inconsistent. */
static int
tail_len(const struct param_desc *d, const struct dpsctp_param *in, size_t *len)
{
	const struct dpsctp_bytes *b = NULL;
	const struct dpsctp_list *l = NULL;
	size_t item = 1;

	*len = 0;
	switch (d->shape) {
	case SH_ADDR:
		return addr_len(in->u.addr.family) == d->fixed ? 0 : -EINVAL;
	case SH_RAW:
	case SH_TLV:
		b = &in->u.raw;
		break;
	case SH_U16_LIST:
		item = 2;
		/* fall through */
	case SH_U8_LIST:
		l = &in->u.list;
		break;
	case SH_OUT_RESET:
		l = &in->u.out_reset.streams;
		item = 2;
		break;
	case SH_IN_RESET:
		l = &in->u.in_reset.streams;
		item = 2;
		break;
	case SH_RESP:
		*len = in->u.reconf_resp.has_tsns ? 8 : 0;
		return 0;
	case SH_ASCONF:
		/* the nested address parameter: header and address */
		if (addr_len(in->u.asconf.addr.family) == 0)
			return -EINVAL;
		*len = DPSCTP_TLV_HDR_LEN + addr_len(in->u.asconf.addr.family);
		return 0;
	case SH_ERROR_IND:
		b = &in->u.error_ind.causes;
		break;
	default:
		return 0;
	}
	if (b != NULL) {
		if (b->data == NULL && b->len != 0)
			return -EINVAL;
		*len = span(b->len, 1);
	} else {
		if (l->data == NULL && l->n != 0)
			return -EINVAL;
		*len = span(l->n, item);
	}
	return 0;
}

/* Write the value of @p in (its length checked by the caller) at @p v. */
static void
fill(uint8_t *v, const struct param_desc *d, const struct dpsctp_param *in, size_t tail)
{
	const uint8_t *src = NULL;

	switch (d->shape) {
	case SH_U32:
		dpsctp_put_be32(v, in->u.u32);
		break;
	case SH_ADDR:
		memcpy(v, in->u.addr.bytes, d->fixed);
		break;
	case SH_RAW:
	case SH_TLV:
		src = in->u.raw.data;
		break;
	case SH_U8_LIST:
	case SH_U16_LIST:
		src = in->u.list.data;
		break;
	case SH_OUT_RESET:
		dpsctp_put_be32(v, in->u.out_reset.req_seq);
		dpsctp_put_be32(v + 4, in->u.out_reset.resp_seq);
		dpsctp_put_be32(v + 8, in->u.out_reset.last_tsn);
		src = in->u.out_reset.streams.data;
		break;
	case SH_IN_RESET:
		dpsctp_put_be32(v, in->u.in_reset.req_seq);
		src = in->u.in_reset.streams.data;
		break;
	case SH_RESP:
		dpsctp_put_be32(v, in->u.reconf_resp.resp_seq);
		dpsctp_put_be32(v + 4, in->u.reconf_resp.result);
		if (in->u.reconf_resp.has_tsns) {
			dpsctp_put_be32(v + 8, in->u.reconf_resp.sender_next_tsn);
			dpsctp_put_be32(v + 12, in->u.reconf_resp.receiver_next_tsn);
		}
		break;
	case SH_ADD_STREAMS:
		dpsctp_put_be32(v, in->u.add_streams.req_seq);
		dpsctp_put_be16(v + 4, in->u.add_streams.new_streams);
		dpsctp_put_be16(v + 6, in->u.add_streams.reserved);
		break;
	case SH_ASCONF:
		dpsctp_put_be32(v, in->u.asconf.corr_id);
		dpsctp_put_be16(v + 4,
			in->u.asconf.addr.family == 4 ? DPSCTP_PARAM_IPV4 : DPSCTP_PARAM_IPV6);
		dpsctp_put_be16(v + 6, (uint16_t)tail);
		memcpy(v + 8, in->u.asconf.addr.bytes, tail - 4);
		break;
	case SH_ERROR_IND:
		dpsctp_put_be32(v, in->u.error_ind.corr_id);
		src = in->u.error_ind.causes.data;
		break;
	default:
		break;
	}
	if (src != NULL && tail != 0)
		memcpy(v + d->fixed, src, tail);
}

int
dpsctp_param_build(struct dpsctp_wbuf *w, const struct dpsctp_param *in)
{
	const struct param_desc *d = param_find(in->type);
	size_t tail, vlen;
	uint8_t *v;
	int rc;

	if (d == NULL)
		return -EINVAL;
	rc = tail_len(d, in, &tail);
	if (rc != 0)
		return rc;
	vlen = d->fixed + tail;
	if (vlen > DPSCTP_TLV_MAX_LEN - DPSCTP_TLV_HDR_LEN)
		return -EMSGSIZE;
	/* Refuse what dpsctp_param_decode() would refuse, so that build and decode agree. */
	if (d->shape == SH_TLV && !is_one_tlv(in->u.raw.data, tail))
		return -EINVAL;
	if (d->shape == SH_ERROR_IND && tail != 0 &&
		dpsctp_tlv_check_all(
			in->u.error_ind.causes.data, in->u.error_ind.causes.data + tail) < 0)
		return -EINVAL;
	v = put_tlv(w, in->type, vlen);
	if (v == NULL)
		return -ENOSPC;
	fill(v, d, in, tail);
	return 0;
}
