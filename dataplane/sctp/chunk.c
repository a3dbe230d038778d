/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed chunk decoders and builders (RFC 9260 3.3 and appendix A, RFC 3758, 4820, 4895, 5061,
 * 6525, 8260). Every decoder checks the type, then the length, then fills its view; every
 * builder checks that the whole chunk fits before it writes a byte.
 */

#include <errno.h>
#include <string.h>

#include "chunk.h"

/* Fixed value sizes (after the 4-byte chunk header). */
#define DATA_FIXED 12  /* RFC 9260 3.3.1: TSN, SID, SSN, PPID */
#define IDATA_FIXED 16 /* RFC 8260 2.1: TSN, SID, reserved, MID, PPID/FSN */
#define INIT_FIXED 16  /* RFC 9260 3.3.2: tag, a_rwnd, OS, MIS, initial TSN */
#define SACK_FIXED 12  /* RFC 9260 3.3.4: cum TSN, a_rwnd, #gaps, #dups */
#define FWD_FIXED 4    /* RFC 3758 3.2: new cumulative TSN */
#define FWD_ENTRY 4    /* RFC 3758 3.2: SID, SSN */
#define IFWD_ENTRY 8   /* RFC 8260 2.3.1: SID, reserved + U, MID */
#define ADDR4_PARAM 8  /* RFC 9260 3.3.2.1: IPv4 address parameter */
#define ADDR6_PARAM 20 /* RFC 9260 3.3.2.1: IPv6 address parameter */
#define MAX_VALUE (DPSCTP_TLV_MAX_LEN - DPSCTP_CHUNK_HDR_LEN)

const char *
dpsctp_chunk_name(uint8_t type)
{
	switch (type) {
	case DPSCTP_CHUNK_DATA:
		return "DATA";
	case DPSCTP_CHUNK_INIT:
		return "INIT";
	case DPSCTP_CHUNK_INIT_ACK:
		return "INIT ACK";
	case DPSCTP_CHUNK_SACK:
		return "SACK";
	case DPSCTP_CHUNK_HEARTBEAT:
		return "HEARTBEAT";
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		return "HEARTBEAT ACK";
	case DPSCTP_CHUNK_ABORT:
		return "ABORT";
	case DPSCTP_CHUNK_SHUTDOWN:
		return "SHUTDOWN";
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return "SHUTDOWN ACK";
	case DPSCTP_CHUNK_ERROR:
		return "ERROR";
	case DPSCTP_CHUNK_COOKIE_ECHO:
		return "COOKIE ECHO";
	case DPSCTP_CHUNK_COOKIE_ACK:
		return "COOKIE ACK";
	case DPSCTP_CHUNK_ECNE:
		return "ECNE";
	case DPSCTP_CHUNK_CWR:
		return "CWR";
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return "SHUTDOWN COMPLETE";
	case DPSCTP_CHUNK_AUTH:
		return "AUTH";
	case DPSCTP_CHUNK_I_DATA:
		return "I-DATA";
	case DPSCTP_CHUNK_ASCONF_ACK:
		return "ASCONF-ACK";
	case DPSCTP_CHUNK_RECONF:
		return "RE-CONFIG";
	case DPSCTP_CHUNK_PAD:
		return "PAD";
	case DPSCTP_CHUNK_FORWARD_TSN:
		return "FORWARD-TSN";
	case DPSCTP_CHUNK_ASCONF:
		return "ASCONF";
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		return "I-FORWARD-TSN";
	}
	return NULL;
}

bool
dpsctp_chunk_type_known(uint8_t type)
{
	return dpsctp_chunk_name(type) != NULL;
}

/*
 * Decoding helpers.
 */

/*
 * The type must match and the value hold at least @p min bytes. The length is checked against
 * the header size again so that a hand-made view cannot make us read before the value.
 */
static int
check(const struct dpsctp_chunk *c, uint8_t type, size_t min)
{
	if (c->type != type)
		return -EINVAL;
	if (c->len < DPSCTP_CHUNK_HDR_LEN || dpsctp_chunk_value_len(c) < min)
		return -EBADMSG;
	return 0;
}

/* The TLV region from @p off to the end of the value must be well formed; return it. */
static int
region(const struct dpsctp_chunk *c, size_t off, const uint8_t **p, size_t *len, int *count)
{
	const uint8_t *start = c->value + off;
	size_t n = dpsctp_chunk_value_len(c) - off;
	int rc = dpsctp_tlv_check_all(start, start + n);

	if (rc < 0)
		return -EBADMSG;
	*p = start;
	*len = n;
	if (count != NULL)
		*count = rc;
	return 0;
}

