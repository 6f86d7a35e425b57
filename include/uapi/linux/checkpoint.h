/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: system call flags.
 *
 *   long checkpoint(pid_t pid, int fd, unsigned long flags, int logfd);
 *   long restart(pid_t pid, int fd, unsigned long flags, int logfd);
 *
 * See Documentation/checkpoint/syscalls.rst.
 */
#ifndef _UAPI_LINUX_CHECKPOINT_H
#define _UAPI_LINUX_CHECKPOINT_H

/* checkpoint() flags: none are defined yet, every bit is rejected */
#define CHECKPOINT_FLAGS_MASK	0UL

/*
 * restart() flags
 *
 * RESTART_VALIDATE: read and verify the whole image (lengths, objrefs,
 * checksum, tail) and build nothing.  Returns 0 when the image would be
 * accepted.
 */
#define RESTART_VALIDATE	(1UL << 0)

/*
 * RESTART_KEEP_STDIO: descriptors 0, 1 and 2 stay the caller's; the
 * image's files for them are checked but not installed.  For a restored
 * task whose standard streams were pipes to a process left behind.
 */
#define RESTART_KEEP_STDIO	(1UL << 1)
#define RESTART_FLAGS_MASK	(RESTART_VALIDATE | RESTART_KEEP_STDIO)

/* logfd value for "no log" */
#define CHECKPOINT_NO_LOGFD	(-1)

#endif /* _UAPI_LINUX_CHECKPOINT_H */
