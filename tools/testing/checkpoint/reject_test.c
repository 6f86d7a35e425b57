// SPDX-License-Identifier: GPL-2.0
/*
 * restart() treats the image as untrusted: every malformed image is
 * rejected with -EINVAL and a reason on logfd, and none of them oopses
 * or leaks.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

#define HDR_LEN		sizeof(struct ckpt_hdr_header)
#define TASK_LEN	sizeof(struct ckpt_hdr_task)
#define TAIL_LEN	sizeof(struct ckpt_hdr_tail)

FIXTURE(image) {
	unsigned char *img;	/* a small image: of ckpt_tiny */
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	char *const tiny[] = { "/bin/ckpt_tiny", NULL };
	struct victim v;
	long id = -1;
	int fd;

	ASSERT_EQ(0, victim_spawn(&v, tiny));
	ASSERT_EQ(0, victim_freeze(&v));
	fd = checkpoint_to_memfd(v.pid, -1, &id);
	victim_stop(&v);
	ASSERT_GT(id, 0);
	self->img = fd_content(fd, &self->len);
	close(fd);
	ASSERT_NE(NULL, self->img);
	ASSERT_EQ(CKPT_HDR_TASK, ((struct ckpt_hdr *)(self->img + HDR_LEN))->type);
	ASSERT_LT(self->len, 64 * 1024) TH_LOG("not a small image");
	self->logfd = memfd_create("log", 0);
	ASSERT_GE(self->logfd, 0);
}

