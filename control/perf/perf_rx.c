/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker receive capacity of dpsctpd: how many DATA packets one worker lcore takes in, runs
 * through its whole path (RX burst, L2/L3 parse, software CRC32c, steering, engine, delivery to
 * the discard service, SACK built, encapsulated with its CRC32c and sent) per second.
 *
 * One process, EAL with --no-huge --no-shconf --no-pci (DPDK 22.11 refuses --in-memory with
 * --no-huge, which implies legacy memory), lcores 0@0 and 1@1. One port made by
 * rte_eth_from_rings(): an RX ring this program fills and a TX ring it drains. The stack comes
 * from a YAML string (dpsctpd_config_parse, dpsctpd_stack_build) with a discard service on port
 * 9 and one worker on lcore 1. The main lcore (0) is the control lcore, polled every millisecond,
 * and the generator: it plays the peer 198.18.0.2 by hand (INIT, INIT ACK, COOKIE ECHO, COOKIE
 * ACK for every association, distinct source ports), then keeps the RX ring full of valid
 * single-chunk DATA packets, round robin over the associations, consecutive TSNs and SSNs, each
 * built from a template (TSN, SSN, port, tag patched, CRC32c computed). It reads the SACKs from
 * the TX ring (cumulative TSN and a_rwnd: no association is fed beyond the window it advertised)
 * and gives them back to the stack's pool.
 *
 * As a NIC would: the DATA mbufs come from a pool of their own, of which the generator writes
 * the frame and the first header line only, and the SACK mbufs go back to the stack's pool
 * without their headers being read here (--shared-pool: DATA from the stack's pool, SACKs freed
 * with rte_pktmbuf_free, so that every buffer travels between the two cores). Still, every
 * frame and its first header line were last written by the other core, as after a NIC's DMA.
 *
 * Figures come from the worker's own counters (rx_packets, the engine's data_in and sacks_out),
 * not from what was enqueued. The worker spins, so its cycles over the run are seconds x TSC Hz;
 * cycles/packet = that / packets. Because a shared machine may take the CPU from either thread,
 * the threads' on-CPU times are read from /proc (schedstat) and cycles/packet is also given over
 * the worker's CPU time, and over its busy time: CPU time minus its idle loops at the cost of an
 * idle loop measured before the run (an estimate; "worker busy" is that share). The rate is also
 * given per slice of 0.25 s (worst, median, best): a busy host shows as uneven slices. After the
 * run the generator stops feeding and waits for the last SACKs: every association must then be
 * acknowledged up to the last TSN it was sent, and the drop counters must be zero.
 *
 * This is dpsctp-perf's rx mode (perf_rx_main with a struct perf_result: per-second lines unless
 * --quiet, the figures handed back for the summary, CSV and JSON) and the whole of bench_rx
 * (tests/bench/bench_rx.c calls perf_rx_main with its own command line and no result).
 *
 * Usage: bench_rx [--assocs N] [--size BYTES] [--seconds S] [--csv FILE] [--shared-pool]
 *		   [--quiet] [-- EAL args]
 *   --assocs N   associations (default 64)
 *   --size B     payload bytes per DATA chunk (default 100)
 *   --seconds S  measured time (default 5; after 0.2 s idle and 0.5 s of warm-up)
 *   --csv FILE   append one line of results to FILE (a header first when it is empty)
 * The generator spins on its own CPU: on a 2-CPU machine nothing is left for anything else.
 * The last line, "RESULT key=value ...", is for scripts (scripts/bench-rx.sh).
 * Benchmarks print figures; they never assert on time.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "chunk.h"
#include "config.h"
#include "crc32c.h"
#include "ctrl.h"
#include "engine.h"
#include "inet.h"
#include "packet.h"
#include "perf.h"
#include "setup.h"
#include "worker.h"

#define RX_RING_SIZE 1024  /* like the default rx_desc of a port */
#define TX_RING_SIZE 16384 /* SACKs, and the SHUTDOWNs/ABORTs of the end, while not drained */
#define GEN_BURST 64
/*
 * DATA buffers: the RX ring, both lcores' caches and what is being built. More would only
 * spread the same traffic over more memory: a NIC's RX ring recycles about its own size of
 * buffers, hot in the worker's cache.
 */
#define GEN_MBUFS 4095
#define SPORT_BASE 10000 /* the peer's port of association i is SPORT_BASE + i */
#define SVC_PORT 9       /* the discard service */
#define MAX_ASSOCS 16384
#define HDR_LEN 34 /* Ethernet + IPv4 */
#define IDLE_S 0.2 /* the worker idles: the cost of an empty loop */
#define WARMUP_S 0.5
#define SLICE_S 0.25
#define MAX_SLICES 14400
#define SETTLE_S 0.4 /* > the 200 ms delayed SACK: the last odd packet gets its SACK */

static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};

static const char cfg_yaml[] =
	"lcores: {control: 0, workers: [1]}\n"
	/* a NIC's steady state: a few thousand buffers in use, not 16k going round */
	"mempool: {mbufs: 4095, cache: 256, data_room: 1536}\n"
	"ports:\n"
	"  - name: ring0\n"
	"    device: net_ring_bench\n" /* not probed: the port comes from rte_eth_from_rings */
	"    mac: \"02:00:00:00:00:01\"\n"
	"    addresses: [\"198.18.0.1/24\"]\n"
	"    neighbours: [{ip: 198.18.0.2, mac: \"02:00:00:00:00:02\"}]\n"
	"loopback: []\n"
	/* no keep-alive: nobody would answer the heartbeats of a long run */
	"protocol: {hb_interval_ms: 0, sack_freq: 2}\n"
	"services:\n"
	"  - {type: discard, port: 9}\n";

