// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: address spaces.
 *
 * An mm is written as one mm record, then one record per vma, each
 * followed by the contents of its populated pages in batches.  Pages
 * never touched, pages of the shared zero page and pages of zeroes are
 * not saved; neither are the page cache pages of a private file
 * mapping, which restart maps again from the file.
 *
 * Restart rebuilds the address space in the calling task, as execve()
 * does: it unmaps everything and maps every vma again.  From then on a
 * failure kills the task.
 */

#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_mm.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/namei.h>
#include <linux/pagewalk.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <asm/prctl.h>
#include <asm/proto.h>
#include <asm/vdso.h>

/* Name of a special mapping ("[vdso]", "[vvar]"...), or NULL */
static const char *ckpt_vma_special(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);
	return NULL;
}

/* The path of @file as the caller sees it, into @buf; or an ERR_PTR */
static char *ckpt_file_path(struct file *file, char *buf, int size)
{
	char *path = file_path(file, buf, size);

	if (!IS_ERR(path) && d_unlinked(file->f_path.dentry))
		return ERR_PTR(-ENOENT);
	return path;
}

static const struct {
	unsigned long vm;
	u32 ckpt;
} ckpt_vma_flag_map[] = {
	{ VM_READ, CKPT_VMA_READ },
	{ VM_WRITE, CKPT_VMA_WRITE },
	{ VM_EXEC, CKPT_VMA_EXEC },
	{ VM_SHARED, CKPT_VMA_SHARED },
	{ VM_GROWSDOWN, CKPT_VMA_GROWSDOWN },
	{ VM_LOCKED, CKPT_VMA_LOCKED },
	{ VM_NORESERVE, CKPT_VMA_NORESERVE },
};

static u32 ckpt_vma_flags(struct vm_area_struct *vma)
{
	u32 flags = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_vma_flag_map); i++)
		if (vma->vm_flags & ckpt_vma_flag_map[i].vm)
			flags |= ckpt_vma_flag_map[i].ckpt;
	return flags;
}

/*
 * The kind of @vma, or a negative errno with the reason recorded: what
 * is not supported is refused by name.
 */
static int ckpt_vma_type(struct ckpt_ctx *ctx, struct vm_area_struct *vma)
{
	const char *special = ckpt_vma_special(vma);
	unsigned long start = vma->vm_start;
	int ret;

	if (special) {
		if (!strcmp(special, "[vdso]"))
			return CKPT_VMA_VDSO;
		if (!strcmp(special, "[vvar]"))
			return 0;	/* comes back with the vdso */
		return ckpt_err(ctx, -EOPNOTSUPP,
				"vma %#lx: special mapping %s not supported",
				start, special);
	}
	if (vma->vm_flags & VM_HUGETLB)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"vma %#lx: hugetlb mappings not supported", start);
	if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"vma %#lx: device mappings not supported", start);
	if (!vma->vm_file)
		return CKPT_VMA_ANON;
	ret = checkpoint_shm_vma(ctx, vma);
	if (ret)
		return ret < 0 ? ret : CKPT_VMA_SYSVSHM;
	if ((vma->vm_flags & VM_SHARED) && vma_is_shmem(vma) &&
	    IS_PRIVATE(file_inode(vma->vm_file)))
		return CKPT_VMA_SHMEM;
	if (!(vma->vm_flags & VM_SHARED)) {
		if (!S_ISREG(file_inode(vma->vm_file)->i_mode))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"vma %#lx: private mapping of a non-regular file not supported",
					start);
		return CKPT_VMA_FILE;
	}
	return ckpt_err(ctx, -EOPNOTSUPP,
			"vma %#lx: shared file mappings not supported yet", start);
}

/* A batch of pages to save; the arrays hold CKPT_PAGES_MAX entries */
struct ckpt_pgwalk {
	unsigned long *addr;
	struct page **pages;
	unsigned int nr;
	unsigned long next;
	unsigned long swapped;	/* first swapped-out page met, or 0 */
};

static int ckpt_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	struct ckpt_pgwalk *pw = walk->private;
	pte_t entry = *pte;

	if (!pte_none(entry) && !pte_present(entry)) {
		/* swapped out or migrating: not saved yet, so refused */
		pw->swapped = addr;
		return 1;
	}
	if (!pte_present(entry) || is_zero_pfn(pte_pfn(entry)))
		return 0;
	if (pw->nr == CKPT_PAGES_MAX) {
		pw->next = addr;
		return 1;
	}
	pw->addr[pw->nr++] = addr;
	return 0;
}

