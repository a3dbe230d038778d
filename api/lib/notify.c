/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libdpsctp notifications: a worker's struct dpsctp_abi_event (shm.h, the engine's event with
 * its data) becomes the RFC 6458 section 6.1 structure an application reads with
 * MSG_NOTIFICATION. The ABI event types and states are the engine's (dataplane/sctp/engine.h),
 * which this file does not include: the values are restated here, checked by the switch.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* engine enum dpsctp_event_type */
enum {
	ABI_EV_ASSOC_CHANGE = 1,
	ABI_EV_PEER_ADDR_CHANGE,
	ABI_EV_REMOTE_ERROR,
	ABI_EV_SEND_FAILED,
	ABI_EV_SHUTDOWN,
	ABI_EV_ADAPTATION_INDICATION,
	ABI_EV_PARTIAL_DELIVERY,
	ABI_EV_SENDER_DRY,
};

/* engine DPSCTP_SND_* flags of a message's sndinfo */
#define ABI_SND_UNORDERED 0x1
#define ABI_SND_SACK_IMMEDIATELY 0x2

/* RFC 9260 3.3.7: the ABORT chunk type, rebuilt around the peer's causes for sac_info */
#define CHUNK_ABORT 6

uint16_t
lnotify_type(uint16_t abi_type)
{
	switch (abi_type) {
	case ABI_EV_ASSOC_CHANGE:
		return DPSCTP_ASSOC_CHANGE;
	case ABI_EV_PEER_ADDR_CHANGE:
		return DPSCTP_PEER_ADDR_CHANGE;
	case ABI_EV_REMOTE_ERROR:
		return DPSCTP_REMOTE_ERROR;
	case ABI_EV_SEND_FAILED:
		return DPSCTP_SEND_FAILED_EVENT;
	case ABI_EV_SHUTDOWN:
		return DPSCTP_SHUTDOWN_EVENT;
	case ABI_EV_ADAPTATION_INDICATION:
		return DPSCTP_ADAPTATION_INDICATION;
	case ABI_EV_PARTIAL_DELIVERY:
		return DPSCTP_PARTIAL_DELIVERY_EVENT;
	case ABI_EV_SENDER_DRY:
		return DPSCTP_SENDER_DRY_EVENT;
	default:
		return 0;
	}
}

static uint8_t *
alloc_note(size_t len, uint16_t type)
{
	uint8_t *b = calloc(1, len);
	struct dpsctp_tlv h = {.sn_type = type, .sn_flags = 0, .sn_length = (uint32_t)len};

	if (b != NULL)
		memcpy(b, &h, sizeof(h));
	return b;
}

size_t
lnotify_build(const struct dpsctp_abi_event *ev, const uint8_t *data, size_t data_len, int result,
	uint32_t assoc_id, uint16_t peer_port, bool mapped_v4, int family, uint8_t **out)
{
	uint16_t type = lnotify_type(ev->type);
	size_t len;
	uint8_t *b;

	*out = NULL;
	switch (type) {
	case DPSCTP_ASSOC_CHANGE: {
		struct dpsctp_assoc_change n;
		bool info = (ev->state == DPSCTP_COMM_LOST || ev->state == DPSCTP_CANT_STR_ASSOC) &&
			data_len > 0 && data_len <= 65535 - 4;

		/* RFC 6458 6.1.1: after an ABORT, sac_info holds the ABORT chunk */
		len = sizeof(n) + (info ? 4 + data_len : 0);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.sac_state = ev->state;
		n.sac_error = ev->error;
		n.sac_outbound_streams = ev->os;
		n.sac_inbound_streams = ev->is;
		n.sac_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		if (info) {
			uint16_t clen = htons((uint16_t)(4 + data_len));

			b[sizeof(n)] = CHUNK_ABORT;
			b[sizeof(n) + 1] = 0;
			memcpy(b + sizeof(n) + 2, &clen, 2);
			memcpy(b + sizeof(n) + 4, data, data_len);
		}
		break;
	}
	case DPSCTP_PEER_ADDR_CHANGE: {
		struct dpsctp_paddr_change n;
		struct sockaddr_storage st;
		socklen_t sl;

		len = sizeof(n);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		sl = dpsctp_addr_to_sa(&ev->addr, peer_port,
			family == AF_INET6 && (mapped_v4 || ev->addr.family == 6), &st);
		memcpy(&n.spc_aaddr, &st, sl);
		n.spc_state = ev->state;
		n.spc_error = ev->error;
		n.spc_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		break;
	}
	case DPSCTP_REMOTE_ERROR: {
		struct dpsctp_remote_error n;

		len = sizeof(n) + data_len;
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		/* RFC 6458 6.1.3: the cause code in network byte order */
		n.sre_error = htons(ev->error);
		n.sre_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		if (data_len > 0)
			memcpy(b + sizeof(n), data, data_len);
		break;
	}
	case DPSCTP_SEND_FAILED_EVENT: {
		struct dpsctp_send_failed_event n;

		len = sizeof(n) + data_len;
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.ssfe_flags = ev->flags & DPSCTP_DATA_SENT ? DPSCTP_DATA_SENT : DPSCTP_DATA_UNSENT;
		/* the engine's failures carry a cause code (0: lifetime expired) and result
		 * -EPIPE; a request the worker refused carries only an errno */
		n.ssfe_error = ev->error != 0 ? ev->error :
			(result < 0 && result != -EPIPE) ? (uint32_t)-result : 0;
		n.ssfe_info.snd_sid = ev->sid;
		n.ssfe_info.snd_flags = (uint16_t)((ev->snd_flags & ABI_SND_UNORDERED ?
			DPSCTP_UNORDERED : 0) | (ev->snd_flags & ABI_SND_SACK_IMMEDIATELY ?
			DPSCTP_SACK_IMMEDIATELY : 0));
		n.ssfe_info.snd_ppid = ev->ppid;
		n.ssfe_info.snd_context = ev->context;
		n.ssfe_info.snd_assoc_id = assoc_id;
		n.ssfe_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		if (data_len > 0)
			memcpy(b + sizeof(n), data, data_len);
		break;
	}
	case DPSCTP_SHUTDOWN_EVENT: {
		struct dpsctp_shutdown_event n;

		len = sizeof(n);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.sse_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		break;
	}
	case DPSCTP_ADAPTATION_INDICATION: {
		struct dpsctp_adaptation_event n;

		len = sizeof(n);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.sai_adaptation_ind = ev->ind;
		n.sai_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		break;
	}
	case DPSCTP_PARTIAL_DELIVERY_EVENT: {
		struct dpsctp_pdapi_event n;

		len = sizeof(n);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.pdapi_indication = ev->ind != 0 ? ev->ind : DPSCTP_PARTIAL_DELIVERY_ABORTED;
		n.pdapi_stream = ev->sid;
		n.pdapi_seq = ev->ssn;
		n.pdapi_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		break;
	}
	case DPSCTP_SENDER_DRY_EVENT: {
		struct dpsctp_sender_dry_event n;

		len = sizeof(n);
		b = alloc_note(len, type);
		if (b == NULL)
			return 0;
		memcpy(&n, b, sizeof(n));
		n.sender_dry_assoc_id = assoc_id;
		memcpy(b, &n, sizeof(n));
		break;
	}
	default:
		return 0;
	}
	*out = b;
	return len;
}
