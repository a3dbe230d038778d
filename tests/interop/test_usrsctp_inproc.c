/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interop with usrsctp (the FreeBSD stack as a library) in the same process, over memory, in
 * virtual time: association setup from either side, graceful shutdown and ABORT from either side.
 * No user data here: data transfer is in test_usrsctp_data.c.
 *
 * Each test leaves build-dir/tests/interop/interop-<test>.pcap and .txt (the rendered trace);
 * on failure the trace, the engine's counters by name and usrsctp's state go to stderr.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <criterion/criterion.h>
#include <usrsctp.h>

#include "engine.h"
#include "usrsctp_peer.h"
#include "wbuf.h"
#include "wire.h"

#ifndef INTEROP_OUT_DIR
#define INTEROP_OUT_DIR "."
#endif

#define DP_PORT 5001  /* our endpoint */
#define USR_PORT 5002 /* the usrsctp socket */
#define SETTLE (200 * DPSCTP_MS)
#define SEED 0x5EED5C7Bull

/* One world per test process: usrsctp is a singleton (Criterion forks for each test). */
static struct interop W;
static struct uspeer_sock S;
static struct uspeer_sock S2;

/* On failure, show the run before failing: the trace says what each stack did. */
#define CHECK(cond, ...)                             \
	do {                                         \
		if (!(cond)) {                       \
			interop_report(&W, stderr);  \
			cr_assert_fail(__VA_ARGS__); \
		}                                    \
	} while (0)

static void
setup(void)
{
	memset(&S, 0, sizeof(S));
	memset(&S2, 0, sizeof(S2));
	cr_assert_eq(interop_open(&W, INTEROP_OUT_DIR, criterion_current_test->name, SEED), 0,
		"cannot start usrsctp or open the trace files in %s", INTEROP_OUT_DIR);
}

/*
 * Leak check: whatever state the test left, destroying the endpoint returns every byte.
 * Criterion 2.4 ignores failed assertions in .fini, so a failure here aborts the test process,
 * which Criterion reports as a crash: the test fails.
 */
static void
teardown(void)
{
	int rc = interop_close(&W);

	if (W.mem.live != 0 || W.mem.bad_frees != 0 || rc != 0) {
		fprintf(stderr,
			"teardown: engine: %" PRIu64 " allocations (%" PRIu64
			" bytes) not freed, %" PRIu64
			" bad frees (another size than allocated); usrsctp_finish() %s\n",
			W.mem.live, W.mem.live_bytes, W.mem.bad_frees,
			rc == 0 ? "ok" : "kept refusing");
		abort();
	}
}

TestSuite(interop, .init = setup, .fini = teardown, .timeout = 120);

/* Nothing lost or refused on the wire, by either stack; tshark agrees with the packets. */
static void
check_clean_wire(uint32_t allowed_drops)
{
	char msg[4096];
	int rc;

	CHECK(W.bad_crc == 0, "%u packets from usrsctp with a bad CRC32c", W.bad_crc);
	CHECK(uspeer_overflows() == 0, "harness FIFO overflowed");
	CHECK(W.wrong_path == 0 && W.oversize == 0,
		"engine: %u packets on a wrong path, %u too big", W.wrong_path, W.oversize);
	CHECK(interop_drops(&W, allowed_drops) == 0, "engine dropped packets (counters above)");
	CHECK(interop_usrsctp_discards() == 0, "usrsctp discarded packets from the engine");
	rc = interop_tshark_check(&W, msg, sizeof(msg));
	if (rc < 0)
		cr_log_warn("tshark not installed: pcap %s not checked", W.pcap_path);
	CHECK(rc <= 0, "%s", msg);
}

