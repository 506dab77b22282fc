/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's x87/SSE/AVX state: see fpu.c.
 */
#ifndef TVM_FPU_H
#define TVM_FPU_H

#include <linux/tinyvmx.h>

struct tvm_vcpu;

extern bool tvm_xsave;			/* XSAVE in use, else FXSAVE */
extern u64 tvm_xsave_mask;		/* the components switched */
extern u64 tvm_host_xcr0;
extern unsigned int tvm_fpu_order;	/* pages of a guest area, as order */

void tvm_fpu_setup(void);
void tvm_fpu_load(void *area);
void tvm_fpu_save(void *area);
unsigned int tvm_fpu_size(void);
int tvm_fpu_get(struct tvm_vcpu *vcpu, struct tinyvmx_fpu __user *u);
int tvm_fpu_set(struct tvm_vcpu *vcpu, const struct tinyvmx_fpu __user *u);

#endif /* TVM_FPU_H */
