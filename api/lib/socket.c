/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp sockets: the descriptor table, endpoints (service slots at the daemon),
 * associations, the routing of what workers send (replies, credit, data, notifications) to
 * sockets, and the socket calls of RFC 6458 (socket, bind, bindx, listen, accept, connect,
 * connectx, peeloff, shutdown, close, getsockname, getpeername, getpaddrs, getladdrs, fcntl,
 * poll, setsockopt / getsockopt / opt_info around opt.c).
 *
 * A socket's descriptor is an eventfd. Level-triggered readability: its counter is non-zero
 * exactly while lsock_readable() holds (a message or notification to read, an association to
 * accept, a pending error, a finished non-blocking connect, end of stream, a dead daemon). It
 * is updated under the library mutex whenever one of those changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core.h"

/* ---- addresses ---- */

int
dpsctp_addr_from_sa(const struct sockaddr *sa, socklen_t len, struct dpsctp_abi_addr *a,
	uint16_t *port)
{
	sa_family_t fam;

	if (sa == NULL || len < (socklen_t)sizeof(sa_family_t))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	memcpy(&fam, &sa->sa_family, sizeof(fam));
	if (fam == AF_INET) {
		struct sockaddr_in in;

		if (len < (socklen_t)sizeof(in))
			return -EINVAL;
		memcpy(&in, sa, sizeof(in));
		a->family = 4;
		memcpy(a->bytes, &in.sin_addr, 4);
		if (port != NULL)
			*port = ntohs(in.sin_port);
		return 0;
	}
	if (fam == AF_INET6) {
		struct sockaddr_in6 in6;

		if (len < (socklen_t)sizeof(in6))
			return -EINVAL;
		memcpy(&in6, sa, sizeof(in6));
		if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
			a->family = 4;
			memcpy(a->bytes, &in6.sin6_addr.s6_addr[12], 4);
		} else {
			a->family = 6;
			memcpy(a->bytes, &in6.sin6_addr, 16);
		}
		if (port != NULL)
			*port = ntohs(in6.sin6_port);
		return 0;
	}
	return -EAFNOSUPPORT;
}

socklen_t
dpsctp_addr_to_sa(const struct dpsctp_abi_addr *a, uint16_t port, bool mapped,
	struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 6 || (a->family == 4 && mapped)) {
		struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

		if (a->family == 6) {
			memcpy(&in6.sin6_addr, a->bytes, 16);
		} else {
			in6.sin6_addr.s6_addr[10] = 0xff;
			in6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&in6.sin6_addr.s6_addr[12], a->bytes, 4);
		}
		memcpy(ss, &in6, sizeof(in6));
		return sizeof(in6);
	}
	{
		struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(port)};

		if (a->family == 4)
			memcpy(&in.sin_addr, a->bytes, 4);
		memcpy(ss, &in, sizeof(in));
		return sizeof(in);
	}
}

int
laddrs_parse(const struct sockaddr *addrs, int addrcnt, int family, bool v6only,
	struct dpsctp_abi_addr *out, uint16_t *port)
{
	const uint8_t *p = (const uint8_t *)addrs;
	int i, rc;

	if (addrs == NULL || addrcnt <= 0)
		return -EINVAL;
	if (addrcnt > DPSCTP_RPC_MAX_ADDRS)
		return -E2BIG;
	for (i = 0; i < addrcnt; i++) {
		sa_family_t fam;
		socklen_t len;
		uint16_t pt;

		memcpy(&fam, p + offsetof(struct sockaddr, sa_family), sizeof(fam));
		if (fam == AF_INET)
			len = sizeof(struct sockaddr_in);
		else if (fam == AF_INET6)
			len = sizeof(struct sockaddr_in6);
		else
			return -EAFNOSUPPORT;
		if (fam == AF_INET6 && family == AF_INET)
			return -EAFNOSUPPORT;
		rc = dpsctp_addr_from_sa((const struct sockaddr *)(const void *)p, len, &out[i], &pt);
		if (rc < 0)
			return -EINVAL;
		if (out[i].family == 4 && family == AF_INET6 && v6only)
			return -EINVAL;
		if (i == 0)
			*port = pt;
		else if (pt != *port)
			return -EINVAL;
		p += len;
	}
	return addrcnt;
}

static bool
addr_any(const struct dpsctp_abi_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, a->family == 4 ? 4 : 16) == 0;
}

/* ---- descriptor table ---- */

struct dpsctp_lsock *
lsock_tab_get(int fd)
{
	if (fd < 0 || fd >= dpsctp_core.ntab)
		return NULL;
	return dpsctp_core.tab[fd];
}

static int
tab_set(int fd, struct dpsctp_lsock *s)
{
	if (fd >= dpsctp_core.ntab) {
		int n = dpsctp_core.ntab == 0 ? 64 : dpsctp_core.ntab;
		struct dpsctp_lsock **t;

		while (n <= fd)
			n *= 2;
		t = realloc(dpsctp_core.tab, (size_t)n * sizeof(*t));
		if (t == NULL)
			return -ENOMEM;
		memset(t + dpsctp_core.ntab, 0, (size_t)(n - dpsctp_core.ntab) * sizeof(*t));
		dpsctp_core.tab = t;
		dpsctp_core.ntab = n;
	}
	dpsctp_core.tab[fd] = s;
	return 0;
}

