/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared-memory ABI between libdpsctp (an application process) and dpsctpd (its workers).
 *
 * One memfd per attached application (a "session"), created and sized by the daemon, passed over
 * the attach socket with SCM_RIGHTS (rpc.h) and mapped by both. It holds:
 *   - a header (struct dpsctp_shm_hdr), written by the daemon before it passes the fd;
 *   - per worker w, two channels: app -> worker w (requests: sends, connects, options) and
 *     worker w -> app (deliveries: data, notifications, replies, send credit).
 * A channel is a single-producer / single-consumer ring of fixed 64-byte descriptors plus a
 * byte ring for payloads. Descriptors carry offsets into their channel's byte ring, never
 * pointers. Indices are free-running 32-bit counters (prod - cons is the fill level).
 *
 * Trust: the daemon never trusts anything in this memory. It computes the layout itself from the
 * values it chose (never from the header, which the application can overwrite), copies each
 * descriptor to private memory before looking at it, and checks every index, offset and length
 * (dpsctp_chan_desc_ok, dpsctp_chan_prod_ok). An application that breaks the rules loses its
 * session (its associations are aborted); nobody else notices.
 *
 * Memory ordering: a producer writes descriptor and payload, then publishes prod / data_prod
 * with a release store; the consumer reads prod with an acquire load. Symmetrically for cons.
 *
 * Receive flow: application endpoints run the engine with rcv_app_window, so delivered bytes
 * stay counted against the association's advertised window (a_rwnd = SO_RCVBUF) until the
 * application reports them read. The worker copies a delivery into the worker -> app channel
 * (or its private queue of the session when the channel is full: not consumable until it is in
 * the channel) and counts it as delivered_unconsumed of the association. The application reports
 * the DATA bytes it read (or discarded: closed socket, SHUT_RD) with DPSCTP_OP_CONSUMED, batched
 * (at least min(SO_RCVBUF / 4, 16 KiB), or everything once nothing of that association is left
 * queued), never waiting for room to post it (kept and retried when the channel is full). The
 * worker calls dpsctp_assoc_consume() for at most its delivered_unconsumed (the excess is
 * ignored), and the engine sends a window update when the window opened enough (RFC 9260 6.2).
 * So an application that does not read stops its peer through SCTP flow control, and its
 * buffering (channel, private queue, library queues) is bounded by the window per association.
 * Notifications never count: only DATA.
 *
 * Wake-ups: a consumer that wants to sleep sets @c consumer_waiting, re-checks the ring, then
 * blocks on the session's eventfd; a producer that publishes while @c consumer_waiting is set
 * writes the eventfd. Workers never sleep: the app -> worker direction is polled. With busy
 * polling (DPSCTP_BUSY_POLL) the application polls too and no eventfd is written.
 *
 * No DPDK in here: libdpsctp includes it (scripts/check-layers.sh).
 */
#ifndef DPSCTP_ABI_SHM_H
#define DPSCTP_ABI_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DPSCTP_SHM_MAGIC 0x4d535044u /**< "DPSM" little-endian */
#define DPSCTP_ABI_MAJOR 1           /**< incompatible changes */
#define DPSCTP_ABI_MINOR 0           /**< compatible additions */

#define DPSCTP_SHM_MAX_WORKERS 16    /**< as DP_MAX_WORKERS */
#define DPSCTP_SHM_RING_ENTRIES 1024 /**< descriptors per channel (power of two) */
#define DPSCTP_SHM_DATA_BYTES (1u << 20) /**< payload bytes per channel (power of two) */
/** Largest payload one descriptor may carry (half the byte ring: a wrap never blocks it). */
#define DPSCTP_SHM_MAX_PAYLOAD (DPSCTP_SHM_DATA_BYTES / 2)
#define DPSCTP_CACHE_LINE 64

/** An address on the ABI (no sockaddr: the daemon side has no socket headers). */
struct dpsctp_abi_addr {
	uint8_t family;    /**< 4 or 6 (0: none / all) */
	uint8_t pad[3];
	uint8_t bytes[16]; /**< network byte order; IPv4 in the first 4 */
};

/** The header at offset 0. Read-only for the application; the daemon never reads it back. */
struct dpsctp_shm_hdr {
	uint32_t magic;        /**< DPSCTP_SHM_MAGIC */
	uint16_t major;        /**< DPSCTP_ABI_MAJOR */
	uint16_t minor;        /**< DPSCTP_ABI_MINOR */
	uint64_t size;         /**< bytes of the whole mapping */
	uint32_t nworkers;     /**< channels pairs that follow */
	uint32_t ring_entries; /**< descriptors per channel */
	uint32_t data_bytes;   /**< payload bytes per channel */
	uint32_t session;      /**< the daemon's session number */
	uint32_t owner_bits;   /**< association ids carry their worker in this many low bits */
	uint32_t pad;
	/** offset of the channel of worker w, direction d (DPSCTP_CHAN_TO_WORKER / TO_APP) */
	uint64_t chan_off[DPSCTP_SHM_MAX_WORKERS][2];
};

