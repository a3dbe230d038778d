/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options (api/lib/opt*.c) against a fake library core: no daemon. The fake
 * records the requests to workers and the EP_UPDATEs to control and answers with canned
 * structures, so every option's lengths, association ids, errors and ABI conversions are
 * checked here; the daemon side of the same values is tests/unit/test_attach.c (abicfg).
 */
#include <arpa/inet.h>
#include <string.h>

#include <criterion/criterion.h>

/* the options under test, static helpers included: every module in this one unit */
#include "opt.c"
#include "optcfg.c"
#include "optevent.c"
#include "optpath.c"
#include "optproto.c"
#include "optsend.c"

/* ---- the fake core ---- */

#define MAX_REQ 16

struct req {
	uint32_t id;
	uint16_t op;
	size_t len;
	uint8_t payload[512];
};

struct dpsctp_lsock {
	int type, family;
	bool bound;
	struct dpsctp_sock_opts o;
	uint32_t assocs[8];
	uint32_t ctx[8];
	size_t nassocs;
	/* recorded */
	int nreq;
	struct req req[MAX_REQ];
	int nupd;
	uint32_t upd_flags[4];
	struct dpsctp_rpc upd[4];
	/* canned answers */
	int req_rc;
	struct dpsctp_abi_cfg cfg;
	struct dpsctp_abi_status st;
	struct dpsctp_abi_paddr paddr;
	uint16_t npaddrs;
};

static struct dpsctp_lsock S;

struct dpsctp_sock_opts *
dpsctp_lsock_opts(struct dpsctp_lsock *s)
{
	return &s->o;
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
	return s->bound;
}

int
dpsctp_lsock_assoc(struct dpsctp_lsock *s, dpsctp_assoc_t id, uint32_t *out)
{
	if (s->type == SOCK_STREAM) {
		if (s->nassocs == 0)
			return -ENOTCONN;
		*out = s->assocs[0];
		return 0;
	}
	for (size_t i = 0; i < s->nassocs; i++)
		if (s->assocs[i] == id) {
			*out = id;
			return 0;
		}
	return -EINVAL;
}

size_t
dpsctp_lsock_assoc_list(struct dpsctp_lsock *s, uint32_t *ids, size_t cap)
{
	for (size_t i = 0; i < s->nassocs && i < cap; i++)
		ids[i] = s->assocs[i];
	return s->nassocs;
}

static int
idx(struct dpsctp_lsock *s, uint32_t id)
{
	for (size_t i = 0; i < s->nassocs; i++)
		if (s->assocs[i] == id)
			return (int)i;
	return -1;
}

int
dpsctp_lsock_assoc_set_context(struct dpsctp_lsock *s, uint32_t id, uint32_t context)
{
	int i = idx(s, id);

	if (i < 0)
		return -EINVAL;
	s->ctx[i] = context;
	return 0;
}

int
dpsctp_lsock_assoc_get_context(struct dpsctp_lsock *s, uint32_t id, uint32_t *context)
{
	int i = idx(s, id);

	if (i < 0)
		return -EINVAL;
	*context = s->ctx[i];
	return 0;
}

int
dpsctp_lsock_request(struct dpsctp_lsock *s, uint32_t assoc_id, uint16_t op, const void *req,
	size_t req_len, void *rep, size_t rep_cap, size_t *rep_len)
{
	const void *a = NULL;
	size_t n = 0;
	uint8_t paddrs[4];

	cr_assert_lt(s->nreq, MAX_REQ);
	cr_assert_leq(req_len, sizeof(s->req[0].payload));
	s->req[s->nreq].id = assoc_id;
	s->req[s->nreq].op = op;
	s->req[s->nreq].len = req_len;
	if (req_len != 0)
		memcpy(s->req[s->nreq].payload, req, req_len);
	s->nreq++;
	if (s->req_rc != 0)
		return s->req_rc;
	switch (op) {
	case DPSCTP_OP_GET_CFG:
		a = &s->cfg, n = sizeof(s->cfg);
		break;
	case DPSCTP_OP_GET_STATUS:
		a = &s->st, n = sizeof(s->st);
		break;
	case DPSCTP_OP_GET_PADDR:
		a = &s->paddr, n = sizeof(s->paddr);
		break;
	case DPSCTP_OP_GET_PADDRS:
		paddrs[0] = 0, paddrs[1] = 0;
		memcpy(paddrs + 2, &s->npaddrs, 2);
		a = paddrs, n = 4;
		break;
	default:
		break;
	}
	if (n > rep_cap)
		n = rep_cap;
	if (n != 0)
		memcpy(rep, a, n);
	if (rep_len != NULL)
		*rep_len = n;
	return 0;
}

int
dpsctp_lsock_ep_update(struct dpsctp_lsock *s, uint32_t flags, struct dpsctp_rpc *r)
{
	cr_assert_lt(s->nupd, 4);
	s->upd_flags[s->nupd] = flags;
	s->upd[s->nupd++] = *r;
	return 0;
}

int
dpsctp_addr_from_sa(
	const struct sockaddr *sa, socklen_t len, struct dpsctp_abi_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		if (len < sizeof(*in))
			return -EINVAL;
		a->family = 4;
		memcpy(a->bytes, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (len < sizeof(*in6))
			return -EINVAL;
		a->family = 6;
		memcpy(a->bytes, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
		return 0;
	}
	return -EAFNOSUPPORT;
}

socklen_t
dpsctp_addr_to_sa(
	const struct dpsctp_abi_addr *a, uint16_t port, bool mapped, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 4 && !mapped) {
		struct sockaddr_in *in = (void *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		memcpy(&in->sin_addr, a->bytes, 4);
		return sizeof(*in);
	}
	struct sockaddr_in6 *in6 = (void *)ss;

	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	if (a->family == 4) {
		in6->sin6_addr.s6_addr[10] = 0xff, in6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&in6->sin6_addr.s6_addr[12], a->bytes, 4);
	} else
		memcpy(&in6->sin6_addr, a->bytes, 16);
	return sizeof(*in6);
}

/* ---- helpers ---- */

static struct dpsctp_lsock *
sock(int type, int family, size_t nassocs)
{
	memset(&S, 0, sizeof(S));
	S.type = type;
	S.family = family;
	dpsctp_opts_init(&S.o, type);
	for (size_t i = 0; i < nassocs; i++)
		S.assocs[i] = 0x100 + (uint32_t)i;
	S.nassocs = nassocs;
	cfg_defaults(&S.cfg);
	return &S;
}

static int
seti(struct dpsctp_lsock *s, int level, int name, int v)
{
	return dpsctp_opt_set(s, level, name, &v, sizeof(v));
}

