/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctpd's configuration reader (control/config.h): defaults, a full file, the example files
 * of configs/, and for every class of error the exact "file:line: field:" prefix and the gist
 * of the message. Run under ASan, the error paths also show that nothing leaks.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "config.h"

TestSuite(config);

#define NAME "t.yaml"

static struct dpsctpd_config cfg;
static char err[512];

/* A valid port, for the tests about everything else. */
#define PORT                     \
	"ports:\n"               \
	"  - name: tap0\n"       \
	"    device: net_tap0\n" \
	"    addresses: [198.18.0.1/24]\n"

static int
parse(const char *yaml)
{
	return dpsctpd_config_parse(NAME, yaml, strlen(yaml), &cfg, err, sizeof(err));
}

static void
expect_ok(const char *yaml)
{
	int rc = parse(yaml);

	cr_assert_eq(rc, 0, "unexpected error: %s", err);
}

/* The load fails with a message starting with @p prefix and containing @p part. */
static void
expect_error(const char *yaml, const char *prefix, const char *part)
{
	int rc = parse(yaml);

	cr_assert_eq(rc, -1, "accepted, expected \"%s ... %s\"", prefix, part);
	cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0,
		"message \"%s\" does not start \"%s\"", err, prefix);
	cr_assert_not_null(strstr(err, part), "message \"%s\" does not say \"%s\"", err, part);
	cr_assert_eq(cfg.n_eal_args, 0, "a failed load keeps EAL arguments");
	cr_assert_null(strchr(err, '\n'), "message \"%s\" is not one line", err);
}

static void
assert_addr(const struct dpsctp_addr *a, const char *text)
{
	char buf[64];

	cr_assert_str_eq(dpsctpd_format_addr(a, buf, sizeof(buf)), text);
}

/* --- values that load --- */

Test(config, defaults_are_the_documented_ones)
{
	struct dpsctp_proto_config def;
	char buf[64];

	dpsctpd_config_default(&cfg);
	dpsctp_proto_config_default(&def);
	cr_assert_str_eq(cfg.file_prefix, "dpsctp");
	cr_assert_eq(cfg.huge, -1);
	cr_assert_eq(cfg.memory_mb, 256);
	cr_assert_str_eq(cfg.log_level, "notice");
	cr_assert_eq(cfg.n_eal_args, 0);
	cr_assert_eq(cfg.control_lcore, 0);
	cr_assert_eq(cfg.nworkers, 1);
	cr_assert_eq(cfg.worker_lcores[0], 1);
	cr_assert_str_eq(cfg.lcore_map, "");
	cr_assert_eq(cfg.mbufs, 16383);
	cr_assert_eq(cfg.mbuf_cache, 256);
	cr_assert_eq(cfg.mbuf_data_room, 2304);
	cr_assert_eq(cfg.nports, 0);
	cr_assert_eq(cfg.nloopback, 2);
	cr_assert_str_eq(dpsctpd_format_addr(&cfg.loopback[0], buf, sizeof(buf)), "127.0.0.1");
	cr_assert_str_eq(dpsctpd_format_addr(&cfg.loopback[1], buf, sizeof(buf)), "::1");
	cr_assert_eq(cfg.arp_timeout_ms, 300000);
	cr_assert_eq(memcmp(&cfg.proto, &def, sizeof(def)), 0);
	cr_assert_str_eq(cfg.attach_path, "/run/dpsctp/dpsctpd.sock");
	cr_assert_eq(cfg.attach_mode, 0660);
	cr_assert_eq(cfg.n_attach_uids, 0);
	cr_assert_eq(cfg.n_attach_gids, 0);
	cr_assert_eq(cfg.nservices, 0);
	cr_assert_eq(cfg.shutdown_wait_ms, 3000);
}

Test(config, one_port_with_device_and_address_is_enough)
{
	struct dpsctp_proto_config def;

	expect_ok("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n");
	dpsctp_proto_config_default(&def);
	cr_assert_eq(cfg.nports, 1);
	cr_assert_str_eq(cfg.ports[0].name, "port0");
	cr_assert(cfg.ports[0].is_vdev);
	cr_assert_not(cfg.ports[0].has_mac);
	cr_assert_eq(cfg.ports[0].mtu, 1500);
	cr_assert_eq(cfg.ports[0].rx_desc, 1024);
	cr_assert_eq(cfg.ports[0].tx_desc, 1024);
	cr_assert_eq(cfg.ports[0].naddrs, 1);
	cr_assert_eq(cfg.ports[0].addrs[0].len, 24);
	assert_addr(&cfg.ports[0].addrs[0].addr, "198.18.0.1");
	cr_assert_eq(cfg.nworkers, 1);
	cr_assert_eq(memcmp(&cfg.proto, &def, sizeof(def)), 0);
	cr_assert_str_eq(cfg.path, NAME);
}

