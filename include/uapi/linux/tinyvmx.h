/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tinyvmx: the userspace API of /dev/tinyvmx.
 *
 * Three kinds of file descriptor, as in KVM:
 *   /dev/tinyvmx   system ioctls; TINYVMX_CREATE_VM returns a VM fd
 *   VM fd          guest memory regions, TINYVMX_CREATE_VCPU; mmap of a
 *                  region's offset maps its guest RAM
 *   vCPU fd        registers, TINYVMX_RUN; mmap at offset 0 maps the run
 *                  struct (TINYVMX_GET_RUN_SIZE bytes)
 *
 * Rules for every struct here: fixed-width types, natural alignment,
 * explicit padding; "flags" and "reserved" fields must be zero or the
 * ioctl fails with EINVAL. Unknown ioctls fail with ENOTTY. Fields are
 * marked in (userspace writes, kernel reads) or out (kernel writes).
 */
#ifndef _UAPI_LINUX_TINYVMX_H
#define _UAPI_LINUX_TINYVMX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TINYVMX_API_VERSION	1

#define TINYVMXIO		0xAF

/* ---- /dev/tinyvmx ------------------------------------------------------ */

/* Returns TINYVMX_API_VERSION. The argument must be 0. */
#define TINYVMX_GET_API_VERSION	_IO(TINYVMXIO, 0x00)
/*
 * Returns the value of capability @arg (a TINYVMX_CAP_*): 0 when the
 * capability is absent, else a positive value. Unknown capabilities
 * return 0, so that old modules answer new userspace correctly.
 */
#define TINYVMX_CHECK_CAP	_IO(TINYVMXIO, 0x01)
/* Returns a new VM fd. The argument (VM type) must be 0. */
#define TINYVMX_CREATE_VM	_IO(TINYVMXIO, 0x02)
/*
 * Returns the size in bytes of the vCPU run-struct mapping. mmap of the
 * vCPU fd must use offset 0 and exactly this length (EINVAL otherwise).
 */
#define TINYVMX_GET_RUN_SIZE	_IO(TINYVMXIO, 0x03)

#define TINYVMX_CAP_MAX_VCPUS		1	/* vCPUs per VM */
#define TINYVMX_CAP_MAX_MEM_REGIONS	2	/* regions per VM */
#define TINYVMX_CAP_MAX_MEM_SHIFT	3	/* log2 of the largest region */
#define TINYVMX_CAP_GPA_BITS		4	/* guest-physical address width */
#define TINYVMX_CAP_IMMEDIATE_EXIT	5	/* run->immediate_exit works */
#define TINYVMX_CAP_MMIO_DECODE		6	/* MMIO exits decode mov */
#define TINYVMX_CAP_RUN_VERSION		7	/* TINYVMX_RUN_VERSION */
#define TINYVMX_CAP_CPUID		8	/* max CPUID table entries */
#define TINYVMX_CAP_COALESCED_IO	9	/* entries in the output ring */
/*
 * The module's release, the version modinfo and DKMS show, encoded as
 * TINYVMX_VERSION_CODE(major, minor, patch). It is not the API version:
 * TINYVMX_GET_API_VERSION changes only when the ABI breaks.
 */
#define TINYVMX_CAP_MODULE_VERSION	10

#define TINYVMX_VERSION_CODE(major, minor, patch)			\
	(((major) << 16) | ((minor) << 8) | (patch))

/*
 * A CPUID table: what the guest's CPUID returns for (function, index).
 * An entry applies to every index unless TINYVMX_CPUID_INDEXED is set.
 * A function the table lacks returns zeros. On every CPUID the module
 * still fills in what only the vCPU knows: leaf 1 EBX[31:24] and leaves
 * 0xb/0x1f EDX (the APIC ID, the vCPU id), leaf 1 ECX.OSXSAVE and leaf 7
 * ECX.OSPKE (from the guest's CR4), and leaf 0xd EBX (the XSAVE area size
 * for the guest's XCR0).
 */
