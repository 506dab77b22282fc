// SPDX-License-Identifier: GPL-2.0
/*
 * TINYVMX_GET_STATS: a vCPU's exit counters agree with the exits the test
 * saw, by VMX basic exit reason.
 */
#include <sys/ioctl.h>

#include "tvm_test.h"


TVM_SNIPPET_DECLARE(out_real);
TVM_SNIPPET_DECLARE(fail_prot);

TVM_GUEST_FIXTURE(stats)

static __u64 sum(const __u64 *v, unsigned int n)
{
	__u64 s = 0;

	while (n--)
		s += v[n];
	return s;
}

TEST_F(stats, fresh_vcpu_all_zero)
{
	struct tinyvmx_vcpu_stats st;

	ASSERT_OK(tvm_vcpu_get_stats(&self->g.vcpu, &st));
	ASSERT_EQ(0, st.exits);
	ASSERT_EQ(0, st.userspace_exits);
	ASSERT_EQ(0, st.failed_entries);
	ASSERT_EQ(0, sum(st.by_reason, TINYVMX_NR_VMX_EXIT_REASONS));
}

TEST_F(stats, flags_nonzero)
{
	struct tinyvmx_vcpu_stats st = { .flags = 1 };

	ASSERT_ERRNO(EINVAL, ioctl(self->g.vcpu.fd, TINYVMX_GET_STATS, &st));
}

/* Three OUTs and a HLT: four returns, counted by reason. */
TEST_F(stats, io_and_hlt_counted)
{
	struct tinyvmx_vcpu_stats st;
	int i;

	TVM_LOAD(&self->g, out_real, TVM_MODE_REAL);
	for (i = 0; i < 3; i++)
		ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_stats(&self->g.vcpu, &st));
	ASSERT_EQ(4, st.userspace_exits);
	ASSERT_EQ(3, st.by_reason[EXIT_REASON_IO_INSTRUCTION]);
	ASSERT_EQ(1, st.by_reason[EXIT_REASON_HLT]);
	ASSERT_EQ(0, st.failed_entries);
	/* Interrupts may add exits the test never saw, but never remove any. */
	ASSERT_LE(4, st.exits);
	ASSERT_EQ(st.exits, sum(st.by_reason, TINYVMX_NR_VMX_EXIT_REASONS));
	ASSERT_EQ(st.exits, self->g.vcpu.run->exit_count);
	ASSERT_EQ(0, sum(st.reserved, ARRAY_SIZE(st.reserved)));
}

TEST_F(stats, failed_entry_counted)
{
	struct tinyvmx_vcpu_stats st;

	TVM_LOAD(&self->g, fail_prot, TVM_MODE_PROT);
	ASSERT_SET_TR_TYPE(&self->g.vcpu, TSS_AVAILABLE_32);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_FAIL_ENTRY);
	ASSERT_OK(tvm_vcpu_get_stats(&self->g.vcpu, &st));
	ASSERT_EQ(1, st.failed_entries);
	ASSERT_EQ(1, st.userspace_exits);
	ASSERT_EQ(1, st.by_reason[EXIT_REASON_INVALID_STATE]);
}

TEST_HARNESS_MAIN
