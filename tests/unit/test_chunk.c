/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed chunk codec (chunk.h): build -> dpsctp_chunk_next -> decode round trips for every chunk
 * type, golden wire bytes, clean -ENOSPC / -EMSGSIZE failures, and malformed input.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chunk.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

TestSuite(chunk);

#define BIG (70 * 1024)

static uint8_t buf[BIG];
static uint8_t src[BIG]; /* payload / region source bytes */

static void
fill_pattern(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* Build with @p fn into buf, check exactly one padded, well-formed chunk came out. */
static struct dpsctp_chunk
build_one(int (*fn)(struct dpsctp_wbuf *, const void *), const void *arg)
{
	struct dpsctp_wbuf w;
	struct dpsctp_chunk c;
	const uint8_t *p = buf;
	size_t i;
	int rc;

	memset(buf, 0xA5, sizeof(buf));
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	rc = fn(&w, arg);
	cr_assert_eq(rc, 0, "build failed: %d", rc);
	cr_assert_eq(w.len % 4, 0, "chunk not padded: %zu", w.len);
	cr_assert_eq(dpsctp_chunk_next(&p, buf + w.len, &c), 1);
	cr_assert_eq(p, buf + w.len, "more than one chunk written");
	cr_assert_eq(dpsctp_pad4(c.len), w.len, "length %u, written %zu", c.len, w.len);
	for (i = c.len; i < w.len; i++)
		cr_assert_eq(buf[i], 0, "padding byte %zu is %#x", i, buf[i]);
	return c;
}

/* Builder adaptors with one signature, so that tables can hold them. */

static int
b_data(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_data_build(w, a);
}

static int
b_idata(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_idata_build(w, a);
}

struct sack_arg {
	uint32_t cum_tsn;
	uint32_t a_rwnd;
	const struct dpsctp_gap_block *gaps;
	uint16_t ngaps;
	const uint32_t *dups;
	uint16_t ndups;
};

static int
b_sack(struct dpsctp_wbuf *w, const void *a)
{
	const struct sack_arg *s = a;

	return dpsctp_sack_build(w, s->cum_tsn, s->a_rwnd, s->gaps, s->ngaps, s->dups, s->ndups);
}

struct fwd_arg {
	uint32_t cum;
	const struct dpsctp_fwd_stream *s;
	const struct dpsctp_ifwd_stream *is;
	uint16_t n;
};

static int
b_fwd(struct dpsctp_wbuf *w, const void *a)
{
	const struct fwd_arg *f = a;

	return dpsctp_forward_tsn_build(w, f->cum, f->s, f->n);
}

static int
b_ifwd(struct dpsctp_wbuf *w, const void *a)
{
	const struct fwd_arg *f = a;

	return dpsctp_iforward_tsn_build(w, f->cum, f->is, f->n);
}

static int
b_shutdown(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_shutdown_build(w, a);
}

static int
b_shutdown_ack(struct dpsctp_wbuf *w, const void *a)
{
	(void)a;
	return dpsctp_shutdown_ack_build(w);
}

static int
b_shutdown_complete(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_shutdown_complete_build(w, a);
}

static int
b_cookie_echo(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_cookie_echo_build(w, a);
}

static int
b_cookie_ack(struct dpsctp_wbuf *w, const void *a)
{
	(void)a;
	return dpsctp_cookie_ack_build(w);
}

static int
b_ecne(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_ecne_build(w, a);
}

static int
b_cwr(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_cwr_build(w, a);
}

static int
b_auth(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_auth_build(w, a);
}

static int
b_pad(struct dpsctp_wbuf *w, const void *a)
{
	return dpsctp_pad_build(w, a);
}

/* Begin adaptors for the TLV-bearing chunks. */

static int
g_init(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_init_begin(w, in, m);
}

static int
g_init_ack(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_init_ack_begin(w, in, m);
}

static int
g_heartbeat(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_heartbeat_begin(w, in, m);
}

static int
g_heartbeat_ack(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_heartbeat_ack_begin(w, in, m);
}

static int
g_abort(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_abort_begin(w, in, m);
}

static int
g_error(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_error_begin(w, in, m);
}

static int
g_asconf(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_asconf_begin(w, in, m);
}

static int
g_asconf_ack(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_asconf_ack_begin(w, in, m);
}

static int
g_reconf(struct dpsctp_wbuf *w, const void *in, size_t *m)
{
	return dpsctp_reconf_begin(w, in, m);
}

/* A TLV-bearing chunk: begin, optionally append one TLV, close; undo everything on error. */
struct open_arg {
	int (*begin)(struct dpsctp_wbuf *w, const void *in, size_t *mark);
	const void *in;
	uint16_t extra_type; /* 0: append nothing */
	const uint8_t *extra;
	size_t extra_len;
};

static int
b_open(struct dpsctp_wbuf *w, const void *a)
{
	const struct open_arg *o = a;
	size_t start = w->len;
	size_t mark;
	int rc;

	rc = o->begin(w, o->in, &mark);
	if (rc != 0) {
		cr_assert_eq(w->len, start, "begin failed but wrote");
		return rc;
	}
	if (o->extra_type != 0)
		rc = dpsctp_tlv_put(w, o->extra_type, o->extra, o->extra_len);
	if (rc == 0)
		rc = dpsctp_chunk_end(w, mark);
	if (rc != 0)
		dpsctp_wbuf_rewind(w, start);
	return rc;
}

/* Any decoded view, and a dispatcher that decodes @p c as chunk type @p as. */

static int
decode_as(uint8_t as, const struct dpsctp_chunk *c, union dpsctp_chunk_view *u)
{
	switch (as) {
	case DPSCTP_CHUNK_DATA:
		return dpsctp_data_decode(c, &u->data);
	case DPSCTP_CHUNK_INIT:
		return dpsctp_init_decode(c, &u->init);
	case DPSCTP_CHUNK_INIT_ACK:
		return dpsctp_init_ack_decode(c, &u->init);
	case DPSCTP_CHUNK_SACK:
		return dpsctp_sack_decode(c, &u->sack);
	case DPSCTP_CHUNK_HEARTBEAT:
		return dpsctp_heartbeat_decode(c, &u->hb);
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		return dpsctp_heartbeat_ack_decode(c, &u->hb);
	case DPSCTP_CHUNK_ABORT:
		return dpsctp_abort_decode(c, &u->abort);
	case DPSCTP_CHUNK_SHUTDOWN:
		return dpsctp_shutdown_decode(c, &u->shutdown);
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return dpsctp_shutdown_ack_decode(c);
	case DPSCTP_CHUNK_ERROR:
		return dpsctp_error_decode(c, &u->error);
	case DPSCTP_CHUNK_COOKIE_ECHO:
		return dpsctp_cookie_echo_decode(c, &u->cookie);
	case DPSCTP_CHUNK_COOKIE_ACK:
		return dpsctp_cookie_ack_decode(c);
	case DPSCTP_CHUNK_ECNE:
		return dpsctp_ecne_decode(c, &u->ecn);
	case DPSCTP_CHUNK_CWR:
		return dpsctp_cwr_decode(c, &u->ecn);
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return dpsctp_shutdown_complete_decode(c, &u->sc);
	case DPSCTP_CHUNK_AUTH:
		return dpsctp_auth_decode(c, &u->auth);
	case DPSCTP_CHUNK_I_DATA:
		return dpsctp_idata_decode(c, &u->idata);
	case DPSCTP_CHUNK_ASCONF_ACK:
		return dpsctp_asconf_ack_decode(c, &u->asconf_ack);
	case DPSCTP_CHUNK_RECONF:
		return dpsctp_reconf_decode(c, &u->reconf);
	case DPSCTP_CHUNK_PAD:
		return dpsctp_pad_decode(c, &u->pad);
	case DPSCTP_CHUNK_FORWARD_TSN:
		return dpsctp_forward_tsn_decode(c, &u->fwd);
	case DPSCTP_CHUNK_ASCONF:
		return dpsctp_asconf_decode(c, &u->asconf);
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		return dpsctp_iforward_tsn_decode(c, &u->ifwd);
	}
	cr_assert_fail("no decoder for type %u", as);
	return -ENOTSUP;
}

static const uint8_t known_types[] = {
	DPSCTP_CHUNK_DATA,
	DPSCTP_CHUNK_INIT,
	DPSCTP_CHUNK_INIT_ACK,
	DPSCTP_CHUNK_SACK,
	DPSCTP_CHUNK_HEARTBEAT,
	DPSCTP_CHUNK_HEARTBEAT_ACK,
	DPSCTP_CHUNK_ABORT,
	DPSCTP_CHUNK_SHUTDOWN,
	DPSCTP_CHUNK_SHUTDOWN_ACK,
	DPSCTP_CHUNK_ERROR,
	DPSCTP_CHUNK_COOKIE_ECHO,
	DPSCTP_CHUNK_COOKIE_ACK,
	DPSCTP_CHUNK_ECNE,
	DPSCTP_CHUNK_CWR,
	DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
	DPSCTP_CHUNK_AUTH,
	DPSCTP_CHUNK_I_DATA,
	DPSCTP_CHUNK_ASCONF_ACK,
	DPSCTP_CHUNK_RECONF,
	DPSCTP_CHUNK_PAD,
	DPSCTP_CHUNK_FORWARD_TSN,
	DPSCTP_CHUNK_ASCONF,
	DPSCTP_CHUNK_I_FORWARD_TSN,
};
#define NKNOWN (sizeof(known_types) / sizeof(known_types[0]))

/*
 * Sample inputs shared by the round-trip, -ENOSPC and truncation tests.
 */

/* A State Cookie of 5 bytes (padded inside the region) and an ECN Capable parameter. */
static const uint8_t init_params[] = {
	0x00,
	0x07,
	0x00,
	0x09,
	'c',
	'o',
	'o',
	'k',
	'i',
	0,
	0,
	0,
	0x80,
	0x00,
	0x00,
	0x04,
};
/* A Heartbeat Info of 3 bytes, last in the region so without its padding. */
static const uint8_t hb_params[] = {0x00, 0x01, 0x00, 0x07, 'h', 'b', '!'};
/* A User-Initiated Abort cause with a 2-byte reason. */
static const uint8_t abort_causes[] = {0x00, 0x0c, 0x00, 0x06, 'n', 'o'};
/* An Outgoing SSN Reset Request for no streams (RFC 6525 4.1). */
static const uint8_t reconf_one[] = {
	0x00,
	0x0d,
	0x00,
	0x10,
	0,
	0,
	0,
	1,
	0,
	0,
	0,
	2,
	0,
	0,
	0,
	3,
};
/* An Add IP Address parameter with its correlation ID and an IPv4 address (RFC 5061 4.2.1). */
static const uint8_t asconf_params[] = {
	0xc0,
	0x01,
	0x00,
	0x10,
	0,
	0,
	0,
	7,
	0x00,
	0x05,
	0x00,
	0x08,
	192,
	0,
	2,
	1,
};
/* A Success Indication with its correlation ID (RFC 5061 4.2.5). */
static const uint8_t ack_params[] = {0xc0, 0x05, 0x00, 0x08, 0, 0, 0, 7};
static const uint8_t v4[4] = {10, 0, 0, 1};
static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t some[] = "extra bytes!";
static const struct dpsctp_gap_block gaps3[] = {{2, 3}, {5, 5}, {7, 100}};
static const uint32_t dups2[] = {0xfffffffe, 0x00000001};
static const struct dpsctp_fwd_stream fwd3[] = {{1, 10}, {2, 0xffff}, {0xffff, 0}};
static const struct dpsctp_ifwd_stream ifwd3[] = {
	{1, 0, 10},
	{2, DPSCTP_IFWD_FLAG_U, 0xffffffff},
	{0xffff, DPSCTP_IFWD_FLAG_U, 0},
};

static const struct dpsctp_data s_data = {
	.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E,
	.tsn = 1,
	.sid = 2,
	.ssn = 3,
	.payload = some,
	.payload_len = 5,
};
static const struct dpsctp_idata s_idata = {
	.flags = DPSCTP_DATA_FLAG_E,
	.tsn = 1,
	.sid = 2,
	.mid = 3,
	.fsn = 4,
	.payload = some,
	.payload_len = 7,
};
static const struct sack_arg s_sack = {10, 20, gaps3, 3, dups2, 2};
static const struct sack_arg s_sack0 = {10, 20, NULL, 0, NULL, 0};
static const struct fwd_arg s_fwd = {77, fwd3, NULL, 3};
static const struct fwd_arg s_ifwd = {77, NULL, ifwd3, 3};
static const struct dpsctp_shutdown s_shutdown = {0x12345678};
static const struct dpsctp_shutdown_complete s_sc = {true};
static const struct dpsctp_cookie_echo s_cookie = {some, 9};
static const struct dpsctp_ecn s_ecn = {0xdeadbeef};
static const struct dpsctp_auth s_auth = {1, DPSCTP_HMAC_SHA1, NULL, 20};
static const struct dpsctp_pad s_pad = {13};
static const struct dpsctp_init s_init = {
	1,
	2,
	3,
	4,
	5,
	init_params,
	sizeof(init_params),
};
static const struct dpsctp_heartbeat s_hb = {hb_params, sizeof(hb_params)};
static const struct dpsctp_abort s_abort = {true, abort_causes, sizeof(abort_causes)};
static const struct dpsctp_error s_error = {abort_causes, sizeof(abort_causes)};
static const struct dpsctp_asconf s_asconf = {
	9,
	DPSCTP_PARAM_IPV6,
	v6,
	asconf_params,
	sizeof(asconf_params),
};
static const struct dpsctp_asconf_ack s_asconf_ack = {9, ack_params, sizeof(ack_params)};
static const struct dpsctp_reconf s_reconf = {reconf_one, sizeof(reconf_one)};

static const struct open_arg o_init = {g_init, &s_init, DPSCTP_PARAM_HOST_NAME, some, 3};
static const struct open_arg o_init_ack = {
	g_init_ack, &s_init, DPSCTP_PARAM_STATE_COOKIE, some, 11};
static const struct open_arg o_hb = {g_heartbeat, &s_hb, 0, NULL, 0};
static const struct open_arg o_hb_ack = {g_heartbeat_ack, &s_hb, 0, NULL, 0};
static const struct open_arg o_abort = {
	g_abort, &s_abort, DPSCTP_CAUSE_PROTOCOL_VIOLATION, some, 5};
static const struct open_arg o_error = {g_error, &s_error, DPSCTP_CAUSE_OUT_OF_RESOURCE, NULL, 0};
static const struct open_arg o_asconf = {g_asconf, &s_asconf, DPSCTP_PARAM_SET_PRIMARY, some, 12};
static const struct open_arg o_asconf_ack = {g_asconf_ack, &s_asconf_ack, 0, NULL, 0};
static const struct open_arg o_reconf = {g_reconf, &s_reconf, 0, NULL, 0};

struct sample {
	const char *what;
	uint8_t type;
	int (*fn)(struct dpsctp_wbuf *w, const void *arg);
	const void *arg;
};

static const struct sample samples[] = {
	{"DATA", DPSCTP_CHUNK_DATA, b_data, &s_data},
	{"I-DATA", DPSCTP_CHUNK_I_DATA, b_idata, &s_idata},
	{"SACK", DPSCTP_CHUNK_SACK, b_sack, &s_sack},
	{"empty SACK", DPSCTP_CHUNK_SACK, b_sack, &s_sack0},
	{"FORWARD-TSN", DPSCTP_CHUNK_FORWARD_TSN, b_fwd, &s_fwd},
	{"I-FORWARD-TSN", DPSCTP_CHUNK_I_FORWARD_TSN, b_ifwd, &s_ifwd},
	{"SHUTDOWN", DPSCTP_CHUNK_SHUTDOWN, b_shutdown, &s_shutdown},
	{"SHUTDOWN ACK", DPSCTP_CHUNK_SHUTDOWN_ACK, b_shutdown_ack, NULL},
	{"SHUTDOWN COMPLETE", DPSCTP_CHUNK_SHUTDOWN_COMPLETE, b_shutdown_complete, &s_sc},
	{"COOKIE ECHO", DPSCTP_CHUNK_COOKIE_ECHO, b_cookie_echo, &s_cookie},
	{"COOKIE ACK", DPSCTP_CHUNK_COOKIE_ACK, b_cookie_ack, NULL},
	{"ECNE", DPSCTP_CHUNK_ECNE, b_ecne, &s_ecn},
	{"CWR", DPSCTP_CHUNK_CWR, b_cwr, &s_ecn},
	{"AUTH", DPSCTP_CHUNK_AUTH, b_auth, &s_auth},
	{"PAD", DPSCTP_CHUNK_PAD, b_pad, &s_pad},
	{"INIT", DPSCTP_CHUNK_INIT, b_open, &o_init},
	{"INIT ACK", DPSCTP_CHUNK_INIT_ACK, b_open, &o_init_ack},
	{"HEARTBEAT", DPSCTP_CHUNK_HEARTBEAT, b_open, &o_hb},
	{"HEARTBEAT ACK", DPSCTP_CHUNK_HEARTBEAT_ACK, b_open, &o_hb_ack},
	{"ABORT", DPSCTP_CHUNK_ABORT, b_open, &o_abort},
	{"ERROR", DPSCTP_CHUNK_ERROR, b_open, &o_error},
	{"ASCONF", DPSCTP_CHUNK_ASCONF, b_open, &o_asconf},
	{"ASCONF-ACK", DPSCTP_CHUNK_ASCONF_ACK, b_open, &o_asconf_ack},
	{"RE-CONFIG", DPSCTP_CHUNK_RECONF, b_open, &o_reconf},
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/*
 * Names and types.
 */

Test(chunk, every_known_type_has_its_rfc_name_and_unknown_types_have_none)
{
	static const struct {
		uint8_t type;
		const char *name;
	} names[] = {
		{0, "DATA"},
		{1, "INIT"},
		{2, "INIT ACK"},
		{3, "SACK"},
		{4, "HEARTBEAT"},
		{5, "HEARTBEAT ACK"},
		{6, "ABORT"},
		{7, "SHUTDOWN"},
		{8, "SHUTDOWN ACK"},
		{9, "ERROR"},
		{10, "COOKIE ECHO"},
		{11, "COOKIE ACK"},
		{12, "ECNE"},
		{13, "CWR"},
		{14, "SHUTDOWN COMPLETE"},
		{15, "AUTH"},
		{64, "I-DATA"},
		{128, "ASCONF-ACK"},
		{130, "RE-CONFIG"},
		{132, "PAD"},
		{192, "FORWARD-TSN"},
		{193, "ASCONF"},
		{194, "I-FORWARD-TSN"},
	};
	unsigned int t, i, nknown = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cr_assert_not_null(dpsctp_chunk_name(names[i].type));
		cr_assert_str_eq(dpsctp_chunk_name(names[i].type), names[i].name);
	}
	for (t = 0; t < 256; t++) {
		bool named = dpsctp_chunk_name((uint8_t)t) != NULL;

		cr_assert_eq(dpsctp_chunk_type_known((uint8_t)t), named, "type %u", t);
		nknown += named;
	}
	cr_assert_eq(nknown, NKNOWN);
	cr_assert_eq(nknown, sizeof(names) / sizeof(names[0]));
}

Test(chunk, every_decoder_rejects_every_other_type_with_einval)
{
	static const uint8_t others[] = {16, 63, 65, 127, 129, 131, 191, 195, 255};
	uint8_t raw[8] = {0, 0, 0, 8, 0, 0, 0, 0};
	struct dpsctp_chunk c;
	union dpsctp_chunk_view u;
	unsigned int i, j;

	for (i = 0; i < NKNOWN; i++) {
		for (j = 0; j < NKNOWN + sizeof(others); j++) {
			uint8_t t = j < NKNOWN ? known_types[j] : others[j - NKNOWN];
			const uint8_t *p = raw;

			if (t == known_types[i])
				continue;
			raw[0] = t;
			cr_assert_eq(dpsctp_chunk_next(&p, raw + sizeof(raw), &c), 1);
			cr_assert_eq(decode_as(known_types[i], &c, &u), -EINVAL,
				"%s decoder, type %u", dpsctp_chunk_name(known_types[i]), t);
		}
	}
}

Test(chunk, a_hand_made_view_shorter_than_a_header_is_rejected_not_read)
{
	static const uint8_t none[1];
	struct dpsctp_chunk c = {0, 0, 3, none};
	union dpsctp_chunk_view u;
	unsigned int i;

	for (i = 0; i < NKNOWN; i++) {
		c.type = known_types[i];
		cr_assert_eq(decode_as(known_types[i], &c, &u), -EBADMSG, "%s",
			dpsctp_chunk_name(known_types[i]));
	}
}

/*
 * DATA and I-DATA
 */

Test(chunk, data_round_trips_every_flag_combination_and_odd_payload_length)
{
	unsigned int flags;
	size_t len;

	fill_pattern(src, 64, 1);
	for (flags = 0; flags < 16; flags++) {
		for (len = 0; len <= 9; len++) {
			struct dpsctp_data in = {
				.flags = (uint8_t)flags,
				.tsn = 0x80000001u + (uint32_t)len,
				.sid = (uint16_t)(0xfff0 + flags),
				.ssn = (uint16_t)len,
				.ppid = 0x33000000u + flags,
				.payload = src,
				.payload_len = len,
			};
			struct dpsctp_data out;
			struct dpsctp_chunk c = build_one(b_data, &in);

			cr_assert_eq(c.type, DPSCTP_CHUNK_DATA);
			cr_assert_eq(c.len, 16 + len);
			cr_assert_eq(dpsctp_data_decode(&c, &out), 0);
			cr_assert_eq(out.flags, in.flags);
			cr_assert_eq(out.tsn, in.tsn);
			cr_assert_eq(out.sid, in.sid);
			cr_assert_eq(out.ssn, in.ssn);
			cr_assert_eq(out.ppid, in.ppid);
			cr_assert_eq(out.payload_len, len);
			cr_assert_eq(out.payload, buf + 16, "payload must point into the packet");
			cr_assert(memcmp(out.payload, src, len) == 0);
		}
	}
}

Test(chunk, data_reserved_flag_bits_are_decoded_as_received)
{
	struct dpsctp_data in = {.flags = 0xf5, .tsn = 1};
	struct dpsctp_data out;
	struct dpsctp_chunk c = build_one(b_data, &in);

	cr_assert_eq(dpsctp_data_decode(&c, &out), 0);
	cr_assert_eq(out.flags, 0xf5);
	cr_assert_eq(out.payload_len, 0, "DATA without user data is decoded faithfully");
}

Test(chunk, data_ppid_is_carried_as_raw_wire_bytes)
{
	static const uint8_t ppid_wire[4] = {0x00, 0x00, 0x00, 0x33};
	struct dpsctp_data in = {.payload = some, .payload_len = 1};
	struct dpsctp_data out;
	struct dpsctp_chunk c;

	memcpy(&in.ppid, ppid_wire, 4);
	c = build_one(b_data, &in);
	cr_assert(memcmp(buf + 12, ppid_wire, 4) == 0, "PPID must not be byte-swapped");
	cr_assert_eq(dpsctp_data_decode(&c, &out), 0);
	cr_assert(memcmp(&out.ppid, ppid_wire, 4) == 0);
}

Test(chunk, data_matches_rfc_9260_wire_layout)
{
	static const uint8_t want[] = {
		0x00,
		0x03,
		0x00,
		0x13,
		0x01,
		0x02,
		0x03,
		0x04,
		0x05,
		0x06,
		0x07,
		0x08,
		0x00,
		0x00,
		0x00,
		0x33,
		'a',
		'b',
		'c',
		0x00,
	};
	static const uint8_t ppid_wire[4] = {0x00, 0x00, 0x00, 0x33};
	struct dpsctp_data in = {
		.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E,
		.tsn = 0x01020304,
		.sid = 0x0506,
		.ssn = 0x0708,
		.payload = (const uint8_t *)"abc",
		.payload_len = 3,
	};

	memcpy(&in.ppid, ppid_wire, 4);
	build_one(b_data, &in);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

Test(chunk, data_of_the_largest_size_round_trips)
{
	struct dpsctp_data in = {.tsn = 7, .payload = src, .payload_len = 65535 - 16};
	struct dpsctp_data out;
	struct dpsctp_chunk c;

	fill_pattern(src, in.payload_len, 3);
	c = build_one(b_data, &in);
	cr_assert_eq(c.len, 65535);
	cr_assert_eq(dpsctp_data_decode(&c, &out), 0);
	cr_assert_eq(out.payload_len, in.payload_len);
	cr_assert(memcmp(out.payload, src, in.payload_len) == 0);
}

Test(chunk, idata_with_b_set_carries_the_raw_ppid)
{
	static const uint8_t ppid_wire[4] = {0xde, 0xad, 0x00, 0x01};
	unsigned int flags;

	for (flags = 0; flags < 16; flags++) {
		struct dpsctp_idata in = {
			.flags = (uint8_t)(flags | DPSCTP_DATA_FLAG_B),
			.tsn = 0xffffffff,
			.sid = 9,
			.mid = 0x01020304,
			.fsn = 0x55,
			.payload = some,
			.payload_len = flags % 5,
		};
		struct dpsctp_idata out;
		struct dpsctp_chunk c;

		memcpy(&in.ppid, ppid_wire, 4);
		c = build_one(b_idata, &in);
		cr_assert_eq(c.type, DPSCTP_CHUNK_I_DATA);
		cr_assert(memcmp(buf + 16, ppid_wire, 4) == 0, "B set: the field is the PPID");
		cr_assert_eq(dpsctp_idata_decode(&c, &out), 0);
		cr_assert_eq(out.flags, in.flags);
		cr_assert_eq(out.tsn, in.tsn);
		cr_assert_eq(out.sid, in.sid);
		cr_assert_eq(out.mid, in.mid);
		cr_assert(memcmp(&out.ppid, ppid_wire, 4) == 0);
		cr_assert_eq(out.fsn, 0, "the FSN of a first fragment is 0");
		cr_assert_eq(out.payload_len, in.payload_len);
		cr_assert(memcmp(out.payload, some, in.payload_len) == 0);
	}
}

Test(chunk, idata_with_b_clear_carries_the_fsn)
{
	unsigned int flags;

	for (flags = 0; flags < 16; flags++) {
		struct dpsctp_idata in = {
			.flags = (uint8_t)(flags & ~DPSCTP_DATA_FLAG_B),
			.tsn = 3,
			.sid = 0xffff,
			.mid = 0xfffffffe,
			.ppid = 0x11111111,
			.fsn = 0x0a0b0c0d + flags,
			.payload = some,
			.payload_len = 1 + flags % 4,
		};
		struct dpsctp_idata out;
		struct dpsctp_chunk c = build_one(b_idata, &in);

		cr_assert_eq(dpsctp_get_be32(buf + 16), in.fsn);
		cr_assert_eq(dpsctp_idata_decode(&c, &out), 0);
		cr_assert_eq(out.flags, in.flags);
		cr_assert_eq(out.mid, in.mid);
		cr_assert_eq(out.fsn, in.fsn);
		cr_assert_eq(out.ppid, 0, "B clear: there is no PPID");
		cr_assert_eq(out.payload_len, in.payload_len);
	}
}

Test(chunk, idata_matches_rfc_8260_wire_layout)
{
	static const uint8_t want[] = {
		0x40,
		0x01,
		0x00,
		0x15,
		0,
		0,
		0,
		1,
		0x00,
		0x02,
		0x00,
		0x00,
		0,
		0,
		0,
		3,
		0,
		0,
		0,
		4,
		'x',
		0,
		0,
		0,
	};
	struct dpsctp_idata in = {
		.flags = DPSCTP_DATA_FLAG_E,
		.tsn = 1,
		.sid = 2,
		.mid = 3,
		.fsn = 4,
		.payload = (const uint8_t *)"x",
		.payload_len = 1,
	};

	build_one(b_idata, &in);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

Test(chunk, data_builders_refuse_a_null_payload_with_a_length)
{
	struct dpsctp_data d = {.payload_len = 1};
	struct dpsctp_idata i = {.payload_len = 1};
	struct dpsctp_cookie_echo ce = {NULL, 1};
	struct dpsctp_wbuf w;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_data_build(&w, &d), -EINVAL);
	cr_assert_eq(dpsctp_idata_build(&w, &i), -EINVAL);
	cr_assert_eq(dpsctp_cookie_echo_build(&w, &ce), -EINVAL);
	cr_assert_eq(w.len, 0);
}

/*
 * SACK, FORWARD-TSN, I-FORWARD-TSN
 */

static void
check_sack(const struct sack_arg *in)
{
	struct dpsctp_sack out;
	struct dpsctp_chunk c = build_one(b_sack, in);
	unsigned int i;

	cr_assert_eq(c.type, DPSCTP_CHUNK_SACK);
	cr_assert_eq(c.len, 16 + 4 * (in->ngaps + in->ndups));
	cr_assert_eq(dpsctp_sack_decode(&c, &out), 0);
	cr_assert_eq(out.cum_tsn, in->cum_tsn);
	cr_assert_eq(out.a_rwnd, in->a_rwnd);
	cr_assert_eq(out.ngaps, in->ngaps);
	cr_assert_eq(out.ndups, in->ndups);
	for (i = 0; i < in->ngaps; i++) {
		uint16_t start, end;

		dpsctp_sack_gap(&out, i, &start, &end);
		cr_assert_eq(start, in->gaps[i].start, "gap %u", i);
		cr_assert_eq(end, in->gaps[i].end, "gap %u", i);
	}
	for (i = 0; i < in->ndups; i++)
		cr_assert_eq(dpsctp_sack_dup(&out, i), in->dups[i], "dup %u", i);
}

Test(chunk, sack_with_gaps_and_dups_round_trips)
{
	check_sack(&s_sack);
}

Test(chunk, sack_without_gaps_or_dups_round_trips)
{
	check_sack(&s_sack0);
}

Test(chunk, sack_with_only_dups_or_only_gaps_round_trips)
{
	struct sack_arg a = {0xffffffff, 0, NULL, 0, dups2, 2};
	struct sack_arg b = {0, 0xffffffff, gaps3, 3, NULL, 0};

	check_sack(&a);
	check_sack(&b);
}

Test(chunk, sack_of_the_largest_size_round_trips)
{
	static struct dpsctp_gap_block gaps[8000];
	static uint32_t dups[16379 - 8000];
	struct sack_arg a = {1, 2, gaps, 8000, dups, 16379 - 8000};
	unsigned int i;

	for (i = 0; i < 8000; i++) {
		gaps[i].start = (uint16_t)(2 * i + 1);
		gaps[i].end = (uint16_t)(2 * i + 1);
	}
	for (i = 0; i < a.ndups; i++)
		dups[i] = 0x10000000u + i;
	check_sack(&a);
}

Test(chunk, sack_matches_rfc_9260_wire_layout)
{
	static const uint8_t want[] = {
		0x03,
		0x00,
		0x00,
		0x18,
		0x11,
		0x22,
		0x33,
		0x44,
		0x00,
		0x01,
		0x00,
		0x00,
		0x00,
		0x01,
		0x00,
		0x01,
		0x00,
		0x02,
		0x00,
		0x03,
		0x11,
		0x22,
		0x33,
		0x40,
	};
	static const struct dpsctp_gap_block g[] = {{2, 3}};
	static const uint32_t d[] = {0x11223340};
	struct sack_arg a = {0x11223344, 0x00010000, g, 1, d, 1};

	build_one(b_sack, &a);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

static void
check_fwd(const struct fwd_arg *in)
{
	struct dpsctp_forward_tsn out;
	struct dpsctp_chunk c = build_one(b_fwd, in);
	unsigned int i;

	cr_assert_eq(c.type, DPSCTP_CHUNK_FORWARD_TSN);
	cr_assert_eq(c.len, 8 + 4 * in->n);
	cr_assert_eq(dpsctp_forward_tsn_decode(&c, &out), 0);
	cr_assert_eq(out.new_cum_tsn, in->cum);
	cr_assert_eq(out.nstreams, in->n);
	for (i = 0; i < in->n; i++) {
		struct dpsctp_fwd_stream s;

		dpsctp_forward_tsn_stream(&out, i, &s);
		cr_assert_eq(s.sid, in->s[i].sid);
		cr_assert_eq(s.ssn, in->s[i].ssn);
	}
}

Test(chunk, forward_tsn_with_and_without_streams_round_trips)
{
	struct fwd_arg none = {0xffffffff, NULL, NULL, 0};

	check_fwd(&s_fwd);
	check_fwd(&none);
}

Test(chunk, forward_tsn_of_the_largest_size_round_trips)
{
	static struct dpsctp_fwd_stream s[16381];
	struct fwd_arg a = {5, s, NULL, 16381};
	unsigned int i;

	for (i = 0; i < a.n; i++) {
		s[i].sid = (uint16_t)i;
		s[i].ssn = (uint16_t)(i * 3);
	}
	check_fwd(&a);
}

static void
check_ifwd(const struct fwd_arg *in)
{
	struct dpsctp_iforward_tsn out;
	struct dpsctp_chunk c = build_one(b_ifwd, in);
	unsigned int i;

	cr_assert_eq(c.type, DPSCTP_CHUNK_I_FORWARD_TSN);
	cr_assert_eq(c.len, 8 + 8 * in->n);
	cr_assert_eq(dpsctp_iforward_tsn_decode(&c, &out), 0);
	cr_assert_eq(out.new_cum_tsn, in->cum);
	cr_assert_eq(out.nstreams, in->n);
	for (i = 0; i < in->n; i++) {
		struct dpsctp_ifwd_stream s;

		dpsctp_iforward_tsn_stream(&out, i, &s);
		cr_assert_eq(s.sid, in->is[i].sid);
		cr_assert_eq(s.flags, in->is[i].flags);
		cr_assert_eq(s.mid, in->is[i].mid);
	}
}

Test(chunk, iforward_tsn_with_and_without_streams_round_trips)
{
	struct fwd_arg none = {0, NULL, NULL, 0};

	check_ifwd(&s_ifwd);
	check_ifwd(&none);
}

Test(chunk, iforward_tsn_of_the_largest_size_round_trips)
{
	static struct dpsctp_ifwd_stream s[8190];
	struct fwd_arg a = {5, NULL, s, 8190};
	unsigned int i;

	for (i = 0; i < a.n; i++) {
		s[i].sid = (uint16_t)i;
		s[i].flags = (uint16_t)(i & DPSCTP_IFWD_FLAG_U);
		s[i].mid = i * 0x10001u;
	}
	check_ifwd(&a);
}

Test(chunk, forward_tsns_match_their_wire_layouts)
{
	static const uint8_t want_fwd[] = {
		0xc0,
		0x00,
		0x00,
		0x0c,
		0,
		0,
		0,
		0x10,
		0x00,
		0x01,
		0x00,
		0x02,
	};
	static const uint8_t want_ifwd[] = {
		0xc2,
		0x00,
		0x00,
		0x10,
		0,
		0,
		0,
		0x10,
		0x00,
		0x01,
		0x00,
		0x01,
		0,
		0,
		0,
		0x20,
	};
	static const struct dpsctp_fwd_stream s[] = {{1, 2}};
	static const struct dpsctp_ifwd_stream is[] = {{1, DPSCTP_IFWD_FLAG_U, 0x20}};
	struct fwd_arg a = {0x10, s, is, 1};

	build_one(b_fwd, &a);
	cr_assert(memcmp(buf, want_fwd, sizeof(want_fwd)) == 0);
	build_one(b_ifwd, &a);
	cr_assert(memcmp(buf, want_ifwd, sizeof(want_ifwd)) == 0);
}

/*
 * TLV-bearing chunks: INIT, INIT ACK, HEARTBEAT, HEARTBEAT ACK, ABORT, ERROR, ASCONF,
 * ASCONF-ACK, RE-CONFIG.
 */

/*
 * The decoded region of @p o is the raw bytes given to begin, zero padding to 4 bytes when a TLV
 * was appended, then that TLV (without its final padding).
 */
static void
check_region(const struct open_arg *o, const uint8_t *raw, size_t raw_len, const uint8_t *got,
	size_t got_len)
{
	size_t want = raw_len;
	size_t i;

	if (o->extra_type != 0)
		want = dpsctp_pad4(raw_len) + 4 + o->extra_len;
	cr_assert_eq(got_len, want, "region length %zu, want %zu", got_len, want);
	cr_assert(raw_len == 0 || memcmp(got, raw, raw_len) == 0);
	if (o->extra_type == 0)
		return;
	for (i = raw_len; i < dpsctp_pad4(raw_len); i++)
		cr_assert_eq(got[i], 0, "padding inside the region");
	got += dpsctp_pad4(raw_len);
	cr_assert_eq(dpsctp_get_be16(got), o->extra_type);
	cr_assert_eq(dpsctp_get_be16(got + 2), 4 + o->extra_len);
	cr_assert(o->extra_len == 0 || memcmp(got + 4, o->extra, o->extra_len) == 0);
}

static void
check_init(const struct open_arg *o, uint8_t type)
{
	const struct dpsctp_init *in = o->in;
	struct dpsctp_init out;
	struct dpsctp_chunk c = build_one(b_open, o);
	int rc;

	cr_assert_eq(c.type, type);
	rc = type == DPSCTP_CHUNK_INIT ? dpsctp_init_decode(&c, &out)
				       : dpsctp_init_ack_decode(&c, &out);
	cr_assert_eq(rc, 0);
	cr_assert_eq(out.init_tag, in->init_tag);
	cr_assert_eq(out.a_rwnd, in->a_rwnd);
	cr_assert_eq(out.os, in->os);
	cr_assert_eq(out.mis, in->mis);
	cr_assert_eq(out.initial_tsn, in->initial_tsn);
	cr_assert_eq(out.params, buf + 20);
	check_region(o, in->params, in->params_len, out.params, out.params_len);
}

Test(chunk, init_with_params_and_an_appended_param_round_trips)
{
	check_init(&o_init, DPSCTP_CHUNK_INIT);
}

Test(chunk, init_ack_with_params_and_an_appended_cookie_round_trips)
{
	check_init(&o_init_ack, DPSCTP_CHUNK_INIT_ACK);
}

Test(chunk, init_without_params_round_trips_and_zero_fields_are_decoded_faithfully)
{
	struct dpsctp_init in = {0, 0, 0, 0, 0, NULL, 0};
	struct open_arg o = {g_init, &in, 0, NULL, 0};
	struct open_arg o_ack = {g_init_ack, &in, 0, NULL, 0};

	check_init(&o, DPSCTP_CHUNK_INIT);
	check_init(&o_ack, DPSCTP_CHUNK_INIT_ACK);
	cr_assert_eq(dpsctp_get_be16(buf + 2), 20);
}

Test(chunk, init_of_the_largest_size_round_trips)
{
	/* One parameter filling the chunk up to 65535 bytes: 20 + 4 + 65511. */
	size_t vlen = 65535 - 20 - 4;
	struct dpsctp_init in = {0xffffffff, 0xffffffff, 0xffff, 0xffff, 0xffffffff, NULL, 0};
	struct open_arg o = {g_init, &in, DPSCTP_PARAM_STATE_COOKIE, src, vlen};

	fill_pattern(src, vlen, 9);
	check_init(&o, DPSCTP_CHUNK_INIT);
	cr_assert_eq(dpsctp_get_be16(buf + 2), 65535);
}

Test(chunk, init_matches_rfc_9260_wire_layout)
{
	static const uint8_t want[] = {
		0x01,
		0x00,
		0x00,
		0x18,
		0x01,
		0x02,
		0x03,
		0x04,
		0x00,
		0x01,
		0x00,
		0x00,
		0x00,
		0x0a,
		0xff,
		0xff,
		0xa0,
		0xb0,
		0xc0,
		0xd0,
		0x80,
		0x00,
		0x00,
		0x04,
	};
	struct dpsctp_init in = {0x01020304, 0x10000, 10, 0xffff, 0xa0b0c0d0, NULL, 0};
	struct open_arg o = {g_init, &in, DPSCTP_PARAM_ECN_CAPABLE, NULL, 0};

	build_one(b_open, &o);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

Test(chunk, heartbeat_and_heartbeat_ack_round_trip_their_info)
{
	static const struct open_arg *const os[] = {&o_hb, &o_hb_ack};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct dpsctp_heartbeat out;
		struct dpsctp_chunk c = build_one(b_open, os[i]);
		int rc = i == 0 ? dpsctp_heartbeat_decode(&c, &out)
				: dpsctp_heartbeat_ack_decode(&c, &out);

		cr_assert_eq(c.type, i == 0 ? DPSCTP_CHUNK_HEARTBEAT : DPSCTP_CHUNK_HEARTBEAT_ACK);
		cr_assert_eq(rc, 0);
		cr_assert_eq(c.len, 4 + sizeof(hb_params), "final padding not counted");
		check_region(os[i], hb_params, sizeof(hb_params), out.params, out.params_len);
	}
}

Test(chunk, heartbeat_info_appended_after_begin_round_trips)
{
	struct dpsctp_heartbeat in = {NULL, 0};
	struct open_arg o = {g_heartbeat, &in, DPSCTP_PARAM_HEARTBEAT_INFO, some, 9};
	struct dpsctp_heartbeat out;
	struct dpsctp_chunk c = build_one(b_open, &o);

	cr_assert_eq(dpsctp_heartbeat_decode(&c, &out), 0);
	check_region(&o, NULL, 0, out.params, out.params_len);
}

Test(chunk, abort_round_trips_the_t_bit_and_its_causes)
{
	unsigned int t;

	for (t = 0; t < 2; t++) {
		struct dpsctp_abort in = {t != 0, abort_causes, sizeof(abort_causes)};
		struct open_arg o = {g_abort, &in, DPSCTP_CAUSE_PROTOCOL_VIOLATION, some, 5};
		struct dpsctp_abort out;
		struct dpsctp_chunk c = build_one(b_open, &o);

		cr_assert_eq(c.type, DPSCTP_CHUNK_ABORT);
		cr_assert_eq(c.flags, t);
		cr_assert_eq(dpsctp_abort_decode(&c, &out), 0);
		cr_assert_eq(out.t, t != 0);
		check_region(&o, abort_causes, sizeof(abort_causes), out.causes, out.causes_len);
	}
}

Test(chunk, empty_abort_with_t_matches_its_wire_layout)
{
	static const uint8_t want[] = {0x06, 0x01, 0x00, 0x04};
	struct dpsctp_abort in = {true, NULL, 0};
	struct open_arg o = {g_abort, &in, 0, NULL, 0};
	struct dpsctp_abort out;
	struct dpsctp_chunk c = build_one(b_open, &o);

	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
	cr_assert_eq(dpsctp_abort_decode(&c, &out), 0);
	cr_assert(out.t);
	cr_assert_eq(out.causes_len, 0);
}

Test(chunk, error_round_trips_its_causes)
{
	struct dpsctp_error out;
	struct dpsctp_chunk c = build_one(b_open, &o_error);

	cr_assert_eq(c.type, DPSCTP_CHUNK_ERROR);
	cr_assert_eq(dpsctp_error_decode(&c, &out), 0);
	check_region(&o_error, abort_causes, sizeof(abort_causes), out.causes, out.causes_len);
	cr_assert_eq(dpsctp_tlv_check_all(out.causes, out.causes + out.causes_len), 2);
}

static void
check_asconf(const struct open_arg *o)
{
	const struct dpsctp_asconf *in = o->in;
	struct dpsctp_asconf out;
	struct dpsctp_chunk c = build_one(b_open, o);
	size_t alen = in->addr_type == DPSCTP_PARAM_IPV4 ? 4 : 16;

	cr_assert_eq(c.type, DPSCTP_CHUNK_ASCONF);
	cr_assert_eq(dpsctp_asconf_decode(&c, &out), 0);
	cr_assert_eq(out.serial, in->serial);
	cr_assert_eq(out.addr_type, in->addr_type);
	cr_assert(memcmp(out.addr, in->addr, alen) == 0);
	cr_assert_eq(out.addr, buf + 12, "address points into the packet");
	check_region(o, in->params, in->params_len, out.params, out.params_len);
}

Test(chunk, asconf_with_an_ipv4_or_ipv6_address_round_trips)
{
	struct dpsctp_asconf a4 = {0xffffffff, DPSCTP_PARAM_IPV4, v4, NULL, 0};
	struct dpsctp_asconf a6 = {0, DPSCTP_PARAM_IPV6, v6, ack_params, sizeof(ack_params)};
	struct open_arg o4 = {g_asconf, &a4, 0, NULL, 0};
	struct open_arg o4x = {g_asconf, &a4, DPSCTP_PARAM_DEL_IP, some, 12};
	struct open_arg o6 = {g_asconf, &a6, 0, NULL, 0};

	check_asconf(&o4);
	check_asconf(&o4x);
	check_asconf(&o6);
	check_asconf(&o_asconf);
}

Test(chunk, asconf_matches_rfc_5061_wire_layout)
{
	static const uint8_t want[] = {
		0xc1,
		0x00,
		0x00,
		0x10,
		0,
		0,
		0,
		1,
		0x00,
		0x05,
		0x00,
		0x08,
		10,
		0,
		0,
		1,
	};
	struct dpsctp_asconf a4 = {1, DPSCTP_PARAM_IPV4, v4, NULL, 0};
	struct open_arg o = {g_asconf, &a4, 0, NULL, 0};

	build_one(b_open, &o);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

Test(chunk, asconf_begin_refuses_what_is_not_an_address)
{
	struct dpsctp_asconf bad_type = {1, DPSCTP_PARAM_HOST_NAME, v4, NULL, 0};
	struct dpsctp_asconf no_addr = {1, DPSCTP_PARAM_IPV4, NULL, NULL, 0};
	struct dpsctp_asconf bad_params = {1, DPSCTP_PARAM_IPV4, v4, NULL, 8};
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_asconf_begin(&w, &bad_type, &mark), -EINVAL);
	cr_assert_eq(dpsctp_asconf_begin(&w, &no_addr, &mark), -EINVAL);
	cr_assert_eq(dpsctp_asconf_begin(&w, &bad_params, &mark), -EINVAL);
	cr_assert_eq(w.len, 0);
}

Test(chunk, asconf_ack_round_trips_with_and_without_params)
{
	struct dpsctp_asconf_ack empty = {0xabcdef01, NULL, 0};
	struct open_arg o_empty = {g_asconf_ack, &empty, 0, NULL, 0};
	struct open_arg o_more = {g_asconf_ack, &s_asconf_ack, DPSCTP_PARAM_SUCCESS_IND, some, 4};
	const struct open_arg *os[] = {&o_empty, &o_asconf_ack, &o_more};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		const struct dpsctp_asconf_ack *in = os[i]->in;
		struct dpsctp_asconf_ack out;
		struct dpsctp_chunk c = build_one(b_open, os[i]);

		cr_assert_eq(c.type, DPSCTP_CHUNK_ASCONF_ACK);
		cr_assert_eq(dpsctp_asconf_ack_decode(&c, &out), 0);
		cr_assert_eq(out.serial, in->serial);
		check_region(os[i], in->params, in->params_len, out.params, out.params_len);
	}
}

Test(chunk, reconf_with_one_or_two_params_round_trips)
{
	struct open_arg two = {g_reconf, &s_reconf, DPSCTP_PARAM_IN_SSN_RESET_REQ, some, 4};
	const struct open_arg *os[] = {&o_reconf, &two};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct dpsctp_reconf out;
		struct dpsctp_chunk c = build_one(b_open, os[i]);

		cr_assert_eq(c.type, DPSCTP_CHUNK_RECONF);
		cr_assert_eq(dpsctp_reconf_decode(&c, &out), 0);
		check_region(os[i], reconf_one, sizeof(reconf_one), out.params, out.params_len);
	}
}

Test(chunk, tlv_begins_refuse_a_null_region_with_a_length)
{
	struct dpsctp_init init = {.params_len = 4};
	struct dpsctp_heartbeat hb = {NULL, 4};
	struct dpsctp_abort ab = {false, NULL, 4};
	struct dpsctp_error er = {NULL, 4};
	struct dpsctp_asconf_ack aa = {0, NULL, 4};
	struct dpsctp_reconf rc = {NULL, 4};
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_init_begin(&w, &init, &mark), -EINVAL);
	cr_assert_eq(dpsctp_init_ack_begin(&w, &init, &mark), -EINVAL);
	cr_assert_eq(dpsctp_heartbeat_begin(&w, &hb, &mark), -EINVAL);
	cr_assert_eq(dpsctp_heartbeat_ack_begin(&w, &hb, &mark), -EINVAL);
	cr_assert_eq(dpsctp_abort_begin(&w, &ab, &mark), -EINVAL);
	cr_assert_eq(dpsctp_error_begin(&w, &er, &mark), -EINVAL);
	cr_assert_eq(dpsctp_asconf_ack_begin(&w, &aa, &mark), -EINVAL);
	cr_assert_eq(dpsctp_reconf_begin(&w, &rc, &mark), -EINVAL);
	cr_assert_eq(w.len, 0);
}

