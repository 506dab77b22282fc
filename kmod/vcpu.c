// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU file descriptor: registers, RUN, and the run struct mapping.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "event.h"
#include "fpu.h"
#include "msr.h"
#include "tinyvmx.h"
#include "vmx_loaded.h"

/* The run struct is uapi: its layout may only grow at the end. */
static_assert(offsetof(struct tinyvmx_run, io) == 128);
static_assert(sizeof(struct tinyvmx_run) == 384);
static_assert(sizeof(struct tinyvmx_run) <= TVM_RUN_DATA_OFFSET);
static_assert(TVM_RUN_SIZE == 3 * PAGE_SIZE && TVM_RUN_DATA_OFFSET == PAGE_SIZE);
static_assert(TINYVMX_RUN_RING_OFFSET == 2 * PAGE_SIZE);
static_assert(sizeof(struct tinyvmx_ring) == 16 && sizeof(struct tinyvmx_ring_entry) == 8);
static_assert(TINYVMX_RUN_DATA_SIZE == PAGE_SIZE);
static_assert(sizeof(struct tinyvmx_segment) == 24);
static_assert(sizeof(struct tinyvmx_sregs) == 320);
static_assert(sizeof(struct tinyvmx_regs) == 176);
static_assert(sizeof(struct tinyvmx_mem_region) == 64);
static_assert(sizeof(struct tinyvmx_vcpu_stats) == 704);
static_assert(sizeof(struct tinyvmx_cpuid_entry) == 32);
static_assert(sizeof(struct tinyvmx_cpuid) == 32);
static_assert(sizeof(struct tinyvmx_msr_entry) == 16);
static_assert(sizeof(struct tinyvmx_msrs) == 32);
static_assert(sizeof(struct tinyvmx_event) == 32);
static_assert(sizeof(struct tinyvmx_fpu) == 4096 + 32);

static int tvm_vcpu_release(struct inode *inode, struct file *file)
{
	struct tvm_vcpu *vcpu = file->private_data;

	tvm_vm_put(vcpu->vm);
	return 0;
}

static long tvm_vcpu_regs_ioctl(struct tvm_vcpu *vcpu, unsigned int cmd,
				void __user *argp)
{
	union {
		struct tinyvmx_regs regs;
		struct tinyvmx_sregs sregs;
	} u;

	switch (cmd) {
	case TINYVMX_GET_REGS:
		memset(&u.regs, 0, sizeof(u.regs));
		tvm_vmx_get_regs(vcpu, &u.regs);
		return copy_to_user(argp, &u.regs, sizeof(u.regs)) ? -EFAULT : 0;
	case TINYVMX_SET_REGS:
		if (copy_from_user(&u.regs, argp, sizeof(u.regs)))
			return -EFAULT;
		if (u.regs.flags || memchr_inv(u.regs.reserved, 0, sizeof(u.regs.reserved)))
			return -EINVAL;
		return tvm_vmx_set_regs(vcpu, &u.regs);
	case TINYVMX_GET_SREGS:
		memset(&u.sregs, 0, sizeof(u.sregs));
		tvm_vmx_get_sregs(vcpu, &u.sregs);
		return copy_to_user(argp, &u.sregs, sizeof(u.sregs)) ? -EFAULT : 0;
	default: /* TINYVMX_SET_SREGS */
		if (copy_from_user(&u.sregs, argp, sizeof(u.sregs)))
			return -EFAULT;
		return tvm_vmx_set_sregs(vcpu, &u.sregs);
	}
}

static long tvm_vcpu_get_stats(struct tvm_vcpu *vcpu, void __user *argp)
{
	struct tinyvmx_vcpu_stats *st;
	u64 flags;
	long ret = 0;

	if (get_user(flags, (u64 __user *)argp))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	/*
	 * Lockless, so a monitor can read a running vCPU: each counter is an
	 * aligned u64, read whole, though not all at one instant.
	 */
	memcpy(st, &vcpu->stats, sizeof(*st));
	if (copy_to_user(argp, st, sizeof(*st)))
		ret = -EFAULT;
	kfree(st);
	return ret;
}

#define TVM_MSRS_MAX	64

static long tvm_vcpu_msrs(struct tvm_vcpu *vcpu, void __user *argp, bool set)
{
	struct tinyvmx_msr_entry *e;
	struct tinyvmx_msrs m;
	long i, ret;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	if (m.flags || m.reserved[0] || m.reserved[1])
		return -EINVAL;
	if (m.nmsrs > TVM_MSRS_MAX)
		return -E2BIG;
	e = memdup_user(u64_to_user_ptr(m.entries), m.nmsrs * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < m.nmsrs; i++) {
		if (e[i].reserved) {
			kfree(e);
			return -EINVAL;
		}
	}
	tvm_vmcs_load(&vcpu->vmx);
	for (i = 0; i < m.nmsrs; i++) {
		ret = set ? tvm_msr_set(vcpu, e[i].index, e[i].data, true) :
			    tvm_msr_get(vcpu, e[i].index, &e[i].data);
		if (ret)
			break;
	}
	put_cpu();
	ret = i;
	if (!set && copy_to_user(u64_to_user_ptr(m.entries), e, i * sizeof(*e)))
		ret = -EFAULT;
	kfree(e);
	return ret;
}

