// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphore undo lists: what semop() with SEM_UNDO leaves for a
 * process's exit to undo, one entry per semaphore set with one
 * adjustment per semaphore.  Tasks created with CLONE_SYSVSEM share it.
 *
 * /proc/<pid>/semundo shows the list of a process, one line per set:
 * its id, then its adjustments.  Writing such lines to
 * /proc/self/semundo sets the writer's adjustments for those sets.
 *
 * checkpoint() saves the list of a task right after its IPC namespace,
 * in the order the kernel keeps it, and restart() installs it again in
 * the same order, so that the adjustments apply when the restored task
 * exits.
 *
 * Both copy entries laid out as in the image: struct ckpt_sem_undo,
 * then the adjustments as s16, padded to 8 bytes.
 */

#include <linux/checkpoint_ipc.h>
#include <linux/ctype.h>
#include <linux/ipc_namespace.h>
#include <linux/limits.h>
#include <linux/msg.h>
#include <linux/nsproxy.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/sem.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "util.h"
#include "objects.h"
#include "checkpoint.h"

/* The most one write to /proc/self/semundo may hold */
#define SEMUNDO_WRITE_MAX	SZ_1M

/* Bytes an entry of @nsems adjustments takes */
static size_t semundo_entry_size(u32 nsems)
{
	return sizeof(struct ckpt_sem_undo) + ALIGN((size_t)nsems * sizeof(s16), 8);
}

static s16 *semundo_adj(struct ckpt_sem_undo *e)
{
	return (s16 *)(e + 1);
}

/* @err, with its reason on the log of @ctx when there is one */
static __printf(3, 4) int semundo_err(struct ckpt_ctx *ctx, int err,
				      const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!ctx)
		return err;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	err = ckpt_err(ctx, err, "%pV", &vaf);
	va_end(args);
	return err;
}

/*
 * Copy the entries of @ulp whose set is alive into @buf, as far as
 * @size goes, under the list's lock: semop() moves the entry it uses to
 * the front, and a walk without the lock could see one twice.  The
 * adjustments are read without the sets' locks, so those of a task
 * that runs may be caught in the middle of a semop().
 * Return: the bytes they need, which may be more than @size.
 */
static size_t semundo_copy(struct ipc_namespace *ns,
			   struct sem_undo_list *ulp, void *buf, size_t size,
			   u32 *nrp)
{
	struct kern_ipc_perm *perm;
	struct ckpt_sem_undo *e;
	struct sem_array *sma;
	struct sem_undo *un;
	size_t len = 0, n;
	u32 nr = 0;

	spin_lock(&ulp->lock);
	list_for_each_entry(un, &ulp->list_proc, list_proc) {
		/* -1 once its set is removed, under this lock */
		if (un->semid < 0)
			continue;
		perm = ipc_obtain_object_check(&sem_ids(ns), un->semid);
		if (IS_ERR(perm))
			continue;
		sma = container_of(perm, struct sem_array, sem_perm);
		n = semundo_entry_size(sma->sem_nsems);
		if (len + n <= size) {
			e = buf + len;
			e->semid = un->semid;
			e->nsems = sma->sem_nsems;
			memcpy(semundo_adj(e), un->semadj,
			       sizeof(s16) * sma->sem_nsems);
			nr++;
		}
		len += n;
	}
	spin_unlock(&ulp->lock);
	*nrp = nr;
	return len;
}

/**
 * struct semundo_snap - a copy of an undo list
 * @ulp: the list, NULL if the task has none
 * @refs: tasks that share it
 * @nr: entries in @data
 * @len: bytes in @data
 * @data: the entries, as in the image
 */
struct semundo_snap {
	struct sem_undo_list *ulp;
	unsigned int refs;
	u32 nr;
	size_t len;
	void *data;
};

/*
 * Copy the undo list of @task, whose sets live in @ns.  @snap->data is
 * the caller's to kvfree(), even on error.  A task that left @ns
 * (unshare(), setns()) has a list of another namespace: -EAGAIN.
 */