/*
 * Fixed-shape control chunks.
 */

Test(chunk, shutdown_ecne_and_cwr_round_trip_their_tsn)
{
	static const uint32_t tsns[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff};
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct dpsctp_shutdown sd = {tsns[i]}, sd_out;
		struct dpsctp_ecn e = {tsns[i]}, e_out;
		struct dpsctp_chunk c;

		c = build_one(b_shutdown, &sd);
		cr_assert_eq(c.type, DPSCTP_CHUNK_SHUTDOWN);
		cr_assert_eq(c.len, 8);
		cr_assert_eq(dpsctp_shutdown_decode(&c, &sd_out), 0);
		cr_assert_eq(sd_out.cum_tsn, tsns[i]);
		c = build_one(b_ecne, &e);
		cr_assert_eq(c.type, DPSCTP_CHUNK_ECNE);
		cr_assert_eq(dpsctp_ecne_decode(&c, &e_out), 0);
		cr_assert_eq(e_out.lowest_tsn, tsns[i]);
		c = build_one(b_cwr, &e);
		cr_assert_eq(c.type, DPSCTP_CHUNK_CWR);
		cr_assert_eq(dpsctp_cwr_decode(&c, &e_out), 0);
		cr_assert_eq(e_out.lowest_tsn, tsns[i]);
		cr_assert_eq(dpsctp_get_be32(buf + 4), tsns[i]);
	}
}

