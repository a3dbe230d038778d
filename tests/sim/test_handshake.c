/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenarios of association set-up (RFC 9260 5.1, 5.2) on the simulator: the four-way handshake,
 * each of its packets lost, timers running out, stale / forged / replayed cookies, and every
 * collision case of 5.2.
 */
#include "initparam.h"
#include "scenario.h"

TestSuite(handshake, .timeout = 60);

Test(handshake, four_way_handshake_establishes_both_sides_and_tshark_reads_it_clean)
{
	struct scen x;
	char pcap[512];
	struct dpsctp_assoc_status cs, ss;

	scen_setup(&x, 1);
	snprintf(pcap, sizeof(pcap), "%s/handshake.pcap", SIM_OUT_DIR);
	cr_assert_eq(sim_pcap_open(x.sim, pcap), 0);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	/* 1 ms each way: INIT, INIT ACK, COOKIE ECHO, COOKIE ACK = 4 ms */
	cr_assert_eq(sim_now(x.sim), SIM_T0 + 4 * SIM_MS);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_UP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_UP), 1);
	dpsctp_assoc_get_status(sim_node_assoc(x.c), &cs);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	/* the tags cross: each side's local tag is the other's peer tag */
	cr_assert_eq(cs.local_vtag, ss.peer_vtag);
	cr_assert_eq(cs.peer_vtag, ss.local_vtag);
	cr_assert_neq(cs.local_vtag, 0);
	cr_assert_eq(cs.peer_initial_tsn, ss.local_initial_tsn);
	/* 5.1.1: streams are min(OS, peer's MIS): 10 out, and 10 in (the peer's OS) */
	cr_assert_eq(cs.outbound_streams, 10);
	cr_assert_eq(ss.inbound_streams, 10);
	/* RTT measured from COOKIE ECHO / COOKIE ACK (not retransmitted): 2 ms */
	cr_assert_eq(cs.srtt, 2 * SIM_MS);
	cr_assert_eq(sim_pcap_count(x.sim), 4);
	sim_pcap_close(x.sim);
	cr_assert(scen_tshark_check(pcap) == 4 || scen_tshark_check(pcap) == -1);
	scen_teardown(&x);
}

/* Lose the first @p n packets holding @p type, sent by @p from; the handshake still completes. */
static void
lose_and_establish(uint8_t type, bool from_client, uint64_t n, uint64_t min_time)
{
	struct scen x;
	struct sim_drop_chunk d = {.type = type, .count = n};

	scen_setup(&x, 2);
	d.from = from_client ? x.c : x.s;
	sim_set_tx_tap(x.sim, sim_tap_drop_chunk, &d);
	scen_associate(&x);
	scen_establish(&x, 600 * SIM_S);
	cr_assert_eq(d.dropped, n);
	/* the RTO backs off from 1 s: 1 + 2 + 4 ... seconds were waited */
	cr_assert_geq(sim_now(x.sim) - SIM_T0, min_time);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_UP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_UP), 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 1);
	scen_teardown(&x);
}

Test(handshake, init_lost_once_is_retransmitted_after_rto)
{
	lose_and_establish(DPSCTP_CHUNK_INIT, true, 1, 1 * SIM_S);
}

Test(handshake, init_ack_lost_once_init_is_retransmitted)
{
	lose_and_establish(DPSCTP_CHUNK_INIT_ACK, false, 1, 1 * SIM_S);
}

Test(handshake, cookie_echo_lost_once_is_retransmitted)
{
	lose_and_establish(DPSCTP_CHUNK_COOKIE_ECHO, true, 1, 1 * SIM_S);
}

Test(handshake, cookie_ack_lost_once_duplicate_cookie_gets_a_new_cookie_ack)
{
	/* the server is ESTABLISHED already; the retransmitted COOKIE ECHO is 5.2.4 case D */
	lose_and_establish(DPSCTP_CHUNK_COOKIE_ACK, false, 1, 1 * SIM_S);
}

Test(handshake, init_lost_three_times_backs_off_1_2_4_seconds)
{
	lose_and_establish(DPSCTP_CHUNK_INIT, true, 3, 7 * SIM_S);
}

Test(handshake, cookie_echo_lost_four_times_backs_off)
{
	lose_and_establish(DPSCTP_CHUNK_COOKIE_ECHO, true, 4, 15 * SIM_S);
}

