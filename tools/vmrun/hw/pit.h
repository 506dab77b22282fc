/* SPDX-License-Identifier: GPL-2.0 */
/* vmrun: the 8254 programmable interval timer and port 0x61 (pit.c). */
#ifndef VMRUN_HW_PIT_H
#define VMRUN_HW_PIT_H

#include "hw.h"

#define PIT_BASE	0x40	/* channels 0-2, then the control word */
#define PIT_PORT61	0x61	/* NMI status and control: channel 2's gate */
#define PIT_HZ		1193182ull

struct pit_channel {
	uint8_t mode;		/* 0-5 */
	uint8_t rw;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;
	bool loaded;		/* a count was written after the control word */
	bool running;		/* counting down from start_count at start_tick */
	bool expired;		/* modes 0, 1, 4, 5: terminal count already passed */
	uint32_t reload;	/* the count written, 1-65536 */
	uint32_t start_count;	/* 1-65536; the held count when not running */
	uint64_t start_tick;	/* the CLK edge it started at (see pit.c) */
	uint32_t tail_reload;	/* modes 2, 3: the old count, until start_tick */
	/* Reading and writing the count. */
	bool write_msb, read_msb, count_latched, status_latched;
	uint8_t lsb, status;
	uint16_t latch;
	/* Channel 0's IRQ. */
	bool irq_done;		/* modes 0, 1, 4, 5: the edge was raised */
	uint64_t next_k;	/* modes 2, 3: the next edge, start + k periods */
};

struct pit {
	struct pit_channel ch[3];
	uint8_t port61;		/* bits 3:0 as written */
	struct irq_line irq0;
	hw_clock_fn *clock;	/* for port accesses; the tests set their own */
};

void pit__reset(struct pit *pit);
/* Port accesses at time @now: 0x40-0x43 and 0x61. */
uint8_t pit__read(struct pit *pit, uint16_t port, uint64_t now);
void pit__write(struct pit *pit, uint16_t port, uint8_t v, uint64_t now);
/* Channel @ch's OUT at @now. */
bool pit__out(struct pit *pit, unsigned int ch, uint64_t now);
/*
 * When channel 0's OUT next rises (an IRQ 0 edge), in the clock's ns;
 * HW_NO_DEADLINE when it will not.
 */
uint64_t pit__next_deadline(const struct pit *pit);
/*
 * Raise IRQ 0 if that edge is due at @now; 1 if raised, else 0. A late
 * caller gets one edge for all the periods it missed, and the next
 * deadline stays on the grid counted from the count's start.
 */
int pit__advance(struct pit *pit, uint64_t now);

int pit__init(struct vmrun *vr, struct pit *pit, struct irq_line irq0);

#endif /* VMRUN_HW_PIT_H */
