/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast CRC32c the daemon uses (RFC 9260 6.8 and appendix A).
 *
 * SSE4.2 crc32 in three interleaved lanes for packet-sized buffers, ISA-L's PCLMULQDQ folding
 * (AVX-512 VPCLMULQDQ where present) for large ones, and the portable slicing-by-8 reference of
 * dataplane/sctp/crc32c_ref.h on CPUs without SSE4.2 and PCLMULQDQ. The kernel is chosen by CPU
 * flags once at start-up and by buffer length on each call. All return exactly the values of
 * dpsctp_crc32c_ref().
 *
 * Writing the checksum of an SCTP packet (RFC 9260 6.8): set the 4-byte checksum field of the
 * common header (offset 8) to zero, compute dpsctp_crc32c() over the whole packet (common header
 * and all chunks), and store the value least significant byte first at offset 8 with
 * dpsctp_packet_set_checksum(): 0x8A9136AA goes on the wire as aa 36 91 8a. Verifying is the
 * same computation with the received value saved and the field zeroed.
 */
#ifndef DPSCTP_DATAPLANE_CRC32C_H
#define DPSCTP_DATAPLANE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

#include "crc32c_ref.h" /* DPSCTP_CRC32C_INIT */

/**
 * The CRC32c checksum value of @p len bytes at @p buf (RFC 9260 appendix A).
 *
 * RFC 3720 B.4: 32 zero bytes give 0x8A9136AA, 32 bytes 0xff give 0x62A8AB43.
 *
 * @param buf the bytes, any alignment (may be NULL when @p len is 0)
 * @param len number of bytes
 * @return the value to store with dpsctp_packet_set_checksum() (least significant byte first)
 */
uint32_t dpsctp_crc32c(const void *buf, size_t len);

/**
 * Feed @p len bytes at @p buf into a raw CRC32c register, for packets spread over several
 * segments (multi-segment mbufs).
 *
 * No inversion is applied: start with DPSCTP_CRC32C_INIT, call once per segment in order and
 * finish with dpsctp_crc32c_final(). Any split of the bytes gives the same result.
 *
 * @param state the register: DPSCTP_CRC32C_INIT or the result of the previous call
 * @param buf   the bytes, any alignment (may be NULL when @p len is 0)
 * @param len   number of bytes
 * @return the updated register
 */
uint32_t dpsctp_crc32c_update(uint32_t state, const void *buf, size_t len);

/**
 * Turn a raw register of dpsctp_crc32c_update() into the checksum value (one's complement).
 *
 * @param state the register after the last segment
 * @return the value to store with dpsctp_packet_set_checksum()
 */
static inline uint32_t
dpsctp_crc32c_final(uint32_t state)
{
	return ~state;
}

/**
 * Name of the kernel dpsctp_crc32c() uses for a buffer of @p len bytes on this CPU, for logs
 * and benchmarks: "sse42-3way", "isal+sse42" (ISA-L with the 3-way kernel on the remainder) or
 * "reference".
 *
 * @param len buffer length in bytes
 * @return a static string
 */
const char *dpsctp_crc32c_impl_name(size_t len);

#endif /* DPSCTP_DATAPLANE_CRC32C_H */
