/* SPDX-License-Identifier: BSD-3-Clause */
/* Port set-up (see port.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "port.h"

int
dp_port_setup(struct dp_port *p, const struct dp_port_params *pp, char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct rte_ether_addr mac;
	uint16_t rxd = pp->rx_desc, txd = pp->tx_desc, q;
	int rc;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: no device info (%s)", p->name, strerror(-rc));
		return rc;
	}
	if (info.max_rx_queues < pp->nqueues || info.max_tx_queues < pp->nqueues) {
		snprintf(err, errlen,
			"port %s (%s): %u workers need %u RX and TX queues, it has %u / %u",
			p->name, info.driver_name, pp->nqueues, pp->nqueues, info.max_rx_queues,
			info.max_tx_queues);
		return -EINVAL;
	}
	memset(&conf, 0, sizeof(conf));
	/* SCTP CRC32c in hardware where offered (RFC 9260 6.8 is then the NIC's job) */
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCTP_CKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCTP_CKSUM;
		p->rx_csum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_SCTP_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_SCTP_CKSUM;
		p->tx_csum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	/*
	 * RSS: the paths of one association may land on any queue (steering fixes that); what
	 * matters is spreading associations, so hash on addresses and SCTP ports where possible.
	 */
	if (pp->nqueues > 1 && info.flow_type_rss_offloads != 0) {
		uint64_t want = RTE_ETH_RSS_IP | RTE_ETH_RSS_NONFRAG_IPV4_SCTP |
			RTE_ETH_RSS_NONFRAG_IPV6_SCTP;

		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = want & info.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0)
			conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads;
		p->rss = true;
		p->rss_hf = conf.rx_adv_conf.rss_conf.rss_hf;
	}
	rc = rte_eth_dev_configure(p->port_id, pp->nqueues, pp->nqueues, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: configure failed (%s)", p->name, strerror(-rc));
		return rc;
	}
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &rxd, &txd);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: descriptor counts refused (%s)", p->name,
			strerror(-rc));
		return rc;
	}
	for (q = 0; q < pp->nqueues; q++) {
		struct rte_eth_rxconf rxq = info.default_rxconf;
		struct rte_eth_txconf txq = info.default_txconf;

		rxq.offloads = conf.rxmode.offloads;
		txq.offloads = conf.txmode.offloads;
		rc = rte_eth_rx_queue_setup(p->port_id, q, rxd,
			(unsigned int)rte_eth_dev_socket_id(p->port_id) == (unsigned int)SOCKET_ID_ANY ?
				0 : (unsigned int)rte_eth_dev_socket_id(p->port_id),
			&rxq, pp->pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(p->port_id, q, txd,
				(unsigned int)rte_eth_dev_socket_id(p->port_id) ==
						(unsigned int)SOCKET_ID_ANY ?
					0 : (unsigned int)rte_eth_dev_socket_id(p->port_id),
				&txq);
		if (rc != 0) {
			snprintf(err, errlen, "port %s: queue %u set-up failed (%s)", p->name, q,
				strerror(-rc));
			return rc;
		}
	}
	if (pp->mac != NULL) {
		memcpy(mac.addr_bytes, pp->mac, 6);
		rc = rte_eth_dev_default_mac_addr_set(p->port_id, &mac);
		/* a PMD that cannot change its default address may still take another one */
		if (rc == -ENOTSUP)
			rc = rte_eth_dev_mac_addr_add(p->port_id, &mac, 0);
		if (rc != 0) {
			snprintf(err, errlen, "port %s: cannot take MAC %02x:%02x:%02x:%02x:%02x:%02x (%s)",
				p->name, pp->mac[0], pp->mac[1], pp->mac[2], pp->mac[3], pp->mac[4],
				pp->mac[5], strerror(-rc));
			return rc;
		}
	}
	/* MTU: the PMD counts the IP MTU; a PMD without the call keeps its own */
	rc = rte_eth_dev_set_mtu(p->port_id, pp->mtu);
	if (rc != 0 && rc != -ENOTSUP && rc != -EINVAL) {
		snprintf(err, errlen, "port %s: cannot set MTU %u (%s)", p->name, pp->mtu,
			strerror(-rc));
		return rc;
	}
	p->mtu = pp->mtu;
	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0) {
		snprintf(err, errlen, "port %s: start failed (%s)", p->name, strerror(-rc));
		return rc;
	}
	if (pp->mac != NULL) {
		memcpy(p->mac, pp->mac, 6);
	} else {
		rte_eth_macaddr_get(p->port_id, &mac);
		memcpy(p->mac, mac.addr_bytes, 6);
	}
	/* neighbours refuse to learn 00:00:00:00:00:00 (net_ring has no address of its own) */
	memcpy(mac.addr_bytes, p->mac, 6);
	if (rte_is_zero_ether_addr(&mac)) {
		snprintf(err, errlen, "port %s has no MAC address of its own: configure one (mac:)",
			p->name);
		return -EINVAL;
	}
	/* we answer ARP/ND ourselves; multicast is needed for ND (solicited-node groups) */
	(void)rte_eth_allmulticast_enable(p->port_id);
	return 0;
}

void
dp_port_close(struct dp_port *p)
{
	(void)rte_eth_dev_stop(p->port_id);
	(void)rte_eth_dev_close(p->port_id);
}

const char *
dp_port_offloads(const struct dp_port *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", p->rx_csum ? "rx-sctp-csum," : "",
		p->tx_csum ? "tx-sctp-csum," : "", p->rss ? "rss," : "",
		!p->rx_csum && !p->tx_csum && !p->rss ? "none" : "");
	if (buf[0] != '\0' && buf[strlen(buf) - 1] == ',')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}