/* The @nth record of @type in the fixture's image */
static void *rec(struct _test_data_image *self, uint32_t type, int nth)
{
	long off = find_record(self->img, self->len, type, nth);

	return off < 0 ? NULL : self->img + off;
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

#define EXPECT_ERRNO(err, img, len, what) do {				\
	char _r[1024];							\
	EXPECT_EQ(err, try_restart(self->logfd, img, len, _r,		\
				   sizeof(_r)));			\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

/* malformed: EINVAL */
#define EXPECT_REJECT(img, len, what) EXPECT_ERRNO(EINVAL, img, len, what)
/* well formed, but state this kernel cannot rebuild: EOPNOTSUPP */
#define EXPECT_REFUSED(img, len, what) EXPECT_ERRNO(EOPNOTSUPP, img, len, what)

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
	static const unsigned char flips[] = { 0xff, 0x01, 0x80 };
	char reason[1024];
	size_t off;
	int i, n;

	for (off = 0; off < self->len; off++) {
		/* every byte one way; the record headers and tail three ways */
		n = off < HDR_LEN + TASK_LEN + 64 || off >= self->len - TAIL_LEN ? 3 : 1;
		for (i = 0; i < n; i++) {
			int err;

			self->img[off] ^= flips[i];
			err = try_restart(self->logfd, self->img, self->len,
					  reason, sizeof(reason));
			/*
			 * Rejected: as malformed, or as naming state this
			 * kernel does not support, or a file that is not
			 * there (the checksum is only known at the tail)
			 */
			EXPECT_TRUE(err == EINVAL || err == EOPNOTSUPP ||
				    err == ENOENT || err == ENOTDIR)
				TH_LOG("byte %zu ^ %#x: %d %s", off, flips[i], err,
				       reason);
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

/* header, task, task, then the rest of the image */
static unsigned char *two_tasks(unsigned char *img, size_t len, size_t *nlen)
{
	unsigned char *n = malloc(len + TASK_LEN);

	memcpy(n, img, HDR_LEN + TASK_LEN);
	memcpy(n + HDR_LEN + TASK_LEN, img + HDR_LEN, len - HDR_LEN);
	*nlen = len + TASK_LEN;
	return n;
}

TEST_F(image, objref_defined_twice)
{
	unsigned char *n;
	size_t len;

	struct ckpt_hdr_task *t2;

	n = two_tasks(self->img, self->len, &len);
	/* a child of the root, well formed but for its objref */
	t2 = (struct ckpt_hdr_task *)(n + HDR_LEN + TASK_LEN);
	t2->parent_ref = t2->objref;
	t2->ppid = t2->pid;
	t2->pid += 1;
	t2->tgid = t2->pid;
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

TEST_F(image, second_task_must_have_its_parent)
{
	struct ckpt_hdr_task *t2;
	unsigned char *n;
	size_t len;

	n = two_tasks(self->img, self->len, &len);
	t2 = (struct ckpt_hdr_task *)(n + HDR_LEN + TASK_LEN);
	t2->objref = 1000;
	t2->pid += 1;
	t2->tgid = t2->pid;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "has no parent in the image");

	/* a child of the root, but the root's pid again */
	t2->parent_ref = task(n)->objref;
	t2->pid = task(n)->pid;
	t2->tgid = t2->pid;
	t2->ppid = task(n)->pid;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "comes twice");

	/* its own pid, but another parent pid */
	t2->pid = task(n)->pid + 1;
	t2->tgid = t2->pid;
	t2->ppid = task(n)->pid + 7;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad ids");

	/* a process group led by no process of the image */
	t2->ppid = task(n)->pid;
	t2->sid = task(n)->sid;
	t2->pgid = task(n)->pid + 5;
	fix_crc(n, len);
	EXPECT_REFUSED(n, len, "is led by no process before it in the image");

	/* the group of a process of the image that does not lead it */
	if (task(n)->pgid != task(n)->pid) {
		t2->pgid = task(n)->pid;
		fix_crc(n, len);
		EXPECT_REFUSED(n, len, "is led by no process before it in the image");
	}

	/* well formed: but the image has no records for it */
	t2->pgid = task(n)->pgid;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "image ends before the records of pid");
	free(n);
}

/*
 * The root's image with a thread of the root's group after the root:
 * its task record, and after the root's records a copy of them as the
 * thread's.  *@t2: its task record.
 */
static unsigned char *with_thread(unsigned char *img, size_t len,
				  size_t *nlen, struct ckpt_hdr_task **t2)
{
	long tb = find_record(img, len, CKPT_HDR_TASK_BEGIN, 0);
	long tail = find_record(img, len, CKPT_HDR_TAIL, 0);
	struct ckpt_hdr_task_begin *b;
	unsigned char *n, *p;

	if (tb < 0 || tail < tb)
		return NULL;
	*nlen = len + TASK_LEN + (tail - tb);
	n = malloc(*nlen);
	if (!n)
		return NULL;
	p = n;
	memcpy(p, img, HDR_LEN + TASK_LEN);
	p += HDR_LEN + TASK_LEN;
	*t2 = (void *)p;
	memcpy(p, img + HDR_LEN, TASK_LEN);
	p += TASK_LEN;
	memcpy(p, img + HDR_LEN + TASK_LEN, tail - HDR_LEN - TASK_LEN);
	p += tail - HDR_LEN - TASK_LEN;
	b = (void *)p;
	memcpy(p, img + tb, len - tb);
	(*t2)->objref = 1000;
	(*t2)->parent_ref = 0;
	(*t2)->pid = task(n)->pid + 1;
	(*t2)->exit_signal = -1;
	b->task_ref = 1000;
	return n;
}

TEST_F(image, forged_thread_records)
{
	struct ckpt_hdr_task *t2;
	unsigned char *n;
	size_t len;

	n = with_thread(self->img, self->len, &len, &t2);
	ASSERT_NE(NULL, n);
	/* well formed, but the thread has its leader's memory */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "out of place: thread");

	/* a thread of a group whose leader is not in the image */
	t2->tgid = task(n)->pid + 2;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "which is not before it");
	t2->tgid = task(n)->pid;

	t2->exit_signal = SIGCHLD;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "does not match its leader");
	t2->exit_signal = -1;

	t2->pgid = task(n)->pgid + 1;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "does not match its leader");
	t2->pgid = task(n)->pgid;

	t2->parent_ref = task(n)->objref;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "does not match its leader");
	t2->parent_ref = 0;

	t2->ppid = task(n)->ppid + 1;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "does not match its leader");
	free(n);
}

