/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options about an association's paths and state: PRIMARY_ADDR,
 * PEER_ADDR_PARAMS, PEER_ADDR_THLDS (RFC 7829), STATUS, GET_PEER_ADDR_INFO; the requests that
 * read and set them at the association's worker (GET_STATUS, GET_PADDR / SET_PADDR,
 * SET_PRIMARY, GET_PADDRS) and the conversions between the ABI and RFC 6458's structures.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

/*
 * Values the ABI carries in the engine's numbering (dataplane/sctp/engine.h: enum
 * dpsctp_state, enum dpsctp_path_state, DPSCTP_SPP_*). Copied here: the library never includes
 * the engine (its names clash with the public header's).
 */
enum {
	ABI_SPP_HB_ENABLE = 1u << 0,
	ABI_SPP_HB_DISABLE = 1u << 1,
	ABI_SPP_HB_DEMAND = 1u << 2,
	ABI_SPP_PMTUD_ENABLE = 1u << 3,
	ABI_SPP_PMTUD_DISABLE = 1u << 4,
	ABI_SPP_HB_TIME_IS_ZERO = 1u << 5,
};

enum {
	ABI_ST_CLOSED = 0,
	ABI_ST_COOKIE_WAIT,
	ABI_ST_COOKIE_ECHOED,
	ABI_ST_ESTABLISHED,
	ABI_ST_SHUTDOWN_PENDING,
	ABI_ST_SHUTDOWN_SENT,
	ABI_ST_SHUTDOWN_RECEIVED,
	ABI_ST_SHUTDOWN_ACK_SENT,
};

enum {
	ABI_PATH_UNCONFIRMED = 0,
	ABI_PATH_ACTIVE,
	ABI_PATH_PF,
	ABI_PATH_INACTIVE,
};