static int
geti(struct dpsctp_lsock *s, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	cr_assert_eq(dpsctp_opt_get(s, level, name, &v, &len), 0);
	cr_assert_eq(len, sizeof(int));
	return v;
}

static struct sockaddr_storage
v4(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (void *)&ss;

	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, ip, &in->sin_addr);
	return ss;
}

#define SCTP DPSCTP_IPPROTO_SCTP

/* ---- defaults, levels, names, lengths ---- */

Test(opt, defaults)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	struct dpsctp_initmsg im;
	socklen_t len = sizeof(im);

	cr_assert_eq(s->o.events, 0);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_SNDBUF), 262144);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_RCVBUF), 131072);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_INITMSG, &im, &len), 0);
	cr_assert_eq(im.sinit_num_ostreams, 10);
	cr_assert_eq(im.sinit_max_instreams, 65535);
	cr_assert_eq(im.sinit_max_attempts, 8);
	cr_assert_eq(im.sinit_max_init_timeo, 60000);
	cr_assert_eq(geti(s, SCTP, DPSCTP_NODELAY), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_RECVRCVINFO), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_FRAGMENT_INTERLEAVE), 0);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	cr_assert_eq(s->o.cfg.mask, 0, "nothing set: the daemon's defaults stay");
}

Test(opt, unknown_names_and_levels)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	int v = 1;
	socklen_t len = sizeof(v);

	cr_assert_eq(seti(s, SCTP, 999, 1), -ENOPROTOOPT);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, 999, &v, &len), -ENOPROTOOPT);
	cr_assert_eq(seti(s, IPPROTO_TCP, 1, 1), -ENOPROTOOPT);
	cr_assert_eq(seti(s, SOL_SOCKET, SO_KEEPALIVE, 1), -ENOPROTOOPT);
	/* read-only options cannot be set */
	cr_assert_eq(seti(s, SCTP, DPSCTP_STATUS, 1), -ENOPROTOOPT);
	cr_assert_eq(seti(s, SCTP, DPSCTP_GET_ASSOC_NUMBER, 1), -ENOPROTOOPT);
	/* IPv6 options of an IPv4 socket do not exist */
	cr_assert_eq(seti(s, IPPROTO_IPV6, IPV6_V6ONLY, 1), -ENOPROTOOPT);
}

Test(opt, lengths)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	struct dpsctp_rtoinfo ri = {0};
	char c = 1;
	int v;
	socklen_t len;

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_NODELAY, &c, 1), -EINVAL);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri) - 1), -EINVAL);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri) + 4), -EINVAL);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, NULL, sizeof(ri)), -EFAULT);
	len = sizeof(ri) - 1;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_RTOINFO, &ri, &len), -EINVAL);
	len = 2;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_NODELAY, &v, &len), -EINVAL);
	/* a longer buffer: the structure's size comes back */
	{
		uint8_t big[64];

		memset(big, 0, sizeof(big));
		len = sizeof(big);
		cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_RTOINFO, big, &len), 0);
		cr_assert_eq(len, sizeof(ri));
	}
	/* SOL_SOCKET truncates as Linux does */
	v = 0;
	len = 2;
	cr_assert_eq(dpsctp_opt_get(s, SOL_SOCKET, SO_RCVBUF, &v, &len), 0);
	cr_assert_eq(len, 2);
}

/* ---- protocol values: future, association, CURRENT / ALL ---- */

Test(opt, rtoinfo_future_keeps_zeros)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	struct dpsctp_rtoinfo ri = {.srto_assoc_id = DPSCTP_FUTURE_ASSOC,
		.srto_initial = 3000,
		.srto_max = 0,
		.srto_min = 0};
	socklen_t len = sizeof(ri);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), 0);
	cr_assert_eq(s->nupd, 0, "unbound: kept for EP_OPEN");
	cr_assert_eq(s->o.cfg.mask, DPSCTP_CFG_RTO);
	cr_assert_eq(s->o.cfg.rto_initial_ms, 3000);
	cr_assert_eq(s->o.cfg.rto_min_ms, 0, "not set: the daemon's value stays");
	memset(&ri, 0, sizeof(ri));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_RTOINFO, &ri, &len), 0);
	cr_assert_eq(ri.srto_initial, 3000);
	cr_assert_eq(ri.srto_min, 1000);
	cr_assert_eq(ri.srto_max, 60000);
	/* RTO.Min <= RTO.Initial <= RTO.Max */
	ri.srto_initial = 0, ri.srto_min = 5000, ri.srto_max = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), -EINVAL);
	ri.srto_min = 0, ri.srto_max = 2000;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), -EINVAL);
	cr_assert_eq(s->o.eff.rto_max_ms, 60000, "a refused set changes nothing");
}

Test(opt, rtoinfo_bound_sends_ep_update)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	struct dpsctp_rtoinfo ri = {.srto_initial = 500, .srto_min = 100, .srto_max = 0};

	s->bound = true;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), 0);
	cr_assert_eq(s->nupd, 1);
	cr_assert_eq(s->upd_flags[0], DPSCTP_RPC_SET_CFG);
	cr_assert_eq(s->upd[0].cfg.mask, DPSCTP_CFG_RTO);
	cr_assert_eq(s->upd[0].cfg.rto_initial_ms, 500);
	cr_assert_eq(s->upd[0].cfg.rto_min_ms, 100);
	cr_assert_eq(s->upd[0].cfg.rto_max_ms, 0);
}

Test(opt, rtoinfo_association_ids)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 2);
	struct dpsctp_rtoinfo ri = {.srto_assoc_id = 0x101, .srto_initial = 2000};
	struct dpsctp_abi_cfg d;
	socklen_t len = sizeof(ri);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), 0);
	cr_assert_eq(s->nreq, 1);
	cr_assert_eq(s->req[0].op, DPSCTP_OP_SET_CFG);
	cr_assert_eq(s->req[0].id, 0x101);
	memcpy(&d, s->req[0].payload, sizeof(d));
	cr_assert_eq(d.mask, DPSCTP_CFG_RTO);
	cr_assert_eq(d.rto_initial_ms, 2000);
	/* RFC 6458 8.1.1: no CURRENT / ALL; unknown ids */
	ri.srto_assoc_id = DPSCTP_CURRENT_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), -EINVAL);
	ri.srto_assoc_id = DPSCTP_ALL_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), -EINVAL);
	ri.srto_assoc_id = 0x999;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_RTOINFO, &ri, sizeof(ri)), -EINVAL);
	/* get of an association asks its worker */
	s->cfg.rto_initial_ms = 1234;
	ri.srto_assoc_id = 0x100;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_RTOINFO, &ri, &len), 0);
	cr_assert_eq(ri.srto_initial, 1234);
	cr_assert_eq(s->req[s->nreq - 1].op, DPSCTP_OP_GET_CFG);
	ri.srto_assoc_id = DPSCTP_CURRENT_ASSOC;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_RTOINFO, &ri, &len), -EINVAL);
}

