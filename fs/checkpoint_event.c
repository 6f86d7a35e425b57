// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of eventfd and signalfd files.
 *
 * Such a file has no path to reopen: its record, in the place of a file
 * record, holds all of it and defines its objref, which the descriptor
 * tables use as they use a file record's.  An eventfd keeps its counter
 * and its semaphore mode, a signalfd the signals it reads; the signals
 * themselves are the reading task's, and come back with its signal
 * record.  Restart makes a new file of the kind, with the flags that
 * fcntl(F_SETFL) could have set.
 */

#include <linux/checkpoint_fs.h>
#include <linux/eventfd.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/signalfd.h>

/* The O_* flags of an event file that the image keeps */
#define CKPT_EVENT_O_FLAGS	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOATIME | FASYNC)
/*
 * Those its file gets after it is made.  Neither kind has a ->fasync(),
 * so FASYNC is only a bit, as fcntl(F_SETFL) leaves it.
 */
#define CKPT_EVENT_LATE_FLAGS	(O_APPEND | O_NOATIME | FASYNC)

/**
 * ckpt_event_file - whether an open file is an eventfd or a signalfd
 * @file: the file
 *
 * Return: true if checkpoint_event_file() writes its record.
 */
bool ckpt_event_file(struct file *file)
{
	sigset_t mask;
	u64 count;
	int flags;

	return !eventfd_file_state(file, &count, &flags) ||
	       !signalfd_file_state(file, &mask);
}

/**
 * checkpoint_event_file - write the record of an eventfd or signalfd file
 * @ctx: checkpoint context
 * @fd: a descriptor of it, for the log
 * @file: the file, for which ckpt_event_file() holds
 * @objref: the objref it got, the first time it was met
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_event_file(struct ckpt_ctx *ctx, unsigned int fd,
			  struct file *file, int objref)
{
	unsigned int oflags = file->f_flags;
	struct ckpt_hdr_signalfd sh;
	struct ckpt_hdr_eventfd eh;
	sigset_t mask;
	int flags;

	if (oflags & ~CKPT_EVENT_O_FLAGS)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: %s with flags %#o not supported", fd,
				file->f_path.dentry->d_name.name, oflags);
	if (!eventfd_file_state(file, &eh.count, &flags)) {
		eh.objref = objref;
		eh.flags = oflags;
		eh.efd_flags = flags & EFD_SEMAPHORE ? CKPT_EFD_SEMAPHORE : 0;
		eh.reserved = 0;
		return ckpt_write_record(ctx, &eh.h, CKPT_HDR_EVENTFD,
					 sizeof(eh));
	}
	if (signalfd_file_state(file, &mask))
		return -EINVAL;
	sh.objref = objref;
	sh.flags = oflags;
	sh.sigmask = mask.sig[0];
	return ckpt_write_record(ctx, &sh.h, CKPT_HDR_SIGNALFD, sizeof(sh));
}

/* Give @file the late flags of @flags, and its objref */
static int ckpt_event_insert(struct ckpt_ctx *ctx, struct file *file,
			     u32 objref, u32 flags, const char *what)
{
	int ret;

	if (IS_ERR(file))
		return ckpt_err(ctx, PTR_ERR(file), "file %u: cannot make the %s",
				objref, what);
	if (file) {
		spin_lock(&file->f_lock);
		file->f_flags |= flags & CKPT_EVENT_LATE_FLAGS;
		spin_unlock(&file->f_lock);
	}
	ret = ckpt_obj_insert(ctx, file, objref, &ckpt_file_obj_ops);
	if (file)
		fput(file);
	return ret;
}

/* The O_* flags of an event file record, untrusted */
static bool ckpt_event_flags_ok(u32 flags)
{
	return !(flags & ~CKPT_EVENT_O_FLAGS) &&
	       (flags & O_ACCMODE) == O_RDWR;
}

static int ckpt_event_bad(struct ckpt_ctx *ctx, const char *kind,
			  const char *field)
{
	return ckpt_err(ctx, -EINVAL, "%s record at offset %lld: bad %s",
			kind, ctx->rec_offset, field);
}

static int restore_eventfd(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_eventfd h;
	struct file *file = NULL;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (!ckpt_event_flags_ok(h.flags))
		return ckpt_event_bad(ctx, "eventfd", "flags");
	if (h.reserved || (h.efd_flags & ~CKPT_EFD_SEMAPHORE))
		return ckpt_event_bad(ctx, "eventfd", "eventfd flags");
	if (h.count == ULLONG_MAX)
		return ckpt_event_bad(ctx, "eventfd", "count");
	if (ckpt_restoring(ctx))
		file = eventfd_file_create(h.count,
					   (h.flags & O_NONBLOCK) |
					   (h.efd_flags & CKPT_EFD_SEMAPHORE ?
					    EFD_SEMAPHORE : 0));
	return ckpt_event_insert(ctx, file, h.objref, h.flags, "eventfd");
}

static int restore_signalfd(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_signalfd h;
	struct file *file = NULL;
	sigset_t mask;
	int ret;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (!ckpt_event_flags_ok(h.flags))
		return ckpt_event_bad(ctx, "signalfd", "flags");
	if (h.sigmask & (sigmask(SIGKILL) | sigmask(SIGSTOP)))
		return ckpt_event_bad(ctx, "signalfd", "signal mask");
	if (ckpt_restoring(ctx)) {
		siginitset(&mask, h.sigmask);
		file = signalfd_file_create(&mask, h.flags & O_NONBLOCK);
	}
	return ckpt_event_insert(ctx, file, h.objref, h.flags, "signalfd");
}

static const struct ckpt_record ckpt_event_records[] = {
	{
		.index = CKPT_REC_EVENTFD,
		.name = "eventfd",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_eventfd },
	},
	{
		.index = CKPT_REC_SIGNALFD,
		.name = "signalfd",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_signalfd },
	},
};

const struct ckpt_subsys ckpt_event_subsys = {
	.name = "event files",
	.records = ckpt_event_records,
	.nr_records = ARRAY_SIZE(ckpt_event_records),
};
