/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception handlers for every vector, one blob per mode,
 * loaded at GUEST_VECTORS by tvm_guest_setup_idt(): stub n lies at
 * n * VECTOR_STUB_SIZE and jumps to the common handler, which reports
 * the event as tvm_layout.h says and then halts or returns (by RBP).
 *
 * Every stub leaves the same frame: the vector on top, below it the error
 * code (pushed by the CPU for 8, 10-14, 17 and 21, else TVM_NO_ERROR by
 * the stub), below that the CPU's return frame. External interrupts use
 * vectors 32 and up, which never carry an error code.
 */
#include "snippet.h"

#define HAS_ERROR(v)	((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

/* 32- and 64-bit stubs: push imm32 is 5 bytes, jmp rel32 is 5. */
.macro STUBS common
	.set vec, 0
	.rept 256
	.balign VECTOR_STUB_SIZE
	.if !HAS_ERROR(vec)
	.byte	0x68
	.long	TVM_NO_ERROR
	.endif
	.byte	0x68
	.long	vec
	jmp	\common
	.set vec, vec + 1
	.endr
.endm

/* The stubs' offsets count from the snippet's start: align it. */
#define ALIGNED_SNIPPET(name)			\
	.pushsection .rodata.guest, "a";	\
	.balign VECTOR_STUB_SIZE;		\
	.popsection;				\
	SNIPPET(name)

/*
 * The common handler of the 32- and 64-bit stubs, for a stack of \w-byte
 * slots: AX, SP and BP name the registers of that width, CMP and IRET
 * the instructions.
 */
.macro COMMON ax, sp, bp, w, cmp, iret
	push	%\ax
	mov	1 * \w(%\sp), %\ax
	out	%eax, $PORT_VECTOR
	mov	2 * \w(%\sp), %\ax
	out	%eax, $PORT_ERROR
	mov	3 * \w(%\sp), %\ax
	out	%eax, $PORT_RIP
	\cmp	$14, 1 * \w(%\sp)
	jne	1f
	mov	%cr2, %\ax
	out	%eax, $PORT_CR2
1:	pop	%\ax
	add	$2 * \w, %\sp
	test	%\bp, %\bp
	jz	3f
	cmp	$1, %\bp
	je	2f
	mov	%\bp, (%\sp)
2:	\iret
3:	hlt
	jmp	3b
.endm

	.code32
ALIGNED_SNIPPET(vectors32)
	STUBS	common32
common32:
	COMMON	eax, esp, ebp, 4, cmpl, iret
END_SNIPPET(vectors32)

	.code64
ALIGNED_SNIPPET(vectors64)
	STUBS	common64
common64:
	COMMON	rax, rsp, rbp, 8, cmpq, iretq
END_SNIPPET(vectors64)

/*
 * Real mode: no error codes. The IVT entry of vector n is the stub's
 * linear address as segment:offset with offset < 16; the jump to the
 * common handler is IP-relative, so any such split reaches it.
 */
	.code16
ALIGNED_SNIPPET(vectors16)
	.set vec, 0
	.rept 256
	.balign VECTOR_STUB_SIZE
	pushw	$vec
	jmp	common16
	.set vec, vec + 1
	.endr
common16:
	pushl	%eax
	movzwl	4(%esp), %eax
	outl	%eax, $PORT_VECTOR
	movl	$TVM_NO_ERROR, %eax
	outl	%eax, $PORT_ERROR
	movzwl	6(%esp), %eax
	outl	%eax, $PORT_RIP
	popl	%eax
	add	$2, %sp
	test	%bp, %bp
	jz	3f
	cmp	$1, %bp
	je	2f
	mov	%bp, (%esp)
2:	iret
3:	hlt
	jmp	3b
END_SNIPPET(vectors16)
