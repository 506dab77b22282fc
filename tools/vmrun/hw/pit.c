// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the 8254 programmable interval timer, after Intel's 8254 data
 * sheet, clocked at the PC's 1.193182 MHz. Channel 0 drives IRQ 0,
 * channel 1 is the old DRAM refresh timer, channel 2's gate and OUT are
 * wired to port 0x61 (and the speaker, which stays silent).
 *
 * Nothing ticks: the PIT's CLK edges are a grid on the clock, tick n at
 * ceil(n / 1.193182 MHz), and each channel keeps the tick its count
 * started at and the count it started from; its counter and OUT are
 * computed from the clock at each access. Modes 0-5 (6 and 7 are 2 and 3), LSB, MSB and
 * LSB-then-MSB access, BCD counts, the counter latch and read-back
 * commands are emulated; a count of 0 means 65536 (10000 in BCD).
 * Simplifications: a count starts at the CLK edge before the write, not
 * the one after, and mode 3's odd counts split the period as (N + 1) / 2 high,
 * N / 2 low.
 *
 * IRQ 0 is an edge (a pulse of the line) at each rising edge of channel
 * 0's OUT: every period in modes 2 and 3, once at terminal count in mode
 * 0, once after the strobe in mode 4. The run loop sleeps until
 * pit__next_deadline() and calls pit__advance(). Periods are counted in
 * ticks from the start of the count, so they never drift; a loop that was late gets
 * one edge for all it missed (the PIC could only latch one anyway) and
 * the next deadline is the next period boundary still ahead.
 *
 * Port 0x61 (system control port B): bit 0 channel 2's gate, bit 1
 * speaker data enable, bits 2-3 kept, bit 4 the refresh toggle (flips
 * every 15.085 us), bit 5 channel 2's OUT: what PIT-based TSC
 * calibration polls.
 */
#include "pit.h"
#include "../vmrun.h"

#define CTRL_PORT	(PIT_BASE + 3)
#define READ_BACK	3
#define RB_NO_COUNT	0x20
#define RB_NO_STATUS	0x10
#define REFRESH_NS	15085
#define P61_GATE2	0x01
#define P61_REFRESH	0x10
#define P61_OUT2	0x20

/* The last CLK edge at or before @now. */
static uint64_t tick_of(uint64_t now)
{
	return (uint64_t)((unsigned __int128)now * PIT_HZ / NSEC_PER_SEC);
}

/* The time of CLK edge @tick. */
static uint64_t time_of(uint64_t tick)
{
	return (uint64_t)(((unsigned __int128)tick * NSEC_PER_SEC + PIT_HZ - 1) / PIT_HZ);
}

/* CLK edges since the count started. */
static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = tick_of(now);

	return t > c->start_tick ? t - c->start_tick : 0;
}

