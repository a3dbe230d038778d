/* SPDX-License-Identifier: BSD-3-Clause */
/* The control lcore (see ctrl.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "arp.h"
#include "attach.h"
#include "ctrl.h"
#include "encap.h"
#include "icmp.h"
#include "inet.h"
#include "msg.h"
#include "neigh.h"
#include "route.h"
#include "service.h"
#include "steer.h"
#include "worker.h"

static int ctrl_logtype = RTE_LOGTYPE_USER1;
#define CLOG(level, ...) rte_log(RTE_LOG_##level, ctrl_logtype, "control: " __VA_ARGS__)

#define NEIGH_RETRY_NS (1000 * DPSCTP_MS)

/* Who owns the association with a peer address and port (for INITs of known peers). */
struct owner_key {
	uint8_t family;
	uint8_t bytes[16];
	uint8_t pad;
	uint16_t peer_port;
	uint16_t local_port;
	uint16_t pad2;
};

/* An active open waiting for its first hop's MAC (so the INIT is not lost to ARP). */
struct pending_open {
	struct dp_associate_req *req;
	unsigned int worker;
	uint64_t deadline;
};

struct dpsctpd_ctrl {
	struct dp_stack *s;
	const struct dpsctpd_config *cfg;
	struct dpsctp_endpoint *eps[DP_MAX_SERVICES];
	struct rte_hash *owners;
	unsigned int next_worker;
	uint64_t now;
	uint64_t next_slow, next_age;
	uint16_t ip_id;
	struct pending_open pending[DP_MAX_SERVICES];
	unsigned int npending;
	struct dpsctpd_ctrl_stats st;
	struct dpsctpd_attach *attach; /**< the attach server (dpsctpd), or NULL */
	uint64_t next_attach;
	bool stopping;                 /**< shutting down: no more attach requests */
	struct dpsctp_stats eng_gone;  /**< counters of control endpoints since destroyed */
	struct dpsctp_stats eng_sum;   /**< every control endpoint's counters (telemetry's copy) */
};

static int
port_index(const struct dp_stack *s, uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < s->nports; i++)
		if (s->ports[i].port_id == port_id)
			return (int)i;
	return -1;
}

/* ---- sending (through worker 0's TX queues) ---- */

static void
ctrl_tx(struct dpsctpd_ctrl *c, unsigned int port, struct rte_mbuf *m, bool local)
{
	struct dp_msg msg = { .type = local ? DP_MSG_FRAME_IN : DP_MSG_TX, .port = (uint16_t)port,
		.ptr = m };

	if (rte_ring_sp_enqueue_elem(c->s->to_worker_msg[0], &msg, sizeof(msg)) != 0) {
		c->st.tx_ring_full++;
		rte_pktmbuf_free(m);
	}
}

static struct rte_mbuf *
frame_mbuf(struct dpsctpd_ctrl *c, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(c->s->pool);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, frame, len);
	return m;
}

static void
send_frame(struct dpsctpd_ctrl *c, unsigned int port, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m;

	if (len == 0)
		return;
	m = frame_mbuf(c, frame, len);
	if (m != NULL)
		ctrl_tx(c, port, m, false);
}

/* Ask who has @p ip on port @p port (ARP request or neighbour solicitation). */
static void
resolve(struct dpsctpd_ctrl *c, unsigned int port, const struct dpsctp_addr *ip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	const struct dp_port *p = &c->s->ports[port];
	struct dpsctp_addr src;
	uint8_t frame[128];
	unsigned int i;
	size_t n = 0;

	if (dp_neigh_want(c->s->neigh, (uint16_t)port, ip, c->now, NEIGH_RETRY_NS) != 1)
		return;
	for (i = 0; i < p->naddrs && p->addrs[i].family != ip->family; i++)
		;
	if (i == p->naddrs)
		return;
	src = p->addrs[i];
	if (ip->family == 4) {
		n = dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, p->mac, &src, zero, ip,
			bcast);
		c->st.arp_requests++;
	} else {
		n = dp_icmp_nd_build_ns(frame, sizeof(frame), p->mac, &src, ip);
		c->st.ns_sent++;
	}
	send_frame(c, port, frame, n);
}

