// SPDX-License-Identifier: GPL-2.0
/*
 * Rejected input at the system and VM level, one case per test, each with
 * the errno the uapi header promises: unknown commands, non-zero flags and
 * reserved fields, and memory regions that are misaligned, empty, too big,
 * overlapping, in a used or impossible slot, or mapped beyond their end.
 */
#include <sys/ioctl.h>

#include "tvm_ioctls.h"
#include "tvm_test.h"

#define PAGE		TVM_PAGE_SIZE

FIXTURE(vm) {
	int dev_fd;
	struct tvm_vm vm;
	int max_regions, max_shift, gpa_bits;
};

FIXTURE_SETUP(vm)
{
	self->vm.fd = -1;
	TVM_OPEN_DEV_OR_SKIP(self->dev_fd);
	ASSERT_OK(tvm_vm_create(&self->vm, self->dev_fd));
	self->max_regions = tvm_check_cap(self->dev_fd, TINYVMX_CAP_MAX_MEM_REGIONS);
	self->max_shift = tvm_check_cap(self->dev_fd, TINYVMX_CAP_MAX_MEM_SHIFT);
	self->gpa_bits = tvm_check_cap(self->dev_fd, TINYVMX_CAP_GPA_BITS);
	ASSERT_LE(1, self->max_regions);
	ASSERT_LE(12, self->max_shift);
	ASSERT_LE(32, self->gpa_bits);
}

FIXTURE_TEARDOWN(vm)
{
	tvm_vm_destroy(&self->vm);
	if (self->dev_fd >= 0)
		close(self->dev_fd);
}

/* TINYVMX_CREATE_MEM_REGION of a copy of @r: 0, or -1 with errno. */
static int create_region(int vm_fd, struct tinyvmx_mem_region r)
{
	return ioctl(vm_fd, TINYVMX_CREATE_MEM_REGION, &r);
}

static struct tinyvmx_mem_region region(__u32 slot, __u64 gpa, __u64 size)
{
	return (struct tinyvmx_mem_region){
		.slot = slot, .guest_phys_addr = gpa, .size = size,
	};
}

/* ---- Commands ------------------------------------------------------------ */

/*
 * Unknown commands, and those of the device and of vCPUs: the right
 * number with the wrong size is a different command too.
 */
TEST_F(vm, unknown_ioctl_on_vm_fd)
{
	ASSERT_IOCTLS_REFUSED(self->vm.fd, TVM_FD_VM,
			      TVM_FD_NONE | TVM_FD_DEV | TVM_FD_VCPU);
}

TEST_F(vm, vm_ioctl_on_dev_fd)
{
	ASSERT_IOCTLS_REFUSED(self->dev_fd, TVM_FD_DEV, TVM_FD_VM);
}

TEST_F(vm, create_vm_nonzero_type)
{
	ASSERT_ERRNO(EINVAL, ioctl(self->dev_fd, TINYVMX_CREATE_VM, 1));
	ASSERT_ERRNO(EINVAL, ioctl(self->dev_fd, TINYVMX_CREATE_VM, ~0UL));
}

/* ---- Memory region fields ------------------------------------------------ */

TEST_F(vm, region_flags_nonzero)
{
	struct tinyvmx_mem_region r = region(0, 0, PAGE);

	r.flags = 1;
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, r));
	r.flags = 0x80000000;
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, r));
}

TEST_F(vm, region_reserved_nonzero)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(((struct tinyvmx_mem_region *)0)->reserved); i++) {
		struct tinyvmx_mem_region r = region(0, 0, PAGE);

		r.reserved[i] = 1;
		ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, r))
			TH_LOG("reserved[%u]", i);
	}
}

TEST_F(vm, region_gpa_misaligned)
{
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0x800, PAGE)));
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, PAGE + 1, PAGE)));
}

TEST_F(vm, region_size_misaligned)
{
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0, PAGE + 0x800)));
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0, 1)));
}

TEST_F(vm, region_size_zero)
{
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0, 0)));
}

TEST_F(vm, region_size_above_max_shift)
{
	__u64 max = 1ull << self->max_shift;

	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0, max + PAGE)));
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, 0, -PAGE)));
}

TEST_F(vm, region_slot_out_of_range)
{
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(self->max_regions, 0, PAGE)));
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0xffffffff, 0, PAGE)));
}