static bool periodic(const struct pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

/* The counter and OUT at @now. */
static void state(const struct pit_channel *c, uint64_t now, uint32_t *count, bool *out)
{
	uint64_t e = elapsed(c, now), n = c->reload, phase, hi;

	if (!c->running) {
		*count = c->start_count & 0xffff;
		*out = c->mode == 0 ? c->expired && c->loaded : true;
		return;
	}
	switch (c->mode) {
	case 0:
	case 1:
		*count = (c->start_count - e) & 0xffff;
		*out = c->expired || e >= c->start_count;
		return;
	case 4:
	case 5:
		*count = (c->start_count - e) & 0xffff;
		*out = c->expired || e != c->start_count;
		return;
	}
	if (tick_of(now) < c->start_tick) {	/* the old count's last period */
		e = c->start_tick - tick_of(now);
		*count = e & 0xffff;
		*out = c->mode == 2 || 2 * e > c->tail_reload;
		return;
	}
	phase = e % n;
	hi = (n + 1) / 2;
	if (c->mode == 2) {
		*count = (n - phase) & 0xffff;
		*out = phase != n - 1 || n == 1;
	} else {
		*count = (phase < hi ? n - 2 * phase : n - 2 * (phase - hi)) & 0xffff;
		*out = phase < hi;
	}
}

bool pit__out(struct pit *pit, unsigned int ch, uint64_t now)
{
	uint32_t count;
	bool out;

	state(&pit->ch[ch], now, &count, &out);
	return out;
}

static uint16_t to_bcd(uint32_t v)
{
	v %= 10000;
	return (v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

static uint32_t from_bcd(uint16_t v)
{
	uint32_t n = (v >> 12) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15);

	return n ? n : 10000;
}

static uint16_t count_now(const struct pit_channel *c, uint64_t now)
{
	uint32_t count;
	bool out;

	state(c, now, &count, &out);
	return c->bcd ? to_bcd(count) : count;
}

/* Stop counting, holding the counter (and for modes 0 and 4, OUT). */
static void hold(struct pit_channel *c, uint64_t now)
{
	uint32_t count;
	bool out;

	if (!c->running)
		return;
	state(c, now, &count, &out);
	c->expired = c->mode == 4 ? elapsed(c, now) > c->start_count :
		     c->mode == 0 && out;
	c->start_count = count ? count : 0x10000;
	c->running = false;
}

static void start(struct pit_channel *c, uint64_t now, uint32_t count)
{
	c->start_tick = tick_of(now);
	c->start_count = count;
	c->running = true;
	c->irq_done = false;
	c->next_k = 1;
}

static void set_gate(struct pit_channel *c, bool gate, uint64_t now)
{
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {
		/* Modes 0, 2, 3, 4 stop; 1 and 5 go on (the gate only triggers). */
		if (c->mode != 1 && c->mode != 5)
			hold(c, now);
		return;
	}
	if (!c->loaded)
		return;
	if (c->mode == 0 || c->mode == 4) {
		c->start_tick = tick_of(now);	/* resume from the held count */
		c->running = true;
	} else {
		c->expired = false;		/* 1, 5 trigger; 2, 3 reload */
		start(c, now, c->reload);
	}
}

/*
 * A complete count: modes 0 and 4 start over with it; modes 2 and 3 take
 * it at the end of the current period; modes 1 and 5 at the next trigger.
 */
static void load(struct pit_channel *c, uint32_t n, uint64_t now)
{
	uint32_t old = c->reload;
	uint64_t k;

	c->reload = n;
	if (periodic(c) && c->running && c->loaded) {
		if (tick_of(now) >= c->start_tick) {
			k = elapsed(c, now) / old + 1;
			c->start_tick += k * old;
			c->tail_reload = old;
			c->next_k = 0;		/* the old period's end is an edge */
		}
		return;
	}
	c->loaded = true;
	c->expired = false;
	if (c->mode == 1 || c->mode == 5) {
		if (!c->running)
			c->start_count = n;
		return;
	}
	c->running = false;
	c->start_count = n;
	if (c->gate)
		start(c, now, n);
}

static void write_count(struct pit_channel *c, uint8_t v, uint64_t now)
{
	uint16_t n;

	switch (c->rw) {
	case 1:
		n = v;
		break;
	case 2:
		n = v << 8;
		break;
	default:
		if (!c->write_msb) {
			c->lsb = v;
			c->write_msb = true;
			if (c->mode == 0) {	/* the first byte stops counting */
				hold(c, now);
				c->loaded = false;
			}
			return;
		}
		c->write_msb = false;
		n = c->lsb | v << 8;
		break;
	}
	load(c, c->bcd ? from_bcd(n) : n ? n : 0x10000, now);
}

static uint8_t read_count(struct pit_channel *c, uint64_t now)
{
	uint16_t v;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	v = c->count_latched ? c->latch : count_now(c, now);
	if (c->rw == 3 && !c->read_msb) {
		c->read_msb = true;
		return v & 0xff;
	}
	c->read_msb = false;
	c->count_latched = false;
	return c->rw == 2 || c->rw == 3 ? v >> 8 : v & 0xff;
}

static void latch_count(struct pit_channel *c, uint64_t now)
{
	if (c->count_latched)
		return;
	c->latch = count_now(c, now);
	c->count_latched = true;
	c->read_msb = false;
}

static void latch_status(struct pit_channel *c, uint64_t now)
{
	uint32_t count;
	bool out;

	if (c->status_latched)
		return;
	state(c, now, &count, &out);
	c->status = out << 7 | (!c->loaded || tick_of(now) < c->start_tick) << 6 |
		    c->rw << 4 | c->mode << 1 | c->bcd;
	c->status_latched = true;
}

static void write_control(struct pit *pit, uint8_t v, uint64_t now)
{
	struct pit_channel *c;
	unsigned int i, sc = v >> 6, rw = v >> 4 & 3;

	if (sc == READ_BACK) {
		for (i = 0; i < 3; i++) {
			if (!(v & (2u << i)))
				continue;
			if (!(v & RB_NO_COUNT))
				latch_count(&pit->ch[i], now);
			if (!(v & RB_NO_STATUS))
				latch_status(&pit->ch[i], now);
		}
		return;
	}
	c = &pit->ch[sc];
	if (!rw) {
		latch_count(c, now);
		return;
	}
	hold(c, now);
	c->mode = v >> 1 & 7;
	if (c->mode > 5)
		c->mode -= 4;
	c->rw = rw;
	c->bcd = v & 1;
	/* The control logic starts over: no count, no latch, LSB first. */
	c->loaded = c->expired = false;
	c->write_msb = c->read_msb = c->count_latched = c->status_latched = false;
	c->irq_done = true;
}

uint8_t pit__read(struct pit *pit, uint16_t port, uint64_t now)
{
	if (port == PIT_PORT61)
		return (pit->port61 & 0x0f) |
		       ((now / REFRESH_NS) & 1 ? P61_REFRESH : 0) |
		       (pit__out(pit, 2, now) ? P61_OUT2 : 0);
	if (port >= CTRL_PORT)
		return 0xff;		/* the control word is write-only */
	return read_count(&pit->ch[port - PIT_BASE], now);
}

void pit__write(struct pit *pit, uint16_t port, uint8_t v, uint64_t now)
{
	if (port == PIT_PORT61) {
		pit->port61 = v & 0x0f;
		set_gate(&pit->ch[2], v & P61_GATE2, now);
	} else if (port == CTRL_PORT) {
		write_control(pit, v, now);
	} else if (port < CTRL_PORT) {
		write_count(&pit->ch[port - PIT_BASE], v, now);
	}
}

void pit__reset(struct pit *pit)
{
	struct irq_line irq0 = pit->irq0;
	hw_clock_fn *clock = pit->clock;
	unsigned int i;

	*pit = (struct pit){ .irq0 = irq0, .clock = clock };
	for (i = 0; i < 3; i++) {
		pit->ch[i].rw = 3;
		pit->ch[i].gate = i != 2;	/* channel 2's is port 0x61 bit 0 */
		pit->ch[i].irq_done = true;
	}
}

uint64_t pit__next_deadline(const struct pit *pit)
{
	const struct pit_channel *c = &pit->ch[0];

	if (!c->running)
		return HW_NO_DEADLINE;
	if (periodic(c))
		return time_of(c->start_tick + c->next_k * c->reload);
	if (c->irq_done || c->expired)
		return HW_NO_DEADLINE;
	/* Mode 0's OUT rises at terminal count, mode 4's after the strobe. */
	return time_of(c->start_tick + c->start_count + (c->mode == 4 || c->mode == 5));
}

int pit__advance(struct pit *pit, uint64_t now)
{
	struct pit_channel *c = &pit->ch[0];
	uint64_t k;

	if (pit__next_deadline(pit) > now)
		return 0;
	if (periodic(c)) {
		k = elapsed(c, now) / c->reload + 1;
		c->next_k = k > c->next_k + 1 ? k : c->next_k + 1;
	} else {
		c->irq_done = true;
	}
	irq_line__set(&pit->irq0, true);
	irq_line__set(&pit->irq0, false);
	return 1;
}

/* ---- Glue ---------------------------------------------------------------- */

static uint8_t pit_in(void *priv, uint16_t port)
{
	struct pit *pit = priv;

	return pit__read(pit, port, pit->clock());
}

static void pit_out(void *priv, uint16_t port, uint8_t v)
{
	struct pit *pit = priv;

	pit__write(pit, port, v, pit->clock());
}

static const struct hw_ports ports[] = {
	{ "pit", PIT_BASE, 4 },
	{ "port-61", PIT_PORT61, 1 },
};

int pit__init(struct vmrun *vr, struct pit *pit, struct irq_line irq0)
{
	(void)vr;
	pit->irq0 = irq0;
	pit->clock = hw__monotonic_ns;
	pit__reset(pit);
	return hw__register(ports, 2, pit_in, pit_out, pit);
}
