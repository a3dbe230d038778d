/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint's association index (dataplane/sctp/lookup.c), seen from outside: one server
 * endpoint and many client endpoints (one address each) exchange packets in memory; every
 * packet must reach its own association, a released association must never be reached again,
 * and the index must not be needed for correctness (allocation failures only cost speed).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "engine.h"
#include "testenv_cr.h"

#define NCLIENTS 40
#define DIM(a) (sizeof(a) / sizeof((a)[0]))
#define SRV_PORT 7000

static struct testenv te;
static struct dpsctp_endpoint *srv, *cli[NCLIENTS];
static struct dpsctp_assoc *cli_a[NCLIENTS];
static uint64_t now = 1000 * DPSCTP_MS;

/* what the server delivered: which association, from which client address */
static uint32_t got_id[4 * NCLIENTS];
static uint8_t got_from[4 * NCLIENTS];
static unsigned int ngot;

static struct dpsctp_addr
addr(uint8_t host)
{
	struct dpsctp_addr a = { .family = 4, .bytes = { 10, 0, 1, host } };

	return a;
}

static void
on_deliver(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_rcvinfo *ri,
	const struct dpsctp_iov *iov, unsigned int iovcnt, bool eor)
{
	(void)ctx;
	(void)ri;
	(void)iovcnt;
	if (eor && ngot < DIM(got_id)) {
		got_id[ngot] = dpsctp_assoc_id(a);
		got_from[ngot] = iov[0].base[0];
		ngot++;
	}
}

static void
setup(void)
{
	struct dpsctp_env env = { .ctx = &te, .alloc = testenv_alloc, .free = testenv_free,
		.random = testenv_random };
	struct dpsctp_callbacks cb = { .deliver = on_deliver };
	struct dpsctp_proto_config cfg;
	struct dpsctp_addr sa = addr(1);
	unsigned int i;

	testenv_cr_init(&te, 7);
	dpsctp_proto_config_default(&cfg);
	cfg.hb_interval = 0;
	cfg.sack_delay = 0;
	{
		struct dpsctp_endpoint_params p = { .port = SRV_PORT, .addrs = &sa, .naddrs = 1,
			.listen = true, .cfg = &cfg };

		cr_assert_eq(dpsctp_endpoint_create(&env, &cb, &p, now, &srv), 0);
	}
	for (i = 0; i < NCLIENTS; i++) {
		struct dpsctp_addr ca = addr((uint8_t)(10 + i));
		struct dpsctp_endpoint_params p = { .port = 5000, .addrs = &ca, .naddrs = 1,
			.cfg = &cfg };

		cr_assert_eq(dpsctp_endpoint_create(&env, NULL, &p, now, &cli[i]), 0);
	}
}

static void
teardown(void)
{
	unsigned int i;

	dpsctp_endpoint_destroy(srv);
	for (i = 0; i < NCLIENTS; i++)
		dpsctp_endpoint_destroy(cli[i]);
	testenv_cr_assert_no_leaks(&te);
}

TestSuite(lookup, .init = setup, .fini = teardown);

/* Everything the server has to send, to the clients. */
static bool
drain_server(void)
{
	static uint8_t buf[DPSCTP_MAX_PACKET];
	struct dpsctp_path path;
	bool moved = false;
	size_t n;

	while ((n = dpsctp_endpoint_output(srv, buf, sizeof(buf), &path, now)) != 0) {
		unsigned int k = path.remote.bytes[3] - 10u;
		struct dpsctp_path in = { .local = path.remote, .remote = path.local };

		cr_assert_lt(k, NCLIENTS);
		dpsctp_endpoint_input(cli[k], buf, n, &in, now);
		moved = true;
	}
	return moved;
}

/*
 * Move every packet until nothing is left to send; the server's answers go out after each
 * packet it gets (its queue of stateless answers is bounded, as a daemon's drain would be).
 */
static void
pump(void)
{
	static uint8_t buf[DPSCTP_MAX_PACKET];
	bool moved;

	do {
		struct dpsctp_path path;
		unsigned int i;
		size_t n;

		moved = drain_server();
		for (i = 0; i < NCLIENTS; i++) {
			while ((n = dpsctp_endpoint_output(cli[i], buf, sizeof(buf), &path, now)) != 0) {
				struct dpsctp_path in = { .local = path.remote, .remote = path.local };

				dpsctp_endpoint_input(srv, buf, n, &in, now);
				drain_server();
				moved = true;
			}
		}
		now += DPSCTP_MS;
	} while (moved);
}