static int semundo_snapshot(struct task_struct *task, struct ipc_namespace *ns,
			    struct semundo_snap *snap)
{
	size_t size = 0, need;
	bool same_ns;
	int tries;

	memset(snap, 0, sizeof(*snap));
	for (tries = 0; tries < 4; tries++) {
		/* the namespace and the list change together, under it */
		task_lock(task);
		same_ns = task->nsproxy && task->nsproxy->ipc_ns == ns;
		rcu_read_lock();
		/* pairs with the smp_store_release() of get_undo_list() */
		snap->ulp = smp_load_acquire(&task->sysvsem.undo_list);
		task_unlock(task);
		need = 0;
		if (same_ns && snap->ulp) {
			snap->refs = refcount_read(&snap->ulp->refcnt);
			need = semundo_copy(ns, snap->ulp, snap->data, size,
					    &snap->nr);
		}
		rcu_read_unlock();
		if (!same_ns)
			return -EAGAIN;
		if (need <= size) {
			snap->len = need;
			return 0;
		}
		/* it grew meanwhile: only a live task's can */
		kvfree(snap->data);
		size = need + semundo_entry_size(SEMMSL);
		snap->data = kvzalloc(size, GFP_KERNEL_ACCOUNT);
		if (!snap->data)
			return -ENOMEM;
	}
	return -EAGAIN;
}

/*
 * Walk @nr entries laid out in @data, @len bytes: each whole, at least
 * one adjustment, no set twice.  @ents gets a pointer to each.
 */
static int semundo_entries(struct ckpt_ctx *ctx, void *data, size_t len,
			   u32 nr, struct ckpt_sem_undo **ents)
{
	struct ckpt_sem_undo *e;
	struct xarray seen;
	size_t off = 0;
	int ret = 0;
	u32 i;

	xa_init(&seen);
	for (i = 0; i < nr && !ret; i++) {
		e = data + off;
		if (len - off < sizeof(*e) || !e->nsems ||
		    len - off < semundo_entry_size(e->nsems)) {
			ret = semundo_err(ctx, -EINVAL,
					  "sem undo entry %u runs past the record",
					  i);
			break;
		}
		if (e->semid < 0) {
			ret = semundo_err(ctx, -EINVAL,
					  "sem undo entry %u: bad id %d", i,
					  e->semid);
			break;
		}
		ret = xa_insert(&seen, e->semid, xa_mk_value(0),
				GFP_KERNEL_ACCOUNT);
		if (ret == -EBUSY)
			ret = semundo_err(ctx, -EINVAL,
					  "sem undo: set %d comes twice",
					  e->semid);
		ents[i] = e;
		off += semundo_entry_size(e->nsems);
	}
	xa_destroy(&seen);
	if (!ret && off != len)
		ret = semundo_err(ctx, -EINVAL,
				  "sem undo: %zu bytes of entries in %zu",
				  off, len);
	return ret;
}

/*
 * Make @ents the adjustments of the current task, in @ns.  The first
 * entry is the most recent: it goes in last.  On failure the entries
 * set so far are zeroed again: they undo nothing.
 */
static int semundo_install(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			   struct ckpt_sem_undo **ents, u32 nr)
{
	s16 *zero;
	u32 i;
	int ret;

	for (i = nr; i-- > 0;) {
		ret = sem_undo_set(ns, ents[i]->semid, semundo_adj(ents[i]),
				   ents[i]->nsems);
		if (ret)
			goto err_zero;
	}
	return 0;

err_zero:
	semundo_err(ctx, ret, "sem undo: cannot set the adjustments of set %d",
		    ents[i]->semid);
	while (++i < nr) {
		zero = kvcalloc(ents[i]->nsems, sizeof(*zero),
				GFP_KERNEL_ACCOUNT);
		if (zero)
			sem_undo_set(ns, ents[i]->semid, zero, ents[i]->nsems);
		kvfree(zero);
	}
	return ret;
}

/* ---------------------------------------------------------------- */
/* Checkpoint and restart */

/* The tasks of the tree, from the @i-th on, that use @ulp */
static unsigned int semundo_sharers(struct ckpt_ctx *ctx, unsigned int i,
				    struct sem_undo_list *ulp)
{
	unsigned int n = 0;

