/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' side of the application API (dataplane/app.c) in a whole stack, without the
 * library nor control's attach code: the test makes an application session by hand over a
 * malloc'd region (as control/attach.c would: header, channels, state LIVE), opens an
 * application slot by hand (kind DP_SVC_APP, state OPEN), and plays the application on the
 * channels by the rules of api/abi/shm.h. The peer is the stack's own echo service over the
 * loopback address, so one stack (two workers) and no wire are needed.
 *
 * Checked: ASSOCIATE answered by the worker the request went to, with an id naming it;
 * COMM_UP; SEND of messages of every size (and one in pieces) echoed back intact as DATA with
 * EOR on each message's last piece (more than a window: the bytes read are reported with
 * CONSUMED); the send credit comes back; GET_STATUS; SHUTDOWN; the
 * eventfd wake-up of a sleeping application; the slot's CLOSING released by every worker
 * (closed_mask); a DEAD session let go (gone_mask); a ring protocol violation marks the session
 * broken.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "config.h"
#include "ctrl.h"
#include "dp_eal.h"
#include "setup.h"
#include "shm.h"
#include "stack.h"
#include "steer.h"
#include "worker.h"

#define WAIT_S 20
#define NQ 2
#define RING 64
#define DATA (1u << 20)

TestSuite(dp_app, .timeout = 120);

/* ---- the rig: one stack of two workers on a net_ring port nobody listens to ---- */

static struct {
	struct dpsctpd_config cfg;
	struct dp_stack *s;
	struct dpsctpd_ctrl *c;
	struct rte_ring *rx[NQ], *tx[NQ];
	bool stopped;
} rig;

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};

static void
rig_start(const char *tag)
{
	static const char yaml[] =
		"lcores: {control: 0, workers: [1, 2]}\n"
		"mempool: {mbufs: 8191, cache: 128}\n"
		"protocol: {rto_initial_ms: 200, rto_min_ms: 100, sack_delay_ms: 20}\n"
		"ports:\n"
		"  - {name: ringA, device: net_ring_A, addresses: [\"198.18.0.1/24\"]}\n"
		"loopback: [\"127.0.0.1\"]\n"
		"services:\n"
		"  - {type: echo, port: 7, addresses: [\"127.0.0.1\"]}\n";
	char prefix[64], err[256], name[RTE_RING_NAMESIZE];
	uint16_t port_id;
	unsigned int q;
	int rc, id;

	snprintf(prefix, sizeof(prefix), "dpapp_%s", tag);
	dp_eal_up(prefix, 3, 512, "notice");
	memset(&rig, 0, sizeof(rig));
	for (q = 0; q < NQ; q++) {
		snprintf(name, sizeof(name), "app_rx_%u", q);
		rig.rx[q] = rte_ring_create(name, 1024, (int)rte_socket_id(), RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "app_tx_%u", q);
		rig.tx[q] = rte_ring_create(name, 1024, (int)rte_socket_id(), RING_F_SC_DEQ);
		cr_assert(rig.rx[q] != NULL && rig.tx[q] != NULL);
	}
	id = rte_eth_from_rings("ringA", rig.rx, NQ, rig.tx, NQ, (unsigned int)rte_socket_id());
	cr_assert_geq(id, 0, "rte_eth_from_rings: %s", rte_strerror(rte_errno));
	port_id = (uint16_t)id;
	dp_eal_burn_in_mac(port_id, mac_a);
	rc = dpsctpd_config_parse("A", yaml, strlen(yaml), &rig.cfg, err, sizeof(err));
	cr_assert_eq(rc, 0, "config: %s", err);
	rc = dpsctpd_stack_build(&rig.cfg, &port_id, "A", &rig.s, err, sizeof(err));
	cr_assert_eq(rc, 0, "stack: %s", err);
	rc = dpsctpd_ctrl_create(rig.s, &rig.cfg, &rig.c);
	cr_assert_eq(rc, 0, "control: %s", strerror(-rc));
	rc = dpsctpd_stack_launch(rig.s);
	cr_assert_eq(rc, 0, "launch: %d", rc);
}

