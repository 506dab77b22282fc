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
/*
 * Registers \reg\()0-15 loaded with \mov from \size-byte entries at RSI;
 * OUT to port 0x80 at MARK loaded; stored back at RDI; HLT.
 */
.macro load_out_store name, mov, reg, size
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	\mov	\n * \size(%rsi), %\reg\n
	.endr
	.globl	\name\()_loaded		/* MARK(\name, loaded) */
\name\()_loaded:
	out	%al, $0x80
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	\mov	%\reg\n, \n * \size(%rdi)
	.endr
	hlt
.endm

SNIPPET(fpu_xmm)
	load_out_store fpu_xmm, movdqu, xmm, 16
END_SNIPPET(fpu_xmm)

SNIPPET(fpu_ymm)
	mov	%cr4, %rax
	or	$CR4_OSXSAVE, %rax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	$7, %eax
	xsetbv
	load_out_store fpu_ymm, vmovdqu, ymm, 32
END_SNIPPET(fpu_ymm)
