// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's vector registers are its own: the guest loads XMM0-15 (and
 * YMM0-15 where its CPUID offers AVX), exits, the test thread fills every
 * vector register of its own with other values and does heavy SIMD work
 * (memset/memcpy of large buffers) around RUN, and both sides find their
 * values intact. GET_FPU shows the guest's registers where the
 * FXSAVE/XSAVE layout puts them; SET_FPU's are what the guest gets; bad
 * images are EINVAL.
 */
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "tvm_cpuid.h"
#include "tvm_test.h"

#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define FXSAVE_XMM	160		/* XMM0 in the legacy area */
#define FXSAVE_MXCSR	24
#define XSAVE_HEADER	512
#define TABLE_A		GUEST_DATA
#define TABLE_DUMP	(GUEST_DATA + 0x1000)
#define BIG		(8u << 20)

TVM_SNIPPET_DECLARE(fpu_xmm, loaded);
TVM_SNIPPET_DECLARE(fpu_ymm, loaded);

TVM_GUEST_FIXTURE(fpu,
		  struct tinyvmx_fpu state;
		  __u8 guest_vals[16][32], host_in[16][32], host_out[16][32];)

static void fill(__u8 v[16][32], __u8 seed)
{
	unsigned int i, j;

	for (i = 0; i < 16; i++)
		for (j = 0; j < 32; j++)
			v[i][j] = seed + i * 41 + j * 7 + (j >> 4) * 0x55;
}

#define XMM_LOAD(n)	"movdqu " #n "*32(%[in]), %%xmm" #n "\n\t"
#define XMM_STORE(n)	"movdqu %%xmm" #n ", " #n "*32(%[out])\n\t"
#define YMM_LOAD(n)	"vmovdqu " #n "*32(%[in]), %%ymm" #n "\n\t"
#define YMM_STORE(n)	"vmovdqu %%ymm" #n ", " #n "*32(%[out])\n\t"
#define ALL16(m)	m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) \
			m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)
#define VEC_CLOBBERS	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
			"xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", \
			"xmm13", "xmm14", "xmm15"

/*
 * TINYVMX_RUN as a bare syscall with the test's own values in every
 * vector register; they are stored to @out right after it returns. (A
 * library call in between would be free to change them.)
 */
static long run_with_own_xmm(int fd, __u8 in[16][32], __u8 out[16][32])
{
	long ret;

	asm volatile(ALL16(XMM_LOAD) "syscall\n\t" ALL16(XMM_STORE)
		     : "=a" (ret)
		     : "a" ((long)SYS_ioctl), "D" ((long)fd), "S" ((long)TINYVMX_RUN),
		       "d" (0L), [in] "r" (in), [out] "r" (out)
		     : "rcx", "r11", "memory", VEC_CLOBBERS);
	return ret;
}

static long run_with_own_ymm(int fd, __u8 in[16][32], __u8 out[16][32])
{
	long ret;

	asm volatile(YMM_LOAD(0) YMM_LOAD(1) YMM_LOAD(2) YMM_LOAD(3) YMM_LOAD(4)
		     YMM_LOAD(5) YMM_LOAD(6) YMM_LOAD(7) YMM_LOAD(8) YMM_LOAD(9)
		     YMM_LOAD(10) YMM_LOAD(11) YMM_LOAD(12) YMM_LOAD(13)
		     YMM_LOAD(14) YMM_LOAD(15) "syscall\n\t"
		     YMM_STORE(0) YMM_STORE(1) YMM_STORE(2) YMM_STORE(3)
		     YMM_STORE(4) YMM_STORE(5) YMM_STORE(6) YMM_STORE(7)
		     YMM_STORE(8) YMM_STORE(9) YMM_STORE(10) YMM_STORE(11)
		     YMM_STORE(12) YMM_STORE(13) YMM_STORE(14) YMM_STORE(15)
		     "vzeroupper\n\t"
		     : "=a" (ret)
		     : "a" ((long)SYS_ioctl), "D" ((long)fd), "S" ((long)TINYVMX_RUN),
		       "d" (0L), [in] "r" (in), [out] "r" (out)
		     : "rcx", "r11", "memory", VEC_CLOBBERS);
	return ret;
}

/* The SIMD-heavy part of libc, on buffers bigger than any cache. */
static int host_simd_work(void)
{
	char *a = malloc(BIG), *b = malloc(BIG);
	int ok;

	if (!a || !b)
		return 0;
	memset(a, 0x5c, BIG);
	memcpy(b, a, BIG);
	memset(a, 0xc5, BIG / 2);
	memmove(a + 1, b, BIG - 1);
	ok = a[BIG - 1] == 0x5c && a[1] == 0x5c && !memcmp(a + 1, b, BIG - 1);
	free(a);
	free(b);
	return ok;
}