static void
free_ring_mbufs(struct rte_ring *r)
{
	void *m;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
}

static void
rig_end(void)
{
	unsigned int w, k, q;

	if (!rig.stopped)
		(void)dpsctpd_ctrl_shutdown(rig.c, 0);
	for (w = 0; w < rig.s->nworkers; w++)
		(void)rte_eal_wait_lcore(rig.s->worker_lcore[w]);
	for (q = 0; q < NQ; q++) {
		free_ring_mbufs(rig.rx[q]);
		free_ring_mbufs(rig.tx[q]);
	}
	for (w = 0; w < rig.s->nworkers; w++) {
		free_ring_mbufs(rig.s->to_ctrl_pkt[w]);
		for (k = 0; k < rig.s->nworkers; k++)
			free_ring_mbufs(rig.s->steer[w][k]);
	}
	dpsctpd_ctrl_free(rig.c);
	dpsctpd_stack_free(rig.s);
	dpsctpd_config_free(&rig.cfg);
	for (q = 0; q < NQ; q++) {
		rte_ring_free(rig.rx[q]);
		rte_ring_free(rig.tx[q]);
	}
	rte_eal_cleanup();
}

/* One turn of control, and of the wire (what goes out on the port is dropped). */
static void
rig_poll(void)
{
	unsigned int q;

	if (!rig.stopped && dpsctpd_ctrl_poll(rig.c) == 0)
		rte_delay_us_sleep(20);
	for (q = 0; q < NQ; q++)
		free_ring_mbufs(rig.tx[q]);
}

static uint64_t
ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static char dump_buf[4096];

static const char *
rig_dump(void)
{
	size_t n = 0;
	unsigned int w;

	for (w = 0; w < rig.s->nworkers; w++) {
		const struct dp_worker_stats *st = &rig.s->workers[w]->st;

		n += (size_t)snprintf(dump_buf + n, sizeof(dump_buf) - n,
			"w%u: reqs %" PRIu64 " bad %" PRIu64 " broken %" PRIu64 " parked %" PRIu64
			" queued %" PRIu64 " wakeups %" PRIu64 " svc in %" PRIu64 " out %" PRIu64
			" local %" PRIu64 " assocs %u\n",
			w, ld(&st->app_reqs), ld(&st->app_bad_reqs), ld(&st->app_broken),
			ld(&st->app_parked), ld(&st->app_queued), ld(&st->app_wakeups),
			ld(&st->svc_msgs_in), ld(&st->svc_msgs_out), ld(&st->local),
			dp_worker_assoc_count(rig.s->workers[w]));
		if (n >= sizeof(dump_buf))
			break;
	}
	return dump_buf;
}

#define WAIT_UNTIL(cond, what)                                                                    \
	do {                                                                                      \
		uint64_t end_ = rte_get_tsc_cycles() + (uint64_t)WAIT_S * rte_get_tsc_hz();       \
		while (!(cond)) {                                                                 \
			if (rte_get_tsc_cycles() > end_)                                          \
				cr_assert_fail("timed out after %d s waiting for %s\n%s", WAIT_S, \
					what, rig_dump());                                        \
			rig_poll();                                                               \
		}                                                                                 \
	} while (0)

/* ---- the application, by hand ---- */

struct app {
	unsigned int si; /* session index */
	uint8_t *shm;
	size_t size;
	int efd;
	struct dpsctp_chan *tw[NQ], *ta[NQ];
	uint32_t prod[NQ], data_prod[NQ]; /* our producer indices, per worker */
	uint32_t cons[NQ];                /* our consumer indices, per worker */
	uint32_t req;
};

