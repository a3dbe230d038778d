/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The paths of an association: per-destination state, path selection, heartbeats and failure
 * detection (RFC 9260 5.4, 6.4, 8.2, 8.3; RFC 7829). See path.h.
 */
#include <string.h>

#include "assoc.h"
#include "initparam.h"
#include "outq.h"
#include "path.h"

static const char *const path_state_names[] = {
	[DPSCTP_PATH_UNCONFIRMED] = "UNCONFIRMED",
	[DPSCTP_PATH_ACTIVE] = "ACTIVE",
	[DPSCTP_PATH_PF] = "POTENTIALLY-FAILED",
	[DPSCTP_PATH_INACTIVE] = "INACTIVE",
};

const char *
dpsctp_path_state_name(enum dpsctp_path_state s)
{
	return (unsigned int)s <= DPSCTP_PATH_INACTIVE ? path_state_names[s] : "?";
}

/* ---- events ---- */

static void
paddr_event(struct dpsctp_assoc *a, const struct dpsctp_tpath *p, enum dpsctp_paddr_change st,
	uint16_t error)
{
	struct dpsctp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = DPSCTP_EV_PEER_ADDR_CHANGE;
	ev.assoc_id = a->id;
	ev.u.paddr.addr = p->remote;
	ev.u.paddr.state = st;
	ev.u.paddr.error = error;
	/* before the association is announced nobody listens for its paths */
	if (a->announced)
		dpsctp_assoc_event(a, &ev);
}

/* ---- the table ---- */

static void set_state(struct dpsctp_assoc *a, struct dpsctp_tpath *p, enum dpsctp_path_state st);

static void
route(struct dpsctp_assoc *a, struct dpsctp_tpath *p)
{
	struct dpsctp_endpoint *ep = a->ep;
	struct dpsctp_addr local;
	size_t j;

	p->reachable = false;
	memset(&p->local, 0, sizeof(p->local));
	if (ep->cb.route != NULL) {
		memset(&local, 0, sizeof(local));
		if (ep->cb.route(ep->cb.ctx, &p->remote, &local) == 0 &&
			dpsctp_addr_list_has(a->laddrs, a->nladdrs, &local)) {
			p->local = local;
			p->reachable = true;
		}
		return;
	}
	/* no route callback: the first address of the family, in scope, then any of the family */
	for (j = 0; j < a->nladdrs && !p->reachable; j++)
		if (a->laddrs[j].family == p->remote.family &&
			dpsctp_addr_in_scope(&a->laddrs[j], &p->remote) &&
			dpsctp_addr_in_scope(&p->remote, &a->laddrs[j])) {
			p->local = a->laddrs[j];
			p->reachable = true;
		}
	for (j = 0; j < a->nladdrs && !p->reachable; j++)
		if (a->laddrs[j].family == p->remote.family) {
			p->local = a->laddrs[j];
			p->reachable = true;
		}
}

static void
path_init(struct dpsctp_assoc *a, struct dpsctp_tpath *p)
{
	const struct dpsctp_proto_config *cfg = &a->cfg;

	dpsctp_rto_init(&p->rto, a->rto_initial, a->rto_min, a->rto_max);
	dpsctp_cc_init(&p->cc, p->cc.mtu != 0 ? p->cc.mtu : cfg->pmtu,
		a->peer_rwnd != 0 ? a->peer_rwnd : cfg->a_rwnd);
	p->t3 = DPSCTP_NEVER;
	p->hb_at = DPSCTP_NEVER;
	p->hb_outstanding = false;
	p->hb_send = false;
	p->flight = 0;
	p->errors = 0;
	p->last_data = 0;
}

