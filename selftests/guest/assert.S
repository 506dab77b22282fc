/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GUEST_ASSERT itself (guest_assert_test.c), one snippet per mode: two
 * checks that hold, then one that fails on purpose and must be reported
 * with this file's name and the line of its GUEST_ASSERT. That line is
 * also kept in the test binary's own data (<snippet>_line), for the test
 * to compare; ga_pass_* hold every check and end in HLT.
 */
#include "snippet.h"

/* The line this stands on, as data the test reads (not guest code). */
#define THIS_LINE(sym)				\
	.pushsection .rodata, "a";		\
	.balign 4;				\
	.globl sym;				\
	sym:	.long __LINE__;			\
	.popsection

	.code16
SNIPPET(ga_real)
	mov	$7, %eax
	GUEST_ASSERT(e, cmp $7, %eax)
	GUEST_ASSERT(nz, test %eax, %eax)
	GUEST_ASSERT(e, cmp $8, %eax); THIS_LINE(ga_real_line)
	hlt
END_SNIPPET(ga_real)

	.code32
SNIPPET(ga_prot)
	mov	$7, %eax
	GUEST_ASSERT(e, cmp $7, %eax)
	GUEST_ASSERT(nz, test %eax, %eax)
	GUEST_ASSERT(b, cmp $7, %eax); THIS_LINE(ga_prot_line)
	hlt
END_SNIPPET(ga_prot)

	.code64
SNIPPET(ga_long)
	mov	$7, %eax
	mov	$-1, %r9
	GUEST_ASSERT(e, cmp $7, %rax)
	GUEST_ASSERT(a, cmp %rax, %r9)
	GUEST_ASSERT(e, cmp %rax, %r9); THIS_LINE(ga_long_line)
	hlt
END_SNIPPET(ga_long)

SNIPPET(ga_pass_long)
	mov	$7, %eax
	GUEST_ASSERT(e, cmp $7, %rax)
	GUEST_ASSERT(ne, cmp $8, %rax)
	hlt
END_SNIPPET(ga_pass_long)