Test(handshake, t1_init_expiry_fails_after_max_init_retransmits)
{
	struct scen x;
	struct dpsctp_proto_config cfg;
	struct sim_drop_chunk d = {.type = DPSCTP_CHUNK_INIT, .count = UINT64_MAX};

	scen_cfg(&cfg);
	cfg.max_init_retrans = 4;
	scen_setup_cfg(&x, 4, &cfg, NULL, NULL);
	sim_set_tx_tap(x.sim, sim_tap_drop_chunk, &d);
	scen_associate(&x);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 600 * SIM_S));
	/* the first INIT and 4 retransmissions, then "report the error to the SCTP user" */
	cr_assert_eq(d.seen, 5);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_CANT_STR_ASSOC), 1);
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_T1_INIT), 1);
	/* 1 + 2 + 4 + 8 + 16 s */
	cr_assert_eq(sim_now(x.sim), SIM_T0 + 31 * SIM_S);
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	scen_teardown(&x);
}

Test(handshake, t1_cookie_expiry_fails_and_the_server_keeps_nothing)
{
	struct scen x;
	struct dpsctp_proto_config cfg;
	struct sim_drop_chunk d = {.type = DPSCTP_CHUNK_COOKIE_ECHO, .count = UINT64_MAX};

	scen_cfg(&cfg);
	cfg.max_init_retrans = 3;
	scen_setup_cfg(&x, 5, &cfg, NULL, NULL);
	sim_set_tx_tap(x.sim, sim_tap_drop_chunk, &d);
	scen_associate(&x);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 600 * SIM_S));
	cr_assert_eq(d.seen, 4);
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_T1_COOKIE), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_CANT_STR_ASSOC), 1);
	/* INIT handling is stateless: an unanswered INIT ACK cost the server no memory */
	cr_assert_eq(scen_events(x.s, 0), 0);
	cr_assert_eq(sim_node_alloc_stats(x.s)->live, 1, "only the endpoint itself is allocated");
	scen_teardown(&x);
}

Test(handshake, stale_cookie_gets_error_then_cookie_preservative_lets_it_through)
{
	struct scen x;
	struct dpsctp_proto_config scfg;
	struct sim_link_params lp;

	/* a 300 ms cookie life and 200 ms each way: the first COOKIE ECHO arrives 100 ms late */
	scen_cfg(&scfg);
	scfg.valid_cookie_life = 300 * SIM_MS;
	sim_link_params_default(&lp);
	lp.delay_ns = 200 * SIM_MS;
	scen_setup_cfg(&x, 6, NULL, &scfg, &lp);
	scen_associate(&x);
	scen_establish(&x, 60 * SIM_S);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_STALE_COOKIE), 1);
	/* the client asked for more life (5.2.6) and the second attempt made it */
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_UP), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_CANT_STR_ASSOC), 0);
	scen_teardown(&x);
}

Test(handshake, stale_cookie_every_time_fails_after_max_init_retransmits)
{
	struct scen x;
	struct dpsctp_proto_config ccfg, scfg;
	struct sim_link_params lp;

	/* a 10 ms life with 200 ms each way: even twice the life is not enough */
	scen_cfg(&ccfg);
	ccfg.max_init_retrans = 2;
	scen_cfg(&scfg);
	scfg.valid_cookie_life = 10 * SIM_MS;
	sim_link_params_default(&lp);
	lp.delay_ns = 200 * SIM_MS;
	scen_setup_cfg(&x, 7, &ccfg, &scfg, &lp);
	scen_associate(&x);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 60 * SIM_S));
	cr_assert_eq(scen_aborts(x.c, DPSCTP_ABORT_STALE_COOKIE_MAX), 1);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_CANT_STR_ASSOC), 1);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_STALE_COOKIE), 3);
	scen_teardown(&x);
}

/* Flip one byte of the State Cookie in the first COOKIE ECHO. */
static enum sim_verdict
forge_cookie(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path,
	uint8_t *pkt, size_t *len, void *arg)
{
	int *done = arg;

	(void)sim;
	(void)node;
	(void)path;
	if (*done == 0 && sim_pkt_first_chunk(pkt, *len) == DPSCTP_CHUNK_COOKIE_ECHO) {
		pkt[DPSCTP_COMMON_HDR_LEN + DPSCTP_CHUNK_HDR_LEN + 30] ^= 0x01;
		*done = 1;
	}
	return SIM_PASS;
}

