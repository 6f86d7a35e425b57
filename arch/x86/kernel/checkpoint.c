// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: x86_64 registers, FPU state and TLS.
 *
 * A task frozen inside a system call sits in the freezer trap with the
 * -ERESTART* value of the interrupted call in ax and the call in
 * orig_ax.  It is saved so, and restart() returns that value with
 * orig_ax set again, so that the exit path restarts the call, or
 * delivers a signal that came meanwhile, as at the end of the call.
 * -ERESTART_RESTARTBLOCK calls go through restart_syscall(), and are
 * told apart by their restart function, which holds for a call entered
 * again through restart_syscall() as for the first entry: nanosleep()
 * and clock_nanosleep() save what was left to sleep in a restart block
 * record, a futex wait with a timeout what it waits for and what was
 * left of its timeout, poll() its descriptors and what was left of its
 * timeout; other such calls are refused by name.
 */

#include <linux/checkpoint_task.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/restart_block.h>
#include <linux/thread_info.h>
#include <linux/timekeeping.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <asm/fpu/api.h>
#include <asm/fpu/regset.h>
#include <asm/fpu/signal.h>
#include <asm/fsgsbase.h>
#include <asm/prctl.h>
#include <asm/proto.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/unistd.h>

#include "fpu/internal.h"
#include "fpu/context.h"
#include "fpu/xstate.h"

/* The flags a task may change itself, as ptrace allows */
#define CKPT_FLAG_MASK	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
			 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_RF | \
			 X86_EFLAGS_AC)

static int ckpt_clock_now(clockid_t clockid, ktime_t *now)
{
	switch (clockid) {
	case CLOCK_MONOTONIC:
		*now = ktime_get();
		return 0;
	case CLOCK_REALTIME:
		*now = ktime_get_real();
		return 0;
	case CLOCK_BOOTTIME:
		*now = ktime_get_boottime();
		return 0;
	case CLOCK_TAI:
		*now = ktime_get_clocktai();
		return 0;
	}
	return -EOPNOTSUPP;
}

/* restart_syscall() of a task restored in nanosleep(): sleep what was left */
static long ckpt_nanosleep_restart(struct restart_block *r)
{
	return hrtimer_nanosleep(r->nanosleep.expires, HRTIMER_MODE_REL,
				 r->nanosleep.clockid);
}

/*
 * restart_syscall() of a task restored in poll() with a timeout: wait
 * what was left, which the restart block holds until it runs
 */
static long ckpt_poll_restart(struct restart_block *r)
{
	struct timespec64 left, end;

	if (r->poll.has_timeout) {
		left.tv_sec = r->poll.tv_sec;
		left.tv_nsec = r->poll.tv_nsec;
		ktime_get_ts64(&end);
		end = timespec64_add_safe(end, left);
		r->poll.tv_sec = end.tv_sec;
		r->poll.tv_nsec = end.tv_nsec;
	}
	return do_restart_poll(r);
}

/*
 * A task frozen in nanosleep(): what it still had to sleep.  A task
 * restored there and frozen again before it slept holds it already.
 */
static int ckpt_nanosleep_block(struct ckpt_ctx *ctx, struct task_struct *task,
				struct ckpt_hdr_restart_block *rb)
{
	struct restart_block *r = &task->restart_block;
	ktime_t now, left;

	if (r->nanosleep.type == TT_COMPAT ||
	    ckpt_clock_now(r->nanosleep.clockid, &now))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: frozen in a nanosleep on clock %d, not supported",
				task_pid_vnr(task), r->nanosleep.clockid);
	left = r->fn == ckpt_nanosleep_restart ? r->nanosleep.expires :
		ktime_sub(r->nanosleep.expires, now);
	rb->kind = CKPT_RESTART_NANOSLEEP;
	rb->clockid = r->nanosleep.clockid;
	rb->rmtp_valid = r->nanosleep.type == TT_NATIVE;
	rb->rmtp = rb->rmtp_valid ? (unsigned long)r->nanosleep.rmtp : 0;
	rb->remaining_ns = left > 0 ? left : 0;
	return 0;
}

/* A task frozen in poll(): its descriptors and what was left to wait */
static void ckpt_poll_block(struct task_struct *task,
			    struct ckpt_hdr_restart_block *rb)
{
	struct restart_block *r = &task->restart_block;
	struct timespec64 end;
	ktime_t left;

