// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU on VMX: creation, the run loop, and keeping the host whole
 * around each entry.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/hw_breakpoint.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/special_insns.h>

#include "cpuid.h"
#include "fpu.h"
#include "event.h"
#include "msr.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"
#include "vmx_loaded.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static void tvm_host_save(struct tvm_vmx *vmx)
{
	struct tvm_host_state *h = &vmx->host;

	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	rdmsrl(MSR_FS_BASE, h->fs_base);
	vmcs_writel(HOST_FS_BASE, h->fs_base);
	/*
	 * SWAPGS (64-bit mode only, so only once EFER.LME is set) changes
	 * KERNEL_GS_BASE without an exit; SYSCALL (with EFER.SCE) uses the
	 * STAR family. Those go in the CPU only when the guest can use them.
	 */
	if (vmx->efer & EFER_LME) {
		rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
		wrmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
		vmx->kgs_loaded = true;
	}
	if (vmx->efer & EFER_SCE) {
		wrmsrl(MSR_STAR, vmx->syscall[0]);
		wrmsrl(MSR_LSTAR, vmx->syscall[1]);
		wrmsrl(MSR_CSTAR, vmx->syscall[2]);
		wrmsrl(MSR_SYSCALL_MASK, vmx->syscall[3]);
		vmx->syscall_loaded = true;
	}
	h->loaded = true;
}

static void tvm_host_restore(struct tvm_vmx *vmx)
{
	struct tvm_host_state *h = &vmx->host;

	if (!h->loaded)
		return;
	if (vmx->kgs_loaded)
		rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	if (h->ds | h->es) {
		loadsegment(ds, h->ds);
		loadsegment(es, h->es);
	}
	if (h->fs)
		loadsegment(fs, h->fs);
	if (h->gs)
		load_gs_index(h->gs);
	/* The exit left TR's limit at 0x67 and the GDT's at 0xffff. */
	invalidate_tss_limit();
	load_fixmap_gdt(raw_smp_processor_id());
	if (vmx->kgs_loaded)
		wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	if (vmx->syscall_loaded) {
		wrmsrl(MSR_STAR, tvm_host_syscall[0]);
		wrmsrl(MSR_LSTAR, tvm_host_syscall[1]);
		wrmsrl(MSR_CSTAR, tvm_host_syscall[2]);
		wrmsrl(MSR_SYSCALL_MASK, tvm_host_syscall[3]);
	}
	vmx->kgs_loaded = false;
	vmx->syscall_loaded = false;
	h->loaded = false;
}

/* Inside RUN, after the guest changed EFER or a SYSCALL MSR. */
void tvm_host_reload(struct tvm_vcpu *vcpu)
{
	tvm_host_restore(&vcpu->vmx);
	tvm_host_save(&vcpu->vmx);
}

static void tvm_sched_in(struct preempt_notifier *pn, int cpu)
{
}

static void tvm_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	tvm_host_restore(container_of(pn, struct tvm_vmx, pn));
}

static struct preempt_ops tvm_preempt_ops = {
	.sched_in	= tvm_sched_in,
	.sched_out	= tvm_sched_out,
};

int tvm_vmx_vcpu_init(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	enum tvm_insn_result res;
	u8 *fpu;

	vmx->cpu = -1;
	INIT_LIST_HEAD(&vmx->cpu_link);
	preempt_notifier_init(&vmx->pn, &tvm_preempt_ops);
	vmx->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vmx->fpu = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO,
					    tvm_fpu_order);
	if (!vmx->vmcs || !vmx->fpu) {
		tvm_vmx_vcpu_free(vcpu);
		return -ENOMEM;
	}
	/* x87 and SSE as at reset: FCW 0x37f, MXCSR 0x1f80, all masked. */
	fpu = vmx->fpu;
	*(u16 *)fpu = 0x37f;
	*(u32 *)(fpu + 24) = 0x1f80;

	*(u32 *)vmx->vmcs = tvm_vmx.revision_id;
	preempt_disable();
	res = tvm_vmclear(__pa(vmx->vmcs));
	preempt_enable();
	if (res != TVM_VMSUCCEED) {
		tvm_insn_failed("vmclear", res, __pa(vmx->vmcs));
		tvm_vmx_vcpu_free(vcpu);
		return -EIO;
	}
	tvm_vmcs_load(vmx);
	tvm_vmcs_setup(vcpu);
	put_cpu();
	vcpu->ept_gen = ~0ULL;
	vmx->xcr0 = XFEATURE_MASK_FP;
	tvm_cpuid_changed(vcpu);
	return 0;
}

