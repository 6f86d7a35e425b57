# SPDX-License-Identifier: GPL-2.0
"""Debian's python3 with threads, for the real-programs suite.

usage: python3 py_threads.py ROUNDS
       python3 py_threads.py --files   (the module files it imports)

Four worker threads compute a chain of numbers, each round under a lock
and a condition variable, and sleep between rounds; the main thread
waits on the condition (with a timeout) for each round and prints it.
The output does not depend on timing, except the "tids" line, which
says whether every thread has the same tid at the end as at its start.
"""
import sys
import threading
import time

NTHREADS = 4


def main():
    if sys.argv[1:] == ['--files']:
        for mod in list(sys.modules.values()):
            name = getattr(mod, '__file__', None)
            if name:
                print(name)
        return
    rounds = int(sys.argv[1])
    cond = threading.Condition(threading.Lock())
    done = [0] * NTHREADS
    sums = [0] * NTHREADS
    tids = [None] * NTHREADS
    same = [False] * NTHREADS

    def worker(i):
        tids[i] = threading.get_native_id()
        x = i + 1
        for r in range(rounds):
            for _ in range(3000):
                x = (x * 1103515245 + 12345) % 2147483648
            with cond:
                sums[i] = (sums[i] * 31 + x) % 1000000007
                done[i] = r + 1
                cond.notify_all()
            time.sleep(0.02 * (i + 1))
        same[i] = tids[i] == threading.get_native_id()

    threads = [threading.Thread(target=worker, args=(i,), name='worker%d' % i)
               for i in range(NTHREADS)]
    for t in threads:
        t.start()
    for r in range(1, rounds + 1):
        with cond:
            while min(done) < r:
                cond.wait(timeout=0.5)
        print('round', r, flush=True)
    for t in threads:
        t.join()
    print('tids', 'kept' if all(same) else 'changed', flush=True)
    print('result', ' '.join(str(s) for s in sums), flush=True)


main()
