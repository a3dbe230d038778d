/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Socket options (RFC 6458 section 8 and sctp_opt_info, 9.11): each one set and read back, for
 * future associations and for one association; lengths too short (EINVAL), unknown options
 * (ENOPROTOOPT), association ids a one-to-many socket does not have (EINVAL).
 */
#include "apitest.h"

TestSuite(api_opts, .init = apitest_need_daemon, .timeout = 60);

#define GET(fd, name, v)                                                                       \
	({                                                                                     \
		socklen_t l_ = sizeof(v);                                                      \
		int r_ = dpsctp_getsockopt(fd, IPPROTO_SCTP, name, &(v), &l_);                 \
		cr_expect_eq(r_, 0, "getsockopt " #name ": %s", strerror(errno));              \
		r_;                                                                            \
	})
#define SET(fd, name, v)                                                                       \
	cr_expect_eq(dpsctp_setsockopt(fd, IPPROTO_SCTP, name, &(v), sizeof(v)), 0,            \
		"setsockopt " #name ": %s", strerror(errno))

/* A one-to-many server and a client association to it; *id: the association on the server. */
static int
many_with_assoc(int *client, dpsctp_assoc_t *id)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_rcvinfo ri;
	char buf[8];

	set_int(m, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	*client = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(*client, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert_eq(dpsctp_send(*client, "id", 2, 0), 2);
	cr_assert_eq(recv_whole(m, buf, sizeof(buf), &ri, NULL, 5000), 2);
	*id = ri.rcv_assoc_id;
	return m;
}

Test(api_opts, rtoinfo_future_and_per_association)
{
	int c, m;
	dpsctp_assoc_t id;
	struct dpsctp_rtoinfo r = {.srto_assoc_id = DPSCTP_FUTURE_ASSOC, .srto_initial = 500,
		.srto_max = 4000, .srto_min = 200};
	struct dpsctp_rtoinfo g = {.srto_assoc_id = DPSCTP_FUTURE_ASSOC};

	m = many_with_assoc(&c, &id);
	SET(m, DPSCTP_RTOINFO, r);
	GET(m, DPSCTP_RTOINFO, g);
	cr_expect_eq(g.srto_initial, 500);
	cr_expect_eq(g.srto_max, 4000);
	cr_expect_eq(g.srto_min, 200);
	r = (struct dpsctp_rtoinfo){.srto_assoc_id = id, .srto_max = 8000};
	SET(m, DPSCTP_RTOINFO, r);
	g = (struct dpsctp_rtoinfo){.srto_assoc_id = id};
	GET(m, DPSCTP_RTOINFO, g);
	cr_expect_eq(g.srto_max, 8000);
	cr_expect_neq(g.srto_min, 0, "0 on set leaves a value unchanged");
	/* min > max: EINVAL */
	r = (struct dpsctp_rtoinfo){.srto_assoc_id = id, .srto_min = 9000, .srto_max = 1000};
	expect_err(dpsctp_setsockopt(m, IPPROTO_SCTP, DPSCTP_RTOINFO, &r, sizeof(r)), EINVAL);
	/* an id the socket does not have: EINVAL */
	r.srto_assoc_id = 999999;
	expect_err(dpsctp_setsockopt(m, IPPROTO_SCTP, DPSCTP_RTOINFO, &r, sizeof(r)), EINVAL);
	/* sctp_opt_info with the id */
	memset(&g, 0, sizeof(g));
	socklen_t len = sizeof(g);
	cr_expect_eq(dpsctp_opt_info(m, id, DPSCTP_RTOINFO, &g, &len), 0);
	cr_expect_eq(g.srto_max, 8000);
	len = sizeof(g);
	expect_err(dpsctp_opt_info(m, 999999, DPSCTP_RTOINFO, &g, &len), EINVAL);
	len = 4;
	expect_err(dpsctp_opt_info(m, id, DPSCTP_RTOINFO, &g, &len), EINVAL);
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_opts, associnfo_reports_peer_and_windows)
{
	int c, s;
	struct dpsctp_assocparams a = {0};

	pair4(&c, &s, NULL);
	GET(c, DPSCTP_ASSOCINFO, a);
	cr_expect_eq(a.sasoc_number_peer_destinations, 1);
	cr_expect_gt(a.sasoc_peer_rwnd, 0);
	cr_expect_gt(a.sasoc_local_rwnd, 0);
	a = (struct dpsctp_assocparams){.sasoc_asocmaxrxt = 7, .sasoc_cookie_life = 30000};
	SET(c, DPSCTP_ASSOCINFO, a);
	memset(&a, 0, sizeof(a));
	GET(c, DPSCTP_ASSOCINFO, a);
	cr_expect_eq(a.sasoc_asocmaxrxt, 7);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_opts, initmsg_round_trip_and_negotiation)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct dpsctp_initmsg im = {.sinit_num_ostreams = 32, .sinit_max_instreams = 17,
		.sinit_max_attempts = 3, .sinit_max_init_timeo = 2000}, g = {0};

	SET(fd, DPSCTP_INITMSG, im);
	GET(fd, DPSCTP_INITMSG, g);
	cr_expect_eq(g.sinit_num_ostreams, 32);
	cr_expect_eq(g.sinit_max_instreams, 17);
	cr_expect_eq(g.sinit_max_attempts, 3);
	cr_expect_eq(g.sinit_max_init_timeo, 2000);
	expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_INITMSG, &im, 3), EINVAL);
	dpsctp_close(fd);
}

