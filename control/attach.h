/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The attach server: applications (libdpsctp) connect to dpsctpd's unix SOCK_SEQPACKET socket
 * (attach.path) and speak api/abi/rpc.h. HELLO makes a session (struct dp_session: a memfd of
 * channels, an eventfd); EP_OPEN / EP_UPDATE / EP_CLOSE fill, change and close service slots
 * of kind DP_SVC_APP (struct dp_service). Everything runs on the control lcore, polled from
 * dpsctpd_ctrl_poll() with non-blocking calls only: a peer that does not read its answers is
 * disconnected, never waited for.
 *
 * The end of a session (the application's socket closes, or a worker marks it broken) closes
 * its endpoints (state CLOSING, as EP_CLOSE) and marks it DEAD; its memory is unmapped once
 * every worker has let go of it (gone_mask) and its slots are free.
 *
 * The pure helpers below (credentials, addresses, ports) need no EAL: tests/unit/test_attach.c.
 */
#ifndef DPSCTP_CONTROL_ATTACH_H
#define DPSCTP_CONTROL_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "rpc.h"
#include "stack.h"

struct dpsctpd_attach;
struct dpsctpd_ctrl;

/**
 * Listen on @p cfg->attach_path for stack @p s whose control is @p c: create the parent
 * directory (0755) when missing, take over a stale socket file (one nobody answers on), refuse
 * a path a live daemon answers on or that is not a socket, chmod to attach_mode.
 * @p err says why on failure.
 * @return 0 or -errno
 */
int dpsctpd_attach_open(struct dp_stack *s, const struct dpsctpd_config *cfg,
	struct dpsctpd_ctrl *c, struct dpsctpd_attach **out, char *err, size_t errlen);

/**
 * Accept connections, answer requests, end sessions whose peer left or broke the ABI, reclaim
 * dead sessions. Non-blocking. @p now: the stack's time in ns. @return work done (0: idle).
 */
unsigned int dpsctpd_attach_poll(struct dpsctpd_attach *a, uint64_t now);

/**
 * The daemon stops: stop listening and unlink the socket file, close every application's
 * connection (they see EOF). Sessions stay mapped until dpsctpd_attach_free() (the workers may
 * still be finishing their loop).
 */
void dpsctpd_attach_close(struct dpsctpd_attach *a);

/** Release everything: call once the workers have stopped (their lcores waited for). */
void dpsctpd_attach_free(struct dpsctpd_attach *a);

/** Sessions in use (LIVE or DEAD), for telemetry. */
unsigned int dpsctpd_attach_session_count(const struct dpsctpd_attach *a);

/* ---- pure helpers (no EAL) ---- */

/**
 * May a peer with credentials @p uid / @p gid attach? Anyone when both lists of @p cfg are
 * empty; otherwise its uid must be in attach_uids or its gid in attach_gids (root included:
 * root is allowed only when listed).
 */
bool dp_attach_cred_ok(const struct dpsctpd_config *cfg, uint32_t uid, uint32_t gid);

/**
 * The addresses an endpoint binds: @p req (@p nreq of them, from the application) checked
 * against @p ours (@p nours: every address of the stack, ports then loopback), or, when
 * @p nreq is 0 (or the one address given is the unspecified one), every address of @p ours of
 * @p family, plus the IPv4 ones for family 6 unless @p v6only. Duplicates are dropped.
 * @return the number written to @p out (1..DPSCTP_MAX_ADDRS), or -EINVAL (bad family, too
 *         many, an address of the wrong family), -EADDRNOTAVAIL (not ours, or none at all)
 */
int dp_attach_addrs(const struct dpsctp_addr *ours, unsigned int nours, uint8_t family,
	bool v6only, const struct dpsctp_abi_addr *req, unsigned int nreq, struct dpsctp_addr *out);

/** True when a slot OPEN or CLOSING among the @p n of @p sv uses @p port. */
bool dp_attach_port_in_use(const struct dp_service *sv, unsigned int n, uint16_t port);

/**
 * The port for EP_OPEN: @p want when free (-EADDRINUSE when taken), or for @p want 0 an
 * ephemeral one (49152..65535, RFC 6335) not in use, searched from @p seed onward.
 * @return the port, or -EADDRINUSE (taken / no ephemeral port left)
 */
int dp_attach_choose_port(const struct dp_service *sv, unsigned int n, uint16_t want,
	uint32_t seed);

#endif
