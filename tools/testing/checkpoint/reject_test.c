// SPDX-License-Identifier: GPL-2.0
/*
 * restart() treats the image as untrusted: every malformed image is
 * rejected with -EINVAL and a reason on logfd, and none of them oopses
 * or leaks.
 */
#define _GNU_SOURCE
#include "ckpt_test.h"
#include "kselftest_harness.h"

#define HDR_LEN		sizeof(struct ckpt_hdr_header)
#define TASK_LEN	sizeof(struct ckpt_hdr_task)
#define TAIL_LEN	sizeof(struct ckpt_hdr_tail)

FIXTURE(image) {
	unsigned char *img;	/* header, task, tail */
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	struct victim v;
	long id = -1;
	int fd;

	ASSERT_EQ(0, victim_start(&v, "reject-victim"));
	ASSERT_EQ(0, victim_freeze(&v));
	fd = checkpoint_to_memfd(v.pid, -1, &id);
	victim_stop(&v);
	ASSERT_GT(id, 0);
	self->img = fd_content(fd, &self->len);
	close(fd);
	ASSERT_NE(NULL, self->img);
	ASSERT_EQ(HDR_LEN + TASK_LEN + TAIL_LEN, self->len);
	self->logfd = memfd_create("log", 0);
	ASSERT_GE(self->logfd, 0);
}

FIXTURE_TEARDOWN(image)
{
	free(self->img);
	close(self->logfd);
}

static struct ckpt_hdr_header *header(unsigned char *img)
{
	return (void *)img;
}

static struct ckpt_hdr_task *task(unsigned char *img)
{
	return (void *)(img + HDR_LEN);
}

/* Recompute the tail CRC so that only the damage under test is seen */
static void fix_crc(unsigned char *img, size_t len)
{
	struct ckpt_hdr_tail *t = (void *)(img + len - TAIL_LEN);

	t->crc = ckpt_crc32c_final(ckpt_crc32c(~0U, img, len - TAIL_LEN));
}

/* restart(RESTART_VALIDATE) on @len bytes of @img: errno, and the reason */
static int try_restart(int logfd, const void *img, size_t len, char *reason,
		       size_t rlen)
{
	int fd = memfd_with(img, len);
	int err = 0;

	ftruncate(logfd, 0);
	lseek(logfd, 0, SEEK_SET);
	if (sys_restart(0, fd, RESTART_VALIDATE, logfd))
		err = errno;
	close(fd);
	ckpt_log_reason(logfd, reason, rlen);
	return err;
}

#define EXPECT_REJECT(img, len, what) do {				\
	char _r[1024];							\
	EXPECT_EQ(EINVAL, try_restart(self->logfd, img, len, _r,	\
				      sizeof(_r)));			\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

TEST_F(image, valid_image_is_accepted)
{
	char reason[1024];

	EXPECT_EQ(0, try_restart(self->logfd, self->img, self->len, reason,
				 sizeof(reason)));
}

TEST_F(image, empty_input)
{
	EXPECT_REJECT(self->img, 0, "truncated at offset 0");
}

TEST_F(image, bad_magic)
{
	header(self->img)->magic ^= 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad magic");
}

TEST_F(image, not_an_image)
{
	static const char text[] = "#!/bin/sh\necho this is not an image\n";

	EXPECT_REJECT(text, sizeof(text) - 1, "not an image");
}

TEST_F(image, wrong_version)
{
	header(self->img)->version = CKPT_FORMAT_VERSION + 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "format version");
}

TEST_F(image, wrong_arch)
{
	header(self->img)->arch = 2;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "arch 2");
}

TEST_F(image, wrong_page_size)
{
	header(self->img)->page_size = 65536;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "page size");
}

TEST_F(image, unterminated_release)
{
	memset(header(self->img)->release, 'x', CKPT_RELEASE_LEN);
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "not NUL-terminated");
}

