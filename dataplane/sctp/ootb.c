/* SPDX-License-Identifier: BSD-3-Clause */
/* Out-of-the-blue packets (RFC 9260 8.4); see ootb.h and dpsctp_ootb_answer in engine.h. */
#include <errno.h>

#include "chunk.h"
#include "engine.h"
#include "ootb.h"
#include "wbuf.h"
#include "wire.h"

static bool
has_stale_cookie_error(const struct dpsctp_packet_info *pi)
{
	const uint8_t *p = pi->chunks;
	struct dpsctp_chunk ch;

	while (dpsctp_chunk_next(&p, pi->end, &ch) == 1)
		if (ch.type == DPSCTP_CHUNK_ERROR && ch.len >= 8 &&
			dpsctp_get_be16(ch.value) == DPSCTP_CAUSE_STALE_COOKIE)
			return true;
	return false;
}

void
dpsctp_ootb_decide(const struct dpsctp_packet_info *pi, struct dpsctp_ootb_reply *r)
{
	r->type = 0;
	r->flags = DPSCTP_CHUNK_FLAG_T;
	r->vtag = pi->hdr.vtag;
	/* 8.4 rules 2, 6 and 7: ABORT, SHUTDOWN COMPLETE, COOKIE ACK, Stale Cookie: silence */
	if (dpsctp_packet_has(pi, DPSCTP_CHUNK_ABORT) ||
		dpsctp_packet_has(pi, DPSCTP_CHUNK_SHUTDOWN_COMPLETE) ||
		dpsctp_packet_has(pi, DPSCTP_CHUNK_COOKIE_ACK) || has_stale_cookie_error(pi))
		return;
	/* 8.4 rule 5: SHUTDOWN COMPLETE, T bit set, the packet's tag; rule 8: ABORT likewise */
	r->type = dpsctp_packet_has(pi, DPSCTP_CHUNK_SHUTDOWN_ACK) ?
		DPSCTP_CHUNK_SHUTDOWN_COMPLETE : DPSCTP_CHUNK_ABORT;
}

size_t
dpsctp_ootb_answer(const uint8_t *pkt, size_t len, uint8_t *buf, size_t cap)
{
	struct dpsctp_packet_info pi;
	struct dpsctp_ootb_reply r;
	struct dpsctp_chunk ch;
	struct dpsctp_init init;
	struct dpsctp_wbuf w;
	const uint8_t *p;
	size_t mark;

	if (dpsctp_packet_parse(pkt, len, &pi) != 0)
		return 0;
	if (pi.first_type == DPSCTP_CHUNK_INIT) {
		/* 8.5.1 A and 3.3.2: a tagged INIT or an Initiate Tag of 0 is discarded */
		p = pi.chunks;
		if (pi.hdr.vtag != 0 || dpsctp_chunk_next(&p, pi.end, &ch) != 1 ||
			dpsctp_init_decode(&ch, &init) != 0 || init.init_tag == 0)
			return 0;
		/* 8.4 rule 3: the INIT cannot be processed: ABORT with its tag, T bit clear */
		r.type = DPSCTP_CHUNK_ABORT;
		r.flags = 0;
		r.vtag = init.init_tag;
	} else if (pi.hdr.vtag == 0 || pi.first_type == DPSCTP_CHUNK_COOKIE_ECHO) {
		/* 8.5.1 A; a COOKIE ECHO to a port without endpoint is not ours to answer */
		return 0;
	} else {
		dpsctp_ootb_decide(&pi, &r);
		if (r.type == 0)
			return 0;
	}
	dpsctp_wbuf_init(&w, buf, cap);
	if (dpsctp_common_hdr_build(&w, pi.hdr.dst_port, pi.hdr.src_port, r.vtag) != 0 ||
		dpsctp_chunk_begin(&w, r.type, r.flags, &mark) != 0 ||
		dpsctp_chunk_end(&w, mark) != 0)
		return 0;
	return w.len;
}
