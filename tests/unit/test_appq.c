/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's end of the application channels (dataplane/appq.c) over a malloc'd channel: the
 * test plays the application (producer of requests, consumer of deliveries) by the rules of
 * api/abi/shm.h, then breaks every one of them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "appq.h"

#define RING 8
#define DATA 1024

static struct dpsctp_chan *
chan_new(uint32_t ring, uint32_t data)
{
	size_t size = (dpsctp_chan_size(ring, data) + 63) & ~(size_t)63;
	struct dpsctp_chan *c = aligned_alloc(64, size);

	cr_assert_not_null(c);
	memset(c, 0, size);
	return c;
}

/* ---- the application as producer (app -> worker) ---- */

struct app_prod {
	struct dpsctp_chan *c;
	uint32_t prod, data_prod;
};

/* Publish one request with @p len payload bytes of value @p fill; false when no room. */
static bool
app_send(struct app_prod *p, uint16_t op, uint32_t req, uint32_t len, uint8_t fill)
{
	uint32_t cons = dpsctp_load_acquire(&p->c->ctl.cons);
	uint32_t dcons = dpsctp_load_acquire(&p->c->ctl.data_cons);
	struct dpsctp_desc *d;
	int64_t off;

	if (p->prod - cons >= RING)
		return false;
	off = dpsctp_chan_reserve(&p->data_prod, dcons, DATA, len);
	if (off < 0)
		return false;
	memset(dpsctp_chan_data(p->c, RING) + off, fill, len);
	d = &p->c->desc[p->prod & (RING - 1)];
	memset(d, 0, sizeof(*d));
	d->op = op;
	d->req = req;
	d->off = (uint32_t)off;
	d->len = len;
	d->data_end = p->data_prod;
	p->prod++;
	dpsctp_store_release(&p->c->ctl.prod, p->prod);
	return true;
}

Test(appq_in, empty_then_one)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	struct dpsctp_desc d;
	const uint8_t *pl;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	cr_assert_eq(dp_appq_in_poll(&q), 0);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), -ENOENT);
	cr_assert(app_send(&ap, DPSCTP_OP_SEND, 7, 100, 0xab));
	cr_assert_eq(dp_appq_in_poll(&q), 1);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), 0);
	cr_assert_eq(d.req, 7);
	cr_assert_eq(d.len, 100);
	cr_assert_eq(pl[0], 0xab);
	cr_assert_eq(pl[99], 0xab);
	/* not published before commit: the payload stays ours */
	cr_assert_eq(c->ctl.cons, 0);
	dp_appq_in_commit(&q);
	cr_assert_eq(c->ctl.cons, 1);
	cr_assert_eq(c->ctl.data_cons, 100);
	cr_assert_not(q.broken);
	free(c);
}

Test(appq_in, bad_sizes)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct dp_appq_in q;

	cr_assert_eq(dp_appq_in_init(&q, c, 6, DATA), -EINVAL);
	cr_assert_eq(dp_appq_in_init(&q, c, RING, 1000), -EINVAL);
	cr_assert_eq(dp_appq_in_init(&q, NULL, RING, DATA), -EINVAL);
	free(c);
}

/* Many requests of sizes that do not divide the ring: the producer pads at the wrap. */
Test(appq_in, wrap_around)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	unsigned int sent = 0, got = 0, wraps = 0;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	while (got < 200) {
		struct dpsctp_desc d;
		const uint8_t *pl;
		int n;

		while (app_send(&ap, DPSCTP_OP_SEND, sent, 100 + sent % 300, (uint8_t)sent))
			sent++;
		n = dp_appq_in_poll(&q);
		cr_assert_gt(n, 0);
		while (n-- > 0) {
			cr_assert_eq(dp_appq_in_take(&q, &d, &pl), 0);
			cr_assert_eq(d.req, got);
			cr_assert_eq(d.len, 100 + got % 300);
			cr_assert_eq(pl[0], (uint8_t)got);
			cr_assert_eq(pl[d.len - 1], (uint8_t)got);
			wraps += d.off == 0;
			got++;
		}
		dp_appq_in_commit(&q);
	}
	cr_assert_gt(wraps, 10, "the byte ring wrapped");
	cr_assert_not(q.broken);
	free(c);
}

