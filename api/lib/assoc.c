/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp associations: the session's hash of (endpoint, id), each socket's list, peer
 * address caching (GET_PADDRS), requests to the owning worker, ASSOCIATE, and the dead
 * associations kept for late events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static unsigned int
ahash(uint32_t svc, uint32_t id)
{
	return (id * 2654435761u ^ svc * 40503u) & (LSESS_HASH - 1);
}

struct lassoc *
lassoc_find(struct lsess *ss, uint32_t svc, uint32_t id)
{
	struct lassoc *a;

	for (a = ss->hash[ahash(svc, id)]; a != NULL; a = a->hnext)
		if (a->id == id && a->svc == svc)
			return a;
	return NULL;
}

struct lassoc *
lassoc_new(struct dpsctp_lsock *s, uint32_t id, int state)
{
	struct lsess *ss = s->sess;
	struct lassoc *a = calloc(1, sizeof(*a));
	unsigned int h;

	if (a == NULL)
		return NULL;
	a->svc = s->ep->svc;
	a->id = id;
	a->state = state;
	a->s = s;
	a->context = s->opts.context;
	h = ahash(a->svc, id);
	a->hnext = ss->hash[h];
	ss->hash[h] = a;
	a->snext = s->assocs;
	s->assocs = a;
	if (s->type == SOCK_STREAM)
		s->conn = a;
	return a;
}

void
lassoc_unhash(struct lsess *ss, struct lassoc *a)
{
	struct lassoc **pp;

	for (pp = &ss->hash[ahash(a->svc, a->id)]; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == a) {
			*pp = a->hnext;
			return;
		}
}

/* Take @p a off its socket's list (it stays in the hash). */
void
lassoc_unlink(struct lassoc *a)
{
	struct dpsctp_lsock *s = a->s;
	struct lassoc **pp;

	if (s == NULL)
		return;
	for (pp = &s->assocs; *pp != NULL; pp = &(*pp)->snext)
		if (*pp == a) {
			*pp = a->snext;
			break;
		}
	if (s->conn == a)
		s->conn = NULL;
	a->s = NULL;
	a->snext = NULL;
	a->partial = NULL;
}

void
lassoc_check(struct lsess *ss, struct lassoc *a)
{
	if (a->refs == 0 && a->s == NULL && a->state == LA_DEAD) {
		lassoc_unhash(ss, a);
		free(a);
	}
}

void
lassoc_put(struct lsess *ss, struct lassoc *a)
{
	if (a->refs > 0)
		a->refs--;
	lassoc_check(ss, a);
}

/* A GET_PADDRS answer: uint16 peer port, uint16 count, then the addresses. */
int
lassoc_paddrs_parse(struct lassoc *a, const uint8_t *buf, size_t len)
{
	uint16_t port, n;

	if (len < 4)
		return -EPROTO;
	memcpy(&port, buf, 2);
	memcpy(&n, buf + 2, 2);
	if (n > DPSCTP_RPC_MAX_ADDRS || len < 4 + n * sizeof(struct dpsctp_abi_addr))
		return -EPROTO;
	a->pport = port;
	a->npaddrs = n;
	memcpy(a->paddrs, buf + 4, n * sizeof(struct dpsctp_abi_addr));
	a->paddrs_known = true;
	return 0;
}

#define PADDRS_BUF (4 + DPSCTP_RPC_MAX_ADDRS * sizeof(struct dpsctp_abi_addr))

/*
 * Ask for the peer addresses of @p a without waiting (from the drainer, at COMM_UP): the REPLY
 * fills them in, so that recvmsg() can name the sender and sendto() find the association.
 * Best effort: nothing happens when the channel is full.
 */
void
lassoc_prefetch_paddrs(struct lsess *ss, struct lassoc *a)
{
	struct dpsctp_desc d = {0};
	struct lreq *q, **pp;

	if (ss->dead)
		return;
	q = calloc(1, sizeof(*q) + PADDRS_BUF);
	if (q == NULL)
		return;
	q->async = true;
	q->svc = a->svc;
	q->async_id = a->id;
	q->rep = q + 1;
	q->rep_cap = PADDRS_BUF;
	q->req = lsess_req(ss);
	d.op = DPSCTP_OP_GET_PADDRS;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = a->svc;
	d.assoc_id = a->id;
	d.req = q->req;
	q->next = ss->reqs;
	ss->reqs = q;
	/* non-blocking: never waits, never drains (we are the drainer) */
	if (lsess_post(ss, lsess_owner(ss, a->id), &d, NULL, 0, true) < 0) {
		for (pp = &ss->reqs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == q) {
				*pp = q->next;
				break;
			}
		free(q);
	}
}

