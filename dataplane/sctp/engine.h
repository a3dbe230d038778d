/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sans-I/O SCTP engine: endpoints and associations, driven from outside.
 *
 * The engine never reads a clock, never allocates on its own, never does I/O. The caller
 * (the DPDK worker, the network simulator, a fuzzer) hands it:
 *   - packets with the path they arrived on and the time (dpsctp_endpoint_input),
 *   - user primitives (dpsctp_associate, dpsctp_assoc_shutdown, dpsctp_assoc_abort),
 *   - the time when a deadline passes (dpsctp_endpoint_next_deadline / dpsctp_endpoint_expire),
 * and asks it for packets to send (dpsctp_endpoint_output, one packet per call, with the path).
 * Memory and randomness come from struct dpsctp_env; events go out through struct
 * dpsctp_callbacks. Time is monotonic nanoseconds, chosen by the caller.
 *
 * Packets handed to input must have had their CRC32c verified by the caller (or the NIC);
 * packets produced by output carry a zero checksum field that the caller fills
 * (dpsctp_packet_set_checksum) or leaves to TX offload.
 */
#ifndef DPSCTP_SCTP_ENGINE_H
#define DPSCTP_SCTP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "param.h"

/** Time value meaning "no deadline". */
#define DPSCTP_NEVER UINT64_MAX

/** Nanoseconds per millisecond, for configuration values. */
#define DPSCTP_MS 1000000ull

/** Largest packet the engine builds or accepts (jumbo frame payload). */
#define DPSCTP_MAX_PACKET 9216

/** Most local addresses of an endpoint and peer addresses of an association. */
#define DPSCTP_MAX_ADDRS 16

/** Injected environment: memory and randomness. All three callbacks are required. */
struct dpsctp_env {
	void *ctx; /**< passed back to every callback */
	/** Allocate @p size bytes (contents undefined); NULL on failure, which the engine handles. */
	void *(*alloc)(void *ctx, size_t size);
	/** Release memory from @c alloc; @p size is the size that was asked for. */
	void (*free)(void *ctx, void *ptr, size_t size);
	/** Fill @p buf with @p len random bytes (verification tags, TSNs, nonces, secrets). */
	void (*random)(void *ctx, void *buf, size_t len);
	/**
	 * Optional: the cookie secret of period @p epoch (a period lasts 2 x Valid.Cookie.Life,
	 * at least 1 s; epoch = now / period), @p len bytes into @p key. When set, every endpoint
	 * given the same function and configuration MACs and accepts the same cookies, so one
	 * endpoint (a control core) can answer INIT and another (the worker that will own the
	 * association) accept the COOKIE ECHO, without sharing memory. NULL: secrets are drawn
	 * from @c random and are the endpoint's own.
	 */
	void (*cookie_secret)(void *ctx, uint64_t epoch, uint8_t *key, size_t len);
};

/** One network path: the local and remote IP address a packet travels between. */
struct dpsctp_path {
	struct dpsctp_addr local;  /**< our address */
	struct dpsctp_addr remote; /**< the peer's address */
};

/** Protocol parameters (RFC 9260 section 16), copied into each endpoint. Times in ns. */
struct dpsctp_proto_config {
	uint64_t rto_initial;        /**< RTO.Initial (default 1 s) */
	uint64_t rto_min;            /**< RTO.Min (default 1 s) */
	uint64_t rto_max;            /**< RTO.Max (default 60 s) */
	/** Valid.Cookie.Life (default 60 s); the cookie secret rotates every 2 x this (>= 1 s) */
	uint64_t valid_cookie_life;
	uint64_t hb_interval;        /**< HB.interval (default 30 s); 0 disables keep-alive */
	uint64_t shutdown_guard;     /**< T5-shutdown-guard (default 5 x RTO.Max) */
	uint32_t max_init_retrans;   /**< Max.Init.Retransmits (default 8) */
	uint32_t assoc_max_retrans;  /**< Association.Max.Retrans (default 10) */
	uint32_t path_max_retrans;   /**< Path.Max.Retrans (default 5) */
	/**
	 * RFC 7829 potentially-failed threshold (PFMR): a path whose error count exceeds it is
	 * POTENTIALLY-FAILED and carries no data while another path is ACTIVE. Default
	 * DPSCTP_PF_DISABLED (RFC 9260 behaviour); a value >= path_max_retrans also disables it.
	 */
	uint32_t pf_threshold;
	uint32_t hb_max_burst;       /**< HB.Max.Burst: confirmation probes per RTO (default 1) */
	uint32_t a_rwnd;             /**< advertised receiver window in bytes (default 131072) */
	uint16_t os;                 /**< outbound streams requested (default 10) */
	uint16_t mis;                /**< maximum inbound streams accepted (default 65535) */
	uint32_t adaptation_ind;     /**< RFC 5061 adaptation layer indication sent if has_adaptation */
	bool has_adaptation;         /**< send the Adaptation Layer Indication parameter */
	/* data transfer (RFC 9260 6 and 7) */
	uint64_t sack_delay;         /**< delayed SACK timeout (default 200 ms, 6.2); 0: no delay */
	uint32_t sack_freq;          /**< packets with DATA acknowledged per SACK (default 2) */
	uint32_t max_burst;          /**< Max.Burst: DATA packets per send opportunity (default 4) */
	uint32_t sndbuf;             /**< send buffer: user bytes unsent or unacked (default 262144) */
	/** partial delivery point in bytes (default 0: a_rwnd / 2), RFC 6458 8.1.21 */
	uint32_t pd_point;
	uint16_t pmtu;               /**< path MTU, IP header included (default 1500, >= 576) */
	bool nodelay;                /**< no Nagle-like delay of small messages (SCTP_NODELAY) */
	/**
	 * Delivered bytes stay counted against our receiver window until the caller reports them
	 * read with dpsctp_assoc_consume() (an application with its own receive buffer); when
	 * false, delivery frees the window at once.
	 */
	bool rcv_app_window;
	/* application socket options (RFC 6458 8.1) */
	/**
	 * Largest user-data bytes in one DATA chunk (SCTP_MAXSEG, RFC 6458 8.1.16); 0 (default):
	 * what the path MTU allows. Messages are fragmented at min(maxseg, MTU-derived size); a
	 * value above the MTU-derived size changes nothing. 0 or DPSCTP_MAXSEG_MIN and more.
	 */
	uint32_t maxseg;
	/**
	 * SCTP_DISABLE_FRAGMENTS (RFC 6458 8.1.15): a message larger than one DATA chunk carries
	 * (dpsctp_assoc_frag_point()) is refused by dpsctp_assoc_send() with -EMSGSIZE; one that
	 * no longer fits when its turn comes (the path MTU shrank) fails with SEND_FAILED
	 * (DPSCTP_DATA_UNSENT, error 0). Default false.
	 */
	bool disable_fragments;
	/**
	 * SCTP_AUTOCLOSE (RFC 6458 8.1.8), ns: an ESTABLISHED association that neither accepted
	 * a message from dpsctp_assoc_send() nor received a DATA chunk for this long is shut down
	 * gracefully (as dpsctp_assoc_shutdown()). 0 (default): never.
	 */
	uint64_t autoclose;
	/**
	 * Cap, ns, of the timeout between INIT / COOKIE ECHO retransmissions (T1-init, T1-cookie:
	 * RFC 6458 8.1.3 sinit_max_init_timeo); the path RTO still backs off up to rto_max.
	 * 0 (default): rto_max.
	 */
	uint64_t max_init_timeo;
};

