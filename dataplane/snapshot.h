/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What telemetry sees of a worker's associations: a copy the worker writes every 100 ms into
 * the one of two buffers readers are not told to use, then publishes. A reader copies an entry
 * and checks the buffer's sequence number did not move meanwhile (odd: being written). The
 * worker never waits for a reader and never shares its live association state with another
 * thread.
 */
#ifndef DPSCTP_DATAPLANE_SNAPSHOT_H
#define DPSCTP_DATAPLANE_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

#define DP_SNAP_MAX 1024 /**< associations per worker shown (the rest are counted) */

/** One path of an association. */
struct dp_snap_path {
	struct dpsctp_path path;
	uint8_t state;     /**< enum dpsctp_path_state */
	uint8_t primary;
	uint32_t cwnd, flight, mtu, errors;
	uint64_t srtt, rto; /**< ns */
};

/** One association. */
struct dp_snap_assoc {
	uint32_t id;
	uint16_t svc;       /**< service index */
	uint16_t local_port, peer_port;
	uint8_t state;      /**< enum dpsctp_state */
	uint8_t npaths;
	uint32_t local_vtag, peer_vtag;
	uint16_t os, is;    /**< streams out / in */
	uint32_t peer_rwnd, rwnd, cwnd, ssthresh, flight, unacked, queued;
	uint64_t srtt, rto; /**< primary, ns */
	struct dpsctp_addr primary;
	struct dp_snap_path paths[DPSCTP_MAX_ADDRS];
};

/** A published set. */
struct dp_snap_buf {
	uint32_t seq;       /**< odd while being written */
	uint32_t n;         /**< entries in @c a */
	uint32_t total;     /**< associations the worker had (may exceed n) */
	struct dp_snap_assoc a[DP_SNAP_MAX];
};

/** The double buffer. */
struct dp_snapshot {
	struct dp_snap_buf *buf[2];
	uint32_t pub;       /**< index readers use */
};

/** Allocate the buffers. @return 0 or -ENOMEM. */
int dp_snapshot_init(struct dp_snapshot *s);
void dp_snapshot_free(struct dp_snapshot *s);

/** Writer: start filling the unpublished buffer; returns it (seq made odd, n = 0). */
struct dp_snap_buf *dp_snapshot_begin(struct dp_snapshot *s);
/** Writer: publish the buffer begun. */
void dp_snapshot_publish(struct dp_snapshot *s);

/** Fill @p out from association @p a (the worker's own, on its own lcore). */
void dp_snapshot_fill(struct dp_snap_assoc *out, struct dpsctp_assoc *a, uint16_t svc,
	uint16_t local_port);

/**
 * Reader: copy the published ids (up to @p cap) into @p ids. @return how many, and the
 * worker's total in @p total.
 */
unsigned int dp_snapshot_ids(const struct dp_snapshot *s, uint32_t *ids, unsigned int cap,
	uint32_t *total);

/** Reader: copy association @p id into @p out. @return true when found. */
bool dp_snapshot_get(const struct dp_snapshot *s, uint32_t id, struct dp_snap_assoc *out);

#endif
