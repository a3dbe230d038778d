/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A deterministic network simulator for the sans-I/O engine (engine.h): endpoints in one
 * process, joined by simulated links, driven in virtual time (picoquic's sim_link is the model).
 *
 * Everything follows from the 64-bit seed given to sim_create(): every node's random() stream,
 * every link's loss / duplication / reordering / jitter draws. No clock is read and no global
 * state is kept, so a scenario that fails replays exactly under a debugger.
 *
 * The model:
 *  - a node is one engine endpoint (dpsctp_endpoint_create) with its addresses and port, a
 *    counting allocator (leaks, failure injection) and a log of every upcall;
 *  - a link carries packets in one direction from one IP address to another, with a delay,
 *    jitter, loss, duplication, reordering, a bandwidth with a FIFO queue, an MTU and an up/down
 *    switch; a packet whose (source, destination) pair has no link is dropped;
 *  - the run loop drains every endpoint's output onto the links, advances the virtual time to
 *    the next packet arrival or endpoint deadline, delivers (CRC32c verified first) and expires.
 *
 * Times are virtual nanoseconds; the clock starts at SIM_T0, not 0, so that no code can confuse
 * "time zero" with "unset".
 */
#ifndef DPSCTP_TESTS_SIM_H
#define DPSCTP_TESTS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "testenv.h"

/** Virtual time at creation: 1 s. */
#define SIM_T0 1000000000ull

/** Nanoseconds per microsecond / millisecond / second, for scenario parameters. */
#define SIM_US 1000ull
#define SIM_MS 1000000ull
#define SIM_S 1000000000ull

/** Entries kept in a node's event log; later ones are counted in sim_node_log_overflow(). */
#define SIM_LOG_MAX 4096

/** Live associations a node tracks (sim_node_assoc()). */
#define SIM_MAX_ASSOCS 64

/**
 * Steps in a row that the run loop may take without the virtual time moving before it gives
 * up and sets the error (sim_error()): an engine whose deadline stays <= now forever, or a
 * zero-delay packet storm, would otherwise spin.
 */
#define SIM_SPIN_LIMIT 100000

struct sim;
struct sim_node;
struct sim_link;

/* ----------------------------------------------------------------------------------------- */
/* World */

/**
 * Create a world.
 * @param seed every random decision of the simulation derives from it
 * @return the world, or NULL when out of memory
 */
struct sim *sim_create(uint64_t seed);

/**
 * Destroy the world: every endpoint (assoc_free fires for each association), node, link,
 * packet in flight, and the pcap file if one is open. NULL is accepted.
 */
void sim_destroy(struct sim *sim);

/** Current virtual time in ns (SIM_T0 at creation). */
uint64_t sim_now(const struct sim *sim);

/** The seed given to sim_create(). */
uint64_t sim_seed(const struct sim *sim);

/**
 * Why the run loop stopped for good (spin guard, out of memory, bad free by the engine...),
 * or NULL while all is well. Once set, every sim_run_*() returns at once.
 */
const char *sim_error(const struct sim *sim);

/** World counters (packets that never reached a link or an endpoint). */
struct sim_stats {
	uint64_t transmitted;     /**< packets drained from endpoints' output */
	uint64_t dropped_by_tap;  /**< SIM_DROP from the transmit or delivery tap */
	uint64_t dropped_no_link; /**< no link for the (source, destination) address pair */
	uint64_t dropped_no_node; /**< arrived where no running node owns the address */
	uint64_t dropped_bad_crc; /**< CRC32c wrong (or shorter than a common header) at delivery */
	uint64_t delivered;       /**< handed to dpsctp_endpoint_input (links and sim_inject) */
	uint64_t injected;        /**< packets given to sim_inject / sim_inject_raw */
};

/** The world counters. */
const struct sim_stats *sim_stats(const struct sim *sim);

/** Packets currently in flight on links (scheduled, not yet delivered). */
size_t sim_in_flight(const struct sim *sim);

/* ----------------------------------------------------------------------------------------- */
/* Addresses */

/** Parse a dotted IPv4 address ("198.18.0.1"); a bad string gives family 0 (rejected later). */
struct dpsctp_addr sim_addr4(const char *s);

/** Parse an IPv6 address ("2001:db8::1"); a bad string gives family 0 (rejected later). */
struct dpsctp_addr sim_addr6(const char *s);

/** Are @p a and @p b the same address (family and the bytes that family uses)? */
bool sim_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b);

