/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctpd's configuration file, read with libyaml's document API into struct dpsctpd_config.
 *
 * The schema (configs/README.md describes every key at length; every key is optional unless
 * marked "required", and a section left empty or null keeps its defaults):
 *
 *   eal:
 *     file_prefix: dpsctp        # EAL --file-prefix; also names the telemetry socket directory
 *     hugepages: auto            # auto | true | false (-> huge = -1 / 1 / 0)
 *     memory_mb: 256             # 16..1048576
 *     log_level: notice          # error | warning | notice | info | debug
 *     args: ["--vdev=..."]       # extra EAL arguments, verbatim (at most 32)
 *   lcores:
 *     control: 0                 # 0..127
 *     workers: [1]               # 1..16 lcores, distinct, none equal to control
 *     map: "0@0,1@1"             # EAL --lcores map; absent: a plain -l list
 *   mempool: {mbufs: 16383, cache: 256, data_room: 2304}  # 512..16777216, 0..512,
 *                                # 1024..65407 (headroom not included; >= every mtu + 18)
 *   ports:                       # required, 1..8
 *     - name: tap0               # default "port<i>"; unique
 *       device: "net_tap0,iface=dpsctp0"  # required: vdev devargs (net_...) or a PCI address
 *       mac: "02:00:00:00:00:01" # unicast; default: the port's own
 *       mtu: 1500                # 576..9000
 *       rx_desc: 1024            # 64..16384, a power of two
 *       tx_desc: 1024            # 64..16384, a power of two
 *       addresses: ["198.18.0.1/24", "2001:db8::1/64"]  # required, 1..8
 *       gateway4: 198.18.0.254   # inside an IPv4 prefix of the port
 *       gateway6: "2001:db8::fe" # inside an IPv6 prefix of the port
 *       neighbours: [{ip: 198.18.0.2, mac: "02:00:00:00:00:02"}]  # static, on-link, at most 32
 *   loopback: ["127.0.0.1", "::1"]  # 127.0.0.0/8 or ::1, at most 4; [] for none
 *   arp_timeout_ms: 300000       # 1000..86400000
 *   protocol:                    # RFC 9260 section 16; defaults from dpsctp_proto_config_default
 *     rto_initial_ms: 1000       # 1..3600000, rto_min_ms <= rto_initial_ms <= rto_max_ms
 *     rto_min_ms: 1000           # 1..3600000
 *     rto_max_ms: 60000          # 1..3600000
 *     hb_interval_ms: 30000      # 0..86400000, 0 disables keep-alive
 *     path_max_retrans: 5        # 1..255
 *     assoc_max_retrans: 10      # 1..255
 *     max_init_retrans: 8        # 1..255
 *     pf_threshold: off          # off, or 0..254 and below path_max_retrans (RFC 7829)
 *     sack_delay_ms: 200         # 0..500 (RFC 9260 6.2), 0: SACK at once
 *     sack_freq: 2               # 1..255
 *     cookie_life_ms: 60000      # 1000..86400000
 *     outbound_streams: 10       # 1..65535
 *     max_inbound_streams: 65535 # 1..65535
 *     rwnd: 131072               # 1500..1073741824
 *     sndbuf: 262144             # 1500..1073741824
 *     max_burst: 4               # 1..256
 *     nodelay: false
 *   attach:
 *     path: /run/dpsctp/dpsctpd.sock  # absolute, at most 107 bytes
 *     mode: "0660"               # always octal, quoted or not; 0..0777
 *     uids: [0]                  # at most 16; none: anyone who can open the socket
 *     gids: []                   # at most 16
 *   services:                    # at most 16, ports unique
 *     - {type: echo, port: 7}    # type (echo | discard | source) and port (1..65535) required
 *     - {type: discard, port: 9, addresses: [198.18.0.1]}  # port or loopback addresses
 *     - type: source             # a load generator: connects out, sends, checks the echo
 *       port: 5001               # our port
 *       peers: [198.18.0.2]      # required (source only), 1..16 addresses of one peer
 *       peer_port: 7             # required (source only)
 *       count: 1000              # messages per association, 0: endless
 *       size: 100                # bytes per message, 8..65536
 *       streams: 1               # 1..outbound_streams, used in turn
 *       unordered: false
 *       check_echo: true         # the peer is an echo: check what comes back
 *       shutdown_when_done: true
 *   shutdown_wait_ms: 3000       # 0..600000
 *
 * Numbers are plain decimal integers: no sign, no fraction, no leading zero (YAML 1.1 would read
 * 010 as octal, and we will not guess), no "_". Booleans are true/false or yes/no. Scalars are
 * taken as the text they are, quoted or not, so "7" and 7 are the same port; MAC and IPv6
 * addresses need no quotes, but quoting them keeps other YAML tools from reading 02:00:... as a
 * base-60 number.
 *
 * Every error is one line "FILE:LINE: field.path: message". The whole document is checked for
 * syntax first; then sections are read in dependency order (ports before the services that
 * name their addresses), so of several errors the first reported is not always the first in
 * the file.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "config.h"
#include "config_value.h"

/* RTE_MAX_LCORE of Debian's DPDK 22.11 build; EAL rejects larger lcore ids anyway. */
#define MAX_LCORE 128
/* A configuration file is a few kilobytes; refuse to slurp anything absurd. */
#define MAX_FILE_SIZE (1u << 20)
/* The daemon adds RTE_PKTMBUF_HEADROOM (128) to the data room, and the sum is a uint16_t. */
#define MAX_DATA_ROOM (65535 - 128)
/* Ethernet header and CRC (or a VLAN tag) around the IP MTU, as DPDK counts the overhead. */
#define ETHER_OVERHEAD 18

struct parse {
	struct cfg_doc doc; /* the document, its name and the error buffer */
	struct dpsctpd_config *c;
	/* lines of earlier items, for messages about duplicates */
	unsigned long port_line[DPSCTPD_MAX_PORTS];
	unsigned long addr_line[DPSCTPD_MAX_PORTS][DPSCTPD_MAX_PORT_ADDRS];
	unsigned long svc_line[DPSCTPD_MAX_SERVICES];
};

/* --- eal: --- */

enum { E_PREFIX, E_HUGE, E_MEMORY, E_LOG, E_ARGS, E_N };
static const char *const eal_keys[E_N] = {
	[E_PREFIX] = "file_prefix",
	[E_HUGE] = "hugepages",
	[E_MEMORY] = "memory_mb",
	[E_LOG] = "log_level",
	[E_ARGS] = "args",
};

static const char *const log_levels[] = {"error", "warning", "notice", "info", "debug"};

/*
 * EAL options the configuration sets itself: given again in args they would contradict it
 * (the telemetry socket directory, the lcores the workers are pinned to).
 */
static const char *
eal_owner(const char *arg)
{
	static const struct {
		const char *opt;
		const char *key;
	} owned[] = {
		{"--file-prefix", "eal.file_prefix"},
		{"--no-huge", "eal.hugepages"},
		{"--lcores", "lcores"},
		{"--main-lcore", "lcores.control"},
		{"-l", "lcores"},
		{"-c", "lcores"},
		{"-m", "eal.memory_mb"},
		{"--socket-mem", "eal.memory_mb"},
	};
	size_t i;

	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		size_t l = strlen(owned[i].opt);

		if (strncmp(arg, owned[i].opt, l) != 0)
			continue;
		/* "-l0-3" is -l; "--lcores=..." is --lcores; "--lcoresX" is something else */
		if (owned[i].opt[1] != '-' || arg[l] == '\0' || arg[l] == '=')
			return owned[i].key;
	}
	return NULL;
}

