// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of SysV shared memory: each segment with its
 * populated pages, and the task vmas that attach it, by objref.
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

/**
 * checkpoint_shm_segment - write a shared memory segment and its pages
 * @ctx: checkpoint context
 * @perm: the segment, with the ids' rwsem held
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_shm_segment(struct ckpt_ctx *ctx,
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
	objref = ckpt_obj_checkpoint(ctx, inode, &ckpt_inode_obj_ops, &first);
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
	objref = ckpt_obj_lookup(ctx, file_inode(sfd->file), &ckpt_inode_obj_ops);
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

/**
 * struct ckpt_shm - a segment being restored
 * @list: in ckpt_ipc_restore.shm_segs
 * @id: its id
 * @file: its shmem file, for its pages
 * @h: its record: what is set once the task attached it
 * @last_off: offset of the last page restored, plus one page
 * @scratch: with RESTART_VALIDATE, where page data is read to
 * @made: its entry in ckpt_ipc_restore.made
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

/* Release a segment being restored (objhash drop) */
static void ckpt_shm_free(void *ptr)
{
	struct ckpt_shm *seg = ptr;

	list_del(&seg->list);
	if (seg->file)
		fput(seg->file);
	kfree(seg->scratch);
	kfree(seg);
}

/* A segment being rebuilt belongs to the objhash alone */
const struct ckpt_obj_ops ckpt_shm_obj_ops = {
	.name = "shm segment",
	.drop = ckpt_shm_free,
};

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
	seg->made = list_first_entry(&ctx->rs.ipc->made, struct ckpt_ipc_made,
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
	struct ckpt_ipc_restore *rs = ctx->rs.ipc;
	struct ckpt_shm *seg;
	int ret;

	if (rs->msg_left || rs->sem_left || !rs->shm_left)
		return ckpt_err(ctx, -EINVAL,
				"shm record at offset %lld out of place",
				ctx->rec_offset);
	rs->shm_left--;
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
	ret = ckpt_obj_insert(ctx, seg, seg->h.objref, &ckpt_shm_obj_ops);
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
	struct ckpt_shm *seg = ctx->rs.ipc->shm_seg;
	struct ckpt_hdr_pages h;
	struct page **pages = NULL;
	u64 *offs = NULL;
	unsigned int i, nr = 0;
	struct page *page;
	int ret;

	if (!seg)
		return ckpt_err(ctx, -EINVAL,
				"pages record at offset %lld out of place",
				ctx->rec_offset);
	memcpy(&h, hdr, sizeof(h));
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
					      &ckpt_shm_obj_ops);
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
 * ckpt_shm_finish - what the segments get once the tasks attached them
 * @ctx: restart context, at the tail: the vmas of every task are attached
 *
 * Their times and last pid, which the attaches changed, and IPC_RMID
 * for those removed while attached: they go with their last detach.
 * The IPC_RMID is made with the rights of the caller of restart(), not
 * with the credentials of the task of the image that reads the tail.
 */
void ckpt_shm_finish(struct ckpt_ctx *ctx)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	const struct cred *old = NULL;
	struct kern_ipc_perm *perm;
	struct shmid_kernel *shp;
	struct ckpt_shm *seg;

	if (ctx->rs.ipc->cred)
		old = override_creds(ctx->rs.ipc->cred);

	list_for_each_entry(seg, &ctx->rs.ipc->shm_segs, list) {
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

