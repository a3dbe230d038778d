/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data: sendv / recvv with every info type (RFC 6458 9.12, 9.13), sendmsg / recvmsg with the
 * control messages of section 5.3, the legacy sctp_sendmsg / sctp_recvmsg / sctp_send (9.7, 9.8,
 * 9.10), and the send errors of the Solaris and FreeBSD pages.
 */
#include "apitest.h"

TestSuite(api_data, .init = apitest_need_daemon, .timeout = 60);

static void
streams64(int fd)
{
	struct dpsctp_initmsg im = {.sinit_num_ostreams = 64, .sinit_max_instreams = 64};

	cr_assert_eq(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_INITMSG, &im, sizeof(im)), 0);
}

/* A one-to-one pair with 64 streams and RCVINFO on the server side. */
static void
pair64(int *c, int *s)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port);
	struct sockaddr_in to = sin4("127.0.0.1", port);

	streams64(l);
	*c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	streams64(*c);
	cr_assert_eq(dpsctp_connect(*c, (struct sockaddr *)&to, sizeof(to)), 0);
	*s = expect_ok(dpsctp_accept(l, NULL, NULL));
	set_int(*s, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	set_int(*c, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	dpsctp_close(l);
}

Test(api_data, sendv_sndinfo_to_recvv_rcvinfo)
{
	int c, s;
	char buf[64];
	struct dpsctp_rcvinfo ri;
	int flags;

	pair64(&c, &s);
	cr_assert_eq(send_info(c, "hello", 5, 63, htonl(0xabcd), 0, 0), 5);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, &flags, 5000), 5);
	cr_expect(flags & MSG_EOR);
	cr_expect_eq(ri.rcv_sid, 63);
	cr_expect_eq(ri.rcv_ppid, htonl(0xabcd), "ppid passed opaquely");
	cr_expect_eq(ri.rcv_flags & DPSCTP_UNORDERED, 0);
	cr_expect_neq(ri.rcv_tsn, 0);
	cr_assert_eq(send_info(c, "u", 1, 1, 0, 0, DPSCTP_UNORDERED), 1);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, &flags, 5000), 1);
	cr_expect(ri.rcv_flags & DPSCTP_UNORDERED);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, stream_out_of_range_is_einval)
{
	int c, s;

	pair64(&c, &s);
	expect_err(send_info(c, "x", 1, 64, 0, 0, 0), EINVAL);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, recvv_info_types_noinfo_rcvinfo_nxtinfo_rn)
{
	int c, s;
	char buf[64];
	struct dpsctp_recvv_rn rn;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	socklen_t il;
	unsigned int it;
	int flags;

	pair4(&c, &s, NULL);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(send_info(c, "abcdefgh", 8, 0, (uint32_t)i, 0, 0), 8);
	cr_assert(readable(s, 5000));
	usleep(100000);
	/* neither option: NOINFO */
	il = sizeof(rn);
	it = 99;
	flags = 0;
	cr_assert_eq(dpsctp_recvv(s, &iov, 1, NULL, NULL, &rn, &il, &it, &flags), 8);
	cr_expect_eq(it, DPSCTP_RECVV_NOINFO);
	/* RCVINFO only */
	set_int(s, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	il = sizeof(rn);
	cr_assert_eq(dpsctp_recvv(s, &iov, 1, NULL, NULL, &rn, &il, &it, &flags), 8);
	cr_expect_eq(it, DPSCTP_RECVV_RCVINFO);
	cr_expect_eq(il, sizeof(struct dpsctp_rcvinfo));
	cr_expect_eq(rn.recvv_rcvinfo.rcv_ppid, 1);
	/* both: RN, the next message described */
	set_int(s, IPPROTO_SCTP, DPSCTP_RECVNXTINFO, 1);
	il = sizeof(rn);
	cr_assert_eq(dpsctp_recvv(s, &iov, 1, NULL, NULL, &rn, &il, &it, &flags), 8);
	cr_expect_eq(it, DPSCTP_RECVV_RN);
	cr_expect_eq(rn.recvv_rcvinfo.rcv_ppid, 2);
	cr_expect_eq(rn.recvv_nxtinfo.nxt_ppid, 3);
	cr_expect_eq(rn.recvv_nxtinfo.nxt_length, 8);
	cr_expect(rn.recvv_nxtinfo.nxt_flags & DPSCTP_COMPLETE);
	/* NXTINFO only, with no next message: NOINFO (Solaris sctp_recvv) */
	set_int(s, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 0);
	il = sizeof(rn);
	cr_assert_eq(dpsctp_recvv(s, &iov, 1, NULL, NULL, &rn, &il, &it, &flags), 8);
	cr_expect_eq(it, DPSCTP_RECVV_NOINFO);
	/* NXTINFO only with a next message: NXTINFO (no Nagle delay of the second message behind
	 * the first one's SACK, so both are queued at the receiver well within the wait) */
	set_int(c, IPPROTO_SCTP, DPSCTP_NODELAY, 1);
	cr_assert_eq(send_info(c, "1", 1, 0, 7, 0, 0), 1);
	cr_assert_eq(send_info(c, "22", 2, 0, 8, 0, 0), 2);
	cr_assert(readable(s, 5000));
	usleep(300000);
	il = sizeof(rn);
	cr_assert_eq(dpsctp_recvv(s, &iov, 1, NULL, NULL, &rn, &il, &it, &flags), 1);
	cr_expect_eq(it, DPSCTP_RECVV_NXTINFO);
	cr_expect_eq(((struct dpsctp_nxtinfo *)&rn)->nxt_ppid, 8);
	cr_expect_eq(((struct dpsctp_nxtinfo *)&rn)->nxt_length, 2);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, message_larger_than_the_buffer_comes_in_pieces_with_eor_last)
{
	int c, s;
	static char big[200000], got[200000];
	char piece[1000];
	size_t tot = 0;
	int flags = 0, reads = 0;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_send(c, big, sizeof(big), 0), (ssize_t)sizeof(big));
	while (!(flags & MSG_EOR)) {
		struct iovec iov = {.iov_base = piece, .iov_len = sizeof(piece)};
		ssize_t n;

		cr_assert(readable(s, 5000));
		flags = 0;
		n = dpsctp_recvv(s, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags);
		cr_assert_gt(n, 0);
		cr_assert_leq(tot + (size_t)n, sizeof(got));
		memcpy(got + tot, piece, (size_t)n);
		tot += (size_t)n;
		reads++;
	}
	cr_expect_eq(tot, sizeof(big));
	cr_expect_eq(memcmp(big, got, sizeof(big)), 0);
	cr_expect_geq(reads, 200);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, sendv_gathers_iovecs_and_recvv_scatters)
{
	int c, s;
	struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defgh", 5}};
	char a[4], b[10];
	struct iovec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	int flags = 0;

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_sendv(c, out, 3, NULL, 0, NULL, 0, DPSCTP_SENDV_NOINFO, 0), 8);
	cr_assert(readable(s, 5000));
	cr_assert_eq(dpsctp_recvv(s, in, 2, NULL, NULL, NULL, NULL, NULL, &flags), 8);
	cr_expect_eq(memcmp(a, "abcd", 4), 0);
	cr_expect_eq(memcmp(b, "efgh", 4), 0);
	cr_expect(flags & MSG_EOR);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, sendv_prinfo_spa_and_authinfo)
{
	int c, s;
	char buf[32];
	struct iovec iov = {.iov_base = "pr", .iov_len = 2};
	struct dpsctp_prinfo pr = {.pr_policy = DPSCTP_PR_SCTP_TTL, .pr_value = 10000};
	struct dpsctp_sendv_spa spa = {.sendv_flags = DPSCTP_SEND_SNDINFO_VALID |
					       DPSCTP_SEND_PRINFO_VALID};
	struct dpsctp_authinfo au = {0};
	struct dpsctp_rcvinfo ri;

	pair64(&c, &s);
	cr_expect_eq(dpsctp_sendv(c, &iov, 1, NULL, 0, &pr, sizeof(pr), DPSCTP_SENDV_PRINFO, 0), 2);
	cr_expect_eq(recv_whole(s, buf, sizeof(buf), NULL, NULL, 5000), 2);
	spa.sendv_sndinfo.snd_sid = 5;
	spa.sendv_sndinfo.snd_ppid = 77;
	spa.sendv_prinfo = pr;
	cr_expect_eq(dpsctp_sendv(c, &iov, 1, NULL, 0, &spa, sizeof(spa), DPSCTP_SENDV_SPA, 0), 2);
	cr_expect_eq(recv_whole(s, buf, sizeof(buf), &ri, NULL, 5000), 2);
	cr_expect_eq(ri.rcv_sid, 5);
	cr_expect_eq(ri.rcv_ppid, 77);
	/* AUTHINFO: accepted (no SCTP-AUTH), or refused as not supported */
	errno = 0;
	ssize_t n = dpsctp_sendv(c, &iov, 1, NULL, 0, &au, sizeof(au), DPSCTP_SENDV_AUTHINFO, 0);
	cr_expect(n == 2 || (n == -1 && (errno == EOPNOTSUPP || errno == EINVAL)), "%zd %s", n,
		strerror(errno));
	/* a wrong infolen or type: EINVAL */
	expect_err(dpsctp_sendv(c, &iov, 1, NULL, 0, &pr, 2, DPSCTP_SENDV_PRINFO, 0), EINVAL);
	expect_err(dpsctp_sendv(c, &iov, 1, NULL, 0, &pr, sizeof(pr), 99, 0), EINVAL);
	pr.pr_policy = 0x7777;
	expect_err(dpsctp_sendv(c, &iov, 1, NULL, 0, &pr, sizeof(pr), DPSCTP_SENDV_PRINFO, 0), EINVAL);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, one_to_one_unconnected_send_is_enotconn)
{
	int o = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));

	expect_err(dpsctp_send(o, "x", 1, 0), ENOTCONN);
	expect_err(dpsctp_sctp_sendmsg(o, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOTCONN);
	dpsctp_close(o);
}

