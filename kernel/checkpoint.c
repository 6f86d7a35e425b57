// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: signals, credentials, limits and the fs context.
 *
 * Restart applies all of it through the same paths and checks as the
 * system calls a task would use itself (sigaction, setresuid, setgroups,
 * prlimit, chdir, chroot): it grants nothing the caller did not have.
 */

#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_task.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/futex.h>
#include <linux/namei.h>
#include <linux/personality.h>
#include <linux/resource.h>
#include <linux/security.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <asm/syscall.h>

#include "uid16.h"

static void ckpt_save_action(struct ckpt_sigaction *a, struct k_sigaction *k)
{
	a->handler = (unsigned long)k->sa.sa_handler;
	a->flags = k->sa.sa_flags;
	a->restorer = (unsigned long)k->sa.sa_restorer;
	a->mask = k->sa.sa_mask.sig[0];
}

/* Queue the pending signals of @list into @h, up to the record's room */
static int ckpt_save_pending(struct ckpt_ctx *ctx, struct ckpt_hdr_signals *h,
			     struct list_head *list, bool shared)
{
	struct ckpt_siginfo *p;
	struct sigqueue *q;

	list_for_each_entry(q, list, list) {
		if (h->nr_pending == CKPT_PENDING_MAX)
			return -E2BIG;
		p = &h->pending[h->nr_pending++];
		p->signo = q->info.si_signo;
		p->shared = shared;
		memcpy(p->info, &q->info, sizeof(q->info));
	}
	return 0;
}

/*
 * The blocked mask of a task as it is outside its system call.
 * sigsuspend(), ppoll(), pselect6() and epoll_pwait() run with a mask of
 * their own and keep the task's in saved_sigmask until they return.  A
 * call that restarts sets its mask again, so the task's own is the one
 * to save.  A call on its way out with a signal to take under its mask
 * would need both masks: that is refused.  Called under the siglock.
 */
static int ckpt_blocked_mask(struct task_struct *task, u64 *mask)
{
	struct pt_regs *regs = task_pt_regs(task);
	long err = syscall_get_error(task, regs);
	sigset_t pending;

	*mask = task->blocked.sig[0];
	if (!test_tsk_restore_sigmask(task))
		return 0;
	*mask = task->saved_sigmask.sig[0];
	if (syscall_get_nr(task, regs) >= 0 && err <= -ERESTARTSYS &&
	    err >= -ERESTART_RESTARTBLOCK)
		return 0;
	sigorsets(&pending, &task->pending.signal,
		  &task->signal->shared_pending.signal);
	sigandnsets(&pending, &pending, &task->blocked);
	return sigisemptyset(&pending) ? 0 : -EOPNOTSUPP;
}

/**
 * checkpoint_signals - write the signal state of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * Its actions, blocked mask, sigaltstack and pending signals with their
 * siginfo; a thread group's shared pending signals are written with its
 * leader's.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_signals(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ckpt_hdr_signals *h;
	unsigned long flags;
	size_t len;
	int i, ret = -ESRCH;

	BUILD_BUG_ON(sizeof(kernel_siginfo_t) != sizeof(h->pending[0].info));
	BUILD_BUG_ON(_NSIG != CKPT_NSIG);
	len = sizeof(*h) + CKPT_PENDING_MAX * sizeof(h->pending[0]);
	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	if (lock_task_sighand(task, &flags)) {
		ret = ckpt_blocked_mask(task, &h->blocked);
		for (i = 0; i < _NSIG; i++)
			ckpt_save_action(&h->action[i],
					 &task->sighand->action[i]);
		if (!ret)
			ret = ckpt_save_pending(ctx, h, &task->pending.list,
						false);
		/* the group's are its leader's to write */
		if (!ret && thread_group_leader(task))
			ret = ckpt_save_pending(ctx, h,
						&task->signal->shared_pending.list,
						true);
		unlock_task_sighand(task, &flags);
	}
	if (ret == -E2BIG)
		ckpt_err(ctx, ret, "pid %d: more than %d pending signals",
			 task_pid_vnr(task), CKPT_PENDING_MAX);
	else if (ret == -EOPNOTSUPP)
		ckpt_err(ctx, ret,
			 "pid %d: leaving a system call with a signal mask of its own and a signal to take: not supported",
			 task_pid_vnr(task));
	if (ret)
		goto out;
	h->ss_sp = task->sas_ss_sp;
	h->ss_size = task->sas_ss_size;
	h->ss_flags = task->sas_ss_flags;
	if (!h->ss_size)
		h->ss_flags |= SS_DISABLE;
	len = sizeof(*h) + h->nr_pending * sizeof(h->pending[0]);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_SIGNALS, len);
