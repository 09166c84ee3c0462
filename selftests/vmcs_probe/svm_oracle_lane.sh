#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LAB ONLY: one guest of the qemu-svm lanes (tools/check qemu-svm-6.1,
# qemu-svm-6.12, qemu-svm-7.3), on a QEMU AMD model under TCG, whose CPUs
# may really differ (tools/vm/run --cpu-device).  Debian's real,
# unmodified kvm_amd is the oracle: for every parameter set given and
# every online CPU, it is loaded pinned to that CPU (taskset + modprobe),
# and vmcs_probe (engine=svm, the same parameters) runs its setup pinned
# to the same CPU (vmcsctl run --cpu).  Equal must be: the load's errno,
# the CPU KVM's message names ("SVM not supported by CPU N"), every
# kvm_amd parameter the engine knows in any KVM version, as
# /sys/module/kvm_amd/parameters shows it (one the mirrored row lacks is
# a difference), and the nested SVM leaves of KVM_GET_SUPPORTED_CPUID
# (svm_oracle_lab).
#
# One boot holds several cases.  CPUs kept offline at boot (maxcpus=)
# are late: every parameter set runs first on the CPUs online; then, with
# --hotplug, each late CPU is written online under kvm_amd and under
# vmcs_probe (hotplug_policy=refuse), and equal must be whether it comes
# online; then the late CPUs come online for good and the first set runs
# again on every CPU, now with CPUs that differ.  Last, the module's SVM
# snapshot (vmcsctl dump) computed offline must give the module's
# reference from each CPU, and vmcsctl diff of CPU 0 and each CPU must
# say the same live and from that snapshot.  One TAP line per case; exit 1 on any
# difference.
#
# With --svm-edx=MASK, the lab-only lab_kvm_msr_shim is loaded first with
# svm_edx=MASK: the SVM features of MASK (CPUID 0x8000000A EDX), which
# TCG cannot offer (AVIC, x2AVIC, GMET), are set in every CPU's cached
# feature word, for kvm_amd and vmcs_probe alike.
#
#   svm_oracle_lane.sh NAME [--hotplug] [--svm-edx=MASK] [PARAMS]...
#       (PARAMS: "npt=0 nrips=0")

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
lab=${VP_SELFTEST_BIN:-$top/build/selftests/vmcs_probe}/svm_oracle_lab
dbg=/sys/kernel/debug/vmcs_probe
name=$1
shift
hotplug='' svm_edx=''
[ "${1:-}" = --hotplug ] && { hotplug=1; shift; }
case "${1:-}" in --svm-edx=*) svm_edx=${1#--svm-edx=}; shift ;; esac
[ $# -gt 0 ] || set -- ""
n=0 rc=0

# The errno of a failed modprobe, from its message.
errno_of() {
	case "$1" in
	*"Input/output error"*) echo -5 ;;
	*"Operation not supported"*) echo -95 ;;
	*"No such device"*) echo -19 ;;
	*"Invalid argument"*) echo -22 ;;
	*) echo "?" ;;
	esac
}

# kvm_amd loaded on CPU $1 with parameters $2: its outcome, in the lines
# of vmcs_probe's reference (load, load_cpu, param, cpuid).
real_load() {
	local cpu=$1 params=$2 out ret=0 blame=-1 p
	dmesg -c > /dev/null
	# shellcheck disable=SC2086 # PARAMS is a list of words
	out=$(taskset -c "$cpu" modprobe kvm_amd $params 2>&1) || ret=$(errno_of "$out")
	blame=$(dmesg | sed -n 's/.*SVM not supported by CPU \([0-9]*\).*/\1/p' | head -n 1)
	echo "load $ret"
	echo "load_cpu ${blame:--1}"
	if [ "$ret" = 0 ]; then
		for p in /sys/module/kvm_amd/parameters/*; do
			if grep -qx "${p##*/}" /tmp/svm-mirrored; then
				echo "param ${p##*/} $(cat "$p")"
			else
				echo "${p##*/}" >> /tmp/svm-unmirrored
			fi
		done
		"$lab"
		rmmod kvm_amd
	fi
	rmmod kvm 2> /dev/null
}

# vmcs_probe's prediction for a load on CPU $1: its setup's parameters
# and CPUID only when the whole load succeeds (else kvm_amd is gone).
probe_load() {
	vmcsctl run --cpu "$1" > /dev/null
	grep -E '^load(_cpu)? ' "$dbg/reference"
	grep -qx 'load 0' "$dbg/reference" || return 0
	grep '^cpuid ' "$dbg/reference"
	grep '^param ' "$dbg/reference" | sort
}

# One case: "ok" with $3 when files $1 and $2 are equal, else "not ok"
# with $4 and their diff.
report() {
	if diff -u "$1" "$2" > /tmp/svm-diff; then
		echo "ok $n - $3"
	else
		echo "not ok $n - $4"
		sed 's/^/#   /' /tmp/svm-diff
		rc=1
	fi
}

check_case() {
	local params=$1 cpu=$2 what
	what="$name: kvm_amd${params:+ $params} loaded on CPU $cpu"
	n=$((n + 1))
	probe_load "$cpu" > /tmp/svm-probe
	real_load "$cpu" "$params" > /tmp/svm-real.unsorted
	{ grep -v '^param ' /tmp/svm-real.unsorted; grep '^param ' /tmp/svm-real.unsorted | sort; } > /tmp/svm-real
	report /tmp/svm-real /tmp/svm-probe \
		"$what: $(head -n 1 /tmp/svm-real)$(sed -n 's/^param \(npt\|nrips\|avic\|enable_ipiv\|gmet\) \(.*\)/, \1 \2/p' /tmp/svm-real | tr -d '\n'), $(grep -c . /tmp/svm-real) lines equal" \
		"$what"
}

