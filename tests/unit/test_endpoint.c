/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint's packet rules (engine.h), by direct injection: hand-built packets go into
 * dpsctp_endpoint_input, what dpsctp_endpoint_output gives back is parsed and checked. No
 * simulator: the "peer" is this file, building INIT, COOKIE ECHO, ABORT... with the codec.
 *
 * Covered: out-of-the-blue packets (RFC 9260 8.4), stateless INIT handling (5.1, 5.1.3, 3.3.2,
 * 3.2.1), COOKIE ECHO (5.1.5: MAC, Valid.Cookie.Life, Stale Cookie, secret rotation), the
 * Verification Tag rules once associated (8.5, 8.5.1), unrecognised chunks (3.2), HEARTBEAT
 * (8.3), the ABORT primitive (9.1, 3.3.10.12), and endpoint creation / allocation failures.
 *
 * The fixture is ep_harness.h: the environment counts allocations; every test ends by destroying
 * its endpoints and checking that nothing is left (LEAK_CHECKED_TEST), .fini does it again for
 * tests that failed.
 */

#include "ep_harness.h"

#define PEER_TSN 0x00001000u

/* The last ASSOC_CHANGE event of endpoint @p ep with state @p st, or NULL. */
static const struct ev_rec *
find_ev(int ep, enum dpsctp_assoc_change_state st)
{
	unsigned int i;

	for (i = nev; i-- > 0;)
		if (evs[i].ep == ep && evs[i].type == DPSCTP_EV_ASSOC_CHANGE && evs[i].state == st)
			return &evs[i];
	return NULL;
}

TestSuite(endpoint, .init = h_setup, .fini = leak_check);

/* The engine's defaults, heartbeats included. */
static struct dpsctp_proto_config
default_config(void)
{
	struct dpsctp_proto_config cfg;

	dpsctp_proto_config_default(&cfg);
	return cfg;
}

/* ---- packets in ---- */

static void
add_raw(uint8_t type, uint8_t flags, const void *value, size_t len)
{
	size_t mark;

	cr_assert_eq(dpsctp_chunk_begin(&tx, type, flags, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&tx, value, len), 0);
	cr_assert_eq(dpsctp_chunk_end(&tx, mark), 0);
}

static void
add_heartbeat(const void *info, size_t len)
{
	struct dpsctp_heartbeat hb = {0};
	size_t mark;

	cr_assert_eq(dpsctp_heartbeat_begin(&tx, &hb, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_HEARTBEAT_INFO, info, len), 0);
	end_chunk(mark);
}

static void
add_abort(bool t, uint16_t cause, const void *data, size_t len)
{
	struct dpsctp_abort ab = {.t = t};
	size_t mark;

	cr_assert_eq(dpsctp_abort_begin(&tx, &ab, &mark), 0);
	if (cause != 0)
		cr_assert_eq(dpsctp_tlv_put(&tx, cause, data, len), 0);
	end_chunk(mark);
}

static void
add_error(uint16_t cause, const void *data, size_t len)
{
	struct dpsctp_error er = {0};
	size_t mark;

	cr_assert_eq(dpsctp_error_begin(&tx, &er, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, cause, data, len), 0);
	end_chunk(mark);
}

static void
add_shutdown_complete(bool t)
{
	struct dpsctp_shutdown_complete sc = {.t = t};

	cr_assert_eq(dpsctp_shutdown_complete_build(&tx, &sc), 0);
}

static void
add_cookie_echo(const uint8_t *ck, size_t len)
{
	struct dpsctp_cookie_echo ce = {.cookie = ck, .cookie_len = len};

	cr_assert_eq(dpsctp_cookie_echo_build(&tx, &ce), 0);
}

/* ---- packets out ---- */

/* The first TLV of a region (parameters or causes). */
static struct dpsctp_tlv
first_tlv(const uint8_t *region, size_t len)
{
	const uint8_t *p = region;
	struct dpsctp_tlv t;

	cr_assert_eq(dpsctp_tlv_next(&p, region + len, &t), 1, "no TLV in a %zu-byte region", len);
	return t;
}

/* The ABORT at the start of rx, decoded, with its checks on tag and T bit. */
static struct dpsctp_abort
take_abort(uint32_t vtag, bool t)
{
	struct dpsctp_chunk c = take_first(DPSCTP_CHUNK_ABORT);
	struct dpsctp_abort ab;

	cr_assert_eq(dpsctp_abort_decode(&c, &ab), 0);
	cr_assert_eq(rx.pi.hdr.vtag, vtag, "ABORT vtag %#x, expected %#x", rx.pi.hdr.vtag, vtag);
	cr_assert_eq(ab.t, t, "ABORT T bit %d, expected %d", ab.t, t);
	return ab;
}

/* From ESTABLISHED, the peer sends SHUTDOWN: the endpoint answers and is in SHUTDOWN-ACK-SENT. */
static void
to_shutdown_ack_sent(struct dpsctp_assoc *a)
{
	struct dpsctp_shutdown sd = {.cum_tsn = ep_tsn - 1};

	start(ep_tag);
	cr_assert_eq(dpsctp_shutdown_build(&tx, &sd), 0);
	cr_assert_eq(inject(), 0);
	take_first(DPSCTP_CHUNK_SHUTDOWN_ACK);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_SHUTDOWN_ACK_SENT);
}

static const uint8_t hb_info[37] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
	19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37};

/*
 * RFC 9260 8.4: out-of-the-blue packets
 */

/* Rule 2: "If the OOTB packet contains an ABORT chunk, the receiver MUST silently discard". */
LEAK_CHECKED_TEST(endpoint, ootb_rule2_abort_is_discarded_silently)
{
	make_ep(true, NULL);
	start(0x12345678);
	add_abort(false, 0, NULL, 0);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	expect_silence();
	start(0x12345678);
	add_abort(true, DPSCTP_CAUSE_USER_ABORT, "x", 1);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 2);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* Rule 3: an INIT that cannot be processed: ABORT with the Initiate Tag, T bit clear. */
LEAK_CHECKED_TEST(endpoint, ootb_rule3_init_to_non_listening_endpoint_gets_abort_with_init_tag)
{
	make_ep(false, NULL);
	send_init(PEER_TAG, 10, 10);
	take_abort(PEER_TAG, false);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NOT_LISTENING], 1);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* Rule 5: SHUTDOWN ACK: SHUTDOWN COMPLETE, the packet's tag, T bit set. */
LEAK_CHECKED_TEST(endpoint, ootb_rule5_shutdown_ack_gets_shutdown_complete_with_t_bit)
{
	struct dpsctp_chunk c;
	struct dpsctp_shutdown_complete sc;

	make_ep(true, NULL);
	start(0xabcdef01);
	cr_assert_eq(dpsctp_shutdown_ack_build(&tx), 0);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	c = take_first(DPSCTP_CHUNK_SHUTDOWN_COMPLETE);
	cr_assert_eq(dpsctp_shutdown_complete_decode(&c, &sc), 0);
	cr_assert(sc.t, "T bit not set");
	cr_assert_eq(rx.pi.hdr.vtag, 0xabcdef01);
	cr_assert_eq(rx.pi.nchunks, 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 1);
}

