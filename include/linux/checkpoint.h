/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: in-kernel interface.
 *
 * See Documentation/checkpoint/overview.rst.
 */
#ifndef _LINUX_CHECKPOINT_H
#define _LINUX_CHECKPOINT_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <uapi/linux/checkpoint.h>
#include <uapi/linux/checkpoint_hdr.h>

struct bio_vec;
struct ckpt_ctx;
struct ckpt_fd_restore;
struct ckpt_ipc_restore;
struct ckpt_mq_restore;
struct ckpt_task_restore;
struct ckpt_uts_restore;
struct file;
struct page;
struct pid;
struct task_struct;

enum ckpt_ctx_kind {
	CKPT_CTX_CHECKPOINT,
	CKPT_CTX_RESTART,
};

/**
 * struct ckpt_obj_ops - what the objhash does with objects of one type
 * @name: the type, as reasons name it ("file", "pipe"...)
 * @grab: checkpoint: take the objhash's reference on an object; NULL
 *	when the objhash owns the object from its insertion on
 * @drop: drop that reference, or free an object the objhash owns
 * @restored: restart: free what restart built for an object of the
 *	type, which the objhash owns; NULL when restart holds a reference
 *	on a kernel object, taken by @grab and dropped by @drop
 *
 * Each subsystem defines the ops of its objects next to its code; the
 * ops are also the type: an objref names an object of one type.
 */
struct ckpt_obj_ops {
	const char *name;
	void (*grab)(void *ptr);
	void (*drop)(void *ptr);
	void (*restored)(void *ptr);
};

/* Record types, by their place in linux/checkpoint_records.h */
enum ckpt_rec_index {
#define CKPT_RECORD(name, min, max)	CKPT_REC_##name,
#include <uapi/linux/checkpoint_records.h>
	CKPT_REC_NR
};

/* ckpt_record.flags */
#define CKPT_REC_ONCE		BIT(0)	/* at most once per scope */
#define CKPT_REC_REQUIRED	BIT(1)	/* at least once per scope */
#define CKPT_REC_STREAM		BIT(2)	/* restore reads past the fixed part */
#define CKPT_REC_ANYWHERE	BIT(3)	/* may come anywhere in its scope */
#define CKPT_REC_PROCESS	BIT(4)	/* of the thread group: its leader's */

/**
 * struct ckpt_rec_place - a record type in one scope: who writes and reads it
 * @with: 0, or the type (CKPT_REC_*) whose place it shares: its records
 *	may mix with those of @with (pages with their vma)
 * @write: checkpoint: write the records of the type, and of the types
 *	that come with it, for a task (the root, in the image scope); NULL
 *	when another type's @write writes them
 * @restore: reads one record, checks it and, unless only validating,
 *	applies it; NULL when the record may not come in that scope
 *
 * The records of a scope come in the order of
 * linux/checkpoint_records.h, which is image order: checkpoint calls
 * each @write in that order, and restart checks it.
 */
