#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/install.sh: install vmcs_probe (make install).
#
#   tools/install.sh [all|module|tool]
#
# module  builds vmcs_probe.ko against KDIR with the kernel's own Kbuild
#         and installs it with "make -C KDIR M=... modules_install" under
#         $DESTDIR/lib/modules/<release>/extra/, then runs depmod unless
#         DESTDIR is set; "modprobe vmcs_probe" then loads it.
# tool    vmcsctl, its man page, bash completion and the exporter's
#         systemd units (installed, not enabled), through
#         "make -C tools/vmcsctl install" with DESTDIR and PREFIX.
# all     both (default).
#
# Environment (make install passes its variables of the same names):
#   DESTDIR  staging root, empty for the live system (default empty)
#   PREFIX   where the tool goes (default /usr/local)
#   KDIR     kernel build tree (default /lib/modules/$(uname -r)/build;
#            e.g. /usr/src/linux-headers-6.12.117+deb12-amd64)
# To rebuild the module on every kernel update, use DKMS instead
# (dkms.conf, Documentation/admin-guide.rst).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
KDIR=${KDIR:-/lib/modules/$(uname -r)/build}

say() { echo "install: $*" >&2; }
die() { say "$*"; exit 1; }

install_module() {
	local krel out src f

	[ -e "$KDIR/Makefile" ] ||
		die "no kernel build tree at $KDIR (install the headers, or set KDIR)"
	# Kbuild writes objects beside the sources: build from links in a
	# folder of our own, as tools/build-module does, never in module/.
	out=$top/build/install/$(echo "$KDIR" | tr -c 'A-Za-z0-9._\n-' _)
	src=$out/src
	rm -rf "$src"
	mkdir -p "$src"
	for f in "$top"/module/*; do
		ln -s "$f" "$src/$(basename "$f")"
	done
	say "module: building against $KDIR"
	make -C "$KDIR" M="$src" modules > "$out/build.log" 2>&1 || {
		cat "$out/build.log" >&2
		die "module build failed against $KDIR"
	}
	# The release Kbuild built for (Debian's headers may report another
	# one through "make kernelrelease"), as modules_install will use it.
	krel=$(modinfo -F vermagic "$src/vmcs_probe.ko" | cut -d' ' -f1)
	[ -n "$krel" ] || die "cannot read the release vmcs_probe.ko was built for"
	say "module: installing into $DESTDIR/lib/modules/$krel/extra/"
	make -C "$KDIR" M="$src" INSTALL_MOD_PATH="$DESTDIR" \
		INSTALL_MOD_DIR=extra modules_install > "$out/install.log" 2>&1 || {
		cat "$out/install.log" >&2
		die "modules_install failed for $krel"
	}
	# Into a staging root, depmod is the package's job (postinst).
	if [ -z "$DESTDIR" ]; then
		depmod -a "$krel" || die "depmod -a $krel failed"
	fi
}

install_tool() {
	say "tool: installing vmcsctl under ${DESTDIR}${PREFIX}"
	make -C "$top/tools/vmcsctl" install DESTDIR="$DESTDIR" PREFIX="$PREFIX" ||
		die "make -C tools/vmcsctl install failed"
}

case "$what" in
all) install_module; install_tool ;;
module) install_module ;;
tool) install_tool ;;
*) die "usage: tools/install.sh [all|module|tool]" ;;
esac
