/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The paths of an association (path.h) seen through the engine's API and the wire: the test is
 * a multi-homed peer (ep_harness.h) whose INIT lists several addresses; the endpoint's
 * HEARTBEATs, DATA and answers are taken from dpsctp_endpoint_output with the path they go on,
 * and hand-built HEARTBEAT ACKs, HEARTBEATs and SACKs go back on the paths the test chooses.
 *
 * Covered: the path accessors of engine.h and their errors (RFC 6458 8.1.12, 8.2.2), path
 * confirmation with heartbeat nonces (RFC 9260 5.4), keep-alive heartbeats and their answers
 * (8.3, 6.4), failure detection with T3-rtx and the POTENTIALLY-FAILED state (8.2, RFC 7829),
 * retransmission to an alternate path (6.4.1), the route callback (reachability), ICMP
 * packet-too-big reports (appendix C), the scope of the addresses listed in INIT / INIT ACK
 * (5.1.2), and what may be sent to an UNCONFIRMED or unroutable address (5.4, engine.h).
 *
 * Every test ends by destroying its endpoint and checking that nothing is left
 * (LEAK_CHECKED_TEST); .fini does it again for tests that failed.
 */

#include "ep_harness.h"

#define S (1000 * DPSCTP_MS)

/* Bytes of the Heartbeat Info the engine sends: nonce (8), time sent (8), family (1),
 * address (16) (path.h). */
#define HB_INFO_LEN 33

/* The peer's other addresses (peer_addr, 10.0.0.2, is the one it sends from). */
static const struct dpsctp_addr P2 = {.family = 4, .bytes = {10, 0, 0, 3}};
static const struct dpsctp_addr P3 = {.family = 4, .bytes = {10, 0, 0, 4}};
static const struct dpsctp_addr NOWHERE = {.family = 4, .bytes = {10, 0, 0, 99}};

/* IPv6 and scoped addresses */
static const struct dpsctp_addr ep_addr6 = {
	.family = 6, .bytes = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
static const struct dpsctp_addr peer6 = {.family = 6, .bytes = {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
static const struct dpsctp_addr ep_lo = {.family = 4, .bytes = {127, 0, 0, 1}};
static const struct dpsctp_addr ep_ll = {.family = 4, .bytes = {169, 254, 0, 1}};
static const struct dpsctp_addr ep_global2 = {.family = 4, .bytes = {10, 0, 1, 1}};
static const struct dpsctp_addr ep_ll6 = {.family = 6, .bytes = {0xfe, 0x80, [15] = 1}};
static const struct dpsctp_addr peer_lo = {.family = 4, .bytes = {127, 0, 0, 2}};

static bool
same_addr(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

/* ---- PEER_ADDR_CHANGE events, recorded beside the harness's ---- */

struct pa_rec {
	struct dpsctp_addr addr;
	enum dpsctp_paddr_change state;
};

static struct pa_rec pas[MAX_EVENTS];
static unsigned int npa;

static void
pa_on_event(void *ctx, struct dpsctp_assoc *a, const struct dpsctp_event *ev)
{
	on_event(ctx, a, ev);
	if (ev->type != DPSCTP_EV_PEER_ADDR_CHANGE)
		return;
	cr_assert_lt(npa, MAX_EVENTS);
	pas[npa].addr = ev->u.paddr.addr;
	pas[npa].state = ev->u.paddr.state;
	npa++;
}

/* PEER_ADDR_CHANGE events with state @p st about @p addr. */
static unsigned int
count_pa(const struct dpsctp_addr *addr, enum dpsctp_paddr_change st)
{
	unsigned int i, n = 0;

	for (i = 0; i < npa; i++)
		n += pas[i].state == st && same_addr(&pas[i].addr, addr);
	return n;
}

/* ---- the route callback: every address reachable but those in no_route ---- */

static struct dpsctp_addr no_route[8];
static unsigned int n_no_route;

static int
route_cb(void *ctx, const struct dpsctp_addr *remote, struct dpsctp_addr *local)
{
	unsigned int i;

	(void)ctx;
	for (i = 0; i < n_no_route; i++)
		if (same_addr(&no_route[i], remote))
			return -EHOSTUNREACH;
	*local = remote->family == 6 ? ep_addr6 : ep_addr;
	return 0;
}

static void
set_route(const struct dpsctp_addr *addr, bool ok)
{
	unsigned int i;

	for (i = 0; i < n_no_route; i++)
		if (same_addr(&no_route[i], addr))
			break;
	if (ok && i < n_no_route)
		no_route[i] = no_route[--n_no_route];
	else if (!ok && i == n_no_route) {
		cr_assert_lt(n_no_route, 8);
		no_route[n_no_route++] = *addr;
	}
}

static void
p_setup(void)
{
	h_setup();
	npa = 0;
	n_no_route = 0;
	g_a = NULL;
}

TestSuite(path, .init = p_setup, .fini = leak_check);

#define TEST(name) LEAK_CHECKED_TEST(path, name)

/* ---- endpoint and association ---- */

/* g_ep with @p cfg (NULL: config()) on @p addrs; with the route callback when @p routed. */
static void
make_ep_with(const struct dpsctp_proto_config *cfg, const struct dpsctp_addr *addrs, size_t n,
	bool routed)
{
	struct dpsctp_proto_config def = config();
	struct dpsctp_callbacks cb = callbacks(&ep_ids[1]);
	struct dpsctp_endpoint_params p = {
		.port = EP_PORT,
		.addrs = addrs,
		.naddrs = n,
		.listen = true,
		.cfg = cfg != NULL ? cfg : &def,
	};

	cb.event = pa_on_event;
	if (routed)
		cb.route = route_cb;
	cr_assert_eq(dpsctp_endpoint_create(&h_env, &cb, &p, t_now, &g_ep), 0);
}

static struct dpsctp_path
path_to(const struct dpsctp_addr *local, const struct dpsctp_addr *remote)
{
	struct dpsctp_path p = {.local = *local, .remote = *remote};

	return p;
}

/* Hand the packet in tx to g_ep as if it came from @p remote (to ep_addr). */
static int
inject_from(const struct dpsctp_addr *remote)
{
	struct dpsctp_path p = path_to(&ep_addr, remote);

	return dpsctp_endpoint_input(g_ep, txb, tx.len, &p, t_now);
}

/* The peer's INIT on @p p listing @p listed (n of them); with @p v4_only a Supported Address
 * Types parameter saying IPv4 only. */
static void
send_init_on(const struct dpsctp_path *p, const struct dpsctp_addr *listed, size_t n, bool v4_only)
{
	uint8_t types[2];
	size_t mark, i;

	start(0);
	mark = begin_init(PEER_TAG, peer_os, peer_mis);
	for (i = 0; i < n; i++)
		cr_assert_eq(dpsctp_addr_param_build(&tx, &listed[i]), 0);
	if (v4_only) {
		dpsctp_put_be16(types, DPSCTP_PARAM_IPV4);
		cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_SUPPORTED_ADDR_TYPES, types, 2), 0);
	}
	end_chunk(mark);
	cr_assert_eq(dpsctp_endpoint_input(g_ep, txb, tx.len, p, t_now), 0);
}

/* Take the INIT ACK (it must go to @p to); keep its tag and cookie (as take_init_ack()); the
 * addresses it lists into @p listed (up to DPSCTP_MAX_ADDRS), how many. */
static size_t
take_init_ack_to(const struct dpsctp_addr *to, struct dpsctp_addr *listed)
{
	const uint8_t *p;
	struct dpsctp_chunk c;
	struct dpsctp_init ia;
	struct dpsctp_tlv t;
	size_t n = 0;

	cr_assert(take(&rx), "no INIT ACK");
	p = rx.pi.chunks;
	cr_assert_eq(dpsctp_chunk_next(&p, rx.pi.end, &c), 1);
	cr_assert_eq(c.type, DPSCTP_CHUNK_INIT_ACK, "first chunk %s", dpsctp_chunk_name(c.type));
	cr_assert(same_addr(&rx.path.remote, to), "INIT ACK sent to another address");
	cr_assert_eq(dpsctp_init_ack_decode(&c, &ia), 0);
	ep_tag = ia.init_tag;
	ep_tsn = ia.initial_tsn;
	p = ia.params;
	while (dpsctp_tlv_next(&p, ia.params + ia.params_len, &t) == 1) {
		struct dpsctp_param prm;

		if (t.type == DPSCTP_PARAM_STATE_COOKIE) {
			cookie_len = dpsctp_tlv_value_len(&t);
			cr_assert_leq(cookie_len, sizeof(cookie));
			memcpy(cookie, t.value, cookie_len);
		}
		if (t.type != DPSCTP_PARAM_IPV4 && t.type != DPSCTP_PARAM_IPV6)
			continue;
		cr_assert_eq(dpsctp_param_decode(&t, &prm), 0);
		cr_assert_lt(n, DPSCTP_MAX_ADDRS);
		listed[n++] = prm.u.addr;
	}
	return n;
}

static bool
listed_has(const struct dpsctp_addr *listed, size_t n, const struct dpsctp_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_addr(&listed[i], a))
			return true;
	return false;
}

/* COOKIE ECHO on @p p, COOKIE ACK back on it; the new association. */
static struct dpsctp_assoc *
cookie_on(const struct dpsctp_path *p)
{
	struct dpsctp_cookie_echo ce = {.cookie = cookie, .cookie_len = cookie_len};
	const struct ev_rec *up;
	struct dpsctp_chunk c;
	const uint8_t *q;
	struct dpsctp_assoc *a;

	start(ep_tag);
	cr_assert_eq(dpsctp_cookie_echo_build(&tx, &ce), 0);
	cr_assert_eq(dpsctp_endpoint_input(g_ep, txb, tx.len, p, t_now), 0);
	cr_assert(take(&rx), "no COOKIE ACK");
	q = rx.pi.chunks;
	cr_assert_eq(dpsctp_chunk_next(&q, rx.pi.end, &c), 1);
	cr_assert_eq(c.type, DPSCTP_CHUNK_COOKIE_ACK);
	cr_assert(same_addr(&rx.path.remote, &p->remote), "COOKIE ACK sent to another address");
	expect_silence();
	up = find_assoc_change(DPSCTP_EV_COMM_UP);
	cr_assert_not_null(up, "no COMM_UP");
	a = dpsctp_endpoint_assoc_by_id(g_ep, up->assoc_id);
	cr_assert_not_null(a);
	return a;
}

/* The handshake from peer_addr, whose INIT lists peer_addr and @p extra (n of them). */
static struct dpsctp_assoc *
establish_listing(const struct dpsctp_addr *extra, size_t n)
{
	struct dpsctp_addr listed[DPSCTP_MAX_ADDRS], got[DPSCTP_MAX_ADDRS];
	size_t i;

	cr_assert_lt(n, DPSCTP_MAX_ADDRS);
	listed[0] = peer_addr;
	for (i = 0; i < n; i++)
		listed[i + 1] = extra[i];
	send_init_on(&in_path, listed, n + 1, false);
	take_init_ack_to(&peer_addr, got);
	return cookie_on(&in_path);
}

/* g_ep on ep_addr with @p cfg (NULL: config()) and an association g_a with the peer, whose INIT
 * lists @p extra besides peer_addr; the route callback when @p routed. */
static void
up_listing(const struct dpsctp_proto_config *cfg, const struct dpsctp_addr *extra, size_t n,
	bool routed)
{
	make_ep_with(cfg, &ep_addr, 1, routed);
	g_a = establish_listing(extra, n);
}

static struct dpsctp_paddr_info
pinfo(const struct dpsctp_addr *addr)
{
	struct dpsctp_paddr_info pi;

	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, addr, &pi), 0, "not a peer address");
	return pi;
}

