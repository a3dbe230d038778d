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
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "opts.h"

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

#define CFG_ALL ((uint32_t)DPSCTP_CFG_PATH * 2 - 1)
/* The daemon's limits (dataplane/abicfg.c, engine.h), checked here too so that an option set
 * before bind fails at setsockopt and not at bind. */
#define RTO_MS_MAX 3600000u
#define COOKIE_MS_MIN 1000u
#define COOKIE_MS_MAX 86400000u
#define SACK_DELAY_MS_MAX 500u /* RFC 9260 6.2 */
#define HB_MS_MAX 86400000u
#define AUTOCLOSE_S_MAX 86400u
#define MAXSEG_MIN 64u   /* DPSCTP_MAXSEG_MIN */
#define MAXSEG_MAX 9216u /* DPSCTP_MAX_PACKET */
#define PMTU_MIN 512u    /* Linux SCTP_DEFAULT_MINSEGMENT; the engine's lowest fixed MTU */
#define PMTU_MAX 9216u
#define BUF_MIN 1500u
#define BUF_MAX (1u << 30)
#define PF_OFF UINT32_MAX /* DPSCTP_PF_DISABLED */

/* Send flags a default sndinfo may carry (Linux's set, plus SENDALL and SACK-IMMEDIATELY). */
#define DEFAULT_SND_FLAGS                                                                   \
	(DPSCTP_UNORDERED | DPSCTP_ADDR_OVER | DPSCTP_ABORT | DPSCTP_EOF | DPSCTP_SENDALL | \
		DPSCTP_SACK_IMMEDIATELY)

