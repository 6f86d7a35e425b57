// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: descriptor tables, open files and pipes.
 *
 * An open file description is written once, as a file record with its
 * objref; the descriptor table that ends a task's files lists every
 * descriptor with the objref of its file, so that descriptors sharing
 * one description (dup(), fork()) share it again after restart.
 *
 * Files are reopened by path with the caller's rights.  A pipe or a
 * FIFO also has a pipe record, written before its first file: its
 * capacity and a copy of the data buffered in it, which checkpoint
 * leaves in place.
 */

#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_net.h>
#include <linux/close_range.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/af_unix.h>

/* The O_* flags of an open file that the image keeps */
#define CKPT_FILE_O_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | \
				 O_NOATIME | O_DSYNC | __O_SYNC | O_PATH | \
				 O_LARGEFILE)
/* The largest file record */
#define CKPT_FILE_REC_MAX	(sizeof(struct ckpt_hdr_file) + CKPT_PATH_MAX)
/* Set after the open: a pipe cannot be opened O_DIRECT (packet mode) */
#define CKPT_FILE_LATE_FLAGS	(O_NONBLOCK | O_DIRECT)

/* Character devices that reopen by path to the same thing */
static bool ckpt_chrdev_supported(dev_t dev)
{
	unsigned int minor = MINOR(dev);

	switch (MAJOR(dev)) {
	case MEM_MAJOR:		/* null, zero, full, random, urandom */
		return minor == 3 || minor == 5 || minor == 7 || minor == 8 ||
		       minor == 9;
	case TTY_MAJOR:		/* virtual consoles, serial ports */
		return true;
	case TTYAUX_MAJOR:	/* /dev/tty, /dev/console; not /dev/ptmx */
		return minor == 0 || minor == 1;
	}
	return MAJOR(dev) >= UNIX98_PTY_SLAVE_MAJOR &&
	       MAJOR(dev) < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT;
}

/* ---------------------------------------------------------------- */
/* Checkpoint */

/* One descriptor of the table being saved */
struct ckpt_fd_save {
	unsigned int fd;
	bool cloexec;
	struct file *file;
};

static int ckpt_pipe_data(struct ckpt_ctx *ctx, struct pipe_inode_info *pipe,
			  u32 objref, bool with_data)
{
	unsigned int head, tail, mask, i, n = 0, nr;
	struct pipe_buffer *copies = NULL;
	struct ckpt_pipe_buf *bufs = NULL;
	static const u8 zeroes[8];
	struct ckpt_hdr_pipe h;
	struct pipe_buffer *buf;
	u64 total = 0, len;
	void *data;
	int ret = 0;

	/* references to the buffers, taken under the lock: what tee() does */
	pipe_lock(pipe);
	head = pipe->head;
	tail = pipe->tail;
	mask = pipe->ring_size - 1;
	nr = with_data ? pipe_occupancy(head, tail) : 0;
	if (nr) {
		copies = kvcalloc(nr, sizeof(*copies), GFP_KERNEL_ACCOUNT);
		bufs = kvcalloc(nr, sizeof(*bufs), GFP_KERNEL_ACCOUNT);
		if (!copies || !bufs)
			ret = -ENOMEM;
	}
	for (i = tail; !ret && n < nr; i++) {
		buf = &pipe->bufs[i & mask];
		ret = pipe_buf_confirm(pipe, buf);
		if (!ret && !pipe_buf_get(pipe, buf))
			ret = -EFAULT;
		if (ret)
			break;
		copies[n] = *buf;
		bufs[n].len = buf->len;
		if (buf->flags & PIPE_BUF_FLAG_PACKET)
			bufs[n].flags = CKPT_PIPE_BUF_PACKET;
		total += buf->len;
		n++;
	}
	h.size = (u64)pipe->max_usage << PAGE_SHIFT;
	pipe_unlock(pipe);
	if (ret) {
		ckpt_err(ctx, ret, "pipe %u: cannot read its data", objref);
		goto out_release;
	}

	len = sizeof(h) + nr * sizeof(*bufs) + ALIGN(total, 8);
	if (len > CKPT_RECORD_MAX) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "pipe %u: %llu bytes buffered: not supported",
			       objref, total);
		goto out_release;
	}
	h.h.type = CKPT_HDR_PIPE;
	h.h.len = len;
	h.objref = objref;
	h.nr_bufs = nr;
	h.nr_bytes = total;
	ret = ckpt_write(ctx, &h, sizeof(h));
	if (!ret)
		ret = ckpt_write(ctx, bufs, nr * sizeof(*bufs));
	/* a copy: the data stays in the pipe */
	for (i = 0; !ret && i < nr; i++) {
		data = kmap_local_page(copies[i].page);
		ret = ckpt_write(ctx, data + copies[i].offset, copies[i].len);
		kunmap_local(data);
	}
	if (!ret && total % 8)
		ret = ckpt_write(ctx, zeroes, 8 - total % 8);
out_release:
	for (i = 0; i < n; i++)
		pipe_buf_release(pipe, &copies[i]);
	kvfree(copies);
	kvfree(bufs);
	return ret;
}