static int
parse_eal(struct parse *p, yaml_node_t *n)
{
	struct dpsctpd_config *c = p->c;
	yaml_node_item_t *items;
	char f[CFG_FIELD_MAX];
	struct cfg_map m;
	size_t cnt, i;

	if (cfg_map_open(&m, &p->doc, n, "eal", eal_keys, E_N) < 0)
		return -1;
	if (cfg_map_str(&m, E_PREFIX, c->file_prefix, sizeof(c->file_prefix), "_-") < 0)
		return -1;
	if (m.val[E_HUGE] != NULL) {
		const char *s = cfg_scalar(&p->doc, m.val[E_HUGE], cfg_map_field(&m, E_HUGE));
		int b;

		if (s == NULL)
			return -1;
		b = strcasecmp(s, "auto") == 0 ? -1 : cfg_bool_word(s);
		if (b == -1 && strcasecmp(s, "auto") != 0)
			return cfg_fail(&p->doc, m.val[E_HUGE], m.field,
				"'%.64s' is not auto, true or false", s);
		c->huge = b;
	}
	if (cfg_map_u32(&m, E_MEMORY, 16, 1u << 20, &c->memory_mb) < 0)
		return -1;
	if (m.val[E_LOG] != NULL) {
		const char *s = cfg_scalar(&p->doc, m.val[E_LOG], cfg_map_field(&m, E_LOG));

		if (s == NULL)
			return -1;
		for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
			if (strcmp(s, log_levels[i]) == 0)
				break;
		if (i == sizeof(log_levels) / sizeof(log_levels[0]))
			return cfg_fail(&p->doc, m.val[E_LOG], m.field,
				"'%.64s' is not a log level (error, warning, notice, info, debug)",
				s);
		snprintf(c->log_level, sizeof(c->log_level), "%s", log_levels[i]);
	}
	if (cfg_seq_open(&p->doc, m.val[E_ARGS], cfg_map_field(&m, E_ARGS), DPSCTPD_MAX_EAL_ARGS,
		    "EAL arguments", &items, &cnt) < 0)
		return -1;
	for (i = 0; i < cnt; i++) {
		yaml_node_t *it = cfg_node(&p->doc, items[i]);
		const char *s = cfg_scalar(&p->doc, it, cfg_index(f, "eal.args", i));
		const char *owner;

		if (s == NULL)
			return -1;
		if (s[0] == '\0')
			return cfg_fail(&p->doc, it, f, "an empty argument");
		owner = eal_owner(s);
		if (owner != NULL)
			return cfg_fail(
				&p->doc, it, f, "'%.64s' is set by %s; set it there", s, owner);
		c->eal_args[c->n_eal_args] = strdup(s);
		if (c->eal_args[c->n_eal_args] == NULL)
			return cfg_fail(&p->doc, it, f, "out of memory");
		c->n_eal_args++;
	}
	return 0;
}

/* --- lcores: --- */

enum { L_CONTROL, L_WORKERS, L_MAP, L_N };
static const char *const lcore_keys[L_N] = {
	[L_CONTROL] = "control",
	[L_WORKERS] = "workers",
	[L_MAP] = "map",
};

/* "7" or "2-5": mark the lcores in @p set (NULL: CPUs, only checked), below @p max. */
static int
lcore_range(const char **sp, bool *set, unsigned long max)
{
	unsigned long a, b, i;
	char *end;

	if (**sp < '0' || **sp > '9')
		return -1;
	a = b = strtoul(*sp, &end, 10);
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		b = strtoul(end + 1, &end, 10);
	}
	if (a > b || b >= max)
		return -1;
	if (set != NULL)
		for (i = a; i <= b; i++)
			set[i] = true;
	*sp = end;
	return 0;
}

/* A range, or a group "(1,3-4)". */
static int
lcore_group(const char **sp, bool *set, unsigned long max)
{
	if (**sp != '(')
		return lcore_range(sp, set, max);
	(*sp)++;
	for (;;) {
		if (lcore_range(sp, set, max) < 0)
			return -1;
		if (**sp == ')')
			break;
		if (**sp != ',')
			return -1;
		(*sp)++;
	}
	(*sp)++;
	return 0;
}

/*
 * The logical lcores of an EAL --lcores map ("0@0,1-2@(3,4),(5,6)@7": lcores, each optionally
 * "@" the CPUs they run on) into @p set. @return 0, or -1 when @p s is not such a map.
 */
static int
lcore_map_set(const char *s, bool set[MAX_LCORE])
{
	for (;;) {
		if (lcore_group(&s, set, MAX_LCORE) < 0)
			return -1;
		/* CPU ids go up to CPU_SETSIZE */
		if (*s == '@') {
			s++;
			if (lcore_group(&s, NULL, 1024) < 0)
				return -1;
		}
		if (*s == '\0')
			return 0;
		if (*s++ != ',')
			return -1;
	}
}

static int
parse_lcores(struct parse *p, yaml_node_t *n)
{
	struct dpsctpd_config *c = p->c;
	yaml_node_item_t *items;
	char f[CFG_FIELD_MAX];
	struct cfg_map m;
	size_t cnt, i, j;

	if (cfg_map_open(&m, &p->doc, n, "lcores", lcore_keys, L_N) < 0)
		return -1;
	if (cfg_map_u32(&m, L_CONTROL, 0, MAX_LCORE - 1, &c->control_lcore) < 0)
		return -1;
	if (m.val[L_WORKERS] != NULL) {
		if (cfg_seq_open(&p->doc, m.val[L_WORKERS], cfg_map_field(&m, L_WORKERS),
			    DPSCTPD_MAX_WORKERS, "workers", &items, &cnt) < 0)
			return -1;
		if (cnt == 0)
			return cfg_fail(&p->doc, m.val[L_WORKERS], m.field,
				"at least one worker is required");
		c->nworkers = 0;
		for (i = 0; i < cnt; i++) {
			yaml_node_t *it = cfg_node(&p->doc, items[i]);
			uint64_t v;

			cfg_index(f, "lcores.workers", i);
			if (cfg_num_at(&p->doc, it, f, 0, MAX_LCORE - 1, &v) < 0)
				return -1;
			for (j = 0; j < i; j++)
				if (c->worker_lcores[j] == v)
					return cfg_fail(&p->doc, it, f,
						"lcore %" PRIu64 " is already workers[%zu]", v, j);
			c->worker_lcores[i] = (unsigned int)v;
			c->nworkers++;
		}
	}
	/* A worker polls without pause: sharing the control lcore would starve one of them. */
	for (i = 0; i < c->nworkers; i++)
		if (c->worker_lcores[i] == c->control_lcore) {
			const yaml_node_t *at = m.val[L_CONTROL];
			const char *path = "lcores.control";

			if (m.val[L_WORKERS] != NULL) {
				at = cfg_node(
					&p->doc, m.val[L_WORKERS]->data.sequence.items.start[i]);
				path = cfg_index(f, "lcores.workers", i);
			}
			return cfg_fail(&p->doc, at, path,
				"lcore %u is both the control lcore and a worker",
				c->control_lcore);
		}
	if (cfg_map_str(&m, L_MAP, c->lcore_map, sizeof(c->lcore_map), ",@()-") < 0)
		return -1;
	if (c->lcore_map[0] != '\0') {
		bool set[MAX_LCORE] = {false};

		if (lcore_map_set(c->lcore_map, set) < 0)
			return cfg_fail(&p->doc, m.val[L_MAP], cfg_map_field(&m, L_MAP),
				"'%s' is not an EAL --lcores map of lcores 0..%d (0@0,1@2,(2,3)@4)",
				c->lcore_map, MAX_LCORE - 1);
		/* EAL starts only the lcores of the map: one left out would never run. */
		if (!set[c->control_lcore])
			return cfg_fail(&p->doc, m.val[L_MAP], m.field,
				"lcore %u (lcores.control) is not in the map", c->control_lcore);
		for (i = 0; i < c->nworkers; i++)
			if (!set[c->worker_lcores[i]])
				return cfg_fail(&p->doc, m.val[L_MAP], m.field,
					"lcore %u (lcores.workers[%zu]) is not in the map",
					c->worker_lcores[i], i);
	}
	return 0;
}