struct dpsctp_lsock *
lsock_get(int fd)
{
	struct dpsctp_lsock *s;

	LOCK();
	s = lsock_tab_get(fd);
	if (s == NULL || s->closed) {
		UNLOCK();
		errno = (fd >= 0 && fcntl(fd, F_GETFD) != -1) ? ENOTSOCK : EBADF;
		return NULL;
	}
	s->refs++;
	return s;
}

struct dpsctp_lsock *
dpsctp_lsock_get(int fd)
{
	return lsock_get(fd);
}

void
dpsctp_lsock_put(struct dpsctp_lsock *s)
{
	if (--s->refs == 0 && s->closed)
		lsock_free(s);
	UNLOCK();
}

struct dpsctp_sock_opts *
dpsctp_lsock_opts(struct dpsctp_lsock *s)
{
	return &s->opts;
}

int
dpsctp_lsock_type(const struct dpsctp_lsock *s)
{
	return s->type;
}

int
dpsctp_lsock_family(const struct dpsctp_lsock *s)
{
	return s->family;
}

bool
dpsctp_lsock_bound(const struct dpsctp_lsock *s)
{
	return s->ep != NULL;
}

/* ---- sockets ---- */

struct dpsctp_lsock *
lsock_new(struct lsess *ss, int type, int family, bool with_fd)
{
	struct dpsctp_lsock *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->fd = -1;
	if (with_fd) {
		s->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (s->fd < 0) {
			free(s);
			return NULL;
		}
	}
	s->sess = ss;
	s->type = type;
	s->family = family;
	dpsctp_lcv_init(&s->cv);
	dpsctp_opts_init(&s->opts, type);
	s->snext = ss->socks;
	if (ss->socks != NULL)
		ss->socks->sprev = s;
	ss->socks = s;
	ss->nsock++;
	return s;
}

void
lsock_free(struct dpsctp_lsock *s)
{
	struct lsess *ss = s->sess;

	while (s->rq_head != NULL) {
		struct lmsg *m = s->rq_head;

		s->rq_head = m->next;
		lmsg_free(m);
	}
	if (s->sprev != NULL)
		s->sprev->snext = s->snext;
	else
		ss->socks = s->snext;
	if (s->snext != NULL)
		s->snext->sprev = s->sprev;
	pthread_cond_destroy(&s->cv);
	free(s);
	lsess_unref(ss);
}

bool
lsock_readable(const struct dpsctp_lsock *s)
{
	const struct lmsg *m = s->rq_head;

	if (s->sess->dead || s->so_error != 0 || s->conn_event || s->acc_head != NULL)
		return true;
	if (m != NULL && (m->read < m->len || m->complete))
		return true;
	if (s->shut_rd)
		return true;
	if (s->type == SOCK_STREAM && s->conn != NULL && s->conn->state == LA_DEAD)
		return true;
	return false;
}

void
lsock_update(struct dpsctp_lsock *s)
{
	bool want;

	if (s->fd < 0 || s->closed)
		return;
	want = lsock_readable(s);
	if (want == s->readable)
		return;
	if (want) {
		uint64_t one = 1;

		if (write(s->fd, &one, sizeof(one)) != sizeof(one))
			return;
	} else {
		uint64_t v;

		if (read(s->fd, &v, sizeof(v)) != sizeof(v) && errno != EAGAIN)
			return;
	}
	s->readable = want;
}

void
lsock_wake(struct dpsctp_lsock *s)
{
	pthread_cond_broadcast(&s->cv);
	lsock_update(s);
	if (s->parent != NULL) {
		pthread_cond_broadcast(&s->parent->cv);
		lsock_update(s->parent);
	}
}

/* ---- endpoints ---- */

struct lep *
lep_find(struct lsess *ss, uint32_t svc)
{
	struct lep *e;

	for (e = ss->eps; e != NULL; e = e->next)
		if (e->svc == svc)
			return e;
	return NULL;
}

static uint32_t
rpc_flags(const struct dpsctp_lsock *s)
{
	return (s->listening ? DPSCTP_RPC_LISTEN : 0u) |
		(s->family == AF_INET6 && s->opts.v6only ? DPSCTP_RPC_V6ONLY : 0u);
}

