// SPDX-License-Identifier: GPL-2.0
/*
 * Several vCPUs in one VM, each run by its own thread; TINYVMX_KICK of a
 * vCPU spinning in RUN; RUN on a vCPU another thread is running (EBUSY);
 * state ioctls from another thread wait for RUN to end, and never see or
 * leave half-changed state. Meaningful on one CPU, stronger on two.
 */
#include <pthread.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <time.h>

#include "tvm_test.h"

#define NR_VCPUS	4
#define STREAM_LEN	1500
#define STREAM_PORT	0x70
#define RBX_PATTERN	0x0123456789abcdefull

TVM_SNIPPET_DECLARE(smp_stream);
TVM_SNIPPET_DECLARE(smp_spin, loop, out);

FIXTURE(vcpus) {
	struct tvm_guest g;
	struct tvm_vcpu extra[NR_VCPUS];
};

FIXTURE_SETUP(vcpus)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		self->extra[i].fd = -1;
	TVM_GUEST_SETUP(&self->g);
}

FIXTURE_TEARDOWN(vcpus)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		tvm_vcpu_destroy(&self->extra[i]);
	tvm_guest_destroy(&self->g);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A thread running one vCPU; what it saw, for the main thread to check. */
struct runner {
	struct tvm_vcpu *vcpu;
	pthread_t thread;
	int ret;		/* of the last RUN */
	__u32 exit_reason;
	double returned;	/* when RUN returned */
	char error[256];	/* a stream thread's first failure */
	struct tinyvmx_regs regs;
	volatile int done;
};

/* OUT 0, 1, 2, ... to this vCPU's port, in order, then HLT. */
static void *stream_thread(void *arg)
{
	struct runner *r = arg;
	struct tinyvmx_run *run = r->vcpu->run;
	__u16 port = STREAM_PORT + r->vcpu->id;
	unsigned int i;

	for (i = 0; i <= STREAM_LEN; i++) {
		r->ret = tvm_vcpu_run(r->vcpu);
		if (r->ret) {
			snprintf(r->error, sizeof(r->error), "exit %u: %s", i, tvm_strerror());
			return NULL;
		}
		if (i == STREAM_LEN) {
			if (run->exit_reason != TINYVMX_EXIT_HLT)
				snprintf(r->error, sizeof(r->error), "at the end: %s",
					 tvm_exit_desc(run));
			return NULL;
		}
		if (run->exit_reason != TINYVMX_EXIT_IO || run->io.port != port ||
		    run->io.data != i) {
			snprintf(r->error, sizeof(r->error), "exit %u: expected OUT %u to "
				 "port %#x, got %s", i, i, port, tvm_exit_desc(run));
			return NULL;
		}
	}
	return NULL;
}

/* Make vCPU @id of the fixture's VM (0 is self->g.vcpu) run @s in real mode. */
static struct tvm_vcpu *vcpu_with(struct __test_metadata *_metadata,
				  FIXTURE_DATA(vcpus) *self, unsigned int id)
{
	struct tvm_vcpu *v = id ? &self->extra[id] : &self->g.vcpu;

	if (id)
		EXPECT_EQ(0, tvm_vcpu_create(v, &self->g.vm, id)) TH_LOG("%s", tvm_strerror());
	EXPECT_EQ(0, tvm_vcpu_set_real_mode(v, 0, GUEST_CODE)) TH_LOG("%s", tvm_strerror());
	return v;
}

