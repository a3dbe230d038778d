/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options: setsockopt / getsockopt / sctp_opt_info with RFC 6458 section 8
 * semantics (and RFC 7829 for PEER_ADDR_THLDS), Linux's option lengths and errors.
 *
 * Where an option lives:
 *   - library only (struct dpsctp_sock_opts): events, RECVRCVINFO / RECVNXTINFO, EXPLICIT_EOR,
 *     mapped addresses, default send parameters, context, fragment interleave, busy polling,
 *     SO_SNDBUF (the library's send credit);
 *   - the daemon's endpoint (future associations): struct dpsctp_abi_cfg by EP_UPDATE SET_CFG
 *     once the socket is bound (before, the core sends dpsctp_sock_opts.cfg with EP_OPEN);
 *   - one association: OP_SET_CFG / GET_CFG, SET_PRIMARY, SET_PADDR / GET_PADDR, GET_STATUS,
 *     GET_PADDRS to the worker that owns it.
 *
 * Association ids (RFC 6458 7.2): on a one-to-one socket the id is ignored: the option applies
 * to the socket's association, or to the socket (its future association) when it has none. On a
 * one-to-many socket DPSCTP_FUTURE_ASSOC is the socket's default for associations created later,
 * DPSCTP_CURRENT_ASSOC every association that exists now, DPSCTP_ALL_ASSOC both; only options
 * RFC 6458 allows them for accept CURRENT / ALL (EINVAL otherwise, and on every get).
 *
 * Lengths as Linux checks them: a structure option's set wants exactly its size, an int option
 * at least an int; a get wants room for the structure and reports its size. SOL_SOCKET gets
 * truncate to the caller's length as Linux's sock_getsockopt does.
 *
 * This file holds the dispatch (dpsctp_opt_set / dpsctp_opt_get), association ids and lengths,
 * the flag options kept in the library, and SOL_SOCKET / IPPROTO_IPV6. The handlers of the
 * other options are by what they hold: optproto.c (protocol parameters), optpath.c (paths,
 * status), optsend.c (send defaults, context), optevent.c (notification subscription); optcfg.c
 * holds struct dpsctp_abi_cfg and where a change of it goes; optint.h what they share.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

/* ------------------------------------------------------------------------------------------ */
/* Association targets                                                                         */

bool
dpsctp_opt_one_to_many(const struct dpsctp_lsock *s)
{
	return dpsctp_lsock_type(s) == SOCK_SEQPACKET;
}

/*
 * Resolve the association id of a set. @p cur_all: the option accepts CURRENT / ALL.
 * @return 0, or -EINVAL (unknown association on one-to-many, CURRENT / ALL not allowed).
 */
int
dpsctp_opt_target_set(
	struct dpsctp_lsock *s, dpsctp_assoc_t id, bool cur_all, struct dpsctp_opt_target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (!dpsctp_opt_one_to_many(s)) {
		rc = dpsctp_lsock_assoc(s, id, &t->id);
		if (rc == 0)
			t->one = true;
		else if (rc == -ENOTCONN)
			t->future = true; /* RFC 6458 7.2: the association to come inherits it */
		else
			return rc;
		return 0;
	}
	switch (id) {
	case DPSCTP_FUTURE_ASSOC:
		t->future = true;
		return 0;
	case DPSCTP_CURRENT_ASSOC:
		if (!cur_all)
			return -EINVAL;
		t->current = true;
		return 0;
	case DPSCTP_ALL_ASSOC:
		if (!cur_all)
			return -EINVAL;
		t->future = t->current = true;
		return 0;
	default:
		rc = dpsctp_lsock_assoc(s, id, &t->id);
		if (rc != 0)
			return rc;
		t->one = true;
		return 0;
	}
}

/* Resolve the association id of a get: the socket's default (future) or one association. */
int
dpsctp_opt_target_get(struct dpsctp_lsock *s, dpsctp_assoc_t id, struct dpsctp_opt_target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (dpsctp_opt_one_to_many(s) && id == DPSCTP_FUTURE_ASSOC) {
		t->future = true;
		return 0;
	}
	rc = dpsctp_lsock_assoc(s, id, &t->id);
	if (rc == -ENOTCONN && !dpsctp_opt_one_to_many(s)) {
		t->future = true;
		return 0;
	}
	if (rc != 0)
		return rc;
	t->one = true;
	return 0;
}

/* The socket's association ids now, in @p *out (free it). @return how many, or -ENOMEM. */
int
dpsctp_opt_assoc_ids(struct dpsctp_lsock *s, uint32_t **out)
{
	uint32_t one[1];
	size_t n = dpsctp_lsock_assoc_list(s, one, 0), m;
	uint32_t *ids;

	for (;;) {
		ids = malloc((n + 1) * sizeof(*ids));
		if (ids == NULL)
			return -ENOMEM;
		m = dpsctp_lsock_assoc_list(s, ids, n + 1);
		if (m <= n + 1)
			break;
		free(ids);
		n = m;
	}
	*out = ids;
	return (int)m;
}

/* ------------------------------------------------------------------------------------------ */
/* Lengths                                                                                     */

/* A structure option's set: exactly its size (Linux). */
int
dpsctp_opt_in_struct(const void *val, socklen_t len, void *out, size_t size)
{
	if ((size_t)len != size)
		return -EINVAL;
	memcpy(out, val, size);
	return 0;
}

/* An int option's set: at least an int (Linux). */
int
dpsctp_opt_in_int(const void *val, socklen_t len, int *v)
{
	if ((size_t)len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(*v));
	return 0;
}

/* A get of a structure: the caller's buffer must hold it; its input (an association id) read. */
int
dpsctp_opt_get_in(const void *val, const socklen_t *len, void *in, size_t size)
{
	if ((size_t)*len < size)
		return -EINVAL;
	memcpy(in, val, size);
	return 0;
}

void
dpsctp_opt_put(void *val, socklen_t *len, const void *v, size_t size)
{
	memcpy(val, v, size);
	*len = (socklen_t)size;
}

static int
put_int(void *val, socklen_t *len, int v)
{
	if ((size_t)*len < sizeof(int))
		return -EINVAL;
	dpsctp_opt_put(val, len, &v, sizeof(v));
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* IPPROTO_SCTP: socket flags and association lists                                            */

static int
set_mapped(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	int v, rc;

	if ((rc = dpsctp_opt_in_int(val, len, &v)) != 0)
		return rc;
	/* FreeBSD: IPv6 sockets only; an IPv4 socket has no mapped addresses */
	if (dpsctp_lsock_family(s) != AF_INET6)
		return -EINVAL;
	dpsctp_lsock_opts(s)->mapped_v4 = v != 0;
	return 0;
}

static int
set_frag_interleave(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	int v;

	if ((size_t)len != sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	/* every level allows what we do: whole messages, never two interleaved (RFC 6458 8.1.20) */
	if (v < 0 || v > 2)
		return -EINVAL;
	dpsctp_lsock_opts(s)->fragment_interleave = (uint32_t)v;
	return 0;
}

static int
set_flag(struct dpsctp_lsock *s, const void *val, socklen_t len, bool *field)
{
	int v, rc;

	(void)s;
	if ((rc = dpsctp_opt_in_int(val, len, &v)) != 0)
		return rc;
	*field = v != 0;
	return 0;
}

static int
get_u32(void *val, socklen_t *len, uint32_t v)
{
	if ((size_t)*len < sizeof(v))
		return -EINVAL;
	dpsctp_opt_put(val, len, &v, sizeof(v));
	return 0;
}

static int
get_assoc_number(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	uint32_t one[1];

	if (!dpsctp_opt_one_to_many(s))
		return -EOPNOTSUPP; /* RFC 6458 8.2.5: one-to-many only (Linux: EOPNOTSUPP) */
	return get_u32(val, len, (uint32_t)dpsctp_lsock_assoc_list(s, one, 0));
}

static int
get_assoc_id_list(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_ids head;
	uint32_t *ids = NULL;
	size_t need;
	int n;

	if (!dpsctp_opt_one_to_many(s))
		return -EOPNOTSUPP;
	if ((size_t)*len < sizeof(head))
		return -EINVAL;
	n = dpsctp_opt_assoc_ids(s, &ids);
	if (n < 0)
		return n;
	need = sizeof(head) + (size_t)n * sizeof(dpsctp_assoc_t);
	if ((size_t)*len < need) {
		free(ids);
		return -EINVAL; /* RFC 6458 8.2.6: the buffer is too small */
	}
	head.gaids_number_of_ids = (uint32_t)n;
	memcpy(val, &head, sizeof(head));
	for (int i = 0; i < n; i++) {
		dpsctp_assoc_t id = ids[i];

		memcpy((uint8_t *)val + sizeof(head) + (size_t)i * sizeof(id), &id, sizeof(id));
	}
	free(ids);
	*len = (socklen_t)need;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* IPPROTO_SCTP: the options                                                                   */

static int
sctp_set(struct dpsctp_lsock *s, int name, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);

	switch (name) {
	case DPSCTP_RTOINFO:
		return dpsctp_optproto_set_rtoinfo(s, val, len);
	case DPSCTP_ASSOCINFO:
		return dpsctp_optproto_set_associnfo(s, val, len);
	case DPSCTP_INITMSG:
		return dpsctp_optproto_set_initmsg(s, val, len);
	case DPSCTP_NODELAY:
		return dpsctp_optproto_set_bool_cfg(s, val, len, DPSCTP_CFG_NODELAY);
	case DPSCTP_AUTOCLOSE:
		return dpsctp_optproto_set_autoclose(s, val, len);
	case DPSCTP_PRIMARY_ADDR:
		return dpsctp_optpath_set_primary(s, val, len);
	case DPSCTP_ADAPTATION_LAYER:
		return dpsctp_optproto_set_adaptation(s, val, len);
	case DPSCTP_DISABLE_FRAGMENTS:
		return dpsctp_optproto_set_bool_cfg(s, val, len, DPSCTP_CFG_NOFRAG);
	case DPSCTP_PEER_ADDR_PARAMS:
		return dpsctp_optpath_set_paddrparams(s, val, len);
	case DPSCTP_DEFAULT_SEND_PARAM:
		return dpsctp_optsend_set_default_send_param(s, val, len);
	case DPSCTP_EVENTS:
		return dpsctp_optevent_set_events(s, val, len);
	case DPSCTP_I_WANT_MAPPED_V4_ADDR:
		return set_mapped(s, val, len);
	case DPSCTP_MAXSEG:
		return dpsctp_optproto_set_maxseg(s, val, len);
	case DPSCTP_DELAYED_SACK:
		return dpsctp_optproto_set_delayed_sack(s, val, len);
	case DPSCTP_CONTEXT:
		return dpsctp_optsend_set_context(s, val, len);
	case DPSCTP_FRAGMENT_INTERLEAVE:
		return set_frag_interleave(s, val, len);
	case DPSCTP_PARTIAL_DELIVERY_POINT:
		return dpsctp_optproto_set_pd_point(s, val, len);
	case DPSCTP_MAX_BURST:
		return dpsctp_optproto_set_max_burst(s, val, len);
	case DPSCTP_PEER_ADDR_THLDS:
		return dpsctp_optpath_set_thlds(s, val, len);
	case DPSCTP_RECVRCVINFO:
		return set_flag(s, val, len, &o->recvrcvinfo);
	case DPSCTP_RECVNXTINFO:
		return set_flag(s, val, len, &o->recvnxtinfo);
	case DPSCTP_DEFAULT_SNDINFO:
		return dpsctp_optsend_set_default_sndinfo(s, val, len);
	case DPSCTP_DEFAULT_PRINFO:
		return dpsctp_optsend_set_default_prinfo(s, val, len);
	case DPSCTP_EVENT:
		return dpsctp_optevent_set_event(s, val, len);
	case DPSCTP_EXPLICIT_EOR:
		return set_flag(s, val, len, &o->explicit_eor);
	case DPSCTP_BUSY_POLL:
		return set_flag(s, val, len, &o->busy_poll);
	default:
		/* read-only options (STATUS, GET_*) and unknown names alike */
		return -ENOPROTOOPT;
	}
}

static int
sctp_get(struct dpsctp_lsock *s, int name, void *val, socklen_t *len)
{
	const struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);

	switch (name) {
	case DPSCTP_RTOINFO:
		return dpsctp_optproto_get_rtoinfo(s, val, len);
	case DPSCTP_ASSOCINFO:
		return dpsctp_optproto_get_associnfo(s, val, len);
	case DPSCTP_INITMSG:
		if ((size_t)*len < sizeof(o->initmsg))
			return -EINVAL;
		dpsctp_opt_put(val, len, &o->initmsg, sizeof(o->initmsg));
		return 0;
	case DPSCTP_NODELAY:
		return put_int(val, len, o->eff.nodelay);
	case DPSCTP_AUTOCLOSE:
		if (!dpsctp_opt_one_to_many(s))
			return -EOPNOTSUPP;
		return put_int(val, len, (int)o->eff.autoclose_s);
	case DPSCTP_PRIMARY_ADDR:
		return dpsctp_optpath_get_primary(s, val, len);
	case DPSCTP_ADAPTATION_LAYER: {
		struct dpsctp_setadaptation sa = {.ssb_adaptation_ind = o->eff.adaptation_ind};

		if ((size_t)*len < sizeof(sa))
			return -EINVAL;
		dpsctp_opt_put(val, len, &sa, sizeof(sa));
		return 0;
	}
	case DPSCTP_DISABLE_FRAGMENTS:
		return put_int(val, len, o->eff.disable_fragments);
	case DPSCTP_PEER_ADDR_PARAMS:
		return dpsctp_optpath_get_paddrparams(s, val, len);
	case DPSCTP_DEFAULT_SEND_PARAM:
		return dpsctp_optsend_get_default_send_param(s, val, len);
	case DPSCTP_EVENTS:
		return dpsctp_optevent_get_events(s, val, len);
	case DPSCTP_I_WANT_MAPPED_V4_ADDR:
		return put_int(val, len, o->mapped_v4);
	case DPSCTP_MAXSEG:
		return dpsctp_optproto_get_maxseg(s, val, len);
	case DPSCTP_STATUS:
		return dpsctp_optpath_get_status(s, val, len);
	case DPSCTP_GET_PEER_ADDR_INFO:
		return dpsctp_optpath_get_paddrinfo(s, val, len);
	case DPSCTP_DELAYED_SACK:
		return dpsctp_optproto_get_delayed_sack(s, val, len);
	case DPSCTP_CONTEXT:
		return dpsctp_optsend_get_context(s, val, len);
	case DPSCTP_FRAGMENT_INTERLEAVE:
		return put_int(val, len, (int)o->fragment_interleave);
	case DPSCTP_PARTIAL_DELIVERY_POINT:
		return get_u32(val, len, o->eff.pd_point);
	case DPSCTP_MAX_BURST:
		return dpsctp_optproto_get_max_burst(s, val, len);
	case DPSCTP_GET_ASSOC_NUMBER:
		return get_assoc_number(s, val, len);
	case DPSCTP_GET_ASSOC_ID_LIST:
		return get_assoc_id_list(s, val, len);
	case DPSCTP_PEER_ADDR_THLDS:
		return dpsctp_optpath_get_thlds(s, val, len);
	case DPSCTP_RECVRCVINFO:
		return put_int(val, len, o->recvrcvinfo);
	case DPSCTP_RECVNXTINFO:
		return put_int(val, len, o->recvnxtinfo);
	case DPSCTP_DEFAULT_SNDINFO:
		return dpsctp_optsend_get_default_sndinfo(s, val, len);
	case DPSCTP_DEFAULT_PRINFO:
		return dpsctp_optsend_get_default_prinfo(s, val, len);
	case DPSCTP_EVENT:
		return dpsctp_optevent_get_event(s, val, len);
	case DPSCTP_EXPLICIT_EOR:
		return put_int(val, len, o->explicit_eor);
	case DPSCTP_BUSY_POLL:
		return put_int(val, len, o->busy_poll);
	default:
		return -ENOPROTOOPT;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* SOL_SOCKET and IPPROTO_IPV6                                                                 */

static int
sock_set(struct dpsctp_lsock *s, int name, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
	struct dpsctp_abi_cfg d = {0};
	int v, rc;

	switch (name) {
	case SO_SNDBUF:
	case SO_RCVBUF: {
		uint32_t b;

		if ((rc = dpsctp_opt_in_int(val, len, &v)) != 0)
			return rc;
		/* as the daemon clamps (Linux clamps too, and doubles: we do not) */
		b = dpsctp_optcfg_clamp((uint32_t)v, BUF_MIN, BUF_MAX);
		if (name == SO_SNDBUF) {
			d.mask = DPSCTP_CFG_SNDBUF;
			d.sndbuf = b;
		} else {
			d.mask = DPSCTP_CFG_RCVBUF;
			d.a_rwnd = b;
		}
		rc = dpsctp_optcfg_set_socket(s, &d);
		if (rc != 0)
			return rc;
		o = dpsctp_lsock_opts(s);
		if (name == SO_SNDBUF)
			o->sndbuf = b;
		else
			o->rcvbuf = b;
		return 0;
	}
	case SO_LINGER: {
		struct linger l;
		struct dpsctp_rpc r;

		if ((size_t)len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		memset(&r, 0, sizeof(r));
		r.linger_abort = l.l_onoff != 0 && l.l_linger == 0;
		if (dpsctp_lsock_bound(s) &&
			(rc = dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_LINGER, &r)) != 0)
			return rc;
		o = dpsctp_lsock_opts(s);
		o->linger_on = l.l_onoff != 0;
		o->linger_s = l.l_linger;
		return 0;
	}
	case SO_REUSEADDR:
	case SO_REUSEPORT:
		/* ports belong to the daemon, no TIME-WAIT in SCTP: accepted, no effect */
		return set_flag(s, val, len, &o->reuseaddr);
	default:
		return -ENOPROTOOPT;
	}
}

/* Linux's sock_getsockopt: an int value is truncated to the caller's length. */
static int
sock_put(void *val, socklen_t *len, const void *v, size_t size)
{
	if ((size_t)*len < size)
		size = (size_t)*len;
	dpsctp_opt_put(val, len, v, size);
	return 0;
}

static int
sock_get(struct dpsctp_lsock *s, int name, void *val, socklen_t *len)
{
	const struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
	int v;

	switch (name) {
	case SO_SNDBUF:
		v = (int)o->sndbuf;
		return sock_put(val, len, &v, sizeof(v));
	case SO_RCVBUF:
		v = (int)o->rcvbuf;
		return sock_put(val, len, &v, sizeof(v));
	case SO_LINGER: {
		struct linger l = {.l_onoff = o->linger_on, .l_linger = o->linger_s};

		return sock_put(val, len, &l, sizeof(l));
	}
	case SO_REUSEADDR:
	case SO_REUSEPORT:
		v = o->reuseaddr;
		return sock_put(val, len, &v, sizeof(v));
	case SO_TYPE:
		v = dpsctp_lsock_type(s);
		return sock_put(val, len, &v, sizeof(v));
	case SO_DOMAIN:
		v = dpsctp_lsock_family(s);
		return sock_put(val, len, &v, sizeof(v));
	case SO_PROTOCOL:
		v = DPSCTP_IPPROTO_SCTP;
		return sock_put(val, len, &v, sizeof(v));
	default:
		return -ENOPROTOOPT;
	}
}

static int
ipv6_set(struct dpsctp_lsock *s, int name, const void *val, socklen_t len)
{
	int v, rc;

	/* Linux: IPv6 options on an IPv4 socket are unknown there */
	if (dpsctp_lsock_family(s) != AF_INET6 || name != IPV6_V6ONLY)
		return -ENOPROTOOPT;
	if ((rc = dpsctp_opt_in_int(val, len, &v)) != 0)
		return rc;
	if (dpsctp_lsock_bound(s))
		return -EINVAL; /* the endpoint's addresses are chosen at bind */
	dpsctp_lsock_opts(s)->v6only = v != 0;
	return 0;
}

static int
ipv6_get(struct dpsctp_lsock *s, int name, void *val, socklen_t *len)
{
	if (dpsctp_lsock_family(s) != AF_INET6 || name != IPV6_V6ONLY)
		return -ENOPROTOOPT;
	return put_int(val, len, dpsctp_lsock_opts(s)->v6only);
}

/* ------------------------------------------------------------------------------------------ */

int
dpsctp_opt_set(struct dpsctp_lsock *s, int level, int name, const void *val, socklen_t len)
{
	if (val == NULL && len > 0)
		return -EFAULT;
	switch (level) {
	case DPSCTP_IPPROTO_SCTP:
		return sctp_set(s, name, val, len);
	case SOL_SOCKET:
		return sock_set(s, name, val, len);
	case IPPROTO_IPV6:
		return ipv6_set(s, name, val, len);
	default:
		return -ENOPROTOOPT;
	}
}

int
dpsctp_opt_get(struct dpsctp_lsock *s, int level, int name, void *val, socklen_t *len)
{
	if (len == NULL)
		return -EFAULT;
	if (val == NULL && *len > 0)
		return -EFAULT;
	switch (level) {
	case DPSCTP_IPPROTO_SCTP:
		return sctp_get(s, name, val, len);
	case SOL_SOCKET:
		return sock_get(s, name, val, len);
	case IPPROTO_IPV6:
		return ipv6_get(s, name, val, len);
	default:
		return -ENOPROTOOPT;
	}
}
