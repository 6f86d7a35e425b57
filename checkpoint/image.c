// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the image stream and the log.
 *
 * The image is written and read strictly in order through a buffer, with
 * no seek, so that pipes and sockets work as well as regular files.  A
 * running CRC-32C covers every byte; the tail record carries it.
 */

#include <linux/checkpoint.h>
#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/uio.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#define CKPT_BUF_SIZE	(256 * 1024)

/*
 * The CRC-32C of the image.  crc32c() goes through the crypto API, which
 * picks the CPU's crc32 instruction where there is one; where that is
 * emulated (QEMU TCG) the table-driven __crc32c_le() is several times
 * faster.  The faster of the two on this machine is chosen at boot.
 */
static u32 (*ckpt_crc_fn)(u32 crc, const void *data, unsigned int len) = crc32c;

static u32 ckpt_crc_table(u32 crc, const void *data, unsigned int len)
{
	return __crc32c_le(crc, data, len);
}

static u32 ckpt_crc(u32 crc, const void *data, size_t len)
{
	return ckpt_crc_fn(crc, data, len);
}

static u64 ckpt_crc_time(u32 (*fn)(u32, const void *, unsigned int),
			 const void *buf, size_t len)
{
	u64 t0 = ktime_get_ns();
	u32 crc = ~0U;
	int i;

	for (i = 0; i < 4; i++)
		crc = fn(crc, buf, len);
	barrier_data(&crc);
	return ktime_get_ns() - t0;
}

static int __init ckpt_crc_init(void)
{
	size_t len = 16 * PAGE_SIZE;
	u64 hw, table;
	void *buf;

	buf = vzalloc(len);
	if (!buf)
		return 0;
	if (crc32c(~0U, buf, len) != __crc32c_le(~0U, buf, len)) {
		vfree(buf);
		return 0;
	}
	hw = ckpt_crc_time(crc32c, buf, len);
	table = ckpt_crc_time(ckpt_crc_table, buf, len);
	if (table < hw)
		ckpt_crc_fn = ckpt_crc_table;
	pr_info("checkpoint: crc32c %s (%llu ns for 256 KiB, other %llu ns)\n",
		table < hw ? "table-driven" : "crypto api",
		min(hw, table), max(hw, table));
	vfree(buf);
	return 0;
}
late_initcall(ckpt_crc_init);

static ssize_t ckpt_file_io(struct file *file, void *buf, size_t len,
			    bool write)
{
	loff_t pos, *ppos = NULL;
	ssize_t ret;

	if (!(file->f_mode & FMODE_STREAM)) {
		pos = file->f_pos;
		ppos = &pos;
	}
	if (write)
		ret = kernel_write(file, buf, len, ppos);
	else
		ret = kernel_read(file, buf, len, ppos);
	if (ppos && ret > 0)
		file->f_pos = pos;
	/* A half-consumed stream cannot be restarted: never -ERESTART* */
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		ret = -EINTR;
	return ret;
}

/* Move @iter's bytes to or from the image file, all of them */
static ssize_t ckpt_file_iter(struct ckpt_ctx *ctx, struct iov_iter *iter,
			      bool write)
{
	struct file *file = ctx->file;
	loff_t pos, *ppos = NULL;
	size_t total = iov_iter_count(iter);
	ssize_t n = 0;

	if (!(file->f_mode & FMODE_STREAM)) {
		pos = file->f_pos;
		ppos = &pos;
	}
	while (iov_iter_count(iter)) {
		if (fatal_signal_pending(current)) {
			n = -EINTR;
			break;
		}
		if (write)
			n = vfs_iter_write(file, iter, ppos, 0);
		else
			n = vfs_iter_read(file, iter, ppos, 0);
		if (n <= 0)
			break;
	}
	if (ppos)
		file->f_pos = pos;
	if (n == -ERESTARTSYS || n == -ERESTARTNOINTR ||
	    n == -ERESTARTNOHAND || n == -ERESTART_RESTARTBLOCK)
		n = -EINTR;
	if (n < 0)
		return n;
	return total - iov_iter_count(iter);
}

static void ckpt_log_line(struct ckpt_ctx *ctx, const char *fmt,
			  va_list args)
{
	struct file *file = ctx->logfile;
	char *line = ctx->logbuf;
	size_t size = sizeof(ctx->logbuf);
	bool lock;
	int n;

	if (!file)
		return;
	n = scnprintf(line, size, "%s: ",
		      ctx->kind == CKPT_CTX_CHECKPOINT ? "checkpoint" : "restart");
	n += vscnprintf(line + n, size - n - 1, fmt, args);
	line[n++] = '\n';
	lock = file->f_mode & FMODE_ATOMIC_POS;
	if (lock)
		mutex_lock(&file->f_pos_lock);
	ckpt_file_io(file, line, n, true);
	if (lock)
		mutex_unlock(&file->f_pos_lock);
}

