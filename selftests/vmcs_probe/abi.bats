#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The documented ABI and the loaded module agree: every node vmcs_probe
# creates under /sys/kernel/vmcs_probe/ and /sys/kernel/debug/vmcs_probe/
# is described in sysfs-abi/, and every node described there exists (per-
# CPU nodes for every possible CPU).  tools/check-abi-guest does the work;
# run it by hand in a guest to see the lists.

setup() {
	if [ ! -d /sys/kernel/vmcs_probe ]; then
		[ -n "${VP_EMULATOR:-}" ] || skip "not in a lab guest"
		modprobe vmcs_probe
	fi
	check=$BATS_TEST_DIRNAME/../../tools/check-abi-guest
}

@test "the module's sysfs and debugfs folders are seen" {
	run "$check" live
	[ "$status" -eq 0 ]
	echo "$output" | grep -Fxq /sys/kernel/vmcs_probe/
	echo "$output" | grep -Fxq /sys/kernel/debug/vmcs_probe/
	[ "$(echo "$output" | grep -c -v '/$')" -ge 2 ]
}

@test "every node the module creates is documented in sysfs-abi/" {
	run "$check" undocumented
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "every node documented in sysfs-abi/ exists" {
	run "$check" missing
	echo "$output"
	[ "$status" -eq 0 ]
}