/* Linux accepts PEER_ADDR_PARAMS without spp_ipv6_flowlabel / spp_dscp (older headers). */
#define PADDRPARAMS_OLD_LEN \
	((offsetof(struct dpsctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~(size_t)3)

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

static uint32_t
clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
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
		n.max_burst = d->max_burst == 0 ? 65535 : clamp_u32(d->max_burst, 1, 65535);
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
		n.a_rwnd = clamp_u32(d->a_rwnd, BUF_MIN, BUF_MAX);
	if (m & DPSCTP_CFG_SNDBUF)
		n.sndbuf = clamp_u32(d->sndbuf, BUF_MIN, BUF_MAX);
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

/*
 * The event types of struct dpsctp_event_subscribe, field by field (Linux's order); 0: not a
 * notification type (sctp_data_io_event). sctp_send_failure_event (the deprecated form) and
 * sctp_send_failure_event_event both name DPSCTP_SEND_FAILED_EVENT.
 */
static const uint16_t subscribe_types[sizeof(struct dpsctp_event_subscribe)] = {
	0,                             /* sctp_data_io_event */
	DPSCTP_ASSOC_CHANGE,           /* sctp_association_event */
	DPSCTP_PEER_ADDR_CHANGE,       /* sctp_address_event */
	DPSCTP_SEND_FAILED_EVENT,      /* sctp_send_failure_event */
	DPSCTP_REMOTE_ERROR,           /* sctp_peer_error_event */
	DPSCTP_SHUTDOWN_EVENT,         /* sctp_shutdown_event */
	DPSCTP_PARTIAL_DELIVERY_EVENT, /* sctp_partial_delivery_event */
	DPSCTP_ADAPTATION_INDICATION,  /* sctp_adaptation_layer_event */
	8,                             /* sctp_authentication_event (FreeBSD's number) */
	DPSCTP_SENDER_DRY_EVENT,       /* sctp_sender_dry_event */
	9,                             /* sctp_stream_reset_event */
	12,                            /* sctp_assoc_reset_event */
	13,                            /* sctp_stream_change_event */
	DPSCTP_SEND_FAILED_EVENT,      /* sctp_send_failure_event_event */
};

static uint32_t
event_bit(unsigned int type)
{
	return 1u << (type - DPSCTP_SN_TYPE_BASE);
}

/* The subscription as struct dpsctp_event_subscribe bytes. */
static void
events_to_subscribe(const struct dpsctp_sock_opts *o, uint8_t *b)
{
	for (size_t i = 0; i < sizeof(struct dpsctp_event_subscribe); i++)
		b[i] = subscribe_types[i] == 0 ? o->data_io_event
					       : (o->events & event_bit(subscribe_types[i])) != 0;
}

/*
 * Apply the first @p len bytes of a struct dpsctp_event_subscribe (any historical length) to the
 * subscription; the fields past @p len stay as they are. Two fields name SEND_FAILED_EVENT: the
 * one that differs from the current state wins (a program that read the structure, changed one
 * of them and wrote it back means that one).
 */
static void
events_from_subscribe(struct dpsctp_sock_opts *o, const uint8_t *b, size_t len)
{
	uint32_t ev = o->events;
	bool sf_cur = (o->events & event_bit(DPSCTP_SEND_FAILED_EVENT)) != 0, sf = sf_cur;

	for (size_t i = 0; i < len && i < sizeof(struct dpsctp_event_subscribe); i++) {
		unsigned int t = subscribe_types[i];
		bool on = b[i] != 0;

		if (t == 0)
			o->data_io_event = on;
		else if (t == DPSCTP_SEND_FAILED_EVENT) {
			if (on != sf_cur)
				sf = on;
		} else if (on)
			ev |= event_bit(t);
		else
			ev &= ~event_bit(t);
	}
	if (sf)
		ev |= event_bit(DPSCTP_SEND_FAILED_EVENT);
	else
		ev &= ~event_bit(DPSCTP_SEND_FAILED_EVENT);
	o->events = ev;
}

/* ------------------------------------------------------------------------------------------ */
/* Per-association send defaults                                                               */

static struct dpsctp_opts_assoc_defaults *
ad_find(struct dpsctp_sock_opts *o, uint32_t id)
{
	for (size_t i = 0; i < DPSCTP_OPTS_ASSOC_DEFAULTS; i++)
		if (o->assoc_defaults[i].id == id)
			return &o->assoc_defaults[i];
	return NULL;
}

/* The entry of @p id, made from the socket's defaults if it has none. NULL: table full. */
static struct dpsctp_opts_assoc_defaults *
ad_get(struct dpsctp_sock_opts *o, uint32_t id)
{
	struct dpsctp_opts_assoc_defaults *e = ad_find(o, id);

	if (e != NULL)
		return e;
	e = ad_find(o, 0);
	if (e == NULL)
		return NULL;
	e->id = id;
	e->sndinfo = o->default_sndinfo;
	e->prinfo = o->default_prinfo;
	return e;
}

void
dpsctp_opts_send_defaults(const struct dpsctp_sock_opts *o, uint32_t assoc_id,
	struct dpsctp_sndinfo *si, struct dpsctp_default_prinfo *pr)
{
	const struct dpsctp_opts_assoc_defaults *e = NULL;

	if (assoc_id != 0)
		e = ad_find((struct dpsctp_sock_opts *)o, assoc_id);
	if (si != NULL)
		*si = e != NULL ? e->sndinfo : o->default_sndinfo;
	if (pr != NULL)
		*pr = e != NULL ? e->prinfo : o->default_prinfo;
}

void
dpsctp_opts_assoc_forget(struct dpsctp_sock_opts *o, uint32_t assoc_id)
{
	struct dpsctp_opts_assoc_defaults *e;

	if (assoc_id == 0)
		return;
	e = ad_find(o, assoc_id);
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

/* ------------------------------------------------------------------------------------------ */
/* Association targets                                                                         */

/* Where a set applies. */
struct target {
	bool future;  /* the socket's defaults for associations to come */
	bool current; /* every association that exists now */
	bool one;     /* association @c id */
	uint32_t id;
};

static bool
one_to_many(const struct dpsctp_lsock *s)
{
	return dpsctp_lsock_type(s) == SOCK_SEQPACKET;
}

/*
 * Resolve the association id of a set. @p cur_all: the option accepts CURRENT / ALL.
 * @return 0, or -EINVAL (unknown association on one-to-many, CURRENT / ALL not allowed).
 */
static int
target_set(struct dpsctp_lsock *s, dpsctp_assoc_t id, bool cur_all, struct target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (!one_to_many(s)) {
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
static int
target_get(struct dpsctp_lsock *s, dpsctp_assoc_t id, struct target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (one_to_many(s) && id == DPSCTP_FUTURE_ASSOC) {
		t->future = true;
		return 0;
	}
	rc = dpsctp_lsock_assoc(s, id, &t->id);
	if (rc == -ENOTCONN && !one_to_many(s)) {
		t->future = true;
		return 0;
	}
	if (rc != 0)
		return rc;
	t->one = true;
	return 0;
}

/* An option about one association only (STATUS, PRIMARY_ADDR...). */
static int
target_assoc(struct dpsctp_lsock *s, dpsctp_assoc_t id, uint32_t *out)
{
	return dpsctp_lsock_assoc(s, id, out);
}

/* The socket's association ids now, in @p *out (free it). @return how many, or -ENOMEM. */
static int
assoc_ids(struct dpsctp_lsock *s, uint32_t **out)
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

/* An association that went away while we iterated is not an error of a CURRENT set. */
static bool
gone(int rc)
{
	return rc == -ENOENT || rc == -ENOTCONN;
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

/* A one-to-one socket that has its association. */
static bool
connected_one_to_one(struct dpsctp_lsock *s)
{
	uint32_t id;

	return !one_to_many(s) && dpsctp_lsock_assoc(s, 0, &id) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */

static int
assoc_set_cfg(struct dpsctp_lsock *s, uint32_t id, const struct dpsctp_abi_cfg *d)
{
	return dpsctp_lsock_request(s, id, DPSCTP_OP_SET_CFG, d, sizeof(*d), NULL, 0, NULL);
}

static int
assoc_get_cfg(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_cfg *c)
{
	size_t n = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_GET_CFG, NULL, 0, c, sizeof(*c), &n);
	if (rc == 0 && n < sizeof(*c))
		return -EPROTO;
	return rc;
}

static int
assoc_get_status(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_status *st)
{
	size_t n = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_GET_STATUS, NULL, 0, st, sizeof(*st), &n);
	if (rc == 0 && n < sizeof(*st))
		return -EPROTO;
	return rc;
}

/* GET_PADDR of @p p->addr; an address that is not the peer's is EINVAL (Linux, FreeBSD). */
static int
assoc_get_paddr(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_paddr *p)
{
	struct dpsctp_abi_paddr q = *p;
	size_t n = 0;
	int rc;

	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_GET_PADDR, &q, sizeof(q), p, sizeof(*p), &n);
	rc = not_peer_addr(rc, -EINVAL);
	if (rc == 0 && n < sizeof(*p))
		return -EPROTO;
	return rc;
}

static int
assoc_set_paddr(struct dpsctp_lsock *s, uint32_t id, const struct dpsctp_abi_paddr *p)
{
	return dpsctp_lsock_request(s, id, DPSCTP_OP_SET_PADDR, p, sizeof(*p), NULL, 0, NULL);
}

/* How many peer addresses association @p id has (GET_PADDRS). */
static int
assoc_npaddrs(struct dpsctp_lsock *s, uint32_t id, uint16_t *count)
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

/*
 * The configuration delta @p d for future associations: checked against what the library
 * knows, sent to the endpoint when bound (EP_UPDATE SET_CFG), recorded in the options.
 */
static int
future_set_cfg(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d)
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
static int
set_cfg(struct dpsctp_lsock *s, const struct target *t, const struct dpsctp_abi_cfg *d)
{
	uint32_t *ids = NULL;
	int rc = 0, n;

	if (t->future) {
		rc = future_set_cfg(s, d);
		if (rc != 0)
			return rc;
	}
	if (t->one)
		return assoc_set_cfg(s, t->id, d);
	if (!t->current)
		return 0;
	n = assoc_ids(s, &ids);
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
static int
set_cfg_socket(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d)
{
	struct target t = {.future = true, .current = true};

	if (!one_to_many(s)) {
		/* one-to-one: the future and its one association, if it has one */
		t.current = false;
		if (dpsctp_lsock_assoc(s, 0, &t.id) == 0)
			t.one = true;
	}
	return set_cfg(s, &t, d);
}

/* The configuration @p t reads: the future defaults or the association's. */
static int
get_cfg(struct dpsctp_lsock *s, const struct target *t, struct dpsctp_abi_cfg *c)
{
	if (t->future) {
		*c = dpsctp_lsock_opts(s)->eff;
		return 0;
	}
	return assoc_get_cfg(s, t->id, c);
}

/* ------------------------------------------------------------------------------------------ */
/* Lengths                                                                                     */

/* A structure option's set: exactly its size (Linux). */
static int
in_struct(const void *val, socklen_t len, void *out, size_t size)
{
	if ((size_t)len != size)
		return -EINVAL;
	memcpy(out, val, size);
	return 0;
}

/* An int option's set: at least an int (Linux). */
static int
in_int(const void *val, socklen_t len, int *v)
{
	if ((size_t)len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(*v));
	return 0;
}

/* A get of a structure: the caller's buffer must hold it; its input (an association id) read. */
static int
get_in(const void *val, const socklen_t *len, void *in, size_t size)
{
	if ((size_t)*len < size)
		return -EINVAL;
	memcpy(in, val, size);
	return 0;
}

static void
put(void *val, socklen_t *len, const void *v, size_t size)
{
	memcpy(val, v, size);
	*len = (socklen_t)size;
}

static int
put_int(void *val, socklen_t *len, int v)
{
	if ((size_t)*len < sizeof(int))
		return -EINVAL;
	put(val, len, &v, sizeof(v));
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
/* IPPROTO_SCTP: set                                                                           */

static int
set_rtoinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_rtoinfo ri;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_RTO};
	struct target t;
	int rc;

	if ((rc = in_struct(val, len, &ri, sizeof(ri))) != 0 ||
		(rc = target_set(s, ri.srto_assoc_id, false, &t)) != 0)
		return rc;
	d.rto_initial_ms = ri.srto_initial;
	d.rto_min_ms = ri.srto_min;
	d.rto_max_ms = ri.srto_max;
	/* an association checks RTO.Min <= RTO.Initial <= RTO.Max on its own values (worker) */
	return set_cfg(s, &t, &d);
}

static int
set_associnfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assocparams ap;
	struct dpsctp_abi_cfg d = {0};
	struct target t;
	int rc;

	if ((rc = in_struct(val, len, &ap, sizeof(ap))) != 0 ||
		(rc = target_set(s, ap.sasoc_assoc_id, false, &t)) != 0)
		return rc;
	if (ap.sasoc_asocmaxrxt != 0) {
		d.mask |= DPSCTP_CFG_ASSOC_MAX_RXT;
		d.assoc_max_retrans = ap.sasoc_asocmaxrxt;
	}
	if (ap.sasoc_cookie_life != 0) {
		/* FreeBSD clamps the cookie life into its range rather than failing */
		d.mask |= DPSCTP_CFG_COOKIE_LIFE;
		d.cookie_life_ms = clamp_u32(ap.sasoc_cookie_life, COOKIE_MS_MIN, COOKIE_MS_MAX);
	}
	if (d.mask == 0)
		return 0;
	return set_cfg(s, &t, &d);
}

static int
set_initmsg(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
	struct dpsctp_initmsg im, keep = o->initmsg;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_INIT};
	int rc;

	if ((rc = in_struct(val, len, &im, sizeof(im))) != 0)
		return rc;
	d.os = im.sinit_num_ostreams;
	d.mis = im.sinit_max_instreams;
	d.max_init_retrans = im.sinit_max_attempts;
	d.max_init_timeo_ms = im.sinit_max_init_timeo;
	rc = future_set_cfg(s, &d);
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

static int
set_bool_cfg(struct dpsctp_lsock *s, const void *val, socklen_t len, uint32_t mask)
{
	struct dpsctp_abi_cfg d = {.mask = mask};
	int v, rc;

	if ((rc = in_int(val, len, &v)) != 0)
		return rc;
	if (mask == DPSCTP_CFG_NODELAY)
		d.nodelay = v != 0;
	else
		d.disable_fragments = v != 0;
	return set_cfg_socket(s, &d);
}

static int
set_autoclose(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_AUTOCLOSE};
	uint32_t v;

	if ((size_t)len != sizeof(int))
		return -EINVAL;
	/* RFC 6458 8.1.8: one-to-many only (Linux and FreeBSD: EOPNOTSUPP) */
	if (!one_to_many(s))
		return -EOPNOTSUPP;
	memcpy(&v, val, sizeof(v));
	/* Linux clamps to its maximum rather than failing */
	d.autoclose_s = v > AUTOCLOSE_S_MAX ? AUTOCLOSE_S_MAX : v;
	return set_cfg_socket(s, &d);
}

static int
set_primary(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_setprim sp;
	struct dpsctp_abi_addr a;
	uint32_t id;
	int rc;

	if ((rc = in_struct(val, len, &sp, sizeof(sp))) != 0 ||
		(rc = target_assoc(s, sp.ssp_assoc_id, &id)) != 0)
		return rc;
	rc = opt_addr(&sp.ssp_addr, &a);
	if (rc != 0)
		return rc > 0 ? -EINVAL : rc;
	rc = dpsctp_lsock_request(s, id, DPSCTP_OP_SET_PRIMARY, &a, sizeof(a), NULL, 0, NULL);
	return not_peer_addr(rc, -EINVAL);
}

static int
set_adaptation(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_setadaptation sa;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_ADAPTATION};
	int rc;

	if ((rc = in_struct(val, len, &sa, sizeof(sa))) != 0)
		return rc;
	d.adaptation_ind = sa.ssb_adaptation_ind;
	d.has_adaptation = 1;
	/* sent in INIT / INIT ACK: only associations to come can carry it */
	return future_set_cfg(s, &d);
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

static int
set_sack(struct dpsctp_lsock *s, const struct target *t, uint32_t delay, uint32_t freq)
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
			(rc = future_set_cfg(s, &d)) != 0)
			return rc;
	}
	if (t->one) {
		if ((rc = assoc_get_cfg(s, t->id, &cur)) != 0 ||
			(rc = sack_delta(&cur, delay, freq, &d)) != 0)
			return rc;
		return assoc_set_cfg(s, t->id, &d);
	}
	if (!t->current)
		return 0;
	n = assoc_ids(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int e = assoc_get_cfg(s, ids[i], &cur);

		if (e == 0 && (e = sack_delta(&cur, delay, freq, &d)) == 0)
			e = assoc_set_cfg(s, ids[i], &d);
		if (e != 0 && !gone(e) && rc == 0)
			rc = e;
	}
	free(ids);
	return rc;
}