/* Rule 6: SHUTDOWN COMPLETE: silently discard. */
LEAK_CHECKED_TEST(endpoint, ootb_rule6_shutdown_complete_is_discarded_silently)
{
	make_ep(true, NULL);
	start(0xabcdef01);
	add_shutdown_complete(false);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	start(0xabcdef01);
	add_shutdown_complete(true);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 2);
}

/* Rule 7: COOKIE ACK or an ERROR with Stale Cookie: silently discard. */
LEAK_CHECKED_TEST(endpoint, ootb_rule7_cookie_ack_is_discarded_silently)
{
	make_ep(true, NULL);
	start(0x01010101);
	cr_assert_eq(dpsctp_cookie_ack_build(&tx), 0);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 1);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule7_stale_cookie_error_is_discarded_silently)
{
	uint8_t measure[4];

	make_ep(true, NULL);
	dpsctp_put_be32(measure, 1000);
	start(0x01010101);
	add_error(DPSCTP_CAUSE_STALE_COOKIE, measure, 4);
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 1);
}

/* Rule 8: anything else: ABORT, the packet's tag, T bit set. */
static void
assert_rule8_abort(uint32_t vtag)
{
	cr_assert_eq(inject(), DPSCTP_DROP_OOTB + 1);
	take_abort(vtag, true);
	cr_assert_eq(rx.pi.nchunks, 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_OOTB], 1);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule8_heartbeat_gets_abort_with_t_bit)
{
	make_ep(true, NULL);
	start(0x0badcafe);
	add_heartbeat(hb_info, sizeof(hb_info));
	assert_rule8_abort(0x0badcafe);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule8_data_gets_abort_with_t_bit)
{
	struct dpsctp_data d = {
		.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E,
		.tsn = 1,
		.payload = (const uint8_t *)"hello",
		.payload_len = 5,
	};

	make_ep(true, NULL);
	start(0x0badcafe);
	cr_assert_eq(dpsctp_data_build(&tx, &d), 0);
	assert_rule8_abort(0x0badcafe);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule8_sack_gets_abort_with_t_bit)
{
	make_ep(true, NULL);
	start(0x0badcafe);
	cr_assert_eq(dpsctp_sack_build(&tx, 7, 65536, NULL, 0, NULL, 0), 0);
	assert_rule8_abort(0x0badcafe);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule8_error_other_than_stale_cookie_gets_abort_with_t_bit)
{
	uint8_t v[4] = {0, 3, 0, 0};

	make_ep(true, NULL);
	start(0x0badcafe);
	add_error(DPSCTP_CAUSE_INVALID_STREAM, v, 4);
	assert_rule8_abort(0x0badcafe);
}

LEAK_CHECKED_TEST(endpoint, ootb_rule8_applies_to_a_non_listening_endpoint_too)
{
	make_ep(false, NULL);
	start(0x0badcafe);
	add_heartbeat(hb_info, sizeof(hb_info));
	assert_rule8_abort(0x0badcafe);
}

/* 8.5.1 A: "When an endpoint receives an SCTP packet with the Verification Tag set to 0, it
 * SHOULD verify that the packet contains only an INIT chunk. Otherwise, the receiver MUST
 * silently discard the packet." This comes before the OOTB rules of 8.4: no rule 8 ABORT. */
LEAK_CHECKED_TEST(endpoint, ootb_packet_with_zero_vtag_and_no_init_is_discarded_silently)
{
	make_ep(true, NULL);
	start(0);
	add_heartbeat(hb_info, sizeof(hb_info));
	cr_assert_neq(inject(), 0);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, packet_to_another_port_is_dropped)
{
	make_ep(true, NULL);
	dpsctp_wbuf_init(&tx, txb, sizeof(txb));
	cr_assert_eq(dpsctp_common_hdr_build(&tx, PEER_PORT, EP_PORT + 1, 0), 0);
	end_chunk(begin_init(PEER_TAG, 10, 10));
	cr_assert_eq(inject(), DPSCTP_DROP_BAD_PORT + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_PORT], 1);
}

/*
 * RFC 9260 5.1, 3.3.2: INIT at a listening endpoint
 */

/* 3.1: "A packet containing an INIT chunk MUST have a zero Verification Tag." */
LEAK_CHECKED_TEST(endpoint, init_with_nonzero_vtag_is_dropped)
{
	make_ep(true, NULL);
	start(0x77777777);
	end_chunk(begin_init(PEER_TAG, 10, 10));
	cr_assert_neq(inject(), 0);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_VTAG], 1);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* 3.3.2: "If the value of the Initiate Tag in a received INIT chunk is found to be 0, the
 * receiver MUST silently discard the packet." */
LEAK_CHECKED_TEST(endpoint, init_with_zero_initiate_tag_is_dropped_silently)
{
	make_ep(true, NULL);
	send_init(0, 10, 10);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->replies_queued, 0);
}

/* 3.3.2: OS or MIS of 0: "the receiver MUST discard the packet and SHOULD respond with an
 * ABORT ... with an Invalid Mandatory Parameter", to the Initiate Tag. */
static void
assert_invalid_mandatory(uint16_t os, uint16_t mis)
{
	struct dpsctp_abort ab;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init(PEER_TAG, os, mis);
	ab = take_abort(PEER_TAG, false);
	t = first_tlv(ab.causes, ab.causes_len);
	cr_assert_eq(t.type, DPSCTP_CAUSE_INVALID_MANDATORY_PARAM, "cause %u", t.type);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, init_with_zero_outbound_streams_gets_abort_invalid_mandatory_parameter)
{
	assert_invalid_mandatory(0, 10);
}

LEAK_CHECKED_TEST(endpoint, init_with_zero_inbound_streams_gets_abort_invalid_mandatory_parameter)
{
	assert_invalid_mandatory(10, 0);
}

/* 5.1 B, 5.1.3: INIT ACK to the INIT's tag, a new non-zero tag, a State Cookie, and no state. */
LEAK_CHECKED_TEST(endpoint, valid_init_gets_init_ack_with_cookie_and_creates_no_association)
{
	struct dpsctp_init ia;
	size_t live_before;

	make_ep(true, NULL);
	live_before = cenv.live;
	send_init(PEER_TAG, 10, 20);
	ia = take_init_ack();
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(rx.pi.nchunks, 1);
	cr_assert_neq(ia.init_tag, 0);
	cr_assert_neq(ia.init_tag, PEER_TAG);
	cr_assert_gt(cookie_len, 0);
	cr_assert_gt(ia.os, 0);
	cr_assert_gt(ia.mis, 0);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(cenv.live, live_before, "the endpoint kept memory for an INIT");
}

