/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interop harness (usrsctp_peer.h): usrsctp in AF_CONN mode without threads, the dpsctp engine,
 * the memory wire between them, the virtual clock, and the pcap / text trace of the wire.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <pcap/pcap.h>
#include <usrsctp.h>

#include "crc32c_ref.h"
#include "engine.h"
#include "packet.h"
#include "render.h"
#include "usrsctp_peer.h"
#include "wbuf.h"

#define IP4_LEN 20
#define IPPROTO_SCTP_NUM 132
/* Engine and usrsctp packets both stay below this (usrsctp's AF_CONN MTU is far smaller). */
#define WIRE_MAX DPSCTP_MAX_PACKET
#define FIFO_SLOTS 256
#define STEP_NS (10 * DPSCTP_MS)
/* A pump that never goes quiet is a packet storm between the two stacks: stop and say so. */
#define PUMP_MAX_ROUNDS 10000

/* usrsctp is a process-wide singleton; so is its side of the wire. */
static struct {
	int token; /* its address is the AF_CONN address of every usrsctp association */
	unsigned int head, count, overflows;
	struct {
		size_t len;
		uint8_t data[WIRE_MAX];
	} slot[FIFO_SLOTS];
	struct uspeer_sock *open[8]; /* sockets uspeer_finish() must close */
} usp;

/* usrsctp's conn_output upcall: it may run inside any usrsctp call, so it only queues. */
static int
conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df)
{
	unsigned int tail;

	(void)addr;
	(void)tos;
	(void)set_df;
	if (usp.count == FIFO_SLOTS || len > WIRE_MAX) {
		usp.overflows++;
		return 0; /* a lost packet, as on a real wire; counted so the test fails */
	}
	tail = (usp.head + usp.count) % FIFO_SLOTS;
	memcpy(usp.slot[tail].data, buf, len);
	usp.slot[tail].len = len;
	usp.count++;
	return 0;
}

int
uspeer_init(void)
{
	memset(&usp, 0, sizeof(usp));
	/* No debug printer: usrsctp prints nothing. No threads: timers run in handle_timers(). */
	usrsctp_init_nothreads(0, conn_output, NULL);
	/* Compute and verify CRC32c on AF_CONN: the engine gets checked packets, as from a NIC. */
	usrsctp_disable_crc32c_offload();
	usrsctp_sysctl_set_sctp_no_csum_on_loopback(0);
	usrsctp_register_address(&usp.token);
	return 0;
}

void *
uspeer_addr(void)
{
	return &usp.token;
}

size_t
uspeer_pop(uint8_t *buf, size_t cap)
{
	size_t len;

	if (usp.count == 0)
		return 0;
	len = usp.slot[usp.head].len;
	if (len > cap)
		len = cap;
	memcpy(buf, usp.slot[usp.head].data, len);
	usp.head = (usp.head + 1) % FIFO_SLOTS;
	usp.count--;
	return len;
}

unsigned int
uspeer_overflows(void)
{
	return usp.overflows;
}

/* Packets waiting in the FIFO. */
static unsigned int
uspeer_queued(void)
{
	return usp.count;
}

void
uspeer_input(const uint8_t *pkt, size_t len)
{
	usrsctp_conninput(&usp.token, pkt, len, 0);
}

void
uspeer_advance_ms(uint32_t ms)
{
	usrsctp_handle_timers(ms);
}

static void
track(struct uspeer_sock *s, bool on)
{
	size_t i;

	for (i = 0; i < sizeof(usp.open) / sizeof(usp.open[0]); i++) {
		if (on && usp.open[i] == NULL) {
			usp.open[i] = s;
			return;
		}
		if (!on && usp.open[i] == s)
			usp.open[i] = NULL;
	}
}

static struct sockaddr_conn
conn_addr(uint16_t port)
{
	struct sockaddr_conn sc;

	memset(&sc, 0, sizeof(sc));
	sc.sconn_family = AF_CONN;
	sc.sconn_port = htons(port);
	sc.sconn_addr = &usp.token;
	return sc;
}

int
uspeer_open(struct uspeer_sock *s, int type, uint16_t port)
{
	static const uint16_t events[] = {SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE,
		SCTP_REMOTE_ERROR, SCTP_SHUTDOWN_EVENT, SCTP_ADAPTATION_INDICATION,
		SCTP_SEND_FAILED_EVENT};
	struct sockaddr_conn sc = conn_addr(port);
	struct sctp_event ev;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->type = type;
	s->port = port;
	s->so = usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (s->so == NULL)
		return -errno;
	track(s, true);
	if (usrsctp_set_non_blocking(s->so, 1) < 0)
		return -errno;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_type = events[i];
		ev.se_on = 1;
		if (usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0)
			return -errno;
	}
	/* RFC 6458 8.1.29: an sctp_rcvinfo with each message read, for the data tests */
	if (uspeer_setsockopt_int(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, 1) < 0)
		return -errno;
	if (usrsctp_bind(s->so, (struct sockaddr *)&sc, sizeof(sc)) < 0)
		return -errno;
	return 0;
}

