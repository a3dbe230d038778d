/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The State Cookie (cookie.h): RFC 9260 5.1.3 build, 5.1.5 steps 1-2 authentication. Round trip
 * of every field, key rotation (current and previous secret), tampering anywhere, bad sizes,
 * and clean -EINVAL / -ENOSPC failures.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cookie.h"
#include "wbuf.h"

TestSuite(cookie);

static uint8_t key_a[DPSCTP_COOKIE_KEY_LEN];
static uint8_t key_b[DPSCTP_COOKIE_KEY_LEN];
static uint8_t init_bytes[DPSCTP_COOKIE_MAX_INIT + 8];

static void
fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 31 * i + (i >> 3));
}

static void
sample(struct dpsctp_cookie *c, size_t init_len)
{
	static const uint8_t v6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

	fill(key_a, sizeof(key_a), 1);
	fill(key_b, sizeof(key_b), 2);
	fill(init_bytes, sizeof(init_bytes), 3);
	memset(c, 0, sizeof(*c));
	c->created = 0x0102030405060708ull;
	c->lifetime = 0x1112131415161718ull;
	c->local_tag = 0xa1a2a3a4;
	c->peer_tag = 0xb1b2b3b4;
	c->local_tsn = 0xc1c2c3c4;
	c->local_tie_tag = 0xd1d2d3d4;
	c->peer_tie_tag = 0xe1e2e3e4;
	c->local_rwnd = 0xf1f2f3f4;
	c->local_port = 0x1234;
	c->peer_port = 0x5678;
	c->os = 0x9abc;
	c->mis = 0xdef0;
	c->path.local.family = 4;
	c->path.local.bytes[0] = 192;
	c->path.local.bytes[1] = 0;
	c->path.local.bytes[2] = 2;
	c->path.local.bytes[3] = 1;
	c->path.remote.family = 6;
	memcpy(c->path.remote.bytes, v6, 16);
	c->init = init_bytes;
	c->init_len = init_len;
}

/* Build @p c with @p key into a fresh heap buffer of exactly the cookie's size. */
static uint8_t *
build(const struct dpsctp_cookie *c, const uint8_t *key, size_t *len)
{
	size_t n = dpsctp_cookie_size(c->init_len);
	uint8_t *buf = malloc(n);
	struct dpsctp_wbuf w;

	cr_assert_not_null(buf);
	dpsctp_wbuf_init(&w, buf, n);
	cr_assert_eq(dpsctp_cookie_build(&w, c, key), 0);
	cr_assert_eq(w.len, n);
	*len = n;
	return buf;
}

static void
assert_same(const struct dpsctp_cookie *got, const struct dpsctp_cookie *want)
{
	cr_assert_eq(got->created, want->created);
	cr_assert_eq(got->lifetime, want->lifetime);
	cr_assert_eq(got->local_tag, want->local_tag);
	cr_assert_eq(got->peer_tag, want->peer_tag);
	cr_assert_eq(got->local_tsn, want->local_tsn);
	cr_assert_eq(got->local_tie_tag, want->local_tie_tag);
	cr_assert_eq(got->peer_tie_tag, want->peer_tie_tag);
	cr_assert_eq(got->local_rwnd, want->local_rwnd);
	cr_assert_eq(got->local_port, want->local_port);
	cr_assert_eq(got->peer_port, want->peer_port);
	cr_assert_eq(got->os, want->os);
	cr_assert_eq(got->mis, want->mis);
	cr_assert_eq(got->path.local.family, want->path.local.family);
	cr_assert_arr_eq(got->path.local.bytes, want->path.local.bytes, 16);
	cr_assert_eq(got->path.remote.family, want->path.remote.family);
	cr_assert_arr_eq(got->path.remote.bytes, want->path.remote.bytes, 16);
	cr_assert_eq(got->init_len, want->init_len);
	if (want->init_len > 0)
		cr_assert_arr_eq(got->init, want->init, want->init_len);
}

Test(cookie, size_is_header_padded_init_and_mac)
{
	cr_assert_eq(dpsctp_cookie_size(0), DPSCTP_COOKIE_HDR_LEN + DPSCTP_COOKIE_MAC_LEN);
	cr_assert_eq(dpsctp_cookie_size(17), DPSCTP_COOKIE_HDR_LEN + 20 + DPSCTP_COOKIE_MAC_LEN);
	cr_assert_eq(dpsctp_cookie_size(20), DPSCTP_COOKIE_HDR_LEN + 20 + DPSCTP_COOKIE_MAC_LEN);
}