Test(chunk, header_only_chunks_round_trip)
{
	struct dpsctp_chunk c;

	c = build_one(b_shutdown_ack, NULL);
	cr_assert_eq(c.type, DPSCTP_CHUNK_SHUTDOWN_ACK);
	cr_assert_eq(c.len, 4);
	cr_assert_eq(c.flags, 0);
	cr_assert_eq(dpsctp_shutdown_ack_decode(&c), 0);
	c = build_one(b_cookie_ack, NULL);
	cr_assert_eq(c.type, DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_eq(c.len, 4);
	cr_assert_eq(dpsctp_cookie_ack_decode(&c), 0);
}

Test(chunk, shutdown_complete_round_trips_the_t_bit)
{
	unsigned int t;

	for (t = 0; t < 2; t++) {
		struct dpsctp_shutdown_complete in = {t != 0}, out;
		struct dpsctp_chunk c = build_one(b_shutdown_complete, &in);
		const uint8_t want[] = {0x0e, (uint8_t)t, 0x00, 0x04};

		cr_assert(memcmp(buf, want, 4) == 0);
		cr_assert_eq(dpsctp_shutdown_complete_decode(&c, &out), 0);
		cr_assert_eq(out.t, t != 0);
	}
}

Test(chunk, cookie_echo_round_trips_empty_odd_and_largest_cookies)
{
	static const size_t lens[] = {0, 1, 2, 3, 4, 5, 7, 65531};
	unsigned int i;

	fill_pattern(src, 65531, 5);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct dpsctp_cookie_echo in = {src, lens[i]}, out;
		struct dpsctp_chunk c = build_one(b_cookie_echo, &in);

		cr_assert_eq(c.type, DPSCTP_CHUNK_COOKIE_ECHO);
		cr_assert_eq(c.len, 4 + lens[i]);
		cr_assert_eq(dpsctp_cookie_echo_decode(&c, &out), 0);
		cr_assert_eq(out.cookie_len, lens[i]);
		cr_assert_eq(out.cookie, buf + 4);
		cr_assert(memcmp(out.cookie, src, lens[i]) == 0);
	}
}

