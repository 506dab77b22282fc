/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM seen from both sides (lifecycle_test.c): copy the word the
 * host left at GUEST_SCRATCH + 8 to GUEST_SCRATCH + 16, OUT it to port
 * 0x34, then HLT.
 */
#include "snippet.h"

	.code16
SNIPPET(mem_real)
	mov	GUEST_SCRATCH + 8, %ax
	mov	%ax, GUEST_SCRATCH + 16
	out	%ax, $0x34
	hlt
END_SNIPPET(mem_real)
