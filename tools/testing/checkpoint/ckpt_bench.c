// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_bench - checkpoint and restart speed against the physical baseline.
 *
 * For private anonymous memory of 16, 64 and 256 MiB filled with
 * non-zero data, measures in this guest:
 *  - checkpoint(2) time of a frozen process holding it, into a tmpfs file;
 *  - restart time, from restart(2) until the restored process answers;
 *  - the image size;
 *  - the baseline: write() of the same bytes from memory to a tmpfs file,
 *    and read() of them back into fresh memory (as a restore must: the
 *    pages are allocated as they are read).  read() into memory that
 *    is already there is printed too, for reference.
 * Prints a table with the ratios, and checks the targets: checkpoint
 * throughput >= 0.8x the baseline write, restart throughput >= 0.8x the
 * baseline read, image <= populated bytes + 1%.  Exits 1 if one is missed.
 *
 * Then the same for a process holding a pipe with 1 MiB in it (baseline:
 * write() and read() of 1 MiB), and one with 1000 open files (baseline:
 * open() and lseek() of 1000 files), and an idle process (the fixed
 * cost), one with a 64 MiB SysV shared memory segment (baseline: write()
 * and read() of 64 MiB), one with a queue of 10000 messages (baseline:
 * msgsnd() of them), one with a POSIX queue of 10000 messages (baseline:
 * mq_open() and mq_send() of them), one with 1000 semaphore sets (baseline: semget()
 * of them) and one with 1000 sets and an undo entry for each (baseline:
 * semget() and semop() with SEM_UNDO of them), each in its own IPC
 * namespace, and a tree of 100 idle processes (baseline: fork() of
 * them; the restart makes them with their pids).  Those rows have no
 * speed target; their image must stay within the idle one's plus the
 * data and a bound per object (for the tree, the idle one's for each
 * process).
 *
 * Last, an epoll file watching 1000 and then 10000 eventfds (baseline:
 * eventfd() and epoll_ctl() of them), whose image must stay within the
 * idle one's plus 96 bytes an eventfd, and 1000 and then 10000 Unix
 * stream socketpairs with 4 KiB queued on each (baseline: socketpair()
 * and write() of them), within the idle one's plus the data and 320
 * bytes a pair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt_lib.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(unsigned char *p, size_t len)
{
	unsigned long long x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

static int write_all(int fd, const void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

enum kind { MEMORY, PIPE, FILES, IDLE, MSGQ, SEMS, UNDO, SHM, TREE, EPOLL,
	     SOCKETS, POSIXMQ };

#define PIPE_BYTES	(1024 * 1024)
#define NR_FILES	1000

/* Open NR_FILES files at fds 10.., each at its own position */
static int open_files(void)
{
	char name[64];
	int i, fd;

	for (i = 0; i < NR_FILES; i++) {
		snprintf(name, sizeof(name), "/tmp/bench-f%d", i);
		fd = open(name, O_RDWR | O_CREAT, 0600);
		if (fd < 0 || dup2(fd, 10 + i) != 10 + i)
			return -1;
		close(fd);
		lseek(10 + i, i, SEEK_SET);
	}
	return 0;
}

/* An epoll file at fd 10 watching @nr eventfds at fds 11.. */
static int epoll_set(size_t nr)
{
	struct rlimit rl = { nr + 64, nr + 64 };
	struct epoll_event ev = { .events = EPOLLIN };
	size_t i;
	int fd;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	fd = epoll_create1(0);
	if (fd < 0 || dup2(fd, 10) != 10)
		return -1;
	if (fd != 10)
		close(fd);
	for (i = 0; i < nr; i++) {
		fd = eventfd(i, 0);
		if (fd < 0 || dup2(fd, 11 + i) != (int)(11 + i))
			return -1;
		if (fd != (int)(11 + i))
			close(fd);
		ev.data.u64 = i;
		if (epoll_ctl(10, EPOLL_CTL_ADD, 11 + i, &ev))
			return -1;
	}
	return 0;
}

#define PAIR_BYTES	4096

/* @nr stream socketpairs at fds 10.., PAIR_BYTES queued on each */
static int socket_pairs(size_t nr)
{
	struct rlimit rl = { 2 * nr + 64, 2 * nr + 64 };
	char data[PAIR_BYTES];
	int sv[2], j, fd;
	size_t i;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	memset(data, 0x5a, sizeof(data));
	for (i = 0; i < nr; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return -1;
		/* above the range first, so that neither lands on the other */
		for (j = 0; j < 2; j++) {
			fd = fcntl(sv[j], F_DUPFD, 2 * nr + 16);
			close(sv[j]);
			if (fd < 0)
				return -1;
			sv[j] = fd;
		}
		for (j = 0; j < 2; j++) {
			if (dup2(sv[j], 10 + 2 * i + j) != (int)(10 + 2 * i + j))
				return -1;
			close(sv[j]);
		}
		if (write(10 + 2 * i, data, sizeof(data)) != sizeof(data))
			return -1;
	}
	return 0;
}

#define NR_MSGS		10000
#define MSG_BYTES	100
#define NR_SEMSETS	1000
#define NR_TREE		100

/* A queue of NR_MSGS messages of MSG_BYTES */
static int fill_queue(void)
{
	struct { long mtype; char text[MSG_BYTES]; } m;
	struct msqid_ds ds;
	int id, i;

	id = msgget(IPC_PRIVATE, 0600);
	if (id < 0 || msgctl(id, IPC_STAT, &ds))
		return -1;
	ds.msg_qbytes = NR_MSGS * MSG_BYTES;
	if (msgctl(id, IPC_SET, &ds))
		return -1;
	m.mtype = 1;
	for (i = 0; i < NR_MSGS; i++) {
		memset(m.text, i, sizeof(m.text));
		if (msgsnd(id, &m, sizeof(m.text), IPC_NOWAIT))
			return -1;
	}
	return 0;
}

/* A POSIX queue of NR_MSGS messages of MSG_BYTES, of 8 priorities */
static int fill_posix_queue(void)
{
	struct mq_attr attr = { .mq_maxmsg = NR_MSGS, .mq_msgsize = MSG_BYTES };
	char text[MSG_BYTES];
	mqd_t q;
	int i;

	q = mq_open("/bench", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q < 0)
		return -1;
	for (i = 0; i < NR_MSGS; i++) {
		memset(text, i, sizeof(text));
		if (mq_send(q, text, sizeof(text), i % 8))
			return -1;
	}
	return 0;
}

/*
 * NR_SEMSETS sets of 4 semaphores; with @undo, a semop() with SEM_UNDO on
 * each, so that the undo list has an entry per set
 */
static int make_sems(int undo)
{
	struct sembuf op = { .sem_num = 1, .sem_op = 1, .sem_flg = SEM_UNDO };
	int i, id;

	for (i = 0; i < NR_SEMSETS; i++) {
		id = semget(IPC_PRIVATE, 4, 0600);
		if (id < 0 || (undo && semop(id, &op, 1)))
			return -1;
	}
	return 0;
}

/* A pipe at fds 5 and 6, holding PIPE_BYTES */
static int full_pipe(void)
{
	unsigned char *buf = mmap(NULL, PIPE_BYTES, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];

	if (buf == MAP_FAILED || pipe(p) || dup2(p[0], 5) != 5 || dup2(p[1], 6) != 6 ||
	    fcntl(6, F_SETPIPE_SZ, PIPE_BYTES) != PIPE_BYTES)
		return -1;
	close(p[0]);
	close(p[1]);
	fill(buf, PIPE_BYTES);
	if (write_all(6, buf, PIPE_BYTES))
		return -1;
	munmap(buf, PIPE_BYTES);
	return 0;
}

/* The victim: holds what @kind says, answers "pong" to each byte on stdin */
/* NR_TREE - 1 children, which die with their parent; 0 or -1 */
static int make_tree(void)
{
	pid_t pid, parent = getpid();
	int i;

	for (i = 1; i < NR_TREE; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* the parent may have gone before the prctl() */
			if (getppid() != parent)
				_exit(0);
			for (;;)
				pause();
		}
	}
	return 0;
}

/* Reap every child we have, the orphans of a tree included */
static void reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void victim(enum kind kind, size_t len, int ready)
{
	unsigned char *p = NULL;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (kind == SHM) {
		int id;

		if (unshare(CLONE_NEWIPC)) {
			perror("ckpt_bench: unshare");
			_exit(1);
		}
		id = shmget(IPC_PRIVATE, len, 0600);
		p = id < 0 ? NULL : shmat(id, NULL, 0);
		if (!p || p == (void *)-1) {
			fprintf(stderr, "ckpt_bench: segment %d: %s\n", id,
				strerror(errno));
			_exit(1);
		}
		fill(p, len);
	}
	if (kind == MEMORY) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		fill(p, len);
	}
	if ((kind == MSGQ || kind == SEMS || kind == UNDO ||
	     kind == POSIXMQ) && unshare(CLONE_NEWIPC))
		_exit(1);
	if ((kind == TREE && make_tree()) ||
	    (kind == PIPE && full_pipe()) || (kind == FILES && open_files()) ||
	    (kind == EPOLL && epoll_set(len)) ||
	    (kind == SOCKETS && socket_pairs(len)) ||
	    (kind == MSGQ && fill_queue()) ||
	    (kind == POSIXMQ && fill_posix_queue()) ||
	    ((kind == SEMS || kind == UNDO) && make_sems(kind == UNDO)))
		_exit(1);
	write(ready, "r", 1);
	for (;;) {
		if (read(0, &c, 1) == 1)
			write(1, "pong", 4);
	}
}

