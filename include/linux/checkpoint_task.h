/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of the state of a task: registers and FPU
 * (arch/x86/kernel/checkpoint.c); signals, process state and
 * credentials (kernel/checkpoint.c).
 */
#ifndef _LINUX_CHECKPOINT_TASK_H
#define _LINUX_CHECKPOINT_TASK_H

#include <linux/checkpoint.h>

/* Registers and FPU (arch/x86/kernel/checkpoint.c) */
extern const struct ckpt_subsys ckpt_arch_subsys;
int checkpoint_cpu(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_cpu(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_xstate(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_restart_block(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

/* Signals, process state, credentials (kernel/checkpoint.c) */
extern const struct ckpt_subsys ckpt_task_subsys;
int checkpoint_signals(struct ckpt_ctx *ctx, struct task_struct *task);
int checkpoint_proc(struct ckpt_ctx *ctx, struct task_struct *task);
int checkpoint_prctl(struct ckpt_ctx *ctx, struct task_struct *task);
int checkpoint_itimers(struct ckpt_ctx *ctx, struct task_struct *task);
int checkpoint_creds(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_signals(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_proc(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_prctl(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_itimers(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_creds(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

#endif /* _LINUX_CHECKPOINT_TASK_H */