LEAK_CHECKED_TEST(endpoint, each_init_gets_a_fresh_initiate_tag)
{
	uint32_t first;

	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	first = ep_tag;
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	cr_assert_neq(ep_tag, first);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

static void
send_init_with_param(uint16_t type, const void *v, size_t len)
{
	size_t mark;

	start(0);
	mark = begin_init(PEER_TAG, 10, 10);
	cr_assert_eq(dpsctp_tlv_put(&tx, type, v, len), 0);
	end_chunk(mark);
	inject();
}

static const uint8_t unk_value[5] = {0xde, 0xad, 0xbe, 0xef, 0x42};

/* 3.2.1 "11": skip and report, in the INIT ACK as an Unrecognized Parameter. */
LEAK_CHECKED_TEST(endpoint, init_with_unknown_param_11_gets_init_ack_reporting_it)
{
	struct dpsctp_init ia;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init_with_param(0xc123, unk_value, sizeof(unk_value));
	ia = take_init_ack();
	cr_assert(find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_UNRECOGNIZED, &t),
		"no Unrecognized Parameter in the INIT ACK");
	cr_assert_geq(dpsctp_tlv_value_len(&t), 4 + sizeof(unk_value));
	cr_assert_eq(dpsctp_get_be16(t.value), 0xc123);
	cr_assert_eq(dpsctp_get_be16(t.value + 2), 4 + sizeof(unk_value));
	cr_assert_arr_eq(t.value + 4, unk_value, sizeof(unk_value));
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* 3.2.1 "10": skip silently: INIT ACK without a report. */
LEAK_CHECKED_TEST(endpoint, init_with_unknown_param_10_gets_init_ack_without_report)
{
	struct dpsctp_init ia;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init_with_param(0x8123, unk_value, sizeof(unk_value));
	ia = take_init_ack();
	cr_assert(!find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_UNRECOGNIZED, &t));
}

/* 3.2.1 "01": stop processing the parameters after it, and report it (3.2.2: in the INIT ACK,
 * as Linux and FreeBSD do); the INIT is still answered. */
LEAK_CHECKED_TEST(endpoint, init_with_unknown_param_01_gets_init_ack_reporting_it)
{
	struct dpsctp_init ia;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init_with_param(0x4123, unk_value, sizeof(unk_value));
	ia = take_init_ack();
	cr_assert(find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_UNRECOGNIZED, &t),
		"no Unrecognized Parameter in the INIT ACK");
	cr_assert_eq(dpsctp_get_be16(t.value), 0x4123);
	cr_assert_eq(dpsctp_get_be16(t.value + 2), 4 + sizeof(unk_value));
	cr_assert_arr_eq(t.value + 4, unk_value, sizeof(unk_value));
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* 3.2.1 "00": stop processing the parameters after it, do not report; the INIT is answered. */
LEAK_CHECKED_TEST(endpoint, init_with_unknown_param_00_gets_init_ack_without_report)
{
	struct dpsctp_init ia;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init_with_param(0x0123, unk_value, sizeof(unk_value));
	ia = take_init_ack();
	cr_assert(!find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_UNRECOGNIZED, &t));
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* 5.1.2: Host Name Address: ABORT with an Unresolvable Address cause carrying it. */
LEAK_CHECKED_TEST(endpoint, init_with_host_name_address_gets_abort_unresolvable_address)
{
	static const char name[] = "peer.example.org";
	struct dpsctp_abort ab;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	send_init_with_param(DPSCTP_PARAM_HOST_NAME, name, sizeof(name));
	ab = take_abort(PEER_TAG, false);
	t = first_tlv(ab.causes, ab.causes_len);
	cr_assert_eq(t.type, DPSCTP_CAUSE_UNRESOLVABLE_ADDR, "cause %u", t.type);
	cr_assert_geq(dpsctp_tlv_value_len(&t), 4 + sizeof(name));
	cr_assert_eq(dpsctp_get_be16(t.value), DPSCTP_PARAM_HOST_NAME);
	cr_assert_arr_eq(t.value + 4, name, sizeof(name));
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/*
 * RFC 9260 5.1.5: COOKIE ECHO
 */

LEAK_CHECKED_TEST(endpoint, cookie_echo_creates_association_and_gets_cookie_ack)
{
	struct dpsctp_assoc_status st;
	const struct ev_rec *up;
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
	up = find_ev(1, DPSCTP_EV_COMM_UP);
	cr_assert_eq(up->assoc_id, dpsctp_assoc_id(a));
	dpsctp_assoc_get_status(a, &st);
	cr_assert_eq(st.state, DPSCTP_ESTABLISHED);
	cr_assert_eq(st.local_vtag, ep_tag);
	cr_assert_eq(st.peer_vtag, PEER_TAG);
	cr_assert_eq(st.peer_port, PEER_PORT);
	cr_assert_eq(st.peer_initial_tsn, PEER_TSN);
	cr_assert_eq(st.local_initial_tsn, ep_tsn);
	cr_assert_eq(st.outbound_streams, 10);
	cr_assert_eq(st.inbound_streams, 10);
	cr_assert_arr_eq(st.primary.remote.bytes, peer_addr.bytes, 4);
	cr_assert_arr_eq(st.primary.local.bytes, ep_addr.bytes, 4);
	cr_assert_eq(stats()->assocs_established, 1);
}

/* 5.1.5 / 8.5: the COOKIE ECHO packet must carry the tag of the INIT ACK. */
LEAK_CHECKED_TEST(endpoint, cookie_echo_with_wrong_vtag_is_dropped)
{
	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	cr_assert_neq(send_cookie_echo(ep_tag ^ 0x10), 0);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_VTAG], 1);
	cr_assert_null(find_ev(1, DPSCTP_EV_COMM_UP));
	/* the cookie itself is still good */
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
}

/* 5.1.5 step 2: "If the HMAC ... does not match ... silently discard the packet." */
LEAK_CHECKED_TEST(endpoint, cookie_echo_with_flipped_byte_is_dropped_silently)
{
	size_t pos[5], i;

	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	pos[0] = 0;
	pos[1] = 20;              /* the local tag */
	pos[2] = cookie_len / 2;  /* inside the INIT */
	pos[3] = cookie_len - 40; /* padding or INIT end */
	pos[4] = cookie_len - 1;  /* the MAC */
	for (i = 0; i < 5; i++) {
		cookie[pos[i]] ^= 0x01;
		cr_assert_eq(
			send_cookie_echo(ep_tag), DPSCTP_DROP_BAD_COOKIE + 1, "byte %zu", pos[i]);
		cookie[pos[i]] ^= 0x01;
		expect_silence();
	}
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_COOKIE], 5);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(nev, 0);
}

LEAK_CHECKED_TEST(endpoint, cookie_echo_with_truncated_cookie_is_dropped_silently)
{
	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	cookie_len -= 4;
	cr_assert_eq(send_cookie_echo(ep_tag), DPSCTP_DROP_BAD_COOKIE + 1);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* 5.1.5 step 3: past its life a cookie gets an ERROR with Stale Cookie, whose measure is the
 * time since it expired in microseconds; no association. */
LEAK_CHECKED_TEST(endpoint, cookie_echo_after_valid_cookie_life_gets_stale_cookie_error)
{
	struct dpsctp_proto_config cfg = default_config();
	struct dpsctp_chunk c;
	struct dpsctp_error er;
	struct dpsctp_cause cause;
	struct dpsctp_tlv t;

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	t_now += 100 * DPSCTP_MS + 2500 * 1000; /* 2500 us too late */
	cr_assert_eq(send_cookie_echo(ep_tag), DPSCTP_DROP_STALE_COOKIE + 1);
	c = take_first(DPSCTP_CHUNK_ERROR);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(dpsctp_error_decode(&c, &er), 0);
	t = first_tlv(er.causes, er.causes_len);
	cr_assert_eq(t.type, DPSCTP_CAUSE_STALE_COOKIE);
	cr_assert_eq(dpsctp_cause_decode(&t, &cause), 0);
	cr_assert_eq(cause.u.u32, 2500, "measure of staleness %u us, expected 2500", cause.u.u32);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_STALE_COOKIE], 1);
	cr_assert_null(find_ev(1, DPSCTP_EV_COMM_UP));
}

