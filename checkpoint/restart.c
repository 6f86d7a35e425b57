// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the restart flow.
 *
 * The image is untrusted: every record is checked before it is used, and
 * nothing is released to run before the tail record has checked out.
 */

#include <linux/checkpoint.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fdtable.h>
#include <linux/threads.h>
#include <asm/unistd.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "internal.h"

/**
 * restore_error - an error record: the checkpoint failed
 * @ctx: restart context
 * @h: the record header
 *
 * Return: -EINVAL, with the checkpoint's reason.
 */
int restore_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	struct ckpt_hdr_error *e;
	int ret;

	e = ckpt_read_var(ctx, h);
	if (IS_ERR(e))
		return PTR_ERR(e);
	ret = ckpt_check_string(ctx, e->msg, h->len - sizeof(*e),
				"error message");
	if (!ret)
		ret = ckpt_err(ctx, -EINVAL,
			       "image records a checkpoint failure (error %d): %*pE",
			       e->err, (int)strlen(e->msg), e->msg);
	kvfree(e);
	return ret;
}

/*
 * The tree: the root first, then every task after its parent.  A child
 * is made as fork() makes it, so it is in its parent's session and
 * process group, or leads its own session.
 */
static int ckpt_check_task(struct ckpt_ctx *ctx, struct ckpt_hdr_task *h,
			   struct ckpt_task_restore *parent)
{
	struct ckpt_task_restore *leader;

	if (h->pid <= 0 || h->pid > PID_MAX_LIMIT || h->tgid != h->pid ||
	    h->ppid < 0 || h->ppid > PID_MAX_LIMIT ||
	    h->pgid < 0 || h->pgid > PID_MAX_LIMIT ||
	    h->sid < 0 || h->sid > PID_MAX_LIMIT ||
	    h->exit_signal < 0 || !valid_signal(h->exit_signal) ||
	    h->pdeath_signal < 0 || !valid_signal(h->pdeath_signal) ||
	    h->reserved || (parent && h->ppid != (parent->leader ?: parent)->pid))
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: bad ids pid %d tgid %d ppid %d pgid %d sid %d signals %d %d",
				ctx->rec_offset, h->pid, h->tgid, h->ppid,
				h->pgid, h->sid, h->exit_signal,
				h->pdeath_signal);
	if (!parent)
		return 0;
	if (h->sid == h->pid ? h->pgid != h->pid : h->sid != parent->sid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: process group %d of session %d, not its parent's: not supported",
				h->pid, h->pgid, h->sid);
	if (h->pgid == parent->pgid || h->pgid == h->pid)
		return 0;
	/* a group another process leads: it comes before, and leads it */
	leader = xa_load(&ctx->rs.pids, h->pgid);
	if (!leader || leader->leader || leader->pgid != leader->pid ||
	    leader->sid != h->sid)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: process group %d is led by no process before it in the image: not supported",
				h->pid, h->pgid);
	return 0;
}

/*
 * A thread other than its group's leader: after its leader, with its
 * leader's parent, group and session; the kernel gives it no exit signal
 */
static int ckpt_check_thread(struct ckpt_ctx *ctx, struct ckpt_hdr_task *h,
			     struct ckpt_task_restore **leaderp)
{
	struct ckpt_task_restore *leader = NULL;
	u32 parent_ref;

	if (h->tgid > 0 && h->tgid <= PID_MAX_LIMIT)
		leader = xa_load(&ctx->rs.pids, h->tgid);
	if (!leader || leader->leader)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: thread %d of group %d, which is not before it",
				ctx->rec_offset, h->pid, h->tgid);
	parent_ref = leader->parent ? leader->parent->objref : 0;
	if (h->pid <= 0 || h->pid > PID_MAX_LIMIT ||
	    h->parent_ref != parent_ref || h->ppid != leader->ppid ||
	    h->pgid != leader->pgid || h->sid != leader->sid ||
	    h->exit_signal != -1 ||
	    h->pdeath_signal < 0 || !valid_signal(h->pdeath_signal) ||
	    h->reserved)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: thread %d does not match its leader %d",
				ctx->rec_offset, h->pid, h->tgid);
	*leaderp = leader;
	return 0;
}

