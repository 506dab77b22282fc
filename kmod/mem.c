// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: regions the module allocates (bhyve's model), maps into the
 * guest with EPT, and lets userspace mmap from the VM fd.
 *
 * Pages are allocated up front with __GFP_ACCOUNT, so the caller's memory
 * cgroup pays for them. They are never pinned user memory: a region owns
 * its pages, the VM holds the region through its slot, and every mapping
 * holds it too, so the pages outlive a deleted slot for as long as
 * userspace has them mapped.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "compat.h"
#include "tinyvmx.h"

static void tvm_region_release(struct kref *ref)
{
	struct tvm_region *rg = container_of(ref, struct tvm_region, ref);
	u64 i;

	for (i = 0; i < rg->npages && rg->pages[i]; i++)
		put_page(rg->pages[i]);
	kvfree(rg->pages);
	kfree(rg);
}

static void tvm_region_put(struct tvm_region *rg)
{
	kref_put(&rg->ref, tvm_region_release);
}

static struct tvm_region *tvm_region_alloc(u32 slot, u64 gpa, u64 npages)
{
	struct tvm_region *rg;
	u64 i;

	rg = kzalloc(sizeof(*rg), GFP_KERNEL_ACCOUNT);
	if (!rg)
		return ERR_PTR(-ENOMEM);
	kref_init(&rg->ref);
	rg->slot = slot;
	rg->gpa = gpa;
	rg->npages = npages;
	rg->pages = kvcalloc(npages, sizeof(*rg->pages), GFP_KERNEL_ACCOUNT);
	if (!rg->pages)
		goto nomem;
	for (i = 0; i < npages; i++) {
		rg->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
					  __GFP_NOWARN);
		if (!rg->pages[i])
			goto nomem;
		if (fatal_signal_pending(current)) {
			tvm_region_put(rg);
			return ERR_PTR(-EINTR);
		}
		cond_resched();
	}
	return rg;
nomem:
	tvm_region_put(rg);
	return ERR_PTR(-ENOMEM);
}

static bool tvm_reserved_zero(const u64 *r, unsigned int n)
{
	while (n--)
		if (r[n])
			return false;
	return true;
}

int tvm_region_create(struct tvm_vm *vm, struct tinyvmx_mem_region *r)
{
	u64 gpa = r->guest_phys_addr, size = r->size, end;
	struct tvm_region *rg;
	unsigned int i;
	int ret;

	if (r->flags || !tvm_reserved_zero(r->reserved, ARRAY_SIZE(r->reserved)) ||
	    r->mmap_offset || r->slot >= TVM_MAX_REGIONS)
		return -EINVAL;
	if (!size || size > BIT_ULL(TVM_MAX_MEM_SHIFT) ||
	    !PAGE_ALIGNED(gpa) || !PAGE_ALIGNED(size) ||
	    check_add_overflow(gpa, size, &end) || end > BIT_ULL(tvm_gpa_bits))
		return -EINVAL;

	mutex_lock(&vm->lock);
	ret = -EEXIST;
	if (vm->regions[r->slot])
		goto out;
	for (i = 0; i < TVM_MAX_REGIONS; i++) {
		struct tvm_region *o = vm->regions[i];

		if (o && gpa < o->gpa + (o->npages << PAGE_SHIFT) && o->gpa < end)
			goto out;
	}
	rg = tvm_region_alloc(r->slot, gpa, size >> PAGE_SHIFT);
	if (IS_ERR(rg)) {
		ret = PTR_ERR(rg);
		goto out;
	}
	ret = tvm_ept_map(vm, gpa, rg->pages, rg->npages);
	if (ret) {
		tvm_region_put(rg);
		goto out;
	}
	/* Published last: a running vCPU may look regions up (MMIO decode). */
	smp_store_release(&vm->regions[r->slot], rg);
	r->mmap_offset = (u64)(r->slot + 1) << TVM_MMAP_SHIFT;
out:
	mutex_unlock(&vm->lock);
	return ret;
}