int
uspeer_setsockopt_int(struct uspeer_sock *s, int level, int name, int value)
{
	if (usrsctp_setsockopt(s->so, level, name, &value, sizeof(value)) < 0)
		return -errno;
	return 0;
}

int
uspeer_listen(struct uspeer_sock *s)
{
	return usrsctp_listen(s->so, 1) < 0 ? -errno : 0;
}

int
uspeer_connect(struct uspeer_sock *s, uint16_t port)
{
	struct sockaddr_conn sc = conn_addr(port);

	if (usrsctp_connect(s->so, (struct sockaddr *)&sc, sizeof(sc)) < 0 && errno != EINPROGRESS)
		return -errno;
	return 0;
}

static int
send_flags(struct uspeer_sock *s, uint16_t flags, const void *data, size_t len)
{
	struct sctp_sndinfo si;

	memset(&si, 0, sizeof(si));
	si.snd_flags = flags;
	si.snd_assoc_id = s->assoc_id;
	if (usrsctp_sendv(s->so, data, len, NULL, 0, &si, sizeof(si), SCTP_SENDV_SNDINFO, 0) < 0)
		return -errno;
	return 0;
}

int
uspeer_send(struct uspeer_sock *s, uint16_t sid, uint16_t flags, uint32_t ppid, const void *data,
	size_t len)
{
	struct sctp_sndinfo si;
	ssize_t n;

	memset(&si, 0, sizeof(si));
	si.snd_sid = sid;
	si.snd_flags = flags;
	si.snd_ppid = ppid;
	si.snd_assoc_id = s->assoc_id;
	n = usrsctp_sendv(s->so, data, len, NULL, 0, &si, sizeof(si), SCTP_SENDV_SNDINFO, 0);
	if (n < 0)
		return errno == EWOULDBLOCK || errno == EAGAIN ? -EAGAIN : -errno;
	/* A message goes whole or not at all (no SCTP_EXPLICIT_EOR): a short count is a bug. */
	return (size_t)n == len ? 0 : -EIO;
}

void
uspeer_counts(struct uspeer_counts *c)
{
	struct sctpstat st;

	memset(&st, 0, sizeof(st));
	usrsctp_get_stat(&st);
	c->data_out = st.sctps_senddata;
	c->data_in = st.sctps_recvdata;
	c->data_dup = st.sctps_recvdupdata;
	c->retrans = st.sctps_sendretransdata;
	c->retrans_fast = st.sctps_sendfastretrans;
	c->t3_expiries = st.sctps_timodata;
	c->sacks_in = st.sctps_recvsacks;
	c->sacks_out = st.sctps_sendsacks;
	c->packets_in = st.sctps_recvpackets;
	c->packets_out = st.sctps_sendpackets;
}

int
uspeer_shutdown(struct uspeer_sock *s)
{
	if (s->type == SOCK_STREAM)
		return usrsctp_shutdown(s->so, SHUT_WR) < 0 ? -errno : 0;
	return send_flags(s, SCTP_EOF, NULL, 0);
}

int
uspeer_abort(struct uspeer_sock *s, const void *reason, size_t len)
{
	return send_flags(s, SCTP_ABORT, reason, len);
}

int
uspeer_abort_by_close(struct uspeer_sock *s)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};

	if (usrsctp_setsockopt(s->so, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
		return -errno;
	uspeer_close(s);
	return 0;
}

int
uspeer_heartbeat(struct uspeer_sock *s, uint16_t peer_port)
{
	struct sockaddr_conn sc = conn_addr(peer_port);
	struct sctp_paddrparams pp;

	memset(&pp, 0, sizeof(pp));
	memcpy(&pp.spp_address, &sc, sizeof(sc));
	pp.spp_assoc_id = s->assoc_id;
	pp.spp_flags = SPP_HB_DEMAND;
	if (usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)) < 0)
		return -errno;
	return 0;
}

void
uspeer_heartbeat_counts(uint32_t *sent, uint32_t *acked)
{
	struct sctpstat st;

	memset(&st, 0, sizeof(st));
	usrsctp_get_stat(&st);
	*sent = st.sctps_sendheartbeat;
	*acked = st.sctps_recvheartbeatack;
}

void
uspeer_close(struct uspeer_sock *s)
{
	if (s->so == NULL)
		return;
	usrsctp_close(s->so);
	s->so = NULL;
	track(s, false);
}

