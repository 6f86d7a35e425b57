// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of SysV message queues: each queue with its
 * messages, copied in queue order and never received.
 */

#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_mm.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/msg.h>
#include <linux/nsproxy.h>
#include <linux/percpu_counter.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/shm.h>
#include <linux/shmem_fs.h>
#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/security.h>
#include <linux/sem.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uidgid.h>

#include "util.h"
#include "objects.h"
#include "checkpoint.h"

/* The record of a queue, built under its lock; NULL if it changed */
static struct ckpt_hdr_ipc_msg *ckpt_msg_snapshot(struct ckpt_ctx *ctx,
						  struct msg_queue *q,
						  size_t *lenp)
{
	struct pid_namespace *pidns = task_active_pid_ns(ctx->root);
	struct ckpt_hdr_ipc_msg *h;
	struct ckpt_ipc_msg *m;
	unsigned long nr, bytes;
	struct msg_msg *msg;
	void *p;
	size_t len;

	ipc_lock_object(&q->q_perm);
	nr = q->q_qnum;
	bytes = q->q_cbytes;
	ipc_unlock_object(&q->q_perm);

	len = sizeof(*h) + nr * (sizeof(*m) + 7) + bytes;
	if (len > CKPT_RECORD_MAX) {
		ckpt_err(ctx, -EOPNOTSUPP,
			 "msg %d: %lu messages of %lu bytes do not fit in a record",
			 q->q_perm.id, nr, bytes);
		return ERR_PTR(-EOPNOTSUPP);
	}
	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return ERR_PTR(-ENOMEM);

	ipc_lock_object(&q->q_perm);
	if (q->q_qnum != nr || q->q_cbytes != bytes) {
		ipc_unlock_object(&q->q_perm);
		kvfree(h);
		return NULL;
	}
	ckpt_ipc_perm_save(&q->q_perm, &h->perm);
	h->stime = q->q_stime;
	h->rtime = q->q_rtime;
	h->ctime = q->q_ctime;
	h->qbytes = q->q_qbytes;
	h->cbytes = q->q_cbytes;
	h->lspid = pid_nr_ns(q->q_lspid, pidns);
	h->lrpid = pid_nr_ns(q->q_lrpid, pidns);
	h->nr_msgs = nr;
	p = h + 1;
	list_for_each_entry(msg, &q->q_messages, m_list) {
		m = p;
		m->mtype = msg->m_type;
		m->len = msg->m_ts;
		ckpt_msg_text(m + 1, msg);
		p += sizeof(*m) + ALIGN(msg->m_ts, 8);
	}
	ipc_unlock_object(&q->q_perm);
	*lenp = p - (void *)h;
	return h;
}

/**
 * checkpoint_msg_queue - write a message queue and its messages
 * @ctx: checkpoint context
 * @perm: the queue, with the ids' rwsem held
 *
 * The messages are copied in queue order, not received.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_msg_queue(struct ckpt_ctx *ctx,
			 struct kern_ipc_perm *perm)
{
	struct msg_queue *q = container_of(perm, struct msg_queue, q_perm);
	struct ckpt_hdr_ipc_msg *h = NULL;
	size_t len;
	int i, ret;

	/* a sender or receiver outside the tree may be at work on it */
	for (i = 0; i < 10 && !h; i++)
		h = ckpt_msg_snapshot(ctx, q, &len);
	if (!h)
		return ckpt_err(ctx, -EBUSY,
				"msg %d: the queue keeps changing", perm->id);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_IPC_MSG, len);
	kvfree(h);
	return ret;
}

static long ckpt_msgget(key_t key, int arg, int flags)
{
	return ksys_msgget(key, flags);
}

/* The messages of a queue record: checked, and built unless validating */
static int ckpt_msgs_build(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_msg *h,
			   struct list_head *msgs)
{
	void *p = h + 1, *end = (void *)h + h->h.len;
	struct ckpt_ipc_msg *m;
	struct msg_msg *msg;
	u64 total = 0;
	u32 i;
	int ret;