static void
app_attach(struct app *a, unsigned int si)
{
	struct dp_session *ss = &rig.s->sessions[si];
	unsigned int w;

	memset(a, 0, sizeof(*a));
	a->si = si;
	a->size = dpsctp_shm_size(rig.s->nworkers, RING, DATA);
	a->shm = aligned_alloc(4096, (a->size + 4095) & ~(size_t)4095);
	cr_assert_not_null(a->shm);
	memset(a->shm, 0, a->size);
	a->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	cr_assert_geq(a->efd, 0);
	memset(ss, 0, sizeof(*ss));
	ss->id = si;
	ss->base = a->shm;
	ss->size = a->size;
	ss->ring_entries = RING;
	ss->data_bytes = DATA;
	ss->efd = a->efd;
	for (w = 0; w < rig.s->nworkers; w++) {
		a->tw[w] = (void *)(a->shm +
				    dpsctp_shm_chan_off(w, DPSCTP_CHAN_TO_WORKER, RING, DATA));
		a->ta[w] =
			(void *)(a->shm + dpsctp_shm_chan_off(w, DPSCTP_CHAN_TO_APP, RING, DATA));
		ss->to_worker[w] = a->tw[w];
		ss->to_app[w] = a->ta[w];
	}
	__atomic_store_n(&ss->state, DP_SESSION_LIVE, __ATOMIC_RELEASE);
}

/* Control's EP_OPEN, by hand: slot @p svc of session @p si on 127.0.0.1:@p port. */
static void
slot_open(unsigned int svc, unsigned int si, uint16_t port, bool listen)
{
	struct dp_service *sv = &rig.s->services[svc];

	cr_assert_eq(__atomic_load_n(&sv->state, __ATOMIC_ACQUIRE), DP_SLOT_FREE);
	memset(sv, 0, sizeof(*sv));
	sv->kind = DP_SVC_APP;
	sv->port = port;
	cr_assert_eq(dpsctpd_parse_addr("127.0.0.1", &sv->addrs[0]), 0);
	sv->naddrs = 1;
	sv->listen = listen;
	sv->session = (int)si;
	sv->proto = rig.s->proto;
	sv->proto.rcv_app_window = true;
	__atomic_store_n(&sv->state, DP_SLOT_OPEN, __ATOMIC_RELEASE);
	dp_stack_port_bind(rig.s, svc); /* as control does: packets to the port find the slot */
	if (rig.s->nservices <= svc)
		__atomic_store_n(&rig.s->nservices, svc + 1, __ATOMIC_RELEASE);
}

/* Post a request to worker @p w. */
static void
post(struct app *a, unsigned int w, struct dpsctp_desc *d, const void *p, uint32_t len)
{
	uint64_t end = rte_get_tsc_cycles() + (uint64_t)WAIT_S * rte_get_tsc_hz();
	struct dpsctp_chan *c = a->tw[w];

	for (;;) {
		uint32_t cons = dpsctp_load_acquire(&c->ctl.cons);
		uint32_t dcons = dpsctp_load_acquire(&c->ctl.data_cons);
		uint32_t dp = a->data_prod[w];
		int64_t off;

		if (a->prod[w] - cons < RING) {
			off = dpsctp_chan_reserve(&dp, dcons, DATA, len);
			if (off >= 0) {
				if (len != 0)
					memcpy(dpsctp_chan_data(c, RING) + off, p, len);
				d->off = (uint32_t)off;
				d->len = len;
				d->data_end = dp;
				a->data_prod[w] = dp;
				c->desc[a->prod[w] & (RING - 1)] = *d;
				a->prod[w]++;
				dpsctp_store_release(&c->ctl.prod, a->prod[w]);
				return;
			}
		}
		cr_assert_lt(rte_get_tsc_cycles(), end, "no room to post\n%s", rig_dump());
		rig_poll();
	}
}

