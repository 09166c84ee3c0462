#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What a fleet sees of a live module: vmcsctl's Prometheus and NFD files
# name a CPU made different (inject) as the one KVM would refuse, and
# migrate compares the live host with a snapshot.  Then the L1-guest
# case of Documentation/admin-guide.rst ("Fleets"): a vCPU brought online
# whose VMX MSRs differ from the others', as after a migration to a host
# whose KVM computes other nested MSRs, found and refused by following
# the operator's procedure step by step.  Runs on a replayed Bochs
# capture (QEMU TCG has no VMX).

bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/vmcs_probe
S=/sys/kernel/vmcs_probe
TOP=$BATS_TEST_DIRNAME/../..
SNAP=$TOP/selftests/vmcs_probe/data/corei7_skylake_x.snapshot
# Bit 38 of IA32_VMX_PROCBASED_CTLS2: WBINVD exiting may be 1.
WBINVD="msr 0x48b clear 0x4000000000"

setup() {
	[ -d "$S" ] || modprobe vmcs_probe
	[ -d "$D" ] || skip "no debugfs"
	LAST=$(($(nproc) - 1))
	[ "$LAST" -ge 1 ] || skip "needs 2 CPUs"
	echo clear > "$D/inject"
	echo none > "$S/pinning_mode"
	echo report > "$S/hotplug_policy"
	cat "$SNAP" > "$D/snapshot"
	echo replay > "$D/source"
}

teardown() {
	echo report > "$S/hotplug_policy" || true
	echo clear > "$D/inject" || true
	echo 1 > "/sys/devices/system/cpu/cpu$LAST/online" 2> /dev/null || true
	echo hw > "$D/source" || true
}

# The value of the sample $2 in the file $1.
sample() {
	awk -v s="$2" '$1 == s { print $2; found = 1 } END { exit !found }' "$1"
}

