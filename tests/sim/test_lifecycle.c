/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenarios of an association's life after set-up (RFC 9260 8 and 9): graceful shutdown from
 * either side, together, with losses; ABORT from either side; blind attacks with wrong tags;
 * keep-alive heartbeats and what happens when the path dies; ERROR reporting.
 */
#include "scenario.h"

TestSuite(lifecycle, .timeout = 60);

static void
up(struct scen *x, uint64_t seed, const struct dpsctp_proto_config *ccfg,
	const struct dpsctp_proto_config *scfg)
{
	scen_setup_cfg(x, seed, ccfg, scfg, NULL);
	scen_associate(x);
	scen_establish(x, 10 * SIM_S);
}

static void
shutdown_from(bool client, uint64_t seed, const char *pcap_name)
{
	struct scen x;
	struct sim_node *from, *to;
	char pcap[512];

	up(&x, seed, NULL, NULL);
	from = client ? x.c : x.s;
	to = client ? x.s : x.c;
	snprintf(pcap, sizeof(pcap), "%s/%s", SIM_OUT_DIR, pcap_name);
	cr_assert_eq(sim_pcap_open(x.sim, pcap), 0);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(from), sim_now(x.sim)), 0);
	cr_assert_eq(dpsctp_assoc_state(sim_node_assoc(from)), DPSCTP_SHUTDOWN_SENT);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 10 * SIM_S));
	/* SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE: 3 ms */
	cr_assert_eq(sim_pcap_count(x.sim), 3);
	cr_assert_eq(scen_events(from, DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(to, DPSCTP_EV_SHUTDOWN_COMP), 1);
	/* the side that did not ask is told the peer shut down (RFC 6458 SHUTDOWN_EVENT) */
	cr_assert_eq(sim_node_count_events(to, DPSCTP_EV_SHUTDOWN, 0), 1);
	cr_assert_eq(sim_node_count_events(from, DPSCTP_EV_SHUTDOWN, 0), 0);
	cr_assert_eq(sim_node_count_states(to, DPSCTP_SHUTDOWN_ACK_SENT), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_LOST) + scen_events(x.s, DPSCTP_EV_COMM_LOST),
		0);
	sim_pcap_close(x.sim);
	cr_assert(scen_tshark_check(pcap) == 3 || scen_tshark_check(pcap) == -1);
	scen_teardown(&x);
}

Test(lifecycle, graceful_shutdown_from_the_client)
{
	shutdown_from(true, 101, "shutdown_client.pcap");
}

Test(lifecycle, graceful_shutdown_from_the_server)
{
	shutdown_from(false, 102, "shutdown_server.pcap");
}

Test(lifecycle, both_sides_shutting_down_at_once_both_complete)
{
	struct scen x;

	/* RFC 9260 9.2: SHUTDOWN in SHUTDOWN-SENT: SHUTDOWN ACK, SHUTDOWN-ACK-SENT; then each
	 * SHUTDOWN ACK in SHUTDOWN-ACK-SENT completes */
	up(&x, 103, NULL, NULL);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.s), sim_now(x.sim)), 0);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 10 * SIM_S));
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(sim_node_count_states(x.c, DPSCTP_SHUTDOWN_ACK_SENT), 1);
	cr_assert_eq(sim_node_count_states(x.s, DPSCTP_SHUTDOWN_ACK_SENT), 1);
	scen_teardown(&x);
}

static void
shutdown_losing(uint8_t type, bool from_client, uint64_t n, uint64_t seed)
{
	struct scen x;
	struct sim_drop_chunk d = {.type = type, .count = n};

	up(&x, seed, NULL, NULL);
	d.from = from_client ? x.c : x.s;
	sim_set_tx_tap(x.sim, sim_tap_drop_chunk, &d);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 120 * SIM_S));
	cr_assert_eq(d.dropped, n);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP), 1);
	scen_teardown(&x);
}

Test(lifecycle, shutdown_lost_twice_is_retransmitted_by_t2)
{
	shutdown_losing(DPSCTP_CHUNK_SHUTDOWN, true, 2, 104);
}

Test(lifecycle, shutdown_ack_lost_twice_is_retransmitted_by_t2)
{
	shutdown_losing(DPSCTP_CHUNK_SHUTDOWN_ACK, false, 2, 105);
}