static int
set_paddrparams(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_paddrparams pp;
	struct dpsctp_abi_paddr p;
	struct target t;
	bool old = (size_t)len == PADDRPARAMS_OLD_LEN && PADDRPARAMS_OLD_LEN < sizeof(pp);
	int wild, rc;

	memset(&pp, 0, sizeof(pp));
	if (old)
		memcpy(&pp, val, PADDRPARAMS_OLD_LEN);
	else if ((rc = in_struct(val, len, &pp, sizeof(pp))) != 0)
		return rc;
	if ((rc = spp_check(&pp, old)) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pp.spp_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = target_set(s, pp.spp_assoc_id, false, &t)) != 0)
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
		if ((rc = future_set_cfg(s, &d)) != 0)
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
		return set_sack(s, &t, pp.spp_sackdelay, 0);
	if (pp.spp_flags & DPSCTP_SPP_SACKDELAY_DISABLE)
		return set_sack(s, &t, 0, 1);
	return 0;
}

static int
set_thlds(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_paddrthlds pt;
	struct dpsctp_abi_paddr p;
	struct target t;
	int wild, rc;

	if ((rc = in_struct(val, len, &pt, sizeof(pt))) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pt.spt_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = target_set(s, pt.spt_assoc_id, false, &t)) != 0)
		return rc;
	if (t.future) {
		struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);
		struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_PATH};

		if (!wild)
			return -ENOENT; /* Linux: no such path */
		d.hb_interval_ms = o->eff.hb_interval_ms;
		d.path_max_retrans = pt.spt_pathmaxrxt;
		d.pf_threshold = pt.spt_pathpfthld;
		return future_set_cfg(s, &d);
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

			if ((rc = assoc_get_cfg(s, t.id, &cur)) != 0)
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

