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

int checkpoint_mm(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_mm(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_vma(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
unsigned long ckpt_vma_prot(u32 flags);

#endif /* _LINUX_CHECKPOINT_MM_H */
