// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the system calls and the operation context.
 *
 * Both calls check their arguments in the same order: the log fd, then
 * the flags, then the image fd, then the pid.  The first failure wins,
 * and once the log fd is known every failure is explained on it.
 */

#include <linux/atomic.h>
#include <linux/checkpoint.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/wait_bit.h>

#include "internal.h"

static atomic64_t ckpt_last_id = ATOMIC64_INIT(0);

/*
 * Whether the kernel itself can read or write @file, with the checks of
 * __kernel_read() and __kernel_write_iter().
 */
static bool ckpt_kernel_io(struct file *file, fmode_t mode)
{
	const struct file_operations *fop = file->f_op;

	if (mode == FMODE_WRITE)
		return (file->f_mode & FMODE_CAN_WRITE) && fop->write_iter &&
			!fop->write;
	return (file->f_mode & FMODE_CAN_READ) && fop->read_iter && !fop->read;
}

/* An fd open in @mode, whose file the kernel can read or write itself */
static int ckpt_get_file(int fd, fmode_t mode, struct file **filep)
{
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	if (!(file->f_mode & mode)) {
		fput(file);
		return -EBADF;
	}
	if (!ckpt_kernel_io(file, mode)) {
		fput(file);
		return -EINVAL;
	}
	*filep = file;
	return 0;
}

/* The image file: blocking, buffered, and ours alone for the call */
static int ckpt_get_image(struct ckpt_ctx *ctx, int fd, fmode_t mode)
{
	const char *what = mode == FMODE_WRITE ? "writing" : "reading";
	int ret;

	ret = ckpt_get_file(fd, mode, &ctx->file);
	if (ret == -EBADF)
		return ckpt_err(ctx, ret, "fd %d is not open for %s", fd, what);
	if (ret)
		return ckpt_err(ctx, ret,
				"fd %d: this kind of file cannot hold an image",
				fd);
	if (ctx->logfile && file_inode(ctx->logfile) == file_inode(ctx->file))
		return ckpt_err(ctx, -EINVAL,
				"fd %d is also the log fd", fd);
	if (ctx->file->f_flags & (O_NONBLOCK | O_DIRECT))
		return ckpt_err(ctx, -EINVAL,
				"fd %d: O_NONBLOCK and O_DIRECT image files are not supported",
				fd);
	if (ctx->file->f_mode & FMODE_ATOMIC_POS) {
		mutex_lock(&ctx->file->f_pos_lock);
		ctx->pos_locked = true;
	}
	ctx->start_pos = ctx->file->f_pos;
	return 0;
}

/* The image file's position lock goes with the task that took it */
static void ckpt_ctx_unlock_pos(struct ckpt_ctx *ctx)
{
	if (ctx->pos_locked)
		mutex_unlock(&ctx->file->f_pos_lock);
	ctx->pos_locked = false;
}

static void ckpt_ctx_free(struct ckpt_ctx *ctx)
{
	unsigned int i;

	/* a restart that did not release its tasks removes what it made */
	for (i = 0; ctx->kind == CKPT_CTX_RESTART && i < ckpt_nr_subsystems; i++)
		if (ckpt_subsystems[i]->end)
			ckpt_subsystems[i]->end(ctx, ctx->state != CKPT_RELEASED);
	ckpt_obj_free_all(ctx);
	xa_destroy(&ctx->in_tree);
	xa_destroy(&ctx->rs.tasks);
	xa_destroy(&ctx->rs.pids);
	xa_destroy(&ctx->rs.failed_files);
	ckpt_stream_free(ctx);
	for (i = 0; i < ctx->nr_tasks; i++)
		put_task_struct(ctx->tasks[i]);
	kvfree(ctx->tasks);
	if (ctx->root)
		put_task_struct(ctx->root);
	if (ctx->file)
		fput(ctx->file);
	if (ctx->logfile)
		fput(ctx->logfile);
	kvfree(ctx);
}

static struct ckpt_ctx *ckpt_ctx_alloc(enum ckpt_ctx_kind kind, int fd,
				       unsigned long flags,
				       unsigned long valid_flags, int logfd)
{
	fmode_t mode = kind == CKPT_CTX_CHECKPOINT ? FMODE_WRITE : FMODE_READ;
	struct ckpt_ctx *ctx;
	unsigned int i;
	int ret;

	ctx = kvzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->kind = kind;
	ctx->flags = flags;
	refcount_set(&ctx->users, 1);
	init_waitqueue_head(&ctx->wait);
	mutex_init(&ctx->log_lock);
	xa_init(&ctx->in_tree);
	xa_init(&ctx->rs.tasks);
	xa_init(&ctx->rs.pids);
	xa_init(&ctx->rs.failed_files);
	ret = ckpt_obj_init(ctx);
	if (ret) {
		kvfree(ctx);
		return ERR_PTR(ret);
	}

	if (logfd != CHECKPOINT_NO_LOGFD) {
		ret = ckpt_get_file(logfd, FMODE_WRITE, &ctx->logfile);
		if (ret)
			goto err_free;
	}
	if (flags & ~valid_flags) {
		ret = ckpt_err(ctx, -EINVAL, "unknown flags %#lx",
			       flags & ~valid_flags);
		goto err_free;
	}
	ret = ckpt_get_image(ctx, fd, mode);
	if (ret)
		goto err_free;
	ret = ckpt_stream_init(ctx);
	for (i = 0; !ret && kind == CKPT_CTX_RESTART && i < ckpt_nr_subsystems;
	     i++)
		if (ckpt_subsystems[i]->init)
			ret = ckpt_subsystems[i]->init(ctx);
	if (ret)
		goto err_free;
	return ctx;

err_free:
	ckpt_ctx_unlock_pos(ctx);
	ckpt_ctx_free(ctx);
	return ERR_PTR(ret);
}

