/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrappers for the VMX instructions.
 *
 * The SDM ("Conventions" in the chapter "VMX Instruction Reference") gives
 * each VMX instruction three outcomes: VMsucceed, VMfailInvalid (CF=1: no
 * current VMCS, so no error number) and VMfailValid (ZF=1: the error number
 * is in the VM-instruction error field of the current VMCS). Every wrapper
 * here tells the two failures apart and reports them through
 * tvm_insn_failed(), which warns once and then logs at a limited rate.
 * Nothing here may panic: a failure is a bug in tinyvmx or a host that
 * took VMX away (an emergency reboot), never a reason to stop the kernel.
 *
 * The instructions that may run after VMX was turned off under us
 * (VMXOFF, VMCLEAR, VMPTRLD, INVEPT) carry exception-table entries, so a
 * #UD becomes a failure return instead of an oops.
 */
#ifndef TVM_VMX_INSN_H
#define TVM_VMX_INSN_H

#include <linux/types.h>
#include <asm/asm.h>

enum tvm_insn_result {
	TVM_VMSUCCEED = 0,
	TVM_VMFAIL_INVALID = 1,	/* CF=1 */
	TVM_VMFAIL_VALID = 2,	/* ZF=1, see VM_INSTRUCTION_ERROR */
	TVM_VMFAULT = 3,	/* the instruction faulted (VMX is off) */
};

void tvm_insn_failed(const char *insn, enum tvm_insn_result res, u64 arg);

/*
 * The flags to result mapping shared by the wrappers: CF means
 * VMfailInvalid, ZF means VMfailValid.
 */
#define TVM_VMX_RESULT(cf, zf) \
	((cf) ? TVM_VMFAIL_INVALID : (zf) ? TVM_VMFAIL_VALID : TVM_VMSUCCEED)

/*
 * Run one VMX instruction, its operands named as asm operands, behind an
 * exception-table entry: a fault (the #UD of VMX turned off under us)
 * gives TVM_VMFAULT, else CF and ZF give the result. The arguments after
 * the instruction are its input operands.
 */
#define TVM_VMX_INSN_SAFE(insn, inputs...)				\
({									\
	bool __cf, __zf, __fault = false;				\
	asm volatile("1: " insn "\n\t"					\
		     "setc %[cf]\n\t"					\
		     "setz %[zf]\n\t"					\
		     "jmp 3f\n"						\
		     "2: movb $1, %[fault]\n"				\
		     "3:\n\t"						\
		     _ASM_EXTABLE(1b, 2b)				\
		     : [cf] "=qm" (__cf), [zf] "=qm" (__zf),		\
		       [fault] "+qm" (__fault)				\
		     : inputs						\
		     : "cc", "memory");					\
	__fault ? TVM_VMFAULT : TVM_VMX_RESULT(__cf, __zf);		\
})

/* VMXON, VMCLEAR and VMPTRLD take a memory operand: a physical address. */
static inline enum tvm_insn_result tvm_vmxon(u64 pa)
{
	return TVM_VMX_INSN_SAFE("vmxon %[pa]", [pa] "m" (pa));
}

static inline enum tvm_insn_result tvm_vmclear(u64 pa)
{
	return TVM_VMX_INSN_SAFE("vmclear %[pa]", [pa] "m" (pa));
}

static inline enum tvm_insn_result tvm_vmptrld(u64 pa)
{
	return TVM_VMX_INSN_SAFE("vmptrld %[pa]", [pa] "m" (pa));
}

static inline enum tvm_insn_result tvm_vmxoff(void)
{
	return TVM_VMX_INSN_SAFE("vmxoff");
}

/* INVEPT type 1, single-context: the SDM's "INVEPT" instruction page. */
#define TVM_INVEPT_SINGLE_CONTEXT	1

static inline enum tvm_insn_result tvm_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };

	return TVM_VMX_INSN_SAFE("invept %[desc], %[type]",
				 [desc] "m" (desc), [type] "r" (type));
}

/*
 * VMREAD and VMWRITE run only with this CPU's current VMCS loaded by the
 * caller, on the hot path; they report failures but carry no fixup.
 */
static __always_inline unsigned long __tvm_vmread(unsigned long field)
{
	unsigned long value;
	bool cf, zf;

	asm volatile("vmread %[field], %[value]\n\t"
		     "setc %[cf]\n\t"
		     "setz %[zf]"
		     : [value] "=r" (value), [cf] "=qm" (cf), [zf] "=qm" (zf)
		     : [field] "r" (field)
		     : "cc");
	if (unlikely(cf || zf)) {
		tvm_insn_failed("vmread", TVM_VMX_RESULT(cf, zf), field);
		return 0;
	}
	return value;
}

static __always_inline void __tvm_vmwrite(unsigned long field,
					  unsigned long value)
{
	bool cf, zf;

	asm volatile("vmwrite %[value], %[field]\n\t"
		     "setc %[cf]\n\t"
		     "setz %[zf]"
		     : [cf] "=qm" (cf), [zf] "=qm" (zf)
		     : [field] "r" (field), [value] "rm" (value)
		     : "cc");
	if (unlikely(cf || zf))
		tvm_insn_failed("vmwrite", TVM_VMX_RESULT(cf, zf), field);
}

#endif /* TVM_VMX_INSN_H */
