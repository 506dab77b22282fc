// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM allocated on first touch: a region costs no pages until the
 * guest or the host touches them; each page the guest touches first is
 * mapped in the kernel without an exit to userspace (ram_faults counts
 * them); values cross both ways between the guest and the host's mapping;
 * untouched RAM reads as zero; INS and MMIO decoding work on pages not
 * yet touched; deleting regions after lazy faults frees their pages; two
 * vCPUs faulting the same pages agree.
 *
 * The guest (guest/lazy.S) does one operation at a time for the host.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "tvm_test.h"

#define PAGE		TVM_PAGE_SIZE
#define BASE		0x10000000ULL	/* slot 1: 16 MiB of lazy RAM */
#define SIZE		(16ULL << 20)
#define BIG_BASE	0x40000000ULL	/* slot 2 of region_costs_nothing */
#define BIG_SIZE	(256ULL << 20)
#define MIB_KB		1024L

enum { OP_WRITE = 1, OP_READ, OP_INSB, OP_CALL, OP_TOUCH, OP_HLT };
#define PORT_OP		0x60
#define PORT_ARG1	0x61
#define PORT_ARG2	0x62
#define PORT_RESULT	0x63
#define PORT_INS	0x64
#define INS_FIRST	0x40	/* INS bytes are 0x40, 0x41, ... */

TVM_SNIPPET_DECLARE(lazy_prot);

/* What one operation saw besides its own I/O. */
struct op_result {
	__u32 value;		/* OP_READ */
	__u32 ins_bytes;	/* bytes given to INS */
	__u32 nmmio;
	struct tinyvmx_exit_mmio mmio;	/* the last MMIO exit */
};

static __thread char op_err[256];

/*
 * Have the guest, stopped at its IN from PORT_OP, do @op; return when it
 * asks for the next one. NULL, or what went wrong.
 */
static const char *guest_op(struct tvm_vcpu *v, __u32 op, __u32 a1, __u32 a2,
			    struct op_result *res)
{
	struct tinyvmx_run *run = v->run;
	__u8 next = INS_FIRST;

	memset(res, 0, sizeof(*res));
	run->io.data = op;
	for (;;) {
		if (tvm_vcpu_run(v)) {
			snprintf(op_err, sizeof(op_err), "op %u: %s", op, tvm_strerror());
			return op_err;
		}
		if (run->exit_reason == TINYVMX_EXIT_MMIO) {
			res->mmio = run->mmio;
			res->nmmio++;
			continue;
		}
		if (run->exit_reason != TINYVMX_EXIT_IO)
			break;
		if (run->io.string && run->io.port == PORT_INS &&
		    run->io.direction == TINYVMX_IO_IN && run->io.size == 1) {
			__u8 *data = (__u8 *)run + run->io.data_offset;
			__u32 i;

			for (i = 0; i < run->io.count; i++)
				data[i] = next++;
			res->ins_bytes += run->io.count;
			continue;
		}
		if (run->io.string || run->io.size != 4)
			break;
		if (run->io.direction == TINYVMX_IO_OUT && run->io.port == PORT_RESULT) {
			res->value = run->io.data;
			continue;
		}
		if (run->io.direction != TINYVMX_IO_IN)
			break;
		if (run->io.port == PORT_OP)
			return NULL;
		if (run->io.port == PORT_ARG1)
			run->io.data = a1;
		else if (run->io.port == PORT_ARG2)
			run->io.data = a2;
		else
			break;
	}
	snprintf(op_err, sizeof(op_err), "op %u: unexpected %s", op, tvm_exit_desc(run));
	return op_err;
}

static __u64 ram_faults(struct tvm_vcpu *v)
{
	struct tinyvmx_vcpu_stats st = { 0 };

	if (tvm_vcpu_get_stats(v, &st))
		return ~0ULL;
	return st.ram_faults;
}

/* MemFree in KiB, or -1. */
static long mem_free_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Start the guest of @g and run it to its first IN from PORT_OP. */
static const char *guest_start(struct tvm_guest *g, struct tvm_vcpu *v)
{
	if (tvm_vcpu_set_protected_mode(v, &g->vm, GUEST_TABLES, GUEST_CODE) ||
	    tvm_vcpu_run(v)) {
		snprintf(op_err, sizeof(op_err), "start: %s", tvm_strerror());
		return op_err;
	}
	if (v->run->exit_reason != TINYVMX_EXIT_IO || v->run->io.port != PORT_OP ||
	    v->run->io.direction != TINYVMX_IO_IN) {
		snprintf(op_err, sizeof(op_err), "start: %s", tvm_exit_desc(v->run));
		return op_err;
	}
	return NULL;
}

