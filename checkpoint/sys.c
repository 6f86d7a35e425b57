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
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>

static atomic64_t ckpt_last_id = ATOMIC64_INIT(0);

/*
 * An fd open in @mode, whose file the kernel can read or write itself
 * (kernel_read() and kernel_write() need ->read_iter and ->write_iter).
 */
static int ckpt_get_file(int fd, fmode_t mode, struct file **filep)
{
	struct file *file = fget(fd);
	bool kio;

	if (!file)
		return -EBADF;
	if (!(file->f_mode & mode)) {
		fput(file);
		return -EBADF;
	}
	kio = mode == FMODE_WRITE ? !!file->f_op->write_iter :
				    !!file->f_op->read_iter;
	if (!kio) {
		fput(file);
		return -EINVAL;
	}
	*filep = file;
	return 0;
}

static void ckpt_ctx_free(struct ckpt_ctx *ctx)
{
	ckpt_obj_free_all(ctx);
	ckpt_stream_free(ctx);
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
	struct ckpt_ctx *ctx;
	fmode_t mode = kind == CKPT_CTX_CHECKPOINT ? FMODE_WRITE : FMODE_READ;
	int ret;

	ctx = kvzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->kind = kind;
	ctx->flags = flags;
	hash_init(ctx->obj_by_ptr);
	hash_init(ctx->obj_by_ref);

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
	ret = ckpt_get_file(fd, mode, &ctx->file);
	if (ret == -EBADF)
		ckpt_err(ctx, ret, "fd %d is not open for %s", fd,
			 kind == CKPT_CTX_CHECKPOINT ? "writing" : "reading");
	else if (ret)
		ckpt_err(ctx, ret, "fd %d: this kind of file cannot hold an image",
			 fd);
	if (ret)
		goto err_free;
	ret = ckpt_stream_init(ctx);
	if (ret)
		goto err_free;
	return ctx;

err_free:
	ckpt_ctx_free(ctx);
	return ERR_PTR(ret);
}

/**
 * sys_checkpoint - write the image of a frozen process tree
 * @pid: root of the tree, in the caller's pid namespace
 * @fd: file descriptor open for writing; the image is appended to it
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
	ctx->id = atomic64_inc_return(&ckpt_last_id);

	if (pid <= 0) {
		ret = ckpt_err(ctx, -EINVAL, "pid %d is not a valid pid", pid);
		goto out;
	}
	ctx->root = find_get_task_by_vpid(pid);
	if (!ctx->root) {
		ret = ckpt_err(ctx, -ESRCH, "pid %d: no such process", pid);
		goto out;
	}

	ret = do_checkpoint(ctx);
	if (!ret) {
		ckpt_msg(ctx, "checkpoint %llu of pid %d done, %lld bytes",
			 ctx->id, pid, ckpt_stream_offset(ctx));
		ret = ctx->id;
	}
out:
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
 * Return: 0 on success, or a negative errno.
 */
SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
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

	ret = do_restart(ctx);
out:
	ckpt_ctx_free(ctx);
	return ret;
}
