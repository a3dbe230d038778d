/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data sender (outq.h) seen from the wire: an association is established with the test as
 * the peer (ep_harness.h), messages go in with dpsctp_assoc_send, the DATA chunks that come out
 * of dpsctp_endpoint_output are checked, and hand-built SACKs go back.
 *
 * Covered: TSN and SSN assignment (RFC 9260 6.5, 6.6), fragmentation (6.9), bundling and the
 * Nagle-like delay (6.1), Max.Burst (6.1), the congestion and receiver windows (6.1 A and B,
 * 7.2.1), SACK processing (6.2.1: express path, gap ack blocks, stale SACKs, TSNs never sent),
 * fast retransmit with miss indications and HTNA (7.2.4), T3-rtx (6.3.3) and the end of the
 * association after Association.Max.Retrans (8.1), the send buffer, message lifetime, and the
 * RFC 6458 SEND_FAILED and SENDER_DRY events; the graceful shutdown waiting for data (9.2).
 */

#include "ep_harness.h"

TestSuite(outq, .init = h_setup, .fini = leak_check);

#define TEST(name) LEAK_CHECKED_TEST(outq, name)

/* Payload bytes of a full DATA chunk on an IPv4 path of MTU 1500: 1500 - 20 - 12 - 16. */
#define FRAG 1452u
#define S (1000 * DPSCTP_MS)

static void
up_nodelay(void)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	up(&cfg);
}

/* Take the next packet: it must carry DATA only; its chunks into @p d, how many. */
static unsigned int
take_data(struct dpsctp_data *d, unsigned int max)
{
	unsigned int n;

	cr_assert(take(&rx), "no packet, expected DATA");
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	n = data_chunks(&rx, d, max);
	cr_assert_eq(n, rx.pi.nchunks, "DATA bundled with %u other chunks", rx.pi.nchunks - n);
	cr_assert_gt(n, 0);
	return n;
}

/* Take the next packet: exactly one DATA chunk, with TSN @p tsn. */
static void
take_one_data(uint32_t tsn)
{
	struct dpsctp_data d[8];
	unsigned int n = take_data(d, 8);

	cr_assert_eq(n, 1, "%u DATA chunks, expected 1", n);
	cr_assert_eq(d[0].tsn, tsn, "TSN %#x, expected %#x", d[0].tsn, tsn);
}

/* Queue @p n messages of @p len bytes on stream 0 with contexts 0.. and flush them out as
 * packets; how many packets went. */
static unsigned int
send_n(unsigned int n, size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cr_assert_eq(send_msg(g_a, 0, 0, i, len, (uint8_t)i), 0);
	return drain();
}

static struct dpsctp_assoc_status
status(void)
{
	struct dpsctp_assoc_status st;

	dpsctp_assoc_get_status(g_a, &st);
	return st;
}

static void
sack(uint32_t cum, uint32_t a_rwnd)
{
	cr_assert_eq(peer_sack(cum, a_rwnd, NULL, 0, NULL, 0), 0);
}

static void
sack_gaps(uint32_t cum, const struct dpsctp_gap_block *gaps, uint16_t ngaps)
{
	cr_assert_eq(peer_sack(cum, 65536, gaps, ngaps, NULL, 0), 0);
}

/*
 * TSNs, SSNs, flags (6.5, 6.6, 6.9, 3.3.1)
 */

TEST(messages_get_consecutive_tsns_from_the_initial_tsn)
{
	struct dpsctp_data d[8];
	unsigned int i, n;

	up_nodelay();
	for (i = 0; i < 3; i++)
		cr_assert_eq(send_msg(g_a, 0, 0, i, 100, 0), 0);
	n = take_data(d, 8);
	cr_assert_eq(n, 3);
	for (i = 0; i < 3; i++)
		cr_assert_eq(d[i].tsn, ep_tsn + i, "chunk %u: TSN %#x, initial TSN %#x", i,
			d[i].tsn, ep_tsn);
	expect_silence();
	sack(ep_tsn + 2, 65536);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 100, 0), 0);
	take_one_data(ep_tsn + 3);
	cr_assert_eq(stats()->data_out, 4);
}

TEST(each_stream_numbers_its_messages_from_zero)
{
	static const uint16_t sids[6] = {0, 1, 0, 2, 1, 0};
	static const uint16_t ssns[6] = {0, 0, 1, 0, 1, 2};
	struct dpsctp_data d[8];
	unsigned int i;

	up_nodelay();
	for (i = 0; i < 6; i++)
		cr_assert_eq(send_msg(g_a, sids[i], 0, i, 100, 0), 0);
	cr_assert_eq(take_data(d, 8), 6);
	for (i = 0; i < 6; i++) {
		cr_assert_eq(d[i].sid, sids[i]);
		cr_assert_eq(d[i].ssn, ssns[i], "message %u on stream %u: SSN %u, expected %u", i,
			sids[i], d[i].ssn, ssns[i]);
		cr_assert_eq(d[i].flags & DPSCTP_DATA_FLAG_U, 0);
	}
}

/* 6.6: an unordered message has the U bit; its SSN is not taken from the ordered sequence. */
TEST(unordered_message_has_the_u_flag_and_does_not_take_an_ssn)
{
	struct dpsctp_data d[8];

	up_nodelay();
	cr_assert_eq(send_msg(g_a, 3, 0, 0, 100, 0), 0);
	cr_assert_eq(send_msg(g_a, 3, DPSCTP_SND_UNORDERED, 1, 100, 0), 0);
	cr_assert_eq(send_msg(g_a, 3, 0, 2, 100, 0), 0);
	cr_assert_eq(take_data(d, 8), 3);
	cr_assert_eq(d[0].flags & DPSCTP_DATA_FLAG_U, 0);
	cr_assert_eq(d[0].ssn, 0);
	cr_assert_neq(d[1].flags & DPSCTP_DATA_FLAG_U, 0, "unordered message without U");
	cr_assert_eq(d[1].flags & (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E),
		DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E);
	cr_assert_eq(d[2].flags & DPSCTP_DATA_FLAG_U, 0);
	cr_assert_eq(d[2].ssn, 1, "the unordered message used SSN %u", d[2].ssn - 1);
}

