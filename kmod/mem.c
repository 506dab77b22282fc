// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: regions the module allocates (bhyve's model), maps into the
 * guest with EPT, and lets userspace mmap from the VM fd.
 *
 * A region starts with no pages, only an array of page pointers. A page
 * is allocated, zeroed, on first touch: by the guest (an EPT violation,
 * handled in the run loop, which then maps it with EPT) or by userspace
 * through its mapping (a page fault). Like KVM's anonymous memory, a
 * large VM costs nothing until it uses its RAM. Whoever touches first
 * publishes the page with cmpxchg(); a page, once present, stays until the
 * region goes. Allocations use __GFP_ACCOUNT, so the memory cgroup of the
 * task that touched the page pays for it: the VM's owner, normally.
 *
 * Pages are never pinned user memory: a region owns its pages, the VM
 * holds the region through its slot, and every mapping holds it too, so
 * the pages outlive a deleted slot for as long as userspace has them
 * mapped.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "tinyvmx.h"

static void tvm_region_release(struct kref *ref)
{
	struct tvm_region *rg = container_of(ref, struct tvm_region, ref);
	u64 i;

	/* Any page may be present, in any order: touched or not. */
	for (i = 0; i < rg->npages; i++) {
		if (rg->pages[i])
			put_page(rg->pages[i]);
		if (!(i % 4096))
			cond_resched();
	}
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

	rg = kzalloc(sizeof(*rg), GFP_KERNEL_ACCOUNT);
	if (!rg)
		return ERR_PTR(-ENOMEM);
	kref_init(&rg->ref);
	rg->slot = slot;
	rg->gpa = gpa;
	rg->npages = npages;
	rg->pages = kvcalloc(npages, sizeof(*rg->pages),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!rg->pages) {
		kfree(rg);
		return ERR_PTR(-ENOMEM);
	}
	return rg;
}

/*
 * Page @idx of @rg, allocated and zeroed if nobody touched it yet; NULL
 * when no memory can be had. May sleep.
 */
static struct page *tvm_region_page(struct tvm_region *rg, u64 idx)
{
	struct page *page = READ_ONCE(rg->pages[idx]), *old;

	if (page)
		return page;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
	if (!page)
		return NULL;
	/*
	 * A fully ordered cmpxchg: the zeroes are visible before the pointer.
	 * Whoever loses the race (another vCPU, or userspace's mapping)
	 * takes the winner's page.
	 */
	old = cmpxchg(&rg->pages[idx], NULL, page);
	if (old) {
		put_page(page);
		return old;
	}
	return page;
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
	/*
	 * Published last: a running vCPU may look regions up (EPT violations,
	 * MMIO decode). EPT maps nothing yet: pages come on first touch.
	 */
	smp_store_release(&vm->regions[r->slot], rg);
	r->mmap_offset = (u64)(r->slot + 1) << TVM_MMAP_SHIFT;
	ret = 0;
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
		u64 i;

		/* Only a present page can have an EPT leaf. */
		for (i = 0; i < rg->npages; i++) {
			if (rg->pages[i])
				tvm_ept_unmap(vm, rg->gpa + (i << PAGE_SHIFT), 1);
			if (!(i % 4096))
				cond_resched();
		}
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

/* The region holding @gpa and the page's index in it, or NULL. */
static struct tvm_region *tvm_gpa_region(struct tvm_vm *vm, u64 gpa, u64 *idx)
{
	unsigned int i;

	for (i = 0; i < TVM_MAX_REGIONS; i++) {
		/* Pairs with the release in tvm_region_create(). */
		struct tvm_region *rg = smp_load_acquire(&vm->regions[i]);

		if (rg && gpa >= rg->gpa &&
		    (gpa - rg->gpa) >> PAGE_SHIFT < rg->npages) {
			*idx = (gpa - rg->gpa) >> PAGE_SHIFT;
			return rg;
		}
	}
	return NULL;
}

/*
 * Whether @gpa is guest RAM; if so, *@page is its host page, or NULL while
 * nobody has touched it (it reads as zeroes; a write must first have it
 * allocated by tvm_gpa_fault_in()). Under vm->mem_lock, which keeps the
 * regions, and so the pages, in place. Never sleeps.
 */
bool tvm_gpa_ram(struct tvm_vm *vm, u64 gpa, struct page **page)
{
	struct tvm_region *rg;
	u64 idx;

	rg = tvm_gpa_region(vm, gpa, &idx);
	*page = rg ? READ_ONCE(rg->pages[idx]) : NULL;
	return rg;
}

/*
 * Give the guest its page of RAM at @gpa: allocate it if nobody has, and
 * map it with EPT. From the run loop, where sleeping is allowed, under
 * vm->mem_lock for reading. Returns 0, also when @gpa is not RAM (the
 * guest's access, run again, then exits as MMIO), or -ENOMEM.
 */
int tvm_gpa_fault_in(struct tvm_vm *vm, u64 gpa)
{
	struct tvm_region *rg;
	struct page *page;
	u64 idx;
	int ret;

	rg = tvm_gpa_region(vm, gpa, &idx);
	if (!rg)
		return 0;
	page = tvm_region_page(rg, idx);
	if (!page)
		return -ENOMEM;
	mutex_lock(&vm->lock);
	ret = tvm_ept_map_page(vm, gpa & PAGE_MASK, page);
	mutex_unlock(&vm->lock);
	return ret;
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
	struct page *page;

	if (vmf->pgoff < first || idx >= rg->npages)
		return VM_FAULT_SIGBUS;
	/* The guest sees it once it touches it: its EPT violation maps it. */
	page = tvm_region_page(rg, idx);
	if (!page)
		return VM_FAULT_OOM;
	get_page(page);
	vmf->page = page;
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
