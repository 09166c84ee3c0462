// SPDX-License-Identifier: GPL-2.0
/*
 * LAB ONLY (never installed): what the real kvm_amd offers userspace for
 * nested SVM, read with KVM_GET_SUPPORTED_CPUID on /dev/kvm and printed
 * in the lines of vmcs_probe's debugfs nested_cpuid (svm_report.c), so
 * that the qemu-svm lanes (svm_oracle_lane.sh) compare them with cmp:
 *
 *   cpuid 0x80000001 ecx.svm <0|1>
 *   cpuid 0x8000000a 0x<eax> 0x<ebx> 0x<ecx> 0x<edx>
 *
 * Exit status 0, or 1 with a message when /dev/kvm or the ioctl fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "svm_regs.h"

#define NR_ENTRIES	256

static const struct kvm_cpuid_entry2 *find(const struct kvm_cpuid2 *c,
					   __u32 leaf)
{
	__u32 i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == leaf && !c->entries[i].index)
			return &c->entries[i];
	return NULL;
}

int main(void)
{
	static const struct kvm_cpuid_entry2 none;
	const struct kvm_cpuid_entry2 *ext, *svm;
	struct kvm_cpuid2 *c;
	int fd;

	c = calloc(1, sizeof(*c) + NR_ENTRIES * sizeof(c->entries[0]));
	if (!c)
		return 1;
	c->nent = NR_ENTRIES;
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0 || ioctl(fd, KVM_GET_SUPPORTED_CPUID, c)) {
		fprintf(stderr, "svm_oracle_lab: KVM_GET_SUPPORTED_CPUID: %s\n",
			strerror(errno));
		return 1;
	}
	ext = find(c, VP_CPUID_EXT_FEATURES) ?: &none;
	svm = find(c, VP_CPUID_SVM) ?: &none;
	printf("cpuid 0x80000001 ecx.svm %d\n",
	       !!(ext->ecx & VP_CPUID_80000001_ECX_SVM));
	printf("cpuid 0x8000000a 0x%08x 0x%08x 0x%08x 0x%08x\n", svm->eax,
	       svm->ebx, svm->ecx, svm->edx);
	close(fd);
	free(c);
	return 0;
}