FIXTURE(lazy) {
	struct tvm_guest g;
	__u8 *ram;		/* the host's view of slot 1 */
	struct op_result res;
};

FIXTURE_SETUP(lazy)
{
	void *hva;

	TVM_GUEST_SETUP(&self->g);
	ASSERT_OK(tvm_vm_add_mem(&self->g.vm, 1, BASE, SIZE, &hva));
	self->ram = hva;
	TVM_LOAD(&self->g, lazy_prot, TVM_MODE_PROT);
	ASSERT_EQ(NULL, guest_start(&self->g, &self->g.vcpu));
}

FIXTURE_TEARDOWN(lazy)
{
	tvm_guest_destroy(&self->g);
}

#define OP(op, a1, a2)							\
	ASSERT_EQ(NULL, guest_op(&self->g.vcpu, op, a1, a2, &self->res))

/* Only the pages the guest touches cost memory, and each one fault. */
TEST_F(lazy, region_costs_nothing_until_touched)
{
	struct tvm_vcpu *v = &self->g.vcpu;
	long before, after;
	__u64 faults;
	void *hva;

	before = mem_free_kb();
	ASSERT_LT(0, before);
	ASSERT_OK(tvm_vm_add_mem(&self->g.vm, 2, BIG_BASE, BIG_SIZE, &hva));
	after = mem_free_kb();
	/* The page array is 512 KiB; the pages would be 256 MiB. */
	ASSERT_GT(16 * MIB_KB, before - after)
		TH_LOG("a 256 MiB region took %ld KiB", before - after);

	faults = ram_faults(v);
	OP(OP_WRITE, BIG_BASE + BIG_SIZE - 4, 0x600dcafe);
	ASSERT_EQ(faults + 1, ram_faults(v));
	OP(OP_TOUCH, BIG_BASE + (100 << 20), 64);
	ASSERT_EQ(faults + 65, ram_faults(v));
	after = mem_free_kb();
	ASSERT_GT(16 * MIB_KB, before - after)
		TH_LOG("65 pages touched: %ld KiB", before - after);
	ASSERT_EQ(0x600dcafe, *(__u32 *)((__u8 *)hva + BIG_SIZE - 4));
	ASSERT_OK(tvm_vm_del_mem(&self->g.vm, 2));
}

/* Guest writes far apart reach the mapping; nothing else changes. */
TEST_F(lazy, guest_writes_reach_the_mapping)
{
	static const __u32 offs[] = {
		0, PAGE, 0x123454, 0x7ffffc, 0x800000, SIZE - 4,
	};
	struct tvm_vcpu *v = &self->g.vcpu;
	unsigned int i;
	__u64 faults;
	size_t k;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		faults = ram_faults(v);
		OP(OP_WRITE, BASE + offs[i], 0xc0de0000 | i);
		ASSERT_EQ(faults + 1, ram_faults(v)) TH_LOG("offset %#x", offs[i]);
		/* The page is mapped now: the same page again costs nothing. */
		OP(OP_READ, BASE + offs[i], 0);
		ASSERT_EQ(0xc0de0000 | i, self->res.value);
		ASSERT_EQ(faults + 1, ram_faults(v)) TH_LOG("offset %#x", offs[i]);
	}
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		ASSERT_EQ(0xc0de0000 | i, *(__u32 *)(self->ram + offs[i]));
		*(__u32 *)(self->ram + offs[i]) = 0;
	}
	for (k = 0; k < SIZE / 8; k++)
		ASSERT_EQ(0, ((__u64 *)self->ram)[k]) TH_LOG("offset %#zx", k * 8);
}

