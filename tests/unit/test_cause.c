/* SPDX-License-Identifier: BSD-3-Clause */
/* Typed error causes: round trips, wire layouts, builder failures, malformed input. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cause.h"

TestSuite(cause);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Variable parts of the samples, in wire order. Odd lengths exercise the padding. */
static const uint8_t missing1[2] = {0, 7};
static const uint8_t missing2[4] = {0, 7, 0x80, 0x02};
static const uint8_t host_tlv[9] = {0, 11, 0, 9, 'h', 'o', 's', 't', 0};
static const uint8_t v4_tlv[8] = {0, 5, 0, 8, 192, 0, 2, 1};
/* a chunk of type 0xff with one value byte: with its padding, without, header only */
static const uint8_t chunk_padded[8] = {0xff, 0x01, 0, 5, 0x42, 0, 0, 0};
static const uint8_t chunk_exact[5] = {0xff, 0x01, 0, 5, 0x42};
static const uint8_t chunk_hdr[4] = {0x7f, 0, 0, 4};
/* two unrecognized parameters, the first padded; one odd parameter without padding */
static const uint8_t params2[12] = {0x80, 0x0a, 0, 5, 1, 0, 0, 0, 0xc0, 0x10, 0, 4};
static const uint8_t params1[5] = {0x40, 0x01, 0, 5, 9};
static const uint8_t new_addrs[28] = {
	0, 5, 0, 8, 192, 0, 2, 1, 0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, [27] = 1};
static const uint8_t reason[3] = {'b', 'y', 'e'};
static const uint8_t info1[1] = {0xee};
static const uint8_t info5[5] = {1, 2, 3, 4, 5};
/* ASCONF parameters in question: Delete IP (IPv4), Add IP (IPv6), Set Primary (IPv4) */
static const uint8_t del_ip[16] = {0xc0, 2, 0, 16, 0, 0, 0, 1, 0, 5, 0, 8, 192, 0, 2, 1};
static const uint8_t add_ip6[28] = {
	0xc0, 1, 0, 28, 0, 0, 0, 2, 0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8, [27] = 1};
static const uint8_t set_primary[16] = {0xc0, 4, 0, 16, 0, 0, 0, 3, 0, 5, 0, 8, 10, 0, 0, 1};

/* clang-format off: initializer macros */
#define RAW(c, a)                                                   \
	{                                                           \
		.code = DPSCTP_CAUSE_##c, .u.raw = { a, sizeof(a) } \
	}
#define EMPTY(c)                         \
	{                                \
		.code = DPSCTP_CAUSE_##c \
	}
/* clang-format on */

static const struct dpsctp_cause samples[] = {
	{.code = DPSCTP_CAUSE_INVALID_STREAM, .u.invalid_stream = {7, 0}},
	{.code = DPSCTP_CAUSE_INVALID_STREAM, .u.invalid_stream = {0xffff, 0x1234}},
	{.code = DPSCTP_CAUSE_MISSING_PARAM, .u.missing = {missing1, 1}},
	{.code = DPSCTP_CAUSE_MISSING_PARAM, .u.missing = {missing2, 2}},
	{.code = DPSCTP_CAUSE_MISSING_PARAM, .u.missing = {NULL, 0}},
	{.code = DPSCTP_CAUSE_STALE_COOKIE, .u.u32 = 1500000},
	EMPTY(OUT_OF_RESOURCE),
	RAW(UNRESOLVABLE_ADDR, host_tlv),
	RAW(UNRESOLVABLE_ADDR, v4_tlv),
	RAW(UNRECOGNIZED_CHUNK, chunk_padded),
	RAW(UNRECOGNIZED_CHUNK, chunk_exact),
	RAW(UNRECOGNIZED_CHUNK, chunk_hdr),
	EMPTY(INVALID_MANDATORY_PARAM),
	RAW(UNRECOGNIZED_PARAMS, params2),
	RAW(UNRECOGNIZED_PARAMS, params1),
	EMPTY(UNRECOGNIZED_PARAMS),
	{.code = DPSCTP_CAUSE_NO_USER_DATA, .u.u32 = 0xfffffffe},
	EMPTY(COOKIE_IN_SHUTDOWN),
	RAW(RESTART_NEW_ADDRS, new_addrs),
	RAW(RESTART_NEW_ADDRS, v4_tlv),
	EMPTY(RESTART_NEW_ADDRS),
	RAW(USER_ABORT, reason),
	EMPTY(USER_ABORT),
	RAW(PROTOCOL_VIOLATION, info1),
	RAW(PROTOCOL_VIOLATION, info5),
	EMPTY(PROTOCOL_VIOLATION),
	RAW(DELETE_LAST_ADDR, del_ip),
	RAW(RESOURCE_SHORTAGE, add_ip6),
	RAW(DELETE_SOURCE_ADDR, del_ip),
	EMPTY(ILLEGAL_ASCONF_ACK),
	RAW(NO_AUTHORIZATION, set_primary),
	{.code = DPSCTP_CAUSE_UNSUPPORTED_HMAC, .u.hmac_id = 2},
	{.code = DPSCTP_CAUSE_UNSUPPORTED_HMAC, .u.hmac_id = 0xffff},
};

