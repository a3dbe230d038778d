/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interop harness: usrsctp and the dpsctp engine in one process, one thread, joined by memory.
 *
 * usrsctp runs in AF_CONN mode without its timer thread: the packets it sends land in a FIFO
 * (its conn_output upcall), the packets it receives are handed to usrsctp_conninput(), and its
 * clock moves only when usrsctp_handle_timers() is called. The engine side is a dpsctp endpoint
 * with a counting allocator and a seeded PRNG. One virtual clock drives both, so a run is
 * repeatable and takes no wall time. Every packet is checked (CRC32c), rendered into a text trace
 * and written to a pcap (raw IPv4, 198.18.0.1 = dpsctp, 198.18.0.2 = usrsctp) for tshark.
 *
 * usrsctp keeps global state: one struct interop per process (Criterion forks per test).
 */
#ifndef DPSCTP_TESTS_INTEROP_USRSCTP_PEER_H
#define DPSCTP_TESTS_INTEROP_USRSCTP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

#include "engine.h"
#include "testenv.h"

struct socket;       /* usrsctp's socket, opaque here */
struct sctp_rcvinfo; /* usrsctp.h */
struct uspeer_sock;

/**
 * A piece of a user message usrsctp handed to the socket's reader: @p ri as usrsctp_recvv()
 * reported it (SCTP_RECVRCVINFO), @p eor set on the message's last piece (MSG_EOR).
 */
typedef void (*uspeer_data_fn)(void *ctx, struct uspeer_sock *s, const struct sctp_rcvinfo *ri,
	const uint8_t *data, size_t len, bool eor);

/** Bytes of sac_info kept from a usrsctp ASSOC_CHANGE (it carries the ABORT chunk). */
#define USPEER_INFO_MAX 256

/** One usrsctp socket and what its notifications said so far. */
struct uspeer_sock {
	struct socket *so;      /**< the usrsctp socket, NULL once closed */
	int type;               /**< SOCK_STREAM (one-to-one) or SOCK_SEQPACKET (one-to-many) */
	uint16_t port;          /**< local SCTP port, host order */
	uint32_t assoc_id;      /**< association of the last ASSOC_CHANGE (one-to-many sockets) */
	unsigned int n_comm_up; /**< SCTP_ASSOC_CHANGE counts by sac_state */
	unsigned int n_comm_lost;
	unsigned int n_restart;
	unsigned int n_shutdown_comp;
	unsigned int n_cant_str_assoc;
	unsigned int n_shutdown_event;     /**< SCTP_SHUTDOWN_EVENT: the peer sent SHUTDOWN */
	unsigned int n_remote_error;       /**< SCTP_REMOTE_ERROR */
	unsigned int n_send_failed;        /**< SCTP_SEND_FAILED_EVENT */
	unsigned int n_paddr_change;       /**< SCTP_PEER_ADDR_CHANGE */
	unsigned int n_adaptation;         /**< SCTP_ADAPTATION_INDICATION */
	unsigned int n_other;              /**< any other notification */
	unsigned int n_data;               /**< user messages received (pieces with MSG_EOR) */
	unsigned int n_data_pieces;        /**< usrsctp_recvv() calls that returned user data */
	unsigned int n_no_rcvinfo;         /**< of those, without an sctp_rcvinfo */
	uspeer_data_fn on_data;            /**< set after uspeer_open() to see the data read */
	void *data_ctx;                    /**< passed to @c on_data */
	uint16_t sac_error;                /**< sac_error of the last ASSOC_CHANGE */
	uint16_t sac_outbound_streams;     /**< of the last COMM_UP */
	uint16_t sac_inbound_streams;      /**< of the last COMM_UP */
	uint8_t sac_info[USPEER_INFO_MAX]; /**< sac_info of the last COMM_LOST (the ABORT chunk) */
	size_t sac_info_len;               /**< bytes kept in @c sac_info */
	uint16_t remote_error;             /**< sre_error of the last REMOTE_ERROR */
	bool eof;                          /**< recvv returned 0: the peer shut the stream down */
	int so_error;                      /**< errno of the last failed recvv other than EAGAIN */
};

