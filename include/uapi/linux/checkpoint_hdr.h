/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: image format.
 *
 * An image is a stream of records.  Every record starts with a
 * struct ckpt_hdr whose @len counts the whole record, header included,
 * and is a multiple of 8.  All fields have fixed widths, in the byte
 * order of the architecture named in the header record.
 *
 * The first record is CKPT_HDR_HEADER and the last is CKPT_HDR_TAIL,
 * which carries a CRC-32C of every byte before it.
 *
 * See Documentation/checkpoint/image-format.rst.
 */
#ifndef _UAPI_LINUX_CHECKPOINT_HDR_H
#define _UAPI_LINUX_CHECKPOINT_HDR_H

#include <linux/types.h>

#define CKPT_MAGIC		0x54504b43584e4cULL	/* "LNXCKPT" */
#define CKPT_TAIL_MAGIC		0x4c4941544b43ULL	/* "CKTAIL" */
#define CKPT_FORMAT_VERSION	2

/* ckpt_hdr_header.arch */
#define CKPT_ARCH_X86_64	1

/* Largest record restart accepts, header included */
#define CKPT_RECORD_MAX		(1U << 26)

/*
 * Record types.  Each is also listed, with its lengths, in
 * linux/checkpoint_records.h.
 */
#define CKPT_HDR_HEADER		1	/* struct ckpt_hdr_header */
#define CKPT_HDR_TAIL		2	/* struct ckpt_hdr_tail */
#define CKPT_HDR_ERROR		3	/* struct ckpt_hdr_error */
#define CKPT_HDR_TASK		101	/* struct ckpt_hdr_task */
#define CKPT_HDR_CPU		102	/* struct ckpt_hdr_cpu */
#define CKPT_HDR_XSTATE		103	/* struct ckpt_hdr_xstate */
#define CKPT_HDR_SIGNALS	104	/* struct ckpt_hdr_signals */
#define CKPT_HDR_PROC		105	/* struct ckpt_hdr_proc */
#define CKPT_HDR_CREDS		106	/* struct ckpt_hdr_creds */
#define CKPT_HDR_RESTART_BLOCK	107	/* struct ckpt_hdr_restart_block */
#define CKPT_HDR_TASK_BEGIN	108	/* struct ckpt_hdr_task_begin */
#define CKPT_HDR_PRCTL		109	/* struct ckpt_hdr_prctl */
#define CKPT_HDR_ITIMERS	110	/* struct ckpt_hdr_itimers */
#define CKPT_HDR_THREAD_ADDRS	111	/* struct ckpt_hdr_thread_addrs */
#define CKPT_HDR_MM		201	/* struct ckpt_hdr_mm */
#define CKPT_HDR_VMA		202	/* struct ckpt_hdr_vma */
#define CKPT_HDR_PAGES		203	/* struct ckpt_hdr_pages */
#define CKPT_HDR_PIPE		301	/* struct ckpt_hdr_pipe */
#define CKPT_HDR_FILE		302	/* struct ckpt_hdr_file */
#define CKPT_HDR_FD_TABLE	303	/* struct ckpt_hdr_fd_table */
#define CKPT_HDR_EVENTFD	304	/* struct ckpt_hdr_eventfd */
#define CKPT_HDR_SIGNALFD	305	/* struct ckpt_hdr_signalfd */
#define CKPT_HDR_EPOLL		306	/* struct ckpt_hdr_epoll */
#define CKPT_HDR_TIMERFD	307	/* struct ckpt_hdr_timerfd */
#define CKPT_HDR_UNIX_SOCK	308	/* struct ckpt_hdr_unix_sock */
#define CKPT_HDR_MQ_FILE	309	/* struct ckpt_hdr_mq_file */
#define CKPT_HDR_IPC_NS		401	/* struct ckpt_hdr_ipc_ns */
#define CKPT_HDR_IPC_MSG	402	/* struct ckpt_hdr_ipc_msg */
#define CKPT_HDR_IPC_SEM	403	/* struct ckpt_hdr_ipc_sem */
#define CKPT_HDR_IPC_SHM	404	/* struct ckpt_hdr_ipc_shm */
#define CKPT_HDR_SEM_UNDO	405	/* struct ckpt_hdr_sem_undo */
#define CKPT_HDR_MQ_NS		406	/* struct ckpt_hdr_mq_ns */
#define CKPT_HDR_MQ		407	/* struct ckpt_hdr_mq */
#define CKPT_HDR_UTS_NS		501	/* struct ckpt_hdr_uts_ns */