/* The control endpoint's answers (INIT ACK, ABORT...). */
static void
ep_output(struct dpsctpd_ctrl *c, struct dpsctp_endpoint *ep)
{
	for (;;) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(c->s->pool);
		struct dpsctp_path path;
		struct dpsctp_addr nh;
		unsigned int port = 0;
		size_t n, cap;

		if (m == NULL) {
			c->st.tx_no_mbuf++;
			return; /* the engine keeps its answers queued for the next try */
		}
		cap = rte_pktmbuf_tailroom(m);
		n = dpsctp_endpoint_output(ep, rte_pktmbuf_mtod(m, uint8_t *),
			cap > DPSCTP_MAX_PACKET ? DPSCTP_MAX_PACKET : cap, &path, c->now);
		if (n == 0) {
			rte_pktmbuf_free(m);
			return;
		}
		rte_pktmbuf_append(m, (uint16_t)n);
		switch (dp_encap_sctp(c->s, m, n, &path, c->ip_id++, &port, &nh)) {
		case DP_ENCAP_PORT:
			ctrl_tx(c, port, m, false);
			break;
		case DP_ENCAP_LOCAL:
			ctrl_tx(c, 0, m, true);
			break;
		case DP_ENCAP_NO_NEIGH:
			/* the peer retransmits its INIT; by then ARP / ND has answered */
			c->st.tx_no_neigh++;
			resolve(c, port, &nh);
			rte_pktmbuf_free(m);
			break;
		default:
			c->st.tx_no_route++;
			rte_pktmbuf_free(m);
			break;
		}
	}
}

/* ---- input ---- */

static void
arp_input(struct dpsctpd_ctrl *c, int pi, const uint8_t *frame, const struct dp_inet *in)
{
	const struct dp_port *p = &c->s->ports[pi];
	struct dp_arp a;
	uint8_t out[DP_ARP_FRAME_LEN];
	uint8_t mac[6];
	bool for_us;

	c->st.arp_in++;
	if (dp_arp_parse(frame + in->l3_off, in->l4_len, &a) != 0)
		return;
	for_us = dp_route_port_has_addr(&c->s->routes, (uint16_t)pi, &a.tpa);
	/* RFC 826: merge the sender when known, add it when the request is for us */
	if (!dp_inet_addr_is_unspecified(&a.spa) &&
		(for_us || dp_neigh_lookup(c->s->neigh, (uint16_t)pi, &a.spa, mac) == 0))
		(void)dp_neigh_update(c->s->neigh, (uint16_t)pi, &a.spa, a.sha, c->now, false);
	if (for_us && a.op == DP_ARP_OP_REQUEST) {
		send_frame(c, (unsigned int)pi, out,
			dp_arp_build_reply(out, sizeof(out), &a, p->mac));
		c->st.arp_replies++;
	}
}

static void
icmp_error(struct dpsctpd_ctrl *c, struct rte_mbuf *m, const uint8_t *frame,
	const struct dp_inet *in)
{
	struct dp_icmp_err err;
	unsigned int w;

	if (dp_icmp_error_parse(frame + in->l4_off, in->l4_len, &in->src, &in->dst, &err) != 0) {
		c->st.icmp_bad++;
		return;
	}
	if (err.kind != DP_ICMP_PTB || err.inner_proto != DP_INET_PROTO_SCTP) {
		/* unreachable: path failure is detected by the engine's own timers */
		c->st.icmp_unreach++;
		return;
	}
	c->st.icmp_ptb++;
	/*
	 * The quoted tag is the peer's, which does not name our worker: every worker checks the
	 * report against its associations (RFC 9260 appendix C) and at most one believes it.
	 */
	for (w = 0; w < c->s->nworkers; w++) {
		struct rte_mbuf *copy = rte_pktmbuf_copy(m, c->s->pool, 0, UINT32_MAX);
		struct dp_msg msg = { .type = DP_MSG_PTB, .ptr = copy, .u32 = err.mtu };

		if (copy == NULL)
			break;
		if (rte_ring_sp_enqueue_elem(c->s->to_worker_msg[w], &msg, sizeof(msg)) != 0)
			rte_pktmbuf_free(copy);
	}
}