TEST_F(image, bad_task_fields)
{
	task(self->img)->exit_signal = 65;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad ids");
	task(self->img)->exit_signal = SIGCHLD;

	task(self->img)->pdeath_signal = -1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad ids");
	task(self->img)->pdeath_signal = 0;

	task(self->img)->reserved = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad ids");
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
	unsigned char *n = malloc(HDR_LEN + self->len);
	size_t len = HDR_LEN + self->len;

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
	memcpy(n + HDR_LEN, self->img + self->len - TAIL_LEN, TAIL_LEN);
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
	memcpy(n + HDR_LEN + elen, self->img + self->len - TAIL_LEN, TAIL_LEN);
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

TEST_F(image, bad_mm_records)
{
	struct ckpt_hdr_mm *mm = rec(self, CKPT_HDR_MM, 0);
	struct ckpt_hdr_mm save;

	ASSERT_NE(NULL, mm);
	save = *mm;
	mm->nr_vmas = 0;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "0 vmas");
	*mm = save;

	mm->end_code = mm->start_code - 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "mm record");
	*mm = save;

	mm->brk = 1UL << 60;	/* beyond user space */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "mm record");
	*mm = save;

	mm->auxv_words = 3;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad auxv");
	*mm = save;

	/* suid_dumpable's mode 2 is not the caller's to set */
	{
		char reason[1024];

		mm->dumpable = 2;
		fix_crc(self->img, self->len);
		EXPECT_EQ(EPERM, try_restart(self->logfd, self->img, self->len,
					     reason, sizeof(reason)));
		EXPECT_NE(NULL, strstr(reason, "dumpable mode 2")) TH_LOG("%s", reason);
		*mm = save;
	}

	mm->exe_len = 5000;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad exe length");
	*mm = save;

	mm->exe[0] = 'x';	/* not an absolute path */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad exe path");
	mm->exe[0] = '/';

	/* fewer vmas announced than the image has */
	mm->nr_vmas = 2;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "more vmas than the mm has");
	*mm = save;

	/* more announced than there are */
	mm->nr_vmas += 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "out of place");
}

TEST_F(image, image_without_memory)
{
	long mm = find_record(self->img, self->len, CKPT_HDR_MM, 0);
	unsigned char *n = malloc(mm + TAIL_LEN);

	ASSERT_GT(mm, 0);
	memcpy(n, self->img, mm);
	memcpy(n + mm, self->img + self->len - TAIL_LEN, TAIL_LEN);
	fix_crc(n, mm + TAIL_LEN);
	EXPECT_REJECT(n, mm + TAIL_LEN, "its records end before its memory");
	free(n);
}

TEST_F(image, bad_vma_records)
{
	struct ckpt_hdr_vma *v0 = rec(self, CKPT_HDR_VMA, 0);
	struct ckpt_hdr_vma *v1 = rec(self, CKPT_HDR_VMA, 1);
	struct ckpt_hdr_vma s0, s1;

	ASSERT_NE(NULL, v0);
	ASSERT_NE(NULL, v1);
	s0 = *v0;
	s1 = *v1;

	v0->start += 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad range");
	*v0 = s0;

	v0->end = v0->start;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad range");
	*v0 = s0;

	v0->end = 1UL << 60;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad range");
	*v0 = s0;

	/* overlapping, or out of order */
	v1->start = v0->start;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad range");
	*v1 = s1;

	v0->type = 9;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "vma record at offset");
	*v0 = s0;

	v0->flags |= 1U << 20;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad flags");
	*v0 = s0;

	/* a file mapping whose path is not terminated */
	ASSERT_EQ(CKPT_VMA_FILE, v0->type);
	memset(v0->path, 'x', v0->h.len - sizeof(*v0));
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "vma record");
}

TEST_F(image, file_that_is_gone)
{
	struct ckpt_hdr_vma *v0 = rec(self, CKPT_HDR_VMA, 0);
	char reason[1024];
	int status;
	pid_t pid;

	/* checked when restoring, not when validating: in a child */
	ASSERT_NE(NULL, v0);
	v0->path[1] = 'X';	/* /Xin/ckpt_tiny */
	fix_crc(self->img, self->len);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int fd = memfd_with(self->img, self->len);

		sys_restart(0, fd, 0, self->logfd);
		_exit(99);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("the half-restored task must die");
	ckpt_log_reason(self->logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "/Xin/ckpt_tiny")) TH_LOG("log: %s", reason);
}