struct ckpt_hdr {
	__u32 type;
	__u32 len;
};

#define CKPT_RELEASE_LEN	72

struct ckpt_hdr_header {
	struct ckpt_hdr h;
	__u64 magic;		/* CKPT_MAGIC */
	__u32 version;		/* CKPT_FORMAT_VERSION */
	__u32 arch;		/* CKPT_ARCH_* */
	__u32 page_size;
	__u32 reserved;		/* must be zero */
	__u64 flags;		/* the checkpoint() flags */
	__u64 ckpt_id;		/* what checkpoint() returned */
	__s64 time;		/* seconds since the epoch (CLOCK_REALTIME) */
	char release[CKPT_RELEASE_LEN];	/* uname -r, NUL-terminated */
};

struct ckpt_hdr_tail {
	struct ckpt_hdr h;
	__u64 magic;		/* CKPT_TAIL_MAGIC */
	__u32 crc;		/* CRC-32C of every byte before this record */
	__u32 reserved;		/* must be zero */
};

/* An error met while checkpointing: @msg is NUL-terminated, zero padded */
#define CKPT_ERROR_MSG_MAX	512

struct ckpt_hdr_error {
	struct ckpt_hdr h;
	__s32 err;		/* negative errno */
	__u32 reserved;		/* must be zero */
	char msg[];
};

#define CKPT_COMM_LEN		16

struct ckpt_hdr_task {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this task's objref */
	__u32 parent_ref;	/* objref of the parent, 0 if outside the tree */
	__s32 pid;		/* ids as seen by the checkpointer */
	__s32 tgid;
	__s32 ppid;
	__s32 pgid;
	__s32 sid;
	__s32 exit_signal;	/* sent to the parent at exit; 0 for none */
	__s32 pdeath_signal;	/* PR_SET_PDEATHSIG; 0 for none */
	__u32 reserved;		/* must be zero */
	char comm[CKPT_COMM_LEN];	/* NUL-terminated */
};

/*
 * The records of one task follow, up to the next such record or the
 * tail: the tasks come in the order of their task records.
 */
struct ckpt_hdr_task_begin {
	struct ckpt_hdr h;
	__u32 task_ref;		/* objref of the task */
	__u32 reserved;		/* must be zero */
};

/*
 * User registers of an x86_64 task, in the order of struct
 * user_regs_struct.  A task frozen inside a system call is saved inside
 * it: -ERESTART* in ax, the call in orig_ax (see
 * Documentation/checkpoint/image-format.rst).
 */
struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	__u64 fs_base, gs_base;
	__u16 ds, es, fs, gs;	/* selectors */
	__u32 reserved[2];	/* must be zero */
};

/* ckpt_hdr_restart_block.kind */
#define CKPT_RESTART_NANOSLEEP	1
#define CKPT_RESTART_FUTEX	2	/* futex wait with a timeout */
#define CKPT_RESTART_POLL	3	/* poll() */

/* ckpt_hdr_restart_block.remaining_ns of a poll() with no timeout */
#define CKPT_POLL_NO_TIMEOUT	(~0ULL)

/* ckpt_hdr_restart_block.futex_flags */
#define CKPT_FUTEX_SHARED	0x1	/* not FUTEX_PRIVATE_FLAG */
#define CKPT_FUTEX_FLAGS_ALL	CKPT_FUTEX_SHARED

/*
 * A system call that resumes through restart_syscall(): the task was
 * frozen in it, and its cpu record has ax = -ERESTART_RESTARTBLOCK.
 */
