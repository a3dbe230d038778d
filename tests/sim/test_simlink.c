/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulator itself (sim.h): the link model (loss, duplication, reordering, delay, jitter,
 * bandwidth, queue, MTU, up/down) driven through sim_link_transmit without any endpoint,
 * determinism by seed, the run loop's guards, injection, the counting allocator, the pcap
 * file as tshark reads it, and one handshake-and-shutdown smoke test through the engine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sim.h"
#include "wbuf.h"
#include "wire.h"

#ifndef SIM_OUT_DIR
#define SIM_OUT_DIR "."
#endif

TestSuite(sim);

#define PKT_LEN 16

/* A structurally valid packet (common header and a PAD-sized chunk) numbered @p n. */
static void
numbered(uint8_t *p, size_t len, uint32_t n)
{
	memset(p, 0, len);
	dpsctp_put_be16(p, 5000);
	dpsctp_put_be16(p + 2, 5001);
	p[12] = DPSCTP_CHUNK_PAD;
	dpsctp_put_be16(p + 14, (uint16_t)(len - 12));
	if (len >= 24)
		dpsctp_put_be32(p + 20, n);
	sim_fill_checksum(p, len);
}

static uint32_t
number_of(const uint8_t *p)
{
	return dpsctp_get_be32(p + 20);
}

static struct sim_link *
one_link(struct sim *s, const struct sim_link_params *p)
{
	struct dpsctp_addr a = sim_addr4("198.18.0.1"), b = sim_addr4("198.18.0.2");
	struct sim_link *l = sim_link_add(s, &a, &b, p);

	cr_assert_not_null(l);
	return l;
}

/* ----------------------------------------------------------------------------------------- */
/* Link model, no endpoint involved */

Test(sim, loss_ratio_is_close_to_the_configured_one)
{
	struct sim *s = sim_create(42);
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[PKT_LEN];
	unsigned int i, lost = 0;
	const unsigned int n = 100000;

	sim_link_params_default(&p);
	p.loss = 0.1;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	for (i = 0; i < n; i++)
		if (sim_link_transmit(s, l, pkt, sizeof(pkt), NULL) == SIM_TX_LOST)
			lost++;
	/* 0.1 +- 0.005 is five standard deviations of a binomial over 100k draws. */
	cr_assert(lost > 9500 && lost < 10500, "lost %u of %u", lost, n);
	cr_assert_eq(sim_link_stats(l)->lost, lost);
	cr_assert_eq(sim_in_flight(s), n - lost);
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(sim_link_stats(l)->delivered, n - lost);
	/* Nobody owns 198.18.0.2: every arrival is dropped there and counted. */
	cr_assert_eq(sim_stats(s)->dropped_no_node, n - lost);
	sim_destroy(s);
}

/* Outcome and arrival of @p n packets through a link with everything random switched on. */
static void
fates(uint64_t seed, struct sim_tx_result *r, unsigned int n)
{
	struct sim *s = sim_create(seed);
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[PKT_LEN];
	unsigned int i;

	sim_link_params_default(&p);
	p.loss = 0.05;
	p.duplication = 0.05;
	p.reorder = 0.05;
	p.jitter_ns = 500 * SIM_US;
	p.bandwidth_bps = 100000000;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	for (i = 0; i < n; i++) {
		sim_link_transmit(s, l, pkt, sizeof(pkt), &r[i]);
		cr_assert(sim_run_for(s, 10 * SIM_US));
	}
	sim_destroy(s);
}

Test(sim, same_seed_gives_the_same_fates_and_another_seed_does_not)
{
	static struct sim_tx_result a[10000], b[10000], c[10000];
	unsigned int i, differ = 0;

	fates(7, a, 10000);
	fates(7, b, 10000);
	fates(8, c, 10000);
	for (i = 0; i < 10000; i++) {
		cr_assert_eq(a[i].outcome, b[i].outcome, "packet %u", i);
		cr_assert_eq(a[i].arrival, b[i].arrival, "packet %u", i);
		cr_assert_eq(a[i].duplicated, b[i].duplicated, "packet %u", i);
		cr_assert_eq(a[i].reordered, b[i].reordered, "packet %u", i);
		if (a[i].outcome != c[i].outcome || a[i].arrival != c[i].arrival)
			differ++;
	}
	cr_assert_gt(differ, 1000);
}

