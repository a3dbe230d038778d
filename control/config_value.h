/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Value readers for dpsctpd's YAML configuration, private to the config library: what
 * config.c's schema is built from. Not part of config.h's API.
 *
 * The readers of a node take its field path ("ports[0].mtu") for the message. On error they
 * write one line "FILE:LINE: field.path: message" into the document's error buffer and return
 * -1 (NULL for those returning a pointer). The cfg_map_* readers leave their output alone when
 * the key is absent, so the caller's default stands.
 */
#ifndef DPSCTP_CONTROL_CONFIG_VALUE_H
#define DPSCTP_CONTROL_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "config.h"

/** Longest field path in a message ("ports[7].neighbours[31].mac" and some room). */
#define CFG_FIELD_MAX 128
/** Most keys in one mapping (protocol). */
#define CFG_MAP_MAX_KEYS 20

/** The document being read, and where its error message goes. */
struct cfg_doc {
	const char *name;     /**< file name for messages */
	yaml_document_t yaml; /**< the (first and only) document */
	char *err;            /**< the message buffer (NULL: no message) */
	size_t errlen;        /**< its size in bytes */
};

/** A mapping, its keys checked against a table, the value of each known key at its index. */
struct cfg_map {
	struct cfg_doc *doc;     /**< the document it is in */
	yaml_node_t *at;         /**< the node as found (a mapping, a null, or NULL when absent) */
	const char *path;        /**< field path of the mapping: "" at the top, "ports[0]" */
	const char *const *keys; /**< the known keys */
	size_t nkeys;            /**< number of @c keys (at most CFG_MAP_MAX_KEYS) */
	yaml_node_t *val[CFG_MAP_MAX_KEYS]; /**< value per known key; NULL when absent */
	char field[CFG_FIELD_MAX];          /**< scratch for field paths */
};

/* --- messages --- */

/** Format into @p err (@p errlen bytes; nothing if NULL), control characters replaced by '?'. */
void cfg_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** The error "NAME:LINE: field: message" at node @p n (@p field "": no field). @return -1. */
int cfg_fail(struct cfg_doc *d, const yaml_node_t *n, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** The 1-based line of @p n (1 when NULL). */
unsigned long cfg_line(const yaml_node_t *n);

/** A libyaml parser error @p y as our message; @p text (@p len bytes) turns offsets into lines. */
void cfg_syntax_error(struct cfg_doc *d, const yaml_parser_t *y, const char *text, size_t len);

/** "parent.key" (or "key" at the top) into @p buf (CFG_FIELD_MAX bytes). @return @p buf. */
const char *cfg_join(char *buf, const char *parent, const char *key);

/** "parent[i]" into @p buf (CFG_FIELD_MAX bytes). @return @p buf. */
const char *cfg_index(char *buf, const char *parent, size_t i);

/* --- mappings and lists --- */

/** The node @p id of the document, or NULL. */
yaml_node_t *cfg_node(struct cfg_doc *d, int id);

/**
 * Check the mapping @p n (absent or null: no keys) at @p path against @p keys and fill
 * @p m->val. Unknown and repeated keys are errors. @return 0 or -1.
 */
int cfg_map_open(struct cfg_map *m, struct cfg_doc *d, yaml_node_t *n, const char *path,
	const char *const *keys, size_t nkeys);

/** The field path of key @p k of @p m, in @p m->field. */
const char *cfg_map_field(struct cfg_map *m, size_t k);

/** The node to blame for something missing from @p m. */
const yaml_node_t *cfg_map_at(const struct cfg_map *m);

/** Key @p k of @p m must be there; @p what says what it holds. @return 0 or -1. */
int cfg_require(struct cfg_map *m, size_t k, const char *what);

/**
 * The items of the list @p n (absent or null: none), at most @p max; @p what names them in
 * the message ("ports"). @return 0 or -1.
 */
int cfg_seq_open(struct cfg_doc *d, yaml_node_t *n, const char *path, size_t max, const char *what,
	yaml_node_item_t **items, size_t *count);

/** The text of the scalar @p n (not null, no NUL inside), or NULL. */
const char *cfg_scalar(struct cfg_doc *d, const yaml_node_t *n, const char *path);

/* --- numbers, booleans, strings --- */

/** Plain decimal digits. @return 0, -EINVAL when not a number, -ERANGE beyond UINT64_MAX. */
int cfg_parse_dec(const char *s, uint64_t *out);

/** A decimal integer in @p min..@p max (no sign, no leading zero). @return 0 or -1. */
int cfg_num_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, uint64_t min,
	uint64_t max, uint64_t *out);

/** Key @p k as an integer in @p min..@p max. @return 0 or -1. */
int cfg_map_u32(struct cfg_map *m, size_t k, uint32_t min, uint32_t max, uint32_t *out);

/** Key @p k as an integer in @p min..@p max. @return 0 or -1. */
int cfg_map_u16(struct cfg_map *m, size_t k, uint16_t min, uint16_t max, uint16_t *out);

/** Key @p k in ms (@p min..@p max) into an engine time @p ns in ns. @return 0 or -1. */
int cfg_map_ms(struct cfg_map *m, size_t k, uint32_t min, uint32_t max, uint64_t *ns);

/** true/yes: 1, false/no: 0 (any case), anything else: -1. */
int cfg_bool_word(const char *s);

/** Key @p k as a boolean. @return 0 or -1. */
int cfg_map_bool(struct cfg_map *m, size_t k, bool *out);

/**
 * Key @p k as a string of 1..@p size - 1 bytes into @p dst; @p allowed, when not NULL, lists
 * the bytes allowed besides letters and digits. @return 0 or -1.
 */
int cfg_map_str(struct cfg_map *m, size_t k, char *dst, size_t size, const char *allowed);

/* --- addresses --- */

/** Same family and bytes. */
bool cfg_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b);

/** @p a is inside the prefix @p pf. */
bool cfg_in_prefix(const struct dpsctp_addr *a, const struct dpsctpd_prefix *pf);

/** @p a is in 127.0.0.0/8 or is ::1. */
bool cfg_is_loopback(const struct dpsctp_addr *a);

/** Why @p a cannot be a unicast address on a link, or NULL. */
const char *cfg_unusable(const struct dpsctp_addr *a);

/** "198.18.0.1/24" into @p out. @return 0, -EINVAL (not a prefix) or -ERANGE (bad length). */
int cfg_parse_prefix(const char *s, struct dpsctpd_prefix *out);

/** An IPv4/IPv6 address usable on a link (cfg_unusable). @return 0 or -1. */
int cfg_addr_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, struct dpsctp_addr *out);

/** A unicast, non-zero MAC address "02:00:00:00:00:01". @return 0 or -1. */
int cfg_mac_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, uint8_t mac[6]);

/**
 * "0000:3b:00.0" or "3b:00.0", optionally followed by ",devargs", as "0000:3b:00.0" (domain
 * added, lower case) into @p key (@p size bytes). @return 0, or -1 when not a PCI address.
 */
int cfg_pci_key(const char *dev, char *key, size_t size);

#endif