static const struct mm_walk_ops ckpt_walk_ops = {
	.pte_entry = ckpt_pte_entry,
};

/* Write a pages record: addresses, then data; drops the page references */
static int ckpt_write_page_batch(struct ckpt_ctx *ctx, struct ckpt_pgwalk *pw)
{
	unsigned int i, n = pw->nr;
	struct ckpt_hdr_pages h;
	int ret;

	if (!n)
		return 0;
	memset(&h, 0, sizeof(h));
	h.h.type = CKPT_HDR_PAGES;
	h.h.len = sizeof(h) + n * (sizeof(u64) + PAGE_SIZE);
	h.nr = n;
	ret = ckpt_write(ctx, &h, sizeof(h));
	if (!ret)
		ret = ckpt_write(ctx, pw->addr, n * sizeof(u64));
	if (!ret)
		ret = ckpt_write_pages(ctx, pw->pages, n);
	for (i = 0; i < n; i++)
		put_page(pw->pages[i]);
	return ret;
}

/* Keep @page, at @addr, in the batch, unless it holds only zeroes */
static void ckpt_batch_add(struct ckpt_pgwalk *pw, struct page *page,
			   unsigned long addr)
{
	void *kaddr = kmap_local_page(page);
	bool zero = !memchr_inv(kaddr, 0, PAGE_SIZE);

	kunmap_local(kaddr);
	if (zero) {
		put_page(page);
		return;
	}
	pw->addr[pw->nr] = addr;
	pw->pages[pw->nr++] = page;
}

/* Write one batch: keep the pages worth saving, then addresses and data */
static int ckpt_write_batch(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			    struct ckpt_pgwalk *pw)
{
	unsigned int i, found = pw->nr;
	bool file = vma->vm_file;
	struct page *page;

	pw->nr = 0;
	for (i = 0; i < found; i++) {
		page = follow_page(vma, pw->addr[i], FOLL_GET | FOLL_DUMP);
		if (IS_ERR_OR_NULL(page))
			continue;
		/* a private file mapping: only its private copies */
		if (file && !PageAnon(page)) {
			put_page(page);
			continue;
		}
		ckpt_batch_add(pw, page, pw->addr[i]);
	}
	return ckpt_write_page_batch(ctx, pw);
}

static int checkpoint_pages(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			    struct ckpt_pgwalk *pw)
{
	unsigned long start = vma->vm_start;
	int ret;

	pw->swapped = 0;
	do {
		pw->nr = 0;
		pw->next = 0;
		ret = walk_page_range(vma->vm_mm, start, vma->vm_end,
				      &ckpt_walk_ops, pw);
		if (ret < 0)
			break;
		if (pw->swapped) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "page %#lx is swapped out: not supported yet",
				       pw->swapped);
			break;
		}
		ret = ckpt_write_batch(ctx, vma, pw);
		if (ret)
			break;
		start = pw->next;
		if (fatal_signal_pending(current))
			ret = -EINTR;
	} while (!ret && start);
	return ret;
}

/*
 * Pages of shared anonymous memory, from its page cache: they may be
 * mapped by another process only.  Saved with the addresses they have in
 * @vma, which maps all of the object.
 */
static int checkpoint_shmem_pages(struct ckpt_ctx *ctx,
				  struct vm_area_struct *vma,
				  struct ckpt_pgwalk *pw)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	pgoff_t index, nr = vma_pages(vma);
	struct page *page;
	unsigned int i;
	int ret = 0;

	for (index = 0; index < nr && !ret; ) {
		for (pw->nr = 0; pw->nr < CKPT_PAGES_MAX && index < nr; index++) {
			if (xa_is_value(xa_load(&mapping->i_pages, index))) {
				ret = ckpt_err(ctx, -EOPNOTSUPP,
					       "shared page %#lx is swapped out: not supported yet",
					       vma->vm_start + (index << PAGE_SHIFT));
				break;
			}
			page = find_get_page(mapping, index);
			if (page)
				ckpt_batch_add(pw, page,
					       vma->vm_start + (index << PAGE_SHIFT));
		}
		if (ret) {
			for (i = 0; i < pw->nr; i++)
				put_page(pw->pages[i]);
			break;
		}
		ret = ckpt_write_page_batch(ctx, pw);
	}
	return ret;
}