static const char full[] = "eal:\n"
			   "  file_prefix: dpsctp-x\n"
			   "  hugepages: false\n"
			   "  memory_mb: 512\n"
			   "  log_level: debug\n"
			   "  args: [\"--vdev=net_null0\", \"--iova-mode=va\"]\n"
			   "lcores:\n"
			   "  control: 2\n"
			   "  workers: [3, 5]\n"
			   "  map: \"2@2,3@3,5@4\"\n"
			   "mempool: {mbufs: 8191, cache: 128, data_room: 9018}\n"
			   "ports:\n"
			   "  - name: tap0\n"
			   "    device: \"net_tap0,iface=dpsctp0\"\n"
			   "    mac: 02:00:00:00:00:01\n"
			   "    mtu: 9000\n"
			   "    rx_desc: 512\n"
			   "    tx_desc: 2048\n"
			   "    addresses: [\"198.18.0.1/24\", \"2001:db8::1/64\"]\n"
			   "    gateway4: 198.18.0.254\n"
			   "    gateway6: \"2001:db8::fe\"\n"
			   "    neighbours:\n"
			   "      - {ip: 198.18.0.2, mac: \"02:00:00:00:00:02\"}\n"
			   "      - {ip: \"2001:db8::2\", mac: \"02:AA:bb:00:00:03\"}\n"
			   "  - name: nic1\n"
			   "    device: \"3b:00.1\"\n"
			   "    addresses: [198.19.0.1/16]\n"
			   "loopback: [\"127.0.0.1\"]\n"
			   "arp_timeout_ms: 60000\n"
			   "protocol:\n"
			   "  rto_initial_ms: 200\n"
			   "  rto_min_ms: 100\n"
			   "  rto_max_ms: 1000\n"
			   "  hb_interval_ms: 0\n"
			   "  path_max_retrans: 2\n"
			   "  assoc_max_retrans: 4\n"
			   "  max_init_retrans: 3\n"
			   "  pf_threshold: 1\n"
			   "  sack_delay_ms: 0\n"
			   "  sack_freq: 1\n"
			   "  cookie_life_ms: 5000\n"
			   "  outbound_streams: 17\n"
			   "  max_inbound_streams: 100\n"
			   "  rwnd: 65536\n"
			   "  sndbuf: 1048576\n"
			   "  max_burst: 8\n"
			   "  nodelay: yes\n"
			   "attach:\n"
			   "  path: /tmp/x.sock\n"
			   "  mode: 0600\n"
			   "  uids: [0, 1000]\n"
			   "  gids: [27]\n"
			   "services:\n"
			   "  - {type: echo, port: 7}\n"
			   "  - {type: discard, port: 9, addresses: [198.18.0.1, 127.0.0.1]}\n"
			   "shutdown_wait_ms: 0\n";

Test(config, full_file_sets_every_field)
{
	const struct dpsctpd_port_cfg *p0 = &cfg.ports[0], *p1 = &cfg.ports[1];
	const struct dpsctp_proto_config *pr = &cfg.proto;
	static const uint8_t mac1[6] = {2, 0, 0, 0, 0, 1}, mac3[6] = {2, 0xaa, 0xbb, 0, 0, 3};

	expect_ok(full);
	cr_assert_str_eq(cfg.file_prefix, "dpsctp-x");
	cr_assert_eq(cfg.huge, 0);
	cr_assert_eq(cfg.memory_mb, 512);
	cr_assert_str_eq(cfg.log_level, "debug");
	cr_assert_eq(cfg.n_eal_args, 2);
	cr_assert_str_eq(cfg.eal_args[0], "--vdev=net_null0");
	cr_assert_str_eq(cfg.eal_args[1], "--iova-mode=va");
	cr_assert_eq(cfg.control_lcore, 2);
	cr_assert_eq(cfg.nworkers, 2);
	cr_assert_eq(cfg.worker_lcores[0], 3);
	cr_assert_eq(cfg.worker_lcores[1], 5);
	cr_assert_str_eq(cfg.lcore_map, "2@2,3@3,5@4");
	cr_assert_eq(cfg.mbufs, 8191);
	cr_assert_eq(cfg.mbuf_cache, 128);
	cr_assert_eq(cfg.mbuf_data_room, 9018);

	cr_assert_eq(cfg.nports, 2);
	cr_assert_str_eq(p0->name, "tap0");
	cr_assert_str_eq(p0->device, "net_tap0,iface=dpsctp0");
	cr_assert(p0->is_vdev);
	cr_assert(p0->has_mac);
	cr_assert_arr_eq(p0->mac, mac1, 6);
	cr_assert_eq(p0->mtu, 9000);
	cr_assert_eq(p0->rx_desc, 512);
	cr_assert_eq(p0->tx_desc, 2048);
	cr_assert_eq(p0->naddrs, 2);
	assert_addr(&p0->addrs[0].addr, "198.18.0.1");
	cr_assert_eq(p0->addrs[0].addr.family, 4);
	cr_assert_eq(p0->addrs[0].len, 24);
	assert_addr(&p0->addrs[1].addr, "2001:db8::1");
	cr_assert_eq(p0->addrs[1].addr.family, 6);
	cr_assert_eq(p0->addrs[1].len, 64);
	cr_assert(p0->has_gw4);
	assert_addr(&p0->gw4, "198.18.0.254");
	cr_assert(p0->has_gw6);
	assert_addr(&p0->gw6, "2001:db8::fe");
	cr_assert_eq(p0->nneigh, 2);
	assert_addr(&p0->neigh[0].ip, "198.18.0.2");
	assert_addr(&p0->neigh[1].ip, "2001:db8::2");
	cr_assert_arr_eq(p0->neigh[1].mac, mac3, 6);
	cr_assert_str_eq(p1->name, "nic1");
	cr_assert_not(p1->is_vdev);
	cr_assert_not(p1->has_gw4);
	cr_assert_not(p1->has_gw6);
	cr_assert_eq(p1->nneigh, 0);

	cr_assert_eq(cfg.nloopback, 1);
	cr_assert_eq(cfg.arp_timeout_ms, 60000);

	cr_assert_eq(pr->rto_initial, 200 * DPSCTP_MS);
	cr_assert_eq(pr->rto_min, 100 * DPSCTP_MS);
	cr_assert_eq(pr->rto_max, 1000 * DPSCTP_MS);
	cr_assert_eq(pr->shutdown_guard, 5000 * DPSCTP_MS, "T5 follows RTO.Max");
	cr_assert_eq(pr->hb_interval, 0);
	cr_assert_eq(pr->path_max_retrans, 2);
	cr_assert_eq(pr->assoc_max_retrans, 4);
	cr_assert_eq(pr->max_init_retrans, 3);
	cr_assert_eq(pr->pf_threshold, 1);
	cr_assert_eq(pr->sack_delay, 0);
	cr_assert_eq(pr->sack_freq, 1);
	cr_assert_eq(pr->valid_cookie_life, 5000 * DPSCTP_MS);
	cr_assert_eq(pr->os, 17);
	cr_assert_eq(pr->mis, 100);
	cr_assert_eq(pr->a_rwnd, 65536);
	cr_assert_eq(pr->sndbuf, 1048576);
	cr_assert_eq(pr->max_burst, 8);
	cr_assert(pr->nodelay);

	cr_assert_str_eq(cfg.attach_path, "/tmp/x.sock");
	cr_assert_eq(cfg.attach_mode, 0600);
	cr_assert_eq(cfg.n_attach_uids, 2);
	cr_assert_eq(cfg.attach_uids[1], 1000);
	cr_assert_eq(cfg.n_attach_gids, 1);
	cr_assert_eq(cfg.attach_gids[0], 27);

	cr_assert_eq(cfg.nservices, 2);
	cr_assert_eq(cfg.services[0].kind, DPSCTPD_SVC_ECHO);
	cr_assert_eq(cfg.services[0].port, 7);
	cr_assert_eq(cfg.services[0].naddrs, 0);
	cr_assert_eq(cfg.services[1].kind, DPSCTPD_SVC_DISCARD);
	cr_assert_eq(cfg.services[1].port, 9);
	cr_assert_eq(cfg.services[1].naddrs, 2);
	assert_addr(&cfg.services[1].addrs[1], "127.0.0.1");
	cr_assert_eq(cfg.shutdown_wait_ms, 0);

	dpsctpd_config_free(&cfg);
	cr_assert_eq(cfg.n_eal_args, 0);
	cr_assert_null(cfg.eal_args[0]);
}

