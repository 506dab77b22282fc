/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Looking things up in a vCPU's CPUID table (lib/cpuid.c).
 */
#ifndef TVM_CPUID_H
#define TVM_CPUID_H

#include <stdbool.h>

#include "tvm.h"

#define TVM_CPUID_ENTRIES_MAX	512

/* A copy of a CPUID table, from GET_CPUID or GET_SUPPORTED_CPUID. */
struct tvm_cpuid_table {
	__u32 n;
	struct tinyvmx_cpuid_entry e[TVM_CPUID_ENTRIES_MAX];
};

int tvm_cpuid_table_get(struct tvm_vcpu *vcpu, struct tvm_cpuid_table *t);
/* The entry the guest's CPUID(@fn, @idx) answers from, or NULL. */
struct tinyvmx_cpuid_entry *tvm_cpuid_find(struct tvm_cpuid_table *t, __u32 fn,
					   __u32 idx);
/* Leaf 1 ECX bits, for the usual questions. */
bool tvm_cpuid_has_xsave(struct tvm_vcpu *vcpu);
bool tvm_cpuid_has_avx(struct tvm_vcpu *vcpu);
/* XCR0 bits the table offers: leaf 0xd subleaf 0 EDX:EAX (0 if none). */
__u64 tvm_cpuid_xcr0_mask(struct tvm_vcpu *vcpu);

#endif /* TVM_CPUID_H */
