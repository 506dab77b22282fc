/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSR guests, 64-bit (msr_test.c).
 *
 *   msr_wr_rd:  WRMSR of ECX with EDX:EAX, clear EDX:EAX, RDMSR, HLT
 *   msr_rd:     RDMSR of ECX, HLT
 *   msr_wr:     WRMSR of ECX with EDX:EAX, HLT
 *   msr_table:  WRMSR of each (index, value) pair at RSI, up to index 0,
 *               then OUT to port 0x70 (the guest's MSRs are in force),
 *               then HLT
 *   msr_swapgs: SWAPGS; GS_BASE to R8, KERNEL_GS_BASE to R9; HLT
 */
#include "snippet.h"

#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

	.code64
SNIPPET(msr_wr_rd)
MARK(msr_wr_rd, wrmsr)
	wrmsr
	xor	%eax, %eax
	xor	%edx, %edx
	rdmsr
	hlt
END_SNIPPET(msr_wr_rd)

SNIPPET(msr_rd)
MARK(msr_rd, insn)
	rdmsr
	hlt
END_SNIPPET(msr_rd)

SNIPPET(msr_wr)
MARK(msr_wr, insn)
	wrmsr
	hlt
END_SNIPPET(msr_wr)

SNIPPET(msr_table)
1:	mov	(%rsi), %ecx
	test	%ecx, %ecx
	jz	2f
	mov	8(%rsi), %eax
	mov	12(%rsi), %edx
	wrmsr
	add	$16, %rsi
	jmp	1b
2:	out	%al, $0x70
	hlt
END_SNIPPET(msr_table)

/* RDMSR's EDX:EAX into one register. */
#define RDMSR64(msr, reg)			\
	mov	$msr, %ecx;			\
	rdmsr;					\
	shl	$32, %rdx;			\
	or	%rax, %rdx;			\
	mov	%rdx, reg

SNIPPET(msr_swapgs)
	swapgs
	RDMSR64(MSR_GS_BASE, %r8)
	RDMSR64(MSR_KERNEL_GS_BASE, %r9)
	hlt
END_SNIPPET(msr_swapgs)
