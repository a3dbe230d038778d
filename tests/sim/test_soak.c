/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised soak: for each seed (2000 by default, SIM_SOAK_SEEDS to change), a link with 0-30%
 * loss, duplication, reordering, delay and jitter drawn from the seed; association set-up,
 * keep-alive (one seed in eight cuts the link for up to 90 s), then a graceful shutdown from
 * either side. Invariants: every association that
 * existed ends with exactly one terminal notification, both sides end either closed cleanly or
 * with the failure reported (never silently), nothing is left and nothing leaks.
 */
#include "scenario.h"

TestSuite(soak, .timeout = 600);

static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double
unit(uint64_t *s)
{
	return (double)(mix(s) >> 11) / 9007199254740992.0;
}

struct outcome {
	unsigned int clean;       /* both sides SHUTDOWN_COMP */
	unsigned int failed;      /* both sides reported a failure (or the server never knew) */
	unsigned int half;        /* one side closed, the other gave up on T2 (COMM_LOST) */
	unsigned int never_up;    /* the client never got COMM_UP */
	uint64_t lost, duplicated, reordered, delivered;
};

static uint64_t
terminal(const struct sim_node *n)
{
	return scen_events(n, DPSCTP_EV_SHUTDOWN_COMP) + scen_events(n, DPSCTP_EV_COMM_LOST) +
		scen_events(n, DPSCTP_EV_CANT_STR_ASSOC);
}

static void
soak_one(uint64_t seed, struct outcome *o)
{
	struct scen x;
	struct dpsctp_proto_config cfg;
	struct sim_link_params lp;
	uint64_t s = seed * 7919 + 1;
	bool up;
	uint64_t cup, sup;

	scen_cfg(&cfg);
	cfg.rto_initial = 500 * SIM_MS;
	cfg.rto_min = 200 * SIM_MS;
	cfg.rto_max = 5 * SIM_S;
	cfg.hb_interval = 2 * SIM_S;
	sim_link_params_default(&lp);
	lp.loss = unit(&s) * 0.30;
	lp.duplication = unit(&s) * 0.10;
	lp.reorder = unit(&s) * 0.20;
	lp.delay_ns = (1 + mix(&s) % 50) * SIM_MS;
	lp.jitter_ns = (mix(&s) % 10) * SIM_MS;
	scen_setup_cfg(&x, seed, &cfg, &cfg, &lp);
	scen_associate(&x);
	up = sim_run_until_cond(x.sim, scen_both_up, &x, 300 * SIM_S);
	if (up) {
		/* keep-alive for a while (one seed in eight cuts the link for up to 90 s in it),
		 * then a graceful close from a side the seed picks */
		if (mix(&s) % 8 == 0) {
			cr_assert(sim_run_for(x.sim, mix(&s) % (5 * SIM_S)));
			sim_link_set_up(x.cs, false);
			sim_link_set_up(x.sc, false);
			cr_assert(sim_run_for(x.sim, mix(&s) % (90 * SIM_S)));
			sim_link_set_up(x.cs, true);
			sim_link_set_up(x.sc, true);
		}
		cr_assert(sim_run_for(x.sim, 10 * SIM_S), "seed %" PRIu64 ": %s", seed,
			sim_error(x.sim));
		if (sim_node_assoc_count(x.c) == 1 && sim_node_assoc_count(x.s) == 1) {
			struct sim_node *who = (mix(&s) & 1) ? x.c : x.s;
			struct dpsctp_assoc *a = sim_node_assoc(who);

			if (a != NULL && dpsctp_assoc_state(a) == DPSCTP_ESTABLISHED)
				cr_assert_eq(dpsctp_assoc_shutdown(a, sim_now(x.sim)), 0);
		}
	}
	cr_assert(sim_run_until_cond(x.sim, scen_both_gone, &x, 3600 * SIM_S),
		"seed %" PRIu64 ": associations left: client %zu, server %zu (%s)", seed,
		sim_node_assoc_count(x.c), sim_node_assoc_count(x.s),
		sim_error(x.sim) ? sim_error(x.sim) : "no sim error");

	cup = scen_events(x.c, DPSCTP_EV_COMM_UP);
	sup = scen_events(x.s, DPSCTP_EV_COMM_UP);
	/* the client always had an association: exactly one end of it was reported */
	cr_assert_eq(terminal(x.c), 1, "seed %" PRIu64 ": client terminal events %" PRIu64, seed,
		terminal(x.c));
	cr_assert_leq(cup, 1, "seed %" PRIu64, seed);
	cr_assert_leq(sup, 1, "seed %" PRIu64, seed);
	if (cup == 0)
		cr_assert_eq(scen_events(x.c, DPSCTP_EV_CANT_STR_ASSOC), 1, "seed %" PRIu64, seed);
	/* the server reports the end of exactly the associations it had */
	cr_assert_eq(terminal(x.s), sup, "seed %" PRIu64 ": server up %" PRIu64 " ends %" PRIu64,
		seed, sup, terminal(x.s));
	cr_assert_eq(scen_events(x.s, DPSCTP_EV_CANT_STR_ASSOC), 0, "seed %" PRIu64, seed);

	if (cup == 0) {
		o->never_up++;
	} else if (scen_events(x.c, DPSCTP_EV_SHUTDOWN_COMP) == 1 &&
		scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP) == 1) {
		o->clean++;
	} else if (scen_events(x.c, DPSCTP_EV_SHUTDOWN_COMP) + scen_events(x.s, DPSCTP_EV_SHUTDOWN_COMP) ==
		0) {
		o->failed++;
	} else {
		/* one side completed; the other must have reported losing its peer, never a silent
		 * end */
		cr_assert_eq(scen_events(x.c, DPSCTP_EV_COMM_LOST) + scen_events(x.s, DPSCTP_EV_COMM_LOST),
			1, "seed %" PRIu64, seed);
		o->half++;
	}
	o->lost += sim_link_stats(x.cs)->lost + sim_link_stats(x.sc)->lost;
	o->duplicated += sim_link_stats(x.cs)->duplicated + sim_link_stats(x.sc)->duplicated;
	o->reordered += sim_link_stats(x.cs)->reordered + sim_link_stats(x.sc)->reordered;
	o->delivered += sim_link_stats(x.cs)->delivered + sim_link_stats(x.sc)->delivered;
	scen_teardown(&x);
}

