// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of Unix domain sockets.
 *
 * A connected pair is one record, in the place of the file records of
 * both ends: it holds their names, their options and the data queued to
 * each, which the other end sent.  A socket alone, never connected or
 * left by a peer that closed, is a record of its own.  A listening
 * socket is a record, and each connection it has not accepted yet one
 * more after it, with the socket that connect()ed.
 *
 * Checkpoint copies the queues without taking anything off them, so
 * the tree can go on.  Restart makes a pair again as socketpair() does
 * and has each end send the other's queue back, one message at a time
 * where the type keeps their boundaries; for a peer that closed it then
 * releases the end it made for it.  A socket bind() named in the file
 * system is bound again to the socket file it left there, which keeps
 * its owner and mode; a pending connection is made again by connect().
 *
 * What restart could not rebuild the same is refused by name: a peer
 * or a pending connection outside the tree, one-way datagram
 * connections, descriptors (SCM_RIGHTS) and, where the receiver would
 * see them, credentials in flight, and options that are not kept.
 */

#include <linux/capability.h>
#include <linux/checkpoint_net.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/af_unix.h>
#include <net/sock.h>

/* The O_* flags of a socket file that the image keeps */
#define CKPT_UNIX_O_FLAGS	(O_ACCMODE | O_NONBLOCK | O_APPEND | O_NOATIME)
/* Those its file gets after it is made */
#define CKPT_UNIX_LATE_FLAGS	(O_APPEND | O_NOATIME)

#define CKPT_UNIX_SK_FLAGS \
	(CKPT_UNIX_PASSCRED | CKPT_UNIX_PASSSEC | CKPT_UNIX_SNDBUF_LOCK | \
	 CKPT_UNIX_RCVBUF_LOCK | CKPT_UNIX_PEERCRED | CKPT_UNIX_BOUND | \
	 CKPT_UNIX_KEEPALIVE)

/* The sock flags of options that restart does not set again */
#define CKPT_UNIX_LOST_SK_FLAGS \
	(BIT(SOCK_LINGER) | BIT(SOCK_URGINLINE) | BIT(SOCK_RCVTSTAMP) | \
	 BIT(SOCK_RCVTSTAMPNS) | BIT(SOCK_RXQ_OVFL) | BIT(SOCK_ZEROCOPY) | \
	 BIT(SOCK_WIFI_STATUS) | BIT(SOCK_NOFCS) | BIT(SOCK_FILTER_LOCKED) | \
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

/* Whether @sk has MSG_OOB data */
static bool ckpt_unix_oob(struct sock *sk)
{
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	return unix_sk(sk)->oob_skb;
#else
	return false;
#endif
}

/* 0, or -EOPNOTSUPP with the reason if @sk has what is not kept */
static int ckpt_unix_check(struct ckpt_ctx *ctx, unsigned int fd,
			   struct sock *sk, const char *which)
{
	const char *what = NULL;

	if (ckpt_unix_oob(sk))
		what = "out-of-band data (MSG_OOB) in";
	else if (sk->sk_flags & CKPT_UNIX_LOST_SK_FLAGS)
		what = "SO_LINGER, SO_OOBINLINE, timestamping or zerocopy set on";
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

/**
 * struct ckpt_unix_rec - a record being saved
 * @h: the record
 * @sk: the socket of each end, NULL for none
 * @q: the receive queue of each
 * @name: the name of each, h.ends[i].name_len bytes
 * @path: the path of the socket file of each, NULL for none
 * @buf: where each path is, PATH_MAX bytes
 */
struct ckpt_unix_rec {
	struct ckpt_hdr_unix_sock h;
	struct sock *sk[2];
	struct ckpt_unix_queue q[2];
	char name[2][CKPT_UNIX_NAME_MAX + 1];
	char *path[2];
	char *buf[2];
};

static void ckpt_unix_rec_free(struct ckpt_unix_rec *r)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		ckpt_unix_queue_free(&r->q[i]);
		kfree(r->buf[i]);
	}
	kfree(r);
}

/* Save the name of @sk in end @i of @r */
static int ckpt_unix_save_name(struct ckpt_ctx *ctx, unsigned int fd,
			       struct ckpt_unix_rec *r, unsigned int i)
{
	struct sock *sk = r->sk[i];
	struct ckpt_unix_end *e = &r->h.ends[i];
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;
	char *name, *path;

