#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl explain on kernel logs: real ones from the lab's oracle lanes
# (Debian's own kvm_intel and kvm_amd printed them, fixtures/klog/README
# says where), and 7.x's offset format built from its format string.

load helpers

KLOG=$FIX/klog

setup() {
	setup_tree mismatch
	# No vmcs_probe unless a test points at the fake tree.
	NONE=$BATS_TEST_TMPDIR/none
}

xp() {
	vmcsctl --sysfs "$NONE" --debugfs "$NONE" explain "$@"
}

@test "explain: real 6.1 log: feature inconsistency per CPU, exit 1" {
	run xp "$KLOG/kvm-oracle-6.1.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^line 39: kvm: CPU 1 feature inconsistency!$"
	echo "$output" | grep -q "^  KVM 4.x to 6.2 (known from 6.1): CPU 1: its VMCS config differs from the reference; KVM names no field$"
	echo "$output" | grep -q "^line 5: kvm: no hardware support for 'kvm_intel'$"
	echo "$output" | grep -q "disabled by bios"
	# Every KVM line of the log is explained, nothing else is.
	[ "$(echo "$output" | grep -c '^line ')" -eq \
	  "$(grep -cE 'kvm: (CPU [0-9]+ feature|no hardware|support for)' "$KLOG/kvm-oracle-6.1.log")" ]
}

@test "explain: real 6.12 log: Inconsistent VMCS config on CPU N" {
	run xp "$KLOG/kvm-oracle-6.12.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -Eq "^line [0-9]+: kvm_intel: Inconsistent VMCS config on CPU [01]$"
	echo "$output" | grep -q "^  KVM 6.3 to 6.19 (known from 6.12): CPU [01]: "
	[ "$(echo "$output" | grep -c '^line ')" -eq \
	  "$(grep -cE 'kvm_intel: (VMX not|Inconsistent VMCS)|kvm: enabling|smpboot: CPU [0-9]+ is now' "$KLOG/kvm-oracle-6.12.log")" ]
}

@test "explain: real kvm_amd log: SVM not supported by CPU 1" {
	run xp "$KLOG/kvm-amd-6.12.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -Eq "^line [0-9]+: kvm_amd: SVM not supported by CPU 1$"
	echo "$output" | grep -q "X86_FEATURE_SVM is clear in that CPU's cpu_data"
}

@test "explain: 7.x offsets become members and SDM bit names" {
	run xp "$KLOG/kvm-7.3-offsets.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^line 2: kvm_intel: VMCS config on CPU 3 doesn't match reference config:$"
	echo "$output" | grep -q "^  offset 76: nested.exit_ctls_high (vmcs_probe: nested.exit_ctls_high): REF 0x107fffff, CPU3 0x007fffff$"
	echo "$output" | grep -q "^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$"
	echo "$output" | grep -q "^  offset 16: cpu_based_2nd_exec_ctrl (vmcs_probe: secondary_exec_ctrl): "
	echo "$output" | grep -q "^    bit  6 only on the reference: WBINVD_EXITING, WBINVD exiting$"
	# The high word of the u64 IA32_VMX_BASIC: bit 23 there is bit 55.
	echo "$output" | grep -q "^  offset 4: basic bits 32-63 (vmcs_probe: basic): "
	echo "$output" | grep -q "^    bit 23 only on the reference: TRUE_CTLS, "
	# The alignment hole before cpu_based_3rd_exec_ctrl.
	echo "$output" | grep -q "^  offset 20: padding of KVM 7.3's struct vmcs_config"
	echo "$output" | grep -q "^line 9: smpboot: CPU 3 is now offline$"
}

@test "explain: /dev/kmsg records with escaped newlines read the same" {
	run xp "$KLOG/kvm-7.2-kmsg.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^line 1: kvm_intel: VMCS config on CPU 0 doesn't match reference config:$"
	echo "$output" | grep -q "^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$"
	echo "$output" | grep -q "^line 3: kvm: enabling virtualization on CPU0 failed$"
}

@test "explain: journal prefixes and stdin" {
	run bash -c "sed 's/^\[[^]]*\] /Nov 29 20:41:07 host kernel: /' '$KLOG/kvm-7.3-offsets.log' |
		vmcsctl --debugfs '$NONE' explain -"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$"
}

@test "explain: with vmcs_probe loaded, its own view of the same CPU" {
	printf 'kvm_intel: Inconsistent VMCS config on CPU 1\nkvm_intel: Inconsistent VMCS config on CPU 7\n' > "$BATS_TEST_TMPDIR/log"
	run vt explain "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^  vmcs_probe: CPU 1 mismatch: secondary_exec_ctrl,nested.secondary_ctls_high (reference from CPU 0, mode none, KVM 6.1)$"
	echo "$output" | grep -q "^  vmcs_probe: CPU 7 not checked"
	! echo "$output" | grep -q "not loaded"
}

@test "explain: no KVM message is exit 0" {
	printf '[    0.000000] Linux version 6.12\nOffset 76 is just a word here\n' > "$BATS_TEST_TMPDIR/log"
	run xp "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 0 ]
	[ "$output" = "no KVM message about a CPU in $BATS_TEST_TMPDIR/log" ]
}

@test "explain: a broken KVM line is refused with file:line, exit 4" {
	f=$BATS_TEST_TMPDIR/log
	sed 's/mismatch = 0x10000000/mismatch = 0x10000001/' "$KLOG/kvm-7.3-offsets.log" > "$f"
	run xp "$f"
	[ "$status" -eq 4 ]
	[[ "$output" == *"$f:6: mismatch 0x10000001 is not REF ^ CPU3 (0x10000000)"* ]]
	printf 'x\nkvm_intel: Inconsistent VMCS config on CPU three\n' > "$f"
	run xp "$f"
	[ "$status" -eq 4 ]
	[[ "$output" == *"$f:2: not KVM's \"kvm_intel: Inconsistent VMCS config on CPU %d\""* ]]
	printf 'a\nb\0c\n' > "$f"
	run xp "$f"
	[ "$status" -eq 4 ]
	[[ "$output" == *"$f:2: NUL byte: not a text log"* ]]
}

@test "explain: usage errors exit 2, --kvm picks a 7.x layout" {
	run xp --kvm 6.12 "$KLOG/kvm-7.3-offsets.log"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--kvm 6.12: not a version that prints offsets"* ]]
	run xp --kvm 7.2 "$KLOG/kvm-7.3-offsets.log"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^  offsets read with KVM 7.2's struct vmcs_config:$"
	run xp a b
	[ "$status" -eq 2 ]
	run xp --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	run xp "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 2 ]
}
