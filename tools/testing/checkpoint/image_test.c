// SPDX-License-Identifier: GPL-2.0
/*
 * The image of a frozen task: what it holds, that ckptinfo decodes it,
 * that restart(RESTART_VALIDATE) accepts it, and that checkpoint leaves
 * the task untouched.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

FIXTURE(frozen) {
	struct victim v;
};

FIXTURE_SETUP(frozen)
{
	ASSERT_EQ(0, victim_start(&self->v, "ckpt-victim"));
	ASSERT_EQ(0, victim_freeze(&self->v));
}

FIXTURE_TEARDOWN(frozen)
{
	victim_stop(&self->v);
}

/* Walk the records of an image; returns the number of records or -1 */
static int walk(const unsigned char *img, size_t len, uint32_t *types, int max)
{
	const struct ckpt_hdr *h;
	size_t off = 0;
	int n = 0;

	while (off + sizeof(*h) <= len) {
		h = (const void *)(img + off);
		if (h->len < sizeof(*h) || off + h->len > len || n == max)
			return -1;
		types[n++] = h->type;
		off += h->len;
	}
	return off == len ? n : -1;
}

TEST_F(frozen, image_holds_every_record)
{
	const struct ckpt_hdr_header *hh;
	const struct ckpt_hdr_task *t;
	const struct ckpt_hdr_tail *tail;
	const struct ckpt_hdr_mm *mm;
	uint32_t types[4096];
	unsigned char *img;
	int n, i, f, vmas = 0;
	size_t len;
	long id;
	int fd;

	fd = checkpoint_to_memfd(self->v.pid, -1, &id);
	ASSERT_GT(id, 0);
	img = fd_content(fd, &len);
	ASSERT_NE(NULL, img);
	n = walk(img, len, types, 4096);
	ASSERT_GT(n, 8);
	/*
	 * header task uts-ns ipc-ns mq-ns task-begin mm (vma pages*)+ cpu
	 * xstate signals proc prctl itimers thread-addrs (pipe? file)*
	 * fd-table creds tail
	 */
	EXPECT_EQ(CKPT_HDR_HEADER, types[0]);
	EXPECT_EQ(CKPT_HDR_TASK, types[1]);
	EXPECT_EQ(CKPT_HDR_UTS_NS, types[2]);
	EXPECT_EQ(CKPT_HDR_IPC_NS, types[3]);
	EXPECT_EQ(CKPT_HDR_MQ_NS, types[4]);
	/* the fixture's namespace is empty: the task's records follow */
	EXPECT_EQ(CKPT_HDR_TASK_BEGIN, types[5]);
	EXPECT_EQ(CKPT_HDR_MM, types[6]);
	f = n - 3;
	while (f > 0 && (types[f - 1] == CKPT_HDR_FILE ||
			 types[f - 1] == CKPT_HDR_PIPE))
		f--;
	for (i = 7; i < f - 7; i++) {
		EXPECT_TRUE(types[i] == CKPT_HDR_VMA || types[i] == CKPT_HDR_PAGES);
		vmas += types[i] == CKPT_HDR_VMA;
	}
	EXPECT_EQ(CKPT_HDR_VMA, types[7]);
	EXPECT_EQ(CKPT_HDR_CPU, types[f - 7]);
	EXPECT_EQ(CKPT_HDR_XSTATE, types[f - 6]);
	EXPECT_EQ(CKPT_HDR_SIGNALS, types[f - 5]);
	EXPECT_EQ(CKPT_HDR_PROC, types[f - 4]);
	EXPECT_EQ(CKPT_HDR_PRCTL, types[f - 3]);
	EXPECT_EQ(CKPT_HDR_ITIMERS, types[f - 2]);
	EXPECT_EQ(CKPT_HDR_THREAD_ADDRS, types[f - 1]);
	EXPECT_EQ(CKPT_HDR_FD_TABLE, types[n - 3]);
	EXPECT_EQ(CKPT_HDR_CREDS, types[n - 2]);
	EXPECT_EQ(CKPT_HDR_TAIL, types[n - 1]);

	hh = (const void *)img;
	EXPECT_EQ(CKPT_MAGIC, hh->magic);
	EXPECT_EQ(CKPT_FORMAT_VERSION, hh->version);
	EXPECT_EQ(CKPT_ARCH_X86_64, hh->arch);
	EXPECT_EQ(getpagesize(), hh->page_size);
	EXPECT_EQ(id, hh->ckpt_id);

	t = (const void *)(img + sizeof(*hh));
	EXPECT_EQ(self->v.pid, t->pid);
	EXPECT_EQ(self->v.pid, t->tgid);
	EXPECT_EQ(getpid(), t->ppid);
	EXPECT_EQ(getpgrp(), t->pgid);
	EXPECT_EQ(getsid(0), t->sid);
	EXPECT_EQ(1, t->objref);
	EXPECT_EQ(0, t->parent_ref);
	EXPECT_EQ(SIGCHLD, t->exit_signal);
	EXPECT_STREQ("ckpt-victim", t->comm);

	mm = (const void *)(img + find_record(img, len, CKPT_HDR_MM, 0));
	EXPECT_EQ(vmas, mm->nr_vmas);
	EXPECT_EQ(3, mm->objref);	/* after the task and the IPC namespace */
	EXPECT_NE(0, mm->exe_len);

	tail = (const void *)(img + len - sizeof(*tail));
	EXPECT_EQ(CKPT_TAIL_MAGIC, tail->magic);
	EXPECT_EQ(ckpt_crc32c_final(ckpt_crc32c(~0U, img, len - sizeof(*tail))),
		  tail->crc);
	free(img);
}

