#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl audit-load with Debian's real kvm_intel on Bochs' emulated VMX
# (the bochs-6.12 lane): where KVM's own setup read the VMX MSRs, bound,
# through pin-kvm's rule, and with the loader moved between CPUs by the
# lab-only lab_move_loader.  Run only when named (run_lane.sh opt_in).

VMX_ALIAS='cpu:type:x86,ven0000fam0006mod0055:feature:,0085'
BIN=${VP_SELFTEST_BIN:-$BATS_TEST_DIRNAME/../../build/selftests/vmcs_probe}
N=20

setup() {
	grep -qw vmx /proc/cpuinfo || skip "no VMX"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs nodev /sys/kernel/tracing
	modprobe kvm
	rmmod kvm_intel 2> /dev/null || true
	rm -f /etc/modprobe.d/vmcs_probe-pin-kvm.conf
}

teardown() {
	rm -f /etc/modprobe.d/vmcs_probe-pin-kvm.conf
}

# @1 loads with audit-load -- @2...; print each load's verdict word.
loads() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		rmmod kvm_intel 2> /dev/null
		vmcsctl audit-load -- "$@" > "$BATS_TEST_TMPDIR/out" 2>&1
		echo "rc=$? $(sed -n 's/^setup reads: \([0-9]*\), on CPU\(.*\): \(.*\)$/\1 [\2 ] \3/p' "$BATS_TEST_TMPDIR/out")"
	done
}

@test "audit-load: no tracefs is exit 3 with a clear message" {
	run vmcsctl audit-load --tracefs /nonexistent
	[ "$status" -eq 3 ]
	[[ "$output" == *"/nonexistent/events/msr/read_msr: No such file or directory (tracefs not mounted there"* ]]
	run vmcsctl audit-load --tracefs /sys/kernel/tracing --bogus
	[ "$status" -eq 2 ]
}

@test "audit-load: one load shows the setup's VMX reads, its outcome and log" {
	rmmod kvm_intel 2> /dev/null || true
	run vmcsctl audit-load -- taskset -c 1 modprobe kvm_intel
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "outcome:  exit 0"
	echo "$output" | grep -Eq "^  [0-9]+ +1 +modprobe-[0-9]+ +0x480 +0x[0-9a-f]{16}$"
	echo "$output" | grep -Eq "^setup reads: [0-9]+, on CPU 1: one CPU$"
	echo "$output" | grep -qx "kernel log of the load:"
	# Loaded now: a second load reads nothing.
	run vmcsctl audit-load -- modprobe kvm_intel
	[ "$status" -eq 1 ]
	echo "$output" | grep -q "^setup reads: 0, on CPU: none"
}

@test "audit-load: $N loads bound to CPU 1 read on CPU 1 only" {
	run loads $N taskset -c 1 modprobe kvm_intel
	echo "# bound to CPU 1: $(echo "$output" | sort | uniq -c | xargs)" >&3
	[ "${#lines[@]}" -eq $N ]
	[ -z "$(echo "$output" | grep -v '^rc=0 [0-9]* \[ 1 \] one CPU$')" ]
}

@test "audit-load: pin-kvm's rule pins an alias load" {
	vmcsctl pin-kvm --cpu 1
	run loads 5 modprobe "$VMX_ALIAS"
	echo "# pin-kvm --cpu 1, alias loads: $(echo "$output" | sort | uniq -c | xargs)" >&3
	[ -z "$(echo "$output" | grep -v '^rc=0 [0-9]* \[ 1 \] one CPU$')" ]
	vmcsctl pin-kvm --cpu 0
	run loads 5 modprobe "$VMX_ALIAS"
	echo "# pin-kvm --cpu 0, alias loads: $(echo "$output" | sort | uniq -c | xargs)" >&3
	[ -z "$(echo "$output" | grep -v '^rc=0 [0-9]* \[ 0 \] one CPU$')" ]
}

@test "audit-load: $N loads with the loader moved: mixed in some" {
	run loads $N "$BIN/lab_move_loader" modprobe kvm_intel
	echo "# loader moved: $(echo "$output" | sort | uniq -c | xargs)" >&3
	[ "${#lines[@]}" -eq $N ]
	mixed=$(echo "$output" | grep -c 'MIXED$')
	echo "# mixed in $mixed of $N loads" >&3
	[ "$mixed" -ge 1 ]
}
