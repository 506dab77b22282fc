// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's MSRs: each MSR of the switched set round-trips through the
 * guest's WRMSR/RDMSR and through GET/SET_MSRS; the host's own values
 * (SYSCALL entry, GS and FS bases, TLS) survive whatever the guest puts
 * there; SWAPGS swaps as on hardware; anything else, or a bad value, is a
 * #GP for the guest, counted in msr_unknown when the module refused it;
 * and the ioctls' partial counts, EINVAL and E2BIG.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "tvm_test.h"

#define MSR_IA32_TSC		0x10
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_PAT			0x277
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_UNKNOWN		0x12345

#define EFER_SCE	(1ull << 0)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NX		(1ull << 11)
#define VEC_GP		13

TVM_SNIPPET_DECLARE(msr_wr_rd);
TVM_SNIPPET_DECLARE(msr_rd, insn);
TVM_SNIPPET_DECLARE(msr_wr, insn);
TVM_SNIPPET_DECLARE(msr_table);
TVM_SNIPPET_DECLARE(msr_swapgs);

TVM_GUEST_FIXTURE(msr)

FIXTURE_VARIANT(msr) {
	__u32 index;
	__u64 value;
	__u64 slack;		/* TSC: it keeps counting */
};

#define MSR_VARIANT(name, idx, val, ...)				\
	FIXTURE_VARIANT_ADD(msr, name) {				\
		.index = idx, .value = val, __VA_ARGS__			\
	}

MSR_VARIANT(efer, MSR_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NX);
MSR_VARIANT(star, MSR_STAR, 0x0023001000000000ull);
MSR_VARIANT(lstar, MSR_LSTAR, 0xffffffff81234560ull);
MSR_VARIANT(cstar, MSR_CSTAR, 0x00007fffffff0010ull);
MSR_VARIANT(sfmask, MSR_SFMASK, 0x47700);
MSR_VARIANT(kernel_gs_base, MSR_KERNEL_GS_BASE, 0xffff888012345000ull);
MSR_VARIANT(fs_base, MSR_FS_BASE, 0x00007f0012340000ull);
MSR_VARIANT(gs_base, MSR_GS_BASE, 0xffff8880abcde000ull);
MSR_VARIANT(sysenter_cs, MSR_SYSENTER_CS, 0x10);
MSR_VARIANT(sysenter_esp, MSR_SYSENTER_ESP, 0xffffc90000001000ull);
MSR_VARIANT(sysenter_eip, MSR_SYSENTER_EIP, 0xffffffff81000040ull);
MSR_VARIANT(pat, MSR_PAT, 0x0007010600070106ull);
MSR_VARIANT(tsc, MSR_IA32_TSC, 0x0000100000000000ull, .slack = 1ull << 40);

static __u64 get_msr(struct __test_metadata *_metadata, struct tvm_vcpu *vcpu, __u32 index)
{
	struct tinyvmx_msr_entry e = { .index = index };
	int r = tvm_vcpu_get_msrs(vcpu, &e, 1);

	EXPECT_EQ(1, r) TH_LOG("GET_MSRS %#x: %s", index, r < 0 ? tvm_strerror() : "0 done");
	return e.data;
}

#define ASSERT_MSR_VALUE(want, got, slack, what)			\
	do {								\
		if (slack) {						\
			ASSERT_LE((want), (got)) TH_LOG("%s", what);	\
			ASSERT_GT((want) + (slack), (got)) TH_LOG("%s", what); \
		} else {						\
			ASSERT_EQ((want), (got)) TH_LOG("%s", what);	\
		}							\
	} while (0)

/* The guest's WRMSR, then its RDMSR and GET_MSRS, see the value. */
TEST_F(msr, guest_wrmsr_rdmsr_round_trip)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_regs r;

	TVM_LOAD(&self->g, msr_wr_rd, TVM_MODE_LONG);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	r.rcx = variant->index;
	r.rax = (__u32)variant->value | 0xffffffff00000000ull;
	r.rdx = variant->value >> 32;
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &r));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	/* RDMSR clears bits 63:32 of RAX and RDX. */
	ASSERT_EQ(0, r.rax >> 32);
	ASSERT_EQ(0, r.rdx >> 32);
	ASSERT_MSR_VALUE(variant->value, r.rdx << 32 | r.rax, variant->slack, "guest RDMSR");
	ASSERT_MSR_VALUE(variant->value, get_msr(_metadata, vcpu, variant->index),
			 variant->slack, "GET_MSRS");
}

