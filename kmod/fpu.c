// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's x87/SSE/AVX state.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>

#include "cpuid.h"
#include "fpu.h"
#include "tinyvmx.h"

/*
 * Guest FPU/SSE/AVX state lives in its own XSAVE area, swapped with the
 * host's inside kernel_fpu_begin()/end(), which saves the host task's
 * registers first, around each stay in the run loop's inner loop (the
 * exits handled in the kernel keep it loaded). AMX tile state
 * (XFD-managed) is left out of the mask.
 */
bool tvm_xsave __ro_after_init;
u64 tvm_xsave_mask __ro_after_init;
unsigned int tvm_fpu_order __ro_after_init;

#define TVM_XFEATURE_XTILE	(BIT_ULL(17) | BIT_ULL(18))

u64 tvm_host_xcr0 __ro_after_init;
static u32 tvm_mxcsr_mask __ro_after_init;

void tvm_fpu_setup(void)
{
	struct fxregs_state fx __aligned(16) = {};
	unsigned int eax, ebx, ecx, edx;

	/* MXCSR_MASK, as FXSAVE reports it; 0 means the default 0xffbf. */
	asm volatile("fxsave64 %[fx]" : [fx] "=m" (fx));
	tvm_mxcsr_mask = fx.mxcsr_mask ? fx.mxcsr_mask : 0xffbf;

	tvm_xsave = boot_cpu_has(X86_FEATURE_XSAVE);
	if (tvm_xsave) {
		tvm_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		tvm_xsave_mask = tvm_host_xcr0 & ~TVM_XFEATURE_XTILE;
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		tvm_fpu_order = get_order(ebx);
	}
}

void tvm_fpu_load(void *area)
{
	if (tvm_xsave)
		asm volatile("xrstor64 %[a]" : : [a] "m" (*(u8 *)area),
			     "a" ((u32)tvm_xsave_mask), "d" ((u32)(tvm_xsave_mask >> 32))
			     : "memory");
	else
		asm volatile("fxrstor64 %[a]" : : [a] "m" (*(u8 *)area) : "memory");
}

void tvm_fpu_save(void *area)
{
	if (tvm_xsave)
		asm volatile("xsave64 %[a]" : [a] "+m" (*(u8 *)area)
			     : "a" ((u32)tvm_xsave_mask), "d" ((u32)(tvm_xsave_mask >> 32))
			     : "memory");
	else
		asm volatile("fxsave64 %[a]" : [a] "+m" (*(u8 *)area) : : "memory");
}

/* XRSTOR's #GP conditions for the standard form (SDM "XRSTOR"), checked
 * before the state is ever loaded: no component the module does not
 * switch, no compaction, a zero header tail, MXCSR within MXCSR_MASK.
 */
static bool tvm_fpu_valid(const u8 *area)
{
	u32 mxcsr = *(const u32 *)(area + 24);
	u64 xstate_bv = *(const u64 *)(area + 512);

	if (mxcsr & ~tvm_mxcsr_mask)
		return false;
	if (!tvm_xsave)
		return true;
	return !(xstate_bv & ~tvm_xsave_mask) && !memchr_inv(area + 520, 0, 56);
}

unsigned int tvm_fpu_size(void)
{
	return tvm_xsave ? tvm_xsave_size(tvm_xsave_mask) : 512;
}

int tvm_fpu_get(struct tvm_vcpu *vcpu, struct tinyvmx_fpu __user *u)
{
	unsigned int size = tvm_fpu_size();
	struct tinyvmx_fpu *f;
	int ret = 0;

	if (size > sizeof(f->region))
		return -E2BIG;
	f = kvzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->size = size;
	memcpy(f->region, vcpu->vmx.fpu, size);
	if (copy_to_user(u, f, sizeof(*f)))
		ret = -EFAULT;
	kvfree(f);
	return ret;
}

int tvm_fpu_set(struct tvm_vcpu *vcpu, const struct tinyvmx_fpu __user *u)
{
	unsigned int size = tvm_fpu_size();
	struct tinyvmx_fpu *f;
	int ret = 0;

	if (size > sizeof(f->region))
		return -E2BIG;
	f = vmemdup_user(u, sizeof(*f));
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->flags || f->reserved[0] || f->reserved[1] || f->reserved[2] ||
	    !tvm_fpu_valid(f->region))
		ret = -EINVAL;
	else
		memcpy(vcpu->vmx.fpu, f->region, size);
	kvfree(f);
	return ret;
}