static int
ep_open(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *addrs, uint32_t n, uint16_t port,
	bool wildcard)
{
	struct lsess *ss = s->sess;
	struct dpsctp_rpc r = {0};
	struct lep *e;
	int rc;

	r.op = DPSCTP_RPC_EP_OPEN;
	r.flags = rpc_flags(s);
	if (s->opts.linger_on && s->opts.linger_s == 0) {
		r.flags |= DPSCTP_RPC_SET_LINGER;
		r.linger_abort = 1;
	}
	r.port = port;
	r.family = s->family == AF_INET6 ? 6 : 4;
	r.naddrs = n;
	if (n > 0)
		memcpy(r.addrs, addrs, n * sizeof(*addrs));
	r.cfg = s->opts.cfg;
	rc = lsess_rpc(ss, &r);
	if (rc < 0)
		return rc;
	if (s->ep != NULL || s->closed) {
		/* another thread bound it meanwhile: give this one back */
		struct dpsctp_rpc c = {.op = DPSCTP_RPC_EP_CLOSE, .svc = r.svc};

		lsess_rpc(ss, &c);
		return s->closed ? -EBADF : -EINVAL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		struct dpsctp_rpc c = {.op = DPSCTP_RPC_EP_CLOSE, .svc = r.svc};

		lsess_rpc(ss, &c);
		return -ENOMEM;
	}
	e->svc = r.svc;
	e->port = r.port;
	e->family = r.family;
	e->wildcard = wildcard;
	e->naddrs = r.naddrs > DPSCTP_RPC_MAX_ADDRS ? DPSCTP_RPC_MAX_ADDRS : r.naddrs;
	memcpy(e->addrs, r.addrs, e->naddrs * sizeof(e->addrs[0]));
	e->nsock = 1;
	e->main = s;
	e->next = ss->eps;
	ss->eps = e;
	s->ep = e;
	dpsctp_opts_endpoint_cfg(&s->opts, &r.cfg);
	return 0;
}

int
lsock_autobind(struct dpsctp_lsock *s)
{
	if (s->ep != NULL)
		return 0;
	if (s->sess->dead)
		return -ECONNRESET;
	return ep_open(s, NULL, 0, 0, true);
}

int
dpsctp_lsock_ep_update(struct dpsctp_lsock *s, uint32_t flags, struct dpsctp_rpc *r)
{
	int rc;

	if (s->ep == NULL)
		return 0;
	if (s->sess->dead)
		return -ECONNRESET;
	r->op = DPSCTP_RPC_EP_UPDATE;
	r->svc = s->ep->svc;
	r->flags = flags | rpc_flags(s);
	rc = lsess_rpc(s->sess, r);
	if (rc == 0 && (flags & DPSCTP_RPC_SET_ADDRS) && s->ep != NULL && r->naddrs > 0 &&
		r->naddrs <= DPSCTP_RPC_MAX_ADDRS) {
		s->ep->naddrs = r->naddrs;
		memcpy(s->ep->addrs, r->addrs, r->naddrs * sizeof(r->addrs[0]));
	}
	if (rc == 0 && (flags & DPSCTP_RPC_SET_CFG))
		dpsctp_opts_endpoint_cfg(&s->opts, &r->cfg);
	return rc;
}

