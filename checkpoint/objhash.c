// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the objhash.
 *
 * Every kernel object that more than one task (or one record) may share
 * is written once, under a small positive objref; later uses store only
 * the objref.  On checkpoint the objhash maps object pointer to objref,
 * on restart objref to object.  The objhash holds a reference on every
 * object in it, through the ops of the object's type.
 *
 * Objrefs are dense, so they index an xarray; checkpoint also looks
 * objects up by pointer, in an rhashtable.  Both grow with the number of
 * objects, so lookups stay O(1).
 */

#include <linux/checkpoint.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/rhashtable.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

struct ckpt_obj {
	struct rhash_head node;
	void *ptr;
	u32 objref;
	enum ckpt_obj_type type;
};

/*
 * @restored: on restart, what restart builds for objects of the type
 * (not a kernel object) is the objhash's, and this frees it; @grab and
 * @drop are for checkpoint only.
 */
struct ckpt_obj_ops {
	const char *name;
	void (*grab)(void *ptr);
	void (*drop)(void *ptr);
	void (*restored)(void *ptr);
};

static void ckpt_obj_task_grab(void *ptr)
{
	get_task_struct(ptr);
}

static void ckpt_obj_task_drop(void *ptr)
{
	put_task_struct(ptr);
}

static void ckpt_obj_task_free(void *ptr)
{
	ckpt_task_free(ptr);
}

static void ckpt_obj_mm_grab(void *ptr)
{
	mmgrab(ptr);
}

static void ckpt_obj_mm_drop(void *ptr)
{
	mmdrop(ptr);
}

static void ckpt_obj_inode_grab(void *ptr)
{
	ihold(ptr);
}

static void ckpt_obj_inode_drop(void *ptr)
{
	iput(ptr);
}

static void ckpt_obj_file_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_obj_file_drop(void *ptr)
{
	fput(ptr);
}

static void ckpt_obj_files_grab(void *ptr)
{
	struct files_struct *files = ptr;

	atomic_inc(&files->count);
}

static void ckpt_obj_files_drop(void *ptr)
{
	put_files_struct(ptr);
}

/* Pipes and segments being rebuilt belong to the objhash alone */
static void ckpt_obj_owned_grab(void *ptr)
{
}

static void ckpt_obj_pipe_drop(void *ptr)
{
	ckpt_pipe_free(ptr);
}

static void ckpt_obj_ipc_ns_grab(void *ptr)
{
	get_ipc_ns(ptr);
}

static void ckpt_obj_ipc_ns_drop(void *ptr)
{
	put_ipc_ns(ptr);
}

static void ckpt_obj_shm_drop(void *ptr)
{
	ckpt_shm_free(ptr);
}

/*
 * An undo list is only a key: a reference would keep its adjustments
 * from being applied when the task exits
 */
static void ckpt_obj_key_drop(void *ptr)
{
}

static const struct ckpt_obj_ops ckpt_obj_ops[CKPT_OBJ_MAX] = {
	[CKPT_OBJ_TASK] = {
		.name = "task",
		.grab = ckpt_obj_task_grab,
		.drop = ckpt_obj_task_drop,
		.restored = ckpt_obj_task_free,
	},
	[CKPT_OBJ_MM] = {
		.name = "mm",
		.grab = ckpt_obj_mm_grab,
		.drop = ckpt_obj_mm_drop,
	},
	[CKPT_OBJ_INODE] = {
		.name = "inode",
		.grab = ckpt_obj_inode_grab,
		.drop = ckpt_obj_inode_drop,
	},
	[CKPT_OBJ_FILE] = {
		.name = "file",
		.grab = ckpt_obj_file_grab,
		.drop = ckpt_obj_file_drop,
	},
	[CKPT_OBJ_SHMEM] = {
		.name = "shared memory",
		.grab = ckpt_obj_file_grab,
		.drop = ckpt_obj_file_drop,
	},
	[CKPT_OBJ_FILES] = {
		.name = "fd table",
		.grab = ckpt_obj_files_grab,
		.drop = ckpt_obj_files_drop,
	},
	[CKPT_OBJ_PIPE] = {
		.name = "pipe",
		.grab = ckpt_obj_owned_grab,
		.drop = ckpt_obj_pipe_drop,
	},
	[CKPT_OBJ_IPC_NS] = {
		.name = "IPC namespace",
		.grab = ckpt_obj_ipc_ns_grab,
		.drop = ckpt_obj_ipc_ns_drop,
	},
	[CKPT_OBJ_SHM_SEG] = {
		.name = "shm segment",
		.grab = ckpt_obj_owned_grab,
		.drop = ckpt_obj_shm_drop,
	},
	[CKPT_OBJ_SEM_UNDO] = {
		.name = "sem undo list",
		.grab = ckpt_obj_owned_grab,
		.drop = ckpt_obj_key_drop,
		.restored = ckpt_sem_undo_free,
	},
};

static const struct rhashtable_params ckpt_obj_params = {
	.key_len = sizeof(void *),
	.key_offset = offsetof(struct ckpt_obj, ptr),
	.head_offset = offsetof(struct ckpt_obj, node),
};

/**
 * ckpt_obj_init - set up an empty objhash
 * @ctx: checkpoint context
 *
 * Return: 0 or -ENOMEM.
 */
int ckpt_obj_init(struct ckpt_ctx *ctx)
{
	xa_init(&ctx->obj_by_ref);
	if (ctx->kind != CKPT_CTX_CHECKPOINT)
		return 0;
	return rhashtable_init(&ctx->obj_by_ptr, &ckpt_obj_params);
}

