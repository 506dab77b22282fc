// SPDX-License-Identifier: GPL-2.0
/*
 * Rejected input at the vCPU level, one case per test: vCPU ids, run-struct
 * mappings, non-zero flags, reserved fields and padding in the register
 * structs, special registers the architecture forbids, and RUN's argument.
 * Where a rejection could be mistaken for a broken ioctl, a control shows
 * that the nearest valid input is accepted.
 */
#include <sys/ioctl.h>

#include "tvm_ioctls.h"
#include "tvm_test.h"

#define CR0_PE		(1ull << 0)
#define CR0_ET		(1ull << 4)
#define CR0_NW		(1ull << 29)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define CR4_VMXE	(1ull << 13)
#define EFER_LME	(1ull << 8)

FIXTURE(vcpu) {
	int dev_fd;
	struct tvm_vm vm;
	struct tvm_vcpu vcpu;
	int max_vcpus;
};

FIXTURE_SETUP(vcpu)
{
	self->vm.fd = -1;
	self->vcpu.fd = -1;
	TVM_OPEN_DEV_OR_SKIP(self->dev_fd);
	self->max_vcpus = tvm_check_cap(self->dev_fd, TINYVMX_CAP_MAX_VCPUS);
	ASSERT_LE(1, self->max_vcpus) TH_LOG("%s", tvm_strerror());
	ASSERT_OK(tvm_vm_create(&self->vm, self->dev_fd));
	ASSERT_OK(tvm_vcpu_create(&self->vcpu, &self->vm, 0));
}

FIXTURE_TEARDOWN(vcpu)
{
	tvm_vcpu_destroy(&self->vcpu);
	tvm_vm_destroy(&self->vm);
	if (self->dev_fd >= 0)
		close(self->dev_fd);
}

/* The vCPU's current special registers: a valid base to break. */
#define GET_SREGS(s)	ASSERT_OK(tvm_vcpu_get_sregs(&self->vcpu, (s)))
#define SET_SREGS_FAILS(s)						\
	ASSERT_ERRNO(EINVAL, ioctl(self->vcpu.fd, TINYVMX_SET_SREGS, (s)))

/* ---- Commands and ids ---------------------------------------------------- */

TEST_F(vcpu, unknown_ioctl_on_vcpu_fd)
{
	ASSERT_IOCTLS_REFUSED(self->vcpu.fd, TVM_FD_VCPU,
			      TVM_FD_NONE | TVM_FD_DEV | TVM_FD_VM);
}

TEST_F(vcpu, vcpu_ioctl_on_vm_fd)
{
	ASSERT_IOCTLS_REFUSED(self->vm.fd, TVM_FD_VM, TVM_FD_VCPU);
}

TEST_F(vcpu, duplicate_vcpu_id)
{
	ASSERT_ERRNO(EEXIST, ioctl(self->vm.fd, TINYVMX_CREATE_VCPU, 0));
}

TEST_F(vcpu, vcpu_id_out_of_range)
{
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_CREATE_VCPU,
				   (unsigned long)self->max_vcpus));
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_CREATE_VCPU, 0xffffffffUL));
	/* Not truncated to 32 bits (which would make it id 1). */
	ASSERT_ERRNO(EINVAL, ioctl(self->vm.fd, TINYVMX_CREATE_VCPU, (1UL << 32) + 1));
}

/* ---- The run-struct mapping -------------------------------------------------- */

TEST_F(vcpu, run_mmap_wrong_size)
{
	size_t size = self->vm.run_size;

	/* A second mapping, beside the one tvm_vcpu_create() made. */
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vcpu.fd, 0, size + TVM_PAGE_SIZE));
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vcpu.fd, 0, 16 * size + 16 * TVM_PAGE_SIZE));
	if (size > TVM_PAGE_SIZE) {
		ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vcpu.fd, 0, size - TVM_PAGE_SIZE));
	}
}

TEST_F(vcpu, run_mmap_nonzero_offset)
{
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vcpu.fd, TVM_PAGE_SIZE, self->vm.run_size));
	ASSERT_ERRNO(EINVAL, tvm_try_mmap(self->vcpu.fd, 1ull << 30, self->vm.run_size));
}

/* ---- General registers ------------------------------------------------------ */

TEST_F(vcpu, regs_flags_nonzero)
{
	struct tinyvmx_regs regs;

	ASSERT_OK(tvm_vcpu_get_regs(&self->vcpu, &regs));
	regs.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->vcpu.fd, TINYVMX_SET_REGS, &regs));
}

TEST_F(vcpu, regs_reserved_nonzero)
{
	struct tinyvmx_regs regs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs.reserved); i++) {
		ASSERT_OK(tvm_vcpu_get_regs(&self->vcpu, &regs));
		regs.reserved[i] = 1;
		ASSERT_ERRNO(EINVAL, ioctl(self->vcpu.fd, TINYVMX_SET_REGS, &regs))
			TH_LOG("reserved[%u]", i);
	}
}