/* The objref of the shared memory @vma maps; its pages the first time */
static int ckpt_vma_shmem(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			  bool *first)
{
	struct inode *inode = file_inode(vma->vm_file);
	int objref;

	objref = ckpt_obj_checkpoint(ctx, inode, &ckpt_inode_obj_ops, first);
	if (objref < 0 || !*first)
		return objref;
	if (vma->vm_pgoff ||
	    i_size_read(inode) != vma->vm_end - vma->vm_start)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"vma %#lx: shared anonymous memory mapped in part not supported yet",
				vma->vm_start);
	return objref;
}

static int checkpoint_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			  char *pathbuf, struct ckpt_pgwalk *pw)
{
	bool shm_first = false;
	int shm_ref = 0;
	struct ckpt_hdr_vma *h;
	const char *path = "";
	size_t path_len = 0;
	int type, ret;

	type = ckpt_vma_type(ctx, vma);
	if (type <= 0)
		return type;
	if (type == CKPT_VMA_FILE) {
		path = ckpt_file_path(vma->vm_file, pathbuf, CKPT_PATH_MAX);
		if (IS_ERR(path))
			return ckpt_err(ctx, PTR_ERR(path),
					"vma %#lx: its file has no path (deleted?)",
					vma->vm_start);
		path_len = strlen(path) + 1;
	}
	if (type == CKPT_VMA_SHMEM) {
		shm_ref = ckpt_vma_shmem(ctx, vma, &shm_first);
		if (shm_ref < 0)
			return shm_ref;
	}
	/* its pages go with the segment, in the IPC namespace */
	if (type == CKPT_VMA_SYSVSHM)
		shm_ref = checkpoint_shm_vma(ctx, vma);

	h = kzalloc(sizeof(*h) + ALIGN(path_len, 8), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->start = vma->vm_start;
	h->end = vma->vm_end;
	h->pgoff = type == CKPT_VMA_ANON ? 0 : vma->vm_pgoff;
	h->type = type;
	h->shm_ref = shm_ref;
	h->flags = ckpt_vma_flags(vma);
	/* without SHM_RDONLY, whatever mprotect() made of it since */
	if (type == CKPT_VMA_SYSVSHM && vma->vm_flags & VM_MAYWRITE)
		h->flags |= CKPT_VMA_MAYWRITE;
	h->path_len = path_len;
	memcpy(h->path, path, path_len);
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_VMA,
				sizeof(*h) + ALIGN(path_len, 8));
	kfree(h);
	if (ret || type == CKPT_VMA_VDSO || type == CKPT_VMA_SYSVSHM)
		return ret;
	if (type == CKPT_VMA_SHMEM)
		return shm_first ? checkpoint_shmem_pages(ctx, vma, pw) : 0;
	return checkpoint_pages(ctx, vma, pw);
}

static int ckpt_fill_mm(struct ckpt_ctx *ctx, struct mm_struct *mm,
			struct ckpt_hdr_mm *h, char *pathbuf)
{
	struct file *exe = get_mm_exe_file(mm);
	unsigned int i;
	char *path;

	h->start_code = mm->start_code;
	h->end_code = mm->end_code;
	h->start_data = mm->start_data;
	h->end_data = mm->end_data;
	h->start_brk = mm->start_brk;
	h->brk = mm->brk;
	h->start_stack = mm->start_stack;
	h->arg_start = mm->arg_start;
	h->arg_end = mm->arg_end;
	h->env_start = mm->env_start;
	h->env_end = mm->env_end;
	h->vdso = (unsigned long)mm->context.vdso;
	h->dumpable = get_dumpable(mm);
	BUILD_BUG_ON(AT_VECTOR_SIZE > CKPT_AUXV_WORDS);
	for (i = 0; i < AT_VECTOR_SIZE; i += 2) {
		h->auxv[i] = mm->saved_auxv[i];
		h->auxv[i + 1] = mm->saved_auxv[i + 1];
		if (mm->saved_auxv[i] == AT_NULL)
			break;
	}
	h->auxv_words = min_t(unsigned int, i + 2, AT_VECTOR_SIZE);
	if (!exe)
		return 0;
	path = ckpt_file_path(exe, pathbuf, CKPT_PATH_MAX);
	fput(exe);
	if (IS_ERR(path))
		return ckpt_err(ctx, PTR_ERR(path),
				"the executable has no path (deleted?)");
	h->exe_len = strlen(path) + 1;
	memcpy(h->exe, path, h->exe_len);
	return 0;
}

