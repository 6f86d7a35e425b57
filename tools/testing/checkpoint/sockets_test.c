// SPDX-License-Identifier: GPL-2.0
/*
 * Unix sockets: connected pairs of every type come back with their
 * queues byte for byte and their options, what is not supported is
 * refused by name, and malformed socket records are rejected.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include "ckpt_test.h"
#include "kselftest_harness.h"
#include "ckpt_round_trip.h"

#define REPORT "/tmp/st.report"

/* ckpt_sockets @scenario: its descriptors after restart are those before */
static void round_trip(struct __test_metadata *_metadata, const char *scenario,
		       const char *out)
{
	helper_round_trip(_metadata, "/bin/ckpt_sockets", REPORT, scenario, out, "st");
}

TEST(socketpairs_of_every_type_keep_their_queues_and_options)
{
	round_trip(_metadata, "pairs", "/tmp/st-pairs.out");
}

TEST(a_pair_shared_with_a_child_keeps_both_queues)
{
	round_trip(_metadata, "fork", "/tmp/st-fork.out");
}

TEST(listeners_pending_connections_and_names_come_back)
{
	round_trip(_metadata, "named", "/tmp/st-named.out");
}

/*
 * A socket file bound again while the socket that made it lives: the
 * restart fails with EADDRINUSE, and the original goes on
 */
TEST(a_listener_whose_name_is_taken_is_not_restored)
{
	char *const prog[] = { "/bin/ckpt_sockets", REPORT, "named", NULL };
	char *const ckpt[] = { "checkpoint", "-o", "/tmp/st.img", NULL, NULL };
	char *const rst[] = { "restart", "--detach", "--pidfile", "/tmp/st.pid",
			      "-i", "/tmp/st.img", "--log", "/tmp/st.log",
			      NULL };
	char pidstr[16], *text;
	pid_t pid;

	unlink(REPORT);
	pid = start_logged(prog, "/tmp/st-taken.out", NULL);
	ASSERT_GT(pid, 0);
	free(wait_text(REPORT, "ready", 10000));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	((char **)ckpt)[3] = pidstr;
	ASSERT_EQ(0, run_logged(ckpt, "/tmp/st-ckpt.out"));
	EXPECT_NE(0, run_logged(rst, "/tmp/st.detach"));
	text = file_text("/tmp/st.log");
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "cannot bind it to listen.sock (error -98)"))
		TH_LOG("%s", text);
	free(text);
	/* the original still serves */
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	text = wait_text(REPORT, "checks ok", 10000);
	EXPECT_NE(NULL, strstr(text, "checks ok")) TH_LOG("%s", text);
	free(text);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A checkpoint that leaves the tree running takes nothing off a queue */
TEST(checkpoint_leaves_queued_data_in_place)
{
	struct victim v;
	char buf[16];
	int sv[2], fd, logfd;
	long id;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(5, send(sv[0], "first", 5, 0));
	ASSERT_EQ(6, send(sv[0], "second", 6, 0));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		for (;;)
			pause();
	}
	ASSERT_EQ(0, victim_freeze(&v));
	logfd = memfd_create("log", 0);
	fd = checkpoint_to_memfd(v.pid, logfd, &id);
	EXPECT_GT(id, 0);
	close(fd);
	close(logfd);
	victim_stop(&v);
	EXPECT_EQ(5, recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "first", 5));
	EXPECT_EQ(6, recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "second", 6));
	close(sv[0]);
	close(sv[1]);
}

/* What the child sets up at fd 7, before it is checkpointed */
enum refused {
	R_UNLINKED, R_ONE_WAY, R_QUEUED, R_PENDING, R_TO_OUTSIDE, R_OUTSIDE,
	R_RIGHTS, R_CREDS, R_OOB, R_NETLINK, R_LINGER,
};

static socklen_t sun_of(struct sockaddr_un *sun, const char *path,
			size_t len)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len);
	return offsetof(struct sockaddr_un, sun_path) + len;
}

static int bound(int type, const char *path, size_t len)
{
	struct sockaddr_un sun;
	socklen_t slen = sun_of(&sun, path, len);
	int fd = socket(AF_UNIX, type, 0);

	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, slen))
		return -1;
	return fd;
}

static int connected(int type, const char *path, size_t len)
{
	struct sockaddr_un sun;
	socklen_t slen = sun_of(&sun, path, len);
	int fd = socket(AF_UNIX, type, 0);

	if (connect(fd, (struct sockaddr *)&sun, slen))
		return -1;
	return fd;
}

