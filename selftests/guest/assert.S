/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GUEST_ASSERT itself (guest_assert_test.c), one snippet per mode: @setup,
 * EAX = 7, two checks that hold, then the one given, which fails on
 * purpose and must be reported with this file's name and the line of its
 * GA_SNIPPET. That line is also kept in the test binary's own data
 * (<snippet>_line), for the test to compare. ga_pass_long holds every
 * check and ends in HLT.
 */
#include "snippet.h"

/* The line this stands on, as data the test reads (not guest code). */
#define THIS_LINE(sym)				\
	.pushsection .rodata, "a";		\
	.balign 4;				\
	.globl sym;				\
	sym:	.long __LINE__;			\
	.popsection

#define GA_SNIPPET(n, setup, cc, ...)		\
	SNIPPET(n)				\
	setup;					\
	mov	$7, %eax;			\
	GUEST_ASSERT(e, cmp $7, %eax);		\
	GUEST_ASSERT(nz, test %eax, %eax);	\
	GUEST_ASSERT(cc, __VA_ARGS__);		\
	THIS_LINE(n##_line)			\
	hlt;					\
	END_SNIPPET(n)

	.code16
GA_SNIPPET(ga_real, nop, e, cmp $8, %eax)

	.code32
GA_SNIPPET(ga_prot, nop, b, cmp $7, %eax)

	.code64
#define R9_ALL_ONES	mov $-1, %r9
GA_SNIPPET(ga_long, R9_ALL_ONES, e, cmp %rax, %r9)

SNIPPET(ga_pass_long)
	mov	$7, %eax
	GUEST_ASSERT(e, cmp $7, %rax)
	GUEST_ASSERT(ne, cmp $8, %rax)
	hlt
END_SNIPPET(ga_pass_long)
