/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The attach server's pure parts (control/attach.h) and the application configuration
 * conversion (dataplane/abicfg.h): who may attach, which addresses an endpoint binds, which
 * port it gets, and what a struct dpsctp_abi_cfg does to an engine configuration. No EAL.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "abicfg.h"
#include "attach.h"
#include "config.h"

/* ---- credentials ---- */

Test(attach, anyone_attaches_without_lists)
{
	struct dpsctpd_config c;

	memset(&c, 0, sizeof(c));
	cr_assert(dp_attach_cred_ok(&c, 1000, 1000));
	cr_assert(dp_attach_cred_ok(&c, 0, 0));
}

Test(attach, uid_or_gid_must_be_listed)
{
	struct dpsctpd_config c;

	memset(&c, 0, sizeof(c));
	c.attach_uids[0] = 1000;
	c.n_attach_uids = 1;
	c.attach_gids[0] = 50;
	c.attach_gids[1] = 60;
	c.n_attach_gids = 2;
	cr_assert(dp_attach_cred_ok(&c, 1000, 7));
	cr_assert(dp_attach_cred_ok(&c, 7, 60));
	cr_assert_not(dp_attach_cred_ok(&c, 1001, 1001));
}

Test(attach, root_is_not_special)
{
	struct dpsctpd_config c;

	memset(&c, 0, sizeof(c));
	c.attach_uids[0] = 1000;
	c.n_attach_uids = 1;
	cr_assert_not(dp_attach_cred_ok(&c, 0, 0));
	c.attach_uids[1] = 0;
	c.n_attach_uids = 2;
	cr_assert(dp_attach_cred_ok(&c, 0, 0));
}

/* ---- addresses ---- */

static struct dpsctp_addr
a4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct dpsctp_addr x = { .family = 4, .bytes = { a, b, c, d } };

	return x;
}

static struct dpsctp_addr
a6(uint8_t first, uint8_t last)
{
	struct dpsctp_addr x = { .family = 6 };

	x.bytes[0] = first;
	x.bytes[15] = last;
	return x;
}

static struct dpsctp_abi_addr
abi(struct dpsctp_addr a)
{
	struct dpsctp_abi_addr x;

	memset(&x, 0, sizeof(x));
	x.family = a.family;
	memcpy(x.bytes, a.bytes, 16);
	return x;
}

/* ports 198.18.0.1, 2001::1 (0x20 ... 1), 198.18.1.1; loopback 127.0.0.1, ::1 */
static struct dpsctp_addr ours[5];

static void
ours_init(void)
{
	ours[0] = a4(198, 18, 0, 1);
	ours[1] = a6(0x20, 1);
	ours[2] = a4(198, 18, 1, 1);
	ours[3] = a4(127, 0, 0, 1);
	ours[4] = a6(0, 1);
}

TestSuite(attach_addrs, .init = ours_init);

Test(attach_addrs, wildcard_v4_takes_every_ipv4_address)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];
	int n = dp_attach_addrs(ours, 5, 4, false, NULL, 0, out);

	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(&out[0], &ours[0], sizeof(out[0])), 0);
	cr_assert_eq(memcmp(&out[1], &ours[2], sizeof(out[0])), 0);
	cr_assert_eq(memcmp(&out[2], &ours[3], sizeof(out[0])), 0);
}

Test(attach_addrs, wildcard_v6_takes_ipv4_unless_v6only)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];

	cr_assert_eq(dp_attach_addrs(ours, 5, 6, false, NULL, 0, out), 5);
	cr_assert_eq(dp_attach_addrs(ours, 5, 6, true, NULL, 0, out), 2);
	cr_assert_eq(out[0].family, 6);
	cr_assert_eq(out[1].family, 6);
}

Test(attach_addrs, unspecified_address_is_the_wildcard)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];
	struct dpsctp_abi_addr any;

	memset(&any, 0, sizeof(any));
	any.family = 4;
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, &any, 1, out), 3);
}

Test(attach_addrs, explicit_addresses_must_be_ours)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];
	struct dpsctp_abi_addr req[3] = { abi(ours[2]), abi(ours[3]), abi(ours[2]) };
	struct dpsctp_abi_addr bad = abi(a4(198, 18, 0, 2));

	/* duplicates collapse */
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, req, 3, out), 2);
	cr_assert_eq(memcmp(&out[0], &ours[2], sizeof(out[0])), 0);
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, &bad, 1, out), -EADDRNOTAVAIL);
}

Test(attach_addrs, ipv4_junk_after_four_bytes_is_ignored)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];
	struct dpsctp_abi_addr req = abi(ours[0]);

	memset(req.bytes + 4, 0xee, 12);
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, &req, 1, out), 1);
	cr_assert_eq(memcmp(&out[0], &ours[0], sizeof(out[0])), 0);
}

