// SPDX-License-Identifier: GPL-2.0
/*
 * libtinyvmx: put a vCPU in real mode, 32-bit protected mode or 64-bit
 * long mode, the way a loader or a test wants to start a guest.
 *
 * The hidden parts of the segment registers are what the SDM's "Guest
 * Register State" holds; they must pass the VM-entry checks of SDM 27.3.1.2
 * ("Checks on Guest Segment Registers"): accessed code and data types, S=1
 * for code and data, TR a busy TSS with S=0, and G consistent with the
 * limit. For protected and long mode the same descriptors are written to a
 * GDT in guest memory, so that a guest that reloads a selector gets what it
 * already has.
 */
#include <errno.h>
#include <string.h>

#include "tvm.h"
#include "tvm_priv.h"

#define CR0_PE		(1ull << 0)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

#define SEG_TYPE_DATA_RW_A	0x3	/* read/write, accessed */
#define SEG_TYPE_CODE_RX_A	0xb	/* execute/read, accessed */
#define SEG_TYPE_TSS_BUSY	0xb	/* 32-bit or 64-bit busy TSS (S=0) */
#define SEG_TYPE_LDT		0x2

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PS		(1ull << 7)

/* Layout of the tables page(s), from @tables_gpa. */
#define GDT_OFF		0x0
#define TSS_OFF		0x800
#define TSS_LIMIT	0x67		/* the 104-byte TSS without I/O bitmap */
#define PML4_OFF	0x1000
#define PDPT_OFF	0x2000
#define PD_OFF		0x3000
#define NR_PD		4		/* 4 x 1 GiB: the first 4 GiB */
#define GDT_ENTRIES	6		/* null, code32, data, code64, TSS (2) */

/* A flat 4 GiB code or data segment, as loaded from our GDT. */
static struct tinyvmx_segment flat_seg(__u16 sel, __u8 type, __u8 db, __u8 l)
{
	return (struct tinyvmx_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.s = 1, .dpl = 0, .present = 1, .db = db, .l = l, .g = 1,
	};
}

static struct tinyvmx_segment tss_seg(__u64 base)
{
	return (struct tinyvmx_segment){
		.base = base, .limit = TSS_LIMIT, .selector = TVM_SEL_TSS,
		.type = SEG_TYPE_TSS_BUSY, .s = 0, .present = 1,
	};
}

/* The 8-byte descriptor of @seg (SDM "Segment Descriptors"). */
static __u64 seg_desc(const struct tinyvmx_segment *seg)
{
	__u32 limit = seg->g ? seg->limit >> 12 : seg->limit;

	return (limit & 0xffffull) |
	       ((seg->base & 0xffffffull) << 16) |
	       ((__u64)(seg->type & 0xf) << 40) |
	       ((__u64)(seg->s & 1) << 44) |
	       ((__u64)(seg->dpl & 3) << 45) |
	       ((__u64)(seg->present & 1) << 47) |
	       ((__u64)((limit >> 16) & 0xf) << 48) |
	       ((__u64)(seg->avl & 1) << 52) |
	       ((__u64)(seg->l & 1) << 53) |
	       ((__u64)(seg->db & 1) << 54) |
	       ((__u64)(seg->g & 1) << 55) |
	       (((seg->base >> 24) & 0xffull) << 56);
}

/* RIP = @rip, RFLAGS = 0x2 (only the fixed bit), other GPRs untouched. */
static int set_entry(struct tvm_vcpu *vcpu, __u64 rip)
{
	struct tinyvmx_regs regs;
	int r;

	r = tvm_vcpu_get_regs(vcpu, &regs);
	if (r)
		return r;
	regs.rip = rip;
	regs.rflags = 0x2;
	return tvm_vcpu_set_regs(vcpu, &regs);
}

int tvm_vcpu_set_real_mode(struct tvm_vcpu *vcpu, __u16 cs, __u16 ip)
{
	struct tinyvmx_segment data = {
		.limit = 0xffff, .type = SEG_TYPE_DATA_RW_A, .s = 1,
		.present = 1,
	};
	struct tinyvmx_sregs sregs = {
		.cs = {
			.base = (__u64)cs << 4, .limit = 0xffff, .selector = cs,
			.type = SEG_TYPE_CODE_RX_A, .s = 1, .present = 1,
		},
		.ds = data, .es = data, .fs = data, .gs = data, .ss = data,
		.tr = {
			.limit = 0xffff, .type = SEG_TYPE_TSS_BUSY, .present = 1,
		},
		.ldt = {
			.limit = 0xffff, .type = SEG_TYPE_LDT, .present = 1,
		},
		.gdt = { .limit = 0xffff },
		.idt = { .limit = 0xffff },	/* the real-mode IVT at 0 */
		.cr0 = CR0_ET,
	};
	int r;

	r = tvm_vcpu_set_sregs(vcpu, &sregs);
	return r ? r : set_entry(vcpu, ip);
}

/*
 * Write the GDT and the (empty) TSS at @tables_gpa. The TSS descriptor is
 * marked busy, as LTR would leave it; in long mode it takes two slots.
 */
