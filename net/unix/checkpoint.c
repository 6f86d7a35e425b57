// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of Unix domain sockets.
 *
 * An unbound socket has no name to find it by again, and one connected
 * to it is its only way in, so a connected pair is one record, in the
 * place of the file records of both ends: it holds their options and
 * the data queued to each, which the other end sent.  A socket alone,
 * never connected or left by a peer that closed, is a record of its own.
 *
 * Checkpoint copies the queues without taking anything off them, so
 * the tree can go on.  Restart makes the pair again as socketpair()
 * does and has each end send the other's queue back, one message at a
 * time where the type keeps their boundaries; for a peer that closed it
 * then releases the end it made for it.
 *
 * What restart could not rebuild the same is refused by name: bound and
 * listening sockets, a peer outside the tree, descriptors (SCM_RIGHTS)
 * and, where the receiver would see them, credentials in flight, and
 * options that are not kept.
 */

#include <linux/capability.h>
#include <linux/checkpoint_net.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/af_unix.h>
#include <net/sock.h>

/* The O_* flags of a socket file that the image keeps */
#define CKPT_UNIX_O_FLAGS	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOATIME)
/* Those its file gets after it is made */
#define CKPT_UNIX_LATE_FLAGS	(O_APPEND | O_NOATIME)

#define CKPT_UNIX_SK_FLAGS	(CKPT_UNIX_PASSCRED | CKPT_UNIX_PASSSEC | \
				 CKPT_UNIX_SNDBUF_LOCK | CKPT_UNIX_RCVBUF_LOCK | \
				 CKPT_UNIX_PEERCRED)

/* The sock flags of options that restart does not set again */
#define CKPT_UNIX_LOST_SK_FLAGS	(BIT(SOCK_KEEPOPEN) | BIT(SOCK_LINGER) | \
				 BIT(SOCK_URGINLINE) | BIT(SOCK_RCVTSTAMP) | \
				 BIT(SOCK_RCVTSTAMPNS) | BIT(SOCK_RXQ_OVFL) | \
				 BIT(SOCK_ZEROCOPY) | BIT(SOCK_WIFI_STATUS) | \
				 BIT(SOCK_NOFCS) | BIT(SOCK_FILTER_LOCKED) | \
				 BIT(SOCK_SELECT_ERR_QUEUE) | BIT(SOCK_TXTIME))

/* The highest SO_PRIORITY a task may set without CAP_NET_ADMIN */
#define CKPT_UNIX_PRIO_MAX	6

/**
 * struct ckpt_unix_queue - the receive queue of one end, being saved
 * @skbs: its buffers, with a reference
 * @nr: how many
 * @bytes: the bytes not read yet in them
 */
struct ckpt_unix_queue {
	struct sk_buff **skbs;
	u32 nr;
	u64 bytes;
};

/* The bytes of @skb not read yet */
static u32 ckpt_unix_skb_len(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_type == SOCK_STREAM)
		return skb->len - UNIXCB(skb).consumed;
	return skb->len;
}

static void ckpt_unix_queue_free(struct ckpt_unix_queue *q)
{
	u32 i;

	for (i = 0; i < q->nr; i++)
		kfree_skb(q->skbs[i]);
	kvfree(q->skbs);
	q->skbs = NULL;
	q->nr = 0;
}

/* Take a reference on each buffer queued to @sk, and check them */
static int ckpt_unix_queue_get(struct ckpt_ctx *ctx, unsigned int fd,
			       struct sock *sk, struct ckpt_unix_queue *q)
{
	u32 max = skb_queue_len_lockless(&sk->sk_receive_queue);
	struct sk_buff *skb;
	int ret = 0;