Test(handshake, forged_cookie_with_bad_mac_is_silently_dropped)
{
	struct scen x;
	int done = 0;
	uint64_t out_before;

	scen_setup(&x, 8);
	sim_set_tx_tap(x.sim, forge_cookie, &done);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	cr_assert_eq(done, 1);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_BAD_COOKIE), 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	/* nothing answered the forgery: the server sent only the INIT ACK */
	out_before = dpsctp_endpoint_stats(sim_node_endpoint(x.s))->packets_out;
	cr_assert_eq(out_before, 1);
	/* T1-cookie resends the genuine cookie */
	scen_establish(&x, 10 * SIM_S);
	scen_teardown(&x);
}

/* Record the first packet holding a chunk type. */
struct capture {
	uint8_t type;
	uint8_t pkt[DPSCTP_MAX_PACKET];
	size_t len;
	unsigned int n;
};

static enum sim_verdict
capture_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct capture *cap = arg;

	(void)sim;
	(void)node;
	(void)path;
	if (sim_pkt_has_chunk(pkt, *len, cap->type) && cap->n++ == 0) {
		memcpy(cap->pkt, pkt, *len);
		cap->len = *len;
	}
	return SIM_PASS;
}

Test(handshake, replayed_cookie_after_two_secret_rotations_is_silently_dropped)
{
	struct scen x;
	struct dpsctp_proto_config scfg;
	struct capture cap = {.type = DPSCTP_CHUNK_COOKIE_ECHO};
	uint64_t bad;

	scen_cfg(&scfg);
	scfg.valid_cookie_life = 10 * SIM_S;
	scen_setup_cfg(&x, 9, NULL, &scfg, NULL);
	sim_set_tx_tap(x.sim, capture_tap, &cap);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	cr_assert_eq(cap.n, 1);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 10 * SIM_S));
	/* the secret rotates every 2 x 10 s: after 45 s neither current nor previous one MACs it */
	cr_assert(sim_run_for(x.sim, 45 * SIM_S));
	bad = scen_drops(x.s, DPSCTP_DROP_BAD_COOKIE);
	scen_inject(&x, x.s, x.c, cap.pkt, cap.len);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_BAD_COOKIE), bad + 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_STALE_COOKIE), 0, "no answer, not even stale");
	scen_teardown(&x);
}

Test(handshake, init_collision_in_cookie_wait_both_establish_one_association)
{
	struct scen x;
	struct dpsctp_assoc *sa;
	struct dpsctp_assoc_status cs, ss;

	/* RFC 9260 5.2.1: both sides send INIT at the same moment */
	scen_setup(&x, 10);
	dpsctp_endpoint_listen(sim_node_endpoint(x.c), true);
	scen_associate(&x);
	cr_assert_eq(sim_node_associate(x.s, x.c, 0, &sa), 0);
	scen_establish(&x, 10 * SIM_S);
	cr_assert(sim_run_for(x.sim, 5 * SIM_S));
	cr_assert_eq(sim_node_assoc_count(x.c), 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 1);
	dpsctp_assoc_get_status(sim_node_assoc(x.c), &cs);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	cr_assert_eq(cs.local_vtag, ss.peer_vtag);
	cr_assert_eq(cs.peer_vtag, ss.local_vtag);
	cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_UP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_UP), 1);
	cr_assert_geq(dpsctp_endpoint_stats(sim_node_endpoint(x.c))->init_collisions, 1);
	scen_teardown(&x);
}

/* Hold the server's INIT until the client is in COOKIE-ECHOED, then let it go. */
Test(handshake, init_in_cookie_echoed_collision_converges_on_one_pair_of_tags)
{
	struct scen x;
	struct dpsctp_assoc *sa;
	struct dpsctp_assoc_status cs, ss;
	struct sim_link_params lp;

	/* RFC 9260 5.2.1 COOKIE-ECHOED and 5.2.4 B: the client's INIT is answered (stateless) and
	 * the server then starts its own association to the client */
	scen_setup(&x, 11);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 2 * SIM_MS + SIM_US)); /* INIT ACK received */
	cr_assert_eq(dpsctp_assoc_state(sim_node_assoc(x.c)), DPSCTP_COOKIE_ECHOED);
	cr_assert_eq(sim_node_associate(x.s, x.c, 0, &sa), 0);
	sim_link_params_default(&lp);
	scen_establish(&x, 30 * SIM_S);
	cr_assert(sim_run_for(x.sim, 5 * SIM_S));
	cr_assert_eq(sim_node_assoc_count(x.c), 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 1);
	dpsctp_assoc_get_status(sim_node_assoc(x.c), &cs);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	cr_assert_eq(cs.local_vtag, ss.peer_vtag);
	cr_assert_eq(cs.peer_vtag, ss.local_vtag);
	cr_assert(scen_node_up(x.c) && scen_node_up(x.s));
	scen_teardown(&x);
}