/* A chunk that is nothing but a TLV region after @p off fixed bytes. */
static int
region_decode(const struct dpsctp_chunk *c, uint8_t type, const uint8_t **p, size_t *len)
{
	const uint8_t *rp;
	size_t rlen;
	int rc = check(c, type, 0);

	if (rc == 0)
		rc = region(c, 0, &rp, &rlen, NULL);
	if (rc != 0)
		return rc;
	*p = rp;
	*len = rlen;
	return 0;
}

/*
 * Building helpers.
 */

/*
 * Open a chunk whose value will be @p vlen bytes in all: check the 16-bit length and that the
 * padding of the previous chunk, the header, the value and (when @p closed) the chunk's own
 * padding fit, so that nothing past this point can run out of room.
 */
static int
open_chunk(
	struct dpsctp_wbuf *w, uint8_t type, uint8_t flags, size_t vlen, bool closed, size_t *mark)
{
	size_t need = (4 - (w->len & 3)) & 3;

	if (vlen > MAX_VALUE)
		return -EMSGSIZE;
	need += DPSCTP_CHUNK_HDR_LEN + (closed ? dpsctp_pad4(vlen) : vlen);
	if (need > dpsctp_wbuf_room(w))
		return -ENOSPC;
	return dpsctp_chunk_begin(w, type, flags, mark);
}

/*
 * Write a chunk whose value is @p flen bytes of @p fixed then @p vlen bytes of @p var, or of
 * zeros when @p var is NULL (AUTH, PAD). Close it, or when @p open_mark is given leave it open
 * for the caller (a TLV-bearing chunk) and return its mark. The buffer is unchanged on error.
 */
static int
put_chunk(struct dpsctp_wbuf *w, uint8_t type, uint8_t flags, const uint8_t *fixed, size_t flen,
	const void *var, size_t vlen, size_t *open_mark)
{
	size_t start = w->len;
	size_t mark;
	uint8_t *p;
	int rc;

	if (vlen > MAX_VALUE)
		return -EMSGSIZE;
	rc = open_chunk(w, type, flags, flen + vlen, open_mark == NULL, &mark);
	if (rc == 0)
		rc = dpsctp_wbuf_put(w, fixed, flen);
	if (rc == 0) {
		p = dpsctp_wbuf_reserve(w, vlen);
		if (p == NULL)
			rc = -ENOSPC;
		else if (var == NULL)
			memset(p, 0, vlen);
		else if (vlen != 0)
			memcpy(p, var, vlen);
	}
	if (rc == 0 && open_mark == NULL)
		rc = dpsctp_chunk_end(w, mark);
	if (rc != 0) {
		dpsctp_wbuf_rewind(w, start);
		return rc;
	}
	if (open_mark != NULL)
		*open_mark = mark;
	return 0;
}

/* Open a TLV-bearing chunk: fixed fields, then the caller's raw TLV bytes (NULL only if empty). */
static int
begin_chunk(struct dpsctp_wbuf *w, uint8_t type, uint8_t flags, const uint8_t *fixed, size_t flen,
	const uint8_t *tlvs, size_t tlvs_len, size_t *mark)
{
	if (tlvs == NULL && tlvs_len != 0)
		return -EINVAL;
	return put_chunk(w, type, flags, fixed, flen, tlvs, tlvs_len, mark);
}

/* A chunk of one 32-bit field (SHUTDOWN, ECNE, CWR). */
static int
tsn_decode(const struct dpsctp_chunk *c, uint8_t type, uint32_t *tsn)
{
	int rc = check(c, type, 4);

	if (rc == 0)
		*tsn = dpsctp_get_be32(c->value);
	return rc;
}

static int
tsn_build(struct dpsctp_wbuf *w, uint8_t type, uint32_t tsn)
{
	uint8_t v[4];

	dpsctp_put_be32(v, tsn);
	return put_chunk(w, type, 0, v, sizeof(v), NULL, 0, NULL);
}

/*
 * DATA and I-DATA
 */

int
dpsctp_data_decode(const struct dpsctp_chunk *c, struct dpsctp_data *out)
{
	int rc = check(c, DPSCTP_CHUNK_DATA, DATA_FIXED);

	if (rc != 0)
		return rc;
	out->flags = c->flags;
	out->tsn = dpsctp_get_be32(c->value);
	out->sid = dpsctp_get_be16(c->value + 4);
	out->ssn = dpsctp_get_be16(c->value + 6);
	/* RFC 9260 3.3.1: the PPID is opaque to SCTP; keep its wire bytes as they are. */
	memcpy(&out->ppid, c->value + 8, sizeof(out->ppid));
	out->payload = c->value + DATA_FIXED;
	out->payload_len = dpsctp_chunk_value_len(c) - DATA_FIXED;
	return 0;
}