struct ckpt_hdr_restart_block {
	struct ckpt_hdr h;
	__u32 kind;		/* CKPT_RESTART_* */
	__s32 clockid;		/* the clock of the timeout */
	__u32 rmtp_valid;	/* nanosleep: the remaining time goes to @rmtp */
	__u32 reserved;		/* must be zero */
	__u64 rmtp;
	__u64 remaining_ns;	/* what was left to sleep or wait */
	/* futex and poll only; a nanosleep's record may end before them */
	__u64 uaddr;		/* the word waited on; poll: the pollfd array */
	__u32 val;		/* the value it was to hold; poll: nfds */
	__u32 bitset;		/* FUTEX_WAIT_BITSET's mask, ~0 for FUTEX_WAIT */
	__u32 futex_flags;	/* CKPT_FUTEX_* */
	__u32 reserved2;	/* must be zero */
};

/* The length of a restart block record of a nanosleep before futex */
#define CKPT_RESTART_BLOCK_V2_LEN	40

/* FPU, SSE, AVX...: the XSAVE standard format, as PTRACE_GETREGSET gives */
#define CKPT_XSTATE_MAX		(64 * 1024)

struct ckpt_hdr_xstate {
	struct ckpt_hdr h;
	__u32 size;		/* bytes of XSAVE data */
	__u32 reserved;		/* must be zero */
	__u8 data[];		/* @size bytes, zero padded to a multiple of 8 */
};

#define CKPT_AUXV_WORDS		64
#define CKPT_PATH_MAX		4096

/* An address space; its vmas follow, each with its pages */
struct ckpt_hdr_mm {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this mm's objref */
	__u32 nr_vmas;
	__u64 start_code, end_code, start_data, end_data;
	__u64 start_brk, brk, start_stack;
	__u64 arg_start, arg_end, env_start, env_end;
	__u64 vdso;		/* address of the vDSO text, 0 if none */
	__u32 dumpable;		/* SUID_DUMP_* */
	__u32 auxv_words;	/* used words of @auxv, pairs ending with AT_NULL */
	__u64 auxv[CKPT_AUXV_WORDS];
	__u32 exe_len;		/* bytes of @exe, with its NUL, 0 if none */
	__u32 reserved;		/* must be zero */
	char exe[];		/* path of /proc/self/exe, zero padded */
};

/* ckpt_hdr_vma.type */
#define CKPT_VMA_ANON		1	/* private anonymous */
#define CKPT_VMA_FILE		2	/* private file mapping: @path */
#define CKPT_VMA_SHMEM		3	/* shared anonymous: @shm_ref */
#define CKPT_VMA_VDSO		4	/* the vDSO and its data pages */
#define CKPT_VMA_SYSVSHM	5	/* SysV shared memory @shm_ref, whole */

/* ckpt_hdr_vma.flags */
#define CKPT_VMA_READ		(1U << 0)
#define CKPT_VMA_WRITE		(1U << 1)
#define CKPT_VMA_EXEC		(1U << 2)
#define CKPT_VMA_SHARED		(1U << 3)
#define CKPT_VMA_GROWSDOWN	(1U << 4)
#define CKPT_VMA_LOCKED		(1U << 5)
#define CKPT_VMA_NORESERVE	(1U << 6)
#define CKPT_VMA_MAYWRITE	(1U << 7)	/* SYSVSHM: attached read-write */
#define CKPT_VMA_FLAGS_ALL	((1U << 8) - 1)

struct ckpt_hdr_vma {
	struct ckpt_hdr h;
	__u64 start, end;	/* page aligned, start < end */
	__u64 pgoff;		/* file offset, in pages */
	__u32 type;		/* CKPT_VMA_* */
	__u32 flags;		/* CKPT_VMA_* flags */
	__u32 shm_ref;		/* CKPT_VMA_SHMEM, _SYSVSHM: objref of the memory */
	__u32 path_len;		/* CKPT_VMA_FILE: bytes of @path, with its NUL */
	char path[];		/* zero padded */
};

/*
 * Contents of populated pages of the vma before it: @nr addresses, in
 * increasing order, then @nr pages of data.  Pages never touched and
 * pages of zeroes are not saved.
 */
#define CKPT_PAGES_MAX		4096

struct ckpt_hdr_pages {
	struct ckpt_hdr h;
	__u32 nr;		/* 1..CKPT_PAGES_MAX */
	__u32 reserved;		/* must be zero */
	__u64 addr[];		/* then nr * page_size bytes */
};

#define CKPT_NSIG		64