static void
icmp_input(struct dpsctpd_ctrl *c, int pi, struct rte_mbuf *m, const uint8_t *frame,
	const struct dp_inet *in)
{
	const struct dp_port *p = &c->s->ports[pi];
	const uint8_t *l4 = frame + in->l4_off;
	uint8_t out[2048];
	size_t n;

	if (in->l4_len < 8)
		return;
	if (in->proto == DP_INET_PROTO_ICMPV6 && (l4[0] == DP_ND_NS || l4[0] == DP_ND_NA)) {
		struct dp_nd nd;
		uint8_t mac[6];

		c->st.nd_in++;
		if (dp_icmp_nd_parse(l4, in->l4_len, in, &nd) != 0)
			return;
		if (nd.type == DP_ND_NS) {
			if (!dp_route_port_has_addr(&c->s->routes, (uint16_t)pi, &nd.target))
				return;
			if (nd.has_lladdr && !nd.dad)
				(void)dp_neigh_update(c->s->neigh, (uint16_t)pi, &in->src, nd.lladdr,
					c->now, false);
			n = dp_icmp_nd_na_reply(in, &nd, p->mac, out, sizeof(out));
			send_frame(c, (unsigned int)pi, out, n);
			c->st.na_sent += n != 0;
		} else if (nd.has_lladdr &&
			(dp_neigh_lookup(c->s->neigh, (uint16_t)pi, &nd.target, mac) == 0 ||
				(nd.flags & DP_ND_NA_FLAG_SOLICITED))) {
			(void)dp_neigh_update(c->s->neigh, (uint16_t)pi, &nd.target, nd.lladdr, c->now,
				false);
		}
		return;
	}
	if ((in->proto == DP_INET_PROTO_ICMP && l4[0] == DP_ICMP4_ECHO_REQUEST) ||
		(in->proto == DP_INET_PROTO_ICMPV6 && l4[0] == DP_ICMP6_ECHO_REQUEST)) {
		if (!dp_route_port_has_addr(&c->s->routes, (uint16_t)pi, &in->dst))
			return;
		n = dp_icmp_echo_reply(frame, in->l3_off + (in->l4_off - in->l3_off) + in->l4_len,
			in, p->mac, out, sizeof(out));
		if (n != 0) {
			send_frame(c, (unsigned int)pi, out, n);
			c->st.echo_replies++;
		}
		return;
	}
	if ((in->proto == DP_INET_PROTO_ICMP && l4[0] == DP_ICMP4_DEST_UNREACH) ||
		(in->proto == DP_INET_PROTO_ICMPV6 &&
			(l4[0] == DP_ICMP6_DEST_UNREACH || l4[0] == DP_ICMP6_PACKET_TOO_BIG)))
		icmp_error(c, m, frame, in);
}

static void
owner_key_make(struct owner_key *k, const struct dpsctp_addr *a, uint16_t peer_port,
	uint16_t local_port)
{
	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->bytes, a->bytes, 16);
	k->peer_port = peer_port;
	k->local_port = local_port;
}

