// SPDX-License-Identifier: GPL-2.0
/*
 * Process trees: a root, its child and grandchild come back with their
 * pids, parents, sessions and process groups, the pipe between them
 * with its data, and the memory they share; a restart that fails leaves
 * none of them behind.
 */
#define _GNU_SOURCE
#include <sched.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

#define REPORT "/tmp/tt.report"
#define IMG "/tmp/tt.img"

/* Start ckpt_tree (@mode: NULL or "waiter"), wait until it is ready */
static pid_t start_tree_mode(const char *mode)
{
	char *text;
	pid_t pid;

	unlink(REPORT);
	pid = fork();
	if (!pid) {
		execl("/bin/ckpt_tree", "ckpt_tree", REPORT, mode, NULL);
		_exit(127);
	}
	text = wait_text(REPORT, "\nready", 10000);
	if (!text || !strstr(text, "\nready")) {
		fprintf(stderr, "# %s\n", text ? text : "no report");
		kill(pid, SIGKILL);
		pid = -1;
	}
	free(text);
	return pid;
}

static pid_t start_tree(void)
{
	return start_tree_mode(NULL);
}

/* The pid of each process of the tree, from the "before" lines */
static int tree_pids(pid_t pids[3])
{
	const char *who[3] = { "R before pid ", "C before pid ",
			       "G before pid " };
	char *text = file_text(REPORT), *p;
	int i;

	for (i = 0; i < 3; i++) {
		p = text ? strstr(text, who[i]) : NULL;
		if (!p) {
			free(text);
			return -1;
		}
		pids[i] = atoi(p + strlen(who[i]));
	}
	free(text);
	return 0;
}

TEST(tree_comes_back_whole)
{
	const char *who[3] = { "R ", "C ", "G " };
	char *text, *info, *before, *after, *b, *a;
	pid_t pid, pids[3];
	int i;

	pid = start_tree();
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, tree_pids(pids));
	ASSERT_EQ(0, checkpoint_kill(pid, IMG));
	for (i = 0; i < 3; i++) {
		pid_t p = pids[i];

		EXPECT_NE(0, kill(p, 0)) TH_LOG("pid %d is alive", p);
	}

	/* three task records, each after its parent */
	{
		char *const ci[] = { "ckptinfo", IMG, NULL };

		ASSERT_EQ(0, run_capture(ci, &info));
		EXPECT_NE(NULL, strstr(info, "task-begin")) TH_LOG("%s", info);
		free(info);
	}

	pid = restart_detached(IMG, "/tmp/tt.pid", "/tmp/tt.detach");
	ASSERT_GT(pid, 0) {
		text = file_text("/tmp/tt.detach");
		TH_LOG("%s", text);
	}
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 20000);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	for (i = 0; i < 3; i++) {
		b = malloc(strlen(who[i]) + 8);
		a = malloc(strlen(who[i]) + 8);
		sprintf(b, "%sbefore ", who[i]);
		sprintf(a, "%safter ", who[i]);
		before = lines_of(text, b);
		after = lines_of(text, a);
		EXPECT_NE(0, strlen(before));
		EXPECT_STREQ(before, after);
		free(before);
		free(after);
		free(a);
		free(b);
	}
	/* the parent death signals came back */
	EXPECT_NE(NULL, strstr(text, "C before pid ")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, " pdeath 9 ")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, " pdeath 15 ")) TH_LOG("%s", text);
	/* C leads its session, G is in it */
	EXPECT_NE(NULL, strstr(text, "pgid-is-own sid-is-own")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "pgid-is-parents sid-is-parents"));
	/* the page R and C share is still shared */
	EXPECT_NE(NULL, strstr(text, "C exit 0\nR shared written by C\n"));
	free(text);
}

/* The @nth task record of @img */
static struct ckpt_hdr_task *task_record(unsigned char *img, size_t len,
					 int nth)
{
	struct ckpt_hdr *h;
	size_t off = 0;

	while (off + sizeof(*h) <= len) {
		h = (struct ckpt_hdr *)(img + off);
		if (h->len < sizeof(*h))
			break;
		if (h->type == CKPT_HDR_TASK && !nth--)
			return (struct ckpt_hdr_task *)h;
		off += h->len;
	}
	return NULL;
}

