/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sample SCTP packets built with the codec: together they hold every chunk type, every parameter
 * and every error cause dpsctp knows. Used by the tshark check (tests/validate), as the fuzzer's
 * seed corpus (tests/fuzz) and by the render tests.
 */
#ifndef DPSCTP_TESTS_SAMPLES_H
#define DPSCTP_TESTS_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

/** Number of sample packets. */
unsigned int dpsctp_sample_count(void);

/** Short name of sample @p i ("init-all-params", "sack-gaps-dups", ...), NULL past the end. */
const char *dpsctp_sample_name(unsigned int i);

/**
 * Build sample packet @p i (common header + chunks, CRC32c filled in) into @p buf.
 * @return its length in bytes, or a negative errno (-ENOSPC, -ERANGE for a bad index).
 */
int dpsctp_sample_build(unsigned int i, uint8_t *buf, size_t cap);

#endif /* DPSCTP_TESTS_SAMPLES_H */
