// SPDX-License-Identifier: GPL-2.0
/*
 * tinyvmx: module entry and the /dev/tinyvmx misc device.
 *
 * The device has a fixed misc minor so that the module can be loaded on
 * demand: depmod turns the "devname:" alias below into modules.devname,
 * from which the boot creates /dev/tinyvmx before the module is loaded
 * (kmod static-nodes), and the first open then loads it through the
 * "char-major-10-<minor>" alias, as /dev/kvm does.
 */
#define pr_fmt(fmt) "tinyvmx: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <asm/processor.h>

#include "tinyvmx.h"

/*
 * Documentation/admin-guide/devices.txt reserves misc minors 243-254 for
 * local use; an out-of-tree module takes one from there.
 */
#define TVM_MISC_MINOR	243

/* The guest-physical address width: the host's MAXPHYADDR. */
unsigned int tvm_gpa_bits;

static long tvm_check_cap(unsigned long cap)
{
	switch (cap) {
	case TINYVMX_CAP_MAX_VCPUS:
		return TVM_MAX_VCPUS;
	case TINYVMX_CAP_MAX_MEM_REGIONS:
		return TVM_MAX_REGIONS;
	case TINYVMX_CAP_MAX_MEM_SHIFT:
		return TVM_MAX_MEM_SHIFT;
	case TINYVMX_CAP_GPA_BITS:
		return tvm_gpa_bits;
	case TINYVMX_CAP_IMMEDIATE_EXIT:
	case TINYVMX_CAP_MMIO_DECODE:
		return 1;
	case TINYVMX_CAP_RUN_VERSION:
		return TINYVMX_RUN_VERSION;
	case TINYVMX_CAP_CPUID:
		return TVM_CPUID_MAX;
	case TINYVMX_CAP_COALESCED_IO:
		return tvm_ring_nent();
	case TINYVMX_CAP_MODULE_VERSION:
		return TINYVMX_VERSION_CODE(TINYVMX_VERSION_MAJOR,
					    TINYVMX_VERSION_MINOR,
					    TINYVMX_VERSION_PATCH);
	default:
		return 0;
	}
}

static long tvm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case TINYVMX_GET_API_VERSION:
		return arg ? -EINVAL : TINYVMX_API_VERSION;
	case TINYVMX_CHECK_CAP:
		return tvm_check_cap(arg);
	case TINYVMX_CREATE_VM:
		return arg ? -EINVAL : tvm_vm_create();
	case TINYVMX_GET_RUN_SIZE:
		return arg ? -EINVAL : TVM_RUN_SIZE;
	case TINYVMX_GET_SUPPORTED_CPUID:
		return tvm_cpuid_get_supported((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations tvm_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= tvm_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice tvm_miscdev = {
	.minor	= TVM_MISC_MINOR,
	.name	= "tinyvmx",
	.fops	= &tvm_dev_fops,
	.mode	= 0660,
};

static int __init tvm_init(void)
{
	int r;

	r = tvm_vmx_probe();
	if (r)
		return r;
	tvm_gpa_bits = boot_cpu_data.x86_phys_bits;
	r = tvm_vmx_module_init();
	if (r)
		return r;
	r = misc_register(&tvm_miscdev);
	if (r == -EBUSY) {
		/* Another local driver took the minor: run without autoload. */
		pr_info("misc minor %d is taken; /dev/tinyvmx gets a dynamic one and will not load the module on open\n",
			TVM_MISC_MINOR);
		tvm_miscdev.minor = MISC_DYNAMIC_MINOR;
		r = misc_register(&tvm_miscdev);
	}
	if (r)
		tvm_vmx_module_exit();
	return r;
}

static void __exit tvm_exit(void)
{
	misc_deregister(&tvm_miscdev);
	tvm_vmx_module_exit();
}

module_init(tvm_init);
module_exit(tvm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tinyvmx: a small Intel VMX hypervisor");
MODULE_AUTHOR("The tinyvmx developers");
MODULE_VERSION(TINYVMX_VERSION);
MODULE_ALIAS_MISCDEV(TVM_MISC_MINOR);
MODULE_ALIAS("devname:tinyvmx");