/**
 * Format @p a for messages ("198.18.0.1", "2001:db8::1", "?" for family 0).
 * @return @p buf, which holds at least 46 bytes (INET6_ADDRSTRLEN)
 */
const char *sim_addr_str(const struct dpsctp_addr *a, char *buf, size_t cap);

/* ----------------------------------------------------------------------------------------- */
/* Nodes */

/**
 * Add a node and create its endpoint at the current virtual time.
 *
 * Its endpoint's route callback (source address selection) picks the node's first address
 * that has a link (up or down) to the peer address, else its first address of that family (a
 * default route): add links before associating.
 *
 * Its env draws randomness from a stream derived from the world seed, the node's @p name and
 * its incarnation (so restarting a node gives it a new stream, and adding a node does not change
 * the others'); its allocator counts (sim_node_alloc_stats()).
 *
 * @param name  unique name, used for the random stream and in messages (copied)
 * @param addrs local addresses (1..DPSCTP_MAX_ADDRS), copied
 * @param n     number of @p addrs
 * @param port  local SCTP port
 * @param listen accept incoming associations
 * @param cfg   protocol parameters, NULL for the defaults; copied
 * @return the node, or NULL with errno set (EINVAL, EEXIST for a duplicate name, ENOMEM, or
 *	what dpsctp_endpoint_create returned)
 */
struct sim_node *sim_node_add(struct sim *sim, const char *name, const struct dpsctp_addr *addrs,
	size_t n, uint16_t port, bool listen, const struct dpsctp_proto_config *cfg);

/** The node called @p name, or NULL. */
struct sim_node *sim_node_by_name(struct sim *sim, const char *name);

/** The node's name. */
const char *sim_node_name(const struct sim_node *node);

/** The node's endpoint, or NULL while it is stopped. */
struct dpsctp_endpoint *sim_node_endpoint(const struct sim_node *node);

/** The node's @p i-th address (i < sim_node_naddrs()). */
const struct dpsctp_addr *sim_node_addr(const struct sim_node *node, size_t i);

/** Number of addresses of the node. */
size_t sim_node_naddrs(const struct sim_node *node);

/** The node's SCTP port. */
uint16_t sim_node_port(const struct sim_node *node);

/** How many endpoints the node has had (1 after sim_node_add, +1 per sim_node_start). */
unsigned int sim_node_incarnation(const struct sim_node *node);

/**
 * Destroy the node's endpoint without sending anything (a crash): assoc_free fires for every
 * association, packets that arrive for the node meanwhile are dropped (dropped_no_node).
 * The node, its addresses, links, allocator counters and log stay. No-op when stopped.
 */
void sim_node_stop(struct sim_node *node);

/**
 * Create a new endpoint for a stopped node, with the same addresses, port and configuration and
 * a new random stream (the next incarnation).
 * @return 0, -EALREADY when running, or the dpsctp_endpoint_create error
 */
int sim_node_start(struct sim_node *node);

/** sim_node_stop() then sim_node_start(): a peer restart (RFC 9260 5.2.4). */
int sim_node_restart(struct sim_node *node);

/** sim_node_stop() on every node, e.g. before checking sim_live_allocations(). */
void sim_stop_all(struct sim *sim);

/** Most bytes sim_node_force_random() holds at a time. */
#define SIM_FORCE_RANDOM_MAX 256