/* --- mempool: --- */

enum { MP_MBUFS, MP_CACHE, MP_ROOM, MP_N };
static const char *const mempool_keys[MP_N] = {
	[MP_MBUFS] = "mbufs",
	[MP_CACHE] = "cache",
	[MP_ROOM] = "data_room",
};

static int
parse_mempool(struct parse *p, yaml_node_t *n)
{
	struct dpsctpd_config *c = p->c;
	struct cfg_map m;

	if (cfg_map_open(&m, &p->doc, n, "mempool", mempool_keys, MP_N) < 0)
		return -1;
	if (cfg_map_u32(&m, MP_MBUFS, 512, 1u << 24, &c->mbufs) < 0 ||
		cfg_map_u32(&m, MP_CACHE, 0, 512, &c->mbuf_cache) < 0 ||
		cfg_map_u32(&m, MP_ROOM, 1024, MAX_DATA_ROOM, &c->mbuf_data_room) < 0)
		return -1;
	/* rte_mempool_create refuses a cache larger than mbufs / 1.5 (RTE_MEMPOOL_CACHE_MAX_SIZE
	 * is the 512 above). */
	if ((uint64_t)c->mbuf_cache * 3 > (uint64_t)c->mbufs * 2) {
		size_t k = m.val[MP_CACHE] != NULL ? MP_CACHE : MP_MBUFS;

		return cfg_fail(&p->doc, m.val[k] != NULL ? m.val[k] : cfg_map_at(&m),
			cfg_map_field(&m, k),
			"cache %u is more than mbufs / 1.5 (mbufs %u), which DPDK refuses",
			c->mbuf_cache, c->mbufs);
	}
	return 0;
}

/* --- ports: --- */

enum {
	PT_NAME,
	PT_DEVICE,
	PT_MAC,
	PT_MTU,
	PT_RX,
	PT_TX,
	PT_ADDRS,
	PT_GW4,
	PT_GW6,
	PT_NEIGH,
	PT_FOLLOW,
	PT_N
};
static const char *const port_keys[PT_N] = {
	[PT_NAME] = "name",
	[PT_DEVICE] = "device",
	[PT_MAC] = "mac",
	[PT_MTU] = "mtu",
	[PT_RX] = "rx_desc",
	[PT_TX] = "tx_desc",
	[PT_ADDRS] = "addresses",
	[PT_GW4] = "gateway4",
	[PT_GW6] = "gateway6",
	[PT_NEIGH] = "neighbours",
	[PT_FOLLOW] = "follow_link",
};

/* The name of the device: the vdev name or the PCI address, without devargs. */
static void
device_key(const struct dpsctpd_port_cfg *pc, char *key, size_t size)
{
	if (pc->is_vdev || cfg_pci_key(pc->device, key, size) < 0)
		snprintf(key, size, "%.*s", (int)strcspn(pc->device, ","), pc->device);
}

/* Is @p a an earlier address: of ports before @p pi, or before address @p ai of port @p pi? */
static bool
addr_taken(const struct dpsctpd_config *c, unsigned int pi, unsigned int ai,
	const struct dpsctp_addr *a, unsigned int *oq, unsigned int *oa)
{
	for (*oq = 0; *oq <= pi; (*oq)++) {
		unsigned int n = *oq == pi ? ai : c->ports[*oq].naddrs;

		for (*oa = 0; *oa < n; (*oa)++)
			if (cfg_addr_eq(&c->ports[*oq].addrs[*oa].addr, a))
				return true;
	}
	return false;
}

static int
port_addresses(struct parse *p, struct cfg_map *m, unsigned int pi)
{
	struct dpsctpd_config *c = p->c;
	struct dpsctpd_port_cfg *pc = &c->ports[pi];
	yaml_node_item_t *items;
	char f[CFG_FIELD_MAX];
	size_t cnt, i;

	if (cfg_require(m, PT_ADDRS, "at least one address with its prefix (198.18.0.1/24)") < 0)
		return -1;
	if (cfg_seq_open(&p->doc, m->val[PT_ADDRS], cfg_map_field(m, PT_ADDRS),
		    DPSCTPD_MAX_PORT_ADDRS, "addresses", &items, &cnt) < 0)
		return -1;
	if (cnt == 0)
		return cfg_fail(
			&p->doc, m->val[PT_ADDRS], m->field, "at least one address is required");
	for (i = 0; i < cnt; i++) {
		yaml_node_t *it = cfg_node(&p->doc, items[i]);
		struct dpsctpd_prefix *pf = &pc->addrs[i];
		const char *s, *why;
		char path[CFG_FIELD_MAX];
		unsigned int oq, oa;
		int rc;

		cfg_join(path, m->path, "addresses");
		s = cfg_scalar(&p->doc, it, cfg_index(f, path, i));
		if (s == NULL)
			return -1;
		rc = cfg_parse_prefix(s, pf);
		if (rc == -ERANGE)
			return cfg_fail(&p->doc, it, f,
				"'%.64s' has a prefix length out of range (1..%u)", s,
				pf->addr.family == 4 ? 32 : 128);
		if (rc < 0)
			return cfg_fail(&p->doc, it, f,
				"'%.64s' is not an IPv4/IPv6 address with a prefix", s);
		why = cfg_unusable(&pf->addr);
		if (why != NULL)
			return cfg_fail(&p->doc, it, f, "'%.64s' is %s", s, why);
		/* RFC 1812 / RFC 3021: with 2 or more host bits, all-zero and all-one are not
		 * host addresses. */
		if (pf->addr.family == 4 && pf->len <= 30) {
			uint32_t a = (uint32_t)pf->addr.bytes[0] << 24 |
				     (uint32_t)pf->addr.bytes[1] << 16 |
				     (uint32_t)pf->addr.bytes[2] << 8 | pf->addr.bytes[3];
			uint32_t host = ~0u >> pf->len;

			if ((a & host) == 0)
				return cfg_fail(&p->doc, it, f,
					"'%.64s' is the network address of its prefix", s);
			if ((a & host) == host)
				return cfg_fail(&p->doc, it, f,
					"'%.64s' is the broadcast address of its prefix", s);
		}
		/* One address, one port: the dataplane finds the port of a source address. */
		if (addr_taken(c, pi, (unsigned int)i, &pf->addr, &oq, &oa))
			return cfg_fail(&p->doc, it, f,
				"'%.64s' is already ports[%u].addresses[%u] (line %lu)", s, oq, oa,
				p->addr_line[oq][oa]);
		p->addr_line[pi][i] = cfg_line(it);
		pc->naddrs++;
	}
	return 0;
}

