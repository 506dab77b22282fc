/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmrun: the PC board, every device of hw/ with its IRQ line wired to the
 * PIC (pc.c). What the run loop calls:
 *
 *   pic__has_intr(&pc->pic), pic__ack(&pc->pic)    inject an interrupt
 *   pc->pic.notify                                 INT changed: window/KICK
 *   pit__next_deadline(&pc->pit), pit__advance()   IRQ 0 on time
 *   uart__feed(vr->uart, ...)                      stdin into COM1
 *   rtc__nmi_masked(&pc->rtc)                      hold NMIs back
 *
 * A guest reset (i8042, port 0x92) ends the run with VMRUN_REBOOT.
 */
#ifndef VMRUN_HW_PC_H
#define VMRUN_HW_PC_H

#include "i8042.h"
#include "pci.h"
#include "pic.h"
#include "pit.h"
#include "rtc.h"

/* The ISA IRQs of the devices. */
#define IRQ_PIT		0
#define IRQ_KBD		1
#define IRQ_COM1	4
#define IRQ_RTC		8
#define IRQ_AUX		12

struct pc {
	struct pic pic;
	struct pit pit;
	struct rtc rtc;
	struct i8042 kbd;
	struct pci pci;
};

int post__init(struct vmrun *vr);
/* The board in @pc, its ports registered, vr->pc set. 0 or -1. */
int pc__init(struct vmrun *vr, struct pc *pc);

#endif /* VMRUN_HW_PC_H */
