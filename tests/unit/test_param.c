/* SPDX-License-Identifier: BSD-3-Clause */
/* Typed parameters: round trips, wire layouts, builder failures, malformed input. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "param.h"

TestSuite(param);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Variable parts of the samples, in wire order. Odd lengths exercise the padding. */
static const uint8_t hb_info[5] = {1, 2, 3, 4, 5};
static const uint8_t cookie[7] = {0xc0, 0x0c, 0x1e, 0x5a, 0x17, 0x00, 0xff};
static const uint8_t host[10] = "a.example"; /* with its NUL, RFC 9260 3.3.2.1 */
static const uint8_t rnd32[32] = {0x52, 0x41, 0x4e, 0x44, [31] = 0x99};
static const uint8_t rnd33[33] = {0x01, [32] = 0x02};
static const uint8_t pad1[1] = {0};
static const uint8_t pad6[6] = {0, 0, 0, 0, 0, 0};
/* a TLV of length 6 with its 2 padding bytes, and the same TLV without them */
static const uint8_t unrec_padded[8] = {0x80, 0x09, 0x00, 0x06, 0xaa, 0xbb, 0x00, 0x00};
static const uint8_t unrec_exact[6] = {0x80, 0x09, 0x00, 0x06, 0xaa, 0xbb};
static const uint8_t addr_types[4] = {0, 5, 0, 6};
static const uint8_t addr_type1[2] = {0, 6};
static const uint8_t hmacs[4] = {0, 3, 0, 1};
static const uint8_t hmac1[2] = {0, 1};
static const uint8_t chunks3[3] = {0x80, 0xc1, 0x0f};
static const uint8_t exts4[4] = {0x82, 0xc0, 0x40, 0xc2};
static const uint8_t streams3[6] = {0, 1, 0, 2, 0xff, 0xfe};
static const uint8_t streams2[4] = {0, 7, 0, 9};
/* Invalid Stream Identifier (stream 7), then User-Initiated Abort with one byte, unpadded */
static const uint8_t causes2[13] = {0, 1, 0, 8, 0, 7, 0, 0, 0, 12, 0, 5, 0x42};

/* clang-format off: initializer macros */
#define V4                           \
	{                            \
		4,                   \
		{                    \
			192, 0, 2, 1 \
		}                    \
	}
#define V6                                                                            \
	{                                                                             \
		6,                                                                    \
		{                                                                     \
			0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 \
		}                                                                     \
	}
#define RAW(t, a)                                                   \
	{                                                           \
		.type = DPSCTP_PARAM_##t, .u.raw = { a, sizeof(a) } \
	}
#define LIST(t, a, item)                                                      \
	{                                                                     \
		.type = DPSCTP_PARAM_##t, .u.list = { a, sizeof(a) / (item) } \
	}
#define U32(t, x)                                      \
	{                                              \
		.type = DPSCTP_PARAM_##t, .u.u32 = (x) \
	}
/* clang-format on */

static const struct dpsctp_param addr_samples[] = {
	{.type = DPSCTP_PARAM_IPV4, .u.addr = V4},
	{.type = DPSCTP_PARAM_IPV6, .u.addr = V6},
};

static const struct dpsctp_param opaque_samples[] = {
	RAW(HEARTBEAT_INFO, hb_info),
	{.type = DPSCTP_PARAM_HEARTBEAT_INFO},
	RAW(STATE_COOKIE, cookie),
	{.type = DPSCTP_PARAM_STATE_COOKIE},
	RAW(UNRECOGNIZED, unrec_padded),
	RAW(UNRECOGNIZED, unrec_exact),
	RAW(HOST_NAME, host),
	RAW(RANDOM, rnd32),
	RAW(RANDOM, rnd33),
	{.type = DPSCTP_PARAM_RANDOM},
	RAW(PADDING, pad1),
	RAW(PADDING, pad6),
	{.type = DPSCTP_PARAM_PADDING},
};

static const struct dpsctp_param scalar_samples[] = {
	U32(COOKIE_PRESERVATIVE, 60000),
	U32(ZERO_CHECKSUM, DPSCTP_EDMID_LOWER_LAYER_DTLS),
	U32(ADAPTATION_LAYER, 0xdeadbeef),
	U32(SUCCESS_IND, 0x01020304),
	{.type = DPSCTP_PARAM_ECN_CAPABLE},
	{.type = DPSCTP_PARAM_FORWARD_TSN_SUPPORTED},
};

static const struct dpsctp_param list_samples[] = {
	LIST(SUPPORTED_ADDR_TYPES, addr_types, 2),
	LIST(SUPPORTED_ADDR_TYPES, addr_type1, 2),
	{.type = DPSCTP_PARAM_SUPPORTED_ADDR_TYPES},
	LIST(HMAC_ALGO, hmacs, 2),
	LIST(HMAC_ALGO, hmac1, 2),
	{.type = DPSCTP_PARAM_HMAC_ALGO},
	LIST(CHUNK_LIST, chunks3, 1),
	{.type = DPSCTP_PARAM_CHUNK_LIST},
	LIST(SUPPORTED_EXT, exts4, 1),
	LIST(SUPPORTED_EXT, chunks3, 1),
	{.type = DPSCTP_PARAM_SUPPORTED_EXT},
};

