// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_ipc REPORT SCENARIO - a process with SysV IPC objects, for the
 * restore tests.
 *
 * It sets up SCENARIO, appends a description of every message queue and
 * semaphore set of its IPC namespace to REPORT ("before"), prints
 * "ready" and waits for SIGUSR1.  Then it describes them again
 * ("after"), checks their contents by using them, and appends
 * "checks ok" or the first failure.
 *
 * Scenarios:
 *   objects   two queues (one keyed, one private) with messages of many
 *             sizes and types, one filled to its qbytes; two semaphore
 *             sets with values set by SETALL and by semop(); three shared
 *             memory segments: one attached read-write with some pages
 *             written (and twice more, made read-only and PROT_NONE
 *             with mprotect(), and once SHM_RDONLY | SHM_EXEC), one
 *             attached read-only and removed
 *             (SHM_DEST), one detached (SHM_NORESERVE)
 *   msgrcv    blocks in msgrcv() on an empty queue; reports what it got
 *   semop     blocks in semop() waiting for a semaphore to be 1
 *   msgsnd    blocks in msgsnd() on a full queue
 *   semtimedop  blocks in semtimedop() (60 s) waiting for a semaphore
 *   otherns   maps a segment of an IPC namespace it then left
 *   undo      has a semaphore undo list of three sets, one removed;
 *             exits after the checks, for its adjustments to apply
 *   sharedundo  has an undo list, which its parent shares (CLONE_SYSVSEM)
 *   undotree  the undo list of "undo", shared with a child made with
 *             CLONE_SYSVSEM, which changes it too; the child describes
 *             itself and the list ("cbefore", "cafter"), then changes
 *             the list again and exits; the parent shows what it sees of
 *             that change ("shared") and the child's status
 *   hugetlb   has a SHM_HUGETLB segment (refused)
 *   list      only describes the namespace ("here") and exits
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt_lib.h"

#define NMSG	40

static int go;

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static void on_usr1(int sig)
{
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
}

/* Message @i: its type and length, and its text */
static long msg_type(int i)
{
	return 1 + i % 7;
}

static size_t msg_len(int i)
{
	static const size_t lens[] = { 0, 1, 7, 100, 4000, 4100, 8192, 13 };

	return lens[i % 8];
}

static void msg_text(char *buf, int i, size_t len)
{
	size_t j;

	for (j = 0; j < len; j++)
		buf[j] = (char)(i * 31 + j * 7);
}

/* The process's semaphore undo list, as /proc/self/semundo shows it */
static void describe_undo(const char *when)
{
	char buf[4096], *line, *save;
	ssize_t n;
	int fd;

	fd = open("/proc/self/semundo", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ckpt_report("%s undo unreadable (errno %d)\n", when, errno);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ckpt_report("%s undo %s\n", when, line);
}

/* The process's SysV shared memory attachments: range, perms, name */
static void describe_maps(const char *when)
{
	char line[512], range[64], perms[8], name[256];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "/SYSV") &&
		    sscanf(line, "%63s %7s %*s %*s %*s %255s", range, perms,
			   name) == 3)
			ckpt_report("%s map %s %s %s\n", when, range, perms, name);
	if (f)
		fclose(f);
}