Test(handshake, unexpected_init_in_established_gets_init_ack_and_changes_nothing)
{
	struct scen x;
	struct dpsctp_assoc_status before, after;
	struct capture cap = {.type = DPSCTP_CHUNK_INIT};
	struct capture ack = {.type = DPSCTP_CHUNK_INIT_ACK};

	/* RFC 9260 5.2.2: replay the client's INIT to the established server */
	scen_setup(&x, 12);
	sim_set_tx_tap(x.sim, capture_tap, &cap);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &before);
	sim_set_tx_tap(x.sim, capture_tap, &ack);
	cr_assert_eq(scen_inject(&x, x.s, x.c, cap.pkt, cap.len), 0);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	cr_assert_eq(ack.n, 1, "answered with an INIT ACK");
	{
		struct dpsctp_packet_info pi;
		const uint8_t *p;
		struct dpsctp_chunk ch;
		struct dpsctp_init ia;

		cr_assert_eq(dpsctp_packet_parse(ack.pkt, ack.len, &pi), 0);
		p = pi.chunks;
		cr_assert_eq(dpsctp_chunk_next(&p, pi.end, &ch), 1);
		cr_assert_eq(dpsctp_init_ack_decode(&ch, &ia), 0);
		/* a new Initiate Tag, not the association's */
		cr_assert_neq(ia.init_tag, before.local_vtag);
		cr_assert_eq(pi.hdr.vtag, before.peer_vtag);
	}
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &after);
	cr_assert_eq(after.state, DPSCTP_ESTABLISHED);
	cr_assert_eq(after.local_vtag, before.local_vtag);
	cr_assert_eq(after.peer_vtag, before.peer_vtag);
	/* the client (ESTABLISHED) discards the INIT ACK (5.2.3) and nothing changes */
	cr_assert(sim_run_for(x.sim, 5 * SIM_S));
	cr_assert(scen_node_up(x.c) && scen_node_up(x.s));
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_UP), 1);
	scen_teardown(&x);
}

Test(handshake, late_cookie_from_an_earlier_init_ack_is_case_c_and_discarded)
{
	struct scen x;
	struct capture first = {.type = DPSCTP_CHUNK_INIT_ACK};
	uint8_t pkt[DPSCTP_MAX_PACKET];
	struct dpsctp_packet_info pi;
	struct dpsctp_chunk ch;
	struct dpsctp_init ia;
	struct dpsctp_init_params prm;
	const uint8_t *p;
	size_t len;
	uint64_t unexpected, out;
	struct dpsctp_assoc_status st;

	/* the first INIT ACK is captured and lost; the handshake completes with the second one;
	 * then a COOKIE ECHO made from the first cookie arrives: Local Tag X, Peer's Tag M,
	 * no Tie-Tags = 5.2.4 case C: silently discard */
	scen_setup(&x, 13);
	sim_set_tx_tap(x.sim, capture_tap, &first);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 1 * SIM_MS + SIM_US)); /* INIT ACK #1 built, in flight */
	sim_link_set_up(x.sc, false);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	sim_link_set_up(x.sc, true);
	scen_establish(&x, 10 * SIM_S);
	cr_assert_eq(dpsctp_packet_parse(first.pkt, first.len, &pi), 0);
	p = pi.chunks;
	cr_assert_eq(dpsctp_chunk_next(&p, pi.end, &ch), 1);
	cr_assert_eq(dpsctp_init_ack_decode(&ch, &ia), 0);
	cr_assert_eq(dpsctp_init_params_parse(&ia, true, &prm, NULL, false), 0);
	cr_assert_not_null(prm.cookie);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &st);
	cr_assert_neq(ia.init_tag, st.local_vtag, "two different INIT ACKs");
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ia.init_tag, DPSCTP_CHUNK_COOKIE_ECHO, 0,
		prm.cookie, prm.cookie_len);
	unexpected = scen_drops(x.s, DPSCTP_DROP_UNEXPECTED);
	out = dpsctp_endpoint_stats(sim_node_endpoint(x.s))->packets_out;
	cr_assert_eq(scen_inject(&x, x.s, x.c, pkt, len), 0);
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_UNEXPECTED), unexpected + 1);
	cr_assert(sim_run_for(x.sim, SIM_US));
	cr_assert_eq(dpsctp_endpoint_stats(sim_node_endpoint(x.s))->packets_out, out);
	cr_assert(scen_node_up(x.s));
	scen_teardown(&x);
}

