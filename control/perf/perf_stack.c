/* SPDX-License-Identifier: BSD-3-Clause */
/* dpsctp-perf's stacks (see perf_stack.h; what is built for each mode: perf_b2b.c). */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "perf_stack.h"
#include "setup.h"
#include "worker.h"

/* ---- configuration ---- */

/*
 * Append the service of the run to @p c: a discard (bulk) or echo (rr) on @p port, or a source
 * of o->assocs associations (local ports PERF_SRC_PORT..) toward @p peer port @p port.
 * @return 0 or -1 (said why).
 */
static int
add_services(const struct perf_opts *o, struct dpsctpd_config *c, bool client, const char *peer,
	unsigned int port)
{
	struct dpsctp_addr peers[DPSCTP_MAX_ADDRS];
	struct dpsctpd_service_cfg *sc;
	unsigned int npeers = 0, i, used = 0;
	char list[256], *tok, *save = NULL;

	for (i = 0; i < c->nservices; i++)
		used += c->services[i].kind == DPSCTPD_SVC_SOURCE ? c->services[i].associations : 1;
	if (c->nservices == DPSCTPD_MAX_SERVICES ||
		(client && (o->assocs > DPSCTPD_MAX_SOURCE_ASSOCS ||
				   used + o->assocs > DPSCTPD_MAX_ENDPOINTS))) {
		fprintf(stderr,
			"dpsctp-perf: at most %u associations here (a source has a local port "
			"and an endpoint per association; %u endpoints in all, %u already "
			"configured)\n",
			DPSCTPD_MAX_SOURCE_ASSOCS, DPSCTPD_MAX_ENDPOINTS, used);
		return -1;
	}
	if (o->streams > c->proto.os) {
		fprintf(stderr,
			"dpsctp-perf: %u streams: more than protocol.outbound_streams (%u)\n",
			o->streams, c->proto.os);
		return -1;
	}
	snprintf(list, sizeof(list), "%s", client ? peer : "");
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (npeers == DPSCTP_MAX_ADDRS || dpsctpd_parse_addr(tok, &peers[npeers]) != 0) {
			fprintf(stderr, "dpsctp-perf: bad peer address %s\n", tok);
			return -1;
		}
		npeers++;
	}
	sc = &c->services[c->nservices++];
	memset(sc, 0, sizeof(*sc));
	if (!client) {
		sc->kind = o->rr ? DPSCTPD_SVC_ECHO : DPSCTPD_SVC_DISCARD;
		sc->port = (uint16_t)port;
		return 0;
	}
	sc->kind = DPSCTPD_SVC_SOURCE;
	sc->port = PERF_SRC_PORT;
	sc->associations = o->assocs;
	memcpy(sc->peers, peers, sizeof(peers));
	sc->npeers = npeers;
	sc->peer_port = (uint16_t)port;
	sc->count = 0;
	sc->size = o->size;
	sc->streams = (uint16_t)o->streams;
	sc->unordered = o->unordered;
	sc->check_echo = o->rr;
	sc->shutdown_when_done = false;
	return 0;
}

