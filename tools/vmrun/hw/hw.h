/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmrun: the PC devices (tools/vmrun/hw/), one file each, after kvmtool's
 * hw/. Each is a state machine that needs nothing from the run loop: the
 * guest reaches its byte registers through the ports its *__init claims
 * (hw__register), it reads the time from a clock function in its struct
 * (the tests set their own) and drives IRQ lines (struct irq_line). The
 * host unit tests (tests/) run them without /dev/tinyvmx; the run loop
 * calls the few functions each header lists for it (pc.h sums them up).
 *
 *   hw.c       clocks, byte-wise port access, the reset request
 *   pc.c       the board: every device registered, IRQ lines into the PIC
 *   pic.c      the 8259A pair, 0x20/0x21, 0xa0/0xa1, ELCR 0x4d0/0x4d1
 *   pit.c      the 8254, 0x40-0x43, and port 0x61 (channel 2's gate)
 *   rtc.c      the MC146818 RTC and CMOS RAM, 0x70/0x71
 *   i8042.c    the keyboard controller, 0x60/0x64, and port 0x92
 *   pci.c      PCI configuration mechanism 1, 0xcf8-0xcff, no devices
 *   post.c     the POST and delay port 0x80
 *
 * The 16550A UART stays in ../dev_uart.c (its IRQ 4 line and byte access
 * come from here); the 0x402 debug console shares ../dev_e9.c.
 *
 * None of them is thread-safe: the run loop owns them and calls them from
 * one thread.
 */
#ifndef VMRUN_HW_H
#define VMRUN_HW_H

#include <stdbool.h>
#include <stdint.h>

struct vmrun;
struct io_dev;
struct io_access;

#define NSEC_PER_SEC	1000000000ull
/* pit__next_deadline() when no edge is due. */
#define HW_NO_DEADLINE	UINT64_MAX

/* A time source in ns. vmrun's: CLOCK_MONOTONIC and CLOCK_REALTIME. */
typedef uint64_t hw_clock_fn(void);
uint64_t hw__monotonic_ns(void);
uint64_t hw__realtime_ns(void);

/*
 * An interrupt request line: a device drives it high or low; the PIC
 * behind @set decides what a level or an edge means (pic__set_irq).
 * An unconnected line (@set NULL) goes nowhere.
 */
struct irq_line {
	void (*set)(void *ctx, unsigned int irq, bool level);
	void *ctx;
	unsigned int irq;
};

static inline void irq_line__set(const struct irq_line *l, bool level)
{
	if (l->set)
		l->set(l->ctx, l->irq, level);
}

/* A device's byte registers: @priv's port @port. */
typedef uint8_t hw_in_fn(void *priv, uint16_t port);
typedef void hw_out_fn(void *priv, uint16_t port, uint8_t v);
/*
 * Split @io into byte accesses to consecutive ports, as on the 8-bit ISA
 * bus: a 16- or 32-bit access to port p touches p, p + 1, ... Bytes past
 * @dev's range read as all ones and are dropped on writes.
 */
void hw__bytes(struct io_dev *dev, struct io_access *io, void *priv,
	       hw_in_fn *in, hw_out_fn *out);
/* A range of ports a device claims. */
struct hw_ports {
	const char *name;
	uint16_t base, len;
};

/* Claim @nr ranges of ports for byte registers @in and @out of @priv. */
int hw__register(const struct hw_ports *ports, unsigned int nr,
		 hw_in_fn *in, hw_out_fn *out, void *priv);

/* All ones in an access of @size bytes: what an empty bus reads. */
static inline uint32_t hw__ones(unsigned int size)
{
	return 0xffffffffu >> (32 - 8 * size);
}

/* The guest asked for a reset (i8042 0xfe, port 0x92): end the run. */
void hw__reset(void *vr);

#endif /* VMRUN_HW_H */
