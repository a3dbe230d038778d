/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the API conformance tests (tests/api/test_api_*.c). Every test runs against the
 * dpsctpd that api_with_daemon started (DPSCTP_SOCKET); a test run without it is skipped.
 * Servers bind port 0 (an ephemeral port) and learn it with dpsctp_getsockname(), so tests never
 * collide on ports even when an endpoint of an earlier test is still closing.
 */
#ifndef DPSCTP_TESTS_API_APITEST_H
#define DPSCTP_TESTS_API_APITEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <dpsctp/dpsctp.h>

/** Suite init: skip unless a daemon was started for us. */
static inline void
apitest_need_daemon(void)
{
	if (getenv("DPSCTP_SOCKET") == NULL)
		cr_skip_test("DPSCTP_SOCKET not set: run under api_with_daemon (meson test --suite api)");
}

/** errno-checking assertion: @p expr must return -1 with errno @p err. */
#define expect_err(expr, err)                                                                 \
	do {                                                                                   \
		errno = 0;                                                                     \
		long rc_ = (long)(expr);                                                       \
		int e_ = errno;                                                                \
		cr_expect_eq(rc_, -1, "%s returned %ld, expected -1 (%s)", #expr, rc_, #err);  \
		cr_expect_eq(e_, (err), "%s: errno %d (%s), expected %s", #expr, e_,           \
			strerror(e_), #err);                                                   \
	} while (0)

/** @p expr must succeed (>= 0). */
#define expect_ok(expr)                                                                        \
	({                                                                                     \
		errno = 0;                                                                     \
		long rc_ = (long)(expr);                                                       \
		cr_assert_geq(rc_, 0, "%s failed: %s", #expr, strerror(errno));               \
		rc_;                                                                           \
	})

static inline struct sockaddr_in
sin4(const char *a, uint16_t port)
{
	struct sockaddr_in s = {.sin_family = AF_INET, .sin_port = htons(port)};

	cr_assert_eq(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return s;
}

static inline struct sockaddr_in6
sin6(const char *a, uint16_t port)
{
	struct sockaddr_in6 s = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

	cr_assert_eq(inet_pton(AF_INET6, a, &s.sin6_addr), 1);
	return s;
}

/** The port a socket is bound to. */
static inline uint16_t
local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	cr_assert_eq(dpsctp_getsockname(fd, (struct sockaddr *)&ss, &len), 0, "getsockname: %s",
		strerror(errno));
	return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port) :
					 ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/** A socket of @p type bound to @p addr (IPv4) port 0 and listening. */
static inline int
listener4(int type, const char *addr, uint16_t *port)
{
	int fd = dpsctp_socket(AF_INET, type, IPPROTO_SCTP);
	struct sockaddr_in a = sin4(addr, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0, "bind: %s",
		strerror(errno));
	cr_assert_eq(dpsctp_listen(fd, 8), 0, "listen: %s", strerror(errno));
	*port = local_port(fd);
	cr_assert_neq(*port, 0);
	return fd;
}

/** Subscribe @p fd to notification @p type (for future associations and current ones). */
static inline void
subscribe(int fd, uint16_t type)
{
	struct dpsctp_event ev = {.se_assoc_id = DPSCTP_ALL_ASSOC, .se_type = type, .se_on = 1};
	int type_of = 0;
	socklen_t len = sizeof(type_of);

	/* on a one-to-one socket the id is ignored; on one-to-many use FUTURE for a fresh one */
	if (dpsctp_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type_of, &len) == 0 &&
		type_of == SOCK_STREAM)
		ev.se_assoc_id = DPSCTP_FUTURE_ASSOC;
	cr_assert_eq(dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), 0,
		"SCTP_EVENT %u: %s", type, strerror(errno));
}

static inline void
set_int(int fd, int level, int name, int v)
{
	cr_assert_eq(dpsctp_setsockopt(fd, level, name, &v, sizeof(v)), 0, "setsockopt %d/%d: %s",
		level, name, strerror(errno));
}

/** A connected one-to-one pair over 127.0.0.1: client @p *c, accepted server socket @p *s. */
static inline void
pair4(int *c, int *s, int *l)
{
	uint16_t port;
	int lfd = listener4(SOCK_STREAM, "127.0.0.1", &port);
	struct sockaddr_in to = sin4("127.0.0.1", port);

	*c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	cr_assert_geq(*c, 0);
	cr_assert_eq(dpsctp_connect(*c, (struct sockaddr *)&to, sizeof(to)), 0, "connect: %s",
		strerror(errno));
	*s = dpsctp_accept(lfd, NULL, NULL);
	cr_assert_geq(*s, 0, "accept: %s", strerror(errno));
	if (l != NULL)
		*l = lfd;
	else
		dpsctp_close(lfd);
}

/** Wait until @p fd is readable (dpsctp_poll). */
static inline bool
readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return dpsctp_poll(&p, 1, ms) == 1 && (p.revents & (POLLIN | POLLERR | POLLHUP));
}