out:
	kvfree(h);
	return ret;
}

/* The path of @path as the checkpointer sees it, into @buf */
static char *ckpt_path(struct ckpt_ctx *ctx, struct path *path, char *buf,
		       const char *what)
{
	char *p = d_path(path, buf, CKPT_PATH_MAX);

	if (IS_ERR(p))
		ckpt_err(ctx, PTR_ERR(p), "%s has no path", what);
	else if (d_unlinked(path->dentry))
		p = ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
				     "%s %s is deleted: not supported", what,
				     p));
	return p;
}

/**
 * checkpoint_proc - write the process state of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * Its limits, umask, personality, undo list, working and root directory.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_proc(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct path pwd, root;
	struct ckpt_hdr_proc *h;
	char *buf, *cwd, *rootp;
	size_t len;
	int i, ret;

	h = kzalloc(sizeof(*h) + 2 * CKPT_PATH_MAX, GFP_KERNEL_ACCOUNT);
	buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!h || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	task_lock(task);
	if (!task->fs) {
		task_unlock(task);
		ret = ckpt_err(ctx, -ESRCH, "pid %d has no fs context",
			       task_pid_vnr(task));
		goto out;
	}
	get_fs_root(task->fs, &root);
	get_fs_pwd(task->fs, &pwd);
	h->umask = task->fs->umask;
	task_unlock(task);
	h->personality = task->personality;
	h->sem_undo_ref = ckpt_sem_undo_ref(ctx, task);
	task_lock(task->group_leader);
	for (i = 0; i < CKPT_RLIMITS; i++) {
		h->rlim[i].cur = task->signal->rlim[i].rlim_cur;
		h->rlim[i].max = task->signal->rlim[i].rlim_max;
	}
	task_unlock(task->group_leader);

	cwd = ckpt_path(ctx, &pwd, buf, "the working directory");
	ret = PTR_ERR_OR_ZERO(cwd);
	if (!ret) {
		h->cwd_len = strlen(cwd) + 1;
		memcpy(h->paths, cwd, h->cwd_len);
		rootp = ckpt_path(ctx, &root, buf, "the root directory");
		ret = PTR_ERR_OR_ZERO(rootp);
	}
	if (!ret) {
		h->root_len = strlen(rootp) + 1;
		memcpy(h->paths + h->cwd_len, rootp, h->root_len);
		len = sizeof(*h) + ALIGN(h->cwd_len + h->root_len, 8);
		ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_PROC, len);
	}
	path_put(&pwd);
	path_put(&root);
out:
	kfree(buf);
	kfree(h);
	return ret;
}

/**
 * checkpoint_creds - write the credentials of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * As the checkpointer's user namespace sees them.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_creds(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred;
	struct ckpt_hdr_creds *h;
	size_t len;
	int i, ret;

	cred = get_task_cred(task);
	len = sizeof(*h) + ALIGN(cred->group_info->ngroups * sizeof(u32), 8);
	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h) {
		put_cred(cred);
		return -ENOMEM;
	}
	h->uid = from_kuid_munged(ns, cred->uid);
	h->euid = from_kuid_munged(ns, cred->euid);
	h->suid = from_kuid_munged(ns, cred->suid);
	h->fsuid = from_kuid_munged(ns, cred->fsuid);
	h->gid = from_kgid_munged(ns, cred->gid);
	h->egid = from_kgid_munged(ns, cred->egid);
	h->sgid = from_kgid_munged(ns, cred->sgid);
	h->fsgid = from_kgid_munged(ns, cred->fsgid);
	h->ngroups = cred->group_info->ngroups;
	for (i = 0; i < h->ngroups; i++)
		h->groups[i] = from_kgid_munged(ns, cred->group_info->gid[i]);
	put_cred(cred);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_CREDS, len);
	kvfree(h);
	return ret;
}

static bool ckpt_sig_ok(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

static int ckpt_check_signals(struct ckpt_ctx *ctx, struct ckpt_hdr_signals *h)
{
	struct ckpt_siginfo *p;
	kernel_siginfo_t info;
	unsigned int i;

	if (h->h.len != sizeof(*h) + (u64)h->nr_pending * sizeof(*p))
		return ckpt_err(ctx, -EINVAL,
				"signals record at offset %lld: %u pending in %u bytes",
				ctx->rec_offset, h->nr_pending, h->h.len);
	if ((h->ss_flags & ~(SS_DISABLE | SS_AUTODISARM)) ||
	    (!(h->ss_flags & SS_DISABLE) &&
	     (h->ss_size < MINSIGSTKSZ || h->ss_size > TASK_SIZE_MAX ||
	      h->ss_sp > TASK_SIZE_MAX - h->ss_size)))
		return ckpt_err(ctx, -EINVAL,
				"signals record at offset %lld: bad sigaltstack",
				ctx->rec_offset);
	for (i = 0; i < h->nr_pending; i++) {
		p = &h->pending[i];
		memcpy(&info, p->info, sizeof(info));
		if (!ckpt_sig_ok(p->signo) || info.si_signo != p->signo ||
		    p->signo == SIGKILL || p->signo == SIGSTOP || p->shared > 1)
			return ckpt_err(ctx, -EINVAL,
					"signals record at offset %lld: bad pending signal %u",
					ctx->rec_offset, p->signo);
		if (p->shared && ctx->ts->leader)
			return ckpt_err(ctx, -EINVAL,
					"signals record at offset %lld: thread %d has its group's pending signal %u",
					ctx->rec_offset, ctx->ts->pid, p->signo);
	}
	return 0;
}

static int ckpt_apply_signals(struct ckpt_ctx *ctx, struct ckpt_hdr_signals *h)
{
	struct k_sigaction ka;
	kernel_siginfo_t info;
	unsigned int i;
	sigset_t set;
	int sig, ret;

	/* a thread shares its leader's actions, set before it */
	for (sig = 1; sig <= _NSIG && !ctx->ts->leader; sig++) {
		struct ckpt_sigaction *a = &h->action[sig - 1];

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		memset(&ka, 0, sizeof(ka));
		ka.sa.sa_handler = (__sighandler_t)(unsigned long)a->handler;
		ka.sa.sa_flags = a->flags;
		ka.sa.sa_restorer = (__sigrestore_t)(unsigned long)a->restorer;
		ka.sa.sa_mask.sig[0] = a->mask;
		ret = do_sigaction(sig, &ka, NULL);
		if (ret)
			return ckpt_err(ctx, ret, "cannot set the action of signal %d",
					sig);
	}
	current->sas_ss_sp = h->ss_flags & SS_DISABLE ? 0 : h->ss_sp;
	current->sas_ss_size = h->ss_flags & SS_DISABLE ? 0 : h->ss_size;
	current->sas_ss_flags = h->ss_flags & SS_AUTODISARM;
	set.sig[0] = h->blocked;
	set_current_blocked(&set);
	for (i = 0; i < h->nr_pending; i++) {
		memcpy(&info, h->pending[i].info, sizeof(info));
		ret = do_send_sig_info(info.si_signo, &info, current,
				       h->pending[i].shared ? PIDTYPE_TGID :
							      PIDTYPE_PID);
		if (ret)
			return ckpt_err(ctx, ret, "cannot queue signal %d",
					info.si_signo);
	}
	return 0;
}