int
dpsctp_data_build(struct dpsctp_wbuf *w, const struct dpsctp_data *in)
{
	uint8_t v[DATA_FIXED];

	dpsctp_put_be32(v, in->tsn);
	dpsctp_put_be16(v + 4, in->sid);
	dpsctp_put_be16(v + 6, in->ssn);
	memcpy(v + 8, &in->ppid, sizeof(in->ppid));
	if (in->payload == NULL && in->payload_len != 0)
		return -EINVAL;
	return put_chunk(
		w, DPSCTP_CHUNK_DATA, in->flags, v, sizeof(v), in->payload, in->payload_len, NULL);
}

int
dpsctp_idata_decode(const struct dpsctp_chunk *c, struct dpsctp_idata *out)
{
	int rc = check(c, DPSCTP_CHUNK_I_DATA, IDATA_FIXED);

	if (rc != 0)
		return rc;
	out->flags = c->flags;
	out->tsn = dpsctp_get_be32(c->value);
	out->sid = dpsctp_get_be16(c->value + 4);
	/* RFC 8260 2.1: reserved, ignored on receipt; kept so that a capture re-encodes intact */
	out->reserved = dpsctp_get_be16(c->value + 6);
	out->mid = dpsctp_get_be32(c->value + 8);
	/* RFC 8260 2.1: PPID when B is set (opaque, raw bytes), FSN when B is clear. */
	if (c->flags & DPSCTP_DATA_FLAG_B) {
		memcpy(&out->ppid, c->value + 12, sizeof(out->ppid));
		out->fsn = 0;
	} else {
		out->ppid = 0;
		out->fsn = dpsctp_get_be32(c->value + 12);
	}
	out->payload = c->value + IDATA_FIXED;
	out->payload_len = dpsctp_chunk_value_len(c) - IDATA_FIXED;
	return 0;
}

int
dpsctp_idata_build(struct dpsctp_wbuf *w, const struct dpsctp_idata *in)
{
	uint8_t v[IDATA_FIXED];

	dpsctp_put_be32(v, in->tsn);
	dpsctp_put_be16(v + 4, in->sid);
	dpsctp_put_be16(v + 6, in->reserved);
	dpsctp_put_be32(v + 8, in->mid);
	if (in->flags & DPSCTP_DATA_FLAG_B)
		memcpy(v + 12, &in->ppid, sizeof(in->ppid));
	else
		dpsctp_put_be32(v + 12, in->fsn);
	if (in->payload == NULL && in->payload_len != 0)
		return -EINVAL;
	return put_chunk(w, DPSCTP_CHUNK_I_DATA, in->flags, v, sizeof(v), in->payload,
		in->payload_len, NULL);
}

/*
 * SACK
 */

int
dpsctp_sack_decode(const struct dpsctp_chunk *c, struct dpsctp_sack *out)
{
	uint16_t ngaps, ndups;
	int rc = check(c, DPSCTP_CHUNK_SACK, SACK_FIXED);

	if (rc != 0)
		return rc;
	ngaps = dpsctp_get_be16(c->value + 8);
	ndups = dpsctp_get_be16(c->value + 10);
	/* RFC 9260 3.3.4: the counts say how many blocks follow; they must be there. */
	if (dpsctp_chunk_value_len(c) - SACK_FIXED < 4 * ((size_t)ngaps + ndups))
		return -EBADMSG;
	out->cum_tsn = dpsctp_get_be32(c->value);
	out->a_rwnd = dpsctp_get_be32(c->value + 4);
	out->ngaps = ngaps;
	out->ndups = ndups;
	out->gaps = c->value + SACK_FIXED;
	out->dups = out->gaps + 4 * (size_t)ngaps;
	return 0;
}

