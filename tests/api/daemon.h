/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test harness of the application API: a dpsctpd of our own for the tests.
 *
 * The daemon gets a temporary configuration: one `net_null` port (a non-zero MAC and an address
 * of 198.18.0.0/15; the null PMD eats what is sent, nothing leaves the box), the loopback
 * addresses 127.0.0.1, 127.0.0.2 and ::1 (local delivery: applications talk to each other
 * through the stack, no NIC), the attach socket in a temporary directory, its own EAL file
 * prefix, no hugepages, control lcore 0 and one worker on lcore 1 (two workers share CPU 1 via
 * an lcore map when asked: the owner routing of associations is then exercised).
 *
 * Used two ways: in-process by tests that need a daemon of their own (restart, re-attach), and
 * by api_with_daemon, the wrapper that runs a test program or a script beside one daemon
 * (DPSCTP_SOCKET and DPSCTPD_PID exported) and checks that the daemon is alive at the end and
 * exits 0 on SIGTERM.
 */
#ifndef DPSCTP_TESTS_API_DAEMON_H
#define DPSCTP_TESTS_API_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** Exit status of a test that cannot run here (meson's "skipped"). */
#define APITEST_SKIP 77

/** What the daemon should look like. */
struct apitest_daemon_opts {
	unsigned int workers; /**< 1 (default when 0) or 2 */
	const char *extra;    /**< more top-level YAML (e.g. "shutdown_wait_ms: 0"), or NULL */
	int timeout_s;        /**< how long to wait for "dpsctpd: ready" (default 30) */
	const char *sock;     /**< the attach socket path (NULL: in the temporary directory) */
};

/** One running daemon. */
struct apitest_daemon {
	pid_t pid;          /**< 0 when not running */
	char dir[64];       /**< temporary directory: config, logs, attach socket */
	char prefix[48];    /**< EAL file prefix (/var/run/dpdk/<prefix> removed at stop) */
	char sock[128];     /**< the attach socket (what DPSCTP_SOCKET points at) */
	char config[128];
	char log[128];      /**< stdout of dpsctpd */
	char err[128];      /**< stderr of dpsctpd */
	bool keep;          /**< leave the temporary directory at stop */
};

/** The dpsctpd binary: env DPSCTPD, else the build tree's (APITEST_DPSCTPD at compile time). */
const char *apitest_dpsctpd_path(void);

/**
 * Start a daemon and wait until it prints "dpsctpd: ready".
 * @return 0; -1 with @p why filled when it cannot run here (not root, no binary, EAL refused:
 *         the caller skips), -2 when it started and then failed (a real failure).
 */
int apitest_daemon_start(struct apitest_daemon *d, const struct apitest_daemon_opts *o, char *why,
	size_t whylen);

/** Is it still running (not exited, not a zombie we have reaped)? */
bool apitest_daemon_alive(struct apitest_daemon *d);

/**
 * SIGTERM, wait up to @p secs (SIGKILL after), remove the temporary files and the EAL runtime
 * directory. @return its exit status (0 clean; 128+signal when killed), -1 if it was not running.
 */
int apitest_daemon_stop(struct apitest_daemon *d, int secs);

/** Print the last @p lines of the daemon's stdout and stderr to stderr (diagnostics). */
void apitest_daemon_dump(const struct apitest_daemon *d, int lines);

/** Keep the temporary files at stop (for a failing run). */
void apitest_daemon_keep(struct apitest_daemon *d);

/** Export DPSCTP_SOCKET, DPSCTPD_PID and DPSCTPD_PREFIX (EAL file prefix) into the environment. */
void apitest_daemon_export(const struct apitest_daemon *d);

#endif
