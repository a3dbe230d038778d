/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo_client: the one-to-one SCTP echo client of the RFC 6458 style (the Solaris guide's
 * example 7-17), on libdpsctp.
 *
 *   echo_client [-t] [-p PORT] [-c COUNT] [-s SIZE] [-S STREAMS] ADDRESS...
 *
 * Connects with dpsctp_connectx() to the server reachable at every ADDRESS given (a multihomed
 * peer: IPv4 and/or IPv6; port PORT, default 5000), asking for 64 streams each way. Without -c
 * it sends each line of its standard input as one message; with -c it sends COUNT messages of
 * SIZE bytes (default 100). Message i goes on stream i % STREAMS (default 64: the streams asked
 * for; a peer that grants fewer needs -S) with payload protocol identifier i;
 * every echo is checked against what was sent (content, stream, ppid).
 * -t: a receiver thread reads the echoes while the main thread sends, on the same socket (as
 * the reference client does); without it the client sends one message and waits for its echo.
 * The last line is "echo_client: N messages echoed, M bad"; exit 0 when all came back intact.
 * The daemon is found through the environment variable DPSCTP_SOCKET (or its default path).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

#define BUFLEN 65536
#define SERVER_PORT 5000
#define MAX_STREAM 64
#define MAX_ADDRS 16

static int fd;
static size_t size = 100;
static unsigned int nstreams = MAX_STREAM; /* streams used (-S) */
static long sent;                  /* messages sent (written by the sender only) */
static long echoed, bad;           /* checked by the receiver */
static int sending_done;           /* the sender has finished (guarded by lock) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char **lines;               /* stdin mode: what was sent, to check the echoes */
static size_t nlines, caplines;

/* The content of generated message i (SIZE bytes). */
static void
fill(char *buf, long i)
{
	size_t k;
	int n = snprintf(buf, size, "message %ld:", i);

	for (k = (size_t)n; k < size; k++)
		buf[k] = (char)('a' + (i + (long)k) % 26);
}

static void
print_notif(const void *buf)
{
	const union dpsctp_notification *snp = buf;

	if (snp->sn_header.sn_type == DPSCTP_ASSOC_CHANGE) {
		const struct dpsctp_assoc_change *sac = &snp->sn_assoc_change;

		printf("[ assoc change: state = %hu, error = %hu, instr = %hu, outstr = %hu ]\n",
			sac->sac_state, sac->sac_error, sac->sac_inbound_streams,
			sac->sac_outbound_streams);
	} else if (snp->sn_header.sn_type == DPSCTP_SHUTDOWN_EVENT) {
		printf("[ shutdown event ]\n");
	} else {
		printf("[ notification type %hu ]\n", snp->sn_header.sn_type);
	}
	fflush(stdout);
}

/*
 * Check echo @p n bytes of @p buf with @p info: the ppid names the message (the server echoes
 * it), which must have been sent, come back once, on its stream, intact, and after the earlier
 * messages of its stream (SCTP orders messages per stream, not across streams).
 */
static void
check_echo(const char *buf, ssize_t n, const struct dpsctp_rcvinfo *info)
{
	static char *want;
	static unsigned char *seen;
	static long last[MAX_STREAM];
	long i = (long)info->rcv_ppid;
	long nsent;
	size_t wlen;
	int ok;

	pthread_mutex_lock(&lock);
	nsent = sent;
	if (seen == NULL) {
		seen = calloc(1, 1 << 20);
		for (int k = 0; k < MAX_STREAM; k++)
			last[k] = -1;
	}
	ok = seen != NULL && i >= 0 && i < nsent && i < (1 << 20) && !seen[i];
	if (ok && lines != NULL) {
		want = lines[i];
		wlen = strlen(want);
		ok = (size_t)n == wlen && memcmp(buf, want, wlen) == 0;
		if (ok)
			printf("%.*s\n", (int)n, buf);
	} else if (ok) {
		if (want == NULL && (want = malloc(size)) == NULL)
			exit(1);
		fill(want, i);
		ok = (size_t)n == size && memcmp(buf, want, size) == 0;
	}
	pthread_mutex_unlock(&lock);
	ok = ok && info->rcv_sid == i % nstreams && i > last[info->rcv_sid];
	if (ok) {
		seen[i] = 1;
		last[info->rcv_sid] = i;
	} else {
		bad++;
		fprintf(stderr, "echo %ld: bad (%zd bytes, stream %hu, ppid %u)\n", echoed, n,
			info->rcv_sid, info->rcv_ppid);
	}
	echoed++;
	fflush(stdout);
}