TEST_F(image, bad_pages_records)
{
	struct ckpt_hdr_pages *p = rec(self, CKPT_HDR_PAGES, 0);
	struct ckpt_hdr_vma *v = NULL;
	struct ckpt_hdr_pages save;
	uint64_t addr;
	int i;

	ASSERT_NE(NULL, p);
	for (i = 0; rec(self, CKPT_HDR_VMA, i); i++)
		if ((void *)rec(self, CKPT_HDR_VMA, i) < (void *)p)
			v = rec(self, CKPT_HDR_VMA, i);
	ASSERT_NE(NULL, v);
	save = *p;
	addr = p->addr[0];

	p->addr[0] = v->end;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "outside");
	p->addr[0] = v->start - 4096;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "outside");
	p->addr[0] = addr + 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "outside");
	p->addr[0] = addr;

	p->nr = 0;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "pages record");
	*p = save;

	p->nr = save.nr + 1;	/* more pages than the record holds */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "pages record");
	*p = save;

	p->nr = 100000;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "pages record");
}

TEST_F(image, bad_cpu_records)
{
	struct ckpt_hdr_cpu *c = rec(self, CKPT_HDR_CPU, 0);
	struct ckpt_hdr_cpu save;
	char reason[1024];

	ASSERT_NE(NULL, c);
	save = *c;
	c->cs = 0x23;	/* a 32-bit code segment */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "not a 64-bit user task");
	*c = save;

	c->orig_ax = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad field");
	*c = save;

	c->ip = 1UL << 63;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad field");
	*c = save;

	c->reserved[1] = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad field");
	*c = save;

	/* well formed but not supported: refused by name */
	c->fs = 0x2b;
	fix_crc(self->img, self->len);
	EXPECT_EQ(EOPNOTSUPP, try_restart(self->logfd, self->img, self->len,
					  reason, sizeof(reason)));
	EXPECT_NE(NULL, strstr(reason, "segment selectors")) TH_LOG("log: %s", reason);
}

TEST_F(image, bad_xstate_records)
{
	struct ckpt_hdr_xstate *x = rec(self, CKPT_HDR_XSTATE, 0);
	uint32_t size;

	ASSERT_NE(NULL, x);
	size = x->size;
	x->size = 100;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad size");
	x->size = size;
	x->reserved = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad size");
}

TEST_F(image, bad_signals_records)
{
	struct ckpt_hdr_signals *sg = rec(self, CKPT_HDR_SIGNALS, 0);
	struct ckpt_hdr_signals save;

	ASSERT_NE(NULL, sg);
	save = *sg;
	sg->nr_pending = 1;	/* but no room for it */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "pending in");
	*sg = save;

	sg->ss_flags = 0;
	sg->ss_size = 100;	/* below MINSIGSTKSZ */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad sigaltstack");
	*sg = save;

	sg->ss_flags = 0x40;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad sigaltstack");
}

TEST_F(image, bad_pending_signal)
{
	long off = find_record(self->img, self->len, CKPT_HDR_SIGNALS, 0);
	struct ckpt_hdr_signals *sg;
	struct ckpt_siginfo *p;
	size_t len = self->len + sizeof(*p);
	unsigned char *n = calloc(1, len);
	size_t end;

	ASSERT_GT(off, 0);
	sg = (void *)(self->img + off);
	end = off + sg->h.len;
	/* the image with one more pending signal, of a bad number */
	memcpy(n, self->img, end);
	memcpy(n + end + sizeof(*p), self->img + end, self->len - end);
	sg = (void *)(n + off);
	sg->h.len += sizeof(*p);
	p = &sg->pending[sg->nr_pending++];
	p->signo = 9;		/* SIGKILL cannot be pending in an image */
	memcpy(p->info, &p->signo, 4);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad pending signal 9");
	p->signo = 99;
	memcpy(p->info, &p->signo, 4);
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad pending signal 99");
	p->signo = 10;		/* siginfo says another signal */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad pending signal 10");
	free(n);
}

TEST_F(image, bad_uts_namespace_record)
{
	struct ckpt_hdr_uts_ns *u = rec(self, CKPT_HDR_UTS_NS, 0), save;
	char reason[1024];
	long off;

	ASSERT_NE(NULL, u);
	save = *u;
	u->flags = 0x80;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "UTS namespace record at offset");
	*u = save;

	memset(u->hostname, 'h', sizeof(u->hostname));
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "hostname longer than 64 bytes");
	u->hostname[65] = '\0';
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "hostname longer than 64 bytes");
	u->hostname[64] = '\0';
	fix_crc(self->img, self->len);
	EXPECT_EQ(0, try_restart(self->logfd, self->img, self->len, reason,
				 sizeof(reason))) TH_LOG("%s", reason);
	*u = save;

	memset(u->domainname, 'd', sizeof(u->domainname));
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "domainname longer than 64 bytes");
	*u = save;

	/* a UTS record before the task records is out of place */
	off = (unsigned char *)u - self->img;
	memmove(self->img + HDR_LEN + sizeof(save), self->img + HDR_LEN,
		off - HDR_LEN);
	memcpy(self->img + HDR_LEN, &save, sizeof(save));
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "out of place");
}

