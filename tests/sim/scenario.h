/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the scenario tests (lwIP tcp_helper style): a two-node world, the usual
 * conditions to run until, a leak check at teardown, and a tshark check of a pcap.
 */
#ifndef DPSCTP_TESTS_SCENARIO_H
#define DPSCTP_TESTS_SCENARIO_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "chunk.h"
#include "packet.h"
#include "sim.h"

/** A client (198.18.0.1:5000, not listening) and a server (198.18.0.2:5001, listening). */
struct scen {
	struct sim *sim;
	struct sim_node *c;
	struct sim_node *s;
	struct sim_link *cs; /* client -> server */
	struct sim_link *sc; /* server -> client */
	struct dpsctp_assoc *ca; /* the client's association from scen_associate() */
};

static inline void
scen_cfg(struct dpsctp_proto_config *cfg)
{
	dpsctp_proto_config_default(cfg);
}

static inline void
scen_setup_cfg(struct scen *x, uint64_t seed, const struct dpsctp_proto_config *ccfg,
	const struct dpsctp_proto_config *scfg, const struct sim_link_params *lp)
{
	struct dpsctp_addr ca = sim_addr4("198.18.0.1"), sa = sim_addr4("198.18.0.2");
	struct sim_link_params def;

	memset(x, 0, sizeof(*x));
	if (lp == NULL) {
		sim_link_params_default(&def);
		lp = &def;
	}
	x->sim = sim_create(seed);
	cr_assert_not_null(x->sim);
	x->c = sim_node_add(x->sim, "client", &ca, 1, 5000, false, ccfg);
	x->s = sim_node_add(x->sim, "server", &sa, 1, 5001, true, scfg);
	cr_assert(x->c != NULL && x->s != NULL);
	cr_assert_eq(sim_link_add_bidir(x->sim, &ca, &sa, lp, &x->cs, &x->sc), 0);
}

static inline void
scen_setup(struct scen *x, uint64_t seed)
{
	scen_setup_cfg(x, seed, NULL, NULL, NULL);
}

/** Stop both endpoints, check nothing leaked and no simulator error, free the world. */
static inline void
scen_teardown(struct scen *x)
{
	cr_assert_null(sim_error(x->sim), "simulator: %s", sim_error(x->sim));
	sim_stop_all(x->sim);
	cr_assert_eq(sim_live_allocations(x->sim), 0, "%" PRIu64 " allocations leaked",
		sim_live_allocations(x->sim));
	cr_assert_eq(sim_node_alloc_stats(x->c)->bad_frees, 0);
	cr_assert_eq(sim_node_alloc_stats(x->s)->bad_frees, 0);
	sim_destroy(x->sim);
}

static inline void
scen_associate(struct scen *x)
{
	cr_assert_eq(sim_node_associate(x->c, x->s, 0, &x->ca), 0);
}

static inline bool
scen_node_up(const struct sim_node *n)
{
	struct dpsctp_assoc *a = sim_node_assoc(n);

	return a != NULL && dpsctp_assoc_state(a) == DPSCTP_ESTABLISHED;
}

static inline bool
scen_both_up(struct sim *sim, void *arg)
{
	struct scen *x = arg;

	(void)sim;
	return scen_node_up(x->c) && scen_node_up(x->s);
}

static inline bool
scen_both_gone(struct sim *sim, void *arg)
{
	struct scen *x = arg;

	(void)sim;
	return sim_node_assoc_count(x->c) == 0 && sim_node_assoc_count(x->s) == 0;
}

/** Run until both are ESTABLISHED (at most @p max_dt), asserting it happens. */
static inline void
scen_establish(struct scen *x, uint64_t max_dt)
{
	cr_assert(sim_run_until_cond(x->sim, scen_both_up, x, max_dt),
		"not established: client %s, server %s (sim error: %s)",
		dpsctp_state_name(sim_node_last_state(x->c, 0)),
		dpsctp_state_name(sim_node_last_state(x->s, 0)),
		sim_error(x->sim) ? sim_error(x->sim) : "none");
}

static inline uint64_t
scen_events(const struct sim_node *n, enum dpsctp_assoc_change_state st)
{
	return sim_node_count_events(n, DPSCTP_EV_ASSOC_CHANGE, st);
}

static inline uint64_t
scen_drops(const struct sim_node *n, enum dpsctp_drop d)
{
	return dpsctp_endpoint_stats(sim_node_endpoint(n))->drops[d];
}

static inline uint64_t
scen_aborts(const struct sim_node *n, enum dpsctp_abort_code c)
{
	return dpsctp_endpoint_stats(sim_node_endpoint(n))->aborts[c];
}

/** A path as @p from sees it towards @p to (first addresses). */
static inline struct dpsctp_path
scen_path(const struct sim_node *from, const struct sim_node *to)
{
	struct dpsctp_path p = {*sim_node_addr(from, 0), *sim_node_addr(to, 0)};

	return p;
}

/** Deliver to @p to a packet claiming to come from @p from (a crafted or replayed one). */
static inline int
scen_inject(struct scen *x, struct sim_node *to, const struct sim_node *from, const uint8_t *pkt,
	size_t len)
{
	struct dpsctp_path p = scen_path(to, from);

	return sim_inject(x->sim, to, &p, pkt, len);
}

/** A packet of one chunk with no value (or @p value of @p vlen bytes), for injection. */
static inline size_t
scen_packet(uint8_t *buf, size_t cap, uint16_t sport, uint16_t dport, uint32_t vtag, uint8_t type,
	uint8_t flags, const void *value, size_t vlen)
{
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, buf, cap);
	cr_assert_eq(dpsctp_common_hdr_build(&w, sport, dport, vtag), 0);
	cr_assert_eq(dpsctp_chunk_begin(&w, type, flags, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, value, vlen), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	return w.len;
}

/**
 * Check a pcap with tshark: every frame SCTP with a good CRC32c, nothing malformed, no expert
 * error; skipped when tshark is not installed. @return the number of frames.
 */
static inline int
scen_tshark_check(const char *pcap)
{
	char cmd[1024], line[512];
	int frames = 0, bad = 0;
	FILE *f;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd),
		"tshark -n -r '%s' -o sctp.checksum:crc-32c -T fields -E separator='|' "
		"-e frame.number -e sctp.checksum.status -e _ws.malformed "
		"-e _ws.expert.severity 2>/dev/null",
		pcap);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char num[32] = "", crc[32] = "", mal[64] = "", sev[64] = "";

		frames++;
		sscanf(line, "%31[^|]|%31[^|]|%63[^|]|%63[^|\n]", num, crc, mal, sev);
		if (strcmp(crc, "1") != 0 || mal[0] != '\0' ||
			(sev[0] != '\0' && strtoul(sev, NULL, 0) >= 0x00800000)) {
			bad++;
			fprintf(stderr, "tshark: %s", line);
		}
	}
	cr_assert_eq(pclose(f), 0, "tshark failed on %s", pcap);
	cr_assert_eq(bad, 0, "%d bad frames in %s", bad, pcap);
	return frames;
}

#endif /* DPSCTP_TESTS_SCENARIO_H */