/* Four vCPUs, four threads, four independent streams of 1,500 OUTs. */
TEST_F_TIMEOUT(vcpus, own_port_streams, 600)
{
	struct runner r[NR_VCPUS] = { 0 };
	struct tinyvmx_regs regs;
	unsigned int i;

	ASSERT_LE(NR_VCPUS, tvm_check_cap(self->g.dev_fd, TINYVMX_CAP_MAX_VCPUS));
	ASSERT_OK(tvm_vm_write(&self->g.vm, GUEST_CODE, smp_stream_start,
			       smp_stream_end - smp_stream_start));
	for (i = 0; i < NR_VCPUS; i++) {
		r[i].vcpu = vcpu_with(_metadata, self, i);
		ASSERT_OK(tvm_vcpu_get_regs(r[i].vcpu, &regs));
		regs.rdx = STREAM_PORT + i;
		regs.rcx = STREAM_LEN;
		ASSERT_OK(tvm_vcpu_set_regs(r[i].vcpu, &regs));
	}
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, stream_thread, &r[i]));
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_join(r[i].thread, NULL));
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_STREQ("", r[i].error) TH_LOG("vCPU %u", i);
}

/* One RUN of the spinning guest; when and how it ended. */
static void *spin_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = tvm_vcpu_run(r->vcpu);
	r->returned = now();
	r->exit_reason = r->vcpu->run->exit_reason;
	r->done = 1;
	return NULL;
}

/* GET_REGS from another thread; marks when it got through. */
static void *get_regs_thread(void *arg)
{
	struct runner *r = arg;

	r->ret = tvm_vcpu_get_regs(r->vcpu, &r->regs);
	r->returned = now();
	r->done = 1;
	return NULL;
}

/* Start vCPU 0 spinning in RUN on a thread; return once the guest runs. */
static void start_spinning(struct __test_metadata *_metadata, FIXTURE_DATA(vcpus) *self,
			   struct runner *r)
{
	double t0 = now();

	TVM_LOAD(&self->g, smp_spin, TVM_MODE_REAL);
	/* IF = 1: see exit_test's note on spinning guests with IF = 0. */
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rflags), 0x202));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rbx), RBX_PATTERN));
	r->vcpu = &self->g.vcpu;
	ASSERT_EQ(0, pthread_create(&r->thread, NULL, spin_thread, r));
	while (!((volatile __u8 *)self->g.ram)[GUEST_SCRATCH + 1]) {
		ASSERT_GT(60, now() - t0) TH_LOG("the guest never started");
		usleep(1000);
	}
}

/* Let the spinning guest go on: it must do its OUT, then HLT. */
static void finish_spinning(struct __test_metadata *_metadata, FIXTURE_DATA(vcpus) *self)
{
	self->g.ram[GUEST_SCRATCH] = 1;
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x31, self->g.vcpu.run->io.port);
	ASSERT_EQ(TVM_SNIPPET_ADDR(smp_spin, out), self->g.vcpu.run->rip);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
}

/* KICK makes a RUN spinning on another thread return EINTR within 1 s. */
TEST_F(vcpus, kick_stops_spinning_run)
{
	struct runner r = { 0 };
	double kicked;

	start_spinning(_metadata, self, &r);
	usleep(50000);
	ASSERT_EQ(0, r.done) TH_LOG("RUN returned without a kick: %s",
				    tvm_exit_desc(self->g.vcpu.run));
	kicked = now();
	ASSERT_OK(tvm_vcpu_kick(&self->g.vcpu));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	ASSERT_EQ(-EINTR, r.ret);
	ASSERT_EQ(TINYVMX_EXIT_INTR, r.exit_reason);
	ASSERT_GT(1.0, r.returned - kicked) TH_LOG("RUN took %.3f s to see the kick",
						   r.returned - kicked);
	finish_spinning(_metadata, self);
}

/* A KICK with no RUN in progress makes the next RUN return EINTR at once. */
TEST_F(vcpus, kick_before_run)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_regs regs;

	TVM_LOAD(&self->g, smp_spin, TVM_MODE_REAL);
	ASSERT_OK(tvm_vcpu_kick(vcpu));
	ASSERT_EQ(-EINTR, tvm_vcpu_run(vcpu));
	ASSERT_EQ(TINYVMX_EXIT_INTR, vcpu->run->exit_reason);
	ASSERT_EQ(0, self->g.ram[GUEST_SCRATCH + 1]) TH_LOG("the guest ran");
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &regs));
	ASSERT_EQ(GUEST_CODE, regs.rip);
	/* Only one RUN: the next one runs the guest. */
	self->g.ram[GUEST_SCRATCH] = 1;
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x31, vcpu->run->io.port);
	ASSERT_EQ(1, self->g.ram[GUEST_SCRATCH + 1]);
}

