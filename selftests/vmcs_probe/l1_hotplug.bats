#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The L1-guest case with Debian's real kvm_intel (Documentation/
# admin-guide.rst, "Fleets"): a vCPU that comes online with VMX MSRs
# other than the rest, as after a migration to a host whose KVM computes
# others.  KVM 6.3 and later refuse it ("kvm_intel: Inconsistent VMCS
# config on CPU 1", "kvm: enabling virtualization on CPU1 failed", the
# CPU stays offline); 6.1 lets it in.  vmcs_probe, with hotplug_policy
# refuse, refuses the same CPU, and with report names what differs.
#
# Needs real VMX for kvm_intel's VMXON (Bochs) and the LAB ONLY shim
# lab_kvm_msr_shim (tools/vm/run --pack kvm_intel) to give CPU 1 other
# MSRs: the table is this guest's own CPUs, captured by vmcs_probe,
# with WBINVD exiting taken from CPU 1.  Skipped elsewhere.

bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/vmcs_probe
S=/sys/kernel/vmcs_probe
SHIM=/lib/modules/$(uname -r)/extra/lab_kvm_msr_shim.ko
ST=/sys/kernel/debug/lab_kvm_msr_shim
ONLINE=/sys/devices/system/cpu/cpu1/online

setup() {
	[ "${VP_EMULATOR:-}" = bochs ] || skip "needs real VMX (Bochs)"
	[ -e "$SHIM" ] || skip "lab_kvm_msr_shim not packed"
	[ -w "$ONLINE" ] || skip "CPU 1 cannot go offline"
	modinfo kvm_intel > /dev/null 2>&1 || skip "no kvm_intel"
	# The tests after this one find kvm_intel as they would have.
	KVM_WAS_LOADED=$(grep -c '^kvm_intel ' /proc/modules || true)
}

teardown() {
	rmmod vmcs_probe 2> /dev/null || true
	rmmod kvm_intel 2> /dev/null || true
	rmmod kvm 2> /dev/null || true
	[ -e "$ST/table" ] && echo clear > "$ST/table"
	rmmod lab_kvm_msr_shim 2> /dev/null || true
	echo 1 > "$ONLINE" 2> /dev/null || true
	if [ "${KVM_WAS_LOADED:-0}" -gt 0 ]; then
		modprobe kvm_intel || true
	fi
}

# The kernel's major*100+minor.
kernel_version() {
	local v
	v=$(uname -r)
	echo $((${v%%.*} * 100 + $(echo "$v" | cut -d. -f2 | cut -d- -f1)))
}

@test "L1 guest, real kvm_intel: a vCPU with other VMX MSRs is refused by KVM (6.3+) and by vmcs_probe" {
	local snap=$BATS_TEST_TMPDIR/own.snap val new
	# The guest's own CPUs, as the real MSRs say.
	rmmod vmcs_probe 2> /dev/null || true
	rmmod kvm_intel kvm 2> /dev/null || true
	modprobe vmcs_probe
	echo 1 > "$S/run"
	vmcsctl dump --all --format snapshot -o "$snap"
	rmmod vmcs_probe
	val=$(awk '$1 == "cpu" { c = $2 } c == 1 && $1 == "msr" && $2 == "0x48b" { print $3 }' "$snap")
	[ -n "$val" ]
	[ $(((val >> 38) & 1)) -eq 1 ] || skip "this CPU model lacks WBINVD exiting"
	new=$(printf '0x%016x' $((val & ~(1 << 38))))
	awk -v new="$new" '$1 == "cpu" { c = $2 }
		c == 1 && $1 == "msr" && $2 == "0x48b" { $3 = new } { print }' \
		"$snap" > "$BATS_TEST_TMPDIR/table.snap"
	grep -q "^msr 0x48b $new$" "$BATS_TEST_TMPDIR/table.snap"

	# CPU 1 leaves; KVM loads on CPU 0 through the shim.
	echo 0 > "$ONLINE"
	insmod "$SHIM"
	cat "$BATS_TEST_TMPDIR/table.snap" > "$ST/table"
	modprobe kvm_intel nested=1
	dmesg -c > /dev/null
	run bash -c "echo 1 > $ONLINE"
	if [ "$(kernel_version)" -ge 603 ]; then
		# KVM's own hotplug check refuses the vCPU.
		[ "$status" -ne 0 ]
		[ "$(cat "$ONLINE")" = 0 ]
		if [ "$(kernel_version)" -ge 700 ]; then
			# 7.x names the differing u32 words of vmcs_config:
			# WBINVD exiting is bit 6 of the secondary controls.
			dmesg | grep -q "kvm_intel: VMCS config on CPU 1 doesn't match reference config:"
			dmesg | grep -q 'mismatch = 0x00000040'
		else
			dmesg | grep -q 'kvm_intel: Inconsistent VMCS config on CPU 1'
		fi
		dmesg | grep -q 'kvm: enabling virtualization on CPU1 failed'
	else
		# 6.1 has no hotplug check: the vCPU comes in.
		[ "$status" -eq 0 ]
		echo 0 > "$ONLINE"
	fi

	# vmcs_probe (through the shim too) refuses the same CPU.
	rmmod kvm_intel kvm
	modprobe vmcs_probe hotplug_policy=refuse
	vmcsctl run --cpu 0
	run bash -c "echo 1 > $ONLINE"
	[ "$status" -ne 0 ]
	[ "$(cat "$ONLINE")" = 0 ]
	dmesg | grep -q 'vmcs_probe: CPU 1: mismatch, refusing to bring it online (hotplug_policy=refuse)'

	# With report, it comes in, named with the bit KVM objected to.
	echo report > "$S/hotplug_policy"
	echo 1 > "$ONLINE"
	run vmcsctl status
	echo "$output"
	[ "$status" -eq 1 ]
	grep -qE '^1 +supported +mismatch +secondary_exec_ctrl,nested.secondary_ctls_high$' <<< "$output"
	run vmcsctl diff reference cpu1
	grep -q 'only in A: WBINVD_EXITING' <<< "$output"
}
