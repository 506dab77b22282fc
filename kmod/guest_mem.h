/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory by linear address: see guest_mem.c.
 */
#ifndef TVM_GUEST_MEM_H
#define TVM_GUEST_MEM_H

#include <linux/types.h>

struct tvm_vcpu;

/* The guest's code size from CS and EFER.LMA: 16, 32 or 64. */
int tvm_guest_mode(struct tvm_vcpu *vcpu);
int tvm_gva_to_gpa(struct tvm_vcpu *vcpu, u64 gva, u64 *gpa);
/* Up to 15 bytes of the instruction at CS:RIP; returns how many. */
int tvm_fetch_insn(struct tvm_vcpu *vcpu, u8 *insn, int mode);
int tvm_guest_virt_rw(struct tvm_vcpu *vcpu, u64 gva, void *buf,
		      unsigned int len, bool write, u64 *fault);

#endif /* TVM_GUEST_MEM_H */
