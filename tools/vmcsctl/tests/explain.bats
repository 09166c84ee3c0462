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

# Run xp ARGS..., which must exit CODE.
xp_exits() {
	local code=$1
	shift
	run xp "$@"
	[ "$status" -eq "$code" ] || {
		echo "exit $status, want $code: $output" >&2
		return 1
	}
}

# Each line of LOG that ERE matches is explained ("line N: ..."), and
# nothing else is.
explains_every() {
	local ere=$1 log=$2
	[ "$(grep -c '^line ' <<< "$output")" -eq "$(grep -cE "$ere" "$log")" ]
}

@test "explain: real 6.1 log: feature inconsistency per CPU, exit 1" {
	xp_exits 1 "$KLOG/kvm-oracle-6.1.log"
	lines_match '^line 39: kvm: CPU 1 feature inconsistency!$' \
		'^  KVM 4.x to 6.2 \(known from 6.1\): CPU 1: its VMCS config differs from the reference; KVM names no field$' \
		"^line 5: kvm: no hardware support for 'kvm_intel'$" \
		'disabled by bios'
	explains_every 'kvm: (CPU [0-9]+ feature|no hardware|support for)' \
		"$KLOG/kvm-oracle-6.1.log"
}

@test "explain: real 6.12 log: Inconsistent VMCS config on CPU N" {
	xp_exits 1 "$KLOG/kvm-oracle-6.12.log"
	lines_match '^line [0-9]+: kvm_intel: Inconsistent VMCS config on CPU [01]$' \
		'^  KVM 6.3 to 6.19 \(known from 6.12\): CPU [01]: '
	explains_every 'kvm_intel: (VMX not|Inconsistent VMCS)|kvm: enabling|smpboot: CPU [0-9]+ is now' \
		"$KLOG/kvm-oracle-6.12.log"
}

@test "explain: real kvm_amd log: SVM not supported by CPU 1" {
	xp_exits 1 "$KLOG/kvm-amd-6.12.log"
	lines_match '^line [0-9]+: kvm_amd: SVM not supported by CPU 1$' \
		"X86_FEATURE_SVM is clear in that CPU's cpu_data"
}

@test "explain: 7.x offsets become members and SDM bit names" {
	xp_exits 1 "$KLOG/kvm-7.3-offsets.log"
	lines_match "^line 2: kvm_intel: VMCS config on CPU 3 doesn't match reference config:$" \
		'^  offset 76: nested.exit_ctls_high \(vmcs_probe: nested.exit_ctls_high\): REF 0x107fffff, CPU3 0x007fffff$' \
		'^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$' \
		'^  offset 16: cpu_based_2nd_exec_ctrl \(vmcs_probe: secondary_exec_ctrl\): ' \
		'^    bit  6 only on the reference: WBINVD_EXITING, WBINVD exiting$'
	# The high word of the u64 IA32_VMX_BASIC: bit 23 there is bit 55.
	lines_match '^  offset 4: basic bits 32-63 \(vmcs_probe: basic\): ' \
		'^    bit 23 only on the reference: TRUE_CTLS, '
	# The alignment hole before cpu_based_3rd_exec_ctrl.
	lines_match "^  offset 20: padding of KVM 7.3's struct vmcs_config" \
		'^line 9: smpboot: CPU 3 is now offline$'
}

@test "explain: /dev/kmsg records with escaped newlines read the same" {
	xp_exits 1 "$KLOG/kvm-7.2-kmsg.log"
	lines_match "^line 1: kvm_intel: VMCS config on CPU 0 doesn't match reference config:$" \
		'^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$' \
		'^line 3: kvm: enabling virtualization on CPU0 failed$'
}

@test "explain: journal prefixes and stdin" {
	run bash -c "sed 's/^\[[^]]*\] /Nov 29 20:41:07 host kernel: /' '$KLOG/kvm-7.3-offsets.log' |
		vmcsctl --debugfs '$NONE' explain -"
	[ "$status" -eq 1 ]
	lines_match '^    bit 28 only on the reference: LOAD_CET_STATE, Load CET state$'
}

@test "explain: with vmcs_probe loaded, its own view of the same CPU" {
	printf 'kvm_intel: Inconsistent VMCS config on CPU 1\nkvm_intel: Inconsistent VMCS config on CPU 7\n' > "$BATS_TEST_TMPDIR/log"
	run vt explain "$BATS_TEST_TMPDIR/log"
	[ "$status" -eq 1 ]
	lines_match '^  vmcs_probe: CPU 1 mismatch: secondary_exec_ctrl,nested.secondary_ctls_high \(reference from CPU 0, mode none, KVM 6.1\)$' \
		'^  vmcs_probe: CPU 7 not checked'
	[[ "$output" != *"not loaded"* ]]
}

@test "explain: no KVM message is exit 0" {
	printf '[    0.000000] Linux version 6.12\nOffset 76 is just a word here\n' > "$BATS_TEST_TMPDIR/log"
	xp_exits 0 "$BATS_TEST_TMPDIR/log"
	[ "$output" = "no KVM message about a CPU in $BATS_TEST_TMPDIR/log" ]
}

@test "explain: a broken KVM line is refused with file:line, exit 4" {
	f=$BATS_TEST_TMPDIR/log
	sed 's/mismatch = 0x10000000/mismatch = 0x10000001/' "$KLOG/kvm-7.3-offsets.log" > "$f"
	xp_exits 4 "$f"
	[[ "$output" == *"$f:6: mismatch 0x10000001 is not REF ^ CPU3 (0x10000000)"* ]]
	printf 'x\nkvm_intel: Inconsistent VMCS config on CPU three\n' > "$f"
	xp_exits 4 "$f"
	[[ "$output" == *"$f:2: not KVM's \"kvm_intel: Inconsistent VMCS config on CPU %d\""* ]]
	printf 'a\nb\0c\n' > "$f"
	xp_exits 4 "$f"
	[[ "$output" == *"$f:2: NUL byte: not a text log"* ]]
}

@test "explain: usage errors exit 2, --kvm picks a 7.x layout" {
	xp_exits 2 --kvm 6.12 "$KLOG/kvm-7.3-offsets.log"
	[[ "$output" == *"--kvm 6.12: not a version that prints offsets"* ]]
	xp_exits 1 --kvm 7.2 "$KLOG/kvm-7.3-offsets.log"
	lines_match "^  offsets read with KVM 7.2's struct vmcs_config:$"
	xp_exits 2 a b
	xp_exits 0 --help
	[[ "$output" == Usage:* ]]
	xp_exits 2 "$BATS_TEST_TMPDIR/missing"
}
