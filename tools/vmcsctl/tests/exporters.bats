#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# dump --format prometheus and nfd, and the systemd units that refresh
# them, checked by the real consumers: Debian's prometheus-node-exporter
# serves the textfile directory on loopback and is scraped with curl,
# promtool (Debian's prometheus) lints what it serves, the NFD file is
# checked against node-feature-discovery's documented format, and
# systemd-analyze verifies the installed units.  The module is the fake
# tree of fixtures/ (tree-mismatch: CPU 1 differs in two fields).

load helpers

# The tool, its man page and the units, installed once under a prefix of
# this file's own (the service's commands then exist for systemd-analyze).
setup_file() {
	PREFIX_DIR=$BATS_FILE_TMPDIR/prefix
	export PREFIX_DIR
	make -s -C "$BATS_TEST_DIRNAME/.." O="$BATS_FILE_TMPDIR/build" \
		PREFIX="$PREFIX_DIR" BASHCOMPDIR="$PREFIX_DIR/completions" install
}

setup() {
	command -v promtool > /dev/null
	command -v prometheus-node-exporter > /dev/null
	setup_tree mismatch
	OUT=$BATS_TEST_TMPDIR/textfile
	mkdir -p "$OUT"
}

teardown() {
	if [ -n "${NE_PID:-}" ]; then
		kill "$NE_PID" 2> /dev/null || true
		wait "$NE_PID" 2> /dev/null || true
	fi
}

# The value of the sample $2 (name with its labels) in file $1.
sample() {
	awk -v s="$2" '$1 == s { print $2; found = 1 } END { exit !found }' "$1"
}

# Start node_exporter on a free loopback port, serving only $OUT.
start_node_exporter() {
	local i
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	prometheus-node-exporter --web.listen-address="127.0.0.1:$PORT" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$OUT" \
		> "$BATS_TEST_TMPDIR/node_exporter.log" 2>&1 &
	NE_PID=$!
	for i in $(seq 50); do
		curl -sf "http://127.0.0.1:$PORT/metrics" > /dev/null && return 0
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/node_exporter.log"
	return 1
}