/* Linux accepts PEER_ADDR_PARAMS without spp_ipv6_flowlabel / spp_dscp (older headers). */
#define PADDRPARAMS_OLD_LEN \
	((offsetof(struct dpsctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~(size_t)3)

/* ------------------------------------------------------------------------------------------ */
/* Conversions between the ABI and the RFC 6458 structures (pure, unit-tested)                 */

/* sstat_state of an engine association state. */
static int32_t
state_from_abi(uint32_t st)
{
	switch (st) {
	case ABI_ST_CLOSED:
		return DPSCTP_CLOSED;
	case ABI_ST_COOKIE_WAIT:
		return DPSCTP_COOKIE_WAIT;
	case ABI_ST_COOKIE_ECHOED:
		return DPSCTP_COOKIE_ECHOED;
	case ABI_ST_ESTABLISHED:
		return DPSCTP_ESTABLISHED;
	case ABI_ST_SHUTDOWN_PENDING:
		return DPSCTP_SHUTDOWN_PENDING;
	case ABI_ST_SHUTDOWN_SENT:
		return DPSCTP_SHUTDOWN_SENT;
	case ABI_ST_SHUTDOWN_RECEIVED:
		return DPSCTP_SHUTDOWN_RECEIVED;
	case ABI_ST_SHUTDOWN_ACK_SENT:
		return DPSCTP_SHUTDOWN_ACK_SENT;
	default:
		return DPSCTP_CLOSED;
	}
}

/* spinfo_state of an engine path state. */
static int32_t
path_state_from_abi(uint32_t st)
{
	switch (st) {
	case ABI_PATH_UNCONFIRMED:
		return DPSCTP_UNCONFIRMED;
	case ABI_PATH_ACTIVE:
		return DPSCTP_ACTIVE;
	case ABI_PATH_PF:
		return DPSCTP_PF;
	case ABI_PATH_INACTIVE:
		return DPSCTP_INACTIVE;
	default:
		return DPSCTP_UNKNOWN;
	}
}

/*
 * spp_flags -> ABI path flags (the heartbeat and PMTU bits; the SACK-delay bits are handled as
 * DELAYED_SACK by the caller).
 */
static uint32_t
spp_to_abi(uint32_t f)
{
	uint32_t a = 0;

	if (f & DPSCTP_SPP_HB_ENABLE)
		a |= ABI_SPP_HB_ENABLE;
	if (f & DPSCTP_SPP_HB_DISABLE)
		a |= ABI_SPP_HB_DISABLE;
	if (f & DPSCTP_SPP_HB_DEMAND)
		a |= ABI_SPP_HB_DEMAND;
	if (f & DPSCTP_SPP_PMTUD_ENABLE)
		a |= ABI_SPP_PMTUD_ENABLE;
	if (f & DPSCTP_SPP_PMTUD_DISABLE)
		a |= ABI_SPP_PMTUD_DISABLE;
	if (f & DPSCTP_SPP_HB_TIME_IS_ZERO)
		a |= ABI_SPP_HB_TIME_IS_ZERO;
	return a;
}

/* ABI path flags (a path's state: HB and PMTUD bits) -> spp_flags. */
static uint32_t
spp_from_abi(uint32_t a)
{
	uint32_t f = 0;

	if (a & ABI_SPP_HB_ENABLE)
		f |= DPSCTP_SPP_HB_ENABLE;
	if (a & ABI_SPP_HB_DISABLE)
		f |= DPSCTP_SPP_HB_DISABLE;
	if (a & ABI_SPP_PMTUD_ENABLE)
		f |= DPSCTP_SPP_PMTUD_ENABLE;
	if (a & ABI_SPP_PMTUD_DISABLE)
		f |= DPSCTP_SPP_PMTUD_DISABLE;
	return f;
}

/*
 * Check spp_flags and values as Linux and FreeBSD do. @p len: the option length (the old
 * length carries no flowlabel / DSCP: those flags are ignored then).
 * @return 0 or -EINVAL
 */
static int
spp_check(const struct dpsctp_paddrparams *p, bool old_len)
{
	uint32_t f = p->spp_flags;

	if ((f & DPSCTP_SPP_HB) == DPSCTP_SPP_HB || (f & DPSCTP_SPP_PMTUD) == DPSCTP_SPP_PMTUD ||
		(f & DPSCTP_SPP_SACKDELAY) == DPSCTP_SPP_SACKDELAY)
		return -EINVAL;
	if (p->spp_sackdelay > SACK_DELAY_MS_MAX)
		return -EINVAL;
	if (p->spp_pathmtu != 0 && p->spp_pathmtu < PMTU_MIN)
		return -EINVAL;
	if ((f & DPSCTP_SPP_PMTUD_DISABLE) && p->spp_pathmtu > PMTU_MAX)
		return -EINVAL;
	if (p->spp_hbinterval > HB_MS_MAX)
		return -EINVAL;
	/* no flow label or DSCP marking in the stack */
	if (!old_len && (f & (DPSCTP_SPP_IPV6_FLOWLABEL | DPSCTP_SPP_DSCP)))
		return -EINVAL;
	return 0;
}

/* The path of a struct dpsctp_abi_paddr as struct dpsctp_paddrinfo (address left alone). */
static void
paddrinfo_from_abi(struct dpsctp_paddrinfo *pi, const struct dpsctp_abi_paddr *p)
{
	pi->spinfo_state = path_state_from_abi(p->state);
	pi->spinfo_cwnd = p->cwnd;
	pi->spinfo_srtt = p->srtt_ms;
	pi->spinfo_rto = p->rto_ms;
	pi->spinfo_mtu = p->mtu;
}

/* ------------------------------------------------------------------------------------------ */
/* One association: its id, requests to its worker                                             */

/* An option about one association only (STATUS, PRIMARY_ADDR...). */
static int
target_assoc(struct dpsctp_lsock *s, dpsctp_assoc_t id, uint32_t *out)
{
	return dpsctp_lsock_assoc(s, id, out);
}

/*
 * The worker's answer for an address that is not one of the peer's (EADDRNOTAVAIL, or the
 * engine's ENOENT) as the option reports it: @p err (EINVAL for most, as Linux and FreeBSD;
 * ENOENT for PEER_ADDR_THLDS, as Linux).
 */
static int
not_peer_addr(int rc, int err)
{
	return rc == -EADDRNOTAVAIL || rc == -ENOENT ? err : rc;
}

int
dpsctp_optpath_assoc_status(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_status *st)
{
	memset(st, 0, sizeof(*st));
	return dpsctp_lsock_query(s, id, DPSCTP_OP_GET_STATUS, NULL, 0, st, sizeof(*st));
}

/* GET_PADDR of @p p->addr; an address that is not the peer's is EINVAL (Linux, FreeBSD). */
static int
assoc_get_paddr(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_paddr *p)
{
	struct dpsctp_abi_paddr q = *p;
	int rc = dpsctp_lsock_query(s, id, DPSCTP_OP_GET_PADDR, &q, sizeof(q), p, sizeof(*p));

	return not_peer_addr(rc, -EINVAL);
}

static int
assoc_set_paddr(struct dpsctp_lsock *s, uint32_t id, const struct dpsctp_abi_paddr *p)
{
	return dpsctp_lsock_request(s, id, DPSCTP_OP_SET_PADDR, p, sizeof(*p), NULL, 0, NULL);
}

/* How many peer addresses association @p id has (GET_PADDRS). */
int
dpsctp_optpath_assoc_npaddrs(struct dpsctp_lsock *s, uint32_t id, uint16_t *count)
{
	uint8_t buf[4 + 16 * sizeof(struct dpsctp_abi_addr)];
	size_t n = 0;
	int rc;

	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_GET_PADDRS, NULL, 0, buf, sizeof(buf), &n);
	if (rc != 0)
		return rc;
	if (n < 4)
		return -EPROTO;
	memcpy(count, buf + 2, sizeof(*count));
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                   */

/*
 * A sockaddr_storage of an option: @return 1 for the wildcard (family 0, or an all-zero
 * address), 0 with @p a set, or -errno (EAFNOSUPPORT, EINVAL).
 */
static int
opt_addr(const struct sockaddr_storage *ss, struct dpsctp_abi_addr *a)
{
	uint16_t port;
	int rc;

	if (ss->ss_family == AF_UNSPEC)
		return 1;
	rc = dpsctp_addr_from_sa((const struct sockaddr *)ss, sizeof(*ss), a, &port);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < sizeof(a->bytes); i++)
		if (a->bytes[i] != 0)
			return 0;
	return 1;
}

static void
opt_addr_out(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *a, uint16_t port,
	struct sockaddr_storage *ss)
{
	bool mapped = dpsctp_lsock_family(s) == AF_INET6 && dpsctp_lsock_opts(s)->mapped_v4;

	memset(ss, 0, sizeof(*ss));
	if (a->family != 4 && a->family != 6)
		return;
	(void)dpsctp_addr_to_sa(a, port, mapped, ss);
}

/* ------------------------------------------------------------------------------------------ */
/* Set                                                                                         */

int
dpsctp_optpath_set_primary(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_setprim sp;
	struct dpsctp_abi_addr a;
	uint32_t id;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &sp, sizeof(sp))) != 0 ||
		(rc = target_assoc(s, sp.ssp_assoc_id, &id)) != 0)
		return rc;
	rc = opt_addr(&sp.ssp_addr, &a);
	if (rc != 0)
		return rc > 0 ? -EINVAL : rc;
	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_SET_PRIMARY, &a, sizeof(a), NULL, 0, NULL);
	return not_peer_addr(rc, -EINVAL);
}

