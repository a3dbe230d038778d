/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_with_daemon [--workers N] [--extra YAML] [--keep] -- COMMAND [ARG...]
 *
 * Starts a dpsctpd of its own (daemon.h: net_null port, loopback 127.0.0.1, 127.0.0.2 and ::1),
 * runs COMMAND with DPSCTP_SOCKET pointing at the daemon's attach socket and DPSCTPD_PID set,
 * then checks that the daemon survived it and stops it with SIGTERM, which must end it with
 * status 0. Exit: COMMAND's status when it failed or skipped (77); 77 when no daemon can run
 * here (not root...); 1 when the daemon died, failed to start or exited badly; else 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"

int
main(int argc, char **argv)
{
	struct apitest_daemon_opts o = {0};
	struct apitest_daemon d;
	char why[256];
	int i, rc, st, status;
	bool keep = false;
	pid_t pid;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			o.workers = (unsigned int)atoi(argv[++i]);
		else if (strcmp(argv[i], "--extra") == 0 && i + 1 < argc)
			o.extra = argv[++i];
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else
			break;
	}
	if (i + 1 >= argc || strcmp(argv[i], "--") != 0) {
		fprintf(stderr, "usage: %s [--workers N] [--extra YAML] [--keep] -- COMMAND [ARG...]\n",
			argv[0]);
		return 2;
	}
	rc = apitest_daemon_start(&d, &o, why, sizeof(why));
	if (rc == -1) {
		printf("skip: %s\n", why);
		return APITEST_SKIP;
	}
	if (rc != 0) {
		printf("not ok - dpsctpd: %s\n", why);
		return 1;
	}
	if (keep)
		apitest_daemon_keep(&d);
	apitest_daemon_export(&d);
	fprintf(stderr, "# dpsctpd pid %d, attach socket %s, %u worker(s)\n", (int)d.pid, d.sock,
		o.workers == 2 ? 2 : 1);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp(argv[i + 1], &argv[i + 1]);
		perror(argv[i + 1]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		perror("fork/waitpid");
		apitest_daemon_stop(&d, 10);
		return 1;
	}
	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (!apitest_daemon_alive(&d)) {
		printf("not ok - dpsctpd died during the test\n");
		apitest_daemon_dump(&d, 30);
		apitest_daemon_stop(&d, 1);
		return 1;
	}
	rc = apitest_daemon_stop(&d, 20);
	if (rc != 0) {
		printf("not ok - dpsctpd exited with %d on SIGTERM (logs kept in %s)\n", rc, d.dir);
		apitest_daemon_dump(&d, 30);
		return status != 0 ? status : 1;
	}
	printf("ok - dpsctpd survived the test and stopped cleanly\n");
	return status;
}
