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
#include <linux/slab.h>
#include <linux/syscalls.h>

static int restore_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	struct ckpt_hdr_error *e;
	size_t max = sizeof(*e) + CKPT_ERROR_MSG_MAX;
	int ret;

	if (h->len < sizeof(*e) + 8 || h->len > max)
		return ckpt_err(ctx, -EINVAL,
				"error record at offset %lld: bad length %u",
				ctx->rec_offset, h->len);
	e = kmalloc(h->len, GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	ret = ckpt_read_payload(ctx, h, h->len, e);
	if (!ret)
		ret = ckpt_check_string(ctx, e->msg, h->len - sizeof(*e),
					"error message");
	if (!ret)
		ret = ckpt_err(ctx, -EINVAL,
			       "image records a checkpoint failure (error %d): %*pE",
			       e->err, (int)strlen(e->msg), e->msg);
	kfree(e);
	return ret;
}

static int restore_task(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_task h;
	void *parent;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (h.parent_ref) {
		parent = ckpt_obj_fetch(ctx, h.parent_ref, CKPT_OBJ_TASK);
		if (IS_ERR(parent))
			return PTR_ERR(parent);
	}
	if (h.reserved)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: reserved field set",
				ctx->rec_offset);
	if (h.pid <= 0 || h.pid > PID_MAX_LIMIT || h.tgid != h.pid ||
	    h.ppid < 0 || h.ppid > PID_MAX_LIMIT ||
	    h.pgid < 0 || h.pgid > PID_MAX_LIMIT ||
	    h.sid < 0 || h.sid > PID_MAX_LIMIT)
		return ckpt_err(ctx, -EINVAL,
				"task record at offset %lld: bad ids pid %d tgid %d ppid %d pgid %d sid %d",
				ctx->rec_offset, h.pid, h.tgid, h.ppid, h.pgid,
				h.sid);
	ret = ckpt_check_string(ctx, h.comm, sizeof(h.comm), "comm");
	if (ret)
		return ret;
	ret = ckpt_obj_insert(ctx, current, h.objref, CKPT_OBJ_TASK);
	if (ret)
		return ret;
	if (ctx->rs.ntasks++)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"task record at offset %lld: images of more than one task are not supported yet",
				ctx->rec_offset);
	/* applied once the whole image checked out */
	memcpy(ctx->rs.comm, h.comm, sizeof(ctx->rs.comm));
	ctx->rs.setsid = h.sid == h.pid;
	ctx->rs.pid = h.pid;
	return 0;
}

static int restore_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	switch (h->type) {
	case CKPT_HDR_TASK:
		return restore_task(ctx, h);
	case CKPT_HDR_IPC_NS:
		return restore_ipc_ns(ctx, h);
	case CKPT_HDR_IPC_MSG:
		return restore_ipc_msg(ctx, h);
	case CKPT_HDR_IPC_SEM:
		return restore_ipc_sem(ctx, h);
	case CKPT_HDR_IPC_SHM:
		return restore_ipc_shm(ctx, h);
	case CKPT_HDR_SEM_UNDO:
		return restore_sem_undo(ctx, h);
	case CKPT_HDR_MM:
		return restore_mm(ctx, h);
	case CKPT_HDR_VMA:
		return restore_vma(ctx, h);
	case CKPT_HDR_PAGES:
		if (ctx->rs.shm_seg)
			return restore_shm_pages(ctx, h);
		return restore_pages(ctx, h);
	case CKPT_HDR_CPU:
		/* the address space is complete: every segment attached */
		if (ckpt_restoring(ctx))
			ckpt_ipc_finish(ctx);
		return restore_cpu(ctx, h);
	case CKPT_HDR_XSTATE:
		return restore_xstate(ctx, h);
	case CKPT_HDR_RESTART_BLOCK:
		return restore_restart_block(ctx, h);
	case CKPT_HDR_SIGNALS:
		return restore_signals(ctx, h);
	case CKPT_HDR_PROC:
		return restore_proc(ctx, h);
	case CKPT_HDR_PIPE:
		return restore_pipe(ctx, h);
	case CKPT_HDR_FILE:
		return restore_file(ctx, h);
	case CKPT_HDR_FD_TABLE:
		return restore_fd_table(ctx, h);
	case CKPT_HDR_CREDS:
		return restore_creds(ctx, h);
	case CKPT_HDR_ERROR:
		return restore_error(ctx, h);
	case CKPT_HDR_HEADER:
		return ckpt_err(ctx, -EINVAL,
				"second header record at offset %lld",
				ctx->rec_offset);
	}
	return ckpt_err(ctx, -EINVAL, "unknown record type %u at offset %lld",
			h->type, ctx->rec_offset);
}