/**
 * checkpoint_mm - write the address space of @task
 * @ctx: checkpoint context
 * @task: a frozen task
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int checkpoint_mm(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ckpt_pgwalk pw = { };
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	struct ckpt_hdr_mm *h;
	char *pathbuf;
	bool first;
	int ret;

	mm = get_task_mm(task);
	if (!mm)
		return ckpt_err(ctx, -EINVAL, "pid %d has no address space",
				task_pid_vnr(task));
	h = kzalloc(sizeof(*h) + CKPT_PATH_MAX, GFP_KERNEL_ACCOUNT);
	pathbuf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL_ACCOUNT);
	/* one page batch for the whole address space */
	pw.addr = kvmalloc_array(CKPT_PAGES_MAX, sizeof(*pw.addr),
				 GFP_KERNEL_ACCOUNT);
	pw.pages = kvmalloc_array(CKPT_PAGES_MAX, sizeof(*pw.pages),
				  GFP_KERNEL_ACCOUNT);
	if (!h || !pathbuf || !pw.addr || !pw.pages) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ckpt_obj_checkpoint(ctx, mm, &ckpt_mm_obj_ops, &first);
	if (ret < 0)
		goto out;
	h->objref = ret;

	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out;
	h->nr_vmas = 0;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			if (!ckpt_vma_special(vma) ||
			    strcmp(ckpt_vma_special(vma), "[vvar]"))
				h->nr_vmas++;
	}
	ret = ckpt_fill_mm(ctx, mm, h, pathbuf);
	if (!ret)
		ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_MM,
					sizeof(*h) + ALIGN(h->exe_len, 8));
	if (!ret) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			ret = checkpoint_vma(ctx, vma, pathbuf, &pw);
			if (ret)
				break;
		}
	}
	mmap_read_unlock(mm);
out:
	kvfree(pw.pages);
	kvfree(pw.addr);
	kfree(pathbuf);
	kfree(h);
	mmput(mm);
	return ret;
}

static bool ckpt_user_range(u64 start, u64 end)
{
	return start <= end && end <= TASK_SIZE_MAX;
}

static int ckpt_check_mm(struct ckpt_ctx *ctx, struct ckpt_hdr_mm *h)
{
	unsigned int i;

	if (h->reserved || !ckpt_user_range(h->start_code, h->end_code) ||
	    !ckpt_user_range(h->start_data, h->end_data) ||
	    !ckpt_user_range(h->start_brk, h->brk) ||
	    !ckpt_user_range(h->arg_start, h->arg_end) ||
	    !ckpt_user_range(h->env_start, h->env_end) ||
	    h->start_stack > TASK_SIZE_MAX || h->vdso > TASK_SIZE_MAX ||
	    h->dumpable > SUID_DUMP_ROOT)
		return ckpt_err(ctx, -EINVAL,
				"mm record at offset %lld: bad field", ctx->rec_offset);
	/* prctl(PR_SET_DUMPABLE) allows 0 and 1 only */
	if (h->dumpable == SUID_DUMP_ROOT)
		return ckpt_err(ctx, -EPERM,
				"mm record at offset %lld: dumpable mode 2 cannot be restored",
				ctx->rec_offset);
	if (!h->nr_vmas || h->nr_vmas > READ_ONCE(sysctl_max_map_count))
		return ckpt_err(ctx, -EINVAL,
				"mm record at offset %lld: %u vmas", ctx->rec_offset,
				h->nr_vmas);
	if (h->auxv_words < 2 || h->auxv_words > AT_VECTOR_SIZE ||
	    h->auxv_words % 2 || h->auxv[h->auxv_words - 2] != AT_NULL)
		return ckpt_err(ctx, -EINVAL,
				"mm record at offset %lld: bad auxv", ctx->rec_offset);
	for (i = h->auxv_words; i < CKPT_AUXV_WORDS; i++)
		if (h->auxv[i])
			return ckpt_err(ctx, -EINVAL,
					"mm record at offset %lld: bad auxv",
					ctx->rec_offset);
	if (h->exe_len > CKPT_PATH_MAX ||
	    h->h.len != sizeof(*h) + ALIGN(h->exe_len, 8))
		return ckpt_err(ctx, -EINVAL,
				"mm record at offset %lld: bad exe length %u",
				ctx->rec_offset, h->exe_len);
	if (h->exe_len && (h->exe[0] != '/' || strnlen(h->exe, h->exe_len) !=
			   h->exe_len - 1))
		return ckpt_err(ctx, -EINVAL,
				"mm record at offset %lld: bad exe path",
				ctx->rec_offset);
	return 0;
}

/*
 * Open a regular file by path, with the caller's rights.  The type is
 * checked before the open, so that a FIFO or a device named by the image
 * is never opened.
 */
