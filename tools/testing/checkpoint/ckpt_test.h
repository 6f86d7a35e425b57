/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the checkpoint/restart selftests.
 */
#ifndef CKPT_TEST_H
#define CKPT_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt_lib.h"

/* A child that spins, counting in a page shared with the test */
struct victim {
	pid_t pid;
	unsigned long *counter;
	struct ckpt_freezer fz;
	int frozen;
};

static inline unsigned long victim_count(struct victim *v)
{
	return __atomic_load_n(v->counter, __ATOMIC_RELAXED);
}

static inline int victim_start(struct victim *v, const char *comm)
{
	memset(v, 0, sizeof(*v));
	v->counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v->counter == MAP_FAILED)
		return -1;
	v->pid = fork();
	if (v->pid < 0)
		return -1;
	if (v->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, comm);
		for (;;)
			__atomic_add_fetch(v->counter, 1, __ATOMIC_RELAXED);
	}
	while (!victim_count(v))
		usleep(100);
	return 0;
}

/* A child running @argv (a static helper); no shared counter */
static inline int victim_spawn(struct victim *v, char *const argv[])
{
	memset(v, 0, sizeof(*v));
	v->pid = fork();
	if (v->pid < 0)
		return -1;
	if (v->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(argv[0], argv);
		_exit(127);
	}
	usleep(200000);
	return 0;
}

/* Offset of the @nth (from 0) record of @type in an image, or -1 */
static inline long find_record(const unsigned char *img, size_t len,
			       uint32_t type, int nth)
{
	const struct ckpt_hdr *h;
	size_t off = 0;

	while (off + sizeof(*h) <= len) {
		h = (const void *)(img + off);
		if (h->len < sizeof(*h))
			return -1;
		if (h->type == type && nth-- == 0)
			return off;
		off += h->len;
	}
	return -1;
}

static inline int victim_freeze(struct victim *v)
{
	char err[8192];

	if (ckpt_freeze(v->pid, &v->fz, err, sizeof(err))) {
		fprintf(stderr, "# freeze: %s\n", err);
		return -1;
	}
	v->frozen = 1;
	return 0;
}

static inline int victim_thaw(struct victim *v)
{
	v->frozen = 0;
	return ckpt_thaw(&v->fz, NULL, 0);
}

static inline void victim_stop(struct victim *v)
{
	if (v->pid <= 0)
		return;
	kill(v->pid, SIGKILL);
	waitpid(v->pid, NULL, 0);
	if (v->frozen)
		ckpt_thaw(&v->fz, NULL, 0);
	if (v->counter)
		munmap(v->counter, 4096);
	v->pid = 0;
}

/* Checkpoint @pid into a memfd; returns the memfd at offset 0, or -1 */
static inline int checkpoint_to_memfd(pid_t pid, int logfd, long *ret)
{
	int fd = memfd_create("image", 0);

	*ret = -1;
	if (fd < 0)
		return -1;
	*ret = sys_checkpoint(pid, fd, 0, logfd);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Whole content of @fd from offset 0 */
static inline unsigned char *fd_content(int fd, size_t *len)
{
	unsigned char *buf;

	if (lseek(fd, 0, SEEK_SET) || ckpt_read_fd(fd, &buf, len))
		return NULL;
	buf = realloc(buf, *len + 1);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

/* A memfd holding @len bytes of @buf, at offset 0 */
static inline int memfd_with(const void *buf, size_t len)
{
	int fd = memfd_create("bytes", 0);

	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Run a command, capture its stdout; returns its exit status or -1 */
static inline int run_capture(char *const argv[], char **out)
{
	int p[2], status;
	size_t len;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	if (ckpt_read_fd(p[0], (unsigned char **)out, &len))
		return -1;
	close(p[0]);
	*out = realloc(*out, len + 1);
	(*out)[len] = '\0';
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Start @argv with its output in @out; wait until it printed @ready */
static inline pid_t start_logged(char *const argv[], const char *out,
				 const char *ready)
{
	char buf[4096];
	pid_t pid;
	int fd, i;
	ssize_t n;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execvp(argv[0], argv);
		_exit(127);
	}
	for (i = 0; ready && i < 10000; i++) {
		fd = open(out, O_RDONLY);
		n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, ready))
				return pid;
		}
		usleep(1000);
	}
	return pid;
}

/*
 * Run @argv with its output in @out (not a pipe: what it leaves running
 * keeps it open); returns its exit status
 */
static inline int run_logged(char *const argv[], const char *out)
{
	int status;
	pid_t pid = start_logged(argv, out, NULL);

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The whole text of the file at @path, or NULL */
static inline char *file_text(const char *path)
{
	size_t len;
	char *t;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	t = (char *)fd_content(fd, &len);
	close(fd);
	return t;
}

/* checkpoint --kill PID -o IMG; returns the tool's exit status */
/*
 * restart --detach from @img: the restored root's pid as we see it, or
 * -1; the tool's output goes to @out
 */
static inline pid_t restart_detached(const char *img, const char *pidfile,
				     const char *out)
{
	char *const argv[] = { "restart", "--detach", "--pidfile",
			       (char *)pidfile, "-i", (char *)img, NULL };
	char *text;
	pid_t pid;

	if (run_logged(argv, out))
		return -1;
	text = file_text(pidfile);
	pid = text ? atoi(text) : -1;
	free(text);
	return pid;
}

static inline int checkpoint_kill(pid_t pid, const char *img)
{
	char pidstr[16], *out;
	char *const argv[] = { "checkpoint", "--kill", "-o", (char *)img,
			       pidstr, NULL };
	int ret;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	ret = run_capture(argv, &out);
	free(out);
	if (!ret)
		waitpid(pid, NULL, 0);
	return ret;
}

/* Lines of @text starting with @prefix, with the prefix cut off */
static inline char *lines_of(const char *text, const char *prefix)
{
	size_t plen = strlen(prefix), n = 0;
	char *out = calloc(1, strlen(text) + 1);
	const char *p = text, *e;

	while (out && *p) {
		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		if (!strncmp(p, prefix, plen)) {
			memcpy(out + n, p + plen, e - p - plen);
			n += e - p - plen;
		}
		p = e;
	}
	return out;
}

/* Wait until @path holds @what (or a failure); returns its text */
static inline char *wait_text(const char *path, const char *what, int ms)
{
	char *text = NULL;
	int i;

	for (i = 0; i < ms; i++) {
		free(text);
		text = file_text(path);
		if (text && (strstr(text, what) || strstr(text, "FAIL")))
			break;
		usleep(1000);
	}
	return text;
}

/* Recompute the tail CRC, so that only the damage under test is seen */
static inline void fix_crc(unsigned char *img, size_t len)
{
	struct ckpt_hdr_tail *t;

	t = (void *)(img + len - sizeof(*t));
	t->crc = ckpt_crc32c_final(ckpt_crc32c(~0U, img, len - sizeof(*t)));
}

#endif
