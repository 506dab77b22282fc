// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's architectural state in the VMCS: see vmx_guest.h.
 */
#include <linux/string.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>
#include <asm/trap_pf.h>

#include "vmcs.h"
#include "vmx_guest.h"
#include "vmx_loaded.h"

/* Access-rights format (SDM "Guest Register State", segment AR bytes). */
#define AR_UNUSABLE	BIT(16)

struct tvm_seg_fields {
	u32 sel, base, limit, ar;
};

#define SEG(s) { GUEST_##s##_SELECTOR, GUEST_##s##_BASE, \
		 GUEST_##s##_LIMIT, GUEST_##s##_AR_BYTES }

/* In the order of struct tinyvmx_sregs: cs, ds, es, fs, gs, ss, tr, ldt. */
static const struct tvm_seg_fields tvm_segs[] = {
	SEG(CS), SEG(DS), SEG(ES), SEG(FS), SEG(GS), SEG(SS), SEG(TR), SEG(LDTR),
};

static struct tinyvmx_segment *tvm_sreg(struct tinyvmx_sregs *s, int i)
{
	struct tinyvmx_segment *segs[] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt,
	};

	return segs[i];
}

static u32 tvm_seg_to_ar(const struct tinyvmx_segment *s)
{
	if (s->unusable)
		return AR_UNUSABLE;
	return s->type | s->s << 4 | s->dpl << 5 | s->present << 7 |
	       s->avl << 12 | s->l << 13 | s->db << 14 | s->g << 15;
}

static void tvm_ar_to_seg(u32 ar, struct tinyvmx_segment *s)
{
	s->unusable = !!(ar & AR_UNUSABLE);
	s->type = ar & 15;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->present = (ar >> 7) & 1;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
}

static void tvm_write_seg(int i, const struct tinyvmx_segment *s)
{
	__tvm_vmwrite(tvm_segs[i].sel, s->selector);
	__tvm_vmwrite(tvm_segs[i].base, s->base);
	__tvm_vmwrite(tvm_segs[i].limit, s->limit);
	__tvm_vmwrite(tvm_segs[i].ar, tvm_seg_to_ar(s));
}

/* Real CR0/CR4 from the guest's view: the host-owned bits forced. */
static u64 tvm_real_cr0(u64 cr0)
{
	/* Unrestricted guest exempts PE and PG from IA32_VMX_CR0_FIXED0. */
	u64 fixed0 = tvm_vmx.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

	return ((cr0 & ~(X86_CR0_CD | X86_CR0_NW)) | fixed0) & tvm_vmx.cr0_fixed1;
}

static u64 tvm_real_cr4(u64 cr4)
{
	return (cr4 | tvm_vmx.cr4_fixed0) & tvm_vmx.cr4_fixed1;
}

u64 tvm_guest_cr0(void)
{
	return (vmcs_readl(GUEST_CR0) & ~TVM_CR0_HOST_OWNED) |
	       (vmcs_readl(CR0_READ_SHADOW) & TVM_CR0_HOST_OWNED);
}

u64 tvm_guest_cr4(struct tvm_vcpu *vcpu)
{
	u64 mask = vcpu->vmx.cr4_mask;

	return (vmcs_readl(GUEST_CR4) & ~mask) | (vmcs_readl(CR4_READ_SHADOW) & mask);
}

/*
 * The CR4 bits the host owns: VMXE, and every bit the guest may not set
 * because its CPUID hides the feature, so that setting one exits and gets
 * a #GP (SDM "Guest/Host Masks and Read Shadows"). Called when the CPUID
 * table changes; the guest's view of CR4 stays what it was.
 */
void tvm_guest_set_cr4_mask(struct tvm_vcpu *vcpu, u64 rsvd)
{
	u64 cr4;

	tvm_vmcs_load(&vcpu->vmx);
	cr4 = vcpu->vmx.cr4_mask ? tvm_guest_cr4(vcpu) : 0;
	vcpu->vmx.cr4_rsvd = rsvd;
	vcpu->vmx.cr4_mask = TVM_CR4_HOST_OWNED | (rsvd & tvm_vmx.cr4_fixed1);
	vmcs_writel(CR4_GUEST_HOST_MASK, vcpu->vmx.cr4_mask);
	vmcs_writel(CR4_READ_SHADOW, cr4);
	put_cpu();
}

