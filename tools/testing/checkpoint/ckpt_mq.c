// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_mq REPORT SCENARIO - a process with POSIX message queues, for the
 * message queue tests.
 *
 * It sets up SCENARIO, appends a description of its queues and of the
 * descriptors open on them to REPORT ("before"), prints "ready" and
 * waits for SIGUSR1.  Then it describes them again ("after"), receives
 * every message and checks it byte for byte and in order, and appends
 * "checks ok" or the first failure.
 *
 * Scenarios:
 *   queues   /ckpt-big (mode 0640, 1000 messages of at most 64 bytes, of
 *            32 priorities mixed) open O_RDWR at fd 3; /ckpt-small (4
 *            messages of at most 8192 bytes: 3 queued, of 8192, 5000 and
 *            0 bytes) open O_WRONLY | O_NONBLOCK at fd 4 and O_RDONLY at
 *            fd 5; /ckpt-empty (mode 0600) with no descriptor open
 *   blocked  a child blocked in mq_timedreceive() (60 s) on the empty
 *            /ckpt-wait; after SIGUSR1 the parent sends it "wake", and
 *            the child's exit status says whether it got it
 *   sendblocked  a child blocked in mq_timedsend() (60 s) on the full
 *            /ckpt-full (2 messages of 2); after SIGUSR1 the parent
 *            receives one, the child's message goes in, and the parent
 *            then receives the other two in order
 *   notify   /ckpt-notify with an mq_notify() registration (refused)
 *   unlinked /ckpt-gone open at fd 3 and mq_unlink()ed (refused)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt_lib.h"

#define BIG_MSGS	1000
#define BIG_SIZE	64
#define SMALL_SIZE	8192

static int go;
static pid_t child;

static void on_usr1(int sig)
{
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
}

/* Message @i of /ckpt-big: its priority and text */
static unsigned int big_prio(int i)
{
	return (i * 7 + i / 13) % 32;
}

static size_t big_text(int i, char *buf)
{
	size_t len = 1 + (i * 11) % BIG_SIZE, j;

	for (j = 0; j < len; j++)
		buf[j] = (char)(i * 31 + j * 7);
	return len;
}

static const size_t small_len[] = { SMALL_SIZE, 5000, 0 };

static void small_text(int i, char *buf)
{
	size_t j;

	for (j = 0; j < small_len[i]; j++)
		buf[j] = (char)(j * 13 + i);
}

static int open_at(const char *name, int flags, mode_t mode, long maxmsg,
		   long msgsize, int at)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	mqd_t q;

	q = mq_open(name, flags, mode, maxmsg ? &attr : NULL);
	if (q < 0)
		return -1;
	if (at < 0 || q == at)
		return q;
	if (dup2(q, at) != at)
		return -1;
	close(q);
	return at;
}

static int setup_queues(void)
{
	char buf[SMALL_SIZE];
	size_t len;
	int i;

	mq_unlink("/ckpt-big");
	mq_unlink("/ckpt-small");
	mq_unlink("/ckpt-empty");
	umask(0);
	if (open_at("/ckpt-big", O_RDWR | O_CREAT | O_EXCL, 0640, BIG_MSGS,
		    BIG_SIZE, 3) != 3)
		return ckpt_report_fail("mq_open /ckpt-big");
	for (i = 0; i < BIG_MSGS; i++) {
		len = big_text(i, buf);
		if (mq_send(3, buf, len, big_prio(i)))
			return ckpt_report_fail("mq_send /ckpt-big");
	}
	if (open_at("/ckpt-small", O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK,
		    0660, 4, SMALL_SIZE, 4) != 4 ||
	    open_at("/ckpt-small", O_RDONLY, 0, 0, 0, 5) != 5)
		return ckpt_report_fail("mq_open /ckpt-small");
	for (i = 0; i < 3; i++) {
		small_text(i, buf);
		if (mq_send(4, buf, small_len[i], 2 - i))
			return ckpt_report_fail("mq_send /ckpt-small");
	}
	i = open_at("/ckpt-empty", O_RDONLY | O_CREAT | O_EXCL, 0600, 10, 100,
		    -1);
	if (i < 0 || close(i))
		return ckpt_report_fail("mq_open /ckpt-empty");
	return 0;
}

/* The order mq_receive() gives: highest priority first, then oldest */
static int big_order[BIG_MSGS];

static int by_prio(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	if (big_prio(x) != big_prio(y))
		return big_prio(x) > big_prio(y) ? -1 : 1;
	return x - y;
}

static int check_queues(void)
{
	char buf[SMALL_SIZE], want[SMALL_SIZE];
	unsigned int prio;
	ssize_t n;
	size_t len;
	int i;

	for (i = 0; i < BIG_MSGS; i++)
		big_order[i] = i;
	qsort(big_order, BIG_MSGS, sizeof(int), by_prio);
	for (i = 0; i < BIG_MSGS; i++) {
		len = big_text(big_order[i], want);
		n = mq_receive(3, buf, sizeof(buf), &prio);
		if (n != (ssize_t)len || memcmp(buf, want, len) ||
		    prio != big_prio(big_order[i]))
			return ckpt_report_fail("/ckpt-big message order or text");
	}
	for (i = 0; i < 3; i++) {
		small_text(i, want);
		n = mq_receive(5, buf, sizeof(buf), &prio);
		if (n != (ssize_t)small_len[i] || memcmp(buf, want, n) ||
		    prio != (unsigned int)(2 - i))
			return ckpt_report_fail("/ckpt-small message");
	}
	/* and the queues still work both ways */
	if (mq_send(3, "again", 5, 3) || mq_receive(3, buf, sizeof(buf), &prio) != 5 ||
	    memcmp(buf, "again", 5) || mq_send(4, "x", 1, 0) ||
	    mq_receive(5, buf, sizeof(buf), NULL) != 1)
		return ckpt_report_fail("queues after restart");
	return 0;
}

