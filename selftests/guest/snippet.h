/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest snippets: tiny pieces of guest code, assembled into the test
 * binaries as data and copied into guest RAM by tvm_guest_load().
 *
 *	SNIPPET(out_real)		.globl out_real_start
 *		...code...
 *	MARK(out_real, out1)		.globl out_real_out1: an address
 *		...code...		the test checks (an exit's RIP)
 *	END_SNIPPET(out_real)		.globl out_real_end
 *
 * The code is copied, not linked where it runs: keep it position
 * independent (relative jumps to local labels, RIP-relative data in long
 * mode, fixed guest addresses from tvm_guest.h otherwise).
 */
#ifndef GUEST_SNIPPET_H
#define GUEST_SNIPPET_H

#include "../include/tvm_layout.h"

#define SNIPPET(name)				\
	.pushsection .rodata.guest, "a";	\
	.globl name##_start;			\
	name##_start:

#define MARK(name, label)			\
	.globl name##_##label;			\
	name##_##label:

#define END_SNIPPET(name)			\
	.globl name##_end;			\
	name##_end:				\
	.popsection

/* The snippets are data: the host stack need not be executable. */
	.section .note.GNU-stack, "", @progbits

#endif /* GUEST_SNIPPET_H */