/* Take the next delivery of worker @p w (payload copied to @p buf, @p cap bytes). */
static bool
take(struct app *a, unsigned int w, struct dpsctp_desc *d, uint8_t *buf, size_t cap)
{
	struct dpsctp_chan *c = a->ta[w];
	uint32_t prod = dpsctp_load_acquire(&c->ctl.prod);

	if (prod == a->cons[w])
		return false;
	*d = c->desc[a->cons[w] & (RING - 1)];
	cr_assert_leq(d->off + (uint64_t)d->len, DATA);
	cr_assert_leq(d->len, cap);
	memcpy(buf, dpsctp_chan_data(c, RING) + d->off, d->len);
	a->cons[w]++;
	dpsctp_store_release(&c->ctl.data_cons, d->data_end);
	dpsctp_store_release(&c->ctl.cons, a->cons[w]);
	return true;
}

static uint8_t rx_buf[DPSCTP_SHM_MAX_PAYLOAD];

/* Wait for a descriptor of op @p op from worker @p w, handing the others to @p other. */
static void
expect(struct app *a, unsigned int w, uint16_t op, struct dpsctp_desc *d)
{
	WAIT_UNTIL(take(a, w, d, rx_buf, sizeof(rx_buf)) && d->op == op, "a descriptor");
}

static void
app_detach(struct app *a)
{
	close(a->efd);
	free(a->shm);
}

/* ---- tests ---- */

#define SLOT 1 /* the echo is slot 0 */
#define NMSG 300

static uint32_t
msg_len(unsigned int i)
{
	return i == NMSG - 1 ? 100000 : 1 + (i * 977) % 4000;
}

static uint8_t
msg_byte(unsigned int i, uint32_t k)
{
	return (uint8_t)(i * 7 + k);
}

