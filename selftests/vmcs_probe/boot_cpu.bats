#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The boot-CPU audit (debugfs boot_cpu, vmcsctl status) on a guest whose
# CPUs really differ: tools/check's kvm-host-6.12 lane boots QEMU with
# CPU 0 a Skylake-Server and CPU 1 one without ARAT (a feature KVM's
# x86.c takes from boot_cpu_data) and without 1 GiB pages (a bit of
# CPUID.80000001H:EDX, a word kvm_cpu_caps starts from).  The kernel
# ANDs every CPU it brings up into boot_cpu_data (identify_cpu()), so
# KVM goes by the features all CPUs have: CPU 0's ARAT is invisible to
# KVM even when KVM's load is pinned to CPU 0, and it is CPU 0 that
# differs from boot_cpu_data.
# Run only when named (run_lane.sh opt_in).

BOOT=/sys/kernel/debug/vmcs_probe/boot_cpu

# Does CPU @1 list flag @2 in /proc/cpuinfo?
cpu_flag() {
	awk -v n="$1" '$1 == "processor" { p = $3 }
		p == n && $1 == "flags" { print; exit }' /proc/cpuinfo |
		grep -qw "$2"
}

setup() {
	[ -d /sys/kernel/vmcs_probe ] || modprobe vmcs_probe
	[ -e /sys/devices/system/cpu/cpu1 ] || skip "needs 2 CPUs"
	echo 1 > /sys/devices/system/cpu/cpu1/online
}

@test "boot_cpu: the emulator gave CPU 1 fewer features than CPU 0" {
	cpu_flag 0 arat
	! cpu_flag 1 arat
	cpu_flag 0 pdpe1gb
	! cpu_flag 1 pdpe1gb
}

@test "boot_cpu: debugfs names CPU 0's ARAT, which boot_cpu_data lacks" {
	run cat "$BOOT"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "version 1" ]
	[ "${lines[1]}" = "kvm 6.12" ]
	[ "${lines[2]}" = "cpu0 differs lacks=- has=ARAT words=CPUID_8000_0001_EDX:0x4000000" ]
	[ "${lines[3]}" = "cpu1 same lacks=- has=- words=-" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "boot_cpu: vmcsctl status says it in words" {
	run vmcsctl status
	echo "$output"
	echo "$output" | grep -qx "CPU 0 has X86_FEATURE_ARAT but KVM goes by boot_cpu_data, which lacks it (x86.c)"
	echo "$output" | grep -qx "CPU 0 differs from boot_cpu_data in words KVM's kvm_cpu_caps start from: CPUID_8000_0001_EDX:0x4000000"
	! echo "$output" | grep -q "^CPU 1 "
}

@test "boot_cpu: only online CPUs are listed" {
	echo 0 > /sys/devices/system/cpu/cpu1/online
	run cat "$BOOT"
	echo 1 > /sys/devices/system/cpu/cpu1/online
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# boot_cpu_data keeps what CPU 1 took away when it came up.
	[ "${lines[2]}" = "cpu0 differs lacks=- has=ARAT words=CPUID_8000_0001_EDX:0x4000000" ]
}
