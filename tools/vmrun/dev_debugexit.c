// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: a debug-exit port at 0xf4, as QEMU's isa-debug-exit device
 * (iobase=0xf4): a guest that writes v there ends vmrun with exit status
 * (v << 1) | 1. The status is always odd, so it cannot be confused with
 * vmrun's own statuses, and a shell sees its low 8 bits.
 */
#include "vmrun.h"


static void debugexit_io(struct vmrun *vr, struct io_dev *dev,
			 struct io_access *io)
{
	uint32_t v;

	(void)dev;
	if (!io->out) {
		io->data = 0xffffffffu >> (32 - 8 * io->size);	/* write-only */
		return;
	}
	v = io->size == 4 ? io->data : io->data & ((1u << (8 * io->size)) - 1);
	vmrun__stop(vr, (int)((((uint64_t)v << 1) | 1) & 0xff),
		    "the guest wrote %#x to the debug-exit port %#x: exit status %u",
		    v, DEBUGEXIT_PORT, (unsigned int)((((uint64_t)v << 1) | 1) & 0xff));
}

int debugexit__init(struct vmrun *vr)
{
	(void)vr;
	return devices__register("debug-exit", DEBUGEXIT_PORT, 1, debugexit_io, NULL);
}