	for (; i < ctx->nr_tasks; i++)
		if (READ_ONCE(ctx->tasks[i]->sysvsem.undo_list) == ulp)
			n++;
	return n;
}

/* Write the undo list of the @i-th task of the tree, unless written */
static int checkpoint_task_sem_undo(struct ckpt_ctx *ctx, unsigned int i,
				    struct ipc_namespace *ns)
{
	struct task_struct *task = ctx->tasks[i];
	struct ckpt_hdr_sem_undo h;
	struct semundo_snap snap;
	bool first;
	int ret;

	ret = semundo_snapshot(task, ns, &snap);
	if (ret) {
		ckpt_err(ctx, ret, "pid %d: cannot read its semaphore undo list",
			 task_pid_vnr(task));
		goto out;
	}
	if (!snap.ulp || ckpt_obj_lookup(ctx, snap.ulp, &ckpt_sem_undo_obj_ops))
		goto out;
	/* each task that shares it holds a reference */
	if (snap.refs > semundo_sharers(ctx, i, snap.ulp)) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "pid %d: semaphore undo list shared with a task outside the tree (CLONE_SYSVSEM) not supported",
			       task_pid_vnr(task));
		goto out;
	}
	if (sizeof(h) + snap.len > CKPT_RECORD_MAX) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "pid %d: semaphore undo list of %u sets does not fit in a record",
			       task_pid_vnr(task), snap.nr);
		goto out;
	}
	ret = ckpt_obj_checkpoint(ctx, snap.ulp, &ckpt_sem_undo_obj_ops, &first);
	if (ret < 0)
		goto out;
	memset(&h, 0, sizeof(h));
	h.h.type = CKPT_HDR_SEM_UNDO;
	h.h.len = sizeof(h) + snap.len;
	h.objref = ret;
	h.nr = snap.nr;
	ret = ckpt_write(ctx, &h, sizeof(h));
	if (!ret)
		ret = ckpt_write(ctx, snap.data, snap.len);
out:
	kvfree(snap.data);
	return ret;
}

/**
 * checkpoint_sem_undo - write the semaphore undo lists of the tree
 * @ctx: checkpoint context
 * @ns: the IPC namespace of the tree, just written; the caller holds
 *	its sem ids' rwsem, so that every set a list names was in that pass
 *
 * Each list is written once, with its objref; tasks that share it
 * (CLONE_SYSVSEM) name it by its objref in their process state.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_sem_undo(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = checkpoint_task_sem_undo(ctx, i, ns);
	return ret;
}

/**
 * ckpt_sem_undo_ref - the objref of a task's semaphore undo list
 * @ctx: checkpoint context, after checkpoint_sem_undo()
 * @task: the task, frozen
 *
 * Return: the objref, or 0 if the task has no list.
 */
u32 ckpt_sem_undo_ref(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct sem_undo_list *ulp = READ_ONCE(task->sysvsem.undo_list);

	return ulp ? ckpt_obj_lookup(ctx, ulp, &ckpt_sem_undo_obj_ops) : 0;
}

/* Every entry names a set of the image, with its number of semaphores */
static int semundo_check_image(struct ckpt_ctx *ctx,
			       struct ckpt_sem_undo **ents, u32 nr)
{
	void *nsems;
	u32 i;

	for (i = 0; i < nr; i++) {
		nsems = xa_load(&ctx->rs.ipc->sem_nsems, ents[i]->semid);
		if (!nsems)
			return ckpt_err(ctx, -EINVAL,
					"sem undo: set %d is not in the image",
					ents[i]->semid);
		if (xa_to_value(nsems) != ents[i]->nsems)
			return ckpt_err(ctx, -EINVAL,
					"sem undo: set %d has %lu semaphores, the list %u adjustments",
					ents[i]->semid, xa_to_value(nsems),
					ents[i]->nsems);
	}
	return 0;
}

/**
 * struct semundo_image - an undo list of the image, for its tasks
 * @rec: its record
 * @ents: its entries, in @rec
 * @owner: the first task that took it, which the others share it with
 */
