/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtinyvmx: thin wrappers over the /dev/tinyvmx ioctls, shared by vmrun
 * and the selftests.
 *
 * Every call returns 0 (or a value, or a file descriptor) on success and
 * -errno on failure, and leaves a message with the failing call and its
 * context in tvm_strerror() so that tools can say more than "Invalid
 * argument". Nothing here prints or exits.
 *
 * Three layers:
 *   tvm.c       the ioctls, plus struct tvm_vm and struct tvm_vcpu, which
 *               carry the fds and the mappings of guest RAM and run struct
 *   tvm_mode.c  put a vCPU in real, 32-bit protected or 64-bit long mode
 *   tvm_exit.c  exit reasons and VMX hardware reasons by name, and a
 *               one-line description of an exit for logs and failures
 */
#ifndef TVM_H
#define TVM_H

#include <stddef.h>
#include <linux/tinyvmx.h>
/*
 * The VMX basic exit reasons: EXIT_REASON_* and the VMX_EXIT_REASONS
 * name list of the uapi header the kernel's own tracepoints print from.
 * Userspace takes them from there and nowhere else; tvm_exit.c names the
 * few that list lacks.
 */
#include <asm/vmx.h>

#define TVM_DEV_PATH	"/dev/tinyvmx"
#define TVM_PAGE_SIZE	4096ull

/* Regions a struct tvm_vm keeps track of (slots 0 .. TVM_MAX_MEM-1). */
#define TVM_MAX_MEM	16

/* The message describing the last failed call of this thread. */
const char *tvm_strerror(void);

/* ---- /dev/tinyvmx ------------------------------------------------------- */

/* Open /dev/tinyvmx read-write, close-on-exec. Returns the fd. */
int tvm_open_dev(void);
/* TINYVMX_GET_API_VERSION. */
int tvm_api_version(int dev_fd);
/* TINYVMX_CHECK_CAP: the capability's value, 0 when absent. */
int tvm_check_cap(int dev_fd, unsigned long cap);
/* TINYVMX_GET_RUN_SIZE: the length of the run-struct mapping. */
int tvm_get_run_size(int dev_fd);
/*
 * TINYVMX_GET_SUPPORTED_CPUID into @entries (room for *@nent); on return
 * *@nent is the number filled, or on -E2BIG the number needed.
 */
int tvm_get_supported_cpuid(int dev_fd, struct tinyvmx_cpuid_entry *entries,
			    __u32 *nent);
/* TINYVMX_CREATE_VM: a bare VM fd (struct tvm_vm wraps it). */
int tvm_create_vm(int dev_fd);

/* ---- VMs and their memory ------------------------------------------------ */

/* A region of guest RAM and the host's view of it. */
struct tvm_mem {
	__u64 gpa;
	__u64 size;
	__u64 mmap_offset;
	void *hva;			/* MAP_SHARED over the whole region */
};

struct tvm_vm {
	int fd;
	size_t run_size;		/* from TINYVMX_GET_RUN_SIZE */
	struct tvm_mem mem[TVM_MAX_MEM];	/* by slot; size 0 = unused */
};

/*
 * Create a VM through @dev_fd, which may be closed afterwards: the VM fd
 * keeps the module alive. @vm is owned by the caller.
 */
int tvm_vm_create(struct tvm_vm *vm, int dev_fd);
/*
 * Unmap every region and close the VM fd. Safe after a failed
 * tvm_vm_create() and a second time (the fd is then -1).
 */
void tvm_vm_destroy(struct tvm_vm *vm);

/*
 * TINYVMX_CREATE_MEM_REGION at @gpa, @size bytes, in @slot, then map it
 * read-write. Returns 0 and the host address in *@hva (when @hva is not
 * NULL). On failure nothing is left behind.
 */
int tvm_vm_add_mem(struct tvm_vm *vm, __u32 slot, __u64 gpa, __u64 size,
		   void **hva);
