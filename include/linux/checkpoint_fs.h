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

#endif /* _LINUX_CHECKPOINT_FS_H */
