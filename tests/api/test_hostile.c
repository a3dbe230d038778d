/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hostile applications against dpsctpd (run under api_with_daemon, which also checks that the
 * daemon is alive at the end and exits 0 on SIGTERM).
 *
 * Meanwhile a well-behaved libdpsctp application (this process) keeps an association over
 * 127.0.0.1 busy both ways. Then, each in a process of its own:
 *   H1  attaches by speaking rpc.h + shm.h itself (tests/api/rawattach.c), opens an endpoint and
 *       posts random descriptors: first well-formed ones naming random operations, endpoints
 *       (other sessions' included), associations, streams; then random offsets and lengths;
 *   H2  posts a descriptor whose payload lies outside the byte ring;
 *   H3  makes its producer index jump several rings ahead;
 *   H4  has an association from us delivering into its TO_APP channel and corrupts the
 *       consumer indices of that channel;
 *   K   a libdpsctp application sending in a loop to us, killed with SIGKILL mid-send.
 * Afterwards: the good association delivered every message in order and still works; the
 * hostile sessions are gone (telemetry /dpsctp/sessions lists none of their pids) and their
 * ports are free again; our association to H4 was aborted; K's association ended on our side
 * (SHUTDOWN_COMP or COMM_LOST). One line per check, exit 1 when one fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

#include "rawattach.h"

static int nfail;

static void
check(bool ok, const char *what, const char *why)
{
	if (ok) {
		printf("ok - %s\n", what);
	} else {
		printf("not ok - %s: %s\n", what, why);
		nfail++;
	}
	fflush(stdout);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static struct sockaddr_in
lo(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static uint16_t
port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (dpsctp_getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return 0;
	return ntohs(a.sin_port);
}

static int
listener(int type, uint16_t *port)
{
	struct sockaddr_in a = lo(0);
	int fd = dpsctp_socket(AF_INET, type, IPPROTO_SCTP);

	if (fd < 0 || dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
		dpsctp_listen(fd, 16) != 0) {
		perror("listener");
		exit(1);
	}
	*port = port_of(fd);
	return fd;
}

/* ---- telemetry: the pids of the sessions dpsctpd lists ---- */

static int
session_pids(pid_t *pids, int cap)
{
	const char *prefix = getenv("DPSCTPD_PREFIX");
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	static char buf[1 << 16];
	int fd, n = 0;
	ssize_t r;
	char *p;

	if (prefix == NULL)
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		goto fail;
	if (recv(fd, buf, sizeof(buf) - 1, 0) <= 0) /* the banner */
		goto fail;
	if (send(fd, "/dpsctp/sessions", 16, 0) != 16)
		goto fail;
	r = recv(fd, buf, sizeof(buf) - 1, 0);
	if (r <= 0)
		goto fail;
	buf[r] = '\0';
	close(fd);
	p = strstr(buf, "\"pid\"");
	if (p == NULL || (p = strchr(p, '[')) == NULL)
		return 0; /* no sessions at all: the arrays may be missing */
	p++;
	while (*p != ']' && *p != '\0' && n < cap) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		pids[n++] = (pid_t)v;
		p = end;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return n;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static bool
session_listed(pid_t pid)
{
	pid_t pids[256];
	int n = session_pids(pids, 256), i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* ---- the good association: both ways, every message checked ---- */

static atomic_int stop_good;
static int good_c, good_s;

struct good {
	int tx, rx;
	long sent, received, bad;
	const char *name;
};

static void *
good_sender(void *arg)
{
	struct good *g = arg;
	char msg[200];

	while (!atomic_load(&stop_good)) {
		memset(msg, (int)(g->sent & 0xff), sizeof(msg));
		memcpy(msg, &g->sent, sizeof(g->sent));
		if (dpsctp_send(g->tx, msg, sizeof(msg), 0) != (ssize_t)sizeof(msg)) {
			perror("good sender");
			g->bad++;
			break;
		}
		g->sent++;
		if (g->sent % 64 == 0)
			usleep(1000); /* leave room for the hostile ones on two cores */
	}
	/* the end marker */
	dpsctp_send(g->tx, "end", 3, 0);
	return NULL;
}

static void *
good_receiver(void *arg)
{
	struct good *g = arg;
	char msg[256];

	for (;;) {
		int flags = 0;
		ssize_t n = dpsctp_recvv(g->rx, &(struct iovec){msg, sizeof(msg)}, 1, NULL, NULL, NULL,
			NULL, NULL, &flags);
		long seq;

		if (n == 3 && memcmp(msg, "end", 3) == 0)
			break;
		if (n != 200 || !(flags & MSG_EOR)) {
			fprintf(stderr, "good receiver %s: %zd (%s)\n", g->name, n, strerror(errno));
			g->bad++;
			break;
		}
		memcpy(&seq, msg, sizeof(seq));
		if (seq != g->received || (unsigned char)msg[100] != (seq & 0xff))
			g->bad++;
		g->received++;
	}
	return NULL;
}

/* ---- hostile children ---- */

static uint32_t rnd_state = 12345;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Attach raw and open a listening endpoint on 127.0.0.1; write its port to @p pipefd. */
static void
raw_setup(struct raw_session *r, int pipefd, uint32_t *svc)
{
	const char *path = getenv("DPSCTP_SOCKET");
	uint16_t port;
	int rc = raw_attach(r, path);

	if (rc != 0) {
		fprintf(stderr, "raw attach: %s\n", strerror(-rc));
		_exit(2);
	}
	for (port = 40000 + (uint16_t)(getpid() % 1000);; port++) {
		rc = raw_ep_open(r, port, htonl(INADDR_LOOPBACK), 1, svc);
		if (rc == 0)
			break;
		if (rc != -EADDRINUSE) {
			fprintf(stderr, "raw EP_OPEN: %s\n", strerror(-rc));
			_exit(2);
		}
	}
	if (write(pipefd, &port, sizeof(port)) != sizeof(port))
		_exit(2);
}

static void
hostile_random(int pipefd)
{
	struct raw_session r;
	uint32_t svc, w, i;
	uint8_t junk[256];

	raw_setup(&r, pipefd, &svc);
	rnd_state ^= (uint32_t)getpid();
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rnd();
	/* well-formed descriptors with nonsense in them: errors, never a crash */
	for (i = 0; i < 20000; i++) {
		struct dpsctp_desc d = {0};

		w = rnd() % r.nworkers;
		d.op = (uint16_t)(rnd() % 40);
		d.flags = (uint16_t)rnd();
		d.svc = (rnd() & 1) ? svc : rnd() % 64;
		d.assoc_id = (rnd() & 1) ? rnd() : rnd() % 64;
		d.req = rnd();
		d.sid = (uint16_t)rnd();
		d.ppid = rnd();
		d.arg = rnd();
		d.arg64 = rnd();
		while (raw_post(&r, w, &d, junk, rnd() % sizeof(junk)) == -EAGAIN) {
			raw_drain(&r);
			usleep(100);
		}
		raw_drain(&r);
	}
	/* then random everything, written straight into the rings */
	for (i = 0; i < 2000; i++) {
		struct dpsctp_chan *c;
		uint32_t prod;

		w = rnd() % r.nworkers;
		c = raw_chan(&r, w, DPSCTP_CHAN_TO_WORKER);
		prod = c->ctl.prod;
		uint32_t *raw = (uint32_t *)&c->desc[prod & (r.ring_entries - 1)];
		for (unsigned int k = 0; k < sizeof(struct dpsctp_desc) / 4; k++)
			raw[k] = rnd();
		dpsctp_store_release(&c->ctl.prod, prod + 1);
	}
	for (;;)
		pause(); /* stay attached: the daemon must end the session itself */
}

static void
hostile_offsets(int pipefd)
{
	struct raw_session r;
	uint32_t svc;
	struct dpsctp_chan *c;
	struct dpsctp_desc d = {.op = DPSCTP_OP_SEND, .assoc_id = 3};

	raw_setup(&r, pipefd, &svc);
	d.svc = svc;
	c = raw_chan(&r, 0, DPSCTP_CHAN_TO_WORKER);
	d.off = r.data_bytes - 16;
	d.len = 1u << 30;
	d.data_end = 0xfffffff0u;
	c->desc[0] = d;
	d.off = 0xffffff00u;
	d.len = 512;
	c->desc[1] = d;
	dpsctp_store_release(&c->ctl.data_prod, 0xfffffff0u);
	dpsctp_store_release(&c->ctl.prod, 2);
	for (;;)
		pause();
}

static void
hostile_prod_jump(int pipefd)
{
	struct raw_session r;
	uint32_t svc, w;

	raw_setup(&r, pipefd, &svc);
	for (w = 0; w < r.nworkers; w++) {
		struct dpsctp_chan *c = raw_chan(&r, w, DPSCTP_CHAN_TO_WORKER);

		dpsctp_store_release(&c->ctl.prod, r.ring_entries * 3 + 7);
	}
	for (;;)
		pause();
}

static void
hostile_cons(int pipefd)
{
	struct raw_session r;
	uint32_t svc, w;

	raw_setup(&r, pipefd, &svc);
	/* the parent connects and floods us; we scribble on the consumer's indices */
	for (;;) {
		for (w = 0; w < r.nworkers; w++) {
			struct dpsctp_chan *c = raw_chan(&r, w, DPSCTP_CHAN_TO_APP);
			uint32_t prod = dpsctp_load_acquire(&c->ctl.prod);

			if (prod != 0) {
				dpsctp_store_release(&c->ctl.cons, prod + 100000);
				dpsctp_store_release(&c->ctl.data_cons, rnd());
			}
		}
		usleep(1000);
	}
}

/* K: a libdpsctp application that sends in a loop until it is killed */
static void
killed_sender(uint16_t port, int pipefd)
{
	struct sockaddr_in to = lo(port);
	static char msg[8000];
	int c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	char one = 1;

	if (c < 0 || dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)) != 0)
		_exit(2);
	if (write(pipefd, &one, 1) != 1)
		_exit(2);
	for (;;)
		if (dpsctp_send(c, msg, sizeof(msg), 0) < 0)
			_exit(3);
}

static pid_t
spawn(void (*fn)(int), uint16_t *port)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(p[1]);
		_exit(0);
	}
	close(p[1]);
	struct pollfd pf = {.fd = p[0], .events = POLLIN};
	if (poll(&pf, 1, 10000) != 1 || read(p[0], port, sizeof(*port)) != sizeof(*port))
		*port = 0;
	close(p[0]);
	return pid;
}

/* Wait up to @p secs for ASSOC_CHANGE with one of the states on @p fd, reading data away. */
static int
wait_assoc_end(int fd, double secs, uint16_t want1, uint16_t want2)
{
	static char buf[1 << 16];
	double t0 = now_s();

	while (now_s() - t0 < secs) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int flags = 0;
		ssize_t n;

		if (dpsctp_poll(&p, 1, 200) != 1)
			continue;
		n = dpsctp_recvv(fd, &(struct iovec){buf, sizeof(buf)}, 1, NULL, NULL, NULL, NULL,
			NULL, &flags);
		if (n <= 0)
			return -1;
		if ((flags & DPSCTP_MSG_NOTIFICATION) &&
			((union dpsctp_notification *)buf)->sn_header.sn_type == DPSCTP_ASSOC_CHANGE) {
			uint16_t st = ((union dpsctp_notification *)buf)->sn_assoc_change.sac_state;

			if (st == want1 || st == want2)
				return st;
		}
	}
	return 0;
}

