// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM backend: a minimal runner on /dev/kvm, with no QEMU, so that
 * both sides of the comparison carry the same userspace. It does what a
 * VMM must do for this guest and nothing more: a VM, anonymous memory as
 * guest RAM, one vCPU with the CPUID table KVM supports (a vCPU without
 * one is not a usable x86 CPU; tinyvmx gives every vCPU its default
 * table), the real-mode state, and KVM_RUN. No in-kernel irqchip, so HLT
 * exits to userspace, as on tinyvmx.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "bench.h"

#define KVM_DEV		"/dev/kvm"
#define PAGE		4096

struct bvm {
	int vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	void *ram;
	size_t ram_size;
	struct kvm_coalesced_mmio_ring *ring;	/* when registered */
};

static int kvm_fd = -1;
static struct kvm_cpuid2 *supported;	/* KVM_GET_SUPPORTED_CPUID, once */
static char msg[256];

static const char *kvm_strerror(void)
{
	return msg;
}

#define FAIL(err, ...) bench_fail(msg, sizeof(msg), (err), __VA_ARGS__)

static int kvm_open(void)
{
	int n = 256, r;

	if (kvm_fd >= 0)
		return 0;
	/* The comparison is VMX against VMX: another KVM (kvm_amd, a
	 * paravirtual one) would measure something else, or not run this
	 * guest at all. */
	if (access("/sys/module/kvm_intel", F_OK))
		return FAIL(ENODEV, "kvm_intel is not loaded%s",
			    access(KVM_DEV, F_OK) ? "" :
			    " (this /dev/kvm belongs to another KVM module)");
	kvm_fd = open(KVM_DEV, O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		return FAIL(errno, "open %s%s", KVM_DEV,
			    errno == ENOENT ? " (is kvm_intel loaded?)" : "");
	r = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION) {
		close(kvm_fd);
		kvm_fd = -1;
		return FAIL(EPROTO, "KVM_GET_API_VERSION gave %d, not %d",
			    r, KVM_API_VERSION);
	}
	for (;;) {
		supported = calloc(1, sizeof(*supported) +
				   n * sizeof(supported->entries[0]));
		if (!supported)
			return FAIL(ENOMEM, "allocating a CPUID table");
		supported->nent = n;
		if (!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, supported))
			return 0;
		r = errno;
		free(supported);
		supported = NULL;
		if (r != E2BIG || n >= 4096)
			return FAIL(r, "KVM_GET_SUPPORTED_CPUID with %d entries", n);
		n *= 2;
	}
}

static struct kvm_segment seg(const struct bench_seg *b)
{
	return (struct kvm_segment){
		.base = b->base, .limit = b->limit, .selector = b->selector,
		.type = b->type, .s = b->s, .present = b->present, .g = b->g,
	};
}

static int kvm_set_entry(struct bvm *vm, uint64_t rip, uint64_t rbp)
{
	struct kvm_regs regs = { .rip = rip, .rbp = rbp, .rflags = 0x2 };

	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs))
		return FAIL(errno, "KVM_SET_REGS rip %#llx", (unsigned long long)rip);
	return 0;
}

/*
 * bench_real_mode (bench.h). KVM_GET_SREGS first, for what the bench
 * state does not name (APIC base, EFER, CR8), as a VMM would.
 */
static int set_state(struct bvm *vm, uint64_t entry)
{
	const struct bench_state *b = &bench_real_mode;
	struct kvm_sregs sregs;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs))
		return FAIL(errno, "KVM_GET_SREGS");
	sregs.cs = seg(&b->cs);
	sregs.ds = seg(&b->ds);
	sregs.es = seg(&b->es);
	sregs.fs = seg(&b->fs);
	sregs.gs = seg(&b->gs);
	sregs.ss = seg(&b->ss);
	sregs.tr = seg(&b->tr);
	sregs.ldt = seg(&b->ldt);
	sregs.gdt = (struct kvm_dtable){ .limit = b->gdt_limit };
	sregs.idt = (struct kvm_dtable){ .limit = b->idt_limit };
	sregs.cr0 = b->cr0;
	sregs.cr2 = sregs.cr3 = sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs))
		return FAIL(errno, "KVM_SET_SREGS");
	return kvm_set_entry(vm, entry, 0);
}

