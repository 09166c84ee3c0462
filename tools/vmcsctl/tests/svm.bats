#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl compute and decode on an SVM snapshot (boot_cpu_amd 1): the
# boot CPU without SVM, CPU 1 with it, as the qemu-svm lanes boot it
# (fixtures/svm-boot-cpu-no-svm.snap: the module's dump of that guest).
# What the real kvm_amd does there is what these expect (6.12: -95 from
# CPU 0, -5 blaming CPU 0 from CPU 1; 6.1: -95 from both).

load helpers

SNAP=$BATS_TEST_DIRNAME/fixtures/svm-boot-cpu-no-svm.snap

setup() {
	command -v vmcsctl > /dev/null
}

@test "svm compute: loaded on the boot CPU, kvm_amd 6.12 refuses with -95" {
	run --separate-stderr vmcsctl compute "$SNAP"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "# reference (kvm_amd)" ]
	echo "$output" | grep -qx 'engine svm'
	echo "$output" | grep -qx 'result -95'
	echo "$output" | grep -qx 'error svm_not_available'
	echo "$output" | grep -qx 'load -95'
	echo "$output" | grep -qx 'load_cpu 0'
	! echo "$output" | grep -q '^param '
	echo "$output" | sed -n '/^# compat/,$p' | grep -qx 'cpu0 unsupported'
	echo "$output" | sed -n '/^# compat/,$p' | grep -qx 'cpu1 ok'
}

@test "svm compute: loaded on CPU 1, the setup runs and CPU 0 fails the load with -5" {
	run --separate-stderr vmcsctl compute "$SNAP" --ref-cpu 1
	[ "$status" -eq 1 ]
	echo "$output" | grep -qx 'result 0'
	echo "$output" | grep -qx 'load -5'
	echo "$output" | grep -qx 'load_cpu 0'
	# boot_cpu_data lost NP with CPU 0: npt off, and not offered to L1.
	echo "$output" | grep -qx 'param npt N'
	echo "$output" | grep -qx 'param debug_swap N'
	echo "$output" | grep -qx 'cpuid 0x8000000a 0x00000001 0x00000008 0x00000000 0x10000060'
}

@test "svm compute: 6.1 asks boot_cpu_data and refuses from CPU 1 too" {
	run --separate-stderr vmcsctl compute "$SNAP" --ref-cpu 1 --kvm 6.1
	[ "$status" -eq 1 ]
	echo "$output" | grep -qx 'result -95'
	echo "$output" | sed -n '/^# compat/,$p' | grep -qx 'cpu0 ok'
}

@test "svm compute: 7.2 has gmet and enable_ipiv, no debug_swap" {
	run --separate-stderr vmcsctl compute "$SNAP" --ref-cpu 1 --kvm 7.2
	echo "$output" | grep -qx 'kvm 7.2'
	echo "$output" | grep -qx 'param gmet N'
	echo "$output" | grep -qx 'param enable_ipiv N'
	! echo "$output" | grep -q '^param debug_swap'
}

@test "svm compute: a shared parameter from --param reaches kvm_amd" {
	run --separate-stderr vmcsctl compute "$SNAP" --ref-cpu 1 --param nested=0
	echo "$output" | grep -qx 'param nested 0'
	echo "$output" | grep -qx 'cpuid 0x80000001 ecx.svm 0'
}

@test "svm compute: no kvm_intel view of an SVM snapshot (exit 2)" {
	run --separate-stderr vmcsctl compute "$SNAP" --format kvm
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"an SVM snapshot"* ]]
}

@test "svm decode: every bit of CPUID Fn8000_000A EDX, named as the APM does" {
	run --separate-stderr vmcsctl decode "$SNAP" --cpu 1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -cE '^    \[[ 0-9]{2}\] ')" -eq 32 ]
	echo "$output" | grep -qE '^    \[ 0\] NP +yes$'
	echo "$output" | grep -qE '^    \[25\] VNMI +no$'
	echo "$output" | grep -qE '^    \[28\] NestedVirtVmcbAddrChk +no$'
	[ "$(echo "$output" | grep -cE '^    \[[ 0-9]{2}\] reserved ')" -eq 5 ]
	echo "$output" | grep -qE '^  X86_FEATURE_SVM .* yes$'
	# then kvm_amd's setup from that CPU
	echo "$output" | grep -qx 'load -5'
}

@test "svm decode: the boot CPU's section shows no SVM" {
	run --separate-stderr vmcsctl decode "$SNAP"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q 'CPU 0 (SVM snapshot)'
	echo "$output" | grep -qE '^  CPUID 0x80000001 ECX\[2\] SVM +no$'
}

@test "svm snapshot: a bad SVM line is refused with its file and line (exit 4)" {
	sed 's/^cpuid_svm 0x00000001 .*/cpuid_svm 0x1 0x10 0x0/' "$SNAP" \
		> "$BATS_TEST_TMPDIR/bad.snap"
	line=$(grep -n '^cpuid_svm 0x1 ' "$BATS_TEST_TMPDIR/bad.snap" | cut -d: -f1)
	[ -n "$line" ]
	run --separate-stderr vmcsctl compute "$BATS_TEST_TMPDIR/bad.snap"
	[ "$status" -eq 4 ]
	[[ "$stderr" == *"bad.snap:$line: missing value"* ]]
}

@test "svm diff: two CPUs of an SVM snapshot, 0x8000000A's bits by name" {
	run --separate-stderr vmcsctl diff "$SNAP:cpu0" "$SNAP:cpu1"
	[ "$status" -eq 1 ]
	echo "$output" | grep -qE '^cpu_has_svm +A 0  B 1$'
	echo "$output" | grep -qx '  only in B: NP'
	run --separate-stderr vmcsctl diff "$SNAP:cpu1" "$SNAP:cpu1"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "no difference" ]
}

@test "svm diff: an SVM CPU against a VMX one is refused (exit 2)" {
	run --separate-stderr vmcsctl diff "$SNAP:cpu0" "$FIX/skylake_x.snap"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"an SVM CPU compares only with one"* ]]
}