/* Path @p remote leaves from our address @p local. */
static bool
local_is(const struct dpsctp_addr *remote, const struct dpsctp_addr *local)
{
	struct dpsctp_paddr_info pi = pinfo(remote);

	return same_addr(&pi.path.local, local);
}

static enum dpsctp_path_state
pstate(const struct dpsctp_addr *addr)
{
	return pinfo(addr).state;
}

/* ---- heartbeats ---- */

struct probe {
	struct dpsctp_addr to;    /* where the engine sent it */
	struct dpsctp_addr named; /* the address its Heartbeat Info names */
	uint8_t info[64];         /* the Heartbeat Info value */
	size_t len;
};

/* rx holds a packet starting with a HEARTBEAT: into @p pr. */
static void
parse_hb(struct probe *pr)
{
	struct dpsctp_heartbeat hb;
	struct dpsctp_chunk c;
	struct dpsctp_tlv t;

	cr_assert(find_chunk(&rx, DPSCTP_CHUNK_HEARTBEAT, &c));
	cr_assert_eq(rx.pi.nchunks, 1, "HEARTBEAT bundled");
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	cr_assert_eq(dpsctp_heartbeat_decode(&c, &hb), 0);
	cr_assert(find_tlv(hb.params, hb.params_len, DPSCTP_PARAM_HEARTBEAT_INFO, &t),
		"HEARTBEAT without Heartbeat Info");
	pr->to = rx.path.remote;
	pr->len = dpsctp_tlv_value_len(&t);
	cr_assert_eq(pr->len, HB_INFO_LEN);
	memcpy(pr->info, t.value, pr->len);
	memset(&pr->named, 0, sizeof(pr->named));
	pr->named.family = pr->info[16];
	memcpy(pr->named.bytes, pr->info + 17, 16);
	cr_assert(same_addr(&pr->named, &pr->to), "HEARTBEAT names another address than its own");
}

static bool
first_is(const struct rx *r, uint8_t type)
{
	return r->pi.nchunks > 0 && r->pi.first_type == type;
}

/* Take every packet due now: HEARTBEATs into @p hbs (how many: the return value), the others
 * counted in @p others (may be NULL). */
static unsigned int
take_hbs(struct probe *hbs, unsigned int max, unsigned int *others)
{
	unsigned int n = 0;

	if (others != NULL)
		*others = 0;
	while (take(&rx)) {
		if (first_is(&rx, DPSCTP_CHUNK_HEARTBEAT)) {
			cr_assert_lt(n, max, "too many HEARTBEATs");
			parse_hb(&hbs[n++]);
		} else if (others != NULL) {
			(*others)++;
		}
	}
	return n;
}

/* Take the next packet: a HEARTBEAT, to @p to (NULL: anywhere). */
static struct probe
take_hb(const struct dpsctp_addr *to)
{
	struct probe pr;

	cr_assert(take(&rx), "no packet, expected a HEARTBEAT");
	cr_assert(first_is(&rx, DPSCTP_CHUNK_HEARTBEAT), "first chunk %s, expected HEARTBEAT",
		dpsctp_chunk_name(rx.pi.first_type));
	parse_hb(&pr);
	if (to != NULL)
		cr_assert(same_addr(&pr.to, to), "HEARTBEAT to another address");
	return pr;
}

/* The peer's HEARTBEAT ACK with Heartbeat Info @p info, arriving from @p from. */
static int
hb_ack_from(const struct dpsctp_addr *from, const uint8_t *info, size_t len)
{
	struct dpsctp_heartbeat hb = {0};
	size_t mark;

	start(ep_tag);
	cr_assert_eq(dpsctp_heartbeat_ack_begin(&tx, &hb, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_HEARTBEAT_INFO, info, len), 0);
	end_chunk(mark);
	return inject_from(from);
}

static void
answer(const struct probe *pr)
{
	cr_assert_eq(hb_ack_from(&pr->to, pr->info, pr->len), 0);
}

/* Peer addresses of g_a still UNCONFIRMED. */
static unsigned int
unconfirmed(void)
{
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	size_t i, n = dpsctp_assoc_peer_addrs(g_a, addrs, DPSCTP_MAX_ADDRS);
	unsigned int u = 0;

	for (i = 0; i < n; i++)
		u += pstate(&addrs[i]) == DPSCTP_PATH_UNCONFIRMED;
	return u;
}

/* Answer every confirmation probe until every path of g_a is confirmed. */
static void
confirm_all(void)
{
	struct probe hbs[DPSCTP_MAX_ADDRS];
	unsigned int i, n, round;

	for (round = 0; round < 20 && unconfirmed() > 0; round++) {
		expire_at(round == 0 ? t_now : next_deadline());
		n = take_hbs(hbs, DPSCTP_MAX_ADDRS, NULL);
		for (i = 0; i < n; i++)
			answer(&hbs[i]);
	}
	cr_assert_eq(unconfirmed(), 0, "paths still unconfirmed");
	expect_silence();
}

/* ---- data ---- */

static struct dpsctp_proto_config
config_nodelay(void)
{
	struct dpsctp_proto_config cfg = config();

	cfg.nodelay = true;
	return cfg;
}

/* Take the next packet: it carries DATA; its first TSN. */
static uint32_t
take_data_tsn(void)
{
	struct dpsctp_data d[16];

	cr_assert(take(&rx), "no packet, expected DATA");
	cr_assert_gt(data_chunks(&rx, d, 16), 0, "no DATA in a %s packet",
		dpsctp_chunk_name(rx.pi.first_type));
	return d[0].tsn;
}