	/* A socket that was closed has no name left to find it by, and one
	 * not accepted yet takes its listener's when it is made again
	 */
	addr = smp_load_acquire(&u->addr);
	if (!addr || !sk->sk_socket)
		return 0;
	name = r->name[i];
	e->name_len = addr->len - offsetof(struct sockaddr_un, sun_path);
	if (e->name_len > CKPT_UNIX_NAME_MAX)
		return -EINVAL;
	memcpy(name, addr->name->sun_path, e->name_len);
	if (!name[0]) {
		/* abstract: the unbound hashes are those up to UNIX_HASH_MOD */
		if (sk->sk_hash > UNIX_HASH_MOD)
			e->so_flags |= CKPT_UNIX_BOUND;
		return 0;
	}
	if (!u->path.dentry)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket named %s without its socket file not supported",
				fd, name);
	if (d_unlinked(u->path.dentry))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket named %s, whose socket file was removed: not supported",
				fd, name);
	if (!hlist_unhashed(&sk->sk_bind_node))
		e->so_flags |= CKPT_UNIX_BOUND;
	r->buf[i] = kmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!r->buf[i])
		return -ENOMEM;
	path = d_path(&u->path, r->buf[i], PATH_MAX);
	if (IS_ERR(path))
		return ckpt_err(ctx, PTR_ERR(path),
				"fd %u: unix socket named %s: no path to its socket file",
				fd, name);
	if (*path != '/')
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket named %s: its socket file %s is out of reach",
				fd, name, path);
	r->path[i] = path;
	e->path_len = strlen(path) + 1;
	return 0;
}

/* Fill end @i of @r from @sk, whose file (if any) has objref @objref */
static int ckpt_unix_save_end(struct ckpt_ctx *ctx, unsigned int fd,
			      struct ckpt_unix_rec *r, unsigned int i,
			      struct sock *sk, u32 objref)
{
	struct ckpt_unix_end *e = &r->h.ends[i];
	struct ckpt_unix_queue *q = &r->q[i];
	struct socket *sock = sk->sk_socket;
	const struct cred *cred;
	int ret;

	ret = ckpt_unix_check(ctx, fd, sk, i ? "the peer of a " : "");
	if (!ret && sk->sk_state != TCP_LISTEN)
		ret = ckpt_unix_queue_get(ctx, fd, sk, q);
	if (ret)
		return ret;
	r->sk[i] = sk;
	e->objref = objref;
	if (sock) {
		e->flags = sock->file->f_flags & CKPT_UNIX_O_FLAGS;
		if (test_bit(SOCK_PASSCRED, &sock->flags))
			e->so_flags |= CKPT_UNIX_PASSCRED;
		if (test_bit(SOCK_PASSSEC, &sock->flags))
			e->so_flags |= CKPT_UNIX_PASSSEC;
	}
	if (sock_flag(sk, SOCK_KEEPOPEN))
		e->so_flags |= CKPT_UNIX_KEEPALIVE;
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
	e->nr_msgs = q->nr;
	e->nr_bytes = q->bytes;
	return ckpt_unix_save_name(ctx, fd, r, i);
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

/* Write @len bytes of @p, zero padded to a multiple of 8 */
static int ckpt_unix_write_pad(struct ckpt_ctx *ctx, const void *p, u64 len)
{
	static const u8 zeroes[8];
	int ret = 0;

	if (p)
		ret = ckpt_write(ctx, p, len);
	if (!ret && len % 8)
		ret = ckpt_write(ctx, zeroes, 8 - len % 8);
	return ret;
}

/* Write the record @r: @r->q[i] is queued to @r->sk[i] */
static int ckpt_unix_write(struct ckpt_ctx *ctx, struct ckpt_unix_rec *r)
{
	struct ckpt_hdr_unix_sock *h = &r->h;
	struct ckpt_unix_queue *q = r->q;
	u32 nr = q[0].nr + q[1].nr, i, j, len;
	u64 bytes = q[0].bytes + q[1].bytes, size;
	u32 *lens;
	void *buf;
	int ret = 0;

	size = sizeof(*h) + ALIGN((u64)nr * sizeof(u32), 8) + ALIGN(bytes, 8);
	for (i = 0; i < 2; i++)
		size += ALIGN(h->ends[i].name_len, 8) +
			ALIGN(h->ends[i].path_len, 8);
	if (size > CKPT_RECORD_MAX)
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
				ckpt_unix_skb_len(r->sk[i], q[i].skbs[j]);
	}
	/* a stream is one message: its boundaries are not kept */
	for (i = 0; i < 2 && h->type == SOCK_STREAM; i++) {
		if (q[i].nr) {
			h->ends[i].nr_msgs = 1;
			size -= ALIGN((u64)nr * sizeof(u32), 8);
			nr -= q[i].nr - 1;
			size += ALIGN((u64)nr * sizeof(u32), 8);
		}
	}
	h->h.len = size;
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
	if (!ret)
		ret = ckpt_unix_write_pad(ctx, NULL, nr * sizeof(u32));
	/* a copy: the data stays queued */
	for (i = 0; !ret && i < 2; i++) {
		for (j = 0; !ret && j < q[i].nr; j++)
			ret = ckpt_unix_copy(ctx, q[i].skbs[j],
					     lens[i * q[0].nr + j], buf);
	}
	if (!ret)
		ret = ckpt_unix_write_pad(ctx, NULL, bytes);
	for (i = 0; !ret && i < 2; i++) {
		ret = ckpt_unix_write_pad(ctx, r->name[i], h->ends[i].name_len);
		if (!ret && r->path[i])
			ret = ckpt_unix_write_pad(ctx, r->path[i],
						  h->ends[i].path_len);
	}
out_free:
	kvfree(buf);
	kvfree(lens);
	return ret;
}

