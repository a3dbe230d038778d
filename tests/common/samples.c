/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample packets holding every chunk, parameter and error cause (see samples.h). */

#include <errno.h>
#include <string.h>

#include "cause.h"
#include "chunk.h"
#include "crc32c_ref.h"
#include "packet.h"
#include "param.h"
#include "samples.h"
#include "wire.h"

#define SPORT 36412 /* S1AP */
#define DPORT 2905  /* M3UA */
#define VTAG 0x1e2d3c4bu

/* Addresses from 198.18.0.0/15 (RFC 2544 benchmarking) and 2001:db8::/32 (documentation). */
static const struct dpsctp_addr v4a = {4, {198, 18, 0, 1}};
static const struct dpsctp_addr v4b = {4, {198, 19, 255, 254}};
static const struct dpsctp_addr v6a = {
	6, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

static const uint8_t random32[32] = {0x5a, 0x0f, 0x33, 0xc4, 0x12, 0x99, 0xab, 0x01, 0x7e, 0x66,
	0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0,
	0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x61};

#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_ != 0)       \
			return rc_; \
	} while (0)

static int
put_param(struct dpsctp_wbuf *w, const struct dpsctp_param *p)
{
	return dpsctp_param_build(w, p);
}

static int
put_cause(struct dpsctp_wbuf *w, const struct dpsctp_cause *c)
{
	return dpsctp_cause_build(w, c);
}

static int
put_addr(struct dpsctp_wbuf *w, uint16_t type, const struct dpsctp_addr *a)
{
	struct dpsctp_param p = {.type = type, .u.addr = *a};

	return put_param(w, &p);
}

static int
put_raw(struct dpsctp_wbuf *w, uint16_t type, const void *data, size_t len)
{
	struct dpsctp_param p = {.type = type, .u.raw = {data, len}};

	return put_param(w, &p);
}

static int
put_u32(struct dpsctp_wbuf *w, uint16_t type, uint32_t v)
{
	struct dpsctp_param p = {.type = type, .u.u32 = v};

	return put_param(w, &p);
}

static int
put_list(struct dpsctp_wbuf *w, uint16_t type, const uint8_t *wire, size_t n)
{
	struct dpsctp_param p = {.type = type, .u.list = {wire, n}};

	return put_param(w, &p);
}

static int
put_empty(struct dpsctp_wbuf *w, uint16_t type)
{
	return put_raw(w, type, NULL, 0);
}

/* Every parameter an INIT carries, in the order Linux and FreeBSD put them. */
static int
s_init_all_params(struct dpsctp_wbuf *w)
{
	static const uint8_t addr_types[] = {0, DPSCTP_PARAM_IPV4, 0, DPSCTP_PARAM_IPV6};
	static const uint8_t exts[] = {DPSCTP_CHUNK_FORWARD_TSN, DPSCTP_CHUNK_ASCONF,
		DPSCTP_CHUNK_ASCONF_ACK, DPSCTP_CHUNK_RECONF, DPSCTP_CHUNK_AUTH,
		DPSCTP_CHUNK_I_DATA, DPSCTP_CHUNK_I_FORWARD_TSN, DPSCTP_CHUNK_PAD};
	static const uint8_t chunks[] = {DPSCTP_CHUNK_ASCONF, DPSCTP_CHUNK_ASCONF_ACK};
	static const uint8_t hmacs[] = {0, DPSCTP_HMAC_SHA256, 0, DPSCTP_HMAC_SHA1};
	struct dpsctp_init in = {.init_tag = 0x0badcafe,
		.a_rwnd = 106496,
		.os = 10,
		.mis = 65535,
		.initial_tsn = 0xfffffff0};
	size_t mark;

	TRY(dpsctp_init_begin(w, &in, &mark));
	TRY(put_addr(w, DPSCTP_PARAM_IPV4, &v4a));
	TRY(put_addr(w, DPSCTP_PARAM_IPV4, &v4b));
	TRY(put_addr(w, DPSCTP_PARAM_IPV6, &v6a));
	TRY(put_u32(w, DPSCTP_PARAM_COOKIE_PRESERVATIVE, 2000));
	TRY(put_list(w, DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, addr_types, 2));
	TRY(put_empty(w, DPSCTP_PARAM_ECN_CAPABLE));
	TRY(put_empty(w, DPSCTP_PARAM_FORWARD_TSN_SUPPORTED));
	TRY(put_list(w, DPSCTP_PARAM_SUPPORTED_EXT, exts, sizeof(exts)));
	TRY(put_raw(w, DPSCTP_PARAM_RANDOM, random32, sizeof(random32)));
	TRY(put_list(w, DPSCTP_PARAM_CHUNK_LIST, chunks, sizeof(chunks)));
	TRY(put_list(w, DPSCTP_PARAM_HMAC_ALGO, hmacs, 2));
	TRY(put_u32(w, DPSCTP_PARAM_ADAPTATION_LAYER, 0x01020304));
	TRY(put_u32(w, DPSCTP_PARAM_ZERO_CHECKSUM, DPSCTP_EDMID_LOWER_LAYER_DTLS));
	TRY(put_raw(w, DPSCTP_PARAM_PADDING, NULL, 0));
	return dpsctp_chunk_end(w, mark);
}

