/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dpsctp.h
 * @brief libdpsctp: the SCTP sockets API of RFC 6458 over the dpsctpd kernel-bypass stack.
 *
 * Every function, structure and constant of RFC 6458 is here with a @c dpsctp_ / @c DPSCTP_
 * prefix: `sctp_sendv()` is dpsctp_sendv(), `struct sctp_sndinfo` is struct dpsctp_sndinfo,
 * `SCTP_SENDV_SNDINFO` is #DPSCTP_SENDV_SNDINFO. The plain socket calls an SCTP program makes
 * (`socket`, `bind`, `sendmsg`, `close`, ...) have dpsctp_ twins too, since a dpsctp socket is
 * not a kernel socket.
 *
 * The process attaches to dpsctpd on its first dpsctp_socket() (or explicitly with
 * dpsctp_attach()): over the unix socket named by the environment variable @c DPSCTP_SOCKET, or
 * #DPSCTP_DEFAULT_SOCKET. Data then moves through shared memory; no system call per message.
 *
 * Numbers: socket option names, control message types, send flags, @c sinfo_flags values, path
 * and association states follow Linux (lksctp) where Linux has them, so a program written for
 * Linux maps onto this API one to one. Notification types and the states inside notifications
 * follow FreeBSD (small numbers, ASSOC_CHANGE = 1). The structures have RFC 6458's field names
 * and order. Association ids are @c uint32_t; ids of real associations are never 0, 1 or 2
 * (the special values #DPSCTP_FUTURE_ASSOC, #DPSCTP_CURRENT_ASSOC, #DPSCTP_ALL_ASSOC).
 *
 * Errors: every function returns -1 (or NULL) and sets @c errno, as RFC 6458 and the socket
 * calls do. The errors are those of the RFC and the FreeBSD/Solaris man pages; in addition
 * ECONNRESET means the daemon went away (the socket is dead; close it and open a new one, which
 * attaches to a new daemon).
 *
 * Descriptors: a dpsctp socket is a real file descriptor (an eventfd the library owns), so it
 * can sit in poll/select/epoll beside other descriptors. It is readable (level-triggered,
 * POLLIN / EPOLLIN) exactly while dpsctp_recvmsg() / dpsctp_accept() would not block: a message
 * or notification is queued, an association waits in the accept queue, a connect finished or
 * failed, the socket has a pending error, or the daemon is gone. It is always writable to the
 * kernel: use dpsctp_poll() for an exact POLLOUT. Never read, write or close() it yourself: use
 * dpsctp_close().
 *
 * Threads: every call is thread-safe; one thread may send while another receives on the same
 * socket. Blocking calls release the socket while they wait; they are not interrupted by
 * signals (no EINTR). A library thread per attachment waits for the daemon's wake-ups; it
 * blocks every signal. After fork() the child's inherited sockets fail with ECONNRESET (close them);
 * its new sockets attach a session of its own.
 *
 * Receive buffering: what the daemon delivers is copied into the socket's queue in the
 * application, and stays counted against the association's receive window (SO_RCVBUF, the
 * window advertised to the peer) until the application reads it: an application that does not
 * read closes its peers' windows (SCTP flow control), so the queue holds about SO_RCVBUF bytes
 * per association at most, and the peer's sends block (or fail with EAGAIN) until it reads.
 * Closing a socket, or SHUT_RD, discards what it would have read and reopens the window.
 */
#ifndef DPSCTP_DPSCTP_H
#define DPSCTP_DPSCTP_H

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/** @name Library and attachment */
/** @{ */

/** Unix socket of the daemon when neither dpsctp_attach() nor @c DPSCTP_SOCKET names one. */
#define DPSCTP_DEFAULT_SOCKET "/run/dpsctp/dpsctpd.sock"
/** Environment variable naming the daemon's unix socket. */
#define DPSCTP_SOCKET_ENV "DPSCTP_SOCKET"
/** Environment variable: "1" makes every socket busy-poll (as #DPSCTP_BUSY_POLL on). */
#define DPSCTP_BUSY_POLL_ENV "DPSCTP_BUSY_POLL"

/** IP protocol number of SCTP (RFC 9260); dpsctp_socket() accepts it or 0. */
#define DPSCTP_IPPROTO_SCTP 132

/**
 * Attach this process to dpsctpd at @p path (NULL: @c DPSCTP_SOCKET, else
 * #DPSCTP_DEFAULT_SOCKET). Optional: dpsctp_socket() attaches on first use. Attaching when
 * already attached to a live daemon does nothing and succeeds.
 * @return 0, or -1 with errno: ENOENT / ECONNREFUSED (no daemon there), EACCES (not allowed by
 *         the daemon's attach.uids/gids or the socket file's permissions), EPROTO (the daemon
 *         speaks another ABI major), ENOBUFS (the daemon has no session free), ENOMEM.
 */
int dpsctp_attach(const char *path);

/** @} */

/* ===================================================================================== */
/** @name Association identifiers (RFC 6458 8.1) */
/** @{ */

/** An association identifier, unique within its socket (and its peeled-off children). */
typedef uint32_t dpsctp_assoc_t;

#define DPSCTP_FUTURE_ASSOC 0  /**< options: the default for associations created later */
#define DPSCTP_CURRENT_ASSOC 1 /**< options: every association that exists now */
#define DPSCTP_ALL_ASSOC 2     /**< options: current and future associations */

/** @} */

/* ===================================================================================== */
/** @name Socket option levels and names (RFC 6458 8; Linux's numbers) */
/** @{ */

/* Level IPPROTO_SCTP (or DPSCTP_IPPROTO_SCTP). */
#define DPSCTP_RTOINFO 0                /**< struct dpsctp_rtoinfo */
#define DPSCTP_ASSOCINFO 1              /**< struct dpsctp_assocparams */
#define DPSCTP_INITMSG 2                /**< struct dpsctp_initmsg */
#define DPSCTP_NODELAY 3                /**< int: no Nagle-like bundling delay */
#define DPSCTP_AUTOCLOSE 4              /**< int: seconds idle before an association is shut down (one-to-many) */
#define DPSCTP_PRIMARY_ADDR 6           /**< struct dpsctp_setprim */
#define DPSCTP_ADAPTATION_LAYER 7       /**< struct dpsctp_setadaptation */
#define DPSCTP_DISABLE_FRAGMENTS 8      /**< int: EMSGSIZE instead of fragmenting */
#define DPSCTP_PEER_ADDR_PARAMS 9       /**< struct dpsctp_paddrparams */
#define DPSCTP_DEFAULT_SEND_PARAM 10    /**< struct dpsctp_sndrcvinfo (deprecated: DEFAULT_SNDINFO) */
#define DPSCTP_EVENTS 11                /**< struct dpsctp_event_subscribe (deprecated: DPSCTP_EVENT) */
#define DPSCTP_I_WANT_MAPPED_V4_ADDR 12 /**< int: report IPv4 peers as ::ffff:a.b.c.d on AF_INET6 sockets */
#define DPSCTP_MAXSEG 13                /**< struct dpsctp_assoc_value (or int): largest DATA chunk payload */
#define DPSCTP_STATUS 14                /**< struct dpsctp_status (get only) */
#define DPSCTP_GET_PEER_ADDR_INFO 15    /**< struct dpsctp_paddrinfo (get only) */
#define DPSCTP_DELAYED_SACK 16          /**< struct dpsctp_sack_info */
#define DPSCTP_DELAYED_ACK_TIME DPSCTP_DELAYED_SACK /**< Linux's older name */
#define DPSCTP_CONTEXT 17               /**< struct dpsctp_assoc_value: rcv_context / ssfe context default */
#define DPSCTP_FRAGMENT_INTERLEAVE 18   /**< int: 0, 1 or 2 (RFC 6458 8.1.20) */
#define DPSCTP_PARTIAL_DELIVERY_POINT 19 /**< uint32_t bytes */
#define DPSCTP_MAX_BURST 20             /**< struct dpsctp_assoc_value (or int) */
#define DPSCTP_GET_ASSOC_NUMBER 28      /**< uint32_t (get only, one-to-many) */
#define DPSCTP_GET_ASSOC_ID_LIST 29     /**< struct dpsctp_assoc_ids (get only, one-to-many) */
#define DPSCTP_PEER_ADDR_THLDS 31       /**< struct dpsctp_paddrthlds */
#define DPSCTP_RECVRCVINFO 32           /**< int: deliver DPSCTP_RCVINFO control messages */
#define DPSCTP_RECVNXTINFO 33           /**< int: deliver DPSCTP_NXTINFO control messages */
#define DPSCTP_DEFAULT_SNDINFO 34       /**< struct dpsctp_sndinfo */
#define DPSCTP_DEFAULT_PRINFO 114       /**< struct dpsctp_default_prinfo */
#define DPSCTP_EVENT 127                /**< struct dpsctp_event */
/** int: messages are sent in pieces, the last with MSG_EOR / #DPSCTP_EOR (RFC 6458 8.1.26). */
#define DPSCTP_EXPLICIT_EOR 1000
/**
 * int (dpsctp's own): calls on this socket poll the shared-memory channels themselves and spin
 * instead of sleeping: lowest latency, one core busy while waiting.
 */
