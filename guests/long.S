/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 64-bit long-mode guest, an ELF64 executable at 1 MiB that vmrun enters
 * at _start in long mode, with its own identity-mapped page tables. It
 * prints through the UART and through port 0xe9, checks a 64-bit
 * computation, and halts with interrupts disabled: exit status 0.
 */
#include "guest.h"

	.code64
	.text
	.globl	_start
_start:
	lea	stack_top(%rip), %rsp
	UART_INIT
	lea	greeting(%rip), %rsi
	call	puts
	/* Only a 64-bit register holds this. */
	mov	$0x123456789abcdef0, %rax
	shr	$36, %rax
	cmp	$0x1234567, %rax
	jne	1f
	lea	regs_ok(%rip), %rsi
	call	puts
1:	lea	e9_text(%rip), %rsi
	mov	$PORT_E9, %dx
2:	mov	(%rsi), %al
	test	%al, %al
	jz	3f
	out	%al, %dx
	inc	%rsi
	jmp	2b
3:	cli
	hlt

/* Print the string at %rsi through the UART. */
UART_PUTS_FUNC(%rsi)

	.data
greeting:
	.asciz	"Hello from 64-bit long mode (ELF64)!\n"
regs_ok:
	.asciz	"64-bit registers: ok\n"
e9_text:
	.asciz	"port 0xe9 says hello too\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
