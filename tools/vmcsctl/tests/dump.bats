#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl dump against fake module trees: text, JSON, snapshot, -o.

load helpers

setup() {
	setup_tree mismatch
}

@test "dump: text shows reference, every CPU, config and raw MSRs" {
	run vt dump
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "generation 12" ]
	echo "$output" | grep -q '^reference$'
	echo "$output" | grep -q '^cpu0: ok$'
	echo "$output" | grep -q '^cpu1: mismatch secondary_exec_ctrl,nested.secondary_ctls_high$'
	echo "$output" | grep -Eq '^  IA32_VMX_BASIC +0x480 0x00d810000000002b$'
	echo "$output" | grep -Eq '^  IA32_VMX_PROCBASED_CTLS3 +0x492 fault$'
	echo "$output" | grep -Eq '^  secondary_exec_ctrl +0x001b3fff$'
}

@test "dump: --cpu N shows that CPU only" {
	run vt dump --cpu 1
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q '^reference$'
	! echo "$output" | grep -q '^cpu0:'
	echo "$output" | grep -q '^cpu1: mismatch'
}

@test "dump: --reference shows the reference and its CPU" {
	run vt dump --reference
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^reference$'
	echo "$output" | grep -q '^cpu0: ok$'
	! echo "$output" | grep -q '^cpu1:'
}

@test "dump: json is valid and follows the schema" {
	run --separate-stderr vt dump --format json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -m json.tool > /dev/null
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == 1 and d["generation"] == 12
ref = d["reference"]
assert ref["cpu"] == 0 and ref["kvm"] == "6.1" and ref["result"] == 0
assert ref["reason"] == "none" and ref["warnings"] == []
assert ref["fields"]["basic"] == "0xd810000000002b"
assert len(ref["fields"]) == 34
assert [c["cpu"] for c in d["cpus"]] == [0, 1]
c1 = d["cpus"][1]
assert c1["compat"] == "mismatch"
assert c1["differing"] == ["secondary_exec_ctrl", "nested.secondary_ctls_high"]
assert c1["config"]["fields"]["secondary_exec_ctrl"] == "0x1b3fff"
raw = c1["raw"]
assert raw["cpuid1_ecx"] == "0x7ffefbff"
assert raw["cpuid_eax"] == {"0x0": "0x16", "0x1": "0x50654", "0x12": "0x0"}
assert raw["msrs"]["0x480"] == "0xd810000000002b"
assert raw["msrs"]["0x492"] == "fault" and len(raw["msrs"]) == 21
'
}

@test "dump: json of one CPU has a null reference" {
	run vt dump --cpu 0 --format json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["reference"] is None and len(d["cpus"]) == 1'
}

@test "dump: snapshot format replays to the same computation" {
	run --separate-stderr vt dump --format snapshot
	[ "$status" -eq 0 ]
	echo "$output" > "$BATS_TEST_TMPDIR/s.snap"
	[ "${lines[0]}" = "vmcs_probe-snapshot 1" ]
	[ "${lines[-1]}" = "end" ]
	[[ "${lines[1]}" == "source vmcsctl dump on "*", generation 12" ]]
	[ "$(grep -c '^cpu ' "$BATS_TEST_TMPDIR/s.snap")" -eq 2 ]
	run vmcsctl compute "$BATS_TEST_TMPDIR/s.snap"
	a=$output
	run vmcsctl compute "$FIX/skylake_x-mismatch.snap"
	[ "$a" = "$output" ]
}

@test "dump: snapshot format keeps tsc_khz, hyperv_evmcs and param lines" {
	local f
	# As the module writes them: in the header of every cpus/cpuN/msrs.
	for f in "$DBG"/cpus/cpu*/msrs; do
		sed -i 's/^boot_cpu_mpx 0$/boot_cpu_mpx 0\ntsc_khz 2095078\nhyperv_evmcs 0\nparam ept 1\nparam ple_gap 0/' "$f"
	done
	grep -qx 'param ple_gap 0' "$DBG/cpus/cpu0/msrs"
	run --separate-stderr vt dump --format snapshot
	[ "$status" -eq 0 ]
	for l in 'tsc_khz 2095078' 'hyperv_evmcs 0' 'param ept 1' \
		'param ple_gap 0'; do
		grep -qxF "$l" <<< "$output" || { echo "dump lacks $l"; false; }
	done
	# And compute takes them (CPU 0 alone: CPU 1 differs, no load).
	vt dump --cpu 0 --format snapshot > "$BATS_TEST_TMPDIR/s.snap"
	run --separate-stderr vmcsctl compute "$BATS_TEST_TMPDIR/s.snap" \
		--format kvm
	[ "$status" -eq 0 ]
	grep -qx 'param ple_gap 0' <<< "$output"
	grep -qx 'param ple_window 4096' <<< "$output"
}