static const struct dpsctp_param reconf_samples[] = {
	{.type = DPSCTP_PARAM_OUT_SSN_RESET_REQ,
		.u.out_reset = {10, 20, 0xfffffff0, {streams3, 3}}},
	{.type = DPSCTP_PARAM_OUT_SSN_RESET_REQ, .u.out_reset = {1, 2, 3, {NULL, 0}}},
	{.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {11, {streams2, 2}}},
	{.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {12, {streams3, 3}}},
	{.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {13, {NULL, 0}}},
	U32(SSN_TSN_RESET_REQ, 14),
	{.type = DPSCTP_PARAM_RECONF_RESP,
		.u.reconf_resp = {15, DPSCTP_RECONF_SUCCESS_PERFORMED, false, 0, 0}},
	{.type = DPSCTP_PARAM_RECONF_RESP,
		.u.reconf_resp = {16, DPSCTP_RECONF_SUCCESS_PERFORMED, true, 1000, 2000}},
	{.type = DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, .u.add_streams = {17, 5, 0}},
	{.type = DPSCTP_PARAM_ADD_IN_STREAMS_REQ, .u.add_streams = {18, 65535, 0xabcd}},
};

static const struct dpsctp_param asconf_samples[] = {
	{.type = DPSCTP_PARAM_ADD_IP, .u.asconf = {0x11, V4}},
	{.type = DPSCTP_PARAM_ADD_IP, .u.asconf = {0x12, V6}},
	{.type = DPSCTP_PARAM_DEL_IP, .u.asconf = {0x13, V4}},
	{.type = DPSCTP_PARAM_DEL_IP, .u.asconf = {0x14, V6}},
	{.type = DPSCTP_PARAM_SET_PRIMARY, .u.asconf = {0x15, V4}},
	{.type = DPSCTP_PARAM_SET_PRIMARY, .u.asconf = {0x16, V6}},
	{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {0x17, {causes2, sizeof(causes2)}}},
	{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {0x18, {causes2, 8}}},
	{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {0x19, {NULL, 0}}},
	U32(SUCCESS_IND, 0x1a),
};

struct sample_set {
	const struct dpsctp_param *p;
	size_t n;
};

static const struct sample_set all_samples[] = {
	{addr_samples, NELEM(addr_samples)},
	{opaque_samples, NELEM(opaque_samples)},
	{scalar_samples, NELEM(scalar_samples)},
	{list_samples, NELEM(list_samples)},
	{reconf_samples, NELEM(reconf_samples)},
	{asconf_samples, NELEM(asconf_samples)},
};

static void
assert_bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	if (n != 0)
		cr_assert(memcmp(a, b, n) == 0, "bytes differ");
}

static void
assert_list_eq(const struct dpsctp_list *a, const struct dpsctp_list *b, size_t item)
{
	cr_assert_eq(a->n, b->n);
	assert_bytes_eq(a->data, b->data, a->n * item);
}

static void
assert_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	cr_assert_eq(a->family, b->family);
	assert_bytes_eq(a->bytes, b->bytes, sizeof(a->bytes));
}

/* Field by field, through the member the type selects. */
static void
assert_param_eq(const struct dpsctp_param *a, const struct dpsctp_param *b)
{
	cr_assert_eq(a->type, b->type);
	switch (a->type) {
	case DPSCTP_PARAM_IPV4:
	case DPSCTP_PARAM_IPV6:
		assert_addr_eq(&a->u.addr, &b->u.addr);
		break;
	case DPSCTP_PARAM_HEARTBEAT_INFO:
	case DPSCTP_PARAM_STATE_COOKIE:
	case DPSCTP_PARAM_UNRECOGNIZED:
	case DPSCTP_PARAM_HOST_NAME:
	case DPSCTP_PARAM_RANDOM:
	case DPSCTP_PARAM_PADDING:
		cr_assert_eq(a->u.raw.len, b->u.raw.len);
		assert_bytes_eq(a->u.raw.data, b->u.raw.data, a->u.raw.len);
		break;
	case DPSCTP_PARAM_COOKIE_PRESERVATIVE:
	case DPSCTP_PARAM_ZERO_CHECKSUM:
	case DPSCTP_PARAM_ADAPTATION_LAYER:
	case DPSCTP_PARAM_SSN_TSN_RESET_REQ:
	case DPSCTP_PARAM_SUCCESS_IND:
		cr_assert_eq(a->u.u32, b->u.u32);
		break;
	case DPSCTP_PARAM_SUPPORTED_ADDR_TYPES:
	case DPSCTP_PARAM_HMAC_ALGO:
		assert_list_eq(&a->u.list, &b->u.list, 2);
		break;
	case DPSCTP_PARAM_CHUNK_LIST:
	case DPSCTP_PARAM_SUPPORTED_EXT:
		assert_list_eq(&a->u.list, &b->u.list, 1);
		break;
	case DPSCTP_PARAM_OUT_SSN_RESET_REQ:
		cr_assert_eq(a->u.out_reset.req_seq, b->u.out_reset.req_seq);
		cr_assert_eq(a->u.out_reset.resp_seq, b->u.out_reset.resp_seq);
		cr_assert_eq(a->u.out_reset.last_tsn, b->u.out_reset.last_tsn);
		assert_list_eq(&a->u.out_reset.streams, &b->u.out_reset.streams, 2);
		break;
	case DPSCTP_PARAM_IN_SSN_RESET_REQ:
		cr_assert_eq(a->u.in_reset.req_seq, b->u.in_reset.req_seq);
		assert_list_eq(&a->u.in_reset.streams, &b->u.in_reset.streams, 2);
		break;
	case DPSCTP_PARAM_RECONF_RESP:
		cr_assert_eq(a->u.reconf_resp.resp_seq, b->u.reconf_resp.resp_seq);
		cr_assert_eq(a->u.reconf_resp.result, b->u.reconf_resp.result);
		cr_assert_eq(a->u.reconf_resp.has_tsns, b->u.reconf_resp.has_tsns);
		if (a->u.reconf_resp.has_tsns) {
			cr_assert_eq(
				a->u.reconf_resp.sender_next_tsn, b->u.reconf_resp.sender_next_tsn);
			cr_assert_eq(a->u.reconf_resp.receiver_next_tsn,
				b->u.reconf_resp.receiver_next_tsn);
		}
		break;
	case DPSCTP_PARAM_ADD_OUT_STREAMS_REQ:
	case DPSCTP_PARAM_ADD_IN_STREAMS_REQ:
		cr_assert_eq(a->u.add_streams.req_seq, b->u.add_streams.req_seq);
		cr_assert_eq(a->u.add_streams.new_streams, b->u.add_streams.new_streams);
		cr_assert_eq(a->u.add_streams.reserved, b->u.add_streams.reserved);
		break;
	case DPSCTP_PARAM_ADD_IP:
	case DPSCTP_PARAM_DEL_IP:
	case DPSCTP_PARAM_SET_PRIMARY:
		cr_assert_eq(a->u.asconf.corr_id, b->u.asconf.corr_id);
		assert_addr_eq(&a->u.asconf.addr, &b->u.asconf.addr);
		break;
	case DPSCTP_PARAM_ERROR_CAUSE_IND:
		cr_assert_eq(a->u.error_ind.corr_id, b->u.error_ind.corr_id);
		cr_assert_eq(a->u.error_ind.causes.len, b->u.error_ind.causes.len);
		assert_bytes_eq(a->u.error_ind.causes.data, b->u.error_ind.causes.data,
			a->u.error_ind.causes.len);
		break;
	case DPSCTP_PARAM_ECN_CAPABLE:
	case DPSCTP_PARAM_FORWARD_TSN_SUPPORTED:
		break;
	default:
		cr_assert_fail("no comparison for type %#x", a->type);
	}
}

