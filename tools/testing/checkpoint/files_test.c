// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and pipes: a process's descriptors come back as they were
 * (numbers, sharing, flags, positions, pipe data), what is not supported
 * is refused by name, and malformed file records are rejected.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <linux/netlink.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"
#include "ckpt_round_trip.h"

#define REPORT "/tmp/ft.report"

/* ckpt_files @scenario: its descriptors after restart are those before */
static void round_trip(struct __test_metadata *_metadata, const char *scenario,
		       const char *out)
{
	helper_round_trip(_metadata, "/bin/ckpt_files", REPORT, scenario, out, "ft");
}

TEST(files_directories_devices_dups_and_gaps)
{
	round_trip(_metadata, "table", "/tmp/ft-table.out");
}

TEST(pipes_keep_their_data_capacity_and_packets)
{
	round_trip(_metadata, "pipes", "/tmp/ft-pipes.out");
}

TEST(fifo_keeps_its_data_and_modes)
{
	round_trip(_metadata, "fifo", "/tmp/ft-fifo.out");
}

TEST(eventfd_and_signalfd_come_back)
{
	round_trip(_metadata, "events", "/tmp/ft-events.out");
}

TEST(epoll_keeps_its_interest_list_and_ready_list)
{
	round_trip(_metadata, "epoll", "/tmp/ft-epoll.out");
}

TEST(timerfds_keep_their_clocks_times_and_expirations)
{
	round_trip(_metadata, "timers", "/tmp/ft-timers.out");
}

TEST(a_thousand_open_files)
{
	round_trip(_metadata, "many", "/tmp/ft-many.out");
}

/* stdin /dev/null read-write, stdout and stderr one O_APPEND log */
TEST(stdio_redirected_to_files)
{
	char cmd[256];
	char *const sh[] = { "sh", "-c", cmd, NULL };
	char *text, *before, *after;
	pid_t pid;

	unlink(REPORT);
	snprintf(cmd, sizeof(cmd),
		 "exec /bin/ckpt_files %s stdio <>/dev/null >>/tmp/ft-stdio.log 2>&1",
		 REPORT);
	pid = start_logged(sh, "/tmp/ft-sh.out", NULL);
	ASSERT_GT(pid, 0);
	text = wait_text(REPORT, "ready", 10000);
	free(text);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/ft.img"));
	pid = restart_detached("/tmp/ft.img", "/tmp/ft.pid", "/tmp/ft.detach");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	EXPECT_NE(NULL, strstr(before, "fd 0 cloexec 0 flags 0100002 pos 0 mode 020666"))
		TH_LOG("%s", before);
	EXPECT_NE(NULL, strstr(before,
			       "fd 2 cloexec 0 flags 0102001 pos 0 mode 0100644 inode-of-fd 1"))
		TH_LOG("%s", before);
	EXPECT_STREQ(before, after);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(before);
	free(after);
	free(text);
}

/* A pseudo-terminal slave is reopened by path while its master lives */
TEST(terminal_reopened_by_path)
{
	char *const prog[] = { "/bin/ckpt_files", REPORT, "stdio", NULL, NULL };
	char *text, *before, *after, *pts, line[64];
	int master;
	pid_t pid;

	unlink(REPORT);
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_GE(master, 0) TH_LOG("no /dev/ptmx: %s", strerror(errno));
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	pts = ptsname(master);
	ASSERT_NE(NULL, pts);
	((char **)prog)[3] = pts;
	pid = start_logged(prog, "/tmp/ft-tty.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/ft.img"));
	pid = restart_detached("/tmp/ft.img", "/tmp/ft.pid", "/tmp/ft.detach");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	snprintf(line, sizeof(line), "%s",
		 "fd 40 cloexec 0 flags 0100002 pos -1 mode 020600 inode-of-fd 40 rdev 0x88");
	EXPECT_NE(NULL, strstr(before, line)) TH_LOG("%s", before);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
	free(text);
	close(master);
}

