/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint: where packets enter (demultiplexing to associations, the Verification Tag rules
 * of RFC 9260 8.5 and 8.5.1, out-of-the-blue packets of 8.4, stateless INIT handling of 5.1),
 * where packets leave (stateless answers first, then associations in turn), and where time
 * arrives (deadlines, cookie secret rotation).
 */
#include <string.h>

#include "assoc.h"
#include "cause.h"
#include "initparam.h"
#include "ootb.h"
#include "packet.h"
#include "sm.h"

void
dpsctp_proto_config_default(struct dpsctp_proto_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* RFC 9260 section 16 */
	cfg->rto_initial = 1000 * DPSCTP_MS;
	cfg->rto_min = 1000 * DPSCTP_MS;
	cfg->rto_max = 60000 * DPSCTP_MS;
	cfg->valid_cookie_life = 60000 * DPSCTP_MS;
	cfg->hb_interval = 30000 * DPSCTP_MS;
	cfg->shutdown_guard = 5 * cfg->rto_max;
	cfg->max_init_retrans = 8;
	cfg->assoc_max_retrans = 10;
	cfg->path_max_retrans = 5;
	cfg->pf_threshold = DPSCTP_PF_DISABLED;
	cfg->hb_max_burst = 1;
	cfg->a_rwnd = 131072;
	cfg->os = 10;
	cfg->mis = 65535;
	cfg->sack_delay = 200 * DPSCTP_MS;
	cfg->sack_freq = 2;
	cfg->max_burst = 4;
	cfg->sndbuf = 262144;
	cfg->pmtu = 1500;
}

/* What the endpoint and each association must hold to; the rest of the engine relies on it
 * (no zero divisor or burst, RTO within its bounds). */
static int
config_check_live(const struct dpsctp_proto_config *cfg)
{
	if (cfg->rto_min == 0 || cfg->rto_min > cfg->rto_max || cfg->rto_initial < cfg->rto_min ||
		cfg->rto_initial > cfg->rto_max)
		return -EINVAL;
	if (cfg->max_init_retrans == 0 || cfg->assoc_max_retrans == 0 || cfg->path_max_retrans == 0)
		return -EINVAL;
	if (cfg->sack_freq == 0 || cfg->max_burst == 0 || cfg->hb_max_burst == 0 ||
		cfg->sack_delay > DPSCTP_SACK_DELAY_MAX)
		return -EINVAL;
	if (cfg->pmtu < 576 || cfg->pmtu > DPSCTP_MAX_PACKET)
		return -EINVAL;
	/* RFC 9260 3.3.2: 1500 bytes is the smallest a_rwnd */
	if (cfg->a_rwnd < 1500 || cfg->sndbuf == 0 || cfg->shutdown_guard == 0)
		return -EINVAL;
	if (cfg->maxseg != 0 && cfg->maxseg < DPSCTP_MAXSEG_MIN)
		return -EINVAL;
	return 0;
}

int
dpsctp_proto_config_check(const struct dpsctp_proto_config *cfg)
{
	if (cfg == NULL)
		return -EINVAL;
	/* what only the handshake uses: checked for an endpoint, ignored on a live association */
	if (cfg->os == 0 || cfg->mis == 0 || cfg->valid_cookie_life == 0)
		return -EINVAL;
	return config_check_live(cfg);
}

int
dpsctp_assoc_config_check(const struct dpsctp_proto_config *cfg)
{
	return cfg == NULL ? -EINVAL : config_check_live(cfg);
}

static const char *const drop_names[DPSCTP_DROP_COUNT] = {
	[DPSCTP_DROP_MALFORMED] = "malformed",
	[DPSCTP_DROP_BAD_PORT] = "bad_port",
	[DPSCTP_DROP_BAD_VTAG] = "bad_vtag",
	[DPSCTP_DROP_OOTB] = "ootb",
	[DPSCTP_DROP_NOT_LISTENING] = "not_listening",
	[DPSCTP_DROP_BAD_COOKIE] = "bad_cookie",
	[DPSCTP_DROP_STALE_COOKIE] = "stale_cookie",
	[DPSCTP_DROP_BAD_CHUNK] = "bad_chunk",
	[DPSCTP_DROP_UNEXPECTED] = "unexpected",
	[DPSCTP_DROP_UNKNOWN_CHUNK] = "unknown_chunk",
	[DPSCTP_DROP_NO_MEMORY] = "no_memory",
	[DPSCTP_DROP_QUEUE_FULL] = "queue_full",
	[DPSCTP_DROP_UNSUPPORTED] = "unsupported",
	[DPSCTP_DROP_NO_RWND] = "no_rwnd",
	[DPSCTP_DROP_BAD_STREAM] = "bad_stream",
	[DPSCTP_DROP_STALE_SACK] = "stale_sack",
};

