/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: one RX and one TX queue per worker, RSS over IP addresses and ports (SCTP hash types
 * where the PMD offers them), SCTP CRC32c offload in each direction when the port advertises
 * it, MTU, MAC address.
 */
#ifndef DPSCTP_DATAPLANE_PORT_H
#define DPSCTP_DATAPLANE_PORT_H

#include <stdint.h>

#include <rte_mempool.h>

#include "stack.h"

/** How to set a port up. */
struct dp_port_params {
	uint16_t nqueues;   /**< RX and TX queues: one per worker */
	uint16_t rx_desc;   /**< descriptors per RX queue */
	uint16_t tx_desc;   /**< descriptors per TX queue */
	uint16_t mtu;       /**< IP MTU */
	const uint8_t *mac; /**< MAC address to set, or NULL to keep the port's */
	struct rte_mempool *pool;
};

/**
 * Configure and start DPDK port @p p->port_id, filling the offload, RSS and MAC fields of @p p.
 * @p err receives a message on failure. @return 0 or -errno.
 */
int dp_port_setup(struct dp_port *p, const struct dp_port_params *pp, char *err, size_t errlen);

/** Stop and close it. */
void dp_port_close(struct dp_port *p);

/** Offloads in use, as text ("rx-sctp-csum,tx-sctp-csum,rss" or "none"). */
const char *dp_port_offloads(const struct dp_port *p, char *buf, size_t len);

#endif
