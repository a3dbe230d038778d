/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo_server: the one-to-one SCTP echo server of the RFC 6458 style (the Solaris guide's
 * example 7-18), on libdpsctp.
 *
 *   echo_server [-p PORT] [-n ASSOCS] [-4]
 *
 * Listens on every address of the daemon (IPv6 wildcard, IPv4 included; -4: an IPv4 socket),
 * port PORT (default 5000), asks for 64 streams each way, subscribes to the notifications it
 * prints, and echoes every message back on the stream and with the payload protocol identifier
 * it came with. With -n it exits after ASSOCS associations have ended, else it runs forever.
 * The daemon is found through the environment variable DPSCTP_SOCKET (or its default path).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

#define BUFLEN 1024
#define SERVER_PORT 5000
#define MAX_STREAM 64

static const char *
state_name(uint16_t state)
{
	switch (state) {
	case DPSCTP_COMM_UP:
		return "COMM_UP";
	case DPSCTP_COMM_LOST:
		return "COMM_LOST";
	case DPSCTP_RESTART:
		return "RESTART";
	case DPSCTP_SHUTDOWN_COMP:
		return "SHUTDOWN_COMP";
	case DPSCTP_CANT_STR_ASSOC:
		return "CANT_STR_ASSOC";
	}
	return "?";
}

/* Given an event notification, print out what it is. */
static void
handle_event(const void *buf)
{
	const union dpsctp_notification *snp = buf;
	char addrbuf[INET6_ADDRSTRLEN] = "?";

	switch (snp->sn_header.sn_type) {
	case DPSCTP_ASSOC_CHANGE: {
		const struct dpsctp_assoc_change *sac = &snp->sn_assoc_change;

		printf(">>> assoc_change: state=%s, error=%hu, instr=%hu outstr=%hu\n",
			state_name(sac->sac_state), sac->sac_error, sac->sac_inbound_streams,
			sac->sac_outbound_streams);
		break;
	}
	case DPSCTP_SEND_FAILED_EVENT: {
		const struct dpsctp_send_failed_event *ssfe = &snp->sn_send_failed_event;

		printf(">>> sendfailed: len=%u err=%u\n", ssfe->ssfe_length, ssfe->ssfe_error);
		break;
	}
	case DPSCTP_PEER_ADDR_CHANGE: {
		const struct dpsctp_paddr_change *spc = &snp->sn_paddr_change;

		if (spc->spc_aaddr.ss_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)&spc->spc_aaddr)->sin_addr,
				addrbuf, sizeof(addrbuf));
		else if (spc->spc_aaddr.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&spc->spc_aaddr)->sin6_addr,
				addrbuf, sizeof(addrbuf));
		printf(">>> intf_change: %s state=%u, error=%u\n", addrbuf, spc->spc_state,
			spc->spc_error);
		break;
	}
	case DPSCTP_REMOTE_ERROR:
		printf(">>> remote_error: err=%hu len=%u\n", snp->sn_remote_error.sre_error,
			snp->sn_remote_error.sre_length);
		break;
	case DPSCTP_SHUTDOWN_EVENT:
		printf(">>> shutdown event\n");
		break;
	default:
		printf(">>> unexpected type: %hu\n", snp->sn_header.sn_type);
		break;
	}
	fflush(stdout);
}

/*
 * Receive a whole message or notification into *bufp (grown as needed): loop until MSG_EOR,
 * as a message larger than the buffer comes in pieces. Returns its length, 0 at end of stream.
 */
static ssize_t
getmsg(int fd, char **bufp, size_t *buflenp, struct dpsctp_rcvinfo *info, int *flags)
{
	size_t tot = 0;

	for (;;) {
		struct iovec iov = {.iov_base = *bufp + tot, .iov_len = *buflenp - tot};
		socklen_t info_len = sizeof(*info);
		unsigned int info_type = 0;
		ssize_t nr;

		*flags = 0;
		nr = dpsctp_recvv(fd, &iov, 1, NULL, NULL, info, &info_len, &info_type, flags);
		if (nr <= 0)
			return nr;
		tot += (size_t)nr;
		if (*flags & (MSG_EOR | DPSCTP_MSG_NOTIFICATION))
			return (ssize_t)tot;
		if (info_type != DPSCTP_RECVV_RCVINFO) {
			fprintf(stderr, "unexpected info type %u\n", info_type);
			return -1;
		}
		if (tot == *buflenp) { /* a bigger buffer for the rest of the message */
			char *nb = realloc(*bufp, *buflenp * 2);

			if (nb == NULL) {
				fprintf(stderr, "out of memory\n");
				exit(1);
			}
			*bufp = nb;
			*buflenp *= 2;
		}
	}
}

