/* SPDX-License-Identifier: GPL-2.0 */
/* vmrun: the MC146818 real-time clock and CMOS RAM (rtc.c). */
#ifndef VMRUN_HW_RTC_H
#define VMRUN_HW_RTC_H

#include "hw.h"

#define RTC_INDEX	0x70
#define RTC_DATA	0x71

#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_WDAY	0x06
#define RTC_MDAY	0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_REG_C	0x0c
#define RTC_REG_D	0x0d
#define RTC_CENTURY	0x32

#define RTC_A_UIP	0x80
#define RTC_B_SET	0x80
#define RTC_B_BINARY	0x04
#define RTC_B_24H	0x02
#define RTC_C_UF	0x10
#define RTC_D_VRT	0x80
#define RTC_HOUR_PM	0x80
/* The update-in-progress window before each second's update, in ns. */
#define RTC_UIP_NS	244000

struct rtc {
	uint8_t ram[128];	/* the registers; time ones hold a frozen time */
	uint8_t index;
	bool nmi_masked;	/* bit 7 of the last write to 0x70 */
	int64_t offset_ns;	/* the guest's time minus the clock's */
	uint64_t last_c_sec;	/* the second of the last read of register C */
	hw_clock_fn *clock;	/* wall clock for port accesses (UTC) */
};

/* Power-on registers (24-hour BCD), RAM zero, the time from the clock. */
void rtc__reset(struct rtc *rtc);
/*
 * The memory-size bytes, as SeaBIOS and QEMU lay them out, from the RAM
 * below and above 4 GiB.
 */
void rtc__set_ram(struct rtc *rtc, uint64_t below_4g, uint64_t above_4g);
/* NMIs masked by port 0x70 bit 7 (the run loop would hold NMIs back). */
bool rtc__nmi_masked(const struct rtc *rtc);

/*
 * Reset @rtc with the host's CLOCK_REALTIME, set the memory-size bytes and
 * register ports 0x70 (write-only: reads give 0xff) and 0x71.
 */
int rtc__init(struct vmrun *vr, struct rtc *rtc, uint64_t below_4g,
	      uint64_t above_4g);

#endif /* VMRUN_HW_RTC_H */
