/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An application that attaches to dpsctpd without libdpsctp: it speaks api/abi/rpc.h over the
 * attach socket and api/abi/shm.h in the shared memory itself. The hostile-application test
 * uses it to do on purpose what a buggy application would: random descriptors, offsets and
 * lengths outside the byte ring, a producer index that jumps, a consumer index corrupted.
 */
#ifndef DPSCTP_TESTS_API_RAWATTACH_H
#define DPSCTP_TESTS_API_RAWATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "rpc.h"
#include "shm.h"

/** One raw session (one connection to the attach socket). */
struct raw_session {
	int sock;      /**< the attach socket (SOCK_SEQPACKET) */
	int memfd;     /**< the shared memory */
	int efd;       /**< the session's eventfd */
	uint8_t *shm;  /**< the mapping */
	size_t size;
	uint32_t session, nworkers, owner_bits, ring_entries, data_bytes;
	uint32_t seq;  /**< RPC numbers */
	uint32_t req;  /**< descriptor request numbers */
	uint32_t data_prod[DPSCTP_SHM_MAX_WORKERS]; /**< our producer view per app -> worker channel */
};

/** Connect to @p path and HELLO. @return 0 or -errno (the daemon's result, or a system error). */
int raw_attach(struct raw_session *r, const char *path);

/** Send request @p q (seq filled here) and read its answer into @p q. @return q->result or -errno. */
int raw_rpc(struct raw_session *r, struct dpsctp_rpc *q);

/**
 * EP_OPEN: family 4, @p port, on the one IPv4 address @p addr_be (network order), listening when
 * @p listen. @return 0 with the service slot in @p *svc, or -errno.
 */
int raw_ep_open(struct raw_session *r, uint16_t port, uint32_t addr_be, int listen, uint32_t *svc);

/** Channel of worker @p w, direction @p dir (computed from the HELLO answer, as the daemon does). */
struct dpsctp_chan *raw_chan(struct raw_session *r, uint32_t w, int dir);

/**
 * Post descriptor @p d (off, len, data_end filled here) with @p len bytes of @p payload to
 * worker @p w following the protocol. @return 0 or -EAGAIN (no room).
 */
int raw_post(struct raw_session *r, uint32_t w, struct dpsctp_desc *d, const void *payload,
	uint32_t len);

/** Drain every TO_APP channel following the protocol (what a good consumer does). @return descriptors read. */
unsigned int raw_drain(struct raw_session *r);

/** Has the daemon closed our attach socket (EOF)? Waits up to @p ms. */
int raw_closed_by_daemon(struct raw_session *r, int ms);

/** Unmap and close everything. */
void raw_detach(struct raw_session *r);

#endif