struct result {
	double ckpt, restart, wr, rd, rd_warm;
	unsigned long long image, populated;
};

static int measure(enum kind kind, size_t len, struct result *r)
{
	int rdy[2], in[2], out[2], img, logfd;
	struct ckpt_freezer fz;
	unsigned char *buf;
	char err[1024], c[4];
	struct stat st;
	double t0;
	pid_t pid;
	long ret;

	/* baseline: the same bytes through write() and read() on tmpfs */
	if (kind != MEMORY && kind != PIPE && kind != SHM) {
		t0 = now();
		pid = fork();
		if (!pid)
			_exit(unshare(CLONE_NEWIPC) ||
			      (kind == TREE && make_tree()) ||
			      (kind == FILES && open_files()) ||
			      (kind == EPOLL && epoll_set(len)) ||
			      (kind == SOCKETS && socket_pairs(len)) ||
			      (kind == MSGQ && fill_queue()) ||
			      (kind == POSIXMQ && fill_posix_queue()) ||
			      ((kind == SEMS || kind == UNDO) &&
			       make_sems(kind == UNDO)));
		waitpid(pid, NULL, 0);
		r->wr = now() - t0;
		r->rd = r->wr;
		r->rd_warm = r->wr;
		goto victim;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		return -1;
	fill(buf, len);
	img = open("/tmp/bench-base", O_RDWR | O_CREAT | O_TRUNC, 0600);
	t0 = now();
	if (write_all(img, buf, len))
		return -1;
	r->wr = now() - t0;
	lseek(img, 0, SEEK_SET);
	memset(buf, 1, len);
	t0 = now();
	if (read_all(img, buf, len))
		return -1;
	r->rd_warm = now() - t0;
	munmap(buf, len);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return -1;
	lseek(img, 0, SEEK_SET);
	t0 = now();
	if (read_all(img, buf, len))
		return -1;
	r->rd = now() - t0;
	close(img);
	unlink("/tmp/bench-base");
	munmap(buf, len);

victim:
	/* checkpoint of a frozen process holding @len bytes */
	if (pipe(rdy) || pipe(in) || pipe(out)) {
		perror("ckpt_bench: pipe");
		return -1;
	}
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		victim(kind, len, rdy[1]);
	}
	/* a victim that failed to set up closes its end: no answer */
	close(rdy[1]);
	if (read(rdy[0], c, 1) != 1) {
		fprintf(stderr, "ckpt_bench: the victim failed to set up\n");
		return -1;
	}
	if (ckpt_freeze(pid, &fz, err, sizeof(err))) {
		fprintf(stderr, "ckpt_bench: %s\n", err);
		return -1;
	}
	img = open("/tmp/bench.img", O_RDWR | O_CREAT | O_TRUNC, 0600);
	t0 = now();
	ret = sys_checkpoint(pid, img, 0, -1);
	r->ckpt = now() - t0;
	if (ret < 0) {
		perror("ckpt_bench: checkpoint");
		return -1;
	}
	fstat(img, &st);
	r->image = st.st_size;
	r->populated = kind == FILES || kind == EPOLL || kind == SOCKETS ?
		       0 : len;
	ckpt_kill(&fz, pid, err, sizeof(err));
	waitpid(pid, NULL, 0);
	/* the pids of a tree must be free again */
	if (kind == TREE)
		reap_all();

	/* restart, until the restored process answers */
	lseek(img, 0, SEEK_SET);
	logfd = memfd_create("log", 0);
	t0 = now();
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		/* its stdin and stdout are ours: the pipes to talk to it */
		if (unshare(CLONE_NEWIPC))
			_exit(125);
		sys_restart(0, img, RESTART_KEEP_STDIO, logfd);
		_exit(126);
	}
	close(in[0]);
	close(out[1]);
	if (write(in[1], "p", 1) != 1 || read_all(out[0], c, 4)) {
		fprintf(stderr, "ckpt_bench: the restored process did not answer\n");
		/* the restart's log says why */
		ret = pread(logfd, err, sizeof(err) - 1, 0);
		if (ret > 0)
			fprintf(stderr, "%.*s", (int)ret, err);
		return -1;
	}
	r->restart = now() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (kind == TREE)
		reap_all();
	close(img);
	close(logfd);
	unlink("/tmp/bench.img");
	close(rdy[0]);
	close(in[1]);
	close(out[0]);
	return 0;
}

