/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Plain driver for a libFuzzer target: feeds every regular file under the directories given on
 * the command line to LLVMFuzzerTestOneInput() once. Lets the normal (gcc, optionally sanitized)
 * test run replay the corpus and every crasher ever found.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	uint8_t *buf;
	FILE *f;
	long n;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: %s: cannot size\n", path);
		fclose(f);
		return -1;
	}
	/* An exact-size heap copy so that sanitizers see any read past the input. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: %s: read failed\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int
replay_dir(const char *dir, unsigned *count)
{
	char path[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	d = opendir(dir);
	if (d == NULL) {
		if (errno == ENOENT)
			return 0; /* no crashers kept for this target yet */
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0)
			rc = -1;
		else
			(*count)++;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;
	int i;

	for (i = 1; i < argc; i++)
		if (replay_dir(argv[i], &count) != 0)
			rc = 1;
	printf("replay: %u inputs replayed without a crash\n", count);
	return rc;
}
