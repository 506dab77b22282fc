// SPDX-License-Identifier: GPL-2.0
/*
 * libtinyvmx: thin wrappers over the /dev/tinyvmx ioctls, and the VM and
 * vCPU objects that hold their fds and mappings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tvm.h"
#include "tvm_priv.h"

static __thread char tvm_msg[256];

const char *tvm_strerror(void)
{
	return tvm_msg;
}

int tvm_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tvm_msg, sizeof(tvm_msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(tvm_msg))
		snprintf(tvm_msg + n, sizeof(tvm_msg) - n, ": %s", strerror(err));
	return -err;
}

/* ---- /dev/tinyvmx ------------------------------------------------------- */

int tvm_open_dev(void)
{
	int fd = open(TVM_DEV_PATH, O_RDWR | O_CLOEXEC);

	const char *hint = "";

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		hint = " (is the tinyvmx module loaded? 'modprobe tinyvmx' says why not)";
	else if (errno == EACCES)
		hint = " (is this user in the tinyvmx group?)";
	return tvm_fail(errno, "open %s%s", TVM_DEV_PATH, hint);
}

int tvm_api_version(int dev_fd)
{
	int r = ioctl(dev_fd, TINYVMX_GET_API_VERSION, 0);

	return r < 0 ? tvm_fail(errno, "TINYVMX_GET_API_VERSION") : r;
}

int tvm_check_cap(int dev_fd, unsigned long cap)
{
	int r = ioctl(dev_fd, TINYVMX_CHECK_CAP, cap);

	return r < 0 ? tvm_fail(errno, "TINYVMX_CHECK_CAP %lu", cap) : r;
}

int tvm_get_run_size(int dev_fd)
{
	int r = ioctl(dev_fd, TINYVMX_GET_RUN_SIZE, 0);

	return r < 0 ? tvm_fail(errno, "TINYVMX_GET_RUN_SIZE") : r;
}

/* GET_SUPPORTED_CPUID or GET_CPUID on @fd; @what names it in errors. */
static int get_cpuid(int fd, unsigned long cmd, const char *what,
		     struct tinyvmx_cpuid_entry *entries, __u32 *nent)
{
	struct tinyvmx_cpuid c = {
		.nent = *nent,
		.entries = (unsigned long)entries,
	};
	int err;

	if (ioctl(fd, cmd, &c)) {
		err = errno;
		*nent = c.nent;
		return tvm_fail(err, "%s with room for %u entries%s", what,
				(unsigned int)c.nent, err == E2BIG ? " (more needed)" : "");
	}
	*nent = c.nent;
	return 0;
}

int tvm_get_supported_cpuid(int dev_fd, struct tinyvmx_cpuid_entry *entries,
			    __u32 *nent)
{
	return get_cpuid(dev_fd, TINYVMX_GET_SUPPORTED_CPUID,
			 "TINYVMX_GET_SUPPORTED_CPUID", entries, nent);
}

int tvm_create_vm(int dev_fd)
{
	int r = ioctl(dev_fd, TINYVMX_CREATE_VM, 0);

	if (r < 0)
		return tvm_fail(errno, "TINYVMX_CREATE_VM%s", errno == EBUSY ?
				" (another hypervisor holds VMX?)" : "");
	return r;
}

/* ---- VMs and their memory ------------------------------------------------ */

int tvm_vm_create(struct tvm_vm *vm, int dev_fd)
{
	int size;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	size = tvm_get_run_size(dev_fd);
	if (size < 0)
		return size;
	if ((size_t)size < sizeof(struct tinyvmx_run))
		return tvm_fail(EPROTO, "TINYVMX_GET_RUN_SIZE gave %d, below the %zu bytes of struct tinyvmx_run",
				size, sizeof(struct tinyvmx_run));
	vm->run_size = size;
	vm->fd = tvm_create_vm(dev_fd);
	return vm->fd < 0 ? vm->fd : 0;
}

void tvm_vm_destroy(struct tvm_vm *vm)
{
	unsigned int i;

	for (i = 0; i < TVM_MAX_MEM; i++) {
		if (vm->mem[i].hva)
			munmap(vm->mem[i].hva, vm->mem[i].size);
		vm->mem[i].hva = NULL;
		vm->mem[i].size = 0;
	}
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
}