#define DPSCTP_BUSY_POLL 1001

/*
 * Level SOL_SOCKET: SO_RCVBUF (int, bytes: the receive window offered to peers), SO_SNDBUF
 * (int, bytes: send credit per association), SO_LINGER (struct linger).
 * Level IPPROTO_IPV6: IPV6_V6ONLY (int, AF_INET6 sockets, before bind).
 */

/** @} */

/* ===================================================================================== */
/** @name Control message types, level IPPROTO_SCTP (RFC 6458 5.3; Linux's numbers) */
/** @{ */

#define DPSCTP_INIT 0       /**< struct dpsctp_initmsg (sendmsg: parameters of an implicit association) */
#define DPSCTP_SNDRCV 1     /**< struct dpsctp_sndrcvinfo (deprecated) */
#define DPSCTP_SNDINFO 2    /**< struct dpsctp_sndinfo (sendmsg) */
#define DPSCTP_RCVINFO 3    /**< struct dpsctp_rcvinfo (recvmsg, with #DPSCTP_RECVRCVINFO) */
#define DPSCTP_NXTINFO 4    /**< struct dpsctp_nxtinfo (recvmsg, with #DPSCTP_RECVNXTINFO) */
#define DPSCTP_PRINFO 5     /**< struct dpsctp_prinfo (sendmsg) */
#define DPSCTP_AUTHINFO 6   /**< struct dpsctp_authinfo (sendmsg): EINVAL, the stack has no SCTP-AUTH */
#define DPSCTP_DSTADDRV4 7  /**< struct in_addr (sendmsg: preferred destination; see #DPSCTP_ADDR_OVER) */
#define DPSCTP_DSTADDRV6 8  /**< struct in6_addr (as DSTADDRV4) */

/** @} */

/* ===================================================================================== */
/** @name Message flags (snd_flags, sinfo_flags, rcv_flags, nxt_flags, msg_flags) */
/** @{ */

#define DPSCTP_UNORDERED 0x0001        /**< send / received unordered (U bit) */
#define DPSCTP_ADDR_OVER 0x0002        /**< prefer the address given over the primary path (one-to-many) */
#define DPSCTP_ABORT 0x0004            /**< abort the association (the message, if any, is the user cause) */
#define DPSCTP_SACK_IMMEDIATELY 0x0008 /**< ask the peer to SACK at once (RFC 7053 I bit) */
#define DPSCTP_COMPLETE 0x0020         /**< nxt_flags: the next message is complete in the queue */
#define DPSCTP_SENDALL 0x0040          /**< one-to-many: send to every association of the socket */
#define DPSCTP_EOF 0x0200              /**< graceful shutdown after this message (Linux's MSG_FIN value) */
#define DPSCTP_EOR 0x2000              /**< snd_flags: last piece of a message under #DPSCTP_EXPLICIT_EOR */
/** msg_flags / nxt_flags: the message is a notification (union dpsctp_notification). */
#define DPSCTP_MSG_NOTIFICATION 0x8000
#define DPSCTP_NOTIFICATION DPSCTP_MSG_NOTIFICATION /**< nxt_flags name of the same bit */

/** @} */

/* ===================================================================================== */
/** @name Partial reliability policies (RFC 6458 5.3.7; Linux's numbers) */
/** @{ */

#define DPSCTP_PR_SCTP_NONE 0x0000 /**< reliable */
#define DPSCTP_PR_SCTP_TTL 0x0010  /**< pr_value: lifetime in ms (RFC 3758) */
#define DPSCTP_PR_SCTP_RTX 0x0020  /**< pr_value: retransmissions (RFC 7496) */
#define DPSCTP_PR_SCTP_PRIO 0x0030 /**< pr_value: priority (RFC 7496) */
#define DPSCTP_PR_SCTP_MAX DPSCTP_PR_SCTP_PRIO /**< highest policy value */

/** @} */

/* ===================================================================================== */
/** @name sctp_sendv() / sctp_recvv() info types (RFC 6458 9.12, 9.13) */
/** @{ */

#define DPSCTP_SENDV_NOINFO 0   /**< info NULL, infolen 0 */
#define DPSCTP_SENDV_SNDINFO 1  /**< struct dpsctp_sndinfo */
#define DPSCTP_SENDV_PRINFO 2   /**< struct dpsctp_prinfo */
#define DPSCTP_SENDV_AUTHINFO 3 /**< struct dpsctp_authinfo */
#define DPSCTP_SENDV_SPA 4      /**< struct dpsctp_sendv_spa */

#define DPSCTP_SEND_SNDINFO_VALID 0x1  /**< sendv_flags: sendv_sndinfo is set */
#define DPSCTP_SEND_PRINFO_VALID 0x2   /**< sendv_flags: sendv_prinfo is set */
#define DPSCTP_SEND_AUTHINFO_VALID 0x4 /**< sendv_flags: sendv_authinfo is set */

#define DPSCTP_RECVV_NOINFO 0  /**< nothing was returned in info */
#define DPSCTP_RECVV_RCVINFO 1 /**< info holds a struct dpsctp_rcvinfo */
#define DPSCTP_RECVV_NXTINFO 2 /**< info holds a struct dpsctp_nxtinfo */
#define DPSCTP_RECVV_RN 3      /**< info holds a struct dpsctp_recvv_rn */

/** @} */

/* ===================================================================================== */
/** @name sctp_bindx() flags (RFC 6458 9.1; Linux's numbers) */
/** @{ */

#define DPSCTP_BINDX_ADD_ADDR 0x01 /**< add the addresses to the endpoint */
#define DPSCTP_BINDX_REM_ADDR 0x02 /**< remove them */

