/* SPDX-License-Identifier: BSD-3-Clause */
/* SCTP packets, chunks, parameters and error causes as human-readable text. */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cause.h"
#include "chunk.h"
#include "packet.h"
#include "param.h"
#include "render.h"
#include "wire.h"

/* Lists, and regions of parameters or causes, are cut after this many entries ("..."). */
#define LIST_MAX 8
#define TLVS_MAX 16
/* Nesting (error cause indication -> cause -> parameter -> ...) is cut at this depth. */
#define DEPTH_MAX 3

/* An output cursor with snprintf semantics: len keeps counting past cap. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out_printf(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room != 0 ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* Printable ASCII of an opaque value (host names, abort reasons), quoted and cut. */
static void
out_text(struct out *o, const uint8_t *p, size_t n)
{
	size_t i;

	out_printf(o, "\"");
	for (i = 0; i < n && i < 64; i++) {
		if (p[i] == 0 && i + 1 == n)
			break; /* a terminating NUL (host name) */
		out_printf(o, p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' ? "%c" : "\\x%02x", p[i]);
	}
	out_printf(o, i < n && !(p[i] == 0 && i + 1 == n) ? "...\"" : "\"");
}

static void
out_addr(struct out *o, const struct dpsctp_addr *a)
{
	int best = -1, best_len = 0, run = 0, i;

	if (a->family == 4) {
		out_printf(o, "%u.%u.%u.%u", a->bytes[0], a->bytes[1], a->bytes[2], a->bytes[3]);
		return;
	}
	/* RFC 5952: the longest run of two or more zero groups becomes "::". */
	for (i = 0; i < 8; i++) {
		run = dpsctp_get_be16(a->bytes + 2 * i) == 0 ? run + 1 : 0;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			out_printf(o, "::");
			i += best_len - 1;
			continue;
		}
		out_printf(o, "%s%x", i == 0 || i == best + best_len ? "" : ":",
			dpsctp_get_be16(a->bytes + 2 * i));
	}
}

static void
out_chunk_type(struct out *o, uint8_t type)
{
	const char *name = dpsctp_chunk_name(type);

	if (name != NULL)
		out_printf(o, "%s", name);
	else
		out_printf(o, "0x%02x", type);
}

static void
out_param_type(struct out *o, uint16_t type)
{
	const char *name = dpsctp_param_name(type);

	if (name != NULL)
		out_printf(o, "%s", name);
	else
		out_printf(o, "param 0x%04x", type);
}

static void
out_u16_list(struct out *o, const struct dpsctp_list *l, void (*item)(struct out *, uint16_t))
{
	size_t i;

	out_printf(o, " [");
	for (i = 0; i < l->n && i < LIST_MAX; i++) {
		out_printf(o, "%s", i != 0 ? ", " : "");
		item(o, dpsctp_list_u16(l, i));
	}
	out_printf(o, "%s]", l->n > LIST_MAX ? ", ..." : "");
}

static void
out_u16(struct out *o, uint16_t v)
{
	out_printf(o, "%u", v);
}

static void
out_hmac_id(struct out *o, uint16_t id)
{
	if (id == DPSCTP_HMAC_SHA1)
		out_printf(o, "SHA-1");
	else if (id == DPSCTP_HMAC_SHA256)
		out_printf(o, "SHA-256");
	else
		out_printf(o, "hmac %u", id);
}

static void out_tlvs(struct out *o, const uint8_t *p, size_t n, bool causes, int depth);