struct ckpt_sigaction {
	__u64 handler;		/* SIG_DFL (0), SIG_IGN (1), or an address */
	__u64 flags;		/* SA_* */
	__u64 restorer;
	__u64 mask;		/* signals blocked while the handler runs */
};

/* A pending signal; @info is the kernel's siginfo of the signal */
struct ckpt_siginfo {
	__u32 signo;
	__u32 shared;		/* pending for the process, not the thread */
	__u8 info[48];
};

#define CKPT_PENDING_MAX	4096

struct ckpt_hdr_signals {
	struct ckpt_hdr h;
	__u64 blocked;
	__u64 ss_sp, ss_size;	/* sigaltstack */
	__u32 ss_flags;
	__u32 nr_pending;
	struct ckpt_sigaction action[CKPT_NSIG];	/* for signals 1..64 */
	struct ckpt_siginfo pending[];			/* @nr_pending */
};

#define CKPT_RLIMITS		16

/* Process state: limits, umask, personality, working and root directory */
struct ckpt_hdr_proc {
	struct ckpt_hdr h;
	__u32 umask;
	__u32 personality;
	__u32 sem_undo_ref;	/* objref of its semaphore undo list, or 0 */
	__u32 reserved;		/* must be zero */
	struct {
		__u64 cur, max;
	} rlim[CKPT_RLIMITS];
	__u32 cwd_len;		/* bytes of the cwd path, with its NUL */
	__u32 root_len;		/* bytes of the root path, with its NUL */
	char paths[];		/* cwd then root, zero padded */
};

/* ckpt_hdr_prctl.flags */
#define CKPT_PRCTL_NO_NEW_PRIVS	(1U << 0)	/* PR_SET_NO_NEW_PRIVS */
#define CKPT_PRCTL_FLAGS_ALL	((1U << 1) - 1)

/* The one-way doors of prctl(): restart may close them, never open them */
struct ckpt_hdr_prctl {
	struct ckpt_hdr h;
	__u32 flags;		/* CKPT_PRCTL_* */
	__u32 reserved;		/* must be zero */
};

/* ckpt_hdr_itimers.timer[], as setitimer() numbers them */
#define CKPT_ITIMER_REAL	0
#define CKPT_ITIMER_VIRTUAL	1
#define CKPT_ITIMER_PROF	2
#define CKPT_ITIMERS		3

/* An interval timer: 0 in @value_ns when it is disarmed */
struct ckpt_itimer {
	__u64 value_ns;		/* left until it expires */
	__u64 interval_ns;	/* what it is armed again with, 0 for none */
};

/* The interval timers of a process (setitimer(), alarm()) */
struct ckpt_hdr_itimers {
	struct ckpt_hdr h;
	struct ckpt_itimer timer[CKPT_ITIMERS];
};

/*
 * The user addresses the kernel keeps for a thread: 0 for each one it
 * does not have.  The rseq area is registered again with its length and
 * signature.
 */
struct ckpt_hdr_thread_addrs {
	struct ckpt_hdr h;
	__u64 clear_child_tid;	/* set_tid_address() */
	__u64 robust_list;	/* set_robust_list() */
	__u64 rseq;		/* rseq() */
	__u32 rseq_len;		/* 0 when @rseq is 0 */
	__u32 rseq_sig;
};

#define CKPT_GROUPS_MAX		65536

/* Credentials, as the checkpointer's user namespace sees them */
struct ckpt_hdr_creds {
	struct ckpt_hdr h;
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u32 ngroups;
	__u32 reserved;		/* must be zero */
	__u32 groups[];		/* @ngroups, zero padded to 8 bytes */
};

/* ckpt_pipe_buf.flags */
#define CKPT_PIPE_BUF_PACKET	(1U << 0)	/* one packet (O_DIRECT write) */

struct ckpt_pipe_buf {
	__u32 len;		/* bytes, 1..page size */
	__u32 flags;		/* CKPT_PIPE_BUF_* */
};

/*
 * The buffer of a pipe or a FIFO: its capacity and the data in it, in
 * order.  Checkpoint copies the data and leaves it in the pipe.
 */