/** Start usrsctp (no threads, AF_CONN only, debug output off). @return 0 or -1. */
int uspeer_init(void);

/**
 * Close every usrsctp socket still open with an ABORT nobody receives and stop usrsctp.
 * @return 0, or -1 when usrsctp_finish() kept refusing (associations it would not release).
 */
int uspeer_finish(void);

/** The AF_CONN address (sconn_addr) both ends of every usrsctp association use. */
void *uspeer_addr(void);

/** Take the oldest packet usrsctp sent into @p buf. @return its length, 0 when none is queued. */
size_t uspeer_pop(uint8_t *buf, size_t cap);

/** Packets usrsctp sent that did not fit the FIFO (a harness limit, must stay 0). */
unsigned int uspeer_overflows(void);

/** Hand a packet (checksum filled) to usrsctp, as received. */
void uspeer_input(const uint8_t *pkt, size_t len);

/** Let @p ms milliseconds pass for usrsctp's timers. */
void uspeer_advance_ms(uint32_t ms);

/**
 * Open a non-blocking AF_CONN socket of @p type bound to @p port, subscribed to the
 * association, shutdown, error and address notifications. @return 0 or -errno.
 */
int uspeer_open(struct uspeer_sock *s, int type, uint16_t port);

/** Accept associations on @p s. @return 0 or -errno. */
int uspeer_listen(struct uspeer_sock *s);

/** Start an association to @p port (the INIT goes out at once). @return 0 or -errno. */
int uspeer_connect(struct uspeer_sock *s, uint16_t port);

/**
 * Send one user message of @p len bytes on stream @p sid with usrsctp_sendv() and an
 * sctp_sndinfo: @p flags SCTP_UNORDERED or 0, @p ppid as it goes on the wire (raw).
 * @return 0, -EAGAIN when the send buffer has no room now (EWOULDBLOCK), or -errno.
 */
int uspeer_send(struct uspeer_sock *s, uint16_t sid, uint16_t flags, uint32_t ppid,
	const void *data, size_t len);

/** Set an integer socket option at level IPPROTO_SCTP or SOL_SOCKET. @return 0 or -errno. */
int uspeer_setsockopt_int(struct uspeer_sock *s, int level, int name, int value);

/** usrsctp's process-wide counters (struct sctpstat), for a summary. */
struct uspeer_counts {
	uint32_t data_out;     /**< DATA chunks sent the first time */
	uint32_t data_in;      /**< DATA chunks received */
	uint32_t data_dup;     /**< duplicate DATA chunks received */
	uint32_t retrans;      /**< DATA chunks retransmitted (T3 and fast) */
	uint32_t retrans_fast; /**< of those, fast retransmissions */
	uint32_t t3_expiries;  /**< T3-rtx expirations */
	uint32_t sacks_in;     /**< SACK chunks received */
	uint32_t sacks_out;    /**< SACK chunks sent */
	uint32_t packets_in;   /**< packets received */
	uint32_t packets_out;  /**< packets sent */
};

/** Fill @p c from usrsctp_get_stat(). */
void uspeer_counts(struct uspeer_counts *c);

/**
 * Graceful close of the association: shutdown(SHUT_WR) on a one-to-one socket, a send with
 * SCTP_EOF on a one-to-many socket. @return 0 or -errno.
 */
int uspeer_shutdown(struct uspeer_sock *s);

/** ABORT with a User-Initiated Abort cause carrying @p reason (send with SCTP_ABORT). */
int uspeer_abort(struct uspeer_sock *s, const void *reason, size_t len);

/** ABORT by closing the socket with SO_LINGER {on, 0}. @return 0 or -errno. */
int uspeer_abort_by_close(struct uspeer_sock *s);

