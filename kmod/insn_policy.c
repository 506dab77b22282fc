// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest may not do, or gets done differently: every choice about
 * a sensitive instruction is made here, or named here when the VMCS
 * controls make it (see tvm_vmx_setup_controls()).
 *
 *  VMX instructions, INVEPT, INVVPID  exit always   #UD: no nested VMX
 *  GETSEC                             exit always   #UD: no SMX (CPUID hides it)
 *  VMCALL                             exit always   tinyvmx hypercall, below
 *  INVD                               exit always   no-op: caches stay coherent
 *  WBINVD                             exits         no-op: nothing in the
 *                                                   guest needs a flush
 *  MONITOR, MWAIT                     exit          #UD: CPUID hides MONITOR
 *  RDPMC                              exits         #GP: no PMU (leaf 0xa is 0)
 *  MOV to/from DR0-7                  exit          kept per vCPU; breakpoints
 *                                                   are not armed in the CPU
 *  RDTSCP, RDPID, INVPCID, XSAVES     not enabled   #UD from the CPU itself
 *  RDRAND, RDSEED, PAUSE, RDTSC       run natively  as CPUID says
 *  CPUID, XSETBV, RDMSR/WRMSR, MOV CR see cpuid.c, exit.c, msr.c
 *  HLT, IN/OUT/INS/OUTS, MMIO         go to userspace (exit.c)
 */
#include <asm/trapnr.h>

#include "insn_policy.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

int tvm_exit_ud(struct tvm_vcpu *vcpu)
{
	tvm_guest_inject_exception(X86_TRAP_UD, false, 0);
	return 1;
}

int tvm_exit_gp(struct tvm_vcpu *vcpu)
{
	tvm_guest_inject_gp();
	return 1;
}

int tvm_exit_nop(struct tvm_vcpu *vcpu)
{
	tvm_guest_skip_insn(vcpu);
	return 1;
}

/*
 * VMCALL: the function number in RAX, the result in RAX. The only
 * function, TINYVMX_HC_NOP, returns 0 without leaving the kernel: it is
 * the cheapest exit there is, for measuring the exit path.
 */
int tvm_exit_vmcall(struct tvm_vcpu *vcpu)
{
	unsigned long *rax = &vcpu->vmx.gprs[TVM_REG_RAX];

	*rax = *rax == TINYVMX_HC_NOP ? 0 : TINYVMX_HC_ENOSYS;
	tvm_guest_skip_insn(vcpu);
	return 1;
}

/*
 * MOV to or from a debug register (SDM "Exit Qualification for MOV DR"):
 * bits 2:0 the register, bit 4 the direction (1 = from DR), bits 11:8 the
 * general-purpose register. DR4 and DR5 alias DR6 and DR7 unless CR4.DE.
 */
int tvm_exit_dr(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	u64 q = vmx->exit_qual;
	unsigned int dr = q & 7, reg = (q >> 8) & 15;
	unsigned long *gpr = &vmx->gprs[reg];

	if (reg == TVM_REG_RSP_UNUSED)
		return tvm_exit_unexpected(vcpu);
	if (dr == 4 || dr == 5) {
		if (tvm_guest_cr4(vcpu) & X86_CR4_DE)
			return tvm_exit_ud(vcpu);
		dr += 2;
	}
	if (q & BIT(4)) {
		*gpr = vmx->dr[dr];
	} else {
		if (dr >= 6 && (*gpr >> 32))
			return tvm_exit_gp(vcpu);
		vmx->dr[dr] = *gpr;
		if (dr == 6)
			vmx->dr[6] |= 0xffff0ff0;
		if (dr == 7)
			vmx->dr[7] |= 0x400;
	}
	tvm_guest_skip_insn(vcpu);
	return 1;
}