/* One association, as the peer (this program) sees it. */
struct bench_assoc {
	uint32_t vtag;     /* the stack's tag: it goes in our packets */
	uint32_t peer_tag; /* ours: the stack's packets carry it */
	uint32_t next_tsn; /* of the next DATA chunk */
	uint32_t cum_ack;  /* from the SACKs */
	uint32_t a_rwnd;   /* from the last SACK (or the INIT ACK) */
	uint16_t sport;
	uint16_t ssn;
};

struct bench {
	struct dp_stack *s;
	struct dpsctpd_ctrl *ctrl;
	struct dp_worker *w;
	struct rte_ring *rx, *tx;     /* as the port sees them: rx is what it receives */
	struct rte_mempool *gen_pool; /* the DATA packets' mbufs (a NIC's RX pool) */
	bool shared_pool; /* --shared-pool: DATA from the stack's pool, SACKs freed whole */
	uint16_t port_id;
	uint8_t our_mac[6]; /* the stack's */
	struct dpsctp_addr our_ip, peer_ip;
	struct bench_assoc *a;
	unsigned int nassocs;
	size_t size;     /* payload bytes */
	size_t sctp_len; /* SCTP packet of one DATA chunk */
	size_t frame_len;
	uint8_t tmpl[2048];   /* a DATA frame; ports, tag, TSN, SSN, CRC patched per packet */
	char worker_stat[64]; /* /proc/self/task/<tid>/schedstat of the worker thread */
	uint64_t last_poll;   /* TSC of the last control poll */
	uint64_t poll_tsc;
	/* what the generator saw */
	uint64_t sent, sacks, sack_gaps, sack_dups, other_frames, ring_full, window_waits;
	uint64_t alloc_fail;
};

/* The worker's and its engine's counters at one instant. */
struct snap {
	uint64_t tsc;
	uint64_t worker_cpu_ns;  /* time the worker's thread was on a CPU (schedstat) */
	uint64_t worker_wait_ns; /* time it waited for one */
	uint64_t gen_cpu_ns;     /* the same for this thread, the generator */
	uint64_t gen_wait_ns;
	struct dp_worker_stats st;
	struct dpsctp_stats es;
};

/* ---- frames ---- */

/* An mbuf holding Ethernet + IPv4 from the peer to us around the SCTP packet @p sctp. */
static struct rte_mbuf *
frame_mbuf(struct bench *b, const uint8_t *sctp, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(b->gen_pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(HDR_LEN + len));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	dp_inet_build(p, HDR_LEN, peer_mac, b->our_mac, &b->peer_ip, &b->our_ip, DP_INET_PROTO_SCTP,
		len, 0);
	memcpy(p + HDR_LEN, sctp, len);
	dpsctp_packet_set_checksum(p + HDR_LEN, 0);
	dpsctp_packet_set_checksum(p + HDR_LEN, dpsctp_crc32c(p + HDR_LEN, len));
	m->port = b->port_id;
	return m;
}

static void
poll_ctrl(struct bench *b, uint64_t now)
{
	if (now - b->last_poll >= b->poll_tsc) {
		(void)dpsctpd_ctrl_poll(b->ctrl);
		b->last_poll = now;
	}
}

/* Hand one frame to the port (set-up only: it waits for room). */
static int
inject(struct bench *b, const uint8_t *sctp, size_t len)
{
	struct rte_mbuf *m = frame_mbuf(b, sctp, len);

	if (m == NULL)
		return -ENOMEM;
	while (rte_ring_sp_enqueue(b->rx, m) != 0)
		(void)dpsctpd_ctrl_poll(b->ctrl);
	return 0;
}

/*
 * The SCTP packet of a frame the stack sent, when it is one: NULL for ARP and the like.
 * Fixed offsets: the stack sends IPv4 without options to us (dp_inet_build).
 */
static const uint8_t *
sctp_of(struct rte_mbuf *m, size_t *len)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t ip_len;

	if (m->data_len < HDR_LEN + 16 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 ||
		f[23] != DP_INET_PROTO_SCTP)
		return NULL;
	ip_len = (size_t)f[16] << 8 | f[17];
	if (ip_len < 20 + 16 || ip_len + 14 > m->data_len)
		return NULL;
	*len = ip_len - 20;
	return f + HDR_LEN;
}

/*
 * Set-up: poll control and the TX ring until the stack sends a packet with tag @p vtag to
 * @p dport whose first chunk is of @p type; copy the SCTP packet to @p out. Anything else
 * (gratuitous ARP, answers for other associations) is dropped.
 */
static int
await_chunk(struct bench *b, uint16_t dport, uint32_t vtag, uint8_t type, uint8_t *out, size_t cap,
	size_t *out_len)
{
	uint64_t deadline = rte_rdtsc() + 2 * rte_get_tsc_hz();
	struct rte_mbuf *ms[32];
	bool found = false;

	while (!found) {
		unsigned int n, i;

		if (rte_rdtsc() > deadline)
			return -ETIMEDOUT;
		(void)dpsctpd_ctrl_poll(b->ctrl);
		n = rte_ring_sc_dequeue_burst(b->tx, (void **)ms, RTE_DIM(ms), NULL);
		for (i = 0; i < n; i++) {
			size_t len = 0;
			const uint8_t *sctp = sctp_of(ms[i], &len);

			if (!found && sctp != NULL && len >= 16 && len <= cap &&
				dpsctp_get_be16(sctp + 2) == dport &&
				dpsctp_get_be32(sctp + 4) == vtag && sctp[12] == type) {
				memcpy(out, sctp, len);
				*out_len = len;
				found = true;
			}
			rte_pktmbuf_free(ms[i]);
		}
	}
	return 0;
}