/** @} */

/* ===================================================================================== */
/** @name Notification types (sn_type; FreeBSD's numbers) and their values */
/** @{ */

#define DPSCTP_SN_TYPE_BASE 0x0000             /**< subscription bit of type t is (t - base) */
#define DPSCTP_ASSOC_CHANGE 0x0001             /**< struct dpsctp_assoc_change */
#define DPSCTP_PEER_ADDR_CHANGE 0x0002         /**< struct dpsctp_paddr_change */
#define DPSCTP_REMOTE_ERROR 0x0003             /**< struct dpsctp_remote_error */
#define DPSCTP_SHUTDOWN_EVENT 0x0005           /**< struct dpsctp_shutdown_event */
#define DPSCTP_ADAPTATION_INDICATION 0x0006    /**< struct dpsctp_adaptation_event */
#define DPSCTP_PARTIAL_DELIVERY_EVENT 0x0007   /**< struct dpsctp_pdapi_event */
#define DPSCTP_SENDER_DRY_EVENT 0x000a         /**< struct dpsctp_sender_dry_event */
#define DPSCTP_SEND_FAILED_EVENT 0x000e        /**< struct dpsctp_send_failed_event */
#define DPSCTP_SN_TYPE_MAX DPSCTP_SEND_FAILED_EVENT /**< highest type value */

/* sac_state of DPSCTP_ASSOC_CHANGE */
#define DPSCTP_COMM_UP 0x0001        /**< a new association is ready (sac_outbound/inbound_streams set) */
#define DPSCTP_COMM_LOST 0x0002      /**< the association failed (ABORT received or sent, or timeouts) */
#define DPSCTP_RESTART 0x0003        /**< the peer restarted (RFC 9260 5.2.4) */
#define DPSCTP_SHUTDOWN_COMP 0x0004  /**< graceful shutdown completed */
#define DPSCTP_CANT_STR_ASSOC 0x0005 /**< the association could not be set up */

/* spc_state of DPSCTP_PEER_ADDR_CHANGE */
#define DPSCTP_ADDR_AVAILABLE 0x0001          /**< reachable again */
#define DPSCTP_ADDR_UNREACHABLE 0x0002        /**< unreachable (Path.Max.Retrans exceeded) */
#define DPSCTP_ADDR_REMOVED 0x0003            /**< no longer an address of the peer */
#define DPSCTP_ADDR_ADDED 0x0004              /**< became an address of the peer */
#define DPSCTP_ADDR_MADE_PRIM 0x0005          /**< made the primary path */
#define DPSCTP_ADDR_CONFIRMED 0x0006          /**< confirmed by a HEARTBEAT ACK */
#define DPSCTP_ADDR_POTENTIALLY_FAILED 0x0007 /**< potentially failed (RFC 7829) */

/* ssfe_flags of DPSCTP_SEND_FAILED_EVENT */
#define DPSCTP_DATA_UNSENT 0x0001 /**< the message was never put on the wire */
#define DPSCTP_DATA_SENT 0x0002   /**< (part of) it was sent, never acknowledged */

/* pdapi_indication of DPSCTP_PARTIAL_DELIVERY_EVENT */
#define DPSCTP_PARTIAL_DELIVERY_ABORTED 0x0001 /**< a partly delivered message will not complete */

/** @} */

/* ===================================================================================== */
/** @name States reported by options (Linux's numbers) */
/** @{ */

/* sstat_state of struct dpsctp_status */
#define DPSCTP_EMPTY 0             /**< no association */
#define DPSCTP_CLOSED 1            /**< closed */
#define DPSCTP_COOKIE_WAIT 2       /**< INIT sent */
#define DPSCTP_COOKIE_ECHOED 3     /**< COOKIE ECHO sent */
#define DPSCTP_ESTABLISHED 4       /**< up */
#define DPSCTP_SHUTDOWN_PENDING 5  /**< shutdown asked, data still outstanding */
#define DPSCTP_SHUTDOWN_SENT 6     /**< SHUTDOWN sent */
#define DPSCTP_SHUTDOWN_RECEIVED 7 /**< SHUTDOWN received, data still outstanding */
#define DPSCTP_SHUTDOWN_ACK_SENT 8 /**< SHUTDOWN ACK sent */

/* spinfo_state of struct dpsctp_paddrinfo */
#define DPSCTP_INACTIVE 0      /**< unreachable */
#define DPSCTP_PF 1            /**< potentially failed (RFC 7829) */
#define DPSCTP_ACTIVE 2        /**< confirmed and reachable */
#define DPSCTP_UNCONFIRMED 3   /**< not yet confirmed by a heartbeat */
#define DPSCTP_UNKNOWN 0xffff  /**< not a path of the association */

/* spp_flags of struct dpsctp_paddrparams */
#define DPSCTP_SPP_HB_ENABLE (1u << 0)        /**< heartbeats on */
#define DPSCTP_SPP_HB_DISABLE (1u << 1)       /**< heartbeats off */
#define DPSCTP_SPP_HB (DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_DISABLE) /**< mask */
#define DPSCTP_SPP_HB_DEMAND (1u << 2)        /**< send a heartbeat now (set only, one address) */
#define DPSCTP_SPP_PMTUD_ENABLE (1u << 3)     /**< path MTU discovery on */
#define DPSCTP_SPP_PMTUD_DISABLE (1u << 4)    /**< fixed path MTU: spp_pathmtu */
#define DPSCTP_SPP_PMTUD (DPSCTP_SPP_PMTUD_ENABLE | DPSCTP_SPP_PMTUD_DISABLE) /**< mask */
#define DPSCTP_SPP_SACKDELAY_ENABLE (1u << 5) /**< spp_sackdelay applies (deprecated) */
#define DPSCTP_SPP_SACKDELAY_DISABLE (1u << 6) /**< SACK every packet (deprecated) */
#define DPSCTP_SPP_SACKDELAY (DPSCTP_SPP_SACKDELAY_ENABLE | DPSCTP_SPP_SACKDELAY_DISABLE) /**< mask */
#define DPSCTP_SPP_HB_TIME_IS_ZERO (1u << 7)  /**< heartbeat interval 0 (a heartbeat per RTO) */
#define DPSCTP_SPP_IPV6_FLOWLABEL (1u << 8)   /**< spp_ipv6_flowlabel is valid (not supported) */
#define DPSCTP_SPP_DSCP (1u << 9)             /**< spp_dscp is valid (not supported) */

/** @} */

/* ===================================================================================== */
/** @name Ancillary data structures (RFC 6458 5.3) */
/** @{ */

/** DPSCTP_INIT control message and DPSCTP_INITMSG option (RFC 6458 5.3.1, 8.1.3). */
struct dpsctp_initmsg {
	uint16_t sinit_num_ostreams;   /**< outbound streams asked for (0: unchanged) */
	uint16_t sinit_max_instreams;  /**< inbound streams accepted at most (0: unchanged) */
	uint16_t sinit_max_attempts;   /**< INIT retransmissions (0: unchanged) */
	uint16_t sinit_max_init_timeo; /**< largest INIT retransmission timeout, ms (0: unchanged) */
};

