// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: PCI configuration mechanism 1 (PCI Local Bus Specification,
 * "Configuration Mechanism #1") on a bus with no devices. 0xcf8 is
 * CONFIG_ADDRESS: a dword write sets it (bit 31 enable, bus, device,
 * function, register; reserved bits read as 0) and a dword read returns
 * it, which is how Linux and SeaBIOS find that mechanism 1 is there.
 * Every read of CONFIG_DATA (0xcfc-0xcff) returns all ones, a vendor ID
 * of 0xffff: no device at any address; writes are dropped. Byte and word
 * accesses to 0xcf8-0xcfb are not CONFIG_ADDRESS: they read all ones
 * (so mechanism 2's probe fails) and writes are dropped, 0xcf9's reset
 * control register included.
 */
#include "pci.h"
#include "../vmrun.h"

#define CONFIG_ADDRESS_BITS	0x80fffffcu

void pci__access(struct pci *pci, struct io_access *io)
{
	if (io->port == PCI_CONFIG_ADDRESS && io->size == 4) {
		if (io->out)
			pci->address = io->data & CONFIG_ADDRESS_BITS;
		else
			io->data = pci->address;
		return;
	}
	if (!io->out)
		io->data = hw__ones(io->size);
}

static void pci__io(struct vmrun *vr, struct io_dev *dev, struct io_access *io)
{
	(void)vr;
	pci__access(dev->priv, io);
}

int pci__init(struct vmrun *vr, struct pci *pci)
{
	(void)vr;
	pci->address = 0;
	return devices__register("pci-conf1", PCI_CONFIG_ADDRESS, 8, pci__io, pci);
}