static void tvm_kick_ipi(void *unused)
{
}

/* TINYVMX_KICK, from any thread: an IPI makes a running guest exit. */
void tvm_vmx_kick(struct tvm_vcpu *vcpu)
{
	int cpu;

	WRITE_ONCE(vcpu->vmx.kicked, true);
	/* The flag is visible before the IPI's exit makes the loop look. */
	smp_mb();
	cpu = READ_ONCE(vcpu->vmx.cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_call_function_single(cpu, tvm_kick_ipi, NULL, 0);
}

void tvm_vmx_vcpu_free(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;

	if (vmx->vmcs)
		tvm_vmcs_unload(vmx);
	free_page((unsigned long)vmx->vmcs);
	free_pages((unsigned long)vmx->fpu, tvm_fpu_order);
}

/* Finish the instruction userspace completed for us. VMCS loaded. */
static void tvm_complete_pending(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	struct tinyvmx_run *run = vcpu->run;
	unsigned long *rax = &vmx->gprs[TVM_REG_RAX];
	u64 data;

	switch (vmx->pending) {
	case TVM_PENDING_IO_IN:
		/* The only read of run->io.data: userspace may change it. */
		data = READ_ONCE(run->io.data);
		switch (run->io.size) {
		case 1:
			*rax = (*rax & ~0xffUL) | (data & 0xff);
			break;
		case 2:
			*rax = (*rax & ~0xffffUL) | (data & 0xffff);
			break;
		default:
			/* A 32-bit result zero-extends only in 64-bit mode. */
			if ((vmx->efer & EFER_LMA) &&
			    (vmcs_read32(GUEST_CS_AR_BYTES) & BIT(13)))
				*rax = (u32)data;
			else
				*rax = (*rax & ~0xffffffffUL) | (u32)data;
		}
		break;
	case TVM_PENDING_MMIO_READ:
		tvm_complete_mmio_read(vcpu, READ_ONCE(run->mmio.data));
		break;
	case TVM_PENDING_STRING_IO:
		/* It decides itself whether the instruction is done. */
		tvm_complete_string_io(vcpu);
		vmx->pending = TVM_PENDING_NONE;
		return;
	}
	tvm_guest_skip_insn(vcpu);
	vmx->pending = TVM_PENDING_NONE;
}

/*
 * One entry and exit. Preemption is off, the VMCS current and the guest FPU
 * loaded; @debugctl is the host's DEBUGCTL, to restore. Returns 0
 * after a VM exit (vmx->exit_* filled), TVM_ENTER_FAILED when the entry
 * instruction itself failed, TVM_ENTER_ABORTED when a signal or kick came
 * before the entry.
 */
#define TVM_ENTER_FAILED	1
#define TVM_ENTER_ABORTED	2

static int tvm_vmx_enter_guest(struct tvm_vcpu *vcpu, unsigned long debugctl)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	int fail;

	local_irq_disable();
	/*
	 * A signal or a kick that arrived after the loop looked, but before
	 * interrupts went off, would otherwise wait for the next exit: its
	 * IPI was already taken. Later ones are pending and exit at once.
	 */
	if (signal_pending(current) || READ_ONCE(vmx->kicked)) {
		local_irq_enable();
		return TVM_ENTER_ABORTED;
	}
	/* L1TF: nothing the host left in L1D may be read by the guest. */
	if (tvm_vmx.flush_l1d)
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
	if (native_read_cr2() != vmx->cr2)
		native_write_cr2(vmx->cr2);
	/* XCR0 is not switched by VMX: the guest's own is in force inside. */
	if (tvm_xsave && vmx->xcr0 != tvm_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vmx->xcr0);

	fail = __tvm_vmx_enter(vmx->gprs, vmx->launched);

	/*
	 * Legacy IBRS protects the host only when SPEC_CTRL is written after
	 * the less privileged guest ran, whatever the value; the guest cannot
	 * change SPEC_CTRL itself (its MSR exits).
	 */
	if (cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS))
		native_wrmsrl(MSR_IA32_SPEC_CTRL, this_cpu_read(x86_spec_ctrl_current));

	if (tvm_xsave && vmx->xcr0 != tvm_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, tvm_host_xcr0);
	vmx->cr2 = native_read_cr2();
	/* Exits clear DEBUGCTL and set DR7 to 0x400: restore the host's. */
	if (debugctl)
		update_debugctlmsr(debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	if (!fail) {
		vmx->exit_reason = vmcs_read32(VM_EXIT_REASON);
		if ((u16)vmx->exit_reason == EXIT_REASON_EXCEPTION_NMI &&
		    (vmcs_read32(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) ==
		    INTR_TYPE_NMI_INTR)
			tvm_vmx_do_nmi_irqoff();
	}
	local_irq_enable();
	return fail;
}

static int tvm_fail_entry(struct tvm_vcpu *vcpu, u32 kind, u32 reason, u64 qual)
{
	struct tinyvmx_run *run = vcpu->run;

	run->exit_reason = TINYVMX_EXIT_FAIL_ENTRY;
	memset(&run->fail_entry, 0, sizeof(run->fail_entry));
	run->fail_entry.kind = kind;
	run->fail_entry.hardware_reason = reason;
	run->fail_entry.qualification = qual;
	return 0;
}

/* One entry: enter, collect the exit, dispatch. */
static int tvm_vmx_enter_once(struct tvm_vcpu *vcpu, unsigned long debugctl)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	int ret;

	tvm_event_deliver(vcpu);
	tvm_vmcs_refresh_host(vmx);

	/* The RIP read is a VMREAD: only when the tracepoint is on. */
	if (trace_tinyvmx_entry_enabled())
		trace_tinyvmx_entry(vcpu->id, vmcs_readl(GUEST_RIP));
	ret = tvm_vmx_enter_guest(vcpu, debugctl);
	if (ret == TVM_ENTER_ABORTED)
		return 1;	/* the loop sees the signal or the kick */
	if (ret) {
		vcpu->stats.failed_entries++;
		return tvm_fail_entry(vcpu, TINYVMX_FAIL_VMINSTR,
				      vmcs_read32(VM_INSTRUCTION_ERROR), 0);
	}

	vcpu->run->exit_count = ++vcpu->stats.exits;
	vmx->exit_qual = vmcs_readl(EXIT_QUALIFICATION);
	vmx->exit_rip = vmcs_readl(GUEST_RIP);
	vcpu->run->rip = vmx->exit_rip;
	trace_tinyvmx_exit(vcpu->id, vmx->exit_reason, vmx->exit_rip, vmx->exit_qual);
	if ((u16)vmx->exit_reason < TINYVMX_NR_VMX_EXIT_REASONS)
		vcpu->stats.by_reason[(u16)vmx->exit_reason]++;
	if (unlikely(vmx->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
		vcpu->stats.failed_entries++;
		return tvm_fail_entry(vcpu, TINYVMX_FAIL_GUEST_STATE,
				      (u16)vmx->exit_reason, vmx->exit_qual);
	}
	vmx->launched = true;
	vmx->exit_insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	vmx->exit_reason = (u16)vmx->exit_reason;
	return tvm_handle_exit(vcpu);
}

/* What makes the inner loop give the CPU back to the outer one. */
static bool tvm_vmx_leave_inner(struct tvm_vcpu *vcpu)
{
	return need_resched() || signal_pending(current) ||
	       READ_ONCE(vcpu->vmx.kicked) || READ_ONCE(tvm_rebooting);
}

/*
 * The inner loop: entries and the exits handled in the kernel, with
 * preemption off, the VMCS current and the guest's FPU state in the
 * registers throughout (kernel_fpu_begin() once, not once per entry, as
 * KVM keeps a vCPU's FPU loaded across exits). It ends at an exit for
 * userspace or for the outer loop (a page to allocate), or when the
 * scheduler, a signal or a kick wants the CPU back.
 */
static int tvm_vmx_run_once(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	struct tvm_vm *vm = vcpu->vm;
	unsigned long debugctl;
	int ret;

	tvm_vmcs_load(vmx);
	/* A removed mapping, or translations this CPU may hold from before. */
	if (vmx->flush_ept || vcpu->ept_gen != READ_ONCE(vm->ept_gen)) {
		enum tvm_insn_result res;

		vmx->flush_ept = false;
		vcpu->ept_gen = READ_ONCE(vm->ept_gen);
		res = tvm_invept(TVM_INVEPT_SINGLE_CONTEXT, tvm_ept_pointer(vm));
		if (res != TVM_VMSUCCEED)
			tvm_insn_failed("invept", res, 0);
	}
	if (!vmx->host.loaded)
		tvm_host_save(vmx);
	if (vmx->pending)
		tvm_complete_pending(vcpu);

	kernel_fpu_begin();
	tvm_fpu_load(vmx->fpu);
	/*
	 * Exits clear DEBUGCTL; the host's value is read once per stay here,
	 * as KVM reads it once per vcpu_load, and written back after each.
	 */
	debugctl = get_debugctlmsr();
	do {
		ret = tvm_vmx_enter_once(vcpu, debugctl);
	} while (ret == 1 && !tvm_vmx_leave_inner(vcpu));
	tvm_fpu_save(vmx->fpu);
	kernel_fpu_end();
	return ret;
}

int tvm_vmx_run(struct tvm_vcpu *vcpu)
{
	struct tinyvmx_run *run = vcpu->run;
	struct tvm_vmx *vmx = &vcpu->vmx;
	int ret;

	run->exit_reason = TINYVMX_EXIT_NONE;
	if (READ_ONCE(run->immediate_exit) || READ_ONCE(vmx->kicked)) {
		WRITE_ONCE(vmx->kicked, false);
		run->exit_reason = TINYVMX_EXIT_INTR;
		return -EINTR;
	}
	if (vmx->shutdown) {
		run->exit_reason = TINYVMX_EXIT_SHUTDOWN;
		return 0;
	}
	if (down_read_killable(&vcpu->vm->mem_lock))
		return -EINTR;
	preempt_notifier_register(&vmx->pn);

	for (;;) {
		if (signal_pending(current) || READ_ONCE(vmx->kicked)) {
			WRITE_ONCE(vmx->kicked, false);
			run->exit_reason = TINYVMX_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		cond_resched();
		if (READ_ONCE(tvm_rebooting)) {
			ret = -EIO;
			break;
		}
		ret = tvm_vmx_run_once(vcpu);
		put_cpu();
		if (ret == TVM_EXIT_FAULT_IN) {
			/* Preemption is on again: the allocation may sleep. */
			ret = tvm_gpa_fault_in(vcpu->vm, vmx->fault_gpa);
			if (ret)
				break;
			vcpu->stats.ram_faults++;
			continue;
		}
		if (ret <= 0)
			break;
	}

	if (ret == 0 || ret == -EINTR)
		vcpu->stats.userspace_exits++;
	preempt_disable();
	tvm_host_restore(vmx);
	preempt_enable();
	preempt_notifier_unregister(&vmx->pn);
	up_read(&vcpu->vm->mem_lock);
	return ret;
}
