/* SPDX-License-Identifier: BSD-3-Clause */
/* Building, launching and releasing a stack (see setup.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "msg.h"
#include "neigh.h"
#include "port.h"
#include "route.h"
#include "setup.h"
#include "worker.h"

#define NEIGH_CAP 1024

static int
find_port(const struct dpsctpd_port_cfg *pc, uint16_t *id, char *err, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	size_t n = strcspn(pc->device, ",");

	/* a vdev is named by its devargs up to the first comma; a PCI device by its address */
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, pc->device, n);
	name[n] = '\0';
	if (rte_eth_dev_get_port_by_name(name, id) == 0)
		return 0;
	snprintf(err, errlen, "port %s: device '%s' was not found by DPDK (probe failed?)",
		pc->name, pc->device);
	return -ENODEV;
}

static void
service_from_cfg(struct dp_stack *s, const struct dpsctpd_service_cfg *sc, struct dp_service *sv)
{
	unsigned int i, k;

	memset(sv, 0, sizeof(*sv));
	switch (sc->kind) {
	case DPSCTPD_SVC_ECHO:
		sv->kind = DP_SVC_ECHO;
		break;
	case DPSCTPD_SVC_DISCARD:
		sv->kind = DP_SVC_DISCARD;
		break;
	case DPSCTPD_SVC_SOURCE:
		sv->kind = DP_SVC_SOURCE;
		break;
	}
	sv->port = sc->port;
	sv->listen = sc->kind != DPSCTPD_SVC_SOURCE;
	if (sc->naddrs > 0) {
		for (i = 0; i < sc->naddrs && i < DPSCTP_MAX_ADDRS; i++)
			sv->addrs[sv->naddrs++] = sc->addrs[i];
	} else {
		/* every address of every port, then the loopback ones */
		for (i = 0; i < s->nports; i++)
			for (k = 0; k < s->ports[i].naddrs && sv->naddrs < DPSCTP_MAX_ADDRS; k++)
				sv->addrs[sv->naddrs++] = s->ports[i].addrs[k];
		for (i = 0; i < s->nloopback && sv->naddrs < DPSCTP_MAX_ADDRS; i++)
			sv->addrs[sv->naddrs++] = s->loopback[i];
	}
	for (i = 0; i < sc->npeers && i < DPSCTP_MAX_ADDRS; i++)
		sv->peers[sv->npeers++] = sc->peers[i];
	sv->peer_port = sc->peer_port;
	sv->count = sc->count;
	sv->size = sc->size < 8 ? 8 : sc->size;
	sv->streams = sc->streams == 0 ? 1 : sc->streams;
	sv->unordered = sc->unordered;
	sv->check_echo = sc->check_echo;
	sv->proto = s->proto;
	sv->session = -1;
	sv->state = DP_SLOT_OPEN; /* configured services live as long as the stack */
	sv->shutdown_when_done = sc->shutdown_when_done;
}

_Static_assert(DPSCTPD_MAX_ENDPOINTS <= DP_MAX_CONFIG_SLOTS, "configured endpoints fit the slots");

static struct rte_ring *
mk_ring(const struct dp_stack *s, const char *what, unsigned int a, unsigned int b,
	unsigned int esize)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "%.11s_%.2s%hhu_%hhu", s->name, what, (unsigned char)a,
		(unsigned char)b);
	if (esize == 0)
		return rte_ring_create(name, DP_RING_SIZE, (int)rte_socket_id(),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	return rte_ring_create_elem(name, esize, DP_RING_SIZE, (int)rte_socket_id(),
		RING_F_SP_ENQ | RING_F_SC_DEQ);
}

