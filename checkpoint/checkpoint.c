// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the checkpoint flow.
 *
 * The tree must be frozen by the cgroup v2 freezer for the whole call;
 * checkpoint only reads its state and never changes it.
 */

#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "internal.h"

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

/*
 * The tree rooted at @root, breadth first (each task after its parent),
 * into @tasks, at most CKPT_TASKS_MAX: a thread-group leader is followed
 * by the other threads of its group, and each thread by its children
 * (a child's parent is the thread that made it).
 * Return: how many, or -E2BIG.
 */
static int ckpt_walk_tree(struct task_struct *root, struct task_struct **tasks)
{
	struct task_struct *child, *thread;
	unsigned int i, n = 1;

	tasks[0] = root;
	read_lock(&tasklist_lock);
	for (i = 0; i < n; i++) {
		if (thread_group_leader(tasks[i])) {
			for_each_thread(tasks[i], thread) {
				if (thread == tasks[i])
					continue;
				if (n == CKPT_TASKS_MAX)
					goto out_big;
				tasks[n++] = thread;
			}
		}
		list_for_each_entry(child, &tasks[i]->children, sibling) {
			if (n == CKPT_TASKS_MAX)
				goto out_big;
			tasks[n++] = child;
		}
	}
	for (i = 0; i < n; i++)
		get_task_struct(tasks[i]);
	read_unlock(&tasklist_lock);
	return n;

out_big:
	read_unlock(&tasklist_lock);
	return -E2BIG;
}

/* Gather the tree, with a reference on each task */
static int ckpt_gather_tree(struct ckpt_ctx *ctx)
{
	struct task_struct *task;
	unsigned int i;
	int n;

	ctx->tasks = kvcalloc(CKPT_TASKS_MAX, sizeof(*ctx->tasks),
			      GFP_KERNEL_ACCOUNT);
	if (!ctx->tasks)
		return -ENOMEM;
	n = ckpt_walk_tree(ctx->root, ctx->tasks);
	if (n < 0)
		return ckpt_err(ctx, -EOPNOTSUPP, "more than %d tasks in the tree",
				CKPT_TASKS_MAX);
	ctx->nr_tasks = n;
	for (i = 0; i < ctx->nr_tasks; i++) {
		task = ctx->tasks[i];
		if (task->exit_state)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d is a zombie: not supported",
					task_pid_vnr(task));
	}
	return 0;
}

/* The tree is the one gathered: no task came or went meanwhile */
static int ckpt_check_same_tree(struct ckpt_ctx *ctx)
{
	struct task_struct **now;
	int i, n, ret = 0;

	now = kvcalloc(CKPT_TASKS_MAX, sizeof(*now), GFP_KERNEL_ACCOUNT);
	if (!now)
		return -ENOMEM;
	n = ckpt_walk_tree(ctx->root, now);
	if (n != ctx->nr_tasks ||
	    memcmp(now, ctx->tasks, n * sizeof(*now)))
		ret = ckpt_err(ctx, -EBUSY,
			       "the tree changed during the checkpoint");
	for (i = 0; i < n; i++)
		put_task_struct(now[i]);
	kvfree(now);
	return ret;
}

/*
 * Whether @task, a thread-group leader, shares with a task outside its
 * group what restart would not share; its threads share it all
 */
static int ckpt_check_sharing(struct ckpt_ctx *ctx, struct task_struct *task)
{
	int threads = get_nr_threads(task);
	pid_t pid = task_pid_vnr(task);
	unsigned long flags;
	struct mm_struct *mm;
	bool fs, sighand, vm;

	task_lock(task);
	fs = task->fs && task->fs->users > threads;
	task_unlock(task);
	sighand = false;
	if (lock_task_sighand(task, &flags)) {
		sighand = refcount_read(&task->sighand->count) > threads;
		unlock_task_sighand(task, &flags);
	}
	mm = get_task_mm(task);
	/* its threads and us */
	vm = mm && atomic_read(&mm->mm_users) > threads + 1;
	if (mm)
		mmput(mm);
	if (vm)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d shares its address space (CLONE_VM, vfork): not supported",
				pid);
	if (sighand)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d shares its signal handlers (CLONE_SIGHAND): not supported",
				pid);
	if (fs)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d shares its working directory (CLONE_FS): not supported",
				pid);
	return 0;
}

