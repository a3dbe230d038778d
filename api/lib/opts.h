/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp internal: the per-socket option state (what setsockopt changes and getsockopt reads
 * that lives in the library). Owned by opt.c; the rest of the library reads the fields.
 * Values that the daemon needs travel as struct dpsctp_abi_cfg (EP_OPEN / EP_UPDATE for future
 * associations, OP_SET_CFG for one association).
 */
#ifndef DPSCTP_LIB_OPTS_H
#define DPSCTP_LIB_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "dpsctp/dpsctp.h"
#include "shm.h"

/** Option state of one socket. */
struct dpsctp_sock_opts {
	uint32_t events;            /**< bit (type - DPSCTP_SN_TYPE_BASE): notification subscribed */
	bool recvrcvinfo;           /**< DPSCTP_RECVRCVINFO */
	bool recvnxtinfo;           /**< DPSCTP_RECVNXTINFO */
	bool explicit_eor;          /**< DPSCTP_EXPLICIT_EOR */
	bool mapped_v4;             /**< DPSCTP_I_WANT_MAPPED_V4_ADDR */
	bool v6only;                /**< IPV6_V6ONLY */
	bool busy_poll;             /**< DPSCTP_BUSY_POLL: drain channels in the caller, spin */
	bool linger_on;             /**< SO_LINGER l_onoff */
	int linger_s;               /**< SO_LINGER l_linger */
	uint32_t context;           /**< DPSCTP_CONTEXT default (future associations) */
	uint32_t fragment_interleave; /**< DPSCTP_FRAGMENT_INTERLEAVE level (0..2) */
	uint32_t sndbuf;            /**< SO_SNDBUF: send credit per association, bytes */
	uint32_t rcvbuf;            /**< SO_RCVBUF: receive window (a_rwnd), bytes */
	struct dpsctp_sndinfo default_sndinfo; /**< DPSCTP_DEFAULT_SNDINFO / DEFAULT_SEND_PARAM */
	struct dpsctp_default_prinfo default_prinfo; /**< DPSCTP_DEFAULT_PRINFO */
	struct dpsctp_initmsg initmsg; /**< DPSCTP_INITMSG */
	struct dpsctp_abi_cfg cfg;  /**< protocol values for future associations (mask: what was set) */
};

/** Defaults of a new socket of @p type (SOCK_STREAM or SOCK_SEQPACKET). */
void dpsctp_opts_init(struct dpsctp_sock_opts *o, int type);

#endif