/* Every queue and set of the namespace, as ipcs would show them */
static void describe(const char *when)
{
	struct msqid_ds q;
	struct semid_ds s;
	struct shmid_ds m;
	struct shm_info shi;
	struct msginfo mi;
	struct seminfo si;
	unsigned short vals[64];
	union semun arg;
	int max, i, j, id;
	char line[2048];
	int n;

	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	for (i = 0; i <= max; i++) {
		id = msgctl(i, MSG_STAT_ANY, &q);
		if (id < 0)
			continue;
		n = snprintf(line, sizeof(line),
			     "%s msg %d key %#x uid %u gid %u cuid %u cgid %u mode %#o seq %u ",
			     when, id, q.msg_perm.__key, q.msg_perm.uid,
			     q.msg_perm.gid, q.msg_perm.cuid, q.msg_perm.cgid,
			     q.msg_perm.mode, q.msg_perm.__seq);
		ckpt_report("%sqbytes %lu qnum %lu cbytes %lu lspid %d lrpid %d %s %ld %ld %ld\n",
			    line, q.msg_qbytes, q.msg_qnum, q.__msg_cbytes,
			    q.msg_lspid, q.msg_lrpid, "stime/rtime/ctime",
			    (long)q.msg_stime,
			    (long)q.msg_rtime, (long)q.msg_ctime);
	}
	max = shmctl(0, SHM_INFO, (struct shmid_ds *)&shi);
	for (i = 0; i <= max; i++) {
		id = shmctl(i, SHM_STAT_ANY, &m);
		if (id < 0)
			continue;
		n = snprintf(line, sizeof(line),
			     "%s shm %d key %#x uid %u gid %u cuid %u cgid %u mode %#o seq %u ",
			     when, id, m.shm_perm.__key, m.shm_perm.uid,
			     m.shm_perm.gid, m.shm_perm.cuid, m.shm_perm.cgid,
			     m.shm_perm.mode, m.shm_perm.__seq);
		ckpt_report("%ssize %zu nattch %lu cpid %d lpid %d %s %ld %ld %ld\n",
			    line, m.shm_segsz, (unsigned long)m.shm_nattch,
			    m.shm_cpid, m.shm_lpid, "atime/dtime/ctime",
			    (long)m.shm_atime, (long)m.shm_dtime, (long)m.shm_ctime);
	}
	arg.buf = (struct semid_ds *)&si;
	max = semctl(0, 0, SEM_INFO, arg);
	for (i = 0; i <= max; i++) {
		arg.buf = &s;
		id = semctl(i, 0, SEM_STAT_ANY, arg);
		if (id < 0)
			continue;
		n = snprintf(line, sizeof(line),
			     "%s sem %d key %#x uid %u gid %u cuid %u cgid %u mode %#o seq %u ",
			     when, id, s.sem_perm.__key, s.sem_perm.uid,
			     s.sem_perm.gid, s.sem_perm.cuid, s.sem_perm.cgid,
			     s.sem_perm.mode, s.sem_perm.__seq);
		n += snprintf(line + n, sizeof(line) - n,
			      "nsems %lu otime %ld ctime %ld vals", s.sem_nsems,
			      (long)s.sem_otime, (long)s.sem_ctime);
		arg.array = vals;
		semctl(id, 0, GETALL, arg);
		for (j = 0; j < (int)s.sem_nsems && j < 64; j++)
			n += snprintf(line + n, sizeof(line) - n, " %u/%d", vals[j],
				      semctl(id, j, GETPID));
		ckpt_report("%s\n", line);
	}
	describe_undo(when);
	describe_maps(when);
}

static int q_keyed, q_private, q_full, s_keyed, s_private;
static int m_rw, m_dest, m_detached;
static unsigned char *at_rw, *at_dest, *at_ro, *at_none, *at_exec;

#define M_RW_SIZE	(65536 + 100)
#define M_RW_PAGES	(65536 + 4096)

/* Byte @i of segment @seg */
static unsigned char shm_byte(int seg, size_t i)
{
	return (unsigned char)(seg * 37 + i * 11 + i / 4096);
}

static void shm_fill(unsigned char *p, int seg, size_t from, size_t len)
{
	size_t i;

	for (i = from; i < from + len; i++)
		p[i] = shm_byte(seg, i);
}

static int shm_check(const unsigned char *p, int seg, size_t from, size_t len)
{
	size_t i;

	for (i = from; i < from + len; i++)
		if (p[i] != shm_byte(seg, i))
			return -1;
	return 0;
}

