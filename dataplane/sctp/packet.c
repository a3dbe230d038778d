/* SPDX-License-Identifier: BSD-3-Clause */
/* SCTP common header and packet-level structure checks (RFC 9260 3.1, 3.2, 6.10). */

#include <errno.h>
#include <string.h>

#include "packet.h"
#include "wire.h"

int
dpsctp_common_hdr_build(struct dpsctp_wbuf *w, uint16_t src_port, uint16_t dst_port, uint32_t vtag)
{
	uint8_t *h = dpsctp_wbuf_reserve(w, DPSCTP_COMMON_HDR_LEN);

	if (h == NULL)
		return -ENOSPC;
	dpsctp_put_be16(h, src_port);
	dpsctp_put_be16(h + 2, dst_port);
	dpsctp_put_be32(h + 4, vtag);
	dpsctp_put_be32(h + 8, 0);
	return 0;
}

/* RFC 9260 6.10: INIT, INIT ACK and SHUTDOWN COMPLETE MUST NOT be bundled with other chunks. */
static bool
must_be_alone(uint8_t type)
{
	return type == DPSCTP_CHUNK_INIT || type == DPSCTP_CHUNK_INIT_ACK ||
	       type == DPSCTP_CHUNK_SHUTDOWN_COMPLETE;
}

int
dpsctp_packet_parse(const uint8_t *pkt, size_t len, struct dpsctp_packet_info *pi)
{
	const uint8_t *end = pkt + len;
	const uint8_t *p = pkt + DPSCTP_COMMON_HDR_LEN;
	struct dpsctp_packet_info info;
	struct dpsctp_chunk c;
	bool lonely = false;
	int rc;

	if (len < DPSCTP_COMMON_HDR_LEN + DPSCTP_CHUNK_HDR_LEN)
		return -EBADMSG;
	memset(&info, 0, sizeof(info));
	info.hdr.src_port = dpsctp_get_be16(pkt);
	info.hdr.dst_port = dpsctp_get_be16(pkt + 2);
	info.hdr.vtag = dpsctp_get_be32(pkt + 4);
	info.hdr.checksum = dpsctp_packet_get_checksum(pkt);
	info.chunks = p;
	info.end = end;
	while ((rc = dpsctp_chunk_next(&p, end, &c)) > 0) {
		if (info.nchunks == 0) {
			info.first_type = c.type;
			info.first_flags = c.flags;
		}
		if (info.nchunks < UINT16_MAX)
			info.nchunks++;
		info.types[c.type >> 5] |= 1u << (c.type & 31);
		lonely |= must_be_alone(c.type);
	}
	if (rc < 0)
		return rc;
	if (lonely && info.nchunks > 1)
		return -EPROTO;
	*pi = info;
	return 0;
}