Test(soak, two_thousand_seeds_of_setup_keepalive_and_teardown_under_loss_end_cleanly_or_reported)
{
	struct outcome o = {0};
	const char *env = getenv("SIM_SOAK_SEEDS");
	uint64_t n = env != NULL ? strtoull(env, NULL, 0) : 2000, seed;

	for (seed = 1; seed <= n; seed++)
		soak_one(seed, &o);
	cr_log_info("soak: %" PRIu64 " seeds: %u clean, %u failed and reported on both sides, "
		    "%u closed on one side and lost on the other, %u never up",
		n, o.clean, o.failed, o.half, o.never_up);
	printf("soak: %" PRIu64 " seeds: %u clean, %u failed (both reported), %u half (closed / "
	       "COMM_LOST), %u never up; links delivered %" PRIu64 ", lost %" PRIu64
	       ", duplicated %" PRIu64 ", reordered %" PRIu64 "\n",
		n, o.clean, o.failed, o.half, o.never_up, o.delivered, o.lost, o.duplicated,
		o.reordered);
	/* the soak is only worth something if the links really misbehaved */
	cr_assert_gt(o.lost, n);
	cr_assert_gt(o.duplicated, 0);
	cr_assert_gt(o.reordered, 0);
	cr_assert_eq(o.clean + o.failed + o.half + o.never_up, n);
	cr_assert_geq(o.clean, n / 2, "most seeds must close cleanly");
	cr_assert_gt(o.failed, 0, "the link cuts must have made some associations fail");
}