/* 5.1.5 step 3: "Compare the port numbers and the Verification Tag contained within the State
 * Cookie to the actual port numbers and the Verification Tag within the SCTP common header of
 * the received packet. If these values do not match, the packet MUST be silently discarded."
 * Step 3 comes before the lifetime (step 4): a stale cookie in the wrong packet is not answered
 * with Stale Cookie either. */
LEAK_CHECKED_TEST(endpoint, cookie_echo_from_another_port_is_dropped_silently)
{
	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	start_from(PEER_PORT + 1, ep_tag);
	add_cookie_echo(cookie, cookie_len);
	cr_assert_neq(inject(), 0);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, stale_cookie_echoed_with_wrong_vtag_is_dropped_silently)
{
	struct dpsctp_proto_config cfg = default_config();

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	t_now += 200 * DPSCTP_MS;
	cr_assert_neq(send_cookie_echo(ep_tag ^ 0x10), 0);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_STALE_COOKIE], 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, stale_cookie_echoed_from_another_port_is_dropped_silently)
{
	struct dpsctp_proto_config cfg = default_config();

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	t_now += 200 * DPSCTP_MS;
	start_from(PEER_PORT + 1, ep_tag);
	add_cookie_echo(cookie, cookie_len);
	cr_assert_neq(inject(), 0);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_STALE_COOKIE], 0);
}

LEAK_CHECKED_TEST(endpoint, cookie_echo_at_the_end_of_its_life_is_accepted)
{
	struct dpsctp_proto_config cfg = default_config();

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	t_now += 100 * DPSCTP_MS;
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
}

/* 5.2.6 / 3.3.2.1: a Cookie Preservative lengthens the life of the cookie it gets. */
LEAK_CHECKED_TEST(endpoint, cookie_preservative_extends_the_cookie_life)
{
	struct dpsctp_proto_config cfg = default_config();
	uint8_t ms[4];

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	make_ep(true, &cfg);
	dpsctp_put_be32(ms, 50);
	send_init_with_param(DPSCTP_PARAM_COOKIE_PRESERVATIVE, ms, 4);
	take_init_ack();
	t_now += 120 * DPSCTP_MS;
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
}

/* Run dpsctp_endpoint_expire at every deadline up to @p until, as a caller's loop does. */
static void
advance_to(uint64_t until)
{
	uint64_t d;

	while ((d = dpsctp_endpoint_next_deadline(g_ep)) <= until) {
		cr_assert_geq(d, t_now, "deadline in the past");
		t_now = d;
		dpsctp_endpoint_expire(g_ep, t_now);
	}
	t_now = until;
	dpsctp_endpoint_expire(g_ep, t_now);
}

/*
 * 5.1.3: the secret that MACs cookies is changed from time to time, the previous one still
 * accepted. The period is the engine's choice (engine.h: a multiple of Valid.Cookie.Life), so
 * the tests find the rotations through dpsctp_endpoint_next_deadline: without associations it
 * is the next rotation.
 */
static uint64_t
next_rotation(void)
{
	uint64_t d;

	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	d = dpsctp_endpoint_next_deadline(g_ep);
	cr_assert_neq(d, DPSCTP_NEVER, "no secret rotation scheduled");
	cr_assert_gt(d, t_now);
	return d;
}

static struct dpsctp_proto_config
short_cookie_life(void)
{
	struct dpsctp_proto_config cfg = default_config();

	cfg.valid_cookie_life = 100 * DPSCTP_MS;
	return cfg;
}

/* The period covers the longest cookie life (with a Cookie Preservative: twice Valid.Cookie.Life)
 * so that an expired cookie is still recognised and answered as stale. */
LEAK_CHECKED_TEST(endpoint, cookie_secret_lives_at_least_twice_valid_cookie_life)
{
	struct dpsctp_proto_config cfg = short_cookie_life();

	make_ep(true, &cfg);
	cr_assert_geq(next_rotation() - t_now, 2 * cfg.valid_cookie_life);
}

LEAK_CHECKED_TEST(endpoint, cookie_made_before_one_secret_rotation_is_accepted)
{
	struct dpsctp_proto_config cfg = short_cookie_life();
	uint64_t r1;

	make_ep(true, &cfg);
	r1 = next_rotation();
	advance_to(r1 - 10 * DPSCTP_MS);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	advance_to(r1 + 10 * DPSCTP_MS); /* rotated once; the cookie is 20 ms old */
	cr_assert_gt(next_rotation(), r1, "the secret did not rotate");
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
}

/* A cookie made before a rotation and echoed after it, too late: still recognised (previous
 * secret), so answered with Stale Cookie, not dropped as forged. */
LEAK_CHECKED_TEST(endpoint, expired_cookie_made_before_one_secret_rotation_gets_stale_cookie_error)
{
	struct dpsctp_proto_config cfg = short_cookie_life();
	struct dpsctp_chunk c;
	struct dpsctp_error er;
	struct dpsctp_cause cause;
	struct dpsctp_tlv t;
	uint64_t r1;

	make_ep(true, &cfg);
	r1 = next_rotation();
	advance_to(r1 - 10 * DPSCTP_MS);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	advance_to(r1 - 10 * DPSCTP_MS + cfg.valid_cookie_life + 5 * DPSCTP_MS);
	cr_assert_eq(send_cookie_echo(ep_tag), DPSCTP_DROP_STALE_COOKIE + 1);
	c = take_first(DPSCTP_CHUNK_ERROR);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(dpsctp_error_decode(&c, &er), 0);
	t = first_tlv(er.causes, er.causes_len);
	cr_assert_eq(t.type, DPSCTP_CAUSE_STALE_COOKIE);
	cr_assert_eq(dpsctp_cause_decode(&t, &cause), 0);
	cr_assert_eq(cause.u.u32, 5000, "measure of staleness %u us", cause.u.u32);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* After two rotations the secret that made the cookie is gone: the MAC fails, silently. */
LEAK_CHECKED_TEST(endpoint, cookie_from_before_two_secret_rotations_is_dropped_as_bad_cookie)
{
	struct dpsctp_proto_config cfg = short_cookie_life();
	uint64_t r1, r2;

	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	r1 = next_rotation();
	advance_to(r1);
	r2 = next_rotation();
	advance_to(r2 + DPSCTP_MS);
	cr_assert_eq(send_cookie_echo(ep_tag), DPSCTP_DROP_BAD_COOKIE + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_COOKIE], 1);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_STALE_COOKIE], 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, cookie_echo_to_non_listening_endpoint_creates_nothing)
{
	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	dpsctp_endpoint_listen(g_ep, false);
	cr_assert_neq(send_cookie_echo(ep_tag), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* A second COOKIE ECHO of the same cookie (COOKIE ACK lost): 5.2.4 D, answered again. */
LEAK_CHECKED_TEST(endpoint, repeated_cookie_echo_gets_cookie_ack_again_without_new_association)
{
	make_ep(true, NULL);
	establish();
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
	cr_assert_eq(stats()->assocs_established, 1);
}

/*
 * RFC 9260 8.5, 8.5.1: Verification Tags once associated
 */

/* 8.5: "the receiver MUST silently discard the packet" when the tag is not its own. */
LEAK_CHECKED_TEST(endpoint, packet_with_wrong_vtag_is_dropped_and_causes_nothing)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	start(ep_tag + 1);
	add_heartbeat(hb_info, sizeof(hb_info));
	cr_assert_eq(inject(), DPSCTP_DROP_BAD_VTAG + 1);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_VTAG], 1);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
	/* the peer's own tag is not ours either */
	start(PEER_TAG);
	add_heartbeat(hb_info, sizeof(hb_info));
	cr_assert_neq(inject(), 0);
	expect_silence();
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
}