/* The last socket of endpoint @p e left: close it at the daemon and forget its associations. */
static void
ep_release(struct lsess *ss, struct lep *e, bool abort)
{
	struct lep **pp;
	unsigned int i;

	if (!ss->dead) {
		struct dpsctp_rpc r = {0};

		if (abort) {
			r.op = DPSCTP_RPC_EP_UPDATE;
			r.svc = e->svc;
			r.flags = DPSCTP_RPC_SET_LINGER;
			r.linger_abort = 1;
			lsess_rpc(ss, &r);
			memset(&r, 0, sizeof(r));
		}
		r.op = DPSCTP_RPC_EP_CLOSE;
		r.svc = e->svc;
		lsess_rpc(ss, &r);
	}
	for (i = 0; i < LSESS_HASH; i++) {
		struct lassoc **ap = &ss->hash[i];

		while (*ap != NULL) {
			struct lassoc *a = *ap;

			if (a->svc == e->svc && a->s == NULL && a->refs == 0) {
				*ap = a->hnext;
				free(a);
			} else {
				ap = &a->hnext;
			}
		}
	}
	for (pp = &ss->eps; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free(e);
}

/* ---- socket calls ---- */

/* End a call: drop the reference and the mutex; map a negative result to errno. */
static int
done(struct dpsctp_lsock *s, int rc)
{
	dpsctp_lsock_put(s);
	return rc < 0 ? lerr(-rc) : rc;
}

DPSCTP_EXPORT int
dpsctp_socket(int domain, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct dpsctp_lsock *s;
	struct lsess *ss;
	int rc;

	if (domain != AF_INET && domain != AF_INET6)
		return lerr(EAFNOSUPPORT);
	if (protocol != 0 && protocol != DPSCTP_IPPROTO_SCTP)
		return lerr(EPROTONOSUPPORT);
	if (base != SOCK_STREAM && base != SOCK_SEQPACKET)
		return lerr(ESOCKTNOSUPPORT);
	LOCK();
	rc = lsess_get(&ss);
	if (rc < 0) {
		UNLOCK();
		return lerr(-rc);
	}
	s = lsock_new(ss, base, domain, true);
	if (s == NULL) {
		rc = errno;
		UNLOCK();
		return lerr(rc == EMFILE || rc == ENFILE ? rc : ENOMEM);
	}
	s->nonblock = (type & SOCK_NONBLOCK) != 0;
	s->cloexec = true;
	if (tab_set(s->fd, s) < 0) {
		close(s->fd);
		s->fd = -1;
		s->closed = true;
		lsock_free(s);
		UNLOCK();
		return lerr(ENOMEM);
	}
	rc = s->fd;
	UNLOCK();
	return rc;
}

DPSCTP_EXPORT int
dpsctp_bind(int sd, const struct sockaddr *addr, socklen_t addrlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_abi_addr a;
	uint16_t port;
	int rc;

	if (s == NULL)
		return -1;
	if (s->ep != NULL)
		return done(s, -EINVAL);
	rc = dpsctp_addr_from_sa(addr, addrlen, &a, &port);
	if (rc < 0)
		return done(s, rc);
	if (addr->sa_family != s->family && !(s->family == AF_INET6 && addr->sa_family == AF_INET))
		return done(s, -EAFNOSUPPORT);
	if (a.family == 4 && s->family == AF_INET6 && s->opts.v6only)
		return done(s, -EINVAL);
	if (s->sess->dead)
		return done(s, -ECONNRESET);
	if (addr_any(&a) && !(addr->sa_family == AF_INET && s->family == AF_INET6))
		rc = ep_open(s, NULL, 0, port, true);
	else
		rc = ep_open(s, &a, 1, port, false);
	return done(s, rc);
}

DPSCTP_EXPORT int
dpsctp_bindx(int sd, struct sockaddr *addrs, int addrcnt, int flags)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_abi_addr in[DPSCTP_RPC_MAX_ADDRS];
	struct dpsctp_rpc r = {0};
	struct lep *e;
	uint16_t port = 0;
	uint32_t i, j, n;
	int rc;

	if (s == NULL)
		return -1;
	if (flags != DPSCTP_BINDX_ADD_ADDR && flags != DPSCTP_BINDX_REM_ADDR)
		return done(s, -EINVAL);
	rc = laddrs_parse(addrs, addrcnt, s->family, s->opts.v6only, in, &port);
	if (rc < 0)
		return done(s, rc == -EAFNOSUPPORT ? rc : -EINVAL);
	n = (uint32_t)rc;
	if (s->sess->dead)
		return done(s, -ECONNRESET);
	e = s->ep;
	if (e == NULL) {
		if (flags == DPSCTP_BINDX_REM_ADDR)
			return done(s, -EINVAL);
		if (n == 1 && addr_any(&in[0]))
			return done(s, ep_open(s, NULL, 0, port, true));
		return done(s, ep_open(s, in, n, port, false));
	}
	if (port != 0 && port != e->port)
		return done(s, -EINVAL);
	if (e->wildcard) {
		/* bound to every address already: adding changes nothing, removing is refused */
		return done(s, flags == DPSCTP_BINDX_ADD_ADDR ? 0 : -EINVAL);
	}
	r.naddrs = e->naddrs;
	memcpy(r.addrs, e->addrs, e->naddrs * sizeof(r.addrs[0]));
	for (i = 0; i < n; i++) {
		bool found = false;

		for (j = 0; j < r.naddrs; j++)
			if (laddr_eq(&r.addrs[j], &in[i])) {
				found = true;
				break;
			}
		if (flags == DPSCTP_BINDX_ADD_ADDR) {
			if (found)
				continue;
			if (r.naddrs >= DPSCTP_RPC_MAX_ADDRS)
				return done(s, -EINVAL);
			r.addrs[r.naddrs++] = in[i];
		} else {
			if (!found)
				return done(s, -EADDRNOTAVAIL);
			r.addrs[j] = r.addrs[--r.naddrs];
		}
	}
	if (r.naddrs == 0)
		return done(s, -EINVAL);
	return done(s, dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_ADDRS, &r));
}

DPSCTP_EXPORT int
dpsctp_listen(int sd, int backlog)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_rpc r = {0};
	bool was;
	int rc;

	if (s == NULL)
		return -1;
	if (s->sess->dead)
		return done(s, -ECONNRESET);
	if (s->type == SOCK_STREAM && s->conn != NULL)
		return done(s, -EINVAL);
	was = s->listening;
	/* one-to-many: a backlog of 0 stops accepting new associations (as Linux) */
	s->listening = !(s->type == SOCK_SEQPACKET && backlog == 0);
	s->backlog = backlog;
	if (s->ep == NULL) {
		if (!s->listening)
			return done(s, 0);
		rc = lsock_autobind(s);
		if (rc < 0)
			s->listening = was;
		return done(s, rc);
	}
	if (was == s->listening)
		return done(s, 0);
	rc = dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_LISTEN, &r);
	if (rc < 0)
		s->listening = was;
	return done(s, rc);
}

/* The peer's primary address of @p a as a sockaddr for socket @p s. */
static socklen_t
peer_sa(struct dpsctp_lsock *s, struct lassoc *a, struct sockaddr_storage *ss)
{
	socklen_t n = 0;

	if (a->npaddrs == 0)
		lassoc_fetch_paddrs(s, a);
	if (a->npaddrs > 0)
		n = dpsctp_addr_to_sa(&a->paddrs[0], a->pport,
			s->family == AF_INET6 && s->opts.mapped_v4, ss);
	lassoc_check(s->sess, a);
	return n;
}

