/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target over the whole packet decoder: packet structure, every typed chunk decoder,
 * every parameter and error cause (nested ones too) and the renderer. Besides "never crash, never
 * read out of bounds", it checks one property: whatever decodes rebuilds to the same bytes
 * (apart from the chunk flags the builders own and bytes a fixed-size chunk may carry past its
 * fields, which the decoder tolerates and the builder does not write).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "chunk.h"
#include "packet.h"
#include "param.h"
#include "render.h"
#include "tlv.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 4

static uint8_t scratch[65536 + 64];
static struct dpsctp_gap_block gaps[16384];
static uint32_t dups[16384];
static struct dpsctp_fwd_stream fwd[16384];
static struct dpsctp_ifwd_stream ifwd[8192];

#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static void tlvs(const uint8_t *p, size_t n, int causes, int depth);

/* A parameter or cause that decodes must rebuild byte for byte (header included). */
static void
one_tlv(const struct dpsctp_tlv *t, int causes, int depth)
{
	struct dpsctp_param pr;
	struct dpsctp_cause c;
	struct dpsctp_wbuf w;
	int rc;

	/* Nested regions first: they reuse the scratch buffer. */
	if (causes) {
		if (dpsctp_cause_decode(t, &c) != 0)
			return;
		if (dpsctp_cause_holds_params(c.code))
			tlvs(c.u.raw.data, c.u.raw.len, 0, depth + 1);
		dpsctp_wbuf_init(&w, scratch, sizeof(scratch));
		rc = dpsctp_cause_build(&w, &c);
	} else {
		if (dpsctp_param_decode(t, &pr) != 0)
			return;
		if (pr.type == DPSCTP_PARAM_ERROR_CAUSE_IND)
			tlvs(pr.u.error_ind.causes.data, pr.u.error_ind.causes.len, 1, depth + 1);
		if (pr.type == DPSCTP_PARAM_UNRECOGNIZED)
			tlvs(pr.u.raw.data, pr.u.raw.len, 0, depth + 1);
		dpsctp_wbuf_init(&w, scratch, sizeof(scratch));
		rc = dpsctp_param_build(&w, &pr);
	}
	CHECK(rc == 0);
	CHECK(w.len == t->len);
	CHECK(memcmp(scratch, t->value - 4, t->len) == 0);
}

static void
tlvs(const uint8_t *p, size_t n, int causes, int depth)
{
	const uint8_t *end = p + n;
	struct dpsctp_tlv t;

	if (p == NULL || depth > MAX_DEPTH)
		return;
	while (dpsctp_tlv_next(&p, end, &t) > 0)
		one_tlv(&t, causes, depth);
}

/* Build the TLV-bearing chunk opened by a _begin() call and close it. */
static int
close_chunk(struct dpsctp_wbuf *w, int rc, size_t mark)
{
	return rc != 0 ? rc : dpsctp_chunk_end(w, mark);
}

