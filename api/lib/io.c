/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp data transfer: dpsctp_sendv / dpsctp_recvv (RFC 6458 9.12, 9.13) and every other
 * form (sendmsg / recvmsg with control messages, send, recv, sendto, recvfrom, read, write, and
 * the legacy sctp_sendmsg / sctp_recvmsg / sctp_send), all funnelled into send_msg() and
 * recv_msg().
 *
 * Sending: a message is posted to the association's owning worker as SEND descriptors (pieces
 * of at most half a byte ring, DPSCTP_DESC_MORE on all but the last). Send credit: the payload
 * posted minus the CREDIT returned stays within SO_SNDBUF per association; a blocking sender
 * waits for credit, a non-blocking one gets EAGAIN. One message is always allowed when nothing
 * is in flight, so a message as large as SO_SNDBUF can go.
 *
 * Receiving: the background thread (or a busy-polling caller) has copied every delivery into
 * the socket's queue (socket.c); a read copies from the head message, and returns MSG_EOR when
 * the message ends there. A message whose rest has not arrived yet (partial delivery) is
 * returned as far as it goes, without MSG_EOR; the next read continues it.
 *
 * Receive flow control (shm.h DPSCTP_OP_CONSUMED): the worker keeps delivered bytes counted
 * against the association's window (SO_RCVBUF) until we report them read, so the queues here
 * hold at most a window per association and a peer cannot send faster than the application
 * reads. The DATA bytes a read takes are added up per association and reported to the owning
 * worker once they reach min(SO_RCVBUF / 4, 16 KiB) (a window update worth sending, RFC 9260
 * 6.2, early enough that a slow reader keeps data coming) or the association has nothing left
 * queued (the window then opens entirely). A report never waits for room in the channel: when
 * it is full the count is kept and retried by the next drain (background thread or caller).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* What a send carries, whatever the call. */
struct sendreq {
	const struct iovec *iov;
	int iovcnt;
	size_t len;
	int naddrs;
	uint16_t port;
	struct dpsctp_abi_addr addrs[DPSCTP_RPC_MAX_ADDRS];
	bool has_si, has_pr, has_init;
	struct dpsctp_sndinfo si;
	struct dpsctp_prinfo pr;
	struct dpsctp_initmsg init;
	bool nonblock;
	bool eor;                   /**< MSG_EOR given */
	bool oob;                   /**< MSG_OOB given: EOPNOTSUPP */
	dpsctp_assoc_t *assoc_out;  /**< where to report an implicitly created association */
};

#define SEND_FLAGS (DPSCTP_UNORDERED | DPSCTP_ADDR_OVER | DPSCTP_ABORT | DPSCTP_EOF | \
	DPSCTP_SENDALL | DPSCTP_SACK_IMMEDIATELY | DPSCTP_EOR)

void
lmsg_free(struct lmsg *m)
{
	while (m->head != NULL) {
		struct lbuf *b = m->head;

		m->head = b->next;
		free(b);
	}
	free(m);
}


/*
 * Sending on an association that is over: an association that never came up reports why its
 * setup failed (ECONNREFUSED, ETIMEDOUT: an implicit setup by sendv fails like connect); a
 * one-to-one socket whose peer aborted ECONNRESET; anything else EPIPE.
 */
static int
dead_err(const struct dpsctp_lsock *s, const struct lassoc *a)
{
	if (a->err == ECONNREFUSED || a->err == ETIMEDOUT)
		return -a->err;
	return s->type == SOCK_STREAM && a->err == ECONNRESET ? -ECONNRESET : -EPIPE;
}
static size_t
iov_len(const struct iovec *iov, int iovcnt)
{
	size_t n = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		n += iov[i].iov_len;
	return n;
}

/* Gather @p len bytes starting at byte @p from of @p iov into @p out iovecs (at most @p max). */
static int
iov_slice(const struct iovec *iov, int iovcnt, size_t from, size_t len, struct iovec *out, int max)
{
	int i, n = 0;

	for (i = 0; i < iovcnt && len > 0; i++) {
		size_t l = iov[i].iov_len;

		if (from >= l) {
			from -= l;
			continue;
		}
		if (n == max)
			return -1;
		out[n].iov_base = (uint8_t *)iov[i].iov_base + from;
		out[n].iov_len = l - from < len ? l - from : len;
		len -= out[n].iov_len;
		from = 0;
		n++;
	}
	return n;
}

/* ---- sending ---- */

/* Lifetime in ns from the PR-SCTP policy. @return 0 or -EINVAL for policies we cannot honour. */
static int
lifetime(const struct dpsctp_prinfo *pr, uint64_t *ns)
{
	switch (pr->pr_policy) {
	case DPSCTP_PR_SCTP_NONE:
		*ns = 0;
		return 0;
	case DPSCTP_PR_SCTP_TTL:
		*ns = (uint64_t)pr->pr_value * 1000000ull;
		return 0;
	default:
		/* RTX and PRIO need engine support the ABI does not carry */
		return -EINVAL;
	}
}

