// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_files REPORT SCENARIO [PATH] - a process with open files, for
 * the restore tests.  PATH, if given, is opened read-write at fd 40.
 *
 * It sets up the descriptors of SCENARIO, appends a description of its
 * whole descriptor table to REPORT ("before"), prints "ready" and waits
 * for SIGUSR1.  On SIGUSR1 (after a checkpoint and restart) it appends
 * the description again ("after"), then checks what only use can tell
 * (shared offsets, pipe contents) and appends "checks ok" or the first
 * failure.  The test compares "before" and "after" line by line.
 *
 * Scenarios:
 *   table  regular files, directories, devices, dup()s, gaps, flags
 *   pipes  pipes with data: partly read, packets, full, spliced, resized
 *   fifo   a FIFO opened three ways, with data
 *   stdio  nothing but 0, 1 and 2 (the test redirects them)
 *   append write "line N" to fd 1 every 20 ms (an O_APPEND log)
 *   many   1000 regular files
 *   direct /direct/cf-direct opened O_DIRECT at fd 3
 *   inherited    fd 3 is the read end of the caller's pipe, holding 12345
 *                bytes of the pattern; nothing else of it is in the tree
 *   block-read   blocks reading the empty pipe 3 <- 4; reports what it read
 *   block-write  blocks writing 100 bytes to the full pipe 4 -> 3
 *   events an eventfd in semaphore mode (fd 3, and its dup at fd 10),
 *          one holding 0x123456789 (fd 4, O_APPEND | O_ASYNC) and a signalfd for
 *          a pending SIGUSR2 (fd 5)
 *   timers timerfds: 30 s left (fd 3), periodic fired once (fd 4), at a
 *          CLOCK_REALTIME time with TFD_TIMER_CANCEL_ON_SET (fd 5), at a
 *          CLOCK_BOOTTIME time (fd 6), disarmed (fd 7), fired, not read
 *          (fd 8)
 *   epoll  an epoll file (fd 6) watching a pipe with data (fd 3, and
 *          its dup at fd 10), its write end (fd 4), an edge-triggered
 *          eventfd whose edge was taken (fd 5), a signalfd with a signal
 *          pending (fd 7), a disarmed EPOLLONESHOT eventfd (fd 8); and
 *          an epoll file (fd 9) watching it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ckpt_lib.h"

static int go;

static void on_usr1(int sig)
{
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
}

/* Byte @i of the data the scenarios put in pipes */
static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void fill(unsigned char *buf, size_t len, unsigned long from)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(from + i);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_event(const void *a, const void *b)
{
	const struct epoll_event *x = a, *y = b;

	return x->data.u64 < y->data.u64 ? -1 : x->data.u64 > y->data.u64;
}

/* The data of what the epoll file @fd has ready, in order, on one line */
static void describe_ready(const char *when, int fd)
{
	struct epoll_event ev[32];
	char line[512];
	int i, n, len;

	n = epoll_wait(fd, ev, 32, 0);
	qsort(ev, n > 0 ? n : 0, sizeof(ev[0]), cmp_event);
	len = snprintf(line, sizeof(line), "%s fd %d ready %d:", when, fd, n);
	for (i = 0; i < n && len < (int)sizeof(line) - 40; i++)
		len += snprintf(line + len, sizeof(line) - len, " %#llx/%#x",
				(unsigned long long)ev[i].data.u64,
				ev[i].events);
	ckpt_report("%s\n", line);
}

/*
 * The lines of /proc/self/fdinfo/@fd that tell an event file's state:
 * not its pos, flags or eventfd-id, which describe() has or restart
 * does not keep.
 */