Test(appq_in, full_ring)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	unsigned int i;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	for (i = 0; i < RING; i++)
		cr_assert(app_send(&ap, DPSCTP_OP_SHUTDOWN, i, 0, 0));
	cr_assert_not(app_send(&ap, DPSCTP_OP_SHUTDOWN, i, 0, 0));
	cr_assert_eq(dp_appq_in_poll(&q), RING);
	free(c);
}

/* prod more than a ring ahead of what we took */
Test(appq_in, prod_jumps_forward)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct dp_appq_in q;
	struct dpsctp_desc d;
	const uint8_t *pl;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	c->ctl.prod = RING + 1;
	cr_assert_eq(dp_appq_in_poll(&q), -EPROTO);
	cr_assert(q.broken);
	/* latched: even a sane prod is not read again */
	c->ctl.prod = 0;
	cr_assert_eq(dp_appq_in_poll(&q), -EPROTO);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), -EPROTO);
	free(c);
}

/* prod behind what we took, or behind what it said before */
Test(appq_in, prod_goes_back)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	struct dpsctp_desc d;
	const uint8_t *pl;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	cr_assert(app_send(&ap, DPSCTP_OP_SHUTDOWN, 0, 0, 0));
	cr_assert(app_send(&ap, DPSCTP_OP_SHUTDOWN, 1, 0, 0));
	cr_assert_eq(dp_appq_in_poll(&q), 2);
	c->ctl.prod = 1; /* retracts a published descriptor */
	cr_assert_eq(dp_appq_in_poll(&q), -EPROTO);
	free(c);

	c = chan_new(RING, DATA);
	ap = (struct app_prod){.c = c};
	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	cr_assert(app_send(&ap, DPSCTP_OP_SHUTDOWN, 0, 0, 0));
	cr_assert_eq(dp_appq_in_poll(&q), 1);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), 0);
	c->ctl.prod = 0; /* behind what we consumed */
	cr_assert_eq(dp_appq_in_poll(&q), -EPROTO);
	free(c);
}

/* One descriptor rewritten by @p mut after a sane publication must break the channel. */
static void
bad_desc(void (*mut)(struct dpsctp_desc *d))
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	struct dpsctp_desc d;
	const uint8_t *pl;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	cr_assert(app_send(&ap, DPSCTP_OP_SEND, 0, 64, 1));
	mut(&c->desc[0]);
	cr_assert_eq(dp_appq_in_poll(&q), 1);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), -EPROTO);
	cr_assert(q.broken);
	cr_assert_eq(dp_appq_in_poll(&q), -EPROTO);
	free(c);
}

static void
mut_off(struct dpsctp_desc *d)
{
	d->off = DATA;
}

static void
mut_len(struct dpsctp_desc *d)
{
	d->off = DATA - 10;
	d->len = 11;
}

static void
mut_len_huge(struct dpsctp_desc *d)
{
	d->len = DPSCTP_SHM_MAX_PAYLOAD + 1;
}

static void
mut_len_wrap(struct dpsctp_desc *d)
{
	d->off = 16;
	d->len = UINT32_MAX - 8; /* off + len wraps in 32 bits */
}

static void
mut_end_far(struct dpsctp_desc *d)
{
	d->data_end = DATA + 1;
}

static void
mut_end_back(struct dpsctp_desc *d)
{
	d->data_end = (uint32_t)-1;
}

Test(appq_in, bad_off)
{
	bad_desc(mut_off);
}

Test(appq_in, bad_len)
{
	bad_desc(mut_len);
}

Test(appq_in, len_above_max)
{
	bad_desc(mut_len_huge);
}

Test(appq_in, len_wraps)
{
	bad_desc(mut_len_wrap);
}

Test(appq_in, data_end_too_far)
{
	bad_desc(mut_end_far);
}