int
dpsctp_optpath_set_paddrparams(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_paddrparams pp;
	struct dpsctp_abi_paddr p;
	struct dpsctp_opt_target t;
	bool old = (size_t)len == PADDRPARAMS_OLD_LEN && PADDRPARAMS_OLD_LEN < sizeof(pp);
	int wild, rc;

	memset(&pp, 0, sizeof(pp));
	if (old)
		memcpy(&pp, val, PADDRPARAMS_OLD_LEN);
	else if ((rc = dpsctp_opt_in_struct(val, len, &pp, sizeof(pp))) != 0)
		return rc;
	if ((rc = spp_check(&pp, old)) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pp.spp_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = dpsctp_opt_target_set(s, pp.spp_assoc_id, false, &t)) != 0)
		return rc;
	if (t.future) {
		struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
		struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_PATH};
		uint32_t hb_ms = o->path_hb_ms;
		bool hb_on = o->path_hb_on;

		/* no path to name yet; a heartbeat now or a fixed MTU cannot be kept for later */
		if (!wild || (pp.spp_flags & (DPSCTP_SPP_HB_DEMAND | DPSCTP_SPP_PMTUD_DISABLE)))
			return -EINVAL;
		if (pp.spp_flags & DPSCTP_SPP_HB_TIME_IS_ZERO)
			hb_ms = 0;
		else if (pp.spp_hbinterval != 0)
			hb_ms = pp.spp_hbinterval;
		if (pp.spp_flags & DPSCTP_SPP_HB_ENABLE)
			hb_on = true;
		else if (pp.spp_flags & DPSCTP_SPP_HB_DISABLE)
			hb_on = false;
		/* the endpoint's 0 means "no heartbeats": an interval of 0 (a heartbeat per RTO)
		 * becomes 1 ms, which the RTO added to it makes the same */
		d.hb_interval_ms = hb_on ? (hb_ms != 0 ? hb_ms : 1) : 0;
		d.path_max_retrans = pp.spp_pathmaxrxt;
		d.pf_threshold = o->eff.pf_threshold;
		if ((rc = dpsctp_optcfg_future_set(s, &d)) != 0)
			return rc;
		o = dpsctp_lsock_opts(s);
		o->path_hb_ms = hb_ms;
		o->path_hb_on = hb_on;
	} else {
		if (wild)
			memset(&p.addr, 0, sizeof(p.addr)); /* family 0: every path */
		p.flags = spp_to_abi(pp.spp_flags);
		p.hb_interval_ms = pp.spp_hbinterval;
		p.path_max_retrans = pp.spp_pathmaxrxt;
		p.pathmtu = (pp.spp_flags & DPSCTP_SPP_PMTUD_DISABLE) ? pp.spp_pathmtu : 0;
		if (p.flags != 0 || p.hb_interval_ms != 0 || p.path_max_retrans != 0) {
			rc = assoc_set_paddr(s, t.id, &p);
			if (rc != 0)
				return not_peer_addr(rc, -EINVAL);
		}
	}
	/* the deprecated SACK delay of this option: association-wide (no per-path delay) */
	if (pp.spp_flags & DPSCTP_SPP_SACKDELAY_ENABLE)
		return dpsctp_optcfg_set_sack(s, &t, pp.spp_sackdelay, 0);
	if (pp.spp_flags & DPSCTP_SPP_SACKDELAY_DISABLE)
		return dpsctp_optcfg_set_sack(s, &t, 0, 1);
	return 0;
}

