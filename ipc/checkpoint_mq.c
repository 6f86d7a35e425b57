// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of POSIX message queues: the queues of the tree's
 * IPC namespace with their messages, and the descriptors open on them.
 *
 * Checkpoint writes the namespace's fs.mqueue sysctls and then every
 * queue of its mqueue mount, after the SysV records, with the mount's directory locked so that no
 * queue comes or goes during the pass.  Each queue's messages are copied
 * under its lock in the order mq_receive() would return them, highest
 * priority first, and stay queued.  A file open on a queue is a record
 * of its own that names the queue.
 *
 * Restart makes each queue again in the caller's namespace (the restart
 * tool gives it a new one) as mq_open() with O_CREAT | O_EXCL would,
 * gives it its owner and mode, and queues its messages again in order;
 * the files open them by name.  If the restart fails, the queues it
 * made are removed.
 *
 * A queue with an mq_notify() registration, and a file on a queue that
 * was removed or that is in another namespace, are refused by name.
 */

#include <linux/capability.h>
#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include "util.h"
#include "checkpoint.h"

/* The O_* flags of a queue's file that the image keeps */
#define CKPT_MQ_O_FLAGS		(O_ACCMODE | O_NONBLOCK)

/* How many times a queue that changes under checkpoint is read again */
#define CKPT_MQ_TRIES		3

/**
 * struct ckpt_mq_made - a queue restart made, to remove if it fails
 * @list: in ckpt_mq_restore.made
 * @name: its name
 */
struct ckpt_mq_made {
	struct list_head list;
	char name[];
};

/**
 * struct ckpt_mq_restore - the queues a restart made
 * @ns: the IPC namespace they are in
 * @made: their names
 * @left: queue records still expected
 */
struct ckpt_mq_restore {
	struct ipc_namespace *ns;
	struct list_head made;
	u32 left;
};

/**
 * ckpt_mq_file - whether @file is open on a POSIX message queue
 * @file: the file
 *
 * Return: true for a queue of an mqueue mount (not its directory).
 */
bool ckpt_mq_file(struct file *file)
{
	struct inode *inode = file_inode(file);

	return inode->i_sb->s_magic == MQUEUE_MAGIC && S_ISREG(inode->i_mode);
}

/* The IPC namespace of @task, with a reference, or NULL */
static struct ipc_namespace *ckpt_mq_task_ns(struct task_struct *task)
{
	struct ipc_namespace *ns = NULL;

	task_lock(task);
	if (task->nsproxy)
		ns = get_ipc_ns(task->nsproxy->ipc_ns);
	task_unlock(task);
	return ns;
}

/* ---------------------------------------------------------------- */
/* Checkpoint */

/*
 * The record of the queue at @dentry, its messages copied under the
 * queue's lock; NULL with *@ret 0 if the queue changed while the record
 * was being allocated
 */
static struct ckpt_hdr_mq *ckpt_mq_snapshot(struct dentry *dentry, int *ret)
{
	struct mqueue_inode_info *info = MQUEUE_I(d_inode(dentry));
	struct posix_msg_tree_node *leaf;
	unsigned long nr, bytes;
	struct ckpt_hdr_mq *h;
	struct ckpt_mq_msg *m;
	struct rb_node *node;
	struct msg_msg *msg;
	size_t len;

	spin_lock(&info->lock);
	nr = info->attr.mq_curmsgs;
	bytes = info->qsize;
	spin_unlock(&info->lock);
	/* each text is padded by at most 7 bytes */
	len = sizeof(*h) + nr * (sizeof(*m) + 7) + bytes;
	*ret = -EOPNOTSUPP;
	if (len > CKPT_RECORD_MAX)
		return NULL;
	*ret = -ENOMEM;
	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return NULL;
	*ret = 0;

	spin_lock(&info->lock);
	if (info->attr.mq_curmsgs != nr || info->qsize != bytes) {
		spin_unlock(&info->lock);
		kvfree(h);
		return NULL;
	}
	h->nr_msgs = nr;
	h->nr_bytes = bytes;
	h->maxmsg = info->attr.mq_maxmsg;
	h->msgsize = info->attr.mq_msgsize;
	m = (struct ckpt_mq_msg *)(h + 1);
	/* as msg_get() takes them: highest priority first, oldest first */
	for (node = info->msg_tree_rightmost; node; node = rb_prev(node)) {
		leaf = rb_entry(node, struct posix_msg_tree_node, rb_node);
		list_for_each_entry(msg, &leaf->msg_list, m_list) {
			m->prio = msg->m_type;
			m->len = msg->m_ts;
			ckpt_msg_text(m + 1, msg);
			m = (void *)(m + 1) + ALIGN(m->len, 8);
		}
	}
	spin_unlock(&info->lock);
	h->h.len = (void *)m - (void *)h;
	return h;
}

