/* SPDX-License-Identifier: BSD-3-Clause */
/* The attach server: sessions and application endpoints (see attach.h, api/abi/rpc.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "abicfg.h"
#include "attach.h"
#include "ctrl.h"
#include "steer.h"

static int attach_logtype = RTE_LOGTYPE_USER1;
#define ALOG(level, ...) rte_log(RTE_LOG_##level, attach_logtype, "control: attach: " __VA_ARGS__)

#define MAX_PENDING 16                   /* connections that have not said HELLO yet */
#define HELLO_WAIT_NS (2000 * DPSCTP_MS) /* time they have to say it */
#define REQS_PER_POLL 8                  /* requests of one session per poll: nobody hogs control */
#define ACCEPTS_PER_POLL 8
#define EPHEMERAL_LO 49152u              /* RFC 6335 6: the dynamic ports */
#define EPHEMERAL_N 16384u
#define MAX_OURS (DP_MAX_PORTS * DP_MAX_PORT_ADDRS + DP_MAX_LOOPBACK)

/* A connection before its HELLO. */
struct pending {
	int fd;          /* -1: unused */
	bool denied;     /* SO_PEERCRED refused by attach.uids / gids: HELLO gets EACCES */
	uint64_t deadline;
	struct ucred cred;
};

/* What the daemon keeps of a session besides struct dp_session (shared with the workers). */
struct sess_priv {
	int fd;    /* the application's connection, -1 once closed */
	int memfd; /* -1 when the session is free */
};

/* The socket an application endpoint was opened for (bindx checks its addresses the same way). */
struct slot_priv {
	uint8_t family;
	bool v6only;
};

struct dpsctpd_attach {
	struct dp_stack *s;
	const struct dpsctpd_config *cfg;
	struct dpsctpd_ctrl *c;
	int lfd;
	bool bound; /* we created the socket file: unlink it at the end */
	char path[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	struct pending pend[MAX_PENDING];
	struct sess_priv sess[DP_MAX_SESSIONS];
	struct slot_priv slot[DP_MAX_SERVICES];
	struct dpsctp_addr ours[MAX_OURS]; /* every address of the stack: ports, then loopback */
	unsigned int nours;
	uint32_t next_id;
	uint64_t now;
};

/* ---- pure helpers ---- */

bool
dp_attach_cred_ok(const struct dpsctpd_config *cfg, uint32_t uid, uint32_t gid)
{
	unsigned int i;

	if (cfg->n_attach_uids == 0 && cfg->n_attach_gids == 0)
		return true;
	for (i = 0; i < cfg->n_attach_uids; i++)
		if (cfg->attach_uids[i] == uid)
			return true;
	for (i = 0; i < cfg->n_attach_gids; i++)
		if (cfg->attach_gids[i] == gid)
			return true;
	return false;
}

static bool
addr_eq(const struct dpsctp_addr *a, const struct dpsctp_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

static bool
addr_in(const struct dpsctp_addr *set, unsigned int n, const struct dpsctp_addr *a)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addr_eq(&set[i], a))
			return true;
	return false;
}

static bool
abi_addr_unspecified(const struct dpsctp_abi_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, 16) == 0;
}

int
dp_attach_addrs(const struct dpsctp_addr *ours, unsigned int nours, uint8_t family,
	bool v6only, const struct dpsctp_abi_addr *req, unsigned int nreq, struct dpsctp_addr *out)
{
	unsigned int i, n = 0;

	if ((family != 4 && family != 6) || nreq > DPSCTP_RPC_MAX_ADDRS)
		return -EINVAL;
	if (nreq == 0 || (nreq == 1 && abi_addr_unspecified(&req[0]))) {
		/* the wildcard: every address of the family; an IPv6 socket takes IPv4 too */
		for (i = 0; i < nours && n < DPSCTP_MAX_ADDRS; i++) {
			if (ours[i].family != family &&
				!(family == 6 && !v6only && ours[i].family == 4))
				continue;
			if (!addr_in(out, n, &ours[i]))
				out[n++] = ours[i];
		}
		return n == 0 ? -EADDRNOTAVAIL : (int)n;
	}
	for (i = 0; i < nreq; i++) {
		struct dpsctp_addr a;

		memset(&a, 0, sizeof(a));
		a.family = req[i].family;
		/* RFC 6458 3.1.2 / 9.1: an address of another family than the socket's is EINVAL */
		if ((a.family != 4 && a.family != 6) || (family == 4 && a.family != 4) ||
			(family == 6 && v6only && a.family != 6))
			return -EINVAL;
		memcpy(a.bytes, req[i].bytes, a.family == 4 ? 4 : 16);
		if (!addr_in(ours, nours, &a))
			return -EADDRNOTAVAIL;
		if (!addr_in(out, n, &a))
			out[n++] = a;
	}
	return (int)n;
}