static int setup_shm(void)
{
	unsigned char *p;

	m_rw = shmget(0x9999, M_RW_SIZE, IPC_CREAT | 0640);
	m_dest = shmget(IPC_PRIVATE, 8192, 0600);
	m_detached = shmget(0x999a, 4096 * 3, IPC_CREAT | SHM_NORESERVE | 0644);
	if (m_rw < 0 || m_dest < 0 || m_detached < 0)
		return ckpt_report_fail("shmget");
	at_rw = shmat(m_rw, NULL, 0);
	if (at_rw == (void *)-1)
		return ckpt_report_fail("shmat");
	/* pages 0, 2 and the partial last one; 1 and 3..15 untouched */
	shm_fill(at_rw, 1, 0, 4096);
	shm_fill(at_rw, 1, 8192, 4096);
	shm_fill(at_rw, 1, 65536, 100);
	p = shmat(m_dest, NULL, 0);
	if (p == (void *)-1)
		return ckpt_report_fail("shmat");
	shm_fill(p, 2, 0, 8192);
	shmdt(p);
	at_dest = shmat(m_dest, NULL, SHM_RDONLY);
	if (at_dest == (void *)-1 || shmctl(m_dest, IPC_RMID, NULL))
		return ckpt_report_fail("SHM_DEST");
	/* attached read-write, then made read-only and PROT_NONE */
	at_ro = shmat(m_rw, NULL, 0);
	at_none = shmat(m_rw, NULL, 0);
	if (at_ro == (void *)-1 || at_none == (void *)-1 ||
	    mprotect(at_ro, M_RW_PAGES, PROT_READ) ||
	    mprotect(at_none, M_RW_PAGES, PROT_NONE))
		return ckpt_report_fail("mprotect of an attachment");
	/* and once read-only and executable */
	at_exec = shmat(m_rw, NULL, SHM_RDONLY | SHM_EXEC);
	if (at_exec == (void *)-1)
		return ckpt_report_fail("shmat(SHM_EXEC)");
	p = shmat(m_detached, NULL, 0);
	if (p == (void *)-1)
		return ckpt_report_fail("shmat");
	shm_fill(p, 3, 4096, 4096);
	shmdt(p);
	return 0;
}

static int check_shm(void)
{
	struct shmid_ds ds;
	unsigned char *p;
	size_t i;

	for (i = 0; i < M_RW_SIZE; i++)
		if (at_rw[i] != ((i < 4096 || (i >= 8192 && i < 12288) ||
				  i >= 65536) ? shm_byte(1, i) : 0))
			return ckpt_report_fail("shared memory contents");
	if (shm_check(at_dest, 2, 0, 8192))
		return ckpt_report_fail("removed segment contents");
	/* read-only and PROT_NONE as they were, read-write if asked */
	if (memcmp(at_ro, at_rw, M_RW_SIZE) || memcmp(at_exec, at_rw, M_RW_SIZE))
		return ckpt_report_fail("read-only attachment contents");
	if (!mprotect(at_exec, M_RW_PAGES, PROT_READ | PROT_WRITE))
		return ckpt_report_fail("a SHM_RDONLY attachment became writable");
	if (mprotect(at_ro, M_RW_PAGES, PROT_READ | PROT_WRITE) ||
	    mprotect(at_none, M_RW_PAGES, PROT_READ | PROT_WRITE))
		return ckpt_report_fail("mprotect of a restored attachment");
	at_none[1] ^= 0xff;
	if (at_rw[1] != at_none[1] || at_ro[1] != at_none[1])
		return ckpt_report_fail("attachments of one segment");
	at_ro[1] ^= 0xff;
	if (at_rw[1] != shm_byte(1, 1))
		return ckpt_report_fail("attachments of one segment");
	/* it is still attached read-only */
	if (shmget(0x9999, 0, 0) != m_rw)
		return ckpt_report_fail("shm key");
	p = shmat(m_detached, NULL, SHM_RDONLY);
	if (p == (void *)-1 || shm_check(p, 3, 4096, 4096) || p[0] || p[8192])
		return ckpt_report_fail("detached segment contents");
	shmdt(p);
	/* the removed one goes with its last detach */
	if (shmdt(at_dest) || shmctl(m_dest, IPC_STAT, &ds) != -1)
		return ckpt_report_fail("SHM_DEST segment stayed");
	return 0;
}