/* Write the record of the queue at @dentry */
static int ckpt_mq_write_queue(struct ckpt_ctx *ctx, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	struct user_namespace *uns = current_user_ns();
	const char *name = dentry->d_name.name;
	struct ckpt_hdr_mq *h = NULL;
	int i, ret;

	if (MQUEUE_I(inode)->notify_owner)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"POSIX message queue /%s: mq_notify() registration not supported yet",
				name);
	if (inode_permission(&init_user_ns, inode, MAY_READ))
		return ckpt_err(ctx, -EACCES,
				"POSIX message queue /%s: not permitted to read it",
				name);
	for (i = 0; i < CKPT_MQ_TRIES && !h; i++) {
		h = ckpt_mq_snapshot(dentry, &ret);
		if (ret)
			return ckpt_err(ctx, ret,
					"POSIX message queue /%s: cannot copy its messages",
					name);
	}
	if (!h)
		return ckpt_err(ctx, -EAGAIN,
				"POSIX message queue /%s: changed while it was read",
				name);
	h->h.type = CKPT_HDR_MQ;
	h->uid = from_kuid_munged(uns, inode->i_uid);
	h->gid = from_kgid_munged(uns, inode->i_gid);
	h->mode = inode->i_mode & 0777;
	strscpy(h->name, name, sizeof(h->name));
	ret = ckpt_write(ctx, h, h->h.len);
	kvfree(h);
	return ret;
}

/*
 * The queues of the mqueue mount at @root, with a reference each: a
 * kvcalloc()ed array of *@nr, or an ERR_PTR; the caller holds the
 * directory's lock
 */
static struct dentry **ckpt_mq_queues(struct dentry *root, unsigned int *nr)
{
	struct dentry *child, **queues;
	unsigned int max = 0;

	spin_lock(&root->d_lock);
	list_for_each_entry(child, &root->d_subdirs, d_child)
		max += d_really_is_positive(child);
	spin_unlock(&root->d_lock);
	queues = kvcalloc(max ?: 1, sizeof(*queues), GFP_KERNEL_ACCOUNT);
	if (!queues)
		return ERR_PTR(-ENOMEM);
	*nr = 0;
	spin_lock(&root->d_lock);
	list_for_each_entry(child, &root->d_subdirs, d_child) {
		if (*nr < max && d_really_is_positive(child))
			queues[(*nr)++] = dget(child);
	}
	spin_unlock(&root->d_lock);
	return queues;
}

/**
 * checkpoint_mq_ns - write the POSIX message queues of the tree
 * @ctx: checkpoint context
 * @task: the root of the tree, frozen; all share its IPC namespace
 *
 * The fs.mqueue sysctls of the namespace, then every queue.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
static int checkpoint_mq_ns(struct ckpt_ctx *ctx, struct task_struct *task)
{
	struct ipc_namespace *ns = ckpt_mq_task_ns(task);
	struct dentry *root, **queues;
	struct ckpt_hdr_mq_ns h;
	unsigned int i, nr = 0;
	int ret = 0;

	if (!ns)
		return ckpt_err(ctx, -ESRCH, "pid %d has no IPC namespace",
				task_pid_vnr(task));
	root = ns->mq_mnt->mnt_root;
	/* no queue comes or goes until all are written */
	inode_lock_shared(d_inode(root));
	queues = ckpt_mq_queues(root, &nr);
	if (IS_ERR(queues)) {
		ret = PTR_ERR(queues);
		goto out_unlock;
	}
	memset(&h, 0, sizeof(h));
	h.queues_max = ns->mq_queues_max;
	h.msg_max = ns->mq_msg_max;
	h.msgsize_max = ns->mq_msgsize_max;
	h.msg_default = ns->mq_msg_default;
	h.msgsize_default = ns->mq_msgsize_default;
	h.nr_queues = nr;
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_MQ_NS, sizeof(h));
	for (i = 0; i < nr && !ret; i++)
		ret = ckpt_mq_write_queue(ctx, queues[i]);
	for (i = 0; i < nr; i++)
		dput(queues[i]);
	kvfree(queues);
out_unlock:
	inode_unlock_shared(d_inode(root));
	put_ipc_ns(ns);
	return ret;
}