int
dpsctp_sack_build(struct dpsctp_wbuf *w, uint32_t cum_tsn, uint32_t a_rwnd,
	const struct dpsctp_gap_block *gaps, uint16_t ngaps, const uint32_t *dups, uint16_t ndups)
{
	size_t start = w->len;
	size_t vlen = SACK_FIXED + 4 * ((size_t)ngaps + ndups);
	size_t mark;
	uint8_t *p;
	unsigned int i;
	int rc;

	rc = open_chunk(w, DPSCTP_CHUNK_SACK, 0, vlen, true, &mark);
	if (rc != 0)
		return rc;
	p = dpsctp_wbuf_reserve(w, vlen);
	if (p == NULL) {
		dpsctp_wbuf_rewind(w, start);
		return -ENOSPC;
	}
	dpsctp_put_be32(p, cum_tsn);
	dpsctp_put_be32(p + 4, a_rwnd);
	dpsctp_put_be16(p + 8, ngaps);
	dpsctp_put_be16(p + 10, ndups);
	p += SACK_FIXED;
	for (i = 0; i < ngaps; i++, p += 4) {
		dpsctp_put_be16(p, gaps[i].start);
		dpsctp_put_be16(p + 2, gaps[i].end);
	}
	for (i = 0; i < ndups; i++, p += 4)
		dpsctp_put_be32(p, dups[i]);
	rc = dpsctp_chunk_end(w, mark);
	if (rc != 0)
		dpsctp_wbuf_rewind(w, start);
	return rc;
}

/*
 * FORWARD-TSN and I-FORWARD-TSN
 */

/*
 * RFC 3758 3.2, RFC 8260 2.3.1: a new cumulative TSN then fixed-size entries up to the chunk
 * length. A partial entry means the length disagrees with the entries: malformed.
 */
static int
fwd_decode(const struct dpsctp_chunk *c, uint8_t type, size_t entry, uint32_t *cum, uint16_t *n,
	const uint8_t **streams)
{
	size_t left;
	int rc = check(c, type, FWD_FIXED);

	if (rc != 0)
		return rc;
	left = dpsctp_chunk_value_len(c) - FWD_FIXED;
	if (left % entry != 0)
		return -EBADMSG;
	*cum = dpsctp_get_be32(c->value);
	*n = (uint16_t)(left / entry);
	*streams = c->value + FWD_FIXED;
	return 0;
}

/* Open a FORWARD-TSN style chunk and return where its @p n entries of @p entry bytes go. */
static int
fwd_open(struct dpsctp_wbuf *w, uint8_t type, uint32_t cum, size_t entry, uint16_t n, size_t *mark,
	uint8_t **p)
{
	size_t vlen = FWD_FIXED + entry * n;
	int rc = open_chunk(w, type, 0, vlen, true, mark);

	if (rc != 0)
		return rc;
	*p = dpsctp_wbuf_reserve(w, vlen);
	if (*p == NULL) {
		dpsctp_wbuf_rewind(w, *mark);
		return -ENOSPC;
	}
	dpsctp_put_be32(*p, cum);
	*p += FWD_FIXED;
	return 0;
}

int
dpsctp_forward_tsn_decode(const struct dpsctp_chunk *c, struct dpsctp_forward_tsn *out)
{
	return fwd_decode(c, DPSCTP_CHUNK_FORWARD_TSN, FWD_ENTRY, &out->new_cum_tsn, &out->nstreams,
		&out->streams);
}

int
dpsctp_forward_tsn_build(struct dpsctp_wbuf *w, uint32_t new_cum_tsn,
	const struct dpsctp_fwd_stream *streams, uint16_t nstreams)
{
	size_t start = w->len;
	size_t mark;
	uint8_t *p;
	unsigned int i;
	int rc;

	rc = fwd_open(w, DPSCTP_CHUNK_FORWARD_TSN, new_cum_tsn, FWD_ENTRY, nstreams, &mark, &p);
	if (rc != 0) {
		dpsctp_wbuf_rewind(w, start);
		return rc;
	}
	for (i = 0; i < nstreams; i++, p += FWD_ENTRY) {
		dpsctp_put_be16(p, streams[i].sid);
		dpsctp_put_be16(p + 2, streams[i].ssn);
	}
	rc = dpsctp_chunk_end(w, mark);
	if (rc != 0)
		dpsctp_wbuf_rewind(w, start);
	return rc;
}

int
dpsctp_iforward_tsn_decode(const struct dpsctp_chunk *c, struct dpsctp_iforward_tsn *out)
{
	return fwd_decode(c, DPSCTP_CHUNK_I_FORWARD_TSN, IFWD_ENTRY, &out->new_cum_tsn,
		&out->nstreams, &out->streams);
}

