/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * INIT and INIT ACK parameters (initparam.h): what dpsctp_init_params_parse takes from a peer's
 * chunk (RFC 9260 3.3.2, 3.3.3, 5.1.2, RFC 5061 4.2.6), the 3.2.1 upper-two-bit rules for
 * parameters it does not implement and the report they produce (3.2.2: wrapped in Unrecognized
 * Parameter for an INIT ACK, raw for an Unrecognized Parameters cause), and what
 * dpsctp_local_params_build puts into our own INIT / INIT ACK.
 *
 * Chunks are made with the codec's builders (dpsctp_init_begin, dpsctp_tlv_put,
 * dpsctp_chunk_end) and read back with dpsctp_chunk_next + dpsctp_init_decode, as the engine
 * sees them.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chunk.h"
#include "initparam.h"
#include "param.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

TestSuite(initparam);

/* Unknown to the codec and the engine, one per upper-two-bit action. */
#define T_STOP 0x0033
#define T_STOP_REPORT 0x4033
#define T_SKIP 0x8033
#define T_SKIP_REPORT 0xc033

static uint8_t cbuf[8192];
static struct dpsctp_wbuf cw;
static size_t cmark;
static bool c_ack;
static struct dpsctp_init init;
static struct dpsctp_init_params ip;
static uint8_t rbuf[1024];
static struct dpsctp_wbuf rep;

/* Open an INIT (or INIT ACK) chunk without parameters; add them with put(). */
static void
begin(bool ack)
{
	struct dpsctp_init in = {
		.init_tag = 0x01020304,
		.a_rwnd = 65536,
		.os = 10,
		.mis = 10,
		.initial_tsn = 77,
	};

	c_ack = ack;
	dpsctp_wbuf_init(&cw, cbuf, sizeof(cbuf));
	if (ack)
		cr_assert_eq(dpsctp_init_ack_begin(&cw, &in, &cmark), 0);
	else
		cr_assert_eq(dpsctp_init_begin(&cw, &in, &cmark), 0);
	dpsctp_wbuf_init(&rep, rbuf, sizeof(rbuf));
}

static void
put(uint16_t type, const void *value, size_t len)
{
	cr_assert_eq(dpsctp_tlv_put(&cw, type, value, len), 0);
}

static void
put_v4(uint8_t last)
{
	uint8_t a[4] = {10, 0, 0, last};

	put(DPSCTP_PARAM_IPV4, a, 4);
}

static void
put_v6(uint8_t last)
{
	uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0};

	a[15] = last;
	put(DPSCTP_PARAM_IPV6, a, 16);
}

static struct dpsctp_addr
v4(uint8_t last)
{
	struct dpsctp_addr a = {.family = 4, .bytes = {10, 0, 0, last}};

	return a;
}

static struct dpsctp_addr
v6(uint8_t last)
{
	struct dpsctp_addr a = {.family = 6, .bytes = {0x20, 0x01, 0x0d, 0xb8}};

	a.bytes[15] = last;
	return a;
}

/* Close the chunk and decode it as the engine does. */
static void
finish(void)
{
	const uint8_t *p = cbuf;
	struct dpsctp_chunk c;

	cr_assert_eq(dpsctp_chunk_end(&cw, cmark), 0);
	cr_assert_eq(dpsctp_chunk_next(&p, cbuf + cw.len, &c), 1);
	if (c_ack)
		cr_assert_eq(dpsctp_init_ack_decode(&c, &init), 0);
	else
		cr_assert_eq(dpsctp_init_decode(&c, &init), 0);
}

static enum dpsctp_initparam_stop
parse(bool wrap)
{
	finish();
	return dpsctp_init_params_parse(&init, c_ack, &ip, &rep, wrap);
}

static void
assert_addr(const struct dpsctp_addr *got, const struct dpsctp_addr *want)
{
	cr_assert_eq(got->family, want->family);
	cr_assert_arr_eq(got->bytes, want->bytes, want->family == 4 ? 4 : 16);
}

/*
 * What is taken
 */