/**
 * ckpt_msg - write one line to the log fd
 * @ctx: checkpoint context
 * @fmt: printf format, without the newline
 */
void ckpt_msg(struct ckpt_ctx *ctx, const char *fmt, ...)
{
	va_list args;

	mutex_lock(&ctx->log_lock);
	va_start(args, fmt);
	ckpt_log_line(ctx, fmt, args);
	va_end(args);
	mutex_unlock(&ctx->log_lock);
}

/**
 * ckpt_err - record a failure and its reason
 * @ctx: checkpoint context
 * @err: negative errno
 * @fmt: printf format of the reason, without the newline
 *
 * The first failure recorded is the one reported: it goes to the log fd
 * and, on checkpoint, into the error record of the image.  Every task of
 * a restart may call it.  May sleep.
 *
 * Return: @err, so that callers can write "return ckpt_err(...)".
 */
int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...)
{
	va_list args;

	mutex_lock(&ctx->log_lock);
	if (ctx->err) {
		mutex_unlock(&ctx->log_lock);
		return err;
	}
	ctx->err = err;
	va_start(args, fmt);
	vscnprintf(ctx->msg, sizeof(ctx->msg), fmt, args);
	va_end(args);
	mutex_unlock(&ctx->log_lock);
	ckpt_msg(ctx, "%s (error %d)", ctx->msg, err);
	return err;
}

/**
 * ckpt_stream_init - allocate the stream buffer
 * @ctx: checkpoint context
 *
 * Return: 0 or -ENOMEM.
 */
int ckpt_stream_init(struct ckpt_ctx *ctx)
{
	ctx->buf = kvmalloc(CKPT_BUF_SIZE, GFP_KERNEL_ACCOUNT);
	ctx->bvec = kvmalloc_array(CKPT_PAGES_MAX, sizeof(*ctx->bvec),
				   GFP_KERNEL_ACCOUNT);
	if (!ctx->buf || !ctx->bvec)
		return -ENOMEM;
	ctx->crc = ~0U;
	return 0;
}

/**
 * ckpt_stream_free - free the stream buffer
 * @ctx: checkpoint context
 */
void ckpt_stream_free(struct ckpt_ctx *ctx)
{
	kvfree(ctx->buf);
	ctx->buf = NULL;
	kvfree(ctx->bvec);
	ctx->bvec = NULL;
}

/**
 * ckpt_stream_offset - offset in the image of the next byte
 * @ctx: checkpoint context
 *
 * Return: bytes written or consumed so far.
 */
loff_t ckpt_stream_offset(struct ckpt_ctx *ctx)
{
	return ctx->offset + ctx->buf_pos;
}

static int ckpt_write_out(struct ckpt_ctx *ctx, const void *data, size_t len)
{
	ssize_t n;

	while (len) {
		if (fatal_signal_pending(current)) {
			n = -EINTR;
			goto fail;
		}
		n = ckpt_file_io(ctx->file, (void *)data, len, true);
		if (n == 0)
			n = -EIO;
		if (n < 0)
			goto fail;
		data += n;
		len -= n;
	}
	return 0;
fail:
	ctx->broken = true;
	return ckpt_err(ctx, n, "writing the image at offset %lld failed",
			ckpt_stream_offset(ctx));
}

/**
 * ckpt_flush - write out what the stream buffer holds
 * @ctx: checkpoint context
 *
 * Return: 0 or a negative errno.
 */
int ckpt_flush(struct ckpt_ctx *ctx)
{
	int ret;

	if (ctx->broken)
		return -EIO;
	ret = ckpt_write_out(ctx, ctx->buf, ctx->buf_pos);
	if (ret)
		return ret;
	ctx->offset += ctx->buf_pos;
	ctx->buf_pos = 0;
	return 0;
}