int
dpsctpd_stack_build(const struct dpsctpd_config *cfg, const uint16_t *port_ids,
	const char *name, struct dp_stack **out, char *err, size_t errlen)
{
	struct dp_stack *s;
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i, k;
	int rc;

	s = rte_zmalloc("dp_stack", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory for the stack");
		return -ENOMEM;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->tsc_hz = rte_get_tsc_hz();
	s->tsc0 = rte_rdtsc();
	s->ns_mult = (uint64_t)(((unsigned __int128)1000000000ull << 32) / s->tsc_hz);
	dp_stack_random(NULL, s->cookie_master, sizeof(s->cookie_master));
	s->proto = cfg->proto;
	s->nworkers = cfg->nworkers;
	for (i = 0; i < DP_MAX_SESSIONS; i++)
		s->sessions[i].efd = -1; /* no session yet (attach.c) */
	for (i = 0; i < cfg->nworkers; i++)
		s->worker_lcore[i] = cfg->worker_lcores[i];
	for (i = 0; i < cfg->nloopback && i < DP_MAX_LOOPBACK; i++)
		s->loopback[s->nloopback++] = cfg->loopback[i];

	snprintf(pool_name, sizeof(pool_name), "%s_mbufs", name);
	s->pool = rte_pktmbuf_pool_create(pool_name, cfg->mbufs, cfg->mbuf_cache, 0,
		(uint16_t)(cfg->mbuf_data_room + RTE_PKTMBUF_HEADROOM), (int)rte_socket_id());
	if (s->pool == NULL) {
		rc = -rte_errno;
		snprintf(err, errlen, "mempool of %u mbufs: %s", cfg->mbufs, rte_strerror(rte_errno));
		goto fail;
	}
	s->neigh = rte_zmalloc("dp_neigh", sizeof(*s->neigh), RTE_CACHE_LINE_SIZE);
	if (s->neigh == NULL ||
		dp_neigh_init(s->neigh, rte_zmalloc("dp_neigh_slots", dp_neigh_mem_size(NEIGH_CAP),
					  RTE_CACHE_LINE_SIZE), NEIGH_CAP) != 0) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory for the neighbour table");
		goto fail;
	}
	dp_route_init(&s->routes);

	/* ports */
	s->nports = cfg->nports;
	for (i = 0; i < cfg->nports; i++) {
		const struct dpsctpd_port_cfg *pc = &cfg->ports[i];
		struct dp_port *p = &s->ports[i];
		struct dp_port_params pp = {
			.nqueues = (uint16_t)cfg->nworkers,
			.rx_desc = pc->rx_desc,
			.tx_desc = pc->tx_desc,
			.mtu = pc->mtu,
			.mac = pc->has_mac ? pc->mac : NULL,
			.pool = s->pool,
		};

		snprintf(p->name, sizeof(p->name), "%s", pc->name);
		if (port_ids != NULL)
			p->port_id = port_ids[i];
		else if ((rc = find_port(pc, &p->port_id, err, errlen)) != 0)
			goto fail;
		rc = dp_port_setup(p, &pp, err, errlen);
		if (rc != 0)
			goto fail;
		for (k = 0; k < pc->naddrs && k < DP_MAX_PORT_ADDRS; k++) {
			p->addrs[p->naddrs] = pc->addrs[k].addr;
			p->plen[p->naddrs++] = pc->addrs[k].len;
			rc = dp_route_add_addr(&s->routes, (uint16_t)i, &pc->addrs[k].addr, pc->addrs[k].len);
			if (rc != 0) {
				snprintf(err, errlen, "port %s: route table full", pc->name);
				goto fail;
			}
		}
		if (pc->has_gw4)
			(void)dp_route_set_gateway(&s->routes, (uint16_t)i, &pc->gw4);
		if (pc->has_gw6)
			(void)dp_route_set_gateway(&s->routes, (uint16_t)i, &pc->gw6);
		for (k = 0; k < pc->nneigh; k++)
			(void)dp_neigh_update(s->neigh, (uint16_t)i, &pc->neigh[k].ip,
				pc->neigh[k].mac, 0, true);
		/* a port counts as up until control reads its link state */
		p->link_up = true;
		p->follow_link = pc->follow_link;
		dp_route_set_link(&s->routes, (uint16_t)i, true);
	}

	dp_stack_index_addrs(s); /* addresses are fixed from here on */

	/* the engine sizes packets for the smallest port MTU (per-path PMTU discovery lowers it) */
	for (i = 0; i < s->nports; i++)
		if (i == 0 || s->ports[i].mtu < s->proto.pmtu)
			s->proto.pmtu = s->ports[i].mtu;
	/* a source takes one slot (one local port, one endpoint) per association it opens */
	s->nservices = 0;
	for (i = 0; i < cfg->nservices; i++) {
		const struct dpsctpd_service_cfg *sc = &cfg->services[i];
		unsigned int n = sc->kind == DPSCTPD_SVC_SOURCE ? sc->associations : 1;

		if (n == 0)
			n = 1;
		for (k = 0; k < n; k++) {
			struct dp_service *sv = &s->services[s->nservices];

			if (s->nservices == DP_MAX_CONFIG_SLOTS) {
				snprintf(err, errlen, "more than %u configured endpoints",
					DP_MAX_CONFIG_SLOTS);
				rc = -E2BIG;
				goto fail;
			}
			service_from_cfg(s, sc, sv);
			sv->port = (uint16_t)(sc->port + k);
			dp_stack_port_bind(s, s->nservices++);
		}
	}

	for (i = 0; i < s->nworkers; i++) {
		s->to_ctrl_pkt[i] = mk_ring(s, "cp", i, 0, 0);
		s->to_ctrl_msg[i] = mk_ring(s, "cm", i, 0, sizeof(struct dp_msg));
		s->to_worker_msg[i] = mk_ring(s, "wm", i, 0, sizeof(struct dp_msg));
		if (s->to_ctrl_pkt[i] == NULL || s->to_ctrl_msg[i] == NULL ||
			s->to_worker_msg[i] == NULL)
			goto ring_fail;
		for (k = 0; k < s->nworkers; k++) {
			if (k == i)
				continue;
			s->steer[i][k] = mk_ring(s, "st", i, k, 0);
			if (s->steer[i][k] == NULL)
				goto ring_fail;
		}
	}
	for (i = 0; i < s->nworkers; i++) {
		rc = dp_worker_create(s, i, &s->workers[i]);
		if (rc != 0) {
			snprintf(err, errlen, "worker %u: %s", i, strerror(-rc));
			goto fail;
		}
	}
	*out = s;
	return 0;
ring_fail:
	rc = -rte_errno;
	snprintf(err, errlen, "rings: %s", rte_strerror(rte_errno));
fail:
	dpsctpd_stack_free(s);
	return rc != 0 ? rc : -EINVAL;
}