/** DPSCTP_SNDRCV control message, DPSCTP_DEFAULT_SEND_PARAM (deprecated, RFC 6458 5.3.2). */
struct dpsctp_sndrcvinfo {
	uint16_t sinfo_stream;       /**< stream number */
	uint16_t sinfo_ssn;          /**< received: stream sequence number */
	uint16_t sinfo_flags;        /**< DPSCTP_UNORDERED, DPSCTP_ABORT, DPSCTP_EOF, ... */
	uint32_t sinfo_ppid;         /**< payload protocol identifier, passed opaquely (network order by convention) */
	uint32_t sinfo_context;      /**< send: reported back in a send failure; received: the association's context */
	uint32_t sinfo_timetolive;   /**< send: lifetime in ms (0: reliable); PR-SCTP TTL */
	uint32_t sinfo_tsn;          /**< received: TSN of the first DATA chunk */
	uint32_t sinfo_cumtsn;       /**< received: cumulative TSN when delivered */
	dpsctp_assoc_t sinfo_assoc_id; /**< the association (one-to-many) */
};

/** DPSCTP_SNDINFO control message and DPSCTP_DEFAULT_SNDINFO (RFC 6458 5.3.4). */
struct dpsctp_sndinfo {
	uint16_t snd_sid;       /**< stream number */
	uint16_t snd_flags;     /**< DPSCTP_UNORDERED, ADDR_OVER, ABORT, EOF, SENDALL, SACK_IMMEDIATELY, EOR */
	uint32_t snd_ppid;      /**< payload protocol identifier (opaque; network order by convention) */
	uint32_t snd_context;   /**< reported back in ssfe_info when the message fails */
	dpsctp_assoc_t snd_assoc_id; /**< the association (one-to-many; ignored on one-to-one) */
};

/** DPSCTP_RCVINFO control message (RFC 6458 5.3.5). */
struct dpsctp_rcvinfo {
	uint16_t rcv_sid;       /**< stream number */
	uint16_t rcv_ssn;       /**< stream sequence number (unordered: 0) */
	uint16_t rcv_flags;     /**< DPSCTP_UNORDERED */
	uint32_t rcv_ppid;      /**< payload protocol identifier as sent */
	uint32_t rcv_tsn;       /**< TSN of the first DATA chunk */
	uint32_t rcv_cumtsn;    /**< cumulative TSN when delivered */
	uint32_t rcv_context;   /**< the association's context (DPSCTP_CONTEXT) */
	dpsctp_assoc_t rcv_assoc_id; /**< the association */
};

/** DPSCTP_NXTINFO control message (RFC 6458 5.3.6): the message queued after this one. */
struct dpsctp_nxtinfo {
	uint16_t nxt_sid;       /**< its stream */
	uint16_t nxt_flags;     /**< DPSCTP_UNORDERED, DPSCTP_COMPLETE, DPSCTP_NOTIFICATION */
	uint32_t nxt_ppid;      /**< its payload protocol identifier */
	uint32_t nxt_length;    /**< bytes of it queued now (all of it when COMPLETE) */
	dpsctp_assoc_t nxt_assoc_id; /**< its association */
};

/** DPSCTP_PRINFO control message (RFC 6458 5.3.7). */
struct dpsctp_prinfo {
	uint16_t pr_policy;     /**< DPSCTP_PR_SCTP_* */
	uint32_t pr_value;      /**< TTL: ms; RTX: retransmissions; PRIO: priority */
};

/**
 * DPSCTP_AUTHINFO control message (RFC 6458 5.3.8). The stack has no SCTP-AUTH (RFC 4895): a
 * send that carries it (cmsg, DPSCTP_SENDV_AUTHINFO, SPA with AUTHINFO_VALID) fails with EINVAL.
 */
struct dpsctp_authinfo {
	uint16_t auth_keynumber; /**< shared key identifier */
};

/** DPSCTP_SENDV_SPA info of dpsctp_sendv() (RFC 6458 9.12). */
struct dpsctp_sendv_spa {
	uint32_t sendv_flags;                   /**< DPSCTP_SEND_*_VALID */
	struct dpsctp_sndinfo sendv_sndinfo;    /**< valid with DPSCTP_SEND_SNDINFO_VALID */
	struct dpsctp_prinfo sendv_prinfo;      /**< valid with DPSCTP_SEND_PRINFO_VALID */
	struct dpsctp_authinfo sendv_authinfo;  /**< valid with DPSCTP_SEND_AUTHINFO_VALID */
};

/** DPSCTP_RECVV_RN info of dpsctp_recvv() (RFC 6458 9.13). */
struct dpsctp_recvv_rn {
	struct dpsctp_rcvinfo recvv_rcvinfo; /**< this message */
	struct dpsctp_nxtinfo recvv_nxtinfo; /**< the next one */
};

/** @} */

/* ===================================================================================== */
/** @name Socket option structures (RFC 6458 8) */
/** @{ */

/** DPSCTP_RTOINFO (RFC 6458 8.1.1); times in ms, 0 on set: unchanged. */
struct dpsctp_rtoinfo {
	dpsctp_assoc_t srto_assoc_id; /**< association or DPSCTP_FUTURE_ASSOC */
	uint32_t srto_initial;        /**< RTO.Initial, ms */
	uint32_t srto_max;            /**< RTO.Max, ms */
	uint32_t srto_min;            /**< RTO.Min, ms */
};

/** DPSCTP_ASSOCINFO (RFC 6458 8.1.2); 0 on set: unchanged. */
struct dpsctp_assocparams {
	dpsctp_assoc_t sasoc_assoc_id;           /**< association or DPSCTP_FUTURE_ASSOC */
	uint16_t sasoc_asocmaxrxt;               /**< Association.Max.Retrans */
	uint16_t sasoc_number_peer_destinations; /**< get: the peer's addresses */
	uint32_t sasoc_peer_rwnd;                /**< get: the peer's receiver window, bytes */
	uint32_t sasoc_local_rwnd;               /**< get: our receiver window, bytes */
	uint32_t sasoc_cookie_life;              /**< Valid.Cookie.Life, ms */
};

/** DPSCTP_PRIMARY_ADDR (RFC 6458 8.1.9). */
struct dpsctp_setprim {
	dpsctp_assoc_t ssp_assoc_id;       /**< the association */
	struct sockaddr_storage ssp_addr;  /**< the peer address to make primary */
};

/** DPSCTP_ADAPTATION_LAYER (RFC 6458 8.1.10). */
struct dpsctp_setadaptation {
	uint32_t ssb_adaptation_ind; /**< the indication sent in INIT / INIT ACK, host order */
};

/** DPSCTP_PEER_ADDR_PARAMS (RFC 6458 8.1.12; Linux's spp_sackdelay kept). */
struct dpsctp_paddrparams {
	dpsctp_assoc_t spp_assoc_id;         /**< association or DPSCTP_FUTURE_ASSOC */
	struct sockaddr_storage spp_address; /**< one peer address, or family 0 / wildcard: every path */
	uint32_t spp_hbinterval;             /**< heartbeat interval, ms */
	uint16_t spp_pathmaxrxt;             /**< Path.Max.Retrans */
	uint32_t spp_pathmtu;                /**< fixed path MTU with DPSCTP_SPP_PMTUD_DISABLE, bytes */
	uint32_t spp_sackdelay;              /**< delayed SACK, ms, with DPSCTP_SPP_SACKDELAY_ENABLE (deprecated) */
	uint32_t spp_flags;                  /**< DPSCTP_SPP_* */
	uint32_t spp_ipv6_flowlabel;         /**< with DPSCTP_SPP_IPV6_FLOWLABEL (not supported) */
	uint8_t spp_dscp;                    /**< with DPSCTP_SPP_DSCP (not supported) */
};

