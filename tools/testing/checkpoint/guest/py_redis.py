# SPDX-License-Identifier: GPL-2.0
"""Debian's redis-server with a client over a Unix socket, for the
real-programs suite.

usage: python3 py_redis.py ROUNDS
       python3 py_redis.py --files   (the module files it imports)

This script starts redis-server (no TCP port, a Unix socket, nothing
saved to disk), connects to it once and keeps that connection.  Each
round it sets ten keys, pushes ten numbers on a list and adds them to a
counter, then reads back every key set so far, the list and the
counter, and prints a line.  After the last round a second client
connects by the socket's path, reads the counter, and the first shuts
the server down.  Every value read is checked, so a key that is lost or
changed makes the output differ.
"""
import os
import socket
import sys
import time

SOCK = '/tmp/real-redis.sock'
PER_ROUND = 10


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.f = self.sock.makefile('rb')

    def reply(self):
        line = self.f.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b'+':
            return rest.decode()
        if kind == b'-':
            raise RuntimeError(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2].decode()
        if kind == b'*':
            return [self.reply() for _ in range(int(rest))]
        raise RuntimeError('bad reply %r' % line)

    def cmd(self, *args):
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        out = b'*%d\r\n' % len(args)
        for a in args:
            out += b'$%d\r\n%s\r\n' % (len(a), a)
        self.sock.sendall(out)
        return self.reply()


def start_server():
    if os.path.exists(SOCK):
        os.unlink(SOCK)
    pid = os.fork()
    if pid == 0:
        null = os.open('/dev/null', os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.execv('/usr/bin/redis-server',
                 ['redis-server', '--port', '0', '--unixsocket', SOCK,
                  '--unixsocketperm', '700', '--save', '',
                  '--appendonly', 'no', '--daemonize', 'no',
                  '--logfile', '/tmp/real-redis.log'])
    for _ in range(400):
        try:
            return pid, Client(SOCK)
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('redis-server did not come up')


def check(c, rounds):
    """Read back everything set in @rounds rounds; a count of what is wrong"""
    bad = 0
    n = rounds * PER_ROUND
    for k in range(n):
        if c.cmd('GET', 'key:%d' % k) != 'value-%d' % (k * k):
            bad += 1
    if c.cmd('LRANGE', 'list', 0, -1) != [str(k) for k in range(n)]:
        bad += 1
    if c.cmd('GET', 'total') != str(n * (n - 1) // 2):
        bad += 1
    return bad


def main():
    if sys.argv[1:] == ['--files']:
        for mod in list(sys.modules.values()):
            name = getattr(mod, '__file__', None)
            if name:
                print(name)
        return
    rounds = int(sys.argv[1])
    pid, c = start_server()
    print('server %s' % c.cmd('PING'), flush=True)
    for r in range(rounds):
        for i in range(PER_ROUND):
            k = r * PER_ROUND + i
            c.cmd('SET', 'key:%d' % k, 'value-%d' % (k * k))
            c.cmd('RPUSH', 'list', k)
            c.cmd('INCRBY', 'total', k)
        bad = check(c, r + 1)
        print('round %d keys %d total %s bad %d' %
              (r + 1, c.cmd('DBSIZE'), c.cmd('GET', 'total'), bad),
              flush=True)
        time.sleep(0.1)
    other = Client(SOCK)
    print('second client reads total %s' % other.cmd('GET', 'total'))
    other.sock.close()
    try:
        c.cmd('SHUTDOWN', 'NOSAVE')
    except (OSError, RuntimeError):
        pass
    _, status = os.waitpid(pid, 0)
    print('server exit %d' % os.waitstatus_to_exitcode(status), flush=True)


main()
