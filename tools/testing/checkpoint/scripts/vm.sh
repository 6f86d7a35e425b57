#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the checkpoint/restart guest under QEMU.
#
# usage: vm.sh --mode check|run|shell|vmrun --kernel BZIMAGE --initrd CPIO
#              --logdir DIR [--log FILE] [--timeout SECONDS]
#              [--script FILE] [--files DIR]
#
# The serial console is shown and kept in a log.  The run fails when the
# kernel reports BUG/WARNING/Oops/panic/Call Trace, when the guest does
# not reach its end, or on timeout (the guest is killed).  In vmrun, run
# and bench modes the exit status is the script's.
set -uo pipefail
mode= kernel= initrd= logdir= log= timeout=900 script= files=
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) mode=$2 ;;
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--logdir) logdir=$2 ;;
	--log) log=$2 ;;
	--timeout) timeout=$2 ;;
	--script) script=$2 ;;
	--files) files=$2 ;;
	*) echo "vm.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift 2
done
here=$(dirname "$(readlink -f "$0")")
mkdir -p "$logdir"
[ -n "$log" ] || log=$logdir/$mode-$(date +%Y%m%d-%H%M%S).log
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rd=$initrd
if [ "$mode" = vmrun ]; then
	[ -f "$script" ] || { echo "vm.sh: no such script: $script" >&2; exit 2; }
	mkdir -p "$work/extra"
	if [ -n "$files" ]; then
		[ -d "$files" ] || { echo "vm.sh: FILES=$files is not a directory" >&2; exit 2; }
		cp -a "$files"/. "$work/extra/"
	fi
	cp "$script" "$work/extra/.vmrun-script"
	(cd "$work" && find extra | cpio -o -H newc -R 0:0 --quiet) >"$work/extra.cpio"
	cat "$initrd" "$work/extra.cpio" >"$work/initrd.cpio"
	rd=$work/initrd.cpio
fi

accel=$("$here/accel.sh" "$kernel" "$initrd" "$logdir")
append="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 loglevel=5 ckpt.mode=$mode"
qemu=(qemu-system-x86_64 -nodefaults -no-reboot -nographic -serial stdio
      -bios /usr/share/qemu/qboot.rom -accel "$accel" -cpu max
      -m "${CKPT_GUEST_MEM:-2048}" -kernel "$kernel" -initrd "$rd"
      -append "$append")

if [ "$mode" = shell ]; then
	"${qemu[@]}" | tee "$log"
	exit 0
fi

timeout -k 5 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
status=0
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm: TIMEOUT: the guest did not finish within ${timeout}s and was killed"
	status=124
fi
if bad=$(grep -aE 'BUG:|WARNING:|Oops|Kernel panic|Call Trace' "$log"); then
	echo "vm: FAIL: the kernel reported a problem:"
	echo "$bad" | head -5 | sed 's/^/vm:   /'
	[ $status = 0 ] && status=1
fi
if [ $status = 0 ] && ! grep -aq '^CKPT-END' "$log"; then
	echo "vm: FAIL: the guest stopped before its end (qemu exit $rc)"
	status=1
fi
if [ "$mode" != check ] && [ $status = 0 ]; then
	status=$(sed -n 's/^CKPT-EXIT=\([0-9]*\).*/\1/p' "$log" | tail -1)
	[ -n "$status" ] || status=1
fi
echo "vm: serial log: $log"
exit "$status"
