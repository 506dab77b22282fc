/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark guest: the same real-mode code runs on tinyvmx and on
 * KVM. It is assembled into the bench binary as data and copied to
 * GUEST_CODE; every entry point is position dependent only through the
 * fixed addresses of layout.h.
 *
 * Each measuring entry point takes the iteration count in EBP, reads the
 * TSC before and after its loop and halts with the ticks in EDX:EAX. The
 * host reads them after the HLT exit. The loop is "body; dec %ebp; jnz":
 * the entry point "loop" measures that overhead alone.
 */
#include "layout.h"

	.section .note.GNU-stack, "", @progbits
	.section .rodata.bench_guest, "a"
	.code16

#define ENTRY(name)			\
	.globl bench_guest_##name;	\
	bench_guest_##name:

.macro clock_start
	rdtsc
	movl	%eax, GUEST_TSC_SAVE
	movl	%edx, GUEST_TSC_SAVE + 4
.endm

.macro clock_stop
	rdtsc
	subl	GUEST_TSC_SAVE, %eax
	sbbl	GUEST_TSC_SAVE + 4, %edx
	hlt
.endm

ENTRY(start)

/* The first instruction of a new VM: exits at once. */
ENTRY(hlt)
	hlt

/* The loop with no exit in it. */
ENTRY(loop)
	clock_start
1:	decl	%ebp
	jnz	1b
	clock_stop

/* Port output to userspace. */
ENTRY(out)
	clock_start
	movw	$PORT_IO, %dx
1:	outb	%al, (%dx)
	decl	%ebp
	jnz	1b
	clock_stop

/* Port input from userspace. */
ENTRY(in)
	clock_start
	movw	$PORT_IO, %dx
1:	inb	(%dx), %al
	decl	%ebp
	jnz	1b
	clock_stop

/* CPUID leaf 0, answered in the kernel. */
ENTRY(cpuid)
	clock_start
1:	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	decl	%ebp
	jnz	1b
	clock_stop

/*
 * VMCALL with RAX = 0, answered in the kernel: TINYVMX_HC_NOP on
 * tinyvmx; on KVM no hypercall has number 0 and the answer is
 * -KVM_ENOSYS.
 */
ENTRY(vmcall)
	clock_start
1:	xorl	%eax, %eax
	vmcall
	decl	%ebp
	jnz	1b
	clock_stop

/* One VMCALL: the host reads the answer in RAX. */
ENTRY(vmcall_once)
	xorl	%eax, %eax
	vmcall
	hlt

/* A byte store outside guest RAM (FS base MMIO_GPA): MMIO to userspace. */
ENTRY(mmio_write)
	clock_start
1:	movb	%al, %fs:0
	decl	%ebp
	jnz	1b
	clock_stop

/* A byte load from outside guest RAM. */
ENTRY(mmio_read)
	clock_start
1:	movb	%fs:0, %al
	decl	%ebp
	jnz	1b
	clock_stop

/*
 * What a UART driver's write loop does with its transmit register, minus
 * the status poll: EBP bytes from GUEST_OUT_BUF, one OUT each.
 */
ENTRY(uart)
	clock_start
	movw	$PORT_UART, %dx
	movw	$GUEST_OUT_BUF, %si
	cld
1:	lodsb
	outb	%al, (%dx)
	decl	%ebp
	jnz	1b
	clock_stop

/*
 * Read one byte of each of EBP pages from guest-physical 0, through GS
 * (base 0, limit 4 GiB: "unreal" mode), so that the hypervisor maps all
 * of guest RAM; then halt.
 */
ENTRY(touch)
	xorl	%esi, %esi
1:	movb	%gs:(%esi), %al
	addl	$4096, %esi
	decl	%ebp
	jnz	1b
	hlt

ENTRY(end)