static void
assert_bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	if (n != 0)
		cr_assert(memcmp(a, b, n) == 0, "bytes differ");
}

/* Field by field, through the member the code selects. */
static void
assert_cause_eq(const struct dpsctp_cause *a, const struct dpsctp_cause *b)
{
	cr_assert_eq(a->code, b->code);
	switch (a->code) {
	case DPSCTP_CAUSE_INVALID_STREAM:
		cr_assert_eq(a->u.invalid_stream.stream, b->u.invalid_stream.stream);
		cr_assert_eq(a->u.invalid_stream.reserved, b->u.invalid_stream.reserved);
		break;
	case DPSCTP_CAUSE_MISSING_PARAM:
		cr_assert_eq(a->u.missing.n, b->u.missing.n);
		assert_bytes_eq(a->u.missing.data, b->u.missing.data, 2 * a->u.missing.n);
		break;
	case DPSCTP_CAUSE_STALE_COOKIE:
	case DPSCTP_CAUSE_NO_USER_DATA:
		cr_assert_eq(a->u.u32, b->u.u32);
		break;
	case DPSCTP_CAUSE_UNSUPPORTED_HMAC:
		cr_assert_eq(a->u.hmac_id, b->u.hmac_id);
		break;
	case DPSCTP_CAUSE_OUT_OF_RESOURCE:
	case DPSCTP_CAUSE_INVALID_MANDATORY_PARAM:
	case DPSCTP_CAUSE_COOKIE_IN_SHUTDOWN:
	case DPSCTP_CAUSE_ILLEGAL_ASCONF_ACK:
		break;
	default:
		cr_assert_eq(a->u.raw.len, b->u.raw.len);
		assert_bytes_eq(a->u.raw.data, b->u.raw.data, a->u.raw.len);
		break;
	}
}

/*
 * Build @p in, find it again with dpsctp_tlv_next(), decode it, compare field by field, then build
 * the decoded value and compare the bytes.
 */
static void
roundtrip(const struct dpsctp_cause *in)
{
	uint8_t buf[256], again[256];
	struct dpsctp_wbuf w, w2;
	struct dpsctp_cause out;
	struct dpsctp_tlv t;
	const uint8_t *p = buf;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_cause_build(&w, in), 0, "build code %#x", in->code);
	cr_assert_eq(dpsctp_tlv_next(&p, buf + w.len, &t), 1);
	cr_assert_eq(p, buf + w.len, "one TLV, no trailing padding");
	cr_assert_eq(t.type, in->code);
	cr_assert_eq(t.len, w.len);
	cr_assert_eq(dpsctp_cause_decode(&t, &out), 0, "decode code %#x", in->code);
	assert_cause_eq(in, &out);

	dpsctp_wbuf_init(&w2, again, sizeof(again));
	cr_assert_eq(dpsctp_cause_build(&w2, &out), 0);
	cr_assert_eq(w2.len, w.len);
	assert_bytes_eq(buf, again, w.len);
}

Test(cause, every_cause_round_trips)
{
	size_t i;

	for (i = 0; i < NELEM(samples); i++)
		roundtrip(&samples[i]);
}

