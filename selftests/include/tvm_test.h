/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tinyvmx selftests.
 */
#ifndef TVM_TEST_H
#define TVM_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "tvm.h"
#include "tvm_guest.h"
#include "tvm_test_util.h"

/*
 * Open /dev/tinyvmx or skip the test, saying what is missing. The device
 * is absent when the module refused to load (no VMX, or VMX disabled by
 * the firmware): the module's own log line says which.
 */
#define TVM_OPEN_DEV_OR_SKIP(fd)					\
	do {								\
		(fd) = tvm_open_dev();					\
		if ((fd) < 0)						\
			SKIP(return, "%s; the kernel log says why the "	\
			     "module is not loaded (no VMX?)",		\
			     tvm_strerror());				\
	} while (0)

/*
 * @expr, a libtinyvmx call, must return 0; otherwise the failure shows the
 * library's message ("Expected 'success' == 'TINYVMX_RUN vCPU 0: ...'").
 * A TH_LOG() may follow for context.
 */
#define ASSERT_OK(expr)							\
	ASSERT_STREQ("success",						\
		     ({ int __r = (expr);				\
			__r ? tvm_strerror() : "success"; }))

/*
 * @expr, a syscall-style call, must fail with -1 and errno @err. Compared
 * as names, so that a failure reads "Expected 'EINVAL' == 'EEXIST'"; a
 * TH_LOG() may follow for context.
 */
#define ASSERT_ERRNO(err, expr)						\
	ASSERT_STREQ(tvm_errno_name(err),				\
		     ({ long __r = (long)(expr);			\
			tvm_result_name(__r, errno); }))

/* Create @g (struct tvm_guest *) or skip when there is no device. */
#define TVM_GUEST_SETUP(g)						\
	do {								\
		tvm_guest_init(g);					\
		TVM_OPEN_DEV_OR_SKIP((g)->dev_fd);			\
		ASSERT_OK(tvm_guest_create(g));				\
	} while (0)

/*
 * "A device, a VM, one vCPU" (KVM's KVM_ONE_VCPU_TEST_SUITE): a fixture
 * @name whose self->g is a one-vCPU VM with RAM at 0, made before each
 * test and destroyed after it. Members the tests need beside it follow
 * the name:
 *	TVM_GUEST_FIXTURE(cpuid, struct tvm_cpuid_table t;)
 * FIXTURE_VARIANT(@name) and its FIXTURE_VARIANT_ADD()s may follow.
 */
#define TVM_GUEST_FIXTURE(name, ...)					\
	FIXTURE(name) {							\
		struct tvm_guest g;					\
		__VA_ARGS__						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		TVM_GUEST_SETUP(&self->g);				\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		tvm_guest_destroy(&self->g);				\
	}

/* A fixture @name whose self->fd is the open device, or the test skips. */
#define TVM_DEV_FIXTURE(name)						\
	FIXTURE(name) {							\
		int fd;							\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		self->fd = -1;						\
		TVM_OPEN_DEV_OR_SKIP(self->fd);				\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		if (self->fd >= 0)					\
			close(self->fd);				\
	}

/* Load a snippet into @g in @mode or fail the test. */
#define TVM_LOAD(g, name, mode)						\
	ASSERT_OK(tvm_guest_load(g, &TVM_SNIPPET(name), mode))

/*
 * @vcpu's last exit must not be a failed GUEST_ASSERT (guest/snippet.h);
 * if it is, the failure reads "Expected 'no guest assertion' == 'guest
 * assertion failed at guest/cr.S:42: ...'".
 */
#define ASSERT_NO_GUEST_ASSERT(vcpu)					\
	ASSERT_STREQ("no guest assertion",				\
		     ({ const char *__ga = tvm_guest_assert_failure(vcpu); \
			__ga ? __ga : "no guest assertion"; }))

/*
 * RUN @vcpu once; it must return 0 with an exit of @reason, and the exit
 * must not be a failed guest assertion.
 */
#define ASSERT_RUN_EXIT(vcpu, reason)					\
	do {								\
		ASSERT_OK(tvm_vcpu_run(vcpu));				\
		ASSERT_NO_GUEST_ASSERT(vcpu);				\
		ASSERT_EQ((__u32)(reason), (vcpu)->run->exit_reason)	\
			TH_LOG("expected a %s exit, got %s",		\
			       tvm_exit_name(reason),			\
			       tvm_exit_desc((vcpu)->run));		\
	} while (0)