/*
 * An image that only its checksum shows corrupt: restart builds the
 * whole tree before it fails, and then kills it
 */
TEST(failed_tree_restart_leaves_nothing)
{
	char *const argv[] = { "sh", "-c",
			       "restart --no-pidns -i /tmp/tt-bad.img 2>&1", NULL };
	struct ckpt_hdr_task *g;
	unsigned char *img;
	pid_t pid, pids[3];
	size_t len;
	char *out;
	int fd, i;

	/* the orphans of the restart come to us, to be reaped */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	pid = start_tree();
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, tree_pids(pids));
	ASSERT_EQ(0, checkpoint_kill(pid, IMG));
	/* C and G, orphans, are ours to reap */
	for (i = 0; i < 500 && (!kill(pids[1], 0) || !kill(pids[2], 0)); i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	fd = open(IMG, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ckpt_read_fd(fd, &img, &len));
	close(fd);
	/* G's comm, still a valid one */
	g = task_record(img, len, 2);
	ASSERT_NE(NULL, g);
	g->comm[0] ^= 1;
	fd = open("/tmp/tt-bad.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_EQ((ssize_t)len, write(fd, img, len));
	close(fd);
	free(img);

	EXPECT_NE(0, run_capture(argv, &out));
	EXPECT_NE(NULL, strstr(out, "image checksum mismatch")) TH_LOG("%s", out);
	free(out);
	/* the tasks restart made are gone, and reaped */
	for (i = 0; i < 3; i++) {
		pid_t p = pids[i];
		int n;

		for (n = 0; n < 500 && !kill(p, 0); n++) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			usleep(10000);
		}
		EXPECT_NE(0, kill(p, 0)) TH_LOG("pid %d is alive", p);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/*
 * A parent frozen in waitpid() for its child waits again after restart,
 * and gets the status of the restored child
 */
TEST(parent_blocked_in_waitpid)
{
	char *text, *before, *after;
	pid_t pid, c;

	pid = start_tree_mode("waiter");
	ASSERT_GT(pid, 0);
	/* let it settle in waitpid() */
	usleep(100000);
	ASSERT_EQ(0, checkpoint_kill(pid, IMG));
	pid = restart_detached(IMG, "/tmp/tt.pid", "/tmp/tt.detach");
	ASSERT_GT(pid, 0) {
		text = file_text("/tmp/tt.detach");
		TH_LOG("%s", text);
	}
	/* the restored C, in the new pid namespace, seen from here */
	{
		char path[64], buf[64];
		int fd;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
		fd = open(path, O_RDONLY);
		ASSERT_GE(fd, 0);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		ASSERT_GT(n, 0);
		buf[n] = '\0';
		c = atoi(buf);
	}
	ASSERT_EQ(0, kill(c, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 20000);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "C exit 5\nchecks ok")) TH_LOG("%s", text);
	before = lines_of(text, "C before ");
	after = lines_of(text, "C after ");
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
	free(text);
}

/* Children made in another pid namespace than the caller's: refused */
TEST(caller_with_another_pid_namespace_for_children)
{
	char reason[512];
	int status, fd, logfd;
	pid_t pid, c;

	pid = start_tree();
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, checkpoint_kill(pid, IMG));
	/* not before: the tree would have it, and memfds are refused */
	logfd = memfd_create("log", 0);
	c = fork();
	ASSERT_GE(c, 0);
	if (!c) {
		fd = open(IMG, O_RDONLY);
		if (fd < 0 || unshare(CLONE_NEWPID))
			_exit(2);
		if (sys_restart(0, fd, 0, logfd) != -1 || errno != EBUSY)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(c, waitpid(c, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ckpt_log_reason(logfd, reason, sizeof(reason));
	EXPECT_NE(NULL, strstr(reason, "in another pid namespace")) TH_LOG("%s", reason);
	close(logfd);
}

TEST_HARNESS_MAIN
