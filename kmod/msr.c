// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's MSRs.
 *
 * Every RDMSR and WRMSR exits (the MSR bitmap is all ones) except for
 * this reviewed allow-list, safe because the VMCS itself switches these
 * MSRs on every entry and exit (SDM "Guest-State Area", "Saving MSRs"):
 *   FS_BASE, GS_BASE (segment bases), SYSENTER_CS/ESP/EIP, PAT (read and
 *   write), and TSC (read only: it returns TSC + TSC_OFFSET).
 * The guest's EFER, STAR, LSTAR, CSTAR, SFMASK and KERNEL_GS_BASE are kept
 * per vCPU; the SYSCALL ones and KERNEL_GS_BASE are put in the CPU only
 * while the guest can use them (EFER.SCE, EFER.LME) and the host's are
 * back before the thread leaves RUN or is scheduled out (vmx_vcpu.c).
 * Anything else, or a bad value, is a #GP for the guest.
 */
#include <linux/mm.h>
#include <asm/msr.h>

#include "msr.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

static void *tvm_msr_bitmap;
u64 tvm_host_syscall[4] __ro_after_init;	/* STAR, LSTAR, CSTAR, SFMASK */

/* Let the guest reach MSR @msr without an exit (SDM "MSR-Bitmap Address"). */
static void tvm_msr_pass(u32 msr, bool read, bool write)
{
	u8 *bm = tvm_msr_bitmap;
	u32 bit = msr & 0x1fff;

	if (msr >= 0xc0000000)
		bm += 1024;
	if (read)
		__clear_bit(bit, (unsigned long *)bm);
	if (write)
		__clear_bit(bit, (unsigned long *)(bm + 2048));
}

int tvm_msr_module_init(void)
{
	tvm_msr_bitmap = (void *)__get_free_page(GFP_KERNEL);
	if (!tvm_msr_bitmap)
		return -ENOMEM;
	memset(tvm_msr_bitmap, 0xff, PAGE_SIZE);
	tvm_msr_pass(MSR_FS_BASE, true, true);
	tvm_msr_pass(MSR_GS_BASE, true, true);
	tvm_msr_pass(MSR_IA32_SYSENTER_CS, true, true);
	tvm_msr_pass(MSR_IA32_SYSENTER_ESP, true, true);
	tvm_msr_pass(MSR_IA32_SYSENTER_EIP, true, true);
	tvm_msr_pass(MSR_IA32_CR_PAT, true, true);
	tvm_msr_pass(MSR_IA32_TSC, true, false);

	rdmsrl(MSR_STAR, tvm_host_syscall[0]);
	rdmsrl(MSR_LSTAR, tvm_host_syscall[1]);
	rdmsrl(MSR_CSTAR, tvm_host_syscall[2]);
	rdmsrl(MSR_SYSCALL_MASK, tvm_host_syscall[3]);
	return 0;
}

void tvm_msr_module_exit(void)
{
	free_page((unsigned long)tvm_msr_bitmap);
}

u64 tvm_msr_bitmap_pa(void)
{
	return __pa(tvm_msr_bitmap);
}

static int tvm_syscall_msr(u32 msr)
{
	switch (msr) {
	case MSR_STAR:		return 0;
	case MSR_LSTAR:		return 1;
	case MSR_CSTAR:		return 2;
	case MSR_SYSCALL_MASK:	return 3;
	default:		return -1;
	}
}

/* Every PAT entry must be a memory type that exists (SDM "PAT"). */
static bool tvm_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

int tvm_msr_get(struct tvm_vcpu *vcpu, u32 msr, u64 *v)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	int s = tvm_syscall_msr(msr);

	if (s >= 0) {
		*v = vmx->syscall[s];
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		*v = vmx->efer;
		break;
	case MSR_KERNEL_GS_BASE:
		/* SWAPGS changes it in the CPU without an exit. */
		if (vmx->kgs_loaded)
			rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
		*v = vmx->kernel_gs_base;
		break;
	case MSR_FS_BASE:
		*v = vmcs_readl(GUEST_FS_BASE);
		break;
	case MSR_GS_BASE:
		*v = vmcs_readl(GUEST_GS_BASE);
		break;
	case MSR_IA32_SYSENTER_CS:
		*v = vmcs_read32(GUEST_SYSENTER_CS);
		break;
	case MSR_IA32_SYSENTER_ESP:
		*v = vmcs_readl(GUEST_SYSENTER_ESP);
		break;
	case MSR_IA32_SYSENTER_EIP:
		*v = vmcs_readl(GUEST_SYSENTER_EIP);
		break;
	case MSR_IA32_CR_PAT:
		*v = vmcs_read64(GUEST_IA32_PAT);
		break;
	case MSR_IA32_TSC:
		*v = rdtsc() + vmcs_read64(TSC_OFFSET);
		break;
	default:
		return -ENOENT;
	}
	return 0;
}

