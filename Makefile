# SPDX-License-Identifier: GPL-2.0
#
# vmcs_probe top-level Makefile.
#
#   make              module for every Debian lab kernel, and the tool
#   make module KERNEL=6.12   module for one kernel (build/<release>/)
#   make check        every test and checker, in every lab (README)
#   make demo         boot a 4-CPU guest and show what vmcs_probe reports
#   make bench        benchmarks
#   make kvm-fuzz     long differential fuzzing against the real kvm_intel
#   make deps         install the Debian packages the project needs

KERNEL ?= 6.12
KERNELS ?= 6.1 6.1-rt 6.12 6.12-rt 7.3
BUILD := $(CURDIR)/build
export BUILD

.PHONY: all deps module modules tool selftests guest-prereqs check demo \
	bench kvm-fuzz clean ksft install

all: deps modules tool

deps:
	@tools/deps.sh

module: deps
	@tools/build-module $(KERNEL)

modules: deps
	@for k in $(KERNELS); do tools/build-module $$k || exit 1; done

# Kernel headers for kselftest, from linux-source-6.12 at build time.
ksft: deps
	@tools/linux-src >/dev/null

tool:
	@$(MAKE) -s -C tools/vmcsctl O=$(BUILD)/tools

selftests: ksft
	@$(MAKE) -s -C selftests/vmcs_probe OUTPUT=$(BUILD)/selftests/vmcs_probe

# What a guest needs: used by tools/vm/run.
guest-prereqs: module tool selftests

check: deps
	@tools/check

demo: deps
	@tools/demo $(DEMO_ARGS)

bench: deps
	@tools/bench/run

# KVM_FUZZ_CASES per kernel (default 10000), from KVM_FUZZ_SEED.
kvm-fuzz: deps
	@tools/kvm-fuzz $(KVM_FUZZ_CASES) $(KVM_FUZZ_SEED)

# make install: module (modules_install) for KDIR, tool, man page and
# completion; DESTDIR and PREFIX honoured (tools/install.sh).
PREFIX ?= /usr/local
install:
	@DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" KDIR="$(KDIR)" tools/install.sh

clean:
	rm -rf $(BUILD)