static void
assert_aborted_by_peer(void)
{
	const struct ev_rec *lost = find_ev(1, DPSCTP_EV_COMM_LOST);

	cr_assert_not_null(lost, "no COMM_LOST event");
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_PEER], 1);
	expect_silence();
}

static void
assert_still_established(struct dpsctp_assoc *a)
{
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
	cr_assert_null(find_ev(1, DPSCTP_EV_COMM_LOST));
	expect_silence();
}

/* 8.5.1 B: "the receiver MUST accept the packet if the Verification Tag matches either its own
 * tag, OR the tag of its peer" - its own with T clear, the peer's with T set. */
LEAK_CHECKED_TEST(endpoint, abort_with_our_tag_and_t_clear_ends_association)
{
	const struct ev_rec *lost;

	make_ep(true, NULL);
	establish();
	start(ep_tag);
	add_abort(false, DPSCTP_CAUSE_USER_ABORT, "bye", 3);
	cr_assert_eq(inject(), 0);
	assert_aborted_by_peer();
	lost = find_ev(1, DPSCTP_EV_COMM_LOST);
	cr_assert_eq(lost->error, DPSCTP_CAUSE_USER_ABORT);
	cr_assert_eq(lost->info_len, 7);
}

LEAK_CHECKED_TEST(endpoint, abort_with_peer_tag_and_t_set_ends_association)
{
	make_ep(true, NULL);
	establish();
	start(PEER_TAG);
	add_abort(true, 0, NULL, 0);
	cr_assert_eq(inject(), 0);
	assert_aborted_by_peer();
}

LEAK_CHECKED_TEST(endpoint, abort_with_wrong_tag_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	start(ep_tag ^ 0x80000000);
	add_abort(false, 0, NULL, 0);
	inject();
	start(PEER_TAG ^ 0x80000000);
	add_abort(true, 0, NULL, 0);
	inject();
	assert_still_established(a);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_VTAG], 2);
}

LEAK_CHECKED_TEST(endpoint, abort_with_our_tag_and_t_set_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	start(ep_tag);
	add_abort(true, 0, NULL, 0);
	inject();
	assert_still_established(a);
}

LEAK_CHECKED_TEST(endpoint, abort_with_peer_tag_and_t_clear_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	start(PEER_TAG);
	add_abort(false, 0, NULL, 0);
	inject();
	assert_still_established(a);
}

/* 8.5.1 C: the same rules for SHUTDOWN COMPLETE, accepted in SHUTDOWN-ACK-SENT (9.2). */
static void
assert_shutdown_complete_accepted(void)
{
	cr_assert_not_null(find_ev(1, DPSCTP_EV_SHUTDOWN_COMP), "no SHUTDOWN_COMP event");
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	expect_silence();
}

static void
assert_shutdown_complete_ignored(struct dpsctp_assoc *a)
{
	cr_assert_null(find_ev(1, DPSCTP_EV_SHUTDOWN_COMP));
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_SHUTDOWN_ACK_SENT);
	expect_silence();
}

LEAK_CHECKED_TEST(endpoint, shutdown_complete_with_our_tag_and_t_clear_ends_association)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	to_shutdown_ack_sent(a);
	start(ep_tag);
	add_shutdown_complete(false);
	cr_assert_eq(inject(), 0);
	assert_shutdown_complete_accepted();
}

LEAK_CHECKED_TEST(endpoint, shutdown_complete_with_peer_tag_and_t_set_ends_association)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	to_shutdown_ack_sent(a);
	start(PEER_TAG);
	add_shutdown_complete(true);
	cr_assert_eq(inject(), 0);
	assert_shutdown_complete_accepted();
}

LEAK_CHECKED_TEST(endpoint, shutdown_complete_with_wrong_tag_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	to_shutdown_ack_sent(a);
	start(ep_tag ^ 0x00010000);
	add_shutdown_complete(false);
	inject();
	start(PEER_TAG ^ 0x00010000);
	add_shutdown_complete(true);
	inject();
	assert_shutdown_complete_ignored(a);
}

LEAK_CHECKED_TEST(endpoint, shutdown_complete_with_our_tag_and_t_set_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	to_shutdown_ack_sent(a);
	start(ep_tag);
	add_shutdown_complete(true);
	inject();
	assert_shutdown_complete_ignored(a);
}

LEAK_CHECKED_TEST(endpoint, shutdown_complete_with_peer_tag_and_t_clear_is_ignored)
{
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	to_shutdown_ack_sent(a);
	start(PEER_TAG);
	add_shutdown_complete(false);
	inject();
	assert_shutdown_complete_ignored(a);
}

/*
 * RFC 9260 3.2: unrecognised chunk types inside an association
 */

static const uint8_t unk_chunk_value[5] = {0x11, 0x22, 0x33, 0x44, 0x55};

struct outcome {
	bool hb_ack;
	bool error;
	uint8_t cause_value[64];
	size_t cause_len; /* value length of the first cause of the ERROR */
	uint16_t cause_code;
	unsigned int packets;
};

/* Send [unknown chunk of @p type][HEARTBEAT] and collect what comes back. */
static struct outcome
unknown_then_heartbeat(uint8_t type)
{
	struct outcome o;
	struct dpsctp_chunk c;

	memset(&o, 0, sizeof(o));
	start(ep_tag);
	add_raw(type, 0x5a, unk_chunk_value, sizeof(unk_chunk_value));
	add_heartbeat(hb_info, sizeof(hb_info));
	cr_assert_eq(inject(), 0);
	while (take(&rx)) {
		cr_assert_lt(o.packets++, 8);
		cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
		if (find_chunk(&rx, DPSCTP_CHUNK_HEARTBEAT_ACK, &c))
			o.hb_ack = true;
		if (find_chunk(&rx, DPSCTP_CHUNK_ERROR, &c)) {
			struct dpsctp_error er;
			struct dpsctp_tlv t;

			cr_assert_eq(dpsctp_error_decode(&c, &er), 0);
			t = first_tlv(er.causes, er.causes_len);
			o.error = true;
			o.cause_code = t.type;
			o.cause_len = dpsctp_tlv_value_len(&t);
			cr_assert_leq(o.cause_len, sizeof(o.cause_value));
			memcpy(o.cause_value, t.value, o.cause_len);
		}
	}
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNKNOWN_CHUNK], 1);
	return o;
}

/* 3.3.10.6: the Unrecognized Chunk Type cause carries the whole chunk. */
static void
assert_quotes_chunk(const struct outcome *o, uint8_t type)
{
	cr_assert(o->error, "no ERROR reporting chunk type %#x", type);
	cr_assert_eq(o->cause_code, DPSCTP_CAUSE_UNRECOGNIZED_CHUNK);
	cr_assert_geq(o->cause_len, 4 + sizeof(unk_chunk_value));
	cr_assert_eq(o->cause_value[0], type);
	cr_assert_eq(o->cause_value[1], 0x5a);
	cr_assert_eq(dpsctp_get_be16(o->cause_value + 2), 4 + sizeof(unk_chunk_value));
	cr_assert_arr_eq(o->cause_value + 4, unk_chunk_value, sizeof(unk_chunk_value));
}