int
dpsctp_iforward_tsn_build(struct dpsctp_wbuf *w, uint32_t new_cum_tsn,
	const struct dpsctp_ifwd_stream *streams, uint16_t nstreams)
{
	size_t start = w->len;
	size_t mark;
	uint8_t *p;
	unsigned int i;
	int rc;

	rc = fwd_open(w, DPSCTP_CHUNK_I_FORWARD_TSN, new_cum_tsn, IFWD_ENTRY, nstreams, &mark, &p);
	if (rc != 0) {
		dpsctp_wbuf_rewind(w, start);
		return rc;
	}
	for (i = 0; i < nstreams; i++, p += IFWD_ENTRY) {
		dpsctp_put_be16(p, streams[i].sid);
		dpsctp_put_be16(p + 2, streams[i].flags);
		dpsctp_put_be32(p + 4, streams[i].mid);
	}
	rc = dpsctp_chunk_end(w, mark);
	if (rc != 0)
		dpsctp_wbuf_rewind(w, start);
	return rc;
}

/*
 * INIT and INIT ACK
 */

static int
init_decode(const struct dpsctp_chunk *c, uint8_t type, struct dpsctp_init *out)
{
	const uint8_t *params;
	size_t len;
	int rc = check(c, type, INIT_FIXED);

	/* RFC 9260 3.3.2: variable parameters follow the fixed part as TLVs. */
	if (rc == 0)
		rc = region(c, INIT_FIXED, &params, &len, NULL);
	if (rc != 0)
		return rc;
	out->init_tag = dpsctp_get_be32(c->value);
	out->a_rwnd = dpsctp_get_be32(c->value + 4);
	out->os = dpsctp_get_be16(c->value + 8);
	out->mis = dpsctp_get_be16(c->value + 10);
	out->initial_tsn = dpsctp_get_be32(c->value + 12);
	out->params = params;
	out->params_len = len;
	return 0;
}

static int
init_begin(struct dpsctp_wbuf *w, uint8_t type, const struct dpsctp_init *in, size_t *mark)
{
	uint8_t v[INIT_FIXED];

	dpsctp_put_be32(v, in->init_tag);
	dpsctp_put_be32(v + 4, in->a_rwnd);
	dpsctp_put_be16(v + 8, in->os);
	dpsctp_put_be16(v + 10, in->mis);
	dpsctp_put_be32(v + 12, in->initial_tsn);
	return begin_chunk(w, type, 0, v, sizeof(v), in->params, in->params_len, mark);
}

int
dpsctp_init_decode(const struct dpsctp_chunk *c, struct dpsctp_init *out)
{
	return init_decode(c, DPSCTP_CHUNK_INIT, out);
}

int
dpsctp_init_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_init *out)
{
	return init_decode(c, DPSCTP_CHUNK_INIT_ACK, out);
}

int
dpsctp_init_begin(struct dpsctp_wbuf *w, const struct dpsctp_init *in, size_t *mark)
{
	return init_begin(w, DPSCTP_CHUNK_INIT, in, mark);
}

int
dpsctp_init_ack_begin(struct dpsctp_wbuf *w, const struct dpsctp_init *in, size_t *mark)
{
	return init_begin(w, DPSCTP_CHUNK_INIT_ACK, in, mark);
}

/*
 * HEARTBEAT and HEARTBEAT ACK
 */

int
dpsctp_heartbeat_decode(const struct dpsctp_chunk *c, struct dpsctp_heartbeat *out)
{
	return region_decode(c, DPSCTP_CHUNK_HEARTBEAT, &out->params, &out->params_len);
}

int
dpsctp_heartbeat_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_heartbeat *out)
{
	return region_decode(c, DPSCTP_CHUNK_HEARTBEAT_ACK, &out->params, &out->params_len);
}

int
dpsctp_heartbeat_begin(struct dpsctp_wbuf *w, const struct dpsctp_heartbeat *in, size_t *mark)
{
	return begin_chunk(w, DPSCTP_CHUNK_HEARTBEAT, 0, NULL, 0, in->params, in->params_len, mark);
}

int
dpsctp_heartbeat_ack_begin(struct dpsctp_wbuf *w, const struct dpsctp_heartbeat *in, size_t *mark)
{
	return begin_chunk(
		w, DPSCTP_CHUNK_HEARTBEAT_ACK, 0, NULL, 0, in->params, in->params_len, mark);
}

/*
 * ABORT and ERROR
 */

int
dpsctp_abort_decode(const struct dpsctp_chunk *c, struct dpsctp_abort *out)
{
	int rc = region_decode(c, DPSCTP_CHUNK_ABORT, &out->causes, &out->causes_len);

	if (rc == 0)
		out->t = (c->flags & DPSCTP_CHUNK_FLAG_T) != 0;
	return rc;
}

