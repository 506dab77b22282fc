// SPDX-License-Identifier: GPL-2.0
/*
 * An IDT for a selftest guest: every vector goes to a stub of
 * guest/vectors.S that reports the event through port I/O (tvm_layout.h).
 */
#include <errno.h>
#include <string.h>

#include "tvm_guest.h"

TVM_SNIPPET_DECLARE(vectors16);
TVM_SNIPPET_DECLARE(vectors32);
TVM_SNIPPET_DECLARE(vectors64);

/* Interrupt gates (type 0xe), present, DPL 0 (SDM "IDT Descriptors"). */
int tvm_set_gate(struct tvm_vm *vm, enum tvm_guest_mode mode, unsigned int vector,
		 uint64_t handler)
{
	uint64_t gate[2];

	switch (mode) {
	case TVM_MODE_REAL:
		/* The IVT: offset, then segment. */
		gate[0] = (handler & 0xf) | (handler >> 4) << 16;
		return tvm_vm_write(vm, GUEST_IDT + vector * 4, gate, 4);
	case TVM_MODE_PROT:
	case TVM_MODE_LONG:
		gate[0] = (handler & 0xffff) |
			  (uint64_t)(mode == TVM_MODE_LONG ? TVM_SEL_CODE64 :
				     TVM_SEL_CODE32) << 16 |
			  0x8e00ull << 32 | ((handler >> 16) & 0xffff) << 48;
		gate[1] = handler >> 32;
		if (mode == TVM_MODE_LONG)
			return tvm_vm_write(vm, GUEST_IDT + vector * 16, gate, 16);
		return tvm_vm_write(vm, GUEST_IDT + vector * 8, gate, 8);
	}
	return -EINVAL;
}

int tvm_setup_idt(struct tvm_vm *vm, struct tvm_vcpu *vcpu, enum tvm_guest_mode mode)
{
	struct tvm_snippet s = mode == TVM_MODE_REAL ? TVM_SNIPPET(vectors16) :
			       mode == TVM_MODE_PROT ? TVM_SNIPPET(vectors32) :
			       TVM_SNIPPET(vectors64);
	unsigned int entry = mode == TVM_MODE_REAL ? 4 : mode == TVM_MODE_PROT ? 8 : 16;
	struct tinyvmx_sregs sregs;
	unsigned int v;
	int r;

	r = tvm_vm_write(vm, GUEST_VECTORS, s.start, s.end - s.start);
	for (v = 0; !r && v < 256; v++) {
		uint64_t stub = GUEST_VECTORS + v * VECTOR_STUB_SIZE;

		r = tvm_set_gate(vm, mode, v, stub);
	}
	if (!r)
		r = tvm_vcpu_get_sregs(vcpu, &sregs);
	if (r)
		return r;
	sregs.idt.base = GUEST_IDT;
	sregs.idt.limit = 256 * entry - 1;
	return tvm_vcpu_set_sregs(vcpu, &sregs);
}

int tvm_guest_setup_idt(struct tvm_guest *g, enum tvm_guest_mode mode)
{
	return tvm_setup_idt(&g->vm, &g->vcpu, mode);
}