/** DPSCTP_PEER_ADDR_THLDS (RFC 7829 6.1). */
struct dpsctp_paddrthlds {
	dpsctp_assoc_t spt_assoc_id;         /**< association or DPSCTP_FUTURE_ASSOC */
	struct sockaddr_storage spt_address; /**< one peer address, or wildcard: every path */
	uint16_t spt_pathmaxrxt;             /**< Path.Max.Retrans */
	uint16_t spt_pathpfthld;             /**< potentially-failed threshold (>= pathmaxrxt: off) */
};

/** DPSCTP_GET_PEER_ADDR_INFO (RFC 6458 8.2.2), also the primary path in struct dpsctp_status. */
struct dpsctp_paddrinfo {
	dpsctp_assoc_t spinfo_assoc_id;         /**< the association */
	struct sockaddr_storage spinfo_address; /**< the peer address asked about */
	int32_t spinfo_state;                   /**< DPSCTP_ACTIVE, INACTIVE, PF, UNCONFIRMED */
	uint32_t spinfo_cwnd;                   /**< congestion window, bytes */
	uint32_t spinfo_srtt;                   /**< smoothed RTT, ms */
	uint32_t spinfo_rto;                    /**< current RTO, ms */
	uint32_t spinfo_mtu;                    /**< path MTU, bytes */
};

/** DPSCTP_STATUS (RFC 6458 8.2.1). */
struct dpsctp_status {
	dpsctp_assoc_t sstat_assoc_id;    /**< the association */
	int32_t sstat_state;              /**< DPSCTP_COOKIE_WAIT ... DPSCTP_SHUTDOWN_ACK_SENT */
	uint32_t sstat_rwnd;              /**< the peer's receiver window, bytes */
	uint16_t sstat_unackdata;         /**< DATA chunks not yet acknowledged */
	uint16_t sstat_penddata;          /**< DATA chunks pending receipt (not supported: 0) */
	uint16_t sstat_instrms;           /**< inbound streams */
	uint16_t sstat_outstrms;          /**< outbound streams */
	uint32_t sstat_fragmentation_point; /**< largest DATA chunk payload, bytes */
	struct dpsctp_paddrinfo sstat_primary; /**< the primary path */
};

/** DPSCTP_DELAYED_SACK (RFC 6458 8.1.19). */
struct dpsctp_sack_info {
	dpsctp_assoc_t sack_assoc_id; /**< association, FUTURE, CURRENT or ALL */
	uint32_t sack_delay;          /**< delay, ms (0 with sack_freq 1: delayed SACK off) */
	uint32_t sack_freq;           /**< packets per SACK */
};

/** Generic association option value (DPSCTP_CONTEXT, MAXSEG, MAX_BURST, ...; RFC 6458 8). */
struct dpsctp_assoc_value {
	dpsctp_assoc_t assoc_id; /**< association or FUTURE / CURRENT / ALL where allowed */
	uint32_t assoc_value;    /**< the value */
};

/** DPSCTP_EVENT (RFC 6458 6.2.2): subscribe to one notification type. */
struct dpsctp_event {
	dpsctp_assoc_t se_assoc_id; /**< FUTURE / CURRENT / ALL or an association (the socket's set) */
	uint16_t se_type;           /**< DPSCTP_ASSOC_CHANGE ... */
	uint8_t se_on;              /**< 1: deliver it; 0: do not */
};

/**
 * DPSCTP_EVENTS (deprecated, RFC 6458 6.2.1), Linux's field order. Shorter lengths from older
 * headers are accepted (the missing fields are unchanged on set, not written on get).
 */
struct dpsctp_event_subscribe {
	uint8_t sctp_data_io_event;          /**< DPSCTP_SNDRCV control message with each message */
	uint8_t sctp_association_event;      /**< DPSCTP_ASSOC_CHANGE */
	uint8_t sctp_address_event;          /**< DPSCTP_PEER_ADDR_CHANGE */
	uint8_t sctp_send_failure_event;     /**< DPSCTP_SEND_FAILED_EVENT (deprecated form: same) */
	uint8_t sctp_peer_error_event;       /**< DPSCTP_REMOTE_ERROR */
	uint8_t sctp_shutdown_event;         /**< DPSCTP_SHUTDOWN_EVENT */
	uint8_t sctp_partial_delivery_event; /**< DPSCTP_PARTIAL_DELIVERY_EVENT */
	uint8_t sctp_adaptation_layer_event; /**< DPSCTP_ADAPTATION_INDICATION */
	uint8_t sctp_authentication_event;   /**< not supported (never delivered) */
	uint8_t sctp_sender_dry_event;       /**< DPSCTP_SENDER_DRY_EVENT */
	uint8_t sctp_stream_reset_event;     /**< not supported */
	uint8_t sctp_assoc_reset_event;      /**< not supported */
	uint8_t sctp_stream_change_event;    /**< not supported */
	uint8_t sctp_send_failure_event_event; /**< DPSCTP_SEND_FAILED_EVENT */
};

/** DPSCTP_DEFAULT_PRINFO (RFC 6458 8.1.32). */
struct dpsctp_default_prinfo {
	uint16_t pr_policy;          /**< DPSCTP_PR_SCTP_* */
	uint32_t pr_value;           /**< as struct dpsctp_prinfo */
	dpsctp_assoc_t pr_assoc_id;  /**< association, FUTURE, CURRENT or ALL */
};

/** DPSCTP_GET_ASSOC_ID_LIST (RFC 6458 8.2.3): the caller sizes the array via optlen. */
struct dpsctp_assoc_ids {
	uint32_t gaids_number_of_ids;     /**< ids returned */
	dpsctp_assoc_t gaids_assoc_id[];  /**< the ids */
};

/** @} */

/* ===================================================================================== */
/** @name Notifications (RFC 6458 6.1): read with MSG_NOTIFICATION set in msg_flags */
/** @{ */

/** Common head of every notification. */
struct dpsctp_tlv {
	uint16_t sn_type;   /**< DPSCTP_ASSOC_CHANGE ... */
	uint16_t sn_flags;  /**< type specific */
	uint32_t sn_length; /**< bytes of the whole notification */
};

/** DPSCTP_ASSOC_CHANGE (RFC 6458 6.1.1). */
struct dpsctp_assoc_change {
	uint16_t sac_type;   /**< DPSCTP_ASSOC_CHANGE */
	uint16_t sac_flags;  /**< 0 */
	uint32_t sac_length; /**< bytes, sac_info included */
	uint16_t sac_state;  /**< DPSCTP_COMM_UP ... DPSCTP_CANT_STR_ASSOC */
	uint16_t sac_error;  /**< cause code (RFC 9260 3.3.10) that led here, 0 if none */
	uint16_t sac_outbound_streams; /**< negotiated (COMM_UP, RESTART) */
	uint16_t sac_inbound_streams;  /**< negotiated (COMM_UP, RESTART) */
	dpsctp_assoc_t sac_assoc_id;   /**< the association */
	/** COMM_LOST / CANT_STR_ASSOC after an ABORT: the ABORT chunk (header and causes, network order) */
	uint8_t sac_info[];
};

