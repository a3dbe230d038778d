/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Chunk and parameter / cause TLV iteration and building (tlv.h): RFC 9260 3.2 lengths and
 * padding, unknown-type actions, rollback on -ENOSPC, -EMSGSIZE.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tlv.h"
#include "wbuf.h"
#include "wire.h"

TestSuite(tlv);

/* An exact-size heap copy, so that a read past the end trips AddressSanitizer. */
static uint8_t *
dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *m = malloc(n != 0 ? n : 1);

	cr_assert_not_null(m);
	if (n != 0)
		memcpy(m, p, n);
	return m;
}

/*
 * Iteration: dpsctp_chunk_next() and dpsctp_tlv_next() share one contract.
 */

/* Call the chunk or the TLV iterator on [p, p + n), from a cursor @p *cur. */
static int
next_of(int chunk, const uint8_t **cur, const uint8_t *end)
{
	struct dpsctp_chunk c;
	struct dpsctp_tlv t;

	return chunk ? dpsctp_chunk_next(cur, end, &c) : dpsctp_tlv_next(cur, end, &t);
}

Test(tlv, zero_bytes_give_zero_and_do_not_move_the_cursor)
{
	static const uint8_t none[1];
	int chunk;

	for (chunk = 0; chunk < 2; chunk++) {
		const uint8_t *p = none;

		cr_assert_eq(next_of(chunk, &p, none), 0);
		cr_assert_eq(p, none);
	}
	cr_assert_eq(dpsctp_tlv_check_all(none, none), 0);
}

Test(tlv, fewer_than_four_bytes_are_rejected_with_the_cursor_unchanged)
{
	static const uint8_t raw[3] = {1, 0, 0};
	size_t n;
	int chunk;

	for (chunk = 0; chunk < 2; chunk++) {
		for (n = 1; n < 4; n++) {
			uint8_t *m = dup_bytes(raw, n);
			const uint8_t *p = m;

			cr_assert_eq(next_of(chunk, &p, m + n), -EBADMSG, "%zu bytes", n);
			cr_assert_eq(p, m);
			free(m);
		}
	}
}