Test(initparam, no_parameters_is_ok_and_empty)
{
	begin(false);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 0);
	cr_assert_eq(ip.addrs_ignored, 0);
	cr_assert_null(ip.cookie);
	cr_assert(!ip.has_addr_types);
	cr_assert(!ip.has_adaptation);
	cr_assert(!ip.has_host_name);
	cr_assert_eq(ip.cookie_preservative_ms, 0);
	cr_assert_eq(ip.unrecognized, 0);
	cr_assert_eq(rep.len, 0);
}

Test(initparam, addresses_are_collected_in_order)
{
	struct dpsctp_addr a = v4(1), b = v6(2), c = v4(3);

	begin(false);
	put_v4(1);
	put_v6(2);
	put_v4(3);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 3);
	assert_addr(&ip.addrs[0], &a);
	assert_addr(&ip.addrs[1], &b);
	assert_addr(&ip.addrs[2], &c);
	cr_assert_eq(ip.addrs_ignored, 0);
}

Test(initparam, addresses_are_collected_from_init_ack_too)
{
	struct dpsctp_addr a = v6(9);

	begin(true);
	put_v6(9);
	put(DPSCTP_PARAM_STATE_COOKIE, "c", 1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 1);
	assert_addr(&ip.addrs[0], &a);
}

Test(initparam, duplicate_addresses_are_kept_once)
{
	struct dpsctp_addr a = v4(1), b = v6(1);

	begin(false);
	put_v4(1);
	put_v6(1);
	put_v4(1);
	put_v6(1);
	put_v4(1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 2);
	assert_addr(&ip.addrs[0], &a);
	assert_addr(&ip.addrs[1], &b);
	cr_assert_eq(ip.addrs_ignored, 0);
}

Test(initparam, addresses_beyond_max_are_counted_as_ignored)
{
	uint8_t i;

	begin(false);
	for (i = 0; i < DPSCTP_MAX_ADDRS; i++)
		put_v4((uint8_t)(i + 1));
	put_v4(1); /* a duplicate of a kept one is not "ignored" */
	put_v4(200);
	put_v6(1);
	put_v4(201);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, DPSCTP_MAX_ADDRS);
	cr_assert_eq(ip.addrs_ignored, 3);
	for (i = 0; i < DPSCTP_MAX_ADDRS; i++) {
		struct dpsctp_addr a = v4((uint8_t)(i + 1));

		assert_addr(&ip.addrs[i], &a);
	}
}

Test(initparam, without_supported_address_types_both_families_are_assumed)
{
	begin(false);
	put_v4(1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(!ip.has_addr_types);
	cr_assert(ip.supports_v4);
	cr_assert(ip.supports_v6);
}

static void
addr_types(const uint16_t *types, size_t n)
{
	uint8_t w[16];
	size_t i;

	for (i = 0; i < n; i++)
		dpsctp_put_be16(w + 2 * i, types[i]);
	put(DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, w, 2 * n);
}

Test(initparam, supported_address_types_ipv4_only)
{
	static const uint16_t t[] = {DPSCTP_PARAM_IPV4};

	begin(false);
	addr_types(t, 1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_addr_types);
	cr_assert(ip.supports_v4);
	cr_assert(!ip.supports_v6);
}

Test(initparam, supported_address_types_ipv6_only)
{
	static const uint16_t t[] = {DPSCTP_PARAM_IPV6};

	begin(false);
	addr_types(t, 1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_addr_types);
	cr_assert(!ip.supports_v4);
	cr_assert(ip.supports_v6);
}

Test(initparam, supported_address_types_both_and_host_name)
{
	static const uint16_t t[] = {DPSCTP_PARAM_HOST_NAME, DPSCTP_PARAM_IPV6, DPSCTP_PARAM_IPV4};

	begin(false);
	addr_types(t, 3);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_addr_types);
	cr_assert(ip.supports_v4);
	cr_assert(ip.supports_v6);
	cr_assert(!ip.has_host_name, "listing the Host Name type is not a Host Name Address");
}

