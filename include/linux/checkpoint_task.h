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

/* Signals, process state, credentials (kernel/checkpoint.c) */
extern const struct ckpt_subsys ckpt_task_subsys;

#endif /* _LINUX_CHECKPOINT_TASK_H */
