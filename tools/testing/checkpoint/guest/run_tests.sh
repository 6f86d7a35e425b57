#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every selftest; each prints TAP.  The host parses the console.
for t in /selftests/*_test; do
	name=${t##*/}
	echo "# selftest: $name"
	"$t"
	echo "# selftest-exit: $name $?"
done