struct ckpt_rec_place {
	u16 with;
	int (*write)(struct ckpt_ctx *ctx, struct task_struct *task);
	int (*restore)(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
};

/**
 * struct ckpt_rec_scope - the records of one scope read so far
 * @seen: their types, bits by CKPT_REC_* index
 * @order: the place of the last of them (ckpt_record_order())
 */
struct ckpt_rec_scope {
	DECLARE_BITMAP(seen, CKPT_REC_NR);
	u16 order;
};

struct ckpt_subsys;

/**
 * struct ckpt_record - one record type: where it comes, who writes and
 *	reads it
 * @index: its type, CKPT_REC_*
 * @name: its name in reasons ("vma", "fd table"...)
 * @what: what a task lacks without it, for a required record
 * @flags: CKPT_REC_*
 * @image: in the records of the image as a whole, before the first
 *	task begin record
 * @task: in the records of one task, after its task begin record
 *
 * A subsystem lists its record types in its struct ckpt_subsys; the
 * number and the lengths come from linux/checkpoint_records.h.  The
 * core checks the length and the place of every record before
 * @restore sees it; a record that is not CKPT_REC_STREAM is read whole,
 * and @restore gets it with its header through ckpt_read_payload() or
 * ckpt_read_var().
 */
struct ckpt_record {
	u16 index;
	const char *name;
	const char *what;
	u32 flags;
	struct ckpt_rec_place image;
	struct ckpt_rec_place task;
};

/**
 * struct ckpt_subsys - a subsystem: its record types, and what it does at
 *	the steps of a checkpoint and a restart
 * @name: its name
 * @records: its record types
 * @nr_records: how many
 * @prepare: checkpoint: the tree is gathered and checked, nothing is
 *	written yet: note what the records of the tasks will need
 * @init: the restart context was made: set up the subsystem's state
 * @image_done: the records of the image as a whole end: those of the
 *	subsystem must be complete
 * @task_done: the records of the subsystem for the task being read end
 * @finish: the tail checked out and every task is complete
 * @task_finish: a task sets up its last state, in its own context, once
 *	the tail checked out
 * @task_free: free what the subsystem kept for a task of the image
 * @end: the restart ends, @failed or not: undo what a failed one made,
 *	and free the subsystem's state
 *
 * Every hook may be NULL.  The core calls them in the order of
 * ckpt_subsystems[], and names no subsystem function otherwise.
 */
struct ckpt_subsys {
	const char *name;
	const struct ckpt_record *records;
	unsigned int nr_records;
	int (*prepare)(struct ckpt_ctx *ctx);
	int (*init)(struct ckpt_ctx *ctx);
	int (*image_done)(struct ckpt_ctx *ctx);
	int (*task_done)(struct ckpt_ctx *ctx, struct ckpt_task_restore *t);
	void (*finish)(struct ckpt_ctx *ctx);
	int (*task_finish)(struct ckpt_ctx *ctx, struct ckpt_task_restore *t);
	void (*task_free)(struct ckpt_task_restore *t);
	void (*end)(struct ckpt_ctx *ctx, bool failed);
};

/**
 * struct ckpt_task_restore - one task of the image, as restart rebuilds it
 * @ctx: the restart it belongs to
 * @index: its place in the image, the root first
 * @objref: its objref
 * @parent: its parent, NULL for the root (and for the root's threads)
 * @leader: for a thread other than a thread-group leader, its leader
 * @spid: its pid, once the task restart made runs (not for the root)
 * @pid: its pid in the image
 * @ppid: its parent's pid (a thread group id)
 * @pgid: its process group
 * @sid: its session
 * @exit_signal: what its parent gets when it exits
 * @pdeath_signal: what it gets when its parent exits (PR_SET_PDEATHSIG)
 * @nr_children: tasks of the image whose parent it is
 * @nr_threads: for a leader, the other threads of its group
 * @comm: its comm, set at the end
 * @begun: its records have started
 * @scope: its records read so far
 * @subsys: the subsystem of the last of them
 * @vmas_left: (mm) vma records still expected after the mm record
 * @vma: (mm) the last vma record, which page records belong to
 * @last_page: (mm) address of the last page restored in @vma
 * @shm_file: (mm) the shared memory @vma maps, when its pages follow
 * @fds: (fs) the descriptors to install, from the descriptor table
 * @nr_fds: (fs) entries in @fds
 * @restored_ax: what the restored task finds in ax when restart returns
 * @restored_orig_ax: the system call it was frozen in, or -1
 * @committed: the task was changed: a failure must kill it
 */
struct ckpt_task_restore {
	struct ckpt_ctx *ctx;
	unsigned int index;
	u32 objref;
	struct ckpt_task_restore *parent;
	struct ckpt_task_restore *leader;
	struct pid *spid;
	pid_t pid;
	pid_t ppid;
	pid_t pgid;
	pid_t sid;
	int exit_signal;
	int pdeath_signal;
	unsigned int nr_children;
	unsigned int nr_threads;
	char comm[CKPT_COMM_LEN];
	bool begun;
	struct ckpt_rec_scope scope;
	const struct ckpt_subsys *subsys;
	u32 vmas_left;
	struct ckpt_hdr_vma vma;
	u64 last_page;
	struct file *shm_file;
	struct ckpt_fd_restore *fds;
	unsigned int nr_fds;
	u64 restored_ax;
	u64 restored_orig_ax;
	bool committed;
};

/* Most tasks one image may hold */
#define CKPT_TASKS_MAX		4096

/**
 * struct ckpt_restore_state - where restart is in the image
 * @ntasks: task records seen
 * @tasks: the tasks, by index
 * @pids: the tasks, by pid
 * @tree_made: the tasks other than the root were made
 * @scope: the records of the image as a whole read so far
 * @ipc: the state of the SysV IPC restart (ipc/checkpoint_ns.c)
 * @mq: the POSIX message queues restart made (ipc/checkpoint_mq.c)
 * @uts: the names to give the new UTS namespace once the tail checked
 *	out, or NULL (kernel/checkpoint_uts.c)
 * @failed_files: with RESTART_KEEP_STDIO, the files that could not be
 *	opened (objref to errno): only descriptors 0-2 may use them
 */
struct ckpt_restore_state {
	unsigned int ntasks;
	struct xarray tasks;
	struct xarray pids;
	bool tree_made;
	struct ckpt_rec_scope scope;
	struct ckpt_ipc_restore *ipc;
	struct ckpt_mq_restore *mq;
	struct ckpt_uts_restore *uts;
	struct xarray failed_files;
};

/* ckpt_ctx.state, when no error ended the restart */
#define CKPT_RUNNING		0
#define CKPT_DONE		1
#define CKPT_RELEASED		2

/* Most objects one image may define */
#define CKPT_OBJ_MAX_COUNT	(1024 * 1024)

/**
 * struct ckpt_ctx - the state of one checkpoint or restart operation
 * @kind: checkpoint or restart
 * @id: checkpoint id (checkpoint only)
 * @flags: the flags passed to the system call
 * @file: the image file
 * @logfile: where one-line messages go, or NULL
 * @root: the root task of the tree (on restart, the caller)
 * @tasks: the tasks of the tree, the root first, each a parent before
 *	its children (checkpoint only)
 * @nr_tasks: entries in @tasks
 * @in_tree: the pipes a task of the tree reads, and the Unix sockets it
 *	holds (checkpoint only)
 * @start_pos: file position of @file when the call started
 * @pos_locked: we hold @file->f_pos_lock
 * @buf: stream buffer
 * @bvec: page vector for page data, CKPT_PAGES_MAX entries
 * @buf_pos: next byte to consume (read) or first free byte (write)
 * @buf_fill: valid bytes in @buf (read)
 * @offset: stream offset of the first byte in @buf
 * @crc: running CRC-32C of the stream
 * @rec_offset: stream offset of the last record header read
 * @rec_crc: value of @crc before that header
 * @broken: the image file failed; write nothing more to it
 * @err: first error recorded with ckpt_err()
 * @msg: reason for @err, NUL-terminated
 * @logbuf: where log lines are formatted
 * @rs: restart progress
 * @ts: the task whose records are being read (restart)
 * @users: the tasks of the image that still use the context (restart)
 * @wait: where they wait for their turn, and for the end
 * @state: CKPT_RUNNING, CKPT_DONE once the tail checked out and every
 *	task is complete, CKPT_RELEASED once they all set up their last
 *	state; or the first error of any of them, which ends the restart
 * @unborn: tasks not made yet
 * @unreleased: tasks still setting up their last state after CKPT_DONE
 * @log_lock: serializes the log, which any of them may write to
 * @obj_count: number of objects in the objhash
 * @next_objref: next objref to hand out (checkpoint)
 * @obj_by_ptr: objhash, keyed by object pointer (checkpoint)
 * @obj_by_ref: objhash, keyed by objref
 */
struct ckpt_ctx {
	enum ckpt_ctx_kind kind;
	u64 id;
	unsigned long flags;
	struct file *file;
	struct file *logfile;
	struct task_struct *root;
	struct task_struct **tasks;
	unsigned int nr_tasks;
	struct xarray in_tree;
	loff_t start_pos;
	bool pos_locked;