Test(opt, one_to_one_without_association_is_the_future)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	struct dpsctp_assocparams ap = {
		.sasoc_assoc_id = 77, .sasoc_asocmaxrxt = 4, .sasoc_cookie_life = 10};
	socklen_t len = sizeof(ap);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_ASSOCINFO, &ap, sizeof(ap)), 0);
	cr_assert_eq(s->nreq, 0);
	memset(&ap, 0, sizeof(ap));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_ASSOCINFO, &ap, &len), 0);
	cr_assert_eq(ap.sasoc_asocmaxrxt, 4);
	cr_assert_eq(ap.sasoc_cookie_life, 1000, "clamped up to a second");
	cr_assert_eq(ap.sasoc_local_rwnd, 131072);
	cr_assert_eq(ap.sasoc_peer_rwnd, 0);
}

Test(opt, associnfo_of_an_association)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 1);
	struct dpsctp_assocparams ap = {0};
	socklen_t len = sizeof(ap);

	s->st.peer_rwnd = 54321;
	s->npaddrs = 3;
	s->cfg.assoc_max_retrans = 7;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_ASSOCINFO, &ap, &len), 0);
	cr_assert_eq(ap.sasoc_asocmaxrxt, 7);
	cr_assert_eq(ap.sasoc_peer_rwnd, 54321);
	cr_assert_eq(ap.sasoc_number_peer_destinations, 3);
}

Test(opt, socket_wide_values_reach_every_association)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 3);
	struct dpsctp_abi_cfg d;

	s->bound = true;
	cr_assert_eq(seti(s, SCTP, DPSCTP_NODELAY, 1), 0);
	cr_assert_eq(s->nupd, 1);
	cr_assert_eq(s->upd[0].cfg.mask, DPSCTP_CFG_NODELAY);
	cr_assert_eq(s->nreq, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(s->req[i].op, DPSCTP_OP_SET_CFG);
		memcpy(&d, s->req[i].payload, sizeof(d));
		cr_assert_eq(d.mask, DPSCTP_CFG_NODELAY);
		cr_assert_eq(d.nodelay, 1);
	}
	cr_assert_eq(geti(s, SCTP, DPSCTP_NODELAY), 1);
	/* an association that went away meanwhile is not an error */
	s->req_rc = -ENOENT;
	cr_assert_eq(seti(s, SCTP, DPSCTP_DISABLE_FRAGMENTS, 1), 0);
	s->req_rc = -EINVAL;
	cr_assert_eq(seti(s, SOL_SOCKET, SO_RCVBUF, 100), -EINVAL);
}

Test(opt, initmsg)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	struct dpsctp_initmsg im = {.sinit_num_ostreams = 64, .sinit_max_attempts = 3};
	socklen_t len = sizeof(im);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_INITMSG, &im, sizeof(im)), 0);
	cr_assert_eq(s->o.cfg.mask, DPSCTP_CFG_INIT);
	cr_assert_eq(s->o.cfg.os, 64);
	cr_assert_eq(s->o.cfg.mis, 0, "not set");
	cr_assert_eq(s->o.cfg.max_init_retrans, 3);
	memset(&im, 0, sizeof(im));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_INITMSG, &im, &len), 0);
	cr_assert_eq(im.sinit_num_ostreams, 64);
	cr_assert_eq(im.sinit_max_instreams, 65535);
	cr_assert_eq(im.sinit_max_attempts, 3);
	cr_assert_eq(im.sinit_max_init_timeo, 60000);
}

Test(opt, autoclose_one_to_many_only)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	int v;
	socklen_t len = sizeof(v);

	cr_assert_eq(seti(s, SCTP, DPSCTP_AUTOCLOSE, 5), -EOPNOTSUPP);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_AUTOCLOSE, &v, &len), -EOPNOTSUPP);
	s = sock(SOCK_SEQPACKET, AF_INET, 0);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_AUTOCLOSE, &v, 8), -EINVAL);
	cr_assert_eq(seti(s, SCTP, DPSCTP_AUTOCLOSE, 5), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_AUTOCLOSE), 5);
	cr_assert_eq(seti(s, SCTP, DPSCTP_AUTOCLOSE, 1000000), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_AUTOCLOSE), 86400, "clamped as Linux does");
}

Test(opt, adaptation_layer)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_setadaptation sa = {.ssb_adaptation_ind = 0x01020304};
	socklen_t len = sizeof(sa);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_ADAPTATION_LAYER, &sa, sizeof(sa)), 0);
	cr_assert_eq(s->nreq, 0, "future associations only");
	cr_assert_eq(s->o.cfg.has_adaptation, 1);
	sa.ssb_adaptation_ind = 0;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_ADAPTATION_LAYER, &sa, &len), 0);
	cr_assert_eq(sa.ssb_adaptation_ind, 0x01020304);
}

Test(opt, maxseg_forms_and_limits)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_assoc_value av = {.assoc_id = DPSCTP_FUTURE_ASSOC, .assoc_value = 1000};
	socklen_t len = sizeof(av);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_MAXSEG, &av, sizeof(av)), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_MAXSEG), 1000, "the int form reads the future");
	cr_assert_eq(seti(s, SCTP, DPSCTP_MAXSEG, 0), 0);
	cr_assert_eq(seti(s, SCTP, DPSCTP_MAXSEG, 63), -EINVAL);
	cr_assert_eq(seti(s, SCTP, DPSCTP_MAXSEG, 9217), -EINVAL);
	av.assoc_id = DPSCTP_ALL_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_MAXSEG, &av, sizeof(av)), -EINVAL);
	/* an association's MAXSEG is its fragmentation point */
	s->st.frag_point = 1452;
	av.assoc_id = 0x100;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_MAXSEG, &av, &len), 0);
	cr_assert_eq(av.assoc_value, 1452);
}

Test(opt, max_burst_current_and_all)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 2);
	struct dpsctp_assoc_value av = {.assoc_id = DPSCTP_CURRENT_ASSOC, .assoc_value = 8};

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_MAX_BURST, &av, sizeof(av)), 0);
	cr_assert_eq(s->nreq, 2);
	cr_assert_eq(s->o.eff.max_burst, 4, "CURRENT leaves the future alone");
	av.assoc_id = DPSCTP_ALL_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_MAX_BURST, &av, sizeof(av)), 0);
	cr_assert_eq(s->nreq, 4);
	cr_assert_eq(s->o.eff.max_burst, 8);
	cr_assert_eq(seti(s, SCTP, DPSCTP_MAX_BURST, 0), 0);
	cr_assert_eq(s->o.eff.max_burst, 65535, "0: no limit");
}

