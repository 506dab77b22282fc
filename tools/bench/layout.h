/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark guest's memory layout, shared by guest.S and the C code.
 * The guest runs in real mode with CS = 0, so a guest-physical address
 * below 64 KiB is also the offset the code uses.
 */
#ifndef BENCH_LAYOUT_H
#define BENCH_LAYOUT_H

#define GUEST_TSC_SAVE	0x0800	/* 8 bytes: the TSC at the start of a loop */
#define GUEST_CODE	0x1000	/* guest.S's code, copied here */
#define GUEST_OUT_BUF	0x2000	/* the 4 KiB the UART loop sends */
#define GUEST_OUT_LEN	0x1000

#define PORT_IO		0x0510	/* the port of the out/in loops */
#define PORT_UART	0x03f8	/* a 16550's transmit register */
/*
 * FS's base in every benchmark VM: the MMIO loops access FS:0, outside
 * guest RAM (real mode allows any segment base that SET_SREGS gives).
 */
#define MMIO_GPA	0x10000000

#endif
