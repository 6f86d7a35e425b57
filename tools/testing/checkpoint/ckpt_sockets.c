// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_sockets REPORT SCENARIO - a process with Unix sockets, for the
 * socket tests.
 *
 * It sets up the sockets of SCENARIO, appends a description of each of
 * its descriptors to REPORT ("before"), prints "ready" and waits for
 * SIGUSR1.  On SIGUSR1 (after a checkpoint and restart) it appends the
 * description again ("after"), then reads every queue back and checks
 * it byte for byte, with its message boundaries, and that each pair
 * still carries data both ways; it appends "checks ok" or the first
 * failure.  The test compares "before" and "after" line by line.
 *
 * Scenarios:
 *   pairs  socketpair()s of every type:
 *          fd 3 <-> 4  SOCK_STREAM: 70000 bytes queued to 4, 1000 of them
 *                      read, 500 more peeked with SO_PEEK_OFF; 5000 bytes
 *                      queued to 3; SO_SNDBUF, SO_RCVBUF, SO_RCVTIMEO,
 *                      SO_SNDTIMEO, SO_RCVLOWAT and SO_PRIORITY set;
 *                      4 O_NONBLOCK; fd 14 a dup of 3
 *          fd 5 <-> 6  SOCK_DGRAM: 6 datagrams queued to 6 (one empty),
 *                      2 to 5
 *          fd 7 <-> 8  SOCK_SEQPACKET: 3 packets queued to 8, then 7
 *                      shut down for writing
 *          fd 9        SOCK_STREAM whose peer closed after sending
 *                      "last words"
 *          fd 10       SOCK_DGRAM never connected, SO_PASSCRED
 *          fd 11 <-> 12 SOCK_STREAM, nothing queued, SO_PASSCRED on 12
 *   fork   a SOCK_STREAM pair made here, shared with a child: fd 3
 *          here with 2000 bytes queued from the child, fd 4 in the child
 *          with 3000 bytes queued from here.  After restart each reads
 *          and checks its queue, and the child its peer credentials
 *   named  sockets with names, in /tmp/st-named:
 *          fd 3        SOCK_STREAM listening on the relative path
 *                      listen.sock (mode 0604), backlog 7, with two
 *                      connections not accepted yet: fd 4's, which sent
 *                      3000 bytes, and one that sent "bye" and closed
 *          fd 6 <-> 7  a connection to fd 3 that it accepted (fd 7),
 *                      with 2000 bytes queued to 7 and 1000 to 6, and
 *                      SO_KEEPALIVE on 7
 *          fd 8        SOCK_DGRAM bound to @st-dgram
 *          fd 9        SOCK_SEQPACKET listening on @st-seq, backlog 2,
 *                      with fd 10's connection not accepted yet: two
 *                      packets sent
 *          fd 11 <-> 12 SOCK_DGRAM pair, 11 autobound, 50 bytes sent
 *                      to 12
 *          After restart it accepts each connection and checks what
 *          was sent on it, connects to the listeners and fd 8 by name,
 *          and checks the sender's name of 12's datagram
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/sockios.h>
#include <unistd.h>

#include "ckpt_lib.h"

static int go;

static void on_usr1(int sig)
{
	__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
}

/* Byte @i of the data the scenarios queue */
static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 13 + i / 253);
}

/* Send @len bytes of the pattern from @from: one message up to 70000 */
static int send_pattern(int fd, size_t len, unsigned long from)
{
	static unsigned char buf[70000];
	size_t n, i;

	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pattern(from + i);
		if (send(fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
			return -1;
		len -= n;
		from += n;
	}
	return 0;
}

/* Read exactly @len bytes of the pattern from @from off @fd, @flags */
static int expect_pattern(int fd, size_t len, unsigned long from, int flags)
{
	unsigned char buf[8192];
	size_t n, i;
	ssize_t r;

	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		r = recv(fd, buf, n, flags | MSG_DONTWAIT);
		if (r <= 0)
			return -1;
		for (i = 0; i < (size_t)r; i++)
			if (buf[i] != pattern(from + i))
				return -1;
		len -= r;
		from += r;
		if (flags & MSG_PEEK)
			break;
	}
	return len ? -1 : 0;
}

