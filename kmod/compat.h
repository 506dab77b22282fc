/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels tinyvmx builds for (6.1 and later).
 * Everything version-dependent lives here and nowhere else; it is
 * included from C and from vmenter.S.
 */
#ifndef TVM_COMPAT_H
#define TVM_COMPAT_H

#include <linux/version.h>

/*
 * The kernel's NMI entry for an NMI that caused a VM exit: 6.4 added a
 * dedicated one for VMX, exported for KVM; before it, the no-IST variant.
 */
#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define TVM_NMI_ENTRY	asm_exc_nmi_kvm_vmx
#else
#define TVM_NMI_ENTRY	asm_exc_nmi_noist
#endif

#ifndef __ASSEMBLY__
#include <linux/mm.h>

/* 6.3 made vm_flags read-only behind helpers. */
static inline void tvm_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}
#endif /* __ASSEMBLY__ */

#endif /* TVM_COMPAT_H */
