// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_addrs - the user addresses the kernel keeps for a thread, which
 * must survive checkpoint/restart.
 *
 *   ckpt_addrs
 *
 * Points its clear_child_tid (set_tid_address()) and its robust futex
 * list (set_robust_list()) at words of its own, and finds its rseq area:
 * glibc's, or one it registers itself.  It checks all three through the
 * kernel, prints "ready pid N", sleeps 4 s and checks them again:
 * prctl(PR_GET_TID_ADDRESS), get_robust_list(), rseq() answering EBUSY
 * for the same area and signature, and the kernel writing the area's
 * cpu after a sleep.  Prints "addrs ok" and exits 0, or names what
 * differs and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CPU_UNSET	0xdeadbeefU

static int tid_word;
static struct robust_list_head robust = { .list = { &robust.list } };
static struct rseq own_rseq;

static struct rseq *rseq_area(void)
{
	if (__rseq_size)
		return (void *)((char *)__builtin_thread_pointer() +
				__rseq_offset);
	if (syscall(SYS_rseq, &own_rseq, sizeof(own_rseq), 0, RSEQ_SIG))
		return NULL;
	return &own_rseq;
}

static int check(struct rseq *rs, const char *when)
{
	uint32_t *cpu = &rs->cpu_id_start;
	struct robust_list_head *head;
	size_t len;
	int *tid;
	int bad = 0;

	if (prctl(PR_GET_TID_ADDRESS, &tid, 0, 0, 0) || tid != &tid_word) {
		printf("%s: tid address %p, not %p\n", when, (void *)tid,
		       (void *)&tid_word);
		bad = 1;
	}
	if (syscall(SYS_get_robust_list, 0, &head, &len) ||
	    head != &robust || len != sizeof(robust)) {
		printf("%s: robust list %p, not %p\n", when, (void *)head,
		       (void *)&robust);
		bad = 1;
	}
	errno = 0;
	if (syscall(SYS_rseq, rs, sizeof(*rs), 0, RSEQ_SIG) != -1 ||
	    errno != EBUSY) {
		printf("%s: rseq area %p not registered (errno %d)\n", when,
		       (void *)rs, errno);
		bad = 1;
	}
	/*
	 * a sleep switches the task out: on its way back the kernel writes
	 * the cpu, behind the compiler's back (hence the atomic accesses)
	 */
	__atomic_store_n(cpu, CPU_UNSET, __ATOMIC_RELAXED);
	usleep(20000);
	if (__atomic_load_n(cpu, __ATOMIC_RELAXED) == CPU_UNSET) {
		printf("%s: rseq area %p not updated by the kernel\n", when,
		       (void *)rs);
		bad = 1;
	}
	return bad;
}

int main(void)
{
	struct timespec left = { .tv_sec = 4 };
	struct rseq *rs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	syscall(SYS_set_tid_address, &tid_word);
	if (syscall(SYS_set_robust_list, &robust, sizeof(robust))) {
		perror("ckpt_addrs: set_robust_list");
		return 2;
	}
	rs = rseq_area();
	if (!rs) {
		perror("ckpt_addrs: rseq");
		return 2;
	}
	if (check(rs, "before"))
		return 2;
	printf("ready pid %d\n", getpid());
	while (nanosleep(&left, &left) && errno == EINTR)
		;
	if (check(rs, "after"))
		return 1;
	printf("addrs ok\n");
	return 0;
}