struct semundo_image {
	struct ckpt_hdr_sem_undo *rec;
	struct ckpt_sem_undo **ents;
	struct task_struct *owner;
};

/* Free an undo list of the image (objhash restored) */
static void ckpt_sem_undo_free(void *ptr)
{
	struct semundo_image *img = ptr;

	if (img->owner)
		put_task_struct(img->owner);
	kvfree(img->ents);
	kvfree(img->rec);
	kfree(img);
}

/*
 * On checkpoint an undo list is only a key: a reference would keep its
 * adjustments from being applied when the task exits
 */
const struct ckpt_obj_ops ckpt_sem_undo_obj_ops = {
	.name = "sem undo list",
	.restored = ckpt_sem_undo_free,
};

/**
 * restore_sem_undo - read a semaphore undo list of the image
 * @ctx: restart context
 * @hdr: the record header
 *
 * The list is checked against the sets of the image, and kept until
 * the first task that names it takes it.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int restore_sem_undo(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_ipc_restore *rs = ctx->rs.ipc;
	struct semundo_image *img;
	struct ckpt_hdr_sem_undo *h;
	int ret;

	if (rs->msg_left || rs->sem_left || rs->shm_left)
		return ckpt_err(ctx, -EINVAL,
				"sem undo record at offset %lld out of place",
				ctx->rec_offset);
	rs->shm_seg = NULL;
	img = kzalloc(sizeof(*img), GFP_KERNEL_ACCOUNT);
	if (!img)
		return -ENOMEM;
	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h)) {
		kfree(img);
		return PTR_ERR(h);
	}
	img->rec = h;
	if (h->nr > (h->h.len - sizeof(*h)) / semundo_entry_size(1)) {
		ret = ckpt_err(ctx, -EINVAL,
			       "sem undo: %u entries in %u bytes", h->nr,
			       h->h.len);
		goto err_free;
	}
	img->ents = kvmalloc_array(h->nr, sizeof(*img->ents),
				   GFP_KERNEL_ACCOUNT);
	if (!img->ents) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = semundo_entries(ctx, h + 1, h->h.len - sizeof(*h), h->nr,
			      img->ents);
	if (!ret)
		ret = semundo_check_image(ctx, img->ents, h->nr);
	if (ret)
		goto err_free;
	ret = ckpt_obj_insert(ctx, img, h->objref, &ckpt_sem_undo_obj_ops);
	if (!ret)
		return 0;
err_free:
	ckpt_sem_undo_free(img);
	return ret;
}

/* Share the undo list of @from, as clone(CLONE_SYSVSEM) does */
static int semundo_share(struct task_struct *from)
{
	struct sem_undo_list *ulp;

	if (current->sysvsem.undo_list)
		return -EBUSY;
	rcu_read_lock();
	/* pairs with the smp_store_release() of get_undo_list() */
	ulp = smp_load_acquire(&from->sysvsem.undo_list);
	/* exit_sem() frees it once the count is zero */
	if (ulp && !refcount_inc_not_zero(&ulp->refcnt))
		ulp = NULL;
	rcu_read_unlock();
	if (!ulp)
		return -ESRCH;
	/* /proc/<pid>/semundo reads it with smp_load_acquire() */
	smp_store_release(&current->sysvsem.undo_list, ulp);
	return 0;
}

/**
 * ckpt_sem_undo_attach - give the calling task its undo list of the image
 * @ctx: restart context
 * @objref: the list, read by restore_sem_undo()
 *
 * The first task that names the list gets its entries, installed so
 * that they apply when it exits; the others share its list.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int ckpt_sem_undo_attach(struct ckpt_ctx *ctx, u32 objref)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct sem_undo_list *ulp;
	struct semundo_image *img;
	int ret;

	img = ckpt_obj_fetch(ctx, objref, &ckpt_sem_undo_obj_ops);
	if (IS_ERR(img))
		return PTR_ERR(img);
	if (!ckpt_restoring(ctx))
		return 0;
	if (img->owner) {
		ret = semundo_share(img->owner);
		if (ret)
			return ckpt_err(ctx, ret,
					"pid %d: cannot share the semaphore undo list %u",
					ctx->ts->pid, objref);
		return 0;
	}
	ret = semundo_install(ctx, ns, img->ents, img->rec->nr);
	/* a list with no entry yet, for the tasks that share it */
	if (!ret)
		ret = get_undo_list(&ulp);
	if (ret)
		return ckpt_err(ctx, ret,
				"pid %d: cannot install its semaphore undo list",
				ctx->ts->pid);
	img->owner = get_task_struct(current);
	return 0;
}

