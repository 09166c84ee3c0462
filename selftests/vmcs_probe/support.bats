#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# VMX support as the module reports it, against what the guest's own
# /proc/cpuinfo says, and as vmcsctl shows it.

setup() {
	[ -d /sys/kernel/vmcs_probe ] || modprobe vmcs_probe
	echo hw > /sys/kernel/debug/vmcs_probe/source
	echo 1 > /sys/kernel/vmcs_probe/run
}

@test "module creates its sysfs and debugfs folders" {
	[ -d /sys/kernel/vmcs_probe ]
	[ -d /sys/kernel/debug/vmcs_probe ]
	[ -r /sys/kernel/debug/vmcs_probe/support ]
}

@test "support has one line per possible CPU, in order" {
	possible=$(sed 's/.*-//' /sys/devices/system/cpu/possible)
	want=$(for n in $(seq 0 "$possible"); do echo "cpu$n"; done)
	run grep -o '^cpu[0-9]*' /sys/kernel/debug/vmcs_probe/support
	[ "$output" = "$want" ]
}

@test "a CPU is supported exactly when the kernel lists vmx for it" {
	while read -r cpu state _; do
		case "$cpu" in cpu*) ;; *) continue ;; esac
		n=${cpu#cpu}
		flags=$(awk -v n="$n" '$1 == "processor" { p = $3 }
			p == n && $1 == "flags" { print; exit }' /proc/cpuinfo)
		if echo "$flags" | grep -qw vmx; then
			[ "$state" = supported ]
		else
			[ "$state" = unsupported ]
		fi
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
}

@test "vmcsctl status: the overall status, and exit 1 unless consistent" {
	word=$(cat /sys/kernel/vmcs_probe/status)
	run vmcsctl status
	echo "$output"
	echo "$output" | grep -qw "$word"
	if [ "$word" = consistent ]; then
		[ "$status" -eq 0 ]
	else
		[ "$status" -eq 1 ]
	fi
}
