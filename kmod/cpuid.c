// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID: the table the guest sees, and the exit that answers from it.
 *
 * CPUID always exits in VMX non-root operation (SDM "Instructions That
 * Cause VM Exits Unconditionally"). The default table is the host's with
 * everything hidden that the module does not virtualize: VMX and SMX, the
 * APIC and the PMU (not emulated), machine checks, MONITOR/MWAIT, the
 * MSR-based features whose MSRs the guest cannot reach (SPEC_CTRL,
 * ARCH_CAPABILITIES, CET, TSC_AUX), and every XSAVE component whose state
 * the module does not switch (see tvm_fpu_setup()).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/types.h>
#include <asm/processor.h>

#include "cpuid.h"
#include "fpu.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

/* CR4.PKS, protection keys for supervisor pages (SDM "CR4"). */
#define TVM_CR4_PKS	BIT_ULL(24)

static struct tinyvmx_cpuid_entry tvm_cpuid_default[TVM_CPUID_MAX];
static unsigned int tvm_cpuid_default_n;

static struct tinyvmx_cpuid_entry *tvm_cpuid_add(u32 fn, u32 idx, bool indexed)
{
	struct tinyvmx_cpuid_entry *e;

	if (tvm_cpuid_default_n == TVM_CPUID_MAX)
		return NULL;
	e = &tvm_cpuid_default[tvm_cpuid_default_n++];
	e->function = fn;
	e->index = idx;
	e->flags = indexed ? TINYVMX_CPUID_INDEXED : 0;
	cpuid_count(fn, idx, &e->eax, &e->ebx, &e->ecx, &e->edx);
	return e;
}

/* The standard-format XSAVE area size for the components in @xcr0. */
u32 tvm_xsave_size(u64 xcr0)
{
	u32 size = 512 + 64, eax, ebx, ecx, edx;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		size = max(size, ebx + eax);
	}
	return size;
}

/* Leaves whose features are hidden as a whole: they read as zeros. */
static bool tvm_cpuid_leaf_hidden(u32 fn)
{
	switch (fn) {
	case 0x5:	/* MONITOR/MWAIT */
	case 0x6:	/* thermal and power management */
	case 0x9:	/* direct cache access */
	case 0xa:	/* the PMU */
	case 0xf:	/* RDT monitoring */
	case 0x10:	/* RDT allocation */
	case 0x12:	/* SGX */
	case 0x14:	/* processor trace */
	case 0x1b:	/* PCONFIG */
		return true;
	}
	return false;
}

static void tvm_cpuid_add_leaf(u32 fn)
{
	struct tinyvmx_cpuid_entry *e;
	u32 i, n;

	switch (fn) {
	case 0x4:	/* deterministic cache parameters, until type 0 */
		for (i = 0; i < 16; i++)
			if (!(tvm_cpuid_add(fn, i, true)->eax & 0x1f))
				break;
		break;
	case 0x7:	/* subleaf 0 EAX is the last subleaf */
		e = tvm_cpuid_add(fn, 0, true);
		for (n = min(e->eax, 2U), i = 1; i <= n; i++)
			tvm_cpuid_add(fn, i, true);
		break;
	case 0xb:
	case 0x1f:	/* topology levels, until level type 0 */
		for (i = 0; i < 8; i++)
			if (!(tvm_cpuid_add(fn, i, true)->ecx & 0xff00))
				break;
		break;
	case 0xd:	/* XSAVE: only the components the module switches */
		e = tvm_cpuid_add(fn, 0, true);
		e->eax &= (u32)tvm_xsave_mask;
		e->edx &= (u32)(tvm_xsave_mask >> 32);
		e->ecx = tvm_xsave_size(tvm_xsave_mask);
		e = tvm_cpuid_add(fn, 1, true);
		e->eax &= ~(BIT(3) | BIT(4));	/* XSAVES, XFD */
		e->ecx = 0;
		e->edx = 0;
		for (i = 2; i < 64; i++)
			if (tvm_xsave_mask & BIT_ULL(i))
				tvm_cpuid_add(fn, i, true);
		break;
	default:
		tvm_cpuid_add(fn, 0, false);
	}
}

static struct tinyvmx_cpuid_entry *tvm_cpuid_default_find(u32 fn, u32 idx)
{
	unsigned int i;

	for (i = 0; i < tvm_cpuid_default_n; i++)
		if (tvm_cpuid_default[i].function == fn &&
		    tvm_cpuid_default[i].index == idx)
			return &tvm_cpuid_default[i];
	return NULL;
}

static void tvm_cpuid_hide(u32 fn, u32 idx, u32 eax, u32 ebx, u32 ecx, u32 edx)
{
	struct tinyvmx_cpuid_entry *e = tvm_cpuid_default_find(fn, idx);

	if (e) {
		e->eax &= ~eax;
		e->ebx &= ~ebx;
		e->ecx &= ~ecx;
		e->edx &= ~edx;
	}
}

