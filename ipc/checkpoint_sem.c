// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of SysV semaphore sets: each set with the value,
 * the last pid and the time of every semaphore.
 */

#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_mm.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/msg.h>
#include <linux/nsproxy.h>
#include <linux/percpu_counter.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/shm.h>
#include <linux/shmem_fs.h>
#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/security.h>
#include <linux/sem.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uidgid.h>

#include "util.h"
#include "objects.h"
#include "checkpoint.h"

/**
 * checkpoint_sem_array - write a semaphore set
 * @ctx: checkpoint context
 * @perm: the set, with the ids' rwsem held
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_sem_array(struct ckpt_ctx *ctx,
			 struct kern_ipc_perm *perm)
{
	struct pid_namespace *pidns = task_active_pid_ns(ctx->root);
	struct sem_array *sma = container_of(perm, struct sem_array, sem_perm);
	struct ckpt_hdr_ipc_sem *h;
	size_t len = struct_size(h, sems, sma->sem_nsems);
	struct sem *sem;
	int i, ret;

	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	ipc_lock_object(perm);
	ckpt_ipc_perm_save(perm, &h->perm);
	h->ctime = sma->sem_ctime;
	h->nsems = sma->sem_nsems;
	for (i = 0; i < sma->sem_nsems; i++) {
		sem = &sma->sems[i];
		/* a simple semop() takes only the lock of its semaphore */
		spin_lock(&sem->lock);
		h->sems[i].semval = sem->semval;
		h->sems[i].sempid = pid_nr_ns(sem->sempid, pidns);
		h->sems[i].otime = sem->sem_otime;
		spin_unlock(&sem->lock);
	}
	ipc_unlock_object(perm);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_IPC_SEM, len);
	kvfree(h);
	return ret;
}

static int ckpt_sem_apply(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_sem *h)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	struct sem *sem;
	u32 i;
	int ret;

	ret = ckpt_ipc_may_own(ctx, ns, "sem", &h->perm);
	if (!ret)
		ret = ckpt_ipc_create(ctx, IPC_SEM_IDS, &h->perm, ksys_semget,
				      h->nsems);
	if (ret)
		return ret;
	/* new: every semop() takes the global lock, and none can run yet */
	perm = ckpt_ipc_lock(ctx, &sem_ids(ns), "sem", h->perm.id);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	sma = container_of(perm, struct sem_array, sem_perm);
	ckpt_ipc_owner(&h->perm, perm);
	for (i = 0; i < h->nsems; i++) {
		sem = &sma->sems[i];
		sem->semval = h->sems[i].semval;
		sem->sem_otime = h->sems[i].otime;
		put_pid(sem->sempid);
		sem->sempid = h->sems[i].sempid > 0 ?
			      find_get_pid(h->sems[i].sempid) : NULL;
	}
	sma->sem_ctime = h->ctime;
	ckpt_ipc_unlock(perm);
	return 0;
}

/**
 * restore_ipc_sem - create a semaphore set with its values
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_ipc_sem(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_sem *h;
	int ret;
	u32 i;

	if (ctx->rs.ipc->msg_left || !ctx->rs.ipc->sem_left)
		return ckpt_err(ctx, -EINVAL,
				"sem record at offset %lld out of place",
				ctx->rec_offset);
	ctx->rs.ipc->sem_left--;
	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_ipc_perm_check(ctx, "sem", &h->perm);
	if (!ret && (!h->nsems || h->nsems > ctx->rs.ipc->sem_semmsl))
		ret = ckpt_err(ctx, -EINVAL,
			       "sem %d: %u semaphores, over the limit of %d",
			       h->perm.id, h->nsems, ctx->rs.ipc->sem_semmsl);
	if (!ret && (h->reserved ||
		     h->h.len != struct_size(h, sems, h->nsems)))
		ret = ckpt_err(ctx, -EINVAL,
			       "sem %d: %u semaphores in %u bytes",
			       h->perm.id, h->nsems, h->h.len);
	for (i = 0; !ret && i < h->nsems; i++)
		if (h->sems[i].semval < 0 || h->sems[i].semval > SEMVMX ||
		    h->sems[i].sempid < 0)
			ret = ckpt_err(ctx, -EINVAL,
				       "sem %d: semaphore %u: bad value %d",
				       h->perm.id, i, h->sems[i].semval);
	/* for the undo list, which names sets by id */
	if (!ret)
		ret = xa_err(xa_store(&ctx->rs.ipc->sem_nsems, h->perm.id,
				      xa_mk_value(h->nsems), GFP_KERNEL_ACCOUNT));
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_sem_apply(ctx, h);
	kvfree(h);
	return ret;
}