Test(tlv, a_length_below_four_is_rejected_with_the_cursor_unchanged)
{
	uint8_t raw[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	unsigned int l;
	int chunk;

	for (chunk = 0; chunk < 2; chunk++) {
		for (l = 0; l < 4; l++) {
			const uint8_t *p = raw;

			raw[3] = (uint8_t)l;
			cr_assert_eq(
				next_of(chunk, &p, raw + sizeof(raw)), -EBADMSG, "length %u", l);
			cr_assert_eq(p, raw);
		}
	}
}

Test(tlv, a_length_beyond_the_end_is_rejected_with_the_cursor_unchanged)
{
	uint8_t raw[8] = {1, 0, 0, 9, 1, 2, 3, 4};
	int chunk;

	for (chunk = 0; chunk < 2; chunk++) {
		uint8_t *m = dup_bytes(raw, sizeof(raw));
		const uint8_t *p = m;

		cr_assert_eq(next_of(chunk, &p, m + sizeof(raw)), -EBADMSG);
		cr_assert_eq(p, m);
		dpsctp_put_be16(m + 2, 0xffff);
		cr_assert_eq(next_of(chunk, &p, m + sizeof(raw)), -EBADMSG);
		cr_assert_eq(p, m);
		free(m);
	}
}

Test(tlv, chunk_fields_are_decoded_and_the_cursor_skips_the_padding)
{
	static const uint8_t raw[] = {
		0x00, 0x03, 0x00, 0x05, 0xaa, 0, 0, 0, /* DATA-typed, flags 3, 1 byte + padding */
		0xc1, 0xff, 0x00, 0x08, 1, 2, 3, 4,    /* type 193, flags 0xff, 4 bytes */
	};
	const uint8_t *p = raw;
	struct dpsctp_chunk c;

	cr_assert_eq(dpsctp_chunk_next(&p, raw + sizeof(raw), &c), 1);
	cr_assert_eq(c.type, 0);
	cr_assert_eq(c.flags, 3);
	cr_assert_eq(c.len, 5);
	cr_assert_eq(c.value, raw + 4);
	cr_assert_eq(dpsctp_chunk_value_len(&c), 1);
	cr_assert_eq(p, raw + 8);
	cr_assert_eq(dpsctp_chunk_next(&p, raw + sizeof(raw), &c), 1);
	cr_assert_eq(c.type, 0xc1);
	cr_assert_eq(c.flags, 0xff);
	cr_assert_eq(c.len, 8);
	cr_assert_eq(c.value, raw + 12);
	cr_assert_eq(p, raw + sizeof(raw));
	cr_assert_eq(dpsctp_chunk_next(&p, raw + sizeof(raw), &c), 0);
}

Test(tlv, tlv_fields_are_decoded_big_endian)
{
	static const uint8_t raw[] = {
		0xc0, 0x01, 0x00, 0x06, 'a', 'b', 0, 0, 0x80, 0x00, 0x00, 0x04};
	const uint8_t *p = raw;
	struct dpsctp_tlv t;

	cr_assert_eq(dpsctp_tlv_next(&p, raw + sizeof(raw), &t), 1);
	cr_assert_eq(t.type, 0xc001);
	cr_assert_eq(t.len, 6);
	cr_assert_eq(t.value, raw + 4);
	cr_assert_eq(dpsctp_tlv_value_len(&t), 2);
	cr_assert_eq(p, raw + 8);
	cr_assert_eq(dpsctp_tlv_next(&p, raw + sizeof(raw), &t), 1);
	cr_assert_eq(t.type, 0x8000);
	cr_assert_eq(t.len, 4);
	cr_assert_eq(p, raw + sizeof(raw));
	cr_assert_eq(dpsctp_tlv_check_all(raw, raw + sizeof(raw)), 2);
}

Test(tlv, missing_padding_after_the_last_tlv_is_accepted)
{
	static const uint8_t raw[] = {0, 1, 0, 8, 1, 2, 3, 4, 0, 7, 0, 5, 'x', 0, 0};
	size_t n;
	int chunk;

	/* 13 bytes: no padding; 14 and 15: part of it. */
	for (chunk = 0; chunk < 2; chunk++) {
		for (n = 13; n <= 15; n++) {
			uint8_t *m = dup_bytes(raw, n);
			const uint8_t *p = m;

			cr_assert_eq(next_of(chunk, &p, m + n), 1);
			cr_assert_eq(next_of(chunk, &p, m + n), 1, "%zu bytes", n);
			cr_assert_eq(p, m + n);
			cr_assert_eq(next_of(chunk, &p, m + n), 0);
			if (!chunk)
				cr_assert_eq(dpsctp_tlv_check_all(m, m + n), 2);
			free(m);
		}
	}
}

Test(tlv, one_to_three_trailing_bytes_are_rejected_with_the_cursor_unchanged)
{
	static const uint8_t raw[] = {0, 1, 0, 8, 1, 2, 3, 4, 0, 0, 0};
	size_t extra;
	int chunk;

	for (chunk = 0; chunk < 2; chunk++) {
		for (extra = 1; extra <= 3; extra++) {
			size_t n = 8 + extra;
			uint8_t *m = dup_bytes(raw, n);
			const uint8_t *p = m;

			cr_assert_eq(next_of(chunk, &p, m + n), 1);
			cr_assert_eq(p, m + 8);
			cr_assert_eq(next_of(chunk, &p, m + n), -EBADMSG, "%zu trailing", extra);
			cr_assert_eq(p, m + 8);
			if (!chunk)
				cr_assert_eq(dpsctp_tlv_check_all(m, m + n), -EBADMSG);
			free(m);
		}
	}
}

Test(tlv, check_all_counts_a_well_formed_sequence_and_rejects_a_broken_one)
{
	static const uint8_t good[] = {
		0,
		1,
		0,
		4,
		0,
		2,
		0,
		5,
		9,
		0,
		0,
		0,
		0xff,
		0xff,
		0,
		6,
		1,
		2,
	};
	uint8_t bad[sizeof(good)];

	cr_assert_eq(dpsctp_tlv_check_all(good, good + sizeof(good)), 3);
	memcpy(bad, good, sizeof(good));
	bad[15] = 7; /* last one runs one byte past the end */
	cr_assert_eq(dpsctp_tlv_check_all(bad, bad + sizeof(bad)), -EBADMSG);
	memcpy(bad, good, sizeof(good));
	bad[7] = 0; /* a zero-length one in the middle */
	cr_assert_eq(dpsctp_tlv_check_all(bad, bad + sizeof(bad)), -EBADMSG);
}

/*
 * Unknown-type actions: the upper two bits (RFC 9260 3.2, 3.2.1).
 */

Test(tlv, unknown_chunk_action_follows_the_upper_two_bits)
{
	unsigned int t;

	for (t = 0; t < 256; t++) {
		enum dpsctp_unknown_action want = t < 0x40   ? DPSCTP_UNKNOWN_STOP
						  : t < 0x80 ? DPSCTP_UNKNOWN_STOP_REPORT
						  : t < 0xc0 ? DPSCTP_UNKNOWN_SKIP
							     : DPSCTP_UNKNOWN_SKIP_REPORT;

		cr_assert_eq(dpsctp_chunk_unknown_action((uint8_t)t), want, "type %u", t);
	}
	cr_assert_eq(dpsctp_chunk_unknown_action(0x3f), DPSCTP_UNKNOWN_STOP);
	cr_assert_eq(dpsctp_chunk_unknown_action(0x40), DPSCTP_UNKNOWN_STOP_REPORT);
	cr_assert_eq(dpsctp_chunk_unknown_action(0xbf), DPSCTP_UNKNOWN_SKIP);
	cr_assert_eq(dpsctp_chunk_unknown_action(0xc0), DPSCTP_UNKNOWN_SKIP_REPORT);
}

Test(tlv, unknown_param_action_follows_the_upper_two_bits)
{
	unsigned int t;

	for (t = 0; t < 65536; t++) {
		enum dpsctp_unknown_action want = t < 0x4000   ? DPSCTP_UNKNOWN_STOP
						  : t < 0x8000 ? DPSCTP_UNKNOWN_STOP_REPORT
						  : t < 0xc000 ? DPSCTP_UNKNOWN_SKIP
							       : DPSCTP_UNKNOWN_SKIP_REPORT;

		cr_assert_eq(dpsctp_param_unknown_action((uint16_t)t), want, "type %#x", t);
	}
	cr_assert_eq(dpsctp_param_unknown_action(DPSCTP_PARAM_ECN_CAPABLE), DPSCTP_UNKNOWN_SKIP);
	cr_assert_eq(dpsctp_param_unknown_action(DPSCTP_PARAM_FORWARD_TSN_SUPPORTED),
		DPSCTP_UNKNOWN_SKIP_REPORT);
	cr_assert_eq(dpsctp_param_unknown_action(DPSCTP_PARAM_STATE_COOKIE), DPSCTP_UNKNOWN_STOP);
	cr_assert_eq(dpsctp_param_unknown_action(0x4000), DPSCTP_UNKNOWN_STOP_REPORT);
}

/*
 * Building: chunk_begin / chunk_end, tlv_begin / tlv_end / tlv_put.
 */

Test(tlv, chunk_length_excludes_the_final_padding)
{
	uint8_t b[32];
	struct dpsctp_wbuf w;
	size_t mark;

	memset(b, 0xee, sizeof(b));
	dpsctp_wbuf_init(&w, b, sizeof(b));
	cr_assert_eq(dpsctp_chunk_begin(&w, 0xc0, 0x5a, &mark), 0);
	cr_assert_eq(mark, 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, "abcde", 5), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(w.len, 12);
	cr_assert_eq(b[0], 0xc0);
	cr_assert_eq(b[1], 0x5a);
	cr_assert_eq(dpsctp_get_be16(b + 2), 9);
	cr_assert_eq(b[9], 0);
	cr_assert_eq(b[10], 0);
	cr_assert_eq(b[11], 0);
	cr_assert_eq(b[12], 0xee, "nothing written past the padding");
}

Test(tlv, an_empty_chunk_has_length_four_and_no_padding)
{
	uint8_t b[8];
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, b, sizeof(b));
	cr_assert_eq(dpsctp_chunk_begin(&w, 11, 0, &mark), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(w.len, 4);
	cr_assert_eq(dpsctp_get_be16(b + 2), 4);
}

Test(tlv, chunk_begin_pads_the_previous_chunk)
{
	uint8_t b[32];
	struct dpsctp_wbuf w;
	size_t mark;

	memset(b, 0xee, sizeof(b));
	dpsctp_wbuf_init(&w, b, sizeof(b));
	w.len = 13;
	cr_assert_eq(dpsctp_chunk_begin(&w, 7, 0, &mark), 0);
	cr_assert_eq(mark, 16);
	cr_assert_eq(b[13], 0);
	cr_assert_eq(b[14], 0);
	cr_assert_eq(b[15], 0);
	cr_assert_eq(w.len, 20);
}

Test(tlv, a_param_padding_is_counted_when_another_param_follows)
{
	uint8_t b[64];
	struct dpsctp_wbuf w;
	size_t mark;

	/* RFC 9260 3.2: the chunk length includes the padding of all but the last parameter. */
	dpsctp_wbuf_init(&w, b, sizeof(b));
	cr_assert_eq(dpsctp_chunk_begin(&w, 1, 0, &mark), 0);
	cr_assert_eq(dpsctp_tlv_put(&w, 0x0007, "hello", 5), 0);
	cr_assert_eq(dpsctp_tlv_put(&w, 0x000b, "xyz", 3), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(dpsctp_get_be16(b + 2), 4 + 12 + 7);
	cr_assert_eq(w.len, 24);
	cr_assert_eq(dpsctp_get_be16(b + 4), 0x0007);
	cr_assert_eq(dpsctp_get_be16(b + 6), 9, "a TLV length excludes its padding");
	cr_assert_eq(b[13], 0);
	cr_assert_eq(b[14], 0);
	cr_assert_eq(b[15], 0);
	cr_assert_eq(dpsctp_get_be16(b + 16), 0x000b);
	cr_assert_eq(dpsctp_get_be16(b + 18), 7);
	cr_assert_eq(b[23], 0);
	cr_assert_eq(dpsctp_tlv_check_all(b + 4, b + dpsctp_get_be16(b + 2)), 2);
}

Test(tlv, tlv_begin_and_end_write_a_nested_value)
{
	uint8_t b[32];
	struct dpsctp_wbuf w;
	size_t cmark, tmark;

	dpsctp_wbuf_init(&w, b, sizeof(b));
	cr_assert_eq(dpsctp_chunk_begin(&w, 9, 0, &cmark), 0);
	cr_assert_eq(dpsctp_tlv_begin(&w, 0xabcd, &tmark), 0);
	cr_assert_eq(tmark, 4);
	cr_assert_eq(dpsctp_wbuf_put(&w, "ab", 2), 0);
	cr_assert_eq(dpsctp_tlv_end(&w, tmark), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, cmark), 0);
	cr_assert_eq(dpsctp_get_be16(b + 4), 0xabcd);
	cr_assert_eq(dpsctp_get_be16(b + 6), 6);
	cr_assert_eq(dpsctp_get_be16(b + 2), 10);
	cr_assert_eq(w.len, 12);
}

Test(tlv, tlv_put_rolls_back_for_every_capacity_too_small)
{
	uint8_t b[32];
	size_t prefix, cap;

	/* From 5: padding (3) + header (4) + value (5) = 17 bytes needed. */
	for (prefix = 4; prefix <= 5; prefix++) {
		size_t need = dpsctp_pad4(prefix) + 4 + 5;

		for (cap = prefix; cap < need; cap++) {
			struct dpsctp_wbuf w;

			dpsctp_wbuf_init(&w, b, cap);
			w.len = prefix;
			cr_assert_eq(dpsctp_tlv_put(&w, 1, "abcde", 5), -ENOSPC, "cap %zu", cap);
			cr_assert_eq(w.len, prefix, "cap %zu", cap);
		}
		{
			struct dpsctp_wbuf w;

			dpsctp_wbuf_init(&w, b, need);
			w.len = prefix;
			cr_assert_eq(dpsctp_tlv_put(&w, 1, "abcde", 5), 0);
			cr_assert_eq(w.len, need);
		}
	}
}

Test(tlv, begin_fails_with_enospc_and_writes_nothing)
{
	uint8_t b[16];
	size_t cap, mark;

	for (cap = 5; cap < 12; cap++) {
		struct dpsctp_wbuf w;

		dpsctp_wbuf_init(&w, b, cap);
		w.len = 5;
		cr_assert_eq(dpsctp_chunk_begin(&w, 0, 0, &mark), -ENOSPC, "cap %zu", cap);
		cr_assert_eq(w.len, 5);
		cr_assert_eq(dpsctp_tlv_begin(&w, 0, &mark), -ENOSPC, "cap %zu", cap);
		cr_assert_eq(w.len, 5);
	}
}

Test(tlv, chunk_end_fails_with_enospc_when_the_padding_does_not_fit)
{
	uint8_t b[8];
	struct dpsctp_wbuf w;
	size_t mark;

	dpsctp_wbuf_init(&w, b, 6);
	cr_assert_eq(dpsctp_chunk_begin(&w, 0, 0, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, "x", 1), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), -ENOSPC);
	dpsctp_wbuf_rewind(&w, mark);
	cr_assert_eq(w.len, 0);
}

