/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CRC32c: the reference (dataplane/sctp/crc32c_ref.c), dpsctp_crc32c() and each of its kernels
 * against published vectors, a real packet, each other and DPDK's rte_hash_crc().
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include <rte_hash_crc.h>

#include "crc32c.h"
#include "crc32c_kernels.h"
#include "crc32c_ref.h"
#include "packet.h"

/* A raw-register update: (state, buf, len) -> state, no inversions. */
typedef uint32_t update_fn(uint32_t state, const void *buf, size_t len);

struct impl {
	const char *name;
	update_fn *update;
};

static uint32_t
oneshot_update(uint32_t state, const void *buf, size_t len)
{
	/* dpsctp_crc32c() only starts from DPSCTP_CRC32C_INIT; the callers below only do that. */
	cr_assert_eq(state, DPSCTP_CRC32C_INIT);
	return ~dpsctp_crc32c(buf, len);
}

static uint32_t
ref_oneshot_update(uint32_t state, const void *buf, size_t len)
{
	cr_assert_eq(state, DPSCTP_CRC32C_INIT);
	return ~dpsctp_crc32c_ref(buf, len);
}

/* Every implementation; the kernels fall back to the reference where the CPU lacks them. */
static const struct impl impls[] = {
	{"reference", dpsctp_crc32c_ref_update},
	{"reference one-shot", ref_oneshot_update},
	{"dpsctp_crc32c", oneshot_update},
	{"dpsctp_crc32c_update", dpsctp_crc32c_update},
	{"sse42-3way kernel", dpsctp_crc32c_sse42_update},
	{"sse42-3way kernel, VEX", dpsctp_crc32c_sse42_vex_update},
	{"isal kernel", dpsctp_crc32c_isal_update},
	{"isal+sse42 kernel", dpsctp_crc32c_hybrid_update},
	{"isal+sse42 kernel, VEX", dpsctp_crc32c_hybrid_vex_update},
};
#define NIMPLS (sizeof(impls) / sizeof(impls[0]))

static uint32_t
checksum(const struct impl *im, const void *buf, size_t len)
{
	return ~im->update(DPSCTP_CRC32C_INIT, buf, len);
}

/* xorshift64*: deterministic, random-looking. */
static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1DULL;
}

static void
fill(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed | 1;
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(next_rand(&x) >> 56);
}

TestSuite(crc32c);

Test(crc32c, rfc3720_b4_vectors_hold_for_every_implementation)
{
	uint8_t zeros[32], ones[32], inc[32], dec[32];
	size_t i, k;

	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	for (i = 0; i < 32; i++) {
		inc[i] = (uint8_t)i;
		dec[i] = (uint8_t)(31 - i);
	}
	for (k = 0; k < NIMPLS; k++) {
		cr_expect_eq(checksum(&impls[k], zeros, 32), 0x8A9136AAu, "%s: 32 zero bytes",
			impls[k].name);
		cr_expect_eq(checksum(&impls[k], ones, 32), 0x62A8AB43u, "%s: 32 bytes 0xff",
			impls[k].name);
		cr_expect_eq(checksum(&impls[k], inc, 32), 0x46DD794Eu, "%s: bytes 0..31",
			impls[k].name);
		cr_expect_eq(checksum(&impls[k], dec, 32), 0x113FDB5Cu, "%s: bytes 31..0",
			impls[k].name);
	}
}

/*
 * RFC 3720 B.4 (also RFC 7143 A.4): an iSCSI Read (10) command PDU of 48 bytes. Its CRC32c
 * appears in the RFC as the bytes 56 3a 96 d9, the value 0xD9963A56 stored LSB first.
 */
Test(crc32c, rfc3720_iscsi_read_pdu_gives_its_published_crc)
{
	/* clang-format off */
	static const uint8_t pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	/* clang-format on */
	size_t k;

	for (k = 0; k < NIMPLS; k++)
		cr_expect_eq(
			checksum(&impls[k], pdu, sizeof(pdu)), 0xD9963A56u, "%s", impls[k].name);
}

/*
 * An SCTP INIT laid out as Linux (lksctp) sends it: ports 41772 -> 36412, verification tag 0,
 * INIT with a_rwnd 106496, 10 outbound / 65535 inbound streams, then the ECN, Forward-TSN-
 * Supported, Supported Extensions (FORWARD TSN, RE-CONFIG) and Supported Address Types (IPv4)
 * parameters. The bytes were written for this test; the checksum field (b9 2d db ef at offset
 * 8) was checked independently with Wireshark 4.0.17 (tshark -o sctp.checksum:crc-32c reports
 * "Checksum Status: Good" and no expert info for this packet in an IPv4 datagram).
 */