int tvm_region_delete(struct tvm_vm *vm, u32 slot)
{
	struct tvm_region *rg;
	int ret = 0;

	if (slot >= TVM_MAX_REGIONS)
		return -EINVAL;
	/* Wait until no vCPU is inside RUN. */
	if (down_write_killable(&vm->mem_lock))
		return -EINTR;
	mutex_lock(&vm->lock);
	rg = vm->regions[slot];
	if (!rg) {
		ret = -ENOENT;
	} else {
		tvm_ept_unmap(vm, rg->gpa, rg->npages);
		vm->ept_gen++;
		WRITE_ONCE(vm->regions[slot], NULL);
		tvm_region_put(rg);
	}
	mutex_unlock(&vm->lock);
	up_write(&vm->mem_lock);
	return ret;
}

int tvm_region_get(struct tvm_vm *vm, struct tinyvmx_mem_region *r)
{
	struct tvm_region *rg;
	int ret = 0;

	if (r->flags || !tvm_reserved_zero(r->reserved, ARRAY_SIZE(r->reserved)) ||
	    r->slot >= TVM_MAX_REGIONS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	rg = vm->regions[r->slot];
	if (rg) {
		r->guest_phys_addr = rg->gpa;
		r->size = rg->npages << PAGE_SHIFT;
		r->mmap_offset = (u64)(r->slot + 1) << TVM_MMAP_SHIFT;
	} else {
		ret = -ENOENT;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

void tvm_regions_free(struct tvm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < TVM_MAX_REGIONS; i++) {
		if (vm->regions[i])
			tvm_region_put(vm->regions[i]);
		vm->regions[i] = NULL;
	}
}

/* The host page backing @gpa, or NULL outside RAM. Under vm->mem_lock. */
struct page *tvm_gpa_to_page(struct tvm_vm *vm, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < TVM_MAX_REGIONS; i++) {
		/* Pairs with the release in tvm_region_create(). */
		struct tvm_region *rg = smp_load_acquire(&vm->regions[i]);

		if (rg && gpa >= rg->gpa &&
		    (gpa - rg->gpa) >> PAGE_SHIFT < rg->npages)
			return rg->pages[(gpa - rg->gpa) >> PAGE_SHIFT];
	}
	return NULL;
}

static void tvm_region_vm_open(struct vm_area_struct *vma)
{
	struct tvm_region *rg = vma->vm_private_data;

	kref_get(&rg->ref);
}

static void tvm_region_vm_close(struct vm_area_struct *vma)
{
	tvm_region_put(vma->vm_private_data);
}

static vm_fault_t tvm_region_fault(struct vm_fault *vmf)
{
	struct tvm_region *rg = vmf->vma->vm_private_data;
	u64 first = (u64)(rg->slot + 1) << (TVM_MMAP_SHIFT - PAGE_SHIFT);
	u64 idx = vmf->pgoff - first;

	if (vmf->pgoff < first || idx >= rg->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = rg->pages[idx];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct tvm_region_vm_ops = {
	.open	= tvm_region_vm_open,
	.close	= tvm_region_vm_close,
	.fault	= tvm_region_fault,
};

int tvm_vm_mmap(struct tvm_vm *vm, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	u64 slot = (off >> TVM_MMAP_SHIFT) - 1;
	u64 in = off & (BIT_ULL(TVM_MMAP_SHIFT) - 1);
	struct tvm_region *rg;
	int ret = -EINVAL;

	/* Private mappings would copy on write, away from the guest. */
	if (!(vma->vm_flags & VM_SHARED) || slot >= TVM_MAX_REGIONS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	rg = vm->regions[slot];
	if (rg && in < (rg->npages << PAGE_SHIFT) &&
	    len <= (rg->npages << PAGE_SHIFT) - in) {
		kref_get(&rg->ref);
		vma->vm_private_data = rg;
		vma->vm_ops = &tvm_region_vm_ops;
		tvm_vm_flags_set(vma, VM_DONTEXPAND);
		ret = 0;
	}
	mutex_unlock(&vm->lock);
	return ret;
}