static struct file *ckpt_open_path(struct ckpt_ctx *ctx, const char *name)
{
	struct file *file;
	struct path path;
	int ret;

	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	if (ret) {
		ckpt_err(ctx, ret, "cannot open %s", name);
		return ERR_PTR(ret);
	}
	if (!d_is_reg(path.dentry)) {
		path_put(&path);
		ckpt_err(ctx, -EINVAL, "%s is not a regular file", name);
		return ERR_PTR(-EINVAL);
	}
	file = dentry_open(&path, O_RDONLY | O_LARGEFILE, current_cred());
	path_put(&path);
	if (IS_ERR(file))
		ckpt_err(ctx, PTR_ERR(file), "cannot open %s", name);
	return file;
}

/* Replace the caller's address space description with the image's */
static int ckpt_apply_mm(struct ckpt_ctx *ctx, struct ckpt_hdr_mm *h)
{
	struct mm_struct *mm = current->mm;
	struct file *exe;
	int ret;

	ctx->ts->committed = true;
	ret = vm_munmap(0, TASK_SIZE_MAX);
	if (ret)
		return ckpt_err(ctx, ret, "cannot empty the address space");
	/* the caller's rseq area is gone with its memory, as at execve() */
	rseq_execve(current);
	if (h->exe_len) {
		exe = ckpt_open_path(ctx, h->exe);
		if (IS_ERR(exe))
			return PTR_ERR(exe);
		/* what execve() of it would require */
		ret = path_noexec(&exe->f_path) ? -EACCES :
		      file_permission(exe, MAY_EXEC);
		if (!ret)
			ret = replace_mm_exe_file(mm, exe);
		fput(exe);
		if (ret)
			return ckpt_err(ctx, ret, "cannot set the executable to %s",
					h->exe);
	}
	ret = mmap_write_lock_killable(mm);
	if (ret)
		return ret;
	mm->start_code = h->start_code;
	mm->end_code = h->end_code;
	mm->start_data = h->start_data;
	mm->end_data = h->end_data;
	mm->start_brk = h->start_brk;
	mm->brk = h->brk;
	mm->start_stack = h->start_stack;
	mm->arg_start = h->arg_start;
	mm->arg_end = h->arg_end;
	mm->env_start = h->env_start;
	mm->env_end = h->env_end;
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, h->auxv, h->auxv_words * sizeof(u64));
	mmap_write_unlock(mm);
	set_dumpable(mm, h->dumpable);
	return 0;
}

/**
 * restore_mm - read an mm record, and rebuild the caller's address space
 * @ctx: restart context
 * @hdr: its header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_mm(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_mm *h;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_check_mm(ctx, h);
	if (!ret)
		ret = ckpt_obj_insert(ctx, current->mm, h->objref, &ckpt_mm_obj_ops);
	if (!ret) {
		ctx->ts->vmas_left = h->nr_vmas;
		ctx->ts->vma.end = 0;
		if (ckpt_restoring(ctx))
			ret = ckpt_apply_mm(ctx, h);
	}
	kvfree(h);
	return ret;
}

static int ckpt_check_vma(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h)
{
	if (!ctx->ts->vmas_left)
		return ckpt_err(ctx, -EINVAL,
				"vma record at offset %lld: more vmas than the mm has",
				ctx->rec_offset);
	if (h->start >= h->end || !PAGE_ALIGNED(h->start) ||
	    !PAGE_ALIGNED(h->end) || h->end > TASK_SIZE_MAX ||
	    h->start < ctx->ts->vma.end)
		return ckpt_err(ctx, -EINVAL,
				"vma record at offset %lld: bad range %#llx-%#llx",
				ctx->rec_offset, h->start, h->end);
	if (h->flags & ~CKPT_VMA_FLAGS_ALL ||
	    (h->type != CKPT_VMA_SYSVSHM && h->flags & CKPT_VMA_MAYWRITE) ||
	    (h->type != CKPT_VMA_SHMEM && h->type != CKPT_VMA_SYSVSHM &&
	     h->shm_ref) ||
	    (h->type != CKPT_VMA_FILE &&
	     (h->path_len || h->h.len != sizeof(*h))) ||
	    (h->type != CKPT_VMA_FILE && h->type != CKPT_VMA_SHMEM && h->pgoff))
		return ckpt_err(ctx, -EINVAL,
				"vma record at offset %lld: bad flags or fields",
				ctx->rec_offset);
	switch (h->type) {
	case CKPT_VMA_ANON:
		if (h->flags & CKPT_VMA_SHARED)
			break;
		return 0;
	case CKPT_VMA_SHMEM:
		if (!(h->flags & CKPT_VMA_SHARED) || !h->shm_ref ||
		    h->pgoff > (TASK_SIZE_MAX >> PAGE_SHIFT))
			break;
		return 0;
	case CKPT_VMA_SYSVSHM:
		/* shared, but a read-only attachment loses VM_SHARED */
		if (!h->shm_ref ||
		    (h->flags & CKPT_VMA_WRITE && !(h->flags & CKPT_VMA_MAYWRITE)))
			break;
		return 0;
	case CKPT_VMA_VDSO:
		if (h->start < -vdso_image_64.sym_vvar_start ||
		    h->start + vdso_image_64.sym_vvar_start < ctx->ts->vma.end)
			break;
		if (h->end - h->start != vdso_image_64.size)
			return ckpt_err(ctx, -EINVAL,
					"vma record at offset %lld: vdso size %llu, this kernel's is %lu",
					ctx->rec_offset, h->end - h->start,
					vdso_image_64.size);
		return 0;
	case CKPT_VMA_FILE:
		if (h->flags & CKPT_VMA_SHARED || h->path_len < 2 ||
		    h->path_len > CKPT_PATH_MAX ||
		    h->h.len != sizeof(*h) + ALIGN(h->path_len, 8) ||
		    h->path[0] != '/' ||
		    strnlen(h->path, h->path_len) != h->path_len - 1 ||
		    h->pgoff > (ULONG_MAX >> PAGE_SHIFT) -
			       ((h->end - h->start) >> PAGE_SHIFT))
			break;
		return 0;
	}
	return ckpt_err(ctx, -EINVAL,
			"vma record at offset %lld: bad type %u or fields",
			ctx->rec_offset, h->type);
}