/* The prefixes of @p pc of @p family, for a message: "198.18.0.1/24, 198.18.9.1/24". */
static void
prefix_list(const struct dpsctpd_port_cfg *pc, uint8_t family, char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < pc->naddrs && off < size; i++) {
		char a[INET6_ADDRSTRLEN];
		int n;

		if (pc->addrs[i].addr.family != family)
			continue;
		n = snprintf(buf + off, size - off, "%s%s/%u", off > 0 ? ", " : "",
			dpsctpd_format_addr(&pc->addrs[i].addr, a, sizeof(a)), pc->addrs[i].len);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/*
 * @p a (from the node @p n) must be on the port's link: inside one of its prefixes, and not
 * one of its own addresses.
 */
static int
on_link(struct parse *p, const yaml_node_t *n, const char *path, unsigned int pi,
	const struct dpsctp_addr *a)
{
	const struct dpsctpd_port_cfg *pc = &p->c->ports[pi];
	char s[INET6_ADDRSTRLEN], list[256];
	unsigned int i;

	dpsctpd_format_addr(a, s, sizeof(s));
	for (i = 0; i < pc->naddrs; i++)
		if (cfg_addr_eq(&pc->addrs[i].addr, a))
			return cfg_fail(
				&p->doc, n, path, "%s is an address of ports[%u] itself", s, pi);
	for (i = 0; i < pc->naddrs; i++)
		if (cfg_in_prefix(a, &pc->addrs[i]))
			return 0;
	prefix_list(pc, a->family, list, sizeof(list));
	if (list[0] == '\0')
		return cfg_fail(&p->doc, n, path, "%s is off-link: ports[%u] has no IPv%u address",
			s, pi, a->family);
	return cfg_fail(&p->doc, n, path, "%s is outside the port's subnets (%s)", s, list);
}

static int
port_gateway(struct parse *p, struct cfg_map *m, unsigned int pi, size_t k, uint8_t family,
	bool *has, struct dpsctp_addr *gw)
{
	const char *s;

	if (m->val[k] == NULL)
		return 0;
	s = cfg_scalar(&p->doc, m->val[k], cfg_map_field(m, k));
	if (s == NULL)
		return -1;
	if (dpsctpd_parse_addr(s, gw) < 0 || gw->family != family)
		return cfg_fail(
			&p->doc, m->val[k], m->field, "'%.64s' is not an IPv%u address", s, family);
	if (cfg_addr_at(&p->doc, m->val[k], m->field, gw) < 0 ||
		on_link(p, m->val[k], m->field, pi, gw) < 0)
		return -1;
	*has = true;
	return 0;
}

enum { N_IP, N_MAC, N_N };
static const char *const neigh_keys[N_N] = {
	[N_IP] = "ip",
	[N_MAC] = "mac",
};

static int
port_neighbours(struct parse *p, struct cfg_map *pm, unsigned int pi)
{
	struct dpsctpd_port_cfg *pc = &p->c->ports[pi];
	yaml_node_item_t *items;
	char path[CFG_FIELD_MAX], f[CFG_FIELD_MAX];
	size_t cnt, i, j;

	cfg_join(path, pm->path, "neighbours");
	if (cfg_seq_open(&p->doc, pm->val[PT_NEIGH], path, DPSCTPD_MAX_NEIGH, "neighbours", &items,
		    &cnt) < 0)
		return -1;
	for (i = 0; i < cnt; i++) {
		struct dpsctpd_neigh *nb = &pc->neigh[i];
		struct cfg_map m;

		if (cfg_map_open(&m, &p->doc, cfg_node(&p->doc, items[i]), cfg_index(f, path, i),
			    neigh_keys, N_N) < 0)
			return -1;
		if (cfg_require(&m, N_IP, "the neighbour's IP address") < 0 ||
			cfg_require(&m, N_MAC, "the neighbour's MAC address") < 0)
			return -1;
		if (cfg_addr_at(&p->doc, m.val[N_IP], cfg_map_field(&m, N_IP), &nb->ip) < 0 ||
			on_link(p, m.val[N_IP], m.field, pi, &nb->ip) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (cfg_addr_eq(&pc->neigh[j].ip, &nb->ip))
				return cfg_fail(&p->doc, m.val[N_IP], m.field,
					"the address is already neighbours[%zu]", j);
		if (cfg_mac_at(&p->doc, m.val[N_MAC], cfg_map_field(&m, N_MAC), nb->mac) < 0)
			return -1;
		pc->nneigh++;
	}
	return 0;
}

static int
parse_port(struct parse *p, yaml_node_t *n, unsigned int pi)
{
	struct dpsctpd_config *c = p->c;
	struct dpsctpd_port_cfg *pc = &c->ports[pi];
	char path[CFG_FIELD_MAX], key[256], other[256];
	struct cfg_map m;
	unsigned int j;

	memset(pc, 0, sizeof(*pc));
	pc->mtu = 1500;
	pc->rx_desc = 1024;
	pc->tx_desc = 1024;
	pc->follow_link = true;
	if (cfg_map_open(&m, &p->doc, n, cfg_index(path, "ports", pi), port_keys, PT_N) < 0)
		return -1;
	p->port_line[pi] = cfg_line(n);

	snprintf(pc->name, sizeof(pc->name), "port%u", pi);
	/* the name prefixes telemetry keys, which DPDK limits to letters, digits, '_' and '/' */
	if (cfg_map_str(&m, PT_NAME, pc->name, sizeof(pc->name), "_") < 0)
		return -1;
	for (j = 0; j < pi; j++)
		if (strcmp(c->ports[j].name, pc->name) == 0)
			return cfg_fail(&p->doc, m.val[PT_NAME] != NULL ? m.val[PT_NAME] : n,
				cfg_map_field(&m, PT_NAME),
				"duplicate port name '%s' (ports[%u], line %lu, has it too)",
				pc->name, j, p->port_line[j]);

	if (cfg_require(&m, PT_DEVICE,
		    "a PCI address (0000:3b:00.0) or vdev devargs (net_tap0,iface=dpsctp0)") < 0 ||
		cfg_map_str(&m, PT_DEVICE, pc->device, sizeof(pc->device), NULL) < 0)
		return -1;
	pc->is_vdev = strncmp(pc->device, "net_", 4) == 0;
	if (!pc->is_vdev && cfg_pci_key(pc->device, key, sizeof(key)) < 0)
		return cfg_fail(&p->doc, m.val[PT_DEVICE], cfg_map_field(&m, PT_DEVICE),
			"'%.64s' is neither a vdev (net_...) nor a PCI address (0000:3b:00.0)",
			pc->device);
	device_key(pc, key, sizeof(key));
	for (j = 0; j < pi; j++) {
		device_key(&c->ports[j], other, sizeof(other));
		if (strcmp(key, other) == 0)
			return cfg_fail(&p->doc, m.val[PT_DEVICE], cfg_map_field(&m, PT_DEVICE),
				"device %s is already ports[%u] (line %lu)", key, j,
				p->port_line[j]);
	}

	if (m.val[PT_MAC] != NULL) {
		if (cfg_mac_at(&p->doc, m.val[PT_MAC], cfg_map_field(&m, PT_MAC), pc->mac) < 0)
			return -1;
		pc->has_mac = true;
	}
	if (cfg_map_bool(&m, PT_FOLLOW, &pc->follow_link) < 0 ||
		cfg_map_u16(&m, PT_MTU, 576, 9000, &pc->mtu) < 0 ||
		cfg_map_u16(&m, PT_RX, 64, 16384, &pc->rx_desc) < 0 ||
		cfg_map_u16(&m, PT_TX, 64, 16384, &pc->tx_desc) < 0)
		return -1;
	/* Ports receive into one mbuf per frame (no scattered RX): a frame must fit one. */
	if ((unsigned int)pc->mtu + ETHER_OVERHEAD > c->mbuf_data_room)
		return cfg_fail(&p->doc, m.val[PT_MTU] != NULL ? m.val[PT_MTU] : n,
			cfg_map_field(&m, PT_MTU),
			"MTU %u%s needs mempool.data_room >= %u (it is %u): one frame, one mbuf",
			pc->mtu, m.val[PT_MTU] != NULL ? "" : " (the default)",
			(unsigned int)pc->mtu + ETHER_OVERHEAD, c->mbuf_data_room);
	/* Descriptor rings are masked by size - 1 in most PMDs. */
	if ((pc->rx_desc & (pc->rx_desc - 1)) != 0)
		return cfg_fail(&p->doc, m.val[PT_RX], cfg_map_field(&m, PT_RX),
			"%u is not a power of two", pc->rx_desc);
	if ((pc->tx_desc & (pc->tx_desc - 1)) != 0)
		return cfg_fail(&p->doc, m.val[PT_TX], cfg_map_field(&m, PT_TX),
			"%u is not a power of two", pc->tx_desc);

	if (port_addresses(p, &m, pi) < 0)
		return -1;
	if (port_gateway(p, &m, pi, PT_GW4, 4, &pc->has_gw4, &pc->gw4) < 0 ||
		port_gateway(p, &m, pi, PT_GW6, 6, &pc->has_gw6, &pc->gw6) < 0)
		return -1;
	return port_neighbours(p, &m, pi);
}

static int
parse_ports(struct parse *p, yaml_node_t *n, const yaml_node_t *root)
{
	yaml_node_item_t *items;
	size_t cnt, i;

	if (cfg_seq_open(&p->doc, n, "ports", DPSCTPD_MAX_PORTS, "ports", &items, &cnt) < 0)
		return -1;
	if (cnt == 0)
		return cfg_fail(
			&p->doc, n != NULL ? n : root, "ports", "at least one port is required");
	for (i = 0; i < cnt; i++) {
		if (parse_port(p, cfg_node(&p->doc, items[i]), (unsigned int)i) < 0)
			return -1;
		p->c->nports++;
	}
	return 0;
}

/* --- loopback: --- */

static int
parse_loopback(struct parse *p, yaml_node_t *n)
{
	struct dpsctpd_config *c = p->c;
	yaml_node_item_t *items;
	char f[CFG_FIELD_MAX];
	size_t cnt, i, j;

	if (n == NULL)
		return 0;
	if (cfg_seq_open(&p->doc, n, "loopback", DPSCTPD_MAX_LOOPBACK, "addresses", &items, &cnt) <
		0)
		return -1;
	c->nloopback = 0;
	for (i = 0; i < cnt; i++) {
		yaml_node_t *it = cfg_node(&p->doc, items[i]);
		const char *s = cfg_scalar(&p->doc, it, cfg_index(f, "loopback", i));

		if (s == NULL)
			return -1;
		if (dpsctpd_parse_addr(s, &c->loopback[i]) < 0)
			return cfg_fail(&p->doc, it, f, "'%.64s' is not an IPv4/IPv6 address", s);
		if (!cfg_is_loopback(&c->loopback[i]))
			return cfg_fail(&p->doc, it, f,
				"'%.64s' is not a loopback address (127.0.0.0/8, ::1)", s);
		for (j = 0; j < i; j++)
			if (cfg_addr_eq(&c->loopback[j], &c->loopback[i]))
				return cfg_fail(
					&p->doc, it, f, "'%.64s' is already loopback[%zu]", s, j);
		c->nloopback++;
	}
	return 0;
}

/* --- protocol: --- */

enum {
	PR_RTO_INITIAL,
	PR_RTO_MIN,
	PR_RTO_MAX,
	PR_HB,
	PR_PMR,
	PR_AMR,
	PR_MIR,
	PR_PF,
	PR_SACK_DELAY,
	PR_SACK_FREQ,
	PR_COOKIE,
	PR_OS,
	PR_MIS,
	PR_RWND,
	PR_SNDBUF,
	PR_BURST,
	PR_NODELAY,
	PR_N
};
_Static_assert(PR_N <= CFG_MAP_MAX_KEYS, "struct cfg_map has room for every key of protocol");
static const char *const proto_keys[PR_N] = {
	[PR_RTO_INITIAL] = "rto_initial_ms",
	[PR_RTO_MIN] = "rto_min_ms",
	[PR_RTO_MAX] = "rto_max_ms",
	[PR_HB] = "hb_interval_ms",
	[PR_PMR] = "path_max_retrans",
	[PR_AMR] = "assoc_max_retrans",
	[PR_MIR] = "max_init_retrans",
	[PR_PF] = "pf_threshold",
	[PR_SACK_DELAY] = "sack_delay_ms",
	[PR_SACK_FREQ] = "sack_freq",
	[PR_COOKIE] = "cookie_life_ms",
	[PR_OS] = "outbound_streams",
	[PR_MIS] = "max_inbound_streams",
	[PR_RWND] = "rwnd",
	[PR_SNDBUF] = "sndbuf",
	[PR_BURST] = "max_burst",
	[PR_NODELAY] = "nodelay",
};

/*
 * RFC 9260 16 needs RTO.Min <= RTO.Initial <= RTO.Max. Blame the larger key when it was
 * given, else the smaller: the one the user wrote is the one to change.
 */
static int
rto_order(struct cfg_map *m, size_t lo, uint64_t vlo, size_t hi, uint64_t vhi)
{
	uint64_t ms_lo = vlo / DPSCTP_MS, ms_hi = vhi / DPSCTP_MS;

	if (vlo <= vhi)
		return 0;
	if (m->val[hi] != NULL)
		return cfg_fail(m->doc, m->val[hi], cfg_map_field(m, hi),
			"%" PRIu64 " ms is below %s (%" PRIu64 " ms%s); "
			"rto_min_ms <= rto_initial_ms <= rto_max_ms is required",
			ms_hi, m->keys[lo], ms_lo, m->val[lo] != NULL ? "" : ", the default");
	return cfg_fail(m->doc, m->val[lo], cfg_map_field(m, lo),
		"%" PRIu64 " ms is above %s (%" PRIu64 " ms, the default); "
		"rto_min_ms <= rto_initial_ms <= rto_max_ms is required",
		ms_lo, m->keys[hi], ms_hi);
}

static int
parse_protocol(struct parse *p, yaml_node_t *n)
{
	struct dpsctp_proto_config *pr = &p->c->proto;
	struct cfg_map m;

	if (cfg_map_open(&m, &p->doc, n, "protocol", proto_keys, PR_N) < 0)
		return -1;
	if (cfg_map_ms(&m, PR_RTO_INITIAL, 1, 3600000, &pr->rto_initial) < 0 ||
		cfg_map_ms(&m, PR_RTO_MIN, 1, 3600000, &pr->rto_min) < 0 ||
		cfg_map_ms(&m, PR_RTO_MAX, 1, 3600000, &pr->rto_max) < 0 ||
		cfg_map_ms(&m, PR_HB, 0, 86400000, &pr->hb_interval) < 0 ||
		cfg_map_u32(&m, PR_PMR, 1, 255, &pr->path_max_retrans) < 0 ||
		cfg_map_u32(&m, PR_AMR, 1, 255, &pr->assoc_max_retrans) < 0 ||
		cfg_map_u32(&m, PR_MIR, 1, 255, &pr->max_init_retrans) < 0 ||
		/* RFC 9260 6.2: the SACK delay MUST NOT exceed 500 ms. */
		cfg_map_ms(&m, PR_SACK_DELAY, 0, 500, &pr->sack_delay) < 0 ||
		cfg_map_u32(&m, PR_SACK_FREQ, 1, 255, &pr->sack_freq) < 0 ||
		cfg_map_ms(&m, PR_COOKIE, 1000, 86400000, &pr->valid_cookie_life) < 0 ||
		cfg_map_u16(&m, PR_OS, 1, 65535, &pr->os) < 0 ||
		cfg_map_u16(&m, PR_MIS, 1, 65535, &pr->mis) < 0 ||
		/* RFC 9260 6.2.1 and 3.3.2: 1500 bytes is the smallest a_rwnd. */
		cfg_map_u32(&m, PR_RWND, 1500, 1u << 30, &pr->a_rwnd) < 0 ||
		cfg_map_u32(&m, PR_SNDBUF, 1500, 1u << 30, &pr->sndbuf) < 0 ||
		cfg_map_u32(&m, PR_BURST, 1, 256, &pr->max_burst) < 0 ||
		cfg_map_bool(&m, PR_NODELAY, &pr->nodelay) < 0)
		return -1;
	if (rto_order(&m, PR_RTO_MIN, pr->rto_min, PR_RTO_INITIAL, pr->rto_initial) < 0 ||
		rto_order(&m, PR_RTO_INITIAL, pr->rto_initial, PR_RTO_MAX, pr->rto_max) < 0)
		return -1;
	/* RFC 9260 9.2: T5-shutdown-guard, suggested 5 x RTO.Max, follows RTO.Max. */
	pr->shutdown_guard = 5 * pr->rto_max;

	if (m.val[PR_PF] != NULL) {
		const char *s = cfg_scalar(&p->doc, m.val[PR_PF], cfg_map_field(&m, PR_PF));
		uint64_t v;

		if (s == NULL)
			return -1;
		if (strcasecmp(s, "off") == 0) {
			pr->pf_threshold = DPSCTP_PF_DISABLED;
			return 0;
		}
		if (cfg_parse_dec(s, &v) == -EINVAL)
			return cfg_fail(&p->doc, m.val[PR_PF], m.field,
				"'%.64s' is neither 'off' nor an integer", s);
		if (cfg_num_at(&p->doc, m.val[PR_PF], m.field, 0, 254, &v) < 0)
			return -1;
		/* The engine would silently treat it as off: say so rather than pretend. */
		if (v >= pr->path_max_retrans)
			return cfg_fail(&p->doc, m.val[PR_PF], m.field,
				"%" PRIu64 " is not below path_max_retrans (%u), so PF would never "
				"trigger; write 'off' or a smaller number",
				v, pr->path_max_retrans);
		pr->pf_threshold = (uint32_t)v;
	}
	return 0;
}

/* --- attach: --- */

enum { A_PATH, A_MODE, A_UIDS, A_GIDS, A_N };
static const char *const attach_keys[A_N] = {
	[A_PATH] = "path",
	[A_MODE] = "mode",
	[A_UIDS] = "uids",
	[A_GIDS] = "gids",
};

static int
id_list(struct parse *p, struct cfg_map *m, size_t k, uint32_t *ids, unsigned int *n)
{
	yaml_node_item_t *items;
	char path[CFG_FIELD_MAX], f[CFG_FIELD_MAX];
	size_t cnt, i;

	if (m->val[k] == NULL)
		return 0;
	cfg_join(path, m->path, m->keys[k]);
	if (cfg_seq_open(&p->doc, m->val[k], path, DPSCTPD_MAX_IDS, m->keys[k], &items, &cnt) < 0)
		return -1;
	for (i = 0; i < cnt; i++) {
		uint64_t v;

		/* (uid_t)-1 means "no change" to chown() and is nobody's id. */
		if (cfg_num_at(&p->doc, cfg_node(&p->doc, items[i]), cfg_index(f, path, i), 0,
			    UINT32_MAX - 1, &v) < 0)
			return -1;
		ids[i] = (uint32_t)v;
	}
	*n = (unsigned int)cnt;
	return 0;
}

static int
parse_attach(struct parse *p, yaml_node_t *n)
{
	struct dpsctpd_config *c = p->c;
	struct cfg_map m;

	if (cfg_map_open(&m, &p->doc, n, "attach", attach_keys, A_N) < 0)
		return -1;
	if (cfg_map_str(&m, A_PATH, c->attach_path, sizeof(c->attach_path), NULL) < 0)
		return -1;
	if (c->attach_path[0] != '/')
		return cfg_fail(&p->doc, m.val[A_PATH], cfg_map_field(&m, A_PATH),
			"'%.64s' is not an absolute path", c->attach_path);
	if (m.val[A_MODE] != NULL) {
		const char *s = cfg_scalar(&p->doc, m.val[A_MODE], cfg_map_field(&m, A_MODE)), *d;
		uint32_t mode = 0;

		if (s == NULL)
			return -1;
		/* Always octal: a YAML 1.1 reader would take 0660 as octal and 660 as decimal; a
		 * file mode is never meant in decimal. */
		d = strncmp(s, "0o", 2) == 0 ? s + 2 : s;
		if (*d == '\0' || strlen(d) > 4 || strspn(d, "01234567") != strlen(d) ||
			(mode = (uint32_t)strtoul(d, NULL, 8)) > 0777)
			return cfg_fail(&p->doc, m.val[A_MODE], m.field,
				"'%.64s' is not an octal file mode (0000..0777)", s);
		c->attach_mode = mode;
	}
	if (id_list(p, &m, A_UIDS, c->attach_uids, &c->n_attach_uids) < 0 ||
		id_list(p, &m, A_GIDS, c->attach_gids, &c->n_attach_gids) < 0)
		return -1;
	return 0;
}

/* --- services: --- */

enum {
	S_TYPE,
	S_PORT,
	S_ADDRS,
	S_PEERS, /* from here on: type source only */
	S_PEER_PORT,
	S_ASSOCS,
	S_COUNT,
	S_SIZE,
	S_STREAMS,
	S_UNORDERED,
	S_CHECK_ECHO,
	S_SHUTDOWN,
	S_N
};
static const char *const service_keys[S_N] = {
	[S_TYPE] = "type",
	[S_PORT] = "port",
	[S_ADDRS] = "addresses",
	[S_PEERS] = "peers",
	[S_PEER_PORT] = "peer_port",
	[S_ASSOCS] = "associations",
	[S_COUNT] = "count",
	[S_SIZE] = "size",
	[S_STREAMS] = "streams",
	[S_UNORDERED] = "unordered",
	[S_CHECK_ECHO] = "check_echo",
	[S_SHUTDOWN] = "shutdown_when_done",
};

static bool
is_local(const struct dpsctpd_config *c, const struct dpsctp_addr *a)
{
	unsigned int i, j;

	for (i = 0; i < c->nports; i++)
		for (j = 0; j < c->ports[i].naddrs; j++)
			if (cfg_addr_eq(&c->ports[i].addrs[j].addr, a))
				return true;
	for (i = 0; i < c->nloopback; i++)
		if (cfg_addr_eq(&c->loopback[i], a))
			return true;
	return false;
}

/*
 * A list of distinct addresses under key @p k: our own (@p local) or a peer's. A peer may be a
 * loopback address of ours (a source talking to a built-in echo: a self-test), nothing else
 * that cannot be on a link.
 */
static int
service_addrs(struct parse *p, struct cfg_map *m, size_t k, bool local, struct dpsctp_addr *out,
	unsigned int *n)
{
	const struct dpsctpd_config *c = p->c;
	yaml_node_item_t *items;
	char path[CFG_FIELD_MAX], f[CFG_FIELD_MAX];
	size_t cnt, i, j;

	cfg_join(path, m->path, m->keys[k]);
	if (cfg_seq_open(&p->doc, m->val[k], path, DPSCTP_MAX_ADDRS, m->keys[k], &items, &cnt) < 0)
		return -1;
	for (i = 0; i < cnt; i++) {
		yaml_node_t *it = cfg_node(&p->doc, items[i]);
		struct dpsctp_addr *a = &out[i];
		const char *s = cfg_scalar(&p->doc, it, cfg_index(f, path, i)), *why;

		if (s == NULL)
			return -1;
		if (dpsctpd_parse_addr(s, a) < 0)
			return cfg_fail(&p->doc, it, f, "'%.64s' is not an IPv4/IPv6 address", s);
		if (local && !is_local(c, a))
			return cfg_fail(&p->doc, it, f,
				"'%.64s' is neither an address of a port nor a loopback address",
				s);
		if (!local && cfg_is_loopback(a) && !is_local(c, a))
			return cfg_fail(
				&p->doc, it, f, "'%.64s' is a loopback address not in loopback", s);
		why = cfg_is_loopback(a) ? NULL : cfg_unusable(a);
		if (!local && why != NULL)
			return cfg_fail(&p->doc, it, f, "'%.64s' is %s", s, why);
		for (j = 0; j < i; j++)
			if (cfg_addr_eq(&out[j], a))
				return cfg_fail(&p->doc, it, f, "'%.64s' is already %s[%zu]", s,
					m->keys[k], j);
	}
	*n = (unsigned int)cnt;
	return 0;
}

/* What only a source sends: its peer, how many messages, of what size, on which streams. */
static int
service_source(struct parse *p, struct cfg_map *m, struct dpsctpd_service_cfg *sc)
{
	const struct dpsctp_proto_config *pr = &p->c->proto;

	sc->associations = 1;
	sc->count = 1000;
	sc->size = 100;
	sc->streams = 1;
	sc->check_echo = true;
	sc->shutdown_when_done = true;
	if (cfg_require(m, S_PEERS, "the peer's addresses (a source connects to them)") < 0 ||
		cfg_require(m, S_PEER_PORT, "the peer's SCTP port") < 0 ||
		service_addrs(p, m, S_PEERS, false, sc->peers, &sc->npeers) < 0)
		return -1;
	if (sc->npeers == 0)
		return cfg_fail(&p->doc, m->val[S_PEERS], cfg_map_field(m, S_PEERS),
			"at least one peer address is required");
	if (cfg_map_u16(m, S_PEER_PORT, 1, 65535, &sc->peer_port) < 0 ||
		cfg_map_u32(m, S_ASSOCS, 1, DPSCTPD_MAX_SOURCE_ASSOCS, &sc->associations) < 0 ||
		cfg_map_u32(m, S_COUNT, 0, UINT32_MAX, &sc->count) < 0 ||
		cfg_map_u32(m, S_SIZE, 8, 65536, &sc->size) < 0 ||
		cfg_map_u16(m, S_STREAMS, 1, 65535, &sc->streams) < 0 ||
		cfg_map_bool(m, S_UNORDERED, &sc->unordered) < 0 ||
		cfg_map_bool(m, S_CHECK_ECHO, &sc->check_echo) < 0 ||
		cfg_map_bool(m, S_SHUTDOWN, &sc->shutdown_when_done) < 0)
		return -1;
	/* We ask for outbound_streams (RFC 9260 5.1.1 OS); more could never be used. */
	if (sc->streams > pr->os)
		return cfg_fail(&p->doc, m->val[S_STREAMS], cfg_map_field(m, S_STREAMS),
			"%u streams is more than protocol.outbound_streams (%u)", sc->streams,
			pr->os);
	return 0;
}

/* How many local ports (and endpoints) service @p sc takes: a source one per association. */
static unsigned int
service_nports(const struct dpsctpd_service_cfg *sc)
{
	return sc->kind == DPSCTPD_SVC_SOURCE && sc->associations > 1 ? sc->associations : 1;
}

/*
 * Service @p si's ports (port .. port + associations - 1 for a source) are free of the earlier
 * services' and fit, and all services together stay within the endpoints a stack holds.
 */
static int
service_ports(struct parse *p, struct cfg_map *m, unsigned int si)
{
	const struct dpsctpd_config *c = p->c;
	const struct dpsctpd_service_cfg *sc = &c->services[si];
	unsigned int n = service_nports(sc), total = n;
	size_t j, k = m->val[S_ASSOCS] != NULL ? S_ASSOCS : S_PORT;

	if ((unsigned int)sc->port + n - 1 > 65535)
		return cfg_fail(&p->doc, m->val[k], cfg_map_field(m, k),
			"%u associations from port %u need ports beyond 65535", n, sc->port);
	for (j = 0; j < si; j++) {
		const struct dpsctpd_service_cfg *o = &c->services[j];
		unsigned int on = service_nports(o);

		total += on;
		if (sc->port >= o->port + on || o->port >= sc->port + n)
			continue;
		if (on == 1 && n == 1)
			return cfg_fail(&p->doc, m->val[k], cfg_map_field(m, k),
				"port %u is already services[%zu] (line %lu)", sc->port, j,
				p->svc_line[j]);
		return cfg_fail(&p->doc, m->val[k], cfg_map_field(m, k),
			"ports %u..%u overlap services[%zu] (ports %u..%u, line %lu)", sc->port,
			sc->port + n - 1, j, o->port, o->port + on - 1, p->svc_line[j]);
	}
	if (total > DPSCTPD_MAX_ENDPOINTS)
		return cfg_fail(&p->doc, m->val[k], cfg_map_field(m, k),
			"services take %u endpoints in all (a source: one per association), "
			"at most %u",
			total, DPSCTPD_MAX_ENDPOINTS);
	return 0;
}

static int
parse_service(struct parse *p, yaml_node_t *n, unsigned int si)
{
	struct dpsctpd_config *c = p->c;
	struct dpsctpd_service_cfg *sc = &c->services[si];
	char path[CFG_FIELD_MAX];
	const char *s;
	struct cfg_map m;
	size_t j;

	memset(sc, 0, sizeof(*sc));
	if (cfg_map_open(&m, &p->doc, n, cfg_index(path, "services", si), service_keys, S_N) < 0)
		return -1;
	if (cfg_require(&m, S_TYPE, "the service type (echo, discard or source)") < 0)
		return -1;
	s = cfg_scalar(&p->doc, m.val[S_TYPE], cfg_map_field(&m, S_TYPE));
	if (s == NULL)
		return -1;
	if (strcmp(s, "echo") == 0)
		sc->kind = DPSCTPD_SVC_ECHO;
	else if (strcmp(s, "discard") == 0)
		sc->kind = DPSCTPD_SVC_DISCARD;
	else if (strcmp(s, "source") == 0)
		sc->kind = DPSCTPD_SVC_SOURCE;
	else
		return cfg_fail(&p->doc, m.val[S_TYPE], m.field,
			"'%.64s' is not a service (echo, discard, source)", s);

	if (cfg_require(&m, S_PORT, "the SCTP port of the service") < 0 ||
		cfg_map_u16(&m, S_PORT, 1, 65535, &sc->port) < 0)
		return -1;
	p->svc_line[si] = cfg_line(n);
	if (service_addrs(p, &m, S_ADDRS, true, sc->addrs, &sc->naddrs) < 0)
		return -1;
	if (sc->kind == DPSCTPD_SVC_SOURCE)
		return service_source(p, &m, sc) < 0 ? -1 : service_ports(p, &m, si);
	/* A source's settings on a listener would be ignored: a misplaced line, say so. */
	for (j = S_PEERS; j < S_N; j++)
		if (m.val[j] != NULL)
			return cfg_fail(&p->doc, m.val[j], cfg_map_field(&m, j),
				"only a service of type source has %s", service_keys[j]);
	return service_ports(p, &m, si);
}

static int
parse_services(struct parse *p, yaml_node_t *n)
{
	yaml_node_item_t *items;
	size_t cnt, i;

	if (cfg_seq_open(&p->doc, n, "services", DPSCTPD_MAX_SERVICES, "services", &items, &cnt) <
		0)
		return -1;
	for (i = 0; i < cnt; i++) {
		if (parse_service(p, cfg_node(&p->doc, items[i]), (unsigned int)i) < 0)
			return -1;
		p->c->nservices++;
	}
	return 0;
}

/* --- the document --- */

enum {
	T_EAL,
	T_LCORES,
	T_MEMPOOL,
	T_PORTS,
	T_LOOPBACK,
	T_ARP,
	T_PROTOCOL,
	T_ATTACH,
	T_SERVICES,
	T_SHUTDOWN,
	T_N
};
static const char *const top_keys[T_N] = {
	[T_EAL] = "eal",
	[T_LCORES] = "lcores",
	[T_MEMPOOL] = "mempool",
	[T_PORTS] = "ports",
	[T_LOOPBACK] = "loopback",
	[T_ARP] = "arp_timeout_ms",
	[T_PROTOCOL] = "protocol",
	[T_ATTACH] = "attach",
	[T_SERVICES] = "services",
	[T_SHUTDOWN] = "shutdown_wait_ms",
};

static int
parse_root(struct parse *p, yaml_node_t *root)
{
	struct dpsctpd_config *c = p->c;
	struct cfg_map m;

	if (cfg_map_open(&m, &p->doc, root, "", top_keys, T_N) < 0)
		return -1;
	/* Services name port and loopback addresses: those come first. */
	if (parse_eal(p, m.val[T_EAL]) < 0 || parse_lcores(p, m.val[T_LCORES]) < 0 ||
		parse_mempool(p, m.val[T_MEMPOOL]) < 0 ||
		parse_ports(p, m.val[T_PORTS], root) < 0 ||
		parse_loopback(p, m.val[T_LOOPBACK]) < 0 ||
		cfg_map_u32(&m, T_ARP, 1000, 86400000, &c->arp_timeout_ms) < 0 ||
		parse_protocol(p, m.val[T_PROTOCOL]) < 0 || parse_attach(p, m.val[T_ATTACH]) < 0 ||
		parse_services(p, m.val[T_SERVICES]) < 0 ||
		cfg_map_u32(&m, T_SHUTDOWN, 0, 600000, &c->shutdown_wait_ms) < 0)
		return -1;
	return 0;
}

void
dpsctpd_config_default(struct dpsctpd_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->file_prefix, sizeof(c->file_prefix), "dpsctp");
	c->huge = -1;
	c->memory_mb = 256;
	snprintf(c->log_level, sizeof(c->log_level), "notice");
	c->control_lcore = 0;
	c->worker_lcores[0] = 1;
	c->nworkers = 1;
	c->mbufs = 16383;
	c->mbuf_cache = 256;
	/* Packet bytes per mbuf, headroom not included: a full 1500-byte MTU frame with its
	 * Ethernet header and VLAN tag and some slack, a multiple of the 128-byte cache line. */
	c->mbuf_data_room = 2304;
	dpsctpd_parse_addr("127.0.0.1", &c->loopback[0]);
	dpsctpd_parse_addr("::1", &c->loopback[1]);
	c->nloopback = 2;
	c->arp_timeout_ms = 300000;
	dpsctp_proto_config_default(&c->proto);
	snprintf(c->attach_path, sizeof(c->attach_path), "/run/dpsctp/dpsctpd.sock");
	c->attach_mode = 0660;
	c->shutdown_wait_ms = 3000;
}

void
dpsctpd_config_free(struct dpsctpd_config *c)
{
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_eal_args && i < DPSCTPD_MAX_EAL_ARGS; i++) {
		free(c->eal_args[i]);
		c->eal_args[i] = NULL;
	}
	c->n_eal_args = 0;
}

