// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: what the PC devices share: the host clocks, byte-wise port
 * access, the reset request.
 */
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

void hw__reset(void *ctx)
{
	struct vmrun *vr = ctx;

	vmrun__stop(vr, VMRUN_REBOOT, "the guest asked for a reset (reboot)");
}
