/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of the state of a task: registers and FPU
 * (arch/x86/kernel/checkpoint.c); signals, process state and
 * credentials (kernel/checkpoint.c); the UTS namespace
 * (kernel/checkpoint_uts.c); a futex wait with a timeout
 * (kernel/futex/checkpoint.c).
 */
#ifndef _LINUX_CHECKPOINT_TASK_H
#define _LINUX_CHECKPOINT_TASK_H

#include <linux/checkpoint.h>

/* Registers and FPU (arch/x86/kernel/checkpoint.c) */
extern const struct ckpt_subsys ckpt_arch_subsys;

/* Signals, process state, credentials (kernel/checkpoint.c) */
extern const struct ckpt_subsys ckpt_task_subsys;

/* The UTS namespace (kernel/checkpoint_uts.c) */
extern const struct ckpt_subsys ckpt_uts_subsys;

/* A futex wait with a timeout (kernel/futex/checkpoint.c) */
#ifdef CONFIG_FUTEX
int ckpt_futex_wait_save(struct task_struct *task,
			 struct ckpt_hdr_restart_block *rb);
bool ckpt_futex_wait_check(const struct ckpt_hdr_restart_block *rb);
void ckpt_futex_wait_restore(const struct ckpt_hdr_restart_block *rb);
#else
static inline int ckpt_futex_wait_save(struct task_struct *task,
				       struct ckpt_hdr_restart_block *rb)
{
	return -EOPNOTSUPP;
}

static inline bool
ckpt_futex_wait_check(const struct ckpt_hdr_restart_block *rb)
{
	return false;
}

static inline void
ckpt_futex_wait_restore(const struct ckpt_hdr_restart_block *rb)
{
}
#endif

#endif /* _LINUX_CHECKPOINT_TASK_H */