int
dpsctp_paths_add(struct dpsctp_assoc *a, const struct dpsctp_addr *remote, bool confirmed)
{
	struct dpsctp_tpath *p;
	int i = dpsctp_paths_find(a, remote);

	if (i >= 0) {
		/* confirmed now by 5.4 rule 1 or 2: reported like a HEARTBEAT confirmation */
		if (confirmed && a->paths[i].state == DPSCTP_PATH_UNCONFIRMED)
			set_state(a, &a->paths[i], DPSCTP_PATH_ACTIVE);
		return i;
	}
	if (a->npaths >= DPSCTP_MAX_ADDRS)
		return -1;
	i = a->npaths++;
	p = &a->paths[i];
	memset(p, 0, sizeof(*p));
	p->remote = *remote;
	p->cc.mtu = a->cfg.pmtu;
	p->pmr = a->pmr;
	p->pfmr = a->pfmr;
	p->hb_interval = a->hb_interval;
	p->flags = a->path_flags;
	p->state = confirmed ? DPSCTP_PATH_ACTIVE : DPSCTP_PATH_UNCONFIRMED;
	path_init(a, p);
	route(a, p);
	dpsctp_paths_update_mtu(a);
	return i;
}

int
dpsctp_paths_find(const struct dpsctp_assoc *a, const struct dpsctp_addr *remote)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++)
		if (dpsctp_addr_equal(&a->paths[i].remote, remote))
			return (int)i;
	return -1;
}

void
dpsctp_paths_clear(struct dpsctp_assoc *a)
{
	a->npaths = 0;
	a->primary = 0;
	a->data_path = 0;
	a->ctrl = 0;
}

void
dpsctp_paths_remove(struct dpsctp_assoc *a, unsigned int i, bool report)
{
	unsigned int j;

	if (i >= a->npaths)
		return;
	if (report)
		paddr_event(a, &a->paths[i], DPSCTP_ADDR_REMOVED, 0);
	/* chunks that point at paths by index: outq re-homes them first */
	dpsctp_outq_path_removed(a, i);
	for (j = i; j + 1 < a->npaths; j++)
		a->paths[j] = a->paths[j + 1];
	a->npaths--;
	if (a->primary == i)
		a->primary = 0;
	else if (a->primary > i)
		a->primary--;
	if (a->data_path >= a->npaths || a->data_path == i)
		a->data_path = a->primary;
	else if (a->data_path > i)
		a->data_path--;
	if (a->ctrl >= a->npaths || a->ctrl == i)
		a->ctrl = a->primary;
	else if (a->ctrl > i)
		a->ctrl--;
	dpsctp_paths_update_mtu(a);
}

void
dpsctp_paths_reset(struct dpsctp_assoc *a)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++)
		path_init(a, &a->paths[i]);
}

void
dpsctp_paths_update_mtu(struct dpsctp_assoc *a)
{
	uint32_t mtu = 0, ip = 20;
	unsigned int i;

	for (i = 0; i < a->npaths; i++) {
		const struct dpsctp_tpath *p = &a->paths[i];

		if (mtu == 0 || p->cc.mtu < mtu)
			mtu = p->cc.mtu;
		if (dpsctp_path_ip_hdr(p) > ip)
			ip = dpsctp_path_ip_hdr(p);
	}
	a->mtu_min = mtu != 0 ? mtu : a->cfg.pmtu;
	a->ip_hdr_max = ip;
}

/* ---- states ---- */

static bool
pf_enabled(const struct dpsctp_tpath *p)
{
	return p->pfmr != DPSCTP_PF_DISABLED && p->pfmr < p->pmr;
}

static void
set_state(struct dpsctp_assoc *a, struct dpsctp_tpath *p, enum dpsctp_path_state st)
{
	struct dpsctp_stats *s = &a->ep->stats;
	enum dpsctp_path_state old = (enum dpsctp_path_state)p->state;

	if (old == st)
		return;
	p->state = (uint8_t)st;
	switch (st) {
	case DPSCTP_PATH_ACTIVE:
		if (old == DPSCTP_PATH_UNCONFIRMED) {
			s->paths_confirmed++;
			paddr_event(a, p, DPSCTP_ADDR_CONFIRMED, 0);
		} else {
			s->paths_available++;
			paddr_event(a, p, DPSCTP_ADDR_AVAILABLE, 0);
		}
		break;
	case DPSCTP_PATH_PF:
		s->paths_pf++;
		paddr_event(a, p, DPSCTP_ADDR_POTENTIALLY_FAILED, 0);
		break;
	case DPSCTP_PATH_INACTIVE:
		s->paths_inactive++;
		paddr_event(a, p, DPSCTP_ADDR_UNREACHABLE, 0);
		break;
	default:
		break;
	}
}