int
lassoc_fetch_paddrs(struct dpsctp_lsock *s, struct lassoc *a)
{
	uint8_t buf[PADDRS_BUF];
	size_t len = 0;
	int rc;

	if (a->state == LA_DEAD)
		return a->npaddrs > 0 ? 0 : -ENOTCONN;
	a->refs++;
	rc = dpsctp_lsock_request(s, a->id, DPSCTP_OP_GET_PADDRS, NULL, 0, buf, sizeof(buf), &len);
	a->refs--;
	if (rc == 0)
		rc = lassoc_paddrs_parse(a, buf, len);
	return rc;
}

struct lassoc *
lsock_assoc_by_addr(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *addr, uint16_t port)
{
	unsigned int tries = 0;
	struct lassoc *a;

again:
	for (a = s->assocs; a != NULL; a = a->snext) {
		uint16_t i;

		if (a->state == LA_DEAD)
			continue;
		if (a->npaddrs == 0 && tries < 64) {
			tries++;
			lassoc_fetch_paddrs(s, a);
			lassoc_check(s->sess, a);
			/* the mutex was dropped: the list may have changed */
			goto again;
		}
		if (a->pport != port)
			continue;
		for (i = 0; i < a->npaddrs; i++)
			if (laddr_eq(&a->paddrs[i], addr))
				return a;
	}
	return NULL;
}

int
dpsctp_lsock_assoc(struct dpsctp_lsock *s, dpsctp_assoc_t id, uint32_t *out)
{
	struct lassoc *a;

	if (s->type == SOCK_STREAM) {
		if (s->conn == NULL || s->conn->state == LA_DEAD)
			return -ENOTCONN;
		*out = s->conn->id;
		return 0;
	}
	if (id <= DPSCTP_ALL_ASSOC)
		return -EINVAL;
	for (a = s->assocs; a != NULL; a = a->snext)
		if (a->id == id && a->state != LA_DEAD) {
			*out = id;
			return 0;
		}
	return -EINVAL;
}

size_t
dpsctp_lsock_assoc_list(struct dpsctp_lsock *s, uint32_t *ids, size_t cap)
{
	struct lassoc *a;
	size_t n = 0;

	for (a = s->assocs; a != NULL; a = a->snext) {
		if (a->state == LA_DEAD)
			continue;
		if (n < cap)
			ids[n] = a->id;
		n++;
	}
	return n;
}

struct lassoc *
lsock_assoc_find(struct dpsctp_lsock *s, uint32_t id)
{
	struct lassoc *a;

	for (a = s->assocs; a != NULL; a = a->snext)
		if (a->id == id)
			return a;
	return NULL;
}

void
dpsctp_lsock_assoc_streams(struct dpsctp_lsock *s, uint32_t id, uint16_t *os, uint16_t *is)
{
	struct lassoc *a = lsock_assoc_find(s, id);

	*os = a != NULL ? a->os : 0;
	*is = a != NULL ? a->is : 0;
}

int
dpsctp_lsock_assoc_set_context(struct dpsctp_lsock *s, uint32_t id, uint32_t context)
{
	struct lassoc *a = lsock_assoc_find(s, id);

	if (a == NULL)
		return -EINVAL;
	a->context = context;
	return 0;
}

int
dpsctp_lsock_assoc_get_context(struct dpsctp_lsock *s, uint32_t id, uint32_t *context)
{
	struct lassoc *a = lsock_assoc_find(s, id);

	if (a == NULL)
		return -EINVAL;
	*context = a->context;
	return 0;
}

int
dpsctp_lsock_request(struct dpsctp_lsock *s, uint32_t assoc_id, uint16_t op, const void *req,
	size_t req_len, void *rep, size_t rep_cap, size_t *rep_len)
{
	struct lsess *ss = s->sess;
	struct lreq q = {0};
	struct dpsctp_desc d = {0};
	struct iovec iov = {.iov_base = (void *)(uintptr_t)req, .iov_len = req_len};
	int rc;

	if (ss->dead)
		return -ECONNRESET;
	if (req_len > DPSCTP_SHM_MAX_PAYLOAD)
		return -EMSGSIZE;
	q.req = lsess_req(ss);
	q.rep = rep;
	q.rep_cap = rep != NULL ? rep_cap : 0;
	d.op = op;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = s->ep != NULL ? s->ep->svc : 0;
	d.assoc_id = assoc_id;
	d.req = q.req;
	q.next = ss->reqs;
	ss->reqs = &q;
	rc = lsess_post(ss, lsess_owner(ss, assoc_id), &d, &iov, req_len > 0 ? 1 : 0, false);
	if (rc < 0) {
		struct lreq **pp;

		for (pp = &ss->reqs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == &q) {
				*pp = q.next;
				break;
			}
		return rc;
	}
	s->refs++;
	rc = lsess_wait_req(ss, &q, s);
	s->refs--;
	if (rep_len != NULL)
		*rep_len = q.rep_len;
	return rc;
}

