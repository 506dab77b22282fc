// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID: the default table (VMX hidden, the hypervisor bit
 * and leaf 0x40000000 "tinyvmx", the vCPU id in leaf 1 EBX[31:24],
 * OSXSAVE following the guest's CR4, leaf 0xd's sizes agreeing with the
 * state GET_FPU gives), a table set by userspace answering exactly, and
 * the ioctls' E2BIG and EINVAL cases.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "tvm_cpuid.h"
#include "tvm_test.h"

#define LEAF1_ECX_VMX		(1u << 5)
#define LEAF1_ECX_XSAVE		(1u << 26)
#define LEAF1_ECX_OSXSAVE	(1u << 27)
#define LEAF1_ECX_HYPERVISOR	(1u << 31)

TVM_SNIPPET_DECLARE(cpuid_real);
TVM_SNIPPET_DECLARE(cpuid_long);
TVM_SNIPPET_DECLARE(cpuid_osxsave);
TVM_SNIPPET_DECLARE(cpuid_xsave_size);

TVM_GUEST_FIXTURE(cpuid, struct tvm_cpuid_table t;)

/*
 * Run CPUID(@fn, @idx) in the guest (the snippet at GUEST_CODE, from
 * its start) with junk in the upper halves; the result is in @r.
 */
static void guest_cpuid(struct __test_metadata *_metadata, struct tvm_vcpu *vcpu,
			__u32 fn, __u32 idx, struct tinyvmx_regs *r)
{
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, r));
	r->rip = GUEST_CODE;
	r->rax = 0xaaaaaaaa00000000ull | fn;
	r->rcx = 0xcccccccc00000000ull | idx;
	r->rbx = r->rdx = ~0ull;
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, r));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, r));
}

/* Leaf 1 on vCPU 3 (real mode): no VMX, a hypervisor, APIC ID 3. */
TEST_F(cpuid, leaf1_of_vcpu3)
{
	struct tvm_vcpu v3 = { .fd = -1 };
	struct tinyvmx_regs r;

	TVM_LOAD(&self->g, cpuid_real, TVM_MODE_REAL);
	ASSERT_OK(tvm_vcpu_create(&v3, &self->g.vm, 3));
	ASSERT_OK(tvm_vcpu_set_real_mode(&v3, 0, GUEST_CODE));
	guest_cpuid(_metadata, &v3, 1, 0, &r);
	tvm_vcpu_destroy(&v3);
	ASSERT_EQ(0, r.rcx & LEAF1_ECX_VMX) TH_LOG("leaf 1 ECX %#llx", r.rcx);
	ASSERT_EQ(LEAF1_ECX_HYPERVISOR, r.rcx & LEAF1_ECX_HYPERVISOR)
		TH_LOG("leaf 1 ECX %#llx", r.rcx);
	ASSERT_EQ(3, (r.rbx >> 24) & 0xff) TH_LOG("leaf 1 EBX %#llx", r.rbx);

	guest_cpuid(_metadata, &self->g.vcpu, 1, 0, &r);
	ASSERT_EQ(0, (r.rbx >> 24) & 0xff) TH_LOG("vCPU 0: leaf 1 EBX %#llx", r.rbx);
}

/* The default table is GET_SUPPORTED_CPUID's, with VMX already hidden. */
TEST_F(cpuid, default_table_is_supported_table)
{
	struct tvm_cpuid_table *sup = malloc(sizeof(*sup));
	struct tinyvmx_cpuid_entry *e;

	ASSERT_NE(NULL, sup);
	sup->n = TVM_CPUID_ENTRIES_MAX;
	ASSERT_OK(tvm_get_supported_cpuid(self->g.dev_fd, sup->e, &sup->n));
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	ASSERT_EQ(sup->n, self->t.n);
	ASSERT_EQ(0, memcmp(sup->e, self->t.e, sup->n * sizeof(sup->e[0])));
	e = tvm_cpuid_find(sup, 1, 0);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(0, e->ecx & LEAF1_ECX_VMX);
	ASSERT_EQ(LEAF1_ECX_HYPERVISOR, e->ecx & LEAF1_ECX_HYPERVISOR);
	free(sup);
}

