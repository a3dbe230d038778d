/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Blocking and non-blocking behaviour (EAGAIN / EWOULDBLOCK, EINPROGRESS, EALREADY), dpsctp_poll,
 * epoll on the socket descriptor, busy polling, and a socket used from several threads at once
 * (a sender and a receiver thread, as the reference echo client does).
 */
#include <pthread.h>
#include <sys/epoll.h>

#include "apitest.h"

TestSuite(api_nonblock, .init = apitest_need_daemon, .timeout = 60);

static void
nonblock(int fd)
{
	int fl = dpsctp_fcntl(fd, F_GETFL);

	cr_assert_geq(fl, 0);
	cr_assert_eq(dpsctp_fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	cr_assert(dpsctp_fcntl(fd, F_GETFL) & O_NONBLOCK);
}

Test(api_nonblock, recv_and_accept_would_block)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c, s;
	char buf[8];

	nonblock(l);
	expect_err(dpsctp_accept(l, NULL, NULL), EAGAIN);
	pair4(&c, &s, NULL);
	nonblock(s);
	expect_err(dpsctp_recv(s, buf, sizeof(buf), 0), EAGAIN);
	/* MSG_DONTWAIT on a blocking socket */
	expect_err(dpsctp_recv(c, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

Test(api_nonblock, socket_nonblock_flag_at_creation)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP));

	cr_expect(dpsctp_fcntl(fd, F_GETFL) & O_NONBLOCK);
	dpsctp_close(fd);
}

Test(api_nonblock, connect_in_progress_then_already_then_pollout)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct pollfd p;
	int err = -1, rc;
	socklen_t len = sizeof(err);

	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP));
	expect_err(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), EINPROGRESS);
	errno = 0;
	rc = dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to));
	/* still in progress: EALREADY; already up (local delivery is fast): EISCONN */
	cr_expect(rc == -1 && (errno == EALREADY || errno == EISCONN), "second connect: %d %s", rc,
		strerror(errno));
	p = (struct pollfd){.fd = c, .events = POLLOUT};
	cr_assert_eq(dpsctp_poll(&p, 1, 5000), 1);
	cr_expect(p.revents & POLLOUT);
	cr_expect_eq(dpsctp_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	cr_expect_eq(err, 0);
	cr_expect_eq(dpsctp_send(c, "x", 1, 0), 1);
	dpsctp_close(c);
	dpsctp_close(l);
}

Test(api_nonblock, nonblocking_connect_to_closed_port_reports_econnrefused)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct pollfd p;
	int err = 0;
	socklen_t len = sizeof(err);

	dpsctp_close(l);
	usleep(300000);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP));
	expect_err(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), EINPROGRESS);
	p = (struct pollfd){.fd = c, .events = POLLOUT};
	cr_assert_eq(dpsctp_poll(&p, 1, 5000), 1);
	cr_expect(p.revents & (POLLERR | POLLHUP | POLLOUT));
	cr_expect_eq(dpsctp_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	cr_expect_eq(err, ECONNREFUSED);
	dpsctp_close(c);
}

Test(api_nonblock, send_without_credit_is_eagain)
{
	int c, s, sndbuf = 16384, n = 0;
	static char msg[4096];
	ssize_t r;

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	/* the server does not read: its window fills, then our credit runs out */
	nonblock(c);
	for (n = 0; n < 100000; n++) {
		r = dpsctp_send(c, msg, sizeof(msg), 0);
		if (r < 0)
			break;
	}
	cr_expect_eq(r, -1);
	cr_expect(errno == EAGAIN || errno == EWOULDBLOCK, "%s", strerror(errno));
	cr_expect_gt(n, 0);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_nonblock, poll_mixes_dpsctp_and_ordinary_descriptors)
{
	int c, s, p[2];
	struct pollfd fds[2];

	pair4(&c, &s, NULL);
	cr_assert_eq(pipe(p), 0);
	fds[0] = (struct pollfd){.fd = s, .events = POLLIN};
	fds[1] = (struct pollfd){.fd = p[0], .events = POLLIN};
	cr_expect_eq(dpsctp_poll(fds, 2, 50), 0);
	cr_assert_eq(write(p[1], "x", 1), 1);
	cr_expect_eq(dpsctp_poll(fds, 2, 1000), 1);
	cr_expect(fds[1].revents & POLLIN);
	cr_expect_eq(fds[0].revents, 0);
	char x;
	cr_assert_eq(read(p[0], &x, 1), 1);
	cr_assert_eq(dpsctp_send(c, "y", 1, 0), 1);
	cr_expect_eq(dpsctp_poll(fds, 2, 5000), 1);
	cr_expect(fds[0].revents & POLLIN);
	cr_expect_eq(fds[1].revents, 0);
	fds[0].events = POLLOUT;
	cr_expect_geq(dpsctp_poll(fds, 1, 1000), 1);
	cr_expect(fds[0].revents & POLLOUT, "an established association with credit is writable");
	close(p[0]);
	close(p[1]);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_nonblock, epoll_reports_a_new_association_on_the_listener)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c, ep = epoll_create1(0);
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = l}, got;

	cr_assert_eq(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev), 0);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0);
	cr_expect_eq(epoll_wait(ep, &got, 1, 5000), 1);
	int s = dpsctp_accept(l, NULL, NULL);
	cr_expect_geq(s, 0);
	dpsctp_close(s);
	dpsctp_close(c);
	dpsctp_close(l);
	close(ep);
}

