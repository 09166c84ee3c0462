#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl compute --format kvm: what loading kvm_intel leaves behind.
# On the real Bochs captures (selftests/vmcs_probe/data/) the nested MSRs
# must be the ones KVM_GET_MSRS returned there (MODEL.kvm_nested_msrs)
# and the parameters the ones kvm_intel left in sysfs (MODEL.capture.log).

load helpers

# MODEL.kvm_nested_msrs ("0x480 0xd81...") as kvm view lines.
want_msrs() {
	local index val
	while read -r index val; do
		val=${val#0x}
		while [ ${#val} -lt 16 ]; do val=0$val; done
		echo "msr $index 0x$val"
	done < "$1"
}

check_capture() {
	local model=$1 snap=$DATA/$1.snapshot
	run --separate-stderr vmcsctl compute "$snap" --format kvm
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "kvm $(sed -n 's/^kvm //p' "$snap")" ]
	[ "${lines[1]}" = "ref_cpu 0" ]
	[ "${lines[2]}" = "load 0" ]
	[ "${lines[3]}" = "blame none" ]
	want_msrs "$DATA/$model.kvm_nested_msrs" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -eq 18 ]
	grep '^msr ' <<< "$output" > "$BATS_TEST_TMPDIR/got"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# Only the four facts, parameters and MSRs, nothing else.
	[ "$(grep -cvE '^(param [a-z_]+ ([YN]|[0-9]+)|msr 0x4[89][0-9a-f] 0x[0-9a-f]{16})$' \
		<<< "$output")" -eq 4 ]
	# kvm_intel's parameters as sysfs showed them after its load, but
	# preemption_timer: it depends on the guest's tsc_khz, not captured.
	local p name val n=0
	for p in $(sed -n 's/^kvm_intel //p' "$DATA/$model.capture.log"); do
		[ "${p#kvm_intel.}" != "$p" ] || continue	# kvm.enable_pmu
		name=${p#kvm_intel.}
		val=${name#*=}
		name=${name%%=*}
		[ "$name" != preemption_timer ] || continue
		[ "$val" = 1 ] && val=Y || val=N
		grep -qxF "param $name $val" <<< "$output" ||
			{ echo "KVM had $name=$val"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 14 ]
}

@test "kvm view: every capture gives KVM's nested MSRs and parameters" {
	local f n=0
	for f in "$DATA"/*.snapshot; do
		echo "# $(basename "$f" .snapshot)"
		check_capture "$(basename "$f" .snapshot)"
		n=$((n + 1))
	done
	# skylake_x, icelake_u, haswell_4770, tigerlake at least.
	[ "$n" -ge 4 ]
}

@test "kvm view: the preemption timer follows tsc_khz, option over header" {
	local snap=$DATA/corei7_haswell_4770.snapshot hdr
	# Timer rate 0 (IA32_VMX_MISC[4:0]): on only up to 429496 kHz.
	run vmcsctl compute "$snap" --format kvm
	grep -qx 'param preemption_timer N' <<< "$output"
	run vmcsctl compute "$snap" --format kvm --tsc-khz 429496
	grep -qx 'param preemption_timer Y' <<< "$output"
	run vmcsctl compute "$snap" --format kvm --tsc-khz 429497
	grep -qx 'param preemption_timer N' <<< "$output"
	run vmcsctl compute "$snap" --format kvm --tsc-khz 400000 \
		--param preemption_timer=0
	grep -qx 'param preemption_timer N' <<< "$output"
	# The same from a header line, and the option wins over it.
	hdr=$BATS_TEST_TMPDIR/tsc.snapshot
	sed 's/^kvm 6.12$/kvm 6.12\ntsc_khz 400000/' "$snap" > "$hdr"
	grep -qx 'tsc_khz 400000' "$hdr"
	run vmcsctl compute "$hdr" --format kvm
	grep -qx 'param preemption_timer Y' <<< "$output"
	run vmcsctl compute "$hdr" --format kvm --tsc-khz 3000000
	grep -qx 'param preemption_timer N' <<< "$output"
}

@test "kvm view: param lines and --param, ept=0 and nested=0" {
	local snap=$DATA/corei7_skylake_x.snapshot hdr
	hdr=$BATS_TEST_TMPDIR/ept0.snapshot
	sed 's/^kvm 6.12$/kvm 6.12\nparam ept 0/' "$snap" > "$hdr"
	for args in "$hdr" "$snap --param ept=0"; do
		# shellcheck disable=SC2086
		run vmcsctl compute $args --format kvm
		[ "$status" -eq 0 ]
		# 6.12 turns allow_smaller_maxphyaddr on for shadow paging;
		# no EPT for L1 either: IA32_VMX_EPT_VPID_CAP has only VPID.
		lines_match '^param ept N$' '^param eptad N$' \
			'^param unrestricted_guest N$' '^param pml N$' \
			'^param allow_smaller_maxphyaddr Y$' \
			'^msr 0x48c 0x00000f0100000000$'
	done
	run vmcsctl compute "$hdr" --format kvm --param ept=1
	grep -qx 'param ept Y' <<< "$output"
	run vmcsctl compute "$snap" --format kvm --param nested=0 \
		--param ple_window=8192
	[ "$status" -eq 0 ]
	grep -qx 'param nested N' <<< "$output"
	grep -qx 'param ple_window 8192' <<< "$output"
	! grep -q '^msr ' <<< "$output"
}

@test "kvm view: Hyper-V eVMCS trims 6.12, enlightened_vmcs=0 does not" {
	local snap=$DATA/corei7_skylake_x.snapshot hdr
	hdr=$BATS_TEST_TMPDIR/evmcs.snapshot
	sed 's/^kvm 6.12$/kvm 6.12\nhyperv_evmcs 1/' "$snap" > "$hdr"
	run vmcsctl compute "$hdr" --format kvm
	grep -qx 'param enlightened_vmcs Y' <<< "$output"
	# VMFUNC is no eVMCS v1 control: no EPTP switching for L1.
	grep -qx 'msr 0x491 0x0000000000000000' <<< "$output"
	run vmcsctl compute "$hdr" --format kvm --param enlightened_vmcs=0
	grep -qx 'param enlightened_vmcs N' <<< "$output"
	grep -qx 'msr 0x491 0x0000000000000001' <<< "$output"
}

@test "kvm view: failed loads, errno and the CPU to blame" {
	# CPU 1 differs: the compat check fails there (-EIO), and on CPU 0
	# when the load runs on CPU 1.
	run vmcsctl compute "$FIX/skylake_x-mismatch.snap" --format kvm
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 0\nload -5\nblame 1')" ]
	run vmcsctl compute "$FIX/skylake_x-mismatch.snap" --format kvm \
		--ref-cpu 1
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 1\nload -5\nblame 0')" ]
	# The setup itself fails: -EIO, nobody to blame.
	run vmcsctl compute "$FIX/error.snap" --format kvm
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 0\nload -5\nblame none')" ]
	# CPU 1 has no VMX: loading there is -EOPNOTSUPP, elsewhere -EIO.
	run vmcsctl compute "$FIX/unsupported.snap" --format kvm --ref-cpu 1
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 1\nload -95\nblame none')" ]
	run vmcsctl compute "$FIX/unsupported.snap" --format kvm
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 0\nload -5\nblame 1')" ]
}

@test "kvm view: bad options exit 2" {
	local snap=$FIX/skylake_x.snap
	for args in "--format json" "--param ept" "--param pt_mode=0" \
		"--param enable_pmu=1" "--param ept=Y" "--param ept=2" \
		"--param ple_gap=-1" "--param ple_gap=4294967296" \
		"--param ept=0 --param ept=1" "--tsc-khz 2GHz" \
		"--tsc-khz 4294967296"; do
		# shellcheck disable=SC2086
		run --separate-stderr vmcsctl compute "$snap" --format kvm $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; return 1; }
		[ -n "$stderr" ]
	done
}

@test "compute: the nested MSRs in KVM_GET_MSRS form, as debugfs nested_msrs" {
	local snap=$DATA/corei7_skylake_x.snapshot
	run --separate-stderr vmcsctl compute "$snap"
	[ "$status" -eq 0 ]
	sed -n '/^# nested_msrs$/,/^$/p' <<< "$output" | grep '^0x' \
		> "$BATS_TEST_TMPDIR/got"
	diff -u "$DATA/corei7_skylake_x.kvm_nested_msrs" "$BATS_TEST_TMPDIR/got"
	# nested=0: the section is there, empty, as the debugfs file is.
	run --separate-stderr vmcsctl compute "$snap" --param nested=0
	sed -n '/^# nested_msrs$/,/^$/p' <<< "$output" > "$BATS_TEST_TMPDIR/got"
	[ "$(grep -c '^0x' "$BATS_TEST_TMPDIR/got")" -eq 0 ]
	grep -qx 'version 1' "$BATS_TEST_TMPDIR/got"
}

@test "kvm view: where 6.1 and 6.12 look for IA32_FEAT_CTL" {
	# Found by the kvm-oracle lane against Debian's kvm_intel: 6.12 asks
	# the loading CPU, 6.1 its CPUID but the boot CPU's feature flags.
	local het=$DATA/hetero
	# CPU 1's IA32_FEAT_CTL disables VMX; the load runs on CPU 1.
	run --separate-stderr vmcsctl compute "$het/featctl.snapshot" --format kvm --kvm 6.12 \
		--ref-cpu 1
	[ "$output" = "$(printf 'kvm 6.12\nref_cpu 1\nload -95\nblame none')" ]
	run --separate-stderr vmcsctl compute "$het/featctl.snapshot" --format kvm --kvm 6.1 \
		--ref-cpu 1
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 1\nload -5\nblame 1')" ]
	# The boot CPU's does: 6.1 refuses wherever the load runs.
	run --separate-stderr vmcsctl compute "$het/featctl-boot.snapshot" --format kvm \
		--kvm 6.1 --ref-cpu 1
	[ "$output" = "$(printf 'kvm 6.1\nref_cpu 1\nload -95\nblame none')" ]
	run --separate-stderr vmcsctl compute "$het/featctl-boot.snapshot" --format kvm \
		--kvm 6.12 --ref-cpu 1
	[ "$output" = "$(printf 'kvm 6.12\nref_cpu 1\nload -5\nblame 0')" ]
}