	if (!max)
		return 0;
	if (max > CKPT_UNIX_MSGS_MAX)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket with %u messages queued: not supported",
				fd, max);
	if (sk->sk_socket && test_bit(SOCK_PASSCRED, &sk->sk_socket->flags))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket with SO_PASSCRED and %u messages queued: credentials in flight not supported yet",
				fd, max);
	q->skbs = kvcalloc(max, sizeof(*q->skbs), GFP_KERNEL_ACCOUNT);
	if (!q->skbs)
		return -ENOMEM;

	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		if (q->nr == max) {
			ret = -EAGAIN;
			break;
		}
		if (UNIXCB(skb).fp) {
			ret = -EBADF;
			break;
		}
		q->skbs[q->nr++] = skb_get(skb);
		q->bytes += ckpt_unix_skb_len(sk, skb);
	}
	spin_unlock(&sk->sk_receive_queue.lock);

	if (ret == -EBADF)
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: unix socket with descriptors in flight (SCM_RIGHTS) not supported yet",
			       fd);
	else if (ret)
		ret = ckpt_err(ctx, ret, "fd %u: unix socket queue changed",
			       fd);
	return ret;
}

/* 0, or -EOPNOTSUPP with the reason if @sk has what is not kept */
static int ckpt_unix_check(struct ckpt_ctx *ctx, unsigned int fd,
			   struct sock *sk, const char *which)
{
	struct unix_sock *u = unix_sk(sk);
	const char *what = NULL;

	if (u->addr) {
		const char *name = u->addr->name->sun_path;
		int len = u->addr->len - offsetof(struct sockaddr_un, sun_path);

		/* an abstract name starts with a NUL, shown as '@' */
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: %sunix socket bound to %s%.*s not supported yet",
				fd, which, *name ? "" : "@", max(len - !*name, 0),
				name + !*name);
	}
	if (sk->sk_state == TCP_LISTEN)
		what = "listening";
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	else if (u->oob_skb)
		what = "out-of-band data (MSG_OOB) in";
#endif
	else if (sk->sk_flags & CKPT_UNIX_LOST_SK_FLAGS)
		what = "SO_KEEPALIVE, SO_LINGER, SO_OOBINLINE, timestamping or zerocopy set on";
	else if (sk->sk_tsflags)
		what = "SO_TIMESTAMPING set on";
	else if (sk->sk_mark)
		what = "SO_MARK set on";
	else if (sk->sk_bound_dev_if)
		what = "SO_BINDTODEVICE set on";
	else if (rcu_access_pointer(sk->sk_filter))
		what = "socket filter (SO_ATTACH_FILTER) on";
	else if (sk->sk_socket && sk->sk_socket->file &&
		 (sk->sk_socket->file->f_flags & FASYNC))
		what = "O_ASYNC (signal-driven I/O) on";
	if (!what)
		return 0;
	return ckpt_err(ctx, -EOPNOTSUPP, "fd %u: %s %sunix socket not supported yet",
			fd, what, which);
}

static s64 ckpt_unix_timeo(long timeo)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT)
		return -1;
	return jiffies_to_nsecs(timeo);
}

/* Fill @e from @sk, whose file (if any) has objref @objref */
static void ckpt_unix_save_end(struct sock *sk, u32 objref,
			       struct ckpt_unix_queue *q,
			       struct ckpt_unix_end *e)
{
	struct socket *sock = sk->sk_socket;
	const struct cred *cred;