Test(api_opts, int_options_round_trip)
{
	static const int names[] = {DPSCTP_NODELAY, DPSCTP_DISABLE_FRAGMENTS,
		DPSCTP_I_WANT_MAPPED_V4_ADDR, DPSCTP_RECVRCVINFO, DPSCTP_RECVNXTINFO,
		DPSCTP_EXPLICIT_EOR};
	int fd = expect_ok(dpsctp_socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP));

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int v = 1, g = 0;

		SET(fd, names[i], v);
		GET(fd, names[i], g);
		cr_expect_eq(g, 1, "option %d", names[i]);
		v = 0;
		SET(fd, names[i], v);
		GET(fd, names[i], g);
		cr_expect_eq(g, 0, "option %d", names[i]);
		expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, names[i], &v, 1), EINVAL);
	}
	dpsctp_close(fd);
}

Test(api_opts, autoclose_only_on_one_to_many)
{
	int m = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	int v = 30, g = 0;

	SET(m, DPSCTP_AUTOCLOSE, v);
	GET(m, DPSCTP_AUTOCLOSE, g);
	cr_expect_eq(g, 30);
	/* RFC 6458 8.1.8: "This socket option is applicable to the one-to-many style socket only" */
	expect_err(dpsctp_setsockopt(o, IPPROTO_SCTP, DPSCTP_AUTOCLOSE, &v, sizeof(v)), EOPNOTSUPP);
	dpsctp_close(m);
	dpsctp_close(o);
}

