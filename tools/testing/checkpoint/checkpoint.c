// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint - write the image of a process tree
 *
 *   checkpoint [-o FILE] [--kill] [--log FILE] PID
 *
 * Freezes the tree rooted at PID with the cgroup v2 freezer (unless it
 * is frozen already), calls checkpoint(2), then thaws the tree, or kills
 * it with --kill.  The image goes to FILE, or to standard output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ckpt_lib.h"

static void print_usage(FILE *f)
{
	fprintf(f, "usage: checkpoint [-o FILE] [--kill] [--log FILE] PID\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "kill", no_argument, NULL, 'k' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = NULL, *log = NULL;
	struct ckpt_freezer fz;
	char err[8192], reason[1024], *end;
	struct timespec t0, t1;
	int do_kill = 0, fd, logfd, c, status = 0;
	long pid, ret;

	while ((c = getopt_long(argc, argv, "o:kl:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'k':
			do_kill = 1;
			break;
		case 'l':
			log = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		print_usage(stderr);
		return 2;
	}
	errno = 0;
	pid = strtol(argv[optind], &end, 10);
	if (errno || *end || end == argv[optind] || pid <= 0 || pid > 0x3fffffff) {
		fprintf(stderr, "checkpoint: '%s' is not a valid pid\n", argv[optind]);
		return 2;
	}

	if (out) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			fprintf(stderr, "checkpoint: %s: %s\n", out, strerror(errno));
			return 1;
		}
	} else {
		fd = STDOUT_FILENO;
		if (isatty(fd)) {
			fprintf(stderr,
				"checkpoint: not writing an image to a terminal; use -o FILE\n");
			return 2;
		}
	}
	logfd = memfd_create("checkpoint-log", MFD_CLOEXEC);
	if (logfd < 0) {
		fprintf(stderr, "checkpoint: memfd_create: %s\n", strerror(errno));
		return 1;
	}

	if (ckpt_freeze(pid, &fz, err, sizeof(err))) {
		fprintf(stderr, "checkpoint: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = sys_checkpoint(pid, fd, 0, logfd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret < 0) {
		int e = errno;

		ckpt_log_reason(logfd, reason, sizeof(reason));
		if (reason[0])
			fprintf(stderr, "%s\n", reason);
		else
			fprintf(stderr, "checkpoint: pid %ld: %s\n", pid, strerror(e));
		status = 1;
	}
	if (log && ckpt_log_save(logfd, log))
		fprintf(stderr, "checkpoint: cannot write log %s: %s\n", log, strerror(errno));

	if (do_kill && !status) {
		if (ckpt_kill(&fz, pid, err, sizeof(err))) {
			fprintf(stderr, "checkpoint: %s\n", err);
			status = 1;
		}
	} else if (ckpt_thaw(&fz, err, sizeof(err))) {
		fprintf(stderr, "checkpoint: %s\n", err);
		status = 1;
	}
	if (!status)
		fprintf(stderr, "checkpoint: pid %ld: image %ld written, frozen for %.3f ms\n",
			pid, ret, (t1.tv_sec - t0.tv_sec) * 1e3 +
			(t1.tv_nsec - t0.tv_nsec) / 1e6);
	if (out && close(fd)) {
		fprintf(stderr, "checkpoint: %s: %s\n", out, strerror(errno));
		status = 1;
	}
	return status;
}