/*
 * Build @p in, find it again with dpsctp_tlv_next(), decode it, compare field by field, then build
 * the decoded value and compare the bytes. Returns the built length.
 */
static size_t
roundtrip(const struct dpsctp_param *in)
{
	uint8_t buf[256], again[256];
	struct dpsctp_wbuf w, w2;
	struct dpsctp_param out;
	struct dpsctp_tlv t;
	const uint8_t *p = buf;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_param_build(&w, in), 0, "build type %#x", in->type);
	cr_assert_eq(dpsctp_tlv_next(&p, buf + w.len, &t), 1);
	cr_assert_eq(p, buf + w.len, "one TLV, no trailing padding");
	cr_assert_eq(t.type, in->type);
	cr_assert_eq(t.len, w.len);
	cr_assert_eq(dpsctp_param_decode(&t, &out), 0, "decode type %#x", in->type);
	assert_param_eq(in, &out);

	dpsctp_wbuf_init(&w2, again, sizeof(again));
	cr_assert_eq(dpsctp_param_build(&w2, &out), 0);
	cr_assert_eq(w2.len, w.len);
	assert_bytes_eq(buf, again, w.len);
	return w.len;
}

static void
roundtrip_all(const struct dpsctp_param *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		roundtrip(&s[i]);
}

Test(param, ipv4_and_ipv6_addresses_round_trip)
{
	roundtrip_all(addr_samples, NELEM(addr_samples));
	cr_assert_eq(roundtrip(&addr_samples[0]), 8);
	cr_assert_eq(roundtrip(&addr_samples[1]), 20);
}

Test(param, opaque_values_of_any_length_round_trip)
{
	roundtrip_all(opaque_samples, NELEM(opaque_samples));
}

Test(param, scalar_and_empty_params_round_trip)
{
	roundtrip_all(scalar_samples, NELEM(scalar_samples));
}

Test(param, empty_and_non_empty_lists_round_trip)
{
	roundtrip_all(list_samples, NELEM(list_samples));
}

Test(param, reconfig_requests_and_responses_round_trip)
{
	roundtrip_all(reconf_samples, NELEM(reconf_samples));
}

Test(param, asconf_params_round_trip_with_ipv4_and_ipv6)
{
	roundtrip_all(asconf_samples, NELEM(asconf_samples));
}

Test(param, samples_cover_every_known_type)
{
	unsigned type, known = 0;
	size_t s, i;

	for (type = 0; type <= 0xffff; type++) {
		bool found = false;

		if (!dpsctp_param_type_known((uint16_t)type))
			continue;
		known++;
		for (s = 0; s < NELEM(all_samples); s++)
			for (i = 0; i < all_samples[s].n; i++)
				found |= all_samples[s].p[i].type == type;
		cr_assert(found, "no sample of type %#x", type);
	}
	cr_assert_eq(known, 28);
}

struct golden {
	struct dpsctp_param p;
	size_t len;
	uint8_t wire[32];
};