Test(cause, samples_cover_every_known_code)
{
	unsigned code, known = 0;
	size_t i;

	for (code = 0; code <= 0xffff; code++) {
		bool found = false;

		if (!dpsctp_cause_code_known((uint16_t)code))
			continue;
		known++;
		for (i = 0; i < NELEM(samples); i++)
			found |= samples[i].code == code;
		cr_assert(found, "no sample of code %#x", code);
	}
	cr_assert_eq(known, 19);
}

struct golden {
	struct dpsctp_cause c;
	size_t len;
	uint8_t wire[24];
};

/* The layouts of the RFCs, byte for byte. */
static const struct golden goldens[] = {
	{{.code = DPSCTP_CAUSE_INVALID_STREAM, .u.invalid_stream = {0x0102, 0}}, 8,
		{0, 1, 0, 8, 1, 2, 0, 0}},
	{{.code = DPSCTP_CAUSE_MISSING_PARAM, .u.missing = {missing1, 1}}, 10,
		{0, 2, 0, 10, 0, 0, 0, 1, 0, 7}},
	{{.code = DPSCTP_CAUSE_STALE_COOKIE, .u.u32 = 0x01020304}, 8, {0, 3, 0, 8, 1, 2, 3, 4}},
	{EMPTY(OUT_OF_RESOURCE), 4, {0, 4, 0, 4}},
	{RAW(UNRESOLVABLE_ADDR, v4_tlv), 12, {0, 5, 0, 12, 0, 5, 0, 8, 192, 0, 2, 1}},
	{RAW(UNRECOGNIZED_CHUNK, chunk_exact), 9, {0, 6, 0, 9, 0xff, 1, 0, 5, 0x42}},
	{EMPTY(INVALID_MANDATORY_PARAM), 4, {0, 7, 0, 4}},
	{RAW(UNRECOGNIZED_PARAMS, params1), 9, {0, 8, 0, 9, 0x40, 1, 0, 5, 9}},
	{{.code = DPSCTP_CAUSE_NO_USER_DATA, .u.u32 = 0xa0b0c0d0}, 8,
		{0, 9, 0, 8, 0xa0, 0xb0, 0xc0, 0xd0}},
	{EMPTY(COOKIE_IN_SHUTDOWN), 4, {0, 10, 0, 4}},
	{RAW(RESTART_NEW_ADDRS, v4_tlv), 12, {0, 11, 0, 12, 0, 5, 0, 8, 192, 0, 2, 1}},
	{RAW(USER_ABORT, reason), 7, {0, 12, 0, 7, 'b', 'y', 'e'}},
	{RAW(PROTOCOL_VIOLATION, info1), 5, {0, 13, 0, 5, 0xee}},
	{RAW(DELETE_LAST_ADDR, del_ip), 20,
		{0, 0xa0, 0, 20, 0xc0, 2, 0, 16, 0, 0, 0, 1, 0, 5, 0, 8, 192, 0, 2, 1}},
	{EMPTY(ILLEGAL_ASCONF_ACK), 4, {0, 0xa3, 0, 4}},
	/* RFC 4895 4.1: Cause Length = 6, the padding is not counted */
	{{.code = DPSCTP_CAUSE_UNSUPPORTED_HMAC, .u.hmac_id = 2}, 6, {1, 5, 0, 6, 0, 2}},
};

Test(cause, builders_write_the_rfc_layouts)
{
	uint8_t buf[64];
	struct dpsctp_wbuf w;
	size_t i;

	for (i = 0; i < NELEM(goldens); i++) {
		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		cr_assert_eq(dpsctp_cause_build(&w, &goldens[i].c), 0);
		cr_assert_eq(w.len, goldens[i].len, "code %#x", goldens[i].c.code);
		assert_bytes_eq(buf, goldens[i].wire, w.len);
	}
}

Test(cause, unsupported_hmac_is_padded_by_the_chunk_not_counted)
{
	const struct dpsctp_cause c = {.code = DPSCTP_CAUSE_UNSUPPORTED_HMAC, .u.hmac_id = 7};
	static const uint8_t want[12] = {DPSCTP_CHUNK_ERROR, 0, 0, 10, 1, 5, 0, 6, 0, 7, 0, 0};
	uint8_t buf[32];
	struct dpsctp_wbuf w;
	size_t mark;

	memset(buf, 0xee, sizeof(buf));
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_chunk_begin(&w, DPSCTP_CHUNK_ERROR, 0, &mark), 0);
	cr_assert_eq(dpsctp_cause_build(&w, &c), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(w.len, sizeof(want));
	assert_bytes_eq(buf, want, sizeof(want));
}

