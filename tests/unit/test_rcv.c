/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver (rcv.h) seen from the wire: an association is established with the test as
 * the peer (ep_harness.h), hand-built DATA chunks go in, and the SACK, ERROR and ABORT chunks
 * that come out of dpsctp_endpoint_output are checked, as are the messages handed to the
 * deliver callback.
 *
 * Covered: the acknowledgement rules (RFC 9260 5.1 first DATA, 6.2 every second packet and the
 * delayed SACK timer, immediate SACKs for gaps, duplicates and the RFC 7053 I bit, bundling with
 * outgoing DATA), gap ack blocks and duplicate TSNs in SACKs (3.3.4), invalid streams (6.5), DATA
 * without user data (6.2), the receiver window (6.2), delivery (ordered, unordered, fragmented:
 * 6.5, 6.6, 6.9), the application window with its window update (6.2), TSN wrap-around (1.6).
 */

#include "ep_harness.h"

TestSuite(rcv, .init = h_setup, .fini = leak_check);

#define TEST(name) LEAK_CHECKED_TEST(rcv, name)

#define S (1000 * DPSCTP_MS)
#define P (peer_itsn)

static uint16_t
status_inbound_streams(const struct dpsctp_assoc *a)
{
	struct dpsctp_assoc_status st;

	dpsctp_assoc_get_status(a, &st);
	return st.inbound_streams;
}

/* The next packet must hold a SACK: decoded into @p s. */
static void
take_sack(struct dpsctp_sack *s)
{
	cr_assert(take(&rx), "no packet, expected a SACK");
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert(sack_of(&rx, s), "a packet without SACK (first chunk %s)",
		dpsctp_chunk_name(rx.pi.first_type));
}

/* A SACK with cumulative TSN ack @p cum and no gap ack blocks, no duplicates. */
static void
take_plain_sack(uint32_t cum)
{
	struct dpsctp_sack s;

	take_sack(&s);
	cr_assert_eq(s.cum_tsn, cum, "SACK cum %#x, expected %#x", s.cum_tsn, cum);
	cr_assert_eq(s.ngaps, 0, "%u gap blocks", s.ngaps);
	cr_assert_eq(s.ndups, 0, "%u duplicates", s.ndups);
}

/*
 * The first DATA chunk of the association, acknowledged: whether at once (5.1) or by the
 * delayed SACK timer does not matter here (first_data_of_the_association_is_sacked_at_once
 * checks it). Afterwards no SACK is due.
 */
static void
first_data_acked(void)
{
	struct dpsctp_sack s;

	cr_assert_eq(peer_data(P, 0, 0, 0, 100, 0xaa), 0);
	if (!take(&rx)) {
		expire_at(next_deadline());
		cr_assert(take(&rx), "the first DATA chunk is never acknowledged");
	}
	cr_assert(sack_of(&rx, &s));
	cr_assert_eq(s.cum_tsn, P);
	expect_silence();
	cr_assert_eq(nmsgs, 1);
}

/*
 * When SACKs go (5.1, 6.2, 6.7, RFC 7053)
 */

/* 5.1: "After the reception of the first DATA chunk in an association, the endpoint MUST
 * immediately respond with a SACK chunk to acknowledge the DATA chunk." */
TEST(first_data_of_the_association_is_sacked_at_once)
{
	up(NULL);
	cr_assert_eq(peer_data(P, 0, 0, 0, 100, 0xaa), 0);
	take_plain_sack(P);
	expect_silence();
}

/* 6.2: "an acknowledgement SHOULD be generated for at least every second packet (not every
 * second DATA chunk) received" */
TEST(every_second_packet_with_data_is_sacked)
{
	struct dpsctp_sack s;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	expect_silence();
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 100, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P + 2);
	cr_assert_eq(s.a_rwnd, 131072);
	cr_assert_eq(s.ngaps, 0);
	expect_silence();
	cr_assert_eq(stats()->sacks_out, 2);
}

