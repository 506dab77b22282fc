/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's architectural state in the VMCS: reset, registers, control
 * registers and EFER. Callers hold the vCPU with its VMCS current.
 */
#ifndef TVM_VMX_GUEST_H
#define TVM_VMX_GUEST_H

#include <asm/processor-flags.h>

#include "tinyvmx.h"

/*
 * CR0 bits the host owns (the guest sees its own value in the read
 * shadow): NE must be 1 in VMX operation (IA32_VMX_CR0_FIXED0), and CD/NW
 * are kept clear so a guest cannot turn the host's caches off.
 */
#define TVM_CR0_HOST_OWNED	(X86_CR0_NE | X86_CR0_CD | X86_CR0_NW)
/* CR4.VMXE must be 1 in VMX operation; the guest never sees or sets it. */
#define TVM_CR4_HOST_OWNED	X86_CR4_VMXE

#define TVM_EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)

void tvm_guest_reset(struct tvm_vcpu *vcpu);
int tvm_guest_set_cr0(struct tvm_vcpu *vcpu, u64 cr0);
int tvm_guest_set_cr4(struct tvm_vcpu *vcpu, u64 cr4);
u64 tvm_guest_cr0(void);
u64 tvm_guest_cr4(struct tvm_vcpu *vcpu);
void tvm_guest_set_cr4_mask(struct tvm_vcpu *vcpu, u64 rsvd);
void tvm_guest_skip_insn(struct tvm_vcpu *vcpu);
void tvm_guest_update_lma(struct tvm_vcpu *vcpu, u64 cr0);
void tvm_guest_inject_gp(void);
void tvm_guest_inject_exception(unsigned int vector, bool has_error, u32 error);
void tvm_guest_inject_pf(struct tvm_vcpu *vcpu, u64 gva, bool write);

/* vmenter.S */
int __tvm_vmx_enter(unsigned long *gprs, unsigned long launched);
void tvm_vmx_do_nmi_irqoff(void);
extern const char __tvm_vmx_exit[];

/* vmcs_setup.c */
void tvm_vmcs_setup(struct tvm_vcpu *vcpu);
void tvm_vmcs_set_host_cpu(void);
void tvm_vmcs_refresh_host(struct tvm_vmx *vmx);

#endif /* TVM_VMX_GUEST_H */
