#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl compute, decode and diff: snapshots and the module's trees.

load helpers

setup() {
	setup_tree mismatch
}

@test "compute: consistent snapshot exits 0, reference in debugfs format" {
	run --separate-stderr vmcsctl compute "$FIX/skylake_x.snap"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "# reference (status consistent)" ]
	[ "${lines[1]}" = "version 1" ]
	echo "$output" | grep -q '^kvm 6.1$'
	echo "$output" | grep -q '^result 0 none$'
	echo "$output" | grep -q '^# cpu1 config$'
	echo "$output" | sed -n '/^# compat/,$p' | grep -q '^cpu1 ok$'
}

@test "compute: the reference block parses like debugfs reference" {
	vmcsctl compute "$FIX/skylake_x-mismatch.snap" |
		awk '/^# /{n++} n == 1 && !/^#/' |
		sed 's/^generation 0$/generation 12/' > "$DBG/reference" || true
	run vt dump --reference
	[ "$status" -eq 0 ]
}

@test "compute: mismatch exits 1 and names the fields like debugfs compat" {
	run vmcsctl compute "$FIX/skylake_x-mismatch.snap"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^cpu1 mismatch secondary_exec_ctrl,nested.secondary_ctls_high$'
	# The same line the module would show.
	grep -q '^cpu1 mismatch secondary_exec_ctrl,nested.secondary_ctls_high$' \
		"$FIX/tree-mismatch/debug/compat"
}

@test "compute: unsupported CPU and failing setup exit 1" {
	run vmcsctl compute "$FIX/unsupported.snap"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "# reference (status unsupported)" ]
	echo "$output" | grep -q '^cpu1 unsupported$'
	run vmcsctl compute "$FIX/error.snap"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^result -5 vmcs_memtype$'
}

@test "compute: a failed setup is an error even where a CPU lacks VMX" {
	# report.c's rule, the module's too (status_words.bats in the
	# guest): the setup fails before any CPU is checked.
	run --separate-stderr vmcsctl compute "$FIX/error-unsupported.snap"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "# reference (status error)" ]
	echo "$output" | grep -q '^cpu1 unsupported$'
}

@test "compute: --kvm and --ref-cpu" {
	run vmcsctl compute "$FIX/skylake_x.snap" --kvm 6.12
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^kvm 6.12$'
	run vmcsctl compute "$FIX/skylake_x-mismatch.snap" --ref-cpu 1
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^cpu0 mismatch '
	echo "$output" | grep -q '^cpu1 ok$'
}

@test "compute: reads stdin as -" {
	run vmcsctl compute - < "$FIX/skylake_x.snap"
	[ "$status" -eq 0 ]
}

@test "compute: usage errors exit 2" {
	run vmcsctl compute
	[ "$status" -eq 2 ]
	run vmcsctl compute "$FIX/skylake_x.snap" --kvm 5.4
	[ "$status" -eq 2 ]
	run vmcsctl compute "$FIX/skylake_x.snap" --ref-cpu 9
	[ "$status" -eq 2 ]
	[[ "$output" == *"no section for CPU 9"* ]]
	run vmcsctl compute "$BATS_TEST_TMPDIR/missing.snap"
	[ "$status" -eq 2 ]
}

