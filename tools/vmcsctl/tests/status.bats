#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl status, mode and run against fake module trees.

load helpers

setup() {
	setup_tree consistent
}

@test "status: consistent tree, exit 0, header and table" {
	run vt status
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "mode:       migrate_disable" ]
	[ "${lines[1]}" = "generation: 7" ]
	[ "${lines[2]}" = "status:     consistent" ]
	echo "$output" | grep -Eq '^CPU +SUPPORT +COMPAT +DIFFERING FIELDS$'
	# Identical neighbours share a row.
	echo "$output" | grep -Eq '^0-1 +supported +ok +-$'
}

@test "status: mismatch tree, exit 1, differing fields named" {
	setup_tree mismatch
	run vt status
	[ "$status" -eq 1 ]
	[ "${lines[2]}" = "status:     inconsistent" ]
	echo "$output" | grep -Eq '^0 +supported +ok +-$'
	echo "$output" | grep -Eq '^1 +supported +mismatch +secondary_exec_ctrl,nested.secondary_ctls_high$'
}

@test "status: columns are aligned" {
	setup_tree mismatch
	run vt status
	hdr=$(echo "$output" | grep '^CPU')
	row=$(echo "$output" | grep '^1 ')
	# COMPAT starts in the same column in header and rows.
	h=${hdr%%COMPAT*}
	r=${row%%mismatch*}
	[ "${#h}" -eq "${#r}" ]
}

@test "status: --help exits 0, extra argument exits 2" {
	run vt status --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	run vt status extra
	[ "$status" -eq 2 ]
}

@test "status: module not loaded exits 3 and names the file" {
	run vmcsctl --sysfs "$BATS_TEST_TMPDIR/none" --debugfs "$DBG" status
	[ "$status" -eq 3 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/none/"*"No such file"*"loaded"* ]]
}

@test "status: no permission exits 3" {
	chmod 000 "$DBG/support"
	if [ "$(id -u)" -ne 0 ]; then
		run vt status
	else
		# Root reads anything: drop to nobody, with a copy of the
		# binary and the tree that nobody may reach.
		command -v setpriv > /dev/null || skip "no setpriv"
		pub=$(mktemp -d /tmp/vmcsctl-perm.XXXXXX)
		cp "$(command -v vmcsctl)" "$pub/"
		cp -r "$TREE" "$pub/tree"
		chmod -R a+rX "$pub"
		chmod 000 "$pub/tree/debug/support"
		run setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$pub/vmcsctl" --sysfs "$pub/tree/sys" \
			--debugfs "$pub/tree/debug" status
		rm -rf "$pub"
	fi
	[ "$status" -eq 3 ]
	[[ "$output" == *"support: Permission denied (run as root)"* ]]
}

@test "status: generations that never agree exit 3, no partial output" {
	echo 8 > "$SYS/generation"
	vt_fails 3 "kept changing" status
}

@test "status: malformed status word exits 4 with file and line" {
	echo "sort-of" > "$SYS/status"
	vt_fails 4 "$SYS/status:1: unknown status 'sort-of'" status
}

@test "status: malformed compat line exits 4 with file and line" {
	sed -i 's/^cpu1 ok$/cpu1 ok no_such_field/' "$DBG/compat"
	vt_fails 4 "$DBG/compat:4: unknown field 'no_such_field'" status
}

@test "status: unknown format version exits 4" {
	sed -i '1s/.*/version 2/' "$DBG/support"
	vt_fails 4 "$DBG/support:1: unsupported format version '2'" status
}

@test "mode: prints the current mode" {
	run vt mode
	[ "$status" -eq 0 ]
	[ "$output" = "migrate_disable" ]
}

@test "mode: sets a mode the module lists" {
	run vt mode preempt_disable
	[ "$status" -eq 0 ]
	[ "$(cat "$SYS/pinning_mode")" = "preempt_disable" ]
}

@test "mode: unknown mode exits 2 and writes nothing" {
	before=$(cat "$SYS/pinning_mode")
	run vt mode sideways
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown mode 'sideways'"*"none migrate_disable preempt_disable"* ]]
	[ "$(cat "$SYS/pinning_mode")" = "$before" ]
}

@test "mode: --help, too many arguments" {
	run vt mode --help
	[ "$status" -eq 0 ]
	run vt mode a b
	[ "$status" -eq 2 ]
}

@test "mode: malformed pinning_mode exits 4" {
	echo "none migrate_disable preempt_disable" > "$SYS/pinning_mode"
	vt_fails 4 "$SYS/pinning_mode:1: no current choice in brackets" mode
}

@test "run: writes 1 to run and prints the summary" {
	run vt run
	[ "$status" -eq 0 ]
	[ "$(cat "$SYS/run")" = "1" ]
	[ "${lines[0]}" = "status:       consistent" ]
	echo "$output" | grep -q '^generation:   7$'
	echo "$output" | grep -q '^start cpu:    0$'
	echo "$output" | grep -q '^end cpu:      0$'
	echo "$output" | grep -q '^cpu switches: 0$'
	echo "$output" | grep -q '^duration:     183250 ns$'
}

@test "run: --mode sets the mode first, --cpu 0 pins" {
	run vt run --mode none --cpu 0
	[ "$status" -eq 0 ]
	[ "$(cat "$SYS/pinning_mode")" = "none" ]
	[ "$(cat "$SYS/run")" = "1" ]
}

@test "run: inconsistent result exits 1" {
	setup_tree mismatch
	run vt run
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "status:       inconsistent" ]
}

