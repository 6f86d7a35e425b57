# SPDX-License-Identifier: GPL-2.0
"""Debian's python3 with an asyncio event loop, for the real-programs suite.

usage: python3 py_asyncio.py ROUNDS
       python3 py_asyncio.py --files   (the module files it imports)

Parent and child share a Unix stream socketpair.  The child writes the
numbers 0, 1, 2... into it, one every 20 ms.  The parent runs an asyncio
loop (epoll, and the socketpair asyncio wakes itself with) that reads
them through a StreamReader, checks that every number comes once and in
order, prints a round and sends its sum back after each ten, while a
second task ticks on asyncio.sleep().  The child checks every sum it
gets back, and its exit status says whether they all came right.  The
output does not depend on timing: a lost or doubled byte changes it.
"""
import asyncio
import os
import socket
import sys
import time

PER_ROUND = 10


def child(rounds, sock):
    sums = []
    total = 0
    for i in range(rounds * PER_ROUND):
        sock.sendall(b'%d\n' % i)
        total += i
        if i % PER_ROUND == PER_ROUND - 1:
            sums.append(total)
        time.sleep(0.02)
    sock.shutdown(socket.SHUT_WR)
    got = b''
    while True:
        data = sock.recv(4096)
        if not data:
            break
        got += data
    want = b''.join(b'%d\n' % s for s in sums)
    os._exit(0 if got == want else 1)


async def ticker(state):
    while not state['done']:
        await asyncio.sleep(0.01)
        state['ticks'] += 1


async def serve(sock, rounds):
    reader, writer = await asyncio.open_unix_connection(sock=sock)
    state = {'done': False, 'ticks': 0}
    tick = asyncio.create_task(ticker(state))
    expect = 0
    total = 0
    while True:
        line = await reader.readline()
        if not line:
            break
        n = int(line)
        if n != expect:
            print('number %d, expected %d' % (n, expect))
        expect = n + 1
        total += n
        if expect % PER_ROUND == 0:
            print('round %d sum %d' % (expect // PER_ROUND, total),
                  flush=True)
            writer.write(b'%d\n' % total)
            await writer.drain()
    writer.close()
    await writer.wait_closed()
    state['done'] = True
    await tick
    return expect, state['ticks'] > 0


def main():
    if sys.argv[1:] == ['--files']:
        asyncio.run(asyncio.sleep(0))
        for mod in list(sys.modules.values()):
            name = getattr(mod, '__file__', None)
            if name:
                print(name)
        return
    rounds = int(sys.argv[1])
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        child(rounds, theirs)
    theirs.close()
    numbers, ticked = asyncio.run(serve(ours, rounds))
    _, status = os.waitpid(pid, 0)
    print('numbers %d, ticked %s, child exit %d' %
          (numbers, ticked, os.waitstatus_to_exitcode(status)), flush=True)


main()