static const char *const abort_names[DPSCTP_ABORT_COUNT] = {
	[DPSCTP_ABORT_USER] = "user",
	[DPSCTP_ABORT_PEER] = "peer",
	[DPSCTP_ABORT_T1_INIT] = "t1_init",
	[DPSCTP_ABORT_T1_COOKIE] = "t1_cookie",
	[DPSCTP_ABORT_T2_SHUTDOWN] = "t2_shutdown",
	[DPSCTP_ABORT_T5_GUARD] = "t5_guard",
	[DPSCTP_ABORT_HB_MAX_RETRANS] = "hb_max_retrans",
	[DPSCTP_ABORT_INIT_ACK_INVALID] = "init_ack_invalid",
	[DPSCTP_ABORT_INIT_ACK_MISSING] = "init_ack_missing_cookie",
	[DPSCTP_ABORT_STALE_COOKIE_MAX] = "stale_cookie_max",
	[DPSCTP_ABORT_NO_MEMORY] = "no_memory",
	[DPSCTP_ABORT_PROTOCOL_VIOLATION] = "protocol_violation",
	[DPSCTP_ABORT_T3_MAX_RETRANS] = "t3_max_retrans",
	[DPSCTP_ABORT_NO_USER_DATA] = "no_user_data",
	[DPSCTP_ABORT_SACK_BEYOND] = "sack_beyond_sent",
};

const char *
dpsctp_drop_name(enum dpsctp_drop d)
{
	return (unsigned int)d < DPSCTP_DROP_COUNT ? drop_names[d] : "?";
}

const char *
dpsctp_abort_code_name(enum dpsctp_abort_code c)
{
	return (unsigned int)c < DPSCTP_ABORT_COUNT ? abort_names[c] : "?";
}

/* ---- life ---- */

static int
addrs_check(const struct dpsctp_addr *addrs, size_t n)
{
	size_t i;

	if (addrs == NULL || n == 0 || n > DPSCTP_MAX_ADDRS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (addrs[i].family != 4 && addrs[i].family != 6)
			return -EINVAL;
	return 0;
}

/*
 * How long a secret is the current one. A cookie stays verifiable for at least this long after
 * it was made (current, then previous), so it must cover the longest lifetime a cookie can have
 * (Valid.Cookie.Life plus a Cookie Preservative of up to as much again): an expired cookie is
 * then answered as stale (5.1.5 step 3), not dropped as forged. At least 1 s.
 */
static uint64_t
secret_period(const struct dpsctp_endpoint *ep)
{
	uint64_t p = 2 * ep->cfg.valid_cookie_life;

	return p < 1000 * DPSCTP_MS ? 1000 * DPSCTP_MS : p;
}

int
dpsctp_endpoint_create(const struct dpsctp_env *env, const struct dpsctp_callbacks *cb,
	const struct dpsctp_endpoint_params *p, uint64_t now, struct dpsctp_endpoint **out)
{
	struct dpsctp_endpoint *ep;
	size_t i;

	if (env == NULL || env->alloc == NULL || env->free == NULL || env->random == NULL ||
		p == NULL || out == NULL || p->port == 0 || p->owner_bits > 8 ||
		p->owner >= (1u << p->owner_bits) || addrs_check(p->addrs, p->naddrs) != 0)
		return -EINVAL;
	if (p->cfg != NULL && dpsctp_proto_config_check(p->cfg) != 0)
		return -EINVAL;
	ep = env->alloc(env->ctx, sizeof(*ep));
	if (ep == NULL)
		return -ENOMEM;
	memset(ep, 0, sizeof(*ep));
	ep->env = *env;
	if (cb != NULL)
		ep->cb = *cb;
	if (p->cfg != NULL)
		ep->cfg = *p->cfg;
	else
		dpsctp_proto_config_default(&ep->cfg);
	ep->port = p->port;
	ep->listening = p->listen;
	for (i = 0; i < p->naddrs; i++)
		dpsctp_addr_list_add(ep->addrs, &ep->naddrs, &p->addrs[i]);
	ep->owner_bits = p->owner_bits;
	ep->owner = p->owner;
	/* 5.1.3: the secret, rotated (the previous one still accepted) */
	if (env->cookie_secret != NULL) {
		ep->secret_rotate_at = 0;
		dpsctp_ep_secret_refresh(ep, now);
	} else {
		env->random(env->ctx, ep->secret, sizeof(ep->secret));
		ep->secret_rotate_at = now + secret_period(ep);
	}
	*out = ep;
	return 0;
}

void
dpsctp_endpoint_destroy(struct dpsctp_endpoint *ep)
{
	if (ep == NULL)
		return;
	while (ep->assocs != NULL)
		dpsctp_assoc_release(ep->assocs);
	dpsctp_deadlines_free(ep);
	dpsctp_lookup_free(ep);
	while (ep->reply_count > 0) {
		struct dpsctp_reply *r = &ep->replies[ep->reply_head];

		ep->env.free(ep->env.ctx, r->buf, r->len);
		ep->reply_head = (ep->reply_head + 1) % DPSCTP_REPLY_QUEUE;
		ep->reply_count--;
	}
	memset(ep->secret, 0, sizeof(ep->secret));
	ep->env.free(ep->env.ctx, ep, sizeof(*ep));
}

void
dpsctp_endpoint_listen(struct dpsctp_endpoint *ep, bool on)
{
	ep->listening = on;
}

int
dpsctp_endpoint_set_config(struct dpsctp_endpoint *ep, const struct dpsctp_proto_config *cfg)
{
	uint64_t period;

	if (ep == NULL || dpsctp_proto_config_check(cfg) != 0)
		return -EINVAL;
	period = secret_period(ep);
	ep->cfg = *cfg;
	/* a new secret period (it follows the cookie life): the secret is made again at the next
	 * input or expiry, so that endpoints sharing a cookie_secret function agree on epochs */
	if (secret_period(ep) != period)
		ep->secret_rotate_at = 0;
	return 0;
}

void
dpsctp_endpoint_get_config(const struct dpsctp_endpoint *ep, struct dpsctp_proto_config *cfg)
{
	*cfg = ep->cfg;
}

int
dpsctp_endpoint_set_addrs(struct dpsctp_endpoint *ep, const struct dpsctp_addr *addrs, size_t n)
{
	size_t i;

	if (ep == NULL || addrs_check(addrs, n) != 0)
		return -EINVAL;
	ep->naddrs = 0;
	for (i = 0; i < n; i++)
		dpsctp_addr_list_add(ep->addrs, &ep->naddrs, &addrs[i]);
	return 0;
}

size_t
dpsctp_endpoint_addrs(const struct dpsctp_endpoint *ep, struct dpsctp_addr *out, size_t cap)
{
	size_t i;

	for (i = 0; i < ep->naddrs && i < cap; i++)
		out[i] = ep->addrs[i];
	return ep->naddrs;
}

const struct dpsctp_stats *
dpsctp_endpoint_stats(const struct dpsctp_endpoint *ep)
{
	return &ep->stats;
}

size_t
dpsctp_endpoint_assoc_count(const struct dpsctp_endpoint *ep)
{
	return ep->nassocs;
}

struct dpsctp_assoc *
dpsctp_endpoint_assoc_by_id(struct dpsctp_endpoint *ep, uint32_t id)
{
	struct dpsctp_assoc *a;

	for (a = ep->assocs; a != NULL; a = a->next)
		if (a->id == id)
			return a;
	return NULL;
}

static void
out_remove(struct dpsctp_endpoint *ep, struct dpsctp_assoc *a)
{
	if (!a->out_listed)
		return;
	if (a->out_prev != NULL)
		a->out_prev->out_next = a->out_next;
	else
		ep->out_head = a->out_next;
	if (a->out_next != NULL)
		a->out_next->out_prev = a->out_prev;
	else
		ep->out_tail = a->out_prev;
	a->out_next = a->out_prev = NULL;
	a->out_listed = false;
}

void
dpsctp_ep_unlink(struct dpsctp_endpoint *ep, struct dpsctp_assoc *a)
{
	struct dpsctp_assoc **pp;

	for (pp = &ep->assocs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			ep->nassocs--;
			break;
		}
	}
	out_remove(ep, a);
	dpsctp_deadlines_forget(a);
	dpsctp_lookup_forget(ep, a);
}

