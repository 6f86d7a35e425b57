/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of address spaces (mm/checkpoint.c).
 */
#ifndef _LINUX_CHECKPOINT_MM_H
#define _LINUX_CHECKPOINT_MM_H

#include <linux/checkpoint.h>

extern const struct ckpt_subsys ckpt_mm_subsys;
extern const struct ckpt_obj_ops ckpt_mm_obj_ops;
extern const struct ckpt_obj_ops ckpt_shmem_obj_ops;

unsigned long ckpt_vma_prot(u32 flags);

#endif /* _LINUX_CHECKPOINT_MM_H */