static void describe_fdinfo(const char *when, int fd)
{
	char path[64], line[256], *tfd[64], *ino;
	int i, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* a timerfd's it_value goes down: check_timers() sees it */
		if (!strncmp(line, "eventfd-count:", 14) ||
		    !strncmp(line, "sigmask:", 8) ||
		    !strncmp(line, "clockid:", 8) ||
		    !strncmp(line, "ticks:", 6) ||
		    !strncmp(line, "settime flags:", 14) ||
		    !strncmp(line, "it_interval:", 12))
			ckpt_report("%s fd %d %s", when, fd, line);
		/* an epoll target: not its inode, new for a pipe */
		ino = strstr(line, " ino:");
		if (!strncmp(line, "tfd:", 4) && ino && n < 64) {
			*ino = 0;
			tfd[n++] = strdup(line);
		}
	}
	fclose(f);
	/* in the order of the files' addresses: sort them */
	qsort(tfd, n, sizeof(tfd[0]), cmp_str);
	for (i = 0; i < n; i++) {
		ckpt_report("%s fd %d %s\n", when, fd, tfd[i]);
		free(tfd[i]);
	}
	if (n)
		describe_ready(when, fd);
}

/*
 * One line per descriptor.  Inodes are named by the first descriptor
 * that has the same one, as pipes get new inode numbers on restart.
 */
static void describe(const char *when)
{
	struct stat st[1024];
	int fdfl, fl, i, j, same, nread, size, n;
	char line[512];
	off_t pos;

	for (i = 0; i < 1024; i++) {
		fdfl = fcntl(i, F_GETFD);
		if (fdfl < 0 || fstat(i, &st[i])) {
			st[i].st_mode = 0;
			continue;
		}
		fl = fcntl(i, F_GETFL);
		pos = lseek(i, 0, SEEK_CUR);
		same = i;
		for (j = 0; j < i; j++)
			if (st[j].st_mode && st[j].st_dev == st[i].st_dev &&
			    st[j].st_ino == st[i].st_ino) {
				same = j;
				break;
			}
		nread = -1;
		size = -1;
		if (S_ISFIFO(st[i].st_mode)) {
			if (ioctl(i, FIONREAD, &nread))
				nread = -2;
			size = fcntl(i, F_GETPIPE_SZ);
		}
		n = snprintf(line, sizeof(line),
			     "%s fd %d cloexec %d flags %#o pos %lld mode %#o ",
			     when, i, fdfl & FD_CLOEXEC, fl, (long long)pos,
			     st[i].st_mode);
		snprintf(line + n, sizeof(line) - n,
			 "inode-of-fd %d rdev %#llx size %lld queued %d pipe-size %d\n",
			 same, (unsigned long long)st[i].st_rdev,
			 S_ISREG(st[i].st_mode) ? (long long)st[i].st_size : -1,
			 nread, size);
		ckpt_report("%s", line);
		describe_fdinfo(when, i);
	}
}

/* Put @fd at descriptor @at (closing what was there) */
static int move_fd(int fd, int at)
{
	if (fd < 0)
		return -1;
	if (fd == at)
		return at;
	if (dup2(fd, at) != at)
		return -1;
	close(fd);
	return at;
}

/* A pipe at descriptors @r and @w, whatever pipe2() returned */
static int pipe_at(int flags, int r, int w)
{
	int p[2], hr, hw;

	if (pipe2(p, flags))
		return -1;
	hr = fcntl(p[0], F_DUPFD, 1000);
	hw = fcntl(p[1], F_DUPFD, 1000);
	close(p[0]);
	close(p[1]);
	if (move_fd(hr, r) < 0 || move_fd(hw, w) < 0)
		return -1;
	return 0;
}

