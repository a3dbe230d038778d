/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the seed corpus of the packet fuzzer: every sample packet (tests/common/samples.h) and a
 * few cut-short copies of each. Usage: write_seeds DIR (scripts/fuzz.sh --seeds runs it).
 */
#include <stdio.h>

#include "samples.h"

static int
write_seed(const char *dir, const char *name, const char *suffix, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, n, f) != n) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

int
main(int argc, char **argv)
{
	static uint8_t buf[65536];
	unsigned int i;
	int n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < dpsctp_sample_count(); i++) {
		const char *name = dpsctp_sample_name(i);

		n = dpsctp_sample_build(i, buf, sizeof(buf));
		if (n < 0 || write_seed(argv[1], name, "", buf, (size_t)n) != 0)
			return 1;
		/* Cut inside the last chunk and inside the first one. */
		if (write_seed(argv[1], name, ".cut-3", buf, (size_t)n - 3) != 0 ||
			write_seed(argv[1], name, ".cut-first", buf, 12 + 6) != 0)
			return 1;
	}
	return 0;
}
