/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tinyvmx core: VMs, vCPUs and guest memory regions.
 *
 * Lifetimes. A VM is freed when its last reference goes: the VM fd holds
 * one, each vCPU fd one. A mapping of guest RAM keeps the VM fd's file
 * (and so the module) alive; a region deleted while mapped lives on in
 * its mappings until they go, through the region's own reference count.
 */
#ifndef TVM_TINYVMX_H
#define TVM_TINYVMX_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/tinyvmx.h>

#include "cpuid.h"
#include "vmx.h"

#define TVM_MAX_VCPUS		16
#define TVM_MAX_REGIONS		32
#define TVM_MAX_MEM_SHIFT	36	/* 64 GiB in one region */
/* Each region's pages are at mmap offset (slot + 1) << TVM_MMAP_SHIFT. */
#define TVM_MMAP_SHIFT		40
/* The run struct's page, its data area, then the output ring's page. */
#define TVM_RUN_SIZE		(3 * PAGE_SIZE)
#define TVM_RUN_DATA_OFFSET	PAGE_SIZE

struct tvm_region {
	struct kref ref;	/* the VM's slot, and each mapping */
	u32 slot;
	u64 gpa;
	u64 npages;
	struct page **pages;	/* NULL until first touched (mem.c) */
};

struct tvm_ept {
	u64 *pml4;		/* the root, 512 entries */
	struct list_head tables; /* every table page, to free them */
};

struct tvm_vm {
	struct kref ref;
	/* Serializes region and vCPU creation and deletion. */
	struct mutex lock;
	/*
	 * Held for reading by every vCPU inside RUN, for writing while a
	 * region is deleted: guest RAM never disappears under a running
	 * guest, and after the deletion every vCPU flushes its EPT TLB.
	 */
	struct rw_semaphore mem_lock;
	u64 ept_gen;		/* bumped when a mapping is removed */
	struct tvm_region *regions[TVM_MAX_REGIONS];
	struct tvm_vcpu *vcpus[TVM_MAX_VCPUS];
	struct tvm_ept ept;	/* changed under @lock */
	/* Coalesced output ports, changed only under mem_lock for writing. */
	struct tvm_port_range {
		u16 port, len;
	} coalesced[16];
	unsigned int ncoalesced;
};

struct tvm_vcpu {
	struct tvm_vm *vm;
	u32 id;
	struct mutex lock;	/* one ioctl at a time */
	struct tinyvmx_run *run;
	void *run_data;		/* the run mapping's second page */
	void *run_ring;		/* its third: struct tinyvmx_ring */
	u32 ring_head;		/* the kernel's own copy of run_ring->head */
	u64 ept_gen;		/* the vm->ept_gen this vCPU flushed for */
	struct tinyvmx_vcpu_stats stats;
	struct tvm_cpuid_table *cpuid;	/* replaced whole by SET_CPUID */
	struct tvm_vmx vmx;
};

/* main.c */
extern unsigned int tvm_gpa_bits;

/* vm.c */
int tvm_vm_create(void);
void tvm_vm_put(struct tvm_vm *vm);

/* mem.c */
int tvm_region_create(struct tvm_vm *vm, struct tinyvmx_mem_region *r);
int tvm_region_delete(struct tvm_vm *vm, u32 slot);
int tvm_region_get(struct tvm_vm *vm, struct tinyvmx_mem_region *r);
void tvm_regions_free(struct tvm_vm *vm);
int tvm_vm_mmap(struct tvm_vm *vm, struct vm_area_struct *vma);
bool tvm_gpa_ram(struct tvm_vm *vm, u64 gpa, struct page **page);
int tvm_gpa_fault_in(struct tvm_vm *vm, u64 gpa);

/* coalesced.c */
void tvm_ring_init(struct tvm_vcpu *vcpu);
unsigned int tvm_ring_nent(void);
int tvm_coalesced_register(struct tvm_vm *vm, const struct tinyvmx_coalesced_port *c);
int tvm_coalesced_unregister(struct tvm_vm *vm, const struct tinyvmx_coalesced_port *c);
bool tvm_coalesced_out(struct tvm_vcpu *vcpu, u16 port, u8 size, u32 data);

/* vcpu.c */
int tvm_vcpu_create(struct tvm_vm *vm, unsigned long id);
void tvm_vcpu_free(struct tvm_vcpu *vcpu);

#endif /* TVM_TINYVMX_H */