Test(config, free_twice_is_harmless)
{
	expect_ok(full);
	dpsctpd_config_free(&cfg);
	dpsctpd_config_free(&cfg);
	cr_assert_eq(cfg.n_eal_args, 0);
}

Test(config, empty_or_null_sections_keep_their_defaults)
{
	expect_ok("eal:\nlcores: ~\nprotocol: {}\nattach: null\nservices:\n" PORT);
	cr_assert_eq(cfg.memory_mb, 256);
	cr_assert_eq(cfg.nworkers, 1);
	cr_assert_eq(cfg.nservices, 0);
	cr_assert_eq(cfg.attach_mode, 0660);
}

Test(config, hugepages_takes_auto_true_false_yes_no)
{
	expect_ok("eal: {hugepages: auto}\n" PORT);
	cr_assert_eq(cfg.huge, -1);
	expect_ok("eal: {hugepages: true}\n" PORT);
	cr_assert_eq(cfg.huge, 1);
	expect_ok("eal: {hugepages: no}\n" PORT);
	cr_assert_eq(cfg.huge, 0);
	expect_ok("eal: {hugepages: Yes}\n" PORT);
	cr_assert_eq(cfg.huge, 1);
	expect_error("eal: {hugepages: maybe}\n" PORT,
		NAME ":1: eal.hugepages: ", "'maybe' is not auto, true or false");
}

Test(config, pf_threshold_is_off_or_a_number_below_path_max_retrans)
{
	expect_ok("protocol: {pf_threshold: 0}\n" PORT);
	cr_assert_eq(cfg.proto.pf_threshold, 0);
	expect_ok("protocol: {pf_threshold: off}\n" PORT);
	cr_assert_eq(cfg.proto.pf_threshold, DPSCTP_PF_DISABLED);
	expect_error("protocol: {pf_threshold: 5}\n" PORT,
		NAME ":1: protocol.pf_threshold: ", "not below path_max_retrans (5)");
	expect_error("protocol: {pf_threshold: never}\n" PORT,
		NAME ":1: protocol.pf_threshold: ", "neither 'off' nor an integer");
}

Test(config, attach_mode_is_octal_quoted_or_not)
{
	expect_ok("attach: {mode: \"0640\"}\n" PORT);
	cr_assert_eq(cfg.attach_mode, 0640);
	expect_ok("attach: {mode: 600}\n" PORT);
	cr_assert_eq(cfg.attach_mode, 0600);
	expect_ok("attach: {mode: 0o660}\n" PORT);
	cr_assert_eq(cfg.attach_mode, 0660);
	expect_error("attach: {mode: \"0680\"}\n" PORT,
		NAME ":1: attach.mode: ", "'0680' is not an octal file mode");
	expect_error("attach: {mode: 4755}\n" PORT,
		NAME ":1: attach.mode: ", "is not an octal file mode");
}

Test(config, services_may_bind_port_and_loopback_addresses)
{
	expect_ok(
		PORT "services:\n  - {type: echo, port: 7, addresses: [198.18.0.1, 127.0.0.1]}\n");
	cr_assert_eq(cfg.services[0].naddrs, 2);
	assert_addr(&cfg.services[0].addrs[1], "127.0.0.1");
}