/* Every saved page holds what the frozen task has there, byte for byte */
TEST_F(frozen, pages_match_the_task_memory)
{
	const struct ckpt_hdr_pages *p;
	unsigned char page[4096];
	char path[64];
	unsigned char *img;
	long id, off;
	int fd, mem, i, n, pages = 0;
	size_t len;

	fd = checkpoint_to_memfd(self->v.pid, -1, &id);
	ASSERT_GT(id, 0);
	img = fd_content(fd, &len);
	ASSERT_NE(NULL, img);
	snprintf(path, sizeof(path), "/proc/%d/mem", self->v.pid);
	mem = open(path, O_RDONLY);
	ASSERT_GE(mem, 0);
	for (n = 0; (off = find_record(img, len, CKPT_HDR_PAGES, n)) >= 0; n++) {
		p = (const void *)(img + off);
		for (i = 0; i < (int)p->nr; i++) {
			const unsigned char *data = (const void *)&p->addr[p->nr];

			ASSERT_EQ(4096, pread(mem, page, 4096, p->addr[i]));
			EXPECT_EQ(0, memcmp(page, data + i * 4096, 4096))
				TH_LOG("page %#llx differs", (unsigned long long)p->addr[i]);
			pages++;
		}
	}
	/* the shared counter page is shared memory: not in the image yet */
	EXPECT_GT(pages, 10);
	close(mem);
	free(img);
}

TEST_F(frozen, ckptinfo_decodes_the_image)
{
	char path[] = "/tmp/ckpt-image-XXXXXX";
	char pidstr[32], *out;
	char *const text[] = { "ckptinfo", path, NULL };
	char *const json[] = { "ckptinfo", "--json", path, NULL };
	int fd = mkstemp(path);
	long id;

	ASSERT_GE(fd, 0);
	id = sys_checkpoint(self->v.pid, fd, 0, -1);
	ASSERT_GT(id, 0);
	close(fd);

	ASSERT_EQ(0, run_capture(text, &out));
	EXPECT_NE(NULL, strstr(out, "comm \"ckpt-victim\""));
	snprintf(pidstr, sizeof(pidstr), "pid %d ", self->v.pid);
	EXPECT_NE(NULL, strstr(out, pidstr)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "crc_ok ok"));
	EXPECT_NE(NULL, strstr(out, "0 errors: image ok"));
	free(out);

	ASSERT_EQ(0, run_capture(json, &out));
	snprintf(pidstr, sizeof(pidstr), "\"pid\":%d,", self->v.pid);
	EXPECT_NE(NULL, strstr(out, pidstr)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"comm\":\"ckpt-victim\""));
	EXPECT_NE(NULL, strstr(out, "\"crc_ok\":true"));
	EXPECT_NE(NULL, strstr(out, "\"ok\":true"));
	free(out);
	unlink(path);
}