/* After the tail: everything a task needs was there */
static int restore_complete(struct ckpt_ctx *ctx)
{
	struct ckpt_restore_state *rs = &ctx->rs;
	bool restarts = rs->restored_ax == (u64)-ERESTART_RESTARTBLOCK &&
			(long)rs->restored_orig_ax >= 0;

	if (!rs->ntasks)
		return ckpt_err(ctx, -EINVAL, "image holds no task");
	if (restarts != rs->restart_block)
		return ckpt_err(ctx, -EINVAL,
				"the registers resume through restart_syscall() %s a restart block",
				rs->restart_block ? "but have" : "without");
	if (!rs->mm_seen || rs->vmas_left || !rs->cpu_seen || !rs->xstate_seen ||
	    !rs->signals_seen || !rs->proc_seen || !rs->fd_table_seen ||
	    !rs->creds_seen)
		return ckpt_err(ctx, -EINVAL,
				"image ends before the task's %s",
				!rs->mm_seen || rs->vmas_left ? "memory" :
				!rs->cpu_seen ? "registers" :
				!rs->xstate_seen ? "FPU state" :
				!rs->signals_seen ? "signals" :
				!rs->proc_seen ? "process state" :
				!rs->fd_table_seen ? "files" : "credentials");
	return 0;
}

/**
 * ckpt_do_restart - read an image record by record, and restore it
 * @ctx: restart context
 *
 * With RESTART_VALIDATE every record is checked and nothing is changed.
 * Otherwise the calling task becomes the task of the image, as with
 * execve(): once its address space is touched, a failure kills it.  On
 * success its descriptors are those of the image (but 0, 1 and 2 with
 * RESTART_KEEP_STDIO).
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_do_restart(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr h;
	int ret;

	/* the address space is rebuilt in place: it must be ours alone */
	if (ckpt_restoring(ctx) &&
	    (get_nr_threads(current) > 1 || !current->mm ||
	     atomic_read(&current->mm->mm_users) > 1))
		return ckpt_err(ctx, -EBUSY,
				"the calling task shares its address space (threads, vfork)");

	ret = ckpt_read_header(ctx);
	while (!ret) {
		ret = ckpt_read_hdr(ctx, &h);
		if (ret)
			break;
		if (h.type == CKPT_HDR_TAIL) {
			ret = ckpt_read_tail(ctx, &h);
			if (!ret)
				ret = restore_complete(ctx);
			break;
		}
		ret = restore_record(ctx, &h);
	}
	/* the image's files replace the caller's, as the last change */
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_install_fds(ctx);
	ckpt_files_release(ctx);
	ckpt_ipc_end(ctx, ret);
	if (ret) {
		if (ctx->rs.committed)
			force_fatal_sig(SIGKILL);
		return ret;
	}
	if (ckpt_restoring(ctx)) {
		set_task_comm(current, ctx->rs.comm);
		/* a session leader (a daemon after setsid()) stays one */
		if (ctx->rs.setsid && task_pid_vnr(current) == ctx->rs.pid &&
		    task_session_vnr(current) != ctx->rs.pid &&
		    ksys_setsid() < 0)
			ckpt_msg(ctx, "pid %d leads a process group: it stays in its session",
				 ctx->rs.pid);
		ckpt_arch_resume(ctx);
	}
	ckpt_msg(ctx, "image %s, %lld bytes",
		 ckpt_restoring(ctx) ? "restored" : "is valid",
		 ckpt_stream_offset(ctx));
	return 0;
}