Test(initparam, cookie_preservative_is_taken_from_init)
{
	uint8_t v[4];

	dpsctp_put_be32(v, 123456);
	begin(false);
	put(DPSCTP_PARAM_COOKIE_PRESERVATIVE, v, 4);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.cookie_preservative_ms, 123456);
}

Test(initparam, adaptation_layer_indication_is_taken)
{
	uint8_t v[4];

	dpsctp_put_be32(v, 0xdeadbeef);
	begin(false);
	put(DPSCTP_PARAM_ADAPTATION_LAYER, v, 4);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_adaptation);
	cr_assert_eq(ip.adaptation, 0xdeadbeef);

	begin(true);
	put(DPSCTP_PARAM_STATE_COOKIE, "ck", 2);
	put(DPSCTP_PARAM_ADAPTATION_LAYER, v, 4);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_adaptation);
	cr_assert_eq(ip.adaptation, 0xdeadbeef);
}

Test(initparam, host_name_address_is_flagged_with_its_whole_parameter)
{
	static const char name[] = "peer.example"; /* 12 bytes + NUL */

	begin(false);
	put_v4(1);
	put(DPSCTP_PARAM_HOST_NAME, name, sizeof(name));
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert(ip.has_host_name);
	cr_assert_not_null(ip.host_name_tlv);
	cr_assert_eq(ip.host_name_len, 4 + sizeof(name));
	cr_assert_eq(dpsctp_get_be16(ip.host_name_tlv), DPSCTP_PARAM_HOST_NAME);
	cr_assert_eq(dpsctp_get_be16(ip.host_name_tlv + 2), 4 + sizeof(name));
	cr_assert_arr_eq(ip.host_name_tlv + 4, name, sizeof(name));
	cr_assert_eq(ip.unrecognized, 0);
}

Test(initparam, state_cookie_is_taken_from_init_ack)
{
	static const uint8_t ck[] = {1, 2, 3, 4, 5, 6, 7};

	begin(true);
	put_v4(1);
	put(DPSCTP_PARAM_STATE_COOKIE, ck, sizeof(ck));
	put_v4(2);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_not_null(ip.cookie);
	cr_assert_eq(ip.cookie_len, sizeof(ck));
	cr_assert_arr_eq(ip.cookie, ck, sizeof(ck));
	cr_assert_eq(ip.naddrs, 2);
}

Test(initparam, state_cookie_is_not_taken_from_init)
{
	static const uint8_t ck[] = {1, 2, 3, 4, 5, 6, 7};

	begin(false);
	put(DPSCTP_PARAM_STATE_COOKIE, ck, sizeof(ck));
	(void)parse(true);
	cr_assert_null(ip.cookie);
	cr_assert_eq(ip.cookie_len, 0);
}

/*
 * RFC 9260 3.2.1: the upper two bits of an unrecognised parameter type
 */

static const uint8_t odd_value[3] = {0xa1, 0xa2, 0xa3}; /* length 7: padding follows */

/* 00: "Stop processing this parameter and do not process any further parameters within this
 * chunk." Nothing to report. */
Test(initparam, unknown_type_00_stops_processing_without_report)
{
	enum dpsctp_initparam_stop rc;

	begin(false);
	put_v4(1);
	put(T_STOP, odd_value, sizeof(odd_value));
	put_v4(2);
	rc = parse(true);
	cr_assert_eq(rc, DPSCTP_INITPARAM_STOP);
	cr_assert_eq(ip.naddrs, 1, "a parameter after the 00 one was processed");
	cr_assert_eq(ip.unrecognized, 1);
	cr_assert_eq(rep.len, 0);
}

/* The raw report: the whole TLV (its padding may follow). */
static void
assert_raw_tlv(const uint8_t *p, size_t avail, uint16_t type, const uint8_t *value, size_t len)
{
	cr_assert_geq(avail, 4 + len);
	cr_assert_eq(dpsctp_get_be16(p), type, "reported type %#x", dpsctp_get_be16(p));
	cr_assert_eq(dpsctp_get_be16(p + 2), 4 + len);
	cr_assert_arr_eq(p + 4, value, len);
}

