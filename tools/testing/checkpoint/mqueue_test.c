// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues: the queues of the tree's IPC namespace come back
 * in a new one with their attributes, owners and every message in
 * order, byte for byte; the descriptors open on them come back; a
 * checkpoint takes nothing off a queue; what is not supported is refused
 * by name, and damaged queue records are rejected.
 */
#define _GNU_SOURCE
#include <mqueue.h>
#include <sched.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"
#include "ckpt_round_trip.h"

#define REPORT "/tmp/mt.report"

static void round_trip(struct __test_metadata *_metadata, const char *scenario,
		       const char *out)
{
	helper_round_trip(_metadata, "/bin/ckpt_mq", REPORT, scenario, out, "mt");
}

/* Lines the description of the "queues" scenario has */
static const char *const queues_lines[] = {
	"before fd 3 flags 02 mq_flags 0 maxmsg 1000 msgsize 64 curmsgs 1000 mode 100640",
	"before fd 4 flags 04001 mq_flags 0x800 maxmsg 4 msgsize 8192 curmsgs 3",
	"after /ckpt-empty maxmsg 10 msgsize 100 curmsgs 0 mode 100600",
};

TEST(queues_come_back_with_every_message_in_order)
{
	unsigned int i;
	char *text;

	/* ours, where the original runs, so that no other queue is in it */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	round_trip(_metadata, "queues", "/tmp/mt-queues.out");
	text = file_text(REPORT);
	ASSERT_NE(NULL, text);
	for (i = 0; i < ARRAY_SIZE(queues_lines); i++)
		EXPECT_NE(NULL, strstr(text, queues_lines[i])) TH_LOG("%s", text);
	free(text);
}

TEST(a_receiver_blocked_on_an_empty_queue_goes_on)
{
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	round_trip(_metadata, "blocked", "/tmp/mt-blocked.out");
}

TEST(a_sender_blocked_on_a_full_queue_goes_on)
{
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	round_trip(_metadata, "sendblocked", "/tmp/mt-sendblocked.out");
}

