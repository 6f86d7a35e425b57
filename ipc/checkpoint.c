// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of a SysV IPC namespace: its sysctls, its message
 * queues with their messages and its semaphore sets.
 *
 * Checkpoint writes the namespace of the tree once, right after the
 * task record, with every object in it, under the ids' rwsems so that
 * no object comes or goes during the pass.  Nothing is changed: the
 * messages are copied, not received.
 *
 * Restart creates the objects again in the caller's namespace (the
 * restart tool gives it a new one) with their ids, through msgget() and
 * semget() with ids->next_id set, then puts back their owners, times
 * and contents.
 */

#include <linux/checkpoint.h>
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
#include <linux/security.h>
#include <linux/sem.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uidgid.h>

#include "util.h"
#include "objects.h"

#define msg_ids(ns)	((ns)->ids[IPC_MSG_IDS])
#define sem_ids(ns)	((ns)->ids[IPC_SEM_IDS])
#define shm_ids(ns)	((ns)->ids[IPC_SHM_IDS])

/* ---------------------------------------------------------------- */
/* Checkpoint */

static void ckpt_ipc_perm_save(struct kern_ipc_perm *perm,
			       struct ckpt_ipc_perm *p)
{
	struct user_namespace *uns = current_user_ns();

	p->id = perm->id;
	p->key = perm->key;
	p->uid = from_kuid_munged(uns, perm->uid);
	p->gid = from_kgid_munged(uns, perm->gid);
	p->cuid = from_kuid_munged(uns, perm->cuid);
	p->cgid = from_kgid_munged(uns, perm->cgid);
	p->mode = perm->mode & 0777;
	p->seq = perm->seq;
}

/* Copy the text of @msg, which lives in one page and a chain of segments */
static void ckpt_msg_text(void *dst, struct msg_msg *msg)
{
	size_t len = msg->m_ts, n = min_t(size_t, len, DATALEN_MSG), part;
	struct msg_msgseg *seg;

	memcpy(dst, msg + 1, n);
	for (seg = msg->next; seg && n < len; seg = seg->next) {
		part = min_t(size_t, len - n, DATALEN_SEG);
		memcpy(dst + n, seg + 1, part);
		n += part;
	}
}

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

static int checkpoint_msg_queue(struct ckpt_ctx *ctx,
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

static int checkpoint_sem_array(struct ckpt_ctx *ctx,
				struct kern_ipc_perm *perm)
{
	struct pid_namespace *pidns = task_active_pid_ns(ctx->root);
	struct sem_array *sma = container_of(perm, struct sem_array, sem_perm);
	struct ckpt_hdr_ipc_sem *h;
	size_t len = struct_size(h, sems, sma->sem_nsems);
	struct sem *sem;
	int i, ret;

	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	ipc_lock_object(perm);
	ckpt_ipc_perm_save(perm, &h->perm);
	h->ctime = sma->sem_ctime;
	h->nsems = sma->sem_nsems;
	for (i = 0; i < sma->sem_nsems; i++) {
		sem = &sma->sems[i];
		/* a simple semop() takes only the lock of its semaphore */
		spin_lock(&sem->lock);
		h->sems[i].semval = sem->semval;
		h->sems[i].sempid = pid_nr_ns(sem->sempid, pidns);
		h->sems[i].otime = sem->sem_otime;
		spin_unlock(&sem->lock);
	}
	ipc_unlock_object(perm);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_IPC_SEM, len);
	kvfree(h);
	return ret;
}

/* Every object of @ids, in id order, with @ids->rwsem held */
static int ckpt_ipc_each(struct ckpt_ctx *ctx, struct ipc_ids *ids,
			 int (*fn)(struct ckpt_ctx *, struct kern_ipc_perm *))
{
	struct kern_ipc_perm *perm;
	int idx, ret;

	for (idx = 0; (perm = idr_get_next(&ids->ipcs_idr, &idx)); idx++) {
		ret = fn(ctx, perm);
		if (ret)
			return ret;
	}
	return 0;
}

/* What the namespace holds that this version cannot save */
static int ckpt_ipc_unsupported(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
				struct task_struct *task)
{
	struct sem_undo_list *ulp = task->sysvsem.undo_list;
	struct kern_ipc_perm *perm;
	struct sem_undo *un;
	int idx = 0, semid = -1;

	down_read(&shm_ids(ns).rwsem);
	perm = idr_get_next(&shm_ids(ns).ipcs_idr, &idx);
	idx = perm ? perm->id : -1;
	up_read(&shm_ids(ns).rwsem);
	if (perm)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"shm %d: SysV shared memory not supported yet",
				idx);
	if (ulp) {
		rcu_read_lock();
		un = list_first_or_null_rcu(&ulp->list_proc, struct sem_undo,
					    list_proc);
		if (un)
			semid = un->semid;
		rcu_read_unlock();
		if (un)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d: semaphore undo list (sem %d) not supported yet",
					task_pid_vnr(task), semid);
	}
	return 0;
}