	rb->kind = CKPT_RESTART_POLL;
	rb->clockid = CLOCK_MONOTONIC;
	rb->uaddr = (unsigned long)r->poll.ufds;
	rb->val = r->poll.nfds;
	rb->remaining_ns = CKPT_POLL_NO_TIMEOUT;
	if (!r->poll.has_timeout)
		return;
	end.tv_sec = r->poll.tv_sec;
	end.tv_nsec = r->poll.tv_nsec;
	left = timespec64_to_ktime(end);
	if (r->fn != ckpt_poll_restart)
		left = ktime_sub(left, ktime_get());
	rb->remaining_ns = left > 0 ? left : 0;
}

/* Frozen in a call that resumes through restart_syscall(): how it does */
static int ckpt_restart_block(struct ckpt_ctx *ctx, struct task_struct *task,
			      struct ckpt_hdr_cpu *h,
			      struct ckpt_hdr_restart_block *rb)
{
	long (*fn)(struct restart_block *r) = task->restart_block.fn;

	if (fn == hrtimer_nanosleep_restart || fn == ckpt_nanosleep_restart)
		return ckpt_nanosleep_block(ctx, task, rb);
	if (fn == do_restart_poll || fn == ckpt_poll_restart) {
		ckpt_poll_block(task, rb);
		return 0;
	}
	if (!ckpt_futex_wait_save(task, rb))
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP,
			"pid %d: frozen in system call %lld, whose restart is not supported yet",
			task_pid_vnr(task), h->orig_ax);
}

/*
 * semop() and semtimedop() end with -EINTR on any wake-up with a signal
 * pending, the freezer's included.  If no signal is there for the task
 * to take, it was only the freezer: the call is entered again.
 */
static bool ckpt_eintr_by_freezer(struct task_struct *task, long nr)
{
	sigset_t pending;
	unsigned long flags;

	if (nr != __NR_semop && nr != __NR_semtimedop)
		return false;
	if (!lock_task_sighand(task, &flags))
		return false;
	sigorsets(&pending, &task->pending.signal,
		  &task->signal->shared_pending.signal);
	sigandnsets(&pending, &pending, &task->blocked);
	unlock_task_sighand(task, &flags);
	return sigisemptyset(&pending);
}

/* Where a frozen task resumes: inside its system call, or out of it */
static int ckpt_syscall_state(struct ckpt_ctx *ctx, struct task_struct *task,
			      struct ckpt_hdr_cpu *h,
			      struct ckpt_hdr_restart_block *rb)
{
	if ((long)h->orig_ax < 0)
		return 0;
	/* as if it had said -ERESTARTNOHAND: a handler makes it -EINTR */
	if ((long)h->ax == -EINTR && ckpt_eintr_by_freezer(task, h->orig_ax))
		h->ax = -ERESTARTNOHAND;
	switch ((long)h->ax) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
		return 0;
	case -ERESTART_RESTARTBLOCK:
		return ckpt_restart_block(ctx, task, h, rb);
	}
	/* out of the call: nothing to restart */
	h->orig_ax = -1;
	return 0;
}

static int checkpoint_xstate(struct ckpt_ctx *ctx, struct task_struct *task)
{
	unsigned int size = fpu_user_cfg.max_size;
	struct ckpt_hdr_xstate *h;
	struct membuf to;
	size_t len;
	int ret;

	len = sizeof(*h) + ALIGN(size, 8);
	if (len > CKPT_XSTATE_MAX)
		return ckpt_err(ctx, -EOPNOTSUPP, "xstate of %u bytes", size);
	h = kzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->size = size;
	to.p = h->data;
	to.left = size;
	ret = xstateregs_get(task, NULL, to);
	if (ret)
		ckpt_err(ctx, ret, "cannot read the FPU state");
	else
		ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_XSTATE, len);
	kfree(h);
	return ret;
}