static void
on_notification(struct uspeer_sock *s, const uint8_t *buf, size_t n)
{
	const union sctp_notification *sn = (const void *)buf;
	const struct sctp_assoc_change *ac = &sn->sn_assoc_change;
	size_t info;

	if (n < sizeof(sn->sn_header))
		return;
	switch (sn->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (n < sizeof(*ac))
			return;
		s->assoc_id = ac->sac_assoc_id;
		s->sac_error = ac->sac_error;
		switch (ac->sac_state) {
		case SCTP_COMM_UP:
			s->n_comm_up++;
			s->sac_outbound_streams = ac->sac_outbound_streams;
			s->sac_inbound_streams = ac->sac_inbound_streams;
			break;
		case SCTP_COMM_LOST:
			s->n_comm_lost++;
			/* RFC 6458 6.1.1: sac_info holds the ABORT chunk that ended it, if any. */
			info = n - sizeof(*ac);
			s->sac_info_len = info < USPEER_INFO_MAX ? info : USPEER_INFO_MAX;
			memcpy(s->sac_info, ac->sac_info, s->sac_info_len);
			break;
		case SCTP_RESTART:
			s->n_restart++;
			break;
		case SCTP_SHUTDOWN_COMP:
			s->n_shutdown_comp++;
			break;
		case SCTP_CANT_STR_ASSOC:
			s->n_cant_str_assoc++;
			break;
		}
		break;
	case SCTP_SHUTDOWN_EVENT:
		s->n_shutdown_event++;
		break;
	case SCTP_REMOTE_ERROR:
		s->n_remote_error++;
		s->remote_error = sn->sn_remote_error.sre_error;
		break;
	case SCTP_SEND_FAILED_EVENT:
		s->n_send_failed++;
		break;
	case SCTP_PEER_ADDR_CHANGE:
		s->n_paddr_change++;
		break;
	case SCTP_ADAPTATION_INDICATION:
		s->n_adaptation++;
		break;
	default:
		s->n_other++;
		break;
	}
}

unsigned int
uspeer_poll(struct uspeer_sock *s)
{
	_Alignas(8) uint8_t buf[4096]; /* notifications hold 32-bit fields */
	struct sockaddr_conn from;
	struct sctp_rcvinfo rcv;
	socklen_t fromlen, infolen;
	unsigned int infotype, got = 0;
	ssize_t n;
	int flags;

	while (s->so != NULL) {
		fromlen = sizeof(from);
		infolen = sizeof(rcv);
		infotype = 0;
		flags = 0;
		n = usrsctp_recvv(s->so, buf, sizeof(buf), (struct sockaddr *)&from, &fromlen, &rcv,
			&infolen, &infotype, &flags);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				s->so_error = errno;
			break;
		}
		if (n == 0) {
			s->eof = true;
			break;
		}
		got++;
		if (flags & MSG_NOTIFICATION) {
			on_notification(s, buf, (size_t)n);
			continue;
		}
		s->n_data_pieces++;
		if (flags & MSG_EOR)
			s->n_data++;
		if (infotype != SCTP_RECVV_RCVINFO || infolen < sizeof(rcv)) {
			s->n_no_rcvinfo++;
			memset(&rcv, 0, sizeof(rcv));
		}
		if (s->on_data != NULL)
			s->on_data(s->data_ctx, s, &rcv, buf, (size_t)n, (flags & MSG_EOR) != 0);
	}
	return got;
}

