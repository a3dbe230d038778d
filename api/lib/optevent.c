/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp socket options: the notification subscription (RFC 6458 6.2): EVENT, one type at a
 * time, and EVENTS, the deprecated struct dpsctp_event_subscribe in any historical length.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lib.h"
#include "optint.h"

/*
 * The event types of struct dpsctp_event_subscribe, field by field (Linux's order); 0: not a
 * notification type (sctp_data_io_event). sctp_send_failure_event (the deprecated form) and
 * sctp_send_failure_event_event both name DPSCTP_SEND_FAILED_EVENT.
 */
static const uint16_t subscribe_types[sizeof(struct dpsctp_event_subscribe)] = {
	0,                             /* sctp_data_io_event */
	DPSCTP_ASSOC_CHANGE,           /* sctp_association_event */
	DPSCTP_PEER_ADDR_CHANGE,       /* sctp_address_event */
	DPSCTP_SEND_FAILED_EVENT,      /* sctp_send_failure_event */
	DPSCTP_REMOTE_ERROR,           /* sctp_peer_error_event */
	DPSCTP_SHUTDOWN_EVENT,         /* sctp_shutdown_event */
	DPSCTP_PARTIAL_DELIVERY_EVENT, /* sctp_partial_delivery_event */
	DPSCTP_ADAPTATION_INDICATION,  /* sctp_adaptation_layer_event */
	8,                             /* sctp_authentication_event (FreeBSD's number) */
	DPSCTP_SENDER_DRY_EVENT,       /* sctp_sender_dry_event */
	9,                             /* sctp_stream_reset_event */
	12,                            /* sctp_assoc_reset_event */
	13,                            /* sctp_stream_change_event */
	DPSCTP_SEND_FAILED_EVENT,      /* sctp_send_failure_event_event */
};

static uint32_t
event_bit(unsigned int type)
{
	return 1u << (type - DPSCTP_SN_TYPE_BASE);
}

/* The subscription as struct dpsctp_event_subscribe bytes. */
static void
events_to_subscribe(const struct dpsctp_sock_opts *o, uint8_t *b)
{
	for (size_t i = 0; i < sizeof(struct dpsctp_event_subscribe); i++)
		b[i] = subscribe_types[i] == 0 ? o->data_io_event
					       : (o->events & event_bit(subscribe_types[i])) != 0;
}

/*
 * Apply the first @p len bytes of a struct dpsctp_event_subscribe (any historical length) to the
 * subscription; the fields past @p len stay as they are. Two fields name SEND_FAILED_EVENT: the
 * one that differs from the current state wins (a program that read the structure, changed one
 * of them and wrote it back means that one).
 */
static void
events_from_subscribe(struct dpsctp_sock_opts *o, const uint8_t *b, size_t len)
{
	uint32_t ev = o->events;
	bool sf_cur = (o->events & event_bit(DPSCTP_SEND_FAILED_EVENT)) != 0, sf = sf_cur;

	for (size_t i = 0; i < len && i < sizeof(struct dpsctp_event_subscribe); i++) {
		unsigned int t = subscribe_types[i];
		bool on = b[i] != 0;

		if (t == 0)
			o->data_io_event = on;
		else if (t == DPSCTP_SEND_FAILED_EVENT) {
			if (on != sf_cur)
				sf = on;
		} else if (on)
			ev |= event_bit(t);
		else
			ev &= ~event_bit(t);
	}
	if (sf)
		ev |= event_bit(DPSCTP_SEND_FAILED_EVENT);
	else
		ev &= ~event_bit(DPSCTP_SEND_FAILED_EVENT);
	o->events = ev;
}

/* ------------------------------------------------------------------------------------------ */
/* Set                                                                                         */

int
dpsctp_optevent_set_event(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	struct dpsctp_sock_opts *o;
	struct dpsctp_event ev;
	struct dpsctp_opt_target t;
	int rc;

	if ((size_t)len < sizeof(ev))
		return -EINVAL;
	memcpy(&ev, val, sizeof(ev));
	if (ev.se_type <= DPSCTP_SN_TYPE_BASE || ev.se_type > DPSCTP_SN_TYPE_MAX)
		return -EINVAL;
	/* the id must be valid; the subscription itself is the socket's (every association) */
	if ((rc = dpsctp_opt_target_set(s, ev.se_assoc_id, true, &t)) != 0)
		return rc;
	o = dpsctp_lsock_opts(s);
	if (ev.se_on)
		o->events |= event_bit(ev.se_type);
	else
		o->events &= ~event_bit(ev.se_type);
	return 0;
}

int
dpsctp_optevent_set_events(struct dpsctp_lsock *s, const void *val, socklen_t len)
{
	/* Linux: any length up to the structure (older headers have fewer fields) */
	if ((size_t)len > sizeof(struct dpsctp_event_subscribe))
		return -EINVAL;
	events_from_subscribe(dpsctp_lsock_opts(s), val, len);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Get                                                                                         */

int
dpsctp_optevent_get_event(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	struct dpsctp_event ev;
	struct dpsctp_opt_target t;
	int rc;

	if ((rc = dpsctp_opt_get_in(val, len, &ev, sizeof(ev))) != 0)
		return rc;
	if (ev.se_type <= DPSCTP_SN_TYPE_BASE || ev.se_type > DPSCTP_SN_TYPE_MAX)
		return -EINVAL;
	if ((rc = dpsctp_opt_target_get(s, ev.se_assoc_id, &t)) != 0)
		return rc;
	ev.se_on = (dpsctp_lsock_opts(s)->events & event_bit(ev.se_type)) != 0;
	dpsctp_opt_put(val, len, &ev, sizeof(ev));
	return 0;
}

int
dpsctp_optevent_get_events(struct dpsctp_lsock *s, void *val, socklen_t *len)
{
	uint8_t b[sizeof(struct dpsctp_event_subscribe)];
	size_t n = *len;

	/* Linux: any length from 1 to the structure; only that many fields are written */
	if (n == 0)
		return -EINVAL;
	if (n > sizeof(b))
		n = sizeof(b);
	events_to_subscribe(dpsctp_lsock_opts(s), b);
	dpsctp_opt_put(val, len, b, n);
	return 0;
}
