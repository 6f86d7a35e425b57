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

/* ---------------------------------------------------------------- */
/* Objects of any kind */

/**
 * ckpt_ipc_perm_save - the kern_ipc_perm of an object, for its record
 * @perm: the object's
 * @p: where to put it, ids as the checkpointer sees them
 */
void ckpt_ipc_perm_save(struct kern_ipc_perm *perm,
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

/**
 * ckpt_ipc_perm_check - check the kern_ipc_perm fields of a record
 * @ctx: restart context
 * @what: "msg", "sem" or "shm", for the reason
 * @p: the fields
 *
 * Return: 0, or -EINVAL with a reason for a bad id, mode or owner.
 */
int ckpt_ipc_perm_check(struct ckpt_ctx *ctx, const char *what,
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
 * ckpt_ipc_made_free - forget an object restart made
 * @made: its entry, which is freed
 */
void ckpt_ipc_made_free(struct ckpt_ipc_made *made)
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

/**
 * ckpt_ipc_created - remember an object that *get() made
 * @ctx: restart context
 * @kind: IPC_SEM_IDS, IPC_MSG_IDS or IPC_SHM_IDS
 * @p: the object's fields in the image
 * @id: what *get() returned
 *
 * A failed restart removes it.  It must have the image's id.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_ipc_created(struct ckpt_ctx *ctx, int kind,
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
	list_add(&made->list, &ctx->rs.ipc->made);
	if (id != p->id)
		return ckpt_err(ctx, -EBUSY,
				"%s %d: the id is taken in this IPC namespace (got %ld)",
				what, p->id, id);
	return 0;
}

/**
 * ckpt_ipc_next_id - set the id the next object of @ids gets
 * @ids: the ids of one kind
 * @id: the id, or -1 for the usual allocation
 */
void ckpt_ipc_next_id(struct ipc_ids *ids, int id)
{
	down_write(&ids->rwsem);
	ids->next_id = id;
	up_write(&ids->rwsem);
}

/**
 * ckpt_ipc_create - create an object with the image's id
 * @ctx: restart context
 * @kind: IPC_SEM_IDS, IPC_MSG_IDS or IPC_SHM_IDS
 * @p: its fields in the image
 * @get: ksys_msgget() or ksys_semget(), in one signature
 * @arg: what @get takes besides the key and the flags
 *
 * Calls @get with ids->next_id set to the image's id.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_ipc_create(struct ckpt_ctx *ctx, int kind,
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

/*
 * The end of a restart, for the IPC objects it made: a failed one
 * removes them, with the rights the caller had when it made them
 */
static void ckpt_ipc_end(struct ckpt_ctx *ctx, bool failed)
{
	struct ckpt_ipc_restore *rs = ctx->rs.ipc;
	struct ckpt_ipc_made *made, *tmp;
	const struct cred *old = NULL;

	if (!rs)
		return;

	if (failed && rs->cred)
		old = override_creds(rs->cred);
	list_for_each_entry_safe(made, tmp, &rs->made, list) {
		if (failed)
			ckpt_ipc_remove(made->kind, made->id);
		ckpt_ipc_made_free(made);
	}
	if (old)
		revert_creds(old);
	if (rs->cred)
		put_cred(rs->cred);
	xa_destroy(&rs->sem_nsems);
	kfree(rs);
	ctx->rs.ipc = NULL;
}

/**
 * ckpt_ipc_may_own - whether the caller may give an object its owners
 * @ctx: restart context
 * @ns: the namespace the object is in
 * @what: "msg", "sem" or "shm", for the reason
 * @p: the object's fields in the image
 *
 * Creator ids other than the caller's need CAP_SYS_ADMIN over @ns.
 *
 * Return: 0, or -EPERM with its reason on the log.
 */
int ckpt_ipc_may_own(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
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

/**
 * ckpt_ipc_owner - give an object the owners of the image
 * @p: the object's fields in the image
 * @perm: the object, locked, once ckpt_ipc_may_own() said yes
 */
void ckpt_ipc_owner(struct ckpt_ipc_perm *p, struct kern_ipc_perm *perm)
{
	struct user_namespace *uns = current_user_ns();

	perm->uid = make_kuid(uns, p->uid);
	perm->gid = make_kgid(uns, p->gid);
	perm->cuid = make_kuid(uns, p->cuid);
	perm->cgid = make_kgid(uns, p->cgid);
}

/**
 * ckpt_ipc_lock - lock an object restart just created
 * @ctx: restart context
 * @ids: the ids of its kind
 * @what: "msg", "sem" or "shm", for the reason
 * @id: its id
 *
 * Return: the object, locked under rcu_read_lock(), or an ERR_PTR()
 * with its reason on the log if it went away already.
 */
struct kern_ipc_perm *ckpt_ipc_lock(struct ckpt_ctx *ctx,
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

/**
 * ckpt_ipc_unlock - unlock an object ckpt_ipc_lock() locked
 * @perm: the object
 */
void ckpt_ipc_unlock(struct kern_ipc_perm *perm)
{
	ipc_unlock_object(perm);
	rcu_read_unlock();
}

/* ---------------------------------------------------------------- */
/* The namespace */

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
static int checkpoint_ipc_ns(struct ckpt_ctx *ctx, struct task_struct *task)
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
	objref = ckpt_obj_checkpoint(ctx, ns, &ckpt_ipc_ns_obj_ops, &first);
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
static int restore_ipc_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_ipc_restore *rs = ctx->rs.ipc;
	struct ckpt_hdr_ipc_ns h;
	int ret, i;
	bool same;

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
			      &ckpt_ipc_ns_obj_ops);
	if (ret)
		return ret;
	rs->msg_left = h.nr_msg;
	rs->sem_left = h.nr_sem;
	rs->shm_left = h.nr_shm;
	rs->msg_ctlmax = h.msg_ctlmax;
	rs->sem_semmsl = h.sem_ctls[0];
	if (!ckpt_restoring(ctx))
		return 0;
	ret = ckpt_sem_undo_busy(ctx);
	if (ret)
		return ret;
	/* the rights to remove what it makes, should the restart fail */
	rs->cred = get_current_cred();

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

/* ---------------------------------------------------------------- */
/* Objects and hooks */

static void ckpt_ipc_ns_grab(void *ptr)
{
	get_ipc_ns(ptr);
}

static void ckpt_ipc_ns_drop(void *ptr)
{
	put_ipc_ns(ptr);
}

const struct ckpt_obj_ops ckpt_ipc_ns_obj_ops = {
	.name = "IPC namespace",
	.grab = ckpt_ipc_ns_grab,
	.drop = ckpt_ipc_ns_drop,
};

static int ckpt_ipc_init(struct ckpt_ctx *ctx)
{
	struct ckpt_ipc_restore *rs;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	INIT_LIST_HEAD(&rs->made);
	INIT_LIST_HEAD(&rs->shm_segs);
	xa_init(&rs->sem_nsems);
	ctx->rs.ipc = rs;
	return 0;
}

/* Every object the namespace record announced came */
static int ckpt_ipc_image_done(struct ckpt_ctx *ctx)
{
	struct ckpt_ipc_restore *rs = ctx->rs.ipc;

	if (rs->msg_left || rs->sem_left || rs->shm_left)
		return ckpt_err(ctx, -EINVAL,
				"IPC namespace: %u msg, %u sem, %u shm records missing: record at offset %lld out of place",
				rs->msg_left, rs->sem_left, rs->shm_left,
				ctx->rec_offset);
	return 0;
}

static const struct ckpt_record ckpt_ipc_records[] = {
	{
		.index = CKPT_REC_IPC_NS,
		.name = "IPC namespace",
		.what = "IPC namespace",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.image = { .write = checkpoint_ipc_ns, .restore = restore_ipc_ns },
	},
	{
		.index = CKPT_REC_IPC_MSG,
		.name = "msg",
		.image = { .restore = restore_ipc_msg },
	},
	{
		.index = CKPT_REC_IPC_SEM,
		.name = "sem",
		.image = { .restore = restore_ipc_sem },
	},
	{
		.index = CKPT_REC_IPC_SHM,
		.name = "shm",
		.image = { .restore = restore_ipc_shm },
	},
	{
		.index = CKPT_REC_SEM_UNDO,
		.name = "sem undo",
		.image = { .restore = restore_sem_undo },
	},
};

const struct ckpt_subsys ckpt_ipc_subsys = {
	.name = "SysV IPC",
	.records = ckpt_ipc_records,
	.nr_records = ARRAY_SIZE(ckpt_ipc_records),
	.init = ckpt_ipc_init,
	.image_done = ckpt_ipc_image_done,
	.finish = ckpt_shm_finish,
	.end = ckpt_ipc_end,
};
