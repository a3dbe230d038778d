/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generic half of reading dpsctpd's configuration (the schema is config.c's): one-line
 * error messages "FILE:LINE: field.path: message", mappings checked against a table of known
 * keys ("did you mean"), lists with a maximum length, and scalars read as decimal integers in a
 * range, booleans, strings, IPv4/IPv6 addresses and prefixes, MAC addresses and PCI addresses.
 *
 * A reader that fails has written the message into the document's error buffer and returns -1
 * (NULL for pointers); the caller passes the -1 up and adds nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "config_value.h"

/* --- messages --- */

void
cfg_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line, whatever a quoted scalar smuggled in ("a\nb" in double quotes). */
	for (s = err; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

unsigned long
cfg_line(const yaml_node_t *n)
{
	return n == NULL ? 1 : (unsigned long)n->start_mark.line + 1;
}

int
cfg_fail(struct cfg_doc *d, const yaml_node_t *n, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field[0] == '\0')
		cfg_seterr(d->err, d->errlen, "%s:%lu: %s", d->name, cfg_line(n), msg);
	else
		cfg_seterr(d->err, d->errlen, "%s:%lu: %s: %s", d->name, cfg_line(n), field, msg);
	return -1;
}

/* libyaml's own account of a syntax error, with our file:line in front. */
void
cfg_syntax_error(struct cfg_doc *d, const yaml_parser_t *y, const char *text, size_t len)
{
	const char *problem = y->problem != NULL ? y->problem : "unknown error";
	unsigned long ln = (unsigned long)y->problem_mark.line + 1;
	size_t i;

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		cfg_seterr(d->err, d->errlen, "%s: out of memory reading the YAML", d->name);
		return;
	case YAML_READER_ERROR:
		/* The reader knows a byte offset, not a line. */
		ln = 1;
		for (i = 0; i < y->problem_offset && i < len; i++)
			ln += text[i] == '\n';
		cfg_seterr(
			d->err, d->errlen, "%s:%lu: not valid YAML text: %s", d->name, ln, problem);
		return;
	default:
		break;
	}
	if (y->context != NULL)
		cfg_seterr(d->err, d->errlen, "%s:%lu: YAML syntax error: %s (%s at line %lu)",
			d->name, ln, problem, y->context, (unsigned long)y->context_mark.line + 1);
	else
		cfg_seterr(
			d->err, d->errlen, "%s:%lu: YAML syntax error: %s", d->name, ln, problem);
}

/* --- field paths --- */

/* A path too long for the buffer ends in "..." rather than silently. */
static const char *
clip(char *buf, int n)
{
	if (n >= CFG_FIELD_MAX)
		memcpy(buf + CFG_FIELD_MAX - 4, "...", 4);
	return buf;
}

const char *
cfg_join(char *buf, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		return clip(buf, snprintf(buf, CFG_FIELD_MAX, "%s", key));
	return clip(buf, snprintf(buf, CFG_FIELD_MAX, "%s.%s", parent, key));
}

const char *
cfg_index(char *buf, const char *parent, size_t i)
{
	return clip(buf, snprintf(buf, CFG_FIELD_MAX, "%s[%zu]", parent, i));
}

yaml_node_t *
cfg_node(struct cfg_doc *d, int id)
{
	return yaml_document_get_node(&d->yaml, id);
}

