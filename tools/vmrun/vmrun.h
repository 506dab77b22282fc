/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmrun: run a guest on /dev/tinyvmx. What the files share.
 *
 *   main.c            options and the order of things
 *   loader*.c         images into guest memory (loader.h)
 *   vm.c              the VM, its memory and the vCPU's first state
 *   run.c             the RUN loop and what each exit means
 *   trace.c           --trace, --stats, --regs and the register dump
 *   devices.c         the port registry and the policy for unclaimed ports
 *   dev_uart.c        a 16550A at 0x3f8
 *   dev_debugexit.c   isa-debug-exit at 0xf4
 *   dev_e9.c          the 0xe9 and 0x402 byte consoles
 *   hw/               the PC devices: PIC, PIT, RTC, i8042, PCI, POST (hw/hw.h)
 *   term.c            stdin in raw mode, signals, --timeout
 */
#ifndef VMRUN_H
#define VMRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "loader.h"
#include "tvm.h"

/*
 * Exit statuses. A guest's debug-exit status is always odd, (v << 1) | 1,
 * so vmrun's own are even and cannot be mistaken for one.
 */
enum vmrun_status {
	VMRUN_OK		= 0,	/* HLT with interrupts disabled */
	VMRUN_USAGE		= 2,	/* bad command line */
	VMRUN_BAD_IMAGE		= 4,	/* image unreadable or refused */
	VMRUN_HOST_ERROR	= 6,	/* /dev/tinyvmx, an ioctl, the terminal */
	VMRUN_TRIPLE_FAULT	= 8,	/* SHUTDOWN */
	VMRUN_FAIL_ENTRY	= 10,	/* VM entry failed */
	VMRUN_GUEST_ERROR	= 12,	/* UNEXPECTED exit, --strict, bad MMIO */
	VMRUN_HLT_IF		= 14,	/* HLT with interrupts enabled */
	VMRUN_REBOOT		= 16,	/* the guest reset the machine */
	VMRUN_TIMEOUT		= 124,	/* --timeout expired, as timeout(1) */
	VMRUN_SIGNAL		= 130,	/* Ctrl-C, SIGTERM or SIGHUP */
};

struct vmrun_opts {
	bool trace, stats, regs, verbose, strict;
	double timeout;			/* seconds; 0 = none */
};

struct pc;
struct uart;

struct vmrun {
	struct vmrun_opts opts;
	int dev_fd;
	struct tvm_vm vm;
	struct tvm_vcpu vcpu;
	struct gmem gmem;
	bool done;			/* a device or an exit ended the run */
	int status;			/* the exit status once done */
	bool dump_regs;			/* the way it ended calls for a dump */
	bool coalesced;			/* output ports go to the ring */
	struct pc *pc;			/* the PC devices (hw/pc.h) */
	struct uart *uart;		/* COM1 */
	char end_msg[512];		/* why it ended */
};

/* Messages: "vmrun: ..." on stderr. */
__attribute__((format(printf, 1, 2)))
void vmrun__msg(const char *fmt, ...);
/* End the run with @status and say why (printed when the run is over). */
__attribute__((format(printf, 3, 4)))
void vmrun__stop(struct vmrun *vr, int status, const char *fmt, ...);

/* vm.c */
void vmrun__layout(struct gmem *gm, const struct load_opts *lo);
int vm__create(struct vmrun *vr, const struct load_opts *lo);
int vm__boot(struct vmrun *vr, struct load_plan *plan);
void vm__destroy(struct vmrun *vr);

/* run.c */
int run__loop(struct vmrun *vr);

/* trace.c */
void trace__exit(struct vmrun *vr);
void trace__stats(struct vmrun *vr);
void trace__regs(struct vmrun *vr);

/* ---- Devices (devices.c) ------------------------------------------------- */

/*
 * One port access. For an OUT, @data holds the value written; for an IN,
 * the handler stores the value read in @data (its low @size bytes count).
 * @port is the first port accessed, inside the device's range.
 */
/* The devices' ports. */
#define UART_BASE	0x3f8
#define E9_PORT		0xe9
#define DEBUGCON_PORT	0x402	/* QEMU's and SeaBIOS's debug console */
#define DEBUGEXIT_PORT	0xf4

struct io_access {
	uint16_t port;
	uint8_t size;		/* 1, 2 or 4 */
	bool out;
	uint32_t data;
};

struct io_dev;
typedef void io_handler_fn(struct vmrun *vr, struct io_dev *dev,
			   struct io_access *io);

struct io_dev {
	const char *name;
	uint16_t base, len;
	io_handler_fn *io;
	void *priv;
};

/* Claim [@base, @base + @len) for @io. -1 on overlap or a full table. */
int devices__register(const char *name, uint16_t base, uint16_t len,
		      io_handler_fn *io, void *priv);
/* Dispatch one I/O exit: a device, or the unclaimed-port policy. */
void devices__io(struct vmrun *vr, struct io_access *io);
/* An MMIO exit: there are no MMIO devices, so the same policy. */
void devices__mmio(struct vmrun *vr, struct tinyvmx_exit_mmio *mmio);
/* One byte of guest output to stdout (the UART, port 0xe9). */
void devices__putc(uint8_t c);
/* Register every device. */
int devices__init(struct vmrun *vr);
/* Flush output, put the terminal back. */
void devices__exit(struct vmrun *vr);

int uart__init(struct vmrun *vr);
/*
 * Bytes for COM1's receiver, queued until its FIFO takes them. The first
 * call hands stdin to the caller: the UART stops reading it itself.
 */
void uart__feed(struct uart *u, const uint8_t *buf, unsigned int len);
/* The UART's interrupt output (IRQ 4), as it drives the PIC's line. */
bool uart__irq(const struct uart *u);
/* THR writes may wait in the output ring: the THRE interrupt is off. */
bool uart__may_coalesce(const struct uart *u);
int debugexit__init(struct vmrun *vr);
int e9__init(struct vmrun *vr);

/* ---- The terminal and signals (term.c) ----------------------------------- */

/* stdin as the UART's input: raw mode when a terminal. */
int term__init(void);
/* Read up to @len bytes that are ready now; 0 when none, -1 at EOF. */
int term__read(uint8_t *buf, int len);
void term__restore(void);
/* Handlers for SIGINT, SIGTERM, SIGHUP and SIGALRM (--timeout). */
int term__signals(struct tinyvmx_run *run, double timeout);
/* The signal that stopped the run, or 0; SIGALRM means the timeout. */
int term__stop_signal(void);

#endif /* VMRUN_H */
