/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests that take injected events (event_test.c). The IDT comes from
 * tvm_guest_setup_idt(); RBP = 1 makes its handlers return.
 *
 *   ev_nop_*:  NOP, HLT: an event injected at the start interrupts the NOP
 *   ev_sti:    IF = 0; OUT 0x50, OUT 0x51, STI, NOP (the STI shadow),
 *              OUT 0x52, HLT: an interrupt queued early waits for STI
 *              and for the end of its shadow
 *   ev_nmi:    NOP, NOP, HLT, and an NMI handler that counts its nesting
 *              depth at GUEST_SCRATCH and reports it on entry (port 0x53)
 *              and right before its IRET (port 0x54)
 */
#include "snippet.h"

	.code16
SNIPPET(ev_nop_real)
MARK(ev_nop_real, nop)
	nop
MARK(ev_nop_real, hlt)
	hlt
END_SNIPPET(ev_nop_real)

	.code32
SNIPPET(ev_nop_prot)
MARK(ev_nop_prot, nop)
	nop
MARK(ev_nop_prot, hlt)
	hlt
END_SNIPPET(ev_nop_prot)

SNIPPET(ev_sti)
MARK(ev_sti, a)
	out	%al, $0x50
MARK(ev_sti, b)
	out	%al, $0x51
	sti
MARK(ev_sti, shadow)
	nop
MARK(ev_sti, c)
	out	%al, $0x52
	hlt
END_SNIPPET(ev_sti)

SNIPPET(ev_nmi)
MARK(ev_nmi, nop)
	nop
	nop
MARK(ev_nmi, hlt)
	hlt
MARK(ev_nmi, handler)
	incl	GUEST_SCRATCH
	mov	GUEST_SCRATCH, %eax
	out	%eax, $0x53
	out	%eax, $0x54
	decl	GUEST_SCRATCH
	iret
END_SNIPPET(ev_nmi)
