/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry and exit.
 *
 * int __tvm_vmx_enter(unsigned long *gprs, unsigned long launched)
 *
 * Contract:
 *  - Called with interrupts off and the vCPU's VMCS current on this CPU.
 *  - @gprs holds the guest's general-purpose registers in TVM_REG_* order
 *    (regs.h); the guest's RSP, RIP and RFLAGS live in the VMCS.
 *  - @launched selects VMRESUME (non-zero) or VMLAUNCH (zero).
 *  - HOST_RSP is written here, each time, since only this function knows
 *    the stack pointer the exit will land on; HOST_RIP must already be
 *    __tvm_vmx_exit.
 *  - Returns 0 after a VM exit, with every guest GPR stored to @gprs and no
 *    guest value left in any register. Returns 1 when VMLAUNCH/VMRESUME
 *    fails (VMfailValid or VMfailInvalid: the caller reads the
 *    VM-instruction error) or faults (VMX was turned off under us).
 *  - Host callee-saved registers are preserved, as for any C function.
 *
 * Mitigations follow what the host kernel does for KVM's guests: CPU
 * buffers are cleared before entry where the kernel asks for it (MDS and
 * friends), and after exit the return stack buffer is refilled and the
 * branch history cleared before the first unbalanced return.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "compat.h"
#include "regs.h"

#define GPR(r)	(TVM_REG_##r * 8)

	.text


SYM_FUNC_START(__tvm_vmx_enter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rdi		/* @gprs, read back at exit */
	push %rsi

	mov $TVM_VMCS_HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe .Lfail

	/* CF = @launched; plain moves below keep it. */
	bt $0, %esi

	mov %rdi, %rax
	mov GPR(RCX)(%rax), %rcx
	mov GPR(RDX)(%rax), %rdx
	mov GPR(RBX)(%rax), %rbx
	mov GPR(RBP)(%rax), %rbp
	mov GPR(RSI)(%rax), %rsi
	mov GPR(RDI)(%rax), %rdi
	mov GPR(R8)(%rax), %r8
	mov GPR(R9)(%rax), %r9
	mov GPR(R10)(%rax), %r10
	mov GPR(R11)(%rax), %r11
	mov GPR(R12)(%rax), %r12
	mov GPR(R13)(%rax), %r13
	mov GPR(R14)(%rax), %r14
	mov GPR(R15)(%rax), %r15
	mov GPR(RAX)(%rax), %rax

	/* VERW where the kernel wants CPU buffers cleared; clobbers ZF only. */
	VM_CLEAR_CPU_BUFFERS

	jnc .Lvmlaunch

	/* A successful entry comes back at __tvm_vmx_exit, not here. */
	UNWIND_HINT_SAVE
.Lvmresume:
	vmresume
	jmp .Lvmfail
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail

	_ASM_EXTABLE(.Lvmresume, .Lvmfail)
	_ASM_EXTABLE(.Lvmlaunch, .Lvmfail)

SYM_INNER_LABEL(__tvm_vmx_exit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	push %rax
	/* The stack is: guest RAX, @launched, @gprs. */
	mov 16(%rsp), %rax
	pop GPR(RAX)(%rax)
	mov %rcx, GPR(RCX)(%rax)
	mov %rdx, GPR(RDX)(%rax)
	mov %rbx, GPR(RBX)(%rax)
	mov %rbp, GPR(RBP)(%rax)
	mov %rsi, GPR(RSI)(%rax)
	mov %rdi, GPR(RDI)(%rax)
	mov %r8, GPR(R8)(%rax)
	mov %r9, GPR(R9)(%rax)
	mov %r10, GPR(R10)(%rax)
	mov %r11, GPR(R11)(%rax)
	mov %r12, GPR(R12)(%rax)
	mov %r13, GPR(R13)(%rax)
	mov %r14, GPR(R14)(%rax)
	mov %r15, GPR(R15)(%rax)
	/* The result waits in EBX: the mitigations below clobber EAX. */
	xor %ebx, %ebx

.Lclear:
	/* No guest value survives in a register the host may spill. */
	xor %eax, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d

	/* Before the first unbalanced RET after the guest ran. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	CLEAR_BRANCH_HISTORY_VMEXIT
	mov %ebx, %eax

.Lout:
	add $16, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	/* The guest's registers are loaded but it never ran: clear them. */
	mov $1, %ebx
	jmp .Lclear

.Lfail:
	mov $1, %eax
	jmp .Lout
SYM_FUNC_END(__tvm_vmx_enter)

/*
 * void tvm_vmx_do_nmi_irqoff(void)
 *
 * An NMI that arrived in the guest caused the exit and was not delivered
 * (NMI exiting). Hand it to the kernel's NMI entry through a synthetic
 * interrupt frame; its IRET returns here and unblocks NMIs, as the SDM's
 * "NMI Handling" asks of software after such an exit.
 */
SYM_FUNC_START(tvm_vmx_do_nmi_irqoff)
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	call TVM_NMI_ENTRY
	/* IRET already put RSP back; say so for objtool. */
	mov %rbp, %rsp
	pop %rbp
	RET
SYM_FUNC_END(tvm_vmx_do_nmi_irqoff)