Test(lifecycle, shutdown_complete_lost_answered_as_ootb_with_t_bit)
{
	/* the server's retransmitted SHUTDOWN ACK meets no TCB: 8.4 rule 5 answers SHUTDOWN
	 * COMPLETE with the T bit, which 8.5.1 C lets the server accept */
	shutdown_losing(DPSCTP_CHUNK_SHUTDOWN_COMPLETE, true, 1, 106);
}

Test(lifecycle, t2_shutdown_gives_up_after_association_max_retrans)
{
	struct scen x;
	struct dpsctp_proto_config cfg;

	scen_cfg(&cfg);
	cfg.assoc_max_retrans = 3;
	cfg.rto_max = 4 * SIM_S;
	up(&x, 107, &cfg, NULL);
	sim_link_set_up(x.cs, false);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 600 * SIM_S) ||
		sim_node_assoc_count(x.c) == 0);
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_T2_SHUTDOWN), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(dpsctp_endpoint_stats(sim_node_endpoint(x.c))->t2_expiries, 4);
	scen_teardown(&x);
}

Test(lifecycle, t5_guard_aborts_a_shutdown_that_never_ends)
{
	struct scen x;
	struct dpsctp_proto_config cfg;

	/* T2 would retry for long (max retrans 100, RTO.Max 1 s): T5 (5 s) cuts it short */
	scen_cfg(&cfg);
	cfg.assoc_max_retrans = 100;
	cfg.rto_max = 1 * SIM_S;
	cfg.shutdown_guard = 5 * SIM_S;
	up(&x, 108, &cfg, NULL);
	sim_link_set_up(x.cs, false);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_for(x.sim, 6 * SIM_S));
	cr_assert_eq(sim_node_assoc_count(x.c), 0);
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_T5_GUARD), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_LOST), 1);
	scen_teardown(&x);
}

/* Keep the ABORT info the server receives. */
struct abort_info {
	uint8_t info[2048];
	size_t len;
	uint16_t error;
	int n;
};

static void
keep_abort_info(struct sim_node *node, struct dpsctp_assoc *a, const struct dpsctp_event *ev,
	void *arg)
{
	struct abort_info *ai = arg;

	(void)node;
	(void)a;
	if (ev->type == DPSCTP_EV_ASSOC_CHANGE && ev->u.assoc_change.state == DPSCTP_EV_COMM_LOST &&
		ev->u.assoc_change.info_len > 0) {
		ai->len = ev->u.assoc_change.info_len < sizeof(ai->info) ?
			ev->u.assoc_change.info_len :
			sizeof(ai->info);
		memcpy(ai->info, ev->u.assoc_change.info, ai->len);
		ai->error = ev->u.assoc_change.error;
		ai->n++;
	}
}

static void
abort_from(bool client, uint64_t seed)
{
	struct scen x;
	struct abort_info ai = {0};
	static const char reason[] = "operator request: maintenance window";
	struct sim_node *from, *to;

	up(&x, seed, NULL, NULL);
	from = client ? x.c : x.s;
	to = client ? x.s : x.c;
	sim_set_event_hook(x.sim, keep_abort_info, &ai);
	cr_assert_eq(dpsctp_assoc_abort(sim_node_assoc(from), reason, sizeof(reason) - 1,
			     sim_now(x.sim)),
		0);
	/* the aborting side is done at once */
	cr_assert_eq(sim_node_assoc_count(from), 0);
	cr_assert_eq(scen_aborts(from, DPSCTP_ABORT_USER), 1);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 1 * SIM_S));
	cr_assert_eq(scen_events(to, DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(scen_aborts(to, DPSCTP_ABORT_PEER), 1);
	/* RFC 9260 3.3.10.12: User-Initiated Abort carrying the reason, given to the peer's ULP */
	cr_assert_eq(ai.n, 1);
	cr_assert_eq(ai.error, DPSCTP_CAUSE_USER_ABORT);
	cr_assert_eq(dpsctp_get_be16(ai.info), DPSCTP_CAUSE_USER_ABORT);
	cr_assert_eq(dpsctp_get_be16(ai.info + 2), 4 + sizeof(reason) - 1);
	cr_assert_eq(memcmp(ai.info + 4, reason, sizeof(reason) - 1), 0);
	scen_teardown(&x);
}

Test(lifecycle, abort_from_the_client_reaches_the_server_with_the_reason)
{
	abort_from(true, 109);
}

Test(lifecycle, abort_from_the_server_reaches_the_client_with_the_reason)
{
	abort_from(false, 110);
}

Test(lifecycle, blind_abort_with_a_wrong_tag_is_ignored)
{
	struct scen x;
	struct dpsctp_assoc_status ss;
	uint8_t pkt[64];
	size_t len;

	/* RFC 9260 8.5.1 B: our tag without T, or the peer's tag with T; nothing else */
	up(&x, 111, NULL, NULL);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag ^ 0x5a5a5a5a,
		DPSCTP_CHUNK_ABORT, 0, NULL, 0);
	scen_inject(&x, x.s, x.c, pkt, len);
	/* our own tag with the T bit set is not acceptable either */
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag, DPSCTP_CHUNK_ABORT,
		DPSCTP_CHUNK_FLAG_T, NULL, 0);
	scen_inject(&x, x.s, x.c, pkt, len);
	/* nor a reflected tag that is not the peer's */
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.peer_vtag + 1, DPSCTP_CHUNK_ABORT,
		DPSCTP_CHUNK_FLAG_T, NULL, 0);
	scen_inject(&x, x.s, x.c, pkt, len);
	cr_assert(scen_node_up(x.s));
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_BAD_VTAG), 3);
	/* the right one, with the T bit and the peer's tag, is accepted */
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.peer_vtag, DPSCTP_CHUNK_ABORT,
		DPSCTP_CHUNK_FLAG_T, NULL, 0);
	scen_inject(&x, x.s, x.c, pkt, len);
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_LOST), 1);
	scen_teardown(&x);
}

