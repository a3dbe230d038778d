/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsctpd: the dpsctp daemon.
 *
 *   dpsctpd -c FILE [--check] [-- EAL arguments...]
 *
 * Reads the configuration (a bad one stops start-up with file, line and field), initialises the
 * EAL from it (hugepages when reserved, --no-huge otherwise, unless the file says), builds the
 * stack, opens the attach socket for applications (libdpsctp), launches the workers, runs the
 * control plane on the main lcore, and on SIGINT/SIGTERM shuts every association down
 * gracefully (bounded wait, then ABORT), closes the applications' sessions (they see EOF),
 * removes the socket file and exits cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_pdump.h>

#include "attach.h"
#include "config.h"
#include "ctrl.h"
#include "setup.h"
#include "telemetry.h"

static int logtype = RTE_LOGTYPE_USER1;
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s -c FILE [--check] [-- EAL arguments]\n"
		"  -c, --config FILE  YAML configuration (see configs/)\n"
		"  --check            read and check the configuration, then exit\n",
		prog);
}

/* Are hugepages reserved and free? (auto mode) */
static bool
hugepages_free(void)
{
	static const char *const files[] = {
		"/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		"/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages",
	};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		unsigned long n = 0;

		if (f == NULL)
			continue;
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
		if (n > 0)
			return true;
	}
	return false;
}

#define MAX_ARGS (DPSCTPD_MAX_EAL_ARGS + DPSCTPD_MAX_PORTS * 2 + 32)

/* The EAL command line the configuration stands for. */
static int
eal_args(const struct dpsctpd_config *cfg, int extra_argc, char **extra_argv, char **argv,
	char *store, size_t store_len)
{
	int argc = 0, i;
	unsigned int k;
	size_t used = 0;
	bool pci = false;

#define PUSH(s) do { if (argc < MAX_ARGS - 1) argv[argc++] = (s); } while (0)
#define FMT(...) do { \
		int n_ = snprintf(store + used, store_len - used, __VA_ARGS__); \
		PUSH(store + used); \
		used += (size_t)n_ + 1; \
	} while (0)
	PUSH("dpsctpd");
	FMT("--file-prefix=%s", cfg->file_prefix);
	if (cfg->lcore_map[0] != '\0') {
		FMT("--lcores=%s", cfg->lcore_map);
	} else {
		char list[256];
		size_t n = (size_t)snprintf(list, sizeof(list), "%u", cfg->control_lcore);

		for (k = 0; k < cfg->nworkers && n < sizeof(list); k++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, ",%u", cfg->worker_lcores[k]);
		FMT("-l%s", list);
	}
	FMT("--main-lcore=%u", cfg->control_lcore);
	if (cfg->huge == 0 || (cfg->huge < 0 && !hugepages_free())) {
		PUSH("--no-huge");
		FMT("-m%u", cfg->memory_mb);
	} else {
		FMT("--socket-mem=%u", cfg->memory_mb);
	}
	FMT("--log-level=%s", cfg->log_level);
	for (k = 0; k < cfg->nports; k++) {
		if (cfg->ports[k].is_vdev) {
			FMT("--vdev=%s", cfg->ports[k].device);
		} else {
			FMT("-a%s", cfg->ports[k].device);
			pci = true;
		}
	}
	if (!pci)
		PUSH("--no-pci");
	for (k = 0; k < cfg->n_eal_args; k++)
		PUSH(cfg->eal_args[k]);
	for (i = 0; i < extra_argc; i++)
		PUSH(extra_argv[i]);
	argv[argc] = NULL;
	return argc;
#undef PUSH
#undef FMT
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dpsctpd_config *cfg;
	struct dp_stack *s = NULL;
	struct dpsctpd_ctrl *c = NULL;
	struct dpsctpd_attach *a = NULL;
	char err[512], store[8192];
	char *eargv[MAX_ARGS];
	const char *path = NULL;
	bool check = false;
	int opt, eargc, rc;
	unsigned int left;

	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			check = true;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (path == NULL) {
		usage(argv[0]);
		return 2;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return 1;
	if (dpsctpd_config_load(path, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpsctpd: %s\n", err);
		free(cfg);
		return 1;
	}
	if (check) {
		printf("dpsctpd: %s: configuration is valid (%u ports, %u workers, %u services)\n",
			path, cfg->nports, cfg->nworkers, cfg->nservices);
		dpsctpd_config_free(cfg);
		free(cfg);
		return 0;
	}
	eargc = eal_args(cfg, argc - optind, argv + optind, eargv, store, sizeof(store));
	rc = rte_eal_init(eargc, eargv);
	if (rc < 0) {
		fprintf(stderr, "dpsctpd: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		dpsctpd_config_free(cfg);
		free(cfg);
		return 1;
	}
	rc = rte_log_register_type_and_pick_level("dpsctp.control", RTE_LOG_NOTICE);
	if (rc >= 0)
		logtype = rc;
	rc = dpsctpd_stack_build(cfg, NULL, "dpsctpd", &s, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dpsctpd: %s: %s\n", path, err);
		goto out;
	}
	rc = dpsctpd_ctrl_create(s, cfg, &c);
	if (rc != 0) {
		fprintf(stderr, "dpsctpd: control: %s\n", strerror(-rc));
		goto out;
	}
	rc = dpsctpd_attach_open(s, cfg, c, &a, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "dpsctpd: %s: %s\n", path, err);
		goto out;
	}
	dpsctpd_ctrl_set_attach(c, a);
	/* packet capture by dpdk-dumpcap (a secondary process: needs hugepages / shared memory) */
	if (rte_pdump_init() != 0)
		rte_log(RTE_LOG_NOTICE, logtype,
			"control: packet capture unavailable (%s)\n", rte_strerror(rte_errno));
	dpsctpd_telemetry_register(s, c);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = dpsctpd_stack_launch(s);
	if (rc != 0) {
		fprintf(stderr, "dpsctpd: cannot launch workers: %s\n", strerror(-rc));
		goto out;
	}
	rte_log(RTE_LOG_NOTICE, logtype,
		"control: dpsctpd running: %u ports, %u workers, %u services (pid %d)\n", s->nports,
		s->nworkers, s->nservices, (int)getpid());
	printf("dpsctpd: ready\n");
	fflush(stdout);
	while (stop_signal == 0)
		if (dpsctpd_ctrl_poll(c) == 0)
			dpsctpd_ctrl_nap(100);
	rte_log(RTE_LOG_NOTICE, logtype,
		"control: signal %d: shutting down %u associations (up to %u ms)\n", (int)stop_signal,
		dpsctpd_ctrl_assoc_count(c), cfg->shutdown_wait_ms);
	left = dpsctpd_ctrl_shutdown(c, cfg->shutdown_wait_ms);
	/* the applications see EOF; their memory goes once the workers are gone (below) */
	dpsctpd_attach_close(a);
	printf("dpsctpd: stopped (%u associations aborted)\n", left);
	rc = 0;
out:
	dpsctpd_telemetry_unregister();
	(void)rte_pdump_uninit();
	if (a != NULL) {
		/* no worker may touch a session's memory once it is unmapped */
		dpsctpd_stack_wait(s);
		dpsctpd_attach_free(a);
	}
	dpsctpd_stack_free(s);
	dpsctpd_ctrl_free(c);
	dpsctpd_config_free(cfg);
	free(cfg);
	rte_eal_cleanup();
	return rc == 0 ? 0 : 1;
}
