/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testenv.h for Criterion tests: a bad free fails the test where it happens, the leak check,
 * and LEAK_CHECKED_TEST.
 */
#ifndef DPSCTP_TESTS_TESTENV_CR_H
#define DPSCTP_TESTS_TESTENV_CR_H

#include <inttypes.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "testenv.h"

/* testenv fault hook: fail the running test. */
static inline void
testenv_cr_fault(void *arg, const char *msg)
{
	(void)arg;
	cr_assert_fail("%s", msg);
}

/* A fresh @p te, its random stream seeded with @p seed, whose faults fail the test. */
static inline void
testenv_cr_init(struct testenv *te, uint64_t seed)
{
	testenv_init(te, seed);
	te->fault = testenv_cr_fault;
}

/* Nothing the engine allocated from @p te may be left. */
static inline void
testenv_cr_assert_no_leaks(const struct testenv *te)
{
	cr_assert_eq(te->live, 0, "%" PRIu64 " allocations leaked", te->live);
	cr_assert_eq(te->live_bytes, 0, "%" PRIu64 " bytes leaked (or freed with a wrong size)",
		te->live_bytes);
}

/*
 * Criterion 2.4 prints an assertion that fails in .fini but still counts the test as passed,
 * so every test runs the file's leak_check() as its last step (.fini does it again for a test
 * that failed earlier, to release what it holds). @p suite is the file's TestSuite.
 */
#define LEAK_CHECKED_TEST(suite, name) \
	static void body_##name(void); \
	Test(suite, name)              \
	{                              \
		body_##name();         \
		leak_check();          \
	}                              \
	static void body_##name(void)

#endif /* DPSCTP_TESTS_TESTENV_CR_H */