/* 8.3: a HEARTBEAT on an idle path once per RTO + HB.interval, jittered by +/- 50% of RTO. */
static uint64_t
hb_period(struct dpsctp_assoc *a, const struct dpsctp_tpath *p)
{
	uint64_t rto = p->rto.rto;
	uint64_t jitter = rto == 0 ? 0 : (uint64_t)dpsctp_assoc_random32(a->ep) % (rto + 1);

	return p->hb_interval + rto / 2 + jitter;
}

/* Does path @p p heartbeat now: confirmation probes (until Path.Max.Retrans), PF probes,
 * keep-alive when enabled. */
static bool
hb_wanted(const struct dpsctp_tpath *p)
{
	if (!p->reachable)
		return false;
	if (p->state == DPSCTP_PATH_UNCONFIRMED || p->state == DPSCTP_PATH_PF)
		return true;
	return (p->flags & DPSCTP_PF_HB_OFF) == 0;
}

/* Probing paths (UNCONFIRMED below Path.Max.Retrans, PF) send once per RTO (5.4, RFC 7829). */
static bool
hb_probing(const struct dpsctp_tpath *p)
{
	return p->state == DPSCTP_PATH_PF ||
		(p->state == DPSCTP_PATH_UNCONFIRMED && p->errors <= p->pmr);
}

static void
hb_schedule(struct dpsctp_assoc *a, struct dpsctp_tpath *p, uint64_t now)
{
	p->hb_outstanding = false;
	if (!hb_wanted(p) || dpsctp_assoc_before_established(a) || a->state == DPSCTP_CLOSED ||
		a->hb_stopped)
		p->hb_at = DPSCTP_NEVER;
	else if (hb_probing(p))
		p->hb_at = now;
	else
		p->hb_at = now + hb_period(a, p);
}

void
dpsctp_path_strike(struct dpsctp_assoc *a, unsigned int i, uint64_t now)
{
	struct dpsctp_tpath *p = &a->paths[i];

	(void)now;
	if (p->errors < UINT32_MAX)
		p->errors++;
	switch (p->state) {
	case DPSCTP_PATH_ACTIVE:
	case DPSCTP_PATH_PF:
		if (p->errors > p->pmr) {
			set_state(a, p, DPSCTP_PATH_INACTIVE);
		} else if (p->state == DPSCTP_PATH_ACTIVE && pf_enabled(p) && p->errors > p->pfmr) {
			set_state(a, p, DPSCTP_PATH_PF);
			/* RFC 7829: probe the PF path once per RTO, starting now (not once the
			 * shutdown stopped heartbeats: a closed peer would answer with ABORT) */
			if (!p->hb_outstanding && !a->hb_stopped &&
				!dpsctp_assoc_before_established(a))
				p->hb_at = now;
		}
		break;
	default:
		break;
	}
}

void
dpsctp_path_ok(struct dpsctp_assoc *a, unsigned int i, uint64_t now)
{
	struct dpsctp_tpath *p = &a->paths[i];
	bool was = p->state == DPSCTP_PATH_PF || p->state == DPSCTP_PATH_UNCONFIRMED;

	p->errors = 0;
	if (p->state == DPSCTP_PATH_ACTIVE)
		return;
	set_state(a, p, DPSCTP_PATH_ACTIVE);
	/* probing ends: keep-alive takes over */
	if (was && !p->hb_outstanding)
		hb_schedule(a, p, now);
}

/* ---- selection ---- */

static bool
usable(const struct dpsctp_tpath *p, enum dpsctp_path_state st)
{
	return p->reachable && p->state == st;
}