/* Send one message on association @p a of @p s (locked). @return bytes or -errno. */
static ssize_t
send_on(struct dpsctp_lsock *s, struct lassoc *a, struct sendreq *r)
{
	struct lsess *ss = s->sess;
	struct dpsctp_sndinfo si;
	struct dpsctp_default_prinfo dpr;
	struct dpsctp_prinfo pr;
	uint64_t life = 0, limit;
	size_t piece, off;
	uint16_t fl;
	bool more;
	int rc;

	dpsctp_opts_send_defaults(&s->opts, a->id, &si, &dpr);
	if (r->has_si) {
		uint32_t aid = si.snd_assoc_id;

		si = r->si;
		si.snd_assoc_id = aid;
	}
	pr.pr_policy = dpr.pr_policy;
	pr.pr_value = dpr.pr_value;
	if (r->has_pr)
		pr = r->pr;
	fl = si.snd_flags;
	if (fl & ~SEND_FLAGS)
		return -EINVAL;
	rc = lifetime(&pr, &life);
	if (rc < 0)
		return rc;
	if (a->state == LA_DEAD)
		return dead_err(s, a);
	if (fl & DPSCTP_ABORT) {
		struct dpsctp_desc d = {0};
		struct iovec v[16];
		int n = iov_slice(r->iov, r->iovcnt, 0, r->len, v, 16);

		if (n < 0 || r->len > 65535 - 8)
			return -EINVAL;
		d.op = DPSCTP_OP_ABORT;
		d.svc = a->svc;
		d.assoc_id = a->id;
		rc = lsess_post(ss, lsess_owner(ss, a->id), &d, v, n, false);
		a->we_shut = true;
		/* the reason's bytes count as sent (what Solaris and the tests expect) */
		return rc < 0 ? rc : (ssize_t)r->len;
	}
	if (s->shut_wr || a->we_shut || a->peer_shut)
		return -EPIPE;
	if (r->len == 0) {
		if (fl & DPSCTP_EOF) {
			struct dpsctp_desc d = {0};

			d.op = DPSCTP_OP_SHUTDOWN;
			d.svc = a->svc;
			d.assoc_id = a->id;
			rc = lsess_post(ss, lsess_owner(ss, a->id), &d, NULL, 0, false);
			a->we_shut = true;
			return rc < 0 ? rc : 0;
		}
		return -EINVAL;
	}
	if (a->os != 0 && si.snd_sid >= a->os)
		return -EINVAL;
	limit = s->opts.sndbuf != 0 ? s->opts.sndbuf : 262144;
	if (r->len > limit)
		return -EMSGSIZE;
	if (s->opts.eff.disable_fragments && a->state == LA_UP) {
		/* RFC 6458 8.1.5: no fragmentation: a message above one DATA chunk is refused
		 * now, not reported later (the fragmentation point is asked for once) */
		if (a->frag_point == 0) {
			struct dpsctp_abi_status st;
			size_t got = 0;

			a->refs++;
			rc = dpsctp_lsock_request(s, a->id, DPSCTP_OP_GET_STATUS, NULL, 0, &st,
				sizeof(st), &got);
			a->refs--;
			if (s->closed || a->s != s) {
				lassoc_check(ss, a);
				return -EBADF;
			}
			if (rc == 0 && got >= offsetof(struct dpsctp_abi_status, frag_point) +
				sizeof(st.frag_point))
				a->frag_point = st.frag_point;
		}
		if (a->frag_point != 0 && r->len > a->frag_point)
			return -EMSGSIZE;
	}
	/* send credit (SO_SNDBUF); the association may go away while we wait */
	a->refs++;
	while (a->inflight > 0 && a->inflight + r->len > limit) {
		if (a->state == LA_DEAD || s->closed || ss->dead || a->s != s)
			break;
		if (r->nonblock) {
			lassoc_put(ss, a);
			return -EAGAIN;
		}
		lsock_wait(s, 0);
	}
	a->refs--;
	if (s->closed || a->s != s) {
		lassoc_check(ss, a);
		return -EBADF;
	}
	if (ss->dead)
		return -ECONNRESET;
	if (a->state == LA_DEAD)
		return dead_err(s, a);
	if (a->we_shut || a->peer_shut)
		return -EPIPE;
	more = s->opts.explicit_eor && !r->eor && !(fl & DPSCTP_EOR) && !(fl & DPSCTP_EOF);
	piece = ss->data_bytes / 2 < DPSCTP_SHM_MAX_PAYLOAD ? ss->data_bytes / 2 :
								 DPSCTP_SHM_MAX_PAYLOAD;
	for (off = 0; off < r->len; off += piece) {
		struct dpsctp_desc d = {0};
		struct iovec v[64];
		size_t n = r->len - off < piece ? r->len - off : piece;
		bool last = off + n >= r->len;
		int k = iov_slice(r->iov, r->iovcnt, off, n, v, 64);

		if (k < 0)
			return -EINVAL;
		d.op = DPSCTP_OP_SEND;
		d.svc = a->svc;
		d.assoc_id = a->id;
		d.sid = si.snd_sid;
		d.ppid = si.snd_ppid;
		d.context = si.snd_context;
		d.arg64 = life;
		if (fl & DPSCTP_UNORDERED)
			d.flags |= DPSCTP_DESC_UNORDERED;
		if (fl & DPSCTP_SACK_IMMEDIATELY)
			d.flags |= DPSCTP_DESC_SACK_NOW;
		if (!last || more)
			d.flags |= DPSCTP_DESC_MORE;
		else
			d.flags |= DPSCTP_DESC_EOR;
		if (last && (fl & DPSCTP_EOF))
			d.flags |= DPSCTP_DESC_EOF;
		/* once the first piece is out the rest must follow: never EAGAIN midway */
		rc = lsess_post(ss, lsess_owner(ss, a->id), &d, v, k, r->nonblock && off == 0);
		if (rc < 0)
			return off == 0 ? rc : (ssize_t)off;
		a->inflight += n;
	}
	a->eor_open = more;
	if (fl & DPSCTP_EOF)
		a->we_shut = true;
	return (ssize_t)r->len;
}