/* "00 - Stop processing this SCTP packet; discard the unrecognized chunk and all further
 * chunks." */
LEAK_CHECKED_TEST(endpoint, unknown_chunk_00_stops_processing_of_the_packet)
{
	struct outcome o;

	make_ep(true, NULL);
	establish();
	o = unknown_then_heartbeat(0x3e);
	cr_assert(!o.hb_ack, "a chunk after the 00 chunk was processed");
	cr_assert(!o.error, "a 00 chunk was reported");
}

/* "01 - Stop processing this SCTP packet, discard the unrecognized chunk and all further
 * chunks, and report the unrecognized chunk in an ERROR chunk using the 'Unrecognized Chunk
 * Type' error cause." */
LEAK_CHECKED_TEST(endpoint, unknown_chunk_01_stops_processing_and_is_reported)
{
	struct outcome o;

	make_ep(true, NULL);
	establish();
	o = unknown_then_heartbeat(0x7e);
	cr_assert(!o.hb_ack, "a chunk after the 01 chunk was processed");
	assert_quotes_chunk(&o, 0x7e);
}

/* "10 - Skip this chunk and continue processing." */
LEAK_CHECKED_TEST(endpoint, unknown_chunk_10_is_skipped_and_the_rest_processed)
{
	struct outcome o;

	make_ep(true, NULL);
	establish();
	o = unknown_then_heartbeat(0xbe);
	cr_assert(o.hb_ack, "the HEARTBEAT after the 10 chunk was not answered");
	cr_assert(!o.error, "a 10 chunk was reported");
}

/* "11 - Skip this chunk and continue processing, but report in an ERROR chunk using the
 * 'Unrecognized Chunk Type' error cause." */
LEAK_CHECKED_TEST(endpoint, unknown_chunk_11_is_skipped_reported_and_the_rest_processed)
{
	struct outcome o;

	make_ep(true, NULL);
	establish();
	o = unknown_then_heartbeat(0xfe);
	cr_assert(o.hb_ack, "the HEARTBEAT after the 11 chunk was not answered");
	assert_quotes_chunk(&o, 0xfe);
}

/*
 * RFC 9260 8.3: HEARTBEAT
 */

static void
assert_heartbeat_echoed(const uint8_t *info, size_t len)
{
	struct dpsctp_chunk c;
	struct dpsctp_heartbeat hb;

	start(ep_tag);
	add_heartbeat(info, len);
	cr_assert_eq(inject(), 0);
	c = take_first(DPSCTP_CHUNK_HEARTBEAT_ACK);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(dpsctp_heartbeat_ack_decode(&c, &hb), 0);
	cr_assert_eq(hb.params_len, 4 + len, "echoed %zu bytes of parameters, sent %zu",
		hb.params_len, 4 + len);
	cr_assert_eq(dpsctp_get_be16(hb.params), DPSCTP_PARAM_HEARTBEAT_INFO);
	cr_assert_eq(dpsctp_get_be16(hb.params + 2), 4 + len);
	cr_assert_arr_eq(hb.params + 4, info, len);
	expect_silence();
}

LEAK_CHECKED_TEST(endpoint, heartbeat_gets_ack_echoing_heartbeat_info_byte_for_byte)
{
	make_ep(true, NULL);
	establish();
	assert_heartbeat_echoed(hb_info, sizeof(hb_info));
	assert_heartbeat_echoed(hb_info, 1);
}

LEAK_CHECKED_TEST(endpoint, heartbeat_with_long_info_is_echoed_whole)
{
	uint8_t big[1200];
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 13 + 7);
	make_ep(true, NULL);
	establish();
	assert_heartbeat_echoed(big, sizeof(big));
	assert_heartbeat_echoed(big, 300);
}

/* 8.3: "... contains the Heartbeat Information TLV, together with any other received TLVs,
 * copied unchanged from the received HEARTBEAT chunk." */
LEAK_CHECKED_TEST(endpoint, heartbeat_ack_copies_every_tlv_unchanged)
{
	static const uint8_t extra[6] = {9, 8, 7, 6, 5, 4};
	struct dpsctp_heartbeat hb = {0};
	struct dpsctp_chunk c;
	uint8_t sent[64];
	size_t mark, sent_len, start_off;

	make_ep(true, NULL);
	establish();
	start(ep_tag);
	cr_assert_eq(dpsctp_heartbeat_begin(&tx, &hb, &mark), 0);
	start_off = tx.len;
	cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_HEARTBEAT_INFO, hb_info, 5), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, 0x8077, extra, sizeof(extra)), 0);
	sent_len = tx.len - start_off;
	memcpy(sent, txb + start_off, sent_len);
	end_chunk(mark);
	cr_assert_eq(inject(), 0);
	c = take_first(DPSCTP_CHUNK_HEARTBEAT_ACK);
	cr_assert_eq(dpsctp_heartbeat_ack_decode(&c, &hb), 0);
	cr_assert_eq(hb.params_len, sent_len);
	cr_assert_arr_eq(hb.params, sent, sent_len);
}

/* 3.3.5: Heartbeat Info is mandatory; without it there is nothing to echo. */
LEAK_CHECKED_TEST(endpoint, heartbeat_without_heartbeat_info_is_dropped)
{
	struct dpsctp_heartbeat hb = {0};
	size_t mark;

	make_ep(true, NULL);
	establish();
	start(ep_tag);
	cr_assert_eq(dpsctp_heartbeat_begin(&tx, &hb, &mark), 0);
	end_chunk(mark);
	inject();
	expect_silence();
	start(ep_tag);
	cr_assert_eq(dpsctp_heartbeat_begin(&tx, &hb, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, 0x8077, hb_info, 8), 0);
	end_chunk(mark);
	inject();
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_CHUNK], 2);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
}

/*
 * RFC 9260 9.1, 3.3.10.12: the ABORT primitive
 */

static void
assert_user_abort(const void *reason, size_t len)
{
	struct dpsctp_assoc *a;
	struct dpsctp_abort ab;
	struct dpsctp_tlv t;

	make_ep(true, NULL);
	a = establish();
	cr_assert_eq(dpsctp_assoc_abort(a, reason, len, t_now), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_not_null(find_ev(1, DPSCTP_EV_COMM_LOST));
	ab = take_abort(PEER_TAG, false);
	t = first_tlv(ab.causes, ab.causes_len);
	cr_assert_eq(t.type, DPSCTP_CAUSE_USER_ABORT, "cause %u", t.type);
	cr_assert_eq(t.len, 4 + len, "cause length %u for a %zu-byte reason", t.len, len);
	if (len > 0)
		cr_assert_arr_eq(t.value, reason, len);
	cr_assert_eq(ab.causes_len, 4 + len, "more than the one cause");
	expect_silence();
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_USER], 1);
}

LEAK_CHECKED_TEST(endpoint, assoc_abort_sends_user_initiated_abort_with_the_reason)
{
	static const char reason[] = "closing for maintenance"; /* 24 bytes with the NUL */

	assert_user_abort(reason, sizeof(reason) - 2); /* odd length */
}

