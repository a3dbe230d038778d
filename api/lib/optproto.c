/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options: the protocol parameters (RFC 6458 8.1): RTOINFO, ASSOCINFO, INITMSG,
 * NODELAY, AUTOCLOSE, ADAPTATION_LAYER, DISABLE_FRAGMENTS, MAXSEG, MAX_BURST, DELAYED_SACK,
 * PARTIAL_DELIVERY_POINT. Each becomes a struct dpsctp_abi_cfg delta that optcfg.c sends where
 * the association id says.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

/* ------------------------------------------------------------------------------------------ */
/* Set                                                                                         */

int
dpsctp_optproto_set_rtoinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_rtoinfo ri;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_RTO};
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &ri, sizeof(ri))) != 0 ||
		(rc = dpsctp_opt_target_set(s, ri.srto_assoc_id, false, &t)) != 0)
		return rc;
	d.rto_initial_ms = ri.srto_initial;
	d.rto_min_ms = ri.srto_min;
	d.rto_max_ms = ri.srto_max;
	/* an association checks RTO.Min <= RTO.Initial <= RTO.Max on its own values (worker) */
	return dpsctp_optcfg_set(s, &t, &d);
}

int
dpsctp_optproto_set_associnfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assocparams ap;
	struct dpsctp_abi_cfg d = {0};
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &ap, sizeof(ap))) != 0 ||
		(rc = dpsctp_opt_target_set(s, ap.sasoc_assoc_id, false, &t)) != 0)
		return rc;
	if (ap.sasoc_asocmaxrxt != 0) {
		d.mask |= DPSCTP_CFG_ASSOC_MAX_RXT;
		d.assoc_max_retrans = ap.sasoc_asocmaxrxt;
	}
	if (ap.sasoc_cookie_life != 0) {
		/* FreeBSD clamps the cookie life into its range rather than failing */
		d.mask |= DPSCTP_CFG_COOKIE_LIFE;
		d.cookie_life_ms =
			dpsctp_optcfg_clamp(ap.sasoc_cookie_life, COOKIE_MS_MIN, COOKIE_MS_MAX);
	}
	if (d.mask == 0)
		return 0;
	return dpsctp_optcfg_set(s, &t, &d);
}

int
dpsctp_optproto_set_initmsg(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
	struct dpsctp_initmsg im, keep = o->initmsg;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_INIT};
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &im, sizeof(im))) != 0)
		return rc;
	d.os = im.sinit_num_ostreams;
	d.mis = im.sinit_max_instreams;
	d.max_init_retrans = im.sinit_max_attempts;
	d.max_init_timeo_ms = im.sinit_max_init_timeo;
	rc = dpsctp_optcfg_future_set(s, &d);
	if (rc != 0)
		return rc;
	o = dpsctp_lsock_opts(s);
	if (im.sinit_num_ostreams != 0)
		keep.sinit_num_ostreams = im.sinit_num_ostreams;
	if (im.sinit_max_instreams != 0)
		keep.sinit_max_instreams = im.sinit_max_instreams;
	if (im.sinit_max_attempts != 0)
		keep.sinit_max_attempts = im.sinit_max_attempts;
	if (im.sinit_max_init_timeo != 0)
		keep.sinit_max_init_timeo = im.sinit_max_init_timeo;
	o->initmsg = keep;
	return 0;
}

int
dpsctp_optproto_set_bool_cfg(struct dpsctp_lsock *s, const void *val, socklen_t len, uint32_t mask)
{
	struct dpsctp_abi_cfg d = {.mask = mask};
	int v, rc;

	if ((rc = dpsctp_opt_in_int(val, len, &v)) != 0)
		return rc;
	if (mask == DPSCTP_CFG_NODELAY)
		d.nodelay = v != 0;
	else
		d.disable_fragments = v != 0;
	return dpsctp_optcfg_set_socket(s, &d);
}

int
dpsctp_optproto_set_autoclose(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_AUTOCLOSE};
	uint32_t v;

	if ((size_t)len != sizeof(int))
		return -EINVAL;
	/* RFC 6458 8.1.8: one-to-many only (Linux and FreeBSD: EOPNOTSUPP) */
	if (!dpsctp_opt_one_to_many(s))
		return -EOPNOTSUPP;
	memcpy(&v, val, sizeof(v));
	/* Linux clamps to its maximum rather than failing */
	d.autoclose_s = v > AUTOCLOSE_S_MAX ? AUTOCLOSE_S_MAX : v;
	return dpsctp_optcfg_set_socket(s, &d);
}

