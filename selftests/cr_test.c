// SPDX-License-Identifier: GPL-2.0
/*
 * CR0, CR4 and XCR0 as the guest sees them: CR4.VMXE and the CR4 bits of
 * features its CPUID hides cannot be set (#GP, CR4 unchanged); CR0.CD and
 * NW read back as written; XSETBV is #UD without CR4.OSXSAVE, #GP for an
 * invalid XCR0, and takes a valid one (XGETBV shows it).
 */
#include "tvm_cpuid.h"
#include "tvm_test.h"

#define VEC_UD		6
#define VEC_GP		13
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR4_OSFXSR	(1ull << 9)
#define CR4_VMXE	(1ull << 13)
#define CR4_SMXE	(1ull << 14)
#define CR4_FSGSBASE	(1ull << 16)
#define CR4_PCIDE	(1ull << 17)
#define CR4_OSXSAVE	(1ull << 18)
#define CR4_SMEP	(1ull << 20)

TVM_SNIPPET_DECLARE(cr4_set, insn, after);
TVM_SNIPPET_DECLARE(cr0_set, insn, after);
TVM_SNIPPET_DECLARE(cr0_cache);
TVM_SNIPPET_DECLARE(xsetbv, insn, after);

/* Load @name in long mode with the IDT; a fault resumes at MARK after. */
static void load(struct __test_metadata *_metadata, struct tvm_guest *g,
		 const struct tvm_snippet *s, __u64 after)
{
	ASSERT_OK(tvm_guest_load(g, s, TVM_MODE_LONG));
	ASSERT_OK(tvm_guest_setup_idt(g, TVM_MODE_LONG));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rbp), after));
}

TVM_GUEST_FIXTURE(cr4, struct tvm_cpuid_table t;)

/* A CR4 bit, and the CPUID bit (leaf, register, bit) that offers it. */
FIXTURE_VARIANT(cr4) {
	__u64 bit;
	__u32 leaf;
	char reg;		/* 'b', 'c' or 'd'; 0: no CPUID bit */
	__u32 cpuid_bit;
};

FIXTURE_VARIANT_ADD(cr4, vmxe) { CR4_VMXE, 0, 0, 0 };
FIXTURE_VARIANT_ADD(cr4, smxe) { CR4_SMXE, 0, 0, 0 };
FIXTURE_VARIANT_ADD(cr4, fsgsbase_hidden) { CR4_FSGSBASE, 7, 'b', 1u << 0 };
FIXTURE_VARIANT_ADD(cr4, smep_hidden) { CR4_SMEP, 7, 'b', 1u << 7 };
FIXTURE_VARIANT_ADD(cr4, pcide_hidden) { CR4_PCIDE, 1, 'c', 1u << 17 };
FIXTURE_VARIANT_ADD(cr4, osxsave_hidden) { CR4_OSXSAVE, 1, 'c', 1u << 26 };

static __u32 *cpuid_reg(struct tinyvmx_cpuid_entry *e, char reg)
{
	return reg == 'b' ? &e->ebx : reg == 'c' ? &e->ecx : &e->edx;
}

/*
 * MOV to CR4 that sets the bit: #GP(0) at the MOV, and CR4 (as the guest
 * and GET_SREGS read it) unchanged. For a feature bit, the vCPU's CPUID
 * first hides the feature (SDM "MOV-Move to/from Control Registers":
 * setting a reserved CR4 bit is #GP).
 */
TEST_F(cr4, hidden_bit_gets_gp)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_cpuid_entry *e;
	struct tinyvmx_sregs sregs;
	struct tinyvmx_regs r;

	if (variant->reg) {
		ASSERT_OK(tvm_cpuid_table_get(vcpu, &self->t));
		e = tvm_cpuid_find(&self->t, variant->leaf, 0);
		ASSERT_NE(NULL, e);
		*cpuid_reg(e, variant->reg) &= ~variant->cpuid_bit;
		ASSERT_OK(tvm_vcpu_set_cpuid(vcpu, self->t.e, self->t.n));
	}
	load(_metadata, &self->g, &TVM_SNIPPET(cr4_set), TVM_SNIPPET_ADDR(cr4_set, after));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbx), variant->bit));
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	ASSERT_RUN_EVENT(vcpu, VEC_GP, 0, TVM_SNIPPET_ADDR(cr4_set, insn));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(sregs.cr4, r.rcx) TH_LOG("the guest's CR4 after the refused MOV");
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	ASSERT_EQ(0, sregs.cr4 & variant->bit);
}

/* With the default table, the feature bits can be set where offered. */
TEST_F(cr4, offered_bit_can_be_set)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_cpuid_entry *e;
	struct tinyvmx_sregs sregs;
	struct tinyvmx_regs r;

	if (!variant->reg)
		SKIP(return, "never offered");
	ASSERT_OK(tvm_cpuid_table_get(vcpu, &self->t));
	e = tvm_cpuid_find(&self->t, variant->leaf, 0);
	if (!e || !(*cpuid_reg(e, variant->reg) & variant->cpuid_bit))
		SKIP(return, "the default CPUID table does not offer it on this host");
	load(_metadata, &self->g, &TVM_SNIPPET(cr4_set), TVM_SNIPPET_ADDR(cr4_set, after));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbx), variant->bit));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(variant->bit, r.rcx & variant->bit);
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	ASSERT_EQ(variant->bit, sregs.cr4 & variant->bit);
}