/**
 * restore_task - a task record: one task of the tree
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_task(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_restore_state *rs = &ctx->rs;
	struct ckpt_task_restore *t, *parent = NULL, *leader = NULL;
	struct ckpt_hdr_task h;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (rs->ntasks >= CKPT_TASKS_MAX)
		return ckpt_err(ctx, -EINVAL, "more than %d tasks",
				CKPT_TASKS_MAX);
	if (rs->ntasks && h.tgid != h.pid) {
		ret = ckpt_check_thread(ctx, &h, &leader);
		if (ret)
			return ret;
		parent = leader->parent;
		goto check_comm;
	}
	if (rs->ntasks && !h.parent_ref)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: pid %d has no parent in the image",
				ctx->rec_offset, h.pid);
	if (h.parent_ref) {
		parent = ckpt_obj_fetch(ctx, h.parent_ref, &ckpt_task_obj_ops);
		if (IS_ERR(parent))
			return PTR_ERR(parent);
	}
	ret = ckpt_check_task(ctx, &h, parent);
check_comm:
	if (!ret)
		ret = ckpt_check_string(ctx, h.comm, sizeof(h.comm), "comm");
	if (ret)
		return ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->ctx = ctx;
	t->index = rs->ntasks;
	t->objref = h.objref;
	t->parent = parent;
	t->leader = leader;
	t->pid = h.pid;
	t->ppid = h.ppid;
	t->pgid = h.pgid;
	t->sid = h.sid;
	t->exit_signal = h.exit_signal;
	t->pdeath_signal = h.pdeath_signal;
	memcpy(t->comm, h.comm, sizeof(t->comm));
	ret = ckpt_obj_insert(ctx, t, h.objref, &ckpt_task_obj_ops);
	if (ret) {
		kfree(t);
		return ret;
	}
	/* the objhash owns it: these only index it */
	ret = xa_insert(&rs->pids, t->pid, t, GFP_KERNEL_ACCOUNT);
	if (ret == -EBUSY)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: pid %d comes twice",
				ctx->rec_offset, t->pid);
	if (!ret)
		ret = xa_insert(&rs->tasks, t->index, t, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	if (leader)
		leader->nr_threads++;
	else if (parent)
		parent->nr_children++;
	rs->ntasks++;
	return 0;
}

/* Free what restart kept of a task of the image (objhash restored) */
static void ckpt_task_free(void *ptr)
{
	struct ckpt_task_restore *t = ptr;
	unsigned int i;

	for (i = 0; i < ckpt_nr_subsystems; i++)
		if (ckpt_subsystems[i]->task_free)
			ckpt_subsystems[i]->task_free(t);
	put_pid(t->spid);
	kfree(t);
}

static void ckpt_task_grab(void *ptr)
{
	get_task_struct(ptr);
}

static void ckpt_task_drop(void *ptr)
{
	put_task_struct(ptr);
}

/* A task_struct on checkpoint, a struct ckpt_task_restore on restart */
const struct ckpt_obj_ops ckpt_task_obj_ops = {
	.name = "task",
	.grab = ckpt_task_grab,
	.drop = ckpt_task_drop,
	.restored = ckpt_task_free,
};

/*
 * The first, in image order, of the required records of a scope of
 * order below @order that @seen lacks; or NULL.  @t: the task whose
 * records they are, NULL for the image scope.
 */
static const struct ckpt_record *
ckpt_missing(const unsigned long *seen, struct ckpt_task_restore *t,
	     unsigned int order)
{
	bool task = t;
	const struct ckpt_record *rec, *first = NULL;
	const struct ckpt_rec_place *place;
	unsigned int i;

	for (i = 0; i < CKPT_REC_NR; i++) {
		rec = ckpt_record_get(i);
		if (!rec || !(rec->flags & CKPT_REC_REQUIRED) ||
		    rec->flags & CKPT_REC_ANYWHERE ||
		    (t && t->leader && rec->flags & CKPT_REC_PROCESS))
			continue;
		place = task ? &rec->task : &rec->image;
		if (!place->restore || test_bit(i, seen) ||
		    ckpt_record_order(rec, place) >= order)
			continue;
		first = rec;
		order = ckpt_record_order(rec, place);
	}
	return first;
}

