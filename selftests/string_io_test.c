// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS, with and without REP: the elements travel through the run
 * mapping at io.data_offset, and the next RUN moves them and updates
 * RSI/RDI/RCX as the instruction would; a long REP arrives in batches of
 * at most TINYVMX_RUN_DATA_SIZE bytes, in order.
 */
#include "tvm_test.h"

TVM_SNIPPET_DECLARE(str_real, outsb, rep_outsb, rep_insw);
TVM_SNIPPET_DECLARE(str_big_real, rep_outsb);

TVM_GUEST_FIXTURE(str)

/* A string I/O exit with these fields whose data fits the run mapping. */
#define ASSERT_STRING_IO(vcpu, dir, _port, _size, _rep)			\
	do {								\
		const struct tinyvmx_run *__run = (vcpu)->run;		\
		const struct tinyvmx_exit_io *__io = &__run->io;	\
									\
		ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);			\
		ASSERT_EQ(1, __io->string) TH_LOG("%s", tvm_exit_desc(__run)); \
		ASSERT_EQ((_rep), __io->rep) TH_LOG("%s", tvm_exit_desc(__run)); \
		ASSERT_EQ((dir), __io->direction)			\
			TH_LOG("%s", tvm_exit_desc(__run));		\
		ASSERT_EQ((_port), __io->port) TH_LOG("%s", tvm_exit_desc(__run)); \
		ASSERT_EQ((_size), __io->size) TH_LOG("%s", tvm_exit_desc(__run)); \
		ASSERT_LE(1, __io->count) TH_LOG("%s", tvm_exit_desc(__run)); \
		ASSERT_GE(TINYVMX_RUN_DATA_SIZE, (__u64)__io->count * __io->size) \
			TH_LOG("%s", tvm_exit_desc(__run));		\
		ASSERT_LE(sizeof(struct tinyvmx_run), __io->data_offset) \
			TH_LOG("%s", tvm_exit_desc(__run));		\
		ASSERT_GE((vcpu)->run_size,				\
			  __io->data_offset + (__u64)__io->count * __io->size) \
			TH_LOG("%s", tvm_exit_desc(__run));		\
	} while (0)

static uint8_t *io_data(struct tinyvmx_run *run)
{
	return (uint8_t *)run + run->io.data_offset;
}

TEST_F(str, outs_and_ins)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_run *run = vcpu->run;
	struct tinyvmx_regs regs;
	uint8_t words[16];
	int i;

	for (i = 0; i < 17; i++)
		self->g.ram[0x600 + i] = 0xa0 + i;
	for (i = 0; i < 16; i++)
		words[i] = 0x30 + i;
	TVM_LOAD(&self->g, str_real, TVM_MODE_REAL);

	ASSERT_STRING_IO(vcpu, TINYVMX_IO_OUT, 0x40, 1, 0);
	ASSERT_EQ(1, run->io.count);
	ASSERT_EQ(TVM_SNIPPET_ADDR(str_real, outsb), run->rip);
	ASSERT_EQ(0xa0, io_data(run)[0]);

	ASSERT_STRING_IO(vcpu, TINYVMX_IO_OUT, 0x40, 1, 1);
	ASSERT_EQ(16, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(TVM_SNIPPET_ADDR(str_real, rep_outsb), run->rip);
	ASSERT_EQ(0, memcmp(io_data(run), self->g.ram + 0x601, 16));

	ASSERT_STRING_IO(vcpu, TINYVMX_IO_IN, 0x40, 2, 1);
	ASSERT_EQ(8, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(TVM_SNIPPET_ADDR(str_real, rep_insw), run->rip);
	memcpy(io_data(run), words, sizeof(words));

	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(0, memcmp(self->g.ram + 0x700, words, sizeof(words)));
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(0x611, regs.rsi & 0xffff);
	ASSERT_EQ(0x710, regs.rdi & 0xffff);
	ASSERT_EQ(0, regs.rcx & 0xffff);
}

/* 6000 bytes: several exits, each at the REP, together the whole buffer. */
TEST_F(str, rep_outs_in_batches)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_run *run = vcpu->run;
	struct tinyvmx_regs regs;
	unsigned int done = 0, exits = 0, i;

	for (i = 0; i < 6000; i++)
		self->g.ram[0x2000 + i] = i * 7 + (i >> 8);
	TVM_LOAD(&self->g, str_big_real, TVM_MODE_REAL);
	while (done < 6000) {
		ASSERT_STRING_IO(vcpu, TINYVMX_IO_OUT, 0x41, 1, 1);
		ASSERT_EQ(TVM_SNIPPET_ADDR(str_big_real, rep_outsb), run->rip);
		ASSERT_GE(6000 - done, run->io.count) TH_LOG("%s", tvm_exit_desc(run));
		ASSERT_EQ(0, memcmp(io_data(run), self->g.ram + 0x2000 + done,
				    run->io.count))
			TH_LOG("batch %u at byte %u", exits, done);
		done += run->io.count;
		exits++;
	}
	ASSERT_LE(2, exits);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(0x2000 + 6000, regs.rsi & 0xffff);
	ASSERT_EQ(0, regs.rcx & 0xffff);
}

TEST_HARNESS_MAIN