/* The pipe record of a pipe or a FIFO, the first time it is met */
static int checkpoint_pipe(struct ckpt_ctx *ctx, struct file *file,
			   struct xarray *readers, u32 *pipe_ref)
{
	struct pipe_inode_info *pipe = get_pipe_info(file, false);
	bool first;
	int objref;

	if (!pipe)
		return -EINVAL;
	objref = ckpt_obj_checkpoint(ctx, file_inode(file), &ckpt_inode_obj_ops,
				     &first);
	if (objref < 0)
		return objref;
	*pipe_ref = objref;
	/* with only its write end here, the data is an outside reader's */
	return first ? ckpt_pipe_data(ctx, pipe, objref,
				      xa_load(readers, (unsigned long)pipe)) : 0;
}

/* A lock this table or this file holds, which restart would not retake */
static bool ckpt_file_locked(struct files_struct *files, struct file *file)
{
	struct file_lock_context *flctx;
	struct file_lock *fl;
	bool locked = false;

	flctx = locks_inode_context(file_inode(file));
	if (!flctx)
		return false;
	spin_lock(&flctx->flc_lock);
	list_for_each_entry(fl, &flctx->flc_posix, fl_list)
		locked |= fl->fl_owner == files || fl->fl_file == file;
	list_for_each_entry(fl, &flctx->flc_flock, fl_list)
		locked |= fl->fl_file == file;
	list_for_each_entry(fl, &flctx->flc_lease, fl_list)
		locked |= fl->fl_file == file;
	spin_unlock(&flctx->flc_lock);
	return locked;
}

/* 0, or -EOPNOTSUPP with the reason if @file has locks or leases */
static int ckpt_file_unlocked(struct ckpt_ctx *ctx, struct files_struct *files,
			      unsigned int fd, struct file *file)
{
	if (!ckpt_file_locked(files, file))
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP,
			"fd %u: file locks and leases not supported yet", fd);
}

/* The address family of @sock, as a reason names it */
static const char *ckpt_sock_family(struct socket *sock)
{
	switch (sock->ops ? sock->ops->family : AF_UNSPEC) {
	case AF_UNIX:
		return "O_PATH of a unix";
	case AF_INET:
		return "AF_INET";
	case AF_INET6:
		return "AF_INET6";
	case AF_NETLINK:
		return "AF_NETLINK";
	case AF_PACKET:
		return "AF_PACKET";
	}
	return "other";
}

/* What kind of file @file is, or -EOPNOTSUPP with the reason */
static int ckpt_file_type(struct ckpt_ctx *ctx, struct files_struct *files,
			  unsigned int fd, struct file *file, char *path)
{
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;
	const char *name;
	int ret;

	if (S_ISSOCK(inode->i_mode) && sb->s_magic != SOCKFS_MAGIC)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: O_PATH of a socket not supported yet", fd);
	if (S_ISSOCK(inode->i_mode))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: %s socket not supported yet", fd,
				ckpt_sock_family(SOCKET_I(inode)));
	if (sb->s_magic == ANON_INODE_FS_MAGIC) {
		name = file->f_path.dentry->d_name.name;
		if (!strcmp(name, "[eventpoll]"))
			name = "[epoll]";
		if (*name == '[')
			return ckpt_err(ctx, -EOPNOTSUPP,
					"fd %u: %.*s not supported yet", fd,
					(int)strcspn(name + 1, "]"), name + 1);
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: %s not supported yet", fd, name);
	}
	if (file->f_flags & FASYNC)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: O_ASYNC (signal-driven I/O) not supported yet",
				fd);
	ret = ckpt_file_unlocked(ctx, files, fd, file);
	if (ret)
		return ret;
	if (sb->s_magic == PIPEFS_MAGIC)
		return CKPT_FILE_PIPE;
	if (IS_ERR(path))
		return ckpt_err(ctx, PTR_ERR(path),
				"fd %u: %s file has no path", fd,
				sb->s_type->name);
	if (!strncmp(path, "/memfd:", 7))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: memfd %s not supported yet", fd, path + 1);
	if (d_unlinked(file->f_path.dentry))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: deleted file %s not supported yet", fd,
				path);
	if ((sb->s_flags & SB_NOUSER) || sb->s_magic == PROC_SUPER_MAGIC)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: %s file %s not supported yet", fd,
				sb->s_type->name, path);

	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		return CKPT_FILE_REG;
	case S_IFDIR:
		return CKPT_FILE_DIR;
	case S_IFIFO:
		return CKPT_FILE_FIFO;
	case S_IFCHR:
		if (ckpt_chrdev_supported(inode->i_rdev))
			return CKPT_FILE_CHR;
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: character device %u:%u (%s) not supported yet",
				fd, MAJOR(inode->i_rdev), MINOR(inode->i_rdev),
				path);
	case S_IFBLK:
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: block device %s not supported yet", fd,
				path);
	}
	return ckpt_err(ctx, -EOPNOTSUPP, "fd %u: %s: O_PATH of a symlink not supported yet",
			fd, path);
}

