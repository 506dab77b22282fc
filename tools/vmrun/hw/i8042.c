// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: an 8042 keyboard controller with nothing plugged in, at 0x60
 * (data) and 0x64 (status on reads, commands on writes), and port 0x92,
 * system control port A.
 *
 * The controller itself answers as a healthy one does: command byte read
 * and write (0x20, 0x60), self-test 0xaa -> 0x55, keyboard and aux
 * interface tests 0xab and 0xa9 -> 0x00, disable and enable of both ports
 * (0xad, 0xae, 0xa7, 0xa8), output port read and write (0xd0, 0xd1),
 * output buffer writes (0xd2, and 0xd3, the aux loopback Linux probes
 * with). There is no keyboard and no mouse: a byte sent to either (a
 * plain write to 0x60, or 0xd4 then a byte) gets what a controller gives
 * when the device does not answer, 0xfe with the status register's
 * timeout bit, so a driver gives up at once instead of waiting. The
 * output buffer raises IRQ 1 (keyboard side) or IRQ 12 (aux side) when
 * the command byte enables it; the line stays up until the byte is read.
 *
 * The reset line: command 0xfe (any 0xf0-0xff command pulsing output
 * port bit 0), a write of the output port with bit 0 clear, and a rising
 * bit 0 at port 0x92 call the reset callback: the guest asked for a
 * reboot. A20 (output port bit 1, port 0x92 bit 1) is kept and reads
 * back; guest memory does not wrap at 1 MiB whatever its value.
 */
#include "i8042.h"
#include "../vmrun.h"

#define CMD_READ_CTR	0x20
#define CMD_WRITE_CTR	0x60
#define CMD_AUX_DISABLE	0xa7
#define CMD_AUX_ENABLE	0xa8
#define CMD_AUX_TEST	0xa9
#define CMD_SELF_TEST	0xaa
#define CMD_KBD_TEST	0xab
#define CMD_KBD_DISABLE	0xad
#define CMD_KBD_ENABLE	0xae
#define CMD_READ_OUT	0xd0
#define CMD_WRITE_OUT	0xd1
#define CMD_WRITE_KBD	0xd2
#define CMD_WRITE_AUX	0xd3
#define CMD_SEND_AUX	0xd4
#define CMD_PULSE	0xf0

#define SELF_TEST_OK	0x55
#define NO_DEVICE	0xfe

static void update_irqs(struct i8042 *kbd)
{
	bool aux = kbd->len && kbd->aux[kbd->head];

	irq_line__set(&kbd->irq1, kbd->len && !aux && (kbd->ctr & I8042_CTR_KBDINT));
	irq_line__set(&kbd->irq12, aux && (kbd->ctr & I8042_CTR_AUXINT));
}

static void push(struct i8042 *kbd, uint8_t v, bool aux)
{
	unsigned int i = (kbd->head + kbd->len) % I8042_QUEUE;

	if (kbd->len == I8042_QUEUE)
		return;
	kbd->queue[i] = v;
	kbd->aux[i] = aux;
	kbd->len++;
}

static void reset_request(struct i8042 *kbd)
{
	if (kbd->reset)
		kbd->reset(kbd->reset_ctx);
}

/* A byte for a device that is not there. */
static void no_device(struct i8042 *kbd, bool aux)
{
	kbd->status |= I8042_STR_TIMEOUT;
	push(kbd, NO_DEVICE, aux);
}

static void command(struct i8042 *kbd, uint8_t v)
{
	switch (v) {
	case CMD_READ_CTR:
		push(kbd, kbd->ctr, false);
		break;
	case CMD_WRITE_CTR:
	case CMD_WRITE_OUT:
	case CMD_WRITE_KBD:
	case CMD_WRITE_AUX:
	case CMD_SEND_AUX:
		kbd->pending = v;
		break;
	case CMD_AUX_DISABLE:
		kbd->ctr |= I8042_CTR_AUXDIS;
		break;
	case CMD_AUX_ENABLE:
		kbd->ctr &= ~I8042_CTR_AUXDIS;
		break;
	case CMD_KBD_DISABLE:
		kbd->ctr |= I8042_CTR_KBDDIS;
		break;
	case CMD_KBD_ENABLE:
		kbd->ctr &= ~I8042_CTR_KBDDIS;
		break;
	case CMD_SELF_TEST:
		push(kbd, SELF_TEST_OK, false);
		break;
	case CMD_AUX_TEST:
	case CMD_KBD_TEST:
		push(kbd, 0x00, false);
		break;
	case CMD_READ_OUT:
		push(kbd, kbd->out_port, false);
		break;
	default:
		/* 0xf0-0xff pulse output port bits 3:0 low where v has a 0. */
		if (v >= CMD_PULSE && !(v & I8042_OUT_RESET))
			reset_request(kbd);
		break;
	}
}

