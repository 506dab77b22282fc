// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS in each mode (real, 32-bit flat and with segment bases,
 * 64-bit), width (1, 2, 4) and form (with and without REP), with the 0x67
 * address-size prefix, DF = 1 and segment overrides. For each: every
 * element crosses the run mapping in order from or to the linear
 * addresses the instruction uses (segment base + (E/R)SI or (E/R)DI in
 * the address size), and afterwards RSI/RDI/RCX are what the SDM's INS
 * and OUTS pages leave: with a 16-bit address size only the low 16 bits
 * change and they wrap; with 32 bits in 64-bit mode the register is
 * zero-extended. Then the special cases: REP with RCX = 0, a fault on an
 * unmapped page (#PF for the guest), memory outside RAM.
 */
#include "tvm_test.h"

#define PORT		0x1f0
#define RFLAGS_DF	0x400
#define VEC_PF		14
#define PF_WRITE	2

TVM_GUEST_FIXTURE(str)

FIXTURE_VARIANT(str) {
	enum tvm_guest_mode mode;
	const uint8_t *start, *end, *insn, *hlt;
	__u8 size;
	__u8 in;
	__u8 rep;
	__u8 asize;		/* 0: the mode's */
	__u8 df;
	__u8 seg_override;	/* OUTS through FS (or GS), not DS */
	__u32 count;		/* REP: elements in RCX (0: 7) */
	__u64 rcx_high;		/* beyond the address size in RCX */
	__u64 reg;		/* RSI (OUTS) or RDI (INS) */
	__u64 ds_base, es_base, fs_base;
};

#define SM_DECLARE(n)	TVM_SNIPPET_DECLARE(sm_##n, insn, hlt)

/* @n is the snippet without "sm_": <mode>_[a16_|a32_|fs_][rep_]<insn>. */
#define SV(name, n, mode_, size_, in_, rep_, ...)			\
	SM_DECLARE(n);							\
	FIXTURE_VARIANT_ADD(str, name) {				\
		.mode = mode_, .start = sm_##n##_start,			\
		.end = sm_##n##_end, .insn = sm_##n##_insn,		\
		.hlt = sm_##n##_hlt,					\
		.size = size_, .in = in_, .rep = rep_,			\
		__VA_ARGS__						\
	}

/* The twelve forms of mode @m (suffix @x to the names), with @__VA_ARGS__. */
#define ALL_FORMS(m, mode, x, ...)					\
	SV(m##_outsb##x, m##_outsb, mode, 1, 0, 0, __VA_ARGS__);	\
	SV(m##_outsw##x, m##_outsw, mode, 2, 0, 0, __VA_ARGS__);	\
	SV(m##_outsl##x, m##_outsl, mode, 4, 0, 0, __VA_ARGS__);	\
	SV(m##_insb##x, m##_insb, mode, 1, 1, 0, __VA_ARGS__);		\
	SV(m##_insw##x, m##_insw, mode, 2, 1, 0, __VA_ARGS__);		\
	SV(m##_insl##x, m##_insl, mode, 4, 1, 0, __VA_ARGS__);		\
	SV(m##_rep_outsb##x, m##_rep_outsb, mode, 1, 0, 1, __VA_ARGS__); \
	SV(m##_rep_outsw##x, m##_rep_outsw, mode, 2, 0, 1, __VA_ARGS__); \
	SV(m##_rep_outsl##x, m##_rep_outsl, mode, 4, 0, 1, __VA_ARGS__); \
	SV(m##_rep_insb##x, m##_rep_insb, mode, 1, 1, 1, __VA_ARGS__);	\
	SV(m##_rep_insw##x, m##_rep_insw, mode, 2, 1, 1, __VA_ARGS__);	\
	SV(m##_rep_insl##x, m##_rep_insl, mode, 4, 1, 1, __VA_ARGS__)

/* Real mode: DS = ES = 0x3000, so the data lies at GUEST_DATA. */
#define REAL	.ds_base = GUEST_DATA, .es_base = GUEST_DATA

/* Junk above CX and SI/DI: 16-bit addressing neither uses nor changes it. */
ALL_FORMS(real, TVM_MODE_REAL, , REAL,
	  .reg = 0xabcd0000deadull << 16 | 0x100, .rcx_high = 0x5a5a0000);
SV(real_rep_outsw_df, real_rep_outsw, TVM_MODE_REAL, 2, 0, 1, REAL, .df = 1, .reg = 0x800);
SV(real_rep_insl_df, real_rep_insl, TVM_MODE_REAL, 4, 1, 1, REAL, .df = 1, .reg = 0x800);
SV(real_a32_rep_outsw, real_a32_rep_outsw, TVM_MODE_REAL, 2, 0, 1,
   .asize = 4, .reg = GUEST_DATA + 0x1000);
SV(real_a32_rep_insb, real_a32_rep_insb, TVM_MODE_REAL, 1, 1, 1,
   .asize = 4, .reg = GUEST_DATA + 0x2000);
SV(real_fs_rep_outsb, real_fs_rep_outsb, TVM_MODE_REAL, 1, 0, 1, REAL,
   .seg_override = 1, .fs_base = 0x50000, .reg = 0x20);
/* SI ends at 0x10000, which wraps to 0: only the low 16 bits change. */
SV(real_si_wraps_at_end, real_rep_outsb, TVM_MODE_REAL, 1, 0, 1, REAL,
   .count = 4, .reg = 0x1234fffcull);
/* The elements themselves wrap: 0xfffe, 0xffff, then 0, 1 of DS. */
SV(real_elements_wrap, real_rep_outsb, TVM_MODE_REAL, 1, 0, 1, REAL,
   .count = 4, .reg = 0x5678fffeull);
SV(real_di_wraps_backwards, real_rep_insw, TVM_MODE_REAL, 2, 1, 1, REAL,
   .count = 3, .df = 1, .reg = 0x4);
/* More than a page, backwards: several batches. */
SV(real_rep_outsb_5000_df, real_rep_outsb, TVM_MODE_REAL, 1, 0, 1, REAL,
   .count = 5000, .df = 1, .reg = 0xf000);

ALL_FORMS(prot, TVM_MODE_PROT, , .reg = GUEST_DATA + 0x100);
/* DS based at GUEST_DATA, ES at GUEST_DATA + 0x10000. */
ALL_FORMS(prot, TVM_MODE_PROT, _based,
	  .reg = 0x100, .ds_base = GUEST_DATA, .es_base = GUEST_DATA + 0x10000);
SV(prot_rep_outsl_df, prot_rep_outsl, TVM_MODE_PROT, 4, 0, 1, .df = 1,
   .reg = GUEST_DATA + 0x800);
SV(prot_rep_insb_df_based, prot_rep_insb, TVM_MODE_PROT, 1, 1, 1, .df = 1,
   .reg = 0x800, .es_base = GUEST_DATA + 0x10000);
SV(prot_a16_rep_outsb, prot_a16_rep_outsb, TVM_MODE_PROT, 1, 0, 1, .asize = 2,
   .reg = 0x1234f000ull, .rcx_high = 0x77770000, .ds_base = GUEST_DATA);
SV(prot_a16_rep_insw, prot_a16_rep_insw, TVM_MODE_PROT, 2, 1, 1, .asize = 2,
   .reg = 0x4321fff8ull, .count = 4, .es_base = GUEST_DATA);
SV(prot_fs_rep_outsl, prot_fs_rep_outsl, TVM_MODE_PROT, 4, 0, 1, .seg_override = 1,
   .reg = 0x40, .ds_base = GUEST_DATA, .fs_base = GUEST_DATA + 0x20000);
SV(prot_rep_outsw_3000_based, prot_rep_outsw, TVM_MODE_PROT, 2, 0, 1, .count = 3000,
   .reg = 0x10, .ds_base = GUEST_DATA);

ALL_FORMS(long, TVM_MODE_LONG, , .reg = GUEST_DATA + 0x100);
SV(long_rep_insw_df, long_rep_insw, TVM_MODE_LONG, 2, 1, 1, .df = 1, .reg = GUEST_DATA + 0x800);
/* 32-bit addressing ignores bits 63:32 of RSI and zero-extends the result. */
SV(long_a32_rep_outsl, long_a32_rep_outsl, TVM_MODE_LONG, 4, 0, 1, .asize = 4,
   .reg = 0xabcdef0000000000ull | (GUEST_DATA + 0x100), .rcx_high = 0x1234567800000000ull);
SV(long_a32_rep_insw, long_a32_rep_insw, TVM_MODE_LONG, 2, 1, 1, .asize = 4,
   .reg = 0xffff000000000000ull | (GUEST_DATA + 0x100));
/* In 64-bit mode FS and GS keep their bases. */
SV(long_fs_rep_outsb, long_fs_rep_outsb, TVM_MODE_LONG, 1, 0, 1, .seg_override = 1,
   .reg = 0x30, .fs_base = GUEST_DATA + 0x20000);
SV(long_rep_insl_2000, long_rep_insl, TVM_MODE_LONG, 4, 1, 1, .count = 2000,
   .reg = GUEST_DATA + 0x100);

static unsigned int asize_of(const FIXTURE_VARIANT(str) *v)
{
	if (v->asize)
		return v->asize;
	return v->mode == TVM_MODE_REAL ? 2 : v->mode == TVM_MODE_PROT ? 4 : 8;
}

/* @reg + @delta as an instruction with address size @asize writes it. */
static __u64 reg_add(__u64 reg, __s64 delta, unsigned int asize, enum tvm_guest_mode mode)
{
	switch (asize) {
	case 2:
		return (reg & ~0xffffull) | ((reg + delta) & 0xffff);
	case 4:
		/* Outside 64-bit mode bits 63:32 are not architectural. */
		if (mode != TVM_MODE_LONG)
			return (reg & ~0xffffffffull) | ((reg + delta) & 0xffffffffull);
		return (__u32)(reg + delta);
	default:
		return reg + delta;
	}
}

static __u64 seg_base(const FIXTURE_VARIANT(str) *v)
{
	if (v->seg_override)
		return v->fs_base;
	/* 64-bit mode treats the bases of DS and ES as 0. */
	if (v->mode == TVM_MODE_LONG)
		return 0;
	return v->in ? v->es_base : v->ds_base;
}

/* The linear address of element @k. */
static __u64 elem_addr(const FIXTURE_VARIANT(str) *v, __u32 k)
{
	__s64 step = (__s64)k * v->size * (v->df ? -1 : 1);
	__u64 off = reg_add(v->reg, step, asize_of(v), v->mode);

	if (asize_of(v) == 2)
		off &= 0xffff;
	else if (asize_of(v) == 4)
		off &= 0xffffffffull;
	return seg_base(v) + off;
}

/* Byte @j of element @k: never 0, different for nearby elements. */
static __u8 elem_byte(__u32 k, unsigned int j)
{
	return 0x80 | ((k * 4 + j) * 37 + (k >> 5)) % 127;
}

static void set_seg(struct tinyvmx_segment *s, __u64 base, enum tvm_guest_mode mode)
{
	s->base = base;
	if (mode == TVM_MODE_REAL)
		s->selector = base >> 4;
}

TEST_F(str, moves_elements_and_registers)
{
	struct tvm_snippet s = { "sm", variant->start, variant->end };
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_run *run = vcpu->run;
	__u64 insn = GUEST_CODE + (variant->insn - variant->start);
	__u32 count = variant->count ? variant->count : 7;
	__u32 total = variant->rep ? count : 1, done = 0, k;
	unsigned int asize = asize_of(variant), j, batches = 0;
	struct tinyvmx_sregs sregs;
	struct tinyvmx_regs regs, want;
	__u8 *data;

	ASSERT_OK(tvm_guest_load(&self->g, &s, variant->mode));
	ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &sregs));
	set_seg(&sregs.ds, variant->ds_base, variant->mode);
	set_seg(&sregs.es, variant->es_base, variant->mode);
	set_seg(&sregs.fs, variant->fs_base, variant->mode);
	ASSERT_OK(tvm_vcpu_set_sregs(vcpu, &sregs));
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	regs.rdx = PORT;
	regs.rcx = variant->rcx_high | count;
	regs.rsi = variant->in ? 0x5150 : variant->reg;
	regs.rdi = variant->in ? variant->reg : 0xd1d0;
	regs.rflags = 0x2 | (variant->df ? RFLAGS_DF : 0);
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &regs));
	want = regs;

	/* OUTS reads the elements from where the instruction would. */
	for (k = 0; !variant->in && k < total; k++) {
		__u8 *p = tvm_vm_hva(&self->g.vm, elem_addr(variant, k), variant->size);

		ASSERT_NE(NULL, p) TH_LOG("element %u at %#llx", k,
					  (unsigned long long)elem_addr(variant, k));
		for (j = 0; j < variant->size; j++)
			p[j] = elem_byte(k, j);
	}

	while (done < total) {
		ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
		ASSERT_EQ(1, run->io.string) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(variant->rep, run->io.rep) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(variant->in, run->io.direction) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(PORT, run->io.port) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(variant->size, run->io.size) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(insn, run->rip) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_LE(1, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_GE(total - done, run->io.count)
			TH_LOG("%u of %u done: %s", done, total, tvm_exit_desc(run));
		ASSERT_GE(TINYVMX_RUN_DATA_SIZE, run->io.count * variant->size);
		ASSERT_GE(vcpu->run_size,
			  run->io.data_offset + (__u64)run->io.count * variant->size);
		data = (__u8 *)run + run->io.data_offset;
		for (k = 0; k < run->io.count; k++) {
			for (j = 0; j < variant->size; j++) {
				__u8 *d = &data[k * variant->size + j];

				if (variant->in) {
					*d = elem_byte(done + k, j);
					continue;
				}
				ASSERT_EQ(elem_byte(done + k, j), *d)
					TH_LOG("element %u byte %u (linear %#llx), batch %u",
					       done + k, j,
					       (unsigned long long)elem_addr(variant, done + k),
					       batches);
			}
		}
		done += run->io.count;
		batches++;
	}
	/* A batch is a page at most, so the number of batches is known. */
	ASSERT_LE((total * variant->size + TINYVMX_RUN_DATA_SIZE - 1) /
		  TINYVMX_RUN_DATA_SIZE, batches);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(GUEST_CODE + (variant->hlt - variant->start), run->rip)
		TH_LOG("the HLT after the instruction");

	for (k = 0; variant->in && k < total; k++) {
		__u8 *p = tvm_vm_hva(&self->g.vm, elem_addr(variant, k), variant->size);

		ASSERT_NE(NULL, p);
		for (j = 0; j < variant->size; j++)
			ASSERT_EQ(elem_byte(k, j), p[j])
				TH_LOG("element %u byte %u at linear %#llx", k, j,
				       (unsigned long long)elem_addr(variant, k));
	}

	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	if (variant->in)
		want.rdi = reg_add(want.rdi, (variant->df ? -1 : 1) * (__s64)total * variant->size,
				   asize, variant->mode);
	else
		want.rsi = reg_add(want.rsi, (variant->df ? -1 : 1) * (__s64)total * variant->size,
				   asize, variant->mode);
	if (variant->rep)
		want.rcx = reg_add(want.rcx, -(__s64)total, asize, variant->mode);
	if (variant->mode != TVM_MODE_LONG) {
		/* Bits 63:32 are not architectural outside 64-bit mode. */
		want.rsi &= 0xffffffffull, regs.rsi &= 0xffffffffull;
		want.rdi &= 0xffffffffull, regs.rdi &= 0xffffffffull;
		want.rcx &= 0xffffffffull, regs.rcx &= 0xffffffffull;
	}
	ASSERT_EQ(want.rsi, regs.rsi) TH_LOG("RSI");
	ASSERT_EQ(want.rdi, regs.rdi) TH_LOG("RDI");
	ASSERT_EQ(want.rcx, regs.rcx) TH_LOG("RCX");
	ASSERT_EQ(want.rdx, regs.rdx) TH_LOG("RDX");
}

TVM_GUEST_FIXTURE(special)

/* REP with CX = 0: nothing moves, no exit to userspace, RIP moves on. */
TEST_F(special, rep_with_zero_count_does_nothing)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, sm_real_rep_outsb, TVM_MODE_REAL);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	regs.rcx = 0xffff0000;		/* CX = 0; ECX is not the count */
	regs.rsi = 0x600;
	regs.rdx = PORT;
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &regs));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(sm_real_rep_outsb, hlt), vcpu->run->rip);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(0xffff0000, regs.rcx);
	ASSERT_EQ(0x600, regs.rsi);
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_EQ(1, st.userspace_exits);
}

/*
 * Long mode with the first 2 MiB mapped by 4 KiB pages, one of them
 * (GUEST_DATA + 0x10000) not present, and the reporting IDT.
 */
#define HOLE	(GUEST_DATA + 0x10000)

/*
 * Load @s with the hole unmapped; the string runs @count elements from
 * @addr (in RSI for OUTS, RDI for INS, by @index) at port PORT.
 */
static void map_hole(struct __test_metadata *_metadata, struct tvm_guest *g,
		     const struct tvm_snippet *s, size_t index, __u64 addr, __u64 count)
{
	__u64 *pt = tvm_vm_hva(&g->vm, GUEST_PT, TVM_PAGE_SIZE);
	__u64 *pd = tvm_vm_hva(&g->vm, GUEST_TABLES + 0x3000, 8);
	unsigned int i;

	ASSERT_OK(tvm_guest_load(g, s, TVM_MODE_LONG));
	ASSERT_OK(tvm_guest_setup_idt(g, TVM_MODE_LONG));
	ASSERT_NE(NULL, pt);
	ASSERT_NE(NULL, pd);
	for (i = 0; i < 512; i++)
		pt[i] = (__u64)i << 12 | 3;
	pt[HOLE >> 12] = 0;
	pd[0] = GUEST_PT | 3;
	ASSERT_OK(tvm_guest_set_reg(g, index, addr));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rcx), count));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rdx), PORT));
}