Test(chunk, auth_round_trips_a_given_hmac_and_zeroes_a_null_one)
{
	static const size_t lens[] = {0, 1, 3, 20, 32, 65527};
	unsigned int i;

	fill_pattern(src, 65527, 11);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct dpsctp_auth in = {0xabcd, DPSCTP_HMAC_SHA256, src, lens[i]};
		struct dpsctp_auth zin = {1, DPSCTP_HMAC_SHA1, NULL, lens[i]};
		struct dpsctp_auth out;
		struct dpsctp_chunk c = build_one(b_auth, &in);
		size_t j;

		cr_assert_eq(c.type, DPSCTP_CHUNK_AUTH);
		cr_assert_eq(c.len, 8 + lens[i]);
		cr_assert_eq(dpsctp_auth_decode(&c, &out), 0);
		cr_assert_eq(out.key_id, in.key_id);
		cr_assert_eq(out.hmac_id, in.hmac_id);
		cr_assert_eq(out.hmac_len, lens[i]);
		cr_assert_eq(out.hmac, buf + 8);
		cr_assert(memcmp(out.hmac, src, lens[i]) == 0);
		c = build_one(b_auth, &zin);
		cr_assert_eq(dpsctp_auth_decode(&c, &out), 0);
		cr_assert_eq(out.hmac_len, lens[i]);
		for (j = 0; j < lens[i]; j++)
			cr_assert_eq(out.hmac[j], 0, "HMAC byte %zu not zeroed", j);
	}
}