/* RFLAGS bit 1 is always 1; bits 3, 5, 15 and 22-63 are reserved (uapi). */
TEST_F(vcpu, regs_rflags_reserved)
{
	static const __u64 bad[] = { 0, 0x2 | (1 << 3), 0x2 | (1 << 5),
				     0x2 | (1 << 15), 0x2 | (1ull << 22),
				     0x2 | (1ull << 63) };
	struct tinyvmx_regs regs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_OK(tvm_vcpu_get_regs(&self->vcpu, &regs));
		regs.rflags = bad[i];
		ASSERT_ERRNO(EINVAL, ioctl(self->vcpu.fd, TINYVMX_SET_REGS, &regs))
			TH_LOG("rflags %#llx", (unsigned long long)bad[i]);
	}
	/* The control: the reset value with IF set is fine. */
	regs.rflags = 0x202;
	ASSERT_OK(tvm_vcpu_set_regs(&self->vcpu, &regs));
}

/* ---- Special registers: the struct ------------------------------------------ */

TEST_F(vcpu, sregs_flags_nonzero)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.flags = 1;
	SET_SREGS_FAILS(&s);
}

TEST_F(vcpu, sregs_reserved_nonzero)
{
	struct tinyvmx_sregs s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s.reserved); i++) {
		GET_SREGS(&s);
		s.reserved[i] = 1;
		SET_SREGS_FAILS(&s) TH_LOG("reserved[%u]", i);
	}
}

TEST_F(vcpu, sregs_segment_padding_nonzero)
{
	struct tinyvmx_sregs s;
	struct tinyvmx_segment *segs[] = {
		&s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss, &s.tr, &s.ldt,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		GET_SREGS(&s);
		segs[i]->padding = 1;
		SET_SREGS_FAILS(&s) TH_LOG("segment %u", i);
	}
}

TEST_F(vcpu, sregs_dtable_padding_nonzero)
{
	struct tinyvmx_sregs s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s.gdt.padding); i++) {
		GET_SREGS(&s);
		s.gdt.padding[i] = 1;
		SET_SREGS_FAILS(&s) TH_LOG("gdt.padding[%u]", i);
		GET_SREGS(&s);
		s.idt.padding[i] = 1;
		SET_SREGS_FAILS(&s) TH_LOG("idt.padding[%u]", i);
	}
}

/* ---- Special registers: what the architecture forbids ----------------------- */

/* MOV to CR0 with PG=1 and PE=0 raises #GP (SDM "CR0"). */
TEST_F(vcpu, sregs_pg_without_pe)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.cr0 = CR0_PG | CR0_ET;
	SET_SREGS_FAILS(&s);
	/* The control: 32-bit paging with PE is architectural. */
	s.cr0 = CR0_PG | CR0_PE | CR0_ET;
	ASSERT_OK(tvm_vcpu_set_sregs(&self->vcpu, &s));
}

/* Enabling paging with EFER.LME=1 and CR4.PAE=0 raises #GP (SDM "IA-32e Mode"). */
TEST_F(vcpu, sregs_long_mode_without_pae)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.cr0 = CR0_PG | CR0_PE | CR0_ET;
	s.efer = EFER_LME;
	s.cr4 = 0;
	SET_SREGS_FAILS(&s);
	/* The control: long mode with PAE, the rest as tvm_mode.c sets it. */
	s.cr4 = CR4_PAE;
	s.cs.l = 1;
	s.cs.db = 0;
	ASSERT_OK(tvm_vcpu_set_sregs(&self->vcpu, &s));
}

/* The guest cannot be given VMX: nested VMX is not offered. */
TEST_F(vcpu, sregs_cr4_vmxe)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.cr4 |= CR4_VMXE;
	SET_SREGS_FAILS(&s);
}

/* Bits 63:32 of CR0 and CR4, and EFER bit 63, are reserved. */
TEST_F(vcpu, sregs_reserved_bits)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.cr0 |= 1ull << 32;
	SET_SREGS_FAILS(&s) TH_LOG("CR0 bit 32");
	GET_SREGS(&s);
	s.cr4 |= 1ull << 63;
	SET_SREGS_FAILS(&s) TH_LOG("CR4 bit 63");
	GET_SREGS(&s);
	s.efer |= 1ull << 63;
	SET_SREGS_FAILS(&s) TH_LOG("EFER bit 63");
}

/* MOV to CR0 with NW=1 and CD=0 raises #GP (SDM "CR0"). */
TEST_F(vcpu, sregs_nw_without_cd)
{
	struct tinyvmx_sregs s;

	GET_SREGS(&s);
	s.cr0 = CR0_NW | CR0_ET;
	SET_SREGS_FAILS(&s);
}

/* ---- RUN ----------------------------------------------------------------------- */

TEST_F(vcpu, run_nonzero_arg)
{
	ASSERT_ERRNO(EINVAL, ioctl(self->vcpu.fd, TINYVMX_RUN, 1));
}

TEST_HARNESS_MAIN
