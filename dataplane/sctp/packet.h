/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SCTP packet: common header (RFC 9260 3.1) and the packet-level rules the engine and the
 * dataplane need before any chunk is handled (chunk structure, chunks that must be alone).
 * The checksum is neither computed nor verified here: the dataplane does that (NIC offload or
 * dpsctp_crc32c), the engine and tests use dataplane/sctp/crc32c_ref.h.
 */
#ifndef DPSCTP_SCTP_PACKET_H
#define DPSCTP_SCTP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlv.h"
#include "wbuf.h"

/** The common header in host byte order. */
struct dpsctp_common_hdr {
	uint16_t src_port; /**< source port */
	uint16_t dst_port; /**< destination port */
	uint32_t vtag;     /**< verification tag */
	uint32_t checksum; /**< CRC32c value as RFC 9260 appendix B defines it (see below) */
};

/** What dpsctp_packet_parse() learnt about a structurally valid packet. */
struct dpsctp_packet_info {
	struct dpsctp_common_hdr hdr; /**< the common header */
	const uint8_t *chunks;        /**< first chunk */
	const uint8_t *end;           /**< end of the packet */
	uint16_t nchunks;             /**< number of chunks, >= 1 */
	uint8_t first_type;           /**< type of the first chunk */
	uint8_t first_flags;          /**< flags of the first chunk */
	uint32_t types[8];            /**< bitmap of the chunk types present */
};

/** Is a chunk of @p type in the packet? */
static inline bool
dpsctp_packet_has(const struct dpsctp_packet_info *pi, uint8_t type)
{
	return (pi->types[type >> 5] >> (type & 31)) & 1;
}

/**
 * Write a common header with a zero checksum at the start of @p w.
 * @return 0 or -ENOSPC.
 */
int dpsctp_common_hdr_build(
	struct dpsctp_wbuf *w, uint16_t src_port, uint16_t dst_port, uint32_t vtag);

/**
 * Store a CRC32c value in the checksum field of the packet at @p pkt.
 *
 * The value is the one RFC 9260 appendix B defines and dpsctp_crc32c() returns (32 zero bytes
 * give 0x8A9136AA). It is computed over the whole packet with the checksum field set to zero and
 * is stored least significant byte first: 0x8A9136AA goes on the wire as aa 36 91 8a, the byte
 * order of RFC 3720 B.4 (what Linux does with cpu_to_le32()).
 */
static inline void
dpsctp_packet_set_checksum(uint8_t *pkt, uint32_t crc)
{
	dpsctp_put_le32(pkt + 8, crc);
}

/** Read the checksum field of the packet at @p pkt (inverse of dpsctp_packet_set_checksum()). */
static inline uint32_t
dpsctp_packet_get_checksum(const uint8_t *pkt)
{
	return dpsctp_get_le32(pkt + 8);
}

/**
 * Check the structure of the packet [@p pkt, @p pkt + @p len) and summarise it.
 *
 * Every chunk header is checked (RFC 9260 3.2: length >= 4, inside the packet, no trailing bytes
 * that are not a chunk), including chunks behind one whose unknown type says "stop": a packet
 * whose structure is broken anywhere is discarded whole.
 *
 * @return 0; -EBADMSG when shorter than a common header plus one chunk header or when a chunk is
 *	malformed; -EPROTO when INIT, INIT ACK or SHUTDOWN COMPLETE shares the packet with another
 *	chunk (RFC 9260 6.10). @p pi is filled on success only.
 */
int dpsctp_packet_parse(const uint8_t *pkt, size_t len, struct dpsctp_packet_info *pi);

#endif /* DPSCTP_SCTP_PACKET_H */
