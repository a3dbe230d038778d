/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp polling: dpsctp_poll() over dpsctp sockets and ordinary descriptors together.
 * Our sockets' events are computed from their state; the kernel is asked about the rest and
 * about our eventfds (readable exactly when the socket is), so a sleeping poll wakes up when
 * either changes. POLLOUT of our sockets has no kernel counterpart: while one is wanted and
 * not ready, the kernel poll sleeps at most a millisecond at a time.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

#include "core.h"

/* Events of dpsctp socket @p s (locked). */
static short
sock_revents(struct dpsctp_lsock *s, short events)
{
	short r = 0;

	if (lsock_readable(s))
		r |= POLLIN | POLLRDNORM;
	if (s->sess->dead) {
		r |= POLLHUP | POLLERR;
	} else if (s->so_error != 0) {
		r |= POLLERR;
	}
	if (s->type == SOCK_STREAM) {
		struct lassoc *a = s->conn;

		if (a != NULL && a->state == LA_UP && !s->shut_wr && !a->we_shut && !a->peer_shut &&
			a->inflight < (s->opts.sndbuf != 0 ? s->opts.sndbuf : 1))
			r |= POLLOUT | POLLWRNORM;
		if (a != NULL && a->state == LA_DEAD)
			r |= POLLHUP | (a->err != 0 ? POLLOUT : 0);
		if (a != NULL && a->peer_shut)
			r |= POLLRDHUP;
	} else if (!s->shut_wr) {
		r |= POLLOUT | POLLWRNORM;
	}
	return (short)(r & (events | POLLERR | POLLHUP | POLLNVAL));
}

DPSCTP_EXPORT int
dpsctp_poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	uint64_t deadline = timeout > 0 ? lnow() + (uint64_t)timeout * 1000000ull : 0;
	struct pollfd *k;
	nfds_t i;
	int ready;

	if (fds == NULL && nfds > 0)
		return lerr(EINVAL);
	k = calloc(nfds > 0 ? nfds : 1, sizeof(*k));
	if (k == NULL)
		return lerr(ENOMEM);
	/* take what the workers have produced already, so that it counts now */
	LOCK();
	if (dpsctp_core.cur != NULL)
		lsess_drain(dpsctp_core.cur);
	UNLOCK();
	for (;;) {
		bool ours_out = false, busy = false;
		int slice, n;

		ready = 0;
		LOCK();
		for (i = 0; i < nfds; i++) {
			struct dpsctp_lsock *s = lsock_tab_get(fds[i].fd);

			fds[i].revents = 0;
			k[i].fd = fds[i].fd;
			k[i].events = fds[i].events;
			k[i].revents = 0;
			if (s == NULL || s->closed)
				continue;
			if (lsock_busy(s)) {
				busy = true;
				lsess_drain(s->sess);
			}
			fds[i].revents = sock_revents(s, fds[i].events);
			if (fds[i].revents != 0)
				ready++;
			if ((fds[i].events & POLLOUT) && !(fds[i].revents & POLLOUT))
				ours_out = true;
			/* the kernel sees our eventfd: readable exactly when we are */
			k[i].events = POLLIN;
			k[i].fd = fds[i].revents != 0 ? -1 : fds[i].fd;
		}
		UNLOCK();
		if (ready > 0)
			slice = 0;
		else if (busy)
			slice = 0;
		else if (timeout < 0)
			slice = ours_out ? 1 : -1;
		else if (timeout == 0)
			slice = 0;
		else {
			uint64_t now = lnow();

			slice = now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
			if (ours_out && slice > 1)
				slice = 1;
		}
		n = poll(k, nfds, slice);
		if (n < 0) {
			int e = errno;

			free(k);
			return lerr(e);
		}
		LOCK();
		for (i = 0; i < nfds; i++) {
			struct dpsctp_lsock *s = lsock_tab_get(fds[i].fd);

			if (s != NULL && !s->closed)
				continue;
			if (k[i].revents != 0) {
				if (fds[i].revents == 0)
					ready++;
				fds[i].revents = k[i].revents;
			}
		}
		UNLOCK();
		if (ready > 0 || timeout == 0 || (timeout > 0 && lnow() >= deadline))
			break;
		if (busy)
			sched_yield();
	}
	free(k);
	return ready;
}