/* 3.3.1: the PPID is the application's, passed through as its four bytes. */
TEST(ppid_is_carried_as_the_raw_bytes_given)
{
	struct dpsctp_sndinfo si = {.sid = 1};
	const uint8_t ppid_bytes[4] = {0x00, 0x00, 0x00, 0x2e};
	struct dpsctp_chunk c;

	up_nodelay();
	memcpy(&si.ppid, ppid_bytes, 4);
	cr_assert_eq(dpsctp_assoc_send(g_a, &si, "payload", 7, t_now), 0);
	c = take_first(DPSCTP_CHUNK_DATA);
	cr_assert_arr_eq(c.value + 8, ppid_bytes, 4, "PPID bytes on the wire differ");
}

/* 6.9: a message larger than fits one packet goes as fragments with consecutive TSNs, the same
 * SSN, B on the first, E on the last; each packet fits the path MTU. */
static void
assert_fragmented(size_t len, uint32_t frag, uint16_t pmtu)
{
	static uint8_t got[16384];
	size_t off = 0, i;
	uint32_t nfrag = (uint32_t)((len + frag - 1) / frag), k;

	for (k = 0; k < nfrag; k++) {
		struct dpsctp_data d[4];
		uint8_t want = k == 0 ? DPSCTP_DATA_FLAG_B : 0;

		if (k == nfrag - 1)
			want |= DPSCTP_DATA_FLAG_E;
		cr_assert_eq(take_data(d, 4), 1, "fragment %u not alone in its packet", k);
		cr_assert_leq(rx.len, (size_t)pmtu - 20, "packet of %zu bytes for a PMTU of %u",
			rx.len, pmtu);
		cr_assert_eq(d[0].tsn, ep_tsn + k);
		cr_assert_eq(d[0].sid, 2);
		cr_assert_eq(d[0].ssn, 0);
		cr_assert_eq(d[0].flags & (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E), want,
			"fragment %u: flags %#x", k, d[0].flags);
		cr_assert_eq(d[0].payload_len, k < nfrag - 1 ? frag : len - off,
			"fragment %u: %zu bytes", k, d[0].payload_len);
		memcpy(got + off, d[0].payload, d[0].payload_len);
		off += d[0].payload_len;
	}
	cr_assert_eq(off, len);
	for (i = 0; i < len; i++)
		cr_assert_eq(got[i], (uint8_t)(7 + i), "byte %zu differs", i);
	expect_silence();
}

TEST(message_larger_than_the_fragmentation_point_is_split_with_b_and_e_flags)
{
	up_nodelay();
	cr_assert_eq(send_msg(g_a, 2, 0, 0, 4000, 7), 0);
	assert_fragmented(4000, FRAG, 1500);
}

TEST(fragmentation_point_follows_the_configured_pmtu)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	cfg.pmtu = 1000;
	up(&cfg);
	cr_assert_eq(send_msg(g_a, 2, 0, 0, 2000, 7), 0);
	/* 1000 - 20 (IPv4) - 12 (common header) - 16 (DATA header) */
	assert_fragmented(2000, 952, 1000);
}

TEST(message_of_exactly_the_fragmentation_point_is_one_chunk)
{
	struct dpsctp_data d[4];

	up_nodelay();
	cr_assert_eq(send_msg(g_a, 2, 0, 0, FRAG, 0), 0);
	cr_assert_eq(take_data(d, 4), 1);
	cr_assert_eq(d[0].flags & (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E),
		DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E);
	cr_assert_eq(d[0].payload_len, FRAG);
	cr_assert_eq(rx.len, 1480);
	expect_silence();
}

/*
 * Bundling, Nagle, Max.Burst, windows (6.1, 7.2.1)
 */

TEST(small_messages_are_bundled_in_one_packet_with_nodelay)
{
	struct dpsctp_data d[16];
	unsigned int i;

	up_nodelay();
	for (i = 0; i < 10; i++)
		cr_assert_eq(send_msg(g_a, (uint16_t)i, 0, i, 50, (uint8_t)i), 0);
	cr_assert_eq(take_data(d, 16), 10);
	for (i = 0; i < 10; i++) {
		cr_assert_eq(d[i].payload_len, 50);
		cr_assert_eq(d[i].payload[0], (uint8_t)i);
	}
	expect_silence();
}

TEST(small_message_waits_while_data_is_unacknowledged_without_nodelay)
{
	up(NULL);
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 100, 0), 0);
	take_one_data(ep_tsn);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	expect_silence();
	sack(ep_tsn, 65536);
	take_one_data(ep_tsn + 1);
	expect_silence();
}

TEST(nagle_lets_data_go_once_a_full_chunk_is_queued)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_data d[4];

	up(&cfg);
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 100, 0), 0);
	take_one_data(ep_tsn);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1000, 0), 0);
	expect_silence();
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 1000, 0), 0);
	cr_assert_geq(take_data(d, 4), 1, "a full chunk of data was held back");
	cr_assert_eq(d[0].tsn, ep_tsn + 1);
}

TEST(max_burst_limits_the_packets_of_one_send_opportunity)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	cfg.max_burst = 2;
	up(&cfg);
	/* the initial cwnd (4404) would let 4 full chunks go */
	cr_assert_eq(send_n(6, FRAG), 2);
	cr_assert_eq(path_info(g_a).flight, 2 * FRAG);
	sack(ep_tsn, 65536);
	cr_assert_eq(drain(), 2, "not Max.Burst packets after a SACK");
	cr_assert_eq(stats()->data_out, 4);
}