static void
init_input(struct dpsctpd_ctrl *c, struct rte_mbuf *m, uint8_t *frame, const struct dp_inet *in)
{
	uint8_t *sctp = frame + in->l4_off;
	uint16_t sport = (uint16_t)(sctp[0] << 8 | sctp[1]);
	uint16_t dport = (uint16_t)(sctp[2] << 8 | sctp[3]);
	struct dpsctp_path path = { .local = in->dst, .remote = in->src };
	struct owner_key k;
	void *val;
	unsigned int svc;
	int rc;

	c->st.init_in++;
	/* at most one slot in use has a port (EADDRINUSE otherwise) */
	rc = dp_stack_slot_of_port(c->s, dport);
	if (rc < 0 || c->eps[rc] == NULL)
		return; /* the worker checked; a race with an endpoint that closed */
	svc = (unsigned int)rc;
	owner_key_make(&k, &in->src, sport, dport);
	if (rte_hash_lookup_data(c->owners, &k, &val) >= 0) {
		/* a known peer: its INIT is a collision or a restart, for the owner (5.2) */
		unsigned int w = (unsigned int)((uintptr_t)val & 0xff);
		struct dp_msg msg = { .type = DP_MSG_SCTP_IN, .ptr = m };
		struct rte_mbuf *copy = rte_pktmbuf_copy(m, c->s->pool, 0, UINT32_MAX);

		if (copy != NULL && w < c->s->nworkers) {
			msg.ptr = copy;
			if (rte_ring_sp_enqueue_elem(c->s->to_worker_msg[w], &msg, sizeof(msg)) != 0)
				rte_pktmbuf_free(copy);
			else
				c->st.init_steered++;
		} else if (copy != NULL) {
			rte_pktmbuf_free(copy);
		}
		return;
	}
	/*
	 * A new association: the worker that will own it is named in the tag of our INIT ACK. (A
	 * CLOSING slot's endpoint no longer listens: the engine turns the INIT away.)
	 */
	(void)dpsctp_endpoint_set_owner(c->eps[svc], c->next_worker);
	c->next_worker = (c->next_worker + 1) % c->s->nworkers;
	if (dpsctp_endpoint_input(c->eps[svc], sctp, in->l4_len, &path, c->now) == 0)
		c->st.init_answered++;
	ep_output(c, c->eps[svc]);
}

static void
packet_input(struct dpsctpd_ctrl *c, struct rte_mbuf *m)
{
	uint8_t *frame = rte_pktmbuf_mtod(m, uint8_t *);
	struct dp_inet in;
	int pi = port_index(c->s, m->port);

	if (dp_inet_parse(frame, m->data_len, &in) != 0)
		return;
	if (pi < 0)
		pi = 0; /* local delivery: no port; only SCTP comes that way */
	if (in.kind == DP_INET_ARP)
		arp_input(c, pi, frame, &in);
	else if (in.proto == DP_INET_PROTO_ICMP || in.proto == DP_INET_PROTO_ICMPV6)
		icmp_input(c, pi, m, frame, &in);
	else if (in.proto == DP_INET_PROTO_SCTP)
		init_input(c, m, frame, &in);
}

static bool
slot_in_use(const struct dpsctpd_ctrl *c, unsigned int svc)
{
	return svc < c->s->nservices &&
		__atomic_load_n(&c->s->services[svc].state, __ATOMIC_ACQUIRE) != DP_SLOT_FREE;
}

static void
msg_input(struct dpsctpd_ctrl *c, unsigned int w, const struct dp_msg *msg)
{
	struct owner_key k;
	void *val;

	switch (msg->type) {
	case DP_MSG_NEED_NEIGH:
		if (msg->port < c->s->nports)
			resolve(c, msg->port, &msg->addr);
		break;
	case DP_MSG_ASSOC_UP:
		if (!slot_in_use(c, msg->svc))
			break;
		owner_key_make(&k, &msg->addr, msg->peer_port, c->s->services[msg->svc].port);
		(void)rte_hash_add_key_data(c->owners, &k,
			(void *)(uintptr_t)(((uint64_t)msg->u32 << 8) | w));
		break;
	case DP_MSG_ASSOC_DOWN:
		/* late news of a slot already released: its owners were forgotten with it */
		if (!slot_in_use(c, msg->svc))
			break;
		owner_key_make(&k, &msg->addr, msg->peer_port, c->s->services[msg->svc].port);
		/* only while the entry is still this association's (a restart may have replaced it) */
		if (rte_hash_lookup_data(c->owners, &k, &val) >= 0 &&
			(uint32_t)((uintptr_t)val >> 8) == msg->u32)
			(void)rte_hash_del_key(c->owners, &k);
		break;
	default:
		break;
	}
}

/* ---- time ---- */

