# SPDX-License-Identifier: GPL-2.0
# Debian's bash running a pipeline of two subshells, one of which runs
# sleep(1) between lines, for the real-programs suite.
# usage: bash bash_pipeline.sh N [-m]   (-m: with job control)
n=$1
[ "${2:-}" = -m ] && set -m
for ((i = 1; i <= n; i++)); do
	echo "$i"
	sleep 0.1
done | {
	s=0
	while read -r x; do
		s=$((s + x * x))
		echo "line $x sum $s"
	done
	# field 5 of stat: the process group, the job's or the shell's
	read -r -a me </proc/$BASHPID/stat
	read -r -a sh </proc/$$/stat
	if [ "${me[4]}" = "${sh[4]}" ]; then
		echo "job in the shell's process group"
	else
		echo "job in a process group of its own"
	fi
} &
wait $!
echo "done status $?"
