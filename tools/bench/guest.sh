#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make bench: tools/bench/run boots lab guests with
# tools/vm/run and runs this there.  It measures and prints; it judges
# nothing.  Every result is one console line starting with "@bench ",
# which tools/bench/report parses on the host.
#
#   guest.sh [--source replay|hw] [--rounds R] TASK...
#
# TASK:
#   modes       floor_reads, floor_setup and setup in every pinning mode,
#               200 runs each, R rounds (order rotated per round) after a
#               short warm-up; then stats and the last setup_trace
#   preemptoff  the kernel's preemptoff tracer, and its preemptirq
#               events, around "setup none" and "setup preempt_disable"
#               (debug kernel: PREEMPT_TRACER)
#   sweep       compat check, serial against parallel, 50 rounds
#   tool        vmcsctl against msr-tools rdmsr -a, 3 rounds (source hw)
#
# Exit status: 0, or 1 when a measurement could not be made.

set -uo pipefail

d=/sys/kernel/debug/vmcs_probe
top=$(cd "$(dirname "$0")/../.." && pwd)
sweep=$top/build/tools/bench/sweep
source=replay rounds=3 runs=200 sweeps=50 tool_rounds=3
rc=0

out() { echo "@bench $*"; }
fail() { out "error $*"; echo "bench: $*" >&2; rc=1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--source) source=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--sweeps) sweeps=$2; shift 2 ;;
	*) break ;;
	esac
done

bench() {
	echo "$1" > "$d/bench" || { fail "bench '$1' was refused"; return 1; }
}

env_lines() {
	local cs
	cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
	out "env kernel $(uname -r)"
	out "env emulator ${VP_EMULATOR:-?}"
	out "env cpus $(nproc)"
	out "env cpu_model $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	out "env vmx $(grep -c -w vmx /proc/cpuinfo)"
	out "env clocksource ${cs:-?}"
	out "env source $source"
}

setup_source() {
	local snap=selftests/vmcs_probe/data/corei7_skylake_x.snapshot

	modprobe vmcs_probe || { fail "modprobe vmcs_probe"; exit 1; }
	if [ "$source" = replay ]; then
		cat "$snap" > "$d/snapshot" || { fail "loading $snap"; exit 1; }
		out "env snapshot $snap"
	fi
	echo "$source" > "$d/source" || { fail "source $source"; exit 1; }
	# One setup so that floor_reads has a trace to replay.
	bench "setup none 1" || exit 1
}

task_modes() {
	local cmds=("floor_reads $runs" "floor_setup $runs"
		    "setup none $runs" "setup migrate_disable $runs"
		    "setup preempt_disable $runs")
	local r i n=${#cmds[@]} c

	# Warm-up: under TCG the first runs of any path pay for translation.
	for c in "${cmds[@]}"; do
		bench "${c% *} 20" || return
	done
	for r in $(seq 1 "$rounds"); do
		for i in $(seq 0 $((n - 1))); do
			c=${cmds[$(((i + r - 1) % n))]}
			bench "$c" || return
		done
		grep -v '^version' "$d/bench" | sed "s/^/@bench modes round $r /"
	done
	grep '^mode' "$d/stats" | sed 's/^/@bench stats /'
	bench "setup preempt_disable 1" || return
	sed -n 's/^\(duration_ns\|cpu_switches\|mode\|source\) /@bench trace \1 /p' \
		"$d/setup_trace"
	out "trace accesses $(grep -c '^\(read\|cpuid\) ' "$d/setup_trace")"
}

# The tracer keeps the longest window of the whole system; the
# preemptirq events, filtered to this task, give each window of the
# command itself with the function that opened it.
preempt_windows() {
	awk '
	{
		ts = ""
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1); ev = $(i + 1); c = $(i + 2); break }
		if (ts == "") next
		if (ev == "preempt_disable:") {
			sub(/^caller=/, "", c); sub(/\+.*/, "", c)
			start = ts; caller = c
		} else if (ev == "preempt_enable:" && start != "") {
			us = (ts - start) * 1000000
			n[caller]++; sum[caller] += us
			if (us > max[caller]) max[caller] = us
			all[caller, n[caller]] = us
			start = ""
		}
	}
	END {
		for (c in n) {
			# median: a small insertion sort per caller
			m = n[c]
			for (i = 1; i <= m; i++) v[i] = all[c, i]
			for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
			printf "%s windows %d median_us %d max_us %d\n", c, m, v[int(m / 2) + 1] + 0.5, max[c] + 0.5
		}
	}' | sort -t' ' -k7 -n -r | head -n 5
}