unsigned int
dpsctp_paths_select(const struct dpsctp_assoc *a)
{
	unsigned int i, best = a->npaths;
	uint32_t best_errors = UINT32_MAX;

	if (a->npaths <= 1)
		return 0;
	if (usable(&a->paths[a->primary], DPSCTP_PATH_ACTIVE)) {
		best = a->primary;
		goto done;
	}
	/* failover: keep the current alternate while it works, else the first ACTIVE one */
	if (usable(&a->paths[a->data_path], DPSCTP_PATH_ACTIVE)) {
		best = a->data_path;
		goto done;
	}
	for (i = 0; i < a->npaths; i++)
		if (usable(&a->paths[i], DPSCTP_PATH_ACTIVE)) {
			best = i;
			goto done;
		}
	/* RFC 7829: no ACTIVE path: the PF one with the fewest errors (ties: the current one,
	 * then the primary); then (8.2) any confirmed path, fewest errors first */
	for (i = 0; i < a->npaths; i++) {
		const struct dpsctp_tpath *p = &a->paths[i];

		if (!usable(p, DPSCTP_PATH_PF))
			continue;
		if (p->errors < best_errors || (p->errors == best_errors && i == a->data_path)) {
			best = i;
			best_errors = p->errors;
		}
	}
	if (best < a->npaths)
		goto done;
	for (i = 0; i < a->npaths; i++) {
		const struct dpsctp_tpath *p = &a->paths[i];

		if (!p->reachable || p->state == DPSCTP_PATH_UNCONFIRMED)
			continue;
		if (p->errors < best_errors || (p->errors == best_errors && i == a->data_path)) {
			best = i;
			best_errors = p->errors;
		}
	}
	if (best >= a->npaths)
		best = a->primary; /* nothing reachable: the caller sends nothing */
done:
	return best;
}

unsigned int
dpsctp_paths_data(struct dpsctp_assoc *a)
{
	unsigned int best = dpsctp_paths_select(a);

	if (best != a->data_path) {
		a->ep->stats.failovers++;
		a->data_path = (uint8_t)best;
	}
	return best;
}

unsigned int
dpsctp_paths_alternate(struct dpsctp_assoc *a, unsigned int from)
{
	unsigned int k, best = a->npaths;
	uint32_t best_errors = UINT32_MAX;

	if (a->npaths <= 1)
		return 0;
	/* 6.4.1: an ACTIVE path other than the last one; of those, the one with the fewest
	 * errors (two failing paths must not bounce a chunk between them while a third works),
	 * the primary on a tie, else the first after @p from */
	for (k = 1; k < a->npaths; k++) {
		unsigned int i = (from + k) % a->npaths;
		const struct dpsctp_tpath *p = &a->paths[i];

		if (!usable(p, DPSCTP_PATH_ACTIVE))
			continue;
		if (p->errors < best_errors || (p->errors == best_errors && i == a->primary)) {
			best = i;
			best_errors = p->errors;
		}
	}
	if (best < a->npaths)
		return best;
	return dpsctp_paths_data(a);
}

void
dpsctp_paths_ctrl_rotate(struct dpsctp_assoc *a)
{
	unsigned int k, best = a->npaths;
	uint32_t best_errors = UINT32_MAX;

	/* the next ACTIVE reachable path after the current one (the handshake tries every
	 * address the user gave in turn: they are all ACTIVE then), else the confirmed one with
	 * the fewest errors (a PF path before an INACTIVE one) */
	for (k = 1; k <= a->npaths; k++) {
		unsigned int i = (a->ctrl + k) % a->npaths;

		if (usable(&a->paths[i], DPSCTP_PATH_ACTIVE)) {
			a->ctrl = (uint8_t)i;
			return;
		}
	}
	for (k = 1; k <= a->npaths; k++) {
		unsigned int i = (a->ctrl + k) % a->npaths;
		const struct dpsctp_tpath *p = &a->paths[i];

		if (p->reachable && p->state != DPSCTP_PATH_UNCONFIRMED && p->errors < best_errors) {
			best = i;
			best_errors = p->errors;
		}
	}
	if (best < a->npaths)
		a->ctrl = (uint8_t)best;
}

/* ---- heartbeats ---- */

void
dpsctp_paths_start(struct dpsctp_assoc *a, uint64_t now)
{
	unsigned int i, probes = 0;
	uint32_t burst = a->cfg.hb_max_burst != 0 ? a->cfg.hb_max_burst : 1;

	a->hb_stopped = false;
	a->probe_count = 0;
	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];

		hb_schedule(a, p, now);
		/* 5.4: HB.Max.Burst confirmation probes per RTO (probe_fire() keeps to it later) */
		if (p->state == DPSCTP_PATH_UNCONFIRMED && p->hb_at != DPSCTP_NEVER) {
			p->hb_at = now + (probes / burst) * p->rto.rto;
			probes++;
		}
	}
}