@test "run: a CPU that does not exist exits 2 before running" {
	run vt run --cpu 8191
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot bind to CPU 8191"* ]]
	[ ! -s "$SYS/run" ]
}

@test "run: bad arguments exit 2" {
	run vt run --cpu x
	[ "$status" -eq 2 ]
	run vt run --mode bogus
	[ "$status" -eq 2 ]
	run vt run extra
	[ "$status" -eq 2 ]
	run vt run --help
	[ "$status" -eq 0 ]
}

@test "run: malformed setup_trace exits 4" {
	sed -i 's/^mixed no$/mixed maybe/' "$DBG/setup_trace"
	vt_fails 4 "$DBG/setup_trace:8: bad mixed" run
}

@test "run: module not loaded exits 3" {
	rm "$SYS/run"
	run vt run
	[ "$status" -eq 3 ]
}

@test "global: no command and unknown command exit 2, --help exits 0" {
	run vmcsctl
	[ "$status" -eq 2 ]
	run vmcsctl frobnicate
	[ "$status" -eq 2 ]
	run vmcsctl --bogus status
	[ "$status" -eq 2 ]
	run vmcsctl --sysfs
	[ "$status" -eq 2 ]
	run vmcsctl --help
	[ "$status" -eq 0 ]
	for cmd in status mode run dump decode diff compute; do
		echo "$output" | grep -q "^  $cmd "
	done
}

@test "global: every subcommand has --help" {
	for cmd in status mode run dump decode diff compute; do
		run vmcsctl "$cmd" --help
		[ "$status" -eq 0 ]
		[[ "$output" == "Usage: vmcsctl $cmd"* ]]
	done
}

@test "run: trace of a run without accesses, with dropped entries" {
	sed -i -e 's/^start_cpu .*/start_cpu -1/' -e 's/^end_cpu .*/end_cpu -1/' \
		-e 's/^duration_ns \(.*\)/duration_ns \1\ndropped 3/' "$DBG/setup_trace"
	run vt run
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^start cpu:    -1$'
}

# A module loaded on a kernel booted with debugfs=off (or debugfs not
# mounted, or not root): only the sysfs files are there.
@test "status: without debugfs, the sysfs lines and a note on stderr" {
	run --separate-stderr vmcsctl --sysfs "$SYS" \
		--debugfs "$BATS_TEST_TMPDIR/no-debugfs" status
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "mode:       migrate_disable" ]
	[ "${lines[1]}" = "generation: 7" ]
	[ "${lines[2]}" = "status:     consistent" ]
	[[ "$stderr" == *"no per-CPU table"*"no-debugfs"* ]]
}