void
dpsctp_assoc_wake(struct dpsctp_assoc *a)
{
	struct dpsctp_endpoint *ep = a->ep;

	/* whatever may give it something to send may also move its timers */
	dpsctp_deadlines_touch(a);
	if (a->out_listed)
		return;
	a->out_listed = true;
	a->out_next = NULL;
	a->out_prev = ep->out_tail;
	if (ep->out_tail != NULL)
		ep->out_tail->out_next = a;
	else
		ep->out_head = a;
	ep->out_tail = a;
}

/* ---- stateless answers ---- */

int
dpsctp_ep_reply(struct dpsctp_endpoint *ep, const uint8_t *pkt, size_t len,
	const struct dpsctp_path *path)
{
	struct dpsctp_reply *r;

	if (ep->reply_count == DPSCTP_REPLY_QUEUE) {
		ep->stats.drops[DPSCTP_DROP_QUEUE_FULL]++;
		return -ENOBUFS;
	}
	r = &ep->replies[(ep->reply_head + ep->reply_count) % DPSCTP_REPLY_QUEUE];
	r->buf = ep->env.alloc(ep->env.ctx, len);
	if (r->buf == NULL) {
		ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
		return -ENOMEM;
	}
	memcpy(r->buf, pkt, len);
	r->len = len;
	r->path = *path;
	ep->reply_count++;
	ep->stats.replies_queued++;
	return 0;
}

