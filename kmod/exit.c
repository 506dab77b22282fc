// SPDX-License-Identifier: GPL-2.0
/*
 * The exit-dispatch table: one handler per basic exit reason.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/fpu/types.h>
#include <asm/trapnr.h>

#include "event.h"
#include "insn_policy.h"
#include "msr.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

/*
 * Each handler returns 1 to enter the guest again, 0 to return to
 * userspace with vcpu->run filled in, or a negative errno that RUN
 * returns. A reason without a handler reaches userspace as
 * TINYVMX_EXIT_UNEXPECTED with the raw reason and qualification.
 */
typedef int (*tvm_exit_handler_t)(struct tvm_vcpu *vcpu);

int tvm_exit_unexpected(struct tvm_vcpu *vcpu)
{
	struct tinyvmx_run *run = vcpu->run;

	run->exit_reason = TINYVMX_EXIT_UNEXPECTED;
	run->unexpected.reason = vcpu->vmx.exit_reason;
	run->unexpected.qualification = vcpu->vmx.exit_qual;
	run->unexpected.intr_info = vmcs_read32(VM_EXIT_INTR_INFO);
	return 0;
}

/*
 * An external interrupt, taken by the host once interrupts were enabled;
 * or the preemption timer: either way the run loop looks at signals,
 * kicks and the scheduler before it enters again.
 */
static int tvm_exit_resume(struct tvm_vcpu *vcpu)
{
	return 1;
}