/* Solaris sctp_sendmsg / sctp_send: MSG_ABORT or MSG_EOF on a one-to-one socket: EOPNOTSUPP. */
Test(api_data, abort_and_eof_flags_on_one_to_one_are_eopnotsupp)
{
	int c, s;
	struct dpsctp_sndrcvinfo si = {.sinfo_flags = DPSCTP_EOF};

	pair4(&c, &s, NULL);
	/* MSG_OOB: EOPNOTSUPP */
	expect_err(dpsctp_send(c, "x", 1, MSG_OOB), EOPNOTSUPP);
	expect_err(dpsctp_sctp_sendmsg(c, "x", 1, NULL, 0, 0, DPSCTP_EOF, 0, 0, 0), EOPNOTSUPP);
	expect_err(dpsctp_sctp_sendmsg(c, "x", 1, NULL, 0, 0, DPSCTP_ABORT, 0, 0, 0), EOPNOTSUPP);
	expect_err(dpsctp_sctp_send(c, "x", 1, &si, 0), EOPNOTSUPP);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, one_to_many_implicit_association_by_sendv_returns_the_id)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	int cl = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct iovec iov = {.iov_base = "implicit", .iov_len = 8};
	struct dpsctp_sndinfo si = {0};
	struct dpsctp_rcvinfo ri;
	char buf[32];

	set_int(m, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	cr_assert_eq(dpsctp_sendv(cl, &iov, 1, (struct sockaddr *)&to, 1, &si, sizeof(si),
			     DPSCTP_SENDV_SNDINFO, 0), 8, "%s", strerror(errno));
	cr_expect_geq(si.snd_assoc_id, 3, "the new association's id is returned in snd_assoc_id");
	cr_assert_eq(recv_whole(m, buf, sizeof(buf), &ri, NULL, 5000), 8);
	/* the server replies by association id; the client sends again by id */
	cr_expect_eq(send_info(m, "reply", 5, 0, 0, ri.rcv_assoc_id, 0), 5);
	cr_expect_eq(recv_whole(cl, buf, sizeof(buf), NULL, NULL, 5000), 5);
	cr_expect_eq(send_info(cl, "again", 5, 0, 0, si.snd_assoc_id, 0), 5);
	cr_expect_eq(recv_whole(m, buf, sizeof(buf), NULL, NULL, 5000), 5);
	/* unknown id, no address: ENOENT (FreeBSD) */
	expect_err(send_info(cl, "x", 1, 0, 0, 999999, 0), ENOENT);
	/* ABORT on a non-existing association: ENOENT */
	expect_err(send_info(cl, NULL, 0, 0, 0, 999999, DPSCTP_ABORT), ENOENT);
	dpsctp_close(cl);
	dpsctp_close(m);
}