int
dpsctp_abort_begin(struct dpsctp_wbuf *w, const struct dpsctp_abort *in, size_t *mark)
{
	return begin_chunk(w, DPSCTP_CHUNK_ABORT, in->t ? DPSCTP_CHUNK_FLAG_T : 0, NULL, 0,
		in->causes, in->causes_len, mark);
}

int
dpsctp_error_decode(const struct dpsctp_chunk *c, struct dpsctp_error *out)
{
	return region_decode(c, DPSCTP_CHUNK_ERROR, &out->causes, &out->causes_len);
}

int
dpsctp_error_begin(struct dpsctp_wbuf *w, const struct dpsctp_error *in, size_t *mark)
{
	return begin_chunk(w, DPSCTP_CHUNK_ERROR, 0, NULL, 0, in->causes, in->causes_len, mark);
}

/*
 * SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE
 */

int
dpsctp_shutdown_decode(const struct dpsctp_chunk *c, struct dpsctp_shutdown *out)
{
	return tsn_decode(c, DPSCTP_CHUNK_SHUTDOWN, &out->cum_tsn);
}

int
dpsctp_shutdown_build(struct dpsctp_wbuf *w, const struct dpsctp_shutdown *in)
{
	return tsn_build(w, DPSCTP_CHUNK_SHUTDOWN, in->cum_tsn);
}

int
dpsctp_shutdown_ack_decode(const struct dpsctp_chunk *c)
{
	return check(c, DPSCTP_CHUNK_SHUTDOWN_ACK, 0);
}

int
dpsctp_shutdown_ack_build(struct dpsctp_wbuf *w)
{
	return put_chunk(w, DPSCTP_CHUNK_SHUTDOWN_ACK, 0, NULL, 0, NULL, 0, NULL);
}

int
dpsctp_shutdown_complete_decode(const struct dpsctp_chunk *c, struct dpsctp_shutdown_complete *out)
{
	int rc = check(c, DPSCTP_CHUNK_SHUTDOWN_COMPLETE, 0);

	if (rc == 0)
		out->t = (c->flags & DPSCTP_CHUNK_FLAG_T) != 0;
	return rc;
}

int
dpsctp_shutdown_complete_build(struct dpsctp_wbuf *w, const struct dpsctp_shutdown_complete *in)
{
	return put_chunk(w, DPSCTP_CHUNK_SHUTDOWN_COMPLETE, in->t ? DPSCTP_CHUNK_FLAG_T : 0, NULL,
		0, NULL, 0, NULL);
}

/*
 * COOKIE ECHO and COOKIE ACK
 */

int
dpsctp_cookie_echo_decode(const struct dpsctp_chunk *c, struct dpsctp_cookie_echo *out)
{
	int rc = check(c, DPSCTP_CHUNK_COOKIE_ECHO, 0);

	if (rc != 0)
		return rc;
	out->cookie = c->value;
	out->cookie_len = dpsctp_chunk_value_len(c);
	return 0;
}

int
dpsctp_cookie_echo_build(struct dpsctp_wbuf *w, const struct dpsctp_cookie_echo *in)
{
	if (in->cookie == NULL && in->cookie_len != 0)
		return -EINVAL;
	return put_chunk(w, DPSCTP_CHUNK_COOKIE_ECHO, 0, NULL, 0, in->cookie, in->cookie_len, NULL);
}

int
dpsctp_cookie_ack_decode(const struct dpsctp_chunk *c)
{
	return check(c, DPSCTP_CHUNK_COOKIE_ACK, 0);
}

int
dpsctp_cookie_ack_build(struct dpsctp_wbuf *w)
{
	return put_chunk(w, DPSCTP_CHUNK_COOKIE_ACK, 0, NULL, 0, NULL, 0, NULL);
}

/*
 * ECNE and CWR
 */

int
dpsctp_ecne_decode(const struct dpsctp_chunk *c, struct dpsctp_ecn *out)
{
	return tsn_decode(c, DPSCTP_CHUNK_ECNE, &out->lowest_tsn);
}

int
dpsctp_ecne_build(struct dpsctp_wbuf *w, const struct dpsctp_ecn *in)
{
	return tsn_build(w, DPSCTP_CHUNK_ECNE, in->lowest_tsn);
}

int
dpsctp_cwr_decode(const struct dpsctp_chunk *c, struct dpsctp_ecn *out)
{
	return tsn_decode(c, DPSCTP_CHUNK_CWR, &out->lowest_tsn);
}