/* clang-format off */
static const uint8_t linux_init[56] = {
	0xa3, 0x2c, 0x8e, 0x3c, 0x00, 0x00, 0x00, 0x00, 0xb9, 0x2d, 0xdb, 0xef, /* common hdr */
	0x01, 0x00, 0x00, 0x2a, 0x5f, 0x2e, 0x9a, 0x13, 0x00, 0x01, 0xa0, 0x00, /* INIT */
	0x00, 0x0a, 0xff, 0xff, 0x7c, 0x4b, 0x01, 0xd2,
	0x80, 0x00, 0x00, 0x04,                         /* ECN capable */
	0xc0, 0x00, 0x00, 0x04,                         /* Forward-TSN supported */
	0x80, 0x08, 0x00, 0x06, 0xc0, 0x82, 0x00, 0x00, /* Supported Extensions */
	0x00, 0x0c, 0x00, 0x06, 0x00, 0x05, 0x00, 0x00, /* Supported Address Types */
};
/* clang-format on */

Test(crc32c, real_sctp_init_checksum_is_computed_with_the_field_zeroed_and_stored_lsb_first)
{
	uint8_t pkt[sizeof(linux_init)];
	size_t k;

	memcpy(pkt, linux_init, sizeof(pkt));
	memset(pkt + 8, 0, 4); /* RFC 9260 6.8: computed with the checksum field zeroed */
	cr_assert_eq(dpsctp_crc32c_ref(pkt, sizeof(pkt)), 0xEFDB2DB9u);
	for (k = 0; k < NIMPLS; k++)
		cr_expect_eq(
			checksum(&impls[k], pkt, sizeof(pkt)), 0xEFDB2DB9u, "%s", impls[k].name);
	dpsctp_packet_set_checksum(pkt, dpsctp_crc32c(pkt, sizeof(pkt)));
	cr_expect_arr_eq(pkt, linux_init, sizeof(pkt), "stored bytes differ from the wire");
	cr_expect_eq(dpsctp_packet_get_checksum(linux_init), 0xEFDB2DB9u);
}

/* Every length 0..2048 at every alignment 0..63, every implementation against the reference. */
Test(crc32c, every_implementation_matches_the_reference_for_all_lengths_and_alignments)
{
	enum { MAXLEN = 2048, ALIGNS = 64 };
	uint8_t *base = aligned_alloc(64, MAXLEN + ALIGNS + 64);
	size_t len, al, k;
	uint32_t want;
	int bad = 0;

	cr_assert_not_null(base);
	fill(base, MAXLEN + ALIGNS + 64, 0x5C7F);
	for (len = 0; len <= MAXLEN; len++) {
		for (al = 0; al < ALIGNS; al++) {
			want = dpsctp_crc32c_ref(base + al, len);
			for (k = 1; k < NIMPLS; k++) {
				if (checksum(&impls[k], base + al, len) == want)
					continue;
				if (bad++ < 10)
					cr_log_error(
						"%s: len %zu align %zu", impls[k].name, len, al);
			}
		}
	}
	free(base);
	cr_expect_eq(bad, 0, "%d mismatches", bad);
}

/*
 * Lengths past the 0..2048 sweep: the 3-way kernel's fixed 3-lane blocks (> 3072 bytes) and
 * the ISA-L body that needs a leading ISA-L pass (> 64 blocks of 256 bytes).
 */
Test(crc32c, long_buffers_match_the_reference)
{
	static const size_t lens[] = {3071, 3072, 3073, 3080, 3081, 6144, 6151, 9000, 16383, 16384,
		16385, 16391, 16640, 16641, 16648, 20000, 65543, 70001};
	const size_t max = 70001 + 8;
	uint8_t *base = malloc(max);
	size_t i, al, k;
	uint32_t want;

	cr_assert_not_null(base);
	fill(base, max, 0xB16B00B5);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (al = 0; al < 8; al += 3) {
			want = dpsctp_crc32c_ref(base + al, lens[i]);
			for (k = 1; k < NIMPLS; k++)
				cr_expect_eq(checksum(&impls[k], base + al, lens[i]), want,
					"%s: len %zu align %zu", impls[k].name, lens[i], al);
		}
	}
	free(base);
}