Test(config, source_service_takes_peer_and_load_settings_with_defaults)
{
	const struct dpsctpd_service_cfg *sv = &cfg.services[0];

	expect_ok(PORT "services:\n"
		       "  - {type: source, port: 5001, peers: [198.18.0.2, \"2001:db8::2\"],"
		       " peer_port: 7}\n");
	cr_assert_eq(sv->kind, DPSCTPD_SVC_SOURCE);
	cr_assert_eq(sv->port, 5001);
	cr_assert_eq(sv->npeers, 2);
	assert_addr(&sv->peers[1], "2001:db8::2");
	cr_assert_eq(sv->peer_port, 7);
	cr_assert_eq(sv->count, 1000);
	cr_assert_eq(sv->size, 100);
	cr_assert_eq(sv->streams, 1);
	cr_assert_not(sv->unordered);
	cr_assert(sv->check_echo);
	cr_assert(sv->shutdown_when_done);

	expect_ok(PORT "services:\n"
		       "  - type: source\n"
		       "    port: 5001\n"
		       "    peers: [127.0.0.1]\n"
		       "    peer_port: 7\n"
		       "    count: 0\n"
		       "    size: 65536\n"
		       "    streams: 10\n"
		       "    unordered: true\n"
		       "    check_echo: false\n"
		       "    shutdown_when_done: no\n");
	cr_assert_eq(sv->count, 0);
	cr_assert_eq(sv->size, 65536);
	cr_assert_eq(sv->streams, 10);
	cr_assert(sv->unordered);
	cr_assert_not(sv->check_echo);
	cr_assert_not(sv->shutdown_when_done);
}

Test(config, source_service_needs_a_peer_and_fits_the_stream_count)
{
	expect_error(PORT "services:\n  - {type: source, port: 5001, peer_port: 7}\n",
		NAME ":6: services[0].peers: ", "missing");
	expect_error(PORT "services:\n  - {type: source, port: 5001, peers: [198.18.0.2]}\n",
		NAME ":6: services[0].peer_port: ", "missing");
	expect_error(PORT "services:\n  - {type: source, port: 5001, peers: [], peer_port: 7}\n",
		NAME ":6: services[0].peers: ", "at least one peer address");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 5001, peers: [224.0.0.5], peer_port: 7}\n",
		NAME ":6: services[0].peers[0]: ", "multicast");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 5001, peers: [198.18.0.2], peer_port: 7,"
			  " streams: 11}\n",
		NAME ":6: services[0].streams: ",
		"11 streams is more than protocol.outbound_streams (10)");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 5001, peers: [198.18.0.2], peer_port: 7,"
			  " size: 4}\n",
		NAME ":6: services[0].size: ", "out of range (8..65536)");
}

Test(config, source_opens_associations_from_consecutive_ports)
{
	const struct dpsctpd_service_cfg *sv = &cfg.services[1];

	expect_ok(PORT "services:\n"
		       "  - {type: discard, port: 9}\n"
		       "  - {type: source, port: 5000, peers: [198.18.0.2], peer_port: 9,"
		       " associations: 1024}\n"
		       "  - {type: echo, port: 6024}\n");
	cr_assert_eq(sv->associations, 1024);
	cr_assert_eq(cfg.services[0].kind, DPSCTPD_SVC_DISCARD);
	expect_ok(PORT "services:\n  - {type: source, port: 5001, peers: [198.18.0.2], peer_port: 7}\n");
	cr_assert_eq(cfg.services[0].associations, 1);
}

Test(config, source_ports_must_fit_and_not_overlap)
{
	/* 5000..5009 take the echo's port 5004: the message names both ranges and the line */
	expect_error(PORT "services:\n"
			  "  - {type: echo, port: 5004}\n"
			  "  - {type: source, port: 5000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 10}\n",
		NAME ":7: services[1].associations: ",
		"ports 5000..5009 overlap services[0] (ports 5004..5004, line 6)");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 5000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 10}\n"
			  "  - {type: discard, port: 5009}\n",
		NAME ":7: services[1].port: ", "ports 5009..5009 overlap services[0]");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 65000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 600}\n",
		NAME ":6: services[0].associations: ",
		"600 associations from port 65000 need ports beyond 65535");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 5000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 1025}\n",
		NAME ":6: services[0].associations: ", "out of range (1..1024)");
	expect_error(PORT "services:\n"
			  "  - {type: source, port: 1000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 1000}\n"
			  "  - {type: source, port: 3000, peers: [198.18.0.2], peer_port: 9,"
			  " associations: 41}\n",
		NAME ":7: services[1].associations: ",
		"services take 1041 endpoints in all (a source: one per association), at most 1040");
	expect_error(PORT "services:\n  - {type: echo, port: 7, associations: 2}\n",
		NAME ":6: services[0].associations: ",
		"only a service of type source has associations");
}

Test(config, source_settings_on_a_listening_service_are_an_error)
{
	expect_error(PORT "services:\n  - {type: echo, port: 7, peer_port: 9}\n",
		NAME ":6: services[0].peer_port: ", "only a service of type source has peer_port");
}

Test(config, quoted_numbers_are_numbers)
{
	expect_ok("shutdown_wait_ms: \"2500\"\n" PORT);
	cr_assert_eq(cfg.shutdown_wait_ms, 2500);
}

Test(config, tap_demo_example_loads)
{
	int rc = dpsctpd_config_load(
		DPSCTP_SOURCE_ROOT "/configs/tap-demo.yaml", &cfg, err, sizeof(err));

	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(cfg.nports, 1);
	cr_assert_str_eq(cfg.ports[0].device, "net_tap0,iface=dpsctp0");
	cr_assert(cfg.ports[0].is_vdev);
	cr_assert(cfg.ports[0].has_mac);
	cr_assert_eq(cfg.ports[0].naddrs, 2);
	assert_addr(&cfg.ports[0].addrs[0].addr, "198.18.0.1");
	assert_addr(&cfg.ports[0].addrs[1].addr, "2001:db8:18::1");
	cr_assert_eq(cfg.huge, -1);
	cr_assert_eq(cfg.control_lcore, 0);
	cr_assert_eq(cfg.nworkers, 1);
	cr_assert_eq(cfg.worker_lcores[0], 1);
	cr_assert_eq(cfg.nservices, 2);
	cr_assert_eq(cfg.services[0].kind, DPSCTPD_SVC_ECHO);
	cr_assert_eq(cfg.services[0].port, 7);
	cr_assert_eq(cfg.services[1].kind, DPSCTPD_SVC_DISCARD);
	cr_assert_eq(cfg.services[1].port, 9);
	cr_assert_eq(strncmp(cfg.attach_path, "/run/dpsctp/", 12), 0);
	dpsctpd_config_free(&cfg);
}