static int checkpoint_file(struct ckpt_ctx *ctx, struct files_struct *files,
			   unsigned int fd, struct file *file,
			   struct xarray *readers, char *buf)
{
	struct ckpt_hdr_file *h = (struct ckpt_hdr_file *)buf;
	size_t size = CKPT_PATH_MAX;
	char *path = NULL;
	bool first;
	int objref, type, ret;
	u32 pipe_ref = 0;

	objref = ckpt_obj_checkpoint(ctx, file, &ckpt_file_obj_ops, &first);
	if (objref < 0)
		return objref;
	if (!first)
		return 0;
	if (ckpt_event_file(file)) {
		ret = ckpt_file_unlocked(ctx, files, fd, file);
		if (ret)
			return ret;
		return checkpoint_event_file(ctx, files, fd, file, objref);
	}
	if (unix_get_socket(file)) {
		ret = ckpt_file_unlocked(ctx, files, fd, file);
		if (ret)
			return ret;
		return checkpoint_unix_sock(ctx, files, fd, file, objref);
	}
	if (ckpt_mq_file(file)) {
		ret = ckpt_file_unlocked(ctx, files, fd, file);
		if (ret)
			return ret;
		return checkpoint_mq_file(ctx, fd, file, objref);
	}

	if (file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC)
		path = file_path(file, buf + sizeof(*h), size);
	type = ckpt_file_type(ctx, files, fd, file, path);
	if (type < 0)
		return type;
	if (type == CKPT_FILE_PIPE && (file->f_mode & FMODE_PATH))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: O_PATH of a pipe not supported yet", fd);
	if ((type == CKPT_FILE_PIPE || type == CKPT_FILE_FIFO) &&
	    !(file->f_mode & FMODE_PATH)) {
		ret = checkpoint_pipe(ctx, file, readers, &pipe_ref);
		if (ret)
			return ret;
	}

	/* the path moves to the end of the record */
	memset(h, 0, sizeof(*h));
	if (path) {
		h->path_len = strlen(path) + 1;
		memmove(h->path, path, h->path_len);
		memset(h->path + h->path_len, 0,
		       ALIGN(h->path_len, 8) - h->path_len);
	}
	h->objref = objref;
	h->type = type;
	h->flags = file->f_flags & CKPT_FILE_O_FLAGS;
	h->pipe_ref = pipe_ref;
	if (!(file->f_mode & FMODE_STREAM) && type != CKPT_FILE_PIPE &&
	    type != CKPT_FILE_FIFO)
		h->pos = file->f_pos;
	if (type == CKPT_FILE_CHR)
		h->rdev = new_encode_dev(file_inode(file)->i_rdev);
	return ckpt_write_record(ctx, &h->h, CKPT_HDR_FILE,
				 sizeof(*h) + ALIGN(h->path_len, 8));
}

/**
 * checkpoint_file_ref - write the records of a file that another refers to
 * @ctx: checkpoint context
 * @files: the descriptor table it was found through
 * @fd: its descriptor there, for the log
 * @file: the file
 *
 * The records of @file are written the first time it is met, as for a
 * file of a descriptor table, so that a record that names it (an epoll
 * file's) can follow.
 *
 * Return: its objref, or a negative errno with its reason on the log.
 */
