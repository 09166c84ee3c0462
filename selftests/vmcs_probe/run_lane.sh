#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every vmcs_probe selftest in this guest and print TAP: the kselftest
# binaries first, then the bats files.  tools/check runs this in each lab
# lane through tools/vm/run and counts the "ok" / "not ok" lines.
# Exit status: 0 when nothing failed.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${VP_SELFTEST_BIN:-$top/build/selftests/vmcs_probe}
timeout=$(sed -n 's/^timeout=//p' "$here/settings")
rc=0

for t in "$bin"/*_test; do
	[ -x "$t" ] || continue
	echo "# selftest $(basename "$t")"
	timeout "$timeout" "$t" || rc=1
done

for b in "$here"/*.bats; do
	[ -e "$b" ] || continue
	echo "# bats $(basename "$b")"
	bats --tap "$b" || rc=1
done
exit $rc
