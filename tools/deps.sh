#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package vmcs_probe needs to build, test and run its
# lab.  A fresh Debian 12 machine needs nothing else.  Cheap when all is
# already there: only missing packages go to apt-get.
#
# Kernel images are not installed on the host: tools/vm/kernel fetches them
# with "apt-get download" into the cache and unpacks them there.  The 7.x
# kernels come from sid and trixie-backports through a private apt
# directory under the cache (tools/vm/kernel), which also prepares their
# module build trees and, for their headers, a newer sparse from sid's
# source: what that needs is listed here.

set -euo pipefail

packages=(
	# build: module, tool, selftests
	build-essential sparse kmod
	# Debian kernels the module is built for (the meta packages follow
	# Debian's current ABI; tools/vm/kernel resolves them)
	linux-headers-amd64 linux-headers-rt-amd64
	linux-headers-6.12-amd64 linux-headers-6.12-rt-amd64
	# kselftest headers, checkpatch, ABI checker, debug kernel source
	linux-source-6.12
	# debug kernel build, and the 7.x module build trees
	bc flex bison libelf-dev libssl-dev dwarves
	# 7.x kernels: the archive keys for the private apt directory's
	# signed-by, dpkg-source for sid's sparse source
	debian-archive-keyring dpkg-dev
	# guests: initramfs userland and emulators
	cpio xz-utils zstd busybox-static bash-static bats file util-linux
	qemu-system-x86 bochs bochsbios vgabios
	isolinux syslinux-common genisoimage
	# tests and tool checks
	python3 python3-docutils groff-base clang libclang-rt-14-dev cppcheck
	clang-format msr-tools dkms
	# the exporters, checked with the real consumers (host lane):
	# node_exporter's textfile collector, promtool, systemd-analyze
	prometheus-node-exporter prometheus curl systemd
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done

if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "missing packages: ${missing[*]}" >&2
	exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