/* Unmap the region of @slot and TINYVMX_DELETE_MEM_REGION it. */
int tvm_vm_del_mem(struct tvm_vm *vm, __u32 slot);
/* TINYVMX_GET_MEM_REGION of @slot into @r. */
int tvm_vm_get_mem(struct tvm_vm *vm, __u32 slot, struct tinyvmx_mem_region *r);
/* Send OUTs to ports [@port, @port + @len) to the vCPUs' output rings. */
int tvm_vm_coalesce_port(struct tvm_vm *vm, __u16 port, __u16 len);
/*
 * The host address of guest-physical [@gpa, @gpa + @len), or NULL when the
 * range does not lie within one mapped region.
 */
void *tvm_vm_hva(const struct tvm_vm *vm, __u64 gpa, __u64 len);
/* Copy @len bytes from @src to guest-physical @gpa (-EFAULT outside RAM). */
int tvm_vm_write(struct tvm_vm *vm, __u64 gpa, const void *src, size_t len);

/* ---- vCPUs --------------------------------------------------------------- */

struct tvm_vcpu {
	int fd;
	unsigned int id;
	struct tvm_vm *vm;		/* the VM it was made in */
	struct tinyvmx_run *run;	/* the mmap'd run struct */
	size_t run_size;
};

/*
 * TINYVMX_CREATE_VCPU with @id, then map its run struct. The vCPU starts
 * in the reset state the uapi header describes.
 */
int tvm_vcpu_create(struct tvm_vcpu *vcpu, struct tvm_vm *vm, unsigned int id);
/*
 * Unmap the run struct and close the vCPU fd. Safe after a failed
 * tvm_vcpu_create() and a second time (the fd is then -1).
 */
void tvm_vcpu_destroy(struct tvm_vcpu *vcpu);

int tvm_vcpu_get_regs(struct tvm_vcpu *vcpu, struct tinyvmx_regs *regs);
int tvm_vcpu_set_regs(struct tvm_vcpu *vcpu, const struct tinyvmx_regs *regs);
int tvm_vcpu_get_sregs(struct tvm_vcpu *vcpu, struct tinyvmx_sregs *sregs);
int tvm_vcpu_set_sregs(struct tvm_vcpu *vcpu, const struct tinyvmx_sregs *sregs);
/* TINYVMX_SET_CPUID: replace the vCPU's CPUID table with @nent entries. */
int tvm_vcpu_set_cpuid(struct tvm_vcpu *vcpu,
		       const struct tinyvmx_cpuid_entry *entries, __u32 nent);
/* TINYVMX_GET_CPUID: as tvm_get_supported_cpuid(), for the vCPU's table. */
int tvm_vcpu_get_cpuid(struct tvm_vcpu *vcpu, struct tinyvmx_cpuid_entry *entries,
		       __u32 *nent);
/*
 * TINYVMX_GET_MSRS / SET_MSRS of @nmsrs entries: the number done (which
 * stops at the first MSR refused), or -errno.
 */
int tvm_vcpu_get_msrs(struct tvm_vcpu *vcpu, struct tinyvmx_msr_entry *msrs,
		      __u32 nmsrs);
int tvm_vcpu_set_msrs(struct tvm_vcpu *vcpu, const struct tinyvmx_msr_entry *msrs,
		      __u32 nmsrs);
/* TINYVMX_GET_STATS: the vCPU's exit counters. */
int tvm_vcpu_get_stats(struct tvm_vcpu *vcpu, struct tinyvmx_vcpu_stats *stats);
/*
 * TINYVMX_INJECT: queue @ev (an exception, NMI or external interrupt)
 * for delivery at the next entry the guest can take it.
 */
int tvm_vcpu_inject(struct tvm_vcpu *vcpu, const struct tinyvmx_event *ev);
/* TINYVMX_GET_FPU / SET_FPU: the guest's x87/SSE/AVX state. */
int tvm_vcpu_get_fpu(struct tvm_vcpu *vcpu, struct tinyvmx_fpu *fpu);
int tvm_vcpu_set_fpu(struct tvm_vcpu *vcpu, const struct tinyvmx_fpu *fpu);
/*
 * TINYVMX_KICK: make a RUN of @vcpu in progress on another thread return
 * EINTR, or the next one. Safe from any thread at any time.
 */
