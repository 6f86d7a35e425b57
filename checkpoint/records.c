// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the tables.
 *
 * ckpt_records[] says, for every record type of
 * include/uapi/linux/checkpoint_records.h, where it
 * may come in an image and which function reads it; ckpt_subsystems[]
 * lists the subsystems whose hooks run at the steps of a restart; the
 * writer tables list, in image order, what checkpoint writes for the
 * tree and for each task.  Adding a record type means a line in
 * checkpoint_records.h, an entry here and the subsystem's own file: see
 * Documentation/checkpoint/records.rst.
 */

#include <linux/checkpoint_fs.h>
#include <linux/checkpoint_ipc.h>
#include <linux/checkpoint_mm.h>
#include <linux/checkpoint_task.h>
#include <linux/kernel.h>

#include "internal.h"

/* The records of the image as a whole, in this order */
enum {
	CKPT_ORDER_TASK = 1,
	CKPT_ORDER_IPC_NS,
	CKPT_ORDER_IPC_MSG,
	CKPT_ORDER_IPC_SEM,
	CKPT_ORDER_IPC_SHM,	/* each segment followed by its pages */
	CKPT_ORDER_SEM_UNDO,
};

/* The records of one task, in this order */
enum {
	CKPT_ORDER_MM = 1,
	CKPT_ORDER_VMA,		/* each vma followed by its pages */
	CKPT_ORDER_CPU,
	CKPT_ORDER_RESTART_BLOCK,
	CKPT_ORDER_XSTATE,
	CKPT_ORDER_SIGNALS,
	CKPT_ORDER_PROC,
	CKPT_ORDER_PRCTL,
	CKPT_ORDER_ITIMERS,
	CKPT_ORDER_FILE,	/* pipes and files, each pipe before its files */
	CKPT_ORDER_FD_TABLE,
	CKPT_ORDER_CREDS,
};

#define CKPT_IN_IMAGE(o, fn)	.image = { .order = CKPT_ORDER_##o, .restore = fn }
#define CKPT_IN_TASK(o, fn)	.task = { .order = CKPT_ORDER_##o, .restore = fn }

const struct ckpt_record ckpt_records[CKPT_REC_NR] = {
	/* read by the core itself (checkpoint/image.c, restart.c) */
	[CKPT_REC_HEADER] = { .name = "header" },
	[CKPT_REC_TAIL] = { .name = "tail" },
	[CKPT_REC_TASK_BEGIN] = { .name = "task begin" },
	[CKPT_REC_ERROR] = {
		.name = "error",
		.image = { .restore = restore_error },
		.task = { .restore = restore_error },
	},
	[CKPT_REC_TASK] = {
		.name = "task",
		.flags = CKPT_REC_REQUIRED,
		CKPT_IN_IMAGE(TASK, restore_task),
	},
#ifdef CONFIG_SYSVIPC
	[CKPT_REC_IPC_NS] = {
		.name = "IPC namespace",
		.what = "IPC namespace",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_ipc_subsys,
		CKPT_IN_IMAGE(IPC_NS, restore_ipc_ns),
	},
	[CKPT_REC_IPC_MSG] = {
		.name = "msg",
		.subsys = &ckpt_ipc_subsys,
		CKPT_IN_IMAGE(IPC_MSG, restore_ipc_msg),
	},
	[CKPT_REC_IPC_SEM] = {
		.name = "sem",
		.subsys = &ckpt_ipc_subsys,
		CKPT_IN_IMAGE(IPC_SEM, restore_ipc_sem),
	},
	[CKPT_REC_IPC_SHM] = {
		.name = "shm",
		.subsys = &ckpt_ipc_subsys,
		CKPT_IN_IMAGE(IPC_SHM, restore_ipc_shm),
	},
	[CKPT_REC_SEM_UNDO] = {
		.name = "sem undo",
		.subsys = &ckpt_ipc_subsys,
		CKPT_IN_IMAGE(SEM_UNDO, restore_sem_undo),
	},
#endif
	[CKPT_REC_MM] = {
		.name = "mm",
		.what = "memory",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_mm_subsys,
		CKPT_IN_TASK(MM, restore_mm),
	},
	[CKPT_REC_VMA] = {
		.name = "vma",
		.subsys = &ckpt_mm_subsys,
		CKPT_IN_TASK(VMA, restore_vma),
	},
	[CKPT_REC_PAGES] = {
		.name = "pages",
		.flags = CKPT_REC_STREAM,
		.subsys = &ckpt_mm_subsys,
#ifdef CONFIG_SYSVIPC
		CKPT_IN_IMAGE(IPC_SHM, restore_shm_pages),
#endif
		CKPT_IN_TASK(VMA, restore_pages),
	},
	[CKPT_REC_CPU] = {
		.name = "cpu",
		.what = "registers",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_arch_subsys,
		CKPT_IN_TASK(CPU, restore_cpu),
	},
	[CKPT_REC_RESTART_BLOCK] = {
		.name = "restart block",
		.flags = CKPT_REC_ONCE,
		.subsys = &ckpt_arch_subsys,
		CKPT_IN_TASK(RESTART_BLOCK, restore_restart_block),
	},
	[CKPT_REC_XSTATE] = {
		.name = "xstate",
		.what = "FPU state",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_arch_subsys,
		CKPT_IN_TASK(XSTATE, restore_xstate),
	},
	[CKPT_REC_SIGNALS] = {
		.name = "signals",
		.what = "signals",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_task_subsys,
		CKPT_IN_TASK(SIGNALS, restore_signals),
	},
	[CKPT_REC_PROC] = {
		.name = "proc",
		.what = "process state",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_task_subsys,
		CKPT_IN_TASK(PROC, restore_proc),
	},
	[CKPT_REC_PRCTL] = {
		.name = "prctl",
		.flags = CKPT_REC_ONCE,
		.subsys = &ckpt_task_subsys,
		CKPT_IN_TASK(PRCTL, restore_prctl),
	},
	[CKPT_REC_ITIMERS] = {
		.name = "itimers",
		.flags = CKPT_REC_ONCE,
		.subsys = &ckpt_task_subsys,
		CKPT_IN_TASK(ITIMERS, restore_itimers),
	},
	[CKPT_REC_PIPE] = {
		.name = "pipe",
		.subsys = &ckpt_fs_subsys,
		CKPT_IN_TASK(FILE, restore_pipe),
	},
	[CKPT_REC_FILE] = {
		.name = "file",
		.subsys = &ckpt_fs_subsys,
		CKPT_IN_TASK(FILE, restore_file),
	},
	[CKPT_REC_FD_TABLE] = {
		.name = "fd table",
		.what = "files",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_fs_subsys,
		CKPT_IN_TASK(FD_TABLE, restore_fd_table),
	},
	[CKPT_REC_CREDS] = {
		.name = "creds",
		.what = "credentials",
		.flags = CKPT_REC_ONCE | CKPT_REC_REQUIRED,
		.subsys = &ckpt_task_subsys,
		CKPT_IN_TASK(CREDS, restore_creds),
	},
};

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

