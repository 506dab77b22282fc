// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 (hw/pit.c) over a clock the tests move: modes 0, 2, 3 and 4,
 * access modes, latch and read-back, IRQ 0 deadlines without drift, and
 * channel 2 through port 0x61 as Linux's TSC calibration drives it.
 */
#include "hw_test.h"

#define T0	1000000000ull		/* the count starts here */

static struct pit pit;
static struct irq_sink sink;

/* The time at which @n PIT ticks have passed since T0. */
static uint64_t at(uint64_t n)
{
	return T0 + (n * NSEC_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static void reset(void)
{
	memset(&sink, 0, sizeof(sink));
	pit.irq0 = sink_line(&sink, 0);
	pit__reset(&pit);
}

/* Channel @ch: control word @ctrl, then @count LSB and MSB, at T0. */
static void program(unsigned int ch, uint8_t ctrl, uint16_t count)
{
	pit__write(&pit, 0x43, ctrl, T0);
	pit__write(&pit, 0x40 + ch, count & 0xff, T0);
	pit__write(&pit, 0x40 + ch, count >> 8, T0);
}

/* A latched count, LSB then MSB, read at @now. */
static uint16_t latched(unsigned int ch, uint64_t now)
{
	pit__write(&pit, 0x43, ch << 6, now);
	return pit__read(&pit, 0x40 + ch, now) | pit__read(&pit, 0x40 + ch, now) << 8;
}

static void mode2(void)
{
	uint64_t d;
	unsigned int k, raised = 0;
	bool on_grid = true;

	reset();
	check(pit__next_deadline(&pit) == HW_NO_DEADLINE, "pit: no deadline before a count");
	program(0, 0x34, 1193);		/* Linux's periodic tick at 1000 Hz */
	d = pit__next_deadline(&pit);
	check(d == at(1193), "pit: mode 2: the first edge 1193 ticks after the count");
	note("  deadline %llu ns after the write", (unsigned long long)(d - T0));
	check(!pit__advance(&pit, d - 1) && sink.edges[0] == 0 &&
	      pit__advance(&pit, d) && sink.edges[0] == 1 && !sink.level[0],
	      "pit: nothing before it, one IRQ 0 pulse at it");
	check(latched(0, at(1193 + 200)) == 1193 - 200 && pit__out(&pit, 0, at(1193 + 200)),
	      "pit: mode 2 counts down from the count again, OUT high");
	check(!pit__out(&pit, 0, at(1192)) && pit__out(&pit, 0, at(1193)),
	      "pit: mode 2's OUT is low for the one tick at count 1");

	for (k = 2; k <= 10000; k++) {
		d = pit__next_deadline(&pit);
		on_grid &= d == at((uint64_t)k * 1193);
		raised += pit__advance(&pit, d);
	}
	check(on_grid && raised == 9999 && sink.edges[0] == 10000,
	      "pit: 10,000 periods: every deadline on start + k * 1193 ticks, no drift");
	note("  the 10,000th at %llu ns, expected %llu", (unsigned long long)(d - T0),
	     (unsigned long long)(at(10000ull * 1193) - T0));

	reset();
	program(0, 0x34, 1000);
	check(pit__advance(&pit, at(5500)) == 1 && sink.edges[0] == 1 &&
	      pit__next_deadline(&pit) == at(6000),
	      "pit: a loop 5.5 periods late gets one edge; the next stays on the grid");

	reset();
	program(0, 0x34, 0);
	check(pit__next_deadline(&pit) == at(65536), "pit: a count of 0 is 65536");

	reset();
	program(0, 0x34, 1000);
	pit__write(&pit, 0x40, 500 & 0xff, at(200));
	pit__write(&pit, 0x40, 500 >> 8, at(200));
	check(pit__next_deadline(&pit) == at(1000) && pit__advance(&pit, at(1000)) &&
	      pit__next_deadline(&pit) == at(1500),
	      "pit: mode 2: a new count takes effect at the end of the period");
}

static void one_shots(void)
{
	reset();
	program(0, 0x30, 100);		/* mode 0 */
	check(!pit__out(&pit, 0, at(99)) && pit__out(&pit, 0, at(100)) &&
	      pit__out(&pit, 0, at(5000)), "pit: mode 0: OUT low until terminal count, then high");
	check(pit__next_deadline(&pit) == at(100) && pit__advance(&pit, at(100)) &&
	      pit__next_deadline(&pit) == HW_NO_DEADLINE && sink.edges[0] == 1,
	      "pit: mode 0: one IRQ 0 edge, then no deadline");
	check(latched(0, at(101)) == 0xffff, "pit: mode 0: the counter wraps after terminal count");
	program(0, 0x30, 50);
	check(!pit__out(&pit, 0, at(10)) && pit__next_deadline(&pit) == at(50),
	      "pit: mode 0: a new count starts over, OUT low");

	reset();
	program(0, 0x30, 1000);
	pit__write(&pit, 0x40, 0x10, at(100));	/* LSB of a new count */
	check(latched(0, at(300)) == 900 && !pit__out(&pit, 0, at(2000)) &&
	      pit__next_deadline(&pit) == HW_NO_DEADLINE,
	      "pit: mode 0: the first byte of a new count stops the counter, OUT low");
	pit__write(&pit, 0x40, 0x00, at(400));
	check(pit__next_deadline(&pit) == at(400 + 0x10), "pit: the second byte starts the new count");

	reset();
	program(0, 0x38, 100);		/* mode 4, as Linux's one-shot clockevent */
	check(pit__out(&pit, 0, at(99)) && !pit__out(&pit, 0, at(100)) && pit__out(&pit, 0, at(101)),
	      "pit: mode 4: OUT high, low for the one tick at terminal count");
	check(pit__next_deadline(&pit) == at(101) && pit__advance(&pit, at(101)) &&
	      pit__next_deadline(&pit) == HW_NO_DEADLINE, "pit: mode 4: one edge after the strobe");
	program(0, 0x38, 100);
	check(pit__next_deadline(&pit) == at(101), "pit: mode 4: writing the count again rearms it");
}

static void mode3(void)
{
	reset();
	program(0, 0x36, 1000);
	check(pit__out(&pit, 0, at(0)) && pit__out(&pit, 0, at(499)) &&
	      !pit__out(&pit, 0, at(500)) && !pit__out(&pit, 0, at(999)) &&
	      pit__out(&pit, 0, at(1000)), "pit: mode 3: a square wave, 500 ticks high, 500 low");
	check(latched(0, at(100)) == 800 && latched(0, at(600)) == 800,
	      "pit: mode 3: the counter goes down by 2 in each half");
	check(pit__next_deadline(&pit) == at(1000), "pit: mode 3: IRQ 0 at each rising edge");
}

static void access(void)
{
	uint8_t status;

	reset();
	pit__write(&pit, 0x43, 0x14, T0);	/* LSB only */
	pit__write(&pit, 0x40, 0x50, T0);
	check(pit__next_deadline(&pit) == at(0x50) && pit__read(&pit, 0x40, at(0x10)) == 0x40,
	      "pit: LSB-only access: count 0x50, reads the LSB");
	pit__write(&pit, 0x43, 0x24, T0);	/* MSB only */
	pit__write(&pit, 0x40, 0x02, T0);
	check(pit__next_deadline(&pit) == at(0x200) && pit__read(&pit, 0x40, at(0x100)) == 0x01,
	      "pit: MSB-only access: count 0x200, reads the MSB");

	reset();
	program(0, 0x34, 1000);
	pit__write(&pit, 0x43, 0x00, at(100));	/* counter latch */
	check(pit__read(&pit, 0x40, at(300)) == (900 & 0xff) &&
	      pit__read(&pit, 0x40, at(400)) == 900 >> 8,
	      "pit: the latch holds the count of its moment");
	check(latched(0, at(400)) == 600, "pit: after reading it, the counter is live again");

	pit__write(&pit, 0x43, 0xc2, at(100));	/* read-back: count and status, ch 0 */
	status = pit__read(&pit, 0x40, at(300));
	check(status == 0xb4 && (pit__read(&pit, 0x40, at(300)) |
				 pit__read(&pit, 0x40, at(300)) << 8) == 900,
	      "pit: read-back: status 0xb4 (OUT, LSB/MSB, mode 2), then the count latched");
	note("  status %#x", status);
	pit__write(&pit, 0x43, 0x30, at(100));
	pit__write(&pit, 0x43, 0xe2, at(100));	/* status only */
	status = pit__read(&pit, 0x40, at(100));
	check(status == 0x70, "pit: read-back status after a control word: null count, OUT low (mode 0)");
	note("  status %#x", status);

	reset();
	program(0, 0x35, 0x1000);	/* BCD: 1000 */
	check(pit__next_deadline(&pit) == at(1000) && latched(0, at(1)) == 0x0999,
	      "pit: a BCD count of 0x1000 is 1000 ticks and reads back in BCD");
}

static void port61(void)
{
	unsigned int latch = PIT_HZ / (1000 / 50);	/* pit_calibrate_tsc's 50 ms */
	uint64_t t;
	uint8_t v;

	reset();
	v = pit__read(&pit, 0x61, T0);
	pit__write(&pit, 0x61, (v & ~0x02) | 0x01, T0);	/* gate on, speaker off */
	pit__write(&pit, 0x43, 0xb0, T0);		/* channel 2, mode 0 */
	pit__write(&pit, 0x42, latch & 0xff, T0);
	pit__write(&pit, 0x42, latch >> 8, T0);
	check(!(pit__read(&pit, 0x61, at(latch - 1)) & 0x20) &&
	      (pit__read(&pit, 0x61, at(latch)) & 0x20),
	      "pit: port 0x61 bit 5 rises after channel 2's %u ticks: 50 ms for TSC calibration", latch);
	t = at(latch) - T0;
	check(t >= 49999000 && t <= 50001000, "pit: that is 50 ms of the clock");
	note("  %llu ns", (unsigned long long)t);
	check((pit__read(&pit, 0x61, T0) & 0x0f) == 0x01 && pit.ch[0].start_count == 0,
	      "pit: port 0x61 keeps bits 3:0; channel 2 leaves IRQ 0 alone");
	check(((pit__read(&pit, 0x61, T0) ^ pit__read(&pit, 0x61, T0 + 15085)) & 0x10),
	      "pit: bit 4, the refresh toggle, flips every 15 us");

	/* quick_pit_calibrate: mode 0, 0xffff, the MSB read live. */
	pit__write(&pit, 0x43, 0xb0, T0);
	pit__write(&pit, 0x42, 0xff, T0);
	pit__write(&pit, 0x42, 0xff, T0);
	pit__read(&pit, 0x42, at(300));
	check(pit__read(&pit, 0x42, at(300)) == 0xfe, "pit: the live MSB after 300 ticks of 0xffff is 0xfe");

	pit__write(&pit, 0x43, 0xb0, T0);
	pit__write(&pit, 0x42, 100, T0);
	pit__write(&pit, 0x42, 0, T0);
	pit__write(&pit, 0x61, 0x00, at(50));		/* gate off: counting stops */
	pit__write(&pit, 0x61, 0x01, at(1000));
	check(!(pit__read(&pit, 0x61, at(1049)) & 0x20) && (pit__read(&pit, 0x61, at(1050)) & 0x20),
	      "pit: mode 0: the gate low pauses channel 2 (50 + 950 idle + 50 ticks)");

	pit__write(&pit, 0x61, 0x00, T0);
	pit__write(&pit, 0x43, 0xb2, T0);		/* mode 1 */
	pit__write(&pit, 0x42, 100, T0);
	pit__write(&pit, 0x42, 0, T0);
	check(pit__out(&pit, 2, at(500)), "pit: mode 1 waits for a gate edge, OUT high");
	pit__write(&pit, 0x61, 0x01, at(1000));
	check(!pit__out(&pit, 2, at(1099)) && pit__out(&pit, 2, at(1100)),
	      "pit: mode 1: the gate's rising edge starts a 100-tick low pulse");

	pit__write(&pit, 0x61, 0x00, T0);
	pit__write(&pit, 0x43, 0xba, T0);		/* mode 5 */
	pit__write(&pit, 0x42, 100, T0);
	pit__write(&pit, 0x42, 0, T0);
	pit__write(&pit, 0x61, 0x01, at(1000));
	check(pit__out(&pit, 2, at(500)) && pit__out(&pit, 2, at(1099)) &&
	      !pit__out(&pit, 2, at(1100)) && pit__out(&pit, 2, at(1101)),
	      "pit: mode 5: the gate's rising edge triggers a strobe 100 ticks later");

	registry__reset();
	pit.clock = test_clock;
	check(!pit__init(&test_vr, &pit, sink_line(&sink, 0)) && io_claimed(0x43) &&
	      io_claimed(0x61), "pit: pit__init registers 0x40-0x43 and 0x61");
	pit.clock = test_clock;
	test_now = T0;
	outb(0x43, 0x34);
	outb(0x40, 0xa9);
	outb(0x40, 0x04);
	check(pit__next_deadline(&pit) == at(1193), "pit: programmed through the ports at the clock's time");
}

/* pc.c wires channel 0 to IRQ 0 of the PIC. */
static void board(void)
{
	struct pc pc;

	registry__reset();
	check(!pc__init(&test_vr, &pc), "pit: on the board");
	pc.pit.clock = test_clock;
	test_now = T0;
	outb(0x20, 0x11);
	outb(0x21, 0x20);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0x43, 0x34);
	outb(0x40, 0xe8);
	outb(0x40, 0x03);
	check(!pit__advance(&pc.pit, at(999)) && !pic__has_intr(&pc.pic) &&
	      pit__advance(&pc.pit, at(1000)) && pic__has_intr(&pc.pic) &&
	      pic__ack(&pc.pic) == 0x20, "pit: its edge reaches the PIC as IRQ 0, vector 0x20");
}

void pit_tests(void)
{
	mode2();
	one_shots();
	mode3();
	access();
	port61();
	board();
}