/** pf_threshold value that switches the potentially-failed state off. */
#define DPSCTP_PF_DISABLED UINT32_MAX

/** Smallest non-zero dpsctp_proto_config.maxseg, bytes. */
#define DPSCTP_MAXSEG_MIN 64u

/** Largest dpsctp_proto_config.sack_delay: 500 ms (RFC 9260 6.2). */
#define DPSCTP_SACK_DELAY_MAX (500 * DPSCTP_MS)

/** Fill @p cfg with the RFC 9260 section 16 defaults. */
void dpsctp_proto_config_default(struct dpsctp_proto_config *cfg);

/**
 * Check a configuration as dpsctp_endpoint_create() and dpsctp_endpoint_set_config() do.
 * Refused (-EINVAL): rto_min 0, rto_min > rto_max, rto_initial outside [rto_min, rto_max];
 * max_init_retrans, assoc_max_retrans or path_max_retrans 0; sack_freq, max_burst or
 * hb_max_burst 0; sack_delay above DPSCTP_SACK_DELAY_MAX; pmtu outside [576, DPSCTP_MAX_PACKET];
 * a_rwnd below 1500; sndbuf 0; maxseg in 1..DPSCTP_MAXSEG_MIN-1; os or mis 0;
 * valid_cookie_life or shutdown_guard 0.
 * @return 0 or -EINVAL (also for a NULL @p cfg)
 */
int dpsctp_proto_config_check(const struct dpsctp_proto_config *cfg);

/** Association states (RFC 9260 4). */
enum dpsctp_state {
	DPSCTP_CLOSED = 0,
	DPSCTP_COOKIE_WAIT,
	DPSCTP_COOKIE_ECHOED,
	DPSCTP_ESTABLISHED,
	DPSCTP_SHUTDOWN_PENDING,
	DPSCTP_SHUTDOWN_SENT,
	DPSCTP_SHUTDOWN_RECEIVED,
	DPSCTP_SHUTDOWN_ACK_SENT,
	DPSCTP_STATE_COUNT
};

/** Name of a state ("ESTABLISHED"). */
const char *dpsctp_state_name(enum dpsctp_state s);

/** Event kinds, mirroring the RFC 6458 6.1 notification types. */
enum dpsctp_event_type {
	DPSCTP_EV_ASSOC_CHANGE = 1,
	DPSCTP_EV_PEER_ADDR_CHANGE,
	DPSCTP_EV_REMOTE_ERROR,
	DPSCTP_EV_SEND_FAILED,
	DPSCTP_EV_SHUTDOWN,
	DPSCTP_EV_ADAPTATION_INDICATION,
	DPSCTP_EV_PARTIAL_DELIVERY,
	DPSCTP_EV_SENDER_DRY,
};

/** sac_state values of an ASSOC_CHANGE event (RFC 6458 6.1.1). */
enum dpsctp_assoc_change_state {
	DPSCTP_EV_COMM_UP = 1,
	DPSCTP_EV_COMM_LOST,
	DPSCTP_EV_RESTART,
	DPSCTP_EV_SHUTDOWN_COMP,
	DPSCTP_EV_CANT_STR_ASSOC,
};

/** State of a peer address (a path) (RFC 9260 5.4 and 8.2, RFC 7829). */
enum dpsctp_path_state {
	DPSCTP_PATH_UNCONFIRMED = 0, /**< not yet confirmed by a HEARTBEAT ACK: no data to it */
	DPSCTP_PATH_ACTIVE,          /**< confirmed and reachable */
	DPSCTP_PATH_PF,              /**< potentially failed (RFC 7829): probed, no new data */
	DPSCTP_PATH_INACTIVE,        /**< errors exceeded Path.Max.Retrans */
};

/** Name of a path state ("ACTIVE"). */
const char *dpsctp_path_state_name(enum dpsctp_path_state s);

/** spc_state values of a PEER_ADDR_CHANGE event (RFC 6458 6.1.2, Linux's PF added). */
enum dpsctp_paddr_change {
	DPSCTP_ADDR_AVAILABLE = 1,       /**< reachable again (INACTIVE or PF -> ACTIVE) */
	DPSCTP_ADDR_UNREACHABLE,         /**< became INACTIVE */
	DPSCTP_ADDR_REMOVED,             /**< no longer an address of the peer */
	DPSCTP_ADDR_ADDED,               /**< became an address of the peer */
	DPSCTP_ADDR_MADE_PRIM,           /**< made the primary path */
	DPSCTP_ADDR_CONFIRMED,           /**< confirmed by a HEARTBEAT ACK (5.4) */
	DPSCTP_ADDR_POTENTIALLY_FAILED,  /**< became POTENTIALLY-FAILED (RFC 7829) */
};

