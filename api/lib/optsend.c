/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options: what a message gets when its sender gives nothing
 * (DEFAULT_SEND_PARAM, DEFAULT_SNDINFO, DEFAULT_PRINFO: RFC 6458 8.1.10, 8.1.31, 8.1.32), the
 * socket's and per association on a one-to-many socket, and CONTEXT (8.1.17).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

/* Send flags a default sndinfo may carry (Linux's set, plus SENDALL and SACK-IMMEDIATELY). */
#define DEFAULT_SND_FLAGS                                                                   \
	(DPSCTP_UNORDERED | DPSCTP_ADDR_OVER | DPSCTP_ABORT | DPSCTP_EOF | DPSCTP_SENDALL | \
		DPSCTP_SACK_IMMEDIATELY)

/* ------------------------------------------------------------------------------------------ */
/* Per-association send defaults                                                               */

static struct dpsctp_opts_assoc_defaults *
ad_find(struct dpsctp_sock_opts *o, uint32_t id)
{
	for (size_t i = 0; i < DPSCTP_OPTS_ASSOC_DEFAULTS; i++)
		if (o->assoc_defaults[i].id == id)
			return &o->assoc_defaults[i];
	return NULL;
}

/* The entry of @p id, made from the socket's defaults if it has none. NULL: table full. */
static struct dpsctp_opts_assoc_defaults *
ad_get(struct dpsctp_sock_opts *o, uint32_t id)
{
	struct dpsctp_opts_assoc_defaults *e = ad_find(o, id);

	if (e != NULL)
		return e;
	e = ad_find(o, 0);
	if (e == NULL)
		return NULL;
	e->id = id;
	e->sndinfo = o->default_sndinfo;
	e->prinfo = o->default_prinfo;
	return e;
}

void
dpsctp_opts_send_defaults(const struct dpsctp_sock_opts *o, uint32_t assoc_id,
	struct dpsctp_sndinfo *si, struct dpsctp_default_prinfo *pr)
{
	const struct dpsctp_opts_assoc_defaults *e = NULL;

	if (assoc_id != 0)
		e = ad_find((struct dpsctp_sock_opts *)o, assoc_id);
	if (si != NULL)
		*si = e != NULL ? e->sndinfo : o->default_sndinfo;
	if (pr != NULL)
		*pr = e != NULL ? e->prinfo : o->default_prinfo;
}

void
dpsctp_opts_assoc_forget(struct dpsctp_sock_opts *o, uint32_t assoc_id)
{
	struct dpsctp_opts_assoc_defaults *e;

	if (assoc_id == 0)
		return;
	e = ad_find(o, assoc_id);
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}

/* ------------------------------------------------------------------------------------------ */
/* Set                                                                                         */

/* DEFAULT_SNDINFO / DEFAULT_SEND_PARAM / DEFAULT_PRINFO: where the new defaults go. */
static int
set_send_defaults(struct dpsctp_lsock *s, dpsctp_assoc_t id, const struct dpsctp_sndinfo *si,
	const struct dpsctp_default_prinfo *pr)
{
	struct dpsctp_sock_opts *o;
	struct dpsctp_opts_assoc_defaults *e;
	struct dpsctp_opt_target t;
	uint32_t *ids = NULL;
	int n = 0, rc;

	if ((rc = dpsctp_opt_target_set(s, id, true, &t)) != 0)
		return rc;
	if (dpsctp_opt_one_to_many(s) && (t.future || t.current)) {
		n = dpsctp_opt_assoc_ids(s, &ids);
		if (n < 0)
			return n;
	}
	o = dpsctp_lsock_opts(s);
	if (!dpsctp_opt_one_to_many(s)) {
		/* one association at most, and it follows the socket's defaults */
		t.future = true;
		t.one = false;
	}
	/* RFC 6458 7.2: FUTURE leaves the existing associations their current defaults */
	if (t.future && !t.current) {
		for (int i = 0; i < n; i++)
			if (ad_get(o, ids[i]) == NULL) {
				free(ids);
				return -ENOBUFS;
			}
	}
	if (t.current) {
		for (int i = 0; i < n; i++) {
			e = ad_get(o, ids[i]);
			if (e == NULL) {
				free(ids);
				return -ENOBUFS;
			}
			if (si != NULL)
				e->sndinfo = *si;
			if (pr != NULL)
				e->prinfo = *pr;
		}
	}
	free(ids);
	if (t.one) {
		e = ad_get(o, t.id);
		if (e == NULL)
			return -ENOBUFS;
		if (si != NULL)
			e->sndinfo = *si;
		if (pr != NULL)
			e->prinfo = *pr;
	}
	if (t.future) {
		if (si != NULL)
			o->default_sndinfo = *si;
		if (pr != NULL)
			o->default_prinfo = *pr;
	}
	return 0;
}

/* PR policy check (RFC 6458 8.1.32): the stack has no FORWARD-TSN, so TTL limits only the
 * time a message may wait before its first transmission; RTX and PRIO cannot be done. */
static int
prinfo_check(struct dpsctp_default_prinfo *pr)
{
	switch (pr->pr_policy) {
	case DPSCTP_PR_SCTP_NONE:
		pr->pr_value = 0;
		return 0;
	case DPSCTP_PR_SCTP_TTL:
		return 0;
	default:
		return -EINVAL;
	}
}