	memset(e, 0, sizeof(*e));
	e->objref = objref;
	if (sock) {
		e->flags = sock->file->f_flags & CKPT_UNIX_O_FLAGS;
		if (test_bit(SOCK_PASSCRED, &sock->flags))
			e->so_flags |= CKPT_UNIX_PASSCRED;
		if (test_bit(SOCK_PASSSEC, &sock->flags))
			e->so_flags |= CKPT_UNIX_PASSSEC;
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		e->so_flags |= CKPT_UNIX_SNDBUF_LOCK;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		e->so_flags |= CKPT_UNIX_RCVBUF_LOCK;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		e->shutdown |= CKPT_UNIX_SHUT_RD;
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		e->shutdown |= CKPT_UNIX_SHUT_WR;
	e->sndbuf = sk->sk_sndbuf;
	e->rcvbuf = sk->sk_rcvbuf;
	e->peek_off = sk->sk_peek_off;
	e->rcvlowat = sk->sk_rcvlowat;
	e->rcvtimeo = ckpt_unix_timeo(sk->sk_rcvtimeo);
	e->sndtimeo = ckpt_unix_timeo(sk->sk_sndtimeo);
	e->priority = sk->sk_priority;
	e->err = sk->sk_err;

	spin_lock(&sk->sk_peer_lock);
	cred = sk->sk_peer_cred;
	e->peer_pid = pid_vnr(sk->sk_peer_pid);
	if (cred) {
		e->so_flags |= CKPT_UNIX_PEERCRED;
		e->peer_uid = from_kuid_munged(current_user_ns(), cred->euid);
		e->peer_gid = from_kgid_munged(current_user_ns(), cred->egid);
	}
	spin_unlock(&sk->sk_peer_lock);
	if (q) {
		e->nr_msgs = q->nr;
		e->nr_bytes = q->bytes;
	}
}

/* Write the @len bytes of @skb not read yet, through @buf of a page */
static int ckpt_unix_copy(struct ckpt_ctx *ctx, struct sk_buff *skb, u32 len,
			  void *buf)
{
	u32 off = skb->len - len, n;
	int ret = 0;

	while (!ret && len) {
		n = min_t(u32, len, PAGE_SIZE);
		ret = skb_copy_bits(skb, off, buf, n);
		if (!ret)
			ret = ckpt_write(ctx, buf, n);
		off += n;
		len -= n;
	}
	return ret;
}

/* Write the record: @q[0] is queued to @sk[0], @q[1] to @sk[1] */
static int ckpt_unix_write(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			   struct sock **sk, struct ckpt_unix_queue *q)
{
	static const u8 zeroes[8];
	u32 nr = q[0].nr + q[1].nr, i, j, len;
	u64 bytes = q[0].bytes + q[1].bytes;
	struct sk_buff *skb;
	u32 *lens;
	void *buf;
	int ret = 0;

	if (sizeof(*h) + ALIGN((u64)nr * sizeof(u32), 8) + ALIGN(bytes, 8) >
	    CKPT_RECORD_MAX)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"file %u: unix socket with %llu bytes queued: not supported",
				h->ends[0].objref, bytes);
	lens = kvcalloc(ALIGN(nr, 2), sizeof(*lens), GFP_KERNEL_ACCOUNT);
	buf = kvmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!lens || !buf) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < 2; i++) {
		for (j = 0; j < q[i].nr; j++)
			lens[i * q[0].nr + j] =
				ckpt_unix_skb_len(sk[i], q[i].skbs[j]);
	}
	/* a stream is one message: its boundaries are not kept */
	for (i = 0; i < 2 && h->type == SOCK_STREAM; i++) {
		if (q[i].nr) {
			h->ends[i].nr_msgs = 1;
			nr -= q[i].nr - 1;
		}
	}
	h->h.len = sizeof(*h) + ALIGN((u64)nr * sizeof(u32), 8) +
		   ALIGN(bytes, 8);
	h->h.type = CKPT_HDR_UNIX_SOCK;
	ret = ckpt_write(ctx, h, sizeof(*h));
	for (i = 0; !ret && i < 2; i++) {
		if (h->type == SOCK_STREAM && q[i].nr) {
			len = q[i].bytes;
			ret = ckpt_write(ctx, &len, sizeof(len));
		} else if (q[i].nr) {
			ret = ckpt_write(ctx, lens + i * q[0].nr,
					 q[i].nr * sizeof(*lens));
		}
	}
	if (!ret && nr % 2)
		ret = ckpt_write(ctx, zeroes, sizeof(u32));
	/* a copy: the data stays queued */
	for (i = 0; !ret && i < 2; i++) {
		for (j = 0; !ret && j < q[i].nr; j++) {
			skb = q[i].skbs[j];
			ret = ckpt_unix_copy(ctx, skb, lens[i * q[0].nr + j],
					     buf);
		}
	}
	if (!ret && bytes % 8)
		ret = ckpt_write(ctx, zeroes, 8 - bytes % 8);