static void
link_poll(struct dpsctpd_ctrl *c)
{
	bool changed = false;
	unsigned int i;

	for (i = 0; i < c->s->nports; i++) {
		struct dp_port *p = &c->s->ports[i];
		struct rte_eth_link link;
		bool up;

		if (!p->follow_link || rte_eth_link_get_nowait(p->port_id, &link) != 0)
			continue;
		up = link.link_status == RTE_ETH_LINK_UP;
		if (up == __atomic_load_n(&p->link_up, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&p->link_up, up, __ATOMIC_RELEASE);
		dp_route_set_link(&c->s->routes, (uint16_t)i, up);
		c->st.link_changes++;
		changed = true;
		CLOG(NOTICE, "port %s link %s\n", p->name, up ? "up" : "down");
	}
	if (changed) {
		struct dp_msg msg = { .type = DP_MSG_ROUTES_CHANGED };

		for (i = 0; i < c->s->nworkers; i++)
			(void)rte_ring_sp_enqueue_elem(c->s->to_worker_msg[i], &msg, sizeof(msg));
	}
}

static void
pending_opens(struct dpsctpd_ctrl *c)
{
	struct dp_route asked[4]; /* next hops asked for in this pass: one request each */
	unsigned int i = 0, nasked = 0, k;

	while (i < c->npending) {
		struct pending_open *po = &c->pending[i];
		struct dp_route rt;
		uint8_t mac[6];
		bool ready = c->now >= po->deadline;

		if (!ready && dp_route_lookup(&c->s->routes, &po->req->peers[0], &rt) == 0) {
			if (dp_neigh_lookup(c->s->neigh, (uint16_t)rt.port, &rt.nexthop, mac) == 0) {
				ready = true;
			} else {
				for (k = 0; k < nasked; k++)
					if (asked[k].port == rt.port &&
						memcmp(&asked[k].nexthop, &rt.nexthop,
							sizeof(rt.nexthop)) == 0)
						break;
				if (k == nasked) {
					resolve(c, rt.port, &rt.nexthop);
					if (nasked < RTE_DIM(asked))
						asked[nasked++] = rt;
				}
			}
		} else if (!ready && dp_stack_is_local(c->s, &po->req->peers[0])) {
			ready = true;
		}
		if (!ready) {
			i++;
			continue;
		}
		{
			struct dp_msg msg = { .type = DP_MSG_ASSOCIATE, .ptr = po->req };

			if (rte_ring_sp_enqueue_elem(c->s->to_worker_msg[po->worker], &msg,
				    sizeof(msg)) != 0)
				free(po->req);
		}
		c->pending[i] = c->pending[--c->npending];
	}
}

/* ---- application endpoints ---- */

/* Forget the owners of the associations on local port @p port (a slot released). */
static void
owners_forget_port(struct dpsctpd_ctrl *c, uint16_t port)
{
	struct owner_key batch[64];
	unsigned int n, i;

	/* deleting while iterating is not allowed: collect a batch, delete it, start again */
	do {
		const void *key;
		void *data;
		uint32_t next = 0;

		n = 0;
		while (n < RTE_DIM(batch) && rte_hash_iterate(c->owners, &key, &data, &next) >= 0) {
			const struct owner_key *k = key;

			if (k->local_port == port)
				batch[n++] = *k;
		}
		for (i = 0; i < n; i++)
			(void)rte_hash_del_key(c->owners, &batch[i]);
	} while (n == RTE_DIM(batch));
}

static void
ep_retire(struct dpsctpd_ctrl *c, unsigned int svc)
{
	if (c->eps[svc] == NULL)
		return;
	dp_stack_engine_stats_add(&c->eng_gone, dpsctp_endpoint_stats(c->eps[svc]));
	dpsctp_endpoint_destroy(c->eps[svc]);
	c->eps[svc] = NULL;
}

/* Release the CLOSING slots every worker is done with. @return slots released. */
static unsigned int
reap_slots(struct dpsctpd_ctrl *c)
{
	uint32_t all = (uint32_t)((1ull << c->s->nworkers) - 1);
	unsigned int i, n = 0;

	for (i = 0; i < c->s->nservices; i++) {
		struct dp_service *sv = &c->s->services[i];

		if (__atomic_load_n(&sv->state, __ATOMIC_ACQUIRE) != DP_SLOT_CLOSING ||
			(__atomic_load_n(&sv->closed_mask, __ATOMIC_ACQUIRE) & all) != all)
			continue;
		ep_retire(c, i);
		owners_forget_port(c, sv->port);
		dp_stack_port_unbind(c->s, i);
		__atomic_store_n(&sv->state, DP_SLOT_FREE, __ATOMIC_RELEASE);
		CLOG(INFO, "endpoint %u (port %u) released\n", i, sv->port);
		n++;
	}
	return n;
}

/* Telemetry's copy of the control endpoints' counters (they come and go on this lcore). */
static void
stats_refresh(struct dpsctpd_ctrl *c)
{
	struct dpsctp_stats sum = c->eng_gone;
	const uint64_t *src = (const uint64_t *)&sum;
	uint64_t *dst = (uint64_t *)&c->eng_sum;
	unsigned int i;
	size_t k;

	for (i = 0; i < DP_MAX_SERVICES; i++)
		if (c->eps[i] != NULL)
			dp_stack_engine_stats_add(&sum, dpsctp_endpoint_stats(c->eps[i]));
	for (k = 0; k < sizeof(sum) / sizeof(uint64_t); k++)
		__atomic_store_n(&dst[k], src[k], __ATOMIC_RELAXED);
}

int
dpsctpd_ctrl_slot_open(struct dpsctpd_ctrl *c, unsigned int svc)
{
	if (svc >= DP_MAX_SERVICES)
		return -EINVAL;
	ep_retire(c, svc);
	return dp_stack_endpoint_create(c->s, svc, 0, NULL, c->now, &c->eps[svc]);
}

int
dpsctpd_ctrl_slot_update(struct dpsctpd_ctrl *c, unsigned int svc, bool remake)
{
	const struct dp_service *sv = &c->s->services[svc];
	int rc;

	if (svc >= DP_MAX_SERVICES || c->eps[svc] == NULL)
		return -EINVAL;
	if (remake) {
		rc = dpsctp_endpoint_set_config(c->eps[svc], &sv->proto);
		if (rc == 0)
			rc = dpsctp_endpoint_set_addrs(c->eps[svc], sv->addrs, sv->naddrs);
		if (rc != 0)
			return rc;
	}
	dpsctp_endpoint_listen(c->eps[svc], sv->listen);
	return 0;
}

void
dpsctpd_ctrl_slot_closing(struct dpsctpd_ctrl *c, unsigned int svc)
{
	if (svc < DP_MAX_SERVICES && c->eps[svc] != NULL)
		dpsctp_endpoint_listen(c->eps[svc], false);
}

void
dpsctpd_ctrl_slot_drop(struct dpsctpd_ctrl *c, unsigned int svc)
{
	if (svc < DP_MAX_SERVICES)
		ep_retire(c, svc);
}

void
dpsctpd_ctrl_set_attach(struct dpsctpd_ctrl *c, struct dpsctpd_attach *a)
{
	c->attach = a;
}

void
dpsctpd_ctrl_nap(unsigned int us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};

	(void)nanosleep(&ts, NULL);
}