static int write_gdt(struct tvm_vm *vm, __u64 tables_gpa)
{
	struct tinyvmx_segment code32 = flat_seg(TVM_SEL_CODE32, SEG_TYPE_CODE_RX_A, 1, 0);
	struct tinyvmx_segment data = flat_seg(TVM_SEL_DATA, SEG_TYPE_DATA_RW_A, 1, 0);
	struct tinyvmx_segment code64 = flat_seg(TVM_SEL_CODE64, SEG_TYPE_CODE_RX_A, 0, 1);
	struct tinyvmx_segment tss = tss_seg(tables_gpa + TSS_OFF);
	__u64 gdt[GDT_ENTRIES] = {
		[TVM_SEL_CODE32 / 8] = seg_desc(&code32),
		[TVM_SEL_DATA / 8] = seg_desc(&data),
		[TVM_SEL_CODE64 / 8] = seg_desc(&code64),
		[TVM_SEL_TSS / 8] = seg_desc(&tss),
		[TVM_SEL_TSS / 8 + 1] = tss.base >> 32,
	};
	__u8 zero[TSS_LIMIT + 1] = { 0 };
	int r;

	if (tables_gpa & (TVM_PAGE_SIZE - 1))
		return tvm_fail(EINVAL, "descriptor tables at %#llx: not 4 KiB aligned",
				(unsigned long long)tables_gpa);
	r = tvm_vm_write(vm, tables_gpa + GDT_OFF, gdt, sizeof(gdt));
	return r ? r : tvm_vm_write(vm, tables_gpa + TSS_OFF, zero, sizeof(zero));
}

/* Fill @sregs with the flat segments of our GDT; CS is @cs. */
static void flat_sregs(struct tinyvmx_sregs *sregs, __u64 tables_gpa,
		       struct tinyvmx_segment cs)
{
	struct tinyvmx_segment data = flat_seg(TVM_SEL_DATA, SEG_TYPE_DATA_RW_A, 1, 0);

	memset(sregs, 0, sizeof(*sregs));
	sregs->cs = cs;
	sregs->ds = data;
	sregs->es = data;
	sregs->fs = data;
	sregs->gs = data;
	sregs->ss = data;
	sregs->tr = tss_seg(tables_gpa + TSS_OFF);
	sregs->ldt = (struct tinyvmx_segment){ .unusable = 1 };
	sregs->gdt.base = tables_gpa + GDT_OFF;
	sregs->gdt.limit = GDT_ENTRIES * 8 - 1;
	/* No IDT: any exception becomes a triple fault, which is visible. */
	sregs->idt.limit = 0;
}

int tvm_vcpu_set_protected_mode(struct tvm_vcpu *vcpu, struct tvm_vm *vm,
				__u64 tables_gpa, __u32 eip)
{
	struct tinyvmx_sregs sregs;
	int r;

	r = write_gdt(vm, tables_gpa);
	if (r)
		return r;
	flat_sregs(&sregs, tables_gpa,
		   flat_seg(TVM_SEL_CODE32, SEG_TYPE_CODE_RX_A, 1, 0));
	sregs.cr0 = CR0_PE | CR0_ET | CR0_NE;
	r = tvm_vcpu_set_sregs(vcpu, &sregs);
	return r ? r : set_entry(vcpu, eip);
}

/* Identity-map the first 4 GiB with 2 MiB pages (SDM "4-Level Paging"). */
static int write_page_tables(struct tvm_vm *vm, __u64 tables_gpa)
{
	__u64 *pml4 = tvm_vm_hva(vm, tables_gpa + PML4_OFF, TVM_PAGE_SIZE);
	__u64 *pdpt = tvm_vm_hva(vm, tables_gpa + PDPT_OFF, TVM_PAGE_SIZE);
	__u64 *pd = tvm_vm_hva(vm, tables_gpa + PD_OFF, NR_PD * TVM_PAGE_SIZE);
	unsigned int i;

	if (!pml4 || !pdpt || !pd)
		return tvm_fail(EFAULT, "page tables at %#llx..%#llx: not in one mapped region",
				(unsigned long long)tables_gpa,
				(unsigned long long)(tables_gpa + TVM_LMODE_TABLES_SIZE - 1));
	memset(pml4, 0, TVM_PAGE_SIZE);
	memset(pdpt, 0, TVM_PAGE_SIZE);
	pml4[0] = (tables_gpa + PDPT_OFF) | PTE_P | PTE_RW;
	for (i = 0; i < NR_PD; i++)
		pdpt[i] = (tables_gpa + PD_OFF + i * TVM_PAGE_SIZE) | PTE_P | PTE_RW;
	for (i = 0; i < NR_PD * 512; i++)
		pd[i] = ((__u64)i << 21) | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

int tvm_vcpu_set_long_mode(struct tvm_vcpu *vcpu, struct tvm_vm *vm,
			   __u64 tables_gpa, __u64 rip)
{
	struct tinyvmx_sregs sregs;
	int r;

	r = write_gdt(vm, tables_gpa);
	if (!r)
		r = write_page_tables(vm, tables_gpa);
	if (r)
		return r;
	flat_sregs(&sregs, tables_gpa,
		   flat_seg(TVM_SEL_CODE64, SEG_TYPE_CODE_RX_A, 0, 1));
	sregs.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
	sregs.cr3 = tables_gpa + PML4_OFF;
	sregs.cr4 = CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA;
	r = tvm_vcpu_set_sregs(vcpu, &sregs);
	return r ? r : set_entry(vcpu, rip);
}
