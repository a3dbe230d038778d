/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp sessions: attaching to dpsctpd (rpc.h HELLO, the memfd and eventfd received with
 * SCM_RIGHTS), RPCs to the control plane, the producer side of the app -> worker channels and
 * the consumer side of the worker -> app channels (shm.h), and the background thread that
 * sleeps on the session eventfd and the attach socket.
 *
 * One session per process at a time. When the daemon goes away (EOF on the attach socket) the
 * session is dead: its sockets fail with ECONNRESET, and the next dpsctp_socket() attaches
 * anew. A dead session's memory is released when its last socket is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

/* How long a request to the daemon may take before we give up on it (a daemon bug, not a
 * network wait: workers answer within a loop). */
#define REQ_TIMEOUT_NS (30ull * 1000000000ull)
/* How long a poster waits for room in a full app -> worker channel before ENOBUFS. */
#define POST_TIMEOUT_NS (5ull * 1000000000ull)

struct dpsctp_core dpsctp_core = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
};

uint64_t
lnow(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Condition variables wait on CLOCK_MONOTONIC so deadlines survive clock changes. */
static void
cv_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
}

/* Wait on @p cv with the library mutex until @p deadline (0: none). @return ETIMEDOUT or 0. */
static int
cv_wait(pthread_cond_t *cv, uint64_t deadline)
{
	struct timespec ts;

	if (deadline == 0) {
		pthread_cond_wait(cv, &dpsctp_core.mu);
		return 0;
	}
	if (lnow() >= deadline)
		return ETIMEDOUT;
	ts.tv_sec = (time_t)(deadline / 1000000000ull);
	ts.tv_nsec = (long)(deadline % 1000000000ull);
	return pthread_cond_timedwait(cv, &dpsctp_core.mu, &ts) == ETIMEDOUT ? ETIMEDOUT : 0;
}

void
dpsctp_lcv_init(pthread_cond_t *cv)
{
	cv_init(cv);
}

uint32_t
lsess_owner(const struct lsess *ss, uint32_t id)
{
	return id & ((1u << ss->owner_bits) - 1);
}

uint32_t
lsess_req(struct lsess *ss)
{
	if (++ss->next_req == 0)
		ss->next_req = 1;
	return ss->next_req;
}

bool
lsock_busy(const struct dpsctp_lsock *s)
{
	return s->opts.busy_poll || s->sess->busy_poll_env;
}

static bool
pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static void
sess_free(struct lsess *ss)
{
	unsigned int i;

	for (i = 0; i < LSESS_HASH; i++) {
		while (ss->hash[i] != NULL) {
			struct lassoc *a = ss->hash[i];

			ss->hash[i] = a->hnext;
			free(a);
		}
	}
	while (ss->eps != NULL) {
		struct lep *e = ss->eps;

		ss->eps = e->next;
		free(e);
	}
	if (ss->shm != NULL)
		munmap(ss->shm, ss->size);
	if (ss->sock >= 0)
		close(ss->sock);
	if (ss->efd >= 0)
		close(ss->efd);
	pthread_cond_destroy(&ss->cv);
	free(ss);
}

void
lsess_unref(struct lsess *ss)
{
	ss->nsock--;
	if (ss->dead && ss->nsock == 0 && !ss->thread_running)
		sess_free(ss);
}

/* ---- the worker -> app channels ---- */

unsigned int
lsess_drain(struct lsess *ss)
{
	unsigned int n = 0;
	uint32_t w;

	if (ss->dead)
		return 0;
	for (w = 0; w < ss->nworkers; w++) {
		struct lrx *rx = &ss->rx[w];
		uint32_t prod = dpsctp_load_acquire(&rx->c->ctl.prod);
		bool any = false;

		/* The daemon is trusted, but a wild index must not make us read garbage forever. */
		if ((uint32_t)(prod - rx->cons) > ss->ring_entries)
			continue;
		while (rx->cons != prod) {
			struct dpsctp_desc d;
			const uint8_t *payload;

			memcpy(&d, &rx->c->desc[rx->cons & (ss->ring_entries - 1)], sizeof(d));
			if (d.len > 0 && (d.off >= ss->data_bytes || d.len > ss->data_bytes - d.off))
				d.len = 0;
			payload = rx->data + (d.len > 0 ? d.off : 0);
			lroute(ss, &d, payload);
			rx->cons++;
			rx->data_cons = d.data_end;
			any = true;
			n++;
			if (ss->dead)
				return n;
		}
		if (any) {
			dpsctp_store_release(&rx->c->ctl.data_cons, rx->data_cons);
			dpsctp_store_release(&rx->c->ctl.cons, rx->cons);
		}
	}
	/* reports of bytes read that found their channel full (io.c) */
	lsess_consumed_retry(ss);
	return n;
}