static int setup_table(void)
{
	char buf[10000];
	int fd;

	fill((unsigned char *)buf, sizeof(buf), 0);
	fd = open("/tmp/cf-data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (move_fd(fd, 3) < 0 || write(3, buf, sizeof(buf)) != sizeof(buf))
		return ckpt_report_fail("data file");
	/* the middle of a file; a dup() with close-on-exec, after a gap */
	lseek(3, 4321, SEEK_SET);
	if (dup3(3, 9, O_CLOEXEC) != 9)
		return ckpt_report_fail("dup3");
	/* the same file opened again: its own offset */
	if (move_fd(open("/tmp/cf-data", O_RDONLY), 5) < 0)
		return ckpt_report_fail("second open");
	lseek(5, 17, SEEK_SET);
	if (move_fd(open("/tmp/cf-log", O_WRONLY | O_CREAT | O_APPEND | O_TRUNC,
			 0644), 6) < 0 || write(6, "one\n", 4) != 4)
		return ckpt_report_fail("append file");
	if (move_fd(open("/tmp/cf-data", O_RDONLY | O_NONBLOCK | O_NOATIME), 7) < 0)
		return ckpt_report_fail("nonblocking file");
	if (move_fd(open("/tmp", O_RDONLY | O_DIRECTORY), 12) < 0)
		return ckpt_report_fail("directory");
	if (move_fd(open("/tmp/cf-data", O_PATH), 13) < 0)
		return ckpt_report_fail("O_PATH");
	if (move_fd(open("/dev/null", O_RDWR), 20) < 0 ||
	    move_fd(open("/dev/zero", O_RDONLY), 21) < 0 ||
	    move_fd(open("/dev/full", O_WRONLY), 22) < 0 ||
	    move_fd(open("/dev/urandom", O_RDONLY | O_CLOEXEC), 23) < 0 ||
	    move_fd(open("/dev/random", O_RDONLY), 24) < 0)
		return ckpt_report_fail("devices");
	if (move_fd(open("/tmp/cf-dir", O_RDONLY | O_DIRECTORY), 30) < 0)
		return ckpt_report_fail("second directory");
	return 0;
}

static int check_table(void)
{
	char buf[16];
	int fl, fd;

	/* 3 and 9 share one open file: offset and flags */
	if (lseek(3, 777, SEEK_SET) != 777 || lseek(9, 0, SEEK_CUR) != 777)
		return ckpt_report_fail("dup()ed descriptors do not share their offset");
	if (lseek(5, 0, SEEK_CUR) != 17)
		return ckpt_report_fail("a separate open shares an offset");
	fl = fcntl(3, F_GETFL);
	fcntl(3, F_SETFL, fl | O_NONBLOCK);
	if (!(fcntl(9, F_GETFL) & O_NONBLOCK))
		return ckpt_report_fail("dup()ed descriptors do not share their flags");
	fcntl(3, F_SETFL, fl);
	if (pread(5, buf, 4, 100) != 4 || (unsigned char)buf[0] != pattern(100))
		return ckpt_report_fail("file contents");
	/* the log still appends */
	if (lseek(6, 0, SEEK_SET) != 0 || write(6, "two\n", 4) != 4 ||
	    lseek(6, 0, SEEK_CUR) != 8)
		return ckpt_report_fail("O_APPEND");
	if (read(21, buf, 4) != 4 || buf[0] || write(22, "x", 1) != -1 ||
	    errno != ENOSPC || write(20, "x", 1) != 1)
		return ckpt_report_fail("devices");
	/* what a program does with a directory fd */
	fd = openat(12, "cf-new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || renameat(12, "cf-new", 30, "cf-moved") ||
	    unlinkat(30, "cf-moved", 0) || faccessat(12, "cf-data", R_OK, 0))
		return ckpt_report_fail("directory fds");
	close(fd);
	return 0;
}

#define PACKETS 3
static const int packet_len[PACKETS] = { 100, 4096, 7 };

static int write_pattern(int fd, size_t len, unsigned long from)
{
	unsigned char buf[65536];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		fill(buf, n, from);
		if (write(fd, buf, n) != (ssize_t)n)
			return -1;
		len -= n;
		from += n;
	}
	return 0;
}

