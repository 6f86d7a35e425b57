// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_tree REPORT [waiter] - a tree of three processes, or with
 * "waiter" a parent blocked in waitpid() for its child, for the restore
 * tests.
 *
 * The root R maps a page MAP_SHARED | MAP_ANONYMOUS, then forks C.  C
 * starts a session of its own and forks G.  R writes PIPE_BYTES into a
 * pipe that only C reads, and that C does not read yet.  Each process
 * appends a description of itself to REPORT ("R before ...", "C before
 * ...", "G before ..."), then R prints "ready" and waits for SIGUSR1.
 *
 * On SIGUSR1, R describes itself again and passes the signal on to C,
 * which does the same for G.  G exits with status 7.  C reaps it, reads
 * the pipe and checks every byte, writes into the shared page and exits
 * 0 if all was right.  R reaps C, checks that it got SIGCHLD and sees
 * what C wrote in the page, and appends "checks ok" or the first
 * failure.
 *
 * With "waiter", R forks C, which describes itself and waits for
 * SIGUSR1, then exits 5; R waits for it in waitpid() all along and then
 * reports its status and "checks ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt_lib.h"

#define PIPE_BYTES	40000

static int go, sigchld;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&sigchld, 1, __ATOMIC_SEQ_CST);
}

/* Not pause(): restored on its way into it, SIGUSR1 could come first */
static void wait_go(void)
{
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(20000);
}

static void describe(const char *who, const char *when)
{
	pid_t pid = getpid(), ppid = getppid();
	int pdeath = -1;

	prctl(PR_GET_PDEATHSIG, &pdeath);
	ckpt_report("%s %s pid %d pdeath %d ppid %d pgid-is-%s sid-is-%s\n", who,
		    when, pid, pdeath,
		    *who == 'R' ? 0 : ppid,
		    *who == 'R' ? "-" : getpgrp() == pid ? "own" :
		    getpgrp() == getpgid(ppid) ? "parents" : "other",
		    *who == 'R' ? "-" : getsid(0) == pid ? "own" :
		    getsid(0) == getsid(ppid) ? "parents" : "other");
}

static unsigned char pattern(int i)
{
	return (unsigned char)(i * 13 + 5);
}

static int grandchild(void)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	describe("G", "before");
	ckpt_report("G ready\n");
	wait_go();
	describe("G", "after");
	return 7;
}

static int child(int rfd, char *shared)
{
	static unsigned char buf[PIPE_BYTES];
	int status, i;
	size_t got = 0;
	ssize_t n;
	pid_t g;

	if (setsid() < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL))
		return ckpt_report_fail("setsid");
	g = fork();
	if (g < 0)
		return ckpt_report_fail("fork G");
	if (!g)
		_exit(grandchild());
	if (!ckpt_report_wait("G ready", 10000))
		return ckpt_report_fail("G not ready");
	describe("C", "before");
	ckpt_report("C ready\n");
	wait_go();
	describe("C", "after");
	kill(g, SIGUSR1);
	if (waitpid(g, &status, 0) != g || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 7)
		return ckpt_report_fail("G's exit status");
	while (got < sizeof(buf)) {
		n = read(rfd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			return ckpt_report_fail("reading the pipe");
		got += n;
	}
	for (i = 0; i < PIPE_BYTES; i++)
		if (buf[i] != pattern(i))
			return ckpt_report_fail("the pipe's data");
	strcpy(shared, "written by C");
	return 0;
}

/* "waiter": R sits in waitpid() until C exits */
static int waiter(void)
{
	int status;
	pid_t c;

	c = fork();
	if (c < 0)
		return ckpt_report_fail("fork C");
	if (!c) {
		describe("C", "before");
		ckpt_report("ready\n");
		wait_go();
		describe("C", "after");
		_exit(5);
	}
	if (waitpid(c, &status, 0) != c)
		return ckpt_report_fail("waitpid C");
	ckpt_report("C exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 5)
		ckpt_report("checks ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char buf[PIPE_BYTES];
	struct sigaction sa;
	int p[2], status, i;
	char *shared;
	pid_t c;

	if (argc != 2 && argc != 3)
		return 2;
	ckpt_report_path = argv[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	if (argc == 3)
		return waiter();
	sigaction(SIGCHLD, &sa, NULL);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(p))
		return ckpt_report_fail("mmap or pipe");
	strcpy(shared, "written by R");
	c = fork();
	if (c < 0)
		return ckpt_report_fail("fork C");
	if (!c) {
		close(p[1]);
		_exit(child(p[0], shared));
	}
	close(p[0]);
	for (i = 0; i < PIPE_BYTES; i++)
		buf[i] = pattern(i);
	if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
		return ckpt_report_fail("writing the pipe");
	if (!ckpt_report_wait("C ready", 10000))
		return ckpt_report_fail("C not ready");
	describe("R", "before");
	ckpt_report("R shared %s\n", shared);
	ckpt_report("ready\n");
	wait_go();
	describe("R", "after");
	kill(c, SIGUSR1);
	if (waitpid(c, &status, 0) != c)
		return ckpt_report_fail("waitpid C");
	ckpt_report("C exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	ckpt_report("R shared %s\n", shared);
	if (!__atomic_load_n(&sigchld, __ATOMIC_SEQ_CST))
		return ckpt_report_fail("no SIGCHLD for C");
	if (WIFEXITED(status) && !WEXITSTATUS(status) &&
	    !strcmp(shared, "written by C"))
		ckpt_report("checks ok\n");
	return 0;
}