Test(cookie, open_returns_every_field_that_was_built)
{
	static const size_t lens[] = {0, 1, 17, 20, 300, DPSCTP_COOKIE_MAX_INIT};
	unsigned int i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct dpsctp_cookie c, out;
		size_t len;
		uint8_t *buf;

		sample(&c, lens[i]);
		buf = build(&c, key_a, &len);
		memset(&out, 0xee, sizeof(out));
		cr_assert_eq(
			dpsctp_cookie_open(buf, len, &key_a, 1, &out), 0, "init_len %zu", lens[i]);
		assert_same(&out, &c);
		/* zero copy: the INIT points into the cookie, after the fixed header */
		cr_assert_eq(out.init, buf + DPSCTP_COOKIE_HDR_LEN);
		free(buf);
	}
}

Test(cookie, build_appends_after_what_the_buffer_holds)
{
	struct dpsctp_cookie c, out;
	uint8_t buf[512];
	struct dpsctp_wbuf w;
	size_t n;

	sample(&c, 17);
	n = dpsctp_cookie_size(17);
	memset(buf, 0x5a, sizeof(buf));
	dpsctp_wbuf_init(&w, buf, sizeof(buf));
	w.len = 8;
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), 0);
	cr_assert_eq(w.len, 8 + n);
	cr_assert_eq(buf[0], 0x5a);
	cr_assert_eq(buf[7], 0x5a);
	cr_assert_eq(dpsctp_cookie_open(buf + 8, n, &key_a, 1, &out), 0);
	assert_same(&out, &c);
}

Test(cookie, open_takes_ipv4_and_ipv6_on_either_side)
{
	struct dpsctp_cookie c, out;
	struct dpsctp_addr t;
	size_t len;
	uint8_t *buf;

	sample(&c, 8);
	t = c.path.local;
	c.path.local = c.path.remote;
	c.path.remote = t;
	buf = build(&c, key_a, &len);
	cr_assert_eq(dpsctp_cookie_open(buf, len, &key_a, 1, &out), 0);
	assert_same(&out, &c);
	free(buf);
}

/* The lifetime is the caller's check (after the MAC, 5.1.5 step 3), not open's. */
Test(cookie, open_does_not_judge_the_lifetime)
{
	struct dpsctp_cookie c, out;
	size_t len;
	uint8_t *buf;

	sample(&c, 4);
	c.created = 0;
	c.lifetime = 0;
	buf = build(&c, key_a, &len);
	cr_assert_eq(dpsctp_cookie_open(buf, len, &key_a, 1, &out), 0);
	cr_assert_eq(out.created, 0);
	cr_assert_eq(out.lifetime, 0);
	free(buf);
}

/* 5.1.3: secrets rotate; a cookie made with the previous one stays valid. */
Test(cookie, mac_is_verified_with_the_current_key)
{
	const uint8_t(*keys)[DPSCTP_COOKIE_KEY_LEN];
	uint8_t both[2][DPSCTP_COOKIE_KEY_LEN];
	struct dpsctp_cookie c, out;
	size_t len;
	uint8_t *buf;

	sample(&c, 17);
	buf = build(&c, key_a, &len);
	memcpy(both[0], key_a, sizeof(key_a));
	memcpy(both[1], key_b, sizeof(key_b));
	keys = (const uint8_t(*)[DPSCTP_COOKIE_KEY_LEN])both;
	cr_assert_eq(dpsctp_cookie_open(buf, len, keys, 2, &out), 0);
	assert_same(&out, &c);
	free(buf);
}

Test(cookie, mac_is_verified_with_the_previous_key)
{
	const uint8_t(*keys)[DPSCTP_COOKIE_KEY_LEN];
	uint8_t both[2][DPSCTP_COOKIE_KEY_LEN];
	struct dpsctp_cookie c, out;
	size_t len;
	uint8_t *buf;

	sample(&c, 17);
	buf = build(&c, key_b, &len);
	memcpy(both[0], key_a, sizeof(key_a));
	memcpy(both[1], key_b, sizeof(key_b));
	keys = (const uint8_t(*)[DPSCTP_COOKIE_KEY_LEN])both;
	cr_assert_eq(dpsctp_cookie_open(buf, len, keys, 2, &out), 0);
	assert_same(&out, &c);
	/* ... but not when only the current key is offered */
	cr_assert_eq(dpsctp_cookie_open(buf, len, keys, 1, &out), -EACCES);
	free(buf);
}

Test(cookie, wrong_key_is_refused_with_eacces)
{
	struct dpsctp_cookie c, out;
	size_t len;
	uint8_t *buf;

	sample(&c, 17);
	buf = build(&c, key_a, &len);
	memset(&out, 0, sizeof(out));
	cr_assert_eq(dpsctp_cookie_open(buf, len, &key_b, 1, &out), -EACCES);
	cr_assert_eq(dpsctp_cookie_open(buf, len, &key_a, 0, &out), -EACCES);
	free(buf);
}