Test(config, multihomed_example_loads_with_a_subnet_per_port)
{
	int rc = dpsctpd_config_load(
		DPSCTP_SOURCE_ROOT "/configs/multihomed.yaml", &cfg, err, sizeof(err));

	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(cfg.nports, 2);
	assert_addr(&cfg.ports[0].addrs[0].addr, "198.18.0.1");
	assert_addr(&cfg.ports[1].addrs[0].addr, "198.18.1.1");
	cr_assert_eq(cfg.nservices, 2);
	dpsctpd_config_free(&cfg);
}

Test(config, nic_template_example_loads_with_telecom_timers)
{
	int rc = dpsctpd_config_load(
		DPSCTP_SOURCE_ROOT "/configs/nic-template.yaml", &cfg, err, sizeof(err));

	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(cfg.nports, 2);
	cr_assert_str_eq(cfg.ports[0].device, "0000:3b:00.0");
	cr_assert_not(cfg.ports[0].is_vdev);
	cr_assert(cfg.ports[0].has_gw4);
	cr_assert(cfg.ports[0].has_gw6);
	cr_assert_geq(cfg.ports[0].nneigh, 1);
	cr_assert_eq(cfg.huge, 1);
	cr_assert_eq(cfg.nworkers, 2);
	cr_assert_eq(cfg.proto.rto_min, 100 * DPSCTP_MS);
	cr_assert_eq(cfg.proto.rto_initial, 200 * DPSCTP_MS);
	cr_assert_eq(cfg.proto.rto_max, 1000 * DPSCTP_MS);
	cr_assert_eq(cfg.proto.hb_interval, 5000 * DPSCTP_MS);
	cr_assert_eq(cfg.proto.path_max_retrans, 2);
	cr_assert_eq(cfg.proto.assoc_max_retrans, 4);
	cr_assert_eq(cfg.proto.pf_threshold, 0);
	dpsctpd_config_free(&cfg);
}

/* --- errors: file, line, field, and what is wrong --- */

Test(config, bad_address_names_file_line_field_and_value)
{
	expect_error("ports:\n"
		     "  - name: tap0\n"
		     "    device: net_tap0\n"
		     "    addresses:\n"
		     "      - 198.18.0.1/24\n"
		     "      - 198.18.0.300/24\n",
		NAME ":6: ports[0].addresses[1]: ",
		"'198.18.0.300/24' is not an IPv4/IPv6 address with a prefix");
}

Test(config, address_without_prefix_is_refused)
{
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1]\n",
		NAME ":3: ports[0].addresses[0]: ", "is not an IPv4/IPv6 address with a prefix");
}

Test(config, prefix_length_beyond_the_family_is_refused)
{
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/33]\n",
		NAME ":3: ports[0].addresses[0]: ", "prefix length out of range (1..32)");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [\"2001:db8::1/129\"]\n",
		NAME ":3: ports[0].addresses[0]: ", "prefix length out of range (1..128)");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/2x]\n",
		NAME ":3: ports[0].addresses[0]: ", "is not an IPv4/IPv6 address with a prefix");
}

Test(config, multicast_loopback_and_network_addresses_are_not_port_addresses)
{
	expect_error("ports:\n  - device: net_tap0\n    addresses: [224.0.0.1/24]\n",
		NAME ":3: ports[0].addresses[0]: ", "multicast");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [127.0.0.2/8]\n",
		NAME ":3: ports[0].addresses[0]: ", "loopback");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.0/24]\n",
		NAME ":3: ports[0].addresses[0]: ", "network address");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.255/24]\n",
		NAME ":3: ports[0].addresses[0]: ", "broadcast address");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [\"::ffff:198.18.0.1/120\"]\n",
		NAME ":3: ports[0].addresses[0]: ", "IPv4-mapped");
}

Test(config, one_address_on_two_ports_is_refused)
{
	expect_error(PORT "  - name: tap1\n    device: net_tap1\n    addresses: [198.18.0.1/24]\n",
		NAME ":7: ports[1].addresses[0]: ", "already ports[0].addresses[0] (line 4)");
}

Test(config, unknown_top_level_key_is_an_error)
{
	expect_error(PORT "bogus: 1\n", NAME ":5: bogus: ", "unknown key 'bogus' at top level");
}

Test(config, unknown_nested_key_is_an_error_with_a_suggestion)
{
	expect_error(PORT "protocol:\n  rto_min_ms: 100\n  rto_intial: 200\n",
		NAME ":7: protocol.rto_intial: ",
		"unknown key 'rto_intial' in protocol (did you mean 'rto_initial_ms'?)");
	expect_error("ports:\n  - device: net_tap0\n    adresses: [198.18.0.1/24]\n",
		NAME ":3: ports[0].adresses: ", "did you mean 'addresses'?");
}

Test(config, unknown_key_far_from_any_lists_the_known_ones)
{
	expect_error(PORT "mempool: {pool_size: 5}\n", NAME ":5: mempool.pool_size: ",
		"unknown key 'pool_size' in mempool (known: mbufs, cache, data_room)");
}

Test(config, repeated_key_is_an_error)
{
	expect_error(PORT "shutdown_wait_ms: 1\nshutdown_wait_ms: 2\n",
		NAME ":6: shutdown_wait_ms: ", "duplicate key (line 5 has it)");
}