/*
 * EFER.LMA and the "IA-32e mode guest" entry control follow LME and
 * CR0.PG (SDM "IA-32e Mode Operation" and "Checks on Guest Control
 * Registers"); VM exits keep the entry control equal to LMA afterwards.
 */
void tvm_guest_update_lma(struct tvm_vcpu *vcpu, u64 cr0)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);

	if ((vmx->efer & EFER_LME) && (cr0 & X86_CR0_PG)) {
		vmx->efer |= EFER_LMA;
		entry |= VM_ENTRY_IA32E_MODE;
	} else {
		vmx->efer &= ~EFER_LMA;
		entry &= ~VM_ENTRY_IA32E_MODE;
	}
	vmcs_write64(GUEST_IA32_EFER, vmx->efer);
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

/* The checks MOV to CR0 makes (SDM "MOV-Move to/from Control Registers"). */
static bool tvm_cr0_valid(struct tvm_vcpu *vcpu, u64 cr0, u64 cr4)
{
	if (cr0 >> 32 || (cr0 & ~tvm_vmx.cr0_fixed1 & ~TVM_CR0_HOST_OWNED))
		return false;
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		return false;
	if ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD))
		return false;
	if ((cr0 & X86_CR0_PG) && (vcpu->vmx.efer & EFER_LME) &&
	    !(cr4 & X86_CR4_PAE))
		return false;
	return true;
}

static bool tvm_cr4_valid(struct tvm_vcpu *vcpu, u64 cr4)
{
	if (cr4 & vcpu->vmx.cr4_rsvd)
		return false;
	return !(tvm_real_cr4(cr4) ^ (cr4 | tvm_vmx.cr4_fixed0));
}

int tvm_guest_set_cr0(struct tvm_vcpu *vcpu, u64 cr0)
{
	if (!tvm_cr0_valid(vcpu, cr0, tvm_guest_cr4(vcpu)))
		return -EINVAL;
	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(GUEST_CR0, tvm_real_cr0(cr0));
	tvm_guest_update_lma(vcpu, cr0);
	return 0;
}

int tvm_guest_set_cr4(struct tvm_vcpu *vcpu, u64 cr4)
{
	if (!tvm_cr4_valid(vcpu, cr4))
		return -EINVAL;
	/* Long mode needs PAE for as long as it lasts. */
	if ((vcpu->vmx.efer & EFER_LMA) && !(cr4 & X86_CR4_PAE))
		return -EINVAL;
	vmcs_writel(CR4_READ_SHADOW, cr4);
	vmcs_writel(GUEST_CR4, tvm_real_cr4(cr4));
	return 0;
}