/* Take every packet due now; the DATA one (there must be exactly one) is left in @p out. */
static void
take_all_find_data(struct rx *out)
{
	struct dpsctp_data d[16];
	unsigned int ndata = 0;

	while (take(&rx)) {
		if (data_chunks(&rx, d, 16) > 0) {
			*out = rx;
			ndata++;
		}
	}
	cr_assert_eq(ndata, 1, "%u DATA packets, expected 1", ndata);
}

/*
 * Accessors and their errors (RFC 6458 8.1.12 SCTP_PEER_ADDR_PARAMS, 8.1.14 / 8.3.4
 * SCTP_PRIMARY_ADDR, 8.2.2 SCTP_GET_PEER_ADDR_INFO, SCTP_PEER_ADDR_THLDS)
 */

TEST(paddr_info_of_an_address_that_is_not_the_peers_is_enoent)
{
	struct dpsctp_paddr_info pi;

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &NOWHERE, &pi), -ENOENT);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer6, &pi), -ENOENT);
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &peer_addr, &pi), 0);
	cr_assert(same_addr(&pi.path.remote, &peer_addr));
	cr_assert(same_addr(&pi.path.local, &ep_addr));
	cr_assert(pi.primary);
	cr_assert(pi.reachable);
	cr_assert_eq(pi.mtu, 1500);
	cr_assert_eq(pi.rto, 1 * S);
	cr_assert_eq(pi.path_max_retrans, 5);
	cr_assert_eq(pi.pf_threshold, DPSCTP_PF_DISABLED);
}

TEST(set_primary_of_an_unknown_address_is_enoent_and_changes_nothing)
{
	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_primary(g_a, &NOWHERE, t_now), -ENOENT);
	cr_assert_eq(npa, 0);
	cr_assert(pinfo(&peer_addr).primary);
	cr_assert(!pinfo(&P2).primary);
}

TEST(set_primary_reports_made_prim_and_moves_the_primary_flag)
{
	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_primary(g_a, &P2, t_now), 0);
	cr_assert_eq(count_pa(&P2, DPSCTP_ADDR_MADE_PRIM), 1);
	cr_assert(pinfo(&P2).primary);
	cr_assert(!pinfo(&peer_addr).primary);
}

TEST(set_primary_to_an_unconfirmed_path_keeps_data_on_a_confirmed_one_until_confirmed)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	struct probe pr;

	up_listing(&cfg, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_primary(g_a, &P2, t_now), 0);
	/* 5.4: no data to an UNCONFIRMED address */
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &peer_addr), "DATA sent to an unconfirmed path");
	expect_silence();
	peer_sack(ep_tsn, 65536, NULL, 0, NULL, 0);
	/* confirmed: the primary carries the data */
	expire_at(t_now);
	pr = take_hb(&P2);
	answer(&pr);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &P2), "DATA not sent to the confirmed primary");
	cr_assert(pinfo(&P2).data);
}

TEST(set_paddr_params_with_contradicting_flags_is_einval)
{
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_HB_DISABLE};

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), -EINVAL);
	pp.flags = DPSCTP_SPP_PMTUD_ENABLE | DPSCTP_SPP_PMTUD_DISABLE;
	pp.pathmtu = 1200;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, NULL, t_now), -EINVAL);
	/* nothing changed */
	cr_assert_eq(pinfo(&P2).mtu, 1500);
	cr_assert_eq(pinfo(&P2).flags, DPSCTP_SPP_HB_DISABLE | DPSCTP_SPP_PMTUD_ENABLE);
}

TEST(set_paddr_params_with_a_fixed_mtu_out_of_512_to_9216_is_einval)
{
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_PMTUD_DISABLE, .pathmtu = 511};

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), -EINVAL);
	pp.pathmtu = 9217;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), -EINVAL);
	pp.pathmtu = 0;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), -EINVAL);
	cr_assert_eq(pinfo(&P2).mtu, 1500);
	cr_assert_eq(pinfo(&P2).flags & DPSCTP_SPP_PMTUD_DISABLE, 0);
	/* the bounds themselves are valid */
	pp.pathmtu = 512;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), 0);
	cr_assert_eq(pinfo(&P2).mtu, 512);
	pp.pathmtu = 9216;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), 0);
	cr_assert_eq(pinfo(&P2).mtu, 9216);
}

TEST(set_paddr_params_of_an_unknown_address_is_enoent)
{
	struct dpsctp_paddr_params pp = {.path_max_retrans = 7};

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &NOWHERE, &pp, t_now), -ENOENT);
	cr_assert_eq(dpsctp_assoc_get_paddr_params(g_a, &NOWHERE, &pp), -ENOENT);
	cr_assert_eq(pinfo(&peer_addr).path_max_retrans, 5);
	cr_assert_eq(pinfo(&P2).path_max_retrans, 5);
}

TEST(set_paddr_params_of_one_path_shows_in_get_and_paddr_info_of_that_path_only)
{
	struct dpsctp_paddr_params pp = {
		.hb_interval = 7 * S,
		.path_max_retrans = 7,
		.pathmtu = 1200,
		.flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_DISABLE,
	};
	struct dpsctp_paddr_params got;
	struct dpsctp_paddr_info pi;

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), 0);
	cr_assert_eq(dpsctp_assoc_get_paddr_params(g_a, &P2, &got), 0);
	cr_assert_eq(got.hb_interval, 7 * S);
	cr_assert_eq(got.path_max_retrans, 7);
	cr_assert_eq(got.pathmtu, 1200);
	cr_assert_eq(got.flags, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_DISABLE);
	pi = pinfo(&P2);
	cr_assert_eq(pi.hb_interval, 7 * S);
	cr_assert_eq(pi.path_max_retrans, 7);
	cr_assert_eq(pi.mtu, 1200);
	cr_assert_eq(pi.flags, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_DISABLE);
	/* the other path keeps the association's values; get with NULL reads the primary */
	cr_assert_eq(dpsctp_assoc_get_paddr_params(g_a, NULL, &got), 0);
	cr_assert_eq(got.hb_interval, 0);
	cr_assert_eq(got.path_max_retrans, 5);
	cr_assert_eq(got.pathmtu, 1500);
	cr_assert_eq(got.flags, DPSCTP_SPP_HB_DISABLE | DPSCTP_SPP_PMTUD_ENABLE);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1500);
	/* zero fields leave the values as they are; PMTUD back on keeps the MTU */
	memset(&pp, 0, sizeof(pp));
	pp.flags = DPSCTP_SPP_PMTUD_ENABLE;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), 0);
	pi = pinfo(&P2);
	cr_assert_eq(pi.hb_interval, 7 * S);
	cr_assert_eq(pi.path_max_retrans, 7);
	cr_assert_eq(pi.flags, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_ENABLE);
	/* HB_TIME_IS_ZERO sets the interval to 0 */
	pp.flags = DPSCTP_SPP_HB_TIME_IS_ZERO;
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &P2, &pp, t_now), 0);
	cr_assert_eq(pinfo(&P2).hb_interval, 0);
}

TEST(set_paddr_params_with_a_null_address_applies_to_every_path)
{
	struct dpsctp_paddr_params pp = {
		.hb_interval = 11 * S,
		.path_max_retrans = 9,
		.pathmtu = 1300,
		.flags = DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_DISABLE,
	};
	const struct dpsctp_addr *all[3] = {&peer_addr, &P2, &P3};
	struct dpsctp_addr extra[2] = {P2, P3};
	unsigned int i;

	up_listing(NULL, extra, 2, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), 0);
	for (i = 0; i < 3; i++) {
		struct dpsctp_paddr_info pi = pinfo(all[i]);

		cr_assert_eq(pi.hb_interval, 11 * S, "path %u", i);
		cr_assert_eq(pi.path_max_retrans, 9, "path %u", i);
		cr_assert_eq(pi.mtu, 1300, "path %u", i);
		cr_assert_eq(
			pi.flags, DPSCTP_SPP_HB_ENABLE | DPSCTP_SPP_PMTUD_DISABLE, "path %u", i);
	}
}

TEST(set_thresholds_with_zero_path_max_retrans_is_einval)
{
	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_thresholds(g_a, &P2, 0, 1, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_thresholds(g_a, NULL, 0, 1, t_now), -EINVAL);
	cr_assert_eq(dpsctp_assoc_set_thresholds(g_a, &NOWHERE, 3, 1, t_now), -ENOENT);
	cr_assert_eq(pinfo(&P2).path_max_retrans, 5);
	cr_assert_eq(pinfo(&P2).pf_threshold, DPSCTP_PF_DISABLED);
}