Test(chunk, auth_matches_rfc_4895_wire_layout)
{
	uint8_t want[40] = {0x0f, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x03};
	struct dpsctp_auth in = {1, DPSCTP_HMAC_SHA256, NULL, 32};

	build_one(b_auth, &in);
	cr_assert(memcmp(buf, want, sizeof(want)) == 0);
}

Test(chunk, pad_round_trips_its_padding_length)
{
	static const size_t lens[] = {0, 1, 2, 3, 4, 1000, 65531};
	unsigned int i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct dpsctp_pad in = {lens[i]}, out;
		struct dpsctp_chunk c = build_one(b_pad, &in);

		cr_assert_eq(c.type, DPSCTP_CHUNK_PAD);
		cr_assert_eq(c.len, 4 + lens[i]);
		cr_assert_eq(dpsctp_pad_decode(&c, &out), 0);
		cr_assert_eq(out.pad_len, lens[i]);
	}
}

/*
 * Every builder: -ENOSPC for every capacity below its size, from an empty buffer, after a
 * common header, and after an unpadded previous chunk; the buffer length is unchanged.
 */

Test(chunk, every_builder_fails_cleanly_with_enospc_for_every_smaller_capacity)
{
	static const size_t prefixes[] = {0, 12, 5};
	unsigned int s, k;

	for (s = 0; s < NSAMPLES; s++) {
		for (k = 0; k < 3; k++) {
			size_t prefix = prefixes[k];
			struct dpsctp_wbuf w;
			size_t needed, cap, i;
			int rc;

			memset(buf, 0x5a, sizeof(buf));
			dpsctp_wbuf_init(&w, buf, sizeof(buf));
			w.len = prefix;
			cr_assert_eq(samples[s].fn(&w, samples[s].arg), 0, "%s", samples[s].what);
			needed = w.len;
			cr_assert_eq(needed % 4, 0);
			for (cap = prefix; cap < needed; cap++) {
				memset(buf, 0x5a, prefix);
				dpsctp_wbuf_init(&w, buf, cap);
				w.len = prefix;
				rc = samples[s].fn(&w, samples[s].arg);
				cr_assert_eq(rc, -ENOSPC, "%s, prefix %zu, cap %zu: %d",
					samples[s].what, prefix, cap, rc);
				cr_assert_eq(w.len, prefix, "%s, prefix %zu, cap %zu: len %zu",
					samples[s].what, prefix, cap, w.len);
				for (i = 0; i < prefix; i++)
					cr_assert_eq(buf[i], 0x5a);
			}
			dpsctp_wbuf_init(&w, buf, needed);
			w.len = prefix;
			cr_assert_eq(samples[s].fn(&w, samples[s].arg), 0, "%s", samples[s].what);
			cr_assert_eq(w.len, needed);
		}
	}
}

