/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Associations: connect, connectx (RFC 6458 9.9, FreeBSD sctp_connectx(3)), accept, listen on
 * both styles (the Programmer's Guide: accept on one-to-many is EOPNOTSUPP), peeloff (9.2,
 * Solaris "Branched-off Association"), shutdown, getpaddrs / freepaddrs (9.3), getpeername.
 */
#include "apitest.h"

TestSuite(api_assoc, .init = apitest_need_daemon, .timeout = 60);

Test(api_assoc, connect_accept_and_names)
{
	int c, s;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	uint16_t sport;

	pair4(&c, &s, NULL);
	sport = local_port(s);
	cr_assert_eq(dpsctp_getpeername(c, (struct sockaddr *)&peer, &len), 0, "%s",
		strerror(errno));
	cr_expect_eq(peer.sin_family, AF_INET);
	cr_expect_eq(ntohs(peer.sin_port), sport);
	cr_expect_eq(ntohl(peer.sin_addr.s_addr), INADDR_LOOPBACK);
	len = sizeof(peer);
	cr_assert_eq(dpsctp_getpeername(s, (struct sockaddr *)&peer, &len), 0);
	cr_expect_eq(ntohs(peer.sin_port), local_port(c));
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_assoc, accept_returns_the_peer_address)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c, s;
	struct sockaddr_in to = sin4("127.0.0.1", port), from;
	socklen_t len = sizeof(from);

	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	s = dpsctp_accept(l, (struct sockaddr *)&from, &len);
	cr_assert_geq(s, 0);
	cr_expect_eq(len, sizeof(struct sockaddr_in));
	cr_expect_eq(ntohs(from.sin_port), local_port(c));
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_assoc, connectx_with_two_addresses_returns_the_id_and_both_paths)
{
	uint16_t port;
	int l = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s, n;
	struct sockaddr_in any = sin4("0.0.0.0", 0), two[2];
	struct sockaddr *addrs = NULL;
	dpsctp_assoc_t id = 0;

	cr_assert_eq(dpsctp_bind(l, (struct sockaddr *)&any, sizeof(any)), 0);
	cr_assert_eq(dpsctp_listen(l, 4), 0);
	port = local_port(l);
	two[0] = sin4("127.0.0.1", port);
	two[1] = sin4("127.0.0.2", port);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connectx(c, (struct sockaddr *)two, 2, &id), 0, "%s", strerror(errno));
	cr_expect_geq(id, 3, "a real association id is never 0, 1 or 2");
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	n = dpsctp_getpaddrs(c, id, &addrs);
	/* the server is bound to the wildcard: 127.0.0.1, 127.0.0.2 and 198.18.169.1, all listed in
	 * its INIT ACK; at least the two given must be paths */
	cr_expect_geq(n, 2, "peer addresses: %d", n);
	dpsctp_freepaddrs(addrs);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_assoc, connectx_over_ipv6_and_mapped_ipv4)
{
	uint16_t port;
	int l = expect_ok(dpsctp_socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP)), c, s;
	struct sockaddr_in6 any = sin6("::", 0), to[2];
	dpsctp_assoc_t id = 0;

	cr_assert_eq(dpsctp_bind(l, (struct sockaddr *)&any, sizeof(any)), 0);
	cr_assert_eq(dpsctp_listen(l, 4), 0);
	port = local_port(l);
	to[0] = sin6("::1", port);
	to[1] = sin6("::ffff:127.0.0.1", port);
	c = expect_ok(dpsctp_socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connectx(c, (struct sockaddr *)to, 2, &id), 0, "%s", strerror(errno));
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	cr_expect_eq(dpsctp_send(c, "v6", 2, 0), 2);
	char buf[8];
	cr_expect_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 2);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

/* FreeBSD sctp_connectx(3): EINVAL "An address listed has an invalid family or no addresses
 * were provided". */
Test(api_assoc, connectx_errors)
{
	int c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 9);
	struct sockaddr_in two[2] = {sin4("127.0.0.1", 9), sin4("127.0.0.2", 10)};
	dpsctp_assoc_t id;

	expect_err(dpsctp_connectx(c, (struct sockaddr *)&a, 0, &id), EINVAL);
	a.sin_family = AF_UNIX;
	expect_err(dpsctp_connectx(c, (struct sockaddr *)&a, 1, &id), EINVAL);
	/* RFC 6458 9.9: all addresses of one peer, so one port */
	expect_err(dpsctp_connectx(c, (struct sockaddr *)two, 2, &id), EINVAL);
	dpsctp_close(c);
}