/**
 * Make the node's next random draws return @p bytes (@p len of them) instead of its stream:
 * the env random() callback serves forced bytes first, byte by byte and in order, across as
 * many calls as it takes, then goes back to the stream (which these bytes do not advance).
 * Forced bytes not used yet are kept across sim_node_stop() / sim_node_start().
 *
 * For scenarios that need a particular value the engine draws, such as an initial TSN next to
 * 2^32. Which draw gets which bytes is the engine's business (dpsctp_associate takes the
 * Initiate Tag, then the initial TSN, 4 bytes each): check the effect, e.g. with
 * dpsctp_assoc_get_status().
 * @return 0, or -ENOSPC when more than SIM_FORCE_RANDOM_MAX bytes would be waiting
 */
int sim_node_force_random(struct sim_node *node, const void *bytes, size_t len);

/**
 * ASSOCIATE from @p node to @p peer at the current time: every address of @p peer, the first
 * one for INIT, and @p peer's port.
 * @param os outbound streams, 0 for the configured default
 * @param out the new association (may be NULL)
 * @return what dpsctp_associate returned, or -ENOTCONN when either node is stopped
 */
int sim_node_associate(
	struct sim_node *node, const struct sim_node *peer, uint16_t os, struct dpsctp_assoc **out);

/**
 * The association the node learnt of last (from sim_node_associate() or its first upcall) that
 * is still alive, or NULL. The simulator forgets an association at its assoc_free upcall, so the
 * pointer never dangles; it is safe to use until the next engine call on the node.
 */
struct dpsctp_assoc *sim_node_assoc(const struct sim_node *node);

/** The live association with identifier @p id (tracked as for sim_node_assoc()), or NULL. */
struct dpsctp_assoc *sim_node_assoc_by_id(const struct sim_node *node, uint32_t id);

/** dpsctp_endpoint_assoc_count() of the node's endpoint, 0 while stopped. */
size_t sim_node_assoc_count(const struct sim_node *node);

/** Node traffic counters. */
struct sim_node_stats {
	uint64_t tx_packets;   /**< packets the endpoint produced */
	uint64_t rx_packets;   /**< packets handed to the endpoint */
	uint64_t rx_discarded; /**< of which dpsctp_endpoint_input discarded whole */
	uint64_t expire_calls; /**< dpsctp_endpoint_expire calls */
};

/** The node's traffic counters. */
const struct sim_node_stats *sim_node_stats(const struct sim_node *node);

/* ----------------------------------------------------------------------------------------- */
/* Counting allocator */

/**
 * The node's allocator (testenv.h): live, live_bytes, peak_bytes, total (requests, failed ones
 * included), failed, bad_frees, over every incarnation.
 */
const struct testenv *sim_node_alloc_stats(const struct sim_node *node);

/**
 * Make the node's @p nth allocation request from now (1 = the next) return NULL; with
 * @p persistent, that one and every later one. @p nth 0 switches failures off.
 */
void sim_node_fail_alloc(struct sim_node *node, uint64_t nth, bool persistent);

/** Live allocations of every node together (0 after sim_stop_all() unless the engine leaks). */
uint64_t sim_live_allocations(const struct sim *sim);

/** Live bytes of every node together. */
uint64_t sim_live_bytes(const struct sim *sim);

/* ----------------------------------------------------------------------------------------- */
/* Event log */

/** What a log entry records. */
enum sim_log_kind {
	SIM_LOG_EVENT = 1, /**< a dpsctp_callbacks event() */
	SIM_LOG_STATE,     /**< a state_change() */
	SIM_LOG_FREE,      /**< an assoc_free() */
};

