// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair (hw/pic.c): the init sequences Linux and SeaBIOS write,
 * masking, EOI with nested priorities, auto-EOI, spurious IRQ 7 and 15,
 * level retrigger, poll mode, rotation, special mask mode, the ELCR.
 */
#include "hw_test.h"

static struct pic pic;
static unsigned int notified, notified_up;

static void notify(void *ctx, bool out)
{
	(void)ctx;
	notified++;
	notified_up += out;
}

/* ICW1-4 for both chips: vectors @m and @s, ICW4 @icw4, all unmasked. */
static void init(uint8_t m, uint8_t s, uint8_t icw4)
{
	registry__reset();
	pic__init(&test_vr, &pic);
	pic.notify = notify;
	notified = 0;
	notified_up = 0;
	outb(0x20, 0x11);
	outb(0x21, m);
	outb(0x21, 0x04);	/* a slave on IR2 */
	outb(0x21, icw4);
	outb(0xa0, 0x11);
	outb(0xa1, s);
	outb(0xa1, 0x02);	/* slave id 2 */
	outb(0xa1, icw4);
}

static void linux_init(void)
{
	init(0x20, 0x28, 0x01);
}

static uint8_t isr(uint16_t cmd)
{
	outb(cmd, 0x0b);	/* OCW3: read ISR */
	return inb(cmd);
}

static uint8_t irr(uint16_t cmd)
{
	outb(cmd, 0x0a);	/* OCW3: read IRR */
	return inb(cmd);
}

static void pulse(unsigned int irq)
{
	pic__set_irq(&pic, irq, true);
	pic__set_irq(&pic, irq, false);
}

static void init_sequences(void)
{
	uint8_t v;

	linux_init();
	check(inb(0x21) == 0 && inb(0xa1) == 0 &&
	      !pic__has_intr(&pic), "pic: Linux's ICW1 0x11, ICW2 0x20/0x28, ICW3 4/2, ICW4 1: unmasked, idle");
	pulse(0);
	check(pic__has_intr(&pic) && irr(0x20) == 0x01, "pic: an IRQ 0 edge sets IRR bit 0 and INT");
	v = pic__ack(&pic);
	check(v == 0x20 && isr(0x20) == 0x01 && irr(0x20) == 0 && !pic__has_intr(&pic),
	      "pic: INTA gives vector 0x20 and moves IRR to ISR");
	note("  vector %#x", v);
	outb(0x20, 0x20);
	check(isr(0x20) == 0, "pic: a non-specific EOI clears ISR");

	init(0x08, 0x70, 0x01);		/* SeaBIOS's real-mode vectors */
	pulse(8);
	v = pic__ack(&pic);
	check(v == 0x70 && isr(0x20) == 0x04 && isr(0xa0) == 0x01,
	      "pic: SeaBIOS's 0x08/0x70: IRQ 8 cascades through IR2 to vector 0x70");
	note("  vector %#x, master ISR %#x, slave ISR %#x", v, isr(0x20), isr(0xa0));
	pulse(3);
	check(!pic__has_intr(&pic), "pic: IR2 in service holds back lower IRQ 3");
	outb(0xa0, 0x20);
	outb(0x20, 0x20);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x0b, "pic: after both EOIs IRQ 3 gets vector 0x0b");

	outb(0x21, 0xff);
	outb(0x20, 0x11);
	check(inb(0x21) == 0 && isr(0x20) == 0, "pic: ICW1 clears IMR and ISR");
}

static void masking(void)
{
	linux_init();
	outb(0x21, 0x08);
	pulse(3);
	check(!pic__has_intr(&pic) && irr(0x20) == 0x08 && inb(0x21) == 0x08,
	      "pic: masked IRQ 3 stays in IRR without INT");
	outb(0x21, 0x00);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x23, "pic: unmasking IRQ 3 delivers it");

	outb(0xa1, 0x10);
	pulse(12);
	check(!pic__has_intr(&pic), "pic: masked IRQ 12 on the slave: no INT");
	outb(0xa1, 0x00);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x2c, "pic: unmasked, vector 0x2c");

	linux_init();
	outb(0x21, 0x04);	/* the cascade masked */
	pulse(9);
	check(!pic__has_intr(&pic), "pic: masking IR2 masks the whole slave");
}

static void nesting(void)
{
	linux_init();
	pulse(4);
	check(pic__ack(&pic) == 0x24, "pic: IRQ 4 in service");
	pulse(1);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x21 && isr(0x20) == 0x12,
	      "pic: higher IRQ 1 nests over IRQ 4");
	pulse(6);
	pulse(4);
	check(!pic__has_intr(&pic), "pic: lower IRQ 6 and equal IRQ 4 wait");
	outb(0x20, 0x20);
	check(isr(0x20) == 0x10 && !pic__has_intr(&pic),
	      "pic: the first non-specific EOI ends IRQ 1, the highest in service");
	outb(0x20, 0x20);
	check(isr(0x20) == 0 && pic__has_intr(&pic) && pic__ack(&pic) == 0x24,
	      "pic: the second ends IRQ 4; the new IRQ 4 comes first");
	outb(0x20, 0x64);	/* specific EOI, IR4 */
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x26 && isr(0x20) == 0x40,
	      "pic: a specific EOI for IR4, then IRQ 6");
	outb(0x20, 0x63);	/* specific EOI for IR3: not in service */
	check(isr(0x20) == 0x40, "pic: a specific EOI of another level leaves IR6 in service");

	init(0x20, 0x28, 0x03);		/* auto-EOI */
	pulse(5);
	pulse(6);
	check(pic__ack(&pic) == 0x25 && isr(0x20) == 0 && pic__has_intr(&pic) &&
	      pic__ack(&pic) == 0x26, "pic: auto-EOI: nothing stays in service, IRQ 6 follows at once");
	pulse(8);
	pulse(12);
	check(pic__ack(&pic) == 0x28 && pic__has_intr(&pic) && pic__ack(&pic) == 0x2c &&
	      isr(0x20) == 0 && isr(0xa0) == 0,
	      "pic: auto-EOI on both: IRQ 8, then IRQ 12 through IR2 again at once");
}