void tvm_cpuid_setup(void)
{
	struct tinyvmx_cpuid_entry *e;
	bool avx = tvm_xsave_mask & XFEATURE_MASK_YMM;
	u32 max, fn;

	max = min(cpuid_eax(0), 0x1fU);
	for (fn = 0; fn <= max; fn++)
		if (!tvm_cpuid_leaf_hidden(fn))
			tvm_cpuid_add_leaf(fn);
	e = tvm_cpuid_default_find(0, 0);
	if (e)
		e->eax = max;

	/* Leaf 1: VMX, SMX, MONITOR, DS, EST, TM, xTPR, PDCM, x2APIC, ... */
	tvm_cpuid_hide(1, 0, 0, 0,
		       BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) |
		       BIT(8) | BIT(14) | BIT(15) | BIT(21) | BIT(24) | BIT(27) |
		       (tvm_xsave ? 0 : BIT(26)) |
		       (avx ? 0 : BIT(12) | BIT(28) | BIT(29)),
		       BIT(7) | BIT(9) | BIT(14) | BIT(21) | BIT(22) | BIT(29) |
		       BIT(31));
	/* Leaf 7: SGX, INVPCID, RDT, MPX, PT, WAITPKG, CET, RDPID, PKS, AMX... */
	tvm_cpuid_hide(7, 0, 0,
		       BIT(2) | BIT(10) | BIT(12) | BIT(14) | BIT(15) | BIT(25) |
		       (avx ? 0 : BIT(5) | BIT(16) | BIT(17) | BIT(21) | BIT(26) |
			BIT(27) | BIT(28) | BIT(30) | BIT(31)),
		       BIT(4) | BIT(5) | BIT(7) | BIT(22) | BIT(30) | BIT(31) |
		       ((tvm_xsave_mask & XFEATURE_MASK_PKRU) ? 0 : BIT(3)) |
		       (avx ? 0 : BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14)),
		       BIT(20) | BIT(22) | BIT(24) | BIT(25) | BIT(26) | BIT(27) |
		       BIT(28) | BIT(29) | BIT(30) | BIT(31) |
		       (avx ? 0 : BIT(2) | BIT(3) | BIT(8) | BIT(23)));
	e = tvm_cpuid_default_find(1, 0);
	if (e)
		e->ecx |= BIT(31);	/* a hypervisor is present */

	max = min(cpuid_eax(0x80000000), 0x80000008U);
	for (fn = 0x80000000; fn <= max; fn++)
		tvm_cpuid_add(fn, 0, false);
	tvm_cpuid_hide(0x80000001, 0, 0, 0, 0, BIT(27));	/* RDTSCP */

	/* "tinyvmx\0\0\0\0\0", the hypervisor's name. */
	e = tvm_cpuid_add(0x40000000, 0, false);
	if (e) {
		e->eax = 0x40000000;
		e->ebx = 0x796e6974;	/* "tiny" */
		e->ecx = 0x00786d76;	/* "vmx" */
		e->edx = 0;
	}
}

static const struct tinyvmx_cpuid_entry *
tvm_cpuid_find(const struct tvm_cpuid_table *t, u32 fn, u32 idx)
{
	u32 i;

	for (i = 0; i < t->n; i++) {
		const struct tinyvmx_cpuid_entry *e = &t->e[i];

		if (e->function == fn &&
		    (!(e->flags & TINYVMX_CPUID_INDEXED) || e->index == idx))
			return e;
	}
	return NULL;
}

struct tvm_cpuid_table *tvm_cpuid_default_table(void)
{
	struct tvm_cpuid_table *t;