/* ---- threads ---- */

#define NMSG 20000

struct th {
	int fd;
	long n;
	long bad;
};

static void *
sender(void *arg)
{
	struct th *t = arg;

	for (long i = 0; i < NMSG; i++) {
		uint32_t v = (uint32_t)i;

		if (send_info(t->fd, &v, sizeof(v), 0, 0, 0, 0) != sizeof(v)) {
			t->bad++;
			break;
		}
		t->n++;
	}
	return NULL;
}

static void *
receiver(void *arg)
{
	struct th *t = arg;
	char buf[16];

	for (long i = 0; i < NMSG; i++) {
		uint32_t v;

		if (recv_whole(t->fd, buf, sizeof(buf), NULL, NULL, 10000) != 4) {
			t->bad++;
			break;
		}
		memcpy(&v, buf, 4);
		t->bad += v != (uint32_t)i;
		t->n++;
	}
	return NULL;
}

Test(api_nonblock, sender_and_receiver_threads_on_one_socket_both_ways)
{
	int c, s;
	struct th cs = {0}, cr = {0}, ss = {0}, sr = {0};
	pthread_t t[4];

	pair4(&c, &s, NULL);
	cs.fd = cr.fd = c;
	ss.fd = sr.fd = s;
	pthread_create(&t[0], NULL, sender, &cs);
	pthread_create(&t[1], NULL, receiver, &cr);
	pthread_create(&t[2], NULL, sender, &ss);
	pthread_create(&t[3], NULL, receiver, &sr);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cr_expect_eq(cs.n, NMSG);
	cr_expect_eq(ss.n, NMSG);
	cr_expect_eq(cr.n, NMSG);
	cr_expect_eq(sr.n, NMSG);
	cr_expect_eq(cs.bad + cr.bad + ss.bad + sr.bad, 0, "every message once, in order");
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_nonblock, busy_poll_socket_exchanges_messages)
{
	int c, s, on = 1;
	char buf[8];

	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_setsockopt(c, IPPROTO_SCTP, DPSCTP_BUSY_POLL, &on, sizeof(on)), 0);
	cr_assert_eq(dpsctp_setsockopt(s, IPPROTO_SCTP, DPSCTP_BUSY_POLL, &on, sizeof(on)), 0);
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(dpsctp_send(c, "ping", 4, 0), 4);
		cr_assert_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 4);
		cr_assert_eq(dpsctp_send(s, "pong", 4, 0), 4);
		cr_assert_eq(dpsctp_recv(c, buf, sizeof(buf), 0), 4);
	}
	dpsctp_close(c);
	dpsctp_close(s);
}

static int blocked_fd;

static void *
closer(void *arg)
{
	(void)arg;
	usleep(200000);
	/* another thread's shutdown wakes a reader blocked on the socket */
	dpsctp_shutdown(blocked_fd, SHUT_RDWR);
	return NULL;
}

Test(api_nonblock, blocked_recv_returns_when_the_association_ends)
{
	int c, s;
	char buf[8];
	pthread_t t;

	pair4(&c, &s, NULL);
	blocked_fd = c;
	pthread_create(&t, NULL, closer, NULL);
	/* the server shuts down too after the client's shutdown: recv sees the end */
	ssize_t n = dpsctp_recv(s, buf, sizeof(buf), 0);
	cr_expect_eq(n, 0, "end of stream: %zd %s", n, strerror(errno));
	pthread_join(t, NULL);
	dpsctp_close(c);
	dpsctp_close(s);
}