TEST_F(image, bad_proc_records)
{
	struct ckpt_hdr_proc *pr = rec(self, CKPT_HDR_PROC, 0);
	struct ckpt_hdr_proc save;

	ASSERT_NE(NULL, pr);
	save = *pr;
	pr->rlim[7].cur = pr->rlim[7].max + 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "above its maximum");
	*pr = save;

	pr->personality = 0x0008;	/* PER_LINUX32 */
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "personality");
	*pr = save;

	pr->umask = 01000;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "umask");
	*pr = save;

	pr->cwd_len += 8;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad paths");
	*pr = save;

	pr->paths[0] = 'x';
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad paths");
}

TEST_F(image, bad_thread_addrs_records)
{
	struct ckpt_hdr_thread_addrs *ta = rec(self, CKPT_HDR_THREAD_ADDRS, 0);
	struct ckpt_hdr_thread_addrs save;

	ASSERT_NE(NULL, ta);
	save = *ta;
	ta->clear_child_tid = 0xffff888000000000ULL;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "not a user address");
	*ta = save;

	ta->robust_list = ~0ULL - 7;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "not a user address");
	*ta = save;

	ta->rseq = 0x10000;
	ta->rseq_len = 31;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad rseq area");
	*ta = save;

	ta->rseq = 0x10008;
	ta->rseq_len = 32;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad rseq area");
	*ta = save;

	ta->rseq = 0;
	ta->rseq_len = 0;
	ta->rseq_sig = 0x53053053;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "bad rseq area");
}

TEST_F(image, bad_creds_records)
{
	struct ckpt_hdr_creds *c = rec(self, CKPT_HDR_CREDS, 0);
	struct ckpt_hdr_creds save;

	ASSERT_NE(NULL, c);
	save = *c;
	c->ngroups += 3;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "groups in");
	*c = save;

	c->reserved = 1;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "groups in");
	*c = save;

	/* a record missing: the creds */
	c->h.type = CKPT_HDR_ERROR + 1000;
	fix_crc(self->img, self->len);
	EXPECT_REJECT(self->img, self->len, "unknown record type");
}

TEST_F(image, bad_restart_block_record)
{
	long cpu = find_record(self->img, self->len, CKPT_HDR_CPU, 0);
	struct ckpt_hdr_restart_block *rb;
	size_t len = self->len + sizeof(*rb), at;
	unsigned char *n = calloc(1, len);

	/* a restart block for a task that was not sleeping */
	ASSERT_GT(cpu, 0);
	at = cpu + sizeof(struct ckpt_hdr_cpu);
	memcpy(n, self->img, at);
	memcpy(n + at + sizeof(*rb), self->img + at, self->len - at);
	rb = (void *)(n + at);
	rb->h.type = CKPT_HDR_RESTART_BLOCK;
	rb->h.len = sizeof(*rb);
	rb->kind = CKPT_RESTART_NANOSLEEP;
	rb->clockid = 1;	/* CLOCK_MONOTONIC */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "restart block record");
	rb->kind = 77;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "restart block record");
	free(n);
}

/* A futex wait with a timeout, and each way its record can be wrong */
/*
 * @img with a restart block record of @kind after its first cpu record,
 * whose registers resume system call @nr through restart_syscall()
 */
static unsigned char *with_restart_block(const unsigned char *img,
					 size_t img_len, __u32 kind, __u64 nr,
					 struct ckpt_hdr_cpu **c,
					 struct ckpt_hdr_restart_block **rb)
{
	long cpu = find_record(img, img_len, CKPT_HDR_CPU, 0);
	size_t at = cpu + sizeof(struct ckpt_hdr_cpu);
	unsigned char *n = calloc(1, img_len + sizeof(**rb));