/* The YAML of one stack: its worker lcore, pool, streams, one port. */
static int
side_yaml(
	const struct perf_opts *o, unsigned int worker, const char *port_line, char *y, size_t len)
{
	int n = snprintf(y, len,
		"lcores: {control: 0, workers: [%u]}\n"
		"mempool: {mbufs: 32767, cache: 256}\n"
		"protocol: {outbound_streams: %u}\n"
		"ports:\n  - %s\n",
		worker, o->streams > 10 ? o->streams : 10, port_line);

	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

/* The file's settings that apply to a stack made here (b2b with -c). */
static void
apply_file(struct dpsctpd_config *c, const struct dpsctpd_config *f)
{
	c->proto = f->proto;
	c->mbufs = f->mbufs;
	c->mbuf_cache = f->mbuf_cache;
	c->mbuf_data_room = f->mbuf_data_room;
	c->arp_timeout_ms = f->arp_timeout_ms;
}

/* ---- EAL ---- */

/* The first two CPUs we may run on (the same one twice on a single CPU). */
static void
two_cpus(int cpu[2])
{
	cpu_set_t cs;
	int i, n = 0;

	cpu[0] = cpu[1] = 0;
	if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
		for (i = 0; i < CPU_SETSIZE && n < 2; i++)
			if (CPU_ISSET(i, &cs))
				cpu[n++] = i;
	if (n == 1)
		cpu[1] = cpu[0];
}

/* The vdev of one end of the memif link (@p server: B's), for EAL and for the port's device. */
static void
memif_devargs(bool server, char *buf, size_t len)
{
	/* an abstract socket: nothing to clean up; named after the parent, the same in both */
	snprintf(buf, len,
		"net_memif0,role=%s,socket=/dpsctp-perf-%d,socket-abstract=yes,"
		"mac=02:00:00:00:00:%s",
		server ? "server" : "client", server ? (int)getppid() : (int)getpid(),
		server ? "0b" : "0a");
}

/*
 * EAL for this process. @p memif: 0 none, 'c' the generator side of b2b over memif, 's' the
 * sink side (the child): each has its main lcore and worker lcore 1 on a CPU of its own.
 */
int
perf_stack_eal(
	const struct perf_opts *o, const struct dpsctpd_config *f, const char *prog, int memif)
{
	char dev[160];
	static char store[2048];
	char *argv[96];
	int argc = 0, cpu[2], i;
	size_t used = 0;
	unsigned int k;
	bool b2b = strcmp(o->mode, "b2b") == 0;

#define FMT(...)                                                                    \
	do {                                                                        \
		int n_ = snprintf(store + used, sizeof(store) - used, __VA_ARGS__); \
		if (argc < (int)RTE_DIM(argv) - 1 && n_ > 0 &&                      \
			used + (size_t)n_ + 1 < sizeof(store)) {                    \
			argv[argc++] = store + used;                                \
			used += (size_t)n_ + 1;                                     \
		}                                                                   \
	} while (0)
	FMT("%s", prog);
	FMT("--file-prefix=%s_%d", f != NULL ? f->file_prefix : "dpsctp_perf", (int)getpid());
	FMT("--no-shconf");
	FMT("--no-telemetry");
	two_cpus(cpu);
	if (memif != 0)
		FMT("--lcores=0@%d,1@%d", cpu[memif == 's'], cpu[memif == 's']);
	else if (f != NULL && f->lcore_map[0] != '\0')
		FMT("--lcores=%s", f->lcore_map);
	else if (b2b)
		FMT("--lcores=0@%d,1@%d,2@%d", cpu[0], cpu[0], cpu[1]);
	else
		FMT("--lcores=0@%d,1@%d", cpu[0], cpu[1]);
	FMT("--main-lcore=0");
	if (f == NULL || f->huge <= 0)
		FMT("--no-huge");
	FMT("-m%u", f != NULL && f->memory_mb > 512 ? f->memory_mb : 512);
	FMT("--log-level=%s", f != NULL ? f->log_level : "notice");
	if (b2b || f == NULL || f->nports == 0)
		FMT("--no-pci");
	if (!b2b && f == NULL)
		FMT("--vdev=net_tap0,iface=dpperf0");
	if (memif != 0) {
		memif_devargs(memif == 's', dev, sizeof(dev));
		FMT("--vdev=%s", dev);
	}
	for (k = 0; f != NULL && !b2b && k < f->nports; k++)
		FMT(f->ports[k].is_vdev ? "--vdev=%s" : "-a%s", f->ports[k].device);
	for (k = 0; f != NULL && k < f->n_eal_args; k++)
		FMT("%s", f->eal_args[k]);
	for (i = 0; i < o->eal_argc; i++)
		FMT("%s", o->eal_argv[i]);
#undef FMT
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dpsctp-perf: EAL: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* ---- stacks ---- */

/* A ring port has no MAC: give it one the way a NIC comes with its own (see dp_eal.h). */
static int
ring_port(struct perf_run *r, unsigned int i)
{
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, (uint8_t)(0x0a + i)}};
	char name[16];
	int id;

	snprintf(name, sizeof(name), "perf%c", 'A' + i);
	id = rte_eth_from_rings(
		name, &r->to[i], 1, &r->to[1 - i], 1, (unsigned int)rte_socket_id());
	if (id < 0 || rte_eth_dev_mac_addr_add((uint16_t)id, &mac, 0) != 0)
		return -1;
	r->side[i].port_id = (uint16_t)id;
	return 0;
}

/*
 * Stack @p i: from @p yaml (its lcores, pool, port), or from the file @p file as it is (peer
 * with -c), with the services of the run added; b2b takes the file's engine and pool settings.
 */
static int
stack_build(struct perf_run *r, unsigned int i, const char *yaml, const struct dpsctpd_config *file,
	bool client, const char *peer, unsigned int port)
{
	struct perf_side *sd = &r->side[i];
	char err[256], name[8];
	int rc;

	snprintf(name, sizeof(name), "perf%c", 'A' + i);
	if (yaml != NULL) {
		rc = dpsctpd_config_parse(name, yaml, strlen(yaml), &sd->cfg, err, sizeof(err));
		if (rc != 0) {
			fprintf(stderr, "dpsctp-perf: configuration of %s: %s\n", name, err);
			return -1;
		}
		if (file != NULL)
			apply_file(&sd->cfg, file);
	} else {
		sd->cfg = *file;
		memset(sd->cfg.eal_args, 0, sizeof(sd->cfg.eal_args)); /* the file's own */
		sd->cfg.n_eal_args = 0;
	}
	sd->built = true;
	if (add_services(r->o, &sd->cfg, client, peer, port) != 0)
		return -1;
	rc = dpsctpd_stack_build(
		&sd->cfg, r->nsides == 2 ? &sd->port_id : NULL, name, &sd->s, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dpsctp-perf: stack %s: %s\n", name, err);
		return -1;
	}
	return 0;
}