/**
 * checkpoint_ipc_ns - write the SysV IPC namespace of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_ipc_ns(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ipc_namespace *ns = NULL;
	struct ckpt_hdr_ipc_ns h;
	bool first;
	int objref, ret;

	task_lock(task);
	if (task->nsproxy)
		ns = get_ipc_ns(task->nsproxy->ipc_ns);
	task_unlock(task);
	if (!ns)
		return ckpt_err(ctx, -ESRCH, "pid %d has no IPC namespace",
				task_pid_vnr(task));
	ret = ckpt_ipc_unsupported(ctx, ns, task);
	if (ret)
		goto out_put;
	objref = ckpt_obj_checkpoint(ctx, ns, CKPT_OBJ_IPC_NS, &first);
	ret = objref < 0 ? objref : 0;
	if (ret || !first)
		goto out_put;

	/* no object comes or goes until the whole namespace is written */
	down_read(&msg_ids(ns).rwsem);
	down_read(&sem_ids(ns).rwsem);
	memset(&h, 0, sizeof(h));
	h.objref = objref;
	h.nr_msg = msg_ids(ns).in_use;
	h.nr_sem = sem_ids(ns).in_use;
	h.shm_ctlmax = ns->shm_ctlmax;
	h.shm_ctlall = ns->shm_ctlall;
	h.shm_ctlmni = ns->shm_ctlmni;
	h.shm_rmid_forced = ns->shm_rmid_forced;
	h.msg_ctlmax = ns->msg_ctlmax;
	h.msg_ctlmnb = ns->msg_ctlmnb;
	h.msg_ctlmni = ns->msg_ctlmni;
	memcpy(h.sem_ctls, ns->sem_ctls, sizeof(h.sem_ctls));
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_IPC_NS, sizeof(h));
	if (!ret)
		ret = ckpt_ipc_each(ctx, &msg_ids(ns), checkpoint_msg_queue);
	if (!ret)
		ret = ckpt_ipc_each(ctx, &sem_ids(ns), checkpoint_sem_array);
	up_read(&sem_ids(ns).rwsem);
	up_read(&msg_ids(ns).rwsem);
out_put:
	put_ipc_ns(ns);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Restart */

/**
 * restore_ipc_ns - check the namespace record and apply its sysctls
 * @ctx: restart context
 * @hdr: the record header
 *
 * Sysctls that differ from the caller's namespace need CAP_SYS_RESOURCE
 * over it, as writing them in /proc/sys would.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_ipc_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_restore_state *rs = &ctx->rs;
	struct ckpt_hdr_ipc_ns h;
	int ret, i;
	bool same;

	if (!rs->ntasks || rs->ipc_ns_seen)
		return ckpt_err(ctx, -EINVAL,
				"IPC namespace record at offset %lld out of place",
				ctx->rec_offset);
	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	for (i = 0, ret = 0; i < 4; i++)
		ret |= h.sem_ctls[i] < 0;
	if (h.reserved || h.reserved2 || ret || h.shm_rmid_forced > 1 ||
	    h.shm_ctlmni > ipc_mni || h.msg_ctlmni > ipc_mni ||
	    h.sem_ctls[3] > ipc_mni || h.msg_ctlmax > INT_MAX ||
	    h.msg_ctlmnb > INT_MAX || h.nr_msg > ipc_mni ||
	    h.nr_sem > ipc_mni)
		return ckpt_err(ctx, -EINVAL,
				"IPC namespace record at offset %lld: bad limits or counts",
				ctx->rec_offset);
	ret = ckpt_obj_insert(ctx, ckpt_restoring(ctx) ? ns : NULL, h.objref,
			      CKPT_OBJ_IPC_NS);
	if (ret)
		return ret;
	rs->ipc_ns_seen = true;
	rs->ipc_msg_left = h.nr_msg;
	rs->ipc_sem_left = h.nr_sem;
	rs->msg_ctlmax = h.msg_ctlmax;
	rs->sem_semmsl = h.sem_ctls[0];
	if (!ckpt_restoring(ctx))
		return 0;

	same = ns->shm_ctlmax == h.shm_ctlmax &&
	       ns->shm_ctlall == h.shm_ctlall &&
	       ns->shm_ctlmni == h.shm_ctlmni &&
	       ns->shm_rmid_forced == h.shm_rmid_forced &&
	       ns->msg_ctlmax == h.msg_ctlmax &&
	       ns->msg_ctlmnb == h.msg_ctlmnb &&
	       ns->msg_ctlmni == h.msg_ctlmni &&
	       !memcmp(ns->sem_ctls, h.sem_ctls, sizeof(h.sem_ctls));
	if (same)
		return 0;
	if (!ns_capable(ns->user_ns, CAP_SYS_RESOURCE))
		return ckpt_err(ctx, -EPERM,
				"not permitted to set the IPC sysctls of this namespace");
	ns->shm_ctlmax = h.shm_ctlmax;
	ns->shm_ctlall = h.shm_ctlall;
	ns->shm_ctlmni = h.shm_ctlmni;
	ns->shm_rmid_forced = h.shm_rmid_forced;
	ns->msg_ctlmax = h.msg_ctlmax;
	ns->msg_ctlmnb = h.msg_ctlmnb;
	ns->msg_ctlmni = h.msg_ctlmni;
	memcpy(ns->sem_ctls, h.sem_ctls, sizeof(h.sem_ctls));
	return 0;
}

/* The fields of a kern_ipc_perm from the image */
static int ckpt_ipc_perm_check(struct ckpt_ctx *ctx, const char *what,
			       struct ckpt_ipc_perm *p)
{
	struct user_namespace *uns = current_user_ns();