/* The test's table, laid out as the guest snippet reads it. */
static void write_table(struct tvm_guest *g, __u64 gpa, __u8 v[16][32], unsigned int width)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		tvm_vm_write(&g->vm, gpa + i * width, v[i], width);
}

static void load(struct __test_metadata *_metadata, struct tvm_guest *g,
		 const struct tvm_snippet *s)
{
	struct tinyvmx_sregs sregs;

	ASSERT_OK(tvm_guest_load(g, s, TVM_MODE_LONG));
	ASSERT_OK(tvm_vcpu_get_sregs(&g->vcpu, &sregs));
	sregs.cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	ASSERT_OK(tvm_vcpu_set_sregs(&g->vcpu, &sregs));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rsi), TABLE_A));
	ASSERT_OK(tvm_guest_set_reg(g, TVM_REG(rdi), TABLE_DUMP));
}

/* The guest's registers, as it stored them at the end, are @want. */
static void check_dump(struct __test_metadata *_metadata, struct tvm_guest *g,
		       __u8 want[16][32], unsigned int width)
{
	__u8 *dump = tvm_vm_hva(&g->vm, TABLE_DUMP, 16 * width);
	unsigned int i;

	ASSERT_NE(NULL, dump);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, memcmp(want[i], dump + i * width, width))
			TH_LOG("the guest's %s%u changed", width == 32 ? "ymm" : "xmm", i);
}

/*
 * Run @s, which loads the guest's values from TABLE_A into its @width-byte
 * registers and exits at MARK loaded; the test then RUNs again with its
 * own values in the same registers (@run_own) and memcpy's work between.
 * The guest's values survive the test's registers and memcpy across the
 * exit, and the test's survive the guest.
 */
static void round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(fpu) *self,
		       const struct tvm_snippet *s, __u64 loaded, unsigned int width,
		       long (*run_own)(int fd, __u8 in[16][32], __u8 out[16][32]))
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	unsigned int i;

	load(_metadata, &self->g, s);
	write_table(&self->g, TABLE_A, self->guest_vals, width);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_EQ(loaded, vcpu->run->rip);
	ASSERT_TRUE(host_simd_work());
	ASSERT_EQ(0, run_own(vcpu->fd, self->host_in, self->host_out));
	ASSERT_EQ(TINYVMX_EXIT_HLT, vcpu->run->exit_reason) TH_LOG("%s", tvm_exit_desc(vcpu->run));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, memcmp(self->host_in[i], self->host_out[i], width))
			TH_LOG("the test's %s%u changed across RUN", width == 32 ? "ymm" : "xmm", i);
	check_dump(_metadata, &self->g, self->guest_vals, width);
}

/* XMM. */
TEST_F(fpu, xmm_round_trip)
{
	fill(self->guest_vals, 0x11);
	fill(self->host_in, 0xa7);
	round_trip(_metadata, self, &TVM_SNIPPET(fpu_xmm),
		   TVM_SNIPPET_ADDR(fpu_xmm, loaded), 16, run_with_own_xmm);
}

/* YMM, where the vCPU's CPUID offers AVX and this CPU runs it. */
TEST_F(fpu, ymm_round_trip)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;

	if (!tvm_cpuid_has_avx(vcpu))
		SKIP(return, "the vCPU's CPUID does not offer AVX (the host "
		     "kernel runs without XSAVE or AVX)");
	if (!__builtin_cpu_supports("avx"))
		SKIP(return, "this process cannot use AVX");
	fill(self->guest_vals, 0x23);
	fill(self->host_in, 0x9e);
	round_trip(_metadata, self, &TVM_SNIPPET(fpu_ymm),
		   TVM_SNIPPET_ADDR(fpu_ymm, loaded), 32, run_with_own_ymm);
}

/* XSAVE's offset of the upper halves of YMM (leaf 0xd subleaf 2 EBX). */
static unsigned int ymm_hi_offset(struct tvm_vcpu *vcpu)
{
	static struct tvm_cpuid_table t;
	struct tinyvmx_cpuid_entry *e;

	if (tvm_cpuid_table_get(vcpu, &t))
		return 0;
	e = tvm_cpuid_find(&t, 0xd, 2);
	return e ? e->ebx : 0;
}

/*
 * GET_FPU at the exit shows the guest's XMMn at 160 + 16n (and, with AVX,
 * the upper halves in the YMM component); SET_FPU of other values is
 * what the guest then stores.
 */