out_free:
	kvfree(buf);
	kvfree(lens);
	return ret;
}

/**
 * checkpoint_unix_sock - write the record of a Unix socket and its peer
 * @ctx: checkpoint context
 * @files: the descriptor table it was found through
 * @fd: a descriptor of it, for the log
 * @file: the file, a Unix socket (unix_get_socket())
 * @objref: the objref it got, the first time it was met
 *
 * The peer, if the socket has one, must be held by the tree; it gets its
 * objref here, and its file no record of its own.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_unix_sock(struct ckpt_ctx *ctx, struct files_struct *files,
			 unsigned int fd, struct file *file, int objref)
{
	struct ckpt_unix_queue q[2] = {};
	struct ckpt_hdr_unix_sock *h;
	struct sock *sk[2], *peer;
	int peer_ref = 0, ret;
	bool first;

	sk[0] = &unix_get_socket(file)->sk;
	if (file->f_flags & ~(CKPT_UNIX_O_FLAGS | FASYNC))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket with flags %#o not supported",
				fd, file->f_flags);
	ret = ckpt_unix_check(ctx, fd, sk[0], "");
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->type = sk[0]->sk_type;
	h->state = CKPT_UNIX_UNCONNECTED;

	peer = unix_peer(sk[0]);
	sk[1] = peer;
	if (peer) {
		ret = ckpt_unix_check(ctx, fd, peer, "the peer of a ");
		if (ret)
			goto out_free;
		if (!sock_flag(peer, SOCK_DEAD) && unix_peer(peer) != sk[0]) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "fd %u: unix socket connected to one that is not connected back: not supported yet",
				       fd);
			goto out_free;
		}
		h->state = CKPT_UNIX_PEER_CLOSED;
	}
	if (peer && peer->sk_socket) {
		if (!xa_load(&ctx->in_tree, (unsigned long)peer)) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "fd %u: unix socket whose peer is outside the tree not supported",
				       fd);
			goto out_free;
		}
		peer_ref = ckpt_obj_checkpoint(ctx, peer->sk_socket->file,
					       &ckpt_file_obj_ops, &first);
		if (peer_ref < 0) {
			ret = peer_ref;
			goto out_free;
		}
		if (!first) {
			ret = ckpt_err(ctx, -EINVAL,
				       "fd %u: the peer of a unix socket was saved before it",
				       fd);
			goto out_free;
		}
		h->state = CKPT_UNIX_PAIR;
	}

	ret = ckpt_unix_queue_get(ctx, fd, sk[0], &q[0]);
	if (!ret && h->state == CKPT_UNIX_PAIR)
		ret = ckpt_unix_queue_get(ctx, fd, peer, &q[1]);
	if (ret)
		goto out_put;
	ckpt_unix_save_end(sk[0], objref, &q[0], &h->ends[0]);
	if (peer)
		ckpt_unix_save_end(peer, peer_ref, &q[1], &h->ends[1]);
	ret = ckpt_unix_write(ctx, h, sk, q);
out_put:
	ckpt_unix_queue_free(&q[1]);
	ckpt_unix_queue_free(&q[0]);
out_free:
	kfree(h);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Restart */

static int ckpt_unix_bad(struct ckpt_ctx *ctx, unsigned int end,
			 const char *field)
{
	return ckpt_err(ctx, -EINVAL,
			"unix socket record at offset %lld: end %u: bad %s",
			ctx->rec_offset, end, field);
}

