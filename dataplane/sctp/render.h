/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SCTP packets as text, for logs, dpsctpctl and test failures: one line for the common header,
 * then one line per chunk with its fields, parameters and error causes summarised inline.
 * Anything malformed or unknown is rendered as such; nothing from the wire can make it read out of
 * bounds or write past the caller's buffer.
 */
#ifndef DPSCTP_SCTP_RENDER_H
#define DPSCTP_SCTP_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "tlv.h"

/**
 * Render one chunk as a single line (no newline), e.g.
 * "DATA [BE] tsn=100 sid=1 ssn=2 ppid=0x00000003 len=11".
 * @return the length of the full line, like snprintf(): the output was truncated when the return
 *	value is >= @p cap. @p out is always NUL-terminated when @p cap > 0.
 */
size_t dpsctp_chunk_render(const struct dpsctp_chunk *c, char *out, size_t cap);

/**
 * Render the packet [@p pkt, @p pkt + @p len): "SCTP sport > dport vtag=0x.. crc=0x.. chunks=N"
 * then each chunk on its own line, indented by two spaces; every line ends in '\n'. Structural
 * errors are rendered as a final "malformed: ..." line.
 * @return as dpsctp_chunk_render().
 */
size_t dpsctp_packet_render(const uint8_t *pkt, size_t len, char *out, size_t cap);

#endif /* DPSCTP_SCTP_RENDER_H */