TEST(initial_cwnd_limits_the_first_flight)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_path_info pi;

	cfg.nodelay = true;
	cfg.max_burst = 16;
	up(&cfg);
	cr_assert_eq(path_info(g_a).cwnd, 4404);
	send_n(10, FRAG);
	pi = path_info(g_a);
	/* 6.1 B: never cwnd + (PMTU - 1) or more outstanding; cwnd used up */
	cr_assert_lt(pi.flight, pi.cwnd + 1500 - 1, "flight %u for cwnd %u", pi.flight, pi.cwnd);
	cr_assert_geq(pi.flight, pi.cwnd, "flight %u leaves cwnd %u unused", pi.flight, pi.cwnd);
	cr_assert_eq(stats()->data_out, 4);
	cr_assert_eq(pi.unacked, 4);
}

TEST(cwnd_grows_in_slow_start_as_sacks_advance)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	cfg.max_burst = 16;
	up(&cfg);
	send_n(12, FRAG);
	cr_assert_eq(stats()->data_out, 4);
	sack(ep_tsn + 1, 65536);
	/* 7.2.1: cwnd fully used, cum advanced: + min(2904 acked, 1 MTU) */
	cr_assert_eq(path_info(g_a).cwnd, 4404 + 1500);
	drain();
	cr_assert_eq(stats()->data_out, 7, "%llu chunks sent with cwnd 5904",
		(unsigned long long)stats()->data_out);
}

/* 6.1 A: no new data beyond the peer's window, except one chunk when nothing is in flight. */
TEST(peer_window_stops_new_data_except_one_zero_window_probe)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	peer_arwnd = 1500;
	up(&cfg);
	cr_assert_eq(path_info(g_a).peer_rwnd, 1500);
	cr_assert_eq(send_n(4, 1000), 1, "more than the peer's window sent");
	cr_assert_eq(stats()->data_out, 1);

	/* the peer takes the first chunk and closes its window */
	sack(ep_tsn, 0);
	cr_assert_eq(path_info(g_a).peer_rwnd, 0);
	take_one_data(ep_tsn + 1);
	cr_assert_eq(stats()->zero_window_probes, 1);
	expect_silence();

	/* still closed, the probe not taken: nothing new */
	sack(ep_tsn, 0);
	expect_silence();
	cr_assert_eq(stats()->data_out, 2);

	/* the window opens */
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(drain(), 2);
	cr_assert_eq(stats()->data_out, 4);
	cr_assert_eq(stats()->zero_window_probes, 1);
}

/*
 * SACK processing (6.2.1, 7.2.4)
 */

TEST(cum_ack_only_sack_takes_the_express_path)
{
	struct dpsctp_path_info pi;

	up_nodelay();
	send_n(3, 100);
	pi = path_info(g_a);
	cr_assert_eq(pi.flight, 300);
	cr_assert_eq(pi.unacked, 3);
	cr_assert_eq(stats()->msgs_acked, 0);
	sack(ep_tsn + 2, 65536);
	cr_assert_eq(stats()->sacks_in, 1);
	cr_assert_eq(stats()->sacks_express, 1);
	cr_assert_eq(stats()->msgs_acked, 3);
	cr_assert_eq(stats()->bytes_acked, 300);
	pi = path_info(g_a);
	cr_assert_eq(pi.flight, 0);
	cr_assert_eq(pi.unacked, 0);
	cr_assert_eq(pi.queued, 0);
	cr_assert_eq(pi.peer_rwnd, 65536);
	cr_assert_eq(dpsctp_assoc_sndbuf_free(g_a), 262144);
	/* 6.3.2 R2: all acknowledged, T3-rtx stopped: no deadline but the cookie secret's */
	cr_assert_gt(next_deadline(), t_now + 60 * S);
}

TEST(partial_cum_ack_restarts_t3_and_keeps_the_rest_outstanding)
{
	struct dpsctp_path_info pi;

	up_nodelay();
	send_n(3, 100);
	cr_assert_eq(next_deadline(), t_now + 1 * S);
	t_now += 300 * DPSCTP_MS;
	sack(ep_tsn, 65536);
	pi = path_info(g_a);
	cr_assert_eq(pi.flight, 200);
	cr_assert_eq(pi.unacked, 2);
	/* 6.3.2 R3: the earliest outstanding TSN was acknowledged: T3-rtx restarts */
	cr_assert_eq(next_deadline(), t_now + path_info(g_a).rto);
}

TEST(gap_ack_blocks_mark_chunks_acknowledged)
{
	const struct dpsctp_gap_block g = {2, 3};
	struct dpsctp_data d[8];

	up_nodelay();
	send_n(4, 100);
	sack_gaps(ep_tsn - 1, &g, 1);
	cr_assert_eq(stats()->sacks_in, 1);
	cr_assert_eq(stats()->sacks_express, 0);
	/* gap-acked messages are not the peer's for good (it may renege): not counted yet */
	cr_assert_eq(stats()->msgs_acked, 0);
	cr_assert_eq(path_info(g_a).flight, 200, "flight %u", path_info(g_a).flight);
	expect_silence();
	/* T3-rtx: only what the gap block did not cover goes again */
	expire_at(next_deadline());
	cr_assert_eq(take_data(d, 8), 2);
	cr_assert_eq(d[0].tsn, ep_tsn);
	cr_assert_eq(d[1].tsn, ep_tsn + 3);
	expect_silence();
	cr_assert_eq(stats()->retrans_t3, 2);
	sack(ep_tsn + 3, 65536);
	cr_assert_eq(stats()->msgs_acked, 4);
	cr_assert_eq(stats()->bytes_acked, 400);
	cr_assert_eq(path_info(g_a).unacked, 0);
	cr_assert_eq(path_info(g_a).queued, 0);
}

/* 7.2.4: the third miss indication of a TSN marks it for fast retransmit; it goes at once,
 * alone, and only once; the window is reduced (7.2.3). */
