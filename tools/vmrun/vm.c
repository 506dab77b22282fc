// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the VM through libtinyvmx. Guest RAM is one region at 0; a
 * firmware image gets a second region that ends at 4 GiB. The vCPU starts
 * in the state the load plan asks for.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vmrun.h"

#define RFLAGS_FIXED	0x2ull

void vmrun__layout(struct gmem *gm, const struct load_opts *lo)
{
	uint64_t gpa, len;

	memset(gm, 0, sizeof(*gm));
	gmem__add(gm, 0, lo->mem_size, NULL, "RAM");
	if (lo->firmware) {
		firmware__region(lo->firmware->size, &gpa, &len);
		gmem__add(gm, gpa, len, NULL, "firmware");
	}
}

static int host_error(void)
{
	vmrun__msg("%s", tvm_strerror());
	return -1;
}

/* The module's limits, checked first so that the message says which. */
static int check_caps(struct vmrun *vr)
{
	int shift, regions;
	unsigned int i;

	shift = tvm_check_cap(vr->dev_fd, TINYVMX_CAP_MAX_MEM_SHIFT);
	regions = tvm_check_cap(vr->dev_fd, TINYVMX_CAP_MAX_MEM_REGIONS);
	if (shift < 0 || regions < 0)
		return host_error();
	if ((unsigned int)regions < vr->gmem.nr) {
		vmrun__msg("the module allows %d memory regions; this guest needs %u",
			   regions, vr->gmem.nr);
		return -1;
	}
	for (i = 0; i < vr->gmem.nr; i++) {
		if (shift < 63 && vr->gmem.r[i].size > 1ull << shift) {
			vmrun__msg("%s of %llu MiB: the module allows regions of at most %llu MiB",
				   vr->gmem.r[i].name,
				   (unsigned long long)(vr->gmem.r[i].size / MiB),
				   (unsigned long long)((1ull << shift) / MiB));
			return -1;
		}
	}
	return 0;
}

int vm__create(struct vmrun *vr, const struct load_opts *lo)
{
	struct gmem_region *r;
	unsigned int i;
	void *hva;
	int v;

	vr->vm.fd = -1;
	vr->vcpu.fd = -1;
	vmrun__layout(&vr->gmem, lo);
	vr->dev_fd = tvm_open_dev();
	if (vr->dev_fd < 0)
		return host_error();
	v = tvm_api_version(vr->dev_fd);
	if (v < 0)
		return host_error();
	if (v != TINYVMX_API_VERSION) {
		vmrun__msg("%s speaks API version %d; this vmrun needs %d",
			   TVM_DEV_PATH, v, TINYVMX_API_VERSION);
		return -1;
	}
	if (check_caps(vr))
		return -1;
	if (tvm_vm_create(&vr->vm, vr->dev_fd))
		return host_error();
	for (i = 0; i < vr->gmem.nr; i++) {
		r = &vr->gmem.r[i];
		if (tvm_vm_add_mem(&vr->vm, i, r->gpa, r->size, &hva))
			return host_error();
		r->hva = hva;
	}
	if (tvm_vcpu_create(&vr->vcpu, &vr->vm, 0))
		return host_error();
	return 0;
}

/*
 * Linux's boot protocol wants CS = __BOOT_CS and DS = ES = SS = __BOOT_DS
 * in a GDT of its layout, which is not libtinyvmx's: keep the hidden parts
 * the mode helper set (the same flat descriptors the loader wrote into its
 * GDT) and switch the selectors and GDTR to the loader's table. TR keeps
 * libtinyvmx's TSS, which the kernel replaces with its own.
 */
static int linux_state(struct tvm_vcpu *vcpu, const struct boot *b,
		       struct tinyvmx_regs *regs)
{
	struct tinyvmx_sregs s;
	uint64_t rip = regs->rip;

	if (tvm_vcpu_get_sregs(vcpu, &s))
		return -1;
	s.cs.selector = b->cs_sel;
	s.ds.selector = b->ds_sel;
	s.es.selector = b->ds_sel;
	s.fs.selector = b->ds_sel;
	s.gs.selector = b->ds_sel;
	s.ss.selector = b->ds_sel;
	s.gdt.base = b->gdt;
	s.gdt.limit = b->gdt_limit;
	if (tvm_vcpu_set_sregs(vcpu, &s))
		return -1;
	/* RSI = the zero page; EBP, EDI and EBX must be 0 (boot.rst). */
	memset(regs, 0, sizeof(*regs));
	regs->rip = rip;
	regs->rsi = b->rsi;
	return 0;
}

int vm__boot(struct vmrun *vr, struct load_plan *plan)
{
	const struct boot *b = &plan->boot;
	struct tvm_vcpu *vcpu = &vr->vcpu;
	struct tinyvmx_regs regs;
	int r = 0;

	if (plan__commit(plan, &vr->gmem)) {
		vmrun__msg("%s", plan->err);
		return -1;
	}
	switch (b->mode) {
	case MODE_RESET:
		return 0;	/* the vCPU's reset state: the reset vector */
	case MODE_REAL:
		r = tvm_vcpu_set_real_mode(vcpu, b->cs, b->ip);
		break;
	case MODE_PROT:
		r = tvm_vcpu_set_protected_mode(vcpu, &vr->vm, VMRUN_TABLES_GPA,
						b->entry);
		break;
	case MODE_LONG:
		r = tvm_vcpu_set_long_mode(vcpu, &vr->vm, VMRUN_TABLES_GPA, b->entry);
		break;
	default:
		vmrun__msg("internal: no boot mode");
		return -1;
	}
	if (r || tvm_vcpu_get_regs(vcpu, &regs))
		return host_error();
	if (b->linux_boot && linux_state(vcpu, b, &regs))
		return host_error();
	regs.rsp = b->rsp;
	if (b->multiboot) {
		regs.rax = b->eax;
		regs.rbx = b->ebx;
	}
	regs.rflags = RFLAGS_FIXED;	/* interrupts off */
	if (tvm_vcpu_set_regs(vcpu, &regs))
		return host_error();
	return 0;
}

void vm__destroy(struct vmrun *vr)
{
	tvm_vcpu_destroy(&vr->vcpu);
	tvm_vm_destroy(&vr->vm);
	if (vr->dev_fd >= 0)
		close(vr->dev_fd);
	vr->dev_fd = -1;
}