int checkpoint_file_ref(struct ckpt_ctx *ctx, struct files_struct *files,
			unsigned int fd, struct file *file)
{
	char *buf;
	int ret;

	buf = kmalloc(CKPT_FILE_REC_MAX, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	ret = checkpoint_file(ctx, files, fd, file, &ctx->in_tree, buf);
	kfree(buf);
	if (ret)
		return ret;
	return ckpt_obj_lookup(ctx, file, &ckpt_file_obj_ops);
}

/* Take a reference on every open file of @files, in fd order */
static struct ckpt_fd_save *ckpt_collect_fds(struct files_struct *files,
					     unsigned int *nr)
{
	struct ckpt_fd_save *fds;
	struct fdtable *fdt;
	unsigned int fd, n, count;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	count = bitmap_weight(fdt->open_fds, fdt->max_fds);
	spin_unlock(&files->file_lock);

	fds = kvcalloc(max(count, 1U), sizeof(*fds), GFP_KERNEL_ACCOUNT);
	if (!fds)
		return ERR_PTR(-ENOMEM);
	n = 0;
	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (fd = 0; fd < fdt->max_fds && n < count; fd++) {
		struct file *file = rcu_dereference_protected(fdt->fd[fd],
				lockdep_is_held(&files->file_lock));

		if (!file)
			continue;
		fds[n].fd = fd;
		fds[n].cloexec = close_on_exec(fd, fdt);
		fds[n].file = get_file(file);
		n++;
	}
	spin_unlock(&files->file_lock);
	*nr = n;
	return fds;
}

static int ckpt_write_fd_table(struct ckpt_ctx *ctx, struct ckpt_fd_save *fds,
			       unsigned int nr, int objref)
{
	struct ckpt_hdr_fd_table *h;
	size_t len = struct_size(h, fds, nr);
	unsigned int i;
	int ret;

	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->objref = objref;
	h->nr_fds = nr;
	for (i = 0; i < nr; i++) {
		h->fds[i].fd = fds[i].fd;
		h->fds[i].flags = fds[i].cloexec ? CKPT_FD_CLOEXEC : 0;
		h->fds[i].file_ref = ckpt_obj_lookup(ctx, fds[i].file,
						     &ckpt_file_obj_ops);
	}
	ret = ckpt_write_record(ctx, &h->h, CKPT_HDR_FD_TABLE, len);
	kvfree(h);
	return ret;
}

/* The descriptor table of @task, with a reference, or NULL if it exits */
static struct files_struct *ckpt_task_files(struct task_struct *task)
{
	struct files_struct *files;

	task_lock(task);
	files = task->files;
	if (files)
		atomic_inc(&files->count);
	task_unlock(task);
	return files;
}

/* What of @file the tree holds: the pipe it reads */
static void *ckpt_file_held(struct file *file)
{
	struct pipe_inode_info *pipe = get_pipe_info(file, false);

	return pipe && (file->f_mode & FMODE_READ) ? pipe : NULL;
}

/* Note what the files of @task hold */
static int ckpt_task_held(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct files_struct *files = ckpt_task_files(task);
	struct ckpt_fd_save *fds;
	unsigned int i, nr = 0;
	void *held;
	int ret = 0;

	if (!files)
		return 0;
	fds = ckpt_collect_fds(files, &nr);
	put_files_struct(files);
	if (IS_ERR(fds))
		return PTR_ERR(fds);
	for (i = 0; i < nr; i++) {
		held = ckpt_file_held(fds[i].file);
		if (!ret && held)
			ret = xa_err(xa_store(&ctx->in_tree,
					      (unsigned long)held,
					      xa_mk_value(1),
					      GFP_KERNEL_ACCOUNT));
		if (!ret && unix_get_socket(fds[i].file))
			ret = ckpt_unix_held(ctx, fds[i].file);
		fput(fds[i].file);
	}
	kvfree(fds);
	return ret;
}

/**
 * ckpt_collect_held - note the pipes that a task of the tree reads, and
 *	the Unix sockets it holds
 * @ctx: checkpoint context, with the tree gathered
 *
 * The data of a pipe goes into the image only if a task of the tree can
 * read it: with only its write end in the tree, it is an outside
 * reader's.  A Unix socket whose peer the tree does not hold is refused.
 *
 * Return: 0 or a negative errno.
 */
static int ckpt_collect_held(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = ckpt_task_held(ctx, ctx->tasks[i]);
	return ret;
}

/**
 * checkpoint_files - write the open files and the descriptor table of a task
 * @ctx: checkpoint context
 * @task: the task, frozen
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_files(struct ckpt_ctx *ctx, struct task_struct *task)
{
	pid_t pid = task_pid_vnr(task);
	struct files_struct *files;
	struct ckpt_fd_save *fds;
	unsigned int i, nr = 0;
	bool first;
	char *buf;
	int objref, ret;

	files = ckpt_task_files(task);
	if (!files)
		return ckpt_err(ctx, -ESRCH, "pid %d has no files", pid);

	/* its threads and us: anyone else could change it under us */
	if (atomic_read(&files->count) > get_nr_threads(task) + 1) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "pid %d: fd table shared with another task (CLONE_FILES) not supported",
			       pid);
		goto out_put;
	}
	objref = ckpt_obj_checkpoint(ctx, files, &ckpt_files_obj_ops, &first);
	if (objref < 0) {
		ret = objref;
		goto out_put;
	}
	buf = kmalloc(CKPT_FILE_REC_MAX, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	fds = ckpt_collect_fds(files, &nr);
	if (IS_ERR(fds)) {
		ret = PTR_ERR(fds);
		goto out_free;
	}
	for (i = 0, ret = 0; i < nr && !ret; i++)
		ret = checkpoint_file(ctx, files, fds[i].fd, fds[i].file,
				      &ctx->in_tree, buf);
	if (!ret)
		ret = ckpt_write_fd_table(ctx, fds, nr, objref);
	for (i = 0; i < nr; i++)
		fput(fds[i].file);
	kvfree(fds);
out_free:
	kfree(buf);
out_put:
	put_files_struct(files);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Restart */

/* The file type of each CKPT_FILE_* that is opened by path */
static const umode_t ckpt_file_modes[] = {
	[CKPT_FILE_REG] = S_IFREG,
	[CKPT_FILE_DIR] = S_IFDIR,
	[CKPT_FILE_CHR] = S_IFCHR,
	[CKPT_FILE_FIFO] = S_IFIFO,
};

/**
 * struct ckpt_pipe - a pipe or FIFO being rebuilt
 * @rec: its pipe record, data included
 * @data: the data in @rec
 * @base: a file on it that writes (a FIFO: opened read-write), held
 *	until restart ends so that the pipe lives and has a reader
 * @reader: the read end of a new pipe, held likewise
 * @fifo: @base is a FIFO opened by path
 * @err: building it failed: the files that use it fail too
 */
struct ckpt_pipe {
	struct ckpt_hdr_pipe *rec;
	const void *data;
	struct file *base;
	struct file *reader;
	bool fifo;
	int err;
};

/* Release a pipe being rebuilt (objhash drop) */
static void ckpt_pipe_free(struct ckpt_pipe *p)
{
	if (p->base)
		fput(p->base);
	if (p->reader)
		fput(p->reader);
	kvfree(p->rec);
	kfree(p);
}

/**
 * restore_pipe - check a pipe record and keep it for the files that use it
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int restore_pipe(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_pipe *h;
	struct ckpt_pipe *p;
	u64 total = 0, max_bufs;
	u32 i;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = -EINVAL;
	max_bufs = h->size >> PAGE_SHIFT;
	if (h->size < PAGE_SIZE || h->size > INT_MAX ||
	    !is_power_of_2(h->size) || h->nr_bufs > max_bufs ||
	    h->nr_bytes > h->size ||
	    h->h.len != sizeof(*h) + h->nr_bufs * sizeof(h->bufs[0]) +
			ALIGN(h->nr_bytes, 8)) {
		ckpt_err(ctx, ret,
			 "pipe record at offset %lld: capacity %llu, %u buffers, %llu bytes, length %u do not match",
			 ctx->rec_offset, h->size, h->nr_bufs, h->nr_bytes,
			 h->h.len);
		goto err_free;
	}
	for (i = 0; i < h->nr_bufs; i++) {
		if (!h->bufs[i].len || h->bufs[i].len > PAGE_SIZE ||
		    h->bufs[i].flags & ~CKPT_PIPE_BUF_PACKET) {
			ckpt_err(ctx, ret,
				 "pipe record at offset %lld: bad buffer %u",
				 ctx->rec_offset, i);
			goto err_free;
		}
		total += h->bufs[i].len;
	}
	if (total != h->nr_bytes) {
		ckpt_err(ctx, ret,
			 "pipe record at offset %lld: buffers hold %llu bytes, not %llu",
			 ctx->rec_offset, total, h->nr_bytes);
		goto err_free;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		ret = -ENOMEM;
		goto err_free;
	}
	p->rec = h;
	p->data = &h->bufs[h->nr_bufs];
	ret = ckpt_obj_insert(ctx, p, h->objref, &ckpt_pipe_obj_ops);
	if (ret)
		ckpt_pipe_free(p);
	return ret;

err_free:
	kvfree(h);
	return ret;
}

/* Put the saved data back, with its packet boundaries */
static int ckpt_pipe_fill(struct ckpt_ctx *ctx, struct ckpt_pipe *p)
{
	struct ckpt_hdr_pipe *h = p->rec;
	struct file *file = p->base;
	const void *data = p->data;
	unsigned int flags = file->f_flags;
	size_t len;
	loff_t pos = 0;
	ssize_t n;
	long ret;
	u32 i, j;

	if (h->size != (u64)PIPE_DEF_BUFFERS << PAGE_SHIFT) {
		ret = pipe_fcntl(file, F_SETPIPE_SZ, h->size);
		if (ret < 0)
			return ckpt_err(ctx, ret,
					"pipe %u: cannot set its capacity to %llu",
					h->objref, h->size);
	}
	ret = 0;
	for (i = 0; i < h->nr_bufs; i = j) {
		/* one write per packet, or per run of plain buffers */
		len = h->bufs[i].len;
		for (j = i + 1; j < h->nr_bufs &&
		     !(h->bufs[i].flags & CKPT_PIPE_BUF_PACKET) &&
		     !(h->bufs[j].flags & CKPT_PIPE_BUF_PACKET); j++)
			len += h->bufs[j].len;
		file->f_flags = flags | O_NONBLOCK;
		if (h->bufs[i].flags & CKPT_PIPE_BUF_PACKET)
			file->f_flags |= O_DIRECT;
		n = kernel_write(file, data, len, &pos);
		if (n != len) {
			ret = ckpt_err(ctx, n < 0 ? n : -ENOSPC,
				       "pipe %u: cannot refill it", h->objref);
			break;
		}
		data += len;
	}
	file->f_flags = flags;
	return ret;
}

/* Open a file by path with the caller's rights, and check what it is */
static struct file *ckpt_file_open(struct ckpt_ctx *ctx,
				   struct ckpt_hdr_file *h, umode_t mode)
{
	int flags = (h->flags & ~CKPT_FILE_LATE_FLAGS) | O_NONBLOCK | O_NOCTTY;
	struct file *file;
	struct inode *inode;

	if (mode == S_IFDIR && !(h->flags & O_PATH))
		flags |= O_DIRECTORY;
	if (mode == S_IFREG || mode == S_IFCHR)
		flags |= h->flags & O_DIRECT;
	file = filp_open(h->path, flags, 0);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "file %u: cannot open %s",
			 h->objref, h->path);
		return file;
	}
	inode = file_inode(file);
	if ((inode->i_mode & S_IFMT) != mode ||
	    (mode == S_IFCHR &&
	     inode->i_rdev != new_decode_dev(h->rdev))) {
		fput(file);
		ckpt_err(ctx, -EINVAL, "file %u: %s is not the %s it was",
			 h->objref, h->path,
			 mode == S_IFCHR ? "device" : "type of file");
		return ERR_PTR(-EINVAL);
	}
	return file;
}