#define TINYVMX_CPUID_INDEXED	(1u << 0)

struct tinyvmx_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;			/* TINYVMX_CPUID_INDEXED */
	__u32 eax, ebx, ecx, edx;
	__u32 padding;			/* must be 0 */
};

struct tinyvmx_cpuid {
	__u32 nent;			/* in: entries at @entries; out (GET) */
	__u32 flags;			/* must be 0 */
	__u64 entries;			/* in: user pointer to the array */
	__u64 reserved[2];		/* must be 0 */
};

/*
 * The default table that a new vCPU gets: the host's CPUID with VMX and
 * what the module does not virtualize hidden, the hypervisor bit set, and
 * leaf 0x40000000 saying "tinyvmx". E2BIG (with @nent set to the size
 * needed) when @nent is too small.
 */
#define TINYVMX_GET_SUPPORTED_CPUID _IOWR(TINYVMXIO, 0x04, struct tinyvmx_cpuid)

/* ---- VM fd --------------------------------------------------------------- */

/*
 * Errors: EINVAL for non-zero flags or reserved fields, a slot out of
 * range, a size of 0 or above 2^MAX_MEM_SHIFT, a misaligned address or
 * size, or an end beyond 2^GPA_BITS; EEXIST for a slot in use or an
 * overlap with another region; ENOMEM when the page array cannot be had.
 * mmap of the VM fd must lie within one region (EINVAL otherwise).
 *
 * A region of guest RAM, allocated by the module one zeroed page at a
 * time when the guest or a mapping first touches it, and charged to the
 * memory cgroup of the task that touched it. @guest_phys_addr and @size
 * are multiples of 4 KiB; the region may not overlap another, and must
 * lie below 2^GPA_BITS. Userspace maps the RAM with mmap(vm_fd, offset =
 * @mmap_offset). The pages live until the region is deleted and the last
 * mapping of it is gone.
 */
struct tinyvmx_mem_region {
	__u32 slot;			/* in: 0 .. MAX_MEM_REGIONS-1 */
	__u32 flags;			/* in: must be 0 */
	__u64 guest_phys_addr;		/* in (CREATE), out (GET) */
	__u64 size;			/* in (CREATE), out (GET) */
	__u64 mmap_offset;		/* out */
	__u64 reserved[4];		/* must be 0 */
};

#define TINYVMX_CREATE_MEM_REGION _IOWR(TINYVMXIO, 0x10, struct tinyvmx_mem_region)
/* Only @slot is read; the rest must be 0. */
#define TINYVMX_DELETE_MEM_REGION _IOW(TINYVMXIO, 0x11, struct tinyvmx_mem_region)
/* Fills in the region of @slot; ENOENT when the slot is empty. */
#define TINYVMX_GET_MEM_REGION	_IOWR(TINYVMXIO, 0x12, struct tinyvmx_mem_region)
/*
 * Coalesced port output, for ports that only take writes (a UART's
 * transmit register, a debug console). An OUT (not OUTS) of a whole
 * access inside a registered range does not return to userspace: the
 * module appends it to the vCPU's output ring (the run mapping's third
 * page, struct tinyvmx_ring) and the guest continues. Userspace drains
 * the ring at every return from RUN, before it handles the exit; when the
 * ring is full the OUT is an ordinary TINYVMX_EXIT_IO, so the order of
 * writes is always kept. Ranges are VM-wide; a registration waits until
 * no vCPU is inside RUN. Errors: EINVAL (len 0, a range past 0xffff,
 * non-zero flags or reserved), EEXIST (overlaps a registered range),
 * ENOSPC (more than 16 ranges), ENOENT (UNREGISTER of a range not
 * registered exactly).
 */
struct tinyvmx_coalesced_port {
	__u16 port;
	__u16 len;			/* ports in the range */
	__u32 flags;			/* must be 0 */
	__u64 reserved;			/* must be 0 */
};

#define TINYVMX_REGISTER_COALESCED_PORT	  _IOW(TINYVMXIO, 0x14, struct tinyvmx_coalesced_port)
#define TINYVMX_UNREGISTER_COALESCED_PORT _IOW(TINYVMXIO, 0x15, struct tinyvmx_coalesced_port)

