// SPDX-License-Identifier: GPL-2.0
/*
 * GUEST_ASSERT (guest/snippet.h) in each mode: checks that hold cost no
 * exit, and the first that fails is reported with this tree's file name,
 * the line of its GUEST_ASSERT and the values it compared, as
 * ASSERT_RUN_EXIT would print them.
 */
#include <stdio.h>

#include "tvm_test.h"

TVM_SNIPPET_DECLARE(ga_real);
TVM_SNIPPET_DECLARE(ga_prot);
TVM_SNIPPET_DECLARE(ga_long);
TVM_SNIPPET_DECLARE(ga_pass_long);
/* The lines of the failing checks, from guest/assert.S's THIS_LINE(). */
extern const __u32 ga_real_line, ga_prot_line, ga_long_line;

TVM_GUEST_FIXTURE(ga)

FIXTURE_VARIANT(ga) {
	enum tvm_guest_mode mode;
	struct tvm_snippet s;
	const __u32 *line;
	const char *what;	/* the failing check and its values */
};

FIXTURE_VARIANT_ADD(ga, real) {
	TVM_MODE_REAL, TVM_SNIPPET_INIT(ga_real), &ga_real_line,
	"cmp $8, %eax then e is false (eax = 0x7)",
};
FIXTURE_VARIANT_ADD(ga, prot) {
	TVM_MODE_PROT, TVM_SNIPPET_INIT(ga_prot), &ga_prot_line,
	"cmp $7, %eax then b is false (eax = 0x7)",
};
FIXTURE_VARIANT_ADD(ga, long) {
	TVM_MODE_LONG, TVM_SNIPPET_INIT(ga_long), &ga_long_line,
	"cmp %rax, %r9 then e is false (rax = 0x7, r9 = 0xffffffffffffffff)",
};

/* The first exit is the failing check, decoded to its file and line. */
TEST_F(ga, failure_names_file_and_line)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	char want[256];

	ASSERT_OK(tvm_guest_load(&self->g, &variant->s, variant->mode));
	ASSERT_OK(tvm_vcpu_run(vcpu));
	ASSERT_EQ(TINYVMX_EXIT_IO, vcpu->run->exit_reason)
		TH_LOG("%s", tvm_exit_desc(vcpu->run));
	snprintf(want, sizeof(want), "guest assertion failed at guest/assert.S:%u: %s",
		 *variant->line, variant->what);
	ASSERT_STREQ(want, tvm_guest_assert_failure(vcpu));
}

TVM_GUEST_FIXTURE(ga_pass)

/* Checks that hold leave nothing behind: the guest goes on to its HLT. */
TEST_F(ga_pass, holding_checks_reach_hlt)
{
	TVM_LOAD(&self->g, ga_pass_long, TVM_MODE_LONG);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
}

/* Any other exit, even an OUT to the port without the record, is not one. */
TEST_F(ga_pass, other_exits_are_not_assertions)
{
	struct tinyvmx_run *run = self->g.vcpu.run;

	TVM_LOAD(&self->g, ga_pass_long, TVM_MODE_LONG);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(NULL, tvm_guest_assert_failure(&self->g.vcpu));
	/* The same HLT dressed up as an OUT to the port: no record there. */
	run->exit_reason = TINYVMX_EXIT_IO;
	run->io.port = PORT_GUEST_ASSERT;
	run->io.direction = TINYVMX_IO_OUT;
	run->io.string = 0;
	ASSERT_EQ(0, strncmp("OUT to the guest-assertion port",
			     tvm_guest_assert_failure(&self->g.vcpu), 31));
}

TEST_HARNESS_MAIN
