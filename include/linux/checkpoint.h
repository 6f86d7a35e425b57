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
struct cred;
struct inode;
struct ipc_namespace;
struct ckpt_fd_restore;
struct ckpt_pipe;
struct ckpt_shm;
struct vm_area_struct;
struct file;
struct page;
struct pid;
struct task_struct;

enum ckpt_ctx_kind {
	CKPT_CTX_CHECKPOINT,
	CKPT_CTX_RESTART,
};

/* Object types known to the objhash */
enum ckpt_obj_type {
	CKPT_OBJ_TASK = 1,
	CKPT_OBJ_MM,
	CKPT_OBJ_INODE,
	CKPT_OBJ_FILE,
	CKPT_OBJ_SHMEM,
	CKPT_OBJ_FILES,
	CKPT_OBJ_PIPE,
	CKPT_OBJ_IPC_NS,
	CKPT_OBJ_SHM_SEG,
	CKPT_OBJ_SEM_UNDO,
	CKPT_OBJ_MAX
};

/**
 * struct ckpt_task_restore - one task of the image, as restart rebuilds it
 * @ctx: the restart it belongs to
 * @index: its place in the image, the root first
 * @objref: its objref
 * @parent: its parent, NULL for the root
 * @spid: its pid, once the task restart made runs (not for the root)
 * @pid: its pid in the image
 * @pgid: its process group
 * @sid: its session
 * @exit_signal: what its parent gets when it exits
 * @pdeath_signal: what it gets when its parent exits (PR_SET_PDEATHSIG)
 * @nr_children: tasks of the image whose parent it is
 * @comm: its comm, set at the end
 * @begun: its records have started
 * @mm_seen: the mm record was seen
 * @vmas_left: vma records still expected after the mm record
 * @vma: the last vma record, which page records belong to
 * @last_page: address of the last page restored in @vma
 * @shm_file: the shared memory @vma maps, when its pages follow
 * @cpu_seen: the registers were seen
 * @restart_block: the registers resume through restart_syscall()
 * @xstate_seen: the FPU state was seen
 * @signals_seen: the signal state was seen
 * @proc_seen: the process state was seen
 * @fd_table_seen: the descriptor table was seen
 * @fds: the descriptors to install, from the descriptor table
 * @nr_fds: entries in @fds
 * @creds_seen: the credentials were seen
 * @restored_ax: what the restored task finds in ax when restart returns
 * @restored_orig_ax: the system call it was frozen in, or -1
 * @committed: the task was changed: a failure must kill it
 */
struct ckpt_task_restore {
	struct ckpt_ctx *ctx;
	unsigned int index;
	u32 objref;
	struct ckpt_task_restore *parent;
	struct pid *spid;
	pid_t pid;
	pid_t pgid;
	pid_t sid;
	int exit_signal;
	int pdeath_signal;
	unsigned int nr_children;
	char comm[CKPT_COMM_LEN];
	bool begun;
	bool mm_seen;
	u32 vmas_left;
	struct ckpt_hdr_vma vma;
	u64 last_page;
	struct file *shm_file;
	bool cpu_seen;
	bool restart_block;
	bool xstate_seen;
	bool signals_seen;
	bool proc_seen;
	bool fd_table_seen;
	struct ckpt_fd_restore *fds;
	unsigned int nr_fds;
	bool creds_seen;
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
 * @ipc_ns_seen: the IPC namespace record was seen
 * @ipc_msg_left: message queue records still expected
 * @ipc_sem_left: semaphore set records still expected
 * @ipc_shm_left: shared memory records still expected
 * @ipc_made: the IPC objects created, to remove if the restart fails
 * @ipc_cred: the caller's credentials when it created them
 * @sem_nsems: the semaphore sets of the image: id to number of semaphores
 * @shm_seg: the segment the pages records that follow belong to
 * @shm_segs: every segment restored, for ckpt_ipc_finish()
 * @msg_ctlmax: kernel.msgmax of the image's IPC namespace
 * @sem_semmsl: the most semaphores per set in that namespace
 * @failed_files: with RESTART_KEEP_STDIO, the files that could not be
 *	opened (objref to errno): only descriptors 0-2 may use them
 */
struct ckpt_restore_state {
	unsigned int ntasks;
	struct xarray tasks;
	struct xarray pids;
	bool tree_made;
	bool ipc_ns_seen;
	u32 ipc_msg_left;
	u32 ipc_sem_left;
	u32 ipc_shm_left;
	struct list_head ipc_made;
	const struct cred *ipc_cred;
	struct xarray sem_nsems;
	struct ckpt_shm *shm_seg;
	struct list_head shm_segs;
	u32 msg_ctlmax;
	int sem_semmsl;
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
 * @root: the root task of the tree (checkpoint only)
 * @tasks: the tasks of the tree, the root first, each a parent before
 *	its children (checkpoint only)
 * @nr_tasks: entries in @tasks
 * @pipe_readers: the pipes a task of the tree reads (checkpoint only)
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
	struct xarray pipe_readers;
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

u64 ckpt_next_id(void);
void ckpt_ctx_put(struct ckpt_ctx *ctx);
void ckpt_task_free(struct ckpt_task_restore *t);

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
void *ckpt_read_var(struct ckpt_ctx *ctx, struct ckpt_hdr *h, size_t min,
		    size_t max);
bool ckpt_restoring(struct ckpt_ctx *ctx);
int ckpt_read_header(struct ckpt_ctx *ctx);
int ckpt_read_tail(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_check_string(struct ckpt_ctx *ctx, const char *s, size_t size,
		      const char *what);

/* Objhash (checkpoint/objhash.c) */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			enum ckpt_obj_type type, bool *first);
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr, enum ckpt_obj_type type);
int ckpt_obj_insert(struct ckpt_ctx *ctx, void *ptr, u32 objref,
		    enum ckpt_obj_type type);
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     enum ckpt_obj_type type);
int ckpt_obj_init(struct ckpt_ctx *ctx);
void ckpt_obj_free_all(struct ckpt_ctx *ctx);

