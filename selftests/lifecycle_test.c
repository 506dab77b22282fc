// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycles: VMs, vCPUs and memory regions created and destroyed many
 * times over, fresh guest RAM zeroed, mappings that alias the same pages,
 * and guests run in between, alone and interleaved.
 */
#include <sys/mman.h>

#include "tvm_test.h"

#define PAGE		TVM_PAGE_SIZE
#define LOOPS		200

TVM_SNIPPET_DECLARE(hlt_real);
TVM_SNIPPET_DECLARE(mem_real);
TVM_SNIPPET_DECLARE(out_loop);

FIXTURE(dev) {
	int fd;
	int max_vcpus, max_regions;
};

FIXTURE_SETUP(dev)
{
	self->fd = -1;
	TVM_OPEN_DEV_OR_SKIP(self->fd);
	self->max_vcpus = tvm_check_cap(self->fd, TINYVMX_CAP_MAX_VCPUS);
	self->max_regions = tvm_check_cap(self->fd, TINYVMX_CAP_MAX_MEM_REGIONS);
	ASSERT_LE(1, self->max_vcpus) TH_LOG("%s", tvm_strerror());
	ASSERT_LE(1, self->max_regions) TH_LOG("%s", tvm_strerror());
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int min(int a, int b)
{
	return a < b ? a : b;
}

/* Is [@p, @p + @len) all zero? */
static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	return len == 0 || (b[0] == 0 && !memcmp(b, b + 1, len - 1));
}

/* A VM with up to 2 regions and 2 vCPUs, all mapped, then all torn down. */
TEST_F(dev, vm_create_destroy_many)
{
	int nr_mem = min(self->max_regions, 2), nr_vcpu = min(self->max_vcpus, 2);
	struct tvm_vcpu vcpu[2];
	struct tvm_vm vm;
	int i, j;

	for (i = 0; i < LOOPS; i++) {
		ASSERT_OK(tvm_vm_create(&vm, self->fd)) TH_LOG("loop %d", i);
		for (j = 0; j < nr_mem; j++) {
			void *hva;

			ASSERT_OK(tvm_vm_add_mem(&vm, j, j * 0x100000, 16 * PAGE, &hva))
				TH_LOG("loop %d", i);
			memset(hva, 0xa5, 16 * PAGE);
		}
		for (j = 0; j < nr_vcpu; j++) {
			ASSERT_OK(tvm_vcpu_create(&vcpu[j], &vm, j)) TH_LOG("loop %d", i);
			ASSERT_EQ(TINYVMX_RUN_VERSION, vcpu[j].run->version);
		}
		for (j = 0; j < nr_vcpu; j++)
			tvm_vcpu_destroy(&vcpu[j]);
		tvm_vm_destroy(&vm);
	}
}

/* Every vCPU id a VM allows (up to 64), many times over. */
TEST_F(dev, vcpus_up_to_max)
{
	int nr = min(self->max_vcpus, 64);
	struct tvm_vcpu vcpu[64];
	struct tvm_vm vm;
	int i, j;

	for (i = 0; i < LOOPS / 10; i++) {
		ASSERT_OK(tvm_vm_create(&vm, self->fd));
		for (j = 0; j < nr; j++) {
			ASSERT_OK(tvm_vcpu_create(&vcpu[j], &vm, j)) TH_LOG("loop %d", i);
		}
		/* Close the VM first: the vCPUs keep it alive. */
		tvm_vm_destroy(&vm);
		for (j = 0; j < nr; j++)
			tvm_vcpu_destroy(&vcpu[j]);
	}
}

/*
 * One slot reused: each new region starts zeroed (the module must not hand
 * one guest's or the host's data to another), whatever the last held.
 */
TEST_F(dev, region_add_delete_many)
{
	struct tvm_vm vm;
	uint8_t *hva;
	int i;

	ASSERT_OK(tvm_vm_create(&vm, self->fd));
	for (i = 0; i < LOOPS; i++) {
		__u64 gpa = (i % 4) * 0x100000;

		ASSERT_OK(tvm_vm_add_mem(&vm, 0, gpa, 16 * PAGE, (void **)&hva))
			TH_LOG("loop %d", i);
		ASSERT_TRUE(all_zero(hva, 16 * PAGE)) TH_LOG("loop %d: fresh RAM not zero", i);
		memset(hva, 0x5a, 16 * PAGE);
		ASSERT_OK(tvm_vm_del_mem(&vm, 0)) TH_LOG("loop %d", i);
	}
	tvm_vm_destroy(&vm);
}

