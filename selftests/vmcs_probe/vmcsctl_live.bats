#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl against the live module, in every lab guest: what the tool
# shows is what the module's files say, and its offline engine gives the
# module's own reference.  Under QEMU TCG (no VMX) the tool runs on a
# replayed capture as well as on the honest "unsupported" hardware.

bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/vmcs_probe
S=/sys/kernel/vmcs_probe

setup() {
	[ -d "$S" ] || modprobe vmcs_probe
	echo clear > "$D/inject"
	echo hw > "$D/source"
	echo none > "$S/pinning_mode"
}

teardown() {
	echo clear > "$D/inject" || true
	echo hw > "$D/source" || true
	echo none > "$S/pinning_mode" || true
}

replay() {
	local snap=selftests/vmcs_probe/data/corei7_skylake_x.snapshot
	cat "$snap" > "$D/snapshot"
	echo replay > "$D/source"
}

# The hardware as it is: on Bochs, and on a replay elsewhere.
vmx_source() {
	[ "${VP_EMULATOR:-}" = bochs ] || replay
}

@test "vmcsctl mode: shows and sets the module's pinning mode" {
	run vmcsctl mode preempt_disable
	[ "$status" -eq 0 ]
	grep -q '\[preempt_disable\]' "$S/pinning_mode"
	run vmcsctl mode
	[ "$status" -eq 0 ]
	[[ "$output" == *preempt_disable* ]]
	run vmcsctl mode Preempt_Disable
	[ "$status" -eq 2 ]
	grep -q '\[preempt_disable\]' "$S/pinning_mode"
}

@test "vmcsctl run --cpu N: the setup runs on CPU N and status is consistent" {
	vmx_source
	last=$(($(nproc) - 1))
	run vmcsctl run --mode migrate_disable --cpu "$last"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx "start_cpu $last" "$D/setup_trace"
	grep -qx "end_cpu $last" "$D/setup_trace"
	grep -qx "mode migrate_disable" "$D/setup_trace"
	[ "$(cat $S/status)" = consistent ]
}

@test "vmcsctl status: exit 1 and the differing field when a CPU differs" {
	vmx_source
	echo "cpu 1 msr 0x48b clear 0x4000000000" > "$D/inject"
	run vmcsctl run --cpu 0
	[ "$status" -eq 1 ]
	run vmcsctl status
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *inconsistent* ]]
	[[ "$output" == *secondary_exec_ctrl* ]]
}

@test "vmcsctl dump --format snapshot + compute: the module's reference, offline" {
	vmx_source
	run vmcsctl run --cpu 0
	[ "$status" -eq 0 ]
	vmcsctl dump --all --format snapshot -o "$BATS_TEST_TMPDIR/live.snap"
	run vmcsctl compute "$BATS_TEST_TMPDIR/live.snap" --ref-cpu 0
	[ "$status" -eq 0 ]
	# Every field line of the module's reference, in the offline output.
	grep -E '^[a-z_.0-9]+ 0x[0-9a-f]+$' "$D/reference" > "$BATS_TEST_TMPDIR/fields"
	[ -s "$BATS_TEST_TMPDIR/fields" ]
	while read -r line; do
		grep -qxF "$line" <<< "$output" || { echo "missing: $line"; false; }
	done < "$BATS_TEST_TMPDIR/fields"
}

