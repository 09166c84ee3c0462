#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl compute on each real Bochs capture prints the reference the
# module computed live in that Bochs guest (selftests/vmcs_probe/data/):
# the same engine source, offline, gives the same answer.

load helpers

check_model() {
	local snap=$DATA/$1.snapshot ref=$DATA/$1.reference line
	[ -e "$snap" ] || skip "no capture of $1"
	run vmcsctl compute "$snap" --ref-cpu 0
	[ "$status" -eq 0 ]
	# Every field line, the kvm line and the result of the live reference.
	grep -E '^([a-z_.0-9]+ 0x[0-9a-f]+|kvm .*|result .*|warnings .*)$' \
		"$ref" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -gt 30 ]
	while read -r line; do
		grep -qxF "$line" <<< "$output" ||
			{ echo "offline lacks: $line"; return 1; }
	done < "$BATS_TEST_TMPDIR/want"
}

@test "compute on the Skylake-X capture gives the live reference" {
	check_model corei7_skylake_x
}

@test "compute on the Ice Lake-U capture gives the live reference" {
	check_model corei7_icelake_u
}

@test "compute on the Haswell capture gives the live reference" {
	check_model corei7_haswell_4770
}

@test "compute on the Tiger Lake capture gives the live reference" {
	check_model tigerlake
}
