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