/** DPSCTP_PEER_ADDR_CHANGE (RFC 6458 6.1.2). */
struct dpsctp_paddr_change {
	uint16_t spc_type;   /**< DPSCTP_PEER_ADDR_CHANGE */
	uint16_t spc_flags;  /**< 0 */
	uint32_t spc_length; /**< bytes */
	struct sockaddr_storage spc_aaddr; /**< the peer address */
	uint32_t spc_state;  /**< DPSCTP_ADDR_AVAILABLE ... */
	uint32_t spc_error;  /**< cause code, 0 if none */
	dpsctp_assoc_t spc_assoc_id; /**< the association */
};

/** DPSCTP_REMOTE_ERROR (RFC 6458 6.1.3): the peer sent an ERROR chunk. */
struct dpsctp_remote_error {
	uint16_t sre_type;   /**< DPSCTP_REMOTE_ERROR */
	uint16_t sre_flags;  /**< 0 */
	uint32_t sre_length; /**< bytes, sre_data included */
	uint16_t sre_error;  /**< first cause code, network byte order (RFC 6458 6.1.3) */
	dpsctp_assoc_t sre_assoc_id; /**< the association */
	uint8_t sre_data[];  /**< every cause of the ERROR chunk (TLVs, network order) */
};

/** DPSCTP_SEND_FAILED_EVENT (RFC 6458 6.1.11): a message will not be delivered. */
struct dpsctp_send_failed_event {
	uint16_t ssfe_type;   /**< DPSCTP_SEND_FAILED_EVENT */
	uint16_t ssfe_flags;  /**< DPSCTP_DATA_UNSENT or DPSCTP_DATA_SENT */
	uint32_t ssfe_length; /**< bytes, ssfe_data included */
	uint32_t ssfe_error;  /**< cause code or errno-style reason, 0 when its lifetime expired */
	struct dpsctp_sndinfo ssfe_info; /**< as the message was sent (snd_context included) */
	dpsctp_assoc_t ssfe_assoc_id;    /**< the association */
	uint8_t ssfe_data[];  /**< the message (as much as fits the reader's buffer) */
};

/** DPSCTP_SHUTDOWN_EVENT (RFC 6458 6.1.5): the peer sent SHUTDOWN; send no more. */
struct dpsctp_shutdown_event {
	uint16_t sse_type;   /**< DPSCTP_SHUTDOWN_EVENT */
	uint16_t sse_flags;  /**< 0 */
	uint32_t sse_length; /**< bytes */
	dpsctp_assoc_t sse_assoc_id; /**< the association */
};

/** DPSCTP_ADAPTATION_INDICATION (RFC 6458 6.1.6). */
struct dpsctp_adaptation_event {
	uint16_t sai_type;   /**< DPSCTP_ADAPTATION_INDICATION */
	uint16_t sai_flags;  /**< 0 */
	uint32_t sai_length; /**< bytes */
	uint32_t sai_adaptation_ind; /**< the peer's indication, host order */
	dpsctp_assoc_t sai_assoc_id; /**< the association */
};

/** DPSCTP_PARTIAL_DELIVERY_EVENT (RFC 6458 6.1.7). */
struct dpsctp_pdapi_event {
	uint16_t pdapi_type;   /**< DPSCTP_PARTIAL_DELIVERY_EVENT */
	uint16_t pdapi_flags;  /**< 0 */
	uint32_t pdapi_length; /**< bytes */
	uint32_t pdapi_indication; /**< DPSCTP_PARTIAL_DELIVERY_ABORTED */
	uint32_t pdapi_stream; /**< stream of the message */
	uint32_t pdapi_seq;    /**< its stream sequence number */
	dpsctp_assoc_t pdapi_assoc_id; /**< the association */
};

/** DPSCTP_SENDER_DRY_EVENT (RFC 6458 6.1.9): nothing left to send or retransmit. */
struct dpsctp_sender_dry_event {
	uint16_t sender_dry_type;   /**< DPSCTP_SENDER_DRY_EVENT */
	uint16_t sender_dry_flags;  /**< 0 */
	uint32_t sender_dry_length; /**< bytes */
	dpsctp_assoc_t sender_dry_assoc_id; /**< the association */
};

/** Any notification: look at sn_header.sn_type first (RFC 6458 6.1). */
union dpsctp_notification {
	struct dpsctp_tlv sn_header;                  /**< type, flags, length */
	struct dpsctp_assoc_change sn_assoc_change;   /**< DPSCTP_ASSOC_CHANGE */
	struct dpsctp_paddr_change sn_paddr_change;   /**< DPSCTP_PEER_ADDR_CHANGE */
	struct dpsctp_remote_error sn_remote_error;   /**< DPSCTP_REMOTE_ERROR */
	struct dpsctp_send_failed_event sn_send_failed_event; /**< DPSCTP_SEND_FAILED_EVENT */
	struct dpsctp_shutdown_event sn_shutdown_event; /**< DPSCTP_SHUTDOWN_EVENT */
	struct dpsctp_adaptation_event sn_adaptation_event; /**< DPSCTP_ADAPTATION_INDICATION */
	struct dpsctp_pdapi_event sn_pdapi_event;     /**< DPSCTP_PARTIAL_DELIVERY_EVENT */
	struct dpsctp_sender_dry_event sn_sender_dry_event; /**< DPSCTP_SENDER_DRY_EVENT */
};

/** @} */

/* ===================================================================================== */
/** @name Sockets (RFC 6458 3, 4, 9) */
/** @{ */

/**
 * Create an SCTP socket: @p type SOCK_STREAM (one-to-one) or SOCK_SEQPACKET (one-to-many),
 * optionally or-ed with SOCK_NONBLOCK / SOCK_CLOEXEC. Attaches to the daemon on first use (and
 * re-attaches when the daemon the process used has gone).
 * @param domain AF_INET or AF_INET6
 * @param protocol 0 or IPPROTO_SCTP
 * @return a descriptor (see the file comment), or -1: EAFNOSUPPORT (domain), EPROTONOSUPPORT
 *         (protocol), EINVAL / ESOCKTNOSUPPORT (type), EMFILE / ENFILE / ENOMEM, or an error
 *         of dpsctp_attach().
 */
int dpsctp_socket(int domain, int type, int protocol);

/**
 * Bind to one address (wildcard: every address of the daemon) and a port (0: ephemeral).
 * A socket is bound at most once; more addresses with dpsctp_bindx().
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (already bound, bad length), EAFNOSUPPORT,
 *         EADDRINUSE, EADDRNOTAVAIL, ECONNRESET (daemon gone).
 */
int dpsctp_bind(int sd, const struct sockaddr *addr, socklen_t addrlen);

/**
 * Add or remove local addresses (RFC 6458 9.1): @p addrs is @p addrcnt packed sockaddr_in /
 * sockaddr_in6, all with the same port (the bound port, or any one port on an unbound socket,
 * which is then bound). @p flags exactly one of DPSCTP_BINDX_ADD_ADDR / DPSCTP_BINDX_REM_ADDR.
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (flags, ports differ, removing the last address,
 *         bad family), EADDRINUSE, EADDRNOTAVAIL, ECONNRESET.
 */
int dpsctp_bindx(int sd, struct sockaddr *addrs, int addrcnt, int flags);

/**
 * One-to-one: accept associations (dpsctp_accept()); one-to-many: accept them automatically
 * (announced with DPSCTP_ASSOC_CHANGE / COMM_UP). @p backlog 0 on one-to-many turns it off.
 * An unbound socket is bound to an ephemeral port first. The backlog is not enforced: every
 * association the daemon accepts waits in the accept queue.
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (connected socket), ECONNRESET.
 */
