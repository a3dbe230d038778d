/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The attach path against a real dpsctpd (net_null port, loopback, EAL --no-huge): a client
 * that speaks api/abi/rpc.h directly. HELLO (header, sizes, the two descriptors, the seals),
 * EP_OPEN (wildcard, ephemeral port, the same port twice: EADDRINUSE, foreign address:
 * EADDRNOTAVAIL, bad configuration: EINVAL), EP_UPDATE (bindx, listen, options; another
 * session's endpoint: ENOENT), EP_CLOSE and the port free again, a peer that leaves: its
 * endpoints and session are released (the daemon's log says so), a wrong ABI major: EPROTO,
 * a second daemon on the same path refused, SIGTERM: EOF to the application and the socket
 * file gone.
 *
 *   test_attach_daemon DPSCTPD   (skips, exit 77, when the EAL cannot start here)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc.h"

static char dir[64], sock_path[100], log_path[128], cfg_path[128], cfg2_path[128];
static pid_t daemon_pid = -1;
static int failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n"); \
			failures++; \
		} \
	} while (0)

static void
cleanup(void)
{
	char cmd[256];

	if (daemon_pid > 0) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, NULL, 0);
		daemon_pid = -1;
	}
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' /var/run/dpdk/attach-e2e-%d "
			"/var/run/dpdk/attach-e2f-%d", dir, (int)getpid(), (int)getpid());
		if (system(cmd) != 0)
			fprintf(stderr, "clean-up of %s failed\n", dir);
	}
}

static bool
log_has(const char *needle)
{
	char buf[65536];
	FILE *f = fopen(log_path, "r");
	size_t n;

	if (f == NULL)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static bool
wait_log(const char *needle, int ms)
{
	for (; ms > 0; ms -= 20) {
		if (log_has(needle))
			return true;
		usleep(20000);
	}
	return log_has(needle);
}

static pid_t
start_daemon(const char *bin, const char *cfg, const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(bin, bin, "-c", cfg, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int
attach_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request, its answer (with up to 2 descriptors). @return answer bytes or -1. */
static ssize_t
rpc(int fd, struct dpsctp_rpc *r, int *fds, int *nfds)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
		.msg_controllen = sizeof(u.buf) };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct cmsghdr *cm;
	ssize_t n;

	if (send(fd, r, sizeof(*r), MSG_NOSIGNAL) != (ssize_t)sizeof(*r))
		return -1;
	if (poll(&p, 1, 5000) != 1)
		return -1;
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (nfds != NULL)
		*nfds = 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && nfds != NULL) {
			*nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(cm), (size_t)*nfds * sizeof(int));
		}
	return n;
}

static int
hello(int fd, struct dpsctp_rpc *ans, int *fds, int *nfds)
{
	memset(ans, 0, sizeof(*ans));
	ans->op = DPSCTP_RPC_HELLO;
	ans->seq = 1;
	ans->major = DPSCTP_ABI_MAJOR;
	ans->minor = DPSCTP_ABI_MINOR;
	if (rpc(fd, ans, fds, nfds) != (ssize_t)sizeof(*ans))
		return -1;
	return ans->result;
}

static int
ep_open(int fd, uint8_t family, uint16_t port, uint32_t flags, struct dpsctp_rpc *r)
{
	memset(r, 0, sizeof(*r));
	r->op = DPSCTP_RPC_EP_OPEN;
	r->seq = 2;
	r->family = family;
	r->port = port;
	r->flags = flags;
	if (rpc(fd, r, NULL, NULL) != (ssize_t)sizeof(*r))
		return -1000;
	return r->result;
}

static int
ep_simple(int fd, uint32_t op, uint32_t svc, uint32_t flags, struct dpsctp_rpc *r)
{
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->seq = 3;
	r->svc = svc;
	r->flags = flags;
	if (rpc(fd, r, NULL, NULL) != (ssize_t)sizeof(*r))
		return -1000;
	return r->result;
}

/* The answer of telemetry command @p cmd into @p out (DPDK telemetry v2 socket of the daemon). */
static int
telemetry(const char *cmd, char *out, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	ssize_t n;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/var/run/dpdk/attach-e2e-%d/dpdk_telemetry.v2",
		(int)getpid());
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		recv(fd, out, len - 1, 0) <= 0 || /* the greeting */
		send(fd, cmd, strlen(cmd), 0) < 0 || (n = recv(fd, out, len - 1, 0)) <= 0) {
		close(fd);
		return -1;
	}
	out[n] = '\0';
	close(fd);
	return 0;
}

