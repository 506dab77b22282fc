/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants and code shared by the example guests: the devices vmrun
 * emulates, and the UART routines. Guests use plain IN/OUT (no string
 * I/O) and no CPUID or MSR access.
 */
#ifndef GUEST_H
#define GUEST_H

#define COM1		0x3f8		/* the 16550A */
#define UART_DLL	0		/* with LCR.DLAB */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define FCR_FIFOS	0x07		/* enable, clear both FIFOs */
#define MCR_DTR_RTS	0x03
#define LSR_DR		0x01		/* a byte has arrived */
#define LSR_THRE	0x20		/* THR empty: room to send */

#define DEBUG_EXIT	0xf4		/* vmrun exits with (v << 1) | 1 */
#define PORT_E9		0xe9		/* byte console */

#define MB_HEADER_MAGIC	0x1badb002
#define MB_BOOT_MAGIC	0x2badb002

/*
 * uart_init and uart_putc for any mode: only %al and %dx are touched,
 * and %dx-relative port numbers work in 16, 32 and 64-bit code.
 */
#define UART_OUT(reg, val)			\
	mov	$(COM1 + (reg)), %dx;		\
	mov	$(val), %al;			\
	out	%al, %dx

#define UART_INIT				\
	UART_OUT(UART_LCR, LCR_DLAB);		\
	UART_OUT(UART_DLL, 1);			\
	UART_OUT(UART_DLM, 0);			\
	UART_OUT(UART_LCR, LCR_8N1);		\
	UART_OUT(UART_FCR, FCR_FIFOS);		\
	UART_OUT(UART_MCR, MCR_DTR_RTS)

/* Send %ah, waiting for THR to be empty; %al and %dx are clobbered. */
#define UART_PUTC_AH				\
	mov	$(COM1 + UART_LSR), %dx;	\
99:	in	%dx, %al;			\
	test	$LSR_THRE, %al;			\
	jz	99b;				\
	mov	$COM1, %dx;			\
	mov	%ah, %al;			\
	out	%al, %dx

/*
 * The function puts: send the NUL-terminated string at si (%esi, or %rsi
 * in long mode) through the UART; %eax, %edx and si are clobbered.
 */
#define UART_PUTS_FUNC(si)			\
puts:	mov	(si), %ah;			\
	test	%ah, %ah;			\
	jz	98f;				\
	UART_PUTC_AH;				\
	inc	si;				\
	jmp	puts;				\
98:	ret

/*
 * The entry of a real-mode flat binary loaded at 0x7c00, as a boot sector:
 * interrupts off, %ds and %ss zero, the stack below the image, then
 * UART_INIT.
 */
#define REAL_MODE_START				\
	.code16;				\
	.text;					\
	.globl	_start;				\
_start:	cli;					\
	xor	%ax, %ax;			\
	mov	%ax, %ds;			\
	mov	%ax, %ss;			\
	mov	$0x7c00, %sp;			\
	UART_INIT

#endif /* GUEST_H */