/* Leaf 0x40000000: "tinyvmx" in EBX, ECX, EDX, in 64-bit mode. */
TEST_F(cpuid, hypervisor_leaf_says_tinyvmx)
{
	struct tinyvmx_regs r;
	char name[13] = { 0 };
	__u32 w[3];

	TVM_LOAD(&self->g, cpuid_long, TVM_MODE_LONG);
	guest_cpuid(_metadata, &self->g.vcpu, 0x40000000, 0, &r);
	w[0] = r.rbx, w[1] = r.rcx, w[2] = r.rdx;
	memcpy(name, w, 12);
	ASSERT_STREQ("tinyvmx", name);
	ASSERT_EQ(0, memcmp(w, "tinyvmx\0\0\0\0\0", 12));
	ASSERT_LE(0x40000000, r.rax);
	/* CPUID writes 32-bit registers: bits 63:32 are cleared. */
	ASSERT_EQ(0, r.rax >> 32);
	ASSERT_EQ(0, r.rbx >> 32);
	ASSERT_EQ(0, r.rcx >> 32);
	ASSERT_EQ(0, r.rdx >> 32);
}

/* OSXSAVE in leaf 1 ECX is the guest's CR4.OSXSAVE. */
TEST_F(cpuid, osxsave_follows_guest_cr4)
{
	struct tinyvmx_regs r;

	if (!tvm_cpuid_has_xsave(&self->g.vcpu))
		SKIP(return, "the vCPU's CPUID does not offer XSAVE (the host "
		     "kernel runs without it)");
	TVM_LOAD(&self->g, cpuid_osxsave, TVM_MODE_LONG);
	ASSERT_RUN_EXIT(&self->g.vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(&self->g.vcpu, &r));
	ASSERT_EQ(0, r.r8 & LEAF1_ECX_OSXSAVE) TH_LOG("CR4.OSXSAVE = 0: ECX %#llx", r.r8);
	ASSERT_EQ(LEAF1_ECX_OSXSAVE, r.r9 & LEAF1_ECX_OSXSAVE)
		TH_LOG("CR4.OSXSAVE = 1: ECX %#llx", r.r9);
}

static const struct tinyvmx_cpuid_entry custom[] = {
	{ .function = 0, .eax = 0x1235, .ebx = 0x11111111, .ecx = 0x22222222,
	  .edx = 0x33333333 },
	{ .function = 0x1234, .index = 99, .eax = 0xdeadbeef, .ebx = 0x01234567,
	  .ecx = 0x89abcdef, .edx = 0xfeedface },
	{ .function = 0x1235, .index = 0, .flags = TINYVMX_CPUID_INDEXED,
	  .eax = 0xa0, .ebx = 0xb0, .ecx = 0xc0, .edx = 0xd0 },
	{ .function = 0x1235, .index = 1, .flags = TINYVMX_CPUID_INDEXED,
	  .eax = 0xa1, .ebx = 0xb1, .ecx = 0xc1, .edx = 0xd1 },
};

static void expect_leaf(struct __test_metadata *_metadata, struct tvm_vcpu *vcpu,
			__u32 fn, __u32 idx, __u32 a, __u32 b, __u32 c, __u32 d)
{
	struct tinyvmx_regs r;

	guest_cpuid(_metadata, vcpu, fn, idx, &r);
	ASSERT_EQ(a, r.rax) TH_LOG("CPUID(%#x, %u) EAX", fn, idx);
	ASSERT_EQ(b, r.rbx) TH_LOG("CPUID(%#x, %u) EBX", fn, idx);
	ASSERT_EQ(c, r.rcx) TH_LOG("CPUID(%#x, %u) ECX", fn, idx);
	ASSERT_EQ(d, r.rdx) TH_LOG("CPUID(%#x, %u) EDX", fn, idx);
}

/*
 * SET_CPUID's table is what the guest sees: a leaf without
 * TINYVMX_CPUID_INDEXED for every subleaf, an indexed one per subleaf;
 * anything absent reads as zeros.
 */
