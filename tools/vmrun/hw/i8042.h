/* SPDX-License-Identifier: GPL-2.0 */
/* vmrun: the i8042 keyboard controller and port 0x92 (i8042.c). */
#ifndef VMRUN_HW_I8042_H
#define VMRUN_HW_I8042_H

#include "hw.h"

#define I8042_DATA	0x60
#define I8042_CMD	0x64	/* status on reads */
#define PORT92		0x92	/* system control port A */

#define I8042_STR_OBF		0x01
#define I8042_STR_SYS		0x04
#define I8042_STR_CMD		0x08	/* the last write was to 0x64 */
#define I8042_STR_UNLOCKED	0x10
#define I8042_STR_AUXDATA	0x20
#define I8042_STR_TIMEOUT	0x40

#define I8042_CTR_KBDINT	0x01
#define I8042_CTR_AUXINT	0x02
#define I8042_CTR_SYS		0x04
#define I8042_CTR_KBDDIS	0x10
#define I8042_CTR_AUXDIS	0x20
#define I8042_CTR_XLATE		0x40

#define I8042_OUT_RESET		0x01	/* low: the CPU is held in reset */
#define I8042_OUT_A20		0x02
#define PORT92_RESET		0x01
#define PORT92_A20		0x02

#define I8042_QUEUE	8

struct i8042 {
	uint8_t ctr;		/* the command byte */
	uint8_t out_port;
	uint8_t port92;
	uint8_t status;		/* bits other than OBF and AUXDATA */
	uint8_t pending;	/* a command waiting for its data byte, or 0 */
	/* The output buffer: bytes for the guest, each from the kbd or aux side. */
	uint8_t queue[I8042_QUEUE];
	bool aux[I8042_QUEUE];
	unsigned int head, len;
	struct irq_line irq1, irq12;
	/* The guest pulsed the reset line (command 0xfe, port 0x92 bit 0). */
	void (*reset)(void *ctx);
	void *reset_ctx;
};

void i8042__reset(struct i8042 *kbd);
/* A20 as the guest last set it (output port bit 1 or port 0x92 bit 1). */
bool i8042__a20(const struct i8042 *kbd);

/*
 * Reset @kbd, wire its lines and the reset request to end the run, and
 * register ports 0x60, 0x64 and 0x92.
 */
int i8042__init(struct vmrun *vr, struct i8042 *kbd, struct irq_line irq1,
		struct irq_line irq12);

#endif /* VMRUN_HW_I8042_H */