void
dpsctp_paths_stop_heartbeats(struct dpsctp_assoc *a)
{
	unsigned int i;

	a->hb_stopped = true;
	for (i = 0; i < a->npaths; i++) {
		a->paths[i].hb_at = DPSCTP_NEVER;
		a->paths[i].hb_outstanding = false;
		a->paths[i].hb_send = false;
	}
}

uint64_t
dpsctp_paths_next_deadline(const struct dpsctp_assoc *a)
{
	uint64_t d = DPSCTP_NEVER;
	unsigned int i;

	for (i = 0; i < a->npaths; i++) {
		const struct dpsctp_tpath *p = &a->paths[i];

		if (p->hb_at < d)
			d = p->hb_at;
		if (p->t3 < d)
			d = p->t3;
	}
	return d;
}

static void
hb_fire(struct dpsctp_assoc *a, struct dpsctp_tpath *p, uint64_t now)
{
	a->ep->env.random(a->ep->env.ctx, &p->hb_nonce, sizeof(p->hb_nonce));
	p->hb_sent = now;
	p->hb_outstanding = true;
	p->hb_send = true;
	p->hb_at = now + p->rto.rto;
}

/* 5.4: "The number of HEARTBEAT chunks sent at each RTO SHOULD be limited by the HB.Max.Burst
 * parameter": confirmation probes of all UNCONFIRMED paths share a budget per RTO window; a
 * probe over budget waits for the next window. */
static void
probe_fire(struct dpsctp_assoc *a, struct dpsctp_tpath *p, uint64_t now)
{
	uint32_t burst = a->cfg.hb_max_burst != 0 ? a->cfg.hb_max_burst : 1;

	if (a->probe_count == 0 || now >= a->probe_window + p->rto.rto) {
		a->probe_window = now;
		a->probe_count = 0;
	}
	if (a->probe_count >= burst) {
		p->hb_at = a->probe_window + p->rto.rto;
		return;
	}
	a->probe_count++;
	hb_fire(a, p, now);
}

/* A path's heartbeat deadline passed. @return false when the association ended. */
static bool
hb_expired(struct dpsctp_assoc *a, unsigned int i, uint64_t now)
{
	struct dpsctp_tpath *p = &a->paths[i];

	p->hb_at = DPSCTP_NEVER;
	if (p->hb_outstanding) {
		/* 8.3: not acknowledged within one RTO: an error on the path, and (8.1) on the
		 * association, except for confirmation probes (5.4) */
		bool unconfirmed = p->state == DPSCTP_PATH_UNCONFIRMED;

		p->hb_outstanding = false;
		p->hb_send = false;
		dpsctp_rto_backoff(&p->rto);
		dpsctp_path_strike(a, i, now);
		if (!unconfirmed && ++a->error_count > a->cfg.assoc_max_retrans) {
			dpsctp_assoc_end(a, DPSCTP_ABORT_HB_MAX_RETRANS, true, 0, NULL, 0, NULL, 0,
				DPSCTP_EV_COMM_LOST);
			return false;
		}
		if (!hb_wanted(p))
			return true;
		if (hb_probing(p) && unconfirmed)
			probe_fire(a, p, now);
		else if (hb_probing(p))
			hb_fire(a, p, now);
		else
			p->hb_at = now + hb_period(a, p);
		return true;
	}
	if (!hb_wanted(p))
		return true;
	/* 8.3: only an idle destination is probed for keep-alive; data sent to it meanwhile
	 * postpones the heartbeat */
	if (!hb_probing(p) && p->last_data != 0 && p->last_data + p->hb_interval > now) {
		p->hb_at = p->last_data + hb_period(a, p);
		if (p->hb_at <= now)
			p->hb_at = now + 1;
		return true;
	}
	if (p->state == DPSCTP_PATH_UNCONFIRMED && hb_probing(p))
		probe_fire(a, p, now);
	else
		hb_fire(a, p, now);
	return true;
}

