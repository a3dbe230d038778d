/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Socket lifecycle and the descriptor errors of every call: socket(), close(), the real file
 * descriptor behind each socket, EBADF for a descriptor that is not open, ENOTSOCK for one
 * that is open but is no dpsctp socket (RFC 6458 and the Solaris / FreeBSD pages list both
 * for every function).
 */
#include <sys/epoll.h>
#include <sys/wait.h>

#include "apitest.h"

TestSuite(api_socket, .init = apitest_need_daemon, .timeout = 30);

Test(api_socket, creates_both_styles_and_both_families)
{
	int types[] = {SOCK_STREAM, SOCK_SEQPACKET}, fams[] = {AF_INET, AF_INET6};

	for (int t = 0; t < 2; t++) {
		for (int f = 0; f < 2; f++) {
			int fd = dpsctp_socket(fams[f], types[t], IPPROTO_SCTP);
			int type = -1;
			socklen_t len = sizeof(type);

			cr_assert_geq(fd, 0, "socket(%d, %d): %s", fams[f], types[t], strerror(errno));
			cr_expect_eq(dpsctp_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
			cr_expect_eq(type, types[t]);
			cr_expect_eq(dpsctp_close(fd), 0);
		}
	}
	/* protocol 0 means SCTP too */
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, 0));
	dpsctp_close(fd);
}

Test(api_socket, socket_refuses_bad_domain_protocol_and_type)
{
	expect_err(dpsctp_socket(AF_UNIX, SOCK_STREAM, IPPROTO_SCTP), EAFNOSUPPORT);
	expect_err(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), EPROTONOSUPPORT);
	errno = 0;
	cr_expect_eq(dpsctp_socket(AF_INET, SOCK_DGRAM, IPPROTO_SCTP), -1);
	cr_expect(errno == EINVAL || errno == ESOCKTNOSUPPORT || errno == EPROTONOSUPPORT,
		"SOCK_DGRAM: errno %s", strerror(errno));
}

Test(api_socket, descriptor_is_a_real_fd_usable_with_poll_and_epoll)
{
	int c, s;
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN}, got;
	char buf[16];

	pair4(&c, &s, NULL);
	cr_assert_geq(fcntl(c, F_GETFD), 0, "the socket is an open descriptor");
	ev.data.fd = s;
	cr_assert_eq(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev), 0);
	/* nothing to read yet (no notification subscribed) */
	cr_expect_eq(epoll_wait(ep, &got, 1, 100), 0);
	cr_assert_eq(dpsctp_send(c, "ping", 4, 0), 4);
	cr_assert_eq(epoll_wait(ep, &got, 1, 5000), 1, "epoll: the socket became readable");
	cr_expect_eq(got.data.fd, s);
	cr_expect_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 4);
	/* level-triggered readiness tracks the queue: nothing left */
	cr_expect_eq(epoll_wait(ep, &got, 1, 50), 0);
	close(ep);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_socket, close_twice_is_ebadf)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));

	cr_expect_eq(dpsctp_close(fd), 0);
	expect_err(dpsctp_close(fd), EBADF);
	expect_err(dpsctp_close(-1), EBADF);
}

Test(api_socket, every_call_says_ebadf_for_a_closed_descriptor)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 9);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct sockaddr *addrs;
	char buf[8];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	int v = 1, flags = 0;
	dpsctp_assoc_t id;
	struct dpsctp_rtoinfo rto = {0};
	socklen_t rl = sizeof(rto);

	dpsctp_close(fd);
	expect_err(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), EBADF);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)&a, 1, DPSCTP_BINDX_ADD_ADDR), EBADF);
	expect_err(dpsctp_listen(fd, 1), EBADF);
	expect_err(dpsctp_accept(fd, NULL, NULL), EBADF);
	expect_err(dpsctp_connect(fd, (struct sockaddr *)&a, sizeof(a)), EBADF);
	expect_err(dpsctp_connectx(fd, (struct sockaddr *)&a, 1, &id), EBADF);
	expect_err(dpsctp_peeloff(fd, 3), EBADF);
	expect_err(dpsctp_shutdown(fd, SHUT_RDWR), EBADF);
	expect_err(dpsctp_getpaddrs(fd, 0, &addrs), EBADF);
	expect_err(dpsctp_getladdrs(fd, 0, &addrs), EBADF);
	expect_err(dpsctp_getsockname(fd, (struct sockaddr *)&ss, &len), EBADF);
	expect_err(dpsctp_getpeername(fd, (struct sockaddr *)&ss, &len), EBADF);
	expect_err(dpsctp_sendv(fd, &iov, 1, NULL, 0, NULL, 0, DPSCTP_SENDV_NOINFO, 0), EBADF);
	expect_err(dpsctp_recvv(fd, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags), EBADF);
	expect_err(dpsctp_sendmsg(fd, &m, 0), EBADF);
	expect_err(dpsctp_recvmsg(fd, &m, 0), EBADF);
	expect_err(dpsctp_send(fd, buf, 1, 0), EBADF);
	expect_err(dpsctp_recv(fd, buf, 1, 0), EBADF);
	expect_err(dpsctp_sctp_sendmsg(fd, buf, 1, NULL, 0, 0, 0, 0, 0, 0), EBADF);
	expect_err(dpsctp_sctp_recvmsg(fd, buf, 1, NULL, NULL, NULL, &flags), EBADF);
	expect_err(dpsctp_sctp_send(fd, buf, 1, NULL, 0), EBADF);
	expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_NODELAY, &v, sizeof(v)), EBADF);
	expect_err(dpsctp_getsockopt(fd, IPPROTO_SCTP, DPSCTP_RTOINFO, &rto, &rl), EBADF);
	expect_err(dpsctp_opt_info(fd, 0, DPSCTP_RTOINFO, &rto, &rl), EBADF);
}