int tvm_vm_add_mem(struct tvm_vm *vm, __u32 slot, __u64 gpa, __u64 size,
		   void **hva)
{
	struct tinyvmx_mem_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.size = size,
	};
	struct tvm_mem *m;
	void *p;
	int err;

	if (slot >= TVM_MAX_MEM)
		return tvm_fail(ENOSPC, "memory slot %u: libtinyvmx tracks slots below %u",
				slot, TVM_MAX_MEM);
	m = &vm->mem[slot];
	if (ioctl(vm->fd, TINYVMX_CREATE_MEM_REGION, &r))
		return tvm_fail(errno, "TINYVMX_CREATE_MEM_REGION slot %u gpa %#llx size %#llx",
				slot, (unsigned long long)gpa,
				(unsigned long long)size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->fd,
		 r.mmap_offset);
	if (p == MAP_FAILED) {
		err = errno;
		ioctl(vm->fd, TINYVMX_DELETE_MEM_REGION,
		      &(struct tinyvmx_mem_region){ .slot = slot });
		return tvm_fail(err, "mmap of memory slot %u (offset %#llx size %#llx)",
				slot, (unsigned long long)r.mmap_offset,
				(unsigned long long)size);
	}
	m->gpa = gpa;
	m->size = size;
	m->mmap_offset = r.mmap_offset;
	m->hva = p;
	if (hva)
		*hva = p;
	return 0;
}

int tvm_vm_del_mem(struct tvm_vm *vm, __u32 slot)
{
	struct tinyvmx_mem_region r = { .slot = slot };

	if (slot < TVM_MAX_MEM && vm->mem[slot].hva) {
		munmap(vm->mem[slot].hva, vm->mem[slot].size);
		memset(&vm->mem[slot], 0, sizeof(vm->mem[slot]));
	}
	if (ioctl(vm->fd, TINYVMX_DELETE_MEM_REGION, &r))
		return tvm_fail(errno, "TINYVMX_DELETE_MEM_REGION slot %u", slot);
	return 0;
}

int tvm_vm_get_mem(struct tvm_vm *vm, __u32 slot, struct tinyvmx_mem_region *r)
{
	memset(r, 0, sizeof(*r));
	r->slot = slot;
	if (ioctl(vm->fd, TINYVMX_GET_MEM_REGION, r))
		return tvm_fail(errno, "TINYVMX_GET_MEM_REGION slot %u", slot);
	return 0;
}

int tvm_vm_coalesce_port(struct tvm_vm *vm, __u16 port, __u16 len)
{
	struct tinyvmx_coalesced_port c = { .port = port, .len = len };

	if (ioctl(vm->fd, TINYVMX_REGISTER_COALESCED_PORT, &c))
		return tvm_fail(errno, "TINYVMX_REGISTER_COALESCED_PORT %#x+%u", port, len);
	return 0;
}

void *tvm_vm_hva(const struct tvm_vm *vm, __u64 gpa, __u64 len)
{
	const struct tvm_mem *m;
	unsigned int i;

	for (i = 0; i < TVM_MAX_MEM; i++) {
		m = &vm->mem[i];
		if (!m->hva || gpa < m->gpa || gpa - m->gpa > m->size ||
		    len > m->size - (gpa - m->gpa))
			continue;
		return (char *)m->hva + (gpa - m->gpa);
	}
	return NULL;
}

int tvm_vm_write(struct tvm_vm *vm, __u64 gpa, const void *src, size_t len)
{
	void *dst = tvm_vm_hva(vm, gpa, len);

	if (!dst)
		return tvm_fail(EFAULT, "guest-physical %#llx, %zu bytes: not in one mapped region",
				(unsigned long long)gpa, len);
	memcpy(dst, src, len);
	return 0;
}

/* ---- vCPUs --------------------------------------------------------------- */

int tvm_vcpu_create(struct tvm_vcpu *vcpu, struct tvm_vm *vm, unsigned int id)
{
	void *p;
	int err;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->id = id;
	vcpu->vm = vm;
	vcpu->fd = ioctl(vm->fd, TINYVMX_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0)
		return tvm_fail(errno, "TINYVMX_CREATE_VCPU id %u", id);
	p = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vcpu->fd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		close(vcpu->fd);
		vcpu->fd = -1;
		return tvm_fail(err, "mmap of the run struct of vCPU %u (%zu bytes)",
				id, vm->run_size);
	}
	vcpu->run = p;
	vcpu->run_size = vm->run_size;
	return 0;
}

void tvm_vcpu_destroy(struct tvm_vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, vcpu->run_size);
	vcpu->run = NULL;
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->fd = -1;
}

int tvm_vcpu_get_regs(struct tvm_vcpu *vcpu, struct tinyvmx_regs *regs)
{
	if (ioctl(vcpu->fd, TINYVMX_GET_REGS, regs))
		return tvm_fail(errno, "TINYVMX_GET_REGS vCPU %u", vcpu->id);
	return 0;
}

int tvm_vcpu_set_regs(struct tvm_vcpu *vcpu, const struct tinyvmx_regs *regs)
{
	if (ioctl(vcpu->fd, TINYVMX_SET_REGS, regs))
		return tvm_fail(errno, "TINYVMX_SET_REGS vCPU %u rip %#llx",
				vcpu->id, (unsigned long long)regs->rip);
	return 0;
}