/** sndinfo / rcvinfo flags. */
enum {
	DPSCTP_SND_UNORDERED = 1u << 0,       /**< unordered message (U bit) */
	DPSCTP_SND_SACK_IMMEDIATELY = 1u << 1, /**< ask the peer to SACK at once (RFC 7053 I bit) */
};

/** How a user message is to be sent (RFC 6458 struct sctp_sndinfo and sctp_prinfo). */
struct dpsctp_sndinfo {
	uint16_t sid;      /**< stream identifier, < the negotiated outbound streams */
	uint16_t flags;    /**< DPSCTP_SND_* */
	uint32_t ppid;     /**< payload protocol identifier, RAW (network byte order, opaque) */
	uint32_t context;  /**< the caller's value, reported back in SEND_FAILED */
	uint64_t lifetime; /**< ns the message may wait before its first transmission; 0: forever */
};

/** How a received message arrived (RFC 6458 struct sctp_rcvinfo). */
struct dpsctp_rcvinfo {
	uint16_t sid;      /**< stream identifier */
	uint16_t ssn;      /**< stream sequence number (meaningless when unordered) */
	uint16_t flags;    /**< DPSCTP_SND_UNORDERED when it was sent unordered */
	uint32_t ppid;     /**< payload protocol identifier, RAW (network byte order) */
	uint32_t tsn;      /**< TSN of the message's first chunk */
	uint32_t cumtsn;   /**< our cumulative TSN ack point when delivered */
	uint32_t assoc_id; /**< the association */
};

/** A piece of received data; valid only during the deliver callback. */
struct dpsctp_iov {
	const uint8_t *base; /**< first byte */
	size_t len;          /**< bytes */
};

/** flags of a SEND_FAILED event (RFC 6458 6.1.11 ssfe_flags). */
enum {
	DPSCTP_DATA_UNSENT = 1u << 0, /**< the message was never transmitted */
	DPSCTP_DATA_SENT = 1u << 1,   /**< (part of) it was transmitted, not acknowledged */
};

/** pdapi_indication of a PARTIAL_DELIVERY event (RFC 6458 6.1.7). */
#define DPSCTP_PARTIAL_DELIVERY_ABORTED 1

/** An event for the upper layer; pointers are valid only during the callback. */
struct dpsctp_event {
	enum dpsctp_event_type type; /**< which member of @c u is valid */
	uint32_t assoc_id;           /**< the association's identifier */
	union {
		/** ASSOC_CHANGE (RFC 6458 6.1.1) */
		struct {
			enum dpsctp_assoc_change_state state;
			uint16_t error;        /**< cause code that led to it, 0 if none */
			uint16_t outbound_streams; /**< negotiated, for COMM_UP and RESTART */
			uint16_t inbound_streams;  /**< negotiated, for COMM_UP and RESTART */
			const uint8_t *info;   /**< the peer's ABORT causes (raw TLVs) when aborted */
			size_t info_len;       /**< bytes of @c info */
			/** COMM_LOST / CANT_STR_ASSOC: why it ended (DPSCTP_ABORT_PEER: the peer's ABORT) */
			uint8_t why; /**< an enum dpsctp_abort_code */
		} assoc_change;
		/** PEER_ADDR_CHANGE (RFC 6458 6.1.2) */
		struct {
			struct dpsctp_addr addr;         /**< the peer address */
			enum dpsctp_paddr_change state;  /**< what happened to it */
			uint16_t error;                  /**< cause code, 0 if none */
		} paddr;
		/** REMOTE_ERROR (RFC 6458 6.1.3): one per ERROR chunk received */
		struct {
			uint16_t error;        /**< first cause code, host order */
			const uint8_t *causes; /**< all causes (raw TLVs, network order) */
			size_t causes_len;     /**< bytes of @c causes */
		} remote_error;
		/** ADAPTATION_INDICATION (RFC 6458 6.1.6) */
		struct {
			uint32_t ind; /**< the peer's adaptation layer indication, host order */
		} adaptation;
		/** SEND_FAILED (RFC 6458 6.1.11): a message that will not be delivered */
		struct {
			uint32_t flags;               /**< DPSCTP_DATA_UNSENT or DPSCTP_DATA_SENT */
			uint16_t error;               /**< cause code, 0 when its lifetime expired */
			struct dpsctp_sndinfo info;   /**< as given to dpsctp_assoc_send() */
			const uint8_t *data;          /**< the whole message */
			size_t len;                   /**< its length */
		} send_failed;
		/** PARTIAL_DELIVERY (RFC 6458 6.1.7): a partly delivered message will not complete */
		struct {
			uint32_t indication; /**< DPSCTP_PARTIAL_DELIVERY_ABORTED */
			uint16_t sid;        /**< its stream */
			uint16_t ssn;        /**< its stream sequence number */
		} partial_delivery;
	} u;
};

struct dpsctp_endpoint;
struct dpsctp_assoc;

/**
 * Upcalls. Any may be NULL. They must not call back into the engine for the same endpoint,
 * except for the read-only accessors (dpsctp_assoc_id, dpsctp_assoc_state, dpsctp_assoc_user,
 * dpsctp_assoc_get_status, dpsctp_endpoint_stats), which are safe anywhere.
 */
