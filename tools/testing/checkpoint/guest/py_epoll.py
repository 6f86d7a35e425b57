# SPDX-License-Identifier: GPL-2.0
"""Debian's python3 with an epoll event loop, for the real-programs suite.

usage: python3 py_epoll.py ROUNDS
       python3 py_epoll.py --files   (the module files it imports)

A child writes the numbers 0, 1, 2... into a pipe, one every 20 ms, and
after each ten adds 1 to an eventfd it shares with its parent.  The
parent waits in epoll: on the pipe (level-triggered) and on the eventfd
(edge-triggered, with its data the round it stands for).  It checks
that every number comes once and in order, and prints a round once the
eventfd has counted it and its ten numbers are in.  The output does not
depend on timing: a lost or doubled event or number changes it.
"""
import os
import select
import sys

PER_ROUND = 10


def child(rounds, w, efd):
    import time
    for i in range(rounds * PER_ROUND):
        os.write(w, b'%d\n' % i)
        if i % PER_ROUND == PER_ROUND - 1:
            os.eventfd_write(efd, 1)
        time.sleep(0.02)
    os._exit(0)


def main():
    if sys.argv[1:] == ['--files']:
        for mod in list(sys.modules.values()):
            name = getattr(mod, '__file__', None)
            if name:
                print(name)
        return
    rounds = int(sys.argv[1])
    r, w = os.pipe()
    efd = os.eventfd(0, os.EFD_NONBLOCK)
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child(rounds, w, efd)
    os.close(w)
    ep = select.epoll()
    ep.register(r, select.EPOLLIN)
    ep.register(efd, select.EPOLLIN | select.EPOLLET)
    expect = 0
    total = 0
    sums = []
    counted = 0
    printed = 0
    partial = b''
    eof = False
    while not eof or printed < counted:
        for fd, ev in sorted(ep.poll(5.0)):
            if fd == r:
                data = os.read(r, 4096)
                if not data:
                    eof = True
                    ep.unregister(r)
                    continue
                lines = (partial + data).split(b'\n')
                partial = lines.pop()
                for line in lines:
                    n = int(line)
                    if n != expect:
                        print('number %d, expected %d' % (n, expect))
                    expect = n + 1
                    total += n
                    if expect % PER_ROUND == 0:
                        sums.append(total)
            elif fd == efd:
                try:
                    while True:
                        counted += os.eventfd_read(efd)
                except BlockingIOError:
                    pass
        while printed < min(counted, len(sums)):
            print('round %d sum %d' % (printed + 1, sums[printed]), flush=True)
            printed += 1
        if eof and printed == len(sums) and counted < len(sums):
            print('eventfd counted %d of %d rounds' % (counted, len(sums)))
            break
    _, status = os.waitpid(pid, 0)
    print('numbers %d, rounds %d, child exit %d' %
          (expect, printed, os.waitstatus_to_exitcode(status)), flush=True)


main()
