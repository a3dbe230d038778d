/* SPDX-License-Identifier: BSD-3-Clause */
/* A libdpsctp-less application: rpc.h and shm.h spoken by hand (see rawattach.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "rawattach.h"

int
raw_rpc(struct raw_session *r, struct dpsctp_rpc *q)
{
	ssize_t n;
	struct pollfd p = {.fd = r->sock, .events = POLLIN};

	q->seq = ++r->seq;
	n = send(r->sock, q, sizeof(*q), MSG_NOSIGNAL);
	if (n != (ssize_t)sizeof(*q))
		return n < 0 ? -errno : -EPROTO;
	if (poll(&p, 1, 10000) != 1)
		return -ETIMEDOUT;
	n = recv(r->sock, q, sizeof(*q), 0);
	if (n != (ssize_t)sizeof(*q))
		return n < 0 ? -errno : -ECONNRESET;
	return q->result;
}

int
raw_attach(struct raw_session *r, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct dpsctp_rpc q = {.op = DPSCTP_RPC_HELLO, .major = DPSCTP_ABI_MAJOR,
		.minor = DPSCTP_ABI_MINOR};
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} cb;
	struct iovec iov = {.iov_base = &q, .iov_len = sizeof(q)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.buf,
		.msg_controllen = sizeof(cb.buf)};
	struct cmsghdr *c;
	struct pollfd p;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->memfd = r->efd = -1;
	r->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (r->sock < 0)
		return -errno;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (connect(r->sock, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		goto fail_errno;
	q.seq = ++r->seq;
	if (send(r->sock, &q, sizeof(q), MSG_NOSIGNAL) != (ssize_t)sizeof(q))
		goto fail_errno;
	p = (struct pollfd){.fd = r->sock, .events = POLLIN};
	if (poll(&p, 1, 10000) != 1) {
		errno = ETIMEDOUT;
		goto fail_errno;
	}
	n = recvmsg(r->sock, &m, MSG_CMSG_CLOEXEC);
	if (n != (ssize_t)sizeof(q)) {
		errno = n < 0 ? errno : EPROTO;
		goto fail_errno;
	}
	if (q.result != 0) {
		close(r->sock);
		return q.result;
	}
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
			c->cmsg_len >= CMSG_LEN(2 * sizeof(int))) {
			int fds[2];

			memcpy(fds, CMSG_DATA(c), sizeof(fds));
			r->memfd = fds[0];
			r->efd = fds[1];
		}
	}
	if (r->memfd < 0 || q.nworkers == 0 || q.nworkers > DPSCTP_SHM_MAX_WORKERS) {
		errno = EPROTO;
		goto fail_errno;
	}
	r->size = q.shm_size;
	r->session = q.session;
	r->nworkers = q.nworkers;
	r->owner_bits = q.owner_bits;
	r->ring_entries = q.ring_entries;
	r->data_bytes = q.data_bytes;
	r->shm = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd, 0);
	if (r->shm == MAP_FAILED) {
		r->shm = NULL;
		goto fail_errno;
	}
	return 0;
fail_errno:
	n = -errno;
	raw_detach(r);
	return (int)n;
}

int
raw_ep_open(struct raw_session *r, uint16_t port, uint32_t addr_be, int listen, uint32_t *svc)
{
	struct dpsctp_rpc q = {.op = DPSCTP_RPC_EP_OPEN, .family = 4, .port = port, .naddrs = 1};
	int rc;

	q.flags = listen ? DPSCTP_RPC_LISTEN : 0;
	q.addrs[0].family = 4;
	memcpy(q.addrs[0].bytes, &addr_be, 4);
	rc = raw_rpc(r, &q);
	if (rc == 0)
		*svc = q.svc;
	return rc;
}

struct dpsctp_chan *
raw_chan(struct raw_session *r, uint32_t w, int dir)
{
	return (struct dpsctp_chan *)(r->shm +
		dpsctp_shm_chan_off(w, dir, r->ring_entries, r->data_bytes));
}

int
raw_post(struct raw_session *r, uint32_t w, struct dpsctp_desc *d, const void *payload,
	uint32_t len)
{
	struct dpsctp_chan *c = raw_chan(r, w, DPSCTP_CHAN_TO_WORKER);
	uint32_t prod = c->ctl.prod;
	uint32_t cons = dpsctp_load_acquire(&c->ctl.cons);
	uint32_t data_cons = dpsctp_load_acquire(&c->ctl.data_cons);
	int64_t off = 0;

	if (prod - cons >= r->ring_entries)
		return -EAGAIN;
	if (len > 0) {
		off = dpsctp_chan_reserve(&r->data_prod[w], data_cons, r->data_bytes, len);
		if (off < 0)
			return -EAGAIN;
		memcpy(dpsctp_chan_data(c, r->ring_entries) + off, payload, len);
	}
	d->off = (uint32_t)off;
	d->len = len;
	d->data_end = r->data_prod[w];
	c->desc[prod & (r->ring_entries - 1)] = *d;
	dpsctp_store_release(&c->ctl.data_prod, r->data_prod[w]);
	dpsctp_store_release(&c->ctl.prod, prod + 1);
	return 0;
}

unsigned int
raw_drain(struct raw_session *r)
{
	unsigned int n = 0;
	uint32_t w;

	for (w = 0; w < r->nworkers; w++) {
		struct dpsctp_chan *c = raw_chan(r, w, DPSCTP_CHAN_TO_APP);
		uint32_t prod = dpsctp_load_acquire(&c->ctl.prod);
		uint32_t cons = c->ctl.cons, data_cons = c->ctl.data_cons;

		while (cons != prod && prod - cons <= r->ring_entries) {
			data_cons = c->desc[cons & (r->ring_entries - 1)].data_end;
			cons++;
			n++;
		}
		dpsctp_store_release(&c->ctl.data_cons, data_cons);
		dpsctp_store_release(&c->ctl.cons, cons);
	}
	return n;
}

int
raw_closed_by_daemon(struct raw_session *r, int ms)
{
	struct pollfd p = {.fd = r->sock, .events = POLLIN};
	char buf[sizeof(struct dpsctp_rpc)];

	if (poll(&p, 1, ms) != 1)
		return 0;
	return recv(r->sock, buf, sizeof(buf), MSG_DONTWAIT) == 0 || (p.revents & POLLHUP) != 0;
}

void
raw_detach(struct raw_session *r)
{
	if (r->shm != NULL)
		munmap(r->shm, r->size);
	if (r->memfd >= 0)
		close(r->memfd);
	if (r->efd >= 0)
		close(r->efd);
	if (r->sock >= 0)
		close(r->sock);
	r->shm = NULL;
	r->memfd = r->efd = r->sock = -1;
}
