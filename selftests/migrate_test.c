// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU whose thread moves between host CPUs: the VMCS must be cleared
 * on the old CPU and loaded on the new one with that CPU's host state
 * (SDM "VMCS Data Organization" and "Loading and Clearing a VMCS"). The
 * guest checks its own registers and XMM state on every iteration and
 * reports a running checksum; the test moves the thread on every exit,
 * and takes the vCPU's last CPU offline and online again under it.
 * Both need two online CPUs.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>

#include "tvm_mig.h"
#include "tvm_test.h"

#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;
	return sched_getcpu() == cpu ? 0 : -1;
}

static void unpin(void)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

#define NEEDS_TWO_CPUS()						\
	do {								\
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2)			\
			SKIP(return, "needs 2 online CPUs");		\
	} while (0)

/* RUN until the next report; it must be the one @m predicts. */
#define ASSERT_REPORT(g, m, what, i)					\
	do {								\
		__u32 __want = tvm_mig_next(m);				\
		struct tinyvmx_run *__run = (g)->vcpu.run;		\
									\
		ASSERT_RUN_EXIT(&(g)->vcpu, TINYVMX_EXIT_IO);		\
		ASSERT_EQ(MIG_PORT_REPORT, __run->io.port)		\
			TH_LOG("%s %u: %s", what, i, tvm_exit_desc(__run)); \
		ASSERT_EQ(__want, __run->io.data)			\
			TH_LOG("%s %u: report %#llx, expected %#x", what, i, \
			       (unsigned long long)__run->io.data, __want); \
	} while (0)

FIXTURE(mig) {
	struct tvm_guest g;
	struct tvm_mig m;
};

FIXTURE_SETUP(mig)
{
	TVM_GUEST_SETUP(&self->g);
	ASSERT_OK(tvm_mig_load(&self->g, &self->m, 0x0123456789abcdefull));
}

FIXTURE_TEARDOWN(mig)
{
	FILE *f = fopen(CPU1_ONLINE, "w");

	/* Whatever happened, leave CPU 1 online. */
	if (f) {
		fputs("1", f);
		fclose(f);
	}
	unpin();
	tvm_guest_destroy(&self->g);
}

/* 5,000 exits, the thread on CPU 0 and 1 in turn; every report right. */
TEST_F_TIMEOUT(mig, flip_cpu_every_exit, 900)
{
	struct tinyvmx_regs r;
	unsigned int i, moves = 0;

	NEEDS_TWO_CPUS();
	for (i = 0; i < 5000; i++) {
		ASSERT_EQ(0, pin(i & 1)) TH_LOG("pin to CPU %u: %s", i & 1, strerror(errno));
		moves++;
		ASSERT_REPORT(&self->g, &self->m, "exit", i);
	}
	ASSERT_EQ(5000, moves);
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &r));
	ASSERT_EQ(self->m.iter, r.r8);
	ASSERT_EQ(self->m.state, r.r9);
}

static int set_cpu1_online(int online)
{
	FILE *f = fopen(CPU1_ONLINE, "w");
	int r;

	if (!f)
		return -1;
	r = fputs(online ? "1" : "0", f) < 0;
	return fclose(f) || r ? -1 : 0;
}

/*
 * The vCPU last ran on CPU 1; CPU 1 goes offline (the module must clear
 * the VMCS there and leave VMX on it), the vCPU runs on CPU 0, CPU 1 comes
 * back, the vCPU runs there and on CPU 0 again; a new VM runs on CPU 1.
 */
TEST_F_TIMEOUT(mig, cpu_hotplug_under_a_vm, 600)
{
	struct tvm_guest g2;
	struct tvm_mig m2;
	unsigned int i;

	NEEDS_TWO_CPUS();
	if (access(CPU1_ONLINE, W_OK))
		SKIP(return, "%s is not writable: CPU 1 cannot go offline here",
		     CPU1_ONLINE);
	ASSERT_EQ(0, pin(1));
	for (i = 0; i < 50; i++)
		ASSERT_REPORT(&self->g, &self->m, "on CPU 1, exit", i);
	ASSERT_EQ(0, pin(0));
	ASSERT_EQ(0, set_cpu1_online(0)) TH_LOG("offline CPU 1: %s", strerror(errno));
	for (i = 0; i < 50; i++)
		ASSERT_REPORT(&self->g, &self->m, "CPU 1 offline, exit", i);
	ASSERT_EQ(0, set_cpu1_online(1)) TH_LOG("online CPU 1: %s", strerror(errno));
	ASSERT_EQ(0, pin(1));
	for (i = 0; i < 50; i++)
		ASSERT_REPORT(&self->g, &self->m, "back on CPU 1, exit", i);
	ASSERT_EQ(0, pin(0));
	for (i = 0; i < 50; i++)
		ASSERT_REPORT(&self->g, &self->m, "back on CPU 0, exit", i);

	/* A VM made after the hotplug works on the CPU that came back. */
	ASSERT_EQ(0, pin(1));
	TVM_GUEST_SETUP(&g2);
	ASSERT_OK(tvm_mig_load(&g2, &m2, 42));
	for (i = 0; i < 50; i++)
		ASSERT_REPORT(&g2, &m2, "new VM on CPU 1, exit", i);
	tvm_guest_destroy(&g2);
	ASSERT_EQ(0, pin(0));
	for (i = 0; i < 10; i++)
		ASSERT_REPORT(&self->g, &self->m, "first VM at the end, exit", i);
}

TEST_HARNESS_MAIN