/** Channel directions. */
enum {
	DPSCTP_CHAN_TO_WORKER = 0, /**< the application produces, a worker consumes */
	DPSCTP_CHAN_TO_APP = 1,    /**< a worker produces, the application consumes */
};

/** Control words of a channel, each side's on its own cache line. */
struct dpsctp_chan_ctl {
	/* written by the producer */
	uint32_t prod;             /**< descriptors published (free-running) */
	uint32_t data_prod;        /**< payload bytes reserved, padding included (free-running) */
	uint32_t producer_waiting; /**< the producer waits for room (application side only) */
	uint8_t pad0[DPSCTP_CACHE_LINE - 12];
	/* written by the consumer */
	uint32_t cons;             /**< descriptors consumed (free-running) */
	uint32_t data_cons;        /**< payload bytes released (free-running), = data_end of the last consumed */
	uint32_t consumer_waiting; /**< the consumer sleeps on the eventfd: the producer must write it */
	uint8_t pad1[DPSCTP_CACHE_LINE - 12];
};

/** Descriptor operations. */
enum dpsctp_desc_op {
	DPSCTP_OP_NONE = 0,
	/* application -> worker */
	DPSCTP_OP_SEND = 1,       /**< user message (or a piece, flag MORE) for assoc_id; payload: bytes */
	DPSCTP_OP_ASSOCIATE,      /**< active open on svc; payload struct dpsctp_abi_connect; reply: assoc_id */
	DPSCTP_OP_SHUTDOWN,       /**< graceful shutdown of assoc_id (SHUTDOWN primitive) */
	DPSCTP_OP_ABORT,          /**< abort assoc_id; payload: the reason (user abort cause), may be empty */
	DPSCTP_OP_SET_CFG,        /**< payload struct dpsctp_abi_cfg for assoc_id */
	DPSCTP_OP_GET_CFG,        /**< reply payload struct dpsctp_abi_cfg of assoc_id */
	DPSCTP_OP_SET_PRIMARY,    /**< payload struct dpsctp_abi_addr */
	DPSCTP_OP_SET_PADDR,      /**< payload struct dpsctp_abi_paddr (addr family 0: every path) */
	DPSCTP_OP_GET_PADDR,      /**< payload struct dpsctp_abi_paddr (addr); reply the same, filled */
	DPSCTP_OP_GET_STATUS,     /**< reply payload struct dpsctp_abi_status */
	DPSCTP_OP_GET_PADDRS,     /**< reply payload: uint16 peer port, uint16 count, then addrs */
	/**
	 * the application read (or discarded) @c arg DATA bytes of assoc_id: the worker reopens
	 * that much of the window (bounded by what it delivered and was not reported yet; the
	 * excess is ignored). Checked as every request (slot OPEN or CLOSING); never answered.
	 */
	DPSCTP_OP_CONSUMED,
	/* worker -> application */
	DPSCTP_OP_DATA = 32,      /**< received user data of assoc_id (flag EOR on a message's last piece) */
	DPSCTP_OP_NOTIFY,         /**< payload struct dpsctp_abi_event (+ its data) */
	DPSCTP_OP_REPLY,          /**< answer to request @c req: result, assoc_id, payload */
	DPSCTP_OP_CREDIT,         /**< @c arg bytes of SEND payload of assoc_id left the worker's hands */
};

/** Descriptor flags. */
enum {
	DPSCTP_DESC_EOR = 1u << 0,       /**< DATA: last piece of the message; SEND: see MORE */
	DPSCTP_DESC_MORE = 1u << 1,      /**< SEND: more pieces of this message follow (explicit EOR) */
	DPSCTP_DESC_UNORDERED = 1u << 2, /**< SEND / DATA: unordered (U bit) */
	DPSCTP_DESC_SACK_NOW = 1u << 3,  /**< SEND: SACK-IMMEDIATELY (RFC 7053) */
	DPSCTP_DESC_EOF = 1u << 4,       /**< SEND: SHUTDOWN once this message is queued (SCTP_EOF) */
	DPSCTP_DESC_REPLY = 1u << 5,     /**< request: the application wants a REPLY (result) */
};