Test(chunk, tlv_begins_leave_the_buffer_unchanged_when_they_do_not_fit)
{
	static const struct open_arg *const os[] = {
		&o_init,
		&o_init_ack,
		&o_hb,
		&o_hb_ack,
		&o_abort,
		&o_error,
		&o_asconf,
		&o_asconf_ack,
		&o_reconf,
	};
	unsigned int i;

	for (i = 0; i < sizeof(os) / sizeof(os[0]); i++) {
		struct dpsctp_wbuf w;
		size_t mark, needed, cap;

		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		w.len = 5;
		cr_assert_eq(os[i]->begin(&w, os[i]->in, &mark), 0);
		cr_assert_eq(mark, 8, "the chunk starts on a 4-byte boundary");
		needed = w.len;
		for (cap = 5; cap < needed; cap++) {
			dpsctp_wbuf_init(&w, buf, cap);
			w.len = 5;
			cr_assert_eq(os[i]->begin(&w, os[i]->in, &mark), -ENOSPC);
			cr_assert_eq(w.len, 5);
		}
	}
}

/*
 * -EMSGSIZE: a chunk longer than its 16-bit length field can say.
 */

Test(chunk, chunks_beyond_65535_bytes_fail_with_emsgsize_and_write_nothing)
{
	static struct dpsctp_gap_block gaps[16380];
	static uint32_t dups[16380];
	static struct dpsctp_fwd_stream fs[16382];
	static struct dpsctp_ifwd_stream ifs[8191];
	struct dpsctp_data d = {.payload = src, .payload_len = 65535 - 16 + 1};
	struct dpsctp_idata id = {.payload = src, .payload_len = 65535 - 20 + 1};
	struct sack_arg sg = {0, 0, gaps, 16380, NULL, 0};
	struct sack_arg sd = {0, 0, NULL, 0, dups, 16380};
	struct sack_arg sgd = {0, 0, gaps, 8190, dups, 8190};
	struct sack_arg sx = {0, 0, gaps, 0xffff, dups, 0xffff};
	struct fwd_arg f = {0, fs, NULL, 16382};
	struct fwd_arg fi = {0, NULL, ifs, 8191};
	struct dpsctp_cookie_echo ce = {src, 65532};
	struct dpsctp_auth au = {0, 0, NULL, 65528};
	struct dpsctp_pad pd = {65532};
	struct dpsctp_pad huge = {(size_t)-1};
	struct dpsctp_init in = {.params = src, .params_len = 65535 - 20 + 1};
	struct dpsctp_heartbeat hb = {src, 65532};
	struct dpsctp_asconf as = {0, DPSCTP_PARAM_IPV6, v6, src, 65535 - 28 + 1};
	struct open_arg oi = {g_init, &in, 0, NULL, 0};
	struct open_arg oh = {g_heartbeat, &hb, 0, NULL, 0};
	struct open_arg oa = {g_asconf, &as, 0, NULL, 0};
	const struct sample big[] = {
		{"DATA", 0, b_data, &d},
		{"I-DATA", 0, b_idata, &id},
		{"SACK gaps", 0, b_sack, &sg},
		{"SACK dups", 0, b_sack, &sd},
		{"SACK both", 0, b_sack, &sgd},
		{"SACK max counts", 0, b_sack, &sx},
		{"FORWARD-TSN", 0, b_fwd, &f},
		{"I-FORWARD-TSN", 0, b_ifwd, &fi},
		{"COOKIE ECHO", 0, b_cookie_echo, &ce},
		{"AUTH", 0, b_auth, &au},
		{"PAD", 0, b_pad, &pd},
		{"PAD SIZE_MAX", 0, b_pad, &huge},
		{"INIT", 0, b_open, &oi},
		{"HEARTBEAT", 0, b_open, &oh},
		{"ASCONF", 0, b_open, &oa},
	};
	unsigned int i;

	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		struct dpsctp_wbuf w;

		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		w.len = 12;
		cr_assert_eq(big[i].fn(&w, big[i].arg), -EMSGSIZE, "%s", big[i].what);
		cr_assert_eq(w.len, 12, "%s", big[i].what);
	}
}