static void
copy_sa(const struct sockaddr_storage *ss, socklen_t n, struct sockaddr *addr, socklen_t *addrlen)
{
	if (addr == NULL || addrlen == NULL)
		return;
	memcpy(addr, ss, n < *addrlen ? n : *addrlen);
	*addrlen = n;
}

DPSCTP_EXPORT int
dpsctp_accept(int sd, struct sockaddr *addr, socklen_t *addrlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_lsock *c;
	struct sockaddr_storage st;
	socklen_t n;
	int rc;

	if (s == NULL)
		return -1;
	if (s->type != SOCK_STREAM)
		return done(s, -EOPNOTSUPP);
	if (!s->listening)
		return done(s, -EINVAL);
	if (addr != NULL && addrlen == NULL)
		return done(s, -EINVAL);
	while (s->acc_head == NULL) {
		if (s->closed)
			return done(s, -EBADF);
		if (s->sess->dead)
			return done(s, -ECONNRESET);
		if (s->nonblock)
			return done(s, -EAGAIN);
		lsock_wait(s, 0);
	}
	c = s->acc_head;
	s->acc_head = c->acc_next;
	if (s->acc_head == NULL)
		s->acc_tail = NULL;
	c->acc_next = NULL;
	c->parent = NULL;
	c->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->fd < 0 || tab_set(c->fd, c) < 0) {
		rc = c->fd < 0 ? (errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM) : -ENOMEM;
		/* put it back: it can be taken again later */
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		c->parent = s;
		c->acc_next = s->acc_head;
		s->acc_head = c;
		if (s->acc_tail == NULL)
			s->acc_tail = c;
		return done(s, rc);
	}
	c->cloexec = true;
	lsock_update(c);
	lsock_update(s);
	rc = c->fd;
	if (addr != NULL && c->conn != NULL) {
		c->refs++;
		n = peer_sa(c, c->conn, &st);
		c->refs--;
		if (n > 0)
			copy_sa(&st, n, addr, addrlen);
		else
			*addrlen = 0;
	}
	return done(s, rc);
}

/* connect / connectx on socket @p s (locked, referenced) to @p n addresses. */
static int
do_connect(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *peers, unsigned int n,
	uint16_t port, dpsctp_assoc_t *id)
{
	struct lassoc *a;
	int rc;

	if (s->sess->dead)
		return -ECONNRESET;
	if (port == 0)
		return -EINVAL;
	if (s->type == SOCK_STREAM) {
		if (s->listening)
			return -EINVAL;
		a = s->conn;
		if (a != NULL) {
			if (a->state == LA_CONNECTING)
				return -EALREADY;
			if (a->state == LA_UP)
				return -EISCONN;
			if (a->err != 0 && !a->err_reported) {
				/* a non-blocking connect failed: report it once, as TCP does */
				a->err_reported = true;
				s->so_error = 0;
				s->conn_event = false;
				lsock_update(s);
				return -a->err;
			}
			/* the old association is over: start a new one */
			lassoc_unlink(a);
			lassoc_check(s->sess, a);
		}
	} else {
		unsigned int i;

		for (i = 0; i < n; i++) {
			a = lsock_assoc_by_addr(s, &peers[i], port);
			if (a != NULL)
				return a->state == LA_UP ? -EISCONN : -EALREADY;
		}
	}
	rc = lsock_associate(s, peers, n, port, NULL, &a);
	if (rc < 0)
		return rc;
	if (id != NULL)
		*id = a->id;
	if (s->nonblock)
		return -EINPROGRESS;
	a->refs++;
	while (a->state == LA_CONNECTING && !s->closed && !s->sess->dead)
		lsock_wait(s, 0);
	a->refs--;
	if (s->closed) {
		lassoc_check(s->sess, a);
		return -EBADF;
	}
	if (a->state == LA_UP)
		return 0;
	if (s->sess->dead)
		return -ECONNRESET;
	rc = a->err != 0 ? -a->err : -ECONNREFUSED;
	a->err_reported = true;
	s->so_error = 0;
	lassoc_check(s->sess, a);
	lsock_update(s);
	return rc;
}

DPSCTP_EXPORT int
dpsctp_connect(int sd, const struct sockaddr *addr, socklen_t addrlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_abi_addr a;
	uint16_t port;
	int rc;

	if (s == NULL)
		return -1;
	rc = dpsctp_addr_from_sa(addr, addrlen, &a, &port);
	if (rc < 0)
		return done(s, rc);
	if ((addr->sa_family == AF_INET6 && s->family == AF_INET) ||
		(a.family == 4 && s->family == AF_INET6 && s->opts.v6only))
		return done(s, -EINVAL);
	return done(s, do_connect(s, &a, 1, port, NULL));
}

DPSCTP_EXPORT int
dpsctp_connectx(int sd, struct sockaddr *addrs, int addrcnt, dpsctp_assoc_t *id)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_abi_addr in[DPSCTP_RPC_MAX_ADDRS];
	uint16_t port = 0;
	int rc;

	if (s == NULL)
		return -1;
	rc = laddrs_parse(addrs, addrcnt, s->family, s->opts.v6only, in, &port);
	if (rc < 0) /* FreeBSD sctp_connectx(3): an invalid family is EINVAL */
		return done(s, rc == -E2BIG ? rc : -EINVAL);
	return done(s, do_connect(s, in, (unsigned int)rc, port, id));
}

