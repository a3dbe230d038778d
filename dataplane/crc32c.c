/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fast CRC32c (RFC 9260 appendix A): 3-way SSE4.2 crc32 for packets, ISA-L for large buffers,
 * the portable reference otherwise. No DPDK here: the daemon links this with ISA-L only.
 *
 * The 3-way kernel. One crc32 instruction has a latency of 3 cycles but the CPU can start one
 * per cycle, so the buffer is cut in three consecutive lanes A, B and C run in parallel: A starts
 * with the incoming register, B and C with 0. By linearity of the CRC,
 *
 *	crc(s, A|B|C) = shift(crc(s, A), |B| + |C|) ^ shift(crc(0, B), |C|) ^ crc(0, C)
 *
 * where shift(r, n) is the register r followed by n zero bytes, i.e. R(x) * x^(8n) mod P.
 *
 * Deriving the shift. Registers are bit-reflected: bit i of a 32-bit value is the coefficient of
 * x^(31-i), bit i of a 64-bit crc32 operand the coefficient of x^(63-i), and
 * _mm_crc32_u64(0, v) = V(x) * x^32 mod P. The carry-less product p = clmul(r, k) of two
 * reflected 32-bit values has in bit m the coefficient of x^(62-m) of R*K, so read as a 64-bit
 * operand it is V = x * R * K, and _mm_crc32_u64(0, p) = R * K * x^33 mod P. Hence
 *
 *	shift(r, n) = _mm_crc32_u64(0, clmul(r, K_n)),   K_n = x^(8n - 33) mod P (reflected).
 *
 * Because _mm_crc32_u64(c, w ^ p) = _mm_crc32_u64(c, w) ^ _mm_crc32_u64(0, p), the two shifted
 * lanes are folded into the operand of the LAST crc32 of lane C instead of costing one more
 * crc32 after it. Lane lengths are whole 8-byte words, and lane C is a few words longer than A
 * and B, so its chain is still running while they are shifted. The 0..7 odd bytes are fed into
 * lane A first, which has that slack, so they are off the critical path. Buffers longer than
 * 3 * LANE_MAX_QW words are done in fixed 3-lane blocks; below SPLIT_MIN_QW words one chain is
 * faster.
 *
 * The constants K[m] = x^(64m - 33) mod P for shifts of m whole words are computed once at
 * start-up (crc32c_init()) and checked by the unit tests against the reference for every length
 * from 0 to 2048 at 64 alignments.
 *
 * Every kernel is compiled twice: with legacy SSE encoding, and with VEX encoding for CPUs with
 * AVX. Legacy SSE instructions keep bits 128..511 of the register they write, so they wait for
 * whatever AVX-512 code (ISA-L's VPCLMULQDQ folding, a PMD's AVX-512 path) last wrote the full
 * register; VEX instructions zero those bits and do not. Measured: the ISA-L + 3-way hybrid of
 * 1472 bytes takes 43.6 ns with legacy encoding and 40.0 ns with VEX.
 *
 * Large buffers go to ISA-L (crc_large()); the crossover, DPSCTP_CRC32C_ISAL_MIN, was measured
 * with tests/bench/bench_crc32c, figures at crc_update().
 */

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <isa-l/crc.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <wmmintrin.h>
#define CRC32C_HAVE_X86 1
#else
#define CRC32C_HAVE_X86 0
#endif

#include "crc32c.h"
#include "crc32c_kernels.h"
#include "crc32c_ref.h"

#define CRC32C_POLY_REFLECTED 0x82F63B78u

/* Longest lane of the 3-way kernel, in 8-byte words: a block is 3 * 128 * 8 = 3072 bytes. */
#define LANE_MAX_QW 128
/*
 * Splitting q words among the lanes. A and B get (q - SPLIT_SKEW_QW) / 3 words each and C the
 * rest: C is longer, so its chain still runs while A and B are shifted (crc32 3 cycles, the
 * shift ~13: GPR->XMM, PCLMULQDQ, XMM->GPR, XOR). Below SPLIT_MIN_QW words one sequential chain
 * is faster than paying for the shift. Both measured with dependent calls, 24..256 bytes:
 * skew 3 is 0..0.6 ns faster than 4 and 0..3 ns faster than 1 (128 bytes: 9.6, 9.6, 10.3 ns);
 * at 48 bytes (6 words) the 3-way kernel takes 7.3 ns, one chain 7.0 ns.
 */
#define SPLIT_SKEW_QW 3
#define SPLIT_MIN_QW 7
_Static_assert(SPLIT_MIN_QW == 7, "crc_small() has straight-line code for up to 6 words");
_Static_assert(
	SPLIT_MIN_QW >= SPLIT_SKEW_QW + 3 && SPLIT_SKEW_QW >= 1, "crc_3way() needs nc > na >= 1");
