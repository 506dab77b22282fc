/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPUID guests (cpuid_test.c).
 *
 *   cpuid_real, cpuid_long: CPUID with the test's EAX/ECX, then HLT
 *   cpuid_osxsave: CPUID leaf 1 ECX to R8D; set CR4.OSXSAVE; again to R9D
 *   cpuid_xsave_size: leaf 0xd EBX to R8D; CR4.OSXSAVE; XSETBV(0, R10);
 *                     leaf 0xd EBX to R9D, leaf 0xd subleaf 1 EBX to R11D
 */
#include "snippet.h"

#define CR4_OSXSAVE	(1 << 18)

	.code16
SNIPPET(cpuid_real)
	cpuid
	hlt
END_SNIPPET(cpuid_real)

	.code64
SNIPPET(cpuid_long)
	cpuid
	hlt
END_SNIPPET(cpuid_long)

SNIPPET(cpuid_osxsave)
	mov	$1, %eax
	cpuid
	mov	%ecx, %r8d
	mov	%cr4, %rax
	or	$CR4_OSXSAVE, %rax
	mov	%rax, %cr4
	mov	$1, %eax
	cpuid
	mov	%ecx, %r9d
	hlt
END_SNIPPET(cpuid_osxsave)

SNIPPET(cpuid_xsave_size)
	mov	$0xd, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ebx, %r8d
	mov	%cr4, %rax
	or	$CR4_OSXSAVE, %rax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	mov	%r10, %rax
	mov	%r10, %rdx
	shr	$32, %rdx
	xsetbv
	mov	$0xd, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ebx, %r9d
	mov	$0xd, %eax
	mov	$1, %ecx
	cpuid
	mov	%ebx, %r11d
	hlt
END_SNIPPET(cpuid_xsave_size)
