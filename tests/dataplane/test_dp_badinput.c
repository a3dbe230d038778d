/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input against a whole dpsctpd stack: malformed frames, garbage, bad CRC32c, wrong
 * verification tags, IP fragments, an INIT flood and forged cookies.
 *
 * Each test builds one stack under EAL in its own process (Criterion forks per test, and EAL
 * initialises once per process), with --no-huge --no-shconf --no-pci (DPDK 22.11 refuses
 * --in-memory with --no-huge, which implies legacy memory): control on lcore 0 (this thread,
 * dpsctpd_ctrl_poll in every wait loop), one worker on lcore 1, one port made by
 * rte_eth_from_rings. The test plays a fake peer, 198.18.0.2 (and .3 to .9, 2001:db8:18::2),
 * each with its own MAC and configured as a static neighbour so that answers go out: it
 * enqueues frames into the ring the port receives from and reads what the port transmits.
 *
 * Run one case: test_dp_badinput --filter 'dp_badinput/ip_fragments*'. The two garbage cases
 * take DPSCTP_GARBAGE_SEED and DPSCTP_GARBAGE_FRAMES to search further.
 *
 * Every case checks that the stack keeps running (the worker loops on, a valid INIT still gets
 * an INIT ACK), that exactly the drop counter for the reason went up (the worker's dataplane
 * and L2/L3 drops, the engine drops of the worker and control endpoints), and that nothing
 * else did. Every wait is bounded; a failure prints the counters that moved.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "arp.h"
#include "chunk.h"
#include "config.h"
#include "crc32c.h"
#include "ctrl.h"
#include "dp_eal.h"
#include "inet.h"
#include "packet.h"
#include "setup.h"
#include "stack.h"
#include "steer.h"
#include "worker.h"

/* ctrl.c logs through it; the daemon defines it in dpsctpd.c */

#define RING_SIZE 4096
#define INJ_MBUFS 4095
#define WAIT_MS 3000 /* every wait for the stack is bounded by this */
#define QUIET_MS 50  /* "nothing was sent": 2500 times the workers' 20 us TX drain */
#define ECHO_PORT 7
#define DISCARD_PORT 9
#define NPEERS4 8 /* 198.18.0.2 .. 198.18.0.9, static neighbours */

/* The stack: one YAML line per source line. */
/* clang-format off */
static const char config_yaml[] =
	"eal: {hugepages: false, memory_mb: 256}\n"
	"lcores: {control: 0, workers: [1], map: \"0@0,1@1\"}\n"
	"mempool: {mbufs: 8191, cache: 64, data_room: 2304}\n"
	"ports:\n"
	"  - name: ring0\n"
	"    device: \"net_ring_bad\"\n"
	"    mac: \"02:00:00:00:00:01\"\n"
	"    addresses: [\"198.18.0.1/24\", \"2001:db8:18::1/64\"]\n"
	"    neighbours:\n"
	"      - {ip: 198.18.0.2, mac: \"02:00:00:00:00:02\"}\n"
	"      - {ip: 198.18.0.3, mac: \"02:00:00:00:00:03\"}\n"
	"      - {ip: 198.18.0.4, mac: \"02:00:00:00:00:04\"}\n"
	"      - {ip: 198.18.0.5, mac: \"02:00:00:00:00:05\"}\n"
	"      - {ip: 198.18.0.6, mac: \"02:00:00:00:00:06\"}\n"
	"      - {ip: 198.18.0.7, mac: \"02:00:00:00:00:07\"}\n"
	"      - {ip: 198.18.0.8, mac: \"02:00:00:00:00:08\"}\n"
	"      - {ip: 198.18.0.9, mac: \"02:00:00:00:00:09\"}\n"
	"      - {ip: \"2001:db8:18::2\", mac: \"02:00:00:00:00:02\"}\n"
	"loopback: []\n"
	"protocol: {sack_delay_ms: 0}\n"
	"services:\n"
	"  - {type: echo, port: 7}\n"
	"  - {type: discard, port: 9}\n";
/* clang-format on */

/* ---- the bench: one stack, one ring port, the fake peer's view of it ---- */

static struct {
	bool eal;
	struct rte_ring *rx;     /* we enqueue, the port receives */
	struct rte_ring *tx;     /* the port transmits, we dequeue */
	struct rte_mempool *inj; /* mbufs of the frames we inject */
	uint16_t port_id;
	struct dpsctpd_config *cfg;
	struct dp_stack *s;
	struct dpsctpd_ctrl *c;
	bool launched;
	uint8_t our_mac[6];
	struct dpsctp_addr us4, us6, peer4, peer6;
	uint16_t ip_id;
	uint16_t alive_port; /* source port of the next liveness INIT */
	/* what the port sent */
	uint64_t tx_frames, tx_sctp, tx_bad_l3, tx_bad_crc;
} B;

static uint64_t
now_ms(void)
{
	return rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000);
}

static uint64_t
worker_loops(void)
{
	return __atomic_load_n(&B.s->workers[0]->st.loops, __ATOMIC_RELAXED);
}

/* The fake host's MAC: 02:00:00:00:00:<last byte of its address> (as configured). */
static void
mac_of(const struct dpsctp_addr *a, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = mac[2] = mac[3] = mac[4] = 0;
	mac[5] = a->family == 4 ? a->bytes[3] : a->bytes[15];
}

static void
addr4(struct dpsctp_addr *a, uint8_t last)
{
	dp_inet_addr_v4(a, 0xc6120000u | last); /* 198.18.0.<last> */
}

static void
addr6(struct dpsctp_addr *a, uint8_t last)
{
	uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x18};

	b[15] = last;
	dp_inet_addr_v6(a, b);
}

/* ---- counters ---- */

struct snap {
	struct dp_worker_stats w;
	struct dpsctp_stats weng; /* the worker's endpoints */
	struct dpsctp_stats ceng; /* the control's endpoints (stateless answers) */
	struct dpsctpd_ctrl_stats c;
};

static void
snap_take(struct snap *sn)
{
	const struct dp_worker *w = B.s->workers[0];
	const uint64_t *src = (const uint64_t *)&w->st;
	uint64_t *dst = (uint64_t *)&sn->w;
	unsigned int i, k;

	for (i = 0; i < sizeof(sn->w) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	memset(&sn->weng, 0, sizeof(sn->weng));
	dp_worker_engine_stats(w, &sn->weng);
	memset(&sn->ceng, 0, sizeof(sn->ceng));
	for (i = 0; i < B.s->nservices; i++) {
		const uint64_t *e = (const uint64_t *)dpsctpd_ctrl_engine_stats(B.c, i);
		uint64_t *o = (uint64_t *)&sn->ceng;

		for (k = 0; e != NULL && k < sizeof(sn->ceng) / sizeof(uint64_t); k++)
			o[k] += e[k];
	}
	sn->c = *dpsctpd_ctrl_stats(B.c);
}

/* Kinds of drop counter. */
enum kind {
	K_DP,     /* worker st.drops[enum dp_drop] */
	K_INET,   /* worker st.inet_drops[enum dp_inet_drop] */
	K_WENG,   /* worker engine drops[enum dpsctp_drop] */
	K_CENG,   /* control engine drops[enum dpsctp_drop] */
	K_TXDROP, /* worker st.tx_dropped (the port refused frames) */
	K_TXFULL, /* control tx_ring_full (its ring to worker 0 was full) */
};

struct want {
	enum kind k;
	unsigned int i;
	uint64_t n;
};

static uint64_t
counter(const struct snap *sn, enum kind k, unsigned int i)
{
	switch (k) {
	case K_DP:
		return sn->w.drops[i];
	case K_INET:
		return sn->w.inet_drops[i];
	case K_WENG:
		return sn->weng.drops[i];
	case K_CENG:
		return sn->ceng.drops[i];
	case K_TXDROP:
		return sn->w.tx_dropped;
	case K_TXFULL:
		return sn->c.tx_ring_full;
	}
	return 0;
}

static unsigned int
kind_size(enum kind k)
{
	switch (k) {
	case K_DP:
		return DP_DROP_COUNT;
	case K_INET:
		return DP_INET_DROP_COUNT;
	case K_WENG:
	case K_CENG:
		return DPSCTP_DROP_COUNT;
	default:
		return 1;
	}
}

static const char *
counter_name(enum kind k, unsigned int i, char *buf, size_t len)
{
	switch (k) {
	case K_DP:
		snprintf(buf, len, "worker.drops.%s", dp_drop_name((enum dp_drop)i));
		break;
	case K_INET: {
		const char *n = dp_inet_drop_name((int)i);

		snprintf(buf, len, "worker.inet_drops.%s", n != NULL ? n : "?");
		break;
	}
	case K_WENG:
		snprintf(buf, len, "worker.engine.%s", dpsctp_drop_name((enum dpsctp_drop)i));
		break;
	case K_CENG:
		snprintf(buf, len, "control.engine.%s", dpsctp_drop_name((enum dpsctp_drop)i));
		break;
	case K_TXDROP:
		snprintf(buf, len, "worker.tx_dropped");
		break;
	case K_TXFULL:
		snprintf(buf, len, "control.tx_ring_full");
		break;
	}
	return buf;
}

/* Append to @p buf the counters that moved between @p a and @p b (for failure messages). */
static void
moved(const struct snap *a, const struct snap *b, char *buf, size_t len)
{
	static const enum kind kinds[] = {K_DP, K_INET, K_WENG, K_CENG, K_TXDROP, K_TXFULL};
	size_t n = strlen(buf);
	unsigned int k, i;
	char name[64];

#define MOVED(label, field)                                                                    \
	do {                                                                                   \
		if (b->field != a->field && n < len)                                           \
			n += (size_t)snprintf(                                                 \
				buf + n, len - n, " %s+%" PRIu64, label, b->field - a->field); \
	} while (0)
	MOVED("rx_packets", w.rx_packets);
	MOVED("tx_packets", w.tx_packets);
	MOVED("to_control", w.to_control);
	MOVED("steered", w.steered);
	MOVED("worker.engine.packets_in", weng.packets_in);
	MOVED("control.engine.packets_in", ceng.packets_in);
	MOVED("init_in", c.init_in);
	MOVED("init_answered", c.init_answered);
	MOVED("init_steered", c.init_steered);
	MOVED("assocs_established", weng.assocs_established);
#undef MOVED
	for (k = 0; k < RTE_DIM(kinds); k++)
		for (i = 0; i < kind_size(kinds[k]); i++) {
			uint64_t d = counter(b, kinds[k], i) - counter(a, kinds[k], i);

			if (d != 0 && n < len)
				n += (size_t)snprintf(buf + n, len - n, " %s+%" PRIu64,
					counter_name(kinds[k], i, name, sizeof(name)), d);
		}
}

/*
 * Every drop counter moved by exactly what @p w lists between @p a and @p b, and no other.
 */
static void
expect_drops(const struct snap *a, const struct snap *b, const struct want *w, size_t nw,
	const char *what)
{
	static const enum kind kinds[] = {K_DP, K_INET, K_WENG, K_CENG, K_TXDROP, K_TXFULL};
	char msg[2048] = "";
	char name[64];
	bool ok = true;
	unsigned int k, i;
	size_t j, n = 0;

	for (k = 0; k < RTE_DIM(kinds); k++)
		for (i = 0; i < kind_size(kinds[k]); i++) {
			uint64_t want = 0, got = counter(b, kinds[k], i) - counter(a, kinds[k], i);

			for (j = 0; j < nw; j++)
				if (w[j].k == kinds[k] && w[j].i == i)
					want += w[j].n;
			if (got != want) {
				ok = false;
				if (n < sizeof(msg))
					n += (size_t)snprintf(msg + n, sizeof(msg) - n,
						" %s: want +%" PRIu64 " got +%" PRIu64 ";",
						counter_name(kinds[k], i, name, sizeof(name)), want,
						got);
			}
		}
	if (!ok) {
		if (n < sizeof(msg))
			snprintf(msg + n, sizeof(msg) - n, " | everything that moved:");
		moved(a, b, msg, sizeof(msg));
		cr_assert_fail("%s: drop counters wrong:%s", what, msg);
	}
}

/* ---- the rings ---- */

static bool
quiet(void)
{
	return rte_ring_count(B.rx) == 0 && rte_ring_count(B.s->to_ctrl_pkt[0]) == 0 &&
	       rte_ring_count(B.s->to_ctrl_msg[0]) == 0 &&
	       rte_ring_count(B.s->to_worker_msg[0]) == 0;
}

/*
 * Wait until everything injected has been handled: every ring between us, the worker and
 * control empty, and the worker has started three more loops since (so the burst it was
 * working on when the rings emptied is done). Control runs in this thread.
 */
static void
settle(const char *what)
{
	uint64_t end = now_ms() + WAIT_MS;
	struct snap sn;
	char msg[1024] = "";

	while (now_ms() < end) {
		(void)dpsctpd_ctrl_poll(B.c);
		if (quiet()) {
			uint64_t l = worker_loops();

			while (worker_loops() < l + 3 && now_ms() < end)
				(void)dpsctpd_ctrl_poll(B.c);
			if (worker_loops() >= l + 3 && quiet())
				return;
		}
	}
	snap_take(&sn);
	snprintf(msg, sizeof(msg),
		"rx ring %u, to_ctrl_pkt %u, to_ctrl_msg %u, to_worker %u, "
		"loops %" PRIu64 ", rx_packets %" PRIu64,
		rte_ring_count(B.rx), rte_ring_count(B.s->to_ctrl_pkt[0]),
		rte_ring_count(B.s->to_ctrl_msg[0]), rte_ring_count(B.s->to_worker_msg[0]),
		worker_loops(), sn.w.rx_packets);
	cr_assert_fail("%s: the stack did not settle within %d ms: %s", what, WAIT_MS, msg);
}

/* Keep control going for @p ms. */
static void
run_for(uint64_t ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end)
		(void)dpsctpd_ctrl_poll(B.c);
}