TEST(packet_with_several_data_chunks_counts_as_one_packet)
{
	uint8_t b[10] = {0};

	up(NULL);
	first_data_acked();
	start(ep_tag);
	add_data(P + 1, 0, 1, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E, 0, b, 10);
	add_data(P + 2, 0, 2, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E, 0, b, 10);
	add_data(P + 3, 0, 3, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E, 0, b, 10);
	cr_assert_eq(inject(), 0);
	expect_silence();
	cr_assert_eq(nmsgs, 4);
	cr_assert_eq(peer_data(P + 4, 0, 4, 0, 10, 0), 0);
	take_plain_sack(P + 4);
}

/* 6.2: "... and SHOULD be generated within 200 ms of the arrival of any unacknowledged DATA
 * chunk" (sack_delay). */
TEST(lone_data_packet_is_sacked_when_the_delayed_sack_timer_expires)
{
	uint64_t d;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	expect_silence();
	d = next_deadline();
	cr_assert_eq(d, t_now + 200 * DPSCTP_MS, "delayed SACK timer not at sack_delay");
	expire_at(d - 1);
	expect_silence();
	expire_at(d);
	take_plain_sack(P + 1);
	expect_silence();
	cr_assert_gt(next_deadline(), t_now + 60 * S, "a timer is left running");
}

TEST(zero_sack_delay_acknowledges_every_packet)
{
	struct dpsctp_proto_config cfg = config();

	cfg.sack_delay = 0;
	up(&cfg);
	first_data_acked();
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	take_plain_sack(P + 1);
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 100, 0), 0);
	take_plain_sack(P + 2);
}

/* 6.2: a delayed SACK rides along with outgoing DATA instead of waiting for its timer. */
TEST(delayed_sack_is_bundled_with_outgoing_data)
{
	struct dpsctp_data d[4];
	struct dpsctp_sack s;
	struct dpsctp_chunk c;
	const uint8_t *p;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	expect_silence();
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 100, 0), 0);
	cr_assert(take(&rx));
	p = rx.pi.chunks;
	cr_assert_eq(dpsctp_chunk_next(&p, rx.pi.end, &c), 1);
	cr_assert_eq(c.type, DPSCTP_CHUNK_SACK, "SACK not first (6.1: control chunks first)");
	cr_assert(sack_of(&rx, &s));
	cr_assert_eq(s.cum_tsn, P + 1);
	cr_assert_eq(data_chunks(&rx, d, 4), 1);
	expect_silence();
	/* the delayed SACK was sent: its timer does not fire */
	expire_at(t_now + 200 * DPSCTP_MS);
	cr_assert_eq(stats()->sacks_out, 2);
}

/* 6.7: "If the endpoint detects a gap in the received DATA chunk sequence, it SHOULD send a
 * SACK chunk with Gap Ack Blocks immediately." */
TEST(out_of_order_data_gets_an_immediate_sack_with_a_gap_block)
{
	struct dpsctp_sack s;
	uint16_t start_off, end_off;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 100, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.ngaps, 1);
	dpsctp_sack_gap(&s, 0, &start_off, &end_off);
	cr_assert_eq(start_off, 2);
	cr_assert_eq(end_off, 2);
	cr_assert_eq(s.ndups, 0);
	expect_silence();
	/* the gap filled: at once too */
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	take_plain_sack(P + 2);
	expect_silence();
}

TEST(sack_lists_every_gap_block_in_order)
{
	struct dpsctp_sack s;
	uint16_t a, b;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 10, 0), 0);
	drain();
	cr_assert_eq(peer_data(P + 4, 0, 4, 0, 10, 0), 0);
	drain();
	cr_assert_eq(peer_data(P + 5, 0, 5, 0, 10, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.ngaps, 2);
	dpsctp_sack_gap(&s, 0, &a, &b);
	cr_assert(a == 2 && b == 2, "first block %u-%u", a, b);
	dpsctp_sack_gap(&s, 1, &a, &b);
	cr_assert(a == 4 && b == 5, "second block %u-%u", a, b);
}