TEST_F(cpuid, custom_table_is_what_the_guest_sees)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;

	TVM_LOAD(&self->g, cpuid_long, TVM_MODE_LONG);
	ASSERT_OK(tvm_vcpu_set_cpuid(vcpu, custom, ARRAY_SIZE(custom)));
	expect_leaf(_metadata, vcpu, 0, 0, 0x1235, 0x11111111, 0x22222222, 0x33333333);
	expect_leaf(_metadata, vcpu, 0x1234, 0, 0xdeadbeef, 0x01234567, 0x89abcdef,
		    0xfeedface);
	expect_leaf(_metadata, vcpu, 0x1234, 7, 0xdeadbeef, 0x01234567, 0x89abcdef,
		    0xfeedface);
	expect_leaf(_metadata, vcpu, 0x1235, 0, 0xa0, 0xb0, 0xc0, 0xd0);
	expect_leaf(_metadata, vcpu, 0x1235, 1, 0xa1, 0xb1, 0xc1, 0xd1);
	expect_leaf(_metadata, vcpu, 0x1235, 2, 0, 0, 0, 0);
	expect_leaf(_metadata, vcpu, 0x5555, 0, 0, 0, 0, 0);
	expect_leaf(_metadata, vcpu, 0x40000000, 0, 0, 0, 0, 0);
	/* Leaf 1 is absent too: not even the per-vCPU fields appear. */
	expect_leaf(_metadata, vcpu, 1, 0, 0, 0, 0, 0);
}

/* GET_CPUID gives back exactly what SET_CPUID took. */
TEST_F(cpuid, get_cpuid_round_trips)
{
	ASSERT_OK(tvm_vcpu_set_cpuid(&self->g.vcpu, custom, ARRAY_SIZE(custom)));
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	ASSERT_EQ(ARRAY_SIZE(custom), self->t.n);
	ASSERT_EQ(0, memcmp(custom, self->t.e, sizeof(custom)));

	/* An empty table is a table too. */
	ASSERT_OK(tvm_vcpu_set_cpuid(&self->g.vcpu, custom, 0));
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	ASSERT_EQ(0, self->t.n);
}

/* Too small a buffer: E2BIG with nent set to the size needed. */
TEST_F(cpuid, e2big_says_size_needed)
{
	struct tinyvmx_cpuid_entry e[1];
	struct tinyvmx_cpuid c = { .nent = 1, .entries = (unsigned long)e };
	__u32 needed;

	ASSERT_ERRNO(E2BIG, ioctl(self->g.dev_fd, TINYVMX_GET_SUPPORTED_CPUID, &c));
	ASSERT_LT(1, c.nent);
	needed = c.nent;
	self->t.n = TVM_CPUID_ENTRIES_MAX;
	ASSERT_OK(tvm_get_supported_cpuid(self->g.dev_fd, self->t.e, &self->t.n));
	ASSERT_EQ(needed, self->t.n);

	c.nent = 0;
	ASSERT_ERRNO(E2BIG, ioctl(self->g.vcpu.fd, TINYVMX_GET_CPUID, &c));
	ASSERT_EQ(needed, c.nent);
	ASSERT_OK(tvm_vcpu_set_cpuid(&self->g.vcpu, custom, ARRAY_SIZE(custom)));
	c.nent = 1;
	ASSERT_ERRNO(E2BIG, ioctl(self->g.vcpu.fd, TINYVMX_GET_CPUID, &c));
	ASSERT_EQ(ARRAY_SIZE(custom), c.nent);
}

