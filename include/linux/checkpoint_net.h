/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of Unix domain sockets (net/unix/checkpoint.c).
 */
#ifndef _LINUX_CHECKPOINT_NET_H
#define _LINUX_CHECKPOINT_NET_H

#include <linux/checkpoint.h>
#include <linux/checkpoint_fs.h>

struct files_struct;

extern const struct ckpt_subsys ckpt_unix_subsys;
int ckpt_unix_held(struct ckpt_ctx *ctx, struct file *file);
int checkpoint_unix_sock(struct ckpt_ctx *ctx, struct files_struct *files,
			 unsigned int fd, struct file *file, int objref);

#endif /* _LINUX_CHECKPOINT_NET_H */
