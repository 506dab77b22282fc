/* SPDX-License-Identifier: GPL-2.0 */
/* vmrun: PCI configuration mechanism 1 with no devices (pci.c). */
#ifndef VMRUN_HW_PCI_H
#define VMRUN_HW_PCI_H

#include "hw.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

struct pci {
	uint32_t address;	/* CONFIG_ADDRESS */
};

/* One access to 0xcf8-0xcff (any size). */
void pci__access(struct pci *pci, struct io_access *io);

int pci__init(struct vmrun *vr, struct pci *pci);

#endif /* VMRUN_HW_PCI_H */