static void data(struct i8042 *kbd, uint8_t v)
{
	uint8_t cmd = kbd->pending;

	kbd->pending = 0;
	switch (cmd) {
	case CMD_WRITE_CTR:
		kbd->ctr = v;
		break;
	case CMD_WRITE_OUT:
		kbd->out_port = v;
		if (!(v & I8042_OUT_RESET))
			reset_request(kbd);
		break;
	case CMD_WRITE_KBD:
		push(kbd, v, false);
		break;
	case CMD_WRITE_AUX:
		push(kbd, v, true);
		break;
	case CMD_SEND_AUX:
		no_device(kbd, true);
		break;
	default:
		no_device(kbd, false);	/* a keyboard command */
		break;
	}
}

static uint8_t i8042_in(void *priv, uint16_t port)
{
	struct i8042 *kbd = priv;
	uint8_t v;

	if (port == PORT92)
		return kbd->port92;
	if (port == I8042_CMD) {
		v = kbd->status | I8042_STR_UNLOCKED;
		if (kbd->ctr & I8042_CTR_SYS)
			v |= I8042_STR_SYS;
		if (kbd->len)
			v |= I8042_STR_OBF | (kbd->aux[kbd->head] ? I8042_STR_AUXDATA : 0);
		return v;
	}
	if (!kbd->len)
		return kbd->queue[(kbd->head + I8042_QUEUE - 1) % I8042_QUEUE];
	v = kbd->queue[kbd->head];
	kbd->head = (kbd->head + 1) % I8042_QUEUE;
	kbd->len--;
	kbd->status &= ~I8042_STR_TIMEOUT;
	update_irqs(kbd);
	return v;
}

static void i8042_out(void *priv, uint16_t port, uint8_t v)
{
	struct i8042 *kbd = priv;

	if (port == PORT92) {
		if ((v & PORT92_RESET) && !(kbd->port92 & PORT92_RESET))
			reset_request(kbd);
		kbd->port92 = v;
		return;
	}
	if (port == I8042_CMD) {
		kbd->status |= I8042_STR_CMD;
		command(kbd, v);
	} else {
		kbd->status &= ~I8042_STR_CMD;
		data(kbd, v);
	}
	update_irqs(kbd);
}

bool i8042__a20(const struct i8042 *kbd)
{
	return (kbd->out_port & I8042_OUT_A20) || (kbd->port92 & PORT92_A20);
}

void i8042__reset(struct i8042 *kbd)
{
	kbd->ctr = I8042_CTR_KBDINT | I8042_CTR_SYS | I8042_CTR_XLATE;
	kbd->out_port = I8042_OUT_RESET | I8042_OUT_A20;
	kbd->port92 = 0;
	kbd->status = 0;
	kbd->pending = 0;
	kbd->head = 0;
	kbd->len = 0;
	update_irqs(kbd);
}

static const struct hw_ports ports[] = {
	{ "i8042-data", I8042_DATA, 1 },
	{ "i8042-cmd", I8042_CMD, 1 },
	{ "port-92", PORT92, 1 },
};

int i8042__init(struct vmrun *vr, struct i8042 *kbd, struct irq_line irq1,
		struct irq_line irq12)
{
	kbd->irq1 = irq1;
	kbd->irq12 = irq12;
	kbd->reset = hw__reset;
	kbd->reset_ctx = vr;
	i8042__reset(kbd);
	return hw__register(ports, 3, i8042_in, i8042_out, kbd);
}
