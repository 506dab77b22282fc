// SPDX-License-Identifier: GPL-2.0
/*
 * Filling a new VMCS: the controls, the host-state area and the guest's
 * power-up state. Field meanings are the SDM's chapter "Virtual Machine
 * Control Structures"; the checks they must pass are in "VM Entries",
 * "Checks on VMX Controls and Host-State Area".
 */
#include <linux/mm.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "msr.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

/* vmenter.S writes HOST_RSP by the number in regs.h. */
static_assert(TVM_VMCS_HOST_RSP == HOST_RSP);

/*
 * Host state that differs per CPU (SDM "Host-State Area"): the TSS, the
 * GDT and the SYSENTER stack. Written whenever the VMCS comes to a CPU.
 */
void tvm_vmcs_set_host_cpu(void)
{
	int cpu = smp_processor_id();
	u64 v;

	vmcs_writel(HOST_TR_BASE, (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_writel(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_writel(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_writel(HOST_GS_BASE, v);
}

/* Host state common to all CPUs, and values refreshed before each entry. */
static void tvm_vmcs_set_host_const(struct tvm_vmx *vmx)
{
	struct desc_ptr idt;
	u64 v;

	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_writel(HOST_CR3, __read_cr3());
	vmcs_writel(HOST_CR4, cr4_read_shadow());
	vmx->host_cr3 = __read_cr3();
	vmx->host_cr4 = cr4_read_shadow();

	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	/* DS, ES, FS and GS are 0 in the kernel; tvm_host_restore fixes user's. */
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);

	store_idt(&idt);
	vmcs_writel(HOST_IDTR_BASE, idt.address);
	vmcs_writel(HOST_RIP, (unsigned long)__tvm_vmx_exit);

	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write32(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmcs_write64(HOST_IA32_PAT, v);
	rdmsrl(MSR_EFER, v);
	vmcs_write64(HOST_IA32_EFER, v);
}

static void tvm_vmcs_set_controls(struct tvm_vcpu *vcpu)
{
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, tvm_vmx.pin);
	if (tvm_vmx.pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, tvm_vmx.preemption_timer);
	vcpu->vmx.proc_ctl = tvm_vmx.proc;
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, tvm_vmx.proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, tvm_vmx.proc2);
	vmcs_write32(VM_EXIT_CONTROLS, tvm_vmx.exit);
	vmcs_write32(VM_ENTRY_CONTROLS, tvm_vmx.entry);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(MSR_BITMAP, tvm_msr_bitmap_pa());
	vmcs_write64(TSC_OFFSET, 0);
	vmcs_write64(EPT_POINTER, tvm_ept_pointer(vcpu->vm));
	/* No shadow VMCS: the link pointer must be all ones. */
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	/*
	 * CR0 bits the host owns: the guest reads them from the shadow and an
	 * attempt to change them exits (SDM "Guest/Host Masks and Read Shadows
	 * for CR0 and CR4"). CR4's mask follows the CPUID table (cpuid.c).
	 */
	vmcs_writel(CR0_GUEST_HOST_MASK, TVM_CR0_HOST_OWNED);
}

void tvm_vmcs_setup(struct tvm_vcpu *vcpu)
{
	tvm_vmcs_set_controls(vcpu);
	tvm_vmcs_set_host_const(&vcpu->vmx);
	tvm_vmcs_set_host_cpu();
	tvm_guest_reset(vcpu);
}

/*
 * CR3 changes with the process and CR4 with a few per-task features; the
 * VMCS copies are refreshed only when they differ, as the exit restores
 * them from here.
 */
void tvm_vmcs_refresh_host(struct tvm_vmx *vmx)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (unlikely(cr3 != vmx->host_cr3)) {
		vmcs_writel(HOST_CR3, cr3);
		vmx->host_cr3 = cr3;
	}
	if (unlikely(cr4 != vmx->host_cr4)) {
		vmcs_writel(HOST_CR4, cr4);
		vmx->host_cr4 = cr4;
	}
}