/* After the records of @t: everything the task needs was there */
static int ckpt_task_complete(struct ckpt_ctx *ctx, struct ckpt_task_restore *t)
{
	const struct ckpt_record *missing;
	unsigned int i;
	int ret;

	for (i = 0; i < ckpt_nr_subsystems; i++) {
		if (!ckpt_subsystems[i]->task_done)
			continue;
		ret = ckpt_subsystems[i]->task_done(ctx, t);
		if (ret)
			return ret;
	}
	missing = ckpt_missing(t->scope.seen, t, UINT_MAX);
	if (missing)
		return ckpt_err(ctx, -EINVAL,
				"pid %d: its records end before its %s", t->pid,
				missing->what);
	return 0;
}

/* The records of the image as a whole end: they must be complete */
static int ckpt_image_complete(struct ckpt_ctx *ctx)
{
	const struct ckpt_record *missing;
	unsigned int i;
	int ret;

	missing = ckpt_missing(ctx->rs.scope.seen, NULL, UINT_MAX);
	if (missing)
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld out of place: the image has no %s before it",
				ctx->rec_offset, missing->name);
	for (i = 0; i < ckpt_nr_subsystems; i++) {
		if (!ckpt_subsystems[i]->image_done)
			continue;
		ret = ckpt_subsystems[i]->image_done(ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The records of the next task begin: those of the one before must be
 * complete.  Return: that task, or an ERR_PTR.
 */
static struct ckpt_task_restore *
restore_task_begin(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_task_begin h;
	struct ckpt_task_restore *t;
	unsigned int next = ctx->ts ? ctx->ts->index + 1 : 0;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ERR_PTR(ret);
	if (h.reserved)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"task begin record at offset %lld: reserved field set",
					ctx->rec_offset));
	t = ckpt_obj_fetch(ctx, h.task_ref, &ckpt_task_obj_ops);
	if (IS_ERR(t))
		return t;
	if (t->index != next)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"task begin record at offset %lld: pid %d out of place",
					ctx->rec_offset, t->pid));
	ret = ctx->ts ? ckpt_task_complete(ctx, ctx->ts) :
			ckpt_image_complete(ctx);
	if (ret)
		return ERR_PTR(ret);
	t->begun = true;
	return t;
}

/* Whether the record may come here, in its scope: its order, once */
static int ckpt_record_place(struct ckpt_ctx *ctx, unsigned int idx,
			     const struct ckpt_rec_place *place)
{
	const struct ckpt_record *rec = ckpt_record_get(idx);
	unsigned int order = ckpt_record_order(rec, place);
	const struct ckpt_subsys *ss = ckpt_record_subsys(idx);
	struct ckpt_task_restore *t = ctx->ts;
	struct ckpt_rec_scope *scope = t ? &t->scope : &ctx->rs.scope;
	const struct ckpt_record *missing;
	int ret;

	if (order < scope->order ||
	    (rec->flags & CKPT_REC_ONCE && test_bit(idx, scope->seen)))
		return ckpt_err(ctx, -EINVAL,
				"%s record at offset %lld out of place",
				rec->name, ctx->rec_offset);
	if (order > scope->order) {
		missing = ckpt_missing(scope->seen, t, order);
		if (missing)
			return ckpt_err(ctx, -EINVAL,
					"%s record at offset %lld out of place: no %s record before it",
					rec->name, ctx->rec_offset,
					missing->name);
	}
	/* the records of the task's last subsystem end */
	if (t && t->subsys && t->subsys != ss &&
	    t->subsys->task_done) {
		ret = t->subsys->task_done(ctx, t);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One record other than the header, the tail and a task begin, through
 * the record table: its place and length are checked here, then the
 * subsystem reads it.
 */
static int restore_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	int idx = ckpt_record_find(h->type);
	struct ckpt_task_restore *t = ctx->ts;
	const struct ckpt_rec_place *place;
	const struct ckpt_record *rec;
	struct ckpt_rec_scope *scope;
	u64 fixed[8];
	u32 min, max;
	int ret;

	if (idx < 0)
		return ckpt_err(ctx, -EINVAL,
				"unknown record type %u at offset %lld",
				h->type, ctx->rec_offset);
	rec = ckpt_record_get(idx);
	if (!rec)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"record type %u at offset %lld: not supported by this kernel",
				h->type, ctx->rec_offset);
	if (idx == CKPT_REC_HEADER)
		return ckpt_err(ctx, -EINVAL,
				"second header record at offset %lld",
				ctx->rec_offset);
	place = t ? &rec->task : &rec->image;
	if (!place->restore) {
		if (!t)
			return ckpt_err(ctx, -EINVAL,
					"%s record at offset %lld before any task begin record",
					rec->name, ctx->rec_offset);
		return ckpt_err(ctx, -EINVAL,
				"%s record at offset %lld out of place",
				rec->name, ctx->rec_offset);
	}
	if (t && t->leader && rec->flags & CKPT_REC_PROCESS)
		return ckpt_err(ctx, -EINVAL,
				"%s record at offset %lld out of place: thread %d has its leader's",
				rec->name, ctx->rec_offset, t->pid);
	min = ckpt_record_min_len(idx);
	max = ckpt_record_max_len(idx);
	if (h->len < min || h->len > max)
		return ckpt_err(ctx, -EINVAL,
				"%s record at offset %lld: length %u, expected %u..%u",
				rec->name, ctx->rec_offset, h->len, min, max);
	if (!(rec->flags & CKPT_REC_ANYWHERE)) {
		ret = ckpt_record_place(ctx, idx, place);
		if (ret)
			return ret;
	}
	if (rec->flags & CKPT_REC_STREAM) {
		/* the fixed part; the subsystem reads the rest */
		if (min > sizeof(fixed))
			return -EINVAL;
		memcpy(fixed, h, sizeof(*h));
		ret = ckpt_read(ctx, (void *)fixed + sizeof(*h),
				min - sizeof(*h));
		if (!ret)
			ret = place->restore(ctx, (struct ckpt_hdr *)fixed);
	} else {
		ret = place->restore(ctx, h);
	}
	if (ret || rec->flags & CKPT_REC_ANYWHERE)
		return ret;
	scope = t ? &t->scope : &ctx->rs.scope;
	__set_bit(idx, scope->seen);
	scope->order = ckpt_record_order(rec, place);
	if (t)
		t->subsys = ckpt_record_subsys(idx);
	return 0;
}

