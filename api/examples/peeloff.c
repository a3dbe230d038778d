/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peeloff: branch a busy association off a one-to-many socket (RFC 6458 9.2, the Solaris
 * guide's "Branched-off Association"), on libdpsctp.
 *
 *   peeloff [-p PORT] [-c COUNT] [-a AFTER]
 *
 * A one-to-many server socket listens on 127.0.0.1:PORT (default 5002). A sender thread (a
 * client on its own one-to-many socket, as a busy signalling peer would be) sends COUNT
 * numbered messages (default 2000) on one stream without pause. The server reads the first
 * AFTER of them (default 100) on the one-to-many socket, then peels that association off into
 * a one-to-one socket with dpsctp_peeloff() while the sender keeps going, reads the rest there
 * (messages queued before the peel-off move with it) checking that none is lost, duplicated or
 * out of order, and answers "done N" on the peeled socket, which the client reads. Exit 0 when
 * all that holds. The daemon is found through DPSCTP_SOCKET.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

static unsigned int port = 5002;
static long count = 2000, after = 100;
static int client_ok;

static struct sockaddr_in
server_addr(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* The busy peer: COUNT messages to the server without connecting, then wait for the answer. */
static void *
client(void *arg)
{
	struct sockaddr_in to = server_addr();
	char buf[64];
	long i;
	int fd = dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	ssize_t n;
	int flags = 0;

	(void)arg;
	if (fd < 0) {
		perror("client: dpsctp_socket");
		return NULL;
	}
	for (i = 0; i < count; i++) {
		int len = snprintf(buf, sizeof(buf), "seq %ld", i);

		/* the legacy call: to an address, ppid, flags, stream 0, no lifetime, context i */
		if (dpsctp_sctp_sendmsg(fd, buf, (size_t)len, (struct sockaddr *)&to, sizeof(to),
			    htonl(42), 0, 0, 0, (uint32_t)i) < 0) {
			perror("client: dpsctp_sctp_sendmsg");
			dpsctp_close(fd);
			return NULL;
		}
	}
	n = dpsctp_sctp_recvmsg(fd, buf, sizeof(buf) - 1, NULL, NULL, NULL, &flags);
	if (n > 0) {
		buf[n] = '\0';
		printf("peeloff: the client got \"%s\"\n", buf);
		client_ok = snprintf(NULL, 0, "done %ld", count) == n &&
			    strncmp(buf, "done ", 5) == 0 && strtol(buf + 5, NULL, 10) == count;
	} else {
		perror("client: dpsctp_sctp_recvmsg");
	}
	dpsctp_close(fd);
	return NULL;
}

/* Read one message "seq N" with its rcvinfo; returns N, or -1. */
static long
read_seq(int fd, dpsctp_assoc_t *id)
{
	char buf[64];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
	struct dpsctp_rcvinfo info;
	socklen_t infolen = sizeof(info);
	unsigned int type = 0;
	int flags = 0;
	ssize_t n;

	do {
		infolen = sizeof(info);
		flags = 0;
		n = dpsctp_recvv(fd, &iov, 1, NULL, NULL, &info, &infolen, &type, &flags);
	} while (n > 0 && (flags & DPSCTP_MSG_NOTIFICATION));
	if (n <= 0 || !(flags & MSG_EOR) || type != DPSCTP_RECVV_RCVINFO)
		return -1;
	buf[n] = '\0';
	if (id != NULL)
		*id = info.rcv_assoc_id;
	return strncmp(buf, "seq ", 4) == 0 ? strtol(buf + 4, NULL, 10) : -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in me = {.sin_family = AF_INET};
	dpsctp_assoc_t id = 0;
	pthread_t tid;
	long i, got;
	int lfd, pfd, on = 1, opt, ok = 1;
	char answer[32];
	ssize_t len;

	while ((opt = getopt(argc, argv, "p:c:a:")) != -1) {
		if (opt == 'p')
			port = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 'c')
			count = strtol(optarg, NULL, 10);
		else if (opt == 'a')
			after = strtol(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: %s [-p PORT] [-c COUNT] [-a AFTER]\n", argv[0]);
			return 2;
		}
	}
	if (after < 1 || after >= count)
		after = count / 2 > 0 ? count / 2 : 1;

	/* the one-to-many server */
	me = server_addr();
	lfd = dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (lfd < 0 || dpsctp_bind(lfd, (struct sockaddr *)&me, sizeof(me)) < 0 ||
		dpsctp_setsockopt(lfd, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, &on, sizeof(on)) < 0 ||
		dpsctp_listen(lfd, 8) < 0) {
		perror("server socket");
		return 1;
	}
	if (pthread_create(&tid, NULL, client, NULL) != 0)
		return 1;

	/* the first messages on the one-to-many socket: they name the association */
	for (i = 0; i < after; i++) {
		got = read_seq(lfd, &id);
		if (got != i) {
			fprintf(stderr, "peeloff: one-to-many socket: expected seq %ld, got %ld\n", i, got);
			return 1;
		}
	}
	/* branch it off while the client keeps sending */
	pfd = dpsctp_peeloff(lfd, id);
	if (pfd < 0) {
		perror("dpsctp_peeloff");
		return 1;
	}
	printf("peeloff: association %u peeled off after %ld messages\n", id, after);
	for (; i < count; i++) {
		got = read_seq(pfd, NULL);
		if (got != i) {
			fprintf(stderr, "peeloff: peeled socket: expected seq %ld, got %ld\n", i, got);
			ok = 0;
			break;
		}
	}
	printf("peeloff: %ld messages in order on the peeled socket\n", i - after);
	/* keep talking on the peeled socket: it is one-to-one, no association id needed */
	len = snprintf(answer, sizeof(answer), "done %ld", i);
	if (dpsctp_send(pfd, answer, (size_t)len, 0) != len) {
		perror("dpsctp_send");
		ok = 0;
	}
	pthread_join(tid, NULL);
	dpsctp_close(pfd);
	dpsctp_close(lfd);
	ok = ok && client_ok;
	printf("peeloff: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
