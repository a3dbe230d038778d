/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * many_server: a one-to-many (SOCK_SEQPACKET) SCTP server, as in the Linux one-to-many tutorial,
 * on libdpsctp.
 *
 *   many_server [-p PORT] [-n MESSAGES]
 *
 * Binds port PORT (default 5001) on every IPv4 address of the daemon and listens, which is all
 * it takes: associations are accepted by the stack and announced by DPSCTP_ASSOC_CHANGE; the
 * server never calls accept. It reads each message with a MSG_EOR loop (a message larger than
 * the buffer comes in several reads) and answers "OK <message>" to the association it came
 * from, named by the rcv_assoc_id of its DPSCTP_RCVINFO. With -n it exits after MESSAGES
 * messages, else it runs forever. The daemon is found through DPSCTP_SOCKET.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

#define SERVER_PORT 5001

static void
print_notification(const char *buf)
{
	const union dpsctp_notification *n = (const void *)buf; /* aligned: see message[] */

	switch (n->sn_header.sn_type) {
	case DPSCTP_ASSOC_CHANGE:
		printf("many_server: association %u: %s\n", n->sn_assoc_change.sac_assoc_id,
			n->sn_assoc_change.sac_state == DPSCTP_COMM_UP	     ? "COMM_UP" :
			n->sn_assoc_change.sac_state == DPSCTP_SHUTDOWN_COMP ? "SHUTDOWN_COMP" :
			n->sn_assoc_change.sac_state == DPSCTP_COMM_LOST     ? "COMM_LOST" :
									       "other change");
		break;
	case DPSCTP_SHUTDOWN_EVENT:
		printf("many_server: association %u: peer shut down\n",
			n->sn_shutdown_event.sse_assoc_id);
		break;
	default:
		printf("many_server: notification %hu\n", n->sn_header.sn_type);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	struct dpsctp_event ev = {.se_assoc_id = DPSCTP_FUTURE_ASSOC, .se_on = 1};
	unsigned int port = SERVER_PORT;
	long max = -1, count = 0;
	int fd, on = 1, opt;
	/* a small buffer on purpose: long messages take several reads (the MSG_EOR loop) */
	char payload[1024];
	static _Alignas(8) char message[1 << 16]; /* notifications are read in place */

	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		if (opt == 'p') {
			port = (unsigned int)strtoul(optarg, NULL, 10);
		} else if (opt == 'n') {
			max = strtol(optarg, NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [-p PORT] [-n MESSAGES]\n", argv[0]);
			return 2;
		}
	}
	fd = dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0) {
		perror("dpsctp_socket");
		return 1;
	}
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	if (dpsctp_bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("dpsctp_bind");
		return 1;
	}
	/* association changes and shutdowns, and a dpsctp_rcvinfo with each message */
	ev.se_type = DPSCTP_ASSOC_CHANGE;
	dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev));
	ev.se_type = DPSCTP_SHUTDOWN_EVENT;
	dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_EVENT, &ev, sizeof(ev));
	if (dpsctp_setsockopt(fd, IPPROTO_SCTP, DPSCTP_RECVRCVINFO, &on, sizeof(on)) < 0) {
		perror("setsockopt DPSCTP_RECVRCVINFO");
		return 1;
	}
	/* listen() is all a one-to-many server does: no accept() */
	if (dpsctp_listen(fd, 16) < 0) {
		perror("dpsctp_listen");
		return 1;
	}
	printf("many_server: listening on port %u\n", port);
	fflush(stdout);

	while (max < 0 || count < max) {
		struct sockaddr_in from;
		char cbuf[CMSG_SPACE(sizeof(struct dpsctp_rcvinfo))];
		struct dpsctp_rcvinfo info;
		size_t len = 0;
		int got_info = 0, notification;
		struct msghdr msg;

		/* get_message(): recvmsg() until MSG_EOR */
		for (;;) {
			struct iovec io = {.iov_base = payload, .iov_len = sizeof(payload)};
			struct cmsghdr *c;
			ssize_t n;

			memset(&msg, 0, sizeof(msg));
			msg.msg_iov = &io;
			msg.msg_iovlen = 1;
			msg.msg_name = &from;
			msg.msg_namelen = sizeof(from);
			msg.msg_control = cbuf;
			msg.msg_controllen = sizeof(cbuf);
			n = dpsctp_recvmsg(fd, &msg, 0);
			if (n < 0) {
				perror("dpsctp_recvmsg");
				return 1;
			}
			if (len + (size_t)n > sizeof(message)) {
				fprintf(stderr, "many_server: message too long\n");
				return 1;
			}
			memcpy(message + len, payload, (size_t)n);
			len += (size_t)n;
			for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
				if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == DPSCTP_RCVINFO) {
					memcpy(&info, CMSG_DATA(c), sizeof(info));
					got_info = 1;
				}
			}
			if (msg.msg_flags & MSG_EOR)
				break;
		}
		notification = (msg.msg_flags & DPSCTP_MSG_NOTIFICATION) != 0;
		if (notification) {
			print_notification(message);
			continue;
		}
		if (!got_info) {
			fprintf(stderr, "many_server: no DPSCTP_RCVINFO with the message\n");
			return 1;
		}
		count++;
		printf("many_server: %zu bytes from association %u: %.*s\n", len, info.rcv_assoc_id,
			len > 60 ? 60 : (int)len, message);
		fflush(stdout);

		/* send_reply(): to the association the message came from */
		{
			static char reply[sizeof(message) + 3];
			struct dpsctp_sndinfo snd = {.snd_sid = info.rcv_sid,
				.snd_assoc_id = info.rcv_assoc_id};
			struct iovec io = {.iov_base = reply, .iov_len = len + 3};

			memcpy(reply, "OK ", 3);
			memcpy(reply + 3, message, len);
			if (dpsctp_sendv(fd, &io, 1, NULL, 0, &snd, sizeof(snd), DPSCTP_SENDV_SNDINFO,
				    0) < 0) {
				perror("dpsctp_sendv");
				return 1;
			}
		}
	}
	printf("many_server: %ld messages answered\n", count);
	dpsctp_close(fd); /* shuts every association of the socket down */
	return 0;
}
