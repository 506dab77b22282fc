// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A's interrupts (dev_uart.c): IIR priorities, the THRE event,
 * the FIFO bits, OUT2 gating, IRQ 4 into the PIC, the input queue, and
 * when THR may use the output ring.
 */
#include "hw_test.h"

#define COM1	0x3f8
#define RBR	(COM1 + 0)
#define IER	(COM1 + 1)
#define IIR	(COM1 + 2)
#define FCR	(COM1 + 2)
#define MCR	(COM1 + 4)
#define LSR	(COM1 + 5)

static struct pc pc;

/* COM1 on a board with Linux's PIC setup, OUT2 set, interrupts off. */
static struct uart *setup(void)
{
	registry__reset();
	pc__init(&test_vr, &pc);
	uart__init(&test_vr);
	outb(0x20, 0x11);
	outb(0x21, 0x20);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(MCR, 0x0b);		/* DTR, RTS, OUT2 */
	return test_vr.uart;
}

static void thre(void)
{
	struct uart *u = setup();

	check(u && inb(IIR) == 0x01 && !uart__irq(u) && !pic__has_intr(&pc.pic),
	      "uart: IER 0: IIR 0x01, no interrupt");
	check(uart__may_coalesce(u), "uart: THR may use the output ring while IER.THRE is off");
	outb(IER, 0x02);
	check(uart__irq(u) && pc.pic.chip[0].irr == 0x10 && pic__has_intr(&pc.pic),
	      "uart: enabling THRE with THR empty raises IRQ 4 in the PIC");
	check(!uart__may_coalesce(u), "uart: with THRE on, THR writes must exit");
	check(pic__ack(&pc.pic) == 0x24, "uart: the PIC gives vector 0x24");
	check(inb(IIR) == 0x02 && !uart__irq(u), "uart: IIR 0x02 (THRE), and reading it drops the line");
	check(inb(IIR) == 0x01, "uart: the IIR read cleared THRE");
	outb(IER, 0x02);
	check(inb(IIR) == 0x01, "uart: rewriting IER with THRE already on raises nothing");
	outb(RBR, 'h');
	check(uart__irq(u) && inb(IIR) == 0x02 && putc_buf[0] == 'h',
	      "uart: a THR write goes out and THR empty raises THRE again");
	outb(0x20, 0x20);
	check(pic__has_intr(&pc.pic), "uart: the new rising edge is in the PIC for after the EOI");
	outb(IER, 0x00);
	check(uart__may_coalesce(u) && !uart__irq(u), "uart: THRE off: back to the ring, no interrupt");

	outb(IER, 0x02);
	outb(MCR, 0x03);
	check(!uart__irq(u) && inb(IIR) == 0x02, "uart: without OUT2 the line stays low, IIR still says THRE");
	outb(MCR, 0x1b);
	outb(IER, 0x00);
	outb(IER, 0x02);
	check(!uart__irq(u), "uart: loopback disconnects the interrupt line");
}

static void priorities(void)
{
	struct uart *u = setup();
	static const uint8_t bytes[20] = "0123456789abcdefghij";
	char got[21] = "";
	unsigned int i;

	outb(IER, 0x03);
	uart__feed(u, (const uint8_t *)"xy", 2);
	check(inb(IIR) == 0x04 && uart__irq(u), "uart: data and THRE pending: IIR says data (0x04) first");
	check(inb(RBR) == 'x' && inb(IIR) == 0x04 && inb(RBR) == 'y',
	      "uart: one byte at a time with the FIFOs off, data still first");
	check(inb(IIR) == 0x02 && inb(IIR) == 0x01 && !uart__irq(u),
	      "uart: then THRE (0x02), then nothing");

	outb(FCR, 0x01);
	check(inb(IIR) == 0xc1, "uart: FIFOs on: IIR bits 7:6 set");
	uart__feed(u, bytes, sizeof(bytes));
	for (i = 0; i < 20 && (inb(LSR) & 0x01); i++)
		got[i] = inb(RBR);
	check(i == 20 && !memcmp(got, bytes, 20) && !(inb(LSR) & 0x01) && inb(IIR) == 0xc1,
	      "uart: 20 fed bytes through the 16-byte FIFO, in order; then nothing pending");
	check(!uart__irq(u), "uart: and the line is low");

	outb(FCR, 0x00);
	outb(MCR, 0x1b);		/* loopback: THR into RBR */
	outb(RBR, 'a');
	outb(RBR, 'b');			/* overruns the 1-byte holding register */
	outb(IER, 0x07);
	check(inb(IIR) == 0x06, "uart: an overrun: line status (0x06) beats data");
	check(inb(LSR) & 0x02, "uart: LSR says OE");
	check(inb(IIR) == 0x04, "uart: the LSR read cleared it: data next");
}

static void stdin_until_fed(void)
{
	static const uint8_t typed[] = "ls";
	struct uart *u = setup();

	stdin_data = typed;
	stdin_len = 2;
	check(inb(LSR) & 0x01 && inb(RBR) == 'l', "uart: before the loop feeds it, the UART reads stdin itself");
	uart__feed(u, (const uint8_t *)"z", 1);
	check(inb(RBR) == 'z' && !(inb(LSR) & 0x01) && stdin_len == 1,
	      "uart: once fed, it takes the queue and leaves stdin ('s') to the loop");
}

void uart_tests(void)
{
	thre();
	priorities();
	stdin_until_fed();
}