TEST(three_miss_indications_fast_retransmit_the_missing_chunk_once)
{
	struct dpsctp_gap_block g = {2, 2};
	struct dpsctp_path_info pi;
	uint32_t cwnd_before;

	up_nodelay();
	send_n(8, 100);
	cwnd_before = path_info(g_a).cwnd;
	sack_gaps(ep_tsn - 1, &g, 1);
	expect_silence();
	g.end = 3;
	sack_gaps(ep_tsn - 1, &g, 1);
	expect_silence();
	g.end = 4;
	t_now += 100 * DPSCTP_MS;
	sack_gaps(ep_tsn - 1, &g, 1);
	take_one_data(ep_tsn);
	expect_silence();
	cr_assert_eq(stats()->retrans_fast, 1);
	/* step 4: the earliest outstanding TSN went again: T3-rtx restarts */
	cr_assert_eq(next_deadline(), t_now + status().rto);
	pi = path_info(g_a);
	cr_assert_eq(pi.ssthresh, cwnd_before / 2 > 6000 ? cwnd_before / 2 : 6000);
	cr_assert_eq(pi.cwnd, pi.ssthresh);

	/* three more miss indications for the same TSN: not again */
	for (g.end = 5; g.end <= 8; g.end++) {
		sack_gaps(ep_tsn - 1, &g, 1);
		expect_silence();
	}
	cr_assert_eq(stats()->retrans_fast, 1);
	sack(ep_tsn + 7, 65536);
	cr_assert_eq(path_info(g_a).unacked, 0);
}

/* 7.2.4 HTNA: "increment the miss indication count ... only for those TSNs ... that are below
 * the highest newly acknowledged TSN". */
TEST(miss_indications_count_only_below_the_highest_newly_acked_tsn)
{
	struct dpsctp_gap_block g[2];

	up_nodelay();
	send_n(6, 100);
	/* t+4 acked: t .. t+3 missed once */
	g[0] = (struct dpsctp_gap_block){5, 5};
	sack_gaps(ep_tsn - 1, g, 1);
	/* t+1 newly acked (t+4 again): only t is below it */
	g[0] = (struct dpsctp_gap_block){2, 2};
	g[1] = (struct dpsctp_gap_block){5, 5};
	sack_gaps(ep_tsn - 1, g, 2);
	expect_silence();
	/* t+2 newly acked: t has three, t+3 (above t+2) still one */
	g[0] = (struct dpsctp_gap_block){2, 3};
	sack_gaps(ep_tsn - 1, g, 2);
	take_one_data(ep_tsn);
	expect_silence();
	cr_assert_eq(stats()->retrans_fast, 1);
}

TEST(repeated_sack_that_acks_nothing_new_counts_no_miss)
{
	const struct dpsctp_gap_block g = {2, 2};
	struct dpsctp_gap_block g2 = {2, 3};
	int i;

	up_nodelay();
	send_n(4, 100);
	for (i = 0; i < 4; i++) {
		sack_gaps(ep_tsn - 1, &g, 1);
		expect_silence();
	}
	cr_assert_eq(stats()->retrans_fast, 0);
	/* the second and third real miss indications */
	sack_gaps(ep_tsn - 1, &g2, 1);
	expect_silence();
	g2.end = 4;
	sack_gaps(ep_tsn - 1, &g2, 1);
	take_one_data(ep_tsn);
	cr_assert_eq(stats()->retrans_fast, 1);
}

/* 6.2.1 D i: "If Cumulative TSN Ack is less than the Cumulative TSN Ack Point, drop the SACK
 * chunk." */
TEST(sack_below_the_cum_ack_point_is_dropped_as_stale)
{
	struct dpsctp_path_info pi;

	up_nodelay();
	send_n(3, 100);
	sack(ep_tsn + 1, 60000);
	pi = path_info(g_a);
	sack(ep_tsn, 1000);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_STALE_SACK], 1);
	cr_assert_eq(stats()->sacks_in, 1);
	cr_assert_eq(path_info(g_a).peer_rwnd, pi.peer_rwnd, "the stale SACK's window was taken");
	cr_assert_eq(path_info(g_a).unacked, 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	expect_silence();
	sack(ep_tsn + 2, 65536);
	cr_assert_eq(path_info(g_a).unacked, 0);
}

TEST(sack_acknowledging_a_tsn_never_sent_aborts_with_protocol_violation)
{
	struct dpsctp_tlv cause;
	const struct ev_rec *lost, *sf;

	up_nodelay();
	send_n(1, 100);
	sack(ep_tsn + 5, 65536);
	cr_assert_eq(take_abort_cause(&cause), DPSCTP_CAUSE_PROTOCOL_VIOLATION);
	expect_silence();
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_SACK_BEYOND], 1);
	lost = find_assoc_change(DPSCTP_EV_COMM_LOST);
	cr_assert_not_null(lost);
	sf = find_send_failed(0);
	cr_assert_not_null(sf, "no SEND_FAILED for the unacknowledged message");
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_SENT);
}

/*
 * T3-rtx (6.3.2, 6.3.3) and the association error counter (8.1)
 */

TEST(t3_expiry_retransmits_the_earliest_chunk_and_doubles_the_rto)
{
	uint64_t d;

	up_nodelay();
	send_n(3, FRAG);
	cr_assert_eq(status().rto, 1 * S);
	d = next_deadline();
	cr_assert_eq(d, t_now + 1 * S, "T3-rtx not at RTO after the first DATA");
	expire_at(d - 1);
	expect_silence();
	expire_at(d);
	cr_assert_eq(stats()->t3_expiries, 1);
	/* E3: the earliest outstanding chunk, in one packet, as it was sent */
	take_one_data(ep_tsn);
	{
		struct dpsctp_data r;

		cr_assert_eq(data_chunks(&rx, &r, 1), 1);
		cr_assert_eq(r.payload_len, FRAG);
		cr_assert_eq(r.payload[0], 0);
		cr_assert_eq(r.payload[FRAG - 1], (uint8_t)(FRAG - 1));
		cr_assert_eq(r.ssn, 0);
		cr_assert_eq(r.flags & (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E),
			DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E);
	}
	/* E1, E2 */
	cr_assert_eq(status().rto, 2 * S);
	cr_assert_eq(path_info(g_a).cwnd, 1500);
	cr_assert_eq(next_deadline(), d + 2 * S, "T3-rtx not restarted with the doubled RTO");
}