Test(api_opts, autoclose_closes_an_idle_association)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	int v = 1;

	SET(m, DPSCTP_AUTOCLOSE, v);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	subscribe(c, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_expect(wait_notification(c, DPSCTP_ASSOC_CHANGE, DPSCTP_SHUTDOWN_COMP, NULL, 0, 8000),
		"idle 1 s: the server shuts the association down");
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_opts, primary_addr_and_peer_addr_info)
{
	uint16_t port;
	int l = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s;
	struct sockaddr_in any = sin4("0.0.0.0", 0), two[2];
	struct dpsctp_setprim sp = {0};
	struct dpsctp_paddrinfo pi = {0};
	struct dpsctp_status st = {0};
	dpsctp_assoc_t id;

	cr_assert_eq(dpsctp_bind(l, (struct sockaddr *)&any, sizeof(any)), 0);
	cr_assert_eq(dpsctp_listen(l, 4), 0);
	port = local_port(l);
	two[0] = sin4("127.0.0.1", port);
	two[1] = sin4("127.0.0.2", port);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connectx(c, (struct sockaddr *)two, 2, &id), 0);
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	memcpy(&sp.ssp_addr, &two[1], sizeof(two[1]));
	SET(c, DPSCTP_PRIMARY_ADDR, sp);
	GET(c, DPSCTP_STATUS, st);
	cr_expect_eq(st.sstat_state, DPSCTP_ESTABLISHED);
	cr_expect_eq(((struct sockaddr_in *)&st.sstat_primary.spinfo_address)->sin_addr.s_addr,
		two[1].sin_addr.s_addr, "the primary is 127.0.0.2 now");
	cr_expect_gt(st.sstat_outstrms, 0);
	cr_expect_gt(st.sstat_instrms, 0);
	cr_expect_gt(st.sstat_fragmentation_point, 0);
	memcpy(&pi.spinfo_address, &two[0], sizeof(two[0]));
	GET(c, DPSCTP_GET_PEER_ADDR_INFO, pi);
	cr_expect(pi.spinfo_state == DPSCTP_ACTIVE || pi.spinfo_state == DPSCTP_UNCONFIRMED);
	cr_expect_gt(pi.spinfo_cwnd, 0);
	cr_expect_gt(pi.spinfo_rto, 0);
	cr_expect_gt(pi.spinfo_mtu, 0);
	/* an address that is not the peer's: EINVAL */
	struct sockaddr_in other = sin4("10.0.0.9", port);
	memcpy(&sp.ssp_addr, &other, sizeof(other));
	expect_err(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), EINVAL);
	memcpy(&pi.spinfo_address, &other, sizeof(other));
	socklen_t len = sizeof(pi);
	expect_err(dpsctp_getsockopt(c, IPPROTO_SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), EINVAL);
	/* a family that is neither IPv4 nor IPv6: EAFNOSUPPORT (Solaris sctp_opt_info) */
	pi.spinfo_address.ss_family = AF_UNIX;
	len = sizeof(pi);
	expect_err(dpsctp_getsockopt(c, IPPROTO_SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len),
		EAFNOSUPPORT);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_opts, status_on_unconnected_one_to_one)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct dpsctp_status st = {0};
	socklen_t len = sizeof(st);

	/* no association to report on */
	errno = 0;
	cr_expect_eq(dpsctp_getsockopt(o, IPPROTO_SCTP, DPSCTP_STATUS, &st, &len), -1);
	cr_expect(errno == ENOTCONN || errno == EINVAL, "%s", strerror(errno));
	dpsctp_close(o);
}

Test(api_opts, adaptation_layer_round_trip)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct dpsctp_setadaptation a = {.ssb_adaptation_ind = 0x01020304}, g = {0};

	SET(fd, DPSCTP_ADAPTATION_LAYER, a);
	GET(fd, DPSCTP_ADAPTATION_LAYER, g);
	cr_expect_eq(g.ssb_adaptation_ind, 0x01020304);
	dpsctp_close(fd);
}

