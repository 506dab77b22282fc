// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: what the PC devices share: the host clocks, byte-wise port
 * access, the reset request.
 */
#include <stdlib.h>
#include <time.h>

#include "hw.h"
#include "../vmrun.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

uint64_t hw__monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t hw__realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

void hw__bytes(struct io_dev *dev, struct io_access *io, void *priv,
	       hw_in_fn *in, hw_out_fn *out)
{
	unsigned int i;
	uint16_t port;

	if (!io->out)
		io->data = 0;
	for (i = 0; i < io->size; i++) {
		port = io->port + i;
		if (port - dev->base >= dev->len) {
			if (!io->out)
				io->data |= 0xffu << (8 * i);
		} else if (io->out) {
			out(priv, port, io->data >> (8 * i));
		} else {
			io->data |= (uint32_t)in(priv, port) << (8 * i);
		}
	}
}

struct hw_regs {
	hw_in_fn *in;
	hw_out_fn *out;
	void *priv;
};

static void hw_io(struct vmrun *vr, struct io_dev *dev, struct io_access *io)
{
	struct hw_regs *r = dev->priv;

	(void)vr;
	hw__bytes(dev, io, r->priv, r->in, r->out);
}

/* @r is kept for the whole run, as the registry keeps its devices. */
int hw__register(const struct hw_ports *ports, unsigned int nr,
		 hw_in_fn *in, hw_out_fn *out, void *priv)
{
	struct hw_regs *r = malloc(sizeof(*r));
	unsigned int i;

	if (!r)
		return -1;
	*r = (struct hw_regs){ in, out, priv };
	for (i = 0; i < nr; i++)
		if (devices__register(ports[i].name, ports[i].base, ports[i].len,
				      hw_io, r))
			return -1;
	return 0;
}

void hw__reset(void *ctx)
{
	struct vmrun *vr = ctx;

	vmrun__stop(vr, VMRUN_REBOOT, "the guest asked for a reset (reboot)");
}
