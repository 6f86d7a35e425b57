#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Carry host programs into the guest: print gen_init_cpio lines for each
# FILE, at the same path, with the shared libraries and the loader that
# ldd names for every ELF file among them, and the directories they need.
# A FILE ending in .py also brings its __pycache__ entry, if the host has
# one.  Directories the initramfs list already makes are given with -x.
#
# usage: carry.sh [-x DIR]... FILE...
set -euo pipefail

declare -A have
while [ "${1:-}" = -x ]; do
	have[$2]=1
	shift 2
done

dirs() {
	local d=${1%/*}

	[ -n "$d" ] && [ -z "${have[$d]:-}" ] || return 0
	dirs "$d"
	have[$d]=1
	echo "dir $d 0755 0 0"
}

one() {
	local f=$1 real

	[ -z "${have[$f]:-}" ] || return 0
	real=$(readlink -f "$f")
	[ -f "$real" ] || { echo "carry.sh: $f: no such file" >&2; exit 1; }
	have[$f]=1
	dirs "$f"
	if [ -x "$real" ]; then
		echo "file $f $real 0755 0 0"
	else
		echo "file $f $real 0644 0 0"
	fi
}

for f in "$@"; do
	one "$f"
	case $f in
	*.py)
		pyc=${f%/*}/__pycache__/$(basename "$f" .py).cpython-*.pyc
		for p in $pyc; do
			[ -f "$p" ] && one "$p"
		done
		;;
	esac
	[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
	# "libc.so.6 => /lib/.../libc.so.6 (0x...)" and "/lib64/ld-linux... (0x...)"
	for lib in $(ldd "$f" 2>/dev/null |
		     sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		one "$lib"
	done
done