/* INIT, INIT ACK, COOKIE ECHO, COOKIE ACK for association @p i. */
static int
handshake(struct bench *b, unsigned int i)
{
	struct bench_assoc *a = &b->a[i];
	struct dpsctp_init init = {
		.init_tag = 0x51000000u + i + 1,
		.a_rwnd = 1u << 20,
		.os = 1,
		.mis = 1,
		.initial_tsn = 0xfffff000u + 7 * i, /* wraps during the run */
	};
	const uint8_t *p, *end;
	struct dpsctp_chunk c;
	struct dpsctp_init ack;
	struct dpsctp_cookie_echo ce = {NULL, 0};
	struct dpsctp_wbuf w;
	uint8_t pkt[2048], in[2048];
	size_t mark, len;
	int rc;

	a->sport = (uint16_t)(SPORT_BASE + i);
	a->peer_tag = init.init_tag;
	dpsctp_wbuf_init(&w, pkt, sizeof(pkt));
	if (dpsctp_common_hdr_build(&w, a->sport, SVC_PORT, 0) != 0 ||
		dpsctp_init_begin(&w, &init, &mark) != 0 || dpsctp_chunk_end(&w, mark) != 0)
		return -ENOSPC;
	rc = inject(b, pkt, w.len);
	if (rc == 0)
		rc = await_chunk(
			b, a->sport, a->peer_tag, DPSCTP_CHUNK_INIT_ACK, in, sizeof(in), &len);
	if (rc != 0)
		return rc;
	p = in + 12;
	end = in + len;
	if (dpsctp_chunk_next(&p, end, &c) != 1 || dpsctp_init_ack_decode(&c, &ack) != 0)
		return -EBADMSG;
	p = ack.params;
	end = ack.params + ack.params_len;
	for (;;) {
		struct dpsctp_tlv t;

		if (dpsctp_tlv_next(&p, end, &t) != 1)
			break;
		if (t.type == DPSCTP_PARAM_STATE_COOKIE) {
			ce.cookie = t.value;
			ce.cookie_len = dpsctp_tlv_value_len(&t);
		}
	}
	if (ce.cookie == NULL)
		return -EBADMSG;
	a->vtag = ack.init_tag;
	a->a_rwnd = ack.a_rwnd;
	a->next_tsn = init.initial_tsn;
	a->cum_ack = init.initial_tsn - 1;
	a->ssn = 0;
	dpsctp_wbuf_init(&w, pkt, sizeof(pkt));
	if (dpsctp_common_hdr_build(&w, a->sport, SVC_PORT, a->vtag) != 0 ||
		dpsctp_cookie_echo_build(&w, &ce) != 0)
		return -ENOSPC;
	rc = inject(b, pkt, w.len);
	if (rc == 0)
		rc = await_chunk(
			b, a->sport, a->peer_tag, DPSCTP_CHUNK_COOKIE_ACK, in, sizeof(in), &len);
	return rc;
}

/* The DATA frame every packet starts from; per packet: port, tag, TSN, SSN, CRC32c. */
static int
build_template(struct bench *b)
{
	struct dpsctp_wbuf w;
	uint8_t *payload = malloc(b->size);
	struct dpsctp_data d = {
		.flags = DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E,
		.sid = 0,
		.ppid = 0,
		.payload = payload,
		.payload_len = b->size,
	};
	size_t k;
	int rc;

	if (payload == NULL)
		return -ENOMEM;
	for (k = 0; k < b->size; k++)
		payload[k] = (uint8_t)(k * 7 + 1);
	dpsctp_wbuf_init(&w, b->tmpl + HDR_LEN, sizeof(b->tmpl) - HDR_LEN);
	rc = dpsctp_common_hdr_build(&w, 0, SVC_PORT, 0);
	if (rc == 0)
		rc = dpsctp_data_build(&w, &d);
	if (rc == 0)
		rc = dpsctp_wbuf_pad4(&w);
	free(payload);
	if (rc != 0)
		return rc;
	b->sctp_len = w.len;
	b->frame_len = HDR_LEN + w.len;
	dp_inet_build(b->tmpl, HDR_LEN, peer_mac, b->our_mac, &b->peer_ip, &b->our_ip,
		DP_INET_PROTO_SCTP, b->sctp_len, 0);
	return 0;
}

/* ---- the run ---- */

static inline bool
tsn_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* The SACKs (and whatever else) the stack sent: read, then freed. */
static void
drain_tx(struct bench *b)
{
	struct rte_mbuf *ms[GEN_BURST];
	unsigned int n, i;

	n = rte_ring_sc_dequeue_burst(b->tx, (void **)ms, RTE_DIM(ms), NULL);
	for (i = 0; i < n; i++) {
		size_t len = 0;
		const uint8_t *sctp = sctp_of(ms[i], &len);
		unsigned int idx;

		if (sctp == NULL || len < 12 + 16 || sctp[12] != DPSCTP_CHUNK_SACK) {
			b->other_frames++;
			continue;
		}
		idx = (unsigned int)(dpsctp_get_be16(sctp + 2) - SPORT_BASE);
		b->sacks++;
		if (dpsctp_get_be16(sctp + 24) != 0)
			b->sack_gaps++;
		if (dpsctp_get_be16(sctp + 26) != 0)
			b->sack_dups++;
		if (idx < b->nassocs) {
			struct bench_assoc *a = &b->a[idx];
			uint32_t cum = dpsctp_get_be32(sctp + 16);

			if (tsn_gt(cum, a->cum_ack) || cum == a->cum_ack) {
				a->cum_ack = cum;
				a->a_rwnd = dpsctp_get_be32(sctp + 20);
			}
		}
	}
	if (n == 0)
		return;
	if (b->shared_pool)
		rte_pktmbuf_free_bulk(ms, n);
	else
		/*
		 * The worker sends single-segment mbufs of its own pool, never shared (what a PMD
		 * with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE assumes): back to the pool without reading
		 * their headers, which stay in the worker's cache as a NIC would leave them.
		 */
		rte_mempool_put_bulk(b->s->pool, (void **)ms, n);
}

