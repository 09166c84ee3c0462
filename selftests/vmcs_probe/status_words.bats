#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# One rule, two sides: for the same snapshot, the module (replaying it,
# its setup bound to CPU 0) and vmcsctl compute (its reference from the
# first section, CPU 0's) give the same overall status word, because
# both take it from module/report.c.  Every snapshot the project has:
# the tool's fixtures, the Bochs captures and the heterogeneity cases.

bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/vmcs_probe
S=/sys/kernel/vmcs_probe
TOP=$BATS_TEST_DIRNAME/../..

setup() {
	[ -d "$S" ] || modprobe vmcs_probe
	[ -d "$D" ] || skip "no debugfs"
	echo clear > "$D/inject"
	echo none > "$S/pinning_mode"
}

teardown() {
	echo hw > "$D/source" || true
}

@test "status words: the module and vmcsctl compute agree on every snapshot" {
	local kvm snap want got n=0
	# kvm_version is empty unless given: the KVM mirrored is the one
	# the module's reference names.
	kvm=$(sed -n 's/^kvm //p' "$D/reference")
	[ -n "$kvm" ]
	for snap in "$TOP"/tools/vmcsctl/tests/fixtures/*.snap \
		    "$TOP"/selftests/vmcs_probe/data/*.snapshot \
		    "$TOP"/selftests/vmcs_probe/data/hetero/*.snapshot; do
		grep -q '^cpu 0$' "$snap" || continue
		# SVM snapshots: no replay (the SVM engine reads the
		# hardware only), no VMX status word.
		grep -q '^boot_cpu_amd 1$' "$snap" && continue
		want=$(vmcsctl compute "$snap" --kvm "$kvm" 2>/dev/null |
		       sed -n 's/^# reference (status \(.*\))$/\1/p')
		[ -n "$want" ] || { echo "no status from compute $snap"; false; }
		cat "$snap" > "$D/snapshot"
		echo replay > "$D/source"
		vmcsctl run --cpu 0 > /dev/null || true
		got=$(cat "$S/status")
		echo "$(basename "$snap"): module $got, vmcsctl $want"
		[ "$got" = "$want" ]
		n=$((n + 1))
	done
	[ "$n" -ge 15 ]
}

@test "status words: a failed setup is an error even where a CPU lacks VMX" {
	cat "$TOP/tools/vmcsctl/tests/fixtures/error-unsupported.snap" \
		> "$D/snapshot"
	echo replay > "$D/source"
	vmcsctl run --cpu 0 > /dev/null || true
	[ "$(cat "$S/status")" = error ]
	grep -q '^cpu1 unsupported$' "$D/compat"
}