/**
 * ckpt_write - append bytes to the image
 * @ctx: checkpoint context
 * @data: bytes to write
 * @len: their number
 *
 * Small writes are gathered in the stream buffer; a write of a whole
 * buffer or more goes straight to the file, without a copy.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write(struct ckpt_ctx *ctx, const void *data, size_t len)
{
	size_t n;
	int ret;

	if (ctx->broken)
		return -EIO;
	ctx->crc = ckpt_crc(ctx->crc, data, len);
	while (len) {
		if (ctx->buf_pos == CKPT_BUF_SIZE) {
			ret = ckpt_flush(ctx);
			if (ret)
				return ret;
		}
		if (!ctx->buf_pos && len >= CKPT_BUF_SIZE) {
			ret = ckpt_write_out(ctx, data, len);
			if (ret)
				return ret;
			ctx->offset += len;
			return 0;
		}
		n = min_t(size_t, len, CKPT_BUF_SIZE - ctx->buf_pos);
		memcpy(ctx->buf + ctx->buf_pos, data, n);
		ctx->buf_pos += n;
		data += n;
		len -= n;
	}
	return 0;
}

/**
 * ckpt_write_pages - append whole pages to the image, without a copy
 * @ctx: checkpoint context
 * @pages: the pages
 * @nr: their number, at most CKPT_PAGES_MAX
 *
 * The pages go from the page cache or the task straight to the image
 * file, in one write; the stream buffer is flushed first.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr)
{
	struct iov_iter iter;
	unsigned int i;
	void *kaddr;
	ssize_t n;
	int ret;

	ret = ckpt_flush(ctx);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		ctx->bvec[i].bv_page = pages[i];
		ctx->bvec[i].bv_offset = 0;
		ctx->bvec[i].bv_len = PAGE_SIZE;
		kaddr = kmap_local_page(pages[i]);
		ctx->crc = ckpt_crc(ctx->crc, kaddr, PAGE_SIZE);
		kunmap_local(kaddr);
	}
	iov_iter_bvec(&iter, ITER_SOURCE, ctx->bvec, nr, nr * PAGE_SIZE);
	n = ckpt_file_iter(ctx, &iter, true);
	if (n != nr * PAGE_SIZE) {
		ctx->broken = true;
		return ckpt_err(ctx, n < 0 ? n : -EIO,
				"writing the image at offset %lld failed",
				ckpt_stream_offset(ctx));
	}
	ctx->offset += n;
	return 0;
}

/**
 * ckpt_read_pages - fill whole pages from the image
 * @ctx: restart context
 * @pages: the pages, where they will stay
 * @nr: their number, at most CKPT_PAGES_MAX
 *
 * What the stream buffer holds is copied; the rest goes from the image
 * file straight into the pages.
 *
 * Return: 0, -EINVAL if the image ends first, or another negative errno.
 */
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr)
{
	size_t want = (size_t)nr * PAGE_SIZE, done = 0, chunk, off;
	struct iov_iter iter;
	unsigned int i, first;
	void *kaddr;
	ssize_t n;

	while (done < want && ctx->buf_pos < ctx->buf_fill) {
		off = done % PAGE_SIZE;
		chunk = min_t(size_t, PAGE_SIZE - off,
			      ctx->buf_fill - ctx->buf_pos);
		memcpy_to_page(pages[done / PAGE_SIZE], off,
			       ctx->buf + ctx->buf_pos, chunk);
		ctx->buf_pos += chunk;
		done += chunk;
	}
	if (done < want) {
		ctx->offset += ctx->buf_fill;
		ctx->buf_pos = 0;
		ctx->buf_fill = 0;
		first = done / PAGE_SIZE;
		for (i = first; i < nr; i++) {
			ctx->bvec[i - first].bv_page = pages[i];
			ctx->bvec[i - first].bv_offset = 0;
			ctx->bvec[i - first].bv_len = PAGE_SIZE;
		}
		ctx->bvec[0].bv_offset = done % PAGE_SIZE;
		ctx->bvec[0].bv_len = PAGE_SIZE - done % PAGE_SIZE;
		iov_iter_bvec(&iter, ITER_DEST, ctx->bvec, nr - first,
			      want - done);
		n = ckpt_file_iter(ctx, &iter, false);
		if (n < 0)
			return ckpt_err(ctx, n,
					"reading the image at offset %lld failed",
					ctx->offset);
		ctx->offset += n;
		if (n != want - done)
			return ckpt_err(ctx, -EINVAL,
					"image truncated at offset %lld",
					ctx->offset);
	}
	for (i = 0; i < nr; i++) {
		kaddr = kmap_local_page(pages[i]);
		ctx->crc = ckpt_crc(ctx->crc, kaddr, PAGE_SIZE);
		kunmap_local(kaddr);
	}
	return 0;
}