/*
 * Read one whole echo (or notification) from the network. Returns its length, 0 at the end
 * of the association, -1 on error.
 */
static ssize_t
read_one(char *buf, struct dpsctp_rcvinfo *info, int *flags)
{
	size_t tot = 0;

	for (;;) {
		struct iovec iov = {.iov_base = buf + tot, .iov_len = BUFLEN - tot};
		socklen_t info_len = sizeof(*info);
		unsigned int info_type = 0;
		ssize_t n;

		*flags = 0;
		n = dpsctp_recvv(fd, &iov, 1, NULL, NULL, info, &info_len, &info_type, flags);
		if (n <= 0)
			return n;
		tot += (size_t)n;
		if (*flags & DPSCTP_MSG_NOTIFICATION) {
			if (*flags & MSG_EOR)
				return (ssize_t)tot;
			continue;
		}
		/* The message should be accompanied by a dpsctp_rcvinfo. */
		if (info_type != DPSCTP_RECVV_RCVINFO) {
			fprintf(stderr, "no dpsctp_rcvinfo attached\n");
			return -1;
		}
		if ((*flags & MSG_EOR) || tot == BUFLEN)
			return (ssize_t)tot;
	}
}

/* Read echoes until every message sent has come back (or the association ends). */
static void *
readit(void *arg)
{
	char *buf = malloc(BUFLEN);
	struct dpsctp_rcvinfo info;
	int flags, done;
	ssize_t n;

	(void)arg;
	if (buf == NULL)
		exit(1);
	for (;;) {
		pthread_mutex_lock(&lock);
		done = sending_done && echoed >= sent;
		pthread_mutex_unlock(&lock);
		if (done)
			break;
		n = read_one(buf, &info, &flags);
		if (n <= 0) {
			if (n < 0)
				perror("dpsctp_recvv");
			break;
		}
		if (flags & DPSCTP_MSG_NOTIFICATION) {
			print_notif(buf);
			continue;
		}
		check_echo(buf, n, &info);
	}
	free(buf);
	return NULL;
}

static int
send_one(const char *buf, size_t len, long i)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct dpsctp_sndinfo info;

	memset(&info, 0, sizeof(info));
	info.snd_sid = (uint16_t)(i % nstreams); /* message i on stream i % STREAMS */
	/* The server echoes snd_ppid back as it is: no byte-order conversion needed here. */
	info.snd_ppid = (uint32_t)i;
	/* counted before it goes: its echo may come back before dpsctp_sendv() returns */
	pthread_mutex_lock(&lock);
	sent++;
	pthread_mutex_unlock(&lock);
	if (dpsctp_sendv(fd, &iov, 1, NULL, 0, &info, sizeof(info), DPSCTP_SENDV_SNDINFO, 0) < 0) {
		perror("dpsctp_sendv");
		pthread_mutex_lock(&lock);
		sent--;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	return 0;
}