/* One datagram of @len bytes of the pattern from @from, nothing more */
static int expect_msg(int fd, size_t len, unsigned long from)
{
	unsigned char buf[70000];
	size_t i;
	ssize_t r;

	r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (r != (ssize_t)len)
		return -1;
	for (i = 0; i < len; i++)
		if (buf[i] != pattern(from + i))
			return -1;
	return 0;
}

static int move_fd(int fd, int at)
{
	if (fd < 0)
		return -1;
	if (fd == at)
		return at;
	if (dup2(fd, at) != at)
		return -1;
	close(fd);
	return at;
}

static int pair_at(int type, int a, int b)
{
	int sv[2];

	if (socketpair(AF_UNIX, type, 0, sv))
		return -1;
	/* out of the way first, so that no move closes the other end */
	sv[0] = move_fd(sv[0], 100);
	sv[1] = move_fd(sv[1], 101);
	if (move_fd(sv[0], a) < 0 || move_fd(sv[1], b) < 0)
		return -1;
	return 0;
}

static int setint(int fd, int opt, int val)
{
	return setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val));
}

static int settime(int fd, int opt, long sec, long usec)
{
	struct timeval tv = { .tv_sec = sec, .tv_usec = usec };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

static const int dgram_len[] = { 1, 100, 0, 4096, 65000, 17 };
static const int packet_len[] = { 3000, 1, 200 };

static int setup_pairs(void)
{
	char buf[1000];
	unsigned long from;
	int i, sv[2];

	if (pair_at(SOCK_STREAM, 3, 4) ||
	    setint(3, SO_SNDBUF, 150000) || setint(4, SO_RCVBUF, 90000) ||
	    send_pattern(3, 70000, 0) || send_pattern(4, 5000, 1 << 20) ||
	    recv(4, buf, sizeof(buf), 0) != sizeof(buf) ||
	    setint(4, SO_PEEK_OFF, 0) ||
	    recv(4, buf, 500, MSG_PEEK) != 500 ||
	    settime(4, SO_RCVTIMEO, 3, 250000) ||
	    settime(3, SO_SNDTIMEO, 7, 0) || setint(4, SO_RCVLOWAT, 10) ||
	    setint(3, SO_PRIORITY, 5) ||
	    fcntl(4, F_SETFL, O_NONBLOCK) || dup2(3, 14) != 14)
		return ckpt_report_fail("stream pair");

	if (pair_at(SOCK_DGRAM, 5, 6))
		return ckpt_report_fail("datagram pair");
	for (i = 0, from = 0; i < (int)ARRAY_SIZE(dgram_len); i++) {
		if (send_pattern(5, dgram_len[i], from) && dgram_len[i])
			return ckpt_report_fail("datagram");
		if (!dgram_len[i] && send(5, "", 0, 0))
			return ckpt_report_fail("empty datagram");
		from += dgram_len[i];
	}
	if (send_pattern(6, 10, 7) || send_pattern(6, 20, 8))
		return ckpt_report_fail("datagram back");

	if (pair_at(SOCK_SEQPACKET, 7, 8))
		return ckpt_report_fail("seqpacket pair");
	for (i = 0, from = 0; i < (int)ARRAY_SIZE(packet_len); i++) {
		if (send_pattern(7, packet_len[i], from))
			return ckpt_report_fail("packet");
		from += packet_len[i];
	}
	if (shutdown(7, SHUT_WR))
		return ckpt_report_fail("shutdown");

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    send(sv[1], "last words", 10, 0) != 10 || close(sv[1]) ||
	    move_fd(sv[0], 9) < 0)
		return ckpt_report_fail("closed peer");
	if (move_fd(socket(AF_UNIX, SOCK_DGRAM, 0), 10) < 0 ||
	    setint(10, SO_PASSCRED, 1))
		return ckpt_report_fail("unconnected");
	if (pair_at(SOCK_STREAM, 11, 12) || setint(12, SO_PASSCRED, 1))
		return ckpt_report_fail("passcred pair");
	return 0;
}

