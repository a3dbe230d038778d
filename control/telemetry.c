/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands of dpsctpd (dpdk-telemetry.py and dpsctpctl read them):
 *   /dpsctp/stats         counters: traffic, drops by reason, engine, control
 *   /dpsctp/ports         per port: link, MAC, MTU, addresses, NIC counters, offloads
 *   /dpsctp/assocs        association ids (and how many there are)
 *   /dpsctp/assoc,<id>    one association with its paths
 *   /dpsctp/sessions      attached applications: id, pid, uid, gid, state, endpoints, ports
 * Keys use '/' as separator (DPDK 22.11 accepts only [A-Za-z0-9_/] in names).
 *
 * Telemetry runs in its own thread: it reads the workers' counters (single 64-bit words) and
 * their published association snapshots (snapshot.h), never live engine state. DPDK's
 * callbacks carry no context pointer, hence the one file-level pointer to the daemon.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "ctrl.h"
#include "port.h"
#include "steer.h"
#include "telemetry.h"
#include "worker.h"

static struct {
	struct dp_stack *s;
	struct dpsctpd_ctrl *c;
} tel;

static void
add_u64(struct rte_tel_data *d, const char *prefix, const char *name, uint64_t v)
{
	char key[RTE_TEL_MAX_STRING_LEN];

	snprintf(key, sizeof(key), "%s%s", prefix, name);
	rte_tel_data_add_dict_u64(d, key, v);
}

#define ENGINE_FIELD(f) { #f, offsetof(struct dpsctp_stats, f) }
static const struct {
	const char *name;
	size_t off;
} engine_fields[] = {
	ENGINE_FIELD(packets_in), ENGINE_FIELD(packets_out), ENGINE_FIELD(assocs_established),
	ENGINE_FIELD(assocs_closed), ENGINE_FIELD(restarts), ENGINE_FIELD(init_collisions),
	ENGINE_FIELD(t1_expiries), ENGINE_FIELD(t2_expiries), ENGINE_FIELD(hb_sent),
	ENGINE_FIELD(hb_acked), ENGINE_FIELD(errors_sent), ENGINE_FIELD(errors_received),
	ENGINE_FIELD(replies_queued), ENGINE_FIELD(msgs_sent), ENGINE_FIELD(msgs_delivered),
	ENGINE_FIELD(msgs_failed), ENGINE_FIELD(msgs_acked), ENGINE_FIELD(bytes_acked),
	ENGINE_FIELD(data_out), ENGINE_FIELD(data_in),
	ENGINE_FIELD(data_dup), ENGINE_FIELD(retrans_t3), ENGINE_FIELD(retrans_fast),
	ENGINE_FIELD(t3_expiries), ENGINE_FIELD(sacks_out), ENGINE_FIELD(sacks_in),
	ENGINE_FIELD(sacks_express), ENGINE_FIELD(zero_window_probes),
	ENGINE_FIELD(partial_deliveries), ENGINE_FIELD(paths_confirmed), ENGINE_FIELD(paths_pf),
	ENGINE_FIELD(paths_inactive), ENGINE_FIELD(paths_available), ENGINE_FIELD(failovers),
	ENGINE_FIELD(ptb_accepted), ENGINE_FIELD(ptb_rejected),
};

static uint32_t
slot_state(unsigned int k)
{
	return __atomic_load_n(&tel.s->services[k].state, __ATOMIC_ACQUIRE);
}

/* Application endpoints in use (OPEN or CLOSING), of session @p si (-1: of any). */
static unsigned int
count_app_endpoints(int si)
{
	unsigned int k, n = 0, ns = __atomic_load_n(&tel.s->nservices, __ATOMIC_ACQUIRE);

	for (k = 0; k < ns && k < DP_MAX_SERVICES; k++)
		if (slot_state(k) != DP_SLOT_FREE && tel.s->services[k].kind == DP_SVC_APP &&
			(si < 0 || tel.s->services[k].session == si))
			n++;
	return n;
}

static unsigned int
count_sessions(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < DP_MAX_SESSIONS; i++)
		n += __atomic_load_n(&tel.s->sessions[i].state, __ATOMIC_ACQUIRE) !=
			DP_SESSION_FREE;
	return n;
}