@test "status: without debugfs, an inconsistent module still exits 1" {
	setup_tree mismatch
	run --separate-stderr vmcsctl --sysfs "$SYS" \
		--debugfs "$BATS_TEST_TMPDIR/no-debugfs" status
	[ "$status" -eq 1 ]
	[ "${lines[2]}" = "status:     inconsistent" ]
}

@test "run and mode: without debugfs, the run happens and status is shown" {
	run vmcsctl --sysfs "$SYS" --debugfs "$BATS_TEST_TMPDIR/no-debugfs" mode
	[ "$status" -eq 0 ]
	[ "$output" = migrate_disable ]
	run --separate-stderr vmcsctl --sysfs "$SYS" \
		--debugfs "$BATS_TEST_TMPDIR/no-debugfs" run --mode none
	[ "$status" -eq 0 ]
	[ "$(cat "$SYS/run")" = 1 ]
	[ "$(cat "$SYS/pinning_mode")" = none ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "status:       consistent" ]
	[ "${lines[1]}" = "generation:   7" ]
	[[ "$stderr" == *"no setup trace"* ]]
}

@test "dump: without debugfs, exit 3 and say that debugfs is what is missing" {
	run vmcsctl --sysfs "$SYS" --debugfs "$BATS_TEST_TMPDIR/no-debugfs" dump
	[ "$status" -eq 3 ]
	[[ "$output" == *"no-debugfs/"*"vmcs_probe is loaded without debugfs"* ]]
}

@test "status: a module mirroring the nearest older KVM says so" {
	sed -i '2a kvm 6.12 nearest_older kernel=7.1' "$DBG/support"
	run vt status
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "kvm:        6.12 (no mirror of this kernel's KVM 7.1: the nearest older one)" ]
	sed -i 's/^kvm 6.12 nearest_older kernel=7.1$/kvm 7.3 exact kernel=7.3/' "$DBG/support"
	run vt status
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q '^kvm:'
}

@test "status: a malformed kvm line in support exits 4 with file and line" {
	sed -i '2a kvm 6.13 exact kernel=6.13' "$DBG/support"
	vt_fails 4 "$DBG/support:3:" status
}

@test "status: a CPU whose own features differ from the boot CPU's is named" {
	cat > "$DBG/boot_cpu" <<-EOT
	version 1
	kvm 6.12
	cpu0 same lacks=- has=- words=-
	cpu1 differs lacks=UMIP,MPX has=RTM words=CPUID_7_0_EBX:0x800,CPUID_7_ECX:0x4
	EOT
	run vt status
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "CPU 1 lacks X86_FEATURE_UMIP that KVM takes from boot_cpu_data (vmx.c, nested.c, capabilities.h)"
	echo "$output" | grep -qx "CPU 1 lacks X86_FEATURE_MPX that KVM takes from boot_cpu_data (vmx.c)"
	echo "$output" | grep -qx "CPU 1 has X86_FEATURE_RTM but KVM goes by boot_cpu_data, which lacks it (vmx.c, x86.c)"
	echo "$output" | grep -q "^CPU 1 differs from boot_cpu_data in words KVM's kvm_cpu_caps start from: CPUID_7_0_EBX:0x800,CPUID_7_ECX:0x4$"
	! echo "$output" | grep -q "^CPU 0 "
}

@test "status: all CPUs like the boot CPU, or no boot_cpu file: no such line" {
	run vt status
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q "boot_cpu_data"
	rm "$DBG/boot_cpu"
	run vt status
	[ "$status" -eq 0 ]
}

@test "status: a malformed boot_cpu is refused with file:line" {
	printf 'version 1\nkvm 6.12\ncpu1 same lacks=UMIP has=- words=-\n' > "$DBG/boot_cpu"
	run vt status
	[ "$status" -eq 4 ]
	[[ "$output" == *"$DBG/boot_cpu:3: 'same' contradicts its lists"* ]]
}
