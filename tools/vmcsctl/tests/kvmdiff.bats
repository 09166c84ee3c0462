#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl diff --kvm V --kvm W FILE: what two KVM versions compute
# differently, each difference with the rule of the version table.

load helpers

DATA=$BATS_TEST_DIRNAME/../../../selftests/vmcs_probe/data

@test "diff --kvm: the same version is equal, exit 0" {
	run vmcsctl diff --kvm 7.3 --kvm 7.3 "$DATA/tigerlake.snapshot"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "equal" ]
}

@test "diff --kvm: tigerlake 6.12 to 7.3, CET controls and VMX_BASIC[56] with their rules" {
	run vmcsctl diff --kvm 6.12 --kvm 7.3 "$DATA/tigerlake.snapshot"
	[ "$status" -eq 1 ]
	lines_match '^vmexit_ctrl +6.12 0x007fffff  7.3 0x107fffff$' \
		'^  only in 7.3: LOAD_CET_STATE$' '^  rule optional_exit: ' \
		'^  rule optional_entry: ' '^  rule nested_basic: '
	[ "${lines[-1]}" = "3 differences" ]
}

@test "diff --kvm: haswell 6.12 to 7.2, VMCS_ENUM without TSC scaling" {
	run vmcsctl diff --kvm 6.12 --kvm 7.2 "$DATA/corei7_haswell_4770.snapshot"
	[ "$status" -eq 1 ]
	lines_match '^  MAX_INDEX: 6.12 25, 7.2 23$' '^  rule nested_vmcs_enum: '
}

@test "diff --kvm: the load's outcome per loading CPU, 6.1 to 6.12" {
	run vmcsctl diff --kvm 6.1 --kvm 6.12 "$DATA/hetero/featctl-boot.snapshot"
	[ "$status" -eq 1 ]
	lines_match '^kvm_intel load on cpu1: 6.1 -95  6.12 -5 \(cpu 0 refused\)$' \
		'^  rule support_probe: '
}

@test "diff --kvm: FILE:cpuN computes the reference on that CPU" {
	run vmcsctl diff --kvm 6.1 --kvm 7.3 "$DATA/tigerlake.snapshot:cpu1"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "kvm 6.1 vs 7.3, reference on cpu1" ]
	run vmcsctl diff --kvm 6.1 --kvm 7.3 "$DATA/tigerlake.snapshot:cpu9"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no section for CPU 9"* ]]
}

@test "diff --kvm: unknown version and usage errors exit 2" {
	run vmcsctl diff --kvm 6.13 --kvm 7.3 "$DATA/tigerlake.snapshot"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown KVM version '6.13' (want 6.1, 6.12, 7.2 or 7.3)"* ]]
	run vmcsctl diff --kvm 6.1 "$DATA/tigerlake.snapshot"
	[ "$status" -eq 2 ]
	run vmcsctl diff --kvm 6.1 --kvm 7.3 "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/none: No such file"* ]]
}

@test "diff --kvm: Documentation/kvm-versions.rst is what the engine computes" {
	run "$BATS_TEST_DIRNAME/../../kvm-versions" --check "$(command -v vmcsctl)"
	[ "$status" -eq 0 ]
}