/* A plain empty scalar, "~" or "null": the key is there but says nothing. */
static bool
is_null(const yaml_node_t *n)
{
	const char *s;

	if (n == NULL)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = (const char *)n->data.scalar.value;
	return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static const char *
kind(const yaml_node_t *n)
{
	if (is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a single value";
	}
}

/* --- edit distance, to turn "unknown key" into "did you mean" --- */

static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * The known key closest to @p key, or NULL. The unit suffix is what people leave out most
 * ("rto_min" for "rto_min_ms"), so it costs nothing.
 */
static const char *
suggest(const char *key, const char *const *keys, size_t nkeys)
{
	const char *best = NULL;
	size_t bestd = 3, i;

	for (i = 0; i < nkeys; i++) {
		char stem[64];
		size_t d = distance(key, keys[i]);
		size_t l = strlen(keys[i]);

		if (l > 3 && l < sizeof(stem) && strcmp(keys[i] + l - 3, "_ms") == 0) {
			size_t ds;

			memcpy(stem, keys[i], l - 3);
			stem[l - 3] = '\0';
			ds = distance(key, stem);
			if (ds < d)
				d = ds;
		}
		if (d < bestd) {
			bestd = d;
			best = keys[i];
		}
	}
	return best;
}

static int
unknown_key(struct cfg_map *m, const yaml_node_t *k, const char *key)
{
	const char *near = suggest(key, m->keys, m->nkeys);
	char where[CFG_FIELD_MAX + 8], known[512];
	size_t i, off = 0;

	if (m->path[0] == '\0')
		snprintf(where, sizeof(where), "at top level");
	else
		snprintf(where, sizeof(where), "in %s", m->path);
	cfg_join(m->field, m->path, key);
	if (near != NULL)
		return cfg_fail(m->doc, k, m->field, "unknown key '%.64s' %s (did you mean '%s'?)",
			key, where, near);
	known[0] = '\0';
	for (i = 0; i < m->nkeys && off < sizeof(known); i++) {
		int n = snprintf(
			known + off, sizeof(known) - off, "%s%s", i > 0 ? ", " : "", m->keys[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	return cfg_fail(
		m->doc, k, m->field, "unknown key '%.64s' %s (known: %s)", key, where, known);
}

/*
 * Check the mapping @p n (absent or null: no keys) against @p keys and find the value of
 * each. Unknown and repeated keys are errors: libyaml lets a key appear twice and the second
 * would silently win.
 */
int
cfg_map_open(struct cfg_map *m, struct cfg_doc *d, yaml_node_t *n, const char *path,
	const char *const *keys, size_t nkeys)
{
	yaml_node_pair_t *pair;

	memset(m, 0, sizeof(*m));
	m->doc = d;
	m->at = n;
	m->path = path;
	m->keys = keys;
	m->nkeys = nkeys;
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE) {
		if (path[0] == '\0')
			return cfg_fail(d, n, "",
				"the document must be a mapping of sections, got %s", kind(n));
		return cfg_fail(d, n, path, "expected a mapping, got %s", kind(n));
	}
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = cfg_node(d, pair->key);
		const char *key;
		size_t i;

		if (k == NULL || k->type != YAML_SCALAR_NODE)
			return cfg_fail(d, k != NULL ? k : n, path[0] != '\0' ? path : "",
				"a key must be a name, got %s", kind(k));
		key = (const char *)k->data.scalar.value;
		for (i = 0; i < nkeys; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == nkeys)
			return unknown_key(m, k, key);
		if (m->val[i] != NULL)
			return cfg_fail(d, k, cfg_join(m->field, path, key),
				"duplicate key (line %lu has it)", cfg_line(m->val[i]));
		m->val[i] = cfg_node(d, pair->value);
	}
	return 0;
}

const char *
cfg_map_field(struct cfg_map *m, size_t k)
{
	return cfg_join(m->field, m->path, m->keys[k]);
}

/* Line to blame for something missing from @p m. */
const yaml_node_t *
cfg_map_at(const struct cfg_map *m)
{
	return m->at;
}

/*
 * The items of the list @p n (absent or null: none), at most @p max of them.
 * @p what names the items in the message ("ports").
 */
int
cfg_seq_open(struct cfg_doc *d, yaml_node_t *n, const char *path, size_t max, const char *what,
	yaml_node_item_t **items, size_t *count)
{
	size_t cnt;

	*items = NULL;
	*count = 0;
	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return cfg_fail(d, n, path, "expected a list, got %s", kind(n));
	cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt > max)
		return cfg_fail(d, cfg_node(d, n->data.sequence.items.start[max]), path,
			"too many %s (at most %zu)", what, max);
	*items = n->data.sequence.items.start;
	*count = cnt;
	return 0;
}

/* The text of the scalar @p n, or NULL after an error. */
const char *
cfg_scalar(struct cfg_doc *d, const yaml_node_t *n, const char *path)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE) {
		cfg_fail(d, n, path, "expected a single value, got %s", kind(n));
		return NULL;
	}
	if (is_null(n)) {
		cfg_fail(d, n, path, "has no value");
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		cfg_fail(d, n, path, "contains a NUL character");
		return NULL;
	}
	return s;
}

/* Plain decimal: 0 and the value, -EINVAL when not a number, -ERANGE beyond UINT64_MAX. */
int
cfg_parse_dec(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	bool big = false;

	if (*s == '\0')
		return -EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - 9) / 10)
			big = true;
		else
			v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return big ? -ERANGE : 0;
}