Test(api_data, one_to_many_eof_abort_and_sendall)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c[3], i;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_rcvinfo ri;
	dpsctp_assoc_t ids[3];
	char buf[32];
	union dpsctp_notification n;

	set_int(m, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	for (i = 0; i < 3; i++) {
		c[i] = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
		subscribe(c[i], DPSCTP_ASSOC_CHANGE);
		cr_assert_eq(dpsctp_connect(c[i], (struct sockaddr *)&to, sizeof(to)), 0);
		cr_assert_eq(dpsctp_send(c[i], "id?", 3, 0), 3);
		cr_assert_eq(recv_whole(m, buf, sizeof(buf), &ri, NULL, 5000), 3);
		ids[i] = ri.rcv_assoc_id;
		cr_assert(wait_notification(c[i], DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, NULL, 0, 5000));
	}
	/* SENDALL: one message to every association */
	cr_expect_eq(send_info(m, "all", 3, 0, 0, 0, DPSCTP_SENDALL), 3);
	for (i = 0; i < 3; i++)
		cr_expect_eq(recv_whole(c[i], buf, sizeof(buf), NULL, NULL, 5000), 3);
	/* EOF with no data: graceful shutdown of one association */
	cr_expect_eq(send_info(m, NULL, 0, 0, 0, ids[0], DPSCTP_EOF), 0);
	cr_expect(wait_notification(c[0], DPSCTP_ASSOC_CHANGE, DPSCTP_SHUTDOWN_COMP, NULL, 0, 5000));
	/* ABORT with a reason: the peer's COMM_LOST carries the ABORT chunk */
	ssize_t rc = send_info(m, "bye", 3, 0, 0, ids[1], DPSCTP_ABORT);
	cr_expect(rc == 0 || rc == 3, "sendv with DPSCTP_ABORT: %zd (%s)", rc, strerror(errno));
	cr_expect(wait_notification(c[1], DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_LOST, &n, sizeof(n), 5000));
	/* the third is untouched */
	cr_expect_eq(send_info(m, "still", 5, 0, 0, ids[2], 0), 5);
	cr_expect_eq(recv_whole(c[2], buf, sizeof(buf), NULL, NULL, 5000), 5);
	for (i = 0; i < 3; i++)
		dpsctp_close(c[i]);
	dpsctp_close(m);
}

