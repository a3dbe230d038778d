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

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static void tlvs(const uint8_t *p, size_t n, int causes, int depth);

/* Causes whose value is a region of parameters (u.raw). */
static int
cause_nests_params(uint16_t code)
{
	switch (code) {
	case DPSCTP_CAUSE_UNRESOLVABLE_ADDR:
	case DPSCTP_CAUSE_UNRECOGNIZED_PARAMS:
	case DPSCTP_CAUSE_RESTART_NEW_ADDRS:
	case DPSCTP_CAUSE_DELETE_LAST_ADDR:
	case DPSCTP_CAUSE_RESOURCE_SHORTAGE:
	case DPSCTP_CAUSE_DELETE_SOURCE_ADDR:
	case DPSCTP_CAUSE_NO_AUTHORIZATION:
		return 1;
	default:
		return 0;
	}
}

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
		if (cause_nests_params(c.code))
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

/* Rebuild a decoded chunk into scratch; returns the build result (-ENOENT: no builder). */
static int
rebuild(const struct dpsctp_chunk *c, struct dpsctp_wbuf *w)
{
	union {
		struct dpsctp_data data;
		struct dpsctp_idata idata;
		struct dpsctp_init init;
		struct dpsctp_sack sack;
		struct dpsctp_heartbeat hb;
		struct dpsctp_abort abort;
		struct dpsctp_error error;
		struct dpsctp_shutdown shutdown;
		struct dpsctp_shutdown_complete sc;
		struct dpsctp_cookie_echo ce;
		struct dpsctp_ecn ecn;
		struct dpsctp_auth auth;
		struct dpsctp_pad pad;
		struct dpsctp_forward_tsn fwd;
		struct dpsctp_iforward_tsn ifwd;
		struct dpsctp_asconf asconf;
		struct dpsctp_asconf_ack asconf_ack;
		struct dpsctp_reconf reconf;
	} u;
	size_t mark = 0;
	unsigned int i;

	switch (c->type) {
	case DPSCTP_CHUNK_DATA:
		if (dpsctp_data_decode(c, &u.data) != 0)
			return -ENOENT;
		return dpsctp_data_build(w, &u.data);
	case DPSCTP_CHUNK_I_DATA:
		if (dpsctp_idata_decode(c, &u.idata) != 0)
			return -ENOENT;
		return dpsctp_idata_build(w, &u.idata);
	case DPSCTP_CHUNK_INIT:
		if (dpsctp_init_decode(c, &u.init) != 0)
			return -ENOENT;
		tlvs(u.init.params, u.init.params_len, 0, 0);
		return close_chunk(w, dpsctp_init_begin(w, &u.init, &mark), mark);
	case DPSCTP_CHUNK_INIT_ACK:
		if (dpsctp_init_ack_decode(c, &u.init) != 0)
			return -ENOENT;
		tlvs(u.init.params, u.init.params_len, 0, 0);
		return close_chunk(w, dpsctp_init_ack_begin(w, &u.init, &mark), mark);
	case DPSCTP_CHUNK_SACK:
		if (dpsctp_sack_decode(c, &u.sack) != 0)
			return -ENOENT;
		for (i = 0; i < u.sack.ngaps; i++)
			dpsctp_sack_gap(&u.sack, i, &gaps[i].start, &gaps[i].end);
		for (i = 0; i < u.sack.ndups; i++)
			dups[i] = dpsctp_sack_dup(&u.sack, i);
		return dpsctp_sack_build(w, u.sack.cum_tsn, u.sack.a_rwnd, gaps, u.sack.ngaps,
			dups, u.sack.ndups);
	case DPSCTP_CHUNK_HEARTBEAT:
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		if (c->type == DPSCTP_CHUNK_HEARTBEAT ? dpsctp_heartbeat_decode(c, &u.hb) != 0 :
							dpsctp_heartbeat_ack_decode(c, &u.hb) != 0)
			return -ENOENT;
		tlvs(u.hb.params, u.hb.params_len, 0, 0);
		return close_chunk(w,
			c->type == DPSCTP_CHUNK_HEARTBEAT ?
				dpsctp_heartbeat_begin(w, &u.hb, &mark) :
				dpsctp_heartbeat_ack_begin(w, &u.hb, &mark),
			mark);
	case DPSCTP_CHUNK_ABORT:
		if (dpsctp_abort_decode(c, &u.abort) != 0)
			return -ENOENT;
		tlvs(u.abort.causes, u.abort.causes_len, 1, 0);
		return close_chunk(w, dpsctp_abort_begin(w, &u.abort, &mark), mark);
	case DPSCTP_CHUNK_ERROR:
		if (dpsctp_error_decode(c, &u.error) != 0)
			return -ENOENT;
		tlvs(u.error.causes, u.error.causes_len, 1, 0);
		return close_chunk(w, dpsctp_error_begin(w, &u.error, &mark), mark);
	case DPSCTP_CHUNK_SHUTDOWN:
		if (dpsctp_shutdown_decode(c, &u.shutdown) != 0)
			return -ENOENT;
		return dpsctp_shutdown_build(w, &u.shutdown);
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return dpsctp_shutdown_ack_decode(c) != 0 ? -ENOENT : dpsctp_shutdown_ack_build(w);
	case DPSCTP_CHUNK_COOKIE_ACK:
		return dpsctp_cookie_ack_decode(c) != 0 ? -ENOENT : dpsctp_cookie_ack_build(w);
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		if (dpsctp_shutdown_complete_decode(c, &u.sc) != 0)
			return -ENOENT;
		return dpsctp_shutdown_complete_build(w, &u.sc);
	case DPSCTP_CHUNK_COOKIE_ECHO:
		if (dpsctp_cookie_echo_decode(c, &u.ce) != 0)
			return -ENOENT;
		return dpsctp_cookie_echo_build(w, &u.ce);
	case DPSCTP_CHUNK_ECNE:
		if (dpsctp_ecne_decode(c, &u.ecn) != 0)
			return -ENOENT;
		return dpsctp_ecne_build(w, &u.ecn);
	case DPSCTP_CHUNK_CWR:
		if (dpsctp_cwr_decode(c, &u.ecn) != 0)
			return -ENOENT;
		return dpsctp_cwr_build(w, &u.ecn);
	case DPSCTP_CHUNK_AUTH:
		if (dpsctp_auth_decode(c, &u.auth) != 0)
			return -ENOENT;
		return dpsctp_auth_build(w, &u.auth);
	case DPSCTP_CHUNK_PAD:
		/* PAD content is ignored by definition: the rebuilt one is all zeros. */
		return -ENOENT;
	case DPSCTP_CHUNK_FORWARD_TSN:
		if (dpsctp_forward_tsn_decode(c, &u.fwd) != 0)
			return -ENOENT;
		for (i = 0; i < u.fwd.nstreams; i++)
			dpsctp_forward_tsn_stream(&u.fwd, i, &fwd[i]);
		return dpsctp_forward_tsn_build(w, u.fwd.new_cum_tsn, fwd, u.fwd.nstreams);
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		if (dpsctp_iforward_tsn_decode(c, &u.ifwd) != 0)
			return -ENOENT;
		for (i = 0; i < u.ifwd.nstreams; i++)
			dpsctp_iforward_tsn_stream(&u.ifwd, i, &ifwd[i]);
		return dpsctp_iforward_tsn_build(w, u.ifwd.new_cum_tsn, ifwd, u.ifwd.nstreams);
	case DPSCTP_CHUNK_ASCONF:
		if (dpsctp_asconf_decode(c, &u.asconf) != 0)
			return -ENOENT;
		tlvs(u.asconf.params, u.asconf.params_len, 0, 0);
		return close_chunk(w, dpsctp_asconf_begin(w, &u.asconf, &mark), mark);
	case DPSCTP_CHUNK_ASCONF_ACK:
		if (dpsctp_asconf_ack_decode(c, &u.asconf_ack) != 0)
			return -ENOENT;
		tlvs(u.asconf_ack.params, u.asconf_ack.params_len, 0, 0);
		return close_chunk(w, dpsctp_asconf_ack_begin(w, &u.asconf_ack, &mark), mark);
	case DPSCTP_CHUNK_RECONF:
		if (dpsctp_reconf_decode(c, &u.reconf) != 0)
			return -ENOENT;
		tlvs(u.reconf.params, u.reconf.params_len, 0, 0);
		return close_chunk(w, dpsctp_reconf_begin(w, &u.reconf, &mark), mark);
	default:
		return -ENOENT;
	}
}

static void
one_chunk(const struct dpsctp_chunk *c)
{
	const uint8_t *orig = c->value - 4;
	struct dpsctp_wbuf w;
	uint16_t len;
	char line[256];
	int rc;

	(void)dpsctp_chunk_render(c, line, sizeof(line));
	dpsctp_wbuf_init(&w, scratch, sizeof(scratch));
	rc = rebuild(c, &w);
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