/*
 * 6.2: "When a packet arrives with duplicate DATA chunk(s) and with no new DATA chunk(s), the
 * endpoint MUST immediately send a SACK chunk with no delay"; 3.3.4: the SACK lists the
 * duplicate TSN.
 */
TEST(duplicate_data_gets_an_immediate_sack_listing_its_tsn)
{
	struct dpsctp_sack s;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P, 0, 0, 0, 100, 0xaa), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.ndups, 1);
	cr_assert_eq(dpsctp_sack_dup(&s, 0), P);
	expect_silence();
	cr_assert_eq(stats()->data_dup, 1);
	cr_assert_eq(nmsgs, 1, "the duplicate was delivered again");
	/* reported once */
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 100, 0), 0);
	take_plain_sack(P + 2);
}

/* RFC 7053 4.2: "Upon receipt of an SCTP packet containing a DATA chunk with the I bit set, the
 * receiver SHOULD NOT delay the sending of the corresponding SACK chunk". */
TEST(data_with_the_i_bit_is_sacked_at_once)
{
	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 1, 0, 1, DPSCTP_DATA_FLAG_I, 100, 0), 0);
	take_plain_sack(P + 1);
	expect_silence();
}

/*
 * Bad DATA (6.5, 6.2)
 */

/* 6.5: "the endpoint MUST acknowledge the reception of the DATA chunk following the normal
 * procedure, immediately send an ERROR chunk with cause set to 'Invalid Stream Identifier' ...
 * and discard the DATA chunk". */
TEST(data_on_an_invalid_stream_gets_an_error_and_is_acknowledged)
{
	struct dpsctp_chunk c;
	struct dpsctp_error e;
	struct dpsctp_tlv t;
	struct dpsctp_sack s;
	bool got_error = false, got_sack = false;
	const uint8_t *p;
	struct rx r;

	up(NULL);
	cr_assert_eq(status_inbound_streams(g_a), 10);
	cr_assert_eq(peer_data(P, 10, 0, 0, 100, 0), 0);
	while (take(&r)) {
		if (find_chunk(&r, DPSCTP_CHUNK_ERROR, &c)) {
			got_error = true;
			cr_assert_eq(dpsctp_error_decode(&c, &e), 0);
			p = e.causes;
			cr_assert_eq(dpsctp_tlv_next(&p, e.causes + e.causes_len, &t), 1);
			cr_assert_eq(t.type, DPSCTP_CAUSE_INVALID_STREAM);
			cr_assert_eq(dpsctp_tlv_value_len(&t), 4);
			cr_assert_eq(dpsctp_get_be16(t.value), 10, "cause names stream %u",
				dpsctp_get_be16(t.value));
		}
		if (sack_of(&r, &s)) {
			got_sack = true;
			cr_assert_eq(s.cum_tsn, P, "the TSN was not acknowledged");
		}
	}
	cr_assert(got_error, "no ERROR with Invalid Stream Identifier");
	cr_assert(got_sack, "no SACK");
	cr_assert_eq(nmsgs, 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_BAD_STREAM], 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	/* the next TSN on a valid stream is fine */
	cr_assert_eq(peer_data(P + 1, 9, 0, DPSCTP_DATA_FLAG_I, 100, 0), 0);
	take_plain_sack(P + 1);
	cr_assert_eq(nmsgs, 1);
	cr_assert_eq(msgs[0].ri.sid, 9);
}

/* 6.2: "If an endpoint receives a DATA chunk with no user data (i.e., the Length field is set
 * to 16), it MUST send an ABORT chunk with an error cause set to 'No User Data'." */