static void
check_established(void)
{
	const struct interop_event *up =
		interop_find(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_UP);
	struct dpsctp_assoc_status st;

	CHECK(up != NULL, "engine: no COMM_UP");
	CHECK(interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, 0) == 1,
		"engine: %zu ASSOC_CHANGE events, expected COMM_UP only",
		interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, 0));
	CHECK(W.assoc != NULL && dpsctp_assoc_state(W.assoc) == DPSCTP_ESTABLISHED,
		"engine: association not ESTABLISHED");
	CHECK(dpsctp_endpoint_assoc_count(W.ep) == 1, "engine: %zu associations",
		dpsctp_endpoint_assoc_count(W.ep));
	CHECK(S.n_comm_up == 1, "usrsctp: %u SCTP_COMM_UP", S.n_comm_up);
	CHECK(uspeer_state(&S) == SCTP_ESTABLISHED, "usrsctp: state %s",
		uspeer_state_name(uspeer_state(&S)));
	/* RFC 9260 5.1.1: each side sends on min(its OS, the peer's MIS) streams. */
	CHECK(up->outbound_streams == S.sac_inbound_streams &&
			up->inbound_streams == S.sac_outbound_streams,
		"streams: engine out %u in %u, usrsctp out %u in %u", up->outbound_streams,
		up->inbound_streams, S.sac_outbound_streams, S.sac_inbound_streams);
	dpsctp_assoc_get_status(W.assoc, &st);
	CHECK(st.peer_port == USR_PORT, "engine: peer port %u", st.peer_port);
	CHECK(st.local_vtag != 0 && st.peer_vtag != 0, "engine: zero verification tag");
	CHECK(S.n_comm_lost + S.n_cant_str_assoc + S.n_restart == 0,
		"usrsctp: unexpected notifications");
	/*
	 * RFC 9260 3.2.1, 3.2.2: usrsctp's INIT ACK offers Forward-TSN Supported (0xC000, skip
	 * and report); an engine without PR-SCTP reports it in an ERROR bundled with the COOKIE
	 * ECHO, which usrsctp passes up as SCTP_REMOTE_ERROR. Nothing else may come.
	 */
	CHECK(S.n_remote_error == 0 || (S.n_remote_error == 1 &&
					       S.remote_error == DPSCTP_CAUSE_UNRECOGNIZED_PARAMS),
		"usrsctp: %u SCTP_REMOTE_ERROR, last cause %u", S.n_remote_error, S.remote_error);
	CHECK(interop_count(&W, DPSCTP_EV_REMOTE_ERROR, 0) == 0, "engine: peer sent ERROR");
}

/* usrsctp connects (one-to-one socket) to our listening endpoint. */
static void
establish_usrsctp_active(void)
{
	cr_assert_eq(interop_endpoint(&W, DP_PORT, true, NULL), 0);
	cr_assert_eq(uspeer_open(&S, SOCK_STREAM, USR_PORT), 0);
	cr_assert_eq(uspeer_connect(&S, DP_PORT), 0);
	interop_watch(&W, &S);
	interop_run(&W, SETTLE);
	check_established();
}

/* We associate to a listening usrsctp one-to-many socket. */
static void
establish_dpsctp_active(void)
{
	struct dpsctp_assoc *a = NULL;

	cr_assert_eq(interop_endpoint(&W, DP_PORT, false, NULL), 0);
	cr_assert_eq(uspeer_open(&S, SOCK_SEQPACKET, USR_PORT), 0);
	cr_assert_eq(uspeer_listen(&S), 0);
	interop_watch(&W, &S);
	cr_assert_eq(dpsctp_associate(W.ep, &W.path.remote, 1, USR_PORT, 0, W.now, &a), 0);
	cr_assert_not_null(a);
	interop_run(&W, SETTLE);
	check_established();
}

/* The engine released the association after a graceful close, and said so once. */
static void
check_engine_shut_down(void)
{
	const struct dpsctp_stats *st = dpsctp_endpoint_stats(W.ep);
	int i;

	CHECK(interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_SHUTDOWN_COMP) == 1,
		"engine: %zu SHUTDOWN_COMP events",
		interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_SHUTDOWN_COMP));
	CHECK(interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_LOST) == 0,
		"engine: COMM_LOST in a graceful shutdown");
	CHECK(dpsctp_endpoint_assoc_count(W.ep) == 0 && W.assoc == NULL,
		"engine: %zu associations left", dpsctp_endpoint_assoc_count(W.ep));
	for (i = 0; i < DPSCTP_ABORT_COUNT; i++)
		CHECK(st->aborts[i] == 0, "engine: abort %s counted",
			dpsctp_abort_code_name((enum dpsctp_abort_code)i));
}

/*
 * RFC 9260 3.3.10.12: does @p causes (raw TLVs) hold a User-Initiated Abort cause whose
 * Upper Layer Abort Reason is @p reason?
 */
static bool
has_user_abort(const uint8_t *causes, size_t len, const char *reason)
{
	size_t rlen = strlen(reason), off = 0, clen;

	while (off + 4 <= len) {
		clen = dpsctp_get_be16(causes + off + 2);
		if (clen < 4 || off + clen > len)
			return false;
		if (dpsctp_get_be16(causes + off) == DPSCTP_CAUSE_USER_ABORT && clen - 4 == rlen &&
			memcmp(causes + off + 4, reason, rlen) == 0)
			return true;
		off += (clen + 3) & ~(size_t)3;
	}
	return false;
}