Test(attach_addrs, wrong_family_or_too_many_is_einval)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];
	struct dpsctp_abi_addr v6 = abi(ours[1]), v4 = abi(ours[0]), junk = abi(ours[0]);
	struct dpsctp_abi_addr many[DPSCTP_RPC_MAX_ADDRS + 1];

	junk.family = 9;
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, &v6, 1, out), -EINVAL);
	cr_assert_eq(dp_attach_addrs(ours, 5, 6, true, &v4, 1, out), -EINVAL);
	cr_assert_eq(dp_attach_addrs(ours, 5, 6, false, &v4, 1, out), 1);
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, &junk, 1, out), -EINVAL);
	cr_assert_eq(dp_attach_addrs(ours, 5, 5, false, NULL, 0, out), -EINVAL);
	memset(many, 0, sizeof(many));
	cr_assert_eq(dp_attach_addrs(ours, 5, 4, false, many, DPSCTP_RPC_MAX_ADDRS + 1, out),
		-EINVAL);
}

Test(attach_addrs, no_address_of_the_family_is_eaddrnotavail)
{
	struct dpsctp_addr out[DPSCTP_MAX_ADDRS];

	cr_assert_eq(dp_attach_addrs(ours, 1, 6, true, NULL, 0, out), -EADDRNOTAVAIL);
}

/* ---- ports ---- */

static struct dp_service sv[4];

static void
svc_init(void)
{
	memset(sv, 0, sizeof(sv));
	sv[0].port = 7;
	sv[0].state = DP_SLOT_OPEN;
	sv[1].port = 5000;
	sv[1].state = DP_SLOT_CLOSING;
	sv[2].port = 5001;
	sv[2].state = DP_SLOT_FREE;
	sv[3].port = 49152;
	sv[3].state = DP_SLOT_OPEN;
}

TestSuite(attach_ports, .init = svc_init);

Test(attach_ports, open_and_closing_slots_hold_their_port)
{
	cr_assert(dp_attach_port_in_use(sv, 4, 7));
	cr_assert(dp_attach_port_in_use(sv, 4, 5000));
	cr_assert_not(dp_attach_port_in_use(sv, 4, 5001));
	cr_assert_eq(dp_attach_choose_port(sv, 4, 7, 0), -EADDRINUSE);
	cr_assert_eq(dp_attach_choose_port(sv, 4, 5000, 0), -EADDRINUSE);
	cr_assert_eq(dp_attach_choose_port(sv, 4, 5001, 0), 5001);
}

Test(attach_ports, ephemeral_port_is_dynamic_and_free)
{
	int p;

	/* seed 0 starts at 49152, which is taken */
	cr_assert_eq(dp_attach_choose_port(sv, 4, 0, 0), 49153);
	p = dp_attach_choose_port(sv, 4, 0, 0xdeadbeef);
	cr_assert(p >= 49152 && p <= 65535);
	/* the search wraps from 65535 to 49152 */
	cr_assert_eq(dp_attach_choose_port(sv, 4, 0, 16383), 65535);
	sv[2].port = 65535;
	sv[2].state = DP_SLOT_OPEN;
	cr_assert_eq(dp_attach_choose_port(sv, 4, 0, 16383), 49153);
}

/* ---- configuration ---- */

static struct dpsctp_proto_config pc;

static void
pc_init(void)
{
	dpsctp_proto_config_default(&pc);
}

TestSuite(abicfg, .init = pc_init);

Test(abicfg, empty_mask_changes_nothing)
{
	struct dpsctp_proto_config before = pc;
	struct dpsctp_abi_cfg ac;

	memset(&ac, 0xff, sizeof(ac));
	ac.mask = 0;
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(memcmp(&pc, &before, sizeof(pc)), 0);
}

Test(abicfg, rto_in_ms_becomes_ns_and_zero_keeps)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_RTO, .rto_initial_ms = 300,
		.rto_min_ms = 100, .rto_max_ms = 0 };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.rto_initial, 300 * DPSCTP_MS);
	cr_assert_eq(pc.rto_min, 100 * DPSCTP_MS);
	cr_assert_eq(pc.rto_max, 60000 * DPSCTP_MS);
	cr_assert_eq(pc.shutdown_guard, 5 * pc.rto_max);
}

Test(abicfg, rto_order_is_checked_on_the_result)
{
	struct dpsctp_proto_config before = pc;
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_RTO, .rto_max_ms = 500 };

	/* RTO.Initial 1000 > RTO.Max 500 */
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	cr_assert_eq(memcmp(&pc, &before, sizeof(pc)), 0);
	ac.rto_min_ms = 100;
	ac.rto_initial_ms = 200;
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.rto_max, 500 * DPSCTP_MS);
}