/** One upcall seen by a node. */
struct sim_log_entry {
	uint64_t time;                           /**< virtual time of the upcall */
	enum sim_log_kind kind;                  /**< which fields below are meaningful */
	uint32_t assoc_id;                       /**< the association (dpsctp_assoc_id) */
	unsigned int incarnation;                /**< node incarnation that saw it */
	enum dpsctp_event_type type;             /**< EVENT: the event type */
	enum dpsctp_assoc_change_state ac_state; /**< EVENT ASSOC_CHANGE: sac_state */
	uint16_t error;            /**< EVENT ASSOC_CHANGE / REMOTE_ERROR: cause code */
	uint16_t outbound_streams; /**< EVENT ASSOC_CHANGE: negotiated outbound */
	uint16_t inbound_streams;  /**< EVENT ASSOC_CHANGE: negotiated inbound */
	uint32_t adaptation_ind;   /**< EVENT ADAPTATION_INDICATION: the indication */
	size_t info_len;           /**< EVENT: bytes of ABORT info / ERROR causes */
	enum dpsctp_state from;    /**< STATE: previous state */
	enum dpsctp_state to;      /**< STATE: new state */
};

/**
 * The node's log, oldest first.
 * @param n set to the number of entries (at most SIM_LOG_MAX)
 */
const struct sim_log_entry *sim_node_log(const struct sim_node *node, size_t *n);

/** Entries that did not fit in the log (the counters below still include them). */
uint64_t sim_node_log_overflow(const struct sim_node *node);

/** Forget the log and reset the counters below. */
void sim_node_log_clear(struct sim_node *node);

/**
 * Events of @p type the node received. For DPSCTP_EV_ASSOC_CHANGE, @p ac_state selects one
 * sac_state (0: any). Exact even after the log overflowed.
 */
uint64_t sim_node_count_events(const struct sim_node *node, enum dpsctp_event_type type,
	enum dpsctp_assoc_change_state ac_state);

/** Transitions into state @p to the node saw. Exact even after the log overflowed. */
uint64_t sim_node_count_states(const struct sim_node *node, enum dpsctp_state to);

/**
 * The last state the log shows for association @p assoc_id (0: any association): the "to" of its
 * last state change, or DPSCTP_CLOSED when the association was freed after it or never seen.
 */
enum dpsctp_state sim_node_last_state(const struct sim_node *node, uint32_t assoc_id);

/**
 * The last logged event of @p type (for ASSOC_CHANGE, of sac_state @p ac_state unless 0),
 * or NULL.
 */
const struct sim_log_entry *sim_node_last_event(const struct sim_node *node,
	enum dpsctp_event_type type, enum dpsctp_assoc_change_state ac_state);

/**
 * Called for every event after it is logged, for a scenario that needs more than the log keeps
 * (the ABORT info bytes). It runs inside the engine upcall: it must not call the engine.
 */
typedef void (*sim_event_hook_fn)(
	struct sim_node *node, struct dpsctp_assoc *a, const struct dpsctp_event *ev, void *arg);

/** Install (or remove, with NULL) the event hook of the world. */
void sim_set_event_hook(struct sim *sim, sim_event_hook_fn fn, void *arg);

/**
 * Called for every piece of user data an engine delivers (struct dpsctp_callbacks.deliver):
 * a message in one or more calls, @p eor on the last. It may call dpsctp_assoc_send() and
 * dpsctp_assoc_consume(), nothing else of the engine.
 */
typedef void (*sim_deliver_hook_fn)(struct sim_node *node, struct dpsctp_assoc *a,
	const struct dpsctp_rcvinfo *ri, const struct dpsctp_iov *iov, unsigned int iovcnt,
	bool eor, void *arg);

/** Install (or remove, with NULL) the delivery hook of the world. */
void sim_set_deliver_hook(struct sim *sim, sim_deliver_hook_fn fn, void *arg);

/* ----------------------------------------------------------------------------------------- */
/* Links */