Test(api_opts, peer_addr_params_and_thresholds)
{
	int c, s;
	struct dpsctp_paddrparams p = {0};
	struct dpsctp_paddrthlds t = {0};
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_getpeername(c, (struct sockaddr *)&peer, &len), 0);
	memcpy(&p.spp_address, &peer, sizeof(peer));
	p.spp_hbinterval = 5000;
	p.spp_pathmaxrxt = 3;
	p.spp_flags = DPSCTP_SPP_HB_ENABLE;
	SET(c, DPSCTP_PEER_ADDR_PARAMS, p);
	memset(&p, 0, sizeof(p));
	memcpy(&p.spp_address, &peer, sizeof(peer));
	GET(c, DPSCTP_PEER_ADDR_PARAMS, p);
	cr_expect_eq(p.spp_hbinterval, 5000);
	cr_expect_eq(p.spp_pathmaxrxt, 3);
	cr_expect(p.spp_flags & DPSCTP_SPP_HB_ENABLE);
	/* both HB flags: EINVAL */
	p.spp_flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_DISABLE;
	expect_err(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_PEER_ADDR_PARAMS, &p, sizeof(p)), EINVAL);
	memcpy(&t.spt_address, &peer, sizeof(peer));
	t.spt_pathmaxrxt = 4;
	t.spt_pathpfthld = 1;
	SET(c, DPSCTP_PEER_ADDR_THLDS, t);
	memset(&t, 0, sizeof(t));
	memcpy(&t.spt_address, &peer, sizeof(peer));
	GET(c, DPSCTP_PEER_ADDR_THLDS, t);
	cr_expect_eq(t.spt_pathmaxrxt, 4);
	cr_expect_eq(t.spt_pathpfthld, 1);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_opts, default_send_param_sndinfo_and_prinfo_apply_to_sends)
{
	int c, s;
	struct dpsctp_sndinfo si = {.snd_sid = 0, .snd_ppid = 4242}, gsi = {0};
	struct dpsctp_sndrcvinfo sr = {0};
	struct dpsctp_default_prinfo pr = {.pr_policy = DPSCTP_PR_SCTP_TTL, .pr_value = 30000},
				     gpr = {0};
	struct dpsctp_rcvinfo ri;
	char buf[8];

	pair4(&c, &s, NULL);
	set_int(s, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	SET(c, DPSCTP_DEFAULT_SNDINFO, si);
	GET(c, DPSCTP_DEFAULT_SNDINFO, gsi);
	cr_expect_eq(gsi.snd_ppid, 4242);
	GET(c, DPSCTP_DEFAULT_SEND_PARAM, sr);
	cr_expect_eq(sr.sinfo_ppid, 4242, "DEFAULT_SEND_PARAM and DEFAULT_SNDINFO are one setting");
	cr_assert_eq(dpsctp_send(c, "d", 1, 0), 1);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, NULL, 5000), 1);
	cr_expect_eq(ri.rcv_ppid, 4242, "plain send uses the default ppid");
	sr.sinfo_ppid = 77;
	SET(c, DPSCTP_DEFAULT_SEND_PARAM, sr);
	cr_assert_eq(dpsctp_send(c, "e", 1, 0), 1);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, NULL, 5000), 1);
	cr_expect_eq(ri.rcv_ppid, 77);
	SET(c, DPSCTP_DEFAULT_PRINFO, pr);
	GET(c, DPSCTP_DEFAULT_PRINFO, gpr);
	cr_expect_eq(gpr.pr_policy, DPSCTP_PR_SCTP_TTL);
	cr_expect_eq(gpr.pr_value, 30000);
	pr.pr_policy = 0x7777;
	expect_err(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_DEFAULT_PRINFO, &pr, sizeof(pr)), EINVAL);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_opts, maxseg_delayed_sack_max_burst_context_pd_point_interleave)
{
	int c, m;
	dpsctp_assoc_t id;
	struct dpsctp_assoc_value av;
	struct dpsctp_sack_info sk;
	uint32_t pd;
	int fi;

	m = many_with_assoc(&c, &id);
	av = (struct dpsctp_assoc_value){.assoc_id = DPSCTP_FUTURE_ASSOC, .assoc_value = 1000};
	SET(m, DPSCTP_MAXSEG, av);
	av.assoc_value = 0;
	GET(m, DPSCTP_MAXSEG, av);
	cr_expect_eq(av.assoc_value, 1000);
	sk = (struct dpsctp_sack_info){.sack_assoc_id = id, .sack_delay = 50, .sack_freq = 2};
	SET(m, DPSCTP_DELAYED_SACK, sk);
	sk = (struct dpsctp_sack_info){.sack_assoc_id = id};
	GET(m, DPSCTP_DELAYED_SACK, sk);
	cr_expect_eq(sk.sack_delay, 50);
	cr_expect_eq(sk.sack_freq, 2);
	/* RFC 6458 8.1.19: a delay over 500 ms is EINVAL */
	sk = (struct dpsctp_sack_info){.sack_assoc_id = id, .sack_delay = 501, .sack_freq = 2};
	expect_err(dpsctp_setsockopt(m, IPPROTO_SCTP, DPSCTP_DELAYED_SACK, &sk, sizeof(sk)), EINVAL);
	av = (struct dpsctp_assoc_value){.assoc_id = id, .assoc_value = 8};
	SET(m, DPSCTP_MAX_BURST, av);
	av.assoc_value = 0;
	GET(m, DPSCTP_MAX_BURST, av);
	cr_expect_eq(av.assoc_value, 8);
	av = (struct dpsctp_assoc_value){.assoc_id = id, .assoc_value = 0xc0ffee};
	SET(m, DPSCTP_CONTEXT, av);
	av.assoc_value = 0;
	GET(m, DPSCTP_CONTEXT, av);
	cr_expect_eq(av.assoc_value, 0xc0ffee);
	/* the context comes back in rcv_context */
	struct dpsctp_rcvinfo ri;
	char buf[8];
	cr_assert_eq(dpsctp_send(c, "ctx", 3, 0), 3);
	cr_assert_eq(recv_whole(m, buf, sizeof(buf), &ri, NULL, 5000), 3);
	cr_expect_eq(ri.rcv_context, 0xc0ffee);
	pd = 4096;
	SET(m, DPSCTP_PARTIAL_DELIVERY_POINT, pd);
	pd = 0;
	GET(m, DPSCTP_PARTIAL_DELIVERY_POINT, pd);
	cr_expect_eq(pd, 4096);
	fi = 2;
	SET(m, DPSCTP_FRAGMENT_INTERLEAVE, fi);
	fi = 0;
	GET(m, DPSCTP_FRAGMENT_INTERLEAVE, fi);
	cr_expect_eq(fi, 2);
	fi = 3;
	expect_err(dpsctp_setsockopt(m, IPPROTO_SCTP, DPSCTP_FRAGMENT_INTERLEAVE, &fi, sizeof(fi)),
		EINVAL);
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_opts, assoc_number_and_id_list)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c[3], i;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	uint32_t n = 99;
	char buf[8];
	struct {
		uint32_t n;
		dpsctp_assoc_t ids[8];
	} list;
	socklen_t len;

	GET(m, DPSCTP_GET_ASSOC_NUMBER, n);
	cr_expect_eq(n, 0);
	for (i = 0; i < 3; i++) {
		c[i] = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
		cr_assert_eq(dpsctp_connect(c[i], (struct sockaddr *)&to, sizeof(to)), 0);
		cr_assert_eq(dpsctp_send(c[i], "x", 1, 0), 1);
		cr_assert_eq(recv_whole(m, buf, sizeof(buf), NULL, NULL, 5000), 1);
	}
	GET(m, DPSCTP_GET_ASSOC_NUMBER, n);
	cr_expect_eq(n, 3);
	len = sizeof(list);
	cr_expect_eq(dpsctp_getsockopt(m, IPPROTO_SCTP, DPSCTP_GET_ASSOC_ID_LIST, &list, &len), 0);
	cr_expect_eq(list.n, 3);
	for (i = 0; i < 3; i++)
		cr_expect_geq(list.ids[i], 3);
	/* room for one id only: EINVAL */
	len = sizeof(uint32_t) + sizeof(dpsctp_assoc_t);
	expect_err(dpsctp_getsockopt(m, IPPROTO_SCTP, DPSCTP_GET_ASSOC_ID_LIST, &list, &len), EINVAL);
	for (i = 0; i < 3; i++)
		dpsctp_close(c[i]);
	dpsctp_close(m);
}