/* The layouts of the RFCs, byte for byte. */
static const struct golden goldens[] = {
	{{.type = DPSCTP_PARAM_IPV4, .u.addr = V4}, 8, {0, 5, 0, 8, 192, 0, 2, 1}},
	{{.type = DPSCTP_PARAM_IPV6, .u.addr = V6}, 20,
		{0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
	{U32(COOKIE_PRESERVATIVE, 1000), 8, {0, 9, 0, 8, 0, 0, 0x03, 0xe8}},
	{RAW(HOST_NAME, host), 14, {0, 11, 0, 14, 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0}},
	{LIST(SUPPORTED_ADDR_TYPES, addr_type1, 2), 6, {0, 12, 0, 6, 0, 6}},
	{{.type = DPSCTP_PARAM_OUT_SSN_RESET_REQ,
		 .u.out_reset = {0x01020304, 0x05060708, 0x090a0b0c, {streams2, 2}}},
		20, {0, 13, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 7, 0, 9}},
	{{.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {0x0a0b0c0d, {streams3, 3}}}, 14,
		{0, 14, 0, 14, 0x0a, 0x0b, 0x0c, 0x0d, 0, 1, 0, 2, 0xff, 0xfe}},
	{U32(SSN_TSN_RESET_REQ, 7), 8, {0, 15, 0, 8, 0, 0, 0, 7}},
	{{.type = DPSCTP_PARAM_RECONF_RESP, .u.reconf_resp = {9, 1, false, 0, 0}}, 12,
		{0, 16, 0, 12, 0, 0, 0, 9, 0, 0, 0, 1}},
	{{.type = DPSCTP_PARAM_RECONF_RESP, .u.reconf_resp = {9, 6, true, 0x100, 0x200}}, 20,
		{0, 16, 0, 20, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 1, 0, 0, 0, 2, 0}},
	{{.type = DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, .u.add_streams = {3, 0x102, 0}}, 12,
		{0, 17, 0, 12, 0, 0, 0, 3, 1, 2, 0, 0}},
	{{.type = DPSCTP_PARAM_ADD_IN_STREAMS_REQ, .u.add_streams = {4, 2, 0}}, 12,
		{0, 18, 0, 12, 0, 0, 0, 4, 0, 2, 0, 0}},
	{{.type = DPSCTP_PARAM_ECN_CAPABLE}, 4, {0x80, 0, 0, 4}},
	{U32(ZERO_CHECKSUM, 1), 8, {0x80, 1, 0, 8, 0, 0, 0, 1}},
	{LIST(CHUNK_LIST, chunks3, 1), 7, {0x80, 3, 0, 7, 0x80, 0xc1, 0x0f}},
	{LIST(HMAC_ALGO, hmac1, 2), 6, {0x80, 4, 0, 6, 0, 1}},
	{LIST(SUPPORTED_EXT, exts4, 1), 8, {0x80, 8, 0, 8, 0x82, 0xc0, 0x40, 0xc2}},
	{{.type = DPSCTP_PARAM_FORWARD_TSN_SUPPORTED}, 4, {0xc0, 0, 0, 4}},
	{{.type = DPSCTP_PARAM_ADD_IP, .u.asconf = {0xa1b2c3d4, V4}}, 16,
		{0xc0, 1, 0, 16, 0xa1, 0xb2, 0xc3, 0xd4, 0, 5, 0, 8, 192, 0, 2, 1}},
	{{.type = DPSCTP_PARAM_SET_PRIMARY, .u.asconf = {1, V6}}, 28,
		{0xc0, 4, 0, 28, 0, 0, 0, 1, 0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 1}},
	{{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {2, {causes2, 8}}}, 16,
		{0xc0, 3, 0, 16, 0, 0, 0, 2, 0, 1, 0, 8, 0, 7, 0, 0}},
	{U32(SUCCESS_IND, 3), 8, {0xc0, 5, 0, 8, 0, 0, 0, 3}},
	{U32(ADAPTATION_LAYER, 0x01020304), 8, {0xc0, 6, 0, 8, 1, 2, 3, 4}},
};

Test(param, builders_write_the_rfc_layouts)
{
	uint8_t buf[64];
	struct dpsctp_wbuf w;
	size_t i;

	for (i = 0; i < NELEM(goldens); i++) {
		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		cr_assert_eq(dpsctp_param_build(&w, &goldens[i].p), 0);
		cr_assert_eq(w.len, goldens[i].len, "type %#x", goldens[i].p.type);
		assert_bytes_eq(buf, goldens[i].wire, w.len);
	}
}

Test(param, params_in_a_chunk_are_padded_and_iterate_back)
{
	static const struct dpsctp_param seq[] = {
		RAW(HEARTBEAT_INFO, hb_info),
		{.type = DPSCTP_PARAM_IPV4, .u.addr = V4},
		RAW(RANDOM, rnd33),
		LIST(SUPPORTED_EXT, chunks3, 1),
	};
	uint8_t buf[256];
	struct dpsctp_wbuf w;
	struct dpsctp_chunk c;
	struct dpsctp_param out;
	struct dpsctp_tlv t;
	const uint8_t *p = buf, *v;
	size_t mark, i;

	memset(buf, 0xee, sizeof(buf));
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_chunk_begin(&w, DPSCTP_CHUNK_INIT, 0, &mark), 0);
	for (i = 0; i < NELEM(seq); i++)
		cr_assert_eq(dpsctp_param_build(&w, &seq[i]), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	/* 4 + (9 + 3) + 8 + (37 + 3) + 7, then the chunk's own padding */
	cr_assert_eq(dpsctp_get_be16(buf + 2), 71);
	cr_assert_eq(w.len, 72);
	cr_assert_eq(buf[13] | buf[14] | buf[15] | buf[61] | buf[62] | buf[63] | buf[71], 0);

	cr_assert_eq(dpsctp_chunk_next(&p, buf + w.len, &c), 1);
	v = c.value;
	for (i = 0; i < NELEM(seq); i++) {
		cr_assert_eq(dpsctp_tlv_next(&v, c.value + dpsctp_chunk_value_len(&c), &t), 1);
		cr_assert_eq(dpsctp_param_decode(&t, &out), 0);
		assert_param_eq(&seq[i], &out);
	}
	cr_assert_eq(dpsctp_tlv_next(&v, c.value + dpsctp_chunk_value_len(&c), &t), 0);
}

/* Every capacity below the needed one fails with -ENOSPC and leaves the buffer as it was. */
static void
check_enospc(const struct dpsctp_param *in, size_t prefix)
{
	uint8_t big[256], buf[256], ref[256];
	struct dpsctp_wbuf w;
	size_t need, cap;

	dpsctp_wbuf_init(&w, big, sizeof(big));
	w.len = prefix;
	cr_assert_eq(dpsctp_param_build(&w, in), 0);
	need = w.len;
	for (cap = prefix; cap < need; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		memset(buf, 0x11, prefix);
		memcpy(ref, buf, sizeof(ref));
		dpsctp_wbuf_init(&w, buf, cap);
		w.len = prefix;
		cr_assert_eq(
			dpsctp_param_build(&w, in), -ENOSPC, "type %#x cap %zu", in->type, cap);
		cr_assert_eq(w.len, prefix);
		/* not a byte written, not even the padding of the prefix */
		assert_bytes_eq(buf, ref, sizeof(buf));
	}
	dpsctp_wbuf_init(&w, buf, need);
	w.len = prefix;
	cr_assert_eq(dpsctp_param_build(&w, in), 0);
	cr_assert_eq(w.len, need);
}

Test(param, builders_fail_with_enospc_below_the_needed_capacity)
{
	size_t s, i;

	for (s = 0; s < NELEM(all_samples); s++)
		for (i = 0; i < all_samples[s].n; i++) {
			check_enospc(&all_samples[s].p[i], 0);
			check_enospc(&all_samples[s].p[i], 5);
		}
}

Test(param, oversized_params_fail_with_emsgsize)
{
	size_t cap = 70000;
	uint8_t *buf = calloc(1, cap);
	uint8_t *src = calloc(1, cap);
	struct dpsctp_param p = {.type = DPSCTP_PARAM_PADDING, .u.raw = {src, 65531}};
	struct dpsctp_wbuf w;

	cr_assert_not_null(buf);
	cr_assert_not_null(src);
	dpsctp_wbuf_init(&w, buf, cap);
	cr_assert_eq(dpsctp_param_build(&w, &p), 0);
	cr_assert_eq(w.len, 65535);

	dpsctp_wbuf_init(&w, buf, cap);
	p.u.raw.len = 65532;
	cr_assert_eq(dpsctp_param_build(&w, &p), -EMSGSIZE);
	p.u.raw.len = SIZE_MAX;
	cr_assert_eq(dpsctp_param_build(&w, &p), -EMSGSIZE);

	p.type = DPSCTP_PARAM_SUPPORTED_ADDR_TYPES;
	p.u.list.data = src;
	p.u.list.n = 32766;
	cr_assert_eq(dpsctp_param_build(&w, &p), -EMSGSIZE);
	p.u.list.n = SIZE_MAX / 2 + 1;
	cr_assert_eq(dpsctp_param_build(&w, &p), -EMSGSIZE);

	p.type = DPSCTP_PARAM_OUT_SSN_RESET_REQ;
	memset(&p.u, 0, sizeof(p.u));
	p.u.out_reset.streams.data = src;
	p.u.out_reset.streams.n = 32760; /* 4 + 12 + 65520 */
	cr_assert_eq(dpsctp_param_build(&w, &p), -EMSGSIZE);
	cr_assert_eq(w.len, 0);
	p.u.out_reset.streams.n = 32759;
	cr_assert_eq(dpsctp_param_build(&w, &p), 0);
	cr_assert_eq(w.len, 65534);
	free(buf);
	free(src);
}

Test(param, inconsistent_input_fails_with_einval)
{
	static const uint8_t not_tlv[4] = {0, 1, 0, 8};
	static const uint8_t bad_causes[6] = {0, 1, 0, 2, 0, 0};
	const struct dpsctp_param bad[] = {
		{.type = 0x1234},
		{.type = DPSCTP_PARAM_IPV4, .u.addr = V6},
		{.type = DPSCTP_PARAM_IPV6, .u.addr = V4},
		{.type = DPSCTP_PARAM_IPV4, .u.addr = {0, {0}}},
		{.type = DPSCTP_PARAM_ADD_IP, .u.asconf = {1, {5, {0}}}},
		{.type = DPSCTP_PARAM_SET_PRIMARY, .u.asconf = {1, {0, {0}}}},
		{.type = DPSCTP_PARAM_STATE_COOKIE, .u.raw = {NULL, 3}},
		{.type = DPSCTP_PARAM_HMAC_ALGO, .u.list = {NULL, 1}},
		{.type = DPSCTP_PARAM_IN_SSN_RESET_REQ, .u.in_reset = {1, {NULL, 2}}},
		{.type = DPSCTP_PARAM_UNRECOGNIZED},
		RAW(UNRECOGNIZED, not_tlv),
		RAW(UNRECOGNIZED, pad1),
		RAW(UNRECOGNIZED, causes2),
		{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {1, {bad_causes, 6}}},
		{.type = DPSCTP_PARAM_ERROR_CAUSE_IND, .u.error_ind = {1, {NULL, 4}}},
	};
	uint8_t buf[64];
	struct dpsctp_wbuf w;
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		cr_assert_eq(dpsctp_param_build(&w, &bad[i]), -EINVAL, "case %zu", i);
		cr_assert_eq(w.len, 0);
	}
}

struct bad_case {
	uint16_t type;
	uint8_t len; /* value length */
	uint8_t v[24];
};

/* Decode a value of exactly @p len bytes held in its own allocation, so ASan sees overreads. */
static int
decode_exact(uint16_t type, const uint8_t *v, size_t len, struct dpsctp_param *out)
{
	uint8_t *copy = malloc(len == 0 ? 1 : len);
	struct dpsctp_tlv t = {.type = type, .len = (uint16_t)(len + 4), .value = copy};
	int rc;

	cr_assert_not_null(copy);
	if (len != 0)
		memcpy(copy, v, len);
	rc = dpsctp_param_decode(&t, out);
	free(copy);
	return rc;
}

static const struct bad_case bad_params[] = {
	{DPSCTP_PARAM_IPV4, 0, {0}},
	{DPSCTP_PARAM_IPV4, 3, {0}},
	{DPSCTP_PARAM_IPV4, 5, {0}},
	{DPSCTP_PARAM_IPV4, 16, {0}},
	{DPSCTP_PARAM_IPV6, 4, {0}},
	{DPSCTP_PARAM_IPV6, 15, {0}},
	{DPSCTP_PARAM_IPV6, 17, {0}},
	/* Unrecognized Parameter: empty, short, inner length too small, too big, two TLVs,
	 * bytes after the inner TLV's padding */
	{DPSCTP_PARAM_UNRECOGNIZED, 0, {0}},
	{DPSCTP_PARAM_UNRECOGNIZED, 3, {0x80, 9, 0}},
	{DPSCTP_PARAM_UNRECOGNIZED, 4, {0x80, 9, 0, 2}},
	{DPSCTP_PARAM_UNRECOGNIZED, 8, {0x80, 9, 0, 9}},
	{DPSCTP_PARAM_UNRECOGNIZED, 8, {0x80, 9, 0, 4, 0x80, 9, 0, 4}},
	{DPSCTP_PARAM_UNRECOGNIZED, 12, {0x80, 9, 0, 6, 1, 2, 0, 0, 0, 0, 0, 0}},
	{DPSCTP_PARAM_COOKIE_PRESERVATIVE, 0, {0}},
	{DPSCTP_PARAM_COOKIE_PRESERVATIVE, 3, {0}},
	{DPSCTP_PARAM_COOKIE_PRESERVATIVE, 8, {0}},
	{DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, 1, {0}},
	{DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, 3, {0, 5, 0}},
	{DPSCTP_PARAM_OUT_SSN_RESET_REQ, 0, {0}},
	{DPSCTP_PARAM_OUT_SSN_RESET_REQ, 11, {0}},
	{DPSCTP_PARAM_OUT_SSN_RESET_REQ, 13, {0}},
	{DPSCTP_PARAM_OUT_SSN_RESET_REQ, 17, {0}},
	{DPSCTP_PARAM_IN_SSN_RESET_REQ, 3, {0}},
	{DPSCTP_PARAM_IN_SSN_RESET_REQ, 5, {0}},
	{DPSCTP_PARAM_SSN_TSN_RESET_REQ, 3, {0}},
	{DPSCTP_PARAM_SSN_TSN_RESET_REQ, 8, {0}},
	{DPSCTP_PARAM_RECONF_RESP, 4, {0}},
	{DPSCTP_PARAM_RECONF_RESP, 7, {0}},
	{DPSCTP_PARAM_RECONF_RESP, 9, {0}},
	{DPSCTP_PARAM_RECONF_RESP, 12, {0}}, /* one next-TSN field: both or neither */
	{DPSCTP_PARAM_RECONF_RESP, 20, {0}},
	{DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, 6, {0}},
	{DPSCTP_PARAM_ADD_OUT_STREAMS_REQ, 12, {0}},
	{DPSCTP_PARAM_ADD_IN_STREAMS_REQ, 7, {0}},
	{DPSCTP_PARAM_ADD_IN_STREAMS_REQ, 9, {0}},
	{DPSCTP_PARAM_ECN_CAPABLE, 1, {0}},
	{DPSCTP_PARAM_ECN_CAPABLE, 4, {0}},
	{DPSCTP_PARAM_ZERO_CHECKSUM, 0, {0}},
	{DPSCTP_PARAM_ZERO_CHECKSUM, 2, {0}},
	{DPSCTP_PARAM_ZERO_CHECKSUM, 8, {0}},
	{DPSCTP_PARAM_HMAC_ALGO, 1, {0}},
	{DPSCTP_PARAM_HMAC_ALGO, 5, {0}},
	{DPSCTP_PARAM_FORWARD_TSN_SUPPORTED, 4, {0}},
	/* Add IP: no nested parameter, a partial header, wrong nested type, IPv4 type with the
	 * IPv6 length and back, nested length shorter / longer than the outer one says,
	 * nested length below a header */
	{DPSCTP_PARAM_ADD_IP, 0, {0}},
	{DPSCTP_PARAM_ADD_IP, 4, {0}},
	{DPSCTP_PARAM_ADD_IP, 7, {0, 0, 0, 1, 0, 5, 0}},
	{DPSCTP_PARAM_ADD_IP, 12, {0, 0, 0, 1, 0, 7, 0, 8, 192, 0, 2, 1}},
	{DPSCTP_PARAM_ADD_IP, 12, {0, 0, 0, 1, 0, 11, 0, 8, 'a', 'b', 'c', 0}},
	{DPSCTP_PARAM_ADD_IP, 24, {0, 0, 0, 1, 0, 5, 0, 20}},
	{DPSCTP_PARAM_ADD_IP, 12, {0, 0, 0, 1, 0, 6, 0, 8, 192, 0, 2, 1}},
	{DPSCTP_PARAM_ADD_IP, 16, {0, 0, 0, 1, 0, 5, 0, 8, 192, 0, 2, 1, 0, 0, 0, 0}},
	{DPSCTP_PARAM_ADD_IP, 16, {0, 0, 0, 1, 0, 5, 0, 12, 192, 0, 2, 1, 0, 0, 0, 0}},
	{DPSCTP_PARAM_ADD_IP, 12, {0, 0, 0, 1, 0, 6, 0, 20, 192, 0, 2, 1}},
	{DPSCTP_PARAM_ADD_IP, 12, {0, 0, 0, 1, 0, 5, 0, 2, 192, 0, 2, 1}},
	{DPSCTP_PARAM_DEL_IP, 4, {0, 0, 0, 1}},
	{DPSCTP_PARAM_DEL_IP, 12, {0, 0, 0, 1, 0, 12, 0, 8, 0, 5, 0, 6}},
	{DPSCTP_PARAM_SET_PRIMARY, 4, {0, 0, 0, 1}},
	{DPSCTP_PARAM_SET_PRIMARY, 12, {0, 0, 0, 1, 0, 6, 0, 8, 192, 0, 2, 1}},
	/* Error Cause Indication: short, a cause below a header, a cause past the end,
	 * stray bytes after a cause */
	{DPSCTP_PARAM_ERROR_CAUSE_IND, 3, {0}},
	{DPSCTP_PARAM_ERROR_CAUSE_IND, 8, {0, 0, 0, 1, 0, 4, 0, 2}},
	{DPSCTP_PARAM_ERROR_CAUSE_IND, 8, {0, 0, 0, 1, 0, 1, 0, 8}},
	{DPSCTP_PARAM_ERROR_CAUSE_IND, 10, {0, 0, 0, 1, 0, 4, 0, 4, 0, 4}},
	{DPSCTP_PARAM_SUCCESS_IND, 0, {0}},
	{DPSCTP_PARAM_SUCCESS_IND, 8, {0}},
	{DPSCTP_PARAM_ADAPTATION_LAYER, 2, {0}},
};

Test(param, malformed_values_fail_with_ebadmsg)
{
	struct dpsctp_param out, ref;
	size_t i;

	memset(&ref, 0x5a, sizeof(ref));
	for (i = 0; i < NELEM(bad_params); i++) {
		out = ref;
		cr_assert_eq(
			decode_exact(bad_params[i].type, bad_params[i].v, bad_params[i].len, &out),
			-EBADMSG, "case %zu (type %#x, %u bytes)", i, bad_params[i].type,
			bad_params[i].len);
		cr_assert(memcmp(&out, &ref, sizeof(out)) == 0, "output untouched");
	}
}

Test(param, length_field_below_a_header_fails_with_ebadmsg)
{
	uint8_t v[4] = {0};
	struct dpsctp_tlv t = {.type = DPSCTP_PARAM_ECN_CAPABLE, .len = 2, .value = v};
	struct dpsctp_param out;

	cr_assert_eq(dpsctp_param_decode(&t, &out), -EBADMSG);
}

Test(param, lenient_forms_that_the_rfcs_allow_decode)
{
	/* the last cause of an Error Cause Indication without its padding; a Random of 0 bytes */
	static const uint8_t ind[9] = {0, 0, 0, 1, 0, 12, 0, 5, 0x42};
	struct dpsctp_param out;

	cr_assert_eq(decode_exact(DPSCTP_PARAM_ERROR_CAUSE_IND, ind, sizeof(ind), &out), 0);
	cr_assert_eq(out.u.error_ind.corr_id, 1);
	cr_assert_eq(out.u.error_ind.causes.len, 5);
	cr_assert_eq(decode_exact(DPSCTP_PARAM_RANDOM, NULL, 0, &out), 0);
	cr_assert_eq(out.u.raw.len, 0);
	cr_assert_eq(decode_exact(DPSCTP_PARAM_ERROR_CAUSE_IND, ind, 4, &out), 0);
	cr_assert_eq(out.u.error_ind.causes.len, 0);
}

/* Decode @p v in place: the decoded pointers stay valid as long as @p v does. */
static int
decode_in_place(uint16_t type, const uint8_t *v, size_t len, struct dpsctp_param *out)
{
	struct dpsctp_tlv t = {.type = type, .len = (uint16_t)(len + 4), .value = v};

	return dpsctp_param_decode(&t, out);
}

Test(param, list_accessors_read_host_order)
{
	static const uint16_t host_streams[3] = {1, 2, 0xfffe};
	uint8_t wire[6];
	struct dpsctp_list l;
	struct dpsctp_param out;

	dpsctp_list_u16_encode(wire, host_streams, 3, &l);
	cr_assert_eq(l.n, 3);
	cr_assert(memcmp(wire, streams3, sizeof(wire)) == 0);
	cr_assert_eq(dpsctp_list_u16(&l, 2), 0xfffe);

	cr_assert_eq(decode_in_place(DPSCTP_PARAM_SUPPORTED_EXT, exts4, sizeof(exts4), &out), 0);
	cr_assert_eq(out.u.list.n, 4);
	cr_assert_eq(dpsctp_list_u8(&out.u.list, 1), DPSCTP_CHUNK_FORWARD_TSN);
	cr_assert_eq(decode_in_place(DPSCTP_PARAM_HMAC_ALGO, hmacs, sizeof(hmacs), &out), 0);
	cr_assert_eq(out.u.list.n, 2);
	cr_assert_eq(dpsctp_list_u16(&out.u.list, 0), DPSCTP_HMAC_SHA256);
	cr_assert_eq(dpsctp_list_u16(&out.u.list, 1), DPSCTP_HMAC_SHA1);
}

Test(param, unknown_types_fail_with_enoent_and_have_no_name)
{
	static const uint16_t unknown[] = {
		0, 2, 3, 4, 10, 19, 0x7fff, 0x8006, 0x8007, 0x8009, 0xc007, 0xffff};
	static const uint8_t v[8] = {0};
	struct dpsctp_param out, ref;
	size_t i;

	memset(&ref, 0x5a, sizeof(ref));
	for (i = 0; i < NELEM(unknown); i++) {
		out = ref;
		cr_assert_eq(decode_exact(unknown[i], v, sizeof(v), &out), -ENOENT);
		cr_assert(memcmp(&out, &ref, sizeof(out)) == 0);
		cr_assert_null(dpsctp_param_name(unknown[i]));
		cr_assert_not(dpsctp_param_type_known(unknown[i]));
	}
}

Test(param, every_known_type_has_a_distinct_name)
{
	const char *names[32];
	unsigned type, n = 0, i;

	for (type = 0; type <= 0xffff; type++) {
		const char *name = dpsctp_param_name((uint16_t)type);

		cr_assert_eq(name != NULL, dpsctp_param_type_known((uint16_t)type));
		if (name == NULL)
			continue;
		cr_assert_gt(strlen(name), 0);
		for (i = 0; i < n; i++)
			cr_assert_str_neq(names[i], name);
		cr_assert_lt(n, NELEM(names));
		names[n++] = name;
	}
	cr_assert_str_eq(dpsctp_param_name(DPSCTP_PARAM_IPV4), "IPv4 Address");
	cr_assert_str_eq(dpsctp_param_name(DPSCTP_PARAM_STATE_COOKIE), "State Cookie");
	cr_assert_str_eq(dpsctp_param_name(DPSCTP_PARAM_HOST_NAME), "Host Name Address");
}

Test(param, address_helpers_round_trip_and_refuse_other_types)
{
	const struct dpsctp_addr in[2] = {V4, V6};
	const struct dpsctp_addr bad = {5, {0}};
	uint8_t buf[64];
	struct dpsctp_wbuf w;
	struct dpsctp_addr out;
	struct dpsctp_tlv t;
	const uint8_t *p;
	size_t i;

	for (i = 0; i < 2; i++) {
		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		cr_assert_eq(dpsctp_addr_param_build(&w, &in[i]), 0);
		cr_assert_eq(w.len, i == 0 ? 8 : 20);
		p = buf;
		cr_assert_eq(dpsctp_tlv_next(&p, buf + w.len, &t), 1);
		cr_assert_eq(dpsctp_addr_param_decode(&t, &out), 0);
		assert_addr_eq(&in[i], &out);
		dpsctp_wbuf_init(&w, buf, w.len - 1);
		cr_assert_eq(dpsctp_addr_param_build(&w, &in[i]), -ENOSPC);
		cr_assert_eq(w.len, 0);
	}
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_addr_param_build(&w, &bad), -EINVAL);
	cr_assert_eq(w.len, 0);

	t = (struct dpsctp_tlv){.type = DPSCTP_PARAM_IPV4, .len = 20, .value = buf};
	cr_assert_eq(dpsctp_addr_param_decode(&t, &out), -EBADMSG);
	t = (struct dpsctp_tlv){.type = DPSCTP_PARAM_IPV6, .len = 8, .value = buf};
	cr_assert_eq(dpsctp_addr_param_decode(&t, &out), -EBADMSG);
	t = (struct dpsctp_tlv){.type = DPSCTP_PARAM_HOST_NAME, .len = 8, .value = buf};
	cr_assert_eq(dpsctp_addr_param_decode(&t, &out), -EBADMSG);
}

