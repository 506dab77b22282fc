// SPDX-License-Identifier: GPL-2.0
/*
 * The instruction policy of kmod/insn_policy.c, seen from the guest:
 * every VMX instruction, INVEPT/INVVPID, GETSEC and MONITOR/MWAIT raise
 * #UD; RDPMC #GP; INVD and WBINVD do nothing; RDTSCP, INVPCID and XSAVES
 * are not enabled, so the CPU raises #UD; VMCALL is the NOP hypercall,
 * answered without an exit to userspace; MOV DR keeps DR0-7 per vCPU with
 * their fixed bits, and DR4/DR5 alias DR6/DR7 only while CR4.DE = 0.
 */
#include "tvm_test.h"

#define VEC_UD	6
#define VEC_GP	13
#define CR4_DE		(1ull << 3)
#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXSAVE	(1ull << 18)

#define INSN_DECLARE(n)	TVM_SNIPPET_DECLARE(insn_##n, insn, hlt)

TVM_GUEST_FIXTURE(fault)

FIXTURE_VARIANT(fault) {
	const uint8_t *start, *end, *insn;
	__u32 vector;
	__u32 error;
	__u64 cr4;		/* CR4 bits to set beyond the mode's */
	__u64 rbx;
};

#define FAULT(n, vec, err, ...)						\
	INSN_DECLARE(n);						\
	FIXTURE_VARIANT_ADD(fault, n) {					\
		.start = insn_##n##_start, .end = insn_##n##_end,	\
		.insn = insn_##n##_insn, .vector = vec, .error = err,	\
		__VA_ARGS__						\
	}

FAULT(vmxon, VEC_UD, TVM_NO_ERROR);
FAULT(vmxoff, VEC_UD, TVM_NO_ERROR);
FAULT(vmclear, VEC_UD, TVM_NO_ERROR);
FAULT(vmptrld, VEC_UD, TVM_NO_ERROR);
FAULT(vmptrst, VEC_UD, TVM_NO_ERROR);
FAULT(vmread, VEC_UD, TVM_NO_ERROR);
FAULT(vmwrite, VEC_UD, TVM_NO_ERROR);
FAULT(vmlaunch, VEC_UD, TVM_NO_ERROR);
FAULT(vmresume, VEC_UD, TVM_NO_ERROR);
FAULT(invept, VEC_UD, TVM_NO_ERROR, .rbx = 1);
FAULT(invvpid, VEC_UD, TVM_NO_ERROR, .rbx = 1);
FAULT(getsec, VEC_UD, TVM_NO_ERROR);
FAULT(monitor, VEC_UD, TVM_NO_ERROR);
FAULT(mwait, VEC_UD, TVM_NO_ERROR);
FAULT(rdpmc, VEC_GP, 0);
FAULT(rdtscp, VEC_UD, TVM_NO_ERROR);
FAULT(invpcid, VEC_UD, TVM_NO_ERROR);
/* With CR4.OSXSAVE where XSAVE is offered: see the test. */
FAULT(xsaves, VEC_UD, TVM_NO_ERROR, .cr4 = CR4_OSXSAVE);
/* CR4.DE = 1: DR4 and DR5 are reserved (SDM "Debug Registers"). */
FAULT(mov_from_dr4, VEC_UD, TVM_NO_ERROR, .cr4 = CR4_DE);
FAULT(mov_to_dr5, VEC_UD, TVM_NO_ERROR, .cr4 = CR4_DE);
/* Bits 63:32 of DR6 and DR7 must be zero: #GP(0). */
FAULT(mov_to_dr7, VEC_GP, 0, .rbx = 1ull << 32);
FAULT(mov_to_dr6, VEC_GP, 0, .rbx = 1ull << 40);