/* O_DIRECT on a regular file needs a file system that has it */
TEST(o_direct_regular_file)
{
	char *text;
	int fd = open("/direct/cf-direct", O_RDWR | O_CREAT | O_DIRECT, 0644);

	/* the guest mounts an ext2 RAM disk there */
	if (fd < 0 && (errno == EINVAL || errno == ENOENT))
		SKIP(return, "%s",
		     "no file system with O_DIRECT at /direct (tmpfs in 6.1 has none)");
	ASSERT_GE(fd, 0);
	close(fd);
	round_trip(_metadata, "direct", "/tmp/ft-direct.out");
	text = file_text(REPORT);
	ASSERT_NE(NULL, text);
	/* O_DIRECT (040000) with O_RDWR and O_LARGEFILE, before and after */
	EXPECT_NE(NULL, strstr(text, "after fd 3 cloexec 0 flags 0140002"))
		TH_LOG("%s", text);
	free(text);
}

/* A log opened O_APPEND keeps growing at its end, after restart too */
TEST(append_log_after_restart)
{
	char *const prog[] = { "/bin/ckpt_files", REPORT, "append", NULL };
	char cmd[256], want[32], *text, *p;
	char *const sh[] = { "sh", "-c", cmd, NULL };
	int fd, n, last, seen;
	pid_t pid;

	(void)prog;
	unlink(REPORT);
	unlink("/tmp/ft-append.log");
	snprintf(cmd, sizeof(cmd),
		 "exec /bin/ckpt_files %s append >>/tmp/ft-append.log",
		 REPORT);
	pid = start_logged(sh, "/tmp/ft-sh.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text("/tmp/ft-append.log", "line 5\n", 10000));
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/ft.img"));
	/* someone else appends while it is gone */
	fd = open("/tmp/ft-append.log", O_WRONLY | O_APPEND);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(8, write(fd, "between\n", 8));
	close(fd);
	pid = restart_detached("/tmp/ft.img", "/tmp/ft.pid", "/tmp/ft.detach");
	ASSERT_GT(pid, 0);
	text = file_text("/tmp/ft-append.log");
	ASSERT_NE(NULL, text);
	last = -1;
	for (p = text; (p = strstr(p, "line ")); p++)
		last = atoi(p + 5);
	free(text);
	snprintf(want, sizeof(want), "line %d\n", last + 5);
	free(wait_text("/tmp/ft-append.log", want, 10000));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	usleep(100000);

	/* line 0, 1, ... each once and in order; "between" in one piece */
	text = file_text("/tmp/ft-append.log");
	ASSERT_NE(NULL, text);
	n = 0;
	seen = 0;
	for (p = text; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, "between\n", 8)) {
			seen++;
			continue;
		}
		snprintf(want, sizeof(want), "line %d\n", n);
		ASSERT_EQ(0, strncmp(p, want, strlen(want))) TH_LOG("%s", text);
		n++;
	}
	EXPECT_EQ(1, seen);
	EXPECT_GT(n, last + 4);
	free(text);
}

