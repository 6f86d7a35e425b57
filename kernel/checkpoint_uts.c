// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of the UTS namespace: the hostname and domainname.
 *
 * Every task of the tree is in one UTS namespace (checkpoint checks it).
 * When that is the checkpointer's, the tree shares the names of the
 * system it runs on, and a restored tree takes those of the restarter.
 * When it is one of its own, as a container's is, restart gives its
 * names to the namespace the restarting task is in, which the restart
 * tool makes for it: never to the initial one.  The names are set once
 * the tail checked out, so that a failed restart changes nothing.
 */

#include <linux/capability.h>
#include <linux/checkpoint_task.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>

/**
 * struct ckpt_uts_restore - what restart gives the new UTS namespace
 * @ns: the namespace of the restarting task
 * @name: the names of the tree's namespace
 */
struct ckpt_uts_restore {
	struct uts_namespace *ns;
	struct new_utsname name;
};

/* The root's UTS namespace, and whether it is the checkpointer's */
static int checkpoint_uts_ns(struct ckpt_ctx *ctx, struct task_struct *root)
{
	struct uts_namespace *ns = NULL;
	struct ckpt_hdr_uts_ns h;

	task_lock(root);
	if (root->nsproxy) {
		ns = root->nsproxy->uts_ns;
		get_uts_ns(ns);
	}
	task_unlock(root);
	if (!ns)
		return ckpt_err(ctx, -ESRCH, "pid %d has no UTS namespace",
				task_pid_vnr(root));
	memset(&h, 0, sizeof(h));
	if (ns != current->nsproxy->uts_ns)
		h.flags = CKPT_UTS_OWN;
	down_read(&uts_sem);
	strscpy(h.hostname, ns->name.nodename, sizeof(h.hostname));
	strscpy(h.domainname, ns->name.domainname, sizeof(h.domainname));
	up_read(&uts_sem);
	put_uts_ns(ns);
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_UTS_NS, sizeof(h));
}

static int ckpt_uts_check_name(struct ckpt_ctx *ctx, const char *s,
			       const char *what)
{
	if (strnlen(s, CKPT_UTS_LEN) > __NEW_UTS_LEN)
		return ckpt_err(ctx, -EINVAL,
				"UTS namespace record at offset %lld: %s longer than %d bytes",
				ctx->rec_offset, what, __NEW_UTS_LEN);
	return 0;
}

/*
 * Check the record; for a namespace of the tree's own, check that the
 * caller may give its names to its namespace, and keep them for
 * ckpt_uts_finish().
 */
static int restore_uts_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct uts_namespace *ns = current->nsproxy->uts_ns;
	struct ckpt_hdr_uts_ns h;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (h.reserved || (h.flags & ~CKPT_UTS_OWN))
		return ckpt_err(ctx, -EINVAL,
				"UTS namespace record at offset %lld: unknown flags %#x",
				ctx->rec_offset, h.flags);
	ret = ckpt_uts_check_name(ctx, h.hostname, "hostname");
	if (!ret)
		ret = ckpt_uts_check_name(ctx, h.domainname, "domainname");
	if (ret || !(h.flags & CKPT_UTS_OWN) || !ckpt_restoring(ctx))
		return ret;
	if (ns == &init_uts_ns)
		return ckpt_err(ctx, -EPERM,
				"the tree had a UTS namespace of its own: not restored over the initial one");
	if (!ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		return ckpt_err(ctx, -EPERM,
				"not permitted to set the hostname of this UTS namespace");
	ctx->rs.uts = kzalloc(sizeof(*ctx->rs.uts), GFP_KERNEL_ACCOUNT);
	if (!ctx->rs.uts)
		return -ENOMEM;
	get_uts_ns(ns);
	ctx->rs.uts->ns = ns;
	strscpy(ctx->rs.uts->name.nodename, h.hostname,
		sizeof(ctx->rs.uts->name.nodename));
	strscpy(ctx->rs.uts->name.domainname, h.domainname,
		sizeof(ctx->rs.uts->name.domainname));
	return 0;
}

/* The tail checked out: name the namespace, as sethostname() would */
static void ckpt_uts_finish(struct ckpt_ctx *ctx)
{
	struct ckpt_uts_restore *rs = ctx->rs.uts;

	if (!rs)
		return;
	down_write(&uts_sem);
	memcpy(rs->ns->name.nodename, rs->name.nodename,
	       sizeof(rs->name.nodename));
	memcpy(rs->ns->name.domainname, rs->name.domainname,
	       sizeof(rs->name.domainname));
	up_write(&uts_sem);
	uts_proc_notify(UTS_PROC_HOSTNAME);
	uts_proc_notify(UTS_PROC_DOMAINNAME);
}

static void ckpt_uts_end(struct ckpt_ctx *ctx, bool failed)
{
	if (!ctx->rs.uts)
		return;
	put_uts_ns(ctx->rs.uts->ns);
	kfree(ctx->rs.uts);
	ctx->rs.uts = NULL;
}

static const struct ckpt_record ckpt_uts_records[] = {
	{
		.index = CKPT_REC_UTS_NS,
		.name = "UTS namespace",
		.flags = CKPT_REC_ONCE,
		.image = { .write = checkpoint_uts_ns, .restore = restore_uts_ns },
	},
};

const struct ckpt_subsys ckpt_uts_subsys = {
	.name = "uts",
	.records = ckpt_uts_records,
	.nr_records = ARRAY_SIZE(ckpt_uts_records),
	.finish = ckpt_uts_finish,
	.end = ckpt_uts_end,
};