TEST_F(image, truncated_at_every_offset)
{
	char reason[1024];
	size_t cut;

	for (cut = 0; cut < self->len; cut++) {
		EXPECT_EQ(EINVAL, try_restart(self->logfd, self->img, cut,
					      reason, sizeof(reason)))
			TH_LOG("cut at %zu", cut);
		EXPECT_NE(NULL, strstr(reason, "truncated"))
			TH_LOG("cut at %zu: %s", cut, reason);
	}
}

TEST_F(image, truncated_pipe_at_every_offset)
{
	size_t cut;
	int p[2];

	for (cut = 0; cut < self->len; cut++) {
		ASSERT_EQ(0, pipe(p));
		ASSERT_EQ((ssize_t)cut, write(p[1], self->img, cut));
		close(p[1]);
		errno = 0;
		EXPECT_EQ(-1, sys_restart(0, p[0], RESTART_VALIDATE, -1));
		EXPECT_EQ(EINVAL, errno) TH_LOG("cut at %zu", cut);
		close(p[0]);
	}
}

TEST_F(image, every_flipped_byte)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	char reason[1024];
	size_t off;
	int i;

	for (off = 0; off < self->len; off++) {
		for (i = 0; i < 3; i++) {
			self->img[off] ^= flips[i];
			EXPECT_EQ(EINVAL, try_restart(self->logfd, self->img,
						      self->len, reason,
						      sizeof(reason)))
				TH_LOG("byte %zu ^ %#x: %s", off, flips[i], reason);
			self->img[off] ^= flips[i];
		}
	}
	/* and the CRC is what catches a flip in the comm */
	off = HDR_LEN + offsetof(struct ckpt_hdr_task, comm);
	self->img[off] ^= 0x01;
	EXPECT_REJECT(self->img, self->len, "checksum mismatch");
}

TEST_F(image, length_shorter_than_header)
{
	task(self->img)->h.len = 4;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "shorter than its header");
	task(self->img)->h.len = 0;
	EXPECT_REJECT(self->img, self->len, "shorter than its header");
}

TEST_F(image, length_absurdly_large)
{
	task(self->img)->h.len = 0xfffffff8;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "too large");
	task(self->img)->h.len = CKPT_RECORD_MAX + 8;
	EXPECT_REJECT(self->img, self->len, "too large");
	/* a length that fits the limit but not the stream */
	task(self->img)->h.len = CKPT_RECORD_MAX;
	EXPECT_REJECT(self->img, self->len, "length");
}

TEST_F(image, length_not_aligned)
{
	task(self->img)->h.len = TASK_LEN + 4;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "multiple of 8");
}

TEST_F(image, length_wrong_for_type)
{
	task(self->img)->h.len = TASK_LEN - 8;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "expected");
}

TEST_F(image, unknown_record_type)
{
	task(self->img)->h.type = 7777;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "unknown record type 7777");
}

/* header, task, task, tail */
static unsigned char *two_tasks(unsigned char *img, size_t *len)
{
	unsigned char *n = malloc(HDR_LEN + 2 * TASK_LEN + TAIL_LEN);

	memcpy(n, img, HDR_LEN + TASK_LEN);
	memcpy(n + HDR_LEN + TASK_LEN, img + HDR_LEN, TASK_LEN);
	memcpy(n + HDR_LEN + 2 * TASK_LEN, img + HDR_LEN + TASK_LEN, TAIL_LEN);
	*len = HDR_LEN + 2 * TASK_LEN + TAIL_LEN;
	return n;
}

TEST_F(image, objref_defined_twice)
{
	unsigned char *n;
	size_t len;

	n = two_tasks(self->img, &len);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "defined twice");
	free(n);
}

TEST_F(image, objref_undefined)
{
	task(self->img)->parent_ref = 5;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "objref 5 is not defined");
}

TEST_F(image, task_is_its_own_parent)
{
	task(self->img)->parent_ref = task(self->img)->objref;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "is not defined");
}

TEST_F(image, objref_out_of_range)
{
	task(self->img)->objref = 0;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "objref 0 is out of range");
	task(self->img)->objref = 0xffffffff;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "out of range");
}

