// SPDX-License-Identifier: GPL-2.0
/*
 * The module and its neighbours: tinyvmx cannot be unloaded while anything
 * of it is in use, and it shares VMX with kvm_intel as issue 3 says: on
 * kernels where KVM holds VMX from load time (kvm.enable_virt_at_load=Y,
 * 6.12) VM creation fails with EBUSY; where it does not (6.1, no such
 * parameter) tinyvmx runs guests beside a loaded kvm_intel.
 *
 * None of these tests unloads tinyvmx when it passes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "tvm_test.h"

#define KVM_LOAD	"/tinyvmx/bin/kvm-load"
#define KVM_UNLOAD	"/tinyvmx/bin/kvm-unload"
#define VIRT_AT_LOAD	"/sys/module/kvm/parameters/enable_virt_at_load"

TVM_SNIPPET_DECLARE(hlt_real);

/*
 * delete_module("tinyvmx", O_NONBLOCK): 0 if the module went away (a
 * failure for every caller here), else -1 with errno.
 */
static long try_rmmod(void)
{
	return syscall(SYS_delete_module, "tinyvmx", O_NONBLOCK);
}

/* Refused because it is in use: EWOULDBLOCK (= EAGAIN) or EBUSY. */
#define ASSERT_RMMOD_REFUSED()						\
	do {								\
		long __r = try_rmmod();					\
		int __e = errno;					\
									\
		if (__r && __e == EPERM)				\
			SKIP(return, "delete_module needs CAP_SYS_MODULE"); \
		ASSERT_EQ(-1, __r)					\
			TH_LOG("tinyvmx was unloaded while in use");	\
		ASSERT_TRUE(__e == EWOULDBLOCK || __e == EBUSY)		\
			TH_LOG("delete_module: %s", tvm_errno_name(__e)); \
	} while (0)

/* Create @vm, then close the device fd: the VM is all that is left open. */
#define VM_WITHOUT_DEV(vm)						\
	do {								\
		int __fd;						\
									\
		TVM_OPEN_DEV_OR_SKIP(__fd);				\
		ASSERT_OK(tvm_vm_create(vm, __fd));			\
		close(__fd);						\
	} while (0)

TEST(rmmod_refused_while_dev_open)
{
	int fd;

	TVM_OPEN_DEV_OR_SKIP(fd);
	ASSERT_RMMOD_REFUSED();
	ASSERT_EQ(TINYVMX_API_VERSION, tvm_api_version(fd));
	close(fd);
}

/* The VM fd alone, with the device closed, keeps the module in. */
TEST(rmmod_refused_while_vm_open)
{
	struct tvm_vm vm = { .fd = -1 };
	struct tvm_vcpu vcpu = { .fd = -1 };

	VM_WITHOUT_DEV(&vm);
	ASSERT_RMMOD_REFUSED();
	/* And the VM still works. */
	ASSERT_OK(tvm_vcpu_create(&vcpu, &vm, 0));
	tvm_vcpu_destroy(&vcpu);
	tvm_vm_destroy(&vm);
}

/* A mapping of guest RAM, with every fd closed, keeps the module in. */
TEST(rmmod_refused_while_ram_mapped)
{
	struct tvm_vm vm = { .fd = -1 };
	void *ram;

	VM_WITHOUT_DEV(&vm);
	ASSERT_OK(tvm_vm_add_mem(&vm, 0, 0, 4 * TVM_PAGE_SIZE, &ram));
	close(vm.fd);
	vm.fd = -1;
	ASSERT_RMMOD_REFUSED();
	memset(ram, 0x5a, 4 * TVM_PAGE_SIZE);
	tvm_vm_destroy(&vm);
}

/* A mapping of a run struct, with every fd closed, keeps the module in. */
TEST(rmmod_refused_while_run_mapped)
{
	struct tvm_vm vm = { .fd = -1 };
	struct tvm_vcpu vcpu = { .fd = -1 };

	VM_WITHOUT_DEV(&vm);
	ASSERT_OK(tvm_vcpu_create(&vcpu, &vm, 0));
	tvm_vm_destroy(&vm);
	close(vcpu.fd);
	vcpu.fd = -1;
	ASSERT_RMMOD_REFUSED();
	ASSERT_EQ(TINYVMX_RUN_VERSION, vcpu.run->version);
	tvm_vcpu_destroy(&vcpu);
}

