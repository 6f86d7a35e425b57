// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_threads - a multi-threaded process whose threads must all come
 * back from checkpoint/restart, each where it was.
 *
 *   ckpt_threads [SECONDS [unshare]]
 *
 * Starts seven threads, each with a name (PR_SET_NAME), a blocked mask
 * and a thread-local value of its own:
 *   0: futex(FUTEX_WAIT_PRIVATE) on a word, with no timeout;
 *   1: read() on a pipe;
 *   2: nanosleep() of SECONDS + 2;
 *   3: pthread_cond_wait(), with no timeout;
 *   4: pthread_cond_timedwait(), 60 s away on CLOCK_REALTIME;
 *   5: futex(FUTEX_WAIT), shared, with a 60 s timeout;
 *   6: futex(FUTEX_WAIT_PRIVATE) with a timeout of SECONDS + 1, which
 *      nothing wakes: it must end with ETIMEDOUT.
 * Prints "ready pid N", sleeps SECONDS (4 by default), then wakes each
 * thread but the last: writes the words and wakes them, writes the
 * pipe, signals the conditions.  Each thread checks that its tid, name, mask and
 * thread-local value are the same as before, that it got what it was
 * woken with, and then does its part of checking what the group
 * shares: thread 0 closes a descriptor the main thread opened, thread 2
 * changes directory.  The main thread joins them all (pthread_join()
 * waits on the tid word the kernel clears at a thread's exit), checks
 * that it sees the close and the chdir, prints "threads ok" and exits
 * 0; or names what differs and exits 1.  With "unshare", thread 1
 * gives itself a descriptor table of its own first (unshare(CLONE_FILES)),
 * which checkpoint refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS	7

static int futex_word, shared_word, lonely_word;
static int pipefd[2];
static int shared_fd = -1;
static unsigned int seconds = 4;
static int unshare_files;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t cond2 = PTHREAD_COND_INITIALIZER;
static int cond_set, cond2_set;
static pthread_barrier_t started;
static pid_t tids[NTHREADS];
static __thread unsigned long tls_value;

static int fail(int i, const char *what)
{
	printf("thread %d: %s\n", i, what);
	return 1;
}

/* What a thread was before it blocked, checked again after */
static int same_thread(int i)
{
	char name[16], want[16];
	sigset_t mask;

	snprintf(want, sizeof(want), "ckpt-t%d", i);
	if (gettid() != tids[i])
		return fail(i, "tid changed");
	if (tls_value != 0x5eed0000UL + i)
		return fail(i, "thread-local value changed");
	if (prctl(PR_GET_NAME, name, 0, 0, 0) || strcmp(name, want))
		return fail(i, "name changed");
	if (pthread_sigmask(SIG_BLOCK, NULL, &mask))
		return fail(i, "no mask");
	if (!sigismember(&mask, SIGRTMIN + i) ||
	    sigismember(&mask, SIGRTMIN + (i + 1) % NTHREADS))
		return fail(i, "blocked mask changed");
	return 0;
}

static void *thread_fn(void *arg)
{
	struct timespec left = { .tv_sec = seconds + 2 };
	int i = (long)arg;
	char name[16], buf[4];
	sigset_t mask;
	long ret;

	snprintf(name, sizeof(name), "ckpt-t%d", i);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGRTMIN + i);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	tls_value = 0x5eed0000UL + i;
	tids[i] = gettid();
	if (i == 1 && unshare_files && unshare(CLONE_FILES))
		perror("ckpt_threads: unshare");
	pthread_barrier_wait(&started);

	switch (i) {
	case 0:
		do {
			ret = syscall(SYS_futex, &futex_word,
				      FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		} while (__atomic_load_n(&futex_word, __ATOMIC_ACQUIRE) != 1);
		if (same_thread(i))
			return (void *)1L;
		if (close(shared_fd))
			return (void *)(long)fail(i, "cannot close the shared fd");
		break;
	case 1:
		ret = read(pipefd[0], buf, sizeof(buf));
		if (ret != 3 || memcmp(buf, "xyz", 3))
			return (void *)(long)fail(i, "read the wrong bytes");
		break;
	case 2:
		while (nanosleep(&left, &left) && errno == EINTR)
			;
		if (same_thread(i))
			return (void *)1L;
		if (chdir("/proc"))
			return (void *)(long)fail(i, "cannot chdir");
		break;
	case 3:
		pthread_mutex_lock(&lock);
		while (!cond_set)
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
		break;
	case 4: {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 60;
		pthread_mutex_lock(&lock);
		ret = 0;
		while (!cond2_set && !ret)
			ret = pthread_cond_timedwait(&cond2, &lock, &until);
		pthread_mutex_unlock(&lock);
		if (ret)
			return (void *)(long)fail(i, "condition timed out");
		break;
	}
	case 5: {
		struct timespec t = { .tv_sec = 60 };

		do {
			ret = syscall(SYS_futex, &shared_word, FUTEX_WAIT, 0,
				      &t, NULL, 0);
		} while (!__atomic_load_n(&shared_word, __ATOMIC_ACQUIRE) &&
			 !(ret && errno == ETIMEDOUT));
		if (ret && errno == ETIMEDOUT)
			return (void *)(long)fail(i, "shared futex wait timed out");
		break;
	}
	default: {
		struct timespec t = { .tv_sec = seconds + 1 };

		ret = syscall(SYS_futex, &lonely_word, FUTEX_WAIT_PRIVATE, 0,
			      &t, NULL, 0);
		if (ret != -1 || errno != ETIMEDOUT)
			return (void *)(long)fail(i, "futex wait did not time out");
		break;
	}
	}
	(void)ret;
	return (void *)(long)same_thread(i);
}

int main(int argc, char **argv)
{
	struct timespec left;
	pthread_t th[NTHREADS];
	char cwd[64];
	int i, bad = 0;
	void *res;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		seconds = atoi(argv[1]);
	unshare_files = argc > 2 && !strcmp(argv[2], "unshare");
	shared_fd = open("/dev/null", O_RDONLY);
	if (pipe(pipefd) || shared_fd < 0 || chdir("/")) {
		perror("ckpt_threads: setup");
		return 2;
	}
	pthread_barrier_init(&started, NULL, NTHREADS + 1);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, thread_fn, (void *)(long)i)) {
			perror("ckpt_threads: pthread_create");
			return 2;
		}
	pthread_barrier_wait(&started);
	/* let each reach its blocking call */
	usleep(200000);
	printf("ready pid %d\n", getpid());

	left.tv_sec = seconds;
	left.tv_nsec = 0;
	while (nanosleep(&left, &left) && errno == EINTR)
		;
	__atomic_store_n(&futex_word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	if (write(pipefd[1], "xyz", 3) != 3)
		bad = fail(-1, "cannot write the pipe");
	__atomic_store_n(&shared_word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &shared_word, FUTEX_WAKE, 1, NULL, NULL, 0);
	pthread_mutex_lock(&lock);
	cond_set = 1;
	cond2_set = 1;
	pthread_cond_signal(&cond);
	pthread_cond_signal(&cond2);
	pthread_mutex_unlock(&lock);

	for (i = 0; i < NTHREADS; i++) {
		if (pthread_join(th[i], &res))
			bad = fail(i, "cannot join");
		else if (res)
			bad = 1;
	}
	if (fcntl(shared_fd, F_GETFD) != -1 || errno != EBADF)
		bad = fail(-1, "a thread's close() is not seen by the group");
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/proc"))
		bad = fail(-1, "a thread's chdir() is not seen by the group");
	if (bad)
		return 1;
	printf("threads ok\n");
	return 0;
}