static int setup_objects(void)
{
	unsigned short vals[5] = { 0, 1, 2, 300, 32767 };
	struct sembuf op = { .sem_num = 1, .sem_op = 2 };
	struct sembuf undo = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	struct { long mtype; char text[8192]; } m;
	struct msqid_ds ds;
	union semun arg;
	int i;

	q_keyed = msgget(0x1234, IPC_CREAT | 0640);
	q_private = msgget(IPC_PRIVATE, 0600);
	q_full = msgget(0x4321, IPC_CREAT | 0666);
	s_keyed = semget(0x5678, 5, IPC_CREAT | 0660);
	s_private = semget(IPC_PRIVATE, 1, 0600);
	if (q_keyed < 0 || q_private < 0 || q_full < 0 || s_keyed < 0 ||
	    s_private < 0)
		return ckpt_report_fail("creating the objects");
	/* room for all the messages (more than kernel.msgmnb: as root) */
	for (i = 0; i < 2; i++) {
		if (msgctl(i ? q_private : q_keyed, IPC_STAT, &ds))
			return ckpt_report_fail("IPC_STAT");
		ds.msg_qbytes = 1 << 18;
		if (msgctl(i ? q_private : q_keyed, IPC_SET, &ds))
			return ckpt_report_fail("IPC_SET qbytes");
	}
	for (i = 0; i < NMSG; i++) {
		m.mtype = msg_type(i);
		msg_text(m.text, i, msg_len(i));
		if (msgsnd(i % 3 ? q_keyed : q_private, &m, msg_len(i), 0))
			return ckpt_report_fail("msgsnd");
	}
	/* read one, so that the receive side has a pid and time */
	if (msgrcv(q_private, &m, sizeof(m.text), 0, 0) != (ssize_t)msg_len(0))
		return ckpt_report_fail("msgrcv");
	/* a queue filled to its limit */
	if (msgctl(q_full, IPC_STAT, &ds))
		return ckpt_report_fail("IPC_STAT");
	ds.msg_qbytes = 1000;
	if (msgctl(q_full, IPC_SET, &ds))
		return ckpt_report_fail("IPC_SET");
	m.mtype = 9;
	memset(m.text, 'q', 100);
	for (i = 0; i < 10; i++)
		if (msgsnd(q_full, &m, 100, IPC_NOWAIT))
			return ckpt_report_fail("filling a queue");
	if (msgsnd(q_full, &m, 1, IPC_NOWAIT) != -1 || errno != EAGAIN)
		return ckpt_report_fail("a full queue took more");
	arg.array = vals;
	if (semctl(s_keyed, 0, SETALL, arg) || semop(s_keyed, &op, 1))
		return ckpt_report_fail("semaphores");
	arg.val = 7;
	if (semctl(s_private, 0, SETVAL, arg) || semop(s_private, &undo, 1))
		return ckpt_report_fail("SETVAL");
	return setup_shm();
}