/* Room in the peer's window for one more chunk of association @p a (RFC 9260 6.1 B)? */
static inline bool
window_open(const struct bench *b, const struct bench_assoc *a)
{
	uint64_t outstanding = (uint32_t)(a->next_tsn - 1 - a->cum_ack);

	return (outstanding + 1) * b->size <= a->a_rwnd;
}

/* Top up the RX ring, round robin over the associations. */
static void
feed(struct bench *b, unsigned int *rr)
{
	struct rte_mbuf *ms[GEN_BURST];
	unsigned int room = rte_ring_free_count(b->rx), n, i, tries;

	if (room == 0) {
		b->ring_full++;
		return;
	}
	n = room < GEN_BURST ? room : GEN_BURST;
	/*
	 * Raw mbufs (refcnt 1, one segment, no next: how the worker freed them), of which only the
	 * first header line is written, as a NIC's PMD would: the rest of the header is not
	 * dragged to this core and back for every packet.
	 */
	if (rte_mempool_get_bulk(b->gen_pool, (void **)ms, n) != 0) {
		b->alloc_fail++;
		return;
	}
	for (i = 0; i < n; i++) {
		struct bench_assoc *a = NULL;
		uint8_t *f, *sctp;

		for (tries = 0; tries < b->nassocs; tries++) {
			struct bench_assoc *c = &b->a[*rr];

			*rr = *rr + 1 == b->nassocs ? 0 : *rr + 1;
			if (window_open(b, c)) {
				a = c;
				break;
			}
		}
		if (a == NULL) {
			b->window_waits++;
			break;
		}
		ms[i]->data_off = RTE_PKTMBUF_HEADROOM;
		f = rte_pktmbuf_mtod(ms[i], uint8_t *);
		memcpy(f, b->tmpl, b->frame_len);
		sctp = f + HDR_LEN;
		dpsctp_put_be16(sctp, a->sport);
		dpsctp_put_be32(sctp + 4, a->vtag);
		dpsctp_put_be32(sctp + 16, a->next_tsn++);
		dpsctp_put_be16(sctp + 22, a->ssn++);
		dpsctp_packet_set_checksum(sctp, dpsctp_crc32c(sctp, b->sctp_len));
		ms[i]->ol_flags = 0; /* the worker marked the CRC checked last time */
		ms[i]->data_len = (uint16_t)b->frame_len;
		ms[i]->pkt_len = (uint32_t)b->frame_len;
		ms[i]->port = b->port_id;
	}
	if (i < n)
		rte_mempool_put_bulk(b->gen_pool, (void **)(ms + i), n - i);
	if (i != 0 && rte_ring_sp_enqueue_bulk(b->rx, (void **)ms, i, NULL) == 0) {
		/* cannot happen: only this lcore enqueues and there was room */
		rte_mempool_put_bulk(b->gen_pool, (void **)ms, i);
		return;
	}
	b->sent += i;
}

/* The worker lcore's thread, by the name EAL gives it. */
static void
find_worker_thread(struct bench *b)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	b->worker_stat[0] = '\0';
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
			(strcmp(comm, "rte-worker-1\n") == 0 ||
				strcmp(comm, "lcore-worker-1\n") == 0))
			snprintf(b->worker_stat, sizeof(b->worker_stat),
				"/proc/self/task/%.20s/schedstat", e->d_name);
		fclose(f);
	}
	closedir(d);
}

/* On-CPU and run-queue wait ns of a thread (/proc/.../schedstat); zeros when unknown. */
static void
read_schedstat(const char *path, uint64_t *cpu_ns, uint64_t *wait_ns)
{
	unsigned long long c = 0, w = 0;
	FILE *f = path[0] != '\0' ? fopen(path, "r") : NULL;

	if (f != NULL) {
		if (fscanf(f, "%llu %llu", &c, &w) != 2)
			c = w = 0;
		fclose(f);
	}
	*cpu_ns = c;
	*wait_ns = w;
}

static void
take_snap(struct bench *b, struct snap *sn)
{
	const uint64_t *src = (const uint64_t *)&b->w->st;
	uint64_t *dst = (uint64_t *)&sn->st;
	size_t k;

	sn->tsc = rte_rdtsc();
	for (k = 0; k < sizeof(sn->st) / sizeof(uint64_t); k++)
		dst[k] = __atomic_load_n(&src[k], __ATOMIC_RELAXED);
	memset(&sn->es, 0, sizeof(sn->es));
	dp_worker_engine_stats(b->w, &sn->es);
	read_schedstat(b->worker_stat, &sn->worker_cpu_ns, &sn->worker_wait_ns);
	read_schedstat("/proc/thread-self/schedstat", &sn->gen_cpu_ns, &sn->gen_wait_ns);
}

/* Generate until the TSC passes @p until_tsc (0: do not feed, only drain and poll). */
static void
run_until(struct bench *b, uint64_t until_tsc, bool feeding, unsigned int *rr)
{
	uint64_t now;

	while ((now = rte_rdtsc()) < until_tsc) {
		if (feeding)
			feed(b, rr);
		drain_tx(b);
		poll_ctrl(b, now);
	}
}

