/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp internal: what the socket option modules share. opt.c dispatches
 * (dpsctp_opt_set / dpsctp_opt_get) to the handlers of optproto.c, optpath.c, optsend.c and
 * optevent.c; all of them resolve association ids and check lengths with opt.c's helpers and
 * send protocol values through optcfg.c. Nothing outside api/lib/opt*.c includes this.
 */
#ifndef DPSCTP_LIB_OPTINT_H
#define DPSCTP_LIB_OPTINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib.h"

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

/* Where a set applies. */
struct dpsctp_opt_target {
	bool future;  /* the socket's defaults for associations to come */
	bool current; /* every association that exists now */
	bool one;     /* association @c id */
	uint32_t id;
};

/* ---- opt.c: association ids (RFC 6458 7.2) and lengths ---- */

/** A one-to-many (SOCK_SEQPACKET) socket. */
bool dpsctp_opt_one_to_many(const struct dpsctp_lsock *s);

/**
 * Resolve the association id of a set. @p cur_all: the option accepts CURRENT / ALL.
 * @return 0, or -EINVAL (unknown association on one-to-many, CURRENT / ALL not allowed).
 */
int dpsctp_opt_target_set(
	struct dpsctp_lsock *s, dpsctp_assoc_t id, bool cur_all, struct dpsctp_opt_target *t);

/** Resolve the association id of a get: the socket's default (future) or one association. */
int dpsctp_opt_target_get(struct dpsctp_lsock *s, dpsctp_assoc_t id, struct dpsctp_opt_target *t);

/** The socket's association ids now, in @p *out (free it). @return how many, or -ENOMEM. */
int dpsctp_opt_assoc_ids(struct dpsctp_lsock *s, uint32_t **out);

/** A structure option's set: exactly its size (Linux). */
int dpsctp_opt_in_struct(const void *val, socklen_t len, void *out, size_t size);

/** An int option's set: at least an int (Linux). */
int dpsctp_opt_in_int(const void *val, socklen_t len, int *v);

/** A get of a structure: the caller's buffer must hold it; its input (an association id) read. */
int dpsctp_opt_get_in(const void *val, const socklen_t *len, void *in, size_t size);

/** A get's answer: @p size bytes of @p v to @p val, @p *len set to @p size. */
void dpsctp_opt_put(void *val, socklen_t *len, const void *v, size_t size);

/* ---- optcfg.c: struct dpsctp_abi_cfg, and where a change of it goes ---- */

/** @p v within [@p lo, @p hi]. */
uint32_t dpsctp_optcfg_clamp(uint32_t v, uint32_t lo, uint32_t hi);

/** The configuration of association @p id (OP_GET_CFG). */
int dpsctp_optcfg_assoc_get(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_cfg *c);

/**
 * The configuration delta @p d for future associations: checked against what the library
 * knows, sent to the endpoint when bound (EP_UPDATE SET_CFG), recorded in the options.
 */
int dpsctp_optcfg_future_set(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d);

/** Apply @p d where @p t says: future defaults first (checked locally), then associations. */
int dpsctp_optcfg_set(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, const struct dpsctp_abi_cfg *d);

/** A socket-wide value (NODELAY, SO_RCVBUF...): the future defaults and every association. */
int dpsctp_optcfg_set_socket(struct dpsctp_lsock *s, const struct dpsctp_abi_cfg *d);

/** The configuration @p t reads: the future defaults or the association's. */
int dpsctp_optcfg_get(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, struct dpsctp_abi_cfg *c);

/**
 * The SACK delay (ms, 0: keep) and frequency (0: keep, 1: delayed SACK off) of
 * PEER_ADDR_PARAMS and DELAYED_SACK where @p t says.
 */
int dpsctp_optcfg_set_sack(
	struct dpsctp_lsock *s, const struct dpsctp_opt_target *t, uint32_t delay, uint32_t freq);

/* ---- optpath.c: association status, paths ---- */

/** The status of association @p id (OP_GET_STATUS). */
int dpsctp_optpath_assoc_status(struct dpsctp_lsock *s, uint32_t id, struct dpsctp_abi_status *st);

/** How many peer addresses association @p id has (GET_PADDRS). */
int dpsctp_optpath_assoc_npaddrs(struct dpsctp_lsock *s, uint32_t id, uint16_t *count);

/*
 * The handlers of IPPROTO_SCTP options, by module; opt.c's sctp_set / sctp_get call them. A set
 * takes the caller's value and length, a get its buffer and length (in: room; out: written).
 * @return 0 or -errno.
 */

/* optproto.c: protocol parameters (RTO, association, INIT, SACK, segment, burst...) */
int dpsctp_optproto_set_rtoinfo(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_associnfo(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_initmsg(struct dpsctp_lsock *s, const void *val, socklen_t len);
/** NODELAY (@p mask DPSCTP_CFG_NODELAY) or DISABLE_FRAGMENTS (DPSCTP_CFG_NOFRAG). */
int dpsctp_optproto_set_bool_cfg(
	struct dpsctp_lsock *s, const void *val, socklen_t len, uint32_t mask);
int dpsctp_optproto_set_autoclose(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_adaptation(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_maxseg(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_max_burst(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_delayed_sack(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_set_pd_point(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optproto_get_rtoinfo(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optproto_get_associnfo(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optproto_get_maxseg(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optproto_get_max_burst(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optproto_get_delayed_sack(struct dpsctp_lsock *s, void *val, socklen_t *len);

/* optpath.c: PRIMARY_ADDR, PEER_ADDR_PARAMS, PEER_ADDR_THLDS, STATUS, GET_PEER_ADDR_INFO */
int dpsctp_optpath_set_primary(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optpath_set_paddrparams(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optpath_set_thlds(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optpath_get_status(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optpath_get_paddrinfo(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optpath_get_primary(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optpath_get_paddrparams(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optpath_get_thlds(struct dpsctp_lsock *s, void *val, socklen_t *len);

/* optsend.c: DEFAULT_SEND_PARAM, DEFAULT_SNDINFO, DEFAULT_PRINFO, CONTEXT */
int dpsctp_optsend_set_default_send_param(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optsend_set_default_sndinfo(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optsend_set_default_prinfo(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optsend_set_context(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optsend_get_default_send_param(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optsend_get_default_sndinfo(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optsend_get_default_prinfo(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optsend_get_context(struct dpsctp_lsock *s, void *val, socklen_t *len);

/* optevent.c: EVENT, EVENTS (notification subscription) */
int dpsctp_optevent_set_event(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optevent_set_events(struct dpsctp_lsock *s, const void *val, socklen_t len);
int dpsctp_optevent_get_event(struct dpsctp_lsock *s, void *val, socklen_t *len);
int dpsctp_optevent_get_events(struct dpsctp_lsock *s, void *val, socklen_t *len);

#endif
