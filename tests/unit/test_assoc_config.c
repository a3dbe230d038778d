/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration changes through the engine API (engine.h), what the application socket options
 * of RFC 6458 need: dpsctp_endpoint_set_config / set_addrs (for associations to come),
 * dpsctp_assoc_get_config / set_config (a live association: RTO bounds, SACK delay, maxseg,
 * disable_fragments, autoclose, max_init_timeo, our window), dpsctp_assoc_frag_point, and the
 * validation shared with dpsctp_endpoint_create.
 *
 * Direct injection with ep_harness.h (the test is the peer); time is virtual (t_now).
 */

#include "ep_harness.h"

TestSuite(assoc_config, .init = h_setup, .fini = leak_check);

#define TEST(name) LEAK_CHECKED_TEST(assoc_config, name)

static const struct dpsctp_addr peer2_addr = {.family = 4, .bytes = {10, 0, 0, 3}};

/* Build the peer's INIT of the next packet from the endpoint (after take()). */
static struct dpsctp_init
init_of(const struct rx *r)
{
	struct dpsctp_chunk c;
	struct dpsctp_init in;

	cr_assert(find_chunk(r, DPSCTP_CHUNK_INIT, &c), "not an INIT");
	cr_assert_eq(dpsctp_init_decode(&c, &in), 0);
	return in;
}

/* Run the clock to the next deadline, at most @p limit; false when there is none by then. */
static bool
run_next(uint64_t limit)
{
	uint64_t d = next_deadline();

	if (d > limit)
		return false;
	expire_at(d > t_now ? d : t_now);
	return true;
}

/* A SACK from the peer acknowledging every TSN the endpoint sent up to @p cum. */
static void
ack_to(uint32_t cum)
{
	cr_assert_eq(peer_sack(cum, 1u << 20, NULL, 0, NULL, 0), 0);
}

/* ---- validation ---- */

TEST(invalid_values_are_refused_everywhere)
{
	struct dpsctp_proto_config ok = config(), bad, got;
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT, .addrs = &ep_addr, .naddrs = 1, .cfg = &bad};
	struct dpsctp_endpoint *ep = NULL;
	unsigned int i;
	/* each case breaks one rule of dpsctp_proto_config_check() */
	enum { N = 19 };

	up(&ok);
	for (i = 0; i < N; i++) {
		bool live = true; /* also refused on a live association */

		bad = ok;
		switch (i) {
		case 0:
			bad.rto_min = 0;
			break;
		case 1:
			bad.rto_min = 2 * bad.rto_max;
			bad.rto_initial = bad.rto_min;
			break;
		case 2:
			bad.rto_initial = bad.rto_min - 1;
			break;
		case 3:
			bad.rto_initial = bad.rto_max + 1;
			break;
		case 4:
			bad.max_init_retrans = 0;
			break;
		case 5:
			bad.assoc_max_retrans = 0;
			break;
		case 6:
			bad.path_max_retrans = 0;
			break;
		case 7:
			bad.sack_freq = 0;
			break;
		case 8:
			bad.max_burst = 0;
			break;
		case 9:
			bad.hb_max_burst = 0;
			break;
		case 10:
			bad.sack_delay = DPSCTP_SACK_DELAY_MAX + 1;
			break;
		case 11:
			bad.pmtu = 575;
			break;
		case 12:
			bad.pmtu = DPSCTP_MAX_PACKET + 1;
			break;
		case 13:
			bad.a_rwnd = 1499;
			break;
		case 14:
			bad.sndbuf = 0;
			break;
		case 15:
			bad.maxseg = DPSCTP_MAXSEG_MIN - 1;
			break;
		case 16:
			bad.shutdown_guard = 0;
			break;
		case 17:
			bad.os = 0;
			live = false;
			break;
		case 18:
			bad.valid_cookie_life = 0;
			live = false;
			break;
		}
		cr_assert_eq(dpsctp_proto_config_check(&bad), -EINVAL, "case %u", i);
		cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &bad), -EINVAL, "case %u", i);
		cr_assert_eq(
			dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &ep), -EINVAL, "case %u", i);
		cr_assert_eq(dpsctp_assoc_set_config(g_a, &bad, t_now), live ? -EINVAL : 0,
			"case %u", i);
	}
	/* nothing changed by the refusals */
	dpsctp_endpoint_get_config(g_ep, &got);
	cr_assert_eq(got.sack_freq, ok.sack_freq);
	cr_assert_eq(got.rto_min, ok.rto_min);
	dpsctp_assoc_get_config(g_a, &got);
	cr_assert_eq(got.rto_min, ok.rto_min);
	cr_assert_eq(got.sack_freq, ok.sack_freq);
	cr_assert_eq(dpsctp_proto_config_check(NULL), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_set_config(g_ep, NULL), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_config(g_a, NULL, t_now), -EINVAL);
	cr_assert_eq(dpsctp_proto_config_check(&ok), 0);
	bad = ok;
	bad.maxseg = DPSCTP_MAXSEG_MIN;
	cr_assert_eq(dpsctp_proto_config_check(&bad), 0);
}

