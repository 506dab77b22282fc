// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the two 8259A programmable interrupt controllers of a PC, after
 * Intel's 8259A data sheet. The master takes IRQ 0-7 at 0x20/0x21, the
 * slave IRQ 8-15 at 0xa0/0xa1, its INT output wired to the master's IR2.
 * The ELCR at 0x4d0/0x4d1 (as on the PIIX/ICH south bridges) selects
 * level triggering per input; IRQ 0, 1, 2, 8 and 13 stay edge-triggered.
 *
 * What is emulated: ICW1-ICW4 (8086 mode only), OCW1-OCW3, IRR/ISR/IMR
 * reads, poll mode, specific and non-specific EOI, auto-EOI, the rotation
 * commands, special mask mode, special fully nested mode, and the
 * spurious IR7 a chip answers when the request went away before INTA.
 * Buffered mode and the 8080 call vectors are not.
 *
 * Edges: an edge-triggered input sets IRR on a rising edge and IRR stays
 * set until INTA, even if the line falls before. The data sheet wants the
 * line held high until INTA, but a device model raises an edge as a
 * pulse (the PIT does), so the edge is latched, as the 8259A's edge-sense
 * latch does. A level-triggered input's IRR follows the line, so a
 * request that vanishes before INTA gives a spurious IRQ 7 or 15.
 *
 * Priority: IR (lowest + 1) & 7 is the highest; lowest is 7 after ICW1 so
 * IR0 comes first, and the rotation commands move it.
 */
#include "pic.h"
#include "../vmrun.h"

#define ICW1		0x10
#define ICW1_ICW4	0x01
#define ICW1_SINGLE	0x02
#define ICW1_LTIM	0x08
#define ICW4_AEOI	0x02
#define ICW4_SFNM	0x10
#define OCW3		0x08
#define OCW3_RIS	0x01
#define OCW3_RR		0x02
#define OCW3_POLL	0x04
#define OCW3_SMM	0x20
#define OCW3_ESMM	0x40

/* OCW2 bits 7:5 (R, SL, EOI). */
enum ocw2 {
	OCW2_AEOI_ROTATE_OFF	= 0,
	OCW2_EOI		= 1,
	OCW2_NOP		= 2,
	OCW2_SPECIFIC_EOI	= 3,
	OCW2_AEOI_ROTATE_ON	= 4,
	OCW2_ROTATE_EOI		= 5,
	OCW2_SET_PRIORITY	= 6,
	OCW2_ROTATE_SPECIFIC	= 7,
};

