/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Type shim for the vmcs_probe engine.
 *
 * The engine (engine.c, vmx_bits.c) is built both into the kernel module and
 * into user-space programs (the vmcsctl tool, the host unit tests).  This
 * header is the only place that knows which of the two it is: everything the
 * engine needs beyond plain C comes from here.
 */
#ifndef VMCS_PROBE_VMX_TYPES_H
#define VMCS_PROBE_VMX_TYPES_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/stddef.h>
/* ARRAY_SIZE() lives in linux/kernel.h before 6.8, linux/array_size.h after. */
#include <linux/kernel.h>

#else /* !__KERNEL__ */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>

/* The kernel's own choices on x86, so that "%llx" fits u64 in both worlds. */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifndef BIT
#define BIT(nr)			(1UL << (nr))
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#endif

#endif /* __KERNEL__ */

#endif /* VMCS_PROBE_VMX_TYPES_H */