/* The wrapped report: an Unrecognized Parameter (type 8) whose value is the whole TLV. */
static size_t
assert_wrapped_tlv(const uint8_t *p, size_t avail, uint16_t type, const uint8_t *value, size_t len)
{
	uint16_t outer;

	cr_assert_geq(avail, 8 + len);
	cr_assert_eq(dpsctp_get_be16(p), DPSCTP_PARAM_UNRECOGNIZED);
	outer = dpsctp_get_be16(p + 2);
	cr_assert(outer == 8 + len || outer == 8 + dpsctp_pad4(len),
		"Unrecognized Parameter length %u for a %zu-byte parameter", outer, 4 + len);
	assert_raw_tlv(p + 4, avail - 4, type, value, len);
	return dpsctp_pad4(outer);
}

/* 01: "Stop processing this parameter and do not process any further parameters within this
 * chunk. Report the unrecognized parameter". */
Test(initparam, unknown_type_01_stops_and_reports_wrapped)
{
	begin(false);
	put_v4(1);
	put(T_STOP_REPORT, odd_value, sizeof(odd_value));
	put_v4(2);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_STOP_REPORT);
	cr_assert_eq(ip.naddrs, 1);
	cr_assert_eq(ip.unrecognized, 1);
	cr_assert_leq(assert_wrapped_tlv(rbuf, rep.len, T_STOP_REPORT, odd_value, 3),
		dpsctp_pad4(rep.len));
	cr_assert_leq(rep.len, 12, "more than the one parameter reported: %zu bytes", rep.len);
}

Test(initparam, unknown_type_01_stops_and_reports_raw)
{
	begin(false);
	put_v4(1);
	put(T_STOP_REPORT, odd_value, sizeof(odd_value));
	put_v4(2);
	cr_assert_eq(parse(false), DPSCTP_INITPARAM_STOP_REPORT);
	cr_assert_eq(ip.naddrs, 1);
	assert_raw_tlv(rbuf, rep.len, T_STOP_REPORT, odd_value, 3);
	cr_assert_leq(rep.len, 8);
}

/* 10: "Skip this parameter and continue processing." */
Test(initparam, unknown_type_10_is_skipped_silently)
{
	begin(false);
	put_v4(1);
	put(T_SKIP, odd_value, sizeof(odd_value));
	put_v4(2);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 2);
	cr_assert_eq(ip.unrecognized, 1);
	cr_assert_eq(rep.len, 0);
}

/* 11: "Skip this parameter and continue processing but report the unrecognized parameter". */
Test(initparam, unknown_type_11_is_skipped_and_reported_wrapped)
{
	begin(false);
	put_v4(1);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put_v4(2);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 2);
	cr_assert_eq(ip.unrecognized, 1);
	assert_wrapped_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_leq(rep.len, 12);
}

Test(initparam, unknown_type_11_is_skipped_and_reported_raw)
{
	begin(false);
	put_v4(1);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put_v4(2);
	cr_assert_eq(parse(false), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 2);
	assert_raw_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_leq(rep.len, 8);
}

Test(initparam, each_reported_parameter_is_wrapped_on_its_own)
{
	static const uint8_t v2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	size_t off;

	begin(false);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put(T_SKIP, odd_value, sizeof(odd_value));
	put(0xc0ff, v2, sizeof(v2));
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.unrecognized, 3);
	off = assert_wrapped_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_eq(off, 12);
	off += assert_wrapped_tlv(rbuf + off, rep.len - off, 0xc0ff, v2, sizeof(v2));
	cr_assert_eq(dpsctp_pad4(rep.len), off);
	cr_assert_eq(rbuf[11], 0, "padding between reports is not zero");
}