Test(chunk, appending_past_65535_bytes_to_an_open_chunk_fails_at_chunk_end)
{
	struct dpsctp_init in = {.params = NULL, .params_len = 0};
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_init_begin(&w, &in, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&w, DPSCTP_PARAM_STATE_COOKIE, src, 65535 - 20 - 4), 0);
	cr_assert_eq(dpsctp_tlv_put(&w, DPSCTP_PARAM_ECN_CAPABLE, NULL, 0), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), -EMSGSIZE);
	dpsctp_wbuf_rewind(&w, mark);
	cr_assert_eq(w.len, 0);
}

/*
 * Malformed chunks, per chunk type: decoded from an exact-size heap copy so that any read past
 * the chunk trips AddressSanitizer.
 */

struct raw_case {
	const char *what;
	uint8_t type;
	uint8_t flags;
	size_t vlen;
	uint8_t v[48];
	int expect;
};

#define IPV4_ADDR 0x00, 0x05, 0x00, 0x08, 10, 0, 0, 1
#define IPV6_ADDR 0x00, 0x06, 0x00, 0x14, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define ZEROS16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define P8 0x80, 0x00, 0x00, 0x08, 1, 2, 3, 4 /* a well-formed 8-byte parameter */

static const struct raw_case raw_cases[] = {
	/* DATA, I-DATA: the fixed part */
	{"DATA value 0", DPSCTP_CHUNK_DATA, 3, 0, {0}, -EBADMSG},
	{"DATA value 11", DPSCTP_CHUNK_DATA, 3, 11, {0}, -EBADMSG},
	{"DATA without user data", DPSCTP_CHUNK_DATA, 3, 12, {0}, 0},
	{"DATA with 1 byte", DPSCTP_CHUNK_DATA, 3, 13, {0}, 0},
	{"I-DATA value 15", DPSCTP_CHUNK_I_DATA, 3, 15, {0}, -EBADMSG},
	{"I-DATA without user data", DPSCTP_CHUNK_I_DATA, 3, 16, {0}, 0},
	/* INIT, INIT ACK: fixed part and parameter region */
	{"INIT value 15", DPSCTP_CHUNK_INIT, 0, 15, {0}, -EBADMSG},
	{"INIT value 0", DPSCTP_CHUNK_INIT, 0, 0, {0}, -EBADMSG},
	{"INIT no params", DPSCTP_CHUNK_INIT, 0, 16, {0}, 0},
	{"INIT zero-length param", DPSCTP_CHUNK_INIT, 0, 20, {ZEROS16, 0x00, 0x07, 0x00, 0x00},
		-EBADMSG},
	{"INIT param length 3", DPSCTP_CHUNK_INIT, 0, 20, {ZEROS16, 0x00, 0x07, 0x00, 0x03},
		-EBADMSG},
	{"INIT param past the chunk", DPSCTP_CHUNK_INIT, 0, 24,
		{ZEROS16, 0x00, 0x07, 0x00, 0x0c, 1, 2, 3, 4}, -EBADMSG},
	{"INIT 1 trailing byte", DPSCTP_CHUNK_INIT, 0, 25, {ZEROS16, P8, 0}, -EBADMSG},
	{"INIT 2 trailing bytes", DPSCTP_CHUNK_INIT, 0, 26, {ZEROS16, P8, 0, 0}, -EBADMSG},
	{"INIT 3 trailing bytes", DPSCTP_CHUNK_INIT, 0, 27, {ZEROS16, P8, 0, 0, 0}, -EBADMSG},
	{"INIT last param unpadded", DPSCTP_CHUNK_INIT, 0, 29,
		{ZEROS16, P8, 0x00, 0x07, 0x00, 0x05, 'x'}, 0},
	{"INIT ACK value 15", DPSCTP_CHUNK_INIT_ACK, 0, 15, {0}, -EBADMSG},
	{"INIT ACK zero-length param", DPSCTP_CHUNK_INIT_ACK, 0, 28,
		{ZEROS16, P8, 0x00, 0x07, 0x00, 0x00}, -EBADMSG},
	{"INIT ACK 2 trailing bytes", DPSCTP_CHUNK_INIT_ACK, 0, 18, {ZEROS16, 0, 0}, -EBADMSG},
	/* SACK: counts against the length */
	{"SACK value 11", DPSCTP_CHUNK_SACK, 0, 11, {0}, -EBADMSG},
	{"SACK one gap, no bytes", DPSCTP_CHUNK_SACK, 0, 12,
		{0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x00, 0x00}, -EBADMSG},
	{"SACK one dup, no bytes", DPSCTP_CHUNK_SACK, 0, 12,
		{0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x01}, -EBADMSG},
	{"SACK gap + dup, 7 bytes", DPSCTP_CHUNK_SACK, 0, 19,
		{0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x00, 0x01, 0, 1, 0, 1, 0, 0, 0}, -EBADMSG},
	{"SACK 65535 gaps", DPSCTP_CHUNK_SACK, 0, 16,
		{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x00, 0x00, 0, 1, 0, 1}, -EBADMSG},
	{"SACK extra bytes tolerated", DPSCTP_CHUNK_SACK, 0, 19,
		{0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x00, 0x00, 0, 1, 0, 1, 9, 9, 9}, 0},
	/* FORWARD-TSN, I-FORWARD-TSN: entries fill the value exactly */
	{"FORWARD-TSN value 3", DPSCTP_CHUNK_FORWARD_TSN, 0, 3, {0}, -EBADMSG},
	{"FORWARD-TSN no entries", DPSCTP_CHUNK_FORWARD_TSN, 0, 4, {0}, 0},
	{"FORWARD-TSN half an entry", DPSCTP_CHUNK_FORWARD_TSN, 0, 6, {0}, -EBADMSG},
	{"FORWARD-TSN 1 entry + 1 byte", DPSCTP_CHUNK_FORWARD_TSN, 0, 9, {0}, -EBADMSG},
	{"FORWARD-TSN 2 entries", DPSCTP_CHUNK_FORWARD_TSN, 0, 12, {0}, 0},
	{"I-FORWARD-TSN value 3", DPSCTP_CHUNK_I_FORWARD_TSN, 0, 3, {0}, -EBADMSG},
	{"I-FORWARD-TSN no entries", DPSCTP_CHUNK_I_FORWARD_TSN, 0, 4, {0}, 0},
	{"I-FORWARD-TSN half an entry", DPSCTP_CHUNK_I_FORWARD_TSN, 0, 8, {0}, -EBADMSG},
	{"I-FORWARD-TSN 1 entry + 3", DPSCTP_CHUNK_I_FORWARD_TSN, 0, 15, {0}, -EBADMSG},
	{"I-FORWARD-TSN 1 entry", DPSCTP_CHUNK_I_FORWARD_TSN, 0, 12, {0}, 0},
	/* HEARTBEAT, HEARTBEAT ACK, ABORT, ERROR: the TLV region */
	{"HEARTBEAT empty", DPSCTP_CHUNK_HEARTBEAT, 0, 0, {0}, 0},
	{"HEARTBEAT zero-length param", DPSCTP_CHUNK_HEARTBEAT, 0, 4, {0, 1, 0, 0}, -EBADMSG},
	{"HEARTBEAT param past the chunk", DPSCTP_CHUNK_HEARTBEAT, 0, 8, {0, 1, 0, 9, 1, 2, 3, 4},
		-EBADMSG},
	{"HEARTBEAT 3 trailing bytes", DPSCTP_CHUNK_HEARTBEAT, 0, 11, {P8, 0, 0, 0}, -EBADMSG},
	{"HEARTBEAT 1 byte", DPSCTP_CHUNK_HEARTBEAT, 0, 1, {0}, -EBADMSG},
	{"HEARTBEAT ACK zero-length param", DPSCTP_CHUNK_HEARTBEAT_ACK, 0, 12, {P8, 0, 1, 0, 0},
		-EBADMSG},
	{"HEARTBEAT ACK 2 trailing bytes", DPSCTP_CHUNK_HEARTBEAT_ACK, 0, 10, {P8, 0, 0}, -EBADMSG},
	{"ABORT empty", DPSCTP_CHUNK_ABORT, 1, 0, {0}, 0},
	{"ABORT zero-length cause", DPSCTP_CHUNK_ABORT, 0, 4, {0, 12, 0, 0}, -EBADMSG},
	{"ABORT cause past the chunk", DPSCTP_CHUNK_ABORT, 0, 8, {0, 12, 0, 0x20, 1, 2, 3, 4},
		-EBADMSG},
	{"ABORT 1 trailing byte", DPSCTP_CHUNK_ABORT, 0, 9, {P8, 0}, -EBADMSG},
	{"ERROR empty", DPSCTP_CHUNK_ERROR, 0, 0, {0}, 0},
	{"ERROR cause length 2", DPSCTP_CHUNK_ERROR, 0, 4, {0, 1, 0, 2}, -EBADMSG},
	{"ERROR cause past the chunk", DPSCTP_CHUNK_ERROR, 0, 12, {P8, 0, 1, 0, 5}, -EBADMSG},
	{"ERROR 2 trailing bytes", DPSCTP_CHUNK_ERROR, 0, 2, {0, 1}, -EBADMSG},
	/* fixed-size chunks: short is malformed, extra bytes are tolerated */
	{"SHUTDOWN value 0", DPSCTP_CHUNK_SHUTDOWN, 0, 0, {0}, -EBADMSG},
	{"SHUTDOWN value 3", DPSCTP_CHUNK_SHUTDOWN, 0, 3, {0}, -EBADMSG},
	{"SHUTDOWN value 4", DPSCTP_CHUNK_SHUTDOWN, 0, 4, {0}, 0},
	{"SHUTDOWN extra bytes tolerated", DPSCTP_CHUNK_SHUTDOWN, 0, 9, {0}, 0},
	{"ECNE value 3", DPSCTP_CHUNK_ECNE, 0, 3, {0}, -EBADMSG},
	{"ECNE extra bytes tolerated", DPSCTP_CHUNK_ECNE, 0, 6, {0}, 0},
	{"CWR value 2", DPSCTP_CHUNK_CWR, 0, 2, {0}, -EBADMSG},
	{"CWR extra bytes tolerated", DPSCTP_CHUNK_CWR, 0, 8, {0}, 0},
	{"SHUTDOWN ACK extra tolerated", DPSCTP_CHUNK_SHUTDOWN_ACK, 0, 3, {0}, 0},
	{"COOKIE ACK extra tolerated", DPSCTP_CHUNK_COOKIE_ACK, 0, 4, {0}, 0},
	{"SHUTDOWN COMPLETE extra tolerated", DPSCTP_CHUNK_SHUTDOWN_COMPLETE, 1, 1, {0}, 0},
	{"COOKIE ECHO empty cookie", DPSCTP_CHUNK_COOKIE_ECHO, 0, 0, {0}, 0},
	{"AUTH value 3", DPSCTP_CHUNK_AUTH, 0, 3, {0}, -EBADMSG},
	{"AUTH empty HMAC", DPSCTP_CHUNK_AUTH, 0, 4, {0}, 0},
	{"PAD empty", DPSCTP_CHUNK_PAD, 0, 0, {0}, 0},
	/* ASCONF: serial, then an address parameter, then a region */
	{"ASCONF value 0", DPSCTP_CHUNK_ASCONF, 0, 0, {0}, -EBADMSG},
	{"ASCONF serial only", DPSCTP_CHUNK_ASCONF, 0, 4, {0}, -EBADMSG},
	{"ASCONF address cut", DPSCTP_CHUNK_ASCONF, 0, 11, {0, 0, 0, 1, IPV4_ADDR}, -EBADMSG},
	{"ASCONF IPv4", DPSCTP_CHUNK_ASCONF, 0, 12, {0, 0, 0, 1, IPV4_ADDR}, 0},
	{"ASCONF IPv6", DPSCTP_CHUNK_ASCONF, 0, 24, {0, 0, 0, 1, IPV6_ADDR}, 0},
	{"ASCONF IPv6 cut", DPSCTP_CHUNK_ASCONF, 0, 16, {0, 0, 0, 1, IPV6_ADDR}, -EBADMSG},
	{"ASCONF IPv4 type, length 20", DPSCTP_CHUNK_ASCONF, 0, 24,
		{0, 0, 0, 1, 0x00, 0x05, 0x00, 0x14, ZEROS16}, -EBADMSG},
	{"ASCONF IPv6 type, length 8", DPSCTP_CHUNK_ASCONF, 0, 12,
		{0, 0, 0, 1, 0x00, 0x06, 0x00, 0x08, 1, 2, 3, 4}, -EBADMSG},
	{"ASCONF not an address first", DPSCTP_CHUNK_ASCONF, 0, 20,
		{0, 0, 0, 1, 0xc0, 0x01, 0x00, 0x08, 0, 0, 0, 7, IPV4_ADDR}, -EBADMSG},
	{"ASCONF zero-length address", DPSCTP_CHUNK_ASCONF, 0, 12,
		{0, 0, 0, 1, 0x00, 0x05, 0x00, 0x00, 1, 2, 3, 4}, -EBADMSG},
	{"ASCONF IPv4 + param", DPSCTP_CHUNK_ASCONF, 0, 20, {0, 0, 0, 1, IPV4_ADDR, P8}, 0},
	{"ASCONF zero-length param", DPSCTP_CHUNK_ASCONF, 0, 16,
		{0, 0, 0, 1, IPV4_ADDR, 0xc0, 0x01, 0x00, 0x00}, -EBADMSG},
	{"ASCONF param past the chunk", DPSCTP_CHUNK_ASCONF, 0, 20,
		{0, 0, 0, 1, IPV4_ADDR, 0xc0, 0x01, 0x00, 0x10, 0, 0, 0, 7}, -EBADMSG},
	{"ASCONF 1 trailing byte", DPSCTP_CHUNK_ASCONF, 0, 13, {0, 0, 0, 1, IPV4_ADDR, 0},
		-EBADMSG},
	/* ASCONF-ACK, RE-CONFIG */
	{"ASCONF-ACK value 3", DPSCTP_CHUNK_ASCONF_ACK, 0, 3, {0}, -EBADMSG},
	{"ASCONF-ACK no params", DPSCTP_CHUNK_ASCONF_ACK, 0, 4, {0}, 0},
	{"ASCONF-ACK zero-length param", DPSCTP_CHUNK_ASCONF_ACK, 0, 8, {0, 0, 0, 1, 0, 0, 0, 0},
		-EBADMSG},
	{"ASCONF-ACK 3 trailing bytes", DPSCTP_CHUNK_ASCONF_ACK, 0, 15, {0, 0, 0, 1, P8, 0, 0, 0},
		-EBADMSG},
	{"RE-CONFIG no params", DPSCTP_CHUNK_RECONF, 0, 0, {0}, -EBADMSG},
	{"RE-CONFIG one param", DPSCTP_CHUNK_RECONF, 0, 8, {P8}, 0},
	{"RE-CONFIG two params", DPSCTP_CHUNK_RECONF, 0, 16, {P8, P8}, 0},
	{"RE-CONFIG three params", DPSCTP_CHUNK_RECONF, 0, 24, {P8, P8, P8}, -EBADMSG},
	{"RE-CONFIG zero-length param", DPSCTP_CHUNK_RECONF, 0, 12, {P8, 0, 13, 0, 0}, -EBADMSG},
	{"RE-CONFIG param past the chunk", DPSCTP_CHUNK_RECONF, 0, 8, {0, 13, 0, 16, 0, 0, 0, 1},
		-EBADMSG},
	{"RE-CONFIG 2 trailing bytes", DPSCTP_CHUNK_RECONF, 0, 10, {P8, 0, 0}, -EBADMSG},
};

