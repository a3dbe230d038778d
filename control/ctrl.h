/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control lcore of a stack: ARP and neighbour discovery, ICMP (echo, errors), stateless
 * answers to INIT with one engine endpoint per service, steering of INITs for associations a
 * worker already owns (collisions and restarts, RFC 9260 5.2), active opens, link state, and the
 * graceful end. Workers hand it packets and messages over rings; it sends through worker 0.
 */
#ifndef DPSCTP_CONTROL_CTRL_H
#define DPSCTP_CONTROL_CTRL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "stack.h"

/** Counters of the control lcore (read by telemetry). */
struct dpsctpd_ctrl_stats {
	uint64_t arp_in, arp_replies, arp_requests, garp_sent;
	uint64_t nd_in, na_sent, ns_sent;
	uint64_t echo_replies;
	uint64_t icmp_unreach, icmp_ptb, icmp_bad;
	uint64_t init_in, init_answered, init_steered;
	uint64_t tx_ring_full;
	uint64_t tx_no_route, tx_no_neigh, tx_no_mbuf; /**< answers that could not be sent */
	uint64_t link_changes;
	uint64_t assoc_requests;
};

struct dpsctpd_ctrl;

/** Control of @p s (its ARP/ND at start: gratuitous ARP, unsolicited NA). @return 0 or -errno. */
int dpsctpd_ctrl_create(struct dp_stack *s, const struct dpsctpd_config *cfg,
	struct dpsctpd_ctrl **out);

void dpsctpd_ctrl_free(struct dpsctpd_ctrl *c);

/** One iteration: rings from the workers, timers, link state. @return work done (0: idle). */
/**
 * Sleep up to @p us microseconds between idle polls; a signal ends it early. Not
 * rte_delay_us_sleep, which sleeps again for the remaining time nanosleep reports after each
 * signal: that remainder counts the timer slack (50 us), so under signals more frequent than that
 * it grows instead of shrinking. net_tap raises one per packet received (O_ASYNC, a real-time
 * signal, often taken by the main thread): a peer streaming to a tap port stretched a 200 us
 * sleep by seconds, as long as the stream lasted, and control (ARP, timers, attach, SIGTERM)
 * stood still meanwhile.
 */
void dpsctpd_ctrl_nap(unsigned int us);

unsigned int dpsctpd_ctrl_poll(struct dpsctpd_ctrl *c);

/**
 * Active open from service @p svc to @p peers (connectx) on @p peer_port: the worker that will
 * own it is chosen here and does the rest. @return 0 or -errno (-EINVAL, -ENOBUFS).
 */
int dpsctpd_ctrl_associate(struct dpsctpd_ctrl *c, unsigned int svc,
	const struct dpsctp_addr *peers, unsigned int npeers, uint16_t peer_port);

/** Associations held by all workers. */
unsigned int dpsctpd_ctrl_assoc_count(const struct dpsctpd_ctrl *c);

/**
 * The end: SHUTDOWN every association, wait up to @p wait_ms for them to close while polling,
 * ABORT what is left, then stop the workers. @return associations that had to be aborted.
 */
unsigned int dpsctpd_ctrl_shutdown(struct dpsctpd_ctrl *c, uint32_t wait_ms);

/** The counters. */
const struct dpsctpd_ctrl_stats *dpsctpd_ctrl_stats(const struct dpsctpd_ctrl *c);

/**
 * The control endpoint's engine counters of service @p svc (stateless answers), NULL when the
 * slot has none. Control lcore only: an application's slot may be released at any time.
 */
const struct dpsctp_stats *dpsctpd_ctrl_engine_stats(const struct dpsctpd_ctrl *c, unsigned int svc);

/**
 * Add the engine counters of every control endpoint, past ones included, to @p sum: a copy
 * refreshed by the control lcore every 10 ms, safe to read from any thread (telemetry).
 */
void dpsctpd_ctrl_engine_stats_sum(const struct dpsctpd_ctrl *c, struct dpsctp_stats *sum);

struct dpsctpd_attach;

/** Poll the attach server @p a (attach.h) from the control loop, about every millisecond. */
void dpsctpd_ctrl_set_attach(struct dpsctpd_ctrl *c, struct dpsctpd_attach *a);

/*
 * Application endpoints (attach.c). The attach server fills a slot and calls these; control
 * keeps its own engine endpoint per slot (INIT answers) and releases CLOSING slots: when every
 * worker has set its bit in closed_mask, it destroys its endpoint, forgets the owners of the
 * slot's associations and stores state FREE.
 */

/**
 * Slot @p svc is filled (not yet OPEN): create control's endpoint for it.
 * @return 0 or -errno (dp_stack_endpoint_create)
 */
int dpsctpd_ctrl_slot_open(struct dpsctpd_ctrl *c, unsigned int svc);

/**
 * The mutable part of slot @p svc changed: listening always follows the slot; with @p remake
 * (the addresses or the configuration changed) control's endpoint takes the slot's addresses
 * and configuration too. @return 0 or -errno.
 */
int dpsctpd_ctrl_slot_update(struct dpsctpd_ctrl *c, unsigned int svc, bool remake);

/** Slot @p svc went CLOSING: control's endpoint stops answering INIT. */
void dpsctpd_ctrl_slot_closing(struct dpsctpd_ctrl *c, unsigned int svc);

/** Slot @p svc never became OPEN (EP_OPEN failed after slot_open): drop its endpoint. */
void dpsctpd_ctrl_slot_drop(struct dpsctpd_ctrl *c, unsigned int svc);

#endif