static void kvm_destroy(struct bvm *vm)
{
	if (!vm)
		return;
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	free(vm);
}

static int create(struct bvm *vm, uint64_t ram_size, uint64_t entry)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = ram_size,
	};
	void *p;
	int n;

	n = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n < (int)sizeof(struct kvm_run))
		return FAIL(n < 0 ? errno : EPROTO, "KVM_GET_VCPU_MMAP_SIZE gave %d", n);
	vm->run_size = n;
	vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return FAIL(errno, "KVM_CREATE_VM");
	p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return FAIL(errno, "mmap of %llu bytes of guest RAM",
			    (unsigned long long)ram_size);
	vm->ram = p;
	vm->ram_size = ram_size;
	mem.userspace_addr = (unsigned long)p;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mem))
		return FAIL(errno, "KVM_SET_USER_MEMORY_REGION size %#llx",
			    (unsigned long long)ram_size);
	bench_load_guest(vm->ram);
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return FAIL(errno, "KVM_CREATE_VCPU 0");
	p = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vm->vcpu_fd, 0);
	if (p == MAP_FAILED)
		return FAIL(errno, "mmap of kvm_run (%zu bytes)", vm->run_size);
	vm->run = p;
	if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, supported))
		return FAIL(errno, "KVM_SET_CPUID2 with %u entries", supported->nent);
	return set_state(vm, entry);
}

static int kvm_create(struct bvm **out, uint64_t ram_size, uint64_t entry)
{
	struct bvm *vm = calloc(1, sizeof(*vm));
	int r;

	*out = NULL;
	if (!vm)
		return FAIL(ENOMEM, "allocating a VM");
	vm->vm_fd = vm->vcpu_fd = -1;
	r = create(vm, ram_size, entry);
	if (r) {
		kvm_destroy(vm);
		return r;
	}
	*out = vm;
	return 0;
}

static void *kvm_ram(struct bvm *vm)
{
	return vm->ram;
}

static int kvm_get_rax_rdx(struct bvm *vm, uint64_t *rax, uint64_t *rdx)
{
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs))
		return FAIL(errno, "KVM_GET_REGS");
	*rax = regs.rax;
	*rdx = regs.rdx;
	return 0;
}

static int kvm_run(struct bvm *vm, struct bexit *ex)
{
	struct kvm_run *run = vm->run;
	uint64_t v = 0;

	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		if (errno == EINTR) {
			ex->kind = BX_INTR;
			return 0;
		}
		return FAIL(errno, "KVM_RUN");
	}
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.count != 1 || run->io.size > sizeof(v))
			break;
		ex->kind = run->io.direction == KVM_EXIT_IO_IN ? BX_IN : BX_OUT;
		ex->port = run->io.port;
		ex->size = run->io.size;
		memcpy(&v, (char *)run + run->io.data_offset, run->io.size);
		ex->data = v;
		return 0;
	case KVM_EXIT_MMIO:
		if (run->mmio.len > sizeof(v))
			break;
		ex->kind = run->mmio.is_write ? BX_MMIO_WRITE : BX_MMIO_READ;
		ex->gpa = run->mmio.phys_addr;
		ex->size = run->mmio.len;
		memcpy(&v, run->mmio.data, run->mmio.len);
		ex->data = v;
		return 0;
	case KVM_EXIT_HLT:
		ex->kind = BX_HLT;
		return 0;
	case KVM_EXIT_INTR:
		ex->kind = BX_INTR;
		return 0;
	}
	ex->kind = BX_OTHER;
	snprintf(ex->desc, sizeof(ex->desc), "KVM exit reason %u", run->exit_reason);
	if (run->exit_reason == KVM_EXIT_IO)
		snprintf(ex->desc, sizeof(ex->desc), "KVM_EXIT_IO port %#x count %u size %u",
			 run->io.port, run->io.count, run->io.size);
	else if (run->exit_reason == KVM_EXIT_HYPERCALL)
		snprintf(ex->desc, sizeof(ex->desc), "KVM_EXIT_HYPERCALL nr %llu",
			 (unsigned long long)run->hypercall.nr);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		snprintf(ex->desc, sizeof(ex->desc), "KVM_EXIT_INTERNAL_ERROR suberror %u",
			 run->internal.suberror);
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		snprintf(ex->desc, sizeof(ex->desc), "KVM_EXIT_FAIL_ENTRY reason %#llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
	return 0;
}

