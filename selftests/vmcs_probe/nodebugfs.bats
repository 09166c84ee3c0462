#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcs_probe on a kernel booted with debugfs=off: the module loads, says
# once that its detailed files are unavailable, and serves sysfs; vmcsctl
# status, mode and run work from sysfs alone, and the commands that need
# debugfs say so.  tools/check runs this file alone, in a guest booted
# with debugfs=off (qemu-6.12 lane); run_lane.sh leaves it out of the
# other guests, where debugfs is on.

bats_require_minimum_version 1.5.0

S=/sys/kernel/vmcs_probe

setup() {
	grep -qw 'debugfs=off' /proc/cmdline || {
		echo "this guest was not booted with debugfs=off" >&2
		return 1
	}
	[ -d "$S" ] || modprobe vmcs_probe
}

@test "debugfs=off: there is no debugfs to mount" {
	mkdir -p /tmp/dbg
	run mount -t debugfs debugfs /tmp/dbg
	[ "$status" -ne 0 ]
	[ ! -e /sys/kernel/debug/vmcs_probe ]
}

@test "debugfs=off: the module loads and says once why debugfs is missing" {
	rmmod vmcs_probe
	dmesg -c > /dev/null
	modprobe vmcs_probe
	[ -d "$S" ]
	dmesg | grep 'vmcs_probe: debugfs unavailable'
	[ "$(dmesg | grep -c 'debugfs unavailable')" -eq 1 ]
	dmesg | grep -q 'vmcs_probe: loaded'
}

@test "debugfs=off: sysfs reads, runs and refuses bad writes" {
	grep -Eqx 'consistent|inconsistent|unsupported|error' "$S/status"
	gen=$(cat "$S/generation")
	echo 1 > "$S/run"
	[ "$(cat "$S/generation")" -eq $((gen + 1)) ]
	echo preempt_disable > "$S/pinning_mode"
	[ "$(cat "$S/pinning_mode")" = "none migrate_disable [preempt_disable]" ]
	run sh -c "printf '1\n\n' > $S/run"
	[ "$status" -ne 0 ]
	[ "$(cat "$S/generation")" -eq $((gen + 1)) ]
	echo none > "$S/pinning_mode"
}

@test "debugfs=off: vmcsctl status shows the sysfs lines" {
	run --separate-stderr vmcsctl status
	# QEMU has no VMX: unsupported, exit 1; never an error (2 to 4).
	[ "$status" -le 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == "mode:       "* ]]
	[ "${lines[1]}" = "generation: $(cat "$S/generation")" ]
	[ "${lines[2]}" = "status:     $(cat "$S/status")" ]
	[[ "$stderr" == *"no per-CPU table"* ]]
}

@test "debugfs=off: vmcsctl mode and run work" {
	vmcsctl mode migrate_disable
	[ "$(vmcsctl mode)" = migrate_disable ]
	gen=$(cat "$S/generation")
	run --separate-stderr vmcsctl run --mode none --cpu 0
	[ "$status" -le 1 ]
	[ "$(cat "$S/generation")" -eq $((gen + 1)) ]
	[ "${lines[1]}" = "generation:   $((gen + 1))" ]
	[ "$(vmcsctl mode)" = none ]
}

@test "debugfs=off: vmcsctl dump says it needs debugfs" {
	run vmcsctl dump
	[ "$status" -eq 3 ]
	[[ "$output" == *"vmcs_probe is loaded without debugfs"* ]]
}

@test "debugfs=off: dump --format prometheus and nfd give the sysfs verdict" {
	run --separate-stderr vmcsctl dump --format prometheus
	[ "$status" -eq 0 ]
	grep -qx 'vmcs_probe_up 1' <<< "$output"
	grep -qx 'vmcs_probe_debugfs 0' <<< "$output"
	grep -qx "vmcs_probe_generation $(cat "$S/generation")" <<< "$output"
	grep -qx "vmcs_probe_status{status=\"$(cat "$S/status")\"} 1" <<< "$output"
	! grep -q '^vmcs_probe_cpu_' <<< "$output"
	[[ "$stderr" == *"no per-CPU metrics"* ]]
	run --separate-stderr vmcsctl dump --format nfd
	[ "$status" -eq 0 ]
	grep -qx "feature.node.kubernetes.io/vmcs_probe.status=$(cat "$S/status")" <<< "$output"
}