static int setup_blocked(void)
{
	struct timespec ts;
	char buf[16];
	int q;

	mq_unlink("/ckpt-wait");
	q = open_at("/ckpt-wait", O_RDWR | O_CREAT | O_EXCL, 0600, 2, 16, 3);
	if (q != 3)
		return ckpt_report_fail("mq_open /ckpt-wait");
	child = fork();
	if (child < 0)
		return ckpt_report_fail("fork");
	if (!child) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 60;
		_exit(mq_timedreceive(3, buf, sizeof(buf), NULL, &ts) != 4 ||
		      memcmp(buf, "wake", 4));
	}
	/* let it block */
	usleep(200000);
	return 0;
}

static int check_blocked(void)
{
	int status;

	if (mq_send(3, "wake", 4, 1))
		return ckpt_report_fail("mq_send /ckpt-wait");
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return ckpt_report_fail("the blocked receiver");
	return 0;
}

static int setup_sendblocked(void)
{
	struct timespec ts;
	int q;

	mq_unlink("/ckpt-full");
	q = open_at("/ckpt-full", O_RDWR | O_CREAT | O_EXCL, 0600, 2, 16, 3);
	if (q != 3 || mq_send(3, "one", 3, 1) || mq_send(3, "two", 3, 1))
		return ckpt_report_fail("mq_open /ckpt-full");
	child = fork();
	if (child < 0)
		return ckpt_report_fail("fork");
	if (!child) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 60;
		_exit(mq_timedsend(3, "three", 5, 1, &ts) != 0);
	}
	/* let it block */
	usleep(200000);
	return 0;
}

static int check_sendblocked(void)
{
	static const char *const want[] = { "one", "two", "three" };
	struct mq_attr a;
	char buf[16];
	ssize_t n;
	int i, status;

	for (i = 0; i < 3; i++) {
		n = mq_receive(3, buf, sizeof(buf), NULL);
		if (n != (ssize_t)strlen(want[i]) || memcmp(buf, want[i], n))
			return ckpt_report_fail("/ckpt-full messages");
		if (i == 0 && (waitpid(child, &status, 0) != child ||
			       !WIFEXITED(status) || WEXITSTATUS(status)))
			return ckpt_report_fail("the blocked sender");
	}
	/* and sent once */
	if (mq_getattr(3, &a) || a.mq_curmsgs)
		return ckpt_report_fail("/ckpt-full after the messages");
	return 0;
}

static int setup_notify(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR2 };

	mq_unlink("/ckpt-notify");
	if (open_at("/ckpt-notify", O_RDWR | O_CREAT, 0600, 2, 16, 3) != 3 ||
	    mq_notify(3, &sev))
		return ckpt_report_fail("mq_notify");
	return 0;
}

static int setup_unlinked(void)
{
	if (open_at("/ckpt-gone", O_RDWR | O_CREAT, 0600, 2, 16, 3) != 3 ||
	    mq_unlink("/ckpt-gone"))
		return ckpt_report_fail("mq_unlink");
	return 0;
}

/* One line per descriptor open on a queue, and one per queue by name */
static void describe(const char *when)
{
	static const char *const names[] = {
		"/ckpt-big", "/ckpt-small", "/ckpt-empty", "/ckpt-wait",
		"/ckpt-full",
	};
	struct mq_attr a;
	struct stat st;
	unsigned int i;
	int q;

	for (i = 3; i < 16; i++) {
		if (mq_getattr(i, &a))
			continue;
		fstat(i, &st);
		ckpt_report("%s fd %u flags %#o mq_flags %#lx maxmsg %ld",
			    when, i, fcntl(i, F_GETFL), a.mq_flags, a.mq_maxmsg);
		ckpt_report(" msgsize %ld curmsgs %ld mode %o uid %u gid %u\n",
			    a.mq_msgsize, a.mq_curmsgs, st.st_mode, st.st_uid,
			    st.st_gid);
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		q = mq_open(names[i], O_RDONLY);
		if (q < 0)
			continue;
		mq_getattr(q, &a);
		fstat(q, &st);
		ckpt_report("%s %s maxmsg %ld msgsize %ld curmsgs %ld mode %o\n",
			    when, names[i], a.mq_maxmsg, a.mq_msgsize,
			    a.mq_curmsgs, st.st_mode);
		close(q);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *what;
	int ret;

	if (argc != 3)
		return 2;
	ckpt_report_path = argv[1];
	what = argv[2];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);

	if (!strcmp(what, "queues"))
		ret = setup_queues();
	else if (!strcmp(what, "blocked"))
		ret = setup_blocked();
	else if (!strcmp(what, "sendblocked"))
		ret = setup_sendblocked();
	else if (!strcmp(what, "notify"))
		ret = setup_notify();
	else if (!strcmp(what, "unlinked"))
		ret = setup_unlinked();
	else
		return 2;
	if (ret)
		return 1;
	describe("before");
	ckpt_report("ready\n");
	/* not pause(): SIGUSR1 may come just before it */
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(20000);
	describe("after");
	if (!strcmp(what, "queues"))
		ret = check_queues();
	else if (!strcmp(what, "blocked"))
		ret = check_blocked();
	else if (!strcmp(what, "sendblocked"))
		ret = check_sendblocked();
	if (!ret)
		ckpt_report("checks ok\n");
	return ret;
}
