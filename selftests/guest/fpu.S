/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vector registers across exits, 64-bit (fpu_test.c). CR4.OSFXSR is set
 * by the test.
 *
 *   fpu_xmm: XMM0-15 from the table at RSI; OUT to port 0x80; XMM0-15
 *            stored at RDI; HLT
 *   fpu_ymm: CR4.OSXSAVE, XCR0 = x87 | SSE | AVX; then as fpu_xmm with
 *            YMM0-15 and 32-byte entries
 */
#include "snippet.h"

#define CR4_OSXSAVE	(1 << 18)

	.code64
SNIPPET(fpu_xmm)
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movdqu	\n * 16(%rsi), %xmm\n
	.endr
MARK(fpu_xmm, loaded)
	out	%al, $0x80
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	movdqu	%xmm\n, \n * 16(%rdi)
	.endr
	hlt
END_SNIPPET(fpu_xmm)

SNIPPET(fpu_ymm)
	mov	%cr4, %rax
	or	$CR4_OSXSAVE, %rax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	$7, %eax
	xsetbv
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmovdqu	\n * 32(%rsi), %ymm\n
	.endr
MARK(fpu_ymm, loaded)
	out	%al, $0x80
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vmovdqu	%ymm\n, \n * 32(%rdi)
	.endr
	hlt
END_SNIPPET(fpu_ymm)
