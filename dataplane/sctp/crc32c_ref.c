/* SPDX-License-Identifier: BSD-3-Clause */
/* Portable reference CRC32c: slicing-by-8 (RFC 9260 appendix A, RFC 3720 B.4). */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crc32c_ref.h"
#include "crc32c_tables.h"

/* One byte through table 0: the textbook reflected update. */
static inline uint32_t
crc_byte(uint32_t crc, uint8_t b)
{
	return (crc >> 8) ^ dpsctp_crc32c_tables[0][(crc ^ b) & 0xff];
}

/*
 * Eight bytes at once. The register is folded into the first four bytes; each byte then
 * indexes the table for the number of bytes that follow it in the group. The group is
 * assembled explicitly from bytes, so the code is correct on hosts of either byte order
 * (compilers turn it into a single load on little-endian hosts).
 */
static inline uint32_t
crc_8bytes(uint32_t crc, const uint8_t *p)
{
	uint32_t lo, hi;
	uint8_t w[8];

	memcpy(w, p, sizeof(w));
	lo = crc ^
	     ((uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24);
	hi = (uint32_t)w[4] | (uint32_t)w[5] << 8 | (uint32_t)w[6] << 16 | (uint32_t)w[7] << 24;
	return dpsctp_crc32c_tables[7][lo & 0xff] ^ dpsctp_crc32c_tables[6][(lo >> 8) & 0xff] ^
	       dpsctp_crc32c_tables[5][(lo >> 16) & 0xff] ^ dpsctp_crc32c_tables[4][lo >> 24] ^
	       dpsctp_crc32c_tables[3][hi & 0xff] ^ dpsctp_crc32c_tables[2][(hi >> 8) & 0xff] ^
	       dpsctp_crc32c_tables[1][(hi >> 16) & 0xff] ^ dpsctp_crc32c_tables[0][hi >> 24];
}

uint32_t
dpsctp_crc32c_ref_update(uint32_t state, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len == 0)
		return state;
	/* Byte-wise up to an 8-byte boundary, so the wide loads below are aligned. */
	while (len > 0 && ((uintptr_t)p & 7) != 0) {
		state = crc_byte(state, *p++);
		len--;
	}
	while (len >= 8) {
		state = crc_8bytes(state, p);
		p += 8;
		len -= 8;
	}
	while (len > 0) {
		state = crc_byte(state, *p++);
		len--;
	}
	return state;
}

uint32_t
dpsctp_crc32c_ref(const void *buf, size_t len)
{
	return ~dpsctp_crc32c_ref_update(DPSCTP_CRC32C_INIT, buf, len);
}