TEST(t3_expiry_bundles_the_earliest_chunks_that_fit_one_packet)
{
	struct dpsctp_data d[8];

	up_nodelay();
	send_n(3, 100);
	expire_at(next_deadline());
	cr_assert_eq(take_data(d, 8), 3);
	cr_assert_eq(d[0].tsn, ep_tsn);
	cr_assert_eq(d[1].tsn, ep_tsn + 1);
	cr_assert_eq(d[2].tsn, ep_tsn + 2);
	expect_silence();
	cr_assert_eq(stats()->retrans_t3, 3);
	cr_assert_eq(stats()->data_out, 3);
}

TEST(sack_after_t3_retransmission_clears_the_error_count)
{
	struct dpsctp_proto_config cfg = config();
	int round;

	cfg.nodelay = true;
	cfg.assoc_max_retrans = 2;
	up(&cfg);
	for (round = 0; round < 3; round++) {
		cr_assert_eq(send_msg(g_a, 0, 0, (uint32_t)round, 100, 0), 0);
		drain();
		/* two expiries: at the limit, not past it */
		expire_at(next_deadline());
		drain();
		expire_at(next_deadline());
		drain();
		cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
		sack(ep_tsn + (uint32_t)round, 65536);
	}
	cr_assert_eq(stats()->t3_expiries, 6);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_T3_MAX_RETRANS], 0);
}

TEST(association_is_lost_after_assoc_max_retrans_t3_expiries)
{
	struct dpsctp_proto_config cfg = config();
	const struct ev_rec *lost;
	unsigned int expiries = 0;
	uint32_t i;

	cfg.nodelay = true;
	cfg.assoc_max_retrans = 3;
	up(&cfg);
	/* 4 chunks fill cwnd; message 4 gets a TSN but is not sent; message 5 stays queued */
	send_n(6, FRAG);
	cr_assert_eq(stats()->data_out, 4);
	while (dpsctp_endpoint_assoc_count(g_ep) > 0) {
		cr_assert_lt(expiries, 10, "the association survives");
		expire_at(next_deadline());
		expiries++;
		if (dpsctp_endpoint_assoc_count(g_ep) > 0)
			drain();
	}
	cr_assert_eq(expiries, 4, "lost after %u expiries, Association.Max.Retrans 3", expiries);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_T3_MAX_RETRANS], 1);
	take_first(DPSCTP_CHUNK_ABORT);
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	expect_silence();
	lost = find_assoc_change(DPSCTP_EV_COMM_LOST);
	cr_assert_not_null(lost, "no COMM_LOST");
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 6);
	cr_assert_eq(stats()->msgs_failed, 6);
	for (i = 0; i < 6; i++) {
		const struct ev_rec *sf = find_send_failed(i);

		cr_assert_not_null(sf, "no SEND_FAILED for message %u", i);
		cr_assert_eq(sf->sf_flags, i < 4 ? DPSCTP_DATA_SENT : DPSCTP_DATA_UNSENT,
			"message %u: flags %#x", i, sf->sf_flags);
		cr_assert_eq(sf->sf_len, FRAG);
		cr_assert_eq(sf->sf_first, (uint8_t)i, "message %u: wrong data", i);
		cr_assert_eq(sf->sf_info.sid, 0);
	}
}

/*
 * The send buffer and the SEND primitive's errors (RFC 9260 10.1 B)
 */

TEST(send_gives_eagain_when_the_send_buffer_is_full_and_room_returns_after_a_sack)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	cfg.sndbuf = 3000;
	up(&cfg);
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 1000, 0), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1000, 0), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 1000, 0), 0);
	cr_assert_eq(dpsctp_assoc_sndbuf_free(g_a), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 1, 0), -EAGAIN);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 3001, 0), -EMSGSIZE);
	cr_assert_eq(drain(), 3);
	/* sent is not acknowledged: still no room */
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 1, 0), -EAGAIN);
	sack(ep_tsn, 65536);
	cr_assert_eq(dpsctp_assoc_sndbuf_free(g_a), 1000);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 1000, 0), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 4, 1, 0), -EAGAIN);
	cr_assert_eq(stats()->msgs_sent, 4);
}

TEST(send_rejects_a_bad_stream_and_an_empty_message_with_einval)
{
	struct dpsctp_sndinfo si = {.sid = 0};

	up_nodelay();
	cr_assert_eq(status().outbound_streams, 10);
	cr_assert_eq(send_msg(g_a, 10, 0, 0, 100, 0), -EINVAL);
	cr_assert_eq(send_msg(g_a, 0xffff, 0, 0, 100, 0), -EINVAL);
	cr_assert_eq(dpsctp_assoc_send(g_a, &si, "x", 0, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_send(g_a, &si, NULL, 10, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_send(g_a, NULL, "x", 1, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_send(NULL, &si, "x", 1, t_now), -EINVAL);
	expect_silence();
	cr_assert_eq(stats()->msgs_sent, 0);
	cr_assert_eq(send_msg(g_a, 9, 0, 0, 100, 0), 0);
}

/* 9.2: "... stop accepting new data from its SCTP user" once SHUTDOWN was asked for. */
TEST(send_after_shutdown_gives_eshutdown)
{
	up_nodelay();
	send_n(1, 100);
	cr_assert_eq(dpsctp_assoc_shutdown(g_a, t_now), 0);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_PENDING);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), -ESHUTDOWN);
	sack(ep_tsn, 65536);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_SENT);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), -ESHUTDOWN);
	cr_assert_eq(stats()->msgs_sent, 1);
}

/*
 * Lifetime, SEND_FAILED, SENDER_DRY (RFC 6458 6.1.11, 6.1.9)
 */