static int setup_pipes(void)
{
	/* vmsplice()d pages stay the pipe's: never written again */
	static unsigned char buf[4096];
	struct iovec iov;
	int i, fd;

	/* 3 -> 4: 5000 bytes written, the first 100 read already */
	if (pipe_at(0, 3, 4) || write_pattern(4, 5000, 0) || read(3, buf, 100) != 100)
		return ckpt_report_fail("partly read pipe");
	/* 5 -> 6: packets; the read end non-blocking */
	if (pipe_at(O_DIRECT, 5, 6))
		return ckpt_report_fail("packet pipe");
	for (i = 0; i < PACKETS; i++)
		if (write_pattern(6, packet_len[i], i * 10000))
			return ckpt_report_fail("packets");
	fcntl(5, F_SETFL, fcntl(5, F_GETFL) | O_NONBLOCK);
	/* 7 -> 8: 1 MiB capacity, full */
	if (pipe_at(0, 7, 8) ||
	    fcntl(8, F_SETPIPE_SZ, 1 << 20) != 1 << 20 ||
	    write_pattern(8, 1 << 20, 0))
		return ckpt_report_fail("full pipe");
	fcntl(8, F_SETFL, fcntl(8, F_GETFL) | O_NONBLOCK);
	/* 10 -> 11: vmsplice()d, splice()d from a file, and tee()d */
	if (pipe_at(0, 10, 11) || pipe_at(0, 14, 15))
		return ckpt_report_fail("splice pipes");
	fill(buf, sizeof(buf), 0);
	iov.iov_base = buf;
	iov.iov_len = 3000;
	if (vmsplice(11, &iov, 1, 0) != 3000)
		return ckpt_report_fail("vmsplice");
	fd = open("/tmp/cf-splice", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_pattern(fd, 5000, 3000) || lseek(fd, 0, SEEK_SET))
		return ckpt_report_fail("splice source");
	if (splice(fd, NULL, 11, NULL, 5000, 0) != 5000)
		return ckpt_report_fail("splice");
	close(fd);
	if (tee(10, 15, 8000, 0) != 8000)
		return ckpt_report_fail("tee");
	/* the read end of the tee()d copy is all that is left of it */
	close(15);
	return 0;
}

/* Read @len bytes from @fd, and check they are the pattern from @from */
static int expect_pattern(int fd, size_t len, unsigned long from)
{
	unsigned char buf[65536], want[65536];
	ssize_t n;

	while (len) {
		n = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (n <= 0)
			return -1;
		fill(want, n, from);
		if (memcmp(buf, want, n))
			return -1;
		len -= n;
		from += n;
	}
	return 0;
}

static int check_pipes(void)
{
	char c;
	int i;

	if (expect_pattern(3, 4900, 100))
		return ckpt_report_fail("partly read pipe data");
	for (i = 0; i < PACKETS; i++) {
		unsigned char buf[8192], want[8192];

		/* a packet is read whole, and alone */
		if (read(5, buf, sizeof(buf)) != packet_len[i])
			return ckpt_report_fail("packet length");
		fill(want, packet_len[i], i * 10000);
		if (memcmp(buf, want, packet_len[i]))
			return ckpt_report_fail("packet data");
	}
	if (read(5, &c, 1) != -1 || errno != EAGAIN)
		return ckpt_report_fail("packet pipe: non-blocking read end");
	if (write(8, "x", 1) != -1 || errno != EAGAIN)
		return ckpt_report_fail("full pipe: still full, non-blocking");
	if (expect_pattern(7, 1 << 20, 0))
		return ckpt_report_fail("full pipe data");
	if (expect_pattern(10, 8000, 0) || expect_pattern(14, 8000, 0))
		return ckpt_report_fail("spliced and tee()d data");
	/* 14's writer is gone: end of file */
	if (read(14, &c, 1) != 0)
		return ckpt_report_fail("tee()d pipe without a writer");
	return 0;
}

static int setup_fifo(void)
{
	unlink("/tmp/cf-fifo");
	if (mkfifo("/tmp/cf-fifo", 0600))
		return ckpt_report_fail("mkfifo");
	if (move_fd(open("/tmp/cf-fifo", O_RDWR), 3) < 0 ||
	    move_fd(open("/tmp/cf-fifo", O_RDONLY | O_NONBLOCK), 4) < 0 ||
	    move_fd(open("/tmp/cf-fifo", O_WRONLY), 5) < 0)
		return ckpt_report_fail("FIFO opens");
	if (write_pattern(5, 3000, 0))
		return ckpt_report_fail("FIFO data");
	return 0;
}

static int check_fifo(void)
{
	char buf[2];

	if (expect_pattern(4, 3000, 0))
		return ckpt_report_fail("FIFO data after restart");
	if (write(3, "ab", 2) != 2 || read(4, buf, 2) != 2 ||
	    memcmp(buf, "ab", 2))
		return ckpt_report_fail("FIFO read-write end");
	return 0;
}