/* DEFAULT_SNDINFO / DEFAULT_SEND_PARAM / DEFAULT_PRINFO: where the new defaults go. */
static int
set_send_defaults(struct dpsctp_lsock *s, dpsctp_assoc_t id, const struct dpsctp_sndinfo *si,
	const struct dpsctp_default_prinfo *pr)
{
	struct dpsctp_sock_opts *o;
	struct dpsctp_opts_assoc_defaults *e;
	struct target t;
	uint32_t *ids = NULL;
	int n = 0, rc;

	if ((rc = target_set(s, id, true, &t)) != 0)
		return rc;
	if (one_to_many(s) && (t.future || t.current)) {
		n = assoc_ids(s, &ids);
		if (n < 0)
			return n;
	}
	o = dpsctp_lsock_opts(s);
	if (!one_to_many(s)) {
		/* one association at most, and it follows the socket's defaults */
		t.future = true;
		t.one = false;
	}
	/* RFC 6458 7.2: FUTURE leaves the existing associations their current defaults */
	if (t.future && !t.current) {
		for (int i = 0; i < n; i++)
			if (ad_get(o, ids[i]) == NULL) {
				free(ids);
				return -ENOBUFS;
			}
	}
	if (t.current) {
		for (int i = 0; i < n; i++) {
			e = ad_get(o, ids[i]);
			if (e == NULL) {
				free(ids);
				return -ENOBUFS;
			}
			if (si != NULL)
				e->sndinfo = *si;
			if (pr != NULL)
				e->prinfo = *pr;
		}
	}
	free(ids);
	if (t.one) {
		e = ad_get(o, t.id);
		if (e == NULL)
			return -ENOBUFS;
		if (si != NULL)
			e->sndinfo = *si;
		if (pr != NULL)
			e->prinfo = *pr;
	}
	if (t.future) {
		if (si != NULL)
			o->default_sndinfo = *si;
		if (pr != NULL)
			o->default_prinfo = *pr;
	}
	return 0;
}

/* PR policy check (RFC 6458 8.1.32): the stack has no FORWARD-TSN, so TTL limits only the
 * time a message may wait before its first transmission; RTX and PRIO cannot be done. */
static int
prinfo_check(struct dpsctp_default_prinfo *pr)
{
	switch (pr->pr_policy) {
	case DPSCTP_PR_SCTP_NONE:
		pr->pr_value = 0;
		return 0;
	case DPSCTP_PR_SCTP_TTL:
		return 0;
	default:
		return -EINVAL;
	}
}