int
lsock_associate(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *peers, unsigned int n,
	uint16_t port, const struct dpsctp_initmsg *init, struct lassoc **out)
{
	struct lsess *ss = s->sess;
	struct dpsctp_abi_connect c = {0};
	struct lreq q = {0};
	struct dpsctp_desc d = {0};
	struct iovec iov = {.iov_base = &c, .iov_len = sizeof(c)};
	const struct dpsctp_initmsg *im = init != NULL ? init : &s->opts.initmsg;
	struct dpsctp_abi_cfg saved;
	bool restore = false;
	struct lassoc *a;
	uint32_t w;
	int rc;

	if (n == 0 || n > 16)
		return -EINVAL;
	if (port == 0)
		return -EINVAL;
	rc = lsock_autobind(s);
	if (rc < 0)
		return rc;
	/*
	 * The INIT control message may ask for other inbound streams than the endpoint's: the
	 * ASSOCIATE request has no field for it, so the endpoint's value is changed around it
	 * (an association takes its configuration when it is created) and put back.
	 */
	if (init != NULL && init->sinit_max_instreams != 0 &&
		init->sinit_max_instreams != s->opts.eff.mis) {
		struct dpsctp_rpc u = {0};

		saved = s->opts.eff;
		u.cfg = saved;
		u.cfg.mask = DPSCTP_CFG_INIT;
		u.cfg.mis = init->sinit_max_instreams;
		restore = dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_CFG, &u) == 0;
		if (s->closed)
			return -EBADF;
	}
	c.peer_port = port;
	c.os = im->sinit_num_ostreams != 0 ? im->sinit_num_ostreams : s->opts.initmsg.sinit_num_ostreams;
	c.max_attempts = im->sinit_max_attempts != 0 ? im->sinit_max_attempts :
		s->opts.initmsg.sinit_max_attempts;
	c.max_init_timeo_ms = im->sinit_max_init_timeo != 0 ? im->sinit_max_init_timeo :
		s->opts.initmsg.sinit_max_init_timeo;
	c.npeers = (uint16_t)n;
	memcpy(c.peers, peers, n * sizeof(*peers));
	q.req = lsess_req(ss);
	q.assoc_for = s;
	q.svc = s->ep->svc;
	q.conn_req = &c;
	d.op = DPSCTP_OP_ASSOCIATE;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = s->ep->svc;
	d.req = q.req;
	w = ss->rr++ % ss->nworkers;
	d.arg = w;
	q.next = ss->reqs;
	ss->reqs = &q;
	rc = lsess_post(ss, w, &d, &iov, 1, false);
	if (rc < 0) {
		struct lreq **pp;

		for (pp = &ss->reqs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == &q) {
				*pp = q.next;
				break;
			}
	} else {
		rc = lsess_wait_req(ss, &q, s);
	}
	if (restore && !s->closed && !ss->dead) {
		struct dpsctp_rpc u = {0};

		u.cfg = saved;
		u.cfg.mask = DPSCTP_CFG_INIT;
		(void)dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_CFG, &u);
	}
	if (rc < 0)
		return rc;
	if (s->closed)
		return -EBADF;
	a = lassoc_find(ss, q.svc, q.assoc_id);
	if (a == NULL || a->s != s)
		return -ECONNABORTED;
	*out = a;
	return 0;
}

/*
 * A dead association of a one-to-many socket leaves the socket's list (its id is no longer
 * valid there) but stays reachable for what the worker still sends about it: the engine reports
 * the messages that will never go (SEND_FAILED) after the ASSOC_CHANGE that ended it. The last
 * LSOCK_ZOMBIES of them are kept per socket.
 */
#define LSOCK_ZOMBIES 64

void
lassoc_zombie_free(struct lsess *ss, struct lassoc *a)
{
	a->s = NULL;
	a->snext = NULL;
	a->zombie = false;
	lassoc_check(ss, a);
}

void
lassoc_zombify(struct lsess *ss, struct dpsctp_lsock *s, struct lassoc *a)
{
	struct lassoc **pp;
	unsigned int n = 0;

	lassoc_unlink(a);
	a->s = s;
	a->zombie = true;
	a->snext = s->zombies;
	s->zombies = a;
	for (pp = &s->zombies; *pp != NULL; pp = &(*pp)->snext)
		if (++n > LSOCK_ZOMBIES) {
			struct lassoc *old = *pp;

			*pp = NULL;
			while (old != NULL) {
				struct lassoc *next = old->snext;

				lassoc_zombie_free(ss, old);
				old = next;
			}
			break;
		}
}