/* The end of the image: the last task is complete, and so is the tree */
static int restore_tail(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	struct ckpt_task_restore *t = ctx->ts;
	unsigned int i;
	int ret;

	ret = ckpt_read_tail(ctx, h);
	if (ret)
		return ret;
	if (!ctx->rs.ntasks)
		return ckpt_err(ctx, -EINVAL, "image holds no task");
	if (!t || t->index != ctx->rs.ntasks - 1) {
		t = xa_load(&ctx->rs.tasks, t ? t->index + 1 : 0);
		return ckpt_err(ctx, -EINVAL,
				"image ends before the records of pid %d",
				t->pid);
	}
	ret = ckpt_task_complete(ctx, t);
	if (ret || !ckpt_restoring(ctx))
		return ret;
	/* every address space is complete: every segment attached */
	for (i = 0; i < ckpt_nr_subsystems; i++)
		if (ckpt_subsystems[i]->finish)
			ckpt_subsystems[i]->finish(ctx);
	return 0;
}

/* Kill every task restart made: one that waits, or reads the image */
static void ckpt_kill_made(struct ckpt_ctx *ctx)
{
	struct ckpt_task_restore *t;
	unsigned long i;

	/* a thread dies with its group, or ends itself (the root's) */
	xa_for_each_start(&ctx->rs.tasks, i, t, 1)
		if (!t->leader && READ_ONCE(t->spid))
			kill_pid(READ_ONCE(t->spid), SIGKILL, 1);
}

/*
 * End the restart with @err, unless every task is already released.
 * The tasks restart made are killed; the root dies if it was changed.
 */
static int ckpt_fail(struct ckpt_ctx *ctx, int err)
{
	int old = READ_ONCE(ctx->state);

	/* the stream is consumed: never restart the system call */
	if (err == -ERESTARTSYS || err == -ERESTARTNOINTR ||
	    err == -ERESTARTNOHAND || err == -ERESTART_RESTARTBLOCK)
		err = -EINTR;
	while (old >= CKPT_RUNNING && old != CKPT_RELEASED) {
		if (try_cmpxchg(&ctx->state, &old, err)) {
			wake_up_all(&ctx->wait);
			ckpt_kill_made(ctx);
			break;
		}
	}
	return err;
}

static void ckpt_ctx_set_state(struct ckpt_ctx *ctx, int from, int to)
{
	if (cmpxchg(&ctx->state, from, to) == from)
		wake_up_all(&ctx->wait);
}

