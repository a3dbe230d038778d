/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Portable reference CRC32c (RFC 9260 6.8 and appendix A; the iSCSI CRC of RFC 3720 B.4).
 *
 * Slicing-by-8 over build-time generated tables, pure C11: the engine, the unit tests and the
 * fuzzers use it, and the dataplane falls back to it on CPUs without SSE4.2 and PCLMULQDQ. The
 * daemon's fast path is dpsctp_crc32c() (dataplane/crc32c.h), which returns the same values.
 *
 * The checksum value is computed over the whole packet with the checksum field set to zero and
 * stored in the field least significant byte first (0x8A9136AA goes on the wire as aa 36 91 8a):
 * see dpsctp_packet_set_checksum() in packet.h.
 */
#ifndef DPSCTP_SCTP_CRC32C_REF_H
#define DPSCTP_SCTP_CRC32C_REF_H

#include <stddef.h>
#include <stdint.h>

/** Initial value of the raw CRC32c register (all ones, RFC 9260 appendix A). */
#define DPSCTP_CRC32C_INIT 0xFFFFFFFFu

/**
 * Feed @p len bytes at @p buf into a raw CRC32c register.
 *
 * No inversion is applied on entry or exit, so calls chain over consecutive pieces of a packet:
 * start with DPSCTP_CRC32C_INIT and take the one's complement of the last result.
 *
 * @param state the register: DPSCTP_CRC32C_INIT or the result of the previous call
 * @param buf   the bytes, any alignment (may be NULL when @p len is 0)
 * @param len   number of bytes
 * @return the updated register
 */
uint32_t dpsctp_crc32c_ref_update(uint32_t state, const void *buf, size_t len);

/**
 * The CRC32c checksum value of @p len bytes at @p buf, as RFC 9260 appendix A defines it:
 * ~dpsctp_crc32c_ref_update(DPSCTP_CRC32C_INIT, buf, len). 32 zero bytes give 0x8A9136AA.
 *
 * @param buf the bytes, any alignment (may be NULL when @p len is 0)
 * @param len number of bytes
 * @return the value to store with dpsctp_packet_set_checksum() (least significant byte first)
 */
uint32_t dpsctp_crc32c_ref(const void *buf, size_t len);

#endif /* DPSCTP_SCTP_CRC32C_REF_H */
