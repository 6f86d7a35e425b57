// SPDX-License-Identifier: GPL-2.0
/*
 * A process checkpointed, killed and restarted goes on where it stopped:
 * the same result, the same pid, the same registers and memory.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/utsname.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

/* The line of @text that starts with @prefix, copied to @line */
static int line_of(const char *text, const char *prefix, char *line, size_t len)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(line, len, "%.*s", (int)strcspn(p, "\n"), p);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

TEST(workload_finishes_with_the_same_result)
{
	char *const plain[] = { "/bin/ckpt_workload", "30", "8", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-w.img", NULL };
	char want[128], got[128], pidline[64], *out, *text;
	pid_t pid;

	/* uninterrupted */
	ASSERT_EQ(0, run_capture(plain, &out));
	ASSERT_EQ(0, line_of(out, "result ", want, sizeof(want)));
	free(out);

	/* checkpointed in the middle, killed, restarted */
	pid = start_logged(plain, "/tmp/rt-w.out", "round 3");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-w.img"));
	text = file_text("/tmp/rt-w.out");
	ASSERT_NE(NULL, text);
	EXPECT_NE(0, line_of(text, "result ", got, sizeof(got)))
		TH_LOG("it finished before the checkpoint");
	free(text);

	ASSERT_EQ(0, run_capture(restore, &out));
	ASSERT_EQ(0, line_of(out, "result ", got, sizeof(got))) TH_LOG("%s", out);
	EXPECT_STREQ(want, got);
	/* getpid() is unchanged, in the new pid namespace */
	snprintf(pidline, sizeof(pidline), "pid %d", pid);
	EXPECT_EQ(0, line_of(out, pidline, got, sizeof(got))) TH_LOG("%s", out);
	free(out);
}

TEST(registers_and_fpu_bit_for_bit)
{
	char *const regs[] = { "/bin/ckpt_regs", "1", "2", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-r.img", NULL };
	char *out;
	pid_t pid;

	/* ckpt_regs exits 0 only if every register is what it loaded */
	ASSERT_EQ(0, run_capture(regs, &out));
	free(out);
	pid = start_logged(regs, "/tmp/rt-r.out", NULL);
	ASSERT_GT(pid, 0);
	usleep(300000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-r.img"));
	/* the exit status names the first register that differs */
	EXPECT_EQ(0, run_capture(restore, &out));
	free(out);
}

TEST(memory_patterns_survive)
{
	char *const mem[] = { "/bin/ckpt_mem", "2", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-m.img", NULL };
	char *const info[] = { "ckptinfo", "--json", "/tmp/rt-m.img", NULL };
	char *out, *text;
	pid_t pid;

	pid = start_logged(mem, "/tmp/rt-m.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-m.img"));
	text = file_text("/tmp/rt-m.out");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "intact")) TH_LOG("finished too early");
	free(text);

	/* only populated, non-zero pages: the sparse region saves 1 in 7 */
	ASSERT_EQ(0, run_capture(info, &out));
	EXPECT_NE(NULL, strstr(out, "\"ok\":true"));
	free(out);

	ASSERT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "intact")) TH_LOG("%s", out);
	free(out);
}

TEST(image_piped_into_restart)
{
	char *const mem[] = { "/bin/ckpt_mem", "2", NULL };
	char cmd[128], *out;
	char *const sh[] = { "sh", "-c", cmd, NULL };
	pid_t pid;

	pid = start_logged(mem, "/tmp/rt-p.out", "ready");
	ASSERT_GT(pid, 0);
	snprintf(cmd, sizeof(cmd), "checkpoint --kill %d | restart --keep-stdio",
		 pid);
	ASSERT_EQ(0, run_capture(sh, &out)) TH_LOG("%s", out);
	waitpid(pid, NULL, 0);
	EXPECT_NE(NULL, strstr(out, "intact")) TH_LOG("%s", out);
	free(out);
}

TEST(checkpoint_restart_twice)
{
	char *const mem[] = { "/bin/ckpt_mem", "8", NULL };
	char *const detach[] = { "restart", "--detach", "--pidfile",
				 "/tmp/rt-2.pid", "-i", "/tmp/rt-2a.img", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-2b.img", NULL };
	char *out, *text, pidline[64];
	pid_t pid, outer;

	pid = start_logged(mem, "/tmp/rt-2.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-2a.img"));
	ASSERT_EQ(0, run_logged(detach, "/tmp/rt-2.detach"));
	text = file_text("/tmp/rt-2.pid");
	ASSERT_NE(NULL, text);
	outer = atoi(text);
	free(text);
	ASSERT_GT(outer, 0);
	usleep(300000);

	/* the restored task, checkpointed again */
	ASSERT_EQ(0, checkpoint_kill(outer, "/tmp/rt-2b.img"));
	ASSERT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "intact")) TH_LOG("%s", out);
	snprintf(pidline, sizeof(pidline), "pid %d intact", pid);
	EXPECT_NE(NULL, strstr(out, pidline)) TH_LOG("%s", out);
	free(out);
}