TEST(message_whose_lifetime_ends_before_transmission_fails_unsent)
{
	struct dpsctp_sndinfo si = {.sid = 4, .context = 0xc0ffee, .lifetime = 50 * DPSCTP_MS};
	const struct ev_rec *sf;
	uint64_t sent_at;

	up(NULL);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_one_data(ep_tsn);
	sent_at = t_now;
	/* Nagle holds it behind the first message */
	cr_assert_eq(dpsctp_assoc_send(g_a, &si, "expiring", 8, t_now), 0);
	expect_silence();
	cr_assert_eq(next_deadline(), sent_at + 50 * DPSCTP_MS);
	expire_at(next_deadline());
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 1);
	sf = find_send_failed(0xc0ffee);
	cr_assert_not_null(sf);
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_UNSENT);
	cr_assert_eq(sf->sf_error, 0);
	cr_assert_eq(sf->sf_info.sid, 4);
	cr_assert_eq(sf->sf_len, 8);
	cr_assert_eq(sf->sf_first, 'e');
	cr_assert_eq(stats()->msgs_failed, 1);
	sack(ep_tsn, 65536);
	expect_silence();
	cr_assert_eq(path_info(g_a).queued, 0);
	cr_assert_eq(stats()->data_out, 1);
}

TEST(sender_dry_comes_once_everything_is_acknowledged)
{
	up_nodelay();
	send_n(2, 100);
	sack(ep_tsn, 65536);
	cr_assert_eq(count_ev(DPSCTP_EV_SENDER_DRY), 0);
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(count_ev(DPSCTP_EV_SENDER_DRY), 1);
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(count_ev(DPSCTP_EV_SENDER_DRY), 1, "SENDER_DRY repeated");
}

/*
 * Graceful shutdown with data outstanding (9.2)
 */

TEST(shutdown_waits_in_shutdown_pending_until_data_is_acknowledged)
{
	struct dpsctp_chunk c;
	struct dpsctp_shutdown sd;

	up_nodelay();
	send_n(2, 100);
	cr_assert_eq(dpsctp_assoc_shutdown(g_a, t_now), 0);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_PENDING);
	expect_silence();
	sack(ep_tsn, 65536);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_PENDING);
	expect_silence();
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_SENT);
	c = take_first(DPSCTP_CHUNK_SHUTDOWN);
	cr_assert_eq(dpsctp_shutdown_decode(&c, &sd), 0);
	cr_assert_eq(sd.cum_tsn, peer_itsn - 1);
	expect_silence();
	start(ep_tag);
	cr_assert_eq(dpsctp_shutdown_ack_build(&tx), 0);
	cr_assert_eq(inject(), 0);
	take_first(DPSCTP_CHUNK_SHUTDOWN_COMPLETE);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_SHUTDOWN_COMP));
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 0);
}

/* RFC 7053 4.1: in SHUTDOWN-PENDING the last DATA chunk asks for an immediate SACK. */
TEST(data_queued_before_shutdown_is_still_sent_with_the_i_bit)
{
	struct dpsctp_data d[4];

	up(NULL);
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 100, 0), 0);
	take_one_data(ep_tsn);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	expect_silence();
	cr_assert_eq(dpsctp_assoc_shutdown(g_a, t_now), 0);
	cr_assert_eq(take_data(d, 4), 1);
	cr_assert_eq(d[0].tsn, ep_tsn + 1);
	cr_assert_neq(d[0].flags & DPSCTP_DATA_FLAG_I, 0, "no I bit in SHUTDOWN-PENDING");
	expect_silence();
	sack(ep_tsn + 1, 65536);
	take_first(DPSCTP_CHUNK_SHUTDOWN);
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 0);
}

/*
 * More of the same, at the edges
 */

/* RFC 7053: DPSCTP_SND_SACK_IMMEDIATELY puts the I bit on the message's last chunk. */
TEST(sack_immediately_sets_the_i_bit_on_the_last_fragment_only)
{
	struct dpsctp_data d[4];

	up_nodelay();
	cr_assert_eq(send_msg(g_a, 0, DPSCTP_SND_SACK_IMMEDIATELY, 0, 2000, 0), 0);
	cr_assert_eq(take_data(d, 4), 1);
	cr_assert_eq(d[0].flags & DPSCTP_DATA_FLAG_I, 0);
	cr_assert_eq(take_data(d, 4), 1);
	cr_assert_neq(d[0].flags & DPSCTP_DATA_FLAG_E, 0);
	cr_assert_neq(d[0].flags & DPSCTP_DATA_FLAG_I, 0);
}

/* 6.2.1 D iv: "Set rwnd equal to the newly received a_rwnd minus the number of bytes still
 * outstanding after processing the Cumulative TSN Ack and the Gap Ack Blocks." */
TEST(sack_sets_the_peer_window_to_a_rwnd_less_what_is_outstanding)
{
	uint32_t rwnd;

	up_nodelay();
	send_n(3, 100);
	sack(ep_tsn, 10000);
	rwnd = path_info(g_a).peer_rwnd;
	cr_assert_leq(rwnd, 10000 - 200, "peer window %u with 200 bytes outstanding", rwnd);
	cr_assert_gt(rwnd, 9000, "peer window %u", rwnd);
}