/* Send 2000 packets @p gap apart; check every delay is in [10 ms, 12 ms] and order is kept. */
static void
jitter_run(uint64_t gap, uint64_t *lo, uint64_t *hi)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_tx_result r;
	struct sim_link *l;
	uint8_t pkt[PKT_LEN];
	uint64_t prev = 0;
	unsigned int i;

	sim_link_params_default(&p);
	p.delay_ns = 10 * SIM_MS;
	p.jitter_ns = 2 * SIM_MS;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < 2000; i++) {
		uint64_t now = sim_now(s), d;

		cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), &r), SIM_TX_SCHEDULED);
		d = r.arrival - now;
		/* A packet may wait for the one before it (jitter never reorders), which never
		 * takes it beyond its own bound since it was sent later. */
		cr_assert(d >= 10 * SIM_MS && d <= 12 * SIM_MS, "delay %" PRIu64, d);
		cr_assert_geq(r.arrival, prev);
		prev = r.arrival;
		if (d < *lo)
			*lo = d;
		if (d > *hi)
			*hi = d;
		cr_assert(sim_run_for(s, gap));
	}
	sim_destroy(s);
}

Test(sim, delay_and_jitter_stay_within_bounds_and_keep_order)
{
	uint64_t lo, hi;

	/* Packets further apart than the jitter: the whole range is used. */
	jitter_run(5 * SIM_MS, &lo, &hi);
	cr_assert_lt(lo, 10 * SIM_MS + 50 * SIM_US);
	cr_assert_gt(hi, 12 * SIM_MS - 50 * SIM_US);
	/* Closer together: still within bounds and in order. */
	jitter_run(100 * SIM_US, &lo, &hi);
	cr_assert_gt(hi, 12 * SIM_MS - 50 * SIM_US);
}

Test(sim, bandwidth_serialises_back_to_back_packets)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_tx_result r;
	struct sim_link *l;
	static uint8_t pkt[1000];
	uint64_t t0 = sim_now(s);
	unsigned int i;

	sim_link_params_default(&p);
	p.delay_ns = 5 * SIM_MS;
	p.bandwidth_bps = 1000000;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	/* 1020 bytes of IPv4 at 1 Mbit/s: 8.16 ms on the wire each, queued one after another. */
	for (i = 1; i <= 10; i++) {
		cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), &r), SIM_TX_SCHEDULED);
		cr_assert_eq(r.arrival, t0 + i * 8160 * SIM_US + 5 * SIM_MS, "packet %u", i);
	}
	/* Once the queue has drained, a packet goes straight onto the wire again. */
	cr_assert(sim_run_for(s, SIM_S));
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), &r), SIM_TX_SCHEDULED);
	cr_assert_eq(r.arrival, sim_now(s) + 8160 * SIM_US + 5 * SIM_MS);
	sim_destroy(s);
}

Test(sim, full_queue_tail_drops)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_link *l;
	static uint8_t pkt[1000];

	sim_link_params_default(&p);
	p.bandwidth_bps = 1000000;
	p.queue_bytes = 3000;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	/* 1020-byte packets: the one on the wire and one waiting fit in 3000 bytes, a third
	 * would make 3060. */
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_DROP_QUEUE);
	cr_assert_eq(sim_link_stats(l)->dropped_queue, 1);
	cr_assert(sim_run_for(s, 9 * SIM_MS));
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	sim_destroy(s);
}

Test(sim, packets_over_the_mtu_are_dropped)
{
	struct sim *s = sim_create(1);
	struct dpsctp_addr a6 = sim_addr6("2001:db8::1"), b6 = sim_addr6("2001:db8::2");
	struct sim_link_params p;
	struct sim_link *l4, *l6;
	static uint8_t pkt[1500];

	sim_link_params_default(&p);
	l4 = one_link(s, &p);
	l6 = sim_link_add(s, &a6, &b6, &p);
	cr_assert_not_null(l6);
	numbered(pkt, sizeof(pkt), 0);
	/* The MTU counts the IP header: 20 bytes for IPv4, 40 for IPv6. */
	cr_assert_eq(sim_link_transmit(s, l4, pkt, 1480, NULL), SIM_TX_SCHEDULED);
	cr_assert_eq(sim_link_transmit(s, l4, pkt, 1481, NULL), SIM_TX_DROP_MTU);
	cr_assert_eq(sim_link_transmit(s, l6, pkt, 1460, NULL), SIM_TX_SCHEDULED);
	cr_assert_eq(sim_link_transmit(s, l6, pkt, 1461, NULL), SIM_TX_DROP_MTU);
	cr_assert_eq(sim_link_stats(l4)->dropped_mtu, 1);
	cr_assert_eq(sim_link_stats(l6)->dropped_mtu, 1);
	p.mtu = 0;
	sim_link_set_params(l4, &p);
	cr_assert_eq(sim_link_transmit(s, l4, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	sim_destroy(s);
}

Test(sim, a_down_link_drops_what_is_sent_and_what_is_in_flight)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[PKT_LEN];

	sim_link_params_default(&p);
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	sim_link_set_up(l, false);
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_DROP_DOWN);
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(sim_link_stats(l)->dropped_down, 2);
	cr_assert_eq(sim_link_stats(l)->delivered, 0);
	cr_assert_eq(sim_link_set_up_bidir(s, sim_link_src(l), sim_link_dst(l), true), 1);
	cr_assert_eq(sim_link_transmit(s, l, pkt, sizeof(pkt), NULL), SIM_TX_SCHEDULED);
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(sim_link_stats(l)->delivered, 1);
	sim_destroy(s);
}