	if (p->id < 0 || ipcid_to_idx(p->id) >= ipc_mni ||
	    ipcid_to_seqx(p->id) != p->seq)
		return ckpt_err(ctx, -EINVAL, "%s %d: id out of range", what,
				p->id);
	if (p->mode & ~0777 ||
	    !uid_valid(make_kuid(uns, p->uid)) ||
	    !uid_valid(make_kuid(uns, p->cuid)) ||
	    !gid_valid(make_kgid(uns, p->gid)) ||
	    !gid_valid(make_kgid(uns, p->cgid)))
		return ckpt_err(ctx, -EINVAL, "%s %d: bad mode or owner", what,
				p->id);
	return 0;
}

/* Create the object with the image's id: *get() with ids->next_id set */
static int ckpt_ipc_create(struct ckpt_ctx *ctx, struct ipc_ids *ids,
			   const char *what, struct ckpt_ipc_perm *p,
			   long (*get)(key_t key, int arg, int flags), int arg)
{
	long id;

	down_write(&ids->rwsem);
	ids->next_id = p->id;
	up_write(&ids->rwsem);
	id = get(p->key, arg, IPC_CREAT | IPC_EXCL | p->mode);
	down_write(&ids->rwsem);
	ids->next_id = -1;
	up_write(&ids->rwsem);
	if (id < 0)
		return ckpt_err(ctx, id, "%s %d: cannot create it (key %#x)",
				what, p->id, p->key);
	if (id != p->id)
		return ckpt_err(ctx, -EBUSY,
				"%s %d: the id is taken in this IPC namespace (got %ld)",
				what, p->id, id);
	return 0;
}

/* Owners, as the caller could set them: creator ids need CAP_SYS_ADMIN */
static int ckpt_ipc_owner(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			  const char *what, struct ckpt_ipc_perm *p,
			  struct kern_ipc_perm *perm)
{
	struct user_namespace *uns = current_user_ns();
	kuid_t cuid = make_kuid(uns, p->cuid);
	kgid_t cgid = make_kgid(uns, p->cgid);