/* Past an instruction the VMM completed; ends STI/MOV SS blocking. */
void tvm_guest_skip_insn(struct tvm_vcpu *vcpu)
{
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	vmcs_writel(GUEST_RIP, vmcs_readl(GUEST_RIP) + vcpu->vmx.exit_insn_len);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/*
 * Deliver a hardware exception at the next entry (SDM "Event Injection").
 * Real mode pushes no error code, so none is delivered there.
 */
void tvm_guest_inject_exception(unsigned int vector, bool has_error, u32 error)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	if (has_error && (vmcs_readl(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);
}

void tvm_guest_inject_gp(void)
{
	tvm_guest_inject_exception(X86_TRAP_GP, true, 0);
}

/* #PF for a linear address the guest's page tables do not map. */
void tvm_guest_inject_pf(struct tvm_vcpu *vcpu, u64 gva, bool write)
{
	u32 error = write ? X86_PF_WRITE : 0;

	if ((vmcs_read32(GUEST_SS_AR_BYTES) >> 5 & 3) == 3)
		error |= X86_PF_USER;
	vcpu->vmx.cr2 = gva;
	tvm_guest_inject_exception(X86_TRAP_PF, true, error);
}

/* SDM "Processor State After Reset", as a VMCS guest-state area. */
void tvm_guest_reset(struct tvm_vcpu *vcpu)
{
	struct tinyvmx_segment data = {
		.limit = 0xffff, .type = 3, .s = 1, .present = 1,
	};
	struct tinyvmx_segment code = data;
	struct tinyvmx_segment ldt = { .limit = 0xffff, .type = 2, .present = 1 };
	struct tinyvmx_segment tr = { .limit = 0xffff, .type = 11, .present = 1 };
	int i;

	code.selector = 0xf000;
	code.base = 0xffff0000;
	code.type = 11;
	tvm_write_seg(0, &code);
	for (i = 1; i < 6; i++)
		tvm_write_seg(i, &data);
	tvm_write_seg(6, &tr);
	tvm_write_seg(7, &ldt);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);

	vcpu->vmx.efer = 0;
	vmcs_writel(CR0_READ_SHADOW, X86_CR0_CD | X86_CR0_NW | X86_CR0_ET);
	vmcs_writel(GUEST_CR0, tvm_real_cr0(X86_CR0_CD | X86_CR0_NW | X86_CR0_ET));
	vmcs_writel(CR4_READ_SHADOW, 0);
	vmcs_writel(GUEST_CR4, tvm_real_cr4(0));
	vmcs_writel(GUEST_CR3, 0);
	tvm_guest_update_lma(vcpu, 0);

	vmcs_writel(GUEST_RIP, 0xfff0);
	vmcs_writel(GUEST_RSP, 0);
	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	memset(vcpu->vmx.gprs, 0, sizeof(vcpu->vmx.gprs));
	vcpu->vmx.gprs[TVM_REG_RDX] = 0x600;

	/* The guest's DR7 lives in vmx->dr[7]; the CPU's stays disarmed. */
	vmcs_writel(GUEST_DR7, 0x400);
	memset(vcpu->vmx.dr, 0, sizeof(vcpu->vmx.dr));
	vcpu->vmx.dr[6] = 0xffff0ff0;
	vcpu->vmx.dr[7] = 0x400;
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
}

void tvm_vmx_get_regs(struct tvm_vcpu *vcpu, struct tinyvmx_regs *r)
{
	const unsigned long *g = vcpu->vmx.gprs;

	tvm_vmcs_load(&vcpu->vmx);
	r->rax = g[TVM_REG_RAX]; r->rbx = g[TVM_REG_RBX];
	r->rcx = g[TVM_REG_RCX]; r->rdx = g[TVM_REG_RDX];
	r->rsi = g[TVM_REG_RSI]; r->rdi = g[TVM_REG_RDI];
	r->rbp = g[TVM_REG_RBP]; r->rsp = vmcs_readl(GUEST_RSP);
	r->r8 = g[TVM_REG_R8]; r->r9 = g[TVM_REG_R9];
	r->r10 = g[TVM_REG_R10]; r->r11 = g[TVM_REG_R11];
	r->r12 = g[TVM_REG_R12]; r->r13 = g[TVM_REG_R13];
	r->r14 = g[TVM_REG_R14]; r->r15 = g[TVM_REG_R15];
	r->rip = vmcs_readl(GUEST_RIP);
	r->rflags = vmcs_readl(GUEST_RFLAGS);
	put_cpu();
}

/* RFLAGS bits that are reserved: 1 must be set; 3, 5, 15, 63:22 clear. */
#define TVM_RFLAGS_RESERVED	(~0x3f7fd7ULL)

int tvm_vmx_set_regs(struct tvm_vcpu *vcpu, const struct tinyvmx_regs *r)
{
	unsigned long *g = vcpu->vmx.gprs;

	if ((r->rflags & TVM_RFLAGS_RESERVED) || !(r->rflags & X86_EFLAGS_FIXED))
		return -EINVAL;
	tvm_vmcs_load(&vcpu->vmx);
	g[TVM_REG_RAX] = r->rax; g[TVM_REG_RBX] = r->rbx;
	g[TVM_REG_RCX] = r->rcx; g[TVM_REG_RDX] = r->rdx;
	g[TVM_REG_RSI] = r->rsi; g[TVM_REG_RDI] = r->rdi;
	g[TVM_REG_RBP] = r->rbp; vmcs_writel(GUEST_RSP, r->rsp);
	g[TVM_REG_R8] = r->r8; g[TVM_REG_R9] = r->r9;
	g[TVM_REG_R10] = r->r10; g[TVM_REG_R11] = r->r11;
	g[TVM_REG_R12] = r->r12; g[TVM_REG_R13] = r->r13;
	g[TVM_REG_R14] = r->r14; g[TVM_REG_R15] = r->r15;
	vmcs_writel(GUEST_RIP, r->rip);
	vmcs_writel(GUEST_RFLAGS, r->rflags);
	put_cpu();
	vcpu->vmx.pending = TVM_PENDING_NONE;
	vcpu->vmx.shutdown = false;
	return 0;
}

void tvm_vmx_get_sregs(struct tvm_vcpu *vcpu, struct tinyvmx_sregs *s)
{
	int i;

	tvm_vmcs_load(&vcpu->vmx);
	for (i = 0; i < ARRAY_SIZE(tvm_segs); i++) {
		struct tinyvmx_segment *seg = tvm_sreg(s, i);

		seg->selector = __tvm_vmread(tvm_segs[i].sel);
		seg->base = __tvm_vmread(tvm_segs[i].base);
		seg->limit = __tvm_vmread(tvm_segs[i].limit);
		tvm_ar_to_seg(__tvm_vmread(tvm_segs[i].ar), seg);
	}
	s->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s->cr0 = tvm_guest_cr0();
	s->cr2 = vcpu->vmx.cr2;
	s->cr3 = vmcs_readl(GUEST_CR3);
	s->cr4 = tvm_guest_cr4(vcpu);
	s->efer = vcpu->vmx.efer;
	put_cpu();
}

static bool tvm_seg_valid(const struct tinyvmx_segment *s)
{
	return s->type < 16 && s->s < 2 && s->dpl < 4 && s->present < 2 &&
	       s->avl < 2 && s->l < 2 && s->db < 2 && s->g < 2 &&
	       s->unusable < 2 && !s->padding;
}

int tvm_vmx_set_sregs(struct tvm_vcpu *vcpu, const struct tinyvmx_sregs *s)
{
	struct tinyvmx_sregs tmp = *s;
	u64 efer = s->efer & ~EFER_LMA, old_efer;
	int i, ret = -EINVAL;

	if (s->flags || memchr_inv(s->reserved, 0, sizeof(s->reserved)) ||
	    s->gdt.padding[0] || s->gdt.padding[1] || s->gdt.padding[2] ||
	    s->idt.padding[0] || s->idt.padding[1] || s->idt.padding[2])
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(tvm_segs); i++)
		if (!tvm_seg_valid(tvm_sreg(&tmp, i)))
			return -EINVAL;
	if (efer & ~TVM_EFER_ALLOWED || s->cr3 >> tvm_gpa_bits)
		return -EINVAL;

	tvm_vmcs_load(&vcpu->vmx);
	old_efer = vcpu->vmx.efer;
	vcpu->vmx.efer = efer;
	if (!tvm_cr4_valid(vcpu, s->cr4) || !tvm_cr0_valid(vcpu, s->cr0, s->cr4)) {
		vcpu->vmx.efer = old_efer;
		goto out;
	}
	vmcs_writel(CR4_READ_SHADOW, s->cr4);
	vmcs_writel(GUEST_CR4, tvm_real_cr4(s->cr4));
	ret = tvm_guest_set_cr0(vcpu, s->cr0);
	if (ret)
		goto out;
	for (i = 0; i < ARRAY_SIZE(tvm_segs); i++)
		tvm_write_seg(i, tvm_sreg(&tmp, i));
	vmcs_writel(GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, s->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, s->idt.limit);
	vmcs_writel(GUEST_CR3, s->cr3);
	vcpu->vmx.cr2 = s->cr2;
	vcpu->vmx.pending = TVM_PENDING_NONE;
	vcpu->vmx.shutdown = false;
out:
	put_cpu();
	return ret;
}