DPSCTP_EXPORT int
dpsctp_peeloff(int sd, dpsctp_assoc_t id)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_lsock *c;
	struct lassoc *a;
	struct lmsg **pp;
	int rc;

	if (s == NULL)
		return -1;
	if (s->type != SOCK_SEQPACKET)
		return done(s, -EOPNOTSUPP);
	if (s->sess->dead)
		return done(s, -ECONNRESET);
	a = id > DPSCTP_ALL_ASSOC ? lsock_assoc_find(s, id) : NULL;
	if (a == NULL || a->state == LA_DEAD)
		return done(s, -EINVAL);
	c = lsock_new(s->sess, SOCK_STREAM, s->family, true);
	if (c == NULL)
		return done(s, errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM);
	if (tab_set(c->fd, c) < 0) {
		close(c->fd);
		c->fd = -1;
		c->closed = true;
		lsock_free(c);
		return done(s, -ENOMEM);
	}
	c->opts = s->opts;
	c->type = SOCK_STREAM;
	c->cloexec = true;
	c->ep = s->ep;
	s->ep->nsock++;
	/* move the association and its queued messages (RFC 6458 9.2) */
	{
		struct lmsg *partial = a->partial;

		lassoc_unlink(a);
		a->s = c;
		a->partial = partial;
		a->snext = NULL;
		c->assocs = a;
		c->conn = a;
	}
	dpsctp_opts_assoc_forget(&s->opts, id);
	pp = &s->rq_head;
	s->rq_tail = NULL;
	while (*pp != NULL) {
		struct lmsg *m = *pp;

		if (m->assoc_id == id) {
			*pp = m->next;
			s->rq_bytes -= m->len - m->read;
			c->rq_bytes += m->len - m->read;
			lsock_rq_append(c, m);
		} else {
			s->rq_tail = m;
			pp = &m->next;
		}
	}
	lsock_update(s);
	lsock_update(c);
	rc = c->fd;
	return done(s, rc);
}

static int
post_simple(struct dpsctp_lsock *s, struct lassoc *a, uint16_t op)
{
	struct dpsctp_desc d = {0};

	d.op = op;
	d.svc = a->svc;
	d.assoc_id = a->id;
	return lsess_post(s->sess, lsess_owner(s->sess, a->id), &d, NULL, 0, false);
}

DPSCTP_EXPORT int
dpsctp_shutdown(int sd, int how)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct lassoc *a;
	int rc = 0;

	if (s == NULL)
		return -1;
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return done(s, -EINVAL);
	if (s->type == SOCK_STREAM && (s->conn == NULL || s->conn->state == LA_DEAD))
		return done(s, -ENOTCONN);
	if (how != SHUT_WR)
		s->shut_rd = true;
	if (how != SHUT_RD) {
		s->shut_wr = true;
		for (a = s->assocs; a != NULL; a = a->snext) {
			if (a->state == LA_DEAD || a->we_shut)
				continue;
			a->we_shut = true;
			if (!s->sess->dead)
				rc = post_simple(s, a, DPSCTP_OP_SHUTDOWN);
		}
	}
	lsock_wake(s);
	return done(s, rc < 0 && rc != -ECONNRESET ? rc : 0);
}

/* End socket @p s (locked, referenced, already out of the table). */
static void
sock_end(struct dpsctp_lsock *s, bool wait_linger)
{
	struct lsess *ss = s->sess;
	bool abort = s->opts.linger_on && s->opts.linger_s == 0;
	struct lassoc *a;
	struct lep *e;

	s->closed = true;
	/* un-accepted associations go with their listener */
	while (s->acc_head != NULL) {
		struct dpsctp_lsock *c = s->acc_head;

		s->acc_head = c->acc_next;
		c->parent = NULL;
		c->refs++;
		c->opts.linger_on = true;
		c->opts.linger_s = 0;
		sock_end(c, false);
		if (--c->refs == 0)
			lsock_free(c);
	}
	s->acc_tail = NULL;
	for (a = s->assocs; a != NULL; a = a->snext) {
		if (a->state == LA_DEAD || ss->dead)
			continue;
		/*
		 * What nobody will read now counts as read, before the SHUTDOWN in the same
		 * channel: the peer may still have data to send and needs the window for it to
		 * finish gracefully (later DATA is discarded and reported by route.c).
		 */
		if (!abort) {
			uint64_t q = a->rq_data;

			a->rq_data = 0;
			lassoc_consumed(ss, a, q, true);
		}
		if (abort)
			post_simple(s, a, DPSCTP_OP_ABORT);
		else if (!a->we_shut)
			post_simple(s, a, DPSCTP_OP_SHUTDOWN);
		a->we_shut = true;
	}
	if (wait_linger && s->opts.linger_on && s->opts.linger_s > 0 && !s->nonblock) {
		uint64_t deadline = lnow() + (uint64_t)s->opts.linger_s * 1000000000ull;

		for (;;) {
			bool alive = false;

			for (a = s->assocs; a != NULL; a = a->snext)
				if (a->state != LA_DEAD)
					alive = true;
			if (!alive || ss->dead || lsock_wait(s, deadline) == ETIMEDOUT)
				break;
		}
	}
	while (s->zombies != NULL) {
		a = s->zombies;
		s->zombies = a->snext;
		lassoc_zombie_free(ss, a);
	}
	while (s->assocs != NULL) {
		a = s->assocs;
		lassoc_unlink(a);
		if (ss->dead)
			a->state = LA_DEAD;
		lassoc_check(ss, a);
	}
	e = s->ep;
	s->ep = NULL;
	if (e != NULL) {
		if (e->main == s)
			e->main = NULL;
		if (--e->nsock == 0)
			ep_release(ss, e, abort);
	}
	pthread_cond_broadcast(&s->cv);
}