int
dpsctp_optproto_set_adaptation(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_setadaptation sa;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_ADAPTATION};
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &sa, sizeof(sa))) != 0)
		return rc;
	d.adaptation_ind = sa.ssb_adaptation_ind;
	d.has_adaptation = 1;
	/* sent in INIT / INIT ACK: only associations to come can carry it */
	return dpsctp_optcfg_future_set(s, &d);
}

/* MAXSEG, MAX_BURST: an int (deprecated: the future) or a struct dpsctp_assoc_value. */
static int
in_assoc_value(const void *val, socklen_t len, struct dpsctp_assoc_value *av)
{
	if ((size_t)len == sizeof(int)) {
		int v;

		memcpy(&v, val, sizeof(v));
		av->assoc_id = DPSCTP_FUTURE_ASSOC;
		av->assoc_value = (uint32_t)v;
		return 0;
	}
	return dpsctp_opt_in_struct(val, len, av, sizeof(*av));
}

int
dpsctp_optproto_set_maxseg(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_MAXSEG};
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = in_assoc_value(val, len, &av)) != 0)
		return rc;
	if (av.assoc_value != 0 && (av.assoc_value < MAXSEG_MIN || av.assoc_value > MAXSEG_MAX))
		return -EINVAL;
	if ((rc = dpsctp_opt_target_set(s, av.assoc_id, false, &t)) != 0)
		return rc;
	d.maxseg = av.assoc_value;
	return dpsctp_optcfg_set(s, &t, &d);
}

int
dpsctp_optproto_set_max_burst(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_MAX_BURST};
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = in_assoc_value(val, len, &av)) != 0 ||
		(rc = dpsctp_opt_target_set(s, av.assoc_id, true, &t)) != 0)
		return rc;
	d.max_burst = av.assoc_value; /* 0: no limit (RFC 6458 8.1.24) */
	return dpsctp_optcfg_set(s, &t, &d);
}

int
dpsctp_optproto_set_delayed_sack(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sack_info si;
	struct dpsctp_opt_target t;
	int rc;

	if ((size_t)len == sizeof(struct dpsctp_assoc_value)) {
		/* the deprecated form: assoc_value is the delay, 0 turns delayed SACK off */
		struct dpsctp_assoc_value av;

		memcpy(&av, val, sizeof(av));
		si.sack_assoc_id = av.assoc_id;
		si.sack_delay = av.assoc_value;
		si.sack_freq = av.assoc_value == 0 ? 1 : 0;
	} else if ((rc = dpsctp_opt_in_struct(val, len, &si, sizeof(si))) != 0)
		return rc;
	if (si.sack_delay > SACK_DELAY_MS_MAX)
		return -EINVAL;
	if ((rc = dpsctp_opt_target_set(s, si.sack_assoc_id, true, &t)) != 0)
		return rc;
	return dpsctp_optcfg_set_sack(s, &t, si.sack_delay, si.sack_freq);
}

int
dpsctp_optproto_set_pd_point(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_PD_POINT};
	uint32_t v;

	if ((size_t)len != sizeof(uint32_t))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	/* Linux: no larger than the receive buffer (a message that never fits could not start) */
	if (v > dpsctp_lsock_opts(s)->rcvbuf)
		return -EINVAL;
	d.pd_point = v;
	return dpsctp_optcfg_set_socket(s, &d);
}

/* ------------------------------------------------------------------------------------------ */
/* Get                                                                                         */

int
dpsctp_optproto_get_rtoinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_rtoinfo ri;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &ri, sizeof(ri))) != 0 ||
		(rc = dpsctp_opt_target_get(s, ri.srto_assoc_id, &t)) != 0 ||
		(rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
		return rc;
	ri.srto_initial = c.rto_initial_ms;
	ri.srto_max = c.rto_max_ms;
	ri.srto_min = c.rto_min_ms;
	dpsctp_opt_put(val, len, &ri, sizeof(ri));
	return 0;
}

