# SPDX-License-Identifier: GPL-2.0
"""Debian's python3 running an asyncio server on a Unix socket path,
for the real-programs suite.

usage: python3 py_unix_server.py ROUNDS
       python3 py_unix_server.py --files   (the module files it imports)

The parent serves asyncio.start_unix_server() on a path.  A child
connects to it by that path once it is there and sends the numbers 0, 1, 2..., one every
20 ms; the server checks that each comes once and in order, prints a
round and sends the sum back after each ten.  In each round the child
also opens a second connection, asks for the round count and closes
it, so that connections keep being accepted.  The child checks every
answer and its exit status says whether they all came right.
"""
import asyncio
import os
import socket
import sys
import time

PATH = '/tmp/real-unix-server.sock'
PER_ROUND = 10


def ask(question):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(PATH)
    s.sendall(question)
    s.shutdown(socket.SHUT_WR)
    got = b''
    while True:
        data = s.recv(4096)
        if not data:
            break
        got += data
    s.close()
    return got


def child(rounds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(400):
        try:
            s.connect(PATH)
            break
        except OSError:
            time.sleep(0.05)
    f = s.makefile('rb')
    ok = True
    total = 0
    for i in range(rounds * PER_ROUND):
        s.sendall(b'%d\n' % i)
        total += i
        if i % PER_ROUND == PER_ROUND - 1:
            ok = ok and f.readline() == b'%d\n' % total
            ok = ok and ask(b'rounds?\n') == b'%d\n' % ((i + 1) // PER_ROUND)
        time.sleep(0.02)
    s.close()
    os._exit(0 if ok else 1)


async def serve(rounds):
    state = {'rounds': 0, 'numbers': 0, 'asked': 0}
    done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        line = await reader.readline()
        if line == b'rounds?\n':
            state['asked'] += 1
            writer.write(b'%d\n' % state['rounds'])
            await writer.drain()
            writer.close()
            return
        expect = 0
        total = 0
        while line:
            n = int(line)
            if n != expect:
                print('number %d, expected %d' % (n, expect))
            expect = n + 1
            total += n
            if expect % PER_ROUND == 0:
                state['rounds'] = expect // PER_ROUND
                print('round %d sum %d' % (state['rounds'], total),
                      flush=True)
                writer.write(b'%d\n' % total)
                await writer.drain()
            line = await reader.readline()
        state['numbers'] = expect
        writer.close()
        done.set_result(None)

    server = await asyncio.start_unix_server(handle, path=PATH)
    await done
    server.close()
    await server.wait_closed()
    return state


def main():
    if sys.argv[1:] == ['--files']:
        asyncio.run(asyncio.sleep(0))
        for mod in list(sys.modules.values()):
            name = getattr(mod, '__file__', None)
            if name:
                print(name)
        return
    rounds = int(sys.argv[1])
    if os.path.exists(PATH):
        os.unlink(PATH)
    # the child connects once the server is up
    pid = os.fork()
    if pid == 0:
        child(rounds)
    state = asyncio.run(serve(rounds))
    _, status = os.waitpid(pid, 0)
    print('numbers %d, asked %d, child exit %d' %
          (state['numbers'], state['asked'],
           os.waitstatus_to_exitcode(status)), flush=True)


main()