/* No single-bit change anywhere (header, INIT, padding, MAC) yields an accepted cookie. */
static void
flip_every_bit(size_t init_len)
{
	struct dpsctp_cookie c, out;
	size_t len, bit;
	uint8_t *buf;

	sample(&c, init_len);
	buf = build(&c, key_a, &len);
	for (bit = 0; bit < 8 * len; bit++) {
		int rc;

		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = dpsctp_cookie_open(buf, len, &key_a, 1, &out);
		cr_assert(rc == -EACCES || rc == -EBADMSG, "bit %zu (byte %zu) flipped: rc %d", bit,
			bit / 8, rc);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	cr_assert_eq(dpsctp_cookie_open(buf, len, &key_a, 1, &out), 0);
	free(buf);
}

Test(cookie, any_flipped_bit_is_refused)
{
	/* 17: padding bytes, and length flips that keep the padded size (17 -> 19) */
	flip_every_bit(17);
	flip_every_bit(0);
}

Test(cookie, wrong_lengths_are_refused_with_ebadmsg)
{
	struct dpsctp_cookie c, out;
	uint8_t big[1024];
	size_t len, i;
	uint8_t *buf;
	static const long deltas[] = {-1, -3, -4, -32, 1, 3, 4, 32};

	sample(&c, 17);
	buf = build(&c, key_a, &len);
	memset(big, 0, sizeof(big));
	memcpy(big, buf, len);
	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		size_t n = (size_t)((long)len + deltas[i]);

		cr_assert_eq(
			dpsctp_cookie_open(big, n, &key_a, 1, &out), -EBADMSG, "length %zu", n);
	}
	cr_assert_eq(dpsctp_cookie_open(big, 0, &key_a, 1, &out), -EBADMSG);
	cr_assert_eq(dpsctp_cookie_open(big, DPSCTP_COOKIE_HDR_LEN + DPSCTP_COOKIE_MAC_LEN - 1,
			     &key_a, 1, &out),
		-EBADMSG);
	free(buf);
}

Test(cookie, truncated_cookie_is_refused_without_reading_past_its_end)
{
	struct dpsctp_cookie c, out;
	size_t len, n;
	uint8_t *buf;

	sample(&c, 17);
	buf = build(&c, key_a, &len);
	for (n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1); /* exact size: ASan sees any over-read */

		cr_assert_not_null(copy);
		memcpy(copy, buf, n);
		cr_assert_eq(
			dpsctp_cookie_open(copy, n, &key_a, 1, &out), -EBADMSG, "length %zu", n);
		free(copy);
	}
	free(buf);
}

Test(cookie, init_longer_than_max_is_refused_with_einval)
{
	struct dpsctp_cookie c;
	uint8_t *buf = malloc(2 * DPSCTP_COOKIE_MAX_INIT + 256);
	struct dpsctp_wbuf w;

	cr_assert_not_null(buf);
	sample(&c, DPSCTP_COOKIE_MAX_INIT + 1);
	dpsctp_wbuf_init(&w, buf, 2 * DPSCTP_COOKIE_MAX_INIT + 256);
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), -EINVAL);
	cr_assert_eq(w.len, 0);
	c.init_len = DPSCTP_COOKIE_MAX_INIT;
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), 0);
	free(buf);
}

Test(cookie, too_small_buffer_gives_enospc_and_writes_nothing)
{
	struct dpsctp_cookie c;
	uint8_t buf[512];
	struct dpsctp_wbuf w;
	size_t n, i;

	sample(&c, 17);
	n = dpsctp_cookie_size(17);
	memset(buf, 0x77, sizeof(buf));
	dpsctp_wbuf_init(&w, buf, n - 1);
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), -ENOSPC);
	cr_assert_eq(w.len, 0);
	for (i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0x77, "byte %zu written", i);
	/* with something already in the buffer: its length is kept */
	dpsctp_wbuf_init(&w, buf, n + 3);
	w.len = 4;
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), -ENOSPC);
	cr_assert_eq(w.len, 4);
	for (i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0x77, "byte %zu written", i);
	dpsctp_wbuf_init(&w, buf, n);
	cr_assert_eq(dpsctp_cookie_build(&w, &c, key_a), 0);
}

/* Two cookies that differ in one field have different MACs: the MAC covers the header. */
Test(cookie, mac_covers_the_fixed_fields)
{
	struct dpsctp_cookie c, out;
	size_t la, lb;
	uint8_t *a, *b;

	sample(&c, 17);
	a = build(&c, key_a, &la);
	c.peer_tag ^= 1;
	b = build(&c, key_a, &lb);
	cr_assert_eq(la, lb);
	cr_assert_arr_neq(a + la - DPSCTP_COOKIE_MAC_LEN, b + lb - DPSCTP_COOKIE_MAC_LEN,
		DPSCTP_COOKIE_MAC_LEN);
	/* b's MAC does not authenticate a's fields */
	memcpy(a + la - DPSCTP_COOKIE_MAC_LEN, b + lb - DPSCTP_COOKIE_MAC_LEN,
		DPSCTP_COOKIE_MAC_LEN);
	cr_assert_eq(dpsctp_cookie_open(a, la, &key_a, 1, &out), -EACCES);
	free(a);
	free(b);
}