TEST(get_then_set_changes_nothing)
{
	struct dpsctp_proto_config c1, c2;

	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	up(NULL);
	dpsctp_assoc_get_config(g_a, &c1);
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &c1, t_now), 0);
	dpsctp_assoc_get_config(g_a, &c2);
	cr_assert_eq(memcmp(&c1, &c2, sizeof(c1)), 0);
	cr_assert_eq(c1.os, 10);
	cr_assert_eq(c1.hb_interval, 0);
	expect_silence();
}

/* ---- the endpoint: future associations only ---- */

TEST(endpoint_config_applies_to_new_associations_only)
{
	struct dpsctp_proto_config cfg = config(), got;
	struct dpsctp_assoc *a2;
	struct dpsctp_init in;
	struct dpsctp_sack s;

	up(&cfg);
	cfg.a_rwnd = 40000;
	cfg.os = 5;
	cfg.mis = 6;
	cfg.sack_freq = 1;
	cfg.maxseg = 200;
	cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
	dpsctp_endpoint_get_config(g_ep, &got);
	cr_assert_eq(got.a_rwnd, 40000);

	/* the old association keeps its own */
	dpsctp_assoc_get_config(g_a, &got);
	cr_assert_eq(got.a_rwnd, 131072);
	cr_assert_eq(got.maxseg, 0);
	cr_assert_eq(dpsctp_assoc_frag_point(g_a), 1452);
	cr_assert_eq(peer_data(peer_itsn, 0, 0, 0, 100, 1), 0);
	take_first(DPSCTP_CHUNK_SACK);
	cr_assert(sack_of(&rx, &s));
	cr_assert_eq(s.a_rwnd, 131072);

	/* a new one (INIT) takes the new configuration */
	cr_assert_eq(dpsctp_associate(g_ep, &peer2_addr, 1, PEER_PORT, 0, t_now, &a2), 0);
	cr_assert(take(&rx));
	in = init_of(&rx);
	cr_assert_eq(in.a_rwnd, 40000);
	cr_assert_eq(in.os, 5);
	cr_assert_eq(in.mis, 6);
	dpsctp_assoc_get_config(a2, &got);
	cr_assert_eq(got.a_rwnd, 40000);
	cr_assert_eq(got.sack_freq, 1);
	cr_assert_eq(dpsctp_assoc_frag_point(a2), 200);
	/* dpsctp_associate's os wins over the configuration */
	dpsctp_assoc_abort(a2, NULL, 0, t_now);
	cr_assert_eq(dpsctp_associate(g_ep, &peer2_addr, 1, PEER_PORT, 7, t_now, &a2), 0);
	cr_assert(take(&rx));
	cr_assert_eq(init_of(&rx).os, 7);
	dpsctp_assoc_get_config(a2, &got);
	cr_assert_eq(got.os, 7);
}

TEST(endpoint_config_shapes_the_init_ack)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_init ia;

	make_ep(true, &cfg);
	cfg.a_rwnd = 50000;
	cfg.os = 3;
	cfg.mis = 4;
	cfg.has_adaptation = true;
	cfg.adaptation_ind = 0x01020304;
	cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
	send_init(PEER_TAG, 10, 10);
	ia = take_init_ack();
	cr_assert_eq(ia.a_rwnd, 50000);
	cr_assert_eq(ia.os, 3);
	cr_assert_eq(ia.mis, 4);
	{
		struct dpsctp_tlv t;

		cr_assert(find_tlv(ia.params, ia.params_len, DPSCTP_PARAM_ADAPTATION_LAYER, &t));
	}
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
}