/* The pipe of a pipe or FIFO file record, created by its first file */
static struct ckpt_pipe *ckpt_file_pipe(struct ckpt_ctx *ctx,
					struct ckpt_hdr_file *h)
{
	struct ckpt_pipe *p = ckpt_obj_fetch(ctx, h->pipe_ref, &ckpt_pipe_obj_ops);
	bool fifo = h->type == CKPT_FILE_FIFO;
	struct file *files[2];
	struct path path;
	int ret;

	if (IS_ERR(p) || !ckpt_restoring(ctx))
		return p;
	if (p->err)
		return ERR_PTR(p->err);
	if (p->base) {
		if (p->fifo == fifo)
			return p;
		ckpt_err(ctx, -EINVAL, "file %u: pipe %u is %s FIFO",
			 h->objref, h->pipe_ref, p->fifo ? "a" : "not a");
		return ERR_PTR(-EINVAL);
	}
	if (fifo) {
		/* a FIFO, before anything is opened */
		ret = kern_path(h->path, LOOKUP_FOLLOW, &path);
		if (!ret) {
			if (!S_ISFIFO(d_inode(path.dentry)->i_mode))
				ret = -EINVAL;
			path_put(&path);
		}
		if (ret) {
			ckpt_err(ctx, ret, "file %u: %s is not a FIFO",
				 h->objref, h->path);
			goto err;
		}
		p->base = filp_open(h->path, O_RDWR | O_NONBLOCK | O_LARGEFILE |
				    O_NOCTTY, 0);
		if (IS_ERR(p->base)) {
			ret = PTR_ERR(p->base);
			p->base = NULL;
			ckpt_err(ctx, ret, "file %u: cannot open FIFO %s",
				 h->objref, h->path);
			goto err;
		}
		if (!get_pipe_info(p->base, false)) {
			ret = ckpt_err(ctx, -EINVAL, "file %u: %s is not a FIFO",
				       h->objref, h->path);
			goto err;
		}
	} else {
		ret = create_pipe_files(files, 0);
		if (ret) {
			ckpt_err(ctx, ret, "cannot create pipe %u",
				 h->pipe_ref);
			goto err;
		}
		p->reader = files[0];
		p->base = files[1];
	}
	p->fifo = fifo;
	ret = ckpt_pipe_fill(ctx, p);
	if (!ret)
		return p;
err:
	/* no later file gets a pipe half built */
	if (p->base)
		fput(p->base);
	if (p->reader)
		fput(p->reader);
	p->base = NULL;
	p->reader = NULL;
	p->err = ret;
	return ERR_PTR(ret);
}