int
uspeer_state(const struct uspeer_sock *s)
{
	struct sctp_status st;
	socklen_t len = sizeof(st);

	if (s->so == NULL)
		return -1;
	memset(&st, 0, sizeof(st));
	st.sstat_assoc_id = s->type == SOCK_STREAM ? 0 : s->assoc_id;
	if (usrsctp_getsockopt(s->so, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0)
		return -1;
	return st.sstat_state;
}

const char *
uspeer_state_name(int state)
{
	switch (state) {
	case -1:
		return "(no association)";
	case SCTP_CLOSED:
		return "CLOSED";
	case SCTP_BOUND:
		return "BOUND";
	case SCTP_LISTEN:
		return "LISTEN";
	case SCTP_COOKIE_WAIT:
		return "COOKIE-WAIT";
	case SCTP_COOKIE_ECHOED:
		return "COOKIE-ECHOED";
	case SCTP_ESTABLISHED:
		return "ESTABLISHED";
	case SCTP_SHUTDOWN_SENT:
		return "SHUTDOWN-SENT";
	case SCTP_SHUTDOWN_RECEIVED:
		return "SHUTDOWN-RECEIVED";
	case SCTP_SHUTDOWN_ACK_SENT:
		return "SHUTDOWN-ACK-SENT";
	case SCTP_SHUTDOWN_PENDING:
		return "SHUTDOWN-PENDING";
	}
	return "?";
}

int
uspeer_finish(void)
{
	uint8_t drop[WIRE_MAX];
	size_t i;
	int round;

	for (i = 0; i < sizeof(usp.open) / sizeof(usp.open[0]); i++)
		if (usp.open[i] != NULL)
			uspeer_abort_by_close(usp.open[i]);
	/* The ABORTs (and anything else) go nowhere: the engine is gone by now. */
	while (uspeer_pop(drop, sizeof(drop)) > 0)
		;
	usrsctp_deregister_address(&usp.token);
	/* usrsctp_finish() refuses while an association lingers; let its timers end them. */
	for (round = 0; round < 600; round++) {
		if (usrsctp_finish() == 0)
			return 0;
		usrsctp_handle_timers(1000);
		while (uspeer_pop(drop, sizeof(drop)) > 0)
			;
	}
	return -1;
}

/* ---- the engine side ---- */

static double
ms_of(const struct interop *w)
{
	return (double)w->now / 1e6;
}

static void
on_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	struct interop *w = ctx;
	struct interop_event *r;
	const uint8_t *info = NULL;
	size_t len = 0;

	if (a != NULL)
		w->assoc = a;
	if (ev->type == DPSCTP_EV_SENDER_DRY) {
		/* one each time the send queue empties: many in a transfer, counted only */
		w->n_sender_dry++;
		return;
	}
	if (ev->type == DPSCTP_EV_SEND_FAILED)
		w->n_send_failed++;
	if (w->trace != NULL) {
		fprintf(w->trace, "[%10.3f ms] engine event type=%d assoc=%u", ms_of(w), ev->type,
			ev->assoc_id);
		if (ev->type == DPSCTP_EV_ASSOC_CHANGE)
			fprintf(w->trace, " state=%d error=%u os=%u is=%u info_len=%zu",
				ev->u.assoc_change.state, ev->u.assoc_change.error,
				ev->u.assoc_change.outbound_streams,
				ev->u.assoc_change.inbound_streams, ev->u.assoc_change.info_len);
		fputc('\n', w->trace);
	}
	if (w->nev == INTEROP_MAX_EVENTS)
		return;
	r = &w->ev[w->nev++];
	memset(r, 0, sizeof(*r));
	r->type = ev->type;
	r->assoc_id = ev->assoc_id;
	switch (ev->type) {
	case DPSCTP_EV_ASSOC_CHANGE:
		r->state = (int)ev->u.assoc_change.state;
		r->error = ev->u.assoc_change.error;
		r->outbound_streams = ev->u.assoc_change.outbound_streams;
		r->inbound_streams = ev->u.assoc_change.inbound_streams;
		info = ev->u.assoc_change.info;
		len = ev->u.assoc_change.info_len;
		break;
	case DPSCTP_EV_REMOTE_ERROR:
		r->error = ev->u.remote_error.error;
		info = ev->u.remote_error.causes;
		len = ev->u.remote_error.causes_len;
		break;
	default:
		break;
	}
	if (info != NULL && len > 0) {
		r->info_len = len < USPEER_INFO_MAX ? len : USPEER_INFO_MAX;
		memcpy(r->info, info, r->info_len);
	}
}

static void
on_state(void *ctx, struct dpsctp_assoc *a, enum dpsctp_state from, enum dpsctp_state to)
{
	struct interop *w = ctx;

	w->assoc = a;
	if (w->trace != NULL)
		fprintf(w->trace, "[%10.3f ms] engine assoc %u: %s -> %s\n", ms_of(w),
			dpsctp_assoc_id(a), dpsctp_state_name(from), dpsctp_state_name(to));
}

static void
on_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	struct interop *w = ctx;

	if (w->deliver != NULL)
		w->deliver(w->deliver_ctx, a, ri, iov, iovcnt, eor);
}

static void
on_free(void *ctx, struct dpsctp_assoc *a)
{
	struct interop *w = ctx;

	w->assocs_freed++;
	if (w->assoc == a)
		w->assoc = NULL;
	if (w->trace != NULL)
		fprintf(w->trace, "[%10.3f ms] engine assoc %u freed\n", ms_of(w),
			dpsctp_assoc_id(a));
}

static void
set_ip4(struct dpsctp_addr *a, uint8_t last)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->bytes[0] = 198;
	a->bytes[1] = 18;
	a->bytes[2] = 0;
	a->bytes[3] = last;
}

int
interop_open(struct interop *w, const char *dir, const char *name, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	/* Not 0: a zero clock would hide code that treats 0 as "unset". */
	w->now = 1000 * DPSCTP_MS;
	w->usrsctp_ms = w->now / DPSCTP_MS;
	/* w->mem is zeroed above; a fixed seed makes every run exchange the same tags, TSNs and
	 * secrets */
	w->mem.rng = seed;
	set_ip4(&w->path.local, 1);
	set_ip4(&w->path.remote, 2);
	snprintf(w->pcap_path, sizeof(w->pcap_path), "%s/interop-%s.pcap", dir, name);
	snprintf(w->trace_path, sizeof(w->trace_path), "%s/interop-%s.txt", dir, name);
	w->trace = fopen(w->trace_path, "w+");
	w->pcap = pcap_open_dead(DLT_RAW, 65535);
	if (w->pcap != NULL)
		w->dumper = pcap_dump_open(w->pcap, w->pcap_path);
	if (w->trace == NULL || w->dumper == NULL)
		return -1;
	return uspeer_init();
}

