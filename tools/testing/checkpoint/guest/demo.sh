#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo: a workload is frozen and checkpointed, and its image decoded.
set -e
echo "== start a workload that counts in a loop"
sh -c 'i=0; while :; do i=$((i+1)); done' &
pid=$!
sleep 1
echo "== checkpoint pid $pid (freeze, write the image, thaw)"
checkpoint -o /tmp/demo.img "$pid"
echo "== ckptinfo /tmp/demo.img"
ckptinfo /tmp/demo.img
echo "== restart --validate: the kernel checks every record and the CRC"
restart --validate -i /tmp/demo.img
echo "== the workload is still running:"
grep -E '^(Name|State|Pid)' /proc/$pid/status
kill $pid
echo "== demo done"