int
dpsctp_ep_reply_ctrl(struct dpsctp_endpoint *ep, uint16_t peer_port, uint32_t vtag,
	const struct dpsctp_path *path, const uint8_t *types, unsigned int ntypes, uint8_t flags,
	uint16_t cause, const void *data, size_t len)
{
	uint8_t buf[DPSCTP_COMMON_HDR_LEN + 2 * DPSCTP_CHUNK_HDR_LEN + DPSCTP_TLV_HDR_LEN + 1100];
	struct dpsctp_wbuf w;
	unsigned int i;
	size_t mark, cmark;
	int rc;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	rc = dpsctp_common_hdr_build(&w, ep->port, peer_port, vtag);
	for (i = 0; i < ntypes && rc == 0; i++) {
		uint8_t type = types[i];

		rc = dpsctp_chunk_begin(&w, type, i == 0 ? flags : 0, &mark);
		if (rc == 0 && cause != 0 &&
			(type == DPSCTP_CHUNK_ABORT || type == DPSCTP_CHUNK_ERROR)) {
			rc = dpsctp_tlv_begin(&w, cause, &cmark);
			if (rc == 0)
				rc = dpsctp_wbuf_put(&w, data, len);
			if (rc == 0)
				rc = dpsctp_tlv_end(&w, cmark);
		}
		if (rc == 0)
			rc = dpsctp_chunk_end(&w, mark);
		if (type == DPSCTP_CHUNK_ERROR && rc == 0)
			ep->stats.errors_sent++;
	}
	if (rc != 0)
		return rc;
	return dpsctp_ep_reply(ep, buf, w.len, path);
}

static void
reply_abort(struct dpsctp_endpoint *ep, uint16_t port, uint32_t vtag, bool t,
	const struct dpsctp_path *path, uint16_t cause, const void *data, size_t len)
{
	uint8_t type = DPSCTP_CHUNK_ABORT;

	dpsctp_ep_reply_ctrl(ep, port, vtag, path, &type, 1, t ? DPSCTP_CHUNK_FLAG_T : 0, cause,
		data, len);
}

/*
 * RFC 9260 5.1 B / 5.1.3: answer an INIT with an INIT ACK carrying a State Cookie, keeping no
 * state. With an existing association (5.2.1, 5.2.2) its tags become the cookie's Tie-Tags.
 */
int
dpsctp_ep_reply_init_ack(struct dpsctp_endpoint *ep, const struct dpsctp_chunk *init_chunk,
	const struct dpsctp_init *init, uint16_t peer_port, const struct dpsctp_path *path,
	const struct dpsctp_assoc *existing, uint64_t now)
{
	uint8_t buf[DPSCTP_MAX_PACKET];
	uint8_t report[256];
	struct dpsctp_init_params params;
	struct dpsctp_wbuf w, rep;
	struct dpsctp_cookie ck;
	struct dpsctp_init ia;
	struct dpsctp_local_params lp = {
		.addrs = ep->addrs,
		.naddrs = ep->naddrs,
		.peer = &path->remote,
		.is_ack = true,
		.has_adaptation = ep->cfg.has_adaptation,
		.adaptation = ep->cfg.adaptation_ind,
	};
	uint64_t extra;
	size_t mark, pmark, i;
	int rc;

	dpsctp_wbuf_init(&rep, report, sizeof(report));
	/* 3.2.1 / 3.2.2: an unknown parameter with upper bits 0x stops the processing of the
	 * parameters after it (01: and is reported in the INIT ACK); what came before stands, and
	 * the INIT is answered as Linux and FreeBSD do. A known parameter that does not decode is
	 * a protocol violation. */
	if (dpsctp_init_params_parse(init, false, &params, &rep, true) == DPSCTP_INITPARAM_INVALID) {
		reply_abort(ep, peer_port, init->init_tag, false, path,
			DPSCTP_CAUSE_PROTOCOL_VIOLATION, NULL, 0);
		ep->stats.drops[DPSCTP_DROP_BAD_CHUNK]++;
		return -EPROTO;
	}
	if (params.has_host_name) {
		/* 5.1.2: "the receiver MUST send an ABORT ... Unresolvable Address" */
		reply_abort(ep, peer_port, init->init_tag, false, path,
			DPSCTP_CAUSE_UNRESOLVABLE_ADDR, params.host_name_tlv, params.host_name_len);
		ep->stats.drops[DPSCTP_DROP_BAD_CHUNK]++;
		return -EPROTO;
	}
	if (init_chunk->len > DPSCTP_COOKIE_MAX_INIT) {
		/* the INIT must fit into the cookie; answering bigger ones would need state */
		reply_abort(ep, peer_port, init->init_tag, false, path, DPSCTP_CAUSE_OUT_OF_RESOURCE,
			NULL, 0);
		ep->stats.drops[DPSCTP_DROP_BAD_CHUNK]++;
		return -EMSGSIZE;
	}

	/* 5.1.2: only address families the peer supports; one it uses (the INIT's source, an
	 * address it lists) counts as supported whatever its Supported Address Types says */
	lp.peer_v4 = params.supports_v4 || path->remote.family == 4;
	lp.peer_v6 = params.supports_v6 || path->remote.family == 6;
	for (i = 0; i < params.naddrs; i++) {
		lp.peer_v4 |= params.addrs[i].family == 4;
		lp.peer_v6 |= params.addrs[i].family == 6;
	}

	memset(&ck, 0, sizeof(ck));
	memset(&ia, 0, sizeof(ia));
	if (existing != NULL && dpsctp_assoc_before_established(existing)) {
		/* 5.2.1: the same Initiate Tag and TSN as our own INIT */
		ck.local_tag = existing->local_vtag;
		ck.local_tsn = existing->local_itsn;
	} else {
		/* 5.2.2 and a fresh INIT: new random values (5.3.1) */
		ck.local_tag = dpsctp_assoc_random_tag(ep);
		ck.local_tsn = dpsctp_assoc_random32(ep);
	}
	if (existing != NULL) {
		ck.local_tie_tag = existing->local_vtag;
		ck.peer_tie_tag = existing->peer_vtag;
		ck.os = existing->os_wanted;
		ep->stats.init_collisions++;
	} else {
		ck.os = ep->cfg.os;
	}
	ck.mis = ep->cfg.mis;
	ck.local_rwnd = ep->cfg.a_rwnd;
	ck.local_port = ep->port;
	ck.peer_port = peer_port;
	ck.peer_tag = init->init_tag;
	ck.path = *path;
	ck.created = now;
	/* 5.1.3 / 5.2.6: honour a Cookie Preservative, up to one more Valid.Cookie.Life */
	extra = (uint64_t)params.cookie_preservative_ms * DPSCTP_MS;
	if (extra > ep->cfg.valid_cookie_life)
		extra = ep->cfg.valid_cookie_life;
	ck.lifetime = ep->cfg.valid_cookie_life + extra;
	ck.init = init_chunk->value - DPSCTP_CHUNK_HDR_LEN;
	ck.init_len = init_chunk->len;

	ia.init_tag = ck.local_tag;
	ia.a_rwnd = ep->cfg.a_rwnd;
	ia.os = ck.os;
	ia.mis = ck.mis;
	ia.initial_tsn = ck.local_tsn;

	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	rc = dpsctp_common_hdr_build(&w, ep->port, peer_port, init->init_tag);
	if (rc == 0)
		rc = dpsctp_init_ack_begin(&w, &ia, &mark);
	if (rc == 0)
		rc = dpsctp_local_params_build(&w, &lp);
	if (rc == 0)
		rc = dpsctp_tlv_begin(&w, DPSCTP_PARAM_STATE_COOKIE, &pmark);
	if (rc == 0)
		rc = dpsctp_cookie_build(&w, &ck, ep->secret[0]);
	if (rc == 0)
		rc = dpsctp_tlv_end(&w, pmark);
	/* 3.3.3: parameters to report travel as Unrecognized Parameter in the INIT ACK */
	if (rc == 0 && rep.len > 0)
		rc = dpsctp_wbuf_pad4(&w);
	if (rc == 0)
		rc = dpsctp_wbuf_put(&w, report, rep.len);
	if (rc == 0)
		rc = dpsctp_chunk_end(&w, mark);
	if (rc != 0) {
		ep->stats.drops[DPSCTP_DROP_NO_MEMORY]++;
		return rc;
	}
	return dpsctp_ep_reply(ep, buf, w.len, path);
}

