// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: port 0x80, where firmware writes POST codes and Linux's outb_p()
 * writes to pass time (io_delay=0x80). Claimed so that it makes no
 * --verbose or --strict noise: writes are dropped, reads return 0xff as
 * with nothing on the bus (no POST card latches the code).
 */
#include "hw.h"
#include "../vmrun.h"

#define POST_PORT	0x80

static void post__io(struct vmrun *vr, struct io_dev *dev, struct io_access *io)
{
	(void)vr;
	(void)dev;
	if (!io->out)
		io->data = hw__ones(io->size);
}

int post__init(struct vmrun *vr)
{
	(void)vr;
	return devices__register("post", POST_PORT, 1, post__io, NULL);
}