	if (cpu <= 0 || !n) {
		free(n);
		return NULL;
	}
	memcpy(n, img, at);
	memcpy(n + at + sizeof(**rb), img + at, img_len - at);
	*c = (void *)(n + cpu);
	(*c)->ax = -516;	/* -ERESTART_RESTARTBLOCK */
	(*c)->orig_ax = nr;
	*rb = (void *)(n + at);
	(*rb)->h.type = CKPT_HDR_RESTART_BLOCK;
	(*rb)->h.len = sizeof(**rb);
	(*rb)->kind = kind;
	return n;
}

TEST_F(image, bad_futex_restart_block_record)
{
	size_t len = self->len + sizeof(struct ckpt_hdr_restart_block);
	struct ckpt_hdr_restart_block *rb;
	struct ckpt_hdr_cpu *c;
	char reason[1024];
	unsigned char *n;

	n = with_restart_block(self->img, self->len, CKPT_RESTART_FUTEX,
			       202 /* futex */, &c, &rb);
	ASSERT_NE(NULL, n);
	rb->clockid = 1;	/* CLOCK_MONOTONIC */
	rb->remaining_ns = 1000000000;
	rb->uaddr = 0x1000;
	rb->bitset = ~0U;
	fix_crc(n, len);
	/* well formed */
	EXPECT_EQ(0, try_restart(self->logfd, n, len, reason, sizeof(reason)))
		TH_LOG("%s", reason);

	rb->bitset = 0;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	rb->bitset = ~0U;

	rb->uaddr = 0x1002;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	rb->uaddr = 0x1000;

	rb->clockid = 7;	/* CLOCK_BOOTTIME_ALARM */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	rb->clockid = 1;

	rb->futex_flags = 2;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	rb->futex_flags = 0;

	rb->remaining_ns = ~0ULL;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	rb->remaining_ns = 1000000000;

	c->orig_ax = 35;	/* nanosleep */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad futex wait");
	free(n);
}

TEST_F(image, bad_poll_restart_block_record)
{
	size_t len = self->len + sizeof(struct ckpt_hdr_restart_block);
	struct ckpt_hdr_restart_block *rb;
	struct ckpt_hdr_cpu *c;
	char reason[1024];
	unsigned char *n;

	n = with_restart_block(self->img, self->len, CKPT_RESTART_POLL,
			       7 /* poll */, &c, &rb);
	ASSERT_NE(NULL, n);
	rb->clockid = 1;	/* CLOCK_MONOTONIC */
	rb->remaining_ns = 1000000;
	rb->uaddr = 0x1000;
	rb->val = 1;
	fix_crc(n, len);
	/* well formed, and so is one with no timeout */
	EXPECT_EQ(0, try_restart(self->logfd, n, len, reason, sizeof(reason)))
		TH_LOG("%s", reason);
	rb->remaining_ns = CKPT_POLL_NO_TIMEOUT;
	fix_crc(n, len);
	EXPECT_EQ(0, try_restart(self->logfd, n, len, reason, sizeof(reason)))
		TH_LOG("%s", reason);
	rb->remaining_ns = 1ULL << 63;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	rb->remaining_ns = 1000000;

	rb->clockid = 0;	/* CLOCK_REALTIME */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	rb->clockid = 1;

	rb->uaddr = 1ULL << 63;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	rb->uaddr = 0x1000;

	rb->val = 1U << 31;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	rb->val = 1;

	rb->bitset = 1;
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	rb->bitset = 0;

	c->orig_ax = 202;	/* futex */
	fix_crc(n, len);
	EXPECT_REJECT(n, len, "bad poll");
	/* entered again through restart_syscall() */
	c->orig_ax = 219;
	fix_crc(n, len);
	EXPECT_EQ(0, try_restart(self->logfd, n, len, reason, sizeof(reason)))
		TH_LOG("%s", reason);
	free(n);
}

static void *sleeper(void *arg)
{
	pause();
	return NULL;
}

/* restart rebuilds the address space in place: not under another thread */
TEST_F(image, restart_from_a_threaded_caller_is_busy)
{
	char reason[1024];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int fd = memfd_with(self->img, self->len);
		pthread_t th;

		if (pthread_create(&th, NULL, sleeper, NULL))
			_exit(10);
		if (sys_restart(0, fd, 0, self->logfd) != -1)
			_exit(11);
		_exit(errno == EBUSY ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status)) TH_LOG("the caller did not survive");
	EXPECT_EQ(0, WEXITSTATUS(status));
	ckpt_log_reason(self->logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "shares its address space")) TH_LOG("%s", reason);
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