/* Rebuild the decoded chunk @p v of type @p type into @p w (nested regions checked first). */
static int
rebuild(uint8_t type, const union dpsctp_chunk_view *v, struct dpsctp_wbuf *w)
{
	size_t mark = 0;
	unsigned int i;

	switch (type) {
	case DPSCTP_CHUNK_DATA:
		return dpsctp_data_build(w, &v->data);
	case DPSCTP_CHUNK_I_DATA:
		return dpsctp_idata_build(w, &v->idata);
	case DPSCTP_CHUNK_INIT:
		tlvs(v->init.params, v->init.params_len, 0, 0);
		return close_chunk(w, dpsctp_init_begin(w, &v->init, &mark), mark);
	case DPSCTP_CHUNK_INIT_ACK:
		tlvs(v->init.params, v->init.params_len, 0, 0);
		return close_chunk(w, dpsctp_init_ack_begin(w, &v->init, &mark), mark);
	case DPSCTP_CHUNK_SACK:
		for (i = 0; i < v->sack.ngaps; i++)
			dpsctp_sack_gap(&v->sack, i, &gaps[i].start, &gaps[i].end);
		for (i = 0; i < v->sack.ndups; i++)
			dups[i] = dpsctp_sack_dup(&v->sack, i);
		return dpsctp_sack_build(w, v->sack.cum_tsn, v->sack.a_rwnd, gaps, v->sack.ngaps,
			dups, v->sack.ndups);
	case DPSCTP_CHUNK_HEARTBEAT:
		tlvs(v->hb.params, v->hb.params_len, 0, 0);
		return close_chunk(w, dpsctp_heartbeat_begin(w, &v->hb, &mark), mark);
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		tlvs(v->hb.params, v->hb.params_len, 0, 0);
		return close_chunk(w, dpsctp_heartbeat_ack_begin(w, &v->hb, &mark), mark);
	case DPSCTP_CHUNK_ABORT:
		tlvs(v->abort.causes, v->abort.causes_len, 1, 0);
		return close_chunk(w, dpsctp_abort_begin(w, &v->abort, &mark), mark);
	case DPSCTP_CHUNK_ERROR:
		tlvs(v->error.causes, v->error.causes_len, 1, 0);
		return close_chunk(w, dpsctp_error_begin(w, &v->error, &mark), mark);
	case DPSCTP_CHUNK_SHUTDOWN:
		return dpsctp_shutdown_build(w, &v->shutdown);
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return dpsctp_shutdown_ack_build(w);
	case DPSCTP_CHUNK_COOKIE_ACK:
		return dpsctp_cookie_ack_build(w);
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return dpsctp_shutdown_complete_build(w, &v->sc);
	case DPSCTP_CHUNK_COOKIE_ECHO:
		return dpsctp_cookie_echo_build(w, &v->cookie);
	case DPSCTP_CHUNK_ECNE:
		return dpsctp_ecne_build(w, &v->ecn);
	case DPSCTP_CHUNK_CWR:
		return dpsctp_cwr_build(w, &v->ecn);
	case DPSCTP_CHUNK_AUTH:
		return dpsctp_auth_build(w, &v->auth);
	case DPSCTP_CHUNK_FORWARD_TSN:
		for (i = 0; i < v->fwd.nstreams; i++)
			dpsctp_forward_tsn_stream(&v->fwd, i, &fwd[i]);
		return dpsctp_forward_tsn_build(w, v->fwd.new_cum_tsn, fwd, v->fwd.nstreams);
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		for (i = 0; i < v->ifwd.nstreams; i++)
			dpsctp_iforward_tsn_stream(&v->ifwd, i, &ifwd[i]);
		return dpsctp_iforward_tsn_build(w, v->ifwd.new_cum_tsn, ifwd, v->ifwd.nstreams);
	case DPSCTP_CHUNK_ASCONF:
		tlvs(v->asconf.params, v->asconf.params_len, 0, 0);
		return close_chunk(w, dpsctp_asconf_begin(w, &v->asconf, &mark), mark);
	case DPSCTP_CHUNK_ASCONF_ACK:
		tlvs(v->asconf_ack.params, v->asconf_ack.params_len, 0, 0);
		return close_chunk(w, dpsctp_asconf_ack_begin(w, &v->asconf_ack, &mark), mark);
	case DPSCTP_CHUNK_RECONF:
		tlvs(v->reconf.params, v->reconf.params_len, 0, 0);
		return close_chunk(w, dpsctp_reconf_begin(w, &v->reconf, &mark), mark);
	default:
		/* PAD: its content is ignored by definition, the rebuilt one is all zeros. */
		return -ENOENT;
	}
}

static void
one_chunk(const struct dpsctp_chunk *c)
{
	const uint8_t *orig = c->value - 4;
	union dpsctp_chunk_view v;
	struct dpsctp_wbuf w;
	uint16_t len;
	char line[256];
	int rc;

	(void)dpsctp_chunk_render(c, line, sizeof(line));
	if (dpsctp_chunk_decode(c, &v) != 0)
		return;
	dpsctp_wbuf_init(&w, scratch, sizeof(scratch));
	rc = rebuild(c->type, &v, &w);
	if (rc == -ENOENT)
		return;
	CHECK(rc == 0);
	len = dpsctp_get_be16(scratch + 2);
	/* Same type; DATA and I-DATA keep every flag bit; the rest is identical up to the rebuilt
	 * length, which may be shorter only by bytes past the fields of a fixed-size chunk. */
	CHECK(scratch[0] == orig[0]);
	if (c->type == DPSCTP_CHUNK_DATA || c->type == DPSCTP_CHUNK_I_DATA)
		CHECK(scratch[1] == orig[1]);
	CHECK(len <= c->len && w.len == dpsctp_pad4(len));
	CHECK(memcmp(scratch + 4, orig + 4, len - 4u) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[16384];
	struct dpsctp_packet_info pi;
	const uint8_t *p, *end = data + size;
	struct dpsctp_chunk c;
	char small[48];

	(void)dpsctp_packet_parse(data, size, &pi);
	(void)dpsctp_packet_render(data, size, text, sizeof(text));
	(void)dpsctp_packet_render(data, size, small, sizeof(small));
	if (size < DPSCTP_COMMON_HDR_LEN)
		return 0;
	p = data + DPSCTP_COMMON_HDR_LEN;
	while (dpsctp_chunk_next(&p, end, &c) > 0)
		one_chunk(&c);
	return 0;
}