/* Echo everything of one association back, until it ends. */
static void
echo(int fd)
{
	size_t buflen = BUFLEN;
	char *buf = malloc(buflen);
	struct dpsctp_rcvinfo rinfo;
	struct dpsctp_sndinfo sinfo;
	unsigned long msgs = 0, bytes = 0;
	ssize_t nr;
	int flags;

	if (buf == NULL)
		exit(1);
	memset(&sinfo, 0, sizeof(sinfo));
	while ((nr = getmsg(fd, &buf, &buflen, &rinfo, &flags)) > 0) {
		struct iovec iov = {.iov_base = buf, .iov_len = (size_t)nr};

		if (flags & DPSCTP_MSG_NOTIFICATION) {
			handle_event(buf);
			continue;
		}
		printf(">>> got %zd bytes on stream %hu, ppid %u\n", nr, rinfo.rcv_sid,
			rinfo.rcv_ppid);
		fflush(stdout);
		/* Echo it back on the same stream with the same ppid (opaque: no byte swap). */
		sinfo.snd_sid = rinfo.rcv_sid;
		sinfo.snd_ppid = rinfo.rcv_ppid;
		if (dpsctp_sendv(fd, &iov, 1, NULL, 0, &sinfo, sizeof(sinfo), DPSCTP_SENDV_SNDINFO,
			    0) < 0) {
			perror("dpsctp_sendv");
			break;
		}
		msgs++;
		bytes += (unsigned long)nr;
	}
	if (nr < 0)
		perror("dpsctp_recvv");
	printf("echo_server: association ended: %lu messages, %lu bytes echoed\n", msgs, bytes);
	fflush(stdout);
	free(buf);
	dpsctp_close(fd);
}

static void
subscribe_event(int fd, uint16_t type)
{
	struct dpsctp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = DPSCTP_FUTURE_ASSOC; /* ignored for a one-to-one socket */
	ev.se_type = type;
	ev.se_on = 1;
	if (dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev)) < 0) {
		fprintf(stderr, "setsockopt DPSCTP_EVENT %hu: %s\n", type, strerror(errno));
		exit(1);
	}
}

/* The events we are interested in. */
static const uint16_t event_interested[] = {
	DPSCTP_ASSOC_CHANGE,
	DPSCTP_SEND_FAILED_EVENT,
	DPSCTP_PEER_ADDR_CHANGE,
	DPSCTP_REMOTE_ERROR,
	DPSCTP_SHUTDOWN_EVENT,
};

int
main(int argc, char **argv)
{
	int lfd, cfd, onoff = 1, opt, v4 = 0;
	long assocs = -1, served = 0;
	unsigned int port = SERVER_PORT;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct dpsctp_initmsg initmsg;
	size_t i;

	while ((opt = getopt(argc, argv, "p:n:4")) != -1) {
		switch (opt) {
		case 'p':
			port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			assocs = strtol(optarg, NULL, 10);
			break;
		case '4':
			v4 = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-p PORT] [-n ASSOCS] [-4]\n", argv[0]);
			return 2;
		}
	}

	lfd = dpsctp_socket(v4 ? AF_INET : AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
	if (lfd == -1) {
		perror("dpsctp_socket");
		return 1;
	}
	memset(&ss, 0, sizeof(ss));
	if (v4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sslen = sizeof(*sin);
	} else {
		/* the IPv6 wildcard takes the IPv4 addresses too (IPV6_V6ONLY is off) */
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = in6addr_any;
		sslen = sizeof(*sin6);
	}
	if (dpsctp_bind(lfd, (struct sockaddr *)&ss, sslen) == -1) {
		perror("dpsctp_bind");
		return 1;
	}
	/* 64 streams each way, asked before the associations are set up. */
	memset(&initmsg, 0, sizeof(initmsg));
	initmsg.sinit_num_ostreams = MAX_STREAM;
	initmsg.sinit_max_instreams = MAX_STREAM;
	initmsg.sinit_max_attempts = 4;
	if (dpsctp_setsockopt(lfd, IPPROTO_SCTP, DPSCTP_INITMSG, &initmsg, sizeof(initmsg)) < 0) {
		perror("setsockopt DPSCTP_INITMSG");
		return 1;
	}
	/* Accepted sockets inherit the listener's subscriptions and options. */
	for (i = 0; i < sizeof(event_interested) / sizeof(event_interested[0]); i++)
		subscribe_event(lfd, event_interested[i]);
	if (dpsctp_setsockopt(lfd, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, &onoff, sizeof(onoff)) < 0) {
		perror("setsockopt DPSCTP_RECVRCVINFO");
		return 1;
	}
	if (dpsctp_listen(lfd, 1) == -1) {
		perror("dpsctp_listen");
		return 1;
	}
	printf("echo_server: listening on port %u\n", port);
	fflush(stdout);

	/* Wait for new associations, one at a time. */
	while (assocs < 0 || served < assocs) {
		char peer[INET6_ADDRSTRLEN] = "?";

		sslen = sizeof(ss);
		cfd = dpsctp_accept(lfd, (struct sockaddr *)&ss, &sslen);
		if (cfd == -1) {
			perror("dpsctp_accept");
			return 1;
		}
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, peer, sizeof(peer));
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, peer,
				sizeof(peer));
		printf("echo_server: accepted an association from %s\n", peer);
		fflush(stdout);
		echo(cfd);
		served++;
	}
	dpsctp_close(lfd);
	return 0;
}