unsigned int
dpsctpd_ctrl_poll(struct dpsctpd_ctrl *c)
{
	struct rte_mbuf *pkts[DP_BURST];
	struct dp_msg msgs[DP_BURST];
	unsigned int w, n, i, work = 0;

	c->now = dp_stack_ns(c->s, rte_rdtsc());
	for (w = 0; w < c->s->nworkers; w++) {
		n = rte_ring_sc_dequeue_burst(c->s->to_ctrl_pkt[w], (void **)pkts, DP_BURST, NULL);
		for (i = 0; i < n; i++) {
			packet_input(c, pkts[i]);
			rte_pktmbuf_free(pkts[i]);
		}
		work += n;
		n = rte_ring_sc_dequeue_burst_elem(c->s->to_ctrl_msg[w], msgs, sizeof(msgs[0]),
			DP_BURST, NULL);
		for (i = 0; i < n; i++)
			msg_input(c, w, &msgs[i]);
		work += n;
	}
	if (c->attach != NULL && !c->stopping && c->now >= c->next_attach) {
		c->next_attach = c->now + DPSCTP_MS;
		work += dpsctpd_attach_poll(c->attach, c->now);
		work += reap_slots(c);
	}
	if (c->now >= c->next_slow) {
		c->next_slow = c->now + 10 * DPSCTP_MS;
		link_poll(c);
		stats_refresh(c);
		if (c->npending != 0)
			pending_opens(c);
		for (i = 0; i < c->s->nservices; i++) {
			if (dpsctpd_ctrl_engine_stats(c, i) == NULL)
				continue;
			if (dpsctp_endpoint_next_deadline(c->eps[i]) <= c->now) {
				dpsctp_endpoint_expire(c->eps[i], c->now);
				ep_output(c, c->eps[i]);
			}
		}
		if (c->now >= c->next_age) {
			c->next_age = c->now + 1000 * DPSCTP_MS;
			(void)dp_neigh_age(c->s->neigh, c->now,
				(uint64_t)c->cfg->arp_timeout_ms * DPSCTP_MS);
		}
	}
	return work;
}

