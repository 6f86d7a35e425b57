#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest init: mount the usual file systems, then do what ckpt.mode= on
# the kernel command line says, and reboot (tinyconfig has no ACPI
# poweroff; QEMU runs with -no-reboot, so a reboot ends it).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
mount -t proc none /proc
mount -t sysfs none /sys
mount -t devtmpfs none /dev 2>/dev/null
mkdir -p /dev/shm /dev/pts
mount -t tmpfs -o mode=1777 none /tmp
mount -t devpts -o ptmxmode=0666 none /dev/pts
# an ext2 file system on a RAM disk, for O_DIRECT (tmpfs has none in 6.1)
mkdir -p /direct
mke2fs -q /dev/ram0 2>/dev/null && mount -t ext2 /dev/ram0 /direct
mount -t tmpfs -o mode=1777 none /dev/shm
mount -t cgroup2 none /sys/fs/cgroup
ip link set lo up 2>/dev/null
echo 1 > /proc/sys/kernel/panic_on_oops 2>/dev/null

mode=$(sed -n 's/.*ckpt\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "CKPT-BOOTED mode=$mode kernel=$(uname -r)"
case "$mode" in
check)
	/selftests/run_tests.sh
	;;
run)
	/selftests/demo.sh
	echo "CKPT-EXIT=$?"
	;;
bench)
	ckpt_bench
	echo "CKPT-EXIT=$?"
	;;
vmrun)
	cd /extra && sh /extra/.vmrun-script
	echo "CKPT-EXIT=$?"
	;;
shell)
	echo "Checkpoint/restart guest shell; tools: checkpoint restart ckptinfo;"
	echo "selftests in /selftests.  'exit' ends the guest."
	setsid cttyhack sh -l
	;;
*)
	echo "unknown ckpt.mode '$mode'"
	;;
esac
echo "CKPT-END"
sync
reboot -f