TEST(set_thresholds_of_one_path_or_of_all_show_in_paddr_info)
{
	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_thresholds(g_a, &P2, 3, 1, t_now), 0);
	cr_assert_eq(pinfo(&P2).path_max_retrans, 3);
	cr_assert_eq(pinfo(&P2).pf_threshold, 1);
	cr_assert_eq(pinfo(&peer_addr).path_max_retrans, 5);
	cr_assert_eq(pinfo(&peer_addr).pf_threshold, DPSCTP_PF_DISABLED);
	cr_assert_eq(dpsctp_assoc_set_thresholds(g_a, NULL, 4, 2, t_now), 0);
	cr_assert_eq(pinfo(&P2).path_max_retrans, 4);
	cr_assert_eq(pinfo(&P2).pf_threshold, 2);
	cr_assert_eq(pinfo(&peer_addr).path_max_retrans, 4);
	cr_assert_eq(pinfo(&peer_addr).pf_threshold, 2);
}

TEST(peer_addrs_lists_the_primary_first_and_returns_the_total_count)
{
	struct dpsctp_addr extra[2] = {P2, P3};
	struct dpsctp_addr out[4];
	struct dpsctp_assoc_status st;

	up_listing(NULL, extra, 2, false);
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, NULL, 0), 3);
	memset(out, 0xee, sizeof(out));
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, out, 4), 3);
	cr_assert(same_addr(&out[0], &peer_addr));
	cr_assert(listed_has(out, 3, &P2));
	cr_assert(listed_has(out, 3, &P3));
	cr_assert_eq(out[3].family, 0xee, "wrote beyond the count");
	dpsctp_assoc_get_status(g_a, &st);
	cr_assert_eq(st.npeer_addrs, 3);
	cr_assert_eq(dpsctp_assoc_set_primary(g_a, &P3, t_now), 0);
	memset(out, 0xee, sizeof(out));
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, out, 1), 3);
	cr_assert(same_addr(&out[0], &P3), "the primary is not first");
	cr_assert_eq(out[1].family, 0xee, "wrote beyond the capacity");
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, out, 3), 3);
	cr_assert(same_addr(&out[0], &P3));
	cr_assert(listed_has(out, 3, &peer_addr));
	cr_assert(listed_has(out, 3, &P2));
}

/*
 * Path confirmation (RFC 9260 5.4)
 */

TEST(addresses_listed_in_the_init_are_unconfirmed_and_the_source_is_the_confirmed_primary)
{
	struct dpsctp_addr extra[2] = {P2, P3};

	up_listing(NULL, extra, 2, false);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert(pinfo(&peer_addr).primary);
	cr_assert(pinfo(&peer_addr).data);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(pstate(&P3), DPSCTP_PATH_UNCONFIRMED);
	cr_assert(!pinfo(&P2).primary);
	cr_assert(pinfo(&P2).reachable);
	cr_assert(local_is(&P2, &ep_addr));
}

TEST(unconfirmed_paths_are_probed_hb_max_burst_per_rto)
{
	struct dpsctp_addr extra[2] = {P2, P3};
	struct probe hbs[4];
	unsigned int n;

	up_listing(NULL, extra, 2, false);
	/* HB.Max.Burst 1: one probe now, the other one RTO later */
	cr_assert_leq(next_deadline(), t_now);
	expire_at(t_now);
	n = take_hbs(hbs, 4, NULL);
	cr_assert_eq(n, 1, "%u probes at once with HB.Max.Burst 1", n);
	cr_assert(same_addr(&hbs[0].to, &P2) || same_addr(&hbs[0].to, &P3));
	cr_assert(!same_addr(&hbs[0].to, &peer_addr), "probe to the confirmed path");
	cr_assert_eq(next_deadline(), T0 + 1 * S, "next probe not one RTO later");
	expire_at(T0 + 1 * S - 1);
	expect_silence();
	answer(&hbs[0]);
	expire_at(T0 + 1 * S);
	n = take_hbs(hbs + 1, 3, NULL);
	cr_assert_eq(n, 1);
	cr_assert(!same_addr(&hbs[1].to, &hbs[0].to), "the same address probed twice");
	cr_assert(!same_addr(&hbs[1].to, &peer_addr));
	cr_assert_eq(stats()->hb_sent, 2);
}

TEST(hb_max_burst_two_probes_two_unconfirmed_paths_at_once)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_addr extra[3] = {P2, P3, NOWHERE};
	struct probe hbs[4];
	unsigned int n;

	cfg.hb_max_burst = 2;
	up_listing(&cfg, extra, 3, false);
	expire_at(t_now);
	n = take_hbs(hbs, 4, NULL);
	cr_assert_eq(n, 2, "%u probes at once with HB.Max.Burst 2", n);
	cr_assert(!same_addr(&hbs[0].to, &hbs[1].to));
	cr_assert_eq(next_deadline(), T0 + 1 * S);
}

TEST(heartbeat_ack_with_the_right_nonce_confirms_the_path)
{
	struct probe pr;

	up_listing(NULL, &P2, 1, false);
	expire_at(t_now);
	pr = take_hb(&P2);
	expect_silence();
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	t_now += 30 * DPSCTP_MS;
	answer(&pr);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(count_pa(&P2, DPSCTP_ADDR_CONFIRMED), 1);
	cr_assert_eq(stats()->paths_confirmed, 1);
	cr_assert_eq(stats()->hb_acked, 1);
	/* an RTT measurement for that destination */
	cr_assert_eq(pinfo(&P2).srtt, 30 * DPSCTP_MS);
	cr_assert_eq(pinfo(&P2).error_count, 0);
	/* confirmed and keep-alive off: no more probes */
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	expire_at(t_now + 100 * S);
	expect_silence();
	/* the same answer again is not new */
	answer(&pr);
	cr_assert_eq(count_pa(&P2, DPSCTP_ADDR_CONFIRMED), 1);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNEXPECTED], 1);
}

TEST(heartbeat_ack_with_a_wrong_nonce_does_not_confirm)
{
	struct probe pr;
	uint8_t bad[HB_INFO_LEN];

	up_listing(NULL, &P2, 1, false);
	expire_at(t_now);
	pr = take_hb(&P2);
	memcpy(bad, pr.info, sizeof(bad));
	bad[3] ^= 0x40;
	cr_assert_eq(hb_ack_from(&P2, bad, sizeof(bad)), 0);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(count_pa(&P2, DPSCTP_ADDR_CONFIRMED), 0);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNEXPECTED], 1);
	cr_assert_eq(stats()->hb_acked, 0);
	/* a forged time-sent field is no better */
	memcpy(bad, pr.info, sizeof(bad));
	bad[15] ^= 1;
	cr_assert_eq(hb_ack_from(&P2, bad, sizeof(bad)), 0);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNEXPECTED], 2);
	/* the right one still works */
	answer(&pr);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_ACTIVE);
}

TEST(heartbeat_ack_with_the_nonce_of_another_address_does_not_confirm)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_addr extra[2] = {P2, P3};
	struct probe hbs[4], *to2, *to3;
	uint8_t swapped[HB_INFO_LEN];

	cfg.hb_max_burst = 2;
	up_listing(&cfg, extra, 2, false);
	expire_at(t_now);
	cr_assert_eq(take_hbs(hbs, 4, NULL), 2);
	to2 = same_addr(&hbs[0].to, &P2) ? &hbs[0] : &hbs[1];
	to3 = same_addr(&hbs[0].to, &P2) ? &hbs[1] : &hbs[0];
	cr_assert(same_addr(&to3->to, &P3));
	/* the nonce sent to P2, claiming to answer the probe of P3 */
	memcpy(swapped, to2->info, sizeof(swapped));
	memcpy(swapped + 16, to3->info + 16, HB_INFO_LEN - 16);
	cr_assert_eq(hb_ack_from(&P3, swapped, sizeof(swapped)), 0);
	cr_assert_eq(pstate(&P3), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNEXPECTED], 1);
	/* and an answer naming an address that is not the peer's */
	memcpy(swapped, to2->info, sizeof(swapped));
	memcpy(swapped + 17, NOWHERE.bytes, 4);
	cr_assert_eq(hb_ack_from(&P2, swapped, sizeof(swapped)), 0);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(stats()->drops[DPSCTP_DROP_UNEXPECTED], 2);
	cr_assert_eq(npa, 0);
}