Test(api_socket, every_call_says_enotsock_for_another_descriptor)
{
	int fd = not_a_socket();
	struct sockaddr_in a = sin4("127.0.0.1", 9);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct sockaddr *addrs;
	char buf[8];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	int v = 1, flags = 0;
	dpsctp_assoc_t id;
	struct dpsctp_rtoinfo rto = {0};
	socklen_t rl = sizeof(rto);

	expect_err(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)&a, 1, DPSCTP_BINDX_ADD_ADDR), ENOTSOCK);
	expect_err(dpsctp_listen(fd, 1), ENOTSOCK);
	expect_err(dpsctp_accept(fd, NULL, NULL), ENOTSOCK);
	expect_err(dpsctp_connect(fd, (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
	expect_err(dpsctp_connectx(fd, (struct sockaddr *)&a, 1, &id), ENOTSOCK);
	expect_err(dpsctp_peeloff(fd, 3), ENOTSOCK);
	expect_err(dpsctp_shutdown(fd, SHUT_RDWR), ENOTSOCK);
	expect_err(dpsctp_getpaddrs(fd, 0, &addrs), ENOTSOCK);
	expect_err(dpsctp_getladdrs(fd, 0, &addrs), ENOTSOCK);
	expect_err(dpsctp_getsockname(fd, (struct sockaddr *)&ss, &len), ENOTSOCK);
	expect_err(dpsctp_getpeername(fd, (struct sockaddr *)&ss, &len), ENOTSOCK);
	expect_err(dpsctp_sendv(fd, &iov, 1, NULL, 0, NULL, 0, DPSCTP_SENDV_NOINFO, 0), ENOTSOCK);
	expect_err(dpsctp_recvv(fd, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags), ENOTSOCK);
	expect_err(dpsctp_sendmsg(fd, &m, 0), ENOTSOCK);
	expect_err(dpsctp_recvmsg(fd, &m, 0), ENOTSOCK);
	expect_err(dpsctp_send(fd, buf, 1, 0), ENOTSOCK);
	expect_err(dpsctp_recv(fd, buf, 1, 0), ENOTSOCK);
	expect_err(dpsctp_sctp_sendmsg(fd, buf, 1, NULL, 0, 0, 0, 0, 0, 0), ENOTSOCK);
	expect_err(dpsctp_sctp_recvmsg(fd, buf, 1, NULL, NULL, NULL, &flags), ENOTSOCK);
	expect_err(dpsctp_sctp_send(fd, buf, 1, NULL, 0), ENOTSOCK);
	expect_err(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_NODELAY, &v, sizeof(v)), ENOTSOCK);
	expect_err(dpsctp_getsockopt(fd, IPPROTO_SCTP, DPSCTP_RTOINFO, &rto, &rl), ENOTSOCK);
	expect_err(dpsctp_opt_info(fd, 0, DPSCTP_RTOINFO, &rto, &rl), ENOTSOCK);
	expect_err(dpsctp_close(fd), ENOTSOCK);
	close(fd);
}

Test(api_socket, many_sockets_open_and_close)
{
	int fds[64];

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 64; i++)
			fds[i] = expect_ok(dpsctp_socket(i % 2 ? AF_INET6 : AF_INET,
				i % 3 ? SOCK_SEQPACKET : SOCK_STREAM, IPPROTO_SCTP));
		for (int i = 0; i < 64; i++)
			cr_expect_eq(dpsctp_close(fds[i]), 0);
	}
}

Test(api_socket, attach_to_a_missing_daemon_fails_cleanly)
{
	/* dpsctp_attach() while attached to a live daemon does nothing; a new process is needed */
	pid_t pid = fork();

	if (pid == 0) {
		int rc = dpsctp_attach("/tmp/dpsctp-no-such-daemon.sock");

		_exit(rc == -1 && (errno == ENOENT || errno == ECONNREFUSED) ? 0 : 1);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		"dpsctp_attach(missing path): -1 with ENOENT or ECONNREFUSED");
}

/*
 * fork(): an attached process forks; in the child the inherited socket fails with ECONNRESET
 * (it belongs to the parent's session) and only closes, while a new socket attaches a session
 * of the child's own and talks to the parent through the daemon.
 */
Test(api_socket, a_forked_child_attaches_anew_and_its_inherited_sockets_are_reset)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), status, s;
	char buf[16];
	pid_t pid;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct sockaddr_in to = sin4("127.0.0.1", port);
		int c;

		if (dpsctp_send(l, "x", 1, 0) != -1 || errno != ECONNRESET)
			_exit(2);
		if (dpsctp_close(l) != 0)
			_exit(3);
		c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
		if (c < 0 || dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)) != 0)
			_exit(4);
		if (dpsctp_send(c, "from the child", 14, 0) != 14)
			_exit(5);
		if (dpsctp_recv(c, buf, sizeof(buf), 0) != 2)
			_exit(6);
		dpsctp_close(c);
		_exit(0);
	}
	s = dpsctp_accept(l, NULL, NULL);
	cr_assert_geq(s, 0, "accept of the child's association: %s", strerror(errno));
	cr_expect_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 14);
	cr_expect_eq(dpsctp_send(s, "ok", 2, 0), 2);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	dpsctp_close(s);
	dpsctp_close(l);
}
