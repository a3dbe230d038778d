/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal: the kernels behind dpsctp_crc32c(), exposed one by one for the unit tests and the
 * benchmark. The daemon calls dpsctp_crc32c() / dpsctp_crc32c_update() only.
 */
#ifndef DPSCTP_DATAPLANE_CRC32C_KERNELS_H
#define DPSCTP_DATAPLANE_CRC32C_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Buffers of at least this many bytes go to the ISA-L + 3-way hybrid, shorter ones to the
 * 3-way SSE4.2 kernel. Measured crossover, figures at crc_update() in crc32c.c.
 */
#define DPSCTP_CRC32C_ISAL_MIN 672

/**
 * Do this CPU's flags (SSE4.2 and PCLMULQDQ) allow the 3-way kernel? When false, the kernel
 * functions below fall back to the reference (ISA-L to its own portable code).
 */
bool dpsctp_crc32c_have_hw(void);

/** Does this CPU also have AVX, so that the VEX-encoded kernels are used? */
bool dpsctp_crc32c_have_vex(void);

/**
 * Raw register update with the 3-way interleaved SSE4.2 crc32 kernel (any length), legacy
 * SSE encoding.
 * @param state raw register (DPSCTP_CRC32C_INIT to start)
 * @param buf   the bytes
 * @param len   number of bytes
 * @return the updated raw register
 */
uint32_t dpsctp_crc32c_sse42_update(uint32_t state, const void *buf, size_t len);

/** As dpsctp_crc32c_sse42_update(), VEX-encoded (the legacy one without AVX). */
uint32_t dpsctp_crc32c_sse42_vex_update(uint32_t state, const void *buf, size_t len);

/**
 * Raw register update with ISA-L's crc32_iscsi() (any length, chunked above INT_MAX).
 * @param state raw register (DPSCTP_CRC32C_INIT to start)
 * @param buf   the bytes
 * @param len   number of bytes
 * @return the updated raw register
 */
uint32_t dpsctp_crc32c_isal_update(uint32_t state, const void *buf, size_t len);

/**
 * Raw register update with the kernel for large buffers: ISA-L over whole 256-byte blocks and
 * the 3-way kernel over the remainder, in parallel, joined with one PCLMULQDQ (any length).
 * Without SSE4.2 and PCLMULQDQ it is ISA-L alone.
 * @param state raw register (DPSCTP_CRC32C_INIT to start)
 * @param buf   the bytes
 * @param len   number of bytes
 * @return the updated raw register
 */
uint32_t dpsctp_crc32c_hybrid_update(uint32_t state, const void *buf, size_t len);

/** As dpsctp_crc32c_hybrid_update(), VEX-encoded (the legacy one without AVX). */
uint32_t dpsctp_crc32c_hybrid_vex_update(uint32_t state, const void *buf, size_t len);

#endif /* DPSCTP_DATAPLANE_CRC32C_KERNELS_H */