/*
 * The shared memory a shmem vma maps: made by its first vma, which maps
 * all of it and whose pages follow; later vmas map a part of it.
 */
static int ckpt_vma_shm_file(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h)
{
	u64 len = h->end - h->start;
	struct file *file;
	int ret;

	if (!xa_load(&ctx->obj_by_ref, h->shm_ref)) {
		if (h->pgoff)
			return ckpt_err(ctx, -EINVAL,
					"vma record at offset %lld: first map of shared memory %u at offset %llu",
					ctx->rec_offset, h->shm_ref, h->pgoff);
		file = shmem_kernel_file_setup("dev/zero", len, VM_NORESERVE);
		if (IS_ERR(file))
			return ckpt_err(ctx, PTR_ERR(file),
					"cannot create shared memory of %llu bytes",
					len);
		ret = ckpt_obj_insert(ctx, file, h->shm_ref, &ckpt_shmem_obj_ops);
		fput(file);
		if (ret)
			return ret;
		ctx->ts->shm_file = file;
		return 0;
	}
	file = ckpt_obj_fetch(ctx, h->shm_ref, &ckpt_shmem_obj_ops);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if ((h->pgoff << PAGE_SHIFT) + len > i_size_read(file_inode(file)))
		return ckpt_err(ctx, -EINVAL,
				"vma record at offset %lld: beyond the end of shared memory %u",
				ctx->rec_offset, h->shm_ref);
	return 0;
}

/**
 * ckpt_vma_prot - the PROT_* bits of a vma record
 * @flags: its CKPT_VMA_* flags
 *
 * Return: PROT_READ, PROT_WRITE and PROT_EXEC as @flags say.
 */
unsigned long ckpt_vma_prot(u32 flags)
{
	unsigned long prot = PROT_NONE;

	if (flags & CKPT_VMA_READ)
		prot |= PROT_READ;
	if (flags & CKPT_VMA_WRITE)
		prot |= PROT_WRITE;
	if (flags & CKPT_VMA_EXEC)
		prot |= PROT_EXEC;
	return prot;
}