/** One descriptor: 64 bytes, one cache line. */
struct dpsctp_desc {
	uint16_t op;       /**< enum dpsctp_desc_op */
	uint16_t flags;    /**< DPSCTP_DESC_* */
	uint32_t svc;      /**< the endpoint (service slot) the socket is bound to, from rpc.h EP_OPEN */
	uint32_t assoc_id; /**< the association (0 where none) */
	uint32_t req;      /**< request number, echoed in the REPLY */
	uint32_t off;      /**< payload offset in the channel's byte ring */
	uint32_t len;      /**< payload bytes */
	uint32_t data_end; /**< data_prod after this descriptor's payload (what data_cons becomes) */
	int32_t result;    /**< REPLY / NOTIFY SEND_FAILED: 0 or -errno */
	uint16_t sid;      /**< stream */
	uint16_t ssn;      /**< DATA: stream sequence number */
	uint32_t ppid;     /**< payload protocol identifier, network byte order (opaque) */
	uint32_t context;  /**< SEND: the application's context (SEND_FAILED reports it) */
	uint32_t tsn;      /**< DATA: TSN of the first chunk */
	uint32_t cumtsn;   /**< DATA: cumulative TSN when delivered */
	uint32_t arg;      /**< op-specific: CREDIT / CONSUMED bytes, ASSOCIATE worker hint... */
	uint64_t arg64;    /**< SEND: lifetime in ns (0: forever) */
};

_Static_assert(sizeof(struct dpsctp_desc) == 64, "descriptor is one cache line");
_Static_assert(sizeof(struct dpsctp_chan_ctl) == 2 * DPSCTP_CACHE_LINE, "two cache lines");

/** A channel as seen in memory: control words, descriptors, then the byte ring. */
struct dpsctp_chan {
	struct dpsctp_chan_ctl ctl;
	struct dpsctp_desc desc[]; /**< ring_entries of them, then data_bytes of payload */
};

/** Bytes one channel occupies. */
static inline size_t
dpsctp_chan_size(uint32_t ring_entries, uint32_t data_bytes)
{
	return sizeof(struct dpsctp_chan_ctl) + (size_t)ring_entries * sizeof(struct dpsctp_desc) +
		data_bytes;
}

/** Offset of the header's end, rounded to a page: where the first channel starts. */
#define DPSCTP_SHM_HDR_SPACE 4096u

/** Offset of channel (w, dir) in a mapping laid out by the daemon. */
static inline size_t
dpsctp_shm_chan_off(uint32_t w, int dir, uint32_t ring_entries, uint32_t data_bytes)
{
	return DPSCTP_SHM_HDR_SPACE + ((size_t)w * 2 + (size_t)dir) *
		dpsctp_chan_size(ring_entries, data_bytes);
}

/** Total bytes of a mapping with @p nworkers channel pairs. */
static inline size_t
dpsctp_shm_size(uint32_t nworkers, uint32_t ring_entries, uint32_t data_bytes)
{
	return dpsctp_shm_chan_off(nworkers, 0, ring_entries, data_bytes);
}

/** The byte ring of channel @p c. */
static inline uint8_t *
dpsctp_chan_data(struct dpsctp_chan *c, uint32_t ring_entries)
{
	return (uint8_t *)&c->desc[ring_entries];
}

/* ---- atomics (GCC builtins: both sides are C11, no DPDK) ---- */

static inline uint32_t
dpsctp_load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
dpsctp_store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ---- checks the daemon applies to what the application wrote ---- */

/**
 * The producer's index @p prod (read from shared memory) is plausible against our @p cons:
 * never more than a ring ahead. A false answer means a broken or hostile producer.
 */
static inline bool
dpsctp_chan_prod_ok(uint32_t prod, uint32_t cons, uint32_t ring_entries)
{
	return (uint32_t)(prod - cons) <= ring_entries;
}

/**
 * The consumer's indices (read from shared memory) are plausible against what we produced:
 * @p cons within [our old view of cons, prod], @p data_cons within [old, data_prod].
 */
static inline bool
dpsctp_chan_cons_ok(uint32_t cons, uint32_t old_cons, uint32_t prod, uint32_t data_cons,
	uint32_t old_data_cons, uint32_t data_prod)
{
	return (uint32_t)(cons - old_cons) <= (uint32_t)(prod - old_cons) &&
		(uint32_t)(data_cons - old_data_cons) <= (uint32_t)(data_prod - old_data_cons);
}

/**
 * A descriptor copied out of shared memory (@p d, private) names a payload inside the byte ring:
 * off + len <= data_bytes, len <= DPSCTP_SHM_MAX_PAYLOAD, and its data_end moves the consumer's
 * data index forward by at most the ring (from @p data_cons).
 */
