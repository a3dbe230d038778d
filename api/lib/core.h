/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp internal: the core's structures, shared by session.c (attach, RPC, channels, the
 * background thread), socket.c (the socket table, endpoints, associations, routing of what the
 * workers send), io.c (send / receive) and notify.c (RFC 6458 notifications).
 *
 * Locking: one library mutex (dpsctp_core.mu) guards every structure here. A call takes it on
 * entry (dpsctp_lsock_get) and drops it only while it waits (condition variables on the same
 * mutex), so state seen before a wait must be looked at again after it. The background thread
 * takes it to drain the worker -> app channels. Posting to an app -> worker channel is done
 * with the mutex held; when the channel is full the poster sleeps a few microseconds at a time
 * with the mutex held (workers never wait for the application, so the room always comes) rather
 * than let another thread slip a piece into the middle of a multi-piece message.
 * Simple and safe; it serialises the library's bookkeeping (not the daemon's work) per process.
 */
#ifndef DPSCTP_LIB_CORE_H
#define DPSCTP_LIB_CORE_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/uio.h>

#include "lib.h"

/*
 * The short internal names below are file-crossing but not public: in the static library they
 * carry a dpsctp_i_ prefix so that they cannot clash with an application's own symbols.
 */
#define lsess_get dpsctp_i_lsess_get
#define lsess_rpc dpsctp_i_lsess_rpc
#define lsess_post dpsctp_i_lsess_post
#define lsess_owner dpsctp_i_lsess_owner
#define lsess_req dpsctp_i_lsess_req
#define lsess_wait_req dpsctp_i_lsess_wait_req
#define lsess_drain dpsctp_i_lsess_drain
#define lsess_unref dpsctp_i_lsess_unref
#define lsock_wait dpsctp_i_lsock_wait
#define lnow dpsctp_i_lnow
#define lsock_busy dpsctp_i_lsock_busy
#define lroute dpsctp_i_lroute
#define lsess_fail dpsctp_i_lsess_fail
#define lsock_update dpsctp_i_lsock_update
#define lsock_wake dpsctp_i_lsock_wake
#define lassoc_find dpsctp_i_lassoc_find
#define lassoc_new dpsctp_i_lassoc_new
#define lassoc_put dpsctp_i_lassoc_put
#define lassoc_check dpsctp_i_lassoc_check
#define lsock_autobind dpsctp_i_lsock_autobind
#define lsock_associate dpsctp_i_lsock_associate
#define lsock_assoc_by_addr dpsctp_i_lsock_assoc_by_addr
#define lassoc_fetch_paddrs dpsctp_i_lassoc_fetch_paddrs
#define lsock_get dpsctp_i_lsock_get
#define laddrs_parse dpsctp_i_laddrs_parse
#define lnotify_build dpsctp_i_lnotify_build
#define lnotify_type dpsctp_i_lnotify_type
#define lmsg_free dpsctp_i_lmsg_free
#define lsock_assoc_find dpsctp_i_lsock_assoc_find
#define lassoc_unhash dpsctp_i_lassoc_unhash
#define lassoc_unlink dpsctp_i_lassoc_unlink
#define lassoc_paddrs_parse dpsctp_i_lassoc_paddrs_parse
#define lassoc_prefetch_paddrs dpsctp_i_lassoc_prefetch_paddrs
#define lassoc_zombie_free dpsctp_i_lassoc_zombie_free
#define lassoc_zombify dpsctp_i_lassoc_zombify
#define lsock_rq_append dpsctp_i_lsock_rq_append
#define lsock_tab_get dpsctp_i_lsock_tab_get
#define lsock_new dpsctp_i_lsock_new
#define lsock_free dpsctp_i_lsock_free
#define lsock_readable dpsctp_i_lsock_readable
#define lep_find dpsctp_i_lep_find
#define lassoc_consumed dpsctp_i_lassoc_consumed
#define lsess_consumed_retry dpsctp_i_lsess_consumed_retry

struct lsess;
struct lassoc;