DPSCTP_EXPORT int
dpsctp_close(int sd)
{
	struct dpsctp_lsock *s = lsock_get(sd);

	if (s == NULL)
		return -1;
	tab_set(s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	sock_end(s, true);
	dpsctp_lsock_put(s);
	return 0;
}

static int
local_sa(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *a, uint16_t port,
	struct sockaddr_storage *ss)
{
	return (int)dpsctp_addr_to_sa(a, port, s->family == AF_INET6, ss);
}

DPSCTP_EXPORT int
dpsctp_getsockname(int sd, struct sockaddr *addr, socklen_t *addrlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct dpsctp_abi_addr any = {0};
	struct sockaddr_storage st;
	socklen_t n;

	if (s == NULL)
		return -1;
	if (addr == NULL || addrlen == NULL)
		return done(s, -EINVAL);
	any.family = s->family == AF_INET6 ? 6 : 4;
	if (s->ep == NULL || s->ep->wildcard || s->ep->naddrs == 0)
		n = (socklen_t)local_sa(s, &any, s->ep != NULL ? s->ep->port : 0, &st);
	else
		n = (socklen_t)local_sa(s, &s->ep->addrs[0], s->ep->port, &st);
	copy_sa(&st, n, addr, addrlen);
	return done(s, 0);
}

DPSCTP_EXPORT int
dpsctp_getpeername(int sd, struct sockaddr *addr, socklen_t *addrlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct sockaddr_storage st;
	socklen_t n;

	if (s == NULL)
		return -1;
	if (addr == NULL || addrlen == NULL)
		return done(s, -EINVAL);
	if (s->type != SOCK_STREAM || s->conn == NULL || s->conn->state == LA_DEAD)
		return done(s, -ENOTCONN);
	n = peer_sa(s, s->conn, &st);
	if (n == 0)
		return done(s, -ENOTCONN);
	copy_sa(&st, n, addr, addrlen);
	return done(s, 0);
}

/* A packed array of @p n addresses for socket @p s. */
static int
pack_addrs(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *a, unsigned int n, uint16_t port,
	bool mapped, struct sockaddr **out)
{
	uint8_t *buf, *p;
	unsigned int i;

	buf = calloc(n > 0 ? n : 1, sizeof(struct sockaddr_in6));
	if (buf == NULL)
		return -ENOMEM;
	p = buf;
	for (i = 0; i < n; i++) {
		struct sockaddr_storage st;
		socklen_t len = dpsctp_addr_to_sa(&a[i], port, mapped, &st);

		memcpy(p, &st, len);
		p += len;
	}
	(void)s;
	*out = (struct sockaddr *)(void *)buf;
	return (int)n;
}

DPSCTP_EXPORT int
dpsctp_getpaddrs(int sd, dpsctp_assoc_t id, struct sockaddr **addrs)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	struct lassoc *a;
	uint32_t aid;
	int rc;

	if (s == NULL)
		return -1;
	if (addrs == NULL)
		return done(s, -EINVAL);
	rc = dpsctp_lsock_assoc(s, id, &aid);
	if (rc < 0)
		return done(s, rc);
	a = lsock_assoc_find(s, aid);
	if (a == NULL)
		return done(s, -EINVAL);
	a->refs++;
	rc = lassoc_fetch_paddrs(s, a);
	if (rc < 0 && a->npaddrs == 0) {
		lassoc_put(s->sess, a);
		return done(s, rc == -EINVAL ? -ENOTCONN : rc);
	}
	rc = pack_addrs(s, a->paddrs, a->npaddrs, a->pport,
		s->family == AF_INET6 && s->opts.mapped_v4, addrs);
	lassoc_put(s->sess, a);
	return done(s, rc);
}

DPSCTP_EXPORT void
dpsctp_freepaddrs(struct sockaddr *addrs)
{
	free(addrs);
}

DPSCTP_EXPORT int
dpsctp_getladdrs(int sd, dpsctp_assoc_t id, struct sockaddr **addrs)
{
	struct dpsctp_lsock *s = lsock_get(sd);

	(void)id;
	if (s == NULL)
		return -1;
	if (addrs == NULL)
		return done(s, -EINVAL);
	if (s->ep == NULL) {
		*addrs = NULL;
		return done(s, 0);
	}
	return done(s, pack_addrs(s, s->ep->addrs, s->ep->naddrs, s->ep->port,
		s->family == AF_INET6, addrs));
}