LEAK_CHECKED_TEST(endpoint, assoc_abort_without_reason_sends_empty_user_initiated_abort)
{
	assert_user_abort(NULL, 0);
}

LEAK_CHECKED_TEST(endpoint, assoc_abort_with_1024_byte_reason_sends_all_of_it)
{
	uint8_t reason[1024];
	size_t i;

	for (i = 0; i < sizeof(reason); i++)
		reason[i] = (uint8_t)(i ^ 0x5c);
	assert_user_abort(reason, sizeof(reason));
}

LEAK_CHECKED_TEST(endpoint, assoc_abort_with_reason_over_1024_bytes_is_einval)
{
	static uint8_t reason[1025];
	struct dpsctp_assoc *a;

	make_ep(true, NULL);
	a = establish();
	cr_assert_eq(dpsctp_assoc_abort(a, reason, sizeof(reason), t_now), -EINVAL);
	assert_still_established(a);
}

/*
 * Endpoint creation and allocation failures
 */

LEAK_CHECKED_TEST(endpoint, create_rejects_bad_parameters_with_einval)
{
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_addr many[DPSCTP_MAX_ADDRS + 1];
	struct dpsctp_addr bad = {.family = 5};
	struct dpsctp_endpoint_params ok = {.port = EP_PORT, .addrs = &ep_addr, .naddrs = 1};
	struct dpsctp_endpoint_params p;
	struct dpsctp_env e;
	struct dpsctp_endpoint *out = NULL;
	size_t i;

	for (i = 0; i < DPSCTP_MAX_ADDRS + 1; i++) {
		many[i] = ep_addr;
		many[i].bytes[3] = (uint8_t)(i + 1);
	}
	cr_assert_eq(dpsctp_endpoint_create(NULL, &cb, &ok, t_now, &out), -EINVAL);
	e = h_env;
	e.alloc = NULL;
	cr_assert_eq(dpsctp_endpoint_create(&e, &cb, &ok, t_now, &out), -EINVAL);
	e = h_env;
	e.free = NULL;
	cr_assert_eq(dpsctp_endpoint_create(&e, &cb, &ok, t_now, &out), -EINVAL);
	e = h_env;
	e.random = NULL;
	cr_assert_eq(dpsctp_endpoint_create(&e, &cb, &ok, t_now, &out), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, NULL, t_now, &out), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &ok, t_now, NULL), -EINVAL);
	p = ok;
	p.port = 0;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &out), -EINVAL);
	p = ok;
	p.naddrs = 0;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &out), -EINVAL);
	p = ok;
	p.addrs = NULL;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &out), -EINVAL);
	p = ok;
	p.addrs = many;
	p.naddrs = DPSCTP_MAX_ADDRS + 1;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &out), -EINVAL);
	p = ok;
	p.addrs = &bad;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &out), -EINVAL);
	cr_assert_null(out);
	cr_assert_eq(cenv.total, 0, "memory allocated for a refused endpoint");
	/* the limits themselves are fine, and callbacks are optional */
	p = ok;
	p.addrs = many;
	p.naddrs = DPSCTP_MAX_ADDRS;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, NULL, &p, t_now, &g_ep), 0);
}

LEAK_CHECKED_TEST(endpoint, create_gives_enomem_when_allocation_fails)
{
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_endpoint_params p = {.port = EP_PORT, .addrs = &ep_addr, .naddrs = 1};

	testenv_fail_alloc(&cenv, 1, false);
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), -ENOMEM);
	g_ep = NULL;
	cr_assert_eq(cenv.live, 0);
}

/* No memory for the association: counted, nothing sent, nothing leaked; a retry works. */
LEAK_CHECKED_TEST(endpoint, cookie_echo_without_memory_for_the_association_is_counted_no_memory)
{
	size_t live;

	make_ep(true, NULL);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	live = cenv.live;
	testenv_fail_alloc(&cenv, 1, false);
	cr_assert_eq(send_cookie_echo(ep_tag), DPSCTP_DROP_NO_MEMORY + 1);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NO_MEMORY], 1);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(cenv.live, live);
	cr_assert_eq(nev, 0);
	expect_silence();
	/* the peer retransmits its COOKIE ECHO (T1-cookie): now it works */
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 1);
}

LEAK_CHECKED_TEST(endpoint, init_without_memory_for_the_reply_is_counted_no_memory)
{
	make_ep(true, NULL);
	testenv_fail_alloc(&cenv, 1, false);
	send_init(PEER_TAG, 10, 10);
	expect_silence();
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NO_MEMORY], 1);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

/* Fail each allocation of a whole life (handshake, heartbeat, abort) in turn: whatever the
 * engine does, it must not leak or crash (the leak check ends the test). */
LEAK_CHECKED_TEST(endpoint, any_failed_allocation_during_an_association_leaks_nothing)
{
	static uint8_t big_info[200];
	long n;

	for (n = 1; n <= 8; n++) {
		const struct ev_rec *up;
		struct dpsctp_assoc *a;
		size_t i;

		dpsctp_endpoint_destroy(g_ep);
		g_ep = NULL;
		cr_assert_eq(cenv.live, 0, "leak before round %ld", n);
		nev = 0;
		testenv_fail_alloc(&cenv, 0, false);
		make_ep(true, NULL);
		testenv_fail_alloc(&cenv, n, false);
		send_init(PEER_TAG, 10, 10);
		while (take(&rx))
			if (rx.pi.first_type == DPSCTP_CHUNK_INIT_ACK)
				break;
		if (rx.len == 0 || rx.pi.first_type != DPSCTP_CHUNK_INIT_ACK)
			continue;
		rx.len = 0;
		{
			const uint8_t *p = rx.pi.chunks;
			struct dpsctp_chunk c;
			struct dpsctp_init ia;
			struct dpsctp_tlv t;

			cr_assert_eq(dpsctp_chunk_next(&p, rx.pi.end, &c), 1);
			cr_assert_eq(dpsctp_init_ack_decode(&c, &ia), 0);
			cr_assert(
				find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_STATE_COOKIE, &t));
			cookie_len = dpsctp_tlv_value_len(&t);
			memcpy(cookie, t.value, cookie_len);
			ep_tag = ia.init_tag;
		}
		send_cookie_echo(ep_tag);
		for (i = 0; i < 4 && take(&rx); i++)
			;
		start(ep_tag);
		add_heartbeat(big_info, sizeof(big_info));
		inject();
		for (i = 0; i < 4 && take(&rx); i++)
			;
		up = find_ev(1, DPSCTP_EV_COMM_UP);
		a = up != NULL ? dpsctp_endpoint_assoc_by_id(g_ep, up->assoc_id) : NULL;
		if (a != NULL)
			dpsctp_assoc_abort(a, "x", 1, t_now);
		for (i = 0; i < 4 && take(&rx); i++)
			;
	}
	testenv_fail_alloc(&cenv, 0, false);
}

/*
 * Two endpoints, pumped into each other: the active side of the handshake and the graceful end
 */

static unsigned int
pump_one(struct dpsctp_endpoint *from, struct dpsctp_endpoint *to)
{
	static uint8_t b[DPSCTP_MAX_PACKET];
	struct dpsctp_path path;
	unsigned int moved = 0;
	size_t n;

	while ((n = dpsctp_endpoint_output(from, b, sizeof(b), &path, t_now)) > 0) {
		struct dpsctp_path rev = {path.remote, path.local};

		dpsctp_endpoint_input(to, b, n, &rev, t_now);
		moved++;
		cr_assert_lt(moved, 100, "endpoints ping-pong forever");
	}
	return moved;
}

