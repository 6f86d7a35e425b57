/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of descriptor tables, open files and pipes
 * (fs/checkpoint.c); eventfd, signalfd, timerfd and epoll files
 * (fs/checkpoint_event.c).
 */
#ifndef _LINUX_CHECKPOINT_FS_H
#define _LINUX_CHECKPOINT_FS_H

#include <linux/checkpoint.h>

struct files_struct;

extern const struct ckpt_subsys ckpt_fs_subsys;
extern const struct ckpt_obj_ops ckpt_inode_obj_ops;
extern const struct ckpt_obj_ops ckpt_file_obj_ops;
extern const struct ckpt_obj_ops ckpt_files_obj_ops;
extern const struct ckpt_obj_ops ckpt_pipe_obj_ops;
int checkpoint_file_ref(struct ckpt_ctx *ctx, struct files_struct *files,
			unsigned int fd, struct file *file);

extern const struct ckpt_subsys ckpt_event_subsys;
bool ckpt_event_file(struct file *file);
int checkpoint_event_file(struct ckpt_ctx *ctx, struct files_struct *files,
			  unsigned int fd, struct file *file, int objref);

#endif /* _LINUX_CHECKPOINT_FS_H */
