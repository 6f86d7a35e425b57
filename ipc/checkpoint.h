/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart of SysV IPC and POSIX message queues: what
 * ipc/checkpoint_*.c and ipc/semundo.c share.
 */
#ifndef _IPC_CHECKPOINT_H
#define _IPC_CHECKPOINT_H

#include <linux/checkpoint.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "objects.h"

struct cred;
struct ipc_ids;
struct ipc_namespace;
struct kern_ipc_perm;
struct ckpt_shm;

#define msg_ids(ns)	((ns)->ids[IPC_MSG_IDS])
#define sem_ids(ns)	((ns)->ids[IPC_SEM_IDS])
#define shm_ids(ns)	((ns)->ids[IPC_SHM_IDS])

/**
 * struct ckpt_ipc_restore - where the restart of an IPC namespace is
 * @msg_left: message queue records still expected
 * @sem_left: semaphore set records still expected
 * @shm_left: shared memory records still expected
 * @made: the IPC objects created, to remove if the restart fails
 * @cred: the caller's credentials when it created them
 * @sem_nsems: the semaphore sets of the image: id to number of semaphores
 * @shm_seg: the segment the pages records that follow belong to
 * @shm_segs: every segment restored, for ckpt_shm_finish()
 * @msg_ctlmax: kernel.msgmax of the image's IPC namespace
 * @sem_semmsl: the most semaphores per set in that namespace
 */
struct ckpt_ipc_restore {
	u32 msg_left;
	u32 sem_left;
	u32 shm_left;
	struct list_head made;
	const struct cred *cred;
	struct xarray sem_nsems;
	struct ckpt_shm *shm_seg;
	struct list_head shm_segs;
	u32 msg_ctlmax;
	int sem_semmsl;
};

/**
 * struct ckpt_ipc_made - an object restart created
 * @list: in ckpt_ipc_restore.made, the last made first
 * @kind: IPC_SEM_IDS, IPC_MSG_IDS or IPC_SHM_IDS
 * @id: its id
 */
struct ckpt_ipc_made {
	struct list_head list;
	int kind;
	int id;
};

extern const struct ckpt_obj_ops ckpt_ipc_ns_obj_ops;
extern const struct ckpt_obj_ops ckpt_shm_obj_ops;
extern const struct ckpt_obj_ops ckpt_sem_undo_obj_ops;

/* Objects of any kind (ipc/checkpoint_ns.c) */
void ckpt_ipc_perm_save(struct kern_ipc_perm *perm, struct ckpt_ipc_perm *p);
int ckpt_ipc_perm_check(struct ckpt_ctx *ctx, const char *what,
			struct ckpt_ipc_perm *p);
int ckpt_ipc_created(struct ckpt_ctx *ctx, int kind, struct ckpt_ipc_perm *p,
		     long id);
void ckpt_ipc_made_free(struct ckpt_ipc_made *made);
void ckpt_ipc_next_id(struct ipc_ids *ids, int id);
int ckpt_ipc_create(struct ckpt_ctx *ctx, int kind, struct ckpt_ipc_perm *p,
		    long (*get)(key_t key, int arg, int flags), int arg);
int ckpt_ipc_may_own(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
		     const char *what, struct ckpt_ipc_perm *p);
void ckpt_ipc_owner(struct ckpt_ipc_perm *p, struct kern_ipc_perm *perm);
struct kern_ipc_perm *ckpt_ipc_lock(struct ckpt_ctx *ctx, struct ipc_ids *ids,
				    const char *what, int id);
void ckpt_ipc_unlock(struct kern_ipc_perm *perm);

/* The records of the namespace's objects, which ipc/checkpoint_ns.c lists */
int restore_ipc_msg(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_ipc_sem(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_ipc_shm(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_sem_undo(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

/* One writer per kind of object, under the ids' rwsem */
int checkpoint_msg_queue(struct ckpt_ctx *ctx, struct kern_ipc_perm *perm);
int checkpoint_sem_array(struct ckpt_ctx *ctx, struct kern_ipc_perm *perm);
int checkpoint_shm_segment(struct ckpt_ctx *ctx, struct kern_ipc_perm *perm);

/* Copy the text of @msg, which lives in one page and a chain of segments */
static inline void ckpt_msg_text(void *dst, struct msg_msg *msg)
{
	size_t len = msg->m_ts, n = min_t(size_t, len, DATALEN_MSG), part;
	struct msg_msgseg *seg;

	memcpy(dst, msg + 1, n);
	for (seg = msg->next; seg && n < len; seg = seg->next) {
		part = min_t(size_t, len - n, DATALEN_SEG);
		memcpy(dst + n, seg + 1, part);
		n += part;
	}
}

/* Copy @len bytes of text into @msg, as alloc_msg() laid it out */
static inline void ckpt_msg_fill(struct msg_msg *msg, const void *src,
				 size_t len)
{
	size_t n = min_t(size_t, len, DATALEN_MSG), part;
	struct msg_msgseg *seg;

	memcpy(msg + 1, src, n);
	for (seg = msg->next; seg && n < len; seg = seg->next) {
		part = min_t(size_t, len - n, DATALEN_SEG);
		memcpy(seg + 1, src + n, part);
		n += part;
	}
}

/* Segments, once the tail checked out (ipc/checkpoint_shm.c) */
void ckpt_shm_finish(struct ckpt_ctx *ctx);

/* Undo lists (ipc/semundo.c) */
int checkpoint_sem_undo(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
int ckpt_sem_undo_busy(struct ckpt_ctx *ctx);

#endif /* _IPC_CHECKPOINT_H */