Test(initparam, raw_reports_follow_each_other_padded)
{
	static const uint8_t v2[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	begin(false);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put(0xc0ff, v2, sizeof(v2));
	put(T_STOP_REPORT, v2, 2);
	cr_assert_eq(parse(false), DPSCTP_INITPARAM_STOP_REPORT);
	assert_raw_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_eq(rbuf[7], 0);
	assert_raw_tlv(rbuf + 8, rep.len - 8, 0xc0ff, v2, sizeof(v2));
	assert_raw_tlv(rbuf + 20, rep.len - 20, T_STOP_REPORT, v2, 2);
	cr_assert_leq(rep.len, 28);
}

Test(initparam, report_that_does_not_fit_is_cut_at_a_whole_parameter)
{
	static const uint8_t big[40] = {0};

	begin(false);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put(0xc0fe, big, sizeof(big));
	finish();
	dpsctp_wbuf_init(&rep, rbuf, 20); /* room for the first wrapped parameter only */
	cr_assert_eq(dpsctp_init_params_parse(&init, false, &ip, &rep, true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.unrecognized, 2);
	assert_wrapped_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_leq(rep.len, 12);

	dpsctp_wbuf_init(&rep, rbuf, 20);
	cr_assert_eq(dpsctp_init_params_parse(&init, false, &ip, &rep, false), DPSCTP_INITPARAM_OK);
	assert_raw_tlv(rbuf, rep.len, T_SKIP_REPORT, odd_value, 3);
	cr_assert_leq(rep.len, 8);
}

Test(initparam, report_buffer_is_optional)
{
	begin(false);
	put(T_SKIP_REPORT, odd_value, sizeof(odd_value));
	put(T_STOP_REPORT, odd_value, sizeof(odd_value));
	finish();
	cr_assert_eq(dpsctp_init_params_parse(&init, false, &ip, NULL, true),
		DPSCTP_INITPARAM_STOP_REPORT);
	cr_assert_eq(ip.unrecognized, 2);
}

/* Extensions the codec decodes but the engine does not implement follow the same rule, so that
 * a peer learns we lack them (RFC 3758 3.3.1: Forward-TSN-Supported is 0xC000, reported). */
Test(initparam, unimplemented_extension_parameters_follow_their_upper_bits)
{
	static const uint8_t ext[3] = {DPSCTP_CHUNK_FORWARD_TSN, DPSCTP_CHUNK_ASCONF, 0};

	begin(false);
	put(DPSCTP_PARAM_ECN_CAPABLE, NULL, 0);
	put(DPSCTP_PARAM_FORWARD_TSN_SUPPORTED, NULL, 0);
	put(DPSCTP_PARAM_SUPPORTED_EXT, ext, 2);
	put_v4(1);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 1);
	cr_assert_eq(ip.unrecognized, 2);
	assert_wrapped_tlv(rbuf, rep.len, DPSCTP_PARAM_FORWARD_TSN_SUPPORTED, odd_value, 0);
	cr_assert_eq(rep.len, 8);
}

/*
 * A known parameter that does not decode
 */

static void
assert_invalid(uint16_t type, size_t len)
{
	static const uint8_t zeros[32] = {0};

	begin(false);
	put_v4(1);
	put(type, zeros, len);
	put_v4(2);
	cr_assert_eq(
		parse(true), DPSCTP_INITPARAM_INVALID, "type %#x with %zu value bytes", type, len);
}

Test(initparam, known_parameter_with_bad_length_is_invalid)
{
	assert_invalid(DPSCTP_PARAM_IPV4, 0);
	assert_invalid(DPSCTP_PARAM_IPV4, 3);
	assert_invalid(DPSCTP_PARAM_IPV4, 5);
	assert_invalid(DPSCTP_PARAM_IPV4, 16);
	assert_invalid(DPSCTP_PARAM_IPV6, 4);
	assert_invalid(DPSCTP_PARAM_IPV6, 15);
	assert_invalid(DPSCTP_PARAM_IPV6, 17);
	assert_invalid(DPSCTP_PARAM_COOKIE_PRESERVATIVE, 2);
	assert_invalid(DPSCTP_PARAM_COOKIE_PRESERVATIVE, 8);
	assert_invalid(DPSCTP_PARAM_ADAPTATION_LAYER, 3);
	assert_invalid(DPSCTP_PARAM_ADAPTATION_LAYER, 0);
	assert_invalid(DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, 3);
}

Test(initparam, empty_state_cookie_in_init_ack_is_left_to_the_engine)
{
	begin(true);
	put(DPSCTP_PARAM_STATE_COOKIE, NULL, 0);
	/* an empty cookie decodes; the engine judges it (3.3.3: mandatory, so missing) */
	(void)parse(true);
	cr_assert_eq(ip.cookie_len, 0);
}

/*
 * Our parameters: dpsctp_local_params_build
 */

struct seen {
	size_t naddrs;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS + 2];
	int addr_types;    /* number of Supported Address Types parameters */
	uint16_t types[4]; /* their content */
	size_t ntypes;
	bool preservative;
	uint32_t preservative_ms;
	bool adaptation;
	uint32_t adaptation_ind;
	int other;
};