static inline bool
dpsctp_chan_desc_ok(const struct dpsctp_desc *d, uint32_t data_cons, uint32_t data_bytes)
{
	return d->len <= DPSCTP_SHM_MAX_PAYLOAD && d->off < data_bytes &&
		d->len <= data_bytes - d->off &&
		(uint32_t)(d->data_end - data_cons) <= data_bytes;
}

/* ---- producer side: reserve payload space (both sides use it for their own direction) ---- */

/**
 * Reserve @p len contiguous payload bytes at the producer's @p *data_prod (our private copy),
 * skipping to the ring's start when they would wrap. Free space is judged against @p data_cons
 * (read from the consumer). @return the offset, or -1 when there is no room now; on success
 * @p *data_prod has advanced past the payload (padding included) and is the descriptor's data_end.
 */
static inline int64_t
dpsctp_chan_reserve(uint32_t *data_prod, uint32_t data_cons, uint32_t data_bytes, uint32_t len)
{
	uint32_t pos = *data_prod & (data_bytes - 1);
	uint32_t pad = (len > data_bytes - pos) ? data_bytes - pos : 0;
	uint32_t used = *data_prod - data_cons;

	if (len > DPSCTP_SHM_MAX_PAYLOAD || used > data_bytes || pad + len > data_bytes - used)
		return -1;
	if (pad != 0)
		pos = 0;
	*data_prod += pad + len;
	return pos;
}

/* ---- payload structures of the operations ---- */

/** DPSCTP_OP_ASSOCIATE payload (sctp_connectx, or an implicit association by sendv). */
struct dpsctp_abi_connect {
	uint16_t peer_port;     /**< host order */
	uint16_t os;            /**< outbound streams asked (0: the endpoint's default) */
	uint16_t max_attempts;  /**< INIT retransmissions (0: default) */
	uint16_t npeers;        /**< addresses that follow, 1..16 */
	uint32_t max_init_timeo_ms; /**< RTO.Max of the handshake (0: default) */
	uint32_t pad;
	struct dpsctp_abi_addr peers[16];
};

/** Which fields of struct dpsctp_abi_cfg mean something (SET_CFG applies only those). */
enum {
	DPSCTP_CFG_RTO = 1u << 0,          /**< rto_initial/min/max_ms (SCTP_RTOINFO) */
	DPSCTP_CFG_ASSOC_MAX_RXT = 1u << 1, /**< assoc_max_retrans (SCTP_ASSOCINFO) */
	DPSCTP_CFG_INIT = 1u << 2,         /**< os, mis, max_init_retrans, max_init_timeo_ms (SCTP_INITMSG) */
	DPSCTP_CFG_SACK = 1u << 3,         /**< sack_delay_ms, sack_freq (SCTP_DELAYED_SACK) */
	DPSCTP_CFG_MAX_BURST = 1u << 4,    /**< max_burst */
	DPSCTP_CFG_MAXSEG = 1u << 5,       /**< maxseg (0: path MTU) */
	DPSCTP_CFG_NODELAY = 1u << 6,      /**< nodelay */
	DPSCTP_CFG_PD_POINT = 1u << 7,     /**< pd_point */
	DPSCTP_CFG_NOFRAG = 1u << 8,       /**< disable_fragments */
	DPSCTP_CFG_AUTOCLOSE = 1u << 9,    /**< autoclose_s */
	DPSCTP_CFG_ADAPTATION = 1u << 10,  /**< adaptation_ind, has_adaptation */
	DPSCTP_CFG_RCVBUF = 1u << 11,      /**< a_rwnd (SO_RCVBUF) */
	DPSCTP_CFG_SNDBUF = 1u << 12,      /**< sndbuf (SO_SNDBUF) */
	DPSCTP_CFG_COOKIE_LIFE = 1u << 13, /**< cookie_life_ms (SCTP_ASSOCINFO) */
	DPSCTP_CFG_PATH = 1u << 14,        /**< hb_interval_ms, path_max_retrans, pf_threshold: defaults of new paths */
};

/** Protocol parameters an application may change (socket options), all host order. */
struct dpsctp_abi_cfg {
	uint32_t mask;              /**< DPSCTP_CFG_* */
	uint32_t rto_initial_ms, rto_min_ms, rto_max_ms;
	uint32_t assoc_max_retrans;
	uint32_t max_init_retrans;
	uint32_t max_init_timeo_ms;
	uint32_t cookie_life_ms;
	uint32_t hb_interval_ms;
	uint32_t path_max_retrans;
	uint32_t pf_threshold;      /**< UINT32_MAX: off */
	uint32_t sack_delay_ms;     /**< 0: SACK every packet */
	uint32_t sack_freq;
	uint32_t max_burst;
	uint32_t maxseg;            /**< largest DATA chunk payload; 0: as the path MTU allows */
	uint32_t pd_point;
	uint32_t a_rwnd;
	uint32_t sndbuf;
	uint32_t adaptation_ind;
	uint32_t autoclose_s;       /**< 0: off */
	uint16_t os, mis;
	uint8_t has_adaptation, nodelay, disable_fragments, pad;
};

