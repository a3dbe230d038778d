/* SPDX-License-Identifier: BSD-3-Clause */
/* INIT / INIT ACK parameter processing (RFC 9260 3.2.1, 3.3.2, 3.3.3, 5.1.2; RFC 5061 4.2.6). */
#include <string.h>

#include "initparam.h"
#include "param.h"
#include "tlv.h"

bool
dpsctp_addr_equal(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	return a->family == b->family &&
		memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

bool
dpsctp_addr_list_has(const struct dpsctp_addr *addrs, size_t n, const struct dpsctp_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (dpsctp_addr_equal(&addrs[i], a))
			return true;
	return false;
}

bool
dpsctp_addr_list_add(struct dpsctp_addr *addrs, size_t *n, const struct dpsctp_addr *a)
{
	if (dpsctp_addr_list_has(addrs, *n, a))
		return true;
	if (*n >= DPSCTP_MAX_ADDRS)
		return false;
	addrs[(*n)++] = *a;
	return true;
}

/* The parameters this engine implements in an INIT (is_ack false) or INIT ACK. Everything else,
 * even types the codec can decode (ECN, Forward-TSN, AUTH...), is "unrecognized" here: that is
 * how RFC 3758, 4895 and 5061 expect a peer without the extension to answer. */
static bool
known_in(uint16_t type, bool is_ack)
{
	switch (type) {
	case DPSCTP_PARAM_IPV4:
	case DPSCTP_PARAM_IPV6:
	case DPSCTP_PARAM_HOST_NAME:
	case DPSCTP_PARAM_SUPPORTED_EXT:
	case DPSCTP_PARAM_ADAPTATION_LAYER:
		return true;
	case DPSCTP_PARAM_COOKIE_PRESERVATIVE:
	case DPSCTP_PARAM_SUPPORTED_ADDR_TYPES:
		return !is_ack;
	case DPSCTP_PARAM_STATE_COOKIE:
	case DPSCTP_PARAM_UNRECOGNIZED:
		return is_ack;
	default:
		return false;
	}
}

static void
report_param(struct dpsctp_wbuf *report, const struct dpsctp_tlv *t, bool wrap)
{
	size_t mark;

	if (report == NULL)
		return;
	mark = report->len;
	if (wrap) {
		/* 3.3.3: "Unrecognized Parameter": the whole unrecognized TLV as the value */
		if (dpsctp_tlv_put(report, DPSCTP_PARAM_UNRECOGNIZED, t->value - DPSCTP_TLV_HDR_LEN,
			    t->len) != 0)
			dpsctp_wbuf_rewind(report, mark);
		return;
	}
	if (dpsctp_wbuf_put(report, t->value - DPSCTP_TLV_HDR_LEN, t->len) != 0 ||
		dpsctp_wbuf_pad4(report) != 0)
		dpsctp_wbuf_rewind(report, mark);
}

static int
take_known(const struct dpsctp_tlv *t, struct dpsctp_init_params *out)
{
	struct dpsctp_param p;
	size_t i;

	if (dpsctp_param_decode(t, &p) != 0)
		return -1;
	switch (p.type) {
	case DPSCTP_PARAM_IPV4:
	case DPSCTP_PARAM_IPV6:
		if (!dpsctp_addr_list_add(out->addrs, &out->naddrs, &p.u.addr))
			out->addrs_ignored++;
		break;
	case DPSCTP_PARAM_STATE_COOKIE:
		out->cookie = p.u.raw.data;
		out->cookie_len = p.u.raw.len;
		break;
	case DPSCTP_PARAM_COOKIE_PRESERVATIVE:
		out->cookie_preservative_ms = p.u.u32;
		break;
	case DPSCTP_PARAM_HOST_NAME:
		/* 5.1.2: deprecated; the caller answers with Unresolvable Address */
		out->has_host_name = true;
		out->host_name_tlv = t->value - DPSCTP_TLV_HDR_LEN;
		out->host_name_len = t->len;
		break;
	case DPSCTP_PARAM_SUPPORTED_ADDR_TYPES:
		out->has_addr_types = true;
		out->supports_v4 = false;
		out->supports_v6 = false;
		for (i = 0; i < p.u.list.n; i++) {
			uint16_t at = dpsctp_list_u16(&p.u.list, i);

			if (at == DPSCTP_PARAM_IPV4)
				out->supports_v4 = true;
			else if (at == DPSCTP_PARAM_IPV6)
				out->supports_v6 = true;
		}
		break;
	case DPSCTP_PARAM_ADAPTATION_LAYER:
		out->has_adaptation = true;
		out->adaptation = p.u.u32;
		break;
	default:
		/* Supported Extensions, Unrecognized Parameter: nothing to act on yet */
		break;
	}
	return 0;
}

enum dpsctp_initparam_stop
dpsctp_init_params_parse(const struct dpsctp_init *init, bool is_ack,
	struct dpsctp_init_params *out, struct dpsctp_wbuf *report, bool wrap)
{
	const uint8_t *p = init->params, *end = init->params + init->params_len;
	struct dpsctp_tlv t;
	int rc;

	memset(out, 0, sizeof(*out));
	out->supports_v4 = true;
	out->supports_v6 = true;
	while ((rc = dpsctp_tlv_next(&p, end, &t)) == 1) {
		if (known_in(t.type, is_ack)) {
			if (take_known(&t, out) != 0)
				return DPSCTP_INITPARAM_INVALID;
			continue;
		}
		out->unrecognized++;
		switch (dpsctp_param_unknown_action(t.type)) {
		case DPSCTP_UNKNOWN_STOP:
			return DPSCTP_INITPARAM_STOP;
		case DPSCTP_UNKNOWN_STOP_REPORT:
			report_param(report, &t, wrap);
			return DPSCTP_INITPARAM_STOP_REPORT;
		case DPSCTP_UNKNOWN_SKIP:
			break;
		case DPSCTP_UNKNOWN_SKIP_REPORT:
			report_param(report, &t, wrap);
			break;
		}
	}
	/* the chunk decoder already checked the TLV structure; this is belt and braces */
	return rc == 0 ? DPSCTP_INITPARAM_OK : DPSCTP_INITPARAM_INVALID;
}

/* ---- address scope (loopback < link-local < everything else) ---- */

static int
addr_scope(const struct dpsctp_addr *a)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};

	if (a->family == 4) {
		if (a->bytes[0] == 127)
			return 0;
		if (a->bytes[0] == 169 && a->bytes[1] == 254)
			return 1;
		return 2;
	}
	if (memcmp(a->bytes, v6_loopback, 16) == 0)
		return 0;
	if (a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80)
		return 1;
	return 2;
}

