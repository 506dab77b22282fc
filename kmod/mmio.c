// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO: a guest access to a guest-physical address outside RAM.
 *
 * An EPT violation does not say what the instruction wanted to move (its
 * instruction-length field is not even defined for this exit), so the
 * module reads the instruction at CS:RIP through the guest's own page
 * tables and decodes the common forms of MOV (opcodes 88, 89, 8A, 8B, C6,
 * C7 and A0-A3, SDM Volume 2 "MOV"). Anything else goes to userspace
 * undecoded, with its bytes.
 */
#include <linux/string.h>

#include "guest_mem.h"
#include "tinyvmx.h"
#include "vmcs.h"

struct tvm_mov {
	u8 len;		/* bytes moved */
	bool write;	/* to MMIO */
	u8 reg;		/* register operand, ModRM numbering */
	bool high8;	/* AH, CH, DH or BH */
	bool imm;	/* source is @value, not @reg */
	u64 value;
	u8 insn_len;
};

static u64 tvm_imm(const u8 *p, int size)
{
	u64 v = 0;

	memcpy(&v, p, size);
	return v;
}

/* Decode a MOV to or from memory; @mode is 16, 32 or 64. */
static int tvm_decode_mov(const u8 *b, int n, int mode, struct tvm_mov *d)
{
	bool opsize = false, adsize = false;
	int i = 0, osize, asize, disp = 0, immsize = 0;
	u8 rex = 0, op, modrm, mod, rm;

	for (; i < n; i++) {
		if (b[i] == 0x66)
			opsize = true;
		else if (b[i] == 0x67)
			adsize = true;
		else if (b[i] != 0x26 && b[i] != 0x2e && b[i] != 0x36 &&
			 b[i] != 0x3e && b[i] != 0x64 && b[i] != 0x65)
			break;
	}
	if (mode == 64 && i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i >= n)
		return -EINVAL;
	op = b[i++];

	if (rex & 8)
		osize = 8;
	else
		osize = (mode == 16) != opsize ? 2 : 4;
	if (mode == 64)
		asize = adsize ? 4 : 8;
	else
		asize = (mode == 16) != adsize ? 2 : 4;

	memset(d, 0, sizeof(*d));
	switch (op) {
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:	/* moffs forms */
		d->len = op & 1 ? osize : 1;
		d->write = op >= 0xa2;
		d->reg = TVM_REG_RAX;
		i += asize;
		if (i > n)
			return -EINVAL;
		d->insn_len = i;
		return 0;
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		d->len = op & 1 ? osize : 1;
		d->write = op <= 0x89;
		break;
	case 0xc6: case 0xc7:
		d->len = op & 1 ? osize : 1;
		d->write = true;
		d->imm = true;
		immsize = min_t(u8, d->len, 4);
		break;
	default:
		return -EINVAL;
	}

	if (i >= n)
		return -EINVAL;
	modrm = b[i++];
	mod = modrm >> 6;
	rm = modrm & 7;
	d->reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
	if (mod == 3 || (d->imm && (modrm & 0x38)))
		return -EINVAL;
	if (asize == 2) {
		disp = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
	} else {
		if (rm == 4) {		/* SIB */
			if (i >= n)
				return -EINVAL;
			if (mod == 0 && (b[i] & 7) == 5)
				disp = 4;
			i++;
		}
		if (mod == 1)
			disp = 1;
		else if (mod == 2 || (mod == 0 && rm == 5))
			disp = 4;
	}
	i += disp;
	if (i + immsize > n)
		return -EINVAL;
	if (d->imm) {
		d->value = tvm_imm(b + i, immsize);
		if (d->len == 8)	/* imm32 sign-extended to 64 bits */
			d->value = (u64)(s64)(s32)d->value;
	}
	i += immsize;
	if (d->len == 1 && !rex && !d->imm && d->reg >= 4 && d->reg < 8) {
		d->high8 = true;
		d->reg -= 4;
	}
	d->insn_len = i;
	return 0;
}

static unsigned long *tvm_gpr(struct tvm_vcpu *vcpu, u8 reg)
{
	/* RSP lives in the VMCS; the array slot is a staging copy. */
	if (reg == TVM_REG_RSP_UNUSED)
		vcpu->vmx.gprs[reg] = vmcs_readl(GUEST_RSP);
	return &vcpu->vmx.gprs[reg];
}

int tvm_exit_mmio(struct tvm_vcpu *vcpu, u64 gpa)
{
	struct tinyvmx_exit_mmio *m = &vcpu->run->mmio;
	struct tvm_vmx *vmx = &vcpu->vmx;
	int mode = tvm_guest_mode(vcpu);
	struct tvm_mov d;
	u8 insn[15];
	int n;

	memset(m, 0, sizeof(*m));
	m->gpa = gpa;
	n = tvm_fetch_insn(vcpu, insn, mode);
	memcpy(m->insn, insn, n);
	m->insn_len = n;
	vcpu->run->exit_reason = TINYVMX_EXIT_MMIO;
	/* During event delivery the access is the CPU's, not the insn's. */
	if (vmx->exit_in_delivery || tvm_decode_mov(insn, n, mode, &d))
		return 0;

	m->flags = TINYVMX_MMIO_DECODED;
	m->len = d.len;
	vmx->exit_insn_len = d.insn_len;
	if (d.write) {
		u64 v = d.imm ? d.value : *tvm_gpr(vcpu, d.reg) >> (d.high8 ? 8 : 0);

		m->direction = TINYVMX_IO_OUT;
		m->data = v & GENMASK_ULL(d.len * 8 - 1, 0);
		vmx->pending = TVM_PENDING_MMIO_WRITE;
	} else {
		m->direction = TINYVMX_IO_IN;
		vmx->pending = TVM_PENDING_MMIO_READ;
		vmx->pending_reg = d.reg;
		vmx->pending_len = d.len;
		vmx->pending_high8 = d.high8;
	}
	return 0;
}

/* Write a completed MMIO read to its destination, as MOV would. */
void tvm_complete_mmio_read(struct tvm_vcpu *vcpu, u64 data)
{
	struct tvm_vmx *vmx = &vcpu->vmx;
	unsigned long *r = tvm_gpr(vcpu, vmx->pending_reg);

	switch (vmx->pending_len) {
	case 1:
		if (vmx->pending_high8)
			*r = (*r & ~0xff00UL) | (data & 0xff) << 8;
		else
			*r = (*r & ~0xffUL) | (data & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffUL) | (data & 0xffff);
		break;
	case 4:
		*r = (u32)data;		/* 32-bit destinations zero-extend */
		break;
	default:
		*r = data;
	}
	if (vmx->pending_reg == TVM_REG_RSP_UNUSED)
		vmcs_writel(GUEST_RSP, *r);
}
