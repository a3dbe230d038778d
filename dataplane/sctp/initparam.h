/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * INIT and INIT ACK parameters: what the peer offered (RFC 9260 3.3.2, 3.3.3, 5.1) and ours.
 *
 * Parsing applies the upper-two-bit rule of 3.2.1 to every parameter this engine does not
 * implement; such parameters are collected for the report the RFC asks for (Unrecognized
 * Parameter in INIT ACK, or an ERROR with Unrecognized Parameters after an INIT ACK).
 */
#ifndef DPSCTP_SCTP_INITPARAM_H
#define DPSCTP_SCTP_INITPARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "engine.h"
#include "wbuf.h"

/** What an INIT or INIT ACK carried beyond its fixed fields. */
struct dpsctp_init_params {
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS]; /**< IPv4/IPv6 address parameters, deduplicated */
	size_t naddrs;                   /**< number of @c addrs kept */
	size_t addrs_ignored;            /**< address parameters beyond DPSCTP_MAX_ADDRS */
	const uint8_t *cookie;           /**< State Cookie value (INIT ACK), NULL if absent */
	size_t cookie_len;               /**< bytes of @c cookie */
	uint32_t cookie_preservative_ms; /**< suggested life-span increment (INIT), 0 if absent */
	bool has_addr_types;             /**< a Supported Address Types parameter was present */
	bool supports_v4;                /**< it lists IPv4 (or there was no such parameter) */
	bool supports_v6;                /**< it lists IPv6 (or there was no such parameter) */
	bool has_adaptation;             /**< Adaptation Layer Indication present */
	uint32_t adaptation;             /**< its value, host order */
	bool has_host_name;              /**< a Host Name Address parameter was present */
	const uint8_t *host_name_tlv;    /**< that parameter (whole TLV) for the error report */
	size_t host_name_len;            /**< bytes of @c host_name_tlv */
	size_t unrecognized;             /**< parameters not implemented, reported or not */
};

/** Result of parsing, beyond 0 (everything processed). */
enum dpsctp_initparam_stop {
	DPSCTP_INITPARAM_OK = 0,
	DPSCTP_INITPARAM_STOP,        /**< an unknown parameter with upper bits 00 */
	DPSCTP_INITPARAM_STOP_REPORT, /**< an unknown parameter with upper bits 01 */
	DPSCTP_INITPARAM_INVALID,     /**< a known parameter that does not decode */
};

/**
 * Parse the parameters of @p init (is_ack: of an INIT ACK). Unrecognised parameters to report
 * are appended to @p report (may be NULL): each wrapped in an Unrecognized Parameter (type 8)
 * when @p wrap is true (for an INIT ACK we send), else raw (for an Unrecognized Parameters
 * cause); a report that does not fit is truncated at a whole parameter.
 * @return enum dpsctp_initparam_stop.
 */
enum dpsctp_initparam_stop dpsctp_init_params_parse(const struct dpsctp_init *init, bool is_ack,
	struct dpsctp_init_params *out, struct dpsctp_wbuf *report, bool wrap);

/** Add @p a to the list @p addrs / @p n (capacity DPSCTP_MAX_ADDRS) unless present. */
bool dpsctp_addr_list_add(struct dpsctp_addr *addrs, size_t *n, const struct dpsctp_addr *a);

/** True when @p a is in the list. */
bool dpsctp_addr_list_has(const struct dpsctp_addr *addrs, size_t n, const struct dpsctp_addr *a);

/**
 * Is @p addr in the scope of @p ref: loopback addresses only for a loopback @p ref, link-local
 * ones only for a loopback or link-local @p ref, global ones always?
 */
bool dpsctp_addr_in_scope(const struct dpsctp_addr *addr, const struct dpsctp_addr *ref);

/** Compare two addresses. */
bool dpsctp_addr_equal(const struct dpsctp_addr *a, const struct dpsctp_addr *b);

/** Our parameters for an INIT or INIT ACK (the cookie is added by the caller). */
struct dpsctp_local_params {
	const struct dpsctp_addr *addrs; /**< our addresses */
	size_t naddrs;                   /**< number of @c addrs */
	/**
	 * The peer address the chunk goes to (NULL: no filter): addresses outside its scope
	 * (loopback, link-local) are not listed
	 */
	const struct dpsctp_addr *peer;
	bool peer_v4;                    /**< the peer takes IPv4 addresses (Supported Address Types) */
	bool peer_v6;                    /**< the peer takes IPv6 addresses */
	bool is_ack;                     /**< INIT ACK (no Supported Address Types) */
	uint32_t cookie_preservative_ms; /**< INIT after a stale cookie: suggested increment */
	bool has_adaptation;             /**< send the Adaptation Layer Indication */
	uint32_t adaptation;             /**< its value */
};

/** Append our parameters after an INIT / INIT ACK header; 0 or -ENOSPC. */
int dpsctp_local_params_build(struct dpsctp_wbuf *w, const struct dpsctp_local_params *p);

#endif /* DPSCTP_SCTP_INITPARAM_H */