@test "prometheus: the injected CPU is the mismatching one, then all clear" {
	local f=$BATS_TEST_TMPDIR/vmcs_probe.prom cpu
	echo "cpu $LAST $WBINVD" > "$D/inject"
	run vmcsctl run --cpu 0
	[ "$status" -eq 1 ]
	vmcsctl dump --format prometheus -o "$f"
	[ "$(sample "$f" vmcs_probe_up)" = 1 ]
	[ "$(sample "$f" vmcs_probe_consistent)" = 0 ]
	[ "$(sample "$f" 'vmcs_probe_status{status="inconsistent"}')" = 1 ]
	[ "$(sample "$f" vmcs_probe_generation)" = "$(cat "$S/generation")" ]
	[ "$(sample "$f" vmcs_probe_mismatching_cpus)" = 1 ]
	for cpu in $(seq 0 "$LAST"); do
		if [ "$cpu" -eq "$LAST" ]; then
			[ "$(sample "$f" "vmcs_probe_cpu_mismatch{cpu=\"$cpu\"}")" = 1 ]
			[ "$(sample "$f" "vmcs_probe_cpu_compat_info{cpu=\"$cpu\",compat=\"mismatch\"}")" = 1 ]
			# secondary_exec_ctrl and nested.secondary_ctls_high
			[ "$(sample "$f" "vmcs_probe_cpu_mismatching_fields{cpu=\"$cpu\"}")" = 2 ]
		else
			[ "$(sample "$f" "vmcs_probe_cpu_mismatch{cpu=\"$cpu\"}")" = 0 ]
		fi
	done
	# The reference (CPU 0) offers WBINVD exiting to a guest.
	[ "$(sample "$f" 'vmcs_probe_nested_feature{feature="vmx-wbinvd-exit",sdm="WBINVD_EXITING"}')" = 1 ]
	# The setup trace of the run: bound to CPU 0, no switch.
	[ "$(sample "$f" vmcs_probe_last_run_cpu_switches)" = 0 ]
	[ "$(sample "$f" vmcs_probe_last_run_mixed)" = 0 ]
	[ "$(sample "$f" 'vmcs_probe_last_run_info{mode="none",source="replay"}')" = 1 ]

	echo clear > "$D/inject"
	vmcsctl run --cpu 0
	vmcsctl dump --format prometheus -o "$f"
	[ "$(sample "$f" vmcs_probe_consistent)" = 1 ]
	[ "$(sample "$f" vmcs_probe_mismatching_cpus)" = 0 ]
	[ "$(sample "$f" "vmcs_probe_cpu_mismatch{cpu=\"$LAST\"}")" = 0 ]
}

@test "nfd: the live verdict as labels" {
	local p=feature.node.kubernetes.io/vmcs_probe
	echo "cpu $LAST $WBINVD" > "$D/inject"
	vmcsctl run --cpu 0 || true
	run vmcsctl dump --format nfd
	[ "$status" -eq 0 ]
	grep -qx "$p.status=inconsistent" <<< "$output"
	grep -qx "$p.mismatching_cpus=1" <<< "$output"
	grep -qx "$p.nested.vmx-wbinvd-exit=true" <<< "$output"
	echo clear > "$D/inject"
	vmcsctl run --cpu 0
	run vmcsctl dump --format nfd
	grep -qx "$p.status=consistent" <<< "$output"
}

@test "migrate live: the same host as its snapshot, then a reference CPU without WBINVD exiting" {
	local kvm
	vmcsctl run --cpu 0
	# kvm_version is empty unless given: the KVM mirrored is the one the
	# module's reference names.
	kvm=$(sed -n 's/^kvm //p' "$D/reference")
	run vmcsctl migrate live "$SNAP,kvm=$kvm"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no differences"* ]]
	# The reference computed on the injected CPU: its guests lack it.
	echo "cpu $LAST $WBINVD" > "$D/inject"
	vmcsctl run --cpu "$LAST" || true
	run vmcsctl migrate "$SNAP,kvm=$kvm" live
	echo "$output"
	[ "$status" -eq 1 ]
	grep -qE '^vmx-wbinvd-exit +WBINVD_EXITING +0x48b:6 +H1 +H2 +cpu: the CPU lacks it' <<< "$output"
	[[ "$output" == *"1 difference"* ]]
}

# Documentation/admin-guide.rst, "Fleets", "In an L1 guest: a vCPU that
# KVM refuses", steps 1 to 4, as an operator would run them.
@test "L1 guest: a hot-added vCPU with other VMX MSRs, reported then refused" {
	local cpu=$LAST online=/sys/devices/system/cpu/cpu$LAST/online
	[ -w "$online" ] || skip "CPU $cpu cannot go offline"
	vmcsctl run --cpu 0
	[ "$(cat "$S/status")" = consistent ]
	# The vCPU leaves, and comes back with other VMX MSRs (as it would
	# from another host's KVM).
	echo 0 > "$online"
	echo "cpu $cpu $WBINVD" > "$D/inject"

	# 1. Policy report: the vCPU comes online and is flagged.
	echo 1 > "$online"
	run vmcsctl status
	echo "$output"
	[ "$status" -eq 1 ]
	grep -qE "^$cpu +supported +mismatch +secondary_exec_ctrl,nested.secondary_ctls_high$" <<< "$output"
	# 2. What differs, by field and bit.
	run vmcsctl diff reference "cpu$cpu"
	echo "$output"
	[ "$status" -eq 1 ]
	grep -q 'only in A: WBINVD_EXITING' <<< "$output"
	# 3. The monitoring sees the same CPU.
	run vmcsctl dump --format prometheus
	grep -qx "vmcs_probe_cpu_mismatch{cpu=\"$cpu\"} 1" <<< "$output"
	# 4. Policy refuse: the same vCPU cannot come online again, as KVM
	# since 6.3 refuses it, and the kernel log names it.
	echo 0 > "$online"
	echo refuse > "$S/hotplug_policy"
	run bash -c "echo 1 > $online"
	[ "$status" -ne 0 ]
	[ "$(cat "$online")" = 0 ]
	dmesg | grep -q "vmcs_probe: CPU $cpu: .*refusing to bring it online (hotplug_policy=refuse)"
	run vmcsctl status
	grep -qE "^$cpu +[a-z]+ +offline" <<< "$output"
	# A vCPU that matches again is let in.
	echo clear > "$D/inject"
	echo 1 > "$online"
	[ "$(cat "$online")" = 1 ]
	run vmcsctl status
	echo "$output"
	[ "$status" -eq 0 ]
}
