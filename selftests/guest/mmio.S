/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO guests for mmio_test.c: one instruction touching memory outside
 * guest RAM, then HLT. The address is in (E/R)DI, set by the test; real
 * mode reaches GUEST_MMIO_LOW through ES. The value written comes from
 * RBX (or R9); a read lands in RBX (or R10).
 */
#include "snippet.h"

#define MMIO_REAL(n, ...)			\
	INSN_SNIPPET_AFTER(n, push $GUEST_MMIO_LOW_SEG; pop %es, __VA_ARGS__)

#define MMIO(n, ...)	INSN_SNIPPET(n, __VA_ARGS__)

	.code16
MMIO_REAL(mmio_real_w_r8,	mov	%bl, %es:(%di))
MMIO_REAL(mmio_real_w_r16,	mov	%bx, %es:(%di))
MMIO_REAL(mmio_real_w_r32,	mov	%ebx, %es:(%di))
MMIO_REAL(mmio_real_w_imm8,	movb	$0x5a, %es:(%di))
MMIO_REAL(mmio_real_w_imm16,	movw	$0x5aa5, %es:(%di))
MMIO_REAL(mmio_real_w_imm32,	movl	$0x12345678, %es:(%di))
MMIO_REAL(mmio_real_r_r8,	mov	%es:(%di), %bl)
MMIO_REAL(mmio_real_r_r16,	mov	%es:(%di), %bx)
MMIO_REAL(mmio_real_r_r32,	mov	%es:(%di), %ebx)

	.code32
MMIO(mmio_prot_w_r32,		mov	%ebx, (%edi))
MMIO(mmio_prot_w_imm8,		movb	$0x5a, (%edi))
MMIO(mmio_prot_r_r32,		mov	(%edi), %ebx)
MMIO(mmio_prot_r_r16,		mov	(%edi), %bx)

	.code64
MMIO(mmio_long_w_r8,		mov	%bl, (%rdi))
MMIO(mmio_long_w_r8_high,	mov	%bh, (%rdi))
MMIO(mmio_long_w_r16,		mov	%bx, (%rdi))
MMIO(mmio_long_w_r32,		mov	%ebx, (%rdi))
MMIO(mmio_long_w_r64,		mov	%rbx, (%rdi))
MMIO(mmio_long_w_r64_r9,	mov	%r9, (%rdi))
MMIO(mmio_long_w_disp8,		mov	%ebx, 0x10(%rdi))
MMIO(mmio_long_w_imm8,		movb	$0x5a, (%rdi))
MMIO(mmio_long_w_imm16,		movw	$0x5aa5, (%rdi))
MMIO(mmio_long_w_imm32,		movl	$0x12345678, (%rdi))
MMIO(mmio_long_w_imm64,		movq	$-2, (%rdi))
MMIO(mmio_long_r_r8,		mov	(%rdi), %bl)
MMIO(mmio_long_r_r8_high,	mov	(%rdi), %bh)
MMIO(mmio_long_r_r16,		mov	(%rdi), %bx)
MMIO(mmio_long_r_r32,		mov	(%rdi), %ebx)
MMIO(mmio_long_r_r64,		mov	(%rdi), %rbx)
MMIO(mmio_long_r_r32_r10,	mov	(%rdi), %r10d)

/* Not a mov: the module reports it undecoded, with its bytes (01 1f). */
MMIO(mmio_long_add,		add	%ebx, (%rdi))
