// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the MC146818 real-time clock and its CMOS RAM, after Motorola's
 * MC146818A data sheet, at 0x70 (index, bit 7 masks NMI) and 0x71 (data).
 *
 * The time is the wall clock (UTC) plus an offset the guest sets; it is
 * computed at each read, in BCD or binary (register B bit 2) and 24- or
 * 12-hour form (B bit 1; in 12-hour form bit 7 of the hour is PM).
 * Register A's update-in-progress bit is set in the last RTC_UIP_NS of
 * each second, before the registers change, as the chip sets it 244 us
 * before an update. B's SET bit freezes the time registers at their
 * current values and lets the guest write them; clearing SET takes the
 * written time as the new one (the offset), counting from that moment.
 * Writing a time register while SET is clear does the same at once.
 * Register C reads and clears its flags: UF says a second passed since
 * the last read; PF and AF are never set, and there is no IRQ 8
 * (periodic, alarm and update-ended interrupts are not emulated). D says
 * the RAM and time are valid. The divider bits of A are kept but do not
 * stop the clock.
 *
 * The rest is 128 bytes of RAM. At init the memory-size bytes say how
 * much RAM the guest has, as SeaBIOS reads them: 0x15/0x16 base memory
 * in KiB, 0x17/0x18 and 0x30/0x31 KiB above 1 MiB (at most 0xffff),
 * 0x34/0x35 64-KiB units above 16 MiB below 4 GiB, 0x5b-0x5d 64-KiB
 * units above 4 GiB; 0x2e/0x2f hold the checksum of 0x10-0x2d. The
 * century is at 0x32.
 */
#include <time.h>

#include "rtc.h"
#include "../vmrun.h"

static const uint8_t time_regs[] = {
	RTC_SEC, RTC_MIN, RTC_HOUR, RTC_WDAY, RTC_MDAY, RTC_MONTH, RTC_YEAR,
	RTC_CENTURY,
};

static bool is_time_reg(uint8_t reg)
{
	unsigned int i;

	for (i = 0; i < sizeof(time_regs); i++)
		if (time_regs[i] == reg)
			return true;
	return false;
}

static bool binary(const struct rtc *rtc)
{
	return rtc->ram[RTC_REG_B] & RTC_B_BINARY;
}

static uint8_t encode(const struct rtc *rtc, unsigned int v)
{
	return binary(rtc) ? v : (v / 10) << 4 | v % 10;
}

static unsigned int decode(const struct rtc *rtc, uint8_t v)
{
	return binary(rtc) ? v : (v >> 4) * 10 + (v & 15);
}

