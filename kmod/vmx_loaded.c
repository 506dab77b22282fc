// SPDX-License-Identifier: GPL-2.0
/*
 * Which VMCS is active on which CPU: see vmx_loaded.h.
 */
#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/nospec-branch.h>

#include "vmx.h"
#include "vmx_insn.h"
#include "vmx_guest.h"
#include "vmx_loaded.h"

static DEFINE_PER_CPU(struct list_head, tvm_loaded);
static DEFINE_PER_CPU(void *, tvm_current_vmcs);

void tvm_loaded_init_cpu(void)
{
	INIT_LIST_HEAD(this_cpu_ptr(&tvm_loaded));
	this_cpu_write(tvm_current_vmcs, NULL);
}

/* On the CPU where @vmx is active, with interrupts off. */
static void __tvm_vmcs_clear(struct tvm_vmx *vmx)
{
	enum tvm_insn_result res = tvm_vmclear(__pa(vmx->vmcs));

	if (res != TVM_VMSUCCEED)
		tvm_insn_failed("vmclear", res, __pa(vmx->vmcs));
	list_del(&vmx->cpu_link);
	if (this_cpu_read(tvm_current_vmcs) == vmx->vmcs)
		this_cpu_write(tvm_current_vmcs, NULL);
	/* VMCLEAR sets the launch state to clear: the next entry launches. */
	vmx->launched = false;
	/* The VMCS data is in memory before anyone sees cpu == -1. */
	smp_wmb();
	WRITE_ONCE(vmx->cpu, -1);
}

static void tvm_vmcs_clear_ipi(void *arg)
{
	struct tvm_vmx *vmx = arg;

	if (READ_ONCE(vmx->cpu) == smp_processor_id())
		__tvm_vmcs_clear(vmx);
}

void tvm_loaded_clear_cpu(void)
{
	struct tvm_vmx *vmx, *tmp;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry_safe(vmx, tmp, this_cpu_ptr(&tvm_loaded), cpu_link)
		__tvm_vmcs_clear(vmx);
	local_irq_restore(flags);
}

static void tvm_vmcs_make_current(struct tvm_vmx *vmx)
{
	enum tvm_insn_result res = tvm_vmptrld(__pa(vmx->vmcs));

	if (res != TVM_VMSUCCEED)
		tvm_insn_failed("vmptrld", res, __pa(vmx->vmcs));
	this_cpu_write(tvm_current_vmcs, vmx->vmcs);
	/*
	 * Another guest ran here: keep its branch predictions from steering
	 * this one, as the host does for KVM's vCPUs (IBPB when enabled).
	 */
	indirect_branch_prediction_barrier();
}

bool tvm_vmcs_load(struct tvm_vmx *vmx)
{
	unsigned long flags;
	int cpu, old;

	cpu = get_cpu();
	if (likely(READ_ONCE(vmx->cpu) == cpu)) {
		if (unlikely(this_cpu_read(tvm_current_vmcs) != vmx->vmcs))
			tvm_vmcs_make_current(vmx);
		return false;
	}
	put_cpu();

	/* Migrate: no CPU may come or go while the VMCS is in flight. */
	cpus_read_lock();
	old = READ_ONCE(vmx->cpu);
	if (old >= 0)
		smp_call_function_single(old, tvm_vmcs_clear_ipi, vmx, 1);
	/* Pairs with the smp_wmb() in __tvm_vmcs_clear(). */
	smp_rmb();
	cpu = get_cpu();
	local_irq_save(flags);
	tvm_vmcs_make_current(vmx);
	list_add(&vmx->cpu_link, this_cpu_ptr(&tvm_loaded));
	WRITE_ONCE(vmx->cpu, cpu);
	local_irq_restore(flags);
	cpus_read_unlock();
	/*
	 * Whoever moved it (RUN or a register ioctl), the exit must land on
	 * this CPU's TSS, GDT and per-CPU GS base, and EPT translations this
	 * CPU cached for the VM earlier may be stale.
	 */
	tvm_vmcs_set_host_cpu();
	vmx->flush_ept = true;
	return true;
}

void tvm_vmcs_unload(struct tvm_vmx *vmx)
{
	int cpu;

	cpus_read_lock();
	cpu = READ_ONCE(vmx->cpu);
	if (cpu >= 0)
		smp_call_function_single(cpu, tvm_vmcs_clear_ipi, vmx, 1);
	cpus_read_unlock();
}