static int
set_default_send_param(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sndrcvinfo sr;
	struct dpsctp_sndinfo si;
	struct dpsctp_default_prinfo pr;
	int rc;

	if ((rc = in_struct(val, len, &sr, sizeof(sr))) != 0)
		return rc;
	if (sr.sinfo_flags & ~DEFAULT_SND_FLAGS)
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	si.snd_sid = sr.sinfo_stream;
	si.snd_flags = sr.sinfo_flags;
	si.snd_ppid = sr.sinfo_ppid;
	si.snd_context = sr.sinfo_context;
	si.snd_assoc_id = sr.sinfo_assoc_id;
	memset(&pr, 0, sizeof(pr));
	pr.pr_policy = sr.sinfo_timetolive != 0 ? DPSCTP_PR_SCTP_TTL : DPSCTP_PR_SCTP_NONE;
	pr.pr_value = sr.sinfo_timetolive;
	pr.pr_assoc_id = sr.sinfo_assoc_id;
	return set_send_defaults(s, sr.sinfo_assoc_id, &si, &pr);
}

static int
set_default_sndinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sndinfo si;
	int rc;

	if ((rc = in_struct(val, len, &si, sizeof(si))) != 0)
		return rc;
	if (si.snd_flags & ~DEFAULT_SND_FLAGS)
		return -EINVAL;
	return set_send_defaults(s, si.snd_assoc_id, &si, NULL);
}

static int
set_default_prinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_default_prinfo pr;
	int rc;

	if ((rc = in_struct(val, len, &pr, sizeof(pr))) != 0 || (rc = prinfo_check(&pr)) != 0)
		return rc;
	return set_send_defaults(s, pr.pr_assoc_id, NULL, &pr);
}

static int
set_event(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o;
	struct dpsctp_event ev;
	struct target t;
	int rc;

	if ((size_t)len < sizeof(ev))
		return -EINVAL;
	memcpy(&ev, val, sizeof(ev));
	if (ev.se_type <= DPSCTP_SN_TYPE_BASE || ev.se_type > DPSCTP_SN_TYPE_MAX)
		return -EINVAL;
	/* the id must be valid; the subscription itself is the socket's (every association) */
	if ((rc = target_set(s, ev.se_assoc_id, true, &t)) != 0)
		return rc;
	o = dpsctp_lsock_opts(s);
	if (ev.se_on)
		o->events |= event_bit(ev.se_type);
	else
		o->events &= ~event_bit(ev.se_type);
	return 0;
}

static int
set_events(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	/* Linux: any length up to the structure (older headers have fewer fields) */
	if ((size_t)len > sizeof(struct dpsctp_event_subscribe))
		return -EINVAL;
	events_from_subscribe(dpsctp_lsock_opts(s), val, len);
	return 0;
}

static int
set_mapped(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	int v, rc;

	if ((rc = in_int(val, len, &v)) != 0)
		return rc;
	/* FreeBSD: IPv6 sockets only; an IPv4 socket has no mapped addresses */
	if (dpsctp_lsock_family(s) != AF_INET6)
		return -EINVAL;
	dpsctp_lsock_opts(s)->mapped_v4 = v != 0;
	return 0;
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
	return in_struct(val, len, av, sizeof(*av));
}

static int
set_maxseg(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_MAXSEG};
	struct target t;
	int rc;

	if ((rc = in_assoc_value(val, len, &av)) != 0)
		return rc;
	if (av.assoc_value != 0 && (av.assoc_value < MAXSEG_MIN || av.assoc_value > MAXSEG_MAX))
		return -EINVAL;
	if ((rc = target_set(s, av.assoc_id, false, &t)) != 0)
		return rc;
	d.maxseg = av.assoc_value;
	return set_cfg(s, &t, &d);
}

static int
set_max_burst(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg d = {.mask = DPSCTP_CFG_MAX_BURST};
	struct target t;
	int rc;

	if ((rc = in_assoc_value(val, len, &av)) != 0 ||
		(rc = target_set(s, av.assoc_id, true, &t)) != 0)
		return rc;
	d.max_burst = av.assoc_value; /* 0: no limit (RFC 6458 8.1.24) */
	return set_cfg(s, &t, &d);
}

static int
set_delayed_sack(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sack_info si;
	struct target t;
	int rc;

	if ((size_t)len == sizeof(struct dpsctp_assoc_value)) {
		/* the deprecated form: assoc_value is the delay, 0 turns delayed SACK off */
		struct dpsctp_assoc_value av;

		memcpy(&av, val, sizeof(av));
		si.sack_assoc_id = av.assoc_id;
		si.sack_delay = av.assoc_value;
		si.sack_freq = av.assoc_value == 0 ? 1 : 0;
	} else if ((rc = in_struct(val, len, &si, sizeof(si))) != 0)
		return rc;
	if (si.sack_delay > SACK_DELAY_MS_MAX)
		return -EINVAL;
	if ((rc = target_set(s, si.sack_assoc_id, true, &t)) != 0)
		return rc;
	return set_sack(s, &t, si.sack_delay, si.sack_freq);
}

static int
set_context(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct target t;
	uint32_t *ids = NULL;
	int rc, n;

	if ((rc = in_struct(val, len, &av, sizeof(av))) != 0 ||
		(rc = target_set(s, av.assoc_id, true, &t)) != 0)
		return rc;
	if (t.one)
		return dpsctp_lsock_assoc_set_context(s, t.id, av.assoc_value);
	if (t.future)
		dpsctp_lsock_opts(s)->context = av.assoc_value;
	if (!t.current)
		return 0;
	n = assoc_ids(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		(void)dpsctp_lsock_assoc_set_context(s, ids[i], av.assoc_value);
	free(ids);
	return 0;
}

static int
set_pd_point(struct dpsctp_lsock *s, const void *val, socklen_t len)
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
	return set_cfg_socket(s, &d);
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
	if ((rc = in_int(val, len, &v)) != 0)
		return rc;
	*field = v != 0;
	return 0;
}