/* ISA-L folds 256 bytes per iteration (crc32_iscsi_by16_10). */
#define ISAL_BLOCK 256
/* Longest body, in ISA-L blocks, that crc_large() shifts with one constant (16 KiB). */
#define BODY_K_MAX 64
/*
 * Shifts of whole words: lane A moves by |B| + |C| = q - na words, at most 2 * LANE_MAX_QW + 2
 * for the q <= 3 * LANE_MAX_QW words of the last split.
 */
#define K_COUNT (2 * LANE_MAX_QW + 3)

#if CRC32C_HAVE_X86
/* Written once by the constructor before crc_hw is set; read-only afterwards. */
static uint64_t k_table[K_COUNT];
/* body_k[j] = x^(8 * 256 * j - 33) mod P: shift by j ISA-L blocks. */
static uint64_t body_k[BODY_K_MAX + 1];
#endif
static bool crc_hw;  /* SSE4.2 and PCLMULQDQ */
static bool crc_vex; /* and AVX: use the VEX-encoded kernels */

/*
 * ISA-L's crc32_iscsi() takes the raw register and returns it, without inversions (the unit
 * tests check it on the RFC 3720 vectors). Its length is an int: longer buffers go in 1 GiB
 * chunks, a multiple of every folding width.
 */
#define ISAL_CHUNK ((size_t)1 << 30)
_Static_assert(ISAL_CHUNK <= INT_MAX, "ISA-L takes an int length");

static uint32_t
crc_isal(uint32_t crc, const uint8_t *p, size_t len)
{
	const size_t chunk = ISAL_CHUNK;
	size_t n;

	while (len > 0) {
		n = len < chunk ? len : chunk;
		/* ISA-L's prototype lacks const; it only reads the buffer. */
		crc = crc32_iscsi((unsigned char *)(uintptr_t)p, (int)n, crc);
		p += n;
		len -= n;
	}
	return crc;
}

#if CRC32C_HAVE_X86

#define TARGET_HW __attribute__((target("sse4.2,pclmul")))
#define TARGET_VEX __attribute__((target("avx,sse4.2,pclmul")))
/* Kernel bodies: inlined into a legacy-SSE and a VEX entry point each. */
#define KERNEL static inline __attribute__((always_inline)) TARGET_HW

static inline uint64_t
load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t
load16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The 0..7 bytes that do not make a whole word, at p. */
KERNEL uint32_t
crc_odd_bytes(uint32_t crc, const uint8_t *p, size_t n)
{
	if (n & 4)
		crc = _mm_crc32_u32(crc, load32(p));
	if (n & 2)
		crc = _mm_crc32_u16(crc, load16(p + (n & 4)));
	if (n & 1)
		crc = _mm_crc32_u8(crc, p[n & 6]);
	return crc;
}

/*
 * Lanes of na, na and nc words at p + o (nc > na >= 1); returns the register after all of
 * them, lane A starting from crc. Every load is p plus an offset held in a register, so no
 * address arithmetic sits between p and the first loads.
 */
KERNEL uint32_t
crc_3way(uint32_t crc, const uint8_t *p, size_t o, size_t na, size_t nc)
{
	const size_t ob = o + na * 8, oc = o + 2 * na * 8;
	const size_t last = oc + (nc - 1) * 8;
	uint64_t a = crc, b = 0, c = 0;
	__m128i pa, pb;
	size_t i;

	for (i = 0; i < na * 8; i += 8) {
		a = _mm_crc32_u64(a, load64(p + o + i));
		b = _mm_crc32_u64(b, load64(p + ob + i));
		c = _mm_crc32_u64(c, load64(p + oc + i));
	}
	/* The last word of C waits for the shifted A and B. */
	for (; i < last - oc; i += 8)
		c = _mm_crc32_u64(c, load64(p + oc + i));
	/* shift(A, |B| + |C|) ^ shift(B, |C|), folded into the last word of C. */
	pa = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a),
		_mm_cvtsi64_si128((long long)k_table[na + nc]), 0x00);
	pb = _mm_clmulepi64_si128(
		_mm_cvtsi64_si128((long long)b), _mm_cvtsi64_si128((long long)k_table[nc]), 0x00);
	pa = _mm_xor_si128(pa, pb);
	return (uint32_t)_mm_crc32_u64(c, load64(p + last) ^ (uint64_t)_mm_cvtsi128_si64(pa));
}