static void
out_param(struct out *o, const struct dpsctp_tlv *t, int depth)
{
	struct dpsctp_param pr;
	size_t i;
	int rc;

	out_param_type(o, t->type);
	rc = dpsctp_param_decode(t, &pr);
	if (rc == -ENOENT) {
		out_printf(o, " (%zu bytes)", dpsctp_tlv_value_len(t));
		return;
	}
	if (rc != 0) {
		out_printf(o, " (malformed, %zu bytes)", dpsctp_tlv_value_len(t));
		return;
	}
	switch (pr.type) {
	case DPSCTP_PARAM_IPV4:
	case DPSCTP_PARAM_IPV6:
		out_printf(o, " ");
		out_addr(o, &pr.u.addr);
		break;
	case DPSCTP_PARAM_COOKIE_PRESERVATIVE:
		out_printf(o, " +%u ms", pr.u.u32);
		break;
	case DPSCTP_PARAM_ZERO_CHECKSUM:
		out_printf(o, " edmid=%u", pr.u.u32);
		break;
	case DPSCTP_PARAM_ADAPTATION_LAYER:
		out_printf(o, " 0x%08x", pr.u.u32);
		break;
	case DPSCTP_PARAM_SUCCESS_IND:
		out_printf(o, " corr=%u", pr.u.u32);
		break;
	case DPSCTP_PARAM_HOST_NAME:
		out_printf(o, " ");
		out_text(o, pr.u.raw.data, pr.u.raw.len);
		break;
	case DPSCTP_PARAM_SUPPORTED_ADDR_TYPES:
		out_u16_list(o, &pr.u.list, out_param_type);
		break;
	case DPSCTP_PARAM_HMAC_ALGO:
		out_u16_list(o, &pr.u.list, out_hmac_id);
		break;
	case DPSCTP_PARAM_SUPPORTED_EXT:
	case DPSCTP_PARAM_CHUNK_LIST:
		out_printf(o, " [");
		for (i = 0; i < pr.u.list.n && i < LIST_MAX; i++) {
			out_printf(o, "%s", i != 0 ? ", " : "");
			out_chunk_type(o, dpsctp_list_u8(&pr.u.list, i));
		}
		out_printf(o, "%s]", pr.u.list.n > LIST_MAX ? ", ..." : "");
		break;
	case DPSCTP_PARAM_OUT_SSN_RESET_REQ:
		out_printf(o, " req=%u resp=%u last_tsn=%u streams", pr.u.out_reset.req_seq,
			pr.u.out_reset.resp_seq, pr.u.out_reset.last_tsn);
		out_u16_list(o, &pr.u.out_reset.streams, out_u16);
		break;
	case DPSCTP_PARAM_IN_SSN_RESET_REQ:
		out_printf(o, " req=%u streams", pr.u.in_reset.req_seq);
		out_u16_list(o, &pr.u.in_reset.streams, out_u16);
		break;
	case DPSCTP_PARAM_SSN_TSN_RESET_REQ:
		out_printf(o, " req=%u", pr.u.u32);
		break;
	case DPSCTP_PARAM_RECONF_RESP:
		out_printf(o, " resp=%u result=%u", pr.u.reconf_resp.resp_seq,
			pr.u.reconf_resp.result);
		if (pr.u.reconf_resp.has_tsns)
			out_printf(o, " sender_next_tsn=%u receiver_next_tsn=%u",
				pr.u.reconf_resp.sender_next_tsn,
				pr.u.reconf_resp.receiver_next_tsn);
		break;
	case DPSCTP_PARAM_ADD_OUT_STREAMS_REQ:
	case DPSCTP_PARAM_ADD_IN_STREAMS_REQ:
		out_printf(o, " req=%u new=%u", pr.u.add_streams.req_seq,
			pr.u.add_streams.new_streams);
		break;
	case DPSCTP_PARAM_ADD_IP:
	case DPSCTP_PARAM_DEL_IP:
	case DPSCTP_PARAM_SET_PRIMARY:
		out_printf(o, " corr=%u ", pr.u.asconf.corr_id);
		out_addr(o, &pr.u.asconf.addr);
		break;
	case DPSCTP_PARAM_ERROR_CAUSE_IND:
		out_printf(o, " corr=%u", pr.u.error_ind.corr_id);
		out_tlvs(o, pr.u.error_ind.causes.data, pr.u.error_ind.causes.len, true, depth + 1);
		break;
	case DPSCTP_PARAM_UNRECOGNIZED:
		out_tlvs(o, pr.u.raw.data, pr.u.raw.len, false, depth + 1);
		break;
	case DPSCTP_PARAM_ECN_CAPABLE:
	case DPSCTP_PARAM_FORWARD_TSN_SUPPORTED:
		break;
	default: /* opaque: state cookie, heartbeat info, random, padding */
		out_printf(o, " (%zu bytes)", pr.u.raw.len);
		break;
	}
}

