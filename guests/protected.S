/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 32-bit protected-mode guest, an ELF32 executable at 1 MiB that vmrun
 * enters at _start with flat segments and paging off. It prints through
 * the UART, checks that it can use memory above 1 MiB, and ends through
 * the debug-exit port with 0x10: vmrun's exit status is 33.
 */
#include "guest.h"

	.code32
	.text
	.globl	_start
_start:
	mov	$stack_top, %esp
	UART_INIT
	mov	$greeting, %esi
	call	puts
	/* A word through memory well above 1 MiB and back. */
	movl	$0x600dc0de, scratch
	cmpl	$0x600dc0de, scratch
	jne	fail
	mov	$memory_ok, %esi
	call	puts
	mov	$DEBUG_EXIT, %dx
	mov	$0x10, %al
	out	%al, %dx
fail:	cli
	hlt

/* Print the string at %esi. */
UART_PUTS_FUNC(%esi)

	.data
greeting:
	.asciz	"Hello from 32-bit protected mode (ELF32)!\n"
memory_ok:
	.asciz	"memory above 1 MiB: ok\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
scratch:
	.skip	4
