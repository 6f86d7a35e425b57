// SPDX-License-Identifier: GPL-2.0
/*
 * SysV IPC: the IPC namespace of a process comes back in a new one, with
 * every queue and semaphore set at the same id and key, with the same
 * owners, modes, times and contents; what is not supported yet is
 * refused by name, and malformed IPC records are rejected.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"

#define REPORT "/tmp/it.report"

/* Remove every queue and set of the caller's IPC namespace */
static void ipc_clean(void)
{
	struct msqid_ds q;
	struct semid_ds s;
	struct shmid_ds m;
	int i, id;

	for (i = 0; i < 256; i++) {
		id = shmctl(i, SHM_STAT_ANY, &m);
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
		id = msgctl(i, MSG_STAT_ANY, &q);
		if (id >= 0)
			msgctl(id, IPC_RMID, NULL);
		id = semctl(i, 0, SEM_STAT_ANY, &s);
		if (id >= 0)
			semctl(id, 0, IPC_RMID);
	}
}

/* Start ckpt_ipc @scenario, in a new IPC namespace if @newns */
static pid_t start_ipc(const char *report, const char *scenario, int newns)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (newns && unshare(CLONE_NEWIPC))
		_exit(120);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execl("/bin/ckpt_ipc", "ckpt_ipc", report, scenario, NULL);
	_exit(127);
}

/* Our own namespace's objects, described */
static char *describe_here(void)
{
	char *const argv[] = { "/bin/ckpt_ipc", "/tmp/it.here", "list", NULL };
	char *text;

	unlink("/tmp/it.here");
	run_logged(argv, "/tmp/it.here.out");
	text = file_text("/tmp/it.here");
	return text ? text : strdup("");
}

TEST(queues_and_semaphores_come_back_in_a_new_namespace)
{
	char *text, *before, *after, *here_before, *here_after;
	pid_t pid;

	/* ours, where the original runs: new, so that ids start at 0 */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	unlink(REPORT);
	pid = start_ipc(REPORT, "objects", 0);
	ASSERT_GT(pid, 0);
	text = wait_text(REPORT, "ready", 10000);
	ASSERT_NE(NULL, strstr(text, "ready")) TH_LOG("%s", text);
	free(text);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/it.img"));
	here_before = describe_here();

	pid = restart_detached("/tmp/it.img", "/tmp/it.pid", "/tmp/it.detach");
	ASSERT_GT(pid, 0) {
		text = file_text("/tmp/it.detach");
		TH_LOG("%s", text);
	}
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	EXPECT_NE(NULL, strstr(before, "msg 0 key 0x1234"));
	EXPECT_NE(NULL, strstr(before, "qbytes 1000 qnum 10 cbytes 1000"));
	EXPECT_NE(NULL, strstr(before, "sem 0 key 0x5678"));
	EXPECT_NE(NULL, strstr(before, "shm 0 key 0x9999"));
	/* removed while attached */
	EXPECT_NE(NULL, strstr(before, "mode 01600"));
	EXPECT_STREQ(before, after);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(before);
	free(after);
	free(text);

	/* nothing leaked into ours: the objects left behind, untouched */
	here_after = describe_here();
	EXPECT_STREQ(here_before, here_after);
	free(here_before);
	free(here_after);
	ipc_clean();
}

/* Two containers whose ids and keys collide, restored side by side */
TEST(colliding_namespaces_side_by_side)
{
	char *a, *b;
	pid_t pa, pb;

	ipc_clean();
	unlink("/tmp/it.a");
	unlink("/tmp/it.b");
	pa = start_ipc("/tmp/it.a", "objects", 1);
	pb = start_ipc("/tmp/it.b", "objects", 1);
	free(wait_text("/tmp/it.a", "ready", 10000));
	free(wait_text("/tmp/it.b", "ready", 10000));
	ASSERT_EQ(0, checkpoint_kill(pa, "/tmp/it-a.img"));
	ASSERT_EQ(0, checkpoint_kill(pb, "/tmp/it-b.img"));
	pa = restart_detached("/tmp/it-a.img", "/tmp/it-a.pid", "/tmp/it.detach");
	pb = restart_detached("/tmp/it-b.img", "/tmp/it-b.pid", "/tmp/it.detach");
	ASSERT_GT(pa, 0);
	ASSERT_GT(pb, 0);
	kill(pa, SIGUSR1);
	kill(pb, SIGUSR1);
	a = wait_text("/tmp/it.a", "checks ok", 10000);
	b = wait_text("/tmp/it.b", "checks ok", 10000);
	EXPECT_NE(NULL, strstr(a, "checks ok")) TH_LOG("%s", a);
	EXPECT_NE(NULL, strstr(b, "checks ok")) TH_LOG("%s", b);
	free(a);
	free(b);
}