/* Wait for the state to leave @from; a fatal signal ends the restart */
static int ckpt_wait_state(struct ckpt_ctx *ctx, struct ckpt_task_restore *t,
			   int from)
{
	int ret;

	ret = wait_event_killable(ctx->wait, READ_ONCE(ctx->state) != from);
	if (ret && READ_ONCE(ctx->state) == from)
		ckpt_fail(ctx, ckpt_err(ctx, -EINTR,
					"pid %d was killed during restart",
					t ? t->pid : task_pid_vnr(current)));
	ret = READ_ONCE(ctx->state);
	return ret < 0 ? ret : 0;
}

/*
 * A session leader (a daemon after setsid()) leads one again, and a
 * process group leader its group, before it makes children that are in
 * them.  With @join, once every task of the image is made, a process
 * joins the group that another of the image leads.
 */
static int ckpt_task_session(struct ckpt_ctx *ctx, struct ckpt_task_restore *t,
			     bool join)
{
	int ret;

	if (t->leader || task_pid_vnr(current) != t->pid)
		return 0;
	if (t->sid == t->pid && task_session_vnr(current) != t->pid &&
	    ksys_setsid() < 0)
		ckpt_msg(ctx, "pid %d leads a process group: it stays in its session",
			 t->pid);
	if (t->sid == t->pid || task_pgrp_vnr(current) == t->pgid)
		return 0;
	if (t->pgid != t->pid && (!join || !xa_load(&ctx->rs.pids, t->pgid)))
		return 0;
	ret = ksys_setpgid(0, t->pgid);
	if (ret)
		return ckpt_err(ctx, ret, "pid %d: cannot join process group %d",
				t->pid, t->pgid);
	return 0;
}

static int ckpt_child_fn(void *arg);

/*
 * A task of the image made by the caller, with its pid of the image: a
 * child, as fork() makes it, or a thread of the caller's group, as
 * pthread_create() does
 */
static int ckpt_create_task(struct ckpt_ctx *ctx, struct ckpt_task_restore *c)
{
	pid_t set_tid = c->pid;
	struct kernel_clone_args args = {
		.flags = CLONE_UNTRACED,
		.exit_signal = c->exit_signal,
		.fn = ckpt_child_fn,
		.fn_arg = c,
		.set_tid = &set_tid,
		.set_tid_size = 1,
	};
	pid_t nr;

	/* its undo list comes from its own records */
	if (c->leader) {
		args.flags |= CLONE_VM | CLONE_FS | CLONE_FILES |
			      CLONE_SIGHAND | CLONE_THREAD;
		args.exit_signal = 0;
	}
	/* the child's reference, which it drops when it is done */
	refcount_inc(&ctx->users);
	nr = kernel_clone(&args);
	if (nr >= 0) {
		if (atomic_dec_and_test(&ctx->unborn))
			wake_up_all(&ctx->wait);
		return 0;
	}
	refcount_dec(&ctx->users);
	if (nr == -EEXIST)
		return ckpt_err(ctx, nr, "pid %d is taken", c->pid);
	/* a signal came for the caller (copy_process()) */
	if (nr == -ERESTARTNOINTR)
		return ckpt_err(ctx, -EINTR, "pid %d: a signal came as it was made",
				c->pid);
	return ckpt_err(ctx, nr, "pid %d: cannot create it", c->pid);
}

/*
 * The other threads of @t's group, made by @t, its leader, on a
 * descriptor table and fs context of the group's own
 */
static int ckpt_create_threads(struct ckpt_ctx *ctx,
			       struct ckpt_task_restore *t)
{
	struct ckpt_task_restore *c;
	unsigned int i, made = 0;
	int ret;

	if (!t->nr_threads)
		return 0;
	ret = ksys_unshare(CLONE_FILES | CLONE_FS);
	if (ret)
		return ckpt_err(ctx, ret, "pid %d: cannot unshare its files",
				t->pid);
	/* a thread comes after its leader */
	for (i = t->index + 1; made < t->nr_threads; i++) {
		if (READ_ONCE(ctx->state) < 0)
			return READ_ONCE(ctx->state);
		c = xa_load(&ctx->rs.tasks, i);
		if (c->leader != t)
			continue;
		ret = ckpt_create_task(ctx, c);
		if (ret)
			return ret;
		made++;
	}
	return 0;
}

/* The children of @t, made by @t */
static int ckpt_create_children(struct ckpt_ctx *ctx,
				struct ckpt_task_restore *t)
{
	struct ckpt_task_restore *c;
	unsigned int i, made = 0;
	int ret;