TEST(unanswered_confirmation_probes_do_not_count_against_the_association)
{
	struct dpsctp_proto_config cfg = config();
	struct probe hbs[4];
	unsigned int i, probes = 0;

	cfg.assoc_max_retrans = 2;
	cfg.path_max_retrans = 3;
	up_listing(&cfg, &P2, 1, false);
	for (i = 0; i < 40 && t_now < T0 + 900 * S; i++) {
		expire_at(next_deadline());
		probes += take_hbs(hbs, 4, NULL);
	}
	cr_assert_gt(probes, cfg.assoc_max_retrans + 2, "only %u probes", probes);
	cr_assert_null(find_assoc_change(DPSCTP_EV_COMM_LOST), "association lost to probes");
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_HB_MAX_RETRANS], 0);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_gt(pinfo(&P2).error_count, 0, "unanswered probes are errors of the path");
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(pinfo(&peer_addr).error_count, 0);
}

/*
 * Heartbeats (RFC 9260 8.3) and where answers go (6.4)
 */

TEST(idle_path_gets_a_keep_alive_every_hb_interval_plus_rto_jitter)
{
	struct dpsctp_proto_config cfg = config();
	struct probe pr;
	uint64_t d;
	unsigned int i;

	cfg.hb_interval = 5 * S;
	up_listing(&cfg, NULL, 0, false);
	for (i = 0; i < 3; i++) {
		uint64_t from = t_now;

		d = next_deadline();
		/* HB.interval + RTO (1 s) jittered by +/- 50 % */
		cr_assert_geq(d, from + 5 * S + S / 2, "round %u: heartbeat too early", i);
		cr_assert_leq(d, from + 5 * S + 3 * S / 2, "round %u: heartbeat too late", i);
		expire_at(d - 1);
		expect_silence();
		expire_at(d);
		pr = take_hb(&peer_addr);
		expect_silence();
		answer(&pr);
	}
	cr_assert_eq(stats()->hb_sent, 3);
	cr_assert_eq(stats()->hb_acked, 3);
}

TEST(hb_disable_stops_keep_alive)
{
	struct dpsctp_proto_config cfg = config();
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_HB_DISABLE};

	cfg.hb_interval = 5 * S;
	up_listing(&cfg, NULL, 0, false);
	cr_assert_lt(next_deadline(), T0 + 10 * S);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, NULL, &pp, t_now), 0);
	cr_assert_eq(pinfo(&peer_addr).flags & DPSCTP_SPP_HB_DISABLE, DPSCTP_SPP_HB_DISABLE);
	cr_assert_gt(next_deadline(), T0 + 60 * S, "a heartbeat is still scheduled");
	expire_at(T0 + 60 * S);
	expect_silence();
	cr_assert_eq(stats()->hb_sent, 0);
}

TEST(hb_enable_with_an_interval_starts_keep_alive_at_that_interval)
{
	struct dpsctp_paddr_params pp = {.hb_interval = 2 * S, .flags = DPSCTP_SPP_HB_ENABLE};
	uint64_t d;

	up_listing(NULL, NULL, 0, false);
	cr_assert_gt(next_deadline(), T0 + 60 * S);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &peer_addr, &pp, t_now), 0);
	d = next_deadline();
	cr_assert_geq(d, T0 + 2 * S + S / 2);
	cr_assert_leq(d, T0 + 2 * S + 3 * S / 2);
	expire_at(d);
	take_hb(&peer_addr);
}

TEST(hb_demand_sends_a_heartbeat_at_once)
{
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_HB_DEMAND};
	struct probe pr;

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &peer_addr, &pp, t_now), 0);
	pr = take_hb(&peer_addr);
	expect_silence();
	cr_assert_eq(stats()->hb_sent, 1);
	answer(&pr);
	cr_assert_eq(stats()->hb_acked, 1);
	/* keep-alive stays off */
	cr_assert_eq(pinfo(&peer_addr).flags & DPSCTP_SPP_HB_DISABLE, DPSCTP_SPP_HB_DISABLE);
}

/* The peer's HEARTBEAT from @p from; the answer's path. */
static struct dpsctp_path
hb_answer_path(const struct dpsctp_addr *from)
{
	static const uint8_t info[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct dpsctp_heartbeat hb = {0};
	struct dpsctp_chunk c;
	struct dpsctp_tlv t;
	size_t mark;

	start(ep_tag);
	cr_assert_eq(dpsctp_heartbeat_begin(&tx, &hb, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&tx, DPSCTP_PARAM_HEARTBEAT_INFO, info, sizeof(info)), 0);
	end_chunk(mark);
	cr_assert_eq(inject_from(from), 0);
	cr_assert(take(&rx), "HEARTBEAT not answered");
	cr_assert(find_chunk(&rx, DPSCTP_CHUNK_HEARTBEAT_ACK, &c));
	cr_assert_eq(dpsctp_heartbeat_ack_decode(&c, &hb), 0);
	cr_assert(find_tlv(hb.params, hb.params_len, DPSCTP_PARAM_HEARTBEAT_INFO, &t));
	cr_assert_eq(dpsctp_tlv_value_len(&t), sizeof(info));
	cr_assert_arr_eq(t.value, info, sizeof(info));
	cr_assert_eq(rx.pi.hdr.vtag, PEER_TAG);
	expect_silence();
	return rx.path;
}

TEST(heartbeat_ack_goes_back_to_the_address_the_heartbeat_came_from)
{
	struct dpsctp_addr extra[2] = {P2, P3};
	struct dpsctp_path p;

	up_listing(NULL, extra, 2, false);
	p = hb_answer_path(&P2);
	cr_assert(same_addr(&p.remote, &P2),
		"HEARTBEAT ACK not sent to where the HEARTBEAT came from");
	p = hb_answer_path(&P3);
	cr_assert(same_addr(&p.remote, &P3));
	p = hb_answer_path(&peer_addr);
	cr_assert(same_addr(&p.remote, &peer_addr));
	/* answering the peer's heartbeat confirms nothing */
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
}

/*
 * Failure detection (RFC 9260 8.2, RFC 7829) and retransmission to an alternate (6.4.1)
 */

TEST(each_t3_expiry_is_an_error_of_the_path_and_it_is_inactive_after_path_max_retrans_plus_one)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	uint32_t k;

	cfg.path_max_retrans = 3;
	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	for (k = 1; k <= 4; k++) {
		expire_at(next_deadline());
		cr_assert_eq(stats()->t3_expiries, k);
		cr_assert_eq(pinfo(&peer_addr).error_count, k);
		if (k <= 3) {
			cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE, "after %u errors", k);
			cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_UNREACHABLE), 0);
		}
		cr_assert_gt(drain(), 0, "no retransmission after T3 %u", k);
	}
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_UNREACHABLE), 1);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_POTENTIALLY_FAILED), 0);
	cr_assert_eq(stats()->paths_inactive, 1);
	/* Association.Max.Retrans (10) not reached */
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
}

TEST(path_is_potentially_failed_after_pf_threshold_plus_one_errors)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	unsigned int i;

	cfg.path_max_retrans = 5;
	cfg.pf_threshold = 1;
	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	expire_at(next_deadline());
	cr_assert_eq(pinfo(&peer_addr).error_count, 1);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(npa, 0);
	drain();
	expire_at(next_deadline());
	cr_assert_eq(stats()->t3_expiries, 2);
	cr_assert_eq(pinfo(&peer_addr).error_count, 2);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_PF);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_POTENTIALLY_FAILED), 1);
	cr_assert_eq(stats()->paths_pf, 1);
	/* errors go on (T3, unanswered PF probes): INACTIVE when they exceed Path.Max.Retrans */
	for (i = 0; i < 20 && pstate(&peer_addr) != DPSCTP_PATH_INACTIVE; i++) {
		drain();
		expire_at(next_deadline());
	}
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert_eq(pinfo(&peer_addr).error_count, 6);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_UNREACHABLE), 1);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_POTENTIALLY_FAILED), 1);
	cr_assert_eq(dpsctp_assoc_state(g_a), DPSCTP_ESTABLISHED);
}

TEST(pf_threshold_disabled_means_no_potentially_failed_state)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	unsigned int k;

	cfg.path_max_retrans = 3;
	cfg.pf_threshold = 3; /* >= Path.Max.Retrans: off */
	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	for (k = 0; k < 4; k++) {
		expire_at(next_deadline());
		drain();
	}
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_POTENTIALLY_FAILED), 0);
	cr_assert_eq(stats()->paths_pf, 0);
}

