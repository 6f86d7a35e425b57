#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure the kernel: tinyconfig plus the fragments given, then check
# that every option asked for stuck after olddefconfig.
#
# usage: config.sh KSRC KOBJ FRAGMENT...
set -euo pipefail
ksrc=$1
kobj=$2
shift 2
mkdir -p "$kobj"
sum=$(cat "$@" | sha1sum)
if [ -f "$kobj/.config" ] && [ "$sum" = "$(cat "$kobj/.config.sum" 2>/dev/null)" ]; then
	exit 0
fi
kmake=(make -s -C "$ksrc" O="$kobj" ARCH=x86_64)
"${kmake[@]}" tinyconfig >/dev/null 2>&1
cat "$@" >>"$kobj/.config"
"${kmake[@]}" olddefconfig >/dev/null 2>&1
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$kobj/.config" || {
			have=$(grep "^${line%%=*}=" "$kobj/.config" || echo unset)
			echo "config: $line did not stick (have: $have)" >&2
			bad=1
		}
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		if grep -q "^$opt=" "$kobj/.config"; then
			echo "config: $opt should be off, is $(grep "^$opt=" "$kobj/.config")" >&2
			bad=1
		fi
		;;
	esac
done < <(cat "$@")
[ $bad = 0 ] || exit 1
echo "$sum" >"$kobj/.config.sum"