static int check_objects(void)
{
	struct { long mtype; char text[8192]; } m;
	struct sembuf op = { .sem_num = 4, .sem_op = -32767, .sem_flg = IPC_NOWAIT };
	char want[8192];
	ssize_t n;
	int i;

	/* every message once, in order, with its type and text */
	for (i = 0; i < NMSG; i++) {
		if (i == 0)
			continue;
		n = msgrcv(i % 3 ? q_keyed : q_private, &m, sizeof(m.text), 0,
			   IPC_NOWAIT);
		msg_text(want, i, msg_len(i));
		if (n != (ssize_t)msg_len(i) || m.mtype != msg_type(i) ||
		    memcmp(m.text, want, n))
			return ckpt_report_fail("message contents");
	}
	if (msgrcv(q_keyed, &m, sizeof(m.text), 0, IPC_NOWAIT) != -1 ||
	    msgrcv(q_private, &m, sizeof(m.text), 0, IPC_NOWAIT) != -1)
		return ckpt_report_fail("a message too many");
	if (msgsnd(q_full, &m, 1, IPC_NOWAIT) != -1 || errno != EAGAIN)
		return ckpt_report_fail("the full queue is not full");
	if (msgget(0x1234, 0) != q_keyed || msgget(0x5678, 0) != -1 ||
	    semget(0x5678, 0, 0) != s_keyed)
		return ckpt_report_fail("keys");
	if (semop(s_keyed, &op, 1))
		return ckpt_report_fail("semop on a restored value");
	return check_shm();
}

/*
 * Three sets with undo entries: 0x5a5c removed since (its entry is
 * dead), 0x5a5b, then 0x5a5a used last, so that it comes first.
 */
static int setup_undo(void)
{
	unsigned short five[3] = { 5, 5, 5 };
	struct sembuf a[2] = { { 0, -1, SEM_UNDO }, { 2, 2, SEM_UNDO } };
	struct sembuf b = { 0, -1, SEM_UNDO }, c = { 0, 1, SEM_UNDO };
	struct sembuf again[2] = { { 1, 1, SEM_UNDO }, { 1, -1, SEM_UNDO } };
	union semun arg;
	int sa, sb, sc;

	sa = semget(0x5a5a, 3, IPC_CREAT | 0600);
	sb = semget(0x5a5b, 1, IPC_CREAT | 0600);
	sc = semget(0x5a5c, 2, IPC_CREAT | 0600);
	if (sa < 0 || sb < 0 || sc < 0)
		return ckpt_report_fail("semget");
	arg.array = five;
	if (semctl(sa, 0, SETALL, arg))
		return ckpt_report_fail("SETALL");
	arg.val = 3;
	if (semctl(sb, 0, SETVAL, arg))
		return ckpt_report_fail("SETVAL");
	if (semop(sc, &c, 1) || semctl(sc, 0, IPC_RMID))
		return ckpt_report_fail("an undo entry of a removed set");
	if (semop(sa, a, 2) || semop(sb, &b, 1) || semop(sa, again, 2))
		return ckpt_report_fail("semop with SEM_UNDO");
	return 0;
}

/* Wait for SIGUSR1 */
static void wait_go(void)
{
	/*
	 * Not pause(): restored on its way into it, the task could take
	 * SIGUSR1 just before it and then sleep for good
	 */
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(20000);
}

/* The child of "undotree": who it is, and the list it shares */
static void describe_child(const char *when)
{
	ckpt_report("%s pid %d ppid %d pgrp-is-parents %d sid-is-parents %d\n",
		    when, getpid(), getppid(), getpgrp() == getpgid(getppid()),
		    getsid(0) == getsid(getppid()));
	describe_undo(when);
}

static int undo_child(void)
{
	struct sembuf up = { 0, 1, SEM_UNDO }, more = { 1, 1, SEM_UNDO };
	int sa = semget(0x5a5a, 0, 0), sb = semget(0x5a5b, 0, 0);

	if (sa < 0 || sb < 0 || semop(sb, &up, 1))
		return 1;
	describe_child("cbefore");
	ckpt_report("child ready\n");
	wait_go();
	describe_child("cafter");
	/* for its parent to see in the list they share */
	return semop(sa, &more, 1) ? 1 : 0;
}

/* "undotree": the child, once it is ready */
static pid_t start_undo_child(void)
{
	pid_t pid;

	pid = syscall(SYS_clone, CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0);
	if (!pid)
		_exit(undo_child());
	if (pid > 0 && ckpt_report_wait("child ready", 10000))
		return pid;
	return -1;
}