TEST(retransmission_after_t3_goes_to_the_alternate_path)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	struct dpsctp_data d[4];
	struct rx r;
	uint32_t tsn;

	up_listing(&cfg, &P2, 1, false);
	confirm_all();
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	tsn = take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &peer_addr), "new DATA not on the primary");
	expect_silence();
	expire_at(next_deadline());
	cr_assert_eq(stats()->t3_expiries, 1);
	take_all_find_data(&r);
	cr_assert_eq(data_chunks(&r, d, 4), 1);
	cr_assert_eq(d[0].tsn, tsn);
	cr_assert(same_addr(&r.path.remote, &P2), "T3 retransmission not sent to the alternate");
	cr_assert_eq(stats()->retrans_t3, 1);
	cr_assert_eq(pinfo(&peer_addr).error_count, 1);
	cr_assert_eq(pinfo(&P2).error_count, 0);
	/* one error, PF off: the primary still takes new data */
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &peer_addr));
}

TEST(new_data_avoids_a_potentially_failed_primary_and_returns_when_it_answers)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	struct probe hbs[4];
	unsigned int n, others;

	cfg.pf_threshold = 0;
	up_listing(&cfg, &P2, 1, false);
	confirm_all();
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	expect_silence();
	expire_at(next_deadline());
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_PF);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_POTENTIALLY_FAILED), 1);
	/* RFC 7829: the PF path is probed at once; the retransmission goes to the alternate */
	n = take_hbs(hbs, 4, &others);
	cr_assert_eq(n, 1, "no PF probe");
	cr_assert(same_addr(&hbs[0].to, &peer_addr));
	cr_assert_eq(others, 1);
	cr_assert(same_addr(&rx.path.remote, &P2));
	/* new data to the ACTIVE alternate */
	cr_assert_eq(send_msg(g_a, 0, 0, 2, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &P2), "new DATA sent to a PF path");
	cr_assert(pinfo(&P2).data);
	cr_assert(!pinfo(&peer_addr).data);
	cr_assert_geq(stats()->failovers, 1);
	/* the probe is answered: ACTIVE again, data back to the primary */
	answer(&hbs[0]);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_AVAILABLE), 1);
	peer_sack(ep_tsn + 1, 65536, NULL, 0, NULL, 0);
	cr_assert_eq(send_msg(g_a, 0, 0, 3, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &peer_addr), "data did not return to the primary");
}

TEST(sack_of_data_sent_to_a_potentially_failed_path_makes_it_active_again)
{
	struct dpsctp_proto_config cfg = config_nodelay();

	cfg.pf_threshold = 0;
	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	expire_at(next_deadline());
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_PF);
	/* the only path: the retransmission goes to it, PF or not */
	cr_assert_gt(drain(), 0);
	cr_assert_eq(stats()->retrans_t3, 1);
	cr_assert_eq(peer_sack(ep_tsn, 65536, NULL, 0, NULL, 0), 0);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(pinfo(&peer_addr).error_count, 0);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_AVAILABLE), 1);
	cr_assert_eq(stats()->paths_available, 1);
}

TEST(heartbeat_ack_makes_an_inactive_path_available_again)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_HB_DEMAND};
	struct probe pr;
	unsigned int k;

	cfg.path_max_retrans = 1;
	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	for (k = 0; k < 2; k++) {
		expire_at(next_deadline());
		drain();
	}
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &peer_addr, &pp, t_now), 0);
	pr = take_hb(&peer_addr);
	answer(&pr);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_AVAILABLE), 1);
	cr_assert_eq(pinfo(&peer_addr).error_count, 0);
}

/*
 * The route callback: reachability of peer addresses
 */

TEST(address_without_a_route_is_unreachable_and_never_gets_packets)
{
	struct dpsctp_addr extra[2] = {P2, P3};
	struct probe hbs[8];
	unsigned int i, j, n, p3 = 0;

	set_route(&P2, false);
	up_listing(NULL, extra, 2, true);
	cr_assert(!pinfo(&P2).reachable);
	cr_assert(pinfo(&P3).reachable);
	cr_assert(pinfo(&peer_addr).reachable);
	cr_assert(local_is(&P3, &ep_addr));
	for (i = 0; i < 10; i++) {
		expire_at(i == 0 ? t_now : next_deadline());
		n = take_hbs(hbs, 8, NULL);
		for (j = 0; j < n; j++) {
			cr_assert(
				!same_addr(&hbs[j].to, &P2), "HEARTBEAT to an unreachable address");
			p3 += same_addr(&hbs[j].to, &P3);
		}
	}
	cr_assert_gt(p3, 0, "the reachable unconfirmed path was not probed");
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	cr_assert_eq(pinfo(&P2).error_count, 0);
}

TEST(associate_with_no_reachable_address_is_enetunreach)
{
	struct dpsctp_addr peers[2] = {peer_addr, P2};
	struct dpsctp_assoc *a = NULL;

	set_route(&peer_addr, false);
	set_route(&P2, false);
	make_ep_with(NULL, &ep_addr, 1, true);
	cr_assert_eq(dpsctp_associate(g_ep, peers, 2, PEER_PORT, 0, t_now, &a), -ENETUNREACH);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
	expect_silence();
	/* an address of a family the endpoint has none of has no route either (no callback) */
	dpsctp_endpoint_destroy(g_ep);
	g_ep = NULL;
	make_ep_with(NULL, &ep_addr, 1, false);
	cr_assert_eq(dpsctp_associate(g_ep, &peer6, 1, PEER_PORT, 0, t_now, &a), -ENETUNREACH);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

TEST(associate_sends_init_to_the_first_reachable_address)
{
	struct dpsctp_addr peers[2] = {peer_addr, P2};
	struct dpsctp_assoc *a = NULL;
	struct dpsctp_paddr_info pi;

	set_route(&peer_addr, false);
	make_ep_with(NULL, &ep_addr, 1, true);
	cr_assert_eq(dpsctp_associate(g_ep, peers, 2, PEER_PORT, 0, t_now, &a), 0);
	cr_assert(take(&rx));
	cr_assert(first_is(&rx, DPSCTP_CHUNK_INIT));
	cr_assert(same_addr(&rx.path.remote, &P2), "INIT sent to an unreachable address");
	cr_assert_eq(dpsctp_assoc_paddr_info(a, &peer_addr, &pi), 0);
	cr_assert(!pi.reachable);
	cr_assert_eq(dpsctp_assoc_paddr_info(a, &P2, &pi), 0);
	cr_assert(pi.reachable);
	cr_assert(pi.primary);
}

TEST(routes_changed_flips_reachability)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	struct probe pr;

	set_route(&P2, false);
	up_listing(&cfg, &P2, 1, true);
	expire_at(t_now);
	expect_silence();
	cr_assert(!pinfo(&P2).reachable);
	/* a route to P2: it is probed at once and confirmed by the answer */
	set_route(&P2, true);
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert(pinfo(&P2).reachable);
	pr = take_hb(&P2);
	expect_silence();
	answer(&pr);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(count_pa(&P2, DPSCTP_ADDR_CONFIRMED), 1);
	/* the primary loses its route: INACTIVE, data goes to P2 */
	set_route(&peer_addr, false);
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert(!pinfo(&peer_addr).reachable);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_UNREACHABLE), 1);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	take_data_tsn();
	cr_assert(same_addr(&rx.path.remote, &P2), "DATA sent to an address without a route");
	expect_silence();
	peer_sack(ep_tsn, 65536, NULL, 0, NULL, 0);
	/* its route back: probed, and ACTIVE when it answers */
	set_route(&peer_addr, true);
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert(pinfo(&peer_addr).reachable);
	pr = take_hb(&peer_addr);
	answer(&pr);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_ACTIVE);
	cr_assert_eq(count_pa(&peer_addr, DPSCTP_ADDR_AVAILABLE), 1);
}

/*
 * ICMP packet too big (RFC 9260 appendix C)
 */

/* The first 12 bytes of a packet of ours as an ICMP message quotes it. */
static size_t
quote(uint8_t *q, uint16_t src_port, uint32_t vtag)
{
	dpsctp_put_be16(q, src_port);
	dpsctp_put_be16(q + 2, PEER_PORT);
	dpsctp_put_be32(q + 4, vtag);
	dpsctp_put_be32(q + 8, 0);
	return 12;
}

TEST(ptb_with_the_peers_tag_lowers_the_path_mtu_but_never_raises_it)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	uint8_t q[12];
	size_t qlen = quote(q, EP_PORT, PEER_TAG);

	up_listing(&cfg, NULL, 0, false);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), 0);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1200);
	cr_assert_eq(stats()->ptb_accepted, 1);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1400, t_now), 0);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1200, "a packet-too-big report raised the MTU");
	/* messages now fit the smaller MTU */
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 1400, 0), 0);
	while (take(&rx))
		cr_assert_leq(rx.len, 1200 - 20, "a %zu-byte packet on a 1200-byte MTU", rx.len);
	/* not below 512 for IPv4 */
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 100, t_now), 0);
	cr_assert_eq(pinfo(&peer_addr).mtu, 512);
	cr_assert_eq(path_info(g_a).mtu, 512);
}