Test(cause, causes_of_an_abort_iterate_back_in_order)
{
	uint8_t buf[512];
	struct dpsctp_wbuf w;
	struct dpsctp_chunk ch;
	struct dpsctp_cause out;
	struct dpsctp_tlv t;
	const uint8_t *p = buf, *v, *end;
	size_t mark, i;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_chunk_begin(&w, DPSCTP_CHUNK_ABORT, 0, &mark), 0);
	for (i = 0; i < NELEM(samples); i++)
		cr_assert_eq(dpsctp_cause_build(&w, &samples[i]), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(w.len % 4, 0);

	cr_assert_eq(dpsctp_chunk_next(&p, buf + w.len, &ch), 1);
	v = ch.value;
	end = ch.value + dpsctp_chunk_value_len(&ch);
	for (i = 0; i < NELEM(samples); i++) {
		cr_assert_eq(dpsctp_tlv_next(&v, end, &t), 1);
		cr_assert_eq(dpsctp_cause_decode(&t, &out), 0);
		assert_cause_eq(&samples[i], &out);
	}
	cr_assert_eq(dpsctp_tlv_next(&v, end, &t), 0);
}

Test(cause, causes_of_an_error_cause_indication_decode)
{
	const struct dpsctp_cause last = RAW(DELETE_LAST_ADDR, del_ip);
	const struct dpsctp_cause bye = RAW(USER_ABORT, reason);
	uint8_t region[64], buf[128];
	struct dpsctp_wbuf w;
	struct dpsctp_param ind = {.type = DPSCTP_PARAM_ERROR_CAUSE_IND};
	struct dpsctp_param pout;
	struct dpsctp_cause out;
	struct dpsctp_tlv t;
	const uint8_t *p, *end;

	/* RFC 5061 5.2: Delete Last Remaining IP Address, carrying the Delete IP parameter */
	dpsctp_wbuf_init(&w, region, sizeof(region));
	cr_assert_eq(dpsctp_cause_build(&w, &last), 0);
	cr_assert_eq(dpsctp_cause_build(&w, &bye), 0);
	ind.u.error_ind.corr_id = 1;
	ind.u.error_ind.causes.data = region;
	ind.u.error_ind.causes.len = w.len;
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	cr_assert_eq(dpsctp_param_build(&w, &ind), 0);

	p = buf;
	cr_assert_eq(dpsctp_tlv_next(&p, buf + w.len, &t), 1);
	cr_assert_eq(dpsctp_param_decode(&t, &pout), 0);
	p = pout.u.error_ind.causes.data;
	end = p + pout.u.error_ind.causes.len;
	cr_assert_eq(dpsctp_tlv_next(&p, end, &t), 1);
	cr_assert_eq(dpsctp_cause_decode(&t, &out), 0);
	assert_cause_eq(&last, &out);
	cr_assert_eq(dpsctp_tlv_next(&p, end, &t), 1);
	cr_assert_eq(dpsctp_cause_decode(&t, &out), 0);
	assert_cause_eq(&bye, &out);
	cr_assert_eq(dpsctp_tlv_next(&p, end, &t), 0);
}

/* Every capacity below the needed one fails with -ENOSPC and leaves the buffer as it was. */
static void
check_enospc(const struct dpsctp_cause *in, size_t prefix)
{
	uint8_t big[256], buf[256], ref[256];
	struct dpsctp_wbuf w;
	size_t need, cap;

	dpsctp_wbuf_init(&w, big, sizeof(big));
	w.len = prefix;
	cr_assert_eq(dpsctp_cause_build(&w, in), 0);
	need = w.len;
	for (cap = prefix; cap < need; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		memset(buf, 0x11, prefix);
		memcpy(ref, buf, sizeof(ref));
		dpsctp_wbuf_init(&w, buf, cap);
		w.len = prefix;
		cr_assert_eq(
			dpsctp_cause_build(&w, in), -ENOSPC, "code %#x cap %zu", in->code, cap);
		cr_assert_eq(w.len, prefix);
		assert_bytes_eq(buf, ref, sizeof(buf));
	}
	dpsctp_wbuf_init(&w, buf, need);
	w.len = prefix;
	cr_assert_eq(dpsctp_cause_build(&w, in), 0);
	cr_assert_eq(w.len, need);
}

