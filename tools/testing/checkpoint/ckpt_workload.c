// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_workload - a deterministic computation with state in memory and
 * in the FPU, for checkpoint/restart tests and the demo.
 *
 *   ckpt_workload [ROUNDS [MEGABYTES]]
 *
 * Prints "started" with its pid and its helper's, then one line per
 * round, then the result, the message it left in a pipe at the start,
 * what it left in SysV IPC objects (a shared memory segment, a message
 * queue, a semaphore and the adjustment its semaphore undo list holds),
 * and what its helper answered.  The helper is a child that waits in
 * read() from the start for the result, and answers with a hash of it.
 * Two runs print the same result, whether or not they were
 * checkpointed, killed and restarted in between.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/wait.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 20;
	unsigned long mb = argc > 2 ? strtoul(argv[2], NULL, 0) : 8;
	size_t n = mb * 1024 * 1024 / sizeof(uint64_t), i;
	uint64_t *mem = malloc(n * sizeof(*mem));
	uint64_t x = 88172645463325252ULL, sum = 0;
	double acc = 1.0;
	unsigned long r;
	struct { long mtype; char text[64]; } qm = { 7, "" };
	struct sembuf op[2] = { { 0, 3, 0 }, { 0, -1, SEM_UNDO } };
	int p[2], req[2], ans[2], len, shm, q, sem, fd, status;
	unsigned long *seg;
	char msg[64], undo[64], *adj;
	uint64_t answer = 0;
	pid_t helper;

	if (!mem || pipe(p) || pipe(req) || pipe(ans))
		return 1;
	/*
	 * SysV IPC: a segment, a queue and a semaphore, kept to the end,
	 * in an IPC namespace of its own when it may have one
	 */
	unshare(CLONE_NEWIPC);
	shm = shmget(IPC_PRIVATE, 1 << 16, 0600);
	q = msgget(IPC_PRIVATE, 0600);
	sem = semget(IPC_PRIVATE, 1, 0600);
	seg = shm < 0 ? NULL : shmat(shm, NULL, 0);
	if (!seg || seg == (void *)-1 || q < 0 || sem < 0 ||
	    semop(sem, op, 2))
		return 1;
	/* the helper: blocked in read() until the end, in our IPC namespace */
	helper = fork();
	if (helper < 0)
		return 1;
	if (!helper) {
		if (read(req[0], &answer, sizeof(answer)) != sizeof(answer))
			_exit(1);
		answer = (answer ^ 0x5bd1e995) * 0x9e3779b97f4a7c15ULL;
		_exit(write(ans[1], &answer, sizeof(answer)) != sizeof(answer));
	}
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
	for (i = 0; i < (1 << 16) / sizeof(*seg); i += 512)
		seg[i] = x + i;
	len = snprintf(qm.text, sizeof(qm.text), "queued %016llx",
		       (unsigned long long)(x >> 3));
	if (msgsnd(q, &qm, len, 0))
		return 1;
	printf("started pid %d helper %d\n", getpid(), helper);
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
	sum = 0;
	for (i = 0; i < (1 << 16) / sizeof(*seg); i++)
		sum = sum * 31 + seg[i];
	len = msgrcv(q, &qm, sizeof(qm.text), 0, IPC_NOWAIT);
	printf("ipc shm %016llx msg %.*s sem %d", (unsigned long long)sum,
	       len > 0 ? len : 0, qm.text, semctl(sem, 0, GETVAL));
	/* the adjustment its exit would make: "semid adj" */
	fd = open("/proc/self/semundo", O_RDONLY);
	len = fd < 0 ? -1 : read(fd, undo, sizeof(undo) - 1);
	undo[len > 0 ? len - 1 : 0] = '\0';
	adj = strchr(undo, ' ');
	printf(" undo %s\n", adj ? adj + 1 : "none");
	if (fd >= 0)
		close(fd);
	shmdt(seg);
	shmctl(shm, IPC_RMID, NULL);
	msgctl(q, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	sum = 0;
	for (i = 0; i < n; i++)
		sum += mem[i];
	if (write(req[1], &sum, sizeof(sum)) != sizeof(sum) ||
	    read(ans[0], &answer, sizeof(answer)) != sizeof(answer) ||
	    waitpid(helper, &status, 0) != helper)
		return 1;
	printf("helper %d answered %016llx, exit %d\n", helper,
	       (unsigned long long)answer, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("pid %d\n", getpid());
	free(mem);
	return 0;
}
