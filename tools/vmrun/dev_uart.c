// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: a 16550A UART at 0x3f8 (COM1), the registers the Linux 8250
 * driver and small test kernels use. The register layout is the 16550's
 * (National Semiconductor PC16550D data sheet):
 *
 *   +0  RBR (read) / THR (write); DLL when LCR.DLAB = 1
 *   +1  IER;                      DLM when LCR.DLAB = 1
 *   +2  IIR (read) / FCR (write)
 *   +3  LCR   +4 MCR   +5 LSR   +6 MSR   +7 SCR
 *
 * Transmission is instant: a byte written to THR goes to stdout and THR is
 * empty again, so LSR always shows THRE and TEMT. Received bytes move
 * into a 16-byte FIFO (1 byte with the FIFOs off) from the input queue
 * the run loop fills (uart__feed), or, until it does, from stdin (see
 * term.c), pulled when the guest looks at LSR, RBR or IIR. With MCR.LOOP
 * set, THR feeds RBR and MSR mirrors MCR, which is how the 8250 driver
 * probes a port.
 *
 * Interrupts: IIR names the highest-priority source enabled in IER:
 * receiver line status (an overrun), received data (any byte in the
 * FIFO: there are no trigger levels or character timeouts), THR empty,
 * modem status. THR empty is an event: it is raised when THR empties
 * (at once after each write) and when IER.THRE goes from 0 to 1, and is
 * cleared by a THR write or by an IIR read that reports it. IIR bits 7:6
 * say the FIFOs are on. The interrupt output drives IRQ 4 while a source
 * is pending and MCR.OUT2 is set (a PC gates the UART's IRQ with OUT2;
 * loopback disconnects it), as a level the PIC latches at its edges.
 *
 * The output ring: THR writes may wait in the module's ring (run.c
 * replays them at the next exit) only while IER.THRE is off. With it on,
 * the guest waits for a THRE interrupt after its writes, so each write
 * must reach the UART at once: the glue takes the port out of the ring
 * when the guest enables THRE and puts it back when it disables it.
 */
#include <sys/ioctl.h>

#include "vmrun.h"
#include "hw/pc.h"

#define UART_PORTS	8
#define UART_FIFO	16
#define UART_INPUT	4096	/* bytes fed and not yet in the FIFO */

#define REG_DATA	0
#define REG_IER		1
#define REG_IIR_FCR	2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define REG_MSR		6
#define REG_SCR		7

#define IER_RDI		0x01	/* received data available */
#define IER_THRI	0x02	/* THR empty */
#define IER_RLSI	0x04	/* receiver line status */
#define IER_MSI		0x08	/* modem status */

#define IIR_NONE	0x01
#define IIR_MSI		0x00
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_RLSI	0x06
#define IIR_FIFOS	0xc0

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02

#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80
#define MSR_DELTAS	0x0f
#define MSR_TERI	0x04

struct uart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifos;
	bool thri;		/* THR-empty interrupt condition */
	uint8_t lsr_errors;	/* OE, until LSR is read */
	uint8_t msr;		/* lines (bits 7:4) and deltas (3:0) */
	uint8_t rx[UART_FIFO];
	unsigned int rx_head, rx_len;
	uint8_t in[UART_INPUT];	/* uart__feed's queue */
	unsigned int in_head, in_len;
	bool fed;		/* the run loop feeds the input; stdin is its */
	struct irq_line irq;
	bool irq_level;
};

static struct uart com1;

/* The modem lines: a connected terminal, or MCR itself in loopback. */
static uint8_t modem_lines(const struct uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	return (u->mcr & MCR_RTS ? MSR_CTS : 0) | (u->mcr & MCR_DTR ? MSR_DSR : 0) |
	       (u->mcr & MCR_OUT1 ? MSR_RI : 0) | (u->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void update_msr(struct uart *u)
{
	uint8_t old = u->msr & 0xf0, now = modem_lines(u);
	uint8_t delta = ((old ^ now) >> 4) & ~MSR_TERI;

	if ((old & MSR_RI) && !(now & MSR_RI))
		delta |= MSR_TERI;	/* trailing edge of RI */
	u->msr = now | ((u->msr | delta) & MSR_DELTAS);
}

static unsigned int rx_capacity(const struct uart *u)
{
	return u->fifos ? UART_FIFO : 1;
}

static void rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_len >= rx_capacity(u)) {
		u->lsr_errors |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_len++) % UART_FIFO] = c;
}

/* Take what the input queue, or else stdin, has ready, as much as fits. */
static void rx_fill(struct uart *u)
{
	uint8_t buf[UART_FIFO];
	int n, i;

	if (u->mcr & MCR_LOOP)
		return;
	while (u->in_len && u->rx_len < rx_capacity(u)) {
		rx_push(u, u->in[u->in_head]);
		u->in_head = (u->in_head + 1) % UART_INPUT;
		u->in_len--;
	}
	if (u->fed || u->rx_len >= rx_capacity(u))
		return;
	n = term__read(buf, rx_capacity(u) - u->rx_len);
	for (i = 0; i < n; i++)
		rx_push(u, buf[i]);
}

