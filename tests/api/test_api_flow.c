/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive flow control end to end (shm.h DPSCTP_OP_CONSUMED): an application that does not read
 * closes its peer's window, so what the peer manages to send is bounded by the windows and
 * buffers on the way (SO_RCVBUF of the receiver, SO_SNDBUF of the sender: the library's credit,
 * the worker's parking and the engine's send buffer), never the 4 MB it wants to send; once the
 * receiver reads, the window reopens (window update SACK, RFC 9260 6.2) and everything arrives
 * intact and in order. Also: a slow reader never deadlocks, and a peeled-off association takes
 * its unread data and its count of bytes to report with it.
 */
#include <pthread.h>

#include "apitest.h"

TestSuite(api_flow, .init = apitest_need_daemon, .timeout = 120);

#define TOTAL (4u << 20) /* what the sender wants to send */
#define MSG (16u << 10)  /* per message */
#define STALL_MS 700     /* no progress this long: the sender is flow-controlled */

/* The byte at stream offset @p i: not periodic in the message size, so a lost, duplicated or
 * reordered message shows. */
static inline uint8_t
pat(size_t i)
{
	return (uint8_t)(i * 131u + (i >> 14) * 7u + 1u);
}

static void
fill(uint8_t *b, size_t off, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		b[k] = pat(off + k);
}