bool
dp_attach_port_in_use(const struct dp_service *sv, unsigned int n, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t st = __atomic_load_n(&sv[i].state, __ATOMIC_ACQUIRE);

		if ((st == DP_SLOT_OPEN || st == DP_SLOT_CLOSING) && sv[i].port == port)
			return true;
	}
	return false;
}

int
dp_attach_choose_port(const struct dp_service *sv, unsigned int n, uint16_t want, uint32_t seed)
{
	uint32_t i;

	if (want != 0)
		return dp_attach_port_in_use(sv, n, want) ? -EADDRINUSE : want;
	for (i = 0; i < EPHEMERAL_N; i++) {
		uint16_t p = (uint16_t)(EPHEMERAL_LO + (seed + i) % EPHEMERAL_N);

		if (!dp_attach_port_in_use(sv, n, p))
			return p;
	}
	return -EADDRINUSE;
}

/* ---- the listening socket ---- */

static int
mkdir_parents(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * A socket file already at the path: a live daemon answers on it (refuse: two daemons must not
 * share a path), or it is left over from one that died (take it over).
 */
static int
take_over_stale(const char *path, const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "attach.path %s exists and is not a socket", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	rc = rc == 0 ? 0 : -errno;
	close(fd);
	if (rc == -ECONNREFUSED) {
		/* nobody listens: a daemon that did not clean up */
		if (unlink(path) != 0 && errno != ENOENT)
			return -errno;
		return 0;
	}
	if (rc == 0 || rc == -EAGAIN || rc == -EINPROGRESS)
		snprintf(err, errlen,
			"attach.path %s is in use by a running dpsctpd (stop it, or give this one "
			"another attach.path)", path);
	else
		snprintf(err, errlen, "attach.path %s: cannot tell whether it is in use: %s", path,
			strerror(-rc));
	return rc == 0 ? -EADDRINUSE : rc;
}

static int
listen_socket(struct dpsctpd_attach *a, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	mode_t old;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(a->cfg->attach_path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "attach.path is too long for a unix socket");
		return -ENAMETOOLONG;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", a->cfg->attach_path);
	snprintf(a->path, sizeof(a->path), "%s", a->cfg->attach_path);
	rc = mkdir_parents(a->path);
	if (rc != 0) {
		snprintf(err, errlen, "attach.path %s: cannot create its directory: %s", a->path,
			strerror(-rc));
		return rc;
	}
	rc = take_over_stale(a->path, &sa, err, errlen);
	if (rc != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "attach.path %s: %s", a->path, strerror(-rc));
		return rc;
	}
	a->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->lfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "attach socket: %s", strerror(errno));
		return rc;
	}
	/* nobody may connect before the mode is right */
	old = umask(0077);
	rc = bind(a->lfd, (const struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : -errno;
	umask(old);
	if (rc != 0) {
		snprintf(err, errlen, "attach.path %s: bind: %s", a->path, strerror(-rc));
		return rc;
	}
	a->bound = true;
	if (chmod(a->path, (mode_t)a->cfg->attach_mode) != 0 || listen(a->lfd, 64) != 0) {
		rc = -errno;
		snprintf(err, errlen, "attach.path %s: %s", a->path, strerror(errno));
		return rc;
	}
	return 0;
}

int
dpsctpd_attach_open(struct dp_stack *s, const struct dpsctpd_config *cfg,
	struct dpsctpd_ctrl *c, struct dpsctpd_attach **out, char *err, size_t errlen)
{
	struct dpsctpd_attach *a;
	unsigned int i, k;
	int rc;

	err[0] = '\0';
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = rte_log_register_type_and_pick_level("dpsctp.control", RTE_LOG_NOTICE);
	if (rc >= 0)
		attach_logtype = rc;
	a->s = s;
	a->cfg = cfg;
	a->c = c;
	a->lfd = -1;
	a->next_id = 1;
	for (i = 0; i < MAX_PENDING; i++)
		a->pend[i].fd = -1;
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		a->sess[i].fd = -1;
		a->sess[i].memfd = -1;
		s->sessions[i].efd = -1;
	}
	for (i = 0; i < s->nports; i++)
		for (k = 0; k < s->ports[i].naddrs && a->nours < MAX_OURS; k++)
			a->ours[a->nours++] = s->ports[i].addrs[k];
	for (i = 0; i < s->nloopback && a->nours < MAX_OURS; i++)
		a->ours[a->nours++] = s->loopback[i];
	rc = listen_socket(a, err, errlen);
	if (rc != 0) {
		dpsctpd_attach_close(a);
		dpsctpd_attach_free(a);
		return rc;
	}
	ALOG(NOTICE, "listening on %s (mode %04o%s)\n", a->path, cfg->attach_mode,
		cfg->n_attach_uids + cfg->n_attach_gids != 0 ? ", uid/gid list" : "");
	*out = a;
	return 0;
}

