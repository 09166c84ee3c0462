#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the vmcs_probe selftests in this guest and print TAP: kselftest
# binaries first, then bats files.  tools/check runs this in each lab
# lane through tools/vm/run and counts the "ok" / "not ok" lines.
#
#   run_lane.sh [NAME...]   only these (e.g. support_test support.bats);
#                           default: every *_test binary and *.bats file
# Exit status: 0 when nothing failed.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${VP_SELFTEST_BIN:-$top/build/selftests/vmcs_probe}
timeout=$(sed -n 's/^timeout=//p' "$here/settings")
rc=0

filter=("$@")
# Run only when named: nodebugfs.bats needs a guest booted with
# debugfs=off, pin_kvm.bats one with kvm_intel packed, boot_cpu.bats one
# whose CPUs differ, audit_load.bats real VMX (tools/check starts them).
opt_in=(nodebugfs.bats pin_kvm.bats boot_cpu.bats audit_load.bats)

# Is this test to run: named in the filter, or no filter given and not
# an opt-in one.
wanted() {
	local n
	if [ ${#filter[@]} -eq 0 ]; then
		for n in "${opt_in[@]}"; do
			[ "$n" = "$1" ] && return 1
		done
		return 0
	fi
	for n in "${filter[@]}"; do
		[ "$n" = "$1" ] && return 0
	done
	return 1
}

for t in "$bin"/*_test; do
	[ -x "$t" ] || continue
	wanted "$(basename "$t")" || continue
	echo "# selftest $(basename "$t")"
	timeout "$timeout" "$t" || rc=1
done

for b in "$here"/*.bats; do
	[ -e "$b" ] || continue
	wanted "$(basename "$b")" || continue
	echo "# bats $(basename "$b")"
	bats --tap "$b" || rc=1
done
exit $rc
