/* SPDX-License-Identifier: BSD-3-Clause */
/* What every lcore of a stack shares: randomness, cookie secrets, our addresses (stack.h). */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "stack.h"
#include "steer.h"

void
dp_stack_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	/* OpenSSL's DRBG is per thread and seeded from the kernel: unpredictable tags (5.3.1) */
	if (RAND_bytes(buf, (int)len) != 1)
		RAND_priv_bytes(buf, (int)len);
}

void
dp_stack_cookie_secret(void *ctx, uint64_t epoch, uint8_t *key, size_t len)
{
	const struct dp_stack *s = ctx;
	uint8_t msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, i;

	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)(epoch >> (56 - 8 * i));
	/* every endpoint of the stack derives the same secret for a period from the master key */
	HMAC(EVP_sha256(), s->cookie_master, sizeof(s->cookie_master), msg, sizeof(msg), mac,
		&maclen);
	memset(key, 0, len);
	memcpy(key, mac, len < maclen ? len : maclen);
}

bool
dp_stack_is_loopback(const struct dp_stack *s, const struct dpsctp_addr *a)
{
	unsigned int i;

	for (i = 0; i < s->nloopback; i++)
		if (s->loopback[i].family == a->family &&
			memcmp(s->loopback[i].bytes, a->bytes, 16) == 0)
			return true;
	return false;
}

void
dp_stack_index_addrs(struct dp_stack *s)
{
	unsigned int i, k;

	s->nlocal4 = 0;
	for (i = 0; i < s->nports; i++)
		for (k = 0; k < s->ports[i].naddrs; k++)
			if (s->ports[i].addrs[k].family == 4)
				memcpy(&s->local4[s->nlocal4++], s->ports[i].addrs[k].bytes, 4);
	for (i = 0; i < s->nloopback; i++)
		if (s->loopback[i].family == 4)
			memcpy(&s->local4[s->nlocal4++], s->loopback[i].bytes, 4);
}

bool
dp_stack_is_local(const struct dp_stack *s, const struct dpsctp_addr *a)
{
	if (a->family == 4) {
		uint32_t v;
		unsigned int i;

		memcpy(&v, a->bytes, 4);
		for (i = 0; i < s->nlocal4; i++)
			if (s->local4[i] == v)
				return true;
		return false;
	}
	return dp_stack_is_loopback(s, a) || dp_route_is_local(&s->routes, a);
}

static void *
heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void
heap_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

int
dp_stack_endpoint_create(struct dp_stack *s, unsigned int svc, uint32_t owner,
	const struct dpsctp_callbacks *cb, uint64_t now, struct dpsctp_endpoint **out)
{
	return dp_stack_endpoint_create_from(s, &s->services[svc], owner, cb, now, out);
}

int
dp_stack_endpoint_create_from(struct dp_stack *s, const struct dp_service *sv, uint32_t owner,
	const struct dpsctp_callbacks *cb, uint64_t now, struct dpsctp_endpoint **out)
{
	struct dpsctp_env env = {
		.ctx = s,
		.alloc = heap_alloc,
		.free = heap_free,
		.random = dp_stack_random,
		.cookie_secret = dp_stack_cookie_secret,
	};
	struct dpsctp_endpoint_params p = {
		.port = sv->port,
		.addrs = sv->addrs,
		.naddrs = sv->naddrs,
		.listen = sv->listen,
		.cfg = &sv->proto,
		.owner_bits = DP_OWNER_BITS,
		.owner = owner,
	};

	return dpsctp_endpoint_create(&env, cb, &p, now, out);
}

void
dp_stack_engine_stats_add(struct dpsctp_stats *sum, const struct dpsctp_stats *x)
{
	const uint64_t *src = (const uint64_t *)x;
	uint64_t *dst = (uint64_t *)sum;
	size_t k;

	for (k = 0; k < sizeof(*sum) / sizeof(uint64_t); k++)
		dst[k] += __atomic_load_n(&src[k], __ATOMIC_RELAXED);
}

void
dp_stack_port_bind(struct dp_stack *s, unsigned int svc)
{
	__atomic_store_n(
		&s->port_slot[s->services[svc].port], (uint16_t)(svc + 1), __ATOMIC_RELEASE);
}

void
dp_stack_port_unbind(struct dp_stack *s, unsigned int svc)
{
	uint16_t *k = &s->port_slot[s->services[svc].port];

	if (*k == svc + 1)
		__atomic_store_n(k, 0, __ATOMIC_RELEASE);
}
