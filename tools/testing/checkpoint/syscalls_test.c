// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint() and restart(): the system calls exist and reject bad
 * flags, fds and pids, an unfrozen target, and a caller without the
 * right to trace the target.  Every rejection leaves a reason on logfd.
 */
#define _GNU_SOURCE
#include <sched.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

/* The reason the kernel logged, or "" */
static void log_text(int logfd, char *buf, size_t len)
{
	ckpt_log_reason(logfd, buf, len);
}

/* Implemented: they check their arguments (an unknown syscall would not) */
TEST(syscalls_exist)
{
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), -1, 0, -1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, -1, 0, -1));
	EXPECT_EQ(EBADF, errno);
}

TEST(checkpoint_rejects_every_flag)
{
	int fd = memfd_create("img", 0);
	int bit;

	ASSERT_GE(fd, 0);
	for (bit = 0; bit < 64; bit++) {
		errno = 0;
		EXPECT_EQ(-1, sys_checkpoint(getpid(), fd, 1UL << bit, -1));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flag bit %d", bit);
	}
	EXPECT_EQ(0, lseek(fd, 0, SEEK_END)) TH_LOG("nothing written");
}

TEST(restart_rejects_unknown_flags)
{
	int fd = memfd_create("img", 0);
	char reason[512];
	int logfd = memfd_create("log", 0);
	int bit;

	ASSERT_GE(fd, 0);
	ASSERT_GE(logfd, 0);
	for (bit = 0; bit < 64; bit++) {
		if ((1UL << bit) & RESTART_FLAGS_MASK)
			continue;
		errno = 0;
		EXPECT_EQ(-1, sys_restart(0, fd, 1UL << bit, logfd));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flag bit %d", bit);
	}
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "unknown flags")) TH_LOG("log: %s", reason);
}

TEST(bad_image_fds)
{
	int rdonly = open("/proc/self/stat", O_RDONLY);
	int wronly = open("/dev/null", O_WRONLY);
	int closed = dup(0);

	ASSERT_GE(rdonly, 0);
	ASSERT_GE(wronly, 0);
	ASSERT_GE(closed, 0);
	close(closed);

	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), -1, 0, -1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), closed, 0, -1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), rdonly, 0, -1));
	EXPECT_EQ(EBADF, errno) TH_LOG("image fd not open for writing");

	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, -1, 0, -1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, closed, 0, -1));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, wronly, 0, -1));
	EXPECT_EQ(EBADF, errno) TH_LOG("image fd not open for reading");
}

TEST(bad_log_fds)
{
	int img = memfd_create("img", 0);
	int rdonly = open("/proc/self/stat", O_RDONLY);

	ASSERT_GE(img, 0);
	ASSERT_GE(rdonly, 0);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), img, 0, -2));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), img, 0, rdonly));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, img, 0, 1000));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, img, 0, rdonly));
	EXPECT_EQ(EBADF, errno);
}

TEST(files_the_kernel_cannot_use)
{
	int img = memfd_create("img", 0);
	int logfd = memfd_create("log", 0);
	int devnull = open("/dev/null", O_WRONLY);
	int p[2];
	char reason[512];

	ASSERT_GE(devnull, 0);
	ASSERT_EQ(0, pipe2(p, O_NONBLOCK));
	/* /dev/null has ->write and ->write_iter: no kernel_write() */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), img, 0, devnull));
	EXPECT_EQ(EINVAL, errno);
	/* the image and the log cannot be the same file */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), logfd, 0, logfd));
	EXPECT_EQ(EINVAL, errno);
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "also the log fd")) TH_LOG("log: %s", reason);
	/* a non-blocking image would fail half way */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), p[1], 0, logfd));
	EXPECT_EQ(EINVAL, errno);
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "O_NONBLOCK")) TH_LOG("log: %s", reason);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, p[0], 0, logfd));
	EXPECT_EQ(EINVAL, errno);
}

TEST(bad_pids)
{
	int img = memfd_create("img", 0);
	int logfd = memfd_create("log", 0);
	char reason[512];
	pid_t gone;

	ASSERT_GE(img, 0);
	gone = fork();
	ASSERT_GE(gone, 0);
	if (!gone)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));

	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(gone, img, 0, logfd));
	EXPECT_EQ(ESRCH, errno);
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "no such process")) TH_LOG("log: %s", reason);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, img, 0, -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(-7, img, 0, -1));
	EXPECT_EQ(EINVAL, errno);

	errno = 0;
	EXPECT_EQ(-1, sys_restart(gone, img, 0, -1));
	EXPECT_EQ(ESRCH, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(-1, img, 0, -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(1, img, 0, -1)) TH_LOG("restart into another task");
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, lseek(img, 0, SEEK_END)) TH_LOG("nothing written");
}

