/* SPDX-License-Identifier: BSD-3-Clause */
/* Application protocol parameters onto an engine configuration (see abicfg.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "abicfg.h"

#define ALL_MASK ((uint32_t)DPSCTP_CFG_PATH * 2 - 1)
#define MS_MAX 3600000u       /* one hour: the largest RTO or heartbeat interval we take */
#define COOKIE_MS_MAX 86400000u
#define BUF_MIN 1500u         /* RFC 9260 6.2.1 and 3.3.2: the smallest a_rwnd */
#define BUF_MAX (1u << 30)

static uint32_t
clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* A time in ms where 0 keeps @p cur; @return -EINVAL above @p max_ms. */
static int
ms_keep0(uint64_t *cur, uint32_t ms, uint32_t max_ms)
{
	if (ms == 0)
		return 0;
	if (ms > max_ms)
		return -EINVAL;
	*cur = (uint64_t)ms * DPSCTP_MS;
	return 0;
}

/* A count where 0 keeps @p cur; @return -EINVAL above @p max. */
static int
u32_keep0(uint32_t *cur, uint32_t v, uint32_t max)
{
	if (v == 0)
		return 0;
	if (v > max)
		return -EINVAL;
	*cur = v;
	return 0;
}

int
dp_abi_cfg_apply(struct dpsctp_proto_config *pc, const struct dpsctp_abi_cfg *ac)
{
	struct dpsctp_proto_config n = *pc;
	uint32_t m = ac->mask;

	if ((m & ~ALL_MASK) != 0)
		return -EINVAL;
	if (m & DPSCTP_CFG_RTO) {
		if (ms_keep0(&n.rto_initial, ac->rto_initial_ms, MS_MAX) != 0 ||
			ms_keep0(&n.rto_min, ac->rto_min_ms, MS_MAX) != 0 ||
			ms_keep0(&n.rto_max, ac->rto_max_ms, MS_MAX) != 0)
			return -EINVAL;
		/* RFC 9260 9.2: T5-shutdown-guard, suggested 5 x RTO.Max, follows RTO.Max */
		n.shutdown_guard = 5 * n.rto_max;
	}
	if ((m & DPSCTP_CFG_ASSOC_MAX_RXT) &&
		u32_keep0(&n.assoc_max_retrans, ac->assoc_max_retrans, 65535) != 0)
		return -EINVAL;
	if (m & DPSCTP_CFG_INIT) {
		if (u32_keep0(&n.max_init_retrans, ac->max_init_retrans, 65535) != 0)
			return -EINVAL;
		if (ac->os != 0)
			n.os = ac->os;
		if (ac->mis != 0)
			n.mis = ac->mis;
		if (ac->max_init_timeo_ms > MS_MAX)
			return -EINVAL;
		if (ac->max_init_timeo_ms != 0)
			n.max_init_timeo = (uint64_t)ac->max_init_timeo_ms * DPSCTP_MS;
	}
	if (m & DPSCTP_CFG_SACK) {
		/* RFC 9260 6.2: the delay MUST NOT exceed 500 ms */
		if (ac->sack_delay_ms > 500 || ac->sack_freq > 65535)
			return -EINVAL;
		n.sack_delay = (uint64_t)ac->sack_delay_ms * DPSCTP_MS;
		if (ac->sack_freq != 0)
			n.sack_freq = ac->sack_freq;
	}
	if (m & DPSCTP_CFG_MAX_BURST)
		n.max_burst = ac->max_burst == 0 ? 65535 : clamp_u32(ac->max_burst, 1, 65535);
	if (m & DPSCTP_CFG_MAXSEG) {
		/* 0: as the path MTU allows; a value above what the MTU allows changes nothing */
		if (ac->maxseg != 0 && ac->maxseg < DPSCTP_MAXSEG_MIN)
			return -EINVAL;
		n.maxseg = ac->maxseg;
	}
	if (m & DPSCTP_CFG_NODELAY)
		n.nodelay = ac->nodelay != 0;
	if (m & DPSCTP_CFG_PD_POINT)
		n.pd_point = ac->pd_point;
	if (m & DPSCTP_CFG_NOFRAG)
		n.disable_fragments = ac->disable_fragments != 0;
	if (m & DPSCTP_CFG_AUTOCLOSE) {
		/* a day is more than any idle timer an application means */
		if (ac->autoclose_s > 86400)
			return -EINVAL;
		n.autoclose = (uint64_t)ac->autoclose_s * 1000 * DPSCTP_MS;
	}
	if (m & DPSCTP_CFG_ADAPTATION) {
		n.adaptation_ind = ac->adaptation_ind;
		n.has_adaptation = ac->has_adaptation != 0;
	}
	if (m & DPSCTP_CFG_RCVBUF)
		n.a_rwnd = clamp_u32(ac->a_rwnd, BUF_MIN, BUF_MAX);
	if (m & DPSCTP_CFG_SNDBUF)
		n.sndbuf = clamp_u32(ac->sndbuf, BUF_MIN, BUF_MAX);
	if (m & DPSCTP_CFG_COOKIE_LIFE) {
		/* the secret rotates every 2 x the life: below a second it would churn */
		if (ac->cookie_life_ms != 0 && ac->cookie_life_ms < 1000)
			return -EINVAL;
		if (ms_keep0(&n.valid_cookie_life, ac->cookie_life_ms, COOKIE_MS_MAX) != 0)
			return -EINVAL;
	}
	if (m & DPSCTP_CFG_PATH) {
		if (ac->hb_interval_ms > 86400000u || ac->path_max_retrans > 65535)
			return -EINVAL;
		n.hb_interval = (uint64_t)ac->hb_interval_ms * DPSCTP_MS;
		if (ac->path_max_retrans != 0)
			n.path_max_retrans = ac->path_max_retrans;
		/* UINT32_MAX (DPSCTP_PF_DISABLED) is off; so is a value >= path_max_retrans */
		n.pf_threshold = ac->pf_threshold;
	}
	/* RFC 9260 16: RTO.Min <= RTO.Initial <= RTO.Max, on what the result would be; and what
	 * the engine itself would refuse */
	if (n.rto_min > n.rto_initial || n.rto_initial > n.rto_max ||
		dpsctp_proto_config_check(&n) != 0)
		return -EINVAL;
	*pc = n;
	return 0;
}