bool
dpsctp_paths_expire(struct dpsctp_assoc *a, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];

		if (p->t3 <= now) {
			p->t3 = DPSCTP_NEVER;
			if (!dpsctp_outq_t3_expired(a, i, now))
				return false;
		}
		if (p->hb_at <= now && !hb_expired(a, i, now))
			return false;
	}
	return true;
}

int
dpsctp_paths_put_heartbeat(struct dpsctp_assoc *a, struct dpsctp_wbuf *w)
{
	struct dpsctp_heartbeat hb = {0};
	uint8_t info[DPSCTP_HB_INFO_LEN];
	unsigned int i;
	size_t mark;

	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];
		size_t start = w->len;
		int rc;

		if (!p->hb_send)
			continue;
		p->hb_send = false;
		if (!p->reachable)
			continue;
		/* 5.4: the nonce, and which address it went to */
		dpsctp_put_be64(info, p->hb_nonce);
		dpsctp_put_be64(info + 8, p->hb_sent);
		info[16] = p->remote.family;
		memcpy(info + 17, p->remote.bytes, 16);
		rc = dpsctp_heartbeat_begin(w, &hb, &mark);
		if (rc == 0)
			rc = dpsctp_tlv_put(w, DPSCTP_PARAM_HEARTBEAT_INFO, info, sizeof(info));
		if (rc == 0)
			rc = dpsctp_chunk_end(w, mark);
		if (rc != 0) {
			dpsctp_wbuf_rewind(w, start);
			return -1;
		}
		a->ep->stats.hb_sent++;
		return (int)i;
	}
	return -1;
}

int
dpsctp_paths_hb_ack(struct dpsctp_assoc *a, const uint8_t *info, size_t len, uint64_t now)
{
	struct dpsctp_addr addr;
	struct dpsctp_tpath *p;
	uint64_t sent;
	int i;

	if (len != DPSCTP_HB_INFO_LEN || (info[16] != 4 && info[16] != 6))
		return -ENOENT;
	memset(&addr, 0, sizeof(addr));
	addr.family = info[16];
	memcpy(addr.bytes, info + 17, 16);
	i = dpsctp_paths_find(a, &addr);
	if (i < 0)
		return -ENOENT;
	p = &a->paths[i];
	sent = dpsctp_get_be64(info + 8);
	/* 5.4: the nonce must be the one sent to the address the HEARTBEAT names */
	if (!p->hb_outstanding || dpsctp_get_be64(info) != p->hb_nonce || sent != p->hb_sent ||
		sent > now)
		return -ENOENT;
	p->hb_outstanding = false;
	/* 8.3: the error counters clear; an RTT measurement for that destination */
	dpsctp_rto_sample(&p->rto, now - sent);
	a->error_count = 0;
	a->ep->stats.hb_acked++;
	dpsctp_path_ok(a, (unsigned int)i, now);
	hb_schedule(a, p, now);
	/* an ACTIVE path is probed again only at the keep-alive rate */
	return 0;
}

void
dpsctp_paths_reroute(struct dpsctp_assoc *a, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < a->npaths; i++) {
		struct dpsctp_tpath *p = &a->paths[i];
		bool was = p->reachable;

		route(a, p);
		if (was && !p->reachable) {
			p->hb_at = DPSCTP_NEVER;
			p->hb_outstanding = false;
			p->hb_send = false;
			if (p->state == DPSCTP_PATH_ACTIVE || p->state == DPSCTP_PATH_PF)
				set_state(a, p, DPSCTP_PATH_INACTIVE);
		} else if (!was && p->reachable && a->state != DPSCTP_CLOSED) {
			/* a route again: probe it at once, an answer makes it ACTIVE */
			if (!dpsctp_assoc_before_established(a) && !a->hb_stopped)
				hb_fire(a, p, now);
		}
	}
}

/* ---- accessors for the socket options ---- */

size_t
dpsctp_assoc_peer_addrs(const struct dpsctp_assoc *a, struct dpsctp_addr *out, size_t cap)
{
	size_t n = 0;
	unsigned int i;

	if (a->npaths > 0 && cap > 0)
		out[n++] = a->paths[a->primary].remote;
	for (i = 0; i < a->npaths && n < cap; i++)
		if (i != a->primary)
			out[n++] = a->paths[i].remote;
	return a->npaths;
}