/*
 * Returns a new vCPU fd. The argument is the vCPU id, < MAX_VCPUS (EINVAL),
 * unused in this VM (EEXIST). The vCPU starts in the state the SDM gives
 * for power-up ("Processor State After Reset"): real mode, CS selector
 * 0xf000 with base 0xffff0000, RIP 0xfff0, RFLAGS 0x2, RDX 0x600.
 */
#define TINYVMX_CREATE_VCPU	_IO(TINYVMXIO, 0x13)

/* ---- vCPU fd --------------------------------------------------------------- */

/*
 * SET_REGS fails with EINVAL when RFLAGS has a reserved bit set or bit 1
 * clear. SET_REGS and SET_SREGS cancel the completion of a pending IN or
 * MMIO read, and end a SHUTDOWN.
 */
struct tinyvmx_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
	__u64 flags;			/* must be 0 */
	__u64 reserved[3];		/* must be 0 */
};

/*
 * A segment register with its hidden part, as the SDM's "Guest Register
 * State" keeps it. @type, @s, @dpl, @present, @avl, @l, @db and @g are the
 * descriptor fields; @unusable marks a null or unusable segment.
 */
struct tinyvmx_segment {
	__u64 base;
	__u32 limit;			/* in bytes - 1, after granularity */
	__u16 selector;
	__u8  type;			/* 4 bits */
	__u8  s;
	__u8  dpl;
	__u8  present;
	__u8  avl;
	__u8  l;
	__u8  db;
	__u8  g;
	__u8  unusable;
	__u8  padding;			/* must be 0 */
};

struct tinyvmx_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];		/* must be 0 */
};

/*
 * SET_SREGS rejects with EINVAL what the architecture forbids outright (for
 * example CR0.PG without CR0.PE, long mode without CR4.PAE, reserved bits,
 * CR4.VMXE); other inconsistent state reaches the CPU's VM-entry checks and
 * comes back as a TINYVMX_EXIT_FAIL_ENTRY.
 */
struct tinyvmx_sregs {
	struct tinyvmx_segment cs, ds, es, fs, gs, ss;
	struct tinyvmx_segment tr, ldt;
	struct tinyvmx_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4;
	__u64 efer;			/* LMA is derived from LME and CR0.PG */
	__u64 flags;			/* must be 0 */
	__u64 reserved[6];		/* must be 0 */
};

#define TINYVMX_GET_REGS	_IOR(TINYVMXIO, 0x20, struct tinyvmx_regs)
#define TINYVMX_SET_REGS	_IOW(TINYVMXIO, 0x21, struct tinyvmx_regs)
#define TINYVMX_GET_SREGS	_IOR(TINYVMXIO, 0x22, struct tinyvmx_sregs)
#define TINYVMX_SET_SREGS	_IOW(TINYVMXIO, 0x23, struct tinyvmx_sregs)
/*
 * Enter the guest until an exit userspace must see. Returns 0 with
 * run->exit_reason set, or -1 with errno: EINTR (a signal is pending, or
 * run->immediate_exit was set; run->exit_reason is TINYVMX_EXIT_INTR),
 * EBUSY (another thread is running this vCPU), EIO (the host is
 * rebooting), ENOMEM (no page for guest RAM the guest touched first).
 * The argument must be 0.
 */
#define TINYVMX_RUN		_IO(TINYVMXIO, 0x24)

/*
 * A vCPU's exit counters since it was created. @by_reason counts every VM
 * exit by its basic exit reason (the index; SDM Appendix C, the names are
 * <asm/vmx.h>'s VMX_EXIT_REASONS), whether the module handled it or
 * userspace saw it.
 */
#define TINYVMX_NR_VMX_EXIT_REASONS	80

