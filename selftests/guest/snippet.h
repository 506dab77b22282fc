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

/*
 * A snippet of one instruction (or a few, separated by ';') at MARK insn,
 * then HLT at MARK hlt: the shape of the instruction-level tables.
 * INSN_SNIPPET_AFTER() runs @setup (no commas) before MARK insn.
 */
#define INSN_SNIPPET_AFTER(name, setup, ...)	\
	SNIPPET(name)				\
	setup;					\
	MARK(name, insn)			\
	__VA_ARGS__;				\
	MARK(name, hlt)				\
	hlt;					\
	END_SNIPPET(name)
#define INSN_SNIPPET(name, ...)	INSN_SNIPPET_AFTER(name, , __VA_ARGS__)

/*
 * GUEST_ASSERT(cc, insn...): do @insn (a CMP or TEST), then check that the
 * condition @cc (a Jcc suffix: e, ne, b, ...) holds, as KVM's GUEST_ASSERT
 * does for its C guests. When it does not, the guest reports to
 * PORT_GUEST_ASSERT and halts for good, with every register as the check
 * left it. The OUT is followed by a record the host finds from the exit's
 * RIP alone, so that it works in every mode and wherever the code runs:
 *
 *	rip:	e6 fa		out %al, $PORT_GUEST_ASSERT
 *	rip+2:	f4 eb fd	hlt; jmp back to the hlt
 *	rip+5:	"TVMA"		magic
 *	rip+9:	u32		__LINE__
 *	rip+13:	__FILE__, #cc, #insn, each NUL-terminated
 *
 *	GUEST_ASSERT(e, cmp %rax, %r9)	fails, unless RAX == R9, with
 *	"guest assertion failed at guest/smp.S:40: cmp %rax, %r9 then e
 *	 is false (rax = 0x1, r9 = 0x2)" (lib/guest_assert.c)
 */
#define GUEST_ASSERT(cc, ...)					\
	__VA_ARGS__;						\
	guest_assert j##cc, __FILE__, __LINE__, #cc, #__VA_ARGS__

.macro guest_assert jcc:req, file:req, line:req, cc:req, insn:req
	\jcc	.Lguest_assert_ok\@
	out	%al, $PORT_GUEST_ASSERT
.Lguest_assert_halt\@:
	hlt
	jmp	.Lguest_assert_halt\@
	.ascii	"TVMA"
	.long	\line
	.asciz	"\file", "\cc", "\insn"
.Lguest_assert_ok\@:
.endm

/* The snippets are data: the host stack need not be executable. */
	.section .note.GNU-stack, "", @progbits

#endif /* GUEST_SNIPPET_H */
