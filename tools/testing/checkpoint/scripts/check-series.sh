#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-series: prove that every prefix of the exported series
# applies with git am to pristine linux-source-6.1 and builds, that the
# whole series also builds with CONFIG_CHECKPOINT off, and that
# checkpatch --strict is clean on every patch.
#
# usage: check-series.sh TOP BUILD SERIES_DIR
set -uo pipefail
top=$1 b=$2 dir=$3
here=$(dirname "$(readlink -f "$0")")
git_dir=$b/series/linux
# same layout as build/linux and build/kobj, so that ccache hits
tree=$b/cs/linux
obj=$b/cs/kobj
obj_off=$b/cs/kobj-off
jobs=$(nproc)
pass=0 fail=0
t0=$(date +%s)

result() {
	if [ "$1" = 0 ]; then
		echo "ok - $2"
		pass=$((pass + 1))
	else
		echo "not ok - $2"
		fail=$((fail + 1))
	fi
}

kbuild() {
	make -s -C "$tree" O="$1" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$jobs" bzImage
}

mkdir -p "$b/cs"
if [ -e "$tree/.git" ]; then
	git -C "$tree" am --abort >/dev/null 2>&1
	git -C "$tree" checkout -q -f --detach pristine &&
		git -C "$tree" clean -q -fdx
else
	git -C "$git_dir" worktree prune
	git -C "$git_dir" worktree add -q --detach "$tree" pristine
fi || { echo "check-series: cannot set up $tree"; exit 1; }

base=$(mktemp)
frag=$(mktemp)
trap 'rm -f "$base" "$frag"' EXIT
grep -v '^CONFIG_CHECKPOINT=' "$top/tools/testing/checkpoint/config" >"$base"

patches=$(ls "$dir"/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-')
# the F: lines of our MAINTAINERS entry, once the whole series is in
maintained=$(cat "$dir"/[0-9][0-9][0-9][0-9]-*.patch |
	     sed -n '/^+++ b\/MAINTAINERS/,/^diff /s/^+F:[[:space:]]*//p')
for p in $patches; do
	name=${p##*/}
	# the system python3, which has ply for checkpatch's SPDX check;
	# checkpatch exits 0 only when it has nothing to say
	# (its "does MAINTAINERS need updating?" is answered below)
	if out=$(PATH=/usr/bin:$PATH "$tree/scripts/checkpatch.pl" --strict --terse \
		 --ignore FILE_PATH_CHANGES "$p" 2>&1); then
		result 0 "checkpatch --strict: $name"
	else
		echo "$out" | sed 's/^/#   /'
		result 1 "checkpatch --strict: $name"
	fi
	# every file it adds is under an F: of the CHECKPOINT/RESTART entry
	uncovered=
	for f in $(awk '/^diff --git /{f=substr($4, 3)} /^new file mode/{print f}' "$p"); do
		covered=
		for pat in $maintained; do
			case $pat in
			*/) case $f in "$pat"*) covered=1 ;; esac ;;
			*) [ "$f" = "$pat" ] && covered=1 ;;
			esac
		done
		[ -n "$covered" ] || uncovered="$uncovered $f"
	done
	[ -z "$uncovered" ] || echo "#   not in MAINTAINERS:$uncovered"
	result "$([ -z "$uncovered" ]; echo $?)" "MAINTAINERS covers the files $name adds"
done

for p in $patches; do
	name=${p##*/}
	if ! git -C "$tree" am -q "$p"; then
		result 1 "$name applies with git am"
		git -C "$tree" am --abort
		break
	fi
	cp "$base" "$frag"
	if grep -qx 'config CHECKPOINT' "$tree/checkpoint/Kconfig" 2>/dev/null; then
		echo CONFIG_CHECKPOINT=y >>"$frag"
	fi
	s=$(date +%s)
	"$here/config.sh" "$tree" "$obj" "$frag" && kbuild "$obj"
	result $? "$name applies and builds ($(( $(date +%s) - s ))s)"
	if [ -f "$tree/tools/testing/checkpoint/Makefile" ]; then
		make -s -C "$tree" O="$obj" ARCH=x86_64 headers_install &&
		make -s -C "$tree/tools/testing/checkpoint" O="$b/cs/guest" KSRC="$tree" \
			KHDR_DIR="$obj/usr/include" tools tests >/dev/null
		result $? "$name: tools and selftests build"
	fi
done

cp "$base" "$frag"
echo "# CONFIG_CHECKPOINT is not set" >>"$frag"
s=$(date +%s)
"$here/config.sh" "$tree" "$obj_off" "$frag" && kbuild "$obj_off" &&
	! grep -q '^CONFIG_CHECKPOINT=' "$obj_off/.config"
result $? "whole series builds with CONFIG_CHECKPOINT off ($(( $(date +%s) - s ))s)"

echo "check-series took $(( $(date +%s) - t0 ))s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