/* Whether the objhash owns what restart built for an object of @type */
static bool ckpt_obj_restored(struct ckpt_ctx *ctx, enum ckpt_obj_type type)
{
	return ctx->kind == CKPT_CTX_RESTART && ckpt_obj_ops[type].restored;
}

static struct ckpt_obj *ckpt_obj_find_ptr(struct ckpt_ctx *ctx, void *ptr)
{
	return rhashtable_lookup_fast(&ctx->obj_by_ptr, &ptr, ckpt_obj_params);
}

static struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx, void *ptr,
				     u32 objref, enum ckpt_obj_type type)
{
	struct ckpt_obj *obj;
	int ret;

	if (ctx->obj_count >= CKPT_OBJ_MAX_COUNT) {
		ckpt_err(ctx, -E2BIG, "more than %u shared objects",
			 CKPT_OBJ_MAX_COUNT);
		return ERR_PTR(-E2BIG);
	}
	obj = kmalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->ptr = ptr;
	obj->objref = objref;
	obj->type = type;
	ret = xa_insert(&ctx->obj_by_ref, objref, obj, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_free;
	if (ctx->kind == CKPT_CTX_CHECKPOINT) {
		ret = rhashtable_insert_fast(&ctx->obj_by_ptr, &obj->node,
					     ckpt_obj_params);
		if (ret)
			goto err_erase;
	}
	if (ptr && !ckpt_obj_restored(ctx, type))
		ckpt_obj_ops[type].grab(ptr);
	ctx->obj_count++;
	return obj;

err_erase:
	xa_erase(&ctx->obj_by_ref, objref);
err_free:
	kfree(obj);
	return ERR_PTR(ret);
}

/**
 * ckpt_obj_lookup - find the objref of an object already met
 * @ctx: checkpoint context
 * @ptr: the object
 * @type: its type
 *
 * Return: the objref, or 0 if the object is not in the objhash.
 */
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr, enum ckpt_obj_type type)
{
	struct ckpt_obj *obj = ckpt_obj_find_ptr(ctx, ptr);

	return obj && obj->type == type ? obj->objref : 0;
}

/**
 * ckpt_obj_checkpoint - give an object its objref, once
 * @ctx: checkpoint context
 * @ptr: the object
 * @type: its type
 * @first: set to true when the object was not met before, so that the
 *	caller writes its record; false when only the objref is needed
 *
 * Return: the objref (positive), or a negative errno.
 */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			enum ckpt_obj_type type, bool *first)
{
	struct ckpt_obj *obj = ckpt_obj_find_ptr(ctx, ptr);

	*first = false;
	if (obj) {
		if (obj->type != type)
			return ckpt_err(ctx, -EINVAL,
					"object %u is a %s, not a %s",
					obj->objref,
					ckpt_obj_ops[obj->type].name,
					ckpt_obj_ops[type].name);
		return obj->objref;
	}
	obj = ckpt_obj_add(ctx, ptr, ctx->next_objref + 1, type);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ctx->next_objref++;
	*first = true;
	return obj->objref;
}

/**
 * ckpt_obj_insert - define an objref read from an image
 * @ctx: checkpoint context
 * @ptr: the object built for it; NULL with RESTART_VALIDATE, where
 *	nothing is built
 * @objref: the objref, from the image
 * @type: its type
 *
 * Return: 0, or -EINVAL with a reason if the objref is 0, out of range
 * or already defined.
 */
int ckpt_obj_insert(struct ckpt_ctx *ctx, void *ptr, u32 objref,
		    enum ckpt_obj_type type)
{
	struct ckpt_obj *obj;

	if (!objref || objref > CKPT_OBJ_MAX_COUNT)
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: objref %u is out of range",
				ctx->rec_offset, objref);
	if (xa_load(&ctx->obj_by_ref, objref))
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: objref %u defined twice",
				ctx->rec_offset, objref);
	obj = ckpt_obj_add(ctx, ptr, objref, type);
	return PTR_ERR_OR_ZERO(obj);
}

/**
 * ckpt_obj_fetch - look up an objref read from an image
 * @ctx: checkpoint context
 * @objref: the objref, from the image
 * @type: the type the record expects
 *
 * Return: the object, or ERR_PTR(-EINVAL) with a reason if the objref
 * is not defined yet or names an object of another type.
 */
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     enum ckpt_obj_type type)
{
	struct ckpt_obj *obj = xa_load(&ctx->obj_by_ref, objref);

	if (!obj) {
		ckpt_err(ctx, -EINVAL,
			 "record at offset %lld: objref %u is not defined",
			 ctx->rec_offset, objref);
		return ERR_PTR(-EINVAL);
	}
	if (obj->type != type) {
		ckpt_err(ctx, -EINVAL,
			 "record at offset %lld: objref %u is a %s, expected a %s",
			 ctx->rec_offset, objref, ckpt_obj_ops[obj->type].name,
			 ckpt_obj_ops[type].name);
		return ERR_PTR(-EINVAL);
	}
	return obj->ptr;
}

/**
 * ckpt_obj_free_all - empty the objhash, dropping its references
 * @ctx: checkpoint context
 */
void ckpt_obj_free_all(struct ckpt_ctx *ctx)
{
	struct ckpt_obj *obj;
	unsigned long index;

	xa_for_each(&ctx->obj_by_ref, index, obj) {
		if (obj->ptr && ckpt_obj_restored(ctx, obj->type))
			ckpt_obj_ops[obj->type].restored(obj->ptr);
		else if (obj->ptr)
			ckpt_obj_ops[obj->type].drop(obj->ptr);
		kfree(obj);
	}
	xa_destroy(&ctx->obj_by_ref);
	if (ctx->kind == CKPT_CTX_CHECKPOINT)
		rhashtable_destroy(&ctx->obj_by_ptr);
	ctx->obj_count = 0;
}