TEST_F(image, second_task_is_refused)
{
	unsigned char *n;
	size_t len;

	char reason[1024];

	n = two_tasks(self->img, &len);
	((struct ckpt_hdr_task *)(n + HDR_LEN + TASK_LEN))->objref = 2;
	fix_crc(n, len);
	/* well formed, but not supported yet: refused by name */
	EXPECT_EQ(EOPNOTSUPP, try_restart(self->logfd, n, len, reason,
					  sizeof(reason)));
	EXPECT_NE(NULL, strstr(reason, "more than one task")) TH_LOG("log: %s", reason);
	free(n);
}

TEST_F(image, bad_task_fields)
{
	task(self->img)->reserved = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "reserved");
	task(self->img)->reserved = 0;

	task(self->img)->pid = -3;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad ids");
	task(self->img)->pid = task(self->img)->tgid;

	task(self->img)->sid = 4 * 1024 * 1024 + 1;	/* over PID_MAX_LIMIT */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad ids");
	task(self->img)->sid = 0;

	memset(task(self->img)->comm, 'c', CKPT_COMM_LEN);
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "comm is not NUL-terminated");
}

TEST_F(image, second_header)
{
	unsigned char *n = malloc(2 * HDR_LEN + TASK_LEN + TAIL_LEN);
	size_t len = 2 * HDR_LEN + TASK_LEN + TAIL_LEN;

	memcpy(n, self->img, HDR_LEN);
	memcpy(n + HDR_LEN, self->img, self->len);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "second header");
	free(n);
}

TEST_F(image, no_task)
{
	unsigned char *n = malloc(HDR_LEN + TAIL_LEN);
	size_t len = HDR_LEN + TAIL_LEN;

	memcpy(n, self->img, HDR_LEN);
	memcpy(n + HDR_LEN, self->img + HDR_LEN + TASK_LEN, TAIL_LEN);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "holds no task");
	free(n);
}

TEST_F(image, error_record)
{
	static const char msg[] = "pid 7: something went wrong";
	size_t elen = (sizeof(struct ckpt_hdr_error) + sizeof(msg) + 7) & ~7UL;
	size_t len = HDR_LEN + elen + TAIL_LEN;
	unsigned char *n = calloc(1, len);
	struct ckpt_hdr_error *e = (void *)(n + HDR_LEN);

	memcpy(n, self->img, HDR_LEN);
	e->h.type = CKPT_HDR_ERROR;
	e->h.len = elen;
	e->err = -EBUSY;
	memcpy(e->msg, msg, sizeof(msg));
	memcpy(n + HDR_LEN + elen, self->img + HDR_LEN + TASK_LEN, TAIL_LEN);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "something went wrong");

	/* a message cannot forge log lines */
	memcpy(e->msg, "evil\nrestart: ok", 17);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "evil\\nrestart");

	/* an unterminated message */
	memset(e->msg, 'm', elen - sizeof(*e));
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "not NUL-terminated");
	free(n);
}

TEST_F(image, bad_tail)
{
	struct ckpt_hdr_tail *t = (void *)(self->img + self->len - TAIL_LEN);

	t->magic ^= 0x100;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad tail");
	t->magic ^= 0x100;
	t->crc ^= 1;
	EXPECT_REJECT(self->img, self->len, "checksum mismatch");
}

static long mem_free_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

TEST_F(image, rejections_do_not_leak)
{
	char reason[1024];
	long before, after;
	int i;

	/* warm up, then 3000 rejections of several kinds */
	for (i = 0; i < 100; i++)
		try_restart(self->logfd, self->img, i % self->len, reason,
			    sizeof(reason));
	before = mem_free_kb();
	for (i = 0; i < 3000; i++) {
		size_t off = i % self->len;

		self->img[off] ^= 0x10;
		try_restart(self->logfd, self->img, self->len, reason,
			    sizeof(reason));
		self->img[off] ^= 0x10;
		try_restart(self->logfd, self->img, off, reason, sizeof(reason));
	}
	after = mem_free_kb();
	/* one leaked stream buffer alone would be 256 KiB per call */
	EXPECT_LT(before - after, 2048)
		TH_LOG("MemFree went from %ld to %ld kB", before, after);
}

TEST_HARNESS_MAIN
