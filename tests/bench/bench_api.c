/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Application-to-application messages per second through libdpsctp, the shared-memory rings
 * and the stack (dpsctpd's local delivery over 127.0.0.1), for 128-byte and 1,400-byte
 * messages, beside a raw rte_ring SP/SC baseline measured in the same run (two threads moving
 * the same messages through one ring, a copy in and a copy out, as the API's channels do).
 *
 *   bench_api [--count N] [--quick]
 *
 * Needs a running dpsctpd (DPSCTP_SOCKET): scripts/bench-api.sh starts one through
 * api_with_daemon. Two processes exchange messages: a receiver (one-to-one, accepted
 * association) and a sender that sends N messages back to back (blocking: the send credit and
 * SCTP flow control pace it). Figures are printed, never asserted. Only this benchmark links
 * DPDK (for rte_ring); libdpsctp does not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_ring.h>

#include <dpsctp/dpsctp.h>

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- the rte_ring SP/SC baseline ---- */

#define RING_SIZE 1024
#define BURST 32

struct ring_bench {
	struct rte_ring *r;
	uint8_t *slots;  /* RING_SIZE message slots */
	size_t size;
	long count;
	double t_end;
};

static void *
ring_consumer(void *arg)
{
	struct ring_bench *b = arg;
	uint8_t *out = malloc(b->size);
	void *objs[BURST];
	long got = 0;

	while (got < b->count) {
		unsigned int n = rte_ring_sc_dequeue_burst(b->r, objs, BURST, NULL), i;

		for (i = 0; i < n; i++)
			memcpy(out, objs[i], b->size); /* copy out, as a receive does */
		got += n;
	}
	b->t_end = now_s();
	free(out);
	return NULL;
}

static double
ring_run(size_t size, long count)
{
	size_t memsize = (size_t)rte_ring_get_memsize(RING_SIZE);
	struct ring_bench b = {.size = size, .count = count};
	uint8_t *msg = malloc(size);
	pthread_t t;
	double t0;
	long sent = 0;
	unsigned int slot = 0;

	/* rte_ring_init on our own memory: no EAL needed for a ring between two threads */
	if (posix_memalign((void **)&b.r, 64, memsize) != 0 ||
		rte_ring_init(b.r, "bench_api", RING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ) != 0) {
		fprintf(stderr, "rte_ring_init failed\n");
		exit(1);
	}
	/* one slot per ring entry (+ a burst): a slot is reused only after it was dequeued */
	b.slots = malloc((RING_SIZE + BURST) * size);
	memset(msg, 0x5a, size);
	pthread_create(&t, NULL, ring_consumer, &b);
	t0 = now_s();
	while (sent < count) {
		void *objs[BURST];
		unsigned int n = count - sent < BURST ? (unsigned int)(count - sent) : BURST, i, k;

		for (i = 0; i < n; i++) {
			uint8_t *s = b.slots + (size_t)((slot + i) % (RING_SIZE + BURST)) * size;

			memcpy(s, msg, size); /* copy in, as a send does */
			objs[i] = s;
		}
		k = rte_ring_sp_enqueue_burst(b.r, objs, n, NULL);
		slot = (slot + k) % (RING_SIZE + BURST);
		sent += k;
	}
	pthread_join(t, NULL);
	free(b.slots);
	free(b.r);
	free(msg);
	return (double)count / (b.t_end - t0);
}

/* ---- through libdpsctp and the stack ---- */

/*
 * The receiving application: a process forked before this one touches libdpsctp (a child of an
 * attached process cannot use the parent's session), serving one run per request on @p cmd:
 * (size, count) in, the port out on @p out, then the time of its last receive.
 */
static int
receiver_process(int cmd, int out)
{
	struct {
		size_t size;
		long count;
	} req;

	while (read(cmd, &req, sizeof(req)) == sizeof(req)) {
		struct sockaddr_in a = {.sin_family = AF_INET};
		uint8_t *buf = malloc(req.size + 16);
		socklen_t len = sizeof(a);
		uint16_t port = 0;
		double t_end = 0;
		long got = 0;
		int l, s;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		l = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
		if (l < 0 || dpsctp_bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 ||
			dpsctp_listen(l, 1) != 0 ||
			dpsctp_getsockname(l, (struct sockaddr *)&a, &len) != 0) {
			perror("receiver");
		} else {
			port = ntohs(a.sin_port);
		}
		if (write(out, &port, sizeof(port)) != sizeof(port) || port == 0)
			return 1;
		s = dpsctp_accept(l, NULL, NULL);
		if (s < 0) {
			perror("accept");
			return 1;
		}
		while (got < req.count) {
			ssize_t n = dpsctp_recv(s, buf, req.size + 16, 0);

			if (n <= 0) {
				perror("recv");
				break;
			}
			got++;
		}
		if (got == req.count)
			t_end = now_s();
		if (write(out, &t_end, sizeof(t_end)) != sizeof(t_end))
			return 1;
		dpsctp_close(s);
		dpsctp_close(l);
		free(buf);
	}
	return 0;
}

static int rx_cmd = -1, rx_out = -1;
static pid_t rx_pid;

static void
receiver_start(void)
{
	int c[2], o[2];

	if (pipe(c) != 0 || pipe(o) != 0)
		exit(1);
	rx_pid = fork();
	if (rx_pid == 0) {
		close(c[1]);
		close(o[0]);
		_exit(receiver_process(c[0], o[1]));
	}
	close(c[0]);
	close(o[1]);
	rx_cmd = c[1];
	rx_out = o[0];
}

/* Messages per second from the sender's first send to the receiver's last receive; -1 on error. */
static double
api_run(size_t size, long count)
{
	struct {
		size_t size;
		long count;
	} req = {size, count};
	uint16_t port;
	struct sockaddr_in to = {.sin_family = AF_INET};
	uint8_t *msg = malloc(size);
	double t0, t_end = 0;
	long i;
	int c;

	if (write(rx_cmd, &req, sizeof(req)) != sizeof(req) ||
		read(rx_out, &port, sizeof(port)) != sizeof(port) || port == 0)
		return -1;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(port);
	c = dpsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (c < 0 || dpsctp_connect(c, (struct sockaddr *)&to, sizeof(to)) != 0) {
		perror("connect");
		return -1;
	}
	memset(msg, 0xa5, size);
	t0 = now_s();
	for (i = 0; i < count; i++) {
		if (dpsctp_send(c, msg, size, 0) != (ssize_t)size) {
			perror("send");
			break;
		}
	}
	if (i < count || read(rx_out, &t_end, sizeof(t_end)) != sizeof(t_end))
		t_end = 0;
	dpsctp_close(c);
	free(msg);
	if (t_end == 0)
		return -1;
	return (double)count / (t_end - t0);
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = {128, 1400};
	long count = 200000, ring_count;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			count = 20000;
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [--count N] [--quick]\n", argv[0]);
			return 2;
		}
	}
	ring_count = count * 20;
	if (getenv("DPSCTP_SOCKET") == NULL)
		fprintf(stderr, "DPSCTP_SOCKET not set: the default daemon socket is tried\n");
	receiver_start(); /* before this process attaches */
	printf("%-10s %16s %18s %10s\n", "size", "libdpsctp msg/s", "rte_ring SP/SC msg/s",
		"ratio");
	for (i = 0; i < 2; i++) {
		double api = api_run(sizes[i], count);
		double ring = ring_run(sizes[i], ring_count);

		if (api < 0)
			printf("%-10zu %16s %18.0f %10s\n", sizes[i], "failed", ring, "-");
		else
			printf("%-10zu %16.0f %18.0f %9.1f%%\n", sizes[i], api, ring, 100 * api / ring);
		fflush(stdout);
	}
	close(rx_cmd);
	waitpid(rx_pid, NULL, 0);
	printf("(%ld messages per API run, two processes over 127.0.0.1 through dpsctpd; %ld per "
	       "ring run, two threads, a copy in and out)\n",
		count, ring_count);
	return 0;
}
