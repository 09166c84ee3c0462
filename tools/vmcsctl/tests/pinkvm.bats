#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vmcsctl pin-kvm against a fake root (--root): the rule it writes, what
# it refuses, and that --remove leaves the tree as it was.  The guest
# test (selftests/vmcs_probe/pin_kvm.bats) loads KVM through it.

load helpers

setup() {
	command -v vmcsctl > /dev/null
	R=$BATS_TEST_TMPDIR/root
	mkdir -p "$R/usr/bin" "$R/sbin" "$R/etc/modprobe.d" \
		"$R/sys/devices/system/cpu/cpu0" "$R/sys/devices/system/cpu/cpu1"
	printf '#!/bin/sh\n' > "$R/usr/bin/taskset"
	printf '#!/bin/sh\n' > "$R/sbin/modprobe"
	chmod +x "$R/usr/bin/taskset" "$R/sbin/modprobe"
	echo 1 > "$R/sys/devices/system/cpu/cpu1/online"
	echo "options kvm_intel nested=1" > "$R/etc/modprobe.d/kvm.conf"
	RULE=$R/etc/modprobe.d/vmcs_probe-pin-kvm.conf
}

pk() {
	vmcsctl pin-kvm --root "$R" "$@"
}

@test "pin-kvm: --cpu writes install rules that keep the load's options" {
	run pk --cpu 1
	[ "$status" -eq 0 ]
	[ "$output" = "pinned: kvm_intel and kvm_amd load on CPU 1 ($RULE)" ]
	grep -qx 'install kvm_intel /usr/bin/taskset -c 1 /sbin/modprobe --ignore-install kvm_intel $CMDLINE_OPTS' "$RULE"
	grep -qx 'install kvm_amd /usr/bin/taskset -c 1 /sbin/modprobe --ignore-install kvm_amd $CMDLINE_OPTS' "$RULE"
	run pk --status
	[ "$status" -eq 0 ]
	[ "$output" = "pinned: kvm_intel and kvm_amd load on CPU 1 ($RULE)" ]
	# Its own rule may be rewritten for another CPU.
	run pk --cpu 0
	[ "$status" -eq 0 ]
	grep -q 'taskset -c 0 ' "$RULE"
}

@test "pin-kvm: --remove restores the tree exactly" {
	before=$(cd "$R" && find . | sort; cat etc/modprobe.d/kvm.conf)
	pk --cpu 1
	run pk --remove
	[ "$status" -eq 0 ]
	[ "$output" = "removed $RULE" ]
	[ "$(cd "$R" && find . | sort; cat etc/modprobe.d/kvm.conf)" = "$before" ]
	run pk --status
	[ "$status" -eq 1 ]
	run pk --remove
	[ "$status" -eq 0 ]
	[[ "$output" == "not pinned"* ]]
}

@test "pin-kvm: an install rule it did not write is refused, exit 5" {
	mkdir -p "$R/lib/modprobe.d"
	printf '# site\ninstall kvm-intel \\\n\t/usr/local/sbin/load-kvm\n' > "$R/lib/modprobe.d/site.conf"
	run pk --cpu 1
	[ "$status" -eq 5 ]
	[[ "$output" == *"$R/lib/modprobe.d/site.conf:2: install kvm_intel /usr/local/sbin/load-kvm"* ]]
	[ ! -e "$RULE" ]
	run pk --status
	[ "$status" -eq 1 ]
	[[ "$output" == *"site.conf:2: install kvm_intel"* ]]
}

@test "pin-kvm: a file of the same name not written by it is left alone" {
	echo "install kvm_amd /bin/false" > "$RULE"
	run pk --cpu 1
	[ "$status" -eq 5 ]
	[[ "$output" == *"$RULE:1: not written by vmcsctl pin-kvm; left alone"* ]]
	run pk --remove
	[ "$status" -eq 5 ]
	[ "$(cat "$RULE")" = "install kvm_amd /bin/false" ]
}

@test "pin-kvm: an offline or absent CPU is refused, exit 2" {
	echo 0 > "$R/sys/devices/system/cpu/cpu1/online"
	run pk --cpu 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"CPU 1 is not online: every load of KVM would fail"* ]]
	run pk --cpu 7
	[ "$status" -eq 2 ]
	run pk --cpu x
	[ "$status" -eq 2 ]
	run pk
	[ "$status" -eq 2 ]
	run pk --cpu 1 --remove
	[ "$status" -eq 2 ]
	[ ! -e "$RULE" ]
}

@test "pin-kvm: no taskset, exit 3" {
	rm "$R/usr/bin/taskset"
	run pk --cpu 0
	[ "$status" -eq 3 ]
	[[ "$output" == *"no taskset (util-linux)"* ]]
}