static int check_inherited(void)
{
	char c;

	if (expect_pattern(3, 12345, 0))
		return ckpt_report_fail("inherited pipe data");
	if (read(3, &c, 1) != 0)
		return ckpt_report_fail("inherited pipe: no end of file");
	return 0;
}

static int setup_many(void)
{
	char name[64];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "/tmp/cf-many-%d", i % 50);
		if (move_fd(open(name, O_RDWR | O_CREAT, 0644), 3 + i) < 0)
			return ckpt_report_fail("open");
		lseek(3 + i, i, SEEK_SET);
	}
	return 0;
}

static int check_many(void)
{
	int i;

	for (i = 0; i < 1000; i++)
		if (lseek(3 + i, 0, SEEK_CUR) != i)
			return ckpt_report_fail("position");
	return 0;
}

static int setup_events(void)
{
	uint64_t big = 0x123456789ULL;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) || raise(SIGUSR2))
		return ckpt_report_fail("pending SIGUSR2");
	if (move_fd(eventfd(5, EFD_SEMAPHORE | EFD_NONBLOCK), 3) < 0 ||
	    dup2(3, 10) != 10)
		return ckpt_report_fail("semaphore eventfd");
	if (move_fd(eventfd(0, EFD_CLOEXEC), 4) < 0 ||
	    write(4, &big, sizeof(big)) != sizeof(big) ||
	    fcntl(4, F_SETFL, O_APPEND | O_ASYNC))
		return ckpt_report_fail("eventfd");
	if (move_fd(signalfd(-1, &set, SFD_NONBLOCK), 5) < 0)
		return ckpt_report_fail("signalfd");
	return 0;
}

static int check_events(void)
{
	struct signalfd_siginfo si;
	uint64_t v;
	int i;

	for (i = 0; i < 5; i++)
		if (read(i % 2 ? 10 : 3, &v, sizeof(v)) != sizeof(v) || v != 1)
			return ckpt_report_fail("semaphore eventfd read");
	if (read(3, &v, sizeof(v)) != -1 || errno != EAGAIN)
		return ckpt_report_fail("semaphore eventfd: not empty");
	if (read(4, &v, sizeof(v)) != sizeof(v) || v != 0x123456789ULL)
		return ckpt_report_fail("eventfd count");
	v = 2;
	if (write(4, &v, sizeof(v)) != sizeof(v) ||
	    read(4, &v, sizeof(v)) != sizeof(v) || v != 2)
		return ckpt_report_fail("eventfd after restart");
	if (read(5, &si, sizeof(si)) != sizeof(si) || si.ssi_signo != SIGUSR2)
		return ckpt_report_fail("signalfd: no SIGUSR2");
	if (read(5, &si, sizeof(si)) != -1 || errno != EAGAIN)
		return ckpt_report_fail("signalfd: a second signal");
	return 0;
}

/* A timerfd at @fd on @clock, armed with @flags, @value s and @interval s */
static int timer_at(int fd, int clock, int flags, double value,
		    double interval)
{
	struct itimerspec its = { };
	struct timespec now;

	if (move_fd(timerfd_create(clock, TFD_NONBLOCK), fd) < 0)
		return -1;
	if (flags & TFD_TIMER_ABSTIME) {
		clock_gettime(clock, &now);
		value += now.tv_sec + now.tv_nsec / 1e9;
	}
	its.it_value.tv_sec = (time_t)value;
	its.it_value.tv_nsec = (long)((value - (time_t)value) * 1e9);
	its.it_interval.tv_sec = (time_t)interval;
	its.it_interval.tv_nsec = (long)((interval - (time_t)interval) * 1e9);
	return timerfd_settime(fd, flags, &its, NULL);
}

