/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of descriptor tables, open files and pipes
 * (fs/checkpoint.c).
 */
#ifndef _LINUX_CHECKPOINT_FS_H
#define _LINUX_CHECKPOINT_FS_H

#include <linux/checkpoint.h>

extern const struct ckpt_subsys ckpt_fs_subsys;
extern const struct ckpt_obj_ops ckpt_inode_obj_ops;
extern const struct ckpt_obj_ops ckpt_file_obj_ops;
extern const struct ckpt_obj_ops ckpt_files_obj_ops;
extern const struct ckpt_obj_ops ckpt_pipe_obj_ops;

int ckpt_collect_pipe_readers(struct ckpt_ctx *ctx, struct task_struct *root);
int checkpoint_files(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_pipe(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_file(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_fd_table(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

#endif /* _LINUX_CHECKPOINT_FS_H */