Test(api_opts, event_and_events_with_every_historical_length)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct dpsctp_event ev = {.se_assoc_id = DPSCTP_FUTURE_ASSOC, .se_type = DPSCTP_SHUTDOWN_EVENT,
		.se_on = 1};
	struct dpsctp_event_subscribe es;
	socklen_t len;

	SET(fd, DPSCTP_EVENT, ev);
	ev.se_on = 0;
	GET(fd, DPSCTP_EVENT, ev);
	cr_expect_eq(ev.se_on, 1);
	memset(&es, 0, sizeof(es));
	len = sizeof(es);
	cr_assert_eq(dpsctp_getsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENTS, &es, &len), 0);
	cr_expect_eq(es.sctp_shutdown_event, 1, "EVENT and EVENTS are views of one set");
	/* lengths of the structure in older headers: 8, 9, 10, 11, 13, 14 bytes */
	static const socklen_t lens[] = {8, 9, 10, 11, 13, 14};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(&es, 0, sizeof(es));
		es.sctp_association_event = 1;
		cr_expect_eq(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENTS, &es, lens[i]), 0,
			"EVENTS with length %u: %s", lens[i], strerror(errno));
		len = lens[i];
		cr_expect_eq(dpsctp_getsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENTS, &es, &len), 0);
	}
	/* an unknown event type: EINVAL */
	ev.se_type = 0x7fff;
	expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), EINVAL);
	dpsctp_close(fd);
}