/*
 * A thread other than its group's leader shares its leader's working
 * directory and descriptor table, as pthread_create() makes it: restart
 * makes it so
 */
static int ckpt_check_thread(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct task_struct *leader = task->group_leader;
	pid_t pid = task_pid_vnr(task);
	bool same_fs, same_files;

	task_lock(leader);
	same_fs = task->fs == leader->fs;
	same_files = task->files == leader->files;
	task_unlock(leader);
	if (!same_fs)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"thread %d has a working directory of its own (unshare(CLONE_FS)): not supported",
				pid);
	if (!same_files)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"thread %d has a descriptor table of its own (unshare(CLONE_FILES)): not supported",
				pid);
	return 0;
}

/*
 * Whether a process before @task in the tree leads process group @pgid
 * of session @sid, so that restart can make the group before @task
 * joins it
 */
static bool ckpt_group_led_before(struct ckpt_ctx *ctx,
				  struct task_struct *task, pid_t pgid, pid_t sid)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct task_struct *t;
	unsigned int i;

	for (i = 0; i < ctx->nr_tasks && ctx->tasks[i] != task; i++) {
		t = ctx->tasks[i];
		if (thread_group_leader(t) && task_pid_nr_ns(t, ns) == pgid)
			return task_pgrp_nr_ns(t, ns) == pgid &&
			       task_session_nr_ns(t, ns) == sid;
	}
	return false;
}

/*
 * Whether @task is in the namespaces of @ns and @user_ns, other than
 * the pid namespace: with @all, in every one; without, in those that
 * no record saves (network, time, cgroup, user), which a restored
 * tree gets from its restarter.  The mount namespace is not saved
 * either: restart reopens files by path in its own.
 */
static int ckpt_check_ns(struct ckpt_ctx *ctx, struct task_struct *task,
			 struct nsproxy *ns, struct user_namespace *user_ns,
			 bool all)
{
	pid_t pid = task_pid_vnr(task);
	const char *what = NULL;
	struct nsproxy *p;

	task_lock(task);
	p = task->nsproxy;
	if (!p)
		what = "";
	else if (all && p->ipc_ns != ns->ipc_ns)
		what = "IPC";
	else if (all && p->uts_ns != ns->uts_ns)
		what = "UTS";
	else if (all && p->mnt_ns != ns->mnt_ns)
		what = "mount";
	else if (p->net_ns != ns->net_ns)
		what = "network";
	else if (p->time_ns != ns->time_ns ||
		 p->time_ns_for_children != ns->time_ns_for_children)
		what = "time";
	else if (p->cgroup_ns != ns->cgroup_ns)
		what = "cgroup";
	task_unlock(task);
	if (!what && task_cred_xxx(task, user_ns) != user_ns)
		what = "user";
	if (!what)
		return 0;
	if (!*what)
		return ckpt_err(ctx, -ESRCH, "pid %d is exiting", pid);
	if (all)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in another %s namespace: not supported",
				pid, what);
	return ckpt_err(ctx, -EOPNOTSUPP,
			"pid %d is in a %s namespace of its own: not supported",
			pid, what);
}

/*
 * A task of the tree other than the root: in the root's namespaces, in
 * its parent's session unless it leads its own, and in
 * its parent's process group, one it leads, or one led by a process
 * before it in the tree, as restart can make them.
 */
