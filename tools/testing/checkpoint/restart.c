// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restore from a checkpoint image
 *
 *   restart [-i FILE] [--log FILE] [--validate]
 *
 * Reads the image from FILE, or from standard input.  With --validate it
 * only checks the image (every length, objref, the checksum and the
 * tail) and exits 0 when restart(2) would accept it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ckpt_lib.h"

static void print_usage(FILE *f)
{
	fprintf(f, "usage: restart [-i FILE] [--log FILE] [--validate]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "log", required_argument, NULL, 'l' },
		{ "validate", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *in = NULL, *log = NULL;
	unsigned long flags = 0;
	char reason[1024];
	int fd, logfd, c;
	long ret;

	while ((c = getopt_long(argc, argv, "i:l:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			in = optarg;
			break;
		case 'l':
			log = optarg;
			break;
		case 'V':
			flags |= RESTART_VALIDATE;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		print_usage(stderr);
		return 2;
	}
	fd = in ? open(in, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		fprintf(stderr, "restart: %s: %s\n", in, strerror(errno));
		return 1;
	}
	logfd = memfd_create("restart-log", MFD_CLOEXEC);
	if (logfd < 0) {
		fprintf(stderr, "restart: memfd_create: %s\n", strerror(errno));
		return 1;
	}

	ret = sys_restart(0, fd, flags, logfd);
	if (log && ckpt_log_save(logfd, log))
		fprintf(stderr, "restart: cannot write log %s: %s\n", log, strerror(errno));
	if (ret < 0) {
		int e = errno;

		ckpt_log_reason(logfd, reason, sizeof(reason));
		if (reason[0])
			fprintf(stderr, "%s\n", reason);
		else
			fprintf(stderr, "restart: %s\n", strerror(e));
		return 1;
	}
	if (flags & RESTART_VALIDATE)
		fprintf(stderr, "restart: image is valid\n");
	return 0;
}