int dpsctp_listen(int sd, int backlog);

/**
 * One-to-one: take the next association from the accept queue as a new socket, which inherits
 * the listener's options. Blocks unless the listener is non-blocking.
 * @param addr, addrlen the peer's primary address (may be NULL)
 * @return the new descriptor, or -1: EBADF, ENOTSOCK, EOPNOTSUPP (one-to-many), EINVAL (not
 *         listening), EAGAIN (non-blocking, none), EINTR, ECONNRESET, EMFILE.
 */
int dpsctp_accept(int sd, struct sockaddr *addr, socklen_t *addrlen);

/**
 * Set up an association with one peer address (dpsctp_connectx() with one address). Blocks
 * until it is up (both styles, as Linux), or returns EINPROGRESS when non-blocking: poll for
 * POLLOUT (or POLLIN: the descriptor turns readable once), then read the result with SO_ERROR.
 * An unbound socket is bound to an ephemeral port first. On one-to-one, a second connect while
 * pending gives EALREADY, once up EISCONN; after a failed non-blocking connect the next connect
 * reports the failure once, then starts anew. On one-to-many, an association to the address
 * already existing gives EISCONN (up) or EALREADY (being set up).
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL, EAFNOSUPPORT, EISCONN, EALREADY, EINPROGRESS,
 *         ECONNREFUSED (the peer aborted the setup), ETIMEDOUT (INIT retries ran out),
 *         EADDRNOTAVAIL, ENOBUFS, ECONNRESET.
 */
int dpsctp_connect(int sd, const struct sockaddr *addr, socklen_t addrlen);

/**
 * Set up an association with a multi-homed peer (RFC 6458 9.9): @p addrs is @p addrcnt packed
 * sockaddr_in / sockaddr_in6 (at most 16), all with the same port. The association id is
 * written to @p id (may be NULL) as soon as it exists. Blocking as dpsctp_connect().
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (no addresses, bad family, ports differ),
 *         E2BIG (more than 16), and the errors of dpsctp_connect().
 */
int dpsctp_connectx(int sd, struct sockaddr *addrs, int addrcnt, dpsctp_assoc_t *id);

/**
 * Branch association @p id off one-to-many socket @p sd into a new one-to-one socket
 * (RFC 6458 9.2); queued messages of it move along. The new socket shares the endpoint.
 * @return the new descriptor, or -1: EBADF, ENOTSOCK, EOPNOTSUPP (one-to-one), EINVAL (no such
 *         association), ECONNRESET, EMFILE.
 */
int dpsctp_peeloff(int sd, dpsctp_assoc_t id);

/**
 * Graceful shutdown (RFC 6458 4.1.7, 3.1.7): SHUT_WR / SHUT_RDWR start the SHUTDOWN of the
 * association(s) (one-to-one: its one; one-to-many: all); SHUT_RD only stops reading.
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (how), ENOTCONN (one-to-one, none).
 */
int dpsctp_shutdown(int sd, int how);

/**
 * Close the socket: its associations shut down gracefully (un-accepted ones of a listener are
 * aborted), or are aborted with SO_LINGER on and
 * l_linger 0; with SO_LINGER on and l_linger > 0 a blocking close waits up to that many seconds
 * for the shutdowns to complete. The endpoint is freed when no socket uses it any more.
 * Works after the daemon went away.
 * @return 0, or -1: EBADF, ENOTSOCK.
 */
int dpsctp_close(int sd);

/**
 * The peer's addresses of association @p id (one-to-one: ignored) (RFC 6458 9.3).
 * @param addrs set to a packed array of sockaddr_in / sockaddr_in6, freed with
 *        dpsctp_freepaddrs()
 * @return the number of addresses, or -1: EBADF, ENOTSOCK, EINVAL (addrs NULL, no such
 *         association), ENOTCONN, ENOMEM, ECONNRESET.
 */
int dpsctp_getpaddrs(int sd, dpsctp_assoc_t id, struct sockaddr **addrs);

/** Free what dpsctp_getpaddrs() returned (NULL allowed). */
void dpsctp_freepaddrs(struct sockaddr *addrs);

/**
 * The socket's local addresses (RFC 6458 9.5); @p id is ignored (every association of an
 * endpoint uses the endpoint's addresses).
 * @param addrs set to a packed array, freed with dpsctp_freeladdrs()
 * @return the number of addresses (0 when not bound), or -1: EBADF, ENOTSOCK, EINVAL, ENOMEM.
 */
int dpsctp_getladdrs(int sd, dpsctp_assoc_t id, struct sockaddr **addrs);

/** Free what dpsctp_getladdrs() returned (NULL allowed). */
void dpsctp_freeladdrs(struct sockaddr *addrs);

/**
 * The socket's first local address and port, as getsockname(2) (wildcard when bound to all).
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL.
 */
int dpsctp_getsockname(int sd, struct sockaddr *addr, socklen_t *addrlen);

/**
 * The peer's primary address (one-to-one), as getpeername(2).
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL, ENOTCONN (none, or a one-to-many socket).
 */
int dpsctp_getpeername(int sd, struct sockaddr *addr, socklen_t *addrlen);

/** @} */

/* ===================================================================================== */
/** @name Sending and receiving (RFC 6458 5, 9) */
/** @{ */

/**
 * Send one message (RFC 6458 9.12).
 * @param iov, iovcnt the message (gathered; 0 bytes only with DPSCTP_ABORT or DPSCTP_EOF)
 * @param addrs, addrcnt NULL/0, or packed peer addresses: on a one-to-many socket an
 *        association to them is set up implicitly when there is none (as dpsctp_connectx(),
 *        the message queued behind the handshake; its id is announced by DPSCTP_ASSOC_CHANGE and
 *        written to snd_assoc_id of a DPSCTP_SENDV_SNDINFO / SPA @p info), else they select the
 *        association; on a one-to-one socket they must be the peer's (or connect first)
 * @param info, infolen, infotype DPSCTP_SENDV_* and its structure
 * @param flags MSG_DONTWAIT, MSG_NOSIGNAL (ignored: no signals), MSG_EOR (with EXPLICIT_EOR).
 *        snd_flags: DPSCTP_ABORT aborts the association (the data, if any, is the user abort
 *        reason, and its length is returned); DPSCTP_EOF with no data starts a graceful
 *        shutdown and returns 0, with data sends it then shuts down (both one-to-many only:
 *        EOPNOTSUPP on one-to-one, as Solaris); DPSCTP_SENDALL (one-to-many) sends to every
 *        association; DPSCTP_ADDR_OVER needs @p addrs, which then select the association (the
 *        path is the association's current one: the stack does not pin a path per message)
 * @return bytes accepted, or -1: EBADF, ENOTSOCK, EINVAL (bad info, stream out of range,
 *         unknown flags, DPSCTP_ADDR_OVER with no address, a PR policy other than NONE / TTL),
 *         EOPNOTSUPP (MSG_OOB; ABORT / EOF on one-to-one), ENOTCONN, EPIPE (after shutdown),
 *         ECONNRESET (association aborted or daemon gone), EMSGSIZE (larger than SO_SNDBUF, or
 *         DISABLE_FRAGMENTS and larger than the fragmentation point), EAGAIN (non-blocking, no
 *         send credit), ENOENT (one-to-many: no association for the id / DPSCTP_ABORT on none),
 *         ENOBUFS, EOPNOTSUPP.
 */