/**
 * ckpt_sem_undo_busy - whether the caller of restart() has undo state
 * @ctx: restart context
 *
 * The restored task takes over the caller's undo list: it must be empty
 * and the caller's alone.  unshare(CLONE_NEWIPC) empties it.
 *
 * Return: 0 or -EBUSY, with its reason on the log.
 */
int ckpt_sem_undo_busy(struct ckpt_ctx *ctx)
{
	struct sem_undo_list *ulp = current->sysvsem.undo_list;
	bool busy;

	if (!ulp)
		return 0;
	rcu_read_lock();
	busy = refcount_read(&ulp->refcnt) > 1 ||
	       !list_empty(&ulp->list_proc);
	rcu_read_unlock();
	if (busy)
		return ckpt_err(ctx, -EBUSY,
				"the calling task has a semaphore undo list of its own");
	return 0;
}

/* ---------------------------------------------------------------- */
/* /proc/<pid>/semundo */

static int semundo_show(struct seq_file *m, void *v)
{
	struct task_struct *task = m->private;
	struct ckpt_sem_undo *e;
	struct ipc_namespace *ns = NULL;
	struct semundo_snap snap;
	size_t off;
	u32 i, j;
	int ret;

	if (!ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS))
		return -EACCES;
	task_lock(task);
	if (task->nsproxy)
		ns = get_ipc_ns(task->nsproxy->ipc_ns);
	task_unlock(task);
	if (!ns)
		return 0;
	ret = semundo_snapshot(task, ns, &snap);
	for (i = 0, off = 0; !ret && i < snap.nr; i++) {
		e = snap.data + off;
		seq_printf(m, "%d", e->semid);
		for (j = 0; j < e->nsems; j++)
			seq_printf(m, " %d", semundo_adj(e)[j]);
		seq_putc(m, '\n');
		off += semundo_entry_size(e->nsems);
	}
	kvfree(snap.data);
	put_ipc_ns(ns);
	return ret;
}

/**
 * semundo_open - open /proc/<pid>/semundo
 * @file: the file
 * @task: the process
 *
 * Reading needs the rights of ptrace's read mode over @task; only
 * the process itself may write.
 *
 * Return: 0 or a negative errno.
 */
int semundo_open(struct file *file, struct task_struct *task)
{
	int ret;

	if ((file->f_mode & FMODE_WRITE) && !same_thread_group(task, current))
		return -EPERM;
	if ((file->f_mode & FMODE_READ) &&
	    !ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS))
		return -EACCES;
	ret = single_open(file, semundo_show, task);
	if (!ret)
		get_task_struct(task);
	return ret;
}

/**
 * semundo_release - close /proc/<pid>/semundo
 * @inode: its inode
 * @file: the file
 *
 * Return: 0.
 */
int semundo_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	put_task_struct(m->private);
	return single_release(inode, file);
}

static bool semundo_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A decimal number in [@min, @max] at *@p, ended by a blank or a line end */
static int semundo_num(const char **p, const char *end, s64 min, s64 max,
		       s64 *val)
{
	const char *s = *p;
	int digits = 0;
	bool neg = false;
	s64 v = 0;

	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	/* INT_MAX has 10 digits: 11 say too big, and cannot overflow */
	for (; s < end && isdigit(*s) && digits < 11; s++, digits++)
		v = v * 10 + (*s - '0');
	if (!digits || (s < end && !semundo_blank(*s) && *s != '\n'))
		return -EINVAL;
	v = neg ? -v : v;
	if (v < min || v > max)
		return -EINVAL;
	*p = s;
	*val = v;
	return 0;
}