struct dpsctp_callbacks {
	void *ctx; /**< passed back to every callback */
	/** An event (notification) for association @p a. */
	void (*event)(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev);
	/** @p a moved from state @p from to @p to. */
	void (*state_change)(void *ctx, struct dpsctp_assoc *a, enum dpsctp_state from,
		enum dpsctp_state to);
	/**
	 * User data of association @p a: a message arrives in one or more calls, in order, @p eor
	 * set on the last; calls for two messages never interleave. Partial delivery (a message
	 * larger than the partial delivery point) is several calls spread over time.
	 */
	void (*deliver)(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
		const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor);
	/** @p a is about to be released; drop every reference to it. */
	void (*assoc_free)(void *ctx, struct dpsctp_assoc *a);
	/**
	 * Source address selection: which of the endpoint's addresses reaches peer address
	 * @p remote. Write it to @p local and return 0, or return -EHOSTUNREACH. The engine asks
	 * when it learns a peer address (and on dpsctp_endpoint_routes_changed()); it never guesses
	 * routes itself. An answer that is not one of the endpoint's addresses counts as
	 * unreachable. NULL: the first endpoint address of the same family in the same scope
	 * (loopback, link-local or global).
	 */
	int (*route)(void *ctx, const struct dpsctp_addr *remote, struct dpsctp_addr *local);
};

/** Why the engine discarded a packet or chunk; counted in struct dpsctp_stats. */
enum dpsctp_drop {
	DPSCTP_DROP_MALFORMED = 0,   /**< packet structure invalid (packet.h) */
	DPSCTP_DROP_BAD_PORT,        /**< destination port is not the endpoint's */
	DPSCTP_DROP_BAD_VTAG,        /**< verification tag mismatch (8.5) */
	DPSCTP_DROP_OOTB,            /**< out of the blue, discarded (8.4) */
	DPSCTP_DROP_NOT_LISTENING,   /**< INIT for an endpoint that does not accept */
	DPSCTP_DROP_BAD_COOKIE,      /**< COOKIE ECHO with a bad MAC or structure */
	DPSCTP_DROP_STALE_COOKIE,    /**< COOKIE ECHO past its lifetime (answered) */
	DPSCTP_DROP_BAD_CHUNK,       /**< a chunk that does not decode */
	DPSCTP_DROP_UNEXPECTED,      /**< chunk not valid in the current state (ignored) */
	DPSCTP_DROP_UNKNOWN_CHUNK,   /**< unrecognised chunk type, per its upper bits */
	DPSCTP_DROP_NO_MEMORY,       /**< allocation failed */
	DPSCTP_DROP_QUEUE_FULL,      /**< reply queue full, stateless answer not sent */
	DPSCTP_DROP_UNSUPPORTED,     /**< chunk kind not implemented (I-DATA, FORWARD-TSN...) */
	DPSCTP_DROP_NO_RWND,         /**< DATA beyond our receiver window, not acked (6.2) */
	DPSCTP_DROP_BAD_STREAM,      /**< DATA for a stream that does not exist, acked (6.5) */
	DPSCTP_DROP_STALE_SACK,      /**< SACK older than one already processed (6.2.1 D) */
	DPSCTP_DROP_COUNT
};

/** Why the engine ended an association with an ABORT (or without one); each site its own code. */
enum dpsctp_abort_code {
	DPSCTP_ABORT_USER = 0,            /**< the user asked (User-Initiated Abort) */
	DPSCTP_ABORT_PEER,                /**< the peer sent ABORT */
	DPSCTP_ABORT_T1_INIT,             /**< T1-init exceeded Max.Init.Retransmits */
	DPSCTP_ABORT_T1_COOKIE,           /**< T1-cookie exceeded Max.Init.Retransmits */
	DPSCTP_ABORT_T2_SHUTDOWN,         /**< T2-shutdown exceeded Association.Max.Retrans */
	DPSCTP_ABORT_T5_GUARD,            /**< T5-shutdown-guard expired */
	DPSCTP_ABORT_HB_MAX_RETRANS,      /**< heartbeats unanswered Association.Max.Retrans */
	DPSCTP_ABORT_INIT_ACK_INVALID,    /**< INIT ACK with an invalid mandatory parameter */
	DPSCTP_ABORT_INIT_ACK_MISSING,    /**< INIT ACK without a State Cookie */
	DPSCTP_ABORT_STALE_COOKIE_MAX,    /**< Stale Cookie errors exceeded Max.Init.Retransmits */
	DPSCTP_ABORT_NO_MEMORY,           /**< allocation failed while building state */
	DPSCTP_ABORT_PROTOCOL_VIOLATION,  /**< the peer broke a rule (Protocol Violation cause) */
	DPSCTP_ABORT_T3_MAX_RETRANS,      /**< DATA retransmitted Association.Max.Retrans times */
	DPSCTP_ABORT_NO_USER_DATA,        /**< a DATA chunk without user data (6.2) */
	DPSCTP_ABORT_SACK_BEYOND,         /**< SACK acknowledging a TSN never sent (6.2.1) */
	DPSCTP_ABORT_COUNT
};