Test(opt, delayed_sack)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_sack_info si = {
		.sack_assoc_id = DPSCTP_FUTURE_ASSOC, .sack_delay = 0, .sack_freq = 1};
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg d;
	socklen_t len = sizeof(si);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DELAYED_SACK, &si, sizeof(si)), 0);
	cr_assert_eq(s->o.eff.sack_freq, 1);
	cr_assert_eq(s->o.eff.sack_delay_ms, 200, "delay 0 is no change");
	memset(&si, 0, sizeof(si));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DELAYED_SACK, &si, &len), 0);
	cr_assert_eq(si.sack_delay, 0, "off reads as delay 0");
	cr_assert_eq(si.sack_freq, 1);
	/* a delay turns it back on */
	si.sack_delay = 100, si.sack_freq = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DELAYED_SACK, &si, sizeof(si)), 0);
	cr_assert_eq(s->o.eff.sack_freq, 2);
	cr_assert_eq(s->o.eff.sack_delay_ms, 100);
	si.sack_delay = 501;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DELAYED_SACK, &si, sizeof(si)), -EINVAL);
	/* the deprecated struct dpsctp_assoc_value form */
	av.assoc_id = DPSCTP_FUTURE_ASSOC, av.assoc_value = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DELAYED_SACK, &av, sizeof(av)), 0);
	cr_assert_eq(s->o.eff.sack_freq, 1);
	len = sizeof(av);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DELAYED_SACK, &av, &len), 0);
	cr_assert_eq(len, sizeof(av));
	cr_assert_eq(av.assoc_value, 0);
	/* an association: its delay is kept when 0 is given */
	s->cfg.sack_delay_ms = 300, s->cfg.sack_freq = 2;
	si.sack_assoc_id = 0x100, si.sack_delay = 0, si.sack_freq = 4;
	s->nreq = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DELAYED_SACK, &si, sizeof(si)), 0);
	cr_assert_eq(s->nreq, 2);
	cr_assert_eq(s->req[0].op, DPSCTP_OP_GET_CFG);
	cr_assert_eq(s->req[1].op, DPSCTP_OP_SET_CFG);
	memcpy(&d, s->req[1].payload, sizeof(d));
	cr_assert_eq(d.mask, DPSCTP_CFG_SACK);
	cr_assert_eq(d.sack_delay_ms, 300);
	cr_assert_eq(d.sack_freq, 4);
}

Test(opt, pd_point_and_fragment_interleave)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	uint32_t v = 200000;
	int lvl = 2;

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PARTIAL_DELIVERY_POINT, &v, sizeof(v)), -EINVAL,
		"above SO_RCVBUF");
	v = 4096;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PARTIAL_DELIVERY_POINT, &v, sizeof(v)), 0);
	cr_assert_eq(s->o.eff.pd_point, 4096);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_FRAGMENT_INTERLEAVE, &lvl, sizeof(lvl)), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_FRAGMENT_INTERLEAVE), 2);
	cr_assert_eq(seti(s, SCTP, DPSCTP_FRAGMENT_INTERLEAVE, 3), -EINVAL);
	cr_assert_eq(seti(s, SCTP, DPSCTP_FRAGMENT_INTERLEAVE, -1), -EINVAL);
}

/* ---- events ---- */

Test(opt, event_one_type)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_event ev = {
		.se_assoc_id = DPSCTP_FUTURE_ASSOC, .se_type = DPSCTP_ASSOC_CHANGE, .se_on = 1};
	socklen_t len = sizeof(ev);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), 0);
	cr_assert_eq(s->o.events, 1u << DPSCTP_ASSOC_CHANGE);
	ev.se_type = DPSCTP_SENDER_DRY_EVENT, ev.se_assoc_id = DPSCTP_ALL_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), 0);
	ev.se_assoc_id = 0x100, ev.se_type = DPSCTP_SHUTDOWN_EVENT;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), 0);
	ev.se_assoc_id = 0x999;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), -EINVAL);
	ev.se_assoc_id = 0, ev.se_type = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), -EINVAL);
	ev.se_type = DPSCTP_SN_TYPE_MAX + 1;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev)), -EINVAL);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENT, &ev, sizeof(ev) - 1), -EINVAL);
	ev.se_type = DPSCTP_SENDER_DRY_EVENT, ev.se_on = 0;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_EVENT, &ev, &len), 0);
	cr_assert_eq(ev.se_on, 1);
	ev.se_type = DPSCTP_PEER_ADDR_CHANGE;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_EVENT, &ev, &len), 0);
	cr_assert_eq(ev.se_on, 0);
}

Test(opt, events_every_historical_length)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	struct dpsctp_event_subscribe es;
	uint8_t b[sizeof(es) + 1];
	socklen_t len;

	/* an old 10-byte structure: all on */
	memset(b, 1, sizeof(b));
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENTS, b, 10), 0);
	cr_assert(s->o.data_io_event);
	cr_assert(s->o.events & (1u << DPSCTP_SENDER_DRY_EVENT));
	cr_assert(s->o.events & (1u << DPSCTP_SEND_FAILED_EVENT));
	cr_assert_eq(s->o.events & (1u << 13), 0, "field 12 was not given");
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENTS, b, sizeof(es) + 1), -EINVAL);
	/* 0 bytes: nothing changes (Linux) */
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENTS, b, 0), 0);
	/* get of 9 bytes writes 9 */
	memset(b, 0xee, sizeof(b));
	len = 9;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_EVENTS, b, &len), 0);
	cr_assert_eq(len, 9);
	cr_assert_eq(b[0], 1);
	cr_assert_eq(b[1], 1);
	cr_assert_eq(b[9], 0xee);
	len = 0;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_EVENTS, b, &len), -EINVAL);
	len = sizeof(b);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_EVENTS, b, &len), 0);
	cr_assert_eq(len, sizeof(es));
	/* the full structure, read, one send-failure field changed, written back */
	memcpy(&es, b, sizeof(es));
	cr_assert_eq(es.sctp_send_failure_event, 1);
	cr_assert_eq(es.sctp_send_failure_event_event, 1);
	es.sctp_send_failure_event_event = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENTS, &es, sizeof(es)), 0);
	cr_assert_eq(s->o.events & (1u << DPSCTP_SEND_FAILED_EVENT), 0);
	memset(&es, 0, sizeof(es));
	es.sctp_association_event = 1;
	es.sctp_send_failure_event = 1;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_EVENTS, &es, sizeof(es)), 0);
	cr_assert_eq(s->o.events, (1u << DPSCTP_ASSOC_CHANGE) | (1u << DPSCTP_SEND_FAILED_EVENT));
	cr_assert(!s->o.data_io_event);
}

