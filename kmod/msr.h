/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's MSRs: see msr.c.
 */
#ifndef TVM_MSR_H
#define TVM_MSR_H

#include <linux/types.h>

struct tvm_vcpu;

/* The host's STAR, LSTAR, CSTAR and SFMASK, the same on every CPU. */
extern u64 tvm_host_syscall[4];

int tvm_msr_module_init(void);
void tvm_msr_module_exit(void);
u64 tvm_msr_bitmap_pa(void);
/* 0, or -ENOENT for an MSR not in the set, -EINVAL for a bad value. */
int tvm_msr_get(struct tvm_vcpu *vcpu, u32 msr, u64 *v);
int tvm_msr_set(struct tvm_vcpu *vcpu, u32 msr, u64 v, bool host);
int tvm_exit_rdmsr(struct tvm_vcpu *vcpu);
int tvm_exit_wrmsr(struct tvm_vcpu *vcpu);

/* vmx_vcpu.c: put the CPU's MSRs back in line with the guest's state. */
void tvm_host_reload(struct tvm_vcpu *vcpu);

#endif /* TVM_MSR_H */