/**
 * checkpoint_cpu - write the registers and FPU state of a frozen task
 * @ctx: checkpoint context
 * @task: the task
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int checkpoint_cpu(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct pt_regs *regs = task_pt_regs(task);
	struct ckpt_hdr_restart_block rb;
	struct ckpt_hdr_cpu h;
	int ret;

	if (test_tsk_thread_flag(task, TIF_ADDR32))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d: 32-bit tasks not supported",
				task_pid_vnr(task));
	memset(&h, 0, sizeof(h));
	memset(&rb, 0, sizeof(rb));
	h.r15 = regs->r15;
	h.r14 = regs->r14;
	h.r13 = regs->r13;
	h.r12 = regs->r12;
	h.bp = regs->bp;
	h.bx = regs->bx;
	h.r11 = regs->r11;
	h.r10 = regs->r10;
	h.r9 = regs->r9;
	h.r8 = regs->r8;
	h.ax = regs->ax;
	h.cx = regs->cx;
	h.dx = regs->dx;
	h.si = regs->si;
	h.di = regs->di;
	h.orig_ax = regs->orig_ax;
	h.ip = regs->ip;
	h.cs = regs->cs;
	h.flags = regs->flags;
	h.sp = regs->sp;
	h.ss = regs->ss;
	h.fs_base = x86_fsbase_read_task(task);
	h.gs_base = x86_gsbase_read_task(task);
	h.ds = task->thread.ds;
	h.es = task->thread.es;
	h.fs = task->thread.fsindex;
	h.gs = task->thread.gsindex;
	ret = ckpt_syscall_state(ctx, task, &h, &rb);
	if (ret)
		return ret;
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_CPU, sizeof(h));
	if (!ret && rb.kind)
		ret = ckpt_write_record(ctx, &rb.h, CKPT_HDR_RESTART_BLOCK,
					sizeof(rb));
	if (ret)
		return ret;
	return checkpoint_xstate(ctx, task);
}

/* Frozen in system call orig_ax, which the exit path will restart */
static bool ckpt_in_syscall(struct ckpt_hdr_cpu *h)
{
	switch ((long)h->ax) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		return h->orig_ax < NR_syscalls && h->ip >= 2;
	}
	return false;
}

static int ckpt_check_cpu(struct ckpt_ctx *ctx, struct ckpt_hdr_cpu *h)
{
	if (h->cs != __USER_CS || h->ss != __USER_DS)
		return ckpt_err(ctx, -EINVAL,
				"cpu record at offset %lld: not a 64-bit user task",
				ctx->rec_offset);
	if (h->ds || h->es || h->fs || h->gs)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"cpu record at offset %lld: segment selectors not supported",
				ctx->rec_offset);
	if (h->ip >= TASK_SIZE_MAX || h->fs_base >= TASK_SIZE_MAX ||
	    h->gs_base >= TASK_SIZE_MAX || h->reserved[0] || h->reserved[1] ||
	    ((long)h->orig_ax != -1 && !ckpt_in_syscall(h)))
		return ckpt_err(ctx, -EINVAL,
				"cpu record at offset %lld: bad field",
				ctx->rec_offset);
	return 0;
}

/**
 * restore_cpu - read the registers, and load them into the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * ax cannot be set here: the system call return value overwrites it, so
 * restart returns the saved value instead.
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_cpu(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct ckpt_hdr_cpu h;
	long ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (!ret)
		ret = ckpt_check_cpu(ctx, &h);
	if (ret)
		return ret;
	ctx->ts->restored_ax = h.ax;
	ctx->ts->restored_orig_ax = h.orig_ax;
	if (!ckpt_restoring(ctx))
		return 0;

	regs->r15 = h.r15;
	regs->r14 = h.r14;
	regs->r13 = h.r13;
	regs->r12 = h.r12;
	regs->bp = h.bp;
	regs->bx = h.bx;
	regs->r11 = h.r11;
	regs->r10 = h.r10;
	regs->r9 = h.r9;
	regs->r8 = h.r8;
	regs->cx = h.cx;
	regs->dx = h.dx;
	regs->si = h.si;
	regs->di = h.di;
	regs->orig_ax = -1;
	regs->ip = h.ip;
	regs->flags = (regs->flags & ~CKPT_FLAG_MASK) |
		      (h.flags & CKPT_FLAG_MASK);
	regs->sp = h.sp;
	/* no leftover restart block of the caller's */
	current->restart_block.fn = do_no_restart_syscall;

	ret = do_arch_prctl_64(current, ARCH_SET_FS, h.fs_base);
	if (!ret)
		ret = do_arch_prctl_64(current, ARCH_SET_GS, h.gs_base);
	if (ret)
		return ckpt_err(ctx, ret, "cannot set fs/gs base");
	return 0;
}

/* The task was frozen in system call @nr, or in restart_syscall() after it */
static bool ckpt_restarts_from(struct ckpt_ctx *ctx, long nr)
{
	return ctx->ts->restored_ax == (u64)-ERESTART_RESTARTBLOCK &&
	       (ctx->ts->restored_orig_ax == nr ||
		ctx->ts->restored_orig_ax == __NR_restart_syscall);
}

