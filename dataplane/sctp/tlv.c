/* SPDX-License-Identifier: BSD-3-Clause */
/* Chunk and parameter/cause TLV iteration and building (RFC 9260 3.2, 3.2.1). */

#include <errno.h>
#include <string.h>

#include "tlv.h"

/*
 * Both TLV shapes share the 16-bit length at offset 2. Advance over the TLV and its padding;
 * a final TLV whose padding is missing ends exactly at @p end and is accepted.
 */
static int
tlv_span(const uint8_t **p, const uint8_t *end, uint16_t *len)
{
	size_t left = (size_t)(end - *p);
	size_t padded;
	uint16_t l;

	if (left == 0)
		return 0;
	if (left < 4)
		return -EBADMSG;
	l = dpsctp_get_be16(*p + 2);
	if (l < 4 || l > left)
		return -EBADMSG;
	padded = dpsctp_pad4(l);
	*len = l;
	*p += padded <= left ? padded : left;
	return 1;
}

int
dpsctp_chunk_next(const uint8_t **p, const uint8_t *end, struct dpsctp_chunk *c)
{
	const uint8_t *start = *p;
	uint16_t len;
	int rc = tlv_span(p, end, &len);

	if (rc <= 0)
		return rc;
	c->type = start[0];
	c->flags = start[1];
	c->len = len;
	c->value = start + 4;
	return 1;
}

int
dpsctp_tlv_next(const uint8_t **p, const uint8_t *end, struct dpsctp_tlv *t)
{
	const uint8_t *start = *p;
	uint16_t len;
	int rc = tlv_span(p, end, &len);

	if (rc <= 0)
		return rc;
	t->type = dpsctp_get_be16(start);
	t->len = len;
	t->value = start + 4;
	return 1;
}

int
dpsctp_tlv_check_all(const uint8_t *p, const uint8_t *end)
{
	struct dpsctp_tlv t;
	int n = 0;
	int rc;

	while ((rc = dpsctp_tlv_next(&p, end, &t)) > 0)
		n++;
	return rc < 0 ? rc : n;
}

static int
open_tlv(struct dpsctp_wbuf *w, size_t *mark, uint8_t b0, uint8_t b1)
{
	size_t pad = (4 - (w->len & 3)) & 3;
	uint8_t *h;

	/* Check for room first so that a failure writes nothing, not even the padding. */
	if (pad + 4 > dpsctp_wbuf_room(w))
		return -ENOSPC;
	if (pad != 0)
		memset(dpsctp_wbuf_reserve(w, pad), 0, pad);
	*mark = w->len;
	h = dpsctp_wbuf_reserve(w, 4);
	h[0] = b0;
	h[1] = b1;
	h[2] = 0;
	h[3] = 0;
	return 0;
}

static int
close_tlv(struct dpsctp_wbuf *w, size_t mark)
{
	size_t len = w->len - mark;

	if (len > DPSCTP_TLV_MAX_LEN)
		return -EMSGSIZE;
	dpsctp_put_be16(w->base + mark + 2, (uint16_t)len);
	return 0;
}

int
dpsctp_chunk_begin(struct dpsctp_wbuf *w, uint8_t type, uint8_t flags, size_t *mark)
{
	return open_tlv(w, mark, type, flags);
}

int
dpsctp_chunk_end(struct dpsctp_wbuf *w, size_t mark)
{
	int rc = close_tlv(w, mark);

	if (rc != 0)
		return rc;
	return dpsctp_wbuf_pad4(w);
}

int
dpsctp_tlv_begin(struct dpsctp_wbuf *w, uint16_t type, size_t *mark)
{
	return open_tlv(w, mark, (uint8_t)(type >> 8), (uint8_t)type);
}

int
dpsctp_tlv_end(struct dpsctp_wbuf *w, size_t mark)
{
	return close_tlv(w, mark);
}

int
dpsctp_tlv_put(struct dpsctp_wbuf *w, uint16_t type, const void *value, size_t len)
{
	size_t start = w->len;
	size_t mark;
	int rc;

	rc = dpsctp_tlv_begin(w, type, &mark);
	if (rc == 0)
		rc = dpsctp_wbuf_put(w, value, len);
	if (rc == 0)
		rc = dpsctp_tlv_end(w, mark);
	if (rc != 0)
		dpsctp_wbuf_rewind(w, start);
	return rc;
}