@test "kvm_view: the module's and compute --format kvm's lines are the same" {
	vmx_source
	run vmcsctl run --cpu 0
	[ "$status" -eq 0 ]
	# The live snapshot carries tsc_khz, hyperv_evmcs and the parameters:
	# offline, the same inputs must give the same view.
	vmcsctl dump --all --format snapshot -o "$BATS_TEST_TMPDIR/live.snap"
	grep -q '^tsc_khz [0-9]' "$BATS_TEST_TMPDIR/live.snap"
	grep -qx 'param nested 1' "$BATS_TEST_TMPDIR/live.snap"
	run --separate-stderr vmcsctl compute "$BATS_TEST_TMPDIR/live.snap" \
		--ref-cpu 0 --format kvm
	[ "$status" -eq 0 ]
	diff -u "$D/kvm_view" - <<< "$output"
	grep -qx 'load 0' "$D/kvm_view"
	grep -qx 'ref_cpu 0' "$D/kvm_view"
	[ "$(grep -c '^msr 0x4[89][0-9a-f] 0x[0-9a-f]\{16\}$' "$D/kvm_view")" -eq 18 ]
	[ "${VP_EMULATOR:-}" = bochs ] && return
	# The replayed capture: KVM's own KVM_GET_MSRS values.
	while read -r index val; do
		val=${val#0x}
		while [ ${#val} -lt 16 ]; do val=0$val; done
		grep -qx "msr $index 0x$val" "$D/kvm_view" ||
			{ echo "KVM had $index 0x$val"; false; }
	done < selftests/vmcs_probe/data/corei7_skylake_x.kvm_nested_msrs
}

@test "kvm_view: a CPU that differs is blamed, the load is -EIO" {
	vmx_source
	echo "cpu 1 msr 0x48b clear 0x4000000000" > "$D/inject"
	vmcsctl run --cpu 0 > /dev/null || true
	[ "$(head -n 4 "$D/kvm_view")" = "$(printf 'kvm %s\nref_cpu 0\nload -5\nblame 1' \
		"$(sed -n 's/^kvm //p' "$D/reference")")" ]
	[ "$(wc -l < "$D/kvm_view")" -eq 4 ]
}

@test "snapshot: tsc_khz, hyperv_evmcs and param lines round-trip the module" {
	local snap=selftests/vmcs_probe/data/corei7_skylake_x.snapshot
	sed 's/^boot_cpu_mpx 0$/boot_cpu_mpx 0\ntsc_khz 123456\nhyperv_evmcs 1\nparam ept 0\nparam ple_window 8192/' \
		"$snap" > "$BATS_TEST_TMPDIR/lines.snap"
	grep -qx 'param ept 0' "$BATS_TEST_TMPDIR/lines.snap"
	cat "$BATS_TEST_TMPDIR/lines.snap" > "$D/snapshot"
	for l in 'tsc_khz 123456' 'hyperv_evmcs 1' 'param ept 0' \
		'param ple_window 8192'; do
		grep -qx "$l" "$D/snapshot" || { echo "snapshot lacks $l"; false; }
	done
	echo replay > "$D/source"
	vmcsctl run --cpu 0 > /dev/null
	# A replay run uses them, and the module's snapshots carry them on.
	for l in 'tsc_khz 123456' 'hyperv_evmcs 1' 'param ept 0' \
		'param ple_window 8192' 'param vpid 1'; do
		grep -qx "$l" "$D/cpus/cpu0/msrs" ||
			{ echo "cpu0/msrs lacks $l"; false; }
	done
	grep -qx 'param ept N' "$D/kvm_view"
	# Only kernels with CONFIG_HYPERV (Debian's: m) have the parameter.
	if grep -q '^param enlightened_vmcs ' "$D/kvm_view"; then
		grep -qx 'param enlightened_vmcs Y' "$D/kvm_view"
	fi
}

@test "vmcsctl dump --format json is valid JSON with version 1" {
	vmx_source
	vmcsctl run --cpu 0 > /dev/null || true
	run vmcsctl dump --all --format json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"version": 1'* ]] || [[ "$output" == *'"version":1'* ]]
	# No python in the guest: balanced braces and brackets, at least.
	opens=$(tr -cd '{[' <<< "$output" | wc -c)
	closes=$(tr -cd '}]' <<< "$output" | wc -c)
	[ "$opens" -eq "$closes" ]
}

@test "vmcsctl decode live: no set bit is unknown" {
	vmx_source
	vmcsctl run --cpu 0 > /dev/null || true
	run vmcsctl decode live
	echo "$output" | head -20
	[ "$status" -eq 0 ]
	[[ "$output" == *"Unknown bits set: none"* ]]
}

@test "vmcsctl diff: reference against an injected CPU names the bit" {
	vmx_source
	echo "cpu 1 msr 0x48b clear 0x4000000000" > "$D/inject"
	vmcsctl run --cpu 0 > /dev/null || true
	run vmcsctl diff reference cpu1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *WBINVD_EXITING* ]]
	run vmcsctl diff reference cpu0
	[ "$status" -eq 0 ]
}

@test "vmcsctl without the module: exit 3" {
	run vmcsctl --sysfs /nonexistent --debugfs /nonexistent status
	[ "$status" -eq 3 ]
}