/* The ioctls that read or change the vCPU's state, under its lock. */
static long tvm_vcpu_state_ioctl(struct tvm_vcpu *vcpu, unsigned int cmd,
				 void __user *argp)
{
	struct tinyvmx_event ev;

	switch (cmd) {
	case TINYVMX_GET_REGS:
	case TINYVMX_SET_REGS:
	case TINYVMX_GET_SREGS:
	case TINYVMX_SET_SREGS:
		return tvm_vcpu_regs_ioctl(vcpu, cmd, argp);
	case TINYVMX_SET_CPUID:
		return tvm_cpuid_set(vcpu, argp);
	case TINYVMX_GET_CPUID:
		return tvm_cpuid_get(vcpu, argp);
	case TINYVMX_GET_MSRS:
	case TINYVMX_SET_MSRS:
		return tvm_vcpu_msrs(vcpu, argp, cmd == TINYVMX_SET_MSRS);
	case TINYVMX_GET_FPU:
		return tvm_fpu_get(vcpu, argp);
	case TINYVMX_SET_FPU:
		return tvm_fpu_set(vcpu, argp);
	case TINYVMX_INJECT:
		if (copy_from_user(&ev, argp, sizeof(ev)))
			return -EFAULT;
		return tvm_event_queue(vcpu, &ev);
	default:
		return -ENOTTY;
	}
}

static long tvm_vcpu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct tvm_vcpu *vcpu = file->private_data;
	long ret;

	switch (cmd) {
	case TINYVMX_RUN:
		if (arg)
			return -EINVAL;
		/* A second thread gets EBUSY rather than a queue. */
		if (!mutex_trylock(&vcpu->lock))
			return -EBUSY;
		ret = tvm_vmx_run(vcpu);
		mutex_unlock(&vcpu->lock);
		return ret;
	case TINYVMX_GET_STATS:
		return tvm_vcpu_get_stats(vcpu, (void __user *)arg);
	case TINYVMX_KICK:
		if (arg)
			return -EINVAL;
		tvm_vmx_kick(vcpu);
		return 0;
	default:
		if (_IOC_TYPE(cmd) != TINYVMXIO)
			return -ENOTTY;
		if (mutex_lock_killable(&vcpu->lock))
			return -EINTR;
		ret = tvm_vcpu_state_ioctl(vcpu, cmd, (void __user *)arg);
		mutex_unlock(&vcpu->lock);
		return ret;
	}
}

static vm_fault_t tvm_run_fault(struct vm_fault *vmf)
{
	struct tvm_vcpu *vcpu = vmf->vma->vm_file->private_data;

	void *pages[] = { vcpu->run, vcpu->run_data, vcpu->run_ring };

	if (vmf->pgoff >= ARRAY_SIZE(pages))
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(pages[vmf->pgoff]);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct tvm_run_vm_ops = {
	.fault	= tvm_run_fault,
};

static int tvm_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start != TVM_RUN_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_ops = &tvm_run_vm_ops;
	tvm_vm_flags_set(vma, VM_DONTEXPAND);
	return 0;
}

static const struct file_operations tvm_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= tvm_vcpu_release,
	.unlocked_ioctl	= tvm_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= tvm_vcpu_mmap,
	.llseek		= noop_llseek,
};

static void tvm_vcpu_free_run(struct tvm_vcpu *vcpu)
{
	free_page((unsigned long)vcpu->run);
	free_page((unsigned long)vcpu->run_data);
	free_page((unsigned long)vcpu->run_ring);
}

void tvm_vcpu_free(struct tvm_vcpu *vcpu)
{
	tvm_vmx_vcpu_free(vcpu);
	kvfree(vcpu->cpuid);
	tvm_vcpu_free_run(vcpu);
	kfree(vcpu);
}

int tvm_vcpu_create(struct tvm_vm *vm, unsigned long id)
{
	struct tvm_vcpu *vcpu;
	int ret;

	if (id >= TVM_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->lock);
	/* Order-0 pages: each is mapped, and refcounted, on its own. */
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->run_data = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->run_ring = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run || !vcpu->run_data || !vcpu->run_ring) {
		tvm_vcpu_free_run(vcpu);
		kfree(vcpu);
		return -ENOMEM;
	}
	tvm_ring_init(vcpu);
	vcpu->run->version = TINYVMX_RUN_VERSION;
	vcpu->run->size = TVM_RUN_SIZE;
	vcpu->cpuid = tvm_cpuid_default_table();
	ret = vcpu->cpuid ? tvm_vmx_vcpu_init(vcpu) : -ENOMEM;
	if (ret) {
		kvfree(vcpu->cpuid);
		tvm_vcpu_free_run(vcpu);
		kfree(vcpu);
		return ret;
	}

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		ret = -EEXIST;
		goto fail;
	}
	kref_get(&vm->ref);
	ret = anon_inode_getfd("tinyvmx-vcpu", &tvm_vcpu_fops, vcpu,
			       O_RDWR | O_CLOEXEC);
	if (ret < 0) {
		tvm_vm_put(vm);
		goto fail;
	}
	vm->vcpus[id] = vcpu;
	mutex_unlock(&vm->lock);
	return ret;
fail:
	mutex_unlock(&vm->lock);
	tvm_vcpu_free(vcpu);
	return ret;
}