Test(tlv, lengths_beyond_65535_fail_with_emsgsize)
{
	size_t cap = 70000;
	uint8_t *b = calloc(1, cap);
	uint8_t *v = calloc(1, cap);
	struct dpsctp_wbuf w;
	size_t mark;

	cr_assert_not_null(b);
	cr_assert_not_null(v);
	/* A chunk: 4 + 65531 = 65535 is the most. */
	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_chunk_begin(&w, 0, 0, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, v, 65531), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	cr_assert_eq(dpsctp_get_be16(b + 2), 65535);
	cr_assert_eq(w.len, 65536);
	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_chunk_begin(&w, 0, 0, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, v, 65532), 0);
	cr_assert_eq(dpsctp_chunk_end(&w, mark), -EMSGSIZE);
	/* A TLV: tlv_put rolls back, tlv_end reports. */
	dpsctp_wbuf_init(&w, b, cap);
	cr_assert_eq(dpsctp_tlv_put(&w, 1, v, 65531), 0);
	cr_assert_eq(dpsctp_get_be16(b + 2), 65535);
	dpsctp_wbuf_init(&w, b, cap);
	w.len = 4;
	cr_assert_eq(dpsctp_tlv_put(&w, 1, v, 65532), -EMSGSIZE);
	cr_assert_eq(w.len, 4);
	cr_assert_eq(dpsctp_tlv_begin(&w, 1, &mark), 0);
	cr_assert_eq(dpsctp_wbuf_put(&w, v, 65532), 0);
	cr_assert_eq(dpsctp_tlv_end(&w, mark), -EMSGSIZE);
	free(b);
	free(v);
}

Test(tlv, built_chunks_iterate_back)
{
	uint8_t b[64];
	struct dpsctp_wbuf w;
	struct dpsctp_chunk c;
	const uint8_t *p;
	size_t mark;
	unsigned int i;

	dpsctp_wbuf_init(&w, b, sizeof(b));
	for (i = 0; i < 4; i++) {
		cr_assert_eq(dpsctp_chunk_begin(&w, (uint8_t)(i + 1), (uint8_t)i, &mark), 0);
		cr_assert_eq(dpsctp_wbuf_put(&w, "abc", i), 0);
		cr_assert_eq(dpsctp_chunk_end(&w, mark), 0);
	}
	p = b;
	for (i = 0; i < 4; i++) {
		cr_assert_eq(dpsctp_chunk_next(&p, b + w.len, &c), 1);
		cr_assert_eq(c.type, i + 1);
		cr_assert_eq(c.flags, i);
		cr_assert_eq(c.len, 4 + i);
	}
	cr_assert_eq(dpsctp_chunk_next(&p, b + w.len, &c), 0);
}
