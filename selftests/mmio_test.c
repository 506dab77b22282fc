// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO exits: an access to guest-physical memory outside RAM. Each variant
 * is one mov form (guest/mmio.S) in one mode: the exit must carry the
 * address, length, direction and, for a write, exactly the value written;
 * for a read, the value userspace stores must reach the destination
 * register with the rest of it as the SDM says. A non-mov instruction
 * exits undecoded with its bytes.
 */
#include "tvm_test.h"

#define W_RBX		0x8877665544332211ull	/* source of register writes */
#define W_R9		0x0102030405060708ull
#define PATTERN		0x1122334455667788ull	/* destination before a read */
#define RD_DATA		0xf0e1d2c3b4a59687ull	/* what userspace reads back */
#define LOW32		0xffffffffull

#define MMIO_SNIPPET(n)	TVM_SNIPPET_DECLARE(mmio_##n, insn, hlt)

TVM_GUEST_FIXTURE(mmio)

FIXTURE_VARIANT(mmio) {
	enum tvm_guest_mode mode;
	const uint8_t *start, *end, *insn, *hlt;
	__u64 rdi;		/* the address register */
	__u64 gpa;
	__u8 direction;
	__u8 len;
	__u64 data;		/* write: what the exit must carry */
	size_t reg;		/* read: the destination register */
	__u64 expect;		/* read: its value afterwards ... */
	__u64 mask;		/* ... in these bits */
};

#define MMIO_VARIANT(n, mode_, ...)					\
	MMIO_SNIPPET(n);						\
	FIXTURE_VARIANT_ADD(mmio, n) {					\
		.mode = mode_,						\
		.start = mmio_##n##_start, .end = mmio_##n##_end,	\
		.insn = mmio_##n##_insn, .hlt = mmio_##n##_hlt,		\
		__VA_ARGS__						\
	}

/* Real mode: ES = GUEST_MMIO_LOW_SEG, DI = 0x10. */
#define REAL_AT		.rdi = 0x10, .gpa = GUEST_MMIO_LOW + 0x10
#define HIGH_AT		.rdi = GUEST_MMIO_HIGH + 0x10, .gpa = GUEST_MMIO_HIGH + 0x10
#define WRITE(l, d)	.direction = TINYVMX_IO_OUT, .len = l, .data = d
#define READ(l, r, e, m) .direction = TINYVMX_IO_IN, .len = l, \
			 .reg = TVM_REG(r), .expect = e, .mask = m

MMIO_VARIANT(real_w_r8, TVM_MODE_REAL, REAL_AT, WRITE(1, 0x11));
MMIO_VARIANT(real_w_r16, TVM_MODE_REAL, REAL_AT, WRITE(2, 0x2211));
MMIO_VARIANT(real_w_r32, TVM_MODE_REAL, REAL_AT, WRITE(4, 0x44332211));
MMIO_VARIANT(real_w_imm8, TVM_MODE_REAL, REAL_AT, WRITE(1, 0x5a));
MMIO_VARIANT(real_w_imm16, TVM_MODE_REAL, REAL_AT, WRITE(2, 0x5aa5));
MMIO_VARIANT(real_w_imm32, TVM_MODE_REAL, REAL_AT, WRITE(4, 0x12345678));
MMIO_VARIANT(real_r_r8, TVM_MODE_REAL, REAL_AT,
	     READ(1, rbx, 0x1122334455667787ull, ~0ull));
MMIO_VARIANT(real_r_r16, TVM_MODE_REAL, REAL_AT,
	     READ(2, rbx, 0x1122334455669687ull, ~0ull));
/* Outside 64-bit mode only EAX is architecturally visible. */
MMIO_VARIANT(real_r_r32, TVM_MODE_REAL, REAL_AT,
	     READ(4, rbx, 0xb4a59687ull, LOW32));

MMIO_VARIANT(prot_w_r32, TVM_MODE_PROT, HIGH_AT, WRITE(4, 0x44332211));
MMIO_VARIANT(prot_w_imm8, TVM_MODE_PROT, HIGH_AT, WRITE(1, 0x5a));
MMIO_VARIANT(prot_r_r32, TVM_MODE_PROT, HIGH_AT,
	     READ(4, rbx, 0xb4a59687ull, LOW32));
MMIO_VARIANT(prot_r_r16, TVM_MODE_PROT, HIGH_AT,
	     READ(2, rbx, 0x1122334455669687ull, ~0ull));

MMIO_VARIANT(long_w_r8, TVM_MODE_LONG, HIGH_AT, WRITE(1, 0x11));
MMIO_VARIANT(long_w_r8_high, TVM_MODE_LONG, HIGH_AT, WRITE(1, 0x22));
MMIO_VARIANT(long_w_r16, TVM_MODE_LONG, HIGH_AT, WRITE(2, 0x2211));
MMIO_VARIANT(long_w_r32, TVM_MODE_LONG, HIGH_AT, WRITE(4, 0x44332211));
MMIO_VARIANT(long_w_r64, TVM_MODE_LONG, HIGH_AT, WRITE(8, W_RBX));
MMIO_VARIANT(long_w_r64_r9, TVM_MODE_LONG, HIGH_AT, WRITE(8, W_R9));
MMIO_VARIANT(long_w_disp8, TVM_MODE_LONG, .rdi = GUEST_MMIO_HIGH + 0x10,
	     .gpa = GUEST_MMIO_HIGH + 0x20, WRITE(4, 0x44332211));
