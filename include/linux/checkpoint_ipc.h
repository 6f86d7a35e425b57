/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of the SysV IPC namespace (ipc/checkpoint_*.c),
 * semaphore undo lists (ipc/semundo.c) and POSIX message queues
 * (ipc/checkpoint_mq.c).
 */
#ifndef _LINUX_CHECKPOINT_IPC_H
#define _LINUX_CHECKPOINT_IPC_H

#include <linux/checkpoint.h>

struct file;
struct inode;
struct vm_area_struct;

#ifdef CONFIG_SYSVIPC
extern const struct ckpt_subsys ckpt_ipc_subsys;

/* For the address space and the process state of a task */
int restore_shm_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int checkpoint_shm_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma);
int restore_shm_vma(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h);
u32 ckpt_sem_undo_ref(struct ckpt_ctx *ctx, struct task_struct *task);
int ckpt_sem_undo_attach(struct ckpt_ctx *ctx, u32 objref);

/* /proc/<pid>/semundo */
int semundo_open(struct file *file, struct task_struct *task);
ssize_t semundo_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos);
int semundo_release(struct inode *inode, struct file *file);
#else
/* Without SysV IPC no task has a segment attached or an undo list */
static inline int checkpoint_shm_vma(struct ckpt_ctx *ctx,
				     struct vm_area_struct *vma)
{
	return 0;
}

static inline int restore_shm_vma(struct ckpt_ctx *ctx,
				  struct ckpt_hdr_vma *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}

static inline u32 ckpt_sem_undo_ref(struct ckpt_ctx *ctx,
				    struct task_struct *task)
{
	return 0;
}

static inline int ckpt_sem_undo_attach(struct ckpt_ctx *ctx, u32 objref)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}
#endif

#ifdef CONFIG_POSIX_MQUEUE
extern const struct ckpt_subsys ckpt_mq_subsys;

bool ckpt_mq_file(struct file *file);
int checkpoint_mq_file(struct ckpt_ctx *ctx, unsigned int fd,
		       struct file *file, int objref);
#else
static inline bool ckpt_mq_file(struct file *file)
{
	return false;
}

static inline int checkpoint_mq_file(struct ckpt_ctx *ctx, unsigned int fd,
				     struct file *file, int objref)
{
	return -EOPNOTSUPP;
}
#endif

#endif /* _LINUX_CHECKPOINT_IPC_H */
