/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for the exits other than I/O and MMIO (exit_test.c).
 */
#include "snippet.h"

	.code16

/* HLT, then an OUT to port 0x30 that shows where the guest resumed. */
SNIPPET(hlt_real)
	nop
MARK(hlt_real, hlt)
	hlt
MARK(hlt_real, out)
	out	%al, $0x30
	hlt
END_SNIPPET(hlt_real)

/*
 * Triple fault: an IDT limit of 0 (the six zero bytes at GUEST_SCRATCH)
 * leaves no vector deliverable, so INT3 raises #GP, then #DF, then the
 * processor shuts down.
 */
SNIPPET(triple_real)
	lidt	GUEST_SCRATCH
	int3
	hlt
END_SNIPPET(triple_real)

/*
 * Spin without exits until the host writes a non-zero byte at
 * GUEST_SCRATCH, then OUT to port 0x31. Only RAM reads: no VM exit that
 * userspace sees, so only a signal or the scheduler ends RUN.
 */
SNIPPET(spin_real)
1:	cmpb	$0, GUEST_SCRATCH
	je	1b
MARK(spin_real, out)
	out	%al, $0x31
	hlt
END_SNIPPET(spin_real)

/* Exits at once on its first instruction, if it gets to run at all. */
SNIPPET(immediate_real)
MARK(immediate_real, out)
	out	%al, $0x32
	hlt
END_SNIPPET(immediate_real)

	.code32
/* Would OUT to port 0x33; the tests break its state before it runs. */
SNIPPET(fail_prot)
	out	%al, $0x33
	hlt
END_SNIPPET(fail_prot)
