/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMCS field accessors with the field width checked at compile time.
 *
 * The field encodings come from <asm/vmx.h> (SDM Appendix B, "Field
 * Encoding in VMCS"). Bits 14:13 of an encoding give the field's width:
 * 0 = 16-bit, 1 = 64-bit, 2 = 32-bit, 3 = natural width. Using the
 * accessor of the wrong width is a build error, not a silent truncation.
 */
#ifndef TVM_VMCS_H
#define TVM_VMCS_H

#include <linux/build_bug.h>
#include <asm/vmx.h>

#include "vmx_insn.h"

#define TVM_VMCS_WIDTH(field)	(((field) >> 13) & 3)
#define TVM_VMCS_W16		0
#define TVM_VMCS_W64		1
#define TVM_VMCS_W32		2
#define TVM_VMCS_WNAT		3

/* Only constant fields are checked; a table of fields is read as data. */
#define TVM_VMCS_CHECK(field, width)					\
	BUILD_BUG_ON_MSG(__builtin_constant_p(field) &&		\
			 TVM_VMCS_WIDTH(field) != (width),		\
			 "VMCS field accessed with the wrong width")

static __always_inline u16 vmcs_read16(unsigned long field)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W16);
	return __tvm_vmread(field);
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W32);
	return __tvm_vmread(field);
}

static __always_inline u64 vmcs_read64(unsigned long field)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W64);
	return __tvm_vmread(field);
}

static __always_inline unsigned long vmcs_readl(unsigned long field)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_WNAT);
	return __tvm_vmread(field);
}

static __always_inline void vmcs_write16(unsigned long field, u16 value)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W16);
	__tvm_vmwrite(field, value);
}

static __always_inline void vmcs_write32(unsigned long field, u32 value)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W32);
	__tvm_vmwrite(field, value);
}

static __always_inline void vmcs_write64(unsigned long field, u64 value)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_W64);
	__tvm_vmwrite(field, value);
}

static __always_inline void vmcs_writel(unsigned long field, unsigned long value)
{
	TVM_VMCS_CHECK(field, TVM_VMCS_WNAT);
	__tvm_vmwrite(field, value);
}

#endif /* TVM_VMCS_H */
