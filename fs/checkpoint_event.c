// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of eventfd, signalfd, timerfd and epoll files.
 *
 * Such a file has no path to reopen: its record, in the place of a file
 * record, holds all of it and defines its objref, which the descriptor
 * tables use as they use a file record's.  An eventfd keeps its counter
 * and its semaphore mode, a signalfd the signals it reads; the signals
 * themselves are the reading task's, and come back with its signal
 * record.  A timerfd keeps its clock, its timer and the expirations not
 * read; a relative timer goes on with the time it had left, one armed
 * for a CLOCK_REALTIME time keeps that time.  An epoll file keeps its
 * interest list: each target by the objref of its file, whose records
 * come first, and the descriptor it was added as.  Restart makes a new
 * file of the kind, with the flags that fcntl(F_SETFL) could have set,
 * and adds an epoll file's targets back; the kernel polls them to
 * rebuild the ready list.
 */

#include <linux/capability.h>
#include <linux/checkpoint_fs.h>
#include <linux/eventfd.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
/* after linux/fs.h, which it needs */
#include <linux/eventpoll.h>
#include <linux/signalfd.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/timerfd.h>

/* The O_* flags of an event file that the image keeps */
#define CKPT_EVENT_O_FLAGS	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOATIME | FASYNC)
/*
 * Those its file gets after it is made.  Neither kind has a ->fasync(),
 * so FASYNC is only a bit, as fcntl(F_SETFL) leaves it.
 */
#define CKPT_EVENT_LATE_FLAGS	(O_APPEND | O_NOATIME | FASYNC)

/* The epoll events and flags a target can have */
#define CKPT_EPOLL_EVENTS	(EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | \
				 EPOLLHUP | EPOLLNVAL | EPOLLRDNORM | \
				 EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | \
				 EPOLLMSG | EPOLLRDHUP | EPOLLEXCLUSIVE | \
				 EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)

/**
 * ckpt_event_file - whether an open file is an eventfd, signalfd or epoll
 * @file: the file
 *
 * Return: true if checkpoint_event_file() writes its record.
 */
bool ckpt_event_file(struct file *file)
{
	struct timerfd_state st;
	sigset_t mask;
	u64 count;
	int flags;

	return !eventfd_file_state(file, &count, &flags) ||
	       !signalfd_file_state(file, &mask) || eventpoll_file(file) ||
	       !timerfd_file_state(file, &st);
}

static bool ckpt_event_is_timerfd(struct file *file)
{
	struct timerfd_state st;

	return !timerfd_file_state(file, &st);
}

static bool ckpt_realtime_clock(u32 clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

/* Write the record of the timerfd file @file */
static int checkpoint_timerfd(struct ckpt_ctx *ctx, unsigned int fd,
			      struct file *file, int objref)
{
	struct ckpt_hdr_timerfd h;
	struct timerfd_state st;
	int ret;

	ret = timerfd_file_state(file, &st);
	if (ret)
		return ret;
	if (st.canceled)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: timerfd canceled by a clock change, not read yet: not supported",
				fd);
	h.objref = objref;
	h.flags = file->f_flags;
	h.clockid = st.clockid;
	h.tfd_flags = (st.flags & TFD_TIMER_ABSTIME ? CKPT_TFD_ABSTIME : 0) |
		      (st.flags & TFD_TIMER_CANCEL_ON_SET ?
		       CKPT_TFD_CANCEL_ON_SET : 0);
	h.value = timespec64_to_ns(&st.value.it_value);
	if (h.value && (st.flags & TFD_TIMER_ABSTIME) &&
	    ckpt_realtime_clock(st.clockid))
		h.value = max_t(s64, st.expires, 1);
	h.interval = timespec64_to_ns(&st.value.it_interval);
	h.ticks = st.ticks;
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_TIMERFD, sizeof(h));
}

/**
 * struct ckpt_epoll_save - the interest list of an epoll file, being saved
 * @walk: the walk of eventpoll_walk_targets()
 * @h: its record, growing
 * @files: the target files, with a reference
 * @nr: how many targets there are
 * @max: how many @h and @files have room for
 */
struct ckpt_epoll_save {
	struct eventpoll_walk walk;
	struct ckpt_hdr_epoll *h;
	struct file **files;
	u32 nr;
	u32 max;
};

/* Make room in @s for @max targets */
static int ckpt_epoll_grow(struct ckpt_epoll_save *s, u32 max)
{
	struct ckpt_hdr_epoll *h;
	struct file **files;

	h = kvzalloc(struct_size(h, targets, max), GFP_KERNEL_ACCOUNT);
	files = kvcalloc(max, sizeof(*files), GFP_KERNEL_ACCOUNT);
	if (!h || !files) {
		kvfree(h);
		kvfree(files);
		return -ENOMEM;
	}
	if (s->nr) {
		memcpy(h->targets, s->h->targets, s->nr * sizeof(*h->targets));
		memcpy(files, s->files, s->nr * sizeof(*files));
	}
	kvfree(s->h);
	kvfree(s->files);
	s->h = h;
	s->files = files;
	s->max = max;
	return 0;
}