int tvm_vcpu_kick(struct tvm_vcpu *vcpu);
/*
 * TINYVMX_RUN. Returns 0 with vcpu->run->exit_reason set, or -errno;
 * -EINTR (a signal, or run->immediate_exit) is an ordinary outcome.
 */
int tvm_vcpu_run(struct tvm_vcpu *vcpu);

/* ---- Modes (tvm_mode.c) -------------------------------------------------- */

/*
 * Each helper sets the special registers for its mode, RIP to the entry
 * point and RFLAGS to 0x2 (interrupts off); other GPRs keep their values.
 *
 * Real mode: CS:IP = @cs:@ip, as right after a far jump (CS base @cs << 4,
 * limit 0xffff); DS, ES, FS, GS and SS are 0 with limit 0xffff. CR0 is
 * 0x10 (ET only): caches on, unlike the reset value 0x60000010, because a
 * guest started at a chosen CS:IP is past its firmware's cache setup.
 */
int tvm_vcpu_set_real_mode(struct tvm_vcpu *vcpu, __u16 cs, __u16 ip);

/*
 * 32-bit protected mode, flat, paging off: a GDT (and a TSS) is written
 * at @tables_gpa, which must be 4 KiB aligned with TVM_PMODE_TABLES_SIZE
 * bytes of guest RAM. CS = TVM_SEL_CODE32, the data segments
 * TVM_SEL_DATA, TR = TVM_SEL_TSS; CR0 = PE | ET | NE (x87 errors as
 * exceptions, as every protected-mode OS sets it).
 */
int tvm_vcpu_set_protected_mode(struct tvm_vcpu *vcpu, struct tvm_vm *vm,
				__u64 tables_gpa, __u32 eip);

/*
 * 64-bit long mode: the GDT page and, after it, page tables that identity
 * map the first 4 GiB with 2 MiB pages are written at @tables_gpa (4 KiB
 * aligned, TVM_LMODE_TABLES_SIZE bytes of guest RAM). CS = TVM_SEL_CODE64
 * (L=1), data TVM_SEL_DATA, TR = TVM_SEL_TSS (busy 64-bit TSS); CR0 =
 * PE | ET | NE | PG, CR4 = PAE, EFER = LME | LMA, CR3 = the PML4.
 */
int tvm_vcpu_set_long_mode(struct tvm_vcpu *vcpu, struct tvm_vm *vm,
			   __u64 tables_gpa, __u64 rip);

/* The GDT the protected- and long-mode helpers write. */
#define TVM_SEL_CODE32	0x08
#define TVM_SEL_DATA	0x10
#define TVM_SEL_CODE64	0x18
#define TVM_SEL_TSS	0x20	/* 16 bytes in long mode */

#define TVM_PMODE_TABLES_SIZE	0x1000ull	/* GDT, then the TSS at 0x800 */
#define TVM_LMODE_TABLES_SIZE	0x7000ull	/* + PML4, PDPT, 4 PDs */

/* ---- Exits (tvm_exit.c) -------------------------------------------------- */

/* "IO", "MMIO", "HLT", ...; "exit-N" for reasons this library predates. */
const char *tvm_exit_name(__u32 exit_reason);
/*
 * A VMX basic exit reason by name (SDM Appendix C), as <asm/vmx.h>'s
 * VMX_EXIT_REASONS spells it ("IO_INSTRUCTION", "MSR_READ"), or NULL.
 */
const char *tvm_vmx_exit_name(__u32 basic_reason);
/* A VM-instruction error by name (SDM "VM Instruction Error Numbers"). */
const char *tvm_vmx_insn_error_name(__u32 error);
/*
 * One line describing the exit in @run: the reason by name, RIP and the
 * reason's fields, e.g. "IO out port 0x3f8 size 1 data 0x41 rip 0x7c05".
 * Returns @buf.
 */
char *tvm_exit_str(const struct tinyvmx_run *run, char *buf, size_t len);

#endif /* TVM_H */