/* Send a byte to @path from a new socket, which stays open */
static int send_to(const char *path, size_t len)
{
	struct sockaddr_un sun;
	socklen_t slen = sun_of(&sun, path, len);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	return sendto(fd, "x", 1, 0, (struct sockaddr *)&sun, slen) != 1;
}

static int refused_fd(enum refused what, int outside)
{
	int sv[2], one = 1, fd;
	char cmsg[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cmsg,
			      .msg_controllen = sizeof(cmsg) };
	struct cmsghdr *c;

	switch (what) {
	case R_UNLINKED:
		fd = bound(SOCK_STREAM, "/tmp/st-gone", sizeof("/tmp/st-gone"));
		return unlink("/tmp/st-gone") ? -1 : fd;
	case R_ONE_WAY:
		/* the socket it sends to stays open too */
		if (bound(SOCK_DGRAM, "\0st-log", 7) < 0)
			return -1;
		return connected(SOCK_DGRAM, "\0st-log", 7);
	case R_QUEUED:
		/* from a socket not connected to it */
		fd = bound(SOCK_DGRAM, "\0st-log", 7);
		return send_to("\0st-log", 7) ? -1 : fd;
	case R_PENDING:
		/* the test connects to it, from outside */
		fd = bound(SOCK_STREAM, "\0st-pending", 11);
		return fd < 0 || listen(fd, 5) ? -1 : fd;
	case R_TO_OUTSIDE:
		return connected(SOCK_STREAM, "\0st-outside", 11);
	case R_OUTSIDE:
		return outside;
	case R_RIGHTS:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return -1;
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
		return sendmsg(sv[0], &msg, 0) == 1 ? sv[1] : -1;
	case R_CREDS:
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
		    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one,
			       sizeof(one)) ||
		    send(sv[0], "x", 1, 0) != 1)
			return -1;
		return sv[1];
	case R_OOB:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
		    send(sv[0], "x", 1, MSG_OOB) != 1)
			return -1;
		return sv[1];
	case R_NETLINK:
		return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	case R_LINGER:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
		    setsockopt(sv[1], SOL_SOCKET, SO_LINGER,
			       &(struct linger){ 1, 5 }, sizeof(struct linger)))
			return -1;
		return sv[1];
	}
	return -1;
}

static void expect_refused(struct __test_metadata *_metadata,
			   enum refused what, const char *reason)
{
	struct victim v;
	char log[1024];
	int logfd, fd, ready[2], sv[2], out = -1;
	long ret;
	char c;

	/* the other end stays here, outside the tree */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	if (what == R_TO_OUTSIDE) {
		fd = bound(SOCK_STREAM, "\0st-outside", 11);
		ASSERT_EQ(0, listen(fd, 5));
		/* out of the way of the descriptors the child sets up */
		out = dup2(fd, 50);
		ASSERT_EQ(50, out);
		close(fd);
	}
	ASSERT_EQ(0, pipe(ready));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		/* the listener stays outside the tree */
		if (out >= 0)
			close(out);
		/* hold fd 7, so that nothing set up lands there */
		dup2(ready[1], 7);
		fd = refused_fd(what, sv[1]);
		if (fd < 0 || dup2(fd, 7) != 7)
			_exit(1);
		close(fd);
		if (what != R_OUTSIDE)
			close(sv[1]);
		close(sv[0]);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(sv[1]);
	close(ready[1]);
	/* the child closed its end: it is set up */
	ASSERT_EQ(0, read(ready[0], &c, 1));
	close(ready[0]);
	if (what == R_PENDING) {
		out = connected(SOCK_STREAM, "\0st-pending", 11);
		ASSERT_GE(out, 0);
	}
	ASSERT_EQ(0, victim_freeze(&v));
	logfd = memfd_create("log", 0);
	fd = checkpoint_to_memfd(v.pid, logfd, &ret);
	EXPECT_EQ(-1, ret) TH_LOG("case %d", what);
	EXPECT_EQ(EOPNOTSUPP, errno);
	ckpt_log_reason(logfd, log, sizeof(log));
	EXPECT_NE(NULL, strstr(log, reason)) TH_LOG("log: %s", log);
	close(fd);
	close(logfd);
	victim_stop(&v);
	close(sv[0]);
	if (out >= 0)
		close(out);
}