/* A poll restart block record, checked; make the caller poll again */
static int restore_poll_block(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_restart_block *h)
{
	struct restart_block *r = &current->restart_block;
	struct timespec64 left;

	if (h->h.len != sizeof(*h) || h->reserved || h->reserved2 ||
	    h->clockid != CLOCK_MONOTONIC || h->rmtp_valid || h->rmtp ||
	    h->bitset || h->futex_flags || h->uaddr >= TASK_SIZE_MAX ||
	    h->val > INT_MAX ||
	    (h->remaining_ns > KTIME_MAX &&
	     h->remaining_ns != CKPT_POLL_NO_TIMEOUT) ||
	    !ckpt_restarts_from(ctx, __NR_poll))
		return ckpt_err(ctx, -EINVAL,
				"restart block record at offset %lld: bad poll",
				ctx->rec_offset);
	if (!ckpt_restoring(ctx))
		return 0;
	r->poll.ufds = u64_to_user_ptr(h->uaddr);
	r->poll.nfds = h->val;
	r->poll.has_timeout = h->remaining_ns != CKPT_POLL_NO_TIMEOUT;
	if (r->poll.has_timeout) {
		left = ns_to_timespec64(h->remaining_ns);
		r->poll.tv_sec = left.tv_sec;
		r->poll.tv_nsec = left.tv_nsec;
	}
	set_restart_fn(r, ckpt_poll_restart);
	return 0;
}

/**
 * restore_restart_block - read how an interrupted call resumes
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_restart_block(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct restart_block *r = &current->restart_block;
	struct ckpt_hdr_restart_block h;
	ktime_t now;
	int ret;

	/* the record table bounds the length; a nanosleep's may be short */
	memset(&h, 0, sizeof(h));
	ret = ckpt_read_payload(ctx, hdr, hdr->len, &h);
	if (ret)
		return ret;
	if (h.kind == CKPT_RESTART_FUTEX) {
		if (h.h.len != sizeof(h) || h.reserved || h.reserved2 ||
		    !ckpt_futex_wait_check(&h) ||
		    !ckpt_restarts_from(ctx, __NR_futex))
			return ckpt_err(ctx, -EINVAL,
					"restart block record at offset %lld: bad futex wait",
					ctx->rec_offset);
		if (ckpt_restoring(ctx))
			ckpt_futex_wait_restore(&h);
		return 0;
	}
	if (h.kind == CKPT_RESTART_POLL)
		return restore_poll_block(ctx, &h);
	if (h.kind != CKPT_RESTART_NANOSLEEP || h.reserved ||
	    h.rmtp_valid > 1 || h.rmtp >= TASK_SIZE_MAX ||
	    (!h.rmtp_valid && h.rmtp) || h.remaining_ns > KTIME_MAX ||
	    h.uaddr || h.val || h.bitset || h.futex_flags || h.reserved2 ||
	    ckpt_clock_now(h.clockid, &now) ||
	    ctx->ts->restored_ax != (u64)-ERESTART_RESTARTBLOCK)
		return ckpt_err(ctx, -EINVAL,
				"restart block record at offset %lld: bad field",
				ctx->rec_offset);
	if (!ckpt_restoring(ctx))
		return 0;
	r->nanosleep.clockid = h.clockid;
	r->nanosleep.type = h.rmtp_valid ? TT_NATIVE : TT_NONE;
	r->nanosleep.rmtp = (struct __kernel_timespec __user *)h.rmtp;
	r->nanosleep.expires = h.remaining_ns;
	set_restart_fn(r, ckpt_nanosleep_restart);
	return 0;
}

/**
 * restore_xstate - read the FPU state, and load it into the caller
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_xstate(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	unsigned int size = fpu_user_cfg.max_size;
	struct fpu *fpu = &current->thread.fpu;
	struct ckpt_hdr_xstate *h;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = 0;
	if (h->reserved || h->h.len != sizeof(*h) + ALIGN(h->size, 8))
		ret = ckpt_err(ctx, -EINVAL,
			       "xstate record at offset %lld: bad size %u",
			       ctx->rec_offset, h->size);
	else if (h->size != size)
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "xstate of %u bytes, this CPU uses %u", h->size,
			       size);
	if (ret)
		goto out;
	if (!ckpt_restoring(ctx))
		goto out;

	/* keep the live registers out of the way, then load from memory */
	fpregs_lock();
	if (!test_thread_flag(TIF_NEED_FPU_LOAD)) {
		if (xfeatures_mask_supervisor())
			os_xsave(fpu->fpstate);
		set_thread_flag(TIF_NEED_FPU_LOAD);
	}
	__fpu_invalidate_fpregs_state(fpu);
	__cpu_invalidate_fpregs_state();
	fpregs_unlock();
	ret = copy_uabi_from_kernel_to_xstate(fpu->fpstate, h->data,
					      &current->thread.pkru);
	if (ret)
		ckpt_err(ctx, ret, "xstate record at offset %lld: rejected",
			 ctx->rec_offset);
