// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_workload - a deterministic computation with state in memory and
 * in the FPU, for checkpoint/restart tests and the demo.
 *
 *   ckpt_workload [ROUNDS [MEGABYTES]]
 *
 * Prints "started", then one line per round, then the result and the
 * message it left in a pipe at the start.  Two runs print the same
 * result, whether or not they were checkpointed, killed and restarted
 * in between.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 20;
	unsigned long mb = argc > 2 ? strtoul(argv[2], NULL, 0) : 8;
	size_t n = mb * 1024 * 1024 / sizeof(uint64_t), i;
	uint64_t *mem = malloc(n * sizeof(*mem));
	uint64_t x = 88172645463325252ULL, sum = 0;
	double acc = 1.0;
	unsigned long r;
	char msg[64];
	int p[2], len;

	if (!mem || pipe(p))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		mem[i] = x;
	}
	/* kept in a pipe until the end */
	len = snprintf(msg, sizeof(msg), "message %016llx", (unsigned long long)x);
	if (write(p[1], msg, len) != len)
		return 1;
	printf("started pid %d\n", getpid());
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			mem[i] = mem[i] * 6364136223846793005ULL + mem[(i * 7 + r) % n];
			acc = acc * 0.999999 + sqrt((double)(mem[i] >> 40));
		}
		printf("round %lu\n", r);
	}
	for (i = 0; i < n; i++)
		sum += mem[i] ^ (sum << 1);
	printf("result %016llx %.6f\n", (unsigned long long)sum, acc);
	len = read(p[0], msg, sizeof(msg));
	printf("pipe held %.*s\n", len > 0 ? len : 0, msg);
	printf("pid %d\n", getpid());
	free(mem);
	return 0;
}