static void
out_cause(struct out *o, const struct dpsctp_tlv *t, int depth)
{
	const char *name = dpsctp_cause_name(t->type);
	struct dpsctp_chunk inner;
	struct dpsctp_cause c;
	const uint8_t *p;
	int rc;

	if (name != NULL)
		out_printf(o, "%s", name);
	else
		out_printf(o, "cause 0x%04x", t->type);
	rc = dpsctp_cause_decode(t, &c);
	if (rc == -ENOENT) {
		out_printf(o, " (%zu bytes)", dpsctp_tlv_value_len(t));
		return;
	}
	if (rc != 0) {
		out_printf(o, " (malformed, %zu bytes)", dpsctp_tlv_value_len(t));
		return;
	}
	switch (c.code) {
	case DPSCTP_CAUSE_INVALID_STREAM:
		out_printf(o, " sid=%u", c.u.invalid_stream.stream);
		break;
	case DPSCTP_CAUSE_MISSING_PARAM:
		out_u16_list(o, &c.u.missing, out_param_type);
		break;
	case DPSCTP_CAUSE_STALE_COOKIE:
		out_printf(o, " staleness=%u us", c.u.u32);
		break;
	case DPSCTP_CAUSE_NO_USER_DATA:
		out_printf(o, " tsn=%u", c.u.u32);
		break;
	case DPSCTP_CAUSE_UNSUPPORTED_HMAC:
		out_printf(o, " ");
		out_hmac_id(o, c.u.hmac_id);
		break;
	case DPSCTP_CAUSE_UNRECOGNIZED_CHUNK:
		p = c.u.raw.data;
		if (dpsctp_chunk_next(&p, c.u.raw.data + c.u.raw.len, &inner) > 0) {
			out_printf(o, " ");
			out_chunk_type(o, inner.type);
		}
		break;
	case DPSCTP_CAUSE_USER_ABORT:
	case DPSCTP_CAUSE_PROTOCOL_VIOLATION:
		out_printf(o, " ");
		out_text(o, c.u.raw.data, c.u.raw.len);
		break;
	default:
		if (dpsctp_cause_holds_params(c.code))
			out_tlvs(o, c.u.raw.data, c.u.raw.len, false, depth + 1);
		break;
	}
}

/* A region of parameters or causes as " {a, b, ...}"; structural errors end the list. */
static void
out_tlvs(struct out *o, const uint8_t *p, size_t n, bool causes, int depth)
{
	const uint8_t *end = p + n;
	struct dpsctp_tlv t;
	unsigned int i = 0;
	int rc;

	if (n == 0)
		return;
	if (depth > DEPTH_MAX) {
		out_printf(o, " {...}");
		return;
	}
	out_printf(o, " {");
	while ((rc = dpsctp_tlv_next(&p, end, &t)) > 0) {
		if (i == TLVS_MAX) {
			out_printf(o, ", ...");
			break;
		}
		out_printf(o, "%s", i++ != 0 ? ", " : "");
		if (causes)
			out_cause(o, &t, depth);
		else
			out_param(o, &t, depth);
	}
	out_printf(o, "%s}", rc < 0 ? (i != 0 ? ", malformed" : "malformed") : "");
}

static void
out_data_flags(struct out *o, uint8_t flags)
{
	out_printf(o, " [%s%s%s%s]", flags & DPSCTP_DATA_FLAG_I ? "I" : "",
		flags & DPSCTP_DATA_FLAG_U ? "U" : "", flags & DPSCTP_DATA_FLAG_B ? "B" : "",
		flags & DPSCTP_DATA_FLAG_E ? "E" : "");
}

static void
out_sack(struct out *o, const struct dpsctp_sack *s)
{
	uint16_t start, end;
	unsigned int i;

	out_printf(o, " cum_tsn=%u a_rwnd=%u gaps=%u", s->cum_tsn, s->a_rwnd, s->ngaps);
	for (i = 0; i < s->ngaps && i < LIST_MAX; i++) {
		dpsctp_sack_gap(s, i, &start, &end);
		out_printf(o, "%s%u-%u", i == 0 ? " [" : ",", start, end);
	}
	if (s->ngaps != 0)
		out_printf(o, "%s]", s->ngaps > LIST_MAX ? ",..." : "");
	out_printf(o, " dups=%u", s->ndups);
	for (i = 0; i < s->ndups && i < LIST_MAX; i++)
		out_printf(o, "%s%u", i == 0 ? " [" : ",", dpsctp_sack_dup(s, i));
	if (s->ndups != 0)
		out_printf(o, "%s]", s->ndups > LIST_MAX ? ",..." : "");
}