/* Host writes through the mapping reach the guest; untouched RAM is 0. */
TEST_F(lazy, mapping_writes_reach_the_guest)
{
	static const __u32 offs[] = { 0x2000, 0x400ff8, SIZE - PAGE };
	struct tvm_vcpu *v = &self->g.vcpu;
	unsigned int i;
	__u64 faults;

	for (i = 0; i < ARRAY_SIZE(offs); i++)
		*(__u32 *)(self->ram + offs[i]) = 0xfeed0000 | i;
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		faults = ram_faults(v);
		OP(OP_READ, BASE + offs[i], 0);
		ASSERT_EQ(0xfeed0000 | i, self->res.value) TH_LOG("offset %#x", offs[i]);
		ASSERT_EQ(faults + 1, ram_faults(v));
		/* The guest's write goes to the page the host sees. */
		OP(OP_WRITE, BASE + offs[i], 0xbeef0000 | i);
		ASSERT_EQ(0xbeef0000 | i, *(volatile __u32 *)(self->ram + offs[i]));
	}
	faults = ram_faults(v);
	OP(OP_READ, BASE + 0x600000, 0);
	ASSERT_EQ(0, self->res.value);
	ASSERT_EQ(faults + 1, ram_faults(v));
	ASSERT_EQ(0, *(__u32 *)(self->ram + 0x600000));
}

/* REP INSB into two pages nobody touched: both faulted in, in the kernel. */
TEST_F(lazy, rep_insb_into_untouched_pages)
{
	struct tinyvmx_vcpu_stats st0 = { 0 }, st1 = { 0 };
	struct tvm_vcpu *v = &self->g.vcpu;
	__u32 off = 0x200000 - 8, i;

	ASSERT_OK(tvm_vcpu_get_stats(v, &st0));
	OP(OP_INSB, BASE + off, 16);
	ASSERT_OK(tvm_vcpu_get_stats(v, &st1));
	ASSERT_EQ(16, self->res.ins_bytes);
	ASSERT_EQ(st0.ram_faults + 2, st1.ram_faults);
	/* IN, IN, the one INS batch, IN: the faults never reached us. */
	ASSERT_EQ(st0.userspace_exits + 4, st1.userspace_exits);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(INS_FIRST + i, self->ram[off + i]) TH_LOG("byte %u", i);
	ASSERT_EQ(0, self->ram[off - 1]);
	ASSERT_EQ(0, self->ram[off + 16]);
}

/*
 * Code the host wrote into a page the guest never touched: its fetch maps
 * the page, and its MOV to MMIO is decoded from there.
 */
TEST_F(lazy, mmio_decoded_from_lazily_mapped_code)
{
	/* movb $0x5a, 0xc0000000; ret */
	static const __u8 code[] = { 0xc6, 0x05, 0x00, 0x00, 0x00, 0xc0, 0x5a, 0xc3 };
	struct tvm_vcpu *v = &self->g.vcpu;
	__u32 off = 0x300000 - 4;	/* the MOV crosses into the next page */
	__u64 faults = ram_faults(v);

	memcpy(self->ram + off, code, sizeof(code));
	OP(OP_CALL, BASE + off, 0);
	ASSERT_EQ(1, self->res.nmmio);
	ASSERT_EQ(GUEST_MMIO_HIGH, self->res.mmio.gpa);
	ASSERT_EQ(TINYVMX_MMIO_DECODED, self->res.mmio.flags & TINYVMX_MMIO_DECODED);
	ASSERT_EQ(TINYVMX_IO_OUT, self->res.mmio.direction);
	ASSERT_EQ(1, self->res.mmio.len);
	ASSERT_EQ(0x5a, self->res.mmio.data);
	ASSERT_LE(7, self->res.mmio.insn_len);
	ASSERT_EQ(0, memcmp(code, self->res.mmio.insn, 7));
	/* Both pages of the code, and the stack's for the call. */
	ASSERT_LE(faults + 2, ram_faults(v));
	ASSERT_GE(faults + 3, ram_faults(v));
}

/* A region deleted while mapped keeps its lazily made pages in the map. */
TEST_F(lazy, delete_while_mapped_keeps_pages)
{
	struct tinyvmx_mem_region r = { .slot = 1 };

	OP(OP_WRITE, BASE + 0x5000, 0x11223344);
	self->ram[0x9000] = 0x77;
	ASSERT_EQ(0, ioctl(self->g.vm.fd, TINYVMX_DELETE_MEM_REGION, &r));
	ASSERT_EQ(0x11223344, *(__u32 *)(self->ram + 0x5000));
	ASSERT_EQ(0x77, self->ram[0x9000]);
	/* Pages nobody touched still come, zeroed, to the mapping. */
	ASSERT_EQ(0, self->ram[0xa000]);
	self->ram[0xb000] = 1;
	ASSERT_EQ(1, self->ram[0xb000]);
	/* For the guest it is MMIO now. */
	OP(OP_READ, BASE + 0x5000, 0);
	ASSERT_EQ(1, self->res.nmmio);
	ASSERT_EQ(BASE + 0x5000, self->res.mmio.gpa);
}