int
dpsctpd_stack_launch(struct dp_stack *s)
{
	unsigned int i;
	int rc;

	for (i = 0; i < s->nworkers; i++) {
		rc = rte_eal_remote_launch(dp_worker_main, s->workers[i], s->worker_lcore[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
dpsctpd_stack_wait(struct dp_stack *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	/* a lcore already waited for (or never launched) answers at once */
	for (i = 0; i < s->nworkers; i++)
		if (s->workers[i] != NULL)
			(void)rte_eal_wait_lcore(s->worker_lcore[i]);
}

void
dpsctpd_stack_free(struct dp_stack *s)
{
	unsigned int i, k;

	if (s == NULL)
		return;
	dpsctpd_stack_wait(s);
	for (i = 0; i < s->nworkers; i++) {
		struct rte_ring *rings[3] = { s->to_ctrl_pkt[i], s->to_ctrl_msg[i],
			s->to_worker_msg[i] };
		void *m;

		dp_worker_destroy(s->workers[i]);
		/* mbufs still in flight between cores */
		if (rings[0] != NULL)
			while (rte_ring_dequeue(rings[0], &m) == 0)
				rte_pktmbuf_free(m);
		if (rings[2] != NULL) {
			struct dp_msg msg;

			while (rte_ring_dequeue_elem(rings[2], &msg, sizeof(msg)) == 0) {
				if (msg.type == DP_MSG_TX || msg.type == DP_MSG_SCTP_IN ||
					msg.type == DP_MSG_FRAME_IN ||
					msg.type == DP_MSG_PTB)
					rte_pktmbuf_free(msg.ptr);
				else if (msg.type == DP_MSG_ASSOCIATE)
					free(msg.ptr);
			}
		}
		for (k = 0; k < 3; k++)
			rte_ring_free(rings[k]);
		for (k = 0; k < s->nworkers; k++) {
			if (s->steer[i][k] == NULL)
				continue;
			while (rte_ring_dequeue(s->steer[i][k], &m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(s->steer[i][k]);
		}
	}
	for (i = 0; i < s->nports; i++)
		dp_port_close(&s->ports[i]);
	if (s->neigh != NULL) {
		rte_free(s->neigh->slots);
		rte_free(s->neigh);
	}
	rte_mempool_free(s->pool);
	rte_free(s);
}