int
dpsctp_cwr_build(struct dpsctp_wbuf *w, const struct dpsctp_ecn *in)
{
	return tsn_build(w, DPSCTP_CHUNK_CWR, in->lowest_tsn);
}

/*
 * AUTH and PAD
 */

int
dpsctp_auth_decode(const struct dpsctp_chunk *c, struct dpsctp_auth *out)
{
	int rc = check(c, DPSCTP_CHUNK_AUTH, 4);

	if (rc != 0)
		return rc;
	out->key_id = dpsctp_get_be16(c->value);
	out->hmac_id = dpsctp_get_be16(c->value + 2);
	out->hmac = c->value + 4;
	out->hmac_len = dpsctp_chunk_value_len(c) - 4;
	return 0;
}

int
dpsctp_auth_build(struct dpsctp_wbuf *w, const struct dpsctp_auth *in)
{
	uint8_t v[4];

	dpsctp_put_be16(v, in->key_id);
	dpsctp_put_be16(v + 2, in->hmac_id);
	/* RFC 4895 6.2: a NULL HMAC is written as zeros, to be filled in once computed. */
	return put_chunk(w, DPSCTP_CHUNK_AUTH, 0, v, sizeof(v), in->hmac, in->hmac_len, NULL);
}

int
dpsctp_pad_decode(const struct dpsctp_chunk *c, struct dpsctp_pad *out)
{
	int rc = check(c, DPSCTP_CHUNK_PAD, 0);

	if (rc == 0)
		out->pad_len = dpsctp_chunk_value_len(c);
	return rc;
}

int
dpsctp_pad_build(struct dpsctp_wbuf *w, const struct dpsctp_pad *in)
{
	/* RFC 4820 3: the padding data is ignored by the receiver; send zeros. */
	return put_chunk(w, DPSCTP_CHUNK_PAD, 0, NULL, 0, NULL, in->pad_len, NULL);
}

/*
 * ASCONF and ASCONF-ACK
 */

int
dpsctp_asconf_decode(const struct dpsctp_chunk *c, struct dpsctp_asconf *out)
{
	const uint8_t *p, *params;
	struct dpsctp_tlv addr;
	size_t len;
	int rc = check(c, DPSCTP_CHUNK_ASCONF, 4 + ADDR4_PARAM);

	if (rc != 0)
		return rc;
	/* RFC 5061 3.1.1: the serial number, then an IPv4 or IPv6 address parameter. */
	p = c->value + 4;
	rc = dpsctp_tlv_next(&p, c->value + dpsctp_chunk_value_len(c), &addr);
	if (rc <= 0)
		return -EBADMSG;
	if (!(addr.type == DPSCTP_PARAM_IPV4 && addr.len == ADDR4_PARAM) &&
		!(addr.type == DPSCTP_PARAM_IPV6 && addr.len == ADDR6_PARAM))
		return -EBADMSG;
	rc = region(c, (size_t)(p - c->value), &params, &len, NULL);
	if (rc != 0)
		return rc;
	out->serial = dpsctp_get_be32(c->value);
	out->addr_type = addr.type;
	out->addr = addr.value;
	out->params = params;
	out->params_len = len;
	return 0;
}

int
dpsctp_asconf_begin(struct dpsctp_wbuf *w, const struct dpsctp_asconf *in, size_t *mark)
{
	uint8_t v[4 + ADDR6_PARAM];
	size_t alen;

	if (in->addr_type == DPSCTP_PARAM_IPV4)
		alen = ADDR4_PARAM;
	else if (in->addr_type == DPSCTP_PARAM_IPV6)
		alen = ADDR6_PARAM;
	else
		return -EINVAL;
	if (in->addr == NULL)
		return -EINVAL;
	dpsctp_put_be32(v, in->serial);
	dpsctp_put_be16(v + 4, in->addr_type);
	dpsctp_put_be16(v + 6, (uint16_t)alen);
	memcpy(v + 8, in->addr, alen - DPSCTP_TLV_HDR_LEN);
	return begin_chunk(
		w, DPSCTP_CHUNK_ASCONF, 0, v, 4 + alen, in->params, in->params_len, mark);
}

int
dpsctp_asconf_ack_decode(const struct dpsctp_chunk *c, struct dpsctp_asconf_ack *out)
{
	const uint8_t *params;
	size_t len;
	int rc = check(c, DPSCTP_CHUNK_ASCONF_ACK, 4);

	/* RFC 5061 3.1.2: the serial number, then zero or more response parameters. */
	if (rc == 0)
		rc = region(c, 4, &params, &len, NULL);
	if (rc != 0)
		return rc;
	out->serial = dpsctp_get_be32(c->value);
	out->params = params;
	out->params_len = len;
	return 0;
}