int
cfg_num_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, uint64_t min, uint64_t max,
	uint64_t *out)
{
	const char *s = cfg_scalar(d, n, path);
	uint64_t v = 0;
	int rc;

	if (s == NULL)
		return -1;
	rc = cfg_parse_dec(s[0] == '-' ? s + 1 : s, &v);
	if (rc == -EINVAL)
		return cfg_fail(d, n, path, "'%.64s' is not an integer", s);
	if (s[0] == '0' && s[1] != '\0')
		return cfg_fail(
			d, n, path, "'%.64s' has a leading zero (octal in YAML 1.1); drop it", s);
	if (rc == -ERANGE || s[0] == '-' || v < min || v > max)
		return cfg_fail(d, n, path, "'%.64s' is out of range (%" PRIu64 "..%" PRIu64 ")", s,
			min, max);
	*out = v;
	return 0;
}

/* The cfg_map_* readers leave *out alone when the key is absent. */
static int
map_num(struct cfg_map *m, size_t k, uint64_t min, uint64_t max, uint64_t *out)
{
	if (m->val[k] == NULL)
		return 0;
	return cfg_num_at(m->doc, m->val[k], cfg_map_field(m, k), min, max, out);
}

int
cfg_map_u32(struct cfg_map *m, size_t k, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = *out;

	if (map_num(m, k, min, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
cfg_map_u16(struct cfg_map *m, size_t k, uint16_t min, uint16_t max, uint16_t *out)
{
	uint64_t v = *out;

	if (map_num(m, k, min, max, &v) < 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* A value in ms into an engine time in ns. */
int
cfg_map_ms(struct cfg_map *m, size_t k, uint32_t min, uint32_t max, uint64_t *ns)
{
	uint64_t v = *ns / DPSCTP_MS;

	if (map_num(m, k, min, max, &v) < 0)
		return -1;
	*ns = v * DPSCTP_MS;
	return 0;
}

int
cfg_bool_word(const char *s)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		return 0;
	return -1;
}

int
cfg_map_bool(struct cfg_map *m, size_t k, bool *out)
{
	const char *s;
	int b;

	if (m->val[k] == NULL)
		return 0;
	s = cfg_scalar(m->doc, m->val[k], cfg_map_field(m, k));
	if (s == NULL)
		return -1;
	b = cfg_bool_word(s);
	if (b < 0)
		return cfg_fail(m->doc, m->val[k], m->field,
			"'%.64s' is not a boolean (true/false, yes/no)", s);
	*out = b == 1;
	return 0;
}

/* The first byte of @p s that is neither a letter, a digit nor in @p allowed; NULL if none. */
static const char *
bad_char(const char *s, const char *allowed)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9') || strchr(allowed, *s) != NULL))
			return s;
	return NULL;
}

/*
 * A string of 1..size-1 bytes; @p allowed, when not NULL, lists the bytes allowed besides
 * letters and digits.
 */
static int
str_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, char *dst, size_t size,
	const char *allowed)
{
	const char *s = cfg_scalar(d, n, path), *bad;

	if (s == NULL)
		return -1;
	if (s[0] == '\0')
		return cfg_fail(d, n, path, "must not be empty");
	if (strlen(s) >= size)
		return cfg_fail(
			d, n, path, "'%.64s...' is longer than %zu characters", s, size - 1);
	bad = allowed != NULL ? bad_char(s, allowed) : NULL;
	if (bad != NULL)
		return cfg_fail(d, n, path,
			"'%.64s' has a '%c'; only letters, digits and '%s' are allowed", s, *bad,
			allowed);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

int
cfg_map_str(struct cfg_map *m, size_t k, char *dst, size_t size, const char *allowed)
{
	if (m->val[k] == NULL)
		return 0;
	return str_at(m->doc, m->val[k], cfg_map_field(m, k), dst, size, allowed);
}

int
cfg_require(struct cfg_map *m, size_t k, const char *what)
{
	if (m->val[k] != NULL)
		return 0;
	return cfg_fail(
		m->doc, cfg_map_at(m), cfg_map_field(m, k), "missing: %s is required", what);
}

/* --- addresses --- */

int
dpsctpd_parse_addr(const char *s, struct dpsctp_addr *out)
{
	struct dpsctp_addr a;

	if (s == NULL || out == NULL)
		return -1;
	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.bytes) == 1)
		a.family = 4;
	else if (inet_pton(AF_INET6, s, a.bytes) == 1)
		a.family = 6;
	else
		return -1;
	*out = a;
	return 0;
}

const char *
dpsctpd_format_addr(const struct dpsctp_addr *a, char *buf, size_t len)
{
	int af;

	if (buf == NULL || len == 0)
		return buf;
	af = a == NULL ? -1 : a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : -1;
	if (af < 0 || inet_ntop(af, a->bytes, buf, (socklen_t)(len > 256 ? 256 : len)) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

bool
cfg_addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

bool
cfg_in_prefix(const struct dpsctp_addr *a, const struct dpsctpd_prefix *pf)
{
	unsigned int full = pf->len / 8, rest = pf->len % 8;
	uint8_t mask;

	if (a->family != pf->addr.family || memcmp(a->bytes, pf->addr.bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a->bytes[full] ^ pf->addr.bytes[full]) & mask) == 0;
}

bool
cfg_is_loopback(const struct dpsctp_addr *a)
{
	static const uint8_t one[16] = {[15] = 1};

	if (a->family == 4)
		return a->bytes[0] == 127;
	return memcmp(a->bytes, one, sizeof(one)) == 0;
}

/* Why @p a cannot be a unicast address on a link (ours, a gateway's, a neighbour's), or NULL. */
const char *
cfg_unusable(const struct dpsctp_addr *a)
{
	static const uint8_t zero[16];
	const uint8_t *b = a->bytes;

	if (cfg_is_loopback(a))
		return "a loopback address";
	if (a->family == 4) {
		if (b[0] == 0)
			return "in 0.0.0.0/8 (\"this network\")";
		if (b[0] >= 224 && b[0] < 240)
			return "a multicast address";
		if (b[0] >= 240)
			return "a reserved or broadcast address";
		return NULL;
	}
	if (b[0] == 0xff)
		return "a multicast address";
	if (memcmp(b, zero, 16) == 0)
		return "the unspecified address";
	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
		return "an IPv4-mapped address (write the IPv4 address itself)";
	return NULL;
}

/* "198.18.0.1/24" */
int
cfg_parse_prefix(const char *s, struct dpsctpd_prefix *out)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	uint64_t len;
	size_t hl;

	if (slash == NULL)
		return -EINVAL;
	hl = (size_t)(slash - s);
	if (hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (dpsctpd_parse_addr(host, &out->addr) < 0)
		return -EINVAL;
	if (strlen(slash + 1) > 3 || cfg_parse_dec(slash + 1, &len) < 0 ||
		(slash[1] == '0' && slash[2] != '\0'))
		return -EINVAL;
	if (len < 1 || len > (out->addr.family == 4 ? 32u : 128u))
		return -ERANGE;
	out->len = (uint8_t)len;
	return 0;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "02:00:00:00:00:01": exactly two hex digits per byte, as ip(8) prints them. */
static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0)
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s == '\0' ? 0 : -1;
}

/* An address that fits where @p n is (any family), checked to be usable on a link. */
int
cfg_addr_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, struct dpsctp_addr *out)
{
	const char *s = cfg_scalar(d, n, path);
	const char *why;

	if (s == NULL)
		return -1;
	if (dpsctpd_parse_addr(s, out) < 0)
		return cfg_fail(d, n, path, "'%.64s' is not an IPv4/IPv6 address", s);
	why = cfg_unusable(out);
	if (why != NULL)
		return cfg_fail(d, n, path, "'%.64s' is %s", s, why);
	return 0;
}

int
cfg_mac_at(struct cfg_doc *d, const yaml_node_t *n, const char *path, uint8_t mac[6])
{
	static const uint8_t zero[6];
	const char *s = cfg_scalar(d, n, path);

	if (s == NULL)
		return -1;
	if (parse_mac(s, mac) < 0)
		return cfg_fail(d, n, path, "'%.64s' is not a MAC address (02:00:00:00:00:01)", s);
	if (mac[0] & 1)
		return cfg_fail(d, n, path, "'%.64s' is a multicast or broadcast MAC address", s);
	if (memcmp(mac, zero, 6) == 0)
		return cfg_fail(d, n, path, "'%.64s' is the all-zero MAC address", s);
	return 0;
}

/* --- PCI addresses --- */

static bool
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

/*
 * "0000:3b:00.0" or "3b:00.0", optionally followed by ",devargs": the device in @p key
 * (domain added, lower case), so that two spellings of one device compare equal.
 */
int
cfg_pci_key(const char *dev, char *key, size_t size)
{
	size_t n = strcspn(dev, ","), i;
	char full[16];

	if (n == 7)
		snprintf(full, sizeof(full), "0000:%.7s", dev);
	else if (n == 12)
		snprintf(full, sizeof(full), "%.12s", dev);
	else
		return -1;
	if (!is_hex(full, 4) || full[4] != ':' || !is_hex(full + 5, 2) || full[7] != ':' ||
		!is_hex(full + 8, 2) || full[10] != '.' || full[11] < '0' || full[11] > '7')
		return -1;
	for (i = 0; full[i] != '\0'; i++)
		full[i] = (char)(full[i] >= 'A' && full[i] <= 'F' ? full[i] - 'A' + 'a' : full[i]);
	snprintf(key, size, "%s", full);
	return 0;
}