int
dpsctpd_config_parse(const char *name, const char *text, size_t len, struct dpsctpd_config *c,
	char *err, size_t errlen)
{
	struct parse p;
	yaml_parser_t y;
	yaml_document_t extra;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	p.doc.name = name != NULL ? name : "<config>";
	p.c = c;
	p.doc.err = err;
	p.doc.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	dpsctpd_config_default(c);
	snprintf(c->path, sizeof(c->path), "%s", p.doc.name);
	if (text == NULL) {
		text = "";
		len = 0;
	}

	if (!yaml_parser_initialize(&y)) {
		cfg_seterr(err, errlen, "%s: out of memory reading the YAML", p.doc.name);
		return -1;
	}
	yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
	if (!yaml_parser_load(&y, &p.doc.yaml)) {
		cfg_syntax_error(&p.doc, &y, text, len);
		yaml_parser_delete(&y);
		dpsctpd_config_free(c);
		return -1;
	}
	/* The whole stream is read before any value, so a syntax error anywhere comes first; a
	 * second document would be ignored, which is never what its author meant. */
	if (!yaml_parser_load(&y, &extra)) {
		cfg_syntax_error(&p.doc, &y, text, len);
	} else {
		yaml_node_t *root2 = yaml_document_get_root_node(&extra);

		if (root2 != NULL)
			cfg_fail(&p.doc, root2, "",
				"a second YAML document; the configuration is one document");
		else
			rc = parse_root(&p, yaml_document_get_root_node(&p.doc.yaml));
		yaml_document_delete(&extra);
	}
	yaml_document_delete(&p.doc.yaml);
	yaml_parser_delete(&y);
	if (rc < 0)
		dpsctpd_config_free(c);
	return rc;
}

int
dpsctpd_config_load(const char *path, struct dpsctpd_config *c, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int rc;

	dpsctpd_config_default(c);
	f = fopen(path, "rb");
	if (f == NULL) {
		cfg_seterr(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *bigger;

			if (cap >= MAX_FILE_SIZE) {
				cfg_seterr(err, errlen,
					"%s: larger than %u bytes; not a configuration file", path,
					MAX_FILE_SIZE);
				goto fail;
			}
			cap = cap == 0 ? 4096 : cap * 2;
			bigger = realloc(text, cap + 1);
			if (bigger == NULL) {
				cfg_seterr(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			text = bigger;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				cfg_seterr(
					err, errlen, "%s: cannot read: %s", path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	rc = dpsctpd_config_parse(path, text != NULL ? text : "", len, c, err, errlen);
	free(text);
	return rc;
fail:
	fclose(f);
	free(text);
	return -1;
}