int
dpsctp_optpath_set_thlds(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_paddrthlds pt;
	struct dpsctp_abi_paddr p;
	struct dpsctp_opt_target t;
	int wild, rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &pt, sizeof(pt))) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pt.spt_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = dpsctp_opt_target_set(s, pt.spt_assoc_id, false, &t)) != 0)
		return rc;
	if (t.future) {
		struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
		struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_PATH};

		if (!wild)
			return -ENOENT; /* Linux: no such path */
		d.hb_interval_ms = o->eff.hb_interval_ms;
		d.path_max_retrans = pt.spt_pathmaxrxt;
		d.pf_threshold = pt.spt_pathpfthld;
		return dpsctp_optcfg_future_set(s, &d);
	}
	if (wild)
		memset(&p.addr, 0, sizeof(p.addr));
	p.set_thresholds = 1;
	p.pf_threshold = pt.spt_pathpfthld;
	p.path_max_retrans = pt.spt_pathmaxrxt;
	if (p.path_max_retrans == 0) {
		/* 0: unchanged; the engine wants a value, so read the current one */
		if (wild) {
			struct dpsctp_abi_cfg cur;

			if ((rc = dpsctp_optcfg_assoc_get(s, t.id, &cur)) != 0)
				return rc;
			p.path_max_retrans = cur.path_max_retrans;
		} else {
			struct dpsctp_abi_paddr cur = {.addr = p.addr};

			if ((rc = assoc_get_paddr(s, t.id, &cur)) != 0)
				return rc == -EINVAL ? -ENOENT : rc;
			p.path_max_retrans = cur.path_max_retrans;
		}
	}
	return not_peer_addr(assoc_set_paddr(s, t.id, &p), -ENOENT);
}

