/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One sensitive instruction per snippet, in 64-bit mode (insn_test.c):
 * the instruction at MARK insn, then HLT. RAX points at GUEST_DATA (a
 * 64-byte aligned operand), RBX and RCX hold what the test puts there.
 */
#include "snippet.h"

#define INSN(n, ...)	INSN_SNIPPET(insn_##n, __VA_ARGS__)

	.code64
INSN(vmxon,	vmxon	(%rax))
INSN(vmxoff,	vmxoff)
INSN(vmclear,	vmclear	(%rax))
INSN(vmptrld,	vmptrld	(%rax))
INSN(vmptrst,	vmptrst	(%rax))
INSN(vmread,	vmread	%rbx, %rcx)
INSN(vmwrite,	vmwrite	%rcx, %rbx)
INSN(vmlaunch,	vmlaunch)
INSN(vmresume,	vmresume)
INSN(invept,	invept	(%rax), %rbx)
INSN(invvpid,	invvpid	(%rax), %rbx)
INSN(getsec,	getsec)
INSN(monitor,	monitor)
INSN(mwait,	mwait)
INSN(rdpmc,	rdpmc)
INSN(rdtscp,	rdtscp)
INSN(invpcid,	invpcid	(%rax), %rbx)
INSN(xsaves,	xsaves	(%rax))
INSN(invd_wbinvd, invd; wbinvd)
INSN(mov_from_dr4, mov	%dr4, %rbx)
INSN(mov_to_dr5, mov	%rbx, %dr5)
INSN(mov_to_dr7, mov	%rbx, %dr7)
INSN(mov_to_dr6, mov	%rbx, %dr6)

/* VMCALL with RAX = 0 (result to RBX), then with RAX = 5. */
SNIPPET(insn_vmcall)
	xor	%eax, %eax
	mov	$-1, %rbx
	vmcall
	mov	%rax, %rbx
	mov	$5, %eax
	vmcall
	hlt
END_SNIPPET(insn_vmcall)

/*
 * Debug registers: DR0-3 from R8-R11, DR6 and DR7 from RBX and RCX;
 * then everything read back: DR0-3 to R8-R11, DR6 to R12, DR7 to R13.
 * Then DR4 and DR5 (aliases of DR6 and DR7 while CR4.DE = 0) written
 * from RDX and RSI and read back to R14 and R15.
 */
SNIPPET(insn_dr)
	mov	%r8, %dr0
	mov	%r9, %dr1
	mov	%r10, %dr2
	mov	%r11, %dr3
	mov	%rbx, %dr6
	mov	%rcx, %dr7
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	mov	%dr0, %r8
	mov	%dr1, %r9
	mov	%dr2, %r10
	mov	%dr3, %r11
	mov	%dr6, %r12
	mov	%dr7, %r13
	mov	%rdx, %dr4
	mov	%rsi, %dr5
	mov	%dr4, %r14
	mov	%dr5, %r15
	hlt
END_SNIPPET(insn_dr)
