// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_mem - memory patterns that must survive checkpoint/restart.
 *
 *   ckpt_mem SECONDS
 *
 * Fills private anonymous regions of a page, 1 MiB and 64 MiB, a sparse
 * 64 MiB region (every 7th page touched), the heap, and a shared
 * anonymous page, with patterns; prints their checksums; then waits
 * SECONDS (busy, with no system call that would need restarting), checks
 * them again and exits 0 if nothing changed, 1 if something did.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"

struct region {
	const char *name;
	unsigned char *p;
	size_t len;
	size_t stride;		/* bytes between filled pages */
	uint64_t sum;
};

static uint64_t fill(struct region *r, uint64_t seed)
{
	uint64_t x = seed, sum = 0;
	size_t off, i;

	for (off = 0; off < r->len; off += r->stride)
		for (i = 0; i < 4096; i += 8) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			memcpy(r->p + off + i, &x, 8);
		}
	for (off = 0; off < r->len; off += 8)
		sum = sum * 31 + *(uint64_t *)(r->p + off);
	return sum;
}

static uint64_t checksum(struct region *r)
{
	uint64_t sum = 0;
	size_t off;

	for (off = 0; off < r->len; off += 8)
		sum = sum * 31 + *(uint64_t *)(r->p + off);
	return sum;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct region r[] = {
		{ "page", NULL, 4096, 4096, 0 },
		{ "1M", NULL, 1 << 20, 4096, 0 },
		{ "64M", NULL, 64 << 20, 4096, 0 },
		{ "sparse64M", NULL, 64 << 20, 7 * 4096, 0 },
		{ "heap", NULL, 3 * 4096, 4096, 0 },
		{ "shared", NULL, 4096, 4096, 0 },
	};
	double wait = argc > 1 ? atof(argv[1]) : 2, end;
	int n = ARRAY_SIZE(r), i, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		if (!strcmp(r[i].name, "heap"))
			r[i].p = malloc(r[i].len);
		else
			r[i].p = mmap(NULL, r[i].len, PROT_READ | PROT_WRITE,
				      (!strcmp(r[i].name, "shared") ? MAP_SHARED :
				       MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
		if (!r[i].p || r[i].p == MAP_FAILED)
			return 2;
		r[i].sum = fill(&r[i], i + 1);
		printf("%s %016llx\n", r[i].name, (unsigned long long)r[i].sum);
	}
	printf("pid %d ready\n", getpid());
	end = now() + wait;
	while (now() < end)
		;
	for (i = 0; i < n; i++) {
		uint64_t sum = checksum(&r[i]);

		if (sum != r[i].sum) {
			printf("%s changed: %016llx\n", r[i].name,
			       (unsigned long long)sum);
			bad = 1;
		}
	}
	printf("pid %d %s\n", getpid(), bad ? "BAD" : "intact");
	return bad;
}