/* ---- start ---- */

static void
announce(struct dpsctpd_ctrl *c)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	unsigned int i, k;

	/* gratuitous ARP (RFC 5227 3) and unsolicited NA (RFC 4861 7.2.6): neighbours update */
	for (i = 0; i < c->s->nports; i++) {
		const struct dp_port *p = &c->s->ports[i];

		for (k = 0; k < p->naddrs; k++) {
			uint8_t frame[128];
			size_t n;

			if (p->addrs[k].family == 4) {
				n = dp_arp_build(frame, sizeof(frame), DP_ARP_OP_REQUEST, p->mac,
					&p->addrs[k], zero, &p->addrs[k], bcast);
				c->st.garp_sent++;
			} else {
				n = dp_icmp_nd_build_unsolicited_na(frame, sizeof(frame), p->mac,
					&p->addrs[k]);
				c->st.na_sent++;
			}
			send_frame(c, i, frame, n);
		}
	}
}

int
dpsctpd_ctrl_create(struct dp_stack *s, const struct dpsctpd_config *cfg,
	struct dpsctpd_ctrl **out)
{
	struct dpsctpd_ctrl *c;
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
		.entries = 65536,
		.key_len = sizeof(struct owner_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
	};
	unsigned int i;
	int rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	rc = rte_log_register_type_and_pick_level("dpsctp.control", RTE_LOG_NOTICE);
	if (rc >= 0)
		ctrl_logtype = rc;
	c->s = s;
	c->cfg = cfg;
	snprintf(hname, sizeof(hname), "%s_owners", s->name);
	hp.name = hname;
	c->owners = rte_hash_create(&hp);
	if (c->owners == NULL) {
		free(c);
		return -ENOMEM;
	}
	c->now = dp_stack_ns(s, rte_rdtsc());
	for (i = 0; i < s->nservices; i++) {
		/* owner 0 for now: each INIT names its worker (dpsctp_endpoint_set_owner) */
		rc = dp_stack_endpoint_create(s, i, 0, NULL, c->now, &c->eps[i]);
		if (rc != 0) {
			dpsctpd_ctrl_free(c);
			return rc;
		}
	}
	stats_refresh(c);
	announce(c);
	/* the source services open their associations once the first hop answers ARP / ND */
	for (i = 0; i < s->nservices; i++)
		if (s->services[i].kind == DP_SVC_SOURCE)
			(void)dpsctpd_ctrl_associate(c, i, s->services[i].peers,
				s->services[i].npeers, s->services[i].peer_port);
	*out = c;
	return 0;
}

void
dpsctpd_ctrl_free(struct dpsctpd_ctrl *c)
{
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; i < DP_MAX_SERVICES; i++)
		if (c->eps[i] != NULL)
			dpsctp_endpoint_destroy(c->eps[i]);
	for (i = 0; i < c->npending; i++)
		free(c->pending[i].req);
	rte_hash_free(c->owners);
	free(c);
}