TEST(ptb_with_a_wrong_tag_is_eperm_and_counted)
{
	uint8_t q[12];
	size_t qlen = quote(q, EP_PORT, PEER_TAG + 1);

	up_listing(NULL, NULL, 0, false);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -EPERM);
	cr_assert_eq(stats()->ptb_rejected, 1);
	cr_assert_eq(stats()->ptb_accepted, 0);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1500);
	/* our own tag is not the one our packets carry either */
	quote(q, EP_PORT, ep_tag);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -EPERM);
	cr_assert_eq(stats()->ptb_rejected, 2);
	/* tag 0 without an INIT behind it */
	quote(q, EP_PORT, 0);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -EPERM);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1500);
}

TEST(ptb_shorter_than_8_bytes_is_einval)
{
	uint8_t q[12];

	quote(q, EP_PORT, PEER_TAG);
	up_listing(NULL, NULL, 0, false);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, 7, 1200, t_now), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, NULL, 12, 1200, t_now), -EINVAL);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, NULL, q, 12, 1200, t_now), -EINVAL);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1500);
	/* 8 bytes are enough */
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, 8, 1200, t_now), 0);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1200);
}

TEST(ptb_for_no_association_is_enoent)
{
	struct dpsctp_path other = path_to(&ep_addr, &NOWHERE);
	uint8_t q[12];
	size_t qlen = quote(q, EP_PORT, PEER_TAG);

	up_listing(NULL, NULL, 0, false);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &other, q, qlen, 1200, t_now), -ENOENT);
	/* another port of ours, another port of the peer's */
	quote(q, EP_PORT + 1, PEER_TAG);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -ENOENT);
	quote(q, EP_PORT, PEER_TAG);
	dpsctp_put_be16(q + 2, PEER_PORT + 1);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -ENOENT);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1500);
	cr_assert_eq(stats()->ptb_accepted, 0);
}

TEST(ptb_on_a_path_with_pmtud_disabled_is_einval)
{
	struct dpsctp_paddr_params pp = {.flags = DPSCTP_SPP_PMTUD_DISABLE, .pathmtu = 1400};
	uint8_t q[12];
	size_t qlen = quote(q, EP_PORT, PEER_TAG);

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(dpsctp_assoc_set_paddr_params(g_a, &peer_addr, &pp, t_now), 0);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &in_path, q, qlen, 1200, t_now), -EINVAL);
	cr_assert_eq(pinfo(&peer_addr).mtu, 1400);
	cr_assert_eq(stats()->ptb_accepted, 0);
	/* the other path still believes reports */
	{
		struct dpsctp_path p2 = path_to(&ep_addr, &P2);

		cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &p2, q, qlen, 1200, t_now), 0);
		cr_assert_eq(pinfo(&P2).mtu, 1200);
	}
}

TEST(ptb_quoting_our_init_is_believed_in_cookie_wait_and_clamped_at_1280_for_ipv6)
{
	struct dpsctp_addr addrs[2] = {ep_addr, ep_addr6};
	struct dpsctp_assoc *a = NULL;
	struct dpsctp_paddr_info pi;
	uint8_t q[64];

	make_ep_with(NULL, addrs, 2, false);
	cr_assert_eq(dpsctp_associate(g_ep, &peer6, 1, PEER_PORT, 0, t_now, &a), 0);
	cr_assert(take(&rx));
	cr_assert(first_is(&rx, DPSCTP_CHUNK_INIT));
	cr_assert_eq(rx.pi.hdr.vtag, 0);
	cr_assert(same_addr(&rx.path.local, &ep_addr6));
	cr_assert_eq(dpsctp_assoc_state(a), DPSCTP_COOKIE_WAIT);
	cr_assert_geq(rx.len, sizeof(q));
	memcpy(q, rx.b, sizeof(q));
	/* an INIT with another Initiate Tag is not ours */
	q[16] ^= 0x01;
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &rx.path, q, sizeof(q), 1000, t_now), -EPERM);
	cr_assert_eq(stats()->ptb_rejected, 1);
	q[16] ^= 0x01;
	/* too short to show the Initiate Tag */
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &rx.path, q, 16, 1000, t_now), -EPERM);
	cr_assert_eq(dpsctp_endpoint_icmp_ptb(g_ep, &rx.path, q, sizeof(q), 1000, t_now), 0);
	cr_assert_eq(dpsctp_assoc_paddr_info(a, &peer6, &pi), 0);
	cr_assert_eq(pi.mtu, 1280, "IPv6 path MTU %u, expected the 1280 floor", pi.mtu);
	cr_assert_eq(stats()->ptb_accepted, 1);
}

/*
 * Address scope (RFC 9260 5.1.2, RFC 6458 / Linux scoping): what our INIT ACK lists, and which
 * listed peer addresses become paths
 */

static const struct dpsctp_addr scoped_addrs[6] = {
	{.family = 4, .bytes = {10, 0, 0, 1}},
	{.family = 4, .bytes = {127, 0, 0, 1}},
	{.family = 4, .bytes = {169, 254, 0, 1}},
	{.family = 4, .bytes = {10, 0, 1, 1}},
	{.family = 6, .bytes = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}},
	{.family = 6, .bytes = {0xfe, 0x80, [15] = 1}},
};

TEST(init_ack_to_a_global_address_lists_no_loopback_or_link_local_address)
{
	struct dpsctp_addr listed[DPSCTP_MAX_ADDRS];
	size_t n;

	make_ep_with(NULL, scoped_addrs, 6, false);
	send_init_on(&in_path, NULL, 0, false);
	n = take_init_ack_to(&peer_addr, listed);
	cr_assert(listed_has(listed, n, &ep_addr));
	cr_assert(listed_has(listed, n, &ep_global2));
	cr_assert(listed_has(listed, n, &ep_addr6), "the global IPv6 address is not listed");
	cr_assert(!listed_has(listed, n, &ep_lo), "loopback address listed to a global peer");
	cr_assert(!listed_has(listed, n, &ep_ll), "link-local address listed to a global peer");
	cr_assert(!listed_has(listed, n, &ep_ll6), "IPv6 link-local listed to a global peer");
	cr_assert_eq(n, 3);
}

TEST(init_ack_to_a_loopback_address_lists_loopback_and_link_local_addresses)
{
	struct dpsctp_path lo = path_to(&ep_lo, &peer_lo);
	struct dpsctp_addr listed[DPSCTP_MAX_ADDRS];
	size_t n;

	make_ep_with(NULL, scoped_addrs, 6, false);
	send_init_on(&lo, NULL, 0, false);
	n = take_init_ack_to(&peer_lo, listed);
	cr_assert(listed_has(listed, n, &ep_lo), "loopback address not listed to a loopback peer");
	cr_assert(listed_has(listed, n, &ep_ll));
	cr_assert(listed_has(listed, n, &ep_addr));
	cr_assert(listed_has(listed, n, &ep_global2));
	cr_assert(listed_has(listed, n, &ep_ll6));
	cr_assert_eq(n, 6);
}

TEST(init_ack_lists_no_ipv6_address_to_a_peer_supporting_ipv4_only)
{
	struct dpsctp_addr listed[DPSCTP_MAX_ADDRS];
	size_t i, n;

	make_ep_with(NULL, scoped_addrs, 6, false);
	send_init_on(&in_path, NULL, 0, true);
	n = take_init_ack_to(&peer_addr, listed);
	for (i = 0; i < n; i++)
		cr_assert_eq(listed[i].family, 4, "IPv6 address listed to an IPv4-only peer");
	cr_assert(listed_has(listed, n, &ep_addr));
	cr_assert(listed_has(listed, n, &ep_global2));
}

TEST(single_homed_endpoint_lists_no_address_in_its_init_ack)
{
	struct dpsctp_addr listed[DPSCTP_MAX_ADDRS];
	struct dpsctp_addr addrs[2] = {ep_addr, ep_lo};

	/* the loopback address is out of scope: what remains is one address, the source */
	make_ep_with(NULL, addrs, 2, false);
	send_init_on(&in_path, NULL, 0, false);
	cr_assert_eq(take_init_ack_to(&peer_addr, listed), 0);
}