/* ---- report ---- */

struct result {
	double secs;         /* measured wall time */
	double hz;           /* TSC */
	uint64_t rx;         /* packets the worker received */
	double pps;          /* rx / secs */
	double data_pps;     /* engine data_in / secs */
	double sack_ps;      /* engine sacks_out / secs */
	double cpp;          /* wall TSC cycles / packet (the worker spins) */
	double busy_pct;     /* loops that found work (idle loops are much shorter) */
	double busy_time;    /* share of the worker's CPU time spent on work (estimate) */
	double idle_loop_ns; /* what an empty loop of the worker costs */
	double worker_cpu;   /* share of the wall time the worker's thread was on a CPU */
	double gen_cpu;      /* the same for the generator */
	double cpp_cpu;      /* cycles / packet counting only the worker's time on a CPU */
	double cpp_busy;     /* ... minus its idle loops: the cost of a packet (estimate) */
	uint64_t drops;
	unsigned int short_assocs; /* not acknowledged up to their last TSN */
	/* the run in slices of SLICE_S: a busy host shows as uneven slices */
	double slice_best, slice_median, slice_worst; /* pps */
	unsigned int nslices;
};

static uint64_t
drops_total(const struct snap *a, const struct snap *z, bool print)
{
	uint64_t total = 0, d;
	unsigned int k;

	for (k = 0; k < DP_DROP_COUNT; k++) {
		d = z->st.drops[k] - a->st.drops[k];
		if (d != 0 && print)
			printf("  worker drop %s: %" PRIu64 "\n", dp_drop_name((enum dp_drop)k), d);
		total += d;
	}
	for (k = 1; k < DP_INET_DROP_COUNT; k++) {
		d = z->st.inet_drops[k] - a->st.inet_drops[k];
		if (d != 0 && print)
			printf("  worker inet drop %s: %" PRIu64 "\n", dp_inet_drop_name((int)k),
				d);
		total += d;
	}
	d = z->st.tx_dropped - a->st.tx_dropped;
	if (d != 0 && print)
		printf("  worker tx_dropped (TX ring full): %" PRIu64 "\n", d);
	total += d;
	for (k = 0; k < DPSCTP_DROP_COUNT; k++) {
		d = z->es.drops[k] - a->es.drops[k];
		if (d != 0 && print)
			printf("  engine drop %s: %" PRIu64 "\n",
				dpsctp_drop_name((enum dpsctp_drop)k), d);
		total += d;
	}
	return total;
}

static void
compute(const struct snap *s0, const struct snap *s1, double idle_loop_ns, struct result *r)
{
	uint64_t loops = s1->st.loops - s0->st.loops;
	uint64_t busy = s1->st.busy_loops - s0->st.busy_loops;
	double wall_ns, cpu_ns, busy_ns;

	r->hz = (double)rte_get_tsc_hz();
	r->secs = (double)(s1->tsc - s0->tsc) / r->hz;
	wall_ns = r->secs * 1e9;
	r->rx = s1->st.rx_packets - s0->st.rx_packets;
	r->pps = (double)r->rx / r->secs;
	r->data_pps = (double)(s1->es.data_in - s0->es.data_in) / r->secs;
	r->sack_ps = (double)(s1->es.sacks_out - s0->es.sacks_out) / r->secs;
	r->cpp = r->rx != 0 ? (double)(s1->tsc - s0->tsc) / (double)r->rx : 0;
	r->busy_pct = loops != 0 ? 100.0 * (double)busy / (double)loops : 0;
	cpu_ns = (double)(s1->worker_cpu_ns - s0->worker_cpu_ns);
	r->worker_cpu = cpu_ns / wall_ns;
	r->gen_cpu = (double)(s1->gen_cpu_ns - s0->gen_cpu_ns) / wall_ns;
	r->cpp_cpu = r->rx != 0 ? cpu_ns * r->hz / 1e9 / (double)r->rx : 0;
	busy_ns = cpu_ns - (double)(loops - busy) * idle_loop_ns;
	if (busy_ns < 0)
		busy_ns = 0;
	r->idle_loop_ns = idle_loop_ns;
	r->busy_time = cpu_ns > 0 ? busy_ns / cpu_ns : 0;
	r->cpp_busy = r->rx != 0 ? busy_ns * r->hz / 1e9 / (double)r->rx : 0;
	r->drops = drops_total(s0, s1, false);
}