/* The pending interrupt of the highest priority, IIR bits 3:0. */
static uint8_t intr_id(const struct uart *u)
{
	if ((u->ier & IER_RLSI) && u->lsr_errors)
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_len)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thri)
		return IIR_THRI;
	if ((u->ier & IER_MSI) && (u->msr & MSR_DELTAS))
		return IIR_MSI;
	return IIR_NONE;
}

static uint8_t iir(struct uart *u)
{
	uint8_t id = intr_id(u);

	if (id == IIR_THRI)
		u->thri = false;	/* reading IIR clears this source */
	return id | (u->fifos ? IIR_FIFOS : 0);
}

bool uart__irq(const struct uart *u)
{
	return intr_id(u) != IIR_NONE && (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
}

static void update_irq(struct uart *u)
{
	bool level = uart__irq(u);

	if (level != u->irq_level) {
		u->irq_level = level;
		irq_line__set(&u->irq, level);
	}
}

bool uart__may_coalesce(const struct uart *u)
{
	return !(u->ier & IER_THRI);
}

void uart__feed(struct uart *u, const uint8_t *buf, unsigned int len)
{
	unsigned int i;

	u->fed = true;
	for (i = 0; i < len && u->in_len < UART_INPUT; i++)
		u->in[(u->in_head + u->in_len++) % UART_INPUT] = buf[i];
	rx_fill(u);
	update_irq(u);
}

static uint8_t uart_read(struct uart *u, unsigned int reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			return u->dll;
		rx_fill(u);
		if (!u->rx_len)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_FIFO;
		u->rx_len--;
		if (u->fed)
			rx_fill(u);	/* the next fed byte, for the interrupt */
		return v;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR:
		rx_fill(u);
		return iir(u);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		rx_fill(u);
		v = LSR_THRE | LSR_TEMT | u->lsr_errors | (u->rx_len ? LSR_DR : 0);
		u->lsr_errors = 0;
		return v;
	case REG_MSR:
		v = u->msr;
		u->msr &= ~MSR_DELTAS;
		return v;
	default:
		return u->scr;
	}
}

static void uart_write(struct uart *u, unsigned int reg, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		if (dlab) {
			u->dll = v;
			break;
		}
		if (u->mcr & MCR_LOOP)
			rx_push(u, v);
		else
			devices__putc(v);
		u->thri = true;		/* cleared by the write, raised as THR empties */
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		/* Enabling the THRE interrupt with THR empty raises it. */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thri = true;
		u->ier = v & 0x0f;
		break;
	case REG_IIR_FCR:
		if ((v & FCR_CLEAR_RX) || (bool)(v & FCR_ENABLE) != u->fifos)
			u->rx_len = 0;
		u->fifos = v & FCR_ENABLE;
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1f;
		update_msr(u);
		break;
	case REG_SCR:
		u->scr = v;
		break;
	default:
		break;		/* LSR and MSR: factory test, ignored */
	}
}

static uint8_t uart_in(void *priv, uint16_t port)
{
	struct uart *u = priv;
	uint8_t v = uart_read(u, port - UART_BASE);

	update_irq(u);
	return v;
}

static void uart_out(void *priv, uint16_t port, uint8_t v)
{
	struct uart *u = priv;

	uart_write(u, port - UART_BASE, v);
	update_irq(u);
}

/* Take THR out of the output ring while the THRE interrupt is on. */
static void ring(struct vmrun *vr, bool on)
{
	struct tinyvmx_coalesced_port c = { .port = UART_BASE, .len = 1 };

	if (ioctl(vr->vm.fd, on ? TINYVMX_REGISTER_COALESCED_PORT :
		  TINYVMX_UNREGISTER_COALESCED_PORT, &c))
		vmrun__msg("uart: cannot %s the output ring for THR: %m",
			   on ? "use" : "leave");
}

/* Wider accesses are taken a byte at a time, as on an 8-bit bus. */
static void uart_io(struct vmrun *vr, struct io_dev *dev, struct io_access *io)
{
	struct uart *u = dev->priv;
	bool ringed = uart__may_coalesce(u);

	hw__bytes(dev, io, u, uart_in, uart_out);
	if (vr->coalesced && ringed != uart__may_coalesce(u))
		ring(vr, !ringed);
}

int uart__init(struct vmrun *vr)
{
	com1 = (struct uart){ .dll = 1 };	/* 115200 baud */
	update_msr(&com1);
	com1.msr &= ~MSR_DELTAS;
	if (vr->pc)
		com1.irq = pic__line(&vr->pc->pic, IRQ_COM1);
	vr->uart = &com1;
	if (term__init())
		vmrun__msg("warning: stdin stays in its current mode: the terminal refused raw mode");
	return devices__register("uart", UART_BASE, UART_PORTS, uart_io, &com1);
}