TEST_F(vm, region_end_beyond_gpa_bits)
{
	__u64 top = 1ull << self->gpa_bits;

	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, top - PAGE, 2 * PAGE)));
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, top, PAGE)));
	/* gpa + size wraps around 2^64. */
	ASSERT_ERRNO(EINVAL, create_region(self->vm.fd, region(0, -PAGE, 2 * PAGE)));
	/* Exactly at the top is fine. */
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, top - PAGE, PAGE, NULL));
}

TEST_F(vm, region_slot_in_use)
{
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 0, PAGE, NULL));
	ASSERT_ERRNO(EEXIST, create_region(self->vm.fd, region(0, 16 * PAGE, PAGE)));
}

/* Existing region [16, 32) pages; each new one shares at least a page. */
TEST_F(vm, region_overlap)
{
	static const struct { __u64 first, pages; } overlaps[] = {
		{ 16, 16 },	/* the same */
		{ 8, 9 },	/* over the start */
		{ 31, 4 },	/* over the end */
		{ 20, 2 },	/* inside */
		{ 0, 64 },	/* around */
		{ 31, 1 },	/* the last page */
	};
	unsigned int i;

	if (self->max_regions < 2)
		SKIP(return, "the module offers one memory region per VM");
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 16 * PAGE, 16 * PAGE, NULL));
	for (i = 0; i < ARRAY_SIZE(overlaps); i++) {
		ASSERT_ERRNO(EEXIST, create_region(self->vm.fd,
				region(1, overlaps[i].first * PAGE, overlaps[i].pages * PAGE)))
			TH_LOG("pages [%llu, %llu)", (unsigned long long)overlaps[i].first,
			       (unsigned long long)(overlaps[i].first + overlaps[i].pages));
	}
}

/* The control for region_overlap: touching is not overlapping. */
TEST_F(vm, region_adjacent_allowed)
{
	if (self->max_regions < 3)
		SKIP(return, "the module offers fewer than 3 memory regions per VM");
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 16 * PAGE, 16 * PAGE, NULL));
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 1, 32 * PAGE, PAGE, NULL));
	ASSERT_OK(tvm_vm_add_mem(&self->vm, 2, 15 * PAGE, PAGE, NULL));
}

TEST_F(vm, region_delete_nonzero_fields)
{
	struct tinyvmx_mem_region r = region(0, 0, 0);

	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 0, PAGE, NULL));
	r.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_DELETE_MEM_REGION, &r));
	r.flags = 0;
	r.reserved[3] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_DELETE_MEM_REGION, &r));
	r.reserved[3] = 0;
	r.size = PAGE;
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_DELETE_MEM_REGION, &r));
	/* The region is still there. */
	ASSERT_OK(tvm_vm_get_mem(&self->vm, 0, &r));
	ASSERT_EQ(PAGE, r.size);
}

TEST_F(vm, region_get_empty_slot)
{
	struct tinyvmx_mem_region r = region(0, 0, 0);

	ASSERT_ERRNO(ENOENT, ioctl(self->vm.fd, TINYVMX_GET_MEM_REGION, &r));
}

TEST_F(vm, region_get_nonzero_flags)
{
	struct tinyvmx_mem_region r = region(0, 0, 0);

	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 0, PAGE, NULL));
	r.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_GET_MEM_REGION, &r));
}

/* ---- Mapping guest RAM ----------------------------------------------------- */

TEST_F(vm, mmap_beyond_region_end)
{
	__u64 off;

	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 0, 4 * PAGE, NULL));
	off = self->vm.mem[0].mmap_offset;
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vm.fd, off, 5 * PAGE));
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vm.fd, off + 3 * PAGE, 2 * PAGE));
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vm.fd, off + 4 * PAGE, PAGE));
	/* The control: within the region is fine. */
	ASSERT_EQ(0, tvm_try_mmap(self->vm.fd, off + 3 * PAGE, PAGE))
		TH_LOG("mmap: %s", strerror(errno));
}

TEST_F(vm, mmap_deleted_region)
{
	__u64 off;

	ASSERT_OK(tvm_vm_add_mem(&self->vm, 0, 0, PAGE, NULL));
	off = self->vm.mem[0].mmap_offset;
	ASSERT_OK(tvm_vm_del_mem(&self->vm, 0));
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vm.fd, off, PAGE));
}

TEST_HARNESS_MAIN