/** Counters of one endpoint (and its associations). */
struct dpsctp_stats {
	uint64_t packets_in;                  /**< packets given to input */
	uint64_t packets_out;                 /**< packets produced by output */
	uint64_t drops[DPSCTP_DROP_COUNT];    /**< discards by reason */
	uint64_t aborts[DPSCTP_ABORT_COUNT];  /**< association ends by abort site */
	uint64_t assocs_established;          /**< associations that reached ESTABLISHED */
	uint64_t assocs_closed;               /**< associations released */
	uint64_t restarts;                    /**< peer restarts detected (5.2.4 case A) */
	uint64_t init_collisions;             /**< INITs handled by 5.2.1 / 5.2.2 */
	uint64_t t1_expiries;                 /**< T1-init and T1-cookie expirations */
	uint64_t t2_expiries;                 /**< T2-shutdown expirations */
	uint64_t hb_sent;                     /**< HEARTBEATs sent */
	uint64_t hb_acked;                    /**< HEARTBEAT ACKs accepted */
	uint64_t errors_sent;                 /**< ERROR chunks sent */
	uint64_t errors_received;             /**< ERROR chunks received */
	uint64_t replies_queued;              /**< packets queued whole: stateless answers (INIT ACK, ABORT...) and SACKs sent apart during a receive burst */
	uint64_t msgs_sent;                   /**< user messages accepted by dpsctp_assoc_send */
	uint64_t msgs_delivered;              /**< user messages delivered whole (eor) */
	uint64_t msgs_failed;                 /**< SEND_FAILED events (lifetime, abort) */
	uint64_t msgs_acked;                  /**< user messages the peer acknowledged whole (cumulative TSN past their last chunk) */
	uint64_t bytes_acked;                 /**< their payload bytes: what the peer has, as the sender can tell */
	uint64_t data_out;                    /**< DATA chunks sent the first time */
	uint64_t data_in;                     /**< new DATA chunks kept */
	uint64_t data_dup;                    /**< duplicate DATA chunks received */
	uint64_t retrans_t3;                  /**< DATA chunks retransmitted after T3-rtx */
	uint64_t retrans_fast;                /**< DATA chunks fast-retransmitted (7.2.4) */
	uint64_t t3_expiries;                 /**< T3-rtx expirations */
	uint64_t sacks_out;                   /**< SACK chunks sent */
	uint64_t sacks_in;                    /**< SACK chunks processed */
	uint64_t sacks_express;               /**< of those, by the cum-ack-only express path */
	uint64_t zero_window_probes;          /**< DATA sent into a zero peer window (6.1 A) */
	uint64_t partial_deliveries;          /**< partial deliveries started */
	/* paths (RFC 9260 8, RFC 7829) */
	uint64_t paths_confirmed;             /**< peer addresses confirmed by HEARTBEAT (5.4) */
	uint64_t paths_pf;                    /**< transitions into POTENTIALLY-FAILED */
	uint64_t paths_inactive;              /**< transitions into INACTIVE */
	uint64_t paths_available;             /**< transitions back to ACTIVE */
	uint64_t failovers;                   /**< data moved to another path than before */
	uint64_t ptb_accepted;                /**< ICMP packet-too-big reports believed */
	uint64_t ptb_rejected;                /**< ICMP reports not matching an association's tag */
};

/** Name of a drop reason / abort code, for logs and telemetry. */
const char *dpsctp_drop_name(enum dpsctp_drop d);
const char *dpsctp_abort_code_name(enum dpsctp_abort_code c);

/** How an endpoint is created. */
struct dpsctp_endpoint_params {
	uint16_t port;                      /**< local SCTP port, non-zero */
	const struct dpsctp_addr *addrs;    /**< local addresses (1..DPSCTP_MAX_ADDRS) */
	size_t naddrs;                      /**< number of @c addrs */
	bool listen;                        /**< accept incoming associations */
	const struct dpsctp_proto_config *cfg; /**< NULL for the defaults; copied */
	/**
	 * Ownership encoding: our verification tags and association ids carry @c owner in their
	 * low @c owner_bits bits (0..8), so a multi-core caller can tell from a packet's tag which
	 * core owns the association without a lookup. 0: tags fully random.
	 */
	uint8_t owner_bits;
	uint32_t owner; /**< value of those bits, < 2^owner_bits */
};

/**
 * Create an endpoint. @p env and @p cb are copied. @p now seeds the cookie secret rotation.
 * @return 0, -EINVAL (bad parameters: no port, 0 or more than DPSCTP_MAX_ADDRS addresses, a
 *         family other than 4 or 6, owner bits, or a configuration dpsctp_proto_config_check()
 *         refuses) or -ENOMEM.
 */
int dpsctp_endpoint_create(const struct dpsctp_env *env, const struct dpsctp_callbacks *cb,
	const struct dpsctp_endpoint_params *p, uint64_t now, struct dpsctp_endpoint **out);

/**
 * Release the endpoint and every association without sending anything (assoc_free is called
 * for each). For a graceful end, shut associations down first and run until they are gone.
 */
void dpsctp_endpoint_destroy(struct dpsctp_endpoint *ep);

/**
 * Change the owner value put into new verification tags and association ids (see
 * struct dpsctp_endpoint_params): a core answering INIT for several workers names the worker
 * that will own the association before it hands the INIT to dpsctp_endpoint_input.
 * @return 0 or -EINVAL (does not fit the endpoint's owner_bits)
 */
int dpsctp_endpoint_set_owner(struct dpsctp_endpoint *ep, uint32_t owner);

/** Start or stop accepting incoming associations. */
void dpsctp_endpoint_listen(struct dpsctp_endpoint *ep, bool on);

/**
 * Replace the endpoint's configuration (socket options set on a one-to-many socket for the
 * associations to come). It applies to associations created from now on (dpsctp_associate(),
 * an accepted COOKIE ECHO) and to the INIT ACKs the endpoint answers with (a_rwnd, os, mis,
 * adaptation indication, Valid.Cookie.Life; the cookie secret period follows the new cookie
 * life from its next rotation). Existing associations keep theirs (dpsctp_assoc_set_config()
 * changes one). @p cfg is copied.
 * @return 0, or -EINVAL (NULL, or dpsctp_proto_config_check() refuses it: nothing changed)
 */
int dpsctp_endpoint_set_config(struct dpsctp_endpoint *ep, const struct dpsctp_proto_config *cfg);

/** Copy the endpoint's configuration (what new associations get) to @p cfg. */
void dpsctp_endpoint_get_config(const struct dpsctp_endpoint *ep,
	struct dpsctp_proto_config *cfg);

/**
 * Replace the endpoint's local addresses (sctp_bindx): @p n addresses, duplicates collapsed.
 * New associations and INIT ACKs use them; existing associations keep the addresses they had
 * when they were created (no ASCONF). @p addrs is copied.
 * @return 0, or -EINVAL (NULL, @p n 0 or above DPSCTP_MAX_ADDRS, a family other than 4 or 6:
 *         nothing changed)
 */
int dpsctp_endpoint_set_addrs(struct dpsctp_endpoint *ep, const struct dpsctp_addr *addrs,
	size_t n);

/**
 * The endpoint's local addresses: writes up to @p cap of them to @p out (may be NULL with
 * @p cap 0). @return how many there are.
 */
size_t dpsctp_endpoint_addrs(const struct dpsctp_endpoint *ep, struct dpsctp_addr *out,
	size_t cap);