TEST(set_addrs_replaces_the_local_addresses_for_new_associations)
{
	static const struct dpsctp_addr a9 = {.family = 4, .bytes = {10, 0, 0, 9}};
	struct dpsctp_addr two[2] = {a9, ep_addr}, got[4];
	struct dpsctp_addr badf = {.family = 5};
	struct dpsctp_addr many[DPSCTP_MAX_ADDRS + 1];
	struct dpsctp_paddr_info pi;
	struct dpsctp_assoc *a2;

	up(NULL);
	memset(many, 0, sizeof(many));
	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, &a9, 0), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, NULL, 1), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, many, DPSCTP_MAX_ADDRS + 1), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, &badf, 1), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_addrs(g_ep, got, 4), 1);
	cr_assert(memcmp(&got[0], &ep_addr, sizeof(ep_addr)) == 0);

	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, &a9, 1), 0);
	cr_assert_eq(dpsctp_endpoint_addrs(g_ep, got, 4), 1);
	cr_assert(memcmp(&got[0], &a9, sizeof(a9)) == 0);

	/* the old association keeps its address, even when routes are asked again */
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert(pi.reachable);
	cr_assert(memcmp(&pi.path.local, &ep_addr, sizeof(ep_addr)) == 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 10, 0), 0);
	take_first(DPSCTP_CHUNK_DATA); /* from ep_addr (take_first checks it) */

	/* a new association uses the new address */
	cr_assert_eq(dpsctp_associate(g_ep, &peer2_addr, 1, PEER_PORT, 0, t_now, &a2), 0);
	cr_assert(take(&rx));
	(void)init_of(&rx);
	cr_assert(memcmp(&rx.path.local, &a9, sizeof(a9)) == 0);

	/* duplicates collapse */
	two[1] = a9;
	cr_assert_eq(dpsctp_endpoint_set_addrs(g_ep, two, 2), 0);
	cr_assert_eq(dpsctp_endpoint_addrs(g_ep, NULL, 0), 1);
}

/* ---- a live association ---- */

TEST(rto_bounds_clamp_every_path)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_paddr_info pi;

	up(NULL);
	dpsctp_assoc_get_config(g_a, &cfg);
	/* never measured: the RTO follows the new RTO.Initial */
	cfg.rto_min = 100 * DPSCTP_MS;
	cfg.rto_initial = 200 * DPSCTP_MS;
	cfg.rto_max = 3000 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert_eq(pi.rto, 200 * DPSCTP_MS);

	/* a measurement: 40 ms RTT -> 40 + 4 * 20 = 120 ms */
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	t_now += 40 * DPSCTP_MS;
	ack_to(ep_tsn);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert_eq(pi.rto, 120 * DPSCTP_MS);

	/* clamped up into [1 s, 5 s] */
	cfg.rto_min = 1000 * DPSCTP_MS;
	cfg.rto_initial = 2000 * DPSCTP_MS;
	cfg.rto_max = 5000 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert_eq(pi.rto, 1000 * DPSCTP_MS);
	/* clamped down into [10 ms, 50 ms] */
	cfg.rto_min = 10 * DPSCTP_MS;
	cfg.rto_initial = 20 * DPSCTP_MS;
	cfg.rto_max = 50 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert_eq(pi.rto, 50 * DPSCTP_MS);
	/* and T3-rtx runs on it; backoff stops at the new RTO.Max */
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	cr_assert_eq(next_deadline(), t_now + 50 * DPSCTP_MS);
	expire_at(t_now + 50 * DPSCTP_MS);
	take_first(DPSCTP_CHUNK_DATA);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert_eq(pi.rto, 50 * DPSCTP_MS);
	ack_to(ep_tsn + 1);
}

TEST(sack_delay_zero_sacks_every_packet)
{
	struct dpsctp_proto_config cfg;
	uint32_t tsn = peer_itsn;
	unsigned int i;

	up(NULL);
	/* defaults: the first DATA at once, then every second packet */
	cr_assert_eq(peer_data(tsn++, 0, 0, 0, 100, 1), 0);
	take_first(DPSCTP_CHUNK_SACK);
	cr_assert_eq(peer_data(tsn++, 0, 1, 0, 100, 1), 0);
	expect_silence();
	cr_assert_eq(next_deadline(), t_now + 200 * DPSCTP_MS);
	/* the delayed SACK goes as soon as the delay is gone */
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.sack_delay = 0;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	expire_at(t_now);
	take_first(DPSCTP_CHUNK_SACK);
	/* then each packet gets its own SACK */
	for (i = 0; i < 4; i++) {
		struct dpsctp_sack s;

		cr_assert_eq(peer_data(tsn, 0, (uint16_t)(2 + i), 0, 100, 1), 0);
		take_first(DPSCTP_CHUNK_SACK);
		cr_assert(sack_of(&rx, &s));
		cr_assert_eq(s.cum_tsn, tsn);
		tsn++;
	}
	/* and back to a delay */
	cfg.sack_delay = 100 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(peer_data(tsn++, 0, 6, 0, 100, 1), 0);
	expect_silence();
	cr_assert_eq(next_deadline(), t_now + 100 * DPSCTP_MS);
}