static ssize_t
send_msg(struct dpsctp_lsock *s, struct sendreq *r)
{
	struct lassoc *a = NULL;
	uint16_t fl;
	int rc, i;

	if (r->oob)
		return -EOPNOTSUPP;
	if (s->sess->dead)
		return -ECONNRESET;
	if (s->closed)
		return -EBADF;
	r->len = iov_len(r->iov, r->iovcnt);
	fl = r->has_si ? r->si.snd_flags : s->opts.default_sndinfo.snd_flags;
	if (fl & ~SEND_FLAGS)
		return -EINVAL;
	if ((fl & DPSCTP_ADDR_OVER) && r->naddrs == 0)
		return -EINVAL;
	if (s->type == SOCK_STREAM) {
		/* Solaris sctp_sendmsg(3SOCKET): ABORT / EOF on a one-to-one socket */
		if (fl & (DPSCTP_ABORT | DPSCTP_EOF))
			return -EOPNOTSUPP;
		if (s->listening)
			return -ENOTCONN;
		if (fl & DPSCTP_SENDALL)
			return -EINVAL;
		a = s->conn;
		if (a == NULL || (a->state == LA_DEAD && a->err_reported && r->naddrs > 0)) {
			if (r->naddrs == 0)
				return s->shut_wr ? -EPIPE : -ENOTCONN;
			if (a != NULL) {
				s->conn = NULL;
				{
					struct lassoc **pp;

					for (pp = &s->assocs; *pp != NULL; pp = &(*pp)->snext)
						if (*pp == a) {
							*pp = a->snext;
							break;
						}
					a->s = NULL;
					lassoc_check(s->sess, a);
				}
			}
			rc = lsock_associate(s, r->addrs, (unsigned int)r->naddrs, r->port,
				r->has_init ? &r->init : NULL, &a);
			if (rc < 0)
				return rc;
			if (r->assoc_out != NULL)
				*r->assoc_out = a->id;
		}
		return send_on(s, a, r);
	}
	if (fl & DPSCTP_SENDALL) {
		uint32_t ids[256];
		size_t n = dpsctp_lsock_assoc_list(s, ids, 256), k;
		ssize_t last = 0;

		if (n > 256)
			n = 256;
		for (k = 0; k < n; k++) {
			struct lassoc *b = lsock_assoc_find(s, ids[k]);
			struct sendreq one = *r;

			if (b == NULL || b->state == LA_DEAD)
				continue;
			one.si.snd_flags &= (uint16_t)~DPSCTP_SENDALL;
			last = send_on(s, b, &one);
			if (last < 0 && last != -EPIPE && last != -ECONNRESET)
				return last;
		}
		return (fl & (DPSCTP_ABORT | DPSCTP_EOF)) && r->len == 0 ? 0 : (ssize_t)r->len;
	}
	if (r->naddrs > 0) {
		for (i = 0; i < r->naddrs && a == NULL; i++)
			a = lsock_assoc_by_addr(s, &r->addrs[i], r->port);
		if (a == NULL) {
			if (fl & (DPSCTP_ABORT | DPSCTP_EOF))
				return -ENOENT;
			/* RFC 6458 3.1.4 / 4.3: sending to a new address sets an association up */
			rc = lsock_associate(s, r->addrs, (unsigned int)r->naddrs, r->port,
				r->has_init ? &r->init : NULL, &a);
			if (rc < 0)
				return rc;
		}
		if (r->assoc_out != NULL)
			*r->assoc_out = a->id;
	} else if (r->has_si && r->si.snd_assoc_id > DPSCTP_ALL_ASSOC) {
		a = lsock_assoc_find(s, r->si.snd_assoc_id);
		if (a == NULL)
			return -ENOENT;
	} else {
		return -ENOENT;
	}
	return send_on(s, a, r);
}

static int
addrs_in(struct dpsctp_lsock *s, struct sendreq *r, const struct sockaddr *addrs, int n)
{
	int rc;

	if (addrs == NULL || n <= 0)
		return 0;
	rc = laddrs_parse(addrs, n, s->family, s->opts.v6only, r->addrs, &r->port);
	if (rc < 0)
		return rc == -E2BIG ? -EINVAL : rc;
	r->naddrs = rc;
	return 0;
}

/* A send of one buffer: @p v is the caller's iovec for it; @p msgflags MSG_DONTWAIT/EOR/OOB. */
static void
sendreq_one(struct dpsctp_lsock *s, struct sendreq *r, struct iovec *v, const void *buf,
	size_t len, int msgflags)
{
	v->iov_base = (void *)(uintptr_t)buf;
	v->iov_len = len;
	r->iov = v;
	r->iovcnt = 1;
	r->nonblock = s->nonblock || (msgflags & MSG_DONTWAIT);
	r->eor = (msgflags & MSG_EOR) != 0;
	r->oob = (msgflags & MSG_OOB) != 0;
}