TEST(what_is_not_kept_is_refused_by_name)
{
	expect_refused(_metadata, R_UNLINKED,
		       "fd 7: unix socket named /tmp/st-gone, whose socket file was removed: not supported");
	expect_refused(_metadata, R_ONE_WAY,
		       "fd 7: unix socket connected to one that is not connected back: not supported yet");
	expect_refused(_metadata, R_QUEUED,
		       "fd 7: unix socket with messages queued from sockets not connected to it: not supported yet");
	expect_refused(_metadata, R_PENDING,
		       "fd 7: listening unix socket with a connection from outside the tree not accepted yet: not supported");
	expect_refused(_metadata, R_TO_OUTSIDE,
		       "fd 7: unix socket whose connection a socket outside the tree has not accepted yet: not supported");
	expect_refused(_metadata, R_OUTSIDE,
		       "fd 7: unix socket whose peer is outside the tree not supported");
	expect_refused(_metadata, R_RIGHTS,
		       "unix socket with descriptors in flight (SCM_RIGHTS) not supported yet");
	expect_refused(_metadata, R_CREDS,
		       "unix socket with SO_PASSCRED and 1 messages queued: credentials in flight not supported yet");
	expect_refused(_metadata, R_OOB,
		       "out-of-band data (MSG_OOB)");
	expect_refused(_metadata, R_NETLINK,
		       "fd 7: AF_NETLINK socket not supported yet");
	expect_refused(_metadata, R_LINGER,
		       "SO_LINGER, SO_OOBINLINE, timestamping or zerocopy set on unix socket not supported yet");
}

#define IMG_SOCK "/tmp/st-img.sock"

/*
 * An image with a stream pair and a datagram pair, and a listener with
 * a connection it has not accepted, to damage
 */
FIXTURE(image) {
	unsigned char *img;
	size_t len;
	int logfd;
};

FIXTURE_SETUP(image)
{
	static char big[20000];
	struct victim v;
	int sv[2], ready[2], fd;
	long id;
	char c;

	ASSERT_EQ(0, pipe(ready));
	memset(&v, 0, sizeof(v));
	v.pid = fork();
	ASSERT_GE(v.pid, 0);
	if (!v.pid) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		for (fd = 0; fd < 20000; fd++)
			big[fd] = '0' + fd % 10;
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
		    send(sv[0], big, sizeof(big), 0) != sizeof(big) ||
		    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
		    send(sv[1], "abc", 3, 0) != 3 ||
		    send(sv[1], "defgh", 5, 0) != 5)
			_exit(1);
		/* after the pairs: one listens, one waits to be accepted */
		fd = bound(SOCK_STREAM, IMG_SOCK, sizeof(IMG_SOCK));
		if (fd < 0 || listen(fd, 3))
			_exit(1);
		fd = connected(SOCK_STREAM, IMG_SOCK, sizeof(IMG_SOCK));
		if (fd < 0 || send(fd, "wait", 4, 0) != 4)
			_exit(1);
		close(ready[0]);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(0, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ(0, victim_freeze(&v));
	fd = checkpoint_to_memfd(v.pid, -1, &id);
	victim_stop(&v);
	ASSERT_GT(id, 0);
	self->img = fd_content(fd, &self->len);
	close(fd);
	ASSERT_NE(NULL, self->img);
	self->logfd = memfd_create("log", 0);
}

FIXTURE_TEARDOWN(image)
{
	free(self->img);
	close(self->logfd);
}

/* restart(RESTART_VALIDATE) of the damaged image: errno and reason */
static int validate(struct _test_data_image *self, char *reason, size_t len)
{
	int fd, err = 0;

	fix_crc(self->img, self->len);
	fd = memfd_with(self->img, self->len);
	ftruncate(self->logfd, 0);
	lseek(self->logfd, 0, SEEK_SET);
	if (sys_restart(0, fd, RESTART_VALIDATE, self->logfd))
		err = errno;
	close(fd);
	ckpt_log_reason(self->logfd, reason, len);
	return err;
}

#define EXPECT_REJECTED(err, what) do {					\
	char _r[1024];							\
	EXPECT_EQ(err, validate(self, _r, sizeof(_r)));			\
	EXPECT_NE(NULL, strstr(_r, what)) TH_LOG("log: %s", _r);	\
} while (0)

