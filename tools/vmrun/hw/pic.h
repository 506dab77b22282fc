/* SPDX-License-Identifier: GPL-2.0 */
/* vmrun: the 8259A PIC pair (pic.c). */
#ifndef VMRUN_HW_PIC_H
#define VMRUN_HW_PIC_H

#include "hw.h"

#define PIC_MASTER	0x20
#define PIC_SLAVE	0xa0
#define PIC_ELCR	0x4d0
#define PIC_CASCADE	2	/* the master's input from the slave */

/* One 8259A. */
struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t lines;		/* the IR inputs' levels as devices drive them */
	uint8_t elcr;		/* level-triggered inputs (ELCR) */
	uint8_t elcr_mask;	/* the inputs the ELCR may make level-triggered */
	uint8_t base;		/* ICW2: the vector of IR0 */
	uint8_t icw3;
	uint8_t lowest;		/* the lowest-priority IR (rotation) */
	uint8_t init;		/* the ICW expected next on the data port; 0: none */
	bool icw4, single, ltim;
	bool auto_eoi, rotate_aeoi, sfnm, smm;
	bool read_isr, poll;
};

struct pic {
	struct pic_chip chip[2];	/* master, slave */
	bool out;			/* the master's INT output */
	/* Called when INT changes: the run loop asks for a window, kicks. */
	void (*notify)(void *ctx, bool out);
	void *notify_ctx;
};

/* Power-on state: IRR, ISR, IMR and ELCR clear, vectors 0; notify kept. */
void pic__reset(struct pic *pic);
/* Drive IRQ @irq (0-15, not 2) to @level. */
void pic__set_irq(struct pic *pic, unsigned int irq, bool level);
/* An irq_line into @pic for IRQ @irq. */
struct irq_line pic__line(struct pic *pic, unsigned int irq);
/* INT is up: an unmasked request of higher priority than any in service. */
bool pic__has_intr(const struct pic *pic);
/*
 * The INTA cycle: the vector to inject, the request moved from IRR to ISR
 * (or not, with auto-EOI), through the slave for IRQ 2. With no request
 * left, the spurious vector of IR7 of the chip that answers (IRQ 7 or 15).
 */
uint8_t pic__ack(struct pic *pic);

/* Reset @pic and register its ports: 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1. */
int pic__init(struct vmrun *vr, struct pic *pic);

#endif /* VMRUN_HW_PIC_H */