static void
print_result(
	const struct bench *b, const struct snap *s0, const struct snap *s1, const struct result *r)
{
	printf("bench_rx: one dpsctpd worker (lcore 1) receiving %zu-byte DATA chunks "
	       "(%zu-byte frames) on %u associations, %.2f s, TSC %.0f MHz\n",
		b->size, b->frame_len, b->nassocs, r->secs, r->hz / 1e6);
	printf("generator and control on lcore 0, spinning too: this needs 2 free CPUs\n\n");
	printf("| assocs | payload | rx Mpps | data_in Mpps | cycles/packet | ns/packet | "
	       "SACKs/s | SACKs/packet | worker busy | drops |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	printf("| %u | %zu B | %.3f | %.3f | %.0f | %.1f | %.0f | %.3f | %.1f%% | %" PRIu64
	       " |\n\n",
		b->nassocs, b->size, r->pps / 1e6, r->data_pps / 1e6, r->cpp,
		r->pps > 0 ? 1e9 / r->pps : 0.0, r->sack_ps, r->pps > 0 ? r->sack_ps / r->pps : 0.0,
		100 * r->busy_time, r->drops);
	printf("worker: rx %" PRIu64 " packets, tx %" PRIu64 " packets, %" PRIu64 " loops (%" PRIu64
	       " busy); engine: %" PRIu64 " DATA kept, %" PRIu64 " duplicates, %" PRIu64
	       " SACKs, %" PRIu64 " messages delivered\n",
		r->rx, s1->st.tx_packets - s0->st.tx_packets, s1->st.loops - s0->st.loops,
		s1->st.busy_loops - s0->st.busy_loops, s1->es.data_in - s0->es.data_in,
		s1->es.data_dup - s0->es.data_dup, s1->es.sacks_out - s0->es.sacks_out,
		s1->es.msgs_delivered - s0->es.msgs_delivered);
	if (b->worker_stat[0] != '\0')
		printf("on a CPU (schedstat): worker %.1f%%, generator %.1f%% of the time; "
		       "cycles/packet counting the worker's CPU time only: %.0f, and without its "
		       "idle loops (%.1f ns each): %.0f; worker busy: %.1f%% of its loops, %.1f%% "
		       "of "
		       "its time\n",
			100 * r->worker_cpu, 100 * r->gen_cpu, r->cpp_cpu, r->idle_loop_ns,
			r->cpp_busy, r->busy_pct, 100 * r->busy_time);
	printf("rate over %u slices of %.2f s: worst %.3f, median %.3f, best %.3f Mpps\n",
		r->nslices, SLICE_S, r->slice_worst / 1e6, r->slice_median / 1e6,
		r->slice_best / 1e6);
	printf("generator (whole run): %" PRIu64 " DATA packets sent, %" PRIu64
	       " SACKs read (%" PRIu64 " with gaps, %" PRIu64 " with duplicates), %" PRIu64
	       " other frames; RX ring found full %" PRIu64 " times, window closed %" PRIu64
	       " times, mbuf pool empty %" PRIu64 " times\n",
		b->sent, b->sacks, b->sack_gaps, b->sack_dups, b->other_frames, b->ring_full,
		b->window_waits, b->alloc_fail);
	if (r->drops != 0) {
		printf("drops during the measurement:\n");
		(void)drops_total(s0, s1, true);
	}
	if (r->short_assocs != 0)
		printf("WARNING: %u associations not acknowledged up to their last TSN\n",
			r->short_assocs);
	else
		printf("every association acknowledged up to its last TSN\n");
	if (b->worker_stat[0] != '\0' && (r->worker_cpu < 0.95 || r->gen_cpu < 0.95))
		printf("WARNING: the machine is busy: the worker had a CPU %.0f%% of the time, the "
		       "generator %.0f%%; the wall-time figures are low, the CPU-time ones hold\n",
			100 * r->worker_cpu, 100 * r->gen_cpu);
	else if (r->busy_time < 0.9)
		printf("WARNING: the worker was idle %.0f%% of its time: the generator (or the "
		       "window) set the pace, not the worker\n",
			100.0 * (1 - r->busy_time));
	printf("RESULT assocs=%u size=%zu frame=%zu seconds=%.3f rx_pps=%.0f data_in_pps=%.0f "
	       "cycles_per_packet=%.1f cpu_cycles_per_packet=%.1f busy_cycles_per_packet=%.1f "
	       "sacks_per_s=%.0f busy_loops_pct=%.1f busy_time_pct=%.1f worker_cpu_pct=%.1f "
	       "gen_cpu_pct=%.1f slice_worst_pps=%.0f slice_median_pps=%.0f slice_best_pps=%.0f "
	       "drops=%" PRIu64 " all_acked=%s\n",
		b->nassocs, b->size, b->frame_len, r->secs, r->pps, r->data_pps, r->cpp, r->cpp_cpu,
		r->cpp_busy, r->sack_ps, r->busy_pct, 100 * r->busy_time, 100 * r->worker_cpu,
		100 * r->gen_cpu, r->slice_worst, r->slice_median, r->slice_best, r->drops,
		r->short_assocs == 0 ? "yes" : "no");
	fflush(stdout);
}

static int
write_csv(const char *path, const struct bench *b, const struct result *r)
{
	FILE *f = fopen(path, "a+");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0)
		fprintf(f, "assocs,size,frame_bytes,seconds,rx_pps,data_in_per_s,cycles_per_packet,"
			   "ns_per_packet,cpu_cycles_per_packet,busy_cycles_per_packet,sacks_per_s,"
			   "sacks_per_packet,busy_loops_pct,busy_time_pct,worker_cpu_pct,"
			   "generator_cpu_pct,drops,all_acked\n");
	fprintf(f,
		"%u,%zu,%zu,%.3f,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%.0f,%.3f,%.1f,%.1f,%.1f,%.1f,"
		"%" PRIu64 ",%s\n",
		b->nassocs, b->size, b->frame_len, r->secs, r->pps, r->data_pps, r->cpp,
		r->pps > 0 ? 1e9 / r->pps : 0.0, r->cpp_cpu, r->cpp_busy, r->sack_ps,
		r->pps > 0 ? r->sack_ps / r->pps : 0.0, r->busy_pct, 100 * r->busy_time,
		100 * r->worker_cpu, 100 * r->gen_cpu, r->drops,
		r->short_assocs == 0 ? "yes" : "no");
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* ---- main ---- */

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--assocs N] [--size BYTES] [--seconds S] [--csv FILE] [--shared-pool] "
		"[--quiet] [-- EAL args]\n",
		prog);
}