	void *buf;
	struct bio_vec *bvec;
	size_t buf_pos;
	size_t buf_fill;
	loff_t offset;
	u32 crc;
	loff_t rec_offset;
	u32 rec_crc;
	bool broken;

	int err;
	char msg[CKPT_ERROR_MSG_MAX];
	char logbuf[CKPT_ERROR_MSG_MAX + 32];

	struct ckpt_restore_state rs;
	struct ckpt_task_restore *ts;
	refcount_t users;
	wait_queue_head_t wait;
	int state;
	atomic_t unborn;
	atomic_t unreleased;
	struct mutex log_lock;		/* protects @err, @msg, @logbuf */

	unsigned int obj_count;
	u32 next_objref;
	struct rhashtable obj_by_ptr;
	struct xarray obj_by_ref;
};

void ckpt_ctx_put(struct ckpt_ctx *ctx);

/* Logging (checkpoint/image.c) */
__printf(2, 3) void ckpt_msg(struct ckpt_ctx *ctx, const char *fmt, ...);
__printf(3, 4) int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...);

/* Image stream (checkpoint/image.c) */
int ckpt_stream_init(struct ckpt_ctx *ctx);
void ckpt_stream_free(struct ckpt_ctx *ctx);
loff_t ckpt_stream_offset(struct ckpt_ctx *ctx);
int ckpt_write(struct ckpt_ctx *ctx, const void *data, size_t len);
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr);
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr);
int ckpt_write_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h, u32 type,
		      size_t len);
int ckpt_flush(struct ckpt_ctx *ctx);
int ckpt_write_header(struct ckpt_ctx *ctx);
int ckpt_write_tail(struct ckpt_ctx *ctx);
void ckpt_write_error(struct ckpt_ctx *ctx);
int ckpt_read(struct ckpt_ctx *ctx, void *data, size_t len);
int ckpt_read_hdr(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_read_payload(struct ckpt_ctx *ctx, struct ckpt_hdr *h,
		      size_t size, void *buf);
void *ckpt_read_var(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
bool ckpt_restoring(struct ckpt_ctx *ctx);
int ckpt_read_header(struct ckpt_ctx *ctx);
int ckpt_read_tail(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_check_string(struct ckpt_ctx *ctx, const char *s, size_t size,
		      const char *what);

/* Objhash (checkpoint/objhash.c) */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			const struct ckpt_obj_ops *ops, bool *first);
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr,
		    const struct ckpt_obj_ops *ops);
int ckpt_obj_insert(struct ckpt_ctx *ctx, void *ptr, u32 objref,
		    const struct ckpt_obj_ops *ops);
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     const struct ckpt_obj_ops *ops);

/* Tasks (checkpoint/restart.c) */
extern const struct ckpt_obj_ops ckpt_task_obj_ops;

#endif /* _LINUX_CHECKPOINT_H */