static int
s_init_host_name(struct dpsctp_wbuf *w)
{
	static const char host[] = "sgw1.example.net";
	static const uint8_t addr_types[] = {0, DPSCTP_PARAM_HOST_NAME};
	struct dpsctp_init in = {
		.init_tag = 1, .a_rwnd = 65536, .os = 1, .mis = 1, .initial_tsn = 7};
	size_t mark;

	TRY(dpsctp_init_begin(w, &in, &mark));
	TRY(put_raw(w, DPSCTP_PARAM_HOST_NAME, host, sizeof(host)));
	TRY(put_list(w, DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, addr_types, 1));
	return dpsctp_chunk_end(w, mark);
}

static int
s_init_ack_cookie(struct dpsctp_wbuf *w)
{
	static const uint8_t cookie[45] = {0x01, 0x02, 0x03, 0xc0, 0x0c, 0x1e};
	static const uint8_t unknown_param[] = {0x80, 0x77, 0x00, 0x06, 0xde, 0xad};
	static const uint8_t exts[] = {DPSCTP_CHUNK_FORWARD_TSN, DPSCTP_CHUNK_RECONF};
	struct dpsctp_init in = {
		.init_tag = 0x5eed5eed, .a_rwnd = 1048576, .os = 16, .mis = 16, .initial_tsn = 1};
	size_t mark;

	TRY(dpsctp_init_ack_begin(w, &in, &mark));
	TRY(put_raw(w, DPSCTP_PARAM_STATE_COOKIE, cookie, sizeof(cookie)));
	TRY(put_addr(w, DPSCTP_PARAM_IPV6, &v6a));
	TRY(put_raw(w, DPSCTP_PARAM_UNRECOGNIZED, unknown_param, sizeof(unknown_param)));
	TRY(put_list(w, DPSCTP_PARAM_SUPPORTED_EXT, exts, sizeof(exts)));
	return dpsctp_chunk_end(w, mark);
}

static int
s_cookie_echo_data(struct dpsctp_wbuf *w)
{
	static const uint8_t cookie[45] = {0x01, 0x02, 0x03, 0xc0, 0x0c, 0x1e};
	static const char msg[] = "M3UA ASPUP";
	struct dpsctp_cookie_echo ce = {cookie, sizeof(cookie)};
	struct dpsctp_data d = {.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E,
		.tsn = 1,
		.sid = 0,
		.ssn = 0,
		.payload = (const uint8_t *)msg,
		.payload_len = sizeof(msg) - 1};

	d.ppid = 0;
	memcpy(&d.ppid, "\x00\x00\x00\x03", 4); /* M3UA */
	TRY(dpsctp_cookie_echo_build(w, &ce));
	return dpsctp_data_build(w, &d);
}

static int
s_cookie_ack(struct dpsctp_wbuf *w)
{
	return dpsctp_cookie_ack_build(w);
}