/* After restart: what each queue holds, and that each pair still talks */
static int check_pairs(void)
{
	unsigned long from;
	char buf[32];
	int i;

	/* 500 bytes were peeked: the next peek goes on after them */
	if (expect_pattern(4, 100, 1500, MSG_PEEK))
		return ckpt_report_fail("peek offset");
	if (expect_pattern(4, 69000, 1000, 0) ||
	    expect_pattern(3, 5000, 1 << 20, 0))
		return ckpt_report_fail("stream data");
	for (i = 0, from = 0; i < (int)ARRAY_SIZE(dgram_len); i++) {
		if (expect_msg(6, dgram_len[i], from))
			return ckpt_report_fail("datagram boundaries");
		from += dgram_len[i];
	}
	if (expect_msg(5, 10, 7) || expect_msg(5, 20, 8))
		return ckpt_report_fail("datagrams back");
	for (i = 0, from = 0; i < (int)ARRAY_SIZE(packet_len); i++) {
		if (expect_msg(8, packet_len[i], from))
			return ckpt_report_fail("packet boundaries");
		from += packet_len[i];
	}
	if (recv(8, buf, sizeof(buf), MSG_DONTWAIT) != 0)
		return ckpt_report_fail("seqpacket end of data");
	if (send(7, "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		return ckpt_report_fail("seqpacket shut down for writing");
	if (recv(9, buf, sizeof(buf), MSG_DONTWAIT) != 10 ||
	    memcmp(buf, "last words", 10) ||
	    recv(9, buf, sizeof(buf), MSG_DONTWAIT) != 0)
		return ckpt_report_fail("closed peer's data");
	/* every pair still carries data both ways */
	if (send_pattern(3, 3, 9) || expect_pattern(4, 3, 9, 0) ||
	    send_pattern(4, 3, 9) || expect_pattern(14, 3, 9, 0) ||
	    send_pattern(5, 4, 2) || expect_msg(6, 4, 2) ||
	    send_pattern(6, 4, 2) || expect_msg(5, 4, 2) ||
	    send_pattern(8, 5, 1) || expect_msg(7, 5, 1) ||
	    send_pattern(11, 6, 3) || expect_pattern(12, 6, 3, 0) ||
	    send_pattern(12, 6, 3) || expect_pattern(11, 6, 3, 0))
		return ckpt_report_fail("pairs after restart");
	return 0;
}

static pid_t child;
static int child_go;

static void on_usr2(int sig)
{
	__atomic_store_n(&child_go, 1, __ATOMIC_SEQ_CST);
}

/*
 * The child, at fd 4: after SIGUSR2 it checks what was queued to it and
 * its peer credentials (its parent made the pair), and answers "ok".
 */
static void child_main(int ready)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	if (send_pattern(4, 2000, 77))
		_exit(1);
	close(ready);
	while (!__atomic_load_n(&child_go, __ATOMIC_SEQ_CST))
		usleep(20000);
	if (expect_pattern(4, 3000, 5, 0) ||
	    getsockopt(4, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.pid != getppid() || cred.uid != getuid()) {
		send(4, "no", 2, 0);
		_exit(1);
	}
	send(4, "ok", 2, 0);
	_exit(0);
}

static int setup_fork(void)
{
	int ready[2];
	char c;

	if (pair_at(SOCK_STREAM, 3, 4) || pipe(ready))
		return ckpt_report_fail("fork pair");
	child = fork();
	if (child < 0)
		return ckpt_report_fail("fork");
	if (!child) {
		close(3);
		close(ready[0]);
		child_main(ready[1]);
	}
	close(4);
	close(ready[1]);
	/* the child closed its end: its bytes are queued */
	if (read(ready[0], &c, 1) != 0)
		return ckpt_report_fail("child setup");
	close(ready[0]);
	if (send_pattern(3, 3000, 5))
		return ckpt_report_fail("fork data");
	return 0;
}

static int check_fork(void)
{
	char buf[2];
	int status;

	if (expect_pattern(3, 2000, 77, 0))
		return ckpt_report_fail("data from the child");
	if (kill(child, SIGUSR2))
		return ckpt_report_fail("kill");
	if (recv(3, buf, 2, MSG_WAITALL) != 2 || memcmp(buf, "ok", 2))
		return ckpt_report_fail("child's checks");
	if (waitpid(child, &status, 0) != child || status)
		return ckpt_report_fail("child's exit");
	return 0;
}

/* A socket of @type bound to @name (@len bytes), listening if @backlog */
static int bound_at(int type, const char *name, size_t len, int backlog,
		    int at)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	memcpy(sun.sun_path, name, len);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun,
			   offsetof(struct sockaddr_un, sun_path) + len) ||
	    (backlog && listen(fd, backlog)))
		return -1;
	return move_fd(fd, at);
}