/* The next message to send: generated, or a line of stdin. NULL at the end. */
static char *
next_message(long count, size_t *len)
{
	static char *buf;
	static size_t cap;
	ssize_t n;

	if (count >= 0) {
		if (sent >= count)
			return NULL;
		if (buf == NULL && (buf = malloc(size)) == NULL)
			exit(1);
		fill(buf, sent);
		*len = size;
		return buf;
	}
	n = getline(&buf, &cap, stdin);
	if (n <= 0)
		return NULL;
	if (buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n == 0) /* an empty message cannot be sent: skip empty lines */
		return next_message(count, len);
	pthread_mutex_lock(&lock);
	if (nlines == caplines) {
		caplines = caplines ? caplines * 2 : 64;
		lines = realloc(lines, caplines * sizeof(*lines));
		if (lines == NULL)
			exit(1);
	}
	lines[nlines++] = strdup(buf);
	pthread_mutex_unlock(&lock);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage addrs[MAX_ADDRS];
	char packed[MAX_ADDRS * sizeof(struct sockaddr_in6)];
	struct dpsctp_initmsg initmsg;
	struct dpsctp_event event;
	unsigned int port = SERVER_PORT;
	int opt, threaded = 0, on = 1, naddrs = 0, v6 = 0, i;
	long count = -1;
	size_t off = 0, len;
	dpsctp_assoc_t id = 0;
	pthread_t tid;
	char *msg;

	while ((opt = getopt(argc, argv, "tp:c:s:S:")) != -1) {
		switch (opt) {
		case 'S':
			nstreams = (unsigned int)strtoul(optarg, NULL, 10);
			if (nstreams < 1 || nstreams > MAX_STREAM)
				goto usage;
			break;
		case 't':
			threaded = 1;
			break;
		case 'p':
			port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			count = strtol(optarg, NULL, 10);
			break;
		case 's':
			size = strtoul(optarg, NULL, 10);
			if (size < 16 || size > BUFLEN) {
				fprintf(stderr, "size: 16..%d\n", BUFLEN);
				return 2;
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || argc - optind > MAX_ADDRS)
		goto usage;
	for (i = optind; i < argc; i++)
		v6 |= strchr(argv[i], ':') != NULL;
	/*
	 * The addresses of the server, packed: sockaddr_in for an IPv4 socket; for an IPv6 socket
	 * sockaddr_in6, IPv4 addresses as IPv4-mapped IPv6 ones.
	 */
	for (i = optind; i < argc; i++, naddrs++) {
		struct in_addr a4;
		struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

		if (!v6) {
			struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};

			if (inet_pton(AF_INET, argv[i], &sin.sin_addr) != 1)
				goto bad_addr;
			memcpy(packed + off, &sin, sizeof(sin));
			off += sizeof(sin);
			continue;
		}
		if (inet_pton(AF_INET6, argv[i], &sin6.sin6_addr) != 1) {
			if (inet_pton(AF_INET, argv[i], &a4) != 1)
				goto bad_addr;
			sin6.sin6_addr.s6_addr[10] = 0xff;
			sin6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6.sin6_addr.s6_addr[12], &a4, 4);
		}
		memcpy(packed + off, &sin6, sizeof(sin6));
		off += sizeof(sin6);
	}
	(void)addrs;

	/* Create a one-to-one SCTP socket. */
	fd = dpsctp_socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (fd == -1) {
		perror("dpsctp_socket");
		return 1;
	}
	/* We want association change events and a dpsctp_rcvinfo with each message. */
	memset(&event, 0, sizeof(event));
	event.se_assoc_id = DPSCTP_FUTURE_ASSOC; /* ignored for a one-to-one socket */
	event.se_type = DPSCTP_ASSOC_CHANGE;
	event.se_on = 1;
	if (dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &event, sizeof(event)) < 0) {
		perror("setsockopt DPSCTP_EVENT");
		return 1;
	}
	if (dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, &on, sizeof(on)) < 0) {
		perror("setsockopt DPSCTP_RECVRCVINFO");
		return 1;
	}
	/* The stream parameters to tell the other side when setting up the association. */
	memset(&initmsg, 0, sizeof(initmsg));
	initmsg.sinit_num_ostreams = MAX_STREAM;
	initmsg.sinit_max_instreams = MAX_STREAM;
	initmsg.sinit_max_attempts = 4;
	if (dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_INITMSG, &initmsg, sizeof(initmsg)) < 0) {
		perror("setsockopt DPSCTP_INITMSG");
		return 1;
	}

	/* Now connect to the peer, at any of its addresses. */
	if (dpsctp_connectx(fd, (struct sockaddr *)packed, naddrs, &id) == -1) {
		perror("dpsctp_connectx");
		return 1;
	}
	printf("echo_client: connected to %d address(es), association %u\n", naddrs, id);
	fflush(stdout);

	if (threaded && pthread_create(&tid, NULL, readit, NULL) != 0) {
		fprintf(stderr, "pthread_create failed\n");
		return 1;
	}
	while ((msg = next_message(count, &len)) != NULL) {
		if (send_one(msg, len, sent) != 0)
			break;
		if (!threaded) {
			/* one message, one echo (notifications read on the way) */
			pthread_mutex_lock(&lock);
			sending_done = 1;
			pthread_mutex_unlock(&lock);
			readit(NULL);
			pthread_mutex_lock(&lock);
			sending_done = 0;
			pthread_mutex_unlock(&lock);
		}
	}
	pthread_mutex_lock(&lock);
	sending_done = 1;
	pthread_mutex_unlock(&lock);
	if (threaded)
		pthread_join(tid, NULL);
	printf("echo_client: %ld messages echoed, %ld bad\n", echoed, bad);
	fflush(stdout);
	dpsctp_close(fd); /* graceful shutdown of the association */
	return (bad == 0 && echoed == sent && sent > 0) ? 0 : 1;
usage:
	fprintf(stderr, "usage: %s [-t] [-p PORT] [-c COUNT] [-s SIZE] [-S STREAMS] ADDRESS...\n",
		argv[0]);
	return 2;
bad_addr:
	fprintf(stderr, "not an address: %s\n", argv[i]);
	return 2;
}
