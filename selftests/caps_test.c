// SPDX-License-Identifier: GPL-2.0
/*
 * Capabilities and the run struct's header: the values userspace sizes
 * itself by must be sane, and unknown capabilities must read as absent.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "tvm_test.h"

TVM_DEV_FIXTURE(dev)

/* CHECK_CAP or fail the test; a capability never fails, only reads 0. */
#define CAP(cap)							\
	({								\
		int __v = tvm_check_cap(self->fd, (cap));		\
		ASSERT_LE(0, __v) TH_LOG("%s", tvm_strerror());		\
		__v;							\
	})

TEST_F(dev, max_vcpus_at_least_one)
{
	ASSERT_LE(1, CAP(TINYVMX_CAP_MAX_VCPUS));
}

TEST_F(dev, max_mem_regions_at_least_one)
{
	ASSERT_LE(1, CAP(TINYVMX_CAP_MAX_MEM_REGIONS));
}

TEST_F(dev, gpa_bits_in_range)
{
	int bits = CAP(TINYVMX_CAP_GPA_BITS);

	ASSERT_LE(32, bits);
	ASSERT_GE(52, bits);
}

/* A region can be at least a page and at most the guest-physical space. */
TEST_F(dev, max_mem_shift_in_range)
{
	int shift = CAP(TINYVMX_CAP_MAX_MEM_SHIFT);

	ASSERT_LE(12, shift);
	ASSERT_GE(CAP(TINYVMX_CAP_GPA_BITS), shift);
}

TEST_F(dev, immediate_exit_offered)
{
	ASSERT_LT(0, CAP(TINYVMX_CAP_IMMEDIATE_EXIT));
}

TEST_F(dev, mmio_decode_offered)
{
	ASSERT_LT(0, CAP(TINYVMX_CAP_MMIO_DECODE));
}

TEST_F(dev, run_version_matches_header)
{
	ASSERT_EQ(TINYVMX_RUN_VERSION, CAP(TINYVMX_CAP_RUN_VERSION));
}

/*
 * One version, from the tree's VERSION file, everywhere: the capability,
 * modinfo's (/sys/module/tinyvmx/version) and the tree these tests were
 * built from. DKMS installs the module under the same version.
 */
TEST_F(dev, module_version_matches_modinfo_and_tree)
{
	int code = CAP(TINYVMX_CAP_MODULE_VERSION);
	char sysfs[32] = "", cap[32];
	FILE *f;

	ASSERT_LT(0, code);
	snprintf(cap, sizeof(cap), "%d.%d.%d", code >> 16, (code >> 8) & 0xff,
		 code & 0xff);
	f = fopen("/sys/module/tinyvmx/version", "r");
	ASSERT_NE(NULL, f) TH_LOG("/sys/module/tinyvmx/version: %m");
	ASSERT_NE(NULL, fgets(sysfs, sizeof(sysfs), f));
	fclose(f);
	sysfs[strcspn(sysfs, "\n")] = 0;
	ASSERT_STREQ(sysfs, cap);
	ASSERT_STREQ(TVM_TREE_VERSION, cap);
}

/* Old modules must answer new userspace: unknown means absent, not error. */
TEST_F(dev, unknown_cap_reads_zero)
{
	/* Numbers far beyond any the header will define soon. */
	static const unsigned long unknown[] = {
		0, 1000, 0x7fffffffUL, 0xffffffffUL, 1UL << 32, ~0UL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		ASSERT_EQ(0, CAP(unknown[i])) TH_LOG("capability %#lx", unknown[i]);
	}
}

TEST_F(dev, run_size_holds_run_struct)
{
	int size = tvm_get_run_size(self->fd);

	ASSERT_LE((int)sizeof(struct tinyvmx_run), size) TH_LOG("%s", tvm_strerror());
}

/* A fresh vCPU's run struct: version and size filled, no exit yet. */
TEST_F(dev, run_struct_header)
{
	struct tvm_vm vm = { .fd = -1 };
	struct tvm_vcpu vcpu = { .fd = -1 };
	struct tinyvmx_run *run;

	ASSERT_OK(tvm_vm_create(&vm, self->fd));
	ASSERT_OK(tvm_vcpu_create(&vcpu, &vm, 0));
	run = vcpu.run;
	EXPECT_EQ(TINYVMX_RUN_VERSION, run->version);
	EXPECT_EQ(vm.run_size, run->size);
	EXPECT_EQ(TINYVMX_EXIT_NONE, run->exit_reason);
	EXPECT_EQ(0, run->exit_count);
	EXPECT_EQ(0, run->immediate_exit);
	tvm_vcpu_destroy(&vcpu);
	tvm_vm_destroy(&vm);
}

TEST_HARNESS_MAIN