Test(appq_in, data_end_backwards)
{
	bad_desc(mut_end_back);
}

/* The descriptor is copied before it is checked: later scribbling changes nothing. */
Test(appq_in, copy_first)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_prod ap = {.c = c};
	struct dp_appq_in q;
	struct dpsctp_desc d;
	const uint8_t *pl;

	cr_assert_eq(dp_appq_in_init(&q, c, RING, DATA), 0);
	cr_assert(app_send(&ap, DPSCTP_OP_SEND, 0, 64, 1));
	cr_assert_eq(dp_appq_in_poll(&q), 1);
	cr_assert_eq(dp_appq_in_take(&q, &d, &pl), 0);
	c->desc[0].len = 1u << 30;
	cr_assert_eq(d.len, 64);
	free(c);
}

/* ---- the application as consumer (worker -> app) ---- */

struct app_cons {
	struct dpsctp_chan *c;
	uint32_t cons;
};

/* Take one delivery (if any) into @p d; releases its space. */
static bool
app_recv(struct app_cons *ac, struct dpsctp_desc *d, uint8_t *buf)
{
	uint32_t prod = dpsctp_load_acquire(&ac->c->ctl.prod);

	if (prod == ac->cons)
		return false;
	*d = ac->c->desc[ac->cons & (RING - 1)];
	if (buf != NULL)
		memcpy(buf, dpsctp_chan_data(ac->c, RING) + d->off, d->len);
	ac->cons++;
	dpsctp_store_release(&ac->c->ctl.data_cons, d->data_end);
	dpsctp_store_release(&ac->c->ctl.cons, ac->cons);
	return true;
}

static int
put(struct dp_appq_out *q, uint32_t req, const void *p, size_t len)
{
	struct dpsctp_desc d = {.op = DPSCTP_OP_DATA, .req = req};
	struct dp_appq_iov iov = {p, len};

	return dp_appq_out_put(q, &d, &iov, 1);
}

Test(appq_out, put_publish_recv)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_cons ac = {.c = c};
	struct dp_appq_out q;
	struct dpsctp_desc d;
	uint8_t buf[DATA], msg[40];
	struct dp_appq_iov iov[2] = {{"head", 4}, {msg, sizeof(msg)}};
	struct dpsctp_desc hd = {.op = DPSCTP_OP_NOTIFY, .assoc_id = 17};

	memset(msg, 0x5a, sizeof(msg));
	cr_assert_eq(dp_appq_out_init(&q, c, RING, DATA), 0);
	cr_assert_eq(dp_appq_out_put(&q, &hd, iov, 2), 0);
	cr_assert_not(app_recv(&ac, &d, buf), "not visible before publish");
	cr_assert(dp_appq_out_publish(&q));
	cr_assert_not(dp_appq_out_publish(&q), "nothing new");
	cr_assert(app_recv(&ac, &d, buf));
	cr_assert_eq(d.op, DPSCTP_OP_NOTIFY);
	cr_assert_eq(d.assoc_id, 17);
	cr_assert_eq(d.len, 44);
	cr_assert_eq(memcmp(buf, "head", 4), 0);
	cr_assert_eq(buf[43], 0x5a);
	cr_assert_not(dp_appq_out_consumer_waiting(&q));
	c->ctl.consumer_waiting = 1;
	cr_assert(dp_appq_out_consumer_waiting(&q));
	free(c);
}