/* ---- send defaults ---- */

Test(opt, default_sndinfo_future_current_all)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 2);
	struct dpsctp_sndinfo si = {
		.snd_sid = 3, .snd_ppid = 42, .snd_assoc_id = DPSCTP_FUTURE_ASSOC};
	struct dpsctp_sndinfo out;
	socklen_t len = sizeof(out);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), 0);
	dpsctp_opts_send_defaults(&s->o, 0x100, &out, NULL);
	cr_assert_eq(out.snd_sid, 0, "an existing association keeps its defaults");
	dpsctp_opts_send_defaults(&s->o, 0x555, &out, NULL);
	cr_assert_eq(out.snd_sid, 3, "a new one gets the socket's");
	si.snd_sid = 7, si.snd_assoc_id = DPSCTP_CURRENT_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), 0);
	dpsctp_opts_send_defaults(&s->o, 0x101, &out, NULL);
	cr_assert_eq(out.snd_sid, 7);
	dpsctp_opts_send_defaults(&s->o, 0x555, &out, NULL);
	cr_assert_eq(out.snd_sid, 3);
	si.snd_sid = 9, si.snd_assoc_id = 0x100;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), 0);
	out.snd_assoc_id = 0x100;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &out, &len), 0);
	cr_assert_eq(out.snd_sid, 9);
	out.snd_assoc_id = DPSCTP_FUTURE_ASSOC;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &out, &len), 0);
	cr_assert_eq(out.snd_sid, 3);
	si.snd_sid = 11, si.snd_assoc_id = DPSCTP_ALL_ASSOC;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), 0);
	dpsctp_opts_send_defaults(&s->o, 0x100, &out, NULL);
	cr_assert_eq(out.snd_sid, 11);
	dpsctp_opts_send_defaults(&s->o, 0x555, &out, NULL);
	cr_assert_eq(out.snd_sid, 11);
	dpsctp_opts_assoc_forget(&s->o, 0x100);
	cr_assert_null(ad_find(&s->o, 0x100));
	si.snd_flags = DPSCTP_EOR;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), -EINVAL);
	si.snd_flags = 0, si.snd_assoc_id = 0x999;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SNDINFO, &si, sizeof(si)), -EINVAL);
}

Test(opt, default_prinfo_and_send_param)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 1);
	struct dpsctp_default_prinfo pr = {.pr_policy = DPSCTP_PR_SCTP_RTX, .pr_value = 3};
	struct dpsctp_sndrcvinfo sr = {
		.sinfo_stream = 2, .sinfo_timetolive = 500, .sinfo_context = 99};
	socklen_t len = sizeof(pr);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_PRINFO, &pr, sizeof(pr)), -EINVAL);
	pr.pr_policy = DPSCTP_PR_SCTP_PRIO;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_PRINFO, &pr, sizeof(pr)), -EINVAL);
	pr.pr_policy = DPSCTP_PR_SCTP_TTL, pr.pr_value = 250;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_PRINFO, &pr, sizeof(pr)), 0);
	memset(&pr, 0, sizeof(pr));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DEFAULT_PRINFO, &pr, &len), 0);
	cr_assert_eq(pr.pr_policy, DPSCTP_PR_SCTP_TTL);
	cr_assert_eq(pr.pr_value, 250);
	/* the deprecated form: timetolive is a TTL policy */
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SEND_PARAM, &sr, sizeof(sr)), 0);
	cr_assert_eq(s->o.default_sndinfo.snd_sid, 2);
	cr_assert_eq(s->o.default_sndinfo.snd_context, 99);
	cr_assert_eq(s->o.default_prinfo.pr_policy, DPSCTP_PR_SCTP_TTL);
	cr_assert_eq(s->o.default_prinfo.pr_value, 500);
	memset(&sr, 0, sizeof(sr));
	len = sizeof(sr);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_DEFAULT_SEND_PARAM, &sr, &len), 0);
	cr_assert_eq(sr.sinfo_stream, 2);
	cr_assert_eq(sr.sinfo_timetolive, 500);
	sr.sinfo_timetolive = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_DEFAULT_SEND_PARAM, &sr, sizeof(sr)), 0);
	cr_assert_eq(s->o.default_prinfo.pr_policy, DPSCTP_PR_SCTP_NONE);
}

Test(opt, context)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 2);
	struct dpsctp_assoc_value av = {.assoc_id = DPSCTP_ALL_ASSOC, .assoc_value = 5};
	socklen_t len = sizeof(av);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_CONTEXT, &av, sizeof(av)), 0);
	cr_assert_eq(s->o.context, 5);
	cr_assert_eq(s->ctx[0], 5);
	cr_assert_eq(s->ctx[1], 5);
	av.assoc_id = 0x101, av.assoc_value = 6;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_CONTEXT, &av, sizeof(av)), 0);
	cr_assert_eq(s->ctx[1], 6);
	cr_assert_eq(s->o.context, 5);
	av.assoc_value = 0;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_CONTEXT, &av, &len), 0);
	cr_assert_eq(av.assoc_value, 6);
}

/* ---- association state ---- */

Test(opt, status)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 0);
	struct dpsctp_status st = {0};
	struct sockaddr_in *in = (void *)&st.sstat_primary.spinfo_address;
	socklen_t len = sizeof(st);

	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_STATUS, &st, &len), -ENOTCONN);
	s = sock(SOCK_STREAM, AF_INET, 1);
	s->st.state = ABI_ST_ESTABLISHED;
	s->st.peer_rwnd = 1000;
	s->st.unacked = 100000;
	s->st.instrms = 5, s->st.outstrms = 64;
	s->st.frag_point = 1452;
	s->st.peer_port = 5001;
	s->st.primary.addr.family = 4;
	memcpy(s->st.primary.addr.bytes, "\x0a\x00\x00\x02", 4);
	s->st.primary.state = ABI_PATH_PF;
	s->st.primary.cwnd = 4380, s->st.primary.srtt_ms = 2, s->st.primary.rto_ms = 1000;
	s->st.primary.mtu = 1500;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_STATUS, &st, &len), 0);
	cr_assert_eq(len, sizeof(st));
	cr_assert_eq(st.sstat_assoc_id, 0x100);
	cr_assert_eq(st.sstat_state, DPSCTP_ESTABLISHED);
	cr_assert_eq(st.sstat_rwnd, 1000);
	cr_assert_eq(st.sstat_unackdata, 65535);
	cr_assert_eq(st.sstat_instrms, 5);
	cr_assert_eq(st.sstat_outstrms, 64);
	cr_assert_eq(st.sstat_fragmentation_point, 1452);
	cr_assert_eq(st.sstat_primary.spinfo_state, DPSCTP_PF);
	cr_assert_eq(st.sstat_primary.spinfo_cwnd, 4380);
	cr_assert_eq(st.sstat_primary.spinfo_rto, 1000);
	cr_assert_eq(in->sin_family, AF_INET);
	cr_assert_eq(ntohs(in->sin_port), 5001);
	cr_assert_eq(in->sin_addr.s_addr, htonl(0x0a000002));
}