Test(api_opts, socket_level_buffers_linger_and_errors)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	int v = 131072, g = 0, err = -1;
	struct linger lg = {.l_onoff = 1, .l_linger = 5}, gl = {0};
	socklen_t len;

	cr_expect_eq(dpsctp_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
	len = sizeof(g);
	cr_expect_eq(dpsctp_getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &g, &len), 0);
	cr_expect_geq(g, 131072);
	cr_expect_eq(dpsctp_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	len = sizeof(g);
	cr_expect_eq(dpsctp_getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &g, &len), 0);
	cr_expect_geq(g, 131072);
	cr_expect_eq(dpsctp_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	len = sizeof(gl);
	cr_expect_eq(dpsctp_getsockopt(fd, SOL_SOCKET, SO_LINGER, &gl, &len), 0);
	cr_expect_eq(gl.l_onoff, 1);
	cr_expect_eq(gl.l_linger, 5);
	len = sizeof(err);
	cr_expect_eq(dpsctp_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	cr_expect_eq(err, 0);
	/* unknown names: ENOPROTOOPT */
	expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, 9999, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(g);
	expect_err(dpsctp_getsockopt(fd, IPPROTO_SCTP, 9999, &g, &len), ENOPROTOOPT);
	expect_err(dpsctp_setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof(v)), ENOPROTOOPT);
	/* get-only options cannot be set */
	struct dpsctp_status st = {0};
	errno = 0;
	cr_expect_eq(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_STATUS, &st, sizeof(st)), -1);
	cr_expect(errno == ENOPROTOOPT || errno == EINVAL || errno == EOPNOTSUPP);
	dpsctp_close(fd);
}

Test(api_opts, special_assoc_ids_on_one_to_many)
{
	int c, m;
	dpsctp_assoc_t id;
	struct dpsctp_assoc_value av = {.assoc_id = DPSCTP_ALL_ASSOC, .assoc_value = 5};
	struct dpsctp_sack_info sk = {.sack_assoc_id = DPSCTP_CURRENT_ASSOC, .sack_delay = 40,
		.sack_freq = 2};

	m = many_with_assoc(&c, &id);
	/* ALL: now and later */
	SET(m, DPSCTP_MAX_BURST, av);
	av = (struct dpsctp_assoc_value){.assoc_id = id};
	GET(m, DPSCTP_MAX_BURST, av);
	cr_expect_eq(av.assoc_value, 5);
	av = (struct dpsctp_assoc_value){.assoc_id = DPSCTP_FUTURE_ASSOC};
	GET(m, DPSCTP_MAX_BURST, av);
	cr_expect_eq(av.assoc_value, 5);
	/* CURRENT: the existing one only */
	SET(m, DPSCTP_DELAYED_SACK, sk);
	sk = (struct dpsctp_sack_info){.sack_assoc_id = id};
	GET(m, DPSCTP_DELAYED_SACK, sk);
	cr_expect_eq(sk.sack_delay, 40);
	/* getting CURRENT or ALL makes no sense: EINVAL */
	socklen_t len = sizeof(sk);
	sk.sack_assoc_id = DPSCTP_ALL_ASSOC;
	expect_err(dpsctp_getsockopt(m, IPPROTO_SCTP, DPSCTP_DELAYED_SACK, &sk, &len), EINVAL);
	dpsctp_close(c);
	dpsctp_close(m);
}