/* Check one end of a record, untrusted */
static int ckpt_unix_check_end(struct ckpt_ctx *ctx, struct ckpt_unix_end *e,
			       unsigned int i)
{
	if ((e->flags & ~CKPT_UNIX_O_FLAGS) ||
	    (e->objref && (e->flags & O_ACCMODE) != O_RDWR))
		return ckpt_unix_bad(ctx, i, "flags");
	if (e->so_flags & ~CKPT_UNIX_SK_FLAGS)
		return ckpt_unix_bad(ctx, i, "socket flags");
	if (e->shutdown & ~(CKPT_UNIX_SHUT_RD | CKPT_UNIX_SHUT_WR))
		return ckpt_unix_bad(ctx, i, "shutdown");
	if (e->sndbuf < SOCK_MIN_SNDBUF || e->sndbuf > INT_MAX ||
	    e->rcvbuf < SOCK_MIN_RCVBUF || e->rcvbuf > INT_MAX)
		return ckpt_unix_bad(ctx, i, "buffer size");
	if (e->peek_off < -1 || e->rcvlowat < 1 || e->rcvtimeo < -1 ||
	    e->sndtimeo < -1 || e->err > MAX_ERRNO || e->peer_pid < 0)
		return ckpt_unix_bad(ctx, i, "option");
	if (e->nr_msgs > CKPT_UNIX_MSGS_MAX || e->nr_bytes > CKPT_RECORD_MAX)
		return ckpt_unix_bad(ctx, i, "queue");
	return 0;
}

/* Check a record, untrusted: the lengths follow it at h->msg_len */
static int ckpt_unix_check_rec(struct ckpt_ctx *ctx,
			       struct ckpt_hdr_unix_sock *h)
{
	struct ckpt_unix_end *e = h->ends;
	u64 len, sum;
	u32 i, j, n;
	int ret;

	if (h->type != SOCK_STREAM && h->type != SOCK_DGRAM &&
	    h->type != SOCK_SEQPACKET)
		return ckpt_err(ctx, -EINVAL,
				"unix socket record at offset %lld: unknown type %u",
				ctx->rec_offset, h->type);
	for (i = 0; i < (h->state == CKPT_UNIX_UNCONNECTED ? 1 : 2); i++) {
		ret = ckpt_unix_check_end(ctx, &e[i], i);
		if (ret)
			return ret;
	}
	if (!e[0].objref ||
	    (h->state == CKPT_UNIX_PAIR && (!e[1].objref ||
					    e[1].objref == e[0].objref)) ||
	    (h->state != CKPT_UNIX_PAIR && (e[1].objref || e[1].nr_msgs)) ||
	    (h->state == CKPT_UNIX_UNCONNECTED && e[0].nr_msgs) ||
	    h->state < CKPT_UNIX_UNCONNECTED || h->state > CKPT_UNIX_PEER_CLOSED)
		return ckpt_err(ctx, -EINVAL,
				"unix socket record at offset %lld: bad state %u",
				ctx->rec_offset, h->state);
	n = e[0].nr_msgs + e[1].nr_msgs;
	len = sizeof(*h) + ALIGN((u64)n * sizeof(u32), 8) +
	      ALIGN(e[0].nr_bytes + e[1].nr_bytes, 8);
	if (h->h.len != len)
		return ckpt_err(ctx, -EINVAL,
				"unix socket record at offset %lld: %u messages of %llu bytes in %u bytes",
				ctx->rec_offset, n,
				e[0].nr_bytes + e[1].nr_bytes, h->h.len);
	for (i = 0, n = 0; i < 2; i++) {
		if (h->type == SOCK_STREAM && e[i].nr_msgs > 1)
			return ckpt_unix_bad(ctx, i, "stream queue");
		for (j = 0, sum = 0; j < e[i].nr_msgs; j++, n++) {
			if (h->type == SOCK_STREAM && !h->msg_len[n])
				return ckpt_unix_bad(ctx, i, "stream queue");
			sum += h->msg_len[n];
		}
		if (sum != e[i].nr_bytes)
			return ckpt_err(ctx, -EINVAL,
					"unix socket record at offset %lld: end %u: messages of %llu bytes, not %llu",
					ctx->rec_offset, i, sum, e[i].nr_bytes);
		/* what the sender's buffer could have held */
		if (e[i].nr_bytes && e[i].nr_bytes > 2 * (u64)e[!i].sndbuf)
			return ckpt_err(ctx, -EINVAL,
					"unix socket record at offset %lld: end %u: %llu bytes queued, over the limit of a sender's buffer of %u",
					ctx->rec_offset, i, e[i].nr_bytes,
					e[!i].sndbuf);
	}
	return 0;
}

