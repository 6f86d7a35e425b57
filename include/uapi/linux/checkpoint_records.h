/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: every record type of the image format, once,
 * with the least and the most length of its records, header included.
 *
 * Define CKPT_RECORD(name, min, max) and include this file to build a
 * table: CKPT_HDR_##name is the type (linux/checkpoint_hdr.h).  The
 * kernel's record table, ckptinfo and the fuzzer are built from it, so
 * that a new record type is a struct, a number and a line here.
 *
 * The list is in image order: within the records of the image as a
 * whole, and within those of one task, a record type comes after the
 * types above it (a type may share its place with another, as pages do
 * with their vma).  A new type goes where its records come.
 */
#include <linux/checkpoint_hdr.h>

#ifndef CKPT_RECORD
#define CKPT_RECORD(name, min, max)
#endif

CKPT_RECORD(HEADER, sizeof(struct ckpt_hdr_header),
	    sizeof(struct ckpt_hdr_header))
CKPT_RECORD(ERROR, sizeof(struct ckpt_hdr_error) + 8,
	    sizeof(struct ckpt_hdr_error) + CKPT_ERROR_MSG_MAX)
CKPT_RECORD(TASK, sizeof(struct ckpt_hdr_task), sizeof(struct ckpt_hdr_task))
CKPT_RECORD(UTS_NS, sizeof(struct ckpt_hdr_uts_ns),
	    sizeof(struct ckpt_hdr_uts_ns))
CKPT_RECORD(IPC_NS, sizeof(struct ckpt_hdr_ipc_ns),
	    sizeof(struct ckpt_hdr_ipc_ns))
CKPT_RECORD(IPC_MSG, sizeof(struct ckpt_hdr_ipc_msg), CKPT_RECORD_MAX)
CKPT_RECORD(IPC_SEM, sizeof(struct ckpt_hdr_ipc_sem), CKPT_RECORD_MAX)
CKPT_RECORD(IPC_SHM, sizeof(struct ckpt_hdr_ipc_shm),
	    sizeof(struct ckpt_hdr_ipc_shm))
CKPT_RECORD(SEM_UNDO, sizeof(struct ckpt_hdr_sem_undo), CKPT_RECORD_MAX)
CKPT_RECORD(MQ_NS, sizeof(struct ckpt_hdr_mq_ns),
	    sizeof(struct ckpt_hdr_mq_ns))
CKPT_RECORD(MQ, sizeof(struct ckpt_hdr_mq), CKPT_RECORD_MAX)
CKPT_RECORD(TASK_BEGIN, sizeof(struct ckpt_hdr_task_begin),
	    sizeof(struct ckpt_hdr_task_begin))
CKPT_RECORD(MM, sizeof(struct ckpt_hdr_mm),
	    sizeof(struct ckpt_hdr_mm) + CKPT_PATH_MAX)
CKPT_RECORD(VMA, sizeof(struct ckpt_hdr_vma),
	    sizeof(struct ckpt_hdr_vma) + CKPT_PATH_MAX)
CKPT_RECORD(PAGES, sizeof(struct ckpt_hdr_pages), CKPT_RECORD_MAX)
CKPT_RECORD(CPU, sizeof(struct ckpt_hdr_cpu), sizeof(struct ckpt_hdr_cpu))
CKPT_RECORD(RESTART_BLOCK, CKPT_RESTART_BLOCK_V2_LEN,
	    sizeof(struct ckpt_hdr_restart_block))
CKPT_RECORD(XSTATE, sizeof(struct ckpt_hdr_xstate) + 8, CKPT_XSTATE_MAX)
CKPT_RECORD(SIGNALS, sizeof(struct ckpt_hdr_signals),
	    sizeof(struct ckpt_hdr_signals) +
	    CKPT_PENDING_MAX * sizeof(struct ckpt_siginfo))
CKPT_RECORD(PROC, sizeof(struct ckpt_hdr_proc) + 8,
	    sizeof(struct ckpt_hdr_proc) + 2 * CKPT_PATH_MAX)
CKPT_RECORD(PRCTL, sizeof(struct ckpt_hdr_prctl),
	    sizeof(struct ckpt_hdr_prctl))
CKPT_RECORD(ITIMERS, sizeof(struct ckpt_hdr_itimers),
	    sizeof(struct ckpt_hdr_itimers))
CKPT_RECORD(THREAD_ADDRS, sizeof(struct ckpt_hdr_thread_addrs),
	    sizeof(struct ckpt_hdr_thread_addrs))
CKPT_RECORD(PIPE, sizeof(struct ckpt_hdr_pipe), CKPT_RECORD_MAX)
CKPT_RECORD(FILE, sizeof(struct ckpt_hdr_file),
	    sizeof(struct ckpt_hdr_file) + CKPT_PATH_MAX)
CKPT_RECORD(EVENTFD, sizeof(struct ckpt_hdr_eventfd),
	    sizeof(struct ckpt_hdr_eventfd))
CKPT_RECORD(SIGNALFD, sizeof(struct ckpt_hdr_signalfd),
	    sizeof(struct ckpt_hdr_signalfd))
CKPT_RECORD(TIMERFD, sizeof(struct ckpt_hdr_timerfd),
	    sizeof(struct ckpt_hdr_timerfd))
CKPT_RECORD(UNIX_SOCK, sizeof(struct ckpt_hdr_unix_sock), CKPT_RECORD_MAX)
CKPT_RECORD(MQ_FILE, sizeof(struct ckpt_hdr_mq_file),
	    sizeof(struct ckpt_hdr_mq_file))
CKPT_RECORD(EPOLL, sizeof(struct ckpt_hdr_epoll),
	    sizeof(struct ckpt_hdr_epoll) +
	    CKPT_EPOLL_TARGETS_MAX * sizeof(struct ckpt_epoll_target))
CKPT_RECORD(FD_TABLE, sizeof(struct ckpt_hdr_fd_table),
	    sizeof(struct ckpt_hdr_fd_table) +
	    CKPT_FDS_MAX * sizeof(struct ckpt_fd))
CKPT_RECORD(CREDS, sizeof(struct ckpt_hdr_creds),
	    sizeof(struct ckpt_hdr_creds) + CKPT_GROUPS_MAX * sizeof(__u32))
CKPT_RECORD(TAIL, sizeof(struct ckpt_hdr_tail), sizeof(struct ckpt_hdr_tail))

#undef CKPT_RECORD