@test "prometheus: promtool accepts the file, and it says what the tree says" {
	run vt dump --format prometheus -o "$OUT/vmcs_probe.prom"
	[ "$status" -eq 0 ]
	# Written by a rename: nothing else left in the directory.
	[ "$(ls -A "$OUT")" = vmcs_probe.prom ]
	run promtool check metrics < "$OUT/vmcs_probe.prom"
	[ "$status" -eq 0 ]
	local f=$OUT/vmcs_probe.prom
	[ "$(sample "$f" vmcs_probe_up)" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_status{status="inconsistent"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_status{status="consistent"}')" = 0 ]
	[ "$(sample "$f" vmcs_probe_consistent)" = 0 ]
	[ "$(sample "$f" vmcs_probe_generation)" = "$(cat "$SYS/generation")" ]
	[ "$(sample "$f" 'vmcs_probe_pinning_mode{mode="none"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_hotplug_policy{policy="report"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_cpu_vmx_supported{cpu="1"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_cpu_compat_info{cpu="1",compat="mismatch"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_cpu_mismatch{cpu="0"}')" = 0 ]
	[ "$(sample "$f" 'vmcs_probe_cpu_mismatch{cpu="1"}')" = 1 ]
	[ "$(sample "$f" 'vmcs_probe_cpu_mismatching_fields{cpu="1"}')" = 2 ]
	[ "$(sample "$f" vmcs_probe_mismatching_cpus)" = 1 ]
	[ "$(sample "$f" vmcs_probe_last_run_cpu_switches)" = \
		"$(awk '$1 == "cpu_switches" { print $2 }' "$DBG/setup_trace")" ]
	[ "$(sample "$f" vmcs_probe_last_run_mixed)" = 0 ]
	[ "$(sample "$f" 'vmcs_probe_nested_feature{feature="vmx-ept",sdm="ENABLE_EPT"}')" = 1 ]
	# One nested sample per vmx-* name, each 0 or 1.
	[ "$(grep -c '^vmcs_probe_nested_feature{' "$f")" -eq \
		"$(vmcsctl migrate --features | tail -n +2 | wc -l)" ]
	! grep '^vmcs_probe_nested_feature{' "$f" | grep -qv ' [01]$'
}

@test "prometheus: promtool is a real check (a broken file fails it)" {
	vt dump --format prometheus -o "$OUT/vmcs_probe.prom"
	sed 's/^vmcs_probe_generation /vmcs_probe_generation{1bad="x"} /' \
		"$OUT/vmcs_probe.prom" > "$BATS_TEST_TMPDIR/broken"
	run promtool check metrics < "$BATS_TEST_TMPDIR/broken"
	[ "$status" -ne 0 ]
}

@test "node_exporter serves the metrics on loopback: scraped, linted and parsed" {
	vt dump --format prometheus -o "$OUT/vmcs_probe.prom"
	start_node_exporter
	curl -sf "http://127.0.0.1:$PORT/metrics" > "$BATS_TEST_TMPDIR/scrape"
	run promtool check metrics < "$BATS_TEST_TMPDIR/scrape"
	[ "$status" -eq 0 ]
	local s=$BATS_TEST_TMPDIR/scrape
	[ "$(sample "$s" node_textfile_scrape_error)" = 0 ]
	[ "$(sample "$s" 'vmcs_probe_cpu_mismatch{cpu="1"}')" = 1 ]
	[ "$(sample "$s" 'vmcs_probe_cpu_mismatch{cpu="0"}')" = 0 ]
	[ "$(sample "$s" vmcs_probe_mismatching_cpus)" = 1 ]
	[ "$(sample "$s" vmcs_probe_consistent)" = 0 ]
	# The next run (the consistent tree) replaces the file: served at once.
	vmcsctl --sysfs "$FIX/tree-consistent/sys" --debugfs "$FIX/tree-consistent/debug" \
		dump --format prometheus -o "$OUT/vmcs_probe.prom"
	curl -sf "http://127.0.0.1:$PORT/metrics" > "$s"
	[ "$(sample "$s" vmcs_probe_consistent)" = 1 ]
	[ "$(sample "$s" vmcs_probe_mismatching_cpus)" = 0 ]
	[ "$(sample "$s" 'vmcs_probe_pinning_mode{mode="migrate_disable"}')" = 1 ]
	[ "$(sample "$s" node_textfile_scrape_error)" = 0 ]
}

@test "prometheus without the module: vmcs_probe_up 0, exit 3, still valid" {
	run vmcsctl --sysfs "$BATS_TEST_TMPDIR/none" --debugfs "$BATS_TEST_TMPDIR/none" \
		dump --format prometheus -o "$OUT/vmcs_probe.prom"
	[ "$status" -eq 3 ]
	[ "$(sample "$OUT/vmcs_probe.prom" vmcs_probe_up)" = 0 ]
	run promtool check metrics < "$OUT/vmcs_probe.prom"
	[ "$status" -eq 0 ]
	run vmcsctl --sysfs "$BATS_TEST_TMPDIR/none" dump --format nfd
	[ "$status" -eq 3 ]
	grep -qx 'feature.node.kubernetes.io/vmcs_probe.status=unavailable' <<< "$output"
}

@test "prometheus without debugfs: the sysfs metrics, no per-CPU ones" {
	run vmcsctl --sysfs "$SYS" --debugfs "$BATS_TEST_TMPDIR/none" \
		dump --format prometheus -o "$OUT/vmcs_probe.prom"
	[ "$status" -eq 0 ]
	[ "$(sample "$OUT/vmcs_probe.prom" vmcs_probe_debugfs)" = 0 ]
	[ "$(sample "$OUT/vmcs_probe.prom" vmcs_probe_consistent)" = 0 ]
	! grep -q '^vmcs_probe_cpu_' "$OUT/vmcs_probe.prom"
	run promtool check metrics < "$OUT/vmcs_probe.prom"
	[ "$status" -eq 0 ]
}

# node-feature-discovery, docs/usage/customization-guide.md ("Local
# feature source"): lines "<namespace>/<name>[=<value>]", '#' comments,
# at most 64 kB; a label name (63 characters at most, alphanumeric at
# both ends, '-', '_' and '.' inside) and a label value (the same, or
# empty), as Kubernetes requires them.
nfd_check() {
	local line name value ns re='^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$'
	[ "$(stat -c %s "$1")" -le 65536 ]
	while IFS= read -r line; do
		case $line in '#'*|'') continue ;; esac
		name=${line%%=*}
		value=${line#*=}
		[ "$value" != "$line" ] || value=true
		ns=${name%%/*}
		name=${name#*/}
		[ "$ns" = feature.node.kubernetes.io ] || { echo "namespace: $line"; return 1; }
		[[ $name =~ $re ]] || { echo "name: $line"; return 1; }
		[ -z "$value" ] || [[ $value =~ $re ]] || { echo "value: $line"; return 1; }
	done < "$1"
}

@test "nfd: a valid local feature file with the status and every nested feature" {
	local d=$BATS_TEST_TMPDIR/features.d p=feature.node.kubernetes.io/vmcs_probe
	mkdir -p "$d"
	run vt dump --format nfd -o "$d/vmcs_probe"
	[ "$status" -eq 0 ]
	# NFD ignores dot files: the temporary file is one, and is gone.
	[ "$(ls -A "$d")" = vmcs_probe ]
	nfd_check "$d/vmcs_probe"
	grep -qx "$p.status=inconsistent" "$d/vmcs_probe"
	grep -qx "$p.mismatching_cpus=1" "$d/vmcs_probe"
	grep -qx "$p.pinning_mode=none" "$d/vmcs_probe"
	grep -qx "$p.nested=true" "$d/vmcs_probe"
	grep -qx "$p.nested.vmx-ept=true" "$d/vmcs_probe"
	# Exactly the features the prometheus file marks 1.
	vt dump --format prometheus -o "$OUT/vmcs_probe.prom"
	diff <(sed -n 's/^vmcs_probe_nested_feature{feature="\([^"]*\)".*} 1$/\1/p' "$OUT/vmcs_probe.prom") \
		<(sed -n "s|^$p\.nested\.\(.*\)=true$|\1|p" "$d/vmcs_probe")
	run vmcsctl --sysfs "$FIX/tree-consistent/sys" --debugfs "$FIX/tree-consistent/debug" \
		dump --format nfd
	grep -qx "$p.status=consistent" <<< "$output"
	# The checker is a real one.
	echo "$p.bad=-value" > "$BATS_TEST_TMPDIR/bad"
	! nfd_check "$BATS_TEST_TMPDIR/bad"
}

@test "dump: prometheus and nfd take no CPU selection" {
	run vt dump --format prometheus --cpu 1
	[ "$status" -eq 2 ]
	run vt dump --format nfd --reference
	[ "$status" -eq 2 ]
}

@test "make install: the systemd units, not enabled, pass systemd-analyze verify" {
	command -v systemd-analyze > /dev/null
	local p=$PREFIX_DIR u
	u=$p/lib/systemd/system
	[ -f "$u/vmcs_probe-export.service" ] && [ -f "$u/vmcs_probe-export.timer" ]
	grep -qx "ExecStart=$p/sbin/vmcsctl dump --format prometheus -o \${VMCS_PROBE_TEXTFILE_DIR}/vmcs_probe.prom" \
		"$u/vmcs_probe-export.service"
	grep -qx "ExecStart=$p/sbin/vmcsctl dump --format nfd -o \${VMCS_PROBE_NFD_DIR}/vmcs_probe" \
		"$u/vmcs_probe-export.service"
	run systemd-analyze verify --man=no "$u/vmcs_probe-export.service" \
		"$u/vmcs_probe-export.timer"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# Nothing enabled: no .wants links anywhere under the prefix.
	[ -z "$(find "$p" -name '*.wants')" ]
	# verify is a real check: a unit whose command does not exist fails.
	sed "s|^ExecStart=$p/sbin/vmcsctl|ExecStart=$p/sbin/no-such-tool|" \
		"$u/vmcs_probe-export.service" > "$BATS_TEST_TMPDIR/vmcs_probe-export.service"
	run systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/vmcs_probe-export.service"
	[ "$status" -ne 0 ]
}

@test "the service's commands, run as systemd would, refresh both files" {
	local p=$PREFIX_DIR svc
	svc=$p/lib/systemd/system/vmcs_probe-export.service
	export VMCS_PROBE_TEXTFILE_DIR=$BATS_TEST_TMPDIR/tf VMCS_PROBE_NFD_DIR=$BATS_TEST_TMPDIR/nfd
	# ExecStartPre and each ExecStart, with the global options of the fake tree.
	while IFS= read -r cmd; do
		cmd=${cmd#*=}
		cmd=${cmd/vmcsctl dump/vmcsctl --sysfs $SYS --debugfs $DBG dump}
		eval "$cmd"
	done < <(grep -E '^ExecStart(Pre)?=' "$svc")
	[ "$(sample "$VMCS_PROBE_TEXTFILE_DIR/vmcs_probe.prom" 'vmcs_probe_cpu_mismatch{cpu="1"}')" = 1 ]
	grep -qx 'feature.node.kubernetes.io/vmcs_probe.status=inconsistent' \
		"$VMCS_PROBE_NFD_DIR/vmcs_probe"
}