/* Does the vCPU's CPUID table offer XSAVE (leaf 1 ECX bit 26)? */
static int cpuid_has_xsave(struct tvm_vcpu *vcpu)
{
	static struct tinyvmx_cpuid_entry e[256];
	__u32 n = 256, i;

	if (tvm_vcpu_get_cpuid(vcpu, e, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (e[i].function == 1)
			return !!(e[i].ecx & (1u << 26));
	return 0;
}

/* The instruction faults with the vector the policy gives, at its RIP. */
TEST_F(fault, raises)
{
	struct tvm_snippet s = { "insn", variant->start, variant->end };
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_sregs sregs;
	__u64 cr4 = variant->cr4;

	if ((cr4 & CR4_OSXSAVE) && !cpuid_has_xsave(vcpu))
		cr4 &= ~CR4_OSXSAVE;
	ASSERT_OK(tvm_guest_load(&self->g, &s, TVM_MODE_LONG));
	ASSERT_OK(tvm_guest_setup_idt(&self->g, TVM_MODE_LONG));
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	sregs.cr4 |= cr4 | CR4_OSFXSR;
	ASSERT_OK(tvm_vcpu_set_sregs(vcpu, &sregs));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rax), GUEST_DATA));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbx), variant->rbx));
	ASSERT_RUN_EVENT(vcpu, variant->vector, variant->error,
			 GUEST_CODE + (variant->insn - variant->start));
	/* RBP = 0: the handler halts. */
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_LE(GUEST_VECTORS, vcpu->run->rip) TH_LOG("%s", tvm_exit_desc(vcpu->run));
}

INSN_DECLARE(invd_wbinvd);
TVM_SNIPPET_DECLARE(insn_vmcall);
TVM_SNIPPET_DECLARE(insn_dr);

TVM_GUEST_FIXTURE(insn)

/* INVD and WBINVD exit, and the module only moves past them. */
TEST_F(insn, invd_wbinvd_continue)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;

	TVM_LOAD(&self->g, insn_invd_wbinvd, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_setup_idt(&self->g, TVM_MODE_LONG));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(insn_invd_wbinvd, hlt), vcpu->run->rip)
		TH_LOG("%s", tvm_exit_desc(vcpu->run));
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_EQ(1, st.by_reason[EXIT_REASON_INVD]);
	ASSERT_EQ(1, st.by_reason[EXIT_REASON_WBINVD]);
	ASSERT_EQ(1, st.userspace_exits);
}

/* TINYVMX_HC_NOP returns 0, anything else ~0, both inside the kernel. */
TEST_F(insn, vmcall_hypercalls)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, insn_vmcall, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_setup_idt(&self->g, TVM_MODE_LONG));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(0, regs.rbx);
	ASSERT_EQ(TINYVMX_HC_ENOSYS, regs.rax);
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_EQ(2, st.by_reason[EXIT_REASON_VMCALL]);
	ASSERT_EQ(1, st.userspace_exits);
}

/*
 * DR0-3 keep any 64-bit value; DR6 and DR7 read back with their fixed
 * ones (DR6 0xffff0ff0, DR7 bit 10); DR4/DR5 are DR6/DR7.
 */
TEST_F(insn, debug_registers_round_trip)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, insn_dr, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_setup_idt(&self->g, TVM_MODE_LONG));
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	regs.r8 = 0xffff800012345678ull;
	regs.r9 = 0x1000;
	regs.r10 = 0x7fffffffeff0ull;
	regs.r11 = 0xdeadbeefcafe0000ull;
	regs.rbx = 0;			/* DR6 */
	regs.rcx = 0x100;		/* DR7: LE */
	regs.rdx = 0x4001;		/* DR4 = DR6: BS, B0 */
	regs.rsi = 0x200;		/* DR5 = DR7: GE */
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &regs));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(0xffff800012345678ull, regs.r8);
	ASSERT_EQ(0x1000, regs.r9);
	ASSERT_EQ(0x7fffffffeff0ull, regs.r10);
	ASSERT_EQ(0xdeadbeefcafe0000ull, regs.r11);
	ASSERT_EQ(0xffff0ff0ull, regs.r12);
	ASSERT_EQ(0x500, regs.r13);
	ASSERT_EQ(0xffff4ff1ull, regs.r14);
	ASSERT_EQ(0x600, regs.r15);
}

TEST_HARNESS_MAIN