Test(cause, builders_fail_with_enospc_below_the_needed_capacity)
{
	size_t i;

	for (i = 0; i < NELEM(samples); i++) {
		check_enospc(&samples[i], 0);
		check_enospc(&samples[i], 7);
	}
}

Test(cause, oversized_causes_fail_with_emsgsize)
{
	size_t cap = 70000;
	uint8_t *buf = calloc(1, cap);
	uint8_t *src = calloc(1, cap);
	struct dpsctp_cause c = {.code = DPSCTP_CAUSE_USER_ABORT, .u.raw = {src, 65531}};
	struct dpsctp_wbuf w;

	cr_assert_not_null(buf);
	cr_assert_not_null(src);
	dpsctp_wbuf_init(&w, buf, cap);
	cr_assert_eq(dpsctp_cause_build(&w, &c), 0);
	cr_assert_eq(w.len, 65535);

	dpsctp_wbuf_init(&w, buf, cap);
	c.u.raw.len = 65532;
	cr_assert_eq(dpsctp_cause_build(&w, &c), -EMSGSIZE);
	c.u.raw.len = SIZE_MAX;
	cr_assert_eq(dpsctp_cause_build(&w, &c), -EMSGSIZE);

	c.code = DPSCTP_CAUSE_MISSING_PARAM;
	c.u.missing.data = src;
	c.u.missing.n = 32764; /* 4 + 4 + 65528 */
	cr_assert_eq(dpsctp_cause_build(&w, &c), -EMSGSIZE);
	c.u.missing.n = SIZE_MAX;
	cr_assert_eq(dpsctp_cause_build(&w, &c), -EMSGSIZE);
	cr_assert_eq(w.len, 0);
	c.u.missing.n = 32763;
	cr_assert_eq(dpsctp_cause_build(&w, &c), 0);
	cr_assert_eq(w.len, 65534);
	cr_assert_eq(dpsctp_get_be32(buf + 4), 32763);
	free(buf);
	free(src);
}

Test(cause, inconsistent_input_fails_with_einval)
{
	static const uint8_t not_tlv[4] = {0, 5, 0, 8};
	static const uint8_t not_chunk[4] = {0xff, 0, 0, 3};
	static const uint8_t bad_region[6] = {0, 5, 0, 2, 0, 0};
	const struct dpsctp_cause bad[] = {
		{.code = 0x1234},
		{.code = DPSCTP_CAUSE_USER_ABORT, .u.raw = {NULL, 3}},
		{.code = DPSCTP_CAUSE_MISSING_PARAM, .u.missing = {NULL, 1}},
		EMPTY(UNRESOLVABLE_ADDR),
		RAW(UNRESOLVABLE_ADDR, not_tlv),
		RAW(UNRESOLVABLE_ADDR, params2),
		EMPTY(UNRECOGNIZED_CHUNK),
		RAW(UNRECOGNIZED_CHUNK, not_chunk),
		RAW(UNRECOGNIZED_CHUNK, info1),
		RAW(UNRECOGNIZED_PARAMS, bad_region),
		RAW(RESTART_NEW_ADDRS, info5),
		EMPTY(DELETE_LAST_ADDR),
		RAW(NO_AUTHORIZATION, reason),
	};
	uint8_t buf[64];
	struct dpsctp_wbuf w;
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		dpsctp_wbuf_init(&w, buf, sizeof(buf));
		cr_assert_eq(dpsctp_cause_build(&w, &bad[i]), -EINVAL, "case %zu", i);
		cr_assert_eq(w.len, 0);
	}
}

