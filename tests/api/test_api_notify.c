/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Notifications (RFC 6458 6.1): ASSOC_CHANGE (COMM_UP, SHUTDOWN_COMP, COMM_LOST,
 * CANT_STR_ASSOC), SHUTDOWN_EVENT, SEND_FAILED_EVENT with the unsent message,
 * ADAPTATION_INDICATION, SENDER_DRY_EVENT, PEER_ADDR_CHANGE, PARTIAL_DELIVERY_EVENT; delivered
 * only when subscribed, with MSG_NOTIFICATION set.
 */
#include "apitest.h"

TestSuite(api_notify, .init = apitest_need_daemon, .timeout = 60);

Test(api_notify, nothing_is_delivered_unsubscribed)
{
	int c, s;
	char buf[256];
	int flags = 0;

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_send(c, "data", 4, 0), 4);
	/* the first thing readable on the server is the data, no COMM_UP before it */
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), NULL, &flags, 5000), 4);
	cr_expect_eq(flags & DPSCTP_MSG_NOTIFICATION, 0);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_notify, assoc_change_comm_up_then_shutdown_comp)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	union dpsctp_notification n;
	char buf[256];
	int flags = 0;

	subscribe(m, DPSCTP_ASSOC_CHANGE);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert_gt(recv_whole(m, buf, sizeof(buf), NULL, &flags, 5000), 0);
	cr_assert(flags & DPSCTP_MSG_NOTIFICATION);
	cr_assert(flags & MSG_EOR, "a notification comes whole");
	memcpy(&n, buf, sizeof(n));
	cr_expect_eq(n.sn_header.sn_type, DPSCTP_ASSOC_CHANGE);
	cr_expect_eq(n.sn_assoc_change.sac_state, DPSCTP_COMM_UP);
	cr_expect_geq(n.sn_header.sn_length, sizeof(struct dpsctp_assoc_change));
	dpsctp_close(c);
	cr_expect(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_SHUTDOWN_COMP, &n, sizeof(n), 5000));
	dpsctp_close(m);
}

Test(api_notify, cant_str_assoc_and_send_failed_with_the_unsent_message)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port);
	int cl = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct iovec iov = {.iov_base = "lost message", .iov_len = 12};
	struct dpsctp_sndinfo si = {.snd_sid = 0, .snd_ppid = 31, .snd_context = 0x5eed};
	static char buf[4096];
	bool cant = false, failed = false;

	dpsctp_close(l);
	usleep(300000); /* nobody listens on the port any more */
	subscribe(cl, DPSCTP_ASSOC_CHANGE);
	subscribe(cl, DPSCTP_SEND_FAILED_EVENT);
	/* an implicit association: the message waits behind a handshake that fails */
	ssize_t n = dpsctp_sendv(cl, &iov, 1, (struct sockaddr *)&to, 1, &si, sizeof(si),
		DPSCTP_SENDV_SNDINFO, 0);
	if (n < 0) {
		/* refused at once is allowed too (the setup failed before the call returned) */
		cr_expect(errno == ECONNREFUSED, "sendv to a closed port: %s", strerror(errno));
		dpsctp_close(cl);
		return;
	}
	for (int i = 0; i < 4 && !(cant && failed); i++) {
		int flags = 0;
		ssize_t r = recv_whole(cl, buf, sizeof(buf), NULL, &flags, 5000);
		const union dpsctp_notification *sn = (const void *)buf;

		if (r <= 0)
			break;
		cr_assert(flags & DPSCTP_MSG_NOTIFICATION);
		if (sn->sn_header.sn_type == DPSCTP_ASSOC_CHANGE) {
			cr_expect_eq(sn->sn_assoc_change.sac_state, DPSCTP_CANT_STR_ASSOC);
			cant = true;
		} else if (sn->sn_header.sn_type == DPSCTP_SEND_FAILED_EVENT) {
			const struct dpsctp_send_failed_event *f = &sn->sn_send_failed_event;

			cr_expect_eq(f->ssfe_flags, DPSCTP_DATA_UNSENT);
			cr_expect_eq(f->ssfe_info.snd_ppid, 31);
			cr_expect_eq(f->ssfe_info.snd_context, 0x5eed);
			cr_expect_eq(f->ssfe_length, sizeof(*f) + 12);
			cr_expect_eq(memcmp(f->ssfe_data, "lost message", 12), 0);
			failed = true;
		}
	}
	cr_expect(cant, "ASSOC_CHANGE CANT_STR_ASSOC");
	cr_expect(failed, "SEND_FAILED_EVENT with the message");
	dpsctp_close(cl);
}