Test(config, list_where_a_mapping_is_expected_is_a_type_error)
{
	expect_error(
		PORT "protocol: [1, 2]\n", NAME ":5: protocol: ", "expected a mapping, got a list");
	expect_error(PORT "lcores:\n  workers: {a: 1}\n",
		NAME ":6: lcores.workers: ", "expected a list, got a mapping");
	expect_error(PORT "arp_timeout_ms: [1]\n",
		NAME ":5: arp_timeout_ms: ", "expected a single value, got a list");
	expect_error("- 1\n- 2\n", NAME ":1: ", "the document must be a mapping");
}

Test(config, number_out_of_range_states_the_range)
{
	expect_error(
		"ports:\n  - device: net_tap0\n    mtu: 9001\n    addresses: [198.18.0.1/24]\n",
		NAME ":3: ports[0].mtu: ", "'9001' is out of range (576..9000)");
	expect_error(PORT "protocol: {outbound_streams: 0}\n",
		NAME ":5: protocol.outbound_streams: ", "'0' is out of range (1..65535)");
	expect_error(PORT "protocol: {sack_delay_ms: 501}\n",
		NAME ":5: protocol.sack_delay_ms: ", "out of range (0..500)");
	expect_error(PORT "protocol: {rwnd: 1000}\n",
		NAME ":5: protocol.rwnd: ", "out of range (1500..");
}

Test(config, negative_overflowing_and_non_integer_numbers_are_refused)
{
	expect_error(PORT "shutdown_wait_ms: -1\n",
		NAME ":5: shutdown_wait_ms: ", "'-1' is out of range (0..600000)");
	expect_error(PORT "shutdown_wait_ms: 99999999999999999999999\n",
		NAME ":5: shutdown_wait_ms: ", "out of range");
	expect_error(PORT "shutdown_wait_ms: 12abc\n",
		NAME ":5: shutdown_wait_ms: ", "'12abc' is not an integer");
	expect_error(
		PORT "shutdown_wait_ms: 1.5\n", NAME ":5: shutdown_wait_ms: ", "is not an integer");
	expect_error(PORT "shutdown_wait_ms: 010\n", NAME ":5: shutdown_wait_ms: ", "leading zero");
	expect_error(PORT "shutdown_wait_ms:\n", NAME ":5: shutdown_wait_ms: ", "has no value");
}

Test(config, non_boolean_is_refused)
{
	expect_error(PORT "protocol:\n  nodelay: 1\n",
		NAME ":6: protocol.nodelay: ", "'1' is not a boolean");
}

Test(config, mtu_frame_must_fit_one_mbuf)
{
	expect_error(
		"mempool: {data_room: 4096}\n"
		"ports:\n  - device: net_tap0\n    mtu: 9000\n    addresses: [198.18.0.1/24]\n",
		NAME ":4: ports[0].mtu: ", "MTU 9000 needs mempool.data_room >= 9018 (it is 4096)");
	expect_error("mempool: {data_room: 1024}\n" PORT, NAME ":3: ports[0].mtu: ",
		"MTU 1500 (the default) needs mempool.data_room >= 1518");
	expect_error(PORT "mempool: {data_room: 65408}\n",
		NAME ":5: mempool.data_room: ", "out of range (1024..65407)");
}

Test(config, rx_desc_must_be_a_power_of_two)
{
	expect_error(
		"ports:\n  - device: net_tap0\n    rx_desc: 1000\n    addresses: [198.18.0.1/24]\n",
		NAME ":3: ports[0].rx_desc: ", "1000 is not a power of two");
}

Test(config, duplicate_port_name_is_an_error)
{
	expect_error(PORT "  - name: tap0\n    device: net_tap1\n    addresses: [198.18.1.1/24]\n",
		NAME ":5: ports[1].name: ", "duplicate port name 'tap0' (ports[0], line 2");
}

Test(config, one_device_on_two_ports_is_an_error)
{
	expect_error("ports:\n"
		     "  - {device: \"0000:3B:00.0\", addresses: [198.18.0.1/24]}\n"
		     "  - {device: \"3b:00.0,foo=1\", addresses: [198.18.1.1/24]}\n",
		NAME ":3: ports[1].device: ", "device 0000:3b:00.0 is already ports[0]");
}

Test(config, device_that_is_neither_vdev_nor_pci_is_refused)
{
	expect_error("ports:\n  - {device: eth0, addresses: [198.18.0.1/24]}\n",
		NAME ":2: ports[0].device: ", "'eth0' is neither a vdev");
}

Test(config, missing_device_is_an_error)
{
	expect_error("ports:\n  - name: tap0\n    addresses: [198.18.0.1/24]\n",
		NAME ":2: ports[0].device: ", "missing");
}

Test(config, port_without_addresses_is_an_error)
{
	expect_error("ports:\n  - name: tap0\n    device: net_tap0\n",
		NAME ":2: ports[0].addresses: ", "missing");
	expect_error("ports:\n  - name: tap0\n    device: net_tap0\n    addresses: []\n",
		NAME ":4: ports[0].addresses: ", "at least one address");
}

Test(config, no_port_at_all_is_an_error)
{
	expect_error("eal: {memory_mb: 64}\n", NAME ":1: ports: ", "at least one port is required");
	expect_error("", NAME ":1: ports: ", "at least one port is required");
}

Test(config, too_many_ports_is_an_error)
{
	char yaml[2048];
	size_t off = 0;
	int i;

	off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "ports:\n");
	for (i = 0; i <= DPSCTPD_MAX_PORTS; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
			"  - {device: net_tap%d, addresses: [198.18.%d.1/24]}\n", i, i);
	expect_error(yaml, NAME ":10: ports: ", "too many ports (at most 8)");
}