/* 7.2.1 / 7.2.4: no window growth while in Fast Recovery; it ends at the exit point. */
TEST(cwnd_does_not_grow_in_fast_recovery_and_grows_after_it)
{
	struct dpsctp_gap_block g = {2, 2};
	struct dpsctp_proto_config cfg = config();
	uint32_t cwnd;

	cfg.nodelay = true;
	cfg.max_burst = 16;
	up(&cfg);
	send_n(4, FRAG);
	sack_gaps(ep_tsn - 1, &g, 1);
	g.end = 3;
	sack_gaps(ep_tsn - 1, &g, 1);
	g.end = 4;
	sack_gaps(ep_tsn - 1, &g, 1);
	take_one_data(ep_tsn);
	cwnd = path_info(g_a).cwnd;
	cr_assert_eq(cwnd, 6000);
	/* fill the window, so that only Fast Recovery can hold it */
	send_n(6, FRAG);
	/* the retransmission acknowledged: cum advances, not yet to the exit point (t+3) */
	g = (struct dpsctp_gap_block){3, 3};
	sack_gaps(ep_tsn + 1, &g, 1);
	cr_assert_eq(path_info(g_a).cwnd, cwnd, "cwnd grew in Fast Recovery");
	drain();
	sack(ep_tsn + 3, 65536);
	drain();
	/* past the exit point: slow start again (cwnd <= ssthresh) with the window in use; t+5
	 * is the first TSN acknowledged for the first time (t+4 was gap-acked) */
	sack(ep_tsn + 5, 65536);
	cr_assert_gt(path_info(g_a).cwnd, cwnd, "cwnd %u did not grow after Fast Recovery",
		path_info(g_a).cwnd);
}

/* 6.3.1 C4, C5 (Karn): RTT from new data, never from a retransmitted chunk. */
TEST(rtt_is_measured_on_new_data_and_never_on_a_retransmission)
{
	up_nodelay();
	send_n(1, 100);
	expire_at(next_deadline());
	drain();
	cr_assert_eq(status().rto, 2 * S);
	t_now += 200 * DPSCTP_MS;
	sack(ep_tsn, 65536);
	cr_assert_eq(status().srtt, 0, "RTT measured on a retransmitted chunk");
	cr_assert_eq(status().rto, 2 * S);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	drain();
	t_now += 30 * DPSCTP_MS;
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(status().srtt, 30 * DPSCTP_MS);
	cr_assert_eq(
		status().rto, 1 * S, "RTO %llu, RTO.Min 1 s", (unsigned long long)status().rto);
}

/* 6.1 A: "If the sender continues to receive new packets from the receiver while doing zero
 * window probing, the unacknowledged window probes should not increment the error counter". */
TEST(zero_window_probing_answered_by_sacks_does_not_end_the_association)
{
	struct dpsctp_proto_config cfg = config();
	int i;

	cfg.nodelay = true;
	cfg.assoc_max_retrans = 2;
	peer_arwnd = 1500;
	up(&cfg);
	send_n(2, 1000);
	sack(ep_tsn, 0);
	take_one_data(ep_tsn + 1);
	for (i = 0; i < 5; i++) {
		expire_at(next_deadline());
		take_one_data(ep_tsn + 1);
		expect_silence();
		sack(ep_tsn, 0);
	}
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	cr_assert_eq(stats()->t3_expiries, 5);
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(path_info(g_a).unacked, 0);
}

/* A SHUTDOWN from the peer with Cumulative TSN Ack @p cum. */
static void
peer_shutdown(uint32_t cum)
{
	struct dpsctp_shutdown sd = {.cum_tsn = cum};

	start(ep_tag);
	cr_assert_eq(dpsctp_shutdown_build(&tx, &sd), 0);
	cr_assert_eq(inject(), 0);
}

/* 9.2: the SHUTDOWN's Cumulative TSN Ack acknowledges data; SHUTDOWN ACK once all is. */
TEST(shutdown_from_the_peer_acknowledges_data_by_its_cum_tsn)
{
	struct dpsctp_shutdown_complete sc = {.t = false};

	up_nodelay();
	send_n(3, 100);
	peer_shutdown(ep_tsn - 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_RECEIVED);
	cr_assert_eq(count_ev(DPSCTP_EV_SHUTDOWN), 1);
	cr_assert_eq(path_info(g_a).unacked, 3);
	expect_silence();
	cr_assert_eq(send_msg(g_a, 0, 0, 9, 100, 0), -ESHUTDOWN);
	peer_shutdown(ep_tsn + 1);
	cr_assert_eq(path_info(g_a).unacked, 1);
	expect_silence();
	sack(ep_tsn + 2, 65536);
	take_first(DPSCTP_CHUNK_SHUTDOWN_ACK);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_ACK_SENT);
	start(ep_tag);
	cr_assert_eq(dpsctp_shutdown_complete_build(&tx, &sc), 0);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 0);
}

TEST(shutdown_acknowledging_a_tsn_never_sent_aborts_with_protocol_violation)
{
	struct dpsctp_tlv cause;

	up_nodelay();
	send_n(1, 100);
	peer_shutdown(ep_tsn + 3);
	cr_assert_eq(take_abort_cause(&cause), DPSCTP_CAUSE_PROTOCOL_VIOLATION);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_SACK_BEYOND], 1);
}

/* RFC 6458 6.1.11: one SEND_FAILED per message, however many of its fragments are left. */
TEST(peer_abort_reports_each_unacknowledged_message_once)
{
	struct dpsctp_abort ab = {.t = false};
	const struct ev_rec *sf;
	size_t mark;

	up_nodelay();
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 4000, 0x41), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0x42), 0);
	drain();
	cr_assert_eq(stats()->data_out, 4);
	sack(ep_tsn, 65536); /* the first fragment */
	start(ep_tag);
	cr_assert_eq(dpsctp_abort_begin(&tx, &ab, &mark), 0);
	cr_assert_eq(dpsctp_chunk_end(&tx, mark), 0);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_COMM_LOST));
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 2);
	sf = find_send_failed(1);
	cr_assert_not_null(sf);
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_SENT);
	cr_assert_eq(sf->sf_len, 4000);
	cr_assert_eq(sf->sf_first, 0x41);
	sf = find_send_failed(2);
	cr_assert_not_null(sf);
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_SENT);
	expect_silence();
}

/* 6.2.1 D iii: "If the SACK is missing a TSN that was previously acknowledged via a Gap Ack
 * Block (e.g., the data receiver reneged on the data), then consider the corresponding DATA
 * that might be possibly missing"; T3-rtx (6.3.3 E3) then retransmits it with the rest. */