static void
free_ring(struct rte_ring *ring)
{
	void *m;

	if (ring == NULL)
		return;
	while (rte_ring_dequeue(ring, &m) == 0)
		rte_pktmbuf_free(m);
}

/* Shut down, then free: frames of one stack's pool sit in the other's rings until then. */
void
perf_stack_teardown(struct perf_run *r)
{
	unsigned int i, w, k;

	for (i = 0; i < r->nsides; i++)
		if (r->side[i].c != NULL)
			(void)dpsctpd_ctrl_shutdown(r->side[i].c, i == 0 ? 300 : 0);
	for (i = 0; i < r->nsides; i++)
		if (r->side[i].s != NULL)
			dpsctpd_stack_wait(r->side[i].s);
	for (i = 0; i < 2; i++)
		free_ring(r->to[i]);
	for (i = 0; i < r->nsides; i++) {
		struct dp_stack *s = r->side[i].s;

		for (w = 0; s != NULL && w < s->nworkers; w++) {
			free_ring(s->to_ctrl_pkt[w]);
			for (k = 0; k < s->nworkers; k++)
				free_ring(s->steer[w][k]);
		}
	}
	for (i = 0; i < r->nsides; i++) {
		dpsctpd_ctrl_free(r->side[i].c);
		dpsctpd_stack_free(r->side[i].s);
		if (r->side[i].built)
			dpsctpd_config_free(&r->side[i].cfg);
	}
	for (i = 0; i < 2; i++)
		rte_ring_free(r->to[i]);
	free(r->gen.per_worker);
	free(r->lat0);
}

/* Give the generator side's sources their dp_gen. */
int
perf_stack_arm(struct perf_run *r)
{
	struct dp_stack *s = r->side[r->gen_side].s;
	unsigned int i;

	r->gen.outstanding = r->o->rr ? r->o->outstanding : 0;
	r->gen.per_worker = calloc(s->nworkers, sizeof(*r->gen.per_worker));
	r->lat0 = calloc(s->nworkers, sizeof(*r->lat0));
	if (r->gen.per_worker == NULL || r->lat0 == NULL)
		return -1;
	for (i = 0; i < s->nservices; i++)
		if (s->services[i].kind == DP_SVC_SOURCE)
			s->services[i].perf = &r->gen;
	return 0;
}

int
perf_setup_b2b(struct perf_run *r, const struct dpsctpd_config *file)
{
	static const char *const line[2] = {
		"{name: ringA, device: net_ring_perfA, addresses: [198.18.0.1/24]}",
		"{name: ringB, device: net_ring_perfB, addresses: [198.18.0.2/24]}",
	};
	unsigned int wl[2] = {1, 2}, i;
	char yaml[1024];

	if (file != NULL && file->nworkers >= 2) {
		wl[0] = file->worker_lcores[0];
		wl[1] = file->worker_lcores[1];
	}
	r->nsides = 2;
	r->gen_side = 0;
	for (i = 0; i < 2; i++) {
		char name[16];

		snprintf(name, sizeof(name), "perf_link%u", i);
		r->to[i] = rte_ring_create(
			name, PERF_LINK_RING, (int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r->to[i] == NULL)
			return -1;
	}
	for (i = 0; i < 2; i++)
		if (ring_port(r, i) != 0)
			return -1;
	for (i = 0; i < 2; i++) {
		if (side_yaml(r->o, wl[i], line[i], yaml, sizeof(yaml)) != 0 ||
			stack_build(r, i, yaml, file, i == 0, "198.18.0.2", r->o->rr ? 7 : 9) != 0)
			return -1;
	}
	return 0;
}

/* One side of b2b over memif in this process: A (generator) or, @p server, B (sink). */
int
perf_setup_memif(struct perf_run *r, const struct dpsctpd_config *file, bool server)
{
	char yaml[1024], line[256], dev[160];

	r->nsides = 1;
	r->gen_side = 0;
	memif_devargs(server, dev, sizeof(dev));
	snprintf(line, sizeof(line),
		"{name: memif0, device: \"%s\", follow_link: false, addresses: [198.18.0.%d/24]}",
		dev, server ? 2 : 1);
	if (side_yaml(r->o, 1, line, yaml, sizeof(yaml)) != 0)
		return -1;
	return stack_build(r, 0, yaml, file, !server, "198.18.0.2", r->o->rr ? 7 : 9);
}

int
perf_setup_peer(struct perf_run *r, const struct dpsctpd_config *file)
{
	char yaml[1024], line[256];

	r->nsides = 1;
	r->gen_side = 0;
	if (file == NULL) {
		snprintf(line, sizeof(line),
			"{name: tap0, device: \"net_tap0,iface=dpperf0\", mac: "
			"\"02:00:00:00:00:01\", addresses: [\"%s%s\"],"
			" follow_link: false}",
			r->o->local, strchr(r->o->local, '/') != NULL ? "" : "/24");
		if (side_yaml(r->o, 1, line, yaml, sizeof(yaml)) != 0)
			return -1;
	}
	return stack_build(
		r, 0, file == NULL ? yaml : NULL, file, !r->o->server, r->o->peer, r->o->port);
}