/* Delivery tap recording the numbers of arriving packets. */
struct arrivals {
	uint32_t n[4096];
	size_t count;
};

static enum sim_verdict
record_arrival(struct sim *s, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	struct arrivals *a = arg;

	(void)s;
	(void)path;
	cr_assert_null(node);
	cr_assert_geq(*len, 24);
	if (a->count < 4096)
		a->n[a->count++] = number_of(pkt);
	return SIM_PASS;
}

Test(sim, reorder_lets_later_packets_overtake)
{
	struct sim *s = sim_create(3);
	static struct arrivals a;
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[32];
	unsigned int i, inversions = 0;

	sim_link_params_default(&p);
	p.delay_ns = 5 * SIM_MS;
	p.reorder = 0.1;
	l = one_link(s, &p);
	sim_set_rx_tap(s, record_arrival, &a);
	for (i = 0; i < 1000; i++) {
		numbered(pkt, sizeof(pkt), i);
		sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
		cr_assert(sim_run_for(s, 100 * SIM_US));
	}
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(a.count, 1000);
	for (i = 1; i < a.count; i++)
		if (a.n[i] < a.n[i - 1])
			inversions++;
	/* A held-back packet shows as one inversion, unless it arrives right behind another
	 * held-back one sent just before it. */
	cr_assert_gt(sim_link_stats(l)->reordered, 50);
	cr_assert_leq(inversions, sim_link_stats(l)->reordered);
	cr_assert_gt(inversions, sim_link_stats(l)->reordered / 2);
	sim_destroy(s);
}

Test(sim, duplication_delivers_a_second_copy)
{
	struct sim *s = sim_create(3);
	static struct arrivals a;
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[32];
	unsigned int i;

	sim_link_params_default(&p);
	p.duplication = 1.0;
	l = one_link(s, &p);
	sim_set_rx_tap(s, record_arrival, &a);
	for (i = 0; i < 10; i++) {
		numbered(pkt, sizeof(pkt), i);
		sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
	}
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(a.count, 20);
	for (i = 0; i < 20; i++)
		cr_assert_eq(a.n[i], i / 2);
	cr_assert_eq(sim_link_stats(l)->duplicated, 10);
	cr_assert_eq(sim_link_stats(l)->delivered, 20);
	sim_destroy(s);
}

/* A delivery tap that sends every arriving packet straight back over a zero-delay link. */
static enum sim_verdict
bounce(struct sim *s, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	(void)node;
	(void)path;
	sim_link_transmit(s, arg, pkt, *len, NULL);
	return SIM_PASS;
}

Test(sim, a_storm_without_time_passing_stops_with_an_error)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_link *l;
	uint8_t pkt[PKT_LEN];

	sim_link_params_default(&p);
	p.delay_ns = 0;
	l = one_link(s, &p);
	sim_set_rx_tap(s, bounce, l);
	numbered(pkt, sizeof(pkt), 0);
	sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
	cr_assert_not(sim_run_for(s, SIM_S));
	cr_assert_not_null(sim_error(s));
	cr_assert_not_null(strstr(sim_error(s), "stuck"), "%s", sim_error(s));
	cr_assert_not(sim_run_for(s, SIM_S), "an error is final");
	sim_destroy(s);
}

struct count_cond {
	const struct sim_link *l;
	uint64_t want;
};

static bool
delivered_at_least(struct sim *s, void *arg)
{
	struct count_cond *c = arg;

	(void)s;
	return sim_link_stats(c->l)->delivered >= c->want;
}

Test(sim, run_until_cond_stops_when_it_holds_and_idle_keeps_the_time)
{
	struct sim *s = sim_create(1);
	struct sim_link_params p;
	struct sim_link *l;
	struct count_cond c;
	uint8_t pkt[PKT_LEN];
	uint64_t t0 = sim_now(s);

	cr_assert_eq(t0, SIM_T0);
	sim_link_params_default(&p);
	p.delay_ns = 10 * SIM_MS;
	l = one_link(s, &p);
	numbered(pkt, sizeof(pkt), 0);
	sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
	c.l = l;
	c.want = 1;
	cr_assert_not(sim_run_until_cond(s, delivered_at_least, &c, 5 * SIM_MS));
	cr_assert_eq(sim_now(s), t0 + 5 * SIM_MS);
	cr_assert(sim_run_until_cond(s, delivered_at_least, &c, SIM_S));
	cr_assert_eq(sim_now(s), t0 + 10 * SIM_MS);
	sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(sim_now(s), t0 + 20 * SIM_MS, "idle leaves the time at the last event");
	sim_link_transmit(s, l, pkt, sizeof(pkt), NULL);
	cr_assert_not(sim_run_until_idle(s, 5 * SIM_MS), "a packet still in flight");
	cr_assert(sim_run_until(s, t0 + SIM_S));
	cr_assert_eq(sim_now(s), t0 + SIM_S);
	sim_destroy(s);
}