struct ckpt_hdr_pipe {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this pipe's objref */
	__u32 nr_bufs;		/* buffers holding data */
	__u64 size;		/* capacity in bytes (F_GETPIPE_SZ) */
	__u64 nr_bytes;		/* sum of the buffer lengths */
	/* @nr_bufs, then @nr_bytes of data, zero padded to a multiple of 8 */
	struct ckpt_pipe_buf bufs[];
};

/* ckpt_hdr_file.type */
#define CKPT_FILE_REG		1	/* regular file, by @path */
#define CKPT_FILE_DIR		2	/* directory, by @path */
#define CKPT_FILE_CHR		3	/* character device @rdev, by @path */
#define CKPT_FILE_FIFO		4	/* FIFO by @path; buffer @pipe_ref */
#define CKPT_FILE_PIPE		5	/* an end of pipe @pipe_ref */

/*
 * An open file description.  @flags are the O_* access mode and status
 * flags of the file (as F_GETFL gives them, in x86_64 values).
 */
struct ckpt_hdr_file {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 type;		/* CKPT_FILE_* */
	__u32 flags;		/* O_* */
	__u32 pipe_ref;		/* CKPT_FILE_FIFO, CKPT_FILE_PIPE */
	__s64 pos;		/* file position, 0..LLONG_MAX */
	__u32 rdev;		/* CKPT_FILE_CHR: device, new_encode_dev() */
	__u32 path_len;		/* bytes of @path with its NUL, 0 if none */
	char path[];		/* zero padded */
};

/* ckpt_hdr_eventfd.efd_flags */
#define CKPT_EFD_SEMAPHORE	0x1	/* EFD_SEMAPHORE */

/* An eventfd file, in the place of a file record */
struct ckpt_hdr_eventfd {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 flags;		/* O_RDWR, and O_NONBLOCK, O_APPEND, O_NOATIME,
				 * O_ASYNC
				 */
	__u32 efd_flags;	/* CKPT_EFD_* */
	__u32 reserved;		/* must be zero */
	__u64 count;		/* its counter, 0..2^64 - 2 */
};

/* A signalfd file, in the place of a file record */
struct ckpt_hdr_signalfd {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 flags;		/* as ckpt_hdr_eventfd.flags */
	__u64 sigmask;		/* the signals it reads, bit N-1 for signal N */
};

/* ckpt_hdr_timerfd.tfd_flags */
#define CKPT_TFD_ABSTIME	0x1	/* TFD_TIMER_ABSTIME */
#define CKPT_TFD_CANCEL_ON_SET	0x2	/* TFD_TIMER_CANCEL_ON_SET */

/*
 * A timerfd file, in the place of a file record.  @value is the time
 * left, but for a CLOCK_REALTIME or CLOCK_REALTIME_ALARM timer armed
 * with CKPT_TFD_ABSTIME, whose @value is the CLOCK_REALTIME time it
 * expires at.
 */
struct ckpt_hdr_timerfd {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 flags;		/* as ckpt_hdr_eventfd.flags */
	__u32 clockid;		/* CLOCK_* of timerfd_create() */
	__u32 tfd_flags;	/* CKPT_TFD_* it was armed with */
	__u64 value;		/* ns, 0 if disarmed */
	__u64 interval;		/* ns, 0 if it fires once */
	__u64 ticks;		/* expirations not read yet */
};

/* ckpt_epoll_target.flags */
#define CKPT_EPOLL_READY	0x1	/* it was on the ready list */

/*
 * A file an epoll file watches.  Its events are as the kernel has them:
 * EPOLLERR | EPOLLHUP added, and none but the flags for a disarmed
 * EPOLLONESHOT.
 */
struct ckpt_epoll_target {
	__u32 file_ref;		/* objref of the file, defined before */
	__u32 fd;		/* the descriptor it was added as */
	__u32 events;		/* EPOLL* events and flags */
	__u32 flags;		/* CKPT_EPOLL_* */
	__u64 data;		/* epoll_event.data */
};

#define CKPT_EPOLL_TARGETS_MAX	(1U << 20)

/*
 * An epoll file, in the place of a file record, after the records of
 * the files it watches: its interest list by file and descriptor
 */