static uint32_t
spp_flags(const struct dpsctp_tpath *p)
{
	return ((p->flags & DPSCTP_PF_HB_OFF) != 0 ? DPSCTP_SPP_HB_DISABLE : DPSCTP_SPP_HB_ENABLE) |
		((p->flags & DPSCTP_PF_PMTUD_OFF) != 0 ? DPSCTP_SPP_PMTUD_DISABLE :
							  DPSCTP_SPP_PMTUD_ENABLE);
}

int
dpsctp_assoc_paddr_info(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	struct dpsctp_paddr_info *pi)
{
	const struct dpsctp_tpath *p;
	int i = addr != NULL ? dpsctp_paths_find(a, addr) : -1;

	if (i < 0)
		return -ENOENT;
	p = &a->paths[i];
	memset(pi, 0, sizeof(*pi));
	pi->path = dpsctp_paths_get(a, (unsigned int)i);
	pi->state = (enum dpsctp_path_state)p->state;
	pi->primary = (unsigned int)i == a->primary;
	pi->reachable = p->reachable;
	pi->data = (unsigned int)i == dpsctp_paths_select(a);
	pi->cwnd = p->cc.cwnd;
	pi->ssthresh = p->cc.ssthresh;
	pi->flight = p->flight;
	pi->mtu = p->cc.mtu;
	pi->srtt = p->rto.srtt;
	pi->rttvar = p->rto.rttvar;
	pi->rto = p->rto.rto;
	pi->error_count = p->errors;
	pi->path_max_retrans = p->pmr;
	pi->pf_threshold = p->pfmr;
	pi->hb_interval = p->hb_interval;
	pi->flags = spp_flags(p);
	return 0;
}

int
dpsctp_assoc_set_primary(struct dpsctp_assoc *a, const struct dpsctp_addr *addr, uint64_t now)
{
	int i = addr != NULL ? dpsctp_paths_find(a, addr) : -1;

	(void)now;
	if (i < 0)
		return -ENOENT;
	dpsctp_assoc_wake(a); /* DATA goes to the new primary */
	a->primary = (uint8_t)i;
	paddr_event(a, &a->paths[i], DPSCTP_ADDR_MADE_PRIM, 0);
	return 0;
}

static int
set_params(struct dpsctp_assoc *a, struct dpsctp_tpath *p, const struct dpsctp_paddr_params *pp,
	uint64_t now)
{
	if ((pp->flags & DPSCTP_SPP_HB_TIME_IS_ZERO) != 0)
		p->hb_interval = 0;
	else if (pp->hb_interval != 0)
		p->hb_interval = pp->hb_interval;
	if (pp->path_max_retrans != 0)
		p->pmr = pp->path_max_retrans;
	if ((pp->flags & DPSCTP_SPP_PMTUD_DISABLE) != 0) {
		p->flags |= DPSCTP_PF_PMTUD_OFF;
		dpsctp_cc_set_mtu(&p->cc, pp->pathmtu);
	} else if ((pp->flags & DPSCTP_SPP_PMTUD_ENABLE) != 0) {
		p->flags &= (uint8_t)~DPSCTP_PF_PMTUD_OFF;
	}
	if ((pp->flags & DPSCTP_SPP_HB_DISABLE) != 0) {
		p->flags |= DPSCTP_PF_HB_OFF;
		/* keep-alive stops; confirmation and PF probes go on (hb_wanted) */
		if (!hb_probing(p) && !p->hb_outstanding)
			p->hb_at = DPSCTP_NEVER;
	} else if ((pp->flags & DPSCTP_SPP_HB_ENABLE) != 0 && (p->flags & DPSCTP_PF_HB_OFF) != 0) {
		p->flags &= (uint8_t)~DPSCTP_PF_HB_OFF;
		if (!p->hb_outstanding)
			hb_schedule(a, p, now);
	} else if ((pp->flags & DPSCTP_SPP_HB_ENABLE) != 0 && pp->hb_interval != 0 &&
		!p->hb_outstanding) {
		hb_schedule(a, p, now); /* the new interval applies from now */
	}
	/* RFC 6458 8.1.12: SPP_HB_DEMAND sends a heartbeat now */
	if ((pp->flags & DPSCTP_SPP_HB_DEMAND) != 0 && p->reachable && !p->hb_outstanding &&
		!dpsctp_assoc_before_established(a) && a->state != DPSCTP_CLOSED)
		hb_fire(a, p, now);
	return 0;
}

