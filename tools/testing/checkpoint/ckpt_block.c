// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_block - a process blocked in a system call, for checkpoint/restart.
 *
 *   ckpt_block nanosleep SECONDS   sleep; print how long it took
 *   ckpt_block pause               wait for SIGUSR1
 *   ckpt_block read                read a line from stdin (a pipe)
 *   ckpt_block futex               FUTEX_WAIT until SIGUSR1's handler
 *                                  (SA_RESTART) changes the word
 *   ckpt_block poll [SECONDS]      poll() a pipe no one writes, with a
 *                                  timeout, or none (until SIGUSR1)
 *   ckpt_block select SECONDS      select() the same way, with a timeout
 *   ckpt_block sigsuspend          block SIGUSR1, then sigsuspend() with
 *                                  it unblocked; print whether it is
 *                                  blocked again after its handler
 *
 * Prints "blocked" just before it blocks, then what happened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int word;
static int got;

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)

static void on_usr1(int sig)
{
	__atomic_add_fetch(&got, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	char line[256];
	ssize_t n;
	long ret;
	double t0;

	if (argc < 2)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = !strcmp(argv[1], "futex") ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);

	if (!strcmp(argv[1], "nanosleep")) {
		struct timespec req = { argc > 2 ? atoi(argv[2]) : 3, 0 }, rem;

		t0 = now();
		printf("blocked\n");
		ret = nanosleep(&req, &rem);
		printf("nanosleep returned %ld after %.2f s\n", ret, now() - t0);
	} else if (!strcmp(argv[1], "pause")) {
		printf("blocked\n");
		ret = pause();
		printf("pause returned %ld errno %d handled %d\n", ret, errno,
		       LOAD(got));
	} else if (!strcmp(argv[1], "read")) {
		printf("blocked\n");
		n = read(0, line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		printf("read %zd: %s\n", n, line);
	} else if (!strcmp(argv[1], "futex")) {
		printf("blocked\n");
		do {
			ret = syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL,
				      NULL, 0);
		} while (ret && errno == EINTR);
		printf("futex returned %ld errno %d word %d handled %d\n", ret,
		       ret ? errno : 0, LOAD(word), LOAD(got));
	} else if (!strcmp(argv[1], "poll")) {
		int timeout = argc > 2 ? atoi(argv[2]) * 1000 : -1;
		struct pollfd pfd = { .events = POLLIN };
		int p[2];

		if (pipe(p))
			return 1;
		pfd.fd = p[0];
		t0 = now();
		printf("blocked\n");
		ret = poll(&pfd, 1, timeout);
		printf("poll returned %ld errno %d handled %d after %.2f s\n",
		       ret, ret < 0 ? errno : 0, LOAD(got), now() - t0);
	} else if (!strcmp(argv[1], "select")) {
		struct timeval tv = { argc > 2 ? atoi(argv[2]) : 3, 0 };
		fd_set rd;
		int p[2];

		if (pipe(p))
			return 1;
		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		t0 = now();
		printf("blocked\n");
		ret = select(p[0] + 1, &rd, NULL, NULL, &tv);
		printf("select returned %ld errno %d after %.2f s\n", ret,
		       ret < 0 ? errno : 0, now() - t0);
	} else if (!strcmp(argv[1], "sigsuspend")) {
		sigset_t usr1, none, cur;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigemptyset(&none);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		printf("blocked\n");
		ret = sigsuspend(&none);
		sigprocmask(SIG_BLOCK, NULL, &cur);
		printf("sigsuspend returned %ld errno %d handled %d usr1 blocked %d\n",
		       ret, errno, LOAD(got), sigismember(&cur, SIGUSR1));
	} else {
		return 2;
	}
	return 0;
}