TEST_F(frozen, ckptinfo_reports_damage_with_offsets)
{
	char path[] = "/tmp/ckpt-image-XXXXXX";
	char *const argv[] = { "ckptinfo", path, NULL };
	char rec_off[32];
	size_t len, comm_off;
	unsigned char *img;
	char *out;
	long id;
	int fd;

	fd = checkpoint_to_memfd(self->v.pid, -1, &id);
	ASSERT_GT(id, 0);
	img = fd_content(fd, &len);
	ASSERT_NE(NULL, img);
	close(fd);

	/* a flipped byte in comm: only the CRC can tell */
	comm_off = sizeof(struct ckpt_hdr_header) +
		   offsetof(struct ckpt_hdr_task, comm);
	img[comm_off] ^= 0x20;
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ((ssize_t)len, write(fd, img, len));
	close(fd);
	ASSERT_EQ(1, run_capture(argv, &out));
	EXPECT_NE(NULL, strstr(out, "CRC mismatch")) TH_LOG("%s", out);
	free(out);

	/* truncated in the middle of the task record */
	img[comm_off] ^= 0x20;
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_EQ((ssize_t)(comm_off), write(fd, img, comm_off));
	close(fd);
	ASSERT_EQ(1, run_capture(argv, &out));
	EXPECT_NE(NULL, strstr(out, "truncated")) TH_LOG("%s", out);
	snprintf(rec_off, sizeof(rec_off), "0x%08zx", sizeof(struct ckpt_hdr_header));
	EXPECT_NE(NULL, strstr(out, rec_off)) TH_LOG("offset of the record: %s", out);
	free(out);

	/* a bad length */
	((struct ckpt_hdr *)(img + sizeof(struct ckpt_hdr_header)))->len = 12;
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_EQ((ssize_t)len, write(fd, img, len));
	close(fd);
	ASSERT_EQ(1, run_capture(argv, &out));
	EXPECT_NE(NULL, strstr(out, "bad length 12")) TH_LOG("%s", out);
	free(out);

	/* an unknown type */
	((struct ckpt_hdr *)(img + sizeof(struct ckpt_hdr_header)))->len =
		sizeof(struct ckpt_hdr_task);
	((struct ckpt_hdr *)(img + sizeof(struct ckpt_hdr_header)))->type = 9999;
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_EQ((ssize_t)len, write(fd, img, len));
	close(fd);
	ASSERT_EQ(1, run_capture(argv, &out));
	EXPECT_NE(NULL, strstr(out, "unknown record type 9999")) TH_LOG("%s", out);
	free(out);
	free(img);
	unlink(path);
}

TEST_F(frozen, restart_validates_the_image)
{
	int logfd = memfd_create("log", 0);
	char reason[512];
	long id;
	int fd;

	fd = checkpoint_to_memfd(self->v.pid, -1, &id);
	ASSERT_GT(id, 0);
	EXPECT_EQ(0, sys_restart(0, fd, RESTART_VALIDATE, logfd));
	lseek(fd, 0, SEEK_SET);
	EXPECT_EQ(0, sys_restart(getpid(), fd, RESTART_VALIDATE, -1));
	ckpt_log_reason(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "is valid")) TH_LOG("log: %s", reason);
}

struct reader {
	int fd;
	unsigned char *buf;
	size_t len;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;

	if (ckpt_read_fd(r->fd, &r->buf, &r->len))
		r->buf = NULL;
	return NULL;
}

static void *write_all(void *arg)
{
	struct reader *w = arg;

	if (write(w->fd, w->buf, w->len) != (ssize_t)w->len)
		w->buf = NULL;
	close(w->fd);
	return NULL;
}

TEST_F(frozen, image_through_a_pipe)
{
	struct reader r, w;
	pthread_t th;
	int p[2], q[2];
	long id;
	int fd;

	/* checkpoint into a pipe: no seek, same bytes as into a file */
	ASSERT_EQ(0, pipe(p));
	r.fd = p[0];
	ASSERT_EQ(0, pthread_create(&th, NULL, read_all, &r));
	id = sys_checkpoint(self->v.pid, p[1], 0, -1);
	ASSERT_GT(id, 0);
	close(p[1]);
	pthread_join(th, NULL);
	ASSERT_NE(NULL, r.buf);

	/* and restart reads it back from a pipe */
	ASSERT_EQ(0, pipe(q));
	w.fd = q[1];
	w.buf = r.buf;
	w.len = r.len;
	ASSERT_EQ(0, pthread_create(&th, NULL, write_all, &w));
	EXPECT_EQ(0, sys_restart(0, q[0], RESTART_VALIDATE, -1));
	pthread_join(th, NULL);
	close(q[0]);

	fd = memfd_with(r.buf, r.len);
	EXPECT_EQ(0, sys_restart(0, fd, RESTART_VALIDATE, -1));
	free(r.buf);
}

TEST_F(frozen, image_is_appended_at_the_file_offset)
{
	unsigned char *img;
	size_t len;
	long id;
	int fd = memfd_create("img", 0);

	ASSERT_EQ(5, write(fd, "hello", 5));
	id = sys_checkpoint(self->v.pid, fd, 0, -1);
	ASSERT_GT(id, 0);
	img = fd_content(fd, &len);
	ASSERT_NE(NULL, img);
	EXPECT_EQ(0, memcmp(img, "hello", 5));
	lseek(fd, 5, SEEK_SET);
	EXPECT_EQ(0, sys_restart(0, fd, RESTART_VALIDATE, -1));
	EXPECT_EQ((off_t)len, lseek(fd, 0, SEEK_CUR)) TH_LOG("restart read to the tail");
	free(img);
}