/* 0, or -EPERM with the reason if the caller may not set @e */
static int ckpt_unix_may(struct ckpt_ctx *ctx, struct ckpt_unix_end *e,
			 unsigned int i)
{
	const struct cred *cred = current_cred();
	struct user_namespace *ns = current_user_ns();
	const char *what = NULL;

	if ((e->sndbuf > 2 * (u64)READ_ONCE(sysctl_wmem_max) ||
	     e->rcvbuf > 2 * (u64)READ_ONCE(sysctl_rmem_max) ||
	     e->priority > CKPT_UNIX_PRIO_MAX) && !capable(CAP_NET_ADMIN))
		what = "buffer sizes or priority need CAP_NET_ADMIN";
	else if (!(e->so_flags & CKPT_UNIX_PEERCRED))
		what = NULL;
	else if (!uid_eq(make_kuid(ns, e->peer_uid), cred->euid) &&
		 !ns_capable(ns, CAP_SETUID))
		what = "peer uid needs CAP_SETUID";
	else if (!gid_eq(make_kgid(ns, e->peer_gid), cred->egid) &&
		 !ns_capable(ns, CAP_SETGID))
		what = "peer gid needs CAP_SETGID";
	if (!what)
		return 0;
	return ckpt_err(ctx, -EPERM, "unix socket file %u: end %u: %s",
			e->objref, i, what);
}

/* Set the peer credentials of @sk to those of @e */
static int ckpt_unix_peercred(struct ckpt_ctx *ctx, struct sock *sk,
			      struct ckpt_unix_end *e)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *old_cred;
	struct pid *pid = NULL, *old_pid;
	struct ckpt_task_restore *t;
	struct cred *cred = NULL;

	if (!(e->so_flags & CKPT_UNIX_PEERCRED)) {
		if (e->peer_pid)
			return ckpt_err(ctx, -EINVAL,
					"unix socket file %u: a peer pid without peer credentials",
					e->objref);
		goto set;
	}
	if (e->peer_pid) {
		/* a task of the image is the task restart made for it */
		t = xa_load(&ctx->rs.pids, e->peer_pid);
		if (t && !t->parent && !t->leader)
			pid = get_task_pid(ctx->root, PIDTYPE_PID);
		else if (t && READ_ONCE(t->spid))
			pid = get_pid(READ_ONCE(t->spid));
		else
			pid = find_get_pid(e->peer_pid);
		if (!pid)
			return ckpt_err(ctx, -ESRCH,
					"unix socket file %u: its peer credentials name pid %d, which is not running",
					e->objref, e->peer_pid);
	}
	cred = prepare_creds();
	if (!cred) {
		put_pid(pid);
		return -ENOMEM;
	}
	cred->uid = make_kuid(ns, e->peer_uid);
	/* SO_PEERCRED reads the effective ids */
	cred->euid = cred->uid;
	cred->gid = make_kgid(ns, e->peer_gid);
	cred->egid = cred->gid;
	if (!uid_valid(cred->uid) || !gid_valid(cred->gid)) {
		abort_creds(cred);
		put_pid(pid);
		return ckpt_err(ctx, -EINVAL,
				"unix socket file %u: peer uid %u or gid %u is not mapped",
				e->objref, e->peer_uid, e->peer_gid);
	}