/** One piece of a received message (the payload of one DATA descriptor). */
struct lbuf {
	struct lbuf *next;
	uint32_t len;
	uint8_t data[];
};

/** A message or notification queued on a socket. */
struct lmsg {
	struct lmsg *next;
	uint32_t assoc_id;     /**< 0 for none */
	bool notification;     /**< payload is a union dpsctp_notification */
	bool complete;         /**< its last piece arrived (or it was aborted) */
	uint16_t sid, ssn, flags; /**< flags: DPSCTP_UNORDERED */
	uint32_t ppid, tsn, cumtsn, context;
	size_t len;            /**< bytes queued (all pieces) */
	size_t read;           /**< bytes already read */
	struct lbuf *head, *tail;
	size_t head_off;       /**< bytes of head already read */
	bool has_from;         /**< @c from / @c from_port hold the peer's primary address */
	uint16_t from_port;
	struct dpsctp_abi_addr from;
};

/** Association states as the library follows them. */
enum {
	LA_CONNECTING = 0, /**< ASSOCIATE sent (or COMM_UP not seen yet) */
	LA_UP,             /**< COMM_UP / RESTART seen */
	LA_DEAD,           /**< COMM_LOST, SHUTDOWN_COMP, CANT_STR_ASSOC: gone at the daemon */
};

/** An association of an endpoint. */
struct lassoc {
	struct lassoc *hnext;  /**< session hash chain (svc, id) */
	struct lassoc *snext;  /**< list of its socket */
	struct dpsctp_lsock *s; /**< owning socket (NULL after it closed) */
	uint32_t svc;
	uint32_t id;
	int state;             /**< LA_* */
	int err;               /**< why it died (positive errno), 0 when gracefully */
	bool err_reported;     /**< one-to-one: the error was returned once */
	bool peer_shut;        /**< the peer shut down (SHUTDOWN_EVENT): EOF after the queue */
	bool we_shut;          /**< we shut down (shutdown(), SCTP_EOF): sends get EPIPE */
	bool sending;          /**< a thread posts the pieces of a message */
	bool eor_open;         /**< explicit EOR: a message was begun and not ended */
	bool zombie;           /**< dead, on its socket's zombie list (late events still routed) */
	uint16_t os, is;       /**< negotiated streams (0: not known) */
	uint32_t context;      /**< DPSCTP_CONTEXT */
	uint64_t inflight;     /**< SEND payload posted minus CREDIT received */
	/* receive flow control (shm.h DPSCTP_OP_CONSUMED): they move with it on peeloff */
	uint64_t rq_data;      /**< DATA bytes of it waiting in its socket's queue */
	uint64_t unconsumed;   /**< DATA bytes read (or discarded) not yet reported to the worker */
	uint32_t frag_point;   /**< largest DATA payload (DISABLE_FRAGMENTS checks), 0: not asked yet */
	struct lmsg *partial;  /**< the message being received (not complete) */
	unsigned int refs;     /**< threads waiting on it */
	bool paddrs_known;
	uint16_t pport;        /**< the peer's port */
	uint16_t npaddrs;
	struct dpsctp_abi_addr paddrs[DPSCTP_RPC_MAX_ADDRS];
};

/** An endpoint (a service slot at the daemon), shared by a socket and its accepted / peeled-off ones. */
struct lep {
	struct lep *next;
	uint32_t svc;
	uint16_t port;
	uint8_t family;        /**< 4 or 6 */
	bool wildcard;         /**< bound to every address */
	unsigned int nsock;    /**< sockets using it */
	uint32_t naddrs;
	struct dpsctp_abi_addr addrs[DPSCTP_RPC_MAX_ADDRS];
	struct dpsctp_lsock *main; /**< the socket that bound it, while open */
};

