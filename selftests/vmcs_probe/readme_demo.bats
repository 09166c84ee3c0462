#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# README.md quotes the output of make demo.  Run the demo's guest half
# (tools/demo-guest) here and check that every line of the quote, "..."
# and blank lines aside, appears in the real output, in the same order:
# the quote may leave lines out but never show what the demo does not
# print.  The quote is of make demo's guest: 4 CPUs, Debian 6.12 (whose
# KVM the module then mirrors).

top=$BATS_TEST_DIRNAME/../..

setup() {
	[ "$(nproc)" -eq 4 ] || skip "the README quotes a 4-CPU guest, this one has $(nproc)"
	case "$(uname -r)" in
	6.12*) ;;
	*) skip "the README quotes a 6.12 guest, this is $(uname -r)" ;;
	esac
	# The demo starts from a freshly loaded module, as in make demo.
	if [ -d /sys/kernel/vmcs_probe ]; then
		rmmod vmcs_probe
	fi
}

teardown() {
	if [ -d /sys/kernel/vmcs_probe ]; then
		rmmod vmcs_probe
	fi
}

# The first indented block after "An excerpt of its output", unindented.
readme_quote() {
	awk '/An excerpt of its output/ { on = 1; next }
	     on && /^    / { print substr($0, 5); seen = 1; next }
	     on && seen && /^[^ ]/ { exit }' "$top/README.md"
}

@test "README's demo excerpt is what make demo prints" {
	local quote line out i=0 n=0
	quote=$(readme_quote)
	[ -n "$quote" ]
	run "$top/tools/demo-guest"
	[ "$status" -eq 0 ]
	mapfile -t out <<< "$output"
	while IFS= read -r line; do
		line=${line%"${line##*[! ]}"}
		case "$line" in ""|...) continue ;; esac
		n=$((n + 1))
		while [ $i -lt ${#out[@]} ] &&
		      [ "${out[i]%"${out[i]##*[! ]}"}" != "$line" ]; do
			i=$((i + 1))
		done
		if [ $i -eq ${#out[@]} ]; then
			echo "README line not in the demo's output (in order): '$line'"
			printf '%s\n' "--- the demo's output:" "${out[@]}"
			return 1
		fi
		i=$((i + 1))
	done <<< "$quote"
	[ "$n" -ge 10 ]
}