static int
cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_worker_stats sum;
	struct dpsctp_stats eng;
	const struct dpsctpd_ctrl_stats *cs;
	unsigned int w, k;

	(void)cmd;
	(void)params;
	if (tel.s == NULL)
		return -ENODEV;
	memset(&sum, 0, sizeof(sum));
	memset(&eng, 0, sizeof(eng));
	for (w = 0; w < tel.s->nworkers; w++) {
		dp_worker_stats_add(&sum, tel.s->workers[w]);
		dp_worker_engine_stats(tel.s->workers[w], &eng);
	}
	/* control's endpoints come and go with applications: its own copy of their counters */
	if (tel.c != NULL)
		dpsctpd_ctrl_engine_stats_sum(tel.c, &eng);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", tel.s->nworkers);
	rte_tel_data_add_dict_u64(d, "assocs",
		tel.c != NULL ? dpsctpd_ctrl_assoc_count(tel.c) : 0);
	rte_tel_data_add_dict_u64(d, "uptime_ms",
		dp_stack_ns(tel.s, rte_rdtsc()) / DPSCTP_MS);
	rte_tel_data_add_dict_u64(d, "sessions", count_sessions());
	rte_tel_data_add_dict_u64(d, "app_endpoints", count_app_endpoints(-1));
	rte_tel_data_add_dict_u64(d, "rx_packets", sum.rx_packets);
	rte_tel_data_add_dict_u64(d, "rx_bytes", sum.rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_packets", sum.tx_packets);
	rte_tel_data_add_dict_u64(d, "tx_bytes", sum.tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_dropped", sum.tx_dropped);
	rte_tel_data_add_dict_u64(d, "to_control", sum.to_control);
	rte_tel_data_add_dict_u64(d, "steered", sum.steered);
	rte_tel_data_add_dict_u64(d, "local", sum.local);
	rte_tel_data_add_dict_u64(d, "ootb_answers", sum.ootb_answers);
	rte_tel_data_add_dict_u64(d, "loops", sum.loops);
	rte_tel_data_add_dict_u64(d, "busy_loops", sum.busy_loops);
	rte_tel_data_add_dict_u64(d, "service/msgs_in", sum.svc_msgs_in);
	rte_tel_data_add_dict_u64(d, "service/bytes_in", sum.svc_bytes_in);
	rte_tel_data_add_dict_u64(d, "service/msgs_out", sum.svc_msgs_out);
	rte_tel_data_add_dict_u64(d, "service/bytes_out", sum.svc_bytes_out);
	rte_tel_data_add_dict_u64(d, "service/bad", sum.svc_bad);
	rte_tel_data_add_dict_u64(d, "service/done", sum.svc_done);
	for (k = 0; k < DP_DROP_COUNT; k++)
		add_u64(d, "drop/", dp_drop_name(k), sum.drops[k]);
	for (k = 1; k < DP_INET_DROP_COUNT; k++)
		add_u64(d, "drop/", dp_inet_drop_name((int)k), sum.inet_drops[k]);
	for (k = 0; k < RTE_DIM(engine_fields); k++) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)&eng + engine_fields[k].off, sizeof(v));
		add_u64(d, "engine/", engine_fields[k].name, v);
	}
	for (k = 0; k < DPSCTP_DROP_COUNT; k++)
		add_u64(d, "engine/drop/", dpsctp_drop_name(k), eng.drops[k]);
	for (k = 0; k < DPSCTP_ABORT_COUNT; k++)
		add_u64(d, "engine/abort/", dpsctp_abort_code_name(k), eng.aborts[k]);
	if (tel.c != NULL) {
		cs = dpsctpd_ctrl_stats(tel.c);
		add_u64(d, "control/", "arp_in", cs->arp_in);
		add_u64(d, "control/", "arp_replies", cs->arp_replies);
		add_u64(d, "control/", "arp_requests", cs->arp_requests);
		add_u64(d, "control/", "nd_in", cs->nd_in);
		add_u64(d, "control/", "na_sent", cs->na_sent);
		add_u64(d, "control/", "ns_sent", cs->ns_sent);
		add_u64(d, "control/", "echo_replies", cs->echo_replies);
		add_u64(d, "control/", "icmp_unreach", cs->icmp_unreach);
		add_u64(d, "control/", "icmp_ptb", cs->icmp_ptb);
		add_u64(d, "control/", "init_in", cs->init_in);
		add_u64(d, "control/", "init_answered", cs->init_answered);
		add_u64(d, "control/", "init_steered", cs->init_steered);
		add_u64(d, "control/", "link_changes", cs->link_changes);
		add_u64(d, "drop/", "control_ring_full", cs->tx_ring_full);
		add_u64(d, "drop/", "control_no_route", cs->tx_no_route);
		add_u64(d, "drop/", "control_no_neighbour", cs->tx_no_neigh);
		add_u64(d, "drop/", "control_no_mbuf", cs->tx_no_mbuf);
		add_u64(d, "drop/", "icmp_bad", cs->icmp_bad);
	}
	return 0;
}