/* SET_MSRS, then the guest's RDMSR sees the value. */
TEST_F(msr, set_msrs_then_guest_rdmsr)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_msr_entry e = { .index = variant->index, .data = variant->value };
	struct tinyvmx_regs r;

	TVM_LOAD(&self->g, msr_rd, TVM_MODE_LONG);
	ASSERT_EQ(1, tvm_vcpu_set_msrs(vcpu, &e, 1)) TH_LOG("%s", tvm_strerror());
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rcx), variant->index));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_MSR_VALUE(variant->value, r.rdx << 32 | r.rax, variant->slack, "guest RDMSR");
}

static __thread volatile __u64 tls_canary = 0x7157c0ffee;

static void *thread_fn(void *arg)
{
	return (void *)(long)(syscall(SYS_gettid) > 0 && tls_canary == 0x7157c0ffee);
}

/*
 * What depends on the host's MSRs still works in this process: SYSCALL
 * (STAR, LSTAR, SFMASK), the kernel's per-CPU data (GS base, KERNEL_GS_BASE
 * on entry), thread-local storage (FS base), a new thread.
 */
static void host_is_whole(struct __test_metadata *_metadata, pid_t pid)
{
	char buf[512];
	pthread_t t;
	void *ok = NULL;
	ssize_t n;
	int fd, i;

	for (i = 0; i < 100; i++)
		ASSERT_EQ(pid, syscall(SYS_getpid));
	ASSERT_EQ(0x7157c0ffee, tls_canary);
	fd = open("/proc/self/stat", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = 0;
	ASSERT_EQ(pid, atoi(buf)) TH_LOG("/proc/self/stat: %s", buf);
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_fn, NULL));
	ASSERT_EQ(0, pthread_join(t, &ok));
	ASSERT_EQ((void *)1, ok);
}

TVM_GUEST_FIXTURE(host)

/*
 * The guest loads its own SYSCALL MSRs (with EFER.SCE), KERNEL_GS_BASE and
 * FS/GS bases, then exits to userspace while they are in force in the CPU,
 * and again at HLT. Both times the host is whole, and the guest's values
 * are kept.
 */
TEST_F(host, guest_msrs_never_reach_the_host)
{
	static const struct { __u32 index, pad; __u64 value; } table[] = {
		{ MSR_EFER, 0, EFER_SCE | EFER_LME | EFER_NX },
		{ MSR_STAR, 0, 0x0033002300000000ull },
		{ MSR_LSTAR, 0, 0xffffffff80001000ull },
		{ MSR_CSTAR, 0, 0xffffffff80002000ull },
		{ MSR_SFMASK, 0, 0x700 },
		{ MSR_KERNEL_GS_BASE, 0, 0x00007fff00001000ull },
		{ MSR_FS_BASE, 0, 0x00007fff00002000ull },
		{ MSR_GS_BASE, 0, 0x00007fff00003000ull },
		{ 0 },
	};
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	pid_t pid = getpid();
	unsigned int i;

	TVM_LOAD(&self->g, msr_table, TVM_MODE_LONG);
	ASSERT_OK(tvm_vm_write(&self->g.vm, GUEST_DATA, table, sizeof(table)));
	ASSERT_OK(tvm_guest_set_reg(&self->g, TVM_REG(rsi), GUEST_DATA));
	host_is_whole(_metadata, pid);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(0x70, vcpu->run->io.port) TH_LOG("%s", tvm_exit_desc(vcpu->run));
	host_is_whole(_metadata, pid);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	host_is_whole(_metadata, pid);
	for (i = 0; table[i].index; i++) {
		__u64 want = table[i].value | (table[i].index == MSR_EFER ? EFER_LMA : 0);

		ASSERT_EQ(want, get_msr(_metadata, vcpu, table[i].index))
			TH_LOG("MSR %#x", table[i].index);
	}
}