/**
 * Have usrsctp send a HEARTBEAT to @p peer_port now (SPP_HB_DEMAND). Needed because usrsctp
 * measures a path's idle time on the wall clock, so in virtual time its own heartbeats never
 * fall due. @return 0 or -errno.
 */
int uspeer_heartbeat(struct uspeer_sock *s, uint16_t peer_port);

/** usrsctp's process-wide HEARTBEATs sent and HEARTBEAT ACKs received. */
void uspeer_heartbeat_counts(uint32_t *sent, uint32_t *acked);

/** Close the socket (a graceful shutdown if it holds an association). */
void uspeer_close(struct uspeer_sock *s);

/** Read every pending notification and message of @p s. @return how many were read. */
unsigned int uspeer_poll(struct uspeer_sock *s);

/** SCTP_STATUS sstat_state of the socket's association, or -1 when there is none. */
int uspeer_state(const struct uspeer_sock *s);

/** Name of an sstat_state value ("ESTABLISHED"). */
const char *uspeer_state_name(int state);

/** One engine event as the harness recorded it. */
struct interop_event {
	enum dpsctp_event_type type;   /**< event kind */
	int state;                     /**< sac_state of an ASSOC_CHANGE, else 0 */
	uint16_t error;                /**< cause code, as the event carries it */
	uint16_t outbound_streams;     /**< of COMM_UP / RESTART */
	uint16_t inbound_streams;      /**< of COMM_UP / RESTART */
	uint32_t assoc_id;             /**< association identifier */
	uint8_t info[USPEER_INFO_MAX]; /**< ABORT causes of a COMM_LOST, or REMOTE_ERROR causes */
	size_t info_len;               /**< bytes kept in @c info (truncated to its size) */
};

#define INTEROP_MAX_EVENTS 64
#define INTEROP_MAX_SOCKS 4

/** The two stacks, the wire between them and the virtual clock. */
struct interop {
	uint64_t now;        /**< virtual time in ns, the engine's clock */
	uint64_t usrsctp_ms; /**< how much of @c now usrsctp has been told about, in ms */

	struct dpsctp_endpoint *ep; /**< our endpoint, NULL until interop_endpoint() */
	uint16_t port;              /**< its port */
	struct dpsctp_path path;    /**< our view of the wire: 198.18.0.1 -> 198.18.0.2 */
	struct dpsctp_assoc *assoc; /**< the association last heard of, NULL once freed */

	/** The engine's allocator and randomness (testenv.h): live allocations and bytes, bad
	 * frees (a wrong size, or a pointer it did not hand out), the seeded random stream. */
	struct testenv mem;

	struct interop_event ev[INTEROP_MAX_EVENTS]; /**< engine events, in order */
	size_t nev;                                  /**< how many (more are not kept) */
	unsigned int assocs_freed;                   /**< assoc_free upcalls */
	unsigned int n_sender_dry;                   /**< SENDER_DRY events (counted, not kept) */
	unsigned int n_send_failed;                  /**< SEND_FAILED events */

	/** The engine's deliver upcall is passed on here when set (ctx: @c deliver_ctx). */
	void (*deliver)(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
		const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor);
	void *deliver_ctx;

	uint32_t loss_ppm;            /**< packets dropped per million on the wire, each way */
	uint64_t loss_rng;            /**< splitmix64 state of the loss draws (set by the test) */
	unsigned int lost_to_engine;  /**< packets usrsctp -> engine dropped (loss, filter) */
	unsigned int lost_to_usrsctp; /**< packets engine -> usrsctp dropped (loss, filter) */
	unsigned int capture_max;     /**< frames written to the pcap and the trace, 0: all */
	bool report_no_trace;         /**< interop_report() names the trace file, not its lines */
	/**
	 * Ask the engine for its packets (and read the usrsctp sockets) after each packet it is
	 * given, not once after all that usrsctp queued (a receive burst): packet by packet.
	 */
	bool tx_per_packet;
	/**
	 * Called for each packet on the wire (after @c loss_ppm spared it), @p to_engine telling
	 * the direction: true drops it, and it may change the packet in place (the checksum is
	 * computed again).
	 */
	bool (*filter)(void *ctx, uint8_t *pkt, size_t len, bool to_engine);
	void *filter_ctx;