DPSCTP_EXPORT void
dpsctp_freeladdrs(struct sockaddr *addrs)
{
	free(addrs);
}

DPSCTP_EXPORT int
dpsctp_fcntl(int sd, int cmd, ...)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	va_list ap;
	int arg = 0, rc;

	if (s == NULL)
		return -1;
	if (cmd == F_SETFL || cmd == F_SETFD) {
		va_start(ap, cmd);
		arg = va_arg(ap, int);
		va_end(ap);
	}
	switch (cmd) {
	case F_GETFL:
		rc = O_RDWR | (s->nonblock ? O_NONBLOCK : 0);
		break;
	case F_SETFL:
		s->nonblock = (arg & O_NONBLOCK) != 0;
		rc = 0;
		break;
	case F_GETFD:
	case F_SETFD:
		rc = cmd == F_GETFD ? fcntl(s->fd, F_GETFD) : fcntl(s->fd, F_SETFD, arg);
		if (rc < 0)
			rc = -errno;
		break;
	default:
		rc = -EINVAL;
		break;
	}
	return done(s, rc);
}

/* ---- options ---- */

DPSCTP_EXPORT int
dpsctp_setsockopt(int sd, int level, int optname, const void *optval, socklen_t optlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	int rc;

	if (s == NULL)
		return -1;
	if (s->sess->dead && level == DPSCTP_IPPROTO_SCTP)
		return done(s, -ECONNRESET);
	rc = dpsctp_opt_set(s, level, optname, optval, optlen);
	lsock_wake(s);
	return done(s, rc);
}

DPSCTP_EXPORT int
dpsctp_getsockopt(int sd, int level, int optname, void *optval, socklen_t *optlen)
{
	struct dpsctp_lsock *s = lsock_get(sd);
	int v, rc;

	if (s == NULL)
		return -1;
	if (optval == NULL || optlen == NULL)
		return done(s, -EINVAL);
	if (level == SOL_SOCKET && (optname == SO_ERROR || optname == SO_TYPE ||
		optname == SO_DOMAIN || optname == SO_PROTOCOL || optname == SO_ACCEPTCONN)) {
		if (*optlen < (socklen_t)sizeof(int))
			return done(s, -EINVAL);
		switch (optname) {
		case SO_ERROR:
			v = s->so_error;
			s->so_error = 0;
			s->conn_event = false;
			if (s->conn != NULL && v == s->conn->err)
				s->conn->err_reported = true;
			lsock_update(s);
			break;
		case SO_TYPE:
			v = s->type;
			break;
		case SO_DOMAIN:
			v = s->family;
			break;
		case SO_PROTOCOL:
			v = DPSCTP_IPPROTO_SCTP;
			break;
		default:
			v = s->listening;
			break;
		}
		memcpy(optval, &v, sizeof(v));
		*optlen = sizeof(v);
		return done(s, 0);
	}
	if (s->sess->dead && level == DPSCTP_IPPROTO_SCTP)
		return done(s, -ECONNRESET);
	rc = dpsctp_opt_get(s, level, optname, optval, optlen);
	return done(s, rc);
}

/* Where the association id sits in the structure of option @p opt (-1: none). */
static int
opt_id_offset(int opt)
{
	switch (opt) {
	case DPSCTP_RTOINFO:
	case DPSCTP_ASSOCINFO:
	case DPSCTP_PRIMARY_ADDR:
	case DPSCTP_PEER_ADDR_PARAMS:
	case DPSCTP_STATUS:
	case DPSCTP_GET_PEER_ADDR_INFO:
	case DPSCTP_DELAYED_SACK:
	case DPSCTP_CONTEXT:
	case DPSCTP_MAXSEG:
	case DPSCTP_MAX_BURST:
	case DPSCTP_EVENT:
	case DPSCTP_PEER_ADDR_THLDS:
		return 0;
	case DPSCTP_DEFAULT_SNDINFO:
		return (int)offsetof(struct dpsctp_sndinfo, snd_assoc_id);
	case DPSCTP_DEFAULT_SEND_PARAM:
		return (int)offsetof(struct dpsctp_sndrcvinfo, sinfo_assoc_id);
	case DPSCTP_DEFAULT_PRINFO:
		return (int)offsetof(struct dpsctp_default_prinfo, pr_assoc_id);
	default:
		return -1;
	}
}

DPSCTP_EXPORT int
dpsctp_opt_info(int sd, dpsctp_assoc_t id, int opt, void *arg, socklen_t *size)
{
	int off = opt_id_offset(opt);

	if (arg == NULL || size == NULL)
		return lerr(EINVAL);
	if (off >= 0) {
		if (*size < (socklen_t)(off + (int)sizeof(id)))
			return lerr(EINVAL);
		memcpy((uint8_t *)arg + off, &id, sizeof(id));
	}
	return dpsctp_getsockopt(sd, DPSCTP_IPPROTO_SCTP, opt, arg, size);
}