/** dpsctp_abi_paddr.flags bits (the engine's DPSCTP_SPP_* values, not the public header's). */
enum {
	DPSCTP_ABI_SPP_HB_ENABLE = 1u << 0,
	DPSCTP_ABI_SPP_HB_DISABLE = 1u << 1,
	DPSCTP_ABI_SPP_HB_DEMAND = 1u << 2,
	DPSCTP_ABI_SPP_PMTUD_ENABLE = 1u << 3,
	DPSCTP_ABI_SPP_PMTUD_DISABLE = 1u << 4,
	DPSCTP_ABI_SPP_HB_TIME_IS_ZERO = 1u << 5,
};

/** DPSCTP_OP_SET_PADDR / GET_PADDR payload (SCTP_PEER_ADDR_PARAMS, THLDS, GET_PEER_ADDR_INFO). */
struct dpsctp_abi_paddr {
	struct dpsctp_abi_addr addr; /**< the peer address (family 0: every path, SET only) */
	uint32_t flags;             /**< DPSCTP_ABI_SPP_*: SET what to do; GET the path's */
	uint32_t hb_interval_ms;
	uint32_t path_max_retrans;
	uint32_t pf_threshold;      /**< SET: applied when set_thresholds is 1 */
	uint32_t pathmtu;
	uint32_t set_thresholds;    /**< SET: 1 = apply path_max_retrans and pf_threshold (THLDS) */
	/* GET only */
	uint32_t state;             /**< engine enum dpsctp_path_state */
	uint32_t cwnd, ssthresh, flight, mtu;
	uint32_t srtt_ms, rttvar_ms, rto_ms;
	uint32_t error_count;
	uint8_t primary, reachable, pad[2];
	struct dpsctp_abi_addr local; /**< our address used for the path */
};

/** DPSCTP_OP_GET_STATUS reply payload (SCTP_STATUS). */
struct dpsctp_abi_status {
	uint32_t state;             /**< engine enum dpsctp_state */
	uint32_t peer_rwnd;         /**< the peer's window */
	uint32_t unacked;           /**< DATA chunks not acknowledged */
	uint32_t queued;            /**< user bytes waiting or in flight */
	uint16_t instrms, outstrms;
	uint32_t frag_point;        /**< largest DATA payload now */
	uint32_t peer_adaptation;
	uint8_t peer_has_adaptation, pad[3];
	uint16_t peer_port, pad2;
	struct dpsctp_abi_paddr primary; /**< the primary path */
};

/** dpsctp_abi_event.flags of an ASSOC_CHANGE COMM_LOST / CANT_STR_ASSOC: why it ended. */
enum {
	DPSCTP_ABI_EV_PEER_ABORT = 1u << 0, /**< the peer sent ABORT (connect: ECONNREFUSED) */
	DPSCTP_ABI_EV_TIMEOUT = 1u << 1,    /**< retransmissions ran out (connect: ETIMEDOUT) */
};

/** DPSCTP_OP_NOTIFY payload head; @c data_len bytes follow it. */
struct dpsctp_abi_event {
	uint16_t type;              /**< engine enum dpsctp_event_type */
	uint16_t state;             /**< ASSOC_CHANGE / PEER_ADDR_CHANGE state */
	uint16_t error;             /**< cause code */
	uint16_t os, is;            /**< ASSOC_CHANGE: negotiated streams */
	uint16_t pad;
	uint32_t flags;             /**< SEND_FAILED: DATA_UNSENT / DATA_SENT; ASSOC_CHANGE: DPSCTP_ABI_EV_* */
	uint32_t ind;               /**< ADAPTATION_INDICATION; PARTIAL_DELIVERY indication */
	struct dpsctp_abi_addr addr; /**< PEER_ADDR_CHANGE */
	/* SEND_FAILED: the message's sndinfo; PARTIAL_DELIVERY: sid, ssn */
	uint16_t sid, ssn;
	uint16_t snd_flags, pad2;
	uint32_t ppid, context;
	uint32_t data_len;          /**< bytes after this head: ABORT / ERROR causes, the unsent message */
};

#endif
