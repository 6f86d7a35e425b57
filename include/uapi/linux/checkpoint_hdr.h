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
#define CKPT_FORMAT_VERSION	1

/* ckpt_hdr_header.arch */
#define CKPT_ARCH_X86_64	1

/* Largest record restart accepts, header included */
#define CKPT_RECORD_MAX		(1U << 26)

/* Record types */
#define CKPT_HDR_HEADER		1	/* struct ckpt_hdr_header */
#define CKPT_HDR_TAIL		2	/* struct ckpt_hdr_tail */
#define CKPT_HDR_ERROR		3	/* struct ckpt_hdr_error */
#define CKPT_HDR_TASK		101	/* struct ckpt_hdr_task */

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
	__u32 reserved;		/* must be zero */
	char comm[CKPT_COMM_LEN];	/* NUL-terminated */
};

#endif /* _UAPI_LINUX_CHECKPOINT_HDR_H */