Test(config, gateway_outside_the_port_subnets_is_an_error)
{
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    gateway4: 198.18.1.254\n",
		NAME ":4: ports[0].gateway4: ",
		"198.18.1.254 is outside the port's subnets (198.18.0.1/24)");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    gateway6: \"2001:db8::1\"\n",
		NAME ":4: ports[0].gateway6: ", "ports[0] has no IPv6 address");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    gateway4: \"2001:db8::1\"\n",
		NAME ":4: ports[0].gateway4: ", "is not an IPv4 address");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    gateway4: 198.18.0.1\n",
		NAME ":4: ports[0].gateway4: ", "is an address of ports[0] itself");
}

Test(config, neighbour_off_the_link_or_with_a_bad_mac_is_an_error)
{
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    neighbours:\n      - {ip: 198.18.9.2, mac: \"02:00:00:00:00:02\"}\n",
		NAME ":5: ports[0].neighbours[0].ip: ", "outside the port's subnets");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    neighbours:\n      - {ip: 198.18.0.2, mac: \"02:00:00:00:00\"}\n",
		NAME ":5: ports[0].neighbours[0].mac: ", "is not a MAC address");
	expect_error("ports:\n  - device: net_tap0\n    addresses: [198.18.0.1/24]\n"
		     "    neighbours:\n      - {ip: 198.18.0.2}\n",
		NAME ":5: ports[0].neighbours[0].mac: ", "missing");
	expect_error("ports:\n  - device: net_tap0\n    mac: \"01:00:5e:00:00:01\"\n"
		     "    addresses: [198.18.0.1/24]\n",
		NAME ":3: ports[0].mac: ", "multicast");
}

Test(config, rto_min_above_rto_initial_is_an_error)
{
	expect_error(PORT "protocol:\n  rto_min_ms: 2000\n", NAME ":6: protocol.rto_min_ms: ",
		"2000 ms is above rto_initial_ms (1000 ms, the default)");
	expect_error(PORT "protocol:\n  rto_min_ms: 500\n  rto_initial_ms: 400\n",
		NAME ":7: protocol.rto_initial_ms: ", "400 ms is below rto_min_ms (500 ms)");
}

Test(config, rto_max_below_rto_initial_is_an_error)
{
	expect_error(PORT "protocol:\n  rto_max_ms: 500\n", NAME ":6: protocol.rto_max_ms: ",
		"500 ms is below rto_initial_ms (1000 ms, the default)");
}

Test(config, workers_must_be_distinct_and_not_the_control_lcore)
{
	expect_error(PORT "lcores:\n  control: 1\n",
		NAME ":6: lcores.control: ", "lcore 1 is both the control lcore and a worker");
	expect_error(PORT "lcores:\n  control: 0\n  workers: [1, 2, 0]\n",
		NAME ":7: lcores.workers[2]: ", "lcore 0 is both the control lcore and a worker");
	expect_error(PORT "lcores:\n  workers: [1, 2, 1]\n",
		NAME ":6: lcores.workers[2]: ", "lcore 1 is already workers[0]");
	expect_error(PORT "lcores:\n  workers: []\n",
		NAME ":6: lcores.workers: ", "at least one worker");
	expect_error(PORT "lcores:\n  control: 128\n",
		NAME ":6: lcores.control: ", "out of range (0..127)");
}

Test(config, lcore_map_must_be_a_map_holding_every_lcore_used)
{
	expect_ok(PORT
		"lcores:\n  control: 0\n  workers: [1, 2, 5]\n  map: \"0@0,(1-2)@(2,3),5@4\"\n");
	cr_assert_str_eq(cfg.lcore_map, "0@0,(1-2)@(2,3),5@4");
	expect_error(PORT "lcores:\n  workers: [1, 2]\n  map: \"0@0,1@1\"\n",
		NAME ":7: lcores.map: ", "lcore 2 (lcores.workers[1]) is not in the map");
	expect_error(PORT "lcores:\n  map: \"1@1\"\n",
		NAME ":6: lcores.map: ", "lcore 0 (lcores.control) is not in the map");
	expect_error(PORT "lcores:\n  map: \"0@@1\"\n",
		NAME ":6: lcores.map: ", "is not an EAL --lcores map");
	expect_error(PORT "lcores:\n  map: \"0,1,(2\"\n",
		NAME ":6: lcores.map: ", "is not an EAL --lcores map");
	expect_error(PORT "lcores:\n  map: \"0,1 2\"\n",
		NAME ":6: lcores.map: ", "only letters, digits");
}

Test(config, service_address_must_be_local)
{
	expect_error(PORT "services:\n  - {type: echo, port: 7, addresses: [198.18.0.9]}\n",
		NAME ":6: services[0].addresses[0]: ",
		"'198.18.0.9' is neither an address of a port nor a loopback address");
}

Test(config, two_services_on_one_port_is_an_error)
{
	expect_error(PORT "services:\n  - {type: echo, port: 7}\n  - {type: discard, port: 7}\n",
		NAME ":7: services[1].port: ", "port 7 is already services[0] (line 6)");
}

Test(config, service_needs_a_known_type_and_a_port)
{
	expect_error(
		PORT "services:\n  - {type: echo}\n", NAME ":6: services[0].port: ", "missing");
	expect_error(PORT "services:\n  - {type: chargen, port: 19}\n",
		NAME ":6: services[0].type: ",
		"'chargen' is not a service (echo, discard, source)");
}

Test(config, loopback_entries_must_be_loopback_addresses)
{
	expect_error(PORT "loopback: [198.18.0.1]\n",
		NAME ":5: loopback[0]: ", "not a loopback address");
}

Test(config, eal_options_owned_by_the_file_are_refused_in_args)
{
	expect_error("eal:\n  args: [\"--vdev=net_null0\", \"--file-prefix=x\"]\n" PORT,
		NAME ":2: eal.args[1]: ", "'--file-prefix=x' is set by eal.file_prefix");
	expect_error(
		"eal:\n  args: [\"-l0-3\"]\n" PORT, NAME ":2: eal.args[0]: ", "is set by lcores");
}