static int
cmd_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int i, k;

	(void)cmd;
	(void)params;
	if (tel.s == NULL)
		return -ENODEV;
	rte_tel_data_start_dict(d);
	for (i = 0; i < tel.s->nports; i++) {
		const struct dp_port *p = &tel.s->ports[i];
		struct rte_eth_stats es;
		struct rte_tel_data *addrs = rte_tel_data_alloc();
		char key[RTE_TEL_MAX_STRING_LEN], val[64];

		memset(&es, 0, sizeof(es));
		(void)rte_eth_stats_get(p->port_id, &es);
#define PKEY(f) (snprintf(key, sizeof(key), "%s/%s", p->name, f), key)
		rte_tel_data_add_dict_u64(d, PKEY("port_id"), p->port_id);
		rte_tel_data_add_dict_string(d, PKEY("link"),
			__atomic_load_n(&p->link_up, __ATOMIC_RELAXED) ? "up" : "down");
		snprintf(val, sizeof(val), "%02x:%02x:%02x:%02x:%02x:%02x", p->mac[0], p->mac[1],
			p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
		rte_tel_data_add_dict_string(d, PKEY("mac"), val);
		rte_tel_data_add_dict_u64(d, PKEY("mtu"), p->mtu);
		if (addrs != NULL) {
			rte_tel_data_start_array(addrs, RTE_TEL_STRING_VAL);
			for (k = 0; k < p->naddrs; k++) {
				char a[64], s[80];

				dpsctpd_format_addr(&p->addrs[k], a, sizeof(a));
				snprintf(s, sizeof(s), "%s/%u", a, p->plen[k]);
				rte_tel_data_add_array_string(addrs, s);
			}
			rte_tel_data_add_dict_container(d, PKEY("addresses"), addrs, 0);
		}
		rte_tel_data_add_dict_u64(d, PKEY("rx_packets"), es.ipackets);
		rte_tel_data_add_dict_u64(d, PKEY("tx_packets"), es.opackets);
		rte_tel_data_add_dict_u64(d, PKEY("rx_bytes"), es.ibytes);
		rte_tel_data_add_dict_u64(d, PKEY("tx_bytes"), es.obytes);
		rte_tel_data_add_dict_u64(d, PKEY("rx_missed"), es.imissed);
		rte_tel_data_add_dict_u64(d, PKEY("rx_errors"), es.ierrors);
		rte_tel_data_add_dict_u64(d, PKEY("tx_errors"), es.oerrors);
		rte_tel_data_add_dict_string(d, PKEY("offload"),
			dp_port_offloads(p, val, sizeof(val)));
#undef PKEY
	}
	return 0;
}

static int
cmd_assocs(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *ids;
	uint32_t buf[RTE_TEL_MAX_ARRAY_ENTRIES];
	uint64_t count = 0;
	unsigned int w, n = 0, i;

	(void)cmd;
	(void)params;
	if (tel.s == NULL)
		return -ENODEV;
	ids = rte_tel_data_alloc();
	if (ids == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(ids, RTE_TEL_U64_VAL);
	for (w = 0; w < tel.s->nworkers; w++) {
		uint32_t total = 0;
		unsigned int got = dp_snapshot_ids(&tel.s->workers[w]->snap, buf + n,
			RTE_DIM(buf) - n, &total);

		n += got;
		count += total;
	}
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_u64(ids, buf[i]);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "count", count);
	rte_tel_data_add_dict_container(d, "ids", ids, 0);
	return 0;
}

static struct rte_tel_data *
str_array(void)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a != NULL)
		rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	return a;
}

static struct rte_tel_data *
u64_array(void)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a != NULL)
		rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	return a;
}

