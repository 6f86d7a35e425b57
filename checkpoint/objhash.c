// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the objhash.
 *
 * Every kernel object that more than one task (or one record) may share
 * is written once, under a small positive objref; later uses store only
 * the objref.  On checkpoint the objhash maps object pointer to objref,
 * on restart objref to object.  The objhash holds a reference on every
 * object in it, through the ops of the object's type (struct
 * ckpt_obj_ops), which the object's subsystem defines: the objhash
 * knows no type.
 *
 * Objrefs are dense, so they index an xarray; checkpoint also looks
 * objects up by pointer, in an rhashtable.  Both grow with the number of
 * objects, so lookups stay O(1).
 */

#include <linux/checkpoint.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_obj {
	struct rhash_head node;
	void *ptr;
	u32 objref;
	const struct ckpt_obj_ops *ops;
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

/* Whether the objhash owns what restart built for an object of the type */
static bool ckpt_obj_restored(struct ckpt_ctx *ctx,
			      const struct ckpt_obj_ops *ops)
{
	return ctx->kind == CKPT_CTX_RESTART && ops->restored;
}

static struct ckpt_obj *ckpt_obj_find_ptr(struct ckpt_ctx *ctx, void *ptr)
{
	return rhashtable_lookup_fast(&ctx->obj_by_ptr, &ptr, ckpt_obj_params);
}

static struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx, void *ptr,
				     u32 objref, const struct ckpt_obj_ops *ops)
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
	obj->ops = ops;
	ret = xa_insert(&ctx->obj_by_ref, objref, obj, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_free;
	if (ctx->kind == CKPT_CTX_CHECKPOINT) {
		ret = rhashtable_insert_fast(&ctx->obj_by_ptr, &obj->node,
					     ckpt_obj_params);
		if (ret)
			goto err_erase;
	}
	if (ptr && !ckpt_obj_restored(ctx, ops) && ops->grab)
		ops->grab(ptr);
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
 * @ops: its type
 *
 * Return: the objref, or 0 if the object is not in the objhash.
 */
int ckpt_obj_lookup(struct ckpt_ctx *ctx, void *ptr,
		    const struct ckpt_obj_ops *ops)
{
	struct ckpt_obj *obj = ckpt_obj_find_ptr(ctx, ptr);

	return obj && obj->ops == ops ? obj->objref : 0;
}

/**
 * ckpt_obj_checkpoint - give an object its objref, once
 * @ctx: checkpoint context
 * @ptr: the object
 * @ops: its type
 * @first: set to true when the object was not met before, so that the
 *	caller writes its record; false when only the objref is needed
 *
 * Return: the objref (positive), or a negative errno.
 */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, void *ptr,
			const struct ckpt_obj_ops *ops, bool *first)
{
	struct ckpt_obj *obj = ckpt_obj_find_ptr(ctx, ptr);

	*first = false;
	if (obj) {
		if (obj->ops != ops)
			return ckpt_err(ctx, -EINVAL,
					"object %u is a %s, not a %s",
					obj->objref, obj->ops->name, ops->name);
		return obj->objref;
	}
	obj = ckpt_obj_add(ctx, ptr, ctx->next_objref + 1, ops);
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
 * @ops: its type
 *
 * Return: 0, or -EINVAL with a reason if the objref is 0, out of range
 * or already defined.
 */
int ckpt_obj_insert(struct ckpt_ctx *ctx, void *ptr, u32 objref,
		    const struct ckpt_obj_ops *ops)
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
	obj = ckpt_obj_add(ctx, ptr, objref, ops);
	return PTR_ERR_OR_ZERO(obj);
}

/**
 * ckpt_obj_fetch - look up an objref read from an image
 * @ctx: checkpoint context
 * @objref: the objref, from the image
 * @ops: the type the record expects
 *
 * Return: the object, or ERR_PTR(-EINVAL) with a reason if the objref
 * is not defined yet or names an object of another type.
 */
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref,
		     const struct ckpt_obj_ops *ops)
{
	struct ckpt_obj *obj = xa_load(&ctx->obj_by_ref, objref);

	if (!obj) {
		ckpt_err(ctx, -EINVAL,
			 "record at offset %lld: objref %u is not defined",
			 ctx->rec_offset, objref);
		return ERR_PTR(-EINVAL);
	}
	if (obj->ops != ops) {
		ckpt_err(ctx, -EINVAL,
			 "record at offset %lld: objref %u is a %s, expected a %s",
			 ctx->rec_offset, objref, obj->ops->name, ops->name);
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
		if (obj->ptr && ckpt_obj_restored(ctx, obj->ops))
			obj->ops->restored(obj->ptr);
		else if (obj->ptr && obj->ops->drop)
			obj->ops->drop(obj->ptr);
		kfree(obj);
	}
	xa_destroy(&ctx->obj_by_ref);
	if (ctx->kind == CKPT_CTX_CHECKPOINT)
		rhashtable_destroy(&ctx->obj_by_ptr);
	ctx->obj_count = 0;
}