struct ckpt_hdr_epoll {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 flags;		/* as ckpt_hdr_eventfd.flags */
	__u32 nr_targets;	/* 0..CKPT_EPOLL_TARGETS_MAX */
	__u32 reserved;		/* must be zero */
	struct ckpt_epoll_target targets[];
};

/* ckpt_unix_end.so_flags */
#define CKPT_UNIX_PASSCRED	0x1	/* SO_PASSCRED */
#define CKPT_UNIX_PASSSEC	0x2	/* SO_PASSSEC */
#define CKPT_UNIX_SNDBUF_LOCK	0x4	/* SO_SNDBUF was set */
#define CKPT_UNIX_RCVBUF_LOCK	0x8	/* SO_RCVBUF was set */
#define CKPT_UNIX_PEERCRED	0x10	/* it has peer credentials */
#define CKPT_UNIX_BOUND		0x20	/* bind() gave it its name */
#define CKPT_UNIX_KEEPALIVE	0x40	/* SO_KEEPALIVE (no effect on Unix) */

/* ckpt_unix_end.shutdown */
#define CKPT_UNIX_SHUT_RD	0x1	/* no more receives (RCV_SHUTDOWN) */
#define CKPT_UNIX_SHUT_WR	0x2	/* no more sends (SEND_SHUTDOWN) */

/* Most bytes of the name of a Unix socket: a sun_path and its NUL */
#define CKPT_UNIX_NAME_MAX	109

/*
 * One end of a Unix socket: its file, its name, its options and its
 * receive queue, which the other end sent.  The peer credentials are
 * what SO_PEERCRED reads.  The name is what getsockname() gives: one
 * bind() gave it (CKPT_UNIX_BOUND), or, for a socket accept() returned,
 * its listener's.  A name in the file system has the path of its socket
 * file too, as the checkpointing task saw it.
 */
struct ckpt_unix_end {
	__u32 objref;		/* defines its file's objref; 0: no file */
	__u32 flags;		/* O_ACCMODE, O_NONBLOCK, O_APPEND, O_NOATIME */
	__u32 so_flags;		/* CKPT_UNIX_* */
	__u32 shutdown;		/* CKPT_UNIX_SHUT_* */
	__u32 sndbuf;		/* bytes, as the kernel has them (2x SO_SNDBUF) */
	__u32 rcvbuf;		/* likewise */
	__s32 peek_off;		/* SO_PEEK_OFF, -1 if off */
	__s32 rcvlowat;		/* SO_RCVLOWAT */
	__s64 rcvtimeo;		/* SO_RCVTIMEO, ns; -1 if none */
	__s64 sndtimeo;		/* SO_SNDTIMEO, ns; -1 if none */
	__u32 priority;		/* SO_PRIORITY */
	__u32 err;		/* pending SO_ERROR, a positive errno or 0 */
	__s32 peer_pid;		/* SO_PEERCRED pid, 0 if none */
	__u32 peer_uid;		/* SO_PEERCRED uid */
	__u32 peer_gid;		/* SO_PEERCRED gid */
	__u32 nr_msgs;		/* messages queued to it */
	__u64 nr_bytes;		/* their bytes */
	__u32 name_len;		/* bytes of its name after the data, 0: none */
	__u32 path_len;		/* bytes of its path after the name, NUL too */
};

/* ckpt_hdr_unix_sock.state */
#define CKPT_UNIX_UNCONNECTED	1	/* ends[0] alone, never connected */
#define CKPT_UNIX_PAIR		2	/* ends[0] connected to ends[1] */
#define CKPT_UNIX_PEER_CLOSED	3	/* ends[1] was closed: no objref */
#define CKPT_UNIX_LISTEN	4	/* ends[0] listens, with backlog */
/* ends[0] (no objref if it was closed) connected to listener, ends[1]
 * the socket not accepted yet
 */
#define CKPT_UNIX_PENDING	5

/* Most messages queued to one end */
#define CKPT_UNIX_MSGS_MAX	(1U << 20)