/* The deprecated sndrcvinfo (SNDRCV cmsg, sctp_send, sctp_sendmsg): sndinfo, and a lifetime as
 * the TTL policy unless a PRINFO already said otherwise. */
static void
sendreq_sndrcv(struct sendreq *r, const struct dpsctp_sndrcvinfo *sr)
{
	r->si.snd_sid = sr->sinfo_stream;
	r->si.snd_flags = sr->sinfo_flags;
	r->si.snd_ppid = sr->sinfo_ppid;
	r->si.snd_context = sr->sinfo_context;
	r->si.snd_assoc_id = sr->sinfo_assoc_id;
	r->has_si = true;
	if (sr->sinfo_timetolive != 0 && !r->has_pr) {
		r->pr.pr_policy = DPSCTP_PR_SCTP_TTL;
		r->pr.pr_value = sr->sinfo_timetolive;
		r->has_pr = true;
	}
}

static int
one_addr_in(struct dpsctp_lsock *s, struct sendreq *r, const struct sockaddr *to, socklen_t len)
{
	int rc;

	if (to == NULL || len == 0)
		return 0;
	rc = dpsctp_addr_from_sa(to, len, &r->addrs[0], &r->port);
	if (rc < 0)
		return rc;
	if ((to->sa_family == AF_INET6 && s->family == AF_INET) ||
		(r->addrs[0].family == 4 && s->family == AF_INET6 && s->opts.v6only))
		return -EINVAL;
	r->naddrs = 1;
	return 0;
}

static int
ret(struct dpsctp_lsock *s, ssize_t rc)
{
	dpsctp_lsock_put(s);
	return rc < 0 ? lerr((int)-rc) : (int)rc;
}

static ssize_t
sret(struct dpsctp_lsock *s, ssize_t rc)
{
	dpsctp_lsock_put(s);
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return rc;
}

DPSCTP_EXPORT ssize_t
dpsctp_sendv(int sd, const struct iovec *iov, int iovcnt, struct sockaddr *addrs, int addrcnt,
	void *info, socklen_t infolen, unsigned int infotype, int flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct sendreq r = {0};
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (iovcnt < 0 || (iov == NULL && iovcnt > 0) || addrcnt < 0 ||
		(addrs == NULL && addrcnt > 0))
		return sret(s, -EINVAL);
	r.iov = iov;
	r.iovcnt = iovcnt;
	r.nonblock = s->nonblock || (flags & MSG_DONTWAIT);
	r.eor = (flags & MSG_EOR) != 0;
	r.oob = (flags & MSG_OOB) != 0;
	rc = addrs_in(s, &r, addrs, addrcnt);
	if (rc < 0)
		return sret(s, rc);
	switch (infotype) {
	case DPSCTP_SENDV_NOINFO:
		break;
	case DPSCTP_SENDV_SNDINFO:
		if (info == NULL || infolen < (socklen_t)sizeof(r.si))
			return sret(s, -EINVAL);
		memcpy(&r.si, info, sizeof(r.si));
		r.has_si = true;
		r.assoc_out = &((struct dpsctp_sndinfo *)info)->snd_assoc_id;
		break;
	case DPSCTP_SENDV_PRINFO:
		if (info == NULL || infolen < (socklen_t)sizeof(r.pr))
			return sret(s, -EINVAL);
		memcpy(&r.pr, info, sizeof(r.pr));
		r.has_pr = true;
		break;
	case DPSCTP_SENDV_AUTHINFO:
		/* no SCTP-AUTH (RFC 4895) in the stack: a message asking for a key is refused, never
		 * sent unauthenticated */
		return sret(s, -EINVAL);
	case DPSCTP_SENDV_SPA: {
		struct dpsctp_sendv_spa spa;

		if (info == NULL || infolen < (socklen_t)sizeof(spa))
			return sret(s, -EINVAL);
		memcpy(&spa, info, sizeof(spa));
		/* AUTHINFO_VALID: no SCTP-AUTH, refused as above */
		if (spa.sendv_flags & ~(uint32_t)(DPSCTP_SEND_SNDINFO_VALID |
			DPSCTP_SEND_PRINFO_VALID))
			return sret(s, -EINVAL);
		if (spa.sendv_flags & DPSCTP_SEND_SNDINFO_VALID) {
			r.si = spa.sendv_sndinfo;
			r.has_si = true;
			r.assoc_out = &((struct dpsctp_sendv_spa *)info)->sendv_sndinfo.snd_assoc_id;
		}
		if (spa.sendv_flags & DPSCTP_SEND_PRINFO_VALID) {
			r.pr = spa.sendv_prinfo;
			r.has_pr = true;
		}
		break;
	}
	default:
		return sret(s, -EINVAL);
	}
	rc = send_msg(s, &r);
	return sret(s, rc);
}