/* A socket of @type connected to @name (@len bytes), at @at */
static int connected_at(int type, const char *name, size_t len, int at)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	memcpy(sun.sun_path, name, len);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun,
			      offsetof(struct sockaddr_un, sun_path) + len))
		return -1;
	return move_fd(fd, at);
}

#define LISTEN_SOCK "listen.sock"

static int setup_named(void)
{
	int fd;

	umask(022);
	mkdir("/tmp/st-named", 0755);
	if (chdir("/tmp/st-named"))
		return ckpt_report_fail("chdir");
	unlink(LISTEN_SOCK);
	if (bound_at(SOCK_STREAM, LISTEN_SOCK, sizeof(LISTEN_SOCK), 7, 3) < 0 ||
	    chmod(LISTEN_SOCK, 0604))
		return ckpt_report_fail("listener");
	/* SO_KEEPALIVE does nothing on a Unix socket, but servers set it */
	if (connected_at(SOCK_STREAM, LISTEN_SOCK, sizeof(LISTEN_SOCK), 6) < 0 ||
	    move_fd(accept(3, NULL, NULL), 7) < 0 || setint(7, SO_KEEPALIVE, 1) ||
	    send_pattern(6, 2000, 11) || send_pattern(7, 1000, 22))
		return ckpt_report_fail("accepted connection");
	if (connected_at(SOCK_STREAM, LISTEN_SOCK, sizeof(LISTEN_SOCK), 4) < 0 ||
	    send_pattern(4, 3000, 33))
		return ckpt_report_fail("pending connection");
	fd = connected_at(SOCK_STREAM, LISTEN_SOCK, sizeof(LISTEN_SOCK), 100);
	if (fd < 0 || send(fd, "bye", 3, 0) != 3 || close(fd))
		return ckpt_report_fail("closed pending connection");
	if (bound_at(SOCK_DGRAM, "\0st-dgram", 9, 0, 8) < 0)
		return ckpt_report_fail("abstract datagram socket");
	if (bound_at(SOCK_SEQPACKET, "\0st-seq", 7, 2, 9) < 0 ||
	    connected_at(SOCK_SEQPACKET, "\0st-seq", 7, 10) < 0 ||
	    send_pattern(10, packet_len[0], 0) ||
	    send_pattern(10, packet_len[1], packet_len[0]))
		return ckpt_report_fail("seqpacket listener");
	if (pair_at(SOCK_DGRAM, 11, 12))
		return ckpt_report_fail("datagram pair");
	/* autobind: an abstract name the kernel picks */
	if (bind(11, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX },
		 sizeof(sa_family_t)) || send_pattern(11, 50, 44))
		return ckpt_report_fail("autobind");
	return 0;
}

/* Accept a connection on @lfd, without waiting for one */
static int accept_nb(int lfd)
{
	if (fcntl(lfd, F_SETFL, O_NONBLOCK))
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
}