/* Regions made, touched and deleted over and over: no page stays. */
TEST(create_touch_delete_many)
{
	struct tvm_guest g;
	struct op_result res;
	long before, after;
	int loop;

	tvm_guest_init(&g);
	TVM_OPEN_DEV_OR_SKIP(g.dev_fd);
	tvm_guest_destroy(&g);
	before = mem_free_kb();
	ASSERT_LT(0, before);
	for (loop = 0; loop < 10; loop++) {
		void *hva;

		tvm_guest_init(&g);
		ASSERT_OK(tvm_guest_create(&g));
		ASSERT_OK(tvm_vm_add_mem(&g.vm, 1, BASE, SIZE, &hva));
		TVM_LOAD(&g, lazy_prot, TVM_MODE_PROT);
		ASSERT_EQ(NULL, guest_start(&g, &g.vcpu));
		/* 2 MiB, with a page of it written by the host first. */
		((__u8 *)hva)[0x100000 + 0x1234] = 1;
		ASSERT_EQ(NULL, guest_op(&g.vcpu, OP_TOUCH, BASE + 0x100000, 512, &res));
		ASSERT_EQ(BASE + 0x1ff000, *(__u32 *)((__u8 *)hva + 0x1ff000));
		if (loop & 1)
			ASSERT_OK(tvm_vm_del_mem(&g.vm, 1));
		tvm_guest_destroy(&g);
	}
	after = mem_free_kb();
	/* A leak would be 20 MiB. */
	ASSERT_GT(6 * MIB_KB, before - after) TH_LOG("%ld KiB gone", before - after);
}

struct toucher {
	struct tvm_guest *g;
	struct tvm_vcpu vcpu;
	const char *err;
	__u64 faults;
};

#define SHARED_PAGES	256

static void *toucher_fn(void *arg)
{
	struct toucher *t = arg;
	struct op_result res;
	int i;

	for (i = 0; !t->err && i < 4; i++)
		t->err = guest_op(&t->vcpu, OP_TOUCH, BASE + 0x800000, SHARED_PAGES, &res);
	t->faults = ram_faults(&t->vcpu);
	return NULL;
}

/* Two vCPUs fault the same pages at the same time; each page is one page. */
TEST(two_vcpus_fault_the_same_pages)
{
	struct toucher t[2] = { 0 };
	struct tvm_guest g;
	pthread_t th[2];
	__u8 *ram;
	void *hva;
	int i;

	tvm_guest_init(&g);
	TVM_OPEN_DEV_OR_SKIP(g.dev_fd);
	ASSERT_OK(tvm_guest_create(&g));
	ASSERT_OK(tvm_vm_add_mem(&g.vm, 1, BASE, SIZE, &hva));
	ram = hva;
	ASSERT_OK(tvm_vm_write(&g.vm, GUEST_CODE, lazy_prot_start,
			       lazy_prot_end - lazy_prot_start));
	t[0].vcpu = g.vcpu;
	ASSERT_OK(tvm_vcpu_create(&t[1].vcpu, &g.vm, 1));
	for (i = 0; i < 2; i++) {
		t[i].g = &g;
		ASSERT_EQ(NULL, guest_start(&g, &t[i].vcpu));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_create(&th[i], NULL, toucher_fn, &t[i]));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		ASSERT_EQ(NULL, t[i].err);
	}
	/* At most the code and 256 pages each; fewer when the other was first. */
	ASSERT_LE(SHARED_PAGES, t[0].faults + t[1].faults);
	ASSERT_GE(2 * (SHARED_PAGES + 8), t[0].faults + t[1].faults);
	for (i = 0; i < SHARED_PAGES; i++) {
		__u32 off = 0x800000 + i * PAGE;

		ASSERT_EQ(BASE + off, *(__u32 *)(ram + off)) TH_LOG("page %d", i);
	}
	tvm_vcpu_destroy(&t[1].vcpu);
	tvm_guest_destroy(&g);
}

TEST_HARNESS_MAIN