static struct ckpt_hdr_unix_sock *sock_rec(struct _test_data_image *self,
					   int i)
{
	long off = find_record(self->img, self->len, CKPT_HDR_UNIX_SOCK, i);

	return off < 0 ? NULL : (void *)(self->img + off);
}

TEST_F(image, the_records_hold_the_queues)
{
	struct ckpt_hdr_unix_sock *s = sock_rec(self, 0), *d = sock_rec(self, 1);
	char reason[1024];

	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	EXPECT_EQ(SOCK_STREAM, s->type);
	EXPECT_EQ(CKPT_UNIX_PAIR, s->state);
	/* the data sent from sv[0] is queued to sv[1], ends[1] */
	EXPECT_EQ(0, s->ends[0].nr_msgs);
	EXPECT_EQ(1, s->ends[1].nr_msgs);
	EXPECT_EQ(20000, s->ends[1].nr_bytes);
	EXPECT_EQ(20000, s->msg_len[0]);
	EXPECT_EQ(0, memcmp((char *)&s->msg_len[2], "0123456789", 10));
	EXPECT_EQ(SOCK_DGRAM, d->type);
	EXPECT_EQ(2, d->ends[0].nr_msgs);
	EXPECT_EQ(3, d->msg_len[0]);
	EXPECT_EQ(5, d->msg_len[1]);
	EXPECT_EQ(0, memcmp((char *)&d->msg_len[2], "abcdefgh", 8));
}

TEST_F(image, unknown_type_or_state)
{
	struct ckpt_hdr_unix_sock *s = sock_rec(self, 0);

	ASSERT_NE(NULL, s);
	s->type = SOCK_RAW;
	EXPECT_REJECTED(EINVAL, "unknown type 3");
	s->type = SOCK_STREAM;
	s->state = 7;
	EXPECT_REJECTED(EINVAL, "bad state 7");
	s->state = CKPT_UNIX_UNCONNECTED;
	EXPECT_REJECTED(EINVAL, "bad state 1");
	s->state = CKPT_UNIX_PAIR;
	s->ends[1].objref = s->ends[0].objref;
	EXPECT_REJECTED(EINVAL, "bad state 2");
}

TEST_F(image, queue_over_its_limit)
{
	struct ckpt_hdr_unix_sock *s = sock_rec(self, 0);
	char reason[1024];

	ASSERT_NE(NULL, s);
	/* 20000 bytes are more than a sender's buffer of 4608 holds */
	s->ends[0].sndbuf = 4608;
	EXPECT_REJECTED(EINVAL, "end 1: 20000 bytes queued, over the limit");
	/* the queue's skbs count too */
	s->ends[0].sndbuf = 10000;
	EXPECT_REJECTED(EINVAL, "end 1: 20000 bytes queued, over the limit");
	s->ends[0].sndbuf = 11000;
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	s->ends[0].sndbuf = 4;
	EXPECT_REJECTED(EINVAL, "end 0: bad buffer size");
	s->ends[0].sndbuf = 11000;
	s->ends[1].nr_bytes = 19999;
	EXPECT_REJECTED(EINVAL, "end 1: messages of 20000 bytes, not 19999");
	s->ends[1].nr_bytes = 20000;
	s->msg_len[0] = 19999;
	EXPECT_REJECTED(EINVAL, "end 1: messages of 19999 bytes, not 20000");
}

TEST_F(image, message_lengths_that_do_not_add_up)
{
	struct ckpt_hdr_unix_sock *d = sock_rec(self, 1);

	ASSERT_NE(NULL, d);
	d->msg_len[1] = 6;
	EXPECT_REJECTED(EINVAL, "end 0: messages of 9 bytes, not 8");
	d->msg_len[1] = 5;
	d->ends[0].nr_msgs = 3;
	EXPECT_REJECTED(EINVAL, "3 messages of 8 bytes, names and paths in");
}

TEST_F(image, bad_options)
{
	struct ckpt_hdr_unix_sock *s = sock_rec(self, 0);

	ASSERT_NE(NULL, s);
	s->ends[1].so_flags = 0x100;
	EXPECT_REJECTED(EINVAL, "end 1: bad socket flags");
	s->ends[1].so_flags = 0;
	s->ends[1].shutdown = 4;
	EXPECT_REJECTED(EINVAL, "end 1: bad shutdown");
	s->ends[1].shutdown = 0;
	s->ends[1].flags = O_RDONLY;
	EXPECT_REJECTED(EINVAL, "end 1: bad flags");
	s->ends[1].flags = O_RDWR;
	s->ends[0].peek_off = -2;
	EXPECT_REJECTED(EINVAL, "end 0: bad option");
	s->ends[0].peek_off = -1;
	s->ends[0].err = 5000;
	EXPECT_REJECTED(EINVAL, "end 0: bad option");
}