Test(opt, states_map_to_linux_numbers)
{
	cr_assert_eq(state_from_abi(ABI_ST_CLOSED), DPSCTP_CLOSED);
	cr_assert_eq(state_from_abi(ABI_ST_COOKIE_WAIT), DPSCTP_COOKIE_WAIT);
	cr_assert_eq(state_from_abi(ABI_ST_SHUTDOWN_ACK_SENT), DPSCTP_SHUTDOWN_ACK_SENT);
	cr_assert_eq(state_from_abi(99), DPSCTP_CLOSED);
	cr_assert_eq(path_state_from_abi(ABI_PATH_UNCONFIRMED), DPSCTP_UNCONFIRMED);
	cr_assert_eq(path_state_from_abi(ABI_PATH_ACTIVE), DPSCTP_ACTIVE);
	cr_assert_eq(path_state_from_abi(ABI_PATH_INACTIVE), DPSCTP_INACTIVE);
	cr_assert_eq(path_state_from_abi(42), DPSCTP_UNKNOWN);
	cr_assert_eq(spp_to_abi(DPSCTP_SPP_HB_TIME_IS_ZERO | DPSCTP_SPP_HB_ENABLE),
		ABI_SPP_HB_TIME_IS_ZERO | ABI_SPP_HB_ENABLE);
	cr_assert_eq(spp_to_abi(DPSCTP_SPP_SACKDELAY_ENABLE | DPSCTP_SPP_DSCP), 0);
	cr_assert_eq(spp_from_abi(ABI_SPP_HB_DISABLE | ABI_SPP_PMTUD_DISABLE),
		DPSCTP_SPP_HB_DISABLE | DPSCTP_SPP_PMTUD_DISABLE);
}

Test(opt, peer_addr_info)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_paddrinfo pi = {.spinfo_assoc_id = 0x100};
	struct dpsctp_abi_paddr q;
	socklen_t len = sizeof(pi);

	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), -EINVAL,
		"the wildcard names no path");
	pi.spinfo_address = v4("10.0.0.9", 5000);
	s->paddr.state = ABI_PATH_ACTIVE;
	s->paddr.cwnd = 1234;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), 0);
	cr_assert_eq(pi.spinfo_state, DPSCTP_ACTIVE);
	cr_assert_eq(pi.spinfo_cwnd, 1234);
	memcpy(&q, s->req[0].payload, sizeof(q));
	cr_assert_eq(q.addr.family, 4);
	cr_assert_eq(q.addr.bytes[3], 9);
	s->req_rc = -ENOENT;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), -EINVAL);
	s->req_rc = -EADDRNOTAVAIL;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), -EINVAL);
	pi.spinfo_assoc_id = 0x777;
	s->req_rc = 0;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_PEER_ADDR_INFO, &pi, &len), -EINVAL);
}

Test(opt, primary_addr)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET6, 1);
	struct dpsctp_setprim sp = {.ssp_addr = v4("10.0.0.3", 0)};
	struct dpsctp_abi_addr a;
	struct sockaddr_in6 *in6 = (void *)&sp.ssp_addr;
	socklen_t len = sizeof(sp);

	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), 0);
	cr_assert_eq(s->req[0].op, DPSCTP_OP_SET_PRIMARY);
	memcpy(&a, s->req[0].payload, sizeof(a));
	cr_assert_eq(a.family, 4);
	s->req_rc = -ENOENT;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), -EINVAL);
	s->req_rc = -EADDRNOTAVAIL; /* the worker's word for "not a peer address" */
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), -EINVAL);
	s->req_rc = 0;
	memset(&sp.ssp_addr, 0, sizeof(sp.ssp_addr));
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), -EINVAL);
	sp.ssp_addr.ss_family = AF_UNIX;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), -EAFNOSUPPORT);
	/* get, on an AF_INET6 socket that wants mapped addresses */
	cr_assert_eq(seti(s, SCTP, DPSCTP_I_WANT_MAPPED_V4_ADDR, 1), 0);
	s->st.peer_port = 7;
	s->st.primary.addr.family = 4;
	memcpy(s->st.primary.addr.bytes, "\x0a\x00\x00\x03", 4);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, &len), 0);
	cr_assert_eq(in6->sin6_family, AF_INET6);
	cr_assert_eq(in6->sin6_addr.s6_addr[10], 0xff);
	cr_assert_eq(in6->sin6_addr.s6_addr[15], 3);
	cr_assert_eq(ntohs(in6->sin6_port), 7);
	/* no association */
	s = sock(SOCK_STREAM, AF_INET, 0);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PRIMARY_ADDR, &sp, sizeof(sp)), -ENOTCONN);
	cr_assert_eq(seti(s, SCTP, DPSCTP_I_WANT_MAPPED_V4_ADDR, 1), -EINVAL, "IPv4 socket");
}

Test(opt, peer_addr_params_future)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);
	struct dpsctp_paddrparams pp;
	socklen_t len = sizeof(pp);

	memset(&pp, 0, sizeof(pp));
	pp.spp_flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_DISABLE;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
	pp.spp_flags = DPSCTP_SPP_DSCP;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
	/* the older length without flow label / DSCP: those flags are ignored */
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, PADDRPARAMS_OLD_LEN), 0);
	pp.spp_flags = DPSCTP_SPP_HB_DISABLE;
	pp.spp_pathmaxrxt = 3;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0);
	cr_assert_eq(s->o.eff.hb_interval_ms, 0);
	cr_assert_eq(s->o.eff.path_max_retrans, 3);
	cr_assert_eq(s->o.cfg.mask, DPSCTP_CFG_PATH);
	pp.spp_flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_TIME_IS_ZERO;
	pp.spp_pathmaxrxt = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0);
	cr_assert_eq(s->o.eff.hb_interval_ms, 1, "0 would be no heartbeats at the endpoint");
	memset(&pp, 0, sizeof(pp));
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, &len), 0);
	cr_assert_eq(pp.spp_hbinterval, 0);
	cr_assert_eq(pp.spp_pathmaxrxt, 3);
	cr_assert(pp.spp_flags & DPSCTP_SPP_HB_ENABLE);
	cr_assert(pp.spp_flags & DPSCTP_SPP_PMTUD_ENABLE);
	cr_assert(pp.spp_flags & DPSCTP_SPP_SACKDELAY_ENABLE);
	cr_assert_eq(pp.spp_sackdelay, 200);
	/* nothing to name before an association; no fixed MTU or heartbeat now for the future */
	pp.spp_address = v4("10.0.0.1", 0);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
	memset(&pp.spp_address, 0, sizeof(pp.spp_address));
	pp.spp_flags = DPSCTP_SPP_PMTUD_DISABLE, pp.spp_pathmtu = 1400;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
	pp.spp_flags = DPSCTP_SPP_SACKDELAY_DISABLE, pp.spp_pathmtu = 0;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0);
	cr_assert_eq(s->o.eff.sack_freq, 1);
}