/* Build the open file of a record */
static struct file *ckpt_file_build(struct ckpt_ctx *ctx,
				    struct ckpt_hdr_file *h)
{
	struct ckpt_pipe *p = NULL;
	struct file *file;
	loff_t pos;

	if (h->pipe_ref) {
		p = ckpt_file_pipe(ctx, h);
		if (IS_ERR(p))
			return ERR_CAST(p);
	}
	if (!ckpt_restoring(ctx))
		return NULL;
	if (h->type == CKPT_FILE_PIPE)
		/* another open of the pipe, as through /proc/self/fd */
		file = dentry_open(&p->base->f_path,
				   (h->flags & ~CKPT_FILE_LATE_FLAGS) |
				   O_NONBLOCK, current_cred());
	else
		file = ckpt_file_open(ctx, h, ckpt_file_modes[h->type]);
	if (IS_ERR(file))
		return file;
	if (p && file_inode(file) != file_inode(p->base)) {
		fput(file);
		ckpt_err(ctx, -EINVAL, "file %u: %s is not the FIFO it was",
			 h->objref, h->path);
		return ERR_PTR(-EINVAL);
	}
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~CKPT_FILE_LATE_FLAGS) |
			(h->flags & CKPT_FILE_LATE_FLAGS);
	spin_unlock(&file->f_lock);
	if (h->pos && !(h->flags & O_PATH)) {
		pos = vfs_llseek(file, h->pos, SEEK_SET);
		if (pos != h->pos) {
			fput(file);
			ckpt_err(ctx, pos < 0 ? pos : -EINVAL,
				 "file %u: cannot seek %s to %lld", h->objref,
				 h->path, h->pos);
			return ERR_PTR(pos < 0 ? pos : -EINVAL);
		}
	}
	return file;
}

