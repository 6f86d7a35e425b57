// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the checkpoint/restart tools and selftests.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ckpt_lib.h"

long sys_checkpoint(pid_t pid, int fd, unsigned long flags, int logfd)
{
	return syscall(__NR_checkpoint, pid, fd, flags, logfd);
}

long sys_restart(pid_t pid, int fd, unsigned long flags, int logfd)
{
	return syscall(__NR_restart, pid, fd, flags, logfd);
}

static uint32_t crc_table[8][256];

static void crc_init(void)
{
	uint32_t c;
	int i, j;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			crc_table[j][i] = (crc_table[j - 1][i] >> 8) ^
				crc_table[0][crc_table[j - 1][i] & 0xff];
}

uint32_t ckpt_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t v;

	if (!crc_table[0][1])
		crc_init();
	while (len >= 8) {
		memcpy(&v, p, 8);
		v ^= crc;
		crc = crc_table[7][v & 0xff] ^
		      crc_table[6][(v >> 8) & 0xff] ^
		      crc_table[5][(v >> 16) & 0xff] ^
		      crc_table[4][(v >> 24) & 0xff] ^
		      crc_table[3][(v >> 32) & 0xff] ^
		      crc_table[2][(v >> 40) & 0xff] ^
		      crc_table[1][(v >> 48) & 0xff] ^
		      crc_table[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t ckpt_crc32c_final(uint32_t crc)
{
	return ~crc;
}

/* Every record type of the image format, from linux/checkpoint_records.h */
static const struct {
	uint32_t type;
	const char *upper;
	uint32_t min_len, max_len;
} ckpt_rec_info[] = {
#define CKPT_RECORD(name, min, max) { CKPT_HDR_##name, #name, min, max },
#include <linux/checkpoint_records.h>
};

#define CKPT_NR_RECS	ARRAY_SIZE(ckpt_rec_info)

static int ckpt_rec_index(uint32_t type)
{
	unsigned int i;

	for (i = 0; i < CKPT_NR_RECS; i++)
		if (ckpt_rec_info[i].type == type)
			return i;
	return -1;
}

/* "TASK_BEGIN" is task-begin */
const char *ckpt_type_name(uint32_t type)
{
	static char names[CKPT_NR_RECS][32];
	int i = ckpt_rec_index(type);
	char *n;
	const char *u;

	if (i < 0)
		return NULL;
	n = names[i];
	if (!*n) {
		for (u = ckpt_rec_info[i].upper; *u && n < names[i] + 31; u++)
			*n++ = *u == '_' ? '-' : tolower((unsigned char)*u);
		*n = 0;
	}
	return names[i];
}

int ckpt_type_lengths(uint32_t type, uint32_t *min, uint32_t *max)
{
	int i = ckpt_rec_index(type);

	if (i < 0)
		return -1;
	*min = ckpt_rec_info[i].min_len;
	*max = ckpt_rec_info[i].max_len;
	return 0;
}

static int seterr(char *err, size_t errlen, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[4200];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int cgroup2_mount(char *mnt, size_t len)
{
	char line[4096], m[4096], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;
	char *sep;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", m) == 1) {
			snprintf(mnt, len, "%s", m);
			found = 1;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static int pid_cgroup(pid_t pid, char *path, size_t len)
{
	char file[64], buf[4096];

	snprintf(file, sizeof(file), "/proc/%d/cgroup", pid);
	if (read_str(file, buf, sizeof(buf)))
		return -1;
	if (strncmp(buf, "0::", 3))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(path, len, "%s", buf + 3);
	return 0;
}

/* Parent pid from /proc/PID/stat, or -1 */
static pid_t proc_ppid(pid_t pid, char *state)
{
	char file[64], buf[1024], *p;
	pid_t ppid;

	snprintf(file, sizeof(file), "/proc/%d/stat", pid);
	if (read_str(file, buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %d", state, &ppid) != 2)
		return -1;
	return ppid;
}

/* The tree rooted at @root: @root and all its descendants */
static int collect_tree(pid_t root, pid_t *pids, int max)
{
	int n = 0, i, changed = 1;
	struct dirent *de;
	pid_t pid, ppid;
	char state;
	DIR *d;

	pids[n++] = root;
	while (changed) {
		changed = 0;
		d = opendir("/proc");
		if (!d)
			return -1;
		while ((de = readdir(d))) {
			pid = atoi(de->d_name);
			if (pid <= 0)
				continue;
			ppid = proc_ppid(pid, &state);
			for (i = 0; i < n && pids[i] != pid; i++)
				;
			if (i < n)
				continue;
			for (i = 0; i < n && pids[i] != ppid; i++)
				;
			if (i == n)
				continue;
			if (n == max) {
				closedir(d);
				errno = E2BIG;
				return -1;
			}
			pids[n++] = pid;
			changed = 1;
		}
		closedir(d);
	}
	return n;
}

static int events_frozen(const char *dir)
{
	char path[4200], buf[512], *p;

	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	if (read_str(path, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "frozen ");
	return p ? p[7] == '1' : -1;
}

static int wait_frozen(const char *dir, int want)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (events_frozen(dir) == want)
			return 0;
		usleep(1000);
	}
	errno = ETIMEDOUT;
	return -1;
}

int ckpt_freeze(pid_t pid, struct ckpt_freezer *fz, char *err, size_t errlen)
{
	char mnt[4096], cg[4096], buf[32];
	int i;

	memset(fz, 0, sizeof(*fz));
	if (kill(pid, 0) && errno == ESRCH)
		return seterr(err, errlen, "pid %d: no such process", pid);
	if (cgroup2_mount(mnt, sizeof(mnt)))
		return seterr(err, errlen, "no cgroup v2 mount to freeze pid %d with",
			      pid);
	if (pid_cgroup(pid, cg, sizeof(cg)))
		return seterr(err, errlen, "pid %d: cannot read its cgroup", pid);
	snprintf(fz->origdir, sizeof(fz->origdir), "%s%s", mnt, cg);
	if (strcmp(cg, "/") && events_frozen(fz->origdir) == 1) {
		snprintf(fz->cgdir, sizeof(fz->cgdir), "%s", fz->origdir);
		fz->was_frozen = 1;
		return 0;
	}

	fz->npids = collect_tree(pid, fz->pids, 4096);
	if (fz->npids < 0)
		return seterr(err, errlen, "pid %d: cannot list its tree: %m", pid);
	snprintf(fz->cgdir, sizeof(fz->cgdir), "%s/checkpoint-%d-%d", mnt, pid,
		 getpid());
	if (mkdir(fz->cgdir, 0700))
		return seterr(err, errlen, "cannot create cgroup %s: %m", fz->cgdir);
	fz->transient = 1;
	for (i = 0; i < fz->npids; i++) {
		snprintf(buf, sizeof(buf), "%d", fz->pids[i]);
		if (write_str(fz->cgdir, "cgroup.procs", buf) && errno != ESRCH) {
			seterr(err, errlen, "cannot move pid %d to %s: %m",
			       fz->pids[i], fz->cgdir);
			ckpt_thaw(fz, NULL, 0);
			return -1;
		}
	}
	if (write_str(fz->cgdir, "cgroup.freeze", "1") ||
	    wait_frozen(fz->cgdir, 1)) {
		seterr(err, errlen, "cannot freeze %s: %m", fz->cgdir);
		ckpt_thaw(fz, NULL, 0);
		return -1;
	}
	return 0;
}

int ckpt_thaw(struct ckpt_freezer *fz, char *err, size_t errlen)
{
	char buf[32];
	int i, ret = 0;

	if (!fz->transient)
		return 0;	/* frozen by someone else: leave it so */
	if (write_str(fz->cgdir, "cgroup.freeze", "0"))
		ret = -1;
	for (i = 0; i < fz->npids; i++) {
		snprintf(buf, sizeof(buf), "%d", fz->pids[i]);
		write_str(fz->origdir, "cgroup.procs", buf);
	}
	for (i = 0; i < 1000 && rmdir(fz->cgdir) && errno == EBUSY; i++)
		usleep(1000);
	if (ret && err)
		seterr(err, errlen, "cannot thaw %s: %m", fz->cgdir);
	return ret;
}

int ckpt_kill(struct ckpt_freezer *fz, pid_t pid, char *err, size_t errlen)
{
	pid_t pids[4096];
	char state;
	int n, i, j;

	n = fz->npids;
	if (n)
		memcpy(pids, fz->pids, n * sizeof(pid_t));
	else
		n = collect_tree(pid, pids, 4096);
	if (n < 0)
		return seterr(err, errlen, "pid %d: cannot list its tree: %m", pid);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	/* gone, or a zombie waiting for its parent */
	for (i = 0; i < n; i++) {
		for (j = 0; j < 10000; j++) {
			if (proc_ppid(pids[i], &state) < 0 || state == 'Z' ||
			    state == 'X')
				break;
			usleep(1000);
		}
		if (j == 10000)
			return seterr(err, errlen, "pid %d did not die", pids[i]);
	}
	if (fz->transient) {
		for (i = 0; i < 1000 && rmdir(fz->cgdir) && errno == EBUSY; i++)
			usleep(1000);
	}
	return 0;
}

int ckpt_read_fd(int fd, unsigned char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	unsigned char *buf = malloc(cap), *nb;
	ssize_t n;

	if (!buf)
		return -1;
	for (;;) {
		if (len == cap) {
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* The last line the kernel logged, for the one-line reason */
void ckpt_log_reason(int fd, char *buf, size_t len)
{
	unsigned char *all;
	size_t n;
	char *p;

	buf[0] = '\0';
	if (lseek(fd, 0, SEEK_SET) || ckpt_read_fd(fd, &all, &n))
		return;
	while (n && all[n - 1] == '\n')
		n--;
	all[n] = '\0';
	p = strrchr((char *)all, '\n');
	snprintf(buf, len, "%s", p ? p + 1 : (char *)all);
	free(all);
}

int ckpt_log_save(int from, const char *path)
{
	unsigned char *all;
	size_t n;
	int fd, ret;

	if (lseek(from, 0, SEEK_SET) || ckpt_read_fd(from, &all, &n))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	ret = fd >= 0 && write(fd, all, n) == (ssize_t)n ? 0 : -1;
	if (fd >= 0)
		close(fd);
	free(all);
	return ret;
}

/* Where ckpt_report() appends, set by a helper from its arguments */
const char *ckpt_report_path;

/* Append one line to the report; a helper that cannot report exits 3 */
void ckpt_report(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fd = open(ckpt_report_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
		  0644);
	if (fd < 0 || write(fd, line, n) != n)
		exit(3);
	close(fd);
}

/* Report a failed step with errno; returns 1, a helper's exit status */
int ckpt_report_fail(const char *what)
{
	ckpt_report("FAIL %s (errno %d)\n", what, errno);
	return 1;
}

/* Whether the report holds @what, within @ms milliseconds */
int ckpt_report_wait(const char *what, int ms)
{
	char buf[8192];
	ssize_t n;
	int fd, i;

	for (i = 0; i <= ms / 20; i++) {
		n = -1;
		fd = open(ckpt_report_path, O_RDONLY | O_CLOEXEC);
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