static int tvm_msr_set_efer(struct tvm_vcpu *vcpu, u64 v, bool host)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	u64 cr0 = tvm_guest_cr0();

	if (v & ~TVM_EFER_ALLOWED)
		return -EINVAL;
	/* LME may not change while paging is on (SDM "IA-32e Mode"). */
	if (!host && (cr0 & X86_CR0_PG) && ((v ^ vmx->efer) & EFER_LME))
		return -EINVAL;
	vmx->efer = v & ~EFER_LMA;
	tvm_guest_update_lma(vcpu, cr0);
	return 0;
}

int tvm_msr_set(struct tvm_vcpu *vcpu, u32 msr, u64 v, bool host)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	int s = tvm_syscall_msr(msr);

	if (s >= 0) {
		if (s != 0 && s != 3 && !__is_canonical_address(v, 48))
			return -EINVAL;
		vmx->syscall[s] = v;
		return 0;
	}
	switch (msr) {
	case MSR_EFER:
		return tvm_msr_set_efer(vcpu, v, host);
	case MSR_KERNEL_GS_BASE:
		if (!__is_canonical_address(v, 48))
			return -EINVAL;
		vmx->kernel_gs_base = v;
		if (vmx->kgs_loaded)
			wrmsrl(MSR_KERNEL_GS_BASE, v);
		return 0;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		if (!__is_canonical_address(v, 48))
			return -EINVAL;
		vmcs_writel(msr == MSR_FS_BASE ? GUEST_FS_BASE :
			    msr == MSR_GS_BASE ? GUEST_GS_BASE :
			    msr == MSR_IA32_SYSENTER_ESP ? GUEST_SYSENTER_ESP :
			    GUEST_SYSENTER_EIP, v);
		return 0;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, v);
		return 0;
	case MSR_IA32_CR_PAT:
		if (!tvm_pat_valid(v))
			return -EINVAL;
		vmcs_write64(GUEST_IA32_PAT, v);
		return 0;
	case MSR_IA32_TSC:
		vmcs_write64(TSC_OFFSET, v - rdtsc());
		return 0;
	default:
		return -ENOENT;
	}
}

/* RDMSR and WRMSR that exited: ECX names the MSR, EDX:EAX the value. */
int tvm_exit_rdmsr(struct tvm_vcpu *vcpu)
{
	unsigned long *g = vcpu->vmx.gprs;
	u64 v;

	if (tvm_msr_get(vcpu, g[TVM_REG_RCX], &v)) {
		vcpu->stats.msr_unknown++;
		tvm_guest_inject_gp();
		return 1;
	}
	g[TVM_REG_RAX] = (u32)v;
	g[TVM_REG_RDX] = v >> 32;
	tvm_guest_skip_insn(vcpu);
	return 1;
}

int tvm_exit_wrmsr(struct tvm_vcpu *vcpu)
{
	unsigned long *g = vcpu->vmx.gprs;
	u32 msr = g[TVM_REG_RCX];
	u64 v = (u64)(u32)g[TVM_REG_RDX] << 32 | (u32)g[TVM_REG_RAX];

	if (tvm_msr_set(vcpu, msr, v, false)) {
		vcpu->stats.msr_unknown++;
		tvm_guest_inject_gp();
		return 1;
	}
	/* What the CPU must hold for the guest may have changed. */
	if (msr == MSR_EFER || tvm_syscall_msr(msr) >= 0)
		tvm_host_reload(vcpu);
	tvm_guest_skip_insn(vcpu);
	return 1;
}
