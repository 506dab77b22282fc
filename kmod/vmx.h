/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX backend: everything that knows about VMXON, the VMCS and VM
 * exits. The core (main.c, vm.c, vcpu.c, mem.c) calls only what this
 * header declares and never touches a VMCS field itself.
 */
#ifndef TVM_VMX_H
#define TVM_VMX_H

#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/types.h>
#include <linux/tinyvmx.h>

#include "regs.h"

struct tvm_vcpu;
struct tvm_vm;

/* Control values computed once at load time from the capability MSRs. */
struct tvm_vmx_config {
	u32 revision_id;
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid_cap;
	bool has_vpid;
	bool has_vnmi;
	bool has_insouts_info;	/* VM-exit instruction info for INS/OUTS */
	bool flush_l1d;		/* L1TF: flush L1D before each entry */
	u32 preemption_timer;	/* its value on each entry, if in use */
};

extern struct tvm_vmx_config tvm_vmx;
extern bool tvm_rebooting;		/* VMX was turned off for a reboot */

/* vmx_cpu.c: the CPU side, VMXON/VMXOFF. */
int tvm_vmx_probe(void);		/* at load: can this CPU do it? */
int tvm_vmx_get(void);			/* VMX on, on every online CPU */
void tvm_vmx_put(void);			/* VMX off after the last user */
int tvm_vmx_module_init(void);
void tvm_vmx_module_exit(void);
void tvm_cpu_emergency_vmxoff(void);

/* emergency.c: VMX off in a crash or emergency reboot. */
int tvm_emergency_init(void);
void tvm_emergency_exit(void);
void tvm_emergency_hold(bool held);

/*
 * Host state that VM exits do not restore and that only userspace or a
 * context switch needs back (SDM "Loading Host Segment and
 * Descriptor-Table Registers": GDTR/IDTR limits become 0xffff, the TR
 * limit 0x67, DS/ES/FS/GS selectors whatever the host fields say).
 * Saved before the first entry, restored when the thread is scheduled out
 * or RUN returns.
 */
struct tvm_host_state {
	u16 ds, es, fs, gs;
	u64 fs_base;
	u64 kernel_gs_base;
	bool loaded;
};

/* An INS or OUTS batch handed to userspace. */
struct tvm_string_io {
	u64 gva;		/* linear address of the first element */
	u32 count;		/* elements in this batch */
	u8 size;		/* bytes per element */
	u8 asize;		/* address size in bytes: 2, 4 or 8 */
	bool in, rep, df;
};

/* Events queued by TINYVMX_INJECT (event.c). */
struct tvm_events {
	u32 exception;		/* entry interruption info, or 0 */
	u32 error_code;
	u32 irq;		/* entry interruption info, or 0 */
	bool nmi;
};

/* The per-vCPU VMX state. */
struct tvm_vmx {
	unsigned long gprs[TVM_NR_GPRS];	/* see regs.h */
	void *vmcs;				/* one page */
	void *fpu;				/* guest FPU/XSAVE area */
	int cpu;				/* where the VMCS is active, or -1 */
	bool launched;				/* VMRESUME, not VMLAUNCH */
	bool flush_ept;				/* INVEPT before the next entry */
	bool shutdown;				/* triple fault seen */
	struct list_head cpu_link;		/* on the CPU's loaded list */
	u64 cr2;
	u64 cr8;
	u64 dr[8];				/* DR0-3, DR6, DR7 (4, 5 unused) */
	u64 kernel_gs_base;			/* the guest's */
	u64 syscall[4];				/* STAR, LSTAR, CSTAR, SFMASK */
	bool kgs_loaded;			/* guest KERNEL_GS_BASE in the CPU */
	bool syscall_loaded;			/* guest syscall MSRs in the CPU */
	u64 efer;				/* the guest's, as it set it */
	u64 xcr0;				/* the guest's XCR0 */
	u64 xcr0_allowed;			/* from its CPUID leaf 0xd */
	u64 cr4_rsvd;				/* CR4 bits its CPUID hides */
	u64 cr4_mask;				/* CR4_GUEST_HOST_MASK */
	unsigned long host_cr3, host_cr4;	/* as last written to the VMCS */
	struct tvm_host_state host;
	struct preempt_notifier pn;
	/* The exit being handled. */
	u32 exit_reason;
	u64 exit_qual;
	u32 exit_insn_len;
	u64 exit_rip;
	/* An exit userspace must complete on the next RUN. */
	u32 pending;				/* TVM_PENDING_* */
	u8 pending_reg;				/* MMIO read: destination */
	u8 pending_len;
	bool pending_high8;			/* AH, CH, DH or BH */
	struct tvm_string_io str;
	struct tvm_events events;
	bool exit_in_delivery;			/* IDT-vectoring info was valid */
	u64 fault_gpa;				/* for TVM_EXIT_FAULT_IN */
	bool kicked;				/* TINYVMX_KICK pending */
	u32 proc_ctl;				/* CPU_BASED_VM_EXEC_CONTROL */
};

enum {
	TVM_PENDING_NONE,
	TVM_PENDING_IO_IN,		/* write run->io.data to RAX */
	TVM_PENDING_IO_OUT,		/* just skip the instruction */
	TVM_PENDING_MMIO_READ,		/* write run->mmio.data to a GPR */
	TVM_PENDING_MMIO_WRITE,		/* skip the instruction */
	TVM_PENDING_STRING_IO,		/* finish INS/OUTS: see string_io.c */
};

/* vmx_vcpu.c */
void tvm_vmx_kick(struct tvm_vcpu *vcpu);
int tvm_vmx_vcpu_init(struct tvm_vcpu *vcpu);
void tvm_vmx_vcpu_free(struct tvm_vcpu *vcpu);
int tvm_vmx_run(struct tvm_vcpu *vcpu);
void tvm_vmx_get_regs(struct tvm_vcpu *vcpu, struct tinyvmx_regs *regs);
int tvm_vmx_set_regs(struct tvm_vcpu *vcpu, const struct tinyvmx_regs *regs);
void tvm_vmx_get_sregs(struct tvm_vcpu *vcpu, struct tinyvmx_sregs *sregs);
int tvm_vmx_set_sregs(struct tvm_vcpu *vcpu, const struct tinyvmx_sregs *sregs);

/*
 * exit.c. Besides 1 (enter again), 0 (to userspace) and -errno, a handler
 * may return TVM_EXIT_FAULT_IN: the guest touched RAM at vmx->fault_gpa
 * whose page is not there yet. Allocating it may sleep, so the run loop
 * does it outside the section with preemption off, then enters again.
 */
#define TVM_EXIT_FAULT_IN	2
int tvm_handle_exit(struct tvm_vcpu *vcpu);
int tvm_exit_unexpected(struct tvm_vcpu *vcpu);

/* string_io.c */
int tvm_exit_string_io(struct tvm_vcpu *vcpu);
void tvm_complete_string_io(struct tvm_vcpu *vcpu);

/* mmio.c */
int tvm_exit_mmio(struct tvm_vcpu *vcpu, u64 gpa);
void tvm_complete_mmio_read(struct tvm_vcpu *vcpu, u64 data);

/* ept.c */
int tvm_ept_init(struct tvm_vm *vm);
u64 tvm_ept_pointer(struct tvm_vm *vm);
void tvm_ept_free(struct tvm_vm *vm);
int tvm_ept_map_page(struct tvm_vm *vm, u64 gpa, struct page *page);
void tvm_ept_unmap(struct tvm_vm *vm, u64 gpa, u64 npages);

#endif /* TVM_VMX_H */