/**
 * restore_signals - read the signal state, and give it to the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_signals(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_signals *h;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_check_signals(ctx, h);
	if (!ret) {
		if (ckpt_restoring(ctx))
			ret = ckpt_apply_signals(ctx, h);
	}
	kvfree(h);
	return ret;
}

static int ckpt_check_proc(struct ckpt_ctx *ctx, struct ckpt_hdr_proc *h)
{
	size_t paths = h->h.len - sizeof(*h);
	int i;

	for (i = 0; i < CKPT_RLIMITS; i++)
		if (h->rlim[i].cur > h->rlim[i].max)
			return ckpt_err(ctx, -EINVAL,
					"proc record at offset %lld: limit %d above its maximum",
					ctx->rec_offset, i);
	if (h->umask & ~0777 || (h->personality & PER_MASK) != PER_LINUX ||
	    h->reserved)
		return ckpt_err(ctx, -EINVAL,
				"proc record at offset %lld: bad umask or personality %#x",
				ctx->rec_offset, h->personality);
	if (h->cwd_len < 2 || h->root_len < 2 ||
	    h->cwd_len > CKPT_PATH_MAX || h->root_len > CKPT_PATH_MAX ||
	    paths != ALIGN(h->cwd_len + h->root_len, 8) ||
	    h->paths[0] != '/' || h->paths[h->cwd_len] != '/' ||
	    strnlen(h->paths, h->cwd_len) != h->cwd_len - 1 ||
	    strnlen(h->paths + h->cwd_len, h->root_len) != h->root_len - 1)
		return ckpt_err(ctx, -EINVAL,
				"proc record at offset %lld: bad paths",
				ctx->rec_offset);
	return 0;
}

/* chroot() then chdir(), with their permission checks */
static int ckpt_apply_dirs(struct ckpt_ctx *ctx, const char *cwd,
			   const char *root)
{
	struct path path, cur;
	bool same;
	int ret;

	ret = kern_path(root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret)
		return ckpt_err(ctx, ret, "root directory %s", root);
	get_fs_root(current->fs, &cur);
	same = path_equal(&path, &cur);
	path_put(&cur);
	if (!same) {
		ret = path_permission(&path, MAY_EXEC | MAY_CHDIR);
		if (!ret && !ns_capable(current_user_ns(), CAP_SYS_CHROOT))
			ret = -EPERM;
		if (!ret)
			ret = security_path_chroot(&path);
		if (!ret)
			set_fs_root(current->fs, &path);
	}
	path_put(&path);
	if (ret)
		return ckpt_err(ctx, ret, "cannot chroot to %s", root);

	ret = kern_path(cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret)
		return ckpt_err(ctx, ret, "working directory %s", cwd);
	ret = path_permission(&path, MAY_EXEC | MAY_CHDIR);
	if (!ret)
		set_fs_pwd(current->fs, &path);
	path_put(&path);
	if (ret)
		return ckpt_err(ctx, ret, "cannot chdir to %s", cwd);
	return 0;
}