/* Level-triggered @irq up, INT checked, down again; then INTA. */
static uint8_t vanish(unsigned int irq)
{
	pic__set_irq(&pic, irq, true);
	check(pic__has_intr(&pic), "pic: level IRQ %u raises INT", irq);
	pic__set_irq(&pic, irq, false);
	return pic__ack(&pic);
}

static void spurious(void)
{
	uint8_t v;

	linux_init();
	outb(0x4d0, 0x20);	/* IRQ 5 level-triggered */
	v = vanish(5);
	check(v == 0x27 && isr(0x20) == 0, "pic: the request gone before INTA: spurious IRQ 7, ISR untouched");
	note("  vector %#x", v);

	linux_init();
	pulse(3);
	outb(0x21, 0x08);
	check(pic__ack(&pic) == 0x27 && isr(0x20) == 0, "pic: masked between INT and INTA: spurious IRQ 7");

	linux_init();
	outb(0x4d1, 0x04);	/* IRQ 10 level-triggered, through IR2 */
	v = vanish(10);
	check(v == 0x2f && isr(0x20) == 0x04 && isr(0xa0) == 0,
	      "pic: gone before INTA on the slave: spurious IRQ 15, master IR2 in service, slave ISR clear");
	note("  vector %#x, master ISR %#x, slave ISR %#x", v, isr(0x20), isr(0xa0));
}

static void level_retrigger(void)
{
	linux_init();
	outb(0x4d1, 0x08);	/* IRQ 11 level-triggered */
	pic__set_irq(&pic, 11, true);
	check(pic__ack(&pic) == 0x2b, "pic: level IRQ 11, vector 0x2b");
	outb(0xa0, 0x20);
	outb(0x20, 0x20);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x2b,
	      "pic: still high after EOI: IRQ 11 again");
	pic__set_irq(&pic, 11, false);
	outb(0xa0, 0x20);
	outb(0x20, 0x20);
	check(!pic__has_intr(&pic), "pic: low at EOI: no more");

	pic__set_irq(&pic, 3, true);	/* edge-triggered, held high */
	check(pic__ack(&pic) == 0x23, "pic: edge IRQ 3 held high, delivered once");
	outb(0x20, 0x20);
	check(!pic__has_intr(&pic), "pic: an edge input held high does not retrigger");
	pic__set_irq(&pic, 3, false);
	pic__set_irq(&pic, 3, true);
	check(pic__has_intr(&pic), "pic: a new rising edge does");
}

static void modes(void)
{
	linux_init();
	pulse(3);
	outb(0x20, 0x0c);	/* OCW3: poll */
	check(inb(0x20) == 0x83 && isr(0x20) == 0x08,
	      "pic: poll mode reads 0x83 and takes IRQ 3 in service");
	outb(0x20, 0x0c);
	check(inb(0x20) == 0x00, "pic: poll with nothing pending reads 0");

	linux_init();
	outb(0x20, 0xc3);	/* set priority: IR3 lowest, IR4 highest */
	pulse(1);
	pulse(5);
	check(pic__ack(&pic) == 0x25, "pic: after 'set priority' IR3, IRQ 5 beats IRQ 1");
	outb(0x20, 0xa0);	/* rotate on non-specific EOI: IR5 lowest */
	pulse(5);
	check(pic__ack(&pic) == 0x21, "pic: rotate on EOI: IRQ 1 now beats IRQ 5");

	linux_init();
	pulse(4);
	pic__ack(&pic);
	outb(0x21, 0x10);	/* mask IR4, in service */
	outb(0x20, 0x68);	/* special mask mode on */
	pulse(6);
	check(pic__has_intr(&pic) && pic__ack(&pic) == 0x26,
	      "pic: special mask mode lets lower IRQ 6 past masked IR4 in service");
	outb(0x20, 0x48);	/* off */
	pulse(7);
	check(!pic__has_intr(&pic), "pic: without it IR6 in service holds back IRQ 7");
}

static void elcr_and_notify(void)
{
	linux_init();
	outb(0x4d0, 0xff);
	outb(0x4d1, 0xff);
	check(inb(0x4d0) == 0xf8 && inb(0x4d1) == 0xde,
	      "pic: ELCR keeps IRQ 0, 1, 2, 8 and 13 edge-triggered");
	linux_init();
	pulse(0);
	check(notified == 1 && notified_up == 1, "pic: the notify hook sees INT rise once");
	pulse(0);
	check(notified == 1, "pic: no call while INT stays up");
	pic__ack(&pic);
	check(notified == 2 && notified_up == 1 && !pic.out, "pic: and fall at INTA");

	registry__reset();
	check(!pic__init(&test_vr, &pic), "pic: pic__init registers its ports");
	outb(0x21, 0x5a);
	check(inb(0x21) == 0x5a && io_in(0x4d0, 2) == 0 && io_claimed(0xa1) &&
	      io_claimed(0x4d1), "pic: IMR through port 0x21; ELCR as a word at 0x4d0");
}

void pic_tests(void)
{
	init_sequences();
	masking();
	nesting();
	spurious();
	level_retrigger();
	modes();
	elcr_and_notify();
}