TEST(data_without_user_data_aborts_with_no_user_data)
{
	struct dpsctp_tlv cause;

	up(NULL);
	start(ep_tag);
	add_data(P, 0, 0, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E, 0, NULL, 0);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(take_abort_cause(&cause), DPSCTP_CAUSE_NO_USER_DATA);
	cr_assert_eq(dpsctp_tlv_value_len(&cause), 4);
	cr_assert_eq(dpsctp_get_be32(cause.value), P, "the cause names TSN %#x",
		dpsctp_get_be32(cause.value));
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_NO_USER_DATA], 1);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_COMM_LOST));
	cr_assert_eq(nmsgs, 0);
}

/*
 * The receiver window (6.2)
 */

static struct dpsctp_proto_config
small_window(void)
{
	struct dpsctp_proto_config cfg = config();

	cfg.a_rwnd = 1500;
	cfg.rcv_app_window = true;
	return cfg;
}

/* 6.2 / 6.2.1: data beyond what the receiver has room for is dropped, not acknowledged. */
TEST(data_beyond_a_small_window_is_dropped_and_not_acknowledged)
{
	struct dpsctp_proto_config cfg = small_window();
	struct dpsctp_sack s;

	up(&cfg);
	cr_assert_eq(peer_data(P, 0, 0, 0, 1000, 1), 0);
	drain();
	cr_assert_eq(path_info(g_a).rwnd, 500);
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 600, 2), 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NO_RWND], 1);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.ngaps, 0, "the dropped TSN was reported received");
	cr_assert_eq(s.a_rwnd, 500);
	cr_assert_eq(nmsgs, 1);
}

/* 6.2: "When the receiver's advertised window is 0, the receiver MUST drop any new incoming
 * DATA chunk with a TSN larger than the largest TSN received so far." */
TEST(data_arriving_into_a_closed_window_is_dropped_and_not_acknowledged)
{
	struct dpsctp_proto_config cfg = small_window();
	struct dpsctp_sack s;

	up(&cfg);
	cr_assert_eq(peer_data(P, 0, 0, DPSCTP_DATA_FLAG_I, 1500, 1), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.a_rwnd, 0);
	cr_assert_eq(peer_data(P + 1, 0, 1, DPSCTP_DATA_FLAG_I, 100, 2), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P, "DATA taken into a closed window");
	cr_assert_eq(s.ngaps, 0);
	cr_assert_eq(s.a_rwnd, 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NO_RWND], 1);
	cr_assert_eq(nmsgs, 1);
	/* the window reopens: the retransmission is taken */
	dpsctp_assoc_consume(g_a, 1500, t_now);
	drain();
	cr_assert_eq(peer_data(P + 1, 0, 1, DPSCTP_DATA_FLAG_I, 100, 2), 0);
	take_plain_sack(P + 1);
	cr_assert_eq(nmsgs, 2);
}

/*
 * With cfg.rcv_app_window, delivered data holds the window until dpsctp_assoc_consume(); a
 * window that opened by an MTU or more is announced at once (6.2 window update).
 */
TEST(app_window_shrinks_the_advertised_rwnd_and_consume_sends_a_window_update)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_sack s;

	cfg.a_rwnd = 20000;
	cfg.rcv_app_window = true;
	up(&cfg);
	cr_assert_eq(peer_data(P, 0, 0, DPSCTP_DATA_FLAG_I, 1000, 1), 0);
	take_sack(&s);
	cr_assert_eq(s.a_rwnd, 19000);
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 1000, 2), 0);
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 1000, 3), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P + 2);
	cr_assert_eq(s.a_rwnd, 17000);
	cr_assert_eq(path_info(g_a).rwnd, 17000);
	cr_assert_eq(nmsgs, 3);

	/* less than an MTU read: no update */
	dpsctp_assoc_consume(g_a, 100, t_now);
	expect_silence();
	cr_assert_eq(path_info(g_a).rwnd, 17100);
	/* the window opens by an MTU or more: a SACK with the new window, same cum */
	dpsctp_assoc_consume(g_a, 1500, t_now);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P + 2);
	cr_assert_eq(s.a_rwnd, 18600);
	expect_silence();
	/* reading more than was delivered does not open it past a_rwnd */
	dpsctp_assoc_consume(g_a, 100000, t_now);
	cr_assert_eq(path_info(g_a).rwnd, 20000);
}