Test(dp_app, associate_send_echo_shutdown_close)
{
	struct app a;
	struct dpsctp_desc d;
	struct dpsctp_abi_connect cn;
	struct dpsctp_abi_event ev;
	struct dpsctp_abi_status st;
	static uint8_t msg[100000], got[100000];
	uint32_t id, owner, posted = 0, credited = 0, got_len = 0;
	unsigned int sent = 0, recvd = 0, w;
	uint64_t v;

	rig_start("echo");
	app_attach(&a, 0);
	slot_open(SLOT, 0, 7000, false);

	/* ASSOCIATE on worker 1: it answers, and the association is its own */
	memset(&cn, 0, sizeof(cn));
	cn.peer_port = 7;
	cn.npeers = 1;
	cn.peers[0].family = 4;
	memcpy(cn.peers[0].bytes, (uint8_t[]){127, 0, 0, 1}, 4);
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_ASSOCIATE;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = SLOT;
	d.req = ++a.req;
	post(&a, 1, &d, &cn, sizeof(cn));
	expect(&a, 1, DPSCTP_OP_REPLY, &d);
	cr_assert_eq(d.result, 0, "ASSOCIATE: %d\n%s", d.result, rig_dump());
	cr_assert_eq(d.req, a.req);
	id = d.assoc_id;
	owner = dp_steer_owner_of_id(id);
	cr_assert_eq(owner, 1, "id %#x names worker %u", id, owner);
	expect(&a, 1, DPSCTP_OP_NOTIFY, &d);
	memcpy(&ev, rx_buf, sizeof(ev));
	cr_assert_eq(ev.type, DPSCTP_EV_ASSOC_CHANGE);
	cr_assert_eq(ev.state, DPSCTP_EV_COMM_UP);
	cr_assert_eq(d.assoc_id, id);
	cr_assert_gt(ev.os, 0);

	/* messages of every size, within the credit; the last in pieces of 30000 bytes */
	while (recvd < NMSG) {
		while (sent < NMSG && posted - credited + msg_len(sent) <= 262144) {
			uint32_t len = msg_len(sent), k, off;

			for (k = 0; k < len; k++)
				msg[k] = msg_byte(sent, k);
			for (off = 0; off < len;) {
				uint32_t n =
					len - off > 30000 && sent == NMSG - 1 ? 30000 : len - off;

				memset(&d, 0, sizeof(d));
				d.op = DPSCTP_OP_SEND;
				d.svc = SLOT;
				d.assoc_id = id;
				d.ppid = 42;
				d.context = sent;
				d.flags = off + n < len ? DPSCTP_DESC_MORE : 0;
				post(&a, owner, &d, msg + off, n);
				off += n;
			}
			posted += len;
			sent++;
		}
		if (!take(&a, owner, &d, rx_buf, sizeof(rx_buf))) {
			rig_poll();
			continue;
		}
		switch (d.op) {
		case DPSCTP_OP_CREDIT:
			cr_assert_eq(d.assoc_id, id);
			credited += d.arg;
			break;
		case DPSCTP_OP_DATA:
			cr_assert_eq(d.assoc_id, id);
			cr_assert_eq(d.svc, SLOT);
			cr_assert_eq(d.ppid, 42);
			cr_assert_leq(got_len + d.len, sizeof(got));
			memcpy(got + got_len, rx_buf, d.len);
			got_len += d.len;
			if (d.len != 0) {
				/* read: the window holds it until we say so (shm.h CONSUMED) */
				struct dpsctp_desc cd;

				memset(&cd, 0, sizeof(cd));
				cd.op = DPSCTP_OP_CONSUMED;
				cd.svc = SLOT;
				cd.assoc_id = id;
				cd.arg = d.len;
				post(&a, owner, &cd, NULL, 0);
			}
			if (d.flags & DPSCTP_DESC_EOR) {
				uint32_t k;

				cr_assert_eq(got_len, msg_len(recvd), "message %u: %u bytes", recvd,
					got_len);
				for (k = 0; k < got_len; k++)
					cr_assert_eq(got[k], msg_byte(recvd, k),
						"message %u byte %u", recvd, k);
				recvd++;
				got_len = 0;
			}
			break;
		case DPSCTP_OP_NOTIFY:
			/* path confirmations and the like; nothing may fail */
			memcpy(&ev, rx_buf, sizeof(ev));
			cr_assert(ev.type != DPSCTP_EV_SEND_FAILED &&
					  ev.type != DPSCTP_EV_ASSOC_CHANGE,
				"event %u state %u result %d\n%s", ev.type, ev.state, d.result,
				rig_dump());
			break;
		default:
			cr_assert_fail(
				"unexpected op %u result %d\n%s", d.op, d.result, rig_dump());
		}
	}
	WAIT_UNTIL(credited == posted ||
			   (take(&a, owner, &d, rx_buf, sizeof(rx_buf)) &&
				   d.op == DPSCTP_OP_CREDIT && (credited += d.arg, false)),
		"every byte credited");

	/* GET_STATUS */
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_GET_STATUS;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = SLOT;
	d.assoc_id = id;
	d.req = ++a.req;
	post(&a, owner, &d, NULL, 0);
	expect(&a, owner, DPSCTP_OP_REPLY, &d);
	cr_assert_eq(d.result, 0);
	cr_assert_eq(d.len, sizeof(st));
	memcpy(&st, rx_buf, sizeof(st));
	cr_assert_eq(st.state, DPSCTP_ESTABLISHED);
	cr_assert_eq(st.peer_port, 7);
	cr_assert_gt(st.frag_point, 0);

	/* a request for an association this worker does not own: an error, nothing broken */
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_GET_STATUS;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = SLOT;
	d.assoc_id = id;
	d.req = ++a.req;
	post(&a, 0, &d, NULL, 0);
	expect(&a, 0, DPSCTP_OP_REPLY, &d);
	cr_assert_eq(d.result, -ENOTCONN);

	/* the application sleeps: the next delivery writes its eventfd */
	__atomic_store_n(&a.ta[owner]->ctl.consumer_waiting, 1, __ATOMIC_SEQ_CST);
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_SHUTDOWN;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = SLOT;
	d.assoc_id = id;
	d.req = ++a.req;
	post(&a, owner, &d, NULL, 0);
	WAIT_UNTIL(read(a.efd, &v, sizeof(v)) == sizeof(v), "the wake-up");
	__atomic_store_n(&a.ta[owner]->ctl.consumer_waiting, 0, __ATOMIC_SEQ_CST);
	expect(&a, owner, DPSCTP_OP_REPLY, &d);
	cr_assert_eq(d.result, 0);
	do {
		expect(&a, owner, DPSCTP_OP_NOTIFY, &d);
		memcpy(&ev, rx_buf, sizeof(ev));
	} while (ev.type != DPSCTP_EV_ASSOC_CHANGE);
	cr_assert_eq(ev.state, DPSCTP_EV_SHUTDOWN_COMP);

	/* control's EP_CLOSE: every worker releases the slot (worker 0 never had an endpoint) */
	__atomic_store_n(&rig.s->services[SLOT].state, DP_SLOT_CLOSING, __ATOMIC_RELEASE);
	WAIT_UNTIL(__atomic_load_n(&rig.s->services[SLOT].closed_mask, __ATOMIC_ACQUIRE) == 3,
		"both workers to release the slot");
	/* the session ends: both workers let go of its memory */
	__atomic_store_n(&rig.s->sessions[0].state, DP_SESSION_DEAD, __ATOMIC_RELEASE);
	WAIT_UNTIL(__atomic_load_n(&rig.s->sessions[0].gone_mask, __ATOMIC_ACQUIRE) == 3,
		"both workers to let go of the session");
	cr_expect_eq(rig.s->sessions[0].broken, 0);
	for (w = 0; w < rig.s->nworkers; w++)
		cr_expect_eq(ld(&rig.s->workers[w]->st.app_broken), 0, "%s", rig_dump());
	cr_log_info("%s", rig_dump());
	cr_expect_eq(dpsctpd_ctrl_shutdown(rig.c, 2000), 0, "%s", rig_dump());
	rig.stopped = true;
	rig_end();
	app_detach(&a);
}