static int ckpt_apply_proc(struct ckpt_ctx *ctx, struct ckpt_hdr_proc *h)
{
	struct rlimit r;
	int i, ret;

	for (i = 0; i < CKPT_RLIMITS; i++) {
		r.rlim_cur = h->rlim[i].cur;
		r.rlim_max = h->rlim[i].max;
		ret = do_prlimit(current, i, &r, NULL);
		if (ret)
			return ckpt_err(ctx, ret,
					"cannot set limit %d to %llu/%llu", i,
					h->rlim[i].cur, h->rlim[i].max);
	}
	xchg(&current->fs->umask, h->umask);
	current->personality = h->personality;
	return ckpt_apply_dirs(ctx, h->paths, h->paths + h->cwd_len);
}

/**
 * restore_proc - read the process state, and give it to the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_proc(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_proc *h;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_check_proc(ctx, h);
	if (!ret && h->sem_undo_ref)
		ret = ckpt_sem_undo_attach(ctx, h->sem_undo_ref);
	if (!ret) {
		if (ckpt_restoring(ctx))
			ret = ckpt_apply_proc(ctx, h);
	}
	kvfree(h);
	return ret;
}

static int ckpt_apply_groups(struct ckpt_ctx *ctx, struct ckpt_hdr_creds *h)
{
	struct user_namespace *ns = current_user_ns();
	const struct group_info *cur = current_cred()->group_info;
	struct group_info *gi;
	unsigned int i;
	bool same;
	int ret;

	gi = groups_alloc(h->ngroups);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < h->ngroups; i++) {
		gi->gid[i] = make_kgid(ns, h->groups[i]);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return ckpt_err(ctx, -EINVAL, "group %u is not mapped",
					h->groups[i]);
		}
	}
	groups_sort(gi);
	same = gi->ngroups == cur->ngroups &&
	       !memcmp(gi->gid, cur->gid, gi->ngroups * sizeof(kgid_t));
	ret = 0;
	if (!same)
		ret = may_setgroups() ? set_current_groups(gi) : -EPERM;
	put_group_info(gi);
	if (ret)
		return ckpt_err(ctx, ret, "not permitted to set the groups");
	return 0;
}

static int ckpt_apply_creds(struct ckpt_ctx *ctx, struct ckpt_hdr_creds *h)
{
	long ret;

	ret = __sys_setresgid(h->gid, h->egid, h->sgid);
	if (ret)
		return ckpt_err(ctx, ret, "not permitted to set gids %u/%u/%u",
				h->gid, h->egid, h->sgid);
	ret = ckpt_apply_groups(ctx, h);
	if (ret)
		return ret;
	ret = __sys_setresuid(h->uid, h->euid, h->suid);
	if (ret)
		return ckpt_err(ctx, ret, "not permitted to set uids %u/%u/%u",
				h->uid, h->euid, h->suid);
	__sys_setfsgid(h->fsgid);
	__sys_setfsuid(h->fsuid);
	if (!uid_eq(current_fsuid(), make_kuid(current_user_ns(), h->fsuid)) ||
	    !gid_eq(current_fsgid(), make_kgid(current_user_ns(), h->fsgid)))
		return ckpt_err(ctx, -EPERM,
				"not permitted to set fsuid %u fsgid %u",
				h->fsuid, h->fsgid);
	return 0;
}

/**
 * restore_creds - read the credentials, and take them if permitted
 * @ctx: restart context
 * @hdr: the record header
 *
 * The ids are set with setresgid(), setgroups() and setresuid(), so the
 * caller gets only what it could get itself.
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_creds(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_creds *h;
	int ret = 0;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->reserved || h->ngroups > CKPT_GROUPS_MAX ||
	    h->h.len != sizeof(*h) + ALIGN(h->ngroups * sizeof(u32), 8))
		ret = ckpt_err(ctx, -EINVAL,
			       "creds record at offset %lld: %u groups in %u bytes",
			       ctx->rec_offset, h->ngroups, h->h.len);
	if (!ret) {
		if (ckpt_restoring(ctx))
			ret = ckpt_apply_creds(ctx, h);
	}
	kvfree(h);
	return ret;
}

/**
 * checkpoint_prctl - write the one-way prctl() settings of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_prctl(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ckpt_hdr_prctl h;

	memset(&h, 0, sizeof(h));
	if (task_no_new_privs(task))
		h.flags |= CKPT_PRCTL_NO_NEW_PRIVS;
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_PRCTL, sizeof(h));
}

/**
 * restore_prctl - read the one-way prctl() settings, and set them
 * @ctx: restart context
 * @hdr: the record header
 *
 * They only ever tighten what the task may do: no_new_privs is set, as
 * the task could set it itself, and never cleared.
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_prctl(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_prctl h;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (h.flags & ~CKPT_PRCTL_FLAGS_ALL || h.reserved)
		return ckpt_err(ctx, -EINVAL,
				"prctl record at offset %lld: unknown flags %#x",
				ctx->rec_offset, h.flags);
	if (ckpt_restoring(ctx) && h.flags & CKPT_PRCTL_NO_NEW_PRIVS)
		task_set_no_new_privs(current);
	return 0;
}

/**
 * checkpoint_itimers - write the interval timers of a process
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * setitimer() and alarm() timers: what is left of each and its
 * interval.  POSIX timers (timer_create()) are refused by name.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_itimers(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ckpt_hdr_itimers h;
	struct itimerspec64 v;
	unsigned long flags;
	bool posix = false;
	int i, ret;

	if (lock_task_sighand(task, &flags)) {
		posix = !list_empty(&task->signal->posix_timers);
		unlock_task_sighand(task, &flags);
	}
	if (posix)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: POSIX timers (timer_create) not supported yet",
				task_pid_vnr(task));
	memset(&h, 0, sizeof(h));
	for (i = 0; i < CKPT_ITIMERS; i++) {
		ret = do_getitimer_task(task, i, &v);
		if (ret)
			return ckpt_err(ctx, ret, "pid %d: cannot read timer %d",
					task_pid_vnr(task), i);
		h.timer[i].value_ns = timespec64_to_ns(&v.it_value);
		h.timer[i].interval_ns = timespec64_to_ns(&v.it_interval);
	}
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_ITIMERS, sizeof(h));
}

/**
 * restore_itimers - read the interval timers, and arm them in the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * Each timer is armed with what was left of it at checkpoint: the time
 * the process was not running is not counted.
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_itimers(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_itimers h;
	struct itimerspec64 v;
	int i, ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	for (i = 0; i < CKPT_ITIMERS; i++)
		if (h.timer[i].value_ns > KTIME_MAX ||
		    h.timer[i].interval_ns > KTIME_MAX)
			return ckpt_err(ctx, -EINVAL,
					"itimers record at offset %lld: timer %d out of range",
					ctx->rec_offset, i);
	for (i = 0; i < CKPT_ITIMERS && ckpt_restoring(ctx); i++) {
		/*
		 * A disarmed timer is left alone unless the caller armed
		 * it: arming a CPU timer starts the process's cputime
		 * accounting
		 */
		if (!h.timer[i].value_ns) {
			ret = do_getitimer_task(current, i, &v);
			if (ret || !timespec64_to_ns(&v.it_value))
				continue;
		}
		v.it_value = ns_to_timespec64(h.timer[i].value_ns);
		v.it_interval = ns_to_timespec64(h.timer[i].interval_ns);
		ret = do_setitimer(i, &v, NULL);
		if (ret)
			return ckpt_err(ctx, ret, "cannot arm timer %d", i);
	}
	return 0;
}

