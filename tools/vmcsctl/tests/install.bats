#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What vmcsctl installs beside the binary: man page, bash completion,
# the exporter's systemd units.
# The man page is generated from Documentation/vmcsctl.rst (rst2man).

load helpers

# Build the tool and its man page into the test's folder; print the page.
man_page() {
	make -s -C "$BATS_TEST_DIRNAME/.." O="$BATS_TEST_TMPDIR" >&2 &&
		echo "$BATS_TEST_TMPDIR/vmcsctl.8"
}

@test "make install honours DESTDIR and PREFIX" {
	command -v make > /dev/null || skip "no make"
	d=$BATS_TEST_TMPDIR/dest
	make -s -C "$BATS_TEST_DIRNAME/.." O="$BATS_TEST_TMPDIR" \
		DESTDIR="$d" PREFIX=/opt/vp install
	[ -x "$d/opt/vp/sbin/vmcsctl" ]
	[ -f "$d/opt/vp/share/man/man8/vmcsctl.8" ]
	[ -f "$d/usr/share/bash-completion/completions/vmcsctl" ]
	[ -f "$d/opt/vp/lib/systemd/system/vmcs_probe-export.service" ]
	[ -f "$d/opt/vp/lib/systemd/system/vmcs_probe-export.timer" ]
	grep -q "^ExecStart=/opt/vp/sbin/vmcsctl dump --format prometheus" \
		"$d/opt/vp/lib/systemd/system/vmcs_probe-export.service"
}

@test "man page renders without warnings" {
	command -v groff > /dev/null || skip "no groff"
	page=$(man_page)
	run groff -man -Tutf8 -ww -z "$page"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "man page and --help list the same commands" {
	page=$(man_page)
	run vmcsctl --help
	cmds=$(echo "$output" | awk '/^Commands:/{on=1; next} on && NF {print $1} !NF && on {exit}')
	[ -n "$cmds" ]
	# rst2man makes each entry of the Commands list ".B \fBname ...\fP",
	# with "-" as "\-".
	sed 's/\\-/-/g' "$page" > "$BATS_TEST_TMPDIR/page"
	for cmd in $cmds; do
		grep -qE "^\.B \\\\fB$cmd( |\\\\fP)" "$BATS_TEST_TMPDIR/page"
	done
}

@test "bash completion completes commands, modes and CPUs" {
	setup_tree mismatch
	source "$BATS_TEST_DIRNAME/../vmcsctl.bash-completion"
	COMP_WORDS=(vmcsctl mo)
	COMP_CWORD=1
	_vmcsctl
	[ "${COMPREPLY[*]}" = "mode" ]
	COMP_WORDS=(vmcsctl mode pre)
	COMP_CWORD=2
	_vmcsctl
	[ "${COMPREPLY[*]}" = "preempt_disable" ]
	COMP_WORDS=(vmcsctl --debugfs "$DBG" dump --cpu "")
	COMP_CWORD=5
	_vmcsctl
	[ "${COMPREPLY[*]}" = "0 1" ]
	COMP_WORDS=(vmcsctl --debugfs "$DBG" diff reference c)
	COMP_CWORD=5
	_vmcsctl
	[[ " ${COMPREPLY[*]} " == *" cpu0 cpu1 "* ]]
}