/* ---- input ---- */

static int
dropped(struct dpsctp_endpoint *ep, enum dpsctp_drop why)
{
	ep->stats.drops[why]++;
	return (int)why + 1;
}

static struct dpsctp_assoc *
lookup(struct dpsctp_endpoint *ep, uint16_t peer_port, const struct dpsctp_addr *remote)
{
	struct dpsctp_assoc *a = dpsctp_lookup_find(ep, peer_port, remote);

	if (a != NULL)
		return a;
	/* the walk is the truth; the index remembers its answers (lookup.h) */
	for (a = ep->assocs; a != NULL; a = a->next) {
		if (a->peer_port == peer_port && dpsctp_assoc_has_peer_addr(a, remote)) {
			dpsctp_lookup_add(ep, peer_port, remote, a);
			return a;
		}
	}
	return NULL;
}

/* 3.3.10.6: report an unrecognised chunk (the whole chunk is the cause's value). */
static void
report_chunk(struct dpsctp_assoc *a, const struct dpsctp_chunk *c)
{
	size_t len = c->len;

	if (a->peer_vtag == 0)
		return;
	if (len > DPSCTP_ERR_QUEUE - 2 * DPSCTP_TLV_HDR_LEN)
		return; /* too big to quote; 3.2 lets us not report it */
	dpsctp_assoc_queue_cause(a, DPSCTP_CAUSE_UNRECOGNIZED_CHUNK,
		c->value - DPSCTP_CHUNK_HDR_LEN, len);
}

/* 8.5.1 B and C: an ABORT or SHUTDOWN COMPLETE is accepted with our tag and no T bit, or with
 * the peer's tag and the T bit. */
static bool
t_bit_ok(const struct dpsctp_assoc *a, uint32_t vtag, uint8_t flags)
{
	if ((flags & DPSCTP_CHUNK_FLAG_T) == 0)
		return vtag == a->local_vtag;
	return a->peer_vtag != 0 && vtag == a->peer_vtag;
}