static bool
gone(pid_t pid, uint16_t port, double secs)
{
	double t0 = now_s();

	while (now_s() - t0 < secs) {
		if (!session_listed(pid)) {
			/* and its port is free again */
			struct sockaddr_in a = lo(port);
			int fd = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
			int rc = dpsctp_bind(fd, (struct sockaddr *)&a, sizeof(a));

			dpsctp_close(fd);
			if (rc == 0)
				return true;
		}
		usleep(200000);
	}
	return false;
}

int
main(int argc, char **argv)
{
	struct good gc = {.name = "server->client"}, gs = {.name = "client->server"};
	pthread_t t[4];
	uint16_t gport, vport, port[4];
	pid_t hp[4], kp;
	char why[256];
	int l, v, h4c, st, i, r;
	struct dpsctp_event ev = {.se_assoc_id = DPSCTP_FUTURE_ASSOC, .se_type = DPSCTP_ASSOC_CHANGE,
		.se_on = 1};
	struct sockaddr_in to;
	void (*const hostile[4])(int) = {hostile_random, hostile_offsets, hostile_prod_jump,
		hostile_cons};
	static const char *const names[4] = {"H1 random descriptors", "H2 out-of-range offsets",
		"H3 producer index jump", "H4 corrupted TO_APP consumer index"};

	static char selfbuf[PATH_MAX];
	const char *self = "/proc/self/exe";

	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && strcmp(argv[1], "--killed-sender") == 0)
		killed_sender((uint16_t)atoi(argv[2]), atoi(argv[3]));
	self = realpath("/proc/self/exe", selfbuf);
	if (self == NULL)
		self = "/proc/self/exe";
	if (getenv("DPSCTP_SOCKET") == NULL) {
		printf("skip: DPSCTP_SOCKET not set (run under api_with_daemon)\n");
		return 77;
	}
	if (session_pids(hp, 4) < 0) {
		printf("skip: no telemetry socket (DPSCTPD_PREFIX)\n");
		return 77;
	}

	/* the good association */
	l = listener(SOCK_STREAM, &gport);
	good_c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	to = lo(gport);
	if (good_c < 0 || dpsctp_connect(good_c, (struct sockaddr *)&to, sizeof(to)) != 0 ||
		(good_s = dpsctp_accept(l, NULL, NULL)) < 0) {
		perror("good association");
		return 1;
	}
	gs.tx = good_c;
	gs.rx = good_s;
	gc.tx = good_s;
	gc.rx = good_c;
	pthread_create(&t[0], NULL, good_sender, &gs);
	pthread_create(&t[1], NULL, good_receiver, &gs);
	pthread_create(&t[2], NULL, good_sender, &gc);
	pthread_create(&t[3], NULL, good_receiver, &gc);

	/* the victim of K: a one-to-many socket that K sends to */
	v = listener(SOCK_SEQPACKET, &vport);
	dpsctp_setsockopt(v, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev));

	/* the hostile ones */
	for (i = 0; i < 4; i++) {
		hp[i] = spawn(hostile[i], &port[i]);
		if (port[i] == 0) {
			check(false, names[i], "did not attach / open its endpoint");
			continue;
		}
		fprintf(stderr, "# %s: pid %d, port %u\n", names[i], (int)hp[i], port[i]);
	}
	/* H4: we associate with it and flood it, so the worker delivers into its channel */
	h4c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	dpsctp_setsockopt(h4c, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev));
	to = lo(port[3]);
	r = port[3] != 0 ? dpsctp_connect(h4c, (struct sockaddr *)&to, sizeof(to)) : -1;
	check(r == 0, "an association to H4 (raw attach, endpoint opened over rpc.h)",
		strerror(errno));
	if (r == 0) {
		int fl = dpsctp_fcntl(h4c, F_GETFL);
		static char msg[4000];
		double t0 = now_s();

		dpsctp_fcntl(h4c, F_SETFL, fl | O_NONBLOCK);
		while (now_s() - t0 < 5) {
			if (dpsctp_send(h4c, msg, sizeof(msg), 0) < 0 && errno != EAGAIN)
				break; /* the association is gone */
			usleep(200);
		}
		r = wait_assoc_end(h4c, 15, DPSCTP_COMM_LOST, DPSCTP_SHUTDOWN_COMP);
		struct dpsctp_status sst = {0};
		socklen_t sl = sizeof(sst);
		int sr = dpsctp_getsockopt(h4c, IPPROTO_SCTP, DPSCTP_STATUS, &sst, &sl);
		snprintf(why, sizeof(why), "no COMM_LOST / SHUTDOWN_COMP in 15 s (%d); STATUS: %d state %d, "
			"errno %s", r, sr, sst.sstat_state, strerror(errno));
		check(r > 0, "our association to H4 ended when its session was dropped", why);
	}

	/* K: killed mid-send */
	{
		int p[2];
		char one;

		if (pipe(p) != 0)
			return 1;
		kp = fork();
		if (kp == 0) {
			/* a fresh process (exec): K attaches on its own, as a real application */
			char port_s[16], fd_s[16];

			close(p[0]);
			snprintf(port_s, sizeof(port_s), "%u", vport);
			snprintf(fd_s, sizeof(fd_s), "%d", p[1]);
			execl(self, self, "--killed-sender", port_s, fd_s, (char *)NULL);
			_exit(127);
		}
		close(p[1]);
		struct pollfd pf = {.fd = p[0], .events = POLLIN};
		r = poll(&pf, 1, 10000) == 1 && read(p[0], &one, 1) == 1;
		close(p[0]);
		check(r, "K connected and sends", "no signal from K");
		/* read some of its data on the victim socket, then kill it mid-send */
		static char buf[1 << 16];
		long got = 0;
		double t0 = now_s();
		while (got < 2000000 && now_s() - t0 < 10) {
			struct pollfd pv = {.fd = v, .events = POLLIN};
			int flags = 0;
			ssize_t n;

			if (dpsctp_poll(&pv, 1, 200) != 1)
				continue;
			n = dpsctp_recvv(v, &(struct iovec){buf, sizeof(buf)}, 1, NULL, NULL, NULL, NULL,
				NULL, &flags);
			if (n > 0 && !(flags & DPSCTP_MSG_NOTIFICATION))
				got += n;
		}
		kill(kp, SIGKILL);
		waitpid(kp, &st, 0);
		fprintf(stderr, "# K killed after %ld bytes received\n", got);
		r = wait_assoc_end(v, 20, DPSCTP_SHUTDOWN_COMP, DPSCTP_COMM_LOST);
		snprintf(why, sizeof(why), "no SHUTDOWN_COMP / COMM_LOST on our side in 20 s (%d)", r);
		check(r > 0, "K's association ended on the peer side after SIGKILL", why);
		for (i = 0; i < 50 && session_listed(kp); i++)
			usleep(200000);
		check(!session_listed(kp), "K's session is gone from /dpsctp/sessions", "still listed");
	}

	/* the hostile sessions must be gone, their ports free */
	for (i = 0; i < 4; i++) {
		if (port[i] == 0)
			continue;
		snprintf(why, sizeof(why), "pid %d still listed, or port %u still taken, after 20 s",
			(int)hp[i], port[i]);
		char what[128];
		snprintf(what, sizeof(what), "%s: session dropped by the daemon, port freed", names[i]);
		check(gone(hp[i], port[i], 20), what, why);
	}
	if (port[3] != 0) {
		/* after H4's session is known to be gone: has our association heard of it now? */
		struct dpsctp_status sst = {0};
		socklen_t sl = sizeof(sst);
		int sr = dpsctp_getsockopt(h4c, IPPROTO_SCTP, DPSCTP_STATUS, &sst, &sl);

		fprintf(stderr, "# after H4's session was dropped: STATUS %d, state %d (%s)\n", sr,
			sst.sstat_state, sr < 0 ? strerror(errno) : "");
	}
	dpsctp_close(h4c);
	for (i = 0; i < 4; i++) {
		kill(hp[i], SIGKILL);
		waitpid(hp[i], &st, 0);
	}

	/* the good association: untouched */
	atomic_store(&stop_good, 1);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	snprintf(why, sizeof(why), "sent %ld / received %ld / bad %ld; sent %ld / received %ld / bad %ld",
		gs.sent, gs.received, gs.bad, gc.sent, gc.received, gc.bad);
	fprintf(stderr, "# good association: %s\n", why);
	check(gs.bad == 0 && gc.bad == 0 && gs.sent == gs.received && gc.sent == gc.received &&
			gs.sent > 0 && gc.sent > 0,
		"the good association delivered every message, in order, both ways", why);
	r = dpsctp_send(good_c, "still", 5, 0) == 5;
	char buf[16];
	r = r && dpsctp_recv(good_s, buf, sizeof(buf), 0) == 5;
	check(r, "the good association still works afterwards", strerror(errno));
	dpsctp_close(good_c);
	dpsctp_close(good_s);
	dpsctp_close(l);
	dpsctp_close(v);
	printf("%s\n", nfail == 0 ? "hostile: all passed" : "hostile: FAILED");
	return nfail == 0 ? 0 : 1;
}