int
dpsctp_optproto_get_associnfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assocparams ap;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &ap, sizeof(ap))) != 0 ||
		(rc = dpsctp_opt_target_get(s, ap.sasoc_assoc_id, &t)) != 0 ||
		(rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
		return rc;
	ap.sasoc_asocmaxrxt = (uint16_t)(c.assoc_max_retrans > 65535 ? 65535 : c.assoc_max_retrans);
	ap.sasoc_cookie_life = c.cookie_life_ms;
	ap.sasoc_local_rwnd = c.a_rwnd;
	ap.sasoc_number_peer_destinations = 0;
	ap.sasoc_peer_rwnd = 0;
	if (t.one) {
		struct dpsctp_abi_status st;

		if ((rc = dpsctp_optpath_assoc_status(s, t.id, &st)) != 0 ||
			(rc = dpsctp_optpath_assoc_npaddrs(
				 s, t.id, &ap.sasoc_number_peer_destinations)) != 0)
			return rc;
		ap.sasoc_peer_rwnd = st.peer_rwnd;
	}
	dpsctp_opt_put(val, len, &ap, sizeof(ap));
	return 0;
}

/* MAXSEG, MAX_BURST get: an int (the future) or a struct dpsctp_assoc_value. */
static int
get_assoc_value_in(
	const void *val, const socklen_t *len, struct dpsctp_assoc_value *av, size_t *size)
{
	if ((size_t)*len == sizeof(int)) {
		av->assoc_id = DPSCTP_FUTURE_ASSOC;
		*size = sizeof(int);
		return 0;
	}
	*size = sizeof(*av);
	return dpsctp_opt_get_in(val, len, av, sizeof(*av));
}

static void
put_assoc_value(void *val, socklen_t *len, const struct dpsctp_assoc_value *av, size_t size)
{
	if (size == sizeof(int)) {
		int v = (int)av->assoc_value;

		dpsctp_opt_put(val, len, &v, sizeof(v));
	} else
		dpsctp_opt_put(val, len, av, sizeof(*av));
}

int
dpsctp_optproto_get_maxseg(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_opt_target t;
	size_t size;
	int rc;

	if ((rc = get_assoc_value_in(val, len, &av, &size)) != 0 ||
		(rc = dpsctp_opt_target_get(s, av.assoc_id, &t)) != 0)
		return rc;
	if (t.future) {
		av.assoc_value = dpsctp_lsock_opts(s)->eff.maxseg;
	} else {
		/* Linux: an association's value is its fragmentation point now */
		struct dpsctp_abi_status st;

		if ((rc = dpsctp_optpath_assoc_status(s, t.id, &st)) != 0)
			return rc;
		av.assoc_value = st.frag_point;
	}
	put_assoc_value(val, len, &av, size);
	return 0;
}

int
dpsctp_optproto_get_max_burst(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	size_t size;
	int rc;

	if ((rc = get_assoc_value_in(val, len, &av, &size)) != 0 ||
		(rc = dpsctp_opt_target_get(s, av.assoc_id, &t)) != 0 ||
		(rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
		return rc;
	av.assoc_value = c.max_burst;
	put_assoc_value(val, len, &av, size);
	return 0;
}

int
dpsctp_optproto_get_delayed_sack(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sack_info si;
	struct dpsctp_abi_cfg c;
	struct dpsctp_opt_target t;
	bool old = false;
	int rc;

	if ((size_t)*len >= sizeof(si)) {
		memcpy(&si, val, sizeof(si));
	} else if ((size_t)*len == sizeof(struct dpsctp_assoc_value)) {
		struct dpsctp_assoc_value av;

		memcpy(&av, val, sizeof(av));
		si.sack_assoc_id = av.assoc_id;
		old = true;
	} else
		return -EINVAL;
	if ((rc = dpsctp_opt_target_get(s, si.sack_assoc_id, &t)) != 0 ||
		(rc = dpsctp_optcfg_get(s, &t, &c)) != 0)
		return rc;
	/* off (RFC 6458 8.1.19: sack_freq 1) reads as delay 0, frequency 1 (Linux) */
	si.sack_delay = c.sack_freq == 1 ? 0 : c.sack_delay_ms;
	si.sack_freq = c.sack_freq;
	if (old) {
		struct dpsctp_assoc_value av = {
			.assoc_id = si.sack_assoc_id, .assoc_value = si.sack_delay};

		dpsctp_opt_put(val, len, &av, sizeof(av));
	} else
		dpsctp_opt_put(val, len, &si, sizeof(si));
	return 0;
}