Test(api_assoc, connect_to_a_closed_port_is_econnrefused)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);

	dpsctp_close(l);
	usleep(300000); /* the endpoint goes away */
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	/* few, short INIT retransmissions: without the ABORT the call ends in seconds */
	struct dpsctp_initmsg im = {.sinit_max_attempts = 2, .sinit_max_init_timeo = 500};
	cr_assert_eq(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_INITMSG, &im, sizeof(im)), 0);
	/* the daemon answers the INIT for an unknown port with an ABORT (RFC 9260 8.4) */
	expect_err(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), ECONNREFUSED);
	dpsctp_close(c);
}

Test(api_assoc, connect_twice_is_eisconn)
{
	int c, s;
	struct sockaddr_in to;
	socklen_t len = sizeof(to);

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_getpeername(c, (struct sockaddr *)&to, &len), 0);
	expect_err(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), EISCONN);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_assoc, accept_on_one_to_many_is_eopnotsupp_and_unlistened_einval)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0);

	expect_err(dpsctp_accept(m, NULL, NULL), EOPNOTSUPP);
	cr_assert_eq(dpsctp_bind(o, (struct sockaddr *)&a, sizeof(a)), 0);
	expect_err(dpsctp_accept(o, NULL, NULL), EINVAL);
	dpsctp_close(m);
	dpsctp_close(o);
}

Test(api_assoc, one_to_many_accepts_automatically_and_announces_comm_up)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	union dpsctp_notification n;

	subscribe(m, DPSCTP_ASSOC_CHANGE);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, &n, sizeof(n), 5000));
	cr_expect_geq(n.sn_assoc_change.sac_assoc_id, 3);
	cr_expect_gt(n.sn_assoc_change.sac_outbound_streams, 0);
	cr_expect_gt(n.sn_assoc_change.sac_inbound_streams, 0);
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_assoc, one_to_many_without_listen_refuses_associations)
{
	int m = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP)), c;
	struct sockaddr_in a = sin4("127.0.0.1", 0), to;

	cr_assert_eq(dpsctp_bind(m, (struct sockaddr *)&a, sizeof(a)), 0);
	to = sin4("127.0.0.1", local_port(m));
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	/* "By default, one-to-many style sockets do not accept new associations" */
	expect_err(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), ECONNREFUSED);
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_assoc, peeloff_moves_the_association_and_its_queued_messages)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c, p;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_rcvinfo ri = {0};
	char buf[64];
	int flags = 0;

	set_int(m, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert_eq(dpsctp_send(c, "first", 5, 0), 5);
	cr_assert_eq(dpsctp_send(c, "second", 6, 0), 6);
	cr_assert_eq(recv_whole(m, buf, sizeof(buf), &ri, &flags, 5000), 5);
	cr_assert_geq(ri.rcv_assoc_id, 3);
	usleep(100000); /* "second" is queued on the one-to-many socket by now */
	p = dpsctp_peeloff(m, ri.rcv_assoc_id);
	cr_assert_geq(p, 0, "peeloff: %s", strerror(errno));
	cr_expect_eq(recv_whole(p, buf, sizeof(buf), NULL, &flags, 5000), 6);
	cr_expect_eq(memcmp(buf, "second", 6), 0);
	int type = 0;
	socklen_t len = sizeof(type);
	cr_expect_eq(dpsctp_getsockopt(p, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	cr_expect_eq(type, SOCK_STREAM, "the branched-off socket is one-to-one");
	/* both ways on the peeled socket */
	cr_expect_eq(dpsctp_send(p, "back", 4, 0), 4);
	cr_expect_eq(recv_whole(c, buf, sizeof(buf), NULL, &flags, 5000), 4);
	/* and the association is no longer on the one-to-many socket */
	expect_err(send_info(m, "x", 1, 0, 0, ri.rcv_assoc_id, 0), ENOENT);
	dpsctp_close(p);
	dpsctp_close(c);
	dpsctp_close(m);
}

/* Solaris: EOPNOTSUPP when the socket is not one-to-many; EINVAL when id is 0 or not one of
 * its associations. */
Test(api_assoc, peeloff_errors)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);

	expect_err(dpsctp_peeloff(o, 3), EOPNOTSUPP);
	expect_err(dpsctp_peeloff(m, 0), EINVAL);
	expect_err(dpsctp_peeloff(m, 123456), EINVAL);
	dpsctp_close(o);
	dpsctp_close(m);
}