/* The fields of a file record, before anything is opened */
static int ckpt_file_check(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h)
{
	bool piped = h->type == CKPT_FILE_PIPE || h->type == CKPT_FILE_FIFO;
	bool opath = h->flags & O_PATH;
	bool chr = h->type == CKPT_FILE_CHR;
	bool anon = h->type == CKPT_FILE_PIPE;
	bool has_pipe = h->pipe_ref;
	int ret;

	if (!h->type || h->type > CKPT_FILE_PIPE ||
	    h->flags & ~CKPT_FILE_O_FLAGS ||
	    (!opath && (h->flags & O_ACCMODE) == O_ACCMODE) ||
	    (opath && anon) ||
	    chr != !!h->rdev)
		return ckpt_err(ctx, -EINVAL,
				"file record at offset %lld: bad type %u, flags %#x or device",
				ctx->rec_offset, h->type, h->flags);
	if (h->pos < 0 || (h->pos && piped))
		return ckpt_err(ctx, -EINVAL,
				"file record at offset %lld: bad position %lld",
				ctx->rec_offset, h->pos);
	if (piped != has_pipe &&
	    !(opath && h->type == CKPT_FILE_FIFO && !h->pipe_ref))
		return ckpt_err(ctx, -EINVAL,
				"file record at offset %lld: pipe objref %u for a file of type %u",
				ctx->rec_offset, h->pipe_ref, h->type);
	if (anon != !h->path_len || h->path_len > CKPT_PATH_MAX ||
	    h->h.len != sizeof(*h) + ALIGN((size_t)h->path_len, 8))
		return ckpt_err(ctx, -EINVAL,
				"file record at offset %lld: bad path length %u",
				ctx->rec_offset, h->path_len);
	if (h->path_len) {
		ret = ckpt_check_string(ctx, h->path, h->path_len, "file path");
		if (ret)
			return ret;
		if (strlen(h->path) != h->path_len - 1)
			return ckpt_err(ctx, -EINVAL,
					"file record at offset %lld: NUL in the path",
					ctx->rec_offset);
		if (h->path[0] != '/')
			return ckpt_err(ctx, -EINVAL,
					"file record at offset %lld: relative path",
					ctx->rec_offset);
	}
	if (h->type == CKPT_FILE_CHR &&
	    !ckpt_chrdev_supported(new_decode_dev(h->rdev)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"file %u: character device %u:%u not supported",
				h->objref, MAJOR(new_decode_dev(h->rdev)),
				MINOR(new_decode_dev(h->rdev)));
	return 0;
}

/* RESTART_VALIDATE: the path must still name the same kind of file */
static int ckpt_file_lookup(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h)
{
	struct path path;
	int ret;

	if (!h->path_len)
		return 0;
	ret = kern_path(h->path, LOOKUP_FOLLOW, &path);
	if (ret)
		return ckpt_err(ctx, ret, "file %u: cannot find %s", h->objref,
				h->path);
	if ((d_inode(path.dentry)->i_mode & S_IFMT) !=
	    ckpt_file_modes[h->type])
		ret = ckpt_err(ctx, -EINVAL,
			       "file %u: %s is not the type of file it was",
			       h->objref, h->path);
	path_put(&path);
	return ret;
}

/**
 * restore_file - reopen the file of a file record
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int restore_file(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_file *h;
	struct file *file;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_file_check(ctx, h);
	if (!ret && !ckpt_restoring(ctx))
		ret = ckpt_file_lookup(ctx, h);
	if (ret)
		goto out;
	file = ckpt_file_build(ctx, h);
	if (IS_ERR(file) && (ctx->flags & RESTART_KEEP_STDIO)) {
		/* an error only if a descriptor after 2 uses it */
		ret = xa_err(xa_store(&ctx->rs.failed_files, h->objref,
				      xa_mk_value(-PTR_ERR(file)),
				      GFP_KERNEL_ACCOUNT));
		if (!ret) {
			ckpt_msg(ctx, "file %u: fine if only fds 0-2 use it (RESTART_KEEP_STDIO)",
				 h->objref);
			ctx->err = 0;
			file = NULL;
		}
	}
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out;
	}
	ret = ckpt_obj_insert(ctx, file, h->objref, &ckpt_file_obj_ops);
	if (file)
		fput(file);
out:
	kvfree(h);
	return ret;
}

/**
 * struct ckpt_fd_restore - a descriptor to install once the image checked out
 * @fd: its number
 * @flags: O_CLOEXEC or 0
 * @file: its open file, referenced
 */
struct ckpt_fd_restore {
	unsigned int fd;
	unsigned int flags;
	struct file *file;
};