/* Decode an exact-size copy of @p v and, when that succeeds, build the result into @p buf. */
static int
decode_rebuild(uint16_t type, const uint8_t *v, size_t len, struct dpsctp_wbuf *w, uint8_t *buf,
	size_t cap)
{
	uint8_t *copy = malloc(len == 0 ? 1 : len);
	struct dpsctp_tlv t = {.type = type, .len = (uint16_t)(len + 4), .value = copy};
	struct dpsctp_param out;
	int rc;

	cr_assert_not_null(copy);
	if (len != 0)
		memcpy(copy, v, len);
	rc = dpsctp_param_decode(&t, &out);
	if (rc == 0) {
		dpsctp_wbuf_init(w, buf, cap);
		cr_assert_eq(dpsctp_param_build(w, &out), 0, "type %#x len %zu", type, len);
	}
	free(copy);
	return rc;
}

/*
 * Every known type with values of every length up to 40 and a few byte patterns: decode never
 * reads outside the value, and whatever it accepts builds back to the same bytes.
 */
Test(param, whatever_decodes_builds_back_to_the_same_bytes)
{
	uint8_t v[40], buf[64];
	struct dpsctp_wbuf w;
	unsigned type, pat;
	size_t len, i;
	int rc;

	for (type = 0; type <= 0xffff; type++) {
		if (!dpsctp_param_type_known((uint16_t)type))
			continue;
		for (pat = 0; pat < 4; pat++)
			for (len = 0; len <= sizeof(v); len++) {
				for (i = 0; i < len; i++)
					v[i] = pat == 0 ? 0 : pat == 1 ? 0xff : (uint8_t)(i * 37);
				/* pattern 3: a valid-looking nested IPv4 TLV after a u32 */
				if (pat == 3 && len >= 8) {
					v[4] = 0;
					v[5] = 5;
					v[6] = 0;
					v[7] = (uint8_t)(len - 4);
				}
				rc = decode_rebuild((uint16_t)type, v, len, &w, buf, sizeof(buf));
				cr_assert(rc == 0 || rc == -EBADMSG, "type %#x len %zu", type, len);
				if (rc != 0)
					continue;
				cr_assert_eq(w.len, len + 4, "type %#x len %zu", type, len);
				cr_assert_eq(dpsctp_get_be16(buf), type);
				cr_assert_eq(dpsctp_get_be16(buf + 2), len + 4);
				assert_bytes_eq(buf + 4, v, len);
			}
	}
}
