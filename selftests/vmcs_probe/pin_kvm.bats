#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl pin-kvm in a guest, with Debian's real kvm_intel (packed by
# tools/check's kvm-host lane) on a QEMU Intel model: TCG has no VMX, so
# every load fails in vmx_init(), whose __kvm_is_vmx_supported() prints
# "kvm_intel: VMX not supported by CPU N" with the CPU the vendor
# module's setup ran on.  vmcsctl explain reads N back from the log.
# Loads go through the module alias, as udev's do at boot.
# Run only when named (run_lane.sh opt_in).

# Any CPU's modalias with X86_FEATURE_VMX (word 4, bit 5 = 0x0085):
# what udev passes to modprobe for a VMX CPU.
VMX_ALIAS='cpu:type:x86,ven0000fam0006mod0055:feature:,0085'
RULE=/etc/modprobe.d/vmcs_probe-pin-kvm.conf

setup() {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	modinfo kvm_intel > /dev/null 2>&1 || skip "kvm_intel not packed"
	rm -f "$RULE"
}

teardown() {
	rm -f "$RULE"
}

# Load through the alias @1 times; print the CPU of each refusal.
alias_loads() {
	local i
	for ((i = 0; i < $1; i++)); do
		dmesg -c > /dev/null
		modprobe "$VMX_ALIAS" 2> /dev/null
		dmesg | vmcsctl --debugfs /nonexistent explain - |
			sed -n 's/^line [0-9]*: kvm_intel: VMX not supported by CPU \([0-9]*\)$/\1/p'
	done
}

@test "pin-kvm: the alias resolves to kvm_intel through the install rule" {
	vmcsctl pin-kvm --cpu 1
	run modprobe -n -v "$VMX_ALIAS"
	echo "$output"
	[[ "$output" == *"install /usr/bin/taskset -c 1 /sbin/modprobe --ignore-install kvm_intel"* ]]
}

@test "pin-kvm: every alias load runs on the pinned CPU, 1 then 0" {
	# Unpinned first, for the record: where the scheduler put them.
	echo "# unpinned: $(alias_loads 10 | sort | uniq -c | xargs)" >&3
	vmcsctl pin-kvm --cpu 1
	run alias_loads 10
	echo "# pinned to CPU 1: $(echo $output)" >&3
	[ "${#lines[@]}" -eq 10 ]
	[ -z "$(echo "$output" | grep -vx 1)" ]
	vmcsctl pin-kvm --cpu 0
	run alias_loads 10
	echo "# pinned to CPU 0: $(echo $output)" >&3
	[ "${#lines[@]}" -eq 10 ]
	[ -z "$(echo "$output" | grep -vx 0)" ]
}

@test "pin-kvm: --remove restores modprobe's plain load" {
	before=$(modprobe -n -v "$VMX_ALIAS" 2>&1)
	ls /etc/modprobe.d > "$BATS_TEST_TMPDIR/before"
	vmcsctl pin-kvm --cpu 1
	vmcsctl pin-kvm --remove
	ls /etc/modprobe.d > "$BATS_TEST_TMPDIR/after"
	cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	[ "$(modprobe -n -v "$VMX_ALIAS" 2>&1)" = "$before" ]
	[[ "$before" != *install* ]]
	run vmcsctl pin-kvm --status
	[ "$status" -eq 1 ]
}