	/* a child comes after its parent */
	for (i = t->index + 1; made < t->nr_children; i++) {
		if (READ_ONCE(ctx->state) < 0)
			return READ_ONCE(ctx->state);
		c = xa_load(&ctx->rs.tasks, i);
		if (c->parent != t || c->leader)
			continue;
		ret = ckpt_create_task(ctx, c);
		if (ret)
			return ret;
		made++;
	}
	return 0;
}

/*
 * Every task of the image, made before anything is restored, so that
 * the pids the IPC objects name exist: the root makes its children,
 * each child its own.
 */
static int ckpt_make_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_task_restore *root = xa_load(&ctx->rs.tasks, 0);
	int ret;

	ctx->rs.tree_made = true;
	if (!root->nr_children && !root->nr_threads)
		return 0;
	if (current->nsproxy->pid_ns_for_children != task_active_pid_ns(current))
		return ckpt_err(ctx, -EBUSY,
				"the caller's children would be in another pid namespace (unshare(CLONE_NEWPID))");
	atomic_set(&ctx->unborn, ctx->rs.ntasks - 1);
	ret = ckpt_task_session(ctx, root, false);
	if (!ret)
		ret = ckpt_create_threads(ctx, root);
	if (!ret)
		ret = ckpt_create_children(ctx, root);
	if (ret)
		return ret;
	ret = wait_event_killable(ctx->wait, !atomic_read(&ctx->unborn) ||
				  READ_ONCE(ctx->state) < 0);
	if (ret)
		return ckpt_err(ctx, -EINTR, "pid %d was killed during restart",
				root->pid);
	return min(READ_ONCE(ctx->state), 0);
}

/*
 * Read records up to the tail, a failure, or the records of another
 * task.  With RESTART_VALIDATE the caller reads them all.
 * Return: 0 at the tail, the next task, or an ERR_PTR.
 */
static struct ckpt_task_restore *ckpt_read_records(struct ckpt_ctx *ctx,
						   unsigned int me)
{
	struct ckpt_task_restore *t;
	struct ckpt_hdr h;
	int ret;

	for (;;) {
		ret = READ_ONCE(ctx->state);
		if (ret < 0)
			return ERR_PTR(ret);
		ret = ckpt_read_hdr(ctx, &h);
		if (ret)
			return ERR_PTR(ret);
		if (h.type != CKPT_HDR_TASK && ctx->rs.ntasks &&
		    !ctx->rs.tree_made && ckpt_restoring(ctx)) {
			ret = ckpt_make_tree(ctx);
			if (ret)
				return ERR_PTR(ret);
		}
		if (h.type == CKPT_HDR_TAIL) {
			ret = restore_tail(ctx, &h);
			return ret ? ERR_PTR(ret) : NULL;
		}
		if (h.type != CKPT_HDR_TASK_BEGIN) {
			ret = restore_record(ctx, &h);
			if (ret)
				return ERR_PTR(ret);
			continue;
		}
		t = restore_task_begin(ctx, &h);
		if (IS_ERR(t) || (ckpt_restoring(ctx) && t->index != me))
			return t;
		ctx->ts = t;
	}
}

/* The last state of a restored task, once the whole image checked out */
static int ckpt_task_finish(struct ckpt_ctx *ctx, struct ckpt_task_restore *t)
{
	unsigned int i;
	int ret;

	/* the registers, then the image's files, as the last change */
	for (i = 0; i < ckpt_nr_subsystems; i++) {
		if (!ckpt_subsystems[i]->task_finish)
			continue;
		ret = ckpt_subsystems[i]->task_finish(ctx, t);
		if (ret)
			return ret;
	}
	set_task_comm(current, t->comm);
	ret = ckpt_task_session(ctx, t, true);
	if (ret)
		return ret;
	/*
	 * After the credentials, whose change clears it; the root's parent
	 * was outside the tree, and is not restored
	 */
	if (t->parent)
		current->pdeath_signal = t->pdeath_signal;
	return 0;
}

/*
 * What every task of the image does in restart(): read its records,
 * and the image's first ones for the root; wait for the tail; set up
 * its last state; and wait until all the others did too, so that they
 * are released together.
 */