Test(abicfg, out_of_range_and_unknown_bits_are_einval)
{
	struct dpsctp_proto_config before = pc;
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_SACK, .sack_delay_ms = 501 };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	ac = (struct dpsctp_abi_cfg){ .mask = 1u << 20 };
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	ac = (struct dpsctp_abi_cfg){ .mask = DPSCTP_CFG_RTO, .rto_max_ms = 3600001 };
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	ac = (struct dpsctp_abi_cfg){ .mask = DPSCTP_CFG_MAXSEG, .maxseg = 10 };
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	ac = (struct dpsctp_abi_cfg){ .mask = DPSCTP_CFG_COOKIE_LIFE, .cookie_life_ms = 10 };
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	/* a failing group anywhere leaves every other group unapplied */
	ac = (struct dpsctp_abi_cfg){ .mask = DPSCTP_CFG_NODELAY | DPSCTP_CFG_SACK, .nodelay = 1,
		.sack_delay_ms = 900 };
	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), -EINVAL);
	cr_assert_eq(memcmp(&pc, &before, sizeof(pc)), 0);
}

Test(abicfg, initmsg_streams_and_timeouts)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_INIT, .os = 64, .mis = 0,
		.max_init_retrans = 3, .max_init_timeo_ms = 2000 };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.os, 64);
	cr_assert_eq(pc.mis, 65535); /* 0: no change (RFC 6458 8.1.3) */
	cr_assert_eq(pc.max_init_retrans, 3);
	cr_assert_eq(pc.max_init_timeo, 2000 * DPSCTP_MS);
}

Test(abicfg, sack_delay_zero_means_no_delay)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_SACK, .sack_delay_ms = 0, .sack_freq = 1 };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.sack_delay, 0);
	cr_assert_eq(pc.sack_freq, 1);
}

Test(abicfg, buffers_are_clamped_not_refused)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_RCVBUF | DPSCTP_CFG_SNDBUF, .a_rwnd = 10,
		.sndbuf = UINT32_MAX };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.a_rwnd, 1500);
	cr_assert_eq(pc.sndbuf, 1u << 30);
}

Test(abicfg, socket_options_of_the_engine)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_MAXSEG | DPSCTP_CFG_NOFRAG |
			DPSCTP_CFG_AUTOCLOSE | DPSCTP_CFG_NODELAY | DPSCTP_CFG_ADAPTATION |
			DPSCTP_CFG_PD_POINT | DPSCTP_CFG_MAX_BURST,
		.maxseg = 1000, .disable_fragments = 1, .autoclose_s = 30, .nodelay = 1,
		.adaptation_ind = 0x01020304, .has_adaptation = 1, .pd_point = 4096,
		.max_burst = 0 };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.maxseg, 1000);
	cr_assert(pc.disable_fragments);
	cr_assert_eq(pc.autoclose, 30000 * DPSCTP_MS);
	cr_assert(pc.nodelay);
	cr_assert(pc.has_adaptation);
	cr_assert_eq(pc.adaptation_ind, 0x01020304);
	cr_assert_eq(pc.pd_point, 4096);
	cr_assert_eq(pc.max_burst, 65535); /* 0: no burst limit (RFC 6458 8.1.24) */
}

Test(abicfg, path_defaults_and_pf_off)
{
	struct dpsctp_abi_cfg ac = { .mask = DPSCTP_CFG_PATH, .hb_interval_ms = 0,
		.path_max_retrans = 3, .pf_threshold = UINT32_MAX };

	cr_assert_eq(dp_abi_cfg_apply(&pc, &ac), 0);
	cr_assert_eq(pc.hb_interval, 0);
	cr_assert_eq(pc.path_max_retrans, 3);
	cr_assert_eq(pc.pf_threshold, DPSCTP_PF_DISABLED);
}

Test(abicfg, get_then_apply_is_identity)
{
	struct dpsctp_proto_config copy;
	struct dpsctp_abi_cfg ac;

	pc.maxseg = 1200;
	pc.autoclose = 5000 * DPSCTP_MS;
	pc.max_init_timeo = 3000 * DPSCTP_MS;
	pc.nodelay = true;
	copy = pc;
	dp_abi_cfg_get(&pc, &ac);
	cr_assert_eq(ac.rto_initial_ms, 1000);
	cr_assert_eq(ac.maxseg, 1200);
	cr_assert_eq(ac.autoclose_s, 5);
	cr_assert_eq(dp_abi_cfg_apply(&copy, &ac), 0);
	cr_assert_eq(memcmp(&copy, &pc, sizeof(pc)), 0);
}