/* The objref of the file of @sk, which the tree holds, given here */
static int ckpt_unix_peer_ref(struct ckpt_ctx *ctx, unsigned int fd,
			      struct sock *sk, struct sock *self)
{
	bool first;
	int ref;

	ref = ckpt_obj_checkpoint(ctx, sk->sk_socket->file, &ckpt_file_obj_ops,
				  &first);
	if (ref >= 0 && !first && sk != self)
		ref = ckpt_err(ctx, -EINVAL,
			       "fd %u: a unix socket connected to it was saved before it",
			       fd);
	return ref;
}

/* Write the record of a connection that listener @lsk (objref @lref) has
 * not accepted yet: @esk is its end there, in the listener's queue
 */
static int ckpt_unix_pending(struct ckpt_ctx *ctx, unsigned int fd,
			     struct sock *lsk, u32 lref, struct sock *esk,
			     struct sock *self)
{
	struct ckpt_unix_rec *r;
	struct sock *csk;
	int ref = 0, ret;

	csk = unix_peer_get(esk);
	if (!csk)
		return ckpt_err(ctx, -EINVAL,
				"fd %u: a pending connection without its socket",
				fd);
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		ret = -ENOMEM;
		goto out_put;
	}
	r->h.type = lsk->sk_type;
	r->h.state = CKPT_UNIX_PENDING;
	r->h.listener = lref;
	if (!sock_flag(csk, SOCK_DEAD)) {
		if (!csk->sk_socket || !xa_load(&ctx->in_tree, (unsigned long)csk)) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "fd %u: listening unix socket with a connection from outside the tree not accepted yet: not supported",
				       fd);
			goto out_free;
		}
		ref = ckpt_unix_peer_ref(ctx, fd, csk, self);
		if (ref < 0) {
			ret = ref;
			goto out_free;
		}
	}
	/* accept() gives the new socket its listener's SO_PASSCRED */
	if (test_bit(SOCK_PASSCRED, &lsk->sk_socket->flags) &&
	    skb_queue_len_lockless(&esk->sk_receive_queue)) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: listening unix socket with SO_PASSCRED and messages queued to a connection not accepted yet: credentials in flight not supported yet",
			       fd);
		goto out_free;
	}
	if (skb_queue_len_lockless(&csk->sk_receive_queue)) {
		ret = ckpt_err(ctx, -EINVAL,
			       "fd %u: data queued to a connection not accepted yet",
			       fd);
		goto out_free;
	}
	ret = ckpt_unix_save_end(ctx, fd, r, 0, csk, ref);
	if (!ret)
		ret = ckpt_unix_save_end(ctx, fd, r, 1, esk, 0);
	if (!ret)
		ret = ckpt_unix_write(ctx, r);
out_free:
	ckpt_unix_rec_free(r);
out_put:
	sock_put(csk);
	return ret;
}

/* Take a reference on each socket in the queue of listener @sk that it
 * has not accepted yet: a kvcalloc()ed array of *@nr, or an ERR_PTR
 */
static struct sock **ckpt_unix_embryos(struct sock *sk, u32 *nr)
{
	u32 max = skb_queue_len_lockless(&sk->sk_receive_queue);
	struct sk_buff *skb;
	struct sock **esk;

	*nr = 0;
	esk = kvcalloc(max ?: 1, sizeof(*esk), GFP_KERNEL_ACCOUNT);
	if (!esk)
		return ERR_PTR(-ENOMEM);
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		if (*nr == max)
			break;
		sock_hold(skb->sk);
		esk[(*nr)++] = skb->sk;
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return esk;
}

static void ckpt_unix_embryos_put(struct sock **esk, u32 nr)
{
	while (nr--)
		sock_put(esk[nr]);
	kvfree(esk);
}

/* Write the record of listener @sk (objref @objref) and of the
 * connections it has not accepted yet.  @self is a socket of one, whose
 * objref was given already, or NULL.
 */
static int ckpt_unix_listener(struct ckpt_ctx *ctx, unsigned int fd,
			      struct sock *sk, u32 objref, struct sock *self)
{
	struct ckpt_unix_rec *r;
	struct sock **esk;
	u32 i, nr;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->h.type = sk->sk_type;
	r->h.state = CKPT_UNIX_LISTEN;
	r->h.backlog = READ_ONCE(sk->sk_max_ack_backlog);
	ret = ckpt_unix_save_end(ctx, fd, r, 0, sk, objref);
	if (!ret)
		ret = ckpt_unix_write(ctx, r);
	ckpt_unix_rec_free(r);
	if (ret)
		return ret;
	esk = ckpt_unix_embryos(sk, &nr);
	if (IS_ERR(esk))
		return PTR_ERR(esk);
	for (i = 0; i < nr && !ret; i++)
		ret = ckpt_unix_pending(ctx, fd, sk, objref, esk[i], self);
	ckpt_unix_embryos_put(esk, nr);
	return ret;
}