/* Which chunks of a packet may be processed, after the packet-level tag check. */
enum vtag_mode {
	VTAG_ALL,        /* the tag is ours: everything */
	VTAG_COOKIE,     /* starts with COOKIE ECHO: 5.2.4 decides, then the rest needs our tag */
	VTAG_T_ONLY,     /* reflected tag: only ABORT / SHUTDOWN COMPLETE with the T bit */
	VTAG_OOTB_SHUTDOWN_ACK, /* 8.5.1 E: SHUTDOWN ACK before ESTABLISHED, handled as OOTB */
};

static int
assoc_input(struct dpsctp_assoc *a, const struct dpsctp_packet_info *pi,
	const struct dpsctp_path *path, uint64_t now, bool skip_first)
{
	struct dpsctp_endpoint *ep = a->ep;
	uint32_t vtag = pi->hdr.vtag;
	const uint8_t *p = pi->chunks;
	union dpsctp_chunk_view v;
	struct dpsctp_chunk ch;
	enum vtag_mode mode;
	bool first = true;

	dpsctp_assoc_wake(a); /* whatever the packet holds may call for an answer */
	if (dpsctp_packet_has(pi, DPSCTP_CHUNK_INIT)) {
		/* 8.5.1 A: an INIT carries a Verification Tag of 0 (and travels alone) */
		if (vtag != 0)
			return dropped(ep, DPSCTP_DROP_BAD_VTAG);
		mode = VTAG_ALL;
	} else if (pi->first_type == DPSCTP_CHUNK_COOKIE_ECHO && !skip_first) {
		mode = VTAG_COOKIE;
	} else if (vtag == a->local_vtag) {
		mode = VTAG_ALL;
	} else if (dpsctp_assoc_before_established(a) &&
		dpsctp_packet_has(pi, DPSCTP_CHUNK_SHUTDOWN_ACK)) {
		mode = VTAG_OOTB_SHUTDOWN_ACK;
	} else if (a->peer_vtag != 0 && vtag == a->peer_vtag &&
		(dpsctp_packet_has(pi, DPSCTP_CHUNK_ABORT) ||
			dpsctp_packet_has(pi, DPSCTP_CHUNK_SHUTDOWN_COMPLETE))) {
		mode = VTAG_T_ONLY;
	} else {
		return dropped(ep, DPSCTP_DROP_BAD_VTAG);
	}

	while (dpsctp_chunk_next(&p, pi->end, &ch) == 1) {
		struct dpsctp_sm_input in = {
			.pi = pi, .chunk = &ch, .v = &v, .path = path, .now = now};
		enum dpsctp_disp d;
		bool is_first = first;

		first = false;
		if (is_first && skip_first)
			continue;
		if (mode == VTAG_T_ONLY &&
			!(ch.type == DPSCTP_CHUNK_ABORT || ch.type == DPSCTP_CHUNK_SHUTDOWN_COMPLETE)) {
			ep->stats.drops[DPSCTP_DROP_BAD_VTAG]++;
			continue;
		}
		if (mode == VTAG_OOTB_SHUTDOWN_ACK && ch.type != DPSCTP_CHUNK_SHUTDOWN_ACK)
			continue;
		if (mode == VTAG_COOKIE && !is_first && vtag != a->local_vtag) {
			ep->stats.drops[DPSCTP_DROP_BAD_VTAG]++;
			break;
		}
		if ((ch.type == DPSCTP_CHUNK_ABORT || ch.type == DPSCTP_CHUNK_SHUTDOWN_COMPLETE) &&
			!t_bit_ok(a, vtag, ch.flags)) {
			ep->stats.drops[DPSCTP_DROP_BAD_VTAG]++;
			break;
		}
		if (!dpsctp_sm_handles(ch.type)) {
			/* 3.2: the upper two bits of an unrecognised chunk type say what to do */
			enum dpsctp_unknown_action act = dpsctp_chunk_unknown_action(ch.type);

			ep->stats.drops[DPSCTP_DROP_UNKNOWN_CHUNK]++;
			if (act == DPSCTP_UNKNOWN_STOP_REPORT || act == DPSCTP_UNKNOWN_SKIP_REPORT)
				report_chunk(a, &ch);
			if (act == DPSCTP_UNKNOWN_STOP || act == DPSCTP_UNKNOWN_STOP_REPORT)
				break;
			continue;
		}
		if (dpsctp_chunk_decode(&ch, &v) != 0) {
			/* a chunk that breaks its own format: nothing after it can be trusted */
			ep->stats.drops[DPSCTP_DROP_BAD_CHUNK]++;
			break;
		}
		d = dpsctp_sm_chunk(a, &in);
		if (d == DPSCTP_DISP_GONE)
			return 0;
		if (d == DPSCTP_DISP_STOP)
			break;
	}
	dpsctp_rcv_packet_done(a, now);
	return 0;
}

