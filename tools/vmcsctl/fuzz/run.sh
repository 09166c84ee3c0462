#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the fuzz targets and run each for SECONDS (default 20), seeded
# with the test fixtures.  Exits non-zero if a target crashes, leaks or
# trips a sanitizer; the crashing input is kept in build/fuzz/artifacts/.
#
#   tools/vmcsctl/fuzz/run.sh [SECONDS]
set -euo pipefail

secs=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${BUILD:-$top/build}/fuzz
fix=$here/../tests/fixtures

case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
make -s -C "$here" O="$out"
mkdir -p "$out/artifacts"

# Seeds: every snapshot; for the module-file parser, each fixture file
# prefixed with the byte that selects its parser (see fuzz_modfiles.c).
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds/snapshot" "$seeds/modfiles" "$seeds/text"
# Kernel logs with KVM's messages, real and built from 7.x's format, and
# a modprobe.d file with install rules.
cp "$fix"/klog/*.log "$seeds/text/"
printf 'install kvm_intel /usr/bin/taskset -c 0 /sbin/modprobe \\\n --ignore-install kvm_intel $CMDLINE_OPTS\n# c\ninstall kvm-amd /bin/true\n' \
	> "$seeds/text/modprobe.conf"
find "$fix" -name '*.snap' -exec cp {} "$seeds/snapshot/" \;
# The real Bochs captures too.
find "$top/selftests/vmcs_probe/data" -name '*.snapshot' \
	-exec cp {} "$seeds/snapshot/" \; 2>/dev/null || true
find "$fix" -path '*/cpus/*/msrs' | while read -r f; do
	cp "$f" "$seeds/snapshot/$(echo "$f" | tr / _)"
done
n=0
seed() {	# selector file
	n=$((n + 1))
	{ printf "\\x$(printf %02x "$1")"; cat "$2"; } > "$seeds/modfiles/$n"
}
for t in "$fix"/tree-*; do
	seed 0 "$t/debug/reference"
	for c in "$t"/debug/cpus/cpu*; do
		seed 0 "$c/config"
		seed 2 "$c/compat"
	done
	seed 1 "$t/debug/compat"
	seed 3 "$t/debug/support"
	seed 4 "$t/debug/setup_trace"
	seed 5 "$t/sys/pinning_mode"
	seed 5 "$t/sys/hotplug_policy"
	seed 6 "$t/sys/status"
	seed 7 "$t/sys/generation"
	seed 9 "$t/debug/boot_cpu"
done
for f in "$fix"/*.features; do
	seed 8 "$f"
done

rc=0
for target in snapshot modfiles text; do
	corpus=$out/corpus/$target
	mkdir -p "$corpus"
	echo "fuzz_$target: ${secs}s"
	if ! "$out/fuzz_$target" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$target-" \
		"$corpus" "$seeds/$target" > "$out/$target.log" 2>&1; then
		echo "fuzz_$target: FAILED, see $out/$target.log" >&2
		tail -n 30 "$out/$target.log" >&2
		rc=1
	else
		grep -E 'stat::number_of_executed_units|cov:' "$out/$target.log" |
			tail -n 2
	fi
done
exit $rc
