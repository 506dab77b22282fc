/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control registers and XCR0, 64-bit (cr_test.c). With the IDT of
 * tvm_guest_setup_idt() and RBP = MARK after, a faulting instruction is
 * reported and the guest goes on after it.
 *
 *   cr4_set:  CR4 |= RBX at MARK insn; CR4 to RCX at MARK after; HLT
 *   cr0_cache: CR0 to R8; set CD, CR0 to R9; set NW, CR0 to R10;
 *             clear both, CR0 to R11; HLT
 *   cr0_set:  CR0 |= RBX at MARK insn; CR0 to RCX at MARK after; HLT
 *   xsetbv:   XSETBV(ECX, EDX:EAX) at MARK insn; XGETBV(0) to EDX:EAX at
 *             MARK after; HLT
 */
#include "snippet.h"

#define CR0_NW	(1 << 29)
#define CR0_CD	(1 << 30)

	.code64
SNIPPET(cr4_set)
	mov	%cr4, %rax
	or	%rbx, %rax
MARK(cr4_set, insn)
	mov	%rax, %cr4
MARK(cr4_set, after)
	mov	%cr4, %rcx
	hlt
END_SNIPPET(cr4_set)

SNIPPET(cr0_set)
	mov	%cr0, %rax
	or	%rbx, %rax
MARK(cr0_set, insn)
	mov	%rax, %cr0
MARK(cr0_set, after)
	mov	%cr0, %rcx
	hlt
END_SNIPPET(cr0_set)

SNIPPET(cr0_cache)
	mov	%cr0, %rax
	mov	%rax, %r8
	or	$CR0_CD, %rax
	mov	%rax, %cr0
	mov	%cr0, %r9
	or	$CR0_NW, %rax
	mov	%rax, %cr0
	mov	%cr0, %r10
	and	$~(CR0_CD | CR0_NW), %rax
	mov	%rax, %cr0
	mov	%cr0, %r11
	hlt
END_SNIPPET(cr0_cache)

SNIPPET(xsetbv)
MARK(xsetbv, insn)
	xsetbv
MARK(xsetbv, after)
	xor	%ecx, %ecx
	xgetbv
	hlt
END_SNIPPET(xsetbv)