static int setup_timers(void)
{
	if (timer_at(3, CLOCK_MONOTONIC, 0, 30, 0) ||
	    timer_at(4, CLOCK_MONOTONIC, 0, 0.001, 1000) ||
	    timer_at(5, CLOCK_REALTIME,
		     TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 3600, 0) ||
	    timer_at(6, CLOCK_BOOTTIME, TFD_TIMER_ABSTIME, 60, 0) ||
	    timer_at(7, CLOCK_MONOTONIC, 0, 0, 0) ||
	    timer_at(8, CLOCK_MONOTONIC, 0, 0.001, 0))
		return ckpt_report_fail("timerfd");
	usleep(20000);
	return 0;
}

/* Fails unless timerfd @fd has between @lo and @hi s left */
static int left_between(int fd, double lo, double hi)
{
	struct itimerspec its;
	double left;

	if (timerfd_gettime(fd, &its))
		return -1;
	left = its.it_value.tv_sec + its.it_value.tv_nsec / 1e9;
	if (left < lo || left > hi) {
		ckpt_report("fd %d: %f s left, not %f..%f\n", fd, left, lo, hi);
		return -1;
	}
	return 0;
}

static int check_timers(void)
{
	uint64_t n;

	if (left_between(3, 20, 30) || left_between(4, 990, 1000) ||
	    left_between(5, 3500, 3600) || left_between(6, 50, 60) ||
	    left_between(7, 0, 0) || left_between(8, 0, 0))
		return ckpt_report_fail("time left");
	if (read(4, &n, 8) != 8 || n != 1 || read(8, &n, 8) != 8 || n != 1)
		return ckpt_report_fail("expirations not read");
	if (read(3, &n, 8) != -1 || errno != EAGAIN ||
	    read(7, &n, 8) != -1 || errno != EAGAIN)
		return ckpt_report_fail("a timer that did not fire");
	return 0;
}

/* Watch @fd from @ep for @events, with @fd + 0x1000 as data */
static int watch(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = fd + 0x1000 };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int setup_epoll(void)
{
	struct epoll_event ev[16];
	int i, n, taken = 0;
	uint64_t one = 1;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) || raise(SIGUSR2))
		return ckpt_report_fail("pending SIGUSR2");
	if (pipe_at(0, 3, 4) || write(4, "hello", 5) != 5 || dup2(3, 10) != 10)
		return ckpt_report_fail("pipe");
	if (move_fd(eventfd(0, EFD_NONBLOCK), 5) < 0 ||
	    move_fd(signalfd(-1, &set, SFD_NONBLOCK), 7) < 0 ||
	    move_fd(eventfd(0, EFD_NONBLOCK), 8) < 0 ||
	    move_fd(epoll_create1(0), 6) < 0 ||
	    move_fd(epoll_create1(EPOLL_CLOEXEC), 9) < 0)
		return ckpt_report_fail("event files");
	if (watch(6, 3, EPOLLIN) || watch(6, 10, EPOLLIN | EPOLLRDHUP) ||
	    watch(6, 4, EPOLLOUT) || watch(6, 5, EPOLLIN | EPOLLET) ||
	    watch(6, 7, EPOLLIN) || watch(6, 8, EPOLLIN | EPOLLONESHOT) ||
	    watch(9, 6, EPOLLIN))
		return ckpt_report_fail("epoll_ctl");
	/* take the edge of fd 5 and the one shot of fd 8 */
	if (write(5, &one, 8) != 8 || write(8, &one, 8) != 8)
		return ckpt_report_fail("eventfd write");
	n = epoll_wait(6, ev, 16, 0);
	for (i = 0; i < n; i++)
		if (ev[i].data.u64 == 0x1005 || ev[i].data.u64 == 0x1008)
			taken++;
	return taken == 2 ? 0 : ckpt_report_fail("edge and one-shot not taken");
}

/* The data of the first event epoll file @ep has for @fd, or 0 */
static int ready_for(int ep, int fd)
{
	struct epoll_event ev[16];
	int i, n;

	n = epoll_wait(ep, ev, 16, 0);
	for (i = 0; i < n; i++)
		if (ev[i].data.u64 == (uint64_t)fd + 0x1000)
			return 1;
	return 0;
}