static int ckpt_check_child(struct ckpt_ctx *ctx, struct task_struct *task,
			    struct nsproxy *root_ns)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct task_struct *parent;
	pid_t pid = task_pid_vnr(task);
	pid_t ppgid, psid, pgid, sid, nr;
	int ret;

	if (task_active_pid_ns(task) != ns)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d is in another pid namespace: not supported",
				pid);
	ret = ckpt_check_ns(ctx, task, root_ns,
			    task_cred_xxx(ctx->root, user_ns), true);
	if (ret)
		return ret;
	/* a thread is in its leader's group and session */
	if (!thread_group_leader(task))
		return 0;
	rcu_read_lock();
	parent = rcu_dereference(task->real_parent);
	ppgid = task_pgrp_nr_ns(parent, ns);
	psid = task_session_nr_ns(parent, ns);
	pgid = task_pgrp_nr_ns(task, ns);
	sid = task_session_nr_ns(task, ns);
	nr = task_pid_nr_ns(task, ns);
	rcu_read_unlock();
	if (sid == nr ? pgid != sid : sid != psid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: process group %d of session %d, not its parent's: not supported",
				pid, pgid, sid);
	if (pgid != ppgid && pgid != nr &&
	    !ckpt_group_led_before(ctx, task, pgid, sid))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: process group %d is led by no process before it in the tree: not supported",
				pid, pgid);
	return 0;
}

/* What this version supports: a tree of frozen processes and threads */
static int ckpt_check_task(struct ckpt_ctx *ctx, struct task_struct *task,
			   struct nsproxy *root_ns)
{
	pid_t pid = task_pid_vnr(task);
	int ret;

	if (task->flags & PF_KTHREAD)
		return ckpt_err(ctx, -EPERM, "pid %d is a kernel thread", pid);
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_err(ctx, -EPERM,
				"pid %d: not permitted to checkpoint it", pid);
	if (task == ctx->root && !thread_group_leader(task))
		return ckpt_err(ctx, -EINVAL,
				"pid %d is a thread, not a process", pid);
	ret = ckpt_check_frozen(ctx, task);
	if (ret)
		return ret;
	if (task != ctx->root) {
		ret = ckpt_check_child(ctx, task, root_ns);
		if (ret)
			return ret;
	}
	if (!thread_group_leader(task))
		return ckpt_check_thread(ctx, task);
	return ckpt_check_sharing(ctx, task);
}

static int ckpt_check_tree(struct ckpt_ctx *ctx)
{
	struct nsproxy *root_ns = NULL;
	unsigned int i;
	int ret;

	task_lock(ctx->root);
	if (ctx->root->nsproxy) {
		root_ns = ctx->root->nsproxy;
		get_nsproxy(root_ns);
	}
	task_unlock(ctx->root);
	if (!root_ns)
		return ckpt_err(ctx, -ESRCH, "pid %d is exiting",
				task_pid_vnr(ctx->root));
	/* the namespaces no record saves are the checkpointer's */
	ret = ckpt_check_ns(ctx, ctx->root, current->nsproxy,
			    current_user_ns(), false);
	if (!ret)
		ret = ckpt_check_task(ctx, ctx->root, root_ns);
	if (!ret)
		ret = ckpt_gather_tree(ctx);
	for (i = 1; i < ctx->nr_tasks && !ret; i++)
		ret = ckpt_check_task(ctx, ctx->tasks[i], root_ns);
	put_nsproxy(root_ns);
	return ret;
}

/* The tree is still frozen, and the same: nothing changed meanwhile */
static int ckpt_check_still_frozen(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = ckpt_check_frozen(ctx, ctx->tasks[i]);
	return ret ?: ckpt_check_same_tree(ctx);
}

