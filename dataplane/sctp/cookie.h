/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The State Cookie (RFC 9260 5.1.3): everything needed to build an association from a
 * COOKIE ECHO without having kept any state after INIT, authenticated with HMAC-SHA256.
 *
 * Layout (network byte order), all of it covered by the MAC:
 *   0  version (1)          1  reserved (3 bytes)
 *   4  created, ns (u64)    12 lifetime, ns (u64)
 *   20 local tag            24 peer tag            28 local initial TSN
 *   32 local tie-tag        36 peer tie-tag        40 local a_rwnd
 *   44 local port (u16)     46 peer port (u16)     48 outbound streams offered (u16)
 *   50 inbound streams offered (u16)
 *   52 local address: family (1) + 16 bytes       69 remote address: family (1) + 16 bytes
 *   86 length of the peer's INIT chunk (u16)       88 the peer's INIT chunk, whole, raw
 *   then zero padding to 4 bytes, then the 32-byte HMAC-SHA256.
 * The peer's INIT is kept raw so that COOKIE ECHO processing parses its parameters with the
 * same code as INIT processing did.
 */
#ifndef DPSCTP_SCTP_COOKIE_H
#define DPSCTP_SCTP_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "wbuf.h"

/** Size of a cookie secret and of the MAC, bytes. */
#define DPSCTP_COOKIE_KEY_LEN 32
#define DPSCTP_COOKIE_MAC_LEN 32

/** Largest peer INIT chunk we put into a cookie (bytes); bigger INITs are not answered. */
#define DPSCTP_COOKIE_MAX_INIT 2048

/** Fixed part of the cookie before the INIT chunk, bytes. */
#define DPSCTP_COOKIE_HDR_LEN 88

/** What a cookie says (host order). */
struct dpsctp_cookie {
	uint64_t created;      /**< time the INIT ACK was built, ns (the engine's clock) */
	uint64_t lifetime;     /**< how long it stays valid, ns */
	uint32_t local_tag;    /**< the Initiate Tag of our INIT ACK */
	uint32_t peer_tag;     /**< the Initiate Tag of the peer's INIT */
	uint32_t local_tsn;    /**< the Initial TSN of our INIT ACK */
	uint32_t local_tie_tag; /**< 5.2.2 Local-Tie-Tag (0 when no association existed) */
	uint32_t peer_tie_tag;  /**< 5.2.2 Peer's-Tie-Tag (0 when no association existed) */
	uint32_t local_rwnd;   /**< a_rwnd we advertised */
	uint16_t local_port;   /**< our port */
	uint16_t peer_port;    /**< the peer's port */
	uint16_t os;           /**< outbound streams we offered in INIT ACK */
	uint16_t mis;          /**< inbound streams we offered in INIT ACK */
	struct dpsctp_path path; /**< the path the INIT arrived on */
	const uint8_t *init;   /**< the peer's INIT chunk (header included) */
	size_t init_len;       /**< bytes of @c init, at most DPSCTP_COOKIE_MAX_INIT */
};

/** Bytes dpsctp_cookie_build will write for @p init_len bytes of INIT. */
size_t dpsctp_cookie_size(size_t init_len);

/**
 * Append the cookie (the State Cookie parameter's value, without the parameter header) to @p w,
 * MAC'd with @p key. @return 0, -EINVAL (INIT too long) or -ENOSPC.
 */
int dpsctp_cookie_build(struct dpsctp_wbuf *w, const struct dpsctp_cookie *c,
	const uint8_t key[DPSCTP_COOKIE_KEY_LEN]);

/**
 * Authenticate and decode a received cookie against each of @p nkeys secrets (current first).
 * @c out->init points into @p buf. Lifetime is NOT checked here (the caller compares
 * @c created + @c lifetime with its clock, after the MAC, as 5.1.5 orders).
 * @return 0, -EBADMSG (wrong size or version) or -EACCES (no key gives the MAC).
 */
int dpsctp_cookie_open(const uint8_t *buf, size_t len, const uint8_t (*keys)[DPSCTP_COOKIE_KEY_LEN],
	unsigned int nkeys, struct dpsctp_cookie *out);

#endif /* DPSCTP_SCTP_COOKIE_H */
