#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the QEMU accelerator to use: tcg, or kvm when the CPU has
# vmx/svm, /dev/kvm is usable and a probe boot finishes (KVM hangs at
# boot on some machines).  The answer is cached in LOGDIR/../accel.
# CKPT_ACCEL=tcg|kvm overrides.
#
# usage: accel.sh BZIMAGE INITRD LOGDIR
kernel=$1 initrd=$2 logdir=$3
cache=$logdir/../accel
if [ -n "${CKPT_ACCEL:-}" ]; then
	echo "$CKPT_ACCEL"
	exit 0
fi
if [ -f "$cache" ]; then
	cat "$cache"
	exit 0
fi
accel=tcg
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	if timeout -k 2 20 qemu-system-x86_64 -nodefaults -no-reboot -nographic \
		-serial stdio -bios /usr/share/qemu/qboot.rom -accel kvm -cpu host \
		-m 512 -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 ckpt.mode=probe" </dev/null 2>&1 |
		grep -aq '^CKPT-END'; then
		accel=kvm
	fi
fi
echo "$accel" >"$cache"
echo "$accel"
