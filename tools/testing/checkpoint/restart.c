// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restore from a checkpoint image
 *
 *   restart [-i FILE] [--pidfile FILE] [--no-pidns] [--detach]
 *           [--keep-stdio] [--log FILE] [--validate]
 *
 * Reads the image from FILE, or from standard input.  The restored task
 * gets the pid it had: by default in a new pid namespace whose pid 1 is
 * a copy of this tool, reaping and waiting, in a new mount namespace
 * with a /proc of that pid namespace, a new IPC namespace and, if the
 * tree had one of its own, a new UTS namespace; with --no-pidns in the
 * caller's namespace, if that pid is free.  Without --detach the tool
 * exits with the restored task's exit status, or 128+signal.
 *
 * The restored task gets the descriptors it had, reopened; with
 * --keep-stdio its 0, 1 and 2 are this tool's instead.
 *
 * With --validate it only checks the image and exits 0 if restart(2)
 * would accept it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt_lib.h"

static void print_usage(FILE *f)
{
	fprintf(f, "usage: restart [-i FILE] [--pidfile FILE] [--no-pidns] [--detach]\n"
		   "               [--keep-stdio] [--log FILE] [--validate]\n");
}

static pid_t clone3_pid(unsigned long long flags, pid_t tid)
{
	struct clone_args args;
	pid_t set_tid = tid;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	args.exit_signal = SIGCHLD;
	if (tid) {
		args.set_tid = (unsigned long)&set_tid;
		args.set_tid_size = 1;
	}
	return syscall(SYS_clone3, &args, sizeof(args));
}

/* Exit status of a waited child, as a shell reports it */
static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* What the tool needs of the image before restart() reads it */
struct image_prefix {
	pid_t pid;	/* the root's, from the first task record */
	int own_uts;	/* the tree had a UTS namespace of its own */
};

/*
 * Parse the task records, and the record after them: 0 once it is in
 * @buf (or the image, which ends at @len if @eof, ends before it), -1
 * if more is needed or the records are not an image's
 */
static int image_pid(const unsigned char *buf, size_t len, int eof,
		     struct image_prefix *ip)
{
	const struct ckpt_hdr *h;
	int seen_task = 0;
	size_t off = 0;

	ip->own_uts = 0;
	while (off + sizeof(*h) <= len) {
		h = (const void *)(buf + off);
		if (h->len < sizeof(*h))
			return -1;
		if (h->type == CKPT_HDR_TASK && !seen_task) {
			if (off + sizeof(struct ckpt_hdr_task) > len)
				return -1;
			ip->pid = ((const struct ckpt_hdr_task *)h)->pid;
			seen_task = 1;
		} else if (h->type != CKPT_HDR_TASK && seen_task) {
			if (h->type != CKPT_HDR_UTS_NS)
				return 0;
			if (off + sizeof(struct ckpt_hdr_uts_ns) > len)
				return -1;
			ip->own_uts = !!(((const struct ckpt_hdr_uts_ns *)h)->flags &
					 CKPT_UTS_OWN);
			return 0;
		}
		off += h->len;
	}
	return eof && seen_task ? 0 : -1;
}

/*
 * Read the image up to the record after its task records into @buf
 * (image_pid()); the bytes read are
 * given to the kernel afterwards, before the rest of the input.
 */
static ssize_t read_prefix(int fd, unsigned char *buf, size_t size,
			   struct image_prefix *ip)
{
	size_t len = 0;
	ssize_t n;

	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return image_pid(buf, len, 1, ip) ? -1 : (ssize_t)len;
		len += n;
		if (!image_pid(buf, len, 0, ip))
			return len;
	}
	errno = EINVAL;
	return -1;
}

