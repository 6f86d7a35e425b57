// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the checkpoint flow.
 *
 * The tree must be frozen by the cgroup v2 freezer for the whole call;
 * checkpoint only reads its state and never changes it.
 */

#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

static bool ckpt_task_frozen(struct task_struct *task)
{
	unsigned long flags;
	bool frozen = false;

	if (lock_task_sighand(task, &flags)) {
		frozen = cgroup_task_frozen(task);
		unlock_task_sighand(task, &flags);
	}
	return frozen;
}

/* What this version supports: one frozen single-threaded process */
static int ckpt_check_tree(struct ckpt_ctx *ctx)
{
	struct task_struct *task = ctx->root;
	pid_t pid = task_pid_vnr(task);
	bool children;

	if (task->flags & PF_KTHREAD)
		return ckpt_err(ctx, -EPERM, "pid %d is a kernel thread", pid);
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_err(ctx, -EPERM,
				"pid %d: not permitted to checkpoint it", pid);
	if (!thread_group_leader(task))
		return ckpt_err(ctx, -EINVAL,
				"pid %d is a thread, not a process", pid);
	if (!ckpt_task_frozen(task))
		return ckpt_err(ctx, -EBUSY,
				"pid %d is not frozen (cgroup v2 cgroup.freeze)",
				pid);
	if (get_nr_threads(task) > 1)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: multi-threaded processes not supported yet",
				pid);
	read_lock(&tasklist_lock);
	children = !list_empty(&task->children);
	read_unlock(&tasklist_lock);
	if (children)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d has children: process trees not supported yet",
				pid);
	return 0;
}

static int checkpoint_task(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ckpt_hdr_task h;
	struct task_struct *parent;
	bool first;
	int objref;

	memset(&h, 0, sizeof(h));
	objref = ckpt_obj_checkpoint(ctx, task, CKPT_OBJ_TASK, &first);
	if (objref < 0)
		return objref;
	h.objref = objref;

	rcu_read_lock();
	parent = rcu_dereference(task->real_parent);
	h.parent_ref = ckpt_obj_lookup(ctx, parent, CKPT_OBJ_TASK);
	h.pid = task_pid_vnr(task);
	h.tgid = task_tgid_vnr(task);
	h.ppid = task_tgid_vnr(parent);
	h.pgid = task_pgrp_vnr(task);
	h.sid = task_session_vnr(task);
	rcu_read_unlock();
	get_task_comm(h.comm, task);

	return ckpt_write_record(ctx, &h.h, CKPT_HDR_TASK, sizeof(h));
}

/**
 * do_checkpoint - write the image of the tree rooted at @ctx->root
 * @ctx: checkpoint context
 *
 * Nothing is written if the tree cannot be checkpointed at all.  Once the
 * header is out, a failure ends the image with an error record.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int do_checkpoint(struct ckpt_ctx *ctx)
{
	int ret;

	ret = ckpt_check_tree(ctx);
	if (ret)
		return ret;

	ret = ckpt_write_header(ctx);
	if (ret)
		goto err_image;
	ret = checkpoint_task(ctx, ctx->root);
	if (ret)
		goto err_image;
	ret = ckpt_write_tail(ctx);
	if (ret)
		goto err_image;
	return 0;

err_image:
	ckpt_write_error(ctx);
	return ret;
}
