// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS, with and without REP.
 *
 * The exit gives the port, the element size and REP (qualification), the
 * linear address of the first element (GUEST_LINEAR_ADDRESS) and, on CPUs
 * that report it (IA32_VMX_BASIC bit 54), the address size (VM-exit
 * instruction information); otherwise the address size comes from the
 * code size and a 0x67 prefix. The module copies up to a page of elements
 * between guest memory and the run mapping's data area, and on the next
 * RUN updates RSI or RDI, and RCX, as the SDM's INS/OUTS pages describe.
 */
#include <linux/minmax.h>

#include "guest_mem.h"
#include "tinyvmx.h"
#include "vmcs.h"
#include "vmx_guest.h"

static unsigned int tvm_string_asize(struct tvm_vcpu *vcpu)
{
	int mode = tvm_guest_mode(vcpu), n, i;
	bool toggle = false;
	u8 insn[15];

	if (tvm_vmx.has_insouts_info)
		return 2 << ((vmcs_read32(VMX_INSTRUCTION_INFO) >> 7) & 3);
	n = tvm_fetch_insn(vcpu, insn, mode);
	for (i = 0; i < n && insn[i] != 0x6c && insn[i] != 0x6d &&
	     insn[i] != 0x6e && insn[i] != 0x6f; i++)
		toggle |= insn[i] == 0x67;
	if (mode == 64)
		return toggle ? 4 : 8;
	return (mode == 16) != toggle ? 2 : 4;
}

/* A register update of @delta with the instruction's address size. */
static unsigned long tvm_string_add(unsigned long reg, long delta, unsigned int asize)
{
	switch (asize) {
	case 2:
		return (reg & ~0xffffUL) | ((reg + delta) & 0xffff);
	case 4:
		return (u32)(reg + delta);
	default:
		return reg + delta;
	}
}

static u64 tvm_string_elem(const struct tvm_string_io *s, u32 i)
{
	return s->df ? s->gva - (u64)i * s->size : s->gva + (u64)i * s->size;
}

int tvm_exit_string_io(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	struct tvm_string_io *s = &vmx->str;
	struct tinyvmx_exit_io *io = &vcpu->run->io;
	u64 q = vmx->exit_qual, fault = 0, count = 1;
	u8 *data = vcpu->run_data;
	int r = 0;
	u32 i;

	s->size = (q & 7) + 1;
	s->in = q & BIT(3);
	s->rep = q & BIT(5);
	s->asize = tvm_string_asize(vcpu);
	s->df = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_DF;
	s->gva = vmcs_readl(GUEST_LINEAR_ADDRESS);
	if (s->rep) {
		count = tvm_string_add(0, vmx->gprs[TVM_REG_RCX], s->asize);
		if (!count) {
			tvm_guest_skip_insn(vcpu);
			return 1;
		}
	}
	count = min_t(u64, count, TINYVMX_RUN_DATA_SIZE / s->size);
	/*
	 * Each element is addressed through (E)SI or (E)DI, which wrap at the
	 * address size: the batch ends where the offset wraps, and the
	 * instruction, run again, exits with the wrapped linear address.
	 */
	if (s->asize < 8) {
		u64 off = tvm_string_add(0, vmx->gprs[s->in ? TVM_REG_RDI : TVM_REG_RSI],
					 s->asize);
		u64 room = s->df ? off / s->size + 1 :
			   (BIT_ULL(s->asize * 8) - off) / s->size;

		count = clamp_t(u64, room, 1, count);
	}

	/*
	 * OUTS: fetch the elements now. INS: check now that each can be
	 * written, so that completing the batch cannot fail; RAM the guest
	 * has not touched yet must be faulted in first, and the instruction
	 * then runs again and exits again (nothing was done yet).
	 */
	for (i = 0; i < count; i++) {
		r = tvm_guest_virt_rw(vcpu, tvm_string_elem(s, i),
				      s->in ? NULL : data + i * s->size,
				      s->size, s->in, &fault);
		if (r)
			break;
	}
	if (r == -EAGAIN) {
		vmx->fault_gpa = fault;
		return TVM_EXIT_FAULT_IN;
	}
	if (i == 0) {
		if (r == -EFAULT) {
			tvm_guest_inject_pf(vcpu, fault, s->in);
			return 1;
		}
		return tvm_exit_unexpected(vcpu);
	}
	s->count = i;

	memset(io, 0, sizeof(*io));
	io->port = q >> 16;
	io->size = s->size;
	io->direction = s->in ? TINYVMX_IO_IN : TINYVMX_IO_OUT;
	io->string = 1;
	io->rep = s->rep;
	io->count = s->count;
	io->data_offset = TVM_RUN_DATA_OFFSET;
	vmx->pending = TVM_PENDING_STRING_IO;
	vcpu->run->exit_reason = TINYVMX_EXIT_IO;
	return 0;
}

void tvm_complete_string_io(struct tvm_vcpu *vcpu)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	struct tvm_string_io *s = &vmx->str;
	unsigned int reg = s->in ? TVM_REG_RDI : TVM_REG_RSI;
	u8 *data = vcpu->run_data;
	u64 fault;
	long bytes;
	u32 i;

	/*
	 * Userspace's data is read once, element by element, into the guest.
	 * A page can only have gone missing if the region was deleted and
	 * another created in its place since the exit: the elements up to it
	 * are done, and the instruction runs again for the rest.
	 */
	for (i = 0; s->in && i < s->count; i++)
		if (tvm_guest_virt_rw(vcpu, tvm_string_elem(s, i), data + i * s->size,
				      s->size, true, &fault) == -EAGAIN)
			break;
	if (s->in)
		s->count = i;
	bytes = (long)s->count * s->size;

	vmx->gprs[reg] = tvm_string_add(vmx->gprs[reg], s->df ? -bytes : bytes, s->asize);
	if (s->rep) {
		vmx->gprs[TVM_REG_RCX] = tvm_string_add(vmx->gprs[TVM_REG_RCX],
							-(long)s->count, s->asize);
		/* Elements left: the instruction runs again, and exits again. */
		if (tvm_string_add(0, vmx->gprs[TVM_REG_RCX], s->asize))
			return;
	} else if (!s->count) {
		return;
	}
	tvm_guest_skip_insn(vcpu);
}
