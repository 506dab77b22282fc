/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which VMCS is active on which CPU.
 *
 * The SDM ("Software Use of the VMCS and Related Structures", "VMCS
 * Migration") lets a VMCS be active on one logical processor at a time:
 * before it is loaded on another CPU it must be VMCLEARed on the one that
 * had it, and every VMCS a CPU has must be VMCLEARed before that CPU
 * leaves VMX operation. Each CPU keeps a list of the vCPUs whose VMCS is
 * active on it.
 */
#ifndef TVM_VMX_LOADED_H
#define TVM_VMX_LOADED_H

struct tvm_vmx;

void tvm_loaded_init_cpu(void);
void tvm_loaded_clear_cpu(void);

/*
 * Make @vmx's VMCS current on this CPU. Returns with preemption disabled
 * (the caller ends with put_cpu()), and true when the VMCS came to this
 * CPU from elsewhere; the per-CPU host fields are then already rewritten
 * and vmx->flush_ept set.
 */
bool tvm_vmcs_load(struct tvm_vmx *vmx);
/* VMCLEAR @vmx wherever it is active. Sleeps. */
void tvm_vmcs_unload(struct tvm_vmx *vmx);

#endif /* TVM_VMX_LOADED_H */
