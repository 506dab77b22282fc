// SPDX-License-Identifier: GPL-2.0
/*
 * VMX on the host CPUs: the load-time checks, VMXON and VMXOFF.
 *
 * VMX is held only while VMs exist. The first VM turns it on for every
 * online CPU through a CPU-hotplug state, whose callbacks then also run
 * for CPUs that come and go; the last VM's end removes the state, which
 * turns it off everywhere. A reboot or kexec turns it off first (the SDM's
 * "VMXOFF" page: INIT is blocked in VMX operation, so a CPU left in it
 * cannot be restarted).
 */
#define pr_fmt(fmt) "tinyvmx: " fmt

#include <linux/cpuhotplug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <asm/msr.h>
#include <asm/perf_event.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <linux/io.h>

#include "tinyvmx.h"
#include "vmcs.h"
#include "fpu.h"
#include "msr.h"
#include "vmx_guest.h"
#include "vmx_loaded.h"

struct tvm_vmx_config tvm_vmx __ro_after_init;

/* IA32_VMX_BASIC (SDM Appendix A.1, "Basic VMX Information"). */
#define TVM_BASIC_REVISION(b)	((u32)(b) & 0x7fffffff)
#define TVM_BASIC_SIZE(b)	(((b) >> 32) & 0x1fff)
#define TVM_BASIC_MEMTYPE(b)	(((b) >> 50) & 0xf)
#define TVM_BASIC_INOUT		BIT_ULL(54)
#define TVM_BASIC_TRUE_CTLS	BIT_ULL(55)
#define TVM_MEMTYPE_WB		6

/* IA32_VMX_MISC (SDM Appendix A.6): the preemption timer's rate. */
#define TVM_MISC_PREEMPT_RATE	0x1f

/* IA32_VMX_EPT_VPID_CAP (SDM Appendix A.10). */
#define TVM_EPT_CAP_PWL4	BIT_ULL(6)
#define TVM_EPT_CAP_WB		BIT_ULL(14)
#define TVM_EPT_CAP_INVEPT	BIT_ULL(20)
#define TVM_EPT_CAP_INVEPT_CTX	BIT_ULL(25)

bool tvm_rebooting;
static DEFINE_MUTEX(tvm_vmx_lock);
static unsigned int tvm_vmx_users;
static int tvm_cpuhp_state;
static DEFINE_PER_CPU(struct page *, tvm_vmxon_page);

/*
 * Compute a control field from what we need (@req), what we would like
 * (@opt) and the capability MSR @msr (SDM Appendix A.3-A.5: the low half
 * is allowed-0, the bits that must be 1; the high half is allowed-1).
 * Returns false when a required bit cannot be set.
 */
static bool tvm_adjust(u32 msr, u32 req, u32 opt, u32 *out, const char *what)
{
	u32 lo, hi, val;

	rdmsr(msr, lo, hi);
	val = ((req | opt) & hi) | lo;
	if ((val & req) != req) {
		pr_err("cannot load: the CPU lacks %s controls %#x\n",
		       what, req & ~val);
		return false;
	}
	*out = val;
	return true;
}

/*
 * The VMX-preemption timer bounds every stay in the guest to about 4 ms
 * (SDM "VMX-Preemption Timer": it counts down once per 2^rate TSC ticks,
 * rate from IA32_VMX_MISC[4:0], and reloads from the VMCS on each entry).
 * External interrupts already make the guest exit; the timer is a
 * backstop for emulated CPUs that fail to deliver them while the guest
 * runs with RFLAGS.IF clear (Bochs 2.7 does), which would otherwise starve
 * the host's timer.
 */
static void tvm_vmx_setup_preemption_timer(void)
{
	u64 misc, ticks;

	if (!(tvm_vmx.pin & PIN_BASED_VMX_PREEMPTION_TIMER))
		return;
	rdmsrl(MSR_IA32_VMX_MISC, misc);
	ticks = (u64)tsc_khz * 4 >> (misc & TVM_MISC_PREEMPT_RATE);
	tvm_vmx.preemption_timer = clamp_val(ticks, 1000, U32_MAX);
}