/**
 * Receive one whole message or notification (MSG_EOR) within @p ms into @p buf; @p info and
 * @p flags as dpsctp_recvv. @return its length or -1 (timeout: errno ETIMEDOUT).
 */
static inline ssize_t
recv_whole(int fd, void *buf, size_t cap, struct dpsctp_rcvinfo *info, int *flags, int ms)
{
	size_t tot = 0;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (flags != NULL)
		*flags = 0;
	for (;;) {
		struct iovec iov = {.iov_base = (char *)buf + tot, .iov_len = cap - tot};
		struct dpsctp_rcvinfo ri;
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int fl = 0;
		ssize_t n;

		if (!readable(fd, ms)) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = dpsctp_recvv(fd, &iov, 1, NULL, NULL, &ri, &il, &it, &fl);
		if (n <= 0)
			return n;
		if (info != NULL && it == DPSCTP_RECVV_RCVINFO)
			*info = ri;
		tot += (size_t)n;
		if (flags != NULL)
			*flags = fl;
		if ((fl & MSG_EOR) || tot == cap)
			return (ssize_t)tot;
	}
}

/**
 * Read until a notification of @p type (and @p state for ASSOC_CHANGE / PEER_ADDR_CHANGE, 0:
 * any) comes, skipping data and other notifications, within @p ms. Copies it to @p out (may be
 * NULL). @return true when found.
 */
static inline bool
wait_notification(int fd, uint16_t type, uint32_t state, void *out, size_t outcap, int ms)
{
	static char buf[1 << 17];
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int flags = 0;
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		n = recv_whole(fd, buf, sizeof(buf), NULL, &flags, (int)left);
		if (n <= 0)
			return false;
		if (!(flags & DPSCTP_MSG_NOTIFICATION))
			continue;
		const union dpsctp_notification *sn = (const void *)buf;
		if (sn->sn_header.sn_type != type)
			continue;
		if (state != 0 && type == DPSCTP_ASSOC_CHANGE && sn->sn_assoc_change.sac_state != state)
			continue;
		if (state != 0 && type == DPSCTP_PEER_ADDR_CHANGE &&
			sn->sn_paddr_change.spc_state != state)
			continue;
		if (out != NULL)
			memcpy(out, buf, (size_t)n < outcap ? (size_t)n : outcap);
		return true;
	}
}

/** Send @p len bytes of @p buf with SNDINFO (stream @p sid, ppid, assoc id). */
static inline ssize_t
send_info(int fd, const void *buf, size_t len, uint16_t sid, uint32_t ppid, dpsctp_assoc_t id,
	uint16_t flags)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct dpsctp_sndinfo si = {.snd_sid = sid, .snd_flags = flags, .snd_ppid = ppid,
		.snd_assoc_id = id};

	return dpsctp_sendv(fd, &iov, 1, NULL, 0, &si, sizeof(si), DPSCTP_SENDV_SNDINFO, 0);
}

/** A descriptor that is open but not a dpsctp socket (ENOTSOCK), and one that is not open (EBADF). */
static inline int
not_a_socket(void)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	close(p[1]);
	return p[0];
}

#endif