/**
 * ckpt_unix_held - note the Unix socket that a task of the tree holds
 * @ctx: checkpoint context
 * @file: the file, a Unix socket
 *
 * A listener's connections not accepted yet are noted too, with the
 * listener, so that the socket that connect()ed finds it.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_unix_held(struct ckpt_ctx *ctx, struct file *file)
{
	struct sock *sk = &unix_get_socket(file)->sk, **esk;
	u32 i, nr;
	int ret;

	ret = xa_err(xa_store(&ctx->in_tree, (unsigned long)sk,
			      xa_mk_value(1), GFP_KERNEL_ACCOUNT));
	if (ret || READ_ONCE(sk->sk_state) != TCP_LISTEN)
		return ret;
	esk = ckpt_unix_embryos(sk, &nr);
	if (IS_ERR(esk))
		return PTR_ERR(esk);
	for (i = 0; i < nr && !ret; i++)
		ret = xa_err(xa_store(&ctx->in_tree, (unsigned long)esk[i], sk,
				      GFP_KERNEL_ACCOUNT));
	ckpt_unix_embryos_put(esk, nr);
	return ret;
}

/* @sk is connected to @esk, which its listener has not accepted yet */
static int ckpt_unix_to_listener(struct ckpt_ctx *ctx, unsigned int fd,
				 struct sock *sk, struct sock *esk)
{
	struct sock *lsk = xa_load(&ctx->in_tree, (unsigned long)esk);
	bool first;
	int lref;

	if (!lsk || xa_is_value(lsk) || !lsk->sk_socket)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket whose connection a socket outside the tree has not accepted yet: not supported",
				fd);
	lref = ckpt_obj_checkpoint(ctx, lsk->sk_socket->file,
				   &ckpt_file_obj_ops, &first);
	if (lref < 0)
		return lref;
	if (!first)
		return ckpt_err(ctx, -EINVAL,
				"fd %u: the listener of a unix socket was saved before it",
				fd);
	return ckpt_unix_listener(ctx, fd, lsk, lref, sk);
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
 * objref here, and its file no record of its own.  A socket connected to
 * a listener that has not accepted it yet is written with the listener.
 *
 * Return: 0 or a negative errno, with its reason on the log.
 */
int checkpoint_unix_sock(struct ckpt_ctx *ctx, struct files_struct *files,
			 unsigned int fd, struct file *file, int objref)
{
	struct sock *sk = &unix_get_socket(file)->sk, *peer;
	struct ckpt_unix_rec *r;
	int peer_ref, ret;

	if (file->f_flags & ~(CKPT_UNIX_O_FLAGS | FASYNC))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"fd %u: unix socket with flags %#o not supported",
				fd, file->f_flags);
	if (sk->sk_state == TCP_LISTEN)
		return ckpt_unix_listener(ctx, fd, sk, objref, NULL);
	peer = unix_peer(sk);
	if (peer && !peer->sk_socket && !sock_flag(peer, SOCK_DEAD))
		return ckpt_unix_to_listener(ctx, fd, sk, peer);

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->h.type = sk->sk_type;
	r->h.state = CKPT_UNIX_UNCONNECTED;
	ret = ckpt_unix_save_end(ctx, fd, r, 0, sk, objref);
	if (ret || !peer)
		goto out_write;
	if (!sock_flag(peer, SOCK_DEAD) && unix_peer(peer) != sk) {
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: unix socket connected to one that is not connected back: not supported yet",
			       fd);
		goto out_free;
	}
	r->h.state = CKPT_UNIX_PEER_CLOSED;
	peer_ref = 0;
	if (peer->sk_socket) {
		if (!xa_load(&ctx->in_tree, (unsigned long)peer)) {
			ret = ckpt_err(ctx, -EOPNOTSUPP,
				       "fd %u: unix socket whose peer is outside the tree not supported",
				       fd);
			goto out_free;
		}
		peer_ref = ckpt_unix_peer_ref(ctx, fd, peer, NULL);
		if (peer_ref < 0) {
			ret = peer_ref;
			goto out_free;
		}
		r->h.state = CKPT_UNIX_PAIR;
	}
	ret = ckpt_unix_save_end(ctx, fd, r, 1, peer, peer_ref);
out_write:
	if (!ret && r->h.state == CKPT_UNIX_UNCONNECTED && r->h.ends[0].nr_msgs)
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "fd %u: unix socket with messages queued from sockets not connected to it: not supported yet",
			       fd);
	if (!ret)
		ret = ckpt_unix_write(ctx, r);