struct tinyvmx_vcpu_stats {
	__u64 flags;			/* in: must be 0 */
	__u64 exits;			/* out: VM exits */
	__u64 userspace_exits;		/* out: returns of RUN to userspace */
	__u64 failed_entries;		/* out: FAIL_ENTRY exits */
	__u64 msr_unknown;		/* out: RDMSR/WRMSR answered with #GP */
	__u64 ram_faults;		/* out: RAM pages mapped on first touch */
	__u64 reserved[2];		/* out: 0 */
	__u64 by_reason[TINYVMX_NR_VMX_EXIT_REASONS];	/* out */
};

#define TINYVMX_GET_STATS	_IOWR(TINYVMXIO, 0x25, struct tinyvmx_vcpu_stats)

/*
 * The vCPU's CPUID table: SET replaces it (EINVAL for more than
 * TINYVMX_CAP_CPUID entries, unknown flags or non-zero padding; E2BIG
 * never), GET reads it back (E2BIG as for GET_SUPPORTED_CPUID).
 */
#define TINYVMX_SET_CPUID	_IOW(TINYVMXIO, 0x26, struct tinyvmx_cpuid)
#define TINYVMX_GET_CPUID	_IOWR(TINYVMXIO, 0x27, struct tinyvmx_cpuid)

/*
 * The vCPU's MSRs, for setup and save/restore. The guest itself may use
 * the same set: EFER, STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE,
 * FS_BASE, GS_BASE, SYSENTER_CS/ESP/EIP, PAT and TSC. Its RDMSR or WRMSR
 * of any other MSR, or of a bad value, gets it a #GP (counted in
 * msr_unknown). GET/SET_MSRS return the number of entries done, stopping
 * at the first MSR not in the set or value refused; EINVAL for non-zero
 * flags or reserved fields, E2BIG for more than 64 entries.
 */
struct tinyvmx_msr_entry {
	__u32 index;
	__u32 reserved;			/* must be 0 */
	__u64 data;
};

struct tinyvmx_msrs {
	__u32 nmsrs;			/* in: entries at @entries */
	__u32 flags;			/* must be 0 */
	__u64 entries;			/* in: user pointer to the array */
	__u64 reserved[2];		/* must be 0 */
};

#define TINYVMX_GET_MSRS	_IOWR(TINYVMXIO, 0x28, struct tinyvmx_msrs)
#define TINYVMX_SET_MSRS	_IOW(TINYVMXIO, 0x29, struct tinyvmx_msrs)
#define TINYVMX_INJECT		_IOW(TINYVMXIO, 0x2a, struct tinyvmx_event)
#define TINYVMX_GET_FPU		_IOR(TINYVMXIO, 0x2b, struct tinyvmx_fpu)
#define TINYVMX_SET_FPU		_IOW(TINYVMXIO, 0x2c, struct tinyvmx_fpu)
/*
 * Make a RUN in progress on another thread return promptly with EINTR
 * (run->exit_reason TINYVMX_EXIT_INTR), or the next RUN if none is. Never
 * blocks; the argument must be 0.
 */
#define TINYVMX_KICK		_IO(TINYVMXIO, 0x2d)

/*
 * Queue an event for the guest. An exception is delivered at the next
 * entry; an NMI when the guest is not blocking NMIs (an NMI-window exit
 * waits for it); an external interrupt when RFLAGS.IF is set and no STI
 * or MOV SS blocking is in force (an interrupt-window exit waits for it).
 * Errors: EINVAL for an unknown type, an exception vector above 31 or
 * equal to 2, an error code on a vector that has none, non-zero reserved
 * fields; EBUSY when an event of the same type is still queued.
 */
#define TINYVMX_EVENT_EXCEPTION	1
#define TINYVMX_EVENT_NMI	2
#define TINYVMX_EVENT_EXTINT	3

#define TINYVMX_EVENT_HAS_ERROR	(1u << 0)

struct tinyvmx_event {
	__u32 type;			/* TINYVMX_EVENT_* */
	__u32 vector;			/* exceptions 0-31, interrupts 0-255 */
	__u32 error_code;
	__u32 flags;			/* TINYVMX_EVENT_HAS_ERROR */
	__u64 reserved[2];		/* must be 0 */
};