Test(handshake, peer_restart_is_detected_and_reported_as_restart)
{
	struct scen x;
	struct dpsctp_assoc_status before, after;

	/* RFC 9260 5.2.4 A: the client crashes and comes back; its new INIT meets the old TCB */
	scen_setup(&x, 14);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &before);
	cr_assert_eq(sim_node_restart(x.c), 0);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_RESTART), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_LOST), 0);
	cr_assert_eq(sim_node_assoc_count(x.s), 1);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &after);
	cr_assert_neq(after.local_vtag, before.local_vtag);
	cr_assert_neq(after.peer_vtag, before.peer_vtag);
	cr_assert_eq(dpsctp_endpoint_stats(sim_node_endpoint(x.s))->restarts, 1);
	/* and the new pair works: a graceful shutdown completes on both sides */
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 10 * SIM_S));
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP), 1);
	scen_teardown(&x);
}

Test(handshake, init_from_restarted_peer_in_shutdown_ack_sent_gets_the_shutdown_ack_again)
{
	struct scen x;
	struct sim_drop_chunk d = {.type = DPSCTP_CHUNK_SHUTDOWN_ACK, .count = 1};

	/* RFC 9260 9.2: in SHUTDOWN-ACK-SENT an INIT is discarded and the SHUTDOWN ACK resent; the
	 * restarted peer answers it as OOTB (SHUTDOWN COMPLETE, T bit), the old association ends,
	 * and the peer's next INIT builds a new one */
	scen_setup(&x, 15);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	sim_set_tx_tap(x.sim, sim_tap_drop_chunk, &d);
	cr_assert_eq(dpsctp_assoc_shutdown(sim_node_assoc(x.c), sim_now(x.sim)), 0);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	cr_assert_eq(dpsctp_assoc_state(sim_node_assoc(x.s)), DPSCTP_SHUTDOWN_ACK_SENT);
	cr_assert_eq(sim_node_restart(x.c), 0);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 10 * SIM_MS));
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP), 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_RESTART), 0);
	scen_establish(&x, 10 * SIM_S);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_COMM_UP), 2);
	scen_teardown(&x);
}

/* Drop the COOKIE ECHO (kept) and every SHUTDOWN ACK. */
struct hold {
	struct capture cookie;
	uint64_t shutdown_acks;
	uint64_t cookie_in_shutdown; /* packets with SHUTDOWN ACK + ERROR (Cookie In Shutdown) */
};

static enum sim_verdict
hold_tap(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct hold *h = arg;

	if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_SHUTDOWN_ACK)) {
		h->shutdown_acks++;
		if (sim_pkt_has_chunk(pkt, *len, DPSCTP_CHUNK_ERROR))
			h->cookie_in_shutdown++;
		return SIM_DROP;
	}
	if (sim_pkt_first_chunk(pkt, *len) == DPSCTP_CHUNK_COOKIE_ECHO && h->cookie.n == 0) {
		capture_tap(sim, node, path, pkt, len, &h->cookie);
		return SIM_DROP;
	}
	return SIM_PASS;
}