task_preemptoff() {
	local t=/sys/kernel/debug/tracing m lat ev
	[ -e "$t/current_tracer" ] || t=/sys/kernel/tracing
	[ -e "$t/current_tracer" ] || mount -t tracefs nodev "$t" 2>/dev/null
	if ! grep -qw preemptoff "$t/available_tracers" 2>/dev/null; then
		fail "no preemptoff tracer in this kernel"
		return
	fi
	# Without function tracing inside the window the tracer only
	# timestamps its ends, so its own cost stays out of the figure.
	echo 0 > "$t/options/function-trace" 2>/dev/null
	for m in none preempt_disable; do
		echo preemptoff > "$t/current_tracer" || { fail "preemptoff tracer"; return; }
		echo 0 > "$t/tracing_max_latency"
		echo 1 > "$t/tracing_on"
		bench "setup $m $runs" || return
		echo 0 > "$t/tracing_on"
		lat=$(cat "$t/tracing_max_latency")
		out "preemptoff $m max_latency_us $lat"
		grep "^setup $m " "$d/bench" | sed "s/^/@bench preemptoff $m module /"
		# "#  => started at: fn" / "#  => ended at: fn", and whose.
		sed -n -e 's/^#* *=> *\(started\|ended\) at: *\([^ ]*\).*/@bench preemptoff '"$m"' \1 \2/p' \
			-e 's/^#* *| *task: *\([^ ]*\).*/@bench preemptoff '"$m"' task \1/p' \
			"$t/trace" | head -n 3
		echo nop > "$t/current_tracer"

		ev=$t/events/preemptirq
		if [ ! -d "$ev/preempt_disable" ]; then
			fail "no preemptirq events"
			continue
		fi
		echo "common_pid == $$" > "$ev/preempt_disable/filter"
		echo "common_pid == $$" > "$ev/preempt_enable/filter"
		echo 16384 > "$t/buffer_size_kb"
		echo > "$t/trace"
		echo 1 > "$ev/preempt_disable/enable"
		echo 1 > "$ev/preempt_enable/enable"
		echo 1 > "$t/tracing_on"
		bench "setup $m $runs" || return
		echo 0 > "$t/tracing_on"
		echo 0 > "$ev/preempt_disable/enable"
		echo 0 > "$ev/preempt_enable/enable"
		grep "^setup $m " "$d/bench" | sed "s/^/@bench preemptevents $m module /"
		preempt_windows < "$t/trace" | sed "s/^/@bench preemptevents $m caller /"
		echo > "$t/trace"
	done
}

task_sweep() {
	local line

	[ -x "$sweep" ] || { fail "no $sweep"; return; }
	"$sweep" write "$d/check" 5 serial parallel > /dev/null ||
		{ fail "check warm-up"; return; }
	line=$("$sweep" write "$d/check" "$sweeps" serial parallel) ||
		{ fail "check sweep"; return; }
	echo "$line" | sed -e 's/^0 /serial /' -e 's/^1 /parallel /' \
		-e "s/^/@bench sweep cpus $(nproc) /"
	out "sweep compat $(grep -c ' ok$' "$d/compat") ok of $(grep -c '^cpu' "$d/compat")"
}

task_tool() {
	local msrs="0x3a" i vm_cmd rd_cmd line

	for i in $(seq 0 19); do
		msrs="$msrs $(printf '0x%x' $((0x480 + i)))"
	done
	modprobe msr || { fail "modprobe msr"; return; }
	command -v rdmsr > /dev/null || { fail "no rdmsr in the guest"; return; }
	[ -x "$sweep" ] || { fail "no $sweep"; return; }
	# Both sides must read the CPUs themselves.
	echo hw > "$d/source" || { fail "source hw"; return; }
	vm_cmd="echo serial > $d/check && vmcsctl dump --all --format snapshot -o /tmp/vmcsctl.snap"
	# rdmsr -a once per MSR, zero-padded hex to compare; a faulting MSR
	# (rdmsr exits non-zero) must not stop the others.
	rd_cmd="for m in $msrs; do echo msr \$m; rdmsr -a -0 -x \$m; done > /tmp/rdmsr.txt 2>&1; true"
	"$sweep" cmd 1 "$vm_cmd" "$rd_cmd" > /dev/null || { fail "tool warm-up"; return; }
	line=$("$sweep" cmd "$tool_rounds" "$vm_cmd" "$rd_cmd") ||
		{ fail "tool timing"; return; }
	echo "$line" | sed -e 's/^0 /vmcsctl /' -e 's/^1 /rdmsr /' \
		-e "s/^/@bench tool cpus $(nproc) /"
	out "tool rdmsr_values $(grep -c '^[0-9a-f]\{16\}$' /tmp/rdmsr.txt) msrs 21"
	# Same values both ways?  (A faulting MSR gives no value to compare.)
	awk '
	FNR == NR {
		if ($1 == "cpu") c = $2
		else if ($1 == "msr") snap[c, $2] = $3
		next
	}
	$1 == "msr" { m = $2; c = 0; next }
	$1 ~ /^[0-9a-f]+$/ { n++; if (snap[c, m] != "0x" $1) bad++; c++ }
	END { printf "@bench tool compared %d mismatches %d\n", n, bad }
	' /tmp/vmcsctl.snap /tmp/rdmsr.txt
	echo "$source" > "$d/source"
}

env_lines
setup_source
for task in "$@"; do
	case "$task" in
	modes|preemptoff|sweep|tool) "task_$task" ;;
	*) fail "unknown task $task" ;;
	esac
done
out "done rc $rc"
exit $rc