static uint8_t level_mask(const struct pic_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/* 0 is the highest priority, 7 the lowest. */
static unsigned int priority(const struct pic_chip *c, unsigned int ir)
{
	return (ir - c->lowest - 1) & 7;
}

/* The IR of @mask's highest priority, or -1. */
static int highest(const struct pic_chip *c, uint8_t mask)
{
	unsigned int p, ir;

	for (p = 0; p < 8; p++) {
		ir = (c->lowest + 1 + p) & 7;
		if (mask & (1u << ir))
			return ir;
	}
	return -1;
}

/*
 * The request the chip would present at INTA, or -1. In special mask
 * mode, masked in-service levels do not block; in special fully nested
 * mode the master lets a higher-priority slave request through IR2 while
 * IR2 is in service.
 */
static int pending(const struct pic_chip *c, bool master)
{
	uint8_t isr = c->isr;
	int req = highest(c, c->irr & ~c->imr), svc;

	if (req < 0)
		return -1;
	if (c->smm)
		isr &= ~c->imr;
	if (master && c->sfnm)
		isr &= ~(1u << PIC_CASCADE);
	svc = highest(c, isr);
	if (svc >= 0 && priority(c, req) >= priority(c, svc))
		return -1;
	return req;
}

static void set_input(struct pic_chip *c, unsigned int ir, bool level)
{
	uint8_t bit = 1u << ir;

	if (level_mask(c) & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
}

/* The slave's INT into the master's IR2, then the master's INT out. */
static void update(struct pic *pic)
{
	bool out;

	set_input(&pic->chip[0], PIC_CASCADE, pending(&pic->chip[1], false) >= 0);
	out = pending(&pic->chip[0], true) >= 0;
	if (out != pic->out) {
		pic->out = out;
		if (pic->notify)
			pic->notify(pic->notify_ctx, out);
	}
}

static void chip_reset(struct pic_chip *c, uint8_t elcr_mask)
{
	*c = (struct pic_chip){ .elcr_mask = elcr_mask, .lowest = 7 };
}

void pic__reset(struct pic *pic)
{
	chip_reset(&pic->chip[0], 0xf8);
	chip_reset(&pic->chip[1], 0xde);
	pic->out = false;
}

void pic__set_irq(struct pic *pic, unsigned int irq, bool level)
{
	if (irq >= 16 || irq == PIC_CASCADE)
		return;
	set_input(&pic->chip[irq >> 3], irq & 7, level);
	update(pic);
}

static void line_set(void *ctx, unsigned int irq, bool level)
{
	pic__set_irq(ctx, irq, level);
}

struct irq_line pic__line(struct pic *pic, unsigned int irq)
{
	return (struct irq_line){ line_set, pic, irq };
}

bool pic__has_intr(const struct pic *pic)
{
	return pending(&pic->chip[0], true) >= 0;
}

/* INTA on one chip for @ir: IRR to ISR, or straight out with auto-EOI. */
static void chip_ack(struct pic_chip *c, unsigned int ir)
{
	uint8_t bit = 1u << ir;

	if (!(level_mask(c) & bit))
		c->irr &= ~bit;
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->lowest = ir;
}

uint8_t pic__ack(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int ir = pending(m, true), sir;
	uint8_t vector;

	if (ir < 0)
		return m->base + 7;		/* spurious IRQ 7 */
	chip_ack(m, ir);
	if (ir != PIC_CASCADE) {
		vector = m->base + ir;
	} else {
		sir = pending(s, false);
		if (sir < 0) {
			vector = s->base + 7;	/* spurious IRQ 15 */
		} else {
			chip_ack(s, sir);
			vector = s->base + sir;
		}
		/* The INTA ends this cascade request: a slave still asking raises a new edge. */
		m->lines &= ~(1u << PIC_CASCADE);
	}
	update(pic);
	return vector;
}

static void eoi(struct pic_chip *c, int ir, bool rotate)
{
	if (ir < 0)
		return;
	c->isr &= ~(1u << ir);
	if (rotate)
		c->lowest = ir;
}

static void write_ocw2(struct pic_chip *c, uint8_t v)
{
	unsigned int level = v & 7;

	switch ((enum ocw2)(v >> 5)) {
	case OCW2_AEOI_ROTATE_OFF:
	case OCW2_AEOI_ROTATE_ON:
		c->rotate_aeoi = v >> 7;
		break;
	case OCW2_EOI:
	case OCW2_ROTATE_EOI:
		eoi(c, highest(c, c->isr), v >> 7);
		break;
	case OCW2_SPECIFIC_EOI:
	case OCW2_ROTATE_SPECIFIC:
		eoi(c, level, v >> 7);
		break;
	case OCW2_SET_PRIORITY:
		c->lowest = level;
		break;
	case OCW2_NOP:
		break;
	}
}

/*
 * ICW1 starts initialisation: IMR and ISR clear, IR7 lowest, IRR read,
 * special mask mode off, and the edge-sense latches reset, so that an
 * edge-triggered input held high needs a new rising edge.
 */
static void write_icw1(struct pic_chip *c, uint8_t v)
{
	uint8_t elcr = c->elcr, lines = c->lines;

	chip_reset(c, c->elcr_mask);
	c->elcr = elcr;
	c->lines = lines;
	c->icw4 = v & ICW1_ICW4;
	c->single = v & ICW1_SINGLE;
	c->ltim = v & ICW1_LTIM;
	c->irr = lines & level_mask(c);
	c->init = 2;
}

static void write_command(struct pic_chip *c, uint8_t v)
{
	if (v & ICW1) {
		write_icw1(c, v);
		return;
	}
	if (!(v & OCW3)) {
		write_ocw2(c, v);
		return;
	}
	if (v & OCW3_POLL)
		c->poll = true;
	if (v & OCW3_RR)
		c->read_isr = v & OCW3_RIS;
	if (v & OCW3_ESMM)
		c->smm = v & OCW3_SMM;
}

static void write_data(struct pic_chip *c, uint8_t v)
{
	switch (c->init) {
	case 2:
		c->base = v & 0xf8;
		c->init = !c->single ? 3 : c->icw4 ? 4 : 0;
		break;
	case 3:
		c->icw3 = v;
		c->init = c->icw4 ? 4 : 0;
		break;
	case 4:
		c->auto_eoi = v & ICW4_AEOI;
		c->sfnm = v & ICW4_SFNM;
		c->init = 0;
		break;
	default:
		c->imr = v;		/* OCW1 */
		break;
	}
}

/* Poll mode: the read is the INTA; bit 7 says whether there was one. */
static uint8_t poll(struct pic *pic, struct pic_chip *c)
{
	int ir = pending(c, c == &pic->chip[0]);

	c->poll = false;
	if (ir < 0)
		return 0;
	chip_ack(c, ir);
	return 0x80 | ir;
}

static uint8_t pic_in(void *priv, uint16_t port)
{
	struct pic *pic = priv;
	struct pic_chip *c = &pic->chip[(port & 0x80) ? 1 : 0];
	uint8_t v;

	if (port == PIC_ELCR || port == PIC_ELCR + 1)
		return pic->chip[port - PIC_ELCR].elcr;
	if (port & 1)
		return c->imr;
	if (!c->poll)
		return c->read_isr ? c->isr : c->irr;
	v = poll(pic, c);
	update(pic);
	return v;
}

static void pic_out(void *priv, uint16_t port, uint8_t v)
{
	struct pic *pic = priv;
	struct pic_chip *c = &pic->chip[(port & 0x80) ? 1 : 0];

	if (port == PIC_ELCR || port == PIC_ELCR + 1) {
		c = &pic->chip[port - PIC_ELCR];
		c->elcr = v & c->elcr_mask;
		c->irr = (c->irr & ~c->elcr) | (c->lines & c->elcr);
	} else if (port & 1) {
		write_data(c, v);
	} else {
		write_command(c, v);
	}
	update(pic);
}

static const struct hw_ports ports[] = {
	{ "pic-master", PIC_MASTER, 2 },
	{ "pic-slave", PIC_SLAVE, 2 },
	{ "elcr", PIC_ELCR, 2 },
};

int pic__init(struct vmrun *vr, struct pic *pic)
{
	(void)vr;
	pic__reset(pic);
	return hw__register(ports, 3, pic_in, pic_out, pic);
}