/* Put @p len bytes (a frame) into the port's RX ring; @p ol_flags as a NIC would set them. */
static void
inject_flags(const void *frame, size_t len, uint64_t ol_flags)
{
	uint64_t end = now_ms() + WAIT_MS;
	struct rte_mbuf *m;
	char *p;

	while ((m = rte_pktmbuf_alloc(B.inj)) == NULL) {
		cr_assert(now_ms() < end, "injection pool empty for %d ms: the worker stopped?",
			WAIT_MS);
		(void)dpsctpd_ctrl_poll(B.c);
	}
	p = rte_pktmbuf_append(m, (uint16_t)len);
	cr_assert_not_null(p, "frame of %zu bytes does not fit an mbuf", len);
	if (len != 0)
		memcpy(p, frame, len);
	m->port = B.port_id;
	m->ol_flags = ol_flags;
	while (rte_ring_sp_enqueue(B.rx, m) != 0) {
		cr_assert(now_ms() < end, "RX ring full for %d ms: the worker stopped?", WAIT_MS);
		(void)dpsctpd_ctrl_poll(B.c);
	}
}

static void
inject(const void *frame, size_t len)
{
	inject_flags(frame, len, 0);
}

/* A frame the port transmitted, copied out of its mbuf and classified. */
struct txf {
	uint8_t b[2304];
	size_t len;
	struct dp_inet in;
	bool sctp;  /* an SCTP packet with at least one chunk header */
	uint8_t *s; /* its common header */
	size_t slen;
};

/* Take the next frame the port sent; false when there is none. Checks what is sent. */
static bool
tx_pop(struct txf *f)
{
	struct rte_mbuf *m;
	const void *d;

	if (rte_ring_sc_dequeue(B.tx, (void **)&m) != 0)
		return false;
	B.tx_frames++;
	f->len = rte_pktmbuf_pkt_len(m) < sizeof(f->b) ? rte_pktmbuf_pkt_len(m) : sizeof(f->b);
	d = rte_pktmbuf_read(m, 0, (uint32_t)f->len, f->b);
	if (d != NULL && d != f->b)
		memcpy(f->b, d, f->len);
	rte_pktmbuf_free(m);
	f->sctp = false;
	if (dp_inet_parse(f->b, f->len, &f->in) != 0) {
		B.tx_bad_l3++;
		return true;
	}
	if (f->in.kind != DP_INET_ARP && f->in.proto == DP_INET_PROTO_SCTP) {
		uint32_t got;

		f->s = f->b + f->in.l4_off;
		f->slen = f->in.l4_len;
		if (f->slen < DPSCTP_COMMON_HDR_LEN + DPSCTP_CHUNK_HDR_LEN) {
			B.tx_bad_l3++;
			return true;
		}
		/* the ring port offers no TX checksum offload: the worker fills it */
		got = dpsctp_packet_get_checksum(f->s);
		dpsctp_packet_set_checksum(f->s, 0);
		if (dpsctp_crc32c(f->s, f->slen) != got)
			B.tx_bad_crc++;
		dpsctp_packet_set_checksum(f->s, got);
		f->sctp = true;
		B.tx_sctp++;
	}
	return true;
}

/* Read and forget what the port sent so far. */
static void
tx_drain(void)
{
	struct txf f;

	while (tx_pop(&f))
		;
}

static uint8_t
sctp_type(const struct txf *f)
{
	return f->s[DPSCTP_COMMON_HDR_LEN];
}

static uint32_t
sctp_vtag(const struct txf *f)
{
	return dpsctp_get_be32(f->s + 4);
}

/*
 * Wait up to @p ms for an SCTP packet whose first chunk is @p type and whose tag is @p vtag.
 * Other SCTP packets on the way are counted in *@p others (may be NULL).
 */
static bool
wait_sctp(uint8_t type, uint32_t vtag, uint64_t ms, struct txf *f, unsigned int *others)
{
	uint64_t end = now_ms() + ms;

	do {
		(void)dpsctpd_ctrl_poll(B.c);
		while (tx_pop(f)) {
			if (!f->sctp)
				continue;
			if (sctp_type(f) == type && sctp_vtag(f) == vtag)
				return true;
			if (others != NULL)
				(*others)++;
		}
	} while (now_ms() < end);
	return false;
}

/*
 * Run for QUIET_MS and read what was sent: @return the SCTP packets among it; the first one's
 * chunk type goes to *@p first.
 */
static unsigned int
sctp_sent_while_quiet(uint8_t *first)
{
	uint64_t end = now_ms() + QUIET_MS;
	unsigned int n = 0;
	struct txf f;

	*first = 0xff;
	do {
		(void)dpsctpd_ctrl_poll(B.c);
		while (tx_pop(&f)) {
			if (!f.sctp)
				continue;
			if (n++ == 0)
				*first = sctp_type(&f);
		}
	} while (now_ms() < end);
	return n;
}

static void
expect_silence(const char *what)
{
	uint8_t first;
	unsigned int n = sctp_sent_while_quiet(&first);

	cr_assert_eq(n, 0, "%s: the stack answered with %u SCTP packets (first: %s)", what, n,
		dpsctp_chunk_name(first) != NULL ? dpsctp_chunk_name(first) : "?");
}

/* ---- building what the peer sends ---- */

static void
seal(uint8_t *sctp, size_t len)
{
	dpsctp_packet_set_checksum(sctp, 0);
	dpsctp_packet_set_checksum(sctp, dpsctp_crc32c(sctp, len));
}

/* Ethernet + IP from @p src to @p dst around @p l4: @return the frame length. */
static size_t
frame_ip(uint8_t *f, size_t cap, const struct dpsctp_addr *src, const struct dpsctp_addr *dst,
	uint8_t proto, const void *l4, size_t l4_len)
{
	uint8_t smac[6];
	size_t h;

	mac_of(src, smac);
	h = dp_inet_build(f, cap, smac, B.our_mac, src, dst, proto, l4_len, B.ip_id++);
	cr_assert_neq(h, 0, "dp_inet_build");
	cr_assert_leq(h + l4_len, cap);
	memcpy(f + h, l4, l4_len);
	return h + l4_len;
}

static const struct dpsctp_addr *
us_for(const struct dpsctp_addr *peer)
{
	return peer->family == 4 ? &B.us4 : &B.us6;
}

/*
 * Send the SCTP packet @p sctp (checksum already set) from @p src to us. A frame shorter than
 * Ethernet's minimum is padded as a NIC delivers it, with bytes that are not SCTP's.
 */
static void
send_sctp(const struct dpsctp_addr *src, const uint8_t *sctp, size_t len)
{
	uint8_t f[2304];
	size_t n = frame_ip(f, sizeof(f), src, us_for(src), DP_INET_PROTO_SCTP, sctp, len);

	if (n < DP_INET_ETH_MIN_FRAME) {
		memset(f + n, 0xa5, DP_INET_ETH_MIN_FRAME - n);
		n = DP_INET_ETH_MIN_FRAME;
	}
	inject(f, n);
}

static size_t
build_init(uint8_t *b, size_t cap, uint16_t sport, uint16_t dport, uint32_t tag, uint32_t tsn)
{
	struct dpsctp_init in = {
		.init_tag = tag, .a_rwnd = 65536, .os = 4, .mis = 4, .initial_tsn = tsn};
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, sport, dport, 0), 0);
	cr_assert_eq(dpsctp_init_begin(&w, &in, &mark), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	seal(b, w.len);
	return w.len;
}

static size_t
build_cookie_echo(uint8_t *b, size_t cap, uint16_t sport, uint16_t dport, uint32_t vtag,
	const uint8_t *cookie, size_t cookie_len)
{
	struct dpsctp_cookie_echo ce = {.cookie = cookie, .cookie_len = cookie_len};
	struct dpsctp_wbuf w;

	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, sport, dport, vtag), 0);
	cr_assert_eq(dpsctp_cookie_echo_build(&w, &ce), 0);
	seal(b, w.len);
	return w.len;
}

static size_t
build_data(uint8_t *b, size_t cap, uint16_t sport, uint16_t dport, uint32_t vtag, uint32_t tsn,
	uint16_t ssn, const void *payload, size_t len)
{
	struct dpsctp_data d = {
		.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E | DPSCTP_DATA_FLAG_I,
		.tsn = tsn,
		.sid = 0,
		.ssn = ssn,
		.payload = payload,
		.payload_len = len,
	};
	struct dpsctp_wbuf w;

	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, sport, dport, vtag), 0);
	cr_assert_eq(dpsctp_data_build(&w, &d), 0);
	seal(b, w.len);
	return w.len;
}

static size_t
build_abort(uint8_t *b, size_t cap, uint16_t sport, uint16_t dport, uint32_t vtag)
{
	struct dpsctp_abort ab = {.t = false};
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, sport, dport, vtag), 0);
	cr_assert_eq(dpsctp_abort_begin(&w, &ab, &mark), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	seal(b, w.len);
	return w.len;
}

/* The peer's side of one association, built by hand. */
struct peer {
	struct dpsctp_addr addr;
	uint16_t sport, dport;
	uint32_t my_tag, my_tsn; /* ours as the peer: the stack puts my_tag in its packets */
	uint32_t their_tag, their_tsn;
	uint16_t ssn;
	uint8_t cookie[1024];
	size_t cookie_len;
};

/* Check an INIT ACK for @p p and keep its tag, TSN and cookie. */
static void
take_init_ack(struct peer *p, struct txf *f)
{
	const uint8_t *q = f->s + DPSCTP_COMMON_HDR_LEN, *end = f->s + f->slen;
	struct dpsctp_chunk ch;
	struct dpsctp_init ia;
	struct dpsctp_tlv t;
	uint8_t mac[6];

	mac_of(&p->addr, mac);
	cr_assert(memcmp(f->in.dst_mac, mac, 6) == 0,
		"INIT ACK to %02x:..:%02x, not the neighbour's MAC ..:%02x", f->in.dst_mac[0],
		f->in.dst_mac[5], mac[5]);
	cr_assert(dp_inet_addr_eq(&f->in.dst, &p->addr), "INIT ACK to another address");
	cr_assert(dp_inet_addr_eq(&f->in.src, us_for(&p->addr)), "INIT ACK from another address");
	cr_assert_eq(dpsctp_get_be16(f->s), p->dport, "INIT ACK source port");
	cr_assert_eq(dpsctp_get_be16(f->s + 2), p->sport, "INIT ACK destination port");
	cr_assert_eq(dpsctp_chunk_next(&q, end, &ch), 1, "INIT ACK chunk");
	cr_assert_eq(dpsctp_init_ack_decode(&ch, &ia), 0, "INIT ACK does not decode");
	cr_assert_neq(ia.init_tag, 0);
	p->their_tag = ia.init_tag;
	p->their_tsn = ia.initial_tsn;
	p->cookie_len = 0;
	q = ia.params;
	while (dpsctp_tlv_next(&q, ia.params + ia.params_len, &t) == 1)
		if (t.type == DPSCTP_PARAM_STATE_COOKIE) {
			cr_assert_leq(dpsctp_tlv_value_len(&t), sizeof(p->cookie));
			p->cookie_len = dpsctp_tlv_value_len(&t);
			memcpy(p->cookie, t.value, p->cookie_len);
		}
	cr_assert_gt(p->cookie_len, 0, "INIT ACK without a State Cookie");
}