/**
 * restore_fd_table - check the descriptor table and keep it for the end
 * @ctx: restart context
 * @hdr: the record header
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int restore_fd_table(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	unsigned long limit = min_t(unsigned long, rlimit(RLIMIT_NOFILE),
				    sysctl_nr_open);
	struct ckpt_task_restore *t = ctx->ts;
	struct ckpt_hdr_fd_table *h;
	struct ckpt_fd *e;
	struct file *file;
	void *failed;
	u32 i;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = -EINVAL;
	if (h->h.len != struct_size(h, fds, h->nr_fds)) {
		ckpt_err(ctx, ret,
			 "fd table record at offset %lld: %u fds in %u bytes",
			 ctx->rec_offset, h->nr_fds, h->h.len);
		goto out;
	}
	t->fds = kvcalloc(max(h->nr_fds, 1U), sizeof(*t->fds),
			  GFP_KERNEL_ACCOUNT);
	if (!t->fds) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < h->nr_fds; i++) {
		e = &h->fds[i];
		if (e->fd >= limit) {
			ckpt_err(ctx, ret, "fd %u is over the limit of %lu fds",
				 e->fd, limit);
			goto out;
		}
		if ((i && e->fd <= h->fds[i - 1].fd) ||
		    e->flags & ~CKPT_FD_CLOEXEC || e->reserved) {
			ckpt_err(ctx, ret,
				 "fd table record at offset %lld: bad entry for fd %u",
				 ctx->rec_offset, e->fd);
			goto out;
		}
		file = ckpt_obj_fetch(ctx, e->file_ref, &ckpt_file_obj_ops);
		if (IS_ERR(file)) {
			ret = PTR_ERR(file);
			goto out;
		}
		failed = xa_load(&ctx->rs.failed_files, e->file_ref);
		if (failed && e->fd > 2) {
			ret = ckpt_err(ctx, -xa_to_value(failed),
				       "fd %u: file %u could not be opened",
				       e->fd, e->file_ref);
			goto out;
		}
		t->fds[i].fd = e->fd;
		t->fds[i].flags = e->flags & CKPT_FD_CLOEXEC ? O_CLOEXEC : 0;
		t->fds[i].file = file ? get_file(file) : NULL;
		t->nr_fds = i + 1;
	}
	ret = ckpt_obj_insert(ctx, current->files, h->objref,
			      &ckpt_files_obj_ops);
out:
	kvfree(h);
	return ret;
}

/*
 * The image's descriptor table, made the task's own once the tail checked
 * out: the task's descriptors are closed, but 0, 1 and 2 with
 * RESTART_KEEP_STDIO, and the image's are installed.
 */
static int ckpt_install_fds(struct ckpt_ctx *ctx, struct ckpt_task_restore *t)
{
	unsigned int first = ctx->flags & RESTART_KEEP_STDIO ? 3 : 0;
	unsigned int i;
	int ret;

	/* a thread has its leader's table, which its threads share alone */
	if (t->leader)
		return 0;
	ret = __close_range(first, ~0U,
			    t->nr_threads ? 0 : CLOSE_RANGE_UNSHARE);
	if (ret)
		return ckpt_err(ctx, ret, "pid %d: cannot close the caller's files",
				t->pid);
	for (i = 0; i < t->nr_fds; i++) {
		if (t->fds[i].fd < first)
			continue;
		ret = replace_fd(t->fds[i].fd, t->fds[i].file,
				 t->fds[i].flags);
		if (ret)
			return ckpt_err(ctx, ret, "pid %d: cannot install fd %u",
					t->pid, t->fds[i].fd);
	}
	return 0;
}

/* Drop the descriptors restart kept for a task */
static void ckpt_fds_release(struct ckpt_task_restore *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_fds; i++)
		if (t->fds[i].file)
			fput(t->fds[i].file);
	kvfree(t->fds);
	t->fds = NULL;
	t->nr_fds = 0;
}

/* ---------------------------------------------------------------- */
/* Objects and hooks */

static void ckpt_inode_grab(void *ptr)
{
	ihold(ptr);
}

static void ckpt_inode_drop(void *ptr)
{
	iput(ptr);
}

/* Pipes by their inode; shared memory (mm/, ipc/) by its shmem inode */
const struct ckpt_obj_ops ckpt_inode_obj_ops = {
	.name = "inode",
	.grab = ckpt_inode_grab,
	.drop = ckpt_inode_drop,
};

static void ckpt_file_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_file_drop(void *ptr)
{
	fput(ptr);
}

const struct ckpt_obj_ops ckpt_file_obj_ops = {
	.name = "file",
	.grab = ckpt_file_grab,
	.drop = ckpt_file_drop,
};

static void ckpt_files_grab(void *ptr)
{
	struct files_struct *files = ptr;

	atomic_inc(&files->count);
}

static void ckpt_files_drop(void *ptr)
{
	put_files_struct(ptr);
}

const struct ckpt_obj_ops ckpt_files_obj_ops = {
	.name = "fd table",
	.grab = ckpt_files_grab,
	.drop = ckpt_files_drop,
};

/* A pipe being rebuilt belongs to the objhash alone */
static void ckpt_pipe_drop(void *ptr)
{
	ckpt_pipe_free(ptr);
}

const struct ckpt_obj_ops ckpt_pipe_obj_ops = {
	.name = "pipe",
	.drop = ckpt_pipe_drop,
};

static const struct ckpt_record ckpt_fs_records[] = {
	{
		.index = CKPT_REC_PIPE,
		.name = "pipe",
		.flags = CKPT_REC_PROCESS,
		.task = { .write = checkpoint_files, .restore = restore_pipe },
	},
	{
		.index = CKPT_REC_FILE,
		.name = "file",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_file },
	},
	{
		.index = CKPT_REC_FD_TABLE,
		.name = "fd table",
		.what = "files",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED | CKPT_REC_PROCESS,
		.task = { .restore = restore_fd_table },
	},
};

const struct ckpt_subsys ckpt_fs_subsys = {
	.name = "files",
	.records = ckpt_fs_records,
	.nr_records = ARRAY_SIZE(ckpt_fs_records),
	.prepare = ckpt_collect_held,
	.task_finish = ckpt_install_fds,
	.task_free = ckpt_fds_release,
};