/* Any length; the kernel for packets. */
KERNEL uint32_t
crc_small(uint32_t crc, const uint8_t *p, size_t len)
{
	size_t o = len & 7; /* offset of the first whole word */
	size_t q = len >> 3;
	uint64_t c;
	size_t na;

	crc = crc_odd_bytes(crc, p, o);
	while (q > 3 * LANE_MAX_QW) {
		crc = crc_3way(crc, p, o, LANE_MAX_QW - 1, LANE_MAX_QW + 2);
		o += 3 * LANE_MAX_QW * 8;
		q -= 3 * LANE_MAX_QW;
	}
	if (q >= SPLIT_MIN_QW) {
		na = (q - SPLIT_SKEW_QW) / 3;
		return crc_3way(crc, p, o, na, q - 2 * na);
	}
	/*
	 * Straight-line code for the last 0..SPLIT_MIN_QW-1 words, addressed back from p + len:
	 * no loop branch to mispredict.
	 */
	c = crc;
	switch (q) {
	case 6:
		c = _mm_crc32_u64(c, load64(p + len - 48));
		/* fallthrough */
	case 5:
		c = _mm_crc32_u64(c, load64(p + len - 40));
		/* fallthrough */
	case 4:
		c = _mm_crc32_u64(c, load64(p + len - 32));
		/* fallthrough */
	case 3:
		c = _mm_crc32_u64(c, load64(p + len - 24));
		/* fallthrough */
	case 2:
		c = _mm_crc32_u64(c, load64(p + len - 16));
		/* fallthrough */
	case 1:
		c = _mm_crc32_u64(c, load64(p + len - 8));
		/* fallthrough */
	default:
		break;
	}
	return (uint32_t)c;
}

/*
 * Large buffers. ISA-L is fast on whole 256-byte folding blocks but does any remainder 16
 * bytes at a time, serially (up to ~25 ns more here: 1472 bytes take 58 ns, 1280 take 37). So
 * the buffer is cut into a head of len % 256 bytes and a body of whole blocks,
 *
 *	crc(s, head|body) = shift(crc(s, head), |body|) ^ crc(0, body),
 *
 * ISA-L folds the body from a zero register while crc_small() does the head and shifts it;
 * only the final XOR waits for ISA-L (1472 bytes: 39 ns). ISA-L is called first: issued
 * after it, the crc32 chain of the head runs in its shadow; issued before, it holds ISA-L's
 * instructions back (1472 bytes: 47 ns). Bodies longer than BODY_K_MAX blocks start with a
 * plain ISA-L pass carrying the incoming register.
 */
KERNEL uint32_t
crc_large(uint32_t crc, const uint8_t *p, size_t len)
{
	size_t head = len & (ISAL_BLOCK - 1);
	size_t blocks = len / ISAL_BLOCK;
	size_t n;
	uint32_t body;
	__m128i x;

	if (blocks == 0)
		return crc_small(crc, p, len);
	if (blocks > BODY_K_MAX) {
		n = (blocks - BODY_K_MAX) * ISAL_BLOCK;
		crc = crc_isal(crc, p, n);
		p += n;
		blocks = BODY_K_MAX;
	}
	if (head == 0)
		return crc_isal(crc, p, blocks * ISAL_BLOCK);
	body = crc_isal(0, p + head, blocks * ISAL_BLOCK);
	crc = crc_small(crc, p, head);
	x = _mm_clmulepi64_si128(
		_mm_cvtsi32_si128((int)crc), _mm_cvtsi64_si128((long long)body_k[blocks]), 0x00);
	return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(x)) ^ body;
}

static TARGET_HW uint32_t
crc_small_sse(uint32_t crc, const uint8_t *p, size_t len)
{
	return crc_small(crc, p, len);
}

static TARGET_VEX uint32_t
crc_small_vex(uint32_t crc, const uint8_t *p, size_t len)
{
	return crc_small(crc, p, len);
}

static TARGET_HW uint32_t
crc_large_sse(uint32_t crc, const uint8_t *p, size_t len)
{
	return crc_large(crc, p, len);
}

static TARGET_VEX uint32_t
crc_large_vex(uint32_t crc, const uint8_t *p, size_t len)
{
	return crc_large(crc, p, len);
}

/* x^n mod P, reflected (bit i is the coefficient of x^(31-i)). */
static uint32_t
xpow_mod(uint32_t v, unsigned int n)
{
	while (n-- > 0)
		v = (v >> 1) ^ ((v & 1) ? CRC32C_POLY_REFLECTED : 0);
	return v;
}

#endif /* CRC32C_HAVE_X86 */