/* eventpoll_walk_targets(): note one target */
static int ckpt_epoll_note(struct eventpoll_walk *walk, struct file *tfile,
			   int fd, const struct epoll_event *event, bool ready)
{
	struct ckpt_epoll_save *s = container_of(walk, struct ckpt_epoll_save,
						 walk);
	struct ckpt_epoll_target *t;
	int ret;

	if (s->nr == CKPT_EPOLL_TARGETS_MAX)
		return -E2BIG;
	if (s->nr == s->max) {
		ret = ckpt_epoll_grow(s, min(max(2 * s->max, 16U),
					     CKPT_EPOLL_TARGETS_MAX));
		if (ret)
			return ret;
	}
	t = &s->h->targets[s->nr];
	t->file_ref = 0;
	t->fd = fd;
	t->events = event->events;
	t->flags = ready ? CKPT_EPOLL_READY : 0;
	t->data = event->data;
	s->files[s->nr++] = get_file(tfile);
	return 0;
}

/* Write the targets of the epoll file @file, then its record */
static int checkpoint_epoll(struct ckpt_ctx *ctx, struct files_struct *files,
			    unsigned int fd, struct file *file, int objref)
{
	struct ckpt_epoll_save s = { .walk.actor = ckpt_epoll_note };
	struct ckpt_epoll_target *t;
	int ret;
	u32 i;

	ret = eventpoll_walk_targets(file, &s.walk);
	if (ret == -E2BIG)
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: epoll with more than %u targets not supported",
			       fd, CKPT_EPOLL_TARGETS_MAX);
	for (i = 0; i < s.nr && !ret; i++) {
		t = &s.h->targets[i];
		if (t->events & ~CKPT_EPOLL_EVENTS) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "fd %u: epoll target fd %u with events %#x not supported",
				       fd, t->fd, t->events);
			break;
		}
		ret = checkpoint_file_ref(ctx, files, t->fd, s.files[i]);
		if (ret > 0) {
			t->file_ref = ret;
			ret = 0;
		}
	}
	if (!ret && !s.h)
		ret = ckpt_epoll_grow(&s, 1);
	if (!ret) {
		s.h->objref = objref;
		s.h->flags = file->f_flags;
		s.h->nr_targets = s.nr;
		s.h->reserved = 0;
		ret = ckpt_write_record(ctx, &s.h->h, CKPT_HDR_EPOLL,
					struct_size(s.h, targets, s.nr));
	}
	for (i = 0; i < s.nr; i++)
		fput(s.files[i]);
	kvfree(s.files);
	kvfree(s.h);
	return ret;
}

/**
 * checkpoint_event_file - write the record of an eventfd, signalfd or epoll
 *	file
 * @ctx: checkpoint context
 * @files: the descriptor table it was found through
 * @fd: a descriptor of it, for the log
 * @file: the file, for which ckpt_event_file() holds
 * @objref: the objref it got, the first time it was met
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_event_file(struct ckpt_ctx *ctx, struct files_struct *files,
			  unsigned int fd, struct file *file, int objref)
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
	if (eventpoll_file(file))
		return checkpoint_epoll(ctx, files, fd, file, objref);
	if (ckpt_event_is_timerfd(file))
		return checkpoint_timerfd(ctx, fd, file, objref);
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

/* The CLOCK_* time @left ns from now, as the task's time namespace sees it */
static ktime_t ckpt_timerfd_abs(u32 clockid, u64 left)
{
	struct timespec64 now;

	if (clockid == CLOCK_MONOTONIC) {
		ktime_get_ts64(&now);
		timens_add_monotonic(&now);
	} else {
		ktime_get_boottime_ts64(&now);
		timens_add_boottime(&now);
	}
	return ktime_add_safe(timespec64_to_ktime(now), ns_to_ktime(left));
}