/**
 * checkpoint_mq_file - write the record of a file open on a queue
 * @ctx: checkpoint context
 * @fd: a descriptor of it, for the log
 * @file: the file (ckpt_mq_file())
 * @objref: the objref it got, the first time it was met
 *
 * The queue must be one of the tree's IPC namespace, whose records
 * checkpoint_mq_ns() wrote, and still have its name.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_mq_file(struct ckpt_ctx *ctx, unsigned int fd,
		       struct file *file, int objref)
{
	struct ipc_namespace *ns = ckpt_mq_task_ns(ctx->root);
	struct dentry *dentry = file->f_path.dentry;
	struct ckpt_hdr_mq_file h;
	int ret = 0;

	if (!ns)
		return -ESRCH;
	if (file_inode(file)->i_sb != ns->mq_mnt->mnt_sb)
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: POSIX message queue of another IPC namespace not supported",
			       fd);
	else if (d_unlinked(dentry))
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: POSIX message queue /%pd, removed while open: not supported yet",
			       fd, dentry);
	else if (file->f_flags & ~(CKPT_MQ_O_FLAGS | O_LARGEFILE))
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: POSIX message queue with flags %#o not supported",
			       fd, file->f_flags);
	put_ipc_ns(ns);
	if (ret)
		return ret;
	memset(&h, 0, sizeof(h));
	h.objref = objref;
	h.flags = file->f_flags & CKPT_MQ_O_FLAGS;
	spin_lock(&dentry->d_lock);
	strscpy(h.name, dentry->d_name.name, sizeof(h.name));
	spin_unlock(&dentry->d_lock);
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_MQ_FILE, sizeof(h));
}

/* ---------------------------------------------------------------- */
/* Restart */

/* 0, or -EINVAL with the reason if @name is not a queue's name */
static int ckpt_mq_check_name(struct ckpt_ctx *ctx, const char *name)
{
	size_t len = strnlen(name, CKPT_MQ_NAME_MAX);

	if (len == CKPT_MQ_NAME_MAX || !len || strchr(name, '/') ||
	    !strcmp(name, ".") || !strcmp(name, "..") ||
	    memchr_inv(name + len, 0, CKPT_MQ_NAME_MAX - len))
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue record at offset %lld: bad name",
				ctx->rec_offset);
	return 0;
}

static int restore_mq_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct ckpt_hdr_mq_ns h;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	/* the bounds of the sysctls */
	if (h.queues_max > INT_MAX || h.msg_max < MIN_MSGMAX ||
	    h.msg_max > HARD_MSGMAX || h.msgsize_max < MIN_MSGSIZEMAX ||
	    h.msgsize_max > HARD_MSGSIZEMAX || h.msg_default < MIN_MSGMAX ||
	    h.msg_default > h.msg_max || h.msgsize_default < MIN_MSGSIZEMAX ||
	    h.msgsize_default > h.msgsize_max || h.nr_queues > INT_MAX)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queues record at offset %lld: bad limits or count",
				ctx->rec_offset);
	ctx->rs.mq->left = h.nr_queues;
	if (!ckpt_restoring(ctx))
		return 0;
	if (ns->mq_queues_max == h.queues_max && ns->mq_msg_max == h.msg_max &&
	    ns->mq_msgsize_max == h.msgsize_max &&
	    ns->mq_msg_default == h.msg_default &&
	    ns->mq_msgsize_default == h.msgsize_default)
		return 0;
	/* as writing them in /proc/sys/fs/mqueue would need */
	if (!ns_capable(ns->user_ns, CAP_SYS_RESOURCE))
		return ckpt_err(ctx, -EPERM,
				"not permitted to set the fs.mqueue sysctls of this namespace");
	ns->mq_queues_max = h.queues_max;
	ns->mq_msg_max = h.msg_max;
	ns->mq_msgsize_max = h.msgsize_max;
	ns->mq_msg_default = h.msg_default;
	ns->mq_msgsize_default = h.msgsize_default;
	return 0;
}

/* Check the messages of @h, untrusted */
static int ckpt_mq_check_msgs(struct ckpt_ctx *ctx, struct ckpt_hdr_mq *h)
{
	void *p = h + 1, *end = (void *)h + h->h.len;
	struct ckpt_mq_msg *m;
	u64 total = 0;
	u32 i;

	for (i = 0; i < h->nr_msgs; i++) {
		m = p;
		if (end - p < sizeof(*m) ||
		    end - p - sizeof(*m) < ALIGN((u64)m->len, 8))
			return ckpt_err(ctx, -EINVAL,
					"POSIX message queue /%s: message %u runs past the record",
					h->name, i);
		if (m->prio >= MQ_PRIO_MAX || m->len > h->msgsize)
			return ckpt_err(ctx, -EINVAL,
					"POSIX message queue /%s: message %u of priority %u and %u bytes does not fit mq_msgsize %lld",
					h->name, i, m->prio, m->len, h->msgsize);
		total += m->len;
		p += sizeof(*m) + ALIGN(m->len, 8);
	}
	if (p != end || total != h->nr_bytes)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s: %llu bytes of messages in %u bytes, expected %llu",
				h->name, total, h->h.len, h->nr_bytes);
	return 0;
}