Test(opt, peer_addr_params_association)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_paddrparams pp;
	struct dpsctp_abi_paddr p;
	socklen_t len = sizeof(pp);

	memset(&pp, 0, sizeof(pp));
	pp.spp_assoc_id = 0x100;
	pp.spp_flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_TIME_IS_ZERO | DPSCTP_SPP_PMTUD_DISABLE;
	pp.spp_pathmtu = 1280;
	pp.spp_pathmaxrxt = 4;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0);
	cr_assert_eq(s->nreq, 1);
	cr_assert_eq(s->req[0].op, DPSCTP_OP_SET_PADDR);
	memcpy(&p, s->req[0].payload, sizeof(p));
	cr_assert_eq(p.addr.family, 0, "every path");
	cr_assert_eq(p.flags, ABI_SPP_HB_ENABLE | ABI_SPP_HB_TIME_IS_ZERO | ABI_SPP_PMTUD_DISABLE);
	cr_assert_eq(p.pathmtu, 1280);
	cr_assert_eq(p.path_max_retrans, 4);
	cr_assert_eq(p.set_thresholds, 0);
	pp.spp_pathmtu = 100;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
	/* one path: its values */
	pp.spp_address = v4("10.0.0.2", 0);
	s->paddr.hb_interval_ms = 5000;
	s->paddr.path_max_retrans = 6;
	s->paddr.mtu = 1500;
	s->paddr.flags = ABI_SPP_HB_ENABLE | ABI_SPP_PMTUD_ENABLE;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, &len), 0);
	cr_assert_eq(pp.spp_hbinterval, 5000);
	cr_assert_eq(pp.spp_pathmaxrxt, 6);
	cr_assert_eq(pp.spp_pathmtu, 1500);
	cr_assert_eq(pp.spp_flags,
		DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_ENABLE | DPSCTP_SPP_SACKDELAY_ENABLE);
	s->req_rc = -ENOENT;
	pp.spp_flags = DPSCTP_SPP_HB_DEMAND;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -EINVAL);
}

Test(opt, peer_addr_thresholds)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 1);
	struct dpsctp_paddrthlds pt;
	struct dpsctp_abi_paddr p;
	socklen_t len = sizeof(pt);

	memset(&pt, 0, sizeof(pt));
	pt.spt_pathmaxrxt = 6, pt.spt_pathpfthld = 2;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_THLDS, &pt, sizeof(pt)), 0);
	cr_assert_eq(s->o.eff.path_max_retrans, 6);
	cr_assert_eq(s->o.eff.pf_threshold, 2);
	cr_assert_eq(s->o.eff.hb_interval_ms, 30000, "heartbeats untouched");
	pt.spt_address = v4("10.0.0.2", 0);
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_THLDS, &pt, sizeof(pt)), -ENOENT);
	/* one path, 0: the path's current Path.Max.Retrans */
	pt.spt_assoc_id = 0x100, pt.spt_pathmaxrxt = 0;
	s->paddr.path_max_retrans = 9;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_THLDS, &pt, sizeof(pt)), 0);
	cr_assert_eq(s->req[1].op, DPSCTP_OP_SET_PADDR);
	memcpy(&p, s->req[1].payload, sizeof(p));
	cr_assert_eq(p.set_thresholds, 1);
	cr_assert_eq(p.path_max_retrans, 9);
	cr_assert_eq(p.pf_threshold, 2);
	/* get: PF off reads as 65535 */
	s->paddr.pf_threshold = PF_OFF;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_PEER_ADDR_THLDS, &pt, &len), 0);
	cr_assert_eq(pt.spt_pathpfthld, 65535);
	cr_assert_eq(pt.spt_pathmaxrxt, 9);
	s->req_rc = -EADDRNOTAVAIL;
	pt.spt_pathmaxrxt = 3;
	cr_assert_eq(dpsctp_opt_set(s, SCTP, DPSCTP_PEER_ADDR_THLDS, &pt, sizeof(pt)), -ENOENT);
}

Test(opt, assoc_number_and_id_list)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 1);
	uint32_t n;
	uint8_t buf[sizeof(struct dpsctp_assoc_ids) + 3 * sizeof(dpsctp_assoc_t)];
	struct dpsctp_assoc_ids *ids = (void *)buf;
	socklen_t len = sizeof(n);

	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_NUMBER, &n, &len), -EOPNOTSUPP);
	len = sizeof(buf);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_ID_LIST, buf, &len), -EOPNOTSUPP);
	s = sock(SOCK_SEQPACKET, AF_INET, 3);
	len = sizeof(n);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_NUMBER, &n, &len), 0);
	cr_assert_eq(n, 3);
	len = sizeof(buf) - 1;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_ID_LIST, buf, &len), -EINVAL);
	len = 2;
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_ID_LIST, buf, &len), -EINVAL);
	len = sizeof(buf);
	cr_assert_eq(dpsctp_opt_get(s, SCTP, DPSCTP_GET_ASSOC_ID_LIST, buf, &len), 0);
	cr_assert_eq(len, sizeof(buf));
	cr_assert_eq(ids->gaids_number_of_ids, 3);
	cr_assert_eq(ids->gaids_assoc_id[2], 0x102);
}

/* ---- SOL_SOCKET, IPPROTO_IPV6, flags ---- */

