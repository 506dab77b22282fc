/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The self-checking guest of guest/smp.S (mig_loop), and the host's copy
 * of its arithmetic, for tests that move it between CPUs.
 */
#ifndef TVM_MIG_H
#define TVM_MIG_H

#include "tvm_guest.h"

#define MIG_PORT_REPORT	0x60
#define MIG_PER_REPORT	16

struct tvm_mig {
	__u64 iter, state;	/* what the guest's R8 and R9 must be */
};

/* Load mig_loop into @g (long mode, SSE on) with R8 = 0, R9 = @seed. */
int tvm_mig_load(struct tvm_guest *g, struct tvm_mig *m, __u64 seed);
/* The next report the guest must make; advances @m. */
__u32 tvm_mig_next(struct tvm_mig *m);

#endif /* TVM_MIG_H */