int tvm_vcpu_get_sregs(struct tvm_vcpu *vcpu, struct tinyvmx_sregs *sregs)
{
	if (ioctl(vcpu->fd, TINYVMX_GET_SREGS, sregs))
		return tvm_fail(errno, "TINYVMX_GET_SREGS vCPU %u", vcpu->id);
	return 0;
}

int tvm_vcpu_set_sregs(struct tvm_vcpu *vcpu, const struct tinyvmx_sregs *sregs)
{
	if (ioctl(vcpu->fd, TINYVMX_SET_SREGS, sregs))
		return tvm_fail(errno, "TINYVMX_SET_SREGS vCPU %u cr0 %#llx cr4 %#llx efer %#llx",
				vcpu->id, (unsigned long long)sregs->cr0,
				(unsigned long long)sregs->cr4,
				(unsigned long long)sregs->efer);
	return 0;
}

int tvm_vcpu_set_cpuid(struct tvm_vcpu *vcpu,
		       const struct tinyvmx_cpuid_entry *entries, __u32 nent)
{
	struct tinyvmx_cpuid c = {
		.nent = nent,
		.entries = (unsigned long)entries,
	};

	if (ioctl(vcpu->fd, TINYVMX_SET_CPUID, &c))
		return tvm_fail(errno, "TINYVMX_SET_CPUID vCPU %u, %u entries",
				vcpu->id, nent);
	return 0;
}

int tvm_vcpu_get_cpuid(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid_entry *entries,
		       __u32 *nent)
{
	return get_cpuid(vcpu->fd, TINYVMX_GET_CPUID, "TINYVMX_GET_CPUID",
			 entries, nent);
}

/* GET_MSRS or SET_MSRS: entries done, or -errno. */
static int msrs(struct tvm_vcpu *vcpu, unsigned long cmd, const char *what,
		const struct tinyvmx_msr_entry *entries, __u32 nmsrs)
{
	struct tinyvmx_msrs m = {
		.nmsrs = nmsrs,
		.entries = (unsigned long)entries,
	};
	int r = ioctl(vcpu->fd, cmd, &m);

	if (r < 0)
		return tvm_fail(errno, "%s vCPU %u, %u entries", what, vcpu->id, nmsrs);
	return r;
}

int tvm_vcpu_get_msrs(struct tvm_vcpu *vcpu, struct tinyvmx_msr_entry *entries,
		      __u32 nmsrs)
{
	return msrs(vcpu, TINYVMX_GET_MSRS, "TINYVMX_GET_MSRS", entries, nmsrs);
}

int tvm_vcpu_set_msrs(struct tvm_vcpu *vcpu, const struct tinyvmx_msr_entry *entries,
		      __u32 nmsrs)
{
	return msrs(vcpu, TINYVMX_SET_MSRS, "TINYVMX_SET_MSRS", entries, nmsrs);
}

int tvm_vcpu_get_stats(struct tvm_vcpu *vcpu, struct tinyvmx_vcpu_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	if (ioctl(vcpu->fd, TINYVMX_GET_STATS, stats))
		return tvm_fail(errno, "TINYVMX_GET_STATS vCPU %u", vcpu->id);
	return 0;
}

int tvm_vcpu_inject(struct tvm_vcpu *vcpu, const struct tinyvmx_event *ev)
{
	if (ioctl(vcpu->fd, TINYVMX_INJECT, ev))
		return tvm_fail(errno, "TINYVMX_INJECT vCPU %u type %u vector %u "
				"error %#x flags %#x", vcpu->id, ev->type, ev->vector,
				ev->error_code, ev->flags);
	return 0;
}

int tvm_vcpu_get_fpu(struct tvm_vcpu *vcpu, struct tinyvmx_fpu *fpu)
{
	memset(fpu, 0, sizeof(*fpu));
	if (ioctl(vcpu->fd, TINYVMX_GET_FPU, fpu))
		return tvm_fail(errno, "TINYVMX_GET_FPU vCPU %u", vcpu->id);
	return 0;
}

int tvm_vcpu_set_fpu(struct tvm_vcpu *vcpu, const struct tinyvmx_fpu *fpu)
{
	if (ioctl(vcpu->fd, TINYVMX_SET_FPU, fpu))
		return tvm_fail(errno, "TINYVMX_SET_FPU vCPU %u (MXCSR %#x)", vcpu->id,
				*(const __u32 *)(fpu->region + 24));
	return 0;
}

int tvm_vcpu_kick(struct tvm_vcpu *vcpu)
{
	if (ioctl(vcpu->fd, TINYVMX_KICK, 0))
		return tvm_fail(errno, "TINYVMX_KICK vCPU %u", vcpu->id);
	return 0;
}

int tvm_vcpu_run(struct tvm_vcpu *vcpu)
{
	if (ioctl(vcpu->fd, TINYVMX_RUN, 0))
		return tvm_fail(errno, "TINYVMX_RUN vCPU %u", vcpu->id);
	return 0;
}