static void
peer_init(struct peer *p, const struct dpsctp_addr *addr, uint16_t sport, uint16_t dport,
	uint32_t tag)
{
	memset(p, 0, sizeof(*p));
	p->addr = *addr;
	p->sport = sport;
	p->dport = dport;
	p->my_tag = tag;
	p->my_tsn = tag * 7u + 1000;
}

/* INIT -> INIT ACK: the cookie. */
static void
peer_get_cookie(struct peer *p)
{
	uint8_t b[256];
	struct txf f;

	send_sctp(&p->addr, b, build_init(b, sizeof(b), p->sport, p->dport, p->my_tag, p->my_tsn));
	cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, p->my_tag, WAIT_MS, &f, NULL),
		"no INIT ACK for the INIT of port %u", p->sport);
	take_init_ack(p, &f);
}

static unsigned int
assoc_count_when(unsigned int want)
{
	uint64_t end = now_ms() + WAIT_MS;
	unsigned int n;

	while ((n = dpsctpd_ctrl_assoc_count(B.c)) != want && now_ms() < end)
		(void)dpsctpd_ctrl_poll(B.c);
	return n;
}

/* The whole handshake: INIT, INIT ACK, COOKIE ECHO, COOKIE ACK. */
static void
peer_establish(struct peer *p)
{
	uint8_t b[1500];
	struct txf f;
	unsigned int before = dpsctpd_ctrl_assoc_count(B.c);

	peer_get_cookie(p);
	send_sctp(&p->addr, b,
		build_cookie_echo(
			b, sizeof(b), p->sport, p->dport, p->their_tag, p->cookie, p->cookie_len));
	cr_assert(wait_sctp(DPSCTP_CHUNK_COOKIE_ACK, p->my_tag, WAIT_MS, &f, NULL),
		"no COOKIE ACK for a genuine cookie");
	cr_assert_eq(assoc_count_when(before + 1), before + 1, "association not counted");
}

/* DATA from @p p with tag @p vtag; @p sack says whether a SACK for it must come. */
static void
peer_data(struct peer *p, uint32_t vtag, const char *what, bool sack)
{
	static const char payload[] = "bad input, good data";
	uint8_t b[256];
	struct txf f;

	send_sctp(&p->addr, b,
		build_data(b, sizeof(b), p->sport, p->dport, vtag, p->my_tsn, p->ssn, payload,
			sizeof(payload)));
	if (!sack)
		return;
	cr_assert(wait_sctp(DPSCTP_CHUNK_SACK, p->my_tag, WAIT_MS, &f, NULL),
		"%s: no SACK for DATA TSN %u", what, p->my_tsn);
	cr_assert_eq(dpsctp_get_be32(f.s + DPSCTP_COMMON_HDR_LEN + 4), p->my_tsn,
		"%s: SACK cum TSN", what);
	p->my_tsn++;
	p->ssn++;
}

/* The peer ends it with ABORT. */
static void
peer_abort(struct peer *p)
{
	uint8_t b[64];
	unsigned int before = dpsctpd_ctrl_assoc_count(B.c);

	send_sctp(&p->addr, b, build_abort(b, sizeof(b), p->sport, p->dport, p->their_tag));
	cr_assert_eq(assoc_count_when(before - 1), before - 1, "ABORT did not end the association");
}

/*
 * The stack still runs: the worker loops on and a valid INIT from a fresh port gets an INIT
 * ACK, built as it should be (to the neighbour's MAC, with a cookie).
 */
static void
assert_alive(const char *after)
{
	uint64_t loops = worker_loops();
	struct peer p;
	struct txf f;
	uint8_t b[256];

	peer_init(&p, &B.peer4, B.alive_port, DISCARD_PORT, 0x0a11e000u + B.alive_port);
	B.alive_port++;
	send_sctp(&p.addr, b, build_init(b, sizeof(b), p.sport, p.dport, p.my_tag, p.my_tsn));
	cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, p.my_tag, WAIT_MS, &f, NULL),
		"after %s: a valid INIT got no INIT ACK within %d ms (worker loops %" PRIu64
		" -> %" PRIu64 ")",
		after, WAIT_MS, loops, worker_loops());
	take_init_ack(&p, &f);
	cr_assert_gt(worker_loops(), loops, "after %s: the worker does not loop", after);
	cr_assert_eq(
		B.tx_bad_l3, 0, "after %s: %" PRIu64 " malformed frames sent", after, B.tx_bad_l3);
	cr_assert_eq(B.tx_bad_crc, 0, "after %s: %" PRIu64 " SCTP packets sent with a bad CRC32c",
		after, B.tx_bad_crc);
}

/* ---- set-up and tear-down ---- */