/* ---- kvm_intel ----------------------------------------------------------- */

/* 1 if KVM turns VMX on when loaded, 0 if not, -1 if KVM is not loaded. */
static int kvm_virt_at_load(void)
{
	char c = 0;
	int fd;

	if (access("/sys/module/kvm", F_OK))
		return -1;
	fd = open(VIRT_AT_LOAD, O_RDONLY);
	if (fd < 0)
		return 0;	/* before 6.12: VMX only while a KVM VM runs */
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y' || c == 'y' || c == '1';
}

/* A guest that runs to its HLT, through @dev_fd. */
#define ASSERT_GUEST_RUNS(fd)					\
	do {								\
		struct tvm_guest __g;					\
									\
		tvm_guest_init(&__g);					\
		__g.dev_fd = dup(fd);				\
		ASSERT_OK(tvm_guest_create(&__g));			\
		ASSERT_OK(tvm_guest_load(&__g, &TVM_SNIPPET(hlt_real),	\
					 TVM_MODE_REAL));		\
		ASSERT_RUN_EXIT(&__g.vcpu, TINYVMX_EXIT_HLT);		\
		tvm_guest_destroy(&__g);				\
	} while (0)

FIXTURE(kvm) {
	int dev_fd;
};

FIXTURE_SETUP(kvm)
{
	self->dev_fd = -1;
	if (access(KVM_LOAD, X_OK))
		SKIP(return, "no %s: not in the test machine", KVM_LOAD);
	TVM_OPEN_DEV_OR_SKIP(self->dev_fd);
	ASSERT_EQ(-1, kvm_virt_at_load()) TH_LOG("kvm is loaded before the test");
}

FIXTURE_TEARDOWN(kvm)
{
	if (self->dev_fd >= 0)
		close(self->dev_fd);
	if (system(KVM_UNLOAD " >/dev/null 2>&1"))
		TH_LOG("%s failed", KVM_UNLOAD);
}

TEST_F(kvm, create_vm_beside_kvm_intel)
{
	int virt;

	ASSERT_EQ(0, system(KVM_LOAD)) TH_LOG("kvm_intel did not load");
	virt = kvm_virt_at_load();
	ASSERT_LE(0, virt) TH_LOG("kvm is not loaded after %s", KVM_LOAD);
	if (virt) {
		/* KVM holds VMX (CR4.VMXE): tinyvmx must step back. */
		ASSERT_ERRNO(EBUSY, ioctl(self->dev_fd, TINYVMX_CREATE_VM, 0));
	} else {
		ASSERT_GUEST_RUNS(self->dev_fd);
	}
}

/* After kvm_intel is gone, tinyvmx gets VMX again. */
TEST_F(kvm, vm_runs_after_kvm_unload)
{
	ASSERT_EQ(0, system(KVM_LOAD)) TH_LOG("kvm_intel did not load");
	ASSERT_EQ(0, system(KVM_UNLOAD)) TH_LOG("kvm_intel did not unload");
	ASSERT_GUEST_RUNS(self->dev_fd);
}

/*
 * kvm_intel loaded while a tinyvmx VM exists: on 6.12 KVM sees CR4.VMXE
 * (through the kernel's CR4 shadow) and refuses to load; on 6.1 it loads
 * without touching VMX. Either way the tinyvmx guest keeps running.
 */
TEST_F(kvm, kvm_load_beside_running_vm)
{
	struct tvm_guest g;
	int r;

	tvm_guest_init(&g);
	g.dev_fd = dup(self->dev_fd);
	ASSERT_OK(tvm_guest_create(&g));
	ASSERT_OK(tvm_guest_load(&g, &TVM_SNIPPET(hlt_real), TVM_MODE_REAL));
	ASSERT_RUN_EXIT(&g.vcpu, TINYVMX_EXIT_HLT);
	r = system(KVM_LOAD " 2>/dev/null");
	TH_LOG("%s beside a tinyvmx VM: %s", KVM_LOAD, r ? "refused" : "loaded");
	/* The guest continues past its HLT to an OUT. */
	ASSERT_RUN_EXIT(&g.vcpu, TINYVMX_EXIT_IO);
	tvm_guest_destroy(&g);
}

TEST_HARNESS_MAIN
