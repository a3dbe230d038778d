/* SPDX-License-Identifier: BSD-3-Clause */
/* A dpsctpd of our own for the API tests (see daemon.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#ifndef APITEST_DPSCTPD
#define APITEST_DPSCTPD "dpsctpd"
#endif

const char *
apitest_dpsctpd_path(void)
{
	const char *p = getenv("DPSCTPD");

	return (p != NULL && p[0] != '\0') ? p : APITEST_DPSCTPD;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static bool
file_has_line(const char *path, const char *prefix)
{
	char line[512];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, prefix, strlen(prefix)) == 0;
	fclose(f);
	return found;
}

static int
write_config(const struct apitest_daemon *d, const struct apitest_daemon_opts *o)
{
	FILE *f = fopen(d->config, "w");
	unsigned int workers = (o != NULL && o->workers == 2) ? 2 : 1;

	if (f == NULL)
		return -1;
	fprintf(f, "# written by tests/api/daemon.c\n");
	fprintf(f, "eal: {file_prefix: %s, hugepages: false, memory_mb: 256, log_level: notice}\n",
		d->prefix);
	/* Two cores: control on 0; a second worker shares CPU 1 with the first (lcore map). */
	if (workers == 2)
		fprintf(f, "lcores: {control: 0, workers: [1, 2], map: \"0@0,1@1,2@1\"}\n");
	else
		fprintf(f, "lcores: {control: 0, workers: [1]}\n");
	fprintf(f, "mempool: {mbufs: 4095, cache: 128}\n");
	/* One port is required; the null PMD drops what it is given: nothing leaves the box. */
	fprintf(f, "ports:\n  - {name: null0, device: \"net_null0\", mac: \"02:00:00:00:a9:01\", "
		   "addresses: [\"198.18.169.1/24\"]}\n");
	fprintf(f, "loopback: [\"127.0.0.1\", \"127.0.0.2\", \"::1\"]\n");
	fprintf(f, "attach: {path: %s}\n", d->sock);
	fprintf(f, "services: []\n");
	if (o != NULL && o->extra != NULL)
		fprintf(f, "%s\n", o->extra);
	return fclose(f) == 0 ? 0 : -1;
}

int
apitest_daemon_start(struct apitest_daemon *d, const struct apitest_daemon_opts *o, char *why,
	size_t whylen)
{
	const char *bin = apitest_dpsctpd_path();
	int timeout_s = (o != NULL && o->timeout_s > 0) ? o->timeout_s : 30;
	static unsigned int serial;
	int i;

	memset(d, 0, sizeof(*d));
	if (geteuid() != 0) {
		snprintf(why, whylen, "not root (dpsctpd's EAL and attach socket need it here)");
		return -1;
	}
	if (access(bin, X_OK) != 0) {
		snprintf(why, whylen, "no dpsctpd binary at %s", bin);
		return -1;
	}
	snprintf(d->dir, sizeof(d->dir), "/tmp/dpsctp-api.XXXXXX");
	if (mkdtemp(d->dir) == NULL) {
		snprintf(why, whylen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	snprintf(d->prefix, sizeof(d->prefix), "dpsctp-api-%d-%u", (int)getpid(), serial++);
	if (o != NULL && o->sock != NULL)
		snprintf(d->sock, sizeof(d->sock), "%s", o->sock);
	else
		snprintf(d->sock, sizeof(d->sock), "%s/dpsctpd.sock", d->dir);
	snprintf(d->config, sizeof(d->config), "%s/dpsctpd.yaml", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/dpsctpd.log", d->dir);
	snprintf(d->err, sizeof(d->err), "%s/dpsctpd.log.err", d->dir);
	if (write_config(d, o) != 0) {
		snprintf(why, whylen, "cannot write %s", d->config);
		return -1;
	}
	fflush(NULL);
	d->pid = fork();
	if (d->pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		d->pid = 0;
		return -1;
	}
	if (d->pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(d->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		/* its own process group: a ^C of the test run reaches it through us, not twice */
		setpgid(0, 0);
		/* and it never outlives us: a test that dies (a failed assertion) stops it too */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(bin, bin, "-c", d->config, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < timeout_s * 20; i++) {
		if (file_has_line(d->log, "dpsctpd: ready"))
			break;
		if (!apitest_daemon_alive(d))
			break;
		sleep_ms(50);
	}
	if (!file_has_line(d->log, "dpsctpd: ready")) {
		snprintf(why, whylen, "dpsctpd did not become ready (see %s)", d->err);
		apitest_daemon_dump(d, 20);
		d->keep = true;
		apitest_daemon_stop(d, 5);
		return -2;
	}
	/* the attach socket is created before "ready"; wait a little if it is not there yet */
	for (i = 0; i < 40 && access(d->sock, F_OK) != 0; i++)
		sleep_ms(50);
	return 0;
}

bool
apitest_daemon_alive(struct apitest_daemon *d)
{
	int st;

	if (d->pid <= 0)
		return false;
	if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
		/* reaped here: remember how it ended for stop */
		d->pid = -(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)) - 1;
		return false;
	}
	return true;
}

static void
remove_tree(const struct apitest_daemon *d)
{
	char path[192];

	if (d->prefix[0] != '\0') {
		snprintf(path, sizeof(path), "rm -rf '/var/run/dpdk/%s'", d->prefix);
		if (system(path) != 0)
			fprintf(stderr, "# could not remove /var/run/dpdk/%s\n", d->prefix);
	}
	if (d->dir[0] == '\0' || d->keep)
		return;
	unlink(d->config);
	unlink(d->log);
	unlink(d->err);
	unlink(d->sock);
	rmdir(d->dir);
}

int
apitest_daemon_stop(struct apitest_daemon *d, int secs)
{
	int st, i, rc = -1;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		for (i = 0; i < secs * 20; i++) {
			if (waitpid(d->pid, &st, WNOHANG) == d->pid)
				break;
			sleep_ms(50);
		}
		if (i == secs * 20) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
		}
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	} else if (d->pid < 0) {
		rc = -d->pid - 1; /* exited before: its status */
	}
	d->pid = 0;
	if (rc != 0)
		d->keep = true;
	remove_tree(d);
	return rc;
}

static void
tail_file(const char *path, int lines)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "tail -n %d '%s' 2>/dev/null | sed 's/^/#   /' >&2", lines, path);
	if (system(cmd) != 0)
		fprintf(stderr, "#   (%s unreadable)\n", path);
}

void
apitest_daemon_dump(const struct apitest_daemon *d, int lines)
{
	fprintf(stderr, "# --- %s\n", d->log);
	tail_file(d->log, lines);
	fprintf(stderr, "# --- %s\n", d->err);
	tail_file(d->err, lines);
}

void
apitest_daemon_keep(struct apitest_daemon *d)
{
	d->keep = true;
}

void
apitest_daemon_export(const struct apitest_daemon *d)
{
	char pid[16];

	setenv("DPSCTP_SOCKET", d->sock, 1);
	snprintf(pid, sizeof(pid), "%d", (int)d->pid);
	setenv("DPSCTPD_PID", pid, 1);
	setenv("DPSCTPD_PREFIX", d->prefix, 1);
}
