/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench: exit costs of tinyvmx against KVM, with the same guest code
 * (guest.S), the same real-mode state and the same userspace loop on both.
 *
 * Each hypervisor is a backend: a const struct of operations that create a
 * VM ready to run the guest code, run it to the next exit userspace must
 * see, and answer that exit. Everything else (the loops, the clocks, the
 * checks, the table) is shared, so the two sides differ only below the
 * backend interface.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* What RUN returned with, for the shared loop. */
enum bexit_kind {
	BX_OUT,		/* port output: @port, @size, @data */
	BX_IN,		/* port input: answer with ->complete() */
	BX_MMIO_WRITE,	/* @gpa, @size, @data */
	BX_MMIO_READ,	/* answer with ->complete() */
	BX_HLT,
	BX_INTR,	/* a signal: run again */
	BX_OTHER,	/* anything else: @desc says what */
};

struct bexit {
	enum bexit_kind kind;
	uint16_t port;
	uint8_t size;
	uint64_t gpa;
	uint64_t data;
	char desc[160];
};

/* Bytes the guest sent to PORT_UART, by exit or through a ring. */
struct sink {
	uint8_t buf[GUEST_OUT_LEN];
	size_t len;
	size_t lost;		/* bytes beyond @buf, or of the wrong size */
};

static inline void sink_put(struct sink *s, uint16_t port, uint8_t size,
			    uint32_t data)
{
	if (port != PORT_UART)
		return;
	if (size != 1 || s->len >= sizeof(s->buf))
		s->lost++;
	else
		s->buf[s->len++] = (uint8_t)data;
}

struct bvm;

/*
 * The vCPU state of every benchmark VM, which each backend converts to its
 * own sregs: real mode (CR0 = ET), CS:IP = 0:entry, DS, ES and SS 0 with
 * limit 64 KiB, FS with base MMIO_GPA (limit 64 KiB), GS with base 0 and
 * limit 4 GiB ("unreal" mode, for the touch loop), TR a busy TSS and LDTR
 * an LDT as the reset state has them, GDTR and IDTR base 0 limit 0xffff.
 * The values are libtinyvmx's tvm_vcpu_set_real_mode() plus FS and GS.
 */
struct bench_seg {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, s, present, g;
};

struct bench_state {
	struct bench_seg cs, ds, es, fs, gs, ss, tr, ldt;
	uint16_t gdt_limit, idt_limit;
	uint64_t cr0;
};

extern const struct bench_state bench_real_mode;

/*
 * A backend. Every operation returns 0 or -errno and leaves a message for
 * ->strerror(). ->create() builds a whole VM: RAM of @ram_size bytes at
 * guest-physical 0 holding the guest code at GUEST_CODE, one vCPU in the
 * real-mode state of bench_set_real_mode's description (main.c), about to
 * run @entry; it is what the "create to first exit" rows time.
 */
struct backend {
	const char *name;		/* "tinyvmx", "kvm" */
	const char *label;		/* for the table: "tinyvmx", "KVM" */
	int (*open)(void);		/* the device; once per process */
	int (*create)(struct bvm **vm, uint64_t ram_size, uint64_t entry);
	void (*destroy)(struct bvm *vm);
	void *(*ram)(struct bvm *vm);
	/* RIP = @rip, RBP = @rbp, RFLAGS = 2, other GPRs 0. */
	int (*set_entry)(struct bvm *vm, uint64_t rip, uint64_t rbp);
	int (*get_rax_rdx)(struct bvm *vm, uint64_t *rax, uint64_t *rdx);
	int (*run)(struct bvm *vm, struct bexit *ex);
	/* The value of the IN or MMIO read that ->run() returned. */
	void (*complete)(struct bvm *vm, uint64_t value);
	/*
	 * Coalesce writes to @port: 0, -EOPNOTSUPP when this hypervisor
	 * (or this module) does not offer it, or another -errno.
	 */
	int (*coalesce)(struct bvm *vm, uint16_t port);
	/* Move what the ring holds into @s; called after every RUN. */
	void (*drain)(struct bvm *vm, struct sink *s);
	/* A cheap ioctl on the device fd: the floor of a syscall. */
	int (*null_ioctl)(void);
	/* One line on the hypervisor's configuration, or NULL. */
	const char *(*describe)(void);
	const char *(*strerror)(void);
};

extern const struct backend backend_tinyvmx;
extern const struct backend backend_kvm;

/* guest.S */
extern const char bench_guest_start[], bench_guest_end[];
extern const char bench_guest_hlt[], bench_guest_loop[], bench_guest_out[],
	bench_guest_in[], bench_guest_cpuid[], bench_guest_vmcall[],
	bench_guest_vmcall_once[], bench_guest_mmio_write[],
	bench_guest_mmio_read[], bench_guest_uart[], bench_guest_touch[];

/* The guest-physical address of a guest.S label. */
#define GUEST_ADDR(sym) \
	((uint64_t)GUEST_CODE + (uint64_t)((sym) - bench_guest_start))

/* Copy the guest code and the UART loop's data into RAM at @hva. */
void bench_load_guest(void *hva);

/* Used by the backends: format a failure message for ->strerror(). */
int bench_fail(char *msg, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* hostmem.c: what a VM costs the host beyond its RAM, in KiB. */
struct memcost {
	long memcg_kib;		/* memory.current delta; -1 when unavailable */
	long pages_kib;		/* allocated pages delta, system-wide */
};
int bench_memcost(const struct backend *b, uint64_t ram_size,
		  struct memcost *out, char *why, size_t whylen);

#endif