int
dpsctp_assoc_set_paddr_params(struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	const struct dpsctp_paddr_params *pp, uint64_t now)
{
	unsigned int i;
	int k;

	if (pp == NULL)
		return -EINVAL;
	dpsctp_assoc_wake(a); /* a HEARTBEAT on demand, a new path MTU... */
	if (((pp->flags & DPSCTP_SPP_HB_ENABLE) != 0 && (pp->flags & DPSCTP_SPP_HB_DISABLE) != 0) ||
		((pp->flags & DPSCTP_SPP_PMTUD_ENABLE) != 0 &&
			(pp->flags & DPSCTP_SPP_PMTUD_DISABLE) != 0))
		return -EINVAL;
	if ((pp->flags & DPSCTP_SPP_PMTUD_DISABLE) != 0 &&
		(pp->pathmtu < DPSCTP_PMTU_MIN4 || pp->pathmtu > DPSCTP_PMTU_MAX))
		return -EINVAL;
	if (addr != NULL) {
		k = dpsctp_paths_find(a, addr);
		if (k < 0)
			return -ENOENT;
		set_params(a, &a->paths[k], pp, now);
	} else {
		/* the association's default for paths to come, and every path */
		if ((pp->flags & DPSCTP_SPP_HB_TIME_IS_ZERO) != 0)
			a->hb_interval = 0;
		else if (pp->hb_interval != 0)
			a->hb_interval = pp->hb_interval;
		if (pp->path_max_retrans != 0)
			a->pmr = pp->path_max_retrans;
		if ((pp->flags & DPSCTP_SPP_HB_DISABLE) != 0)
			a->path_flags |= DPSCTP_PF_HB_OFF;
		else if ((pp->flags & DPSCTP_SPP_HB_ENABLE) != 0)
			a->path_flags &= (uint8_t)~DPSCTP_PF_HB_OFF;
		if ((pp->flags & DPSCTP_SPP_PMTUD_DISABLE) != 0)
			a->path_flags |= DPSCTP_PF_PMTUD_OFF;
		else if ((pp->flags & DPSCTP_SPP_PMTUD_ENABLE) != 0)
			a->path_flags &= (uint8_t)~DPSCTP_PF_PMTUD_OFF;
		for (i = 0; i < a->npaths; i++)
			set_params(a, &a->paths[i], pp, now);
	}
	dpsctp_paths_update_mtu(a);
	return 0;
}

int
dpsctp_assoc_get_paddr_params(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	struct dpsctp_paddr_params *pp)
{
	const struct dpsctp_tpath *p;
	int k = addr != NULL ? dpsctp_paths_find(a, addr) : (a->npaths > 0 ? a->primary : -1);

	if (k < 0)
		return -ENOENT;
	p = &a->paths[k];
	memset(pp, 0, sizeof(*pp));
	pp->hb_interval = p->hb_interval;
	pp->path_max_retrans = p->pmr;
	pp->pathmtu = p->cc.mtu;
	pp->flags = spp_flags(p);
	return 0;
}

int
dpsctp_assoc_set_thresholds(struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	uint32_t path_max_retrans, uint32_t pf_threshold, uint64_t now)
{
	unsigned int i;
	int k = -1;

	(void)now;
	if (path_max_retrans == 0)
		return -EINVAL;
	dpsctp_assoc_wake(a);
	if (addr != NULL) {
		k = dpsctp_paths_find(a, addr);
		if (k < 0)
			return -ENOENT;
	} else {
		a->pmr = path_max_retrans;
		a->pfmr = pf_threshold;
	}
	for (i = 0; i < a->npaths; i++) {
		if (k >= 0 && (int)i != k)
			continue;
		a->paths[i].pmr = path_max_retrans;
		a->paths[i].pfmr = pf_threshold;
	}
	return 0;
}