/* checkpoint without --kill: the pipes still hold their data after */
TEST(checkpoint_leaves_pipe_data_in_place)
{
	char *const prog[] = { "/bin/ckpt_files", REPORT, "pipes", NULL };
	char pidstr[16], *text, *out;
	char *const ckpt[] = { "checkpoint", "-o", "/tmp/ft-nd.img", pidstr, NULL };
	pid_t pid;

	unlink(REPORT);
	pid = start_logged(prog, "/tmp/ft-nd.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	ASSERT_EQ(0, run_capture(ckpt, &out));
	free(out);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Bytes @from.. of the ckpt_files pattern */
static void pattern(unsigned char *buf, size_t len, unsigned long from)
{
	size_t i;

	for (i = 0; i < len; i++, from++)
		buf[i] = (unsigned char)(from * 7 + from / 251);
}

/* Only the read end is in the tree: its data comes back, then EOF */
TEST(pipe_with_one_end_outside_the_tree)
{
	unsigned char data[12345];
	char *text, *before, *after;
	int p[2];
	pid_t pid;

	unlink(REPORT);
	ASSERT_EQ(0, pipe(p));
	pattern(data, sizeof(data), 0);
	ASSERT_EQ(sizeof(data), write(p[1], data, sizeof(data)));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		dup2(p[0], 3);
		close(p[1]);
		execl("/bin/ckpt_files", "ckpt_files", REPORT, "inherited",
		      NULL);
		_exit(127);
	}
	close(p[0]);
	text = wait_text(REPORT, "ready", 10000);
	free(text);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/ft.img"));
	close(p[1]);
	pid = restart_detached("/tmp/ft.img", "/tmp/ft.pid", "/tmp/ft.detach");
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	EXPECT_NE(NULL, strstr(before, "fd 3 cloexec 0 flags 0 pos -1 mode 010600"))
		TH_LOG("%s", before);
	EXPECT_STREQ(before, after);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(before);
	free(after);
	free(text);
}

/*
 * Blocked in read() of an empty pipe, or write() to a full one: after
 * restart the call goes on, and no byte is lost or doubled
 */
static void blocked_pipe(struct __test_metadata *_metadata, const char *mode)
{
	char *const prog[] = { "/bin/ckpt_files", REPORT, (char *)mode, NULL };
	int reading = !strcmp(mode, "block-read");
	unsigned char buf[65536 + 4096], want[65536 + 4096];
	char path[64], *text;
	ssize_t n, got = 0;
	pid_t pid;
	int fd;

	unlink(REPORT);
	pid = start_logged(prog, "/tmp/ft-block.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	usleep(200000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/ft.img"));
	pid = restart_detached("/tmp/ft.img", "/tmp/ft.pid", "/tmp/ft.detach");
	ASSERT_GT(pid, 0);
	usleep(200000);
	/* the other end, through the restored task's fd */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, reading ? 4 : 3);
	fd = open(path, reading ? O_WRONLY : O_RDONLY);
	ASSERT_GE(fd, 0);
	if (reading) {
		ASSERT_EQ(5, write(fd, "hello", 5));
		text = wait_text(REPORT, "read 5 hello", 10000);
	} else {
		while (got < 65536 + 100) {
			n = read(fd, buf + got, sizeof(buf) - got);
			ASSERT_GT(n, 0);
			got += n;
		}
		pattern(want, got, 0);
		EXPECT_EQ(0, memcmp(buf, want, got));
		text = wait_text(REPORT, "wrote 100", 10000);
	}
	close(fd);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, reading ? "read 5 hello" : "wrote 100"))
		TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
}

TEST(blocked_reading_an_empty_pipe)
{
	blocked_pipe(_metadata, "block-read");
}

TEST(blocked_writing_a_full_pipe)
{
	blocked_pipe(_metadata, "block-write");
}

/* What the child sets up at fd 7, before it is checkpointed */
enum refused {
	R_EPOLL_SOCKET, R_TIMERFD_CANCELED, R_INOTIFY, R_SOCKET,
	R_MEMFD, R_DELETED, R_PTMX, R_FLOCK, R_FLOCK_EVENTFD,
};

/* @fd, with an flock() on it */
static int flocked(int fd)
{
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int refused_fd(enum refused what)
{
	switch (what) {
	case R_TIMERFD_CANCELED: {
		struct itimerspec its = { .it_value.tv_sec = 1 << 30 };
		int fd = timerfd_create(CLOCK_REALTIME, 0);
		struct timespec now;

		/* the clock is set (to what it is): the timer is canceled */
		if (timerfd_settime(fd, TFD_TIMER_ABSTIME |
				    TFD_TIMER_CANCEL_ON_SET, &its, NULL) ||
		    clock_gettime(CLOCK_REALTIME, &now) ||
		    clock_settime(CLOCK_REALTIME, &now))
			return -1;
		return fd;
	}
	case R_EPOLL_SOCKET: {
		struct epoll_event ev = { .events = EPOLLIN };
		int ep = epoll_create1(0);
		int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

		/* the socket at fd 100 only, after the epoll file at fd 7 */
		if (dup2(s, 100) != 100 || close(s) ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, 100, &ev))
			return -1;
		return ep;
	}
	case R_INOTIFY:
		return inotify_init();
	case R_SOCKET:
		return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	case R_MEMFD:
		return memfd_create("cf", 0);
	case R_DELETED: {
		int fd = open("/tmp/ft-deleted", O_RDWR | O_CREAT, 0644);

		unlink("/tmp/ft-deleted");
		return fd;
	}
	case R_PTMX:
		return open("/dev/ptmx", O_RDWR);
	case R_FLOCK:
		return flocked(open("/tmp/ft-flock", O_RDWR | O_CREAT, 0644));
	case R_FLOCK_EVENTFD:
		return flocked(eventfd(0, 0));
	}
	return -1;
}

static void expect_refused(struct __test_metadata *_metadata,
			   enum refused what, const char *reason)
{
	struct victim v;
	char log[1024];
	int logfd, fd, ready[2];
	long ret;
	char c;

