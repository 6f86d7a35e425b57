#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo: a computation checkpointed in the middle, killed and
# restarted from its image finishes with the result of a run that
# was never interrupted: same memory and FPU state, the same message
# still in its pipe, the same SysV shared memory, message, semaphore
# value and semaphore undo adjustment, its helper child (waiting in
# read() all along) answering with the same pid, and its log file
# (opened O_APPEND) carrying on.
set -e
rounds=40
mb=16

echo "== 1. an uninterrupted run of ckpt_workload ($rounds rounds over $mb MiB, FPU, a pipe,"
echo "      a SysV shared memory segment, message queue, semaphore and undo list,"
echo "      and a helper child)"
ckpt_workload $rounds $mb >/tmp/plain.out
want=$(grep '^result' /tmp/plain.out)
wantpipe=$(grep '^pipe held' /tmp/plain.out)
wantipc=$(grep '^ipc ' /tmp/plain.out)
wanthelper=$(sed -n 's/^helper [0-9]* //p' /tmp/plain.out)
echo "   $want"
echo "   $wantpipe"
echo "   $wantipc"
echo "   helper $wanthelper"

echo "== 2. the same run, logging to /tmp/run.log (O_APPEND),"
echo "      checkpointed after round 10 and killed"
rm -f /tmp/run.log
ckpt_workload $rounds $mb >>/tmp/run.log &
pid=$!
while ! grep -q '^round 10$' /tmp/run.log 2>/dev/null; do sleep 0.05; done
checkpoint --kill -o /tmp/demo.img "$pid"
rounds=$(grep -c '^round' /tmp/run.log)
results=$(grep -c '^result' /tmp/run.log || true)
echo "   it logged: $rounds rounds, $results results"
echo "restarting from /tmp/demo.img" >>/tmp/run.log

echo "== 3. ckptinfo /tmp/demo.img (without the page batches)"
ckptinfo /tmp/demo.img | grep -v ' pages  '

echo "== 4. restart -i /tmp/demo.img: it goes on writing to its log"
restart -i /tmp/demo.img
sed -n '/^restarting/,$p' /tmp/run.log | tail -n 5 | sed 's/^/   /'
got=$(grep '^result' /tmp/run.log)
gotpipe=$(grep '^pipe held' /tmp/run.log)
gotipc=$(grep '^ipc ' /tmp/run.log)
hpid=$(sed -n 's/^started pid [0-9]* helper \([0-9]*\)$/\1/p' /tmp/run.log)
gothelper=$(sed -n "s/^helper $hpid //p" /tmp/run.log)
if [ "$got" = "$want" ] && [ "$gotpipe" = "$wantpipe" ] &&
   [ "$gotipc" = "$wantipc" ] && [ -n "$hpid" ] &&
   [ "$gothelper" = "$wanthelper" ] &&
   grep -q "^pid $pid\$" /tmp/run.log &&
   [ "$(grep -c '^round' /tmp/run.log)" = 40 ]; then
	echo "== DEMO OK: same result, same pipe message, same IPC objects, same pid $pid,"
	echo "   the same helper $hpid answering, one log, after checkpoint, kill and restart"
else
	echo "== DEMO FAILED: wanted '$want' '$wantpipe' '$wantipc' '$wanthelper',"
	echo "   got '$got' '$gotpipe' '$gotipc' helper $hpid '$gothelper'"
	exit 1
fi
