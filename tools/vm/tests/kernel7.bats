#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/kernel for Debian's 7.x kernels: the release comes from the
# private apt directory's lists, the newest of the series and flavour,
# never from the tree.  apt-cache is a stand-in that answers from a list
# of package names; the cache holds finished image, build tree and sparse
# folders, so nothing is fetched or built.

KERNEL=$BATS_TEST_DIRNAME/../kernel

setup() {
	cache=$BATS_TEST_TMPDIR/cache
	bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$cache/apt7/lists" "$bin"
	touch "$cache/apt7/lists/lock"
	cat > "$BATS_TEST_TMPDIR/pkgnames" <<-'LIST'
	linux-image-7.3.4+deb13-amd64
	linux-image-7.3.10+deb13-amd64
	linux-image-7.3.10+deb13-amd64-dbg
	linux-image-7.3.9+deb13-rt-amd64
	linux-image-7.3.9+deb13-amd64
	linux-image-7.3.11+deb13-cloud-amd64
	linux-image-7.2.12+deb13-amd64
	linux-image-7.2.13+deb14-amd64
	linux-image-7.2.9+deb13-amd64
	linux-image-7.2.13+deb14-rt-amd64
	linux-image-7.1.13+deb13-amd64
	LIST
	# apt-cache [-o X]... pkgnames PREFIX | show PKG
	cat > "$bin/apt-cache" <<-EOF
	#!/bin/bash
	while [ "\$1" = -o ]; do shift 2; done
	case "\$1" in
	pkgnames) grep "^\$2" "$BATS_TEST_TMPDIR/pkgnames" ;;
	show) echo "Package: \$2"; echo "Version: 1:\${2//[^0-9.]/}-1" ;;
	*) exit 100 ;;
	esac
	EOF
	chmod +x "$bin/apt-cache"
}

# A finished cache entry for release $1: image, build tree, sparse check.
cached() {
	local rel=$1 tree=$cache/kbuild/$1
	mkdir -p "$cache/kernels/$rel/root/lib/modules/$rel" "$tree/scripts"
	touch "$cache/kernels/$rel/done" "$tree/done" \
		"$cache/kernels/$rel/root/lib/modules/$rel/modules.dep"
	printf '#!/bin/sh\necho 1\n' > "$tree/scripts/checker-valid.sh"
	chmod +x "$tree/scripts/checker-valid.sh"
}

resolve() {
	PATH=$bin:$PATH VMCS_PROBE_CACHE=$cache run "$KERNEL" "$1"
}

@test "7.3: the newest 7.3 image of the generic flavour, by version order" {
	cached 7.3.10+deb13-amd64
	resolve 7.3
	[ "$status" -eq 0 ]
	[[ "$output" == *"KREL=7.3.10+deb13-amd64"* ]]
	[[ "$output" == *"KDIR=$cache/kbuild/7.3.10+deb13-amd64"* ]]
	[[ "$output" == *"KIMAGE=$cache/kernels/7.3.10+deb13-amd64/root/boot/vmlinuz-7.3.10+deb13-amd64"* ]]
	# The tree's checker is good enough: the host's sparse is used.
	[[ "$output" == *"KCHECK=''"* ]]
}

@test "7.3-rt: the rt flavour only, and its own newest release" {
	cached 7.3.9+deb13-rt-amd64
	resolve 7.3-rt
	[ "$status" -eq 0 ]
	[[ "$output" == *"KREL=7.3.9+deb13-rt-amd64"* ]]
}

@test "7.2: a later Debian revision (deb14) of the newest point release" {
	cached 7.2.13+deb14-amd64
	resolve 7.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"KREL=7.2.13+deb14-amd64"* ]]
}

@test "an unknown name is refused with the names known" {
	resolve 7.9
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown kernel '7.9'"* ]]
	[[ "$output" == *"7.3-rt"* ]]
}