int
dpsctpd_ctrl_associate(struct dpsctpd_ctrl *c, unsigned int svc,
	const struct dpsctp_addr *peers, unsigned int npeers, uint16_t peer_port)
{
	struct dp_associate_req *req;

	if (svc >= c->s->nservices || npeers == 0 || npeers > DPSCTP_MAX_ADDRS || peer_port == 0)
		return -EINVAL;
	if (c->npending == RTE_DIM(c->pending))
		return -ENOBUFS;
	req = calloc(1, sizeof(*req));
	if (req == NULL)
		return -ENOMEM;
	req->svc = svc;
	memcpy(req->peers, peers, npeers * sizeof(peers[0]));
	req->npeers = npeers;
	req->peer_port = peer_port;
	c->pending[c->npending].req = req;
	c->pending[c->npending].worker = c->next_worker;
	c->pending[c->npending].deadline = c->now + 2000 * DPSCTP_MS;
	c->npending++;
	c->next_worker = (c->next_worker + 1) % c->s->nworkers;
	c->st.assoc_requests++;
	c->next_slow = 0;
	return 0;
}

unsigned int
dpsctpd_ctrl_assoc_count(const struct dpsctpd_ctrl *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->s->nworkers; i++)
		n += dp_worker_assoc_count(c->s->workers[i]);
	return n;
}

static void
to_all_workers(struct dpsctpd_ctrl *c, enum dp_msg_type type)
{
	struct dp_msg msg = { .type = (uint16_t)type };
	unsigned int i;

	for (i = 0; i < c->s->nworkers; i++)
		while (rte_ring_sp_enqueue_elem(c->s->to_worker_msg[i], &msg, sizeof(msg)) != 0)
			(void)dpsctpd_ctrl_poll(c);
}

static void
poll_for(struct dpsctpd_ctrl *c, uint64_t ns, bool until_empty)
{
	uint64_t end = dp_stack_ns(c->s, rte_rdtsc()) + ns;

	while (dp_stack_ns(c->s, rte_rdtsc()) < end) {
		if (until_empty && dpsctpd_ctrl_assoc_count(c) == 0)
			return;
		if (dpsctpd_ctrl_poll(c) == 0)
			dpsctpd_ctrl_nap(200);
	}
}

unsigned int
dpsctpd_ctrl_shutdown(struct dpsctpd_ctrl *c, uint32_t wait_ms)
{
	unsigned int left;

	c->npending = 0;
	/* applications wait for their answers until the end closes their connections */
	c->stopping = true;
	/* no wait at all: a SHUTDOWN overtaken by an ABORT 40 us later would only confuse */
	if (wait_ms != 0) {
		to_all_workers(c, DP_MSG_SHUTDOWN_ALL);
		poll_for(c, (uint64_t)wait_ms * DPSCTP_MS, true);
	}
	left = dpsctpd_ctrl_assoc_count(c);
	if (left != 0) {
		CLOG(NOTICE, "%u associations did not close in %u ms: aborting them\n", left,
			wait_ms);
		to_all_workers(c, DP_MSG_ABORT_ALL);
		/* the ABORTs go out on the workers' next drain */
		poll_for(c, 50 * DPSCTP_MS, true);
	}
	to_all_workers(c, DP_MSG_STOP);
	return left;
}

const struct dpsctpd_ctrl_stats *
dpsctpd_ctrl_stats(const struct dpsctpd_ctrl *c)
{
	return &c->st;
}

const struct dpsctp_stats *
dpsctpd_ctrl_engine_stats(const struct dpsctpd_ctrl *c, unsigned int svc)
{
	return svc < c->s->nservices && c->eps[svc] != NULL ? dpsctp_endpoint_stats(c->eps[svc]) :
							       NULL;
}

void
dpsctpd_ctrl_engine_stats_sum(const struct dpsctpd_ctrl *c, struct dpsctp_stats *sum)
{
	dp_stack_engine_stats_add(sum, &c->eng_sum);
}