/*
 * Lines of "semid adjustment..." in @text, laid out as entries in @buf
 * when it is not NULL.  Return: the bytes they take, or -EINVAL.
 */
static long semundo_parse(const char *text, size_t count, void *buf,
			  u32 *nrp)
{
	const char *p = text, *end = text + count;
	struct ckpt_sem_undo *e = NULL;
	size_t len = 0;
	u32 nr = 0, n;
	s64 v;

	while (p < end) {
		while (p < end && semundo_blank(*p))
			p++;
		if (p < end && *p == '\n') {
			p++;
			continue;
		}
		if (p == end)
			break;
		if (semundo_num(&p, end, 0, INT_MAX, &v))
			return -EINVAL;
		if (buf) {
			e = buf + len;
			e->semid = v;
		}
		for (n = 0; ; n++) {
			while (p < end && semundo_blank(*p))
				p++;
			if (p == end || *p == '\n')
				break;
			if (semundo_num(&p, end, S16_MIN, S16_MAX, &v))
				return -EINVAL;
			if (buf)
				semundo_adj(e)[n] = v;
		}
		if (!n)
			return -EINVAL;
		if (buf)
			e->nsems = n;
		len += semundo_entry_size(n);
		nr++;
	}
	*nrp = nr;
	return len;
}

/* The writer may alter each set, and gave each its number of values */
static int semundo_check_live(struct ipc_namespace *ns,
			      struct ckpt_sem_undo **ents, u32 nr)
{
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	for (i = 0; i < nr && !ret; i++) {
		perm = ipc_obtain_object_check(&sem_ids(ns), ents[i]->semid);
		if (IS_ERR(perm)) {
			ret = -EINVAL;
			break;
		}
		sma = container_of(perm, struct sem_array, sem_perm);
		if (sma->sem_nsems != ents[i]->nsems)
			ret = -EINVAL;
		else if (ipcperms(ns, perm, 0222))
			ret = -EACCES;
		else
			ret = security_sem_semop(perm, NULL, 0, 1);
	}
	rcu_read_unlock();
	return ret;
}

/**
 * semundo_write - set adjustments through /proc/self/semundo
 * @file: the file
 * @ubuf: lines of a set's id and one adjustment per semaphore
 * @count: bytes in @ubuf, at most 1 MiB, whole lines
 * @ppos: unused
 *
 * Every line is checked first: a malformed one, or a set the writer
 * may not alter (as semop() would need), sets nothing.  A set removed
 * meanwhile (-EIDRM) or -ENOMEM may leave the lines after it set to
 * zero adjustments.
 *
 * Return: @count, or -EINVAL for a malformed line, an unknown set or a
 * wrong number of adjustments, -EACCES, -EPERM, -EFBIG, -ENOMEM.
 */
ssize_t semundo_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_sem_undo **ents = NULL;
	void *data = NULL;
	char *text;
	long len;
	u32 nr;
	int ret;

	if (!same_thread_group(m->private, current))
		return -EPERM;
	if (count > SEMUNDO_WRITE_MAX)
		return -EFBIG;
	if (!count)
		return 0;
	text = vmemdup_user(ubuf, count);
	if (IS_ERR(text))
		return PTR_ERR(text);
	len = semundo_parse(text, count, NULL, &nr);
	if (len <= 0) {
		ret = len;
		goto out;
	}
	data = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	ents = kvmalloc_array(nr, sizeof(*ents), GFP_KERNEL_ACCOUNT);
	if (!data || !ents) {
		ret = -ENOMEM;
		goto out;
	}
	semundo_parse(text, count, data, &nr);
	ret = semundo_entries(NULL, data, len, nr, ents);
	if (!ret)
		ret = semundo_check_live(ns, ents, nr);
	if (!ret)
		ret = semundo_install(NULL, ns, ents, nr);
out:
	kvfree(ents);
	kvfree(data);
	kvfree(text);
	return ret ? ret : count;
}