/* 8.4 rule 7: a Stale Cookie ERROR is discarded without an answer. */
static int
init_input(struct dpsctp_endpoint *ep, const struct dpsctp_packet_info *pi,
	const struct dpsctp_path *path, uint64_t now)
{
	const uint8_t *p = pi->chunks;
	struct dpsctp_chunk ch;
	struct dpsctp_init init;

	/* 8.5.1 A */
	if (pi->hdr.vtag != 0)
		return dropped(ep, DPSCTP_DROP_BAD_VTAG);
	if (dpsctp_chunk_next(&p, pi->end, &ch) != 1 || dpsctp_init_decode(&ch, &init) != 0)
		return dropped(ep, DPSCTP_DROP_BAD_CHUNK);
	/* 3.3.2: an Initiate Tag of 0: silently discard */
	if (init.init_tag == 0)
		return dropped(ep, DPSCTP_DROP_BAD_CHUNK);
	if (!ep->listening) {
		/* 8.4 rule 3: cannot be processed: ABORT with the INIT's tag, T bit clear */
		reply_abort(ep, pi->hdr.src_port, init.init_tag, false, path, 0, NULL, 0);
		return dropped(ep, DPSCTP_DROP_NOT_LISTENING);
	}
	if (init.os == 0 || init.mis == 0) {
		reply_abort(ep, pi->hdr.src_port, init.init_tag, false, path,
			DPSCTP_CAUSE_INVALID_MANDATORY_PARAM, NULL, 0);
		return dropped(ep, DPSCTP_DROP_BAD_CHUNK);
	}
	dpsctp_ep_reply_init_ack(ep, &ch, &init, pi->hdr.src_port, path, NULL, now);
	return 0;
}

static int
ootb_input(struct dpsctp_endpoint *ep, const struct dpsctp_packet_info *pi,
	const struct dpsctp_path *path, uint64_t now)
{
	struct dpsctp_assoc *a = NULL;
	struct dpsctp_ootb_reply r;

	if (pi->first_type == DPSCTP_CHUNK_INIT)
		return init_input(ep, pi, path, now);
	/* 8.5.1 A: a Verification Tag of 0 belongs to an INIT only: silently discard */
	if (pi->hdr.vtag == 0)
		return dropped(ep, DPSCTP_DROP_BAD_VTAG);
	if (pi->first_type == DPSCTP_CHUNK_COOKIE_ECHO) {
		int rc;

		if (!ep->listening)
			return dropped(ep, DPSCTP_DROP_NOT_LISTENING);
		rc = dpsctp_sm_cookie_echo_new(ep, pi, path, now, &a);
		if (rc != 0)
			return rc;
		/* 5.1 D: chunks bundled after the COOKIE ECHO belong to the new association */
		return assoc_input(a, pi, path, now, true);
	}
	/* 8.4 rules 2 and 5 to 8 (ootb.c) */
	dpsctp_ootb_decide(pi, &r);
	if (r.type != 0)
		dpsctp_ep_reply_ctrl(ep, pi->hdr.src_port, r.vtag, path, &r.type, 1, r.flags, 0,
			NULL, 0);
	return dropped(ep, DPSCTP_DROP_OOTB);
}

int
dpsctp_endpoint_input(struct dpsctp_endpoint *ep, const uint8_t *pkt, size_t len,
	const struct dpsctp_path *path, uint64_t now)
{
	struct dpsctp_packet_info pi;
	struct dpsctp_assoc *a;

	ep->stats.packets_in++;
	dpsctp_ep_secret_refresh(ep, now);
	if (pkt == NULL || path == NULL || len > DPSCTP_MAX_PACKET ||
		dpsctp_packet_parse(pkt, len, &pi) != 0 || pi.hdr.src_port == 0)
		return dropped(ep, DPSCTP_DROP_MALFORMED);
	if (pi.hdr.dst_port != ep->port)
		return dropped(ep, DPSCTP_DROP_BAD_PORT);
	a = lookup(ep, pi.hdr.src_port, &path->remote);
	if (a == NULL)
		return ootb_input(ep, &pi, path, now);
	return assoc_input(a, &pi, path, now, false);
}

/* ---- output and time ---- */

size_t
dpsctp_endpoint_output(struct dpsctp_endpoint *ep, uint8_t *buf, size_t cap,
	struct dpsctp_path *path, uint64_t now)
{
	struct dpsctp_assoc *a;
	size_t n;

	while (ep->reply_count > 0) {
		struct dpsctp_reply *r = &ep->replies[ep->reply_head];

		n = r->len;
		if (n <= cap) {
			memcpy(buf, r->buf, n);
			*path = r->path;
		}
		ep->env.free(ep->env.ctx, r->buf, r->len);
		ep->reply_head = (ep->reply_head + 1) % DPSCTP_REPLY_QUEUE;
		ep->reply_count--;
		if (n <= cap) {
			ep->stats.packets_out++;
			return n;
		}
		ep->stats.drops[DPSCTP_DROP_QUEUE_FULL]++;
	}
	/* the associations that may have something, in turn: one packet each, then the next */
	while ((a = ep->out_head) != NULL) {
		n = dpsctp_assoc_output(a, buf, cap, path, now);
		out_remove(ep, a);
		dpsctp_deadlines_touch(a); /* sending starts timers (T3-rtx, HEARTBEAT) */
		if (n > 0) {
			dpsctp_assoc_wake(a); /* at the back: it may have more */
			ep->stats.packets_out++;
			return n;
		}
	}
	return 0;
}

