#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo: a computation is checkpointed in the middle, killed,
# restarted from its image, and finishes with the result of a run that
# was never interrupted.
set -e
rounds=40
mb=16

echo "== 1. an uninterrupted run of ckpt_workload ($rounds rounds over $mb MiB, FPU too)"
ckpt_workload $rounds $mb >/tmp/plain.out
want=$(grep '^result' /tmp/plain.out)
echo "   $want"

echo "== 2. the same run, checkpointed after round 10 and killed"
ckpt_workload $rounds $mb >/tmp/run.out &
pid=$!
while ! grep -q '^round 10$' /tmp/run.out 2>/dev/null; do sleep 0.05; done
checkpoint --kill -o /tmp/demo.img "$pid"
rounds=$(grep -c '^round' /tmp/run.out)
results=$(grep -c '^result' /tmp/run.out || true)
echo "   it printed: $rounds rounds, $results results"

echo "== 3. ckptinfo /tmp/demo.img (without the page batches)"
ckptinfo /tmp/demo.img | grep -v ' pages  '

echo "== 4. restart -i /tmp/demo.img"
restart -i /tmp/demo.img >/tmp/restored.out
tail -n 3 /tmp/restored.out | sed 's/^/   /'
got=$(grep '^result' /tmp/restored.out)
if [ "$got" = "$want" ] && grep -q "^pid $pid\$" /tmp/restored.out; then
	echo "== DEMO OK: same result, same pid $pid, after checkpoint, kill and restart"
else
	echo "== DEMO FAILED: wanted '$want', got '$got'"
	exit 1
fi
