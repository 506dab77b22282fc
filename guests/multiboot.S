/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Multiboot (version 1) kernel: an ELF32 file with a multiboot header
 * and no address fields, so its ELF program headers say where it goes.
 * It checks the boot magic, then prints what the information structure
 * holds: flags, memory bounds, the memory map's entries, the command line
 * and each module's command line and size. It ends through the debug-exit
 * port with 0 (exit status 1), or 1 (status 3) when the magic is wrong.
 */
#include "guest.h"

#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

	.section .multiboot, "a"
	.balign	4
	.long	MB_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_FLAGS)

	.code32
	.text
	.globl	_start
_start:
	mov	$stack_top, %esp
	mov	%eax, %edi		/* the boot magic */
	UART_INIT
	mov	$s_magic, %esi
	call	puts
	mov	%edi, %eax
	call	puthex
	call	newline
	cmp	$MB_BOOT_MAGIC, %edi
	jne	bad_magic

	mov	$s_flags, %esi
	call	puts
	mov	0(%ebx), %eax
	call	puthex
	mov	$s_lower, %esi
	call	puts
	mov	4(%ebx), %eax
	call	puthex
	mov	$s_upper, %esi
	call	puts
	mov	8(%ebx), %eax
	call	puthex
	call	newline

	/* The memory map: count its entries (each "size" + 4 bytes). */
	mov	48(%ebx), %ecx		/* mmap_addr */
	mov	%ecx, %edx
	add	44(%ebx), %edx		/* + mmap_length */
	xor	%eax, %eax
1:	cmp	%edx, %ecx
	jae	2f
	inc	%eax
	add	(%ecx), %ecx
	add	$4, %ecx
	jmp	1b
2:	push	%eax
	mov	$s_mmap, %esi
	call	puts
	pop	%eax
	call	puthex
	call	newline

	mov	$s_cmdline, %esi
	call	puts
	mov	16(%ebx), %esi
	call	puts
	mov	$s_quote, %esi
	call	puts

	mov	$s_mods, %esi
	call	puts
	mov	20(%ebx), %eax
	call	puthex
	call	newline
	mov	20(%ebx), %ecx		/* mods_count */
	mov	24(%ebx), %ebp		/* mods_addr */
3:	test	%ecx, %ecx
	jz	4f
	mov	$s_module, %esi
	call	puts
	mov	8(%ebp), %esi		/* its string */
	call	puts
	mov	$s_size, %esi
	call	puts
	mov	4(%ebp), %eax
	sub	0(%ebp), %eax		/* mod_end - mod_start */
	call	puthex
	call	newline
	add	$16, %ebp
	dec	%ecx
	jmp	3b
4:	mov	$0, %al
	jmp	exit

bad_magic:
	mov	$1, %al
exit:	mov	$DEBUG_EXIT, %dx
	out	%al, %dx
	cli
	hlt

/* Print the string at %esi; %eax, %edx and %esi are clobbered. */
UART_PUTS_FUNC(%esi)

newline:
	push	%eax
	mov	$'\n', %ah
	UART_PUTC_AH
	pop	%eax
	ret

/* Print %eax as 0x and 8 hex digits; %eax is kept. */
puthex:	push	%eax
	push	%ecx
	push	%ebx
	mov	%eax, %ebx
	mov	$'0', %ah
	UART_PUTC_AH
	mov	$'x', %ah
	UART_PUTC_AH
	mov	$8, %ecx
1:	rol	$4, %ebx
	mov	%bl, %ah
	and	$0xf, %ah
	add	$'0', %ah
	cmp	$'9', %ah
	jbe	2f
	add	$('a' - '9' - 1), %ah
2:	UART_PUTC_AH
	loop	1b
	pop	%ebx
	pop	%ecx
	pop	%eax
	ret

	.data
s_magic:	.asciz	"multiboot: magic "
s_flags:	.asciz	"multiboot: flags "
s_lower:	.asciz	" mem_lower "
s_upper:	.asciz	" mem_upper "
s_mmap:		.asciz	"multiboot: memory map entries "
s_cmdline:	.asciz	"multiboot: cmdline '"
s_quote:	.asciz	"'\n"
s_mods:		.asciz	"multiboot: modules "
s_module:	.asciz	"multiboot: module '"
s_size:		.asciz	"' size "

	.bss
	.balign	16
	.skip	4096
stack_top:
