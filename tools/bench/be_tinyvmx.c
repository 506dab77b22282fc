// SPDX-License-Identifier: GPL-2.0
/*
 * The tinyvmx backend, through libtinyvmx.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"
#include "tvm.h"

struct bvm {
	struct tvm_vm vm;
	struct tvm_vcpu vcpu;
	void *ram;
	/* The coalesced output ring, when registered. */
	struct tinyvmx_ring *ring;
};

static int dev_fd = -1;
static char msg[256];

static const char *tinyvmx_strerror(void)
{
	return msg;
}

/* Keep libtinyvmx's message, which names the failing call. */
static int lib_fail(int r)
{
	snprintf(msg, sizeof(msg), "%s", tvm_strerror());
	return r;
}

static int tinyvmx_open(void)
{
	if (dev_fd >= 0)
		return 0;
	dev_fd = tvm_open_dev();
	return dev_fd < 0 ? lib_fail(dev_fd) : 0;
}

static int tinyvmx_set_entry(struct bvm *vm, uint64_t rip, uint64_t rbp)
{
	struct tinyvmx_regs regs = { .rip = rip, .rbp = rbp, .rflags = 0x2 };
	int r = tvm_vcpu_set_regs(&vm->vcpu, &regs);

	return r ? lib_fail(r) : 0;
}

static struct tinyvmx_segment seg(const struct bench_seg *b)
{
	return (struct tinyvmx_segment){
		.base = b->base, .limit = b->limit, .selector = b->selector,
		.type = b->type, .s = b->s, .present = b->present, .g = b->g,
	};
}

/* bench_real_mode (bench.h), about to run @entry. */
static int set_state(struct bvm *vm, uint64_t entry)
{
	const struct bench_state *b = &bench_real_mode;
	struct tinyvmx_sregs sregs = {
		.cs = seg(&b->cs), .ds = seg(&b->ds), .es = seg(&b->es),
		.fs = seg(&b->fs), .gs = seg(&b->gs), .ss = seg(&b->ss),
		.tr = seg(&b->tr), .ldt = seg(&b->ldt),
		.gdt = { .limit = b->gdt_limit },
		.idt = { .limit = b->idt_limit },
		.cr0 = b->cr0,
	};
	int r = tvm_vcpu_set_sregs(&vm->vcpu, &sregs);

	return r ? lib_fail(r) : tinyvmx_set_entry(vm, entry, 0);
}

static void tinyvmx_destroy(struct bvm *vm)
{
	if (!vm)
		return;
	tvm_vcpu_destroy(&vm->vcpu);
	tvm_vm_destroy(&vm->vm);
	free(vm);
}

static int tinyvmx_create(struct bvm **out, uint64_t ram_size, uint64_t entry)
{
	struct bvm *vm = calloc(1, sizeof(*vm));
	int r;

	*out = NULL;
	if (!vm)
		return bench_fail(msg, sizeof(msg), ENOMEM, "allocating a VM");
	vm->vm.fd = -1;
	vm->vcpu.fd = -1;
	r = tvm_vm_create(&vm->vm, dev_fd);
	if (!r)
		r = tvm_vm_add_mem(&vm->vm, 0, 0, ram_size, &vm->ram);
	if (!r)
		bench_load_guest(vm->ram);
	if (!r)
		r = tvm_vcpu_create(&vm->vcpu, &vm->vm, 0);
	if (r) {
		lib_fail(r);
		tinyvmx_destroy(vm);
		return r;
	}
	r = set_state(vm, entry);
	if (r) {
		tinyvmx_destroy(vm);
		return r;
	}
	*out = vm;
	return 0;
}

static void *tinyvmx_ram(struct bvm *vm)
{
	return vm->ram;
}

static int tinyvmx_get_rax_rdx(struct bvm *vm, uint64_t *rax, uint64_t *rdx)
{
	struct tinyvmx_regs regs;
	int r = tvm_vcpu_get_regs(&vm->vcpu, &regs);

	if (r)
		return lib_fail(r);
	*rax = regs.rax;
	*rdx = regs.rdx;
	return 0;
}