static int
sctp_set(struct dpsctp_lsock *s, int name, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);

	switch (name) {
	case DPSCTP_RTOINFO:
		return set_rtoinfo(s, val, len);
	case DPSCTP_ASSOCINFO:
		return set_associnfo(s, val, len);
	case DPSCTP_INITMSG:
		return set_initmsg(s, val, len);
	case DPSCTP_NODELAY:
		return set_bool_cfg(s, val, len, DPSCTP_CFG_NODELAY);
	case DPSCTP_AUTOCLOSE:
		return set_autoclose(s, val, len);
	case DPSCTP_PRIMARY_ADDR:
		return set_primary(s, val, len);
	case DPSCTP_ADAPTATION_LAYER:
		return set_adaptation(s, val, len);
	case DPSCTP_DISABLE_FRAGMENTS:
		return set_bool_cfg(s, val, len, DPSCTP_CFG_NOFRAG);
	case DPSCTP_PEER_ADDR_PARAMS:
		return set_paddrparams(s, val, len);
	case DPSCTP_DEFAULT_SEND_PARAM:
		return set_default_send_param(s, val, len);
	case DPSCTP_EVENTS:
		return set_events(s, val, len);
	case DPSCTP_I_WANT_MAPPED_V4_ADDR:
		return set_mapped(s, val, len);
	case DPSCTP_MAXSEG:
		return set_maxseg(s, val, len);
	case DPSCTP_DELAYED_SACK:
		return set_delayed_sack(s, val, len);
	case DPSCTP_CONTEXT:
		return set_context(s, val, len);
	case DPSCTP_FRAGMENT_INTERLEAVE:
		return set_frag_interleave(s, val, len);
	case DPSCTP_PARTIAL_DELIVERY_POINT:
		return set_pd_point(s, val, len);
	case DPSCTP_MAX_BURST:
		return set_max_burst(s, val, len);
	case DPSCTP_PEER_ADDR_THLDS:
		return set_thlds(s, val, len);
	case DPSCTP_RECVRCVINFO:
		return set_flag(s, val, len, &o->recvrcvinfo);
	case DPSCTP_RECVNXTINFO:
		return set_flag(s, val, len, &o->recvnxtinfo);
	case DPSCTP_DEFAULT_SNDINFO:
		return set_default_sndinfo(s, val, len);
	case DPSCTP_DEFAULT_PRINFO:
		return set_default_prinfo(s, val, len);
	case DPSCTP_EVENT:
		return set_event(s, val, len);
	case DPSCTP_EXPLICIT_EOR:
		return set_flag(s, val, len, &o->explicit_eor);
	case DPSCTP_BUSY_POLL:
		return set_flag(s, val, len, &o->busy_poll);
	default:
		/* read-only options (STATUS, GET_*) and unknown names alike */
		return -ENOPROTOOPT;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* IPPROTO_SCTP: get                                                                           */

static int
get_rtoinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_rtoinfo ri;
	struct dpsctp_abi_cfg c;
	struct target t;
	int rc;

	if ((rc = get_in(val, len, &ri, sizeof(ri))) != 0 ||
		(rc = target_get(s, ri.srto_assoc_id, &t)) != 0 || (rc = get_cfg(s, &t, &c)) != 0)
		return rc;
	ri.srto_initial = c.rto_initial_ms;
	ri.srto_max = c.rto_max_ms;
	ri.srto_min = c.rto_min_ms;
	put(val, len, &ri, sizeof(ri));
	return 0;
}

static int
get_associnfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assocparams ap;
	struct dpsctp_abi_cfg c;
	struct target t;
	int rc;

	if ((rc = get_in(val, len, &ap, sizeof(ap))) != 0 ||
		(rc = target_get(s, ap.sasoc_assoc_id, &t)) != 0 || (rc = get_cfg(s, &t, &c)) != 0)
		return rc;
	ap.sasoc_asocmaxrxt = (uint16_t)(c.assoc_max_retrans > 65535 ? 65535 : c.assoc_max_retrans);
	ap.sasoc_cookie_life = c.cookie_life_ms;
	ap.sasoc_local_rwnd = c.a_rwnd;
	ap.sasoc_number_peer_destinations = 0;
	ap.sasoc_peer_rwnd = 0;
	if (t.one) {
		struct dpsctp_abi_status st;

		if ((rc = assoc_get_status(s, t.id, &st)) != 0 ||
			(rc = assoc_npaddrs(s, t.id, &ap.sasoc_number_peer_destinations)) != 0)
			return rc;
		ap.sasoc_peer_rwnd = st.peer_rwnd;
	}
	put(val, len, &ap, sizeof(ap));
	return 0;
}

static int
get_status(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_status ss;
	struct dpsctp_abi_status st;
	uint32_t id;
	int rc;

	if ((rc = get_in(val, len, &ss, sizeof(ss))) != 0 ||
		(rc = target_assoc(s, ss.sstat_assoc_id, &id)) != 0 ||
		(rc = assoc_get_status(s, id, &st)) != 0)
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
	put(val, len, &ss, sizeof(ss));
	return 0;
}

static int
get_paddrinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrinfo pi;
	struct dpsctp_abi_paddr p;
	uint32_t id;
	int rc, wild;

	if ((rc = get_in(val, len, &pi, sizeof(pi))) != 0)
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
	put(val, len, &pi, sizeof(pi));
	return 0;
}

static int
get_primary(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_setprim sp;
	struct dpsctp_abi_status st;
	uint32_t id;
	int rc;

	if ((rc = get_in(val, len, &sp, sizeof(sp))) != 0 ||
		(rc = target_assoc(s, sp.ssp_assoc_id, &id)) != 0 ||
		(rc = assoc_get_status(s, id, &st)) != 0)
		return rc;
	if (st.primary.addr.family != 4 && st.primary.addr.family != 6)
		return -ENOTCONN; /* Linux: no primary path (yet) */
	sp.ssp_assoc_id = id;
	opt_addr_out(s, &st.primary.addr, st.peer_port, &sp.ssp_addr);
	put(val, len, &sp, sizeof(sp));
	return 0;
}

