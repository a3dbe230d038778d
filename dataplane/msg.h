/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed messages between the control lcore and the workers, carried by single-producer /
 * single-consumer rte_rings (one per direction and worker). Packets travel as mbuf pointers in
 * their own rings; these carry everything else.
 */
#ifndef DPSCTP_DATAPLANE_MSG_H
#define DPSCTP_DATAPLANE_MSG_H

#include <stdint.h>

#include "param.h"

/** What a message asks or reports. */
enum dp_msg_type {
	/* control -> worker */
	DP_MSG_TX = 1,          /**< transmit mbuf @c ptr on port @c port (ARP, ND, ICMP, INIT ACK) */
	DP_MSG_SCTP_IN,         /**< mbuf @c ptr is an SCTP frame for this worker's engine (an INIT for an association it owns): never sent back to control */
	DP_MSG_FRAME_IN,        /**< mbuf @c ptr is a frame to receive as if from a port (control's packets to our own addresses) */
	DP_MSG_PTB,             /**< mbuf @c ptr holds an ICMP packet-too-big / frag-needed report (u32: MTU) */
	DP_MSG_ROUTES_CHANGED,  /**< link state or routes changed: ask the engine to re-route */
	DP_MSG_ASSOCIATE,       /**< active open: @c ptr is a struct dp_associate_req (freed by the worker) */
	DP_MSG_SHUTDOWN_ALL,    /**< graceful SHUTDOWN of every association */
	DP_MSG_ABORT_ALL,       /**< ABORT every association that is left */
	DP_MSG_STOP,            /**< leave the loop */
	/* worker -> control */
	DP_MSG_NEED_NEIGH,      /**< resolve @c addr on port @c port (no MAC known for a next hop) */
	DP_MSG_ASSOC_UP,        /**< association @c u32 owns peer (@c addr, @c peer_port) on service @c svc */
	DP_MSG_ASSOC_DOWN,      /**< association @c u32 no longer owns peer (@c addr, @c peer_port) on service @c svc */
};

/** One message (48 bytes, a multiple of 4 as rte_ring_create_elem wants). */
struct dp_msg {
	uint16_t type;      /**< enum dp_msg_type */
	uint16_t port;      /**< port id, when it matters */
	uint16_t svc;       /**< service index, when it matters */
	uint16_t peer_port; /**< the peer's SCTP port (ASSOC_UP) */
	uint32_t u32;       /**< association id, MTU... */
	uint32_t pad;
	void *ptr;          /**< an mbuf or a request */
	struct dpsctp_addr addr; /**< an address (17 bytes) */
	uint8_t pad2[7];
};

#endif
