/* SPDX-License-Identifier: BSD-3-Clause */
/* dpsctpd's DPDK telemetry commands (/dpsctp/stats, /ports, /assocs, /assoc,<id>). */
#ifndef DPSCTP_CONTROL_TELEMETRY_H
#define DPSCTP_CONTROL_TELEMETRY_H

#include "ctrl.h"
#include "stack.h"

/** Register the commands for stack @p s and its control @p c (one daemon per process). */
void dpsctpd_telemetry_register(struct dp_stack *s, struct dpsctpd_ctrl *c);

/** Detach them from the stack before it is released (they answer an error from then on). */
void dpsctpd_telemetry_unregister(void);

#endif