/* Control messages of sendmsg (RFC 6458 5.3). */
static int
cmsgs_in(struct sendreq *r, const struct msghdr *msg)
{
	struct cmsghdr *c;

	if (msg->msg_control == NULL || msg->msg_controllen == 0)
		return 0;
	for (c = CMSG_FIRSTHDR((struct msghdr *)(uintptr_t)msg); c != NULL;
		c = CMSG_NXTHDR((struct msghdr *)(uintptr_t)msg, c)) {
		size_t dl;

		if (c->cmsg_len < CMSG_LEN(0))
			return -EINVAL;
		if (c->cmsg_level != DPSCTP_IPPROTO_SCTP)
			continue;
		dl = c->cmsg_len - CMSG_LEN(0);
		switch (c->cmsg_type) {
		case DPSCTP_INIT:
			if (dl < sizeof(r->init))
				return -EINVAL;
			memcpy(&r->init, CMSG_DATA(c), sizeof(r->init));
			r->has_init = true;
			break;
		case DPSCTP_SNDINFO:
			if (dl < sizeof(r->si))
				return -EINVAL;
			memcpy(&r->si, CMSG_DATA(c), sizeof(r->si));
			r->has_si = true;
			break;
		case DPSCTP_SNDRCV: {
			struct dpsctp_sndrcvinfo sr;

			if (dl < sizeof(sr))
				return -EINVAL;
			memcpy(&sr, CMSG_DATA(c), sizeof(sr));
			sendreq_sndrcv(r, &sr);
			break;
		}
		case DPSCTP_PRINFO:
			if (dl < sizeof(r->pr))
				return -EINVAL;
			memcpy(&r->pr, CMSG_DATA(c), sizeof(r->pr));
			r->has_pr = true;
			break;
		case DPSCTP_AUTHINFO:
			return -EINVAL; /* no SCTP-AUTH: refused, never sent unauthenticated */
		case DPSCTP_DSTADDRV4:
			if (dl < sizeof(struct in_addr))
				return -EINVAL;
			break;
		case DPSCTP_DSTADDRV6:
			if (dl < sizeof(struct in6_addr))
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

DPSCTP_EXPORT ssize_t
dpsctp_sendmsg(int sd, const struct msghdr *msg, int flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct sendreq r = {0};
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (msg == NULL || (msg->msg_iov == NULL && msg->msg_iovlen > 0))
		return sret(s, -EINVAL);
	r.iov = msg->msg_iov;
	r.iovcnt = (int)msg->msg_iovlen;
	r.nonblock = s->nonblock || (flags & MSG_DONTWAIT);
	r.eor = (flags & MSG_EOR) != 0;
	r.oob = (flags & MSG_OOB) != 0;
	rc = one_addr_in(s, &r, msg->msg_name, msg->msg_namelen);
	if (rc == 0)
		rc = cmsgs_in(&r, msg);
	if (rc == 0)
		rc = send_msg(s, &r);
	return sret(s, rc);
}

DPSCTP_EXPORT ssize_t
dpsctp_sendto(int sd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	socklen_t tolen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct sendreq r = {0};
	struct iovec v;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (buf == NULL && len > 0)
		return sret(s, -EINVAL);
	sendreq_one(s, &r, &v, buf, len, flags);
	rc = one_addr_in(s, &r, to, tolen);
	if (rc == 0)
		rc = send_msg(s, &r);
	return sret(s, rc);
}

DPSCTP_EXPORT ssize_t
dpsctp_send(int sd, const void *buf, size_t len, int flags)
{
	return dpsctp_sendto(sd, buf, len, flags, NULL, 0);
}

DPSCTP_EXPORT ssize_t
dpsctp_write(int sd, const void *buf, size_t len)
{
	return dpsctp_sendto(sd, buf, len, 0, NULL, 0);
}

DPSCTP_EXPORT int
dpsctp_sctp_sendmsg(int sd, const void *msg, size_t len, const struct sockaddr *to,
	socklen_t tolen, uint32_t ppid, uint32_t flags, uint16_t stream_no, uint32_t timetolive,
	uint32_t context)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_sndrcvinfo sr = {.sinfo_stream = stream_no, .sinfo_ppid = ppid,
		.sinfo_context = context, .sinfo_timetolive = timetolive};
	struct sendreq r = {0};
	struct iovec v;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (msg == NULL && len > 0)
		return ret(s, -EINVAL);
	if (flags > 0xffff)
		return ret(s, -EINVAL);
	sr.sinfo_flags = (uint16_t)flags;
	sendreq_one(s, &r, &v, msg, len, 0);
	sendreq_sndrcv(&r, &sr);
	rc = one_addr_in(s, &r, to, tolen);
	if (rc == 0)
		rc = send_msg(s, &r);
	return ret(s, rc);
}

DPSCTP_EXPORT int
dpsctp_sctp_send(int sd, const void *msg, size_t len, const struct dpsctp_sndrcvinfo *sinfo,
	int flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct sendreq r = {0};
	struct iovec v;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (msg == NULL && len > 0)
		return ret(s, -EINVAL);
	sendreq_one(s, &r, &v, msg, len, flags);
	if (sinfo != NULL)
		sendreq_sndrcv(&r, sinfo);
	rc = send_msg(s, &r);
	return ret(s, rc);
}

/* ---- receive flow control ---- */

/* The most DATA bytes read before we report them (a smaller SO_RCVBUF / 4 lowers it). */
#define CONSUMED_BATCH 16384u

/* Post @p a's count. @return false when the channel is full (retried later). */
static bool
consumed_post(struct lsess *ss, struct lassoc *a)
{
	while (a->unconsumed != 0) {
		struct dpsctp_desc d = {0};
		int rc;

		if (a->state == LA_DEAD || ss->dead) {
			a->unconsumed = 0; /* nobody holds a window for it any more */
			break;
		}
		d.op = DPSCTP_OP_CONSUMED;
		d.svc = a->svc;
		d.assoc_id = a->id;
		d.arg = a->unconsumed > UINT32_MAX ? UINT32_MAX : (uint32_t)a->unconsumed;
		rc = lsess_post(ss, lsess_owner(ss, a->id), &d, NULL, 0, true);
		if (rc == -EAGAIN) {
			ss->cons_retry = true;
			return false;
		}
		if (rc < 0) {
			a->unconsumed = 0; /* the daemon is gone */
			break;
		}
		a->unconsumed -= d.arg;
	}
	return true;
}

void
lassoc_consumed(struct lsess *ss, struct lassoc *a, uint64_t bytes, bool now)
{
	uint64_t batch = CONSUMED_BATCH;

	a->unconsumed += bytes;
	if (a->s != NULL && a->s->opts.rcvbuf / 4 < batch)
		batch = a->s->opts.rcvbuf / 4;
	if (now || a->rq_data == 0 || a->unconsumed >= batch || a->state == LA_DEAD)
		(void)consumed_post(ss, a);
}

void
lsess_consumed_retry(struct lsess *ss)
{
	unsigned int i;

	if (!ss->cons_retry || ss->dead)
		return;
	ss->cons_retry = false;
	/* rare (the worker takes requests every loop): a walk of the hash is fine */
	for (i = 0; i < LSESS_HASH; i++) {
		struct lassoc *a;

		for (a = ss->hash[i]; a != NULL; a = a->hnext)
			if (a->unconsumed != 0 && !consumed_post(ss, a))
				return; /* still full: cons_retry is set again */
	}
}

/* What a read returns besides the bytes. */
struct recvout {
	bool notification;
	bool eor;
	uint32_t assoc_id;
	uint16_t sid, ssn, flags;
	uint32_t ppid, tsn, cumtsn, context;
	bool has_from;
	struct sockaddr_storage from;
	socklen_t fromlen;
	bool has_next;
	struct dpsctp_nxtinfo nxt;
};

static void
nxt_of(const struct lmsg *m, struct recvout *o)
{
	if (m == NULL)
		return;
	o->has_next = true;
	memset(&o->nxt, 0, sizeof(o->nxt));
	o->nxt.nxt_sid = m->sid;
	o->nxt.nxt_flags = (uint16_t)(m->flags | (m->complete ? DPSCTP_COMPLETE : 0) |
		(m->notification ? DPSCTP_NOTIFICATION : 0));
	o->nxt.nxt_ppid = m->ppid;
	o->nxt.nxt_length = (uint32_t)(m->len - m->read);
	o->nxt.nxt_assoc_id = m->assoc_id;
}

/* Read from @p s (locked) into @p iov. @return bytes or -errno; 0 at end of stream. */
static ssize_t
recv_msg(struct dpsctp_lsock *s, const struct iovec *iov, int iovcnt, int flags, bool want_from,
	struct recvout *o)
{
	bool nonblock = s->nonblock || (flags & MSG_DONTWAIT);
	bool peek = (flags & MSG_PEEK) != 0;
	size_t space = iov_len(iov, iovcnt), done = 0, off;
	struct lmsg *m;
	struct lbuf *b;
	int vi = 0;
	size_t vo = 0;

	memset(o, 0, sizeof(*o));
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	for (;;) {
		m = s->rq_head;
		if (s->closed)
			return -EBADF;
		if (m != NULL && (m->read < m->len || m->complete))
			break;
		if (s->shut_rd)
			return 0;
		if (s->sess->dead)
			return -ECONNRESET;
		if (s->so_error != 0 && s->type == SOCK_STREAM) {
			int e = s->so_error;

			s->so_error = 0;
			s->conn_event = false;
			if (s->conn != NULL)
				s->conn->err_reported = true;
			lsock_update(s);
			return -e;
		}
		s->conn_event = false;
		if (s->type == SOCK_STREAM) {
			struct lassoc *a = s->conn;

			if (a == NULL)
				return s->listening || !s->shut_wr ? -ENOTCONN : 0;
			if (a->state == LA_DEAD) {
				if (a->err != 0 && !a->err_reported) {
					a->err_reported = true;
					lsock_update(s);
					return -a->err;
				}
				return 0;
			}
			/* after the peer's SHUTDOWN no data comes, but the end of the association
			 * (SHUTDOWN_COMP) does: end of stream is when it is over */
		}
		if (nonblock) {
			lsock_update(s);
			return -EAGAIN;
		}
		lsock_wait(s, 0);
	}
	s->conn_event = false;
	/* copy from the head message */
	b = m->head;
	off = m->head_off;
	while (b != NULL && done < space) {
		size_t avail = b->len - off;

		while (vi < iovcnt && vo == iov[vi].iov_len) {
			vi++;
			vo = 0;
		}
		if (vi >= iovcnt)
			break;
		{
			size_t n = iov[vi].iov_len - vo;

			if (n > avail)
				n = avail;
			memcpy((uint8_t *)iov[vi].iov_base + vo, b->data + off, n);
			vo += n;
			off += n;
			done += n;
		}
		if (off == b->len) {
			b = b->next;
			off = 0;
		}
	}
	o->notification = m->notification;
	o->assoc_id = m->assoc_id;
	o->sid = m->sid;
	o->ssn = m->ssn;
	o->flags = m->flags;
	o->ppid = m->ppid;
	o->tsn = m->tsn;
	o->cumtsn = m->cumtsn;
	o->context = m->context;
	o->eor = m->complete && m->read + done == m->len;
	if (m->has_from) {
		o->has_from = true;
		o->fromlen = dpsctp_addr_to_sa(&m->from, m->from_port,
			s->family == AF_INET6 && s->opts.mapped_v4, &o->from);
	}
	if (!peek) {
		/* free the pieces read */
		while (m->head != NULL && m->head != b) {
			struct lbuf *x = m->head;

			m->head = x->next;
			free(x);
		}
		if (m->head == NULL)
			m->tail = NULL;
		m->head_off = off;
		m->read += done;
		s->rq_bytes -= done;
		if (!m->notification && done != 0 && s->ep != NULL) {
			/* notifications are the library's own: only DATA holds the window */
			struct lassoc *a = lassoc_find(s->sess, s->ep->svc, m->assoc_id);

			if (a != NULL) {
				a->rq_data = a->rq_data > done ? a->rq_data - done : 0;
				lassoc_consumed(s->sess, a, done, false);
			}
		}
		if (o->eor) {
			s->rq_head = m->next;
			if (s->rq_head == NULL)
				s->rq_tail = NULL;
			lmsg_free(m);
			nxt_of(s->rq_head, o);
		} else {
			nxt_of(m->next, o);
		}
		lsock_update(s);
		lsess_consumed_retry(s->sess);
	} else {
		nxt_of(m->next, o);
	}
	if (want_from && !o->has_from && !o->notification) {
		struct lassoc *a = lsock_assoc_find(s, o->assoc_id);

		if (a != NULL) {
			if (a->npaddrs == 0) {
				a->refs++;
				lassoc_fetch_paddrs(s, a);
				lassoc_put(s->sess, a);
			}
			a = lsock_assoc_find(s, o->assoc_id);
			if (a != NULL && a->npaddrs > 0) {
				o->has_from = true;
				o->fromlen = dpsctp_addr_to_sa(&a->paddrs[0], a->pport,
					s->family == AF_INET6 && s->opts.mapped_v4, &o->from);
			}
		}
	}
	return (ssize_t)done;
}

static void
from_out(const struct recvout *o, struct sockaddr *from, socklen_t *fromlen)
{
	if (from == NULL || fromlen == NULL)
		return;
	if (!o->has_from) {
		*fromlen = 0;
		return;
	}
	memcpy(from, &o->from, o->fromlen < *fromlen ? o->fromlen : *fromlen);
	*fromlen = o->fromlen;
}

static void
rcvinfo_of(const struct recvout *o, struct dpsctp_rcvinfo *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->rcv_sid = o->sid;
	ri->rcv_ssn = o->ssn;
	ri->rcv_flags = o->flags;
	ri->rcv_ppid = o->ppid;
	ri->rcv_tsn = o->tsn;
	ri->rcv_cumtsn = o->cumtsn;
	ri->rcv_context = o->context;
	ri->rcv_assoc_id = o->assoc_id;
}

static void
sndrcv_of(const struct recvout *o, struct dpsctp_sndrcvinfo *sr)
{
	memset(sr, 0, sizeof(*sr));
	sr->sinfo_stream = o->sid;
	sr->sinfo_ssn = o->ssn;
	sr->sinfo_flags = o->flags;
	sr->sinfo_ppid = o->ppid;
	sr->sinfo_context = o->context;
	sr->sinfo_tsn = o->tsn;
	sr->sinfo_cumtsn = o->cumtsn;
	sr->sinfo_assoc_id = o->assoc_id;
}

static int
out_flags(const struct recvout *o)
{
	return (o->eor ? MSG_EOR : 0) | (o->notification ? DPSCTP_MSG_NOTIFICATION : 0);
}

DPSCTP_EXPORT ssize_t
dpsctp_recvv(int sd, const struct iovec *iov, int iovlen, struct sockaddr *from,
	socklen_t *fromlen, void *info, socklen_t *infolen, unsigned int *infotype, int *flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct recvout o;
	int in = flags != NULL ? *flags : 0;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (iovlen < 0 || (iov == NULL && iovlen > 0))
		return sret(s, -EINVAL);
	rc = recv_msg(s, iov, iovlen, in, from != NULL && fromlen != NULL, &o);
	if (rc < 0)
		return sret(s, rc);
	from_out(&o, from, fromlen);
	if (flags != NULL)
		*flags = out_flags(&o);
	if (infotype != NULL)
		*infotype = DPSCTP_RECVV_NOINFO;
	if (info != NULL && infolen != NULL && infotype != NULL && !o.notification) {
		bool ri = s->opts.recvrcvinfo, ni = s->opts.recvnxtinfo && o.has_next;

		if (ri && ni && *infolen >= (socklen_t)sizeof(struct dpsctp_recvv_rn)) {
			struct dpsctp_recvv_rn rn;

			rcvinfo_of(&o, &rn.recvv_rcvinfo);
			rn.recvv_nxtinfo = o.nxt;
			memcpy(info, &rn, sizeof(rn));
			*infolen = sizeof(rn);
			*infotype = DPSCTP_RECVV_RN;
		} else if (ri && *infolen >= (socklen_t)sizeof(struct dpsctp_rcvinfo)) {
			struct dpsctp_rcvinfo r;

			rcvinfo_of(&o, &r);
			memcpy(info, &r, sizeof(r));
			*infolen = sizeof(r);
			*infotype = DPSCTP_RECVV_RCVINFO;
		} else if (ni && *infolen >= (socklen_t)sizeof(struct dpsctp_nxtinfo)) {
			memcpy(info, &o.nxt, sizeof(o.nxt));
			*infolen = sizeof(o.nxt);
			*infotype = DPSCTP_RECVV_NXTINFO;
		} else {
			*infolen = 0;
		}
	} else if (infolen != NULL) {
		*infolen = 0;
	}
	return sret(s, rc);
}

/* Append a control message; @return false when it does not fit (MSG_CTRUNC). */
static bool
cmsg_put(struct msghdr *msg, size_t *used, int type, const void *data, size_t len)
{
	struct cmsghdr h;

	if (msg->msg_control == NULL || *used + CMSG_SPACE(len) > msg->msg_controllen)
		return false;
	memset(&h, 0, sizeof(h));
	h.cmsg_len = CMSG_LEN(len);
	h.cmsg_level = DPSCTP_IPPROTO_SCTP;
	h.cmsg_type = type;
	memset((uint8_t *)msg->msg_control + *used, 0, CMSG_SPACE(len));
	memcpy((uint8_t *)msg->msg_control + *used, &h, sizeof(h));
	memcpy((uint8_t *)msg->msg_control + *used + CMSG_LEN(0), data, len);
	*used += CMSG_SPACE(len);
	return true;
}

DPSCTP_EXPORT ssize_t
dpsctp_recvmsg(int sd, struct msghdr *msg, int flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct recvout o;
	size_t used = 0;
	bool trunc = false;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (msg == NULL || (msg->msg_iov == NULL && msg->msg_iovlen > 0))
		return sret(s, -EINVAL);
	rc = recv_msg(s, msg->msg_iov, (int)msg->msg_iovlen, flags,
		msg->msg_name != NULL && msg->msg_namelen > 0, &o);
	if (rc < 0)
		return sret(s, rc);
	if (msg->msg_name != NULL)
		from_out(&o, msg->msg_name, &msg->msg_namelen);
	else
		msg->msg_namelen = 0;
	if (!o.notification) {
		if (s->opts.recvrcvinfo) {
			struct dpsctp_rcvinfo r;

			rcvinfo_of(&o, &r);
			trunc |= !cmsg_put(msg, &used, DPSCTP_RCVINFO, &r, sizeof(r));
		}
		if (s->opts.recvnxtinfo && o.has_next)
			trunc |= !cmsg_put(msg, &used, DPSCTP_NXTINFO, &o.nxt, sizeof(o.nxt));
		if (s->opts.data_io_event) {
			struct dpsctp_sndrcvinfo sr;

			sndrcv_of(&o, &sr);
			trunc |= !cmsg_put(msg, &used, DPSCTP_SNDRCV, &sr, sizeof(sr));
		}
	}
	msg->msg_controllen = used;
	msg->msg_flags = out_flags(&o) | (trunc ? MSG_CTRUNC : 0);
	return sret(s, rc);
}

DPSCTP_EXPORT ssize_t
dpsctp_recvfrom(int sd, void *buf, size_t len, int flags, struct sockaddr *from,
	socklen_t *fromlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct iovec v = {.iov_base = buf, .iov_len = len};
	struct recvout o;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (buf == NULL && len > 0)
		return sret(s, -EINVAL);
	rc = recv_msg(s, &v, 1, flags, from != NULL && fromlen != NULL, &o);
	if (rc >= 0)
		from_out(&o, from, fromlen);
	return sret(s, rc);
}

DPSCTP_EXPORT ssize_t
dpsctp_recv(int sd, void *buf, size_t len, int flags)
{
	return dpsctp_recvfrom(sd, buf, len, flags, NULL, NULL);
}

DPSCTP_EXPORT ssize_t
dpsctp_read(int sd, void *buf, size_t len)
{
	return dpsctp_recvfrom(sd, buf, len, 0, NULL, NULL);
}

DPSCTP_EXPORT int
dpsctp_sctp_recvmsg(int sd, void *msg, size_t len, struct sockaddr *from, socklen_t *fromlen,
	struct dpsctp_sndrcvinfo *sinfo, int *msg_flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct iovec v = {.iov_base = msg, .iov_len = len};
	struct recvout o;
	ssize_t rc;

	if (s == NULL)
		return -1;
	if (msg == NULL && len > 0)
		return ret(s, -EINVAL);
	rc = recv_msg(s, &v, 1, msg_flags != NULL ? *msg_flags : 0,
		from != NULL && fromlen != NULL, &o);
	if (rc < 0)
		return ret(s, rc);
	from_out(&o, from, fromlen);
	if (sinfo != NULL) {
		if (!o.notification && (s->opts.data_io_event || s->opts.recvrcvinfo))
			sndrcv_of(&o, sinfo);
		else
			memset(sinfo, 0, sizeof(*sinfo));
	}
	if (msg_flags != NULL)
		*msg_flags = out_flags(&o);
	return ret(s, rc);
}