/* ---- answers ---- */

/* Send @p ans (with @p nfds descriptors). Never blocks: a peer that does not read is dropped. */
static int
answer(int fd, const struct dpsctp_rpc *ans, const int *fds, unsigned int nfds)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)ans, .iov_len = sizeof(*ans) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds != 0) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*ans) ? 0 : -EMSGSIZE;
}

static void
answer_init(struct dpsctp_rpc *ans, const struct dpsctp_rpc *req, int result)
{
	memset(ans, 0, sizeof(*ans));
	ans->op = req->op;
	ans->seq = req->seq;
	ans->result = result;
}

/* One request from @p fd. @return 1 (got it), 0 (nothing now), -1 (peer gone: EOF or error). */
static int
receive(int fd, struct dpsctp_rpc *req, bool *bad_size)
{
	/* one byte more than a request: a longer message shows as such, not silently cut */
	union {
		struct dpsctp_rpc r;
		uint8_t b[sizeof(struct dpsctp_rpc) + 1];
	} u;
	ssize_t n;

	/* no control buffer: descriptors an application might pass are closed by the kernel */
	n = recv(fd, &u, sizeof(u), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	memset(req, 0, sizeof(*req));
	memcpy(req, &u, (size_t)n < sizeof(*req) ? (size_t)n : sizeof(*req));
	*bad_size = n != (ssize_t)sizeof(*req);
	return 1;
}

/* ---- sessions ---- */

static void
session_unmap(struct dpsctpd_attach *a, unsigned int i)
{
	struct dp_session *ds = &a->s->sessions[i];

	if (ds->base != NULL)
		munmap(ds->base, ds->size);
	if (ds->efd >= 0)
		close(ds->efd);
	if (a->sess[i].memfd >= 0)
		close(a->sess[i].memfd);
	a->sess[i].memfd = -1;
	ds->base = NULL;
	ds->efd = -1;
}

/* HELLO: a session (memory, eventfd) for connection @p fd. @return 0 (it owns @p fd) or -errno. */
static int
hello(struct dpsctpd_attach *a, int fd, const struct ucred *cred, const struct dpsctp_rpc *req)
{
	struct dp_stack *s = a->s;
	struct dpsctp_rpc ans;
	struct dp_session *ds = NULL;
	struct dpsctp_shm_hdr *h;
	uint32_t ring = DPSCTP_SHM_RING_ENTRIES, data = DPSCTP_SHM_DATA_BYTES;
	size_t size = dpsctp_shm_size(s->nworkers, ring, data);
	unsigned int i, w;
	int fds[2], rc;

	if (req->major != DPSCTP_ABI_MAJOR)
		return -EPROTO;
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		ds = &s->sessions[i];
		if (__atomic_load_n(&ds->state, __ATOMIC_ACQUIRE) == DP_SESSION_FREE &&
			a->sess[i].memfd < 0 && a->sess[i].fd < 0)
			break;
	}
	if (i == DP_MAX_SESSIONS)
		return -ENOBUFS;
	a->sess[i].memfd = memfd_create("dpsctp-session", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (a->sess[i].memfd < 0)
		return -errno;
	if (ftruncate(a->sess[i].memfd, (off_t)size) != 0) {
		rc = -errno;
		goto fail;
	}
	/* the application must not be able to shrink it under the workers (SIGBUS) */
	if (fcntl(a->sess[i].memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		rc = -errno;
		goto fail;
	}
	ds->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, a->sess[i].memfd, 0);
	if (ds->base == MAP_FAILED) {
		ds->base = NULL;
		rc = -errno;
		goto fail;
	}
	ds->size = size;
	ds->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ds->efd < 0) {
		rc = -errno;
		goto fail;
	}
	ds->id = a->next_id++;
	ds->ring_entries = ring;
	ds->data_bytes = data;
	h = (struct dpsctp_shm_hdr *)(void *)ds->base; /* mmap: page-aligned */
	h->magic = DPSCTP_SHM_MAGIC;
	h->major = DPSCTP_ABI_MAJOR;
	h->minor = DPSCTP_ABI_MINOR;
	h->size = size;
	h->nworkers = s->nworkers;
	h->ring_entries = ring;
	h->data_bytes = data;
	h->session = ds->id;
	h->owner_bits = DP_OWNER_BITS;
	/* the workers use pointers computed here, never the header the application can write */
	for (w = 0; w < DP_MAX_WORKERS; w++) {
		ds->to_worker[w] = NULL;
		ds->to_app[w] = NULL;
	}
	for (w = 0; w < s->nworkers; w++) {
		size_t tw = dpsctp_shm_chan_off(w, DPSCTP_CHAN_TO_WORKER, ring, data);
		size_t ta = dpsctp_shm_chan_off(w, DPSCTP_CHAN_TO_APP, ring, data);

		h->chan_off[w][DPSCTP_CHAN_TO_WORKER] = tw;
		h->chan_off[w][DPSCTP_CHAN_TO_APP] = ta;
		ds->to_worker[w] = (struct dpsctp_chan *)(void *)(ds->base + tw);
		ds->to_app[w] = (struct dpsctp_chan *)(void *)(ds->base + ta);
	}
	ds->pid = cred->pid;
	ds->uid = (int)cred->uid;
	ds->gid = (int)cred->gid;
	__atomic_store_n(&ds->gone_mask, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ds->broken, 0, __ATOMIC_RELAXED);

	answer_init(&ans, req, 0);
	ans.major = DPSCTP_ABI_MAJOR;
	ans.minor = DPSCTP_ABI_MINOR;
	ans.session = ds->id;
	ans.shm_size = size;
	ans.nworkers = s->nworkers;
	ans.owner_bits = DP_OWNER_BITS;
	ans.ring_entries = ring;
	ans.data_bytes = data;
	fds[0] = a->sess[i].memfd;
	fds[1] = ds->efd;
	/* answered before the workers see it: if the answer cannot go, nobody ever used it */
	rc = answer(fd, &ans, fds, 2);
	if (rc != 0)
		goto fail;
	a->sess[i].fd = fd;
	__atomic_store_n(&ds->state, DP_SESSION_LIVE, __ATOMIC_RELEASE);
	ALOG(NOTICE, "session %u: pid %d uid %d gid %d attached (%zu bytes shared)\n", ds->id,
		ds->pid, ds->uid, ds->gid, size);
	return 0;
fail:
	session_unmap(a, i);
	return rc;
}