/**
 * ckpt_write_record - fill in a record header and write the record
 * @ctx: checkpoint context
 * @h: the record, starting with its header
 * @type: CKPT_HDR_* type
 * @len: length of the whole record, a multiple of 8
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_record(struct ckpt_ctx *ctx, struct ckpt_hdr *h, u32 type,
		      size_t len)
{
	if (len < sizeof(*h) || len > CKPT_RECORD_MAX || len % 8)
		return ckpt_err(ctx, -EINVAL,
				"record type %u: bad length %zu", type, len);
	h->type = type;
	h->len = len;
	return ckpt_write(ctx, h, len);
}

/**
 * ckpt_write_header - write the header record
 * @ctx: checkpoint context
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header h;

	memset(&h, 0, sizeof(h));
	h.magic = CKPT_MAGIC;
	h.version = CKPT_FORMAT_VERSION;
	h.arch = CKPT_ARCH_X86_64;
	h.page_size = PAGE_SIZE;
	h.flags = ctx->flags;
	h.ckpt_id = ctx->id;
	h.time = ktime_get_real_seconds();
	down_read(&uts_sem);
	strscpy(h.release, utsname()->release, sizeof(h.release));
	up_read(&uts_sem);
	return ckpt_write_record(ctx, &h.h, CKPT_HDR_HEADER, sizeof(h));
}

/**
 * ckpt_write_tail - write the tail record and flush the stream
 * @ctx: checkpoint context
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_tail(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tail h;
	int ret;

	memset(&h, 0, sizeof(h));
	h.magic = CKPT_TAIL_MAGIC;
	h.crc = ~ctx->crc;
	ret = ckpt_write_record(ctx, &h.h, CKPT_HDR_TAIL, sizeof(h));
	if (ret)
		return ret;
	return ckpt_flush(ctx);
}

/**
 * ckpt_write_error - end a failed image with an error record and a tail
 * @ctx: checkpoint context, with the failure recorded by ckpt_err()
 *
 * Nothing is written when the image file itself failed.
 */
void ckpt_write_error(struct ckpt_ctx *ctx)
{
	size_t msg_len = strlen(ctx->msg);
	struct ckpt_hdr_error *h;
	size_t len;

	if (ctx->broken)
		return;
	len = ALIGN(sizeof(*h) + msg_len + 1, 8);
	h = kzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return;
	h->err = ctx->err;
	memcpy(h->msg, ctx->msg, msg_len);
	if (!ckpt_write_record(ctx, &h->h, CKPT_HDR_ERROR, len))
		ckpt_write_tail(ctx);
	kfree(h);
}

/**
 * ckpt_read - consume bytes from the image
 * @ctx: checkpoint context
 * @data: where to put them
 * @len: their number
 *
 * Return: 0, -EINVAL if the image ends first, or another negative errno.
 */
int ckpt_read(struct ckpt_ctx *ctx, void *data, size_t len)
{
	ssize_t n;

	while (len) {
		if (ctx->buf_pos == ctx->buf_fill) {
			ctx->offset += ctx->buf_fill;
			ctx->buf_pos = 0;
			ctx->buf_fill = 0;
			n = ckpt_file_io(ctx->file, ctx->buf, CKPT_BUF_SIZE,
					 false);
			if (n < 0)
				return ckpt_err(ctx, n,
						"reading the image at offset %lld failed",
						ctx->offset);
			if (n == 0)
				return ckpt_err(ctx, -EINVAL,
						"image truncated at offset %lld",
						ctx->offset);
			ctx->buf_fill = n;
		}
		n = min_t(size_t, len, ctx->buf_fill - ctx->buf_pos);
		memcpy(data, ctx->buf + ctx->buf_pos, n);
		ctx->crc = ckpt_crc(ctx->crc, data, n);
		ctx->buf_pos += n;
		data += n;
		len -= n;
	}
	return 0;
}

/**
 * ckpt_read_hdr - read and check the header of the next record
 * @ctx: checkpoint context
 * @h: where to put it
 *
 * Return: 0, or -EINVAL with a reason if the length is impossible.
 */
int ckpt_read_hdr(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	int ret;

	ctx->rec_offset = ckpt_stream_offset(ctx);
	ctx->rec_crc = ctx->crc;
	ret = ckpt_read(ctx, h, sizeof(*h));
	if (ret)
		return ret;
	if (!ctx->rec_offset && h->type != CKPT_HDR_HEADER)
		return ckpt_err(ctx, -EINVAL,
				"not an image: first record has type %u",
				h->type);
	if (h->len < sizeof(*h))
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: length %u is shorter than its header",
				ctx->rec_offset, h->len);
	if (h->len > CKPT_RECORD_MAX)
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: length %u is too large",
				ctx->rec_offset, h->len);
	if (h->len % 8)
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: length %u is not a multiple of 8",
				ctx->rec_offset, h->len);
	return 0;
}

