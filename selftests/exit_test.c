// SPDX-License-Identifier: GPL-2.0
/*
 * The exits other than I/O and MMIO: HLT, SHUTDOWN (triple fault),
 * FAIL_ENTRY (invalid guest state), and INTR from a signal or from
 * run->immediate_exit.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "tvm_test.h"

TVM_SNIPPET_DECLARE(hlt_real, hlt, out);
TVM_SNIPPET_DECLARE(triple_real);
TVM_SNIPPET_DECLARE(spin_real, out);
TVM_SNIPPET_DECLARE(immediate_real, out);
TVM_SNIPPET_DECLARE(fail_prot);

TVM_GUEST_FIXTURE(guest)

/*
 * HLT exits with run->rip at the HLT (the RIP of the exit) and the
 * guest's RIP already past it (uapi), and the guest resumes there.
 */
TEST_F(guest, hlt)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, hlt_real, TVM_MODE_REAL);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_EQ(TVM_SNIPPET_ADDR(hlt_real, hlt), run->rip)
		TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	ASSERT_EQ(TVM_SNIPPET_ADDR(hlt_real, hlt) + 1, regs.rip);

	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_OUT, 0x30, 1);
	ASSERT_EQ(TVM_SNIPPET_ADDR(hlt_real, out), run->rip);
}

/* A triple fault is SHUTDOWN, and stays SHUTDOWN on the next RUN. */
TEST_F(guest, triple_fault_shutdown)
{
	TVM_LOAD(&self->g, triple_real, TVM_MODE_REAL);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_SHUTDOWN);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_SHUTDOWN);
}

/* After a SHUTDOWN, new registers make the vCPU run again (uapi). */
TEST_F(guest, shutdown_then_reload_runs)
{
	TVM_LOAD(&self->g, triple_real, TVM_MODE_REAL);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_SHUTDOWN);
	TVM_LOAD(&self->g, hlt_real, TVM_MODE_REAL);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
}

/*
 * SET_SREGS does not check segments, so the CPU's guest-state checks
 * catch it: FAIL_ENTRY, kind GUEST_STATE, basic exit reason 33.
 */
TEST_F(guest, invalid_guest_state_fail_entry)
{
	struct tinyvmx_run *run = self->g.vcpu.run;

	TVM_LOAD(&self->g, fail_prot, TVM_MODE_PROT);
	ASSERT_SET_TR_TYPE(&self->g.vcpu, TSS_AVAILABLE_32);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_FAIL_ENTRY);
	ASSERT_EQ(TINYVMX_FAIL_GUEST_STATE, run->fail_entry.kind)
		TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(EXIT_REASON_INVALID_STATE, run->fail_entry.hardware_reason)
		TH_LOG("%s", tvm_exit_desc(run));
}

/* A failed entry leaves the vCPU usable: fix the state and it runs. */
TEST_F(guest, fail_entry_then_fixed_state_runs)
{
	struct tinyvmx_run *run = self->g.vcpu.run;

	TVM_LOAD(&self->g, fail_prot, TVM_MODE_PROT);
	ASSERT_SET_TR_TYPE(&self->g.vcpu, TSS_AVAILABLE_32);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_FAIL_ENTRY);
	ASSERT_SET_TR_TYPE(&self->g.vcpu, TSS_BUSY_32);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_OUT, 0x33, 1);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/*
 * A guest spinning with no exits is interrupted by a signal: RUN returns
 * EINTR with exit reason INTR. The handler is installed without
 * SA_RESTART, so the ioctl is not restarted behind our back. Then the
 * guest, told to stop spinning, continues where it was. @rflags is the
 * guest's: external interrupts must reach the host whatever the guest's IF.
 */
static void spin_until_signal(struct __test_metadata *_metadata,
			      struct tvm_guest *g, __u64 rflags)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct tinyvmx_run *run = g->vcpu.run;
	int r;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	TVM_LOAD(g, spin_real, TVM_MODE_REAL);
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rflags), rflags));
	/* 20 ms: a busy CPU in Bochs runs guest time ~200x slower than wall time. */
	ualarm(20000, 0);
	r = tvm_vcpu_run(&g->vcpu);
	alarm(0);
	ASSERT_EQ(-EINTR, r) TH_LOG("RUN: %s; %s", r ? tvm_strerror() : "returned 0",
				    tvm_exit_desc(run));
	ASSERT_EQ(1, alarms);
	ASSERT_EQ(TINYVMX_EXIT_INTR, run->exit_reason) TH_LOG("%s", tvm_exit_desc(run));

	g->ram[GUEST_SCRATCH] = 1;
	ASSERT_RUN_EXIT(&g->vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_OUT, 0x31, 1);
	ASSERT_EQ(TVM_SNIPPET_ADDR(spin_real, out), run->rip);
}

/* Guest IF=1 (nothing is injected: the guest never takes an interrupt). */
TEST_F(guest, signal_interrupts_spinning_guest)
{
	spin_until_signal(_metadata, &self->g, 0x202);
}

/*
 * Guest IF=0, as after reset. With external-interrupt exiting, the guest's
 * IF does not matter on hardware (SDM 25.2 "Other Causes of VM Exits").
 * Bochs 2.7 gets this wrong when the host entered with interrupts off and
 * the guest's IF is 0 too: no host interrupt ever exits. The module's
 * VMX-preemption timer bounds each entry, which this test depends on.
 */
TEST_F(guest, signal_interrupts_spinning_guest_if0)
{
	spin_until_signal(_metadata, &self->g, 0x2);
}

/* immediate_exit = 1: EINTR before the guest runs one instruction. */
TEST_F(guest, immediate_exit)
{
	struct tinyvmx_run *run = self->g.vcpu.run;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, immediate_real, TVM_MODE_REAL);
	run->immediate_exit = 1;
	ASSERT_EQ(-EINTR, tvm_vcpu_run(&self->g.vcpu)) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_EQ(TINYVMX_EXIT_INTR, run->exit_reason) TH_LOG("%s", tvm_exit_desc(run));
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &regs));
	ASSERT_EQ(GUEST_CODE, regs.rip);
	/* It stays set until userspace clears it. */
	ASSERT_EQ(-EINTR, tvm_vcpu_run(&self->g.vcpu)) TH_LOG("%s", tvm_exit_desc(run));

	run->immediate_exit = 0;
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_IO(run, TINYVMX_IO_OUT, 0x32, 1);
	ASSERT_EQ(TVM_SNIPPET_ADDR(immediate_real, out), run->rip);
}

TEST_HARNESS_MAIN