@test "dump: -o writes the file only when complete" {
	out=$BATS_TEST_TMPDIR/out.json
	run vt dump --format json -o "$out"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	json_ok < "$out"
	echo "keep me" > "$out"
	sed -i 's/^basic .*/basic 0xzz/' "$DBG/cpus/cpu1/config"
	run vt dump --format json -o "$out"
	[ "$status" -eq 4 ]
	[ "$(cat "$out")" = "keep me" ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep tmp)" ]
}

@test "dump: malformed config exits 4 with file and line, nothing on stdout" {
	sed -i 's/^basic .*/basic 0xzz/' "$DBG/cpus/cpu1/config"
	vt_fails 4 "$DBG/cpus/cpu1/config:8: bad value '0xzz' for basic" dump
}

@test "dump: malformed msrs (snapshot) exits 4 with file and line" {
	sed -i 's/^msr 0x481 .*/msr 0x481 0x1 0x2/' "$DBG/cpus/cpu0/msrs"
	vt_fails 4 "$DBG/cpus/cpu0/msrs:15: trailing text '0x2'" dump --format snapshot
}

@test "dump: a missing field in a config exits 4" {
	sed -i '/^vpid_caps /d' "$DBG/reference"
	vt_fails 4 "$DBG/reference:" dump --reference
	[[ "$stderr" == *"missing field 'vpid_caps'"* ]]
}

@test "dump: files from different generations are not mixed" {
	sed -i 's/^generation .*/generation 13/' "$DBG/cpus/cpu1/compat"
	vt_fails 3 "kept changing" dump
}

@test "dump: usage errors exit 2" {
	run vt dump --format yaml
	[ "$status" -eq 2 ]
	run vt dump --cpu 0 --all
	[ "$status" -eq 2 ]
	run vt dump --cpu -1
	[ "$status" -eq 2 ]
	run vt dump extra
	[ "$status" -eq 2 ]
}

@test "dump: no module exits 3" {
	run vmcsctl --debugfs "$BATS_TEST_TMPDIR/none" dump
	[ "$status" -eq 3 ]
	run vt dump --cpu 5
	[ "$status" -eq 3 ]
}

@test "dump: a failed setup's error_msr/error_bits lines are accepted" {
	sed -i 's/^result 0 none$/result -5 entry_required\nerror_msr 0x484\nerror_bits 0x200/' \
		"$DBG/reference"
	run vt dump --reference
	[ "$status" -eq 0 ]
	echo "$output" | grep -q 'result -5 entry_required'
	sed -i '/^error_msr/{p}' "$DBG/reference"
	vt_fails 4 "$DBG/reference:" dump --reference
	[[ "$stderr" == *"duplicate 'error_msr'"* ]]
}

@test "dump: before the first run the reference has no CPU" {
	sed -i 's/^cpu 0$/cpu -1/' "$DBG/reference"
	run vt dump --reference --format json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["reference"]["cpu"] == -1 and d["cpus"] == []'
}

@test "dump: an offline CPU has no raw inputs and no snapshot section" {
	sed -i 's/^status .*/status offline/; /^field /d' "$DBG/cpus/cpu1/compat"
	sed -i '/^cpu 1$/,/^msr 0x493/d' "$DBG/cpus/cpu1/msrs"
	run vt dump --format json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["cpus"][1]["compat"] == "offline" and d["cpus"][1]["raw"] is None'
	run vt dump --format snapshot
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^cpu ')" -eq 1 ]
	run vt dump --cpu 1 --format snapshot
	[ "$status" -eq 1 ]
	[[ "$output" == *"no online CPU selected"* ]]
}
