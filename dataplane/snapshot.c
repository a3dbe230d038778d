/* SPDX-License-Identifier: BSD-3-Clause */
/* Association snapshots for telemetry (see snapshot.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

int
dp_snapshot_init(struct dp_snapshot *s)
{
	s->buf[0] = calloc(1, sizeof(struct dp_snap_buf));
	s->buf[1] = calloc(1, sizeof(struct dp_snap_buf));
	s->pub = 0;
	if (s->buf[0] == NULL || s->buf[1] == NULL) {
		dp_snapshot_free(s);
		return -ENOMEM;
	}
	return 0;
}

void
dp_snapshot_free(struct dp_snapshot *s)
{
	free(s->buf[0]);
	free(s->buf[1]);
	s->buf[0] = s->buf[1] = NULL;
}

struct dp_snap_buf *
dp_snapshot_begin(struct dp_snapshot *s)
{
	struct dp_snap_buf *b = s->buf[__atomic_load_n(&s->pub, __ATOMIC_RELAXED) ^ 1];

	__atomic_store_n(&b->seq, b->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	b->n = 0;
	b->total = 0;
	return b;
}

void
dp_snapshot_publish(struct dp_snapshot *s)
{
	uint32_t idx = __atomic_load_n(&s->pub, __ATOMIC_RELAXED) ^ 1;
	struct dp_snap_buf *b = s->buf[idx];

	__atomic_store_n(&b->seq, b->seq + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->pub, idx, __ATOMIC_RELEASE);
}

void
dp_snapshot_fill(struct dp_snap_assoc *out, struct dpsctp_assoc *a, uint16_t svc,
	uint16_t local_port)
{
	struct dpsctp_assoc_status st;
	struct dpsctp_path_info pi;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	size_t n, i;

	memset(out, 0, sizeof(*out));
	dpsctp_assoc_get_status(a, &st);
	dpsctp_assoc_path_info(a, &pi);
	out->id = dpsctp_assoc_id(a);
	out->svc = svc;
	out->local_port = local_port;
	out->peer_port = st.peer_port;
	out->state = (uint8_t)st.state;
	out->local_vtag = st.local_vtag;
	out->peer_vtag = st.peer_vtag;
	out->os = st.outbound_streams;
	out->is = st.inbound_streams;
	out->peer_rwnd = pi.peer_rwnd;
	out->rwnd = pi.rwnd;
	out->cwnd = pi.cwnd;
	out->ssthresh = pi.ssthresh;
	out->flight = pi.flight;
	out->unacked = pi.unacked;
	out->queued = pi.queued;
	out->srtt = pi.srtt;
	out->rto = pi.rto;
	out->primary = st.primary.remote;
	n = dpsctp_assoc_peer_addrs(a, addrs, DPSCTP_MAX_ADDRS);
	if (n > DPSCTP_MAX_ADDRS)
		n = DPSCTP_MAX_ADDRS;
	for (i = 0; i < n; i++) {
		struct dpsctp_paddr_info p;
		struct dp_snap_path *sp = &out->paths[out->npaths];

		if (dpsctp_assoc_paddr_info(a, &addrs[i], &p) != 0)
			continue;
		sp->path = p.path;
		sp->state = (uint8_t)p.state;
		sp->primary = p.primary;
		sp->cwnd = p.cwnd;
		sp->flight = p.flight;
		sp->mtu = p.mtu;
		sp->errors = p.error_count;
		sp->srtt = p.srtt;
		sp->rto = p.rto;
		out->npaths++;
	}
}

/* Copy under the sequence check; false when the writer got in the way twice in a row. */
static bool
read_stable(const struct dp_snapshot *s, void (*copy)(const struct dp_snap_buf *, void *),
	void *arg)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		uint32_t idx = __atomic_load_n(&s->pub, __ATOMIC_ACQUIRE);
		const struct dp_snap_buf *b = s->buf[idx];
		uint32_t s1 = __atomic_load_n(&b->seq, __ATOMIC_ACQUIRE), s2;

		if (s1 & 1)
			continue;
		copy(b, arg);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&b->seq, __ATOMIC_RELAXED);
		if (s1 == s2)
			return true;
	}
	return false;
}

struct ids_arg {
	uint32_t *ids;
	unsigned int cap, n;
	uint32_t total;
};

static void
copy_ids(const struct dp_snap_buf *b, void *arg)
{
	struct ids_arg *x = arg;
	unsigned int i;

	x->n = 0;
	x->total = b->total;
	for (i = 0; i < b->n && i < DP_SNAP_MAX && x->n < x->cap; i++)
		x->ids[x->n++] = b->a[i].id;
}

unsigned int
dp_snapshot_ids(const struct dp_snapshot *s, uint32_t *ids, unsigned int cap, uint32_t *total)
{
	struct ids_arg x = { .ids = ids, .cap = cap };

	if (!read_stable(s, copy_ids, &x)) {
		*total = 0;
		return 0;
	}
	*total = x.total;
	return x.n;
}

struct get_arg {
	uint32_t id;
	bool found;
	struct dp_snap_assoc *out;
};

static void
copy_one(const struct dp_snap_buf *b, void *arg)
{
	struct get_arg *x = arg;
	unsigned int i;

	x->found = false;
	for (i = 0; i < b->n && i < DP_SNAP_MAX; i++) {
		if (b->a[i].id == x->id) {
			memcpy(x->out, &b->a[i], sizeof(*x->out));
			x->found = true;
			return;
		}
	}
}

bool
dp_snapshot_get(const struct dp_snapshot *s, uint32_t id, struct dp_snap_assoc *out)
{
	struct get_arg x = { .id = id, .out = out };

	return read_stable(s, copy_one, &x) && x.found;
}
