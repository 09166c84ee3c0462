# SPDX-License-Identifier: GPL-2.0
#
# Shared by the vmcsctl bats tests: fake module trees copied from
# fixtures/ into the test's own directory (run writes into them), and a
# wrapper that points vmcsctl at them.  vmcsctl must be on PATH, as
# tools/check arranges (make -C tools/vmcsctl O=$top/build/tools).

bats_require_minimum_version 1.5.0

FIX=$BATS_TEST_DIRNAME/fixtures
# The real Bochs captures (tools/vm/capture), with their live references.
DATA=$BATS_TEST_DIRNAME/../../../selftests/vmcs_probe/data

setup_tree() {
	command -v vmcsctl > /dev/null || {
		echo "vmcsctl not on PATH" >&2
		return 1
	}
	TREE=$BATS_TEST_TMPDIR/tree
	rm -rf "$TREE"
	cp -r "$FIX/tree-${1:-consistent}" "$TREE"
	SYS=$TREE/sys
	DBG=$TREE/debug
}

# vmcsctl against the fake tree.
vt() {
	vmcsctl --sysfs "$SYS" --debugfs "$DBG" "$@"
}

# Parse stdin as JSON, or fail.
json_ok() {
	python3 -c 'import json, sys; json.load(sys.stdin)'
}

# Every ERE argument matches some line of $output (anchor with ^ and $
# for a whole line); the first that matches none is named, and fails.
lines_match() {
	local re
	for re; do
		grep -Eq -- "$re" <<< "$output" || {
			echo "no line of the output matches: $re" >&2
			return 1
		}
	done
}

# The failure contract, against the fake tree: vmcsctl ARGS... exits
# CODE (4: malformed input, 3: module or files unusable), prints nothing
# on stdout, and stderr holds MSG (for files, "FILE:LINE: problem").
vt_fails() {
	local code=$1 msg=$2
	shift 2
	run --separate-stderr vt "$@"
	[ "$status" -eq "$code" ] || {
		echo "exit $status, want $code" >&2
		return 1
	}
	[ -z "$output" ] || {
		echo "stdout not empty: $output" >&2
		return 1
	}
	[[ "$stderr" == *"$msg"* ]] || {
		echo "stderr lacks '$msg': $stderr" >&2
		return 1
	}
}