/* NMIs were handed to the host right after the exit (vmx_vcpu.c). */
static int tvm_exit_exception_nmi(struct tvm_vcpu *vcpu)
{
	u32 info = vmcs_read32(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return 1;
	return tvm_exit_unexpected(vcpu);
}

static int tvm_exit_triple_fault(struct tvm_vcpu *vcpu)
{
	vcpu->vmx.shutdown = true;
	vcpu->run->exit_reason = TINYVMX_EXIT_SHUTDOWN;
	return 0;
}

static int tvm_exit_hlt(struct tvm_vcpu *vcpu)
{
	tvm_guest_skip_insn(vcpu);
	vcpu->run->exit_reason = TINYVMX_EXIT_HLT;
	return 0;
}

/*
 * Port I/O, as the seed's EXIT_REASON_INOUT: the qualification (SDM
 * "Exit Qualification for I/O Instructions") gives size - 1 in bits 2:0,
 * IN in bit 3, string in bit 4, REP in bit 5 and the port in bits 31:16.
 * The instruction completes on the next RUN (tvm_complete_pending).
 */
static int tvm_exit_io(struct tvm_vcpu *vcpu)
{
	struct tinyvmx_exit_io *io = &vcpu->run->io;
	u64 q = vcpu->vmx.exit_qual;
	u8 size = (q & 7) + 1;
	bool in = q & BIT(3);
	u32 data = 0;

	if (q & BIT(4))
		return tvm_exit_string_io(vcpu);
	if (!in) {
		data = vcpu->vmx.gprs[TVM_REG_RAX] & GENMASK(size * 8 - 1, 0);
		/* An output-only port: into the ring, and straight back in. */
		if (vcpu->vm->ncoalesced && tvm_coalesced_out(vcpu, q >> 16, size, data)) {
			tvm_guest_skip_insn(vcpu);
			return 1;
		}
	}
	memset(io, 0, sizeof(*io));
	io->size = size;
	io->direction = in ? TINYVMX_IO_IN : TINYVMX_IO_OUT;
	io->rep = !!(q & BIT(5));
	io->port = q >> 16;
	io->count = 1;
	io->data = data;
	vcpu->vmx.pending = in ? TVM_PENDING_IO_IN : TVM_PENDING_IO_OUT;
	vcpu->run->exit_reason = TINYVMX_EXIT_IO;
	return 0;
}

/*
 * MOV to or from CR0, CR4 and CR8 (SDM "Exit Qualification for
 * Control-Register Accesses"): bits 3:0 the register, 5:4 the access type,
 * 11:8 the general-purpose register.
 */
static int tvm_exit_cr(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	u64 q = vmx->exit_qual;
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	unsigned long *gpr = &vmx->gprs[reg];
	int ret = 0;

	if (reg == TVM_REG_RSP_UNUSED)
		return tvm_exit_unexpected(vcpu);
	if (type == 0) {		/* MOV to CR */
		switch (cr) {
		case 0:
			ret = tvm_guest_set_cr0(vcpu, *gpr);
			break;
		case 4:
			ret = tvm_guest_set_cr4(vcpu, *gpr);
			break;
		case 8:
			if (*gpr > 15)
				ret = -EINVAL;
			else
				vmx->cr8 = *gpr;
			break;
		default:
			return tvm_exit_unexpected(vcpu);
		}
	} else if (type == 1 && cr == 8) {
		*gpr = vmx->cr8;
	} else {
		return tvm_exit_unexpected(vcpu);
	}
	if (ret)
		tvm_guest_inject_gp();
	else
		tvm_guest_skip_insn(vcpu);
	return 1;
}

/* SDM "XSETBV": #UD without CR4.OSXSAVE; #GP for CPL > 0, ECX != 0 or an
 * invalid combination of state components.
 */
static int tvm_exit_xsetbv(struct tvm_vcpu *vcpu)
{
	unsigned long *g = vcpu->vmx.gprs;
	u64 v = (u64)(u32)g[TVM_REG_RDX] << 32 | (u32)g[TVM_REG_RAX];
	bool ok = (u32)g[TVM_REG_RCX] == 0 &&
		  !(vmcs_read32(GUEST_SS_AR_BYTES) & (3 << 5)) &&
		  (v & XFEATURE_MASK_FP) && !(v & ~vcpu->vmx.xcr0_allowed) &&
		  (!(v & XFEATURE_MASK_YMM) || (v & XFEATURE_MASK_SSE)) &&
		  !(v & XFEATURE_MASK_AVX512 &&
		    ((v & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512 ||
		     !(v & XFEATURE_MASK_YMM))) &&
		  !!(v & XFEATURE_MASK_BNDREGS) == !!(v & XFEATURE_MASK_BNDCSR);

	if (!(tvm_guest_cr4(vcpu) & X86_CR4_OSXSAVE)) {
		tvm_guest_inject_exception(X86_TRAP_UD, false, 0);
		return 1;
	}
	if (!ok) {
		tvm_guest_inject_gp();
		return 1;
	}
	vcpu->vmx.xcr0 = v;
	tvm_guest_skip_insn(vcpu);
	return 1;
}

/*
 * RAM without an EPT leaf is RAM the guest touches for the first time
 * (its page may already be there, if userspace wrote it through mmap), or
 * that another vCPU mapped a moment ago: the run loop maps it, and the
 * access runs again. Anything else is MMIO.
 */
static int tvm_exit_ept_violation(struct tvm_vcpu *vcpu)
{
	u64 gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	struct page *page;

	if (!tvm_gpa_ram(vcpu->vm, gpa, &page))
		return tvm_exit_mmio(vcpu, gpa);
	/*
	 * An IRET that unblocked NMIs faulted (bit 12, SDM "Exit
	 * Qualification for EPT Violations"; undefined during event
	 * delivery). It runs again: NMIs stay blocked until it completes.
	 */
	if (tvm_vmx.has_vnmi && !vcpu->vmx.exit_in_delivery &&
	    (vcpu->vmx.exit_qual & BIT(12)))
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) | GUEST_INTR_STATE_NMI);
	vcpu->vmx.fault_gpa = gpa;
	return TVM_EXIT_FAULT_IN;
}