/* Memory (checkpoint/memory.c) */
int checkpoint_mm(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_mm(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_vma(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
unsigned long ckpt_vma_prot(u32 flags);

/* Files (checkpoint/files.c) */
int ckpt_collect_pipe_readers(struct ckpt_ctx *ctx);
int checkpoint_files(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_pipe(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_file(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_fd_table(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_install_fds(struct ckpt_ctx *ctx, struct ckpt_task_restore *t);
void ckpt_fds_release(struct ckpt_task_restore *t);
void ckpt_pipe_free(struct ckpt_pipe *p);

/* SysV IPC (ipc/checkpoint.c) */
#ifdef CONFIG_SYSVIPC
int checkpoint_ipc_ns(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_ipc_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_ipc_msg(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_ipc_sem(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_ipc_shm(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_shm_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int checkpoint_shm_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma);
int checkpoint_sem_undo(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
u32 ckpt_sem_undo_ref(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_sem_undo(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_sem_undo_attach(struct ckpt_ctx *ctx, u32 objref);
void ckpt_sem_undo_free(void *ptr);
int ckpt_sem_undo_busy(struct ckpt_ctx *ctx);
int semundo_open(struct file *file, struct task_struct *task);
ssize_t semundo_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos);
int semundo_release(struct inode *inode, struct file *file);
int restore_shm_vma(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *h);
void ckpt_ipc_finish(struct ckpt_ctx *ctx);
void ckpt_ipc_end(struct ckpt_ctx *ctx, bool failed);
void ckpt_shm_free(struct ckpt_shm *seg);
#else
static inline int checkpoint_ipc_ns(struct ckpt_ctx *ctx,
				    struct task_struct *task)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}

static inline int restore_ipc_ns(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}

static inline int restore_ipc_msg(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return restore_ipc_ns(ctx, h);
}

static inline int restore_ipc_sem(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return restore_ipc_ns(ctx, h);
}

static inline int restore_ipc_shm(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return restore_ipc_ns(ctx, h);
}

static inline int restore_shm_pages(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return restore_ipc_ns(ctx, h);
}

static inline int restore_sem_undo(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	return restore_ipc_ns(ctx, h);
}

static inline u32 ckpt_sem_undo_ref(struct ckpt_ctx *ctx,
				    struct task_struct *task)
{
	return 0;
}

static inline int ckpt_sem_undo_attach(struct ckpt_ctx *ctx, u32 objref)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}

static inline void ckpt_sem_undo_free(void *ptr)
{
}

static inline int checkpoint_shm_vma(struct ckpt_ctx *ctx,
				     struct vm_area_struct *vma)
{
	return 0;
}

static inline int restore_shm_vma(struct ckpt_ctx *ctx,
				  struct ckpt_hdr_vma *h)
{
	return ckpt_err(ctx, -EOPNOTSUPP, "kernel without SysV IPC");
}

static inline void ckpt_ipc_finish(struct ckpt_ctx *ctx)
{
}

static inline void ckpt_ipc_end(struct ckpt_ctx *ctx, bool failed)
{
}

static inline void ckpt_shm_free(struct ckpt_shm *seg)
{
}
#endif

/* Registers and FPU (arch/x86/kernel/checkpoint.c) */
int checkpoint_cpu(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_cpu(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_xstate(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_restart_block(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_arch_resume(struct ckpt_task_restore *t, bool forked);

/* Signals, credentials, limits (kernel/checkpoint.c) */
int checkpoint_task_state(struct ckpt_ctx *ctx, struct task_struct *task);
int restore_signals(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_proc(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_creds(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

/* The two flows (checkpoint/checkpoint.c, checkpoint/restart.c) */
int ckpt_do_checkpoint(struct ckpt_ctx *ctx);
int ckpt_do_restart(struct ckpt_ctx *ctx);

#endif /* _LINUX_CHECKPOINT_H */