TEST(non_destructive_checkpoint)
{
	char *const plain[] = { "/bin/ckpt_workload", "30", "8", NULL };
	char *const ckpt[] = { "checkpoint", "-o", "/tmp/rt-n.img", NULL, NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-n.img", NULL };
	char orig[128], got[128], pidstr[16], *out, *text;
	int status;
	pid_t pid;

	pid = start_logged(plain, "/tmp/rt-n.out", "round 3");
	ASSERT_GT(pid, 0);
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	((char **)ckpt)[3] = pidstr;
	ASSERT_EQ(0, run_capture(ckpt, &out));
	free(out);

	/* the original goes on and finishes */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	text = file_text("/tmp/rt-n.out");
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, line_of(text, "result ", orig, sizeof(orig)));
	free(text);

	/* and its image, restored after it, finishes the same way */
	ASSERT_EQ(0, run_capture(restore, &out));
	ASSERT_EQ(0, line_of(out, "result ", got, sizeof(got))) TH_LOG("%s", out);
	EXPECT_STREQ(orig, got);
	free(out);
}

TEST(no_pidns_restores_in_the_callers_namespace)
{
	char *const mem[] = { "/bin/ckpt_mem", "2", NULL };
	char *const ckpt[] = { "checkpoint", "-o", "/tmp/rt-x.img", NULL, NULL };
	char *const restore[] = { "restart", "--keep-stdio", "--no-pidns", "-i", "/tmp/rt-x.img",
				  NULL };
	char pidstr[16], pidline[64], *out;
	int ret;
	pid_t pid;

	pid = start_logged(mem, "/tmp/rt-x.out", "ready");
	ASSERT_GT(pid, 0);
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	((char **)ckpt)[3] = pidstr;
	ASSERT_EQ(0, run_capture(ckpt, &out));
	free(out);

	/* the pid is taken: said so, by number */
	{
		int p[2], status;
		char err[256] = "";
		pid_t c;

		ASSERT_EQ(0, pipe(p));
		c = fork();
		ASSERT_GE(c, 0);
		if (!c) {
			dup2(p[1], 2);
			execvp(restore[0], restore);
			_exit(127);
		}
		close(p[1]);
		ret = read(p[0], err, sizeof(err) - 1);
		close(p[0]);
		ASSERT_EQ(c, waitpid(c, &status, 0));
		EXPECT_EQ(1, WEXITSTATUS(status));
		snprintf(pidline, sizeof(pidline), "pid %d is taken", pid);
		EXPECT_NE(NULL, strstr(err, pidline)) TH_LOG("stderr: %s", err);
	}

	/* once it is free, the task comes back with it */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ret = run_capture(restore, &out);
	EXPECT_EQ(0, ret) TH_LOG("%s", out);
	snprintf(pidline, sizeof(pidline), "pid %d intact", pid);
	EXPECT_NE(NULL, strstr(out, pidline)) TH_LOG("%s", out);
	free(out);
}

TEST(signals_and_process_state)
{
	char *const prog[] = { "/bin/ckpt_sig", "2", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-s.img", NULL };
	union sigval v = { .sival_int = 42 };
	char *out, *text;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-s.out", "ready");
	ASSERT_GT(pid, 0);
	/* pending at checkpoint: blocked, so they wait */
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, sigqueue(pid, SIGUSR2, v));
	usleep(100000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-s.img"));
	text = file_text("/tmp/rt-s.out");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "state ok")) TH_LOG("finished too early");
	free(text);
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "state ok")) TH_LOG("%s", out);
	free(out);
}