int
interop_endpoint(
	struct interop *w, uint16_t port, bool listen, const struct dpsctp_proto_config *cfg)
{
	struct dpsctp_env env = testenv_env(&w->mem);
	struct dpsctp_callbacks cb = {.ctx = w,
		.event = on_event,
		.state_change = on_state,
		.deliver = on_deliver,
		.assoc_free = on_free};
	struct dpsctp_endpoint_params p = {
		.port = port, .addrs = &w->path.local, .naddrs = 1, .listen = listen, .cfg = cfg};

	w->port = port;
	return dpsctp_endpoint_create(&env, &cb, &p, w->now, &w->ep);
}

void
interop_watch(struct interop *w, struct uspeer_sock *s)
{
	if (w->nsocks < INTEROP_MAX_SOCKS)
		w->socks[w->nsocks++] = s;
}

static uint16_t
ip4_checksum(const uint8_t *h)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < IP4_LEN; i += 2)
		sum += dpsctp_get_be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* One frame in the pcap and the trace. @p src / @p dst: last octet of 198.18.0.x. */
static void
record(struct interop *w, const uint8_t *pkt, size_t len, uint8_t src, uint8_t dst,
	const char *what)
{
	static uint8_t frame[IP4_LEN + WIRE_MAX];
	static char text[16384];
	struct pcap_pkthdr h;
	uint8_t *ip = frame;

	if (w->capture_max != 0 && w->frames >= w->capture_max)
		return;
	if (w->dumper != NULL && len <= WIRE_MAX) {
		memset(ip, 0, IP4_LEN);
		ip[0] = 0x45;
		dpsctp_put_be16(ip + 2, (uint16_t)(IP4_LEN + len));
		dpsctp_put_be16(ip + 6, 0x4000); /* DF: SCTP does its own PMTU (RFC 9260 6.9) */
		ip[8] = 64;
		ip[9] = IPPROTO_SCTP_NUM;
		memcpy(ip + 12, (const uint8_t[]){198, 18, 0, src, 198, 18, 0, dst}, 8);
		dpsctp_put_be16(ip + 10, ip4_checksum(ip));
		memcpy(frame + IP4_LEN, pkt, len);
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)(w->now / 1000000000ull);
		h.ts.tv_usec = (suseconds_t)(w->now % 1000000000ull / 1000ull);
		h.caplen = h.len = (bpf_u_int32)(IP4_LEN + len);
		pcap_dump((u_char *)w->dumper, &h, frame);
		w->frames++;
	}
	if (w->trace != NULL) {
		dpsctp_packet_render(pkt, len, text, sizeof(text));
		fprintf(w->trace, "[%10.3f ms] #%u %s, %zu bytes\n%s", ms_of(w), w->frames, what,
			len, text);
	}
}

/* Should the wire lose the next packet? Drawn from its own generator: the loss pattern depends
 * only on the seed and the order of packets. */
static bool
lose(struct interop *w)
{
	uint64_t z;

	if (w->loss_ppm == 0)
		return false;
	z = testenv_splitmix64(&w->loss_rng);
	return z % 1000000u < w->loss_ppm;
}

/* A lost packet is in the trace (rendered), not in the pcap: it never was on the wire. */
static void
note_lost(struct interop *w, const uint8_t *pkt, size_t len, const char *what)
{
	static char text[16384];

	if (w->trace == NULL || (w->capture_max != 0 && w->frames >= w->capture_max))
		return;
	dpsctp_packet_render(pkt, len, text, sizeof(text));
	fprintf(w->trace, "[%10.3f ms] %s, %zu bytes: LOST on the wire\n%s", ms_of(w), what, len,
		text);
}

/* RFC 9260 6.8: what a receiver does with the checksum; the engine expects it done. */
static bool
crc_ok(uint8_t *pkt, size_t len)
{
	uint32_t got, want;

	if (len < 12)
		return false;
	got = dpsctp_packet_get_checksum(pkt);
	dpsctp_packet_set_checksum(pkt, 0);
	want = dpsctp_crc32c_ref(pkt, len);
	dpsctp_packet_set_checksum(pkt, got);
	return got == want;
}