TEST(maxseg_sets_the_data_chunk_size_on_the_wire)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_data d[8];
	unsigned int n;

	up(NULL);
	cr_assert_eq(dpsctp_assoc_frag_point(g_a), 1500 - 20 - 12 - 16);
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.maxseg = 100;
	cfg.nodelay = true;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_frag_point(g_a), 100);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 250, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	n = data_chunks(&rx, d, 8);
	cr_assert_eq(n, 3);
	cr_assert_eq(d[0].payload_len, 100);
	cr_assert_eq(d[1].payload_len, 100);
	cr_assert_eq(d[2].payload_len, 50);
	cr_assert_eq(d[0].flags & (DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E), DPSCTP_DATA_FLAG_B);
	cr_assert_eq(d[2].flags & DPSCTP_DATA_FLAG_E, DPSCTP_DATA_FLAG_E);
	ack_to(ep_tsn + 2);
	/* larger than the path MTU allows: the MTU decides */
	cfg.maxseg = 5000;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_frag_point(g_a), 1452);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 2000, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	n = data_chunks(&rx, d, 8);
	cr_assert_eq(n, 1);
	cr_assert_eq(d[0].payload_len, 1452);
	take_first(DPSCTP_CHUNK_DATA);
	n = data_chunks(&rx, d, 8);
	cr_assert_eq(n, 1);
	cr_assert_eq(d[0].payload_len, 2000 - 1452);
	ack_to(ep_tsn + 4);
}

TEST(disable_fragments_refuses_what_one_chunk_cannot_carry)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_data d[2];

	up(NULL);
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.disable_fragments = true;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1453, 0), -EMSGSIZE);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1452, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	cr_assert_eq(data_chunks(&rx, d, 2), 1);
	cr_assert_eq(d[0].payload_len, 1452);
	ack_to(ep_tsn);
	cfg.maxseg = 100;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 101, 0), -EMSGSIZE);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0), 0);
	cr_assert_eq(count_ev(DPSCTP_EV_SEND_FAILED), 0);
	/* allowed again */
	cfg.disable_fragments = false;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 101, 0), 0);
	drain();
}

TEST(disable_fragments_fails_a_queued_message_the_mtu_no_longer_carries)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_PMTUD_DISABLE, .pathmtu = 1000};
	const struct ev_rec *sf;

	up(NULL);
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.disable_fragments = true;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	/* one in flight holds the next one back (Nagle) */
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1400, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 1400, 0), 0);
	expect_silence();
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), 0);
	ack_to(ep_tsn);
	drain();
	sf = find_send_failed(2);
	cr_assert_not_null(sf, "no SEND_FAILED");
	cr_assert_eq(sf->sf_flags, DPSCTP_DATA_UNSENT);
	cr_assert_eq(sf->sf_len, 1400);
}