/* A fragmented message (B, middle, E) plus an unordered SACK-IMMEDIATELY one. */
static int
s_data_fragments(struct dpsctp_wbuf *w)
{
	static const uint8_t payload[301] = {0x45, 0x00, 0x01};
	static const uint8_t flags[] = {DPSCTP_DATA_FLAG_B, 0, DPSCTP_DATA_FLAG_E,
		DPSCTP_DATA_FLAG_U | DPSCTP_DATA_FLAG_I | DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E};
	static const size_t lens[] = {100, 100, 101, 7};
	struct dpsctp_data d;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		memset(&d, 0, sizeof(d));
		d.flags = flags[i];
		d.tsn = 0xfffffffe + i; /* across the 32-bit wrap */
		d.sid = i == 3 ? 7 : 1;
		d.ssn = i == 3 ? 0 : 65535;
		memcpy(&d.ppid, "\x00\x00\x00\x12", 4); /* S1AP */
		d.payload = payload;
		d.payload_len = lens[i];
		TRY(dpsctp_data_build(w, &d));
	}
	return 0;
}

static int
s_idata(struct dpsctp_wbuf *w)
{
	static const uint8_t payload[33] = {0x20, 0x15};
	struct dpsctp_idata first = {.flags = DPSCTP_DATA_FLAG_B,
		.tsn = 10,
		.sid = 3,
		.mid = 5,
		.payload = payload,
		.payload_len = 32};
	struct dpsctp_idata last = {.flags = DPSCTP_DATA_FLAG_E,
		.tsn = 11,
		.sid = 3,
		.mid = 5,
		.fsn = 1,
		.payload = payload,
		.payload_len = 33};

	memcpy(&first.ppid, "\x00\x00\x00\x3c", 4); /* NGAP */
	TRY(dpsctp_idata_build(w, &first));
	return dpsctp_idata_build(w, &last);
}

static int
s_sack_gaps_dups(struct dpsctp_wbuf *w)
{
	static const struct dpsctp_gap_block gaps[] = {{2, 3}, {5, 9}, {12, 12}};
	static const uint32_t dups[] = {1000, 998};

	return dpsctp_sack_build(w, 1000, 65000, gaps, 3, dups, 2);
}

static int
s_heartbeat(struct dpsctp_wbuf *w)
{
	static const uint8_t info[20] = {0x01, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef};
	struct dpsctp_heartbeat hb = {0};
	size_t mark;

	TRY(dpsctp_heartbeat_begin(w, &hb, &mark));
	TRY(put_raw(w, DPSCTP_PARAM_HEARTBEAT_INFO, info, sizeof(info)));
	return dpsctp_chunk_end(w, mark);
}

static int
s_heartbeat_ack(struct dpsctp_wbuf *w)
{
	static const uint8_t info[21] = {0x02};
	struct dpsctp_heartbeat hb = {0};
	size_t mark;

	TRY(dpsctp_heartbeat_ack_begin(w, &hb, &mark));
	TRY(put_raw(w, DPSCTP_PARAM_HEARTBEAT_INFO, info, sizeof(info)));
	return dpsctp_chunk_end(w, mark);
}

static int
s_abort_user(struct dpsctp_wbuf *w)
{
	static const char reason[] = "operator: link maintenance";
	static const char violation[] = "TSN beyond window";
	struct dpsctp_abort ab = {.t = true};
	struct dpsctp_cause c;
	size_t mark;

	TRY(dpsctp_abort_begin(w, &ab, &mark));
	c = (struct dpsctp_cause){.code = DPSCTP_CAUSE_USER_ABORT,
		.u.raw = {(const uint8_t *)reason, sizeof(reason) - 1}};
	TRY(put_cause(w, &c));
	c = (struct dpsctp_cause){.code = DPSCTP_CAUSE_PROTOCOL_VIOLATION,
		.u.raw = {(const uint8_t *)violation, sizeof(violation) - 1}};
	TRY(put_cause(w, &c));
	return dpsctp_chunk_end(w, mark);
}

static int
s_shutdown(struct dpsctp_wbuf *w)
{
	struct dpsctp_shutdown s = {.cum_tsn = 4242};

	return dpsctp_shutdown_build(w, &s);
}

static int
s_shutdown_ack(struct dpsctp_wbuf *w)
{
	return dpsctp_shutdown_ack_build(w);
}

static int
s_shutdown_complete(struct dpsctp_wbuf *w)
{
	struct dpsctp_shutdown_complete sc = {.t = true};

	return dpsctp_shutdown_complete_build(w, &sc);
}

