/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * many_client: a one-to-many (SOCK_SEQPACKET) SCTP client, as in the Linux one-to-many
 * tutorial, on libdpsctp.
 *
 *   many_client [-p PORT] [-c COUNT] [-s SIZE] ADDRESS
 *
 * Never connects: each message is sent with dpsctp_sendmsg() to ADDRESS:PORT (msg_name), and
 * the stack sets the association up behind the first one. Reads each reply with a MSG_EOR loop
 * and checks it is "OK <message>". Sends COUNT messages (default 3) of SIZE bytes (default:
 * short text). Exit 0 when every reply came back right. The daemon is found through
 * DPSCTP_SOCKET.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dpsctp/dpsctp.h>

#define SERVER_PORT 5001

int
main(int argc, char **argv)
{
	struct sockaddr_in server = {.sin_family = AF_INET};
	unsigned int port = SERVER_PORT;
	long count = 3, i, good = 0;
	size_t size = 0;
	int fd, opt;
	static char buf[1 << 16], reply[(1 << 16) + 8];

	while ((opt = getopt(argc, argv, "p:c:s:")) != -1) {
		if (opt == 'p')
			port = (unsigned int)strtoul(optarg, NULL, 10);
		else if (opt == 'c')
			count = strtol(optarg, NULL, 10);
		else if (opt == 's')
			size = strtoul(optarg, NULL, 10);
		else
			goto usage;
	}
	if (optind + 1 != argc || size > sizeof(buf) - 8)
		goto usage;
	server.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, argv[optind], &server.sin_addr) != 1)
		goto usage;

	fd = dpsctp_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0) {
		perror("dpsctp_socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		struct iovec io;
		struct msghdr msg;
		size_t len, rlen = 0, k;
		char chunk[700]; /* smaller than a long reply: the MSG_EOR loop below */

		/* send_message(): the address in msg_name, no connect() */
		len = (size_t)snprintf(buf, sizeof(buf), "hello %ld from the one-to-many client", i);
		for (k = len; k < size; k++)
			buf[k] = (char)('A' + k % 26);
		if (size > len)
			len = size;
		io.iov_base = buf;
		io.iov_len = len;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &server;
		msg.msg_namelen = sizeof(server);
		msg.msg_iov = &io;
		msg.msg_iovlen = 1;
		if (dpsctp_sendmsg(fd, &msg, 0) < 0) {
			perror("dpsctp_sendmsg");
			return 1;
		}
		/* get_reply(): recvmsg() until MSG_EOR */
		for (;;) {
			ssize_t n;

			io.iov_base = chunk;
			io.iov_len = sizeof(chunk);
			memset(&msg, 0, sizeof(msg));
			msg.msg_iov = &io;
			msg.msg_iovlen = 1;
			n = dpsctp_recvmsg(fd, &msg, 0);
			if (n < 0) {
				perror("dpsctp_recvmsg");
				return 1;
			}
			if (msg.msg_flags & DPSCTP_MSG_NOTIFICATION) { /* none subscribed: unexpected */
				if (msg.msg_flags & MSG_EOR)
					rlen = 0;
				continue;
			}
			if (rlen + (size_t)n > sizeof(reply))
				return 1;
			memcpy(reply + rlen, chunk, (size_t)n);
			rlen += (size_t)n;
			if (msg.msg_flags & MSG_EOR)
				break;
		}
		if (rlen == len + 3 && memcmp(reply, "OK ", 3) == 0 &&
			memcmp(reply + 3, buf, len) == 0) {
			good++;
			printf("many_client: reply %ld: %.*s\n", i, rlen > 60 ? 60 : (int)rlen, reply);
		} else {
			printf("many_client: reply %ld is wrong (%zu bytes)\n", i, rlen);
		}
		fflush(stdout);
	}
	printf("many_client: %ld of %ld replies right\n", good, count);
	dpsctp_close(fd);
	return good == count ? 0 : 1;
usage:
	fprintf(stderr, "usage: %s [-p PORT] [-c COUNT] [-s SIZE] ADDRESS\n", argv[0]);
	return 2;
}