static void
bench_up(void)
{
	struct rte_ring *rxq[1], *txq[1];
	char err[512];
	uint16_t ids[1];
	int rc;

	memset(&B, 0, sizeof(B));
	dp_eal_up("dpbad", 2, 256, "warning");
	B.eal = true;

	B.rx = rte_ring_create(
		"bad_rx", RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	B.tx = rte_ring_create(
		"bad_tx", RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	cr_assert(B.rx != NULL && B.tx != NULL, "rings: %s", rte_strerror(rte_errno));
	B.inj = rte_pktmbuf_pool_create(
		"bad_inj", INJ_MBUFS, 64, 0, 2304 + RTE_PKTMBUF_HEADROOM, (int)rte_socket_id());
	cr_assert_not_null(B.inj, "injection pool: %s", rte_strerror(rte_errno));
	rxq[0] = B.rx;
	txq[0] = B.tx;
	rc = rte_eth_from_rings("bad", rxq, 1, txq, 1, rte_socket_id());
	cr_assert_geq(rc, 0, "rte_eth_from_rings: %s", rte_strerror(rte_errno));
	B.port_id = (uint16_t)rc;

	B.cfg = calloc(1, sizeof(*B.cfg));
	cr_assert_not_null(B.cfg);
	rc = dpsctpd_config_parse(
		"badinput.yaml", config_yaml, strlen(config_yaml), B.cfg, err, sizeof(err));
	cr_assert_eq(rc, 0, "config: %s", err);
	ids[0] = B.port_id;
	rc = dpsctpd_stack_build(B.cfg, ids, "bad", &B.s, err, sizeof(err));
	cr_assert_eq(rc, 0, "stack: %s", err);
	rc = dpsctpd_ctrl_create(B.s, B.cfg, &B.c);
	cr_assert_eq(rc, 0, "control: %s", strerror(-rc));
	rc = dpsctpd_stack_launch(B.s);
	cr_assert_eq(rc, 0, "launch: %s", strerror(-rc));
	B.launched = true;

	memcpy(B.our_mac, B.s->ports[0].mac, 6);
	addr4(&B.us4, 1);
	addr6(&B.us6, 1);
	addr4(&B.peer4, 2);
	addr6(&B.peer6, 2);
	B.alive_port = 50000;
	/* the gratuitous ARP and unsolicited NA of dpsctpd_ctrl_create */
	run_for(20);
	tx_drain();
}

static void
bench_down(void)
{
	struct rte_mbuf *m;

	if (B.c != NULL && B.launched)
		(void)dpsctpd_ctrl_shutdown(B.c, 100);
	/* the stack's mbufs on the TX ring go back before its pool goes */
	if (B.tx != NULL)
		while (rte_ring_sc_dequeue(B.tx, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	if (B.s != NULL)
		dpsctpd_stack_free(B.s);
	dpsctpd_ctrl_free(B.c);
	if (B.cfg != NULL) {
		dpsctpd_config_free(B.cfg);
		free(B.cfg);
	}
	if (B.rx != NULL)
		while (rte_ring_sc_dequeue(B.rx, (void **)&m) == 0)
			rte_pktmbuf_free(m);
	rte_ring_free(B.rx);
	rte_ring_free(B.tx);
	rte_mempool_free(B.inj);
	if (B.eal) {
		(void)rte_eal_cleanup();
	}
	memset(&B, 0, sizeof(B));
}

TestSuite(dp_badinput, .init = bench_up, .fini = bench_down, .timeout = 120);

/* ---- 1. malformed frames ---- */

/* A valid INIT to the discard service in a frame from 198.18.0.2: the base of the variants. */
static size_t
good_init_frame(uint8_t *f, size_t cap, const struct dpsctp_addr *src, uint16_t sport)
{
	uint8_t b[256];
	size_t n = build_init(b, sizeof(b), sport, DISCARD_PORT, 0x5eed0000u | sport, 77);

	return frame_ip(f, cap, src, us_for(src), DP_INET_PROTO_SCTP, b, n);
}

static void
ipv4_fix_csum(uint8_t *f)
{
	uint8_t *ip = f + DP_INET_ETH_HDR_LEN;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;

	ip[10] = ip[11] = 0;
	dpsctp_put_be16(ip + 10, dp_inet_cksum(ip, ihl < 20 ? 20 : ihl));
}

Test(dp_badinput, malformed_frames_are_dropped_by_reason)
{
	struct snap a, b;
	uint8_t f[2304], s[256];
	size_t n, k;
	struct dpsctp_addr other, mcast4;
	struct rte_mbuf *m1, *m2;

	settle("start");
	snap_take(&a);

	/* runts: shorter than an Ethernet header */
	memset(f, 0xab, sizeof(f));
	inject(f, 0);
	inject(f, 1);
	inject(f, 13);
	/* EtherTypes we do not speak: an experimental one, an 802.3 length, 802.1Q, 802.1ad */
	n = good_init_frame(f, sizeof(f), &B.peer4, 1000);
	dpsctp_put_be16(f + 12, 0x88b5);
	inject(f, n);
	dpsctp_put_be16(f + 12, 0x0040);
	inject(f, n);
	dpsctp_put_be16(f + 12, 0x8100);
	inject(f, n);
	dpsctp_put_be16(f + 12, 0x88a8);
	inject(f, n);

	/* IPv4 headers: version 6, IHL 4, IHL 15 (60 bytes: beyond this short frame), total length
	 * beyond the frame, total length below the header, a frame too short for any header */
	n = good_init_frame(f, sizeof(f), &B.peer4, 1001);
	f[14] = 0x65;
	ipv4_fix_csum(f);
	inject(f, n);
	n = good_init_frame(f, sizeof(f), &B.peer4, 1002);
	f[14] = 0x44;
	ipv4_fix_csum(f);
	inject(f, n);
	n = good_init_frame(f, sizeof(f), &B.peer4, 1003);
	f[14] = 0x4f;
	inject(f, 14 + 40); /* 40 bytes of IP: IHL 15 wants 60 */
	n = good_init_frame(f, sizeof(f), &B.peer4, 1004);
	dpsctp_put_be16(f + 16, (uint16_t)(n - 14 + 1));
	ipv4_fix_csum(f);
	inject(f, n);
	n = good_init_frame(f, sizeof(f), &B.peer4, 1005);
	dpsctp_put_be16(f + 16, 19);
	ipv4_fix_csum(f);
	inject(f, n);
	inject(f, 14 + 19);
	/* IPv4 header checksum wrong */
	n = good_init_frame(f, sizeof(f), &B.peer4, 1006);
	f[24] ^= 0x01;
	inject(f, n);
	/* IPv4 source multicast and limited broadcast */
	dp_inet_addr_v4(&mcast4, 0xe0000001u);
	n = good_init_frame(f, sizeof(f), &B.peer4, 1007);
	memcpy(f + 26, mcast4.bytes, 4);
	ipv4_fix_csum(f);
	inject(f, n);
	memset(f + 26, 0xff, 4);
	ipv4_fix_csum(f);
	inject(f, n);

	/* IPv6: payload length beyond the frame, version 4, shorter than the fixed header,
	 * multicast source, an ESP header we must not skip */
	n = good_init_frame(f, sizeof(f), &B.peer6, 1010);
	dpsctp_put_be16(f + 18, (uint16_t)(n - 54 + 1));
	inject(f, n);
	n = good_init_frame(f, sizeof(f), &B.peer6, 1011);
	f[14] = 0x40;
	inject(f, n);
	inject(f, 14 + 39);
	n = good_init_frame(f, sizeof(f), &B.peer6, 1012);
	f[22] = 0xff;
	inject(f, n);
	n = good_init_frame(f, sizeof(f), &B.peer6, 1013);
	f[20] = 50; /* next header ESP */
	inject(f, n);

	/* SCTP shorter than its common header, on IPv4 and IPv6 */
	n = build_init(s, sizeof(s), 1020, DISCARD_PORT, 0x1020, 1);
	inject(f, frame_ip(f, sizeof(f), &B.peer4, &B.us4, DP_INET_PROTO_SCTP, s, 8));
	inject(f, frame_ip(f, sizeof(f), &B.peer6, &B.us6, DP_INET_PROTO_SCTP, s, 11));

	/* a chunk whose length runs past the packet, CRC right: the worker's engine (our tag)
	 * and control's (tag 0, INIT) both call it malformed */
	n = build_data(s, sizeof(s), 1021, DISCARD_PORT, 0x12345670u, 1, 0, "x", 1);
	dpsctp_put_be16(s + 14, (uint16_t)(n - 12 + 40));
	seal(s, n);
	send_sctp(&B.peer4, s, n);
	n = build_init(s, sizeof(s), 1022, DISCARD_PORT, 0x1022, 1);
	dpsctp_put_be16(s + 14, (uint16_t)(n - 12 + 4));
	seal(s, n);
	send_sctp(&B.peer4, s, n);
	/* SCTP source port 0 */
	n = build_data(s, sizeof(s), 0, DISCARD_PORT, 0x12345670u, 1, 0, "x", 1);
	send_sctp(&B.peer4, s, n);

	/* not for us, not SCTP, no service on the port */
	addr4(&other, 77);
	n = build_init(s, sizeof(s), 1030, DISCARD_PORT, 0x1030, 1);
	inject(f, frame_ip(f, sizeof(f), &B.peer4, &other, DP_INET_PROTO_SCTP, s, n));
	inject(f, frame_ip(f, sizeof(f), &B.peer4, &B.us4, 17, s, n));
	/* (an ABORT to a port without endpoint: 8.4 rule 2, silence; an INIT is answered below) */
	n = build_abort(s, sizeof(s), 1031, 4444, 0x1031);
	send_sctp(&B.peer4, s, n);

	/* a chained mbuf: we configure no scattered RX, so the worker refuses it */
	n = good_init_frame(f, sizeof(f), &B.peer4, 1040);
	m1 = rte_pktmbuf_alloc(B.inj);
	m2 = rte_pktmbuf_alloc(B.inj);
	cr_assert(m1 != NULL && m2 != NULL);
	memcpy(rte_pktmbuf_append(m1, 40), f, 40);
	memcpy(rte_pktmbuf_append(m2, (uint16_t)(n - 40)), f + 40, n - 40);
	cr_assert_eq(rte_pktmbuf_chain(m1, m2), 0);
	m1->port = B.port_id;
	cr_assert_eq(rte_ring_sp_enqueue(B.rx, m1), 0);

	settle("malformed frames");
	snap_take(&b);
	{
		const struct want w[] = {
			{K_INET, DP_INET_DROP_RUNT, 3},
			{K_INET, DP_INET_DROP_ETHERTYPE, 2},
			{K_INET, DP_INET_DROP_VLAN, 2},
			{K_INET, DP_INET_DROP_IPV4_HDR, 6},
			{K_INET, DP_INET_DROP_IPV4_CSUM, 1},
			{K_INET, DP_INET_DROP_IPV4_SRC_BAD, 2},
			{K_INET, DP_INET_DROP_IPV6_HDR, 3},
			{K_INET, DP_INET_DROP_IPV6_SRC_BAD, 1},
			{K_INET, DP_INET_DROP_IPV6_EXT, 1},
			{K_DP, DP_DROP_SCTP_SHORT, 2},
			{K_DP, DP_DROP_ENGINE, 2},
			{K_WENG, DPSCTP_DROP_MALFORMED, 2},
			{K_CENG, DPSCTP_DROP_MALFORMED, 1},
			{K_DP, DP_DROP_NOT_OURS, 1},
			{K_DP, DP_DROP_PROTO, 1},
			{K_DP, DP_DROP_NO_SERVICE, 1},
			{K_DP, DP_DROP_MULTISEG, 1},
		};

		expect_drops(&a, &b, w, RTE_DIM(w), "malformed frames");
	}
	k = b.w.rx_packets - a.w.rx_packets;
	cr_assert_eq(k, 30, "rx_packets +%zu, 30 frames injected", k);
	cr_assert_eq(b.c.init_in - a.c.init_in, 1, "control saw %" PRIu64 " INITs, want 1",
		b.c.init_in - a.c.init_in);
	expect_silence("malformed frames");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0);
	assert_alive("malformed frames");
}

/* An INIT with a bad field: silence or ABORT as RFC 9260 says, counted at control. */
Test(dp_badinput, invalid_init_is_dropped_or_aborted)
{
	struct snap a, b;
	struct txf t;
	uint8_t s[256];
	size_t n;

	settle("start");
	snap_take(&a);
	/* 3.3.2: Initiate Tag 0: silently discarded */
	send_sctp(&B.peer4, s, build_init(s, sizeof(s), 1100, DISCARD_PORT, 0, 1));
	/* 8.5.1 A: an INIT in a packet with a non-zero tag */
	n = build_init(s, sizeof(s), 1101, DISCARD_PORT, 0x1101, 1);
	dpsctp_put_be32(s + 4, 0x11011100u);
	seal(s, n);
	send_sctp(&B.peer4, s, n);
	/* 6.10: INIT bundled with another chunk */
	n = build_init(s, sizeof(s), 1102, DISCARD_PORT, 0x1102, 1);
	{
		struct dpsctp_wbuf w = {.base = s, .cap = sizeof(s), .len = n};

		cr_assert_eq(dpsctp_cookie_ack_build(&w), 0);
		n = w.len;
	}
	seal(s, n);
	send_sctp(&B.peer4, s, n);
	settle("silently discarded INITs");
	expect_silence("silently discarded INITs");
	/* 3.3.2: zero outbound streams: ABORT with Invalid Mandatory Parameter, INIT's tag */
	n = build_init(s, sizeof(s), 1103, DISCARD_PORT, 0x1103, 1);
	dpsctp_put_be16(s + 12 + 12, 0);
	seal(s, n);
	send_sctp(&B.peer4, s, n);
	cr_assert(wait_sctp(DPSCTP_CHUNK_ABORT, 0x1103, WAIT_MS, &t, NULL),
		"no ABORT for an INIT with zero outbound streams");
	settle("invalid INITs");
	snap_take(&b);
	{
		const struct want w[] = {
			{K_CENG, DPSCTP_DROP_BAD_CHUNK, 2},
			{K_CENG, DPSCTP_DROP_BAD_VTAG, 1},
			{K_CENG, DPSCTP_DROP_MALFORMED, 1},
		};

		expect_drops(&a, &b, w, RTE_DIM(w), "invalid INITs");
	}
	cr_assert_eq(b.c.init_answered, a.c.init_answered, "an invalid INIT was answered");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0);
	assert_alive("invalid INITs");
}

/* Unusual but valid: IPv4 options, an IPv6 Hop-by-Hop header of padding, Ethernet padding. */
Test(dp_badinput, unusual_valid_frames_are_answered)
{
	struct snap a, b;
	struct txf t;
	uint8_t s[256], f[512], l4[300];
	size_t n, fn;

	settle("start");
	snap_take(&a);
	/* IPv4 header of 24 bytes: four NOP options */
	n = build_init(s, sizeof(s), 1200, DISCARD_PORT, 0x1200, 1);
	fn = frame_ip(f, sizeof(f), &B.peer4, &B.us4, DP_INET_PROTO_SCTP, s, n);
	memmove(f + 38, f + 34, fn - 34);
	memset(f + 34, 0x01, 4);
	f[14] = 0x46;
	dpsctp_put_be16(f + 16, (uint16_t)(24 + n));
	f[24] = f[25] = 0;
	dpsctp_put_be16(f + 24, dp_inet_cksum(f + 14, 24));
	inject(f, fn + 4);
	cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, 0x1200, WAIT_MS, &t, NULL),
		"no INIT ACK to an INIT behind IPv4 options");
	/* IPv6 Hop-by-Hop header holding a PadN option */
	n = build_init(s, sizeof(s), 1201, DISCARD_PORT, 0x1201, 1);
	l4[0] = DP_INET_PROTO_SCTP;
	l4[1] = 0;
	l4[2] = 1;
	l4[3] = 4;
	memset(l4 + 4, 0, 4);
	memcpy(l4 + 8, s, n);
	inject(f, frame_ip(f, sizeof(f), &B.peer6, &B.us6, 0, l4, 8 + n));
	cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, 0x1201, WAIT_MS, &t, NULL),
		"no INIT ACK to an INIT behind an IPv6 Hop-by-Hop header");
	settle("unusual frames");
	snap_take(&b);
	expect_drops(&a, &b, NULL, 0, "unusual valid frames");
	assert_alive("unusual valid frames");
}

/*
 * RFC 9260 8.4 for a port where no endpoint exists: an INIT gets an ABORT carrying its Initiate
 * Tag with the T bit clear (rule 3), so the peer's connect fails at once instead of retrying for
 * a minute; DATA gets an ABORT with the packet's tag and the T bit set (rule 8).
 */
Test(dp_badinput, packets_to_a_port_without_endpoint_are_aborted)
{
	struct snap a, b;
	struct txf t;
	uint8_t s[256];
	size_t n;

	settle("start");
	snap_take(&a);
	n = build_init(s, sizeof(s), 1300, 4444, 0x1300, 1);
	send_sctp(&B.peer4, s, n);
	cr_assert(wait_sctp(DPSCTP_CHUNK_ABORT, 0x1300, WAIT_MS, &t, NULL),
		"no ABORT with the Initiate Tag to an INIT for a closed port");
	cr_assert_eq(t.s[DPSCTP_COMMON_HDR_LEN + 1] & DPSCTP_CHUNK_FLAG_T, 0, "T bit clear");
	cr_assert_eq(dpsctp_get_be16(t.s), 4444, "from the closed port");
	n = build_data(s, sizeof(s), 1301, 4444, 0x1301u, 1, 0, "x", 1);
	send_sctp(&B.peer4, s, n);
	cr_assert(wait_sctp(DPSCTP_CHUNK_ABORT, 0x1301, WAIT_MS, &t, NULL),
		"no ABORT to DATA for a closed port");
	cr_assert_eq(t.s[DPSCTP_COMMON_HDR_LEN + 1] & DPSCTP_CHUNK_FLAG_T, DPSCTP_CHUNK_FLAG_T,
		"T bit set");
	settle("closed port");
	snap_take(&b);
	{
		const struct want w[] = { {K_DP, DP_DROP_NO_SERVICE, 2} };

		expect_drops(&a, &b, w, RTE_DIM(w), "closed port");
	}
	assert_alive("closed port");
}

/*
 * A frame from the wire that claims one of our addresses as its source (a Land attack, or a
 * loop in the network) is a martian: Linux drops it (fib_validate_source, accept_local off).
 * Answering it sends the answer to ourselves by local delivery, past every counter of the port.
 */