/* RFC 9260 3.3.10 causes 1..13. */
static int
s_error_rfc9260_causes(struct dpsctp_wbuf *w)
{
	static const uint8_t missing[] = {0, DPSCTP_PARAM_STATE_COOKIE, 0x80, 0x02};
	static const uint8_t unres[] = {0, DPSCTP_PARAM_HOST_NAME, 0, 8, 'h', 'o', 's', 't'};
	static const uint8_t unrec_chunk[] = {0x3f, 0x00, 0x00, 0x06, 0xaa, 0xbb, 0x00, 0x00};
	static const uint8_t unrec_params[] = {0x80, 0x99, 0x00, 0x04};
	static const uint8_t new_addrs[] = {0, DPSCTP_PARAM_IPV4, 0, 8, 198, 18, 0, 9};
	struct dpsctp_error e = {0};
	struct dpsctp_cause c[13];
	size_t mark;
	unsigned int i;

	memset(c, 0, sizeof(c));
	c[0].code = DPSCTP_CAUSE_INVALID_STREAM;
	c[0].u.invalid_stream.stream = 77;
	c[1].code = DPSCTP_CAUSE_MISSING_PARAM;
	c[1].u.missing = (struct dpsctp_list){missing, 2};
	c[2].code = DPSCTP_CAUSE_STALE_COOKIE;
	c[2].u.u32 = 1500000;
	c[3].code = DPSCTP_CAUSE_OUT_OF_RESOURCE;
	c[4].code = DPSCTP_CAUSE_UNRESOLVABLE_ADDR;
	c[4].u.raw = (struct dpsctp_bytes){unres, sizeof(unres)};
	c[5].code = DPSCTP_CAUSE_UNRECOGNIZED_CHUNK;
	c[5].u.raw = (struct dpsctp_bytes){unrec_chunk, sizeof(unrec_chunk)};
	c[6].code = DPSCTP_CAUSE_INVALID_MANDATORY_PARAM;
	c[7].code = DPSCTP_CAUSE_UNRECOGNIZED_PARAMS;
	c[7].u.raw = (struct dpsctp_bytes){unrec_params, sizeof(unrec_params)};
	c[8].code = DPSCTP_CAUSE_NO_USER_DATA;
	c[8].u.u32 = 31337;
	c[9].code = DPSCTP_CAUSE_COOKIE_IN_SHUTDOWN;
	c[10].code = DPSCTP_CAUSE_RESTART_NEW_ADDRS;
	c[10].u.raw = (struct dpsctp_bytes){new_addrs, sizeof(new_addrs)};
	c[11].code = DPSCTP_CAUSE_USER_ABORT;
	c[11].u.raw = (struct dpsctp_bytes){(const uint8_t *)"bye", 3};
	c[12].code = DPSCTP_CAUSE_PROTOCOL_VIOLATION;
	c[12].u.raw = (struct dpsctp_bytes){(const uint8_t *)"x", 1};
	TRY(dpsctp_error_begin(w, &e, &mark));
	for (i = 0; i < 13; i++)
		TRY(put_cause(w, &c[i]));
	return dpsctp_chunk_end(w, mark);
}

/* RFC 5061 and RFC 4895 causes. */
static int
s_error_ext_causes(struct dpsctp_wbuf *w)
{
	static const uint8_t del_ip[] = {
		0xc0, 0x02, 0x00, 0x10, 0, 0, 0, 1, 0, 5, 0, 8, 198, 18, 0, 1};
	static const uint16_t codes[] = {DPSCTP_CAUSE_DELETE_LAST_ADDR,
		DPSCTP_CAUSE_RESOURCE_SHORTAGE, DPSCTP_CAUSE_DELETE_SOURCE_ADDR,
		DPSCTP_CAUSE_NO_AUTHORIZATION};
	struct dpsctp_error e = {0};
	struct dpsctp_cause c;
	size_t mark;
	unsigned int i;

	TRY(dpsctp_error_begin(w, &e, &mark));
	for (i = 0; i < 4; i++) {
		c = (struct dpsctp_cause){.code = codes[i], .u.raw = {del_ip, sizeof(del_ip)}};
		TRY(put_cause(w, &c));
	}
	c = (struct dpsctp_cause){.code = DPSCTP_CAUSE_ILLEGAL_ASCONF_ACK};
	TRY(put_cause(w, &c));
	c = (struct dpsctp_cause){.code = DPSCTP_CAUSE_UNSUPPORTED_HMAC, .u.hmac_id = 2};
	TRY(put_cause(w, &c));
	return dpsctp_chunk_end(w, mark);
}