Test(lifecycle, blind_shutdown_with_a_wrong_tag_is_ignored)
{
	struct scen x;
	struct dpsctp_assoc_status ss;
	uint8_t pkt[64], cum[4] = {0};
	size_t len;

	up(&x, 112, NULL, NULL);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag + 1, DPSCTP_CHUNK_SHUTDOWN, 0,
		cum, 4);
	scen_inject(&x, x.s, x.c, pkt, len);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.peer_vtag, DPSCTP_CHUNK_SHUTDOWN, 0, cum,
		4);
	scen_inject(&x, x.s, x.c, pkt, len);
	cr_assert(sim_run_for(x.sim, 5 * SIM_S));
	cr_assert(scen_node_up(x.s) && scen_node_up(x.c));
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_BAD_VTAG), 2);
	cr_assert_eq(sim_node_count_events(x.s, DPSCTP_EV_SHUTDOWN, 0), 0);
	scen_teardown(&x);
}

Test(lifecycle, blind_shutdown_complete_and_heartbeat_with_wrong_tags_are_ignored)
{
	struct scen x;
	struct dpsctp_assoc_status ss;
	uint8_t pkt[128], info[12] = {0, 1, 0, 12};
	size_t len;
	uint64_t out;

	up(&x, 113, NULL, NULL);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.peer_vtag, DPSCTP_CHUNK_SHUTDOWN_COMPLETE,
		0, NULL, 0);
	scen_inject(&x, x.s, x.c, pkt, len);
	out = dpsctp_endpoint_stats(sim_node_endpoint(x.s))->packets_out;
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, 0xdeadbeef, DPSCTP_CHUNK_HEARTBEAT, 0, info,
		sizeof(info));
	scen_inject(&x, x.s, x.c, pkt, len);
	cr_assert(sim_run_for(x.sim, SIM_US));
	cr_assert_eq(dpsctp_endpoint_stats(sim_node_endpoint(x.s))->packets_out, out,
		"no HEARTBEAT ACK for a wrong tag");
	cr_assert(scen_node_up(x.s));
	scen_teardown(&x);
}