Test(api_data, sendmsg_recvmsg_with_control_messages)
{
	int c, s;
	char buf[64];
	union {
		char b[CMSG_SPACE(sizeof(struct dpsctp_sndinfo)) +
		       CMSG_SPACE(sizeof(struct dpsctp_prinfo))];
		struct cmsghdr align;
	} sc;
	union {
		char b[CMSG_SPACE(sizeof(struct dpsctp_rcvinfo)) +
		       CMSG_SPACE(sizeof(struct dpsctp_nxtinfo))];
		struct cmsghdr align;
	} rc;
	struct iovec iov = {.iov_base = "cmsg", .iov_len = 4};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = sc.b,
		.msg_controllen = sizeof(sc.b)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	struct dpsctp_sndinfo si = {.snd_sid = 9, .snd_ppid = 1234};
	struct dpsctp_prinfo pr = {.pr_policy = DPSCTP_PR_SCTP_NONE};
	int got_rcv = 0;

	pair64(&c, &s);
	h->cmsg_level = IPPROTO_SCTP;
	h->cmsg_type = DPSCTP_SNDINFO;
	h->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(h), &si, sizeof(si));
	h = CMSG_NXTHDR(&m, h);
	h->cmsg_level = IPPROTO_SCTP;
	h->cmsg_type = DPSCTP_PRINFO;
	h->cmsg_len = CMSG_LEN(sizeof(pr));
	memcpy(CMSG_DATA(h), &pr, sizeof(pr));
	cr_assert_eq(dpsctp_sendmsg(c, &m, 0), 4, "%s", strerror(errno));

	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	m = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1, .msg_control = rc.b,
		.msg_controllen = sizeof(rc.b)};
	cr_assert(readable(s, 5000));
	cr_assert_eq(dpsctp_recvmsg(s, &m, 0), 4);
	cr_expect(m.msg_flags & MSG_EOR);
	for (h = CMSG_FIRSTHDR(&m); h != NULL; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level == IPPROTO_SCTP && h->cmsg_type == DPSCTP_RCVINFO) {
			struct dpsctp_rcvinfo ri;

			memcpy(&ri, CMSG_DATA(h), sizeof(ri));
			cr_expect_eq(ri.rcv_sid, 9);
			cr_expect_eq(ri.rcv_ppid, 1234);
			got_rcv = 1;
		}
	}
	cr_expect(got_rcv, "a DPSCTP_RCVINFO control message");
	/* a control message too short for its type: EINVAL (Solaris: control message length) */
	m = (struct msghdr){.msg_iov = &iov, .msg_iovlen = 1, .msg_control = sc.b,
		.msg_controllen = CMSG_SPACE(2)};
	h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = IPPROTO_SCTP;
	h->cmsg_type = DPSCTP_SNDINFO;
	h->cmsg_len = CMSG_LEN(2);
	iov.iov_len = 1;
	expect_err(dpsctp_sendmsg(c, &m, 0), EINVAL);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, sendmsg_init_cmsg_sets_up_an_implicit_association_with_its_streams)
{
	uint16_t port;
	int m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	int cl = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in to = sin4("127.0.0.1", port);
	union {
		char b[CMSG_SPACE(sizeof(struct dpsctp_initmsg))];
		struct cmsghdr align;
	} cb;
	struct iovec iov = {.iov_base = "init", .iov_len = 4};
	struct msghdr msg = {.msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = sizeof(cb.b)};
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	struct dpsctp_initmsg im = {.sinit_num_ostreams = 10, .sinit_max_instreams = 10};
	union dpsctp_notification n;

	streams64(m);
	subscribe(cl, DPSCTP_ASSOC_CHANGE);
	h->cmsg_level = IPPROTO_SCTP;
	h->cmsg_type = DPSCTP_INIT;
	h->cmsg_len = CMSG_LEN(sizeof(im));
	memcpy(CMSG_DATA(h), &im, sizeof(im));
	cr_assert_eq(dpsctp_sendmsg(cl, &msg, 0), 4, "%s", strerror(errno));
	cr_assert(wait_notification(cl, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, &n, sizeof(n), 5000));
	cr_expect_eq(n.sn_assoc_change.sac_outbound_streams, 10);
	cr_expect_eq(n.sn_assoc_change.sac_inbound_streams, 10, "inbound streams %u: the INIT cmsg's "
		"sinit_max_instreams (RFC 6458 5.3.1)", n.sn_assoc_change.sac_inbound_streams);
	dpsctp_close(cl);
	dpsctp_close(m);
}