static void
build_local(bool ack, const struct dpsctp_addr *addrs, size_t n, uint32_t pres, bool adapt,
	struct seen *s)
{
	struct dpsctp_local_params lp = {
		.addrs = addrs,
		.naddrs = n,
		.is_ack = ack,
		.cookie_preservative_ms = pres,
		.has_adaptation = adapt,
		.adaptation = 0x01020304,
	};
	const uint8_t *p, *end;
	struct dpsctp_tlv t;
	int rc;

	begin(ack);
	cr_assert_eq(dpsctp_local_params_build(&cw, &lp), 0);
	finish();
	memset(s, 0, sizeof(*s));
	p = init.params;
	end = init.params + init.params_len;
	while ((rc = dpsctp_tlv_next(&p, end, &t)) == 1) {
		struct dpsctp_param prm;
		size_t i;

		cr_assert_eq(
			dpsctp_param_decode(&t, &prm), 0, "parameter %#x does not decode", t.type);
		switch (t.type) {
		case DPSCTP_PARAM_IPV4:
		case DPSCTP_PARAM_IPV6:
			cr_assert_lt(s->naddrs, DPSCTP_MAX_ADDRS + 2);
			s->addrs[s->naddrs++] = prm.u.addr;
			break;
		case DPSCTP_PARAM_SUPPORTED_ADDR_TYPES:
			s->addr_types++;
			for (i = 0; i < prm.u.list.n && i < 4; i++)
				s->types[i] = dpsctp_list_u16(&prm.u.list, i);
			s->ntypes = prm.u.list.n;
			break;
		case DPSCTP_PARAM_COOKIE_PRESERVATIVE:
			s->preservative = true;
			s->preservative_ms = prm.u.u32;
			break;
		case DPSCTP_PARAM_ADAPTATION_LAYER:
			s->adaptation = true;
			s->adaptation_ind = prm.u.u32;
			break;
		default:
			s->other++;
			break;
		}
	}
	cr_assert_eq(rc, 0);
}

static bool
types_have(const struct seen *s, uint16_t type)
{
	size_t i;

	for (i = 0; i < s->ntypes; i++)
		if (s->types[i] == type)
			return true;
	return false;
}

/* 5.1.2: a single-homed endpoint lists no address: the packet's source address is the one. */
Test(initparam, single_homed_init_lists_no_address_and_supported_types)
{
	struct dpsctp_addr a = v4(1);
	struct seen s;

	build_local(false, &a, 1, 0, false, &s);
	cr_assert_eq(s.naddrs, 0);
	cr_assert_eq(s.addr_types, 1);
	cr_assert_eq(s.ntypes, 1);
	cr_assert(types_have(&s, DPSCTP_PARAM_IPV4));
	cr_assert(!s.preservative);
	cr_assert(!s.adaptation);
	cr_assert_eq(s.other, 0);
}

Test(initparam, single_homed_ipv6_init_announces_ipv6)
{
	struct dpsctp_addr a = v6(1);
	struct seen s;

	build_local(false, &a, 1, 0, false, &s);
	cr_assert_eq(s.naddrs, 0);
	cr_assert_eq(s.addr_types, 1);
	cr_assert_eq(s.ntypes, 1);
	cr_assert(types_have(&s, DPSCTP_PARAM_IPV6));
}