static int restore_timerfd(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_timerfd h;
	struct itimerspec64 new;
	struct file *file = NULL;
	int flags, ret;
	u64 value;

	ret = ckpt_read_payload(ctx, hdr, sizeof(h), &h);
	if (ret)
		return ret;
	if (!ckpt_event_flags_ok(h.flags))
		return ckpt_event_bad(ctx, "timerfd", "flags");
	if (h.clockid != CLOCK_REALTIME && h.clockid != CLOCK_MONOTONIC &&
	    h.clockid != CLOCK_BOOTTIME && h.clockid != CLOCK_REALTIME_ALARM &&
	    h.clockid != CLOCK_BOOTTIME_ALARM)
		return ckpt_event_bad(ctx, "timerfd", "clock");
	if (h.tfd_flags & ~(CKPT_TFD_ABSTIME | CKPT_TFD_CANCEL_ON_SET))
		return ckpt_event_bad(ctx, "timerfd", "timer flags");
	if (h.value > KTIME_MAX || h.interval > KTIME_MAX)
		return ckpt_event_bad(ctx, "timerfd", "time");
	if (!ckpt_restoring(ctx))
		return ckpt_event_insert(ctx, NULL, h.objref, h.flags, "timerfd");

	flags = (h.tfd_flags & CKPT_TFD_ABSTIME ? TFD_TIMER_ABSTIME : 0) |
		(h.tfd_flags & CKPT_TFD_CANCEL_ON_SET ?
		 TFD_TIMER_CANCEL_ON_SET : 0);
	value = h.value;
	if (value && (flags & TFD_TIMER_ABSTIME) &&
	    !ckpt_realtime_clock(h.clockid))
		value = ckpt_timerfd_abs(h.clockid, value);
	new.it_value = ns_to_timespec64(value);
	new.it_interval = ns_to_timespec64(h.interval);
	file = timerfd_file_create(h.clockid, h.flags & O_NONBLOCK);
	if (!IS_ERR(file)) {
		ret = timerfd_file_settime(file, flags, &new, h.ticks);
		if (ret) {
			fput(file);
			return ckpt_err(ctx, ret, "file %u: cannot arm the timerfd",
					h.objref);
		}
	}
	return ckpt_event_insert(ctx, file, h.objref, h.flags, "timerfd");
}

/* Check the targets of an epoll record, untrusted */
static int ckpt_epoll_check(struct ckpt_ctx *ctx, struct ckpt_hdr_epoll *h)
{
	struct ckpt_epoll_target *t;
	u32 i;

	if (h->nr_targets > CKPT_EPOLL_TARGETS_MAX ||
	    h->h.len != struct_size(h, targets, h->nr_targets))
		return ckpt_err(ctx, -EINVAL,
				"epoll record at offset %lld: %u targets in %u bytes",
				ctx->rec_offset, h->nr_targets, h->h.len);
	if (!ckpt_event_flags_ok(h->flags))
		return ckpt_event_bad(ctx, "epoll", "flags");
	if (h->reserved)
		return ckpt_event_bad(ctx, "epoll", "reserved field");
	for (i = 0; i < h->nr_targets; i++) {
		t = &h->targets[i];
		if (t->fd > INT_MAX || (t->flags & ~CKPT_EPOLL_READY) ||
		    (t->events & ~CKPT_EPOLL_EVENTS))
			return ckpt_err(ctx, -EINVAL,
					"epoll record at offset %lld: bad target %u (fd %u)",
					ctx->rec_offset, i, t->fd);
	}
	return 0;
}

/* Add the targets of @h to @file (NULL with RESTART_VALIDATE) */
static int ckpt_epoll_add(struct ckpt_ctx *ctx, struct ckpt_hdr_epoll *h,
			  struct file *file)
{
	struct ckpt_epoll_target *t;
	struct epoll_event event;
	struct file *tfile;
	int ret;
	u32 i;

	for (i = 0; i < h->nr_targets; i++) {
		t = &h->targets[i];
		tfile = ckpt_obj_fetch(ctx, t->file_ref, &ckpt_file_obj_ops);
		if (IS_ERR(tfile))
			return PTR_ERR(tfile);
		if (!file)
			continue;
		if (!tfile)
			return ckpt_err(ctx, -EINVAL,
					"epoll file %u: file %u could not be opened",
					h->objref, t->file_ref);
		/* epoll_ctl() drops it silently without the capability */
		if ((t->events & EPOLLWAKEUP) && !capable(CAP_BLOCK_SUSPEND))
			return ckpt_err(ctx, -EPERM,
					"epoll file %u: EPOLLWAKEUP on file %u needs CAP_BLOCK_SUSPEND",
					h->objref, t->file_ref);
		event.events = t->events;
		event.data = t->data;
		ret = eventpoll_file_add(file, tfile, t->fd, &event,
					 t->flags & CKPT_EPOLL_READY);
		if (ret)
			return ckpt_err(ctx, ret,
					"epoll file %u: cannot add file %u at fd %u",
					h->objref, t->file_ref, t->fd);
	}
	return 0;
}

static int restore_epoll(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_epoll *h;
	struct file *file = NULL;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_epoll_check(ctx, h);
	if (ret)
		goto out;
	if (ckpt_restoring(ctx))
		file = eventpoll_file_create(0);
	if (!IS_ERR(file)) {
		ret = ckpt_epoll_add(ctx, h, file);
		if (ret) {
			if (file)
				fput(file);
			goto out;
		}
	}
	/* it takes the reference on the file */
	ret = ckpt_event_insert(ctx, file, h->objref, h->flags, "epoll file");
out:
	kvfree(h);
	return ret;
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
	{
		.index = CKPT_REC_TIMERFD,
		.name = "timerfd",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_timerfd },
	},
	{
		.index = CKPT_REC_EPOLL,
		.name = "epoll",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_epoll },
	},
};

const struct ckpt_subsys ckpt_event_subsys = {
	.name = "event files",
	.records = ckpt_event_records,
	.nr_records = ARRAY_SIZE(ckpt_event_records),
};
