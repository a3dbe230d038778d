/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The attach protocol: libdpsctp <-> dpsctpd's control plane over a unix SOCK_SEQPACKET socket
 * (attach.path of the configuration). One request, one answer, in order; a message is one
 * struct dpsctp_rpc (fixed size, host byte order: both ends are on the same machine).
 *
 *   HELLO     the first request. The daemon checks SO_PEERCRED against attach.uids/gids and
 *             answers with the shared memory (shm.h) and the session's eventfd, both passed
 *             with SCM_RIGHTS (fds[0] memfd, fds[1] eventfd), or an error (EACCES, EPROTO for
 *             an ABI major it does not speak, ENOBUFS when no session slot is free).
 *   EP_OPEN   create an endpoint (bind): port (0: an ephemeral one), addresses (none: every
 *             address of the daemon of the family; an AF_INET6 socket without V6ONLY gets the
 *             IPv4 ones too), initial configuration. Answers svc, the port and the addresses.
 *             EADDRINUSE (port taken), EADDRNOTAVAIL (not our address), ENOBUFS (no slot).
 *   EP_UPDATE the endpoint's addresses (bindx), listening, configuration for future
 *             associations, SO_LINGER. EINVAL, EADDRNOTAVAIL, ENOENT (no such svc of ours).
 *   EP_CLOSE  the socket that owned the endpoint closed: shut down (or abort, per linger) what
 *             associations are left, then free the endpoint.
 *
 * The session ends when the socket closes (the application exited or crashed): every endpoint
 * of the session is closed as EP_CLOSE would, and the memory reclaimed once no worker uses it.
 * When the daemon exits, the application sees the socket close (ECONNRESET from then on).
 */
#ifndef DPSCTP_ABI_RPC_H
#define DPSCTP_ABI_RPC_H

#include <stdint.h>

#include "shm.h"

enum dpsctp_rpc_op {
	DPSCTP_RPC_HELLO = 1,
	DPSCTP_RPC_EP_OPEN,
	DPSCTP_RPC_EP_UPDATE,
	DPSCTP_RPC_EP_CLOSE,
};

/** EP_OPEN / EP_UPDATE flags. */
enum {
	DPSCTP_RPC_LISTEN = 1u << 0,    /**< accept incoming associations */
	DPSCTP_RPC_V6ONLY = 1u << 1,    /**< an AF_INET6 socket that takes no IPv4 addresses */
	DPSCTP_RPC_SET_ADDRS = 1u << 2, /**< EP_UPDATE: replace the addresses with @c addrs */
	DPSCTP_RPC_SET_LISTEN = 1u << 3, /**< EP_UPDATE: set listening from DPSCTP_RPC_LISTEN */
	DPSCTP_RPC_SET_CFG = 1u << 4,   /**< EP_UPDATE: apply @c cfg (its mask) to future associations */
	DPSCTP_RPC_SET_LINGER = 1u << 5, /**< EP_OPEN / EP_UPDATE: @c linger_abort */
};

#define DPSCTP_RPC_MAX_ADDRS 16

/** A request or its answer (same structure; the answer fills @c result and what it reports). */
struct dpsctp_rpc {
	uint32_t op;        /**< enum dpsctp_rpc_op */
	uint32_t seq;       /**< the requester's number, echoed */
	int32_t result;     /**< answer: 0 or -errno */
	uint32_t flags;     /**< DPSCTP_RPC_* */
	/* HELLO */
	uint16_t major, minor; /**< request: the library's ABI; answer: the daemon's */
	uint32_t session;   /**< answer */
	uint64_t shm_size;  /**< answer: bytes of the memfd */
	uint32_t nworkers;  /**< answer */
	uint32_t owner_bits; /**< answer */
	uint32_t ring_entries, data_bytes; /**< answer */
	/* endpoints */
	uint32_t svc;       /**< EP_UPDATE / EP_CLOSE request, EP_OPEN answer */
	uint16_t port;      /**< EP_OPEN: wanted (0: ephemeral); answer: the port */
	uint8_t family;     /**< EP_OPEN: 4 or 6 (the socket's) */
	uint8_t linger_abort; /**< EP_UPDATE with SET_LINGER: close with ABORT (SO_LINGER 0) */
	uint32_t naddrs;    /**< addresses in @c addrs */
	struct dpsctp_abi_addr addrs[DPSCTP_RPC_MAX_ADDRS];
	/** EP_OPEN / EP_UPDATE with SET_CFG: what to change (mask); answer: the endpoint's values */
	struct dpsctp_abi_cfg cfg;
};

#endif
