// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the record table.
 *
 * Every subsystem lists its record types in its struct ckpt_subsys, next
 * to the functions that write and read them; ckpt_subsystems[] lists
 * the subsystems.  At boot the lists are joined into one table by
 * record type, with the numbers and lengths of
 * include/uapi/linux/checkpoint_records.h, whose order is image order.
 * Both flows go through the table: checkpoint writes the records of a
 * scope in that order, restart checks the length and the place of each
 * record and hands it to its reader.  Adding a record type means a line
 * in checkpoint_records.h and an entry in the subsystem's own file: see
 * Documentation/checkpoint/internals.rst.
 */

#include <linux/cache.h>
#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_mm.h>
#include <linux/checkpoint_net.h>
#include <linux/checkpoint_task.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>

#include "internal.h"

static int ckpt_write_tasks(struct ckpt_ctx *ctx, struct task_struct *root)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = checkpoint_task(ctx, ctx->tasks[i]);
	return ret;
}

/* The records the core writes and reads itself (image.c, restart.c) */
static const struct ckpt_record ckpt_core_records[] = {
	{ .index = CKPT_REC_HEADER, .name = "header" },
	{
		.index = CKPT_REC_ERROR,
		.name = "error",
		.flags = CKPT_REC_ANYWHERE,
		.image = { .restore = restore_error },
		.task = { .restore = restore_error },
	},
	{
		.index = CKPT_REC_TASK,
		.name = "task",
		.flags = CKPT_REC_REQUIRED,
		.image = { .write = ckpt_write_tasks, .restore = restore_task },
	},
	{ .index = CKPT_REC_TASK_BEGIN, .name = "task begin" },
	{ .index = CKPT_REC_TAIL, .name = "tail" },
};

static const struct ckpt_subsys ckpt_core_subsys = {
	.name = "core",
	.records = ckpt_core_records,
	.nr_records = ARRAY_SIZE(ckpt_core_records),
};

/* In the order their hooks run */
const struct ckpt_subsys *const ckpt_subsystems[] = {
	&ckpt_core_subsys,
	&ckpt_mm_subsys,
#ifdef CONFIG_SYSVIPC
	&ckpt_ipc_subsys,
#endif
#ifdef CONFIG_POSIX_MQUEUE
	&ckpt_mq_subsys,
#endif
	&ckpt_uts_subsys,
	&ckpt_arch_subsys,
	&ckpt_task_subsys,
	&ckpt_fs_subsys,
	&ckpt_event_subsys,
#ifdef CONFIG_UNIX
	&ckpt_unix_subsys,
#endif
};

const unsigned int ckpt_nr_subsystems = ARRAY_SIZE(ckpt_subsystems);

/* The numbers and lengths of linux/checkpoint_records.h, by index */
static const struct ckpt_rec_layout {
	u32 type;
	u32 min_len;
	u32 max_len;
} ckpt_rec_layout[CKPT_REC_NR] = {
#define CKPT_RECORD(name, min, max)					\
	[CKPT_REC_##name] = { CKPT_HDR_##name, min, max },
#include <uapi/linux/checkpoint_records.h>
};

/* The record types this kernel knows, and their subsystems, by index */
static const struct ckpt_record *ckpt_rec_table[CKPT_REC_NR] __ro_after_init;
static const struct ckpt_subsys *ckpt_rec_subsys[CKPT_REC_NR] __ro_after_init;

static int __init ckpt_records_init(void)
{
	const struct ckpt_subsys *ss;
	const struct ckpt_record *rec;
	unsigned int i, j;

	for (i = 0; i < ckpt_nr_subsystems; i++) {
		ss = ckpt_subsystems[i];
		for (j = 0; j < ss->nr_records; j++) {
			rec = &ss->records[j];
			if (rec->index >= CKPT_REC_NR ||
			    ckpt_rec_table[rec->index]) {
				pr_err("checkpoint: %s: record %s: bad or second index %u\n",
				       ss->name, rec->name, rec->index);
				continue;
			}
			ckpt_rec_table[rec->index] = rec;
			ckpt_rec_subsys[rec->index] = ss;
		}
	}
	return 0;
}
core_initcall(ckpt_records_init);

/**
 * ckpt_record_find - the index of a record type
 * @type: the type, from a record header
 *
 * Return: its CKPT_REC_* index, or -1 for a type no image has.
 */
int ckpt_record_find(u32 type)
{
	unsigned int i;

	for (i = 0; i < CKPT_REC_NR; i++)
		if (ckpt_rec_layout[i].type == type)
			return i;
	return -1;
}

/**
 * ckpt_record_get - a record type, as this kernel writes and reads it
 * @idx: its CKPT_REC_* index
 *
 * Return: its entry, or NULL if this kernel does not support the type
 * (a subsystem that is not built in).
 */
const struct ckpt_record *ckpt_record_get(unsigned int idx)
{
	return idx < CKPT_REC_NR ? ckpt_rec_table[idx] : NULL;
}

/**
 * ckpt_record_subsys - the subsystem of a record type
 * @idx: its CKPT_REC_* index, of a type ckpt_record_get() knows
 *
 * Return: the subsystem that lists it.
 */
const struct ckpt_subsys *ckpt_record_subsys(unsigned int idx)
{
	return ckpt_rec_subsys[idx];
}

/**
 * ckpt_record_order - the place of a record type in one scope
 * @rec: the type
 * @place: its place in that scope, @rec->image or @rec->task
 *
 * Return: the records of a scope come by increasing order; those of the
 * same order may mix.
 */
unsigned int ckpt_record_order(const struct ckpt_record *rec,
			       const struct ckpt_rec_place *place)
{
	return (place->with ?: rec->index) + 1;
}

/**
 * ckpt_record_min_len - the least length of a record type
 * @idx: its CKPT_REC_* index
 *
 * Return: the length, header included.
 */
u32 ckpt_record_min_len(unsigned int idx)
{
	return ckpt_rec_layout[idx].min_len;
}

/**
 * ckpt_record_max_len - the most length of a record type
 * @idx: its CKPT_REC_* index
 *
 * Return: the length, header included.
 */
u32 ckpt_record_max_len(unsigned int idx)
{
	return ckpt_rec_layout[idx].max_len;
}

/**
 * ckpt_write_records - write the records of one scope, in image order
 * @ctx: checkpoint context
 * @task: the task whose records they are; the root, for the image scope
 * @task_scope: the records of one task, rather than of the image
 *
 * A thread other than its group's leader writes no CKPT_REC_PROCESS
 * record: those of its leader are its own too.
 *
 * Return: 0 or a negative errno; the first failure stops the writing.
 */
int ckpt_write_records(struct ckpt_ctx *ctx, struct task_struct *task,
		       bool task_scope)
{
	const struct ckpt_rec_place *place;
	const struct ckpt_record *rec;
	unsigned int i;
	int ret;

	for (i = 0; i < CKPT_REC_NR; i++) {
		rec = ckpt_rec_table[i];
		if (!rec)
			continue;
		place = task_scope ? &rec->task : &rec->image;
		if (!place->write ||
		    (rec->flags & CKPT_REC_PROCESS && !thread_group_leader(task)))
			continue;
		ret = place->write(ctx, task);
		if (ret)
			return ret;
	}
	return 0;
}