Test(sim, addresses_parse_and_links_are_checked)
{
	struct sim *s = sim_create(1);
	struct dpsctp_addr a = sim_addr4("198.18.0.1"), b = sim_addr4("198.18.0.2");
	struct dpsctp_addr v6 = sim_addr6("2001:db8::1"), bad = sim_addr4("198.18.0");
	struct sim_link_params p;
	struct sim_link *ab, *ba;
	char buf[64];

	cr_assert_eq(a.family, 4);
	cr_assert_eq(a.bytes[0], 198);
	cr_assert_eq(a.bytes[3], 1);
	cr_assert_eq(v6.family, 6);
	cr_assert_eq(bad.family, 0);
	cr_assert_str_eq(sim_addr_str(&v6, buf, sizeof(buf)), "2001:db8::1");
	cr_assert_str_eq(sim_addr_str(&bad, buf, sizeof(buf)), "?");
	sim_link_params_default(&p);
	cr_assert_null(sim_link_add(s, &a, &v6, &p));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(sim_link_add_bidir(s, &a, &b, &p, &ab, &ba), 0);
	cr_assert_eq(sim_link_find(s, &a, &b), ab);
	cr_assert_eq(sim_link_find(s, &b, &a), ba);
	cr_assert_null(sim_link_add(s, &a, &b, &p));
	cr_assert_eq(errno, EEXIST);
	p.delay_ns = 7;
	sim_link_set_params(ba, &p);
	cr_assert_eq(sim_link_params(ba)->delay_ns, 7);
	cr_assert_eq(sim_link_params(ab)->delay_ns, SIM_MS);
	sim_destroy(s);
}

Test(sim, checksum_helpers_agree_with_each_other)
{
	uint8_t pkt[32];

	numbered(pkt, sizeof(pkt), 9);
	cr_assert(sim_checksum_ok(pkt, sizeof(pkt)));
	pkt[20] ^= 1;
	cr_assert_not(sim_checksum_ok(pkt, sizeof(pkt)));
	cr_assert_not(sim_checksum_ok(pkt, 11));
	cr_assert_eq(sim_pkt_first_chunk(pkt, sizeof(pkt)), DPSCTP_CHUNK_PAD);
	cr_assert(sim_pkt_has_chunk(pkt, sizeof(pkt), DPSCTP_CHUNK_PAD));
	cr_assert_not(sim_pkt_has_chunk(pkt, sizeof(pkt), DPSCTP_CHUNK_INIT));
}

/* ----------------------------------------------------------------------------------------- */
/* With endpoints */

static struct dpsctp_proto_config
fast_config(void)
{
	struct dpsctp_proto_config cfg;

	dpsctp_proto_config_default(&cfg);
	cfg.rto_initial = 100 * SIM_MS;
	cfg.rto_min = 100 * SIM_MS;
	return cfg;
}

/* An INIT from 198.18.0.9:6000 to port @p dst_port, checksum left zero. */
static size_t
init_packet(uint8_t *p, uint16_t dst_port)
{
	memset(p, 0, 32);
	dpsctp_put_be16(p, 6000);
	dpsctp_put_be16(p + 2, dst_port);
	p[12] = DPSCTP_CHUNK_INIT;
	dpsctp_put_be16(p + 14, 20);
	dpsctp_put_be32(p + 16, 0x11223344); /* initiate tag */
	dpsctp_put_be32(p + 20, 65536);      /* a_rwnd */
	dpsctp_put_be16(p + 24, 10);         /* OS */
	dpsctp_put_be16(p + 26, 10);         /* MIS */
	dpsctp_put_be32(p + 28, 1000);       /* initial TSN */
	return 32;
}

static enum sim_verdict
record_chunk(struct sim *s, struct sim_node *node, const struct dpsctp_path *path, uint8_t *pkt,
	size_t *len, void *arg)
{
	int *first = arg;

	(void)s;
	(void)node;
	(void)path;
	*first = sim_pkt_first_chunk(pkt, *len);
	return SIM_PASS;
}

