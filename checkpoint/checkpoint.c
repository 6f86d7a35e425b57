// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the checkpoint flow.
 *
 * The tree must be frozen by the cgroup v2 freezer for the whole call;
 * checkpoint only reads its state and never changes it.
 */

#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

/*
 * Frozen by the cgroup v2 freezer: the task sits in the freezer trap and
 * its cgroup is set to stay frozen.  task->frozen alone is not enough: a
 * task stopped by SIGSTOP or by ptrace has it too, and SIGCONT or the
 * tracer could resume it in the middle of the checkpoint.
 */
static bool ckpt_task_frozen(struct task_struct *task)
{
	bool frozen;

	rcu_read_lock();
	frozen = cgroup_task_frozen(task) &&
		 test_bit(CGRP_FREEZE, &task_dfl_cgroup(task)->flags);
	rcu_read_unlock();
	return frozen;
}

static int ckpt_check_frozen(struct ckpt_ctx *ctx, struct task_struct *task)
{
	if (!ckpt_task_frozen(task))
		return ckpt_err(ctx, -EBUSY,
				"pid %d is not frozen (cgroup v2 cgroup.freeze)",
				task_pid_vnr(task));
	return 0;
}

/* What this version supports: one frozen single-threaded process */
static int ckpt_check_tree(struct ckpt_ctx *ctx)
{
	struct task_struct *task = ctx->root;
	pid_t pid = task_pid_vnr(task);
	bool children;
	int ret;

	if (task->flags & PF_KTHREAD)
		return ckpt_err(ctx, -EPERM, "pid %d is a kernel thread", pid);
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_err(ctx, -EPERM,
				"pid %d: not permitted to checkpoint it", pid);
	if (!thread_group_leader(task))
		return ckpt_err(ctx, -EINVAL,
				"pid %d is a thread, not a process", pid);
	ret = ckpt_check_frozen(ctx, task);
	if (ret)
		return ret;
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
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct task_struct *parent;
	struct ckpt_hdr_task h;
	bool first;
	int objref;

	memset(&h, 0, sizeof(h));
	objref = ckpt_obj_checkpoint(ctx, task, CKPT_OBJ_TASK, &first);
	if (objref < 0)
		return objref;
	h.objref = objref;

	/* ids as the tree sees them: in the root's pid namespace */
	rcu_read_lock();
	parent = rcu_dereference(task->real_parent);
	h.parent_ref = ckpt_obj_lookup(ctx, parent, CKPT_OBJ_TASK);
	h.pid = task_pid_nr_ns(task, ns);
	h.tgid = task_tgid_nr_ns(task, ns);
	h.ppid = task_tgid_nr_ns(parent, ns);
	h.pgid = task_pgrp_nr_ns(task, ns);
	h.sid = task_session_nr_ns(task, ns);
	rcu_read_unlock();
	get_task_comm(h.comm, task);

	return ckpt_write_record(ctx, &h.h, CKPT_HDR_TASK, sizeof(h));
}

static int ckpt_write_image(struct ckpt_ctx *ctx)
{
	int ret;

	ret = ckpt_write_header(ctx);
	if (ret)
		return ret;
	ret = checkpoint_task(ctx, ctx->root);
	if (ret)
		return ret;
	ret = checkpoint_ipc_ns(ctx, ctx->root);
	if (ret)
		return ret;
	ret = checkpoint_mm(ctx, ctx->root);
	if (ret)
		return ret;
	ret = checkpoint_cpu(ctx, ctx->root);
	if (ret)
		return ret;
	ret = checkpoint_task_state(ctx, ctx->root);
	if (ret)
		return ret;
	/* still frozen: nothing changed while we read it */
	ret = ckpt_check_frozen(ctx, ctx->root);
	if (ret)
		return ret;
	return ckpt_write_tail(ctx);
}

/**
 * ckpt_do_checkpoint - write the image of the tree rooted at @ctx->root
 * @ctx: checkpoint context
 *
 * Nothing is written if the tree cannot be checkpointed at all.  Once the
 * header is out, a failure ends the image with an error record.  The
 * root's exec_update_lock is held throughout, so that the permission
 * check stays true (as for kcmp() and mm_access()).
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_do_checkpoint(struct ckpt_ctx *ctx)
{
	struct rw_semaphore *exec_lock = &ctx->root->signal->exec_update_lock;
	int ret;

	ret = down_read_killable(exec_lock);
	if (ret)
		return ret;
	ret = ckpt_check_tree(ctx);
	if (ret)
		goto out_unlock;

	ctx->id = ckpt_next_id();
	ret = ckpt_write_image(ctx);
	if (ret) {
		if (!ctx->err)
			ckpt_err(ctx, ret, "checkpoint failed");
		ckpt_write_error(ctx);
	}
out_unlock:
	up_read(exec_lock);
	return ret;
}
