#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LAB ONLY: the kvm-oracle lane, run in a QEMU guest of a Debian kernel by
# tools/check (kvm-oracle-6.1, kvm-oracle-6.12).  Debian's real kvm_intel,
# fed through lab_kvm_msr_shim, against vmcsctl compute and the live
# vmcs_probe, for:
#   1. every committed capture and every fixture snapshot, under each of
#      the kvm_intel parameter sets below, the load bound to each CPU;
#   2. the heterogeneity cases (data/hetero/: one CPU differs in an MSR
#      KVM reads, in one it never reads, in CPUID only...), bound to each
#      CPU, where the CPU KVM refuses must be the CPU vmcs_probe names,
#      and unpinned with the loader moved, compared against vmcs_probe
#      bound to the CPU the setup ran on;
#   3. KVM_ORACLE_FUZZ (default 300) seeded mutations, from seed
#      KVM_ORACLE_SEED (default 1).
# Prints TAP (one line a case) and "# cases ..." summaries; exits 1 on
# any disagreement.  Disagreeing snapshots land in KVM_ORACLE_KEEP
# (default /tmp/kvm-oracle-keep) and are printed.
#
#   kvm_oracle_lane.sh [--fuzz-only]
#   kvm_oracle_lane.sh --seed-argument N
#
# --seed-argument (make bench): the upstream thread's argument on the real
# KVM, with the last CPU of this guest lacking WBINVD exiting (the
# data/hetero/wbinvd case, its CPU 1 renumbered): N kvm_intel loads with
# the loader moved between CPUs, N bound to each CPU in turn, and N runs
# of vmcs_probe's setup in each pinning mode with the writer moved.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${VP_SELFTEST_BIN:-$top/build/selftests/vmcs_probe}
lab=$bin/kvm_oracle_lab
keep=${KVM_ORACLE_KEEP:-/tmp/kvm-oracle-keep}
fuzz=${KVM_ORACLE_FUZZ:-300}
seed=${KVM_ORACLE_SEED:-1}
param_sets=(
	""
	"ept=0"
	"vpid=0 eptad=0 enable_shadow_vmcs=0 unrestricted_guest=0"
	"enable_apicv=0 pml=0 preemption_timer=0 vnmi=0"
)
rc=0

load_shim() {
	insmod "/lib/modules/$(uname -r)/extra/lab_kvm_msr_shim.ko" || {
		echo "not ok - lab_kvm_msr_shim does not load"
		exit 1
	}
}

# Every CPU of this guest, as --cpu options.
cpu_opts() {
	local c
	for ((c = 0; c < $(nproc); c++)); do
		printf -- '--cpu %d ' "$c"
	done
}

param_opts() {
	local p
	for p in "${param_sets[@]}"; do
		printf -- '--params\0%s\0' "$p"
	done
}

run_lab() {
	local -a params
	mapfile -d '' params < <(param_opts)
	# shellcheck disable=SC2046
	"$lab" $(cpu_opts) "${params[@]}" --keep "$keep" "$@" || rc=1
}

show_kept() {
	local f
	for f in "$keep"/*.snapshot; do
		[ -e "$f" ] || continue
		echo "# kept: $f"
		sed 's/^/#   /' "$f"
	done
}

# Every VMX capture and fixture; SVM snapshots (boot_cpu_amd 1) have no
# kvm_intel to compare with and belong to the qemu-svm lanes.
inputs() {
	grep -L '^boot_cpu_amd 1$' "$top"/selftests/vmcs_probe/data/*.snapshot \
		"$top"/tools/vmcsctl/tests/fixtures/*.snap
}

seed_argument() {
	local snap=/tmp/kvm-oracle-seed.snapshot last=$(($(nproc) - 1))
	sed "s/^cpu 1\$/cpu $last/" \
		"$top"/selftests/vmcs_probe/data/hetero/wbinvd.snapshot > "$snap"
	"$lab" --seed-argument "$1" "$snap" || rc=1
	exit $rc
}

main() {
	load_shim
	[ "${1:-}" = "--seed-argument" ] && seed_argument "${2:?}"
	if [ "${1:-}" != "--fuzz-only" ]; then
		echo "# kvm-oracle: captures and fixtures"
		run_lab --module $(inputs)
		echo "# kvm-oracle: heterogeneity"
		run_lab --module "$top"/selftests/vmcs_probe/data/hetero/*.snapshot
		# Unpinned, the loader moved: compared where the setup stayed
		# on one CPU (twice each: the --cpu options only repeat it).
		echo "# kvm-oracle: heterogeneity, loader moved"
		"$lab" --move --module --cpu 0 --cpu 0 --keep "$keep" \
			"$top"/selftests/vmcs_probe/data/hetero/*.snapshot || rc=1
	fi
	echo "# kvm-oracle: $fuzz mutations from seed $seed"
	run_lab --fuzz "$fuzz" --seed "$seed" "$top"/selftests/vmcs_probe/data/*.snapshot
	show_kept
	exit $rc
}

main "$@"