/* Decode a value of exactly @p len bytes held in its own allocation, so ASan sees overreads. */
static int
decode_exact(uint16_t code, const uint8_t *v, size_t len, struct dpsctp_cause *out)
{
	uint8_t *copy = malloc(len == 0 ? 1 : len);
	struct dpsctp_tlv t = {.type = code, .len = (uint16_t)(len + 4), .value = copy};
	int rc;

	cr_assert_not_null(copy);
	if (len != 0)
		memcpy(copy, v, len);
	rc = dpsctp_cause_decode(&t, out);
	free(copy);
	return rc;
}

struct bad_case {
	uint16_t code;
	uint8_t len; /* value length */
	uint8_t v[16];
};

static const struct bad_case bad_causes[] = {
	{DPSCTP_CAUSE_INVALID_STREAM, 0, {0}},
	{DPSCTP_CAUSE_INVALID_STREAM, 2, {0}},
	{DPSCTP_CAUSE_INVALID_STREAM, 8, {0}},
	/* Missing Mandatory Parameter: short, count without types, types without count,
	 * half a type, a count that overflows the length */
	{DPSCTP_CAUSE_MISSING_PARAM, 0, {0}},
	{DPSCTP_CAUSE_MISSING_PARAM, 3, {0}},
	{DPSCTP_CAUSE_MISSING_PARAM, 4, {0, 0, 0, 1}},
	{DPSCTP_CAUSE_MISSING_PARAM, 6, {0, 0, 0, 0, 0, 7}},
	{DPSCTP_CAUSE_MISSING_PARAM, 7, {0, 0, 0, 1, 0, 7, 0}},
	{DPSCTP_CAUSE_MISSING_PARAM, 8, {0, 0, 0, 1, 0, 7, 0, 9}},
	{DPSCTP_CAUSE_MISSING_PARAM, 6, {0xff, 0xff, 0xff, 0xff, 0, 7}},
	{DPSCTP_CAUSE_STALE_COOKIE, 3, {0}},
	{DPSCTP_CAUSE_STALE_COOKIE, 8, {0}},
	{DPSCTP_CAUSE_OUT_OF_RESOURCE, 1, {0}},
	{DPSCTP_CAUSE_OUT_OF_RESOURCE, 4, {0}},
	/* Unresolvable Address: empty, short, inner length too small / too big, two TLVs,
	 * bytes after the inner TLV's padding */
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 0, {0}},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 3, {0, 5, 0}},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 4, {0, 5, 0, 2}},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 8, {0, 5, 0, 12, 192, 0, 2, 1}},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 8, {0, 5, 0, 4, 0, 6, 0, 4}},
	{DPSCTP_CAUSE_UNRESOLVABLE_ADDR, 12, {0, 11, 0, 5, 'h', 0, 0, 0, 1, 2, 3, 4}},
	/* Unrecognized Chunk Type: empty, short, chunk length below a header, longer than the
	 * cause, two chunks, bytes after the chunk's padding */
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 0, {0}},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 3, {0xff, 0, 0}},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 4, {0xff, 0, 0, 3}},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 8, {0xff, 0, 0, 12, 1, 2, 3, 4}},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 8, {0xff, 0, 0, 4, 0xfe, 0, 0, 4}},
	{DPSCTP_CAUSE_UNRECOGNIZED_CHUNK, 12, {0xff, 0, 0, 5, 1, 0, 0, 0, 9, 9, 9, 9}},
	{DPSCTP_CAUSE_INVALID_MANDATORY_PARAM, 4, {0}},
	/* Unrecognized Parameters, Restart with New Addresses: broken TLV regions */
	{DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, 3, {0x80, 0, 0}},
	{DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, 4, {0x80, 0, 0, 2}},
	{DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, 4, {0x80, 0, 0, 8}},
	{DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, 6, {0x80, 0, 0, 4, 0, 0}},
	{DPSCTP_CAUSE_NO_USER_DATA, 0, {0}},
	{DPSCTP_CAUSE_NO_USER_DATA, 5, {0}},
	{DPSCTP_CAUSE_COOKIE_IN_SHUTDOWN, 2, {0}},
	{DPSCTP_CAUSE_RESTART_NEW_ADDRS, 3, {0}},
	{DPSCTP_CAUSE_RESTART_NEW_ADDRS, 8, {0, 6, 0, 20, 0x20, 0x01, 0x0d, 0xb8}},
	{DPSCTP_CAUSE_RESTART_NEW_ADDRS, 12, {0, 5, 0, 8, 192, 0, 2, 1, 0, 6, 0, 20}},
	/* RFC 5061 causes: the ASCONF parameter in question must be one whole TLV */
	{DPSCTP_CAUSE_DELETE_LAST_ADDR, 0, {0}},
	{DPSCTP_CAUSE_DELETE_LAST_ADDR, 4, {0xc0, 2, 0, 3}},
	{DPSCTP_CAUSE_RESOURCE_SHORTAGE, 8, {0xc0, 1, 0, 4, 0xc0, 1, 0, 4}},
	{DPSCTP_CAUSE_DELETE_SOURCE_ADDR, 8, {0xc0, 2, 0, 16, 0, 0, 0, 1}},
	{DPSCTP_CAUSE_ILLEGAL_ASCONF_ACK, 4, {0}},
	{DPSCTP_CAUSE_NO_AUTHORIZATION, 2, {0xc0, 4}},
	/* RFC 4895 4.1: exactly 2 value bytes; the padding is not counted */
	{DPSCTP_CAUSE_UNSUPPORTED_HMAC, 0, {0}},
	{DPSCTP_CAUSE_UNSUPPORTED_HMAC, 1, {0}},
	{DPSCTP_CAUSE_UNSUPPORTED_HMAC, 3, {0}},
	{DPSCTP_CAUSE_UNSUPPORTED_HMAC, 4, {0, 2, 0, 0}},
};