bool
dpsctp_addr_in_scope(const struct dpsctp_addr *addr, const struct dpsctp_addr *ref)
{
	return addr_scope(addr) >= addr_scope(ref);
}

static bool
listable(const struct dpsctp_local_params *p, const struct dpsctp_addr *a)
{
	if (p->peer == NULL)
		return true;
	if ((a->family == 4 && !p->peer_v4) || (a->family == 6 && !p->peer_v6))
		return false;
	return dpsctp_addr_in_scope(a, p->peer);
}

int
dpsctp_local_params_build(struct dpsctp_wbuf *w, const struct dpsctp_local_params *p)
{
	size_t i, n, mark = w->len;
	bool v4 = false, v6 = false;
	uint8_t buf[4];

	/* 5.1.2: a single-homed endpoint lists no address; the source address says it all.
	 * A multi-homed one lists all of them (the source address is one of them): those in the
	 * scope of the peer's address, of a family it supports. */
	for (i = 0, n = 0; i < p->naddrs; i++)
		n += listable(p, &p->addrs[i]);
	for (i = 0; i < p->naddrs; i++) {
		if (!listable(p, &p->addrs[i]))
			continue;
		v4 |= p->addrs[i].family == 4;
		v6 |= p->addrs[i].family == 6;
		if (n > 1 && dpsctp_addr_param_build(w, &p->addrs[i]) != 0)
			goto nospace;
	}
	if (p->cookie_preservative_ms != 0) {
		dpsctp_put_be32(buf, p->cookie_preservative_ms);
		if (dpsctp_tlv_put(w, DPSCTP_PARAM_COOKIE_PRESERVATIVE, buf, 4) != 0)
			goto nospace;
	}
	if (!p->is_ack) {
		/* 5.1.2: tell which address families we can use */
		uint8_t types[4];
		size_t nt = 0;

		if (v4) {
			dpsctp_put_be16(types + nt, DPSCTP_PARAM_IPV4);
			nt += 2;
		}
		if (v6) {
			dpsctp_put_be16(types + nt, DPSCTP_PARAM_IPV6);
			nt += 2;
		}
		if (dpsctp_tlv_put(w, DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, types, nt) != 0)
			goto nospace;
	}
	if (p->has_adaptation) {
		dpsctp_put_be32(buf, p->adaptation);
		if (dpsctp_tlv_put(w, DPSCTP_PARAM_ADAPTATION_LAYER, buf, 4) != 0)
			goto nospace;
	}
	return 0;
nospace:
	dpsctp_wbuf_rewind(w, mark);
	return -ENOSPC;
}
