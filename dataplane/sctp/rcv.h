/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The data receiver of an association (RFC 9260 6.2, 6.5, 6.7): DATA chunks checked against
 * the TSN map, the streams and our receiver window, handed to reassembly (reasm.c) and
 * acknowledged by SACKs, delayed (6.2: sack_delay, every sack_freq-th packet) or immediate
 * (gaps, duplicates, the I bit of RFC 7053, window updates).
 */
#ifndef DPSCTP_SCTP_RCV_H
#define DPSCTP_SCTP_RCV_H

#include <stdbool.h>
#include <stdint.h>

#include "chunk.h"
#include "wbuf.h"

struct dpsctp_assoc;

/** Start receiving: TSN map from the peer's initial TSN, a_mis inbound streams. 0 or -ENOMEM. */
int dpsctp_rcv_setup(struct dpsctp_assoc *a);

/** Stop receiving: release held data; report an unfinished partial delivery when @p report. */
void dpsctp_rcv_teardown(struct dpsctp_assoc *a, bool report);

/**
 * One DATA chunk of a packet. @return 0, or -ECONNABORTED when it ended the association (a DATA
 * chunk without user data, 6.2; fragments that break 6.9).
 */
int dpsctp_rcv_data(struct dpsctp_assoc *a, const struct dpsctp_data *d, uint64_t now);

/** The packet whose DATA chunks were just given is finished: SACK now or later. */
void dpsctp_rcv_packet_done(struct dpsctp_assoc *a, uint64_t now);

/** Our receiver window as we would advertise it now, bytes. */
uint32_t dpsctp_rcv_window(const struct dpsctp_assoc *a);

/** Append the SACK to @p w. @return 0 or -ENOSPC. */
int dpsctp_rcv_put_sack(struct dpsctp_assoc *a, struct dpsctp_wbuf *w);

/** The user read @p bytes of delivered data (cfg.rcv_app_window). */
void dpsctp_rcv_consume(struct dpsctp_assoc *a, size_t bytes);

#endif /* DPSCTP_SCTP_RCV_H */
