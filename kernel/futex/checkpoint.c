// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of a task frozen in a futex wait with a timeout.
 *
 * futex(FUTEX_WAIT) and futex(FUTEX_WAIT_BITSET) with a timeout end with
 * -ERESTART_RESTARTBLOCK when the freezer stops their task, and their
 * restart block holds the word, the value it was to hold, the bitset,
 * the clock and the absolute timeout.  The image keeps what was left of
 * the timeout: as for a sleep, the time the task was not running does
 * not count.  A restored task waits again through a restart function of
 * its own, which makes the timeout absolute again when it runs; until
 * then the restart block holds what is left, as the image does.
 */

#include <linux/checkpoint_task.h>
#include <linux/compiler.h>
#include <linux/ktime.h>
#include <linux/restart_block.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "futex.h"

static ktime_t ckpt_futex_now(unsigned int flags)
{
	return flags & FLAGS_CLOCKRT ? ktime_get_real() : ktime_get();
}

/* restart_syscall() of a task restored in a futex wait: wait what was left */
static long ckpt_futex_wait_restart(struct restart_block *r)
{
	ktime_t timeout = ktime_add_safe(ckpt_futex_now(r->futex.flags),
					 r->futex.time);

	r->fn = do_no_restart_syscall;
	return futex_wait(r->futex.uaddr, r->futex.flags, r->futex.val,
			  &timeout, r->futex.bitset);
}

/**
 * ckpt_futex_wait_save - what a futex wait of a frozen task still waits for
 * @task: the task, frozen in a system call that returned
 *	-ERESTART_RESTARTBLOCK
 * @rb: its restart block record, to fill in
 *
 * Return: 0, or -EOPNOTSUPP if its restart block is not a timed futex
 * wait's.
 */
int ckpt_futex_wait_save(struct task_struct *task,
			 struct ckpt_hdr_restart_block *rb)
{
	struct restart_block *r = &task->restart_block;
	ktime_t left;

	if (r->fn == ckpt_futex_wait_restart)
		left = r->futex.time;
	else if (r->fn == futex_wait_restart &&
		 (r->futex.flags & FLAGS_HAS_TIMEOUT))
		left = ktime_sub(r->futex.time,
				 ckpt_futex_now(r->futex.flags));
	else
		return -EOPNOTSUPP;
	rb->kind = CKPT_RESTART_FUTEX;
	rb->clockid = r->futex.flags & FLAGS_CLOCKRT ? CLOCK_REALTIME :
						       CLOCK_MONOTONIC;
	rb->remaining_ns = left > 0 ? left : 0;
	rb->uaddr = (unsigned long)r->futex.uaddr;
	rb->val = r->futex.val;
	rb->bitset = r->futex.bitset;
	rb->futex_flags = r->futex.flags & FLAGS_SHARED ? CKPT_FUTEX_SHARED : 0;
	return 0;
}

/**
 * ckpt_futex_wait_check - whether a futex restart block record is sound
 * @rb: the record, untrusted
 *
 * Return: true if the caller may wait as it says.
 */
bool ckpt_futex_wait_check(const struct ckpt_hdr_restart_block *rb)
{
	return (rb->clockid == CLOCK_MONOTONIC ||
		rb->clockid == CLOCK_REALTIME) &&
	       !rb->rmtp_valid && !rb->rmtp && rb->bitset &&
	       !(rb->futex_flags & ~CKPT_FUTEX_FLAGS_ALL) &&
	       IS_ALIGNED(rb->uaddr, sizeof(u32)) &&
	       rb->uaddr < TASK_SIZE_MAX && rb->remaining_ns <= KTIME_MAX;
}

/**
 * ckpt_futex_wait_restore - make the caller wait again as the record says
 *	when it returns through restart_syscall()
 * @rb: its restart block record, checked by ckpt_futex_wait_check()
 */
void ckpt_futex_wait_restore(const struct ckpt_hdr_restart_block *rb)
{
	struct restart_block *r = &current->restart_block;

	r->futex.uaddr = u64_to_user_ptr(rb->uaddr);
	r->futex.val = rb->val;
	r->futex.bitset = rb->bitset;
	r->futex.flags = FLAGS_HAS_TIMEOUT;
	if (rb->futex_flags & CKPT_FUTEX_SHARED)
		r->futex.flags |= FLAGS_SHARED;
	if (rb->clockid == CLOCK_REALTIME)
		r->futex.flags |= FLAGS_CLOCKRT;
	/* what was left: ckpt_futex_wait_restart() makes it absolute */
	r->futex.time = rb->remaining_ns;
	set_restart_fn(r, ckpt_futex_wait_restart);
}
