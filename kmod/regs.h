/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Definitions shared by C and vmenter.S. First, the order of the guest's
 * general-purpose registers in struct tvm_vmx's gprs[] array: the
 * assembly's offsets come from this one definition (TVM_REG_x * 8) and are
 * never typed twice. The order is the ModRM register numbering, which the
 * MMIO decoder uses as is. The guest's RSP lives in the VMCS (GUEST_RSP);
 * its slot here is only a staging copy.
 */
#ifndef TVM_REGS_H
#define TVM_REGS_H

#define TVM_REG_RAX	0
#define TVM_REG_RCX	1
#define TVM_REG_RDX	2
#define TVM_REG_RBX	3
#define TVM_REG_RSP_UNUSED 4	/* keeps the array in ModRM order */
#define TVM_REG_RBP	5
#define TVM_REG_RSI	6
#define TVM_REG_RDI	7
#define TVM_REG_R8	8
#define TVM_REG_R9	9
#define TVM_REG_R10	10
#define TVM_REG_R11	11
#define TVM_REG_R12	12
#define TVM_REG_R13	13
#define TVM_REG_R14	14
#define TVM_REG_R15	15
#define TVM_NR_GPRS	16

/* The VMCS encoding of HOST_RSP (SDM Appendix B), for vmenter.S. */
#define TVM_VMCS_HOST_RSP	0x6c14

#endif /* TVM_REGS_H */
