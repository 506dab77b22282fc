// SPDX-License-Identifier: GPL-2.0
/*
 * A one-vCPU VM for the selftests: create it, load a snippet, start it in
 * the mode a test asks for.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "tvm_guest.h"

void tvm_guest_init(struct tvm_guest *g)
{
	memset(g, 0, sizeof(*g));
	g->dev_fd = -1;
	g->vm.fd = -1;
	g->vcpu.fd = -1;
}

int tvm_guest_create(struct tvm_guest *g)
{
	void *ram;
	int r;

	if (g->dev_fd < 0) {
		g->dev_fd = tvm_open_dev();
		if (g->dev_fd < 0)
			return g->dev_fd;
	}
	r = tvm_vm_create(&g->vm, g->dev_fd);
	if (r)
		return r;
	r = tvm_vm_add_mem(&g->vm, 0, 0, GUEST_RAM_SIZE, &ram);
	if (r)
		return r;
	g->ram = ram;
	return tvm_vcpu_create(&g->vcpu, &g->vm, 0);
}

int tvm_guest_load(struct tvm_guest *g, const struct tvm_snippet *s,
		   enum tvm_guest_mode mode)
{
	int r;

	r = tvm_vm_write(&g->vm, GUEST_CODE, s->start, s->end - s->start);
	if (r)
		return r;
	switch (mode) {
	case TVM_MODE_REAL:
		r = tvm_vcpu_set_real_mode(&g->vcpu, 0, GUEST_CODE);
		break;
	case TVM_MODE_PROT:
		r = tvm_vcpu_set_protected_mode(&g->vcpu, &g->vm, GUEST_TABLES,
						GUEST_CODE);
		break;
	case TVM_MODE_LONG:
		r = tvm_vcpu_set_long_mode(&g->vcpu, &g->vm, GUEST_TABLES,
					   GUEST_CODE);
		break;
	default:
		return -EINVAL;
	}
	if (r)
		return r;
	return tvm_guest_set_reg(g, TVM_REG(rsp), GUEST_STACK_TOP);
}

int tvm_guest_set_reg(struct tvm_guest *g, size_t offset, uint64_t value)
{
	struct tinyvmx_regs regs;
	int r;

	r = tvm_vcpu_get_regs(&g->vcpu, &regs);
	if (r)
		return r;
	memcpy((char *)&regs + offset, &value, sizeof(value));
	return tvm_vcpu_set_regs(&g->vcpu, &regs);
}

void tvm_guest_destroy(struct tvm_guest *g)
{
	tvm_vcpu_destroy(&g->vcpu);
	tvm_vm_destroy(&g->vm);
	if (g->dev_fd >= 0)
		close(g->dev_fd);
	g->dev_fd = -1;
	g->ram = NULL;
}

const char *tvm_exit_desc(const struct tinyvmx_run *run)
{
	static __thread char buf[256];

	return tvm_exit_str(run, buf, sizeof(buf));
}

const char *tvm_mode_name(enum tvm_guest_mode mode)
{
	switch (mode) {
	case TVM_MODE_REAL:
		return "real mode";
	case TVM_MODE_PROT:
		return "protected mode";
	case TVM_MODE_LONG:
		return "long mode";
	}
	return "?";
}