/** How a link behaves. Start from sim_link_params_default(). */
struct sim_link_params {
	uint64_t delay_ns;         /**< one-way propagation delay */
	uint64_t jitter_ns;        /**< extra delay, uniform in [0, jitter_ns]; never reorders */
	double loss;               /**< probability a packet is lost on the way, 0..1 */
	double duplication;        /**< probability a packet arrives twice, 0..1 */
	double reorder;            /**< probability a packet is held back, 0..1 */
	uint64_t reorder_delay_ns; /**< extra delay of a held-back packet; 0: max(delay_ns, 1 ms) */
	uint64_t bandwidth_bps;    /**< bits per second of IP packet, 0: infinite */
	uint64_t queue_bytes;      /**< FIFO limit in bytes waiting for the wire, 0: unbounded */
	size_t mtu;                /**< largest IP packet (IP header included), 0: unlimited */
	bool down;                 /**< everything sent or in flight on it is dropped */
};

/** Fill @p p with a clean link: 1 ms delay, nothing random, infinite bandwidth, MTU 1500, up. */
void sim_link_params_default(struct sim_link_params *p);

/** Counters of one link. */
struct sim_link_stats {
	uint64_t sent;          /**< packets offered to the link */
	uint64_t bytes_sent;    /**< IP bytes offered */
	uint64_t delivered;     /**< packets that arrived at the far end (duplicates included) */
	uint64_t lost;          /**< lost to @c loss */
	uint64_t duplicated;    /**< extra copies made by @c duplication */
	uint64_t reordered;     /**< held back by @c reorder */
	uint64_t dropped_mtu;   /**< larger than @c mtu */
	uint64_t dropped_down;  /**< sent while down, or in flight when it went down */
	uint64_t dropped_queue; /**< tail-dropped: @c queue_bytes exceeded */
};

/**
 * Add a link carrying packets from address @p src to address @p dst.
 * Its random draws come from a stream derived from the seed and the two addresses.
 * @return the link, or NULL with errno EINVAL (families differ or are bad), EEXIST or ENOMEM
 */
struct sim_link *sim_link_add(struct sim *sim, const struct dpsctp_addr *src,
	const struct dpsctp_addr *dst, const struct sim_link_params *p);

/**
 * Add a link each way between @p a and @p b with the same parameters (neither may exist yet).
 * Set each direction on its own afterwards with sim_link_set_params().
 * @param ab set to the a->b link (may be NULL)
 * @param ba set to the b->a link (may be NULL)
 * @return 0 or -errno as sim_link_add()
 */
int sim_link_add_bidir(struct sim *sim, const struct dpsctp_addr *a, const struct dpsctp_addr *b,
	const struct sim_link_params *p, struct sim_link **ab, struct sim_link **ba);

/**
 * Link every address of @p a to every address of @p b of the same family, both ways, with the
 * same parameters (the multi-homed full mesh).
 * @return the number of links added, or -errno
 */
int sim_connect(struct sim *sim, const struct sim_node *a, const struct sim_node *b,
	const struct sim_link_params *p);

/** The link from @p src to @p dst, or NULL. */
struct sim_link *sim_link_find(
	struct sim *sim, const struct dpsctp_addr *src, const struct dpsctp_addr *dst);

/** The link between two nodes' addresses: from @p a's @p ia-th to @p b's @p ib-th, or NULL. */
struct sim_link *sim_link_between(
	struct sim *sim, const struct sim_node *a, size_t ia, const struct sim_node *b, size_t ib);

/** Replace the parameters of @p l (counters and the queue state stay). */
void sim_link_set_params(struct sim_link *l, const struct sim_link_params *p);

/** The parameters of @p l. */
const struct sim_link_params *sim_link_params(const struct sim_link *l);

/** Bring @p l up or down (a down link drops what is sent and what is in flight). */
void sim_link_set_up(struct sim_link *l, bool up);

/** Set both directions between @p a and @p b up or down; @return the links changed (0..2). */
int sim_link_set_up_bidir(
	struct sim *sim, const struct dpsctp_addr *a, const struct dpsctp_addr *b, bool up);

/** The counters of @p l. */
const struct sim_link_stats *sim_link_stats(const struct sim_link *l);