TEST(autoclose_shuts_an_idle_association_down_after_the_time_not_before)
{
	struct dpsctp_proto_config cfg = config();
	uint64_t t_up;

	cfg.autoclose = 10000 * DPSCTP_MS;
	up(&cfg);
	t_up = t_now;
	cr_assert_eq(next_deadline(), t_up + cfg.autoclose);
	expire_at(t_up + cfg.autoclose - 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	expect_silence();

	/* DATA received at +4 s: idle from then */
	t_now = t_up + 4000 * DPSCTP_MS;
	cr_assert_eq(peer_data(peer_itsn, 0, 0, 0, 100, 1), 0);
	take_first(DPSCTP_CHUNK_SACK);
	expire_at(t_up + 14000 * DPSCTP_MS - 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	expect_silence();

	/* a message sent at +13 s: idle from then */
	t_now = t_up + 13000 * DPSCTP_MS;
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	t_now += 10 * DPSCTP_MS;
	ack_to(ep_tsn);
	expire_at(t_up + 23000 * DPSCTP_MS - 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	expect_silence();

	expire_at(t_up + 23000 * DPSCTP_MS);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_SENT);
	take_first(DPSCTP_CHUNK_SHUTDOWN);
	/* the peer completes it */
	start(ep_tag);
	cr_assert_eq(dpsctp_shutdown_ack_build(&tx), 0);
	inject();
	take_first(DPSCTP_CHUNK_SHUTDOWN_COMPLETE);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_SHUTDOWN_COMP));
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

TEST(autoclose_set_on_a_live_association_counts_from_then)
{
	struct dpsctp_proto_config cfg;
	uint64_t t_set;

	up(NULL);
	expire_at(t_now + 60000 * DPSCTP_MS);
	t_set = t_now;
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.autoclose = 2000 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(next_deadline(), t_set + 2000 * DPSCTP_MS);
	/* switched off again: never */
	cfg.autoclose = 0;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_gt(next_deadline(), t_set + 2000 * DPSCTP_MS); /* the secret rotation only */
	cfg.autoclose = 2000 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	/* data still queued when it fires: SHUTDOWN-PENDING until it is acknowledged (9.2) */
	t_now += 1000 * DPSCTP_MS;
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_first(DPSCTP_CHUNK_DATA);
	expire_at(t_now + 2000 * DPSCTP_MS);
	/* T3-rtx (1 s) fired first and the message went again; autoclose is due too */
	drain();
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_PENDING);
	ack_to(ep_tsn);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_SHUTDOWN_SENT);
	take_first(DPSCTP_CHUNK_SHUTDOWN);
}

/* The intervals between the INITs an active association sends until it gives up. */
static unsigned int
init_intervals(uint64_t *out, unsigned int max)
{
	uint64_t last = t_now;
	unsigned int n = 0;

	cr_assert(take(&rx));
	(void)init_of(&rx);
	while (n < max && dpsctp_endpoint_assoc_count(g_ep) > 0 &&
		run_next(t_now + 3600000 * DPSCTP_MS)) {
		if (!take(&rx))
			continue;
		(void)init_of(&rx);
		out[n++] = t_now - last;
		last = t_now;
	}
	return n;
}

TEST(max_init_timeo_caps_the_init_backoff)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_assoc *a;
	uint64_t dt[16];
	unsigned int n;

	cfg.max_init_retrans = 5;
	cfg.max_init_timeo = 3000 * DPSCTP_MS;
	make_ep(false, &cfg);
	cr_assert_eq(dpsctp_associate(g_ep, &peer_addr, 1, PEER_PORT, 0, t_now, &a), 0);
	n = init_intervals(dt, 16);
	cr_assert_eq(n, 5);
	cr_assert_eq(dt[0], 1000 * DPSCTP_MS);
	cr_assert_eq(dt[1], 2000 * DPSCTP_MS);
	cr_assert_eq(dt[2], 3000 * DPSCTP_MS);
	cr_assert_eq(dt[3], 3000 * DPSCTP_MS);
	cr_assert_eq(dt[4], 3000 * DPSCTP_MS);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_CANT_STR_ASSOC));
}

TEST(init_backoff_without_a_cap_goes_to_rto_max)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_assoc *a;
	uint64_t dt[16];
	unsigned int n;

	cfg.max_init_retrans = 4;
	make_ep(false, &cfg);
	cr_assert_eq(dpsctp_associate(g_ep, &peer_addr, 1, PEER_PORT, 0, t_now, &a), 0);
	n = init_intervals(dt, 16);
	cr_assert_eq(n, 4);
	cr_assert_eq(dt[0], 1000 * DPSCTP_MS);
	cr_assert_eq(dt[1], 2000 * DPSCTP_MS);
	cr_assert_eq(dt[2], 4000 * DPSCTP_MS);
	cr_assert_eq(dt[3], 8000 * DPSCTP_MS);
}