static int tvm_vmx_setup_controls(u64 basic)
{
	bool tc = basic & TVM_BASIC_TRUE_CTLS;
	u32 proc_opt = 0;

	/*
	 * Pin-based: external interrupts and NMIs exit, so the host always
	 * gets its interrupts; virtual NMIs if available.
	 */
	if (!tvm_adjust(tc ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
			PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
			PIN_BASED_VIRTUAL_NMIS | PIN_BASED_VMX_PREEMPTION_TIMER,
			&tvm_vmx.pin, "pin-based"))
		return -ENODEV;
	tvm_vmx.has_vnmi = tvm_vmx.pin & PIN_BASED_VIRTUAL_NMIS;
	tvm_vmx_setup_preemption_timer();

	/*
	 * Processor-based: every port access exits; HLT, MWAIT, MONITOR,
	 * RDPMC, CR8 and debug-register accesses exit so the guest can never
	 * reach host state through them; MSR accesses go through the bitmap.
	 */
	if (!tvm_adjust(tc ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS,
			CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
			CPU_BASED_MWAIT_EXITING | CPU_BASED_MONITOR_EXITING |
			CPU_BASED_RDPMC_EXITING | CPU_BASED_CR8_LOAD_EXITING |
			CPU_BASED_CR8_STORE_EXITING | CPU_BASED_MOV_DR_EXITING |
			CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_USE_TSC_OFFSETTING |
			CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
			proc_opt, &tvm_vmx.proc, "processor-based"))
		return -ENODEV;
	/* With EPT the guest owns CR3: no CR3 exits, if the CPU allows. */
	tvm_vmx.proc &= ~(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING);
	if (!tc)
		tvm_vmx.proc |= CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING;

	if (!tvm_adjust(MSR_IA32_VMX_PROCBASED_CTLS2,
			SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST,
			SECONDARY_EXEC_WBINVD_EXITING, &tvm_vmx.proc2,
			"secondary processor-based"))
		return -ENODEV;

	if (!tvm_adjust(tc ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
			VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT |
			VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |
			VM_EXIT_LOAD_IA32_EFER, 0, &tvm_vmx.exit, "VM-exit"))
		return -ENODEV;
	/* IA-32e mode guest is set per entry, from the guest's EFER.LMA. */
	if (!tvm_adjust(tc ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
			VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER,
			0, &tvm_vmx.entry, "VM-entry"))
		return -ENODEV;
	tvm_vmx.entry &= ~VM_ENTRY_IA32E_MODE;
	return 0;
}

int tvm_vmx_probe(void)
{
	u64 basic, feat;

	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err("cannot load: this CPU has no VMX (CPUID.1:ECX.VMX is 0)\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat) ||
	    !(feat & FEAT_CTL_LOCKED) ||
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX) ||
	    !boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("cannot load: VMX is disabled by the firmware (IA32_FEATURE_CONTROL=%#llx)\n",
		       feat);
		return -ENODEV;
	}
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	if (TVM_BASIC_SIZE(basic) > PAGE_SIZE ||
	    TVM_BASIC_MEMTYPE(basic) != TVM_MEMTYPE_WB) {
		pr_err("cannot load: unsupported VMCS layout (IA32_VMX_BASIC=%#llx)\n",
		       basic);
		return -ENODEV;
	}
	tvm_vmx.revision_id = TVM_BASIC_REVISION(basic);
	tvm_vmx.has_insouts_info = basic & TVM_BASIC_INOUT;
	if (tvm_vmx_setup_controls(basic))
		return -ENODEV;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, tvm_vmx.ept_vpid_cap);
	if ((tvm_vmx.ept_vpid_cap & (TVM_EPT_CAP_PWL4 | TVM_EPT_CAP_WB |
				     TVM_EPT_CAP_INVEPT | TVM_EPT_CAP_INVEPT_CTX)) !=
	    (TVM_EPT_CAP_PWL4 | TVM_EPT_CAP_WB | TVM_EPT_CAP_INVEPT |
	     TVM_EPT_CAP_INVEPT_CTX)) {
		pr_err("cannot load: EPT lacks 4-level tables, write-back or single-context INVEPT (IA32_VMX_EPT_VPID_CAP=%#llx)\n",
		       tvm_vmx.ept_vpid_cap);
		return -ENODEV;
	}
	/*
	 * On CPUs with the L1TF bug, flush L1D before every entry: the
	 * strictest of the kernel's settings for KVM guests.
	 */
	tvm_vmx.flush_l1d = boot_cpu_has_bug(X86_BUG_L1TF) &&
			    boot_cpu_has(X86_FEATURE_FLUSH_L1D);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, tvm_vmx.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, tvm_vmx.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, tvm_vmx.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, tvm_vmx.cr4_fixed1);
	return 0;
}