static const char *
svc_kind_name(enum dp_service_kind k)
{
	switch (k) {
	case DP_SVC_ECHO:
		return "echo";
	case DP_SVC_DISCARD:
		return "discard";
	case DP_SVC_SOURCE:
		return "source";
	case DP_SVC_APP:
		return "app";
	}
	return "?";
}

static int
cmd_sessions(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const char *const names[7] = { "id", "pid", "uid", "gid", "state", "endpoints",
		"ports" };
	static const char *const states[3] = { "free", "live", "dead" };
	struct rte_tel_data *arr[7];
	unsigned int i, k, n = 0, ns;

	(void)cmd;
	(void)params;
	if (tel.s == NULL)
		return -ENODEV;
	for (i = 0; i < 7; i++)
		arr[i] = i >= 4 && i != 5 ? str_array() : u64_array();
	for (i = 0; i < 7; i++)
		if (arr[i] == NULL)
			goto nomem;
	ns = __atomic_load_n(&tel.s->nservices, __ATOMIC_ACQUIRE);
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		const struct dp_session *ds = &tel.s->sessions[i];
		uint32_t st = __atomic_load_n(&ds->state, __ATOMIC_ACQUIRE);
		char ports[RTE_TEL_MAX_STRING_LEN];
		size_t len = 0;

		if (st == DP_SESSION_FREE || st > DP_SESSION_DEAD)
			continue;
		ports[0] = '\0';
		for (k = 0; k < ns && k < DP_MAX_SERVICES; k++) {
			const struct dp_service *sv = &tel.s->services[k];
			uint32_t ss = slot_state(k);

			if (ss == DP_SLOT_FREE || sv->kind != DP_SVC_APP || sv->session != (int)i ||
				len + 16 >= sizeof(ports))
				continue;
			len += (size_t)snprintf(ports + len, sizeof(ports) - len, "%s%u%s",
				len == 0 ? "" : ",", sv->port,
				ss == DP_SLOT_CLOSING ? "(closing)" : "");
		}
		rte_tel_data_add_array_u64(arr[0], ds->id);
		rte_tel_data_add_array_u64(arr[1], (uint64_t)ds->pid);
		rte_tel_data_add_array_u64(arr[2], (uint64_t)ds->uid);
		rte_tel_data_add_array_u64(arr[3], (uint64_t)ds->gid);
		rte_tel_data_add_array_string(arr[4], states[st]);
		rte_tel_data_add_array_u64(arr[5], count_app_endpoints((int)i));
		rte_tel_data_add_array_string(arr[6], ports);
		n++;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "count", n);
	for (i = 0; i < 7; i++)
		rte_tel_data_add_dict_container(d, names[i], arr[i], 0);
	return 0;
nomem:
	for (i = 0; i < 7; i++)
		if (arr[i] != NULL)
			rte_tel_data_free(arr[i]);
	return -ENOMEM;
}