static void get_set_fpu(struct __test_metadata *_metadata, FIXTURE_DATA(fpu) *self,
			int avx)
{
	struct tvm_vcpu *vcpu = &self->g.vcpu;
	unsigned int i, width = avx ? 32 : 16, hi = 0;

	fill(self->guest_vals, 0x42);
	load(_metadata, &self->g, avx ? &TVM_SNIPPET(fpu_ymm) : &TVM_SNIPPET(fpu_xmm));
	write_table(&self->g, TABLE_A, self->guest_vals, width);
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_IO);
	ASSERT_OK(tvm_vcpu_get_fpu(vcpu, &self->state));
	if (avx) {
		hi = ymm_hi_offset(vcpu);
		ASSERT_LE(XSAVE_HEADER + 64, hi);
		ASSERT_GE(self->state.size, hi + 256);
	}
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, memcmp(self->guest_vals[i],
				    self->state.region + FXSAVE_XMM + 16 * i, 16))
			TH_LOG("xmm%u in GET_FPU", i);
		if (avx)
			ASSERT_EQ(0, memcmp(self->guest_vals[i] + 16,
					    self->state.region + hi + 16 * i, 16))
				TH_LOG("upper half of ymm%u in GET_FPU", i);
	}

	fill(self->guest_vals, 0x99);
	for (i = 0; i < 16; i++) {
		memcpy(self->state.region + FXSAVE_XMM + 16 * i, self->guest_vals[i], 16);
		if (avx)
			memcpy(self->state.region + hi + 16 * i, self->guest_vals[i] + 16, 16);
	}
	self->state.size = 0;
	ASSERT_OK(tvm_vcpu_set_fpu(vcpu, &self->state));
	ASSERT_RUN_EXIT(vcpu, TINYVMX_EXIT_HLT);
	check_dump(_metadata, &self->g, self->guest_vals, width);
}

TEST_F(fpu, get_set_fpu_xmm)
{
	get_set_fpu(_metadata, self, 0);
}

TEST_F(fpu, get_set_fpu_ymm)
{
	if (!tvm_cpuid_has_avx(&self->g.vcpu))
		SKIP(return, "the vCPU's CPUID does not offer AVX (the host "
		     "kernel runs without XSAVE or AVX)");
	get_set_fpu(_metadata, self, 1);
}

/* A new vCPU's state is the reset one: FCW 0x37f, MXCSR 0x1f80. */
TEST_F(fpu, reset_state)
{
	ASSERT_OK(tvm_vcpu_get_fpu(&self->g.vcpu, &self->state));
	ASSERT_LE(512, self->state.size);
	ASSERT_EQ(0x37f, *(__u16 *)self->state.region);
	ASSERT_EQ(0x1f80, *(__u32 *)(self->state.region + FXSAVE_MXCSR));
}

/* What XRSTOR would refuse, and non-zero flags or reserved: EINVAL. */
TEST_F(fpu, set_fpu_einval)
{
	struct tinyvmx_fpu *f = &self->state;
	int fd = self->g.vcpu.fd;

	ASSERT_OK(tvm_vcpu_get_fpu(&self->g.vcpu, f));
	ASSERT_OK(tvm_vcpu_set_fpu(&self->g.vcpu, f));
	*(__u32 *)(f->region + FXSAVE_MXCSR) = 0xffffffff;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("MXCSR 0xffffffff");
	*(__u32 *)(f->region + FXSAVE_MXCSR) = 0x1f80 | (1u << 31);
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("MXCSR bit 31");
	*(__u32 *)(f->region + FXSAVE_MXCSR) = 0x1f80;
	f->flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("flags");
	f->flags = 0;
	f->reserved[2] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("reserved");
	f->reserved[2] = 0;
	if (tvm_cpuid_has_xsave(&self->g.vcpu)) {
		/* XCOMP_BV bit 63: the compacted form. */
		f->region[XSAVE_HEADER + 15] = 0x80;
		ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("compacted");
		f->region[XSAVE_HEADER + 15] = 0;
		/* XSTATE_BV bit 62: a component the module does not switch. */
		f->region[XSAVE_HEADER + 7] = 0x40;
		ASSERT_ERRNO(EINVAL, ioctl(fd, TINYVMX_SET_FPU, f)) TH_LOG("XSTATE_BV");
		f->region[XSAVE_HEADER + 7] = 0;
	}
	ASSERT_OK(tvm_vcpu_set_fpu(&self->g.vcpu, f));
}

TEST_HARNESS_MAIN