static void
check(const uint8_t *b, size_t off, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (b[k] != pat(off + k))
			cr_assert_fail("byte %zu: %u, expected %u", off + k, b[k], pat(off + k));
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
nonblock(int fd)
{
	int fl = dpsctp_fcntl(fd, F_GETFL);

	cr_assert_geq(fl, 0);
	cr_assert_eq(dpsctp_fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
}

static int
get_int(int fd, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	cr_assert_eq(dpsctp_getsockopt(fd, level, name, &v, &len), 0, "getsockopt %d/%d: %s", level,
		name, strerror(errno));
	return v;
}

/* Send from offset @p *sent (non-blocking) until no progress for STALL_MS. */
static void
send_until_stalled(int c, size_t *sent)
{
	uint8_t buf[MSG];
	uint64_t last = now_ms();

	while (*sent < TOTAL && now_ms() - last < STALL_MS) {
		size_t n = TOTAL - *sent < MSG ? TOTAL - *sent : MSG;
		ssize_t rc;

		fill(buf, *sent, n);
		rc = dpsctp_send(c, buf, n, 0);
		if (rc < 0) {
			cr_assert(errno == EAGAIN || errno == EWOULDBLOCK, "send: %s",
				strerror(errno));
			usleep(2000);
			continue;
		}
		cr_assert_eq((size_t)rc, n);
		*sent += n;
		last = now_ms();
	}
}

/*
 * Alternate non-blocking sends on @p c and reads on @p s until the receiver has @p TOTAL bytes
 * (from offset @p got): the sender only gets room as the receiver reads.
 */
static void
pump(int c, int s, size_t sent, size_t got)
{
	uint8_t sbuf[MSG], rbuf[7000]; /* reads not aligned on messages */
	uint64_t deadline = now_ms() + 90000;

	while (got < TOTAL) {
		bool moved = false;
		ssize_t rc;
		int flags = 0;

		cr_assert_lt(now_ms(), deadline, "stuck: sent %zu, received %zu", sent, got);
		while (sent < TOTAL) {
			size_t n = TOTAL - sent < MSG ? TOTAL - sent : MSG;

			fill(sbuf, sent, n);
			rc = dpsctp_send(c, sbuf, n, 0);
			if (rc < 0) {
				cr_assert(errno == EAGAIN, "send: %s", strerror(errno));
				break;
			}
			cr_assert_eq((size_t)rc, n);
			sent += n;
			moved = true;
		}
		for (;;) {
			struct iovec iov = {rbuf, sizeof(rbuf)};

			flags = 0;
			rc = dpsctp_recvv(s, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags);
			if (rc < 0) {
				cr_assert(errno == EAGAIN, "recv: %s", strerror(errno));
				break;
			}
			cr_assert_gt(rc, 0, "end of stream after %zu bytes", got);
			if (flags & DPSCTP_MSG_NOTIFICATION)
				continue;
			cr_assert_leq(got + (size_t)rc, TOTAL);
			check(rbuf, got, (size_t)rc);
			got += (size_t)rc;
			moved = true;
		}
		if (!moved) {
			struct pollfd p[2] = {
				{.fd = s, .events = POLLIN}, {.fd = c, .events = POLLOUT}};

			(void)dpsctp_poll(p, 2, 50);
		}
	}
	cr_expect_eq(sent, TOTAL);
}

/* The bound of what a sender may have sent to a receiver that reads nothing. */
static void
expect_bounded(size_t sent, int rcvbuf, int sndbuf)
{
	size_t window = (size_t)rcvbuf + (size_t)sndbuf;

	cr_log_info(
		"sent %zu before the window closed (rcvbuf %d, sndbuf %d)", sent, rcvbuf, sndbuf);
	cr_expect_lt(sent, TOTAL, "the sender was never flow-controlled");
	cr_expect_lt(sent, 4 * window, "sent %zu: more than 4 x (rcvbuf + sndbuf) = %zu", sent,
		4 * window);
	/* the window itself was used: the stall is flow control, not a stuck association */
	cr_expect_geq(sent, (size_t)rcvbuf / 2, "sent only %zu", sent);
}

Test(api_flow, nonreader_stalls_sender_then_everything_arrives)
{
	int c, s;
	size_t sent = 0;
	int rcvbuf, sndbuf;

	pair4(&c, &s, NULL);
	nonblock(c);
	nonblock(s);
	rcvbuf = get_int(s, SOL_SOCKET, SO_RCVBUF);
	sndbuf = get_int(c, SOL_SOCKET, SO_SNDBUF);
	send_until_stalled(c, &sent);
	expect_bounded(sent, rcvbuf, sndbuf);
	/* still stalled a while later: nothing reopened the window behind our back */
	{
		size_t again = sent;

		send_until_stalled(c, &again);
		cr_expect_lt(
			again - sent, (size_t)rcvbuf, "the sender went on: %zu more", again - sent);
		sent = again;
	}
	pump(c, s, sent, 0);
	dpsctp_close(c);
	dpsctp_close(s);
}

Test(api_flow, smaller_rcvbuf_bounds_the_sender_lower)
{
	uint16_t port;
	int l = listener4(SOCK_STREAM, "127.0.0.1", &port), c, s;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	size_t sent = 0;
	int sndbuf;

	/* the listener's SO_RCVBUF is the window of the associations it accepts */
	set_int(l, SOL_SOCKET, SO_RCVBUF, 32768);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	set_int(c, SOL_SOCKET, SO_SNDBUF, 65536);
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0, "connect: %s",
		strerror(errno));
	s = expect_ok(dpsctp_accept(l, NULL, NULL));
	nonblock(c);
	nonblock(s);
	sndbuf = get_int(c, SOL_SOCKET, SO_SNDBUF);
	send_until_stalled(c, &sent);
	expect_bounded(sent, 32768, sndbuf);
	pump(c, s, sent, 0);
	dpsctp_close(c);
	dpsctp_close(s);
	dpsctp_close(l);
}

struct sender {
	int fd;
	size_t sent;
	int err;
};

static void *
blocking_sender(void *arg)
{
	struct sender *sd = arg;
	uint8_t buf[MSG];

	while (sd->sent < TOTAL) {
		size_t n = TOTAL - sd->sent < MSG ? TOTAL - sd->sent : MSG;
		ssize_t rc;

		fill(buf, sd->sent, n);
		rc = dpsctp_send(sd->fd, buf, n, 0);
		if (rc != (ssize_t)n) {
			sd->err = rc < 0 ? errno : EIO;
			break;
		}
		sd->sent += n;
	}
	return NULL;
}

Test(api_flow, slow_blocking_reader_does_not_deadlock)
{
	struct sender sd = {0};
	pthread_t t;
	uint8_t buf[1000];
	size_t got = 0;
	unsigned int reads = 0;
	int s;

	pair4(&sd.fd, &s, NULL);
	cr_assert_eq(pthread_create(&t, NULL, blocking_sender, &sd), 0);
	/* small blocking reads, with pauses: the window opens a little at a time */
	while (got < TOTAL) {
		ssize_t rc = dpsctp_recv(s, buf, sizeof(buf), 0);

		cr_assert_gt(rc, 0, "recv after %zu bytes: %zd %s", got, rc, strerror(errno));
		check(buf, got, (size_t)rc);
		got += (size_t)rc;
		if (++reads % 32 == 0)
			usleep(2000);
	}
	pthread_join(t, NULL);
	cr_expect_eq(sd.err, 0, "sender: %s", strerror(sd.err));
	cr_expect_eq(sd.sent, TOTAL);
	dpsctp_close(sd.fd);
	dpsctp_close(s);
}

Test(api_flow, peeled_off_association_keeps_its_unread_data_and_window)
{
	uint16_t port;
	int l = listener4(SOCK_SEQPACKET, "127.0.0.1", &port), c, p;
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct dpsctp_rcvinfo ri;
	uint8_t buf[MSG];
	size_t sent = 0, got = 0;
	dpsctp_assoc_t id = 0;
	int rcvbuf, sndbuf;

	set_int(l, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, 1);
	c = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	cr_assert_eq(dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)), 0, "connect: %s",
		strerror(errno));
	nonblock(c);
	rcvbuf = get_int(l, SOL_SOCKET, SO_RCVBUF);
	sndbuf = get_int(c, SOL_SOCKET, SO_SNDBUF);
	send_until_stalled(c, &sent);
	expect_bounded(sent, rcvbuf, sndbuf);
	/* one message on the one-to-many socket names the association */
	while (id == 0) {
		struct iovec iov = {buf, sizeof(buf)};
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int flags = 0;
		ssize_t rc = dpsctp_recvv(l, &iov, 1, NULL, NULL, &ri, &il, &it, &flags);

		cr_assert_gt(rc, 0, "recvv: %s", strerror(errno));
		if (flags & DPSCTP_MSG_NOTIFICATION)
			continue;
		cr_assert_eq(it, DPSCTP_RECVV_RCVINFO);
		check(buf, got, (size_t)rc);
		got += (size_t)rc;
		id = ri.rcv_assoc_id;
	}
	/* the rest of the queue moves with it; reading there reopens the window */
	p = expect_ok(dpsctp_peeloff(l, id));
	nonblock(p);
	pump(c, p, sent, got);
	dpsctp_close(c);
	dpsctp_close(p);
	dpsctp_close(l);
}

Test(api_flow, closing_an_unread_socket_lets_the_peer_finish)
{
	int c, s;
	size_t sent = 0;
	uint64_t deadline;
	int fl;

	pair4(&c, &s, NULL);
	nonblock(c);
	send_until_stalled(c, &sent);
	cr_assert_lt(sent, TOTAL);
	/* the receiver goes away without reading: its queued data counts as read, the window
	 * reopens and the peer's buffered data drains into the discard, then the association ends
	 * gracefully (the sender sees end of stream, not a reset) */
	dpsctp_close(s);
	fl = dpsctp_fcntl(c, F_GETFL);
	cr_assert_eq(dpsctp_fcntl(c, F_SETFL, fl & ~O_NONBLOCK), 0);
	deadline = now_ms() + 30000;
	for (;;) {
		char b[64];
		ssize_t rc = dpsctp_recv(c, b, sizeof(b), MSG_DONTWAIT);

		if (rc == 0)
			break;
		cr_assert(rc < 0 && errno == EAGAIN, "recv: %zd %s", rc, strerror(errno));
		cr_assert_lt(now_ms(), deadline, "the association did not end after close");
		usleep(10000);
	}
	dpsctp_close(c);
}