/* Multi-segment packets: any split of the bytes gives the one-shot value. */
Test(crc32c, incremental_update_over_arbitrary_splits_equals_one_shot)
{
	enum { MAXLEN = 12000 };
	uint8_t *buf = malloc(MAXLEN);
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	uint32_t fast, ref, want;
	size_t len, off, n;
	int round;

	cr_assert_not_null(buf);
	fill(buf, MAXLEN, 42);
	for (round = 0; round < 2000; round++) {
		len = (size_t)(next_rand(&rng) % (round < 1000 ? 1600 : MAXLEN));
		want = dpsctp_crc32c_ref(buf, len);
		fast = DPSCTP_CRC32C_INIT;
		ref = DPSCTP_CRC32C_INIT;
		for (off = 0; off < len; off += n) {
			/* Mostly small pieces, sometimes big ones, sometimes empty ones. */
			switch (next_rand(&rng) % 4) {
			case 0:
				n = 0;
				break;
			case 1:
				n = (size_t)(next_rand(&rng) % 16);
				break;
			case 2:
				n = (size_t)(next_rand(&rng) % 300);
				break;
			default:
				n = (size_t)(next_rand(&rng) % (len + 1));
				break;
			}
			if (n > len - off)
				n = len - off;
			fast = dpsctp_crc32c_update(fast, buf + off, n);
			ref = dpsctp_crc32c_ref_update(ref, buf + off, n);
		}
		cr_assert_eq(dpsctp_crc32c_final(fast), want, "len %zu round %d", len, round);
		cr_assert_eq(~ref, want, "reference: len %zu round %d", len, round);
	}
	/* The split at the kernel crossover itself. */
	fast = dpsctp_crc32c_update(DPSCTP_CRC32C_INIT, buf, DPSCTP_CRC32C_ISAL_MIN - 1);
	fast = dpsctp_crc32c_update(fast, buf + DPSCTP_CRC32C_ISAL_MIN - 1, 2);
	cr_expect_eq(dpsctp_crc32c_final(fast), dpsctp_crc32c_ref(buf, DPSCTP_CRC32C_ISAL_MIN + 1));
	free(buf);
}

/*
 * DPDK's rte_hash_crc() is the same CRC32c register without the inversions. It is only fed
 * 8-byte aligned buffers: it reads unaligned 64-bit words through a plain pointer cast, which
 * UBSan reports.
 */
Test(crc32c, agrees_with_rte_hash_crc_with_sctp_inversions)
{
	enum { MAXLEN = 2048 };
	uint8_t *buf = aligned_alloc(64, MAXLEN + 64);
	uint32_t rte;
	size_t len;

	cr_assert_not_null(buf);
	fill(buf, MAXLEN + 64, 7);
	for (len = 0; len <= MAXLEN; len++) {
		rte = rte_hash_crc(buf, (uint32_t)len, 0xFFFFFFFF) ^ 0xFFFFFFFF;
		cr_expect_eq(dpsctp_crc32c(buf, len), rte, "len %zu", len);
		cr_expect_eq(dpsctp_crc32c_ref(buf, len), rte, "reference: len %zu", len);
		if (rte != dpsctp_crc32c(buf, len))
			break;
	}
	free(buf);
}

/*
 * ISA-L takes an int length: longer buffers are chunked. 2 GiB + 13 bytes of zero pages
 * (mapped, not allocated), ISA-L against the 3-way kernel, which takes a size_t.
 */
Test(crc32c, buffers_longer_than_int_max_are_chunked_for_isal)
{
	const size_t len = ((size_t)1 << 31) + 13;
	uint32_t isal, sse;
	void *p;

	if (sizeof(size_t) < 8)
		cr_skip_test("32-bit size_t");
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		cr_skip_test("cannot map 2 GiB");
	isal = dpsctp_crc32c_isal_update(0x12345678, p, len);
	sse = dpsctp_crc32c_sse42_update(0x12345678, p, len);
	cr_expect_eq(isal, sse);
	cr_expect_eq(dpsctp_crc32c_update(0x12345678, p, len), sse);
	munmap(p, len);
}

Test(crc32c, impl_name_names_a_kernel_for_every_length)
{
	static const size_t lens[] = {0, 1, 64, 128, 1480, 9000, (size_t)1 << 32};
	const char *name;
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		name = dpsctp_crc32c_impl_name(lens[i]);
		cr_assert_not_null(name);
		cr_expect(strcmp(name, "sse42-3way") == 0 || strcmp(name, "isal+sse42") == 0 ||
				  strcmp(name, "reference") == 0,
			"%zu: %s", lens[i], name);
	}
	if (dpsctp_crc32c_have_hw())
		cr_expect_str_eq(dpsctp_crc32c_impl_name(128), "sse42-3way");
}