/*
 * SWAPGS exchanges GS_BASE and KERNEL_GS_BASE without an exit; the
 * guest's RDMSRs and GET_MSRS see the swap, the host's GS is untouched.
 */
TEST_F(host, swapgs_swaps_guest_gs_bases)
{
	struct tinyvmx_msr_entry e[] = {
		{ .index = MSR_GS_BASE, .data = 0x00007f00aaaa0000ull },
		{ .index = MSR_KERNEL_GS_BASE, .data = 0xffff8880bbbb0000ull },
	};
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_regs r;

	TVM_LOAD(&self->g, msr_swapgs, TVM_MODE_LONG);
	ASSERT_EQ(2, tvm_vcpu_set_msrs(vcpu, e, 2)) TH_LOG("%s", tvm_strerror());
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	ASSERT_EQ(0xffff8880bbbb0000ull, r.r8) TH_LOG("GS_BASE after SWAPGS");
	ASSERT_EQ(0x00007f00aaaa0000ull, r.r9) TH_LOG("KERNEL_GS_BASE after SWAPGS");
	ASSERT_EQ(0xffff8880bbbb0000ull, get_msr(_metadata, vcpu, MSR_GS_BASE));
	ASSERT_EQ(0x00007f00aaaa0000ull, get_msr(_metadata, vcpu, MSR_KERNEL_GS_BASE));
	host_is_whole(_metadata, getpid());
}

TVM_GUEST_FIXTURE(gp)

FIXTURE_VARIANT(gp) {
	int write;
	__u32 index;
	__u64 value;
	int counted;		/* the module refused it, not the CPU */
};

FIXTURE_VARIANT_ADD(gp, rdmsr_unknown) { 0, MSR_UNKNOWN, 0, 1 };
FIXTURE_VARIANT_ADD(gp, wrmsr_unknown) { 1, MSR_UNKNOWN, 1, 1 };
/* Memory types 2 and 3 are reserved (SDM "PAT"). */
FIXTURE_VARIANT_ADD(gp, pat_reserved_type) { 1, MSR_PAT, 0x0007040600070402ull, 0 };
FIXTURE_VARIANT_ADD(gp, lstar_non_canonical) { 1, MSR_LSTAR, 0x0000800000000000ull, 1 };
FIXTURE_VARIANT_ADD(gp, kernel_gs_base_non_canonical) {
	1, MSR_KERNEL_GS_BASE, 0x8000000000000000ull, 1 };
FIXTURE_VARIANT_ADD(gp, efer_reserved_bit) {
	1, MSR_EFER, EFER_LME | EFER_LMA | (1ull << 1), 1 };
FIXTURE_VARIANT_ADD(gp, fs_base_non_canonical) { 1, MSR_FS_BASE, 0x0001000000000000ull, 0 };

/*
 * #GP(0) at the RDMSR or WRMSR; the MSR keeps its value; msr_unknown
 * counts it when the module answered (PAT and FS_BASE pass through, and
 * the CPU itself refuses the value).
 */
TEST_F(gp, raises_gp)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_vcpu_stats st;
	struct tinyvmx_regs r;
	__u64 before = 0;

	if (variant->write) {
		TVM_LOAD(&self->g, msr_wr, TVM_MODE_LONG);
		if (variant->index != MSR_UNKNOWN)
			before = get_msr(_metadata, vcpu, variant->index);
	} else {
		TVM_LOAD(&self->g, msr_rd, TVM_MODE_LONG);
	}
	ASSERT_OK(tvm_guest_setup_idt(&self->g, TVM_MODE_LONG));
	ASSERT_OK(tvm_vcpu_get_regs(vcpu, &r));
	r.rcx = variant->index;
	r.rax = (__u32)variant->value;
	r.rdx = variant->value >> 32;
	ASSERT_OK(tvm_vcpu_set_regs(vcpu, &r));
	ASSERT_RUN_EVENT(vcpu, VEC_GP, 0, variant->write ? TVM_SNIPPET_ADDR(msr_wr, insn) :
			 TVM_SNIPPET_ADDR(msr_rd, insn));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	ASSERT_OK(tvm_vcpu_get_stats(vcpu, &st));
	ASSERT_EQ(variant->counted, st.msr_unknown);
	if (variant->write && variant->index != MSR_UNKNOWN)
		ASSERT_EQ(before, get_msr(_metadata, vcpu, variant->index));
}

