// SPDX-License-Identifier: GPL-2.0
/*
 * The RTC and CMOS (hw/rtc.c) at a wall time the tests choose: BCD and
 * binary, 24 and 12 hours, the update-in-progress window, SET, registers
 * C and D, the NMI bit, and the memory-size bytes.
 */
#include <time.h>

#include "hw_test.h"

static struct rtc rtc;
static uint64_t now;		/* 2026-12-03 20:15:42 UTC, a Thursday */

/* Register @r through the ports at time now. */
static uint8_t reg(uint8_t r)
{
	test_now = now;
	outb(0x70, r);
	return inb(0x71);
}

static void set(uint8_t r, uint8_t v)
{
	test_now = now;
	outb(0x70, r);
	outb(0x71, v);
}

static void reset(void)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 3,
			 .tm_hour = 20, .tm_min = 15, .tm_sec = 42 };

	now = (uint64_t)timegm(&tm) * NSEC_PER_SEC + 123456789;
	registry__reset();
	rtc__init(&test_vr, &rtc, 0, 0);
	rtc.clock = test_clock;
}

static void formats(void)
{
	reset();
	check(reg(0x00) == 0x42 && reg(0x02) == 0x15 && reg(0x04) == 0x20 &&
	      reg(0x06) == 0x05 && reg(0x07) == 0x03 && reg(0x08) == 0x12 &&
	      reg(0x09) == 0x26 && reg(0x32) == 0x20,
	      "rtc: BCD, 24 hours: 2026-12-03 (Thursday, 5) 20:15:42");
	note("  %02x:%02x:%02x day %02x %02x-%02x-%02x%02x", reg(4), reg(2), reg(0),
	     reg(6), reg(7), reg(8), reg(0x32), reg(9));
	check(reg(0x0b) == 0x02 && reg(0x0d) == 0x80, "rtc: B is 24-hour BCD, D says valid");
	set(0x0b, 0x06);
	check(reg(0x00) == 42 && reg(0x04) == 20 && reg(0x09) == 26 && reg(0x32) == 20,
	      "rtc: binary (B bit 2): 20:15:42, year 26, century 20");
	set(0x0b, 0x04);
	check(reg(0x04) == (8 | 0x80), "rtc: binary, 12 hours: 8 with PM (bit 7)");
	set(0x0b, 0x00);
	check(reg(0x04) == 0x88, "rtc: BCD, 12 hours: 0x08 | PM");
	now -= 20 * 3600 * NSEC_PER_SEC - 30 * 60 * NSEC_PER_SEC;	/* 00:45 */
	check(reg(0x04) == 0x12, "rtc: 12 hours: 00:45 reads as 12 AM");
	now += 12 * 3600 * NSEC_PER_SEC;
	check(reg(0x04) == 0x92, "rtc: 12 hours: 12:45 reads as 12 PM");
	now += 3 * NSEC_PER_SEC;
	check(reg(0x00) == 0x45, "rtc: the time follows the clock: 3 s later, 45 s");
}

static void update_in_progress(void)
{
	uint64_t sec;

	reset();
	sec = now - now % NSEC_PER_SEC;
	now = sec + NSEC_PER_SEC - 244000 - 1;	/* the data sheet's 244 us */
	check(!(reg(0x0a) & 0x80), "rtc: UIP clear 244 us + 1 ns before the update");
	now++;
	check((reg(0x0a) & 0x80) && reg(0x00) == 0x42, "rtc: UIP set 244 us before it, time not yet updated");
	now = sec + NSEC_PER_SEC;
	check(!(reg(0x0a) & 0x80) && reg(0x00) == 0x43, "rtc: UIP clear after the update, the second moved on");
	check((reg(0x0a) & 0x7f) == 0x26, "rtc: A's divider and rate bits");
	set(0x0a, 0xa6);
	check(reg(0x0a) == 0x26, "rtc: A's UIP bit is read-only");
}