	struct uspeer_sock *socks[INTEROP_MAX_SOCKS]; /**< usrsctp sockets polled after each step */
	size_t nsocks;

	unsigned int to_engine;       /**< packets usrsctp -> engine */
	unsigned int to_usrsctp;      /**< packets engine -> usrsctp */
	unsigned int loopback;        /**< packets usrsctp -> usrsctp (harness self-test) */
	unsigned int bad_crc;         /**< packets from usrsctp whose CRC32c was wrong (dropped) */
	unsigned int engine_discards; /**< packets dpsctp_endpoint_input() discarded whole */
	unsigned int wrong_path;      /**< engine packets sent on another path than ours */
	unsigned int oversize;        /**< packets larger than DPSCTP_MAX_PACKET */

	pcap_t *pcap;          /**< DLT_RAW, for pcap_dump */
	pcap_dumper_t *dumper; /**< the pcap file, NULL when it could not be opened */
	char pcap_path[512];   /**< where it is */
	unsigned int frames;   /**< frames written */
	FILE *trace;           /**< rendered packets and engine upcalls, in order */
	char trace_path[512];  /**< where it is */
};

/**
 * Start usrsctp and open the trace files @p dir/interop-@p name.{pcap,txt}. @p seed seeds the
 * engine's randomness. @return 0 or -1.
 */
int interop_open(struct interop *w, const char *dir, const char *name, uint64_t seed);

/** Create our endpoint on @p port (listening or not) at the current time. @return engine code. */
int interop_endpoint(
	struct interop *w, uint16_t port, bool listen, const struct dpsctp_proto_config *cfg);

/** Poll @p s after every step. */
void interop_watch(struct interop *w, struct uspeer_sock *s);

/** Move packets both ways and run due engine timers until nothing moves. @return packets moved. */
unsigned int interop_pump(struct interop *w);

/** Let @p ns pass in steps of at most 10 ms (or to the next engine deadline), pumping each. */
void interop_run(struct interop *w, uint64_t ns);

/** Destroy our endpoint (sending nothing), close the pcap and the trace. */
void interop_close_engine(struct interop *w);

/** interop_close_engine(), then close the usrsctp sockets and stop usrsctp. @return 0 or -1. */
int interop_close(struct interop *w);

/** Events of @p type (and sac @p state when @p type is ASSOC_CHANGE, 0 for any) recorded. */
size_t interop_count(const struct interop *w, enum dpsctp_event_type type, int state);

/** The first such event, or NULL. */
const struct interop_event *interop_find(
	const struct interop *w, enum dpsctp_event_type type, int state);

/** Sum of the engine's drop counters, except the reasons set in @p allowed (bit per reason). */
uint64_t interop_drops(const struct interop *w, uint32_t allowed);

/** usrsctp's discards that point at us: bad checksum, short header, bad vtag, out of the blue. */
uint64_t interop_usrsctp_discards(void);

/**
 * Write to @p f what the run looked like: every packet rendered, the engine's events and
 * non-zero counters by name, usrsctp's state and counters.
 */
void interop_report(struct interop *w, FILE *f);

/**
 * Have tshark decode the pcap with CRC32c checking: every frame SCTP, every checksum good, no
 * malformed packet or expert error. Closes the pcap first.
 * @return 0 when clean, 1 when not (@p msg says why), -1 when tshark is not installed.
 */
int interop_tshark_check(struct interop *w, char *msg, size_t cap);

#endif /* DPSCTP_TESTS_INTEROP_USRSCTP_PEER_H */