/**
 * ckpt_ctx_put - drop a task's reference on a context
 * @ctx: the context; the last reference frees it
 */
void ckpt_ctx_put(struct ckpt_ctx *ctx)
{
	if (refcount_dec_and_test(&ctx->users)) {
		ckpt_ctx_free(ctx);
		return;
	}
	/* the address is only a key: @ctx may be gone already */
	smp_mb__after_atomic();
	wake_up_var(&ctx->users);
}

/**
 * ckpt_next_id - hand out a checkpoint id
 *
 * Return: a positive id, unique for this boot.
 */
u64 ckpt_next_id(void)
{
	return atomic64_inc_return(&ckpt_last_id);
}

/**
 * sys_checkpoint - write the image of a frozen process tree
 * @pid: root of the tree, in the caller's pid namespace
 * @fd: file descriptor open for writing; the image is written at its
 *	file position
 * @flags: CHECKPOINT_* flags; none are defined yet
 * @logfd: file descriptor for one-line messages, or -1
 *
 * Return: a positive checkpoint id, or a negative errno.
 */
SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	long ret;

	ctx = ckpt_ctx_alloc(CKPT_CTX_CHECKPOINT, fd, flags,
			     CHECKPOINT_FLAGS_MASK, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);

	if (pid <= 0) {
		ret = ckpt_err(ctx, -EINVAL, "pid %d is not a valid pid", pid);
		goto out;
	}
	ctx->root = find_get_task_by_vpid(pid);
	if (!ctx->root) {
		ret = ckpt_err(ctx, -ESRCH, "pid %d: no such process", pid);
		goto out;
	}

	ret = ckpt_do_checkpoint(ctx);
	if (!ret) {
		ckpt_msg(ctx, "checkpoint %llu of pid %d done, %lld bytes",
			 ctx->id, pid, ckpt_stream_offset(ctx));
		ret = ctx->id;
	}
out:
	ckpt_ctx_unlock_pos(ctx);
	ckpt_ctx_free(ctx);
	return ret;
}

/**
 * sys_restart - read an image back
 * @pid: 0 (or the caller's own pid): restore into the calling task
 * @fd: file descriptor open for reading, positioned at the image
 * @flags: RESTART_* flags
 * @logfd: file descriptor for one-line messages, or -1
 *
 * On a regular file, the file position is left just past the image.
 * Without RESTART_VALIDATE, the caller becomes the root task of the
 * image and does not return from restart(): it goes on where the image
 * left it.  The other tasks of the image are made as its descendants.
 *
 * Return: 0 after RESTART_VALIDATE, or a negative errno.
 */
SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_task_restore *root;
	struct task_struct *task;
	struct ckpt_ctx *ctx;
	long ret;

	ctx = ckpt_ctx_alloc(CKPT_CTX_RESTART, fd, flags, RESTART_FLAGS_MASK,
			     logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);

	if (pid < 0) {
		ret = ckpt_err(ctx, -EINVAL, "pid %d is not a valid pid", pid);
		goto out;
	}
	if (in_compat_syscall()) {
		ret = ckpt_err(ctx, -EINVAL,
			       "32-bit and x32 callers are not supported");
		goto out;
	}
	if (pid && pid != task_pid_vnr(current)) {
		task = find_get_task_by_vpid(pid);
		if (!task) {
			ret = ckpt_err(ctx, -ESRCH, "pid %d: no such process",
				       pid);
			goto out;
		}
		put_task_struct(task);
		ret = ckpt_err(ctx, -EINVAL,
			       "pid %d: a task can only restart itself", pid);
		goto out;
	}

	/* the caller becomes the root of the tree */
	ctx->root = get_task_struct(current);
	ret = ckpt_do_restart(ctx);
	if (ret && !ctx->err)
		ckpt_err(ctx, ret, "restart failed");
	/*
	 * The tasks it made are done with the image, released or dead, so
	 * that the file position below is final and what a failed restart
	 * made is gone when it returns; a fatal signal stops the wait
	 */
	wait_var_event_killable(&ctx->users, refcount_read(&ctx->users) == 1);
	root = xa_load(&ctx->rs.tasks, 0);
	if (ret && root && root->committed)
		force_fatal_sig(SIGKILL);
	/* the restored root finds its own ax where restart's return goes */
	if (!ret && ckpt_restoring(ctx))
		ret = root->restored_ax;
	/* give back what was read ahead of the image */
	if (!(ctx->file->f_mode & FMODE_STREAM))
		ctx->file->f_pos = ctx->start_pos + ckpt_stream_offset(ctx);
out:
	ckpt_ctx_unlock_pos(ctx);
	ckpt_ctx_put(ctx);
	return ret;
}