#define PAD8(n)	(((n) + 7) / 8 * 8)

/* The name of end @i of @s, after the data */
static char *sock_name(struct ckpt_hdr_unix_sock *s, int i)
{
	unsigned int n = s->ends[0].nr_msgs + s->ends[1].nr_msgs;
	char *p = (char *)&s->msg_len[(n + 1) / 2 * 2];

	p += PAD8(s->ends[0].nr_bytes + s->ends[1].nr_bytes);
	if (i)
		p += PAD8(s->ends[0].name_len) + PAD8(s->ends[0].path_len);
	return p;
}

/* And its path, after its name */
static char *sock_path(struct ckpt_hdr_unix_sock *s, int i)
{
	return sock_name(s, i) + PAD8(s->ends[i].name_len);
}

TEST_F(image, a_listener_and_its_pending_connection)
{
	struct ckpt_hdr_unix_sock *l = sock_rec(self, 2), *p = sock_rec(self, 3);

	ASSERT_NE(NULL, l);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(CKPT_UNIX_LISTEN, l->state);
	EXPECT_EQ(3, l->backlog);
	EXPECT_EQ(CKPT_UNIX_BOUND, l->ends[0].so_flags & CKPT_UNIX_BOUND);
	EXPECT_EQ(sizeof(IMG_SOCK), l->ends[0].name_len);
	EXPECT_STREQ(IMG_SOCK, sock_name(l, 0));
	EXPECT_EQ(sizeof(IMG_SOCK), l->ends[0].path_len);
	EXPECT_STREQ(IMG_SOCK, sock_path(l, 0));
	EXPECT_EQ(CKPT_UNIX_PENDING, p->state);
	EXPECT_EQ(l->ends[0].objref, p->listener);
	EXPECT_EQ(0, p->ends[1].objref);
	EXPECT_EQ(4, p->ends[1].nr_bytes);
	EXPECT_EQ(0, memcmp((char *)&p->msg_len[2], "wait", 4));
}

TEST_F(image, bad_names_and_listeners)
{
	struct ckpt_hdr_unix_sock *l = sock_rec(self, 2), *p = sock_rec(self, 3);
	char reason[1024];

	ASSERT_NE(NULL, l);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
	l->ends[0].name_len = 110;
	EXPECT_REJECTED(EINVAL, "end 0: bad name");
	l->ends[0].name_len = 16;
	EXPECT_REJECTED(EINVAL, "names and paths in 248 bytes, not 240");
	l->ends[0].name_len = sizeof(IMG_SOCK);
	sock_name(l, 0)[sizeof(IMG_SOCK) - 1] = 'x';
	EXPECT_REJECTED(EINVAL, "end 0: bad name");
	sock_name(l, 0)[sizeof(IMG_SOCK) - 1] = 0;
	sock_path(l, 0)[0] = 't';
	EXPECT_REJECTED(EINVAL, "end 0: bad path");
	sock_path(l, 0)[0] = '/';
	sock_path(l, 0)[4] = 0;
	EXPECT_REJECTED(EINVAL, "end 0: bad path");
	sock_path(l, 0)[4] = 'p';
	l->type = SOCK_DGRAM;
	EXPECT_REJECTED(EINVAL, "bad state 4");
	l->type = SOCK_STREAM;
	l->ends[0].so_flags &= ~CKPT_UNIX_BOUND;
	EXPECT_REJECTED(EINVAL, "bad state 4");
	l->ends[0].so_flags |= CKPT_UNIX_BOUND;
	p->listener = 999;
	EXPECT_REJECTED(EINVAL, "objref 999 is not defined");
	p->listener = p->ends[0].objref;
	EXPECT_REJECTED(EINVAL, "bad state 5");
	p->listener = l->ends[0].objref;
	p->backlog = 1;
	EXPECT_REJECTED(EINVAL, "bad state 5");
	p->backlog = 0;
	EXPECT_EQ(0, validate(self, reason, sizeof(reason))) TH_LOG("%s", reason);
}

TEST_HARNESS_MAIN
