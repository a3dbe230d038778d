/* SPDX-License-Identifier: BSD-3-Clause */
/* State Cookie build and authentication (RFC 9260 5.1.3, 5.1.5), HMAC-SHA256 from OpenSSL. */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cookie.h"

#define COOKIE_VERSION 1

size_t
dpsctp_cookie_size(size_t init_len)
{
	return DPSCTP_COOKIE_HDR_LEN + dpsctp_pad4(init_len) + DPSCTP_COOKIE_MAC_LEN;
}

static int
cookie_mac(const uint8_t *key, const uint8_t *data, size_t len, uint8_t *mac)
{
	unsigned int mac_len = DPSCTP_COOKIE_MAC_LEN;

	if (HMAC(EVP_sha256(), key, DPSCTP_COOKIE_KEY_LEN, data, len, mac, &mac_len) == NULL ||
		mac_len != DPSCTP_COOKIE_MAC_LEN)
		return -EIO;
	return 0;
}

static void
put_addr(uint8_t *p, const struct dpsctp_addr *a)
{
	p[0] = a->family;
	memcpy(p + 1, a->bytes, 16);
}

static int
get_addr(const uint8_t *p, struct dpsctp_addr *a)
{
	if (p[0] != 4 && p[0] != 6)
		return -EBADMSG;
	a->family = p[0];
	memcpy(a->bytes, p + 1, 16);
	return 0;
}

int
dpsctp_cookie_build(struct dpsctp_wbuf *w, const struct dpsctp_cookie *c,
	const uint8_t key[DPSCTP_COOKIE_KEY_LEN])
{
	size_t total = dpsctp_cookie_size(c->init_len);
	uint8_t *p;

	if (c->init_len > DPSCTP_COOKIE_MAX_INIT)
		return -EINVAL;
	p = dpsctp_wbuf_reserve(w, total);
	if (p == NULL)
		return -ENOSPC;
	memset(p, 0, total);
	p[0] = COOKIE_VERSION;
	dpsctp_put_be64(p + 4, c->created);
	dpsctp_put_be64(p + 12, c->lifetime);
	dpsctp_put_be32(p + 20, c->local_tag);
	dpsctp_put_be32(p + 24, c->peer_tag);
	dpsctp_put_be32(p + 28, c->local_tsn);
	dpsctp_put_be32(p + 32, c->local_tie_tag);
	dpsctp_put_be32(p + 36, c->peer_tie_tag);
	dpsctp_put_be32(p + 40, c->local_rwnd);
	dpsctp_put_be16(p + 44, c->local_port);
	dpsctp_put_be16(p + 46, c->peer_port);
	dpsctp_put_be16(p + 48, c->os);
	dpsctp_put_be16(p + 50, c->mis);
	put_addr(p + 52, &c->path.local);
	put_addr(p + 69, &c->path.remote);
	dpsctp_put_be16(p + 86, (uint16_t)c->init_len);
	if (c->init_len > 0)
		memcpy(p + DPSCTP_COOKIE_HDR_LEN, c->init, c->init_len);
	if (cookie_mac(key, p, total - DPSCTP_COOKIE_MAC_LEN, p + total - DPSCTP_COOKIE_MAC_LEN)) {
		dpsctp_wbuf_rewind(w, w->len - total);
		return -EIO;
	}
	return 0;
}

int
dpsctp_cookie_open(const uint8_t *buf, size_t len, const uint8_t (*keys)[DPSCTP_COOKIE_KEY_LEN],
	unsigned int nkeys, struct dpsctp_cookie *out)
{
	uint8_t mac[DPSCTP_COOKIE_MAC_LEN];
	size_t init_len;
	unsigned int k;
	bool ok = false;

	if (len < DPSCTP_COOKIE_HDR_LEN + DPSCTP_COOKIE_MAC_LEN || buf[0] != COOKIE_VERSION)
		return -EBADMSG;
	init_len = dpsctp_get_be16(buf + 86);
	if (init_len > DPSCTP_COOKIE_MAX_INIT || dpsctp_cookie_size(init_len) != len)
		return -EBADMSG;
	/* 5.1.5 step 1-2: the MAC first, constant-time compare, before believing any field */
	for (k = 0; k < nkeys && !ok; k++) {
		if (cookie_mac(keys[k], buf, len - DPSCTP_COOKIE_MAC_LEN, mac) == 0 &&
			CRYPTO_memcmp(mac, buf + len - DPSCTP_COOKIE_MAC_LEN, sizeof(mac)) == 0)
			ok = true;
	}
	if (!ok)
		return -EACCES;
	out->created = dpsctp_get_be64(buf + 4);
	out->lifetime = dpsctp_get_be64(buf + 12);
	out->local_tag = dpsctp_get_be32(buf + 20);
	out->peer_tag = dpsctp_get_be32(buf + 24);
	out->local_tsn = dpsctp_get_be32(buf + 28);
	out->local_tie_tag = dpsctp_get_be32(buf + 32);
	out->peer_tie_tag = dpsctp_get_be32(buf + 36);
	out->local_rwnd = dpsctp_get_be32(buf + 40);
	out->local_port = dpsctp_get_be16(buf + 44);
	out->peer_port = dpsctp_get_be16(buf + 46);
	out->os = dpsctp_get_be16(buf + 48);
	out->mis = dpsctp_get_be16(buf + 50);
	if (get_addr(buf + 52, &out->path.local) || get_addr(buf + 69, &out->path.remote))
		return -EBADMSG;
	out->init = buf + DPSCTP_COOKIE_HDR_LEN;
	out->init_len = init_len;
	return 0;
}