TEST(unfrozen_target_is_busy)
{
	int logfd = memfd_create("log", 0);
	struct victim v;
	char reason[512];
	long ret;
	int img;

	ASSERT_EQ(0, victim_start(&v, "unfrozen"));
	img = checkpoint_to_memfd(v.pid, logfd, &ret);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, lseek(img, 0, SEEK_END)) TH_LOG("nothing written");
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "not frozen")) TH_LOG("log: %s", reason);
	/* the caller itself is never frozen */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(getpid(), img, 0, -1));
	EXPECT_EQ(EBUSY, errno);
	victim_stop(&v);
}

TEST(stopped_is_not_frozen)
{
	int logfd = memfd_create("log", 0);
	char reason[512];
	struct victim v;
	long ret;
	int img;

	/* SIGSTOP sets task->frozen too, but SIGCONT could resume it */
	ASSERT_EQ(0, victim_start(&v, "stopped"));
	ASSERT_EQ(0, kill(v.pid, SIGSTOP));
	ASSERT_EQ(v.pid, waitpid(v.pid, NULL, WUNTRACED));
	img = checkpoint_to_memfd(v.pid, logfd, &ret);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, lseek(img, 0, SEEK_END)) TH_LOG("nothing written");
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "not frozen")) TH_LOG("log: %s", reason);
	victim_stop(&v);
}

TEST(kernel_thread_is_refused)
{
	int img = memfd_create("img", 0);

	/* pid 2 is kthreadd */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(2, img, 0, -1));
	EXPECT_EQ(EPERM, errno);
}

TEST(unprivileged_caller_gets_eperm)
{
	struct victim v;
	int status;
	pid_t pid;

	ASSERT_EQ(0, victim_start(&v, "rootowned"));
	ASSERT_EQ(0, victim_freeze(&v));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int img = memfd_create("img", 0);
		long ret;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		ret = sys_checkpoint(v.pid, img, 0, -1);
		if (ret != -1)
			_exit(11);
		if (errno != EPERM)
			_exit(12);
		_exit(lseek(img, 0, SEEK_END) == 0 ? 0 : 13);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	victim_stop(&v);
}

/* A child that waits to be killed with its parent */
static int pause_fn(void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
	return 0;
}

/* Check a frozen @v and expect EOPNOTSUPP with @what in the reason */
static void expect_refused(struct __test_metadata *_metadata,
			   struct victim *v, const char *what)
{
	int logfd = memfd_create("log", 0);
	char reason[512];
	long ret;
	int img;

	ASSERT_EQ(0, victim_freeze(v));
	img = checkpoint_to_memfd(v->pid, logfd, &ret);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EOPNOTSUPP, errno);
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, what)) TH_LOG("log: %s", reason);
	close(img);
	close(logfd);
}

TEST(unsupported_trees_are_refused_by_name)
{
	struct victim v;

	/* a child that exited, and that its parent did not reap */
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		if (fork() == 0)
			_exit(0);
		for (;;)
			pause();
	}
	usleep(100000);
	expect_refused(_metadata, &v, "is a zombie");
	victim_stop(&v);

	/* a child that shares the address space of its parent */
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		static char stack[65536];

		clone(pause_fn, stack + sizeof(stack), CLONE_VM | SIGCHLD,
		      NULL);
		for (;;)
			pause();
	}
	usleep(100000);
	expect_refused(_metadata, &v, "shares its address space");
	victim_stop(&v);

	/*
	 * a child left in a process group led outside the tree, once its
	 * parent made a group of its own
	 */
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		if (fork() == 0)
			pause_fn(NULL);
		setpgid(0, 0);
		for (;;)
			pause();
	}
	usleep(100000);
	expect_refused(_metadata, &v, "is led by no process before it in the tree");
	victim_stop(&v);
}

TEST(unsupported_mappings_are_refused_by_name)
{
	int logfd = memfd_create("log", 0);
	char reason[512];
	struct victim v;
	long ret;
	int img;

	/* a MAP_SHARED mapping of a file: not supported yet */
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		int fd = open("/tmp/shared-map", O_RDWR | O_CREAT, 0600);
		char *p;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd < 0 || ftruncate(fd, 4096))
			_exit(1);
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(1);
		for (;;)
			p[0]++;
	}
	usleep(100000);
	ASSERT_EQ(0, victim_freeze(&v));
	img = checkpoint_to_memfd(v.pid, logfd, &ret);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EOPNOTSUPP, errno);
	log_text(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "shared file mappings")) TH_LOG("log: %s", reason);
	/* the image ends with the error record: ckptinfo tells why */
	EXPECT_GT(lseek(img, 0, SEEK_END), 0);
	close(img);
	victim_stop(&v);
}

TEST(checkpoint_ids_increase)
{
	struct victim v;
	long a, b;
	int fd;

	ASSERT_EQ(0, victim_start(&v, "ids"));
	ASSERT_EQ(0, victim_freeze(&v));
	fd = checkpoint_to_memfd(v.pid, -1, &a);
	close(fd);
	fd = checkpoint_to_memfd(v.pid, -1, &b);
	close(fd);
	EXPECT_GT(a, 0);
	EXPECT_GT(b, a);
	victim_stop(&v);
}

TEST_HARNESS_MAIN