static int check_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1008 };
	uint64_t one = 1;
	char buf[8];

	if (ready_for(6, 5) || ready_for(6, 8))
		return ckpt_report_fail("a taken edge or a fired one-shot is back");
	if (write(5, &one, 8) != 8 || !ready_for(6, 5) || ready_for(6, 5))
		return ckpt_report_fail("edge-triggered eventfd: no new edge");
	if (epoll_ctl(6, EPOLL_CTL_MOD, 8, &ev) || !ready_for(6, 8))
		return ckpt_report_fail("one-shot eventfd: not armed again");
	if (!ready_for(9, 6))
		return ckpt_report_fail("nested epoll: not ready");
	if (read(3, buf, 8) != 5 || memcmp(buf, "hello", 5))
		return ckpt_report_fail("pipe data");
	if (ready_for(6, 3) || ready_for(6, 10))
		return ckpt_report_fail("empty pipe still ready");
	if (write(4, "x", 1) != 1 || !ready_for(6, 3) || !ready_for(6, 10))
		return ckpt_report_fail("pipe not ready again");
	return 0;
}

static int run_blocked(const char *what)
{
	unsigned char buf[100];
	ssize_t n;

	if (pipe_at(0, 3, 4))
		return ckpt_report_fail("pipe");
	if (!strcmp(what, "block-write")) {
		fcntl(4, F_SETFL, O_NONBLOCK);
		if (write_pattern(4, 65536, 0))
			return ckpt_report_fail("filling the pipe");
		fcntl(4, F_SETFL, 0);
	}
	describe("before");
	ckpt_report("ready\n");
	if (!strcmp(what, "block-read")) {
		n = read(3, buf, sizeof(buf));
		ckpt_report("read %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	} else {
		fill(buf, sizeof(buf), 65536);
		n = write(4, buf, sizeof(buf));
		ckpt_report("wrote %zd\n", n);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *what;
	int ret = 0, n;

	if (argc != 3 && argc != 4)
		return 2;
	ckpt_report_path = argv[1];
	what = argv[2];
	if (argc == 4 && move_fd(open(argv[3], O_RDWR), 40) < 0)
		return ckpt_report_fail(argv[3]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	mkdir("/tmp/cf-dir", 0755);

	if (!strcmp(what, "table"))
		ret = setup_table();
	else if (!strcmp(what, "pipes"))
		ret = setup_pipes();
	else if (!strcmp(what, "fifo"))
		ret = setup_fifo();
	else if (!strcmp(what, "many"))
		ret = setup_many();
	else if (!strcmp(what, "direct"))
		ret = move_fd(open("/direct/cf-direct", O_RDWR | O_CREAT | O_DIRECT,
				   0644), 3) < 0 ? ckpt_report_fail("O_DIRECT") : 0;
	else if (!strcmp(what, "events"))
		ret = setup_events();
	else if (!strcmp(what, "epoll"))
		ret = setup_epoll();
	else if (!strcmp(what, "timers"))
		ret = setup_timers();
	else if (!strncmp(what, "block-", 6))
		return run_blocked(what);
	else if (strcmp(what, "stdio") && strcmp(what, "append") &&
		 strcmp(what, "inherited"))
		return 2;
	if (ret)
		return 1;
	describe("before");
	ckpt_report("ready\n");
	for (n = 0; !__atomic_load_n(&go, __ATOMIC_SEQ_CST); n++) {
		if (!strcmp(what, "append")) {
			dprintf(1, "line %d\n", n);
			usleep(20000);
		} else {
			/* not pause(): SIGUSR1 may come just before it */
			usleep(20000);
		}
	}
	describe("after");
	if (!strcmp(what, "table"))
		ret = check_table();
	else if (!strcmp(what, "pipes"))
		ret = check_pipes();
	else if (!strcmp(what, "fifo"))
		ret = check_fifo();
	else if (!strcmp(what, "many"))
		ret = check_many();
	else if (!strcmp(what, "inherited"))
		ret = check_inherited();
	else if (!strcmp(what, "events"))
		ret = check_events();
	else if (!strcmp(what, "epoll"))
		ret = check_epoll();
	else if (!strcmp(what, "timers"))
		ret = check_timers();
	if (!ret)
		ckpt_report("checks ok\n");
	return ret;
}