out_free:
	ckpt_unix_rec_free(r);
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
	if (e->name_len > CKPT_UNIX_NAME_MAX)
		return ckpt_unix_bad(ctx, i, "name");
	if (e->path_len > CKPT_PATH_MAX)
		return ckpt_unix_bad(ctx, i, "path");
	return 0;
}

/* Where the name of end @i of @h is, once the lengths are checked */
static const char *ckpt_unix_name_at(struct ckpt_hdr_unix_sock *h,
				     unsigned int i)
{
	struct ckpt_unix_end *e = h->ends;
	const char *p;

	p = (const char *)&h->msg_len[ALIGN(e[0].nr_msgs + e[1].nr_msgs, 2)];
	p += ALIGN(e[0].nr_bytes + e[1].nr_bytes, 8);
	if (i)
		p += ALIGN(e[0].name_len, 8) + ALIGN(e[0].path_len, 8);
	return p;
}

/* And its path, right after it */
static const char *ckpt_unix_path(struct ckpt_hdr_unix_sock *h, unsigned int i)
{
	return ckpt_unix_name_at(h, i) + ALIGN(h->ends[i].name_len, 8);
}

/* Check the name and the path of end @i of @h, untrusted */
static int ckpt_unix_check_name(struct ckpt_ctx *ctx,
				struct ckpt_hdr_unix_sock *h, unsigned int i)
{
	struct ckpt_unix_end *e = &h->ends[i];
	const char *name = ckpt_unix_name_at(h, i);
	const char *path = ckpt_unix_path(h, i);

	if (memchr_inv(name + e->name_len, 0,
		       ALIGN(e->name_len, 8) - e->name_len))
		return ckpt_unix_bad(ctx, i, "name");
	/* a name bind() did not give is an accepted socket's, its listener's */
	if (e->name_len && !(e->so_flags & CKPT_UNIX_BOUND) &&
	    (h->type == SOCK_DGRAM || (h->state != CKPT_UNIX_PAIR &&
				       h->state != CKPT_UNIX_PEER_CLOSED)))
		return ckpt_unix_bad(ctx, i, "name");
	if (!e->name_len || !name[0]) {
		/* none, or abstract: no socket file */
		if (e->path_len ||
		    (!e->name_len && (e->so_flags & CKPT_UNIX_BOUND)))
			return ckpt_unix_bad(ctx, i, "name");
		return 0;
	}
	if (strnlen(name, e->name_len) != e->name_len - 1)
		return ckpt_unix_bad(ctx, i, "name");
	if (e->path_len < 2 || path[0] != '/' ||
	    strnlen(path, e->path_len) != e->path_len - 1 ||
	    memchr_inv(path + e->path_len, 0,
		       ALIGN(e->path_len, 8) - e->path_len))
		return ckpt_unix_bad(ctx, i, "path");
	return 0;
}

/* Check what the state of @h asks of its ends, untrusted */
static bool ckpt_unix_state_ok(struct ckpt_hdr_unix_sock *h)
{
	struct ckpt_unix_end *e = h->ends;
	bool conn = h->type != SOCK_DGRAM;

	if ((h->state != CKPT_UNIX_LISTEN && h->backlog) ||
	    (h->state != CKPT_UNIX_PENDING && h->listener))
		return false;
	switch (h->state) {
	case CKPT_UNIX_UNCONNECTED:
		return e[0].objref && !e[0].nr_msgs &&
		       !memchr_inv(&e[1], 0, sizeof(e[1]));
	case CKPT_UNIX_PAIR:
		return e[0].objref && e[1].objref && e[0].objref != e[1].objref;
	case CKPT_UNIX_PEER_CLOSED:
		return e[0].objref && !e[1].objref && !e[1].nr_msgs &&
		       !e[1].name_len;
	case CKPT_UNIX_LISTEN:
		return conn && e[0].objref && !e[0].nr_msgs &&
		       (e[0].so_flags & CKPT_UNIX_BOUND) && h->backlog <= INT_MAX &&
		       !memchr_inv(&e[1], 0, sizeof(e[1]));
	case CKPT_UNIX_PENDING:
		/* ends[1] has no file yet, and takes its listener's name */
		return conn && h->listener && h->listener != e[0].objref &&
		       !e[0].nr_msgs && !e[1].objref && !e[1].flags &&
		       !e[1].name_len && !(e[1].so_flags &
		       (CKPT_UNIX_BOUND | CKPT_UNIX_PASSCRED | CKPT_UNIX_PASSSEC));
	}
	return false;
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
	/* a socket alone has ends[1] zero, as ckpt_unix_state_ok() checks */
	for (i = 0; i < 2; i++) {
		if (i && (h->state == CKPT_UNIX_UNCONNECTED ||
			  h->state == CKPT_UNIX_LISTEN))
			break;
		ret = ckpt_unix_check_end(ctx, &e[i], i);
		if (ret)
			return ret;
	}
	if (!ckpt_unix_state_ok(h))
		return ckpt_err(ctx, -EINVAL,
				"unix socket record at offset %lld: bad state %u",
				ctx->rec_offset, h->state);
	n = e[0].nr_msgs + e[1].nr_msgs;
	len = sizeof(*h) + ALIGN((u64)n * sizeof(u32), 8) +
	      ALIGN(e[0].nr_bytes + e[1].nr_bytes, 8);
	for (i = 0; i < 2; i++)
		len += ALIGN((u64)e[i].name_len, 8) +
		       ALIGN((u64)e[i].path_len, 8);
	if (h->h.len != len)
		return ckpt_err(ctx, -EINVAL,
				"unix socket record at offset %lld: %u messages of %llu bytes, names and paths in %u bytes, not %llu",
				ctx->rec_offset, n,
				e[0].nr_bytes + e[1].nr_bytes, h->h.len, len);
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
		/* what the sender's buffer could have held, skbs and all */
		if (e[i].nr_msgs && e[i].nr_bytes +
		    (u64)e[i].nr_msgs * SKB_TRUESIZE(0) > 2 * (u64)e[!i].sndbuf)
			return ckpt_err(ctx, -EINVAL,
					"unix socket record at offset %lld: end %u: %llu bytes queued, over the limit of a sender's buffer of %u",
					ctx->rec_offset, i, e[i].nr_bytes,
					e[!i].sndbuf);
		ret = ckpt_unix_check_name(ctx, h, i);
		if (ret)
			return ret;
	}
	return 0;
}

