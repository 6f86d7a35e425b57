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

#define PIPE_BYTES	40000

static const char *report_path;
static int go, sigchld;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&sigchld, 1, __ATOMIC_SEQ_CST);
}

static void report(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fd = open(report_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, n) != n)
		exit(3);
	close(fd);
}

static int fail(const char *what)
{
	report("FAIL %s (errno %d)\n", what, errno);
	return 1;
}

/* Not pause(): restored on its way into it, SIGUSR1 could come first */
static void wait_go(void)
{
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(20000);
}

/* Whether the report holds @what yet */
static int report_has(const char *what)
{
	char buf[8192];
	ssize_t n = -1;
	int fd, i;

	for (i = 0; i < 500; i++) {
		fd = open(report_path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		buf[n > 0 ? n : 0] = '\0';
		if (strstr(buf, what))
			return 1;
		usleep(20000);
	}
	return 0;
}

static void describe(const char *who, const char *when)
{
	pid_t pid = getpid(), ppid = getppid();
	int pdeath = -1;

	prctl(PR_GET_PDEATHSIG, &pdeath);
	report("%s %s pid %d pdeath %d ppid %d pgid-is-%s sid-is-%s\n", who,
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
	report("G ready\n");
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
		return fail("setsid");
	g = fork();
	if (g < 0)
		return fail("fork G");
	if (!g)
		_exit(grandchild());
	if (!report_has("G ready"))
		return fail("G not ready");
	describe("C", "before");
	report("C ready\n");
	wait_go();
	describe("C", "after");
	kill(g, SIGUSR1);
	if (waitpid(g, &status, 0) != g || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 7)
		return fail("G's exit status");
	while (got < sizeof(buf)) {
		n = read(rfd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			return fail("reading the pipe");
		got += n;
	}
	for (i = 0; i < PIPE_BYTES; i++)
		if (buf[i] != pattern(i))
			return fail("the pipe's data");
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
		return fail("fork C");
	if (!c) {
		describe("C", "before");
		report("ready\n");
		wait_go();
		describe("C", "after");
		_exit(5);
	}
	if (waitpid(c, &status, 0) != c)
		return fail("waitpid C");
	report("C exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 5)
		report("checks ok\n");
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
	report_path = argv[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	if (argc == 3)
		return waiter();
	sigaction(SIGCHLD, &sa, NULL);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(p))
		return fail("mmap or pipe");
	strcpy(shared, "written by R");
	c = fork();
	if (c < 0)
		return fail("fork C");
	if (!c) {
		close(p[1]);
		_exit(child(p[0], shared));
	}
	close(p[0]);
	for (i = 0; i < PIPE_BYTES; i++)
		buf[i] = pattern(i);
	if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
		return fail("writing the pipe");
	if (!report_has("C ready"))
		return fail("C not ready");
	describe("R", "before");
	report("R shared %s\n", shared);
	report("ready\n");
	wait_go();
	describe("R", "after");
	kill(c, SIGUSR1);
	if (waitpid(c, &status, 0) != c)
		return fail("waitpid C");
	report("C exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	report("R shared %s\n", shared);
	if (!__atomic_load_n(&sigchld, __ATOMIC_SEQ_CST))
		return fail("no SIGCHLD for C");
	if (WIFEXITED(status) && !WEXITSTATUS(status) &&
	    !strcmp(shared, "written by C"))
		report("checks ok\n");
	return 0;
}