/* Check a queue record, untrusted */
static int ckpt_mq_check(struct ckpt_ctx *ctx, struct ckpt_hdr_mq *h)
{
	int ret;

	ret = ckpt_mq_check_name(ctx, h->name);
	if (ret)
		return ret;
	if (h->mode & ~0777 || h->maxmsg <= 0 || h->maxmsg > HARD_MSGMAX ||
	    h->msgsize <= 0 || h->msgsize > HARD_MSGSIZEMAX ||
	    h->nr_msgs > h->maxmsg)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s: bad mode %#o or attributes %lld/%lld with %u messages",
				h->name, h->mode, h->maxmsg, h->msgsize,
				h->nr_msgs);
	return ckpt_mq_check_msgs(ctx, h);
}

/* Give the queue of @file the owner and mode of @h */
static int ckpt_mq_owner(struct ckpt_ctx *ctx, struct file *file,
			 struct ckpt_hdr_mq *h)
{
	struct user_namespace *uns = current_user_ns();
	struct dentry *dentry = file->f_path.dentry;
	struct iattr attr = {
		.ia_valid = ATTR_UID | ATTR_GID | ATTR_MODE,
		.ia_uid = make_kuid(uns, h->uid),
		.ia_gid = make_kgid(uns, h->gid),
		.ia_mode = S_IFREG | h->mode,
	};
	int ret;

	if (!uid_valid(attr.ia_uid) || !gid_valid(attr.ia_gid))
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue /%s: owner %u:%u is not mapped",
				h->name, h->uid, h->gid);
	/* as chown() and chmod() would let the caller */
	inode_lock(d_inode(dentry));
	ret = notify_change(&init_user_ns, dentry, &attr, NULL);
	inode_unlock(d_inode(dentry));
	if (ret)
		return ckpt_err(ctx, ret,
				"POSIX message queue /%s: cannot give it owner %u:%u and mode %#o",
				h->name, h->uid, h->gid, h->mode);
	return 0;
}

/* Queue the messages of @h on the queue of @file, in order */
static int ckpt_mq_fill(struct ckpt_ctx *ctx, struct file *file,
			struct ckpt_hdr_mq *h)
{
	struct ckpt_mq_msg *m = (struct ckpt_mq_msg *)(h + 1);
	struct msg_msg *msg;
	u32 i;
	int ret;

	for (i = 0; i < h->nr_msgs; i++) {
		msg = alloc_msg(m->len);
		if (!msg)
			return -ENOMEM;
		msg->m_type = m->prio;
		msg->m_ts = m->len;
		ckpt_msg_fill(msg, m + 1, m->len);
		ret = security_msg_msg_alloc(msg);
		if (!ret)
			ret = mq_insert_kern(file_inode(file), msg);
		if (ret) {
			free_msg(msg);
			return ckpt_err(ctx, ret,
					"POSIX message queue /%s: cannot queue message %u",
					h->name, i);
		}
		m = (void *)(m + 1) + ALIGN(m->len, 8);
	}
	return 0;
}

/* Remove the queue @name of @ns, as mq_unlink() would */
static void ckpt_mq_remove(struct ipc_namespace *ns, const char *name)
{
	struct vfsmount *mnt = ns->mq_mnt;
	struct dentry *root = mnt->mnt_root, *dentry;

	if (mnt_want_write(mnt))
		return;
	inode_lock_nested(d_inode(root), I_MUTEX_PARENT);
	dentry = lookup_one_len(name, root, strlen(name));
	if (!IS_ERR(dentry)) {
		if (d_really_is_positive(dentry))
			vfs_unlink(&init_user_ns, d_inode(root), dentry, NULL);
		dput(dentry);
	}
	inode_unlock(d_inode(root));
	mnt_drop_write(mnt);
}

/* Note that restart made the queue @name */
static int ckpt_mq_note_made(struct ckpt_ctx *ctx, const char *name)
{
	struct ckpt_mq_restore *rs = ctx->rs.mq;
	size_t len = strlen(name) + 1;
	struct ckpt_mq_made *made;

	made = kmalloc(struct_size(made, name, len), GFP_KERNEL_ACCOUNT);
	if (!made)
		return -ENOMEM;
	memcpy(made->name, name, len);
	list_add(&made->list, &rs->made);
	return 0;
}