static unsigned int
engine_to_usrsctp(struct interop *w)
{
	static uint8_t buf[WIRE_MAX];
	struct dpsctp_path path;
	unsigned int moved = 0;
	size_t len;

	if (w->ep == NULL)
		return 0;
	if (dpsctp_endpoint_next_deadline(w->ep) <= w->now)
		dpsctp_endpoint_expire(w->ep, w->now);
	/* Leave room in the FIFO for what usrsctp answers: the rest goes next round. */
	while (uspeer_queued() < FIFO_SLOTS / 2 &&
		(len = dpsctp_endpoint_output(w->ep, buf, sizeof(buf), &path, w->now)) > 0) {
		if (len > sizeof(buf)) {
			w->oversize++;
			break;
		}
		if (memcmp(&path.remote, &w->path.remote, sizeof(path.remote)) != 0 ||
			memcmp(&path.local, &w->path.local, sizeof(path.local)) != 0)
			w->wrong_path++;
		moved++;
		if (lose(w) || (w->filter != NULL && w->filter(w->filter_ctx, buf, len, false))) {
			w->lost_to_usrsctp++;
			note_lost(w, buf, len, "dpsctp > usrsctp");
			continue;
		}
		dpsctp_packet_set_checksum(buf, 0);
		dpsctp_packet_set_checksum(buf, dpsctp_crc32c_ref(buf, len));
		record(w, buf, len, 1, 2, "dpsctp > usrsctp");
		w->to_usrsctp++;
		uspeer_input(buf, len);
	}
	return moved;
}

static unsigned int
usrsctp_to_engine(struct interop *w)
{
	static uint8_t buf[WIRE_MAX];
	unsigned int moved = 0;
	size_t len;
	int rc;

	while ((len = uspeer_pop(buf, sizeof(buf))) > 0) {
		moved++;
		if (!crc_ok(buf, len)) {
			/* What a NIC would do; the test fails on the count. */
			w->bad_crc++;
			record(w, buf, len, 2, 1, "usrsctp > dpsctp BAD CRC32c, dropped");
			continue;
		}
		if (w->ep == NULL || len < 4 || dpsctp_get_be16(buf + 2) != w->port) {
			/* Not for us: usrsctp talking to itself (the harness self-test). */
			record(w, buf, len, 2, 2, "usrsctp > usrsctp");
			w->loopback++;
			uspeer_input(buf, len);
			continue;
		}
		if (lose(w) || (w->filter != NULL && w->filter(w->filter_ctx, buf, len, true))) {
			w->lost_to_engine++;
			note_lost(w, buf, len, "usrsctp > dpsctp");
			continue;
		}
		if (w->filter != NULL) {
			/* it may have changed the packet: a valid checksum again, for the pcap */
			dpsctp_packet_set_checksum(buf, 0);
			dpsctp_packet_set_checksum(buf, dpsctp_crc32c_ref(buf, len));
		}
		record(w, buf, len, 2, 1, "usrsctp > dpsctp");
		w->to_engine++;
		rc = dpsctp_endpoint_input(w->ep, buf, len, &w->path, w->now);
		if (rc > 0) {
			w->engine_discards++;
			if (w->trace != NULL)
				fprintf(w->trace, "[%10.3f ms] engine discarded it: %s\n", ms_of(w),
					dpsctp_drop_name((enum dpsctp_drop)(rc - 1)));
		}
		if (w->tx_per_packet) {
			size_t i;

			moved += engine_to_usrsctp(w);
			for (i = 0; i < w->nsocks; i++)
				moved += uspeer_poll(w->socks[i]);
		}
	}
	return moved;
}

unsigned int
interop_pump(struct interop *w)
{
	unsigned int total = 0, moved, round;
	size_t i;

	for (round = 0; round < PUMP_MAX_ROUNDS; round++) {
		moved = engine_to_usrsctp(w);
		moved += usrsctp_to_engine(w);
		for (i = 0; i < w->nsocks; i++)
			moved += uspeer_poll(w->socks[i]);
		total += moved;
		if (moved == 0)
			break;
	}
	if (round == PUMP_MAX_ROUNDS && w->trace != NULL)
		fprintf(w->trace, "[%10.3f ms] pump: still busy after %u rounds\n", ms_of(w),
			round);
	return total;
}

void
interop_run(struct interop *w, uint64_t ns)
{
	uint64_t end = w->now + ns, next, dl, ms;

	interop_pump(w);
	while (w->now < end) {
		next = w->now + STEP_NS;
		if (w->ep != NULL) {
			dl = dpsctp_endpoint_next_deadline(w->ep);
			if (dl > w->now && dl < next)
				next = dl;
		}
		if (next > end)
			next = end;
		w->now = next;
		/* usrsctp counts whole milliseconds; carry the remainder to the next step. */
		ms = w->now / DPSCTP_MS;
		if (ms > w->usrsctp_ms) {
			uspeer_advance_ms((uint32_t)(ms - w->usrsctp_ms));
			w->usrsctp_ms = ms;
		}
		interop_pump(w);
	}
}

void
interop_close_engine(struct interop *w)
{
	if (w->ep == NULL)
		return;
	dpsctp_endpoint_destroy(w->ep);
	w->ep = NULL;
}

int
interop_close(struct interop *w)
{
	int rc;

	interop_close_engine(w);
	rc = uspeer_finish();
	w->nsocks = 0;
	if (w->dumper != NULL)
		pcap_dump_close(w->dumper);
	w->dumper = NULL;
	if (w->pcap != NULL)
		pcap_close(w->pcap);
	w->pcap = NULL;
	if (w->trace != NULL)
		fclose(w->trace);
	w->trace = NULL;
	return rc;
}

