/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options: struct dpsctp_abi_cfg, the protocol values the daemon applies. The
 * defaults of a new socket, the arithmetic that checks and merges a change as the daemon will
 * (pure, unit-tested), and where a change goes: the endpoint's future associations (EP_UPDATE
 * SET_CFG once bound) and existing associations (OP_SET_CFG to their workers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

#define CFG_ALL ((uint32_t)DPSCTP_CFG_PATH * 2 - 1)

static int cfg_apply(struct dpsctp_abi_cfg *c, const struct dpsctp_abi_cfg *d);

/* ------------------------------------------------------------------------------------------ */
/* Defaults                                                                                    */

/* RFC 9260 section 16 (the engine's dpsctp_proto_config_default), in the ABI's units. */
static void
cfg_defaults(struct dpsctp_abi_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->mask = CFG_ALL;
	c->rto_initial_ms = 1000;
	c->rto_min_ms = 1000;
	c->rto_max_ms = 60000;
	c->assoc_max_retrans = 10;
	c->max_init_retrans = 8;
	c->max_init_timeo_ms = 60000;
	c->cookie_life_ms = 60000;
	c->hb_interval_ms = 30000;
	c->path_max_retrans = 5;
	c->pf_threshold = PF_OFF;
	c->sack_delay_ms = 200;
	c->sack_freq = 2;
	c->max_burst = 4;
	c->maxseg = 0;
	c->pd_point = 0;
	c->a_rwnd = 131072;
	c->sndbuf = 262144;
	c->adaptation_ind = 0;
	c->autoclose_s = 0;
	c->os = 10;
	c->mis = 65535;
}

void
dpsctp_opts_init(struct dpsctp_sock_opts *o, int type)
{
	(void)type; /* both styles start alike; the style decides what is allowed, not defaults */
	memset(o, 0, sizeof(*o));
	/* RFC 6458 6.2: no notification is delivered until the application subscribes */
	o->events = 0;
	o->sndbuf = 262144;
	o->rcvbuf = 131072;
	o->initmsg.sinit_num_ostreams = 10;
	o->initmsg.sinit_max_instreams = 65535;
	o->initmsg.sinit_max_attempts = 8;
	o->initmsg.sinit_max_init_timeo = 60000;
	o->default_prinfo.pr_policy = DPSCTP_PR_SCTP_NONE;
	o->cfg.mask = 0;
	cfg_defaults(&o->eff);
	o->path_hb_ms = o->eff.hb_interval_ms;
	o->path_hb_on = true;
}

void
dpsctp_opts_endpoint_cfg(struct dpsctp_sock_opts *o, const struct dpsctp_abi_cfg *c)
{
	struct dpsctp_abi_cfg eff;

	if ((c->mask & CFG_ALL) != CFG_ALL)
		return;
	eff = *c;
	eff.mask = CFG_ALL;
	/*
	 * What the application set is laid over again: the same values when the daemon reported
	 * them, and right where it could not (a daemon whose engine lacks a field reports 0).
	 */
	if (cfg_apply(&eff, &o->cfg) != 0)
		return;
	o->eff = eff;
	if ((o->cfg.mask & DPSCTP_CFG_PATH) == 0) {
		if (eff.hb_interval_ms != 0)
			o->path_hb_ms = eff.hb_interval_ms;
		o->path_hb_on = eff.hb_interval_ms != 0;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* struct dpsctp_abi_cfg arithmetic (pure, unit-tested)                                        */

static int
keep0(uint32_t *cur, uint32_t v, uint32_t max)
{
	if (v == 0)
		return 0;
	if (v > max)
		return -EINVAL;
	*cur = v;
	return 0;
}

uint32_t
dpsctp_optcfg_clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/*
 * Apply the groups of @p d to the full configuration @p c exactly as the daemon will
 * (dataplane/abicfg.c dp_abi_cfg_apply): zeros of "0: no change" fields keep, the rest replace.
 * @return 0, or -EINVAL (a value the daemon refuses; @p c unchanged).
 */
static int
cfg_apply(struct dpsctp_abi_cfg *c, const struct dpsctp_abi_cfg *d)
{
	struct dpsctp_abi_cfg n = *c;
	uint32_t m = d->mask;

	if ((m & ~CFG_ALL) != 0)
		return -EINVAL;
	if (m & DPSCTP_CFG_RTO) {
		if (keep0(&n.rto_initial_ms, d->rto_initial_ms, RTO_MS_MAX) != 0 ||
			keep0(&n.rto_min_ms, d->rto_min_ms, RTO_MS_MAX) != 0 ||
			keep0(&n.rto_max_ms, d->rto_max_ms, RTO_MS_MAX) != 0)
			return -EINVAL;
	}
	if ((m & DPSCTP_CFG_ASSOC_MAX_RXT) &&
		keep0(&n.assoc_max_retrans, d->assoc_max_retrans, 65535) != 0)
		return -EINVAL;
	if (m & DPSCTP_CFG_INIT) {
		if (keep0(&n.max_init_retrans, d->max_init_retrans, 65535) != 0 ||
			keep0(&n.max_init_timeo_ms, d->max_init_timeo_ms, RTO_MS_MAX) != 0)
			return -EINVAL;
		if (d->os != 0)
			n.os = d->os;
		if (d->mis != 0)
			n.mis = d->mis;
	}
	if (m & DPSCTP_CFG_SACK) {
		if (d->sack_delay_ms > SACK_DELAY_MS_MAX || d->sack_freq > 65535)
			return -EINVAL;
		n.sack_delay_ms = d->sack_delay_ms;
		if (d->sack_freq != 0)
			n.sack_freq = d->sack_freq;
	}
	if (m & DPSCTP_CFG_MAX_BURST)
		n.max_burst =
			d->max_burst == 0 ? 65535 : dpsctp_optcfg_clamp(d->max_burst, 1, 65535);
	if (m & DPSCTP_CFG_MAXSEG) {
		if (d->maxseg != 0 && (d->maxseg < MAXSEG_MIN || d->maxseg > MAXSEG_MAX))
			return -EINVAL;
		n.maxseg = d->maxseg;
	}
	if (m & DPSCTP_CFG_NODELAY)
		n.nodelay = d->nodelay != 0;
	if (m & DPSCTP_CFG_PD_POINT)
		n.pd_point = d->pd_point;
	if (m & DPSCTP_CFG_NOFRAG)
		n.disable_fragments = d->disable_fragments != 0;
	if (m & DPSCTP_CFG_AUTOCLOSE) {
		if (d->autoclose_s > AUTOCLOSE_S_MAX)
			return -EINVAL;
		n.autoclose_s = d->autoclose_s;
	}
	if (m & DPSCTP_CFG_ADAPTATION) {
		n.adaptation_ind = d->adaptation_ind;
		n.has_adaptation = d->has_adaptation != 0;
	}
	if (m & DPSCTP_CFG_RCVBUF)
		n.a_rwnd = dpsctp_optcfg_clamp(d->a_rwnd, BUF_MIN, BUF_MAX);
	if (m & DPSCTP_CFG_SNDBUF)
		n.sndbuf = dpsctp_optcfg_clamp(d->sndbuf, BUF_MIN, BUF_MAX);
	if (m & DPSCTP_CFG_COOKIE_LIFE) {
		if (d->cookie_life_ms != 0 && d->cookie_life_ms < COOKIE_MS_MIN)
			return -EINVAL;
		if (keep0(&n.cookie_life_ms, d->cookie_life_ms, COOKIE_MS_MAX) != 0)
			return -EINVAL;
	}
	if (m & DPSCTP_CFG_PATH) {
		if (d->hb_interval_ms > HB_MS_MAX || d->path_max_retrans > 65535)
			return -EINVAL;
		n.hb_interval_ms = d->hb_interval_ms;
		if (d->path_max_retrans != 0)
			n.path_max_retrans = d->path_max_retrans;
		n.pf_threshold = d->pf_threshold;
	}
	/* RFC 9260 16: RTO.Min <= RTO.Initial <= RTO.Max (FreeBSD checks the same) */
	if (n.rto_min_ms > n.rto_initial_ms || n.rto_initial_ms > n.rto_max_ms)
		return -EINVAL;
	*c = n;
	return 0;
}

/*
 * Record in @p raw (what the application set) the groups of @p d: "0: no change" fields only
 * when non-zero, so that the daemon's own defaults stay where the application set nothing.
 */
static void
cfg_merge_raw(struct dpsctp_abi_cfg *raw, const struct dpsctp_abi_cfg *d)
{
	uint32_t m = d->mask;

#define KEEP(f)                        \
	do {                           \
		if (d->f != 0)         \
			raw->f = d->f; \
	} while (0)
	if (m & DPSCTP_CFG_RTO) {
		KEEP(rto_initial_ms);
		KEEP(rto_min_ms);
		KEEP(rto_max_ms);
	}
	if (m & DPSCTP_CFG_ASSOC_MAX_RXT)
		KEEP(assoc_max_retrans);
	if (m & DPSCTP_CFG_INIT) {
		KEEP(max_init_retrans);
		KEEP(max_init_timeo_ms);
		KEEP(os);
		KEEP(mis);
	}
	if (m & DPSCTP_CFG_SACK) {
		raw->sack_delay_ms = d->sack_delay_ms;
		KEEP(sack_freq);
	}
	if (m & DPSCTP_CFG_MAX_BURST)
		raw->max_burst = d->max_burst;
	if (m & DPSCTP_CFG_MAXSEG)
		raw->maxseg = d->maxseg;
	if (m & DPSCTP_CFG_NODELAY)
		raw->nodelay = d->nodelay;
	if (m & DPSCTP_CFG_PD_POINT)
		raw->pd_point = d->pd_point;
	if (m & DPSCTP_CFG_NOFRAG)
		raw->disable_fragments = d->disable_fragments;
	if (m & DPSCTP_CFG_AUTOCLOSE)
		raw->autoclose_s = d->autoclose_s;
	if (m & DPSCTP_CFG_ADAPTATION) {
		raw->adaptation_ind = d->adaptation_ind;
		raw->has_adaptation = d->has_adaptation;
	}
	if (m & DPSCTP_CFG_RCVBUF)
		raw->a_rwnd = d->a_rwnd;
	if (m & DPSCTP_CFG_SNDBUF)
		raw->sndbuf = d->sndbuf;
	if (m & DPSCTP_CFG_COOKIE_LIFE)
		KEEP(cookie_life_ms);
	if (m & DPSCTP_CFG_PATH) {
		raw->hb_interval_ms = d->hb_interval_ms;
		KEEP(path_max_retrans);
		raw->pf_threshold = d->pf_threshold;
	}
#undef KEEP
	raw->mask |= m;
}

/* ------------------------------------------------------------------------------------------ */
/* Where a change goes: the future defaults, associations                                      */

/* An association that went away while we iterated is not an error of a CURRENT set. */
static bool
gone(int rc)
{
	return rc == -ENOENT || rc == -ENOTCONN;
}

/* A one-to-one socket that has its association. */
static bool
connected_one_to_one(struct dpsctp_lsock *s)
{
	uint32_t id;

	return !dpsctp_opt_one_to_many(s) && dpsctp_lsock_assoc(s, 0, &id) == 0;
}

static int
assoc_set_cfg(struct dpsctp_lsock *s, uint32_t id, const struct dpsctp_abi_cfg *d)
{
	return dpsctp_lsock_request(s, id, DPSCTP_OP_SET_CFG, d, sizeof(*d), NULL, 0, NULL);
}

int
dpsctp_optcfg_assoc_get(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_cfg *c)
{
	memset(c, 0, sizeof(*c));
	return dpsctp_lsock_query(s, id, DPSCTP_OP_GET_CFG, NULL, 0, c, sizeof(*c));
}

/*
 * The configuration delta @p d for future associations: checked against what the library
 * knows, sent to the endpoint when bound (EP_UPDATE SET_CFG), recorded in the options.
 */
int
dpsctp_optcfg_future_set(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
	struct dpsctp_abi_cfg eff = o->eff, raw = o->cfg;
	struct dpsctp_rpc r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = cfg_apply(&eff, d);
	if (rc != 0)
		return rc;
	cfg_merge_raw(&raw, d);
	/*
	 * A one-to-one socket with its association (connected, accepted or peeled off) will have
	 * no other: its endpoint may be a listener's, whose future must not change. Kept locally.
	 */
	if (dpsctp_lsock_bound(s) && !connected_one_to_one(s)) {
		r.cfg = *d;
		rc = dpsctp_lsock_ep_update(s, DPSCTP_RPC_SET_CFG, &r);
		if (rc != 0)
			return rc;
	}
	o = dpsctp_lsock_opts(s);
	o->eff = eff;
	o->cfg = raw;
	/* an answer that reports the endpoint's whole configuration is the better truth */
	dpsctp_opts_endpoint_cfg(o, &r.cfg);
	return 0;
}

/* Apply @p d where @p t says: future defaults first (checked locally), then associations. */
int
dpsctp_optcfg_set(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, const struct dpsctp_abi_cfg *d)
{
	uint32_t *ids = NULL;
	int rc = 0, n;

	if (t->future) {
		rc = dpsctp_optcfg_future_set(s, d);
		if (rc != 0)
			return rc;
	}
	if (t->one)
		return assoc_set_cfg(s, t->id, d);
	if (!t->current)
		return 0;
	n = dpsctp_opt_assoc_ids(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int e = assoc_set_cfg(s, ids[i], d);

		if (e != 0 && !gone(e) && rc == 0)
			rc = e;
	}
	free(ids);
	return rc;
}

/* A socket-wide value (NODELAY, SO_RCVBUF...): the future defaults and every association. */
int
dpsctp_optcfg_set_socket(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d)
{
	struct dpsctp_opt_target t = {.future = true, .current = true};

	if (!dpsctp_opt_one_to_many(s)) {
		/* one-to-one: the future and its one association, if it has one */
		t.current = false;
		if (dpsctp_lsock_assoc(s, 0, &t.id) == 0)
			t.one = true;
	}
	return dpsctp_optcfg_set(s, &t, d);
}

/* The configuration @p t reads: the future defaults or the association's. */
int
dpsctp_optcfg_get(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, struct dpsctp_abi_cfg *c)
{
	if (t->future) {
		*c = dpsctp_lsock_opts(s)->eff;
		return 0;
	}
	return dpsctp_optcfg_assoc_get(s, t->id, c);
}

/*
 * The SACK part of PEER_ADDR_PARAMS and DELAYED_SACK for one association: delay 0 keeps the
 * association's delay (the ABI's 0 would mean "no delay"), freq 1 turns delayed SACK off, a delay
 * with freq 0 turns it back on (Linux: sackdelay_enable) with the default frequency.
 */
static int
sack_delta(
	const struct dpsctp_abi_cfg *cur, uint32_t delay, uint32_t freq, struct dpsctp_abi_cfg *d)
{
	memset(d, 0, sizeof(*d));
	d->mask = DPSCTP_CFG_SACK;
	if (delay > SACK_DELAY_MS_MAX)
		return -EINVAL;
	d->sack_delay_ms = delay != 0 ? delay : cur->sack_delay_ms;
	if (freq != 0)
		d->sack_freq = freq;
	else if (delay != 0 && cur->sack_freq == 1)
		d->sack_freq = 2;
	else
		d->sack_freq = cur->sack_freq;
	return 0;
}

int
dpsctp_optcfg_set_sack(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, uint32_t delay, uint32_t freq)
{
	struct dpsctp_abi_cfg cur, d;
	uint32_t *ids = NULL;
	int rc = 0, n;

	if (delay == 0 && freq == 0)
		return 0; /* Linux: nothing to change */
	if (delay > SACK_DELAY_MS_MAX)
		return -EINVAL;
	if (t->future) {
		cur = dpsctp_lsock_opts(s)->eff;
		if ((rc = sack_delta(&cur, delay, freq, &d)) != 0 ||
			(rc = dpsctp_optcfg_future_set(s, &d)) != 0)
			return rc;
	}
	if (t->one) {
		if ((rc = dpsctp_optcfg_assoc_get(s, t->id, &cur)) != 0 ||
			(rc = sack_delta(&cur, delay, freq, &d)) != 0)
			return rc;
		return assoc_set_cfg(s, t->id, &d);
	}
	if (!t->current)
		return 0;
	n = dpsctp_opt_assoc_ids(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int e = dpsctp_optcfg_assoc_get(s, ids[i], &cur);

		if (e == 0 && (e = sack_delta(&cur, delay, freq, &d)) == 0)
			e = assoc_set_cfg(s, ids[i], &d);
		if (e != 0 && !gone(e) && rc == 0)
			rc = e;
	}
	free(ids);
	return rc;
}