TEST(delivered_data_frees_the_window_at_once_without_app_window)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_sack s;

	cfg.a_rwnd = 20000;
	up(&cfg);
	cr_assert_eq(peer_data(P, 0, 0, DPSCTP_DATA_FLAG_I, 1000, 1), 0);
	take_sack(&s);
	cr_assert_eq(s.a_rwnd, 20000);
	dpsctp_assoc_consume(g_a, 1000, t_now);
	expect_silence();
}

TEST(data_held_for_reordering_counts_against_the_window)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_sack s;

	cfg.a_rwnd = 20000;
	up(&cfg);
	first_data_acked();
	/* SSN 2 waits for SSN 1 */
	cr_assert_eq(peer_data(P + 2, 0, 2, 0, 3000, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.a_rwnd, 17000);
	cr_assert_eq(nmsgs, 1);
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 100, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.a_rwnd, 20000);
	cr_assert_eq(nmsgs, 3);
}

/*
 * Delivery (6.5, 6.6, 6.9)
 */

TEST(ordered_message_is_delivered_with_its_stream_ssn_and_ppid)
{
	static const uint8_t ppid[4] = {0, 0, 0, 51};
	uint32_t ppid_raw;
	const char *text = "hello, peer";

	up(NULL);
	memcpy(&ppid_raw, ppid, 4);
	start(ep_tag);
	add_data(P, 7, 0, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E, ppid_raw, text, strlen(text));
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 1);
	cr_assert(msgs[0].eor);
	cr_assert_eq(msgs[0].len, strlen(text));
	cr_assert_arr_eq(msgs[0].data, text, strlen(text));
	cr_assert_eq(msgs[0].ri.sid, 7);
	cr_assert_eq(msgs[0].ri.ssn, 0);
	cr_assert_eq(msgs[0].ri.tsn, P);
	cr_assert_eq(msgs[0].ri.flags & DPSCTP_SND_UNORDERED, 0);
	cr_assert_arr_eq(&msgs[0].ri.ppid, ppid, 4, "PPID not passed through raw");
	cr_assert_eq(msgs[0].ri.assoc_id, dpsctp_assoc_id(g_a));
	cr_assert_eq(stats()->msgs_delivered, 1);
	cr_assert_eq(stats()->data_in, 1);
}

TEST(ordered_messages_wait_for_the_missing_ssn)
{
	up(NULL);
	cr_assert_eq(peer_data(P + 1, 0, 1, 0, 10, 0x11), 0);
	cr_assert_eq(nmsgs, 0, "SSN 1 delivered before SSN 0");
	cr_assert_eq(peer_data(P, 0, 0, 0, 10, 0x00), 0);
	cr_assert_eq(nmsgs, 2);
	cr_assert_eq(msgs[0].ri.ssn, 0);
	cr_assert_eq(msgs[0].data[0], 0x00);
	cr_assert_eq(msgs[1].ri.ssn, 1);
	cr_assert_eq(msgs[1].data[0], 0x11);
}

TEST(a_gap_on_one_stream_does_not_hold_another_stream)
{
	up(NULL);
	cr_assert_eq(peer_data(P + 1, 1, 0, 0, 10, 0x11), 0);
	cr_assert_eq(nmsgs, 1, "stream 1 held by the missing TSN of stream 0");
	cr_assert_eq(msgs[0].ri.sid, 1);
	cr_assert_eq(peer_data(P, 0, 0, 0, 10, 0x00), 0);
	cr_assert_eq(nmsgs, 2);
	cr_assert_eq(msgs[1].ri.sid, 0);
}