/* Give @prefix, then everything left in @in, to @out */
static int feed(int out, const unsigned char *prefix, size_t len, int in)
{
	char buf[65536];
	ssize_t n;

	if (write(out, prefix, len) != (ssize_t)len)
		return -1;
	for (;;) {
		n = splice(in, NULL, out, NULL, 1 << 20, 0);
		if (n < 0 && errno == EINVAL) {
			n = read(in, buf, sizeof(buf));
			if (n > 0 && write(out, buf, n) != n)
				return -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n;
	}
}

struct opts {
	const char *in, *log, *pidfile;
	int no_pidns, detach, validate;
	unsigned long flags;
};

/* The task to restore into: it calls restart() and does not come back */
static void become_restored(int imgfd, int logfd, int stdin_is_image,
			    unsigned long flags)
{
	long ret;

	if (stdin_is_image) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0 && null != STDIN_FILENO) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
	}
	ret = sys_restart(0, imgfd, flags, logfd);
	/* only failures before the point of no return come back here */
	(void)ret;
	_exit(126);
}

/*
 * In the new pid and mount namespaces: a /proc of the new pid namespace
 * over the caller's, so that /proc/<pid> of a restored task is its own
 */
static int mount_proc(void)
{
	struct statfs st;

	if (statfs("/proc", &st) || st.f_type != PROC_SUPER_MAGIC)
		return 0;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		fprintf(stderr, "restart: cannot mount /proc for the new pid namespace: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* pid 1 of the new pid namespace: create the task, reap, report */
static int reaper(pid_t pid, int imgfd, int logfd, int stdin_is_image,
		  unsigned long flags)
{
	int status, code = 1;
	pid_t child, w;

	prctl(PR_SET_NAME, "restart-init");
	if (mount_proc())
		return 1;
	child = clone3_pid(0, pid);
	if (child < 0) {
		fprintf(stderr, "restart: cannot create pid %d: %s\n", pid,
			strerror(errno));
		return 1;
	}
	if (child == 0)
		become_restored(imgfd, logfd, stdin_is_image, flags);
	close(imgfd);
	for (;;) {
		w = wait(&status);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		if (w == child)
			code = exit_code(status);
	}
	return code;
}

static void report_failure(int logfd, int status)
{
	char reason[1024];

	ckpt_log_reason(logfd, reason, sizeof(reason));
	if (reason[0] && (strstr(reason, "error") || status == 126))
		fprintf(stderr, "%s\n", reason);
}

/* The restored task as the caller sees it: the reaper's only child */
static pid_t restored_pid(pid_t reaper)
{
	char path[64], buf[64];
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", reaper, reaper);
	for (i = 0; i < 5000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			return atoi(buf);
		}
		usleep(1000);
	}
	return -1;
}

/* Wait until the kernel says the task is restored, or the task is gone */
static int wait_restored(int logfd, pid_t child, int *status)
{
	unsigned char *text;
	size_t n;
	int i, done;

	for (i = 0; i < 60000; i++) {
		if (!lseek(logfd, 0, SEEK_SET) && !ckpt_read_fd(logfd, &text, &n)) {
			text = realloc(text, n + 1);
			text[n] = '\0';
			done = !!strstr((char *)text, "image restored");
			free(text);
			if (done)
				return 0;
		}
		if (waitpid(child, status, WNOHANG) == child)
			return -1;
		usleep(1000);
	}
	*status = 1 << 8;
	return -1;
}

static int do_restore(struct opts *o, int fd, int logfd)
{
	/* room for the most task records an image holds, and more */
	static unsigned char prefix[512 * 1024];
	int p[2] = { -1, -1 }, imgfd = fd, status, code;
	int is_file, stdin_is_image = !o->in;
	struct stat st;
	struct image_prefix ip;
	unsigned long long ns;
	pid_t pid, child;
	ssize_t len = 0;
	FILE *f;

	is_file = !fstat(fd, &st) && S_ISREG(st.st_mode);
	if (is_file) {
		len = pread(fd, prefix, sizeof(prefix), lseek(fd, 0, SEEK_CUR));
		if (len < 0 || image_pid(prefix, len, len < (ssize_t)sizeof(prefix), &ip)) {
			fprintf(stderr, "restart: not an image with a task record\n");
			return 1;
		}
	} else {
		len = read_prefix(fd, prefix, sizeof(prefix), &ip);
		if (len < 0) {
			fprintf(stderr, "restart: not an image with a task record\n");
			return 1;
		}
		if (pipe2(p, O_CLOEXEC)) {
			perror("restart: pipe");
			return 1;
		}
		imgfd = p[0];
	}
	pid = ip.pid;
	if (pid <= 1) {
		fprintf(stderr, "restart: the image's pid %d cannot be restored\n", pid);
		return 1;
	}

	/*
	 * a fresh IPC namespace for the image's, and a UTS namespace if the
	 * tree had one of its own, with the new pid namespace and a mount
	 * namespace for the /proc that shows its pids
	 */
	ns = CLONE_NEWIPC | (ip.own_uts ? CLONE_NEWUTS : 0);
	child = clone3_pid(o->no_pidns ? 0 : CLONE_NEWPID | CLONE_NEWNS | ns,
			   o->no_pidns ? pid : 0);
	if (child < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "restart: pid %d is taken\n", pid);
		else
			fprintf(stderr, "restart: cannot create the task: %s\n",
				strerror(errno));
		return 1;
	}
	if (child == 0) {
		if (p[1] >= 0)
			close(p[1]);
		/*
		 * fresh IPC and UTS namespaces too, when the caller may make
		 * them; restart() says why an image needs one it could not
		 */
		if (o->no_pidns && unshare(ns) && errno != EPERM) {
			fprintf(stderr, "restart: unshare(CLONE_NEWIPC%s): %s\n",
				ip.own_uts ? "|CLONE_NEWUTS" : "",
				strerror(errno));
			_exit(1);
		}
		if (o->no_pidns)
			become_restored(imgfd, logfd, stdin_is_image, o->flags);
		_exit(reaper(pid, imgfd, logfd, stdin_is_image, o->flags));
	}
	if (p[0] >= 0) {
		close(p[0]);
		signal(SIGPIPE, SIG_IGN);
		feed(p[1], prefix, len, fd);
		close(p[1]);
	}
	if (o->pidfile) {
		pid_t outer = o->no_pidns ? pid : restored_pid(child);

		f = fopen(o->pidfile, "w");
		if (outer <= 0 || !f || fprintf(f, "%d\n", outer) < 0 ||
		    fclose(f)) {
			fprintf(stderr, "restart: cannot write %s\n", o->pidfile);
			return 1;
		}
	}
	if (o->detach) {
		if (!wait_restored(logfd, child, &status))
			return 0;
		code = exit_code(status);
		report_failure(logfd, code);
		return code ? code : 1;
	}
	if (waitpid(child, &status, 0) != child) {
		perror("restart: waitpid");
		return 1;
	}
	code = exit_code(status);
	if (code)
		report_failure(logfd, code);
	return code;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "log", required_argument, NULL, 'l' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "no-pidns", no_argument, NULL, 'N' },
		{ "detach", no_argument, NULL, 'd' },
		{ "validate", no_argument, NULL, 'V' },
		{ "keep-stdio", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct opts o = { };
	char reason[1024];
	int fd, logfd, c, code;
	long ret;

	while ((c = getopt_long(argc, argv, "i:l:p:NdVKh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.in = optarg;
			break;
		case 'l':
			o.log = optarg;
			break;
		case 'p':
			o.pidfile = optarg;
			break;
		case 'N':
			o.no_pidns = 1;
			break;
		case 'd':
			o.detach = 1;
			break;
		case 'V':
			o.validate = 1;
			break;
		case 'K':
			o.flags |= RESTART_KEEP_STDIO;
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
	fd = o.in ? open(o.in, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		fprintf(stderr, "restart: %s: %s\n", o.in, strerror(errno));
		return 1;
	}
	logfd = memfd_create("restart-log", MFD_CLOEXEC);
	if (logfd < 0) {
		fprintf(stderr, "restart: memfd_create: %s\n", strerror(errno));
		return 1;
	}

	if (o.validate) {
		ret = sys_restart(0, fd, RESTART_VALIDATE, logfd);
		if (ret < 0) {
			int e = errno;

			ckpt_log_reason(logfd, reason, sizeof(reason));
			fprintf(stderr, "%s\n", reason[0] ? reason : strerror(e));
			code = 1;
		} else {
			fprintf(stderr, "restart: image is valid\n");
			code = 0;
		}
	} else {
		code = do_restore(&o, fd, logfd);
	}
	if (o.log && ckpt_log_save(logfd, o.log))
		fprintf(stderr, "restart: cannot write log %s: %s\n", o.log,
			strerror(errno));
	return code;
}
