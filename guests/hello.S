/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real-mode "hello", loaded as a flat binary at 0x7c00 like a boot
 * sector: it sets up the UART, prints a greeting through it and halts
 * with interrupts disabled, which ends vmrun with status 0.
 */
#include "guest.h"

REAL_MODE_START
	mov	$greeting, %si
1:	mov	(%si), %ah
	test	%ah, %ah
	jz	2f
	UART_PUTC_AH
	inc	%si
	jmp	1b
2:	cli
	hlt
	jmp	2b

greeting:
	.asciz	"Hello from a real-mode guest on tinyvmx!\n"