Test(api_assoc, getpaddrs_errors)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s, rc;
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	struct sockaddr *addrs = NULL;

	/* RFC 6458 9.3 / Solaris: no association: 0; the Solaris ERRORS list ENOTCONN */
	errno = 0;
	rc = dpsctp_getpaddrs(o, 0, &addrs);
	cr_expect(rc == 0 || (rc == -1 && errno == ENOTCONN), "unconnected: %d (%s)", rc,
		strerror(errno));
	expect_err(dpsctp_getpaddrs(m, 123456, &addrs), EINVAL);
	pair4(&c, &s, NULL);
	expect_err(dpsctp_getpaddrs(c, 0, NULL), EINVAL);
	cr_expect_eq(dpsctp_getpaddrs(c, 0, &addrs), 1);
	dpsctp_freepaddrs(addrs);
	dpsctp_freepaddrs(NULL);
	dpsctp_close(o);
	dpsctp_close(m);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_assoc, getpeername_unconnected_is_enotconn)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	expect_err(dpsctp_getpeername(o, (struct sockaddr *)&ss, &len), ENOTCONN);
	dpsctp_close(o);
}

Test(api_assoc, shutdown_wr_ends_the_stream_both_ways)
{
	int c, s;
	char buf[16];
	union dpsctp_notification n;

	pair4(&c, &s, NULL);
	subscribe(s, DPSCTP_SHUTDOWN_EVENT);
	cr_assert_eq(dpsctp_send(c, "last", 4, 0), 4);
	cr_assert_eq(dpsctp_shutdown(c, SHUT_WR), 0, "%s", strerror(errno));
	/* no more sending after SHUT_WR */
	expect_err(dpsctp_send(c, "more", 4, 0), EPIPE);
	cr_expect_eq(recv_whole(s, buf, sizeof(buf), NULL, NULL, 5000), 4);
	cr_expect(wait_notification(s, DPSCTP_SHUTDOWN_EVENT, 0, &n, sizeof(n), 5000));
	/* then end of stream on the server */
	cr_expect(readable(s, 5000));
	cr_expect_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 0);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_assoc, shutdown_errors)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s;

	expect_err(dpsctp_shutdown(o, SHUT_WR), ENOTCONN);
	pair4(&c, &s, NULL);
	expect_err(dpsctp_shutdown(c, 42), EINVAL);
	dpsctp_close(o);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_assoc, close_shuts_down_gracefully_peer_sees_shutdown_comp)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);

	subscribe(m, DPSCTP_ASSOC_CHANGE);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, NULL, 0, 5000));
	dpsctp_close(c);
	cr_expect(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_SHUTDOWN_COMP, NULL, 0, 5000));
	dpsctp_close(m);
}

Test(api_assoc, so_linger_zero_close_aborts_peer_sees_comm_lost)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	subscribe(m, DPSCTP_ASSOC_CHANGE);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, NULL, 0, 5000));
	dpsctp_close(c);
	cr_expect(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_LOST, NULL, 0, 5000));
	dpsctp_close(m);
}

Test(api_assoc, many_associations_on_one_socket)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c[8], i, got = 0;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	char buf[32];
	uint32_t n = 0;
	socklen_t len = sizeof(n);

	for (i = 0; i < 8; i++) {
		c[i] = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
		cr_assert_eq(dpsctp_connect(c[i], (struct sockaddr *)&to, sizeof(to)), 0);
		cr_assert_eq(dpsctp_send(c[i], "hi", 2, 0), 2);
	}
	for (i = 0; i < 8; i++)
		got += recv_whole(m, buf, sizeof(buf), NULL, NULL, 5000) == 2;
	cr_expect_eq(got, 8);
	cr_expect_eq(dpsctp_getsockopt(m, IPPROTO_SCTP, DPSCTP_GET_ASSOC_NUMBER, &n, &len), 0);
	cr_expect_eq(n, 8);
	for (i = 0; i < 8; i++)
		dpsctp_close(c[i]);
	dpsctp_close(m);
}