TEST_F(frozen, images_back_to_back_in_one_file)
{
	char path[] = "/tmp/ckpt-two-XXXXXX";
	int fd = mkstemp(path);
	off_t end;

	ASSERT_GE(fd, 0);
	ASSERT_GT(sys_checkpoint(self->v.pid, fd, 0, -1), 0);
	ASSERT_GT(sys_checkpoint(self->v.pid, fd, 0, -1), 0);
	end = lseek(fd, 0, SEEK_CUR);
	close(fd);

	/* restart leaves the position just past each image */
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, sys_restart(0, fd, RESTART_VALIDATE, -1));
	EXPECT_EQ(end / 2, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(0, sys_restart(0, fd, RESTART_VALIDATE, -1));
	EXPECT_EQ(end, lseek(fd, 0, SEEK_CUR));
	close(fd);
	unlink(path);
}

TEST_F(frozen, write_failure_is_reported)
{
	int logfd = memfd_create("log", 0);
	char reason[512];
	int p[2];

	/* the reader of the image is gone */
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(0, pipe(p));
	close(p[0]);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(self->v.pid, p[1], 0, logfd));
	EXPECT_EQ(EPIPE, errno);
	ckpt_log_reason(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "writing the image")) TH_LOG("log: %s", reason);
}

TEST_F(frozen, file_without_kernel_io_is_refused)
{
	int full = open("/dev/full", O_WRONLY);
	int logfd = memfd_create("log", 0);
	char reason[512];

	/* /dev/full has no ->write_iter: the kernel cannot write to it */
	ASSERT_GE(full, 0);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(self->v.pid, full, 0, logfd));
	EXPECT_EQ(EINVAL, errno);
	ckpt_log_reason(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "cannot hold an image")) TH_LOG("log: %s", reason);
}

TEST_F(frozen, checkpoint_leaves_the_task_running)
{
	unsigned long before, after;
	long id;
	int fd;

	fd = checkpoint_to_memfd(self->v.pid, -1, &id);
	ASSERT_GT(id, 0);
	close(fd);
	before = victim_count(&self->v);
	usleep(20000);
	EXPECT_EQ(before, victim_count(&self->v)) TH_LOG("frozen task ran");
	ASSERT_EQ(0, victim_thaw(&self->v));
	after = victim_count(&self->v);
	usleep(20000);
	EXPECT_GT(victim_count(&self->v), after) TH_LOG("task did not go on after thaw");
	EXPECT_EQ(0, kill(self->v.pid, 0));
}

TEST(checkpoint_tool_freezes_thaws_and_kills)
{
	char path[] = "/tmp/ckpt-tool-XXXXXX";
	char pidstr[16], *out;
	char *const ckpt[] = { "checkpoint", "-o", path, pidstr, NULL };
	char *const ckill[] = { "checkpoint", "--kill", "-o", path, pidstr, NULL };
	char *const validate[] = { "restart", "--validate", "-i", path, NULL };
	unsigned long before;
	struct victim v;
	int fd = mkstemp(path);
	int status;

	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, victim_start(&v, "tool-victim"));
	snprintf(pidstr, sizeof(pidstr), "%d", v.pid);

	ASSERT_EQ(0, run_capture(ckpt, &out));
	free(out);
	EXPECT_EQ(0, run_capture(validate, &out));
	free(out);
	before = victim_count(&v);
	usleep(20000);
	EXPECT_GT(victim_count(&v), before) TH_LOG("checkpoint did not thaw the task");

	ASSERT_EQ(0, run_capture(ckill, &out));
	free(out);
	EXPECT_EQ(v.pid, waitpid(v.pid, &status, WNOHANG)) TH_LOG("--kill left it alive");
	EXPECT_TRUE(WIFSIGNALED(status));
	v.pid = 0;
	unlink(path);
}

TEST(checkpoint_tool_rejects_bad_arguments)
{
	char *const nopid[] = { "checkpoint", "-o", "/tmp/x", NULL };
	char *const badpid[] = { "checkpoint", "-o", "/tmp/x", "12abc", NULL };
	char *const nosuch[] = { "checkpoint", "-o", "/tmp/x", "999999", NULL };
	char *const badopt[] = { "checkpoint", "--frobnicate", "1", NULL };
	char *out;

	EXPECT_EQ(2, run_capture(nopid, &out));
	free(out);
	EXPECT_EQ(2, run_capture(badpid, &out));
	free(out);
	EXPECT_EQ(1, run_capture(nosuch, &out));
	free(out);
	EXPECT_EQ(2, run_capture(badopt, &out));
	free(out);
}

TEST_HARNESS_MAIN