static int ckpt_apply_vma(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h)
{
	unsigned long len = h->end - h->start;
	unsigned long mflags = MAP_PRIVATE | MAP_FIXED_NOREPLACE;
	struct file *file = NULL;
	unsigned long addr;
	long ret;

	if (h->type == CKPT_VMA_SYSVSHM)
		return restore_shm_vma(ctx, h);
	if (h->type == CKPT_VMA_VDSO) {
		/* the vvar pages come first, then the vdso text */
		ret = do_arch_prctl_64(current, ARCH_MAP_VDSO_64,
				       h->start + vdso_image_64.sym_vvar_start);
		if (ret >= 0 &&
		    current->mm->context.vdso != (void __user *)h->start)
			ret = -EBUSY;
		if (ret < 0)
			return ckpt_err(ctx, ret, "cannot map the vdso at %#llx",
					h->start);
		return 0;
	}
	if (h->flags & CKPT_VMA_GROWSDOWN)
		mflags |= MAP_GROWSDOWN;
	if (h->flags & CKPT_VMA_NORESERVE)
		mflags |= MAP_NORESERVE;
	if (h->flags & CKPT_VMA_LOCKED)
		mflags |= MAP_LOCKED;
	if (h->type == CKPT_VMA_FILE) {
		file = ckpt_open_path(ctx, h->path);
		if (IS_ERR(file))
			return PTR_ERR(file);
	} else if (h->type == CKPT_VMA_SHMEM) {
		file = get_file(ckpt_obj_fetch(ctx, h->shm_ref, &ckpt_shmem_obj_ops));
		mflags = MAP_SHARED | MAP_FIXED_NOREPLACE;
	} else {
		mflags |= MAP_ANONYMOUS;
	}
	addr = vm_mmap(file, h->start, len, ckpt_vma_prot(h->flags), mflags,
		       h->pgoff << PAGE_SHIFT);
	if (file)
		fput(file);
	if (IS_ERR_VALUE(addr))
		return ckpt_err(ctx, (long)addr, "cannot map %#llx-%#llx%s%s",
				h->start, h->end,
				h->type == CKPT_VMA_FILE ? " of " : "",
				h->type == CKPT_VMA_FILE ? h->path : "");
	if (addr != h->start)
		return ckpt_err(ctx, -EINVAL, "vma %#llx mapped at %#lx",
				h->start, addr);
	return 0;
}

/**
 * restore_vma - read a vma record, and map it in the caller
 * @ctx: restart context
 * @hdr: its header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_vma(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_vma *h;
	int ret;

	ctx->ts->shm_file = NULL;
	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_check_vma(ctx, h);
	if (!ret && h->type == CKPT_VMA_SHMEM)
		ret = ckpt_vma_shm_file(ctx, h);
	/* RESTART_VALIDATE: the segment must be there */
	if (!ret && h->type == CKPT_VMA_SYSVSHM && !ckpt_restoring(ctx))
		ret = restore_shm_vma(ctx, h);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_apply_vma(ctx, h);
	if (!ret) {
		ctx->ts->vmas_left--;
		memcpy(&ctx->ts->vma, h, sizeof(*h));
		ctx->ts->last_page = 0;
	}
	kvfree(h);
	return ret;
}

/* Put one page of data at @addr of the shared memory being restored */
static int ckpt_put_page(struct ckpt_ctx *ctx, u64 addr, void *data)
{
	loff_t pos = addr - ctx->ts->vma.start;
	ssize_t n;

	n = kernel_write(ctx->ts->shm_file, data, PAGE_SIZE, &pos);
	if (n != PAGE_SIZE)
		return ckpt_err(ctx, n < 0 ? n : -EIO,
				"cannot restore shared page %#llx", addr);
	return 0;
}

/*
 * Read @nr pages of data straight into the caller's pages at @addr: the
 * pages are faulted in (copied if the mapping is private and read-only)
 * and the image file fills them.
 */