/*
 * Rotate the cookie secret when its period is over. With a shared secret function the secret
 * of a period is the same in every endpoint, and it is checked on input too, so an endpoint
 * that has not yet run its timers still accepts a cookie made by one that has.
 */
void
dpsctp_ep_secret_refresh(struct dpsctp_endpoint *ep, uint64_t now)
{
	uint64_t period = secret_period(ep), epoch;

	if (now < ep->secret_rotate_at)
		return;
	if (ep->env.cookie_secret == NULL) {
		memcpy(ep->secret[1], ep->secret[0], sizeof(ep->secret[0]));
		ep->env.random(ep->env.ctx, ep->secret[0], sizeof(ep->secret[0]));
		ep->secret_rotate_at = now + period;
		return;
	}
	epoch = now / period;
	ep->env.cookie_secret(ep->env.ctx, epoch, ep->secret[0], sizeof(ep->secret[0]));
	ep->env.cookie_secret(ep->env.ctx, epoch - 1, ep->secret[1], sizeof(ep->secret[1]));
	ep->secret_rotate_at = (epoch + 1) * period;
}

int
dpsctp_endpoint_set_owner(struct dpsctp_endpoint *ep, uint32_t owner)
{
	if (owner >= (1u << ep->owner_bits))
		return -EINVAL;
	ep->owner = owner;
	return 0;
}

uint64_t
dpsctp_endpoint_next_deadline(struct dpsctp_endpoint *ep)
{
	uint64_t d = dpsctp_deadlines_next(ep);

	return ep->secret_rotate_at < d ? ep->secret_rotate_at : d;
}

void
dpsctp_endpoint_expire(struct dpsctp_endpoint *ep, uint64_t now)
{
	struct dpsctp_assoc *a, *next;

	dpsctp_ep_secret_refresh(ep, now);
	/* only the associations that are due (one may end: the next is read first) */
	for (a = dpsctp_deadlines_take_due(ep, now); a != NULL; a = next) {
		next = a->dl.next;
		dpsctp_deadlines_touch(a);
		dpsctp_assoc_expire(a, now);
	}
}

void
dpsctp_endpoint_routes_changed(struct dpsctp_endpoint *ep, uint64_t now)
{
	struct dpsctp_assoc *a;

	for (a = ep->assocs; a != NULL; a = a->next) {
		dpsctp_paths_reroute(a, now);
		dpsctp_assoc_wake(a); /* what waited for a route may go */
	}
}

/*
 * RFC 9260 appendix C: an ICMP message is believed only if it quotes a packet of ours: the
 * ports and the peer's Verification Tag (or a tag of 0 with an INIT carrying our Initiate Tag).
 */
int
dpsctp_endpoint_icmp_ptb(struct dpsctp_endpoint *ep, const struct dpsctp_path *path,
	const uint8_t *quoted, size_t qlen, uint32_t mtu, uint64_t now)
{
	struct dpsctp_assoc *a;
	struct dpsctp_tpath *p;
	uint32_t vtag, floor;
	int i;

	if (ep == NULL || path == NULL || quoted == NULL || qlen < 8)
		return -EINVAL;
	if (dpsctp_get_be16(quoted) != ep->port) {
		ep->stats.ptb_rejected++;
		return -ENOENT;
	}
	a = lookup(ep, dpsctp_get_be16(quoted + 2), &path->remote);
	if (a == NULL) {
		ep->stats.ptb_rejected++;
		return -ENOENT;
	}
	vtag = dpsctp_get_be32(quoted + 4);
	if (vtag == 0) {
		/* C: "the ICMP message ... contains an INIT chunk whose Initiate Tag matches" */
		if (qlen < DPSCTP_COMMON_HDR_LEN + 8 || quoted[12] != DPSCTP_CHUNK_INIT ||
			dpsctp_get_be32(quoted + 16) != a->local_vtag) {
			ep->stats.ptb_rejected++;
			return -EPERM;
		}
	} else if (vtag != a->peer_vtag) {
		ep->stats.ptb_rejected++;
		return -EPERM;
	}
	i = dpsctp_paths_find(a, &path->remote);
	p = &a->paths[i];
	if ((p->flags & DPSCTP_PF_PMTUD_OFF) != 0)
		return -EINVAL;
	ep->stats.ptb_accepted++;
	dpsctp_assoc_wake(a); /* what was too big goes again, smaller */
	floor = p->remote.family == 6 ? DPSCTP_PMTU_MIN6 : DPSCTP_PMTU_MIN4;
	if (mtu < floor)
		mtu = floor;
	/* a report never raises the MTU (that would need probing, RFC 8899) */
	if (mtu >= p->cc.mtu)
		return 0;
	dpsctp_cc_set_mtu(&p->cc, mtu);
	dpsctp_paths_update_mtu(a);
	dpsctp_outq_mtu_shrunk(a, (unsigned int)i, mtu);
	(void)now;
	return 0;
}