TVM_GUEST_FIXTURE(ioctl)

/* Both ioctls stop at the first MSR outside the set and say how far. */
TEST_F(ioctl, partial_counts)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	struct tinyvmx_msr_entry e[] = {
		{ .index = MSR_STAR, .data = 0x1234ull << 32 },
		{ .index = MSR_UNKNOWN, .data = 1 },
		{ .index = MSR_LSTAR, .data = 0xffffffff81000000ull },
	};
	struct tinyvmx_msr_entry bad_value[] = {
		{ .index = MSR_CSTAR, .data = 0xffffffff82000000ull },
		{ .index = MSR_LSTAR, .data = 0x0000900000000000ull },
		{ .index = MSR_STAR, .data = 0 },
	};

	ASSERT_EQ(1, tvm_vcpu_set_msrs(vcpu, e, 3));
	ASSERT_EQ(0x1234ull << 32, get_msr(_metadata, vcpu, MSR_STAR));
	ASSERT_NE(0xffffffff81000000ull, get_msr(_metadata, vcpu, MSR_LSTAR));
	memset(e, 0, sizeof(e));
	e[0].index = MSR_STAR;
	e[1].index = MSR_UNKNOWN;
	e[2].index = MSR_LSTAR;
	ASSERT_EQ(1, tvm_vcpu_get_msrs(vcpu, e, 3));
	ASSERT_EQ(0x1234ull << 32, e[0].data);

	/* A refused value stops SET_MSRS too. */
	ASSERT_EQ(1, tvm_vcpu_set_msrs(vcpu, bad_value, 3));
	ASSERT_EQ(0xffffffff82000000ull, get_msr(_metadata, vcpu, MSR_CSTAR));
	ASSERT_EQ(0x1234ull << 32, get_msr(_metadata, vcpu, MSR_STAR));
	ASSERT_EQ(0, tvm_vcpu_set_msrs(vcpu, e, 0));
}

TEST_F(ioctl, einval_and_e2big)
{
	struct tinyvmx_msr_entry e[65] = { [0] = { .index = MSR_STAR } };
	struct tinyvmx_msrs m = { .nmsrs = 1, .entries = (unsigned long)e };
	int fd = self->g.vcpu.fd;
	unsigned int i;

	for (i = 0; i < 65; i++)
		e[i].index = MSR_STAR;
	ASSERT_EQ(1, ioctl(fd, TINYVMX_GET_MSRS, &m));
	m.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_GET_MSRS, &m)) TH_LOG("flags");
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_MSRS, &m)) TH_LOG("flags");
	m.flags = 0;
	m.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_GET_MSRS, &m)) TH_LOG("reserved[0]");
	m.reserved[0] = 0;
	m.reserved[1] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_MSRS, &m)) TH_LOG("reserved[1]");
	m.reserved[1] = 0;
	e[0].reserved = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_MSRS, &m)) TH_LOG("entry reserved");
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_GET_MSRS, &m)) TH_LOG("entry reserved");
	e[0].reserved = 0;
	m.nmsrs = 64;
	ASSERT_EQ(64, ioctl(fd, TINYVMX_GET_MSRS, &m));
	m.nmsrs = 65;
	ASSERT_ERRNO(E2BIG, ioctl(fd, TINYVMX_GET_MSRS, &m));
	ASSERT_ERRNO(E2BIG, ioctl(fd, TINYVMX_SET_MSRS, &m));
}

TEST_HARNESS_MAIN