out:
	kvfree(h);
	return ret;
}

/* What ret_from_fork() left a restored child: its ax and system call */
struct ckpt_resume_work {
	struct callback_head work;
	u64 ax;
	u64 orig_ax;
};

static void ckpt_resume_fn(struct callback_head *work)
{
	struct ckpt_resume_work *w = container_of(work, struct ckpt_resume_work,
						  work);
	struct pt_regs *regs = task_pt_regs(current);

	regs->ax = w->ax;
	if ((long)w->orig_ax >= 0)
		regs->orig_ax = w->orig_ax;
	kfree(w);
}

/*
 * Make the return to user space resume the image's call, once the tail
 * checked out.  @forked: the task was made by restart, and leaves through
 * ret_from_fork(), not through the return of restart().
 *
 * A task frozen in a system call returns from restart() with the call's
 * -ERESTART* value and its number in orig_ax, as if it came out of the
 * call itself.  The exit path is made to look at signals: with none it
 * enters the call again (or restart_syscall()), and a signal that came
 * meanwhile gets what a signal during the call would have (-EINTR, or
 * a restart after its SA_RESTART handler).  ret_from_fork() zeroes ax,
 * so a task made by restart gets ax and orig_ax from a task work, which
 * runs first thing when the exit path looks at signals.
 */
static int ckpt_arch_resume(struct ckpt_task_restore *t, bool forked)
{
	struct ckpt_resume_work *w;
	int ret;

	if (forked) {
		w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
		if (!w)
			return -ENOMEM;
		w->ax = t->restored_ax;
		w->orig_ax = t->restored_orig_ax;
		init_task_work(&w->work, ckpt_resume_fn);
		ret = task_work_add(current, &w->work, TWA_SIGNAL);
		if (ret)
			kfree(w);
		return ret;
	}
	if ((long)t->restored_orig_ax < 0)
		return 0;
	task_pt_regs(current)->orig_ax = t->restored_orig_ax;
	set_notify_signal(current);
	return 0;
}

static int ckpt_arch_task_finish(struct ckpt_ctx *ctx,
				 struct ckpt_task_restore *t)
{
	int ret = ckpt_arch_resume(t, t->index != 0);

	if (ret)
		return ckpt_err(ctx, ret, "pid %d: cannot resume it", t->pid);
	return 0;
}

/* A call that resumes through restart_syscall() has its restart block */
static int ckpt_arch_task_done(struct ckpt_ctx *ctx,
			       struct ckpt_task_restore *t)
{
	bool restarts = t->restored_ax == (u64)-ERESTART_RESTARTBLOCK &&
			(long)t->restored_orig_ax >= 0;
	bool block = test_bit(CKPT_REC_RESTART_BLOCK, t->scope.seen);

	if (restarts != block)
		return ckpt_err(ctx, -EINVAL,
				"pid %d: the registers resume through restart_syscall() %s a restart block",
				t->pid, block ? "but have" : "without");
	return 0;
}

static const struct ckpt_record ckpt_arch_records[] = {
	{
		.index = CKPT_REC_CPU,
		.name = "cpu",
		.what = "registers",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.task = { .write = checkpoint_cpu, .restore = restore_cpu },
	},
	{
		.index = CKPT_REC_RESTART_BLOCK,
		.name = "restart block",
		.flags = CKPT_REC_ONCE,
		.task = { .restore = restore_restart_block },
	},
	{
		.index = CKPT_REC_XSTATE,
		.name = "xstate",
		.what = "FPU state",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.task = { .restore = restore_xstate },
	},
};

const struct ckpt_subsys ckpt_arch_subsys = {
	.name = "registers",
	.records = ckpt_arch_records,
	.nr_records = ARRAY_SIZE(ckpt_arch_records),
	.task_done = ckpt_arch_task_done,
	.task_finish = ckpt_arch_task_finish,
};