	ASSERT_EQ(0, pipe(ready));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		fd = refused_fd(what);
		if (fd < 0 || dup2(fd, 7) != 7)
			_exit(1);
		close(fd);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	/* the child closed its end: it is set up */
	ASSERT_EQ(0, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, victim_freeze(&v));
	logfd = memfd_create("log", 0);
	fd = checkpoint_to_memfd(v.pid, logfd, &ret);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EOPNOTSUPP, errno);
	ckpt_log_reason(logfd, log, sizeof(log));
	EXPECT_NE(NULL, strstr(log, reason)) TH_LOG("log: %s", log);
	close(fd);
	close(logfd);
	victim_stop(&v);
}

TEST(other_files_are_refused_by_name)
{
	expect_refused(_metadata, R_TIMERFD_CANCELED,
		       "fd 7: timerfd canceled by a clock change, not read yet: not supported");
	expect_refused(_metadata, R_EPOLL_SOCKET,
		       "fd 100: AF_NETLINK socket not supported yet");
	expect_refused(_metadata, R_INOTIFY, "fd 7: inotify not supported yet");
	expect_refused(_metadata, R_SOCKET,
		       "fd 7: AF_NETLINK socket not supported yet");
	expect_refused(_metadata, R_MEMFD,
		       "fd 7: memfd memfd:cf (deleted) not supported yet");
	expect_refused(_metadata, R_DELETED,
		       "fd 7: deleted file /tmp/ft-deleted (deleted) not supported yet");
	expect_refused(_metadata, R_PTMX,
		       "fd 7: character device 5:2 (/dev/ptmx) not supported yet");
	expect_refused(_metadata, R_FLOCK,
		       "fd 7: file locks and leases not supported yet");
	expect_refused(_metadata, R_FLOCK_EVENTFD,
		       "fd 7: file locks and leases not supported yet");
}

/* Drop CAP_BLOCK_SUSPEND from the effective set of this process */
static int drop_block_suspend(void)
{
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[1].eff &= ~(1U << (36 - 32));	/* CAP_BLOCK_SUSPEND */
	return syscall(SYS_capset, &hdr, data);
}

