/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit handlers for instructions the guest may not use as is: see
 * insn_policy.c, which lists every choice.
 */
#ifndef TVM_INSN_POLICY_H
#define TVM_INSN_POLICY_H

struct tvm_vcpu;

/* GETSEC's basic exit reason (SDM Appendix C), missing from older headers. */
#define TVM_EXIT_REASON_GETSEC	11

int tvm_exit_ud(struct tvm_vcpu *vcpu);
int tvm_exit_gp(struct tvm_vcpu *vcpu);
int tvm_exit_nop(struct tvm_vcpu *vcpu);
int tvm_exit_vmcall(struct tvm_vcpu *vcpu);
int tvm_exit_dr(struct tvm_vcpu *vcpu);

#endif /* TVM_INSN_POLICY_H */