static int ckpt_task_restart(struct ckpt_ctx *ctx, unsigned int me)
{
	struct ckpt_task_restore *next, *t;
	int ret;

	next = ckpt_read_records(ctx, me);
	if (IS_ERR(next))
		return ckpt_fail(ctx, PTR_ERR(next));
	t = xa_load(&ctx->rs.tasks, me);
	if (next) {
		/*
		 * The next task owns the stream once it sees this store,
		 * and with it all we read: pairs with its smp_load_acquire()
		 */
		smp_store_release(&ctx->ts, next);
		wake_up_all(&ctx->wait);
	} else {
		atomic_set(&ctx->unreleased, ctx->rs.ntasks);
		ckpt_ctx_set_state(ctx, CKPT_RUNNING, CKPT_DONE);
	}
	ret = ckpt_wait_state(ctx, t, CKPT_RUNNING);
	if (ret || !ckpt_restoring(ctx))
		return ret;

	ret = ckpt_task_finish(ctx, t);
	if (ret)
		return ckpt_fail(ctx, ret);
	if (atomic_dec_and_test(&ctx->unreleased))
		ckpt_ctx_set_state(ctx, CKPT_DONE, CKPT_RELEASED);
	return ckpt_wait_state(ctx, t, CKPT_DONE);
}

/* Whether the records of @t are next in the stream */
static bool ckpt_my_turn(struct ckpt_ctx *ctx, struct ckpt_task_restore *t)
{
	/* pairs with the smp_store_release() of the task before */
	return smp_load_acquire(&ctx->ts) == t;
}

/*
 * A task of the image other than the root, made by its parent: it waits
 * for its turn in the image, then restores itself as the root does.  It
 * goes to user space at the registers of the image, or dies.
 */
static int ckpt_child_fn(void *arg)
{
	struct ckpt_task_restore *t = arg;
	struct ckpt_ctx *ctx = t->ctx;
	bool thread;
	int ret;

	WRITE_ONCE(t->spid, get_task_pid(current, PIDTYPE_PID));
	/*
	 * Either ckpt_kill_made() sees our pid, or we see the failure in
	 * the state below: pairs with the cmpxchg() of ckpt_fail()
	 */
	smp_mb();
	ret = ckpt_task_session(ctx, t, false);
	if (!ret)
		ret = ckpt_create_threads(ctx, t);
	if (!ret)
		ret = ckpt_create_children(ctx, t);
	if (ret) {
		ckpt_fail(ctx, ret);
		goto out;
	}
	wait_event_killable(ctx->wait,
			    ckpt_my_turn(ctx, t) || READ_ONCE(ctx->state) < 0);
	if (!ckpt_my_turn(ctx, t))
		ret = ckpt_wait_state(ctx, t, CKPT_RUNNING) ?: -EINTR;
	else
		ret = ckpt_task_restart(ctx, t->index);
out:
	thread = t->leader;
	ckpt_ctx_put(ctx);
	/* a thread of the root's group must not take the root with it */
	if (ret && thread)
		do_exit(0);
	if (ret)
		force_fatal_sig(SIGKILL);
	return 0;
}

/**
 * ckpt_do_restart - read an image record by record, and restore it
 * @ctx: restart context
 *
 * With RESTART_VALIDATE every record is checked and nothing is changed.
 * Otherwise the calling task becomes the root task of the image, as with
 * execve(): once its address space is touched, a failure kills it (the
 * caller, sys_restart(), does, once the other tasks are gone).  It
 * makes the other tasks of the image, each of which restores itself in
 * turn, as the image holds them.  None goes on before all are restored.
 * On success the descriptors of each are those of the image (but 0, 1
 * and 2, which stay the caller's, with RESTART_KEEP_STDIO).
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_do_restart(struct ckpt_ctx *ctx)
{
	int ret;

	/* the address space is rebuilt in place: it must be ours alone */
	if (ckpt_restoring(ctx) &&
	    (get_nr_threads(current) > 1 || !current->mm ||
	     atomic_read(&current->mm->mm_users) > 1))
		return ckpt_err(ctx, -EBUSY,
				"the calling task shares its address space (threads, vfork)");

	ret = ckpt_read_header(ctx);
	if (ret)
		return ret;
	ret = ckpt_task_restart(ctx, 0);
	if (ret)
		return ret;
	ckpt_msg(ctx, "image %s, %lld bytes, %u tasks",
		 ckpt_restoring(ctx) ? "restored" : "is valid",
		 ckpt_stream_offset(ctx), ctx->rs.ntasks);
	return 0;
}