static int ckpt_fill_user_pages(struct ckpt_ctx *ctx, u64 *addr,
				unsigned int nr)
{
	struct mm_struct *mm = current->mm;
	unsigned int i, run, got = 0;
	struct page **pages;
	long n = 1;
	int ret;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		return -ENOMEM;
	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out;
	/* one call per run of contiguous pages */
	for (got = 0; got < nr; got += n) {
		for (run = 1; got + run < nr; run++)
			if (addr[got + run] != addr[got] + run * PAGE_SIZE)
				break;
		n = get_user_pages(addr[got], run, FOLL_WRITE | FOLL_FORCE,
				   &pages[got], NULL);
		if (n <= 0)
			break;
	}
	mmap_read_unlock(mm);
	if (got < nr)
		ret = ckpt_err(ctx, n < 0 ? n : -EFAULT,
			       "cannot restore the page at %#llx", addr[got]);
	else
		ret = ckpt_read_pages(ctx, pages, nr);
	for (i = 0; i < got; i++) {
		if (!ret)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
out:
	kvfree(pages);
	return ret;
}

/**
 * restore_pages - read a batch of pages, and put them in place
 * @ctx: restart context
 * @hdr: its header
 *
 * Return: 0 or a negative errno, with its reason recorded.
 */
static int restore_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_vma *vma = &ctx->ts->vma;
	struct ckpt_hdr_pages h;
	u64 *addr = NULL;
	void *data = NULL;
	unsigned int i;
	int ret;

	if (!vma->end || vma->type == CKPT_VMA_VDSO ||
	    vma->type == CKPT_VMA_SYSVSHM ||
	    (vma->type == CKPT_VMA_SHMEM && !ctx->ts->shm_file))
		return ckpt_err(ctx, -EINVAL,
				"pages record at offset %lld without a vma for it",
				ctx->rec_offset);
	memcpy(&h, hdr, sizeof(h));
	if (!h.nr || h.nr > CKPT_PAGES_MAX || h.reserved ||
	    hdr->len != sizeof(h) + (u64)h.nr * (sizeof(u64) + PAGE_SIZE))
		return ckpt_err(ctx, -EINVAL,
				"pages record at offset %lld: %u pages in %u bytes",
				ctx->rec_offset, h.nr, hdr->len);
	addr = kvmalloc_array(h.nr, sizeof(*addr), GFP_KERNEL_ACCOUNT);
	data = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!addr || !data) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ckpt_read(ctx, addr, h.nr * sizeof(*addr));
	if (ret)
		goto out;
	for (i = 0; i < h.nr; i++) {
		if (!PAGE_ALIGNED(addr[i]) || addr[i] < vma->start ||
		    addr[i] >= vma->end ||
		    (ctx->ts->last_page && addr[i] <= ctx->ts->last_page)) {
			ret = ckpt_err(ctx, -EINVAL,
				       "pages record at offset %lld: page %#llx outside %#llx-%#llx or out of order",
				       ctx->rec_offset, addr[i], vma->start,
				       vma->end);
			goto out;
		}
		ctx->ts->last_page = addr[i];
	}
	if (ckpt_restoring(ctx) && !ctx->ts->shm_file) {
		ret = ckpt_fill_user_pages(ctx, addr, h.nr);
		goto out;
	}
	for (i = 0; i < h.nr; i++) {
		ret = ckpt_read(ctx, data, PAGE_SIZE);
		if (!ret && ckpt_restoring(ctx))
			ret = ckpt_put_page(ctx, addr[i], data);
		if (ret)
			goto out;
	}
out:
	kfree(data);
	kvfree(addr);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Objects and hooks */

static void ckpt_mm_grab(void *ptr)
{
	mmgrab(ptr);
}

static void ckpt_mm_drop(void *ptr)
{
	mmdrop(ptr);
}

const struct ckpt_obj_ops ckpt_mm_obj_ops = {
	.name = "mm",
	.grab = ckpt_mm_grab,
	.drop = ckpt_mm_drop,
};

static void ckpt_shmem_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_shmem_drop(void *ptr)
{
	fput(ptr);
}

/* Shared anonymous memory being rebuilt, by its shmem file */
const struct ckpt_obj_ops ckpt_shmem_obj_ops = {
	.name = "shared memory",
	.grab = ckpt_shmem_grab,
	.drop = ckpt_shmem_drop,
};

/* Every vma the mm record announced came before the registers */
static int ckpt_mm_task_done(struct ckpt_ctx *ctx, struct ckpt_task_restore *t)
{
	if (t->vmas_left)
		return ckpt_err(ctx, -EINVAL,
				"pid %d: %u vmas of its mm missing: record at offset %lld out of place",
				t->pid, t->vmas_left, ctx->rec_offset);
	return 0;
}

static const struct ckpt_record ckpt_mm_records[] = {
	{
		.index = CKPT_REC_MM,
		.name = "mm",
		.what = "memory",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED | CKPT_REC_PROCESS,
		.task = { .write = checkpoint_mm, .restore = restore_mm },
	},
	{
		.index = CKPT_REC_VMA,
		.name = "vma",
		.flags = CKPT_REC_PROCESS,
		.task = { .restore = restore_vma },
	},
	{
		.index = CKPT_REC_PAGES,
		.name = "pages",
		.flags = CKPT_REC_STREAM | CKPT_REC_PROCESS,
#ifdef CONFIG_SYSVIPC
		/* each segment followed by its pages */
		.image = { .with = CKPT_REC_IPC_SHM, .restore = restore_shm_pages },
#endif
		/* each vma followed by its pages */
		.task = { .with = CKPT_REC_VMA, .restore = restore_pages },
	},
};

const struct ckpt_subsys ckpt_mm_subsys = {
	.name = "memory",
	.records = ckpt_mm_records,
	.nr_records = ARRAY_SIZE(ckpt_mm_records),
	.task_done = ckpt_mm_task_done,
};