/*
 * A Unix socket, alone or with the one it is connected to, in the place
 * of their file records.  A listening socket is followed by a record of
 * each connection it has not accepted yet.  The message lengths of
 * ends[0] and then of ends[1] follow, zero padded to a multiple of 8,
 * then their data likewise (one message of a SOCK_STREAM socket holds
 * all its bytes), then the name and the path of ends[0] and then those
 * of ends[1], each zero padded to a multiple of 8.  A name is the
 * sun_path getsockname() gives: abstract from a NUL, or a path and its
 * NUL.
 */
struct ckpt_hdr_unix_sock {
	struct ckpt_hdr h;
	__u32 type;		/* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	__u32 state;		/* CKPT_UNIX_* */
	__u32 backlog;		/* LISTEN: the listen() backlog */
	__u32 listener;		/* PENDING: the listener's file objref */
	struct ckpt_unix_end ends[2];
	__u32 msg_len[];
};

/* Bytes of the name of a POSIX message queue, its NUL included */
#define CKPT_MQ_NAME_MAX	256

/*
 * An open POSIX message queue, in the place of a file record: the
 * queue of the image's IPC namespace named @name
 */
struct ckpt_hdr_mq_file {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this file's objref */
	__u32 flags;		/* O_ACCMODE, O_NONBLOCK */
	char name[CKPT_MQ_NAME_MAX];	/* NUL terminated, then zeroes */
};

/* ckpt_fd.flags */
#define CKPT_FD_CLOEXEC		(1U << 0)

struct ckpt_fd {
	__u32 fd;
	__u32 flags;		/* CKPT_FD_* */
	__u32 file_ref;		/* objref of the open file */
	__u32 reserved;		/* must be zero */
};

#define CKPT_FDS_MAX		(1U << 20)

/* A task's descriptor table, by increasing descriptor */
struct ckpt_hdr_fd_table {
	struct ckpt_hdr h;
	__u32 objref;		/* defines the table's objref */
	__u32 nr_fds;		/* 0..CKPT_FDS_MAX */
	struct ckpt_fd fds[];
};

/*
 * A SysV IPC namespace: its sysctls, then @nr_msg queue records,
 * @nr_sem semaphore set records and @nr_shm shared memory records (each
 * with its pages), by increasing id.
 */
struct ckpt_hdr_ipc_ns {
	struct ckpt_hdr h;
	__u32 objref;		/* defines this namespace's objref */
	__u32 nr_msg;
	__u32 nr_sem;
	__u32 nr_shm;
	__u64 shm_ctlmax;	/* kernel.shmmax */
	__u64 shm_ctlall;	/* kernel.shmall */
	__u32 shm_ctlmni;	/* kernel.shmmni */
	__u32 shm_rmid_forced;	/* kernel.shm_rmid_forced */
	__u32 msg_ctlmax;	/* kernel.msgmax */
	__u32 msg_ctlmnb;	/* kernel.msgmnb */
	__u32 msg_ctlmni;	/* kernel.msgmni */
	__s32 sem_ctls[4];	/* kernel.sem: semmsl, semmns, semopm, semmni */
	__u32 reserved2;	/* must be zero */
};

/* ckpt_hdr_uts_ns.flags */
#define CKPT_UTS_OWN		0x1	/* not the checkpointer's namespace */

#define CKPT_UTS_LEN		72

/*
 * The UTS namespace of the tree: with CKPT_UTS_OWN, one of its own,
 * whose names restart sets in a new namespace; without, the
 * checkpointer's, and the restored tree keeps the restarter's names.
 */
struct ckpt_hdr_uts_ns {
	struct ckpt_hdr h;
	__u32 flags;		/* CKPT_UTS_* */
	__u32 reserved;		/* must be zero */
	char hostname[CKPT_UTS_LEN];	/* NUL-terminated */
	char domainname[CKPT_UTS_LEN];	/* NUL-terminated */
};

/* The kern_ipc_perm of an object, ids as the checkpointer sees them */
struct ckpt_ipc_perm {
	__s32 id;		/* what *get() returned */
	__s32 key;
	__u32 uid, gid, cuid, cgid;
	__u32 mode;		/* the 0777 bits */
	__u32 seq;
};

/* A message of a queue: @len bytes of text follow, zero padded to 8 */
struct ckpt_ipc_msg {
	__s64 mtype;		/* > 0 */
	__u32 len;		/* at most kernel.msgmax */
	__u32 reserved;		/* must be zero */
};