static bool
rx_pending(struct lsess *ss)
{
	uint32_t w;

	for (w = 0; w < ss->nworkers; w++) {
		struct dpsctp_chan_ctl *ctl = &ss->rx[w].c->ctl;

		if (dpsctp_load_acquire(&ctl->prod) != __atomic_load_n(&ctl->cons, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}

static void
set_waiting(struct lsess *ss, uint32_t v)
{
	uint32_t w;

	for (w = 0; w < ss->nworkers; w++)
		__atomic_store_n(&ss->rx[w].c->ctl.consumer_waiting, v, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* An answer (or EOF) on the attach socket. @return false at EOF. */
static bool
read_sock(struct lsess *ss)
{
	struct dpsctp_rpc ans;
	ssize_t n = recv(ss->sock, &ans, sizeof(ans), MSG_DONTWAIT);

	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	if ((size_t)n != sizeof(ans))
		return true;
	LOCK();
	if (ss->rpc_busy && !ss->rpc_done && ans.seq == ss->rpc_seq) {
		ss->rpc_ans = ans;
		ss->rpc_done = true;
		pthread_cond_broadcast(&ss->cv);
	}
	UNLOCK();
	return true;
}

/*
 * The background thread: drain, and when there is nothing, announce we sleep (consumer_waiting
 * on every worker -> app channel), look once more, then sleep on the eventfd and the attach
 * socket. EOF on the socket: the daemon is gone.
 */
static void *
sess_thread(void *arg)
{
	struct lsess *ss = arg;
	bool alive = true;

	while (alive) {
		struct pollfd p[2];
		unsigned int n;
		bool retry;

		LOCK();
		if (ss->dead) {
			UNLOCK();
			break;
		}
		n = lsess_drain(ss);
		retry = ss->cons_retry;
		UNLOCK();
		if (n > 0)
			continue;
		set_waiting(ss, 1);
		p[0].fd = ss->efd;
		p[0].events = POLLIN;
		p[1].fd = ss->sock;
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if (!rx_pending(ss)) {
			/* a CONSUMED waits for room: workers do not wake us when they take requests,
			 * and the peer's window stays closed until it goes, so look again soon */
			if (poll(p, 2, retry ? 1 : -1) < 0 && errno != EINTR)
				alive = false;
		}
		set_waiting(ss, 0);
		if (p[0].revents & POLLIN) {
			uint64_t v;

			if (read(ss->efd, &v, sizeof(v)) < 0) {
				/* spurious: someone else read it; nothing to do */
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			alive = read_sock(ss);
	}
	__atomic_store_n(&ss->eof, 1, __ATOMIC_RELEASE);
	LOCK();
	if (!ss->dead)
		lsess_fail(ss);
	ss->thread_running = false;
	if (ss->nsock == 0)
		sess_free(ss);
	UNLOCK();
	return NULL;
}

/* ---- attach ---- */

static const char *
attach_path(void)
{
	const char *p;

	if (dpsctp_core.path[0] != '\0')
		return dpsctp_core.path;
	p = getenv(DPSCTP_SOCKET_ENV);
	if (p != NULL && p[0] != '\0')
		return p;
	return DPSCTP_DEFAULT_SOCKET;
}

/* Receive the HELLO answer and its two descriptors (memfd, eventfd). */
static int
hello_answer(int sock, struct dpsctp_rpc *ans, int fds[2])
{
	union {
		struct cmsghdr h;
		uint8_t buf[CMSG_SPACE(2 * sizeof(int))];
	} cb;
	struct iovec iov = {.iov_base = ans, .iov_len = sizeof(*ans)};
	struct msghdr mh = {0};
	struct cmsghdr *c;
	struct pollfd p = {.fd = sock, .events = POLLIN};
	ssize_t n;
	int r;

	do
		r = poll(&p, 1, 10000);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return -ETIMEDOUT;
	if (r < 0)
		return -errno;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.buf;
	mh.msg_controllen = sizeof(cb.buf);
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	fds[0] = fds[1] = -1;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int got[2] = {-1, -1};

			memcpy(got, CMSG_DATA(c), (k > 2 ? 2 : k) * sizeof(int));
			fds[0] = got[0];
			fds[1] = k > 1 ? got[1] : -1;
		}
	}
	if (n == 0)
		return -ECONNREFUSED;
	if ((size_t)n != sizeof(*ans))
		return -EPROTO;
	return 0;
}

static int
sess_map(struct lsess *ss, const struct dpsctp_rpc *ans, int memfd)
{
	const struct dpsctp_shm_hdr *h;
	struct stat st;
	uint32_t w;

	if (ans->nworkers == 0 || ans->nworkers > DPSCTP_SHM_MAX_WORKERS || ans->owner_bits > 8 ||
		!pow2(ans->ring_entries) || !pow2(ans->data_bytes) ||
		ans->shm_size < dpsctp_shm_size(ans->nworkers, ans->ring_entries, ans->data_bytes))
		return -EPROTO;
	if (fstat(memfd, &st) != 0 || (uint64_t)st.st_size < ans->shm_size)
		return -EPROTO;
	ss->size = ans->shm_size;
	ss->shm = mmap(NULL, ss->size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (ss->shm == MAP_FAILED) {
		ss->shm = NULL;
		return -ENOMEM;
	}
	h = (const struct dpsctp_shm_hdr *)(const void *)ss->shm;
	if (h->magic != DPSCTP_SHM_MAGIC || h->major != DPSCTP_ABI_MAJOR || h->size != ans->shm_size ||
		h->nworkers != ans->nworkers || h->ring_entries != ans->ring_entries ||
		h->data_bytes != ans->data_bytes || h->owner_bits != ans->owner_bits)
		return -EPROTO;
	ss->nworkers = ans->nworkers;
	ss->owner_bits = ans->owner_bits;
	ss->ring_entries = ans->ring_entries;
	ss->data_bytes = ans->data_bytes;
	ss->session = ans->session;
	for (w = 0; w < ss->nworkers; w++) {
		struct dpsctp_chan *c;

		c = (struct dpsctp_chan *)(void *)(ss->shm + dpsctp_shm_chan_off(w,
			DPSCTP_CHAN_TO_WORKER, ss->ring_entries, ss->data_bytes));
		ss->tx[w].c = c;
		ss->tx[w].data = dpsctp_chan_data(c, ss->ring_entries);
		ss->tx[w].prod = dpsctp_load_acquire(&c->ctl.prod);
		ss->tx[w].data_prod = dpsctp_load_acquire(&c->ctl.data_prod);
		c = (struct dpsctp_chan *)(void *)(ss->shm + dpsctp_shm_chan_off(w,
			DPSCTP_CHAN_TO_APP, ss->ring_entries, ss->data_bytes));
		ss->rx[w].c = c;
		ss->rx[w].data = dpsctp_chan_data(c, ss->ring_entries);
		ss->rx[w].cons = dpsctp_load_acquire(&c->ctl.cons);
		ss->rx[w].data_cons = dpsctp_load_acquire(&c->ctl.data_cons);
	}
	return 0;
}

/*
 * fork(): the child gets a copy of the session's state but not its drain thread, and shares the
 * parent's memory and socket with the daemon. So the child forgets the session: its inherited
 * sockets fail with ECONNRESET as after the daemon's end (they only close), and its first new
 * socket attaches as a session of its own. The library lock is held across fork() so the child
 * never inherits it half-way through an update.
 */
static void
fork_prepare(void)
{
	pthread_mutex_lock(&dpsctp_core.mu);
}

static void
fork_parent(void)
{
	pthread_mutex_unlock(&dpsctp_core.mu);
}

static void
fork_child(void)
{
	struct lsess *ss = dpsctp_core.cur;

	if (ss != NULL) {
		ss->dead = true;
		ss->thread_running = false; /* the thread stayed in the parent */
		dpsctp_core.cur = NULL;
		if (ss->nsock == 0) {
			sess_free(ss);
		} else {
			/* never touch the parent's rings, nor talk on its connection */
			if (ss->sock >= 0)
				close(ss->sock);
			ss->sock = -1;
		}
	}
	pthread_mutex_unlock(&dpsctp_core.mu);
}

static void
fork_handlers(void)
{
	(void)pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* Attach to the daemon at @p path (locked: nothing else runs meanwhile, it is quick). */
static int
sess_attach(const char *path, struct lsess **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, fork_handlers);
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct dpsctp_rpc r = {0}, ans = {0};
	int fds[2] = {-1, -1};
	struct lsess *ss;
	const char *bp;
	int rc;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	ss = calloc(1, sizeof(*ss));
	if (ss == NULL)
		return -ENOMEM;
	ss->efd = -1;
	cv_init(&ss->cv);
	bp = getenv(DPSCTP_BUSY_POLL_ENV);
	ss->busy_poll_env = bp != NULL && bp[0] == '1';
	ss->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (ss->sock < 0) {
		rc = -errno;
		goto fail;
	}
	if (connect(ss->sock, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		rc = -errno;
		goto fail;
	}
	r.op = DPSCTP_RPC_HELLO;
	r.seq = 1;
	r.major = DPSCTP_ABI_MAJOR;
	r.minor = DPSCTP_ABI_MINOR;
	if (send(ss->sock, &r, sizeof(r), MSG_NOSIGNAL) != (ssize_t)sizeof(r)) {
		rc = -ECONNREFUSED;
		goto fail;
	}
	rc = hello_answer(ss->sock, &ans, fds);
	if (rc == 0 && ans.result < 0)
		rc = ans.result;
	if (rc == 0 && (fds[0] < 0 || fds[1] < 0))
		rc = -EPROTO;
	if (rc == 0)
		rc = sess_map(ss, &ans, fds[0]);
	if (fds[0] >= 0)
		close(fds[0]);
	ss->efd = fds[1];
	if (rc != 0)
		goto fail;
	ss->rpc_seq = 1;
	ss->thread_running = true;
	{
		pthread_attr_t ta;
		sigset_t all, old;

		/* The thread must not take the application's signals. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		pthread_attr_init(&ta);
		pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
		rc = -pthread_create(&ss->thread, &ta, sess_thread, ss);
		pthread_attr_destroy(&ta);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (rc != 0) {
		ss->thread_running = false;
		goto fail;
	}
	*out = ss;
	return 0;
fail:
	sess_free(ss);
	return rc;
}

int
lsess_get(struct lsess **out)
{
	int rc;

	if (dpsctp_core.cur != NULL && !dpsctp_core.cur->dead) {
		*out = dpsctp_core.cur;
		return 0;
	}
	rc = sess_attach(attach_path(), &dpsctp_core.cur);
	if (rc == 0)
		*out = dpsctp_core.cur;
	return rc;
}

DPSCTP_EXPORT int
dpsctp_attach(const char *path)
{
	struct lsess *ss;
	int rc;

	LOCK();
	if (path != NULL) {
		if (strlen(path) >= sizeof(dpsctp_core.path)) {
			UNLOCK();
			return lerr(ENAMETOOLONG);
		}
		strcpy(dpsctp_core.path, path);
	}
	rc = lsess_get(&ss);
	UNLOCK();
	return rc < 0 ? lerr(-rc) : 0;
}

/* ---- RPC ---- */

int
lsess_rpc(struct lsess *ss, struct dpsctp_rpc *r)
{
	uint64_t deadline;
	int rc;

	while (ss->rpc_busy && !ss->dead)
		cv_wait(&ss->cv, 0);
	if (ss->dead)
		return -ECONNRESET;
	ss->rpc_busy = true;
	ss->rpc_done = false;
	r->seq = ++ss->rpc_seq;
	if (send(ss->sock, r, sizeof(*r), MSG_NOSIGNAL) != (ssize_t)sizeof(*r)) {
		rc = -ECONNRESET;
		goto out;
	}
	deadline = lnow() + REQ_TIMEOUT_NS;
	while (!ss->rpc_done && !ss->dead)
		if (cv_wait(&ss->cv, deadline) == ETIMEDOUT)
			break;
	if (ss->rpc_done) {
		*r = ss->rpc_ans;
		rc = r->result;
	} else {
		rc = ss->dead ? -ECONNRESET : -ETIMEDOUT;
	}
out:
	ss->rpc_busy = false;
	ss->rpc_done = false;
	pthread_cond_broadcast(&ss->cv);
	return rc;
}

/* ---- the app -> worker channels ---- */

int
lsess_post(struct lsess *ss, uint32_t w, struct dpsctp_desc *d, const struct iovec *iov,
	int iovcnt, bool nonblock)
{
	struct ltx *tx;
	struct dpsctp_chan_ctl *ctl;
	uint64_t deadline = 0;
	uint32_t dp = 0;
	size_t len = 0;
	unsigned int spins = 0;
	int64_t off;
	uint8_t *p;
	int i;

	if (ss->dead || __atomic_load_n(&ss->eof, __ATOMIC_ACQUIRE))
		return -ECONNRESET;
	if (w >= ss->nworkers)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > DPSCTP_SHM_MAX_PAYLOAD || len > ss->data_bytes / 2)
		return -EMSGSIZE;
	tx = &ss->tx[w];
	ctl = &tx->c->ctl;
	for (;;) {
		uint32_t cons = dpsctp_load_acquire(&ctl->cons);
		uint32_t data_cons = dpsctp_load_acquire(&ctl->data_cons);

		if ((uint32_t)(tx->prod - cons) < ss->ring_entries) {
			dp = tx->data_prod;
			off = dpsctp_chan_reserve(&dp, data_cons, ss->data_bytes, (uint32_t)len);
			if (off >= 0)
				break;
		}
		if (nonblock)
			return -EAGAIN;
		if (ss->dead || __atomic_load_n(&ss->eof, __ATOMIC_ACQUIRE))
			return -ECONNRESET;
		if (deadline == 0)
			deadline = lnow() + POST_TIMEOUT_NS;
		else if (lnow() > deadline)
			return -ENOBUFS;
		/* The worker may be waiting for room in its channel to us (its private queue
		 * bounded): drain it ourselves so that it can go on taking our requests. */
		lsess_drain(ss);
		if (++spins > 64) {
			struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000};

			nanosleep(&ts, NULL);
		}
	}
	p = tx->data + off;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > 0)
			memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
	d->off = (uint32_t)off;
	d->len = (uint32_t)len;
	d->data_end = dp;
	memcpy(&tx->c->desc[tx->prod & (ss->ring_entries - 1)], d, sizeof(*d));
	tx->data_prod = dp;
	tx->prod++;
	dpsctp_store_release(&ctl->data_prod, tx->data_prod);
	dpsctp_store_release(&ctl->prod, tx->prod);
	return 0;
}

/* ---- waiting ---- */

int
lsess_wait_req(struct lsess *ss, struct lreq *q, struct dpsctp_lsock *s)
{
	uint64_t deadline = lnow() + REQ_TIMEOUT_NS;
	bool busy = s != NULL && lsock_busy(s);
	struct lreq **pp;

	while (!q->done && !ss->dead) {
		if (busy) {
			UNLOCK();
			sched_yield();
			LOCK();
			lsess_drain(ss);
			if (lnow() > deadline)
				break;
		} else if (cv_wait(&ss->cv, deadline) == ETIMEDOUT) {
			break;
		}
	}
	if (q->done)
		return q->result;
	for (pp = &ss->reqs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	return ss->dead ? -ECONNRESET : -ETIMEDOUT;
}

int
lsock_wait(struct dpsctp_lsock *s, uint64_t deadline)
{
	if (lsock_busy(s) && !s->sess->dead) {
		UNLOCK();
		sched_yield();
		LOCK();
		lsess_drain(s->sess);
		return deadline != 0 && lnow() >= deadline ? ETIMEDOUT : 0;
	}
	return cv_wait(&s->cv, deadline);
}