static void
connect_all(void)
{
	struct dpsctp_addr sa = addr(1);
	unsigned int i;

	for (i = 0; i < NCLIENTS; i++)
		cr_assert_eq(dpsctp_associate(cli[i], &sa, 1, SRV_PORT, 0, now, &cli_a[i]), 0);
	pump();
	for (i = 0; i < NCLIENTS; i++)
		cr_assert_eq(dpsctp_assoc_state(cli_a[i]), DPSCTP_ESTABLISHED, "client %u", i);
	cr_assert_eq(dpsctp_endpoint_assoc_count(srv), NCLIENTS);
}

/* Every client sends one message naming itself; the server must deliver each on its own. */
static void
send_all(const bool *skip)
{
	unsigned int i, k;
	uint32_t first_id[NCLIENTS] = { 0 };

	ngot = 0;
	for (i = 0; i < NCLIENTS; i++) {
		struct dpsctp_sndinfo si = { 0 };
		uint8_t msg[32];

		if (skip != NULL && skip[i])
			continue;
		memset(msg, (int)i, sizeof(msg));
		cr_assert_eq(dpsctp_assoc_send(cli_a[i], &si, msg, sizeof(msg), now), 0);
	}
	pump();
	for (k = 0; k < ngot; k++) {
		unsigned int from = got_from[k];

		cr_assert_lt(from, NCLIENTS);
		/* one association per client: the same id every time it speaks */
		if (first_id[from] == 0)
			first_id[from] = got_id[k];
		cr_assert_eq(first_id[from], got_id[k]);
	}
	for (i = 0; i < NCLIENTS; i++)
		for (k = i + 1; k < NCLIENTS; k++)
			if (first_id[i] != 0)
				cr_assert_neq(first_id[i], first_id[k], "clients %u and %u share one", i, k);
}

Test(lookup, every_packet_reaches_its_own_association)
{
	unsigned int round;

	connect_all();
	for (round = 0; round < 3; round++) {
		send_all(NULL);
		cr_assert_eq(ngot, NCLIENTS);
	}
}

Test(lookup, a_released_association_is_never_reached_again)
{
	bool gone[NCLIENTS] = { false };
	struct dpsctp_addr sa = addr(1);
	unsigned int i;

	connect_all();
	send_all(NULL);
	/* every other client aborts: the server releases those associations */
	for (i = 0; i < NCLIENTS; i += 2) {
		cr_assert_eq(dpsctp_assoc_abort(cli_a[i], NULL, 0, now), 0);
		gone[i] = true;
	}
	pump();
	cr_assert_eq(dpsctp_endpoint_assoc_count(srv), NCLIENTS / 2);
	send_all(gone);
	cr_assert_eq(ngot, NCLIENTS / 2);
	/* the same addresses and ports come back: new associations, found as such */
	for (i = 0; i < NCLIENTS; i += 2)
		cr_assert_eq(dpsctp_associate(cli[i], &sa, 1, SRV_PORT, 0, now, &cli_a[i]), 0);
	pump();
	cr_assert_eq(dpsctp_endpoint_assoc_count(srv), NCLIENTS);
	send_all(NULL);
	cr_assert_eq(ngot, NCLIENTS);
}

Test(lookup, allocation_failures_leave_every_association_reachable)
{
	connect_all();
	/* from now on every allocation fails (the index cannot grow either): nothing is lost */
	testenv_fail_alloc(&te, 1, true);
	{
		unsigned int i;
		struct dpsctp_sndinfo si = { 0 };

		/* the sends are refused (-ENOMEM) but what is in flight still moves */
		for (i = 0; i < NCLIENTS; i++)
			(void)dpsctp_assoc_send(cli_a[i], &si, "x", 1, now);
	}
	pump();
	testenv_fail_alloc(&te, 0, false);
	send_all(NULL);
	cr_assert_eq(ngot, NCLIENTS);
	cr_assert_gt(te.failed, 0);
}
