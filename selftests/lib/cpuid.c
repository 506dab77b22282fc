// SPDX-License-Identifier: GPL-2.0
/*
 * Looking things up in a vCPU's CPUID table.
 */
#include <stdlib.h>

#include "tvm_cpuid.h"

int tvm_cpuid_table_get(struct tvm_vcpu *vcpu, struct tvm_cpuid_table *t)
{
	t->n = TVM_CPUID_ENTRIES_MAX;
	return tvm_vcpu_get_cpuid(vcpu, t->e, &t->n);
}

struct tinyvmx_cpuid_entry *tvm_cpuid_find(struct tvm_cpuid_table *t, __u32 fn,
					   __u32 idx)
{
	__u32 i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].function == fn &&
		    (!(t->e[i].flags & TINYVMX_CPUID_INDEXED) || t->e[i].index == idx))
			return &t->e[i];
	return NULL;
}

static __u32 leaf1_ecx(struct tvm_vcpu *vcpu)
{
	struct tvm_cpuid_table *t = malloc(sizeof(*t));
	struct tinyvmx_cpuid_entry *e;
	__u32 ecx = 0;

	if (t && !tvm_cpuid_table_get(vcpu, t)) {
		e = tvm_cpuid_find(t, 1, 0);
		ecx = e ? e->ecx : 0;
	}
	free(t);
	return ecx;
}

bool tvm_cpuid_has_xsave(struct tvm_vcpu *vcpu)
{
	return leaf1_ecx(vcpu) & (1u << 26);
}

bool tvm_cpuid_has_avx(struct tvm_vcpu *vcpu)
{
	__u32 ecx = leaf1_ecx(vcpu);

	return (ecx & (1u << 26)) && (ecx & (1u << 28));
}

__u64 tvm_cpuid_xcr0_mask(struct tvm_vcpu *vcpu)
{
	struct tvm_cpuid_table *t = malloc(sizeof(*t));
	struct tinyvmx_cpuid_entry *e;
	__u64 mask = 0;

	if (t && !tvm_cpuid_table_get(vcpu, t)) {
		e = tvm_cpuid_find(t, 0xd, 0);
		mask = e ? (__u64)e->edx << 32 | e->eax : 0;
	}
	free(t);
	return mask;
}