/* 6.6: unordered messages are delivered as soon as they are whole, regardless of SSNs. */
TEST(unordered_message_is_delivered_at_once_even_behind_a_gap)
{
	up(NULL);
	cr_assert_eq(peer_data(P + 1, 0, 0, DPSCTP_DATA_FLAG_U, 10, 0x55), 0);
	cr_assert_eq(nmsgs, 1, "the unordered message was held");
	cr_assert_neq(msgs[0].ri.flags & DPSCTP_SND_UNORDERED, 0);
	cr_assert_eq(msgs[0].data[0], 0x55);
	cr_assert_eq(peer_data(P, 0, 0, 0, 10, 0x00), 0);
	cr_assert_eq(nmsgs, 2);
	cr_assert_eq(msgs[1].ri.flags & DPSCTP_SND_UNORDERED, 0);
}

/* 6.9: fragments with consecutive TSNs, B on the first, E on the last, make one message. */
TEST(fragmented_message_is_delivered_whole_once_all_fragments_arrive)
{
	static uint8_t body[3000];
	size_t i;

	up(NULL);
	for (i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)(i * 7);
	start(ep_tag);
	add_data(P + 2, 3, 0, DPSCTP_DATA_FLAG_E, 0, body + 2000, 1000);
	cr_assert_eq(inject(), 0);
	start(ep_tag);
	add_data(P, 3, 0, DPSCTP_DATA_FLAG_B, 0, body, 1000);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 0, "delivered before the middle fragment arrived");
	start(ep_tag);
	add_data(P + 1, 3, 0, 0, 0, body + 1000, 1000);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 1);
	cr_assert(msgs[0].eor);
	cr_assert_eq(msgs[0].len, sizeof(body));
	cr_assert_arr_eq(msgs[0].data, body, sizeof(body));
	cr_assert_eq(msgs[0].ri.sid, 3);
	cr_assert_eq(
		msgs[0].ri.tsn, P, "rcvinfo TSN %#x, not the first fragment's", msgs[0].ri.tsn);
	cr_assert_eq(stats()->msgs_delivered, 1);
	cr_assert_eq(stats()->data_in, 3);
}

/*
 * TSN wrap-around (1.6: serial number arithmetic)
 */

TEST(tsns_wrap_around_2_to_the_32)
{
	struct dpsctp_sack s;
	uint16_t a, b;

	peer_itsn = 0xfffffffeu;
	up(NULL);
	first_data_acked(); /* TSN 0xfffffffe, SSN 0 */
	/* 0xffffffff missing, 0 arrives */
	cr_assert_eq(peer_data(0, 0, 2, 0, 10, 2), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, 0xfffffffeu);
	cr_assert_eq(s.ngaps, 1);
	dpsctp_sack_gap(&s, 0, &a, &b);
	cr_assert(a == 2 && b == 2, "block %u-%u across the wrap", a, b);
	cr_assert_eq(nmsgs, 1);
	cr_assert_eq(peer_data(0xffffffffu, 0, 1, 0, 10, 1), 0);
	take_plain_sack(0);
	cr_assert_eq(nmsgs, 3);
	cr_assert_eq(msgs[1].ri.tsn, 0xffffffffu);
	cr_assert_eq(msgs[2].ri.tsn, 0);
	cr_assert_eq(msgs[2].ri.ssn, 2);
	cr_assert_eq(peer_data(1, 0, 3, DPSCTP_DATA_FLAG_I, 10, 3), 0);
	take_plain_sack(1);
	cr_assert_eq(nmsgs, 4);
}

/*
 * At the edges
 */

/* A TSN further ahead than the receiver tracks is dropped unacknowledged (tsnmap.h); the peer
 * retransmits it once the cumulative TSN has moved. */
