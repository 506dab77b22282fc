// SPDX-License-Identifier: GPL-2.0
/*
 * The host's copy of mig_loop's arithmetic (guest/smp.S).
 */
#include "tvm_mig.h"

#define CR4_OSFXSR	(1ull << 9)
#define LCG_MUL		6364136223846793005ull

TVM_SNIPPET_DECLARE(mig_loop);

int tvm_mig_load(struct tvm_guest *g, struct tvm_mig *m, __u64 seed)
{
	struct tinyvmx_sregs sregs;
	int r;

	r = tvm_guest_load(g, &TVM_SNIPPET(mig_loop), TVM_MODE_LONG);
	if (!r)
		r = tvm_vcpu_get_sregs(&g->vcpu, &sregs);
	if (r)
		return r;
	sregs.cr4 |= CR4_OSFXSR;
	r = tvm_vcpu_set_sregs(&g->vcpu, &sregs);
	if (!r)
		r = tvm_guest_set_reg(g, TVM_REG(r8), 0);
	if (!r)
		r = tvm_guest_set_reg(g, TVM_REG(r9), seed);
	m->iter = 0;
	m->state = seed;
	return r;
}

__u32 tvm_mig_next(struct tvm_mig *m)
{
	unsigned int i;

	for (i = 0; i < MIG_PER_REPORT; i++) {
		m->iter++;
		m->state = m->state * LCG_MUL + m->iter;
	}
	return (__u32)(m->state >> 32) ^ (__u32)m->state;
}