static int open_ns(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Enter @pid's IPC namespace and run @fn there, in a child */
static int in_ns_of(pid_t pid, int (*fn)(void))
{
	int fd, status;
	pid_t c = fork();

	if (!c) {
		fd = open_ns(pid);
		if (fd < 0 || setns(fd, CLONE_NEWIPC))
			_exit(120);
		_exit(fn());
	}
	if (waitpid(c, &status, 0) != c)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int send_hello(void)
{
	struct { long mtype; char text[8]; } m = { 5, "hello" };
	int id = msgget(0x777, 0);

	return id < 0 || msgsnd(id, &m, 5, 0);
}

static int post_sem(void)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int id = semget(0x778, 0, 0);

	return id < 0 || semop(id, &op, 1);
}

static void blocked(struct __test_metadata *_metadata, const char *what,
		    int (*wake)(void), const char *expect)
{
	char *text;
	pid_t pid;

	ipc_clean();
	unlink(REPORT);
	pid = start_ipc(REPORT, what, 1);
	free(wait_text(REPORT, "ready", 10000));
	usleep(200000);
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/it.img"));
	pid = restart_detached("/tmp/it.img", "/tmp/it.pid", "/tmp/it.detach");
	ASSERT_GT(pid, 0);
	usleep(200000);
	text = file_text(REPORT);
	EXPECT_EQ(NULL, strstr(text, expect)) TH_LOG("did not wait: %s", text);
	free(text);
	ASSERT_EQ(0, in_ns_of(pid, wake));
	text = wait_text(REPORT, expect, 10000);
	EXPECT_NE(NULL, strstr(text, expect)) TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
}

TEST(blocked_in_msgrcv)
{
	blocked(_metadata, "msgrcv", send_hello, "msgrcv 5 type 5 hello");
}

TEST(blocked_in_semop)
{
	blocked(_metadata, "semop", post_sem, "semop 0");
}

static int take_msg(void)
{
	struct { long mtype; char text[64]; } m;
	int id = msgget(0x779, 0);

	return id < 0 || msgrcv(id, &m, sizeof(m.text), 0, 0) != 64;
}

TEST(blocked_in_msgsnd)
{
	blocked(_metadata, "msgsnd", take_msg, "msgsnd 0");
}

TEST(blocked_in_semtimedop)
{
	blocked(_metadata, "semtimedop", post_sem, "semtimedop 0");
}

static void refused(struct __test_metadata *_metadata, const char *what,
		    const char *reason)
{
	char *const ckpt[] = { "sh", "-c",
			       "checkpoint -o /tmp/it-r.img --kill $(cat /tmp/it.rpid) 2>&1",
			       NULL };
	char *out;
	pid_t pid;
	FILE *f;

	unlink(REPORT);
	pid = start_ipc(REPORT, what, 1);
	free(wait_text(REPORT, "ready", 10000));
	f = fopen("/tmp/it.rpid", "w");
	fprintf(f, "%d\n", pid);
	fclose(f);
	EXPECT_EQ(1, run_capture(ckpt, &out));
	EXPECT_NE(NULL, strstr(out, reason)) TH_LOG("%s", out);
	free(out);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The values of the sets with keys @keys, in the IPC namespace @nsfd */
static void values_in_ns(int nsfd, const key_t *keys, int n, char *out,
			 size_t size)
{
	unsigned short vals[8];
	struct semid_ds ds;
	int p[2], i, j, id, len = 0;
	char buf[256];
	ssize_t got;
	pid_t c;

	out[0] = '\0';
	if (pipe(p))
		return;
	c = fork();
	if (!c) {
		close(p[0]);
		if (setns(nsfd, CLONE_NEWIPC))
			_exit(1);
		for (i = 0; i < n; i++) {
			id = semget(keys[i], 0, 0);
			if (id < 0 || semctl(id, 0, IPC_STAT, &ds) ||
			    semctl(id, 0, GETALL, vals))
				len += snprintf(buf + len, sizeof(buf) - len,
						"%s?", i ? " /" : "");
			for (j = 0; id >= 0 && j < (int)ds.sem_nsems && j < 8; j++)
				len += snprintf(buf + len, sizeof(buf) - len,
						"%s%u", i && !j ? " / " : j ? " " : "",
						vals[j]);
		}
		_exit(write(p[1], buf, len) != len);
	}
	close(p[1]);
	got = read(p[0], out, size - 1);
	out[got > 0 ? got : 0] = '\0';
	close(p[0]);
	waitpid(c, NULL, 0);
}

/*
 * Start ckpt_ipc @scenario in a new IPC namespace, wait for @ready in
 * its report, checkpoint and kill it, and restart it detached.
 * Return: the restored pid, or -1 with what went wrong on stderr.
 */
static pid_t ipc_restored(const char *scenario, const char *ready)
{
	char *text;
	pid_t pid;

	unlink(REPORT);
	pid = start_ipc(REPORT, scenario, 1);
	if (pid < 0)
		return -1;
	text = wait_text(REPORT, ready, 10000);
	if (!text || !strstr(text, ready)) {
		fprintf(stderr, "# not ready: %s\n", text ? text : "no report");
		free(text);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	free(text);
	if (checkpoint_kill(pid, "/tmp/it.img"))
		return -1;
	pid = restart_detached("/tmp/it.img", "/tmp/it.pid", "/tmp/it.detach");
	if (pid < 0) {
		text = file_text("/tmp/it.detach");
		fprintf(stderr, "# restart: %s\n", text ? text : "");
		free(text);
	}
	return pid;
}

/*
 * The undo list comes back entry for entry, and its adjustments apply
 * when the restored process exits
 */
TEST(undo_list_comes_back_and_applies_at_exit)
{
	const key_t keys[] = { 0x5a5a, 0x5a5b };
	char *text, *before, *after, vals[256];
	int nsfd, i;
	pid_t pid;

	pid = ipc_restored("undo", "ready");
	ASSERT_GT(pid, 0);
	nsfd = open_ns(pid);
	ASSERT_GE(nsfd, 0);
	values_in_ns(nsfd, keys, 2, vals, sizeof(vals));
	EXPECT_STREQ("4 5 7 / 2", vals);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	/* 0x5a5a used last, 0x5a5b, and nothing of the removed set */
	EXPECT_NE(NULL, strstr(before, "undo 0 1 0 -2\nundo 1 1\n"))
		TH_LOG("%s", before);
	EXPECT_EQ(NULL, strstr(before, "undo 2"));
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
	free(text);
	/* it exits: 0x5a5a gets 1 0 -2 back, 0x5a5b 1 */
	for (i = 0; i < 1000 && !kill(pid, 0); i++)
		usleep(10000);
	EXPECT_NE(0, kill(pid, 0));
	values_in_ns(nsfd, keys, 2, vals, sizeof(vals));
	EXPECT_STREQ("5 5 5 / 3", vals);
	close(nsfd);
}

/*
 * A child made with CLONE_SYSVSEM shares the undo list of its parent:
 * both come back sharing one list, which applies once, when the last of
 * them exits
 */
TEST(shared_undo_list_comes_back_shared)
{
	const key_t keys[] = { 0x5a5a, 0x5a5b };
	char *text, *before, *after, *cbefore, *cafter, vals[256];
	char *pundo, *cundo;
	int nsfd, i;
	pid_t pid;

	/* "\nready": the parent's, not the child's "child ready" */
	pid = ipc_restored("undotree", "\nready");
	ASSERT_GT(pid, 0);
	nsfd = open_ns(pid);
	ASSERT_GE(nsfd, 0);
	values_in_ns(nsfd, keys, 2, vals, sizeof(vals));
	EXPECT_STREQ("4 5 7 / 3", vals);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	ASSERT_NE(NULL, text);
	before = lines_of(text, "before ");
	after = lines_of(text, "after ");
	cbefore = lines_of(text, "cbefore ");
	cafter = lines_of(text, "cafter ");
	EXPECT_STREQ(before, after);
	/* the child: same pid and parent, same process group and session */
	EXPECT_NE(NULL, strstr(cbefore, "pgrp-is-parents 1 sid-is-parents 1"))
		TH_LOG("%s", cbefore);
	EXPECT_STREQ(cbefore, cafter);
	/* one list, which the child used last */
	pundo = lines_of(before, "undo ");
	cundo = lines_of(cbefore, "undo ");
	EXPECT_STREQ("1 0\n0 1 0 -2\n", pundo);
	EXPECT_STREQ(pundo, cundo);
	/* what the restored child did to it, its restored parent sees */
	EXPECT_NE(NULL, strstr(text, "child exit 0\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "shared undo 0 1 -1 -2\nshared undo 1 0\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "checks ok"));
	free(pundo);
	free(cundo);
	free(before);
	free(after);
	free(cbefore);
	free(cafter);
	free(text);
	/* the list applies once: 0x5a5a gets 1 -1 -2 back, 0x5a5b 0 */
	for (i = 0; i < 1000 && !kill(pid, 0); i++)
		usleep(10000);
	EXPECT_NE(0, kill(pid, 0));
	values_in_ns(nsfd, keys, 2, vals, sizeof(vals));
	EXPECT_STREQ("5 5 5 / 3", vals);
	close(nsfd);
}

/* Its parent, outside the tree, shares its undo list */
static pid_t start_sharing_undo(const char *report)
{
	pid_t pid = syscall(SYS_clone, CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0);

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execl("/bin/ckpt_ipc", "ckpt_ipc", report, "sharedundo", NULL);
	_exit(127);
}

TEST(shared_undo_list_is_refused_by_name)
{
	char *const ckpt[] = { "sh", "-c",
			       "checkpoint -o /tmp/it-r.img --kill $(cat /tmp/it.rpid) 2>&1",
			       NULL };
	char *out;
	pid_t pid;
	FILE *f;

	ipc_clean();
	unlink(REPORT);
	pid = start_sharing_undo(REPORT);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	f = fopen("/tmp/it.rpid", "w");
	fprintf(f, "%d\n", pid);
	fclose(f);
	EXPECT_EQ(1, run_capture(ckpt, &out));
	EXPECT_NE(NULL, strstr(out, "semaphore undo list shared with a task outside the tree"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "(CLONE_SYSVSEM) not supported"));
	free(out);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ipc_clean();
}

TEST(hugetlb_segment_is_refused_by_name)
{
	const char *nr = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages";
	FILE *f = fopen(nr, "w");

	ASSERT_NE(NULL, f) TH_LOG("%s: %s", nr, strerror(errno));
	fprintf(f, "2\n");
	ASSERT_EQ(0, fclose(f));
	refused(_metadata, "hugetlb", "shm 0: SHM_HUGETLB not supported");
	f = fopen(nr, "w");
	fprintf(f, "0\n");
	fclose(f);
}

/*
 * A segment met through a vma but not in the namespace pass: the
 * namespace changed under the checkpoint (here, the task left it)
 */
TEST(segment_outside_the_namespace_is_busy)
{
	refused(_metadata, "otherns", "was not in the IPC namespace when it was saved");
}

/* /proc/@pid/semundo (@pid 0: self) into @buf; 0 or the errno */
static int semundo_get(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd, err;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/semundo", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/semundo");
	buf[0] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err;
	buf[n] = '\0';
	return 0;
}

/* Write @len bytes of @text to /proc/self/semundo; 0 or the errno */
static int semundo_put(const char *text, size_t len)
{
	int fd = open("/proc/self/semundo", O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, text, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

static int semundo_puts(const char *text)
{
	return semundo_put(text, strlen(text));
}

/* A new set of @n semaphores at @val in our IPC namespace */
static int new_set(key_t key, int n, int val, int mode)
{
	unsigned short vals[8];
	int id, i;

	id = semget(key, n, IPC_CREAT | IPC_EXCL | mode);
	for (i = 0; i < n; i++)
		vals[i] = val;
	if (id >= 0 && semctl(id, 0, SETALL, vals))
		return -1;
	return id;
}

/* Another user, whose /proc files are its own */
static int become(uid_t uid)
{
	return setresgid(uid, uid, uid) || setresuid(uid, uid, uid) ||
	       prctl(PR_SET_DUMPABLE, 1);
}

TEST(semundo_shows_the_list)
{
	struct sembuf ops[2] = { { 0, -1, SEM_UNDO }, { 1, 2, SEM_UNDO } };
	struct sembuf one = { 0, 3, SEM_UNDO };
	char buf[256];

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	EXPECT_EQ(0, semundo_get(0, buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
	ASSERT_EQ(0, new_set(1, 2, 5, 0600));
	ASSERT_EQ(1, new_set(2, 1, 5, 0600));
	ASSERT_EQ(0, semop(0, ops, 2));
	ASSERT_EQ(0, semop(1, &one, 1));
	EXPECT_EQ(0, semundo_get(0, buf, sizeof(buf)));
	EXPECT_STREQ("1 -3\n0 1 -2\n", buf);
	/* a removed set drops out */
	ASSERT_EQ(0, semctl(1, 0, IPC_RMID));
	EXPECT_EQ(0, semundo_get(0, buf, sizeof(buf)));
	EXPECT_STREQ("0 1 -2\n", buf);
}

TEST(semundo_read_permissions)
{
	struct sembuf op = { 0, -1, SEM_UNDO };
	int ready[2], status;
	char buf[256], c;
	pid_t owner, other;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ASSERT_EQ(0, pipe(ready));
	owner = fork();
	if (!owner) {
		/* uid 1000 with a list of its own, which it may read */
		if (become(1000) || new_set(1, 1, 5, 0600) != 0 ||
		    semop(0, &op, 1) || semundo_get(0, buf, sizeof(buf)) ||
		    strcmp(buf, "0 1\n"))
			_exit(1);
		write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	/* root may read it */
	EXPECT_EQ(0, semundo_get(owner, buf, sizeof(buf)));
	EXPECT_STREQ("0 1\n", buf);
	/* another user may not */
	other = fork();
	if (!other)
		_exit(become(1001) ? 100 : semundo_get(owner, buf, sizeof(buf)));
	ASSERT_EQ(other, waitpid(other, &status, 0));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
	/* nor may the owner read root's */
	ASSERT_EQ(0, semop(0, &(struct sembuf){ 0, 1, SEM_UNDO }, 1));
	other = fork();
	if (!other)
		_exit(become(1000) ? 100 : semundo_get(getppid(), buf, sizeof(buf)));
	ASSERT_EQ(other, waitpid(other, &status, 0));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
	kill(owner, SIGKILL);
	waitpid(owner, NULL, 0);
}

/* Written lines read back the same, and apply at exit */
TEST(semundo_write_installs_a_list)
{
	unsigned short vals[3];
	char buf[256];
	int status;
	pid_t c;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ASSERT_EQ(0, new_set(1, 3, 10, 0600));
	ASSERT_EQ(1, new_set(2, 1, 10, 0600));
	c = fork();
	if (!c) {
		if (semundo_puts("1 5\n0 3 -4 0\n") ||
		    semundo_get(0, buf, sizeof(buf)) ||
		    strcmp(buf, "1 5\n0 3 -4 0\n"))
			_exit(1);
		/* a set written again gets the new values, in place */
		if (semundo_puts("  0\t-1 2  -32768\n\n") ||
		    semundo_get(0, buf, sizeof(buf)) ||
		    strcmp(buf, "0 -1 2 -32768\n1 5\n"))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(c, waitpid(c, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* its exit applied them, clamped at 0 */
	ASSERT_EQ(0, semctl(0, 0, GETALL, vals));
	EXPECT_EQ(9, vals[0]);
	EXPECT_EQ(12, vals[1]);
	EXPECT_EQ(0, vals[2]);
	EXPECT_EQ(15, semctl(1, 0, GETVAL));
}

TEST(semundo_write_rejects_garbage)
{
	static const char *const bad[] = {
		"abc\n", "0 1 x\n", "0\n", "0 1\n", "0 1 2 3\n",
		"0 40000 0\n", "0 -32769 0\n", "99 1 1\n", "-1 1 1\n",
		"0 1 1\n0 2 2\n", "0 7 7\n5 1\n", "0 7 7\n0\n",
		"0 99999999999999999999 0\n", "0x0 1 1\n", "0 1 1 \x01\n",
		"0 --1 1\n", "0 - 1\n", "\xff\xfe\n",
	};
	static char big[1 << 20 | 1];
	char buf[256];
	unsigned int i;
	int status;
	pid_t c;

	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	ASSERT_EQ(0, new_set(1, 2, 10, 0600));
	ASSERT_EQ(0, semundo_puts("0 1 1\n"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, semundo_puts(bad[i])) TH_LOG("%s", bad[i]);
		/* nothing of it was taken */
		EXPECT_EQ(0, semundo_get(0, buf, sizeof(buf)));
		EXPECT_STREQ("0 1 1\n", buf) TH_LOG("after %s", bad[i]);
	}
	memset(big, '\n', sizeof(big));
	EXPECT_EQ(EFBIG, semundo_put(big, sizeof(big)));
	EXPECT_EQ(0, semundo_put(big, sizeof(big) - 1));
	EXPECT_EQ(0, semundo_puts(""));
	EXPECT_EQ(0, semundo_get(0, buf, sizeof(buf)));
	EXPECT_STREQ("0 1 1\n", buf);

	/* only the process itself may write its list */
	c = fork();
	if (!c) {
		pause();
		_exit(0);
	}
	snprintf(buf, sizeof(buf), "/proc/%d/semundo", c);
	EXPECT_EQ(-1, open(buf, O_WRONLY));
	EXPECT_EQ(EPERM, errno);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);

	/* and needs alter permission on the set */
	ASSERT_EQ(1, new_set(2, 1, 10, 0644));
	c = fork();
	if (!c)
		_exit(become(1000) ? 100 : semundo_puts("1 1\n"));
	ASSERT_EQ(c, waitpid(c, &status, 0));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
}

/* An image holding IPC objects, to damage */
FIXTURE(image) {
	unsigned char *img;
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	pid_t pid;
	int fd;

	unlink(REPORT);
	pid = start_ipc(REPORT, "objects", 1);
	free(wait_text(REPORT, "ready", 10000));
	ASSERT_EQ(0, checkpoint_kill(pid, "/tmp/it-bad.img"));
	fd = open("/tmp/it-bad.img", O_RDONLY);
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

#define EXPECT_REJECTED(what) do {					\
	char _r[1024];							\
	EXPECT_EQ(EINVAL, validate(self, _r, sizeof(_r)));		\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

static void *record(struct _test_data_image *self, uint32_t type, int nth)
{
	long off = find_record(self->img, self->len, type, nth);

	return off < 0 ? NULL : self->img + off;
}

TEST_F(image, valid_image_is_accepted)
{
	char reason[1024];

	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	EXPECT_NE(NULL, record(self, CKPT_HDR_IPC_NS, 0));
	EXPECT_NE(NULL, record(self, CKPT_HDR_IPC_MSG, 2));
	EXPECT_NE(NULL, record(self, CKPT_HDR_IPC_SEM, 1));
	EXPECT_NE(NULL, record(self, CKPT_HDR_SEM_UNDO, 0));
}

TEST_F(image, id_out_of_range)
{
	struct ckpt_hdr_ipc_msg *m = record(self, CKPT_HDR_IPC_MSG, 0);

	ASSERT_NE(NULL, m);
	m->perm.id = 1 << 30;
	EXPECT_REJECTED("id out of range");
	m->perm.id = -5;
	EXPECT_REJECTED("id out of range");
}

TEST_F(image, message_longer_than_msgmax)
{
	struct ckpt_hdr_ipc_ns *ns = record(self, CKPT_HDR_IPC_NS, 0);

	ASSERT_NE(NULL, ns);
	ns->msg_ctlmax = 100;
	EXPECT_REJECTED("is longer than msgmax 100");
}

TEST_F(image, nsems_over_the_limit)
{
	struct ckpt_hdr_ipc_ns *ns = record(self, CKPT_HDR_IPC_NS, 0);

	ASSERT_NE(NULL, ns);
	ns->sem_ctls[0] = 2;
	EXPECT_REJECTED("5 semaphores, over the limit of 2");
}

TEST_F(image, shm_vma_objref_names_no_segment)
{
	struct ckpt_hdr_vma *v;
	int i;

	for (i = 0; (v = record(self, CKPT_HDR_VMA, i)); i++)
		if (v->type == CKPT_VMA_SYSVSHM)
			break;
	ASSERT_NE(NULL, v);
	v->shm_ref = 999;
	EXPECT_REJECTED("objref 999 is not defined");
	v->shm_ref = 1;
	EXPECT_REJECTED("is a task, expected a shm segment");
}

/* The undo list of the image: one entry, for set 1 of one semaphore */
static struct ckpt_sem_undo *undo_entry(struct _test_data_image *self,
					struct ckpt_hdr_sem_undo **u)
{
	struct ckpt_sem_undo *e;

	*u = record(self, CKPT_HDR_SEM_UNDO, 0);
	if (!*u || (*u)->nr != 1)
		return NULL;
	e = (void *)(*u + 1);
	return e->semid == 1 && e->nsems == 1 ? e : NULL;
}

TEST_F(image, semadj_length_does_not_match)
{
	struct ckpt_hdr_sem_undo *u;
	struct ckpt_sem_undo *e = undo_entry(self, &u);

	ASSERT_NE(NULL, e);
	e->nsems = 3;
	EXPECT_REJECTED("set 1 has 1 semaphores, the list 3 adjustments");
	e->nsems = 5;
	EXPECT_REJECTED("sem undo entry 0 runs past the record");
	e->nsems = 0;
	EXPECT_REJECTED("sem undo entry 0 runs past the record");
}

TEST_F(image, bad_undo_list)
{
	struct ckpt_hdr_sem_undo *u;
	struct ckpt_sem_undo *e = undo_entry(self, &u);

	ASSERT_NE(NULL, e);
	e->semid = 7;
	EXPECT_REJECTED("sem undo: set 7 is not in the image");
	e->semid = -1;
	EXPECT_REJECTED("sem undo entry 0: bad id -1");
	e->semid = 1;
	u->nr = 2;
	EXPECT_REJECTED("sem undo: 2 entries in 32 bytes");
	u->nr = 0;
	EXPECT_REJECTED("sem undo: 0 bytes of entries in 16");
	u->nr = 1;
	u->objref = 1;
	EXPECT_REJECTED("objref 1 defined twice");
}

/* Queues, sets and segments in our IPC namespace */
static int ipc_count(void)
{
	struct shm_info shi;
	struct msginfo mi;
	struct seminfo si;

	if (msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) < 0 ||
	    semctl(0, 0, SEM_INFO, &si) < 0 ||
	    shmctl(0, SHM_INFO, (struct shmid_ds *)&shi) < 0)
		return -1;
	return mi.msgpool + si.semusz + shi.used_ids;
}

/*
 * A restart that fails once the objects are made removes them: here
 * the undo list names a set the image does not have
 */
TEST_F(image, failed_restart_removes_its_objects)
{
	struct ckpt_hdr_sem_undo *u;
	struct ckpt_sem_undo *e = undo_entry(self, &u);
	int fd, status;
	pid_t c;

	ASSERT_NE(NULL, e);
	e->semid = 7;
	fix_crc(self->img, self->len);
	fd = memfd_with(self->img, self->len);
	c = fork();
	if (!c) {
		if (unshare(CLONE_NEWIPC) || ipc_count())
			_exit(10);
		if (sys_restart(0, fd, 0, self->logfd) != -1 || errno != EINVAL)
			_exit(11);
		_exit(ipc_count() ? 12 : 0);
	}
	ASSERT_EQ(c, waitpid(c, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

/* Also once the task was changed, and killed for the failure */
TEST_F(image, killed_restart_removes_its_objects)
{
	struct ckpt_hdr_vma *v = record(self, CKPT_HDR_VMA, 0);
	int fd, go[2], ready[2], status, nsfd;
	char c1 = 0;
	pid_t c;

	ASSERT_NE(NULL, v);
	v->flags |= 1U << 20;
	fix_crc(self->img, self->len);
	fd = memfd_with(self->img, self->len);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	c = fork();
	if (!c) {
		if (unshare(CLONE_NEWIPC) || write(ready[1], "r", 1) != 1 ||
		    read(go[0], &c1, 1) != 1)
			_exit(10);
		sys_restart(0, fd, 0, self->logfd);
		_exit(11);
	}
	ASSERT_EQ(1, read(ready[0], &c1, 1));
	nsfd = open_ns(c);
	ASSERT_GE(nsfd, 0);
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(c, waitpid(c, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	c = fork();
	if (!c)
		_exit(setns(nsfd, CLONE_NEWIPC) ? 100 : ipc_count());
	ASSERT_EQ(c, waitpid(c, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(nsfd);
	close(fd);
}

/*
 * Every byte of the IPC records flipped three ways, with a good
 * checksum: accepted if still valid, else refused, never anything else
 */
TEST_F(image, every_flipped_byte_of_the_ipc_records)
{
	static const uint32_t types[] = {
		CKPT_HDR_IPC_NS, CKPT_HDR_IPC_MSG, CKPT_HDR_IPC_SEM,
		CKPT_HDR_IPC_SHM, CKPT_HDR_SEM_UNDO,
	};
	static const unsigned char flips[] = { 0xff, 0x01, 0x80 };
	unsigned char *save = malloc(self->len);
	char reason[1024];
	unsigned int t, i;
	size_t off, end;
	long at;
	int err;

	ASSERT_NE(NULL, save);
	memcpy(save, self->img, self->len);
	for (t = 0; t < ARRAY_SIZE(types); t++) {
		at = find_record(self->img, self->len, types[t], 0);
		ASSERT_GE(at, 0);
		end = at + ((struct ckpt_hdr *)(self->img + at))->len;
		/* a queue's first messages: the rest is more of the same */
		if (end > at + 256)
			end = at + 256;
		for (off = at; off < end; off++) {
			for (i = 0; i < ARRAY_SIZE(flips); i++) {
				self->img[off] ^= flips[i];
				err = validate(self, reason, sizeof(reason));
				EXPECT_TRUE(!err || err == EINVAL ||
					    err == EOPNOTSUPP)
					TH_LOG("type %u byte %zu ^ %#x: %d %s",
					       types[t], off - at, flips[i], err,
					       reason);
				memcpy(self->img, save, self->len);
			}
		}
	}
	free(save);
}

TEST_F(image, bad_shm_fields)
{
	struct ckpt_hdr_ipc_shm *m = record(self, CKPT_HDR_IPC_SHM, 0);

	ASSERT_NE(NULL, m);
	m->flags |= 1U << 7;
	EXPECT_REJECTED("bad fields");
	m->flags &= ~(1U << 7);
	m->perm.id = 1 << 30;
	EXPECT_REJECTED("id out of range");
}

TEST_F(image, bad_ipc_fields)
{
	struct ckpt_hdr_ipc_ns *ns = record(self, CKPT_HDR_IPC_NS, 0);
	struct ckpt_hdr_ipc_sem *s = record(self, CKPT_HDR_IPC_SEM, 0);
	struct ckpt_hdr_ipc_msg *m = record(self, CKPT_HDR_IPC_MSG, 0);
	struct ckpt_ipc_msg *first;

	ASSERT_NE(NULL, ns);
	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, m);
	ns->nr_sem++;
	EXPECT_REJECTED("out of place");
	ns->nr_sem--;
	s->sems[0].semval = 40000;
	EXPECT_REJECTED("bad value 40000");
	s->sems[0].semval = 0;
	m->cbytes++;
	EXPECT_REJECTED("bytes of messages");
	m->cbytes--;
	first = (void *)(m + 1);
	first->mtype = 0;
	EXPECT_REJECTED("bad type 0");
}

TEST_HARNESS_MAIN