__attribute__((constructor)) static void
crc32c_init(void)
{
#if CRC32C_HAVE_X86
	uint32_t v;
	int m;

	__builtin_cpu_init();
	if (!__builtin_cpu_supports("sse4.2") || !__builtin_cpu_supports("pclmul"))
		return;
	/* K[m] = x^(64m - 33): x^31 is bit 0, then multiply by x^64 per step. */
	k_table[0] = 0; /* never used: every lane has at least one word */
	v = 1;
	for (m = 1; m < K_COUNT; m++) {
		k_table[m] = v;
		v = xpow_mod(v, 64);
	}
	/* body_k[j] = x^(2048j - 33): x^2015, then multiply by x^2048 per step. */
	body_k[0] = 0; /* never used: a body has at least one block */
	v = xpow_mod(0x80000000u, 2048 - 33);
	for (m = 1; m <= BODY_K_MAX; m++) {
		body_k[m] = v;
		v = xpow_mod(v, 2048);
	}
	crc_hw = true;
	crc_vex = __builtin_cpu_supports("avx");
#endif
}

bool
dpsctp_crc32c_have_hw(void)
{
	return crc_hw;
}

bool
dpsctp_crc32c_have_vex(void)
{
	return crc_vex;
}

uint32_t
dpsctp_crc32c_sse42_update(uint32_t state, const void *buf, size_t len)
{
#if CRC32C_HAVE_X86
	if (crc_hw)
		return crc_small_sse(state, buf, len);
#endif
	return dpsctp_crc32c_ref_update(state, buf, len);
}

uint32_t
dpsctp_crc32c_sse42_vex_update(uint32_t state, const void *buf, size_t len)
{
#if CRC32C_HAVE_X86
	if (crc_vex)
		return crc_small_vex(state, buf, len);
#endif
	return dpsctp_crc32c_sse42_update(state, buf, len);
}

uint32_t
dpsctp_crc32c_isal_update(uint32_t state, const void *buf, size_t len)
{
	return crc_isal(state, buf, len);
}

uint32_t
dpsctp_crc32c_hybrid_update(uint32_t state, const void *buf, size_t len)
{
#if CRC32C_HAVE_X86
	if (crc_hw)
		return crc_large_sse(state, buf, len);
#endif
	return crc_isal(state, buf, len);
}

uint32_t
dpsctp_crc32c_hybrid_vex_update(uint32_t state, const void *buf, size_t len)
{
#if CRC32C_HAVE_X86
	if (crc_vex)
		return crc_large_vex(state, buf, len);
#endif
	return dpsctp_crc32c_hybrid_update(state, buf, len);
}

/*
 * The dispatcher, inlined into both entry points: predictable branches on flags set once at
 * start-up, then one direct call into the kernel (no function pointer).
 *
 * Crossover (DPSCTP_CRC32C_ISAL_MIN = 672), measured like bench_crc32c (dependent calls, best
 * of 5) on the development machine (AMD EPYC, Zen 4, ~3.7 GHz; VEX kernels), ns per buffer:
 *
 *	bytes        512   576   608   640   672   704   736   768   1024  1472
 *	3-way       22.5  24.9  25.7  26.8  28.2  29.0  30.0  31.4  39.8  54.9
 *	isal+3-way  24.4  25.7  26.2  25.6  26.0  25.8  25.5  28.2  32.2  38.7
 *	isal alone  24.4  30.8  34.7  38.0  41.8  45.4  48.9  27.8  32.2  57.5
 *
 * The 3-way kernel costs ~0.27 ns per 8 bytes (one crc32 per cycle); the hybrid costs what
 * ISA-L takes for the whole 256-byte blocks (~19 ns for one, ~3.5 ns per further block), the
 * head being hidden. At 640 bytes the two tie within run-to-run noise (+-0.6 ns over three
 * runs); from 672 on the hybrid won every run.
 */
static inline uint32_t
crc_update(uint32_t state, const uint8_t *p, size_t len)
{
#if CRC32C_HAVE_X86
	if (__builtin_expect(crc_vex, 1))
		return len < DPSCTP_CRC32C_ISAL_MIN ? crc_small_vex(state, p, len)
						    : crc_large_vex(state, p, len);
	if (crc_hw)
		return len < DPSCTP_CRC32C_ISAL_MIN ? crc_small_sse(state, p, len)
						    : crc_large_sse(state, p, len);
#endif
	return dpsctp_crc32c_ref_update(state, p, len);
}

uint32_t
dpsctp_crc32c_update(uint32_t state, const void *buf, size_t len)
{
	return crc_update(state, buf, len);
}

uint32_t
dpsctp_crc32c(const void *buf, size_t len)
{
	return ~crc_update(DPSCTP_CRC32C_INIT, buf, len);
}

const char *
dpsctp_crc32c_impl_name(size_t len)
{
	if (!crc_hw)
		return "reference";
	return len < DPSCTP_CRC32C_ISAL_MIN ? "sse42-3way" : "isal+sse42";
}