/*
 * The guest's x87/SSE/AVX state: the XSAVE standard format (or FXSAVE's
 * 512 bytes on hosts without XSAVE). SET_FPU fails with EINVAL for state
 * components the module does not switch, a compacted image, reserved
 * header bytes or MXCSR bits that XRSTOR would refuse.
 */
struct tinyvmx_fpu {
	__u32 flags;			/* must be 0 */
	__u32 size;			/* out: bytes of @region in use */
	__u64 reserved[3];		/* must be 0 */
	__u8  region[4096];
};

/*
 * Hypercalls: the guest's VMCALL with a function number in RAX, answered
 * in RAX without leaving the kernel. TINYVMX_HC_NOP returns 0; any other
 * number returns TINYVMX_HC_ENOSYS.
 */
#define TINYVMX_HC_NOP		0
#define TINYVMX_HC_ENOSYS	(~0ULL)

/* ---- The run struct, mmap'd from the vCPU fd at offset 0 ------------------- */

#define TINYVMX_RUN_VERSION	1

/* The run mapping's second page carries INS/OUTS data. */
#define TINYVMX_RUN_DATA_SIZE	4096

/*
 * The run mapping's third page: the coalesced output ring. The module
 * writes entries at @head and then advances it; userspace reads entries
 * from @tail to @head and then advances @tail. Both are free-running
 * counts; the slot of count c is c % @nent.
 */
#define TINYVMX_RUN_RING_OFFSET	8192

struct tinyvmx_ring_entry {
	__u16 port;
	__u8  size;			/* 1, 2 or 4 */
	__u8  padding;
	__u32 data;
};

struct tinyvmx_ring {
	__u32 head;			/* out */
	__u32 tail;			/* in */
	__u32 nent;			/* out: a power of two */
	__u32 padding;
	struct tinyvmx_ring_entry entries[];
};

enum tinyvmx_exit_reason {
	TINYVMX_EXIT_NONE	= 0,	/* RUN has not returned yet */
	TINYVMX_EXIT_IO		= 1,	/* port I/O: run->io */
	TINYVMX_EXIT_MMIO	= 2,	/* access outside guest RAM: run->mmio */
	TINYVMX_EXIT_HLT	= 3,	/* HLT at run->rip; guest RIP is past it */
	TINYVMX_EXIT_SHUTDOWN	= 4,	/* triple fault, until SET_(S)REGS */
	TINYVMX_EXIT_FAIL_ENTRY	= 5,	/* VM entry failed: run->fail_entry */
	TINYVMX_EXIT_UNEXPECTED	= 6,	/* no handler: run->unexpected */
	TINYVMX_EXIT_INTR	= 7,	/* signal or immediate_exit; RUN gave EINTR */
};

#define TINYVMX_IO_OUT		0
#define TINYVMX_IO_IN		1

/*
 * Port I/O. For IN and OUT (@string 0), @count is 1 and @data holds the
 * value. For OUT, @data holds the value written (its low @size bytes).
 * For IN, userspace stores the value read in @data before the next RUN;
 * the module writes it to AL, AX or EAX as @size says (a 1- or 2-byte IN
 * keeps the rest of RAX; a 4-byte IN zeroes bits 63:32 in 64-bit mode and
 * keeps them elsewhere, as the SDM's IN does) and moves RIP past the
 * instruction. The next RUN also moves RIP past an OUT.
 *
 * For INS and OUTS (@string 1), the module moves the data between guest
 * memory and the run mapping: @count elements of @size bytes lie at
 * @data_offset bytes from the start of the run struct, in the order the
 * instruction handles them (DF decides the direction in guest memory, not
 * here). For OUTS they are the data to write to the port, @count times;
 * for INS userspace stores @count elements there before the next RUN,
 * which copies them to guest memory. The next RUN also updates RSI or RDI,
 * and RCX for REP, as the instruction would (with the address size of the
 * instruction); a REP with elements left runs the instruction again, which
 * exits again with the next batch. At most TINYVMX_RUN_DATA_SIZE bytes go
 * in one exit. A guest page that is not mapped gets the guest a #PF;
 * memory outside guest RAM gives TINYVMX_EXIT_UNEXPECTED (reason 30).
 */
