/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real-mode echo through the UART: every byte received is sent back in
 * upper case, until a newline, then HLT with interrupts disabled (status
 * 0). It shows the UART's input side: LSR.DR and RBR.
 */
#include "guest.h"

REAL_MODE_START
1:	mov	$(COM1 + UART_LSR), %dx
	in	%dx, %al
	test	$LSR_DR, %al
	jz	1b
	mov	$COM1, %dx
	in	%dx, %al
	mov	%al, %ah
	cmp	$'a', %ah
	jb	2f
	cmp	$'z', %ah
	ja	2f
	sub	$('a' - 'A'), %ah
2:	mov	%ah, %bl
	UART_PUTC_AH
	cmp	$'\n', %bl
	jne	1b
	cli
	hlt