size_t
interop_count(const struct interop *w, enum dpsctp_event_type type, int state)
{
	size_t i, n = 0;

	for (i = 0; i < w->nev; i++)
		if (w->ev[i].type == type && (state == 0 || w->ev[i].state == state))
			n++;
	return n;
}

const struct interop_event *
interop_find(const struct interop *w, enum dpsctp_event_type type, int state)
{
	size_t i;

	for (i = 0; i < w->nev; i++)
		if (w->ev[i].type == type && (state == 0 || w->ev[i].state == state))
			return &w->ev[i];
	return NULL;
}

uint64_t
interop_drops(const struct interop *w, uint32_t allowed)
{
	const struct dpsctp_stats *st;
	uint64_t sum = 0;
	int d;

	if (w->ep == NULL)
		return 0;
	st = dpsctp_endpoint_stats(w->ep);
	for (d = 0; d < DPSCTP_DROP_COUNT; d++)
		if (!(allowed & (1u << d)))
			sum += st->drops[d];
	return sum;
}

uint64_t
interop_usrsctp_discards(void)
{
	struct sctpstat st;

	memset(&st, 0, sizeof(st));
	usrsctp_get_stat(&st);
	return (uint64_t)st.sctps_badsum + st.sctps_hdrops + st.sctps_badvtag +
	       st.sctps_outoftheblue + st.sctps_checksumerrors;
}

static void
report_engine(struct interop *w, FILE *f)
{
	const struct dpsctp_stats *st = dpsctp_endpoint_stats(w->ep);
	int i;

	fprintf(f,
		"engine: %zu association(s), packets in %" PRIu64 " out %" PRIu64
		", established %" PRIu64 ", closed %" PRIu64 "\n",
		dpsctp_endpoint_assoc_count(w->ep), st->packets_in, st->packets_out,
		st->assocs_established, st->assocs_closed);
	for (i = 0; i < DPSCTP_DROP_COUNT; i++)
		if (st->drops[i] != 0)
			fprintf(f, "engine drop %s: %" PRIu64 "\n",
				dpsctp_drop_name((enum dpsctp_drop)i), st->drops[i]);
	for (i = 0; i < DPSCTP_ABORT_COUNT; i++)
		if (st->aborts[i] != 0)
			fprintf(f, "engine abort %s: %" PRIu64 "\n",
				dpsctp_abort_code_name((enum dpsctp_abort_code)i), st->aborts[i]);
	fprintf(f,
		"engine: t1 %" PRIu64 " t2 %" PRIu64 " errors sent %" PRIu64 " received %" PRIu64
		" replies %" PRIu64 "\n",
		st->t1_expiries, st->t2_expiries, st->errors_sent, st->errors_received,
		st->replies_queued);
	fprintf(f,
		"engine data: msgs sent %" PRIu64 " delivered %" PRIu64 " failed %" PRIu64
		", DATA out %" PRIu64 " in %" PRIu64 " dup %" PRIu64 ", retrans fast %" PRIu64
		" t3 %" PRIu64 ", t3 expiries %" PRIu64 ", SACKs in %" PRIu64 " (express %" PRIu64
		") out %" PRIu64 ", zero window probes %" PRIu64 ", partial deliveries %" PRIu64
		"\n",
		st->msgs_sent, st->msgs_delivered, st->msgs_failed, st->data_out, st->data_in,
		st->data_dup, st->retrans_fast, st->retrans_t3, st->t3_expiries, st->sacks_in,
		st->sacks_express, st->sacks_out, st->zero_window_probes, st->partial_deliveries);
	if (w->assoc != NULL) {
		struct dpsctp_path_info pi;

		dpsctp_assoc_path_info(w->assoc, &pi);
		fprintf(f,
			"engine assoc %u: %s, cwnd %u ssthresh %u flight %u peer_rwnd %u "
			"unacked %u queued %u rwnd %u rto %.1f ms\n",
			dpsctp_assoc_id(w->assoc), dpsctp_state_name(dpsctp_assoc_state(w->assoc)),
			pi.cwnd, pi.ssthresh, pi.flight, pi.peer_rwnd, pi.unacked, pi.queued,
			pi.rwnd, (double)pi.rto / 1e6);
	}
}

