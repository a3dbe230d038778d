/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building a stack from the configuration (after rte_eal_init): mempool, ports, routes,
 * neighbours, services, rings, workers; launching the workers on their lcores; tearing it down.
 */
#ifndef DPSCTP_CONTROL_SETUP_H
#define DPSCTP_CONTROL_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "stack.h"

/**
 * Build the stack of @p cfg. Ports are probed from their device strings, unless @p port_ids
 * gives the DPDK port id of each configured port (tests that made their own ports, e.g. with
 * rte_eth_from_rings). @p name keeps rings and pools of several stacks in one process apart.
 * On failure, @p err says what and the partial stack is released.
 * @return 0 or -errno
 */
int dpsctpd_stack_build(const struct dpsctpd_config *cfg, const uint16_t *port_ids,
	const char *name, struct dp_stack **out, char *err, size_t errlen);

/** Launch every worker on its lcore. @return 0 or -errno. */
int dpsctpd_stack_launch(struct dp_stack *s);

/** Wait for the workers to return from their loop (after DP_MSG_STOP); idempotent. */
void dpsctpd_stack_wait(struct dp_stack *s);

/** Wait for the workers to return (after DP_MSG_STOP), stop the ports, release everything. */
void dpsctpd_stack_free(struct dp_stack *s);

#endif
