/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The protocol parameters an application sends (struct dpsctp_abi_cfg of api/abi/shm.h: socket
 * options, milliseconds, a mask of what is set) applied to an engine configuration (struct
 * dpsctp_proto_config: nanoseconds). One function for both users: control (EP_OPEN / EP_UPDATE
 * of an endpoint, control/attach.c) and the workers (SET_CFG of one association), so the two
 * can never disagree on what a value means or which values are refused.
 *
 * Pure C, no DPDK: unit-tested in tests/unit/test_attach.c.
 */
#ifndef DPSCTP_DATAPLANE_ABICFG_H
#define DPSCTP_DATAPLANE_ABICFG_H

#include "engine.h"
#include "shm.h"

/**
 * Apply the groups of @p ac named by its mask to @p pc. Nothing in @p ac is trusted (it comes
 * from an application). Either every group is applied or, on error, @p pc is left unchanged.
 *
 * Meaning of the values (RFC 6458 socket options): a zero where zero is no valid value (an RTO,
 * a retransmission limit, the cookie life, stream counts, max_init_timeo, sack_freq) keeps the
 * current value, as the RFC 6458 "0: no change" rule says. Zero means something for
 * sack_delay_ms (no delay: SACK every packet), hb_interval_ms (no heartbeats), maxseg (as the
 * path MTU allows), pd_point (the engine's default), autoclose_s (off) and max_burst (no burst
 * limit, RFC 6458 8.1.24: taken as 65535). SO_RCVBUF / SO_SNDBUF values are clamped into
 * 1500..2^30 bytes (like a kernel, an application does not fail on a small buffer).
 *
 * @return 0, or -EINVAL: unknown mask bits, a value out of range (RTOs above an hour, SACK
 *         delay above 500 ms, RFC 9260 6.2), or RTO.Min <= RTO.Initial <= RTO.Max broken by the
 *         result.
 */
int dp_abi_cfg_apply(struct dpsctp_proto_config *pc, const struct dpsctp_abi_cfg *ac);

/** Fill @p ac (every group, mask set) from @p pc: the answer to GET_CFG. */
void dp_abi_cfg_get(const struct dpsctp_proto_config *pc, struct dpsctp_abi_cfg *ac);

#endif
