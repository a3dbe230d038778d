/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal: the association state machine (Linux net/sctp style). For each received chunk
 * kind and association state, a table names the handler of the RFC section that applies
 * (sm.c). Handlers only look: they read the association through a const pointer and write a
 * list of commands. One interpreter (sideeffect.c) applies them in order.
 */
#ifndef DPSCTP_SCTP_SM_H
#define DPSCTP_SCTP_SM_H

#include <stdint.h>

#include "assoc.h"
#include "chunk.h"
#include "cookie.h"
#include "initparam.h"
#include "packet.h"

/** What became of a chunk. */
enum dpsctp_disp {
	DPSCTP_DISP_CONSUME = 0,  /**< processed */
	DPSCTP_DISP_DISCARD,      /**< ignored (counted under the command's drop reason) */
	DPSCTP_DISP_STOP,         /**< ignore the rest of the packet too */
	DPSCTP_DISP_GONE,         /**< the association ended */
};

/** One received chunk, decoded, with where and when it arrived. */
struct dpsctp_sm_input {
	const struct dpsctp_packet_info *pi; /**< the packet */
	const struct dpsctp_chunk *chunk;    /**< the chunk (raw) */
	const union dpsctp_chunk_view *v;    /**< the chunk, decoded */
	const struct dpsctp_path *path;      /**< path it arrived on */
	uint64_t now;                        /**< arrival time, ns */
};

/** Commands a handler can give. */
enum dpsctp_cmd_type {
	DPSCTP_CMD_STATE,          /**< u.state */
	DPSCTP_CMD_TIMER_START,    /**< u.timer */
	DPSCTP_CMD_TIMER_STOP,     /**< u.timer */
	DPSCTP_CMD_SEND,           /**< u.send: DPSCTP_SEND_* bits */
	DPSCTP_CMD_EVENT,          /**< u.ev */
	DPSCTP_CMD_DROP,           /**< u.drop: count a discard reason */
	DPSCTP_CMD_PEER_INIT_ACK,  /**< u.init: take the peer's INIT ACK (COOKIE-WAIT) */
	DPSCTP_CMD_PEER_COOKIE,    /**< u.cookie: take tags and peer parameters from a cookie */
	DPSCTP_CMD_QUEUE_CAUSE,    /**< u.cause: an error cause for the next ERROR chunk */
	DPSCTP_CMD_REPLY_INIT_ACK, /**< answer an INIT on the arrival path (5.2.1, 5.2.2) */
	DPSCTP_CMD_REPLY_ABORT,    /**< u.reply: a stateless ABORT on the arrival path */
	DPSCTP_CMD_REPLY_ERROR,    /**< u.reply: a stateless ERROR on the arrival path */
	DPSCTP_CMD_REPLY_SC_T,     /**< u.reply: SHUTDOWN COMPLETE with the T bit (8.4 rule 5) */
	DPSCTP_CMD_REPLY_SHUTDOWN_ACK_ERR, /**< u.reply: SHUTDOWN ACK + Cookie In Shutdown (5.2.4 A) */
	DPSCTP_CMD_HB_ACK,         /**< u.data: echo this Heartbeat Info */
	DPSCTP_CMD_HB_ACKED,       /**< u.data: our HEARTBEAT came back with this Heartbeat Info */
	DPSCTP_CMD_RTT,            /**< u.rtt: an RTT measurement */
	DPSCTP_CMD_PEER_RWND,      /**< u.value */
	DPSCTP_CMD_STALE_REINIT,   /**< u.value: Cookie Preservative (ms) for the new INIT */
	DPSCTP_CMD_FREE_COOKIE,    /**< the cookie to echo is no longer needed */
	DPSCTP_CMD_END,            /**< u.end: the association ends (abort or failure) */
	DPSCTP_CMD_CLOSE,          /**< u.close: the association ends gracefully */
	DPSCTP_CMD_DATA,           /**< the input's DATA chunk goes to the receiver (rcv.c) */
	DPSCTP_CMD_SACK,           /**< the input's SACK goes to the sender (outq.c) */
	DPSCTP_CMD_SHUTDOWN_CUM,   /**< u.value: a SHUTDOWN's Cumulative TSN Ack (9.2) */
	DPSCTP_CMD_SHUTDOWN_PROGRESS, /**< send SHUTDOWN / SHUTDOWN ACK once all is acked */
};

struct dpsctp_cmd {
	enum dpsctp_cmd_type type;
	union {
		enum dpsctp_state state;
		enum dpsctp_timer timer;
		uint32_t send;
		enum dpsctp_drop drop;
		uint64_t rtt;
		uint32_t value;
		struct dpsctp_event ev;
		struct {
			const struct dpsctp_init *init;
			const struct dpsctp_init_params *params;
		} init;
		struct {
			const struct dpsctp_cookie *cookie;
			const struct dpsctp_init *init;
			const struct dpsctp_init_params *params;
			bool restart;
		} cookie;
		struct {
			uint16_t code;
			const void *data;
			size_t len;
		} cause;
		struct {
			uint32_t vtag;
			uint16_t cause;
			const void *data;
			size_t len;
		} reply;
		struct {
			const uint8_t *data;
			size_t len;
		} data;
		struct {
			enum dpsctp_abort_code code;
			bool send_abort;
			uint16_t cause;
			const void *data;
			size_t len;
			const uint8_t *peer_causes;
			size_t peer_causes_len;
			enum dpsctp_assoc_change_state ev;
		} end;
		struct {
			bool send_sc;
		} close;
	} u;
};

#define DPSCTP_MAX_CMDS 16

/** The commands of one handler, plus scratch space their pointers may refer to. */
struct dpsctp_cmds {
	unsigned int n;
	struct dpsctp_cmd c[DPSCTP_MAX_CMDS];
	struct dpsctp_init init;            /* decoded INIT inside a cookie */
	struct dpsctp_init_params params;   /* parsed INIT / INIT ACK parameters */
	struct dpsctp_cookie cookie;        /* an opened cookie */
	size_t report_len;
	uint8_t report[256];                /* unrecognised parameters to report */
	uint8_t tmp[8];
};

/**
 * Run the handler for the chunk in @p in on @p a: decide (sm.c), then apply (sideeffect.c).
 * @return enum dpsctp_disp.
 */
enum dpsctp_disp dpsctp_sm_chunk(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in);

/** Apply @p cmds to @p a; returns DPSCTP_DISP_GONE if it ended, else @p disp. */
enum dpsctp_disp dpsctp_sm_apply(struct dpsctp_assoc *a, const struct dpsctp_sm_input *in,
	struct dpsctp_cmds *cmds, enum dpsctp_disp disp);

/**
 * A COOKIE ECHO for which no association exists (RFC 9260 5.1.5): validate it and, if good,
 * create the association in ESTABLISHED. @return 0 (*out set) or enum dpsctp_drop + 1.
 */
int dpsctp_sm_cookie_echo_new(struct dpsctp_endpoint *ep, const struct dpsctp_packet_info *pi,
	const struct dpsctp_path *path, uint64_t now, struct dpsctp_assoc **out);

/** Whether the state machine has a row for chunk @p type (others follow the unknown rules). */
bool dpsctp_sm_handles(uint8_t type);

#endif /* DPSCTP_SCTP_SM_H */