Test(dp_badinput, own_address_as_source_is_not_answered)
{
	struct snap a, b;
	uint8_t s[256];

	settle("start");
	snap_take(&a);
	send_sctp(&B.us4, s, build_init(s, sizeof(s), ECHO_PORT, DISCARD_PORT, 0x1300, 1));
	send_sctp(&B.us6, s, build_init(s, sizeof(s), ECHO_PORT, DISCARD_PORT, 0x1301, 1));
	settle("INITs from our own addresses");
	run_for(QUIET_MS);
	settle("their answers");
	snap_take(&b);
	{
		char msg[2048] = "";

		moved(&a, &b, msg, sizeof(msg));
		cr_assert_eq(b.ceng.packets_in + b.weng.packets_in,
			a.ceng.packets_in + a.weng.packets_in,
			"2 INITs from our own addresses reached an engine, and the answers came "
			"back "
			"to us by local delivery (worker.local +%" PRIu64 "):%s",
			b.w.local - a.w.local, msg);
	}
	expect_silence("INITs from our own addresses");
	assert_alive("INITs from our own addresses");
}

/*
 * An INIT ACK control cannot send (no route back, next hop not resolved yet) is lost: the
 * peer retransmits its INIT. The loss must show in some counter, and once the neighbour
 * answers ARP the retransmitted INIT must be answered.
 */
Test(dp_badinput, unsendable_init_ack_is_counted)
{
	struct snap a, b;
	struct dpsctp_addr stranger, offlink;
	uint8_t s[256], f[128], smac[6];
	uint64_t end, drops = 0;
	bool arp_seen = false;
	struct txf t;
	unsigned int k, i;

	addr4(&stranger, 50);                   /* on-link, not a configured neighbour */
	dp_inet_addr_v4(&offlink, 0xc6130505u); /* 198.19.5.5: no route (no gateway) */
	settle("start");
	snap_take(&a);
	send_sctp(&stranger, s, build_init(s, sizeof(s), 1400, DISCARD_PORT, 0x1400, 1));
	send_sctp(&offlink, s, build_init(s, sizeof(s), 1401, DISCARD_PORT, 0x1401, 1));
	settle("INITs from a stranger and from off-link");
	end = now_ms() + QUIET_MS;
	do {
		(void)dpsctpd_ctrl_poll(B.c);
		while (tx_pop(&t)) {
			cr_assert(!t.sctp, "an SCTP packet (%s) was sent without a neighbour's MAC",
				dpsctp_chunk_name(sctp_type(&t)));
			if (t.in.kind == DP_INET_ARP && t.len >= 42 &&
				memcmp(t.b + 14 + 24, stranger.bytes, 4) == 0)
				arp_seen = true;
		}
	} while (now_ms() < end);
	cr_assert(arp_seen, "no ARP request for 198.18.0.50");
	snap_take(&b);
	cr_assert_eq(b.c.init_answered - a.c.init_answered, 2);
	{
		static const enum kind kinds[] = {K_DP, K_INET, K_WENG, K_CENG, K_TXDROP, K_TXFULL};
		char msg[2048] = "";

		for (k = 0; k < RTE_DIM(kinds); k++)
			for (i = 0; i < kind_size(kinds[k]); i++)
				drops += counter(&b, kinds[k], i) - counter(&a, kinds[k], i);
		/* control's own count of answers it could not send */
		drops += (b.c.tx_no_route - a.c.tx_no_route) + (b.c.tx_no_neigh - a.c.tx_no_neigh) +
			(b.c.tx_no_mbuf - a.c.tx_no_mbuf);
		moved(&a, &b, msg, sizeof(msg));
		cr_expect_geq(drops, 2,
			"2 INIT ACKs answered by control were neither sent nor counted as "
			"dropped:%s",
			msg);
	}

	/* the stranger answers ARP; its INIT, retransmitted, gets the INIT ACK */
	mac_of(&stranger, smac);
	inject(f, dp_arp_build(f, sizeof(f), DP_ARP_OP_REPLY, smac, &stranger, B.our_mac, &B.us4,
			  B.our_mac));
	settle("ARP reply");
	send_sctp(&stranger, s, build_init(s, sizeof(s), 1400, DISCARD_PORT, 0x1400, 1));
	cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, 0x1400, WAIT_MS, &t, NULL),
		"no INIT ACK to a retransmitted INIT once the neighbour was resolved");
	cr_assert_eq(t.in.dst_mac[5], 50, "INIT ACK not to the MAC the neighbour gave");
	assert_alive("unsendable INIT ACKs");
}

/* ---- 1b. random garbage ---- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void
rnd_fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* A random SCTP packet: chunks of plausible types, lengths right or wrong. */
static size_t
rnd_sctp(uint8_t *s, size_t cap)
{
	static const uint8_t types[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 64,
		128, 130, 132, 192, 193, 194, 0x3f, 0x7f, 0xbf, 0xff};
	static const uint16_t ports[] = {ECHO_PORT, DISCARD_PORT, 0, 4444};
	size_t n = DPSCTP_COMMON_HDR_LEN;
	unsigned int nchunks = 1 + rnd_below(3), i;
	uint32_t vtag;

	dpsctp_put_be16(s, (uint16_t)(rnd_below(8) == 0 ? 0 : 1 + rnd_below(65535)));
	dpsctp_put_be16(s + 2, rnd_below(8) == 0 ? (uint16_t)rnd() : ports[rnd_below(3)]);
	switch (rnd_below(3)) {
	case 0:
		vtag = 0;
		break;
	case 1:
		vtag = (uint32_t)rnd() & ~DP_OWNER_MASK; /* names worker 0 */
		break;
	default:
		vtag = (uint32_t)rnd();
		break;
	}
	dpsctp_put_be32(s + 4, vtag);
	for (i = 0; i < nchunks && n + 4 <= cap; i++) {
		size_t vlen = rnd_below(64), clen = 4 + vlen;

		if (n + dpsctp_pad4(clen) > cap)
			break;
		s[n] = types[rnd_below(RTE_DIM(types))];
		s[n + 1] = rnd_below(2) == 0 ? 0 : (uint8_t)rnd();
		rnd_fill(s + n + 4, dpsctp_pad4(clen) - 4);
		/* mostly the right length; sometimes short, long or below the header */
		switch (rnd_below(6)) {
		case 0:
			dpsctp_put_be16(s + n + 2, (uint16_t)rnd_below(4));
			break;
		case 1:
			dpsctp_put_be16(s + n + 2, (uint16_t)(clen + 1 + rnd_below(100)));
			break;
		default:
			dpsctp_put_be16(s + n + 2, (uint16_t)clen);
			break;
		}
		n += dpsctp_pad4(clen);
	}
	if (rnd_below(10) != 0)
		seal(s, n);
	return n;
}

/* A valid packet of some kind, to be mutated. */
static size_t
good_sctp(uint8_t *s, size_t cap)
{
	uint8_t cookie[200];
	uint16_t sport = (uint16_t)(1 + rnd_below(65535));

	switch (rnd_below(4)) {
	case 0:
		return build_init(
			s, cap, sport, DISCARD_PORT, (uint32_t)rnd() | 1, (uint32_t)rnd());
	case 1:
		rnd_fill(cookie, sizeof(cookie));
		return build_cookie_echo(s, cap, sport, ECHO_PORT, (uint32_t)rnd(), cookie,
			8 + rnd_below(sizeof(cookie) - 8));
	case 2:
		return build_data(s, cap, sport, DISCARD_PORT, (uint32_t)rnd(), (uint32_t)rnd(), 0,
			cookie, 1 + rnd_below(100));
	default:
		return build_abort(s, cap, sport, ECHO_PORT, (uint32_t)rnd());
	}
}

/* ICMP / ICMPv6 with a right checksum and random content. */
static size_t
rnd_icmp(uint8_t *f, size_t cap, bool v6)
{
	static const uint8_t t4[] = {0, 3, 3, 3, 8, 8, 11, 12};
	static const uint8_t t6[] = {1, 2, 2, 128, 128, 129, 133, 134, 135, 135, 136, 136, 137};
	uint8_t l4[300];
	size_t len = 8 + rnd_below(sizeof(l4) - 8);
	const struct dpsctp_addr *src = v6 ? &B.peer6 : &B.peer4;
	uint16_t ck;

	rnd_fill(l4, len);
	l4[0] = v6 ? t6[rnd_below(RTE_DIM(t6))] : t4[rnd_below(RTE_DIM(t4))];
	l4[1] = (uint8_t)rnd_below(5);
	l4[2] = l4[3] = 0;
	if (rnd_below(3) == 0 && len >= 8 + 40 + 12) {
		/* quote a packet of ours to the peer (IP header, SCTP ports and tag): what a
		 * destination unreachable or packet too big would carry */
		const struct dpsctp_addr *us = v6 ? &B.us6 : &B.us4;
		uint8_t hdr[64];
		size_t h = dp_inet_build(hdr, sizeof(hdr), B.our_mac, B.our_mac, us, src,
			DP_INET_PROTO_SCTP, 12 + rnd_below(1400), 0);

		memcpy(l4 + 8, hdr + 14, h - 14);
		dpsctp_put_be16(l4 + 8 + h - 14, rnd_below(2) == 0 ? DISCARD_PORT : ECHO_PORT);
	}
	if (v6)
		ck = dp_inet_l4_cksum(src, &B.us6, DP_INET_PROTO_ICMPV6, l4, len);
	else
		ck = dp_inet_cksum(l4, len);
	dpsctp_put_be16(l4 + 2, ck);
	return frame_ip(f, cap, src, v6 ? &B.us6 : &B.us4,
		v6 ? DP_INET_PROTO_ICMPV6 : DP_INET_PROTO_ICMP, l4, len);
}

static size_t
rnd_frame(uint8_t *f, size_t cap)
{
	uint8_t s[1024];
	struct dpsctp_addr src;
	size_t n, i;

	switch (rnd_below(6)) {
	case 0: /* anything at all */
		n = rnd_below(200);
		rnd_fill(f, n);
		if (n >= 14 && rnd_below(2) == 0)
			dpsctp_put_be16(f + 12, rnd_below(2) == 0 ? 0x0800 : 0x86dd);
		return n;
	case 1: /* IP to us from a neighbour, random transport */
	case 2: {
		bool v6 = rnd_below(4) == 0;
		uint8_t proto;

		if (v6)
			src = B.peer6;
		else
			addr4(&src, (uint8_t)(2 + rnd_below(NPEERS4)));
		switch (rnd_below(8)) {
		case 0:
			proto = (uint8_t)rnd();
			n = rnd_below(100);
			rnd_fill(s, n);
			break;
		default:
			proto = DP_INET_PROTO_SCTP;
			n = rnd_sctp(s, sizeof(s));
			break;
		}
		return frame_ip(f, cap, &src, v6 ? &B.us6 : &B.us4, proto, s, n);
	}
	case 3: { /* a valid frame, mutated; sometimes its checksums fixed again */
		unsigned int flips = 1 + rnd_below(4);

		addr4(&src, (uint8_t)(2 + rnd_below(NPEERS4)));
		n = good_sctp(s, sizeof(s));
		n = frame_ip(f, cap, &src, &B.us4, DP_INET_PROTO_SCTP, s, n);
		for (i = 0; i < flips; i++)
			f[rnd_below((uint32_t)n)] ^= (uint8_t)(1u << rnd_below(8));
		if (rnd_below(4) == 0)
			n = rnd_below((uint32_t)n + 1);
		if (rnd_below(2) == 0 && n >= 34 + 12 && (f[14] >> 4) == 4 && (f[14] & 0xf) == 5) {
			size_t tot = dpsctp_get_be16(f + 16);

			ipv4_fix_csum(f);
			if (tot >= 20 + 12 && 14 + tot <= n)
				seal(f + 34, tot - 20);
		}
		return n;
	}
	case 4: { /* ARP, often for us, from the neighbours' addresses or others */
		uint8_t *a = f + 14;
		size_t len = 28 + rnd_below(20);

		memset(f, 0xff, 6);
		memcpy(f + 6, B.our_mac, 6);
		f[6] = 0x02;
		f[11] = (uint8_t)rnd();
		dpsctp_put_be16(f + 12, 0x0806);
		rnd_fill(a, len);
		if (rnd_below(4) != 0) {
			dpsctp_put_be16(a, 1);
			dpsctp_put_be16(a + 2, 0x0800);
			a[4] = 6;
			a[5] = 4;
			dpsctp_put_be16(a + 6, (uint16_t)(1 + rnd_below(2)));
			a[14] = 198;
			a[15] = 18;
			a[16] = 0;
			memcpy(a + 24, B.us4.bytes, 4);
		}
		return 14 + len;
	}
	default:
		return rnd_icmp(f, cap, rnd_below(2) == 0);
	}
}