/* Runs on @cpu itself (an AP hotplug state). */
static int tvm_cpu_online(unsigned int cpu)
{
	enum tvm_insn_result res;
	struct page *page;

	/*
	 * CR4.VMXE set means another hypervisor (KVM on 6.12+ holds VMX
	 * from the moment it loads) is in VMX operation here: VMXON would
	 * fail, and VMXOFF would pull VMX from under it.
	 */
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_warn("CPU %u: VMX is in use by another hypervisor (CR4.VMXE is set)\n",
			cpu);
		return -EBUSY;
	}
	page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	*(u32 *)page_address(page) = tvm_vmx.revision_id;

	cr4_set_bits(X86_CR4_VMXE);
	intel_pt_handle_vmx(1);
	res = tvm_vmxon(page_to_phys(page));
	if (res != TVM_VMSUCCEED) {
		intel_pt_handle_vmx(0);
		cr4_clear_bits(X86_CR4_VMXE);
		__free_page(page);
		pr_err("CPU %u: VMXON failed (%d)\n", cpu, res);
		return -EIO;
	}
	tvm_loaded_init_cpu();
	this_cpu_write(tvm_vmxon_page, page);
	return 0;
}

/* Leave VMX operation on this CPU, if tinyvmx put it there. */
static void tvm_cpu_vmxoff(void)
{
	struct page *page = this_cpu_read(tvm_vmxon_page);

	if (!page)
		return;
	tvm_loaded_clear_cpu();
	tvm_vmxoff();
	intel_pt_handle_vmx(0);
	cr4_clear_bits(X86_CR4_VMXE);
	this_cpu_write(tvm_vmxon_page, NULL);
	__free_page(page);
}

/*
 * The emergency path (emergency.c), on every CPU, possibly in NMI context:
 * VMCLEAR and VMXOFF, but free nothing.
 */
void tvm_cpu_emergency_vmxoff(void)
{
	if (!this_cpu_read(tvm_vmxon_page))
		return;
	tvm_loaded_clear_cpu();
	tvm_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

static int tvm_cpu_offline(unsigned int cpu)
{
	tvm_cpu_vmxoff();
	return 0;
}

int tvm_vmx_get(void)
{
	int r = 0;

	mutex_lock(&tvm_vmx_lock);
	if (!tvm_vmx_users) {
		r = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "tinyvmx:online",
				      tvm_cpu_online, tvm_cpu_offline);
		if (r < 0)
			goto out;
		tvm_cpuhp_state = r;
		r = 0;
		tvm_emergency_hold(true);
	}
	tvm_vmx_users++;
out:
	mutex_unlock(&tvm_vmx_lock);
	return r;
}

void tvm_vmx_put(void)
{
	mutex_lock(&tvm_vmx_lock);
	if (!--tvm_vmx_users) {
		tvm_emergency_hold(false);
		cpuhp_remove_state(tvm_cpuhp_state);
	}
	mutex_unlock(&tvm_vmx_lock);
}

static void tvm_vmxoff_ipi(void *unused)
{
	tvm_cpu_vmxoff();
}

/*
 * Reboot and kexec: leave VMX on every CPU. Running vCPUs find VMX gone
 * and fail their next entry (tvm_rebooting), instead of faulting.
 */

static int tvm_reboot(struct notifier_block *nb, unsigned long code, void *v)
{
	WRITE_ONCE(tvm_rebooting, true);
	on_each_cpu(tvm_vmxoff_ipi, NULL, 1);
	return NOTIFY_OK;
}

static struct notifier_block tvm_reboot_nb = {
	.notifier_call = tvm_reboot,
};

int tvm_vmx_module_init(void)
{
	int r;

	tvm_fpu_setup();
	tvm_cpuid_setup();
	r = tvm_msr_module_init();
	if (r)
		return r;
	r = register_reboot_notifier(&tvm_reboot_nb);
	if (r)
		goto fail_reboot;
	r = tvm_emergency_init();
	if (r)
		goto fail_emergency;
	/* The run loop restores host state when its thread is scheduled out. */
	preempt_notifier_inc();
	return 0;

fail_emergency:
	unregister_reboot_notifier(&tvm_reboot_nb);
fail_reboot:
	tvm_msr_module_exit();
	return r;
}

void tvm_vmx_module_exit(void)
{
	preempt_notifier_dec();
	tvm_emergency_exit();
	unregister_reboot_notifier(&tvm_reboot_nb);
	tvm_msr_module_exit();
}

void tvm_insn_failed(const char *insn, enum tvm_insn_result res, u64 arg)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);
	u32 err = 0;

	if (res == TVM_VMFAIL_VALID)
		asm volatile("vmread %[f], %q[e]" : [e] "=r" (err)
			     : [f] "r" ((unsigned long)VM_INSTRUCTION_ERROR) : "cc");
	/* After a reboot's VMXOFF a fault is expected; anything else is a bug. */
	if (!READ_ONCE(tvm_rebooting))
		WARN_ONCE(1, "tinyvmx: %s failed\n", insn);
	if (__ratelimit(&rs))
		pr_err("%s(%#llx) failed: %s, VM-instruction error %u\n", insn,
		       arg, res == TVM_VMFAIL_VALID ? "VMfailValid" :
		       res == TVM_VMFAULT ? "fault" : "VMfailInvalid", err);
}