ssize_t dpsctp_sendv(int sd, const struct iovec *iov, int iovcnt, struct sockaddr *addrs,
	int addrcnt, void *info, socklen_t infolen, unsigned int infotype, int flags);

/**
 * Receive one message or notification, or the next part of one (RFC 6458 9.13).
 * @param from, fromlen the peer's address (may be NULL)
 * @param info, infolen, infotype what is returned: RCVINFO with DPSCTP_RECVRCVINFO on, NXTINFO
 *        with DPSCTP_RECVNXTINFO on and a next message queued, RN when both; NOINFO otherwise
 * @param flags in: MSG_DONTWAIT, MSG_PEEK; out: MSG_EOR when the message ends here,
 *        DPSCTP_MSG_NOTIFICATION for a notification. A message larger than the buffer is read
 *        over several calls, MSG_EOR on the last; a message still arriving (partial delivery)
 *        is returned as far as it has arrived, without MSG_EOR. Messages are not interleaved:
 *        the rest of a partly read message comes before any other message.
 * @return bytes, 0 at end of stream (one-to-one after the association shut down), or -1:
 *         EBADF, ENOTSOCK, EINVAL, ENOTCONN, EAGAIN, EINTR, ECONNRESET.
 */
ssize_t dpsctp_recvv(int sd, const struct iovec *iov, int iovlen, struct sockaddr *from,
	socklen_t *fromlen, void *info, socklen_t *infolen, unsigned int *infotype, int *flags);

/**
 * sendmsg(2) with RFC 6458 control messages (level IPPROTO_SCTP: DPSCTP_INIT, DPSCTP_SNDINFO,
 * DPSCTP_PRINFO, DPSCTP_AUTHINFO, DPSCTP_SNDRCV, DPSCTP_DSTADDRV4/V6); msg_name as the
 * addresses of dpsctp_sendv(). @return as dpsctp_sendv().
 */
ssize_t dpsctp_sendmsg(int sd, const struct msghdr *msg, int flags);

/**
 * recvmsg(2) with RFC 6458 control messages (DPSCTP_RCVINFO, DPSCTP_NXTINFO, or the deprecated
 * DPSCTP_SNDRCV with sctp_data_io_event); msg_flags gets MSG_EOR, DPSCTP_MSG_NOTIFICATION,
 * MSG_CTRUNC. @return as dpsctp_recvv().
 */
ssize_t dpsctp_recvmsg(int sd, struct msghdr *msg, int flags);

/** send(2): one message with the default send parameters (one-to-one). */
ssize_t dpsctp_send(int sd, const void *buf, size_t len, int flags);

/** recv(2): one message or part of one. */
ssize_t dpsctp_recv(int sd, void *buf, size_t len, int flags);

/** sendto(2): @p to as one address of dpsctp_sendv() (may be NULL). */
ssize_t dpsctp_sendto(int sd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	socklen_t tolen);

/** recvfrom(2). */
ssize_t dpsctp_recvfrom(int sd, void *buf, size_t len, int flags, struct sockaddr *from,
	socklen_t *fromlen);

/** read(2) on the socket: dpsctp_recv() with no flags. */
ssize_t dpsctp_read(int sd, void *buf, size_t len);

/** write(2) on the socket: dpsctp_send() with no flags. */
ssize_t dpsctp_write(int sd, const void *buf, size_t len);

/**
 * The legacy sctp_sendmsg() (RFC 6458 9.7): one message to @p to (may be NULL) with the given
 * ppid, flags (DPSCTP_UNORDERED, ABORT, EOF, ADDR_OVER, SENDALL), stream, lifetime (ms) and
 * context. @return bytes, or -1 as dpsctp_sendv().
 */
int dpsctp_sctp_sendmsg(int sd, const void *msg, size_t len, const struct sockaddr *to,
	socklen_t tolen, uint32_t ppid, uint32_t flags, uint16_t stream_no, uint32_t timetolive,
	uint32_t context);

/**
 * The legacy sctp_recvmsg() (RFC 6458 9.8): @p sinfo (may be NULL) is filled when the
 * sctp_data_io_event subscription (DPSCTP_EVENTS) or DPSCTP_RECVRCVINFO is on.
 * @return bytes, or -1 as dpsctp_recvv().
 */
int dpsctp_sctp_recvmsg(int sd, void *msg, size_t len, struct sockaddr *from, socklen_t *fromlen,
	struct dpsctp_sndrcvinfo *sinfo, int *msg_flags);

/**
 * The legacy sctp_send() (RFC 6458 9.10): as dpsctp_sctp_sendmsg() with the parameters in
 * @p sinfo (sinfo_assoc_id selects the association of a one-to-many socket).
 */
int dpsctp_sctp_send(int sd, const void *msg, size_t len, const struct dpsctp_sndrcvinfo *sinfo,
	int flags);

/** @} */

/* ===================================================================================== */
/** @name Options, descriptor flags, polling */
/** @{ */

/**
 * setsockopt(2): levels IPPROTO_SCTP / DPSCTP_IPPROTO_SCTP (DPSCTP_* names), SOL_SOCKET
 * (SO_RCVBUF, SO_SNDBUF, SO_LINGER), IPPROTO_IPV6 (IPV6_V6ONLY).
 * @return 0, or -1: EBADF, ENOTSOCK, EINVAL (length, value, association id), ENOPROTOOPT
 *         (unknown option), EOPNOTSUPP, ENOTCONN, ECONNRESET.
 */
int dpsctp_setsockopt(int sd, int level, int optname, const void *optval, socklen_t optlen);

/**
 * getsockopt(2), same levels; SOL_SOCKET also SO_ERROR (the pending error, cleared) and
 * SO_TYPE. @p *optlen is in/out. @return 0, or -1 as dpsctp_setsockopt().
 */
int dpsctp_getsockopt(int sd, int level, int optname, void *optval, socklen_t *optlen);

/**
 * sctp_opt_info() (RFC 6458 9.11): dpsctp_getsockopt() at level IPPROTO_SCTP with the
 * association id @p id written into the option structure @p arg first.
 */
int dpsctp_opt_info(int sd, dpsctp_assoc_t id, int opt, void *arg, socklen_t *size);

/**
 * fcntl(2) on a dpsctp socket: F_GETFL, F_SETFL (O_NONBLOCK), F_GETFD, F_SETFD (FD_CLOEXEC).
 * @return as fcntl(2), or -1: EBADF, ENOTSOCK, EINVAL (another command).
 */
int dpsctp_fcntl(int sd, int cmd, ...);

/**
 * poll(2) over dpsctp sockets and ordinary descriptors together. For dpsctp sockets POLLIN means
 * dpsctp_recvmsg() / dpsctp_accept() would not block, POLLOUT that a send would not block (an
 * association is up and has send credit) or a non-blocking connect finished, POLLERR a pending
 * error, POLLHUP the association or the daemon is gone. With busy polling on any dpsctp socket
 * of @p fds it spins instead of sleeping.
 * @param timeout ms, -1 forever, 0 no wait
 * @return descriptors with events, 0 on timeout, or -1: EINVAL, EINTR, ENOMEM.
 */
int dpsctp_poll(struct pollfd *fds, nfds_t nfds, int timeout);

/** @} */

#ifdef __cplusplus
}
#endif

#endif
