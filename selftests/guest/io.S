/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O guests. The same source is assembled for each mode; the ports
 * and values are the ones io_test.c expects.
 *
 *   out_*:   OUT 0x41 to port 0x10 (imm8 port), 0xbeef to 0x1234 and
 *            0xdeadbeef to 0xabcd (port in DX), then HLT
 *   in_*:    IN 1 byte from 0x20, HLT, 2 bytes from 0x1234, HLT, 4 bytes
 *            from 0xabcd, HLT; RAX is left to the test to inspect
 *   out_loop: OUT of AX = 0, 1, ..., 9999 to port 0x80, then HLT
 */
#include "snippet.h"

#define OUT_SIZES(n)				\
	SNIPPET(n)				\
	mov	$0x41, %al;			\
	MARK(n, out1)				\
	out	%al, $0x10;			\
	mov	$0x1234, %dx;			\
	mov	$0xbeef, %ax;			\
	MARK(n, out2)				\
	out	%ax, %dx;			\
	mov	$0xabcd, %dx;			\
	mov	$0xdeadbeef, %eax;		\
	MARK(n, out4)				\
	out	%eax, %dx;			\
	MARK(n, hlt)				\
	hlt;					\
	END_SNIPPET(n)

/* An IN of @size bytes at MARK in<size>, then HLT at MARK hlt<size>. */
#define IN_HLT(n, size, ...)			\
	MARK(n, in##size)			\
	__VA_ARGS__;				\
	MARK(n, hlt##size)			\
	hlt;

#define IN_SIZES(n)				\
	SNIPPET(n)				\
	IN_HLT(n, 1, in $0x20, %al)		\
	mov	$0x1234, %dx;			\
	IN_HLT(n, 2, in %dx, %ax)		\
	mov	$0xabcd, %dx;			\
	IN_HLT(n, 4, in %dx, %eax)		\
	END_SNIPPET(n)

	.code16
OUT_SIZES(out_real)
IN_SIZES(in_real)

	.code32
OUT_SIZES(out_prot)
IN_SIZES(in_prot)

	.code64
OUT_SIZES(out_long)
IN_SIZES(in_long)

	.code16
SNIPPET(out_loop)
	xor	%ax, %ax
	mov	$0x80, %dx
1:
MARK(out_loop, out)
	out	%ax, %dx
	inc	%ax
	cmp	$10000, %ax
	jne	1b
MARK(out_loop, hlt)
	hlt
END_SNIPPET(out_loop)