Test(opt, socket_level)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET6, 0);
	struct linger l = {.l_onoff = 1, .l_linger = 0};
	socklen_t len = sizeof(l);

	cr_assert_eq(seti(s, SOL_SOCKET, SO_SNDBUF, 10), 0);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_SNDBUF), 1500, "clamped, not doubled");
	cr_assert_eq(seti(s, SOL_SOCKET, SO_RCVBUF, 1 << 20), 0);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_RCVBUF), 1 << 20);
	cr_assert_eq(s->o.cfg.a_rwnd, 1u << 20);
	cr_assert_eq(dpsctp_opt_set(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l) - 1), -EINVAL);
	cr_assert_eq(dpsctp_opt_set(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	cr_assert_eq(s->nupd, 0, "unbound: used at bind");
	s->bound = true;
	cr_assert_eq(dpsctp_opt_set(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	cr_assert_eq(s->nupd, 1);
	cr_assert_eq(s->upd_flags[0], DPSCTP_RPC_SET_LINGER);
	cr_assert_eq(s->upd[0].linger_abort, 1);
	l.l_linger = 5;
	cr_assert_eq(dpsctp_opt_set(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), 0);
	cr_assert_eq(s->upd[1].linger_abort, 0);
	memset(&l, 0, sizeof(l));
	cr_assert_eq(dpsctp_opt_get(s, SOL_SOCKET, SO_LINGER, &l, &len), 0);
	cr_assert_eq(l.l_onoff, 1);
	cr_assert_eq(l.l_linger, 5);
	/* IPV6_V6ONLY: before bind only */
	s->bound = false;
	cr_assert_eq(seti(s, IPPROTO_IPV6, IPV6_V6ONLY, 1), 0);
	cr_assert_eq(geti(s, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	s->bound = true;
	cr_assert_eq(seti(s, IPPROTO_IPV6, IPV6_V6ONLY, 0), -EINVAL);
	cr_assert_eq(seti(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 0), -ENOPROTOOPT);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_DOMAIN), AF_INET6);
	cr_assert_eq(geti(s, SOL_SOCKET, SO_PROTOCOL), 132);
}

Test(opt, library_flags)
{
	struct dpsctp_lsock *s = sock(SOCK_SEQPACKET, AF_INET, 0);

	cr_assert_eq(seti(s, SCTP, DPSCTP_RECVRCVINFO, 1), 0);
	cr_assert_eq(seti(s, SCTP, DPSCTP_RECVNXTINFO, 7), 0);
	cr_assert_eq(seti(s, SCTP, DPSCTP_EXPLICIT_EOR, 1), 0);
	cr_assert_eq(seti(s, SCTP, DPSCTP_BUSY_POLL, 1), 0);
	cr_assert(s->o.recvrcvinfo && s->o.recvnxtinfo && s->o.explicit_eor && s->o.busy_poll);
	cr_assert_eq(geti(s, SCTP, DPSCTP_RECVNXTINFO), 1);
	cr_assert_eq(seti(s, SCTP, DPSCTP_EXPLICIT_EOR, 0), 0);
	cr_assert_eq(geti(s, SCTP, DPSCTP_EXPLICIT_EOR), 0);
	cr_assert_eq(s->nreq + s->nupd, 0, "library-only options");
}

/* ---- the configuration arithmetic mirrors the daemon's ---- */

Test(opt, cfg_apply_and_raw)
{
	struct dpsctp_abi_cfg c, raw = {0}, d = {0};

	cfg_defaults(&c);
	d.mask = DPSCTP_CFG_COOKIE_LIFE;
	d.cookie_life_ms = 999;
	cr_assert_eq(cfg_apply(&c, &d), -EINVAL);
	d.mask = 1u << 20;
	cr_assert_eq(cfg_apply(&c, &d), -EINVAL, "unknown groups");
	d.mask = DPSCTP_CFG_RCVBUF | DPSCTP_CFG_SNDBUF;
	d.a_rwnd = 1, d.sndbuf = UINT32_MAX;
	cr_assert_eq(cfg_apply(&c, &d), 0);
	cr_assert_eq(c.a_rwnd, 1500);
	cr_assert_eq(c.sndbuf, 1u << 30);
	d.mask = DPSCTP_CFG_SACK | DPSCTP_CFG_INIT;
	d.sack_delay_ms = 0, d.sack_freq = 0, d.os = 0, d.mis = 7;
	cr_assert_eq(cfg_apply(&c, &d), 0);
	cr_assert_eq(c.sack_delay_ms, 0, "the delay has no keep-zero");
	cr_assert_eq(c.sack_freq, 2);
	cr_assert_eq(c.os, 10);
	cr_assert_eq(c.mis, 7);
	cfg_merge_raw(&raw, &d);
	cr_assert_eq(raw.mask, DPSCTP_CFG_SACK | DPSCTP_CFG_INIT);
	cr_assert_eq(raw.mis, 7);
	cr_assert_eq(raw.os, 0);
	d.mask = DPSCTP_CFG_AUTOCLOSE;
	d.autoclose_s = 86401;
	cr_assert_eq(cfg_apply(&c, &d), -EINVAL);
}

Test(opt, endpoint_answer_replaces_what_the_library_knows)
{
	struct dpsctp_sock_opts o;
	struct dpsctp_abi_cfg c;

	dpsctp_opts_init(&o, SOCK_SEQPACKET);
	cfg_defaults(&c);
	c.rto_min_ms = 200;
	c.mask = DPSCTP_CFG_RTO;
	dpsctp_opts_endpoint_cfg(&o, &c);
	cr_assert_eq(o.eff.rto_min_ms, 1000, "a partial answer is not the endpoint's");
	c.mask = CFG_ALL;
	c.hb_interval_ms = 0;
	dpsctp_opts_endpoint_cfg(&o, &c);
	cr_assert_eq(o.eff.rto_min_ms, 200);
	cr_assert(!o.path_hb_on);
	/* what the application set stays, whatever the answer says */
	o.cfg.mask = DPSCTP_CFG_AUTOCLOSE;
	o.cfg.autoclose_s = 30;
	c.autoclose_s = 0;
	dpsctp_opts_endpoint_cfg(&o, &c);
	cr_assert_eq(o.eff.autoclose_s, 30);
}

Test(opt, connected_one_to_one_keeps_the_endpoint)
{
	struct dpsctp_lsock *s = sock(SOCK_STREAM, AF_INET, 1);

	/* an accepted or peeled-off socket may share a listener's endpoint: no EP_UPDATE */
	s->bound = true;
	cr_assert_eq(seti(s, SCTP, DPSCTP_NODELAY, 1), 0);
	cr_assert_eq(s->nupd, 0);
	cr_assert_eq(s->nreq, 1);
	cr_assert_eq(s->req[0].op, DPSCTP_OP_SET_CFG);
	cr_assert_eq(geti(s, SCTP, DPSCTP_NODELAY), 1);
	/* unconnected (a listener): its future is the endpoint's */
	s->nassocs = 0;
	cr_assert_eq(seti(s, SCTP, DPSCTP_NODELAY, 0), 0);
	cr_assert_eq(s->nupd, 1);
}
