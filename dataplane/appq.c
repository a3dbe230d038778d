/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker's end of an application's shared-memory channels (see appq.h). */
#include <errno.h>
#include <string.h>

#include "appq.h"

static bool
pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* ---- intake: app -> worker ---- */

int
dp_appq_in_init(
	struct dp_appq_in *q, struct dpsctp_chan *c, uint32_t ring_entries, uint32_t data_bytes)
{
	memset(q, 0, sizeof(*q));
	if (c == NULL || !pow2(ring_entries) || !pow2(data_bytes) || data_bytes < 2)
		return -EINVAL;
	q->c = c;
	q->data = dpsctp_chan_data(c, ring_entries);
	q->ring_entries = ring_entries;
	q->data_bytes = data_bytes;
	return 0;
}

int
dp_appq_in_poll(struct dp_appq_in *q)
{
	uint32_t prod;

	if (q->broken)
		return -EPROTO;
	prod = dpsctp_load_acquire(&q->c->ctl.prod);
	/* never more than a ring ahead of what we took, never behind it */
	if (!dpsctp_chan_prod_ok(prod, q->cons, q->ring_entries) ||
		(uint32_t)(prod - q->cons) < (uint32_t)(q->prod - q->cons)) {
		q->broken = true;
		return -EPROTO;
	}
	q->prod = prod;
	return (int)(prod - q->cons);
}

int
dp_appq_in_take(struct dp_appq_in *q, struct dpsctp_desc *d, const uint8_t **payload)
{
	if (q->broken)
		return -EPROTO;
	if (q->prod == q->cons)
		return -ENOENT;
	/* one copy out of the shared memory; everything below looks at the copy only */
	memcpy(d, &q->c->desc[q->cons & (q->ring_entries - 1)], sizeof(*d));
	if (!dpsctp_chan_desc_ok(d, q->data_cons, q->data_bytes)) {
		q->broken = true;
		return -EPROTO;
	}
	*payload = q->data + d->off;
	q->cons++;
	q->data_cons = d->data_end;
	return 0;
}

void
dp_appq_in_commit(struct dp_appq_in *q)
{
	if (q->pub_cons == q->cons)
		return;
	/* data_cons first: a producer that sees the new cons also sees the space it frees */
	dpsctp_store_release(&q->c->ctl.data_cons, q->data_cons);
	dpsctp_store_release(&q->c->ctl.cons, q->cons);
	q->pub_cons = q->cons;
}

/* ---- output: worker -> app ---- */

int
dp_appq_out_init(
	struct dp_appq_out *q, struct dpsctp_chan *c, uint32_t ring_entries, uint32_t data_bytes)
{
	memset(q, 0, sizeof(*q));
	if (c == NULL || !pow2(ring_entries) || !pow2(data_bytes) || data_bytes < 2)
		return -EINVAL;
	q->c = c;
	q->data = dpsctp_chan_data(c, ring_entries);
	q->ring_entries = ring_entries;
	q->data_bytes = data_bytes;
	return 0;
}

/* Read the consumer's indices again (acquire) and check them against what we produced. */
static int
out_refresh(struct dp_appq_out *q)
{
	uint32_t cons = dpsctp_load_acquire(&q->c->ctl.cons);
	uint32_t data_cons = dpsctp_load_acquire(&q->c->ctl.data_cons);

	/* judged against what we published: the consumer cannot have seen the rest */
	if (!dpsctp_chan_cons_ok(
		    cons, q->cons, q->pub_prod, data_cons, q->data_cons, q->pub_data_prod)) {
		q->broken = true;
		return -EPROTO;
	}
	q->cons = cons;
	q->data_cons = data_cons;
	return 0;
}

/* Reserve a descriptor slot and @p len payload bytes against the current view of the consumer. */
static bool
out_room(struct dp_appq_out *q, uint32_t len, int64_t *off, uint32_t *end)
{
	uint32_t dp = q->data_prod;
	int64_t o;

	if ((uint32_t)(q->prod - q->cons) >= q->ring_entries)
		return false;
	o = dpsctp_chan_reserve(&dp, q->data_cons, q->data_bytes, len);
	if (o < 0)
		return false;
	*off = o;
	*end = dp;
	return true;
}

int
dp_appq_out_put(struct dp_appq_out *q, const struct dpsctp_desc *d, const struct dp_appq_iov *iov,
	unsigned int iovcnt)
{
	struct dpsctp_desc *slot;
	size_t total = 0;
	unsigned int i;
	uint32_t end, at;
	int64_t off;

	if (q->broken)
		return -EPROTO;
	for (i = 0; i < iovcnt; i++)
		total += iov[i].len;
	if (total > dp_appq_out_max_payload(q))
		return -EMSGSIZE;
	if (!out_room(q, (uint32_t)total, &off, &end)) {
		/* the private view is stale only when the consumer moved: look once more */
		if (out_refresh(q) != 0)
			return -EPROTO;
		if (!out_room(q, (uint32_t)total, &off, &end))
			return -EAGAIN;
	}
	at = (uint32_t)off;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].len != 0)
			memcpy(q->data + at, iov[i].base, iov[i].len);
		at += (uint32_t)iov[i].len;
	}
	slot = &q->c->desc[q->prod & (q->ring_entries - 1)];
	memcpy(slot, d, sizeof(*slot));
	slot->off = (uint32_t)off;
	slot->len = (uint32_t)total;
	slot->data_end = end;
	q->data_prod = end;
	q->prod++;
	return 0;
}

int
dp_appq_out_check(struct dp_appq_out *q)
{
	if (q->broken)
		return -EPROTO;
	return out_refresh(q);
}

bool
dp_appq_out_publish(struct dp_appq_out *q)
{
	if (q->broken || q->pub_prod == q->prod)
		return false;
	dpsctp_store_release(&q->c->ctl.data_prod, q->data_prod);
	dpsctp_store_release(&q->c->ctl.prod, q->prod);
	q->pub_prod = q->prod;
	q->pub_data_prod = q->data_prod;
	return true;
}

bool
dp_appq_out_consumer_waiting(const struct dp_appq_out *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&q->c->ctl.consumer_waiting, __ATOMIC_RELAXED) != 0;
}