static int restore_mq(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	struct mq_attr attr = {};
	struct ckpt_hdr_mq *h;
	struct file *file;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_mq_check(ctx, h);
	if (!ret && !ctx->rs.mq->left)
		ret = ckpt_err(ctx, -EINVAL,
			       "POSIX message queue /%s: more queues than the namespace record said",
			       h->name);
	if (!ret)
		ctx->rs.mq->left--;
	if (ret || !ckpt_restoring(ctx))
		goto out_free;
	attr.mq_maxmsg = h->maxmsg;
	attr.mq_msgsize = h->msgsize;
	file = mq_open_kern(ns, h->name, O_RDWR | O_CREAT | O_EXCL, h->mode,
			    &attr);
	if (IS_ERR(file)) {
		ret = ckpt_err(ctx, PTR_ERR(file),
			       "POSIX message queue /%s: cannot make it",
			       h->name);
		goto out_free;
	}
	ret = ckpt_mq_note_made(ctx, h->name);
	if (ret)
		ckpt_mq_remove(ns, h->name);
	else
		ret = ckpt_mq_owner(ctx, file, h);
	if (!ret)
		ret = ckpt_mq_fill(ctx, file, h);
	fput(file);
out_free:
	kvfree(h);
	return ret;
}

static int restore_mq_file(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_mq_file h;
	struct file *file = NULL;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	ret = ckpt_mq_check_name(ctx, h.name);
	if (ret)
		return ret;
	if ((h.flags & ~CKPT_MQ_O_FLAGS) ||
	    (h.flags & O_ACCMODE) == O_ACCMODE)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queue file %u: bad flags %#x",
				h.objref, h.flags);
	if (ckpt_restoring(ctx)) {
		file = mq_open_kern(current->nsproxy->ipc_ns, h.name, h.flags,
				    0, NULL);
		if (IS_ERR(file))
			return ckpt_err(ctx, PTR_ERR(file),
					"POSIX message queue file %u: cannot open /%s",
					h.objref, h.name);
	}
	ret = ckpt_obj_insert(ctx, file, h.objref, &ckpt_file_obj_ops);
	if (file)
		fput(file);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Hooks */

static int ckpt_mq_init(struct ckpt_ctx *ctx)
{
	struct ckpt_mq_restore *rs;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	INIT_LIST_HEAD(&rs->made);
	rs->ns = get_ipc_ns(current->nsproxy->ipc_ns);
	ctx->rs.mq = rs;
	return 0;
}

/* Every queue the namespace record announced came */
static int ckpt_mq_image_done(struct ckpt_ctx *ctx)
{
	if (ctx->rs.mq->left)
		return ckpt_err(ctx, -EINVAL,
				"POSIX message queues: %u queue records missing: record at offset %lld out of place",
				ctx->rs.mq->left, ctx->rec_offset);
	return 0;
}

/* If the restart failed, remove the queues it made */
static void ckpt_mq_end(struct ckpt_ctx *ctx, bool failed)
{
	struct ckpt_mq_restore *rs = ctx->rs.mq;
	struct ckpt_mq_made *made, *tmp;

	if (!rs)
		return;
	list_for_each_entry_safe(made, tmp, &rs->made, list) {
		if (failed)
			ckpt_mq_remove(rs->ns, made->name);
		list_del(&made->list);
		kfree(made);
	}
	put_ipc_ns(rs->ns);
	kfree(rs);
	ctx->rs.mq = NULL;
}

static const struct ckpt_record ckpt_mq_records[] = {
	{
		.index = CKPT_REC_MQ_NS,
		.name = "POSIX message queues",
		.what = "POSIX message queues",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.image = { .write = checkpoint_mq_ns, .restore = restore_mq_ns },
	},
	{
		.index = CKPT_REC_MQ,
		.name = "POSIX message queue",
		.image = { .restore = restore_mq },
	},
	{
		.index = CKPT_REC_MQ_FILE,
		.name = "POSIX message queue file",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_mq_file },
	},
};

const struct ckpt_subsys ckpt_mq_subsys = {
	.name = "POSIX message queues",
	.records = ckpt_mq_records,
	.nr_records = ARRAY_SIZE(ckpt_mq_records),
	.init = ckpt_mq_init,
	.image_done = ckpt_mq_image_done,
	.end = ckpt_mq_end,
};
