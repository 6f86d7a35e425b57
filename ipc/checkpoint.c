// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of a SysV IPC namespace: its sysctls, its message
 * queues with their messages, its semaphore sets and its shared memory
 * segments with their pages.
 *
 * Checkpoint writes the namespace of the tree once, right after the
 * task record, with every object in it, under the ids' rwsems so that
 * no object comes or goes during the pass.  Nothing is changed: the
 * messages are copied, not received.  The task's semaphore undo list
 * follows, still under the rwsems (ipc/semundo.c).
 *
 * Restart creates the objects again in the caller's namespace (the
 * restart tool gives it a new one) with their ids, through msgget(),
 * semget() and shmget() with ids->next_id set, then puts back their
 * owners, times and contents.  A task's SysV shared memory vmas attach
 * to the segments by objref, through do_shmat().
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

/* Write a batch of segment pages: their offsets, then their contents */
static int ckpt_shm_batch(struct ckpt_ctx *ctx, struct page **pages,
			  u64 *offs, unsigned int nr)
{
	struct ckpt_hdr_pages h;
	int ret;

	memset(&h, 0, sizeof(h));
	h.h.type = CKPT_HDR_PAGES;
	h.h.len = sizeof(h) + nr * sizeof(u64) + (size_t)nr * PAGE_SIZE;
	h.nr = nr;
	ret = ckpt_write(ctx, &h, sizeof(h));
	if (!ret)
		ret = ckpt_write(ctx, offs, nr * sizeof(u64));
	if (!ret)
		ret = ckpt_write_pages(ctx, pages, nr);
	return ret;
}

/* The populated pages of a segment that are not all zeroes */
static int ckpt_shm_pages(struct ckpt_ctx *ctx, struct shmid_kernel *shp)
{
	struct address_space *mapping = shp->shm_file->f_mapping;
	pgoff_t idx, end = DIV_ROUND_UP(shp->shm_segsz, PAGE_SIZE);
	unsigned int nr = 0, i;
	struct page **pages;
	struct page *page;
	void *entry, *data;
	u64 *offs;
	bool zero;
	int ret = 0;

	pages = kvmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	offs = kvmalloc_array(CKPT_PAGES_MAX, sizeof(*offs), GFP_KERNEL);
	if (!pages || !offs) {
		ret = -ENOMEM;
		goto out;
	}
	for (idx = 0; idx < end && !ret; idx++) {
		cond_resched();
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		rcu_read_lock();
		entry = xa_load(&mapping->i_pages, idx);
		rcu_read_unlock();
		page = entry && !xa_is_value(entry) ?
		       find_get_page(mapping, idx) : NULL;
		/* swapped out, maybe just now */
		if (entry && !page) {
			rcu_read_lock();
			entry = xa_load(&mapping->i_pages, idx);
			rcu_read_unlock();
		}
		if (xa_is_value(entry) && !page) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "shm %d: swapped-out pages not supported",
				       shp->shm_perm.id);
			break;
		}
		if (!page)
			continue;
		/* fallocate()d but never written: a hole */
		if (!PageUptodate(page)) {
			put_page(page);
			continue;
		}
		data = kmap_local_page(page);
		zero = !memchr_inv(data, 0, PAGE_SIZE);
		kunmap_local(data);
		if (zero) {
			put_page(page);
			continue;
		}
		pages[nr] = page;
		offs[nr++] = (u64)idx << PAGE_SHIFT;
		if (nr == CKPT_PAGES_MAX) {
			ret = ckpt_shm_batch(ctx, pages, offs, nr);
			for (i = 0; i < nr; i++)
				put_page(pages[i]);
			nr = 0;
		}
	}
	if (!ret && nr)
		ret = ckpt_shm_batch(ctx, pages, offs, nr);
	for (i = 0; i < nr; i++)
		put_page(pages[i]);
out:
	kvfree(pages);
	kvfree(offs);
	return ret;
}

static int checkpoint_shm_segment(struct ckpt_ctx *ctx,
				  struct kern_ipc_perm *perm)
{
	struct pid_namespace *pidns = task_active_pid_ns(ctx->root);
	struct shmid_kernel *shp = container_of(perm, struct shmid_kernel,
						shm_perm);
	struct ckpt_hdr_ipc_shm h;
	struct inode *inode;
	bool first;
	int objref;
	int ret;