/* Run @fn as uid/gid 65534 in a child; returns its exit status */
static int as_nobody(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(120);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int exec_mem(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	dup2(fd, 1);
	execl("/bin/ckpt_mem", "ckpt_mem", "3", NULL);
	return 127;
}

/* restart(2) into this very process, as the unprivileged caller */
static int restart_self(void *arg)
{
	int fd = open(arg, O_RDONLY);
	int log = open("/tmp/rt-u.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	/* its standard streams are root's console */
	sys_restart(0, fd, RESTART_KEEP_STDIO, log);
	return 126;
}

TEST(credentials_as_an_unprivileged_user)
{
	char *const mem[] = { "/bin/ckpt_mem", "3", NULL };
	char *text;
	pid_t pid;
	int i;

	/* an unprivileged process, checkpointed by root */
	chmod("/tmp", 01777);
	unlink("/tmp/rt-u.out");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(120);
		_exit(exec_mem("/tmp/rt-u.out"));
	}
	for (i = 0; i < 5000; i++) {
		text = file_text("/tmp/rt-u.out");
		if (text && strstr(text, "ready"))
			break;
		free(text);
		text = NULL;
		usleep(1000);
	}
	free(text);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-u.img"));
	ASSERT_EQ(0, chmod("/tmp/rt-u.img", 0644));

	/* its own user restores it: same ids, nothing more */
	EXPECT_EQ(0, as_nobody(restart_self, "/tmp/rt-u.img"));

	/* a root process's image: the unprivileged caller cannot be root */
	pid = start_logged(mem, "/tmp/rt-v.out", "ready");
	ASSERT_GT(pid, 0);
	/* so that its files reopen, and the credentials are what fails */
	ASSERT_EQ(0, chmod("/tmp/rt-v.out", 0666));
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-v.img"));
	ASSERT_EQ(0, chmod("/tmp/rt-v.img", 0644));
	EXPECT_EQ(128 + SIGKILL, as_nobody(restart_self, "/tmp/rt-v.img"));
	text = file_text("/tmp/rt-u.log");
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "not permitted to set")) TH_LOG("%s", text);
	free(text);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * ckpt_block @mode 4, checkpointed 1.5 s into its 4 s wait, killed and
 * restarted: it waits only what was left, about 2.5 s, and its output
 * holds @expect.  With @kind, its restart block record is of that kind.
 */
