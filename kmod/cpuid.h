/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's CPUID table and what depends on it: see cpuid.c.
 */
#ifndef TVM_CPUID_H
#define TVM_CPUID_H

#include <linux/tinyvmx.h>

struct tvm_vcpu;

#define TVM_CPUID_MAX	128

struct tvm_cpuid_table {
	u32 n;
	struct tinyvmx_cpuid_entry e[];
};

void tvm_cpuid_setup(void);
struct tvm_cpuid_table *tvm_cpuid_default_table(void);
int tvm_cpuid_get_supported(struct tinyvmx_cpuid __user *u);
int tvm_cpuid_get(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid __user *u);
int tvm_cpuid_set(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid __user *u);
void tvm_cpuid_changed(struct tvm_vcpu *vcpu);
int tvm_exit_cpuid(struct tvm_vcpu *vcpu);
u32 tvm_xsave_size(u64 xcr0);

#endif /* TVM_CPUID_H */
