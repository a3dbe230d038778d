/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bind, bindx (RFC 6458 9.1, Solaris sctp_bindx), getladdrs / freeladdrs (9.5), getsockname.
 * The daemon owns 198.18.169.1 (a net_null port), 127.0.0.1, 127.0.0.2 and ::1.
 */
#include "apitest.h"

TestSuite(api_bind, .init = apitest_need_daemon, .timeout = 30);

static int
ladd_count(int fd)
{
	struct sockaddr *addrs = NULL;
	int n = dpsctp_getladdrs(fd, 0, &addrs);

	dpsctp_freeladdrs(addrs);
	return n;
}

Test(api_bind, bind_port_zero_gets_an_ephemeral_port)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0), got;
	socklen_t len = sizeof(got);

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0, "%s", strerror(errno));
	cr_assert_eq(dpsctp_getsockname(fd, (struct sockaddr *)&got, &len), 0);
	cr_expect_eq(got.sin_family, AF_INET);
	cr_expect_eq(got.sin_addr.s_addr, a.sin_addr.s_addr);
	cr_expect_neq(got.sin_port, 0);
	dpsctp_close(fd);
}

Test(api_bind, binding_twice_is_einval)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0);

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	expect_err(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	dpsctp_close(fd);
}

Test(api_bind, port_in_use_is_eaddrinuse)
{
	int a = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	int b = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in sa = sin4("127.0.0.1", 0);

	cr_assert_eq(dpsctp_bind(a, (struct sockaddr *)&sa, sizeof(sa)), 0);
	sa.sin_port = htons(local_port(a));
	expect_err(dpsctp_bind(b, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE);
	dpsctp_close(a);
	dpsctp_close(b);
}

Test(api_bind, address_not_ours_is_eaddrnotavail)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("10.1.2.3", 0);

	expect_err(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL);
	dpsctp_close(fd);
}

Test(api_bind, wrong_family_is_eafnosupport_and_short_length_einval)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0);
	struct sockaddr_in6 b = sin6("::1", 0);
	struct sockaddr_in u = a;

	u.sin_family = AF_UNIX;
	expect_err(dpsctp_bind(fd, (struct sockaddr *)&u, sizeof(u)), EAFNOSUPPORT);
	expect_err(dpsctp_bind(fd, (struct sockaddr *)&b, sizeof(b)), EAFNOSUPPORT);
	expect_err(dpsctp_bind(fd, (struct sockaddr *)&a, 4), EINVAL);
	dpsctp_close(fd);
}

Test(api_bind, wildcard_binds_every_address_of_the_family)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("0.0.0.0", 0);
	struct sockaddr *addrs = NULL;
	int n, i, lo = 0;

	cr_expect_eq(ladd_count(fd), 0, "unbound: getladdrs returns 0");
	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	n = dpsctp_getladdrs(fd, 0, &addrs);
	cr_assert_eq(n, 3, "198.18.169.1, 127.0.0.1, 127.0.0.2: got %d", n);
	for (i = 0; i < n; i++) {
		struct sockaddr_in *s = (struct sockaddr_in *)addrs + i;

		cr_expect_eq(s->sin_family, AF_INET);
		cr_expect_eq(ntohs(s->sin_port), local_port(fd));
		lo += (ntohl(s->sin_addr.s_addr) >> 24) == 127;
	}
	cr_expect_eq(lo, 2);
	dpsctp_freeladdrs(addrs);
	dpsctp_close(fd);
}

Test(api_bind, ipv6_wildcard_takes_ipv4_unless_v6only)
{
	int fd = expect_ok(dpsctp_socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP));
	int fd6 = expect_ok(dpsctp_socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in6 a = sin6("::", 0);

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_expect_eq(ladd_count(fd), 4, "::1 and the three IPv4 addresses");
	set_int(fd6, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	cr_assert_eq(dpsctp_bind(fd6, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_expect_eq(ladd_count(fd6), 1, "::1 only");
	dpsctp_close(fd);
	dpsctp_close(fd6);
}

Test(api_bind, bindx_adds_and_removes_addresses)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0), b;

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_expect_eq(ladd_count(fd), 1);
	b = sin4("127.0.0.2", local_port(fd));
	cr_assert_eq(dpsctp_bindx(fd, (struct sockaddr *)&b, 1, DPSCTP_BINDX_ADD_ADDR), 0, "%s",
		strerror(errno));
	cr_expect_eq(ladd_count(fd), 2);
	cr_assert_eq(dpsctp_bindx(fd, (struct sockaddr *)&b, 1, DPSCTP_BINDX_REM_ADDR), 0, "%s",
		strerror(errno));
	cr_expect_eq(ladd_count(fd), 1);
	dpsctp_close(fd);
}

Test(api_bind, bindx_on_unbound_socket_binds_it)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in two[2] = {sin4("127.0.0.1", 0), sin4("127.0.0.2", 0)};

	cr_assert_eq(dpsctp_bindx(fd, (struct sockaddr *)two, 2, DPSCTP_BINDX_ADD_ADDR), 0, "%s",
		strerror(errno));
	cr_expect_eq(ladd_count(fd), 2);
	cr_expect_neq(local_port(fd), 0);
	dpsctp_close(fd);
}

/* Solaris sctp_bindx: "The two flags are mutually exclusive. If both are given, ... EINVAL";
 * "If the same port is not given for each socket address ... EINVAL"; "A caller may not remove
 * all addresses ... EINVAL"; a family other than AF_INET / AF_INET6: EAFNOSUPPORT. */
Test(api_bind, bindx_errors_as_the_man_page_says)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0), two[2], u;
	uint16_t port;

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	port = local_port(fd);
	two[0] = sin4("127.0.0.2", port);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)two, 1,
			   DPSCTP_BINDX_ADD_ADDR | DPSCTP_BINDX_REM_ADDR), EINVAL);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)two, 1, 0), EINVAL);
	two[1] = sin4("198.18.169.1", (uint16_t)(port + 1));
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)two, 2, DPSCTP_BINDX_ADD_ADDR), EINVAL);
	a.sin_port = htons(port);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)&a, 1, DPSCTP_BINDX_REM_ADDR), EINVAL);
	u = two[0];
	u.sin_family = AF_UNIX;
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)&u, 1, DPSCTP_BINDX_ADD_ADDR), EAFNOSUPPORT);
	two[0] = sin4("10.9.9.9", port);
	expect_err(dpsctp_bindx(fd, (struct sockaddr *)two, 1, DPSCTP_BINDX_ADD_ADDR), EADDRNOTAVAIL);
	/* nothing of the above changed the endpoint */
	cr_expect_eq(ladd_count(fd), 1);
	dpsctp_close(fd);
}

Test(api_bind, port_is_free_again_after_close)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	struct sockaddr_in a = sin4("127.0.0.1", 0);
	int i, rc = -1;

	cr_assert_eq(dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	a.sin_port = htons(local_port(fd));
	dpsctp_close(fd);
	/* the endpoint is freed once every worker let go of it: a short while */
	for (i = 0; i < 50 && rc != 0; i++) {
		fd = expect_ok(dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
		rc = dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a));
		dpsctp_close(fd);
		if (rc != 0)
			usleep(100000);
	}
	cr_expect_eq(rc, 0, "port %u still taken 5 s after close", ntohs(a.sin_port));
}

Test(api_bind, listen_on_unbound_socket_binds_an_ephemeral_port)
{
	int fd = expect_ok(dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));

	cr_assert_eq(dpsctp_listen(fd, 4), 0);
	cr_expect_neq(local_port(fd), 0);
	dpsctp_close(fd);
}
