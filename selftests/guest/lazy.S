/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest the host drives one operation at a time (lazy_mem_test.c),
 * flat 32-bit protected mode, paging off. It reads an operation from port
 * 0x60 and its arguments from ports 0x61 and 0x62 (4-byte INs), does it,
 * and asks for the next:
 *
 *   1 write:  store the dword arg2 at address arg1
 *   2 read:   load the dword at arg1, OUT it to port 0x63
 *   3 insb:   REP INSB of arg2 bytes from port 0x64 to address arg1
 *   4 call:   call the code at arg1 (it must return)
 *   5 touch:  store the address itself at every 4 KiB from arg1, arg2
 *             times, with no exit in between
 *   other:    HLT
 */
#include "snippet.h"

	.code32
SNIPPET(lazy_prot)
1:	in	$0x60, %eax
	cmp	$1, %eax
	je	2f
	cmp	$2, %eax
	je	3f
	cmp	$3, %eax
	je	4f
	cmp	$4, %eax
	je	5f
	cmp	$5, %eax
	je	6f
	hlt
2:	in	$0x61, %eax
	mov	%eax, %edi
	in	$0x62, %eax
	mov	%eax, (%edi)
	jmp	1b
3:	in	$0x61, %eax
	mov	(%eax), %eax
	out	%eax, $0x63
	jmp	1b
4:	in	$0x61, %eax
	mov	%eax, %edi
	in	$0x62, %eax
	mov	%eax, %ecx
	mov	$0x64, %dx
	cld
	rep insb
	jmp	1b
5:	in	$0x61, %eax
	call	*%eax
	jmp	1b
6:	in	$0x61, %eax
	mov	%eax, %edi
	in	$0x62, %eax
	mov	%eax, %ecx
7:	mov	%edi, (%edi)
	add	$0x1000, %edi
	dec	%ecx
	jnz	7b
	jmp	1b
END_SNIPPET(lazy_prot)