/* An image whose epoll target has EPOLLWAKEUP, restarted without the capability */
TEST(epollwakeup_target_needs_cap_block_suspend)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLWAKEUP };
	int ready[2], logfd, img, status, i;
	struct ckpt_hdr_epoll *e;
	char log[1024], c;
	unsigned char *buf;
	struct victim v;
	size_t len;
	long id, off;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		if (dup2(epoll_create1(0), 7) != 7 ||
		    dup2(eventfd(1, 0), 8) != 8 ||
		    epoll_ctl(7, EPOLL_CTL_ADD, 8, &ev))
			_exit(1);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(0, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, victim_freeze(&v));
	img = checkpoint_to_memfd(v.pid, -1, &id);
	victim_stop(&v);
	ASSERT_GT(id, 0);
	buf = fd_content(img, &len);
	ASSERT_NE(NULL, buf);
	off = find_record(buf, len, CKPT_HDR_EPOLL, 0);
	ASSERT_GE(off, 0);
	e = (void *)(buf + off);
	ASSERT_EQ(1, e->nr_targets);
	/* without CONFIG_PM_SLEEP, epoll_ctl() drops it even for root */
	e->targets[0].events |= EPOLLWAKEUP;
	fix_crc(buf, len);
	close(img);
	img = memfd_with(buf, len);
	free(buf);
	logfd = memfd_create("log", 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		lseek(img, 0, SEEK_SET);
		if (drop_block_suspend())
			_exit(2);
		sys_restart(0, img, RESTART_KEEP_STDIO, logfd);
		_exit(errno == EPERM ? 0 : 3);
	}
	/* a restart that went through would pause for ever */
	for (i = 0; i < 100 && waitpid(pid, &status, WNOHANG) != pid; i++)
		usleep(100000);
	EXPECT_LT(i, 100);
	if (i == 100) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	/*
	 * The epoll record comes after the address space is replaced: the
	 * failed restart kills its caller, as restart(2) says
	 */
	EXPECT_TRUE((WIFEXITED(status) && !WEXITSTATUS(status)) ||
		    (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
		TH_LOG("status %#x", status);
	ckpt_log_reason(logfd, log, sizeof(log));
	EXPECT_NE(NULL, strstr(log, "needs CAP_BLOCK_SUSPEND")) TH_LOG("log: %s", log);
	close(logfd);
	close(img);
}

/* An image with a file and a pipe, to damage */
FIXTURE(image) {
	unsigned char *img;
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	struct victim v;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
	struct itimerspec its = { .it_value.tv_sec = 100,
				  .it_interval.tv_sec = 7 };
	int p[2], ready[2], fd;
	sigset_t set;
	long id;
	char c;

	ASSERT_EQ(0, pipe(ready));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		/* whatever the test's stdio is, the image has one pipe */
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		fd = open("/tmp/ft-bad", O_RDWR | O_CREAT, 0644);
		if (fd < 0 || dup2(fd, 5) != 5 || pipe(p) ||
		    write(p[1], "0123456789", 10) != 10)
			_exit(1);
		lseek(5, 3, SEEK_SET);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		/* after the pipe, at descriptors nothing else has */
		if (dup2(eventfd(7, EFD_SEMAPHORE), 20) != 20 ||
		    dup2(signalfd(-1, &set, 0), 21) != 21 ||
		    dup2(epoll_create1(0), 22) != 22 ||
		    dup2(timerfd_create(CLOCK_BOOTTIME, 0), 23) != 23 ||
		    timerfd_settime(23, 0, &its, NULL) ||
		    epoll_ctl(22, EPOLL_CTL_ADD, p[0], &ev))
			_exit(1);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(0, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, victim_freeze(&v));
	fd = checkpoint_to_memfd(v.pid, -1, &id);
	victim_stop(&v);
	ASSERT_GT(id, 0);
	self->img = fd_content(fd, &self->len);
	close(fd);
	ASSERT_NE(NULL, self->img);
	self->logfd = memfd_create("log", 0);
}

FIXTURE_TEARDOWN(image)
{
	free(self->img);
	close(self->logfd);
}

/* restart(RESTART_VALIDATE) of the damaged image: errno and reason */
static int validate(struct _test_data_image *self, char *reason, size_t len)
{
	int fd, err = 0;

	fix_crc(self->img, self->len);
	fd = memfd_with(self->img, self->len);
	ftruncate(self->logfd, 0);
	lseek(self->logfd, 0, SEEK_SET);
	if (sys_restart(0, fd, RESTART_VALIDATE, self->logfd))
		err = errno;
	close(fd);
	ckpt_log_reason(self->logfd, reason, len);
	return err;
}

#define EXPECT_REJECTED(err, what) do {					\
	char _r[1024];							\
	EXPECT_EQ(err, validate(self, _r, sizeof(_r)));			\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

/* The file record of /tmp/ft-bad */
static struct ckpt_hdr_file *bad_file(struct _test_data_image *self)
{
	struct ckpt_hdr_file *f;
	long off;
	int i;

	for (i = 0; (off = find_record(self->img, self->len, CKPT_HDR_FILE, i)) >= 0; i++) {
		f = (void *)(self->img + off);
		if (f->path_len && !strcmp(f->path, "/tmp/ft-bad"))
			return f;
	}
	return NULL;
}

static struct ckpt_hdr_fd_table *fd_table(struct _test_data_image *self)
{
	long off = find_record(self->img, self->len, CKPT_HDR_FD_TABLE, 0);

	return off < 0 ? NULL : (void *)(self->img + off);
}

TEST_F(image, valid_image_is_accepted)
{
	char reason[1024];

	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	ASSERT_NE(NULL, bad_file(self));
	EXPECT_EQ(3, bad_file(self)->pos);
}

TEST_F(image, fd_over_the_limit)
{
	struct ckpt_hdr_fd_table *t = fd_table(self);

	ASSERT_NE(NULL, t);
	t->fds[t->nr_fds - 1].fd = 1 << 20;
	EXPECT_REJECTED(EINVAL, "is over the limit");
}

TEST_F(image, fds_out_of_order)
{
	struct ckpt_hdr_fd_table *t = fd_table(self);

	ASSERT_NE(NULL, t);
	ASSERT_GT(t->nr_fds, 1);
	t->fds[1].fd = t->fds[0].fd;
	EXPECT_REJECTED(EINVAL, "bad entry for fd");
}

TEST_F(image, negative_or_huge_position)
{
	struct ckpt_hdr_file *f = bad_file(self);

	ASSERT_NE(NULL, f);
	f->pos = -1;
	EXPECT_REJECTED(EINVAL, "bad position -1");
	f->pos = (long long)(1ULL << 63);
	EXPECT_REJECTED(EINVAL, "bad position");
}

TEST_F(image, path_that_no_longer_exists)
{
	char *const restore[] = { "sh", "-c", "restart -i /tmp/ft-gone.img 2>&1",
				  NULL };
	char *out;
	int fd;

	fd = open("/tmp/ft-gone.img", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_EQ(self->len, write(fd, self->img, self->len));
	close(fd);
	ASSERT_EQ(0, unlink("/tmp/ft-bad"));
	EXPECT_REJECTED(ENOENT, "cannot find /tmp/ft-bad");
	/* a real restore fails cleanly, naming the path */
	EXPECT_NE(0, run_logged(restore, "/tmp/ft-gone.out"));
	out = file_text("/tmp/ft-gone.out");
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "cannot open /tmp/ft-bad")) TH_LOG("%s", out);
	free(out);
}

TEST_F(image, pipe_data_longer_than_its_capacity)
{
	long off = find_record(self->img, self->len, CKPT_HDR_PIPE, 0);
	struct ckpt_hdr_pipe *p;

	ASSERT_GE(off, 0);
	p = (void *)(self->img + off);
	ASSERT_EQ(10, p->nr_bytes);
	p->size = 4096;
	p->nr_bytes = 8192;
	EXPECT_REJECTED(EINVAL, "do not match");
}

TEST_F(image, pipe_buffer_too_long)
{
	long off = find_record(self->img, self->len, CKPT_HDR_PIPE, 0);
	struct ckpt_hdr_pipe *p;

	ASSERT_GE(off, 0);
	p = (void *)(self->img + off);
	p->bufs[0].len = 11;
	EXPECT_REJECTED(EINVAL, "buffers hold 11 bytes, not 10");
}

TEST_F(image, objref_of_the_wrong_type)
{
	struct ckpt_hdr_fd_table *t = fd_table(self);
	struct ckpt_hdr_task *task;

	ASSERT_NE(NULL, t);
	task = (void *)(self->img + find_record(self->img, self->len,
						CKPT_HDR_TASK, 0));
	t->fds[0].file_ref = task->objref;
	EXPECT_REJECTED(EINVAL, "is a task, expected a file");
	t->fds[0].file_ref = 999999;
	EXPECT_REJECTED(EINVAL, "is not defined");
}

TEST_F(image, bad_file_fields)
{
	struct ckpt_hdr_file *f = bad_file(self);

	ASSERT_NE(NULL, f);
	f->type = 9;
	EXPECT_REJECTED(EINVAL, "bad type 9");
	f->type = CKPT_FILE_REG;
	f->flags |= O_CREAT;
	EXPECT_REJECTED(EINVAL, "bad type 1");
	f->flags &= ~O_CREAT;
	f->path[0] = 'x';
	EXPECT_REJECTED(EINVAL, "relative path");
	f->path[0] = '/';
	f->type = CKPT_FILE_DIR;
	EXPECT_REJECTED(EINVAL, "is not the type of file it was");
}

TEST_F(image, bad_event_file_records)
{
	long off = find_record(self->img, self->len, CKPT_HDR_EVENTFD, 0);
	struct ckpt_hdr_signalfd *sfd;
	struct ckpt_hdr_eventfd *efd;

	ASSERT_GE(off, 0);
	efd = (void *)(self->img + off);
	EXPECT_EQ(7, efd->count);
	EXPECT_EQ(CKPT_EFD_SEMAPHORE, efd->efd_flags);
	efd->count = ~0ULL;
	EXPECT_REJECTED(EINVAL, "eventfd record at offset");
	EXPECT_REJECTED(EINVAL, "bad count");
	efd->count = 7;
	efd->efd_flags = 2;
	EXPECT_REJECTED(EINVAL, "bad eventfd flags");
	efd->efd_flags = CKPT_EFD_SEMAPHORE;
	efd->reserved = 1;
	EXPECT_REJECTED(EINVAL, "bad eventfd flags");
	efd->reserved = 0;
	efd->flags = O_RDONLY;
	EXPECT_REJECTED(EINVAL, "bad flags");
	efd->flags = O_RDWR | O_CREAT;
	EXPECT_REJECTED(EINVAL, "bad flags");
	efd->flags = O_RDWR;

	off = find_record(self->img, self->len, CKPT_HDR_SIGNALFD, 0);
	ASSERT_GE(off, 0);
	sfd = (void *)(self->img + off);
	EXPECT_EQ(1ULL << (SIGUSR2 - 1), sfd->sigmask);
	sfd->sigmask |= 1ULL << (SIGKILL - 1);
	EXPECT_REJECTED(EINVAL, "signalfd record at offset");
	EXPECT_REJECTED(EINVAL, "bad signal mask");
	sfd->sigmask = 1ULL << (SIGUSR2 - 1);
	sfd->flags = O_WRONLY | O_NONBLOCK;
	EXPECT_REJECTED(EINVAL, "bad flags");
}