static void set_bit(void)
{
	reset();
	set(0x0b, 0x82);		/* SET, 24 hours, BCD */
	now += 5 * NSEC_PER_SEC;
	check(reg(0x00) == 0x42 && reg(0x02) == 0x15, "rtc: SET freezes the time");
	now = now - now % NSEC_PER_SEC + NSEC_PER_SEC - 1;
	check(!(reg(0x0a) & 0x80), "rtc: no UIP while SET");
	set(0x04, 0x07);
	set(0x02, 0x00);
	set(0x00, 0x00);
	set(0x09, 0x27);
	check(reg(0x04) == 0x07, "rtc: the guest writes the time under SET");
	set(0x0b, 0x02);
	now += 3 * NSEC_PER_SEC;
	check(reg(0x04) == 0x07 && reg(0x02) == 0x00 && reg(0x00) == 0x03 && reg(0x09) == 0x27,
	      "rtc: clearing SET starts the written time: 2027 07:00:03 three seconds later");
	note("  %02x:%02x:%02x year %02x", reg(4), reg(2), reg(0), reg(9));

	reset();
	set(0x02, 0x30);		/* minutes written while running */
	check(reg(0x02) == 0x30 && reg(0x04) == 0x20 && reg(0x00) == 0x42,
	      "rtc: a time register written without SET takes effect at once");
}

static void registers(void)
{
	reset();
	rtc.last_c_sec = 0;
	check(reg(0x0c) == 0x10 && reg(0x0c) == 0, "rtc: C says UF once a second passed, and reading clears it");
	now += NSEC_PER_SEC;
	check(reg(0x0c) == 0x10, "rtc: UF again a second later");
	set(0x0d, 0x00);
	set(0x0c, 0xff);
	check(reg(0x0d) == 0x80 && reg(0x0c) == 0, "rtc: C and D are read-only");
	set(0x40, 0xa5);
	set(0x7f, 0x5a);
	check(reg(0x40) == 0xa5 && reg(0x7f) == 0x5a, "rtc: the rest is CMOS RAM");
	outb(0x70, 0x8f);
	check(rtc__nmi_masked(&rtc) && rtc.index == 0x0f && inb(0x70) == 0xff,
	      "rtc: index bit 7 masks NMI and is kept apart; 0x70 reads 0xff");
	outb(0x70, 0x0f);
	check(!rtc__nmi_masked(&rtc), "rtc: clearing bit 7 unmasks NMI");
}

static uint32_t le(uint8_t lo)
{
	return reg(lo) | reg(lo + 1) << 8;
}

static void memory(void)
{
	struct pc pc;
	uint32_t above;

	reset();
	rtc__set_ram(&rtc, 16 * MiB, 0);
	check(le(0x15) == 640 && le(0x17) == 15360 && le(0x30) == 15360 && le(0x34) == 0 &&
	      reg(0x5b) == 0, "rtc: 16 MiB: 640 KiB base, 15360 KiB extended, none above 16 MiB");
	rtc__set_ram(&rtc, 512 * MiB, 0);
	check(le(0x17) == 0xffff && le(0x30) == 0xffff && le(0x34) == 0x1f00,
	      "rtc: 512 MiB: extended capped at 0xffff KiB, 0x1f00 64-KiB units above 16 MiB");
	rtc__set_ram(&rtc, 3 * GiB, 0);
	check(le(0x34) == 0xbf00 && reg(0x5b) == 0 && reg(0x5c) == 0 && reg(0x5d) == 0,
	      "rtc: 3 GiB: 0xbf00 above 16 MiB, nothing above 4 GiB");
	rtc__set_ram(&rtc, 3 * GiB, 3 * GiB);
	above = reg(0x5b) | reg(0x5c) << 8 | reg(0x5d) << 16;
	check(le(0x34) == 0xbf00 && above == 0xc000,
	      "rtc: 6 GiB as 3 + 3: 0xc000 64-KiB units above 4 GiB");
	check((reg(0x2e) << 8 | reg(0x2f)) == 0x80 + 0x02 + 0xff + 0xff,
	      "rtc: 0x2e/0x2f hold the checksum of 0x10-0x2d");

	registry__reset();
	gmem__add(&test_vr.gmem, 0, 6 * GiB, NULL, "RAM");
	check(!pc__init(&test_vr, &pc) && test_vr.pc == &pc, "rtc: pc__init wires the board");
	pc.rtc.clock = test_clock;
	outb(0x70, 0x34);
	above = inb(0x71);
	outb(0x70, 0x35);
	above |= inb(0x71) << 8;
	outb(0x70, 0x5c);
	check(above == 0xff00 && inb(0x71) == 0x80,
	      "rtc: a 6 GiB region from 0: 4 GiB below (0xff00), 2 GiB above (0x8000)");
}

void rtc_tests(void)
{
	formats();
	update_in_progress();
	set_bit();
	registers();
	memory();
}
