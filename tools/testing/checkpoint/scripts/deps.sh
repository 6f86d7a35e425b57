#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the guest need, when missing.
set -e
pkgs="linux-source-6.1 qemu-system-x86 busybox-static flex bison bc libelf-dev
libssl-dev cpio ccache xz-utils gcc make libc6-dev perl git patch diffutils
coreutils gawk python3 python3-ply python3-git rsync redis-server"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