static int tinyvmx_run(struct bvm *vm, struct bexit *ex)
{
	struct tinyvmx_run *run = vm->vcpu.run;
	int r = tvm_vcpu_run(&vm->vcpu);

	if (r == -EINTR) {
		ex->kind = BX_INTR;
		return 0;
	}
	if (r)
		return lib_fail(r);
	switch (run->exit_reason) {
	case TINYVMX_EXIT_IO:
		if (run->io.string)
			break;
		ex->kind = run->io.direction == TINYVMX_IO_IN ? BX_IN : BX_OUT;
		ex->port = run->io.port;
		ex->size = run->io.size;
		ex->data = run->io.data;
		return 0;
	case TINYVMX_EXIT_MMIO:
		if (!(run->mmio.flags & TINYVMX_MMIO_DECODED))
			break;
		ex->kind = run->mmio.direction == TINYVMX_IO_IN ?
			   BX_MMIO_READ : BX_MMIO_WRITE;
		ex->gpa = run->mmio.gpa;
		ex->size = run->mmio.len;
		ex->data = run->mmio.data;
		return 0;
	case TINYVMX_EXIT_HLT:
		ex->kind = BX_HLT;
		return 0;
	}
	ex->kind = BX_OTHER;
	tvm_exit_str(run, ex->desc, sizeof(ex->desc));
	return 0;
}

static void tinyvmx_complete(struct bvm *vm, uint64_t value)
{
	struct tinyvmx_run *run = vm->vcpu.run;

	if (run->exit_reason == TINYVMX_EXIT_IO)
		run->io.data = value;
	else
		run->mmio.data = value;
}

/*
 * The coalesced-output ring (issue 7): used when the running module has
 * TINYVMX_CAP_COALESCED_IO.
 */
static int tinyvmx_coalesce(struct bvm *vm, uint16_t port)
{
	struct tinyvmx_coalesced_port cp = { .port = port, .len = 1 };
	uint32_t nent;
	int cap = tvm_check_cap(dev_fd, TINYVMX_CAP_COALESCED_IO);

	if (cap <= 0)
		return bench_fail(msg, sizeof(msg), EOPNOTSUPP,
				  "the loaded tinyvmx module has no TINYVMX_CAP_COALESCED_IO");
	if (vm->vcpu.run_size < TINYVMX_RUN_RING_OFFSET + 4096)
		return bench_fail(msg, sizeof(msg), EPROTO,
				  "the run mapping (%zu bytes) has no ring page",
				  vm->vcpu.run_size);
	if (ioctl(vm->vm.fd, TINYVMX_REGISTER_COALESCED_PORT, &cp))
		return bench_fail(msg, sizeof(msg), errno,
				  "TINYVMX_REGISTER_COALESCED_PORT %#x", port);
	vm->ring = (void *)((char *)vm->vcpu.run + TINYVMX_RUN_RING_OFFSET);
	nent = vm->ring->nent;
	if (!nent || (nent & (nent - 1)) ||
	    sizeof(*vm->ring) + nent * sizeof(vm->ring->entries[0]) > 4096) {
		vm->ring = NULL;
		return bench_fail(msg, sizeof(msg), EPROTO,
				  "the ring says it has %u entries", nent);
	}
	return 0;
}

static void tinyvmx_drain(struct bvm *vm, struct sink *s)
{
	struct tinyvmx_ring *ring = vm->ring;
	uint32_t tail, head, nent;

	if (!ring)
		return;
	tail = ring->tail;
	nent = ring->nent;
	head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	for (; tail != head; tail++) {
		const struct tinyvmx_ring_entry *e = &ring->entries[tail & (nent - 1)];

		sink_put(s, e->port, e->size, e->data);
	}
	__atomic_store_n(&ring->tail, tail, __ATOMIC_RELEASE);
}

static int tinyvmx_null_ioctl(void)
{
	int r = tvm_check_cap(dev_fd, TINYVMX_CAP_MAX_VCPUS);

	return r < 0 ? lib_fail(r) : 0;
}

static const char *tinyvmx_describe(void)
{
	static char line[128];
	int ring = tvm_check_cap(dev_fd, TINYVMX_CAP_COALESCED_IO);

	snprintf(line, sizeof(line), "tinyvmx API %d, coalesced-output ring: %s",
		 tvm_api_version(dev_fd), ring > 0 ? "yes" : "no");
	return line;
}

const struct backend backend_tinyvmx = {
	.name = "tinyvmx",
	.label = "tinyvmx",
	.open = tinyvmx_open,
	.create = tinyvmx_create,
	.destroy = tinyvmx_destroy,
	.ram = tinyvmx_ram,
	.set_entry = tinyvmx_set_entry,
	.get_rax_rdx = tinyvmx_get_rax_rdx,
	.run = tinyvmx_run,
	.complete = tinyvmx_complete,
	.coalesce = tinyvmx_coalesce,
	.drain = tinyvmx_drain,
	.null_ioctl = tinyvmx_null_ioctl,
	.describe = tinyvmx_describe,
	.strerror = tinyvmx_strerror,
};