static int
cmd_assoc(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dp_snap_assoc a;
	struct rte_tel_data *arr[10];
	static const char *const names[10] = { "paths/local", "paths/remote", "paths/state",
		"paths/primary", "paths/cwnd", "paths/flight", "paths/srtt_us", "paths/rto_ms",
		"paths/mtu", "paths/errors" };
	char *end, buf[64], svc[48];
	unsigned long id;
	unsigned int w, i;

	(void)cmd;
	if (tel.s == NULL || params == NULL || *params == '\0')
		return -EINVAL;
	errno = 0;
	id = strtoul(params, &end, 10);
	if (errno != 0 || *end != '\0' || id > UINT32_MAX)
		return -EINVAL;
	w = dp_steer_owner_of_id((uint32_t)id);
	if (w >= tel.s->nworkers || !dp_snapshot_get(&tel.s->workers[w]->snap, (uint32_t)id, &a))
		return -ENOENT;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "id", a.id);
	rte_tel_data_add_dict_u64(d, "worker", w);
	snprintf(svc, sizeof(svc), "%s:%u",
		a.svc >= DP_MAX_SERVICES ? "?" : svc_kind_name(tel.s->services[a.svc].kind),
		a.svc >= DP_MAX_SERVICES ? 0 : tel.s->services[a.svc].port);
	rte_tel_data_add_dict_string(d, "service", svc);
	rte_tel_data_add_dict_string(d, "state", dpsctp_state_name(a.state));
	rte_tel_data_add_dict_u64(d, "local_port", a.local_port);
	rte_tel_data_add_dict_u64(d, "peer_port", a.peer_port);
	rte_tel_data_add_dict_u64(d, "local_vtag", a.local_vtag);
	rte_tel_data_add_dict_u64(d, "peer_vtag", a.peer_vtag);
	rte_tel_data_add_dict_string(d, "primary", dpsctpd_format_addr(&a.primary, buf, sizeof(buf)));
	rte_tel_data_add_dict_u64(d, "outbound_streams", a.os);
	rte_tel_data_add_dict_u64(d, "inbound_streams", a.is);
	rte_tel_data_add_dict_u64(d, "peer_rwnd", a.peer_rwnd);
	rte_tel_data_add_dict_u64(d, "rwnd", a.rwnd);
	rte_tel_data_add_dict_u64(d, "cwnd", a.cwnd);
	rte_tel_data_add_dict_u64(d, "ssthresh", a.ssthresh);
	rte_tel_data_add_dict_u64(d, "flight", a.flight);
	rte_tel_data_add_dict_u64(d, "srtt_us", a.srtt / 1000);
	rte_tel_data_add_dict_u64(d, "rto_ms", a.rto / DPSCTP_MS);
	rte_tel_data_add_dict_u64(d, "unacked", a.unacked);
	rte_tel_data_add_dict_u64(d, "queued", a.queued);
	/* received and not yet read: the window we advertise is smaller by it */
	rte_tel_data_add_dict_u64(d, "recv_queued",
		tel.s->proto.a_rwnd > a.rwnd ? tel.s->proto.a_rwnd - a.rwnd : 0);
	for (i = 0; i < 10; i++)
		arr[i] = i < 3 ? str_array() : u64_array();
	for (i = 0; i < 10; i++)
		if (arr[i] == NULL)
			goto nomem;
	for (i = 0; i < a.npaths; i++) {
		const struct dp_snap_path *p = &a.paths[i];

		rte_tel_data_add_array_string(arr[0], dpsctpd_format_addr(&p->path.local, buf,
							      sizeof(buf)));
		rte_tel_data_add_array_string(arr[1], dpsctpd_format_addr(&p->path.remote, buf,
							      sizeof(buf)));
		rte_tel_data_add_array_string(arr[2], dpsctp_path_state_name(p->state));
		rte_tel_data_add_array_u64(arr[3], p->primary);
		rte_tel_data_add_array_u64(arr[4], p->cwnd);
		rte_tel_data_add_array_u64(arr[5], p->flight);
		rte_tel_data_add_array_u64(arr[6], p->srtt / 1000);
		rte_tel_data_add_array_u64(arr[7], p->rto / DPSCTP_MS);
		rte_tel_data_add_array_u64(arr[8], p->mtu);
		rte_tel_data_add_array_u64(arr[9], p->errors);
	}
	for (i = 0; i < 10; i++)
		rte_tel_data_add_dict_container(d, names[i], arr[i], 0);
	return 0;
nomem:
	for (i = 0; i < 10; i++)
		if (arr[i] != NULL)
			rte_tel_data_free(arr[i]);
	return -ENOMEM;
}

void
dpsctpd_telemetry_register(struct dp_stack *s, struct dpsctpd_ctrl *c)
{
	tel.s = s;
	tel.c = c;
	rte_telemetry_register_cmd("/dpsctp/stats", cmd_stats,
		"dpsctpd counters: traffic, drops by reason, engine, control. No parameters");
	rte_telemetry_register_cmd("/dpsctp/ports", cmd_ports,
		"dpsctpd ports: link, MAC, MTU, addresses, counters, offloads. No parameters");
	rte_telemetry_register_cmd("/dpsctp/assocs", cmd_assocs,
		"dpsctpd association ids (up to 512) and their count. No parameters");
	rte_telemetry_register_cmd("/dpsctp/assoc", cmd_assoc,
		"One association and its paths. Parameter: association id");
	rte_telemetry_register_cmd("/dpsctp/sessions", cmd_sessions,
		"Attached applications: id, pid, uid, gid, state, endpoints, ports. No parameters");
}

void
dpsctpd_telemetry_unregister(void)
{
	/* DPDK 22.11 cannot unregister commands: they answer -ENODEV from now on */
	tel.s = NULL;
	tel.c = NULL;
}
