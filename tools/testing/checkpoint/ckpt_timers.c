// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_timers - interval timers and no_new_privs that must survive
 * checkpoint/restart.
 *
 *   ckpt_timers [posix]
 *
 * Sets PR_SET_NO_NEW_PRIVS, arms ITIMER_REAL for 3 s, ITIMER_VIRTUAL for
 * 1000 s every 7 s and ITIMER_PROF for 900 s, prints "ready" and waits
 * for SIGALRM, at most 30 s.  When it comes, it checks that no_new_privs
 * is still set (prctl() and /proc/self/status), that the CPU timers are
 * still armed with at most what they had and their intervals, and that
 * ITIMER_REAL fired once; prints "timers ok" and exits 0, or names what
 * differs and exits 1.  With "posix" it also creates a POSIX timer,
 * which checkpoint refuses by name.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int alarms;

static void on_alarm(int sig)
{
	__atomic_add_fetch(&alarms, 1, __ATOMIC_SEQ_CST);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int status_nnp(void)
{
	char line[256];
	int v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "NoNewPrivs: %d", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int set(int which, long value, long interval)
{
	struct itimerval it = {
		.it_value = { .tv_sec = value },
		.it_interval = { .tv_sec = interval },
	};

	return setitimer(which, &it, NULL);
}

/*
 * Armed, with about @max seconds left at most, and an interval of
 * @interval.  A CPU timer of a process that used less than a tick still
 * has all of them, and its sampled cputime may put it microseconds past.
 */
static int check(int which, const char *name, long max, long interval)
{
	struct itimerval it;

	if (getitimer(which, &it))
		return printf("getitimer(%s) failed\n", name), 1;
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		return printf("%s is disarmed\n", name), 1;
	if (it.it_value.tv_sec > max)
		return printf("%s has %ld s left, more than %ld\n", name,
			      (long)it.it_value.tv_sec, max), 1;
	if (it.it_interval.tv_sec != interval || it.it_interval.tv_usec)
		return printf("%s interval %ld.%06ld, not %ld\n", name,
			      (long)it.it_interval.tv_sec,
			      (long)it.it_interval.tv_usec, interval), 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	timer_t timer;
	double end;
	int bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sigaction(SIGALRM, &sa, NULL) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    set(ITIMER_VIRTUAL, 1000, 7) || set(ITIMER_PROF, 900, 0) ||
	    set(ITIMER_REAL, 3, 0)) {
		perror("ckpt_timers: setup");
		return 2;
	}
	if (argc > 1 && !strcmp(argv[1], "posix") &&
	    timer_create(CLOCK_MONOTONIC, NULL, &timer)) {
		perror("ckpt_timers: timer_create");
		return 2;
	}
	printf("ready pid %d\n", getpid());
	end = now() + 30;
	while (!__atomic_load_n(&alarms, __ATOMIC_SEQ_CST) && now() < end)
		usleep(10000);
	if (!alarms) {
		printf("no SIGALRM in 30 s\n");
		return 1;
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 || status_nnp() != 1) {
		printf("no_new_privs lost: prctl %d, status %d\n",
		       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), status_nnp());
		bad = 1;
	}
	bad |= check(ITIMER_VIRTUAL, "ITIMER_VIRTUAL", 1000, 7);
	bad |= check(ITIMER_PROF, "ITIMER_PROF", 900, 0);
	usleep(200000);
	if (alarms != 1) {
		printf("ITIMER_REAL fired %d times\n", alarms);
		bad = 1;
	}
	if (!bad)
		printf("timers ok\n");
	return bad;
}