static void timed_wait_goes_on(struct __test_metadata *_metadata,
			       const char *mode, const char *kind,
			       const char *expect)
{
	char *const prog[] = { "/bin/ckpt_block", (char *)mode, "4", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-b1.img", NULL };
	char *const info[] = { "ckptinfo", "/tmp/rt-b1.img", NULL };
	char *out, want[64];
	double t0, took;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-b1.out", "blocked");
	ASSERT_GT(pid, 0);
	usleep(1500000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-b1.img"));
	if (kind) {
		ASSERT_EQ(0, run_capture(info, &out));
		snprintf(want, sizeof(want), "kind \"%s\"", kind);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
		free(out);
	}
	t0 = now();
	ASSERT_EQ(0, run_capture(restore, &out));
	took = now() - t0;
	EXPECT_NE(NULL, strstr(out, expect)) TH_LOG("%s", out);
	free(out);
	EXPECT_LT(took, 3.6) TH_LOG("waited %.2f s after restart", took);
	EXPECT_GT(took, 1.8) TH_LOG("waited %.2f s after restart", took);
}

/* nanosleep sleeps, after restart, only what was left */
TEST(blocked_in_nanosleep)
{
	timed_wait_goes_on(_metadata, "nanosleep", "nanosleep",
			   "nanosleep returned 0");
}

/* so does poll() with a timeout, through its own restart block */
TEST(blocked_in_poll_with_a_timeout)
{
	timed_wait_goes_on(_metadata, "poll", "poll",
			   "poll returned 0 errno 0");
}

/* select() keeps what was left in its timeval, which it is entered with */
TEST(blocked_in_select_with_a_timeout)
{
	timed_wait_goes_on(_metadata, "select", NULL,
			   "select returned 0 errno 0");
}

/* Restart @img detached, signal the restored task, return its output */
static char *signal_restored(const char *img, const char *out_path)
{
	char *const detach[] = { "restart", "--detach", "--keep-stdio",
				 "--pidfile", "/tmp/rt-b.pid", "-i",
				 (char *)img, NULL };
	char *text = NULL;
	pid_t pid;
	int i;

	if (run_logged(detach, out_path))
		return NULL;
	text = file_text("/tmp/rt-b.pid");
	pid = text ? atoi(text) : 0;
	free(text);
	if (pid <= 0)
		return NULL;
	usleep(200000);
	kill(pid, SIGUSR1);
	for (i = 0; i < 3000; i++) {
		text = file_text(out_path);
		if (text && strstr(text, "returned"))
			return text;
		free(text);
		usleep(1000);
	}
	return file_text(out_path);
}

/*
 * ckpt_block @mode, checkpointed while blocked, killed, restarted and
 * sent SIGUSR1: its output must hold @expect
 */
static void blocked_then_signalled(struct __test_metadata *_metadata,
				   const char *mode, const char *expect)
{
	char *const prog[] = { "/bin/ckpt_block", (char *)mode, NULL };
	char *text;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-bs.out", "blocked");
	ASSERT_GT(pid, 0);
	usleep(200000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-bs.img"));
	text = signal_restored("/tmp/rt-bs.img", "/tmp/rt-bsr.out");
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, expect)) TH_LOG("%s", text);
	free(text);
}

/* pause() still waits, and a signal ends it */
TEST(blocked_in_pause)
{
	blocked_then_signalled(_metadata, "pause",
			       "pause returned -1 errno 4 handled 1");
}

/*
 * A signal that arrives while the task is frozen in pause() is pending in
 * the image: after restart its handler runs and pause() returns -EINTR,
 * instead of the handler running and pause() being entered again.
 */
TEST(signal_pending_in_pause_ends_it)
{
	char *const prog[] = { "/bin/ckpt_block", "pause", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i",
				  "/tmp/rt-bp.img", NULL };
	struct victim v;
	char *out;

	memset(&v, 0, sizeof(v));
	v.pid = start_logged(prog, "/tmp/rt-bp.out", "blocked");
	ASSERT_GT(v.pid, 0);
	usleep(200000);
	ASSERT_EQ(0, victim_freeze(&v));
	ASSERT_EQ(0, kill(v.pid, SIGUSR1));
	ASSERT_EQ(0, checkpoint_kill(v.pid, "/tmp/rt-bp.img"));
	/* the transient cgroup goes */
	ckpt_thaw(&v.fz, NULL, 0);
	/* it returns from pause() at once, and exits */
	EXPECT_EQ(0, run_capture(restore, &out));
	EXPECT_NE(NULL, strstr(out, "pause returned -1 errno 4 handled 1"))
		TH_LOG("%s", out);
	free(out);
}

/*
 * FUTEX_WAIT keeps waiting; an SA_RESTART handler still restarts it,
 * and the restarted wait sees the word the handler changed (EAGAIN)
 */
TEST(blocked_in_futex_wait)
{
	blocked_then_signalled(_metadata, "futex",
			       "futex returned -1 errno 11 word 1 handled 1");
}

/*
 * sigsuspend() runs with a mask of its own: the task's, in which SIGUSR1
 * is blocked, is the one saved, and it is back after the handler
 */
TEST(blocked_in_sigsuspend_keeps_its_own_mask)
{
	blocked_then_signalled(_metadata, "sigsuspend",
			       "sigsuspend returned -1 errno 4 handled 1 usr1 blocked 1");
}

/* poll() with no timeout keeps waiting, and a signal ends it */
TEST(blocked_in_poll)
{
	blocked_then_signalled(_metadata, "poll",
			       "poll returned -1 errno 4 handled 1");
}

/*
 * A restored nanosleep() resumes through restart_syscall(): checkpointed
 * again there, it still sleeps only what was left
 */
TEST(nanosleep_checkpointed_twice)
{
	char *const prog[] = { "/bin/ckpt_block", "nanosleep", "6", NULL };
	char *const detach[] = { "restart", "--detach", "--keep-stdio",
				 "--pidfile", "/tmp/rt-n2.pid", "-i",
				 "/tmp/rt-n2a.img", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-n2b.img", NULL };
	char *out, *text;
	double t0, took;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-n2.out", "blocked");
	ASSERT_GT(pid, 0);
	usleep(1500000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-n2a.img"));
	ASSERT_EQ(0, run_logged(detach, "/tmp/rt-n2.detach"));
	text = file_text("/tmp/rt-n2.pid");
	ASSERT_NE(NULL, text);
	pid = atoi(text);
	free(text);
	ASSERT_GT(pid, 0);
	usleep(1000000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-n2b.img"));
	t0 = now();
	ASSERT_EQ(0, run_capture(restore, &out));
	took = now() - t0;
	EXPECT_NE(NULL, strstr(out, "nanosleep returned 0")) TH_LOG("%s", out);
	free(out);
	/* about 3.5 s were left of 6 */
	EXPECT_LT(took, 4.6) TH_LOG("slept %.2f s after the second restart", took);
	EXPECT_GT(took, 1.5) TH_LOG("slept %.2f s after the second restart", took);
}

/* read() on an empty pipe keeps waiting, then gets the data */
TEST(blocked_reading_a_pipe)
{
	int in[2], out[2], status;
	char buf[256] = "";
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(0, pipe(in));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int fd = open("/tmp/rt-b4.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(in[0], 0);
		dup2(fd, 1);
		execl("/bin/ckpt_block", "ckpt_block", "read", NULL);
		_exit(127);
	}
	usleep(300000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-b4.img"));

	/* the restored task reads from what restart gives it as stdin */
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(out[0]);
		execlp("restart", "restart", "--keep-stdio", "-i", "/tmp/rt-b4.img", NULL);
		_exit(127);
	}
	close(out[1]);
	usleep(500000);
	ASSERT_EQ(6, write(in[1], "hello\n", 6));
	n = read(out[0], buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	EXPECT_NE(NULL, strstr(buf, "read 6: hello")) TH_LOG("%s", buf);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(corrupt_image_never_runs)
{
	char *const mem[] = { "/bin/ckpt_mem", "2", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-c.img", NULL };
	struct stat st;
	char *out;
	int fd;
	pid_t pid;

	pid = start_logged(mem, "/tmp/rt-c.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-c.img"));
	/* a flipped byte in the page data: only the tail's CRC tells */
	fd = open("/tmp/rt-c.img", O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, fstat(fd, &st));
	ASSERT_EQ(1, pwrite(fd, "\x5a", 1, st.st_size / 2));
	close(fd);
	/* the half-restored task is killed: it never runs on bad data */
	EXPECT_EQ(128 + SIGKILL, run_capture(restore, &out));
	EXPECT_EQ(NULL, strstr(out, "intact")) TH_LOG("%s", out);
	free(out);
}

/*
 * Interval timers and no_new_privs come back: ITIMER_REAL fires after
 * restart with what was left of it, the CPU timers keep their values and
 * intervals, and the sandbox bit is still set
 */
TEST(interval_timers_and_no_new_privs)
{
	char *const prog[] = { "/bin/ckpt_timers", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-t.img", NULL };
	char *out, *text;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-t.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-t.img"));
	text = file_text("/tmp/rt-t.out");
	ASSERT_NE(NULL, text);
	/* SIGALRM is 3 s away: it must not have come before the checkpoint */
	EXPECT_EQ(NULL, strstr(text, "timers ok")) TH_LOG("finished too early");
	EXPECT_EQ(NULL, strstr(text, "SIGALRM")) TH_LOG("%s", text);
	free(text);
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "timers ok")) TH_LOG("%s", out);
	free(out);
}

/* A POSIX timer is refused by name, and the process goes on */
TEST(posix_timers_are_refused_by_name)
{
	char *const prog[] = { "/bin/ckpt_timers", "posix", NULL };
	char cmd[128], *out;
	char *const ckpt[] = { "/bin/sh", "-c", cmd, NULL };
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-p.out", "ready");
	ASSERT_GT(pid, 0);
	snprintf(cmd, sizeof(cmd), "checkpoint -o /tmp/rt-p.img %d 2>&1", pid);
	EXPECT_NE(0, run_capture(ckpt, &out));
	EXPECT_NE(NULL, strstr(out, "POSIX timers (timer_create) not supported yet"))
		TH_LOG("%s", out);
	free(out);
	/* thawed, not killed: it still gets its SIGALRM and finishes */
	EXPECT_EQ(0, kill(pid, 0));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * The addresses the kernel keeps for a thread come back: its
 * clear_child_tid, its robust futex list and its rseq area, which the
 * kernel keeps updating after restart
 */
TEST(thread_addresses)
{
	char *const prog[] = { "/bin/ckpt_addrs", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-a.img", NULL };
	char *out, *text;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-a.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-a.img"));
	text = file_text("/tmp/rt-a.out");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "addrs ok")) TH_LOG("finished too early");
	free(text);
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "addrs ok")) TH_LOG("%s", out);
	free(out);
}

/*
 * A process of eight threads comes back whole: each thread with its
 * tid, name, blocked mask and thread-local value, blocked where it was
 * (futex waits with and without a timeout, private and shared, a pipe
 * read, a nanosleep, condition variables with and without a timeout);
 * woken, they share the descriptor table and directory again, a timeout
 * that nothing beats still expires, and pthread_join() sees each one
 * exit
 */
/* How many records of type @name ckptinfo's text @out shows */
static int count_of(const char *out, const char *name)
{
	char want[32];
	int n = 0;

	snprintf(want, sizeof(want), "  %-7s len ", name);
	for (; (out = strstr(out, want)); out++)
		n++;
	return n;
}

TEST(threads)
{
	char *const prog[] = { "/bin/ckpt_threads", "4", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-th.img", NULL };
	char *const info[] = { "ckptinfo", "/tmp/rt-th.img", NULL };
	char *out, *text;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-th.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-th.img"));
	text = file_text("/tmp/rt-th.out");
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, strstr(text, "threads ok")) TH_LOG("finished too early");
	free(text);
	/* eight task records, one memory for the eight */
	EXPECT_EQ(0, run_capture(info, &out));
	EXPECT_EQ(8, count_of(out, "task")) TH_LOG("%s", out);
	EXPECT_EQ(1, count_of(out, "mm")) TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "threads ok")) TH_LOG("%s", out);
	free(out);
}

/* A thread with a descriptor table of its own is refused by name */
TEST(thread_with_its_own_files_is_refused_by_name)
{
	char *const prog[] = { "/bin/ckpt_threads", "4", "unshare", NULL };
	char cmd[128], *out;
	char *const ckpt[] = { "/bin/sh", "-c", cmd, NULL };
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-tu.out", "ready");
	ASSERT_GT(pid, 0);
	snprintf(cmd, sizeof(cmd), "checkpoint -o /tmp/rt-tu.img %d 2>&1", pid);
	EXPECT_NE(0, run_capture(ckpt, &out));
	EXPECT_NE(NULL, strstr(out, "has a descriptor table of its own"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "(unshare(CLONE_FILES)): not supported"))
		TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(0, kill(pid, 0));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * A tree with a UTS namespace of its own gets its names back, in a new
 * namespace: the restarter's names do not change
 */
TEST(own_hostname_comes_back_in_a_new_uts_namespace)
{
	char *const prog[] = { "/bin/ckpt_ns", "uts", "2", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-u.img", NULL };
	char *const info[] = { "ckptinfo", "/tmp/rt-u.img", NULL };
	struct utsname before, after;
	char *out;
	pid_t pid;

	ASSERT_EQ(0, uname(&before));
	pid = start_logged(prog, "/tmp/rt-u.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-u.img"));
	EXPECT_EQ(0, run_capture(info, &out));
	EXPECT_NE(NULL, strstr(out, "hostname \"ckpt-host\"")) TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "hostname ckpt-host domainname ckpt-domain"))
		TH_LOG("%s", out);
	free(out);
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);
	EXPECT_STREQ(before.domainname, after.domainname);
}