Test(config, mempool_cache_larger_than_dpdk_allows_is_an_error)
{
	expect_error(PORT "mempool: {mbufs: 600, cache: 512}\n",
		NAME ":5: mempool.cache: ", "more than mbufs / 1.5");
}

Test(config, yaml_syntax_error_gives_file_and_line)
{
	expect_error(PORT "protocol:\n  rto_min_ms: [1\n  hb_interval_ms: 2\n", NAME ":7: ",
		"YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
		"sequence at line 6)");
	expect_error("ports:\n  - device: net_tap0\n   addresses: x\n",
		NAME ":3: ", "YAML syntax error");
}

Test(config, undefined_alias_is_a_yaml_error)
{
	expect_error(PORT "shutdown_wait_ms: *nope\n", NAME ":5: ", "undefined alias");
}

Test(config, second_document_is_an_error)
{
	expect_error(PORT "---\nshutdown_wait_ms: 1\n", NAME ":6: ", "a second YAML document");
}

Test(config, nul_inside_a_string_is_an_error)
{
	expect_error("eal: {file_prefix: \"a\\0b\"}\n" PORT, NAME ":1: eal.file_prefix: ", "NUL");
}

Test(config, missing_file_names_the_file_and_the_reason)
{
	int rc = dpsctpd_config_load("/nonexistent/dpsctpd.yaml", &cfg, err, sizeof(err));

	cr_assert_eq(rc, -1);
	cr_assert_not_null(strstr(err, "/nonexistent/dpsctpd.yaml"), "%s", err);
	cr_assert_not_null(strstr(err, strerror(ENOENT)), "%s", err);
}

Test(config, failed_load_releases_eal_arguments)
{
	/* Under ASan a leak of the two strdup'd arguments fails the run. */
	expect_error("eal:\n  args: [\"--vdev=net_null0\", \"--iova-mode=va\"]\n" PORT
		     "protocol: {rwnd: 1}\n",
		NAME ":7: protocol.rwnd: ", "out of range");
	cr_assert_null(cfg.eal_args[0]);
}

Test(config, short_error_buffer_is_truncated_not_overrun)
{
	char small[12];

	memset(small, 'x', sizeof(small));
	cr_assert_eq(dpsctpd_config_parse(NAME, "bogus: 1\n", 9, &cfg, small, sizeof(small)), -1);
	cr_assert_eq(strlen(small), sizeof(small) - 1);
	cr_assert_eq(strncmp(small, NAME ":1: bo", 11), 0, "%s", small);
	cr_assert_eq(dpsctpd_config_parse(NAME, "bogus: 1\n", 9, &cfg, NULL, 0), -1);
}

/* --- addresses --- */

Test(config, parse_addr_takes_ipv4_and_ipv6_and_nothing_else)
{
	struct dpsctp_addr a;
	static const uint8_t v4[16] = {198, 18, 0, 1};

	cr_assert_eq(dpsctpd_parse_addr("198.18.0.1", &a), 0);
	cr_assert_eq(a.family, 4);
	cr_assert_arr_eq(a.bytes, v4, 16, "IPv4 in the first four bytes, the rest zero");
	cr_assert_eq(dpsctpd_parse_addr("2001:db8::1", &a), 0);
	cr_assert_eq(a.family, 6);
	cr_assert_eq(a.bytes[0], 0x20);
	cr_assert_eq(a.bytes[15], 1);
	cr_assert_eq(dpsctpd_parse_addr("198.18.0.300", &a), -1);
	cr_assert_eq(dpsctpd_parse_addr("198.18.0.1/24", &a), -1);
	cr_assert_eq(dpsctpd_parse_addr("", &a), -1);
	cr_assert_eq(dpsctpd_parse_addr("fe80::1%eth0", &a), -1);
}

Test(config, format_addr_round_trips_and_marks_a_bad_family)
{
	struct dpsctp_addr a;
	char buf[64], tiny[4];

	cr_assert_eq(dpsctpd_parse_addr("2001:0db8:0000::0001", &a), 0);
	cr_assert_str_eq(dpsctpd_format_addr(&a, buf, sizeof(buf)), "2001:db8::1");
	cr_assert_eq(dpsctpd_parse_addr("198.18.0.1", &a), 0);
	cr_assert_str_eq(dpsctpd_format_addr(&a, buf, sizeof(buf)), "198.18.0.1");
	cr_assert_str_eq(dpsctpd_format_addr(&a, tiny, sizeof(tiny)), "?");
	a.family = 5;
	cr_assert_str_eq(dpsctpd_format_addr(&a, buf, sizeof(buf)), "?");
}

Test(config, port_link_state_is_followed_unless_told_otherwise)
{
	static const char text[] = "ports:\n"
				   "  - {name: a, device: net_null0, addresses: [198.18.0.1/24]}\n"
				   "  - {name: b, device: net_null1, addresses: [198.18.1.1/24],\n"
				   "     follow_link: false}\n";
	struct dpsctpd_config c;

	cr_assert_eq(dpsctpd_config_parse("f.yaml", text, sizeof(text) - 1, &c, err, sizeof(err)),
		0, "%s", err);
	cr_assert(c.ports[0].follow_link);
	cr_assert(!c.ports[1].follow_link);
	dpsctpd_config_free(&c);
}

Test(config, port_name_outside_telemetry_characters_is_refused)
{
	static const char text[] = "ports:\n"
				   "  - {name: sig-a, device: net_null0, addresses: [198.18.0.1/24]}\n";
	struct dpsctpd_config c;

	cr_assert_eq(dpsctpd_config_parse("f.yaml", text, sizeof(text) - 1, &c, err, sizeof(err)),
		-1);
	cr_assert(strstr(err, "f.yaml:2: ports[0].name:") != NULL, "%s", err);
}
