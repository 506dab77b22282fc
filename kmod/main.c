// SPDX-License-Identifier: GPL-2.0
/*
 * tinyvmx: module entry and the /dev/tinyvmx misc device.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include <linux/tinyvmx.h>

static long tvm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case TINYVMX_GET_API_VERSION:
		return arg ? -EINVAL : TINYVMX_API_VERSION;
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
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "tinyvmx",
	.fops	= &tvm_dev_fops,
};

static int __init tvm_init(void)
{
	return misc_register(&tvm_miscdev);
}

static void __exit tvm_exit(void)
{
	misc_deregister(&tvm_miscdev);
}

module_init(tvm_init);
module_exit(tvm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tinyvmx: a small Intel VMX hypervisor");
MODULE_AUTHOR("The tinyvmx developers");
MODULE_VERSION(TINYVMX_VERSION);