void
interop_report(struct interop *w, FILE *f)
{
	struct sctpstat us;
	char line[1024];
	size_t i;

	fprintf(f, "---- interop trace (%s) ----\n", w->trace_path);
	if (w->trace != NULL && !w->report_no_trace) {
		fflush(w->trace);
		rewind(w->trace);
		while (fgets(line, sizeof(line), w->trace) != NULL)
			fputs(line, f);
		fseek(w->trace, 0, SEEK_END);
	}
	fprintf(f, "---- summary at %.3f ms ----\n", ms_of(w));
	fprintf(f,
		"wire: dpsctp>usrsctp %u, usrsctp>dpsctp %u, usrsctp>usrsctp %u, bad crc %u, "
		"engine discards %u, wrong path %u, fifo overflows %u, lost %u > usrsctp %u > "
		"dpsctp\n",
		w->to_usrsctp, w->to_engine, w->loopback, w->bad_crc, w->engine_discards,
		w->wrong_path, uspeer_overflows(), w->lost_to_usrsctp, w->lost_to_engine);
	fprintf(f,
		"engine allocations live %" PRIu64 " (%" PRIu64 " bytes), bad frees %" PRIu64
		", events %zu\n",
		w->mem.live, w->mem.live_bytes, w->mem.bad_frees, w->nev);
	if (w->ep != NULL)
		report_engine(w, f);
	for (i = 0; i < w->nsocks; i++) {
		const struct uspeer_sock *s = w->socks[i];

		fprintf(f,
			"usrsctp socket port %u: state %s, comm_up %u comm_lost %u "
			"shutdown_comp %u cant_str %u restart %u shutdown_event %u "
			"remote_error %u (cause %u) send_failed %u data %u (pieces %u) eof %d "
			"errno %d\n",
			s->port, uspeer_state_name(uspeer_state(s)), s->n_comm_up, s->n_comm_lost,
			s->n_shutdown_comp, s->n_cant_str_assoc, s->n_restart, s->n_shutdown_event,
			s->n_remote_error, s->remote_error, s->n_send_failed, s->n_data,
			s->n_data_pieces, s->eof, s->so_error);
	}
	memset(&us, 0, sizeof(us));
	usrsctp_get_stat(&us);
	fprintf(f, "usrsctp: badsum %u hdrops %u badvtag %u ootb %u aborted %u checksumerrors %u\n",
		us.sctps_badsum, us.sctps_hdrops, us.sctps_badvtag, us.sctps_outoftheblue,
		us.sctps_aborted, us.sctps_checksumerrors);
	fprintf(f,
		"usrsctp data: DATA out %u in %u dup %u, retrans %u (fast %u), t3 expiries %u, "
		"SACKs in %u out %u\n",
		us.sctps_senddata, us.sctps_recvdata, us.sctps_recvdupdata,
		us.sctps_sendretransdata, us.sctps_sendfastretrans, us.sctps_timodata,
		us.sctps_recvsacks, us.sctps_sendsacks);
}

/* Run @p cmd, return its output (at most @p cap - 1 bytes) in @p out; -1 if it cannot run. */
static int
run_capture(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	if (p == NULL)
		return -1;
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	return pclose(p);
}

int
interop_tshark_check(struct interop *w, char *msg, size_t cap)
{
	static char out[65536];
	char cmd[2048];
	unsigned int lines = 0, bad = 0;
	FILE *p;
	int rc;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		return -1;
	if (w->dumper != NULL)
		pcap_dump_flush(w->dumper);
	/* Same flags as tests/validate/tshark_check.sh: CRC32c verified, errors as expert info. */
	snprintf(cmd, sizeof(cmd),
		"tshark -n -r '%s' -o sctp.checksum:crc-32c -T fields -E separator='|' "
		"-e frame.number -e sctp.checksum.status 2>/dev/null",
		w->pcap_path);
	/* one line per frame: read as it comes, a long capture does not fit a buffer */
	p = popen(cmd, "r");
	if (p == NULL) {
		snprintf(msg, cap, "cannot run tshark on %s", w->pcap_path);
		return 1;
	}
	while (fgets(out, sizeof(out), p) != NULL) {
		const char *bar = strchr(out, '|');

		lines++;
		if (bar == NULL || strcmp(bar + 1, "1\n") != 0)
			bad++;
	}
	rc = pclose(p);
	if (rc != 0) {
		snprintf(msg, cap, "tshark failed (%d) on %s", rc, w->pcap_path);
		return 1;
	}
	if (lines != w->frames || bad != 0) {
		snprintf(msg, cap,
			"tshark read %u frames (%u written), %u without a good CRC32c: %s", lines,
			w->frames, bad, w->pcap_path);
		return 1;
	}
	snprintf(cmd, sizeof(cmd),
		"tshark -n -r '%s' -o sctp.checksum:crc-32c "
		"-Y '_ws.malformed || _ws.expert.severity >= 0x00800000 || "
		"sctp.checksum_bad.expert' "
		"-T fields -e frame.number -e _ws.expert.message 2>/dev/null",
		w->pcap_path);
	rc = run_capture(cmd, out, sizeof(out));
	if (rc != 0 || out[0] != '\0') {
		snprintf(msg, cap,
			"tshark (%d) reports malformed frames or expert errors in %s:\n%.*s", rc,
			w->pcap_path, 2000, out);
		return 1;
	}
	snprintf(msg, cap, "tshark: %u frames, CRC32c good, nothing malformed", lines);
	return 0;
}