/* Does the frame carry one of our addresses as its IP source? */
static bool
from_us(const uint8_t *f, size_t n)
{
	if (n >= 34 && dpsctp_get_be16(f + 12) == 0x0800)
		return memcmp(f + 26, B.us4.bytes, 4) == 0;
	if (n >= 54 && dpsctp_get_be16(f + 12) == 0x86dd)
		return memcmp(f + 22, B.us6.bytes, 16) == 0;
	return false;
}

/*
 * Every frame the port received is accounted for: dropped by the worker for a reason of its own
 * or of L2/L3, or handed on (to control, another worker, or an engine endpoint of this one).
 * Frames control hands back to the owning worker (init_steered: INITs and tag-0 packets of
 * known peers) go through the worker's input once more.
 */
static void
expect_accounted(const struct snap *a, const struct snap *b, uint64_t injected, uint64_t seed,
	const char *what)
{
	uint64_t rx, handed, dropped = 0, inet = 0;
	char msg[2048] = "";
	unsigned int i;

	rx = b->w.rx_packets - a->w.rx_packets;
	handed = (b->w.to_control - a->w.to_control) + (b->w.steered - a->w.steered) +
		 (b->weng.packets_in - a->weng.packets_in);
	for (i = 0; i < DP_DROP_COUNT; i++) {
		/* ENGINE drops are among packets_in; the others here happen on the way out */
		if (i == DP_DROP_ENGINE || i == DP_DROP_NO_ROUTE || i == DP_DROP_NO_NEIGH ||
			i == DP_DROP_NO_MBUF)
			continue;
		dropped += b->w.drops[i] - a->w.drops[i];
	}
	for (i = 0; i < DP_INET_DROP_COUNT; i++)
		inet += b->w.inet_drops[i] - a->w.inet_drops[i];
	moved(a, b, msg, sizeof(msg));
	cr_assert_eq(rx, injected,
		"%s, seed %#" PRIx64 ": %" PRIu64 " frames injected, rx_packets +%" PRIu64 ":%s",
		what, seed, injected, rx, msg);
	cr_assert_eq(rx + (b->c.init_steered - a->c.init_steered), handed + dropped + inet,
		"%s, seed %#" PRIx64 ": rx_packets +%" PRIu64 " + init_steered +%" PRIu64
		" != handed on %" PRIu64 " + dropped %" PRIu64 " + L2/L3 drops %" PRIu64 ":%s",
		what, seed, rx, b->c.init_steered - a->c.init_steered, handed, dropped, inet, msg);
	cr_log_info("%s: %" PRIu64 " frames: %" PRIu64 " handed on, %" PRIu64 " dropped, %" PRIu64
		    " L2/L3 drops;%s\n",
		what, rx, handed, dropped, inet, msg);
}

static uint64_t
env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v != NULL ? strtoull(v, NULL, 0) : dflt;
}

/*
 * DPSCTP_GARBAGE_SEED and DPSCTP_GARBAGE_FRAMES change the stream, to search further; a
 * failure prints the seed to reproduce it.
 */
Test(dp_badinput, garbage_frames_are_all_accounted_for)
{
	uint64_t seed = env_u64("DPSCTP_GARBAGE_SEED", 0x6261645f696e7075ull); /* "bad_inpu" */
	unsigned int nframes = (unsigned int)env_u64("DPSCTP_GARBAGE_FRAMES", 4000);
	struct snap a, b;
	uint8_t f[2304];
	unsigned int i;
	struct txf t;

	rng = seed != 0 ? seed : 1;
	settle("start");
	snap_take(&a);
	for (i = 0; i < nframes; i++) {
		size_t n;

		/*
		 * Not from our own address: the stack would answer those to itself by local
		 * delivery (see own_address_as_source_is_not_answered), frames no counter of
		 * the port accounts for.
		 */
		do
			n = rnd_frame(f, sizeof(f));
		while (from_us(f, n));
		inject(f, n);
		if ((i & 63) == 0) {
			(void)dpsctpd_ctrl_poll(B.c);
			while (tx_pop(&t))
				;
		}
	}
	settle("garbage");
	run_for(QUIET_MS);
	tx_drain();
	settle("garbage answers");
	snap_take(&b);
	expect_accounted(&a, &b, nframes, seed, "garbage");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0, "garbage made an association");
	assert_alive("random garbage");
}

/* A raw chunk of @p type with @p len random value bytes. */
static int
rnd_raw_chunk(struct dpsctp_wbuf *w, uint8_t type, size_t len)
{
	size_t mark;
	uint8_t *v;
	int rc;

	rc = dpsctp_chunk_begin(w, type, (uint8_t)rnd_below(4), &mark);
	if (rc != 0)
		return rc;
	v = dpsctp_wbuf_reserve(w, len);
	if (v == NULL)
		return -ENOSPC;
	rnd_fill(v, len);
	return dpsctp_chunk_end(w, mark);
}

/* A TLV region of @p n random parameters / causes of types from @p lo to @p lo + @p span. */
static int
rnd_tlvs(struct dpsctp_wbuf *w, unsigned int n, uint16_t lo, uint16_t span)
{
	uint8_t v[64];
	unsigned int i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		size_t len = rnd_below(sizeof(v));

		rnd_fill(v, len);
		rc = dpsctp_tlv_put(w, (uint16_t)(lo + rnd_below(span)), v, len);
	}
	return rc;
}

/*
 * A packet for the association of @p p: its tag (almost always) and ports, one to three
 * chunks, mostly well formed with fields near what the association expects, some not.
 */
static size_t
rnd_assoc_packet(uint8_t *s, size_t cap, const struct peer *p)
{
	unsigned int nchunks = 1 + rnd_below(3), i;
	struct dpsctp_wbuf w;
	uint8_t buf[400];

	dpsctp_wbuf_init(&w, s, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, p->sport, p->dport,
			     rnd_below(50) == 0 ? (uint32_t)rnd() : p->their_tag),
		0);
	for (i = 0; i < nchunks; i++) {
		size_t before = w.len, mark;
		int rc = 0;

		switch (rnd_below(16)) {
		case 0:
		case 1:
		case 2: {
			struct dpsctp_data d = {
				.flags = (uint8_t)(rnd_below(16)),
				.tsn = p->my_tsn + rnd_below(24) - 4,
				.sid = (uint16_t)rnd_below(6),
				.ssn = (uint16_t)rnd_below(4),
				.payload = buf,
				.payload_len = rnd_below(30) == 0 ? 0 : 1 + rnd_below(300),
			};

			rnd_fill(buf, d.payload_len);
			rc = dpsctp_data_build(&w, &d);
			break;
		}
		case 3: {
			struct dpsctp_gap_block gaps[3];
			uint32_t dups[2] = {(uint32_t)rnd(), p->their_tsn};
			uint16_t ngaps = (uint16_t)rnd_below(4), k;

			for (k = 0; k < ngaps; k++) {
				gaps[k].start = (uint16_t)(1 + rnd_below(10));
				gaps[k].end = (uint16_t)(gaps[k].start + rnd_below(4) - 1);
			}
			rc = dpsctp_sack_build(&w, p->their_tsn - 1 + rnd_below(8) - 3,
				(uint32_t)rnd_below(200000), gaps, ngaps, dups,
				(uint16_t)rnd_below(3));
			break;
		}
		case 4:
		case 5: {
			struct dpsctp_heartbeat hb = {0};

			rc = rnd_below(2) == 0 ? dpsctp_heartbeat_begin(&w, &hb, &mark)
					       : dpsctp_heartbeat_ack_begin(&w, &hb, &mark);
			if (rc == 0)
				rc = rnd_tlvs(&w, rnd_below(3), DPSCTP_PARAM_HEARTBEAT_INFO, 2);
			if (rc == 0)
				rc = dpsctp_chunk_end(&w, mark);
			break;
		}
		case 6: {
			struct dpsctp_error er = {0};

			rc = dpsctp_error_begin(&w, &er, &mark);
			if (rc == 0)
				rc = rnd_tlvs(&w, rnd_below(3), 1, 14);
			if (rc == 0)
				rc = dpsctp_chunk_end(&w, mark);
			break;
		}
		case 7: {
			struct dpsctp_shutdown sd = {.cum_tsn = p->my_tsn - 1 + rnd_below(4) - 2};
			struct dpsctp_shutdown_complete sc = {.t = rnd_below(2) == 0};

			/* rare: they end the association, and the test wants it alive a while */
			if (rnd_below(8) != 0)
				rc = rnd_raw_chunk(
					&w, (uint8_t)(0x40 | rnd_below(64)), rnd_below(40));
			else if (rnd_below(3) == 0)
				rc = dpsctp_shutdown_build(&w, &sd);
			else if (rnd_below(2) == 0)
				rc = dpsctp_shutdown_ack_build(&w);
			else
				rc = dpsctp_shutdown_complete_build(&w, &sc);
			break;
		}
		case 8: {
			struct dpsctp_cookie_echo ce = {
				.cookie = p->cookie, .cookie_len = p->cookie_len};

			/* the genuine cookie again (5.2.4 D), or a garbled one */
			if (rnd_below(2) == 0) {
				memcpy(buf, p->cookie, p->cookie_len);
				buf[rnd_below((uint32_t)p->cookie_len)] ^= 0x10;
				ce.cookie = buf;
			}
			rc = dpsctp_cookie_echo_build(&w, &ce);
			break;
		}
		case 9: {
			struct dpsctp_ecn e = {.lowest_tsn = p->my_tsn + rnd_below(8) - 4};

			rc = rnd_below(2) == 0 ? dpsctp_ecne_build(&w, &e)
					       : dpsctp_cwr_build(&w, &e);
			break;
		}
		case 10: {
			struct dpsctp_fwd_stream st[2] = {{0, (uint16_t)rnd_below(4)},
				{(uint16_t)rnd_below(8), (uint16_t)rnd()}};

			rc = dpsctp_forward_tsn_build(
				&w, p->my_tsn + rnd_below(8) - 4, st, (uint16_t)rnd_below(3));
			break;
		}
		case 11: {
			static const uint8_t types[] = {DPSCTP_CHUNK_I_DATA, DPSCTP_CHUNK_ASCONF,
				DPSCTP_CHUNK_ASCONF_ACK, DPSCTP_CHUNK_RECONF, DPSCTP_CHUNK_AUTH,
				DPSCTP_CHUNK_PAD, DPSCTP_CHUNK_I_FORWARD_TSN,
				DPSCTP_CHUNK_COOKIE_ACK, DPSCTP_CHUNK_INIT_ACK, DPSCTP_CHUNK_INIT};

			rc = rnd_raw_chunk(&w, types[rnd_below(RTE_DIM(types))], rnd_below(60));
			break;
		}
		case 12: {
			struct dpsctp_abort ab = {.t = rnd_below(2) == 0};

			if (rnd_below(20) != 0) {
				rc = rnd_raw_chunk(&w, (uint8_t)rnd(), rnd_below(40));
				break;
			}
			rc = dpsctp_abort_begin(&w, &ab, &mark);
			if (rc == 0)
				rc = dpsctp_chunk_end(&w, mark);
			break;
		}
		default:
			rc = rnd_raw_chunk(&w, (uint8_t)rnd(), rnd_below(80));
			break;
		}
		if (rc != 0) {
			dpsctp_wbuf_rewind(&w, before);
			break;
		}
	}
	if (w.len == DPSCTP_COMMON_HDR_LEN)
		cr_assert_eq(rnd_raw_chunk(&w, DPSCTP_CHUNK_PAD, 4), 0);
	/* an INIT first goes to control as a known peer's: init_from_a_known_peer_* test that */
	if (s[DPSCTP_COMMON_HDR_LEN] == DPSCTP_CHUNK_INIT)
		s[DPSCTP_COMMON_HDR_LEN] = DPSCTP_CHUNK_PAD;
	seal(s, w.len);
	return w.len;
}