static int check_named(void)
{
	struct sockaddr_un from, name;
	socklen_t flen = sizeof(from), nlen = sizeof(name);
	unsigned char buf[64];
	int a, fd;

	/* in the order they connected */
	a = accept_nb(3);
	if (a < 0 || expect_pattern(a, 3000, 33, 0) ||
	    send(a, "hi", 2, 0) != 2 || recv(4, buf, 2, MSG_DONTWAIT) != 2 ||
	    memcmp(buf, "hi", 2))
		return ckpt_report_fail("pending connection");
	close(a);
	a = accept_nb(3);
	if (a < 0 || recv(a, buf, sizeof(buf), MSG_DONTWAIT) != 3 ||
	    memcmp(buf, "bye", 3) || recv(a, buf, sizeof(buf), 0) != 0)
		return ckpt_report_fail("closed pending connection");
	close(a);
	if (accept_nb(3) != -1 || errno != EAGAIN)
		return ckpt_report_fail("no more pending connections");
	if (expect_pattern(7, 2000, 11, 0) || expect_pattern(6, 1000, 22, 0))
		return ckpt_report_fail("accepted connection's data");
	/* the listener is found by its name again */
	fd = connected_at(SOCK_STREAM, LISTEN_SOCK, sizeof(LISTEN_SOCK), 20);
	a = accept_nb(3);
	if (fd < 0 || a < 0 || send(fd, "new", 3, 0) != 3 ||
	    recv(a, buf, sizeof(buf), MSG_DONTWAIT) != 3 ||
	    memcmp(buf, "new", 3))
		return ckpt_report_fail("new connection by path");
	close(a);
	close(fd);
	a = accept_nb(9);
	if (a < 0 || expect_msg(a, packet_len[0], 0) ||
	    expect_msg(a, packet_len[1], packet_len[0]))
		return ckpt_report_fail("seqpacket pending connection");
	close(a);
	fd = connected_at(SOCK_SEQPACKET, "\0st-seq", 7, 20);
	a = accept_nb(9);
	if (fd < 0 || a < 0)
		return ckpt_report_fail("new seqpacket connection by name");
	close(a);
	close(fd);
	/* the sender's name comes with the datagram */
	memset(&from, 0, sizeof(from));
	memset(&name, 0, sizeof(name));
	if (recvfrom(12, buf, sizeof(buf), MSG_DONTWAIT,
		     (struct sockaddr *)&from, &flen) != 50 ||
	    getsockname(11, (struct sockaddr *)&name, &nlen) ||
	    flen != nlen || memcmp(&from, &name, flen) || flen < 3)
		return ckpt_report_fail("sender's name");
	fd = connected_at(SOCK_DGRAM, "\0st-dgram", 9, 20);
	if (fd < 0 || send(fd, "ping", 4, 0) != 4 ||
	    recv(8, buf, sizeof(buf), MSG_DONTWAIT) != 4 ||
	    memcmp(buf, "ping", 4))
		return ckpt_report_fail("datagram by name");
	close(fd);
	return 0;
}

/* The name of @fd, or its peer's: '@' for each NUL */
static void name_of(int fd, int peer, char *out, size_t size)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	size_t i, n = 0;
	int ret;

	memset(&sun, 0, sizeof(sun));
	if (peer)
		ret = getpeername(fd, (struct sockaddr *)&sun, &len);
	else
		ret = getsockname(fd, (struct sockaddr *)&sun, &len);
	if (ret || len <= offsetof(struct sockaddr_un, sun_path)) {
		snprintf(out, size, "%s", ret ? "-" : "none");
		return;
	}
	len -= offsetof(struct sockaddr_un, sun_path);
	for (i = 0; i < len && n + 1 < size; i++)
		out[n++] = sun.sun_path[i] ? sun.sun_path[i] : '@';
	out[n] = '\0';
}

/* The names of socket @fd, whether it listens, and its socket file */
static void describe_names(const char *when, int fd)
{
	char name[128], peer[128];
	struct stat st;
	socklen_t len = sizeof(int);
	int acc = -1, keep = -1;

	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len);
	getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &keep, &len);
	name_of(fd, 0, name, sizeof(name));
	name_of(fd, 1, peer, sizeof(peer));
	ckpt_report("%s fd %d name %s peer %s listening %d keepalive %d\n",
		    when, fd, name, peer, acc, keep);
	if (name[0] != '@' && strcmp(name, "none") && !stat(name, &st))
		ckpt_report("%s fd %d file ino %lu mode %o uid %u\n", when, fd,
			    (unsigned long)st.st_ino, st.st_mode, st.st_uid);
}