Test(interop, harness_usrsctp_to_usrsctp_handshake_and_shutdown)
{
	/* No engine: proves the wire, the checksums, the clock and the pcap on usrsctp alone. */
	cr_assert_eq(uspeer_open(&S2, SOCK_SEQPACKET, 6002), 0);
	cr_assert_eq(uspeer_listen(&S2), 0);
	cr_assert_eq(uspeer_open(&S, SOCK_STREAM, 6001), 0);
	cr_assert_eq(uspeer_connect(&S, 6002), 0);
	interop_watch(&W, &S);
	interop_watch(&W, &S2);
	interop_run(&W, SETTLE);
	CHECK(S.n_comm_up == 1 && S2.n_comm_up == 1, "usrsctp <-> usrsctp did not come up");
	CHECK(W.loopback >= 4, "%u packets", W.loopback);
	cr_assert_eq(uspeer_shutdown(&S), 0);
	interop_run(&W, SETTLE);
	CHECK(S.n_shutdown_comp == 1 && S2.n_shutdown_event == 1 && S2.n_shutdown_comp == 1,
		"usrsctp <-> usrsctp shutdown incomplete");
	check_clean_wire(0);
}

Test(interop, harness_usrsctp_to_usrsctp_abort_reports_reason)
{
	/* What abort_from_dpsctp expects of usrsctp, shown between two usrsctp sockets. */
	static const char reason[] = "usrsctp to usrsctp";

	cr_assert_eq(uspeer_open(&S2, SOCK_SEQPACKET, 6002), 0);
	cr_assert_eq(uspeer_listen(&S2), 0);
	cr_assert_eq(uspeer_open(&S, SOCK_STREAM, 6001), 0);
	cr_assert_eq(uspeer_connect(&S, 6002), 0);
	interop_watch(&W, &S);
	interop_watch(&W, &S2);
	interop_run(&W, SETTLE);
	CHECK(S.n_comm_up == 1 && S2.n_comm_up == 1, "usrsctp <-> usrsctp did not come up");
	cr_assert_eq(uspeer_abort(&S, reason, strlen(reason)), 0);
	interop_run(&W, SETTLE);
	CHECK(S2.n_comm_lost == 1, "usrsctp: %u SCTP_COMM_LOST", S2.n_comm_lost);
	CHECK(S2.sac_error == DPSCTP_CAUSE_USER_ABORT, "usrsctp: sac_error %u", S2.sac_error);
	CHECK(S2.sac_info_len >= 4 && has_user_abort(S2.sac_info + 4, S2.sac_info_len - 4, reason),
		"usrsctp: sac_info (%zu bytes) lacks the reason", S2.sac_info_len);
	check_clean_wire(0);
}

Test(interop, handshake_usrsctp_active)
{
	establish_usrsctp_active();
	check_clean_wire(0);
}

Test(interop, handshake_dpsctp_active)
{
	establish_dpsctp_active();
	check_clean_wire(0);
}

Test(interop, graceful_shutdown_from_usrsctp)
{
	establish_usrsctp_active();
	cr_assert_eq(uspeer_shutdown(&S), 0);
	interop_run(&W, SETTLE);
	/* RFC 6458 6.1.5: the peer's SHUTDOWN is reported before the association ends. */
	CHECK(interop_count(&W, DPSCTP_EV_SHUTDOWN, 0) == 1, "engine: %zu SHUTDOWN events",
		interop_count(&W, DPSCTP_EV_SHUTDOWN, 0));
	check_engine_shut_down();
	CHECK(S.n_shutdown_comp == 1, "usrsctp: %u SCTP_SHUTDOWN_COMP", S.n_shutdown_comp);
	CHECK(S.n_comm_lost == 0, "usrsctp: SCTP_COMM_LOST in a graceful shutdown");
	check_clean_wire(0);
}

Test(interop, graceful_shutdown_from_dpsctp)
{
	establish_dpsctp_active();
	cr_assert_eq(dpsctp_assoc_shutdown(W.assoc, W.now), 0);
	interop_run(&W, SETTLE);
	check_engine_shut_down();
	CHECK(S.n_shutdown_event == 1, "usrsctp: %u SCTP_SHUTDOWN_EVENT", S.n_shutdown_event);
	CHECK(S.n_shutdown_comp == 1, "usrsctp: %u SCTP_SHUTDOWN_COMP", S.n_shutdown_comp);
	CHECK(S.n_comm_lost == 0, "usrsctp: SCTP_COMM_LOST in a graceful shutdown");
	check_clean_wire(0);
}

