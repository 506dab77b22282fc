// SPDX-License-Identifier: GPL-2.0
/*
 * What the device models need from vmrun, for the unit tests: a port
 * registry (a device per port, no overlap checks: devices.c has those),
 * stdout and stdin in buffers, messages' formats as TAP comments, and
 * vmrun__stop() noting the status and the message's format.
 */
#include <stdio.h>

#include "hw_test.h"

#define MAX_DEVS	32

struct vmrun test_vr;
char putc_buf[256];
unsigned int putc_len;
const uint8_t *stdin_data;
unsigned int stdin_len;
uint64_t test_now;

static struct io_dev devs[MAX_DEVS];
static unsigned int nr_devs;
static struct io_dev *by_port[65536];

void registry__reset(void)
{
	nr_devs = 0;
	memset(by_port, 0, sizeof(by_port));
	memset(&test_vr, 0, sizeof(test_vr));
	putc_len = 0;
	putc_buf[0] = 0;
	stdin_len = 0;
}

int devices__register(const char *name, uint16_t base, uint16_t len,
		      io_handler_fn *io, void *priv)
{
	struct io_dev *dev = &devs[nr_devs];
	unsigned int p;

	if (nr_devs == MAX_DEVS)
		return -1;
	nr_devs++;
	*dev = (struct io_dev){ name, base, len, io, priv };
	for (p = base; p < base + len; p++)
		by_port[p] = dev;
	return 0;
}

bool io_claimed(uint16_t port)
{
	return by_port[port];
}

static uint32_t io(uint16_t port, uint8_t size, bool out, uint32_t v)
{
	struct io_access a = { .port = port, .size = size, .out = out, .data = v };
	struct io_dev *dev = by_port[port];

	if (!dev)
		return out ? 0 : hw__ones(size);
	dev->io(&test_vr, dev, &a);
	return a.data;
}

uint32_t io_in(uint16_t port, uint8_t size)
{
	return io(port, size, false, 0);
}

void io_out(uint16_t port, uint8_t size, uint32_t v)
{
	io(port, size, true, v);
}

void devices__putc(uint8_t c)
{
	if (putc_len < sizeof(putc_buf) - 1) {
		putc_buf[putc_len++] = c;
		putc_buf[putc_len] = 0;
	}
}

int term__init(void)
{
	return 0;
}

int term__read(uint8_t *buf, int len)
{
	int n = 0;

	while (n < len && stdin_len) {
		buf[n++] = *stdin_data++;
		stdin_len--;
	}
	return n;
}

/* Shown unformatted: no device test expects a message. */
void vmrun__msg(const char *fmt, ...)
{
	note("vmrun: %s", fmt);
}

void vmrun__stop(struct vmrun *vr, int status, const char *fmt, ...)
{
	if (!vr->done)
		snprintf(vr->end_msg, sizeof(vr->end_msg), "%s", fmt);
	vr->status = vr->done ? vr->status : status;
	vr->done = true;
}

static void sink_set(void *ctx, unsigned int irq, bool level)
{
	struct irq_sink *s = ctx;

	if (level && !s->level[irq])
		s->edges[irq]++;
	s->level[irq] = level;
}

struct irq_line sink_line(struct irq_sink *s, unsigned int irq)
{
	return (struct irq_line){ sink_set, s, irq };
}

uint64_t test_clock(void)
{
	return test_now;
}