/* The guest's time in ns since the epoch (it may be before it). */
static int64_t guest_ns(const struct rtc *rtc, uint64_t now)
{
	return (int64_t)now + rtc->offset_ns;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* The time registers from the guest's time at @now. */
static void snapshot(struct rtc *rtc, uint64_t now)
{
	time_t t = floor_div(guest_ns(rtc, now), NSEC_PER_SEC);
	unsigned int h;
	struct tm tm;
	uint8_t *r = rtc->ram;

	gmtime_r(&t, &tm);
	r[RTC_SEC] = encode(rtc, tm.tm_sec);
	r[RTC_MIN] = encode(rtc, tm.tm_min);
	h = tm.tm_hour;
	if (r[RTC_REG_B] & RTC_B_24H)
		r[RTC_HOUR] = encode(rtc, h);
	else
		r[RTC_HOUR] = encode(rtc, h % 12 ? h % 12 : 12) | (h >= 12 ? RTC_HOUR_PM : 0);
	r[RTC_WDAY] = encode(rtc, tm.tm_wday + 1);
	r[RTC_MDAY] = encode(rtc, tm.tm_mday);
	r[RTC_MONTH] = encode(rtc, tm.tm_mon + 1);
	r[RTC_YEAR] = encode(rtc, (tm.tm_year + 1900) % 100);
	r[RTC_CENTURY] = encode(rtc, (tm.tm_year + 1900) / 100);
}

/* The time registers as the guest's time, from @now on. */
static void adopt(struct rtc *rtc, uint64_t now)
{
	const uint8_t *r = rtc->ram;
	uint8_t hour = r[RTC_HOUR];
	struct tm tm = { 0 };
	time_t t;

	tm.tm_sec = decode(rtc, r[RTC_SEC]);
	tm.tm_min = decode(rtc, r[RTC_MIN]);
	if (r[RTC_REG_B] & RTC_B_24H)
		tm.tm_hour = decode(rtc, hour);
	else
		tm.tm_hour = decode(rtc, hour & ~RTC_HOUR_PM) % 12 +
			     (hour & RTC_HOUR_PM ? 12 : 0);
	tm.tm_mday = decode(rtc, r[RTC_MDAY]);
	tm.tm_mon = decode(rtc, r[RTC_MONTH]) - 1;
	tm.tm_year = decode(rtc, r[RTC_CENTURY]) * 100 + decode(rtc, r[RTC_YEAR]) - 1900;
	t = timegm(&tm);
	rtc->offset_ns = (int64_t)t * (int64_t)NSEC_PER_SEC - (int64_t)now;
}

static bool frozen(const struct rtc *rtc)
{
	return rtc->ram[RTC_REG_B] & RTC_B_SET;
}

static uint8_t read_reg(struct rtc *rtc, uint8_t reg, uint64_t now)
{
	int64_t g = guest_ns(rtc, now), sub = g - floor_div(g, NSEC_PER_SEC) * NSEC_PER_SEC;
	uint64_t sec = floor_div(g, NSEC_PER_SEC);
	uint8_t v;

	if (is_time_reg(reg)) {
		if (!frozen(rtc))
			snapshot(rtc, now);
		return rtc->ram[reg];
	}
	switch (reg) {
	case RTC_REG_A:
		v = rtc->ram[RTC_REG_A] & 0x7f;
		if (!frozen(rtc) && sub >= (int64_t)(NSEC_PER_SEC - RTC_UIP_NS))
			v |= RTC_A_UIP;
		return v;
	case RTC_REG_C:
		v = !frozen(rtc) && sec != rtc->last_c_sec ? RTC_C_UF : 0;
		rtc->last_c_sec = sec;
		return v;
	case RTC_REG_D:
		return RTC_D_VRT;
	default:
		return rtc->ram[reg];
	}
}

static void write_reg(struct rtc *rtc, uint8_t reg, uint8_t v, uint64_t now)
{
	if (is_time_reg(reg)) {
		if (frozen(rtc)) {
			rtc->ram[reg] = v;
			return;
		}
		snapshot(rtc, now);
		rtc->ram[reg] = v;
		adopt(rtc, now);
		return;
	}
	switch (reg) {
	case RTC_REG_A:
		rtc->ram[reg] = v & 0x7f;
		break;
	case RTC_REG_B:
		if ((v & RTC_B_SET) && !frozen(rtc))
			snapshot(rtc, now);	/* freeze in the old format */
		else if (!(v & RTC_B_SET) && frozen(rtc)) {
			rtc->ram[reg] = v;
			adopt(rtc, now);	/* in the new one */
		}
		rtc->ram[reg] = v;
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break;			/* read-only */
	default:
		rtc->ram[reg] = v;
		break;
	}
}

/* Ports 0x70 and 0x71, at the time of rtc->clock. */
static uint8_t rtc_in(void *priv, uint16_t port)
{
	struct rtc *rtc = priv;

	if (port == RTC_INDEX)
		return 0xff;
	return read_reg(rtc, rtc->index, rtc->clock());
}

static void rtc_out(void *priv, uint16_t port, uint8_t v)
{
	struct rtc *rtc = priv;

	if (port == RTC_INDEX) {
		rtc->index = v & 0x7f;
		rtc->nmi_masked = v & 0x80;
	} else {
		write_reg(rtc, rtc->index, v, rtc->clock());
	}
}

bool rtc__nmi_masked(const struct rtc *rtc)
{
	return rtc->nmi_masked;
}

void rtc__reset(struct rtc *rtc)
{
	hw_clock_fn *clock = rtc->clock;

	*rtc = (struct rtc){ .clock = clock };
	rtc->ram[RTC_REG_A] = 0x26;	/* 32.768 kHz time base, 1024 Hz rate */
	rtc->ram[RTC_REG_B] = RTC_B_24H;
}

static void put16(uint8_t *r, uint8_t at, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	r[at] = v;
	r[at + 1] = v >> 8;
}

void rtc__set_ram(struct rtc *rtc, uint64_t below_4g, uint64_t above_4g)
{
	uint64_t base = below_4g < 640 * KiB ? below_4g : 640 * KiB;
	uint64_t ext = below_4g > MiB ? (below_4g - MiB) / KiB : 0;
	uint64_t high = below_4g > 16 * MiB ? (below_4g - 16 * MiB) / (64 * KiB) : 0;
	uint64_t top = above_4g / (64 * KiB);
	uint8_t *r = rtc->ram;
	unsigned int sum = 0, i;

	put16(r, 0x15, base / KiB);
	put16(r, 0x17, ext);
	put16(r, 0x30, ext);
	put16(r, 0x34, high);
	r[0x5b] = top;
	r[0x5c] = top >> 8;
	r[0x5d] = top >> 16;
	for (i = 0x10; i <= 0x2d; i++)
		sum += r[i];
	r[0x2e] = sum >> 8;
	r[0x2f] = sum;
}

int rtc__init(struct vmrun *vr, struct rtc *rtc, uint64_t below_4g,
	      uint64_t above_4g)
{
	static const struct hw_ports ports = { "rtc", RTC_INDEX, 2 };

	(void)vr;
	rtc->clock = hw__realtime_ns;
	rtc__reset(rtc);
	rtc__set_ram(rtc, below_4g, above_4g);
	return hw__register(&ports, 1, rtc_in, rtc_out, rtc);
}
