// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_sig - signal and process state that must survive
 * checkpoint/restart.
 *
 *   ckpt_sig SECONDS
 *
 * Installs handlers for SIGUSR1 (SA_RESTART) and SIGUSR2 (SA_SIGINFO),
 * blocks both, sets a sigaltstack, umask 027, cwd /tmp, RLIMIT_NOFILE
 * 100/200, ADDR_NO_RANDOMIZE and its comm, becomes a session leader,
 * notes its brk, auxv, command
 * line, executable and vDSO address, prints "ready", and waits SECONDS with
 * no system call.  Meanwhile the test queues SIGUSR1 and SIGUSR2 (value
 * 42).  Then it checks that all of it is still there, unblocks the
 * signals, and checks that each handler ran exactly once, with the
 * siginfo sent.  Prints "state ok" and exits 0, or names what differs.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int usr1, usr2, usr2_value;

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
static char altstack[65536];

static void on_usr1(int sig)
{
	__atomic_add_fetch(&usr1, 1, __ATOMIC_SEQ_CST);
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	__atomic_add_fetch(&usr2, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&usr2_value, si->si_value.sival_int, __ATOMIC_SEQ_CST);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole content of a /proc file */
static size_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, got = 0;

	if (fd < 0)
		return 0;
	while (got < (ssize_t)len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	close(fd);
	return got;
}

static int fail(const char *what)
{
	printf("changed: %s\n", what);
	return 1;
}

int main(int argc, char **argv)
{
	static char auxv[2][4096], cmdline[2][4096], exe[2][256];
	size_t auxv_len, cmdline_len;
	int i, n, fds;
	unsigned long vdso;
	char comm[16];
	void *brk0;
	struct sigaction sa, old;
	struct rlimit rl;
	stack_t ss, oss;
	sigset_t set, cur;
	char cwd[256];
	double end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_usr2;
	sa.sa_flags = SA_SIGINFO;
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ss.ss_sp = altstack;
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	umask(027);
	if (chdir("/tmp"))
		return 2;
	rl.rlim_cur = 100;
	rl.rlim_max = 200;
	setrlimit(RLIMIT_NOFILE, &rl);
	personality(ADDR_NO_RANDOMIZE);
	prctl(PR_SET_NAME, "sig-comm");
	if (setsid() < 0)
		return 2;
	brk0 = sbrk(0);
	auxv_len = slurp("/proc/self/auxv", auxv[0], sizeof(auxv[0]));
	cmdline_len = slurp("/proc/self/cmdline", cmdline[0], sizeof(cmdline[0]));
	if (readlink("/proc/self/exe", exe[0], sizeof(exe[0]) - 1) < 0)
		return 2;
	vdso = getauxval(AT_SYSINFO_EHDR);

	for (i = 3, fds = 0; i < 1024; i++)
		fds += fcntl(i, F_GETFD) >= 0;
	printf("ready pid %d\n", getpid());
	end = now() + (argc > 1 ? atof(argv[1]) : 2);
	while (now() < end)
		;

	if (sigaction(SIGUSR1, NULL, &old) || old.sa_handler != on_usr1 ||
	    !(old.sa_flags & SA_RESTART))
		return fail("SIGUSR1 action");
	if (sigaction(SIGUSR2, NULL, &old) || old.sa_sigaction != on_usr2 ||
	    !(old.sa_flags & SA_SIGINFO) || !sigismember(&old.sa_mask, SIGUSR1))
		return fail("SIGUSR2 action");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigismember(&cur, SIGUSR1) || !sigismember(&cur, SIGUSR2))
		return fail("blocked mask");
	sigpending(&cur);
	if (!sigismember(&cur, SIGUSR1) || !sigismember(&cur, SIGUSR2))
		return fail("pending signals");
	if (sigaltstack(NULL, &oss) || oss.ss_sp != altstack ||
	    oss.ss_size != sizeof(altstack))
		return fail("sigaltstack");
	if (umask(0) != 027)
		return fail("umask");
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/tmp"))
		return fail("cwd");
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur != 100 || rl.rlim_max != 200)
		return fail("RLIMIT_NOFILE");
	if (personality(0xffffffff) != ADDR_NO_RANDOMIZE)
		return fail("personality");
	if (prctl(PR_GET_NAME, comm) || strcmp(comm, "sig-comm"))
		return fail("comm");
	if (getsid(0) != getpid() || getpgrp() != getpid())
		return fail("session leader");
	if (sbrk(0) != brk0 || !sbrk(4096) || sbrk(0) != brk0 + 4096)
		return fail("brk");
	if (slurp("/proc/self/auxv", auxv[1], sizeof(auxv[1])) != auxv_len ||
	    memcmp(auxv[0], auxv[1], auxv_len))
		return fail("auxv");
	if (slurp("/proc/self/cmdline", cmdline[1], sizeof(cmdline[1])) !=
	    cmdline_len || memcmp(cmdline[0], cmdline[1], cmdline_len))
		return fail("command line");
	if (readlink("/proc/self/exe", exe[1], sizeof(exe[1]) - 1) < 0 ||
	    strcmp(exe[0], exe[1]))
		return fail("/proc/self/exe");
	if (getauxval(AT_SYSINFO_EHDR) != vdso || now() <= 0)
		return fail("vdso");
	if (LOAD(usr1) || LOAD(usr2))
		return fail("a handler ran while blocked");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (LOAD(usr1) != 1 || LOAD(usr2) != 1)
		return fail("handlers did not run exactly once");
	if (LOAD(usr2_value) != 42)
		return fail("siginfo value");
	for (i = 3, n = 0; i < 1024; i++)
		n += fcntl(i, F_GETFD) >= 0;
	/* the restart tool's own files do not leak into the task */
	if (n != fds)
		return fail("descriptors");
	printf("state ok pid %d extra fds %d\n", getpid(), n);
	return 0;
}