# A CPU kept offline at boot, written online under kvm_amd and under
# vmcs_probe with hotplug_policy=refuse: 0, or the write's errno.
online_rc() {
	local f=/sys/devices/system/cpu/cpu$1/online
	if echo 1 > "$f" 2> /tmp/svm-online; then
		echo 0 > "$f"
		echo 0
	else
		errno_of "$(cat /tmp/svm-online)"
	fi
}

check_hotplug() {
	local params=$1 cpu real probe
	for cpu in $late; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		modprobe kvm_amd $params || { echo "not ok $n - $name: kvm_amd does not load"; rc=1; continue; }
		real=$(online_rc "$cpu")
		rmmod kvm_amd; rmmod kvm
		# shellcheck disable=SC2086
		modprobe vmcs_probe engine=svm hotplug_policy=refuse $params
		probe=$(online_rc "$cpu")
		rmmod vmcs_probe
		if [ "$real" = "$probe" ]; then
			echo "ok $n - $name: CPU $cpu written online: $real under kvm_amd and vmcs_probe"
		else
			echo "not ok $n - $name: CPU $cpu written online: kvm_amd $real, vmcs_probe $probe"
			rc=1
		fi
	done
}

# Every parameter set on every online CPU.
run_sets() {
	local params cpu
	for params in "$@"; do
		# shellcheck disable=SC2086
		modprobe vmcs_probe engine=svm $params || { echo "not ok - $name: vmcs_probe${params:+ $params} does not load"; exit 1; }
		for cpu in $(online_cpus); do
			check_case "$params" "$cpu"
		done
		rmmod vmcs_probe
	done
}

online_cpus() {
	local c
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		[ "$(cat "$c/online" 2> /dev/null || echo 1)" = 1 ] && echo "${c##*cpu}"
	done | sort -n
}

late_cpus() {
	local c
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		[ "$(cat "$c/online" 2> /dev/null)" = 0 ] && echo "${c##*cpu}"
	done | sort -n
}

# The module's SVM snapshot (vmcsctl dump --format snapshot), computed
# by vmcsctl for a load on each CPU, gives the module's own reference:
# the snapshot carries every SVM input.
check_snapshot() {
	local cpu lines='^(load|load_cpu|result|error|param|cpuid) '
	modprobe vmcs_probe engine=svm
	vmcsctl dump --format snapshot > /tmp/svm.snap
	for cpu in $(online_cpus); do
		n=$((n + 1))
		vmcsctl run --cpu "$cpu" > /dev/null
		grep -E "$lines" "$dbg/reference" > /tmp/svm-module
		vmcsctl compute /tmp/svm.snap --ref-cpu "$cpu" |
			sed -n '2,/^$/p' | grep -E "$lines" > /tmp/svm-offline
		report /tmp/svm-module /tmp/svm-offline \
			"$name: the module's SVM snapshot computes its reference from CPU $cpu" \
			"$name: the module's SVM snapshot computes another reference from CPU $cpu"
		# vmcsctl diff: the live CPUs and the snapshot's say the same.
		n=$((n + 1))
		vmcsctl diff cpu0 "cpu$cpu" | tail -n +3 > /tmp/svm-live
		echo "exit ${PIPESTATUS[0]}" >> /tmp/svm-live
		vmcsctl diff /tmp/svm.snap:cpu0 "/tmp/svm.snap:cpu$cpu" |
			tail -n +3 > /tmp/svm-file
		echo "exit ${PIPESTATUS[0]}" >> /tmp/svm-file
		report /tmp/svm-live /tmp/svm-file \
			"$name: vmcsctl diff cpu0 cpu$cpu, live and from the snapshot: $(head -n 1 /tmp/svm-live)" \
			"$name: vmcsctl diff cpu0 cpu$cpu differs live and from the snapshot"
	done
	rmmod vmcs_probe
}

# Every parameter name the SVM engine knows, in any KVM version
# (vp_svm_params[]): kvm_amd's parameters by those names are compared,
# so one that kvm_amd has and the mirrored row lacks is a difference;
# the others are listed once, not compared.
sed -n 's/^[[:space:]]*VP_SVM_PARAM("\([a-z_]*\)".*/\1/p' \
	"$top/module/svm_engine.c" > /tmp/svm-mirrored
[ -s /tmp/svm-mirrored ] || { echo "not ok - $name: no parameter names in module/svm_engine.c"; exit 1; }
: > /tmp/svm-unmirrored
if [ -n "$svm_edx" ]; then
	insmod "/lib/modules/$(uname -r)/extra/lab_kvm_msr_shim.ko" \
		svm_edx="$svm_edx" ||
		{ echo "not ok - $name: lab_kvm_msr_shim svm_edx=$svm_edx does not load"; exit 1; }
	echo "# $name: CPUID 0x8000000A EDX of every CPU |= $svm_edx (lab_kvm_msr_shim)"
fi
late=$(late_cpus)
run_sets "$@"
if [ -n "$late" ]; then
	[ -n "$hotplug" ] && check_hotplug "$1"
	for cpu in $late; do
		echo 1 > "/sys/devices/system/cpu/cpu$cpu/online" ||
			{ echo "not ok - $name: CPU $cpu does not come online"; exit 1; }
	done
	run_sets "$1"
fi
check_snapshot
[ -s /tmp/svm-unmirrored ] &&
	echo "# $name: kvm_amd parameters not mirrored, not compared: $(sort -u /tmp/svm-unmirrored | tr '\n' ' ')"
echo "# cases $name: $n"
exit $rc
