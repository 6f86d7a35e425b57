/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: what the core's files share, and no subsystem
 * needs.
 */
#ifndef _CHECKPOINT_INTERNAL_H
#define _CHECKPOINT_INTERNAL_H

#include <linux/checkpoint.h>

/* The record table (checkpoint/records.c) */
extern const struct ckpt_subsys *const ckpt_subsystems[];
extern const unsigned int ckpt_nr_subsystems;
int ckpt_record_find(u32 type);
const struct ckpt_record *ckpt_record_get(unsigned int idx);
const struct ckpt_subsys *ckpt_record_subsys(unsigned int idx);
unsigned int ckpt_record_order(const struct ckpt_record *rec,
			       const struct ckpt_rec_place *place);
u32 ckpt_record_min_len(unsigned int idx);
u32 ckpt_record_max_len(unsigned int idx);
int ckpt_write_records(struct ckpt_ctx *ctx, struct task_struct *task,
		       bool task_scope);

/* Objhash (checkpoint/objhash.c) */
int ckpt_obj_init(struct ckpt_ctx *ctx);
void ckpt_obj_free_all(struct ckpt_ctx *ctx);

/* The system calls (checkpoint/sys.c) */
u64 ckpt_next_id(void);

/* The two flows (checkpoint/checkpoint.c, checkpoint/restart.c) */
int checkpoint_task(struct ckpt_ctx *ctx, struct task_struct *task);
int ckpt_do_checkpoint(struct ckpt_ctx *ctx);
int ckpt_do_restart(struct ckpt_ctx *ctx);
int restore_task(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int restore_error(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

#endif /* _CHECKPOINT_INTERNAL_H */
