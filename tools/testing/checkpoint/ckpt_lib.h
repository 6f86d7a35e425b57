/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart tools and selftests.
 */
#ifndef CKPT_LIB_H
#define CKPT_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/checkpoint.h>
#include <linux/checkpoint_hdr.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __NR_checkpoint
#define __NR_checkpoint 451
/* The last line of a log memfd, and a copy of it appended to @path */
void ckpt_log_reason(int fd, char *buf, size_t len);
int ckpt_log_save(int from, const char *path);

#endif
#ifndef __NR_restart
#define __NR_restart 452
/* The last line of a log memfd, and a copy of it appended to @path */
void ckpt_log_reason(int fd, char *buf, size_t len);
int ckpt_log_save(int from, const char *path);

#endif

long sys_checkpoint(pid_t pid, int fd, unsigned long flags, int logfd);
long sys_restart(pid_t pid, int fd, unsigned long flags, int logfd);

/* CRC-32C as the image uses it: init ~0, final xor ~0 */
uint32_t ckpt_crc32c(uint32_t crc, const void *buf, size_t len);
uint32_t ckpt_crc32c_final(uint32_t crc);

/* Name of a record type, or NULL */
/* The name of a record type (task-begin), or NULL for an unknown type */
const char *ckpt_type_name(uint32_t type);
/* The least and most length of a record type; -1 for an unknown type */
int ckpt_type_lengths(uint32_t type, uint32_t *min, uint32_t *max);

/*
 * A tree frozen through the cgroup v2 freezer.  When the tree was not
 * frozen already, it is moved to a transient cgroup, frozen there, and
 * moved back by ckpt_thaw().
 */
struct ckpt_freezer {
	char cgdir[4096];	/* the frozen cgroup */
	char origdir[4096];	/* where the tasks came from */
	pid_t pids[4096];	/* the tasks moved */
	int npids;
	int transient;		/* we made cgdir */
	int was_frozen;		/* it was frozen before us */
};

int ckpt_freeze(pid_t pid, struct ckpt_freezer *fz, char *err, size_t errlen);
int ckpt_thaw(struct ckpt_freezer *fz, char *err, size_t errlen);
int ckpt_kill(struct ckpt_freezer *fz, pid_t pid, char *err, size_t errlen);

/* Read a whole file (or fd) into a malloc'ed buffer */
int ckpt_read_fd(int fd, unsigned char **bufp, size_t *lenp);

/* The last line of a log memfd, and a copy of it appended to @path */
void ckpt_log_reason(int fd, char *buf, size_t len);
int ckpt_log_save(int from, const char *path);

/* Reports of the test helpers: lines appended to a file the test reads */
extern const char *ckpt_report_path;
void ckpt_report(const char *fmt, ...);
int ckpt_report_fail(const char *what);
int ckpt_report_wait(const char *what, int ms);

#endif