/**
 * checkpoint_task - write the task record of a task of the tree
 * @ctx: checkpoint context
 * @task: the task, frozen, after its parent
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_task(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct task_struct *parent;
	struct ckpt_hdr_task h;
	bool first;
	int objref;

	memset(&h, 0, sizeof(h));
	objref = ckpt_obj_checkpoint(ctx, task, &ckpt_task_obj_ops, &first);
	if (objref < 0)
		return objref;
	h.objref = objref;

	/* ids as the tree sees them: in the root's pid namespace */
	rcu_read_lock();
	parent = rcu_dereference(task->real_parent);
	/* the root's parent, and its threads', is outside the tree */
	h.parent_ref = task->group_leader == ctx->root ? 0 :
		       ckpt_obj_lookup(ctx, parent, &ckpt_task_obj_ops);
	h.pid = task_pid_nr_ns(task, ns);
	h.tgid = task_tgid_nr_ns(task, ns);
	h.ppid = task_tgid_nr_ns(parent, ns);
	h.pgid = task_pgrp_nr_ns(task, ns);
	h.sid = task_session_nr_ns(task, ns);
	h.exit_signal = task->exit_signal;
	h.pdeath_signal = task->pdeath_signal;
	rcu_read_unlock();
	get_task_comm(h.comm, task);

	return ckpt_write_record(ctx, &h.h, CKPT_HDR_TASK, sizeof(h));
}

/*
 * The records of one task, after its task begin record.  A task outside
 * the root's thread group is read under its group's exec_update_lock, with the
 * permission and the freezer checked again under it: no exec of a
 * setuid program can slip in between.
 */
static int checkpoint_task_records(struct ckpt_ctx *ctx,
				   struct task_struct *task)
{
	struct rw_semaphore *exec_lock = &task->signal->exec_update_lock;
	struct ckpt_hdr_task_begin h;
	bool locked = task->signal != ctx->root->signal;
	int ret;

	/* the root's group's is held already, by ckpt_do_checkpoint() */
	if (locked) {
		ret = down_read_killable_nested(exec_lock,
						SINGLE_DEPTH_NESTING);
		if (ret)
			return ret;
		ret = ckpt_check_frozen(ctx, task);
		if (!ret && !ptrace_may_access(task,
					       PTRACE_MODE_ATTACH_REALCREDS))
			ret = ckpt_err(ctx, -EPERM,
				       "pid %d: not permitted to checkpoint it",
				       task_pid_vnr(task));
		if (ret)
			goto out_unlock;
	}
	memset(&h, 0, sizeof(h));
	h.task_ref = ckpt_obj_lookup(ctx, task, &ckpt_task_obj_ops);
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_TASK_BEGIN, sizeof(h));
	if (!ret)
		ret = ckpt_write_records(ctx, task, true);
out_unlock:
	if (locked)
		up_read(exec_lock);
	return ret;
}

/* The tree is checked: what the subsystems note before writing */
static int ckpt_prepare(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ckpt_nr_subsystems; i++) {
		if (!ckpt_subsystems[i]->prepare)
			continue;
		ret = ckpt_subsystems[i]->prepare(ctx);
		if (ret)
			return ret;
	}
	return 0;
}

static int ckpt_write_image(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int ret;

	ret = ckpt_write_header(ctx);
	if (!ret)
		ret = ckpt_write_records(ctx, ctx->root, false);
	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = checkpoint_task_records(ctx, ctx->tasks[i]);
	if (!ret)
		ret = ckpt_check_still_frozen(ctx);
	if (!ret)
		ret = ckpt_write_tail(ctx);
	return ret;
}

/**
 * ckpt_do_checkpoint - write the image of the tree rooted at @ctx->root
 * @ctx: checkpoint context
 *
 * Nothing is written if the tree cannot be checkpointed at all.  Once the
 * header is out, a failure ends the image with an error record.  The
 * root's exec_update_lock is held throughout, so that the permission
 * check stays true (as for kcmp() and mm_access()); the other tasks are
 * frozen from the check to the end, so none of them can exec.
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
	if (!ret)
		ret = ckpt_prepare(ctx);
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