Test(api_notify, shutdown_event_when_the_peer_shuts_down)
{
	int c, s;

	pair4(&c, &s, NULL);
	subscribe(s, DPSCTP_SHUTDOWN_EVENT);
	subscribe(s, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(dpsctp_shutdown(c, SHUT_WR), 0);
	cr_expect(wait_notification(s, DPSCTP_SHUTDOWN_EVENT, 0, NULL, 0, 5000));
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_notify, comm_lost_carries_the_abort)
{
	int c, s;
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	static char buf[512];

	pair4(&c, &s, NULL);
	subscribe(c, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(dpsctp_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	dpsctp_close(s);
	/* SO_LINGER {1, 0} on the accepted socket: close aborts its association */
	bool got = wait_notification(c, DPSCTP_ASSOC_CHANGE, 0, buf, sizeof(buf), 5000);
	const struct dpsctp_assoc_change *ac = (const void *)buf;
	cr_assert(got && ac->sac_state == DPSCTP_COMM_LOST,
		"COMM_LOST expected; got %s %u", got ? "ASSOC_CHANGE state" : "nothing, state",
		got ? ac->sac_state : 0);
	/* RFC 6458 6.1.1: after an ABORT, sac_info holds the ABORT chunk */
	cr_expect_geq(ac->sac_length, sizeof(*ac));
	dpsctp_close(c);
}

Test(api_notify, adaptation_indication_of_the_peer)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c, s;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_setadaptation a = {.ssb_adaptation_ind = 0x11223344};
	union dpsctp_notification n;

	cr_assert_eq(dpsctp_setsockopt(l, IPPROTO_SCTP, DPSCTP_ADAPTATION_LAYER, &a, sizeof(a)), 0);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	subscribe(c, DPSCTP_ADAPTATION_INDICATION);
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	cr_assert(wait_notification(c, DPSCTP_ADAPTATION_INDICATION, 0, &n, sizeof(n), 5000));
	cr_expect_eq(n.sn_adaptation_event.sai_adaptation_ind, 0x11223344);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_notify, sender_dry_when_everything_is_acknowledged)
{
	int c, s;
	char buf[8];

	pair4(&c, &s, NULL);
	subscribe(c, DPSCTP_SENDER_DRY_EVENT);
	cr_assert_eq(dpsctp_send(c, "dry", 3, 0), 3);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), NULL, NULL, 5000), 3);
	cr_expect(wait_notification(c, DPSCTP_SENDER_DRY_EVENT, 0, NULL, 0, 5000));
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_notify, peer_addr_change_when_the_primary_changes)
{
	uint16_t port;
	int l = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s;
	struct sockaddr_in any = sin4("0.0.0.0", 0), two[2];
	struct dpsctp_setprim sp = {0};
	union dpsctp_notification n;
	dpsctp_assoc_t id;

	cr_assert_eq(dpsctp_bind(l, (struct sockaddr *)&any, sizeof(any)), 0);
	cr_assert_eq(dpsctp_listen(l, 4), 0);
	port = local_port(l);
	two[0] = sin4("127.0.0.1", port);
	two[1] = sin4("127.0.0.2", port);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	subscribe(c, DPSCTP_PEER_ADDR_CHANGE);
	cr_assert_eq(dpsctp_connectx(c, (struct sockaddr *)two, 2, &id), 0);
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	memcpy(&sp.ssp_addr, &two[1], sizeof(two[1]));
	cr_assert_eq(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), 0);
	cr_expect(wait_notification(c, DPSCTP_PEER_ADDR_CHANGE, DPSCTP_ADDR_MADE_PRIM, &n, sizeof(n),
		5000));
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_notify, unsubscribing_stops_delivery)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_event ev = {.se_assoc_id = DPSCTP_FUTURE_ASSOC, .se_type = DPSCTP_ASSOC_CHANGE,
		.se_on = 0};
	char buf[64];
	int flags = 0;

	subscribe(m, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(dpsctp_setsockopt(m, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), 0);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_assert_eq(dpsctp_send(c, "x", 1, 0), 1);
	cr_assert_eq(recv_whole(m, buf, sizeof(buf), NULL, &flags, 5000), 1);
	cr_expect_eq(flags & DPSCTP_MSG_NOTIFICATION, 0);
	dpsctp_close(c);
	dpsctp_close(m);
}

Test(api_notify, partial_delivery_aborted_when_the_peer_aborts_mid_message)
{
	uint16_t port;
	int l = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)), c, s;
	struct sockaddr_in a = sin4("127.0.0.1", 0), to;
	static char big[300000], buf[2000];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	uint32_t pd = 2000;
	int flags = 0, rcvbuf = 16384, sndbuf = (int)sizeof(big) + 1;
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	/* a receive window far below the message, a small partial delivery point: the stack must
	 * hand the message over in parts before it has all of it */
	cr_assert_eq(dpsctp_setsockopt(l, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	cr_assert_eq(dpsctp_setsockopt(l, IPPROTO_SCTP, DPSCTP_PARTIAL_DELIVERY_POINT, &pd,
			     sizeof(pd)), 0);
	cr_assert_eq(dpsctp_bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(dpsctp_listen(l, 1), 0);
	port = local_port(l);
	to = sin4("127.0.0.1", port);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	cr_assert_eq(dpsctp_setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	subscribe(s, DPSCTP_PARTIAL_DELIVERY_EVENT);
	cr_assert_eq(dpsctp_send(c, big, sizeof(big), 0), (ssize_t)sizeof(big));
	cr_assert(readable(s, 5000));
	cr_assert_gt(dpsctp_recvv(s, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags), 0);
	cr_assert_eq(flags & MSG_EOR, 0, "the first piece of a 300000-byte message");
	dpsctp_close(c); /* ABORT while the message is half delivered */
	cr_expect(wait_notification(s, DPSCTP_PARTIAL_DELIVERY_EVENT, 0, NULL, 0, 5000));
	dpsctp_close(s);
	dpsctp_close(l);
}