/** What became of a packet given to a link. */
enum sim_tx_outcome {
	SIM_TX_SCHEDULED = 0, /**< in flight, arrives at @c arrival */
	SIM_TX_LOST,          /**< lost on the way (after using the wire) */
	SIM_TX_DROP_DOWN,     /**< the link is down */
	SIM_TX_DROP_MTU,      /**< larger than the MTU */
	SIM_TX_DROP_QUEUE,    /**< the queue is full */
	SIM_TX_NOMEM,         /**< the simulator ran out of memory (sim_error() is set) */
};

/** The detail of one sim_link_transmit(). */
struct sim_tx_result {
	enum sim_tx_outcome outcome; /**< what happened */
	uint64_t arrival;            /**< SCHEDULED: virtual arrival time */
	uint64_t seq;                /**< SCHEDULED: delivery order among equal arrival times */
	bool duplicated;             /**< SCHEDULED: a second copy follows at the same time */
	bool reordered;              /**< SCHEDULED: held back by @c reorder */
};

/**
 * Put an SCTP packet on a link at the current time, as the run loop does after the transmit
 * tap: the checksum is not touched. Exposed so the link model can be tested on its own.
 * @param res filled with the outcome (may be NULL)
 * @return res->outcome
 */
enum sim_tx_outcome sim_link_transmit(struct sim *sim, struct sim_link *l, const uint8_t *pkt,
	size_t len, struct sim_tx_result *res);

/** The source and destination address of @p l. */
const struct dpsctp_addr *sim_link_src(const struct sim_link *l);
const struct dpsctp_addr *sim_link_dst(const struct sim_link *l);

/* ----------------------------------------------------------------------------------------- */
/* Running */

/**
 * Run every event up to @p t_abs included, then set the time to @p t_abs (if later).
 * @return false when sim_error() is set
 */
bool sim_run_until(struct sim *sim, uint64_t t_abs);

/** sim_run_until(sim, sim_now(sim) + dt). */
bool sim_run_for(struct sim *sim, uint64_t dt);

/** A condition polled by sim_run_until_cond(). */
typedef bool (*sim_cond_fn)(struct sim *sim, void *arg);

/**
 * Run until @p cond holds (tested before the first event and after each step), for at most
 * @p max_dt. On success the time is the moment it became true.
 * @return true when @p cond held; false at the limit or on sim_error()
 */
bool sim_run_until_cond(struct sim *sim, sim_cond_fn cond, void *arg, uint64_t max_dt);

/**
 * Run until no packet is in flight and no endpoint has a deadline up to now + @p max_dt.
 * On success the time is that of the last event run (it does not jump to the limit).
 * @return true when idle; false when a packet is still in flight at the limit or on sim_error()
 */
bool sim_run_until_idle(struct sim *sim, uint64_t max_dt);

/* ----------------------------------------------------------------------------------------- */
/* Taps and injection */

/** What a tap decides. */
enum sim_verdict {
	SIM_PASS =
		0, /**< carry on; the simulator recomputes the CRC32c (the tap may have edited) */
	SIM_DROP,  /**< drop it (counted in dropped_by_tap) */
	SIM_PASS_RAW, /**< carry on with the bytes exactly as the tap left them, checksum included
		       */
};

/**
 * A packet tap.
 * @param node the node sending (transmit tap) or receiving (delivery tap; NULL when no node
 *	owns the destination)
 * @param path the path as @p node sees it: local is the node's address
 * @param pkt  the SCTP packet with its checksum filled, editable in place; the buffer holds
 *	DPSCTP_MAX_PACKET bytes
 * @param len  its length, which the tap may change (up to DPSCTP_MAX_PACKET)
 */
typedef enum sim_verdict (*sim_tap_fn)(struct sim *sim, struct sim_node *node,
	const struct dpsctp_path *path, uint8_t *pkt, size_t *len, void *arg);