/* ------------------------------------------------------------------------------------------ */
/* Get                                                                                         */

int
dpsctp_optpath_get_status(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_status ss;
	struct dpsctp_abi_status st;
	uint32_t id;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &ss, sizeof(ss))) != 0 ||
		(rc = target_assoc(s, ss.sstat_assoc_id, &id)) != 0 ||
		(rc = dpsctp_optpath_assoc_status(s, id, &st)) != 0)
		return rc;
	memset(&ss, 0, sizeof(ss));
	ss.sstat_assoc_id = id;
	ss.sstat_state = state_from_abi(st.state);
	ss.sstat_rwnd = st.peer_rwnd;
	ss.sstat_unackdata = (uint16_t)(st.unacked > 65535 ? 65535 : st.unacked);
	ss.sstat_penddata = 0; /* not tracked: see the option table */
	ss.sstat_instrms = st.instrms;
	ss.sstat_outstrms = st.outstrms;
	ss.sstat_fragmentation_point = st.frag_point;
	ss.sstat_primary.spinfo_assoc_id = id;
	opt_addr_out(s, &st.primary.addr, st.peer_port, &ss.sstat_primary.spinfo_address);
	paddrinfo_from_abi(&ss.sstat_primary, &st.primary);
	dpsctp_opt_put(val, len, &ss, sizeof(ss));
	return 0;
}

int
dpsctp_optpath_get_paddrinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrinfo pi;
	struct dpsctp_abi_paddr p;
	uint32_t id;
	int rc, wild;

	if ((rc = dpsctp_opt_get_in(val, len, &pi, sizeof(pi))) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pi.spinfo_address, &p.addr);
	if (wild < 0)
		return wild;
	if (wild)
		return -EINVAL; /* one path is asked about */
	if ((rc = target_assoc(s, pi.spinfo_assoc_id, &id)) != 0 ||
		(rc = assoc_get_paddr(s, id, &p)) != 0)
		return rc;
	pi.spinfo_assoc_id = id;
	paddrinfo_from_abi(&pi, &p);
	dpsctp_opt_put(val, len, &pi, sizeof(pi));
	return 0;
}

int
dpsctp_optpath_get_primary(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_setprim sp;
	struct dpsctp_abi_status st;
	uint32_t id;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &sp, sizeof(sp))) != 0 ||
		(rc = target_assoc(s, sp.ssp_assoc_id, &id)) != 0 ||
		(rc = dpsctp_optpath_assoc_status(s, id, &st)) != 0)
		return rc;
	if (st.primary.addr.family != 4 && st.primary.addr.family != 6)
		return -ENOTCONN; /* Linux: no primary path (yet) */
	sp.ssp_assoc_id = id;
	opt_addr_out(s, &st.primary.addr, st.peer_port, &sp.ssp_addr);
	dpsctp_opt_put(val, len, &sp, sizeof(sp));
	return 0;
}