struct tinyvmx_exit_io {
	__u16 port;			/* out */
	__u8  size;			/* out: 1, 2 or 4 */
	__u8  direction;		/* out: TINYVMX_IO_OUT or _IN */
	__u8  string;			/* out: INS/OUTS */
	__u8  rep;			/* out: REP prefix */
	__u16 padding;
	__u32 count;			/* out: elements to process */
	__u32 data_offset;		/* out: where INS/OUTS elements are */
	__u64 data;			/* out (OUT) or in (IN) */
};

#define TINYVMX_MMIO_DECODED	(1u << 0)	/* len, direction, data valid */

/*
 * An access to a guest-physical address outside guest RAM. When @flags has
 * TINYVMX_MMIO_DECODED the instruction was a mov the module understands:
 * for a write @data holds the value; for a read userspace stores the value
 * in @data and the next RUN writes it to the destination register and
 * moves RIP past the instruction. Without it, the instruction is left
 * undone and @insn holds its first @insn_len bytes; the next RUN re-runs it
 * (userspace is expected to change something first, or stop).
 */
struct tinyvmx_exit_mmio {
	__u64 gpa;			/* out */
	__u64 data;			/* out (write) or in (read) */
	__u32 flags;			/* out: TINYVMX_MMIO_* */
	__u8  len;			/* out: 1, 2, 4 or 8 */
	__u8  direction;		/* out: TINYVMX_IO_OUT (write) or _IN (read) */
	__u8  insn_len;			/* out: bytes valid in @insn */
	__u8  padding;
	__u8  insn[16];			/* out */
};

/*
 * A failed VM entry. @hardware_reason is either the VM-instruction error
 * number (TINYVMX_FAIL_VMINSTR: VMLAUNCH/VMRESUME failed its checks of the
 * controls and host state) or, for TINYVMX_FAIL_GUEST_STATE, the basic
 * exit reason (bits 15:0 of the exit reason, whose bit 31 the CPU set: 33
 * invalid guest state, 34 MSR loading, 41 machine check), with the exit
 * qualification beside it.
 */
#define TINYVMX_FAIL_VMINSTR		1
#define TINYVMX_FAIL_GUEST_STATE	2

struct tinyvmx_exit_fail_entry {
	__u32 kind;			/* out: TINYVMX_FAIL_* */
	__u32 hardware_reason;		/* out */
	__u64 qualification;		/* out */
};

/* An exit the module has no handler for, with the raw VMX fields. */
struct tinyvmx_exit_unexpected {
	__u32 reason;			/* out: basic exit reason (SDM Appendix C) */
	__u32 padding;
	__u64 qualification;		/* out */
	__u64 intr_info;		/* out: VM-exit interruption information */
};

struct tinyvmx_run {
	/* The header: fixed for every TINYVMX_RUN_VERSION. */
	__u32 version;			/* out: TINYVMX_RUN_VERSION */
	__u32 size;			/* out: bytes mapped (GET_RUN_SIZE) */
	__u8  immediate_exit;		/* in: return EINTR before entering */
	__u8  padding1[7];
	__u32 exit_reason;		/* out: enum tinyvmx_exit_reason */
	__u32 padding2;
	__u64 rip;			/* out: guest RIP at the exit */
	__u64 exit_count;		/* out: exits since the vCPU was made */
	__u64 reserved[11];

	/* Offset 128: the exit's details, by exit_reason. */
	union {
		struct tinyvmx_exit_io io;
		struct tinyvmx_exit_mmio mmio;
		struct tinyvmx_exit_fail_entry fail_entry;
		struct tinyvmx_exit_unexpected unexpected;
		__u8 padding[256];
	};
};

#endif /* _UAPI_LINUX_TINYVMX_H */
