/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes every sample packet (tests/common/samples.h) twice into a pcap, once in Ethernet/IPv4 and
 * once in Ethernet/IPv6, and a text file with one line per frame: "name|t1,t2,..." where t are
 * the chunk types in the frame, in the form tshark prints sctp.chunk_type.
 * Usage: pcap_every_chunk OUT.pcap OUT.expected
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "packet.h"
#include "samples.h"
#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

#define ETH_LEN 14
#define IP4_LEN 20
#define IP6_LEN 40
#define IPPROTO_SCTP_NUM 132

static uint16_t
ip4_checksum(const uint8_t *h)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < IP4_LEN; i += 2)
		sum += dpsctp_get_be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet + IP header for @p sctp_len bytes of SCTP; returns the header length. */
static size_t
l2l3(uint8_t *f, int v6, size_t sctp_len)
{
	static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
	uint8_t *ip = f + ETH_LEN;

	memcpy(f, macs, sizeof(macs));
	if (!v6) {
		dpsctp_put_be16(f + 12, 0x0800);
		memset(ip, 0, IP4_LEN);
		ip[0] = 0x45;
		dpsctp_put_be16(ip + 2, (uint16_t)(IP4_LEN + sctp_len));
		dpsctp_put_be16(ip + 6, 0x4000); /* DF: SCTP does its own PMTU (RFC 9260 6.9) */
		ip[8] = 64;
		ip[9] = IPPROTO_SCTP_NUM;
		memcpy(ip + 12, (const uint8_t[]){198, 18, 0, 1, 198, 18, 0, 2}, 8);
		dpsctp_put_be16(ip + 10, ip4_checksum(ip));
		return ETH_LEN + IP4_LEN;
	}
	dpsctp_put_be16(f + 12, 0x86dd);
	memset(ip, 0, IP6_LEN);
	ip[0] = 0x60;
	dpsctp_put_be16(ip + 4, (uint16_t)sctp_len);
	ip[6] = IPPROTO_SCTP_NUM;
	ip[7] = 64;
	memcpy(ip + 8, (const uint8_t[]){0x20, 0x01, 0x0d, 0xb8}, 4);
	ip[23] = 1;
	memcpy(ip + 24, (const uint8_t[]){0x20, 0x01, 0x0d, 0xb8}, 4);
	ip[39] = 2;
	return ETH_LEN + IP6_LEN;
}

/* tshark lists the chunk inside an Unrecognized Chunk Type cause as a chunk too. */
static void
print_nested_chunks(FILE *exp, const struct dpsctp_chunk *ch)
{
	const uint8_t *p = ch->value, *end = ch->value + dpsctp_chunk_value_len(ch);
	struct dpsctp_chunk inner;
	struct dpsctp_tlv t;

	if (ch->type != DPSCTP_CHUNK_ERROR && ch->type != DPSCTP_CHUNK_ABORT)
		return;
	while (dpsctp_tlv_next(&p, end, &t) > 0) {
		const uint8_t *q = t.value;

		if (t.type == DPSCTP_CAUSE_UNRECOGNIZED_CHUNK &&
			dpsctp_chunk_next(&q, t.value + dpsctp_tlv_value_len(&t), &inner) > 0)
			fprintf(exp, ",%u", inner.type);
	}
}

int
main(int argc, char **argv)
{
	static uint8_t frame[ETH_LEN + IP6_LEN + 65536];
	struct pcap_pkthdr ph;
	pcap_dumper_t *d;
	unsigned int i;
	FILE *exp;
	pcap_t *p;
	int v6;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OUT.pcap OUT.expected\n", argv[0]);
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 65535);
	d = p != NULL ? pcap_dump_open(p, argv[1]) : NULL;
	exp = fopen(argv[2], "w");
	if (d == NULL || exp == NULL) {
		fprintf(stderr, "%s: cannot write %s / %s: %s\n", argv[0], argv[1], argv[2],
			p != NULL ? pcap_geterr(p) : strerror(errno));
		return 1;
	}
	for (i = 0; i < dpsctp_sample_count(); i++) {
		for (v6 = 0; v6 <= 1; v6++) {
			size_t hl = ETH_LEN + (v6 ? IP6_LEN : IP4_LEN);
			int n = dpsctp_sample_build(i, frame + hl, sizeof(frame) - hl);
			const uint8_t *c, *end;
			struct dpsctp_chunk ch;
			const char *sep = "";

			if (n < 0) {
				fprintf(stderr, "%s: sample %s: %s\n", argv[0],
					dpsctp_sample_name(i), strerror(-n));
				return 1;
			}
			l2l3(frame, v6, (size_t)n);
			memset(&ph, 0, sizeof(ph));
			ph.ts.tv_sec = 1700000000 + i;
			ph.ts.tv_usec = v6;
			ph.caplen = ph.len = (bpf_u_int32)(hl + (size_t)n);
			pcap_dump((u_char *)d, &ph, frame);
			fprintf(exp, "%s/%s|", dpsctp_sample_name(i), v6 ? "ipv6" : "ipv4");
			c = frame + hl + DPSCTP_COMMON_HDR_LEN;
			end = frame + hl + n;
			while (dpsctp_chunk_next(&c, end, &ch) > 0) {
				fprintf(exp, "%s%u", sep, ch.type);
				sep = ",";
				print_nested_chunks(exp, &ch);
			}
			fprintf(exp, "\n");
		}
	}
	pcap_dump_close(d);
	pcap_close(p);
	return fclose(exp) == 0 ? 0 : 1;
}