void
dp_abi_cfg_get(const struct dpsctp_proto_config *pc, struct dpsctp_abi_cfg *ac)
{
	memset(ac, 0, sizeof(*ac));
	ac->mask = ALL_MASK;
	ac->rto_initial_ms = (uint32_t)(pc->rto_initial / DPSCTP_MS);
	ac->rto_min_ms = (uint32_t)(pc->rto_min / DPSCTP_MS);
	ac->rto_max_ms = (uint32_t)(pc->rto_max / DPSCTP_MS);
	ac->assoc_max_retrans = pc->assoc_max_retrans;
	ac->max_init_retrans = pc->max_init_retrans;
	ac->cookie_life_ms = (uint32_t)(pc->valid_cookie_life / DPSCTP_MS);
	ac->hb_interval_ms = (uint32_t)(pc->hb_interval / DPSCTP_MS);
	ac->path_max_retrans = pc->path_max_retrans;
	ac->pf_threshold = pc->pf_threshold;
	ac->sack_delay_ms = (uint32_t)(pc->sack_delay / DPSCTP_MS);
	ac->sack_freq = pc->sack_freq;
	ac->max_burst = pc->max_burst;
	ac->pd_point = pc->pd_point;
	ac->a_rwnd = pc->a_rwnd;
	ac->sndbuf = pc->sndbuf;
	ac->adaptation_ind = pc->adaptation_ind;
	ac->os = pc->os;
	ac->mis = pc->mis;
	ac->has_adaptation = pc->has_adaptation;
	ac->nodelay = pc->nodelay;
	ac->max_init_timeo_ms = (uint32_t)(pc->max_init_timeo / DPSCTP_MS);
	ac->maxseg = pc->maxseg;
	ac->disable_fragments = pc->disable_fragments;
	ac->autoclose_s = (uint32_t)(pc->autoclose / (1000 * DPSCTP_MS));
}