static bool
parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Set up the associations; @return 0 or -1 (said why). */
static int
associate(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->nassocs; i++) {
		int rc = handshake(b, i);

		if (rc != 0) {
			fprintf(stderr, "bench_rx: association %u: handshake failed (%s)\n", i,
				strerror(-rc));
			return -1;
		}
	}
	/* control learns of them through the worker's messages */
	for (i = 0; i < 1000 && dpsctpd_ctrl_assoc_count(b->ctrl) != b->nassocs; i++) {
		(void)dpsctpd_ctrl_poll(b->ctrl);
		rte_delay_us_block(100);
	}
	if (dpsctpd_ctrl_assoc_count(b->ctrl) != b->nassocs) {
		fprintf(stderr, "bench_rx: %u associations up, %u expected\n",
			dpsctpd_ctrl_assoc_count(b->ctrl), b->nassocs);
		return -1;
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Warm-up, the measurement, the last SACKs; fills @p r. */
/* What the per-second line shows: DATA chunks taken in, packets received. */
static void
tick_counts(struct bench *b, struct perf_counts *pc)
{
	struct dpsctp_stats es;

	memset(pc, 0, sizeof(*pc));
	memset(&es, 0, sizeof(es));
	dp_worker_engine_stats(b->w, &es);
	pc->tsc = rte_rdtsc();
	pc->msgs = es.data_in;
	pc->bytes = es.data_in * b->size;
	pc->pkts = __atomic_load_n(&b->w->st.rx_packets, __ATOMIC_RELAXED);
	pc->retrans = es.retrans_t3 + es.retrans_fast;
}

static void
measure(struct bench *b, double seconds, bool ticks, struct snap *s0, struct snap *s1,
	struct result *r)
{
	struct perf_counts tick_prev, tick_now;
	unsigned int tick = 1;
	double hz = (double)rte_get_tsc_hz(), idle_loop_ns = 0;
	static double slices[MAX_SLICES];
	unsigned int rr = 0, i, nslices = 0;
	uint64_t t_end, t, now, prev_rx;
	struct snap i0, i1, s2;

	/* what an idle loop of the worker costs, to tell its idle time from its work later */
	take_snap(b, &i0);
	run_until(b, i0.tsc + (uint64_t)(IDLE_S * hz), false, &rr);
	take_snap(b, &i1);
	if (i1.st.loops > i0.st.loops)
		idle_loop_ns = (double)(i1.worker_cpu_ns - i0.worker_cpu_ns) /
			       (double)(i1.st.loops - i0.st.loops);
	run_until(b, rte_rdtsc() + (uint64_t)(WARMUP_S * hz), true, &rr);
	take_snap(b, s0);
	t_end = s0->tsc + (uint64_t)(seconds * hz);
	t = s0->tsc;
	prev_rx = s0->st.rx_packets;
	tick_counts(b, &tick_prev);
	while (t < t_end) {
		uint64_t next = t + (uint64_t)(SLICE_S * hz), rx;

		run_until(b, next < t_end ? next : t_end, true, &rr);
		now = rte_rdtsc();
		rx = __atomic_load_n(&b->w->st.rx_packets, __ATOMIC_RELAXED);
		if (nslices < MAX_SLICES && now - t >= (uint64_t)(SLICE_S * hz / 2))
			slices[nslices++] = (double)(rx - prev_rx) * hz / (double)(now - t);
		prev_rx = rx;
		t = now;
		if (ticks && (now - tick_prev.tsc >= (uint64_t)hz || now >= t_end)) {
			tick_counts(b, &tick_now);
			perf_report_tick(tick++, &tick_prev, &tick_now, (unsigned int)b->size);
			tick_prev = tick_now;
		}
	}
	take_snap(b, s1);
	/* the last SACKs (a lone last packet waits for the delayed-SACK timer) */
	run_until(b, rte_rdtsc() + (uint64_t)(SETTLE_S * hz), false, &rr);
	take_snap(b, &s2);
	compute(s0, s1, idle_loop_ns, r);
	qsort(slices, nslices, sizeof(slices[0]), cmp_double);
	r->nslices = nslices;
	r->slice_worst = nslices != 0 ? slices[0] : 0;
	r->slice_median = nslices != 0 ? slices[nslices / 2] : 0;
	r->slice_best = nslices != 0 ? slices[nslices - 1] : 0;
	/* a packet lost outside the measurement (nothing retransmits) stalls an association */
	if (drops_total(&i0, &s2, false) != r->drops) {
		printf("drops from the set-up to the end, the measurement included:\n");
		(void)drops_total(&i0, &s2, true);
	}
	r->short_assocs = 0;
	for (i = 0; i < b->nassocs; i++)
		if (b->a[i].cum_ack != b->a[i].next_tsn - 1)
			r->short_assocs++;
}

/* dpsctp-perf's figures from the run's. */
static void
fill_perf(const struct bench *b, const struct result *r, struct perf_result *pr)
{
	pr->seconds = r->secs;
	pr->msgs_per_s = r->data_pps;
	pr->gbit_per_s = r->data_pps * (double)b->size * 8 / 1e9;
	pr->pkts_per_s = r->pps;
	pr->retrans = 0; /* the generator never loses a packet, nothing is sent to retransmit */
	pr->cycles_per_msg = r->data_pps > 0 ? r->cpp * r->pps / r->data_pps : 0;
	pr->has_lat = false;
}

int
perf_rx_main(int argc, char **argv, struct perf_result *pr)
{
	char *eal_argv[64] = {argv[0], "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry",
		"--file-prefix", "perf_rx", "--no-pci", "--lcores", "0@0,1@1", "--main-lcore", "0",
		"--log-level", "warning"};
	int eal_argc = 15;
	struct dpsctpd_config *cfg = NULL;
	struct bench *b = NULL;
	struct snap s0, s1;
	struct result r;
	const char *csv = NULL;
	double seconds = 5, v;
	unsigned int nassocs = 64, i;
	bool shared_pool = false, quiet = false;
	size_t size = 100;
	char err[512], rundir[PATH_MAX];
	int rc = 1;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			for (i++; i < (unsigned int)argc && eal_argc < 63; i++)
				eal_argv[eal_argc++] = argv[i];
			break;
		} else if (strcmp(argv[i], "--assocs") == 0 && i + 1 < (unsigned int)argc &&
			   parse_num(argv[i + 1], 1, MAX_ASSOCS, &v)) {
			nassocs = (unsigned int)v;
			i++;
		} else if (strcmp(argv[i], "--size") == 0 && i + 1 < (unsigned int)argc &&
			   parse_num(argv[i + 1], 1, 1452, &v)) {
			size = (size_t)v; /* 20 + 12 + 16 + 1452 = a 1500-byte IP packet */
			i++;
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < (unsigned int)argc &&
			   parse_num(argv[i + 1], 0.1, 3600, &v)) {
			seconds = v;
			i++;
		} else if (strcmp(argv[i], "--csv") == 0 && i + 1 < (unsigned int)argc) {
			csv = argv[++i];
		} else if (strcmp(argv[i], "--shared-pool") == 0) {
			shared_pool = true;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	eal_argv[eal_argc] = NULL;
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "bench_rx: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_lcore_count() < 2 || !rte_lcore_is_enabled(1)) {
		fprintf(stderr, "bench_rx: needs lcores 0 (generator, control) and 1 (worker)\n");
		goto out;
	}
	cfg = calloc(1, sizeof(*cfg));
	b = calloc(1, sizeof(*b));
	if (cfg == NULL || b == NULL)
		goto out;
	if (dpsctpd_config_parse(
		    "bench_rx.yaml", cfg_yaml, sizeof(cfg_yaml) - 1, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_rx: %s\n", err);
		free(cfg);
		cfg = NULL;
		goto out;
	}
	b->nassocs = nassocs;
	b->size = size;
	b->shared_pool = shared_pool;
	b->a = calloc(nassocs, sizeof(*b->a));
	b->rx = rte_ring_create(
		"bench_rx", RX_RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	b->tx = rte_ring_create(
		"bench_tx", TX_RING_SIZE, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (b->a == NULL || b->rx == NULL || b->tx == NULL) {
		fprintf(stderr, "bench_rx: out of memory for the rings\n");
		goto out;
	}
	rc = rte_eth_from_rings(
		"net_ring_bench", &b->rx, 1, &b->tx, 1, (unsigned int)rte_socket_id());
	if (rc < 0) {
		fprintf(stderr, "bench_rx: rte_eth_from_rings: %s\n", rte_strerror(rte_errno));
		rc = 1;
		goto out;
	}
	b->port_id = (uint16_t)rc;
	rc = dpsctpd_stack_build(cfg, &b->port_id, "bench", &b->s, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "bench_rx: stack: %s\n", err);
		rc = 1;
		goto out;
	}
	rc = 1;
	b->w = b->s->workers[0];
	b->gen_pool = shared_pool ? b->s->pool
				  : rte_pktmbuf_pool_create("bench_gen", GEN_MBUFS, 256, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (b->gen_pool == NULL) {
		fprintf(stderr, "bench_rx: generator mempool: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	memcpy(b->our_mac, b->s->ports[0].mac, 6);
	b->our_ip = b->s->ports[0].addrs[0];
	dp_inet_addr_v4(&b->peer_ip, 0xc6120002); /* 198.18.0.2 */
	b->poll_tsc = rte_get_tsc_hz() / 1000;    /* control every millisecond */
	if (build_template(b) != 0) {
		fprintf(stderr, "bench_rx: cannot build the DATA template\n");
		goto out;
	}
	if (dpsctpd_ctrl_create(b->s, cfg, &b->ctrl) != 0) {
		fprintf(stderr, "bench_rx: control: cannot create\n");
		goto out;
	}
	if (dpsctpd_stack_launch(b->s) != 0) {
		fprintf(stderr, "bench_rx: cannot launch the worker\n");
		goto out;
	}
	find_worker_thread(b);
	if (associate(b) == 0) {
		measure(b, seconds, pr != NULL && !quiet, &s0, &s1, &r);
		if (pr == NULL || !quiet)
			print_result(b, &s0, &s1, &r);
		if (pr != NULL)
			fill_perf(b, &r, pr);
		rc = csv != NULL && write_csv(csv, b, &r) != 0 ? 1 : 0;
	}
	/* nobody answers SHUTDOWN: abort at once, then the worker stops */
	(void)dpsctpd_ctrl_shutdown(b->ctrl, 0);
out:
	if (b != NULL) {
		void *m = NULL;

		/* the mbufs left in the rings go back to the stack's pool before it goes */
		(void)rte_eal_wait_lcore(1);
		if (b->rx != NULL)
			while (rte_ring_dequeue(b->rx, &m) == 0)
				rte_pktmbuf_free(m);
		if (b->tx != NULL)
			while (rte_ring_dequeue(b->tx, &m) == 0)
				rte_pktmbuf_free(m);
		if (b->s != NULL)
			dpsctpd_stack_free(b->s); /* closes the port, frees the pool */
		dpsctpd_ctrl_free(b->ctrl);
		if (!b->shared_pool)
			rte_mempool_free(b->gen_pool);
		rte_ring_free(b->rx);
		rte_ring_free(b->tx);
		free(b->a);
		free(b);
	}
	if (cfg != NULL) {
		dpsctpd_config_free(cfg);
		free(cfg);
	}
	/* EAL leaves its (empty) runtime directory behind, even with --no-shconf */
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	(void)rmdir(rundir);
	return rc;
}
