// SPDX-License-Identifier: GPL-2.0
/*
 * The VM file descriptor: memory regions and vCPU creation.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "tinyvmx.h"

static void tvm_vm_release_ref(struct kref *ref)
{
	struct tvm_vm *vm = container_of(ref, struct tvm_vm, ref);
	unsigned int i;

	for (i = 0; i < TVM_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			tvm_vcpu_free(vm->vcpus[i]);
	tvm_regions_free(vm);
	tvm_ept_free(vm);
	kfree(vm);
	tvm_vmx_put();
}

void tvm_vm_put(struct tvm_vm *vm)
{
	kref_put(&vm->ref, tvm_vm_release_ref);
}

static int tvm_vm_release(struct inode *inode, struct file *file)
{
	tvm_vm_put(file->private_data);
	return 0;
}

static long tvm_vm_region_ioctl(struct tvm_vm *vm, unsigned int cmd,
				void __user *argp)
{
	struct tinyvmx_mem_region r;
	int ret;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	switch (cmd) {
	case TINYVMX_CREATE_MEM_REGION:
		ret = tvm_region_create(vm, &r);
		break;
	case TINYVMX_GET_MEM_REGION:
		ret = tvm_region_get(vm, &r);
		break;
	default: /* TINYVMX_DELETE_MEM_REGION: only the slot counts */
		if (r.flags || r.guest_phys_addr || r.size || r.mmap_offset ||
		    memchr_inv(r.reserved, 0, sizeof(r.reserved)))
			return -EINVAL;
		return tvm_region_delete(vm, r.slot);
	}
	if (!ret && copy_to_user(argp, &r, sizeof(r)))
		ret = -EFAULT;
	return ret;
}

static long tvm_vm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tvm_vm *vm = file->private_data;

	switch (cmd) {
	case TINYVMX_CREATE_MEM_REGION:
	case TINYVMX_DELETE_MEM_REGION:
	case TINYVMX_GET_MEM_REGION:
		return tvm_vm_region_ioctl(vm, cmd, (void __user *)arg);
	case TINYVMX_CREATE_VCPU:
		return tvm_vcpu_create(vm, arg);
	case TINYVMX_REGISTER_COALESCED_PORT:
	case TINYVMX_UNREGISTER_COALESCED_PORT: {
		struct tinyvmx_coalesced_port c;

		if (copy_from_user(&c, (void __user *)arg, sizeof(c)))
			return -EFAULT;
		return cmd == TINYVMX_REGISTER_COALESCED_PORT ?
		       tvm_coalesced_register(vm, &c) : tvm_coalesced_unregister(vm, &c);
	}
	default:
		return -ENOTTY;
	}
}

static int tvm_vm_mmap_fop(struct file *file, struct vm_area_struct *vma)
{
	return tvm_vm_mmap(file->private_data, vma);
}

static const struct file_operations tvm_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= tvm_vm_release,
	.unlocked_ioctl	= tvm_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= tvm_vm_mmap_fop,
	.llseek		= noop_llseek,
};

int tvm_vm_create(void)
{
	struct tvm_vm *vm;
	int ret;

	ret = tvm_vmx_get();
	if (ret)
		return ret;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm) {
		tvm_vmx_put();
		return -ENOMEM;
	}
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_rwsem(&vm->mem_lock);
	ret = tvm_ept_init(vm);
	if (ret)
		goto fail;
	ret = anon_inode_getfd("tinyvmx-vm", &tvm_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (ret < 0)
		goto fail;
	return ret;
fail:
	tvm_vm_put(vm);
	return ret;
}
