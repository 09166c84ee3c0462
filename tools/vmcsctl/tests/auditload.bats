#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl audit-load's reading of a trace (--trace FILE --pid PID), on a
# trace in the format of a real one (fixtures/trace/, its lines shaped
# like those audit_load.bats gets from tracefs in Bochs, values those of
# Bochs' Skylake-X).  The live runs are audit_load.bats in bochs-6.12.

load helpers

T=$FIX/trace/moved.trace

@test "audit-load --trace: the command's process tree, mixed, exit 1" {
	run vmcsctl audit-load --trace "$T" --pid 180
	[ "$status" -eq 1 ]
	# The child forked by the loader is followed; pid 999 is not ours.
	[ "$(echo "$output" | grep -c ' modprobe-181 ')" -eq 4 ]
	! echo "$output" | grep -q 'modprobe-999'
	echo "$output" | grep -Eq "^  19 +1 +modprobe-181 +0x491 +0x0000000000000000 #GP$"
	echo "$output" | grep -qx "setup reads: 4, on CPU 0 1: MIXED"
	echo "$output" | grep -qx "other reads: 3 (KVM's per-CPU checks, other tasks) on CPU 0 1"
}

@test "audit-load --trace: one CPU is exit 0, none is exit 1" {
	grep -v '\[001\]' "$T" > "$BATS_TEST_TMPDIR/one"
	run vmcsctl audit-load --trace "$BATS_TEST_TMPDIR/one" --pid 180
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "setup reads: 2, on CPU 0: one CPU"
	run vmcsctl audit-load --trace "$T" --pid 4242
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^setup reads: 0, on CPU: none"
}

@test "audit-load --trace: a broken read_msr line is refused with file:line" {
	sed 's/read_msr: 48b, value/read_msr: 48b value/' "$T" > "$BATS_TEST_TMPDIR/bad"
	run vmcsctl audit-load --trace "$BATS_TEST_TMPDIR/bad" --pid 180
	[ "$status" -eq 4 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/bad:15: expected 'read_msr: <msr>, value <value>'"* ]]
}

@test "audit-load: usage errors exit 2, no tracefs exits 3" {
	run vmcsctl audit-load --trace "$T"
	[ "$status" -eq 2 ]
	run vmcsctl audit-load --pid x
	[ "$status" -eq 2 ]
	run vmcsctl audit-load --tracefs "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/none/events/msr/read_msr: No such file or directory"* ]]
	run vmcsctl audit-load --help
	[ "$status" -eq 0 ]
}
