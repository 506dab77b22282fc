// SPDX-License-Identifier: GPL-2.0
/*
 * The i8042 with nothing plugged in (hw/i8042.c): the controller's own
 * commands, the answers for an absent keyboard and mouse, the reset line
 * and port 0x92.
 */
#include "hw_test.h"

static struct i8042 kbd;
static struct irq_sink sink;
static unsigned int resets;

static void on_reset(void *ctx)
{
	(void)ctx;
	resets++;
}

static void reset(void)
{
	memset(&sink, 0, sizeof(sink));
	registry__reset();
	i8042__init(&test_vr, &kbd, sink_line(&sink, 1), sink_line(&sink, 12));
	kbd.reset = on_reset;
	resets = 0;
}

static uint8_t status(void)
{
	return inb(0x64);
}

/* Command @cmd; its one-byte answer, or -1 with no OBF. */
static int ask(uint8_t cmd)
{
	outb(0x64, cmd);
	if (!(status() & I8042_STR_OBF))
		return -1;
	return inb(0x60);
}

static void controller(void)
{
	reset();
	check(status() == (I8042_STR_SYS | I8042_STR_UNLOCKED), "i8042: idle status: SYS, not inhibited, no OBF");
	check(ask(0xaa) == 0x55 && !(status() & I8042_STR_OBF), "i8042: self-test 0xaa answers 0x55");
	check(ask(0xab) == 0x00 && ask(0xa9) == 0x00, "i8042: interface tests 0xab and 0xa9 answer 0x00");
	check(ask(0x20) == 0x45, "i8042: the command byte: KBD interrupt, SYS, translation");
	outb(0x64, 0x60);
	check(status() & I8042_STR_CMD, "i8042: status bit 3 says the last write was a command");
	outb(0x60, 0x47);
	check(ask(0x20) == 0x47 && !(status() & 0x40), "i8042: 0x60 then a byte writes the command byte");
	check(ask(0xad) == -1 && ask(0x20) == 0x57 && ask(0xae) == -1 && ask(0x20) == 0x47,
	      "i8042: 0xad and 0xae disable and enable the keyboard port");
	check(ask(0xa7) == -1 && ask(0x20) == 0x67 && ask(0xa8) == -1 && ask(0x20) == 0x47,
	      "i8042: 0xa7 and 0xa8 disable and enable the aux port");
	check(ask(0xd0) == 0x03, "i8042: the output port: not in reset, A20 on");
	outb(0x64, 0xd1);
	outb(0x60, 0xdd);
	check(ask(0xd0) == 0xdd && !i8042__a20(&kbd) && resets == 0,
	      "i8042: 0xd1 writes the output port: A20 off, no reset");
	outb(0x64, 0xd1);
	outb(0x60, 0xde);
	check(resets == 1, "i8042: an output port write with bit 0 clear resets");
}

static void no_devices(void)
{
	reset();
	outb(0x60, 0xf2);	/* keyboard: get ID */
	check((status() & (I8042_STR_OBF | I8042_STR_TIMEOUT | I8042_STR_AUXDATA)) ==
	      (I8042_STR_OBF | I8042_STR_TIMEOUT) && sink.level[1] && sink.edges[1] == 1,
	      "i8042: a keyboard command times out: OBF, timeout, IRQ 1");
	check(inb(0x60) == 0xfe && !(status() & 0x41) && !sink.level[1],
	      "i8042: with 0xfe in the buffer; reading it clears status and IRQ 1");
	outb(0x64, 0xd4);
	outb(0x60, 0xff);	/* mouse: reset */
	check((status() & 0x61) == 0x61 && inb(0x60) == 0xfe && !sink.level[12],
	      "i8042: a mouse command times out on the aux side, no IRQ 12 while AUXINT is off");
	outb(0x64, 0x60);
	outb(0x60, 0x47);	/* AUXINT on */
	outb(0x64, 0xd3);
	outb(0x60, 0x5a);	/* Linux's aux loop test */
	check((status() & 0x21) == 0x21 && sink.level[12] && inb(0x60) == 0x5a &&
	      !sink.level[12], "i8042: 0xd3 loops 0x5a back as aux data, with IRQ 12");
	outb(0x64, 0xd2);
	outb(0x60, 0x1c);
	check((status() & 0x21) == 0x01 && inb(0x60) == 0x1c,
	      "i8042: 0xd2 puts a byte in the buffer as if from the keyboard");
}

static void reset_line(void)
{
	reset();
	outb(0x64, 0xff);
	check(resets == 0, "i8042: 0xff pulses nothing");
	outb(0x64, 0xfe);
	check(resets == 1, "i8042: 0xfe pulses the reset line");

	reset();
	outb(0x92, 0x02);
	check(inb(0x92) == 0x02 && i8042__a20(&kbd) && resets == 0,
	      "i8042: port 0x92 bit 1 is fast A20, kept and readable");
	outb(0x92, 0x03);
	check(resets == 1, "i8042: port 0x92 bit 0 rising resets");
	outb(0x92, 0x03);
	check(resets == 1, "i8042: only on its rising edge");

	registry__reset();
	check(!i8042__init(&test_vr, &kbd, sink_line(&sink, 1), sink_line(&sink, 12)) &&
	      io_claimed(0x60) && io_claimed(0x64) && io_claimed(0x92) && !io_claimed(0x61),
	      "i8042: i8042__init registers 0x60, 0x64 and 0x92");
	outb(0x64, 0xaa);
	check(inb(0x60) == 0x55 && !test_vr.done, "i8042: self-test through the ports");
	outb(0x64, 0xfe);
	check(test_vr.done && test_vr.status == VMRUN_REBOOT,
	      "i8042: through the glue, 0xfe ends the run with VMRUN_REBOOT");
	note("  %s", test_vr.end_msg);
}

void i8042_tests(void)
{
	controller();
	no_devices();
	reset_line();
}