Test(sim, injected_packets_reach_the_endpoint_and_bad_checksums_do_not)
{
	struct sim *s = sim_create(5);
	struct dpsctp_addr b = sim_addr4("198.18.0.2"), x = sim_addr4("198.18.0.9");
	struct dpsctp_path path = {.local = b, .remote = x};
	struct dpsctp_proto_config cfg = fast_config();
	struct sim_link_params p;
	struct sim_node *node;
	uint8_t pkt[32];
	size_t len;
	int answered = -1;

	node = sim_node_add(s, "server", &b, 1, 5001, true, &cfg);
	cr_assert_not_null(node);
	sim_link_params_default(&p);
	cr_assert_not_null(sim_link_add(s, &b, &x, &p));
	sim_set_rx_tap(s, record_chunk, &answered);
	len = init_packet(pkt, 5001);
	pkt[8] = 0xde; /* a checksum that is wrong */
	cr_assert_eq(sim_inject_raw(s, node, &path, pkt, len), -EBADMSG);
	cr_assert_eq(sim_stats(s)->dropped_bad_crc, 1);
	cr_assert_eq(sim_node_stats(node)->rx_packets, 0);
	cr_assert_eq(sim_inject(s, node, &path, pkt, len), 0);
	cr_assert_eq(sim_node_stats(node)->rx_packets, 1);
	/* The listening endpoint answers (INIT ACK); nobody is at 198.18.0.9 to take it. */
	cr_assert(sim_run_until_idle(s, SIM_S));
	cr_assert_eq(answered, DPSCTP_CHUNK_INIT_ACK);
	cr_assert_eq(sim_stats(s)->dropped_no_node, 1);
	cr_assert_eq(sim_node_stats(node)->tx_packets, 1);
	sim_stop_all(s);
	cr_assert_eq(sim_live_allocations(s), 0);
	sim_destroy(s);
}

Test(sim, a_packet_without_a_link_is_counted)
{
	struct sim *s = sim_create(5);
	struct dpsctp_addr a = sim_addr4("198.18.0.1"), b = sim_addr4("198.18.0.2");
	struct dpsctp_proto_config cfg = fast_config();
	struct sim_node *c, *d;

	c = sim_node_add(s, "client", &a, 1, 5000, false, &cfg);
	d = sim_node_add(s, "server", &b, 1, 5001, true, &cfg);
	cr_assert_not_null(c);
	cr_assert_not_null(d);
	cr_assert_null(sim_node_add(s, "client", &b, 1, 5002, false, NULL));
	cr_assert_eq(errno, EEXIST);
	cr_assert_eq(sim_node_associate(c, d, 0, NULL), 0);
	cr_assert(sim_run_for(s, 50 * SIM_MS));
	cr_assert_geq(sim_stats(s)->dropped_no_link, 1);
	cr_assert_eq(sim_stats(s)->delivered, 0);
	sim_stop_all(s);
	cr_assert_eq(sim_live_allocations(s), 0);
	sim_destroy(s);
}

Test(sim, allocator_counts_and_fails_on_request)
{
	struct sim *s = sim_create(5);
	struct dpsctp_addr a = sim_addr4("198.18.0.1");
	struct sim_node *n = sim_node_add(s, "n", &a, 1, 5000, true, NULL);
	const struct testenv *st;

	cr_assert_not_null(n);
	st = sim_node_alloc_stats(n);
	cr_assert_gt(st->live, 0);
	cr_assert_eq(sim_live_allocations(s), st->live);
	cr_assert_eq(sim_node_incarnation(n), 1);
	sim_node_stop(n);
	cr_assert_eq(st->live, 0);
	cr_assert_eq(st->live_bytes, 0);
	sim_node_fail_alloc(n, 1, false);
	cr_assert_eq(sim_node_start(n), -ENOMEM);
	cr_assert_null(sim_node_endpoint(n));
	cr_assert_eq(st->failed, 1);
	cr_assert_eq(st->live, 0, "a failed create leaks nothing");
	cr_assert_eq(sim_node_start(n), 0, "the failure was one-shot");
	cr_assert_not_null(sim_node_endpoint(n));
	cr_assert_eq(sim_node_start(n), -EALREADY);
	cr_assert_eq(sim_node_incarnation(n), 3);
	sim_stop_all(s);
	cr_assert_eq(sim_live_allocations(s), 0);
	cr_assert_eq(st->bad_frees, 0);
	sim_destroy(s);
}

/* The two nodes of a handshake scenario. */
struct pair {
	struct sim_node *c;
	struct sim_node *d;
};

static bool
both_up(struct sim *s, void *arg)
{
	struct pair *p = arg;

	(void)s;
	return sim_node_count_events(p->c, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_UP) == 1 &&
	       sim_node_count_events(p->d, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_UP) == 1;
}

