// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_ns - a process in namespaces of its own.
 *
 *   ckpt_ns uts|net|shared SECONDS
 *
 * "uts" unshares its UTS namespace and names it ckpt-host, domain
 * ckpt-domain; "net" unshares its network namespace; "shared" stays in
 * its parent's.  It prints "ready", sleeps SECONDS, and prints
 * "hostname H domainname D" as uname() then gives them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0 };
	struct utsname u;

	if (argc != 3) {
		fprintf(stderr, "usage: ckpt_ns uts|net|shared SECONDS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "uts")) {
		if (unshare(CLONE_NEWUTS) || sethostname("ckpt-host", 9) ||
		    setdomainname("ckpt-domain", 11)) {
			perror("ckpt_ns: uts");
			return 2;
		}
	} else if (!strcmp(argv[1], "net")) {
		if (unshare(CLONE_NEWNET)) {
			perror("ckpt_ns: net");
			return 2;
		}
	} else if (strcmp(argv[1], "shared")) {
		fprintf(stderr, "ckpt_ns: unknown mode %s\n", argv[1]);
		return 2;
	}
	printf("ready pid %d\n", getpid());
	/* nanosleep() goes on after restart with what was left */
	ts.tv_sec = atoi(argv[2]);
	while (nanosleep(&ts, &ts))
		;
	if (uname(&u)) {
		perror("ckpt_ns: uname");
		return 1;
	}
	printf("hostname %s domainname %s\n", u.nodename, u.domainname);
	return 0;
}