Test(cause, malformed_values_fail_with_ebadmsg)
{
	struct dpsctp_cause out, ref;
	size_t i;

	memset(&ref, 0x5a, sizeof(ref));
	for (i = 0; i < NELEM(bad_causes); i++) {
		out = ref;
		cr_assert_eq(
			decode_exact(bad_causes[i].code, bad_causes[i].v, bad_causes[i].len, &out),
			-EBADMSG, "case %zu (code %#x, %u bytes)", i, bad_causes[i].code,
			bad_causes[i].len);
		cr_assert(memcmp(&out, &ref, sizeof(out)) == 0, "output untouched");
	}
}

Test(cause, length_field_below_a_header_fails_with_ebadmsg)
{
	uint8_t v[4] = {0};
	struct dpsctp_tlv t = {.type = DPSCTP_CAUSE_OUT_OF_RESOURCE, .len = 3, .value = v};
	struct dpsctp_cause out;

	cr_assert_eq(dpsctp_cause_decode(&t, &out), -EBADMSG);
}

Test(cause, missing_param_types_read_in_host_order)
{
	struct dpsctp_tlv t = {.type = DPSCTP_CAUSE_MISSING_PARAM, .len = 12, .value = NULL};
	static const uint8_t v[8] = {0, 0, 0, 2, 0, 7, 0x80, 0x02};
	struct dpsctp_cause out;

	t.value = v;
	cr_assert_eq(dpsctp_cause_decode(&t, &out), 0);
	cr_assert_eq(out.u.missing.n, 2);
	cr_assert_eq(dpsctp_list_u16(&out.u.missing, 0), DPSCTP_PARAM_STATE_COOKIE);
	cr_assert_eq(dpsctp_list_u16(&out.u.missing, 1), DPSCTP_PARAM_RANDOM);
}

Test(cause, unknown_codes_fail_with_enoent_and_have_no_name)
{
	static const uint16_t unknown[] = {0, 14, 15, 0x9f, 0xa5, 0x100, 0x104, 0x106, 0xffff};
	static const uint8_t v[8] = {0};
	struct dpsctp_cause out, ref;
	size_t i;

	memset(&ref, 0x5a, sizeof(ref));
	for (i = 0; i < NELEM(unknown); i++) {
		out = ref;
		cr_assert_eq(decode_exact(unknown[i], v, sizeof(v), &out), -ENOENT);
		cr_assert(memcmp(&out, &ref, sizeof(out)) == 0);
		cr_assert_null(dpsctp_cause_name(unknown[i]));
		cr_assert_not(dpsctp_cause_code_known(unknown[i]));
	}
}

