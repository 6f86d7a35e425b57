// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the objhash.
 *
 * Every kernel object that more than one task (or one record) may share
 * is written once, under a small positive objref; later uses store only
 * the objref.  On checkpoint the objhash maps object pointer to objref,
 * on restart objref to object.  The objhash holds a reference on every
 * object in it, through the ops of the object's type.
 */

#include <linux/checkpoint.h>
#include <linux/hash.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

struct ckpt_obj {
	struct hlist_node by_ptr;
	struct hlist_node by_ref;
	void *ptr;
	u32 objref;
	enum ckpt_obj_type type;
};

struct ckpt_obj_ops {
	const char *name;
	void (*grab)(void *ptr);
	void (*drop)(void *ptr);
};

static void ckpt_obj_task_grab(void *ptr)
{
	get_task_struct((struct task_struct *)ptr);
}

static void ckpt_obj_task_drop(void *ptr)
{
	put_task_struct((struct task_struct *)ptr);
}

static const struct ckpt_obj_ops ckpt_obj_ops[CKPT_OBJ_MAX] = {
	[CKPT_OBJ_TASK] = {
		.name = "task",
		.grab = ckpt_obj_task_grab,
		.drop = ckpt_obj_task_drop,
	},
};

static struct ckpt_obj *ckpt_obj_find_ptr(struct ckpt_ctx *ctx, void *ptr)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(ctx->obj_by_ptr, obj, by_ptr, (unsigned long)ptr)
		if (obj->ptr == ptr)
			return obj;
	return NULL;
}

static struct ckpt_obj *ckpt_obj_find_ref(struct ckpt_ctx *ctx, u32 objref)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(ctx->obj_by_ref, obj, by_ref, objref)
		if (obj->objref == objref)
			return obj;
	return NULL;
}

static struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx, void *ptr,
				     u32 objref, enum ckpt_obj_type type)
{
	struct ckpt_obj *obj;

	if (ctx->obj_count >= CKPT_OBJ_MAX_COUNT) {
		ckpt_err(ctx, -E2BIG, "more than %u shared objects",
			 CKPT_OBJ_MAX_COUNT);
		return ERR_PTR(-E2BIG);
	}
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->ptr = ptr;
	obj->objref = objref;
	obj->type = type;
	ckpt_obj_ops[type].grab(ptr);
	hash_add(ctx->obj_by_ptr, &obj->by_ptr, (unsigned long)ptr);
	hash_add(ctx->obj_by_ref, &obj->by_ref, objref);
	ctx->obj_count++;
	return obj;
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
	obj = ckpt_obj_add(ctx, ptr, ++ctx->next_objref, type);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	*first = true;
	return obj->objref;
}

/**
 * ckpt_obj_insert - define an objref read from an image
 * @ctx: checkpoint context
 * @ptr: the object built for it
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
	if (ckpt_obj_find_ref(ctx, objref))
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
	struct ckpt_obj *obj = ckpt_obj_find_ref(ctx, objref);

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
	struct hlist_node *tmp;
	struct ckpt_obj *obj;
	int bkt;

	hash_for_each_safe(ctx->obj_by_ref, bkt, tmp, obj, by_ref) {
		hash_del(&obj->by_ref);
		hash_del(&obj->by_ptr);
		ckpt_obj_ops[obj->type].drop(obj->ptr);
		kfree(obj);
	}
	ctx->obj_count = 0;
}