/**
 * checkpoint_thread_addrs - write the user addresses the kernel keeps
 *	for a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * The word cleared and woken at exit (set_tid_address()), the robust
 * futex list and the rseq area.  A 32-bit robust list is refused by
 * name.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_thread_addrs(struct ckpt_ctx *ctx,
				   struct task_struct *task)
{
	struct ckpt_hdr_thread_addrs h;

	memset(&h, 0, sizeof(h));
	h.clear_child_tid = (unsigned long)task->clear_child_tid;
#ifdef CONFIG_FUTEX
	h.robust_list = (unsigned long)task->robust_list;
#ifdef CONFIG_COMPAT
	if (task->compat_robust_list)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: 32-bit robust futex list not supported",
				task_pid_vnr(task));
#endif
#endif
#ifdef CONFIG_RSEQ
	if (task->rseq) {
		h.rseq = (unsigned long)task->rseq;
		h.rseq_len = sizeof(*task->rseq);
		h.rseq_sig = task->rseq_sig;
	}
#endif
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_THREAD_ADDRS, sizeof(h));
}

/* Set the addresses of @h in the caller, as the system calls would */
static void ckpt_set_thread_addrs(const struct ckpt_hdr_thread_addrs *h)
{
	current->clear_child_tid = u64_to_user_ptr(h->clear_child_tid);
#ifdef CONFIG_FUTEX
	current->robust_list = u64_to_user_ptr(h->robust_list);
#ifdef CONFIG_COMPAT
	current->compat_robust_list = NULL;
#endif
#endif
#ifdef CONFIG_RSEQ
	current->rseq = u64_to_user_ptr(h->rseq);
	current->rseq_sig = h->rseq_sig;
	/*
	 * As if preempted: on the way back to user space the area gets the
	 * cpu, and a critical section the task was in is aborted
	 */
	preempt_disable();
	__set_bit(RSEQ_EVENT_PREEMPT_BIT, &current->rseq_event_mask);
	preempt_enable();
	rseq_set_notify_resume(current);
#endif
}