/* Bad flags, reserved fields, padding or too many entries: EINVAL. */
TEST_F(cpuid, set_cpuid_einval)
{
	struct tinyvmx_cpuid_entry e[ARRAY_SIZE(custom)];
	struct tinyvmx_cpuid c = { .nent = ARRAY_SIZE(e), .entries = (unsigned long)e };
	int fd = self->g.vcpu.fd, max = tvm_check_cap(self->g.dev_fd, TINYVMX_CAP_CPUID);
	struct tinyvmx_cpuid_entry *many;

	ASSERT_LT(0, max);
	ASSERT_OK(tvm_vcpu_set_cpuid(&self->g.vcpu, custom, ARRAY_SIZE(custom)));

	memcpy(e, custom, sizeof(e));
	c.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("flags");
	c.flags = 0;
	c.reserved[1] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("reserved");
	c.reserved[1] = 0;
	e[2].flags = 2;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("entry flags");
	e[2].flags = TINYVMX_CPUID_INDEXED;
	e[3].padding = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("entry padding");
	e[3].padding = 0;

	many = calloc(max + 1, sizeof(*many));
	ASSERT_NE(NULL, many);
	c.entries = (unsigned long)many;
	c.nent = max + 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("%d entries", max + 1);
	c.nent = max;
	ASSERT_EQ(0, ioctl(fd, TINYVMX_SET_CPUID, &c)) TH_LOG("%d entries", max);
	free(many);
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	ASSERT_EQ(max, self->t.n);

	/* A refused table leaves the old one in place. */
	ASSERT_OK(tvm_vcpu_set_cpuid(&self->g.vcpu, custom, ARRAY_SIZE(custom)));
	c.entries = (unsigned long)e;
	c.nent = ARRAY_SIZE(e);
	e[0].padding = 7;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_CPUID, &c));
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	ASSERT_EQ(ARRAY_SIZE(custom), self->t.n);
	ASSERT_EQ(0, memcmp(custom, self->t.e, sizeof(custom)));
}

/*
 * The state GET_FPU gives is as big as leaf 0xd says for every component
 * the table offers (ECX of subleaf 0), or FXSAVE's 512 bytes without
 * XSAVE.
 */
TEST_F(cpuid, fpu_size_matches_leaf_0xd)
{
	struct tinyvmx_fpu *fpu = malloc(sizeof(*fpu));
	struct tinyvmx_cpuid_entry *d;

	ASSERT_NE(NULL, fpu);
	ASSERT_OK(tvm_vcpu_get_fpu(&self->g.vcpu, fpu));
	ASSERT_OK(tvm_cpuid_table_get(&self->g.vcpu, &self->t));
	d = tvm_cpuid_find(&self->t, 0xd, 0);
	if (!tvm_cpuid_has_xsave(&self->g.vcpu)) {
		ASSERT_EQ(512, fpu->size);
	} else {
		ASSERT_NE(NULL, d);
		ASSERT_EQ(d->ecx, fpu->size);
		/* x87 and SSE are always there. */
		ASSERT_EQ(3, d->eax & 3);
	}
	free(fpu);
}

/*
 * Leaf 0xd EBX is the size for the guest's XCR0: 576 (legacy area and
 * header) with x87 only, then the end of the last enabled component.
 */
TEST_F(cpuid, xsave_size_follows_guest_xcr0)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	__u64 xcr0 = 3, mask;
	struct tinyvmx_cpuid_entry *c;
	struct tinyvmx_regs r;
	__u32 want = 576;
	unsigned int i;

	if (!tvm_cpuid_has_xsave(vcpu))
		SKIP(return, "the vCPU's CPUID does not offer XSAVE (the host "
		     "kernel runs without it)");
	mask = tvm_cpuid_xcr0_mask(vcpu);
	if (tvm_cpuid_has_avx(vcpu))
		xcr0 |= 4;
	ASSERT_EQ(xcr0, xcr0 & mask);
	ASSERT_OK(tvm_cpuid_table_get(vcpu, &self->t));
	for (i = 2; i < 64; i++) {
		if (!(xcr0 & (1ull << i)))
			continue;
		c = tvm_cpuid_find(&self->t, 0xd, i);
		ASSERT_NE(NULL, c) TH_LOG("leaf 0xd subleaf %u", i);
		if (c->ebx + c->eax > want)
			want = c->ebx + c->eax;
	}
	TVM_LOAD(&self->g, cpuid_xsave_size, TVM_MODE_LONG);
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(r10), xcr0));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(576, r.r8) TH_LOG("XCR0 = 1");
	ASSERT_EQ(want, r.r9) TH_LOG("XCR0 = %#llx", (unsigned long long)xcr0);
}

TEST_HARNESS_MAIN