/** A socket. */
struct dpsctp_lsock {
	struct dpsctp_lsock *snext, *sprev; /**< every socket of the session */
	struct lsess *sess;
	int fd;                /**< the eventfd (-1 for an association waiting to be accepted) */
	int type, family;
	struct lep *ep;
	struct dpsctp_sock_opts opts;
	bool nonblock;
	bool cloexec;
	bool listening;
	bool closed;           /**< dpsctp_close ran: waiters leave with EBADF */
	bool shut_rd, shut_wr;
	bool readable;         /**< the eventfd's counter is non-zero */
	bool conn_event;       /**< a non-blocking connect finished: readable until looked at */
	int so_error;          /**< pending error (SO_ERROR), positive errno */
	unsigned int refs;     /**< calls in progress */
	int backlog;
	pthread_cond_t cv;     /**< anything changed: data, credit, state */
	struct lmsg *rq_head, *rq_tail;
	size_t rq_bytes;
	struct lassoc *assocs; /**< its associations */
	struct lassoc *zombies; /**< dead ones of a one-to-many socket, for late events */
	struct lassoc *conn;   /**< one-to-one: its association */
	struct dpsctp_lsock *acc_head, *acc_tail, *acc_next; /**< accept queue / link in it */
	struct dpsctp_lsock *parent; /**< listener of a socket in the accept queue */
};

/** A pending request to a worker, waiting for its REPLY. */
struct lreq {
	struct lreq *next;
	uint32_t req;
	bool done;
	int result;
	void *rep;
	size_t rep_cap, rep_len;
	uint32_t assoc_id;     /**< REPLY's assoc_id */
	/** ASSOCIATE: the socket that asked; the drainer creates the association at the REPLY */
	struct dpsctp_lsock *assoc_for;
	uint32_t svc;
	struct dpsctp_abi_connect *conn_req;
	/** no waiter: a GET_PADDRS the drainer sent itself (heap, freed at the REPLY) */
	bool async;
	uint32_t async_id;
};

/** Producer view of one app -> worker channel. */
struct ltx {
	struct dpsctp_chan *c;
	uint8_t *data;
	uint32_t prod, data_prod;
};

/** Consumer view of one worker -> app channel. */
struct lrx {
	struct dpsctp_chan *c;
	uint8_t *data;
	uint32_t cons, data_cons;
};

#define LSESS_HASH 1024
#define LSESS_TOMBS 16

/** An association that ended before the library knew its id. */
struct ltomb {
	uint32_t svc, id;
	int err;
};

/** An attachment to a daemon. */
struct lsess {
	int sock;              /**< the attach socket */
	int efd;               /**< the session eventfd */
	uint8_t *shm;
	size_t size;
	uint32_t nworkers, owner_bits, ring_entries, data_bytes, session;
	struct ltx tx[DPSCTP_SHM_MAX_WORKERS];
	struct lrx rx[DPSCTP_SHM_MAX_WORKERS];
	bool dead;             /**< the daemon went away */
	int eof;               /**< set (atomically) by the thread at EOF, before it takes the mutex */
	bool thread_running;
	pthread_t thread;
	uint32_t next_req;
	uint32_t rr;           /**< round-robin worker for ASSOCIATE */
	struct lreq *reqs;
	/* RPC: one at a time */
	bool rpc_busy, rpc_done;
	uint32_t rpc_seq;
	struct dpsctp_rpc rpc_ans;
	pthread_cond_t cv;     /**< replies, RPC answers, death */
	struct dpsctp_lsock *socks; /**< every socket of this session */
	unsigned int nsock;
	struct lep *eps;
	struct lassoc *hash[LSESS_HASH];
	struct ltomb tombs[LSESS_TOMBS];
	unsigned int ntomb;
	bool busy_poll_env;
	/** a CONSUMED found its channel full: some association's unconsumed waits for a retry */
	bool cons_retry;
};

/** The library's global state. */
struct dpsctp_core {
	pthread_mutex_t mu;
	struct lsess *cur;     /**< the session new sockets use */
	char path[108];        /**< explicit attach path ("" : environment / default) */
	struct dpsctp_lsock **tab; /**< fd -> socket */
	int ntab;
};

extern struct dpsctp_core dpsctp_core;

#define LOCK() pthread_mutex_lock(&dpsctp_core.mu)
#define UNLOCK() pthread_mutex_unlock(&dpsctp_core.mu)