/** The endpoint's counters. */
const struct dpsctp_stats *dpsctp_endpoint_stats(const struct dpsctp_endpoint *ep);

/** Number of associations the endpoint holds (any state). */
size_t dpsctp_endpoint_assoc_count(const struct dpsctp_endpoint *ep);

/** The association with identifier @p id, or NULL. */
struct dpsctp_assoc *dpsctp_endpoint_assoc_by_id(struct dpsctp_endpoint *ep, uint32_t id);

/**
 * Process one received SCTP packet (common header first, checksum already verified) that
 * arrived on @p path at time @p now. Anything wrong with it is counted and answered as RFC 9260
 * says; nothing in it can fail the call.
 * @return 0 when processed, or a positive enum dpsctp_drop + 1 when it was discarded whole.
 */
int dpsctp_endpoint_input(struct dpsctp_endpoint *ep, const uint8_t *pkt, size_t len,
	const struct dpsctp_path *path, uint64_t now);

/**
 * Answer a packet (checksum verified) sent to a port where no endpoint exists, as RFC 9260 8.4
 * says: an INIT gets an ABORT with its Initiate Tag and the T bit clear (rule 3: so the peer's
 * connect fails at once instead of timing out), a SHUTDOWN ACK a SHUTDOWN COMPLETE and any other
 * packet an ABORT, both with the packet's tag and the T bit set; ABORT, SHUTDOWN COMPLETE, COOKIE
 * ACK, COOKIE ECHO, Stale Cookie errors and malformed packets get nothing. The answer goes back
 * on the reversed path; its checksum field is zero.
 * @return its length in @p buf (@p cap >= 16), or 0 for no answer
 */
size_t dpsctp_ootb_answer(const uint8_t *pkt, size_t len, uint8_t *buf, size_t cap);

/**
 * Build the next packet to send into @p buf (@p cap bytes, at least 1500 recommended) and tell
 * on which @p path. The checksum field is left zero for the caller to fill.
 * @return the packet length, or 0 when there is nothing (more) to send now.
 */
size_t dpsctp_endpoint_output(struct dpsctp_endpoint *ep, uint8_t *buf, size_t cap,
	struct dpsctp_path *path, uint64_t now);

/**
 * Earliest time at which dpsctp_endpoint_expire has work, or DPSCTP_NEVER. It may be at or before
 * the current time (a deadline due now): expire at once.
 */
uint64_t dpsctp_endpoint_next_deadline(struct dpsctp_endpoint *ep);

/** Run every timer whose deadline is <= @p now (and rotate the cookie secret when due). */
void dpsctp_endpoint_expire(struct dpsctp_endpoint *ep, uint64_t now);

/**
 * Routes changed: ask the route callback again for every path of every association. A path
 * without a route is INACTIVE (UNREACHABLE reported) until it has one again and is answered.
 */
void dpsctp_endpoint_routes_changed(struct dpsctp_endpoint *ep, uint64_t now);

/**
 * An ICMP "fragmentation needed" (ICMPv4 type 3 code 4) or ICMPv6 "packet too big" report
 * arrived about a packet sent on @p path (local: our source address, remote: the destination
 * it quoted). @p quoted holds the SCTP bytes the ICMP message quotes (at least the 8 bytes of
 * ports and verification tag; the first chunk helps for INIT). RFC 9260 appendix C: it is
 * believed only when the ports and addresses name an association and the quoted verification
 * tag is the peer's (or 0 with an INIT carrying our Initiate Tag). The path MTU then becomes
 * @p mtu (not below 512 for IPv4, 1280 for IPv6; never raised), and messages not yet
 * fragmented are cut to fit it.
 * @return 0 when believed; -ENOENT (no association), -EPERM (tag mismatch: a forgery or a
 *         stale report), -EINVAL (too short, or PMTU discovery is off on the path)
 */
int dpsctp_endpoint_icmp_ptb(struct dpsctp_endpoint *ep, const struct dpsctp_path *path,
	const uint8_t *quoted, size_t qlen, uint32_t mtu, uint64_t now);

/**
 * ASSOCIATE primitive (RFC 9260 10.1, sctp_connectx): start the four-way handshake to
 * @p peer_port at the @p npeers addresses @p peers; @p os outbound streams (0: the configured
 * default). Every address given is confirmed (RFC 9260 5.4 rule 1); INIT goes to the first one
 * the route callback reaches, and each retransmission of INIT or COOKIE ECHO to the next one.
 * The first reachable address is the primary path. The association is in COOKIE-WAIT when this
 * returns; COMM_UP or CANT_STR_ASSOC follows as an event.
 * @return 0, -EINVAL, -EADDRINUSE (an association to that peer exists), -ENETUNREACH (no route
 *         to any of the addresses) or -ENOMEM.
 */
int dpsctp_associate(struct dpsctp_endpoint *ep, const struct dpsctp_addr *peers, size_t npeers,
	uint16_t peer_port, uint16_t os, uint64_t now, struct dpsctp_assoc **out);

/**
 * SHUTDOWN primitive (RFC 9260 9.2): graceful close. Before ESTABLISHED it ends the
 * association at once (without ABORT in CLOSED/COOKIE-WAIT, as 9.2 allows).
 * @return 0, or -ENOTCONN when a shutdown is already in progress.
 */
int dpsctp_assoc_shutdown(struct dpsctp_assoc *a, uint64_t now);

/**
 * ABORT primitive (RFC 9260 9.1): send ABORT with the User-Initiated Abort cause carrying
 * @p reason (@p len bytes, may be 0) and release the association.
 * @return 0, or -EINVAL when @p len exceeds 1024.
 */
int dpsctp_assoc_abort(struct dpsctp_assoc *a, const void *reason, size_t len, uint64_t now);

/** Association identifier (unique within the endpoint, never 0). */
uint32_t dpsctp_assoc_id(const struct dpsctp_assoc *a);

/** Current state. */
enum dpsctp_state dpsctp_assoc_state(const struct dpsctp_assoc *a);

