/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp internal interface between the core (session.c, socket.c, io.c, notify.c) and the
 * options (opt*.c). The core owns the structures; the options use only what is declared here.
 *
 * Locking: every function here takes the locks it needs; none may be called with a socket
 * lock held unless it says so.
 */
#ifndef DPSCTP_LIB_H
#define DPSCTP_LIB_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpsctp/dpsctp.h"
#include "opts.h"
#include "rpc.h"
#include "shm.h"

/** Marks a public API definition: exported from the shared library (the rest is hidden). */
#define DPSCTP_EXPORT __attribute__((visibility("default")))

struct dpsctp_lsock; /* a socket (core) */

/**
 * Look up socket @p fd and lock it. @return the socket, or NULL with errno EBADF (not an open
 * descriptor) or ENOTSOCK (open, but not a dpsctp socket).
 */
struct dpsctp_lsock *dpsctp_lsock_get(int fd);

/** Unlock a socket from dpsctp_lsock_get. */
void dpsctp_lsock_put(struct dpsctp_lsock *s);

/** The socket's option state (valid while locked). */
struct dpsctp_sock_opts *dpsctp_lsock_opts(struct dpsctp_lsock *s);

/** SOCK_STREAM (one-to-one) or SOCK_SEQPACKET (one-to-many). */
int dpsctp_lsock_type(const struct dpsctp_lsock *s);

/** AF_INET or AF_INET6. */
int dpsctp_lsock_family(const struct dpsctp_lsock *s);

/** True once the socket has an endpoint at the daemon (bound, explicitly or implicitly). */
bool dpsctp_lsock_bound(const struct dpsctp_lsock *s);

/**
 * Resolve @p id for socket @p s as RFC 6458 says: on a one-to-one socket the id is ignored and
 * its association is used; on one-to-many it must name one of the socket's associations.
 * @return 0 and the association id in @p *out, or -ENOTCONN (one-to-one, none), -EINVAL (no
 *         such association on this socket; DPSCTP_FUTURE/CURRENT/ALL_ASSOC are not ids).
 */
int dpsctp_lsock_assoc(struct dpsctp_lsock *s, dpsctp_assoc_t id, uint32_t *out);

/**
 * The socket's association ids (one-to-many: all; one-to-one: its one), up to @p cap into
 * @p ids. @return how many there are.
 */
size_t dpsctp_lsock_assoc_list(struct dpsctp_lsock *s, uint32_t *ids, size_t cap);

/** The negotiated stream counts of association @p id (0 when unknown / not yet up). */
void dpsctp_lsock_assoc_streams(struct dpsctp_lsock *s, uint32_t id, uint16_t *os, uint16_t *is);

/** Per-association library state that options set: context and SO_SNDBUF credit limit. */
int dpsctp_lsock_assoc_set_context(struct dpsctp_lsock *s, uint32_t id, uint32_t context);
int dpsctp_lsock_assoc_get_context(struct dpsctp_lsock *s, uint32_t id, uint32_t *context);

/**
 * Synchronous request to the worker that owns association @p assoc_id (socket locked by the
 * caller; the lock is dropped while waiting and taken again): descriptor @p op with @p req_len
 * bytes of @p req as payload; the REPLY's payload is copied to @p rep (at most @p rep_cap bytes,
 * @p *rep_len set when not NULL). @return the REPLY's result (0 or -errno), -ECONNRESET when the
 * daemon is gone, -ENOBUFS when the channel stays full.
 */
int dpsctp_lsock_request(struct dpsctp_lsock *s, uint32_t assoc_id, uint16_t op,
	const void *req, size_t req_len, void *rep, size_t rep_cap, size_t *rep_len);

/**
 * dpsctp_lsock_request whose REPLY must fill @p rep (@p rep_len bytes) whole: -EPROTO when the
 * daemon sent less.
 */
static inline int
dpsctp_lsock_query(struct dpsctp_lsock *s, uint32_t assoc_id, uint16_t op, const void *req,
	size_t req_len, void *rep, size_t rep_len)
{
	size_t n = 0;
	int rc = dpsctp_lsock_request(s, assoc_id, op, req, req_len, rep, rep_len, &n);

	return rc == 0 && n < rep_len ? -EPROTO : rc;
}

/**
 * EP_UPDATE of the socket's endpoint (socket locked by the caller): @p flags DPSCTP_RPC_SET_*
 * with the matching fields of @p r filled (svc and op are set here). Before the socket is bound
 * nothing is sent: the options are used at bind. @return 0 or -errno.
 */
int dpsctp_lsock_ep_update(struct dpsctp_lsock *s, uint32_t flags, struct dpsctp_rpc *r);

/** sockaddr <-> ABI address (IPv4-mapped IPv6 addresses become IPv4). @return 0 or -EINVAL / -EAFNOSUPPORT. */
int dpsctp_addr_from_sa(const struct sockaddr *sa, socklen_t len, struct dpsctp_abi_addr *a,
	uint16_t *port);
/** Write @p a and @p port as a sockaddr_in/in6 (mapped IPv4 when @p mapped); @return its length. */
socklen_t dpsctp_addr_to_sa(const struct dpsctp_abi_addr *a, uint16_t port, bool mapped,
	struct sockaddr_storage *ss);

/* opt.c */
int dpsctp_opt_set(struct dpsctp_lsock *s, int level, int name, const void *val, socklen_t len);
int dpsctp_opt_get(struct dpsctp_lsock *s, int level, int name, void *val, socklen_t *len);

#endif