int main(void)
{
	static const int sizes[] = { 16, 64, 256 };
	struct result r;
	unsigned long long idle;
	int i, missed = 0;
	double cr, rr, ir;

	/* the orphans of the trees come to us */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* room for the POSIX queue, for its maker and for restart */
	setrlimit(RLIMIT_MSGQUEUE,
		  &(struct rlimit){ RLIM_INFINITY, RLIM_INFINITY });
	printf("memory  populated  image      image/pop  checkpoint  write()   ckpt/base");
	printf("  restart   read()    rst/base  (read() into memory already there)\n");
	for (i = 0; i < 3; i++) {
		if (measure(MEMORY, (size_t)sizes[i] << 20, &r)) {
			printf("%3d MiB: failed\n", sizes[i]);
			return 1;
		}
		cr = r.wr / r.ckpt;
		rr = r.rd / r.restart;
		ir = (double)r.image / r.populated;
		printf("%3d MiB  %9llu  %9llu  %8.4f  %7.1f ms  %5.1f ms  %6.2fx",
		       sizes[i], r.populated, r.image, ir, r.ckpt * 1e3,
		       r.wr * 1e3, cr);
		printf("   %6.1f ms  %5.1f ms  %6.2fx  (%.1f ms)\n", r.restart * 1e3,
		       r.rd * 1e3, rr, r.rd_warm * 1e3);
		if (cr < 0.8 || rr < 0.8 || ir > 1.01)
			missed = 1;
	}
	printf("targets: checkpoint >= 0.80x write(), restart >= 0.80x read(),");
	printf(" image <= 1.01x populated: %s\n", missed ? "MISSED" : "MET");
	printf("frozen time of the tree = the checkpoint time above\n\n");

	printf("process holding         image      checkpoint  restart    baseline\n");
	if (measure(IDLE, 0, &r))
		return 1;
	idle = r.image;
	printf("nothing (idle)       %9llu  %7.1f ms  %6.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3);
	if (measure(PIPE, PIPE_BYTES, &r))
		return 1;
	printf("a pipe with 1 MiB    %9llu  %7.1f ms  %6.1f ms  write() %.1f ms, read() %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3, r.rd * 1e3);
	if (r.image > idle + PIPE_BYTES + 4096)
		missed = 1;
	if (measure(FILES, 0, &r))
		return 1;
	printf("1000 open files      %9llu  %7.1f ms  %6.1f ms  open()+lseek() of them %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3);
	if (r.image > idle + NR_FILES * 128)
		missed = 1;
	if (measure(SHM, 64 << 20, &r))
		return 1;
	printf("a 64 MiB shm segment %9llu  %7.1f ms  %6.1f ms  write() %.1f ms, read() %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3, r.rd * 1e3);
	if (r.image > idle + (64 << 20) + (64 << 20) / 4096 * 8 + 4096)
		missed = 1;
	if (measure(MSGQ, 0, &r))
		return 1;
	printf("10000 messages       %9llu  %7.1f ms  %6.1f ms  msgsnd() of them %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3);
	if (r.image > idle + NR_MSGS * (MSG_BYTES + 24))
		missed = 1;
	if (measure(POSIXMQ, 0, &r))
		return 1;
	printf("10000 POSIX messages %9llu  %7.1f ms  %6.1f ms  ",
	       r.image, r.ckpt * 1e3, r.restart * 1e3);
	printf("mq_open()+mq_send() of them %.1f ms\n", r.wr * 1e3);
	if (r.image > idle + NR_MSGS * (MSG_BYTES + 16) + 4096)
		missed = 1;
	if (measure(SEMS, 0, &r))
		return 1;
	printf("1000 semaphore sets  %9llu  %7.1f ms  %6.1f ms  semget() of them %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3);
	if (r.image > idle + NR_SEMSETS * 128)
		missed = 1;
	if (measure(UNDO, 0, &r))
		return 1;
	printf("1000 sets, undo each %9llu  %7.1f ms  %6.1f ms  semget()+semop(SEM_UNDO) %.1f ms\n",
	       r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3);
	if (r.image > idle + NR_SEMSETS * (128 + 16))
		missed = 1;
	if (measure(TREE, 0, &r))
		return 1;
	printf("a tree of %d         %9llu  %7.1f ms  %6.1f ms  fork() of them %.1f ms\n",
	       NR_TREE, r.image, r.ckpt * 1e3, r.restart * 1e3, r.wr * 1e3);
	if (r.image > NR_TREE * idle)
		missed = 1;
	for (i = 1000; i <= 10000; i *= 10) {
		if (measure(EPOLL, i, &r)) {
			printf("epoll of %5d fds: failed\n", i);
			return 1;
		}
		printf("epoll of %5d fds   %9llu  %7.1f ms  %6.1f ms  ",
		       i, r.image, r.ckpt * 1e3, r.restart * 1e3);
		printf("eventfd()+epoll_ctl() of them %.1f ms\n", r.wr * 1e3);
		if (r.image > idle + i * 96ULL)
			missed = 1;
	}
	for (i = 1000; i <= 10000; i *= 10) {
		if (measure(SOCKETS, i, &r)) {
			printf("%5d socket pairs: failed\n", i);
			return 1;
		}
		printf("%5d socket pairs   %9llu  %7.1f ms  %6.1f ms  ",
		       i, r.image, r.ckpt * 1e3, r.restart * 1e3);
		printf("socketpair()+write() of 4 KiB of them %.1f ms\n",
		       r.wr * 1e3);
		if (r.image > idle + i * (PAIR_BYTES + 320ULL))
			missed = 1;
	}
	printf("image sizes (pipe <= idle + data + 4 KiB, files <= idle + 128 B each,\n");
	printf("  segment <= idle + data + 8 B a page, messages <= idle + text + 24 B each,\n");
	printf("  POSIX messages <= idle + text + 16 B each + 4 KiB,\n");
	printf("  sets <= idle + 128 B each, undo entries 16 B more,\n");
	printf("  tree <= idle for each process, epoll <= idle + 96 B an fd,\n");
	printf("  socket pairs <= idle + data + 320 B each): %s\n",
	       missed ? "MISSED" : "MET");
	return missed;
}