int
dpsctp_optpath_get_paddrparams(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrparams pp;
	struct dpsctp_abi_paddr p;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	size_t size = sizeof(pp);
	int rc, wild;

	memset(&pp, 0, sizeof(pp));
	if ((size_t)*len == PADDRPARAMS_OLD_LEN && PADDRPARAMS_OLD_LEN < sizeof(pp))
		size = PADDRPARAMS_OLD_LEN;
	else if ((size_t)*len < sizeof(pp))
		return -EINVAL;
	memcpy(&pp, val, size);
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pp.spp_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = dpsctp_opt_target_get(s, pp.spp_assoc_id, &t)) != 0)
		return rc;
	if (t.future && !wild)
		return -EINVAL;
	if ((rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
		return rc;
	if (t.future) {
		const struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);

		pp.spp_hbinterval = o->path_hb_ms;
		pp.spp_pathmaxrxt =
			(uint16_t)(c.path_max_retrans > 65535 ? 65535 : c.path_max_retrans);
		pp.spp_pathmtu = 0;
		pp.spp_flags = (o->path_hb_on ? DPSCTP_SPP_HB_ENABLE : DPSCTP_SPP_HB_DISABLE) |
			       DPSCTP_SPP_PMTUD_ENABLE;
	} else if (wild) {
		/* the association's defaults; the primary path's MTU */
		struct dpsctp_abi_status st;

		if ((rc = dpsctp_optpath_assoc_status(s, t.id, &st)) != 0)
			return rc;
		pp.spp_hbinterval = c.hb_interval_ms;
		pp.spp_pathmaxrxt =
			(uint16_t)(c.path_max_retrans > 65535 ? 65535 : c.path_max_retrans);
		pp.spp_pathmtu = st.primary.mtu;
		pp.spp_flags =
			(c.hb_interval_ms != 0 ? DPSCTP_SPP_HB_ENABLE : DPSCTP_SPP_HB_DISABLE) |
			(spp_from_abi(st.primary.flags) & DPSCTP_SPP_PMTUD);
		if ((pp.spp_flags & DPSCTP_SPP_PMTUD) == 0)
			pp.spp_flags |= DPSCTP_SPP_PMTUD_ENABLE;
	} else {
		if ((rc = assoc_get_paddr(s, t.id, &p)) != 0)
			return rc;
		pp.spp_hbinterval = p.hb_interval_ms;
		pp.spp_pathmaxrxt =
			(uint16_t)(p.path_max_retrans > 65535 ? 65535 : p.path_max_retrans);
		pp.spp_pathmtu = p.mtu;
		pp.spp_flags = spp_from_abi(p.flags);
	}
	pp.spp_assoc_id = t.one ? t.id : pp.spp_assoc_id;
	pp.spp_sackdelay = c.sack_delay_ms;
	pp.spp_flags |=
		c.sack_freq == 1 ? DPSCTP_SPP_SACKDELAY_DISABLE : DPSCTP_SPP_SACKDELAY_ENABLE;
	memcpy(val, &pp, size);
	*len = (socklen_t)size;
	return 0;
}

int
dpsctp_optpath_get_thlds(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrthlds pt;
	struct dpsctp_abi_paddr p;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	uint32_t pmr, pf;
	int rc, wild;

	if ((rc = dpsctp_opt_get_in(val, len, &pt, sizeof(pt))) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pt.spt_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = dpsctp_opt_target_get(s, pt.spt_assoc_id, &t)) != 0)
		return rc;
	if (wild || t.future) {
		if (!wild)
			return -ENOENT;
		if ((rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
			return rc;
		pmr = c.path_max_retrans;
		pf = c.pf_threshold;
	} else {
		if ((rc = assoc_get_paddr(s, t.id, &p)) != 0)
			return rc == -EINVAL ? -ENOENT : rc;
		pmr = p.path_max_retrans;
		pf = p.pf_threshold;
	}
	pt.spt_pathmaxrxt = (uint16_t)(pmr > 65535 ? 65535 : pmr);
	pt.spt_pathpfthld = (uint16_t)(pf > 65535 ? 65535 : pf); /* off: 65535 (>= pathmaxrxt) */
	dpsctp_opt_put(val, len, &pt, sizeof(pt));
	return 0;
}
