#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/scan-log, the lab's definition of a kernel splat: what the
# debug kernel prints at every boot is clean, every kind of real report
# is a splat.

SCAN=$BATS_TEST_DIRNAME/../scan-log

# The lockdep and RCU lines of a debug-kernel boot (6.12 with
# PROVE_LOCKING), and ordinary lines that merely mention a keyword.
@test "informational lines of a debug-kernel boot are clean" {
	cat > "$BATS_TEST_TMPDIR/boot.log" <<-'LOG'
	[    0.000000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
	[    0.000000] ... MAX_LOCKDEP_SUBCLASSES:  8
	[    0.000000] ... MAX_LOCK_DEPTH:          48
	[    0.000000] ... MAX_LOCKDEP_KEYS:        8192
	[    0.000000] ... CLASSHASH_SIZE:          4096
	[    0.000000] ... MAX_LOCKDEP_ENTRIES:     32768
	[    0.000000] ... MAX_LOCKDEP_CHAINS:      65536
	[    0.000000] ... CHAINHASH_SIZE:          32768
	[    0.000000]  memory used by lock dependency info: 6429 kB
	[    0.000000]  memory used for stack traces: 4224 kB
	[    0.000000]  per task-struct memory footprint: 1920 bytes
	[    0.000000] rcu: Preemptible hierarchical RCU implementation.
	[    0.000000] rcu: 	RCU lockdep checking is enabled.
	[    0.000000] kmemleak: Kernel memory leak detector initialized (mem pool available: 14419)
	[    0.120000] hung_task: khungtaskd started
	[    1.200000] vmcs_probe: loaded: mirroring KVM 6.12, status unsupported
	[    0.021366] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!
	[    0.021400] Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on, data leaks possible via Spectre v2 BHB attacks!
	LOG
	run "$SCAN" "$BATS_TEST_TMPDIR/boot.log"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "every kind of report is a splat" {
	local line
	while IFS= read -r line; do
		run "$SCAN" -q <<< "$line"
		[ "$status" -eq 0 ] || { echo "missed: $line"; false; }
	done <<-'LOG'
	[   12.345678] WARNING: possible circular locking dependency detected
	[   12.345678] WARNING: possible recursive locking detected
	[   12.345678] WARNING: inconsistent lock state
	[   12.345678] WARNING: CPU: 1 PID: 123 at module/main.c:42 vp_init+0x10/0x20 [vmcs_probe]
	WARNING: CPU: 0 PID: 1 at kernel/fork.c:1 copy_process+0x1/0x2
	[   12.345678] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283
	[   12.345678] BUG: KASAN: slab-out-of-bounds in vp_check_local+0x1/0x2 [vmcs_probe]
	[   12.345678] UBSAN: shift-out-of-bounds in module/engine.c:100:5
	[   12.345678] DEBUG_LOCKS_WARN_ON(lock->magic != lock)
	[   12.345678] INFO: lockdep is turned off.
	[   12.345678] Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP KASAN
	[   12.345678] kernel BUG at mm/slub.c:123!
	[   12.345678] Call Trace:
	[   12.345678] unreferenced object 0xffff888003a1c000 (size 64):
	[  130.000000] INFO: task sh:245 blocked for more than 10 seconds.
	[  130.000000] INFO: task kworker/1:2:71 blocked for more than 122 seconds.
	LOG
}

@test "a whole lockdep report in a log of ordinary lines is found" {
	cat > "$BATS_TEST_TMPDIR/dmesg.log" <<-'LOG'
	[    5.000000] vmcs_probe: loaded: mirroring KVM 6.12, status unsupported
	[    6.000000] ======================================================
	[    6.000000] WARNING: possible circular locking dependency detected
	[    6.000000] 6.12.117-vmcs-debug #1 Not tainted
	[    6.000000] ------------------------------------------------------
	[    6.000000] sh/250 is trying to acquire lock:
	[    6.000000] ffffffff82a0c0e8 (cpu_hotplug_lock){++++}-{0:0}, at: vp_publish+0x1c/0x80 [vmcs_probe]
	[    7.000000] vmcs_probe: unloaded
	LOG
	run "$SCAN" "$BATS_TEST_TMPDIR/dmesg.log"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"possible circular locking dependency"* ]]
}
