/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp internal: the per-socket option state (what setsockopt changes and getsockopt reads
 * that lives in the library). Owned by opt*.c; the rest of the library reads the fields.
 * Values that the daemon needs travel as struct dpsctp_abi_cfg (EP_OPEN / EP_UPDATE for future
 * associations, OP_SET_CFG for one association).
 */
#ifndef DPSCTP_LIB_OPTS_H
#define DPSCTP_LIB_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "dpsctp/dpsctp.h"
#include "shm.h"

/** Associations of one socket that may carry their own send defaults (DEFAULT_SNDINFO...). */
#define DPSCTP_OPTS_ASSOC_DEFAULTS 64

/**
 * Send defaults of one association of a one-to-many socket, set with a specific association id
 * or DPSCTP_CURRENT_ASSOC / ALL_ASSOC (RFC 6458 8.1.10, 8.1.31, 8.1.32), or kept as they were
 * when DPSCTP_FUTURE_ASSOC changed the socket's.
 */
struct dpsctp_opts_assoc_defaults {
	uint32_t id;                         /**< association id; 0: entry free */
	struct dpsctp_sndinfo sndinfo;       /**< its default sndinfo */
	struct dpsctp_default_prinfo prinfo; /**< its default PR policy */
};

/** Option state of one socket. */
struct dpsctp_sock_opts {
	uint32_t events;    /**< bit (type - DPSCTP_SN_TYPE_BASE): notification subscribed */
	bool data_io_event; /**< DPSCTP_EVENTS sctp_data_io_event: DPSCTP_SNDRCV on receive */
	bool recvrcvinfo;   /**< DPSCTP_RECVRCVINFO */
	bool recvnxtinfo;   /**< DPSCTP_RECVNXTINFO */
	bool explicit_eor;  /**< DPSCTP_EXPLICIT_EOR */
	bool mapped_v4;     /**< DPSCTP_I_WANT_MAPPED_V4_ADDR */
	bool v6only;        /**< IPV6_V6ONLY */
	bool busy_poll;     /**< DPSCTP_BUSY_POLL: drain channels in the caller, spin */
	bool linger_on;     /**< SO_LINGER l_onoff */
	bool reuseaddr;     /**< SO_REUSEADDR / SO_REUSEPORT: stored, no effect */
	int linger_s;       /**< SO_LINGER l_linger */
	uint32_t context;   /**< DPSCTP_CONTEXT default (future associations) */
	uint32_t fragment_interleave;          /**< DPSCTP_FRAGMENT_INTERLEAVE level (0..2) */
	uint32_t sndbuf;                       /**< SO_SNDBUF: send credit per association, bytes */
	uint32_t rcvbuf;                       /**< SO_RCVBUF: receive window (a_rwnd), bytes */
	struct dpsctp_sndinfo default_sndinfo; /**< DPSCTP_DEFAULT_SNDINFO / DEFAULT_SEND_PARAM */
	struct dpsctp_default_prinfo default_prinfo; /**< DPSCTP_DEFAULT_PRINFO */
	struct dpsctp_initmsg initmsg;               /**< DPSCTP_INITMSG */
	/**
	 * Protocol values for future associations that the application set: @c mask names the
	 * groups set; within a group, a zero where RFC 6458 says "0: no change" (RTOs,
	 * retransmission limits, cookie life, stream counts, max_init_timeo, sack_freq,
	 * path_max_retrans) was not set and leaves the daemon's default. Sent with EP_OPEN at bind
	 * (later changes go by EP_UPDATE from optcfg.c).
	 */
	struct dpsctp_abi_cfg cfg;
	/**
	 * What future associations get, as far as the library knows (every group, mask all):
	 * RFC 9260 defaults overlaid with what was set. getsockopt on DPSCTP_FUTURE_ASSOC reads it.
	 * dpsctp_opts_endpoint_cfg() replaces it with the daemon's answer when it has one.
	 */
	struct dpsctp_abi_cfg eff;
	uint32_t path_hb_ms; /**< PEER_ADDR_PARAMS spp_hbinterval default for new paths (ms) */
	bool path_hb_on;     /**< heartbeats on for new paths (SPP_HB_ENABLE / DISABLE) */
	/** Per-association send defaults (one-to-many), see struct dpsctp_opts_assoc_defaults. */
	struct dpsctp_opts_assoc_defaults assoc_defaults[DPSCTP_OPTS_ASSOC_DEFAULTS];
};

/** Defaults of a new socket of @p type (SOCK_STREAM or SOCK_SEQPACKET). */
void dpsctp_opts_init(struct dpsctp_sock_opts *o, int type);

/**
 * The send defaults a message of association @p assoc_id gets when the sender gave none
 * (DPSCTP_DEFAULT_SNDINFO / DEFAULT_SEND_PARAM / DEFAULT_PRINFO): the association's own if it
 * has some, else the socket's. Either pointer may be NULL.
 */
void dpsctp_opts_send_defaults(const struct dpsctp_sock_opts *o, uint32_t assoc_id,
	struct dpsctp_sndinfo *si, struct dpsctp_default_prinfo *pr);

/** Association @p assoc_id is gone (or peeled off): forget its per-association defaults. */
void dpsctp_opts_assoc_forget(struct dpsctp_sock_opts *o, uint32_t assoc_id);

/**
 * The daemon reported the endpoint's configuration @p c (every group: the EP_OPEN / EP_UPDATE
 * answer): what future associations get. Ignored unless @p c has every DPSCTP_CFG_* bit.
 */
void dpsctp_opts_endpoint_cfg(struct dpsctp_sock_opts *o, const struct dpsctp_abi_cfg *c);

#endif