/* Seqlock write of slot @p sv's mutable part (stack.h): odd while the fields change. */
static void
slot_write_begin(struct dp_service *sv)
{
	uint32_t g = __atomic_load_n(&sv->gen, __ATOMIC_RELAXED);

	__atomic_store_n(&sv->gen, g + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void
slot_write_end(struct dp_service *sv)
{
	__atomic_store_n(&sv->gen, __atomic_load_n(&sv->gen, __ATOMIC_RELAXED) + 1,
		__ATOMIC_RELEASE);
}

/* The session's end: its OPEN endpoints close (as EP_CLOSE), it turns DEAD. */
static void
session_detach(struct dpsctpd_attach *a, unsigned int i, bool abort, const char *why)
{
	struct dp_stack *s = a->s;
	struct dp_session *ds = &s->sessions[i];
	unsigned int k, n = 0;

	for (k = 0; k < s->nservices; k++) {
		struct dp_service *sv = &s->services[k];

		if (__atomic_load_n(&sv->state, __ATOMIC_ACQUIRE) != DP_SLOT_OPEN ||
			sv->kind != DP_SVC_APP || sv->session != (int)i)
			continue;
		if (abort && !sv->linger_abort) {
			slot_write_begin(sv);
			sv->linger_abort = true;
			slot_write_end(sv);
		}
		__atomic_store_n(&sv->state, DP_SLOT_CLOSING, __ATOMIC_RELEASE);
		dpsctpd_ctrl_slot_closing(a->c, k);
		n++;
	}
	__atomic_store_n(&ds->state, DP_SESSION_DEAD, __ATOMIC_RELEASE);
	if (a->sess[i].fd >= 0)
		close(a->sess[i].fd);
	a->sess[i].fd = -1;
	ALOG(NOTICE, "session %u (pid %d): %s: %u endpoints closing%s\n", ds->id, ds->pid, why, n,
		abort ? " with ABORT" : "");
}

/* A DEAD session nobody uses any more is unmapped and freed. @return 1 when freed. */
static unsigned int
session_reclaim(struct dpsctpd_attach *a, unsigned int i)
{
	struct dp_stack *s = a->s;
	struct dp_session *ds = &s->sessions[i];
	uint32_t all = (uint32_t)((1ull << s->nworkers) - 1);
	unsigned int k;

	if ((__atomic_load_n(&ds->gone_mask, __ATOMIC_ACQUIRE) & all) != all)
		return 0;
	for (k = 0; k < s->nservices; k++)
		if (__atomic_load_n(&s->services[k].state, __ATOMIC_ACQUIRE) != DP_SLOT_FREE &&
			s->services[k].kind == DP_SVC_APP && s->services[k].session == (int)i)
			return 0;
	session_unmap(a, i);
	ALOG(NOTICE, "session %u freed\n", ds->id);
	__atomic_store_n(&ds->state, DP_SESSION_FREE, __ATOMIC_RELEASE);
	return 1;
}

/* ---- endpoints ---- */

static void
addrs_to_abi(struct dpsctp_rpc *ans, const struct dp_service *sv)
{
	unsigned int i;

	for (i = 0; i < sv->naddrs && i < DPSCTP_RPC_MAX_ADDRS; i++) {
		ans->addrs[i].family = sv->addrs[i].family;
		memcpy(ans->addrs[i].bytes, sv->addrs[i].bytes, 16);
	}
	ans->naddrs = i;
}

static int
ep_open(struct dpsctpd_attach *a, unsigned int si, const struct dpsctp_rpc *req,
	struct dpsctp_rpc *ans)
{
	struct dp_stack *s = a->s;
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	struct dpsctp_proto_config proto = s->proto;
	struct dp_service *sv;
	uint32_t seed;
	unsigned int k;
	int n, port, rc;

	/* one application cannot take every slot from the others (its closing ones go soon) */
	for (k = 0, n = 0; k < s->nservices; k++)
		if (s->services[k].session == (int)si &&
			__atomic_load_n(&s->services[k].state, __ATOMIC_ACQUIRE) == DP_SLOT_OPEN)
			n++;
	if (n >= DP_SESSION_MAX_ENDPOINTS)
		return -ENOBUFS;
	n = dp_attach_addrs(a->ours, a->nours, req->family, (req->flags & DPSCTP_RPC_V6ONLY) != 0,
		req->addrs, req->naddrs, addrs);
	if (n < 0)
		return n;
	rc = dp_abi_cfg_apply(&proto, &req->cfg);
	if (rc != 0)
		return rc;
	/* what is delivered stays in the window until the application has read it */
	proto.rcv_app_window = true;
	dp_stack_random(NULL, &seed, sizeof(seed));
	port = dp_attach_choose_port(s->services, s->nservices, req->port, seed);
	if (port < 0)
		return port;
	for (k = 0; k < s->nservices; k++)
		if (__atomic_load_n(&s->services[k].state, __ATOMIC_ACQUIRE) == DP_SLOT_FREE)
			break;
	if (k == DP_MAX_SERVICES)
		return -ENOBUFS;
	sv = &s->services[k];
	/* FREE: no worker reads it; the seqlock still moves so a worker's old gen never matches */
	slot_write_begin(sv);
	sv->kind = DP_SVC_APP;
	sv->port = (uint16_t)port;
	memcpy(sv->addrs, addrs, (size_t)n * sizeof(addrs[0]));
	sv->naddrs = (unsigned int)n;
	sv->listen = (req->flags & DPSCTP_RPC_LISTEN) != 0;
	sv->npeers = 0;
	sv->peer_port = 0;
	sv->count = 0;
	sv->session = (int)si;
	/* SO_LINGER set before bind travels with EP_OPEN (SET_LINGER), so a crash aborts too */
	sv->linger_abort = (req->flags & DPSCTP_RPC_SET_LINGER) != 0 && req->linger_abort != 0;
	sv->proto = proto;
	__atomic_store_n(&sv->closed_mask, 0, __ATOMIC_RELAXED);
	slot_write_end(sv);
	if (k == s->nservices)
		__atomic_store_n(&s->nservices, k + 1, __ATOMIC_RELEASE);
	rc = dpsctpd_ctrl_slot_open(a->c, k);
	if (rc != 0) {
		dpsctpd_ctrl_slot_drop(a->c, k);
		return rc == -EINVAL ? -EINVAL : -ENOBUFS;
	}
	a->slot[k].family = req->family;
	a->slot[k].v6only = (req->flags & DPSCTP_RPC_V6ONLY) != 0;
	__atomic_store_n(&sv->state, DP_SLOT_OPEN, __ATOMIC_RELEASE);
	dp_stack_port_bind(s, k); /* packets to the port find it from now on */
	ans->svc = k;
	ans->port = (uint16_t)port;
	ans->family = req->family;
	ans->flags = sv->listen ? DPSCTP_RPC_LISTEN : 0;
	ans->linger_abort = sv->linger_abort;
	dp_abi_cfg_get(&sv->proto, &ans->cfg); /* what future associations get, daemon defaults included */
	addrs_to_abi(ans, sv);
	ALOG(INFO, "session %u: endpoint %u port %u, %d addresses%s\n", s->sessions[si].id, k,
		port, n, sv->listen ? ", listening" : "");
	return 0;
}

/* Slot @p svc, OPEN and of session @p si, or NULL. */
static struct dp_service *
own_slot(struct dpsctpd_attach *a, unsigned int si, uint32_t svc)
{
	struct dp_service *sv;

	if (svc >= a->s->nservices)
		return NULL;
	sv = &a->s->services[svc];
	if (__atomic_load_n(&sv->state, __ATOMIC_ACQUIRE) != DP_SLOT_OPEN ||
		sv->kind != DP_SVC_APP || sv->session != (int)si)
		return NULL;
	return sv;
}

static int
ep_update(struct dpsctpd_attach *a, unsigned int si, const struct dpsctp_rpc *req,
	struct dpsctp_rpc *ans)
{
	static const uint32_t known = DPSCTP_RPC_LISTEN | DPSCTP_RPC_V6ONLY |
		DPSCTP_RPC_SET_ADDRS | DPSCTP_RPC_SET_LISTEN | DPSCTP_RPC_SET_CFG |
		DPSCTP_RPC_SET_LINGER;
	struct dp_service *sv = own_slot(a, si, req->svc);
	struct dpsctp_addr addrs[DPSCTP_MAX_ADDRS];
	struct dpsctp_proto_config proto;
	uint32_t f = req->flags;
	bool listen, linger;
	int n = 0, rc;

	if (sv == NULL)
		return -ENOENT;
	if ((f & ~known) != 0)
		return -EINVAL;
	/* everything is checked before anything changes: an update applies whole or not at all */
	if (f & DPSCTP_RPC_SET_ADDRS) {
		n = dp_attach_addrs(a->ours, a->nours, a->slot[req->svc].family,
			a->slot[req->svc].v6only, req->addrs, req->naddrs, addrs);
		if (n < 0)
			return n;
	}
	proto = sv->proto;
	if (f & DPSCTP_RPC_SET_CFG) {
		rc = dp_abi_cfg_apply(&proto, &req->cfg);
		if (rc != 0)
			return rc;
	}
	listen = (f & DPSCTP_RPC_SET_LISTEN) ? (f & DPSCTP_RPC_LISTEN) != 0 : sv->listen;
	linger = (f & DPSCTP_RPC_SET_LINGER) ? req->linger_abort != 0 : sv->linger_abort;
	if (f & (DPSCTP_RPC_SET_ADDRS | DPSCTP_RPC_SET_LISTEN | DPSCTP_RPC_SET_CFG |
		    DPSCTP_RPC_SET_LINGER)) {
		slot_write_begin(sv);
		if (f & DPSCTP_RPC_SET_ADDRS) {
			memcpy(sv->addrs, addrs, (size_t)n * sizeof(addrs[0]));
			sv->naddrs = (unsigned int)n;
		}
		sv->proto = proto;
		sv->listen = listen;
		sv->linger_abort = linger;
		slot_write_end(sv);
		rc = dpsctpd_ctrl_slot_update(a->c, req->svc,
			(f & (DPSCTP_RPC_SET_ADDRS | DPSCTP_RPC_SET_CFG)) != 0);
		if (rc != 0)
			ALOG(WARNING, "endpoint %u: control's endpoint not updated: %s\n", req->svc,
				strerror(-rc));
	}
	ans->svc = req->svc;
	ans->port = sv->port;
	ans->family = a->slot[req->svc].family;
	ans->flags = sv->listen ? DPSCTP_RPC_LISTEN : 0;
	ans->linger_abort = sv->linger_abort;
	dp_abi_cfg_get(&sv->proto, &ans->cfg);
	addrs_to_abi(ans, sv);
	return 0;
}

static int
ep_close(struct dpsctpd_attach *a, unsigned int si, const struct dpsctp_rpc *req,
	struct dpsctp_rpc *ans)
{
	struct dp_service *sv = own_slot(a, si, req->svc);

	if (sv == NULL)
		return -ENOENT;
	__atomic_store_n(&sv->state, DP_SLOT_CLOSING, __ATOMIC_RELEASE);
	dpsctpd_ctrl_slot_closing(a->c, req->svc);
	ans->svc = req->svc;
	ans->port = sv->port;
	ALOG(INFO, "session %u: endpoint %u port %u closing%s\n", a->s->sessions[si].id,
		req->svc, sv->port, sv->linger_abort ? " with ABORT" : "");
	return 0;
}

/* Requests of LIVE session @p i. @return requests handled. */
static unsigned int
session_input(struct dpsctpd_attach *a, unsigned int i)
{
	struct dpsctp_rpc req, ans;
	unsigned int k;

	for (k = 0; k < REQS_PER_POLL; k++) {
		bool bad_size = false;
		int rc = receive(a->sess[i].fd, &req, &bad_size);

		if (rc == 0)
			break;
		if (rc < 0) {
			session_detach(a, i, false, "the application left");
			break;
		}
		answer_init(&ans, &req, 0);
		if (bad_size)
			ans.result = -EINVAL;
		else if (req.op == DPSCTP_RPC_EP_OPEN)
			ans.result = ep_open(a, i, &req, &ans);
		else if (req.op == DPSCTP_RPC_EP_UPDATE)
			ans.result = ep_update(a, i, &req, &ans);
		else if (req.op == DPSCTP_RPC_EP_CLOSE)
			ans.result = ep_close(a, i, &req, &ans);
		else if (req.op == DPSCTP_RPC_HELLO)
			ans.result = -EISCONN;
		else
			ans.result = -EOPNOTSUPP;
		rc = answer(a->sess[i].fd, &ans, NULL, 0);
		if (rc != 0) {
			session_detach(a, i, false,
				rc == -EAGAIN ? "the application does not read its answers" :
						"its connection failed");
			break;
		}
	}
	return k;
}

/* ---- connections before HELLO ---- */

static void
pending_close(struct pending *p)
{
	close(p->fd);
	p->fd = -1;
}

static void
pending_input(struct dpsctpd_attach *a, struct pending *p)
{
	struct dpsctp_rpc req, ans;
	bool bad_size = false;
	int rc = receive(p->fd, &req, &bad_size);

	if (rc == 0)
		return;
	if (rc < 0) {
		pending_close(p);
		return;
	}
	if (bad_size || req.op != DPSCTP_RPC_HELLO)
		rc = bad_size ? -EINVAL : -EPROTO;
	else if (p->denied)
		rc = -EACCES;
	else
		rc = hello(a, p->fd, &p->cred, &req);
	if (rc == 0) {
		p->fd = -1; /* the session has it */
		return;
	}
	if (rc == -EACCES)
		ALOG(WARNING, "pid %d uid %u gid %u refused (not in attach.uids / attach.gids)\n",
			(int)p->cred.pid, (unsigned int)p->cred.uid, (unsigned int)p->cred.gid);
	else
		ALOG(NOTICE, "pid %d: HELLO refused: %s\n", (int)p->cred.pid, strerror(-rc));
	answer_init(&ans, &req, rc);
	ans.major = DPSCTP_ABI_MAJOR;
	ans.minor = DPSCTP_ABI_MINOR;
	(void)answer(p->fd, &ans, NULL, 0);
	pending_close(p);
}

static unsigned int
accept_new(struct dpsctpd_attach *a)
{
	unsigned int n;

	for (n = 0; n < ACCEPTS_PER_POLL; n++) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		unsigned int i;
		int fd = accept4(a->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			break;
		for (i = 0; i < MAX_PENDING && a->pend[i].fd >= 0; i++)
			;
		if (i == MAX_PENDING ||
			getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
			/* too many half-open attaches: this one sees EOF and may try again */
			close(fd);
			continue;
		}
		a->pend[i].fd = fd;
		a->pend[i].cred = cred;
		a->pend[i].denied = !dp_attach_cred_ok(a->cfg, cred.uid, cred.gid);
		a->pend[i].deadline = a->now + HELLO_WAIT_NS;
	}
	return n;
}

unsigned int
dpsctpd_attach_poll(struct dpsctpd_attach *a, uint64_t now)
{
	struct pollfd pfd[1 + MAX_PENDING + DP_MAX_SESSIONS];
	int who[1 + MAX_PENDING + DP_MAX_SESSIONS]; /* -1 listen, 0..: pending, 1000+: session */
	unsigned int i, n = 0, work = 0;

	a->now = now;
	if (a->lfd < 0)
		return 0;
	pfd[n].fd = a->lfd;
	pfd[n].events = POLLIN;
	who[n++] = -1;
	for (i = 0; i < MAX_PENDING; i++) {
		if (a->pend[i].fd < 0)
			continue;
		if (now >= a->pend[i].deadline) {
			pending_close(&a->pend[i]);
			continue;
		}
		pfd[n].fd = a->pend[i].fd;
		pfd[n].events = POLLIN;
		who[n++] = (int)i;
	}
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		struct dp_session *ds = &a->s->sessions[i];
		uint32_t st = __atomic_load_n(&ds->state, __ATOMIC_ACQUIRE);

		if (st == DP_SESSION_LIVE &&
			__atomic_load_n(&ds->broken, __ATOMIC_ACQUIRE) != 0) {
			/* a worker caught it breaking the ring protocol: its associations are aborted */
			session_detach(a, i, true, "broke the shared-memory protocol");
			work++;
			continue;
		}
		if (st == DP_SESSION_DEAD) {
			work += session_reclaim(a, i);
			continue;
		}
		if (st != DP_SESSION_LIVE || a->sess[i].fd < 0)
			continue;
		pfd[n].fd = a->sess[i].fd;
		pfd[n].events = POLLIN;
		who[n++] = 1000 + (int)i;
	}
	if (poll(pfd, n, 0) <= 0)
		return work;
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		if (who[i] < 0)
			work += accept_new(a);
		else if (who[i] < 1000)
			pending_input(a, &a->pend[who[i]]), work++;
		else
			work += session_input(a, (unsigned int)(who[i] - 1000)) + 1;
	}
	return work;
}

