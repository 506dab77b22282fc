// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory as the guest's instructions see it: linear addresses
 * translated through the guest's own page tables to guest-physical
 * addresses, and those to the pages of guest RAM. Used to read an
 * instruction (MMIO decode) and to move the data of INS/OUTS.
 *
 * Called with preemption off, so nothing here allocates: a page of RAM
 * the guest has not touched yet reads as zeroes, and a write to one
 * returns -EAGAIN with its address, for the run loop to fault it in.
 */
#include <linux/mm.h>
#include <asm/msr-index.h>

#include "guest_mem.h"
#include "tinyvmx.h"
#include "vmcs.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* Read @len (4 or 8) bytes of guest RAM at @gpa, within one page. */
static int tvm_read_gpa(struct tvm_vcpu *vcpu, u64 gpa, void *buf, int len)
{
	struct page *page;

	if (!tvm_gpa_ram(vcpu->vm, gpa, &page))
		return -EFAULT;
	if (page)
		memcpy(buf, page_address(page) + offset_in_page(gpa), len);
	else
		memset(buf, 0, len);
	return 0;
}

static int tvm_read_pte(struct tvm_vcpu *vcpu, u64 gpa, int size, u64 *pte)
{
	u32 v32;

	*pte = 0;
	if (size == 4) {
		if (tvm_read_gpa(vcpu, gpa, &v32, 4))
			return -EFAULT;
		*pte = v32;
		return 0;
	}
	return tvm_read_gpa(vcpu, gpa, pte, 8);
}

/*
 * Translate a linear address with the guest's paging mode (SDM "Paging":
 * 32-bit, PAE and 4-level). Only presence is checked: this is the VMM
 * reading an instruction the CPU already fetched.
 */
int tvm_gva_to_gpa(struct tvm_vcpu *vcpu, u64 gva, u64 *gpa)
{
	u64 cr0 = vmcs_readl(GUEST_CR0), cr4 = vmcs_readl(GUEST_CR4);
	u64 table = vmcs_readl(GUEST_CR3), e;
	int shift, bits, size;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (vcpu->vmx.efer & EFER_LMA) {
		if (cr4 & X86_CR4_LA57)
			return -EFAULT;
		table &= PTE_ADDR;
		shift = 39, bits = 9, size = 8;
	} else if (cr4 & X86_CR4_PAE) {
		if (tvm_read_pte(vcpu, (table & 0xffffffe0) + ((gva >> 30) & 3) * 8, 8, &e) ||
		    !(e & PTE_P))
			return -EFAULT;
		table = e & PTE_ADDR;
		shift = 21, bits = 9, size = 8;
	} else {
		table &= 0xfffff000;
		shift = 22, bits = 10, size = 4;
	}
	for (;; shift -= bits) {
		u64 idx = (gva >> shift) & (BIT(bits) - 1);

		if (tvm_read_pte(vcpu, table + idx * size, size, &e) || !(e & PTE_P))
			return -EFAULT;
		if (shift == 12)
			break;
		/* Large pages: 1 GiB or 2 MiB (8-byte entries), 4 MiB (PSE). */
		if ((e & PTE_PS) && shift <= 30 && (size == 8 || (cr4 & X86_CR4_PSE))) {
			u64 mask = BIT_ULL(shift) - 1;

			*gpa = ((size == 4 ? e & 0xffc00000 : e & PTE_ADDR) & ~mask) |
			       (gva & mask);
			return 0;
		}
		table = size == 4 ? e & 0xfffff000 : e & PTE_ADDR;
	}
	*gpa = (e & (size == 4 ? 0xfffff000 : PTE_ADDR)) | (gva & 0xfff);
	return 0;
}

/* Fetch up to 15 instruction bytes at CS:RIP; returns how many. */
int tvm_fetch_insn(struct tvm_vcpu *vcpu, u8 *insn, int mode)
{
	u64 rip = vmcs_readl(GUEST_RIP), gpa = 0;
	struct page *page = NULL;
	int n;

	if (mode != 64)
		rip = (rip & (mode == 16 ? 0xffff : 0xffffffff)) + vmcs_readl(GUEST_CS_BASE);
	for (n = 0; n < 15; n++) {
		/* Translated and looked up once per page, not per byte. */
		if (n == 0 || offset_in_page(rip + n) == 0) {
			if (tvm_gva_to_gpa(vcpu, rip + n, &gpa) ||
			    !tvm_gpa_ram(vcpu->vm, gpa, &page))
				break;
		} else {
			gpa++;
		}
		insn[n] = page ? *((u8 *)page_address(page) + offset_in_page(gpa)) : 0;
	}
	return n;
}

int tvm_guest_mode(struct tvm_vcpu *vcpu)
{
	u32 ar = vmcs_read32(GUEST_CS_AR_BYTES);

	if ((vcpu->vmx.efer & EFER_LMA) && (ar & BIT(13)))
		return 64;
	return ar & BIT(14) ? 32 : 16;
}

/*
 * Copy @len bytes between @buf and the guest's linear address @gva; a
 * write with no @buf only checks that it could be done. Returns 0,
 * -EFAULT when the guest's page tables do not map a page (*@fault holds
 * its linear address), -ENXIO when it is not guest RAM, or -EAGAIN for a
 * write to RAM whose page is not there yet (*@fault holds its
 * guest-physical address; bytes before it were written).
 */
int tvm_guest_virt_rw(struct tvm_vcpu *vcpu, u64 gva, void *buf,
		      unsigned int len, bool write, u64 *fault)
{
	while (len) {
		unsigned int n = min_t(u64, len, PAGE_SIZE - offset_in_page(gva));
		struct page *page;
		u64 gpa;
		void *p;

		if (tvm_gva_to_gpa(vcpu, gva, &gpa)) {
			*fault = gva;
			return -EFAULT;
		}
		if (!tvm_gpa_ram(vcpu->vm, gpa, &page))
			return -ENXIO;
		if (!page && write) {
			*fault = gpa;
			return -EAGAIN;
		}
		n = min_t(u64, n, PAGE_SIZE - offset_in_page(gpa));
		if (buf) {
			p = page ? page_address(page) + offset_in_page(gpa) : NULL;
			if (write)
				memcpy(p, buf, n);
			else if (p)
				memcpy(buf, p, n);
			else
				memset(buf, 0, n);
			buf += n;
		}
		gva += n;
		len -= n;
	}
	return 0;
}
