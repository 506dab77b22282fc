/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device models' tests: vmrun's port registry and the rest of its
 * run-time stubbed (hw_stubs.c), so that the tests reach a device through
 * the ports it registered, as the guest does, or call it directly.
 */
#ifndef HW_TEST_H
#define HW_TEST_H

#include "unit.h"
#include "vmrun.h"
#include "hw/pc.h"

/* The vmrun the devices see: no VM, no options. */
extern struct vmrun test_vr;

/* Forget every registered device and reset test_vr. */
void registry__reset(void);
/* A port access through the registry; unclaimed ports read all ones. */
uint32_t io_in(uint16_t port, uint8_t size);
void io_out(uint16_t port, uint8_t size, uint32_t v);
/* The port is claimed by a device. */
bool io_claimed(uint16_t port);

static inline uint8_t inb(uint16_t port)
{
	return io_in(port, 1);
}

static inline void outb(uint16_t port, uint8_t v)
{
	io_out(port, 1, v);
}

/* What devices__putc() was given, NUL-terminated, and stdin's bytes. */
extern char putc_buf[256];
extern unsigned int putc_len;
extern const uint8_t *stdin_data;
extern unsigned int stdin_len;

/* An IRQ sink: counts rising edges per line and keeps the levels. */
struct irq_sink {
	unsigned int edges[16];
	bool level[16];
};

struct irq_line sink_line(struct irq_sink *s, unsigned int irq);

/* The test clock, for glue that reads dev->clock(). */
extern uint64_t test_now;
uint64_t test_clock(void);

#endif /* HW_TEST_H */