/*
 * A tree in the checkpointer's UTS namespace takes the restarter's
 * names: those the system has when it is restarted
 */
TEST(shared_uts_namespace_takes_the_restarters_names)
{
	char *const prog[] = { "/bin/ckpt_ns", "shared", "1", NULL };
	char *const restore[] = { "restart", "--keep-stdio", "-i", "/tmp/rt-s.img", NULL };
	struct utsname before;
	char *out;
	pid_t pid;

	ASSERT_EQ(0, uname(&before));
	pid = start_logged(prog, "/tmp/rt-s.out", "ready");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/rt-s.img"));
	ASSERT_EQ(0, sethostname("renamed-host", 12));
	EXPECT_EQ(0, run_capture(restore, &out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "hostname renamed-host ")) TH_LOG("%s", out);
	free(out);
	ASSERT_EQ(0, sethostname(before.nodename, strlen(before.nodename)));
}

/* A network namespace of its own is refused by name; the tree goes on */
TEST(own_network_namespace_is_refused_by_name)
{
	char *const prog[] = { "/bin/ckpt_ns", "net", "1", NULL };
	char cmd[128], *out, *text;
	char *const ckpt[] = { "/bin/sh", "-c", cmd, NULL };
	int status;
	pid_t pid;

	pid = start_logged(prog, "/tmp/rt-n.out", "ready");
	ASSERT_GT(pid, 0);
	snprintf(cmd, sizeof(cmd), "checkpoint -o /tmp/rt-n.img %d 2>&1", pid);
	EXPECT_NE(0, run_capture(ckpt, &out));
	EXPECT_NE(NULL, strstr(out, "is in a network namespace of its own: not supported"))
		TH_LOG("%s", out);
	free(out);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	text = file_text("/tmp/rt-n.out");
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "hostname ")) TH_LOG("%s", text);
	free(text);
}

TEST_HARNESS_MAIN