/* RUN on a vCPU that another thread is running: EBUSY, and no harm. */
TEST_F(vcpus, second_run_is_ebusy)
{
	struct runner r = { 0 };

	start_spinning(_metadata, self, &r);
	ASSERT_ERRNO(EBUSY, ioctl(self->g.vcpu.fd, TINYVMX_RUN, 0));
	ASSERT_EQ(0, r.done);
	ASSERT_OK(tvm_vcpu_kick(&self->g.vcpu));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	ASSERT_EQ(-EINTR, r.ret);
	finish_spinning(_metadata, self);
}

/*
 * GET_REGS while RUN spins waits for RUN to end (after a kick) and then
 * sees the guest's registers whole: RIP in the spin loop, RBX as set.
 */
TEST_F(vcpus, get_regs_waits_for_run)
{
	struct runner r = { 0 }, q = { 0 };
	__u64 loop = TVM_SNIPPET_ADDR(smp_spin, loop);
	double kicked;

	start_spinning(_metadata, self, &r);
	q.vcpu = &self->g.vcpu;
	ASSERT_EQ(0, pthread_create(&q.thread, NULL, get_regs_thread, &q));
	usleep(300000);
	ASSERT_EQ(0, q.done) TH_LOG("GET_REGS returned while RUN was in progress");
	kicked = now();
	ASSERT_OK(tvm_vcpu_kick(&self->g.vcpu));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	ASSERT_EQ(0, pthread_join(q.thread, NULL));
	ASSERT_EQ(-EINTR, r.ret);
	ASSERT_EQ(0, q.ret) TH_LOG("%s", tvm_strerror());
	/* RUN releases the vCPU before its thread sees the return: compare
	 * with the kick, which came first.
	 */
	ASSERT_LE(kicked, q.returned);
	ASSERT_EQ(RBX_PATTERN, q.regs.rbx);
	ASSERT_LE(loop, q.regs.rip);
	ASSERT_GT(TVM_SNIPPET_ADDR(smp_spin, out), q.regs.rip);
	finish_spinning(_metadata, self);
}

/* One vCPU kicked while the others go on with their streams. */
TEST_F_TIMEOUT(vcpus, kick_one_of_several, 600)
{
	struct runner r = { 0 }, s[NR_VCPUS] = { 0 };
	struct tinyvmx_regs regs;
	unsigned int i;

	ASSERT_OK(tvm_vm_write(&self->g.vm, GUEST_CODE + 0x800, smp_stream_start,
			       smp_stream_end - smp_stream_start));
	for (i = 1; i < NR_VCPUS; i++) {
		s[i].vcpu = vcpu_with(_metadata, self, i);
		ASSERT_OK(tvm_vcpu_set_real_mode(s[i].vcpu, 0, GUEST_CODE + 0x800));
		ASSERT_OK(tvm_vcpu_get_regs(s[i].vcpu, &regs));
		regs.rdx = STREAM_PORT + i;
		regs.rcx = STREAM_LEN;
		ASSERT_OK(tvm_vcpu_set_regs(s[i].vcpu, &regs));
	}
	start_spinning(_metadata, self, &r);
	for (i = 1; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&s[i].thread, NULL, stream_thread, &s[i]));
	ASSERT_OK(tvm_vcpu_kick(&self->g.vcpu));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	ASSERT_EQ(-EINTR, r.ret);
	for (i = 1; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_join(s[i].thread, NULL));
	for (i = 1; i < NR_VCPUS; i++)
		ASSERT_STREQ("", s[i].error) TH_LOG("vCPU %u", i);
	finish_spinning(_metadata, self);
}

TEST_HARNESS_MAIN