Test(appq_out, full_then_room)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_cons ac = {.c = c};
	struct dp_appq_out q;
	struct dpsctp_desc d;
	uint8_t big[DATA / 2];
	unsigned int i;

	memset(big, 1, sizeof(big));
	cr_assert_eq(dp_appq_out_init(&q, c, RING, DATA), 0);
	/* descriptors run out */
	for (i = 0; i < RING; i++)
		cr_assert_eq(put(&q, i, NULL, 0), 0);
	cr_assert_eq(put(&q, i, NULL, 0), -EAGAIN);
	dp_appq_out_publish(&q);
	cr_assert(app_recv(&ac, &d, NULL));
	cr_assert_eq(put(&q, i, NULL, 0), 0, "room once the consumer moved");
	dp_appq_out_publish(&q);
	while (app_recv(&ac, &d, NULL))
		;
	/* bytes run out */
	cr_assert_eq(put(&q, 0, big, sizeof(big)), 0);
	cr_assert_eq(put(&q, 0, big, sizeof(big)), 0);
	cr_assert_eq(put(&q, 0, big, 1), -EAGAIN);
	cr_assert_eq(put(&q, 0, big, sizeof(big) + 1), -EMSGSIZE);
	dp_appq_out_publish(&q);
	cr_assert(app_recv(&ac, &d, NULL));
	cr_assert_eq(put(&q, 0, big, 1), 0);
	cr_assert_not(q.broken);
	free(c);
}

Test(appq_out, wrap_padding)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct app_cons ac = {.c = c};
	struct dp_appq_out q;
	struct dpsctp_desc d;
	uint8_t msg[300], buf[DATA];
	unsigned int i, wraps = 0;

	cr_assert_eq(dp_appq_out_init(&q, c, RING, DATA), 0);
	for (i = 0; i < 100; i++) {
		memset(msg, (int)i, sizeof(msg));
		cr_assert_eq(put(&q, i, msg, 300), 0);
		dp_appq_out_publish(&q);
		cr_assert(app_recv(&ac, &d, buf));
		cr_assert_eq(d.req, i);
		cr_assert_leq(d.off + d.len, DATA, "never across the end");
		cr_assert_eq(buf[0], (uint8_t)i);
		cr_assert_eq(buf[299], (uint8_t)i);
		wraps += d.off == 0;
	}
	cr_assert_gt(wraps, 10);
	free(c);
}

/* A consumer that moves its indices where it never was must break the channel. */
static void
cons_corrupt(uint32_t cons, uint32_t data_cons)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct dp_appq_out q;
	uint8_t big[DATA / 2];
	unsigned int i;

	memset(big, 0, sizeof(big));
	cr_assert_eq(dp_appq_out_init(&q, c, RING, DATA), 0);
	cr_assert_eq(put(&q, 0, big, 100), 0);
	cr_assert_eq(put(&q, 1, big, 100), 0);
	dp_appq_out_publish(&q);
	c->ctl.cons = cons;
	c->ctl.data_cons = data_cons;
	/* fill: the producer looks at the consumer's indices when its view has no room */
	for (i = 0; i < RING; i++) {
		int rc = put(&q, 2 + i, big, sizeof(big));

		if (rc == -EPROTO)
			break;
		cr_assert(rc == 0 || rc == -EAGAIN, "rc %d", rc);
	}
	cr_assert(q.broken);
	cr_assert_eq(put(&q, 0, NULL, 0), -EPROTO, "latched");
	cr_assert_not(dp_appq_out_publish(&q));
	free(c);
}

Test(appq_out, cons_beyond_prod)
{
	cons_corrupt(3, 200);
}

Test(appq_out, cons_backwards)
{
	cons_corrupt((uint32_t)-1, 0);
}

Test(appq_out, data_cons_beyond)
{
	cons_corrupt(2, 201);
}

Test(appq_out, data_cons_backwards)
{
	cons_corrupt(2, (uint32_t)-5);
}

/* Descriptors put but not yet published cannot have been consumed. */
Test(appq_out, cons_of_unpublished)
{
	struct dpsctp_chan *c = chan_new(RING, DATA);
	struct dp_appq_out q;
	unsigned int i;

	cr_assert_eq(dp_appq_out_init(&q, c, RING, DATA), 0);
	cr_assert_eq(put(&q, 0, "ab", 2), 0);
	dp_appq_out_publish(&q);
	for (i = 1; i < RING; i++)
		cr_assert_eq(put(&q, i, "ab", 2), 0);
	c->ctl.cons = 2; /* one more than it could see */
	c->ctl.data_cons = 2;
	cr_assert_eq(put(&q, 9, "ab", 2), -EPROTO);
	free(c);
}