static void
out_forward_tsn(struct out *o, const struct dpsctp_chunk *c)
{
	struct dpsctp_iforward_tsn iff;
	struct dpsctp_forward_tsn ff;
	struct dpsctp_ifwd_stream is;
	struct dpsctp_fwd_stream fs;
	unsigned int i, n;

	if (c->type == DPSCTP_CHUNK_FORWARD_TSN) {
		(void)dpsctp_forward_tsn_decode(c, &ff);
		n = ff.nstreams;
		out_printf(o, " new_cum_tsn=%u streams=%u", ff.new_cum_tsn, n);
		for (i = 0; i < n && i < LIST_MAX; i++) {
			dpsctp_forward_tsn_stream(&ff, i, &fs);
			out_printf(o, "%s%u:%u", i == 0 ? " [" : ",", fs.sid, fs.ssn);
		}
	} else {
		(void)dpsctp_iforward_tsn_decode(c, &iff);
		n = iff.nstreams;
		out_printf(o, " new_cum_tsn=%u streams=%u", iff.new_cum_tsn, n);
		for (i = 0; i < n && i < LIST_MAX; i++) {
			dpsctp_iforward_tsn_stream(&iff, i, &is);
			out_printf(o, "%s%u:%u%s", i == 0 ? " [" : ",", is.sid, is.mid,
				is.flags & DPSCTP_IFWD_FLAG_U ? "U" : "");
		}
	}
	if (n != 0)
		out_printf(o, "%s]", n > LIST_MAX ? ",..." : "");
}

static const char *const unknown_action[] = {
	[DPSCTP_UNKNOWN_STOP] = "stop",
	[DPSCTP_UNKNOWN_STOP_REPORT] = "stop+report",
	[DPSCTP_UNKNOWN_SKIP] = "skip",
	[DPSCTP_UNKNOWN_SKIP_REPORT] = "skip+report",
};

