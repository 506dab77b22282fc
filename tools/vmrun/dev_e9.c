// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: port 0xe9, the byte console of Bochs and QEMU's debugcon, and
 * port 0x402, where SeaBIOS and OVMF print (QEMU's isa-debugcon at its
 * firmware address). A byte written to either goes to stdout; a read
 * returns 0xe9, which is how a guest finds out that the port is there.
 */
#include "vmrun.h"


static void e9_io(struct vmrun *vr, struct io_dev *dev, struct io_access *io)
{
	(void)vr;
	(void)dev;
	if (io->out)
		devices__putc(io->data & 0xff);
	else
		io->data = E9_PORT;
}

int e9__init(struct vmrun *vr)
{
	(void)vr;
	return devices__register("port-e9", E9_PORT, 1, e9_io, NULL) ||
	       devices__register("debugcon", DEBUGCON_PORT, 1, e9_io, NULL);
}