int
dpsctp_optsend_set_default_send_param(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sndrcvinfo sr;
	struct dpsctp_sndinfo si;
	struct dpsctp_default_prinfo pr;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &sr, sizeof(sr))) != 0)
		return rc;
	if (sr.sinfo_flags & ~DEFAULT_SND_FLAGS)
		return -EINVAL;
	memset(&si, 0, sizeof(si));
	si.snd_sid = sr.sinfo_stream;
	si.snd_flags = sr.sinfo_flags;
	si.snd_ppid = sr.sinfo_ppid;
	si.snd_context = sr.sinfo_context;
	si.snd_assoc_id = sr.sinfo_assoc_id;
	memset(&pr, 0, sizeof(pr));
	pr.pr_policy = sr.sinfo_timetolive != 0 ? DPSCTP_PR_SCTP_TTL : DPSCTP_PR_SCTP_NONE;
	pr.pr_value = sr.sinfo_timetolive;
	pr.pr_assoc_id = sr.sinfo_assoc_id;
	return set_send_defaults(s, sr.sinfo_assoc_id, &si, &pr);
}

int
dpsctp_optsend_set_default_sndinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sndinfo si;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &si, sizeof(si))) != 0)
		return rc;
	if (si.snd_flags & ~DEFAULT_SND_FLAGS)
		return -EINVAL;
	return set_send_defaults(s, si.snd_assoc_id, &si, NULL);
}

int
dpsctp_optsend_set_default_prinfo(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_default_prinfo pr;
	int rc;

	if ((rc = dpsctp_opt_in_struct(val, len, &pr, sizeof(pr))) != 0 ||
		(rc = prinfo_check(&pr)) != 0)
		return rc;
	return set_send_defaults(s, pr.pr_assoc_id, NULL, &pr);
}

int
dpsctp_optsend_set_context(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_opt_target t;
	uint32_t *ids = NULL;
	int rc, n;

	if ((rc = dpsctp_opt_in_struct(val, len, &av, sizeof(av))) != 0 ||
		(rc = dpsctp_opt_target_set(s, av.assoc_id, true, &t)) != 0)
		return rc;
	if (t.one)
		return dpsctp_lsock_assoc_set_context(s, t.id, av.assoc_value);
	if (t.future)
		dpsctp_lsock_opts(s)->context = av.assoc_value;
	if (!t.current)
		return 0;
	n = dpsctp_opt_assoc_ids(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		(void)dpsctp_lsock_assoc_set_context(s, ids[i], av.assoc_value);
	free(ids);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Get                                                                                         */

static int
get_send_defaults(struct dpsctp_lsock *s, dpsctp_assoc_t id, struct dpsctp_sndinfo *si,
	struct dpsctp_default_prinfo *pr)
{
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_target_get(s, id, &t)) != 0)
		return rc;
	dpsctp_opts_send_defaults(
		dpsctp_lsock_opts(s), t.one && dpsctp_opt_one_to_many(s) ? t.id : 0, si, pr);
	return 0;
}

int
dpsctp_optsend_get_default_send_param(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sndrcvinfo sr;
	struct dpsctp_sndinfo si;
	struct dpsctp_default_prinfo pr;
	dpsctp_assoc_t id;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &sr, sizeof(sr))) != 0 ||
		(rc = get_send_defaults(s, sr.sinfo_assoc_id, &si, &pr)) != 0)
		return rc;
	id = sr.sinfo_assoc_id;
	memset(&sr, 0, sizeof(sr));
	sr.sinfo_stream = si.snd_sid;
	sr.sinfo_flags = si.snd_flags;
	sr.sinfo_ppid = si.snd_ppid;
	sr.sinfo_context = si.snd_context;
	sr.sinfo_timetolive = pr.pr_policy == DPSCTP_PR_SCTP_TTL ? pr.pr_value : 0;
	sr.sinfo_assoc_id = id;
	dpsctp_opt_put(val, len, &sr, sizeof(sr));
	return 0;
}

int
dpsctp_optsend_get_default_sndinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_sndinfo in, si;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &in, sizeof(in))) != 0 ||
		(rc = get_send_defaults(s, in.snd_assoc_id, &si, NULL)) != 0)
		return rc;
	si.snd_assoc_id = in.snd_assoc_id;
	dpsctp_opt_put(val, len, &si, sizeof(si));
	return 0;
}

int
dpsctp_optsend_get_default_prinfo(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_default_prinfo in, pr;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &in, sizeof(in))) != 0 ||
		(rc = get_send_defaults(s, in.pr_assoc_id, NULL, &pr)) != 0)
		return rc;
	pr.pr_assoc_id = in.pr_assoc_id;
	dpsctp_opt_put(val, len, &pr, sizeof(pr));
	return 0;
}

int
dpsctp_optsend_get_context(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_assoc_value av;
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &av, sizeof(av))) != 0 ||
		(rc = dpsctp_opt_target_get(s, av.assoc_id, &t)) != 0)
		return rc;
	if (t.future)
		av.assoc_value = dpsctp_lsock_opts(s)->context;
	else if ((rc = dpsctp_lsock_assoc_get_context(s, t.id, &av.assoc_value)) != 0)
		return rc;
	dpsctp_opt_put(val, len, &av, sizeof(av));
	return 0;
}
