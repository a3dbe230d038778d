/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to the simulator: a pcap writer of SCTP packets wrapped in a built IPv4 or IPv6
 * header (LINKTYPE_RAW), timestamped in virtual nanoseconds. Scenario tests use sim_pcap_open().
 *
 * Include it as "sim_pcap.h" from tests/sim only; libpcap's own header is <pcap/pcap.h>.
 */
#ifndef DPSCTP_TESTS_SIM_PCAP_H
#define DPSCTP_TESTS_SIM_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"

/** IPv4 header without options. */
#define SIM_IP4_HDR_LEN 20
/** IPv6 fixed header, no extension headers. */
#define SIM_IP6_HDR_LEN 40

struct sim_pcap;

/** Bytes of the IP header the simulator puts around an SCTP packet of that family (MTU, pcap). */
size_t sim_ip_hdr_len(uint8_t family);

/**
 * Create (truncate) @p path as a nanosecond pcap of LINKTYPE_RAW.
 * @return the writer, or NULL (errno set when the C library said why)
 */
struct sim_pcap *sim_pcap_writer_open(const char *path);

/**
 * Append one SCTP packet of @p len bytes sent from @p src to @p dst at virtual time @p t_ns.
 * @return 0, -EINVAL (families differ or are bad) or -EMSGSIZE
 */
int sim_pcap_writer_write(struct sim_pcap *w, uint64_t t_ns, const struct dpsctp_addr *src,
	const struct dpsctp_addr *dst, const uint8_t *sctp, size_t len);

/** Push buffered packets to the file, so that a reader sees them while the writer is open. */
void sim_pcap_writer_flush(struct sim_pcap *w);

/** Flush and close; NULL is accepted. */
void sim_pcap_writer_close(struct sim_pcap *w);

#endif /* DPSCTP_TESTS_SIM_PCAP_H */