TVM_GUEST_FIXTURE(cr)

/*
 * CR0.CD and NW are the guest's to set (the host keeps caching on in the
 * real CR0); its own reads and GET_SREGS show what it wrote.
 */
TEST_F(cr, cr0_cd_nw_read_back)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_sregs sregs;
	struct tinyvmx_regs r;

	load(_metadata, &self->g, &TVM_SNIPPET(cr0_cache), 0);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(0, r.r8 & (CR0_CD | CR0_NW));
	ASSERT_EQ(r.r8 | CR0_CD, r.r9);
	ASSERT_EQ(r.r8 | CR0_CD | CR0_NW, r.r10);
	ASSERT_EQ(r.r8, r.r11);
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	ASSERT_EQ(r.r8, sregs.cr0);
}

/* NW without CD is #GP (SDM "MOV-Move to/from Control Registers"). */
TEST_F(cr, cr0_nw_without_cd_gets_gp)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_regs r;

	load(_metadata, &self->g, &TVM_SNIPPET(cr0_set), TVM_SNIPPET_ADDR(cr0_set, after));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbx), CR0_NW));
	ASSERT_RUN_EVENT(vcpu, VEC_GP, 0, TVM_SNIPPET_ADDR(cr0_set, insn));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(0, r.rcx & CR0_NW);
}

TVM_GUEST_FIXTURE(xsetbv)

/* XSETBV(@ecx, @value) with CR4.OSXSAVE = @osxsave. */
FIXTURE_VARIANT(xsetbv) {
	int osxsave;
	__u32 ecx;
	__u64 value;		/* TVM_XCR0_* below: resolved per host */
	__u32 vector;		/* 0: accepted */
};

#define XCR0_UNOFFERED	(~0ull)		/* x87 | SSE | a bit not offered */
#define XCR0_AVX	(~1ull)		/* x87 | SSE | AVX */
#define XCR0_YMM_NO_SSE	(~2ull)		/* x87 | AVX */

FIXTURE_VARIANT_ADD(xsetbv, without_osxsave_ud) { 0, 0, 3, VEC_UD };
FIXTURE_VARIANT_ADD(xsetbv, no_x87_gp) { 1, 0, 2, VEC_GP };
FIXTURE_VARIANT_ADD(xsetbv, ecx_1_gp) { 1, 1, 3, VEC_GP };
FIXTURE_VARIANT_ADD(xsetbv, unoffered_bit_gp) { 1, 0, XCR0_UNOFFERED, VEC_GP };
FIXTURE_VARIANT_ADD(xsetbv, ymm_without_sse_gp) { 1, 0, XCR0_YMM_NO_SSE, VEC_GP };
FIXTURE_VARIANT_ADD(xsetbv, x87_sse_accepted) { 1, 0, 3, 0 };
FIXTURE_VARIANT_ADD(xsetbv, x87_accepted) { 1, 0, 1, 0 };
FIXTURE_VARIANT_ADD(xsetbv, avx_accepted) { 1, 0, XCR0_AVX, 0 };

TEST_F(xsetbv, validated)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_sregs sregs;
	struct tinyvmx_regs r;
	__u64 value = variant->value, mask;
	unsigned int i;

	if (!tvm_cpuid_has_xsave(vcpu))
		SKIP(return, "the vCPU's CPUID does not offer XSAVE (the host "
		     "kernel runs without it)");
	mask = tvm_cpuid_xcr0_mask(vcpu);
	if (value == XCR0_AVX || value == XCR0_YMM_NO_SSE) {
		if (!tvm_cpuid_has_avx(vcpu))
			SKIP(return, "the vCPU's CPUID does not offer AVX");
		value = value == XCR0_AVX ? 7 : 5;
	} else if (value == XCR0_UNOFFERED) {
		for (i = 2; i < 63 && (mask & (1ull << i)); i++)
			;
		value = 3 | 1ull << i;
	}
	load(_metadata, &self->g, &TVM_SNIPPET(xsetbv), TVM_SNIPPET_ADDR(xsetbv, after));
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	sregs.cr4 |= CR4_OSFXSR | (variant->osxsave ? CR4_OSXSAVE : 0);
	ASSERT_OK(tvm_vcpu_set_sregs(vcpu, &sregs));
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	r.rcx = variant->ecx;
	r.rax = (__u32)value;
	r.rdx = value >> 32;
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &r));
	if (variant->vector) {
		ASSERT_RUN_EVENT(vcpu, variant->vector,
				 variant->vector == VEC_GP ? 0 : TVM_NO_ERROR,
				 TVM_SNIPPET_ADDR(xsetbv, insn));
		if (!variant->osxsave) {
			/* XGETBV is #UD as well; the handler halts. */
			return;
		}
	}
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(variant->vector ? 1 : value, r.rdx << 32 | r.rax)
		TH_LOG("XGETBV after XSETBV of %#llx", (unsigned long long)value);
}

TEST_HARNESS_MAIN