/**
 * ckpt_record_find - the index of a record type
 * @type: the type, from a record header
 *
 * Return: its index in ckpt_records[], or -1 for a type no image has.
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
 * ckpt_record_min_len - the least length of a record type
 * @rec: its index
 *
 * Return: the length, header included.
 */
u32 ckpt_record_min_len(unsigned int rec)
{
	return ckpt_rec_layout[rec].min_len;
}

/**
 * ckpt_record_max_len - the most length of a record type
 * @rec: its index
 *
 * Return: the length, header included.
 */
u32 ckpt_record_max_len(unsigned int rec)
{
	return ckpt_rec_layout[rec].max_len;
}

/* In the order their hooks run */
const struct ckpt_subsys *const ckpt_subsystems[] = {
	&ckpt_mm_subsys,
#ifdef CONFIG_SYSVIPC
	&ckpt_ipc_subsys,
#endif
	&ckpt_arch_subsys,
	&ckpt_task_subsys,
	&ckpt_fs_subsys,
};

const unsigned int ckpt_nr_subsystems = ARRAY_SIZE(ckpt_subsystems);

static int ckpt_write_tasks(struct ckpt_ctx *ctx, struct task_struct *root)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = checkpoint_task(ctx, ctx->tasks[i]);
	return ret;
}

/* What the tree and its namespaces write, after the header */
const struct ckpt_writer ckpt_tree_writers[] = {
	{ "tasks", ckpt_write_tasks },
#ifdef CONFIG_SYSVIPC
	{ "IPC namespace", checkpoint_ipc_ns },
#endif
	{ "pipe readers", ckpt_collect_pipe_readers },
};

const unsigned int ckpt_nr_tree_writers = ARRAY_SIZE(ckpt_tree_writers);

/* What each task writes, after its task begin record */
const struct ckpt_writer ckpt_task_writers[] = {
	{ "memory", checkpoint_mm },
	{ "registers", checkpoint_cpu },
	{ "signals", checkpoint_signals },
	{ "process state", checkpoint_proc },
	{ "prctl settings", checkpoint_prctl },
	{ "interval timers", checkpoint_itimers },
	{ "files", checkpoint_files },
	{ "credentials", checkpoint_creds },
};

const unsigned int ckpt_nr_task_writers = ARRAY_SIZE(ckpt_task_writers);