TEST(per_association_init_settings_set_in_cookie_wait_drive_t1)
{
	struct dpsctp_proto_config cfg = config(), ac;
	struct dpsctp_assoc *a;
	uint64_t dt[16];
	unsigned int n;

	cfg.max_init_retrans = 8;
	make_ep(false, &cfg);
	cr_assert_eq(dpsctp_associate(g_ep, &peer_addr, 1, PEER_PORT, 3, t_now, &a), 0);
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_COOKIE_WAIT);
	dpsctp_assoc_get_config(a, &ac);
	cr_assert_eq(ac.os, 3);
	ac.max_init_retrans = 2;
	ac.max_init_timeo = 500 * DPSCTP_MS;
	cr_assert_eq(dpsctp_assoc_set_config(a, &ac, t_now), 0);
	/* the running T1 is brought forward to the cap */
	cr_assert_eq(next_deadline(), t_now + 500 * DPSCTP_MS);
	n = init_intervals(dt, 16);
	cr_assert_eq(n, 2, "%u retransmissions", n);
	cr_assert_eq(dt[0], 500 * DPSCTP_MS);
	cr_assert_eq(dt[1], 500 * DPSCTP_MS);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_CANT_STR_ASSOC));
}

TEST(our_window_changes_in_the_next_sack)
{
	struct dpsctp_proto_config cfg;
	struct dpsctp_sack s;

	up(NULL);
	dpsctp_assoc_get_config(g_a, &cfg);
	/* a window that grew by more than an MTU: a window update at once */
	cfg.a_rwnd = 200000;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	take_first(DPSCTP_CHUNK_SACK);
	cr_assert(sack_of(&rx, &s));
	cr_assert_eq(s.a_rwnd, 200000);
	expect_silence();
	/* a smaller one: in the next SACK */
	cfg.a_rwnd = 3000;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	expect_silence();
	cr_assert_eq(peer_data(peer_itsn, 0, 0, 0, 100, 1), 0);
	take_first(DPSCTP_CHUNK_SACK);
	cr_assert(sack_of(&rx, &s));
	cr_assert_eq(s.a_rwnd, 3000);
	cr_assert_eq(path_info(g_a).rwnd, 3000);
}

TEST(sndbuf_and_path_defaults_change)
{
	struct dpsctp_proto_config cfg, got;

	up(NULL);
	dpsctp_assoc_get_config(g_a, &cfg);
	cfg.sndbuf = 1000;
	cfg.hb_interval = 5000 * DPSCTP_MS;
	cfg.path_max_retrans = 2;
	cfg.pf_threshold = 1;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	cr_assert_eq(dpsctp_assoc_sndbuf_free(g_a), 1000);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1001, 0), -EMSGSIZE);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 600, 0), 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 600, 0), -EAGAIN);
	dpsctp_assoc_get_config(g_a, &got);
	cr_assert_eq(got.hb_interval, 5000 * DPSCTP_MS);
	cr_assert_eq(got.path_max_retrans, 2);
	cr_assert_eq(got.pf_threshold, 1);
	cr_assert_eq(got.sndbuf, 1000);
	/* fixed at the handshake: ignored */
	cfg.os = 1;
	cfg.mis = 1;
	cr_assert_eq(dpsctp_assoc_set_config(g_a, &cfg, t_now), 0);
	dpsctp_assoc_get_config(g_a, &got);
	cr_assert_eq(got.os, 10);
	cr_assert_eq(got.mis, 65535);
	drain();
}

TEST(a_new_cookie_life_keeps_cookies_in_flight_valid)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_assoc *a;
	const struct ev_rec *up_ev;

	make_ep(true, &cfg);
	send_init(PEER_TAG, 10, 10);
	take_init_ack();
	cfg.valid_cookie_life = 10000 * DPSCTP_MS;
	cfg.sack_freq = 1;
	cr_assert_eq(dpsctp_endpoint_set_config(g_ep, &cfg), 0);
	/* the secret is made again for the new period: due now */
	cr_assert_leq(next_deadline(), t_now);
	expire_at(t_now);
	cr_assert_gt(next_deadline(), t_now);
	t_now += 100 * DPSCTP_MS;
	cr_assert_eq(send_cookie_echo(ep_tag), 0);
	take_first(DPSCTP_CHUNK_COOKIE_ACK);
	up_ev = find_assoc_change(DPSCTP_EV_COMM_UP);
	cr_assert_not_null(up_ev);
	a = dpsctp_endpoint_assoc_by_id(g_ep, up_ev->assoc_id);
	cr_assert_not_null(a);
	/* the association made from the cookie has the configuration of the COOKIE ECHO's time */
	dpsctp_assoc_get_config(a, &cfg);
	cr_assert_eq(cfg.sack_freq, 1);
}