	for (i = 0; i < h->nr_msgs; i++) {
		m = p;
		if (end - p < sizeof(*m) ||
		    end - p - sizeof(*m) < ALIGN((u64)m->len, 8))
			return ckpt_err(ctx, -EINVAL,
					"msg %d: message %u runs past the record",
					h->perm.id, i);
		if (m->mtype <= 0 || m->reserved)
			return ckpt_err(ctx, -EINVAL,
					"msg %d: message %u: bad type %lld",
					h->perm.id, i, m->mtype);
		if (m->len > ctx->rs.ipc->msg_ctlmax)
			return ckpt_err(ctx, -EINVAL,
					"msg %d: message %u of %u bytes is longer than msgmax %u",
					h->perm.id, i, m->len, ctx->rs.ipc->msg_ctlmax);
		total += m->len;
		if (ckpt_restoring(ctx)) {
			msg = alloc_msg(m->len);
			if (!msg)
				return -ENOMEM;
			msg->m_type = m->mtype;
			msg->m_ts = m->len;
			list_add_tail(&msg->m_list, msgs);
			ckpt_msg_fill(msg, m + 1, m->len);
			ret = security_msg_msg_alloc(msg);
			if (ret)
				return ret;
		}
		p += sizeof(*m) + ALIGN(m->len, 8);
	}
	if (p != end || total != h->cbytes)
		return ckpt_err(ctx, -EINVAL,
				"msg %d: %llu bytes of messages in %u bytes, expected %llu",
				h->perm.id, total, h->h.len, h->cbytes);
	return 0;
}

static void ckpt_msgs_free(struct list_head *msgs)
{
	struct msg_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, msgs, m_list) {
		list_del(&msg->m_list);
		free_msg(msg);
	}
}

static int ckpt_msg_apply(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_msg *h,
			  struct list_head *msgs)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kern_ipc_perm *perm;
	struct msg_queue *q;
	struct msg_msg *msg;
	int ret;

	if (h->qbytes > ns->msg_ctlmnb && !capable(CAP_SYS_RESOURCE))
		return ckpt_err(ctx, -EPERM,
				"msg %d: not permitted to raise its size to %llu",
				h->perm.id, h->qbytes);
	ret = ckpt_ipc_may_own(ctx, ns, "msg", &h->perm);
	if (!ret)
		ret = ckpt_ipc_create(ctx, IPC_MSG_IDS, &h->perm, ckpt_msgget,
				      0);
	if (ret)
		return ret;
	perm = ckpt_ipc_lock(ctx, &msg_ids(ns), "msg", h->perm.id);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	q = container_of(perm, struct msg_queue, q_perm);
	ckpt_ipc_owner(&h->perm, perm);
	{
		q->q_stime = h->stime;
		q->q_rtime = h->rtime;
		q->q_ctime = h->ctime;
		q->q_qbytes = h->qbytes;
		put_pid(q->q_lspid);
		put_pid(q->q_lrpid);
		q->q_lspid = h->lspid > 0 ? find_get_pid(h->lspid) : NULL;
		q->q_lrpid = h->lrpid > 0 ? find_get_pid(h->lrpid) : NULL;
		list_for_each_entry(msg, msgs, m_list) {
			q->q_cbytes += msg->m_ts;
			q->q_qnum++;
			percpu_counter_add_local(&ns->percpu_msg_bytes,
						 msg->m_ts);
			percpu_counter_add_local(&ns->percpu_msg_hdrs, 1);
		}
		list_splice_tail_init(msgs, &q->q_messages);
	}
	ckpt_ipc_unlock(perm);
	return 0;
}

/**
 * restore_ipc_msg - create a message queue with its messages
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_ipc_msg(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_msg *h;
	LIST_HEAD(msgs);
	int ret;

	if (!ctx->rs.ipc->msg_left)
		return ckpt_err(ctx, -EINVAL,
				"msg record at offset %lld out of place",
				ctx->rec_offset);
	ctx->rs.ipc->msg_left--;
	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_ipc_perm_check(ctx, "msg", &h->perm);
	if (!ret && (h->reserved || h->qbytes > INT_MAX ||
		     h->cbytes > h->qbytes || h->nr_msgs > h->qbytes ||
		     h->nr_msgs > h->h.len / sizeof(struct ckpt_ipc_msg) ||
		     h->lspid < 0 || h->lrpid < 0))
		ret = ckpt_err(ctx, -EINVAL, "msg %d: bad fields",
			       h->perm.id);
	if (!ret)
		ret = ckpt_msgs_build(ctx, h, &msgs);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_msg_apply(ctx, h, &msgs);
	ckpt_msgs_free(&msgs);
	kvfree(h);
	return ret;
}