Test(interop, abort_from_usrsctp)
{
	static const char reason[] = "usrsctp says goodbye";
	const struct interop_event *lost;

	establish_usrsctp_active();
	cr_assert_eq(uspeer_abort(&S, reason, strlen(reason)), 0);
	interop_run(&W, SETTLE);
	lost = interop_find(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_LOST);
	CHECK(lost != NULL, "engine: no COMM_LOST after the peer's ABORT");
	CHECK(has_user_abort(lost->info, lost->info_len, reason),
		"engine: COMM_LOST info (%zu bytes) lacks the User-Initiated Abort reason",
		lost->info_len);
	CHECK(dpsctp_endpoint_stats(W.ep)->aborts[DPSCTP_ABORT_PEER] == 1,
		"engine: abort not counted as ABORT_PEER");
	CHECK(dpsctp_endpoint_assoc_count(W.ep) == 0 && W.assoc == NULL,
		"engine: %zu associations left", dpsctp_endpoint_assoc_count(W.ep));
	check_clean_wire(0);
}

Test(interop, abort_from_usrsctp_by_linger_close)
{
	establish_usrsctp_active();
	cr_assert_eq(uspeer_abort_by_close(&S), 0);
	interop_run(&W, SETTLE);
	CHECK(interop_count(&W, DPSCTP_EV_ASSOC_CHANGE, DPSCTP_EV_COMM_LOST) == 1,
		"engine: no COMM_LOST after the peer's ABORT");
	CHECK(dpsctp_endpoint_stats(W.ep)->aborts[DPSCTP_ABORT_PEER] == 1,
		"engine: abort not counted as ABORT_PEER");
	CHECK(dpsctp_endpoint_assoc_count(W.ep) == 0 && W.assoc == NULL,
		"engine: %zu associations left", dpsctp_endpoint_assoc_count(W.ep));
	check_clean_wire(0);
}

Test(interop, abort_from_dpsctp)
{
	static const char reason[] = "dpsctp says goodbye";

	establish_dpsctp_active();
	cr_assert_eq(dpsctp_assoc_abort(W.assoc, reason, strlen(reason), W.now), 0);
	interop_run(&W, SETTLE);
	CHECK(dpsctp_endpoint_assoc_count(W.ep) == 0 && W.assoc == NULL,
		"engine: %zu associations left", dpsctp_endpoint_assoc_count(W.ep));
	CHECK(dpsctp_endpoint_stats(W.ep)->aborts[DPSCTP_ABORT_USER] == 1,
		"engine: abort not counted as ABORT_USER");
	CHECK(S.n_comm_lost == 1, "usrsctp: %u SCTP_COMM_LOST", S.n_comm_lost);
	CHECK(S.sac_error == DPSCTP_CAUSE_USER_ABORT, "usrsctp: sac_error %u", S.sac_error);
	/* usrsctp hands the ABORT chunk to the application: our reason must be in it. */
	CHECK(S.sac_info_len >= 4 && has_user_abort(S.sac_info + 4, S.sac_info_len - 4, reason),
		"usrsctp: the ABORT it reports (%zu bytes) lacks our User-Initiated Abort reason",
		S.sac_info_len);
	check_clean_wire(0);
}

Test(interop, idle_association_survives_heartbeats_both_ways)
{
	const struct dpsctp_stats *st;
	uint32_t sent, acked;
	int i;

	/*
	 * RFC 9260 8.3: our HB.interval is 30 s, so 100 s of idleness brings three of ours.
	 * usrsctp's own never fall due in virtual time (it measures idleness on the wall
	 * clock): ask it for one each 30 s instead.
	 */
	establish_usrsctp_active();
	for (i = 0; i < 3; i++) {
		cr_assert_eq(uspeer_heartbeat(&S, DP_PORT), 0);
		interop_run(&W, 30000 * DPSCTP_MS);
	}
	interop_run(&W, 10000 * DPSCTP_MS);
	st = dpsctp_endpoint_stats(W.ep);
	CHECK(W.assoc != NULL && dpsctp_assoc_state(W.assoc) == DPSCTP_ESTABLISHED,
		"engine: association lost while idle");
	CHECK(uspeer_state(&S) == SCTP_ESTABLISHED && S.n_comm_lost == 0,
		"usrsctp: association lost while idle");
	CHECK(st->hb_sent >= 3 && st->hb_acked == st->hb_sent,
		"engine: %" PRIu64 " HEARTBEATs sent, %" PRIu64 " acknowledged", st->hb_sent,
		st->hb_acked);
	uspeer_heartbeat_counts(&sent, &acked);
	CHECK(sent >= 3 && acked == sent, "usrsctp: %u HEARTBEATs sent, %u acknowledged", sent,
		acked);
	check_clean_wire(0);
}
