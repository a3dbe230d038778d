/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The application and the daemon's lifetime: when dpsctpd exits, calls on old sockets fail with
 * ECONNRESET (close still works) and a new dpsctp_socket() attaches to a new daemon; when an
 * application exits, its associations are shut down (SO_LINGER semantics). Each test starts
 * its own daemons (tests/api/daemon.c); it is not run under api_with_daemon.
 */
#include <signal.h>
#include <sys/wait.h>

#include "apitest.h"
#include "daemon.h"

static struct apitest_daemon *started[4];

/* A failed assertion ends the test early: stop what it started (the daemons also get SIGTERM
 * when this process dies, PR_SET_PDEATHSIG). */
static void
stop_all(void)
{
	for (int i = 0; i < 4; i++)
		if (started[i] != NULL && started[i]->pid != 0)
			apitest_daemon_stop(started[i], 20);
}

TestSuite(api_daemon, .timeout = 120, .fini = stop_all);

/*
 * A child application that must attach on its own: forked before this process touches the
 * library (a process forked from an attached one shares nothing it can use), it waits for the
 * go (the port) on a pipe.
 */
static pid_t
child_app(int *go, void (*body)(uint16_t))
{
	int p[2];
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		uint16_t port;

		char path[64];

		close(p[1]);
		if (read(p[0], &port, sizeof(port)) != sizeof(port))
			_exit(1);
		/* the daemon our parent started (see start()) */
		snprintf(path, sizeof(path), "/tmp/dpsctp-api-restart-%d.sock", (int)getppid());
		setenv("DPSCTP_SOCKET", path, 1);
		body(port);
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void
exits_without_close(uint16_t port)
{
	struct sockaddr_in to = sin4("127.0.0.1", port);
	int c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (c < 0 || dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)) != 0)
		_exit(1);
	dpsctp_send(c, "bye", 3, 0);
	usleep(100000);
	_exit(0); /* no close: the daemon notices the process is gone */
}

static void
lingers_zero_and_waits(uint16_t port)
{
	struct sockaddr_in to = sin4("127.0.0.1", port);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	int c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (c < 0 || dpsctp_setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) != 0 ||
		dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)) != 0)
		_exit(1);
	for (;;)
		pause();
}

static void
start(struct apitest_daemon *d)
{
	static char path[64];
	struct apitest_daemon_opts o = {.sock = path};
	char why[256];
	int rc;

	/* one attach path for every daemon of the test: a restarted daemon is found where the
	 * old one was, as in production */
	snprintf(path, sizeof(path), "/tmp/dpsctp-api-restart-%d.sock", (int)getpid());
	rc = apitest_daemon_start(d, &o, why, sizeof(why));
	for (int i = 0; i < 4; i++) {
		if (started[i] == NULL) {
			started[i] = d;
			break;
		}
	}

	if (rc == -1)
		cr_skip_test("%s", why);
	cr_assert_eq(rc, 0, "dpsctpd: %s", why);
	apitest_daemon_export(d);
}

Test(api_daemon, daemon_exit_gives_econnreset_and_a_new_socket_reattaches)
{
	struct apitest_daemon a, b;
	int c, s, rc;
	char buf[8];

	start(&a);
	pair4(&c, &s, NULL);
	cr_assert_eq(dpsctp_send(c, "a", 1, 0), 1);
	cr_assert_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 1);
	rc = apitest_daemon_stop(&a, 20);
	cr_expect_eq(rc, 0, "dpsctpd exits 0 on SIGTERM with applications attached");
	usleep(200000);
	expect_err(dpsctp_send(c, "b", 1, 0), ECONNRESET);
	expect_err(dpsctp_recv(s, buf, sizeof(buf), MSG_DONTWAIT), ECONNRESET);
	/* the descriptor reports it: readable (EOF / error) */
	cr_expect(readable(s, 1000));
	cr_expect_eq(dpsctp_close(c), 0);
	cr_expect_eq(dpsctp_close(s), 0);

	start(&b); /* another daemon at the same attach path */
	pair4(&c, &s, NULL);
	cr_expect_eq(dpsctp_send(c, "c", 1, 0), 1);
	cr_expect_eq(dpsctp_recv(s, buf, sizeof(buf), 0), 1);
	dpsctp_close(c);
	dpsctp_close(s);
	cr_expect_eq(apitest_daemon_stop(&b, 20), 0);
}

Test(api_daemon, an_application_that_exits_has_its_associations_shut_down)
{
	struct apitest_daemon d;
	uint16_t port;
	int m, st, go;
	pid_t pid = child_app(&go, exits_without_close);

	start(&d);
	m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	subscribe(m, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(write(go, &port, sizeof(port)), sizeof(port));
	cr_assert(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, NULL, 0, 5000));
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_expect(wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_SHUTDOWN_COMP, NULL, 0, 10000),
		"default linger: a graceful SHUTDOWN of the dead application's association");
	dpsctp_close(m);
	cr_expect_eq(apitest_daemon_stop(&d, 20), 0);
}

Test(api_daemon, a_killed_application_with_linger_zero_has_its_associations_aborted)
{
	struct apitest_daemon d;
	uint16_t port;
	int m, st, go;
	pid_t pid = child_app(&go, lingers_zero_and_waits);

	start(&d);
	m = listener4(SOCK_SEQPACKET, "127.0.0.1", &port);
	subscribe(m, DPSCTP_ASSOC_CHANGE);
	cr_assert_eq(write(go, &port, sizeof(port)), sizeof(port));
	if (!wait_notification(m, DPSCTP_ASSOC_CHANGE, DPSCTP_COMM_UP, NULL, 0, 5000)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		cr_assert_fail("the child did not associate");
	}
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	union dpsctp_notification n;
	bool got = wait_notification(m, DPSCTP_ASSOC_CHANGE, 0, &n, sizeof(n), 10000);
	cr_expect(got && n.sn_assoc_change.sac_state == DPSCTP_COMM_LOST,
		"SO_LINGER 0: the killed application's association is aborted (COMM_LOST); got %s %u",
		got ? "ASSOC_CHANGE state" : "nothing, state", got ? n.sn_assoc_change.sac_state : 0);
	dpsctp_close(m);
	cr_expect_eq(apitest_daemon_stop(&d, 20), 0);
}