static bool
both_gone(struct sim *s, void *arg)
{
	struct pair *p = arg;

	(void)s;
	return sim_node_count_events(p->c, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_SHUTDOWN_COMP) == 1 &&
	       sim_node_assoc_count(p->c) == 0 && sim_node_assoc_count(p->d) == 0;
}

/* Handshake and graceful shutdown between 198.18.0.1:5000 and 198.18.0.2:5001 (or IPv6),
 * written to @p pcap when not NULL; leaves the world for the caller to inspect. */
static struct sim *
handshake_and_shutdown(uint64_t seed, bool v6, const char *pcap, struct pair *pr)
{
	struct sim *s = sim_create(seed);
	struct dpsctp_addr a = v6 ? sim_addr6("2001:db8::1") : sim_addr4("198.18.0.1");
	struct dpsctp_addr b = v6 ? sim_addr6("2001:db8::2") : sim_addr4("198.18.0.2");
	struct dpsctp_proto_config cfg = fast_config();
	struct sim_link_params p;
	struct dpsctp_assoc *ca;

	cr_assert_not_null(s);
	if (pcap != NULL)
		cr_assert_eq(sim_pcap_open(s, pcap), 0);
	pr->c = sim_node_add(s, "client", &a, 1, 5000, false, &cfg);
	pr->d = sim_node_add(s, "server", &b, 1, 5001, true, &cfg);
	cr_assert_not_null(pr->c);
	cr_assert_not_null(pr->d);
	sim_link_params_default(&p);
	p.delay_ns = 5 * SIM_MS;
	p.jitter_ns = SIM_MS;
	cr_assert_eq(sim_connect(s, pr->c, pr->d, &p), 2);
	cr_assert_eq(sim_node_associate(pr->c, pr->d, 0, &ca), 0);
	cr_assert_not_null(ca);
	cr_assert(sim_run_until_cond(s, both_up, pr, 10 * SIM_S), "%s",
		sim_error(s) != NULL ? sim_error(s) : "no COMM_UP on both sides");
	cr_assert_eq(sim_node_last_state(pr->c, 0), DPSCTP_ESTABLISHED);
	cr_assert_eq(sim_node_last_state(pr->d, 0), DPSCTP_ESTABLISHED);
	cr_assert_eq(sim_node_assoc(pr->c), ca);
	cr_assert_not_null(sim_node_assoc(pr->d));
	cr_assert_eq(dpsctp_assoc_shutdown(ca, sim_now(s)), 0);
	cr_assert(sim_run_until_cond(s, both_gone, pr, 10 * SIM_S), "%s",
		sim_error(s) != NULL ? sim_error(s) : "associations not gone on both sides");
	cr_assert_null(sim_node_assoc(pr->c), "assoc_free cleared the tracked pointer");
	cr_assert_null(sim_node_assoc(pr->d));
	cr_assert_eq(sim_node_last_state(pr->c, 0), DPSCTP_CLOSED);
	cr_assert_null(sim_error(s));
	sim_pcap_close(s);
	return s;
}

Test(sim, handshake_and_shutdown_leave_no_allocation)
{
	struct pair pr;
	struct sim *s = handshake_and_shutdown(11, false, NULL, &pr);

	cr_assert_eq(sim_node_count_events(pr.c, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_UP), 1);
	cr_assert_geq(sim_node_count_states(pr.c, DPSCTP_ESTABLISHED), 1);
	cr_assert_eq(sim_stats(s)->dropped_no_link + sim_stats(s)->dropped_bad_crc, 0);
	sim_stop_all(s);
	cr_assert_eq(sim_live_allocations(s), 0);
	cr_assert_eq(sim_live_bytes(s), 0);
	cr_assert_eq(
		sim_node_alloc_stats(pr.c)->bad_frees + sim_node_alloc_stats(pr.d)->bad_frees, 0);
	sim_destroy(s);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static bool
same_logs(const struct sim_node *x, const struct sim_node *y)
{
	const struct sim_log_entry *lx, *ly;
	size_t nx, ny;

	lx = sim_node_log(x, &nx);
	ly = sim_node_log(y, &ny);
	return nx == ny && memcmp(lx, ly, nx * sizeof(*lx)) == 0;
}

Test(sim, the_same_seed_replays_the_same_run)
{
	const char *f1 = SIM_OUT_DIR "/sim-replay-1.pcap", *f2 = SIM_OUT_DIR "/sim-replay-2.pcap";
	struct pair p1, p2;
	struct sim *s1 = handshake_and_shutdown(99, false, f1, &p1);
	struct sim *s2 = handshake_and_shutdown(99, false, f2, &p2);
	uint8_t *b1, *b2;
	size_t n1, n2;

	cr_assert_eq(sim_now(s1), sim_now(s2));
	cr_assert(same_logs(p1.c, p2.c));
	cr_assert(same_logs(p1.d, p2.d));
	b1 = slurp(f1, &n1);
	b2 = slurp(f2, &n2);
	cr_assert_eq(n1, n2);
	cr_assert(memcmp(b1, b2, n1) == 0, "the pcap files differ");
	free(b1);
	free(b2);
	sim_destroy(s1);
	sim_destroy(s2);
}

/* Run tshark on @p pcap; @return the number of output lines, -1 when it did not run. */
static int
tshark_lines(const char *pcap, const char *args, char *out, size_t cap)
{
	char cmd[1024];
	size_t used = 0;
	int lines = 0, c;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		"tshark -n -r '%s' -o sctp.checksum:crc-32c -o ip.check_checksum:TRUE %s "
		"2>/dev/null",
		pcap, args);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF) {
		if (used + 1 < cap)
			out[used++] = (char)c;
		if (c == '\n')
			lines++;
	}
	out[used] = '\0';
	return pclose(f) == 0 ? lines : -1;
}

