/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: what the core's files share, and no subsystem
 * needs.
 */
#ifndef _CHECKPOINT_INTERNAL_H
#define _CHECKPOINT_INTERNAL_H

#include <linux/checkpoint.h>

/* The tables (checkpoint/records.c) */
extern const struct ckpt_record ckpt_records[CKPT_REC_NR];
extern const struct ckpt_subsys *const ckpt_subsystems[];
extern const unsigned int ckpt_nr_subsystems;
extern const struct ckpt_writer ckpt_tree_writers[];
extern const unsigned int ckpt_nr_tree_writers;
extern const struct ckpt_writer ckpt_task_writers[];
extern const unsigned int ckpt_nr_task_writers;
int ckpt_record_find(u32 type);
u32 ckpt_record_min_len(unsigned int rec);
u32 ckpt_record_max_len(unsigned int rec);

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
