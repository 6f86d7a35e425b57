#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: run every selftest in the guest, then the host checks, and
# end with "N passed, N failed[, N skipped]".  Exits 1 if anything failed.
#
# usage: check.sh TOP BUILD BZIMAGE INITRD TIMEOUT
set -uo pipefail
top=$1 b=$2 kernel=$3 initrd=$4 timeout=$5
here=$(dirname "$(readlink -f "$0")")
ksrc=$b/linux
log=$b/logs/check-$(date +%Y%m%d-%H%M%S).log
summary=$(mktemp)
trap 'rm -f "$summary" "$summary.kdoc"' EXIT
t0=$(date +%s)

"$here/vm.sh" --mode check --kernel "$kernel" --initrd "$initrd" \
	--logdir "$b/logs" --log "$log" --timeout "$timeout"
vmrc=$?

echo
echo "== results"
# Guest TAP: one line per test, from every selftest binary.
tr -d '\r' <"$log" | awk -v out="$summary" '
	/^# selftest: / { cur = $3; seen[cur] = 1; nf[cur] = 0; next }
	/^# selftest-exit: / {
		done[$3] = 1
		if ($4 != 0 && nf[$3] == 0) { fail++; print "FAIL: " $3 " exited with status " $4 }
		next
	}
	/^(not )?ok [0-9]+ / {
		if ($0 ~ /# SKIP/) { skip++; print "SKIP: " cur ": " $0 }
		else if ($1 == "ok") pass++
		else { fail++; nf[cur]++; print "FAIL: " cur ": " $0 }
	}
	END {
		for (t in seen) if (!(t in done)) { fail++; print "FAIL: " t " did not finish" }
		printf "%d %d %d\n", pass, fail, skip > out
	}'
read -r pass fail skip <"$summary"
if [ "$vmrc" != 0 ]; then
	echo "FAIL: guest run (vm.sh exit $vmrc, see $log)"
	fail=$((fail + 1))
fi

host() {
	local name=$1
	shift
	if out=$("$@" 2>&1); then
		echo "ok - host: $name"
		pass=$((pass + 1))
	else
		echo "not ok - host: $name"
		echo "$out" | head -40 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}

uapi_headers() {
	local h
	for h in "$top"/include/uapi/linux/checkpoint*.h; do
		printf '#include <linux/%s>\nint main(void) { return 0; }\n' "${h##*/}" |
			gcc -Wall -Wextra -Werror -std=c99 -pedantic -I"$top/include/uapi" \
				-x c -o /dev/null - || return 1
	done
}

checkpatch_files() {
	local files
	files=$(cd "$top" && git ls-files -co --exclude-standard -- \
		'checkpoint/*' 'include/*' 'arch/*' 'mm/*' 'fs/*' 'ipc/*' 'kernel/*' 'net/*' |
		grep -E '\.[ch]$|Kconfig|Makefile')
	out=$(cd "$top" && "$ksrc/scripts/checkpatch.pl" --strict --no-tree \
		--terse --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

kernel_doc() {
	local files
	files=$(cd "$top" && git ls-files -co --exclude-standard -- \
		'checkpoint/*.c' 'include/linux/checkpoint*.h' 'arch/*checkpoint*.c' \
		'mm/*checkpoint*.c' 'fs/*checkpoint*.c' 'ipc/*.c' \
		'kernel/*checkpoint*.c')
	out=$(cd "$top" && "$ksrc/scripts/kernel-doc" -none $files 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# Every kernel-doc directive of Documentation/checkpoint/ renders our
# in-kernel API without a warning, and renders something
docs_kernel_doc() {
	local rst file opt out n=0 warnings="$summary.kdoc"
	for rst in "$top"/Documentation/checkpoint/*.rst; do
		while read -r file opt; do
			[ -f "$top/$file" ] || { echo "$rst: no file $file"; return 1; }
			out=$(cd "$top" && "$ksrc/scripts/kernel-doc" -rst \
				-sphinx-version 3.4.3 "-${opt:-internal}" "$file" \
				2>"$warnings")
			if [ -s "$warnings" ]; then
				echo "$rst: $file: $(cat "$warnings")"
				return 1
			fi
			[ -n "$out" ] || { echo "$rst: $file renders nothing"; return 1; }
			n=$((n + 1))
		done < <(awk '/^\.\. kernel-doc::/ { f = $3; getline; o = ""
			if ($0 ~ /^ +:(internal|export):/) { o = $1; gsub(/:/, "", o) }
			print f, o }' "$rst")
	done
	[ "$n" -gt 0 ] || { echo "no kernel-doc directive in Documentation/checkpoint/"; return 1; }
}

host "kernel-doc has no warnings on our kernel files" kernel_doc
host "Documentation/checkpoint renders the in-kernel API without warnings" docs_kernel_doc
host "uapi headers compile on their own (-std=c99 -pedantic)" uapi_headers
host "checkpatch --strict is clean on our kernel files" checkpatch_files

echo "make check took $(( $(date +%s) - t0 ))s (guest and host checks)"
if [ "${skip:-0}" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