unsigned int
dpsctpd_attach_session_count(const struct dpsctpd_attach *a)
{
	unsigned int i, n = 0;

	for (i = 0; i < DP_MAX_SESSIONS; i++)
		n += __atomic_load_n(&a->s->sessions[i].state, __ATOMIC_ACQUIRE) != DP_SESSION_FREE;
	return n;
}

void
dpsctpd_attach_close(struct dpsctpd_attach *a)
{
	unsigned int i;

	if (a == NULL)
		return;
	if (a->lfd >= 0)
		close(a->lfd);
	a->lfd = -1;
	if (a->bound)
		(void)unlink(a->path);
	a->bound = false;
	for (i = 0; i < MAX_PENDING; i++)
		if (a->pend[i].fd >= 0)
			pending_close(&a->pend[i]);
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		if (a->sess[i].fd < 0)
			continue;
		/* the application sees EOF: its calls fail with ECONNRESET from now on */
		close(a->sess[i].fd);
		a->sess[i].fd = -1;
		__atomic_store_n(&a->s->sessions[i].state, DP_SESSION_DEAD, __ATOMIC_RELEASE);
	}
}

void
dpsctpd_attach_free(struct dpsctpd_attach *a)
{
	unsigned int i;

	if (a == NULL)
		return;
	dpsctpd_attach_close(a);
	for (i = 0; i < DP_MAX_SESSIONS; i++) {
		session_unmap(a, i);
		__atomic_store_n(&a->s->sessions[i].state, DP_SESSION_FREE, __ATOMIC_RELEASE);
	}
	free(a);
}