/* 3.3.3: Supported Address Types is not an INIT ACK parameter. */
Test(initparam, single_homed_init_ack_carries_nothing)
{
	struct dpsctp_addr a = v4(1);
	struct seen s;

	build_local(true, &a, 1, 0, false, &s);
	cr_assert_eq(init.params_len, 0);
	cr_assert_eq(s.naddrs, 0);
	cr_assert_eq(s.addr_types, 0);
}

Test(initparam, multi_homed_init_lists_all_addresses)
{
	struct dpsctp_addr a[3] = {v4(1), v6(2), v4(3)};
	struct seen s;
	size_t i;

	build_local(false, a, 3, 0, false, &s);
	cr_assert_eq(s.naddrs, 3);
	for (i = 0; i < 3; i++)
		assert_addr(&s.addrs[i], &a[i]);
	cr_assert_eq(s.addr_types, 1);
	cr_assert(types_have(&s, DPSCTP_PARAM_IPV4));
	cr_assert(types_have(&s, DPSCTP_PARAM_IPV6));
	cr_assert_eq(s.ntypes, 2);
}

Test(initparam, multi_homed_init_ack_lists_all_addresses_without_supported_types)
{
	struct dpsctp_addr a[2] = {v4(1), v4(2)};
	struct seen s;

	build_local(true, a, 2, 0, false, &s);
	cr_assert_eq(s.naddrs, 2);
	assert_addr(&s.addrs[0], &a[0]);
	assert_addr(&s.addrs[1], &a[1]);
	cr_assert_eq(s.addr_types, 0);
}

Test(initparam, local_params_carry_cookie_preservative_and_adaptation)
{
	struct dpsctp_addr a = v4(1);
	struct seen s;

	build_local(false, &a, 1, 4321, true, &s);
	cr_assert(s.preservative);
	cr_assert_eq(s.preservative_ms, 4321);
	cr_assert(s.adaptation);
	cr_assert_eq(s.adaptation_ind, 0x01020304);
	build_local(true, &a, 1, 0, true, &s);
	cr_assert(!s.preservative);
	cr_assert(s.adaptation);
}

Test(initparam, local_params_parse_back_to_what_was_given)
{
	struct dpsctp_addr a[4] = {v4(1), v6(2), v4(3), v6(4)};
	struct dpsctp_local_params lp = {.addrs = a, .naddrs = 4, .cookie_preservative_ms = 9};
	size_t i;

	begin(false);
	cr_assert_eq(dpsctp_local_params_build(&cw, &lp), 0);
	cr_assert_eq(parse(true), DPSCTP_INITPARAM_OK);
	cr_assert_eq(ip.naddrs, 4);
	for (i = 0; i < 4; i++)
		assert_addr(&ip.addrs[i], &a[i]);
	cr_assert(ip.has_addr_types);
	cr_assert(ip.supports_v4);
	cr_assert(ip.supports_v6);
	cr_assert_eq(ip.cookie_preservative_ms, 9);
	cr_assert_eq(ip.unrecognized, 0);
	cr_assert_eq(rep.len, 0);
}

Test(initparam, local_params_that_do_not_fit_give_enospc_and_leave_the_buffer)
{
	struct dpsctp_addr a[3] = {v4(1), v6(2), v4(3)};
	struct dpsctp_local_params lp = {.addrs = a, .naddrs = 3, .has_adaptation = true};
	uint8_t small[128];
	struct dpsctp_wbuf w;
	size_t cap;

	for (cap = 20; cap < 20 + 8 + 20 + 8 + 8 + 8; cap++) {
		dpsctp_wbuf_init(&w, small, cap);
		w.len = 20;
		cr_assert_eq(dpsctp_local_params_build(&w, &lp), -ENOSPC, "cap %zu", cap);
		cr_assert_eq(w.len, 20, "cap %zu: length not restored", cap);
	}
	dpsctp_wbuf_init(&w, small, cap);
	w.len = 20;
	cr_assert_eq(dpsctp_local_params_build(&w, &lp), 0);
}