set:
	spin_lock(&sk->sk_peer_lock);
	old_pid = sk->sk_peer_pid;
	old_cred = sk->sk_peer_cred;
	sk->sk_peer_pid = pid;
	sk->sk_peer_cred = cred;
	spin_unlock(&sk->sk_peer_lock);
	put_pid(old_pid);
	put_cred(old_cred);
	return 0;
}

static long ckpt_unix_jiffies(s64 ns)
{
	if (ns < 0)
		return MAX_SCHEDULE_TIMEOUT;
	return min_t(u64, nsecs_to_jiffies(ns), MAX_SCHEDULE_TIMEOUT - 1);
}

/* Give @sock the options of @e */
static void ckpt_unix_apply(struct socket *sock, struct ckpt_unix_end *e)
{
	struct sock *sk = sock->sk;

	assign_bit(SOCK_PASSCRED, &sock->flags,
		   e->so_flags & CKPT_UNIX_PASSCRED);
	assign_bit(SOCK_PASSSEC, &sock->flags, e->so_flags & CKPT_UNIX_PASSSEC);
	lock_sock(sk);
	sk->sk_userlocks &= ~(SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	if (e->so_flags & CKPT_UNIX_SNDBUF_LOCK)
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	if (e->so_flags & CKPT_UNIX_RCVBUF_LOCK)
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	WRITE_ONCE(sk->sk_sndbuf, e->sndbuf);
	WRITE_ONCE(sk->sk_rcvbuf, e->rcvbuf);
	WRITE_ONCE(sk->sk_peek_off, e->peek_off);
	WRITE_ONCE(sk->sk_rcvlowat, e->rcvlowat);
	WRITE_ONCE(sk->sk_rcvtimeo, ckpt_unix_jiffies(e->rcvtimeo));
	WRITE_ONCE(sk->sk_sndtimeo, ckpt_unix_jiffies(e->sndtimeo));
	sk->sk_priority = e->priority;
	WRITE_ONCE(sk->sk_shutdown,
		   (e->shutdown & CKPT_UNIX_SHUT_RD ? RCV_SHUTDOWN : 0) |
		   (e->shutdown & CKPT_UNIX_SHUT_WR ? SEND_SHUTDOWN : 0));
	WRITE_ONCE(sk->sk_err, e->err);
	release_sock(sk);
}

/* Have @from send the @nr messages at @lens, @data to its peer */
static int ckpt_unix_fill(struct ckpt_ctx *ctx, struct socket *from,
			  const u32 *lens, u32 nr, const void *data, u32 objref)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct sock *sk = from->sk;
	struct kvec iov;
	int ret = 0;
	u32 i;

	/* the data was within the limits once: the sender's may be lower now */
	WRITE_ONCE(sk->sk_sndbuf, INT_MAX);
	for (i = 0; i < nr; i++) {
		iov.iov_base = (void *)data;
		iov.iov_len = lens[i];
		ret = kernel_sendmsg(from, &msg, &iov, 1, lens[i]);
		if (ret == lens[i]) {
			ret = 0;
		} else {
			ret = ckpt_err(ctx, ret < 0 ? ret : -ENOSPC,
				       "unix socket file %u: cannot queue message %u of %u bytes",
				       objref, i, lens[i]);
			break;
		}
		data += lens[i];
	}
	return ret;
}

/* Make the sockets of @h back to back, and queue their data */
static int ckpt_unix_pair(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			  struct socket **socks)
{
	struct ckpt_unix_end *e = h->ends;
	const void *data;
	int ret;

	ret = sock_create(PF_UNIX, h->type, 0, &socks[1]);
	if (!ret)
		ret = security_socket_socketpair(socks[0], socks[1]);
	if (!ret)
		ret = socks[0]->ops->socketpair(socks[0], socks[1]);
	if (ret)
		return ckpt_err(ctx, ret,
				"unix socket file %u: cannot make its pair",
				e[0].objref);

	data = &h->msg_len[ALIGN(e[0].nr_msgs + e[1].nr_msgs, 2)];
	ret = ckpt_unix_fill(ctx, socks[1], h->msg_len, e[0].nr_msgs, data,
			     e[0].objref);
	if (!ret)
		ret = ckpt_unix_fill(ctx, socks[0], h->msg_len + e[0].nr_msgs,
				     e[1].nr_msgs, data + e[0].nr_bytes,
				     e[1].objref);
	if (ret)
		return ret;
	if (h->state == CKPT_UNIX_PEER_CLOSED) {
		/* as the peer's close() left it */
		sock_release(socks[1]);
		socks[1] = NULL;
		return 0;
	}
	ckpt_unix_apply(socks[1], &e[1]);
	return ckpt_unix_peercred(ctx, socks[1]->sk, &e[1]);
}