Test(lifecycle, keepalive_heartbeats_measure_the_rtt_and_keep_the_error_count_at_zero)
{
	struct scen x;
	struct dpsctp_proto_config cfg;
	struct dpsctp_assoc_status cs;
	struct sim_link_params lp;
	const struct dpsctp_stats *st;

	scen_cfg(&cfg);
	cfg.hb_interval = 1 * SIM_S;
	sim_link_params_default(&lp);
	lp.delay_ns = 25 * SIM_MS;
	scen_setup_cfg(&x, 114, &cfg, &cfg, &lp);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	cr_assert(sim_run_for(x.sim, 60 * SIM_S));
	st = dpsctp_endpoint_stats(sim_node_endpoint(x.c));
	/* once per RTO + HB.interval (+/- RTO/2): between 60/3 and 60/1.5 */
	cr_assert_geq(st->hb_sent, 15);
	cr_assert_leq(st->hb_sent, 45);
	cr_assert_geq(st->hb_acked, st->hb_sent - 1);
	dpsctp_assoc_get_status(sim_node_assoc(x.c), &cs);
	cr_assert_eq(cs.srtt, 50 * SIM_MS);
	/* RTO = SRTT + 4 RTTVAR, clamped to RTO.Min (1 s) */
	cr_assert_eq(cs.rto, 1 * SIM_S);
	cr_assert(scen_node_up(x.c) && scen_node_up(x.s));
	scen_teardown(&x);
}

Test(lifecycle, dead_path_is_detected_by_heartbeats_and_reported_as_comm_lost)
{
	struct scen x;
	struct dpsctp_proto_config cfg;

	scen_cfg(&cfg);
	cfg.hb_interval = 1 * SIM_S;
	cfg.assoc_max_retrans = 3;
	cfg.rto_max = 2 * SIM_S;
	up(&x, 115, &cfg, &cfg);
	sim_link_set_up(x.cs, false);
	sim_link_set_up(x.sc, false);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 120 * SIM_S));
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_LOST), 1);
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_HB_MAX_RETRANS), 1);
	cr_assert_eq(scen_aborts(x.s, DPSCTP_ABORT_HB_MAX_RETRANS), 1);
	scen_teardown(&x);
}

Test(lifecycle, error_chunk_is_reported_as_remote_error)
{
	struct scen x;
	struct dpsctp_assoc_status ss;
	uint8_t pkt[64], cause[8] = {0, DPSCTP_CAUSE_OUT_OF_RESOURCE, 0, 4};
	size_t len;

	up(&x, 116, NULL, NULL);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag, DPSCTP_CHUNK_ERROR, 0, cause,
		4);
	cr_assert_eq(scen_inject(&x, x.s, x.c, pkt, len), 0);
	cr_assert_eq(sim_node_count_events(x.s, DPSCTP_EV_REMOTE_ERROR, 0), 1);
	cr_assert_eq(sim_node_last_event(x.s, DPSCTP_EV_REMOTE_ERROR, 0)->error,
		DPSCTP_CAUSE_OUT_OF_RESOURCE);
	cr_assert(scen_node_up(x.s));
	scen_teardown(&x);
}

Test(lifecycle, unknown_chunk_with_report_bits_gets_an_error_back)
{
	struct scen x;
	struct dpsctp_assoc_status ss;
	uint8_t pkt[64], v[4] = {1, 2, 3, 4};
	size_t len;

	/* 3.2: type 0x7f has upper bits 01: stop and report (Unrecognized Chunk Type) */
	up(&x, 117, NULL, NULL);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag, 0x7f, 0, v, 4);
	cr_assert_eq(scen_inject(&x, x.s, x.c, pkt, len), 0);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	cr_assert_eq(sim_node_count_events(x.c, DPSCTP_EV_REMOTE_ERROR, 0), 1);
	cr_assert_eq(sim_node_last_event(x.c, DPSCTP_EV_REMOTE_ERROR, 0)->error,
		DPSCTP_CAUSE_UNRECOGNIZED_CHUNK);
	scen_teardown(&x);
}

Test(lifecycle, shutdown_before_established_ends_without_disturbing_the_peer)
{
	struct scen x;

	scen_setup(&x, 118);
	scen_associate(&x);
	cr_assert_eq(dpsctp_assoc_shutdown(x.ca, sim_now(x.sim)), 0);
	cr_assert_eq(sim_node_assoc_count(x.c), 0);
	cr_assert(sim_run_for(x.sim, 10 * SIM_S));
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_SHUTDOWN_COMP), 1);
	scen_teardown(&x);
}

Test(lifecycle, a_second_shutdown_or_an_invalid_abort_reason_is_refused)
{
	struct scen x;
	static uint8_t big[2000];

	up(&x, 119, NULL, NULL);
	cr_assert_eq(dpsctp_assoc_abort(sim_node_assoc(x.c), big, sizeof(big), sim_now(x.sim)),
		-EINVAL);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), -ENOTCONN);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 10 * SIM_S));
	scen_teardown(&x);
}