/*
 * Garbage into live associations: chunks with the right tag, fields near what the association
 * expects. An association may end (ABORT, SHUTDOWN in the stream), and is then opened again
 * from the next port; nothing may crash, and every frame is accounted for.
 */
Test(dp_badinput, garbage_chunks_into_associations_are_survived)
{
	uint64_t seed = env_u64("DPSCTP_GARBAGE_SEED", 0x6173736f63696174ull); /* "associat" */
	unsigned int npkts = (unsigned int)env_u64("DPSCTP_GARBAGE_FRAMES", 3000);
	unsigned int i, opened = 0, injected = 0;
	uint16_t port = 8000;
	struct snap a, b;
	struct peer p;
	uint8_t s[1500];
	struct txf t;

	rng = seed != 0 ? seed : 1;
	settle("start");
	snap_take(&a);
	for (i = 0; i < npkts; i++) {
		if (dpsctpd_ctrl_assoc_count(B.c) == 0) {
			/* the last one ended: open another (its handshake is 2 frames) */
			settle("association ended");
			tx_drain();
			peer_init(&p, &B.peer4, port, rnd_below(2) == 0 ? ECHO_PORT : DISCARD_PORT,
				0x0a550000u + port);
			port++;
			peer_establish(&p);
			opened++;
			injected += 2;
		}
		send_sctp(&p.addr, s, rnd_assoc_packet(s, sizeof(s), &p));
		injected++;
		if ((i & 15) == 0) {
			(void)dpsctpd_ctrl_poll(B.c);
			while (tx_pop(&t))
				;
		}
	}
	settle("garbage chunks");
	run_for(QUIET_MS);
	tx_drain();
	settle("garbage chunks' answers");
	snap_take(&b);
	cr_log_info("garbage chunks: %u packets into %u associations\n", npkts, opened);
	expect_accounted(&a, &b, injected, seed, "garbage chunks");
	cr_assert_eq(B.tx_bad_l3, 0, "%" PRIu64 " malformed frames sent", B.tx_bad_l3);
	cr_assert_eq(
		B.tx_bad_crc, 0, "%" PRIu64 " SCTP packets sent with a bad CRC32c", B.tx_bad_crc);
	assert_alive("garbage chunks");
}

/* ---- 2. bad checksums ---- */

Test(dp_badinput, bad_crc32c_is_dropped_without_answer)
{
	struct snap a, b;
	uint8_t s[256];
	uint8_t f[512];
	size_t n;
	uint32_t crc;

	settle("start");
	snap_take(&a);
	/* one bit off */
	n = build_init(s, sizeof(s), 2000, DISCARD_PORT, 0x2000, 1);
	s[8] ^= 0x01;
	send_sctp(&B.peer4, s, n);
	/* zero (RFC 9653 zero checksum was never negotiated) */
	n = build_init(s, sizeof(s), 2001, DISCARD_PORT, 0x2001, 1);
	dpsctp_packet_set_checksum(s, 0);
	send_sctp(&B.peer4, s, n);
	/* the right value in the wrong byte order */
	n = build_init(s, sizeof(s), 2002, DISCARD_PORT, 0x2002, 1);
	crc = dpsctp_packet_get_checksum(s);
	dpsctp_put_be32(s + 8, crc);
	if (dpsctp_packet_get_checksum(s) == crc) /* a palindrome: make it wrong anyway */
		s[8] ^= 0x80;
	send_sctp(&B.peer4, s, n);
	/* a payload byte changed after the checksum was computed, over IPv6 */
	n = build_init(s, sizeof(s), 2003, DISCARD_PORT, 0x2003, 1);
	s[20] ^= 0x40;
	send_sctp(&B.peer6, s, n);
	/* right checksum, but the NIC says it is bad: believed */
	n = build_init(s, sizeof(s), 2004, DISCARD_PORT, 0x2004, 1);
	inject_flags(f, frame_ip(f, sizeof(f), &B.peer4, &B.us4, DP_INET_PROTO_SCTP, s, n),
		RTE_MBUF_F_RX_L4_CKSUM_BAD);

	settle("bad CRC32c");
	snap_take(&b);
	{
		const struct want w[] = {{K_DP, DP_DROP_BAD_CRC, 5}};

		expect_drops(&a, &b, w, RTE_DIM(w), "bad CRC32c");
	}
	cr_assert_eq(b.c.init_in, a.c.init_in, "an INIT with a bad CRC32c reached control");
	expect_silence("INITs with a bad CRC32c");
	assert_alive("bad CRC32c");
}

/* ---- 3. wrong verification tags ---- */

Test(dp_badinput, data_with_wrong_vtag_is_dropped_and_association_survives)
{
	struct snap a, b;
	struct peer p;

	peer_init(&p, &B.peer4, 3000, DISCARD_PORT, 0x3000abc1u);
	peer_establish(&p);
	/* a first DATA that goes through, so the association is known to carry data */
	peer_data(&p, p.their_tag, "first DATA", true);
	settle("handshake");
	tx_drain();
	snap_take(&a);

	/* the peer's tag off by one bit (low bits kept: it steers to the same worker), then
	 * our own tag reflected: both are not the tag the stack gave */
	peer_data(&p, p.their_tag ^ 0x00100000u, "wrong tag", false);
	peer_data(&p, p.my_tag, "reflected tag", false);
	settle("DATA with wrong tags");
	snap_take(&b);
	{
		const struct want w[] = {
			{K_DP, DP_DROP_ENGINE, 2},
			{K_WENG, DPSCTP_DROP_BAD_VTAG, 2},
		};

		expect_drops(&a, &b, w, RTE_DIM(w), "DATA with wrong tags");
	}
	cr_assert_eq(b.weng.data_in, a.weng.data_in, "DATA with a wrong tag was kept");
	expect_silence("DATA with wrong tags");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 1, "the association did not survive");

	/* the same TSN with the right tag: accepted and acknowledged */
	peer_data(&p, p.their_tag, "right tag after wrong ones", true);
	snap_take(&b);
	cr_assert_eq(b.weng.data_in - a.weng.data_in, 1, "data_in +%" PRIu64,
		b.weng.data_in - a.weng.data_in);
	cr_assert_eq(b.weng.assocs_closed, a.weng.assocs_closed, "an association closed");
	assert_alive("wrong tags");
	peer_abort(&p);
}

/*
 * A packet with tag 0 that is not an INIT goes to control (steer.h); from a peer that has an
 * association, control hands it to the owning worker (ctrl.c init_input). It must be dropped
 * there once, not bounce between the two.
 */
Test(dp_badinput, vtag_zero_data_from_a_known_peer_is_dropped_once)
{
	struct snap a, b;
	struct peer p;
	uint64_t bounces;

	peer_init(&p, &B.peer4, 3100, DISCARD_PORT, 0x3100abc1u);
	peer_establish(&p);
	settle("handshake");
	run_for(QUIET_MS); /* control has learnt the owner (DP_MSG_ASSOC_UP) */
	tx_drain();
	snap_take(&a);
	peer_data(&p, 0, "tag 0", false);
	run_for(200);
	snap_take(&b);
	bounces = b.w.to_control - a.w.to_control;
	{
		char msg[2048] = "";

		moved(&a, &b, msg, sizeof(msg));
		cr_assert_leq(bounces, 1,
			"one DATA with tag 0 went to control %" PRIu64 " times in 200 ms "
			"(init_steered +%" PRIu64
			"): it circulates between control and the worker:%s",
			bounces, b.c.init_steered - a.c.init_steered, msg);
	}
	settle("tag 0 DATA");
	snap_take(&b);
	cr_assert_eq(b.weng.data_in, a.weng.data_in, "DATA with tag 0 was kept");
	cr_assert_eq(b.weng.drops[DPSCTP_DROP_BAD_VTAG] + b.ceng.drops[DPSCTP_DROP_BAD_VTAG] -
			     a.weng.drops[DPSCTP_DROP_BAD_VTAG] -
			     a.ceng.drops[DPSCTP_DROP_BAD_VTAG],
		1, "bad_vtag not counted once");
	expect_silence("DATA with tag 0");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 1, "the association did not survive");
	assert_alive("tag 0 DATA from a known peer");
	peer_abort(&p);
}

/*
 * RFC 9260 5.2.2: an INIT from the peer of an ESTABLISHED association (it restarted, or an
 * attacker guessed its address and port) gets an INIT ACK with the tie-tags, and the
 * association lives on. The INIT must reach the owning worker once.
 */
Test(dp_badinput, init_from_a_known_peer_is_answered_once)
{
	struct snap a, b;
	struct peer p;
	struct txf f;
	uint8_t s[256];
	uint64_t bounces;
	bool answered;

	peer_init(&p, &B.peer4, 3200, DISCARD_PORT, 0x3200abc1u);
	peer_establish(&p);
	settle("handshake");
	run_for(QUIET_MS);
	tx_drain();
	snap_take(&a);
	send_sctp(&p.addr, s, build_init(s, sizeof(s), p.sport, p.dport, 0x3200abc2u, 5));
	answered = wait_sctp(DPSCTP_CHUNK_INIT_ACK, 0x3200abc2u, 200, &f, NULL);
	run_for(100);
	snap_take(&b);
	bounces = b.w.to_control - a.w.to_control;
	{
		char msg[2048] = "";

		moved(&a, &b, msg, sizeof(msg));
		cr_assert_leq(bounces, 1,
			"one INIT went to control %" PRIu64 " times (init_steered +%" PRIu64
			"): it circulates between control and the worker:%s",
			bounces, b.c.init_steered - a.c.init_steered, msg);
		cr_assert(
			answered, "no INIT ACK to an INIT from the peer of an association:%s", msg);
	}
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 1, "the association did not survive");
	assert_alive("INIT from a known peer");
	peer_abort(&p);
}

/* ---- 4. IP fragments ---- */

Test(dp_badinput, ip_fragments_are_dropped)
{
	struct snap a, b;
	uint8_t s[256], l4[300], f[512];
	size_t n, fn;
	uint16_t v;

	settle("start");
	snap_take(&a);
	/* IPv4: More Fragments, an offset, both (each a fragment of a valid INIT) */
	for (v = 0; v < 3; v++) {
		fn = good_init_frame(f, sizeof(f), &B.peer4, (uint16_t)(4000 + v));
		dpsctp_put_be16(f + 20, v == 0 ? 0x2000 : v == 1 ? 0x0010 : 0x2010);
		ipv4_fix_csum(f);
		inject(f, fn);
	}
	/* IPv6 Fragment header: an offset, More Fragments */
	for (v = 0; v < 2; v++) {
		n = build_init(s, sizeof(s), (uint16_t)(4010 + v), DISCARD_PORT, 0x4010u + v, 1);
		l4[0] = DP_INET_PROTO_SCTP;
		l4[1] = 0;
		dpsctp_put_be16(l4 + 2, v == 0 ? (uint16_t)(16 << 3) : 0x0001);
		dpsctp_put_be32(l4 + 4, 0x0badf00du + v);
		memcpy(l4 + 8, s, n);
		inject(f, frame_ip(f, sizeof(f), &B.peer6, &B.us6, 44, l4, 8 + n));
	}
	settle("fragments");
	snap_take(&b);
	{
		const struct want w[] = {
			{K_INET, DP_INET_DROP_IPV4_FRAG, 3},
			{K_INET, DP_INET_DROP_IPV6_FRAG, 2},
		};

		expect_drops(&a, &b, w, RTE_DIM(w), "IP fragments");
	}
	expect_silence("IP fragments");

	/* RFC 6946: an atomic fragment (offset 0, M clear) is a whole packet */
	n = build_init(s, sizeof(s), 4020, DISCARD_PORT, 0x4020, 1);
	l4[0] = DP_INET_PROTO_SCTP;
	l4[1] = 0;
	dpsctp_put_be16(l4 + 2, 0);
	dpsctp_put_be32(l4 + 4, 0x600d);
	memcpy(l4 + 8, s, n);
	inject(f, frame_ip(f, sizeof(f), &B.peer6, &B.us6, 44, l4, 8 + n));
	{
		struct txf t;

		cr_assert(wait_sctp(DPSCTP_CHUNK_INIT_ACK, 0x4020, WAIT_MS, &t, NULL),
			"an INIT in an IPv6 atomic fragment got no INIT ACK");
		cr_assert_eq(t.in.kind, DP_INET_IPV6);
	}
	assert_alive("IP fragments");
}