static void
check_pcap_with_tshark(const char *pcap, uint64_t frames, bool v6)
{
	static char out[1 << 16];
	const char *p;
	int n;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		cr_skip_test("tshark is not installed");
	n = tshark_lines(pcap,
		v6 ? "-T fields -E separator=, -e sctp.checksum.status -e ipv6.nxt"
		   : "-T fields -E separator=, -e sctp.checksum.status -e ip.checksum.status",
		out, sizeof(out));
	cr_assert_eq(n, (int)frames, "tshark read %d frames of %" PRIu64 ":\n%s", n, frames, out);
	/* Every line: CRC32c good (1 in tshark's checksum status) and the IPv4 header checksum
	 * good too, or IPv6 next header 132. */
	for (p = out; *p != '\0'; p = strchr(p, '\n') + 1)
		cr_assert(strncmp(p, v6 ? "1,132\n" : "1,1\n", v6 ? 6 : 4) == 0,
			"bad frame line: %.40s", p);
	n = tshark_lines(pcap,
		"-Y '_ws.malformed || _ws.expert.severity >= 0x00800000 || "
		"sctp.checksum_bad.expert'",
		out, sizeof(out));
	cr_assert_eq(n, 0, "malformed or expert errors:\n%s", out);
}

static void
inject_to_pcap(bool v6)
{
	const char *f = v6 ? SIM_OUT_DIR "/sim-inject-v6.pcap" : SIM_OUT_DIR "/sim-inject-v4.pcap";
	struct sim *s = sim_create(5);
	struct dpsctp_addr b = v6 ? sim_addr6("2001:db8::2") : sim_addr4("198.18.0.2");
	struct dpsctp_addr x = v6 ? sim_addr6("2001:db8::9") : sim_addr4("198.18.0.9");
	struct dpsctp_path path = {.local = b, .remote = x};
	struct sim_node *node;
	uint8_t pkt[32];
	size_t len;
	int i;

	node = sim_node_add(s, "server", &b, 1, 5001, true, NULL);
	cr_assert_not_null(node);
	cr_assert_eq(sim_pcap_open(s, f), 0);
	len = init_packet(pkt, 5001);
	for (i = 0; i < 3; i++) {
		sim_inject(s, node, &path, pkt, len);
		cr_assert(sim_run_for(s, SIM_US));
	}
	/* Not written: dropped before the endpoint. */
	pkt[8] = 1;
	cr_assert_eq(sim_inject_raw(s, node, &path, pkt, len), -EBADMSG);
	cr_assert_eq(sim_pcap_count(s), 3);
	sim_pcap_close(s);
	check_pcap_with_tshark(f, 3, v6);
	sim_stop_all(s);
	sim_destroy(s);
}

Test(sim, pcap_of_injected_packets_reads_clean_in_tshark)
{
	inject_to_pcap(false);
	inject_to_pcap(true);
}

Test(sim, pcap_of_a_handshake_reads_clean_in_tshark)
{
	const char *f4 = SIM_OUT_DIR "/sim-handshake-v4.pcap";
	const char *f6 = SIM_OUT_DIR "/sim-handshake-v6.pcap";
	struct pair pr;
	struct sim *s;
	uint64_t n4, n6;

	s = handshake_and_shutdown(21, false, f4, &pr);
	n4 = sim_pcap_count(s);
	cr_assert_geq(n4, 7, "INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, SHUTDOWN, ACK, COMPLETE");
	cr_assert_eq(n4, sim_stats(s)->delivered);
	sim_destroy(s);
	s = handshake_and_shutdown(21, true, f6, &pr);
	n6 = sim_pcap_count(s);
	cr_assert_geq(n6, 7);
	sim_destroy(s);
	check_pcap_with_tshark(f4, n4, false);
	check_pcap_with_tshark(f6, n6, true);
}

