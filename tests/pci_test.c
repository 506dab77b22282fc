// SPDX-License-Identifier: GPL-2.0
/*
 * The small ports: PCI configuration mechanism 1 with no devices
 * (hw/pci.c), POST port 0x80 (hw/post.c), the 0x402 debug console
 * (dev_e9.c), and byte-wise wide accesses (hw/hw.c).
 */
#include "hw_test.h"

void pci_tests(void)
{
	struct pci pci;
	struct pic pic;

	registry__reset();
	check(!pci__init(&test_vr, &pci) && !post__init(&test_vr) && !e9__init(&test_vr),
	      "pci: PCI, POST and the debug consoles register");
	io_out(0xcf8, 4, 0x80001234 | 0x7f000003);
	check(io_in(0xcf8, 4) == 0x80001234, "pci: 0xcf8 reads back as a dword, reserved bits 0");
	check(io_in(0xcfc, 4) == 0xffffffff && io_in(0xcfe, 2) == 0xffff && inb(0xcff) == 0xff,
	      "pci: configuration data reads all ones: no device");
	io_out(0xcfc, 4, 0);
	outb(0xcfb, 0x01);
	outb(0xcf9, 0x06);
	check(io_in(0xcf8, 4) == 0x80001234 && inb(0xcf8) == 0xff && io_in(0xcfa, 2) == 0xffff &&
	      !test_vr.done, "pci: byte and word accesses to 0xcf8-0xcfb read all ones, writes dropped");

	outb(0x80, 0x55);
	check(io_claimed(0x80) && inb(0x80) == 0xff && !test_vr.done,
	      "pci: port 0x80 takes POST codes silently, reads 0xff");

	outb(0x402, 'o');
	outb(0xe9, 'k');
	check(!strcmp(putc_buf, "ok") && inb(0x402) == 0xe9,
	      "pci: 0x402 prints like 0xe9 and reads 0xe9");

	check(!pic__init(&test_vr, &pic), "pci: and the PIC");
	io_out(0x20, 4, 0x12345611);	/* 0x11 to 0x20, 0x56 to 0x21 (ICW2) */
	check(pic.chip[0].base == 0x50 && io_in(0x21, 4) == 0xffffff00,
	      "pci: a dword at 0x20 is bytes to 0x20 and 0x21; 0x22 and up read all ones");
}