static int
s_ecne_cwr(struct dpsctp_wbuf *w)
{
	struct dpsctp_ecn e = {.lowest_tsn = 5000};

	TRY(dpsctp_ecne_build(w, &e));
	return dpsctp_cwr_build(w, &e);
}

static int
s_forward_tsn(struct dpsctp_wbuf *w)
{
	static const struct dpsctp_fwd_stream s[] = {{1, 10}, {4, 65535}};

	return dpsctp_forward_tsn_build(w, 900, s, 2);
}

static int
s_iforward_tsn(struct dpsctp_wbuf *w)
{
	static const struct dpsctp_ifwd_stream s[] = {{1, 0, 10}, {2, DPSCTP_IFWD_FLAG_U, 3}};

	return dpsctp_iforward_tsn_build(w, 901, s, 2);
}

/* RFC 5061 4.1.1: ASCONF is sent authenticated; AUTH comes first in the packet. */
static int
s_auth_asconf(struct dpsctp_wbuf *w)
{
	struct dpsctp_auth au = {
		.key_id = 0, .hmac_id = DPSCTP_HMAC_SHA256, .hmac = NULL, .hmac_len = 32};
	struct dpsctp_asconf as = {
		.serial = 0x10000001, .addr_type = DPSCTP_PARAM_IPV4, .addr = v4a.bytes};
	struct dpsctp_param p;
	size_t mark;

	TRY(dpsctp_auth_build(w, &au));
	TRY(dpsctp_asconf_begin(w, &as, &mark));
	p = (struct dpsctp_param){.type = DPSCTP_PARAM_ADD_IP, .u.asconf = {1, v4b}};
	TRY(put_param(w, &p));
	p = (struct dpsctp_param){.type = DPSCTP_PARAM_DEL_IP, .u.asconf = {2, v6a}};
	TRY(put_param(w, &p));
	p = (struct dpsctp_param){.type = DPSCTP_PARAM_SET_PRIMARY, .u.asconf = {3, v4b}};
	TRY(put_param(w, &p));
	TRY(put_u32(w, DPSCTP_PARAM_ADAPTATION_LAYER, 7));
	return dpsctp_chunk_end(w, mark);
}

static int
s_asconf_ack(struct dpsctp_wbuf *w)
{
	/* RFC 5061 5.2: "Request to Delete Last Remaining IP Address" carrying the request. */
	static const uint8_t causes[] = {0x00, 0xa0, 0x00, 0x14, 0xc0, 0x02, 0x00, 0x10, 0, 0, 0, 2,
		0, 5, 0, 8, 198, 18, 0, 1};
	struct dpsctp_asconf_ack aa = {.serial = 0x10000001};
	struct dpsctp_param p;
	size_t mark;

	TRY(dpsctp_asconf_ack_begin(w, &aa, &mark));
	TRY(put_u32(w, DPSCTP_PARAM_SUCCESS_IND, 1));
	p = (struct dpsctp_param){
		.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {2, {causes, sizeof(causes)}}};
	TRY(put_param(w, &p));
	return dpsctp_chunk_end(w, mark);
}

static int
s_reconf_reset_requests(struct dpsctp_wbuf *w)
{
	static const uint8_t streams[] = {0, 1, 0, 2, 0, 9};
	struct dpsctp_reconf rc = {0};
	struct dpsctp_param p;
	size_t mark;

	TRY(dpsctp_reconf_begin(w, &rc, &mark));
	p = (struct dpsctp_param){.type = DPSCTP_PARAM_OUT_SSN_RESET_REQ,
		.u.out_reset = {100, 200, 4000, {streams, 3}}};
	TRY(put_param(w, &p));
	p = (struct dpsctp_param){
		.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {101, {streams, 2}}};
	TRY(put_param(w, &p));
	return dpsctp_chunk_end(w, mark);
}

static int
s_reconf_tsn_reset(struct dpsctp_wbuf *w)
{
	struct dpsctp_reconf rc = {0};
	size_t mark;

	TRY(dpsctp_reconf_begin(w, &rc, &mark));
	TRY(put_u32(w, DPSCTP_PARAM_SSN_TSN_RESET_REQ, 102));
	return dpsctp_chunk_end(w, mark);
}