int
dpsctp_asconf_ack_begin(struct dpsctp_wbuf *w, const struct dpsctp_asconf_ack *in, size_t *mark)
{
	uint8_t v[4];

	dpsctp_put_be32(v, in->serial);
	return begin_chunk(
		w, DPSCTP_CHUNK_ASCONF_ACK, 0, v, sizeof(v), in->params, in->params_len, mark);
}

/*
 * RE-CONFIG
 */

int
dpsctp_reconf_decode(const struct dpsctp_chunk *c, struct dpsctp_reconf *out)
{
	const uint8_t *params;
	size_t len;
	int n = 0;
	int rc = check(c, DPSCTP_CHUNK_RECONF, 0);

	if (rc == 0)
		rc = region(c, 0, &params, &len, &n);
	if (rc != 0)
		return rc;
	/* RFC 6525 3.1: one re-configuration parameter and an optional second one. */
	if (n < 1 || n > 2)
		return -EBADMSG;
	out->params = params;
	out->params_len = len;
	return 0;
}

int
dpsctp_reconf_begin(struct dpsctp_wbuf *w, const struct dpsctp_reconf *in, size_t *mark)
{
	return begin_chunk(w, DPSCTP_CHUNK_RECONF, 0, NULL, 0, in->params, in->params_len, mark);
}

/*
 * Any chunk, by its type
 */

int
dpsctp_chunk_decode(const struct dpsctp_chunk *c, union dpsctp_chunk_view *v)
{
	switch (c->type) {
	case DPSCTP_CHUNK_DATA:
		return dpsctp_data_decode(c, &v->data);
	case DPSCTP_CHUNK_I_DATA:
		return dpsctp_idata_decode(c, &v->idata);
	case DPSCTP_CHUNK_INIT:
		return dpsctp_init_decode(c, &v->init);
	case DPSCTP_CHUNK_INIT_ACK:
		return dpsctp_init_ack_decode(c, &v->init);
	case DPSCTP_CHUNK_SACK:
		return dpsctp_sack_decode(c, &v->sack);
	case DPSCTP_CHUNK_HEARTBEAT:
		return dpsctp_heartbeat_decode(c, &v->hb);
	case DPSCTP_CHUNK_HEARTBEAT_ACK:
		return dpsctp_heartbeat_ack_decode(c, &v->hb);
	case DPSCTP_CHUNK_ABORT:
		return dpsctp_abort_decode(c, &v->abort);
	case DPSCTP_CHUNK_SHUTDOWN:
		return dpsctp_shutdown_decode(c, &v->shutdown);
	case DPSCTP_CHUNK_SHUTDOWN_ACK:
		return dpsctp_shutdown_ack_decode(c);
	case DPSCTP_CHUNK_ERROR:
		return dpsctp_error_decode(c, &v->error);
	case DPSCTP_CHUNK_COOKIE_ECHO:
		return dpsctp_cookie_echo_decode(c, &v->cookie);
	case DPSCTP_CHUNK_COOKIE_ACK:
		return dpsctp_cookie_ack_decode(c);
	case DPSCTP_CHUNK_ECNE:
		return dpsctp_ecne_decode(c, &v->ecn);
	case DPSCTP_CHUNK_CWR:
		return dpsctp_cwr_decode(c, &v->ecn);
	case DPSCTP_CHUNK_SHUTDOWN_COMPLETE:
		return dpsctp_shutdown_complete_decode(c, &v->sc);
	case DPSCTP_CHUNK_AUTH:
		return dpsctp_auth_decode(c, &v->auth);
	case DPSCTP_CHUNK_PAD:
		return dpsctp_pad_decode(c, &v->pad);
	case DPSCTP_CHUNK_FORWARD_TSN:
		return dpsctp_forward_tsn_decode(c, &v->fwd);
	case DPSCTP_CHUNK_I_FORWARD_TSN:
		return dpsctp_iforward_tsn_decode(c, &v->ifwd);
	case DPSCTP_CHUNK_ASCONF:
		return dpsctp_asconf_decode(c, &v->asconf);
	case DPSCTP_CHUNK_ASCONF_ACK:
		return dpsctp_asconf_ack_decode(c, &v->asconf_ack);
	case DPSCTP_CHUNK_RECONF:
		return dpsctp_reconf_decode(c, &v->reconf);
	default:
		return -ENOENT;
	}
}