static bool ckpt_user_addr_ok(u64 addr, size_t size)
{
	return !addr || access_ok(u64_to_user_ptr(addr), size);
}

/* An rseq area as rseq() registers it, or none */
static bool ckpt_rseq_ok(const struct ckpt_hdr_thread_addrs *h)
{
	if (!h->rseq)
		return !h->rseq_len && !h->rseq_sig;
	return h->rseq_len == sizeof(struct rseq) &&
	       IS_ALIGNED(h->rseq, __alignof__(struct rseq)) &&
	       ckpt_user_addr_ok(h->rseq, h->rseq_len);
}

/**
 * restore_thread_addrs - read the user addresses the kernel keeps for a
 *	task, and set them in the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * Each address is checked as its system call checks it; the address
 * space of the task is the image's already.
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_thread_addrs(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_thread_addrs h;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (!ckpt_user_addr_ok(h.clear_child_tid, sizeof(int)) ||
	    !ckpt_user_addr_ok(h.robust_list, sizeof(struct robust_list_head)))
		return ckpt_err(ctx, -EINVAL,
				"thread addresses record at offset %lld: tid address %#llx or robust list %#llx not a user address",
				ctx->rec_offset, h.clear_child_tid,
				h.robust_list);
	if (!ckpt_rseq_ok(&h))
		return ckpt_err(ctx, -EINVAL,
				"thread addresses record at offset %lld: bad rseq area %#llx length %u",
				ctx->rec_offset, h.rseq, h.rseq_len);
	if (!IS_ENABLED(CONFIG_FUTEX) && h.robust_list)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"robust futex list: kernel without futexes");
	if (!IS_ENABLED(CONFIG_RSEQ) && h.rseq)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"rseq area: kernel without CONFIG_RSEQ");
	if (ckpt_restoring(ctx))
		ckpt_set_thread_addrs(&h);
	return 0;
}

/* A task whose image has no addresses keeps none of the caller's */
static int ckpt_task_state_finish(struct ckpt_ctx *ctx,
				  struct ckpt_task_restore *t)
{
	static const struct ckpt_hdr_thread_addrs none;