/* Make the sockets of @h, or release what was made */
static int ckpt_unix_build(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			   struct socket **socks)
{
	int ret;

	ret = sock_create(PF_UNIX, h->type, 0, &socks[0]);
	if (ret)
		return ckpt_err(ctx, ret, "unix socket file %u: cannot make it",
				h->ends[0].objref);
	if (h->state != CKPT_UNIX_UNCONNECTED) {
		ret = ckpt_unix_pair(ctx, h, socks);
		if (ret)
			goto err_release;
	}
	ckpt_unix_apply(socks[0], &h->ends[0]);
	ret = ckpt_unix_peercred(ctx, socks[0]->sk, &h->ends[0]);
	if (ret)
		goto err_release;
	return 0;

err_release:
	if (socks[1])
		sock_release(socks[1]);
	sock_release(socks[0]);
	socks[0] = NULL;
	socks[1] = NULL;
	return ret;
}

/* Give the file of @sock its objref (NULL with RESTART_VALIDATE) */
static int ckpt_unix_insert(struct ckpt_ctx *ctx, struct socket *sock,
			    struct ckpt_unix_end *e)
{
	struct file *file = NULL;
	int ret;

	if (sock) {
		file = sock_alloc_file(sock, e->flags & O_NONBLOCK, NULL);
		if (IS_ERR(file))
			return ckpt_err(ctx, PTR_ERR(file),
					"unix socket file %u: cannot make its file",
					e->objref);
		spin_lock(&file->f_lock);
		file->f_flags |= e->flags & CKPT_UNIX_LATE_FLAGS;
		spin_unlock(&file->f_lock);
	}
	ret = ckpt_obj_insert(ctx, file, e->objref, &ckpt_file_obj_ops);
	if (file)
		fput(file);
	return ret;
}

static int restore_unix_sock(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct socket *socks[2] = {};
	struct ckpt_hdr_unix_sock *h;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_unix_check_rec(ctx, h);
	if (!ret)
		ret = ckpt_unix_may(ctx, &h->ends[0], 0);
	if (!ret && h->state == CKPT_UNIX_PAIR)
		ret = ckpt_unix_may(ctx, &h->ends[1], 1);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_unix_build(ctx, h, socks);
	if (ret)
		goto out_free;
	/* sock_alloc_file() releases the socket if it fails */
	ret = ckpt_unix_insert(ctx, socks[0], &h->ends[0]);
	if (h->state == CKPT_UNIX_PAIR) {
		if (ret) {
			if (socks[1])
				sock_release(socks[1]);
		} else {
			ret = ckpt_unix_insert(ctx, socks[1], &h->ends[1]);
		}
	}
out_free:
	kvfree(h);
	return ret;
}

static const struct ckpt_record ckpt_unix_records[] = {
	{
		.index = CKPT_REC_UNIX_SOCK,
		.name = "unix socket",
		.flags = CKPT_REC_PROCESS,
		.task = { .with = CKPT_REC_PIPE, .restore = restore_unix_sock },
	},
};

const struct ckpt_subsys ckpt_unix_subsys = {
	.name = "unix sockets",
	.records = ckpt_unix_records,
	.nr_records = ARRAY_SIZE(ckpt_unix_records),
};