static void
out_chunk(struct out *o, const struct dpsctp_chunk *c)
{
	union dpsctp_chunk_view u;
	struct dpsctp_addr a;
	int rc = dpsctp_chunk_decode(c, &u);

	out_chunk_type(o, c->type);
	if (rc == -ENOENT) {
		out_printf(o, " flags=0x%02x len=%u (unknown: %s)", c->flags, c->len,
			unknown_action[dpsctp_chunk_unknown_action(c->type)]);
		return;
	}
	if (rc != 0) {
		out_printf(o, " flags=0x%02x len=%u (malformed)", c->flags, c->len);
		return;
	}
	switch (c->type) {
	case DPSCTP_CHUNK_DATA:
		out_data_flags(o, u.data.flags);
		out_printf(o, " tsn=%u sid=%u ssn=%u ppid=0x%08x len=%zu", u.data.tsn, u.data.sid,
			u.data.ssn, dpsctp_get_be32((const uint8_t *)&u.data.ppid),
			u.data.payload_len);
		break;
	case DPSCTP_CHUNK_I_DATA:
		out_data_flags(o, u.idata.flags);
		out_printf(o, " tsn=%u sid=%u mid=%u", u.idata.tsn, u.idata.sid, u.idata.mid);
		if (u.idata.flags & DPSCTP_DATA_FLAG_B)
			out_printf(
				o, " ppid=0x%08x", dpsctp_get_be32((const uint8_t *)&u.idata.ppid));
		else
			out_printf(o, " fsn=%u", u.idata.fsn);
		out_printf(o, " len=%zu", u.idata.payload_len);
		break;
	case DPSCTP_CHUNK_INIT:
	case DPSCTP_CHUNK_INIT_ACK:
		out_printf(o, " init_tag=0x%08x a_rwnd=%u os=%u mis=%u initial_tsn=%u",
			u.init.init_tag, u.init.a_rwnd, u.init.os, u.init.mis, u.init.initial_tsn);
		out_tlvs(o, u.init.params, u.init.params_len, false, 0);
		break;
	case DPSCTP_CHUNK_SACK:
		out_sack(o, &u.sack);
		break;
	case DPSCTP_CHUNK_HEARTBEAT:
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		out_tlvs(o, u.hb.params, u.hb.params_len, false, 0);
		break;
	case DPSCTP_CHUNK_ABORT:
		out_printf(o, "%s", u.abort.t ? " [T]" : "");
		out_tlvs(o, u.abort.causes, u.abort.causes_len, true, 0);
		break;
	case DPSCTP_CHUNK_ERROR:
		out_tlvs(o, u.error.causes, u.error.causes_len, true, 0);
		break;
	case DPSCTP_CHUNK_SHUTDOWN:
		out_printf(o, " cum_tsn=%u", u.shutdown.cum_tsn);
		break;
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		out_printf(o, "%s", u.sc.t ? " [T]" : "");
		break;
	case DPSCTP_CHUNK_COOKIE_ECHO:
		out_printf(o, " cookie=%zu bytes", u.cookie.cookie_len);
		break;
	case DPSCTP_CHUNK_ECNE:
	case DPSCTP_CHUNK_CWR:
		out_printf(o, " lowest_tsn=%u", u.ecn.lowest_tsn);
		break;
	case DPSCTP_CHUNK_AUTH:
		out_printf(o, " key_id=%u ", u.auth.key_id);
		out_hmac_id(o, u.auth.hmac_id);
		out_printf(o, " hmac=%zu bytes", u.auth.hmac_len);
		break;
	case DPSCTP_CHUNK_PAD:
		out_printf(o, " pad=%zu bytes", u.pad.pad_len);
		break;
	case DPSCTP_CHUNK_FORWARD_TSN:
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		out_forward_tsn(o, c);
		break;
	case DPSCTP_CHUNK_ASCONF:
		a.family = u.asconf.addr_type == DPSCTP_PARAM_IPV4 ? 4 : 6;
		memset(a.bytes, 0, sizeof(a.bytes));
		memcpy(a.bytes, u.asconf.addr, a.family == 4 ? 4 : 16);
		out_printf(o, " serial=%u addr=", u.asconf.serial);
		out_addr(o, &a);
		out_tlvs(o, u.asconf.params, u.asconf.params_len, false, 0);
		break;
	case DPSCTP_CHUNK_ASCONF_ACK:
		out_printf(o, " serial=%u", u.asconf_ack.serial);
		out_tlvs(o, u.asconf_ack.params, u.asconf_ack.params_len, false, 0);
		break;
	case DPSCTP_CHUNK_RECONF:
		out_tlvs(o, u.reconf.params, u.reconf.params_len, false, 0);
		break;
	default: /* SHUTDOWN ACK, COOKIE ACK: nothing but the name */
		break;
	}
}

static void
terminate(struct out *o)
{
	if (o->cap != 0)
		o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
}

size_t
dpsctp_chunk_render(const struct dpsctp_chunk *c, char *out, size_t cap)
{
	struct out o = {.buf = out, .cap = cap, .len = 0};

	out_chunk(&o, c);
	terminate(&o);
	return o.len;
}

size_t
dpsctp_packet_render(const uint8_t *pkt, size_t len, char *out, size_t cap)
{
	struct out o = {.buf = out, .cap = cap, .len = 0};
	const uint8_t *p, *end = pkt + len;
	struct dpsctp_chunk c;
	unsigned int n = 0;
	int rc;

	if (len < DPSCTP_COMMON_HDR_LEN) {
		out_printf(&o, "SCTP malformed: %zu bytes, shorter than the common header\n", len);
		terminate(&o);
		return o.len;
	}
	out_printf(&o, "SCTP %u > %u vtag=0x%08x crc=0x%08x\n", dpsctp_get_be16(pkt),
		dpsctp_get_be16(pkt + 2), dpsctp_get_be32(pkt + 4),
		dpsctp_packet_get_checksum(pkt));
	p = pkt + DPSCTP_COMMON_HDR_LEN;
	while ((rc = dpsctp_chunk_next(&p, end, &c)) > 0) {
		out_printf(&o, "  ");
		out_chunk(&o, &c);
		out_printf(&o, "\n");
		n++;
	}
	if (rc < 0)
		out_printf(
			&o, "  malformed: chunk structure broken at byte %zu\n", (size_t)(p - pkt));
	else if (n == 0)
		out_printf(&o, "  malformed: no chunk\n");
	terminate(&o);
	return o.len;
}
