/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data transfer scenarios (RFC 9260 6 and 7) on the simulator: messages of every size, streams,
 * ordered and unordered, on clean and hostile links, checked by their effects.
 */
#include "datacheck.h"
#include "scenario.h"

/* Both directions of one scenario. */
struct xfer {
	struct scen x;
	struct dc_dir c2s; /* client -> server */
	struct dc_dir s2c;
};

static void
on_deliver(struct sim_node *n, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor, void *arg)
{
	struct xfer *t = arg;

	(void)a;
	dc_deliver(n == t->x.s ? &t->c2s : &t->s2c, ri, iov, iovcnt, eor);
}

static void
xfer_setup(struct xfer *t, uint64_t seed, const struct dpsctp_proto_config *cfg,
	const struct sim_link_params *lp, uint64_t max_msgs, uint32_t nstreams)
{
	scen_setup_cfg(&t->x, seed, cfg, cfg, lp);
	dc_init(&t->c2s, max_msgs, nstreams);
	dc_init(&t->s2c, max_msgs, nstreams);
	sim_set_deliver_hook(t->x.sim, on_deliver, t);
	scen_associate(&t->x);
	scen_establish(&t->x, 60 * 1000 * DPSCTP_MS);
}

static void
xfer_teardown(struct xfer *t)
{
	dc_fini(&t->c2s);
	dc_fini(&t->s2c);
	scen_teardown(&t->x);
}

static bool
both_complete(struct sim *sim, void *arg)
{
	struct xfer *t = arg;

	(void)sim;
	return dc_complete(&t->c2s) && dc_complete(&t->s2c);
}

Test(data, small_messages_both_ways_clean_link)
{
	struct dpsctp_proto_config cfg;
	struct xfer t;
	struct dpsctp_assoc *sa;
	unsigned int i;

	scen_cfg(&cfg);
	xfer_setup(&t, 1, &cfg, NULL, 2000, 10);
	sa = sim_node_assoc(t.x.s);
	for (i = 0; i < 1000; i++) {
		uint64_t now = sim_now(t.x.sim);

		cr_assert_eq(dc_send(&t.c2s, t.x.ca, (uint16_t)(i % 10), i % 3 == 0, 1 + i % 300, 0, now), 0);
		cr_assert_eq(dc_send(&t.s2c, sa, (uint16_t)(i % 7), false, 1 + (i * 7) % 1000, 0, now), 0);
		if (i % 50 == 49)
			sim_run_for(t.x.sim, 5 * DPSCTP_MS);
	}
	cr_assert(sim_run_until_cond(t.x.sim, both_complete, &t, 10000 * DPSCTP_MS),
		"c2s %llu/%llu (%s), s2c %llu/%llu (%s)", (unsigned long long)t.c2s.delivered,
		(unsigned long long)t.c2s.sent, t.c2s.first_error, (unsigned long long)t.s2c.delivered,
		(unsigned long long)t.s2c.sent, t.s2c.first_error);
	cr_assert_eq(dpsctp_assoc_shutdown(t.x.ca, sim_now(t.x.sim)), 0);
	cr_assert(sim_run_until_cond(t.x.sim, scen_both_gone, &t.x, 10000 * DPSCTP_MS));
	cr_assert_eq(scen_events(t.x.c, DPSCTP_EV_SHUTDOWN_COMP), 1);
	xfer_teardown(&t);
}

Test(data, large_messages_with_loss)
{
	struct dpsctp_proto_config cfg;
	struct sim_link_params lp;
	struct xfer t;
	unsigned int i;

	scen_cfg(&cfg);
	sim_link_params_default(&lp);
	lp.loss = 0.05;
	lp.reorder = 0.05;
	lp.duplication = 0.02;
	xfer_setup(&t, 2, &cfg, &lp, 200, 10);
	for (i = 0; i < 100; i++) {
		while (dc_send(&t.c2s, t.x.ca, (uint16_t)(i % 4), i % 5 == 0, 1 + (i * 7919) % 65536,
			       0, sim_now(t.x.sim)) == -EAGAIN)
			sim_run_for(t.x.sim, 10 * DPSCTP_MS);
	}
	cr_assert(sim_run_until_cond(t.x.sim, both_complete, &t, 600000 * DPSCTP_MS),
		"c2s %llu/%llu (%s)", (unsigned long long)t.c2s.delivered,
		(unsigned long long)t.c2s.sent, t.c2s.first_error);
	cr_assert_eq(dpsctp_assoc_shutdown(t.x.ca, sim_now(t.x.sim)), 0);
	cr_assert(sim_run_until_cond(t.x.sim, scen_both_gone, &t.x, 600000 * DPSCTP_MS));
	xfer_teardown(&t);
}
