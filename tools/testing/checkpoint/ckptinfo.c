// SPDX-License-Identifier: GPL-2.0
/*
 * ckptinfo - decode a checkpoint image
 *
 *   ckptinfo [--json] [FILE]
 *
 * Prints every record with its offset.  Reports CRC errors, truncation,
 * unknown record types and bad lengths with their offsets, and exits 1
 * when it found any.  Reads standard input when FILE is absent or "-".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt_lib.h"

static int json;
static int nrec;
static int nerr;
static unsigned long long npages;
static FILE *in;
static unsigned long long off;		/* bytes consumed */
static uint32_t crc = ~0U;

static void json_str(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void text_str(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void problem(unsigned long long at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (json) {
		char msg[512];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		printf("%s{\"offset\":%llu,\"error\":", nrec + nerr ? ",\n  " : "  ", at);
		json_str(msg, sizeof(msg));
		printf("}");
	} else {
		printf("0x%08llx  ERROR   ", at);
		vprintf(fmt, ap);
		putchar('\n');
	}
	va_end(ap);
	nerr++;
}

/* Fields of a record, printed as "name value" or "name":value */
static int nfield;

static void field_u(const char *name, unsigned long long v)
{
	if (json)
		printf(",\"%s\":%llu", name, v);
	else
		printf(" %s %llu", name, v);
	nfield++;
}

static void field_i(const char *name, long long v)
{
	if (json)
		printf(",\"%s\":%lld", name, v);
	else
		printf(" %s %lld", name, v);
	nfield++;
}

static void field_x(const char *name, unsigned long long v)
{
	if (json)
		printf(",\"%s\":%llu", name, v);
	else
		printf(" %s %#llx", name, v);
	nfield++;
}

static void field_s(const char *name, const char *s, size_t max)
{
	if (json) {
		printf(",\"%s\":", name);
		json_str(s, max);
	} else {
		printf(" %s ", name);
		text_str(s, max);
	}
	nfield++;
}

static void field_b(const char *name, int v)
{
	if (json)
		printf(",\"%s\":%s", name, v ? "true" : "false");
	else
		printf(" %s %s", name, v ? "ok" : "BAD");
	nfield++;
}

static void rec_begin(unsigned long long at, const struct ckpt_hdr *h)
{
	const char *name = ckpt_type_name(h->type);

	if (json) {
		printf("%s{\"offset\":%llu,\"type\":", nrec + nerr ? ",\n  " : "  ", at);
		if (name)
			printf("\"%s\"", name);
		else
			printf("%u", h->type);
		printf(",\"len\":%u", h->len);
	} else {
		printf("0x%08llx  %-7s len %u:", at, name ? name : "?", h->len);
	}
	nrec++;
}

static void rec_end(void)
{
	if (json)
		printf("}");
	else
		putchar('\n');
}

/* Read exactly @len bytes; returns bytes read */
static size_t get(void *buf, size_t len)
{
	size_t n = fread(buf, 1, len, in);

	crc = ckpt_crc32c(crc, buf, n);
	off += n;
	return n;
}

/* The length of every record type comes from CKPT_RECORDS, checked once */
static int length_ok(unsigned long long at, const struct ckpt_hdr *h)
{
	uint32_t min, max;

	if (ckpt_type_lengths(h->type, &min, &max)) {
		problem(at, "unknown record type %u (length %u)", h->type, h->len);
		return 0;
	}
	if (h->len >= min && h->len <= max)
		return 1;
	if (min == max)
		problem(at, "%s record: length %u, expected %u",
			ckpt_type_name(h->type), h->len, min);
	else
		problem(at, "%s record: bad length %u, expected %u..%u",
			ckpt_type_name(h->type), h->len, min, max);
	return 0;
}

static void decode(unsigned long long at, const struct ckpt_hdr *h, const void *rec,
		   uint32_t crc_before)
{
	if (!length_ok(at, h))
		return;
	switch (h->type) {
	case CKPT_HDR_HEADER: {
		const struct ckpt_hdr_header *r = rec;

		rec_begin(at, h);
		field_b("magic", r->magic == CKPT_MAGIC);
		field_u("version", r->version);
		if (json)
			field_u("arch", r->arch);
		else
			printf(" arch %s", r->arch == CKPT_ARCH_X86_64 ? "x86_64" : "unknown");
		field_u("page_size", r->page_size);
		field_x("flags", r->flags);
		field_u("ckpt_id", r->ckpt_id);
		field_i("time", r->time);
		field_s("release", r->release, sizeof(r->release));
		rec_end();
		if (r->magic != CKPT_MAGIC)
			problem(at, "bad magic %#llx", (unsigned long long)r->magic);
		if (r->version != CKPT_FORMAT_VERSION)
			problem(at, "format version %u, ckptinfo reads %u",
				r->version, CKPT_FORMAT_VERSION);
		break;
	}
	case CKPT_HDR_TAIL: {
		const struct ckpt_hdr_tail *r = rec;
		uint32_t want = ckpt_crc32c_final(crc_before);

		rec_begin(at, h);
		field_b("magic", r->magic == CKPT_TAIL_MAGIC);
		field_x("crc", r->crc);
		field_b("crc_ok", r->crc == want);
		rec_end();
		if (r->magic != CKPT_TAIL_MAGIC)
			problem(at, "bad tail magic %#llx", (unsigned long long)r->magic);
		if (r->crc != want)
			problem(at, "CRC mismatch: tail says %#010x, data gives %#010x",
				r->crc, want);
		break;
	}
	case CKPT_HDR_ERROR: {
		const struct ckpt_hdr_error *r = rec;

		if (h->len < sizeof(*r) + 8) {
			problem(at, "error record: length %u too short", h->len);
			return;
		}
		rec_begin(at, h);
		field_i("err", r->err);
		field_s("msg", r->msg, h->len - sizeof(*r));
		rec_end();
		break;
	}
	case CKPT_HDR_TASK: {
		const struct ckpt_hdr_task *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("parent_ref", r->parent_ref);
		field_i("pid", r->pid);
		field_i("tgid", r->tgid);
		field_i("ppid", r->ppid);
		field_i("pgid", r->pgid);
		field_i("sid", r->sid);
		field_i("exit_signal", r->exit_signal);
		field_i("pdeath_signal", r->pdeath_signal);
		field_s("comm", r->comm, sizeof(r->comm));
		rec_end();
		break;
	}
	case CKPT_HDR_TASK_BEGIN: {
		const struct ckpt_hdr_task_begin *r = rec;

		rec_begin(at, h);
		field_u("task_ref", r->task_ref);
		rec_end();
		break;
	}
	case CKPT_HDR_CPU: {
		const struct ckpt_hdr_cpu *r = rec;

		rec_begin(at, h);
		field_x("ip", r->ip);
		field_x("sp", r->sp);
		field_x("ax", r->ax);
		field_x("flags", r->flags);
		field_x("fs_base", r->fs_base);
		field_x("gs_base", r->gs_base);
		rec_end();
		break;
	}
	case CKPT_HDR_XSTATE: {
		const struct ckpt_hdr_xstate *r = rec;

		if (h->len < sizeof(*r) || r->size > h->len - sizeof(*r)) {
			problem(at, "xstate record: bad size");
			return;
		}
		rec_begin(at, h);
		field_u("size", r->size);
		if (r->size >= 520)
			field_x("xstate_bv", *(const unsigned long long *)(r->data + 512));
		rec_end();
		break;
	}
	case CKPT_HDR_MM: {
		const struct ckpt_hdr_mm *r = rec;

		if (h->len < sizeof(*r) || r->exe_len > h->len - sizeof(*r)) {
			problem(at, "mm record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("nr_vmas", r->nr_vmas);
		field_x("start_code", r->start_code);
		field_x("start_brk", r->start_brk);
		field_x("brk", r->brk);
		field_x("start_stack", r->start_stack);
		field_x("vdso", r->vdso);
		field_u("dumpable", r->dumpable);
		field_s("exe", r->exe, r->exe_len);
		rec_end();
		break;
	}
	case CKPT_HDR_VMA: {
		static const char *const types[] = {
			"?", "anon", "file", "shmem", "vdso", "sysvshm"
		};
		const struct ckpt_hdr_vma *r = rec;
		char fl[8];

		if (h->len < sizeof(*r) || r->path_len > h->len - sizeof(*r)) {
			problem(at, "vma record: bad length %u", h->len);
			return;
		}
		snprintf(fl, sizeof(fl), "%c%c%c%c",
			 r->flags & CKPT_VMA_READ ? 'r' : '-',
			 r->flags & CKPT_VMA_WRITE ? 'w' : '-',
			 r->flags & CKPT_VMA_EXEC ? 'x' : '-',
			 r->flags & CKPT_VMA_SHARED ? 's' : 'p');
		rec_begin(at, h);
		field_x("start", r->start);
		field_x("end", r->end);
		field_s("prot", fl, sizeof(fl));
		field_s("kind", types[r->type < 6 ? r->type : 0], 8);
		field_u("pgoff", r->pgoff);
		if (r->path_len)
			field_s("path", r->path, r->path_len);
		rec_end();
		break;
	}
	case CKPT_HDR_PAGES: {
		const struct ckpt_hdr_pages *r = rec;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->nr * (8 + 4096) != h->len - sizeof(*r)) {
			problem(at, "pages record: %u pages in %u bytes",
				h->len < sizeof(*r) ? 0 : r->nr, h->len);
			return;
		}
		rec_begin(at, h);
		field_u("nr", r->nr);
		field_x("first", r->addr[0]);
		field_x("last", r->addr[r->nr - 1]);
		rec_end();
		npages += r->nr;
		break;
	}
	case CKPT_HDR_RESTART_BLOCK: {
		const struct ckpt_hdr_restart_block *r = rec;

		rec_begin(at, h);
		field_s("kind", r->kind == CKPT_RESTART_NANOSLEEP ? "nanosleep" :
				r->kind == CKPT_RESTART_FUTEX ? "futex" :
				r->kind == CKPT_RESTART_POLL ? "poll" : "?", 10);
		field_i("clockid", r->clockid);
		field_u("remaining_ns", r->remaining_ns);
		if (r->kind == CKPT_RESTART_POLL && h->len >= sizeof(*r)) {
			field_u("timeout",
				r->remaining_ns != CKPT_POLL_NO_TIMEOUT);
			field_x("ufds", r->uaddr);
			field_u("nfds", r->val);
		}
		if (r->kind == CKPT_RESTART_FUTEX && h->len >= sizeof(*r)) {
			field_x("uaddr", r->uaddr);
			field_u("val", r->val);
			field_x("bitset", r->bitset);
			field_u("shared", !!(r->futex_flags & CKPT_FUTEX_SHARED));
		}
		rec_end();
		break;
	}
	case CKPT_HDR_PRCTL: {
		const struct ckpt_hdr_prctl *r = rec;

		rec_begin(at, h);
		field_u("no_new_privs", !!(r->flags & CKPT_PRCTL_NO_NEW_PRIVS));
		field_x("flags", r->flags);
		rec_end();
		break;
	}
	case CKPT_HDR_ITIMERS: {
		static const char *const names[CKPT_ITIMERS] = {
			"real", "virtual", "prof"
		};
		const struct ckpt_hdr_itimers *r = rec;
		char name[32];
		int i;

		rec_begin(at, h);
		for (i = 0; i < CKPT_ITIMERS; i++) {
			snprintf(name, sizeof(name), "%s_ns", names[i]);
			field_u(name, r->timer[i].value_ns);
			snprintf(name, sizeof(name), "%s_interval_ns", names[i]);
			field_u(name, r->timer[i].interval_ns);
		}
		rec_end();
		break;
	}
	case CKPT_HDR_THREAD_ADDRS: {
		const struct ckpt_hdr_thread_addrs *r = rec;

		rec_begin(at, h);
		field_x("clear_child_tid", r->clear_child_tid);
		field_x("robust_list", r->robust_list);
		field_x("rseq", r->rseq);
		field_u("rseq_len", r->rseq_len);
		field_x("rseq_sig", r->rseq_sig);
		rec_end();
		break;
	}
	case CKPT_HDR_SIGNALS: {
		const struct ckpt_hdr_signals *r = rec;
		int i, n = 0;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->nr_pending * sizeof(r->pending[0]) !=
		    h->len - sizeof(*r)) {
			problem(at, "signals record: bad length %u", h->len);
			return;
		}
		for (i = 0; i < CKPT_NSIG; i++)
			n += r->action[i].handler != 0;
		rec_begin(at, h);
		field_x("blocked", r->blocked);
		field_u("handlers", n);
		field_u("pending", r->nr_pending);
		field_x("altstack", r->ss_sp);
		rec_end();
		break;
	}
	case CKPT_HDR_PROC: {
		const struct ckpt_hdr_proc *r = rec;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->cwd_len + r->root_len > h->len - sizeof(*r)) {
			problem(at, "proc record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_x("umask", r->umask);
		field_x("personality", r->personality);
		field_u("sem_undo_ref", r->sem_undo_ref);
		field_s("cwd", r->paths, r->cwd_len);
		field_s("root", r->paths + r->cwd_len, r->root_len);
		rec_end();
		break;
	}
	case CKPT_HDR_CREDS: {
		const struct ckpt_hdr_creds *r = rec;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->ngroups * 4 > h->len - sizeof(*r)) {
			problem(at, "creds record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("uid", r->uid);
		field_u("euid", r->euid);
		field_u("gid", r->gid);
		field_u("egid", r->egid);
		field_u("ngroups", r->ngroups);
		rec_end();
		break;
	}
	case CKPT_HDR_PIPE: {
		const struct ckpt_hdr_pipe *r = rec;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->nr_bufs * sizeof(r->bufs[0]) +
		    r->nr_bytes > h->len - sizeof(*r)) {
			problem(at, "pipe record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("size", r->size);
		field_u("nr_bufs", r->nr_bufs);
		field_u("nr_bytes", r->nr_bytes);
		rec_end();
		break;
	}
	case CKPT_HDR_FILE: {
		static const char *const types[] = {
			"?", "reg", "dir", "chr", "fifo", "pipe"
		};
		const struct ckpt_hdr_file *r = rec;

		if (h->len < sizeof(*r) || r->path_len > h->len - sizeof(*r)) {
			problem(at, "file record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_s("type", types[r->type < 6 ? r->type : 0], 8);
		field_x("flags", r->flags);
		field_i("pos", r->pos);
		if (r->pipe_ref)
			field_u("pipe", r->pipe_ref);
		if (r->rdev)
			field_x("rdev", r->rdev);
		if (r->path_len)
			field_s("path", r->path, r->path_len);
		rec_end();
		break;
	}
	case CKPT_HDR_EVENTFD: {
		const struct ckpt_hdr_eventfd *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_x("flags", r->flags);
		field_u("semaphore", !!(r->efd_flags & CKPT_EFD_SEMAPHORE));
		field_u("count", r->count);
		rec_end();
		break;
	}
	case CKPT_HDR_SIGNALFD: {
		const struct ckpt_hdr_signalfd *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_x("flags", r->flags);
		field_x("sigmask", r->sigmask);
		rec_end();
		break;
	}
	case CKPT_HDR_TIMERFD: {
		const struct ckpt_hdr_timerfd *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_x("flags", r->flags);
		field_u("clockid", r->clockid);
		field_x("tfd_flags", r->tfd_flags);
		field_u("value_ns", r->value);
		field_u("interval_ns", r->interval);
		field_u("ticks", r->ticks);
		rec_end();
		break;
	}
	case CKPT_HDR_EPOLL: {
		const struct ckpt_hdr_epoll *r = rec;
		const struct ckpt_epoll_target *t;
		char buf[96];
		unsigned int i;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->nr_targets * sizeof(r->targets[0]) >
		    h->len - sizeof(*r)) {
			problem(at, "epoll record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_x("flags", r->flags);
		field_u("nr_targets", r->nr_targets);
		for (i = 0; i < r->nr_targets; i++) {
			t = &r->targets[i];
			snprintf(buf, 32, "target%u", i);
			snprintf(buf + 32, 64, "file %u fd %u events %#x data %#llx%s",
				 t->file_ref, t->fd, t->events,
				 (unsigned long long)t->data,
				 t->flags & CKPT_EPOLL_READY ? " ready" : "");
			field_s(buf, buf + 32, 64);
		}
		rec_end();
		break;
	}
	case CKPT_HDR_UNIX_SOCK: {
		static const char *const states[] = {
			"?", "unconnected", "pair", "peer-closed", "listen",
			"pending"
		};
		const struct ckpt_hdr_unix_sock *r = rec;
		const struct ckpt_unix_end *e;
		const unsigned char *name;
		unsigned long long off;
		char buf[160];
		unsigned int i, j;

		rec_begin(at, h);
		field_u("type", r->type);
		field_s("state", states[r->state < 6 ? r->state : 0], 12);
		if (r->state == CKPT_UNIX_LISTEN)
			field_u("backlog", r->backlog);
		if (r->state == CKPT_UNIX_PENDING)
			field_u("listener", r->listener);
		/* the names follow the lengths and the data */
		off = sizeof(*r) +
		      ((r->ends[0].nr_msgs + 1ULL + r->ends[1].nr_msgs) / 2 * 8) +
		      ((r->ends[0].nr_bytes + r->ends[1].nr_bytes + 7) / 8 * 8);
		for (i = 0; i < 2; i++) {
			e = &r->ends[i];
			name = (const unsigned char *)rec + off;
			off += (e->name_len + 7ULL) / 8 * 8 +
			       (e->path_len + 7ULL) / 8 * 8;
			if (!e->name_len || e->name_len > CKPT_UNIX_NAME_MAX ||
			    off > h->len)
				continue;
			snprintf(buf, 32, "end%u_name", i);
			/* an abstract name starts with a NUL: '@' for each */
			for (j = 0; j < e->name_len && j < 100; j++)
				buf[32 + j] = name[j] ? (char)name[j] : '@';
			buf[32 + j] = '\0';
			if (buf[32 + j - 1] == '@' && name[0])
				buf[32 + j - 1] = '\0';
			if (e->so_flags & CKPT_UNIX_BOUND)
				strcat(buf + 32, " (bound)");
			field_s(buf, buf + 32, 112);
		}
		for (i = 0; i < 2; i++) {
			e = &r->ends[i];
			if (!e->objref && !e->nr_msgs)
				continue;
			snprintf(buf, 32, "end%u", i);
			snprintf(buf + 32, 96,
				 "file %u flags %#x so_flags %#x bufs %u/%u msgs %u bytes %llu",
				 e->objref, e->flags, e->so_flags, e->sndbuf,
				 e->rcvbuf, e->nr_msgs,
				 (unsigned long long)e->nr_bytes);
			field_s(buf, buf + 32, 96);
		}
		rec_end();
		break;
	}
	case CKPT_HDR_FD_TABLE: {
		const struct ckpt_hdr_fd_table *r = rec;
		char buf[64];
		unsigned int i;

		if (h->len < sizeof(*r) ||
		    (unsigned long long)r->nr_fds * sizeof(r->fds[0]) >
		    h->len - sizeof(*r)) {
			problem(at, "fd table record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("nr_fds", r->nr_fds);
		for (i = 0; i < r->nr_fds; i++) {
			snprintf(buf, sizeof(buf), "fd%u", r->fds[i].fd);
			snprintf(buf + 32, 32, "file %u%s", r->fds[i].file_ref,
				 r->fds[i].flags & CKPT_FD_CLOEXEC ? " cloexec" : "");
			field_s(buf, buf + 32, 32);
		}
		rec_end();
		break;
	}
	case CKPT_HDR_UTS_NS: {
		const struct ckpt_hdr_uts_ns *r = rec;

		rec_begin(at, h);
		field_u("own", !!(r->flags & CKPT_UTS_OWN));
		field_s("hostname", r->hostname, sizeof(r->hostname));
		field_s("domainname", r->domainname, sizeof(r->domainname));
		rec_end();
		break;
	}
	case CKPT_HDR_IPC_NS: {
		const struct ckpt_hdr_ipc_ns *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("nr_msg", r->nr_msg);
		field_u("nr_sem", r->nr_sem);
		field_u("shmmax", r->shm_ctlmax);
		field_u("shmall", r->shm_ctlall);
		field_u("shmmni", r->shm_ctlmni);
		field_u("msgmax", r->msg_ctlmax);
		field_u("msgmnb", r->msg_ctlmnb);
		field_u("msgmni", r->msg_ctlmni);
		field_u("semmsl", r->sem_ctls[0]);
		field_u("semmni", r->sem_ctls[3]);
		rec_end();
		break;
	}
	case CKPT_HDR_IPC_MSG: {
		const struct ckpt_hdr_ipc_msg *r = rec;

		if (h->len < sizeof(*r)) {
			problem(at, "msg record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_i("id", r->perm.id);
		field_x("key", (unsigned int)r->perm.key);
		field_x("mode", r->perm.mode);
		field_u("uid", r->perm.uid);
		field_u("qbytes", r->qbytes);
		field_u("nr_msgs", r->nr_msgs);
		field_u("cbytes", r->cbytes);
		rec_end();
		break;
	}
	case CKPT_HDR_MQ_NS: {
		const struct ckpt_hdr_mq_ns *r = rec;

		rec_begin(at, h);
		field_u("queues_max", r->queues_max);
		field_u("msg_max", r->msg_max);
		field_u("msgsize_max", r->msgsize_max);
		field_u("msg_default", r->msg_default);
		field_u("msgsize_default", r->msgsize_default);
		field_u("nr_queues", r->nr_queues);
		rec_end();
		break;
	}
	case CKPT_HDR_MQ: {
		const struct ckpt_hdr_mq *r = rec;

		rec_begin(at, h);
		field_s("name", r->name, sizeof(r->name));
		field_x("mode", r->mode);
		field_u("uid", r->uid);
		field_u("gid", r->gid);
		field_u("maxmsg", r->maxmsg);
		field_u("msgsize", r->msgsize);
		field_u("nr_msgs", r->nr_msgs);
		field_u("nr_bytes", r->nr_bytes);
		rec_end();
		break;
	}
	case CKPT_HDR_MQ_FILE: {
		const struct ckpt_hdr_mq_file *r = rec;

		rec_begin(at, h);
		field_u("objref", r->objref);
		field_x("flags", r->flags);
		field_s("name", r->name, sizeof(r->name));
		rec_end();
		break;
	}
	case CKPT_HDR_IPC_SHM: {
		const struct ckpt_hdr_ipc_shm *r = rec;

		rec_begin(at, h);
		field_i("id", r->perm.id);
		field_x("key", (unsigned int)r->perm.key);
		field_x("mode", r->perm.mode);
		field_u("uid", r->perm.uid);
		field_u("size", r->size);
		field_x("flags", r->flags);
		field_u("nattch", r->nattch);
		field_u("objref", r->objref);
		rec_end();
		break;
	}
	case CKPT_HDR_IPC_SEM: {
		const struct ckpt_hdr_ipc_sem *r = rec;

		if (h->len < sizeof(*r)) {
			problem(at, "sem record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_i("id", r->perm.id);
		field_x("key", (unsigned int)r->perm.key);
		field_x("mode", r->perm.mode);
		field_u("uid", r->perm.uid);
		field_u("nsems", r->nsems);
		rec_end();
		break;
	}
	case CKPT_HDR_SEM_UNDO: {
		const struct ckpt_hdr_sem_undo *r = rec;
		const unsigned char *p = (const void *)(r + 1);
		const unsigned char *end = (const unsigned char *)rec + h->len;
		const struct ckpt_sem_undo *e;
		char name[32], vals[256];
		unsigned int i, j, n;
		__s16 adj;

		if (h->len < sizeof(*r)) {
			problem(at, "sem undo record: bad length %u", h->len);
			return;
		}
		rec_begin(at, h);
		field_u("objref", r->objref);
		field_u("nr", r->nr);
		for (i = 0; i < r->nr; i++) {
			e = (const void *)p;
			if (end - p < (long)sizeof(*e) ||
			    (unsigned long)(end - p - sizeof(*e)) <
			    ((e->nsems * 2ULL + 7) & ~7ULL))
				break;
			n = 0;
			for (j = 0; j < e->nsems && n < sizeof(vals) - 16; j++) {
				memcpy(&adj, p + sizeof(*e) + 2 * j, 2);
				n += snprintf(vals + n, sizeof(vals) - n, "%s%d",
					      j ? " " : "", adj);
			}
			if (j < e->nsems)
				snprintf(vals + n, sizeof(vals) - n, " ...");
			snprintf(name, sizeof(name), "sem%d", e->semid);
			field_s(name, vals, sizeof(vals));
			p += sizeof(*e) + ((e->nsems * 2ULL + 7) & ~7ULL);
		}
		rec_end();
		if (i < r->nr)
			problem(at, "sem undo record: entry %u runs past it", i);
		break;
	}
	default:
		problem(at, "unknown record type %u (length %u)", h->type, h->len);
	}
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: ckptinfo [--json] [FILE]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int tail_seen = 0, first = 1, c;
	struct ckpt_hdr h;
	uint32_t crc_before;
	unsigned char *rec;
	const char *path;
	unsigned long long at;
	size_t n;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		print_usage(stderr);
		return 2;
	}
	path = optind < argc ? argv[optind] : "-";
	in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "ckptinfo: %s: %s\n", path, strerror(errno));
		return 2;
	}

	if (json) {
		printf("{\"file\":");
		json_str(strcmp(path, "-") ? path : "<stdin>", 4096);
		printf(",\"records\":[\n");
	}
	while (!tail_seen) {
		at = off;
		crc_before = crc;
		n = get(&h, sizeof(h));
		if (n == 0 && !first) {
			problem(at, "image truncated: no tail record");
			break;
		}
		if (n < sizeof(h)) {
			problem(at, n ? "truncated record header (%zu of 8 bytes)" :
				"empty image", n);
			break;
		}
		if (h.len < sizeof(h) || h.len > CKPT_RECORD_MAX || h.len % 8) {
			problem(at, "record type %u: bad length %u", h.type, h.len);
			break;
		}
		if (first && h.type != CKPT_HDR_HEADER) {
			problem(at, "not an image: first record has type %u", h.type);
			break;
		}
		first = 0;
		rec = calloc(1, h.len + 1);
		if (!rec) {
			problem(at, "out of memory for a %u byte record", h.len);
			break;
		}
		memcpy(rec, &h, sizeof(h));
		n = get(rec + sizeof(h), h.len - sizeof(h));
		if (n < h.len - sizeof(h)) {
			problem(at, "record truncated at offset %llu (%zu of %u bytes)",
				off, n + sizeof(h), h.len);
			free(rec);
			break;
		}
		decode(at, &h, rec, crc_before);
		tail_seen = h.type == CKPT_HDR_TAIL;
		free(rec);
	}
	if (json)
		printf("\n],\"records_count\":%d,\"bytes\":%llu,\"pages\":%llu,",
		       nrec, off, npages);
	if (json)
		printf("\"errors\":%d,\"ok\":%s}\n", nerr, nerr ? "false" : "true");
	else
		printf("%d records, %llu bytes, %llu pages, %d errors: %s\n", nrec,
		       off, npages, nerr, nerr ? "BAD IMAGE" : "image ok");
	return nerr ? 1 : 0;
}