static bool
eof_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[16];

	return poll(&p, 1, ms) == 1 && recv(fd, b, sizeof(b), MSG_DONTWAIT) <= 0;
}

/* A configuration with EAL prefix PREFIX-<pid> (two daemons cannot share one). */
static int
write_config(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f,
		"eal: {file_prefix: %s-%d, hugepages: false, memory_mb: 256, log_level: notice}\n"
		"lcores: {control: 0, workers: [1]}\n"
		"mempool: {mbufs: 2047, cache: 64}\n"
		"ports:\n"
		"  - {name: null0, device: net_null0, mac: \"02:00:00:00:00:01\",\n"
		"     follow_link: false, addresses: [\"198.18.0.1/24\", \"2001:db8:18::1/64\"]}\n"
		"attach: {path: %s, mode: \"0600\"}\n"
		"services:\n"
		"  - {type: echo, port: 7}\n"
		"shutdown_wait_ms: 100\n",
		prefix, (int)getpid(), sock_path);
	return fclose(f) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct dpsctp_rpc a, r;
	struct dpsctp_shm_hdr *h;
	struct stat st;
	int fd, fd2, fds[4], nfds = 0, rc, status;
	char tbuf[4096] = "";
	uint32_t svc1, svc2, svc3;
	pid_t second;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DPSCTPD\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "/tmp/attach-e2e-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	atexit(cleanup);
	snprintf(sock_path, sizeof(sock_path), "%s/run/d.sock", dir); /* run/ made by dpsctpd */
	snprintf(log_path, sizeof(log_path), "%s/d.log", dir);
	snprintf(cfg_path, sizeof(cfg_path), "%s/d.yaml", dir);
	snprintf(cfg2_path, sizeof(cfg2_path), "%s/d2.yaml", dir);
	if (write_config(cfg_path, "attach-e2e") != 0 || write_config(cfg2_path, "attach-e2f") != 0)
		return 1;

	daemon_pid = start_daemon(argv[1], cfg_path, log_path);
	if (!wait_log("dpsctpd: ready", 30000)) {
		char cmd[200];
		bool eal = log_has("EAL initialisation failed");

		snprintf(cmd, sizeof(cmd), "cat %s >&2", log_path);
		if (system(cmd) != 0)
			fprintf(stderr, "no log\n");
		if (eal)
			fprintf(stderr, "SKIP: the EAL cannot start here\n");
		return eal ? 77 : 1;
	}
	CHECK(stat(sock_path, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0600,
		"socket file mode %o", st.st_mode & 0777);

	/* a second daemon on the same path is refused with a message */
	second = start_daemon(argv[1], cfg2_path, log_path);
	waitpid(second, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1, "second daemon status %d", status);
	CHECK(log_has("is in use by a running dpsctpd"), "no 'in use' message");

	/* HELLO */
	fd = attach_connect();
	CHECK(fd >= 0, "connect: %s", strerror(errno));
	rc = hello(fd, &a, fds, &nfds);
	CHECK(rc == 0, "HELLO %d", rc);
	CHECK(nfds == 2, "%d descriptors", nfds);
	CHECK(a.nworkers == 1 && a.owner_bits == 4 &&
			a.ring_entries == DPSCTP_SHM_RING_ENTRIES &&
			a.data_bytes == DPSCTP_SHM_DATA_BYTES &&
			a.shm_size == dpsctp_shm_size(1, a.ring_entries, a.data_bytes),
		"HELLO answer");
	if (nfds == 2) {
		CHECK(fstat(fds[0], &st) == 0 && (uint64_t)st.st_size == a.shm_size, "memfd size");
		CHECK(ftruncate(fds[0], 4096) != 0 && errno == EPERM, "memfd can shrink");
		h = mmap(NULL, a.shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
		CHECK(h != MAP_FAILED, "mmap");
		if (h != MAP_FAILED) {
			CHECK(h->magic == DPSCTP_SHM_MAGIC && h->major == DPSCTP_ABI_MAJOR &&
					h->size == a.shm_size && h->nworkers == 1 &&
					h->session == a.session &&
					h->chan_off[0][DPSCTP_CHAN_TO_APP] ==
						dpsctp_shm_chan_off(0, 1, a.ring_entries,
							a.data_bytes),
				"header");
			munmap(h, a.shm_size);
		}
		close(fds[0]);
		close(fds[1]);
	}

	/* EP_OPEN: wildcard IPv6 socket, ephemeral port; then the same port twice */
	rc = ep_open(fd, 6, 0, DPSCTP_RPC_LISTEN, &r);
	CHECK(rc == 0, "EP_OPEN %d", rc);
	CHECK(r.port >= 49152, "ephemeral port %u", r.port);
	/* 198.18.0.1, 2001:db8:18::1, 127.0.0.1, ::1 */
	CHECK(r.naddrs == 4, "%u addresses", r.naddrs);
	svc1 = r.svc;
	CHECK(ep_open(fd, 4, 5000, 0, &r) == 0, "EP_OPEN 5000: %d", r.result);
	svc2 = r.svc;
	CHECK(r.naddrs == 2, "v4 wildcard: %u addresses", r.naddrs);
	CHECK(ep_open(fd, 4, 5000, 0, &r) == -EADDRINUSE, "again: %d", r.result);
	CHECK(ep_open(fd, 4, 7, 0, &r) == -EADDRINUSE, "echo's port: %d", r.result);
	memset(&r, 0, sizeof(r));
	r.op = DPSCTP_RPC_EP_OPEN;
	r.family = 4;
	r.naddrs = 1;
	r.addrs[0].family = 4;
	memcpy(r.addrs[0].bytes, "\xc6\x12\x00\x02", 4);
	CHECK(rpc(fd, &r, NULL, NULL) == sizeof(r) && r.result == -EADDRNOTAVAIL,
		"foreign address: %d", r.result);
	memset(&r, 0, sizeof(r));
	r.op = DPSCTP_RPC_EP_OPEN;
	r.family = 4;
	r.cfg.mask = DPSCTP_CFG_SACK;
	r.cfg.sack_delay_ms = 900;
	CHECK(rpc(fd, &r, NULL, NULL) == sizeof(r) && r.result == -EINVAL, "bad cfg: %d",
		r.result);

	/* EP_UPDATE: bindx to loopback only, listen, options */
	memset(&r, 0, sizeof(r));
	r.op = DPSCTP_RPC_EP_UPDATE;
	r.svc = svc2;
	r.flags = DPSCTP_RPC_SET_ADDRS | DPSCTP_RPC_SET_LISTEN | DPSCTP_RPC_LISTEN |
		DPSCTP_RPC_SET_CFG | DPSCTP_RPC_SET_LINGER;
	r.naddrs = 1;
	r.addrs[0].family = 4;
	memcpy(r.addrs[0].bytes, "\x7f\x00\x00\x01", 4);
	r.cfg.mask = DPSCTP_CFG_INIT;
	r.cfg.os = 64;
	r.linger_abort = 1;
	CHECK(rpc(fd, &r, NULL, NULL) == sizeof(r) && r.result == 0 && r.naddrs == 1 &&
			(r.flags & DPSCTP_RPC_LISTEN) && r.linger_abort == 1,
		"EP_UPDATE %d", r.result);
	CHECK(ep_simple(fd, DPSCTP_RPC_EP_UPDATE, 0, 0, &r) == -ENOENT, "configured svc: %d",
		r.result);
	CHECK(ep_simple(fd, DPSCTP_RPC_EP_UPDATE, 63, 0, &r) == -ENOENT, "unused svc: %d",
		r.result);

	/* another session cannot touch this one's endpoints */
	fd2 = attach_connect();
	CHECK(hello(fd2, &a, fds, &nfds) == 0 && nfds == 2, "second HELLO");
	if (nfds == 2) {
		close(fds[0]);
		close(fds[1]);
	}
	CHECK(ep_simple(fd2, DPSCTP_RPC_EP_CLOSE, svc2, 0, &r) == -ENOENT, "foreign close: %d",
		r.result);
	CHECK(ep_simple(fd2, DPSCTP_RPC_HELLO, 0, 0, &r) == -EISCONN, "HELLO twice: %d",
		r.result);
	CHECK(telemetry("/dpsctp/sessions", tbuf, sizeof(tbuf)) == 0 &&
			strstr(tbuf, "\"count\":2") != NULL &&
			strstr(tbuf, "\"state\":[\"live\",\"live\"]") != NULL &&
			strstr(tbuf, "\"endpoints\":[2,0]") != NULL &&
			strstr(tbuf, ",5000\"") != NULL,
		"telemetry: %s", tbuf);

	/* a message of the wrong size gets EINVAL; descriptors sent along are not kept */
	memset(&r, 0, sizeof(r));
	r.op = DPSCTP_RPC_EP_CLOSE;
	r.seq = 77;
	CHECK(send(fd2, &r, 12, 0) == 12, "short send");
	CHECK(recv(fd2, &r, sizeof(r), 0) == sizeof(r) && r.result == -EINVAL && r.seq == 77,
		"short request: %d", r.result);

	/* EP_CLOSE; the port is free again once the worker has let go */
	CHECK(ep_simple(fd, DPSCTP_RPC_EP_CLOSE, svc2, 0, &r) == 0, "EP_CLOSE %d", r.result);
	CHECK(ep_simple(fd, DPSCTP_RPC_EP_CLOSE, svc2, 0, &r) == -ENOENT, "closed twice %d",
		r.result);
	rc = -1;
	for (int i = 0; i < 100 && rc != 0; i++) {
		rc = ep_open(fd2, 4, 5000, DPSCTP_RPC_LISTEN, &r);
		if (rc != 0)
			usleep(20000);
	}
	CHECK(rc == 0, "port 5000 not free again after EP_CLOSE: %d", rc);
	svc3 = r.svc;
	CHECK(svc3 == svc2, "freed slot %u not reused (%u)", svc2, svc3);

	/* the application leaves: its endpoints close and its session is freed */
	close(fd);
	CHECK(wait_log("the application left: 1 endpoints closing", 3000), "no detach in the log");
	CHECK(wait_log("session 1 freed", 3000), "session 1 not freed");
	(void)svc1;

	/* a wrong ABI major is refused */
	fd = attach_connect();
	memset(&r, 0, sizeof(r));
	r.op = DPSCTP_RPC_HELLO;
	r.major = DPSCTP_ABI_MAJOR + 1;
	CHECK(rpc(fd, &r, fds, &nfds) == sizeof(r) && r.result == -EPROTO && nfds == 0,
		"major: %d", r.result);
	CHECK(eof_within(fd, 2000), "no EOF after EPROTO");
	close(fd);

	/* an application that breaks the ring protocol loses its session, endpoints aborted */
	fd = attach_connect();
	nfds = 0;
	CHECK(hello(fd, &a, fds, &nfds) == 0 && nfds == 2, "third HELLO");
	CHECK(ep_open(fd, 4, 0, DPSCTP_RPC_LISTEN, &r) == 0, "EP_OPEN: %d", r.result);
	if (nfds == 2) {
		uint8_t *base = mmap(NULL, a.shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);

		CHECK(base != MAP_FAILED, "mmap");
		if (base != MAP_FAILED) {
			struct dpsctp_chan *ch = (struct dpsctp_chan *)(base +
				dpsctp_shm_chan_off(0, DPSCTP_CHAN_TO_WORKER, a.ring_entries,
					a.data_bytes));

			/* the producer index a whole ring and more ahead of the consumer */
			dpsctp_store_release(&ch->ctl.prod, 3 * a.ring_entries);
			CHECK(wait_log("broke the shared-memory protocol: 1 endpoints closing with ABORT",
				      3000),
				"no broken session in the log");
			CHECK(eof_within(fd, 2000), "no EOF for the broken session");
			CHECK(wait_log("session 3 freed", 3000), "session 3 not freed");
			munmap(base, a.shm_size);
		}
		close(fds[0]);
		close(fds[1]);
	}
	close(fd);

	/* one application holds at most DP_SESSION_MAX_ENDPOINTS (16) endpoints: slots stay for others */
	{
		int i, opened = 0, last = 0;

		for (i = 0; i < 17; i++) {
			last = ep_open(fd2, 4, 0, 0, &r);
			if (last == 0)
				opened++;
		}
		CHECK(opened >= 15 && last == -ENOBUFS, "endpoint cap: %d opened, then %d", opened,
			last);
		CHECK(telemetry("/dpsctp/sessions", tbuf, sizeof(tbuf)) == 0 &&
				strstr(tbuf, "\"endpoints\":[16]") != NULL,
			"the application holds 16 endpoints: %s", tbuf);
	}
	/* SIGTERM: the remaining application sees EOF, the socket file goes */
	kill(daemon_pid, SIGTERM);
	CHECK(eof_within(fd2, 10000), "no EOF at the daemon's end");
	waitpid(daemon_pid, &status, 0);
	daemon_pid = -1;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "daemon exit status %d", status);
	CHECK(stat(sock_path, &st) != 0 && errno == ENOENT, "socket file left behind");
	close(fd2);
	if (failures != 0 || getenv("ATTACH_E2E_VERBOSE") != NULL) {
		char cmd[200];

		snprintf(cmd, sizeof(cmd), "tail -40 %s >&2", log_path);
		(void)system(cmd);
	}
	printf("%s: %d failures\n", argv[0], failures);
	return failures == 0 ? 0 : 1;
}