/* GET_MEM_REGION reports what CREATE made, with zero flags and reserved. */
TEST_F(dev, region_get_matches_create)
{
	struct tinyvmx_mem_region r;
	struct tvm_vm vm;

	ASSERT_OK(tvm_vm_create(&vm, self->fd));
	ASSERT_OK(tvm_vm_add_mem(&vm, 0, 0x200000, 8 * PAGE, NULL));
	ASSERT_OK(tvm_vm_get_mem(&vm, 0, &r));
	EXPECT_EQ(0, r.slot);
	EXPECT_EQ(0, r.flags);
	EXPECT_EQ(0x200000, r.guest_phys_addr);
	EXPECT_EQ(8 * PAGE, r.size);
	EXPECT_EQ(vm.mem[0].mmap_offset, r.mmap_offset);
	EXPECT_TRUE(all_zero(r.reserved, sizeof(r.reserved)));
	tvm_vm_destroy(&vm);
}

/* A mapping of part of a region sees the same pages as one of all of it. */
TEST_F(dev, region_partial_mapping_aliases)
{
	struct tvm_vm vm;
	uint8_t *whole, *part;

	ASSERT_OK(tvm_vm_create(&vm, self->fd));
	ASSERT_OK(tvm_vm_add_mem(&vm, 0, 0, 4 * PAGE, (void **)&whole));
	part = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vm.fd,
		    vm.mem[0].mmap_offset + 2 * PAGE);
	ASSERT_NE(MAP_FAILED, part) TH_LOG("mmap: %s", strerror(errno));
	whole[2 * PAGE + 7] = 0x42;
	ASSERT_EQ(0x42, part[7]);
	part[100] = 0x24;
	ASSERT_EQ(0x24, whole[2 * PAGE + 100]);
	munmap(part, PAGE);
	tvm_vm_destroy(&vm);
}

/* A VM whose vCPU has run (VMCS launched) is torn down cleanly, repeatedly. */
TEST_F(dev, run_and_destroy_many)
{
	struct tvm_guest g;
	int i;

	for (i = 0; i < LOOPS / 2; i++) {
		tvm_guest_init(&g);
		g.dev_fd = dup(self->fd);
		ASSERT_OK(tvm_guest_create(&g)) TH_LOG("loop %d", i);
		ASSERT_OK(tvm_guest_load(&g, &TVM_SNIPPET(hlt_real), TVM_MODE_REAL));
		ASSERT_RUN_EXIT(&g.vcpu, TINYVMX_EXIT_HLT);
		tvm_guest_destroy(&g);
	}
}

/* What the host writes the guest reads, and the other way round. */
TEST_F(dev, guest_ram_shared_with_host)
{
	struct tvm_guest g;

	tvm_guest_init(&g);
	g.dev_fd = dup(self->fd);
	ASSERT_OK(tvm_guest_create(&g));
	ASSERT_OK(tvm_guest_load(&g, &TVM_SNIPPET(mem_real), TVM_MODE_REAL));
	ASSERT_MEM_REAL_ROUND_TRIP(&g, 0xbeef);
	tvm_guest_destroy(&g);
}

/*
 * Two VMs on one thread, run in turns: each vCPU's state (its VMCS) is
 * its own, so each sees its own count.
 */
TEST_F(dev, two_vms_interleaved)
{
	struct tvm_guest g[2];
	int i, j;

	for (j = 0; j < 2; j++) {
		tvm_guest_init(&g[j]);
		g[j].dev_fd = dup(self->fd);
		ASSERT_OK(tvm_guest_create(&g[j]));
		ASSERT_OK(tvm_guest_load(&g[j], &TVM_SNIPPET(out_loop), TVM_MODE_REAL));
	}
	for (i = 0; i < 100; i++) {
		for (j = 0; j < 2; j++) {
			ASSERT_RUN_EXIT(&g[j].vcpu, TINYVMX_EXIT_IO);
			ASSERT_EQ(i, g[j].vcpu.run->io.data)
				TH_LOG("VM %d: %s", j, tvm_exit_desc(g[j].vcpu.run));
		}
	}
	for (j = 0; j < 2; j++)
		tvm_guest_destroy(&g[j]);
}

TEST_HARNESS_MAIN