TEST(chunks_the_peer_reneged_on_are_retransmitted_at_the_next_t3)
{
	const struct dpsctp_gap_block g = {2, 4};
	struct dpsctp_data d[8];
	unsigned int n;

	up_nodelay();
	send_n(4, 100);
	sack_gaps(ep_tsn - 1, &g, 1);
	/* the peer reneges: t+1 .. t+3 are no longer in a gap block */
	sack(ep_tsn - 1, 65536);
	expire_at(next_deadline());
	n = take_data(d, 8);
	cr_assert_eq(n, 4, "T3-rtx retransmitted %u chunks, not the reneged ones", n);
	cr_assert_eq(d[0].tsn, ep_tsn);
	cr_assert_eq(d[3].tsn, ep_tsn + 3);
}

/* RFC 9260 1.6: TSNs are serial numbers; the sender's sequence crosses 2^32. */
TEST(sender_tsns_wrap_around_2_to_the_32)
{
	const struct dpsctp_gap_block g = {2, 3};
	struct dpsctp_data d[8];

	rand32_q[0] = 0x0a0b0c0du; /* the endpoint's tag */
	rand32_q[1] = 0xfffffffeu; /* its initial TSN */
	rand32_n = 2;
	up_nodelay();
	cr_assert_eq(ep_tsn, 0xfffffffeu);
	cr_assert_eq(send_n(5, 100), 1);
	/* 0xffffffff and 0 acked by a gap block */
	sack_gaps(0xfffffffdu, &g, 1);
	cr_assert_eq(path_info(g_a).flight, 300);
	expire_at(next_deadline());
	cr_assert_eq(take_data(d, 8), 3);
	cr_assert_eq(d[0].tsn, 0xfffffffeu);
	cr_assert_eq(d[1].tsn, 1);
	cr_assert_eq(d[2].tsn, 2);
	sack(1, 65536);
	cr_assert_eq(path_info(g_a).unacked, 1);
	sack(2, 65536);
	cr_assert_eq(path_info(g_a).unacked, 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 5, 100, 0), 0);
	take_one_data(3);
}

/*
 * Messages sent before the association is up (RFC 9260 10.1 B: SEND in COOKIE-WAIT)
 */

/*
 * The endpoint opens the association to the test's peer: INIT out, an INIT ACK granting
 * @p peer_in inbound streams back, COOKIE ECHO out. Returns the association in COOKIE-ECHOED;
 * ep_tsn is its initial TSN.
 */
static struct dpsctp_assoc *
open_active(uint16_t peer_in)
{
	static const uint8_t ck[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct dpsctp_proto_config cfg;
	struct dpsctp_init init;
	struct dpsctp_init ia = {
		.init_tag = PEER_TAG,
		.a_rwnd = 65536,
		.os = 10,
		.mis = peer_in,
		.initial_tsn = 0x00001000u,
	};
	struct dpsctp_assoc *a;
	struct dpsctp_chunk c;
	size_t mark;

	cfg = config();
	make_ep(true, &cfg);
	cr_assert_eq(dpsctp_associate(g_ep, &peer_addr, 1, PEER_PORT, 0, t_now, &a), 0);
	c = take_first(DPSCTP_CHUNK_INIT);
	cr_assert_eq(dpsctp_init_decode(&c, &init), 0);
	ep_tag = init.init_tag;
	ep_tsn = init.initial_tsn;
	start(ep_tag);
	cr_assert_eq(dpsctp_init_ack_begin(&tx, &ia, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_STATE_COOKIE, ck, sizeof(ck)), 0);
	cr_assert_eq(dpsctp_chunk_end(&tx, mark), 0);
	cr_assert_eq(inject(), 0);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_COOKIE_ECHOED);
	return a;
}

static void
cookie_ack(void)
{
	start(ep_tag);
	cr_assert_eq(dpsctp_cookie_ack_build(&tx), 0);
	cr_assert_eq(inject(), 0);
}

TEST(messages_sent_during_the_handshake_go_once_established)
{
	struct dpsctp_data d[4];

	g_a = open_active(10);
	cr_assert_eq(send_msg(g_a, 0, 0, 0, 100, 0), 0);
	cr_assert_eq(send_msg(g_a, 1, 0, 1, 100, 0), 0);
	/* 5.1: COOKIE ECHO first in its packet (DATA may ride behind it) */
	take_first(DPSCTP_CHUNK_COOKIE_ECHO);
	if (data_chunks(&rx, d, 4) == 0) {
		expect_silence();
		cookie_ack();
		cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
		cr_assert_eq(take_data(d, 4), 2);
	} else {
		cookie_ack();
	}
	cr_assert_eq(d[0].tsn, ep_tsn, "first DATA TSN %#x, the INIT said %#x", d[0].tsn, ep_tsn);
	cr_assert_eq(d[0].sid, 0);
	cr_assert_eq(d[1].tsn, ep_tsn + 1);
	cr_assert_eq(d[1].sid, 1);
	sack(ep_tsn + 1, 65536);
	cr_assert_eq(path_info(g_a).unacked, 0);
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 0);
}

/* 5.1.1: the outbound streams are the minimum of ours and the peer's MIS; a message queued
 * for a stream that does not exist fails instead of going out. */
TEST(message_queued_for_a_stream_the_peer_did_not_grant_fails)
{
	const struct ev_rec *sf;

	g_a = open_active(2);
	cr_assert_eq(send_msg(g_a, 5, 0, 55, 100, 0x50), 0);
	cr_assert_eq(send_msg(g_a, 1, 0, 11, 100, 0x10), 0);
	drain();
	cookie_ack();
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	take_one_data(ep_tsn);
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 1);
	sf = find_send_failed(55);
	cr_assert_not_null(sf);
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_UNSENT);
	cr_assert_eq(sf->sf_info.sid, 5);
	cr_assert_eq(send_msg(g_a, 2, 0, 0, 100, 0), -EINVAL);
}