/* One line per descriptor: what getsockopt() and ioctl() tell */
static void describe(const char *when)
{
	struct ucred cred;
	struct stat st[64];
	struct timeval rt, stt;
	int i, j, same, type, sndbuf, rcvbuf, pass, peek, lowat, prio, inq,
	    outq, fl, n;
	char line[512];
	socklen_t len;

	for (i = 0; i < 64; i++) {
		if (fstat(i, &st[i]) || !S_ISSOCK(st[i].st_mode)) {
			st[i].st_mode = 0;
			continue;
		}
		same = i;
		for (j = 0; j < i; j++)
			if (st[j].st_mode && st[j].st_ino == st[i].st_ino) {
				same = j;
				break;
			}
		len = sizeof(int);
		getsockopt(i, SOL_SOCKET, SO_TYPE, &type, &len);
		getsockopt(i, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
		getsockopt(i, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len);
		getsockopt(i, SOL_SOCKET, SO_PASSCRED, &pass, &len);
		getsockopt(i, SOL_SOCKET, SO_PEEK_OFF, &peek, &len);
		getsockopt(i, SOL_SOCKET, SO_RCVLOWAT, &lowat, &len);
		getsockopt(i, SOL_SOCKET, SO_PRIORITY, &prio, &len);
		len = sizeof(rt);
		getsockopt(i, SOL_SOCKET, SO_RCVTIMEO, &rt, &len);
		getsockopt(i, SOL_SOCKET, SO_SNDTIMEO, &stt, &len);
		len = sizeof(cred);
		memset(&cred, 0, sizeof(cred));
		getsockopt(i, SOL_SOCKET, SO_PEERCRED, &cred, &len);
		if (ioctl(i, SIOCINQ, &inq))
			inq = -1;
		/* how much memory the bytes take is the kernel's business */
		if (ioctl(i, SIOCOUTQ, &outq))
			outq = -1;
		else
			outq = !!outq;
		fl = fcntl(i, F_GETFL);
		n = snprintf(line, sizeof(line),
			     "fd %d socket-of-fd %d flags %#o type %d", i, same,
			     fl, type);
		n += snprintf(line + n, sizeof(line) - n,
			      " sndbuf %d rcvbuf %d passcred %d peek-off %d",
			      sndbuf, rcvbuf, pass, peek);
		n += snprintf(line + n, sizeof(line) - n,
			      " rcvlowat %d priority %d rcvtimeo %ld.%06ld",
			      lowat, prio, (long)rt.tv_sec, (long)rt.tv_usec);
		snprintf(line + n, sizeof(line) - n,
			 " sndtimeo %ld.%06ld peer %d %u %u inq %d outq-nonzero %d",
			 (long)stt.tv_sec, (long)stt.tv_usec, cred.pid,
			 cred.uid, cred.gid, inq, outq);
		ckpt_report("%s %s\n", when, line);
		describe_names(when, i);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *what;
	int ret;

	if (argc != 3)
		return 2;
	ckpt_report_path = argv[1];
	what = argv[2];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);

	if (!strcmp(what, "pairs"))
		ret = setup_pairs();
	else if (!strcmp(what, "fork"))
		ret = setup_fork();
	else if (!strcmp(what, "named"))
		ret = setup_named();
	else
		return 2;
	if (ret)
		return 1;
	describe("before");
	ckpt_report("ready\n");
	/* not pause(): SIGUSR1 may come just before it */
	while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
		usleep(20000);
	describe("after");
	if (!strcmp(what, "pairs"))
		ret = check_pairs();
	else if (!strcmp(what, "named"))
		ret = check_named();
	else
		ret = check_fork();
	if (!ret)
		ckpt_report("checks ok\n");
	return ret;
}