@test "compute: every malformed snapshot exits 4 naming file and line" {
	for f in "$FIX"/malformed/*.snap; do
		run --separate-stderr vmcsctl compute "$f"
		[ "$status" -eq 4 ]
		[ -z "$output" ]
		[[ "$stderr" =~ ^vmcsctl:\ $f:[0-9]+:\  ]]
	done
	run vmcsctl compute "$FIX/malformed/duplicate-msr.snap"
	[[ "$output" == *"duplicate-msr.snap:4: duplicate MSR '0x480'"* ]]
	run vmcsctl compute "$FIX/malformed/truncated.snap"
	[[ "$output" == *"truncated.snap:20: missing 'end' line"* ]]
}

@test "compute: input over 1 MiB exits 4" {
	big=$BATS_TEST_TMPDIR/big.snap
	{ cat "$FIX/skylake_x.snap"; head -c 1100000 /dev/zero | tr '\0' '#'; } > "$big"
	run vmcsctl compute "$big"
	[ "$status" -eq 4 ]
	[[ "$output" == *"larger than 1048576 bytes"* ]]
}

@test "decode: Skylake-X snapshot names every set bit (none unknown)" {
	run vmcsctl decode "$FIX/skylake_x.snap"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^Unknown bits set: none$'
	! echo "$output" | grep -q '^  Unknown'
}

@test "decode: vmxcap conventions yes/no/forced/default" {
	run vmcsctl decode "$FIX/skylake_x.snap"
	echo "$output" | grep -Eq '^  External interrupt exiting +yes$'
	echo "$output" | grep -Eq '^  Activate tertiary controls +no$'
	echo "$output" | grep -Eq '^  CR3-load exiting +default$'
	echo "$output" | grep -Eq '^  Save debug controls +default$'
	echo "$output" | grep -Eq '^  Reserved, default1 \(0x00000016\) +forced$'
	echo "$output" | grep -Eq '^  Revision +43$'
	echo "$output" | grep -Eq '^  VMCS size +4096$'
	echo "$output" | grep -Eq '^  Paging +forced$'
	echo "$output" | grep -Eq '^  VMX enable +forced$'
	echo "$output" | grep -q 'IA32_VMX_PROCBASED_CTLS3, 0x492)$'
	echo "$output" | grep -qxF '  not available: 0x482[49] is 0, no such controls'
	echo "$output" | grep -Eq '^  secondary_exec_ctrl +0x021b7fff +.*TSC_SCALING'
}

@test "decode: tertiary and secondary-exit MSRs only when they exist" {
	local snap=$BATS_TEST_TMPDIR/ter.snap
	run vmcsctl decode "$FIX/skylake_x.snap"
	grep -qxF '  not available: 0x483[63] is 0, no such controls' <<< "$output"
	! grep -q 'LOADIWKEY' <<< "$output"
	# 0x482[49] and 0x483[63] set: both are decoded bit by bit.
	sed -e 's/^msr 0x482 0xfff9fffe/msr 0x482 0xfffbfffe/' \
	    -e 's/^msr 0x483 0x03ffffff/msr 0x483 0x83ffffff/' \
	    -e 's/^msr 0x492 fault/msr 0x492 0x1/' \
	    -e 's/^msr 0x493 fault/msr 0x493 0x0/' "$FIX/skylake_x.snap" > "$snap"
	run vmcsctl decode "$snap" --cpu 0
	[ "$status" -eq 0 ]
	grep -Eq '^  LOADIWKEY exiting +yes$' <<< "$output"
	grep -q 'IA32_VMX_EXIT_CTLS2, 0x493) = 0x0000000000000000$' <<< "$output"
	! grep -q 'not available' <<< "$output"
}

@test "decode: SDM names (APIC-register virtualization, LASS), default1 bits" {
	local snap=$BATS_TEST_TMPDIR/lass.snap
	sed 's/^msr 0x489 0x00000000007727ff/msr 0x489 0x00000000087727ff/' \
		"$FIX/skylake_x.snap" > "$snap"
	run vmcsctl decode "$snap"
	[ "$status" -eq 0 ]
	grep -Eq '^  APIC-register virtualization +yes$' <<< "$output"
	grep -Eq '^  Linear-address-space separation +yes$' <<< "$output"
	grep -q '^Unknown bits set: none$' <<< "$output"
	# The computed section names the reserved default1 bits as such.
	grep -Eq '^  pin_based_exec_ctrl +0x000000ff +.* default1=0x16$' <<< "$output"
	grep -Eq '^  vmentry_ctrl +0x[0-9a-f]+ +.* default1=0x11fb$' <<< "$output"
	! grep -E '^  [a-z_.]*(ctrl|ctls_(low|high)) ' <<< "$output" |
		grep -q 'unnamed'
}

@test "decode: an undefined bit is shown as Unknown and counted" {
	run vmcsctl decode "$FIX/unknown-bit.snap"
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eq '^  Unknown \(bit 29\) +yes$'
	echo "$output" | grep -q '^Unknown bits set: 1 '
}

@test "decode: --cpu picks a section of a snapshot" {
	run vmcsctl decode "$FIX/skylake_x-mismatch.snap" --cpu 1
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eq '^  TSC scaling +no$'
	run vmcsctl decode "$FIX/skylake_x-mismatch.snap" --cpu 7
	[ "$status" -eq 2 ]
}

@test "decode: live and cpuN read the module" {
	run vt decode
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Source: cpu0, CPU 0" ]]
	run vt decode cpu1
	[ "$status" -eq 0 ]
	echo "$output" | grep -Eq '^  VMCS shadowing +no$'
	echo "$output" | grep -Eq '^  secondary_exec_ctrl +0x001b3fff '
	run vt decode cpu9
	[ "$status" -eq 3 ]
}

@test "decode: malformed input exits 4, usage errors 2" {
	run vmcsctl decode "$FIX/malformed/version.snap"
	[ "$status" -eq 4 ]
	run vmcsctl decode a b
	[ "$status" -eq 2 ]
	run vmcsctl decode nowhere.snap
	[ "$status" -eq 2 ]
}

@test "diff: equal sides exit 0" {
	run vt diff reference cpu0
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "equal" ]
	run vt diff live "$FIX/skylake_x-mismatch.snap"
	[ "$status" -eq 0 ]
}

@test "diff: module reference against cpu1 names the bits and the side" {
	run vt diff reference cpu1
	[ "$status" -eq 1 ]
	echo "$output" | grep -Eq '^secondary_exec_ctrl +A 0x021b7fff  B 0x001b3fff$'
	echo "$output" | grep -q '^  only in A: SHADOW_VMCS TSC_SCALING$'
	echo "$output" | grep -q '^  only in A: TSC_SCALING$'
	[ "${lines[-1]}" = "2 differences" ]
	run vt diff cpu1 reference
	echo "$output" | grep -q '^  only in B: SHADOW_VMCS TSC_SCALING$'
}

@test "diff: two snapshots, and FILE:cpuN" {
	run vmcsctl diff "$FIX/skylake_x.snap" "$FIX/skylake_x-mismatch.snap:cpu1"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^B: $FIX/skylake_x-mismatch.snap:cpu1$"
	run vmcsctl diff "$FIX/skylake_x.snap" "$FIX/skylake_x-mismatch.snap"
	[ "$status" -eq 0 ]
	run vmcsctl diff "$FIX/skylake_x.snap" "$FIX/error.snap"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^result: A 0 none, B -5 vmcs_memtype$'
	echo "$output" | grep -q '^  REVISION: A 43, B 0$'
}

@test "diff: errors exit 2, 3 and 4" {
	run vt diff reference
	[ "$status" -eq 2 ]
	run vt diff reference nonsense
	[ "$status" -eq 2 ]
	run vt diff reference "$FIX/skylake_x.snap:cpu9"
	[ "$status" -eq 2 ]
	run vmcsctl --debugfs "$BATS_TEST_TMPDIR/none" diff reference cpu1
	[ "$status" -eq 3 ]
	run vt diff reference "$FIX/malformed/unknown-msr.snap"
	[ "$status" -eq 4 ]
	[[ "$output" == *"unknown-msr.snap:3: unknown MSR '0x494'"* ]]
}

@test "decode/compute: the real Bochs Skylake-X capture" {
	snap=$DATA/corei7_skylake_x.snapshot
	run vmcsctl decode "$snap"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^Unknown bits set: none$'
	echo "$output" | grep -Eq '^  Revision +43$'
	echo "$output" | grep -Eq '^  Process posted interrupts +no$'
	run vmcsctl compute "$snap"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^kvm 6.12$'
	[ "$(echo "$output" | grep -c '^result 0 none$')" -eq 3 ]
}

@test "diff: vmcsctl's engine reproduces the module's reference on Bochs" {
	# The module's debugfs reference, read in the same Bochs guest that
	# the capture comes from: computing the capture offline must give
	# exactly that.
	# The capture keeps the reference without its generation line.
	sed '1a generation 1' "$DATA/corei7_skylake_x.reference" > "$DBG/reference"
	run vt diff reference "$DATA/corei7_skylake_x.snapshot"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "equal" ]
}

@test "compute: missing boot-CPU and cpuid lines warn, naming file and line" {
	local snap=$BATS_TEST_TMPDIR/partial.snap magic cpu0
	# Drop boot_cpu_nx and CPU 0's cpuid 0x1 line from a complete file.
	awk '/^boot_cpu_nx / { next }
	     /^cpu 1$/ { cpu1 = 1 }
	     /^cpuid 0x1 / && !cpu1 { next } { print }' \
		"$FIX/skylake_x.snap" > "$snap"
	magic=$(grep -n '^vmcs_probe-snapshot 1$' "$snap" | cut -d: -f1)
	cpu0=$(grep -n '^cpu 0$' "$snap" | cut -d: -f1)
	run --separate-stderr vmcsctl compute "$snap"
	# A warning, not an error: the computation runs.
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[0]}" = "vmcsctl: warning: $snap:$magic: no 'boot_cpu_nx' line: the reader's default NX applies" ]
	[ "${stderr_lines[1]}" = "vmcsctl: warning: $snap:$cpu0: no 'cpuid 0x1' line in this cpu section: signature 0, no erratum matches" ]
	# The complete file: no warning at all.
	run --separate-stderr vmcsctl compute "$FIX/skylake_x.snap"
	[ -z "$stderr" ]
}

@test "compute: no tsc_khz warns when KVM's 5 GHz guess turned the timer off" {
	local snap=$DATA/corei7_haswell_4770.snapshot
	run --separate-stderr vmcsctl compute "$snap" --format kvm
	[ "$status" -eq 0 ]
	[ "$stderr" = "vmcsctl: warning: $snap:1: no 'tsc_khz' line: preemption_timer is off only by KVM's 5 GHz guess for an unknown TSC frequency (give tsc_khz or --tsc-khz)" ]
	run --separate-stderr vmcsctl compute "$snap" --format kvm \
		--tsc-khz 5000000
	[ -z "$stderr" ]
	# preemption_timer=0 turns it off whatever the frequency: no warning.
	run --separate-stderr vmcsctl compute "$snap" --param preemption_timer=0
	[ -z "$stderr" ]
}