Test(sim, a_tap_can_drop_the_first_init_ack)
{
	struct sim *s = sim_create(13);
	struct dpsctp_addr a = sim_addr4("198.18.0.1"), b = sim_addr4("198.18.0.2");
	struct dpsctp_proto_config cfg = fast_config();
	struct sim_drop_chunk drop = {.type = DPSCTP_CHUNK_INIT_ACK, .count = 1};
	struct sim_link_params p;
	struct pair pr;

	pr.c = sim_node_add(s, "client", &a, 1, 5000, false, &cfg);
	pr.d = sim_node_add(s, "server", &b, 1, 5001, true, &cfg);
	cr_assert_not_null(pr.c);
	cr_assert_not_null(pr.d);
	sim_link_params_default(&p);
	cr_assert_eq(sim_connect(s, pr.c, pr.d, &p), 2);
	drop.from = pr.d;
	sim_set_tx_tap(s, sim_tap_drop_chunk, &drop);
	cr_assert_eq(sim_node_associate(pr.c, pr.d, 0, NULL), 0);
	cr_assert(sim_run_until_cond(s, both_up, &pr, 10 * SIM_S), "%s",
		sim_error(s) != NULL ? sim_error(s) : "no COMM_UP after the lost INIT ACK");
	cr_assert_eq(drop.dropped, 1);
	cr_assert_geq(drop.seen, 2);
	cr_assert_eq(sim_stats(s)->dropped_by_tap, 1);
	/* T1-init (RTO.Initial 100 ms) brought it back. */
	cr_assert_geq(sim_now(s), SIM_T0 + 100 * SIM_MS);
	sim_stop_all(s);
	cr_assert_eq(sim_live_allocations(s), 0);
	sim_destroy(s);
}

/* The Initiate Tag and initial TSN a fresh client of world @p seed draws, forcing @p force. */
static void
first_draws(uint64_t seed, const uint8_t *force, size_t n, uint8_t tag[4], uint8_t tsn[4])
{
	struct dpsctp_addr ca = sim_addr4("198.18.0.1"), sa = sim_addr4("198.18.0.2");
	struct sim *s = sim_create(seed);
	struct sim_node *c, *d;
	struct dpsctp_assoc *a;
	struct dpsctp_assoc_status st;

	cr_assert_not_null(s);
	c = sim_node_add(s, "client", &ca, 1, 5000, false, NULL);
	d = sim_node_add(s, "server", &sa, 1, 5001, true, NULL);
	cr_assert(c != NULL && d != NULL);
	if (n > 0)
		cr_assert_eq(sim_node_force_random(c, force, n), 0);
	cr_assert_eq(sim_node_associate(c, d, 0, &a), 0);
	dpsctp_assoc_get_status(a, &st);
	memcpy(tag, &st.local_vtag, 4);
	memcpy(tsn, &st.local_initial_tsn, 4);
	sim_destroy(s);
}

Test(sim, forced_random_bytes_come_first_and_leave_the_stream_as_it_was)
{
	static const uint8_t force[6] = {0x11, 0x22, 0x33, 0x44, 0xfe, 0xff};
	uint8_t tag[4], tsn[4], tag0[4], tsn0[4], big[SIM_FORCE_RANDOM_MAX + 1] = {0};
	struct dpsctp_addr a = sim_addr4("198.18.0.1");
	struct sim *s;
	struct sim_node *n;

	/* dpsctp_associate draws the tag, then the TSN: 4 forced bytes, 2 forced + 2 drawn */
	first_draws(7, force, sizeof(force), tag, tsn);
	first_draws(7, NULL, 0, tag0, tsn0);
	cr_assert_eq(memcmp(tag, force, 4), 0);
	cr_assert_eq(memcmp(tsn, force + 4, 2), 0);
	/* the stream was not advanced by the forced bytes: its first draw completes the TSN */
	cr_assert_eq(memcmp(tsn + 2, tag0, 2), 0);
	/* bounded */
	s = sim_create(7);
	cr_assert_not_null(s);
	n = sim_node_add(s, "n", &a, 1, 5000, false, NULL);
	cr_assert_not_null(n);
	cr_assert_eq(sim_node_force_random(n, big, sizeof(big)), -ENOSPC);
	cr_assert_eq(sim_node_force_random(n, big, SIM_FORCE_RANDOM_MAX), 0);
	cr_assert_eq(sim_node_force_random(n, big, 1), -ENOSPC);
	sim_destroy(s);
}