/** Attach / read an opaque pointer for the caller. */
void dpsctp_assoc_set_user(struct dpsctp_assoc *a, void *user);
void *dpsctp_assoc_user(const struct dpsctp_assoc *a);

/**
 * SEND primitive (RFC 9260 10.1 B): queue one user message of @p len bytes (copied) for the
 * stream, order and lifetime @p si says. Allowed from COOKIE-WAIT to ESTABLISHED (messages
 * wait for the handshake). The send buffer (cfg.sndbuf) bounds unsent plus unacknowledged bytes:
 * a message that does not fit is refused, never dropped later without a SEND_FAILED event.
 * @return 0; -EINVAL (NULL, @p len 0, stream >= outbound streams); -EMSGSIZE (@p len larger
 *         than the send buffer, or than 4096 DATA chunks carry, or with cfg.disable_fragments
 *         than one DATA chunk carries, dpsctp_assoc_frag_point()); -EAGAIN (no room now: retry when data is acknowledged);
 *         -ESHUTDOWN (shutdown in progress); -ENOMEM.
 */
int dpsctp_assoc_send(struct dpsctp_assoc *a, const struct dpsctp_sndinfo *si, const void *data,
	size_t len, uint64_t now);

/**
 * The largest user-data bytes one DATA chunk carries now (SCTP_STATUS
 * sstat_fragmentation_point): min(cfg.maxseg, what the smallest path MTU leaves after the IP,
 * common and DATA chunk headers, rounded down to a multiple of 4).
 */
uint32_t dpsctp_assoc_frag_point(const struct dpsctp_assoc *a);

/**
 * The association's configuration (SCTP_RTOINFO, SCTP_ASSOCINFO, SCTP_DELAYED_SACK... read on
 * an association). rto_initial/min/max, hb_interval, path_max_retrans and pf_threshold are the
 * association's defaults for paths (also changed by dpsctp_assoc_set_paddr_params() and
 * dpsctp_assoc_set_thresholds() without an address); os and mis are what was asked for and
 * offered at the handshake (the negotiated values are in dpsctp_assoc_get_status()).
 */
void dpsctp_assoc_get_config(const struct dpsctp_assoc *a, struct dpsctp_proto_config *cfg);

/**
 * Change a live association's configuration (socket options on an association); any state,
 * COOKIE-WAIT included. Typical use: dpsctp_assoc_get_config(), change fields, set.
 *   - rto_initial / rto_min / rto_max: every path's current RTO is clamped into the new
 *     [rto_min, rto_max] (a path never measured, still at the old RTO.Initial, takes the new
 *     one); paths learned later start at rto_initial;
 *   - max_init_retrans, max_init_timeo: the running handshake uses them (a running T1 timer
 *     is brought forward to now + max_init_timeo when that is earlier); assoc_max_retrans;
 *   - hb_interval, path_max_retrans, pf_threshold, pmtu: defaults for paths learned later, only
 *     when they differ from the association's current defaults (existing paths: set them with
 *     dpsctp_assoc_set_paddr_params() / dpsctp_assoc_set_thresholds()); hb_interval 0 turns
 *     keep-alive off for those paths;
 *   - sack_delay (0: a SACK for every packet with DATA; a pending delayed SACK goes at once),
 *     sack_freq, max_burst, maxseg (messages not yet given TSNs), nodelay, pd_point, sndbuf
 *     (may fall below what is buffered: sends get -EAGAIN until it drains), a_rwnd (our
 *     window: the next SACK advertises it; a window update follows when it grew by an MTU or
 *     more), disable_fragments, shutdown_guard (the next T5 start);
 *   - autoclose: a changed value counts the idle time from now (then from each send or DATA
 *     received); 0 stops it.
 * Ignored (fixed once the handshake began): os, mis, valid_cookie_life, has_adaptation,
 * adaptation_ind, rcv_app_window.
 * @return 0; -EINVAL (NULL, or an invalid value as dpsctp_proto_config_check() says, the
 *         ignored fields aside: nothing changed)
 */
int dpsctp_assoc_set_config(struct dpsctp_assoc *a, const struct dpsctp_proto_config *cfg,
	uint64_t now);

/** Bytes of send buffer free now (what a dpsctp_assoc_send() of that size would accept). */
size_t dpsctp_assoc_sndbuf_free(const struct dpsctp_assoc *a);

/**
 * With cfg.rcv_app_window: the user has read @p bytes of delivered data; our window reopens
 * (a window update SACK follows when it opened enough, RFC 9260 6.2). Ignored otherwise.
 */
void dpsctp_assoc_consume(struct dpsctp_assoc *a, size_t bytes, uint64_t now);

/* ---- paths (socket options SCTP_PRIMARY_ADDR, SCTP_PEER_ADDR_PARAMS, SCTP_PEER_ADDR_THLDS,
 * SCTP_GET_PEER_ADDR_INFO; RFC 6458 8) ---- */

/** Flags of struct dpsctp_paddr_params (RFC 6458 8.1.12 spp_flags). */
enum {
	DPSCTP_SPP_HB_ENABLE = 1u << 0,    /**< heartbeats on (idle paths, every hb_interval) */
	DPSCTP_SPP_HB_DISABLE = 1u << 1,   /**< heartbeats off (confirmation probes still go) */
	DPSCTP_SPP_HB_DEMAND = 1u << 2,    /**< send a heartbeat now */
	DPSCTP_SPP_PMTUD_ENABLE = 1u << 3, /**< believe packet-too-big reports */
	DPSCTP_SPP_PMTUD_DISABLE = 1u << 4, /**< fixed path MTU (@c pathmtu) */
	DPSCTP_SPP_HB_TIME_IS_ZERO = 1u << 5, /**< set hb_interval to 0 (heartbeat at once per RTO) */
};

/** Peer address parameters (RFC 6458 8.1.12 struct sctp_paddrparams). */
struct dpsctp_paddr_params {
	uint64_t hb_interval;      /**< ns; 0 leaves it unchanged unless HB_TIME_IS_ZERO */
	uint32_t path_max_retrans; /**< 0 leaves it unchanged */
	uint32_t pathmtu;          /**< with PMTUD_DISABLE: the fixed MTU (>= 512); else ignored */
	uint32_t flags;            /**< DPSCTP_SPP_*; on get: the state (HB_ and PMTUD_ bits) */
};