/**
 * Install (or remove, with NULL) the transmit tap: called for every packet an endpoint outputs,
 * before the link lookup, so it sees packets that have no link too.
 */
void sim_set_tx_tap(struct sim *sim, sim_tap_fn fn, void *arg);

/**
 * Install (or remove, with NULL) the delivery tap: called for every packet that arrives (from a
 * link or sim_inject), before the CRC32c check. SIM_PASS here does not recompute the checksum:
 * a tap that edits an arriving packet must refill it (sim_fill_checksum()).
 */
void sim_set_rx_tap(struct sim *sim, sim_tap_fn fn, void *arg);

/**
 * Deliver a crafted packet to @p node now, as if it arrived on @p path (local: one of the node's
 * addresses, remote: the claimed source). The checksum field is filled first. It goes through
 * the delivery tap, the CRC32c check and the pcap like any packet, bypassing links.
 * @return what dpsctp_endpoint_input returned; -EMSGSIZE (longer than DPSCTP_MAX_PACKET),
 *	-ENOTCONN (node stopped), -ECANCELED (dropped by the tap) or -EBADMSG (CRC32c)
 */
int sim_inject(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path,
	const uint8_t *pkt, size_t len);

/** sim_inject() without filling the checksum: a bad one is dropped and counted. */
int sim_inject_raw(struct sim *sim, struct sim_node *node, const struct dpsctp_path *path,
	const uint8_t *pkt, size_t len);

/** Compute and store the CRC32c of an SCTP packet (@p len >= 12). */
void sim_fill_checksum(uint8_t *pkt, size_t len);

/** Is the CRC32c of the SCTP packet right? False when shorter than a common header. */
bool sim_checksum_ok(const uint8_t *pkt, size_t len);

/** Type of the first chunk of an SCTP packet, or -1 when there is none. */
int sim_pkt_first_chunk(const uint8_t *pkt, size_t len);

/** Does the SCTP packet hold a chunk of @p type (packets that do not parse: false)? */
bool sim_pkt_has_chunk(const uint8_t *pkt, size_t len, uint8_t type);

/** Argument of sim_tap_drop_chunk(): which packets to drop. */
struct sim_drop_chunk {
	uint8_t type; /**< drop packets holding a chunk of this type... */
	const struct sim_node
		*from;    /**< ...sent by (transmit tap) / to (delivery tap) it, NULL: any */
	uint64_t skip;    /**< ...after letting this many matching packets pass... */
	uint64_t count;   /**< ...this many of them (UINT64_MAX: all) */
	uint64_t seen;    /**< out: matching packets seen */
	uint64_t dropped; /**< out: packets dropped */
};

/**
 * A ready-made tap for "drop the first INIT ACK": use it with a struct sim_drop_chunk as @p arg,
 * for example sim_set_tx_tap(sim, sim_tap_drop_chunk, &(struct sim_drop_chunk){
 * .type = DPSCTP_CHUNK_INIT_ACK, .count = 1}).
 */
enum sim_verdict sim_tap_drop_chunk(struct sim *sim, struct sim_node *node,
	const struct dpsctp_path *path, uint8_t *pkt, size_t *len, void *arg);

/* ----------------------------------------------------------------------------------------- */
/* pcap */

/**
 * Write every packet handed to an endpoint (from a link or sim_inject) from now on to @p path,
 * LINKTYPE_RAW with a built IPv4 (DF set) or IPv6 header, timestamped with the virtual time at
 * delivery, in nanoseconds. Packets dropped anywhere (tap, link, CRC32c, no node) are not
 * written: the file shows what the endpoints actually received. Replaces an open file.
 * @return 0 or -EIO
 */
int sim_pcap_open(struct sim *sim, const char *path);

/** Flush and close the pcap file (also done by sim_destroy). */
void sim_pcap_close(struct sim *sim);

/** Packets written to the current or last pcap file. */
uint64_t sim_pcap_count(const struct sim *sim);

#endif /* DPSCTP_TESTS_SIM_H */
