/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for several vCPUs and for vCPUs that move between CPUs
 * (vcpus_test.c, migrate_test.c).
 *
 *   smp_stream: OUT of AX = 0, 1, ..., CX - 1 to port DX, then HLT
 *   smp_spin:   byte 1 at GUEST_SCRATCH + 1 (it runs), then spin without
 *               exits until the host writes a non-zero byte at
 *               GUEST_SCRATCH, then OUT to port 0x31 and HLT
 *   mig_loop:   64-bit; a running LCG state in R9, kept also in XMM1 and
 *               (inverted) in R13 and checked against them on every
 *               iteration; R8 counts iterations. Every 16th, OUT of the
 *               state's halves XORed to port 0x60. A broken invariant
 *               fails a GUEST_ASSERT (R8 then tells after how many).
 */
#include "snippet.h"

	.code16
SNIPPET(smp_stream)
	xor	%ax, %ax
1:	out	%ax, %dx
	inc	%ax
	cmp	%cx, %ax
	jne	1b
	hlt
END_SNIPPET(smp_stream)

SNIPPET(smp_spin)
	movb	$1, GUEST_SCRATCH + 1
MARK(smp_spin, loop)
1:	cmpb	$0, GUEST_SCRATCH
	je	1b
MARK(smp_spin, out)
	out	%al, $0x31
	hlt
END_SNIPPET(smp_spin)

	.code64
SNIPPET(mig_loop)
	mov	$6364136223846793005, %r12
	movq	%r9, %xmm1
	mov	%r9, %r13
	not	%r13
1:	movq	%xmm1, %rax
	GUEST_ASSERT(e, cmp %rax, %r9)
	mov	%r9, %rax
	not	%rax
	GUEST_ASSERT(e, cmp %rax, %r13)
	inc	%r8
	imul	%r12, %r9
	add	%r8, %r9
	movq	%r9, %xmm1
	mov	%r9, %r13
	not	%r13
	test	$15, %r8b
	jnz	1b
	mov	%r9, %rax
	shr	$32, %rax
	xor	%r9d, %eax
	out	%eax, $0x60
	jmp	1b
END_SNIPPET(mig_loop)