static void
pump(void)
{
	unsigned int rounds = 0;

	for (;;) {
		unsigned int m = pump_one(g_ep, g_ep2);

		t_now += DPSCTP_MS;
		m += pump_one(g_ep2, g_ep);
		t_now += DPSCTP_MS;
		if (m == 0)
			break;
		cr_assert_lt(++rounds, 50);
	}
}

LEAK_CHECKED_TEST(endpoint, two_endpoints_establish_and_shut_down_by_pumping)
{
	struct dpsctp_callbacks cb2 = callbacks(&ep_ids[2]);
	struct dpsctp_endpoint_params p2 = {
		.port = PEER_PORT, .addrs = &peer_addr, .naddrs = 1, .listen = false};
	struct dpsctp_assoc_status sa, sb;
	const struct ev_rec *up1, *up2;
	struct dpsctp_assoc *a, *b;

	make_ep(true, NULL);
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb2, &p2, t_now, &g_ep2), 0);
	cr_assert_eq(dpsctp_associate(g_ep2, &ep_addr, 1, EP_PORT, 5, t_now, &b), 0);
	cr_assert_eq(dpsctp_assoc_state(b), DPSCTP_COOKIE_WAIT);
	pump();
	up1 = find_ev(1, DPSCTP_EV_COMM_UP);
	up2 = find_ev(2, DPSCTP_EV_COMM_UP);
	cr_assert_not_null(up1);
	cr_assert_not_null(up2);
	a = dpsctp_endpoint_assoc_by_id(g_ep, up1->assoc_id);
	cr_assert_not_null(a);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_ESTABLISHED);
	cr_assert_eq(dpsctp_assoc_state(b), DPSCTP_ESTABLISHED);
	dpsctp_assoc_get_status(a, &sa);
	dpsctp_assoc_get_status(b, &sb);
	cr_assert_eq(sa.local_vtag, sb.peer_vtag);
	cr_assert_eq(sa.peer_vtag, sb.local_vtag);
	cr_assert_eq(sa.local_initial_tsn, sb.peer_initial_tsn);
	cr_assert_eq(sa.peer_initial_tsn, sb.local_initial_tsn);
	/* 5.1.1: min(OS, peer's MIS) each way; b asked for 5 */
	cr_assert_eq(sb.outbound_streams, 5);
	cr_assert_eq(sa.inbound_streams, 5);
	cr_assert_eq(sa.outbound_streams, sb.inbound_streams);
	/* 6.3.1 C5: the active side measured the COOKIE ECHO / COOKIE ACK round trip */
	cr_assert_gt(sb.srtt, 0);

	cr_assert_eq(dpsctp_assoc_shutdown(b, t_now), 0);
	pump();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep2), 0);
	cr_assert_not_null(find_ev(1, DPSCTP_EV_SHUTDOWN_COMP));
	cr_assert_not_null(find_ev(2, DPSCTP_EV_SHUTDOWN_COMP));
}

/* ---- ownership bits and shared cookie secrets (a control core answers, a worker accepts) ---- */

static void
shared_secret(void *ctx, uint64_t epoch, uint8_t *key, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++)
		key[i] = (uint8_t)(0xa5 ^ (epoch >> (8 * (i % 8))) ^ i);
}

/* An endpoint on EP_PORT with ownership bits and, when @p shared, the shared secret function. */
static struct dpsctp_endpoint *
make_owned(int *id, uint8_t bits, uint32_t owner, bool shared)
{
	struct dpsctp_env env = h_env;
	struct dpsctp_callbacks cb = callbacks(id);
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT,
		.addrs = &ep_addr,
		.naddrs = 1,
		.listen = true,
		.cfg = &cfg,
		.owner_bits = bits,
		.owner = owner,
	};
	struct dpsctp_endpoint *ep = NULL;

	if (shared)
		env.cookie_secret = shared_secret;
	cr_assert_eq(dpsctp_endpoint_create(&env, &cb, &p, t_now, &ep), 0);
	return ep;
}

Test(endpoint, tags_and_ids_carry_the_owner_in_their_low_bits)
{
	struct dpsctp_assoc *a;
	unsigned int i;

	g_ep = make_owned(&ep_ids[1], 4, 3, false);
	/* the owner named before an INIT goes into the tag of its INIT ACK (nothing is kept) */
	cr_assert_eq(dpsctp_endpoint_set_owner(g_ep, 9), 0);
	for (i = 0; i < 8; i++) {
		send_init(PEER_TAG + i, 10, 10);
		take_init_ack();
		cr_assert_eq(ep_tag & 0xf, 9, "INIT ACK tag %08x", ep_tag);
	}
	cr_assert_eq(dpsctp_endpoint_set_owner(g_ep, 16), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_set_owner(g_ep, 3), 0);
	a = establish();
	cr_assert_eq(ep_tag & 0xf, 3, "our tag %08x", ep_tag);
	cr_assert_eq(dpsctp_assoc_id(a) & 0xf, 3, "id %08x", dpsctp_assoc_id(a));
}

Test(endpoint, owner_that_does_not_fit_its_bits_is_refused)
{
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT, .addrs = &ep_addr, .naddrs = 1, .owner_bits = 2, .owner = 4,
	};

	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), -EINVAL);
	p.owner_bits = 9;
	p.owner = 0;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), -EINVAL);
	g_ep = NULL;
}

Test(endpoint, cookie_made_by_one_endpoint_is_accepted_by_another_sharing_the_secret)
{
	struct dpsctp_endpoint *answering, *owning;
	const struct ev_rec *up;

	answering = make_owned(&ep_ids[1], 4, 0, true);
	owning = make_owned(&ep_ids[2], 4, 1, true);
	g_ep = answering;
	g_ep2 = owning;
	cr_assert_eq(dpsctp_endpoint_set_owner(answering, 1), 0);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	cr_assert_eq(ep_tag & 0xf, 1);
	/* the COOKIE ECHO goes to the owner named in the tag; the answering one kept nothing */
	cr_assert_eq(dpsctp_endpoint_assoc_count(answering), 0);
	g_ep = owning;
	g_ep2 = answering;
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	up = find_assoc_change(DPSCTP_EV_COMM_UP);
	cr_assert_not_null(up);
	cr_assert_eq(up->ep, 2);
	cr_assert_eq(up->assoc_id & 0xf, 1);
}

Test(endpoint, shared_secret_rotation_is_seen_on_input_before_timers_run)
{
	struct dpsctp_endpoint *answering, *owning;
	uint64_t period = 2 * config().valid_cookie_life;

	answering = make_owned(&ep_ids[1], 0, 0, true);
	owning = make_owned(&ep_ids[2], 0, 0, true);
	g_ep = answering;
	g_ep2 = owning;
	/* the answering endpoint is already in the next period; the owning one never expired */
	t_now = (t_now / period + 1) * period + 10 * DPSCTP_MS;
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	g_ep = owning;
	g_ep2 = answering;
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_COMM_UP));
	/* a cookie of a secret two periods old is not accepted (forged or far too old) */
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_COOKIE], 0);
}
