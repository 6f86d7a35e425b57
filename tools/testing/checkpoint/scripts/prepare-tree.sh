#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the patched kernel tree: pristine linux-source-6.1, the hunks of
# patches/ in patches/series order, then our own files on top.
#
# Only files whose content changed are rewritten, so mtimes stay and the
# kernel rebuild is incremental.
#
# usage: prepare-tree.sh TOP KSRC
set -euo pipefail
top=$1
ksrc=$2
tarball=/usr/src/linux-source-6.1.tar.xz
state=$ksrc.state
mkdir -p "$state"

# Copy $1 to $2 unless they are already the same.
sync_file() {
	cmp -s "$1" "$2" && return 0
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
}

if [ ! -f "$state/unpacked" ]; then
	echo "tree: unpacking $tarball"
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir -p "$ksrc.tmp"
	tar -xf "$tarball" -C "$ksrc.tmp"
	mv "$ksrc.tmp/linux-source-6.1" "$ksrc"
	rmdir "$ksrc.tmp"
	rm -f "$state"/*
	touch "$state/unpacked"
fi

# 1. hunks
series=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")
sum=$( (cat "$top/patches/series"; for p in $series; do cat "$top/patches/$p"; done) | sha1sum)
if [ "$sum" != "$(cat "$state/patches.sum" 2>/dev/null)" ]; then
	new_files=$(for p in $series; do
		sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$top/patches/$p"
	done | sort -u)
	files=$( (echo "$new_files"; cat "$state/patches.files" 2>/dev/null || true) |
		sed '/^$/d' | sort -u)
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# shellcheck disable=SC2086
	tar -xf "$tarball" -C "$work" --strip-components=1 \
		$(for f in $files; do echo "linux-source-6.1/$f"; done)
	for p in $series; do
		patch -s -p1 -d "$work" --no-backup-if-mismatch -F0 <"$top/patches/$p" ||
			{ echo "tree: patches/$p does not apply" >&2; exit 1; }
	done
	for f in $files; do
		sync_file "$work/$f" "$ksrc/$f"
	done
	echo "$new_files" >"$state/patches.files"
	echo "$sum" >"$state/patches.sum"
	echo "tree: applied $(echo $series | wc -w) patches"
fi

# 2. our files: everything in the repository that mirrors the kernel tree
cd "$top"
git ls-files -co --exclude-standard -- . \
	':!Makefile' ':!README.md' ':!.ci' ':!patches' ':!.gitignore' \
	':!build' ':!out' | while read -r f; do
	[ -f "$f" ] && echo "$f"
done | sort >"$state/overlay.new"
while read -r f; do
	sync_file "$top/$f" "$ksrc/$f"
done <"$state/overlay.new"
# files we used to add and no longer have
if [ -f "$state/overlay.files" ]; then
	comm -23 "$state/overlay.files" "$state/overlay.new" | while read -r f; do
		rm -f "$ksrc/$f"
	done
fi
mv "$state/overlay.new" "$state/overlay.files"