Test(api_data, deprecated_sndrcv_with_data_io_event)
{
	int c, s;
	char buf[32];
	struct dpsctp_event_subscribe ev = {.sctp_data_io_event = 1};
	struct dpsctp_sndrcvinfo si;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	int flags = 0;

	pair64(&c, &s);
	set_int(s, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 0);
	cr_assert_eq(dpsctp_setsockopt(s, IPPROTO_SCTP, DPSCTP_EVENTS, &ev, sizeof(ev)), 0);
	/* legacy send with stream, ppid, context */
	cr_assert_eq(dpsctp_sctp_sendmsg(c, "legacy", 6, NULL, 0, htonl(5), 0, 12, 0, 99), 6);
	cr_assert(readable(s, 5000));
	memset(&si, 0, sizeof(si));
	cr_assert_eq(dpsctp_sctp_recvmsg(s, buf, sizeof(buf), (struct sockaddr *)&from, &flen, &si,
			     &flags), 6);
	cr_expect(flags & MSG_EOR);
	cr_expect_eq(si.sinfo_stream, 12);
	cr_expect_eq(si.sinfo_ppid, htonl(5));
	cr_expect_eq(from.sin_family, AF_INET);
	cr_expect_eq(ntohs(from.sin_port), local_port(c));
	/* sctp_send with a sndrcvinfo */
	si = (struct dpsctp_sndrcvinfo){.sinfo_stream = 3, .sinfo_ppid = 8};
	cr_assert_eq(dpsctp_sctp_send(c, "send", 4, &si, 0), 4);
	memset(&si, 0, sizeof(si));
	cr_assert(readable(s, 5000));
	cr_assert_eq(dpsctp_sctp_recvmsg(s, buf, sizeof(buf), NULL, NULL, &si, &flags), 4);
	cr_expect_eq(si.sinfo_stream, 3);
	cr_expect_eq(si.sinfo_ppid, 8);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, explicit_eor_sends_a_message_in_pieces)
{
	int c, s;
	char buf[64];
	struct dpsctp_sndinfo si = {0};
	struct iovec iov;
	int flags = 0;

	pair4(&c, &s, NULL);
	set_int(c, IPPROTO_SCTP, DPSCTP_EXPLICIT_EOR, 1);
	iov = (struct iovec){"part1-", 6};
	cr_assert_eq(dpsctp_sendv(c, &iov, 1, NULL, 0, &si, sizeof(si), DPSCTP_SENDV_SNDINFO, 0), 6);
	iov = (struct iovec){"part2-", 6};
	cr_assert_eq(dpsctp_sendv(c, &iov, 1, NULL, 0, &si, sizeof(si), DPSCTP_SENDV_SNDINFO, 0), 6);
	iov = (struct iovec){"end", 3};
	si.snd_flags = DPSCTP_EOR;
	cr_assert_eq(dpsctp_sendv(c, &iov, 1, NULL, 0, &si, sizeof(si), DPSCTP_SENDV_SNDINFO, 0), 3);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), NULL, &flags, 5000), 15);
	cr_expect(flags & MSG_EOR);
	cr_expect_eq(memcmp(buf, "part1-part2-end", 15), 0);
	/* MSG_EOR as the send flag does the same */
	cr_assert_eq(dpsctp_send(c, "a", 1, 0), 1);
	cr_assert_eq(dpsctp_send(c, "b", 1, MSG_EOR), 1);
	cr_assert_eq(recv_whole(s, buf, sizeof(buf), NULL, &flags, 5000), 2);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, message_larger_than_sndbuf_is_emsgsize)
{
	int c, s;
	int sndbuf = 65536;
	static char big[65537];

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	expect_err(dpsctp_send(c, big, sizeof(big), 0), EMSGSIZE);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, disable_fragments_refuses_a_message_above_the_fragmentation_point)
{
	int c, s;
	static char big[200000];
	struct dpsctp_status st = {0};
	socklen_t len = sizeof(st);

	pair4(&c, &s, NULL);
	set_int(c, IPPROTO_SCTP, DPSCTP_DISABLE_FRAGMENTS, 1);
	cr_assert_eq(dpsctp_getsockopt(c, IPPROTO_SCTP, DPSCTP_STATUS, &st, &len), 0);
	cr_assert_gt(st.sstat_fragmentation_point, 0);
	cr_assert_lt(st.sstat_fragmentation_point, sizeof(big));
	/* RFC 6458 8.1.5: a message above the PMTU is not sent, an error is indicated */
	expect_err(dpsctp_send(c, big, st.sstat_fragmentation_point + 1, 0), EMSGSIZE);
	cr_expect_eq(dpsctp_send(c, big, 500, 0), 500);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, zero_length_without_eof_or_abort_is_einval)
{
	int c, s;
	struct iovec iov = {.iov_base = "", .iov_len = 0};

	pair4(&c, &s, NULL);
	expect_err(dpsctp_sendv(c, &iov, 1, NULL, 0, NULL, 0, DPSCTP_SENDV_NOINFO, 0), EINVAL);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_data, send_after_peer_abort_is_econnreset)
{
	int c, s;
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	char buf[8];

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	dpsctp_close(s);
	/* the ABORT arrives: the association is gone */
	cr_assert(readable(c, 5000));
	errno = 0;
	ssize_t n = dpsctp_recv(c, buf, sizeof(buf), 0);
	cr_expect(n == 0 || (n == -1 && errno == ECONNRESET), "recv after ABORT: %zd %s", n,
		strerror(errno));
	usleep(100000);
	errno = 0;
	n = dpsctp_send(c, "x", 1, 0);
	cr_expect_eq(n, -1);
	cr_expect(errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN,
		"send after ABORT: %s", strerror(errno));
	dpsctp_close(c);
}

Test(api_data, thousands_of_messages_arrive_in_order_per_stream)
{
	int c, s;
	uint32_t next[4] = {0};
	char buf[64];
	struct dpsctp_rcvinfo ri;
	int bad = 0;

	pair64(&c, &s);
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t v = i / 4;

		cr_assert_eq(send_info(c, &v, sizeof(v), (uint16_t)(i % 4), 0, 0, 0), 4, "%u: %s", i,
			strerror(errno));
		/* drain as we go: the receive window is bounded */
		while (readable(s, 0)) {
			cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, NULL, 1000), 4);
			memcpy(&v, buf, 4);
			bad += v != next[ri.rcv_sid]++;
		}
	}
	while (next[0] + next[1] + next[2] + next[3] < 20000) {
		uint32_t v;

		cr_assert_eq(recv_whole(s, buf, sizeof(buf), &ri, NULL, 5000), 4);
		memcpy(&v, buf, 4);
		bad += v != next[ri.rcv_sid]++;
	}
	cr_expect_eq(bad, 0);
	dpsctp_close(c);
	dpsctp_close(s);
}
