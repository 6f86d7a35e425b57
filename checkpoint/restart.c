// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the restart flow.
 *
 * The image is untrusted: every record is checked before it is used, and
 * nothing is released to run before the tail record has checked out.
 */

#include <linux/checkpoint.h>
#include <linux/err.h>
#include <linux/threads.h>
#include <linux/sched.h>
#include <linux/slab.h>

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

static int restore_task(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr,
			int ntasks)
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
	if (ntasks)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"task record at offset %lld: images of more than one task are not supported yet",
				ctx->rec_offset);
	return 0;
}

/**
 * ckpt_do_restart - read an image and check it, record by record
 * @ctx: restart context
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_do_restart(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr h;
	int ntasks = 0;
	int ret;

	ret = ckpt_read_header(ctx);
	if (ret)
		return ret;

	for (;;) {
		ret = ckpt_read_hdr(ctx, &h);
		if (ret)
			return ret;
		switch (h.type) {
		case CKPT_HDR_TASK:
			ret = restore_task(ctx, &h, ntasks++);
			break;
		case CKPT_HDR_ERROR:
			ret = restore_error(ctx, &h);
			break;
		case CKPT_HDR_TAIL:
			ret = ckpt_read_tail(ctx, &h);
			if (ret)
				return ret;
			goto tail;
		case CKPT_HDR_HEADER:
			ret = ckpt_err(ctx, -EINVAL,
				       "second header record at offset %lld",
				       ctx->rec_offset);
			break;
		default:
			ret = ckpt_err(ctx, -EINVAL,
				       "unknown record type %u at offset %lld",
				       h.type, ctx->rec_offset);
			break;
		}
		if (ret)
			return ret;
	}

tail:
	if (!ntasks)
		return ckpt_err(ctx, -EINVAL, "image holds no task");
	if (ctx->flags & RESTART_VALIDATE) {
		ckpt_msg(ctx, "image is valid, %lld bytes",
			 ckpt_stream_offset(ctx));
		return 0;
	}
	return ckpt_err(ctx, -EOPNOTSUPP,
			"image is valid, but restoring tasks is not supported yet");
}
