#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: export the work as a patch series for git am.
#
# A git tree of pristine linux-source-6.1 is kept in BUILD/series/linux.
# Each stanza of patches/export becomes one commit on top of it: its
# hunks from patches/, then its files from the repository.  The commits
# are written to OUT with a cover letter from patches/cover-letter.
#
# usage: series.sh TOP BUILD OUT
set -euo pipefail
top=$1 b=$2 out=$3
ksrc=$b/linux
tarball=/usr/src/linux-source-6.1.tar.xz
git_dir=$b/series/linux
export=$top/patches/export

die() { echo "series: $*" >&2; exit 1; }

name=$(git -C "$top" config user.name || echo "Checkpoint Developer")
email=$(git -C "$top" config user.email || echo "checkpoint@localhost")
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
# fixed dates: the same work exports the same series
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

if ! git -C "$git_dir" rev-parse -q --verify refs/tags/pristine >/dev/null 2>&1; then
	echo "series: creating a git tree of pristine linux-source-6.1 (once)"
	rm -rf "$git_dir"
	mkdir -p "$git_dir"
	tar -xf "$tarball" -C "$git_dir" --strip-components=1
	git -C "$git_dir" init -q
	git -C "$git_dir" config core.autocrlf false
	git -C "$git_dir" config gc.auto 0
	git -C "$git_dir" add -A -f
	git -C "$git_dir" commit -q -m "linux-source-6.1 (Debian), pristine"
	git -C "$git_dir" tag pristine
fi
git -C "$git_dir" checkout -q -f -B series pristine
git -C "$git_dir" clean -q -fdx

# The files of the repository that go into the kernel tree, as
# prepare-tree.sh overlays them.
ours=$(cd "$top" && git ls-files -co --exclude-standard -- . \
	':!Makefile' ':!README.md' ':!.ci' ':!patches' ':!.gitignore' \
	':!build' ':!out' | while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
hunks=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")

claimed_files=
claimed_hunks=
n=0
# files of a stanza: from the work tree, or as they were at a snapshot
stanza_sel() {
	local f=$1 snap=$2
	if [ -n "$snap" ]; then
		git -C "$top" ls-tree -r --name-only "$snap" -- "$f"
	else
		echo "$ours" | grep -E "^${f}(/|$)" || true
	fi
}
commit_stanza() {
	local subject=$1 stanza_hunks=$2 stanza_files=$3 body=$4 snap=$5 f g h sel keep
	[ -n "$subject" ] || return 0
	n=$((n + 1))
	if [ -n "$snap" ]; then
		git -C "$top" rev-parse -q --verify "$snap^{commit}" >/dev/null ||
			die "patch $n: no commit $snap (a shallow clone?)"
	fi
	for h in $stanza_hunks; do
		[ -f "$top/patches/$h" ] || die "patch $n: no hunk file patches/$h"
		git -C "$git_dir" apply --whitespace=nowarn "$top/patches/$h" ||
			die "patch $n: patches/$h does not apply"
		claimed_hunks="$claimed_hunks $h"
	done
	# !FILE: the patch leaves FILE as the patches before it left it
	keep=$(printf '%s\n' $stanza_files | sed -n 's/^!//p')
	for f in $stanza_files; do
		case $f in !*) continue ;; esac
		sel=$(stanza_sel "$f" "$snap" | grep -vxF -e "${keep:-/}" || true)
		[ -n "$sel" ] || die "patch $n: no file matches '$f'"
		# files an earlier patch added under $f that are gone now
		for g in $(git -C "$git_dir" diff --name-only --diff-filter=A \
				pristine HEAD -- "$f"); do
			printf '%s\n%s\n' "$sel" "$keep" | grep -qx "$g" ||
				git -C "$git_dir" rm -q -- "$g"
		done
		for g in $sel; do
			mkdir -p "$git_dir/$(dirname "$g")"
			if [ -n "$snap" ]; then
				git -C "$top" show "$snap:$g" >"$git_dir/$g"
			else
				cp "$top/$g" "$git_dir/$g"
				claimed_files="$claimed_files
$g"
			fi
		done
	done
	git -C "$git_dir" add -A -f .
	git -C "$git_dir" diff --cached --quiet && die "patch $n ($subject) is empty"
	printf '%s\n\n%s\n\nSigned-off-by: %s <%s>\n' "$subject" "$body" "$name" "$email" |
		git -C "$git_dir" commit -q -F -
}

# the body without its trailing blank lines
trim() {
	printf '%s' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

subject= s_hunks= s_files= s_snap= body= in_body=0
while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	"#"*) [ $in_body = 1 ] || continue ;;
	esac
	case "$line" in
	"Subject: "*)
		commit_stanza "$subject" "$s_hunks" "$s_files" "$(trim "$body")" "$s_snap"
		subject=${line#Subject: } s_hunks= s_files= s_snap= body= in_body=0
		;;
	"Hunks: "*) [ $in_body = 0 ] && s_hunks=${line#Hunks: } || body="$body$line"$'\n' ;;
	"Files: "*) [ $in_body = 0 ] && s_files=${line#Files: } || body="$body$line"$'\n' ;;
	"Snapshot: "*) [ $in_body = 0 ] && s_snap=${line#Snapshot: } || body="$body$line"$'\n' ;;
	"")
		if [ $in_body = 0 ] && [ -n "$subject" ]; then in_body=1; else body="$body"$'\n'; fi
		;;
	*) body="$body$line"$'\n' ;;
	esac
done <"$export"
commit_stanza "$subject" "$s_hunks" "$s_files" "$(trim "$body")" "$s_snap"

# Every hunk and every file exactly once.
[ "$(echo $claimed_hunks)" = "$(echo $hunks)" ] ||
	die "patches/export uses hunks '$(echo $claimed_hunks)'," \
		"patches/series has '$(echo $hunks)'"
dups=$(echo "$claimed_files" | sed '/^$/d' | sort | uniq -d)
[ -z "$dups" ] || die "files in more than one patch: $dups"
missing=$(comm -23 <(echo "$ours") <(echo "$claimed_files" | sed '/^$/d' | sort))
[ -z "$missing" ] || die "files in no patch of patches/export: $(echo $missing)"

# The series must rebuild exactly the tree that make builds.
for f in $(git -C "$git_dir" diff --name-only pristine series); do
	cmp -s "$git_dir/$f" "$ksrc/$f" ||
		die "$f differs between the series and build/linux (run make tree)"
done

rm -rf "$out"
mkdir -p "$out"
# MAINTAINERS first in every patch, as checkpatch expects
printf 'MAINTAINERS\n*\n' >"$b/series/orderfile"
git -C "$git_dir" format-patch -q --cover-letter -O"$b/series/orderfile" \
	-o "$out" pristine..series
cover=$(ls "$out"/0000-*.patch)
csubj=$(sed -n 's/^Subject: //p' "$top/patches/cover-letter" | head -1)
cbody=$(sed '1,/^$/d' "$top/patches/cover-letter")
awk -v s="$csubj" -v body="$cbody" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, s) }
	/\*\*\* BLURB HERE \*\*\*/ { print body; next }
	{ print }' "$cover" >"$cover.tmp" && mv "$cover.tmp" "$cover"
echo "series: $n patches and a cover letter in ${out#$top/}/"