	if (is_file_hugepages(shp->shm_file))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"shm %d: SHM_HUGETLB not supported", perm->id);
	inode = file_inode(shp->shm_file);
	objref = ckpt_obj_checkpoint(ctx, inode, CKPT_OBJ_INODE, &first);
	if (objref < 0)
		return objref;
	memset(&h, 0, sizeof(h));
	ipc_lock_object(perm);
	ckpt_ipc_perm_save(perm, &h.perm);
	h.size = shp->shm_segsz;
	h.atime = shp->shm_atim;
	h.dtime = shp->shm_dtim;
	h.ctime = shp->shm_ctim;
	h.cpid = pid_nr_ns(shp->shm_cprid, pidns);
	h.lpid = pid_nr_ns(shp->shm_lprid, pidns);
	h.nattch = shp->shm_nattch;
	if (perm->mode & SHM_DEST)
		h.flags |= CKPT_SHM_DEST;
	if (perm->mode & SHM_LOCKED)
		h.flags |= CKPT_SHM_LOCKED;
	ipc_unlock_object(perm);
	if (SHMEM_I(inode)->flags & VM_NORESERVE)
		h.flags |= CKPT_SHM_NORESERVE;
	h.objref = objref;
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_IPC_SHM, sizeof(h));
	return ret ? ret : ckpt_shm_pages(ctx, shp);
}

/**
 * checkpoint_shm_vma - the segment a SysV shared memory vma maps
 * @ctx: checkpoint context
 * @vma: a vma of the frozen task
 *
 * The segment must have been written with the task's IPC namespace:
 * one that was not means the namespace changed under the checkpoint.
 *
 * Return: the segment's objref, 0 if @vma is not SysV shared memory,
 * or a negative errno with its reason on the log.
 */
int checkpoint_shm_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma)
{
	struct shm_file_data *sfd;
	int objref;

	if (!vma->vm_file || !is_file_shm(vma->vm_file))
		return 0;
	sfd = shm_file_data(vma->vm_file);
	objref = ckpt_obj_lookup(ctx, file_inode(sfd->file), CKPT_OBJ_INODE);
	if (!objref)
		return ckpt_err(ctx, -EBUSY,
				"vma %#lx: shm %d was not in the IPC namespace when it was saved",
				vma->vm_start, sfd->id);
	if (vma->vm_pgoff ||
	    vma->vm_end - vma->vm_start != PAGE_ALIGN(i_size_read(file_inode(sfd->file))))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"vma %#lx: shm %d mapped in part not supported yet",
				vma->vm_start, sfd->id);
	return objref;
}

/*
 * Every object of @ids, in id order, with @ids->rwsem held.  The caller
 * must be able to read each one, as msgrcv(), semctl() or shmat() would
 * let it: an image holds their contents.
 */