Test(dp_app, ring_violation_marks_the_session_broken)
{
	struct app a;
	struct dpsctp_desc d;

	rig_start("broken");
	app_attach(&a, 3);
	slot_open(SLOT, 3, 7001, false);
	/* a descriptor whose payload lies outside the byte ring */
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_SEND;
	d.svc = SLOT;
	d.off = DATA - 10;
	d.len = 100;
	d.data_end = 100;
	a.tw[1]->desc[0] = d;
	dpsctp_store_release(&a.tw[1]->ctl.prod, 1);
	WAIT_UNTIL(__atomic_load_n(&rig.s->sessions[3].broken, __ATOMIC_ACQUIRE) == 1,
		"the session to be marked broken");
	cr_expect_eq(ld(&rig.s->workers[1]->st.app_broken), 1, "%s", rig_dump());
	/* worker 0's channel is untouched: a sane request there is still answered */
	memset(&d, 0, sizeof(d));
	d.op = DPSCTP_OP_GET_STATUS;
	d.flags = DPSCTP_DESC_REPLY;
	d.svc = SLOT;
	d.assoc_id = 0x10;
	d.req = 5;
	post(&a, 0, &d, NULL, 0);
	expect(&a, 0, DPSCTP_OP_REPLY, &d);
	cr_expect_eq(d.result, -ENOTCONN);
	__atomic_store_n(&rig.s->services[SLOT].state, DP_SLOT_CLOSING, __ATOMIC_RELEASE);
	__atomic_store_n(&rig.s->sessions[3].state, DP_SESSION_DEAD, __ATOMIC_RELEASE);
	WAIT_UNTIL(
		__atomic_load_n(&rig.s->sessions[3].gone_mask, __ATOMIC_ACQUIRE) == 3 &&
			__atomic_load_n(&rig.s->services[SLOT].closed_mask, __ATOMIC_ACQUIRE) == 3,
		"the session and its slot to be let go");
	cr_expect_eq(dpsctpd_ctrl_shutdown(rig.c, 2000), 0, "%s", rig_dump());
	rig.stopped = true;
	rig_end();
	app_detach(&a);
}