Test(handshake, restart_cookie_in_shutdown_ack_sent_is_refused_with_cookie_in_shutdown)
{
	struct scen x;
	struct hold h = {.cookie = {.type = DPSCTP_CHUNK_COOKIE_ECHO}};
	struct dpsctp_assoc_status ss;
	uint8_t pkt[64], cum[4];
	size_t len;

	/* RFC 9260 5.2.4 A: the restarted peer's cookie (Tie-Tags matching) arrives while the old
	 * association is in SHUTDOWN-ACK-SENT: no restart; SHUTDOWN ACK + ERROR "Cookie Received
	 * While Shutting Down" to the new peer */
	scen_setup(&x, 19);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	sim_set_tx_tap(x.sim, hold_tap, &h);
	cr_assert_eq(sim_node_restart(x.c), 0);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 5 * SIM_MS)); /* INIT, INIT ACK (5.2.2), COOKIE ECHO held */
	cr_assert_eq(h.cookie.n, 1);
	/* the old peer's SHUTDOWN (its tags are still the association's) */
	dpsctp_put_be32(cum, ss.peer_initial_tsn - 1);
	len = scen_packet(pkt, sizeof(pkt), 5000, 5001, ss.local_vtag, DPSCTP_CHUNK_SHUTDOWN, 0, cum,
		4);
	cr_assert_eq(scen_inject(&x, x.s, x.c, pkt, len), 0);
	cr_assert_eq(dpsctp_assoc_state(sim_node_assoc(x.s)), DPSCTP_SHUTDOWN_ACK_SENT);
	cr_assert_eq(scen_inject(&x, x.s, x.c, h.cookie.pkt, h.cookie.len), 0);
	cr_assert(sim_run_for(x.sim, SIM_US));
	cr_assert_eq(h.cookie_in_shutdown, 1);
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_RESTART), 0);
	cr_assert_eq(dpsctp_assoc_state(sim_node_assoc(x.s)), DPSCTP_SHUTDOWN_ACK_SENT);
	scen_teardown(&x);
}

Test(handshake, streams_are_the_minimum_of_os_and_the_peers_mis)
{
	struct scen x;
	struct dpsctp_proto_config ccfg, scfg;
	struct dpsctp_assoc_status cs, ss;

	scen_cfg(&ccfg);
	ccfg.os = 100;
	ccfg.mis = 7;
	scen_cfg(&scfg);
	scfg.os = 20;
	scfg.mis = 30;
	scen_setup_cfg(&x, 16, &ccfg, &scfg, NULL);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	dpsctp_assoc_get_status(sim_node_assoc(x.c), &cs);
	dpsctp_assoc_get_status(sim_node_assoc(x.s), &ss);
	cr_assert_eq(cs.outbound_streams, 30);
	cr_assert_eq(cs.inbound_streams, 7);
	cr_assert_eq(ss.outbound_streams, 7);
	cr_assert_eq(ss.inbound_streams, 30);
	cr_assert_eq(sim_node_last_event(x.c, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_UP)
			     ->outbound_streams,
		30);
	scen_teardown(&x);
}

Test(handshake, adaptation_layer_indication_is_delivered_to_the_peer)
{
	struct scen x;
	struct dpsctp_proto_config scfg;

	scen_cfg(&scfg);
	scfg.has_adaptation = true;
	scfg.adaptation_ind = 0x12345678;
	scen_setup_cfg(&x, 17, NULL, &scfg, NULL);
	scen_associate(&x);
	scen_establish(&x, 10 * SIM_S);
	cr_assert_eq(sim_node_count_events(x.c, DPSCTP_EV_ADAPTATION_INDICATION, 0), 1);
	cr_assert_eq(sim_node_last_event(x.c, DPSCTP_EV_ADAPTATION_INDICATION, 0)->adaptation_ind,
		0x12345678);
	cr_assert_eq(sim_node_count_events(x.s, DPSCTP_EV_ADAPTATION_INDICATION, 0), 0);
	scen_teardown(&x);
}

Test(handshake, allocation_failure_on_cookie_echo_costs_nothing_and_the_retry_succeeds)
{
	struct scen x;

	scen_setup(&x, 18);
	scen_associate(&x);
	cr_assert(sim_run_for(x.sim, 2 * SIM_MS + SIM_US)); /* COOKIE ECHO in flight */
	sim_node_fail_alloc(x.s, 1, false);
	cr_assert(sim_run_for(x.sim, 1 * SIM_MS));
	cr_assert_eq(scen_drops(x.s, DPSCTP_DROP_NO_MEMORY), 1);
	cr_assert_eq(sim_node_assoc_count(x.s), 0);
	scen_establish(&x, 10 * SIM_S);
	scen_teardown(&x);
}