TEST_F(image, bad_epoll_records)
{
	long off = find_record(self->img, self->len, CKPT_HDR_EPOLL, 0);
	long pipe_off = find_record(self->img, self->len, CKPT_HDR_PIPE, 0);
	struct ckpt_epoll_target *t;
	struct ckpt_hdr_epoll *e;
	uint32_t ref, fd;

	ASSERT_GE(off, 0);
	ASSERT_GE(pipe_off, 0);
	e = (void *)(self->img + off);
	ASSERT_EQ(1, e->nr_targets);
	t = &e->targets[0];
	EXPECT_EQ(42, t->data);
	EXPECT_EQ(EPOLLIN | EPOLLERR | EPOLLHUP, t->events);
	ref = t->file_ref;
	fd = t->fd;
	/* a target that names no file, itself, or a pipe */
	t->file_ref = 999999;
	EXPECT_REJECTED(EINVAL, "objref 999999 is not defined");
	t->file_ref = e->objref;
	EXPECT_REJECTED(EINVAL, "is not defined");
	t->file_ref = ((struct ckpt_hdr_pipe *)(self->img + pipe_off))->objref;
	EXPECT_REJECTED(EINVAL, "expected a file");
	t->file_ref = ref;
	t->events |= 1U << 27;
	EXPECT_REJECTED(EINVAL, "bad target 0");
	t->events &= ~(1U << 27);
	t->flags = 2;
	EXPECT_REJECTED(EINVAL, "bad target 0");
	t->flags = 0;
	t->fd = 1U << 31;
	EXPECT_REJECTED(EINVAL, "bad target 0");
	t->fd = fd;
	e->nr_targets = 2;
	EXPECT_REJECTED(EINVAL, "2 targets in");
	e->nr_targets = 1;
	e->flags = O_WRONLY;
	EXPECT_REJECTED(EINVAL, "epoll record at offset");
	e->flags = O_RDWR;
	e->reserved = 1;
	EXPECT_REJECTED(EINVAL, "bad reserved field");
	e->reserved = 0;
	/* the image still holds */
	EXPECT_REJECTED(0, "");
}

TEST_F(image, bad_timerfd_records)
{
	long off = find_record(self->img, self->len, CKPT_HDR_TIMERFD, 0);
	struct ckpt_hdr_timerfd *t;

	ASSERT_GE(off, 0);
	t = (void *)(self->img + off);
	EXPECT_EQ(CLOCK_BOOTTIME, t->clockid);
	EXPECT_EQ(7000000000ULL, t->interval);
	EXPECT_GT(t->value, 90000000000ULL);
	EXPECT_LE(t->value, 100000000000ULL);
	t->clockid = 99;
	EXPECT_REJECTED(EINVAL, "timerfd record at offset");
	EXPECT_REJECTED(EINVAL, "bad clock");
	t->clockid = CLOCK_PROCESS_CPUTIME_ID;
	EXPECT_REJECTED(EINVAL, "bad clock");
	t->clockid = CLOCK_BOOTTIME;
	t->tfd_flags = 4;
	EXPECT_REJECTED(EINVAL, "bad timer flags");
	t->tfd_flags = 0;
	t->value = 1ULL << 63;
	EXPECT_REJECTED(EINVAL, "bad time");
	t->value = 1;
	t->interval = ~0ULL;
	EXPECT_REJECTED(EINVAL, "bad time");
	t->interval = 0;
	t->flags = O_WRONLY;
	EXPECT_REJECTED(EINVAL, "bad flags");
	t->flags = O_RDWR;
	EXPECT_REJECTED(0, "");
}

TEST_HARNESS_MAIN