/* Whether the caller may give a socket the buffer sizes and priority of @e */
static bool ckpt_unix_bufs_ok(struct ckpt_unix_end *e)
{
	return (e->sndbuf <= 2 * (u64)READ_ONCE(sysctl_wmem_max) &&
		e->rcvbuf <= 2 * (u64)READ_ONCE(sysctl_rmem_max) &&
		e->priority <= CKPT_UNIX_PRIO_MAX) || capable(CAP_NET_ADMIN);
}

/* 0, or -EPERM with the reason if the caller may not set @e */
static int ckpt_unix_may(struct ckpt_ctx *ctx, struct ckpt_unix_end *e,
			 unsigned int i)
{
	const struct cred *cred = current_cred();
	struct user_namespace *ns = current_user_ns();
	const char *what = NULL;

	if (!ckpt_unix_bufs_ok(e))
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
		else if (e->peer_pid != task_tgid_vnr(current) &&
			 !ns_capable(task_active_pid_ns(current)->user_ns,
				     CAP_SYS_ADMIN))
			/* as SCM_CREDENTIALS would let the caller claim */
			return ckpt_err(ctx, -EPERM,
					"unix socket file %u: its peer credentials name pid %d, outside the image: needs CAP_SYS_ADMIN",
					e->objref, e->peer_pid);
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

/* Give @sk the options of @e that are not its socket's */
static void ckpt_unix_apply_sk(struct sock *sk, struct ckpt_unix_end *e)
{
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
	/* what SO_KEEPALIVE sets, with no keepalive to start on a Unix socket */
	sock_valbool_flag(sk, SOCK_KEEPOPEN, e->so_flags & CKPT_UNIX_KEEPALIVE);
	release_sock(sk);
}

/* Give @sock the options of @e */
static void ckpt_unix_apply(struct socket *sock, struct ckpt_unix_end *e)
{
	assign_bit(SOCK_PASSCRED, &sock->flags,
		   e->so_flags & CKPT_UNIX_PASSCRED);
	assign_bit(SOCK_PASSSEC, &sock->flags, e->so_flags & CKPT_UNIX_PASSSEC);
	ckpt_unix_apply_sk(sock->sk, e);
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

/* The data queued to ends[0] of @h, and then to ends[1] */
static const void *ckpt_unix_data(struct ckpt_hdr_unix_sock *h)
{
	return &h->msg_len[ALIGN(h->ends[0].nr_msgs + h->ends[1].nr_msgs, 2)];
}

/* An accepted socket takes its listener's name, and socket file */
static int ckpt_unix_set_addr(struct sock *sk, struct sockaddr_un *sun,
			      int len, struct path *path)
{
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;

	addr = kmalloc(sizeof(*addr) + len, GFP_KERNEL_ACCOUNT);
	if (!addr)
		return -ENOMEM;
	refcount_set(&addr->refcnt, 1);
	addr->len = len;
	memcpy(addr->name, sun, len);
	/* the reference on @path goes to @sk, which unix_release_sock() puts */
	u->path = *path;
	*path = (struct path){};
	/* pairs with the smp_load_acquire() of unix_getname() */
	smp_store_release(&u->addr, addr);
	return 0;
}

/* Give @sock the name of end @i of @h: bind() it again, or take it */
static int ckpt_unix_name(struct ckpt_ctx *ctx, struct socket *sock,
			  struct ckpt_hdr_unix_sock *h, unsigned int i)
{
	struct ckpt_unix_end *e = &h->ends[i];
	const char *name = ckpt_unix_name_at(h, i);
	/* room for the NUL that bind() puts after a sun_path */
	struct sockaddr_storage ss = {};
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	int len = offsetof(struct sockaddr_un, sun_path) + e->name_len;
	const char *path = ckpt_unix_path(h, i);
	struct path p = {};
	int ret = 0;

	if (!e->name_len)
		return 0;
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, e->name_len);
	if (e->path_len) {
		ret = kern_path(path, 0, &p);
		if (ret)
			return ckpt_err(ctx, ret,
					"unix socket file %u: no socket file %s",
					e->objref, path);
	}
	if (!(e->so_flags & CKPT_UNIX_BOUND)) {
		if (e->path_len && !S_ISSOCK(d_inode(p.dentry)->i_mode))
			ret = ckpt_err(ctx, -ECONNREFUSED,
				       "unix socket file %u: %s is not a socket file",
				       e->objref, path);
		else
			ret = ckpt_unix_set_addr(sock->sk, sun, len, &p);
		goto out_put;
	}
	ret = security_socket_bind(sock, (struct sockaddr *)sun, len);
	if (ret)
		goto out_bind;
	if (!e->path_len) {
		ret = kernel_bind(sock, (struct sockaddr *)sun, len);
		goto out_bind;
	}
	/* as bind() would need to make it again, in the place of the old */
	ret = -EPERM;
	if (inode_owner_or_capable(mnt_user_ns(p.mnt), d_inode(p.dentry)))
		ret = path_permission(&p, MAY_WRITE);
	if (!ret)
		ret = unix_bind_inode(sock, &p, sun, len);
out_bind:
	if (ret)
		ret = ckpt_err(ctx, ret, "unix socket file %u: cannot bind it to %s%s",
			       e->objref, name[0] ? "" : "@", name + !name[0]);
out_put:
	path_put(&p);
	return ret;
}

/* Make the sockets of @h back to back, and queue their data */
static int ckpt_unix_pair(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			  struct socket **socks)
{
	struct ckpt_unix_end *e = h->ends;
	const void *data = ckpt_unix_data(h);
	int ret;

	ret = sock_create(PF_UNIX, h->type, 0, &socks[1]);
	if (ret)
		return ckpt_err(ctx, ret,
				"unix socket file %u: cannot make its pair",
				e[0].objref);
	ret = ckpt_unix_name(ctx, socks[1], h, 1);
	if (ret)
		return ret;
	ret = security_socket_socketpair(socks[0], socks[1]);
	if (!ret)
		ret = socks[0]->ops->socketpair(socks[0], socks[1]);
	if (ret)
		return ckpt_err(ctx, ret,
				"unix socket file %u: cannot make its pair",
				e[0].objref);

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

/* listen() on @sock with the backlog of @h, as listen() bounds it */
static int ckpt_unix_listen(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			    struct socket *sock)
{
	u32 max = READ_ONCE(sock_net(sock->sk)->core.sysctl_somaxconn);
	int backlog = min(h->backlog, max);
	int ret;

	ret = security_socket_listen(sock, backlog);
	if (!ret)
		ret = kernel_listen(sock, backlog);
	if (ret)
		return ckpt_err(ctx, ret, "unix socket file %u: cannot listen",
				h->ends[0].objref);
	return 0;
}

/* The listener that the connection of @h waits in, NULL if validating */
static int ckpt_unix_listener_of(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_unix_sock *h,
				 struct sock **lsk)
{
	struct file *file;
	struct unix_sock *u;

	*lsk = NULL;
	file = ckpt_obj_fetch(ctx, h->listener, &ckpt_file_obj_ops);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!ckpt_restoring(ctx))
		return 0;
	u = file ? unix_get_socket(file) : NULL;
	if (!u || READ_ONCE(u->sk.sk_state) != TCP_LISTEN ||
	    u->sk.sk_type != h->type)
		return ckpt_err(ctx, -EINVAL,
				"unix socket file %u: file %u is not a listening unix socket of its type",
				h->ends[0].objref, h->listener);
	*lsk = &u->sk;
	return 0;
}

/* The address that finds listener @lsk: its name, or its file's path */
static int ckpt_unix_listener_addr(struct sock *lsk, struct sockaddr_un *sun,
				   char *buf)
{
	struct unix_sock *u = unix_sk(lsk);
	struct unix_address *addr;
	char *path;

	/* pairs with the smp_store_release() of bind() */
	addr = smp_load_acquire(&u->addr);
	if (!u->path.dentry) {
		memcpy(sun, addr->name, addr->len);
		return addr->len;
	}
	/* its name may be relative to where it was bound */
	path = d_path(&u->path, buf, PATH_MAX);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	sun->sun_family = AF_UNIX;
	strscpy(sun->sun_path, path, sizeof(sun->sun_path));
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* Connect socks[0] to listener @lsk as the connection of @h, queue its
 * data, and close it again if it was closed
 */
static int ckpt_unix_connect(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			     struct sock *lsk, struct socket **socks)
{
	struct ckpt_unix_end *e = h->ends;
	struct sockaddr_storage ss = {};
	struct sock *esk;
	char *buf;
	int len, ret;

	buf = kmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	len = ckpt_unix_listener_addr(lsk, (struct sockaddr_un *)&ss, buf);
	kfree(buf);
	ret = len < 0 ? len : security_socket_connect(socks[0],
						       (struct sockaddr *)&ss,
						       len);
	if (!ret)
		ret = kernel_connect(socks[0], (struct sockaddr *)&ss, len,
				     O_NONBLOCK);
	if (ret)
		return ckpt_err(ctx, ret,
				"unix socket file %u: cannot connect it to file %u",
				e[0].objref, h->listener);
	esk = unix_peer_get(socks[0]->sk);
	if (!esk)
		return ckpt_err(ctx, -ECONNRESET,
				"unix socket file %u: its connection to file %u is gone",
				e[0].objref, h->listener);
	/* it takes its listener's address: only the pointers are compared */
	if (READ_ONCE(unix_sk(esk)->addr) != READ_ONCE(unix_sk(lsk)->addr)) {
		ret = ckpt_err(ctx, -EADDRINUSE,
			       "unix socket file %u: another socket took the name of file %u",
			       e[0].objref, h->listener);
		goto out_put;
	}
	ret = ckpt_unix_fill(ctx, socks[0], h->msg_len, e[1].nr_msgs,
			     ckpt_unix_data(h), e[0].objref);
	if (ret)
		goto out_put;
	if (!e[0].objref) {
		/* as the close() of the socket that connected left it */
		sock_release(socks[0]);
		socks[0] = NULL;
	}
	ckpt_unix_apply_sk(esk, &e[1]);
	ret = ckpt_unix_peercred(ctx, esk, &e[1]);
out_put:
	sock_put(esk);
	return ret;
}

/* Make the sockets of @h, or release what was made */
static int ckpt_unix_build(struct ckpt_ctx *ctx, struct ckpt_hdr_unix_sock *h,
			   struct sock *lsk, struct socket **socks)
{
	int ret;

	ret = sock_create(PF_UNIX, h->type, 0, &socks[0]);
	if (ret)
		return ckpt_err(ctx, ret, "unix socket file %u: cannot make it",
				h->ends[0].objref);
	ret = ckpt_unix_name(ctx, socks[0], h, 0);
	if (ret)
		goto err_release;
	switch (h->state) {
	case CKPT_UNIX_PAIR:
	case CKPT_UNIX_PEER_CLOSED:
		ret = ckpt_unix_pair(ctx, h, socks);
		break;
	case CKPT_UNIX_LISTEN:
		ret = ckpt_unix_listen(ctx, h, socks[0]);
		break;
	case CKPT_UNIX_PENDING:
		ret = ckpt_unix_connect(ctx, h, lsk, socks);
		break;
	}
	if (ret)
		goto err_release;
	if (!socks[0])
		return 0;
	ckpt_unix_apply(socks[0], &h->ends[0]);
	ret = ckpt_unix_peercred(ctx, socks[0]->sk, &h->ends[0]);
	if (ret)
		goto err_release;
	return 0;

err_release:
	if (socks[1])
		sock_release(socks[1]);
	if (socks[0])
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
	struct sock *lsk = NULL;
	int ret;

	h = ckpt_read_var(ctx, hdr);
	if (IS_ERR(h))
		return PTR_ERR(h);
	ret = ckpt_unix_check_rec(ctx, h);
	if (!ret)
		ret = ckpt_unix_may(ctx, &h->ends[0], 0);
	if (!ret && (h->state == CKPT_UNIX_PAIR ||
		     h->state == CKPT_UNIX_PENDING))
		ret = ckpt_unix_may(ctx, &h->ends[1], 1);
	/* the closed peer's sndbuf bounds the queue: it is not set */
	if (!ret && h->state == CKPT_UNIX_PEER_CLOSED &&
	    !ckpt_unix_bufs_ok(&h->ends[1]))
		ret = ckpt_err(ctx, -EPERM,
			       "unix socket file %u: end 1: buffer sizes or priority need CAP_NET_ADMIN",
			       h->ends[0].objref);
	if (!ret && h->state == CKPT_UNIX_PENDING)
		ret = ckpt_unix_listener_of(ctx, h, &lsk);
	if (!ret && ckpt_restoring(ctx))
		ret = ckpt_unix_build(ctx, h, lsk, socks);
	if (ret || !h->ends[0].objref)
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