static int finish_undo_tree(pid_t child)
{
	int status;

	kill(child, SIGUSR1);
	if (waitpid(child, &status, 0) != child)
		return ckpt_report_fail("waitpid");
	ckpt_report("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	describe_undo("shared");
	return 0;
}

static int blocked(const char *what)
{
	struct { long mtype; char text[64]; } m;
	struct sembuf op = { .sem_num = 0, .sem_op = -1 };
	ssize_t n;
	int id;

	if (!strcmp(what, "msgrcv")) {
		id = msgget(0x777, IPC_CREAT | 0600);
		if (id < 0)
			return ckpt_report_fail("msgget");
		describe("before");
		ckpt_report("ready\n");
		n = msgrcv(id, &m, sizeof(m.text), 0, 0);
		ckpt_report("msgrcv %zd type %ld %.*s\n", n, m.mtype,
			    (int)(n > 0 ? n : 0), m.text);
		return 0;
	}
	if (!strcmp(what, "msgsnd")) {
		struct msqid_ds ds;

		id = msgget(0x779, IPC_CREAT | 0600);
		if (id < 0 || msgctl(id, IPC_STAT, &ds))
			return ckpt_report_fail("msgget");
		ds.msg_qbytes = 64;
		m.mtype = 3;
		memset(m.text, 'f', sizeof(m.text));
		if (msgctl(id, IPC_SET, &ds) || msgsnd(id, &m, 64, 0))
			return ckpt_report_fail("filling the queue");
		describe("before");
		ckpt_report("ready\n");
		ckpt_report("msgsnd %d\n", msgsnd(id, &m, 10, 0));
		return 0;
	}
	id = semget(0x778, 1, IPC_CREAT | 0600);
	if (id < 0)
		return ckpt_report_fail("semget");
	describe("before");
	ckpt_report("ready\n");
	if (!strcmp(what, "semtimedop")) {
		struct timespec ts = { 60, 0 };

		ckpt_report("semtimedop %d\n", semtimedop(id, &op, 1, &ts));
		return 0;
	}
	ckpt_report("semop %d\n", semop(id, &op, 1));
	return 0;
}

int main(int argc, char **argv)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };
	struct sigaction sa;
	const char *what;
	pid_t child = 0;
	int ret = 0, id;

	if (argc != 3)
		return 2;
	ckpt_report_path = argv[1];
	what = argv[2];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);

	if (!strcmp(what, "msgrcv") || !strcmp(what, "semop") ||
	    !strcmp(what, "msgsnd") || !strcmp(what, "semtimedop"))
		return blocked(what);
	if (!strcmp(what, "list")) {
		describe("here");
		return 0;
	}
	if (!strcmp(what, "objects")) {
		ret = setup_objects();
	} else if (!strcmp(what, "otherns")) {
		id = shmget(IPC_PRIVATE, 65536, 0600);
		ret = id < 0 || shmat(id, NULL, 0) == (void *)-1 ||
		      unshare(CLONE_NEWIPC);
	} else if (!strcmp(what, "undo")) {
		ret = setup_undo();
	} else if (!strcmp(what, "undotree")) {
		ret = setup_undo();
		if (!ret) {
			child = start_undo_child();
			if (child < 0)
				return ckpt_report_fail("the CLONE_SYSVSEM child");
		}
	} else if (!strcmp(what, "hugetlb")) {
		id = shmget(IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600);
		if (id < 0)
			return ckpt_report_fail("shmget(SHM_HUGETLB)");
	} else if (!strcmp(what, "sharedundo")) {
		id = semget(IPC_PRIVATE, 1, 0600);
		ret = id < 0 || semop(id, &op, 1);
	} else {
		return 2;
	}
	if (ret)
		return 1;
	describe("before");
	ckpt_report("ready\n");
	wait_go();
	describe("after");
	if (!strcmp(what, "objects"))
		ret = check_objects();
	if (child)
		ret = finish_undo_tree(child);
	if (!ret)
		ckpt_report("checks ok\n");
	return ret;
}