/* ---- 5. INIT flood ---- */

static uint32_t
flood_tag(uint32_t i)
{
	return (i * 2654435761u) | 1;
}

static uint64_t
flood_lost(const struct snap *a, const struct snap *b)
{
	/* every place an INIT or its INIT ACK may be dropped for want of room */
	return (b->w.drops[DP_DROP_RING_FULL] - a->w.drops[DP_DROP_RING_FULL]) +
	       (b->w.drops[DP_DROP_NO_MBUF] - a->w.drops[DP_DROP_NO_MBUF]) +
	       (b->w.tx_dropped - a->w.tx_dropped) + (b->c.tx_ring_full - a->c.tx_ring_full) +
	       (b->ceng.drops[DPSCTP_DROP_QUEUE_FULL] - a->ceng.drops[DPSCTP_DROP_QUEUE_FULL]) +
	       (b->ceng.drops[DPSCTP_DROP_NO_MEMORY] - a->ceng.drops[DPSCTP_DROP_NO_MEMORY]);
}

Test(dp_badinput, init_flood_is_answered_without_state)
{
	enum { INITS = 20000, BASE_PORT = 1024, WINDOW = 512 };
	static uint8_t seen[INITS];
	struct snap a, b;
	struct txf t;
	uint8_t s[256];
	uint32_t sent = 0, answered = 0, dup = 0, wrong = 0;
	unsigned int in_use0, in_use;
	size_t heap0, heap;
	uint64_t end, t0;

	memset(seen, 0, sizeof(seen));
	settle("start");
	tx_drain();
	in_use0 = rte_mempool_in_use_count(B.s->pool);
	heap0 = mallinfo2().uordblks;
	snap_take(&a);
	t0 = now_ms();
	end = t0 + 60000;
	for (;;) {
		uint64_t lost;

		snap_take(&b);
		lost = flood_lost(&a, &b);
		/* keep at most WINDOW INITs in flight: the flood tests state, not ring sizes */
		while (sent < INITS && sent - answered - lost < WINDOW) {
			struct dpsctp_addr src;
			uint32_t i = sent++;

			addr4(&src, (uint8_t)(2 + i % NPEERS4));
			send_sctp(&src, s,
				build_init(s, sizeof(s), (uint16_t)(BASE_PORT + i), DISCARD_PORT,
					flood_tag(i), i));
		}
		(void)dpsctpd_ctrl_poll(B.c);
		while (tx_pop(&t)) {
			uint32_t i;

			if (!t.sctp || sctp_type(&t) != DPSCTP_CHUNK_INIT_ACK)
				continue;
			i = (uint32_t)dpsctp_get_be16(t.s + 2) - BASE_PORT;
			if (i >= INITS || sctp_vtag(&t) != flood_tag(i) ||
				t.in.dst.bytes[3] != 2 + i % NPEERS4 ||
				t.in.dst_mac[5] != 2 + i % NPEERS4) {
				wrong++;
				continue;
			}
			if (seen[i]++ != 0)
				dup++;
			else
				answered++;
		}
		if (sent == INITS && answered + lost >= INITS)
			break;
		if (now_ms() > end) {
			char msg[2048] = "";

			moved(&a, &b, msg, sizeof(msg));
			cr_assert_fail("INIT flood: %u sent, %u answered, %" PRIu64
				       " counted lost after 60 s:%s",
				sent, answered, lost, msg);
		}
	}
	settle("INIT flood");
	run_for(QUIET_MS);
	while (tx_pop(&t))
		if (t.sctp && sctp_type(&t) == DPSCTP_CHUNK_INIT_ACK)
			dup++;
	snap_take(&b);
	{
		char msg[2048] = "";

		moved(&a, &b, msg, sizeof(msg));
		cr_log_info("INIT flood: %u INITs in %" PRIu64 " ms: %u answered, %" PRIu64
			    " lost and counted;%s\n",
			INITS, now_ms() - t0, answered, flood_lost(&a, &b), msg);
		cr_assert_eq(wrong, 0, "%u INIT ACKs that answer no INIT we sent", wrong);
		cr_assert_eq(dup, 0, "%u INITs answered twice", dup);
		cr_assert_eq(answered + flood_lost(&a, &b), INITS,
			"%u INITs: %u answered + %" PRIu64 " counted lost:%s", INITS, answered,
			flood_lost(&a, &b), msg);
		cr_assert_eq(b.c.init_in - a.c.init_in, INITS, "control saw %" PRIu64 " INITs:%s",
			b.c.init_in - a.c.init_in, msg);
		cr_assert_eq(b.c.init_answered - a.c.init_answered, INITS,
			"control answered %" PRIu64 ":%s", b.c.init_answered - a.c.init_answered,
			msg);
	}
	{
		const struct want w[] = {
			{K_DP, DP_DROP_RING_FULL,
				b.w.drops[DP_DROP_RING_FULL] - a.w.drops[DP_DROP_RING_FULL]},
			{K_DP, DP_DROP_NO_MBUF,
				b.w.drops[DP_DROP_NO_MBUF] - a.w.drops[DP_DROP_NO_MBUF]},
			{K_TXDROP, 0, b.w.tx_dropped - a.w.tx_dropped},
			{K_TXFULL, 0, b.c.tx_ring_full - a.c.tx_ring_full},
			{K_CENG, DPSCTP_DROP_QUEUE_FULL,
				b.ceng.drops[DPSCTP_DROP_QUEUE_FULL] -
					a.ceng.drops[DPSCTP_DROP_QUEUE_FULL]},
			{K_CENG, DPSCTP_DROP_NO_MEMORY,
				b.ceng.drops[DPSCTP_DROP_NO_MEMORY] -
					a.ceng.drops[DPSCTP_DROP_NO_MEMORY]},
		};

		/* nothing dropped for another reason */
		expect_drops(&a, &b, w, RTE_DIM(w), "INIT flood");
	}
	/* no state per INIT: no association, every mbuf back, the heap as it was */
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0, "the flood left associations");
	end = now_ms() + WAIT_MS;
	while ((in_use = rte_mempool_in_use_count(B.s->pool)) != in_use0 && now_ms() < end) {
		(void)dpsctpd_ctrl_poll(B.c);
		tx_drain();
	}
	cr_assert_eq(
		in_use, in_use0, "mbufs in use: %u before the flood, %u after", in_use0, in_use);
	/*
	 * The TX ring left unread for 6000 more: it holds 4095, the rest must be counted as
	 * dropped by the port, and still nothing may stay behind.
	 */
	snap_take(&a);
	answered = 0;
	for (sent = 0; sent < 6000; sent++) {
		struct dpsctp_addr src;

		addr4(&src, (uint8_t)(2 + sent % NPEERS4));
		send_sctp(&src, s,
			build_init(s, sizeof(s), (uint16_t)(BASE_PORT + sent), DISCARD_PORT,
				flood_tag(sent), sent));
		if ((sent & 31) == 0)
			(void)dpsctpd_ctrl_poll(B.c);
	}
	settle("INIT flood, TX ring full");
	run_for(QUIET_MS);
	while (tx_pop(&t))
		if (t.sctp && sctp_type(&t) == DPSCTP_CHUNK_INIT_ACK)
			answered++;
	snap_take(&b);
	{
		char msg[2048] = "";

		moved(&a, &b, msg, sizeof(msg));
		cr_log_info("INIT flood, TX ring full: 6000 INITs: %u answered, %" PRIu64
			    " lost and counted;%s\n",
			answered, flood_lost(&a, &b), msg);
		cr_assert_eq(answered + flood_lost(&a, &b), 6000,
			"6000 INITs, TX ring full: %u answered + %" PRIu64 " counted lost:%s",
			answered, flood_lost(&a, &b), msg);
		cr_assert_gt(flood_lost(&a, &b), 0, "a full TX ring lost nothing?%s", msg);
	}
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0, "the flood left associations");
	end = now_ms() + WAIT_MS;
	while ((in_use = rte_mempool_in_use_count(B.s->pool)) != in_use0 && now_ms() < end) {
		(void)dpsctpd_ctrl_poll(B.c);
		tx_drain();
	}
	cr_assert_eq(
		in_use, in_use0, "mbufs in use: %u before the floods, %u after", in_use0, in_use);
	heap = mallinfo2().uordblks;
	/* 20000 INITs: any per-INIT state would be megabytes; allow the allocator its slack */
	cr_assert_lt(heap, heap0 + 256 * 1024,
		"heap in use grew by %zu bytes over %d INITs (%.1f per INIT)", heap - heap0, INITS,
		(double)(heap - heap0) / INITS);
	assert_alive("INIT flood");
}

/* ---- 6. forged cookies ---- */

Test(dp_badinput, forged_cookie_is_rejected_without_association)
{
	struct snap a, b;
	struct peer p;
	uint8_t s[1500], forged[1024];
	struct txf t;
	size_t n;

	peer_init(&p, &B.peer4, 6000, DISCARD_PORT, 0x6000abc1u);
	peer_get_cookie(&p);
	settle("INIT");
	tx_drain();
	snap_take(&a);

	/* the genuine cookie with one bit flipped in the middle (its MAC no longer matches) */
	memcpy(forged, p.cookie, p.cookie_len);
	forged[p.cookie_len / 2] ^= 0x04;
	send_sctp(&p.addr, s,
		build_cookie_echo(
			s, sizeof(s), p.sport, p.dport, p.their_tag, forged, p.cookie_len));
	/* and with its last byte flipped (inside the MAC itself) */
	memcpy(forged, p.cookie, p.cookie_len);
	forged[p.cookie_len - 1] ^= 0x80;
	send_sctp(&p.addr, s,
		build_cookie_echo(
			s, sizeof(s), p.sport, p.dport, p.their_tag, forged, p.cookie_len));
	/* random bytes of the same length */
	rng = 0x636f6f6b69657321ull;
	rnd_fill(forged, p.cookie_len);
	send_sctp(&p.addr, s,
		build_cookie_echo(
			s, sizeof(s), p.sport, p.dport, p.their_tag, forged, p.cookie_len));
	/* truncated, and empty */
	send_sctp(&p.addr, s,
		build_cookie_echo(
			s, sizeof(s), p.sport, p.dport, p.their_tag, p.cookie, p.cookie_len - 1));
	send_sctp(&p.addr, s,
		build_cookie_echo(s, sizeof(s), p.sport, p.dport, p.their_tag, p.cookie, 0));
	/* the genuine cookie from another source port: not the one it was made for */
	send_sctp(&p.addr, s,
		build_cookie_echo(
			s, sizeof(s), p.sport + 1, p.dport, p.their_tag, p.cookie, p.cookie_len));
	/* the genuine cookie under another tag: 5.1.5 step 3 */
	send_sctp(&p.addr, s,
		build_cookie_echo(s, sizeof(s), p.sport, p.dport, p.their_tag ^ 0x01000000u,
			p.cookie, p.cookie_len));
	settle("forged cookies");
	snap_take(&b);
	{
		const struct want w[] = {
			{K_DP, DP_DROP_ENGINE, 7},
			{K_WENG, DPSCTP_DROP_BAD_COOKIE, 6},
			{K_WENG, DPSCTP_DROP_BAD_VTAG, 1},
		};

		expect_drops(&a, &b, w, RTE_DIM(w), "forged cookies");
	}
	cr_assert_eq(b.weng.assocs_established, a.weng.assocs_established,
		"a forged cookie established an association");
	expect_silence("forged cookies");
	cr_assert_eq(dpsctpd_ctrl_assoc_count(B.c), 0, "a forged cookie made an association");

	/* the genuine one still works after all that */
	n = build_cookie_echo(s, sizeof(s), p.sport, p.dport, p.their_tag, p.cookie, p.cookie_len);
	send_sctp(&p.addr, s, n);
	cr_assert(wait_sctp(DPSCTP_CHUNK_COOKIE_ACK, p.my_tag, WAIT_MS, &t, NULL),
		"the genuine cookie got no COOKIE ACK after the forged ones");
	cr_assert_eq(assoc_count_when(1), 1);
	assert_alive("forged cookies");
	peer_abort(&p);
}