/*
 * TR's descriptor type (SDM "System Descriptor Types"): VM entry wants a
 * busy TSS; an available one fails its guest-state checks (SDM 27.3.1.2),
 * which is how tests make an entry fail.
 */
#define TSS_AVAILABLE_32	9
#define TSS_BUSY_32		11

/* Give @vcpu's TR the descriptor type @tss_type, or fail the test. */
#define ASSERT_SET_TR_TYPE(vcpu, tss_type)					\
	do {								\
		struct tinyvmx_sregs __s;				\
									\
		ASSERT_OK(tvm_vcpu_get_sregs(vcpu, &__s));		\
		__s.tr.type = (tss_type);				\
		ASSERT_OK(tvm_vcpu_set_sregs(vcpu, &__s));		\
	} while (0)

/* An I/O exit in @run with these fields, count 1, no string, no rep. */
#define ASSERT_IO(run, dir, _port, _size)				\
	do {								\
		const struct tinyvmx_exit_io *__io = &(run)->io;	\
									\
		ASSERT_EQ(TINYVMX_EXIT_IO, (run)->exit_reason)		\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ((_port), __io->port)				\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ((_size), __io->size)				\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ((dir), __io->direction)			\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ(0, __io->string)				\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ(0, __io->rep)					\
			TH_LOG("%s", tvm_exit_desc(run));		\
		ASSERT_EQ(1, __io->count)				\
			TH_LOG("%s", tvm_exit_desc(run));		\
	} while (0)

/* RUN @vcpu once; the exit must be an OUT of @value to @port. */
#define ASSERT_RUN_OUT(vcpu, _port, _value)				\
	do {								\
		const struct tinyvmx_run *__run = (vcpu)->run;		\
									\
		ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);			\
		ASSERT_EQ(TINYVMX_IO_OUT, __run->io.direction)		\
			TH_LOG("expected OUT %#llx to port %#x, got %s",	\
			       (unsigned long long)(_value), (_port),	\
			       tvm_exit_desc(__run));			\
		ASSERT_EQ((_port), __run->io.port)			\
			TH_LOG("expected OUT %#llx to port %#x, got %s",	\
			       (unsigned long long)(_value), (_port),	\
			       tvm_exit_desc(__run));			\
		ASSERT_EQ((__u64)(_value), __run->io.data)		\
			TH_LOG("expected OUT %#llx to port %#x, got %s",	\
			       (unsigned long long)(_value), (_port),	\
			       tvm_exit_desc(__run));			\
	} while (0)

/*
 * Run mem_real (guest/mem.S), loaded in @g: the host leaves the 16-bit
 * @value in guest RAM, the guest OUTs it to port 0x34 and copies it, and
 * the host sees the copy.
 */
#define ASSERT_MEM_REAL_ROUND_TRIP(g, value)				\
	do {								\
		(g)->ram[GUEST_SCRATCH + 8] = (__u8)(value);		\
		(g)->ram[GUEST_SCRATCH + 9] = (__u8)((value) >> 8);	\
		ASSERT_RUN_EXIT(&(g)->vcpu, TINYVMX_EXIT_IO);		\
		ASSERT_IO((g)->vcpu.run, TINYVMX_IO_OUT, 0x34, 2);	\
		ASSERT_EQ((value), (g)->vcpu.run->io.data);		\
		ASSERT_EQ((__u8)(value), (g)->ram[GUEST_SCRATCH + 16]);	\
		ASSERT_EQ((__u8)((value) >> 8), (g)->ram[GUEST_SCRATCH + 17]); \
	} while (0)

/*
 * The reports of one event by the handlers of tvm_guest_setup_idt(): the
 * vector, the error code (TVM_NO_ERROR for none) and the return RIP.
 */
#define ASSERT_RUN_EVENT(vcpu, vector, error, rip)			\
	do {								\
		ASSERT_RUN_OUT(vcpu, PORT_VECTOR, vector);		\
		ASSERT_RUN_OUT(vcpu, PORT_ERROR, error);		\
		ASSERT_RUN_OUT(vcpu, PORT_RIP, (__u32)(rip));		\
	} while (0)

#endif /* TVM_TEST_H */
