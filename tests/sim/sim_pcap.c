/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap writer for the simulator: raw IP (no link layer, so no invented MAC addresses), the IP
 * header built here so that Wireshark decodes the SCTP payload exactly as it would off a wire.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "sim_pcap.h"
#include "wbuf.h"

#define IPPROTO_SCTP_NUM 132
#define SIM_IP_TTL 64

struct sim_pcap {
	pcap_t *p;
	pcap_dumper_t *d;
	/* One frame: the largest IP header plus the largest SCTP packet the engine builds. */
	uint8_t frame[SIM_IP6_HDR_LEN + 65535];
};

size_t
sim_ip_hdr_len(uint8_t family)
{
	return family == 6 ? SIM_IP6_HDR_LEN : SIM_IP4_HDR_LEN;
}

/* RFC 791 header checksum: one's complement of the one's complement sum of 16-bit words. */
static uint16_t
ip4_checksum(const uint8_t *h)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < SIM_IP4_HDR_LEN; i += 2)
		sum += dpsctp_get_be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
ip4_build(uint8_t *ip, const struct dpsctp_addr *src, const struct dpsctp_addr *dst, size_t len)
{
	memset(ip, 0, SIM_IP4_HDR_LEN);
	ip[0] = 0x45;
	dpsctp_put_be16(ip + 2, (uint16_t)(SIM_IP4_HDR_LEN + len));
	/* DF and identification 0: an atomic datagram (RFC 6864); SCTP does PMTU (9260 6.9). */
	dpsctp_put_be16(ip + 6, 0x4000);
	ip[8] = SIM_IP_TTL;
	ip[9] = IPPROTO_SCTP_NUM;
	memcpy(ip + 12, src->bytes, 4);
	memcpy(ip + 16, dst->bytes, 4);
	dpsctp_put_be16(ip + 10, ip4_checksum(ip));
}

static void
ip6_build(uint8_t *ip, const struct dpsctp_addr *src, const struct dpsctp_addr *dst, size_t len)
{
	memset(ip, 0, SIM_IP6_HDR_LEN);
	ip[0] = 0x60;
	dpsctp_put_be16(ip + 4, (uint16_t)len);
	ip[6] = IPPROTO_SCTP_NUM;
	ip[7] = SIM_IP_TTL;
	memcpy(ip + 8, src->bytes, 16);
	memcpy(ip + 24, dst->bytes, 16);
}

struct sim_pcap *
sim_pcap_writer_open(const char *path)
{
	struct sim_pcap *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	/* Nanosecond timestamps: virtual time steps are often finer than a microsecond. */
	w->p = pcap_open_dead_with_tstamp_precision(DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (w->p != NULL)
		w->d = pcap_dump_open(w->p, path);
	if (w->d == NULL) {
		if (w->p != NULL)
			pcap_close(w->p);
		free(w);
		return NULL;
	}
	return w;
}

int
sim_pcap_writer_write(struct sim_pcap *w, uint64_t t_ns, const struct dpsctp_addr *src,
	const struct dpsctp_addr *dst, const uint8_t *sctp, size_t len)
{
	struct pcap_pkthdr ph;
	size_t hl;

	if (src->family != dst->family || (src->family != 4 && src->family != 6))
		return -EINVAL;
	hl = sim_ip_hdr_len(src->family);
	if (len > 65535 - SIM_IP4_HDR_LEN)
		return -EMSGSIZE;
	if (src->family == 4)
		ip4_build(w->frame, src, dst, len);
	else
		ip6_build(w->frame, src, dst, len);
	memcpy(w->frame + hl, sctp, len);
	memset(&ph, 0, sizeof(ph));
	ph.ts.tv_sec = (time_t)(t_ns / 1000000000ull);
	/* With nanosecond precision libpcap takes tv_usec as nanoseconds. */
	ph.ts.tv_usec = (suseconds_t)(t_ns % 1000000000ull);
	ph.caplen = ph.len = (bpf_u_int32)(hl + len);
	pcap_dump((u_char *)w->d, &ph, w->frame);
	return 0;
}

void
sim_pcap_writer_flush(struct sim_pcap *w)
{
	pcap_dump_flush(w->d);
}

void
sim_pcap_writer_close(struct sim_pcap *w)
{
	if (w == NULL)
		return;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
}