static const tvm_exit_handler_t tvm_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]		= tvm_exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= tvm_exit_resume,
	[EXIT_REASON_PREEMPTION_TIMER]		= tvm_exit_resume,
	[EXIT_REASON_TRIPLE_FAULT]		= tvm_exit_triple_fault,
	[EXIT_REASON_HLT]			= tvm_exit_hlt,
	[EXIT_REASON_CR_ACCESS]			= tvm_exit_cr,
	[EXIT_REASON_IO_INSTRUCTION]		= tvm_exit_io,
	[EXIT_REASON_EPT_VIOLATION]		= tvm_exit_ept_violation,
	[EXIT_REASON_CPUID]			= tvm_exit_cpuid,
	[EXIT_REASON_MSR_READ]			= tvm_exit_rdmsr,
	[EXIT_REASON_MSR_WRITE]			= tvm_exit_wrmsr,
	[EXIT_REASON_DR_ACCESS]			= tvm_exit_dr,
	[EXIT_REASON_INTERRUPT_WINDOW]		= tvm_exit_window,
	[EXIT_REASON_NMI_WINDOW]		= tvm_exit_window,
	[EXIT_REASON_VMCALL]			= tvm_exit_vmcall,
	[EXIT_REASON_INVD]			= tvm_exit_nop,
	[EXIT_REASON_WBINVD]			= tvm_exit_nop,
	[EXIT_REASON_RDPMC]			= tvm_exit_gp,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= tvm_exit_ud,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= tvm_exit_ud,
	[TVM_EXIT_REASON_GETSEC]		= tvm_exit_ud,
	[EXIT_REASON_VMCLEAR]			= tvm_exit_ud,
	[EXIT_REASON_VMLAUNCH]			= tvm_exit_ud,
	[EXIT_REASON_VMPTRLD]			= tvm_exit_ud,
	[EXIT_REASON_VMPTRST]			= tvm_exit_ud,
	[EXIT_REASON_VMREAD]			= tvm_exit_ud,
	[EXIT_REASON_VMRESUME]			= tvm_exit_ud,
	[EXIT_REASON_VMWRITE]			= tvm_exit_ud,
	[EXIT_REASON_VMOFF]			= tvm_exit_ud,
	[EXIT_REASON_VMON]			= tvm_exit_ud,
	[EXIT_REASON_INVEPT]			= tvm_exit_ud,
	[EXIT_REASON_INVVPID]			= tvm_exit_ud,
	[EXIT_REASON_XSETBV]			= tvm_exit_xsetbv,
};

/*
 * Exits caused by executing an instruction never happen while an event
 * is being delivered; every other one may, and only those pay for reading
 * the IDT-vectoring information.
 */
static const u64 tvm_insn_exits =
	BIT_ULL(EXIT_REASON_CPUID) | BIT_ULL(EXIT_REASON_HLT) |
	BIT_ULL(EXIT_REASON_VMCALL) | BIT_ULL(EXIT_REASON_CR_ACCESS) |
	BIT_ULL(EXIT_REASON_DR_ACCESS) | BIT_ULL(EXIT_REASON_IO_INSTRUCTION) |
	BIT_ULL(EXIT_REASON_MSR_READ) | BIT_ULL(EXIT_REASON_MSR_WRITE) |
	BIT_ULL(EXIT_REASON_XSETBV) | BIT_ULL(EXIT_REASON_INVD) |
	BIT_ULL(EXIT_REASON_WBINVD) | BIT_ULL(EXIT_REASON_RDPMC);

int tvm_handle_exit(struct tvm_vcpu *vcpu)
{
	u32 reason = vcpu->vmx.exit_reason;

	vcpu->vmx.exit_in_delivery = false;
	if (reason >= 64 || !(tvm_insn_exits & BIT_ULL(reason)))
		tvm_event_requeue(vcpu);

	if (reason < ARRAY_SIZE(tvm_exit_handlers) && tvm_exit_handlers[reason])
		return tvm_exit_handlers[reason](vcpu);
	return tvm_exit_unexpected(vcpu);
}
