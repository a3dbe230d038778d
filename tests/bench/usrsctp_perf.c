/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * usrsctp_perf: the usrsctp baseline of scripts/bench.sh. usrsctp (Debian's libusrsctp) over raw
 * IP (no UDP encapsulation), one thread and one one-to-one socket per association, measured the
 * way dpsctp-perf measures us, and summarised in the same machine-readable line.
 *
 *   usrsctp_perf server [--local ADDR] [--port P]
 *   usrsctp_perf client --peer ADDR [--local ADDR] [--port P] [--size B] [--assocs N]
 *                       [--pattern bulk|rr] [--unordered] [--seconds T] [--warmup W]
 *
 * Stream 0 carries the measured messages; stream 1 a few control words, so the figures come from
 * the side that counts them best:
 *   - bulk: the client sends as fast as usrsctp takes messages. The server counts what it
 *     receives between the client's "start" (after the warm-up) and "end", and answers
 *     "counts MSGS BYTES NS": the rate is the receiver's, not what sat in a send buffer.
 *   - rr: the server echoes every message; the client sends one, waits for its echo and keeps
 *     each round-trip time (CLOCK_MONOTONIC) after the warm-up: transactions/s and percentiles.
 * Nagle stays on in bulk (usrsctp bundles small messages, its best case) and off in rr.
 *
 * The client's last line is dpsctp-perf's summary line (mode=usrsctp; packets/s, retransmissions
 * and cycles/message are "-": usrsctp's socket API does not expose them). Raw IP needs root (or
 * CAP_NET_RAW); bench.sh runs the two ends in two network namespaces joined by a veth pair. The
 * kernel must not run SCTP itself there (no sctp module), or it would answer usrsctp's packets.
 * Exit: 0, or 1 when the association could not be set up or a peer vanished.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <usrsctp.h>

#define MAX_MSG (256 * 1024)
#define SOCK_BUF (4 * 1024 * 1024) /* as a tuned kernel would have it; 64 KiB messages fit */
#define SID_DATA 0
#define SID_CTRL 1
#define CTRL_MAX 128

struct opts {
	bool server;
	const char *peer;
	const char *local;
	uint16_t port;
	size_t size;
	unsigned int assocs;
	bool rr;
	bool unordered;
	double seconds;
	double warmup;
};

/* One association's client thread: what it measured. */
struct flow {
	const struct opts *o;
	pthread_t tid;
	int err;              /* 0, or why the flow stopped (errno) */
	uint64_t msgs, bytes; /* measured part: receiver's counts (bulk), round trips (rr) */
	uint64_t t0, t1;      /* measured window, CLOCK_MONOTONIC (one clock for both ends) */
	uint64_t *rtt_ns;     /* rr: each round trip after the warm-up */
	size_t n_rtt, cap_rtt;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
send_msg(struct socket *so, const void *buf, size_t len, uint16_t sid, bool unordered)
{
	struct sctp_sndinfo si;

	memset(&si, 0, sizeof(si));
	si.snd_sid = sid;
	si.snd_flags = unordered ? SCTP_UNORDERED : 0;
	if (usrsctp_sendv(so, buf, len, NULL, 0, &si, sizeof(si), SCTP_SENDV_SNDINFO, 0) < 0)
		return -errno;
	return 0;
}

/*
 * Read one whole message (pieces until MSG_EOR) into buf. Returns its length, 0 at the end of
 * the association, -errno on error; *sid and *unordered say where it came from.
 */
static ssize_t
recv_msg(struct socket *so, uint8_t *buf, size_t cap, uint16_t *sid, bool *unordered)
{
	size_t len = 0;

	for (;;) {
		struct sctp_rcvinfo ri;
		socklen_t rilen = sizeof(ri), fromlen = 0;
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n;

		memset(&ri, 0, sizeof(ri));
		/* a message longer than cap is counted, its tail dropped: only sizes matter */
		n = usrsctp_recvv(so, buf + (len < cap ? len : 0), len < cap ? cap - len : cap,
			NULL, &fromlen, &ri, &rilen, &infotype, &flags);
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (flags & MSG_NOTIFICATION)
			continue;
		if (len == 0) {
			*sid = infotype == SCTP_RECVV_RCVINFO ? ri.rcv_sid : SID_DATA;
			*unordered = infotype == SCTP_RECVV_RCVINFO &&
				     (ri.rcv_flags & SCTP_UNORDERED) != 0;
		}
		len += (size_t)n;
		if (flags & MSG_EOR)
			return (ssize_t)len;
	}
}

static void
set_int(struct socket *so, int level, int name, int v)
{
	if (usrsctp_setsockopt(so, level, name, &v, sizeof(v)) < 0)
		fprintf(stderr, "usrsctp_perf: setsockopt %d/%d: %s\n", level, name,
			strerror(errno));
}

static void
tune(struct socket *so)
{
	set_int(so, SOL_SOCKET, SO_SNDBUF, SOCK_BUF);
	set_int(so, SOL_SOCKET, SO_RCVBUF, SOCK_BUF);
	set_int(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1);
}

static int
addr_of(const char *s, uint16_t port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (s == NULL)
		return 0;
	return inet_pton(AF_INET, s, &sin->sin_addr) == 1 ? 0 : -EINVAL;
}

/* ---- server: a thread per accepted association, echoing or counting ---- */

static void *
serve(void *arg)
{
	struct socket *so = arg;
	uint8_t *buf = malloc(MAX_MSG);
	bool echo = false, counting = false;
	uint64_t msgs = 0, bytes = 0, t0 = 0;

	while (buf != NULL) {
		char ctrl[CTRL_MAX + 1];
		uint16_t sid;
		bool unordered;
		ssize_t n = recv_msg(so, buf, MAX_MSG, &sid, &unordered);

		if (n <= 0)
			break;
		if (sid == SID_DATA) {
			if (counting) {
				msgs++;
				bytes += (uint64_t)n;
			}
			if (echo && send_msg(so, buf, (size_t)(n < MAX_MSG ? n : MAX_MSG), SID_DATA,
					    unordered) < 0)
				break;
			continue;
		}
		memcpy(ctrl, buf, (size_t)(n < CTRL_MAX ? n : CTRL_MAX));
		ctrl[n < CTRL_MAX ? n : CTRL_MAX] = '\0';
		if (strcmp(ctrl, "echo") == 0) {
			echo = true;
		} else if (strcmp(ctrl, "start") == 0) {
			counting = true;
			msgs = bytes = 0;
			t0 = now_ns();
		} else if (strcmp(ctrl, "end") == 0) {
			int len = snprintf(ctrl, sizeof(ctrl),
				"counts %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, msgs, bytes,
				t0, counting ? now_ns() : t0);

			counting = false;
			if (send_msg(so, ctrl, (size_t)len, SID_CTRL, false) < 0)
				break;
		}
	}
	free(buf);
	usrsctp_close(so);
	return NULL;
}

static int
run_server(const struct opts *o)
{
	struct sockaddr_in sin;
	struct socket *ls;

	if (addr_of(o->local, o->port, &sin) < 0) {
		fprintf(stderr, "usrsctp_perf: bad --local %s\n", o->local);
		return 1;
	}
	ls = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (ls == NULL) {
		perror("usrsctp_socket");
		return 1;
	}
	tune(ls);
	if (usrsctp_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
		usrsctp_listen(ls, 4096) < 0) {
		perror("usrsctp_perf: bind/listen");
		return 1;
	}
	printf("usrsctp_perf: listening on port %u\n", o->port);
	fflush(stdout);
	for (;;) {
		pthread_t t;
		struct socket *so = usrsctp_accept(ls, NULL, NULL);

		if (so == NULL) {
			if (errno == EINTR)
				continue;
			perror("usrsctp_accept");
			return 1;
		}
		set_int(so, IPPROTO_SCTP, SCTP_NODELAY, 1); /* echoes go out at once */
		if (pthread_create(&t, NULL, serve, so) != 0) {
			usrsctp_close(so);
			continue;
		}
		pthread_detach(t);
	}
}

/* ---- client ---- */

static int
keep_rtt(struct flow *f, uint64_t ns)
{
	if (f->n_rtt == f->cap_rtt) {
		size_t cap = f->cap_rtt ? 2 * f->cap_rtt : 65536;
		uint64_t *p = realloc(f->rtt_ns, cap * sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		f->rtt_ns = p;
		f->cap_rtt = cap;
	}
	f->rtt_ns[f->n_rtt++] = ns;
	return 0;
}

static int
flow_rr(struct flow *f, struct socket *so, uint8_t *buf, uint64_t t_start, uint64_t t_end)
{
	const struct opts *o = f->o;
	uint64_t t;

	while ((t = now_ns()) < t_end) {
		uint16_t sid;
		bool unordered;
		ssize_t n;
		int rc = send_msg(so, buf, o->size, SID_DATA, o->unordered);

		if (rc < 0)
			return rc;
		do
			n = recv_msg(so, buf, MAX_MSG, &sid, &unordered);
		while (n > 0 && sid != SID_DATA);
		if (n <= 0)
			return n == 0 ? -ECONNRESET : (int)n;
		if (t >= t_start) {
			uint64_t done = now_ns();

			if (keep_rtt(f, done - t) < 0)
				return -ENOMEM;
			f->msgs++;
			f->bytes += o->size;
		}
	}
	f->t0 = t_start;
	f->t1 = t_end;
	return 0;
}

static int
flow_bulk(struct flow *f, struct socket *so, uint8_t *buf, uint64_t t_start, uint64_t t_end)
{
	const struct opts *o = f->o;
	bool started = false;
	uint64_t t;
	int rc;

	while ((t = now_ns()) < t_end) {
		if (!started && t >= t_start) {
			rc = send_msg(so, "start", 5, SID_CTRL, false);
			if (rc < 0)
				return rc;
			started = true;
		}
		rc = send_msg(so, buf, o->size, SID_DATA, o->unordered);
		if (rc < 0)
			return rc;
	}
	rc = send_msg(so, "end", 3, SID_CTRL, false);
	if (rc < 0)
		return rc;
	for (;;) {
		char ctrl[CTRL_MAX + 1];
		uint16_t sid;
		bool unordered;
		ssize_t n = recv_msg(so, buf, MAX_MSG, &sid, &unordered);

		if (n <= 0)
			return n == 0 ? -ECONNRESET : (int)n;
		if (sid != SID_CTRL)
			continue;
		memcpy(ctrl, buf, (size_t)(n < CTRL_MAX ? n : CTRL_MAX));
		ctrl[n < CTRL_MAX ? n : CTRL_MAX] = '\0';
		if (sscanf(ctrl, "counts %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &f->msgs,
			    &f->bytes, &f->t0, &f->t1) == 4)
			return 0;
	}
}

static void *
flow_main(void *arg)
{
	struct flow *f = arg;
	const struct opts *o = f->o;
	struct sockaddr_in peer, local;
	struct socket *so;
	uint8_t *buf;
	uint64_t t0;
	int rc;

	buf = malloc(MAX_MSG);
	so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (buf == NULL || so == NULL) {
		f->err = buf == NULL ? ENOMEM : errno;
		goto out;
	}
	memset(buf, 0xa5, MAX_MSG);
	tune(so);
	if (o->rr)
		set_int(so, IPPROTO_SCTP, SCTP_NODELAY, 1);
	addr_of(o->peer, o->port, &peer);
	if (o->local != NULL) {
		addr_of(o->local, 0, &local);
		if (usrsctp_bind(so, (struct sockaddr *)&local, sizeof(local)) < 0) {
			f->err = errno;
			goto out;
		}
	}
	if (usrsctp_connect(so, (struct sockaddr *)&peer, sizeof(peer)) < 0) {
		f->err = errno;
		goto out;
	}
	if (o->rr && (rc = send_msg(so, "echo", 4, SID_CTRL, false)) < 0) {
		f->err = -rc;
		goto out;
	}
	t0 = now_ns() + (uint64_t)(o->warmup * 1e9);
	rc = o->rr ? flow_rr(f, so, buf, t0, t0 + (uint64_t)(o->seconds * 1e9))
		   : flow_bulk(f, so, buf, t0, t0 + (uint64_t)(o->seconds * 1e9));
	if (rc < 0)
		f->err = -rc;
out:
	if (so != NULL)
		usrsctp_close(so);
	free(buf);
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct_us(const uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)n);

	return n == 0 ? 0.0 : (double)v[i < n ? i : n - 1] / 1e3;
}

static int
run_client(const struct opts *o)
{
	struct flow *f = calloc(o->assocs, sizeof(*f));
	double msgs_per_s = 0, bits_per_s = 0;
	uint64_t msgs = 0, bytes = 0, t0 = UINT64_MAX, t1 = 0;
	uint64_t *all = NULL;
	size_t n_all = 0;
	unsigned int i, failed = 0;

	if (f == NULL)
		return 1;
	for (i = 0; i < o->assocs; i++) {
		f[i].o = o;
		if (pthread_create(&f[i].tid, NULL, flow_main, &f[i]) != 0) {
			f[i].err = EAGAIN;
			f[i].tid = 0;
		}
	}
	for (i = 0; i < o->assocs; i++) {
		if (f[i].tid != 0)
			pthread_join(f[i].tid, NULL);
		if (f[i].err != 0 || f[i].t1 <= f[i].t0) {
			fprintf(stderr, "usrsctp_perf: association %u: %s\n", i,
				f[i].err ? strerror(f[i].err) : "measured nothing");
			failed++;
			continue;
		}
		msgs += f[i].msgs;
		bytes += f[i].bytes;
		t0 = f[i].t0 < t0 ? f[i].t0 : t0;
		t1 = f[i].t1 > t1 ? f[i].t1 : t1;
		n_all += f[i].n_rtt;
	}
	/*
	 * All messages over the union of the windows, not a sum of per-association rates: when
	 * usrsctp serves associations in turn, each one's own window is short and its rate high.
	 */
	if (t1 > t0) {
		msgs_per_s = (double)msgs * 1e9 / (double)(t1 - t0);
		bits_per_s = (double)bytes * 8e9 / (double)(t1 - t0);
	}
	if (o->rr && n_all > 0) {
		all = malloc(n_all * sizeof(*all));
		if (all == NULL)
			return 1;
		n_all = 0;
		for (i = 0; i < o->assocs; i++) {
			if (f[i].err != 0)
				continue;
			memcpy(all + n_all, f[i].rtt_ns, f[i].n_rtt * sizeof(*all));
			n_all += f[i].n_rtt;
		}
		qsort(all, n_all, sizeof(*all), cmp_u64);
	}
	printf("usrsctp: %u of %u associations measured, %.0f msgs/s, %.3f Gbit/s\n",
		o->assocs - failed, o->assocs, msgs_per_s, bits_per_s / 1e9);
	printf("summary mode=usrsctp size=%zu assocs=%u streams=1 order=%s pattern=%s "
	       "msgs_per_s=%.0f gbit_per_s=%.4f pkts_per_s=- retrans=- cycles_per_msg=-",
		o->size, o->assocs, o->unordered ? "unordered" : "ordered", o->rr ? "rr" : "bulk",
		msgs_per_s, bits_per_s / 1e9);
	if (all != NULL)
		printf(" p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f\n",
			pct_us(all, n_all, 0.50), pct_us(all, n_all, 0.99),
			pct_us(all, n_all, 0.999), (double)all[n_all - 1] / 1e3);
	else
		printf(" p50_us=- p99_us=- p999_us=- max_us=-\n");
	fflush(stdout);
	/*
	 * No usrsctp_finish(): it waits for associations to be freed, which can take usrsctp's
	 * timers a while; the process is done.
	 */
	_exit(failed == o->assocs ? 1 : 0);
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s server [--local ADDR] [--port P]\n"
		"       %s client --peer ADDR [--local ADDR] [--port P] [--size B] [--assocs N]\n"
		"                 [--pattern bulk|rr] [--unordered] [--seconds T] [--warmup W]\n",
		prog, prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o = {.port = 5001, .size = 128, .assocs = 1, .seconds = 5, .warmup = 1};
	int i;

	if (argc < 2)
		usage(argv[0]);
	if (strcmp(argv[1], "server") == 0)
		o.server = true;
	else if (strcmp(argv[1], "client") != 0)
		usage(argv[0]);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--unordered") == 0) {
			o.unordered = true;
			continue;
		}
		if (v == NULL)
			usage(argv[0]);
		i++;
		if (strcmp(a, "--peer") == 0)
			o.peer = v;
		else if (strcmp(a, "--local") == 0)
			o.local = v;
		else if (strcmp(a, "--port") == 0)
			o.port = (uint16_t)atoi(v);
		else if (strcmp(a, "--size") == 0)
			o.size = strtoul(v, NULL, 10);
		else if (strcmp(a, "--assocs") == 0)
			o.assocs = (unsigned int)strtoul(v, NULL, 10);
		else if (strcmp(a, "--pattern") == 0)
			o.rr = strcmp(v, "rr") == 0;
		else if (strcmp(a, "--seconds") == 0)
			o.seconds = atof(v);
		else if (strcmp(a, "--warmup") == 0)
			o.warmup = atof(v);
		else
			usage(argv[0]);
	}
	if ((!o.server && o.peer == NULL) || o.size == 0 || o.size > MAX_MSG || o.assocs == 0 ||
		o.seconds <= 0) {
		usage(argv[0]);
	}
	/* port 0: no UDP encapsulation, SCTP straight over IP (raw sockets); no debug printer */
	usrsctp_init(0, NULL, NULL);
	usrsctp_sysctl_set_sctp_sendspace(SOCK_BUF);
	usrsctp_sysctl_set_sctp_recvspace(SOCK_BUF);
	return o.server ? run_server(&o) : run_client(&o);
}
