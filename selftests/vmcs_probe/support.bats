#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The walking skeleton's shell contract: the module loads, its folders
# appear, vmcsctl shows one line per possible CPU with the state the
# module reports, and the emulator decides which state that is.

setup() {
	[ -d /sys/kernel/vmcs_probe ] || modprobe vmcs_probe
}

@test "module creates its sysfs and debugfs folders" {
	[ -d /sys/kernel/vmcs_probe ]
	[ -d /sys/kernel/debug/vmcs_probe ]
	[ -r /sys/kernel/debug/vmcs_probe/support ]
}

@test "vmcsctl status lists every possible CPU once" {
	run vmcsctl status
	[ "$status" -eq 0 ]
	possible=$(sed 's/.*-//' /sys/devices/system/cpu/possible)
	for cpu in $(seq 0 "$possible"); do
		[ "$(echo "$output" | grep -c "^cpu$cpu ")" -eq 1 ]
	done
}

@test "vmcsctl status agrees with debugfs" {
	run vmcsctl status
	[ "$status" -eq 0 ]
	while read -r cpu state _; do
		case "$cpu" in cpu*) ;; *) continue ;; esac
		echo "$output" | grep -Eq "^$cpu +$state\$"
	done < /sys/kernel/debug/vmcs_probe/support
}

@test "VMX support follows the emulator: none under QEMU TCG, all CPUs under Bochs" {
	case "${VP_EMULATOR:-}" in
	qemu) want=unsupported ;;
	bochs) want=supported ;;
	*) skip "not in a lab guest" ;;
	esac
	n=$(grep -c '^cpu[0-9]* ' /sys/kernel/debug/vmcs_probe/support)
	[ "$n" -ge 1 ]
	[ "$(grep -c "^cpu[0-9]* $want " /sys/kernel/debug/vmcs_probe/support)" -eq "$n" ]
	grep -q "^status: $want\$" <(vmcsctl status)
}
