/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctpd's configuration: the YAML file read at start-up (libyaml), as plain C values.
 *
 * Every error stops start-up with the file, the line and the field named:
 *   "dpsctpd.yaml:14: ports[0].addresses[1]: '198.18.0.300/24' is not an IPv4/IPv6 prefix"
 * Unknown keys are errors too (a typo must not silently fall back to a default).
 */
#ifndef DPSCTP_CONTROL_CONFIG_H
#define DPSCTP_CONTROL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define DPSCTPD_MAX_PORTS 8       /**< ports (NICs or vdevs) */
#define DPSCTPD_MAX_PORT_ADDRS 8  /**< addresses per port */
#define DPSCTPD_MAX_NEIGH 32      /**< static neighbours per port */
#define DPSCTPD_MAX_WORKERS 16    /**< worker lcores */
#define DPSCTPD_MAX_SERVICES 16   /**< built-in services */
#define DPSCTPD_MAX_SOURCE_ASSOCS 1024 /**< associations of one source (one local port each) */
#define DPSCTPD_MAX_ENDPOINTS 1040 /**< endpoints of all services (a source: one per assoc) */
#define DPSCTPD_MAX_EAL_ARGS 32   /**< extra EAL arguments */
#define DPSCTPD_MAX_IDS 16        /**< allowed uids / gids of the attach socket */
#define DPSCTPD_MAX_LOOPBACK 4    /**< loopback addresses (local delivery only) */

/** An address with a prefix length ("198.18.0.1/24", "2001:db8::1/64"). */
struct dpsctpd_prefix {
	struct dpsctp_addr addr; /**< the address (engine form: family 4/6, network order) */
	uint8_t len;             /**< prefix length in bits (0..32 or 0..128) */
};

/** A static neighbour: an IP address and the MAC address it answers at. */
struct dpsctpd_neigh {
	struct dpsctp_addr ip; /**< neighbour IPv4/IPv6 address */
	uint8_t mac[6];        /**< its Ethernet address */
};

/** One port: a NIC by PCI address or a vdev by its devargs. */
struct dpsctpd_port_cfg {
	char name[32];         /**< short name used in logs and telemetry ("tap0") */
	char device[256];      /**< PCI address ("0000:3b:00.0") or vdev devargs ("net_tap0,iface=x") */
	bool is_vdev;          /**< device is a vdev (starts with "net_") */
	bool has_mac;          /**< @c mac was given (else the port's own MAC) */
	uint8_t mac[6];        /**< MAC address to set on the port */
	uint16_t mtu;          /**< IP MTU (default 1500; 576..9000) */
	/**
	 * Follow the port's link state (default true): a port whose link goes down carries no
	 * path until it comes back. false for a tap whose kernel side was moved into another
	 * network namespace (DPDK then cannot read its state and would report it down).
	 */
	bool follow_link;
	uint16_t rx_desc;      /**< RX descriptors per queue (default 1024) */
	uint16_t tx_desc;      /**< TX descriptors per queue (default 1024) */
	struct dpsctpd_prefix addrs[DPSCTPD_MAX_PORT_ADDRS]; /**< our addresses on this port */
	unsigned int naddrs;   /**< number of @c addrs (at least 1) */
	bool has_gw4;          /**< an IPv4 default gateway was given */
	struct dpsctp_addr gw4; /**< IPv4 gateway (must be inside an IPv4 prefix of the port) */
	bool has_gw6;          /**< an IPv6 default gateway was given */
	struct dpsctp_addr gw6; /**< IPv6 gateway */
	struct dpsctpd_neigh neigh[DPSCTPD_MAX_NEIGH]; /**< static neighbours (never aged) */
	unsigned int nneigh;   /**< number of @c neigh */
};

/** Kinds of built-in service. */
enum dpsctpd_service_kind {
	DPSCTPD_SVC_ECHO = 0, /**< send every message back on the stream it came on */
	DPSCTPD_SVC_DISCARD,  /**< read and drop every message */
	DPSCTPD_SVC_SOURCE,   /**< connect to a peer and send numbered messages (a load generator) */
};

