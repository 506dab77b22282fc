// SPDX-License-Identifier: GPL-2.0
/*
 * Extended page tables for guest RAM.
 *
 * Four levels, 4 KiB leaves (SDM "EPT Translation Mechanism"). A leaf maps
 * one page of a region read/write/execute, write-back, ignoring the
 * guest's PAT: guest RAM is ordinary host memory. An address with no leaf
 * causes an EPT violation: RAM the guest touches for the first time (the
 * run loop maps its page then, and tables on the way), or MMIO.
 *
 * Tables are changed only under vm->lock. Adding a leaf needs no flush
 * (a not-present entry is never cached); removing one requires every vCPU
 * to flush its EPT translations before it runs again (vm->ept_gen).
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "tinyvmx.h"

#define EPT_R		BIT_ULL(0)
#define EPT_W		BIT_ULL(1)
#define EPT_X		BIT_ULL(2)
#define EPT_RWX		(EPT_R | EPT_W | EPT_X)
#define EPT_MT_WB	(6ULL << 3)
#define EPT_IPAT	BIT_ULL(6)
#define EPT_ADDR	GENMASK_ULL(51, 12)

/* EPTP: write-back paging structures, a 4-level walk (SDM "EPTP"). */
#define EPTP_WB		6ULL
#define EPTP_PWL4	(3ULL << 3)

static u64 *tvm_ept_alloc_table(struct tvm_ept *ept)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!page)
		return NULL;
	list_add(&page->lru, &ept->tables);
	return page_address(page);
}

int tvm_ept_init(struct tvm_vm *vm)
{
	INIT_LIST_HEAD(&vm->ept.tables);
	vm->ept.pml4 = tvm_ept_alloc_table(&vm->ept);
	return vm->ept.pml4 ? 0 : -ENOMEM;
}

u64 tvm_ept_pointer(struct tvm_vm *vm)
{
	return __pa(vm->ept.pml4) | EPTP_PWL4 | EPTP_WB;
}

void tvm_ept_free(struct tvm_vm *vm)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &vm->ept.tables, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	vm->ept.pml4 = NULL;
}

/* The leaf entry for @gpa, allocating tables on the way when @alloc. */
static u64 *tvm_ept_leaf(struct tvm_vm *vm, u64 gpa, bool alloc)
{
	u64 *table = vm->ept.pml4;
	int level;

	for (level = 3; level > 0; level--) {
		u64 *entry = &table[(gpa >> (12 + 9 * level)) & 511];

		if (!(*entry & EPT_RWX)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = tvm_ept_alloc_table(&vm->ept);
			if (!next)
				return NULL;
			WRITE_ONCE(*entry, __pa(next) | EPT_RWX);
		}
		table = __va(*entry & EPT_ADDR);
	}
	return &table[(gpa >> 12) & 511];
}

/* Map @page at @gpa, unless another vCPU got there first. */
int tvm_ept_map_page(struct tvm_vm *vm, u64 gpa, struct page *page)
{
	u64 *leaf;

	lockdep_assert_held(&vm->lock);
	leaf = tvm_ept_leaf(vm, gpa, true);
	if (!leaf)
		return -ENOMEM;
	if (!(*leaf & EPT_RWX))
		WRITE_ONCE(*leaf, page_to_phys(page) | EPT_RWX | EPT_MT_WB |
			   EPT_IPAT);
	return 0;
}

void tvm_ept_unmap(struct tvm_vm *vm, u64 gpa, u64 npages)
{
	u64 i;

	lockdep_assert_held(&vm->lock);
	for (i = 0; i < npages; i++) {
		u64 *leaf = tvm_ept_leaf(vm, gpa + (i << PAGE_SHIFT), false);

		if (leaf)
			WRITE_ONCE(*leaf, 0);
	}
}