	if (!test_bit(CKPT_REC_THREAD_ADDRS, t->scope.seen))
		ckpt_set_thread_addrs(&none);
	return 0;
}

static const struct ckpt_record ckpt_task_records[] = {
	{
		.index = CKPT_REC_SIGNALS,
		.name = "signals",
		.what = "signals",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.task = { .write = checkpoint_signals, .restore = restore_signals },
	},
	{
		.index = CKPT_REC_PROC,
		.name = "proc",
		.what = "process state",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.task = { .write = checkpoint_proc, .restore = restore_proc },
	},
	{
		.index = CKPT_REC_PRCTL,
		.name = "prctl",
		.flags = CKPT_REC_ONCE,
		.task = { .write = checkpoint_prctl, .restore = restore_prctl },
	},
	{
		.index = CKPT_REC_ITIMERS,
		.name = "itimers",
		.flags = CKPT_REC_ONCE | CKPT_REC_PROCESS,
		.task = { .write = checkpoint_itimers, .restore = restore_itimers },
	},
	{
		.index = CKPT_REC_THREAD_ADDRS,
		.name = "thread addresses",
		.flags = CKPT_REC_ONCE,
		.task = {
			.write = checkpoint_thread_addrs,
			.restore = restore_thread_addrs,
		},
	},
	{
		.index = CKPT_REC_CREDS,
		.name = "creds",
		.what = "credentials",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.task = { .write = checkpoint_creds, .restore = restore_creds },
	},
};

const struct ckpt_subsys ckpt_task_subsys = {
	.name = "task state",
	.records = ckpt_task_records,
	.nr_records = ARRAY_SIZE(ckpt_task_records),
	.task_finish = ckpt_task_state_finish,
};