static int
s_reconf_response(struct dpsctp_wbuf *w)
{
	struct dpsctp_reconf rc = {0};
	struct dpsctp_param p;
	size_t mark;

	TRY(dpsctp_reconf_begin(w, &rc, &mark));
	p = (struct dpsctp_param){.type = DPSCTP_PARAM_RECONF_RESP,
		.u.reconf_resp = {102, DPSCTP_RECONF_SUCCESS_PERFORMED, true, 5000, 6000}};
	TRY(put_param(w, &p));
	return dpsctp_chunk_end(w, mark);
}

static int
s_reconf_add_streams(struct dpsctp_wbuf *w)
{
	struct dpsctp_reconf rc = {0};
	struct dpsctp_param p;
	size_t mark;

	TRY(dpsctp_reconf_begin(w, &rc, &mark));
	p = (struct dpsctp_param){
		.type = DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, .u.add_streams = {103, 16, 0}};
	TRY(put_param(w, &p));
	p = (struct dpsctp_param){
		.type = DPSCTP_PARAM_ADD_IN_STREAMS_REQ, .u.add_streams = {104, 8, 0}};
	TRY(put_param(w, &p));
	return dpsctp_chunk_end(w, mark);
}

/* RFC 4820 4: PAD grows a HEARTBEAT into a path MTU probe. */
static int
s_heartbeat_pad(struct dpsctp_wbuf *w)
{
	struct dpsctp_pad pad = {.pad_len = 1200};

	TRY(s_heartbeat(w));
	return dpsctp_pad_build(w, &pad);
}

static const struct sample {
	const char *name;
	int (*build)(struct dpsctp_wbuf *w);
	uint32_t vtag; /* INIT goes with a zero tag (RFC 9260 8.5.1) */
} samples[] = {
	{"init-all-params", s_init_all_params, 0},
	{"init-host-name", s_init_host_name, 0},
	{"init-ack-cookie", s_init_ack_cookie, VTAG},
	{"cookie-echo-data", s_cookie_echo_data, VTAG},
	{"cookie-ack", s_cookie_ack, VTAG},
	{"data-fragments", s_data_fragments, VTAG},
	{"i-data", s_idata, VTAG},
	{"sack-gaps-dups", s_sack_gaps_dups, VTAG},
	{"heartbeat", s_heartbeat, VTAG},
	{"heartbeat-ack", s_heartbeat_ack, VTAG},
	{"abort-t-user", s_abort_user, VTAG},
	{"shutdown", s_shutdown, VTAG},
	{"shutdown-ack", s_shutdown_ack, VTAG},
	{"shutdown-complete-t", s_shutdown_complete, VTAG},
	{"error-rfc9260-causes", s_error_rfc9260_causes, VTAG},
	{"error-ext-causes", s_error_ext_causes, VTAG},
	{"ecne-cwr", s_ecne_cwr, VTAG},
	{"forward-tsn", s_forward_tsn, VTAG},
	{"i-forward-tsn", s_iforward_tsn, VTAG},
	{"auth-asconf", s_auth_asconf, VTAG},
	{"asconf-ack", s_asconf_ack, VTAG},
	{"reconf-reset-requests", s_reconf_reset_requests, VTAG},
	{"reconf-tsn-reset", s_reconf_tsn_reset, VTAG},
	{"reconf-response", s_reconf_response, VTAG},
	{"reconf-add-streams", s_reconf_add_streams, VTAG},
	{"heartbeat-pad", s_heartbeat_pad, VTAG},
};

unsigned int
dpsctp_sample_count(void)
{
	return sizeof(samples) / sizeof(samples[0]);
}

const char *
dpsctp_sample_name(unsigned int i)
{
	return i < dpsctp_sample_count() ? samples[i].name : NULL;
}

int
dpsctp_sample_build(unsigned int i, uint8_t *buf, size_t cap)
{
	struct dpsctp_wbuf w;

	if (i >= dpsctp_sample_count())
		return -ERANGE;
	dpsctp_wbuf_init(&w, buf, cap);
	TRY(dpsctp_common_hdr_build(&w, SPORT, DPORT, samples[i].vtag));
	TRY(samples[i].build(&w));
	dpsctp_packet_set_checksum(buf, dpsctp_crc32c_ref(buf, w.len));
	return (int)w.len;
}