	t = kvzalloc(struct_size(t, e, tvm_cpuid_default_n), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->n = tvm_cpuid_default_n;
	memcpy(t->e, tvm_cpuid_default, t->n * sizeof(t->e[0]));
	return t;
}

/* Copy @n entries out to @u; E2BIG with the size needed if too few. */
static int tvm_cpuid_copy_out(struct tinyvmx_cpuid __user *u,
			      const struct tinyvmx_cpuid_entry *e, u32 n)
{
	struct tinyvmx_cpuid c;

	if (copy_from_user(&c, u, sizeof(c)))
		return -EFAULT;
	if (c.flags || c.reserved[0] || c.reserved[1])
		return -EINVAL;
	if (c.nent < n) {
		c.nent = n;
		return copy_to_user(u, &c, sizeof(c)) ? -EFAULT : -E2BIG;
	}
	if (copy_to_user(u64_to_user_ptr(c.entries), e, n * sizeof(*e)))
		return -EFAULT;
	c.nent = n;
	return copy_to_user(u, &c, sizeof(c)) ? -EFAULT : 0;
}

int tvm_cpuid_get_supported(struct tinyvmx_cpuid __user *u)
{
	return tvm_cpuid_copy_out(u, tvm_cpuid_default, tvm_cpuid_default_n);
}

int tvm_cpuid_get(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid __user *u)
{
	return tvm_cpuid_copy_out(u, vcpu->cpuid->e, vcpu->cpuid->n);
}

int tvm_cpuid_set(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid __user *u)
{
	struct tvm_cpuid_table *t;
	struct tinyvmx_cpuid c;
	u32 i;

	if (copy_from_user(&c, u, sizeof(c)))
		return -EFAULT;
	if (c.flags || c.reserved[0] || c.reserved[1] || c.nent > TVM_CPUID_MAX)
		return -EINVAL;
	t = kvzalloc(struct_size(t, e, c.nent), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->n = c.nent;
	if (copy_from_user(t->e, u64_to_user_ptr(c.entries), c.nent * sizeof(t->e[0]))) {
		kvfree(t);
		return -EFAULT;
	}
	for (i = 0; i < t->n; i++) {
		if (t->e[i].padding || t->e[i].flags & ~TINYVMX_CPUID_INDEXED) {
			kvfree(t);
			return -EINVAL;
		}
	}
	kvfree(vcpu->cpuid);
	vcpu->cpuid = t;
	tvm_cpuid_changed(vcpu);
	return 0;
}

/* The guest's CR4 may not enable what its CPUID does not offer. */
void tvm_cpuid_changed(struct tvm_vcpu *vcpu)
{
	const struct tinyvmx_cpuid_entry *l1 = tvm_cpuid_find(vcpu->cpuid, 1, 0);
	const struct tinyvmx_cpuid_entry *l7 = tvm_cpuid_find(vcpu->cpuid, 7, 0);
	u32 c1 = l1 ? l1->ecx : 0, d1 = l1 ? l1->edx : 0;
	u32 b7 = l7 ? l7->ebx : 0, c7 = l7 ? l7->ecx : 0;
	u64 rsvd = X86_CR4_VMXE | X86_CR4_SMXE | X86_CR4_CET | TVM_CR4_PKS;

	if (!(d1 & BIT(1)))
		rsvd |= X86_CR4_VME | X86_CR4_PVI;
	if (!(d1 & BIT(2)))
		rsvd |= X86_CR4_DE;
	if (!(d1 & BIT(13)))
		rsvd |= X86_CR4_PGE;
	if (!(d1 & BIT(7)))
		rsvd |= X86_CR4_MCE;
	if (!(c1 & BIT(17)))
		rsvd |= X86_CR4_PCIDE;
	if (!(c1 & BIT(26)))
		rsvd |= X86_CR4_OSXSAVE;
	if (!(b7 & BIT(0)))
		rsvd |= X86_CR4_FSGSBASE;
	if (!(b7 & BIT(7)))
		rsvd |= X86_CR4_SMEP;
	if (!(b7 & BIT(20)))
		rsvd |= X86_CR4_SMAP;
	if (!(c7 & BIT(2)))
		rsvd |= X86_CR4_UMIP;
	if (!(c7 & BIT(3)))
		rsvd |= X86_CR4_PKE;
	if (!(c7 & BIT(16)))
		rsvd |= X86_CR4_LA57;
	tvm_guest_set_cr4_mask(vcpu, rsvd);
	/* XCR0 may only hold what leaf 0xd offers and the module switches. */
	l1 = tvm_cpuid_find(vcpu->cpuid, 0xd, 0);
	vcpu->vmx.xcr0_allowed = l1 ? ((u64)l1->edx << 32 | l1->eax) & tvm_xsave_mask : 1;
}

/* The CPUID exit: answer from the table, then the per-vCPU values. */
int tvm_exit_cpuid(struct tvm_vcpu *vcpu)
{
	unsigned long *g = vcpu->vmx.gprs;
	u32 fn = g[TVM_REG_RAX], idx = g[TVM_REG_RCX];
	const struct tinyvmx_cpuid_entry *e = tvm_cpuid_find(vcpu->cpuid, fn, idx);
	u32 a = 0, b = 0, c = 0, d = 0;
	u64 cr4;

	if (e) {
		a = e->eax, b = e->ebx, c = e->ecx, d = e->edx;
		switch (fn) {
		case 1:
			cr4 = tvm_guest_cr4(vcpu);
			b = (b & 0x00ffffff) | vcpu->id << 24;
			c = (c & ~BIT(27)) | (cr4 & X86_CR4_OSXSAVE ? BIT(27) : 0);
			break;
		case 7:
			if (idx == 0)
				c = (c & ~BIT(4)) |
				    (tvm_guest_cr4(vcpu) & X86_CR4_PKE ? BIT(4) : 0);
			break;
		case 0xb:
		case 0x1f:
			d = vcpu->id;
			break;
		case 0xd:
			if (idx == 0 || idx == 1)
				b = tvm_xsave_size(vcpu->vmx.xcr0);
			break;
		}
	}
	/* CPUID writes 32-bit registers: the upper halves become zero. */
	g[TVM_REG_RAX] = a;
	g[TVM_REG_RBX] = b;
	g[TVM_REG_RCX] = c;
	g[TVM_REG_RDX] = d;
	tvm_guest_skip_insn(vcpu);
	return 1;
}