/** A built-in service: a one-to-many listening endpoint on a port. */
struct dpsctpd_service_cfg {
	enum dpsctpd_service_kind kind;
	uint16_t port;               /**< SCTP port */
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS]; /**< bound addresses; none given: all */
	unsigned int naddrs;         /**< number of @c addrs (0: every address of every port) */
	/* source only */
	struct dpsctp_addr peers[DPSCTP_MAX_ADDRS]; /**< the peer's addresses (required) */
	unsigned int npeers;
	uint16_t peer_port;          /**< the peer's port (required) */
	uint32_t associations;       /**< associations to open, from ports port.. (default 1) */
	uint32_t count;              /**< messages per association (default 1000; 0: endless) */
	uint32_t size;               /**< bytes per message (default 100; 8..65536) */
	uint16_t streams;            /**< streams used in turn (default 1) */
	bool unordered;              /**< send unordered (default false) */
	bool check_echo;             /**< the peer echoes: check what comes back (default true) */
	bool shutdown_when_done;     /**< SHUTDOWN when done (default true) */
};

/** The whole configuration. */
struct dpsctpd_config {
	char path[256];              /**< the file it was read from (for messages) */

	/* eal: */
	char file_prefix[64];        /**< EAL --file-prefix (default "dpsctp"); names the telemetry socket */
	int huge;                    /**< 1 use hugepages, 0 --no-huge, -1 auto: use them when reserved */
	unsigned int memory_mb;      /**< -m / --socket-mem equivalent (default 256) */
	char *eal_args[DPSCTPD_MAX_EAL_ARGS]; /**< extra EAL arguments, verbatim (owned) */
	unsigned int n_eal_args;
	char log_level[16];          /**< rte_log level name: error, warning, notice, info, debug */

	/* lcores: */
	unsigned int control_lcore;  /**< lcore of the control plane (default 0) */
	unsigned int worker_lcores[DPSCTPD_MAX_WORKERS]; /**< lcores of the workers (default [1]) */
	unsigned int nworkers;       /**< number of workers, >= 1 */
	char lcore_map[128];         /**< optional EAL --lcores map ("0@0,1@1,2@1"); empty: -l list */

	/* mempool: */
	unsigned int mbufs;          /**< mbufs in the pool (default 16383) */
	unsigned int mbuf_cache;     /**< per-lcore cache (default 256) */
	unsigned int mbuf_data_room; /**< data room per mbuf in bytes (default 2176 + headroom) */

	/* ports: */
	struct dpsctpd_port_cfg ports[DPSCTPD_MAX_PORTS];
	unsigned int nports;
	struct dpsctp_addr loopback[DPSCTPD_MAX_LOOPBACK]; /**< delivered internally (default 127.0.0.1, ::1) */
	unsigned int nloopback;
	uint32_t arp_timeout_ms;     /**< age of a learned neighbour entry (default 300000) */

	/* protocol: */
	struct dpsctp_proto_config proto; /**< engine parameters, defaults from dpsctp_proto_config_default */

	/* attach: */
	char attach_path[108];       /**< unix socket path (default /run/dpsctp/dpsctpd.sock) */
	uint32_t attach_mode;        /**< its file mode (default 0660) */
	uint32_t attach_uids[DPSCTPD_MAX_IDS]; /**< allowed peer uids (none: anyone with file access) */
	unsigned int n_attach_uids;
	uint32_t attach_gids[DPSCTPD_MAX_IDS]; /**< allowed peer gids */
	unsigned int n_attach_gids;

	/* services: */
	struct dpsctpd_service_cfg services[DPSCTPD_MAX_SERVICES];
	unsigned int nservices;

	/* shutdown: */
	uint32_t shutdown_wait_ms;   /**< graceful SHUTDOWN wait on SIGTERM before ABORT (default 3000) */
};

/** Fill @p c with the defaults (no ports, no services). */
void dpsctpd_config_default(struct dpsctpd_config *c);

/**
 * Read @p path into @p c (defaults first). On error, write one line naming the file, line and
 * field into @p err (@p errlen bytes) and return -1; @p c is then released.
 * @return 0 or -1.
 */
int dpsctpd_config_load(const char *path, struct dpsctpd_config *c, char *err, size_t errlen);

/** Same, from a string in memory; @p name stands for the file name in messages. */
int dpsctpd_config_parse(const char *name, const char *text, size_t len, struct dpsctpd_config *c,
	char *err, size_t errlen);

/** Release what @p c owns (the EAL argument strings). */
void dpsctpd_config_free(struct dpsctpd_config *c);

/** Parse "a.b.c.d" or an IPv6 address into @p out. @return 0 or -1. */
int dpsctpd_parse_addr(const char *s, struct dpsctp_addr *out);

/** Format @p a into @p buf ("198.18.0.1", "2001:db8::1"). @return @p buf. */
const char *dpsctpd_format_addr(const struct dpsctp_addr *a, char *buf, size_t len);

#endif