	if ((!uid_eq(cuid, current_euid()) || !gid_eq(cgid, current_egid())) &&
	    !ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		return ckpt_err(ctx, -EPERM,
				"%s %d: not permitted to make %u:%u its creator",
				what, p->id, p->cuid, p->cgid);
	perm->uid = make_kuid(uns, p->uid);
	perm->gid = make_kgid(uns, p->gid);
	perm->cuid = cuid;
	perm->cgid = cgid;
	return 0;
}

static long ckpt_msgget(key_t key, int arg, int flags)
{
	return ksys_msgget(key, flags);
}

/* Copy @len bytes of text into @msg, as alloc_msg() laid it out */
static void ckpt_msg_fill(struct msg_msg *msg, const void *src, size_t len)
{
	size_t n = min_t(size_t, len, DATALEN_MSG), part;
	struct msg_msgseg *seg;

	memcpy(msg + 1, src, n);
	for (seg = msg->next; seg && n < len; seg = seg->next) {
		part = min_t(size_t, len - n, DATALEN_SEG);
		memcpy(seg + 1, src + n, part);
		n += part;
	}
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
		if (m->len > ctx->rs.msg_ctlmax)
			return ckpt_err(ctx, -EINVAL,
					"msg %d: message %u of %u bytes is longer than msgmax %u",
					h->perm.id, i, m->len, ctx->rs.msg_ctlmax);
		total += m->len;
		if (ckpt_restoring(ctx)) {
			msg = alloc_msg(m->len);
			if (!msg)
				return -ENOMEM;
			msg->m_type = m->mtype;
			msg->m_ts = m->len;
			list_add_tail(&msg->m_list, msgs);
			ckpt_msg_fill(msg, m + 1, m->len);
			if (security_msg_msg_alloc(msg))
				return -ENOMEM;
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
	ret = ckpt_ipc_create(ctx, &msg_ids(ns), "msg", &h->perm, ckpt_msgget,
			      0);
	if (ret)
		return ret;
	rcu_read_lock();
	perm = ipc_obtain_object_check(&msg_ids(ns), h->perm.id);
	if (IS_ERR(perm)) {
		rcu_read_unlock();
		return ckpt_err(ctx, PTR_ERR(perm), "msg %d: it went away",
				h->perm.id);
	}
	q = container_of(perm, struct msg_queue, q_perm);
	ipc_lock_object(perm);
	ret = ckpt_ipc_owner(ctx, ns, "msg", &h->perm, perm);
	if (!ret) {
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
	ipc_unlock_object(perm);
	rcu_read_unlock();
	return ret;
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

	if (!ctx->rs.ipc_msg_left)
		return ckpt_err(ctx, -EINVAL,
				"msg record at offset %lld out of place",
				ctx->rec_offset);
	ctx->rs.ipc_msg_left--;
	h = ckpt_read_var(ctx, hdr, sizeof(*h), CKPT_RECORD_MAX);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_ipc_perm_check(ctx, "msg", &h->perm);
	if (!ret && (h->reserved || h->qbytes > INT_MAX ||
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

static int ckpt_sem_apply(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_sem *h)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	struct sem *sem;
	u32 i;
	int ret;

	ret = ckpt_ipc_create(ctx, &sem_ids(ns), "sem", &h->perm, ksys_semget,
			      h->nsems);
	if (ret)
		return ret;
	rcu_read_lock();
	perm = ipc_obtain_object_check(&sem_ids(ns), h->perm.id);
	if (IS_ERR(perm)) {
		rcu_read_unlock();
		return ckpt_err(ctx, PTR_ERR(perm), "sem %d: it went away",
				h->perm.id);
	}
	sma = container_of(perm, struct sem_array, sem_perm);
	/* new: every semop() takes the global lock, and none can run yet */
	ipc_lock_object(perm);
	ret = ckpt_ipc_owner(ctx, ns, "sem", &h->perm, perm);
	for (i = 0; !ret && i < h->nsems; i++) {
		sem = &sma->sems[i];
		sem->semval = h->sems[i].semval;
		sem->sem_otime = h->sems[i].otime;
		put_pid(sem->sempid);
		sem->sempid = h->sems[i].sempid > 0 ?
			      find_get_pid(h->sems[i].sempid) : NULL;
	}
	if (!ret)
		sma->sem_ctime = h->ctime;
	ipc_unlock_object(perm);
	rcu_read_unlock();
	return ret;
}

/**
 * restore_ipc_sem - create a semaphore set with its values
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_ipc_sem(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_ipc_sem *h;
	int ret;
	u32 i;

	if (ctx->rs.ipc_msg_left || !ctx->rs.ipc_sem_left)
		return ckpt_err(ctx, -EINVAL,
				"sem record at offset %lld out of place",
				ctx->rec_offset);
	ctx->rs.ipc_sem_left--;
	h = ckpt_read_var(ctx, hdr, sizeof(*h), CKPT_RECORD_MAX);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_ipc_perm_check(ctx, "sem", &h->perm);
	if (!ret && (!h->nsems || h->nsems > ctx->rs.sem_semmsl))
		ret = ckpt_err(ctx, -EINVAL,
			       "sem %d: %u semaphores, over the limit of %d",
			       h->perm.id, h->nsems, ctx->rs.sem_semmsl);
	if (!ret && (h->reserved ||
		     h->h.len != struct_size(h, sems, h->nsems)))
		ret = ckpt_err(ctx, -EINVAL,
			       "sem %d: %u semaphores in %u bytes",
			       h->perm.id, h->nsems, h->h.len);
	for (i = 0; !ret && i < h->nsems; i++)
		if (h->sems[i].semval < 0 || h->sems[i].semval > SEMVMX ||
		    h->sems[i].sempid < 0)
			ret = ckpt_err(ctx, -EINVAL,
				       "sem %d: semaphore %u: bad value %d",
				       h->perm.id, i, h->sems[i].semval);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_sem_apply(ctx, h);
	kvfree(h);
	return ret;
}