/* Checkpoint copies the messages: the original receives every one */
TEST(checkpoint_leaves_the_messages_queued)
{
	char *const prog[] = { "/bin/ckpt_mq", REPORT, "queues", NULL };
	char *const ckpt[] = { "checkpoint", "-o", "/tmp/mt.img", NULL, NULL };
	char pidstr[16], *text;
	pid_t pid;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	unlink(REPORT);
	pid = start_logged(prog, "/tmp/mt-keep.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	((char **)ckpt)[3] = pidstr;
	ASSERT_EQ(0, run_logged(ckpt, "/tmp/mt-ckpt.out"));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* checkpoint of ckpt_mq @scenario fails with EOPNOTSUPP and @reason */
static void expect_refused(struct __test_metadata *_metadata,
			   const char *scenario, const char *reason)
{
	char *const prog[] = { "/bin/ckpt_mq", REPORT, (char *)scenario, NULL };
	char *const ckpt[] = { "checkpoint", "--kill", "-o", "/tmp/mt.img",
			       "--log", "/tmp/mt.log", NULL, NULL };
	char pidstr[16], *text;
	pid_t pid;

	unlink(REPORT);
	pid = start_logged(prog, "/tmp/mt-refused.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	((char **)ckpt)[6] = pidstr;
	EXPECT_NE(0, run_logged(ckpt, "/tmp/mt-ckpt.out"));
	text = file_text("/tmp/mt.log");
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, reason)) TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(what_is_not_kept_is_refused_by_name)
{
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	expect_refused(_metadata, "notify",
		       "POSIX message queue /ckpt-notify: mq_notify() registration not supported yet");
	expect_refused(_metadata, "unlinked",
		       "fd 3: POSIX message queue /ckpt-gone, removed while open: not supported yet");
}

/* The image of the "queues" scenario, to damage */
FIXTURE(image) {
	unsigned char *img;
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	char *const prog[] = { "/bin/ckpt_mq", REPORT, "queues", NULL };
	pid_t pid;
	int fd;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	unlink(REPORT);
	pid = start_logged(prog, "/tmp/mt-image.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/mt.img"));
	fd = open("/tmp/mt.img", O_RDONLY);
	ASSERT_GE(fd, 0);
	self->img = fd_content(fd, &self->len);
	close(fd);
	ASSERT_NE(NULL, self->img);
	self->logfd = memfd_create("log", 0);
}

FIXTURE_TEARDOWN(image)
{
	free(self->img);
	close(self->logfd);
}

/* restart(RESTART_VALIDATE) of the damaged image: errno and reason */
static int validate(struct _test_data_image *self, char *reason, size_t len)
{
	int fd, err = 0;

	fix_crc(self->img, self->len);
	fd = memfd_with(self->img, self->len);
	ftruncate(self->logfd, 0);
	lseek(self->logfd, 0, SEEK_SET);
	if (sys_restart(0, fd, RESTART_VALIDATE, self->logfd))
		err = errno;
	close(fd);
	ckpt_log_reason(self->logfd, reason, len);
	return err;
}

#define EXPECT_REJECTED(err, what) do {					\
	char _r[1024];							\
	EXPECT_EQ(err, validate(self, _r, sizeof(_r)));			\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

/* The record of queue @name */
static struct ckpt_hdr_mq *queue_rec(struct _test_data_image *self,
				     const char *name)
{
	struct ckpt_hdr_mq *h;
	long off;
	int i;

	for (i = 0; (off = find_record(self->img, self->len, CKPT_HDR_MQ, i)) >= 0;
	     i++) {
		h = (void *)(self->img + off);
		if (!strcmp(h->name, name))
			return h;
	}
	return NULL;
}

TEST_F(image, the_records_hold_the_queues)
{
	struct ckpt_hdr_mq *big = queue_rec(self, "ckpt-big");
	struct ckpt_hdr_mq *small = queue_rec(self, "ckpt-small");
	struct ckpt_mq_msg *m;
	char reason[1024];

	ASSERT_NE(NULL, big);
	ASSERT_NE(NULL, small);
	ASSERT_NE(NULL, queue_rec(self, "ckpt-empty"));
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	EXPECT_EQ(1000, big->nr_msgs);
	EXPECT_EQ(1000, big->maxmsg);
	EXPECT_EQ(64, big->msgsize);
	EXPECT_EQ(0640, big->mode);
	EXPECT_EQ(3, small->nr_msgs);
	EXPECT_EQ(8192 + 5000, small->nr_bytes);
	/* highest priority first */
	m = (struct ckpt_mq_msg *)(small + 1);
	EXPECT_EQ(2, m->prio);
	EXPECT_EQ(8192, m->len);
	EXPECT_LE(0, find_record(self->img, self->len, CKPT_HDR_MQ_FILE, 2));
}

TEST_F(image, bad_queue_records)
{
	struct ckpt_hdr_mq *big = queue_rec(self, "ckpt-big");
	struct ckpt_hdr_mq_file *f;
	char reason[1024];
	long off;

	ASSERT_NE(NULL, big);
	off = find_record(self->img, self->len, CKPT_HDR_MQ_FILE, 0);
	ASSERT_LE(0, off);
	f = (void *)(self->img + off);
	/* a message over mq_msgsize */
	big->msgsize = 32;
	EXPECT_REJECTED(EINVAL, "does not fit mq_msgsize 32");
	big->msgsize = 64;
	big->maxmsg = 999;
	EXPECT_REJECTED(EINVAL, "POSIX message queue /ckpt-big: bad mode");
	big->maxmsg = 1000;
	big->name[4] = '/';
	EXPECT_REJECTED(EINVAL, "bad name");
	big->name[4] = '-';
	big->nr_bytes++;
	EXPECT_REJECTED(EINVAL, "bytes of messages in");
	big->nr_bytes--;
	f->flags = O_ACCMODE;
	EXPECT_REJECTED(EINVAL, "bad flags");
	f->flags = O_RDWR;
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
}

TEST_F(image, bad_namespace_records)
{
	struct ckpt_hdr_mq_ns *ns;
	char reason[1024];
	long off;

	off = find_record(self->img, self->len, CKPT_HDR_MQ_NS, 0);
	ASSERT_LE(0, off);
	ns = (void *)(self->img + off);
	EXPECT_EQ(3, ns->nr_queues);
	ns->nr_queues = 4;
	EXPECT_REJECTED(EINVAL, "1 queue records missing");
	ns->nr_queues = 2;
	EXPECT_REJECTED(EINVAL, "more queues than the namespace record said");
	ns->nr_queues = 3;
	ns->msg_max = 0;
	EXPECT_REJECTED(EINVAL, "bad limits or count");
	ns->msg_max = 10;
	ns->msgsize_default = ns->msgsize_max + 1;
	EXPECT_REJECTED(EINVAL, "bad limits or count");
	ns->msgsize_default = 8192;
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
}

TEST_HARNESS_MAIN