static void kvm_complete(struct bvm *vm, uint64_t value)
{
	struct kvm_run *run = vm->run;

	if (run->exit_reason == KVM_EXIT_IO)
		memcpy((char *)run + run->io.data_offset, &value, run->io.size);
	else
		memcpy(run->mmio.data, &value, run->mmio.len);
}

/* KVM_CAP_COALESCED_PIO: KVM's ring for port writes, in the run mapping. */
static int kvm_coalesce(struct bvm *vm, uint16_t port)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = 1, .pio = 1 };

	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO) <= 0)
		return FAIL(EOPNOTSUPP, "KVM_CAP_COALESCED_PIO is absent");
	if (vm->run_size < (KVM_COALESCED_MMIO_PAGE_OFFSET + 1) * PAGE)
		return FAIL(EPROTO, "the run mapping (%zu bytes) has no coalesced ring",
			    vm->run_size);
	if (ioctl(vm->vm_fd, KVM_REGISTER_COALESCED_MMIO, &zone))
		return FAIL(errno, "KVM_REGISTER_COALESCED_MMIO pio %#x", port);
	vm->ring = (void *)((char *)vm->run + KVM_COALESCED_MMIO_PAGE_OFFSET * PAGE);
	return 0;
}

static void kvm_drain(struct bvm *vm, struct sink *s)
{
	struct kvm_coalesced_mmio_ring *ring = vm->ring;
	const uint32_t max = (PAGE - sizeof(*ring)) / sizeof(ring->coalesced_mmio[0]);
	uint32_t first, last;

	if (!ring)
		return;
	first = ring->first;
	last = __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE);
	while (first != last) {
		const struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[first];
		uint32_t v = 0;

		memcpy(&v, e->data, e->len < sizeof(v) ? e->len : sizeof(v));
		sink_put(s, e->phys_addr, e->len, v);
		first = (first + 1) % max;
	}
	__atomic_store_n(&ring->first, first, __ATOMIC_RELEASE);
}

static int kvm_null_ioctl(void)
{
	int r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);

	return r < 0 ? FAIL(errno, "KVM_CHECK_EXTENSION") : 0;
}

/* kvm_intel's parameters that decide how this guest runs. */
static const char *kvm_describe(void)
{
	static const char *const params[] = {
		"ept", "unrestricted_guest", "vpid", "enable_shadow_vmcs",
		"pml", "preemption_timer",
	};
	static char line[256];
	size_t n = 0, i;

	n += snprintf(line, sizeof(line), "kvm_intel");
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		char path[96], val[16] = "?";
		FILE *f;

		snprintf(path, sizeof(path), "/sys/module/kvm_intel/parameters/%s",
			 params[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%15s", val) != 1)
			strcpy(val, "?");
		fclose(f);
		if (n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s=%s", params[i], val);
	}
	return line;
}

const struct backend backend_kvm = {
	.name = "kvm",
	.label = "KVM",
	.open = kvm_open,
	.create = kvm_create,
	.destroy = kvm_destroy,
	.ram = kvm_ram,
	.set_entry = kvm_set_entry,
	.get_rax_rdx = kvm_get_rax_rdx,
	.run = kvm_run,
	.complete = kvm_complete,
	.coalesce = kvm_coalesce,
	.drain = kvm_drain,
	.null_ioctl = kvm_null_ioctl,
	.describe = kvm_describe,
	.strerror = kvm_strerror,
};