static int ckpt_ipc_each(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			 struct ipc_ids *ids, const char *what,
			 int (*fn)(struct ckpt_ctx *, struct kern_ipc_perm *))
{
	struct kern_ipc_perm *perm;
	int idx, ret;

	for (idx = 0; (perm = idr_get_next(&ids->ipcs_idr, &idx)); idx++) {
		if (ipcperms(ns, perm, 0444))
			return ckpt_err(ctx, -EACCES,
					"%s %d: not permitted to read it",
					what, perm->id);
		ret = fn(ctx, perm);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * checkpoint_ipc_ns - write the SysV IPC namespace of the tree
 * @ctx: checkpoint context
 * @task: a task of the tree, frozen; all share its namespace
 *
 * The namespace with every object in it, then the semaphore undo lists
 * of the tasks.
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
	objref = ckpt_obj_checkpoint(ctx, ns, CKPT_OBJ_IPC_NS, &first);
	ret = objref < 0 ? objref : 0;
	if (ret || !first)
		goto out_put;

	/* no object comes or goes until the whole namespace is written */
	down_read(&msg_ids(ns).rwsem);
	down_read(&sem_ids(ns).rwsem);
	down_read(&shm_ids(ns).rwsem);
	memset(&h, 0, sizeof(h));
	h.objref = objref;
	h.nr_msg = msg_ids(ns).in_use;
	h.nr_sem = sem_ids(ns).in_use;
	h.nr_shm = shm_ids(ns).in_use;
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
		ret = ckpt_ipc_each(ctx, ns, &msg_ids(ns), "msg",
				    checkpoint_msg_queue);
	if (!ret)
		ret = ckpt_ipc_each(ctx, ns, &sem_ids(ns), "sem",
				    checkpoint_sem_array);
	if (!ret)
		ret = ckpt_ipc_each(ctx, ns, &shm_ids(ns), "shm",
				    checkpoint_shm_segment);
	/* the sets the undo lists name were all in the pass */
	if (!ret)
		ret = checkpoint_sem_undo(ctx, ns);
	up_read(&shm_ids(ns).rwsem);
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
	if (h.reserved2 || ret || h.shm_rmid_forced > 1 ||
	    h.shm_ctlmni > ipc_mni || h.msg_ctlmni > ipc_mni ||
	    h.sem_ctls[3] > ipc_mni || h.msg_ctlmax > INT_MAX ||
	    h.msg_ctlmnb > INT_MAX || h.nr_msg > ipc_mni ||
	    h.nr_sem > ipc_mni || h.nr_shm > ipc_mni)
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
	rs->ipc_shm_left = h.nr_shm;
	rs->msg_ctlmax = h.msg_ctlmax;
	rs->sem_semmsl = h.sem_ctls[0];
	if (!ckpt_restoring(ctx))
		return 0;
	ret = ckpt_sem_undo_busy(ctx);
	if (ret)
		return ret;
	/* the rights to remove what it makes, should the restart fail */
	rs->ipc_cred = get_current_cred();

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

static const char *const ckpt_ipc_what[] = {
	[IPC_SEM_IDS] = "sem",
	[IPC_MSG_IDS] = "msg",
	[IPC_SHM_IDS] = "shm",
};

/**
 * struct ckpt_ipc_made - an object restart created
 * @list: in ckpt_restore_state.ipc_made, the last made first
 * @kind: IPC_SEM_IDS, IPC_MSG_IDS or IPC_SHM_IDS
 * @id: its id
 */
struct ckpt_ipc_made {
	struct list_head list;
	int kind;
	int id;
};

static void ckpt_ipc_made_free(struct ckpt_ipc_made *made)
{
	list_del(&made->list);
	kfree(made);
}

static void ckpt_ipc_remove(int kind, int id)
{
	if (kind == IPC_SEM_IDS)
		ksys_semctl(id, 0, IPC_RMID, 0, IPC_64);
	else if (kind == IPC_MSG_IDS)
		ksys_msgctl(id, IPC_RMID, NULL, IPC_64);
	else
		ksys_shmctl(id, IPC_RMID, NULL, IPC_64);
}

/*
 * *get() returned @id: remember it, for a failed restart to remove
 * it, and it must be the image's
 */
static int ckpt_ipc_created(struct ckpt_ctx *ctx, int kind,
			    struct ckpt_ipc_perm *p, long id)
{
	const char *what = ckpt_ipc_what[kind];
	struct ckpt_ipc_made *made;

	if (id < 0)
		return ckpt_err(ctx, id, "%s %d: cannot create it (key %#x)",
				what, p->id, p->key);
	made = kmalloc(sizeof(*made), GFP_KERNEL_ACCOUNT);
	if (!made) {
		ckpt_ipc_remove(kind, id);
		return -ENOMEM;
	}
	made->kind = kind;
	made->id = id;
	list_add(&made->list, &ctx->rs.ipc_made);
	if (id != p->id)
		return ckpt_err(ctx, -EBUSY,
				"%s %d: the id is taken in this IPC namespace (got %ld)",
				what, p->id, id);
	return 0;
}

static void ckpt_ipc_next_id(struct ipc_ids *ids, int id)
{
	down_write(&ids->rwsem);
	ids->next_id = id;
	up_write(&ids->rwsem);
}

/* Create the object with the image's id: *get() with ids->next_id set */
static int ckpt_ipc_create(struct ckpt_ctx *ctx, int kind,
			   struct ckpt_ipc_perm *p,
			   long (*get)(key_t key, int arg, int flags), int arg)
{
	struct ipc_ids *ids = &current->nsproxy->ipc_ns->ids[kind];
	long id;

	ckpt_ipc_next_id(ids, p->id);
	id = get(p->key, arg, IPC_CREAT | IPC_EXCL | p->mode);
	ckpt_ipc_next_id(ids, -1);
	return ckpt_ipc_created(ctx, kind, p, id);
}

/**
 * ckpt_ipc_end - the end of a restart, for the IPC objects it made
 * @ctx: restart context
 * @failed: the restart failed: remove them, with the rights the caller
 *	had when it made them
 */
void ckpt_ipc_end(struct ckpt_ctx *ctx, bool failed)
{
	struct ckpt_restore_state *rs = &ctx->rs;
	struct ckpt_ipc_made *made, *tmp;
	const struct cred *old = NULL;

	if (failed && rs->ipc_cred)
		old = override_creds(rs->ipc_cred);
	list_for_each_entry_safe(made, tmp, &rs->ipc_made, list) {
		if (failed)
			ckpt_ipc_remove(made->kind, made->id);
		ckpt_ipc_made_free(made);
	}
	if (old)
		revert_creds(old);
	if (rs->ipc_cred)
		put_cred(rs->ipc_cred);
	rs->ipc_cred = NULL;
}

/* Owners, as the caller could set them: creator ids need CAP_SYS_ADMIN */
static int ckpt_ipc_may_own(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			    const char *what, struct ckpt_ipc_perm *p)
{
	struct user_namespace *uns = current_user_ns();

	if ((!uid_eq(make_kuid(uns, p->cuid), current_euid()) ||
	     !gid_eq(make_kgid(uns, p->cgid), current_egid())) &&
	    !ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		return ckpt_err(ctx, -EPERM,
				"%s %d: not permitted to make %u:%u its creator",
				what, p->id, p->cuid, p->cgid);
	return 0;
}

/* Under the object's lock, once ckpt_ipc_may_own() said yes */
static void ckpt_ipc_owner(struct ckpt_ipc_perm *p, struct kern_ipc_perm *perm)
{
	struct user_namespace *uns = current_user_ns();

	perm->uid = make_kuid(uns, p->uid);
	perm->gid = make_kgid(uns, p->gid);
	perm->cuid = make_kuid(uns, p->cuid);
	perm->cgid = make_kgid(uns, p->cgid);
}

/* The object just created, locked; or an error if it went already */
static struct kern_ipc_perm *ckpt_ipc_lock(struct ckpt_ctx *ctx,
					   struct ipc_ids *ids,
					   const char *what, int id)
{
	struct kern_ipc_perm *perm;

	rcu_read_lock();
	perm = ipc_obtain_object_check(ids, id);
	if (!IS_ERR(perm)) {
		ipc_lock_object(perm);
		if (ipc_valid_object(perm))
			return perm;
		ipc_unlock_object(perm);
		perm = ERR_PTR(-EIDRM);
	}
	rcu_read_unlock();
	ckpt_err(ctx, PTR_ERR(perm), "%s %d: it went away", what, id);
	return perm;
}

static void ckpt_ipc_unlock(struct kern_ipc_perm *perm)
{
	ipc_unlock_object(perm);
	rcu_read_unlock();
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

static int ckpt_sem_apply(struct ckpt_ctx *ctx, struct ckpt_hdr_ipc_sem *h)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	struct sem *sem;
	u32 i;
	int ret;

	ret = ckpt_ipc_may_own(ctx, ns, "sem", &h->perm);
	if (!ret)
		ret = ckpt_ipc_create(ctx, IPC_SEM_IDS, &h->perm, ksys_semget,
				      h->nsems);
	if (ret)
		return ret;
	/* new: every semop() takes the global lock, and none can run yet */
	perm = ckpt_ipc_lock(ctx, &sem_ids(ns), "sem", h->perm.id);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	sma = container_of(perm, struct sem_array, sem_perm);
	ckpt_ipc_owner(&h->perm, perm);
	for (i = 0; i < h->nsems; i++) {
		sem = &sma->sems[i];
		sem->semval = h->sems[i].semval;
		sem->sem_otime = h->sems[i].otime;
		put_pid(sem->sempid);
		sem->sempid = h->sems[i].sempid > 0 ?
			      find_get_pid(h->sems[i].sempid) : NULL;
	}
	sma->sem_ctime = h->ctime;
	ckpt_ipc_unlock(perm);
	return 0;
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
	/* for the undo list, which names sets by id */
	if (!ret)
		ret = xa_err(xa_store(&ctx->rs.sem_nsems, h->perm.id,
				      xa_mk_value(h->nsems), GFP_KERNEL_ACCOUNT));
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_sem_apply(ctx, h);
	kvfree(h);
	return ret;
}

/**
 * struct ckpt_shm - a segment being restored
 * @list: in ckpt_restore_state.shm_segs
 * @id: its id
 * @file: its shmem file, for its pages
 * @h: its record: what is set once the task attached it
 * @last_off: offset of the last page restored, plus one page
 * @scratch: with RESTART_VALIDATE, where page data is read to
 * @made: its entry in ckpt_restore_state.ipc_made
 */
struct ckpt_shm {
	struct list_head list;
	int id;
	struct ckpt_ipc_made *made;
	struct file *file;
	struct ckpt_hdr_ipc_shm h;
	u64 last_off;
	void *scratch;
};

/**
 * ckpt_shm_free - release a segment being restored (objhash drop)
 * @seg: the segment
 */
void ckpt_shm_free(struct ckpt_shm *seg)
{
	list_del(&seg->list);
	if (seg->file)
		fput(seg->file);
	kfree(seg->scratch);
	kfree(seg);
}

/* The segment just created: owners, creator, lock; its file for pages */
static int ckpt_shm_apply(struct ckpt_ctx *ctx, struct ckpt_shm *seg)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_hdr_ipc_shm *h = &seg->h;
	struct kern_ipc_perm *perm;
	struct shmid_kernel *shp;
	long id;
	int ret;

	ret = ckpt_ipc_may_own(ctx, ns, "shm", &h->perm);
	if (ret)
		return ret;
	ckpt_ipc_next_id(&shm_ids(ns), h->perm.id);
	id = ksys_shmget(h->perm.key, h->size, IPC_CREAT | IPC_EXCL |
			 h->perm.mode |
			 (h->flags & CKPT_SHM_NORESERVE ? SHM_NORESERVE : 0));
	ckpt_ipc_next_id(&shm_ids(ns), -1);
	ret = ckpt_ipc_created(ctx, IPC_SHM_IDS, &h->perm, id);
	if (ret)
		return ret;
	seg->id = id;
	/* ckpt_ipc_created() just put it first */
	seg->made = list_first_entry(&ctx->rs.ipc_made, struct ckpt_ipc_made,
				     list);
	perm = ckpt_ipc_lock(ctx, &shm_ids(ns), "shm", id);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	shp = container_of(perm, struct shmid_kernel, shm_perm);
	ckpt_ipc_owner(&h->perm, perm);
	put_pid(shp->shm_cprid);
	shp->shm_cprid = h->cpid > 0 ? find_get_pid(h->cpid) : NULL;
	seg->file = get_file(shp->shm_file);
	ckpt_ipc_unlock(perm);
	if (h->flags & CKPT_SHM_LOCKED) {
		ret = ksys_shmctl(id, SHM_LOCK, NULL, IPC_64);
		if (ret)
			ckpt_err(ctx, ret, "shm %ld: cannot lock it", id);
	}
	return ret;
}

/**
 * restore_ipc_shm - create a shared memory segment; its pages follow
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_ipc_shm(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_restore_state *rs = &ctx->rs;
	struct ckpt_shm *seg;
	int ret;

	if (rs->ipc_msg_left || rs->ipc_sem_left || !rs->ipc_shm_left)
		return ckpt_err(ctx, -EINVAL,
				"shm record at offset %lld out of place",
				ctx->rec_offset);
	rs->ipc_shm_left--;
	rs->shm_seg = NULL;
	seg = kzalloc(sizeof(*seg), GFP_KERNEL_ACCOUNT);
	if (!seg)
		return -ENOMEM;
	INIT_LIST_HEAD(&seg->list);
	seg->id = -1;
	if (!ckpt_restoring(ctx)) {
		seg->scratch = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
		if (!seg->scratch) {
			kfree(seg);
			return -ENOMEM;
		}
	}
	ret = ckpt_read_payload(ctx, hdr, sizeof(seg->h), &seg->h);
	if (!ret)
		ret = ckpt_ipc_perm_check(ctx, "shm", &seg->h.perm);
	if (!ret && (seg->h.reserved || seg->h.flags & ~CKPT_SHM_FLAGS_ALL ||
		     seg->h.size < SHMMIN || seg->h.size > MAX_LFS_FILESIZE ||
		     seg->h.cpid < 0 || seg->h.lpid < 0))
		ret = ckpt_err(ctx, -EINVAL, "shm %d: bad fields",
			       seg->h.perm.id);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_shm_apply(ctx, seg);
	if (ret) {
		ckpt_shm_free(seg);
		return ret;
	}
	list_add_tail(&seg->list, &rs->shm_segs);
	ret = ckpt_obj_insert(ctx, seg, seg->h.objref, CKPT_OBJ_SHM_SEG);
	if (ret) {
		ckpt_shm_free(seg);
		return ret;
	}
	rs->shm_seg = seg;
	return 0;
}

/**
 * restore_shm_pages - put back a batch of pages of the last segment
 * @ctx: restart context
 * @hdr: the pages record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_shm_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_shm *seg = ctx->rs.shm_seg;
	struct ckpt_hdr_pages h;
	struct page **pages = NULL;
	u64 *offs = NULL;
	unsigned int i, nr = 0;
	struct page *page;
	int ret;

	if (hdr->len < sizeof(h))
		return ckpt_err(ctx, -EINVAL, "pages record at offset %lld: length %u",
				ctx->rec_offset, hdr->len);
	memcpy(&h, hdr, sizeof(*hdr));
	ret = ckpt_read(ctx, (void *)&h + sizeof(*hdr), sizeof(h) - sizeof(*hdr));
	if (ret)
		return ret;
	if (!h.nr || h.nr > CKPT_PAGES_MAX || h.reserved ||
	    hdr->len != sizeof(h) + h.nr * (sizeof(u64) + PAGE_SIZE))
		return ckpt_err(ctx, -EINVAL,
				"pages record at offset %lld: %u pages in %u bytes",
				ctx->rec_offset, h.nr, hdr->len);
	offs = kvmalloc_array(h.nr, sizeof(*offs), GFP_KERNEL_ACCOUNT);
	pages = kvcalloc(h.nr, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!offs || !pages) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ckpt_read(ctx, offs, h.nr * sizeof(*offs));
	for (i = 0; !ret && i < h.nr; i++)
		if (!PAGE_ALIGNED(offs[i]) || offs[i] < seg->last_off ||
		    offs[i] >= seg->h.size) {
			ret = ckpt_err(ctx, -EINVAL,
				       "shm %d: page offset %#llx out of order or range",
				       seg->h.perm.id, offs[i]);
		} else {
			seg->last_off = offs[i] + PAGE_SIZE;
		}
	for (i = 0; !ret && i < h.nr && ckpt_restoring(ctx); i++) {
		page = shmem_read_mapping_page(seg->file->f_mapping,
					       offs[i] >> PAGE_SHIFT);
		if (IS_ERR(page)) {
			ret = ckpt_err(ctx, PTR_ERR(page),
				       "shm %d: cannot get page %#llx",
				       seg->h.perm.id, offs[i]);
			break;
		}
		pages[nr++] = page;
	}
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_read_pages(ctx, pages, h.nr);
	/* RESTART_VALIDATE: the data is only read */
	for (i = 0; !ret && !ckpt_restoring(ctx) && i < h.nr; i++)
		ret = ckpt_read(ctx, seg->scratch, PAGE_SIZE);
	for (i = 0; i < nr; i++) {
		if (!ret)
			set_page_dirty(pages[i]);
		put_page(pages[i]);
	}
out:
	kvfree(offs);
	kvfree(pages);
	return ret;
}

/**
 * restore_shm_vma - attach a SysV shared memory vma of the task
 * @ctx: restart context
 * @h: its vma record, checked
 *
 * It is attached read-write unless it was SHM_RDONLY, then protected
 * as it was (read-only, PROT_NONE, executable...).
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_shm_vma(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h)
{
	struct ckpt_shm *seg = ckpt_obj_fetch(ctx, h->shm_ref,
					      CKPT_OBJ_SHM_SEG);
	unsigned long addr, prot = PROT_READ, want = ckpt_vma_prot(h->flags);
	int flags = 0;
	long ret;

	if (IS_ERR(seg))
		return PTR_ERR(seg);
	if (h->end - h->start != PAGE_ALIGN(seg->h.size))
		return ckpt_err(ctx, -EINVAL,
				"vma %#llx: %llu bytes of shm %d, which has %llu",
				h->start, h->end - h->start, seg->h.perm.id,
				seg->h.size);
	if (!ckpt_restoring(ctx))
		return 0;
	/* PROT_EXEC comes with the mprotect() below, as it may have */
	if (h->flags & CKPT_VMA_MAYWRITE)
		prot |= PROT_WRITE;
	else
		flags |= SHM_RDONLY;
	ret = do_shmat(seg->id, (char __user *)h->start, flags, &addr,
		       SHMLBA);
	if (!ret && addr != h->start)
		ret = -EBUSY;
	if (ret)
		return ckpt_err(ctx, ret, "vma %#llx: cannot attach shm %d",
				h->start, seg->id);
	/* mprotect()ed since it was attached: read-only, PROT_NONE */
	if (want != prot) {
		ret = do_mprotect_pkey(h->start, h->end - h->start, want, -1);
		if (ret)
			return ckpt_err(ctx, ret,
					"vma %#llx: cannot protect shm %d as it was",
					h->start, seg->id);
	}
	return 0;
}