/**
 * ckpt_read_payload - read the rest of a fixed-size record
 * @ctx: checkpoint context
 * @h: its header, as read by ckpt_read_hdr()
 * @size: the size the record must have
 * @buf: the whole record; the header is copied to its start
 *
 * Return: 0, or -EINVAL with a reason if the length is not @size.
 */
int ckpt_read_payload(struct ckpt_ctx *ctx, struct ckpt_hdr *h,
		      size_t size, void *buf)
{
	if (h->len != size)
		return ckpt_err(ctx, -EINVAL,
				"record type %u at offset %lld: length %u, expected %zu",
				h->type, ctx->rec_offset, h->len, size);
	memcpy(buf, h, sizeof(*h));
	return ckpt_read(ctx, buf + sizeof(*h), size - sizeof(*h));
}

/**
 * ckpt_read_var - read a variable-size record into a new buffer
 * @ctx: checkpoint context
 * @h: its header, as read by ckpt_read_hdr(), whose length the record
 *	table has checked
 *
 * Return: the whole record, to kvfree(), or an ERR_PTR().
 */
void *ckpt_read_var(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	void *buf;
	int ret;

	buf = kvmalloc(h->len, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	memcpy(buf, h, sizeof(*h));
	ret = ckpt_read(ctx, buf + sizeof(*h), h->len - sizeof(*h));
	if (ret) {
		kvfree(buf);
		return ERR_PTR(ret);
	}
	return buf;
}

/**
 * ckpt_restoring - whether restart changes the calling task
 * @ctx: restart context
 *
 * Return: false when the image is only validated (RESTART_VALIDATE).
 */
bool ckpt_restoring(struct ckpt_ctx *ctx)
{
	return !(ctx->flags & RESTART_VALIDATE);
}

/**
 * ckpt_check_string - check that a fixed-size string field is terminated
 * @ctx: checkpoint context
 * @s: the field
 * @size: its size
 * @what: its name, for the reason
 *
 * Return: 0 or -EINVAL.
 */
int ckpt_check_string(struct ckpt_ctx *ctx, const char *s, size_t size,
		      const char *what)
{
	if (!memchr(s, '\0', size))
		return ckpt_err(ctx, -EINVAL,
				"record at offset %lld: %s is not NUL-terminated",
				ctx->rec_offset, what);
	return 0;
}

/**
 * ckpt_read_header - read and check the header record
 * @ctx: checkpoint context
 *
 * Return: 0, or -EINVAL with a reason.
 */
int ckpt_read_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header h;
	int ret;

	ret = ckpt_read_hdr(ctx, &h.h);
	if (ret)
		return ret;
	ret = ckpt_read_payload(ctx, &h.h, sizeof(h), &h);
	if (ret)
		return ret;
	if (h.magic != CKPT_MAGIC)
		return ckpt_err(ctx, -EINVAL, "not an image: bad magic %#llx",
				h.magic);
	if (h.version != CKPT_FORMAT_VERSION)
		return ckpt_err(ctx, -EINVAL,
				"image format version %u, this kernel reads %u",
				h.version, CKPT_FORMAT_VERSION);
	if (h.arch != CKPT_ARCH_X86_64)
		return ckpt_err(ctx, -EINVAL,
				"image is for arch %u, this kernel is x86_64 (%u)",
				h.arch, CKPT_ARCH_X86_64);
	if (h.page_size != PAGE_SIZE)
		return ckpt_err(ctx, -EINVAL,
				"image page size %u, this kernel uses %lu",
				h.page_size, PAGE_SIZE);
	if (h.reserved || h.flags & ~CHECKPOINT_FLAGS_MASK)
		return ckpt_err(ctx, -EINVAL,
				"header: unknown flags %#llx or reserved bits set",
				h.flags);
	return ckpt_check_string(ctx, h.release, sizeof(h.release),
				 "kernel release");
}

/**
 * ckpt_read_tail - check the tail record
 * @ctx: checkpoint context
 * @h: its header, as read by ckpt_read_hdr()
 *
 * Return: 0, or -EINVAL with a reason if the checksum does not match.
 */
int ckpt_read_tail(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	struct ckpt_hdr_tail t;
	u32 crc = ~ctx->rec_crc;
	int ret;

	ret = ckpt_read_payload(ctx, h, sizeof(t), &t);
	if (ret)
		return ret;
	if (t.magic != CKPT_TAIL_MAGIC || t.reserved)
		return ckpt_err(ctx, -EINVAL, "bad tail record at offset %lld",
				ctx->rec_offset);
	if (t.crc != crc)
		return ckpt_err(ctx, -EINVAL,
				"image checksum mismatch: tail says 0x%08x, data gives 0x%08x",
				t.crc, crc);
	return 0;
}
