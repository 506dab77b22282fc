// SPDX-License-Identifier: GPL-2.0
/*
 * What the device models need from vmrun, for the unit tests: a port
 * registry that dispatches as devices.c does, stdout and stdin in
 * buffers, messages as TAP comments, and vmrun__stop() noting the end.
 */
#include <stdarg.h>
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

void registry__reset(void)
{
	nr_devs = 0;
	memset(&test_vr, 0, sizeof(test_vr));
	putc_len = 0;
	putc_buf[0] = 0;
	stdin_len = 0;
}

int devices__register(const char *name, uint16_t base, uint16_t len,
		      io_handler_fn *io, void *priv)
{
	if (nr_devs == MAX_DEVS)
		return -1;
	devs[nr_devs++] = (struct io_dev){ name, base, len, io, priv };
	return 0;
}

static struct io_dev *find(uint16_t port)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (port >= devs[i].base && port - devs[i].base < devs[i].len)
			return &devs[i];
	return NULL;
}

bool io_claimed(uint16_t port)
{
	return find(port);
}

static uint32_t io(uint16_t port, uint8_t size, bool out, uint32_t v)
{
	struct io_access a = { .port = port, .size = size, .out = out, .data = v };
	struct io_dev *dev = find(port);

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

void vmrun__msg(const char *fmt, ...)
{
	va_list ap;

	printf("# vmrun: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void vmrun__stop(struct vmrun *vr, int status, const char *fmt, ...)
{
	va_list ap;

	if (vr->done)
		return;
	va_start(ap, fmt);
	vsnprintf(vr->end_msg, sizeof(vr->end_msg), fmt, ap);
	va_end(ap);
	vr->done = true;
	vr->status = status;
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