Test(chunk, malformed_chunks_fail_with_ebadmsg_and_tolerated_ones_decode)
{
	unsigned int i;

	for (i = 0; i < sizeof(raw_cases) / sizeof(raw_cases[0]); i++) {
		const struct raw_case *rc = &raw_cases[i];
		size_t len = 4 + rc->vlen;
		uint8_t *mem = malloc(len);
		const uint8_t *p = mem;
		struct dpsctp_chunk c;
		union dpsctp_chunk_view u, before;
		int got;

		cr_assert_not_null(mem);
		cr_assert(rc->vlen <= sizeof(rc->v));
		mem[0] = rc->type;
		mem[1] = rc->flags;
		dpsctp_put_be16(mem + 2, (uint16_t)len);
		memcpy(mem + 4, rc->v, rc->vlen);
		cr_assert_eq(dpsctp_chunk_next(&p, mem + len, &c), 1, "%s", rc->what);
		memset(&u, 0x6b, sizeof(u));
		before = u;
		got = decode_as(rc->type, &c, &u);
		cr_assert_eq(got, rc->expect, "%s: got %d, want %d", rc->what, got, rc->expect);
		if (got != 0)
			cr_assert(memcmp(&u, &before, sizeof(u)) == 0,
				"%s: output written on error", rc->what);
		free(mem);
	}
}

Test(chunk, every_truncation_of_a_valid_chunk_is_decoded_or_rejected_without_overread)
{
	unsigned int s;

	for (s = 0; s < NSAMPLES; s++) {
		struct dpsctp_chunk full = build_one(samples[s].fn, samples[s].arg);
		size_t l;

		for (l = 4; l <= full.len; l++) {
			uint8_t *mem = malloc(l);
			const uint8_t *p = mem;
			struct dpsctp_chunk c;
			union dpsctp_chunk_view u;
			int got;

			cr_assert_not_null(mem);
			memcpy(mem, buf, l);
			dpsctp_put_be16(mem + 2, (uint16_t)l);
			cr_assert_eq(dpsctp_chunk_next(&p, mem + l, &c), 1);
			got = decode_as(samples[s].type, &c, &u);
			cr_assert(got == 0 || got == -EBADMSG, "%s cut to %zu: %d", samples[s].what,
				l, got);
			if (l == full.len)
				cr_assert_eq(got, 0, "%s", samples[s].what);
			free(mem);
		}
	}
}

/* Found by the packet fuzzer (tests/fuzz/crashers/packet/idata-reserved-bits-not-kept): the
 * reserved 16 bits of I-DATA were dropped, so a received chunk did not re-encode intact. */
Test(chunk, idata_reserved_bits_are_kept_and_rebuilt)
{
	static const uint8_t pkt[] = {0x40, 0x02, 0x00, 0x14, 0, 0, 0, 9, 0, 3, 0x3e, 0x3e,
		0, 0, 0, 5, 0, 0, 0, 0x3c};
	const uint8_t *p = pkt;
	struct dpsctp_chunk c;
	struct dpsctp_idata d;
	struct dpsctp_wbuf w;
	uint8_t out[32];

	cr_assert_eq(dpsctp_chunk_next(&p, pkt + sizeof(pkt), &c), 1);
	cr_assert_eq(dpsctp_idata_decode(&c, &d), 0);
	cr_assert_eq(d.reserved, 0x3e3e);
	dpsctp_wbuf_init(&w, out, sizeof(out));
	cr_assert_eq(dpsctp_idata_build(&w, &d), 0);
	cr_assert_eq(w.len, sizeof(pkt));
	cr_assert_arr_eq(out, pkt, sizeof(pkt));
}

Test(chunk, decode_dispatches_every_known_type_and_refuses_unknown_ones)
{
	uint8_t zeros[64] = {0};
	union dpsctp_chunk_view v;
	struct dpsctp_chunk c;
	unsigned int t;

	for (t = 0; t < 256; t++) {
		/* A zero-filled value of 60 bytes is well formed for every fixed part except
		 * ASCONF's (it needs an address parameter) and RE-CONFIG's (one or two params). */
		c = (struct dpsctp_chunk){.type = (uint8_t)t, .flags = 0, .len = 64, .value = zeros + 4};
		if (!dpsctp_chunk_type_known((uint8_t)t)) {
			cr_assert_eq(dpsctp_chunk_decode(&c, &v), -ENOENT, "type %u", t);
			continue;
		}
		if (t == DPSCTP_CHUNK_ASCONF || t == DPSCTP_CHUNK_RECONF || t == DPSCTP_CHUNK_INIT ||
			t == DPSCTP_CHUNK_INIT_ACK || t == DPSCTP_CHUNK_HEARTBEAT ||
			t == DPSCTP_CHUNK_HEARTBEAT_ACK || t == DPSCTP_CHUNK_ABORT ||
			t == DPSCTP_CHUNK_ERROR || t == DPSCTP_CHUNK_ASCONF_ACK)
			cr_assert_eq(dpsctp_chunk_decode(&c, &v), -EBADMSG, "type %u", t);
		else
			cr_assert_eq(dpsctp_chunk_decode(&c, &v), 0, "type %u", t);
	}
}