TEST(data_far_beyond_the_cum_tsn_is_dropped_and_not_acknowledged)
{
	struct dpsctp_sack s;

	up(NULL);
	first_data_acked();
	cr_assert_eq(peer_data(P + 5000, 0, 1, 0, 100, 0), 0);
	take_sack(&s);
	cr_assert_eq(s.cum_tsn, P);
	cr_assert_eq(s.ngaps, 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_NO_RWND], 1);
	cr_assert_eq(nmsgs, 1);
}

/* 9.2: "While in the SHUTDOWN-SENT state, the SHUTDOWN sender MUST immediately respond to each
 * received packet containing one or more DATA chunks with a SHUTDOWN chunk and restart the
 * T2-shutdown timer." The SHUTDOWN's Cumulative TSN Ack covers the new data. */
TEST(data_in_shutdown_sent_is_answered_with_a_shutdown_at_once)
{
	struct dpsctp_shutdown sd;
	struct dpsctp_chunk c;
	uint64_t t2;

	up(NULL);
	cr_assert_eq(dpsctp_assoc_shutdown(g_a, t_now), 0);
	take_first(DPSCTP_CHUNK_SHUTDOWN);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_SENT);
	t2 = next_deadline();
	t_now += 300 * DPSCTP_MS;
	cr_assert_eq(peer_data(P, 0, 0, 0, 100, 0x77), 0);
	cr_assert(take(&rx), "no answer to DATA in SHUTDOWN-SENT");
	cr_assert(find_chunk(&rx, DPSCTP_CHUNK_SHUTDOWN, &c), "no SHUTDOWN");
	cr_assert_eq(dpsctp_shutdown_decode(&c, &sd), 0);
	cr_assert_eq(sd.cum_tsn, P);
	expect_silence();
	cr_assert_eq(nmsgs, 1);
	cr_assert_eq(next_deadline(), t2 + 300 * DPSCTP_MS, "T2-shutdown not restarted");
}

/* RFC 6458 8.1.21: a message larger than the partial delivery point is delivered in parts, in
 * order, the last with eor. */
TEST(message_larger_than_the_partial_delivery_point_is_delivered_in_parts)
{
	struct dpsctp_proto_config cfg = config();
	static uint8_t body[4000];
	size_t i;

	cfg.pd_point = 2000;
	up(&cfg);
	for (i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)(i * 13);
	start(ep_tag);
	add_data(P, 0, 0, DPSCTP_DATA_FLAG_B, 0, body, 1000);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 0);
	start(ep_tag);
	add_data(P + 1, 0, 0, 0, 0, body + 1000, 1000);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 1, "nothing delivered at the partial delivery point");
	cr_assert(!msgs[0].eor);
	cr_assert_eq(msgs[0].len, 2000);
	start(ep_tag);
	add_data(P + 2, 0, 0, DPSCTP_DATA_FLAG_E, 0, body + 2000, 2000);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 1);
	cr_assert(msgs[0].eor);
	cr_assert_eq(msgs[0].len, sizeof(body));
	cr_assert_arr_eq(msgs[0].data, body, sizeof(body));
	cr_assert_eq(stats()->msgs_delivered, 1);
	cr_assert_eq(stats()->partial_deliveries, 1, "engine.h: \"partial deliveries started\"");
}

/* RFC 6458 6.1.7: a partial delivery cut short by the end of the association is reported. */
TEST(abort_during_a_partial_delivery_reports_it_aborted)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_abort ab = {.t = false};
	static uint8_t body[3000];
	size_t mark;

	cfg.pd_point = 2000;
	up(&cfg);
	start(ep_tag);
	add_data(P, 5, 0, DPSCTP_DATA_FLAG_B, 0, body, 2500);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(nmsgs, 1);
	cr_assert(!msgs[0].eor);
	start(ep_tag);
	cr_assert_eq(dpsctp_abort_begin(&tx, &ab, &mark), 0);
	cr_assert_eq(dpsctp_chunk_end(&tx, mark), 0);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(count_ev(DPSCTP_EV_PARTIAL_DELIVERY), 1);
}