Test(cause, every_known_code_has_a_distinct_name)
{
	const char *names[32];
	unsigned code, n = 0, i;

	for (code = 0; code <= 0xffff; code++) {
		const char *name = dpsctp_cause_name((uint16_t)code);

		cr_assert_eq(name != NULL, dpsctp_cause_code_known((uint16_t)code));
		if (name == NULL)
			continue;
		cr_assert_gt(strlen(name), 0);
		for (i = 0; i < n; i++)
			cr_assert_str_neq(names[i], name);
		cr_assert_lt(n, NELEM(names));
		names[n++] = name;
	}
	cr_assert_str_eq(dpsctp_cause_name(DPSCTP_CAUSE_STALE_COOKIE), "Stale Cookie Error");
	cr_assert_str_eq(
		dpsctp_cause_name(DPSCTP_CAUSE_UNSUPPORTED_HMAC), "Unsupported HMAC Identifier");
}

/* Decode an exact-size copy of @p v and, when that succeeds, build the result into @p buf. */
static int
decode_rebuild(uint16_t code, const uint8_t *v, size_t len, struct dpsctp_wbuf *w, uint8_t *buf,
	size_t cap)
{
	uint8_t *copy = malloc(len == 0 ? 1 : len);
	struct dpsctp_tlv t = {.type = code, .len = (uint16_t)(len + 4), .value = copy};
	struct dpsctp_cause out;
	int rc;

	cr_assert_not_null(copy);
	if (len != 0)
		memcpy(copy, v, len);
	rc = dpsctp_cause_decode(&t, &out);
	if (rc == 0) {
		dpsctp_wbuf_init(w, buf, cap);
		cr_assert_eq(dpsctp_cause_build(w, &out), 0, "code %#x len %zu", code, len);
	}
	free(copy);
	return rc;
}

/*
 * Every known code with values of every length up to 40 and a few byte patterns: decode never
 * reads outside the value, and whatever it accepts builds back to the same bytes.
 */
Test(cause, whatever_decodes_builds_back_to_the_same_bytes)
{
	uint8_t v[40], buf[64];
	struct dpsctp_wbuf w;
	unsigned code, pat;
	size_t len, i;
	int rc;

	for (code = 0; code <= 0xffff; code++) {
		if (!dpsctp_cause_code_known((uint16_t)code))
			continue;
		for (pat = 0; pat < 4; pat++)
			for (len = 0; len <= sizeof(v); len++) {
				for (i = 0; i < len; i++)
					v[i] = pat == 0 ? 0 : pat == 1 ? 0xff : (uint8_t)(i * 37);
				/* pattern 3: a nested header whose length covers the value */
				if (pat == 3 && len >= 4) {
					v[2] = 0;
					v[3] = (uint8_t)len;
				}
				rc = decode_rebuild((uint16_t)code, v, len, &w, buf, sizeof(buf));
				cr_assert(rc == 0 || rc == -EBADMSG, "code %#x len %zu", code, len);
				if (rc != 0)
					continue;
				cr_assert_eq(w.len, len + 4, "code %#x len %zu", code, len);
				cr_assert_eq(dpsctp_get_be16(buf), code);
				cr_assert_eq(dpsctp_get_be16(buf + 2), len + 4);
				assert_bytes_eq(buf + 4, v, len);
			}
	}
}

Test(cause, exactly_the_causes_that_quote_parameters_say_they_hold_params)
{
	static const uint16_t holders[] = {DPSCTP_CAUSE_UNRESOLVABLE_ADDR,
		DPSCTP_CAUSE_UNRECOGNIZED_PARAMS, DPSCTP_CAUSE_RESTART_NEW_ADDRS,
		DPSCTP_CAUSE_DELETE_LAST_ADDR, DPSCTP_CAUSE_RESOURCE_SHORTAGE,
		DPSCTP_CAUSE_DELETE_SOURCE_ADDR, DPSCTP_CAUSE_NO_AUTHORIZATION};
	unsigned int code, i, n = 0;
	bool want;

	for (code = 0; code <= 0xffff; code++) {
		for (want = false, i = 0; i < sizeof(holders) / sizeof(holders[0]); i++)
			want |= holders[i] == code;
		cr_assert_eq(dpsctp_cause_holds_params((uint16_t)code), want, "code %#x", code);
		n += want;
	}
	cr_assert_eq(n, 7);
}