MMIO_VARIANT(long_w_imm8, TVM_MODE_LONG, HIGH_AT, WRITE(1, 0x5a));
MMIO_VARIANT(long_w_imm16, TVM_MODE_LONG, HIGH_AT, WRITE(2, 0x5aa5));
MMIO_VARIANT(long_w_imm32, TVM_MODE_LONG, HIGH_AT, WRITE(4, 0x12345678));
/* movq $-2: the imm32 is sign-extended to 64 bits. */
MMIO_VARIANT(long_w_imm64, TVM_MODE_LONG, HIGH_AT, WRITE(8, 0xfffffffffffffffeull));
MMIO_VARIANT(long_r_r8, TVM_MODE_LONG, HIGH_AT,
	     READ(1, rbx, 0x1122334455667787ull, ~0ull));
/* BH: ModRM reg 7 without REX is bits 15:8 of RBX, not DIL. */
MMIO_VARIANT(long_r_r8_high, TVM_MODE_LONG, HIGH_AT,
	     READ(1, rbx, 0x1122334455668788ull, ~0ull));
MMIO_VARIANT(long_r_r16, TVM_MODE_LONG, HIGH_AT,
	     READ(2, rbx, 0x1122334455669687ull, ~0ull));
/* A 32-bit destination zero-extends into the 64-bit register. */
MMIO_VARIANT(long_r_r32, TVM_MODE_LONG, HIGH_AT,
	     READ(4, rbx, 0xb4a59687ull, ~0ull));
MMIO_VARIANT(long_r_r64, TVM_MODE_LONG, HIGH_AT, READ(8, rbx, RD_DATA, ~0ull));
MMIO_VARIANT(long_r_r32_r10, TVM_MODE_LONG, HIGH_AT,
	     READ(4, r10, 0xb4a59687ull, ~0ull));

TEST_F(mmio, decoded_mov)
{
	const struct tvm_snippet s = { "mmio", variant->start, variant->end };
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_exit_mmio *m = &run->mmio;
	bool write = variant->direction == TINYVMX_IO_OUT;
	struct tinyvmx_regs regs;
	__u64 got;

	ASSERT_OK(tvm_guest_load(&self->g, &s, variant->mode));
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	regs.rdi = variant->rdi;
	regs.rbx = write ? W_RBX : PATTERN;
	regs.r9 = W_R9;
	regs.r10 = PATTERN;
	ASSERT_OK(tvm_vcpu_set_regs(&self->g.vcpu, &regs));

	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_MMIO);
	ASSERT_TRUE(m->flags & TINYVMX_MMIO_DECODED) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(variant->gpa, m->gpa) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(variant->len, m->len) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(variant->direction, m->direction) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(GUEST_CODE + (variant->insn - variant->start), run->rip)
		TH_LOG("%s", tvm_exit_desc(run));
	if (write) {
		ASSERT_EQ(variant->data, m->data) TH_LOG("%s", tvm_exit_desc(run));
	} else {
		m->data = RD_DATA;
	}

	/* The next RUN completes the mov and reaches the HLT after it. */
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(GUEST_CODE + (variant->hlt - variant->start), run->rip);
	if (write)
		return;
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	memcpy(&got, (char *)&regs + variant->reg, sizeof(got));
	ASSERT_EQ(variant->expect & variant->mask, got & variant->mask)
		TH_LOG("%u-byte read of %#llx into a register holding %#llx gave %#llx",
		       variant->len, RD_DATA, PATTERN, (unsigned long long)got);
}

MMIO_SNIPPET(long_add);

TVM_GUEST_FIXTURE(undecoded)

/*
 * add %ebx, (%rdi) (01 1f) is not a mov: it exits with the address and the
 * instruction bytes, left undone, so the next RUN exits the same way.
 */
TEST_F(undecoded, add_to_mmio)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_exit_mmio *m = &run->mmio;
	__u64 rip = TVM_SNIPPET_ADDR(mmio_long_add, insn);
	int pass;

	TVM_LOAD(&self->g, mmio_long_add, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rdi), GUEST_MMIO_HIGH + 0x10));
	for (pass = 0; pass < 2; pass++) {
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_MMIO);
		ASSERT_FALSE(m->flags & TINYVMX_MMIO_DECODED)
			TH_LOG("pass %d: %s", pass, tvm_exit_desc(run));
		ASSERT_EQ(GUEST_MMIO_HIGH + 0x10, m->gpa) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(rip, run->rip) TH_LOG("pass %d: %s", pass, tvm_exit_desc(run));
		ASSERT_LE(2, m->insn_len) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_GE(sizeof(m->insn), m->insn_len) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(0x01, m->insn[0]) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(0x1f, m->insn[1]) TH_LOG("%s", tvm_exit_desc(run));
	}
}

TEST_HARNESS_MAIN