/**
 * ckpt_ipc_finish - what the segments get once the tasks attached them
 * @ctx: restart context, at the tail: the vmas of every task are attached
 *
 * Their times and last pid, which the attaches changed, and IPC_RMID
 * for those removed while attached: they go with their last detach.
 * The IPC_RMID is made with the rights of the caller of restart(), not
 * with the credentials of the task of the image that reads the tail.
 */
void ckpt_ipc_finish(struct ckpt_ctx *ctx)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	const struct cred *old = NULL;
	struct kern_ipc_perm *perm;
	struct shmid_kernel *shp;
	struct ckpt_shm *seg;

	if (ctx->rs.ipc_cred)
		old = override_creds(ctx->rs.ipc_cred);

	list_for_each_entry(seg, &ctx->rs.shm_segs, list) {
		if (seg->id < 0)
			continue;
		rcu_read_lock();
		perm = ipc_obtain_object_check(&shm_ids(ns), seg->id);
		if (!IS_ERR(perm)) {
			shp = container_of(perm, struct shmid_kernel, shm_perm);
			ipc_lock_object(perm);
			shp->shm_atim = seg->h.atime;
			shp->shm_dtim = seg->h.dtime;
			shp->shm_ctim = seg->h.ctime;
			put_pid(shp->shm_lprid);
			shp->shm_lprid = seg->h.lpid > 0 ?
					 find_get_pid(seg->h.lpid) : NULL;
			ipc_unlock_object(perm);
		}
		rcu_read_unlock();
		if (!(seg->h.flags & CKPT_SHM_DEST))
			continue;
		/* removed for good: a failed restart must not remove its id */
		if (seg->made)
			ckpt_ipc_made_free(seg->made);
		seg->made = NULL;
		ksys_shmctl(seg->id, IPC_RMID, NULL, IPC_64);
		seg->id = -1;
	}
	if (old)
		revert_creds(old);
}
