// SPDX-License-Identifier: GPL-2.0
/*
 * VMX off in an emergency: a crash dump (kdump) or an emergency reboot.
 *
 * The SDM ("VMXOFF", "INIT" in VMX operation) blocks INIT while a CPU is in
 * VMX operation, so a crash kernel could not start the other CPUs if we
 * left VMX on. The kernel calls a single registered callback on every CPU
 * in those paths (cpu_emergency_register_virt_callback). KVM takes that
 * slot while kvm_intel is loaded, and registering a second callback trips
 * a kernel warning; KVM's callback turns VMX off on any CPU with CR4.VMXE
 * set, tinyvmx's too. So tinyvmx holds the slot only while it has VMX on
 * and KVM is absent, and hands it over when kvm_intel arrives.
 *
 * This is the one file that uses this interface, which newer kernels may
 * reserve for KVM.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <asm/reboot.h>

#include "tinyvmx.h"

static DEFINE_MUTEX(tvm_emergency_lock);
static bool tvm_emergency_held;		/* tinyvmx has VMX on */
static bool tvm_emergency_registered;
static bool tvm_kvm_intel_live;		/* seen coming, not yet gone */

/* kvm.ko exports this; present means KVM owns (or will own) the slot. */
static bool tvm_kvm_loaded(void)
{
	if (!__symbol_get("kvm_rebooting"))
		return false;
	__symbol_put("kvm_rebooting");
	return true;
}

static void tvm_emergency_update(void)
{
	bool want = tvm_emergency_held && !tvm_kvm_intel_live && !tvm_kvm_loaded();

	lockdep_assert_held(&tvm_emergency_lock);
	if (want == tvm_emergency_registered)
		return;
	if (want)
		cpu_emergency_register_virt_callback(tvm_cpu_emergency_vmxoff);
	else
		cpu_emergency_unregister_virt_callback(tvm_cpu_emergency_vmxoff);
	tvm_emergency_registered = want;
}

void tvm_emergency_hold(bool held)
{
	mutex_lock(&tvm_emergency_lock);
	tvm_emergency_held = held;
	tvm_emergency_update();
	mutex_unlock(&tvm_emergency_lock);
}

/* Step aside before kvm_intel's init registers its own callback. */
static int tvm_module_event(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	struct module *mod = data;

	bool intel = !strcmp(mod->name, "kvm_intel");

	/* kvm.ko going away ends KVM's claim when kvm_intel predates us. */
	if (!intel && strcmp(mod->name, "kvm"))
		return NOTIFY_DONE;
	mutex_lock(&tvm_emergency_lock);
	if (intel && state == MODULE_STATE_COMING)
		tvm_kvm_intel_live = true;
	else if (intel && state == MODULE_STATE_GOING)
		tvm_kvm_intel_live = false;
	tvm_emergency_update();
	mutex_unlock(&tvm_emergency_lock);
	return NOTIFY_OK;
}

static struct notifier_block tvm_module_nb = {
	.notifier_call = tvm_module_event,
};

int tvm_emergency_init(void)
{
	return register_module_notifier(&tvm_module_nb);
}

void tvm_emergency_exit(void)
{
	unregister_module_notifier(&tvm_module_nb);
}