/* A message queue, then its @nr_msgs messages in queue order */
struct ckpt_hdr_ipc_msg {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__s64 stime, rtime, ctime;	/* last msgsnd, msgrcv, change */
	__u64 qbytes;		/* msg_qbytes: most bytes the queue holds */
	__u64 cbytes;		/* bytes in the messages */
	__s32 lspid, lrpid;	/* last sender, receiver; 0 if none */
	__u32 nr_msgs;
	__u32 reserved;		/* must be zero */
};

struct ckpt_ipc_sem {
	__s32 semval;		/* 0..SEMVMX */
	__s32 sempid;		/* last to change it, 0 if none */
	__s64 otime;		/* last semop on it */
};

/* A semaphore set and its @nsems semaphores */
struct ckpt_hdr_ipc_sem {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__s64 ctime;		/* creation or last semctl() */
	__u32 nsems;		/* 1..kernel.sem semmsl */
	__u32 reserved;		/* must be zero */
	struct ckpt_ipc_sem sems[];
};

/* ckpt_hdr_ipc_shm.flags */
#define CKPT_SHM_DEST		(1U << 0)	/* removed, still attached */
#define CKPT_SHM_LOCKED		(1U << 1)	/* SHM_LOCK */
#define CKPT_SHM_NORESERVE	(1U << 2)	/* created with SHM_NORESERVE */
#define CKPT_SHM_FLAGS_ALL	((1U << 3) - 1)

/*
 * A shared memory segment; its populated pages follow in pages records
 * whose addresses are offsets in the segment.
 */
struct ckpt_hdr_ipc_shm {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__u64 size;		/* shm_segsz */
	__s64 atime, dtime, ctime;	/* last attach, detach, change */
	__s32 cpid, lpid;	/* creator, last to attach or detach */
	__u32 flags;		/* CKPT_SHM_* */
	__u32 nattch;		/* attachments at checkpoint, for information */
	__u32 objref;		/* defines the segment's objref, for vmas */
	__u32 reserved;		/* must be zero */
};

/*
 * The POSIX message queues of the tree's IPC namespace: its fs.mqueue
 * sysctls, then @nr_queues queue records
 */
struct ckpt_hdr_mq_ns {
	struct ckpt_hdr h;
	__u32 queues_max;
	__u32 msg_max;
	__u32 msgsize_max;
	__u32 msg_default;
	__u32 msgsize_default;
	__u32 nr_queues;
};

/* One message of a POSIX queue: its text follows, zero padded to 8 */
struct ckpt_mq_msg {
	__u32 prio;		/* 0..MQ_PRIO_MAX-1 */
	__u32 len;		/* 0..msgsize */
};

/*
 * A POSIX message queue of the tree's IPC namespace, after the
 * namespace's record: its name in the namespace's mqueue mount, its
 * owner, mode and attributes, then its @nr_msgs messages in the order
 * mq_receive() returns them
 */
struct ckpt_hdr_mq {
	struct ckpt_hdr h;
	__u32 uid;
	__u32 gid;
	__u32 mode;		/* permission bits */
	__u32 nr_msgs;		/* mq_curmsgs */
	__s64 maxmsg;		/* mq_maxmsg */
	__s64 msgsize;		/* mq_msgsize */
	__u64 nr_bytes;		/* the bytes of their texts */
	char name[CKPT_MQ_NAME_MAX];	/* NUL terminated, then zeroes */
};

/*
 * An entry of a semaphore undo list: @nsems adjustments follow, as
 * __s16, zero padded to 8 bytes.
 */
struct ckpt_sem_undo {
	__s32 semid;		/* a set of the image's IPC namespace */
	__u32 nsems;		/* its number of semaphores */
};

/*
 * A task's semaphore undo list, what semop() with SEM_UNDO left for its
 * exit to undo: @nr entries, most recently used first.  It follows the
 * task's IPC namespace, whose sets it names.
 */
struct ckpt_hdr_sem_undo {
	struct ckpt_hdr h;
	__u32 objref;		/* defines the list's objref */
	__u32 nr;		/* entries that follow */
};

#endif /* _UAPI_LINUX_CHECKPOINT_HDR_H */