/** Set errno to @p e (positive) and return -1. */
static inline int
lerr(int e)
{
	errno = e;
	return -1;
}

/** Same ABI address? */
static inline bool
laddr_eq(const struct dpsctp_abi_addr *a, const struct dpsctp_abi_addr *b)
{
	return a->family == b->family &&
		__builtin_memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

/* ---- session.c ---- */

/** The current session, attaching when there is none or it died. Locked. @return 0 or -errno. */
int lsess_get(struct lsess **out);
/** One RPC (locked; the mutex is dropped while waiting). @return the answer's result or -errno. */
int lsess_rpc(struct lsess *ss, struct dpsctp_rpc *r);
/**
 * Post a descriptor with payload @p iov (gathered) to worker @p w (locked). @p nonblock: -EAGAIN
 * when the channel is full, else wait for room. @return 0 or -errno.
 */
int lsess_post(struct lsess *ss, uint32_t w, struct dpsctp_desc *d, const struct iovec *iov,
	int iovcnt, bool nonblock);
/** Worker owning association @p id. */
uint32_t lsess_owner(const struct lsess *ss, uint32_t id);
/** A new request number. */
uint32_t lsess_req(struct lsess *ss);
/** Wait for request @p q (registered) to be answered (locked; the mutex is dropped). */
int lsess_wait_req(struct lsess *ss, struct lreq *q, struct dpsctp_lsock *s);
/** Drain the worker -> app channels (locked). @return descriptors taken. */
unsigned int lsess_drain(struct lsess *ss);
/** A socket of the session closed: free the session when it is dead and unused (locked). */
void lsess_unref(struct lsess *ss);
/**
 * Wait on @p s's condition (locked) until woken or @p deadline_ns (CLOCK_MONOTONIC, 0: none);
 * with busy polling drain and spin instead. @return 0, or ETIMEDOUT.
 */
int lsock_wait(struct dpsctp_lsock *s, uint64_t deadline_ns);
/** Initialise a condition variable on CLOCK_MONOTONIC. */
void dpsctp_lcv_init(pthread_cond_t *cv);
/** Monotonic time, ns. */
uint64_t lnow(void);
/** Does @p s busy-poll? */
bool lsock_busy(const struct dpsctp_lsock *s);

/* ---- socket.c ---- */

/** Socket of descriptor @p fd, or NULL (locked). */
struct dpsctp_lsock *lsock_tab_get(int fd);
/** A new socket of session @p ss (with its eventfd when @p with_fd). NULL: errno set. */
struct dpsctp_lsock *lsock_new(struct lsess *ss, int type, int family, bool with_fd);
/** Free a closed socket nobody references. */
void lsock_free(struct dpsctp_lsock *s);
/** Would a read or accept on @p s not block? (the eventfd's level) */
bool lsock_readable(const struct dpsctp_lsock *s);
/** Endpoint @p svc of the session, or NULL. */
struct lep *lep_find(struct lsess *ss, uint32_t svc);

/* ---- route.c ---- */

/** Append @p m to @p s's receive queue. */
void lsock_rq_append(struct dpsctp_lsock *s, struct lmsg *m);

/* ---- assoc.c ---- */

/** Take @p a out of the session's hash. */
void lassoc_unhash(struct lsess *ss, struct lassoc *a);
/** Take @p a off its socket's list (it stays in the hash; a->s becomes NULL). */
void lassoc_unlink(struct lassoc *a);
/** Parse a GET_PADDRS answer into @p a. @return 0 or -EPROTO. */
int lassoc_paddrs_parse(struct lassoc *a, const uint8_t *buf, size_t len);
/** Ask for @p a's peer addresses without waiting (the drainer's, best effort). */
void lassoc_prefetch_paddrs(struct lsess *ss, struct lassoc *a);
/** A dead association of one-to-many @p s: off its list, kept for late events. */
void lassoc_zombify(struct lsess *ss, struct dpsctp_lsock *s, struct lassoc *a);
/** Let go of a kept dead association (freed when nobody references it). */
void lassoc_zombie_free(struct lsess *ss, struct lassoc *a);

/** Route one descriptor from a worker (locked). */
void lroute(struct lsess *ss, const struct dpsctp_desc *d, const uint8_t *payload);
/** The daemon is gone: fail everything of @p ss (locked). */
void lsess_fail(struct lsess *ss);
/** Recompute @p s's readability and update its eventfd (locked). */
void lsock_update(struct dpsctp_lsock *s);
/** Wake @p s's waiters and update its eventfd. */
void lsock_wake(struct dpsctp_lsock *s);
/** Association (svc, id) of the session, or NULL. */
struct lassoc *lassoc_find(struct lsess *ss, uint32_t svc, uint32_t id);
/** Create association @p id on @p s (the socket's endpoint). */
struct lassoc *lassoc_new(struct dpsctp_lsock *s, uint32_t id, int state);
/** Drop a reference; frees a dead, unowned association. */
void lassoc_put(struct lsess *ss, struct lassoc *a);
/** Free @p a if it is dead, owned by no socket and referenced by nobody. */
void lassoc_check(struct lsess *ss, struct lassoc *a);
/** Make sure @p s has an endpoint (implicit bind). @return 0 or -errno. */
int lsock_autobind(struct dpsctp_lsock *s);
/**
 * ASSOCIATE to @p peers (locked): creates the association on @p s; @p init overrides the
 * socket's INITMSG. @return 0 with @p *out, or -errno.
 */
int lsock_associate(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *peers, unsigned int n,
	uint16_t port, const struct dpsctp_initmsg *init, struct lassoc **out);
/** Association of one-to-many socket @p s with a peer address @p a / @p port, or NULL (locked; may wait). */
struct lassoc *lsock_assoc_by_addr(struct dpsctp_lsock *s, const struct dpsctp_abi_addr *a,
	uint16_t port);
/**
 * Fetch the peer addresses of @p a (locked; drops the mutex, holding a reference meanwhile).
 * @p a stays allocated until the caller's lassoc_check / lassoc_put. @return 0 or -errno.
 */
int lassoc_fetch_paddrs(struct dpsctp_lsock *s, struct lassoc *a);
/** Association @p id of socket @p s (any state), or NULL. */
struct lassoc *lsock_assoc_find(struct dpsctp_lsock *s, uint32_t id);
/** Get socket @p fd locked and referenced (as dpsctp_lsock_get), errno set on failure. */
struct dpsctp_lsock *lsock_get(int fd);
/** Parse packed sockaddrs. @return count or -errno; all ports in @p *port (must match). */
int laddrs_parse(const struct sockaddr *addrs, int addrcnt, int family, bool v6only,
	struct dpsctp_abi_addr *out, uint16_t *port);

/* ---- notify.c ---- */

/**
 * Build the RFC 6458 notification for event @p ev of association @p assoc_id (with @p data /
 * @p data_len after it, and @p result the descriptor's) into a new malloc'd buffer.
 * @return its length (0: not a notification we deliver), buffer in @p *out.
 */
size_t lnotify_build(const struct dpsctp_abi_event *ev, const uint8_t *data, size_t data_len,
	int result, uint32_t assoc_id, uint16_t peer_port, bool mapped_v4, int family, uint8_t **out);
/** The RFC notification type of an ABI event type (0: none). */
uint16_t lnotify_type(uint16_t abi_type);

/* ---- io.c ---- */

/** Free a queued message. */
void lmsg_free(struct lmsg *m);
/**
 * @p bytes of DATA of association @p a left the library (read by the application, or discarded:
 * closed socket, SHUT_RD, no memory). Counted, and reported to the owning worker with a CONSUMED
 * descriptor (never waiting for room) when the count is large enough, when @p a has no more data
 * queued, or when @p now. Locked.
 */
void lassoc_consumed(struct lsess *ss, struct lassoc *a, uint64_t bytes, bool now);
/** Post the CONSUMED that found their channel full before (locked; cheap when there are none). */
void lsess_consumed_retry(struct lsess *ss);

#endif