TEST(out_of_scope_addresses_listed_by_a_global_peer_do_not_become_paths)
{
	static const struct dpsctp_addr src = {.family = 4, .bytes = {198, 18, 0, 2}};
	static const struct dpsctp_addr other = {.family = 4, .bytes = {198, 18, 0, 3}};
	static const struct dpsctp_addr lo = {.family = 4, .bytes = {127, 0, 0, 1}};
	static const struct dpsctp_addr ll = {.family = 4, .bytes = {169, 254, 1, 1}};
	struct dpsctp_addr listed[4] = {src, other, lo, ll};
	struct dpsctp_addr got[DPSCTP_MAX_ADDRS];
	struct dpsctp_path p = path_to(&ep_addr, &src);
	struct dpsctp_paddr_info pi;

	make_ep_with(NULL, &ep_addr, 1, false);
	send_init_on(&p, listed, 4, false);
	take_init_ack_to(&src, got);
	g_a = cookie_on(&p);
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, got, DPSCTP_MAX_ADDRS), 2);
	cr_assert(same_addr(&got[0], &src));
	cr_assert(same_addr(&got[1], &other));
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &lo, &pi), -ENOENT, "127.0.0.1 became a path");
	cr_assert_eq(dpsctp_assoc_paddr_info(g_a, &ll, &pi), -ENOENT, "169.254.1.1 became a path");
	cr_assert_eq(pstate(&other), DPSCTP_PATH_UNCONFIRMED);
}

TEST(a_loopback_peer_may_list_addresses_of_any_scope)
{
	static const struct dpsctp_addr lo3 = {.family = 4, .bytes = {127, 0, 0, 3}};
	static const struct dpsctp_addr ll = {.family = 4, .bytes = {169, 254, 1, 1}};
	struct dpsctp_addr listed[4] = {peer_lo, lo3, ll, P2};
	struct dpsctp_addr got[DPSCTP_MAX_ADDRS];
	struct dpsctp_addr addrs[2] = {ep_lo, ep_addr};
	struct dpsctp_path p = path_to(&ep_lo, &peer_lo);

	make_ep_with(NULL, addrs, 2, false);
	send_init_on(&p, listed, 4, false);
	take_init_ack_to(&peer_lo, got);
	g_a = cookie_on(&p);
	cr_assert_eq(dpsctp_assoc_peer_addrs(g_a, got, DPSCTP_MAX_ADDRS), 4);
	cr_assert(same_addr(&got[0], &peer_lo));
	cr_assert(listed_has(got, 4, &lo3));
	cr_assert(listed_has(got, 4, &ll));
	cr_assert(listed_has(got, 4, &P2));
	/* each path leaves from an address of ours in its scope */
	cr_assert(local_is(&lo3, &ep_lo));
	cr_assert(local_is(&P2, &ep_addr));
}

/*
 * Further rules: RFC 9260 5.4 (what may go to an UNCONFIRMED address, HB.Max.Burst), 8.1 (the
 * association error counter and keep-alive), engine.h (no packets without a route, what
 * paddr_info.data means)
 */

TEST(unconfirmed_paths_never_get_more_than_hb_max_burst_probes_at_once)
{
	struct dpsctp_addr extra[3] = {P2, P3, NOWHERE};
	struct probe hbs[8];
	unsigned int i, n, total = 0;

	up_listing(NULL, extra, 3, false);
	for (i = 0; i < 8; i++) {
		expire_at(i == 0 ? t_now : next_deadline());
		n = take_hbs(hbs, 8, NULL);
		cr_assert_leq(n, 1,
			"%u confirmation probes at t=%" PRIu64 " ms with HB.Max.Burst 1", n,
			(t_now - T0) / DPSCTP_MS);
		total += n;
	}
	cr_assert_gt(total, 3);
}

TEST(sack_for_data_from_an_unconfirmed_address_goes_to_a_confirmed_one)
{
	static const uint8_t payload[100];
	struct dpsctp_sack s;
	unsigned int sacks = 0;

	up_listing(NULL, &P2, 1, false);
	cr_assert_eq(pstate(&P2), DPSCTP_PATH_UNCONFIRMED);
	start(ep_tag);
	add_data(peer_itsn, 0, 0, DPSCTP_DATA_FLAG_B | DPSCTP_DATA_FLAG_E | DPSCTP_DATA_FLAG_I, 0,
		payload, sizeof(payload));
	cr_assert_eq(inject_from(&P2), 0);
	cr_assert_eq(nmsgs, 1);
	expire_at(t_now + 200 * DPSCTP_MS);
	while (take(&rx)) {
		if (!sack_of(&rx, &s))
			continue;
		sacks++;
		cr_assert_eq(s.cum_tsn, peer_itsn);
		/* 5.4: only HEARTBEAT (and HEARTBEAT ACK) to an UNCONFIRMED address */
		cr_assert(!same_addr(&rx.path.remote, &P2),
			"SACK sent to the UNCONFIRMED address the DATA came from");
	}
	cr_assert_eq(sacks, 1);
}

TEST(no_packets_go_to_an_address_without_a_route_even_when_it_is_the_only_one)
{
	struct dpsctp_proto_config cfg = config_nodelay();
	unsigned int i;

	up_listing(&cfg, NULL, 0, true);
	set_route(&peer_addr, false);
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert(!pinfo(&peer_addr).reachable);
	cr_assert_eq(send_msg(g_a, 0, 0, 1, 100, 0), 0);
	for (i = 0; i < 4; i++) {
		cr_assert(!take(&rx), "a %s packet to an address without a route (round %u)",
			dpsctp_chunk_name(rx.pi.first_type), i);
		expire_at(next_deadline());
	}
}

TEST(paddr_info_data_follows_a_failover_before_any_data_is_sent)
{
	up_listing(NULL, &P2, 1, true);
	confirm_all();
	cr_assert(pinfo(&peer_addr).data);
	set_route(&peer_addr, false);
	dpsctp_endpoint_routes_changed(g_ep, t_now);
	cr_assert_eq(pstate(&peer_addr), DPSCTP_PATH_INACTIVE);
	cr_assert(!pinfo(&peer_addr).data, "data flag on an INACTIVE path without a route");
	cr_assert(pinfo(&P2).data, "data flag not on the path new data goes to");
}

TEST(unanswered_keep_alives_end_the_association_after_assoc_max_retrans)
{
	struct dpsctp_proto_config cfg = config();
	unsigned int i, hbs = 0;

	cfg.hb_interval = 1 * S;
	cfg.assoc_max_retrans = 2;
	cfg.path_max_retrans = 5;
	up_listing(&cfg, NULL, 0, false);
	for (i = 0; i < 20 && find_assoc_change(DPSCTP_EV_COMM_LOST) == NULL; i++) {
		expire_at(next_deadline());
		hbs += drain();
	}
	cr_assert_not_null(find_assoc_change(DPSCTP_EV_COMM_LOST));
	cr_assert_eq(stats()->aborts[DPSCTP_ABORT_HB_MAX_RETRANS], 1);
	/* three heartbeats unanswered; the third one's expiry ends it (ABORT sent) */
	cr_assert_eq(stats()->hb_sent, 3);
	cr_assert_eq(dpsctp_endpoint_assoc_count(g_ep), 0);
}

TEST(our_init_to_a_global_peer_lists_no_loopback_or_link_local_address)
{
	struct dpsctp_assoc *a = NULL;
	struct dpsctp_chunk c;
	struct dpsctp_init in;
	struct dpsctp_tlv t;
	const uint8_t *p;
	unsigned int n = 0;

	make_ep_with(NULL, scoped_addrs, 6, false);
	cr_assert_eq(dpsctp_associate(g_ep, &peer_addr, 1, PEER_PORT, 0, t_now, &a), 0);
	cr_assert(take(&rx));
	cr_assert(find_chunk(&rx, DPSCTP_CHUNK_INIT, &c));
	cr_assert_eq(dpsctp_init_decode(&c, &in), 0);
	p = in.params;
	while (dpsctp_tlv_next(&p, in.params + in.params_len, &t) == 1) {
		struct dpsctp_param prm;

		if (t.type != DPSCTP_PARAM_IPV4 && t.type != DPSCTP_PARAM_IPV6)
			continue;
		cr_assert_eq(dpsctp_param_decode(&t, &prm), 0);
		cr_assert(!same_addr(&prm.u.addr, &ep_lo), "INIT lists 127.0.0.1 to a global peer");
		cr_assert(!same_addr(&prm.u.addr, &ep_ll), "INIT lists 169.254.0.1");
		cr_assert(!same_addr(&prm.u.addr, &ep_ll6), "INIT lists fe80::1");
		n++;
	}
	cr_assert_eq(n, 3);
}