/*
 * REP OUTSB of 4 bytes from 2 below the hole: the 2 bytes before it go
 * out, then the guest gets #PF with CR2 at the hole (a read: error code
 * 0), with RSI and RCX saying where the instruction stopped.
 */
TEST_F(special, outs_from_unmapped_page_gets_page_fault)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_run *run = vcpu->run;
	struct tinyvmx_regs regs;

	map_hole(_metadata, &self->g, &TVM_SNIPPET(sm_long_rep_outsb), TVM_REG(rsi),
		 HOLE - 2, 4);
	self->g.ram[HOLE - 2] = 0x11;
	self->g.ram[HOLE - 1] = 0x22;

	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(2, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(0x11, ((__u8 *)run + run->io.data_offset)[0]);
	ASSERT_EQ(0x22, ((__u8 *)run + run->io.data_offset)[1]);
	ASSERT_RUN_EVENT(vcpu, VEC_PF, 0, TVM_SNIPPET_ADDR(sm_long_rep_outsb, insn));
	ASSERT_RUN_OUT(vcpu, PORT_CR2, HOLE);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(HOLE, regs.rsi);
	ASSERT_EQ(2, regs.rcx);
}

/* REP INSB into the hole: #PF for a write (error code 2), CR2 = hole. */
TEST_F(special, ins_to_unmapped_page_gets_page_fault)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_run *run = vcpu->run;
	struct tinyvmx_regs regs;

	map_hole(_metadata, &self->g, &TVM_SNIPPET(sm_long_rep_insb), TVM_REG(rdi),
		 HOLE - 1, 3);

	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(1, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
	((__u8 *)run + run->io.data_offset)[0] = 0x33;
	ASSERT_RUN_EVENT(vcpu, VEC_PF, PF_WRITE, TVM_SNIPPET_ADDR(sm_long_rep_insb, insn));
	ASSERT_RUN_OUT(vcpu, PORT_CR2, HOLE);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(0x33, self->g.ram[HOLE - 1]);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(HOLE, regs.rdi);
	ASSERT_EQ(2, regs.rcx);
}

/* Mapped by the guest but not RAM: UNEXPECTED with reason 30 (uapi). */
TEST_F(special, outs_from_outside_ram_is_unexpected)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;

	TVM_LOAD(&self->g, sm_long_rep_outsb, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rsi), GUEST_MMIO_HIGH));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rcx), 4));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rdx), PORT));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_UNEXPECTED);
	ASSERT_EQ(EXIT_REASON_IO_INSTRUCTION, vcpu->run->unexpected.reason)
		TH_LOG("%s", tvm_exit_desc(vcpu->run));
}

TEST_HARNESS_MAIN