/** What one path looks like (RFC 6458 8.2.2 struct sctp_paddrinfo and more). */
struct dpsctp_paddr_info {
	struct dpsctp_path path;      /**< our address used for it, and the peer's address */
	enum dpsctp_path_state state; /**< its state */
	bool primary;                 /**< it is the primary path */
	bool reachable;               /**< the route callback gave a local address for it */
	bool data;                    /**< new data goes to it now (the active primary) */
	uint32_t cwnd;                /**< congestion window, bytes */
	uint32_t ssthresh;            /**< slow start threshold, bytes */
	uint32_t flight;              /**< bytes in flight on it */
	uint32_t mtu;                 /**< path MTU, bytes */
	uint64_t srtt;                /**< ns, 0 before a measurement */
	uint64_t rttvar;              /**< ns */
	uint64_t rto;                 /**< ns */
	uint32_t error_count;         /**< its error counter (8.2) */
	uint32_t path_max_retrans;    /**< its Path.Max.Retrans */
	uint32_t pf_threshold;        /**< its PF threshold (DPSCTP_PF_DISABLED: off) */
	uint64_t hb_interval;         /**< ns */
	uint32_t flags;               /**< DPSCTP_SPP_HB_ENABLE/DISABLE, PMTUD_ENABLE/DISABLE */
};

/**
 * The peer's addresses, primary first (sctp_getpaddrs). Writes up to @p cap of them to
 * @p out (may be NULL with @p cap 0). @return how many there are.
 */
size_t dpsctp_assoc_peer_addrs(const struct dpsctp_assoc *a, struct dpsctp_addr *out,
	size_t cap);

/** Fill @p pi for peer address @p addr. @return 0 or -ENOENT (not a peer address). */
int dpsctp_assoc_paddr_info(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	struct dpsctp_paddr_info *pi);

/**
 * Make @p addr the primary path (SCTP_PRIMARY_ADDR); MADE_PRIM is reported. Data goes to it
 * as soon as it is confirmed and active.
 * @return 0, -ENOENT (not a peer address)
 */
int dpsctp_assoc_set_primary(struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	uint64_t now);

/**
 * Change the parameters of path @p addr, or of every path and future default of the
 * association when @p addr is NULL (SCTP_PEER_ADDR_PARAMS).
 * @return 0; -ENOENT (not a peer address); -EINVAL (HB_ENABLE with HB_DISABLE, PMTUD_ENABLE
 *         with PMTUD_DISABLE, PMTUD_DISABLE with a pathmtu below 512 or above 9216)
 */
int dpsctp_assoc_set_paddr_params(struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	const struct dpsctp_paddr_params *pp, uint64_t now);

/** Read the parameters of path @p addr (NULL: the primary). @return 0 or -ENOENT. */
int dpsctp_assoc_get_paddr_params(const struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	struct dpsctp_paddr_params *pp);

/**
 * Path.Max.Retrans and PF threshold of path @p addr, or of every path when NULL
 * (SCTP_PEER_ADDR_THLDS). @p pf_threshold DPSCTP_PF_DISABLED switches the PF state off.
 * @return 0, -ENOENT, -EINVAL (@p path_max_retrans 0)
 */
int dpsctp_assoc_set_thresholds(struct dpsctp_assoc *a, const struct dpsctp_addr *addr,
	uint32_t path_max_retrans, uint32_t pf_threshold, uint64_t now);

/** Congestion and flow state of the primary path (SCTP_GET_PEER_ADDR_INFO-like). */
struct dpsctp_path_info {
	uint32_t cwnd;       /**< congestion window, bytes */
	uint32_t ssthresh;   /**< slow start threshold, bytes */
	uint32_t flight;     /**< bytes in flight */
	uint32_t peer_rwnd;  /**< the peer's window as we track it, bytes */
	uint32_t mtu;        /**< path MTU, bytes */
	uint64_t rto;        /**< ns */
	uint64_t srtt;       /**< ns */
	uint32_t unacked;    /**< DATA chunks sent and not acknowledged */
	uint32_t queued;     /**< user bytes accepted and not yet acknowledged */
	uint32_t rwnd;       /**< our receiver window as we would advertise it now */
};

/** Fill @p pi. */
void dpsctp_assoc_path_info(const struct dpsctp_assoc *a, struct dpsctp_path_info *pi);

/** What an association looks like from outside (SCTP_STATUS-like). Times in ns. */
struct dpsctp_assoc_status {
	enum dpsctp_state state;  /**< current state */
	uint32_t local_vtag;      /**< our verification tag (the peer puts it in its packets) */
	uint32_t peer_vtag;       /**< the peer's verification tag */
	uint16_t peer_port;       /**< the peer's SCTP port */
	uint16_t outbound_streams; /**< negotiated outbound streams */
	uint16_t inbound_streams;  /**< negotiated inbound streams */
	uint32_t peer_rwnd;       /**< the peer's advertised receiver window */
	uint32_t local_initial_tsn; /**< our initial TSN */
	uint32_t peer_initial_tsn;  /**< the peer's initial TSN */
	uint64_t srtt;            /**< smoothed RTT of the primary path, 0 before a measurement */
	uint64_t rttvar;          /**< RTT variation of the primary path */
	uint64_t rto;             /**< current RTO of the primary path */
	struct dpsctp_path primary; /**< the primary path */
	size_t npeer_addrs;       /**< peer addresses known */
	uint32_t peer_adaptation; /**< the peer's adaptation indication, if it sent one */
	bool peer_has_adaptation; /**< the peer sent an Adaptation Layer Indication */
};

/** Fill @p st. */
void dpsctp_assoc_get_status(const struct dpsctp_assoc *a, struct dpsctp_assoc_status *st);

#endif /* DPSCTP_SCTP_ENGINE_H */