static int
get_paddrparams(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrparams pp;
	struct dpsctp_abi_paddr p;
	struct dpsctp_abi_cfg c;
	struct target t;
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
	if ((rc = target_get(s, pp.spp_assoc_id, &t)) != 0)
		return rc;
	if (t.future && !wild)
		return -EINVAL;
	if ((rc = get_cfg(s, &t, &c)) != 0)
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

		if ((rc = assoc_get_status(s, t.id, &st)) != 0)
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

static int
get_thlds(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_paddrthlds pt;
	struct dpsctp_abi_paddr p;
	struct dpsctp_abi_cfg c;
	struct target t;
	uint32_t pmr, pf;
	int rc, wild;

	if ((rc = get_in(val, len, &pt, sizeof(pt))) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	wild = opt_addr(&pt.spt_address, &p.addr);
	if (wild < 0)
		return wild;
	if ((rc = target_get(s, pt.spt_assoc_id, &t)) != 0)
		return rc;
	if (wild || t.future) {
		if (!wild)
			return -ENOENT;
		if ((rc = get_cfg(s, &t, &c)) != 0)
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
	put(val, len, &pt, sizeof(pt));
	return 0;
}

static int
get_send_defaults(struct dpsctp_lsock *s, dpsctp_assoc_t id, struct dpsctp_sndinfo *si,
	struct dpsctp_default_prinfo *pr)
{
	struct target t;
	int rc;

	if ((rc = target_get(s, id, &t)) != 0)
		return rc;
	dpsctp_opts_send_defaults(dpsctp_lsock_opts(s), t.one && one_to_many(s) ? t.id : 0, si, pr);
	return 0;
}

static int
get_default_send_param(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sndrcvinfo sr;
	struct dpsctp_sndinfo si;
	struct dpsctp_default_prinfo pr;
	dpsctp_assoc_t id;
	int rc;

	if ((rc = get_in(val, len, &sr, sizeof(sr))) != 0 ||
		(rc = get_send_defaults(s, sr.sinfo_assoc_id, &si, &pr)) != 0)
		return rc;
	id = sr.sinfo_assoc_id;
	memset(&sr, 0, sizeof(sr));
	sr.sinfo_stream = si.snd_sid;
	sr.sinfo_flags = si.snd_flags;
	sr.sinfo_ppid = si.snd_ppid;
	sr.sinfo_context = si.snd_context;
	sr.sinfo_timetolive = pr.pr_policy == DPSCTP_PR_SCTP_TTL ? pr.pr_value : 0;
	sr.sinfo_assoc_id = id;
	put(val, len, &sr, sizeof(sr));
	return 0;
}

static int
get_default_sndinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sndinfo in, si;
	int rc;

	if ((rc = get_in(val, len, &in, sizeof(in))) != 0 ||
		(rc = get_send_defaults(s, in.snd_assoc_id, &si, NULL)) != 0)
		return rc;
	si.snd_assoc_id = in.snd_assoc_id;
	put(val, len, &si, sizeof(si));
	return 0;
}

static int
get_default_prinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_default_prinfo in, pr;
	int rc;

	if ((rc = get_in(val, len, &in, sizeof(in))) != 0 ||
		(rc = get_send_defaults(s, in.pr_assoc_id, NULL, &pr)) != 0)
		return rc;
	pr.pr_assoc_id = in.pr_assoc_id;
	put(val, len, &pr, sizeof(pr));
	return 0;
}

static int
get_event(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_event ev;
	struct target t;
	int rc;

	if ((rc = get_in(val, len, &ev, sizeof(ev))) != 0)
		return rc;
	if (ev.se_type <= DPSCTP_SN_TYPE_BASE || ev.se_type > DPSCTP_SN_TYPE_MAX)
		return -EINVAL;
	if ((rc = target_get(s, ev.se_assoc_id, &t)) != 0)
		return rc;
	ev.se_on = (dpsctp_lsock_opts(s)->events & event_bit(ev.se_type)) != 0;
	put(val, len, &ev, sizeof(ev));
	return 0;
}

static int
get_events(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	uint8_t b[sizeof(struct dpsctp_event_subscribe)];
	size_t n = *len;

	/* Linux: any length from 1 to the structure; only that many fields are written */
	if (n == 0)
		return -EINVAL;
	if (n > sizeof(b))
		n = sizeof(b);
	events_to_subscribe(dpsctp_lsock_opts(s), b);
	put(val, len, b, n);
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
	return get_in(val, len, av, sizeof(*av));
}

static void
put_assoc_value(void *val, socklen_t *len, const struct dpsctp_assoc_value *av, size_t size)
{
	if (size == sizeof(int)) {
		int v = (int)av->assoc_value;

		put(val, len, &v, sizeof(v));
	} else
		put(val, len, av, sizeof(*av));
}

static int
get_maxseg(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct target t;
	size_t size;
	int rc;

	if ((rc = get_assoc_value_in(val, len, &av, &size)) != 0 ||
		(rc = target_get(s, av.assoc_id, &t)) != 0)
		return rc;
	if (t.future) {
		av.assoc_value = dpsctp_lsock_opts(s)->eff.maxseg;
	} else {
		/* Linux: an association's value is its fragmentation point now */
		struct dpsctp_abi_status st;

		if ((rc = assoc_get_status(s, t.id, &st)) != 0)
			return rc;
		av.assoc_value = st.frag_point;
	}
	put_assoc_value(val, len, &av, size);
	return 0;
}

static int
get_max_burst(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_abi_cfg c;
	struct target t;
	size_t size;
	int rc;

	if ((rc = get_assoc_value_in(val, len, &av, &size)) != 0 ||
		(rc = target_get(s, av.assoc_id, &t)) != 0 || (rc = get_cfg(s, &t, &c)) != 0)
		return rc;
	av.assoc_value = c.max_burst;
	put_assoc_value(val, len, &av, size);
	return 0;
}

static int
get_delayed_sack(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sack_info si;
	struct dpsctp_abi_cfg c;
	struct target t;
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
	if ((rc = target_get(s, si.sack_assoc_id, &t)) != 0 || (rc = get_cfg(s, &t, &c)) != 0)
		return rc;
	/* off (RFC 6458 8.1.19: sack_freq 1) reads as delay 0, frequency 1 (Linux) */
	si.sack_delay = c.sack_freq == 1 ? 0 : c.sack_delay_ms;
	si.sack_freq = c.sack_freq;
	if (old) {
		struct dpsctp_assoc_value av = {
			.assoc_id = si.sack_assoc_id, .assoc_value = si.sack_delay};

		put(val, len, &av, sizeof(av));
	} else
		put(val, len, &si, sizeof(si));
	return 0;
}

static int
get_context(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct target t;
	int rc;

	if ((rc = get_in(val, len, &av, sizeof(av))) != 0 ||
		(rc = target_get(s, av.assoc_id, &t)) != 0)
		return rc;
	if (t.future)
		av.assoc_value = dpsctp_lsock_opts(s)->context;
	else if ((rc = dpsctp_lsock_assoc_get_context(s, t.id, &av.assoc_value)) != 0)
		return rc;
	put(val, len, &av, sizeof(av));
	return 0;
}

static int
get_u32(void *val, socklen_t *len, uint32_t v)
{
	if ((size_t)*len < sizeof(v))
		return -EINVAL;
	put(val, len, &v, sizeof(v));
	return 0;
}

static int
get_assoc_number(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	uint32_t one[1];

	if (!one_to_many(s))
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

	if (!one_to_many(s))
		return -EOPNOTSUPP;
	if ((size_t)*len < sizeof(head))
		return -EINVAL;
	n = assoc_ids(s, &ids);
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

static int
sctp_get(struct dpsctp_lsock *s, int name, void *val, socklen_t *len)
{
	const struct dpsctp_sock_opts *o = dpsctp_lsock_opts(s);

	switch (name) {
	case DPSCTP_RTOINFO:
		return get_rtoinfo(s, val, len);
	case DPSCTP_ASSOCINFO:
		return get_associnfo(s, val, len);
	case DPSCTP_INITMSG:
		if ((size_t)*len < sizeof(o->initmsg))
			return -EINVAL;
		put(val, len, &o->initmsg, sizeof(o->initmsg));
		return 0;
	case DPSCTP_NODELAY:
		return put_int(val, len, o->eff.nodelay);
	case DPSCTP_AUTOCLOSE:
		if (!one_to_many(s))
			return -EOPNOTSUPP;
		return put_int(val, len, (int)o->eff.autoclose_s);
	case DPSCTP_PRIMARY_ADDR:
		return get_primary(s, val, len);
	case DPSCTP_ADAPTATION_LAYER: {
		struct dpsctp_setadaptation sa = {.ssb_adaptation_ind = o->eff.adaptation_ind};

		if ((size_t)*len < sizeof(sa))
			return -EINVAL;
		put(val, len, &sa, sizeof(sa));
		return 0;
	}
	case DPSCTP_DISABLE_FRAGMENTS:
		return put_int(val, len, o->eff.disable_fragments);
	case DPSCTP_PEER_ADDR_PARAMS:
		return get_paddrparams(s, val, len);
	case DPSCTP_DEFAULT_SEND_PARAM:
		return get_default_send_param(s, val, len);
	case DPSCTP_EVENTS:
		return get_events(s, val, len);
	case DPSCTP_I_WANT_MAPPED_V4_ADDR:
		return put_int(val, len, o->mapped_v4);
	case DPSCTP_MAXSEG:
		return get_maxseg(s, val, len);
	case DPSCTP_STATUS:
		return get_status(s, val, len);
	case DPSCTP_GET_PEER_ADDR_INFO:
		return get_paddrinfo(s, val, len);
	case DPSCTP_DELAYED_SACK:
		return get_delayed_sack(s, val, len);
	case DPSCTP_CONTEXT:
		return get_context(s, val, len);
	case DPSCTP_FRAGMENT_INTERLEAVE:
		return put_int(val, len, (int)o->fragment_interleave);
	case DPSCTP_PARTIAL_DELIVERY_POINT:
		return get_u32(val, len, o->eff.pd_point);
	case DPSCTP_MAX_BURST:
		return get_max_burst(s, val, len);
	case DPSCTP_GET_ASSOC_NUMBER:
		return get_assoc_number(s, val, len);
	case DPSCTP_GET_ASSOC_ID_LIST:
		return get_assoc_id_list(s, val, len);
	case DPSCTP_PEER_ADDR_THLDS:
		return get_thlds(s, val, len);
	case DPSCTP_RECVRCVINFO:
		return put_int(val, len, o->recvrcvinfo);
	case DPSCTP_RECVNXTINFO:
		return put_int(val, len, o->recvnxtinfo);
	case DPSCTP_DEFAULT_SNDINFO:
		return get_default_sndinfo(s, val, len);
	case DPSCTP_DEFAULT_PRINFO:
		return get_default_prinfo(s, val, len);
	case DPSCTP_EVENT:
		return get_event(s, val, len);
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

		if ((rc = in_int(val, len, &v)) != 0)
			return rc;
		/* as the daemon clamps (Linux clamps too, and doubles: we do not) */
		b = clamp_u32((uint32_t)v, BUF_MIN, BUF_MAX);
		if (name == SO_SNDBUF) {
			d.mask = DPSCTP_CFG_SNDBUF;
			d.sndbuf = b;
		} else {
			d.mask = DPSCTP_CFG_RCVBUF;
			d.a_rwnd = b;
		}
		rc = set_cfg_socket(s, &d);
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
	put(val, len, v, size);
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
	if ((rc = in_int(val, len, &v)) != 0)
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
