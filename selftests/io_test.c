// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits, in real, 32-bit protected and 64-bit long mode: every
 * field of the exit, the RIP it reports, the value an IN delivers to
 * AL/AX/EAX with the rest of RAX as the SDM says, and a long run of OUTs
 * arriving in order.
 */
#include "tvm_test.h"

#define RAX_PATTERN	0x1122334455667788ull

#define IO_SNIPPETS(m)							\
	TVM_SNIPPET_DECLARE(out_##m, out1, out2, out4, hlt);		\
	TVM_SNIPPET_DECLARE(in_##m, in1, in2, in4, hlt1, hlt2, hlt4)

IO_SNIPPETS(real);
IO_SNIPPETS(prot);
IO_SNIPPETS(long);
TVM_SNIPPET_DECLARE(out_loop, out, hlt);

/* What guest/io.S does, in order. */
static const struct {
	__u16 port;
	__u8 size;
	__u32 data;
} outs[] = {
	{ 0x10, 1, 0x41 }, { 0x1234, 2, 0xbeef }, { 0xabcd, 4, 0xdeadbeef },
};

/* The INs: the port, and the data userspace supplies (junk above @size). */
static const struct {
	__u16 port;
	__u8 size;
	__u64 data;
} ins[] = {
	{ 0x20, 1, 0xfedcba98765432a5ull },
	{ 0x1234, 2, 0xfedcba987654b6c7ull },
	{ 0xabcd, 4, 0xfedcba9889abcdefull },
};

TVM_GUEST_FIXTURE(io)

FIXTURE_VARIANT(io) {
	enum tvm_guest_mode mode;
	struct tvm_snippet out, in;
	const uint8_t *out_at[3], *out_hlt;
	const uint8_t *in_at[3], *in_hlt[3];
};

#define IO_VARIANT(m, mode_)						\
	FIXTURE_VARIANT_ADD(io, m) {					\
		.mode = mode_,						\
		.out = { "out_" #m, out_##m##_start, out_##m##_end },	\
		.in = { "in_" #m, in_##m##_start, in_##m##_end },	\
		.out_at = { out_##m##_out1, out_##m##_out2, out_##m##_out4 }, \
		.out_hlt = out_##m##_hlt,				\
		.in_at = { in_##m##_in1, in_##m##_in2, in_##m##_in4 },	\
		.in_hlt = { in_##m##_hlt1, in_##m##_hlt2, in_##m##_hlt4 }, \
	}

IO_VARIANT(real, TVM_MODE_REAL);
IO_VARIANT(prot, TVM_MODE_PROT);
IO_VARIANT(long, TVM_MODE_LONG);

/* The guest address of @mark, a label inside @s. */
static __u64 guest_addr(const struct tvm_snippet *s, const uint8_t *mark)
{
	return GUEST_CODE + (mark - s->start);
}

TEST_F(io, out_sizes)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	unsigned int i;

	ASSERT_OK(tvm_guest_load(&self->g, &variant->out, variant->mode));
	/* Junk above AL: an OUT reports only what it wrote. */
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rax), RAX_PATTERN));
	for (i = 0; i < ARRAY_SIZE(outs); i++) {
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
		ASSERT_IO(run, TINYVMX_IO_OUT, outs[i].port, outs[i].size);
		ASSERT_EQ(outs[i].data, run->io.data)
			TH_LOG("%s: %s", tvm_mode_name(variant->mode), tvm_exit_desc(run));
		ASSERT_EQ(guest_addr(&variant->out, variant->out_at[i]), run->rip)
			TH_LOG("%s: %s", tvm_mode_name(variant->mode), tvm_exit_desc(run));
	}
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(guest_addr(&variant->out, variant->out_hlt), run->rip);
}

TEST_F(io, in_sizes)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_regs regs;
	__u64 keep, want;
	unsigned int i;

	ASSERT_OK(tvm_guest_load(&self->g, &variant->in, variant->mode));
	for (i = 0; i < ARRAY_SIZE(ins); i++) {
		ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rax), RAX_PATTERN));
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
		ASSERT_IO(run, TINYVMX_IO_IN, ins[i].port, ins[i].size);
		ASSERT_EQ(guest_addr(&variant->in, variant->in_at[i]), run->rip)
			TH_LOG("%s", tvm_exit_desc(run));
		run->io.data = ins[i].data;

		/* The HLT after the IN: RAX now holds what the IN read. */
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
		ASSERT_EQ(guest_addr(&variant->in, variant->in_hlt[i]), run->rip);
		ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
		/*
		 * The IN writes AL, AX or EAX; the rest of RAX is kept, except
		 * that a 32-bit destination zero-extends in 64-bit mode (uapi,
		 * after the SDM's IN).
		 */
		keep = ~0ull << (8 * ins[i].size);
		if (ins[i].size == 4 && variant->mode == TVM_MODE_LONG)
			keep = 0;
		want = (RAX_PATTERN & keep) | (ins[i].data & ~keep & 0xffffffffull);
		ASSERT_EQ(want, regs.rax)
			TH_LOG("%s: %u-byte IN of %#llx into RAX %#llx gave %#llx",
			       tvm_mode_name(variant->mode), ins[i].size,
			       (unsigned long long)ins[i].data, RAX_PATTERN,
			       (unsigned long long)regs.rax);
	}
}

/*
 * SET_REGS between an IN exit and the next RUN cancels the IN (uapi): the
 * guest executes it again, and RAX keeps what SET_REGS put there.
 */
TEST_F(io, in_cancelled_by_set_regs)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_regs regs;

	ASSERT_OK(tvm_guest_load(&self->g, &variant->in, variant->mode));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rax), RAX_PATTERN));
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_IN, ins[0].port, ins[0].size);
	run->io.data = ins[0].data;
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	ASSERT_OK(tvm_vcpu_set_regs(&self->g.vcpu, &regs));

	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_IN, ins[0].port, ins[0].size);
	ASSERT_EQ(guest_addr(&variant->in, variant->in_at[0]), run->rip)
		TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	ASSERT_EQ(RAX_PATTERN, regs.rax);
}

TVM_GUEST_FIXTURE(loop)

/* 10,000 OUTs of 0, 1, 2, ...: each is one exit, none lost or repeated. */
TEST_F_TIMEOUT(loop, out_10000_in_order, 600)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	__u64 out_rip = TVM_SNIPPET_ADDR(out_loop, out);
	__u64 last_count = 0;
	unsigned int i;

	TVM_LOAD(&self->g, out_loop, TVM_MODE_REAL);
	for (i = 0; i < 10000; i++) {
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
		ASSERT_IO(run, TINYVMX_IO_OUT, 0x80, 2);
		ASSERT_EQ(i, run->io.data) TH_LOG("exit %u: %s", i, tvm_exit_desc(run));
		ASSERT_EQ(out_rip, run->rip) TH_LOG("exit %u: %s", i, tvm_exit_desc(run));
		ASSERT_LT(last_count, run->exit_count)
			TH_LOG("exit %u: exit_count went from %llu to %llu", i,
			       (unsigned long long)last_count,
			       (unsigned long long)run->exit_count);
		last_count = run->exit_count;
	}
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(out_loop, hlt), run->rip);
}

TEST_HARNESS_MAIN
